/* ARP (RFC 826). Only the Ethernet/IPv4 form shows its addresses. */
#include "proto.h"

static const wp_event_def ev_truncated = {"arp.truncated", "capture ends inside the ARP packet",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_format = {
    "arp.unsupported_format",
    "ARP address sizes other than Ethernet/IPv4 (6/4): addresses not decoded", WP_EV_NOTE,
    NULL};

static int is_eth_ipv4(const wp_layer *l)
{
    return l->h.arp.hlen == 6 && l->h.arp.plen == 4;
}

static const char *describe_op(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 1:
        return "request";
    case 2:
        return "reply";
    case 3:
        return "RARP request";
    case 4:
        return "RARP reply";
    case 8:
        return "InARP request";
    case 9:
        return "InARP reply";
    default:
        return NULL;
    }
}

static const char *describe_htype(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 1:
        return "Ethernet";
    case 6:
        return "IEEE 802";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "htype", .title = "Hardware type", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_arp_hdr, htype), .describe = describe_htype},
    {.name = "ptype", .title = "Protocol type", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_arp_hdr, ptype), .describe = wp_eth_type_name},
    {.name = "hlen", .title = "Hardware address length", .off = 4, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_arp_hdr, hlen)},
    {.name = "plen", .title = "Protocol address length", .off = 5, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_arp_hdr, plen)},
    {.name = "op", .title = "Operation", .off = 6, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_arp_hdr, op), .describe = describe_op},
    {.name = "sha", .title = "Sender MAC", .off = 8, .width = 6, .fmt = 's', .kind = WP_FK_MAC,
     WP_FIELD_AT(wp_arp_hdr, sha), .present = is_eth_ipv4},
    {.name = "spa", .title = "Sender IPv4", .off = 14, .width = 4, .fmt = 's', .kind = WP_FK_IPV4,
     WP_FIELD_AT(wp_arp_hdr, spa), .present = is_eth_ipv4},
    {.name = "tha", .title = "Target MAC", .off = 18, .width = 6, .fmt = 's', .kind = WP_FK_MAC,
     WP_FIELD_AT(wp_arp_hdr, tha), .present = is_eth_ipv4},
    {.name = "tpa", .title = "Target IPv4", .off = 24, .width = 4, .fmt = 's', .kind = WP_FK_IPV4,
     WP_FIELD_AT(wp_arp_hdr, tpa), .present = is_eth_ipv4},
};

const wp_proto_info wp_arp_info = {"arp", "Address Resolution Protocol", "ARP", fields,
                                   sizeof fields / sizeof fields[0]};

/* ARP carries nothing: after it comes no layer, and its own length (from
 * hlen and plen) bounds the data, so Ethernet padding shows as a trailer. */
void wp_arp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ARP);
    if (!l)
        return;
    wp_arp_hdr *h = &l->h.arp;
    h->htype = wp_cursor_be16(&c);
    h->ptype = wp_cursor_be16(&c);
    h->hlen = wp_cursor_u8(&c);
    h->plen = wp_cursor_u8(&c);
    h->op = wp_cursor_be16(&c);
    nx->proto = WP_PROTO_NONE;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        l->hdr_len = 8;
        l->len = (uint32_t)c.len;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 8);
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    uint32_t alen = 8u + 2u * h->hlen + 2u * h->plen;
    l->hdr_len = alen;
    l->len = alen;
    if (is_eth_ipv4(l)) {
        wp_cursor_bytes(&c, h->sha, 6);
        wp_cursor_bytes(&c, h->spa, 4);
        wp_cursor_bytes(&c, h->tha, 6);
        wp_cursor_bytes(&c, h->tpa, 4);
    } else {
        wp_pkt_event(p, l, &ev_format, h->hlen, h->plen);
        wp_cursor_skip(&c, alen - 8);
    }
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, alen);
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += alen;
    nx->end = nx->off; /* what follows (padding) is a trailer */
}
