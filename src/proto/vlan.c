/* STUB: to be replaced by the real decoder. */
#include "proto.h"

const wp_proto_info wp_vlan_info = {"vlan", "vlan", "vlan", NULL, 0};
void wp_vlan_decode(wp_packet *p, wp_next *nx)
{
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_VLAN);
    if (l)
        nx->proto = WP_PROTO_NONE;
}

