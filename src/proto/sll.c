/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_sll_info = {"sll", "sll", "sll", NULL, 0};
void wp_sll_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_SLL);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

const wp_proto_info wp_sll2_info = {"sll2", "sll2", "sll2", NULL, 0};
void wp_sll2_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_SLL2);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

