/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_ipv6_info = {"ipv6", "ipv6", "ipv6", NULL, 0};
void wp_ipv6_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_IPV6);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

const wp_proto_info wp_ipv6_hopopts_info = {"ipv6-hopopts", "", "", NULL, 0};
const wp_proto_info wp_ipv6_route_info = {"ipv6-route", "", "", NULL, 0};
const wp_proto_info wp_ipv6_frag_info = {"ipv6-frag", "", "", NULL, 0};
const wp_proto_info wp_ipv6_dstopts_info = {"ipv6-dstopts", "", "", NULL, 0};
void wp_ipv6_ext_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, nx->proto);
    if (l)
        nx->proto = WP_PROTO_NONE;
}
