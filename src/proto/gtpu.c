/* GTP-U (3GPP TS 29.281), UDP port 2152: 8 mandatory bytes (flags, message
 * type, length, TEID); when any of E, S or PN is set, 4 more (sequence
 * number, N-PDU number, next extension header type) and then the chain of
 * extension headers. A T-PDU (type 255) carries an IP packet, IPv4 or IPv6
 * by its first nibble. */
#include "proto.h"

static const wp_event_def ev_truncated = {"gtpu.truncated", "capture ends inside the GTP-U header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_version = {"gtpu.version_unsupported",
                                        "GTP version other than 1 (or GTP'): payload not decoded",
                                        WP_EV_NOTE, NULL};
static const wp_event_def ev_length = {"gtpu.length_invalid",
                                       "GTP-U length shorter than its optional fields",
                                       WP_EV_INVALID, " < "};
static const wp_event_def ev_ext_len = {"gtpu.ext_length_invalid",
                                        "GTP-U extension header of length 0 or past the message's "
                                        "end",
                                        WP_EV_INVALID, NULL};
static const wp_event_def ev_ext_cap = {"gtpu.ext_cap",
                                        "more GTP-U extension headers than wirepeel follows",
                                        WP_EV_INVALID, " > "};

#define GTP_E 0x04u
#define GTP_S 0x02u
#define GTP_PN 0x01u
#define GTPU_TPDU 255u
/* A chain longer than this is not followed (each header is at least 4 bytes,
 * so the loop also ends at the message's end). */
#define GTPU_MAX_EXT 16u

static int has_opt(const wp_layer *l)
{
    return l->h.gtpu.has_opt;
}

static const wp_field fields[] = {
    {.name = "flags", .title = "Flags", .width = 1, .fmt = 'B', .kind = WP_FK_UINT, .hex = 1,
     WP_FIELD_AT(wp_gtpu_hdr, flags)},
    {.name = "version", .title = "Version", .width = 1, .mask = 0xe0, .shift = 5, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gtpu_hdr, version)},
    {.name = "pt", .title = "Protocol type (1: GTP)", .width = 1, .mask = 0x10, .shift = 4,
     .fmt = 'B', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_gtpu_hdr, pt)},
    {.name = "e", .title = "Extension header present", .width = 1, .mask = 0x04, .shift = 2,
     .fmt = 'B', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_gtpu_hdr, e)},
    {.name = "s", .title = "Sequence number present", .width = 1, .mask = 0x02, .shift = 1,
     .fmt = 'B', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_gtpu_hdr, s)},
    {.name = "pn", .title = "N-PDU number present", .width = 1, .mask = 0x01, .fmt = 'B',
     .kind = WP_FK_BOOL, WP_FIELD_AT(wp_gtpu_hdr, pn)},
    {.name = "type", .title = "Message type", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gtpu_hdr, type)},
    {.name = "length", .title = "Length (after the first 8 bytes)", .off = 2, .width = 2,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_gtpu_hdr, length)},
    {.name = "teid", .title = "Tunnel endpoint identifier", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_gtpu_hdr, teid)},
    {.name = "seq", .title = "Sequence number", .off = 8, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gtpu_hdr, seq), .present = has_opt},
    {.name = "npdu", .title = "N-PDU number", .off = 10, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gtpu_hdr, npdu), .present = has_opt},
    {.name = "next_ext", .title = "Next extension header type", .off = 11, .width = 1,
     .fmt = 'B', .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_gtpu_hdr, next_ext),
     .present = has_opt},
};

const wp_proto_info wp_gtpu_info = {"gtpu", "GPRS Tunnelling Protocol, user plane", "GTP-U",
                                    fields, sizeof fields / sizeof fields[0]};

/* Walk the extension headers from off (the first one's type is next):
 * each is a length byte in 4-byte units (0 is invalid), its content and the
 * next type in its last byte. Returns the offset after the chain, or 0 when
 * the chain cannot be trusted (an event is recorded). */
static uint32_t skip_ext(wp_packet *p, wp_layer *l, uint32_t off, uint32_t end, uint8_t next)
{
    unsigned n = 0;
    uint32_t cap_end = end < p->caplen ? end : p->caplen;
    while (next != 0) {
        if (n++ == GTPU_MAX_EXT) {
            wp_pkt_event(p, l, &ev_ext_cap, n, GTPU_MAX_EXT);
            return 0;
        }
        if (off >= cap_end) {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_truncated, off - l->off, off - l->off + 1);
            return 0;
        }
        uint32_t len = 4u * p->data[off];
        if (len == 0 || len > end - off) {
            wp_pkt_event(p, l, &ev_ext_len, 0, 0);
            return 0;
        }
        if (len > cap_end - off) {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_truncated, cap_end - l->off, off + len - l->off);
            return 0;
        }
        next = p->data[off + len - 1];
        off += len;
    }
    return off;
}

void wp_gtpu_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_GTPU);
    if (!l)
        return;
    wp_gtpu_hdr *h = &l->h.gtpu;
    h->flags = wp_cursor_u8(&c);
    h->version = (uint8_t)(h->flags >> 5);
    h->pt = (uint8_t)((h->flags >> 4) & 1);
    h->e = (uint8_t)((h->flags & GTP_E) != 0);
    h->s = (uint8_t)((h->flags & GTP_S) != 0);
    h->pn = (uint8_t)((h->flags & GTP_PN) != 0);
    h->type = wp_cursor_u8(&c);
    h->length = wp_cursor_be16(&c);
    h->teid = wp_cursor_be32(&c);
    uint32_t need = 8;
    if (h->version == 1 && (h->flags & (GTP_E | GTP_S | GTP_PN))) {
        h->has_opt = 1;
        h->seq = wp_cursor_be16(&c);
        h->npdu = wp_cursor_u8(&c);
        h->next_ext = wp_cursor_u8(&c);
        need = 12;
    }
    l->hdr_len = need;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, need);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (h->version != 1 || !h->pt) {
        wp_pkt_event(p, l, &ev_version, h->version, 0);
        nx->off += 8;
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    /* The message ends where its length says, within the datagram. */
    uint32_t msg_end = nx->off + 8u + h->length;
    if (msg_end < nx->end)
        nx->end = msg_end;
    l->len = nx->end - nx->off;
    if (need - 8u > h->length) {
        wp_pkt_event(p, l, &ev_length, h->length, need - 8u);
        nx->off += 8;
        nx->proto = WP_PROTO_NONE;
        return;
    }
    uint32_t off = nx->off + need;
    if (h->has_opt && (h->flags & GTP_E) && h->next_ext != 0) {
        off = skip_ext(p, l, off, nx->end, h->next_ext);
        if (off == 0) {
            nx->off += need;
            nx->proto = WP_PROTO_NONE;
            return;
        }
        l->hdr_len = off - nx->off;
    }
    nx->off = off;
    nx->proto = WP_PROTO_PAYLOAD;
    if (h->type == GTPU_TPDU && nx->off < wp_pkt_avail_end(p, nx)) {
        switch (p->data[nx->off] >> 4) {
        case 4:
            nx->proto = WP_PROTO_IPV4;
            break;
        case 6:
            nx->proto = WP_PROTO_IPV6;
            break;
        default:
            break;
        }
    }
}
