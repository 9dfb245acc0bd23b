/* Unit tests for the PPPoE decoder (src/proto/pppoe.c): discovery and
 * session headers, the length bounding the payload, PPP inside a session.
 * Checked with tshark (pppoe.code, pppoe.session_id, pppoe.payload_length,
 * ppp.protocol) on captures/encap-pppoe.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_pppoe_discovery_padi_tags_are_payload_then_padding(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-pppoe.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_PPPOE, 0);
    assert_non_null(l);
    assert_int_equal(wp_test_field(l, "version"), 1);
    assert_int_equal(wp_test_field(l, "type"), 1);
    assert_int_equal(wp_test_field(l, "code"), 0x09);
    assert_int_equal(wp_test_field(l, "session_id"), 0);
    assert_int_equal(wp_test_field(l, "length"), 4);
    assert_int_equal(p.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[2].len, 4);
    assert_int_equal(p.layers[3].proto, WP_PROTO_TRAILER);
    char nb[32];
    assert_string_equal(wp_test_row(WP_PROTO_PPPOE, "code")->describe(0x09, nb, sizeof nb),
                        "PADI");
    wp_fixture_free(fx);
}

static void test_pppoe_session_carries_ppp_then_ip(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-pppoe.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_PPPOE, 0);
    assert_int_equal(l->h.pppoe.session_id, 0x1234);
    assert_int_equal(l->h.pppoe.length, 42);
    const wp_layer *pp = wp_test_layer(&p, WP_PROTO_PPP, 0);
    assert_non_null(pp);
    assert_int_equal(pp->off, 20);
    assert_int_equal(pp->hdr_len, 2);
    assert_int_equal(pp->h.ppp.protocol, 0x0021);
    char fmt[16];
    assert_string_equal(wp_layer_format(pp, fmt, sizeof fmt), "!H");
    assert_int_equal(wp_test_layer(&p, WP_PROTO_IPV4, 0)->off, 22);
    wp_fixture_decode(fx, 2, &p);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    wp_fixture_free(fx);
}

static void test_pppoe_length_beyond_the_frame_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-pppoe.pcap");
    uint8_t b[128];
    size_t n = fx->frames[1].caplen;
    memcpy(b, fx->frames[1].data, n);
    b[18] = 0x01; /* length 0x012a = 298 */
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "pppoe.length_exceeds_frame"));
    wp_fixture_free(fx);
}

static void test_pppoe_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-pppoe.pcap");
    wp_frame f = fx->frames[1];
    f.caplen = 17;
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "pppoe.truncated"));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pppoe_discovery_padi_tags_are_payload_then_padding),
        cmocka_unit_test(test_pppoe_session_carries_ppp_then_ip),
        cmocka_unit_test(test_pppoe_length_beyond_the_frame_is_invalid),
        cmocka_unit_test(test_pppoe_cut_header_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
