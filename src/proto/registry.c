/* The protocol registry: one row per header kind (wp_proto), naming its
 * info (names, titles, field table), its decoder, its option names and its
 * pseudo-header hook. The decode driver (src/core/decode.c) and everything
 * that asks wp_proto_get() read this table; adding a protocol is its file in
 * src/proto/ and one row here. */
#include "proto.h"

/* The data kinds: no header, only a byte range; no decoder ends the loop. */
static const wp_proto_info none_info = {"none", "Nothing", "-", NULL, 0};
static const wp_proto_info payload_info = {"payload", "Payload", "Payload", NULL, 0};
static const wp_proto_info fragment_info = {"fragment", "Fragment data", "Fragment", NULL, 0};
static const wp_proto_info trailer_info = {"trailer", "Trailer (after the length fields' end)",
                                           "Trailer", NULL, 0};
static const wp_proto_info raw_info = {"raw", "Undecoded link-layer frame", "Raw", NULL, 0};

const wp_proto_entry wp_proto_registry[WP_PROTO_COUNT] = {
    [WP_PROTO_NONE] = {.info = &none_info},
    [WP_PROTO_ETH] = {.info = &wp_eth_info, .decode = wp_eth_decode},
    [WP_PROTO_VLAN] = {.info = &wp_vlan_info, .decode = wp_vlan_decode},
    [WP_PROTO_SLL] = {.info = &wp_sll_info, .decode = wp_sll_decode},
    [WP_PROTO_SLL2] = {.info = &wp_sll2_info, .decode = wp_sll2_decode},
    [WP_PROTO_NULL] = {.info = &wp_null_info, .decode = wp_null_decode},
    [WP_PROTO_ARP] = {.info = &wp_arp_info, .decode = wp_arp_decode},
    [WP_PROTO_IPV4] = {.info = &wp_ipv4_info, .decode = wp_ipv4_decode,
                       .opt_name = wp_ipv4_opt_name, .pseudo = wp_ipv4_pseudo},
    [WP_PROTO_IPV6] = {.info = &wp_ipv6_info, .decode = wp_ipv6_decode,
                       .pseudo = wp_ipv6_pseudo},
    [WP_PROTO_IPV6_HOPOPTS] = {.info = &wp_ipv6_hopopts_info, .decode = wp_ipv6_ext_decode,
                               .opt_name = wp_ipv6_opt_name},
    [WP_PROTO_IPV6_ROUTE] = {.info = &wp_ipv6_route_info, .decode = wp_ipv6_ext_decode,
                             .pseudo = wp_ipv6_route_pseudo},
    [WP_PROTO_IPV6_FRAG] = {.info = &wp_ipv6_frag_info, .decode = wp_ipv6_ext_decode},
    [WP_PROTO_IPV6_DSTOPTS] = {.info = &wp_ipv6_dstopts_info, .decode = wp_ipv6_ext_decode,
                               .opt_name = wp_ipv6_opt_name,
                               .pseudo = wp_ipv6_dstopts_pseudo},
    [WP_PROTO_ICMP] = {.info = &wp_icmp_info, .decode = wp_icmp_decode},
    [WP_PROTO_ICMPV6] = {.info = &wp_icmpv6_info, .decode = wp_icmpv6_decode},
    [WP_PROTO_UDP] = {.info = &wp_udp_info, .decode = wp_udp_decode},
    [WP_PROTO_TCP] = {.info = &wp_tcp_info, .decode = wp_tcp_decode,
                      .opt_name = wp_tcp_opt_name},
    [WP_PROTO_GRE] = {.info = &wp_gre_info, .decode = wp_gre_decode},
    [WP_PROTO_VXLAN] = {.info = &wp_vxlan_info, .decode = wp_vxlan_decode},
    [WP_PROTO_MPLS] = {.info = &wp_mpls_info, .decode = wp_mpls_decode},
    [WP_PROTO_DNS] = {.info = &wp_dns_info, .decode = wp_dns_decode,
                      .opt_name = wp_dns_opt_name},
    [WP_PROTO_PPPOE] = {.info = &wp_pppoe_info, .decode = wp_pppoe_decode},
    [WP_PROTO_PPP] = {.info = &wp_ppp_info, .decode = wp_ppp_decode},
    [WP_PROTO_AH] = {.info = &wp_ah_info, .decode = wp_ah_decode},
    [WP_PROTO_ESP] = {.info = &wp_esp_info, .decode = wp_esp_decode},
    [WP_PROTO_IGMP] = {.info = &wp_igmp_info, .decode = wp_igmp_decode},
    [WP_PROTO_GENEVE] = {.info = &wp_geneve_info, .decode = wp_geneve_decode},
    [WP_PROTO_GENEVE_OPT] = {.info = &wp_geneve_opt_info, .decode = wp_geneve_opt_decode},
    [WP_PROTO_GTPU] = {.info = &wp_gtpu_info, .decode = wp_gtpu_decode},
    [WP_PROTO_L2TP] = {.info = &wp_l2tp_info, .decode = wp_l2tp_decode},
    [WP_PROTO_ERSPAN] = {.info = &wp_erspan_info, .decode = wp_erspan_decode},
    [WP_PROTO_PBB] = {.info = &wp_pbb_info, .decode = wp_pbb_decode},
    [WP_PROTO_HTTP] = {.info = &wp_http_info, .decode = wp_http_decode},
    [WP_PROTO_TLS] = {.info = &wp_tls_info, .decode = wp_tls_decode},
    [WP_PROTO_SCTP] = {.info = &wp_sctp_info, .decode = wp_sctp_decode,
                       .opt_name = wp_sctp_chunk_name},
    [WP_PROTO_CHDLC] = {.info = &wp_chdlc_info, .decode = wp_chdlc_decode},
    [WP_PROTO_NFLOG] = {.info = &wp_nflog_info, .decode = wp_nflog_decode,
                        .opt_name = wp_nflog_tlv_name},
    [WP_PROTO_DNSTCP] = {.info = &wp_dnstcp_info, .decode = wp_dnstcp_decode},
    [WP_PROTO_PAYLOAD] = {.info = &payload_info},
    [WP_PROTO_FRAGMENT] = {.info = &fragment_info},
    [WP_PROTO_TRAILER] = {.info = &trailer_info},
    [WP_PROTO_RAW] = {.info = &raw_info},
};

const wp_proto_info *wp_proto_get(unsigned p)
{
    if (p >= WP_PROTO_COUNT || !wp_proto_registry[p].info)
        return &none_info;
    return wp_proto_registry[p].info;
}

const char *wp_opt_name(unsigned proto, unsigned kind)
{
    if (proto >= WP_PROTO_COUNT || !wp_proto_registry[proto].opt_name)
        return NULL;
    return wp_proto_registry[proto].opt_name(kind);
}

/* The external definitions of the inline functions in proto.h. */
extern unsigned wp_proto_by_ethertype(uint16_t type);
extern unsigned wp_proto_by_ipproto(uint8_t proto);
