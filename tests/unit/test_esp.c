/* Unit tests for the ESP decoder (src/proto/esp.c): SPI and sequence in the
 * clear, the rest payload; a cut header. Checked with tshark (esp.spi,
 * esp.sequence) on captures/encap-ipsec-igmp.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_esp_spi_and_sequence_then_opaque_payload(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ESP, 0);
    assert_non_null(e);
    assert_int_equal(wp_test_field(e, "spi"), 0x1000);
    assert_int_equal(wp_test_field(e, "seq"), 1);
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[p.nlayers - 1].len, 16);
    wp_fixture_free(fx);
}

static void test_esp_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-ipsec-igmp.pcap");
    wp_frame f = fx->frames[3];
    f.caplen = 34 + 6;
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "esp.truncated"));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_esp_spi_and_sequence_then_opaque_payload),
        cmocka_unit_test(test_esp_cut_header_is_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
