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
    {"htype", "Hardware type", 0, 2, 0, 0, 0, 'H', WP_FK_UINT, 0, WP_FIELD_AT(wp_arp_hdr, htype),
     NULL, describe_htype},
    {"ptype", "Protocol type", 2, 2, 0, 0, 0, 'H', WP_FK_UINT, 1, WP_FIELD_AT(wp_arp_hdr, ptype),
     NULL, wp_eth_type_name},
    {"hlen", "Hardware address length", 4, 1, 0, 0, 0, 'B', WP_FK_UINT, 0,
     WP_FIELD_AT(wp_arp_hdr, hlen), NULL, NULL},
    {"plen", "Protocol address length", 5, 1, 0, 0, 0, 'B', WP_FK_UINT, 0,
     WP_FIELD_AT(wp_arp_hdr, plen), NULL, NULL},
    {"op", "Operation", 6, 2, 0, 0, 0, 'H', WP_FK_UINT, 0, WP_FIELD_AT(wp_arp_hdr, op), NULL,
     describe_op},
    {"sha", "Sender MAC", 8, 6, 0, 0, 0, 's', WP_FK_MAC, 0, WP_FIELD_AT(wp_arp_hdr, sha),
     is_eth_ipv4, NULL},
    {"spa", "Sender IPv4", 14, 4, 0, 0, 0, 's', WP_FK_IPV4, 0, WP_FIELD_AT(wp_arp_hdr, spa),
     is_eth_ipv4, NULL},
    {"tha", "Target MAC", 18, 6, 0, 0, 0, 's', WP_FK_MAC, 0, WP_FIELD_AT(wp_arp_hdr, tha),
     is_eth_ipv4, NULL},
    {"tpa", "Target IPv4", 24, 4, 0, 0, 0, 's', WP_FK_IPV4, 0, WP_FIELD_AT(wp_arp_hdr, tpa),
     is_eth_ipv4, NULL},
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
