/* The packet model: proto registry, field access, and the helpers decoders
 * use to push layers, record events and verify checksums. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/checksum.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"
#include "../proto/proto.h"

static const wp_proto_info none_info = {"none", "Nothing", "-", NULL, 0};
static const wp_proto_info payload_info = {"payload", "Payload", "Payload", NULL, 0};
static const wp_proto_info fragment_info = {"fragment", "Fragment data", "Fragment", NULL, 0};
static const wp_proto_info trailer_info = {"trailer", "Trailer (after the length fields' end)",
                                           "Trailer", NULL, 0};
static const wp_proto_info raw_info = {"raw", "Undecoded link-layer frame", "Raw", NULL, 0};

static const wp_proto_info *const registry[WP_PROTO_COUNT] = {
    [WP_PROTO_NONE] = &none_info,
    [WP_PROTO_ETH] = &wp_eth_info,
    [WP_PROTO_VLAN] = &wp_vlan_info,
    [WP_PROTO_SLL] = &wp_sll_info,
    [WP_PROTO_SLL2] = &wp_sll2_info,
    [WP_PROTO_NULL] = &wp_null_info,
    [WP_PROTO_ARP] = &wp_arp_info,
    [WP_PROTO_IPV4] = &wp_ipv4_info,
    [WP_PROTO_IPV6] = &wp_ipv6_info,
    [WP_PROTO_IPV6_HOPOPTS] = &wp_ipv6_hopopts_info,
    [WP_PROTO_IPV6_ROUTE] = &wp_ipv6_route_info,
    [WP_PROTO_IPV6_FRAG] = &wp_ipv6_frag_info,
    [WP_PROTO_IPV6_DSTOPTS] = &wp_ipv6_dstopts_info,
    [WP_PROTO_ICMP] = &wp_icmp_info,
    [WP_PROTO_ICMPV6] = &wp_icmpv6_info,
    [WP_PROTO_UDP] = &wp_udp_info,
    [WP_PROTO_TCP] = &wp_tcp_info,
    [WP_PROTO_PAYLOAD] = &payload_info,
    [WP_PROTO_FRAGMENT] = &fragment_info,
    [WP_PROTO_TRAILER] = &trailer_info,
    [WP_PROTO_RAW] = &raw_info,
};

const wp_proto_info *wp_proto_get(unsigned p)
{
    if (p >= WP_PROTO_COUNT || !registry[p])
        return &none_info;
    return registry[p];
}

/* The external definitions of the inline functions in packet.h. */
extern uint64_t wp_field_uint(const wp_layer *l, const wp_field *f);
extern int wp_field_shown(const wp_packet *p, const wp_layer *l, const wp_field *f);

const uint8_t *wp_field_bytes(const wp_layer *l, const wp_field *f)
{
    switch (f->kind) {
    case WP_FK_MAC:
    case WP_FK_IPV4:
    case WP_FK_IPV6:
    case WP_FK_HEX:
        return (const uint8_t *)&l->h + f->soff;
    default:
        return NULL;
    }
}

void wp_field_span(const wp_layer *l, const wp_field *f, uint32_t *off, uint32_t *len)
{
    *off = l->off + f->off;
    if (f->kind == WP_FK_OPTIONS)
        *len = l->hdr_len > f->off ? l->hdr_len - f->off : 0;
    else
        *len = f->width;
}

const char *wp_linktype_name(int linktype)
{
    switch (linktype) {
    case WP_LINK_NULL:
        return "NULL";
    case WP_LINK_EN10MB:
        return "EN10MB";
    case WP_LINK_RAW:
        return "RAW";
    case WP_LINK_LOOP:
        return "LOOP";
    case WP_LINK_LINUX_SLL:
        return "LINUX_SLL";
    case WP_LINK_IPV4:
        return "IPV4";
    case WP_LINK_IPV6:
        return "IPV6";
    case WP_LINK_LINUX_SLL2:
        return "LINUX_SLL2";
    default:
        return NULL;
    }
}

/* indexed by WP_CSUM_*, each padded to WP_CSUM_TEXT bytes (wp_csum_text) */
static const struct {
    char s[WP_CSUM_TEXT];
    uint8_t n;
} csum_names[] = {{"", 0},     {"good", 4}, {"bad", 3},
                  {"offloaded", 9}, {"none", 4}, {"unverified", 10}};

const char *wp_csum_name(unsigned c)
{
    const char *t;
    return wp_csum_text(c, &t) ? t : NULL;
}

size_t wp_csum_text(unsigned c, const char **text)
{
    if (c == WP_CSUM_NA || c >= sizeof csum_names / sizeof csum_names[0]) {
        *text = csum_names[0].s;
        return 0;
    }
    *text = csum_names[c].s;
    return csum_names[c].n;
}

const char *wp_layer_csum_name(const wp_layer *l)
{
    return wp_csum_name(l->csum);
}

const char *wp_opt_name(unsigned proto, unsigned kind)
{
    if (proto == WP_PROTO_IPV4)
        return wp_ipv4_opt_name(kind);
    if (proto == WP_PROTO_TCP)
        return wp_tcp_opt_name(kind);
    if (proto == WP_PROTO_IPV6_HOPOPTS || proto == WP_PROTO_IPV6_DSTOPTS)
        return wp_ipv6_opt_name(kind);
    return NULL;
}

/* Append the struct code for one unit to buf, merging repeats ("HH" stays
 * "HH" as Python writes it; byte strings are "Ns"). */
static size_t fmt_append(char *buf, size_t n, size_t pos, char code, unsigned width)
{
    char tmp[16];
    int k;
    if (code == 's')
        k = snprintf(tmp, sizeof tmp, "%us", width);
    else
        k = snprintf(tmp, sizeof tmp, "%c", code);
    if (k <= 0)
        return pos;
    for (int i = 0; i < k && pos + 1 < n; i++)
        buf[pos++] = tmp[i];
    buf[pos] = '\0';
    return pos;
}

const char *wp_layer_format(const wp_layer *l, char *buf, size_t n)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (!pi->nfields)
        return buf;
    pos = fmt_append(buf, n, pos, (l->flags & WP_LF_LITTLE_ENDIAN) ? '<' : '!', 0);
    uint32_t next = 0; /* first header byte not yet covered by a unit */
    for (size_t i = 0; i < pi->nfields; i++) {
        const wp_field *f = &pi->fields[i];
        if (f->present && !f->present(l))
            continue;
        uint32_t width = f->width;
        if (f->kind == WP_FK_OPTIONS)
            width = l->hdr_len > f->off ? l->hdr_len - f->off : 0;
        if (f->off + width <= next || width == 0)
            continue; /* shares a unit already written (IHL with version) */
        if (f->off > next)
            pos = fmt_append(buf, n, pos, 'x', 0); /* never expected: a gap */
        pos = fmt_append(buf, n, pos, f->fmt, width);
        next = f->off + width;
    }
    return buf;
}

/* ---- decoder helpers ------------------------------------------------ */

static const wp_event_def ev_layer_cap = {"packet.layer_cap",
                                          "too many layers: the rest is shown as payload",
                                          WP_EV_INVALID, NULL};

wp_layer *wp_pkt_push_capped(wp_packet *p)
{
    if (!p->layer_cap_hit) {
        p->layer_cap_hit = 1;
        wp_pkt_event(p, NULL, &ev_layer_cap, p->nlayers, WP_MAX_LAYERS - 2);
    }
    return NULL;
}

void wp_pkt_event(wp_packet *p, const wp_layer *l, const wp_event_def *d, uint32_t val,
                  uint32_t ref)
{
    if (p->nevents >= WP_MAX_EVENTS) {
        p->events_dropped = 1;
        return;
    }
    wp_event *e = &p->events[p->nevents++];
    e->def = d;
    e->layer = l ? (uint8_t)(l - p->layers) : 0xff;
    e->val = val;
    e->ref = ref;
}

uint32_t wp_pkt_pseudo_any(const wp_packet *p, const wp_layer *l, uint32_t ulen,
                           uint8_t proto, int *ok)
{
    /* With a routing header still to visit segments, the destination that
     * counts is the final one in that header (RFC 8200 8.1). */
    const uint8_t *final_dst = NULL;
    for (const wp_layer *q = l; q > p->layers;) {
        q--;
        if (q->proto == WP_PROTO_IPV6_ROUTE && !final_dst && q->h.ext.segments_left > 0 &&
            q->h.ext.hdr_ext_len >= 2 && !(q->flags & WP_LF_TRUNCATED) &&
            q->off <= p->caplen && q->hdr_len <= p->caplen - q->off) {
            if (q->h.ext.routing_type == 0 || q->h.ext.routing_type == 2)
                final_dst = p->data + q->off + 8 + 16u * (q->h.ext.hdr_ext_len / 2u - 1u);
            else if (q->h.ext.routing_type == 4) /* SRH: segment list[0] is the last */
                final_dst = p->data + q->off + 8;
        }
        if (q->proto == WP_PROTO_IPV4) {
            /* Four 16-bit words and two small numbers: the plain integer
             * sum (what wp_csum_add gives for them), no call needed. */
            uint32_t s = (uint32_t)wp_get_be16(q->h.ipv4.src) + wp_get_be16(q->h.ipv4.src + 2) +
                         wp_get_be16(q->h.ipv4.dst) + wp_get_be16(q->h.ipv4.dst + 2);
            /* A source route not yet done (pointer within the option) names
             * the final destination last (RFC 1122 3.2.1.8): it counts. */
            for (unsigned i = 0; i < q->opt_count && q->opt_first + i < p->nopts; i++) {
                const wp_opt *o = &p->opts[q->opt_first + i];
                if ((o->kind == 131 || o->kind == 137) && !o->bad && o->nv >= 2 &&
                    o->v[0] <= o->len) {
                    uint32_t a = o->v[o->nv - 1];
                    s = (uint32_t)wp_get_be16(q->h.ipv4.src) + wp_get_be16(q->h.ipv4.src + 2) +
                        (uint16_t)(a >> 16) + (uint16_t)a;
                    break;
                }
            }
            s += proto + (uint16_t)ulen; /* at most 6 * 0xffff: no carry out */
            *ok = 1;
            return s;
        }
        if (q->proto == WP_PROTO_IPV6) {
            uint32_t s = wp_csum_add(0, q->h.ipv6.src, 16);
            s = wp_csum_add(s, final_dst ? final_dst : q->h.ipv6.dst, 16);
            s = wp_csum_add16(s, (uint16_t)(ulen >> 16));
            s = wp_csum_add16(s, (uint16_t)ulen);
            s = wp_csum_add16(s, proto);
            *ok = 1;
            return s;
        }
    }
    *ok = 0;
    return 0;
}

uint32_t wp_pkt_csum_around(const wp_packet *p, uint32_t start, uint32_t len, uint32_t init,
                            uint32_t stored_off)
{
    uint32_t s = wp_csum_add(init, p->data + start, stored_off - start);
    uint32_t after = stored_off + 2 - start;
    if (after < len)
        s = wp_csum_add(s, p->data + stored_off + 2, len - after);
    return s;
}

void wp_pkt_csum_mismatch(wp_packet *p, wp_layer *l, uint16_t stored, uint16_t want,
                          uint32_t init, int partial_ok, const wp_event_def *bad)
{
    if (partial_ok && stored == wp_csum_fold(init)) {
        l->csum = WP_CSUM_OFFLOADED;
        return;
    }
    l->csum = WP_CSUM_BAD;
    wp_pkt_event(p, l, bad, stored, want);
}

/* The external definitions of the inline functions in proto.h. */
extern unsigned wp_proto_by_ethertype(uint16_t type);
extern unsigned wp_proto_by_ipproto(uint8_t proto);
