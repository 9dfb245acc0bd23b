/* wirepeel — Internet checksums (RFC 1071). */
#ifndef WIREPEEL_CHECKSUM_H
#define WIREPEEL_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes at p, read as big-endian 16-bit words (an odd last byte is
 * padded with zero), to the running 32-bit sum and return the new sum. */
uint32_t wp_csum_add(uint32_t sum, const uint8_t *p, size_t len);

/* Add one 16-bit word to the running sum. */
uint32_t wp_csum_add16(uint32_t sum, uint16_t w);

/* Fold a running sum to 16 bits (not complemented). */
uint16_t wp_csum_fold(uint32_t sum);

/* The checksum field value for data whose sum is `sum`: ~fold(sum). */
uint16_t wp_csum_finish(uint32_t sum);

#endif
