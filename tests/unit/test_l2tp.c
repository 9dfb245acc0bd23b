/* Unit tests for the L2TP decoder (src/proto/l2tp.c) on UDP 1701: version
 * 2's optional length, Ns/Nr and offset at each position, a data message's
 * PPP, control messages and version 3 over UDP, and headers that are cut
 * or whose offset runs past the message. Checked with tshark (l2tp.tunnel,
 * l2tp.session, l2tp.ccid, l2tp.sid) on captures/encap-overlays.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void test_l2tp_v2_data_with_length_carries_ppp_ipv4(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_non_null(l);
    assert_int_equal(l->off, 42);
    assert_int_equal(l->hdr_len, 8);
    assert_int_equal(wp_test_field(l, "version"), 2);
    assert_int_equal(wp_test_field(l, "flags"), 0x4000);
    assert_int_equal(wp_test_field(l, "length"), 53);
    assert_int_equal(wp_test_field(l, "tunnel_id"), 1);
    assert_int_equal(wp_test_field(l, "session_id"), 2);
    const wp_layer *ppp = wp_test_layer(&p, WP_PROTO_PPP, 0);
    assert_non_null(ppp);
    assert_int_equal(ppp->off, 50);
    assert_int_equal(ppp->h.ppp.protocol, 0x0021);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 1)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_l2tp_v2_sequence_and_offset_pad_are_header(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_int_equal(wp_test_field(l, "tunnel_id"), 3);
    assert_int_equal(wp_test_field(l, "session_id"), 4);
    assert_int_equal(wp_test_field(l, "ns"), 5);
    assert_int_equal(wp_test_field(l, "nr"), 6);
    assert_int_equal(wp_test_field(l, "offset"), 2);
    /* 2 + 4 ids + 4 Ns/Nr + 2 offset size + 2 pad */
    assert_int_equal(l->hdr_len, 14);
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_L2TP, "length")));
    const wp_layer *ppp = wp_test_layer(&p, WP_PROTO_PPP, 0);
    assert_int_equal(ppp->off, 56);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    wp_fixture_free(fx);
}

static void test_l2tp_v2_every_flag_moves_the_fields_after_it(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 17, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_int_equal(wp_test_field(l, "length"), 63);
    assert_int_equal(wp_test_field(l, "tunnel_id"), 7);
    assert_int_equal(wp_test_field(l, "session_id"), 8);
    assert_int_equal(wp_test_field(l, "ns"), 1);
    assert_int_equal(wp_test_field(l, "nr"), 2);
    assert_int_equal(wp_test_field(l, "offset"), 4);
    assert_int_equal(l->hdr_len, 14 + 4);
    assert_non_null(wp_test_layer(&p, WP_PROTO_PPP, 0));
    wp_fixture_free(fx);
}

static void test_l2tp_v2_control_message_stays_payload(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 8, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_int_equal(wp_test_field(l, "flags"), 0xc800);
    assert_int_equal(l->hdr_len, 12);
    assert_null(wp_test_layer(&p, WP_PROTO_PPP, 0));
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[p.nlayers - 1].len, 8);
    wp_fixture_free(fx);
}

static void test_l2tp_v3_control_and_data_over_udp(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 9, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_int_equal(wp_test_field(l, "version"), 3);
    assert_int_equal(wp_test_field(l, "length"), 20);
    assert_int_equal(wp_test_field(l, "tunnel_id"), 0x01020304);
    assert_int_equal(wp_test_field(l, "ns"), 1);
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_L2TP, "session_id")));
    wp_fixture_decode(fx, 10, &p);
    l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_int_equal(wp_test_field(l, "session_id"), 0x1234abcd);
    assert_int_equal(l->hdr_len, 8);
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    wp_fixture_free(fx);
}

static void test_l2tp_cut_header_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 5, &p);
    assert_true(wp_test_has_event(&p, "l2tp.truncated"));
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_L2TP, 0);
    assert_true(l->flags & WP_LF_TRUNCATED);
    assert_true(wp_field_shown(&p, l, wp_test_row(WP_PROTO_L2TP, "length")));
    assert_null(wp_test_layer(&p, WP_PROTO_PPP, 0));
    wp_fixture_free(fx);
}

static void test_l2tp_offset_past_the_message_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p);
    assert_true(wp_test_has_event(&p, "l2tp.offset_invalid"));
    assert_int_equal(wp_test_field(wp_test_layer(&p, WP_PROTO_L2TP, 0), "offset"), 200);
    assert_null(wp_test_layer(&p, WP_PROTO_PPP, 0));
    wp_fixture_free(fx);
}

/* A snap length inside the offset padding: the header is truncated, not
 * invalid, and PPP is not decoded from bytes that are not there. */
static void test_l2tp_offset_pad_cut_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_frame f = fx->frames[7];
    f.caplen = 55; /* the two pad bytes are 54..55 */
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "l2tp.truncated"));
    assert_false(wp_test_has_event(&p, "l2tp.offset_invalid"));
    assert_true(wp_test_layer(&p, WP_PROTO_L2TP, 0)->flags & WP_LF_TRUNCATED);
    assert_null(wp_test_layer(&p, WP_PROTO_PPP, 0));
    wp_fixture_free(fx);
}

/* A version the decoder does not know (1: L2F) is a note, its rest payload. */
static void test_l2tp_unknown_version_is_a_note(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_frame f = fx->frames[6];
    uint8_t b[256];
    assert_true(f.caplen <= sizeof b);
    memcpy(b, f.data, f.caplen);
    b[43] = 0x01; /* version 1; the UDP checksum then fails, as it should */
    f.data = b;
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "l2tp.version_unsupported"));
    assert_null(wp_test_layer(&p, WP_PROTO_PPP, 0));
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_l2tp_v2_data_with_length_carries_ppp_ipv4),
        cmocka_unit_test(test_l2tp_v2_sequence_and_offset_pad_are_header),
        cmocka_unit_test(test_l2tp_v2_every_flag_moves_the_fields_after_it),
        cmocka_unit_test(test_l2tp_v2_control_message_stays_payload),
        cmocka_unit_test(test_l2tp_v3_control_and_data_over_udp),
        cmocka_unit_test(test_l2tp_cut_header_is_truncation),
        cmocka_unit_test(test_l2tp_offset_past_the_message_is_invalid),
        cmocka_unit_test(test_l2tp_offset_pad_cut_is_truncation),
        cmocka_unit_test(test_l2tp_unknown_version_is_a_note),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
