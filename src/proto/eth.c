/* Ethernet II and IEEE 802.3 (length + LLC) frames. */
#include <stdio.h>

#include "proto.h"

static const wp_event_def ev_truncated = {"eth.truncated",
                                          "frame shorter than an Ethernet header (14 bytes)",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_len_invalid = {
    "eth.length_exceeds_frame", "802.3 length field exceeds the frame", WP_EV_INVALID, " > "};

static int is_ethertype(const wp_layer *l)
{
    return !l->h.eth.is_8023;
}

static int is_8023(const wp_layer *l)
{
    return l->h.eth.is_8023;
}

/* The LLC bytes belong to the header only when the length leaves room. */
static int has_llc(const wp_layer *l)
{
    return l->h.eth.is_8023 && l->hdr_len >= 17;
}

/* Names for the EtherTypes wirepeel meets most. */
const char *wp_eth_type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0x0800:
        return "IPv4";
    case 0x0806:
        return "ARP";
    case 0x8035:
        return "RARP";
    case 0x86dd:
        return "IPv6";
    case 0x8100:
        return "802.1Q VLAN";
    case 0x88a8:
        return "802.1ad QinQ";
    case 0x9100:
        return "VLAN (0x9100)";
    case 0x88cc:
        return "LLDP";
    case 0x8863:
        return "PPPoE discovery";
    case 0x8864:
        return "PPPoE session";
    case 0x8847:
        return "MPLS";
    /* tunnels (issue 20) */
    case 0x6558:
        return "Transparent Ethernet bridging";
    case 0x88be:
        return "ERSPAN";
    case 0x22eb:
        return "ERSPAN type III";
    case 0x88e7:
        return "802.1ah PBB";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "dst", .title = "Destination MAC", .width = 6, .fmt = 's', .kind = WP_FK_MAC,
     WP_FIELD_AT(wp_eth_hdr, dst)},
    {.name = "src", .title = "Source MAC", .off = 6, .width = 6, .fmt = 's', .kind = WP_FK_MAC,
     WP_FIELD_AT(wp_eth_hdr, src)},
    {.name = "type", .title = "EtherType", .off = 12, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_eth_hdr, type), .present = is_ethertype,
     .describe = wp_eth_type_name},
    {.name = "length", .title = "802.3 length", .off = 12, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_eth_hdr, type), .present = is_8023},
    {.name = "dsap", .title = "LLC DSAP", .off = 14, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_eth_hdr, dsap), .present = has_llc},
    {.name = "ssap", .title = "LLC SSAP", .off = 15, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_eth_hdr, ssap), .present = has_llc},
    {.name = "ctrl", .title = "LLC control", .off = 16, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_eth_hdr, ctrl), .present = has_llc},
};

const wp_proto_info wp_eth_info = {"eth", "Ethernet II", "Ethernet", fields,
                                   sizeof fields / sizeof fields[0]};

void wp_eth_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ETH);
    if (!l)
        return;
    wp_eth_hdr *h = &l->h.eth;
    if (wp_cursor_remaining(&c) >= 14) {
        /* The whole header is there: one bounds check above, then plain
         * reads at offsets 0..13, all below the 14 bytes checked. */
        const uint8_t *b = c.buf + c.off;
        memcpy(h->dst, b, 6);
        memcpy(h->src, b + 6, 6);
        h->type = wp_get_be16(b + 12);
        c.off += 14;
    } else {
        wp_cursor_bytes(&c, h->dst, 6);
        wp_cursor_bytes(&c, h->src, 6);
        h->type = wp_cursor_be16(&c);
    }
    l->hdr_len = 14;
    l->len = (uint32_t)c.len;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 14);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (h->type <= 1500) {
        /* IEEE 802.3: the field is a length and an LLC header follows. The
         * length bounds the data; what follows it is padding (a trailer). */
        h->is_8023 = 1;
        if (h->type >= 3) { /* a shorter length leaves no room for LLC */
            h->dsap = wp_cursor_u8(&c);
            h->ssap = wp_cursor_u8(&c);
            h->ctrl = wp_cursor_u8(&c);
            if (c.err) {
                l->flags |= WP_LF_TRUNCATED;
                wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 17);
            }
        }
        l->hdr_len = c.err || h->type < 3 ? 14 : 17;
        l->len = 14u + h->type;
        if (nx->off + 14u + h->type > nx->end) {
            wp_pkt_event(p, l, &ev_len_invalid, h->type, nx->end - nx->off - 14u);
        } else {
            nx->end = nx->off + 14u + h->type;
        }
        nx->off += l->hdr_len;
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    nx->off += 14;
    nx->proto = (uint8_t)wp_proto_by_ethertype(h->type);
}
