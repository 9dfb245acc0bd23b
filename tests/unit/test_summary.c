/* The summary line and the pointer writers it is built with: exact lines,
 * truncation in memory sinks with little room left (the line is written in
 * one reserved chunk when there is room, through a bounce buffer when not),
 * small fd sinks, and the writers against libc's own formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "render/render_int.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

/* Captures with every kind of line: TCP, UDP, IPv6, ICMP and ICMPv6 names,
 * ARP, fragments, link types without IP, events, snaplen cuts, 9-digit
 * timestamps. */
static const char *const captures[] = {
    "tcp-handshake.pcap",  "udp-tcp-pair.pcap",      "ipv6-udp.pcap",
    "ipv6-ext.pcap",       "icmp-echo.pcap",         "icmp-port-unreachable.pcap",
    "icmpv6-echo.pcap",    "arp.pcap",               "ipv4-fragments.pcap",
    "link-sll.pcap",       "link-raw.pcap",          "eth-8023-llc.pcap",
    "snaplen-64.pcap",     "bad-tcp-data-offset.pcap", "ipv4-bad-checksum.pcap",
    "nanosecond.pcap",     "vlan-qinq.pcap",
};

/* Frame i of capture, numbered no, gives exactly the line want. */
static void expect_line(const char *capture, size_t i, uint64_t no, const char *want)
{
    static wp_packet p;
    char buf[512];
    wp_fixture *fx = wp_fixture_load(capture);
    wp_fixture_decode(fx, i, &p);
    assert_string_equal(wp_render_summary_line(&p, no, buf, sizeof buf), want);
    wp_fixture_free(fx);
}

static void test_summary_exact_lines(void **state)
{
    (void)state;
    /* -s 64: the TCP header's options are cut, its fixed 20 bytes are not */
    expect_line("snaplen-64.pcap", 1, 2,
                "2 22:13:20.001000 192.0.2.1:40002 -> 192.0.2.2:54321 TCP [PSH, ACK] seq 1001 "
                "ack 5001 win 502 len 1000, 64 of 1066 bytes ! tcp.truncated");
    expect_line("ipv4-fragments.pcap", 0, 1,
                "1 22:13:20.000000 192.0.2.1:40000 -> 192.0.2.2:54321 UDP len 1472 (first "
                "fragment, id 0x5001), 1514 bytes");
    expect_line("ipv4-fragments.pcap", 1, 2,
                "2 22:13:20.001000 192.0.2.1 -> 192.0.2.2 IPv4 proto 17 frag id 0x5001 off "
                "1480 +, 1514 bytes");
    expect_line("ipv6-ext.pcap", 3, 4,
                "4 22:13:20.003000 [2001:db8::1]:40000 -> [2001:db8::2]:54321 UDP len 40 via "
                "frag (first fragment, id 0x0000abcd), 110 bytes");
    expect_line("tcp-handshake.pcap", 1, 2,
                "2 22:13:20.001000 192.0.2.2:54321 -> 192.0.2.1:40002 TCP [SYN, ACK] "
                "seq 5000 ack 1001 win 65160 len 0, 74 bytes");
    expect_line("icmp-port-unreachable.pcap", 1, 2,
                "2 22:13:20.001000 192.0.2.2 -> 192.0.2.1 ICMP type 3 code 3 "
                "(Destination unreachable: port unreachable), 70 bytes");
    expect_line("arp.pcap", 1, 12345678901ull,
                "12345678901 22:13:20.001000 192.0.2.2 -> 192.0.2.1 ARP op 2 (reply), "
                "42 bytes");
    expect_line("ipv6-ext.pcap", 0, 1,
                "1 22:13:20.000000 [2001:db8::1]:40000 -> [2001:db8::2]:54321 UDP "
                "len 12 via HBH, 82 bytes");
}

/* 802.1Q tags appear outermost first after the time: one, two (QinQ), and
 * for a stack deeper than two the first two and how many more. */
static void test_summary_vlan_ids(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[512];
    expect_line("vlan-8021q.pcap", 0, 1,
                "1 22:13:20.000000 vlan 100 192.0.2.1:40000 -> 192.0.2.2:9999 UDP "
                "len 12, 58 bytes");
    expect_line("vlan-qinq.pcap", 0, 1,
                "1 22:13:20.000000 vlan 200.100 192.0.2.1:40000 -> 192.0.2.2:9999 UDP "
                "len 12, 62 bytes");
    /* five tags (vids 1..5), then an EtherType nothing decodes */
    uint8_t b[14 + 5 * 4 + 4] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00};
    for (int t = 0; t < 5; t++) {
        b[14 + 4 * t] = 0;
        b[15 + 4 * t] = (uint8_t)(t + 1);
        b[16 + 4 * t] = t < 4 ? 0x81 : 0x88;
        b[17 + 4 * t] = t < 4 ? 0x00 : 0xb5;
    }
    wp_frame f = {1700000000, 0, sizeof b, sizeof b, WP_LINK_EN10MB, b};
    wp_decode(&f, &p);
    wp_render_summary_line(&p, 7, buf, sizeof buf);
    assert_non_null(strstr(buf, "7 22:13:20.000000 vlan 1.2+3 02:00:00:00:00:01 -> "));
}

/* Into buf[n] for every n up to one past the line: always the line's first
 * n - 1 bytes and a NUL, and not one byte stored past buf[n - 1]. */
static void test_summary_line_in_short_buffers_is_a_prefix(void **state)
{
    (void)state;
    static wp_packet p;
    size_t lines = 0;
    for (size_t c = 0; c < sizeof captures / sizeof captures[0]; c++) {
        wp_fixture *fx = wp_fixture_load(captures[c]);
        for (size_t i = 0; i < fx->n; i++) {
            char full[1024];
            wp_fixture_decode(fx, i, &p);
            wp_render_summary_line(&p, i + 1, full, sizeof full);
            size_t len = strlen(full);
            assert_true(len > 20 && len < 400);
            for (size_t n = 1; n <= len + 1; n++) {
                char buf[1200];
                memset(buf, 'x', sizeof buf);
                wp_render_summary_line(&p, i + 1, buf, n);
                size_t want = len < n - 1 ? len : n - 1;
                assert_int_equal(strlen(buf), want);
                assert_memory_equal(buf, full, want);
                for (size_t k = n; k < sizeof buf; k++)
                    if (buf[k] != 'x')
                        fail_msg("%s frame %zu: byte %zu stored past buf[%zu]", captures[c],
                                 i, k, n);
            }
            lines++;
        }
        wp_fixture_free(fx);
    }
    assert_true(lines > 40);
}

/* A memory sink that already holds `used` bytes: the line and its newline
 * go in whole when they fit, else their prefix up to cap - 1 with err set;
 * nothing past cap is touched. */
static void test_summary_in_nearly_full_mem_sink_truncates_and_sets_err(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_fixture_decode(fx, 1, &p);
    char line[512];
    wp_render_summary_line(&p, 2, line, sizeof line);
    size_t len = strlen(line);
    line[len++] = '\n';
    enum { CAP = 200 }; /* above the line, below the chunk the renderer reserves */
    for (size_t used = 0; used < CAP; used++) {
        char buf[CAP + 64];
        memset(buf, 'x', sizeof buf);
        wp_sink s;
        wp_sink_init_mem(&s, buf, CAP);
        for (size_t k = 0; k < used; k++)
            wp_sink_putc(&s, 'a');
        assert_int_equal(s.len, used < CAP - 1 ? used : CAP - 1);
        wp_render(&s, WP_OUT_SUMMARY, &p, 2, NULL);
        size_t room = used < CAP - 1 ? CAP - 1 - used : 0;
        size_t want = len < room ? len : room;
        assert_int_equal(s.err != 0, used + len > CAP - 1);
        assert_int_equal(strlen(buf), (used < CAP - 1 ? used : CAP - 1) + want);
        assert_memory_equal(buf + (used < CAP - 1 ? used : CAP - 1), line, want);
        for (size_t k = CAP; k < sizeof buf; k++)
            assert_int_equal(buf[k], 'x');
    }
    wp_fixture_free(fx);
}

/* An fd sink whose buffer is smaller than a line: the same bytes as the
 * lines one after another. */
static void test_summary_through_small_fd_sink_writes_every_line(void **state)
{
    (void)state;
    static wp_packet p;
    char path[] = "/tmp/wp_test_summary_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static char want[1 << 16];
    size_t wn = 0;
    char sbuf[48];
    wp_sink s;
    wp_sink_init_fd(&s, fd, sbuf, sizeof sbuf);
    wp_renderer *r = wp_renderer_new(NULL); /* one for the stream, as show has */
    assert_non_null(r);
    uint64_t no = 0;
    for (size_t c = 0; c < sizeof captures / sizeof captures[0]; c++) {
        wp_fixture *fx = wp_fixture_load(captures[c]);
        for (size_t i = 0; i < fx->n; i++) {
            wp_fixture_decode(fx, i, &p);
            no++;
            wp_renderer_frame(r, &s, WP_OUT_SUMMARY, &p, no);
            char line[512];
            wp_render_summary_line(&p, no, line, sizeof line);
            wn += (size_t)snprintf(want + wn, sizeof want - wn, "%s\n", line);
            assert_true(wn < sizeof want);
        }
        wp_fixture_free(fx);
    }
    assert_int_equal(wp_sink_flush(&s), 0);
    wp_renderer_free(r);
    static char got[1 << 16];
    ssize_t k = pread(fd, got, sizeof got, 0);
    close(fd);
    unlink(path);
    assert_int_equal(k, (ssize_t)wn);
    assert_memory_equal(got, want, wn);
}

/* ---- the pointer writers ----------------------------------------------- */

static void test_p_u64_matches_printf(void **state)
{
    (void)state;
    uint64_t v = 1;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 4000; i++) {
        uint64_t cand[3];
        if (i < 20) { /* powers of ten and their neighbours */
            cand[0] = v - 1;
            cand[1] = v;
            cand[2] = v + 1;
            v *= 10;
        } else {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cand[0] = x >> (i % 64);
            cand[1] = (uint32_t)x;
            cand[2] = x & 0xfffff;
        }
        for (int k = 0; k < 3; k++) {
            char got[32], want[32];
            memset(got, 'x', sizeof got);
            char *e = wp_p_u64(got, cand[k]);
            snprintf(want, sizeof want, "%llu", (unsigned long long)cand[k]);
            assert_int_equal((size_t)(e - got), strlen(want));
            assert_memory_equal(got, want, strlen(want));
        }
    }
    char got[32];
    char *e = wp_p_u64(got, UINT64_MAX);
    assert_int_equal(e - got, 20);
    assert_memory_equal(got, "18446744073709551615", 20);
    e = wp_p_u64(got, UINT32_MAX);
    assert_memory_equal(got, "4294967295", 10);
    assert_int_equal(e - got, 10);
}

static void test_p_ipv4_and_mac_every_byte_value(void **state)
{
    (void)state;
    for (unsigned v = 0; v < 256; v++) {
        for (int pos = 0; pos < 4; pos++) {
            uint8_t a[4] = {10, 200, 3, 45};
            a[pos] = (uint8_t)v;
            char got[WP_IPV4_STRLEN], want[WP_IPV4_STRLEN];
            size_t n = wp_fmt_ipv4(a, got);
            snprintf(want, sizeof want, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
            assert_string_equal(got, want);
            assert_int_equal(n, strlen(want));
        }
        uint8_t m[6] = {0, 0x1b, 0x21, 0xff, 0x0a, (uint8_t)v};
        m[0] = (uint8_t)(255 - v);
        char got[WP_MAC_STRLEN], want[WP_MAC_STRLEN];
        assert_int_equal(wp_fmt_mac(m, got), 17);
        snprintf(want, sizeof want, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
                 m[5]);
        assert_string_equal(got, want);
    }
    uint8_t top[4] = {255, 255, 255, 255};
    char buf[WP_IPV4_STRLEN];
    assert_int_equal(wp_fmt_ipv4(top, buf), 15);
    assert_string_equal(buf, "255.255.255.255");
}

/* glibc's inet_ntop also follows RFC 5952 (longest run of two or more zero
 * groups, the first on a tie, lowercase), except that it prints ::a.b.c.d
 * for the deprecated IPv4-compatible form: those are left out. */
static void test_p_ipv6_matches_inet_ntop(void **state)
{
    (void)state;
    static const unsigned pick[] = {0, 0, 0, 1, 0xf, 0x10, 0xab, 0x100, 0xfff, 0x1000, 0xffff};
    uint32_t x = 12345;
    int checked = 0;
    for (int i = 0; i < 20000; i++) {
        uint8_t a[16];
        for (int g = 0; g < 8; g++) {
            x = x * 1103515245u + 12345u;
            unsigned v = pick[(x >> 16) % (sizeof pick / sizeof pick[0])];
            a[2 * g] = (uint8_t)(v >> 8);
            a[2 * g + 1] = (uint8_t)v;
        }
        if (i % 7 == 0) { /* IPv4-mapped */
            memset(a, 0, 10);
            a[10] = a[11] = 0xff;
        }
        int compat = 1;
        for (int k = 0; k < 12; k++)
            compat &= a[k] == 0;
        if (compat)
            continue;
        char got[WP_IPV6_STRLEN], want[INET6_ADDRSTRLEN];
        size_t n = wp_fmt_ipv6(a, got);
        assert_non_null(inet_ntop(AF_INET6, a, want, sizeof want));
        assert_string_equal(got, want);
        assert_int_equal(n, strlen(want));
        checked++;
    }
    assert_true(checked > 15000);
}

/* The time of day is the text wp_fmt_ts gives between 'T' and 'Z', for
 * ordinary seconds, seconds before 1970 and years the cache does not keep,
 * with 6 and 9 digits, and with nanoseconds out of range. */
static void test_p_tod_matches_fmt_ts(void **state)
{
    (void)state;
    static const int64_t secs[] = {0,          1,           59,          86399,
                                   86400,      1700000000,  1700000001,  -1,
                                   -86400,     -86401,      253402300799, 253402300800,
                                   -62135596801, 951782400, 4102444800,
                                   INT64_MAX, INT64_MIN, 400000000000000};
    static const uint32_t nsecs[] = {0, 1, 999, 1000, 123456789, 999999999, 1000000000,
                                     4294967295u};
    wp_renderer *s = wp_renderer_new(NULL);
    assert_non_null(s);
    static wp_packet p;
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        for (size_t k = 0; k < sizeof nsecs / sizeof nsecs[0]; k++) {
            for (int d = 0; d <= 9; d += 3) {
                if (d == 3)
                    continue;
                wp_render_opts o = {.ts_digits = d};
                s->o = o; /* the digits; the per-second cache stays */
                p.ts_sec = secs[i];
                p.ts_nsec = nsecs[k];
                char want[WP_TS_STRLEN], got[WP_TS_STRLEN];
                size_t n = wp_fmt_ts(secs[i], nsecs[k], wp_rv_ts_digits(&p, &o), want);
                const char *t = strchr(want, 'T');
                assert_non_null(t);
                size_t tn = (size_t)(want + n - 1 - (t + 1));
                /* twice: once filling the per-second cache, once from it */
                for (int r = 0; r < 2; r++) {
                    char *e = wp_p_tod(s, &p, got);
                    assert_int_equal((size_t)(e - got), tn);
                    assert_memory_equal(got, t + 1, tn);
                    char ts[WP_TS_STRLEN];
                    assert_int_equal(wp_rv_ts_text(s, &p, ts), n);
                    assert_string_equal(ts, want);
                }
            }
        }
    }
    wp_renderer_free(s);
}

/* The longest timestamp text (a year clamped to 7 digits, negative, with
 * nanoseconds) fits WP_TS_STRLEN with its NUL, and nothing past it is
 * written. */
static void test_fmt_ts_longest_fits_ts_strlen(void **state)
{
    (void)state;
    static const int64_t secs[] = {INT64_MAX, INT64_MIN, -400000000000000, 400000000000000};
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        char buf[WP_TS_STRLEN + 16];
        memset(buf, 0x55, sizeof buf);
        size_t n = wp_fmt_ts(secs[i], 999999999, 9, buf);
        assert_true(n + 1 <= WP_TS_STRLEN);
        assert_int_equal(strlen(buf), n);
        for (size_t k = WP_TS_STRLEN; k < sizeof buf; k++)
            assert_int_equal((unsigned char)buf[k], 0x55);
    }
    char buf[WP_TS_STRLEN];
    assert_int_equal(wp_fmt_ts(INT64_MIN, 999999999, 9, buf), 34);
    assert_memory_equal(buf, "-9999999-", 9);
    assert_string_equal(buf + 23, ".999999999Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_exact_lines),
        cmocka_unit_test(test_summary_vlan_ids),
        cmocka_unit_test(test_summary_line_in_short_buffers_is_a_prefix),
        cmocka_unit_test(test_summary_in_nearly_full_mem_sink_truncates_and_sets_err),
        cmocka_unit_test(test_summary_through_small_fd_sink_writes_every_line),
        cmocka_unit_test(test_p_u64_matches_printf),
        cmocka_unit_test(test_p_ipv4_and_mac_every_byte_value),
        cmocka_unit_test(test_p_ipv6_matches_inet_ntop),
        cmocka_unit_test(test_p_tod_matches_fmt_ts),
        cmocka_unit_test(test_fmt_ts_longest_fits_ts_strlen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
