/* Unit tests for the DNS header decoder (src/proto/dns.c), reached by UDP
 * port 53: id, the flag bits, the four counts; a header cut by the UDP
 * length. Checked with tshark (dns.id, dns.flags.response, dns.flags.*,
 * dns.count.*) on captures/encap-dns.pcap and bad-encap.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_dns_query_header_fields(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    assert_int_equal(d->off, 42);
    assert_int_equal(d->hdr_len, 12);
    assert_int_equal(wp_test_field(d, "id"), 0x1234);
    assert_int_equal(wp_test_field(d, "qr"), 0);
    assert_int_equal(wp_test_field(d, "opcode"), 0);
    assert_int_equal(wp_test_field(d, "rd"), 1);
    assert_int_equal(wp_test_field(d, "ra"), 0);
    assert_int_equal(wp_test_field(d, "qdcount"), 1);
    assert_int_equal(wp_test_field(d, "ancount"), 0);
    /* the question follows as payload */
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[p.nlayers - 1].off, 54);
    char fmt[32];
    assert_string_equal(wp_layer_format(d, fmt, sizeof fmt), "!HHHHHH");
    wp_fixture_free(fx);
}

static void test_dns_response_header_fields(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    assert_int_equal(d->h.dns.qr, 1);
    assert_int_equal(d->h.dns.rd, 1);
    assert_int_equal(d->h.dns.ra, 1);
    assert_int_equal(d->h.dns.aa, 0);
    assert_int_equal(d->h.dns.rcode, 0);
    assert_int_equal(d->h.dns.ancount, 1);
    char nb[32];
    assert_string_equal(wp_test_row(WP_PROTO_DNS, "rcode")->describe(3, nb, sizeof nb),
                        "no such name");
    assert_null(wp_test_row(WP_PROTO_DNS, "rcode")->describe(99, nb, sizeof nb));
    wp_fixture_free(fx);
}

static void test_dns_header_cut_by_udp_length_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-encap.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    assert_true(wp_test_has_event(&p, "dns.truncated"));
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_true(d->flags & WP_LF_TRUNCATED);
    /* the id was there; the counts were not, and are not shown */
    assert_int_equal(d->h.dns.id, 0x1234);
    assert_false(wp_field_shown(&p, d, wp_test_row(WP_PROTO_DNS, "qdcount")));
    assert_true(wp_field_shown(&p, d, wp_test_row(WP_PROTO_DNS, "id")));
    wp_fixture_free(fx);
}

static void test_udp_fragment_to_port_53_stays_data(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    uint8_t b[128];
    size_t n = fx->frames[0].caplen;
    memcpy(b, fx->frames[0].data, n);
    b[14 + 6] = 0x20; /* MF: a first fragment */
    b[14 + 10] = b[14 + 11] = 0;
    wp_test_put16(b + 24, wp_test_ref_csum(b + 14, 20, 0));
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_null(wp_test_layer(&p, WP_PROTO_DNS, 0));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_query_header_fields),
        cmocka_unit_test(test_dns_response_header_fields),
        cmocka_unit_test(test_dns_header_cut_by_udp_length_is_truncation),
        cmocka_unit_test(test_udp_fragment_to_port_53_stays_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
