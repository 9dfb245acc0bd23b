/* mkbench — write the deterministic synthetic capture that `make bench` reads.
 *
 * Usage: mkbench [-n N] OUT.pcap
 *
 * N Ethernet frames (default 1,000,000) in the mix of issue 6: about 45%
 * IPv4/TCP with options, 35% IPv4/UDP, 10% IPv6/UDP, 5% 802.1Q/IPv4/TCP,
 * 3% ICMP echo, 2% ARP; payloads of 0 to 480 bytes; every checksum valid.
 * A fixed seed and fixed timestamps (from 1700000000 s, 10 us apart) make
 * the file the same bytes on every run, and the first K frames of an N-frame
 * file are the first K frames of any bigger one (so `-n 100000` is a prefix).
 * Written through pcap_open_dead + pcap_dump_fopen with a large stdio buffer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000L
#define MAXPL 480
#define POOL 65536
#define MAXFRAME 1600

typedef struct rng {
    uint64_t s;
} rng;

/* xorshift64*: fast, deterministic, good enough to pick a mix */
static uint64_t rnd(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1DULL;
}

static unsigned below(rng *r, unsigned n)
{
    return (unsigned)((rnd(r) >> 32) % n);
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "mkbench: %s: %s\n", what, why);
    exit(1);
}

static void be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v & 0xffff);
}

typedef struct gen {
    rng r;
    uint8_t pool[POOL];   /* payload bytes are slices of this */
    uint32_t seq[16];     /* per-flow TCP sequence numbers */
    uint16_t ipid;
} gen;

static const uint8_t mac_a[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t mac_b[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

/* Ethernet header with the given EtherType, optionally inside an 802.1Q
 * tag; returns its length. The direction flips with `rev`. */
static size_t eth(uint8_t *f, unsigned type, int rev, int vlan, unsigned vid)
{
    memcpy(f, rev ? mac_a : mac_b, 6);
    memcpy(f + 6, rev ? mac_b : mac_a, 6);
    if (!vlan) {
        be16(f + 12, type);
        return 14;
    }
    be16(f + 12, 0x8100);
    be16(f + 14, vid & 0x0fff);
    be16(f + 16, type);
    return 18;
}

static void ip4addr(uint8_t *p, unsigned host)
{
    p[0] = 192;
    p[1] = 0;
    p[2] = 2;
    p[3] = (uint8_t)host;
}

/* IPv4 header (IHL 5, DF set, TTL 64) with a valid checksum. */
static void ipv4(gen *g, uint8_t *p, unsigned proto, size_t total, unsigned src, unsigned dst)
{
    p[0] = 0x45;
    p[1] = 0;
    be16(p + 2, (unsigned)total);
    be16(p + 4, g->ipid++);
    be16(p + 6, 0x4000);
    p[8] = 64;
    p[9] = (uint8_t)proto;
    be16(p + 10, 0);
    ip4addr(p + 12, src);
    ip4addr(p + 16, dst);
    be16(p + 10, wp_csum_finish(wp_csum_add(0, p, 20)));
}

static uint32_t pseudo4(const uint8_t *ip, unsigned proto, size_t len)
{
    uint32_t s = wp_csum_add(0, ip + 12, 8);
    s = wp_csum_add16(s, (uint16_t)proto);
    return wp_csum_add16(s, (uint16_t)len);
}

static uint32_t pseudo6(const uint8_t *ip6, unsigned nh, size_t len)
{
    uint32_t s = wp_csum_add(0, ip6 + 8, 32);
    s = wp_csum_add16(s, (uint16_t)(len >> 16));
    s = wp_csum_add16(s, (uint16_t)len);
    return wp_csum_add16(s, (uint16_t)nh);
}

static size_t payload(gen *g, uint8_t *p)
{
    size_t n = below(&g->r, MAXPL + 1);
    size_t at = below(&g->r, POOL - MAXPL);
    memcpy(p, g->pool + at, n);
    return n;
}

/* TCP segment with options at p; returns its length. Most segments carry
 * NOP NOP timestamp; one in eight is a SYN with MSS, SACK-permitted,
 * timestamps, NOP and window scale; one in sixteen carries a SACK block. */
static size_t tcp(gen *g, uint8_t *p, int rev)
{
    unsigned kind = below(&g->r, 16);
    unsigned flow = below(&g->r, 16);
    size_t o = 20;
    uint8_t *opt = p + 20;
    unsigned flags;
    uint32_t tsval = 0x10000000u + g->ipid * 7u;
    if (kind < 2) {   /* SYN / SYN-ACK */
        flags = rev ? 0x012 : 0x002;
        static const uint8_t syn[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
                                        0, 0, 0, 0, 0, 0, 1, 3, 3, 7};
        memcpy(opt, syn, 20);
        be32(opt + 6, tsval);
        be32(opt + 10, rev ? tsval - 3 : 0);
        o += 20;
    } else {
        flags = (kind & 1) ? 0x018 : 0x010;   /* PSH-ACK / ACK */
        opt[0] = 1;
        opt[1] = 1;
        opt[2] = 8;
        opt[3] = 10;
        be32(opt + 4, tsval);
        be32(opt + 8, tsval - 5);
        o += 12;
        if (kind == 15) {   /* NOP NOP SACK one block */
            opt[12] = 1;
            opt[13] = 1;
            opt[14] = 5;
            opt[15] = 10;
            be32(opt + 16, g->seq[flow] + 1000);
            be32(opt + 20, g->seq[flow] + 2448);
            o += 12;
        }
    }
    size_t pl = (kind < 2) ? 0 : payload(g, p + o);
    unsigned sport = rev ? 50080 : 40000 + flow;
    unsigned dport = rev ? 40000 + flow : 50080;
    be16(p, sport);
    be16(p + 2, dport);
    be32(p + 4, g->seq[flow]);
    be32(p + 8, g->seq[flow] ^ 0x5a5a5a5au);
    be16(p + 12, (unsigned)((o / 4) << 12 | flags));
    be16(p + 14, 64240);
    be16(p + 16, 0);
    be16(p + 18, 0);
    g->seq[flow] += (uint32_t)pl + ((flags & 0x002) ? 1 : 0);
    return o + pl;   /* the caller fills in the checksum */
}

static size_t udp_hdr(gen *g, uint8_t *p, int rev)
{
    /* high ports that neither tcpdump nor tshark decode as an application */
    static const unsigned svc[4] = {54321, 50001, 50002, 50003};
    unsigned s = svc[below(&g->r, 4)];
    unsigned eph = 40000 + below(&g->r, 8000);
    size_t pl = payload(g, p + 8);
    be16(p, rev ? s : eph);
    be16(p + 2, rev ? eph : s);
    be16(p + 4, (unsigned)(8 + pl));
    be16(p + 6, 0);
    return 8 + pl;
}

static void udp_csum(uint8_t *p, size_t len, uint32_t ps)
{
    uint16_t c = wp_csum_finish(wp_csum_add(ps, p, len));
    be16(p + 6, c ? c : 0xffff);
}

/* One frame into f; returns its length. */
static size_t frame(gen *g, uint8_t *f)
{
    unsigned pick = below(&g->r, 100);
    int rev = (int)below(&g->r, 2);
    unsigned a = rev ? 2 : 1, b = rev ? 1 : 2;
    size_t l2, l4;
    if (pick < 45 || (pick >= 90 && pick < 95)) {   /* IPv4/TCP, 5% tagged */
        int vlan = pick >= 90;
        l2 = eth(f, 0x0800, rev, vlan, 100 + below(&g->r, 4));
        l4 = tcp(g, f + l2 + 20, rev);
        ipv4(g, f + l2, 6, 20 + l4, a, b);
        uint8_t *t = f + l2 + 20;
        be16(t + 16, wp_csum_finish(wp_csum_add(pseudo4(f + l2, 6, l4), t, l4)));
        return l2 + 20 + l4;
    }
    if (pick < 80) {   /* IPv4/UDP */
        l2 = eth(f, 0x0800, rev, 0, 0);
        l4 = udp_hdr(g, f + l2 + 20, rev);
        ipv4(g, f + l2, 17, 20 + l4, a, b);
        udp_csum(f + l2 + 20, l4, pseudo4(f + l2, 17, l4));
        return l2 + 20 + l4;
    }
    if (pick < 90) {   /* IPv6/UDP */
        l2 = eth(f, 0x86dd, rev, 0, 0);
        uint8_t *ip = f + l2;
        l4 = udp_hdr(g, ip + 40, rev);
        be32(ip, 0x60000000u | below(&g->r, 0x100000));
        be16(ip + 4, (unsigned)l4);
        ip[6] = 17;
        ip[7] = 64;
        static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
        memcpy(ip + 8, v6, 16);
        ip[23] = (uint8_t)a;
        memcpy(ip + 24, v6, 16);
        ip[39] = (uint8_t)b;
        udp_csum(ip + 40, l4, pseudo6(ip, 17, l4));
        return l2 + 40 + l4;
    }
    if (pick < 98) {   /* ICMP echo request / reply */
        l2 = eth(f, 0x0800, rev, 0, 0);
        uint8_t *ic = f + l2 + 20;
        size_t pl = payload(g, ic + 8);
        ic[0] = rev ? 0 : 8;
        ic[1] = 0;
        be16(ic + 2, 0);
        be16(ic + 4, 0x1234);
        be16(ic + 6, g->ipid);
        be16(ic + 2, wp_csum_finish(wp_csum_add(0, ic, 8 + pl)));
        ipv4(g, f + l2, 1, 28 + pl, a, b);
        return l2 + 28 + pl;
    }
    /* ARP request / reply */
    l2 = eth(f, 0x0806, rev, 0, 0);
    if (!rev)
        memset(f, 0xff, 6);
    uint8_t *p = f + l2;
    be16(p, 1);
    be16(p + 2, 0x0800);
    p[4] = 6;
    p[5] = 4;
    be16(p + 6, rev ? 2 : 1);
    memcpy(p + 8, rev ? mac_b : mac_a, 6);
    ip4addr(p + 14, rev ? 2 : 1);
    if (rev)
        memcpy(p + 18, mac_a, 6);
    else
        memset(p + 18, 0, 6);
    ip4addr(p + 24, rev ? 1 : 2);
    return l2 + 28;
}

int main(int argc, char **argv)
{
    unsigned long n = 1000000;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            n = strtoul(argv[++i], &end, 10);
            if (errno || *end || n == 0)
                die(argv[i], "-n needs a positive number of frames");
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "usage: mkbench [-n N] OUT.pcap\n");
            return 2;
        } else {
            out = argv[i];
        }
    }
    if (!out) {
        fprintf(stderr, "usage: mkbench [-n N] OUT.pcap\n");
        return 2;
    }
    static gen g;
    g.r.s = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < POOL; i += 8) {
        uint64_t v = rnd(&g.r);
        memcpy(g.pool + i, &v, 8);
    }
    for (int i = 0; i < 16; i++)
        g.seq[i] = (uint32_t)rnd(&g.r);

    FILE *fp = fopen(out, "wb");
    if (!fp)
        die(out, strerror(errno));
    static char iobuf[1 << 22];
    setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
    pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
    if (!pd)
        die("pcap_open_dead", "failed");
    pcap_dumper_t *d = pcap_dump_fopen(pd, fp);
    if (!d)
        die(out, pcap_geterr(pd));
    static uint8_t f[MAXFRAME];
    for (unsigned long i = 0; i < n; i++) {
        size_t len = frame(&g, f);
        struct pcap_pkthdr h;
        uint64_t us = (uint64_t)i * 10;
        h.ts.tv_sec = BASE_SEC + (long)(us / 1000000);
        h.ts.tv_usec = (long)(us % 1000000);
        h.caplen = h.len = (bpf_u_int32)len;
        pcap_dump((u_char *)d, &h, f);
    }
    if (pcap_dump_flush(d) != 0 || ferror(fp))
        die(out, "write failed");
    pcap_dump_close(d);
    pcap_close(pd);
    return 0;
}
