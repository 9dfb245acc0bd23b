/* The external definitions of the UDP and TCP port tables' inline
 * functions (proto.h): the tables themselves are the switches there. */
#include "proto.h"

extern unsigned wp_proto_by_port_udp1(uint16_t port);
extern unsigned wp_proto_by_udp_port(uint16_t sport, uint16_t dport);
extern unsigned wp_proto_by_port_tcp1(uint16_t port);
