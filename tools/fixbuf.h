/* The frame builder the fixture generators share (tools/mkfixtures.c and
 * tools/mkfix_*.c): a bounded byte buffer written in network order, and the
 * pseudo-header sums for UDP/TCP checksums. The includer defines FIX_PROG
 * (its name, for messages) and MAXPKT (the largest frame) first. */
#ifndef WIREPEEL_TOOLS_FIXBUF_H
#define WIREPEEL_TOOLS_FIXBUF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/checksum.h"

typedef struct buf {
    uint8_t d[MAXPKT];
    size_t n;
} buf;

/* A generator that cannot write its fixture stops: what failed and why. */
static inline void die(const char *what, const char *why)
{
    fprintf(stderr, "%s: %s: %s\n", FIX_PROG, what, why);
    exit(1);
}

static inline void put8(buf *b, unsigned v)
{
    if (b->n >= MAXPKT)
        die("frame builder", "frame too large");
    b->d[b->n++] = (uint8_t)v;
}

static inline void put16(buf *b, unsigned v)
{
    put8(b, (v >> 8) & 0xffu);
    put8(b, v & 0xffu);
}

static inline void put32(buf *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xffffu);
}

static inline void putmem(buf *b, const void *p, size_t n)
{
    if (n == 0)
        return; /* p may be NULL then, which memcpy does not allow */
    if (n > MAXPKT - b->n)
        die("frame builder", "frame too large");
    memcpy(b->d + b->n, p, n);
    b->n += n;
}

static inline void set16(buf *b, size_t off, unsigned v)
{
    b->d[off] = (uint8_t)(v >> 8);
    b->d[off + 1] = (uint8_t)v;
}

/* Pseudo-header sums (RFC 768/793 for IPv4, RFC 8200 section 8.1 for IPv6). */
static inline uint32_t pseudo4(const uint8_t *src, const uint8_t *dst, unsigned proto, size_t len)
{
    uint32_t s = wp_csum_add(0, src, 4);
    s = wp_csum_add(s, dst, 4);
    s = wp_csum_add16(s, (uint16_t)proto);
    return wp_csum_add16(s, (uint16_t)len);
}

static inline uint32_t pseudo6(const uint8_t *src, const uint8_t *dst, unsigned nh, size_t len)
{
    uint32_t s = wp_csum_add(0, src, 16);
    s = wp_csum_add(s, dst, 16);
    s = wp_csum_add16(s, (uint16_t)(len >> 16));
    s = wp_csum_add16(s, (uint16_t)len);
    return wp_csum_add16(s, (uint16_t)nh);
}

/* Fill in the UDP/TCP checksum at csum_off of seg (header and payload) from
 * the pseudo-header sum ps; a UDP checksum that computes to 0 is sent as
 * 0xffff (0 means "none"). */
static inline void l4_csum(buf *seg, size_t csum_off, uint32_t ps, int is_udp)
{
    set16(seg, csum_off, 0);
    uint16_t c = wp_csum_finish(wp_csum_add(ps, seg->d, seg->n));
    if (is_udp && c == 0)
        c = 0xffff;
    set16(seg, csum_off, c);
}

#endif
