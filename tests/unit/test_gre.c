/* Unit tests for the GRE decoder (src/proto/gre.c): the optional checksum,
 * key and sequence words at the offsets their flags give, the payload by
 * protocol type (IPv4, Ethernet, MPLS, GRE in GRE), a bad checksum, and
 * flags promising words the capture cut. Values checked with tshark
 * (gre.proto, gre.key, gre.sequence_number, gre.checksum.status) on
 * captures/encap-tunnels.pcap and bad-encap.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_gre_plain_carries_ipv4_inside_ipv4(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GRE, 0);
    assert_non_null(g);
    assert_int_equal(g->off, 34);
    assert_int_equal(g->hdr_len, 4);
    assert_int_equal(g->depth, 2);
    assert_int_equal(wp_test_field(g, "protocol"), 0x0800);
    assert_int_equal(wp_test_field(g, "version"), 0);
    const wp_layer *in = wp_test_layer(&p, WP_PROTO_IPV4, 1);
    assert_non_null(in);
    assert_int_equal(in->off, 38);
    assert_int_equal(in->depth, 3);
    assert_non_null(wp_test_layer(&p, WP_PROTO_ICMP, 0));
    char fmt[32];
    assert_string_equal(wp_layer_format(g, fmt, sizeof fmt), "!HH");
    wp_fixture_free(fx);
}

static void test_gre_checksum_key_and_sequence_are_read_in_order(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GRE, 0);
    assert_int_equal(g->hdr_len, 16);
    assert_int_equal(g->h.gre.flags, 0xb000);
    assert_int_equal(g->h.gre.checksum, 0xcc1e);
    assert_int_equal(g->h.gre.key, 0x00010002);
    assert_int_equal(g->h.gre.seq, 7);
    assert_int_equal(g->csum, WP_CSUM_GOOD);
    char fmt[32];
    assert_string_equal(wp_layer_format(g, fmt, sizeof fmt), "!HHH2xII");
    assert_int_equal(wp_test_layer(&p, WP_PROTO_IPV4, 1)->off, 50);
    wp_fixture_free(fx);
}

static void test_gre_in_gre_nests_two_tunnels(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *g0 = wp_test_layer(&p, WP_PROTO_GRE, 0);
    const wp_layer *g1 = wp_test_layer(&p, WP_PROTO_GRE, 1);
    assert_non_null(g1);
    assert_true(g1->depth > g0->depth);
    assert_int_equal(g1->h.gre.key, 42);
    assert_int_equal(g1->h.gre.seq, 5);
    assert_int_equal(g1->hdr_len, 12);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV4, 2));
    wp_fixture_free(fx);
}

static void test_gre_transparent_bridging_carries_ethernet(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GRE, 0);
    assert_int_equal(g->h.gre.protocol, 0x6558);
    assert_int_equal(g->h.gre.seq, 99);
    const wp_layer *e = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(e);
    assert_int_equal(e->off, 34 + 8);
    assert_non_null(wp_test_layer(&p, WP_PROTO_UDP, 0));
    wp_fixture_free(fx);
}

static void test_gre_carries_mpls(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-tunnels.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 8, &p);
    const wp_layer *m = wp_test_layer(&p, WP_PROTO_MPLS, 0);
    assert_non_null(m);
    assert_int_equal(m->h.mpls.label, 3000);
    wp_fixture_free(fx);
}

static void test_gre_flags_promising_cut_words_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-encap.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_true(wp_test_has_event(&p, "gre.truncated"));
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GRE, 0);
    assert_true(g->flags & WP_LF_TRUNCATED);
    assert_int_equal(g->hdr_len, 16);
    /* nothing is decoded past the cut header */
    assert_null(wp_test_layer(&p, WP_PROTO_IPV4, 1));
    /* the key row (at 8) is not shown: its bytes were not captured */
    const wp_field *key = NULL;
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_GRE);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, "key") == 0 && wp_field_shown(&p, g, &pi->fields[i]))
            key = &pi->fields[i];
    assert_null(key);
    wp_fixture_free(fx);
}

static void test_gre_bad_checksum_is_an_event(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-encap.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_true(wp_test_has_event(&p, "gre.checksum_bad"));
    const wp_layer *g = wp_test_layer(&p, WP_PROTO_GRE, 0);
    assert_int_equal(g->csum, WP_CSUM_BAD);
    assert_int_equal(g->csum_computed, 0xfc28);
    /* the payload is decoded all the same */
    assert_non_null(wp_test_layer(&p, WP_PROTO_UDP, 0));
    wp_fixture_free(fx);
}

static void test_gre_version_1_leaves_payload(void **state)
{
    (void)state;
    /* IPv4 (proto 47) then GRE version 1 (PPTP), protocol 0x880b */
    uint8_t b[14 + 20 + 8 + 4] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
                                  0x45, 0, 0, 32, 0, 1, 0, 0, 64, 47, 0, 0,
                                  198, 51, 100, 1, 198, 51, 100, 2,
                                  0x20, 0x01, 0x88, 0x0b, 0, 4, 0, 1, 1, 2, 3, 4};
    wp_test_put16(b + 24, wp_test_ref_csum(b + 14, 20, 0));
    wp_frame f = {1700000000, 0, sizeof b, sizeof b, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "gre.version_unsupported"));
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gre_plain_carries_ipv4_inside_ipv4),
        cmocka_unit_test(test_gre_checksum_key_and_sequence_are_read_in_order),
        cmocka_unit_test(test_gre_in_gre_nests_two_tunnels),
        cmocka_unit_test(test_gre_transparent_bridging_carries_ethernet),
        cmocka_unit_test(test_gre_carries_mpls),
        cmocka_unit_test(test_gre_flags_promising_cut_words_is_truncation),
        cmocka_unit_test(test_gre_bad_checksum_is_an_event),
        cmocka_unit_test(test_gre_version_1_leaves_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
