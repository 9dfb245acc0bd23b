/* Unit tests for the AH decoder (src/proto/ah.c): SPI, sequence, the
 * length in words, the protected UDP after the ICV (its checksum through
 * the IP pseudo-header under AH), a length beyond the payload, a cut ICV.
 * Checked with tshark (ah.spi, ah.sequence) on captures/encap-ipsec-igmp.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_ah_then_the_udp_it_protects(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *a = wp_test_layer(&p, WP_PROTO_AH, 0);
    assert_non_null(a);
    assert_int_equal(a->h.ah.next_header, 17);
    assert_int_equal(a->h.ah.length, 4);
    assert_int_equal(a->hdr_len, 24);
    assert_int_equal(a->h.ah.spi, 0x2000);
    assert_int_equal(a->h.ah.seq, 5);
    const wp_layer *u = wp_test_layer(&p, WP_PROTO_UDP, 0);
    assert_non_null(u);
    assert_int_equal(u->off, 34 + 24);
    assert_int_equal(u->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_ah_length_beyond_the_payload_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    uint8_t b[128];
    size_t n = fx->frames[4].caplen;
    memcpy(b, fx->frames[4].data, n);
    b[35] = 200; /* 808 bytes */
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "ah.length_invalid"));
    assert_null(wp_test_layer(&p, WP_PROTO_UDP, 0));
    wp_fixture_free(fx);
}

static void test_ah_cut_icv_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_frame f = fx->frames[4];
    f.caplen = 34 + 16; /* 4 ICV bytes of 12 */
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "ah.truncated"));
    assert_true(wp_test_layer(&p, WP_PROTO_AH, 0)->flags & WP_LF_TRUNCATED);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ah_then_the_udp_it_protects),
        cmocka_unit_test(test_ah_length_beyond_the_payload_is_invalid),
        cmocka_unit_test(test_ah_cut_icv_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
