/* Internal: the pointer writers of the JSON renderer (json.c and the JSON
 * values in value.c). A writer puts text at a char pointer into room its
 * caller made sure of with wp_jp_room, with the bound worked out where it is
 * called, and returns the end. (Candidates for render_int.h, next to the
 * sink writers, once the renderers' fast paths are merged.) */
#ifndef WP_JSON_PUT_H
#define WP_JSON_PUT_H

#include <stdint.h>
#include <string.h>

#include "render_int.h"

/* Whether the sink's buffer has more than n free bytes at its end (one more
 * than n for the NUL the inline writers keep room for); an fd sink flushes
 * what it holds to make them. */
static inline int wp_jp_room(wp_sink *s, size_t n)
{
    if (s->cap > s->len && s->cap - s->len > n)
        return 1;
    if (s->fd < 0 || s->err)
        return 0;
    /* The bytes and their order do not change: wp_sink_write would flush
     * here as well once the next write no longer fits. */
    wp_sink_flush(s);
    return s->cap > n;
}

/* v (at least 1000000) in decimal at o: 7 to 10 digits, two at a time in
 * 32-bit arithmetic (sequence numbers and timestamps are most of them). */
static inline char *wp_jp_u32_long(char *o, uint32_t v)
{
    unsigned n = v >= 1000000000u ? 10 : v >= 100000000u ? 9 : v >= 10000000u ? 8 : 7;
    char *e = o + n, *q = e;
    while (v >= 100) {
        unsigned d = v % 100;
        v /= 100;
        q -= 2;
        memcpy(q, wp_digits2 + 2 * d, 2);
    }
    if (v >= 10)
        memcpy(q - 2, wp_digits2 + 2 * v, 2);
    else
        q[-1] = (char)('0' + v);
    return e;
}

/* v in decimal at o (at most 20 bytes, and a NUL after them for the
 * longest); returns the end. */
static inline __attribute__((always_inline)) char *wp_jp_u64(char *o, uint64_t v)
{
    if (v < 1000)
        return o + wp_put_u999(o, (unsigned)v);
    if (v < 1000000) {
        unsigned hi = (unsigned)v / 1000, lo = (unsigned)v % 1000;
        o += wp_put_u999(o, hi);
        o[0] = (char)('0' + lo / 100);
        memcpy(o + 1, wp_digits2 + 2 * (lo % 100), 2);
        return o + 3;
    }
    if (v <= UINT32_MAX)
        return wp_jp_u32_long(o, (uint32_t)v);
    return o + wp_fmt_u64(v, o);
}

/* n bytes of a constant at o; returns the end. */
static inline char *wp_jp_put(char *o, const char *k, size_t n)
{
    memcpy(o, k, n);
    return o + n;
}

/* A name from the tables (a proto, checksum status, link type or option
 * name) at o, at most max bytes of it: the end, or NULL when the name is
 * longer (the caller then takes its slow path). Byte by byte: the names
 * are a few bytes, shorter than a call to strlen and memcpy. */
static inline char *wp_jp_name(char *o, const char *name, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        char ch = name[i];
        if (!ch)
            return o + i;
        o[i] = ch;
    }
    return name[max] ? NULL : o + max;
}

/* Byte b as two lowercase hex digits at o. */
static inline void wp_jp_hex2(char *o, unsigned b)
{
    o[0] = wp_hexdig[b >> 4];
    o[1] = wp_hexdig[b & 0xf];
}

/* A MAC address as wp_fmt_mac writes it (17 bytes, no NUL) at o; spelled
 * out, as the compiler keeps a loop here a loop. */
static inline char *wp_jp_mac(char *o, const uint8_t a[6])
{
    wp_jp_hex2(o, a[0]);
    o[2] = ':';
    wp_jp_hex2(o + 3, a[1]);
    o[5] = ':';
    wp_jp_hex2(o + 6, a[2]);
    o[8] = ':';
    wp_jp_hex2(o + 9, a[3]);
    o[11] = ':';
    wp_jp_hex2(o + 12, a[4]);
    o[14] = ':';
    wp_jp_hex2(o + 15, a[5]);
    return o + 17;
}

/* An IPv4 address as wp_fmt_ipv4 writes it (at most 15 bytes, no NUL). */
static inline char *wp_jp_ipv4(char *o, const uint8_t a[4])
{
    o += wp_put_u999(o, a[0]);
    *o++ = '.';
    o += wp_put_u999(o, a[1]);
    *o++ = '.';
    o += wp_put_u999(o, a[2]);
    *o++ = '.';
    return o + wp_put_u999(o, a[3]);
}

#endif
