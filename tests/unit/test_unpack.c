#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wirepeel/unpack.h"

/* Unpack and render in one go; returns the wp_unpack status. */
static int unpack_repr(const char *fmt, const uint8_t *d, size_t n, char *out, size_t outlen)
{
    wp_uvalue v[64];
    size_t nv = 99;
    char err[256];
    int rc = wp_unpack(fmt, d, n, v, 64, &nv, err, sizeof err);
    if (rc != WP_UNPACK_OK) {
        snprintf(out, outlen, "%s", err);
        assert_int_equal(nv, 0);
        return rc;
    }
    wp_unpack_repr(v, nv, d, out, outlen);
    return rc;
}

static void test_unpack_ipv4_header_like_the_course(void **state)
{
    (void)state;
    const uint8_t h[20] = {0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, 0x40, 0x01,
                           0xab, 0xcd, 0x7f, 0x00, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x02};
    wp_uvalue v[16];
    size_t n = 0;
    char err[128] = "";
    assert_int_equal(wp_unpack("!BBHHHBBH4s4s", h, sizeof h, v, 16, &n, err, sizeof err),
                     WP_UNPACK_OK);
    assert_int_equal(n, 10);
    assert_int_equal(v[0].kind, WP_UV_UINT);
    assert_int_equal(v[0].v.u, 0x45);
    assert_int_equal(v[2].v.u, 84);
    assert_int_equal(v[3].v.u, 0x1234);
    assert_int_equal(v[4].v.u, 0x4000);
    assert_int_equal(v[5].v.u, 64);
    assert_int_equal(v[6].v.u, 1);
    assert_int_equal(v[7].v.u, 0xabcd);
    assert_int_equal(v[8].kind, WP_UV_BYTES);
    assert_int_equal(v[8].v.bytes.off, 12);
    assert_int_equal(v[8].v.bytes.len, 4);
    assert_int_equal(v[9].v.bytes.off, 16);
    char out[256];
    wp_unpack_repr(v, n, h, out, sizeof out);
    assert_string_equal(out, "(69, 0, 84, 4660, 16384, 64, 1, 43981, b'\\x7f\\x00\\x00\\x01', "
                             "b'\\xc0\\x00\\x02\\x02')");
}

static void test_unpack_repr_tuple_shapes(void **state)
{
    (void)state;
    char out[128];
    const uint8_t d[] = {0x45, 0x00, 0x00, 0x54};
    assert_int_equal(unpack_repr("!BBH", d, 4, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(69, 0, 84)");
    assert_int_equal(unpack_repr("!B", d, 1, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(69,)");
    assert_int_equal(unpack_repr("", d, 0, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "()");
    assert_int_equal(unpack_repr("!", NULL, 0, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "()");
    assert_int_equal(unpack_repr("!4x", d, 4, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "()");
}

static void test_unpack_byte_orders_and_signs(void **state)
{
    (void)state;
    char out[256];
    const uint8_t d[8] = {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
    assert_int_equal(unpack_repr("!q", d, 8, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(-9223372036854775807,)");
    assert_int_equal(unpack_repr("<q", d, 8, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(72057594037928064,)");
    assert_int_equal(unpack_repr(">Q", d, 8, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(9223372036854775809,)");
    const uint8_t ff[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(unpack_repr("<Q", ff, 8, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(18446744073709551615,)");
    assert_int_equal(unpack_repr("!bBhHiI", (const uint8_t *)"\xff\xff\xff\xff\xff\xff"
                                            "\xff\xff\xff\xff\xff\xff\xff\xff",
                                 14, out, sizeof out),
                     WP_UNPACK_OK);
    assert_string_equal(out, "(-1, 255, -1, 65535, -1, 4294967295)");
    const uint8_t le[4] = {0x01, 0x02, 0x03, 0x04};
    assert_int_equal(unpack_repr("<I", le, 4, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(67305985,)");
    assert_int_equal(unpack_repr(">I", le, 4, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(16909060,)");
    assert_int_equal(unpack_repr("!2h", (const uint8_t *)"\x80\x00\x7f\xff", 4, out, sizeof out),
                     WP_UNPACK_OK);
    assert_string_equal(out, "(-32768, 32767)");
    /* = is the host's order: x86 and most hosts are little-endian */
    const uint16_t one = 1;
    uint8_t host[2];
    memcpy(host, &one, 2);
    assert_int_equal(unpack_repr("=H", host, 2, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(1,)");
}

static void test_unpack_repeat_counts(void **state)
{
    (void)state;
    char out[256];
    const uint8_t d[] = {1, 2, 3, 0, 0, 'a', 'b', 'c', 'd'};
    assert_int_equal(unpack_repr("3B2x4s", d, 9, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(1, 2, 3, b'abcd')");
    assert_int_equal(unpack_repr("0s3B0B2x0x4s0s", d, 9, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(b'', 1, 2, 3, b'abcd', b'')");
    assert_int_equal(unpack_repr("! 3B 2x 4s", d, 9, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(1, 2, 3, b'abcd')");
    assert_int_equal(unpack_repr("!s", d, 1, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(b'\\x01',)");
    size_t size = 0, nv = 0;
    assert_int_equal(wp_unpack_calcsize("!10s3H2xQ", &size, &nv, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 10 + 6 + 2 + 8);
    assert_int_equal(nv, 1 + 3 + 1);
}

static void test_unpack_bool_any_nonzero_is_true(void **state)
{
    (void)state;
    char out[128];
    const uint8_t d[] = {0, 1, 2, 0x80, 0xff};
    assert_int_equal(unpack_repr("!5?", d, 5, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(False, True, True, True, True)");
    wp_uvalue v[1];
    size_t n;
    assert_int_equal(wp_unpack("?", d + 2, 1, v, 1, &n, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(v[0].kind, WP_UV_BOOL);
    assert_int_equal(v[0].v.b, 1);
}

static void test_unpack_native_mode_aligns_like_c(void **state)
{
    (void)state;
    size_t size;
    assert_int_equal(wp_unpack_calcsize("BH", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 4);
    assert_int_equal(wp_unpack_calcsize("@BI", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 8);
    assert_int_equal(wp_unpack_calcsize("@BQ", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 16);
    assert_int_equal(wp_unpack_calcsize("@HB", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 3);   /* no trailing padding, as in Python */
    assert_int_equal(wp_unpack_calcsize("@B0I", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 4);   /* a zero count still aligns */
    assert_int_equal(wp_unpack_calcsize("@B3s", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 4);   /* bytes need no alignment */
    assert_int_equal(wp_unpack_calcsize("=BQ", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 9);
    assert_int_equal(wp_unpack_calcsize("!BQ", &size, NULL, NULL, 0), WP_UNPACK_OK);
    assert_int_equal(size, 9);
    const uint16_t one = 1;
    uint8_t d[4] = {7, 0xee, 0, 0};
    memcpy(d + 2, &one, 2);
    char out[64];
    assert_int_equal(unpack_repr("BH", d, 4, out, sizeof out), WP_UNPACK_OK);
    assert_string_equal(out, "(7, 1)");
}

static void test_unpack_bytes_repr_follows_python(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(wp_unpack_bytes_repr((const uint8_t *)"\x7f\x00\x00\x01", 4, out, sizeof out),
                     strlen("b'\\x7f\\x00\\x00\\x01'"));
    assert_string_equal(out, "b'\\x7f\\x00\\x00\\x01'");
    wp_unpack_bytes_repr((const uint8_t *)"it's", 4, out, sizeof out);
    assert_string_equal(out, "b\"it's\"");
    wp_unpack_bytes_repr((const uint8_t *)"'\"", 2, out, sizeof out);
    assert_string_equal(out, "b'\\'\"'");
    wp_unpack_bytes_repr((const uint8_t *)"say \"hi\"", 8, out, sizeof out);
    assert_string_equal(out, "b'say \"hi\"'");
    wp_unpack_bytes_repr((const uint8_t *)"a\\b\t\n\r\x0b\x1f ~\x7f\x80\xff", 13, out, sizeof out);
    assert_string_equal(out, "b'a\\\\b\\t\\n\\r\\x0b\\x1f ~\\x7f\\x80\\xff'");
    wp_unpack_bytes_repr(NULL, 0, out, sizeof out);
    assert_string_equal(out, "b''");
}

static void test_unpack_repr_truncates_safely_and_reports_full_length(void **state)
{
    (void)state;
    const uint8_t d[] = {0x45, 0x00, 0x00, 0x54};
    wp_uvalue v[4];
    size_t n;
    assert_int_equal(wp_unpack("!BBH", d, 4, v, 4, &n, NULL, 0), WP_UNPACK_OK);
    char small[6];
    memset(small, 'X', sizeof small);
    assert_int_equal(wp_unpack_repr(v, n, d, small, sizeof small), strlen("(69, 0, 84)"));
    assert_string_equal(small, "(69, ");
    assert_int_equal(wp_unpack_repr(v, n, d, NULL, 0), 11);
}

static void test_unpack_wrong_size_names_the_expected_size(void **state)
{
    (void)state;
    const uint8_t d[8] = {0};
    wp_uvalue v[8];
    size_t n = 5;
    char err[256];
    assert_int_equal(wp_unpack("!BBH", d, 3, v, 8, &n, err, sizeof err), WP_UNPACK_ESIZE);
    assert_int_equal(n, 0);
    assert_string_equal(err, "format '!BBH' unpacks exactly 4 bytes, but 3 were given");
    assert_int_equal(wp_unpack("!B", d, 2, v, 8, &n, err, sizeof err), WP_UNPACK_ESIZE);
    assert_string_equal(err, "format '!B' unpacks exactly 1 byte, but 2 were given");
    assert_int_equal(wp_unpack("", d, 1, v, 8, &n, err, sizeof err), WP_UNPACK_ESIZE);
    assert_string_equal(err, "format '' unpacks exactly 0 bytes, but 1 was given");
}

static void test_unpack_bad_format_is_an_error(void **state)
{
    (void)state;
    char err[256];
    size_t size = 7, nv = 7;
    assert_int_equal(wp_unpack_calcsize("!BZ", &size, &nv, err, sizeof err), WP_UNPACK_EFORMAT);
    assert_int_equal(size, 0);
    assert_int_equal(nv, 0);
    assert_non_null(strstr(err, "'Z' at position 2 is not a format code"));
    assert_int_equal(wp_unpack_calcsize("B!", NULL, NULL, err, sizeof err), WP_UNPACK_EFORMAT);
    assert_non_null(strstr(err, "byte-order prefix may only be the first"));
    assert_int_equal(wp_unpack_calcsize("!4", NULL, NULL, err, sizeof err), WP_UNPACK_EFORMAT);
    assert_string_equal(err, "bad format: repeat count 4 at the end of the format has no code after it");
    assert_int_equal(wp_unpack_calcsize("4 B", NULL, NULL, err, sizeof err), WP_UNPACK_EFORMAT);
    assert_non_null(strstr(err, "' ' at position 1"));
    /* n N P are native-only, as in Python */
    assert_int_equal(wp_unpack_calcsize("!n", NULL, NULL, err, sizeof err), WP_UNPACK_EFORMAT);
    assert_non_null(strstr(err, "only in native mode"));
    assert_int_equal(wp_unpack_calcsize("\x01", NULL, NULL, err, sizeof err), WP_UNPACK_EFORMAT);
    assert_non_null(strstr(err, "byte 0x01 at position 0"));
    assert_int_equal(wp_unpack_calcsize(NULL, NULL, NULL, err, sizeof err), WP_UNPACK_EFORMAT);
    /* a bad format is reported before the size is compared */
    wp_uvalue v[2];
    size_t n;
    assert_int_equal(wp_unpack("!H?Z", (const uint8_t *)"ab", 2, v, 2, &n, err, sizeof err),
                     WP_UNPACK_EFORMAT);
}

static void test_unpack_huge_counts_cannot_overflow(void **state)
{
    (void)state;
    char err[256];
    size_t size;
    assert_int_equal(wp_unpack_calcsize("99999999999999999999B", &size, NULL, err, sizeof err),
                     WP_UNPACK_EFORMAT);
    assert_int_equal(wp_unpack_calcsize("4611686018427387903Q", &size, NULL, err, sizeof err),
                     WP_UNPACK_EFORMAT);
    assert_string_equal(err, "bad format: the total size is too large");
    assert_int_equal(wp_unpack_calcsize("1000000000000Q", &size, NULL, err, sizeof err),
                     WP_UNPACK_OK);
    assert_true(size == 8000000000000ull);
    wp_uvalue v[1];
    size_t n;
    assert_int_equal(wp_unpack("1000000000000Q", (const uint8_t *)"", 0, v, 1, &n, err, sizeof err),
                     WP_UNPACK_ESIZE);
    assert_non_null(strstr(err, "exactly 8000000000000 bytes"));
}

static void test_unpack_too_many_values_for_the_array(void **state)
{
    (void)state;
    const uint8_t d[4] = {1, 2, 3, 4};
    wp_uvalue v[2];
    size_t n = 9;
    char err[128];
    assert_int_equal(wp_unpack("4B", d, 4, v, 2, &n, err, sizeof err), WP_UNPACK_ENOSPACE);
    assert_int_equal(n, 0);
    assert_int_equal(wp_unpack("4s", d, 4, v, 1, &n, err, sizeof err), WP_UNPACK_OK);
    assert_int_equal(n, 1);
}

static void test_unpack_float_codes_repr_as_python(void **state)
{
    (void)state;
    static const uint8_t d[] = {0x3c, 0x00, 0x3d, 0xcc, 0xcc, 0xcd, 0x3e, 0xe4, 0xf8, 0xb5,
                                0x88, 0xe3, 0x68, 0xf1};
    wp_uvalue v[4];
    size_t n;
    char err[256], out[128];
    assert_int_equal(wp_unpack("!efd", d, sizeof d, v, 4, &n, err, sizeof err), WP_UNPACK_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].kind, WP_UV_FLOAT);
    wp_unpack_repr(v, n, d, out, sizeof out);
    assert_string_equal(out, "(1.0, 0.10000000149011612, 1e-05)");
}

static void test_unpack_native_long_is_eight_bytes_aligned(void **state)
{
    (void)state;
    size_t size = 0, nv = 0;
    char err[256];
    assert_int_equal(wp_unpack_calcsize("@bl", &size, &nv, err, sizeof err), WP_UNPACK_OK);
    assert_int_equal(size, 16);
    assert_int_equal(wp_unpack_calcsize("!bl", &size, &nv, err, sizeof err), WP_UNPACK_OK);
    assert_int_equal(size, 5);
}

static void test_unpack_pascal_string_is_cut_to_its_room(void **state)
{
    (void)state;
    static const uint8_t d[] = {0x09, 'A', 'B', 'C', 0xff};
    wp_uvalue v[2];
    size_t n;
    char err[256], out[64];
    assert_int_equal(wp_unpack("5p", d, sizeof d, v, 2, &n, err, sizeof err), WP_UNPACK_OK);
    wp_unpack_repr(v, n, d, out, sizeof out);
    assert_string_equal(out, "(b'ABC\\xff',)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unpack_float_codes_repr_as_python),
        cmocka_unit_test(test_unpack_native_long_is_eight_bytes_aligned),
        cmocka_unit_test(test_unpack_pascal_string_is_cut_to_its_room),
        cmocka_unit_test(test_unpack_ipv4_header_like_the_course),
        cmocka_unit_test(test_unpack_repr_tuple_shapes),
        cmocka_unit_test(test_unpack_byte_orders_and_signs),
        cmocka_unit_test(test_unpack_repeat_counts),
        cmocka_unit_test(test_unpack_bool_any_nonzero_is_true),
        cmocka_unit_test(test_unpack_native_mode_aligns_like_c),
        cmocka_unit_test(test_unpack_bytes_repr_follows_python),
        cmocka_unit_test(test_unpack_repr_truncates_safely_and_reports_full_length),
        cmocka_unit_test(test_unpack_wrong_size_names_the_expected_size),
        cmocka_unit_test(test_unpack_bad_format_is_an_error),
        cmocka_unit_test(test_unpack_huge_counts_cannot_overflow),
        cmocka_unit_test(test_unpack_too_many_values_for_the_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
