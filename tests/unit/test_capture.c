/* Capture module: fixture files, the bad-input matrix (files written here),
 * the dumper round trip, BPF errors, and (as root) opening lo live. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wirepeel/capture.h"

static char tmpdir[256];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wp_test_capture.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp(const char *name)
{
    static char path[2][512];
    static int k;
    k ^= 1;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    return path[k];
}

static const char *fixture(const char *name)
{
    static char path[512];
    const char *dir = getenv("WP_CAPTURES");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "captures", name);
    return path;
}

/* ---- writing little-endian pcap files byte by byte ---- */

typedef struct buf {
    uint8_t b[4096];
    size_t n;
} buf;

static void le32(buf *w, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        w->b[w->n++] = (uint8_t)(v >> (8 * i));
}

static void le16(buf *w, uint16_t v)
{
    w->b[w->n++] = (uint8_t)v;
    w->b[w->n++] = (uint8_t)(v >> 8);
}

static void file_header(buf *w, uint32_t snaplen, uint32_t linktype)
{
    le32(w, 0xa1b2c3d4);
    le16(w, 2);
    le16(w, 4);
    le32(w, 0);
    le32(w, 0);
    le32(w, snaplen);
    le32(w, linktype);
}

/* A record of caplen bytes (only min(caplen, 60) of them written). */
static void record(buf *w, uint32_t sec, uint32_t caplen, uint32_t len)
{
    le32(w, sec);
    le32(w, 7);
    le32(w, caplen);
    le32(w, len);
    for (uint32_t i = 0; i < caplen && i < 60; i++)
        w->b[w->n++] = (uint8_t)i;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static buf three_records(void)
{
    buf w = {.n = 0};
    file_header(&w, 65535, 1);
    for (uint32_t i = 0; i < 3; i++)
        record(&w, 1700000000 + i, 60, 60);
    return w;
}

/* Read every frame; returns the last wp_capture_next result. */
static int read_all(wp_capture *c, int *frames, char *err, size_t errlen)
{
    wp_frame f;
    int rc;
    *frames = 0;
    while ((rc = wp_capture_next(c, &f, err, errlen)) == 1)
        (*frames)++;
    return rc;
}

/* ---- fixtures ---- */

static void test_capture_reads_every_frame_of_a_fixture(void **state)
{
    (void)state;
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(fixture("tcp-handshake.pcap"), err, sizeof err);
    assert_non_null(c);
    assert_int_equal(wp_capture_linktype(c), 1);
    assert_int_equal(wp_capture_is_live(c), 0);
    assert_int_equal(wp_capture_fd(c), -1);
    wp_capture_stats st;
    assert_int_equal(wp_capture_stats_get(c, &st), -1);
    wp_frame f;
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
    assert_int_equal(f.ts_sec, 1700000000);
    assert_int_equal(f.linktype, 1);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), 0);
    assert_int_equal(n + 1, 9);
    assert_int_equal(wp_capture_count(c), 9);
    wp_capture_close(c);
}

static void test_capture_keeps_nanoseconds(void **state)
{
    (void)state;
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(fixture("nanosecond.pcap"), err, sizeof err);
    assert_non_null(c);
    wp_frame f;
    const uint32_t want[3] = {1, 123456789, 999999999};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
        assert_int_equal(f.ts_sec, 1700000000);
        assert_int_equal(f.ts_nsec, want[i]);
    }
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 0);
    wp_capture_close(c);
}

static void test_capture_raw_ip_file_reports_linktype_101(void **state)
{
    (void)state;
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(fixture("link-raw.pcap"), err, sizeof err);
    assert_non_null(c);
    assert_int_equal(wp_capture_linktype(c), 101);
    wp_capture_close(c);
}

static void test_capture_reads_pcapng(void **state)
{
    (void)state;
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(fixture("udp-tcp-pair.pcapng"), err, sizeof err);
    assert_non_null(c);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    wp_capture_close(c);
}

static void test_capture_filter_on_a_file(void **state)
{
    (void)state;
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(fixture("udp-tcp-pair.pcap"), err, sizeof err);
    assert_non_null(c);
    assert_int_equal(wp_capture_set_filter(c, "tcp", err, sizeof err), 0);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    wp_capture_close(c);
}

/* ---- bad input ---- */

static void test_capture_missing_file_names_it(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    assert_null(wp_capture_open_file(tmp("nope.pcap"), err, sizeof err));
    assert_non_null(strstr(err, "nope.pcap"));
    assert_non_null(strstr(err, "No such file"));
}

static void test_capture_directory_is_refused(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    assert_null(wp_capture_open_file(tmpdir, err, sizeof err));
    assert_non_null(strstr(err, "directory"));
}

static void test_capture_empty_file_is_refused(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    write_file(tmp("empty.pcap"), "", 0);
    assert_null(wp_capture_open_file(tmp("empty.pcap"), err, sizeof err));
    assert_non_null(strstr(err, "empty"));
}

static void test_capture_text_file_is_not_a_capture(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    const char text[] = "hello, this is not a capture file at all\n";
    write_file(tmp("t.txt"), text, sizeof text - 1);
    assert_null(wp_capture_open_file(tmp("t.txt"), err, sizeof err));
    assert_non_null(strstr(err, "not a pcap or pcapng capture file"));
}

static void test_capture_cut_file_header(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = three_records();
    write_file(tmp("h.pcap"), w.b, 10);
    assert_null(wp_capture_open_file(tmp("h.pcap"), err, sizeof err));
    assert_non_null(strstr(err, "ends inside its capture file header"));
}

static void test_capture_header_only_is_zero_packets(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = three_records();
    write_file(tmp("ho.pcap"), w.b, 24);
    wp_capture *c = wp_capture_open_file(tmp("ho.pcap"), err, sizeof err);
    assert_non_null(c);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    wp_capture_close(c);
}

static void test_capture_cut_record_gives_complete_ones_then_error(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = three_records();
    write_file(tmp("cut.pcap"), w.b, w.n - 25);
    wp_capture *c = wp_capture_open_file(tmp("cut.pcap"), err, sizeof err);
    assert_non_null(c);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), -1);
    assert_int_equal(n, 2);
    assert_non_null(strstr(err, "cut.pcap ends early at byte 227, in the middle of packet 3; "
                                "the 2 packets before it are complete"));
    wp_capture_close(c);
}

static void test_capture_caplen_over_256k_is_an_error(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = {.n = 0};
    file_header(&w, 65535, 1);
    record(&w, 1700000000, 60, 60);
    record(&w, 1700000001, 300000, 300000); /* only 60 bytes follow */
    write_file(tmp("huge.pcap"), w.b, w.n);
    wp_capture *c = wp_capture_open_file(tmp("huge.pcap"), err, sizeof err);
    assert_non_null(c);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), -1);
    assert_int_equal(n, 1);
    assert_non_null(strstr(err, "damaged at packet 2"));
    assert_non_null(strstr(err, "300000"));
    wp_capture_close(c);
}

static void test_capture_caplen_over_snaplen_is_cut_to_snaplen(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = {.n = 0};
    file_header(&w, 40, 1);
    record(&w, 1700000000, 60, 60); /* libpcap keeps 40, skips the rest */
    record(&w, 1700000001, 30, 30);
    write_file(tmp("over.pcap"), w.b, w.n);
    wp_capture *c = wp_capture_open_file(tmp("over.pcap"), err, sizeof err);
    assert_non_null(c);
    wp_frame f;
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
    assert_int_equal(f.caplen, 40);
    assert_int_equal(f.len, 60);
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
    assert_int_equal(f.caplen, 30);
    assert_int_equal(f.ts_sec, 1700000001);
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 0);
    wp_capture_close(c);
}

static void test_capture_unknown_linktype_is_returned(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = {.n = 0};
    file_header(&w, 65535, 4242);
    record(&w, 1700000000, 20, 20);
    write_file(tmp("unk.pcap"), w.b, w.n);
    wp_capture *c = wp_capture_open_file(tmp("unk.pcap"), err, sizeof err);
    assert_non_null(c);
    assert_int_equal(wp_capture_linktype(c), 4242);
    wp_frame f;
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
    assert_int_equal(f.linktype, 4242);
    assert_int_equal(f.caplen, 20);
    wp_capture_close(c);
}

static void blk(buf *w, uint32_t type, const uint8_t *body, size_t n)
{
    size_t pad = (4 - n % 4) % 4;
    uint32_t total = (uint32_t)(12 + n + pad);
    le32(w, type);
    le32(w, total);
    memcpy(w->b + w->n, body, n);
    w->n += n;
    memset(w->b + w->n, 0, pad);
    w->n += pad;
    le32(w, total);
}

static void test_capture_pcapng_unknown_block_is_skipped(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    buf w = {.n = 0}, body = {.n = 0};
    le32(&body, 0x1A2B3C4D); /* SHB: byte order, version 1.0, length unknown */
    le16(&body, 1);
    le16(&body, 0);
    le32(&body, 0xffffffff);
    le32(&body, 0xffffffff);
    blk(&w, 0x0A0D0D0A, body.b, body.n);
    body.n = 0; /* IDB: Ethernet, snaplen 65535 */
    le16(&body, 1);
    le16(&body, 0);
    le32(&body, 65535);
    blk(&w, 1, body.b, body.n);
    blk(&w, 0x0badbeef, (const uint8_t *)"nobody knows me", 15);
    body.n = 0; /* EPB: interface 0, ts 0, 20 bytes */
    for (int i = 0; i < 3; i++)
        le32(&body, 0);
    le32(&body, 20);
    le32(&body, 20);
    for (int i = 0; i < 20; i++)
        body.b[body.n++] = (uint8_t)i;
    blk(&w, 6, body.b, body.n);
    write_file(tmp("unk.pcapng"), w.b, w.n);
    wp_capture *c = wp_capture_open_file(tmp("unk.pcapng"), err, sizeof err);
    assert_non_null(c);
    int n;
    assert_int_equal(read_all(c, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    wp_capture_close(c);
}

static void test_capture_break_ends_a_file_read(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    wp_capture *c = wp_capture_open_file(fixture("tcp-handshake.pcap"), err, sizeof err);
    assert_non_null(c);
    wp_frame f;
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
    wp_capture_break(c);
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 0);
    wp_capture_close(c);
    wp_capture_close(NULL);
}

/* ---- BPF ---- */

static void test_capture_bpf_error_quotes_filter_and_libpcap(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    assert_int_equal(wp_capture_filter_check("tcp port nosuchport", 1, 0, err, sizeof err), -1);
    assert_string_equal(err, "bad filter expression 'tcp port nosuchport': unknown port "
                             "'nosuchport'");
    assert_int_equal(wp_capture_filter_check("udp and and", 1, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "'udp and and': can't parse filter expression: syntax error"));
    assert_int_equal(wp_capture_filter_check("udp port 53 or tcp", 1, 0, err, sizeof err), 0);
    assert_int_equal(wp_capture_filter_check("ip", 101, 0, err, sizeof err), 0);
}

static void test_capture_bad_filter_on_a_file(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    wp_capture *c = wp_capture_open_file(fixture("udp-tcp-pair.pcap"), err, sizeof err);
    assert_non_null(c);
    assert_int_equal(wp_capture_set_filter(c, "port", err, sizeof err), -1);
    assert_non_null(strstr(err, "bad filter expression 'port': "));
    wp_capture_close(c);
}

/* ---- writing ---- */

static void test_dumper_round_trip_keeps_everything(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    uint8_t data[3][64];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 64; j++)
            data[i][j] = (uint8_t)(i * 64 + j);
    const wp_frame in[3] = {
        {.ts_sec = 1700000000, .ts_nsec = 1, .caplen = 64, .len = 64, .linktype = 101,
         .data = data[0]},
        {.ts_sec = 1700000000, .ts_nsec = 999999999, .caplen = 20, .len = 1500,
         .linktype = 101, .data = data[1]},
        {.ts_sec = 1700000123, .ts_nsec = 123456789, .caplen = 1, .len = 1, .linktype = 101,
         .data = data[2]},
    };
    wp_dumper *d = wp_dumper_open(tmp("rt.pcap"), 101, 64, err, sizeof err);
    assert_non_null(d);
    for (int i = 0; i < 3; i++)
        assert_int_equal(wp_dumper_write(d, &in[i], err, sizeof err), 0);
    assert_int_equal(wp_dumper_close(d, err, sizeof err), 0);

    wp_capture *c = wp_capture_open_file(tmp("rt.pcap"), err, sizeof err);
    assert_non_null(c);
    assert_int_equal(wp_capture_linktype(c), 101);
    assert_int_equal(wp_capture_snaplen(c), 64);
    wp_frame f;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 1);
        assert_int_equal(f.ts_sec, in[i].ts_sec);
        assert_int_equal(f.ts_nsec, in[i].ts_nsec);
        assert_int_equal(f.caplen, in[i].caplen);
        assert_int_equal(f.len, in[i].len);
        assert_memory_equal(f.data, in[i].data, in[i].caplen);
    }
    assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 0);
    wp_capture_close(c);
}

static void test_dumper_unwritable_path_is_refused(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    assert_null(wp_dumper_open(tmp("no/such/dir.pcap"), 1, 0, err, sizeof err));
    assert_non_null(strstr(err, "cannot write"));
    assert_non_null(strstr(err, "no/such/dir.pcap"));
    assert_null(wp_dumper_open(tmpdir, 1, 0, err, sizeof err));
    assert_non_null(strstr(err, "directory"));
}

static void test_dumper_dev_full_reports_the_error(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "";
    if (access("/dev/full", W_OK) != 0)
        skip();
    uint8_t data[100] = {0};
    wp_frame f = {.ts_sec = 1, .caplen = 100, .len = 100, .linktype = 1, .data = data};
    wp_dumper *d = wp_dumper_open("/dev/full", 1, 0, err, sizeof err);
    assert_non_null(d);
    /* small writes sit in the buffer; the flush at close must fail */
    assert_int_equal(wp_dumper_write(d, &f, err, sizeof err), 0);
    assert_int_equal(wp_dumper_close(d, err, sizeof err), -1);
    assert_non_null(strstr(err, "writing /dev/full failed: No space left on device"));
}

/* ---- live (root only) ---- */

static void test_capture_live_lo_opens_both_ways(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    char err[WP_ERRBUF] = "", warn[WP_ERRBUF] = "x";
    for (int raw = 0; raw < 2; raw++) {
        wp_live_opts o = {.raw_socket = raw, .timeout_ms = 20};
        wp_capture *c = wp_capture_open_live("lo", &o, warn, sizeof warn, err, sizeof err);
        assert_non_null(c);
        assert_string_equal(warn, "");
        assert_int_equal(wp_capture_linktype(c), 1);
        assert_int_equal(wp_capture_is_live(c), 1);
        assert_true(wp_capture_fd(c) >= 0);
        /* a port nobody uses: the read times out */
        assert_int_equal(wp_capture_set_filter(c, "udp port 9 and udp port 7", err, sizeof err),
                         0);
        wp_frame f;
        assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 2);
        wp_capture_stats st;
        assert_int_equal(wp_capture_stats_get(c, &st), 0);
        wp_capture_break(c);
        assert_int_equal(wp_capture_next(c, &f, err, sizeof err), 0);
        wp_capture_close(c);
    }
}

static void test_capture_live_unknown_interface(void **state)
{
    (void)state;
    char err[WP_ERRBUF] = "", warn[WP_ERRBUF];
    for (int raw = 0; raw < 2; raw++) {
        wp_live_opts o = {.raw_socket = raw};
        if (geteuid() != 0 && raw)
            continue; /* the socket itself is refused first */
        assert_null(wp_capture_open_live("nosuch0", &o, warn, sizeof warn, err, sizeof err));
        if (geteuid() == 0)
            assert_string_equal(err, "no network interface named 'nosuch0' (list the "
                                     "interfaces with `ip link`)");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capture_reads_every_frame_of_a_fixture),
        cmocka_unit_test(test_capture_keeps_nanoseconds),
        cmocka_unit_test(test_capture_raw_ip_file_reports_linktype_101),
        cmocka_unit_test(test_capture_reads_pcapng),
        cmocka_unit_test(test_capture_filter_on_a_file),
        cmocka_unit_test(test_capture_missing_file_names_it),
        cmocka_unit_test(test_capture_directory_is_refused),
        cmocka_unit_test(test_capture_empty_file_is_refused),
        cmocka_unit_test(test_capture_text_file_is_not_a_capture),
        cmocka_unit_test(test_capture_cut_file_header),
        cmocka_unit_test(test_capture_header_only_is_zero_packets),
        cmocka_unit_test(test_capture_cut_record_gives_complete_ones_then_error),
        cmocka_unit_test(test_capture_caplen_over_256k_is_an_error),
        cmocka_unit_test(test_capture_caplen_over_snaplen_is_cut_to_snaplen),
        cmocka_unit_test(test_capture_unknown_linktype_is_returned),
        cmocka_unit_test(test_capture_pcapng_unknown_block_is_skipped),
        cmocka_unit_test(test_capture_break_ends_a_file_read),
        cmocka_unit_test(test_capture_bpf_error_quotes_filter_and_libpcap),
        cmocka_unit_test(test_capture_bad_filter_on_a_file),
        cmocka_unit_test(test_dumper_round_trip_keeps_everything),
        cmocka_unit_test(test_dumper_unwritable_path_is_refused),
        cmocka_unit_test(test_dumper_dev_full_reports_the_error),
        cmocka_unit_test(test_capture_live_lo_opens_both_ways),
        cmocka_unit_test(test_capture_live_unknown_interface),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
