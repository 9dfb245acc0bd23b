/* wp_csum_add: the word-at-a-time sum must fold to the same value as the
 * plain RFC 1071 sum of big-endian 16-bit words, for every length, every
 * alignment, every initial sum, and the all-zero / all-0xff edge cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "wirepeel/checksum.h"

/* The definition: big-endian words, an odd last byte padded with zero. */
static uint16_t ref_fold(uint32_t init, const uint8_t *p, size_t len)
{
    uint64_t s = init;
    size_t i = 0;
    for (; i + 1 < len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < len)
        s += (uint32_t)p[i] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void test_checksum_equals_word_sum_random_data(void **state)
{
    (void)state;
    static uint8_t b[4096 + 8];
    uint64_t x = 88172645463325252ULL;
    for (int t = 0; t < 20000; t++) {
        size_t len = t < 2000 ? (size_t)t % 1600 : next(&x) % 4096;
        size_t off = next(&x) % 8;
        for (size_t i = 0; i < len; i++)
            b[off + i] = (uint8_t)next(&x);
        uint32_t init = t % 3 == 0 ? 0 : t % 3 == 1 ? 0xffffffffu : (uint32_t)next(&x);
        assert_int_equal(wp_csum_fold(wp_csum_add(init, b + off, len)),
                         ref_fold(init, b + off, len));
    }
}

/* Every length 0..2000 at every alignment 0..15, random bytes and a random
 * start sum: the fold must equal the byte-pair reference (this walks every
 * path: the 64-byte blocks, the 32/16/8 steps and each 0..7-byte tail). */
static void test_checksum_every_length_every_alignment(void **state)
{
    (void)state;
    static uint8_t b[2000 + 16];
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)next(&x);
    for (size_t len = 0; len <= 2000; len++) {
        for (size_t off = 0; off < 16; off++) {
            uint32_t init = (len + off) % 4 == 0 ? 0 : (uint32_t)next(&x);
            uint16_t want = ref_fold(init, b + off, len);
            if (wp_csum_fold(wp_csum_add(init, b + off, len)) != want)
                fail_msg("len %zu off %zu init %08x: got %04x want %04x", len, off,
                         (unsigned)init, wp_csum_fold(wp_csum_add(init, b + off, len)), want);
        }
        /* re-randomise a stretch so no two lengths see the same bytes */
        for (size_t i = 0; i < 64; i++)
            b[next(&x) % sizeof b] = (uint8_t)next(&x);
    }
}

/* Sums whose 64-bit word sum wraps many times (all 0xff, 0xff..fe words)
 * must still fold to 0xffff, not 0: the end-around carry is never lost. */
static void test_checksum_carry_heavy_data_never_folds_to_zero(void **state)
{
    (void)state;
    static uint8_t f[2048];
    for (size_t i = 0; i < sizeof f; i++)
        f[i] = (i % 8 == 0) ? 0xfe : 0xff;
    for (size_t len = 1; len <= sizeof f; len++) {
        for (uint32_t init = 0; init < 3; init++) {
            uint32_t s = wp_csum_add(init ? 0xffffffffu - init : 0, f, len);
            assert_int_equal(wp_csum_fold(s), ref_fold(init ? 0xffffffffu - init : 0, f, len));
            assert_int_not_equal(s, 0);
        }
    }
}

static void test_checksum_all_zero_and_all_ones(void **state)
{
    (void)state;
    static uint8_t z[1500], f[1500];
    for (size_t i = 0; i < sizeof f; i++)
        f[i] = 0xff;
    for (size_t len = 0; len <= sizeof z; len++) {
        /* zero data and zero start: 0, never 0xffff */
        assert_int_equal(wp_csum_fold(wp_csum_add(0, z, len)), 0);
        assert_int_equal(wp_csum_fold(wp_csum_add(0, f, len)), ref_fold(0, f, len));
    }
    assert_int_equal(wp_csum_fold(wp_csum_add(0, f, 64)), 0xffff);
}

static void test_checksum_known_tcp_segment(void **state)
{
    (void)state;
    /* the well-known IPv4 header example (checksum field zeroed): a sender
     * writes 0xb861 */
    const uint8_t ip[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                            0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    assert_int_equal(wp_csum_finish(wp_csum_add(0, ip, sizeof ip)), 0xb861);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum_equals_word_sum_random_data),
        cmocka_unit_test(test_checksum_every_length_every_alignment),
        cmocka_unit_test(test_checksum_carry_heavy_data_never_folds_to_zero),
        cmocka_unit_test(test_checksum_all_zero_and_all_ones),
        cmocka_unit_test(test_checksum_known_tcp_segment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
