#include <string.h>

#include "wirepeel/checksum.h"

/* a + b in ones' complement over 64 bits: the carry out comes back in at
 * the bottom (it cannot overflow again: a + b - 2^64 < 2^64 - 1). */
static inline uint64_t add_c(uint64_t a, uint64_t b)
{
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r))
        r++;
    return r;
}

uint32_t wp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    uint64_t s = sum;
    size_t i = 0;
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* The hot path of every TCP/UDP/ICMP check: sum 32-bit words in host
     * order (memcpy: no alignment assumed), 8 bytes a pass. A ones'
     * complement sum of byte-swapped words is the byte-swapped sum (RFC 1071
     * 2.B), so the folded 16 bits are swapped back once; the result folds to
     * the same value as the word-by-word sum. */
    if (len >= 8) {
        /* 64-bit words with end-around carry (add + adc), 32 bytes a pass in
         * two chains: about a third of the work of 32-bit words. */
        uint64_t w0 = 0, w1 = 0;
        for (; i + 32 <= len; i += 32) {
            uint64_t a, b, c, d;
            memcpy(&a, p + i, 8);
            memcpy(&b, p + i + 8, 8);
            memcpy(&c, p + i + 16, 8);
            memcpy(&d, p + i + 24, 8);
            w0 = add_c(add_c(w0, a), b);
            w1 = add_c(add_c(w1, c), d);
        }
        for (; i + 8 <= len; i += 8) {
            uint64_t a;
            memcpy(&a, p + i, 8);
            w0 = add_c(w0, a);
        }
        uint64_t w = add_c(w0, w1);
        w = (w & 0xffffffffu) + (w >> 32);
        while (w >> 16)
            w = (w & 0xffffu) + (w >> 16);
        s += (uint16_t)(w << 8 | w >> 8);
    }
#endif
    /* at most 7 bytes left (any number before the word loops above) */
    for (; i + 4 <= len; i += 4)
        s += ((uint32_t)p[i] << 8 | p[i + 1]) + ((uint32_t)p[i + 2] << 8 | p[i + 3]);
    if (i + 2 <= len) {
        s += (uint32_t)p[i] << 8 | p[i + 1];
        i += 2;
    }
    if (i < len)
        s += (uint32_t)p[i] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint32_t wp_csum_add16(uint32_t sum, uint16_t w)
{
    uint64_t s = (uint64_t)sum + w;
    return (uint32_t)((s & 0xffffffffu) + (s >> 32));
}

uint16_t wp_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t wp_csum_finish(uint32_t sum)
{
    return (uint16_t)~wp_csum_fold(sum);
}
