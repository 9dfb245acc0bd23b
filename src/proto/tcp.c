/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_tcp_info = {"tcp", "tcp", "tcp", NULL, 0};
void wp_tcp_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_TCP);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

const char *wp_tcp_opt_name(unsigned kind) { (void)kind; return NULL; }
