/* -o layers' per-field plan, kept in the renderer: a renderer reused for
 * many frames must write exactly the bytes a fresh renderer writes for each
 * frame, whatever the values did in between (a changed value, a cut
 * capture, JSON frames through the same renderer, a memory sink too small
 * for a line). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

#define OUT_CAP (1u << 20)

/* Every frame of each capture in names, in turn, rendered as layers: all
 * through the one renderer r into the sink reused, or each through a fresh
 * renderer and sink (r NULL). Returns the length written into
 * out[OUT_CAP]. */
static size_t render_all(const char *const *names, size_t nnames, wp_renderer *r, int passes,
                         char *out, wp_sink *reused)
{
    static wp_packet p;
    size_t len = 0;
    uint64_t no = 0;
    for (int pass = 0; pass < passes; pass++) {
        for (size_t c = 0; c < nnames; c++) {
            wp_fixture *fx = wp_fixture_load(names[c]);
            for (size_t i = 0; i < fx->n; i++) {
                wp_fixture_decode(fx, i, &p);
                if (!r) {
                    wp_sink s;
                    wp_renderer *fresh = wp_renderer_new(NULL);
                    assert_non_null(fresh);
                    wp_sink_init_mem(&s, out + len, OUT_CAP - len);
                    wp_renderer_frame(fresh, &s, WP_OUT_LAYERS, &p, ++no);
                    wp_renderer_free(fresh);
                    assert_int_equal(s.err, 0);
                    len += s.len;
                } else {
                    size_t before = reused->len;
                    wp_renderer_frame(r, reused, WP_OUT_LAYERS, &p, ++no);
                    assert_int_equal(reused->err, 0);
                    len += reused->len - before;
                }
            }
            wp_fixture_free(fx);
        }
    }
    return len;
}

static void same_reused_and_fresh(const char *const *names, size_t n, int passes)
{
    char *a = malloc(OUT_CAP), *b = malloc(OUT_CAP);
    assert_non_null(a);
    assert_non_null(b);
    wp_sink s;
    wp_renderer *r = wp_renderer_new(NULL);
    assert_non_null(r);
    wp_sink_init_mem(&s, a, OUT_CAP);
    size_t la = render_all(names, n, r, passes, a, &s);
    size_t lb = render_all(names, n, NULL, passes, b, NULL);
    assert_true(la > 0);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    wp_renderer_free(r);
    free(a);
    free(b);
}

static void test_layers_cache_handshake_values_change_same_bytes(void **state)
{
    (void)state;
    static const char *const names[] = {"tcp-handshake.pcap"};
    same_reused_and_fresh(names, 1, 2);
    /* the flags field's value changes from frame to frame: both lines show */
    char *a = malloc(OUT_CAP);
    assert_non_null(a);
    wp_sink s;
    wp_renderer *r = wp_renderer_new(NULL);
    assert_non_null(r);
    wp_sink_init_mem(&s, a, OUT_CAP);
    render_all(names, 1, r, 2, a, &s);
    assert_non_null(strstr(a, "0x002 ([SYN])\n"));
    assert_non_null(strstr(a, "0x012 ([SYN, ACK])\n"));
    assert_non_null(strstr(a, "0x010 ([ACK])\n"));
    wp_renderer_free(r);
    free(a);
}

static void test_layers_cache_snaplen_cut_same_bytes(void **state)
{
    (void)state;
    static const char *const names[] = {"snaplen-64.pcap", "tcp-handshake.pcap",
                                        "snaplen-64.pcap"};
    same_reused_and_fresh(names, 3, 2);
}

static void test_layers_cache_every_capture_mixed_same_bytes(void **state)
{
    (void)state;
    static const char *const names[] = {
        "arp.pcap",           "bad-ipv4-ihl.pcap",      "bad-tcp-data-offset.pcap",
        "course-tcp.pcap",    "eth-8023-llc.pcap",      "eth-padding.pcap",
        "icmp-echo.pcap",     "icmp-port-unreachable.pcap", "icmpv6-echo.pcap",
        "ipv4-bad-checksum.pcap", "ipv4-fragments.pcap", "ipv4-options.pcap",
        "ipv6-ext.pcap",      "link-loop.pcap",         "link-null.pcap",
        "link-raw.pcap",      "link-sll.pcap",          "link-sll2.pcap",
        "snaplen-64.pcap",    "tcp-handshake.pcap",     "udp-bad-checksum.pcap",
        "udp-tcp-pair.pcap",  "vlan-8021q.pcap",        "vlan-qinq.pcap",
    };
    same_reused_and_fresh(names, sizeof names / sizeof names[0], 2);
}

/* Layers and JSON frames through one renderer (and one sink): each
 * format's plan must stay its own, the bytes those of one-off renderings. */
static void test_layers_cache_after_json_in_same_sink_same_bytes(void **state)
{
    (void)state;
    static wp_packet p;
    char *a = malloc(OUT_CAP), *b = malloc(OUT_CAP);
    assert_non_null(a);
    assert_non_null(b);
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_sink s;
    wp_renderer *r = wp_renderer_new(NULL);
    assert_non_null(r);
    wp_sink_init_mem(&s, a, OUT_CAP);
    size_t lb = 0;
    for (size_t i = 0; i < fx->n; i++) {
        wp_fixture_decode(fx, i, &p);
        wp_renderer_frame(r, &s, WP_OUT_LAYERS, &p, i + 1);
        wp_renderer_frame(r, &s, WP_OUT_JSON, &p, i + 1);
        wp_sink f;
        wp_sink_init_mem(&f, b + lb, OUT_CAP - lb);
        wp_render(&f, WP_OUT_LAYERS, &p, i + 1, NULL);
        lb += f.len;
        wp_sink_init_mem(&f, b + lb, OUT_CAP - lb);
        wp_render(&f, WP_OUT_JSON, &p, i + 1, NULL);
        lb += f.len;
    }
    assert_int_equal(s.err, 0);
    assert_int_equal(s.len, lb);
    assert_memory_equal(a, b, lb);
    wp_renderer_free(r);
    wp_fixture_free(fx);
    free(a);
    free(b);
}

/* A memory sink too small for the frame, with a warm renderer: cut at the
 * same byte as a fresh one, err set, still a C string. */
static void test_layers_cache_small_mem_sink_truncates_as_fresh(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    char *warm = malloc(OUT_CAP);
    assert_non_null(warm);
    for (size_t cap = 60; cap < 700; cap += 37) {
        for (size_t i = 0; i < fx->n; i++) {
            char a[800], b[800];
            wp_sink s, f;
            wp_renderer *r = wp_renderer_new(NULL);
            assert_non_null(r);
            /* warm the renderer with every frame, then render frame i
             * through it into a small memory sink */
            wp_sink_init_mem(&s, warm, OUT_CAP);
            for (size_t j = 0; j < fx->n; j++) {
                wp_fixture_decode(fx, j, &p);
                wp_renderer_frame(r, &s, WP_OUT_LAYERS, &p, j + 1);
            }
            wp_sink_init_mem(&s, a, cap);
            wp_fixture_decode(fx, i, &p);
            wp_renderer_frame(r, &s, WP_OUT_LAYERS, &p, i + 1);
            wp_renderer_free(r);
            wp_sink_init_mem(&f, b, cap);
            wp_render(&f, WP_OUT_LAYERS, &p, i + 1, NULL);
            assert_int_equal(s.len, f.len);
            assert_int_equal(s.err, f.err);
            assert_memory_equal(a, b, f.len);
            assert_int_equal(a[s.len], '\0');
        }
    }
    free(warm);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layers_cache_handshake_values_change_same_bytes),
        cmocka_unit_test(test_layers_cache_snaplen_cut_same_bytes),
        cmocka_unit_test(test_layers_cache_every_capture_mixed_same_bytes),
        cmocka_unit_test(test_layers_cache_after_json_in_same_sink_same_bytes),
        cmocka_unit_test(test_layers_cache_small_mem_sink_truncates_as_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
