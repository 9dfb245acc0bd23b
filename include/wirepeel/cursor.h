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
#include <string.h>

typedef struct wp_cursor {
    const uint8_t *buf; /* first byte of the region */
    size_t len;         /* bytes in the region */
    size_t off;         /* next byte to read */
    int err;            /* sticky: set by the first read that ran short */
} wp_cursor;

/* The hot readers are inline (every decoder calls them per field); the
 * rest live in src/core/cursor.c. */

/* Start a cursor over buf[0..len). buf may be NULL only when len is 0. */
static inline void wp_cursor_init(wp_cursor *c, const uint8_t *buf, size_t len)
{
    c->buf = buf;
    c->len = buf ? len : 0;
    c->off = 0;
    c->err = 0;
}

/* Bytes left after the read position (0 once past the end). */
static inline size_t wp_cursor_remaining(const wp_cursor *c)
{
    return c->off < c->len ? c->len - c->off : 0;
}

/* Whether n more bytes can be read; sets c->err when not. The one bounds
 * check every reader goes through, written as n > len - off so that it
 * cannot overflow whatever n is. */
static inline int wp_cursor_have(wp_cursor *c, size_t n)
{
    if (c->off > c->len || n > c->len - c->off) {
        c->err = 1;
        return 0;
    }
    return 1;
}

/* Pure helpers over a buffer known to hold enough bytes (the caller checked). */
static inline uint16_t wp_get_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}

static inline uint32_t wp_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Each reader returns the value in host order and advances; on a short read
 * it returns 0, does not advance, and sets c->err. */
static inline uint8_t wp_cursor_u8(wp_cursor *c)
{
    if (!wp_cursor_have(c, 1))
        return 0;
    return c->buf[c->off++];
}

static inline uint16_t wp_cursor_be16(wp_cursor *c)
{
    if (!wp_cursor_have(c, 2))
        return 0;
    uint16_t v = wp_get_be16(c->buf + c->off);
    c->off += 2;
    return v;
}

static inline uint32_t wp_cursor_be32(wp_cursor *c)
{
    if (!wp_cursor_have(c, 4))
        return 0;
    uint32_t v = wp_get_be32(c->buf + c->off);
    c->off += 4;
    return v;
}

uint32_t wp_cursor_be24(wp_cursor *c);
uint64_t wp_cursor_be64(wp_cursor *c);
uint16_t wp_cursor_le16(wp_cursor *c);
uint32_t wp_cursor_le32(wp_cursor *c);

/* Copy n bytes into out (which holds at least n). On a short read out is
 * zero-filled, the cursor does not move, c->err is set and -1 returned. */
static inline int wp_cursor_bytes(wp_cursor *c, uint8_t *out, size_t n)
{
    if (!wp_cursor_have(c, n)) {
        memset(out, 0, n);
        return -1;
    }
    if (n)
        memcpy(out, c->buf + c->off, n);
    c->off += n;
    return 0;
}

/* Advance n bytes without reading them; -1 and c->err set if fewer remain. */
static inline int wp_cursor_skip(wp_cursor *c, size_t n)
{
    if (!wp_cursor_have(c, n))
        return -1;
    c->off += n;
    return 0;
}

#endif
