/* IEEE 802.1ah provider backbone bridging (MAC-in-MAC): after EtherType
 * 0x88e7 the 4-byte I-tag (priority, drop eligible, use customer address,
 * the 24-bit service instance id), then the customer's whole Ethernet
 * frame (its destination and source addresses, its type). */
#include "proto.h"

static const wp_event_def ev_truncated = {"pbb.truncated", "capture ends inside the 802.1ah I-tag",
                                          WP_EV_TRUNCATED, " < "};

static const wp_field fields[] = {
    {.name = "pcp", .title = "Priority", .width = 4, .mask = 0xe0000000u, .shift = 29,
     .fmt = 'I', .kind = WP_FK_UINT, WP_FIELD_AT(wp_pbb_hdr, pcp)},
    {.name = "dei", .title = "Drop eligible", .width = 4, .mask = 0x10000000u, .shift = 28,
     .fmt = 'I', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_pbb_hdr, dei)},
    {.name = "uca", .title = "Use customer address", .width = 4, .mask = 0x08000000u,
     .shift = 27, .fmt = 'I', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_pbb_hdr, uca)},
    {.name = "isid", .title = "Service instance id (I-SID)", .width = 4, .mask = 0x00ffffffu,
     .fmt = 'I', .kind = WP_FK_UINT, WP_FIELD_AT(wp_pbb_hdr, isid)},
};

const wp_proto_info wp_pbb_info = {"pbb", "802.1ah Provider Backbone Bridging I-tag", "PBB",
                                   fields, sizeof fields / sizeof fields[0]};

void wp_pbb_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_PBB);
    if (!l)
        return;
    wp_pbb_hdr *h = &l->h.pbb;
    uint32_t t = wp_cursor_be32(&c);
    h->pcp = (uint8_t)(t >> 29);
    h->dei = (uint8_t)((t >> 28) & 1);
    h->uca = (uint8_t)((t >> 27) & 1);
    h->isid = t & 0x00ffffffu;
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
    nx->proto = WP_PROTO_ETH;
}
