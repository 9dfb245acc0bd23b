/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_icmp_info = {"icmp", "icmp", "icmp", NULL, 0};
void wp_icmp_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ICMP);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

