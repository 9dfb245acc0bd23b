/* Unit tests for the GTP-U decoder (src/proto/gtpu.c) on UDP 2152: the
 * mandatory header, the optional word and extension headers, the T-PDU's
 * inner IP by its first nibble, a message without payload, and extension
 * chains that cannot be followed. Checked with tshark (gtp.teid,
 * gtp.message, gtp.length, gtp.flags) on captures/encap-overlays.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void test_gtpu_tpdu_carries_ipv4_tcp(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GTPU, 0);
    assert_non_null(g);
    assert_int_equal(g->off, 42);
    assert_int_equal(g->hdr_len, 8);
    assert_int_equal(wp_test_field(g, "flags"), 0x30);
    assert_int_equal(wp_test_field(g, "version"), 1);
    assert_int_equal(wp_test_field(g, "type"), 255);
    assert_int_equal(wp_test_field(g, "length"), 44);
    assert_int_equal(wp_test_field(g, "teid"), 0x11223344);
    assert_false(wp_field_shown(&p, g, wp_test_row(WP_PROTO_GTPU, "seq")));
    const wp_layer *ip = wp_test_layer(&p, WP_PROTO_IPV4, 1);
    assert_non_null(ip);
    assert_int_equal(ip->off, 50);
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TCP, 0);
    assert_non_null(t);
    assert_int_equal(t->csum, WP_CSUM_GOOD);
    assert_int_equal(t->h.tcp.flags, 0x02);
    wp_fixture_free(fx);
}

static void test_gtpu_sequence_and_extension_header_then_ipv6(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GTPU, 0);
    assert_int_equal(wp_test_field(g, "e"), 1);
    assert_int_equal(wp_test_field(g, "s"), 1);
    assert_int_equal(wp_test_field(g, "pn"), 0);
    assert_int_equal(wp_test_field(g, "seq"), 7);
    assert_int_equal(wp_test_field(g, "next_ext"), 0x85);
    /* 8 + the optional word + one 4-byte extension header */
    assert_int_equal(g->hdr_len, 16);
    const wp_layer *ip6 = wp_test_layer(&p, WP_PROTO_IPV6, 0);
    assert_non_null(ip6);
    assert_int_equal(ip6->off, 58);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 1)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_gtpu_echo_request_has_no_payload(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 5, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GTPU, 0);
    assert_int_equal(wp_test_field(g, "type"), 1);
    assert_int_equal(wp_test_field(g, "length"), 4);
    assert_int_equal(wp_test_field(g, "seq"), 1);
    assert_int_equal(g->hdr_len, 12);
    assert_ptr_equal(&p.layers[p.nlayers - 1], g);
    wp_fixture_free(fx);
}

static void test_gtpu_extension_header_of_length_zero_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_true(wp_test_has_event(&p, "gtpu.ext_length_invalid"));
    assert_null(wp_test_layer(&p, WP_PROTO_IPV4, 1));
    wp_fixture_free(fx);
}

/* A chain of 20 one-word extension headers, each naming another: more
 * than the decoder follows (16); built here, as tshark follows any chain. */
static void test_gtpu_extension_chain_over_the_cap_is_cut(void **state)
{
    (void)state;
    enum { NEXT = 20, GTP = 42, IP = GTP + 12 + 4 * NEXT };
    uint8_t f[IP + 20];
    memset(f, 0, sizeof f);
    f[12] = 0x08; /* IPv4 */
    f[14] = 0x45;
    wp_test_put16(f + 16, (uint16_t)(sizeof f - 14));
    f[22] = 64;
    f[23] = 17;
    wp_test_put16(f + 34, 2152);
    wp_test_put16(f + 36, 2152);
    wp_test_put16(f + 38, (uint16_t)(sizeof f - 34));
    f[GTP] = 0x34; /* version 1, PT, E */
    f[GTP + 1] = 255;
    wp_test_put16(f + GTP + 2, (uint16_t)(sizeof f - GTP - 8));
    f[GTP + 11] = 0x85;
    for (int i = 0; i < NEXT; i++) {
        f[GTP + 12 + 4 * i] = 1;                                 /* one word */
        f[GTP + 12 + 4 * i + 3] = i + 1 < NEXT ? 0x85 : 0; /* next type */
    }
    f[IP] = 0x45; /* an inner IPv4 header the decoder must not reach */
    wp_frame fr = {1700000000, 0, sizeof f, sizeof f, WP_LINK_EN10MB, f};
    wp_packet p;
    wp_decode(&fr, &p);
    assert_true(wp_test_has_event(&p, "gtpu.ext_cap"));
    assert_null(wp_test_layer(&p, WP_PROTO_IPV4, 1));
    /* the same chain of 16 is followed to the inner IPv4 header */
    f[GTP + 12 + 4 * 15 + 3] = 0;
    f[GTP + 12 + 4 * 16] = 0x45; /* what follows the 16th: an IPv4 header */
    wp_decode(&fr, &p);
    assert_false(wp_test_has_event(&p, "gtpu.ext_cap"));
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GTPU, 0);
    assert_int_equal(g->hdr_len, 12 + 4 * 16);
    const wp_layer *ip = wp_test_layer(&p, WP_PROTO_IPV4, 1);
    assert_non_null(ip);
    assert_int_equal(ip->off, GTP + 12 + 4 * 16);
}

static void test_gtpu_extension_header_past_the_message_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    assert_true(wp_test_has_event(&p, "gtpu.ext_length_invalid"));
    assert_null(wp_test_layer(&p, WP_PROTO_IPV4, 1));
    wp_fixture_free(fx);
}

static void test_gtpu_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    assert_true(wp_test_has_event(&p, "gtpu.truncated"));
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GTPU, 0);
    assert_true(g->flags & WP_LF_TRUNCATED);
    assert_true(wp_field_shown(&p, g, wp_test_row(WP_PROTO_GTPU, "length")));
    assert_false(wp_field_shown(&p, g, wp_test_row(WP_PROTO_GTPU, "teid")));
    wp_fixture_free(fx);
}

/* The length field ends the message inside the datagram: bytes after it
 * are not the inner packet's. */
static void test_gtpu_length_bounds_the_inner_packet(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GTPU, 0);
    assert_int_equal(g->len, 8 + 44);
    wp_fixture_free(fx);
}

static void test_udp_port_2152_is_gtpu(void **state)
{
    (void)state;
    assert_int_equal(wp_proto_by_udp_port(2152, 2152), WP_PROTO_GTPU);
    assert_int_equal(wp_proto_by_udp_port(40000, 2152), WP_PROTO_GTPU);
    assert_int_equal(wp_proto_by_udp_port(2152, 40000), WP_PROTO_GTPU);
    assert_int_equal(wp_proto_by_udp_port(2123, 40000), WP_PROTO_PAYLOAD); /* GTP-C */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gtpu_tpdu_carries_ipv4_tcp),
        cmocka_unit_test(test_gtpu_sequence_and_extension_header_then_ipv6),
        cmocka_unit_test(test_gtpu_echo_request_has_no_payload),
        cmocka_unit_test(test_gtpu_extension_header_of_length_zero_is_invalid),
        cmocka_unit_test(test_gtpu_extension_chain_over_the_cap_is_cut),
        cmocka_unit_test(test_gtpu_extension_header_past_the_message_is_invalid),
        cmocka_unit_test(test_gtpu_cut_header_is_truncation),
        cmocka_unit_test(test_gtpu_length_bounds_the_inner_packet),
        cmocka_unit_test(test_udp_port_2152_is_gtpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
