/* Renderers: the sink, value formatting (addresses, timestamps, JSON
 * strings), the field detail, and every renderer on decoded frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"
/* the unit tests link the renderers built with the room check (Makefile:
 * ROOM_OBJS); this file's own copies of the inline writers check too */
#define WP_DEBUG_ROOM 1
#include "render/render_int.h"

/* ---- the sink -------------------------------------------------------- */

static void test_sink_mem_collects_and_stays_terminated(void **state)
{
    (void)state;
    char buf[64];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    assert_string_equal(buf, "");
    wp_sink_puts(&s, "len=");
    wp_sink_u64(&s, 1500);
    wp_sink_putc(&s, ' ');
    wp_sink_hex(&s, 0x800, 4);
    wp_sink_write(&s, " x", 2);
    assert_string_equal(buf, "len=1500 0800 x");
    assert_int_equal(s.len, 15);
    assert_int_equal(s.err, 0);
}

static void test_sink_mem_overflow_sets_err_and_truncates(void **state)
{
    (void)state;
    char buf[8];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_sink_puts(&s, "abcd");
    assert_int_equal(s.err, 0);
    wp_sink_puts(&s, "efghij");
    assert_int_equal(s.err, ENOBUFS);
    assert_int_equal(s.len, 7);
    assert_string_equal(buf, "abcdefg");
    wp_sink_putc(&s, 'z'); /* nothing more fits */
    assert_string_equal(buf, "abcdefg");
    assert_int_equal(wp_sink_flush(&s), -1);
}

static void test_sink_numbers(void **state)
{
    (void)state;
    char buf[128];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    const uint64_t vals[] = {0, 9, 10, 99, 100, 101, 65535, 4294967295u, UINT64_MAX};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        wp_sink_u64(&s, vals[i]);
        wp_sink_putc(&s, ',');
    }
    assert_string_equal(buf, "0,9,10,99,100,101,65535,4294967295,18446744073709551615,");
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_sink_hex(&s, 0, 1);
    wp_sink_putc(&s, ',');
    wp_sink_hex(&s, 0xab, 4);
    wp_sink_putc(&s, ',');
    wp_sink_hex(&s, 0x12345, 2); /* wider than asked: every digit kept */
    wp_sink_putc(&s, ',');
    wp_sink_hex(&s, UINT64_MAX, 16);
    assert_string_equal(buf, "0,00ab,12345,ffffffffffffffff");
}

static void test_sink_fd_writes_everything_in_order(void **state)
{
    (void)state;
    char path[] = "/tmp/wp_test_sink_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char buf[16]; /* small: forces flushes and a direct write */
    wp_sink s;
    wp_sink_init_fd(&s, fd, buf, sizeof buf);
    char want[4096];
    size_t wn = 0;
    for (int i = 0; i < 300; i++) {
        wp_sink_u64(&s, (uint64_t)i);
        wp_sink_putc(&s, ' ');
        wn += (size_t)snprintf(want + wn, sizeof want - wn, "%d ", i);
    }
    const char big[] = "a long piece of text that is larger than the sink's buffer\n";
    wp_sink_puts(&s, big);
    wn += (size_t)snprintf(want + wn, sizeof want - wn, "%s", big);
    assert_int_equal(wp_sink_flush(&s), 0);
    assert_int_equal(s.err, 0);
    char got[4096];
    ssize_t k = pread(fd, got, sizeof got, 0);
    close(fd);
    unlink(path);
    assert_int_equal(k, (ssize_t)wn);
    assert_memory_equal(got, want, wn);
}

static void test_sink_fd_write_error_is_reported(void **state)
{
    (void)state;
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        skip();
    char buf[32];
    wp_sink s;
    wp_sink_init_fd(&s, fd, buf, sizeof buf);
    wp_sink_puts(&s, "hello");
    assert_int_equal(wp_sink_flush(&s), -1);
    assert_int_equal(s.err, ENOSPC);
    close(fd);
}

/* Run piece(over) in a child with stderr closed; its exit status. */
static int room_child(int over)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);
        char buf[64];
        wp_sink s;
        wp_sink_init_mem(&s, buf, sizeof buf);
        char *b = wp_room(&s, 16);
        if (!b)
            _exit(3);
        if (over == 1) { /* text + slack longer than the room */
            memset(b, 'a', 14);
            wp_room_end(&s, b, b + 14, 16);
        } else if (over == 2) { /* a store past the room, a short text */
            memset(b, 'a', 17);
            wp_room_end(&s, b, b + 8, 16);
        } else { /* within: 12 bytes and 4 of slack */
            memset(b, 'a', 16);
            wp_room_end(&s, b, b + 12, 16);
            _exit(s.len == 12 ? 0 : 4);
        }
        _exit(0);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

/* The debug builds' room check (WP_DEBUG_ROOM): a piece whose text and
 * slack overrun the room it reserved, or that stored past the room, aborts;
 * one inside its room is kept. */
static void test_room_check_aborts_a_piece_past_its_room(void **state)
{
    (void)state;
    int st = room_child(0);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    for (int over = 1; over <= 2; over++) {
        st = room_child(over);
        assert_true(WIFSIGNALED(st));
        assert_int_equal(WTERMSIG(st), SIGABRT);
    }
}

/* ---- addresses --------------------------------------------------------- */

static const char *v6(const char *text, char *out)
{
    uint8_t a[16];
    assert_int_equal(inet_pton(AF_INET6, text, a), 1);
    wp_fmt_ipv6(a, out);
    return out;
}

static void test_ipv6_rfc5952_cases(void **state)
{
    (void)state;
    char o[WP_IPV6_STRLEN];
    assert_string_equal(v6("::", o), "::");
    assert_string_equal(v6("::1", o), "::1");
    assert_string_equal(v6("1::", o), "1::");
    assert_string_equal(v6("2001:db8::1", o), "2001:db8::1");
    assert_string_equal(v6("2001:0DB8:0000:0000:0000:0000:0000:0001", o), "2001:db8::1");
    /* a tie: the first run is compressed */
    assert_string_equal(v6("2001:db8:0:0:1:0:0:1", o), "2001:db8::1:0:0:1");
    /* the longer run wins even when it comes second */
    assert_string_equal(v6("2001:0:0:1:0:0:0:1", o), "2001:0:0:1::1");
    /* a single zero group is never "::" */
    assert_string_equal(v6("2001:db8:0:1:1:1:1:1", o), "2001:db8:0:1:1:1:1:1");
    assert_string_equal(v6("fe80::a00:27ff:fe4e:66a1", o), "fe80::a00:27ff:fe4e:66a1");
    assert_string_equal(v6("0:0:1:0:0:0:1:0", o), "0:0:1::1:0");
    assert_string_equal(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", o),
                        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_string_equal(v6("::ffff:192.0.2.1", o), "::ffff:192.0.2.1");
    assert_int_equal(strlen(v6("1:2:3:4:5:6:7:8", o)), 15);
}

/* glibc's inet_ntop follows RFC 5952 too: compare on random addresses with
 * many zero groups (outside ::/96, which it prints as ::a.b.c.d). */
static void test_ipv6_matches_inet_ntop_on_random_addresses(void **state)
{
    (void)state;
    srand(5952);
    for (int n = 0; n < 20000; n++) {
        uint8_t a[16];
        for (int g = 0; g < 8; g++) {
            int r = rand() % 4;
            uint16_t v = r < 2 ? 0 : r == 2 ? (uint16_t)(rand() % 16) : (uint16_t)rand();
            a[2 * g] = (uint8_t)(v >> 8);
            a[2 * g + 1] = (uint8_t)v;
        }
        int low96 = 1;
        for (int i = 0; i < 12; i++)
            low96 &= a[i] == 0;
        if (low96 || (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0))
            continue;
        char want[INET6_ADDRSTRLEN], got[WP_IPV6_STRLEN];
        assert_non_null(inet_ntop(AF_INET6, a, want, sizeof want));
        size_t k = wp_fmt_ipv6(a, got);
        assert_string_equal(got, want);
        assert_int_equal(k, strlen(want));
    }
}

static void test_mac_and_ipv4_text(void **state)
{
    (void)state;
    const uint8_t mac[6] = {0x02, 0x00, 0xab, 0xCD, 0x0f, 0xff};
    const uint8_t ip[4] = {192, 0, 2, 255};
    const uint8_t zero[4] = {0, 0, 0, 0};
    char o[WP_MAC_STRLEN];
    assert_int_equal(wp_fmt_mac(mac, o), 17);
    assert_string_equal(o, "02:00:ab:cd:0f:ff");
    char q[WP_IPV4_STRLEN];
    assert_int_equal(wp_fmt_ipv4(ip, q), 11);
    assert_string_equal(q, "192.0.2.255");
    wp_fmt_ipv4(zero, q);
    assert_string_equal(q, "0.0.0.0");
}

/* ---- timestamps ------------------------------------------------------ */

static void test_ts_design_example_and_edges(void **state)
{
    (void)state;
    char o[WP_TS_STRLEN];
    wp_fmt_ts(1700000000, 99000, 6, o);
    assert_string_equal(o, "2023-11-14T22:13:20.000099Z");
    wp_fmt_ts(1700000000, 99001, 9, o);
    assert_string_equal(o, "2023-11-14T22:13:20.000099001Z");
    wp_fmt_ts(1700000000, 999999999, 6, o); /* truncated, never rounded up */
    assert_string_equal(o, "2023-11-14T22:13:20.999999Z");
    wp_fmt_ts(0, 0, 6, o);
    assert_string_equal(o, "1970-01-01T00:00:00.000000Z");
    wp_fmt_ts(-1, 500000000, 6, o);
    assert_string_equal(o, "1969-12-31T23:59:59.500000Z");
    wp_fmt_ts(951782400, 0, 6, o);
    assert_string_equal(o, "2000-02-29T00:00:00.000000Z");
    wp_fmt_ts(4102444799, 0, 6, o);
    assert_string_equal(o, "2099-12-31T23:59:59.000000Z");
    wp_fmt_ts(0, 2000000000u, 9, o); /* out-of-range nsec is clamped */
    assert_string_equal(o, "1970-01-01T00:00:00.999999999Z");
}

static void test_ts_matches_gmtime(void **state)
{
    (void)state;
    srand(8601);
    for (int i = 0; i < 20000; i++) {
        uint64_t r = (uint64_t)rand() << 16 ^ (uint64_t)rand();
        int64_t sec = (int64_t)(r % UINT64_C(8000000000)) - 1000000000;
        time_t t = (time_t)sec;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        char want[64], got[WP_TS_STRLEN];
        snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.000007Z", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        wp_fmt_ts(sec, 7000, 6, got);
        assert_string_equal(got, want);
    }
}

/* ---- JSON strings ---------------------------------------------------- */

static void test_json_string_escaping(void **state)
{
    (void)state;
    char buf[128];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    const char in[] = "a\"b\\c\nd\te\x01\x1f\x7f\x80\xff/";
    wp_sink_json_str(&s, in, sizeof in - 1);
    assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\x7f\\u0080\\u00ff/\"");
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_sink_json_str(&s, "", 0);
    assert_string_equal(buf, "\"\"");
}

/* ---- renderers on decoded frames --------------------------------------- */

/* Ethernet with an EtherType no decoder follows, then 12 bytes of payload. */
static const uint8_t eth_frame[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0xb5,
    'h',  'e',  'l',  'l',  'o',  ',',  ' ',  'm',  'e',  'r',  'c',  'y'};

static void decode_eth(wp_packet *p, uint32_t caplen, uint32_t nsec)
{
    wp_frame f = {1700000000, nsec, caplen, sizeof eth_frame, WP_LINK_EN10MB, eth_frame};
    wp_decode(&f, p);
}

static const char *render(wp_output out, const wp_packet *p, uint64_t no, char *buf, size_t n)
{
    wp_sink s;
    wp_render_opts o = {.color = 0};
    wp_sink_init_mem(&s, buf, n);
    wp_render(&s, out, p, no, &o);
    assert_int_equal(s.err, 0);
    return buf;
}

static void test_json_eth_frame_exact(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[2048];
    decode_eth(&p, sizeof eth_frame, 99000);
    assert_string_equal(
        render(WP_OUT_JSON, &p, 1, buf, sizeof buf),
        "{\"frame\":1,\"ts\":\"2023-11-14T22:13:20.000099Z\",\"caplen\":26,\"len\":26,"
        "\"linktype\":\"EN10MB\",\"layers\":[{\"proto\":\"eth\",\"offset\":0,\"header_len\":14,"
        "\"fields\":{\"dst\":\"02:00:00:00:00:02\",\"src\":\"02:00:00:00:00:01\",\"type\":34997}},"
        "{\"proto\":\"payload\",\"offset\":14,\"len\":12}],\"events\":[]}\n");
}

static void test_json_truncated_frame_has_event_and_no_unread_fields(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[2048];
    decode_eth(&p, 8, 1);
    render(WP_OUT_JSON, &p, 7, buf, sizeof buf);
    /* a nanosecond timestamp keeps its 9 digits */
    assert_non_null(strstr(buf, "\"ts\":\"2023-11-14T22:13:20.000000001Z\""));
    assert_non_null(strstr(buf, "\"fields\":{\"dst\":\"02:00:00:00:00:02\"}}"));
    assert_non_null(strstr(buf, "\"events\":[{\"layer\":\"eth\",\"code\":\"eth.truncated\","
                                "\"text\":\"frame shorter than an Ethernet header (14 bytes) "
                                "(8 < 14)\"}]}\n"));
}

static void test_json_unknown_linktype_is_a_number(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[1024];
    wp_frame f = {1700000000, 0, 4, 4, 147, eth_frame};
    wp_decode(&f, &p);
    render(WP_OUT_JSON, &p, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "\"linktype\":147,"));
    assert_non_null(strstr(buf, "{\"proto\":\"raw\",\"offset\":0,\"len\":4}"));
    assert_non_null(strstr(buf, "{\"layer\":\"packet\",\"code\":\"link.unsupported\""));
}

static void test_summary_eth_frame_exact(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[512];
    decode_eth(&p, sizeof eth_frame, 99000);
    assert_string_equal(render(WP_OUT_SUMMARY, &p, 3, buf, sizeof buf),
                        "3 22:13:20.000099 02:00:00:00:00:01 -> 02:00:00:00:00:02 Ethernet, "
                        "26 bytes\n");
    decode_eth(&p, 10, 0);
    assert_string_equal(wp_render_summary_line(&p, 4, buf, sizeof buf),
                        "4 22:13:20.000000 - Ethernet, 10 of 26 bytes ! eth.truncated");
}

static void test_layers_eth_frame_exact(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[2048];
    decode_eth(&p, sizeof eth_frame, 99000);
    assert_string_equal(render(WP_OUT_LAYERS, &p, 1, buf, sizeof buf),
                        "Frame 1: 26 bytes captured of 26, EN10MB, 2023-11-14T22:13:20.000099Z\n"
                        "  Ethernet (Ethernet II)  @0..13  header 14 bytes, length 26\n"
                        "    dst           Destination MAC           02:00:00:00:00:02\n"
                        "    src           Source MAC                02:00:00:00:00:01\n"
                        "    type          EtherType                 0x88b5\n"
                        "    Payload  @14..25  12 bytes  \"hello, mercy\"\n"
                        "\n");
}

static void test_hex_eth_frame_marks_layers(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[2048];
    decode_eth(&p, sizeof eth_frame, 99000);
    assert_string_equal(render(WP_OUT_HEX, &p, 1, buf, sizeof buf),
                        "Frame 1: 26 bytes captured of 26, EN10MB, 2023-11-14T22:13:20.000099Z\n"
                        "  layers:  eth @0..13  payload @14..25\n"
                        "0000  02 00 00 00 00 02 02 00  00 00 00 01 88 b5 68 65  ..............he\n"
                        "      ^eth                                       ^payload\n"
                        "0010  6c 6c 6f 2c 20 6d 65 72  63 79                    llo, mercy\n"
                        "\n");
}

static void test_hex_color_has_legend_and_resets(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[4096];
    wp_sink s;
    wp_render_opts o = {.color = 1};
    decode_eth(&p, sizeof eth_frame, 0);
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_render(&s, WP_OUT_HEX, &p, 1, &o);
    assert_non_null(strstr(buf, "  layers:  \x1b[36meth @0..13\x1b[0m  \x1b[1mpayload @14..25\x1b[0m\n"));
    assert_non_null(strstr(buf, "0000  \x1b[36m02 00 00 00 00 02 02 00  00 00 00 01 88 b5\x1b[0m "
                                "\x1b[1m68 65 \x1b[0m "));
    assert_null(strstr(buf, "^eth"));
}

static void test_fields_eth_frame_exact(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[2048];
    decode_eth(&p, sizeof eth_frame, 0);
    assert_string_equal(render(WP_OUT_FIELDS, &p, 2, buf, sizeof buf),
                        "2\t0:eth\tdst\t0\t6\t020000000002\t02:00:00:00:00:02\n"
                        "2\t0:eth\tsrc\t6\t6\t020000000001\t02:00:00:00:00:01\n"
                        "2\t0:eth\ttype\t12\t2\t88b5\t34997\n"
                        "2\t1:payload\tdata\t14\t12\t68656c6c6f2c206d65726379\t12\n");
}

static void test_struct_eth_frame_exact(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[2048];
    decode_eth(&p, sizeof eth_frame, 0);
    assert_string_equal(render(WP_OUT_STRUCT, &p, 1, buf, sizeof buf),
                        "Frame 1: 26 bytes captured of 26, EN10MB, 2023-11-14T22:13:20.000000Z\n"
                        "  eth  struct.unpack('!6s6sH', frame[0:14])\n"
                        "    dst           @0..5  02 00 00 00 00 02  bytes -> 02:00:00:00:00:02\n"
                        "    src           @6..11  02 00 00 00 00 01  bytes -> 02:00:00:00:00:01\n"
                        "    type          @12..13  88 b5  ntohs -> 34997 (0x88b5)\n"
                        "  payload  frame[14:26]  12 bytes, not unpacked\n"
                        "\n");
}

/* A layer and field tables made up here, so the detail of masked and derived
 * fields is checked whatever the real decoders' tables say. */
static void test_field_detail_mask_shift_and_derived(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {0x45, 0x00, 0x40, 0x00, 0x27, 0x0f};
    static wp_packet p;
    memset(&p, 0, sizeof p);
    p.data = bytes;
    p.caplen = p.len = sizeof bytes;
    wp_layer *l = &p.layers[0];
    p.nlayers = 1;
    l->proto = WP_PROTO_IPV4;
    l->hdr_len = 6;
    l->h.ipv4.version = 4;
    l->h.ipv4.ihl = 5;
    l->h.ipv4.flags = 2;
    l->h.ipv4.id = 9999;
    const wp_field version = {.name = "version", .title = "Version", .width = 1, .mask = 0xf0,
                              .shift = 4, .fmt = 'B', .kind = WP_FK_UINT,
                              .soff = offsetof(wp_ipv4_hdr, version), .ssize = 1};
    const wp_field ihl = {.name = "ihl", .title = "Header length", .width = 1, .mask = 0x0f,
                          .mult = 4, .fmt = 'B', .kind = WP_FK_UINT,
                          .soff = offsetof(wp_ipv4_hdr, ihl), .ssize = 1};
    const wp_field flags = {.name = "flags", .title = "Flags", .off = 2, .width = 2,
                            .mask = 0xe000, .shift = 13, .fmt = 'H', .kind = WP_FK_UINT,
                            .soff = offsetof(wp_ipv4_hdr, flags), .ssize = 1};
    const wp_field id = {.name = "id", .title = "Identification", .off = 4, .width = 2,
                         .fmt = 'H', .kind = WP_FK_UINT, .soff = offsetof(wp_ipv4_hdr, id),
                         .ssize = 2};
    char buf[256];
    assert_string_equal(wp_render_field_detail(&p, l, &version, buf, sizeof buf),
                        "@0  45  (b0 & 0xf0) >> 4 = 4");
    assert_string_equal(wp_render_field_detail(&p, l, &ihl, buf, sizeof buf),
                        "@0  45  (b0 & 0x0f) = 5  * 4 = 20 bytes");
    assert_string_equal(wp_render_field_detail(&p, l, &flags, buf, sizeof buf),
                        "@2..3  40 00  ntohs -> 0x4000  (w & 0xe000) >> 13 = 2");
    assert_string_equal(wp_render_field_detail(&p, l, &id, buf, sizeof buf),
                        "@4..5  27 0f  ntohs -> 9999");
    assert_string_equal(wp_render_field_value(&p, l, &ihl, buf, sizeof buf),
                        "5 (\xc3\x97 4 = 20 bytes)");
    /* a short buffer is cut, never overrun */
    char tiny[6];
    assert_string_equal(wp_render_field_detail(&p, l, &id, tiny, sizeof tiny), "@4..5");
}

static void test_output_parse_names(void **state)
{
    (void)state;
    assert_int_equal(wp_output_parse("summary"), WP_OUT_SUMMARY);
    assert_int_equal(wp_output_parse("layers"), WP_OUT_LAYERS);
    assert_int_equal(wp_output_parse("hex"), WP_OUT_HEX);
    assert_int_equal(wp_output_parse("json"), WP_OUT_JSON);
    assert_int_equal(wp_output_parse("struct"), WP_OUT_STRUCT);
    assert_int_equal(wp_output_parse("fields"), WP_OUT_FIELDS);
    assert_int_equal(wp_output_parse("JSON"), -1);
    assert_int_equal(wp_output_parse(""), -1);
    assert_int_equal(wp_output_parse(NULL), -1);
}

/* Every renderer on every cut of the frame: no overrun, output ends in a
 * newline (the sanitizer build catches reads past the end). */
static void test_every_renderer_on_every_snap_length(void **state)
{
    (void)state;
    static wp_packet p;
    static char buf[8192];
    for (uint32_t cut = 0; cut <= sizeof eth_frame; cut++) {
        decode_eth(&p, cut, 0);
        for (int out = WP_OUT_SUMMARY; out <= WP_OUT_FIELDS; out++) {
            render((wp_output)out, &p, 1, buf, sizeof buf);
            size_t n = strlen(buf);
            if (out == WP_OUT_FIELDS && n == 0)
                continue; /* nothing captured: no field lines */
            assert_true(n > 0);
            assert_int_equal(buf[n - 1], '\n');
        }
    }
}

/* The renderer caches the date of the last second: changing seconds
 * (forward, back, before 1970, beyond year 9999) must never show a stale
 * date. */
static void test_timestamp_cache_follows_every_second(void **state)
{
    (void)state;
    static wp_packet p;
    char buf[4096];
    wp_sink s;
    wp_renderer *r = wp_renderer_new(NULL);
    assert_non_null(r);
    wp_sink_init_mem(&s, buf, sizeof buf);
    const int64_t secs[] = {1700000000, 1700000000, 1700000001, 1700000000, -1, 253402300800};
    const uint32_t ns[] = {99000, 5, 0, 123456789, 0, 0};
    for (int i = 0; i < 6; i++) {
        wp_frame f = {secs[i], ns[i], sizeof eth_frame, sizeof eth_frame, WP_LINK_EN10MB, eth_frame};
        wp_decode(&f, &p);
        wp_renderer_frame(r, &s, WP_OUT_SUMMARY, &p, (uint64_t)i + 1);
    }
    assert_int_equal(s.err, 0);
    const char *want[] = {"1 22:13:20.000099 ", "2 22:13:20.000000005 ", "3 22:13:21.000000 ",
                          "4 22:13:20.123456789 ", "5 23:59:59.000000 ", "6 00:00:00.000000 "};
    for (int i = 0; i < 6; i++)
        assert_non_null(strstr(buf, want[i]));
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_frame f = {253402300800, 0, sizeof eth_frame, sizeof eth_frame, WP_LINK_EN10MB, eth_frame};
    wp_decode(&f, &p);
    wp_renderer_frame(r, &s, WP_OUT_JSON, &p, 1);
    assert_non_null(strstr(buf, "\"ts\":\"10000-01-01T00:00:00.000000Z\""));
    f.ts_sec = -1;
    wp_decode(&f, &p);
    wp_renderer_frame(r, &s, WP_OUT_JSON, &p, 2);
    assert_non_null(strstr(buf, "\"ts\":\"1969-12-31T23:59:59.000000Z\""));
    wp_renderer_free(r);
}

/* ---- renderers on the fixture captures (skipped until captures/ has them) -- */

static wp_fixture *fixture_or_skip(const char *name)
{
    const char *dir = getenv("WP_CAPTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "captures", name);
    if (access(path, R_OK) != 0)
        skip();
    return wp_fixture_load(name);
}

/* Until the TCP decoder lands its proto has no field table. */
static void tcp_decoder_or_skip(void)
{
    if (wp_proto_get(WP_PROTO_TCP)->nfields == 0)
        skip();
}

static void test_json_udp_tcp_pair_fields_and_tcp_options(void **state)
{
    (void)state;
    tcp_decoder_or_skip();
    wp_fixture *fx = fixture_or_skip("udp-tcp-pair.pcap");
    static wp_packet p;
    static char buf[8192];
    wp_fixture_decode(fx, 0, &p);
    render(WP_OUT_JSON, &p, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "{\"proto\":\"ipv4\",\"offset\":14,\"header_len\":20,"
                                "\"checksum_status\":\"good\",\"fields\":{\"version\":4,\"ihl\":5,"));
    assert_non_null(strstr(buf, "\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\""));
    assert_non_null(strstr(buf, "{\"proto\":\"udp\",\"offset\":34,\"header_len\":8,"
                                "\"checksum_status\":\"good\",\"fields\":{\"sport\":40000,"
                                "\"dport\":54321,\"length\":20,"));
    assert_non_null(strstr(buf, "{\"proto\":\"payload\",\"offset\":42,\"len\":12}],\"events\":[]}\n"));
    wp_fixture_decode(fx, 1, &p);
    render(WP_OUT_JSON, &p, 2, buf, sizeof buf);
    assert_non_null(strstr(buf, "\"options\":[{\"kind\":2,\"name\":\"mss\",\"length\":4,\"value\":1460},"
                                "{\"kind\":4,\"name\":\"sack_perm\",\"length\":2},"
                                "{\"kind\":8,\"name\":\"timestamp\",\"length\":10,\"tsval\":"));
    assert_non_null(strstr(buf, "{\"kind\":1,\"name\":\"nop\",\"length\":1},"
                                "{\"kind\":3,\"name\":\"wscale\",\"length\":3,\"shift\":7}]"));
    wp_fixture_free(fx);
}

/* Whether str is written the same with and without JSON escaping. */
static int json_plain(const char *str)
{
    for (const unsigned char *u = (const unsigned char *)str; *u; u++)
        if (*u < 0x20 || *u >= 0x7f || *u == '"' || *u == '\\')
            return 0;
    return str[0] != '\0';
}

/* JSON keys and proto names are written raw (no escaping pass): every name
 * in every table must need no escaping (and is a lowercase name). */
static void test_every_table_name_needs_no_json_escaping(void **state)
{
    (void)state;
    size_t checked = 0;
    for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
        const wp_proto_info *pi = wp_proto_get(p);
        assert_non_null(pi->name);
        if (!json_plain(pi->name) ||
            strspn(pi->name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(pi->name))
            fail_msg("proto name \"%s\" needs escaping", pi->name);
        for (size_t k = 0; k < pi->nfields; k++) {
            const char *n = pi->fields[k].name;
            assert_non_null(n);
            if (!json_plain(n) || strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(n))
                fail_msg("%s field \"%s\" needs escaping", pi->name, n);
            checked++;
        }
    }
    assert_true(checked > 40);
}

/* The renderer caches per-field text (layers columns, JSON keys): a
 * renderer reused for many frames of different protocols writes exactly
 * what one-off renderings (wp_render) do. */
static void test_field_cache_reused_sink_matches_fresh_sinks(void **state)
{
    (void)state;
    tcp_decoder_or_skip();
    const char *const names[] = {"udp-tcp-pair.pcap", "ipv6-ext.pcap", "arp.pcap",
                                 "vlan-qinq.pcap", "icmp-port-unreachable.pcap"};
    static wp_packet p;
    static char one[8192], all[1 << 17], want[1 << 17];
    for (int out = WP_OUT_LAYERS; out <= WP_OUT_JSON; out += WP_OUT_JSON - WP_OUT_LAYERS) {
        wp_sink s;
        size_t wn = 0;
        wp_renderer *r = wp_renderer_new(NULL);
        assert_non_null(r);
        wp_sink_init_mem(&s, all, sizeof all);
        for (int round = 0; round < 2; round++) {
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                wp_fixture *fx = wp_fixture_load(names[i]);
                if (!fx)
                    skip();
                for (size_t k = 0; k < fx->n; k++) {
                    wp_fixture_decode(fx, k, &p);
                    wp_renderer_frame(r, &s, (wp_output)out, &p, k + 1);
                    render((wp_output)out, &p, k + 1, one, sizeof one);
                    size_t n = strlen(one);
                    assert_true(wn + n < sizeof want);
                    memcpy(want + wn, one, n + 1);
                    wn += n;
                }
                wp_fixture_free(fx);
            }
        }
        assert_int_equal(s.err, 0);
        assert_int_equal(s.len, wn);
        assert_string_equal(all, want);
        wp_renderer_free(r);
    }
}

/* One renderer per format and colour, reused for every frame of every
 * capture in captures/ (two rounds, so every plan and cache is warm the
 * second time), writes what one-off renderings (wp_render) write. */
static void test_renderer_reused_for_every_capture_writes_what_one_offs_write(void **state)
{
    (void)state;
    tcp_decoder_or_skip();
    const char *dir = getenv("WP_CAPTURES");
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s", dir ? dir : "captures");
    DIR *d = opendir(pattern);
    if (!d)
        skip();
    static const char *names[128];
    static char store[128][256];
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && nn < 128) {
        size_t k = strlen(e->d_name);
        if (k < 5 || k >= sizeof store[0] ||
            (strcmp(e->d_name + k - 5, ".pcap") != 0 && strstr(e->d_name, ".pcapng") == NULL))
            continue;
        memcpy(store[nn], e->d_name, k + 1);
        names[nn] = store[nn];
        nn++;
    }
    closedir(d);
    assert_true(nn > 10);
    static wp_packet p;
    static char a[1 << 17], b[1 << 17];
    for (int out = WP_OUT_SUMMARY; out <= WP_OUT_FIELDS; out++) {
        for (int color = 0; color < (out == WP_OUT_HEX ? 2 : 1); color++) {
            wp_render_opts o = {.color = color};
            wp_renderer *r = wp_renderer_new(&o);
            assert_non_null(r);
            for (int round = 0; round < 2; round++) {
                for (size_t c = 0; c < nn; c++) {
                    wp_fixture *fx = wp_fixture_load(names[c]);
                    if (!fx)
                        continue;
                    for (size_t i = 0; i < fx->n; i++) {
                        wp_sink sa, sb;
                        wp_fixture_decode(fx, i, &p);
                        wp_sink_init_mem(&sa, a, sizeof a);
                        wp_renderer_frame(r, &sa, (wp_output)out, &p, i + 1);
                        wp_sink_init_mem(&sb, b, sizeof b);
                        wp_render(&sb, (wp_output)out, &p, i + 1, &o);
                        assert_int_equal(sa.err, 0);
                        assert_int_equal(sb.err, 0);
                        assert_true(sa.len > 0);
                        assert_int_equal(sa.len, sb.len);
                        assert_memory_equal(a, b, sa.len);
                    }
                    wp_fixture_free(fx);
                }
            }
            wp_renderer_free(r);
        }
    }
}

static void test_summary_tcp_handshake_lines(void **state)
{
    (void)state;
    tcp_decoder_or_skip();
    wp_fixture *fx = fixture_or_skip("tcp-handshake.pcap");
    static wp_packet p;
    char buf[512];
    assert_int_equal(fx->n, 9);
    wp_fixture_decode(fx, 1, &p);
    wp_render_summary_line(&p, 2, buf, sizeof buf);
    assert_non_null(strstr(buf, " 192.0.2.2:54321 -> 192.0.2.1:"));
    assert_non_null(strstr(buf, " TCP [SYN, ACK] seq "));
    assert_non_null(strstr(buf, " win "));
    assert_null(strchr(buf, '!'));
    wp_fixture_decode(fx, 3, &p);
    wp_render_summary_line(&p, 4, buf, sizeof buf);
    assert_non_null(strstr(buf, " TCP [PSH, ACK] seq "));
    assert_non_null(strstr(buf, " len 16, "));
    wp_fixture_free(fx);
}

static void test_layers_ipv4_derived_arithmetic_and_bad_checksum(void **state)
{
    (void)state;
    wp_fixture *fx = fixture_or_skip("ipv4-bad-checksum.pcap");
    static wp_packet p;
    static char buf[8192];
    wp_fixture_decode(fx, 0, &p);
    render(WP_OUT_LAYERS, &p, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "IPv4 (Internet Protocol version 4)  @14..33  header 20 bytes"));
    assert_non_null(strstr(buf, "5 (\xc3\x97 4 = 20 bytes)\n"));
    assert_non_null(strstr(buf, "checksum bad (computed 0x"));
    assert_non_null(strstr(buf, "! ipv4.checksum_bad: "));
    render(WP_OUT_JSON, &p, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "\"checksum_status\":\"bad\""));
    assert_non_null(strstr(buf, "{\"layer\":\"ipv4\",\"code\":\"ipv4.checksum_bad\",\"text\":\""));
    wp_fixture_free(fx);
}

static void test_nanosecond_capture_keeps_nine_digits(void **state)
{
    (void)state;
    wp_fixture *fx = fixture_or_skip("nanosecond.pcap");
    static wp_packet p;
    char buf[4096];
    wp_fixture_decode(fx, 1, &p);
    render(WP_OUT_JSON, &p, 2, buf, sizeof buf);
    assert_non_null(strstr(buf, "\"ts\":\"2023-11-14T22:13:20.123456789Z\""));
    wp_fixture_free(fx);
}

/* The string forms the view uses end with a NUL even in a buffer that held
 * something longer before (the view reuses its buffers). */
static void test_string_forms_are_terminated_in_dirty_buffers(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    const wp_layer *tcp = wp_test_layer(&p, WP_PROTO_TCP, 0);
    assert_non_null(tcp);
    assert_true(tcp->opt_count > 0);
    char buf[256];
    memset(buf, 'x', sizeof buf);
    wp_render_opt_text(&p, tcp, &p.opts[tcp->opt_first], buf, sizeof buf);
    assert_string_equal(buf, "mss (kind 2, len 4) 1460");
    memset(buf, 'x', sizeof buf);
    const wp_proto_info *pi = wp_proto_get(tcp->proto);
    wp_render_field_value(&p, tcp, &pi->fields[0], buf, sizeof buf);
    assert_string_equal(buf, "40001");
    memset(buf, 'x', sizeof buf);
    wp_render_summary_line(&p, 2, buf, sizeof buf);
    assert_non_null(memchr(buf, '\0', sizeof buf));
    assert_true(strlen(buf) < 200);
    wp_fixture_free(fx);
}

/* The pointer writers cut a table name at a bound (32 for proto, option,
 * checksum and link-type names in JSON and the summary, 127 for titles and
 * option text in layers, 95 for describe text): every name the tables hold
 * is shorter, so nothing is ever cut. */
static void test_render_table_names_fit_writer_bounds(void **state)
{
    (void)state;
    char buf[96];
    for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
        const wp_proto_info *pi = wp_proto_get(p);
        assert_true(strlen(pi->name) <= 32);
        assert_true(strlen(pi->short_name) <= 32);
        assert_true(strlen(pi->title) <= 127);
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            assert_true(strlen(f->name) <= 32);
            assert_true(strlen(f->title) <= 127);
            if (!f->describe)
                continue;
            uint64_t top = f->width >= 2 ? 65535 : 255;
            for (uint64_t v = 0; v <= top; v++) {
                buf[0] = '\0';
                const char *d = f->describe(v, buf, sizeof buf);
                if (d)
                    assert_true(strlen(d) <= 95);
            }
        }
        for (unsigned kind = 0; kind < 256; kind++) {
            const char *n = wp_opt_name(p, kind);
            if (n)
                assert_true(strlen(n) <= 32);
        }
    }
    for (unsigned c = 0; c < 16; c++) {
        const char *n = wp_csum_name(c);
        if (n)
            assert_true(strlen(n) <= 32);
    }
    for (int lt = 0; lt < 300; lt++) {
        const char *n = wp_linktype_name(lt);
        if (n)
            assert_true(strlen(n) <= 32);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sink_mem_collects_and_stays_terminated),
        cmocka_unit_test(test_render_table_names_fit_writer_bounds),
        cmocka_unit_test(test_sink_mem_overflow_sets_err_and_truncates),
        cmocka_unit_test(test_sink_numbers),
        cmocka_unit_test(test_sink_fd_writes_everything_in_order),
        cmocka_unit_test(test_sink_fd_write_error_is_reported),
        cmocka_unit_test(test_room_check_aborts_a_piece_past_its_room),
        cmocka_unit_test(test_ipv6_rfc5952_cases),
        cmocka_unit_test(test_ipv6_matches_inet_ntop_on_random_addresses),
        cmocka_unit_test(test_mac_and_ipv4_text),
        cmocka_unit_test(test_ts_design_example_and_edges),
        cmocka_unit_test(test_ts_matches_gmtime),
        cmocka_unit_test(test_json_string_escaping),
        cmocka_unit_test(test_every_table_name_needs_no_json_escaping),
        cmocka_unit_test(test_field_cache_reused_sink_matches_fresh_sinks),
        cmocka_unit_test(test_renderer_reused_for_every_capture_writes_what_one_offs_write),
        cmocka_unit_test(test_json_eth_frame_exact),
        cmocka_unit_test(test_json_truncated_frame_has_event_and_no_unread_fields),
        cmocka_unit_test(test_json_unknown_linktype_is_a_number),
        cmocka_unit_test(test_summary_eth_frame_exact),
        cmocka_unit_test(test_layers_eth_frame_exact),
        cmocka_unit_test(test_hex_eth_frame_marks_layers),
        cmocka_unit_test(test_hex_color_has_legend_and_resets),
        cmocka_unit_test(test_fields_eth_frame_exact),
        cmocka_unit_test(test_struct_eth_frame_exact),
        cmocka_unit_test(test_field_detail_mask_shift_and_derived),
        cmocka_unit_test(test_output_parse_names),
        cmocka_unit_test(test_every_renderer_on_every_snap_length),
        cmocka_unit_test(test_timestamp_cache_follows_every_second),
        cmocka_unit_test(test_json_udp_tcp_pair_fields_and_tcp_options),
        cmocka_unit_test(test_summary_tcp_handshake_lines),
        cmocka_unit_test(test_layers_ipv4_derived_arithmetic_and_bad_checksum),
        cmocka_unit_test(test_nanosecond_capture_keeps_nine_digits),
        cmocka_unit_test(test_string_forms_are_terminated_in_dirty_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
