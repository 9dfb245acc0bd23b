/* -o json writes most of a frame through a pointer into room it reserves,
 * and through the sink writers when the room is not there: whatever the
 * sink's size, and whether the renderer is fresh or has rendered other
 * frames, the bytes must be those of the one full rendering (memory sinks
 * keep a prefix of it and set err; fd sinks write all of it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

/* Captures with every field kind, options of both protos, events, data
 * layers, odd link types and cut headers. */
static const char *const caps[] = {
    "udp-tcp-pair.pcap",     "ipv4-options.pcap",  "bad-tcp-option-len.pcap",
    "link-sll.pcap",         "link-sll2.pcap",     "ipv6-ext.pcap",
    "snaplen-64.pcap",       "icmp-port-unreachable.pcap", "link-null.pcap",
    "tcp-handshake.pcap",    "nanosecond.pcap",    "bad-ipv4-ihl.pcap",
};

/* The frame rendered into a sink that always has room. */
static size_t render_full(const wp_packet *p, uint64_t no, char *buf, size_t cap)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, cap);
    wp_render(&s, WP_OUT_JSON, p, no, NULL);
    assert_int_equal(s.err, 0);
    assert_int_equal(strlen(buf), s.len);
    return s.len;
}

static void test_json_memory_sink_of_any_size_keeps_a_prefix(void **state)
{
    (void)state;
    static char full[1 << 16], small[1 << 16];
    static wp_packet p;
    wp_renderer *warm = wp_renderer_new(NULL); /* renders every frame of every size */
    assert_non_null(warm);
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        wp_fixture *fx = wp_fixture_load(caps[c]);
        for (size_t i = 0; i < fx->n && i < 8; i++) {
            wp_fixture_decode(fx, i, &p);
            size_t n = render_full(&p, i + 1, full, sizeof full);
            assert_true(n > 100);
            for (size_t cap = 1; cap <= n + 2; cap++) {
                for (int w = 0; w < 2; w++) {
                    wp_sink s;
                    memset(small, 'x', cap + 1);
                    wp_sink_init_mem(&s, small, cap);
                    if (w)
                        wp_renderer_frame(warm, &s, WP_OUT_JSON, &p, i + 1);
                    else
                        wp_render(&s, WP_OUT_JSON, &p, i + 1, NULL);
                    size_t keep = n < cap - 1 ? n : cap - 1;
                    assert_int_equal(s.len, keep);
                    assert_int_equal(s.err != 0, keep < n);
                    assert_memory_equal(small, full, keep);
                    assert_int_equal(small[keep], '\0');
                    assert_int_equal(small[cap], 'x'); /* nothing past the end */
                }
            }
        }
        wp_fixture_free(fx);
    }
    wp_renderer_free(warm);
}

static void test_json_fd_sink_with_small_buffers_writes_the_same_bytes(void **state)
{
    (void)state;
    static char full[1 << 18], got[1 << 18], buf[4096];
    static wp_packet p;
    static const size_t caps_fd[] = {1, 2, 17, 64, 159, 200, 700, 1024, 4096};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        wp_fixture *fx = wp_fixture_load(caps[c]);
        size_t n = 0;
        for (size_t i = 0; i < fx->n && i < 8; i++) {
            wp_fixture_decode(fx, i, &p);
            n += render_full(&p, i + 1, full + n, sizeof full - n);
        }
        for (size_t k = 0; k < sizeof caps_fd / sizeof caps_fd[0]; k++) {
            FILE *f = tmpfile();
            assert_non_null(f);
            wp_sink s;
            wp_renderer *r = wp_renderer_new(NULL);
            assert_non_null(r);
            wp_sink_init_fd(&s, fileno(f), buf, caps_fd[k]);
            for (size_t i = 0; i < fx->n && i < 8; i++) {
                wp_fixture_decode(fx, i, &p);
                wp_renderer_frame(r, &s, WP_OUT_JSON, &p, i + 1);
            }
            wp_renderer_free(r);
            assert_int_equal(wp_sink_flush(&s), 0);
            rewind(f);
            size_t m = fread(got, 1, sizeof got, f);
            fclose(f);
            assert_int_equal(m, n);
            assert_memory_equal(got, full, n);
        }
        wp_fixture_free(fx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_memory_sink_of_any_size_keeps_a_prefix),
        cmocka_unit_test(test_json_fd_sink_with_small_buffers_writes_the_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
