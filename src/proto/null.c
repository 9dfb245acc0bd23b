/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_null_info = {"null", "null", "null", NULL, 0};
void wp_null_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_NULL);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

