#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wirepeel/checksum.h"
#include "wirepeel/cursor.h"

static void test_cursor_reads_big_endian(void **state)
{
    (void)state;
    const uint8_t b[] = {0x45, 0x00, 0x00, 0x54, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8};
    wp_cursor c;
    wp_cursor_init(&c, b, sizeof b);
    assert_int_equal(wp_cursor_u8(&c), 0x45);
    assert_int_equal(wp_cursor_u8(&c), 0x00);
    assert_int_equal(wp_cursor_be16(&c), 84);
    assert_int_equal(wp_cursor_be32(&c), 0xdeadbeefu);
    assert_true(wp_cursor_be64(&c) == 0x0102030405060708ull);
    assert_int_equal(c.err, 0);
    assert_int_equal(wp_cursor_remaining(&c), 0);
}

static void test_cursor_short_read_is_sticky_and_does_not_advance(void **state)
{
    (void)state;
    const uint8_t b[] = {0x12, 0x34, 0x56};
    wp_cursor c;
    wp_cursor_init(&c, b, sizeof b);
    assert_int_equal(wp_cursor_be16(&c), 0x1234);
    assert_int_equal(wp_cursor_be16(&c), 0);
    assert_int_equal(c.err, 1);
    assert_int_equal(c.off, 2);
    /* the error stays set even after a read that fits */
    assert_int_equal(wp_cursor_u8(&c), 0x56);
    assert_int_equal(c.err, 1);
}

static void test_cursor_huge_length_cannot_overflow_the_check(void **state)
{
    (void)state;
    const uint8_t b[4] = {1, 2, 3, 4};
    uint8_t out[4];
    wp_cursor c;
    wp_cursor_init(&c, b, sizeof b);
    wp_cursor_u8(&c);
    assert_int_equal(wp_cursor_skip(&c, SIZE_MAX), -1);
    assert_int_equal(c.off, 1);
    assert_int_equal(wp_cursor_bytes(&c, out, 4), -1);
    assert_int_equal(out[0], 0);
    assert_int_equal(wp_cursor_bytes(&c, out, 3), 0);
    assert_memory_equal(out, b + 1, 3);
}

static void test_cursor_little_endian_and_24_bit(void **state)
{
    (void)state;
    const uint8_t b[] = {0x02, 0x00, 0x00, 0x00, 0x34, 0x12, 0xab, 0xcd, 0xef};
    wp_cursor c;
    wp_cursor_init(&c, b, sizeof b);
    assert_int_equal(wp_cursor_le32(&c), 2);
    assert_int_equal(wp_cursor_le16(&c), 0x1234);
    assert_int_equal(wp_cursor_be24(&c), 0xabcdef);
}

static void test_cursor_empty_buffer(void **state)
{
    (void)state;
    wp_cursor c;
    wp_cursor_init(&c, NULL, 10);
    assert_int_equal(c.len, 0);
    assert_int_equal(wp_cursor_u8(&c), 0);
    assert_int_equal(c.err, 1);
}

static void test_checksum_rfc1071_example(void **state)
{
    (void)state;
    /* RFC 1071 section 3 example: words 0001 f203 f4f5 f6f7 sum to ddf2. */
    const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    assert_int_equal(wp_csum_fold(wp_csum_add(0, b, sizeof b)), 0xddf2);
    assert_int_equal(wp_csum_finish(wp_csum_add(0, b, sizeof b)), 0x220d);
    /* an odd byte is padded with a zero on the right */
    const uint8_t odd[] = {0x01};
    assert_int_equal(wp_csum_fold(wp_csum_add(0, odd, 1)), 0x0100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursor_reads_big_endian),
        cmocka_unit_test(test_cursor_short_read_is_sticky_and_does_not_advance),
        cmocka_unit_test(test_cursor_huge_length_cannot_overflow_the_check),
        cmocka_unit_test(test_cursor_little_endian_and_24_bit),
        cmocka_unit_test(test_cursor_empty_buffer),
        cmocka_unit_test(test_checksum_rfc1071_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
