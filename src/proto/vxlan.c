/* VXLAN (RFC 7348): an 8-byte header over UDP (port 4789) and then a whole
 * Ethernet frame of the overlay network. */
#include "proto.h"

static const wp_event_def ev_truncated = {"vxlan.truncated",
                                          "capture ends inside the VXLAN header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_no_vni = {"vxlan.vni_flag_clear",
                                       "VXLAN I flag clear: the VNI is not valid", WP_EV_INVALID,
                                       NULL};

static const wp_field fields[] = {
    {.name = "flags", .title = "Flags", .width = 1, .fmt = 'B', .kind = WP_FK_UINT, .hex = 1,
     WP_FIELD_AT(wp_vxlan_hdr, flags)},
    {.name = "vni", .title = "VXLAN network identifier", .off = 4, .width = 4,
     .mask = 0xffffff00u, .shift = 8, .fmt = 'I', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_vxlan_hdr, vni)},
};

const wp_proto_info wp_vxlan_info = {"vxlan", "Virtual eXtensible Local Area Network", "VXLAN",
                                     fields, sizeof fields / sizeof fields[0]};

void wp_vxlan_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_VXLAN);
    if (!l)
        return;
    wp_vxlan_hdr *h = &l->h.vxlan;
    h->flags = wp_cursor_u8(&c);
    wp_cursor_skip(&c, 3); /* reserved */
    h->vni = wp_cursor_be32(&c) >> 8;
    l->hdr_len = 8;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 8);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (!(h->flags & 0x08))
        wp_pkt_event(p, l, &ev_no_vni, h->flags, 0);
    nx->off += 8;
    nx->proto = WP_PROTO_ETH;
}
