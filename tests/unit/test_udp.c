/* Unit tests for the UDP decoder (src/proto/udp.c).
 *
 * Byte arrays: UDP 192.0.2.1:40000 -> 192.0.2.2:54321 "hello, mercy", made
 * with Python's struct and checked with tshark (udp.check_checksum: 0xddf8
 * good; the "bad" one "should be 0xddf8"; zero: not present). Decoded by
 * wp_udp_decode over a hand-made IP layer, independent of the IP decoders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

/* hello */
static const uint8_t hello[] = {
    0x9c, 0x40, 0xd4, 0x31, 0x00, 0x14, 0xdd, 0xf8, 0x68, 0x65, 0x6c, 0x6c,
    0x6f, 0x2c, 0x20, 0x6d, 0x65, 0x72, 0x63, 0x79,
};
/* hello_bad */
static const uint8_t hello_bad[] = {
    0x9c, 0x40, 0xd4, 0x31, 0x00, 0x14, 0xdc, 0xf9, 0x68, 0x65, 0x6c, 0x6c,
    0x6f, 0x2c, 0x20, 0x6d, 0x65, 0x72, 0x63, 0x79,
};
/* hello_zero */
static const uint8_t hello_zero[] = {
    0x9c, 0x40, 0xd4, 0x31, 0x00, 0x14, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c,
    0x6f, 0x2c, 0x20, 0x6d, 0x65, 0x72, 0x63, 0x79,
};
/* hello_off */
static const uint8_t hello_off[] = {
    0x9c, 0x40, 0xd4, 0x31, 0x00, 0x14, 0x84, 0x29, 0x68, 0x65, 0x6c, 0x6c,
    0x6f, 0x2c, 0x20, 0x6d, 0x65, 0x72, 0x63, 0x79,
};
/* hello6 */
static const uint8_t hello6[] = {
    0x9c, 0x40, 0xd4, 0x31, 0x00, 0x14, 0x06, 0x88, 0x68, 0x65, 0x6c, 0x6c,
    0x6f, 0x2c, 0x20, 0x6d, 0x65, 0x72, 0x63, 0x79,
};

static const uint8_t SRC4[4] = {192, 0, 2, 1}, DST4[4] = {192, 0, 2, 2};
static const uint8_t SRC6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t DST6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* Decode dgram as UDP after a 20-byte IP layer (v6 when ipv6) whose length
 * gives UDP `room` bytes; caplen of the datagram's bytes are captured. */
static const wp_layer *run_udp(wp_packet *p, uint8_t *buf, const uint8_t *dgram, uint32_t room,
                               uint32_t caplen, uint8_t lflags, int ipv6, wp_next *nx)
{
    memset(p, 0, sizeof *p);
    memset(buf, 0x45, 20);
    memcpy(buf + 20, dgram, caplen);
    p->data = buf;
    p->caplen = 20 + caplen;
    p->len = 20 + room;
    p->linktype = WP_LINK_RAW;
    wp_next ip = {ipv6 ? WP_PROTO_IPV6 : WP_PROTO_IPV4, 0, 0, 0, 20 + room};
    wp_layer *l = wp_pkt_push(p, &ip, ip.proto);
    assert_non_null(l);
    l->hdr_len = 20;
    l->len = 20 + room;
    if (ipv6) {
        memcpy(l->h.ipv6.src, SRC6, 16);
        memcpy(l->h.ipv6.dst, DST6, 16);
    } else {
        memcpy(l->h.ipv4.src, SRC4, 4);
        memcpy(l->h.ipv4.dst, DST4, 4);
    }
    wp_next t = {WP_PROTO_UDP, lflags, 1, 20, 20 + room};
    *nx = t;
    wp_udp_decode(p, nx);
    assert_int_equal(p->nlayers, 2);
    return &p->layers[1];
}

static void test_udp_fields_and_good_checksum(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_udp(&p, buf, hello, sizeof hello, sizeof hello, 0, 0, &nx);
    assert_int_equal(l->proto, WP_PROTO_UDP);
    assert_int_equal(l->off, 20);
    assert_int_equal(l->hdr_len, 8);
    assert_int_equal(l->len, 20);
    assert_int_equal(wp_test_field(l, "sport"), 40000);
    assert_int_equal(wp_test_field(l, "dport"), 54321);
    assert_int_equal(wp_test_field(l, "length"), 20);
    assert_int_equal(wp_test_field(l, "checksum"), 0xddf8);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->csum_computed, 0xddf8);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
    assert_int_equal(nx.off, 28);
    assert_int_equal(nx.end, 40);
    char fmt[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHHH");
}

static void test_udp_bad_checksum_is_an_event(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_udp(&p, buf, hello_bad, sizeof hello_bad, sizeof hello_bad, 0, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_int_equal(l->csum_computed, 0xddf8);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "udp.checksum_bad");
    assert_int_equal(p.events[0].def->kind, WP_EV_CHECKSUM);
    assert_int_equal(p.events[0].val, 0xdcf9);
    assert_int_equal(p.events[0].ref, 0xddf8);
}

static void test_udp_zero_checksum_over_ipv4_is_none(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l =
        run_udp(&p, buf, hello_zero, sizeof hello_zero, sizeof hello_zero, 0, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_NONE);
    assert_int_equal(p.nevents, 0);
}

static void test_udp_zero_checksum_over_ipv6_is_bad(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l =
        run_udp(&p, buf, hello_zero, sizeof hello_zero, sizeof hello_zero, 0, 1, &nx);
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_true(wp_test_has_event(&p, "udp.checksum_bad"));
}

static void test_udp_good_checksum_over_ipv6(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_udp(&p, buf, hello6, sizeof hello6, sizeof hello6, 0, 1, &nx);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(p.nevents, 0);
}

static void test_udp_linux_partial_checksum_is_offloaded(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_udp(&p, buf, hello_off, sizeof hello_off, sizeof hello_off, 0, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_OFFLOADED);
    assert_int_equal(p.nevents, 0);
}

static void test_udp_length_below_8_is_invalid(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    uint8_t d[sizeof hello];
    memcpy(d, hello, sizeof d);
    d[5] = 6;
    const wp_layer *l = run_udp(&p, buf, d, sizeof d, sizeof d, 0, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "udp.length_invalid");
    assert_int_equal(p.events[0].def->kind, WP_EV_INVALID);
    assert_int_equal(p.events[0].val, 6);
    assert_int_equal(p.events[0].ref, 8);
    assert_int_equal(l->csum, WP_CSUM_NA);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
    assert_int_equal(nx.off, 28);
    assert_int_equal(nx.end, 40); /* not narrowed: the length is not trusted */
}

static void test_udp_length_beyond_ip_payload_is_invalid(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    uint8_t d[sizeof hello];
    memcpy(d, hello, sizeof d);
    d[5] = 40;
    const wp_layer *l = run_udp(&p, buf, d, sizeof d, sizeof d, 0, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "udp.length_exceeds_ip");
    assert_int_equal(p.events[0].val, 40);
    assert_int_equal(p.events[0].ref, 20);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(nx.end, 40);
}

static void test_udp_length_beyond_room_in_fragment_is_quiet(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    uint8_t d[sizeof hello];
    memcpy(d, hello, sizeof d);
    d[5] = 40;
    const wp_layer *l = run_udp(&p, buf, d, sizeof d, sizeof d, WP_LF_FRAGMENT, 0, &nx);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    l = run_udp(&p, buf, d, sizeof d, sizeof d, WP_LF_QUOTED, 0, &nx);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
}

static void test_udp_bytes_after_length_are_left_out(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    uint8_t d[sizeof hello + 6];
    memcpy(d, hello, sizeof hello);
    memset(d + sizeof hello, 0, 6);
    /* IP gives 26 bytes; UDP says 20: the checksum covers 20, end is 20 */
    const wp_layer *l = run_udp(&p, buf, d, sizeof d, sizeof d, 0, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->len, 20);
    assert_int_equal(nx.end, 40);
    assert_int_equal(p.nevents, 0);
}

static void test_udp_snapped_payload_is_unverified(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_udp(&p, buf, hello, sizeof hello, 12, 0, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(nx.end, 40);
}

static void test_udp_truncated_at_every_byte(void **state)
{
    (void)state;
    for (uint32_t cap = 0; cap < 8; cap++) {
        wp_packet p;
        uint8_t buf[128];
        wp_next nx;
        const wp_layer *l = run_udp(&p, buf, hello, sizeof hello, cap, 0, 0, &nx);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "udp.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, 8);
        assert_true(l->flags & WP_LF_TRUNCATED);
        assert_int_equal(nx.proto, WP_PROTO_NONE);
        assert_int_equal(nx.off, 20 + cap);
    }
}

static void test_udp_field_table(void **state)
{
    (void)state;
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_UDP);
    assert_string_equal(pi->name, "udp");
    assert_int_equal(pi->nfields, 4);
    /* the rows in header order: the order of the outputs and the JSON keys */
    static const char *const order[] = {"sport", "dport", "length", "checksum"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(pi->fields[i].name, order[i]);
    const wp_field *csum = wp_test_row(WP_PROTO_UDP, "checksum");
    assert_int_equal(csum->off, 6);
    assert_int_equal(csum->hex, 1);
    assert_int_equal(csum->flags, WP_FF_CHECKSUM);
}


static void test_udp_fixture_hello(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(l->proto, WP_PROTO_UDP);
    assert_int_equal(l->off, 34);
    assert_int_equal(wp_test_field(l, "sport"), 40000);
    assert_int_equal(wp_test_field(l, "dport"), 54321);
    assert_int_equal(wp_test_field(l, "length"), 20);
    assert_int_equal(wp_test_field(l, "checksum"), 0xddf8);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(nx.off, 42);
    assert_int_equal(nx.end, 54);
    assert_memory_equal(p.data + nx.off, "hello, mercy", 12);
    wp_fixture_free(fx);
}

static void test_udp_fixture_bad_checksum(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-bad-checksum.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_int_equal(l->csum_computed, 0xddf8);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "udp.checksum_bad");
    assert_int_equal(p.events[0].val, 0x87a2);
    assert_int_equal(p.events[0].ref, 0xddf8);
    wp_fixture_free(fx);
}

static void test_udp_fixture_zero_checksum(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-zero-checksum.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(wp_test_field(l, "checksum"), 0);
    assert_int_equal(l->csum, WP_CSUM_NONE);
    assert_int_equal(p.nevents, 0);
    wp_fixture_free(fx);
}

static void test_udp_fixture_bad_length(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-udp-length.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(wp_test_field(l, "length"), 7);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "udp.length_invalid");
    assert_int_equal(p.events[0].val, 7);
    l = wp_test_fixture_transport(fx, 1, &p, &nx);
    assert_int_equal(wp_test_field(l, "length"), 40);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "udp.length_exceeds_ip");
    assert_int_equal(p.events[0].val, 40);
    assert_int_equal(p.events[0].ref, 20);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    wp_fixture_free(fx);
}

static void test_udp_fixture_snaplen_is_unverified(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("snaplen-64.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(wp_test_field(l, "length"), 208);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(nx.end, 34 + 208);
    wp_fixture_free(fx);
}


static void test_udp_fixture_through_wp_decode(void **state)
{
    (void)state;
    /* the hello packet over every link type: UDP good, payload 12 bytes */
    const char *files[] = {"udp-tcp-pair.pcap", "link-sll.pcap", "link-sll2.pcap",
                           "link-null.pcap",    "link-loop.pcap", "vlan-qinq.pcap"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        wp_fixture *fx = wp_fixture_load(files[k]);
        wp_packet p;
        wp_fixture_decode(fx, 0, &p);
        const wp_layer *l = wp_test_layer(&p, WP_PROTO_UDP, 0);
        assert_non_null(l);
        assert_int_equal(wp_test_field(l, "sport"), 40000);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_int_equal(p.nevents, 0);
        const wp_layer *pl = wp_test_layer(&p, WP_PROTO_PAYLOAD, 0);
        assert_non_null(pl);
        assert_int_equal(pl->off, l->off + 8);
        assert_int_equal(pl->len, 12);
        wp_fixture_free(fx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_fields_and_good_checksum),
        cmocka_unit_test(test_udp_bad_checksum_is_an_event),
        cmocka_unit_test(test_udp_zero_checksum_over_ipv4_is_none),
        cmocka_unit_test(test_udp_zero_checksum_over_ipv6_is_bad),
        cmocka_unit_test(test_udp_good_checksum_over_ipv6),
        cmocka_unit_test(test_udp_linux_partial_checksum_is_offloaded),
        cmocka_unit_test(test_udp_length_below_8_is_invalid),
        cmocka_unit_test(test_udp_length_beyond_ip_payload_is_invalid),
        cmocka_unit_test(test_udp_length_beyond_room_in_fragment_is_quiet),
        cmocka_unit_test(test_udp_bytes_after_length_are_left_out),
        cmocka_unit_test(test_udp_snapped_payload_is_unverified),
        cmocka_unit_test(test_udp_truncated_at_every_byte),
        cmocka_unit_test(test_udp_field_table),
        cmocka_unit_test(test_udp_fixture_hello),
        cmocka_unit_test(test_udp_fixture_bad_checksum),
        cmocka_unit_test(test_udp_fixture_zero_checksum),
        cmocka_unit_test(test_udp_fixture_bad_length),
        cmocka_unit_test(test_udp_fixture_snaplen_is_unverified),
        cmocka_unit_test(test_udp_fixture_through_wp_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
