/* L2TP over UDP (port 1701). Version 2 (RFC 2661): flags and version, then
 * the length (L), tunnel and session ids, Ns and Nr (S), the offset size
 * (O) and that many pad bytes; a data message (T clear) carries a PPP frame.
 * Version 3 (RFC 3931) over UDP: a control message has the length, the
 * control connection id (shown as tunnel_id), Ns and Nr; a data message a
 * reserved word and the 32-bit session id, after which a cookie of a
 * configured length may follow, so its payload stays undecoded. */
#include "proto.h"

static const wp_event_def ev_truncated = {"l2tp.truncated", "capture ends inside the L2TP header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_version = {"l2tp.version_unsupported",
                                        "L2TP version other than 2 or 3: payload not decoded",
                                        WP_EV_NOTE, NULL};
static const wp_event_def ev_length = {"l2tp.length_invalid",
                                       "L2TP length smaller than its header or past the "
                                       "datagram",
                                       WP_EV_INVALID, NULL};
static const wp_event_def ev_offset = {"l2tp.offset_invalid",
                                       "L2TP offset padding runs past the message's end",
                                       WP_EV_INVALID, " > "};

#define L2TP_T 0x8000u
#define L2TP_L 0x4000u
#define L2TP_S 0x0800u
#define L2TP_O 0x0200u

/* Version 2's optional fields shift what follows them: each position of a
 * field has its own row (as GRE's), present by the flags before it. */
static unsigned v2_at(const wp_layer *l, unsigned upto)
{
    unsigned f = l->h.l2tp.flags, o = 2;
    if (upto >= 1 && (f & L2TP_L))
        o += 2; /* length */
    if (upto >= 2)
        o += 4; /* tunnel and session ids */
    if (upto >= 3 && (f & L2TP_S))
        o += 4; /* Ns and Nr */
    return o;
}
static int v2(const wp_layer *l)
{
    return l->h.l2tp.version == 2;
}
static int v3(const wp_layer *l)
{
    return l->h.l2tp.version == 3;
}
static int v2_len(const wp_layer *l)
{
    return v2(l) && (l->h.l2tp.flags & L2TP_L);
}
static int v2_ids_at2(const wp_layer *l)
{
    return v2(l) && v2_at(l, 1) == 2;
}
static int v2_ids_at4(const wp_layer *l)
{
    return v2(l) && v2_at(l, 1) == 4;
}
static int v2_seq_at(const wp_layer *l, unsigned at)
{
    return v2(l) && (l->h.l2tp.flags & L2TP_S) && v2_at(l, 2) == at;
}
static int v2_seq_at6(const wp_layer *l)
{
    return v2_seq_at(l, 6);
}
static int v2_seq_at8(const wp_layer *l)
{
    return v2_seq_at(l, 8);
}
static int v2_off_at(const wp_layer *l, unsigned at)
{
    return v2(l) && (l->h.l2tp.flags & L2TP_O) && v2_at(l, 3) == at;
}
static int v2_off_at6(const wp_layer *l)
{
    return v2_off_at(l, 6);
}
static int v2_off_at8(const wp_layer *l)
{
    return v2_off_at(l, 8);
}
static int v2_off_at10(const wp_layer *l)
{
    return v2_off_at(l, 10);
}
static int v2_off_at12(const wp_layer *l)
{
    return v2_off_at(l, 12);
}
static int v3_ctrl(const wp_layer *l)
{
    return v3(l) && (l->h.l2tp.flags & L2TP_T);
}
static int v3_data(const wp_layer *l)
{
    return v3(l) && !(l->h.l2tp.flags & L2TP_T);
}

#define L2TP_U16(nm, ttl, at, member, pres)                                                   \
    {.name = nm, .title = ttl, .off = at, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,         \
     WP_FIELD_AT(wp_l2tp_hdr, member), .present = pres}

static const wp_field fields[] = {
    {.name = "flags", .title = "Flags", .width = 2, .mask = 0xfff0, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_l2tp_hdr, flags)},
    {.name = "version", .title = "Version", .width = 2, .mask = 0x000f, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_l2tp_hdr, version)},
    L2TP_U16("length", "Length", 2, length, v2_len),
    L2TP_U16("tunnel_id", "Tunnel ID", 2, tunnel_id, v2_ids_at2),
    L2TP_U16("session_id", "Session ID", 4, session_id, v2_ids_at2),
    L2TP_U16("tunnel_id", "Tunnel ID", 4, tunnel_id, v2_ids_at4),
    L2TP_U16("session_id", "Session ID", 6, session_id, v2_ids_at4),
    L2TP_U16("ns", "Ns", 6, ns, v2_seq_at6),
    L2TP_U16("nr", "Nr", 8, nr, v2_seq_at6),
    L2TP_U16("ns", "Ns", 8, ns, v2_seq_at8),
    L2TP_U16("nr", "Nr", 10, nr, v2_seq_at8),
    L2TP_U16("offset", "Offset size", 6, offset, v2_off_at6),
    L2TP_U16("offset", "Offset size", 8, offset, v2_off_at8),
    L2TP_U16("offset", "Offset size", 10, offset, v2_off_at10),
    L2TP_U16("offset", "Offset size", 12, offset, v2_off_at12),
    /* version 3 over UDP */
    L2TP_U16("length", "Length", 2, length, v3_ctrl),
    {.name = "tunnel_id", .title = "Control connection ID", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_l2tp_hdr, tunnel_id), .present = v3_ctrl},
    L2TP_U16("ns", "Ns", 8, ns, v3_ctrl),
    L2TP_U16("nr", "Nr", 10, nr, v3_ctrl),
    {.name = "session_id", .title = "Session ID", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_l2tp_hdr, session_id), .present = v3_data},
};

const wp_proto_info wp_l2tp_info = {"l2tp", "Layer 2 Tunneling Protocol", "L2TP", fields,
                                    sizeof fields / sizeof fields[0]};

/* Version 2's header from the cursor (after the first word); returns the
 * header length, the offset pad included. */
static uint32_t read_v2(wp_cursor *c, wp_l2tp_hdr *h)
{
    uint32_t need = 6;
    if (h->flags & L2TP_L) {
        h->length = wp_cursor_be16(c);
        need += 2;
    }
    h->tunnel_id = wp_cursor_be16(c);
    h->session_id = wp_cursor_be16(c);
    if (h->flags & L2TP_S) {
        h->ns = wp_cursor_be16(c);
        h->nr = wp_cursor_be16(c);
        need += 4;
    }
    if (h->flags & L2TP_O) {
        h->offset = wp_cursor_be16(c);
        need += 2;
    }
    return need;
}

static uint32_t read_v3(wp_cursor *c, wp_l2tp_hdr *h)
{
    if (h->flags & L2TP_T) {
        h->length = wp_cursor_be16(c);
        h->tunnel_id = wp_cursor_be32(c);
        h->ns = wp_cursor_be16(c);
        h->nr = wp_cursor_be16(c);
        return 12;
    }
    wp_cursor_skip(c, 2); /* reserved */
    h->session_id = wp_cursor_be32(c);
    return 8;
}

void wp_l2tp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_L2TP);
    if (!l)
        return;
    wp_l2tp_hdr *h = &l->h.l2tp;
    uint16_t fv = wp_cursor_be16(&c);
    h->flags = fv & 0xfff0;
    h->version = (uint8_t)(fv & 0x0f);
    uint32_t need = 2;
    if (h->version == 2)
        need = read_v2(&c, h);
    else if (h->version == 3)
        need = read_v3(&c, h);
    l->hdr_len = need;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, need);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (h->version != 2 && h->version != 3) {
        wp_pkt_event(p, l, &ev_version, h->version, 0);
        nx->off += need;
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    int has_len = h->version == 3 ? (h->flags & L2TP_T) != 0 : (h->flags & L2TP_L) != 0;
    if (has_len) {
        /* the message ends where its length says, within the datagram */
        if (h->length < need || h->length > l->len) {
            wp_pkt_event(p, l, &ev_length, h->length, 0);
            nx->off += need;
            nx->proto = WP_PROTO_NONE;
            return;
        }
        nx->end = nx->off + h->length;
        l->len = h->length;
    }
    nx->off += need;
    if (h->version == 2 && (h->flags & L2TP_O)) {
        uint32_t room = nx->end > nx->off ? nx->end - nx->off : 0;
        if (h->offset > room) {
            wp_pkt_event(p, l, &ev_offset, h->offset, room);
            nx->proto = WP_PROTO_NONE;
            return;
        }
        l->hdr_len += h->offset; /* the pad is part of the header */
        uint32_t cap_end = wp_pkt_avail_end(p, nx);
        uint32_t have = cap_end > nx->off ? cap_end - nx->off : 0;
        if (h->offset > have) {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_truncated, have, h->offset);
            nx->off += have;
            nx->proto = WP_PROTO_NONE;
            return;
        }
        nx->off += h->offset;
    }
    /* Control messages carry AVPs, v3 data a cookie of unknown length:
     * both stay payload. A v2 data message carries PPP. */
    nx->proto = h->version == 2 && !(h->flags & L2TP_T) ? WP_PROTO_PPP : WP_PROTO_PAYLOAD;
}
