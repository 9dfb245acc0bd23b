/* Unit tests for --decode-as (src/proto/decode_as.c, the UDP and TCP
 * decoders' hook): VXLAN on UDP 8472 is payload without a rule and VXLAN
 * with one; "data" turns a well-known port off; the source port counts too;
 * a later rule for a port replaces the earlier; malformed specs and unknown
 * names are refused with a message naming the known ones; a packet keeps no
 * pointer to the options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static void test_decode_as_vxlan_on_8472_decodes_the_inner_frame(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-vxlan-port.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_null(wp_test_layer(&p, WP_PROTO_VXLAN, 0));
    wp_decode_opts o = {0};
    char err[512];
    assert_int_equal(wp_decode_as_add(&o, "udp.port=8472:vxlan", err, sizeof err), 0);
    wp_decode_with(&fx->frames[0], &o, &p);
    const wp_layer *v = wp_test_layer(&p, WP_PROTO_VXLAN, 0);
    assert_non_null(v);
    assert_int_equal(wp_test_field(v, "vni"), 4242);
    assert_non_null(wp_test_layer(&p, WP_PROTO_ETH, 1));
    assert_non_null(wp_test_layer(&p, WP_PROTO_ICMP, 0));
    assert_null(p.dopts); /* not kept after the call */
    wp_fixture_free(fx);
}

static void test_decode_as_data_leaves_a_well_known_port_undecoded(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    wp_packet p;
    wp_decode_opts o = {0};
    char err[512];
    /* tshark's own spelling works too */
    assert_int_equal(wp_decode_as_add(&o, "udp.port==53,data", err, sizeof err), 0);
    wp_decode_with(&fx->frames[1], &o, &p); /* the answer: source port 53 */
    assert_null(wp_test_layer(&p, WP_PROTO_DNS, 0));
    assert_non_null(wp_test_layer(&p, WP_PROTO_PAYLOAD, 0));
    wp_decode_with(&fx->frames[1], NULL, &p);
    assert_non_null(wp_test_layer(&p, WP_PROTO_DNS, 0));
    wp_fixture_free(fx);
}

static void test_decode_as_later_rule_for_a_port_replaces_the_earlier(void **state)
{
    (void)state;
    wp_decode_opts o = {0};
    char err[512];
    assert_int_equal(wp_decode_as_add(&o, "udp.port=9000:dns", err, sizeof err), 0);
    assert_int_equal(wp_decode_as_add(&o, "udp.port=9000:vxlan", err, sizeof err), 0);
    assert_int_equal(wp_decode_as_add(&o, "tcp.port=9000:dns", err, sizeof err), 0);
    assert_int_equal(o.n_as, 2);
    assert_int_equal(o.as[0].proto, WP_PROTO_VXLAN);
    assert_int_equal(o.as[1].transport, WP_PROTO_TCP);
}

static void test_decode_as_bad_specs_are_refused_with_a_reason(void **state)
{
    (void)state;
    static const char *bad[] = {"udp.port=8472", "udp.port=0:vxlan", "udp.port=65536:vxlan",
                                "udp.port=84x2:vxlan", "sctp.port=1:dns", "udp.port8472:vxlan",
                                "udp.port=8472:ipv6-frag", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wp_decode_opts o = {0};
        char err[512] = "";
        assert_int_equal(wp_decode_as_add(&o, bad[i], err, sizeof err), -1);
        assert_true(err[0] != '\0');
        assert_int_equal(o.n_as, 0);
    }
    wp_decode_opts o = {0};
    char err[768];
    assert_int_equal(wp_decode_as_add(&o, "udp.port=1:bogus", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown protocol 'bogus'"));
    assert_non_null(strstr(err, "vxlan"));
    assert_non_null(strstr(err, "data"));
}

static void test_decode_as_table_holds_at_most_the_cap(void **state)
{
    (void)state;
    wp_decode_opts o = {0};
    char err[512], spec[64];
    for (unsigned i = 1; i <= WP_DECODE_AS_MAX; i++) {
        snprintf(spec, sizeof spec, "udp.port=%u:dns", 1000 + i);
        assert_int_equal(wp_decode_as_add(&o, spec, err, sizeof err), 0);
    }
    assert_int_equal(wp_decode_as_add(&o, "udp.port=2000:dns", err, sizeof err), -1);
    assert_int_equal(o.n_as, WP_DECODE_AS_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_as_vxlan_on_8472_decodes_the_inner_frame),
        cmocka_unit_test(test_decode_as_data_leaves_a_well_known_port_undecoded),
        cmocka_unit_test(test_decode_as_later_rule_for_a_port_replaces_the_earlier),
        cmocka_unit_test(test_decode_as_bad_specs_are_refused_with_a_reason),
        cmocka_unit_test(test_decode_as_table_holds_at_most_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
