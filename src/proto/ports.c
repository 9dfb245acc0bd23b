/* The one table of well-known UDP ports whose payload wirepeel decodes as a
 * header; any other port leaves the payload as data. */
#include "proto.h"

static const struct {
    uint16_t port;
    uint8_t proto;
} udp_ports[] = {
    {4789, WP_PROTO_VXLAN},
    {53, WP_PROTO_DNS},
};

static unsigned by_port(uint16_t port)
{
    for (size_t i = 0; i < sizeof udp_ports / sizeof udp_ports[0]; i++)
        if (udp_ports[i].port == port)
            return udp_ports[i].proto;
    return WP_PROTO_PAYLOAD;
}

unsigned wp_proto_by_udp_port(uint16_t sport, uint16_t dport)
{
    unsigned p = by_port(dport);
    return p != WP_PROTO_PAYLOAD ? p : by_port(sport);
}
