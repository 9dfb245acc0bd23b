/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_arp_info = {"arp", "arp", "arp", NULL, 0};
void wp_arp_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ARP);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

