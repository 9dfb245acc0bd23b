/* Unit tests for ERSPAN in GRE (src/proto/erspan.c and the GRE dispatch in
 * src/proto/gre.c): type II (0x88be with a GRE sequence number), type III
 * (0x22eb), type I (0x88be without: no ERSPAN header), and a cut header.
 * Checked with tshark (erspan.version, erspan.spanid, erspan.vlan,
 * erspan.index, erspan.timestamp) on captures/encap-overlays.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void test_erspan_type2_then_the_mirrored_frame(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 11, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ERSPAN, 0);
    assert_non_null(e);
    assert_int_equal(e->off, 42);
    assert_int_equal(e->hdr_len, 8);
    assert_int_equal(wp_test_field(e, "version"), 1);
    assert_int_equal(wp_test_field(e, "vlan"), 10);
    assert_int_equal(wp_test_field(e, "cos"), 3);
    assert_int_equal(wp_test_field(e, "session_id"), 100);
    assert_int_equal(wp_test_field(e, "index"), 5);
    assert_false(wp_field_shown(&p, e, wp_test_row(WP_PROTO_ERSPAN, "timestamp")));
    const wp_layer *inner = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(inner);
    assert_int_equal(inner->off, 50);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_erspan_type3_fields(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 12, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_GRE, 0)->h.gre.protocol, 0x22eb);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ERSPAN, 0);
    assert_int_equal(e->hdr_len, 12);
    assert_int_equal(wp_test_field(e, "version"), 2);
    assert_int_equal(wp_test_field(e, "session_id"), 200);
    assert_int_equal(wp_test_field(e, "timestamp"), 0x5f5e1000);
    assert_int_equal(wp_test_field(e, "sgt"), 12);
    assert_int_equal(wp_test_field(e, "hw"), 1);
    assert_int_equal(wp_test_field(e, "d"), 1);
    assert_int_equal(wp_test_field(e, "gra"), 3);
    assert_int_equal(wp_test_field(e, "ft"), 0);
    assert_false(wp_field_shown(&p, e, wp_test_row(WP_PROTO_ERSPAN, "index")));
    assert_int_equal(wp_test_layer(&p, WP_PROTO_ETH, 1)->off, 50);
    wp_fixture_free(fx);
}

static void test_erspan_type1_has_no_header(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 13, &p);
    assert_int_equal(p.nevents, 0);
    assert_null(wp_test_layer(&p, WP_PROTO_ERSPAN, 0));
    const wp_layer *inner = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(inner);
    assert_int_equal(inner->off, 38);
    assert_non_null(wp_test_layer(&p, WP_PROTO_ICMP, 0));
    wp_fixture_free(fx);
}

static void test_erspan_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    assert_true(wp_test_has_event(&p, "erspan.truncated"));
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ERSPAN, 0);
    assert_true(e->flags & WP_LF_TRUNCATED);
    assert_int_equal(wp_test_field(e, "session_id"), 101);
    assert_false(wp_field_shown(&p, e, wp_test_row(WP_PROTO_ERSPAN, "index")));
    assert_null(wp_test_layer(&p, WP_PROTO_ETH, 1));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erspan_type2_then_the_mirrored_frame),
        cmocka_unit_test(test_erspan_type3_fields),
        cmocka_unit_test(test_erspan_type1_has_no_header),
        cmocka_unit_test(test_erspan_cut_header_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
