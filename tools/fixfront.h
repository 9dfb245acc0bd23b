/* The inside-out frame builder of the encapsulation fixture generators
 * (tools/mkfix_encap.c, tools/mkfix_tunnels.c): a packet is built payload
 * first, each header put in front of what it carries, so a header that
 * counts its payload (lengths, checksums) sees it whole; and the pcap
 * writer they share. The includer defines FIX_PROG and MAXPKT (the largest
 * frame) and BASE_SEC (the first timestamp) first. */
#ifndef WIREPEEL_TOOLS_FIXFRONT_H
#define WIREPEEL_TOOLS_FIXFRONT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "fixbuf.h"
#include "fixpcap.h"

typedef struct pkt {
    uint8_t d[MAXPKT];
    size_t off; /* the packet is d[off .. MAXPKT): headers are put in front */
} pkt;

static inline void start(pkt *p, const void *pl, size_t n)
{
    if (n > MAXPKT)
        die("frame builder", "payload too large");
    p->off = MAXPKT - n;
    if (n)
        memcpy(p->d + p->off, pl, n);
}

static inline size_t plen(const pkt *p)
{
    return MAXPKT - p->off;
}

static inline uint8_t *front(pkt *p, size_t n)
{
    if (n > p->off)
        die("frame builder", "frame too large");
    p->off -= n;
    memset(p->d + p->off, 0, n);
    return p->d + p->off;
}

static inline void be16(uint8_t *b, unsigned v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static inline void be32(uint8_t *b, uint32_t v)
{
    be16(b, v >> 16);
    be16(b + 2, v & 0xffff);
}

static inline void eth(pkt *p, const uint8_t *dst, const uint8_t *src, unsigned type)
{
    uint8_t *b = front(p, 14);
    memcpy(b, dst, 6);
    memcpy(b + 6, src, 6);
    be16(b + 12, type);
}

static inline void vlan(pkt *p, unsigned vid, unsigned type)
{
    uint8_t *b = front(p, 4);
    be16(b, vid & 0x0fff);
    be16(b + 2, type);
}

/* IPv4 without options, DF set, TTL 64, its header checksum filled in. */
static inline void ipv4(pkt *p, const uint8_t *src, const uint8_t *dst, unsigned proto,
                        unsigned id)
{
    size_t n = plen(p) + 20;
    uint8_t *b = front(p, 20);
    b[0] = 0x45;
    be16(b + 2, (unsigned)n);
    be16(b + 4, id);
    b[6] = 0x40; /* DF */
    b[8] = 64;
    b[9] = (uint8_t)proto;
    memcpy(b + 12, src, 4);
    memcpy(b + 16, dst, 4);
    be16(b + 10, wp_csum_finish(wp_csum_add(0, b, 20)));
}

static inline void ipv6(pkt *p, const uint8_t *src, const uint8_t *dst, unsigned nh)
{
    size_t n = plen(p);
    uint8_t *b = front(p, 40);
    b[0] = 0x60;
    be16(b + 4, (unsigned)n);
    b[6] = (uint8_t)nh;
    b[7] = 64;
    memcpy(b + 8, src, 16);
    memcpy(b + 24, dst, 16);
}

/* UDP over IPv4 (v6 0) or IPv6 (v6 1) between src and dst. */
static inline void udp(pkt *p, int v6, const uint8_t *src, const uint8_t *dst, unsigned sport,
                       unsigned dport)
{
    size_t n = plen(p) + 8;
    uint8_t *b = front(p, 8);
    be16(b, sport);
    be16(b + 2, dport);
    be16(b + 4, (unsigned)n);
    uint32_t s = v6 ? pseudo6(src, dst, 17, n) : pseudo4(src, dst, 17, n);
    uint16_t c = wp_csum_finish(wp_csum_add(s, b, n));
    be16(b + 6, c ? c : 0xffff);
}

/* An ICMP echo request carrying the n bytes at pl. */
static inline void icmp_echo_of(pkt *p, unsigned id, unsigned seq, const void *pl, size_t n)
{
    start(p, pl, n);
    size_t len = plen(p) + 8;
    uint8_t *b = front(p, 8);
    b[0] = 8;
    be16(b + 4, id);
    be16(b + 6, seq);
    be16(b + 2, wp_csum_finish(wp_csum_add(0, b, len)));
}

#define GRE_C 0x8000u
#define GRE_K 0x2000u
#define GRE_S 0x1000u

/* GRE with the optional words its flags (C, K, S) name; the checksum, when
 * C, over the GRE header and its payload. */
static inline void gre(pkt *p, unsigned flags, unsigned proto, uint32_t key, uint32_t seq)
{
    size_t hl = 4u + ((flags & GRE_C) ? 4u : 0u) + ((flags & GRE_K) ? 4u : 0u) +
                ((flags & GRE_S) ? 4u : 0u);
    size_t n = plen(p) + hl;
    uint8_t *b = front(p, hl);
    be16(b, flags);
    be16(b + 2, proto);
    size_t o = 4;
    size_t csum_at = 0;
    if (flags & GRE_C) {
        csum_at = o;
        o += 4;
    }
    if (flags & GRE_K) {
        be32(b + o, key);
        o += 4;
    }
    if (flags & GRE_S)
        be32(b + o, seq);
    if (flags & GRE_C)
        be16(b + csum_at, wp_csum_finish(wp_csum_add(0, b, n)));
}

/* ---- writing --------------------------------------------------------------- */

typedef fixpcap out;

static inline void open_dlt(out *o, const char *dir, const char *name, int dlt)
{
    fixpcap_open(o, dir, name, dlt, 65535);
}

static inline void open_out(out *o, const char *dir, const char *name)
{
    open_dlt(o, dir, name, DLT_EN10MB);
}

/* Write p, of which only the first caplen bytes were captured (0: all). */
static inline void put(out *o, const pkt *p, size_t caplen)
{
    fixpcap_write(o, p->d + p->off, plen(p), caplen);
}

static inline void close_out(out *o)
{
    fixpcap_close(o);
}

#endif
