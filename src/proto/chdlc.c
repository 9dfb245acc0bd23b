/* Cisco HDLC (LINKTYPE_C_HDLC, 104): address (0x0f unicast, 0x8f
 * broadcast), control (0), then an EtherType naming what follows. SLARP
 * (0x8035, Cisco's serial-line keepalive, not RARP), CDP and the OSI
 * protocols stay payload. */
#include "proto.h"

static const wp_event_def ev_truncated = {"chdlc.truncated",
                                          "capture ends inside the Cisco HDLC header",
                                          WP_EV_TRUNCATED, " < "};

static const char *proto_name(uint64_t v, char *buf, size_t n)
{
    switch (v) {
    case 0x8035:
        return "SLARP";
    case 0x2000:
        return "CDP";
    case 0xfefe:
        return "OSI";
    default:
        return wp_eth_type_name(v, buf, n);
    }
}

static const wp_field fields[] = {
    {.name = "address", .title = "Address", .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_chdlc_hdr, address)},
    {.name = "control", .title = "Control", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_chdlc_hdr, control)},
    {.name = "protocol", .title = "Protocol", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_chdlc_hdr, protocol),
     .describe = proto_name},
};

const wp_proto_info wp_chdlc_info = {"chdlc", "Cisco HDLC", "C-HDLC", fields,
                                     sizeof fields / sizeof fields[0]};

void wp_chdlc_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_CHDLC);
    if (!l)
        return;
    wp_chdlc_hdr *h = &l->h.chdlc;
    h->address = wp_cursor_u8(&c);
    h->control = wp_cursor_u8(&c);
    h->protocol = wp_cursor_be16(&c);
    l->hdr_len = 4;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 4);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += 4;
    /* 0x8035 is SLARP here, not RARP: its message is not ARP's. */
    nx->proto = h->protocol == 0x8035 ? WP_PROTO_PAYLOAD
                                      : (uint8_t)wp_proto_by_ethertype(h->protocol);
}
