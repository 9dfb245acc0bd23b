/* Unit tests for the 802.1ah I-tag (src/proto/pbb.c): reached by EtherType
 * 0x88e7 after an 802.1ad B-tag, its fields, the customer frame after it,
 * and a cut tag. Checked with tshark (ieee8021ah.isid,
 * ieee8021ah.priority) on captures/encap-overlays.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void test_pbb_itag_after_btag_then_customer_frame(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 14, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *b = wp_test_layer(&p, WP_PROTO_VLAN, 0);
    assert_int_equal(b->h.vlan.tpid, 0x88a8);
    assert_int_equal(b->h.vlan.type, 0x88e7);
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_PBB, 0);
    assert_non_null(t);
    assert_int_equal(t->off, 18);
    assert_int_equal(t->hdr_len, 4);
    assert_int_equal(wp_test_field(t, "pcp"), 3);
    assert_int_equal(wp_test_field(t, "isid"), 0x010203);
    assert_int_equal(wp_test_field(t, "dei"), 0);
    const wp_layer *c = wp_test_layer(&p, WP_PROTO_ETH, 1);
    assert_non_null(c);
    assert_int_equal(c->off, 22);
    assert_int_equal(c->h.eth.src[5], 0x13);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_pbb_cut_itag_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-overlays.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 8, &p);
    assert_true(wp_test_has_event(&p, "pbb.truncated"));
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_PBB, 0);
    assert_true(t->flags & WP_LF_TRUNCATED);
    assert_false(wp_field_shown(&p, t, wp_test_row(WP_PROTO_PBB, "isid")));
    assert_null(wp_test_layer(&p, WP_PROTO_ETH, 1));
    wp_fixture_free(fx);
}

static void test_ethertype_0x88e7_is_pbb(void **state)
{
    (void)state;
    assert_int_equal(wp_proto_by_ethertype(0x88e7), WP_PROTO_PBB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pbb_itag_after_btag_then_customer_frame),
        cmocka_unit_test(test_pbb_cut_itag_is_truncation),
        cmocka_unit_test(test_ethertype_0x88e7_is_pbb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
