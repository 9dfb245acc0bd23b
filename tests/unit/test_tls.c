/* Unit tests for the TLS record decoder (src/proto/tls.c), reached through
 * the TCP port table (443, 8443, 853, ...): record header fields, the
 * handshake type, a ClientHello's SNI, several records in one segment, a
 * record longer than its segment, a ClientHello cut by the snap length, an
 * encrypted handshake record. Checked with tshark (tls.record.content_type,
 * tls.record.version, tls.handshake.type,
 * tls.handshake.extensions_server_name) on captures/app-tls.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void assert_sni(const wp_packet *p, const wp_layer *l, const char *want)
{
    const wp_field *f = wp_test_row(WP_PROTO_TLS, "sni");
    if (!want) {
        assert_false(wp_field_shown(p, l, f));
        return;
    }
    assert_true(wp_field_shown(p, l, f));
    uint32_t n;
    const uint8_t *b = wp_field_text(p, l, f, &n);
    assert_non_null(b);
    if (n != strlen(want) || memcmp(b, want, n) != 0)
        fail_msg("sni is \"%.*s\", want \"%s\"", (int)n, (const char *)b, want);
}

static unsigned count(const wp_packet *p, unsigned proto)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->nlayers; i++)
        n += p->layers[i].proto == proto;
    return n;
}

static void test_tls_client_hello_record_and_sni(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TLS, 0);
    assert_non_null(t);
    assert_int_equal(t->off, 54);
    assert_int_equal(wp_test_field(t, "content_type"), 22);
    assert_int_equal(wp_test_field(t, "version"), 0x0301);
    assert_int_equal(wp_test_field(t, "length"), p.caplen - 54 - 5);
    assert_int_equal(wp_test_field(t, "handshake_type"), 1);
    assert_int_equal(t->hdr_len, 6);
    assert_int_equal(t->len, p.caplen - 54);
    assert_sni(&p, t, "example.com");
    char nb[32];
    assert_string_equal(wp_test_row(WP_PROTO_TLS, "handshake_type")->describe(1, nb, sizeof nb),
                        "Client Hello");
    assert_string_equal(wp_test_row(WP_PROTO_TLS, "version")->describe(0x0303, nb, sizeof nb),
                        "TLS 1.2");
    char fmt[32];
    assert_string_equal(wp_layer_format(t, fmt, sizeof fmt), "!BHHB");
    wp_fixture_free(fx);
}

static void test_tls_two_records_in_one_segment_are_two_layers(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(count(&p, WP_PROTO_TLS), 2);
    const wp_layer *a = wp_test_layer(&p, WP_PROTO_TLS, 0), *b = wp_test_layer(&p, WP_PROTO_TLS, 1);
    assert_int_equal(a->h.tls.handshake_type, 2); /* Server Hello */
    assert_int_equal(b->h.tls.content_type, 20);  /* Change Cipher Spec */
    assert_int_equal(b->h.tls.has_handshake, 0);
    /* side by side: the same depth, the second right after the first */
    assert_int_equal(a->depth, b->depth);
    assert_int_equal(b->off, a->off + a->len);
    /* the first record's data is a payload layer inside it */
    const wp_layer *d = a + 1;
    assert_int_equal(d->proto, WP_PROTO_PAYLOAD);
    assert_int_equal(d->depth, a->depth + 1);
    assert_int_equal(d->off, a->off + a->hdr_len);
    assert_int_equal(d->off + d->len, b->off);
    assert_sni(&p, a, NULL);
    wp_fixture_free(fx);
}

static void test_tls_encrypted_handshake_has_no_handshake_type(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_int_equal(count(&p, WP_PROTO_TLS), 3);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_TLS, 1);
    assert_int_equal(e->h.tls.content_type, 22);
    assert_int_equal(e->h.tls.has_handshake, 0);
    assert_false(wp_field_shown(&p, e, wp_test_row(WP_PROTO_TLS, "handshake_type")));
    assert_int_equal(wp_test_layer(&p, WP_PROTO_TLS, 2)->h.tls.content_type, 23);
    wp_fixture_free(fx);
}

static void test_tls_record_longer_than_the_segment_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 5, &p);
    assert_true(wp_test_has_event(&p, "tls.record_truncated"));
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TLS, 0);
    assert_true(t->flags & WP_LF_TRUNCATED);
    assert_int_equal(t->h.tls.length, 4 + 3 + 1192); /* handshake header, list length, list */
    assert_int_equal(t->h.tls.handshake_type, 11); /* Certificate, its header is here */
    assert_int_equal(t->len, 200);                 /* what the segment holds */
    wp_fixture_free(fx);
}

static void test_tls_client_hello_cut_by_snap_length_shows_no_sni(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p);
    assert_true(p.caplen < p.len);
    assert_true(wp_test_has_event(&p, "tls.record_truncated"));
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TLS, 0);
    assert_int_equal(t->h.tls.handshake_type, 1);
    assert_sni(&p, t, NULL);
    wp_fixture_free(fx);
}

static void test_tls_on_port_853_and_without_server_name(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    assert_sni(&p, wp_test_layer(&p, WP_PROTO_TLS, 0), "dns.example");
    wp_fixture_decode(fx, 8, &p); /* 8443, no server_name extension */
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TLS, 0);
    assert_int_equal(t->h.tls.handshake_type, 1);
    assert_sni(&p, t, NULL);
    wp_fixture_free(fx);
}

static void test_tls_record_header_cut_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 9, &p);
    assert_true(wp_test_has_event(&p, "tls.truncated"));
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TLS, 0);
    assert_true(t->flags & WP_LF_TRUNCATED);
    assert_false(wp_field_shown(&p, t, wp_test_row(WP_PROTO_TLS, "length")));
    assert_true(wp_field_shown(&p, t, wp_test_row(WP_PROTO_TLS, "content_type")));
    wp_fixture_free(fx);
}

static void test_tls_more_records_than_the_cap_is_an_event(void **state)
{
    (void)state;
    uint8_t d[12 * 6], frame[200];
    for (unsigned i = 0; i < 12; i++) {
        uint8_t r[6] = {23, 3, 3, 0, 1, (uint8_t)i};
        memcpy(d + 6 * i, r, 6);
    }
    wp_packet p;
    wp_test_raw_tcp(frame, sizeof frame, 443, d, sizeof d, &p);
    assert_true(wp_test_has_event(&p, "tls.records_cap"));
    assert_int_equal(count(&p, WP_PROTO_TLS), 8);
}

static void test_tls_port_with_no_record_start_is_payload(void **state)
{
    (void)state;
    static const uint8_t d[] = {0x17, 0x02, 0x00, 0x00, 0x10, 1, 2}; /* version 2.0 */
    uint8_t frame[100];
    wp_packet p;
    wp_test_raw_tcp(frame, sizeof frame, 443, d, sizeof d, &p);
    assert_null(wp_test_layer(&p, WP_PROTO_TLS, 0));
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
}

static void test_tls_extension_list_walk_stops_at_a_lying_length(void **state)
{
    (void)state;
    /* a ClientHello whose only extension claims 200 bytes of the 4 there */
    uint8_t d[5 + 4 + 2 + 32 + 1 + 2 + 2 + 1 + 1 + 2 + 4 + 4] = {22, 3, 1};
    size_t o = 5;
    d[o++] = 1;
    size_t hs = sizeof d - 9;
    d[o++] = 0, d[o++] = 0, d[o++] = (uint8_t)hs;
    d[o++] = 3, d[o++] = 3;
    o += 32;
    d[o++] = 0;              /* session id */
    d[o++] = 0, d[o++] = 2;  /* suites */
    d[o++] = 0x13, d[o++] = 1;
    d[o++] = 1, d[o++] = 0;  /* compression */
    d[o++] = 0, d[o++] = 8;  /* extensions: 8 bytes */
    d[o++] = 0, d[o++] = 0;  /* server_name */
    d[o++] = 0, d[o++] = 200;
    d[3] = 0, d[4] = (uint8_t)(sizeof d - 5);
    uint8_t frame[200];
    wp_packet p;
    wp_test_raw_tcp(frame, sizeof frame, 443, d, sizeof d, &p);
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TLS, 0);
    assert_non_null(t);
    assert_int_equal(t->h.tls.handshake_type, 1);
    assert_sni(&p, t, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls_client_hello_record_and_sni),
        cmocka_unit_test(test_tls_two_records_in_one_segment_are_two_layers),
        cmocka_unit_test(test_tls_encrypted_handshake_has_no_handshake_type),
        cmocka_unit_test(test_tls_record_longer_than_the_segment_is_truncation),
        cmocka_unit_test(test_tls_client_hello_cut_by_snap_length_shows_no_sni),
        cmocka_unit_test(test_tls_on_port_853_and_without_server_name),
        cmocka_unit_test(test_tls_record_header_cut_is_truncation),
        cmocka_unit_test(test_tls_more_records_than_the_cap_is_an_event),
        cmocka_unit_test(test_tls_port_with_no_record_start_is_payload),
        cmocka_unit_test(test_tls_extension_list_walk_stops_at_a_lying_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
