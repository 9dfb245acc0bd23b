/* IPv6 (RFC 8200) and its extension headers: hop-by-hop options, routing,
 * fragment and destination options, each its own layer. */
#include <stdio.h>

#include "proto.h"

/* At most this many extension headers after one IPv6 header: real stacks
 * send a handful; a longer chain is an attack on the parser. */
enum { IPV6_MAX_EXT = 8 };

/* IPv6 option types with a meaning wirepeel decodes. */
enum { OPT_PAD1 = 0, OPT_PADN = 1, OPT_RA = 5, OPT_JUMBO = 0xc2, OPT_HOME_ADDRESS = 0xc9 };

static const wp_event_def ev_truncated = {"ipv6.truncated",
                                          "capture ends inside the IPv6 header (40 bytes)",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_version = {"ipv6.version_invalid",
                                        "IP version in an IPv6 header is not 6", WP_EV_INVALID,
                                        " != "};
static const wp_event_def ev_len_big = {"ipv6.payload_len_exceeds_frame",
                                        "IPv6 payload length exceeds the frame", WP_EV_INVALID,
                                        " > "};
static const wp_event_def ev_chain = {"ipv6.ext_chain_too_long",
                                      "too many IPv6 extension headers: the rest is shown as "
                                      "payload",
                                      WP_EV_INVALID, " > "};
static const wp_event_def ev_hop_misplaced = {
    "ipv6.hopopts_misplaced", "hop-by-hop options header not directly after the IPv6 header",
    WP_EV_INVALID, NULL};
static const wp_event_def ev_jumbo_missing = {
    "ipv6.jumbo_missing", "IPv6 payload length 0 without a jumbo payload option", WP_EV_INVALID,
    NULL};

/* Per extension header kind: truncated, length beyond the IPv6 payload, and
 * a bad option length (hop-by-hop and destination options only). */
static const wp_event_def ev_hop_trunc = {"ipv6-hopopts.truncated",
                                          "capture ends inside the hop-by-hop options header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_hop_len = {"ipv6-hopopts.length_exceeds_payload",
                                        "hop-by-hop header length exceeds the IPv6 payload",
                                        WP_EV_INVALID, " > "};
static const wp_event_def ev_hop_opt = {"ipv6-hopopts.option_len_invalid",
                                        "hop-by-hop option runs past the header", WP_EV_INVALID,
                                        " > "};
static const wp_event_def ev_rt_trunc = {"ipv6-route.truncated",
                                         "capture ends inside the routing header",
                                         WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_rt_len = {"ipv6-route.length_exceeds_payload",
                                       "routing header length exceeds the IPv6 payload",
                                       WP_EV_INVALID, " > "};
static const wp_event_def ev_fr_trunc = {"ipv6-frag.truncated",
                                         "capture ends inside the fragment header",
                                         WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_fr_len = {"ipv6-frag.length_exceeds_payload",
                                       "fragment header exceeds the IPv6 payload", WP_EV_INVALID,
                                       " > "};
static const wp_event_def ev_do_trunc = {"ipv6-dstopts.truncated",
                                         "capture ends inside the destination options header",
                                         WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_do_len = {"ipv6-dstopts.length_exceeds_payload",
                                       "destination options length exceeds the IPv6 payload",
                                       WP_EV_INVALID, " > "};
static const wp_event_def ev_do_opt = {"ipv6-dstopts.option_len_invalid",
                                       "destination option runs past the header", WP_EV_INVALID,
                                       " > "};

/* The total header length that hdr_ext_len stands for. */
static const char *ext_len_name(uint64_t v, char *buf, size_t n)
{
    snprintf(buf, n, "header is %u bytes", (unsigned)((v + 1) * 8));
    return buf;
}

static const char *routing_type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0:
        return "Type 0 source route (deprecated)";
    case 2:
        return "Type 2 (Mobile IPv6)";
    case 3:
        return "RPL source route";
    case 4:
        return "Segment routing (SRH)";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "version", .title = "Version", .width = 4, .mask = 0xf0000000u, .shift = 28,
     .fmt = 'I', .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_hdr, version)},
    {.name = "tclass", .title = "Traffic class", .width = 4, .mask = 0x0ff00000u, .shift = 20,
     .fmt = 'I', .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ipv6_hdr, tclass)},
    {.name = "flow", .title = "Flow label", .width = 4, .mask = 0x000fffffu, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ipv6_hdr, flow)},
    {.name = "payload_len", .title = "Payload length", .off = 4, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_hdr, payload_len)},
    {.name = "next_header", .title = "Next header", .off = 6, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_hdr, next_header), .describe = wp_ipproto_name},
    {.name = "hop_limit", .title = "Hop limit", .off = 7, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_hdr, hop_limit)},
    {.name = "src", .title = "Source address", .off = 8, .width = 16, .fmt = 's',
     .kind = WP_FK_IPV6, WP_FIELD_AT(wp_ipv6_hdr, src)},
    {.name = "dst", .title = "Destination address", .off = 24, .width = 16, .fmt = 's',
     .kind = WP_FK_IPV6, WP_FIELD_AT(wp_ipv6_hdr, dst)},
};

const wp_proto_info wp_ipv6_info = {"ipv6", "Internet Protocol version 6", "IPv6", fields,
                                    sizeof fields / sizeof fields[0]};

/* The fields every extension header starts with; hdr_ext_len counts 8-byte
 * units after the first 8 bytes. It has no "× 8" multiplier: value × 8 is not
 * the header's length ((value + 1) × 8 is), and its description says that.
 * The rows are shared by the three tables below. */
#define EXT_NEXT_HEADER                                                                     \
    {.name = "next_header", .title = "Next header", .width = 1, .fmt = 'B',                  \
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_ext_hdr, next_header),                         \
     .describe = wp_ipproto_name}
#define EXT_HDR_EXT_LEN                                                                     \
    {.name = "hdr_ext_len",                                                                  \
     .title = "Header extension length (8-byte units after the first 8)", .off = 1,         \
     .width = 1, .fmt = 'B', .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_ext_hdr, hdr_ext_len), \
     .describe = ext_len_name}

static const wp_field opts_fields[] = {
    EXT_NEXT_HEADER,
    EXT_HDR_EXT_LEN,
    {.name = "options", .title = "Options", .off = 2, .fmt = 's', .kind = WP_FK_OPTIONS},
};

static const wp_field route_fields[] = {
    EXT_NEXT_HEADER,
    EXT_HDR_EXT_LEN,
    {.name = "routing_type", .title = "Routing type", .off = 2, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_ext_hdr, routing_type),
     .describe = routing_type_name},
    {.name = "segments_left", .title = "Segments left", .off = 3, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv6_ext_hdr, segments_left)},
    /* the type-specific data (addresses, segment list) up to the header's end */
    {.name = "data", .title = "Type-specific data", .off = 4, .fmt = 's', .kind = WP_FK_OPTIONS},
};

/* The fragment header's byte 1 is reserved; it lives in hdr_ext_len. */
static const wp_field frag_fields[] = {
    EXT_NEXT_HEADER,
    {.name = "reserved", .title = "Reserved", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ipv6_ext_hdr, hdr_ext_len)},
    {.name = "offset", .title = "Fragment offset (8-byte units)", .off = 2, .width = 2,
     .mask = 0xfff8u, .shift = 3, .mult = 8, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_ipv6_ext_hdr, offset)},
    {.name = "m", .title = "More fragments", .off = 2, .width = 2, .mask = 0x0001u, .fmt = 'H',
     .kind = WP_FK_BOOL, WP_FIELD_AT(wp_ipv6_ext_hdr, m)},
    {.name = "id", .title = "Identification", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ipv6_ext_hdr, id)},
};

const wp_proto_info wp_ipv6_hopopts_info = {"ipv6-hopopts", "IPv6 Hop-by-Hop Options",
                                            "IPv6 HBH", opts_fields,
                                            sizeof opts_fields / sizeof opts_fields[0]};
const wp_proto_info wp_ipv6_route_info = {"ipv6-route", "IPv6 Routing Header", "IPv6 Route",
                                          route_fields,
                                          sizeof route_fields / sizeof route_fields[0]};
const wp_proto_info wp_ipv6_frag_info = {"ipv6-frag", "IPv6 Fragment Header", "IPv6 Frag",
                                         frag_fields, sizeof frag_fields / sizeof frag_fields[0]};
const wp_proto_info wp_ipv6_dstopts_info = {"ipv6-dstopts", "IPv6 Destination Options",
                                            "IPv6 DstOpts", opts_fields,
                                            sizeof opts_fields / sizeof opts_fields[0]};

/* Option names for hop-by-hop and destination options (NULL: unknown). */
const char *wp_ipv6_opt_name(unsigned kind)
{
    switch (kind) {
    case OPT_PAD1:
        return "pad1";
    case OPT_PADN:
        return "padn";
    case OPT_RA:
        return "ra";
    case OPT_JUMBO:
        return "jumbo";
    case 0x04:
        return "tunnel_limit";
    case OPT_HOME_ADDRESS:
        return "home_address";
    default:
        return NULL;
    }
}

int wp_ipv6_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps)
{
    (void)p;
    uint32_t s = wp_csum_add(0, ps->home_src ? ps->home_src : q->h.ipv6.src, 16);
    s = wp_csum_add(s, ps->final_dst ? ps->final_dst : q->h.ipv6.dst, 16);
    s = wp_csum_add16(s, (uint16_t)(ps->ulen >> 16));
    s = wp_csum_add16(s, (uint16_t)ps->ulen);
    ps->sum = wp_csum_add16(s, ps->proto);
    return 1;
}

int wp_ipv6_route_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps)
{
    /* With segments still to visit, the destination that counts is the
     * final one in the routing header (RFC 8200 8.1); the nearest such
     * header wins. Only a whole, captured header is read. */
    if (ps->final_dst || q->h.ext.segments_left == 0 || q->h.ext.hdr_ext_len < 2 ||
        (q->flags & WP_LF_TRUNCATED) || q->off > p->caplen || q->hdr_len > p->caplen - q->off)
        return 0;
    if (q->h.ext.routing_type == 0 || q->h.ext.routing_type == 2)
        ps->final_dst = p->data + q->off + 8 + 16u * (q->h.ext.hdr_ext_len / 2u - 1u);
    else if (q->h.ext.routing_type == 4) /* SRH: segment list[0] is the last */
        ps->final_dst = p->data + q->off + 8;
    return 0;
}

int wp_ipv6_dstopts_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps)
{
    /* A mobile node away from home sends from its care-of address and
     * names its home address in this option; the upper layer's checksum
     * is over the home address (RFC 6275 6.3). The nearest such option
     * wins; only a whole, well-formed, captured one is read. */
    if (ps->home_src)
        return 0;
    for (unsigned i = 0; i < q->opt_count && (unsigned)q->opt_first + i < p->nopts; i++) {
        const wp_opt *o = &p->opts[q->opt_first + i];
        if (o->kind != OPT_HOME_ADDRESS || o->len != 18 || o->bad)
            continue;
        if (o->off > p->caplen || 18 > p->caplen - o->off)
            return 0;
        ps->home_src = p->data + o->off + 2;
        return 0;
    }
    return 0;
}

/* The decoder kind for a next-header value inside an IPv6 packet. */
static unsigned next_proto(uint8_t nh)
{
    switch (nh) {
    case 0:
        return WP_PROTO_IPV6_HOPOPTS;
    case 43:
        return WP_PROTO_IPV6_ROUTE;
    case 44:
        return WP_PROTO_IPV6_FRAG;
    case 60:
        return WP_PROTO_IPV6_DSTOPTS;
    case 59:
        return WP_PROTO_NONE; /* no next header: what follows is not a header */
    default:
        return wp_proto_by_ipproto(nh);
    }
}

void wp_ipv6_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_IPV6);
    if (!l)
        return;
    wp_ipv6_hdr *h = &l->h.ipv6;
    uint32_t w = wp_cursor_be32(&c);
    h->version = (uint8_t)(w >> 28);
    h->tclass = (uint8_t)(w >> 20);
    h->flow = w & 0xfffffu;
    h->payload_len = wp_cursor_be16(&c);
    h->next_header = wp_cursor_u8(&c);
    h->hop_limit = wp_cursor_u8(&c);
    wp_cursor_bytes(&c, h->src, 16);
    wp_cursor_bytes(&c, h->dst, 16);
    l->hdr_len = 40;
    l->len = 40u + h->payload_len;
    if (c.err) {
        /* Partial fields: the cursor read them field by field, so what was
         * read stays; wp_field_shown hides what was not captured. */
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 40);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (h->version != 6) {
        wp_pkt_event(p, l, &ev_version, h->version, 6);
        nx->off += 40;
        nx->proto = WP_PROTO_PAYLOAD; /* trust nothing after */
        return;
    }
    uint32_t room = nx->end - nx->off - 40; /* the cursor proved 40 fit */
    if (h->payload_len == 0 && h->next_header == 0) {
        /* A jumbogram (RFC 2675): the hop-by-hop jumbo option carries the
         * length; until it is read the packet is the rest of the frame. */
        l->len = 40 + room;
    } else if (h->payload_len > room) {
        /* nx->end is the wire length (or an outer length field), so a snap
         * length cut never lands here; a quote or a fragment is short by
         * nature. The header is wrong: keep what the container allows. */
        if (!(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)))
            wp_pkt_event(p, l, &ev_len_big, h->payload_len, room);
    } else {
        nx->end = nx->off + 40u + h->payload_len;
    }
    nx->off += 40;
    nx->proto = (uint8_t)next_proto(h->next_header);
}

static int is_ext(unsigned proto)
{
    return proto == WP_PROTO_IPV6_HOPOPTS || proto == WP_PROTO_IPV6_ROUTE ||
           proto == WP_PROTO_IPV6_FRAG || proto == WP_PROTO_IPV6_DSTOPTS;
}

/* Walk the options of a complete hop-by-hop or destination options header
 * [2, hlen) of layer l; store them as wp_opt (kind, total length saturated at
 * 255, values: jumbo v[0] = payload length, ra v[0] = value). Returns 1 and
 * *jumbo when a well-formed jumbo payload option was seen. */
static int walk_options(wp_packet *p, wp_layer *l, uint32_t hlen, const wp_event_def *bad,
                        uint32_t *jumbo)
{
    const uint8_t *b = p->data + l->off;
    int have_jumbo = 0;
    uint32_t o = 2;
    while (o < hlen) {
        uint8_t kind = b[o];
        uint32_t olen = 1;
        if (kind != OPT_PAD1)
            olen = o + 1 < hlen ? 2u + b[o + 1] : 2u;
        wp_opt *op = wp_pkt_opt(p, l); /* NULL once the pool is full: keep walking */
        if (op) {
            op->kind = kind;
            op->len = (uint8_t)(olen > 255 ? 255 : olen);
            op->off = l->off + o;
        }
        if (olen > hlen - o) {
            if (op)
                op->bad = 1;
            wp_pkt_event(p, l, bad, olen, hlen - o);
            break;
        }
        if (kind == OPT_JUMBO && olen == 6) {
            *jumbo = wp_get_be32(b + o + 2);
            have_jumbo = 1;
            if (op) {
                op->v[0] = *jumbo;
                op->nv = 1;
            }
        } else if (kind == OPT_RA && olen == 4 && op) {
            op->v[0] = wp_get_be16(b + o + 2);
            op->nv = 1;
        }
        o += olen; /* olen >= 1: every pass moves on */
    }
    return have_jumbo;
}

/* A hop-by-hop header right after an IPv6 header with payload length 0:
 * the jumbo option gives the real length (RFC 2675). */
static void apply_jumbo(wp_packet *p, wp_layer *ip, int have, uint32_t jumbo, wp_next *nx)
{
    if (!have) {
        wp_pkt_event(p, ip, &ev_jumbo_missing, 0, 0);
        return;
    }
    uint32_t room = nx->end - ip->off - 40; /* IPv6 checked its 40 bytes fit */
    if (jumbo > room) {
        if (!(ip->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)))
            wp_pkt_event(p, ip, &ev_len_big, jumbo, room);
        return;
    }
    ip->len = 40 + jumbo;
    nx->end = ip->off + 40 + jumbo;
}

void wp_ipv6_ext_decode(wp_packet *p, wp_next *nx)
{
    unsigned proto = nx->proto;
    /* Extension headers already decoded after the IPv6 header that owns
     * this chain (the layers are contiguous). */
    unsigned n = 0;
    while (n < p->nlayers && is_ext(p->layers[p->nlayers - 1 - n].proto))
        n++;
    wp_layer *prev = p->nlayers > 0 ? &p->layers[p->nlayers - 1] : NULL;
    if (n >= IPV6_MAX_EXT) {
        wp_pkt_event(p, prev, &ev_chain, n + 1, IPV6_MAX_EXT);
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }

    const wp_event_def *ev_trunc = &ev_hop_trunc, *ev_len = &ev_hop_len, *ev_opt = &ev_hop_opt;
    if (proto == WP_PROTO_IPV6_ROUTE) {
        ev_trunc = &ev_rt_trunc;
        ev_len = &ev_rt_len;
    } else if (proto == WP_PROTO_IPV6_FRAG) {
        ev_trunc = &ev_fr_trunc;
        ev_len = &ev_fr_len;
    } else if (proto == WP_PROTO_IPV6_DSTOPTS) {
        ev_trunc = &ev_do_trunc;
        ev_len = &ev_do_len;
        ev_opt = &ev_do_opt;
    } else if (proto != WP_PROTO_IPV6_HOPOPTS) {
        return;
    }

    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    uint32_t avail = (uint32_t)c.len; /* inside the IPv6 payload and the capture */
    if (!(nx->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT))) {
        /* A header that runs past the IPv6 payload shows the bytes the frame
         * holds there rather than zeros; only its length is then judged. */
        wp_next wide = *nx;
        wide.end = p->caplen;
        wp_pkt_cursor(p, &wide, &c);
    }
    wp_layer *l = wp_pkt_push(p, nx, proto);
    if (!l)
        return;
    wp_ipv6_ext_hdr *h = &l->h.ext;
    h->next_header = wp_cursor_u8(&c);
    h->hdr_ext_len = wp_cursor_u8(&c);
    uint32_t hlen;
    if (proto == WP_PROTO_IPV6_FRAG) {
        uint16_t w = wp_cursor_be16(&c);
        h->offset = (uint16_t)(w >> 3);
        h->m = (uint8_t)(w & 1);
        h->id = wp_cursor_be32(&c);
        hlen = 8;
    } else {
        if (proto == WP_PROTO_IPV6_ROUTE) {
            h->routing_type = wp_cursor_u8(&c);
            h->segments_left = wp_cursor_u8(&c);
        }
        hlen = (h->hdr_ext_len + 1u) * 8u;
    }
    uint32_t room = nx->end > nx->off ? nx->end - nx->off : 0;
    l->hdr_len = hlen;
    l->len = room;

    int after_ip = n == 0 && prev && prev->proto == WP_PROTO_IPV6;
    if (proto == WP_PROTO_IPV6_HOPOPTS && !after_ip)
        wp_pkt_event(p, l, &ev_hop_misplaced, 0, 0);

    if (hlen > avail) {
        /* Past the IPv6 payload is a contradiction; past the capture (or
         * the end of a quote or fragment) is a cut. */
        if (hlen > room && !(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT))) {
            wp_pkt_event(p, l, ev_len, hlen, room);
        } else {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, ev_trunc, avail, hlen);
        }
        nx->proto = WP_PROTO_NONE;
        nx->off += avail;
        return;
    }

    if (proto == WP_PROTO_IPV6_HOPOPTS || proto == WP_PROTO_IPV6_DSTOPTS) {
        uint32_t jumbo = 0;
        int have = walk_options(p, l, hlen, ev_opt, &jumbo);
        if (proto == WP_PROTO_IPV6_HOPOPTS && after_ip && prev->h.ipv6.payload_len == 0 &&
            prev->h.ipv6.next_header == 0)
            apply_jumbo(p, prev, have, jumbo, nx);
        l->len = nx->end - nx->off;
    }

    nx->off += hlen;
    nx->proto = (uint8_t)next_proto(h->next_header);
    if (proto == WP_PROTO_IPV6_FRAG) {
        /* As for IPv4: only the first fragment starts with the next header;
         * its lengths and checksum cover the whole datagram. */
        if (h->offset > 0)
            nx->proto = WP_PROTO_FRAGMENT;
        else if (h->m)
            nx->flags |= WP_LF_FRAGMENT;
    }
}
