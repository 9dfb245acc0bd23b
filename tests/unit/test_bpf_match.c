/* A BPF filter applied to frames already in memory (wp_bpf_*): what the
 * view uses to filter again what a live capture buffered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wirepeel/capture.h"
#include "fixture.h"

static void test_bpf_match_keeps_what_the_filter_accepts(void **st)
{
    (void)st;
    char err[512];
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap"); /* a UDP, then a TCP frame */
    wp_bpf *b = wp_bpf_compile("tcp", fx->frames[0].linktype, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(wp_bpf_match(b, &fx->frames[0]), 0);
    assert_int_equal(wp_bpf_match(b, &fx->frames[1]), 1);
    wp_bpf_free(b);
    b = wp_bpf_compile("udp dst port 54321", fx->frames[0].linktype, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(wp_bpf_match(b, &fx->frames[0]), 1);
    assert_int_equal(wp_bpf_match(b, &fx->frames[1]), 0);
    wp_bpf_free(b);
    wp_fixture_free(fx);
}

static void test_bpf_match_other_link_type_is_compiled_when_met(void **st)
{
    (void)st;
    char err[512];
    wp_fixture *eth = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture *sll = wp_fixture_load("link-sll.pcap");
    wp_bpf *b = wp_bpf_compile("ip or ip6", eth->frames[0].linktype, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(wp_bpf_match(b, &eth->frames[0]), 1);
    assert_int_equal(wp_bpf_match(b, &sll->frames[0]), 1);
    wp_bpf_free(b);
    wp_fixture_free(eth);
    wp_fixture_free(sll);
}

static void test_bpf_compile_error_quotes_the_filter(void **st)
{
    (void)st;
    char err[512] = "";
    assert_null(wp_bpf_compile("udp and (", 1, err, sizeof err));
    assert_non_null(strstr(err, "udp and ("));
    wp_bpf_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bpf_match_keeps_what_the_filter_accepts),
        cmocka_unit_test(test_bpf_match_other_link_type_is_compiled_when_met),
        cmocka_unit_test(test_bpf_compile_error_quotes_the_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
