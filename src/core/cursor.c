#include "wirepeel/cursor.h"

#include <string.h>

void wp_cursor_init(wp_cursor *c, const uint8_t *buf, size_t len)
{
    c->buf = buf;
    c->len = buf ? len : 0;
    c->off = 0;
    c->err = 0;
}

size_t wp_cursor_remaining(const wp_cursor *c)
{
    return c->off < c->len ? c->len - c->off : 0;
}

/* The one bounds check every reader goes through; written as n > len - off so
 * that it cannot overflow whatever n is. */
static int have(wp_cursor *c, size_t n)
{
    if (c->off > c->len || n > c->len - c->off) {
        c->err = 1;
        return 0;
    }
    return 1;
}

uint8_t wp_cursor_u8(wp_cursor *c)
{
    if (!have(c, 1))
        return 0;
    return c->buf[c->off++];
}

uint16_t wp_get_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | (unsigned)p[1]);
}

uint32_t wp_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

uint16_t wp_cursor_be16(wp_cursor *c)
{
    if (!have(c, 2))
        return 0;
    uint16_t v = wp_get_be16(c->buf + c->off);
    c->off += 2;
    return v;
}

uint32_t wp_cursor_be24(wp_cursor *c)
{
    if (!have(c, 3))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 3;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[2];
}

uint32_t wp_cursor_be32(wp_cursor *c)
{
    if (!have(c, 4))
        return 0;
    uint32_t v = wp_get_be32(c->buf + c->off);
    c->off += 4;
    return v;
}

uint64_t wp_cursor_be64(wp_cursor *c)
{
    if (!have(c, 8))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 8;
    return (uint64_t)wp_get_be32(p) << 32 | wp_get_be32(p + 4);
}

uint16_t wp_cursor_le16(wp_cursor *c)
{
    if (!have(c, 2))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 2;
    return (uint16_t)((unsigned)p[1] << 8 | (unsigned)p[0]);
}

uint32_t wp_cursor_le32(wp_cursor *c)
{
    if (!have(c, 4))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 4;
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

int wp_cursor_bytes(wp_cursor *c, uint8_t *out, size_t n)
{
    if (!have(c, n)) {
        memset(out, 0, n);
        return -1;
    }
    if (n)
        memcpy(out, c->buf + c->off, n);
    c->off += n;
    return 0;
}

int wp_cursor_skip(wp_cursor *c, size_t n)
{
    if (!have(c, n))
        return -1;
    c->off += n;
    return 0;
}
