/* Unit tests for the Geneve decoder (src/proto/geneve.c) and the UDP port
 * that reaches it (6081): the base header, options as layers of their own,
 * the inner frame by protocol type, and opt_len or option lengths that run
 * past what holds them. Checked with tshark (geneve.vni, geneve.proto_type,
 * geneve.option.class) on captures/encap-overlays.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void test_geneve_on_udp_6081_carries_ethernet(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GENEVE, 0);
    assert_non_null(g);
    assert_int_equal(g->off, 42);
    assert_int_equal(g->hdr_len, 8);
    assert_int_equal(wp_test_field(g, "vni"), 0x123456);
    assert_int_equal(wp_test_field(g, "protocol"), 0x6558);
    assert_int_equal(wp_test_field(g, "opt_len"), 0);
    assert_null(wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 0));
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(e);
    assert_int_equal(e->off, 50);
    assert_true(e->depth > g->depth);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 1)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_geneve_options_are_layers_then_vlan_tagged_ipv6(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GENEVE, 0);
    assert_int_equal(wp_test_field(g, "opt_len"), 3);
    assert_int_equal(wp_test_field(g, "c"), 1);
    const wp_layer *o1 = wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 0);
    const wp_layer *o2 = wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 1);
    assert_non_null(o1);
    assert_non_null(o2);
    assert_int_equal(o1->off, 50);
    assert_int_equal(o1->hdr_len, 8);
    assert_int_equal(wp_test_field(o1, "class"), 0x0102);
    assert_int_equal(wp_test_field(o1, "type"), 0x80);
    char d[32];
    assert_string_equal(wp_test_row(WP_PROTO_GENEVE_OPT, "type")->describe(0x80, d, sizeof d),
                        "critical");
    assert_int_equal(wp_test_field(o1, "length"), 1);
    assert_int_equal(o2->off, 58);
    assert_int_equal(wp_test_field(o2, "class"), 0xffff);
    assert_null(wp_test_row(WP_PROTO_GENEVE_OPT, "type")->describe(0x05, d, sizeof d));
    assert_null(wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 2));
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_int_equal(e->off, 62);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_VLAN, 0)->h.vlan.vid, 200);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 1)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_geneve_protocol_ipv4_goes_straight_to_ip(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_int_equal(p.nevents, 0);
    assert_null(wp_test_layer(&p, WP_PROTO_ETH, 1));
    const wp_layer *ip = wp_test_layer(&p, WP_PROTO_IPV4, 1);
    assert_non_null(ip);
    assert_int_equal(ip->off, 50);
    assert_non_null(wp_test_layer(&p, WP_PROTO_ICMP, 0));
    wp_fixture_free(fx);
}

static void test_geneve_opt_len_past_the_datagram_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_true(wp_test_has_event(&p, "geneve.opt_len_invalid"));
    assert_null(wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 0));
    assert_null(wp_test_layer(&p, WP_PROTO_ETH, 1));
    /* the rest is shown as payload, from the end of the fixed header */
    const wp_layer *d = &p.layers[p.nlayers - 1];
    assert_int_equal(d->proto, WP_PROTO_PAYLOAD);
    assert_int_equal(d->off, 50);
    wp_fixture_free(fx);
}

static void test_geneve_option_longer_than_the_options_is_invalid_inner_frame_follows(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_true(wp_test_has_event(&p, "geneve-opt.length_invalid"));
    const wp_layer *o = wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 0);
    assert_non_null(o);
    assert_int_equal(wp_test_field(o, "length"), 3);
    /* the option keeps to the options' 4 bytes; the inner frame starts
     * where the Geneve header says the options end, as tshark's does */
    assert_int_equal(o->hdr_len, 4);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(e);
    assert_int_equal(e->off, 54);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 1)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_geneve_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 9, &p);
    assert_true(wp_test_has_event(&p, "geneve.truncated"));
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GENEVE, 0);
    assert_true(g->flags & WP_LF_TRUNCATED);
    /* the VNI's bytes were not captured: the outputs do not show it */
    assert_false(wp_field_shown(&p, g, wp_test_row(WP_PROTO_GENEVE, "vni")));
    assert_true(wp_field_shown(&p, g, wp_test_row(WP_PROTO_GENEVE, "protocol")));
    wp_fixture_free(fx);
}

/* A snap length inside an option's data: the option is truncated, and
 * nothing after it is decoded from bytes that are not there. */
static void test_geneve_option_data_cut_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_frame f = fx->frames[1];
    f.caplen = 55; /* the first option is 50..57 */
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "geneve-opt.truncated"));
    const wp_layer *o = wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 0);
    assert_true(o->flags & WP_LF_TRUNCATED);
    assert_int_equal(wp_test_field(o, "class"), 0x0102);
    assert_null(wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 1));
    assert_false(wp_test_has_event(&p, "geneve-opt.length_invalid"));
    wp_fixture_free(fx);
}

/* Options packed back to back up to the layer cap: the chain stops at the
 * cap with its event, never past the frame. */
static void test_geneve_many_options_stop_at_the_layer_cap(void **state)
{
    (void)state;
    uint8_t f[14 + 20 + 8 + 8 + 63 * 4];
    memset(f, 0, sizeof f);
    f[12] = 0x08; /* IPv4 */
    f[14] = 0x45;
    wp_test_put16(f + 16, (uint16_t)(sizeof f - 14));
    f[22] = 64;
    f[23] = 17;
    wp_test_put16(f + 34, 50000);
    wp_test_put16(f + 36, 6081);
    wp_test_put16(f + 38, (uint16_t)(sizeof f - 34));
    f[42] = 63; /* opt_len 63: 63 empty options of 4 bytes */
    wp_test_put16(f + 44, 0x6558);
    wp_frame fr = {1700000000, 0, sizeof f, sizeof f, WP_LINK_EN10MB, f};
    wp_packet p;
    wp_decode(&fr, &p);
    assert_true(p.layer_cap_hit);
    assert_true(p.nlayers <= WP_MAX_LAYERS);
    assert_non_null(wp_test_layer(&p, WP_PROTO_GENEVE_OPT, 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geneve_on_udp_6081_carries_ethernet),
        cmocka_unit_test(test_geneve_options_are_layers_then_vlan_tagged_ipv6),
        cmocka_unit_test(test_geneve_protocol_ipv4_goes_straight_to_ip),
        cmocka_unit_test(test_geneve_opt_len_past_the_datagram_is_invalid),
        cmocka_unit_test(test_geneve_option_longer_than_the_options_is_invalid_inner_frame_follows),
        cmocka_unit_test(test_geneve_cut_header_is_truncation),
        cmocka_unit_test(test_geneve_option_data_cut_is_truncation),
        cmocka_unit_test(test_geneve_many_options_stop_at_the_layer_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
