/* The external definitions of the UDP port table's inline functions
 * (proto.h): the table itself is the switch there. */
#include "proto.h"

extern unsigned wp_proto_by_port_udp1(uint16_t port);
extern unsigned wp_proto_by_udp_port(uint16_t sport, uint16_t dport);
