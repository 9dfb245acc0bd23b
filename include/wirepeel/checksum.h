/* wirepeel — Internet checksums (RFC 1071). */
#ifndef WIREPEEL_CHECKSUM_H
#define WIREPEEL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes at p, read as big-endian 16-bit words (an odd last byte is
 * padded with zero), to the running 32-bit sum and return the new sum. The
 * new sum is congruent mod 0xffff to the plain word-by-word sum and is 0 only
 * when sum and every byte are 0, so wp_csum_fold() of it equals the fold of
 * the word-by-word sum (the 32-bit value itself may differ from it). */
uint32_t wp_csum_add(uint32_t sum, const uint8_t *p, size_t len);

/* The small helpers are inline (the decoders call them per packet); C11
 * inline definitions, with the external ones emitted by checksum.c. */

/* Add one 16-bit word to the running sum. */
inline uint32_t wp_csum_add16(uint32_t sum, uint16_t w)
{
    uint64_t s = (uint64_t)sum + w;
    return (uint32_t)((s & 0xffffffffu) + (s >> 32));
}

/* Fold a running sum to 16 bits (not complemented). */
inline uint16_t wp_csum_fold(uint32_t sum)
{
    /* Two rounds always suffice: the first leaves at most 0x1fffe. */
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

/* The checksum field value for data whose sum is `sum`: ~fold(sum). */
inline uint16_t wp_csum_finish(uint32_t sum)
{
    return (uint16_t)~wp_csum_fold(sum);
}

#endif
