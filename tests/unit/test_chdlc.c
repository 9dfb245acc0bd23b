/* Unit tests for the Cisco HDLC link type (src/proto/chdlc.c, LINKTYPE 104):
 * IPv4 and IPv6 by the protocol field, SLARP left as payload, a cut header,
 * and the same frame read from pcapng. Checked with tshark (chdlc.address,
 * chdlc.protocol) on captures/linkmisc-chdlc.pcap and linkmisc-links.pcapng. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_chdlc_protocol_0800_carries_ipv4(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-chdlc.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.layers[0].proto, WP_PROTO_CHDLC);
    assert_int_equal(p.layers[0].hdr_len, 4);
    assert_int_equal(wp_test_field(&p.layers[0], "address"), 0x0f);
    assert_int_equal(wp_test_field(&p.layers[0], "protocol"), 0x0800);
    assert_int_equal(wp_test_layer(&p, WP_PROTO_IPV4, 0)->off, 4);
    assert_non_null(wp_test_layer(&p, WP_PROTO_ICMP, 0));
    assert_string_equal(wp_linktype_name(WP_LINK_C_HDLC), "C_HDLC");
    wp_fixture_free(fx);
}

static void test_chdlc_protocol_86dd_carries_ipv6(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-chdlc.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    assert_int_equal(wp_test_layer(&p, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_chdlc_slarp_is_payload_not_rarp(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-chdlc.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_int_equal(wp_test_field(&p.layers[0], "protocol"), 0x8035);
    assert_int_equal(wp_test_field(&p.layers[0], "address"), 0x8f);
    assert_null(wp_test_layer(&p, WP_PROTO_ARP, 0));
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    wp_fixture_free(fx);
}

static void test_chdlc_cut_header_is_truncated(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-chdlc.pcap");
    wp_frame f = fx->frames[0];
    f.caplen = 3;
    wp_packet p;
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "chdlc.truncated"));
    assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
    assert_null(wp_test_layer(&p, WP_PROTO_IPV4, 0));
    wp_fixture_free(fx);
}

static void test_chdlc_and_the_other_link_types_read_from_pcapng(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-links.pcapng");
    static const int links[4] = {WP_LINK_C_HDLC, WP_LINK_NFLOG, WP_LINK_IPV4, WP_LINK_IPV6};
    static const unsigned first[4] = {WP_PROTO_CHDLC, WP_PROTO_NFLOG, WP_PROTO_IPV4,
                                      WP_PROTO_IPV6};
    assert_int_equal(fx->n, 4);
    for (size_t i = 0; i < 4; i++) {
        wp_packet p;
        wp_fixture_decode(fx, i, &p);
        assert_int_equal(fx->frames[i].linktype, links[i]);
        assert_int_equal(p.layers[0].proto, first[i]);
        assert_int_equal(p.nevents, 0);
    }
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chdlc_protocol_0800_carries_ipv4),
        cmocka_unit_test(test_chdlc_protocol_86dd_carries_ipv6),
        cmocka_unit_test(test_chdlc_slarp_is_payload_not_rarp),
        cmocka_unit_test(test_chdlc_cut_header_is_truncated),
        cmocka_unit_test(test_chdlc_and_the_other_link_types_read_from_pcapng),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
