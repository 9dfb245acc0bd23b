/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_icmpv6_info = {"icmpv6", "icmpv6", "icmpv6", NULL, 0};
void wp_icmpv6_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ICMPV6);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

