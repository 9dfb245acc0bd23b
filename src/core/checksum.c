#include <string.h>

#include "wirepeel/checksum.h"

/* The external definitions of the inline helpers in checksum.h. */
extern uint32_t wp_csum_add16(uint32_t sum, uint16_t w);
extern uint16_t wp_csum_fold(uint32_t sum);
extern uint16_t wp_csum_finish(uint32_t sum);

/* a + b in ones' complement over 64 bits: the carry out comes back in at
 * the bottom (it cannot overflow again: a + b - 2^64 < 2^64 - 1). */
static inline uint64_t add_c(uint64_t a, uint64_t b)
{
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r))
        r++;
    return r;
}

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8); /* no alignment assumed */
    return v;
}

/* Ones' complement sum (end-around carry) of the len bytes at p read as
 * host-order (little-endian) 64-bit words, the last partial word padded with
 * zero bytes. 0 only when every byte is 0: an end-around-carry add of two
 * numbers that are not both 0 is never 0. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__SANITIZE_ADDRESS__)
#define WP_CSUM_ADC_ASM 1
/* a plus n 64-byte blocks at p (n >= 1) in ones' complement: one
 * add-with-carry chain through all of them. The loop steps with lea and dec,
 * which leave the carry flag alone, so the end-around carry rides along the
 * chain and is added back once at the end; the second adc catches the one
 * case where that add wraps to 0 again (the pending carry is then 1).
 * Plain C cannot express the carry chain (gcc stores the sum after every
 * _addcarry_u64), hence the assembly; ASan builds use the C loop below so
 * that every read stays instrumented. */
static inline uint64_t adc_blocks64(uint64_t a, const uint8_t *p, size_t n)
{
    __asm__("clc\n\t"
            "1:\n\t"
            "adcq 0(%[p]), %[a]\n\t"
            "adcq 8(%[p]), %[a]\n\t"
            "adcq 16(%[p]), %[a]\n\t"
            "adcq 24(%[p]), %[a]\n\t"
            "adcq 32(%[p]), %[a]\n\t"
            "adcq 40(%[p]), %[a]\n\t"
            "adcq 48(%[p]), %[a]\n\t"
            "adcq 56(%[p]), %[a]\n\t"
            "leaq 64(%[p]), %[p]\n\t"
            "decq %[n]\n\t"
            "jnz 1b\n\t"
            "adcq $0, %[a]\n\t"
            "adcq $0, %[a]"
            : [a] "+r"(a), [p] "+r"(p), [n] "+r"(n)
            :
            : "cc", "memory");
    return a;
}
#endif

/* Ones' complement sum (end-around carry) of the len bytes at p read as
 * host-order (little-endian) 64-bit words, the last partial word padded with
 * zero bytes. 0 only when every byte is 0: an end-around-carry add of two
 * numbers that are not both 0 is never 0. */
static uint64_t sum_le64(const uint8_t *p, size_t len)
{
    uint64_t acc = 0;
    size_t i = 0;
#ifdef WP_CSUM_ADC_ASM
    if (len >= 64) {
        acc = adc_blocks64(0, p, len / 64);
        i = len & ~(size_t)63;
    }
#else
    {
        /* Portable: two independent chains, 32 bytes a pass. */
        uint64_t w0 = 0, w1 = 0;
        for (; i + 32 <= len; i += 32) {
            w0 = add_c(add_c(w0, load64(p + i)), load64(p + i + 8));
            w1 = add_c(add_c(w1, load64(p + i + 16)), load64(p + i + 24));
        }
        acc = add_c(w0, w1);
    }
#endif
    /* under 64 bytes left: 32, 16 and 8 at a time, no loop */
    if ((len - i) & 32) {
        acc = add_c(add_c(acc, load64(p + i)), load64(p + i + 8));
        acc = add_c(add_c(acc, load64(p + i + 16)), load64(p + i + 24));
        i += 32;
    }
    if ((len - i) & 16) {
        acc = add_c(add_c(acc, load64(p + i)), load64(p + i + 8));
        i += 16;
    }
    if ((len - i) & 8) {
        acc = add_c(acc, load64(p + i));
        i += 8;
    }
    /* 0..7 bytes left, starting at an even distance from p: each piece keeps
     * its byte parity inside the padded word (first byte of a pair low). */
    size_t r = len - i;
    if (r) {
        uint64_t t = 0;
        if (r & 4) {
            uint32_t u;
            memcpy(&u, p + i, 4);
            t = u;
            i += 4;
        }
        if (r & 2) {
            uint16_t u;
            memcpy(&u, p + i, 2);
            t |= (uint64_t)u << 32;
            i += 2;
        }
        if (r & 1)
            t |= (uint64_t)p[i] << 48;
        acc = add_c(acc, t);
    }
    return acc;
}

uint32_t wp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    /* A ones' complement sum of byte-swapped words is the byte-swapped sum
     * (RFC 1071 2.B), and reversing all 8 bytes of the 64-bit sum swaps the
     * bytes of each 16-bit word (their order does not matter: 2^16 = 1 mod
     * 0xffff). So the little-endian sum, reversed, is congruent mod 0xffff to
     * the sum of big-endian words, and 0 exactly when the data is all zero:
     * it folds to the same value as the word-by-word sum. */
    uint64_t w = __builtin_bswap64(sum_le64(p, len));
    uint64_t s = (uint64_t)sum + (w & 0xffffffffu) + (w >> 32); /* < 3 * 2^32 */
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

#else

uint32_t wp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    /* Big-endian or unknown byte order: the plain sum of big-endian words. */
    uint64_t s = sum;
    size_t i = 0;
    for (; i + 2 <= len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < len)
        s += (uint32_t)p[i] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    (void)add_c;
    return (uint32_t)s;
}

#endif
