/* Unit tests for DNS over TCP (src/proto/dnstcp.c), reached through the TCP
 * port table (53): a segment that holds exactly one message after its 2-byte
 * length is decoded as DNS/TCP then DNS; a message split over segments, two
 * messages in one segment, a cut prefix and a length below a DNS header
 * stay data. Checked with tshark (dns.length, dns.id, dns.qry.name, dns.a)
 * on captures/dns-tcp.pcap, which tools/mkfix_app.c writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static unsigned count(const wp_packet *p, unsigned proto)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->nlayers; i++)
        n += p->layers[i].proto == proto;
    return n;
}

static void test_dnstcp_query_and_response_are_decoded_after_the_length(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-tcp.pcap");
    wp_packet p;
    for (size_t i = 0; i < 2; i++) {
        wp_fixture_decode(fx, i, &p);
        assert_int_equal(p.nevents, 0);
        const wp_layer *t = wp_test_layer(&p, WP_PROTO_DNSTCP, 0);
        assert_non_null(t);
        assert_int_equal(t->off, 54);
        assert_int_equal(t->hdr_len, 2);
        assert_int_equal(wp_test_field(t, "length"), p.caplen - 56);
        const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
        assert_non_null(d);
        assert_int_equal(d->off, 56);
        assert_int_equal(d->depth, t->depth + 1);
        assert_int_equal(wp_test_field(d, "id"), 0x5a01);
        assert_int_equal(wp_test_field(d, "qr"), i);
        assert_int_equal(wp_test_field(d, "ancount"), i);
        /* the response's answer names its owner by a pointer to offset 12 of
         * the message, which is byte 56 + 12 of the frame */
        assert_int_equal(d->opt_count, 1 + i);
    }
    wp_fixture_free(fx);
}

static void test_dnstcp_split_and_pipelined_messages_stay_data(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-tcp.pcap");
    wp_packet p;
    for (size_t i = 2; i < 6; i++) {
        wp_fixture_decode(fx, i, &p);
        assert_int_equal(count(&p, WP_PROTO_DNSTCP), 0);
        assert_int_equal(count(&p, WP_PROTO_DNS), 0);
        assert_int_equal(count(&p, WP_PROTO_TRAILER), 0);
        assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    }
    wp_fixture_free(fx);
}

static void test_dnstcp_length_below_a_dns_header_is_data(void **state)
{
    (void)state;
    uint8_t d[2 + 11] = {0, 11};
    uint8_t buf[128];
    wp_packet p;
    wp_test_raw_tcp(buf, sizeof buf, 53, d, sizeof d, &p);
    assert_int_equal(count(&p, WP_PROTO_DNSTCP), 0);
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
}

static void test_dnstcp_on_another_port_is_data(void **state)
{
    (void)state;
    uint8_t d[2 + 12] = {0, 12, 0x12, 0x34, 0x01, 0x00, 0, 1};
    uint8_t buf[128];
    wp_packet p;
    wp_test_raw_tcp(buf, sizeof buf, 5353, d, sizeof d, &p);
    assert_int_equal(count(&p, WP_PROTO_DNSTCP), 0);
    wp_test_raw_tcp(buf, sizeof buf, 53, d, sizeof d, &p);
    assert_int_equal(count(&p, WP_PROTO_DNSTCP), 1);
    assert_int_equal(count(&p, WP_PROTO_DNS), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dnstcp_query_and_response_are_decoded_after_the_length),
        cmocka_unit_test(test_dnstcp_split_and_pipelined_messages_stay_data),
        cmocka_unit_test(test_dnstcp_length_below_a_dns_header_is_data),
        cmocka_unit_test(test_dnstcp_on_another_port_is_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
