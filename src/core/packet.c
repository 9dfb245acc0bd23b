/* The packet model: field access, and the helpers decoders use to push
 * layers, record events and verify checksums (core/decoder.h). The
 * protocols themselves are in src/proto/, with their registry. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/checksum.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"
#include "decoder.h"

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

const uint8_t *wp_field_text(const wp_packet *p, const wp_layer *l, const wp_field *f,
                             uint32_t *len)
{
    wp_text t;
    *len = 0;
    if (f->kind != WP_FK_TEXT)
        return NULL;
    memcpy(&t, (const unsigned char *)&l->h + f->soff, sizeof t);
    if (t.off == 0 || t.off > p->caplen)
        return NULL;
    *len = t.len < p->caplen - t.off ? t.len : p->caplen - t.off;
    return p->data + t.off;
}

void wp_field_span(const wp_layer *l, const wp_field *f, uint32_t *off, uint32_t *len)
{
    *off = l->off + f->off;
    if (f->kind == WP_FK_TEXT) {
        wp_text t;
        memcpy(&t, (const unsigned char *)&l->h + f->soff, sizeof t);
        *off = t.off;
        *len = t.len;
    } else if (f->kind == WP_FK_OPTIONS) {
        *len = l->hdr_len > f->off ? l->hdr_len - f->off : 0;
        /* a cut option area: only what was captured */
        if (l->avail_end && *off < l->avail_end && *len > l->avail_end - *off)
            *len = l->avail_end - *off;
    } else {
        *len = f->width;
    }
}

const char *wp_linktype_name(int linktype)
{
    switch (linktype) {
    case WP_LINK_NULL:
        return "NULL";
    case WP_LINK_EN10MB:
        return "EN10MB";
    case WP_LINK_PPP:
        return "PPP";
    case WP_LINK_RAW:
        return "RAW";
    case WP_LINK_C_HDLC:
        return "C_HDLC";
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
    case WP_LINK_NFLOG:
        return "NFLOG";
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

/* Append the struct code for one unit to buf, merging repeats ("HH" stays
 * "HH" as Python writes it; byte strings are "Ns"). */
static size_t fmt_append(char *buf, size_t n, size_t pos, char code, unsigned width)
{
    char tmp[16];
    int k;
    if (code == 's' || (code == 'x' && width > 1))
        k = snprintf(tmp, sizeof tmp, "%u%c", width, code);
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
        if (f->off > next) /* reserved bytes (GRE's after its checksum, VXLAN's) */
            pos = fmt_append(buf, n, pos, 'x', f->off - next);
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
    wp_pseudo ps = {.ulen = ulen, .proto = proto};
    /* Each pass moves one layer down: at most l - p->layers passes. */
    for (const wp_layer *q = l; q > p->layers;) {
        q--;
        wp_pseudo_fn fn = q->proto < WP_PROTO_COUNT ? wp_proto_registry[q->proto].pseudo : NULL;
        if (fn && fn(p, q, &ps)) {
            *ok = 1;
            return ps.sum;
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
