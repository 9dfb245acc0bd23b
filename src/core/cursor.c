#include "wirepeel/cursor.h"

#include <string.h>

uint32_t wp_cursor_be24(wp_cursor *c)
{
    if (!wp_cursor_have(c, 3))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 3;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[2];
}

uint64_t wp_cursor_be64(wp_cursor *c)
{
    if (!wp_cursor_have(c, 8))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 8;
    return (uint64_t)wp_get_be32(p) << 32 | wp_get_be32(p + 4);
}

uint16_t wp_cursor_le16(wp_cursor *c)
{
    if (!wp_cursor_have(c, 2))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 2;
    return (uint16_t)((unsigned)p[1] << 8 | (unsigned)p[0]);
}

uint32_t wp_cursor_le32(wp_cursor *c)
{
    if (!wp_cursor_have(c, 4))
        return 0;
    const uint8_t *p = c->buf + c->off;
    c->off += 4;
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[0];
}

