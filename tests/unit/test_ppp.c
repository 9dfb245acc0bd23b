/* Unit tests for the PPP decoder (src/proto/ppp.c) as a link type
 * (LINKTYPE_PPP 9, with address and control bytes): IPv4 by protocol
 * 0x0021, LCP as payload, a cut header. Checked with tshark (ppp.protocol)
 * on captures/link-ppp.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_ppp_link_type_with_address_and_control_carries_ipv4(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("link-ppp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_PPP);
    assert_int_equal(l->hdr_len, 4);
    assert_int_equal(wp_test_field(l, "address"), 0xff);
    assert_int_equal(wp_test_field(l, "control"), 0x03);
    assert_int_equal(l->h.ppp.protocol, 0x0021);
    char fmt[16];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!BBH");
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[1].off, 4);
    assert_string_equal(wp_linktype_name(WP_LINK_PPP), "PPP");
    wp_fixture_free(fx);
}

static void test_ppp_lcp_is_payload(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("link-ppp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.layers[0].h.ppp.protocol, 0xc021);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].len, 8);
    char nb[16];
    assert_string_equal(wp_test_row(WP_PROTO_PPP, "protocol")->describe(0xc021, nb, sizeof nb),
                        "LCP");
    wp_fixture_free(fx);
}

static void test_ppp_cut_header_is_truncation(void **state)
{
    (void)state;
    const uint8_t b[3] = {0xff, 0x03, 0x00};
    wp_frame f = {1700000000, 0, sizeof b, 40, WP_LINK_PPP, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "ppp.truncated"));
    assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ppp_link_type_with_address_and_control_carries_ipv4),
        cmocka_unit_test(test_ppp_lcp_is_payload),
        cmocka_unit_test(test_ppp_cut_header_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
