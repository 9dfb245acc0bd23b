/* ICMPv6: fixtures and crafted byte arrays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/checksum.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"

static wp_packet pk;

static const uint8_t SRC[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t DST[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static void put_ipv6(uint8_t *b, uint16_t plen, uint8_t nh)
{
    memset(b, 0, 40);
    b[0] = 0x60;
    b[4] = (uint8_t)(plen >> 8);
    b[5] = (uint8_t)plen;
    b[6] = nh;
    b[7] = 64;
    memcpy(b + 8, SRC, 16);
    memcpy(b + 24, DST, 16);
}

/* Fill in the checksum of the ICMPv6 message at m (len bytes), over the
 * IPv6 pseudo-header written out by hand (RFC 8200 8.1). */
static void icmpv6_fix_csum(uint8_t *m, uint32_t len)
{
    uint8_t ph[40] = {0};
    memcpy(ph, SRC, 16);
    memcpy(ph + 16, DST, 16);
    ph[34] = (uint8_t)(len >> 8);
    ph[35] = (uint8_t)len;
    ph[39] = 58;
    m[2] = m[3] = 0;
    uint16_t c = wp_csum_finish(wp_csum_add(wp_csum_add(0, ph, 40), m, len));
    m[2] = (uint8_t)(c >> 8);
    m[3] = (uint8_t)c;
}

static void decode_raw(const uint8_t *b, uint32_t caplen, uint32_t len)
{
    wp_frame f = {1700000000, 0, caplen, len, WP_LINK_RAW, b};
    wp_decode(&f, &pk);
}

static const wp_field *field_named(const wp_layer *l, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return &pi->fields[i];
    fail_msg("no field %s", name);
    return NULL;
}

static int shown(const wp_layer *l, const char *name)
{
    return wp_field_shown(&pk, l, field_named(l, name));
}

static const char *fmt_of(const wp_layer *l)
{
    static char buf[64];
    return wp_layer_format(l, buf, sizeof buf);
}

static void test_icmpv6_echo_fixture_request_and_reply(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmpv6-echo.pcap");
    assert_int_equal(fx->n, 2);
    static const uint16_t csums[2] = {0x5906, 0x5806};
    for (unsigned i = 0; i < 2; i++) {
        wp_fixture_decode(fx, i, &pk);
        assert_int_equal(pk.nlayers, 4);
        const wp_layer *l = &pk.layers[2];
        assert_int_equal(l->proto, WP_PROTO_ICMPV6);
        assert_string_equal(wp_proto_get(l->proto)->name, "icmpv6");
        assert_int_equal(l->off, 54);
        assert_int_equal(l->hdr_len, 8);
        assert_int_equal(l->len, 64);
        assert_int_equal(wp_test_field(l, "type"), 128 + i);
        assert_int_equal(wp_test_field(l, "code"), 0);
        assert_int_equal(wp_test_field(l, "checksum"), csums[i]);
        assert_int_equal(wp_test_field(l, "id"), 0x1234);
        assert_int_equal(wp_test_field(l, "seq"), 1);
        assert_true(shown(l, "id"));
        assert_false(shown(l, "mtu"));
        assert_false(shown(l, "pointer"));
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_int_equal(l->csum_computed, csums[i]);
        assert_string_equal(fmt_of(l), "!BBHHH");
        char nb[32];
        const char *name = field_named(l, "type")->describe(128 + i, nb, sizeof nb);
        assert_string_equal(name, i ? "Echo reply" : "Echo request");
        assert_int_equal(pk.layers[3].proto, WP_PROTO_PAYLOAD);
        assert_int_equal(pk.layers[3].off, 62);
        assert_int_equal(pk.layers[3].len, 56);
        assert_int_equal(pk.nevents, 0);
    }
    wp_fixture_free(fx);
}

static void test_icmpv6_bad_checksum_is_an_event(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmpv6-echo.pcap");
    uint8_t b[118];
    assert_int_equal(fx->frames[0].caplen, sizeof b);
    memcpy(b, fx->frames[0].data, sizeof b);
    b[100] ^= 0x01; /* one data bit */
    wp_frame f = fx->frames[0];
    f.data = b;
    wp_decode(&f, &pk);
    const wp_layer *l = wp_test_layer(&pk, WP_PROTO_ICMPV6, 0);
    assert_non_null(l);
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_true(wp_test_has_event(&pk, "icmpv6.checksum_bad"));
    assert_int_equal(pk.events[0].val, 0x5906);
    assert_int_not_equal(pk.events[0].ref, 0x5906);
    wp_fixture_free(fx);
}

static void test_icmpv6_echo_truncated_at_every_byte(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmpv6-echo.pcap");
    wp_frame f = fx->frames[0];
    for (uint32_t cap = 54; cap < f.len; cap++) {
        f.caplen = cap;
        wp_decode(&f, &pk);
        const wp_layer *l = wp_test_layer(&pk, WP_PROTO_ICMPV6, 0);
        assert_non_null(l);
        assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
        assert_false(wp_test_has_event(&pk, "icmpv6.checksum_bad"));
        assert_false(wp_test_has_event(&pk, "icmpv6.length_invalid"));
        assert_false(wp_test_has_event(&pk, "ipv6.payload_len_exceeds_frame"));
        if (cap < 62) {
            assert_int_equal(pk.nevents, 1);
            assert_string_equal(pk.events[0].def->code, "icmpv6.truncated");
            assert_int_equal(pk.events[0].val, cap - 54);
            /* without the type byte the header's length is not known */
            assert_int_equal(pk.events[0].ref, cap == 54 ? 4 : 8);
            assert_true(l->flags & WP_LF_TRUNCATED);
            assert_false(shown(l, "seq"));
        } else {
            assert_int_equal(pk.nevents, 0);
            assert_true(shown(l, "seq"));
        }
    }
    wp_fixture_free(fx);
}

/* ICMPv6 error of the given type with a quoted IPv6/UDP packet of which
 * qlen bytes are included; returns the frame length. */
static uint32_t build_error(uint8_t *b, uint8_t type, uint8_t code, uint32_t word,
                            uint32_t qlen)
{
    uint8_t *m = b + 40;
    put_ipv6(b, (uint16_t)(8 + qlen), 58);
    m[0] = type;
    m[1] = code;
    m[4] = (uint8_t)(word >> 24);
    m[5] = (uint8_t)(word >> 16);
    m[6] = (uint8_t)(word >> 8);
    m[7] = (uint8_t)word;
    uint8_t q[48 + 1200] = {0};
    put_ipv6(q, 1208, 17); /* the original was 1248 bytes long */
    const uint8_t u[8] = {0x9c, 0x40, 0xd4, 0x31, 0x04, 0xb8, 0x12, 0x34};
    memcpy(q + 40, u, 8);
    memcpy(m + 8, q, qlen);
    icmpv6_fix_csum(m, 8 + qlen);
    return 48 + qlen;
}

static void test_icmpv6_packet_too_big_quotes_ipv6_and_udp(void **state)
{
    (void)state;
    uint8_t b[48 + 200];
    uint32_t n = build_error(b, 2, 0, 1280, 200);
    decode_raw(b, n, n);
    const wp_layer *l = &pk.layers[1];
    assert_int_equal(l->proto, WP_PROTO_ICMPV6);
    assert_int_equal(wp_test_field(l, "type"), 2);
    assert_int_equal(wp_test_field(l, "mtu"), 1280);
    assert_true(shown(l, "mtu"));
    assert_false(shown(l, "id"));
    assert_false(shown(l, "pointer"));
    assert_string_equal(fmt_of(l), "!BBHI");
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->hdr_len, 8);
    assert_int_equal(l->len, 208);
    const wp_layer *qip = &pk.layers[2];
    assert_int_equal(qip->proto, WP_PROTO_IPV6);
    assert_int_equal(qip->off, 48);
    assert_true(qip->flags & WP_LF_QUOTED);
    assert_int_equal(wp_test_field(qip, "payload_len"), 1208);
    const wp_layer *qu = &pk.layers[3];
    assert_int_equal(qu->proto, WP_PROTO_UDP);
    assert_int_equal(qu->off, 88);
    assert_true(qu->flags & WP_LF_QUOTED);
    assert_int_equal(qu->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(wp_test_field(qu, "dport"), 54321);
    assert_int_equal(pk.layers[4].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pk.layers[4].off, 96);
    /* a quote is short by nature: no length complaints */
    assert_int_equal(pk.nevents, 0);
}

static void test_icmpv6_parameter_problem_pointer_and_unreachable_unused(void **state)
{
    (void)state;
    uint8_t b[48 + 48];
    uint32_t n = build_error(b, 4, 0, 6, 48);
    decode_raw(b, n, n);
    const wp_layer *l = &pk.layers[1];
    assert_int_equal(wp_test_field(l, "pointer"), 6);
    assert_true(shown(l, "pointer"));
    assert_false(shown(l, "mtu"));
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_IPV6);
    assert_int_equal(pk.nevents, 0);

    n = build_error(b, 1, 4, 0, 48); /* port unreachable */
    decode_raw(b, n, n);
    l = &pk.layers[1];
    assert_int_equal(wp_test_field(l, "code"), 4);
    assert_true(shown(l, "unused"));
    assert_false(shown(l, "pointer"));
    assert_false(shown(l, "id"));
    assert_int_equal(pk.layers[2].proto, WP_PROTO_IPV6);
    assert_int_equal(pk.layers[3].proto, WP_PROTO_UDP);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
}

static void test_icmpv6_quote_cut_inside_the_ipv6_header_is_truncated(void **state)
{
    (void)state;
    uint8_t b[48 + 30];
    uint32_t n = build_error(b, 3, 0, 0, 30);
    decode_raw(b, n, n);
    assert_int_equal(pk.layers[1].csum, WP_CSUM_GOOD);
    const wp_layer *q = &pk.layers[2];
    assert_int_equal(q->proto, WP_PROTO_IPV6);
    assert_true(q->flags & WP_LF_QUOTED);
    assert_true(q->flags & WP_LF_TRUNCATED);
    assert_true(wp_test_has_event(&pk, "ipv6.truncated"));
    assert_int_equal(pk.nevents, 1);
}

static void test_icmpv6_neighbor_solicitation_has_rest_word(void **state)
{
    (void)state;
    uint8_t b[40 + 24] = {0};
    put_ipv6(b, 24, 58);
    b[40] = 135;
    memcpy(b + 48, DST, 16); /* target */
    icmpv6_fix_csum(b + 40, 24);
    decode_raw(b, sizeof b, sizeof b);
    const wp_layer *l = &pk.layers[1];
    assert_int_equal(wp_test_field(l, "type"), 135);
    assert_int_equal(l->hdr_len, 8);
    assert_true(shown(l, "rest"));
    assert_false(shown(l, "id"));
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pk.layers[2].len, 16);
    char nb[32];
    assert_string_equal(field_named(l, "type")->describe(135, nb, sizeof nb),
                        "Neighbor solicitation");
    assert_int_equal(pk.nevents, 0);
}

static void test_icmpv6_message_shorter_than_header_is_invalid(void **state)
{
    (void)state;
    uint8_t b[40 + 8] = {0};
    put_ipv6(b, 2, 58); /* the IPv6 payload holds only 2 bytes */
    b[40] = 128;
    decode_raw(b, sizeof b, sizeof b);
    const wp_layer *l = wp_test_layer(&pk, WP_PROTO_ICMPV6, 0);
    assert_non_null(l);
    assert_true(wp_test_has_event(&pk, "icmpv6.length_invalid"));
    assert_false(wp_test_has_event(&pk, "icmpv6.truncated"));
    assert_false(l->flags & WP_LF_TRUNCATED);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icmpv6_echo_fixture_request_and_reply),
        cmocka_unit_test(test_icmpv6_bad_checksum_is_an_event),
        cmocka_unit_test(test_icmpv6_echo_truncated_at_every_byte),
        cmocka_unit_test(test_icmpv6_packet_too_big_quotes_ipv6_and_udp),
        cmocka_unit_test(test_icmpv6_parameter_problem_pointer_and_unreachable_unused),
        cmocka_unit_test(test_icmpv6_quote_cut_inside_the_ipv6_header_is_truncated),
        cmocka_unit_test(test_icmpv6_neighbor_solicitation_has_rest_word),
        cmocka_unit_test(test_icmpv6_message_shorter_than_header_is_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
