/* Unit tests for the VXLAN decoder (src/proto/vxlan.c) and the UDP port
 * table that reaches it (src/proto/ports.c): the VNI, the inner Ethernet
 * frame (with a VLAN tag and IPv6), the I flag. Checked with tshark
 * (vxlan.vni) on captures/encap-tunnels.pcap and bad-encap.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void test_vxlan_on_udp_4789_carries_ethernet(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *v = wp_test_layer(&p, WP_PROTO_VXLAN, 0);
    assert_non_null(v);
    assert_int_equal(v->off, 42);
    assert_int_equal(v->hdr_len, 8);
    assert_int_equal(wp_test_field(v, "vni"), 5000);
    assert_int_equal(wp_test_field(v, "flags"), 0x08);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(e);
    assert_int_equal(e->off, 50);
    assert_true(e->depth > v->depth);
    char fmt[32];
    assert_string_equal(wp_layer_format(v, fmt, sizeof fmt), "!B3xI");
    wp_fixture_free(fx);
}

static void test_vxlan_carries_vlan_tagged_ipv6(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 5, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_VXLAN, 0)->h.vxlan.vni, 0xabcdef);
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_VLAN, 0);
    assert_non_null(t);
    assert_int_equal(t->h.vlan.vid, 100);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    const wp_layer *u = wp_test_layer(&p, WP_PROTO_UDP, 1);
    assert_non_null(u);
    assert_int_equal(u->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_vxlan_flag_clear_is_an_event(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-encap.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    assert_true(wp_test_has_event(&p, "vxlan.vni_flag_clear"));
    assert_int_equal(wp_test_layer(&p, WP_PROTO_VXLAN, 0)->h.vxlan.vni, 7);
    wp_fixture_free(fx);
}

static void test_udp_port_table_names_known_ports_only(void **state)
{
    (void)state;
    assert_int_equal(wp_proto_by_udp_port(49152, 4789), WP_PROTO_VXLAN);
    assert_int_equal(wp_proto_by_udp_port(53, 40000), WP_PROTO_DNS);
    assert_int_equal(wp_proto_by_udp_port(40000, 53), WP_PROTO_DNS);
    /* the destination port is asked first */
    assert_int_equal(wp_proto_by_udp_port(53, 4789), WP_PROTO_VXLAN);
    assert_int_equal(wp_proto_by_udp_port(49152, 6635), WP_PROTO_MPLS);
    assert_int_equal(wp_proto_by_udp_port(40000, 7), WP_PROTO_PAYLOAD);
}

static void test_vxlan_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    /* frame 5 cut 4 bytes into the VXLAN header */
    wp_frame f = {1700000000, 0, 46, fx->frames[4].len, WP_LINK_EN10MB, fx->frames[4].data};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "vxlan.truncated"));
    assert_true(wp_test_layer(&p, WP_PROTO_VXLAN, 0)->flags & WP_LF_TRUNCATED);
    assert_null(wp_test_layer(&p, WP_PROTO_ETH, 1));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vxlan_on_udp_4789_carries_ethernet),
        cmocka_unit_test(test_vxlan_carries_vlan_tagged_ipv6),
        cmocka_unit_test(test_vxlan_flag_clear_is_an_event),
        cmocka_unit_test(test_udp_port_table_names_known_ports_only),
        cmocka_unit_test(test_vxlan_cut_header_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
