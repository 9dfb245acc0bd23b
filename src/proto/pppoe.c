/* PPPoE (RFC 2516): the 6-byte header of discovery (EtherType 0x8863: its
 * tags follow, shown as payload) and session (0x8864: a PPP frame follows)
 * packets. */
#include "proto.h"

static const wp_event_def ev_truncated = {"pppoe.truncated",
                                          "capture ends inside the PPPoE header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_len_big = {"pppoe.length_exceeds_frame",
                                        "PPPoE length exceeds the frame", WP_EV_INVALID, " > "};

static const char *code_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0x00:
        return "session data";
    case 0x09:
        return "PADI";
    case 0x07:
        return "PADO";
    case 0x19:
        return "PADR";
    case 0x65:
        return "PADS";
    case 0xa7:
        return "PADT";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "version", .title = "Version", .width = 1, .mask = 0xf0, .shift = 4, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_pppoe_hdr, version)},
    {.name = "type", .title = "Type", .width = 1, .mask = 0x0f, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_pppoe_hdr, type)},
    {.name = "code", .title = "Code", .off = 1, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_pppoe_hdr, code), .describe = code_name},
    {.name = "session_id", .title = "Session id", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_pppoe_hdr, session_id)},
    {.name = "length", .title = "Payload length", .off = 4, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_pppoe_hdr, length)},
};

const wp_proto_info wp_pppoe_info = {"pppoe", "PPP over Ethernet", "PPPoE", fields,
                                     sizeof fields / sizeof fields[0]};

void wp_pppoe_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_PPPOE);
    if (!l)
        return;
    wp_pppoe_hdr *h = &l->h.pppoe;
    uint8_t vt = wp_cursor_u8(&c);
    h->version = (uint8_t)(vt >> 4);
    h->type = vt & 0x0f;
    h->code = wp_cursor_u8(&c);
    h->session_id = wp_cursor_be16(&c);
    h->length = wp_cursor_be16(&c);
    l->hdr_len = 6;
    l->len = (uint32_t)h->length + 6;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 6);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += 6;
    uint32_t room = nx->end > nx->off ? nx->end - nx->off : 0;
    if (h->length > room)
        wp_pkt_event(p, l, &ev_len_big, h->length, room);
    else
        nx->end = nx->off + h->length; /* what follows is Ethernet padding */
    nx->proto = h->code == 0 ? WP_PROTO_PPP : WP_PROTO_PAYLOAD;
}
