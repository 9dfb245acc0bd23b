/* TCP (RFC 9293), over IPv4 or IPv6, with its options. */
#include <string.h>

#include "proto.h"

static const wp_event_def ev_truncated = {"tcp.truncated", "capture ends inside the TCP header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_doff_small = {"tcp.data_offset_invalid",
                                           "TCP data offset below 5 (20 bytes)", WP_EV_INVALID,
                                           " < "};
static const wp_event_def ev_doff_big = {"tcp.data_offset_exceeds_segment",
                                         "TCP header longer than the segment IP gives it",
                                         WP_EV_INVALID, " > "};
/* Two texts, one code: a length byte below 2, or a wrong fixed length. */
static const wp_event_def ev_opt_len_small = {"tcp.option_len_invalid",
                                              "TCP option length below 2", WP_EV_INVALID, " < "};
static const wp_event_def ev_opt_len_wrong = {"tcp.option_len_invalid",
                                              "TCP option length wrong for its kind",
                                              WP_EV_INVALID, " != "};
static const wp_event_def ev_opt_past = {"tcp.option_exceeds_header",
                                         "TCP option runs past the header (data offset)",
                                         WP_EV_INVALID, " > "};
static const wp_event_def ev_csum = {"tcp.checksum_bad", "TCP checksum does not match",
                                     WP_EV_CHECKSUM, " != "};

enum { OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WSCALE = 3, OPT_SACK_PERM = 4, OPT_SACK = 5,
       OPT_TIMESTAMP = 8 };

/* At most 40 option bytes; every pass consumes at least one. */
#define TCP_OPT_PASSES 40

const char wp_tcp_flag_names[WP_TCP_NFLAGS][4] = {"FIN", "SYN", "RST", "PSH", "ACK",
                                                   "URG", "ECE", "CWR", "AE"};

/* Flag names by bit, lowest first, as Wireshark lists them ("[SYN, ACK]"). */
static const char *describe_flags(uint64_t v, char *buf, size_t n)
{
    size_t pos = 0;
    if (n < 3)
        return NULL;
    buf[pos++] = '[';
    for (unsigned i = 0; i < WP_TCP_NFLAGS; i++) {
        if (!(v & (1u << i)))
            continue;
        const char *s = wp_tcp_flag_names[i];
        size_t k = strlen(s);
        size_t sep = pos > 1 ? 2 : 0;
        if (pos + sep + k + 2 > n)
            break; /* keep room for "]" and NUL */
        if (sep) {
            buf[pos++] = ',';
            buf[pos++] = ' ';
        }
        memcpy(buf + pos, s, k);
        pos += k;
    }
    buf[pos++] = ']';
    buf[pos] = '\0';
    return buf;
}

static const wp_field fields[] = {
    {.name = "sport", .title = "Source port", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_tcp_hdr, sport)},
    {.name = "dport", .title = "Destination port", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_tcp_hdr, dport)},
    {.name = "seq", .title = "Sequence number", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_tcp_hdr, seq)},
    {.name = "ack", .title = "Acknowledgment number", .off = 8, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_tcp_hdr, ack)},
    {.name = "data_offset", .title = "Data offset", .off = 12, .width = 2, .mask = 0xf000,
     .shift = 12, .mult = 4, .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_tcp_hdr, data_offset)},
    {.name = "flags", .title = "Flags", .off = 12, .width = 2, .mask = 0x0fff, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_tcp_hdr, flags), .describe = describe_flags},
    {.name = "window", .title = "Window", .off = 14, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_tcp_hdr, window)},
    {.name = "checksum", .title = "Checksum", .off = 16, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_tcp_hdr, checksum), .flags = WP_FF_CHECKSUM},
    {.name = "urgent", .title = "Urgent pointer", .off = 18, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_tcp_hdr, urgent)},
    {.name = "options", .title = "Options", .off = 20, .fmt = 's', .kind = WP_FK_OPTIONS},
};

const wp_proto_info wp_tcp_info = {"tcp", "Transmission Control Protocol", "TCP", fields,
                                   sizeof fields / sizeof fields[0]};

/* Name of TCP option kind ("mss"), or NULL for a kind wirepeel does not name. */
const char *wp_tcp_opt_name(unsigned kind)
{
    switch (kind) {
    case OPT_EOL:
        return "eol";
    case OPT_NOP:
        return "nop";
    case OPT_MSS:
        return "mss";
    case OPT_WSCALE:
        return "wscale";
    case OPT_SACK_PERM:
        return "sack_perm";
    case OPT_SACK:
        return "sack";
    case OPT_TIMESTAMP:
        return "timestamp";
    case 19:
        return "md5";
    case 29:
        return "tcp_ao";
    case 30:
        return "mptcp";
    case 34:
        return "tfo";
    default:
        return NULL;
    }
}

/* The length an option of this kind must have; 0: any (checked >= 2 only). */
static int opt_len_ok(uint8_t kind, uint8_t len)
{
    switch (kind) {
    case OPT_MSS:
        return len == 4;
    case OPT_WSCALE:
        return len == 3;
    case OPT_SACK_PERM:
        return len == 2;
    case OPT_TIMESTAMP:
        return len == 10;
    case OPT_SACK:
        return len >= 10 && (len - 2) % 8 == 0;
    default:
        return 1;
    }
}

static uint8_t opt_len_want(uint8_t kind)
{
    switch (kind) {
    case OPT_MSS:
        return 4;
    case OPT_WSCALE:
        return 3;
    case OPT_SACK_PERM:
        return 2;
    case OPT_TIMESTAMP:
        return 10;
    default:
        return 10; /* SACK: one block at least */
    }
}

/* Read the options in header bytes [20, hlen) of layer l, of which the
 * capture holds [20, avail). An option cut by the capture end is left out
 * quietly (tcp.truncated is already recorded); lengths that contradict the
 * kind or the header are events and mark the option bad, and the loop stops
 * at one it cannot step over safely. */
static void read_options(wp_packet *p, wp_layer *l, uint32_t hlen, uint32_t avail)
{
    const uint8_t *b = p->data + l->off;
    uint32_t pos = 20;
    for (unsigned pass = 0; pass < TCP_OPT_PASSES && pos < avail; pass++) {
        uint8_t kind = b[pos];
        if (kind == OPT_NOP) {
            /* The common filler: one byte, no value, nothing to check. */
            wp_opt *o = wp_pkt_opt(p, l);
            if (!o)
                return;
            o->kind = kind;
            o->len = 1;
            o->off = l->off + pos;
            pos++;
            continue;
        }
        if (kind == OPT_TIMESTAMP && avail - pos >= 10 && b[pos + 1] == 10) {
            /* The option on nearly every segment, whole and of its right
             * length: what the checks below would conclude. All 10 bytes
             * lie below avail, which is at most hlen. */
            wp_opt *o = wp_pkt_opt(p, l);
            if (!o)
                return;
            o->kind = kind;
            o->len = 10;
            o->off = l->off + pos;
            o->v[0] = wp_get_be32(b + pos + 2);
            o->v[1] = wp_get_be32(b + pos + 6);
            o->nv = 2;
            pos += 10;
            continue;
        }
        uint8_t len = 1;
        const wp_event_def *ev = NULL;
        uint32_t ev_val = 0, ev_ref = 0;
        int stop = 0;
        if (kind == OPT_EOL) {
            stop = 1; /* the rest of the header is padding */
        } else if (kind != OPT_NOP) {
            if (pos + 1 >= avail) {
                if (avail < hlen)
                    return; /* the length byte was not captured */
                len = 0;    /* the length byte would lie past the header */
                ev = &ev_opt_past;
                ev_val = pos + 2;
                ev_ref = hlen;
                stop = 1;
            } else {
                len = b[pos + 1];
                if (len < 2) {
                    /* Length 0 or 1 gives no way to find the next option. */
                    ev = &ev_opt_len_small;
                    ev_val = len;
                    ev_ref = 2;
                    stop = 1;
                } else if (len > hlen - pos) {
                    ev = &ev_opt_past;
                    ev_val = pos + len;
                    ev_ref = hlen;
                    stop = 1;
                } else if (len > avail - pos) {
                    return; /* cut by the capture: values unknown */
                } else if (!opt_len_ok(kind, len)) {
                    ev = &ev_opt_len_wrong; /* the length is still a usable step */
                    ev_val = len;
                    ev_ref = opt_len_want(kind);
                }
            }
        }
        wp_opt *o = wp_pkt_opt(p, l);
        if (!o)
            return;
        o->kind = kind;
        o->len = len;
        o->off = l->off + pos;
        if (ev) {
            o->bad = 1;
            wp_pkt_event(p, l, ev, ev_val, ev_ref);
        } else {
            const uint8_t *v = b + pos + 2;
            switch (kind) {
            case OPT_MSS:
                o->v[0] = wp_get_be16(v);
                o->nv = 1;
                break;
            case OPT_WSCALE:
                o->v[0] = v[0];
                o->nv = 1;
                break;
            case OPT_SACK:
                for (unsigned i = 0; i + 8u <= len - 2u && o->nv + 2 <= WP_OPT_MAXV; i += 8) {
                    o->v[o->nv++] = wp_get_be32(v + i);
                    o->v[o->nv++] = wp_get_be32(v + i + 4);
                }
                break;
            case OPT_TIMESTAMP:
                o->v[0] = wp_get_be32(v);
                o->v[1] = wp_get_be32(v + 4);
                o->nv = 2;
                break;
            default:
                break; /* EOL, NOP, sack_perm have no value; unknown keep kind+len */
            }
        }
        if (stop)
            return;
        pos += len;
    }
}

/* What a segment's data is: by the TCP port table (the destination port
 * first), kept only when the first bytes look like it (a segment in the
 * middle of a body or a record is data); HTTP also on any other port when
 * the data begins with a start line (a few byte compares, no state).
 * Otherwise payload. */
static unsigned app_proto(const wp_packet *p, const wp_next *nx, uint16_t sport, uint16_t dport)
{
    uint32_t end = wp_pkt_avail_end(p, nx);
    if (nx->off >= end)
        return WP_PROTO_PAYLOAD;
    const uint8_t *b = p->data + nx->off;
    uint32_t n = end - nx->off;
    /* an HTTP start line begins with A..Z, no TLS record does, and a
     * DNS-over-TCP length does only for a message of 16 KiB or more (left
     * as data); the rest goes by the port table, and only then by TLS's
     * first byte (20..24): DNS's length prefix may begin with any byte */
    if (b[0] >= 'A' && b[0] <= 'Z') {
        if (wp_proto_by_port_tcp1(dport) == WP_PROTO_TLS ||
            wp_proto_by_port_tcp1(sport) == WP_PROTO_TLS)
            return WP_PROTO_PAYLOAD;
        return wp_http_start(b, n) ? WP_PROTO_HTTP : WP_PROTO_PAYLOAD;
    }
    unsigned k = wp_proto_by_port_tcp1(dport);
    if (k == WP_PROTO_PAYLOAD)
        k = wp_proto_by_port_tcp1(sport);
    if (k == WP_PROTO_DNSTCP)
        return wp_dnstcp_start(b, n, nx->end - nx->off) ? WP_PROTO_DNSTCP : WP_PROTO_PAYLOAD;
    if (k != WP_PROTO_TLS || b[0] < 20 || b[0] > 24)
        return WP_PROTO_PAYLOAD;
    return wp_tls_record_start(b, n) ? WP_PROTO_TLS : WP_PROTO_PAYLOAD;
}

void wp_tcp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_TCP);
    if (!l)
        return;
    wp_tcp_hdr *h = &l->h.tcp;
    uint32_t seglen = nx->end > nx->off ? nx->end - nx->off : 0; /* what IP gives TCP */
    int quoted = (l->flags & WP_LF_QUOTED) != 0;
    uint16_t w;
    if (wp_cursor_remaining(&c) >= 20) {
        /* The whole fixed header is there: one bounds check above, then
         * plain reads at offsets 0..19, all below the 20 bytes checked. */
        const uint8_t *b = c.buf + c.off;
        h->sport = wp_get_be16(b);
        h->dport = wp_get_be16(b + 2);
        h->seq = wp_get_be32(b + 4);
        h->ack = wp_get_be32(b + 8);
        w = wp_get_be16(b + 12);
        h->window = wp_get_be16(b + 14);
        h->checksum = wp_get_be16(b + 16);
        h->urgent = wp_get_be16(b + 18);
        c.off += 20;
    } else {
        /* A cut header (an ICMP quote): field by field, so what was
         * captured stays and c.err records the cut. */
        h->sport = wp_cursor_be16(&c);
        h->dport = wp_cursor_be16(&c);
        h->seq = wp_cursor_be32(&c);
        h->ack = wp_cursor_be32(&c);
        w = wp_cursor_be16(&c);
        h->window = wp_cursor_be16(&c);
        h->checksum = wp_cursor_be16(&c);
        h->urgent = wp_cursor_be16(&c);
    }
    h->data_offset = (uint8_t)(w >> 12);
    h->flags = w & 0x0fff;
    l->hdr_len = 20;
    l->len = seglen;
    if (c.err) {
        /* An ICMP error need quote only 8 bytes of TCP (RFC 792): a short
         * quote is expected, so it is marked truncated without an event. */
        l->flags |= WP_LF_TRUNCATED;
        if (!quoted)
            wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 20);
        l->csum = WP_CSUM_UNVERIFIED;
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (h->data_offset < 5) {
        wp_pkt_event(p, l, &ev_doff_small, h->data_offset, 5);
        nx->off += 20;
        nx->proto = WP_PROTO_PAYLOAD;
        return; /* trust nothing after: the rest is shown as payload */
    }
    uint32_t hlen = h->data_offset * 4u;
    if (hlen > seglen && !quoted) {
        wp_pkt_event(p, l, &ev_doff_big, hlen, seglen);
        nx->off += 20;
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    l->hdr_len = hlen;
    uint32_t avail = c.len < hlen ? (uint32_t)c.len : hlen;
    if (avail < hlen) {
        l->flags |= WP_LF_TRUNCATED;
        if (!quoted)
            wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, hlen);
    }
    read_options(p, l, hlen, avail);
    if (avail < hlen) {
        l->csum = WP_CSUM_UNVERIFIED;
        nx->off += avail;
        nx->proto = WP_PROTO_NONE;
        return;
    }
    nx->off += hlen;
    nx->proto = WP_PROTO_PAYLOAD;
    if (seglen > hlen && !(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)))
        nx->proto = (uint8_t)app_proto(p, nx, h->sport, h->dport);
    /* --decode-as, after the port table: only a segment that carries data
     * has a payload to decode */
    if (p->dopts && !(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)) && nx->off < nx->end)
        nx->proto = (uint8_t)wp_pkt_decode_as(p, WP_PROTO_TCP, h->sport, h->dport, nx->proto);
    if (l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)) {
        l->csum = WP_CSUM_UNVERIFIED; /* only part of the segment is here */
        return;
    }
    int have_ip = 0;
    uint32_t pseudo = wp_pkt_pseudo(p, l, seglen, 6, &have_ip);
    if (!have_ip) {
        l->csum = WP_CSUM_UNVERIFIED;
        return;
    }
    wp_pkt_checksum(p, l, l->off, seglen, pseudo, l->off + 16, 1, &ev_csum);
}
