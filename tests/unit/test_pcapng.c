/* The pcapng reader (src/capture/pcapng.c) on blocks built here, the pcapng
 * fixtures through wp_capture_open_file, and the pcapng writer's round
 * trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture/capture_int.h"
#include "wirepeel/capture.h"

typedef struct blk {
    uint8_t d[1024];
    size_t n;
    int big;
} blk;

static void f8(blk *b, unsigned v)
{
    assert_true(b->n < sizeof b->d);
    b->d[b->n++] = (uint8_t)v;
}

static void f16(blk *b, unsigned v)
{
    if (b->big) {
        f8(b, v >> 8);
        f8(b, v & 0xff);
    } else {
        f8(b, v & 0xff);
        f8(b, v >> 8);
    }
}

static void f32(blk *b, uint32_t v)
{
    if (b->big) {
        f16(b, v >> 16);
        f16(b, v & 0xffff);
    } else {
        f16(b, v & 0xffff);
        f16(b, v >> 16);
    }
}

/* Append a block of type with body[0..n) (padded) to file f. */
static void block(blk *file, uint32_t type, const uint8_t *body, size_t n)
{
    size_t pad = (4 - n % 4) % 4;
    uint32_t len = (uint32_t)(12 + n + pad);
    f32(file, type);
    f32(file, len);
    for (size_t i = 0; i < n; i++)
        f8(file, body[i]);
    for (size_t i = 0; i < pad; i++)
        f8(file, 0);
    f32(file, len);
}

static void shb(blk *file)
{
    blk b = {.big = file->big};
    f32(&b, 0x1A2B3C4D);
    f16(&b, 1);
    f16(&b, 0);
    f32(&b, 0xffffffff);
    f32(&b, 0xffffffff);
    block(file, 0x0A0D0D0A, b.d, b.n);
}

static void idb(blk *file, unsigned linktype, int tsresol)
{
    blk b = {.big = file->big};
    f16(&b, linktype);
    f16(&b, 0);
    f32(&b, 0);
    if (tsresol >= 0) {
        f16(&b, 9);
        f16(&b, 1);
        f8(&b, (unsigned)tsresol);
        f8(&b, 0);
        f8(&b, 0);
        f8(&b, 0);
    }
    block(file, 1, b.d, b.n);
}

static void epb(blk *file, uint32_t ifid, uint64_t ts, uint32_t caplen, uint32_t len)
{
    blk b = {.big = file->big};
    f32(&b, ifid);
    f32(&b, (uint32_t)(ts >> 32));
    f32(&b, (uint32_t)ts);
    f32(&b, caplen);
    f32(&b, len);
    for (uint32_t i = 0; i < caplen; i++)
        f8(&b, 0x45);
    block(file, 6, b.d, b.n);
}

typedef struct rd {
    FILE *fp;
    wp_pcapng *r;
    char err[WP_ERRBUF];
} rd;

static void open_rd(rd *x, blk *file)
{
    x->fp = fmemopen(file->d, file->n, "rb");
    assert_non_null(x->fp);
    x->r = wp_pcapng_open(x->fp, x->err, sizeof x->err);
    assert_non_null(x->r);
}

static void close_rd(rd *x)
{
    wp_pcapng_close(x->r);
    fclose(x->fp);
}

static void test_pcapng_big_endian_section_after_little_endian_is_read(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, -1);
    epb(&file, 0, 1000001, 20, 20);
    file.big = 1;
    shb(&file);
    idb(&file, 101, -1);
    epb(&file, 0, 2000002, 24, 30);
    rd x;
    open_rd(&x, &file);
    assert_int_equal(wp_pcapng_prime(x.r, x.err, sizeof x.err), 0);
    assert_int_equal(wp_pcapng_linktype(x.r), 1);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.linktype, 1);
    assert_int_equal(f.ts_sec, 1);
    assert_int_equal(f.ts_nsec, 1000);
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.linktype, 101);
    assert_int_equal(f.ts_sec, 2);
    assert_int_equal(f.ts_nsec, 2000);
    assert_int_equal(f.caplen, 24);
    assert_int_equal(f.len, 30);
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 0);
    close_rd(&x);
}

static void test_pcapng_tsresol_binary_and_decimal_give_nanoseconds(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, 0x80 | 10); /* 1/1024 s */
    idb(&file, 1, 12);        /* picoseconds */
    epb(&file, 0, (5u << 10) | 256, 4, 4);
    epb(&file, 1, 7000000000123456ULL, 4, 4);
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.ts_sec, 5);
    assert_int_equal(f.ts_nsec, 250000000);
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.ts_sec, 7000);
    assert_int_equal(f.ts_nsec, 123);
    close_rd(&x);
}

static void test_pcapng_caplen_over_len_is_handed_out_unclamped(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, -1);
    epb(&file, 0, 0, 40, 30);
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.caplen, 40);
    assert_int_equal(f.len, 30);
    close_rd(&x);
}

static void test_pcapng_packet_on_undescribed_interface_is_an_error(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, -1);
    epb(&file, 3, 0, 4, 4);
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), -1);
    assert_non_null(strstr(x.err, "names interface 3"));
    close_rd(&x);
}

static void test_pcapng_block_cut_short_says_where(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, -1);
    epb(&file, 0, 0, 4, 4);
    epb(&file, 0, 0, 40, 40);
    file.n -= 10;
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), -1);
    assert_non_null(strstr(x.err, "ends early"));
    assert_non_null(strstr(x.err, "(packet 2)"));
    close_rd(&x);
}

static void test_pcapng_caplen_beyond_block_is_damage(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, -1);
    epb(&file, 0, 0, 4, 4);
    /* the EPB's caplen field (at 20 bytes into the block) claims 400 */
    size_t at = file.n - 36 + 20;
    file.d[at] = 0x90;
    file.d[at + 1] = 0x01;
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), -1);
    assert_non_null(strstr(x.err, "fewer bytes than its captured length"));
    close_rd(&x);
}

static void test_pcapng_impossible_block_length_is_damage(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    f32(&file, 6);
    f32(&file, 7); /* shorter than a block can be, and not a multiple of 4 */
    f32(&file, 7);
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), -1);
    assert_non_null(strstr(x.err, "impossible length"));
    close_rd(&x);
}

static void test_pcapng_option_loop_stops_on_a_length_past_the_block(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    blk b = {0};
    f16(&b, 1);
    f16(&b, 0);
    f32(&b, 0);
    f16(&b, 2);   /* if_name */
    f16(&b, 900); /* longer than the block */
    f32(&b, 0x41414141);
    block(&file, 1, b.d, b.n);
    epb(&file, 0, 0, 4, 4);
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_string_equal(wp_pcapng_iface(x.r, 0)->name, "");
    close_rd(&x);
}

static void test_pcapng_seek_back_into_earlier_section_restores_its_interfaces(void **state)
{
    (void)state;
    blk file = {0};
    shb(&file);
    idb(&file, 1, -1);
    epb(&file, 0, 0, 4, 4);
    file.big = 1;
    shb(&file);
    idb(&file, 113, -1);
    epb(&file, 0, 0, 8, 8);
    rd x;
    open_rd(&x, &file);
    wp_frame f;
    int64_t p1, p2;
    assert_int_equal(wp_pcapng_next(x.r, &f, &p1, x.err, sizeof x.err), 1);
    assert_int_equal(wp_pcapng_next(x.r, &f, &p2, x.err, sizeof x.err), 1);
    assert_int_equal(f.linktype, 113);
    assert_int_equal(wp_pcapng_seek(x.r, p1), 0);
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.linktype, 1);
    assert_int_equal(f.caplen, 4);
    assert_int_equal(wp_pcapng_seek(x.r, p2), 0);
    assert_int_equal(wp_pcapng_next(x.r, &f, NULL, x.err, sizeof x.err), 1);
    assert_int_equal(f.linktype, 113);
    close_rd(&x);
}

static void test_pcapng_writer_round_trip_keeps_link_types_and_nanoseconds(void **state)
{
    (void)state;
    char path[] = "/tmp/wp_test_pcapng.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[WP_ERRBUF];
    wp_dumper *d = wp_dumper_open_as(path, WP_DUMP_PCAPNG, 1, 0, "lo", err, sizeof err);
    assert_non_null(d);
    uint8_t a[60] = {0}, b[21] = {0x45};
    wp_frame f1 = {.ts_sec = 1700000000, .ts_nsec = 123456789, .caplen = 60, .len = 60,
                   .linktype = 1, .data = a};
    wp_frame f2 = {.ts_sec = 1700000001, .ts_nsec = 1, .caplen = 21, .len = 1500,
                   .linktype = 101, .data = b};
    assert_int_equal(wp_dumper_write(d, &f1, err, sizeof err), 0);
    assert_int_equal(wp_dumper_write(d, &f2, err, sizeof err), 0);
    assert_int_equal(wp_dumper_close(d, err, sizeof err), 0);
    wp_capture *c = wp_capture_open_file(path, err, sizeof err);
    assert_non_null(c);
    wp_frame g;
    assert_int_equal(wp_capture_next(c, &g, err, sizeof err), 1);
    assert_int_equal(g.linktype, 1);
    assert_int_equal(g.ts_nsec, 123456789);
    assert_int_equal(wp_capture_next(c, &g, err, sizeof err), 1);
    assert_int_equal(g.linktype, 101);
    assert_int_equal(g.ts_sec, 1700000001);
    assert_int_equal(g.ts_nsec, 1);
    assert_int_equal(g.caplen, 21);
    assert_int_equal(g.len, 1500);
    assert_memory_equal(g.data, b, 21);
    assert_int_equal(wp_capture_next(c, &g, err, sizeof err), 0);
    wp_capture_close(c);
    unlink(path);
}

static void test_pcap_writer_refuses_a_second_link_type(void **state)
{
    (void)state;
    char path[] = "/tmp/wp_test_pcapng.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[WP_ERRBUF];
    wp_dumper *d = wp_dumper_open_as(path, WP_DUMP_PCAP, 1, 0, NULL, err, sizeof err);
    assert_non_null(d);
    uint8_t b[20] = {0x45};
    wp_frame f = {.caplen = 20, .len = 20, .linktype = 101, .data = b};
    assert_int_equal(wp_dumper_write(d, &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "write pcapng"));
    wp_dumper_close(d, err, sizeof err);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pcapng_big_endian_section_after_little_endian_is_read),
        cmocka_unit_test(test_pcapng_tsresol_binary_and_decimal_give_nanoseconds),
        cmocka_unit_test(test_pcapng_caplen_over_len_is_handed_out_unclamped),
        cmocka_unit_test(test_pcapng_packet_on_undescribed_interface_is_an_error),
        cmocka_unit_test(test_pcapng_block_cut_short_says_where),
        cmocka_unit_test(test_pcapng_caplen_beyond_block_is_damage),
        cmocka_unit_test(test_pcapng_impossible_block_length_is_damage),
        cmocka_unit_test(test_pcapng_option_loop_stops_on_a_length_past_the_block),
        cmocka_unit_test(test_pcapng_seek_back_into_earlier_section_restores_its_interfaces),
        cmocka_unit_test(test_pcapng_writer_round_trip_keeps_link_types_and_nanoseconds),
        cmocka_unit_test(test_pcap_writer_refuses_a_second_link_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
