/* Internal: what the layer decoders share: each protocol file's decoder,
 * info and hooks (listed once more in registry.c's table), and the helpers
 * several of them use. The decoder helpers and the registry's type are in
 * core/decoder.h. Not part of the public API. */
#ifndef WP_PROTO_INTERNAL_H
#define WP_PROTO_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include "core/decoder.h"

void wp_eth_decode(wp_packet *p, wp_next *nx);
void wp_vlan_decode(wp_packet *p, wp_next *nx);
void wp_sll_decode(wp_packet *p, wp_next *nx);
void wp_sll2_decode(wp_packet *p, wp_next *nx);
void wp_null_decode(wp_packet *p, wp_next *nx);
void wp_arp_decode(wp_packet *p, wp_next *nx);
void wp_ipv4_decode(wp_packet *p, wp_next *nx);
void wp_ipv6_decode(wp_packet *p, wp_next *nx);
void wp_ipv6_ext_decode(wp_packet *p, wp_next *nx); /* hopopts, route, frag, dstopts */
void wp_icmp_decode(wp_packet *p, wp_next *nx);
void wp_icmpv6_decode(wp_packet *p, wp_next *nx);
/* ICMPv6's code names, for wp_icmp_code_name (icmpv6.c). */
const char *wp_icmpv6_code_name(unsigned type, unsigned code);
void wp_udp_decode(wp_packet *p, wp_next *nx);
void wp_tcp_decode(wp_packet *p, wp_next *nx);
void wp_gre_decode(wp_packet *p, wp_next *nx);
void wp_vxlan_decode(wp_packet *p, wp_next *nx);
void wp_mpls_decode(wp_packet *p, wp_next *nx);
void wp_dns_decode(wp_packet *p, wp_next *nx);
void wp_pppoe_decode(wp_packet *p, wp_next *nx);
void wp_ppp_decode(wp_packet *p, wp_next *nx);
void wp_ah_decode(wp_packet *p, wp_next *nx);
void wp_esp_decode(wp_packet *p, wp_next *nx);
void wp_igmp_decode(wp_packet *p, wp_next *nx);
/* tunnels (issue 20) */
void wp_geneve_decode(wp_packet *p, wp_next *nx);
void wp_geneve_opt_decode(wp_packet *p, wp_next *nx);
void wp_gtpu_decode(wp_packet *p, wp_next *nx);
void wp_l2tp_decode(wp_packet *p, wp_next *nx);
void wp_erspan_decode(wp_packet *p, wp_next *nx);
void wp_pbb_decode(wp_packet *p, wp_next *nx);
extern const wp_proto_info wp_geneve_info, wp_geneve_opt_info, wp_gtpu_info, wp_l2tp_info,
    wp_erspan_info, wp_pbb_info;
/* HTTP/1.x and TLS over TCP (http.c, tls.c) */
void wp_http_decode(wp_packet *p, wp_next *nx);
void wp_tls_decode(wp_packet *p, wp_next *nx);
extern const wp_proto_info wp_http_info, wp_tls_info;
/* Whether b[0..n) begins like an HTTP/1.x start line: "HTTP/1." or a
 * method (GET, POST, HEAD, PUT, DELETE, OPTIONS, CONNECT, TRACE, PATCH) and
 * a space. 1 or 0; reads at most 8 bytes of b. */
int wp_http_start(const uint8_t *b, uint32_t n);
/* Whether b[0..n) begins like a TLS record header: content type 20..24
 * and version 3.0..3.4. 1 or 0; reads at most 3 bytes of b. */
int wp_tls_record_start(const uint8_t *b, uint32_t n);
/* A TLS handshake message type's name ("Client Hello"), or NULL. */
const char *wp_tls_handshake_name(unsigned type);
void wp_sctp_decode(wp_packet *p, wp_next *nx);
void wp_chdlc_decode(wp_packet *p, wp_next *nx);
void wp_nflog_decode(wp_packet *p, wp_next *nx);
void wp_dnstcp_decode(wp_packet *p, wp_next *nx);
/* 1 when a TCP segment of seglen bytes, whose first n captured bytes are
 * at b, is one whole DNS-over-TCP message (its length prefix says
 * seglen - 2, at least a DNS header), else 0 (dnstcp.c). */
int wp_dnstcp_start(const uint8_t *b, uint32_t n, uint32_t seglen);

/* Each layer file defines its proto info (name, titles, field table). */
extern const wp_proto_info wp_eth_info, wp_vlan_info, wp_sll_info, wp_sll2_info,
    wp_null_info, wp_arp_info, wp_ipv4_info, wp_ipv6_info, wp_ipv6_hopopts_info,
    wp_ipv6_route_info, wp_ipv6_frag_info, wp_ipv6_dstopts_info, wp_icmp_info,
    wp_icmpv6_info, wp_udp_info, wp_tcp_info, wp_gre_info, wp_vxlan_info, wp_mpls_info,
    wp_dns_info, wp_pppoe_info, wp_ppp_info, wp_ah_info, wp_esp_info, wp_igmp_info;
extern const wp_proto_info wp_sctp_info, wp_chdlc_info, wp_nflog_info, wp_dnstcp_info;



/* Name of an EtherType ("IPv4"), a field describe function (eth.c); NULL
 * for a type it does not name. Shared by vlan, sll and arp. */
const char *wp_eth_type_name(uint64_t v, char *buf, size_t n);
/* Name of an IP protocol / IPv6 next-header number (ipv4.c), or NULL. */
const char *wp_ipproto_name(uint64_t v, char *buf, size_t n);

/* Option names per kind, defined by ipv4.c, tcp.c and ipv6.c (hop-by-hop and
 * destination options) (NULL: unknown). */
const char *wp_ipv4_opt_name(unsigned kind);
const char *wp_tcp_opt_name(unsigned kind);
const char *wp_ipv6_opt_name(unsigned kind);
const char *wp_dns_opt_name(unsigned kind); /* "question", "answer", ... (dns.c) */
/* SCTP chunk names (sctp.c) and NFLOG TLV names (nflog.c), NULL: unknown. */
const char *wp_sctp_chunk_name(unsigned kind);
const char *wp_nflog_tlv_name(unsigned kind);

/* Pseudo-header hooks (wp_pseudo_fn): IPv4 (its source routes), IPv6, and
 * the IPv6 routing header (the final destination). */
int wp_ipv4_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps);
int wp_ipv6_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps);
int wp_ipv6_route_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps);
/* A destination options header with a Home Address option (RFC 6275):
 * its address is the source that counts (notes ps->home_src; returns 0). */
int wp_ipv6_dstopts_pseudo(const wp_packet *p, const wp_layer *q, wp_pseudo *ps);

/* The next decoder's kind for an EtherType / an IP protocol number.
 * Inline (every frame asks both); C11 inline definitions, with the external
 * ones emitted by src/proto/registry.c. */
inline unsigned wp_proto_by_ethertype(uint16_t type)
{
    switch (type) {
    case 0x0800:
        return WP_PROTO_IPV4;
    case 0x86dd:
        return WP_PROTO_IPV6;
    case 0x0806:
    case 0x8035: /* RARP uses the ARP message format */
        return WP_PROTO_ARP;
    case 0x8100:
    case 0x88a8:
    case 0x9100:
        return WP_PROTO_VLAN;
    case 0x8847: /* MPLS unicast */
    case 0x8848: /* MPLS multicast */
        return WP_PROTO_MPLS;
    case 0x8863: /* PPPoE discovery */
    case 0x8864: /* PPPoE session */
        return WP_PROTO_PPPOE;
    case 0x88e7: /* 802.1ah provider backbone bridging: the I-tag */
        return WP_PROTO_PBB;
    default:
        return WP_PROTO_PAYLOAD;
    }
}

inline unsigned wp_proto_by_ipproto(uint8_t proto)
{
    switch (proto) {
    case 1:
        return WP_PROTO_ICMP;
    case 2:
        return WP_PROTO_IGMP;
    case 4:
        return WP_PROTO_IPV4;
    case 6:
        return WP_PROTO_TCP;
    case 17:
        return WP_PROTO_UDP;
    case 41:
        return WP_PROTO_IPV6;
    case 47:
        return WP_PROTO_GRE;
    case 50:
        return WP_PROTO_ESP;
    case 51:
        return WP_PROTO_AH;
    case 58:
        return WP_PROTO_ICMPV6;
    case 132:
        return WP_PROTO_SCTP;
    default:
        return WP_PROTO_PAYLOAD;
    }
}

/* The one table of well-known UDP ports whose payload wirepeel decodes as
 * a header (VXLAN 4789, DNS 53, MPLS 6635): the header kind for a port, or
 * WP_PROTO_PAYLOAD for a port it does not list. Inline, a switch (every UDP
 * datagram asks it twice); the external definitions are in ports.c. */
inline unsigned wp_proto_by_port_udp1(uint16_t port)
{
    switch (port) {
    case 4789:
        return WP_PROTO_VXLAN;
    case 53:
        return WP_PROTO_DNS;
    case 6635: /* MPLS over UDP, RFC 7510 */
        return WP_PROTO_MPLS;
    case 6081:
        return WP_PROTO_GENEVE;
    case 2152: /* GTP-U */
        return WP_PROTO_GTPU;
    case 1701:
        return WP_PROTO_L2TP;
    default:
        return WP_PROTO_PAYLOAD;
    }
}

/* The header kind a UDP datagram's payload is, by its ports: the
 * destination port first, then the source port. */
inline unsigned wp_proto_by_udp_port(uint16_t sport, uint16_t dport)
{
    unsigned p = wp_proto_by_port_udp1(dport);
    return p != WP_PROTO_PAYLOAD ? p : wp_proto_by_port_udp1(sport);
}

/* The one table of well-known TCP ports whose segments' data wirepeel
 * decodes: HTTP on 80, 8080, 8000 and 3128 (the proxy port tshark also
 * lists); TLS on 443, 8443, 853 (DNS over TLS), 993 (IMAPS), 995 (POP3S),
 * 465 (SMTPS) and 636 (LDAPS), the ports tshark's TLS dissector takes.
 * WP_PROTO_PAYLOAD for a port it does not list. Inline, a switch; the
 * external definitions are in ports.c. */
inline unsigned wp_proto_by_port_tcp1(uint16_t port)
{
    switch (port) {
    case 53: /* DNS over TCP, one whole message a segment (dnstcp.c) */
        return WP_PROTO_DNSTCP;
    case 80:
    case 8080:
    case 8000:
    case 3128:
        return WP_PROTO_HTTP;
    case 443:
    case 8443:
    case 853:
    case 993:
    case 995:
    case 465:
    case 636:
        return WP_PROTO_TLS;
    default:
        return WP_PROTO_PAYLOAD;
    }
}

/* In a field-table row: where the decoded value lives in the layer's header
 * union (member of the header struct type), as the .soff and .ssize
 * designators. */
#define WP_FIELD_AT(type, member)                                                             \
    .soff = (uint16_t)offsetof(type, member), .ssize = (uint8_t)sizeof(((type *)0)->member)

#endif
