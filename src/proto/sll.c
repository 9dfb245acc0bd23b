/* Linux cooked capture headers: DLT_LINUX_SLL (v1, 16 bytes) and
 * DLT_LINUX_SLL2 (v2, 20 bytes), what "any" device captures carry. */
#include "proto.h"

static const wp_event_def ev_truncated = {"sll.truncated",
                                          "capture ends inside the Linux cooked header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev2_truncated = {"sll2.truncated",
                                           "capture ends inside the Linux cooked v2 header",
                                           WP_EV_TRUNCATED, " < "};

#define ARPHRD_NETLINK 824

/* The address is one 8-byte field; halen says how much of it is used. A
 * 6-byte address is shown as a MAC, any other as hex of the whole field. */
static int addr_is_mac(const wp_layer *l)
{
    return l->h.sll.halen == 6;
}

static int addr_is_other(const wp_layer *l)
{
    return l->h.sll.halen != 6;
}

static const char *describe_pkttype(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0:
        return "to us";
    case 1:
        return "broadcast";
    case 2:
        return "multicast";
    case 3:
        return "to another host";
    case 4:
        return "sent by us";
    default:
        return NULL;
    }
}

static const char *describe_hatype(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 1:
        return "Ethernet";
    case 772:
        return "Loopback";
    case 776:
        return "IPv6-in-IPv4";
    case 778:
        return "GRE";
    case 65534:
        return "none (tunnel)";
    case ARPHRD_NETLINK:
        return "Netlink";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "pkttype", .title = "Packet type", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_sll_hdr, pkttype), .describe = describe_pkttype},
    {.name = "hatype", .title = "ARPHRD type", .off = 2, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_sll_hdr, hatype), .describe = describe_hatype},
    {.name = "halen", .title = "Address length", .off = 4, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_sll_hdr, halen)},
    {.name = "addr", .title = "Source address", .off = 6, .width = 8, .fmt = 's', .kind = WP_FK_MAC,
     WP_FIELD_AT(wp_sll_hdr, addr), .present = addr_is_mac},
    {.name = "addr", .title = "Source address", .off = 6, .width = 8, .fmt = 's', .kind = WP_FK_HEX,
     WP_FIELD_AT(wp_sll_hdr, addr), .present = addr_is_other},
    {.name = "protocol", .title = "Protocol", .off = 14, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_sll_hdr, protocol), .describe = wp_eth_type_name},
};

const wp_proto_info wp_sll_info = {"sll", "Linux cooked capture", "SLL", fields,
                                   sizeof fields / sizeof fields[0]};

static const wp_field fields2[] = {
    {.name = "protocol", .title = "Protocol", .width = 2, .fmt = 'H', .kind = WP_FK_UINT, .hex = 1,
     WP_FIELD_AT(wp_sll_hdr, protocol), .describe = wp_eth_type_name},
    {.name = "reserved", .title = "Reserved", .off = 2, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_sll_hdr, reserved)},
    {.name = "ifindex", .title = "Interface index", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_sll_hdr, ifindex)},
    {.name = "hatype", .title = "ARPHRD type", .off = 8, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_sll_hdr, hatype), .describe = describe_hatype},
    {.name = "pkttype", .title = "Packet type", .off = 10, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_sll_hdr, pkttype), .describe = describe_pkttype},
    {.name = "halen", .title = "Address length", .off = 11, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_sll_hdr, halen)},
    {.name = "addr", .title = "Source address", .off = 12, .width = 8, .fmt = 's',
     .kind = WP_FK_MAC, WP_FIELD_AT(wp_sll_hdr, addr), .present = addr_is_mac},
    {.name = "addr", .title = "Source address", .off = 12, .width = 8, .fmt = 's',
     .kind = WP_FK_HEX, WP_FIELD_AT(wp_sll_hdr, addr), .present = addr_is_other},
};

const wp_proto_info wp_sll2_info = {"sll2", "Linux cooked capture v2", "SLL2", fields2,
                                    sizeof fields2 / sizeof fields2[0]};

/* What follows the header: Netlink messages and the Linux-internal protocol
 * values below 0x0600 (802.3 raw, 802.2 LLC, ...) are payload. */
static void set_next(const wp_sll_hdr *h, uint32_t hdr_len, wp_next *nx)
{
    nx->off += hdr_len;
    if (h->hatype == ARPHRD_NETLINK || h->protocol < 0x0600)
        nx->proto = WP_PROTO_PAYLOAD;
    else
        nx->proto = (uint8_t)wp_proto_by_ethertype(h->protocol);
}

static void cut(wp_packet *p, wp_layer *l, const wp_cursor *c, const wp_event_def *d,
                uint32_t want, wp_next *nx)
{
    l->flags |= WP_LF_TRUNCATED;
    wp_pkt_event(p, l, d, (uint32_t)c->len, want);
    nx->proto = WP_PROTO_NONE;
    nx->off = (uint32_t)(nx->off + c->len);
}

void wp_sll_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_SLL);
    if (!l)
        return;
    wp_sll_hdr *h = &l->h.sll;
    h->pkttype = wp_cursor_be16(&c);
    h->hatype = wp_cursor_be16(&c);
    h->halen = wp_cursor_be16(&c);
    wp_cursor_bytes(&c, h->addr, 8);
    h->protocol = wp_cursor_be16(&c);
    l->hdr_len = 16;
    l->len = (uint32_t)c.len;
    if (c.err) {
        cut(p, l, &c, &ev_truncated, 16, nx);
        return;
    }
    set_next(h, 16, nx);
}

void wp_sll2_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_SLL2);
    if (!l)
        return;
    wp_sll_hdr *h = &l->h.sll;
    h->protocol = wp_cursor_be16(&c);
    h->reserved = wp_cursor_be16(&c);
    h->ifindex = wp_cursor_be32(&c);
    h->hatype = wp_cursor_be16(&c);
    h->pkttype = wp_cursor_u8(&c);
    h->halen = wp_cursor_u8(&c);
    wp_cursor_bytes(&c, h->addr, 8);
    l->hdr_len = 20;
    l->len = (uint32_t)c.len;
    if (c.err) {
        cut(p, l, &c, &ev2_truncated, 20, nx);
        return;
    }
    set_next(h, 20, nx);
}
