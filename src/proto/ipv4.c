/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_ipv4_info = {"ipv4", "ipv4", "ipv4", NULL, 0};
void wp_ipv4_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_IPV4);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

const char *wp_ipv4_opt_name(unsigned kind) { (void)kind; return NULL; }
