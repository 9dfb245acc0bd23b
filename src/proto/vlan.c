/* IEEE 802.1Q VLAN tags and 802.1ad service tags (QinQ: one layer per tag). */
#include "proto.h"

static const wp_event_def ev_truncated = {"vlan.truncated", "capture ends inside the VLAN tag",
                                          WP_EV_TRUNCATED, " < "};

static const wp_field fields[] = {
    {.name = "pcp", .title = "Priority code point", .width = 2, .mask = 0xe000, .shift = 13,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_vlan_hdr, pcp)},
    {.name = "dei", .title = "Drop eligible", .width = 2, .mask = 0x1000, .shift = 12, .fmt = 'H',
     .kind = WP_FK_BOOL, WP_FIELD_AT(wp_vlan_hdr, dei)},
    {.name = "vid", .title = "VLAN id", .width = 2, .mask = 0x0fff, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_vlan_hdr, vid)},
    {.name = "type", .title = "EtherType", .off = 2, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_vlan_hdr, type), .describe = wp_eth_type_name},
};

const wp_proto_info wp_vlan_info = {"vlan", "802.1Q Virtual LAN tag", "VLAN", fields,
                                    sizeof fields / sizeof fields[0]};

/* The type field of the layer below that announced this tag (its TPID). */
static uint16_t outer_type(const wp_packet *p, const wp_layer *l)
{
    if (l == p->layers)
        return 0;
    const wp_layer *below = l - 1;
    switch (below->proto) {
    case WP_PROTO_ETH:
        return below->h.eth.type;
    case WP_PROTO_VLAN:
        return below->h.vlan.type;
    case WP_PROTO_SLL:
    case WP_PROTO_SLL2:
        return below->h.sll.protocol;
    default:
        return 0;
    }
}

void wp_vlan_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_VLAN);
    if (!l)
        return;
    wp_vlan_hdr *h = &l->h.vlan;
    h->tpid = outer_type(p, l);
    uint16_t tci = wp_cursor_be16(&c);
    h->type = wp_cursor_be16(&c);
    h->pcp = (uint8_t)(tci >> 13);
    h->dei = (uint8_t)((tci >> 12) & 1);
    h->vid = tci & 0x0fff;
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
    if (h->type <= 1500) {
        /* An 802.3 length (LLC follows, as in STP BPDUs on a trunk): it
         * bounds the data, so what follows is padding, i.e. a trailer. */
        if (h->type <= nx->end - nx->off)
            nx->end = nx->off + h->type;
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    nx->proto = (uint8_t)wp_proto_by_ethertype(h->type);
}
