/* Unit tests for the NFLOG link type (src/proto/nflog.c, LINKTYPE 239):
 * the header, little-endian TLV lengths and types, the packet header TLV's
 * hardware protocol and hook, the payload as IPv4 or IPv6 by the family
 * byte, a TLV shorter than its own header and a TLV cut by the capture.
 * Checked with tshark (nflog.family, nflog.res_id, nflog.tlv_type,
 * nflog.protocol, nflog.hook) on captures/linkmisc-nflog.pcap and the
 * corpus's nflog.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_nflog_family_2_payload_is_ipv4(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-nflog.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *n = &p.layers[0];
    assert_int_equal(n->proto, WP_PROTO_NFLOG);
    assert_int_equal(wp_test_field(n, "family"), 2);
    assert_int_equal(wp_test_field(n, "resource_id"), 5);
    assert_int_equal(n->opt_count, 4);
    const wp_opt *t = &p.opts[n->opt_first];
    assert_int_equal(t[0].kind, 1); /* packet_hdr */
    assert_int_equal(t[0].len, 8);
    assert_int_equal(t[0].v[0], 0x0800);
    assert_int_equal(t[0].v[1], 1);
    assert_int_equal(t[1].kind, 10); /* prefix "in-udp\0": 11 bytes, padded to 12 */
    assert_int_equal(t[1].len, 11);
    assert_int_equal(t[2].off, 4 + 8 + 12);
    assert_int_equal(t[3].kind, 9);
    /* the header runs to the payload's first byte */
    const wp_layer *ip = wp_test_layer(&p, WP_PROTO_IPV4, 0);
    assert_int_equal(ip->off, n->hdr_len);
    assert_int_equal(n->hdr_len, t[3].off + 4);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    assert_string_equal(wp_opt_name(WP_PROTO_NFLOG, 9), "payload");
    wp_fixture_free(fx);
}

static void test_nflog_family_10_payload_is_ipv6(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-nflog.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(wp_test_field(&p.layers[0], "family"), 10);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_TCP, 0)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_nflog_tlv_shorter_than_its_header_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-nflog.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_true(wp_test_has_event(&p, "nflog.tlv_length_invalid"));
    assert_int_equal(p.layers[0].opt_count, 1);
    assert_true(p.opts[p.layers[0].opt_first].bad);
    wp_fixture_free(fx);
}

static void test_nflog_tlv_cut_by_the_capture_is_truncated(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-nflog.pcap");
    wp_frame f = fx->frames[0];
    f.caplen = 4 + 8 + 2; /* inside the second TLV's header */
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "nflog.truncated"));
    assert_int_equal(p.layers[0].opt_count, 1);
    assert_null(wp_test_layer(&p, WP_PROTO_IPV4, 0));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nflog_family_2_payload_is_ipv4),
        cmocka_unit_test(test_nflog_family_10_payload_is_ipv6),
        cmocka_unit_test(test_nflog_tlv_shorter_than_its_header_is_invalid),
        cmocka_unit_test(test_nflog_tlv_cut_by_the_capture_is_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
