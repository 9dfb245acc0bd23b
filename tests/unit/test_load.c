/* wp_load_file / wp_load_fixture: whole capture files in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "wirepeel/wirepeel.h"

static const char *capdir(void)
{
    const char *d = getenv("WP_CAPTURES");
    return d && *d ? d : "captures";
}

static void test_load_pcap_keeps_frames_lengths_and_times(void **state)
{
    (void)state;
    char err[256] = "";
    wp_loaded *l = wp_load_fixture(NULL, "udp-tcp-pair.pcap", err, sizeof err);
    assert_non_null(l);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->linktype, WP_LINK_EN10MB);
    assert_int_equal(l->snaplen, 262144);
    assert_int_equal(l->bytes, 54 + 74);
    assert_int_equal(l->frames[0].caplen, 54);
    assert_int_equal(l->frames[0].len, 54);
    assert_int_equal(l->frames[1].caplen, 74);
    assert_int_equal(l->frames[0].ts_sec, 1700000000);
    assert_int_equal(l->frames[0].ts_nsec, 0);
    assert_int_equal(l->frames[1].ts_nsec, 1000000);
    assert_int_equal(l->frames[1].linktype, WP_LINK_EN10MB);
    /* the bytes are the file's: MAC dst 02:00:00:00:00:02, EtherType IPv4 */
    assert_int_equal(l->frames[0].data[5], 0x02);
    assert_int_equal(wp_get_be16(l->frames[0].data + 12), 0x0800);
    wp_load_free(l);
}

static void test_load_frames_decode_in_any_order(void **state)
{
    (void)state;
    char err[256];
    wp_loaded *l = wp_load_fixture(capdir(), "tcp-handshake.pcap", err, sizeof err);
    assert_non_null(l);
    assert_int_equal(l->n, 9);
    wp_packet p;
    wp_decode(&l->frames[8], &p);
    wp_decode(&l->frames[4], &p); /* the server's ACK: B -> A */
    assert_true(p.nlayers >= 1);
    assert_int_equal(p.layers[0].proto, WP_PROTO_ETH);
    assert_int_equal(p.layers[0].h.eth.type, 0x0800);
    assert_int_equal(p.layers[0].h.eth.src[5], 0x02);
    assert_int_equal(p.layers[0].h.eth.dst[5], 0x01);
    assert_int_equal(p.caplen, 66);
    wp_decode(&l->frames[3], &p); /* the PSH-ACK with "Give me the data" */
    assert_int_equal(p.layers[0].h.eth.src[5], 0x01);
    assert_memory_equal(l->frames[3].data + 66, "Give me the data", 16);
    wp_load_free(l);
}

static void test_load_pcapng_and_nanoseconds(void **state)
{
    (void)state;
    char err[256];
    wp_loaded *l = wp_load_fixture(NULL, "udp-tcp-pair.pcapng", err, sizeof err);
    assert_non_null(l);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->frames[1].caplen, 74);
    wp_load_free(l);
    l = wp_load_fixture(NULL, "nanosecond.pcap", err, sizeof err);
    assert_non_null(l);
    assert_int_equal(l->n, 3);
    assert_int_equal(l->frames[1].ts_nsec, 123456789);
    assert_int_equal(l->frames[2].ts_nsec, 999999999);
    wp_load_free(l);
}

static void test_load_missing_file_names_it(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(wp_load_fixture("/nonexistent-dir", "x.pcap", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent-dir/x.pcap"));
    /* errlen 0: no message, still NULL */
    assert_null(wp_load_file("/nonexistent-dir/x.pcap", NULL, 0));
    assert_null(wp_load_file(NULL, err, sizeof err));
    assert_null(wp_load_fixture(NULL, NULL, err, sizeof err));
}

/* A file cut inside its last record loads nothing, and says where. */
static void test_load_cut_file_fails_whole(void **state)
{
    (void)state;
    char src[512], tmp[] = "/tmp/wp_load_cutXXXXXX", err[512] = "";
    snprintf(src, sizeof src, "%s/udp-tcp-pair.pcap", capdir());
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    uint8_t buf[4096];
    size_t n = fread(buf, 1, sizeof buf, in);
    fclose(in);
    assert_true(n > 30);
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n - 10), (ssize_t)(n - 10));
    close(fd);
    wp_loaded *l = wp_load_file(tmp, err, sizeof err);
    assert_null(l);
    assert_non_null(strstr(err, tmp));
    /* only the global header: a valid capture with no frames */
    fd = open(tmp, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, 24), 24);
    close(fd);
    l = wp_load_file(tmp, err, sizeof err);
    assert_non_null(l);
    assert_int_equal(l->n, 0);
    assert_null(l->frames);
    wp_load_free(l);
    unlink(tmp);
}

static void test_load_free_null_is_fine(void **state)
{
    (void)state;
    wp_load_free(NULL);
}

static void test_version_macros_agree(void **state)
{
    (void)state;
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", WP_VERSION_MAJOR, WP_VERSION_MINOR, WP_VERSION_PATCH);
    assert_string_equal(v, WP_VERSION);
    assert_int_equal(WP_VERSION_NUMBER, 0x000100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_pcap_keeps_frames_lengths_and_times),
        cmocka_unit_test(test_load_frames_decode_in_any_order),
        cmocka_unit_test(test_load_pcapng_and_nanoseconds),
        cmocka_unit_test(test_load_missing_file_names_it),
        cmocka_unit_test(test_load_cut_file_fails_whole),
        cmocka_unit_test(test_load_free_null_is_fine),
        cmocka_unit_test(test_version_macros_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
