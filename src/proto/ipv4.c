/* IPv4 (RFC 791) with its options (RFC 791, RFC 781 timestamp, RFC 2113
 * router alert) and fragments. */
#include "wirepeel/checksum.h"
#include "proto.h"

static const wp_event_def ev_truncated = {"ipv4.truncated", "capture ends inside the IPv4 header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_version = {"ipv4.version_invalid", "IP version is not 4",
                                        WP_EV_INVALID, " != "};
static const wp_event_def ev_ihl = {"ipv4.ihl_invalid",
                                    "IHL below 5 (a header is at least 20 bytes)", WP_EV_INVALID,
                                    " < "};
static const wp_event_def ev_total_small = {"ipv4.total_len_invalid",
                                            "total length below the header length",
                                            WP_EV_INVALID, " < "};
static const wp_event_def ev_total_big = {"ipv4.total_len_exceeds_frame",
                                          "total length exceeds the bytes the frame carries",
                                          WP_EV_INVALID, " > "};
static const wp_event_def ev_total_zero = {
    "ipv4.total_len_zero",
    "total length 0 (segmentation offload on the capturing host): the frame's length is used",
    WP_EV_NOTE, NULL};
static const wp_event_def ev_csum = {"ipv4.checksum_bad", "IPv4 header checksum does not match",
                                     WP_EV_CHECKSUM, " != "};
static const wp_event_def ev_opt_len = {"ipv4.option_len_invalid",
                                        "IPv4 option length invalid (below 2, wrong for the "
                                        "option, or past the header end)",
                                        WP_EV_INVALID, NULL};

enum {
    OPT_EOL = 0,
    OPT_NOP = 1,
    OPT_RR = 7,
    OPT_TS = 68,
    OPT_LSRR = 131,
    OPT_SSRR = 137,
    OPT_RA = 148,
};

/* Names of the IPv4 option kinds wirepeel decodes; NULL for any other. */
const char *wp_ipv4_opt_name(unsigned kind)
{
    switch (kind) {
    case OPT_EOL:
        return "eol";
    case OPT_NOP:
        return "nop";
    case OPT_RR:
        return "rr";
    case OPT_TS:
        return "ts";
    case OPT_LSRR:
        return "lsrr";
    case OPT_SSRR:
        return "ssrr";
    case OPT_RA:
        return "ra";
    default:
        return NULL;
    }
}

int wp_ipv4_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps)
{
    const wp_ipv4_hdr *ip = &q->h.ipv4;
    /* Four 16-bit words and two small numbers: the plain integer sum (what
     * wp_csum_add gives for them), no call needed. */
    uint32_t s = (uint32_t)wp_get_be16(ip->src) + wp_get_be16(ip->src + 2) +
                 wp_get_be16(ip->dst) + wp_get_be16(ip->dst + 2);
    /* A source route not yet done (pointer within the option) names the
     * final destination last (RFC 1122 3.2.1.8): it counts. */
    for (unsigned i = 0; i < q->opt_count && q->opt_first + i < p->nopts; i++) {
        const wp_opt *o = &p->opts[q->opt_first + i];
        if ((o->kind == OPT_LSRR || o->kind == OPT_SSRR) && !o->bad && o->nv >= 2 &&
            o->v[0] <= o->len) {
            uint32_t a = o->v[o->nv - 1];
            s = (uint32_t)wp_get_be16(ip->src) + wp_get_be16(ip->src + 2) + (uint16_t)(a >> 16) +
                (uint16_t)a;
            break;
        }
    }
    ps->sum = s + ps->proto + (uint16_t)ps->ulen; /* at most 6 * 0xffff: no carry out */
    return 1;
}

/* Names for IP protocol / IPv6 next-header numbers, shared by IPv4's proto
 * and IPv6's next_header fields; NULL for numbers without one. */
const char *wp_ipproto_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0:
        return "Hop-by-hop options";
    case 1:
        return "ICMP";
    case 2:
        return "IGMP";
    case 4:
        return "IPv4 (IP-in-IP)";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 41:
        return "IPv6";
    case 43:
        return "Routing";
    case 44:
        return "Fragment";
    case 47:
        return "GRE";
    case 50:
        return "ESP";
    case 51:
        return "AH";
    case 58:
        return "ICMPv6";
    case 59:
        return "No next header";
    case 60:
        return "Destination options";
    case 89:
        return "OSPF";
    case 103:
        return "PIM";
    case 112:
        return "VRRP";
    case 132:
        return "SCTP";
    case 135:
        return "Mobility";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "version", .title = "Version", .width = 1, .mask = 0xf0, .shift = 4, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv4_hdr, version)},
    {.name = "ihl", .title = "Header length (IHL)", .width = 1, .mask = 0x0f, .mult = 4, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv4_hdr, ihl)},
    {.name = "dscp", .title = "DSCP", .off = 1, .width = 1, .mask = 0xfc, .shift = 2, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv4_hdr, dscp)},
    {.name = "ecn", .title = "ECN", .off = 1, .width = 1, .mask = 0x03, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv4_hdr, ecn)},
    {.name = "total_len", .title = "Total length", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv4_hdr, total_len)},
    {.name = "id", .title = "Identification", .off = 4, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_ipv4_hdr, id)},
    {.name = "flags", .title = "Flags", .off = 6, .width = 2, .mask = 0xe000, .shift = 13,
     .fmt = 'H', .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ipv4_hdr, flags)},
    {.name = "df", .title = "Don't fragment", .off = 6, .width = 2, .mask = 0x4000, .shift = 14,
     .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_ipv4_hdr, df)},
    {.name = "mf", .title = "More fragments", .off = 6, .width = 2, .mask = 0x2000, .shift = 13,
     .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_ipv4_hdr, mf)},
    {.name = "frag_offset", .title = "Fragment offset", .off = 6, .width = 2, .mask = 0x1fff,
     .mult = 8, .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_ipv4_hdr, frag_offset)},
    {.name = "ttl", .title = "Time to live", .off = 8, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_ipv4_hdr, ttl)},
    {.name = "proto", .title = "Protocol", .off = 9, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_ipv4_hdr, proto), .describe = wp_ipproto_name},
    {.name = "checksum", .title = "Header checksum", .off = 10, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ipv4_hdr, checksum), .flags = WP_FF_CHECKSUM},
    {.name = "src", .title = "Source address", .off = 12, .width = 4, .fmt = 's',
     .kind = WP_FK_IPV4, WP_FIELD_AT(wp_ipv4_hdr, src)},
    {.name = "dst", .title = "Destination address", .off = 16, .width = 4, .fmt = 's',
     .kind = WP_FK_IPV4, WP_FIELD_AT(wp_ipv4_hdr, dst)},
    {.name = "options", .title = "Options", .off = 20, .fmt = 's', .kind = WP_FK_OPTIONS},
};

const wp_proto_info wp_ipv4_info = {"ipv4", "Internet Protocol version 4", "IPv4", fields,
                                    sizeof fields / sizeof fields[0]};

/* Read the options in frame bytes [start, hend), of which only those before
 * cend were captured. Stops at EOL, at a length that cannot be walked, at
 * the capture's end or when the option pool is full. */
static void read_options(wp_packet *p, wp_layer *l, uint32_t start, uint32_t hend,
                         uint32_t cend)
{
    const uint8_t *d = p->data;
    uint32_t pos = start;
    /* At most 40 option bytes, and every pass moves pos by at least one. */
    for (unsigned pass = 0; pass < 40 && pos < hend && pos < cend; pass++) {
        uint8_t kind = d[pos];
        uint8_t len = 1;
        int bad = 0;
        if (kind != OPT_EOL && kind != OPT_NOP) {
            if (hend - pos < 2) {
                bad = 1; /* the kind byte is the header's last: no length */
            } else if (pos + 1 >= cend) {
                return; /* the capture ends before the length byte */
            } else {
                len = d[pos + 1];
                bad = len < 2 || len > hend - pos;
                if (!bad && len > cend - pos)
                    return; /* cut by the capture; ipv4.truncated says so */
            }
        }
        wp_opt *o = wp_pkt_opt(p, l);
        if (!o)
            return;
        o->kind = kind;
        o->off = pos;
        o->len = len;
        if (bad) {
            o->bad = 1;
            wp_pkt_event(p, l, &ev_opt_len, kind, len);
            return; /* the next option's start is unknown */
        }
        if (kind == OPT_EOL)
            return; /* what follows is padding */
        if (kind == OPT_NOP) {
            pos++;
            continue;
        }
        const uint8_t *b = d + pos;
        switch (kind) {
        case OPT_RR:
        case OPT_LSRR:
        case OPT_SSRR:
            if (len < 3 || (len - 3) % 4 != 0) {
                o->bad = 1;
                wp_pkt_event(p, l, &ev_opt_len, kind, len);
            }
            if (len >= 3) {
                o->v[o->nv++] = b[2];
                for (uint32_t i = 3; i + 4 <= len && o->nv < WP_OPT_MAXV; i += 4)
                    o->v[o->nv++] = wp_get_be32(b + i);
            }
            break;
        case OPT_TS:
            if (len < 4 || (len - 4) % 4 != 0) {
                o->bad = 1;
                wp_pkt_event(p, l, &ev_opt_len, kind, len);
            }
            if (len >= 4) {
                o->v[o->nv++] = b[2];
                o->v[o->nv++] = b[3];
                for (uint32_t i = 4; i + 4 <= len && o->nv < WP_OPT_MAXV; i += 4)
                    o->v[o->nv++] = wp_get_be32(b + i);
            }
            break;
        case OPT_RA:
            if (len != 4) {
                o->bad = 1;
                wp_pkt_event(p, l, &ev_opt_len, kind, len);
            } else {
                o->v[o->nv++] = wp_get_be16(b + 2);
            }
            break;
        default:
            break; /* unknown: kind and length; its data stays in the frame */
        }
        pos += len;
    }
}

/* The IPv4 header's checksum covers only the header, which is whole even in
 * a fragment or an ICMP quote, so those flags do not make it unverified.
 * The caller has checked that all hl bytes (20..60, a multiple of 4) were
 * captured, so the reads below stay inside them. The sum of the header's
 * big-endian 32-bit words is congruent mod 0xffff to the sum of its 16-bit
 * words (2^16 = 1 mod 0xffff), and as a plain integer sum (at most 15 words,
 * < 2^36) it is 0 only when every byte is: folded, it gives exactly the
 * word-by-word fold. The checksum field is the low half of the third word,
 * so subtracting it leaves the sum without it, as csum_computed wants. */
static void verify_header(wp_packet *p, wp_layer *l, uint32_t hl)
{
    const uint8_t *b = p->data + l->off;
    uint64_t acc = (uint64_t)wp_get_be32(b) + wp_get_be32(b + 4) + wp_get_be32(b + 8) +
                   wp_get_be32(b + 12) + wp_get_be32(b + 16);
    for (uint32_t i = 20; i < hl; i += 4) /* options: at most 10 words */
        acc += wp_get_be32(b + i);
    uint16_t stored = l->h.ipv4.checksum;
    acc -= stored;
    acc = (acc & 0xffffffffu) + (acc >> 32); /* < 2^33 */
    acc = (acc & 0xffffffffu) + (acc >> 32); /* < 2^32 */
    uint16_t want = wp_csum_finish((uint32_t)acc);
    l->csum_computed = want;
    if (wp_pkt_csum_match(want, stored)) {
        l->csum = WP_CSUM_GOOD;
        return;
    }
    wp_pkt_csum_mismatch(p, l, stored, want, 0, 0, &ev_csum);
}

void wp_ipv4_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_IPV4);
    if (!l)
        return;
    wp_ipv4_hdr *h = &l->h.ipv4;
    uint8_t b0, b1;
    uint16_t ff;
    if (wp_cursor_remaining(&c) >= 20) {
        /* The whole fixed header is there: one bounds check above, then
         * plain reads at offsets 0..19, all below the 20 bytes checked. */
        const uint8_t *b = c.buf + c.off;
        b0 = b[0];
        b1 = b[1];
        h->total_len = wp_get_be16(b + 2);
        h->id = wp_get_be16(b + 4);
        ff = wp_get_be16(b + 6);
        h->ttl = b[8];
        h->proto = b[9];
        h->checksum = wp_get_be16(b + 10);
        memcpy(h->src, b + 12, 4);
        memcpy(h->dst, b + 16, 4);
        c.off += 20;
    } else {
        /* A cut header: field by field, so what was captured stays. */
        b0 = wp_cursor_u8(&c);
        b1 = wp_cursor_u8(&c);
        h->total_len = wp_cursor_be16(&c);
        h->id = wp_cursor_be16(&c);
        ff = wp_cursor_be16(&c);
        h->ttl = wp_cursor_u8(&c);
        h->proto = wp_cursor_u8(&c);
        h->checksum = wp_cursor_be16(&c);
        wp_cursor_bytes(&c, h->src, 4);
        wp_cursor_bytes(&c, h->dst, 4);
    }
    h->version = b0 >> 4;
    h->ihl = b0 & 0x0f;
    h->dscp = b1 >> 2;
    h->ecn = b1 & 0x03;
    h->flags = (uint8_t)(ff >> 13);
    h->df = (ff >> 14) & 1;
    h->mf = (ff >> 13) & 1;
    h->frag_offset = ff & 0x1fff;

    /* Until IHL can be trusted the header is taken as its fixed 20 bytes. */
    uint32_t hl = h->ihl >= 5 ? h->ihl * 4u : 20u;
    uint32_t have = (uint32_t)c.len; /* header bytes this layer can read */
    l->hdr_len = hl;
    l->len = c.len >= 4 ? h->total_len : have;
    nx->proto = WP_PROTO_NONE;

    if (c.len >= 1 && h->version != 4)
        wp_pkt_event(p, l, &ev_version, h->version, 4);
    if (c.len >= 1 && h->ihl < 5) {
        wp_pkt_event(p, l, &ev_ihl, h->ihl, 5);
        nx->off += have < 20 ? have : 20;
        return;
    }
    if (have < hl) {
        /* Whatever options were captured are still worth showing. */
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, have, hl);
        if (have > 20 && h->version == 4) /* as for a whole header below */
            read_options(p, l, l->off + 20, l->off + hl, l->off + have);
        l->csum = WP_CSUM_UNVERIFIED;
        nx->off += have;
        return;
    }
    nx->off += hl;
    if (h->version != 4) {
        /* Not an IPv4 header: its options, checksum and what it carries
         * would only be noise. */
        l->csum = WP_CSUM_UNVERIFIED;
        return;
    }
    if (hl > 20) /* with no option bytes the loop would not run */
        read_options(p, l, l->off + 20, l->off + hl, l->off + hl);
    verify_header(p, l, hl);

    /* nx->end is what the outer layer (or the frame on the wire) allows. A
     * quote in an ICMP error is cut on purpose: its length is the original's. */
    uint32_t room = nx->end - l->off;
    if (h->total_len == 0) {
        /* TSO/GSO and Linux BIG TCP hand the NIC one huge segment with
         * total length 0; Wireshark reads the length from the frame too. */
        wp_pkt_event(p, l, &ev_total_zero, 0, room);
        l->len = room;
    } else if (h->total_len < hl) {
        wp_pkt_event(p, l, &ev_total_small, h->total_len, hl);
        return;
    } else if (h->total_len <= room) {
        nx->end = l->off + h->total_len; /* bytes after it are a trailer */
    } else if (!(l->flags & WP_LF_QUOTED)) {
        wp_pkt_event(p, l, &ev_total_big, h->total_len, room);
        return;
    }

    if (h->frag_offset > 0) {
        nx->proto = WP_PROTO_FRAGMENT; /* only the first fragment has headers */
        return;
    }
    if (h->mf)
        nx->flags |= WP_LF_FRAGMENT;
    nx->proto = (uint8_t)wp_proto_by_ipproto(h->proto);
}
