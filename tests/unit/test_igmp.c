/* Unit tests for the IGMP decoder (src/proto/igmp.c): v2 report, v3 query
 * and report, the checksum over the message, a bad checksum. Checked with
 * tshark (igmp.type, igmp.maddr, igmp.checksum.status) on
 * captures/encap-ipsec-igmp.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_igmp_v2_report_has_its_group_and_a_good_checksum(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_IGMP, 0);
    assert_non_null(l);
    assert_int_equal(l->off, 34);
    assert_int_equal(l->h.igmp.type, 0x16);
    static const uint8_t g[4] = {239, 1, 2, 3};
    assert_memory_equal(l->h.igmp.group, g, 4);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_true(wp_field_shown(&p, l, wp_test_row(WP_PROTO_IGMP, "group")));
    char fmt[16];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!BBH4s");
    wp_fixture_free(fx);
}

static void test_igmp_v3_query_checksum_covers_the_whole_message(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_IGMP, 0);
    assert_int_equal(l->h.igmp.max_resp, 100);
    assert_int_equal(l->len, 12);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_igmp_v3_report_has_no_group_field(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_IGMP, 0);
    assert_int_equal(l->h.igmp.type, 0x22);
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_IGMP, "group")));
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_igmp_bad_checksum_is_an_event(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    uint8_t b[64];
    size_t n = fx->frames[0].caplen;
    memcpy(b, fx->frames[0].data, n);
    b[34 + 7] ^= 1; /* the group's last byte */
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "igmp.checksum_bad"));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_igmp_v2_report_has_its_group_and_a_good_checksum),
        cmocka_unit_test(test_igmp_v3_query_checksum_covers_the_whole_message),
        cmocka_unit_test(test_igmp_v3_report_has_no_group_field),
        cmocka_unit_test(test_igmp_bad_checksum_is_an_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
