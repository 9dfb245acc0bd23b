/* Unit tests for the MPLS decoder (src/proto/mpls.c): one layer per label
 * stack entry, IPv4/IPv6 after the bottom by the first nibble, a stack
 * without bottom, a stack longer than the layer cap. Checked with tshark
 * (mpls.label, mpls.exp, mpls.bottom, mpls.ttl) on the fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_mpls_two_labels_then_ipv4(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *a = wp_test_layer(&p, WP_PROTO_MPLS, 0);
    const wp_layer *b = wp_test_layer(&p, WP_PROTO_MPLS, 1);
    assert_non_null(b);
    assert_int_equal(a->off, 14);
    assert_int_equal(wp_test_field(a, "label"), 1000);
    assert_int_equal(wp_test_field(a, "tc"), 5);
    assert_int_equal(wp_test_field(a, "s"), 0);
    assert_int_equal(wp_test_field(a, "ttl"), 64);
    assert_int_equal(b->off, 18);
    assert_int_equal(wp_test_field(b, "label"), 2000);
    assert_int_equal(wp_test_field(b, "s"), 1);
    assert_int_equal(wp_test_field(b, "ttl"), 63);
    const wp_layer *ip = wp_test_layer(&p, WP_PROTO_IPV4, 0);
    assert_non_null(ip);
    assert_int_equal(ip->off, 22);
    wp_fixture_free(fx);
}

static void test_mpls_bottom_then_ipv6_by_first_nibble(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_MPLS, 0)->h.mpls.label, 16);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    wp_fixture_free(fx);
}

static void test_mpls_stack_without_bottom_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-encap.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_true(wp_test_has_event(&p, "mpls.no_bottom"));
    assert_non_null(wp_test_layer(&p, WP_PROTO_MPLS, 1));
    assert_null(wp_test_layer(&p, WP_PROTO_MPLS, 2));
    wp_fixture_free(fx);
}

static void test_mpls_bottom_then_unknown_nibble_is_payload(void **state)
{
    (void)state;
    uint8_t b[14 + 4 + 4] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x47,
                             0x00, 0x01, 0x01, 0x40, 0x00, 0x00, 0x00, 0x00};
    wp_frame f = {1700000000, 0, sizeof b, sizeof b, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 3);
    assert_int_equal(p.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[2].off, 18);
}

static void test_mpls_long_stack_stops_at_the_layer_cap(void **state)
{
    (void)state;
    /* 100 entries, none with S: the layer cap, not the stack, ends it */
    uint8_t b[14 + 400];
    memset(b, 0, sizeof b);
    b[12] = 0x88;
    b[13] = 0x47;
    for (int i = 0; i < 100; i++)
        b[14 + 4 * i + 3] = 64;
    wp_frame f = {1700000000, 0, sizeof b, sizeof b, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "packet.layer_cap"));
    assert_true(p.nlayers <= WP_MAX_LAYERS);
}

static void test_mpls_cut_entry_is_truncation(void **state)
{
    (void)state;
    uint8_t b[14 + 2] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x47, 0x00, 0x01};
    wp_frame f = {1700000000, 0, sizeof b, 60, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "mpls.truncated"));
    assert_true(wp_test_layer(&p, WP_PROTO_MPLS, 0)->flags & WP_LF_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mpls_two_labels_then_ipv4),
        cmocka_unit_test(test_mpls_bottom_then_ipv6_by_first_nibble),
        cmocka_unit_test(test_mpls_stack_without_bottom_is_invalid),
        cmocka_unit_test(test_mpls_bottom_then_unknown_nibble_is_payload),
        cmocka_unit_test(test_mpls_long_stack_stops_at_the_layer_cap),
        cmocka_unit_test(test_mpls_cut_entry_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
