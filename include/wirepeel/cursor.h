/* wirepeel — bounds-checked big-endian reads over packet bytes.
 *
 * A cursor walks a byte buffer. Every read checks that the bytes exist
 * first; a short read returns 0, leaves the offset where it was and sets a
 * sticky error, so a decoder can read a whole header and test once. Values
 * are assembled with shifts: no struct is ever cast onto packet memory and
 * nothing depends on the host's byte order or alignment. */
#ifndef WIREPEEL_CURSOR_H
#define WIREPEEL_CURSOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct wp_cursor {
    const uint8_t *buf; /* first byte of the region */
    size_t len;         /* bytes in the region */
    size_t off;         /* next byte to read */
    int err;            /* sticky: set by the first read that ran short */
} wp_cursor;

/* Start a cursor over buf[0..len). buf may be NULL only when len is 0. */
void wp_cursor_init(wp_cursor *c, const uint8_t *buf, size_t len);

/* Bytes left after the read position (0 once past the end). */
size_t wp_cursor_remaining(const wp_cursor *c);

/* Each reader returns the value in host order and advances; on a short read
 * it returns 0, does not advance, and sets c->err. */
uint8_t wp_cursor_u8(wp_cursor *c);
uint16_t wp_cursor_be16(wp_cursor *c);
uint32_t wp_cursor_be24(wp_cursor *c);
uint32_t wp_cursor_be32(wp_cursor *c);
uint64_t wp_cursor_be64(wp_cursor *c);
uint16_t wp_cursor_le16(wp_cursor *c);
uint32_t wp_cursor_le32(wp_cursor *c);

/* Copy n bytes into out (which holds at least n). On a short read out is
 * zero-filled, the cursor does not move, c->err is set and -1 returned. */
int wp_cursor_bytes(wp_cursor *c, uint8_t *out, size_t n);

/* Advance n bytes without reading them; -1 and c->err set if fewer remain. */
int wp_cursor_skip(wp_cursor *c, size_t n);

/* Pure helpers over a buffer known to hold enough bytes (the caller checked). */
uint16_t wp_get_be16(const uint8_t *p);
uint32_t wp_get_be32(const uint8_t *p);

#endif
