/* mkfixtures — craft the fixture captures in captures/ deterministically.
 *
 * Usage: mkfixtures DIR
 *
 * Every frame is built here byte by byte (fixed addresses, ports, ids and
 * timestamps) and written with libpcap's pcap_open_dead + pcap_dump, except
 * the pcapng file, which has its own small writer. Checksums are computed
 * here, so a fixture has a bad one only where it is about a bad one. Running
 * it twice gives the same bytes; tests/suites/fixtures.sh checks that the
 * committed captures equal a fresh run. captures/README.md says what each
 * file shows, frame by frame.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000L   /* 2023-11-14T22:13:20Z */
#define MAXPKT 4096
#define FIX_PROG "mkfixtures"
#include "fixbuf.h"

/* ---- addresses ---------------------------------------------------------- */

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t MAC_BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};
static const uint8_t IP_D[4] = {192, 0, 2, 4};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t IP6_C[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 3};

static const char HELLO[] = "hello, mercy";

/* ---- layer builders ------------------------------------------------------ */

enum { IPPROTO_ICMP_ = 1, IPPROTO_TCP_ = 6, IPPROTO_UDP_ = 17, IPPROTO_ICMPV6_ = 58 };
enum { F_FIN = 0x01, F_SYN = 0x02, F_RST = 0x04, F_PSH = 0x08, F_ACK = 0x10 };

/* UDP header + payload; the checksum is computed from the pseudo-header sum
 * `ps` (already including the length) over the whole datagram. A UDP
 * checksum that computes to 0 is sent as 0xffff. */
static void udp(buf *out, unsigned sport, unsigned dport, const void *pl, size_t plen)
{
    out->n = 0;
    put16(out, sport);
    put16(out, dport);
    put16(out, (unsigned)(8 + plen));
    put16(out, 0);
    putmem(out, pl, plen);
}

static void udp4(buf *out, const uint8_t *src, const uint8_t *dst, unsigned sport,
                 unsigned dport, const void *pl, size_t plen)
{
    udp(out, sport, dport, pl, plen);
    l4_csum(out, 6, pseudo4(src, dst, IPPROTO_UDP_, out->n), 1);
}

static void udp6(buf *out, const uint8_t *src, const uint8_t *dst, unsigned sport,
                 unsigned dport, const void *pl, size_t plen)
{
    udp(out, sport, dport, pl, plen);
    l4_csum(out, 6, pseudo6(src, dst, IPPROTO_UDP_, out->n), 1);
}

typedef struct tcpspec {
    unsigned sport, dport;
    uint32_t seq, ack;
    unsigned flags, window;
    const uint8_t *opts;
    size_t optlen;        /* a multiple of 4 unless a fixture wants otherwise */
    int doff_override;    /* nonzero: write this data offset instead */
    const void *pl;
    size_t plen;
} tcpspec;

static void tcp4(buf *out, const uint8_t *src, const uint8_t *dst, const tcpspec *t)
{
    out->n = 0;
    unsigned doff = t->doff_override ? (unsigned)t->doff_override : (unsigned)(20 + t->optlen) / 4;
    put16(out, t->sport);
    put16(out, t->dport);
    put32(out, t->seq);
    put32(out, t->ack);
    put16(out, doff << 12 | t->flags);
    put16(out, t->window);
    put16(out, 0);
    put16(out, 0);
    putmem(out, t->opts, t->optlen);
    putmem(out, t->pl, t->plen);
    l4_csum(out, 16, pseudo4(src, dst, IPPROTO_TCP_, out->n), 0);
}

typedef struct ip4spec {
    unsigned tos, id, frag;   /* frag: the 16-bit flags+offset word */
    unsigned ttl, proto;
    const uint8_t *src, *dst;
    const uint8_t *opts;
    size_t optlen;            /* a multiple of 4 */
    int ihl_override;         /* nonzero: write this IHL */
    int total_len_delta;      /* added to the true total length */
    int bad_csum;             /* nonzero: write a wrong header checksum */
} ip4spec;

#define DF 0x4000
#define MF 0x2000

static void ipv4(buf *out, const ip4spec *s, const buf *payload)
{
    out->n = 0;
    size_t hl = 20 + s->optlen;
    unsigned ihl = s->ihl_override ? (unsigned)s->ihl_override : (unsigned)hl / 4;
    put8(out, 0x40 | ihl);
    put8(out, s->tos);
    put16(out, (unsigned)((int)(hl + payload->n) + s->total_len_delta));
    put16(out, s->id);
    put16(out, s->frag);
    put8(out, s->ttl ? s->ttl : 64);
    put8(out, s->proto);
    put16(out, 0);
    putmem(out, s->src, 4);
    putmem(out, s->dst, 4);
    putmem(out, s->opts, s->optlen);
    uint16_t c = wp_csum_finish(wp_csum_add(0, out->d, hl));
    if (s->bad_csum)
        c = (uint16_t)(c ^ 0x5a5a);
    set16(out, 10, c);
    putmem(out, payload->d, payload->n);
}

static void ipv6(buf *out, unsigned nh, const uint8_t *src, const uint8_t *dst,
                 const buf *payload)
{
    out->n = 0;
    put32(out, 0x60000000u);   /* version 6, traffic class 0, flow label 0 */
    put16(out, (unsigned)payload->n);
    put8(out, nh);
    put8(out, 64);
    putmem(out, src, 16);
    putmem(out, dst, 16);
    putmem(out, payload->d, payload->n);
}

static void eth(buf *out, const uint8_t *dst, const uint8_t *src, unsigned type, const buf *pl)
{
    out->n = 0;
    putmem(out, dst, 6);
    putmem(out, src, 6);
    put16(out, type);
    putmem(out, pl->d, pl->n);
}

static void pad60(buf *f)
{
    while (f->n < 60)
        put8(f, 0);
}

/* The standard test packet: Ethernet / IPv4 / UDP 192.0.2.1:40000 ->
 * 192.0.2.2:54321 carrying "hello, mercy". ip gets the IPv4 packet alone. */
static void hello_ip4(buf *ip, unsigned id)
{
    buf u;
    udp4(&u, IP_A, IP_B, 40000, 54321, HELLO, strlen(HELLO));
    ip4spec s = {.id = id, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B};
    ipv4(ip, &s, &u);
}

static void hello_ip6(buf *ip)
{
    buf u;
    udp6(&u, IP6_A, IP6_B, 40000, 54321, HELLO, strlen(HELLO));
    ipv6(ip, IPPROTO_UDP_, IP6_A, IP6_B, &u);
}

/* ---- writers ------------------------------------------------------------- */

typedef struct out {
    pcap_t *p;
    pcap_dumper_t *d;
    unsigned snaplen;
    unsigned nframes;
    int nano;
} out;

static void out_open(out *o, const char *dir, const char *name, int dlt, unsigned snaplen, int nano)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    o->p = pcap_open_dead_with_tstamp_precision(dlt, (int)snaplen,
                                                nano ? PCAP_TSTAMP_PRECISION_NANO
                                                     : PCAP_TSTAMP_PRECISION_MICRO);
    if (!o->p)
        die(path, "pcap_open_dead failed");
    o->d = pcap_dump_open(o->p, path);
    if (!o->d)
        die(path, pcap_geterr(o->p));
    o->snaplen = snaplen;
    o->nframes = 0;
    o->nano = nano;
}

/* Frame n of a file is stamped BASE_SEC + n ms (frac_override, if nonzero,
 * replaces the sub-second part: µs, or ns in a nanosecond file). */
static void out_frame_ts(out *o, const buf *f, long frac_override)
{
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    long frac = frac_override ? frac_override : (long)o->nframes * (o->nano ? 1000000L : 1000L);
    h.ts.tv_sec = BASE_SEC;
    h.ts.tv_usec = frac;
    h.len = (bpf_u_int32)f->n;
    h.caplen = (bpf_u_int32)(f->n < o->snaplen ? f->n : o->snaplen);
    pcap_dump((u_char *)o->d, &h, f->d);
    o->nframes++;
}

static void out_frame(out *o, const buf *f)
{
    out_frame_ts(o, f, 0);
}

static void out_close(out *o)
{
    if (pcap_dump_flush(o->d) != 0)
        die("pcap_dump_flush", "write failed");
    pcap_dump_close(o->d);
    pcap_close(o->p);
}

/* ---- the fixtures --------------------------------------------------------- */

/* A Linux-like SYN option block: MSS 1460, SACK permitted, timestamps,
 * NOP, window scale 7 (20 bytes). */
static const uint8_t SYN_OPTS[20] = {
    0x02, 0x04, 0x05, 0xb4,             /* MSS 1460 */
    0x04, 0x02,                         /* SACK permitted */
    0x08, 0x0a, 0x00, 0x01, 0xe2, 0x40, /* TS val 123456 */
    0x00, 0x00, 0x00, 0x00,             /*    ecr 0 */
    0x01,                               /* NOP */
    0x03, 0x03, 0x07,                   /* wscale 7 */
};

static void eth_ip4(buf *f, const uint8_t *dmac, const uint8_t *smac, const buf *ip)
{
    eth(f, dmac, smac, 0x0800, ip);
}

static void tcp_frame(buf *f, int from_a, unsigned id, const tcpspec *t)
{
    buf seg, ip;
    const uint8_t *src = from_a ? IP_A : IP_B, *dst = from_a ? IP_B : IP_A;
    tcp4(&seg, src, dst, t);
    ip4spec s = {.id = id, .frag = DF, .proto = IPPROTO_TCP_, .src = src, .dst = dst};
    ipv4(&ip, &s, &seg);
    eth_ip4(f, from_a ? MAC_B : MAC_A, from_a ? MAC_A : MAC_B, &ip);
}

static void fx_udp_tcp_pair_frames(buf frames[2])
{
    buf ip;
    hello_ip4(&ip, 0x1001);
    eth_ip4(&frames[0], MAC_B, MAC_A, &ip);
    tcpspec t = {.sport = 40001, .dport = 54321, .seq = 1000, .ack = 0, .flags = F_SYN,
                 .window = 64240, .opts = SYN_OPTS, .optlen = sizeof SYN_OPTS};
    tcp_frame(&frames[1], 1, 0x1002, &t);
}

static void fx_udp_tcp_pair(const char *dir)
{
    buf fr[2];
    fx_udp_tcp_pair_frames(fr);
    out o;
    out_open(&o, dir, "udp-tcp-pair.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &fr[0]);
    out_frame(&o, &fr[1]);
    out_close(&o);
}

static void fx_tcp_handshake(const char *dir)
{
    /* Timestamps options after the SYN: NOP NOP TS (12 bytes). */
    uint8_t ts_opts[12] = {0x01, 0x01, 0x08, 0x0a};
    static const uint8_t synack_opts[20] = {
        0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x0f, 0x42, 0x40,
        0x00, 0x01, 0xe2, 0x40, 0x01, 0x03, 0x03, 0x07,
    };
    static const char data[] = "Give me the data";
    const uint32_t cs = 1000, ss = 5000;   /* initial sequence numbers */
    const size_t dl = strlen(data);
    struct step {
        int from_a;
        uint32_t seq, ack;
        unsigned flags;
        int with_data;
    } steps[] = {
        {1, cs, 0, F_SYN, 0},
        {0, ss, cs + 1, F_SYN | F_ACK, 0},
        {1, cs + 1, ss + 1, F_ACK, 0},
        {1, cs + 1, ss + 1, F_PSH | F_ACK, 1},
        {0, ss + 1, cs + 1 + (uint32_t)dl, F_ACK, 0},
        {1, cs + 1 + (uint32_t)dl, ss + 1, F_FIN | F_ACK, 0},
        {0, ss + 1, cs + 2 + (uint32_t)dl, F_ACK, 0},
        {0, ss + 1, cs + 2 + (uint32_t)dl, F_FIN | F_ACK, 0},
        {1, cs + 2 + (uint32_t)dl, ss + 2, F_ACK, 0},
    };
    out o;
    out_open(&o, dir, "tcp-handshake.pcap", DLT_EN10MB, 262144, 0);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const struct step *s = &steps[i];
        tcpspec t = {.sport = s->from_a ? 40002 : 54321, .dport = s->from_a ? 54321 : 40002,
                     .seq = s->seq, .ack = s->ack, .flags = s->flags,
                     .window = s->from_a ? 502 : 509};
        if (i == 0) {
            t.opts = SYN_OPTS;
            t.optlen = sizeof SYN_OPTS;
            t.window = 64240;
        } else if (i == 1) {
            t.opts = synack_opts;
            t.optlen = sizeof synack_opts;
            t.window = 65160;
        } else {
            /* tsval: the sender's clock in ms since its SYN, tsecr: the peer's */
            uint32_t mine = (s->from_a ? 123456u : 1000000u) + (uint32_t)i;
            uint32_t theirs = (s->from_a ? 1000000u : 123456u) + (uint32_t)i - 1;
            for (int k = 0; k < 4; k++) {
                ts_opts[4 + k] = (uint8_t)(mine >> (24 - 8 * k));
                ts_opts[8 + k] = (uint8_t)(theirs >> (24 - 8 * k));
            }
            t.opts = ts_opts;
            t.optlen = sizeof ts_opts;
        }
        if (s->with_data) {
            t.pl = data;
            t.plen = dl;
        }
        buf f;
        tcp_frame(&f, s->from_a, 0x2000 + (unsigned)i, &t);
        out_frame(&o, &f);
    }
    out_close(&o);
}

/* One UDP frame with these IPv4 options. */
static void opt_frame(out *o, unsigned id, const uint8_t *opts, size_t optlen,
                      const uint8_t *final_dst)
{
    buf u, ip, f;
    udp4(&u, IP_A, final_dst, 40000, 54321, HELLO, strlen(HELLO));
    ip4spec s = {.id = id, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B,
                 .opts = opts, .optlen = optlen};
    ipv4(&ip, &s, &u);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out_frame(o, &f);
}

static void fx_ipv4_options(const char *dir)
{
    /* NOP, Record Route (2 slots, 1 filled: pointer 8), EOL, zero padding */
    static const uint8_t rr[16] = {0x01, 0x07, 0x0b, 0x08, 192, 0, 2, 1,
                                   0, 0, 0, 0, 0x00, 0, 0, 0};
    /* Timestamp, flag 0 (timestamps only), 2 slots, 1 filled (pointer 9):
     * 3,600,000 ms since midnight UT. */
    static const uint8_t ts[12] = {0x44, 0x0c, 0x09, 0x00, 0x00, 0x36, 0xee, 0x80,
                                   0, 0, 0, 0};
    /* Router Alert, value 0 */
    static const uint8_t ra[4] = {0x94, 0x04, 0x00, 0x00};
    /* Loose source route: 2 addresses, pointer 4 (none used yet), EOL. The
     * UDP checksum is computed with the final destination, the last address
     * of the route (RFC 1122 3.2.1.8, as tshark does). */
    static const uint8_t lsrr[12] = {0x83, 0x0b, 0x04, 192, 0, 2, 3, 192, 0, 2, 4, 0x00};
    /* Strict source route: same shape */
    static const uint8_t ssrr[12] = {0x89, 0x0b, 0x04, 192, 0, 2, 3, 192, 0, 2, 4, 0x00};
    /* Unassigned kind 0x9a (copied, class 0, number 26), 2 data bytes */
    static const uint8_t unk[4] = {0x9a, 0x04, 0xbe, 0xef};
    out o;
    out_open(&o, dir, "ipv4-options.pcap", DLT_EN10MB, 262144, 0);
    opt_frame(&o, 0x3001, rr, sizeof rr, IP_B);
    opt_frame(&o, 0x3002, ts, sizeof ts, IP_B);
    opt_frame(&o, 0x3003, ra, sizeof ra, IP_B);
    opt_frame(&o, 0x3004, lsrr, sizeof lsrr, IP_D);
    opt_frame(&o, 0x3005, ssrr, sizeof ssrr, IP_D);
    opt_frame(&o, 0x3006, unk, sizeof unk, IP_B);
    out_close(&o);
}

static void fx_ipv4_bad_checksum(const char *dir)
{
    buf u, ip, f;
    udp4(&u, IP_A, IP_B, 40000, 54321, HELLO, strlen(HELLO));
    ip4spec s = {.id = 0x4001, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B,
                 .bad_csum = 1};
    ipv4(&ip, &s, &u);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out o;
    out_open(&o, dir, "ipv4-bad-checksum.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);
}

static void fx_udp_checksums(const char *dir)
{
    buf u, ip, f;
    out o;
    udp4(&u, IP_A, IP_B, 40000, 54321, HELLO, strlen(HELLO));
    set16(&u, 6, (unsigned)(((u.d[6] << 8) | u.d[7]) ^ 0x5a5a));
    ip4spec s = {.id = 0x4101, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B};
    ipv4(&ip, &s, &u);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out_open(&o, dir, "udp-bad-checksum.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);

    udp4(&u, IP_A, IP_B, 40000, 54321, HELLO, strlen(HELLO));
    set16(&u, 6, 0);
    s.id = 0x4201;
    ipv4(&ip, &s, &u);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out_open(&o, dir, "udp-zero-checksum.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);
}

static void fx_ipv4_fragments(const char *dir)
{
    /* One UDP datagram of 8 + 3000 bytes, cut at 1480-byte boundaries. */
    static uint8_t pl[3000];
    for (size_t i = 0; i < sizeof pl; i++)
        pl[i] = (uint8_t)('a' + i % 26);
    buf u;
    udp4(&u, IP_A, IP_B, 40000, 54321, pl, sizeof pl);
    out o;
    out_open(&o, dir, "ipv4-fragments.pcap", DLT_EN10MB, 262144, 0);
    for (size_t off = 0; off < u.n; off += 1480) {
        buf part, ip, f;
        part.n = 0;
        size_t n = u.n - off < 1480 ? u.n - off : 1480;
        putmem(&part, u.d + off, n);
        unsigned frag = (unsigned)(off / 8) | (off + n < u.n ? MF : 0);
        ip4spec s = {.id = 0x5001, .frag = frag, .proto = IPPROTO_UDP_, .src = IP_A,
                     .dst = IP_B};
        ipv4(&ip, &s, &part);
        eth_ip4(&f, MAC_B, MAC_A, &ip);
        out_frame(&o, &f);
    }
    out_close(&o);
}

static void icmp_echo4(buf *f, int request, unsigned id)
{
    buf m, ip;
    uint8_t data[56];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(0x10 + i);
    m.n = 0;
    put8(&m, request ? 8 : 0);
    put8(&m, 0);
    put16(&m, 0);
    put16(&m, 0x1234);   /* identifier */
    put16(&m, 1);        /* sequence */
    putmem(&m, data, sizeof data);
    set16(&m, 2, wp_csum_finish(wp_csum_add(0, m.d, m.n)));
    ip4spec s = {.id = id, .frag = request ? DF : 0, .proto = IPPROTO_ICMP_,
                 .src = request ? IP_A : IP_B, .dst = request ? IP_B : IP_A};
    ipv4(&ip, &s, &m);
    eth_ip4(f, request ? MAC_B : MAC_A, request ? MAC_A : MAC_B, &ip);
}

static void fx_icmp(const char *dir)
{
    out o;
    buf f;
    out_open(&o, dir, "icmp-echo.pcap", DLT_EN10MB, 262144, 0);
    icmp_echo4(&f, 1, 0x6001);
    out_frame(&o, &f);
    icmp_echo4(&f, 0, 0x7001);
    out_frame(&o, &f);
    out_close(&o);

    /* A UDP probe to a closed port, then the port-unreachable that quotes
     * its IP header and the first 8 bytes of its UDP header. */
    buf u, ip, m, ip2;
    static const char probe[] = "anyone there?";
    udp4(&u, IP_A, IP_B, 40000, 33434, probe, strlen(probe));
    ip4spec s = {.id = 0x6101, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B};
    ipv4(&ip, &s, &u);
    out_open(&o, dir, "icmp-port-unreachable.pcap", DLT_EN10MB, 262144, 0);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out_frame(&o, &f);
    m.n = 0;
    put8(&m, 3);   /* destination unreachable */
    put8(&m, 3);   /* port unreachable */
    put16(&m, 0);
    put32(&m, 0);  /* unused */
    putmem(&m, ip.d, 20 + 8);
    set16(&m, 2, wp_csum_finish(wp_csum_add(0, m.d, m.n)));
    ip4spec s2 = {.tos = 0xc0, .id = 0x7101, .proto = IPPROTO_ICMP_, .src = IP_B,
                  .dst = IP_A};
    ipv4(&ip2, &s2, &m);
    eth_ip4(&f, MAC_A, MAC_B, &ip2);
    out_frame(&o, &f);
    out_close(&o);
}

/* An ICMP or ICMPv6 header into m (emptied first): type, code, a zero
 * checksum to fill in later, and the 4 bytes after it. */
static void icmp_head(buf *m, unsigned type, unsigned code, uint32_t word)
{
    m->n = 0;
    put8(m, type);
    put8(m, code);
    put16(m, 0);
    put32(m, word);
}

/* An ICMP error (type, code, the 4 bytes after the checksum) from B to A
 * quoting quote's IP header and first 8 bytes of data. */
static void icmp4_error(buf *f, unsigned type, unsigned code, uint32_t word, const buf *quote,
                        unsigned id)
{
    buf m, ip;
    icmp_head(&m, type, code, word);
    putmem(&m, quote->d, 20 + 8);
    set16(&m, 2, wp_csum_finish(wp_csum_add(0, m.d, m.n)));
    ip4spec s = {.tos = 0xc0, .id = id, .proto = IPPROTO_ICMP_, .src = IP_B, .dst = IP_A};
    ipv4(&ip, &s, &m);
    eth_ip4(f, MAC_A, MAC_B, &ip);
}

/* An ICMPv6 message from B to A: type, code, the 4 bytes after the checksum,
 * then body (the quoted packet of an error; may be empty). */
static void icmp6_msg(buf *f, unsigned type, unsigned code, uint32_t word, const buf *body)
{
    buf m, ip;
    icmp_head(&m, type, code, word);
    putmem(&m, body->d, body->n);
    l4_csum(&m, 2, pseudo6(IP6_B, IP6_A, IPPROTO_ICMPV6_, m.n), 0);
    ipv6(&ip, IPPROTO_ICMPV6_, IP6_B, IP6_A, &m);
    eth(f, MAC_A, MAC_B, 0x86dd, &ip);
}

/* One message of each ICMP and ICMPv6 kind whose word after the checksum
 * means something of its own (MTU, gateway, pointer, unused, reserved), so
 * every row of their field tables is shown by some fixture. */
static void fx_icmp_kinds(const char *dir)
{
    out o;
    buf f, ip, ip6, none;
    hello_ip4(&ip, 0x9101);
    hello_ip6(&ip6);
    none.n = 0;
    out_open(&o, dir, "icmp-kinds.pcap", DLT_EN10MB, 262144, 0);
    icmp4_error(&f, 3, 4, 1400, &ip, 0x7201); /* fragmentation needed, next-hop MTU 1400 */
    out_frame(&o, &f);
    icmp4_error(&f, 5, 1, 0xc0000204u, &ip, 0x7202); /* redirect for the host, via 192.0.2.4 */
    out_frame(&o, &f);
    icmp4_error(&f, 12, 0, 8u << 24, &ip, 0x7203); /* parameter problem at byte 8 (TTL) */
    out_frame(&o, &f);
    icmp6_msg(&f, 2, 0, 1280, &ip6); /* packet too big, MTU 1280 */
    out_frame(&o, &f);
    icmp6_msg(&f, 4, 0, 7, &ip6); /* parameter problem at byte 7 (hop limit) */
    out_frame(&o, &f);
    icmp6_msg(&f, 1, 4, 0, &ip6); /* port unreachable */
    out_frame(&o, &f);
    icmp6_msg(&f, 133, 0, 0, &none); /* router solicitation: a reserved word */
    out_frame(&o, &f);
    out_close(&o);
}

static void arp_frame(buf *f, int request)
{
    buf a;
    a.n = 0;
    put16(&a, 1);        /* Ethernet */
    put16(&a, 0x0800);   /* IPv4 */
    put8(&a, 6);
    put8(&a, 4);
    put16(&a, request ? 1 : 2);
    if (request) {
        putmem(&a, MAC_A, 6);
        putmem(&a, IP_A, 4);
        putmem(&a, (const uint8_t[6]){0}, 6);
        putmem(&a, IP_B, 4);
        eth(f, MAC_BCAST, MAC_A, 0x0806, &a);
    } else {
        putmem(&a, MAC_B, 6);
        putmem(&a, IP_B, 4);
        putmem(&a, MAC_A, 6);
        putmem(&a, IP_A, 4);
        eth(f, MAC_A, MAC_B, 0x0806, &a);
    }
}

static void fx_arp(const char *dir)
{
    out o;
    buf f;
    out_open(&o, dir, "arp.pcap", DLT_EN10MB, 262144, 0);
    arp_frame(&f, 1);
    out_frame(&o, &f);
    arp_frame(&f, 0);
    out_frame(&o, &f);
    out_close(&o);
}

static void fx_vlan(const char *dir)
{
    buf u, ip, tagged, f;
    out o;
    udp4(&u, IP_A, IP_B, 40000, 9999, HELLO, strlen(HELLO));
    ip4spec s = {.id = 0x8001, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B};
    ipv4(&ip, &s, &u);

    tagged.n = 0;
    put16(&tagged, 3u << 13 | 100);   /* PCP 3, DEI 0, VID 100 */
    put16(&tagged, 0x0800);
    putmem(&tagged, ip.d, ip.n);
    eth(&f, MAC_B, MAC_A, 0x8100, &tagged);
    out_open(&o, dir, "vlan-8021q.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);

    buf outer;
    outer.n = 0;
    put16(&outer, 200);               /* S-tag: PCP 0, DEI 0, VID 200 */
    put16(&outer, 0x8100);
    putmem(&outer, tagged.d, tagged.n);
    eth(&f, MAC_B, MAC_A, 0x88a8, &outer);
    out_open(&o, dir, "vlan-qinq.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);
}

static void icmp6_echo(buf *f, int request)
{
    buf m, ip;
    const uint8_t *src = request ? IP6_A : IP6_B, *dst = request ? IP6_B : IP6_A;
    m.n = 0;
    put8(&m, request ? 128 : 129);
    put8(&m, 0);
    put16(&m, 0);
    put16(&m, 0x1234);
    put16(&m, 1);
    for (unsigned i = 0; i < 56; i++)
        put8(&m, 0x10 + i);
    l4_csum(&m, 2, pseudo6(src, dst, IPPROTO_ICMPV6_, m.n), 0);
    ipv6(&ip, IPPROTO_ICMPV6_, src, dst, &m);
    eth(f, request ? MAC_B : MAC_A, request ? MAC_A : MAC_B, 0x86dd, &ip);
}

static void fx_ipv6(const char *dir)
{
    buf ip, f;
    out o;
    hello_ip6(&ip);
    eth(&f, MAC_B, MAC_A, 0x86dd, &ip);
    out_open(&o, dir, "ipv6-udp.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);

    out_open(&o, dir, "icmpv6-echo.pcap", DLT_EN10MB, 262144, 0);
    icmp6_echo(&f, 1);
    out_frame(&o, &f);
    icmp6_echo(&f, 0);
    out_frame(&o, &f);
    out_close(&o);

    out_open(&o, dir, "ipv6-ext.pcap", DLT_EN10MB, 262144, 0);
    buf u, ext;

    /* 1: hop-by-hop (router alert 0 = MLD, PadN) / UDP */
    udp6(&u, IP6_A, IP6_B, 40000, 54321, HELLO, strlen(HELLO));
    ext.n = 0;
    put8(&ext, IPPROTO_UDP_);
    put8(&ext, 0);                                   /* 8 bytes */
    putmem(&ext, (const uint8_t[]){0x05, 0x02, 0x00, 0x00}, 4);   /* router alert */
    putmem(&ext, (const uint8_t[]){0x01, 0x00}, 2);   /* PadN, 0 data bytes */
    putmem(&ext, u.d, u.n);
    ipv6(&ip, 0, IP6_A, IP6_B, &ext);
    eth(&f, MAC_B, MAC_A, 0x86dd, &ip);
    out_frame(&o, &f);

    /* 2: segment routing header (type 4), segments_left 1: the packet is on
     * its way to 2001:db8::3, the final destination is 2001:db8::2, and the
     * UDP checksum uses the final destination (RFC 8200 section 8.1). */
    udp6(&u, IP6_A, IP6_B, 40000, 54321, HELLO, strlen(HELLO));
    ext.n = 0;
    put8(&ext, IPPROTO_UDP_);
    put8(&ext, 4);        /* (4 + 1) * 8 = 40 bytes: 8 + 2 segments */
    put8(&ext, 4);        /* routing type: segment routing */
    put8(&ext, 1);        /* segments left */
    put8(&ext, 1);        /* last entry */
    put8(&ext, 0);        /* flags */
    put16(&ext, 0);       /* tag */
    putmem(&ext, IP6_B, 16);   /* segment list[0]: final destination */
    putmem(&ext, IP6_C, 16);   /* segment list[1]: first segment */
    putmem(&ext, u.d, u.n);
    ipv6(&ip, 43, IP6_A, IP6_C, &ext);
    eth(&f, MAC_B, MAC_A, 0x86dd, &ip);
    out_frame(&o, &f);

    /* 3: destination options (PadN with 4 zero bytes) / UDP */
    udp6(&u, IP6_A, IP6_B, 40000, 54321, HELLO, strlen(HELLO));
    ext.n = 0;
    put8(&ext, IPPROTO_UDP_);
    put8(&ext, 0);
    putmem(&ext, (const uint8_t[]){0x01, 0x04, 0, 0, 0, 0}, 6);
    putmem(&ext, u.d, u.n);
    ipv6(&ip, 60, IP6_A, IP6_B, &ext);
    eth(&f, MAC_B, MAC_A, 0x86dd, &ip);
    out_frame(&o, &f);

    /* 4, 5: a UDP datagram of 8 + 100 bytes in two fragments: the first
     * carries the UDP header and 40 bytes, the second (offset 48) the rest. */
    uint8_t pl[100];
    for (size_t i = 0; i < sizeof pl; i++)
        pl[i] = (uint8_t)('A' + i % 26);
    udp6(&u, IP6_A, IP6_B, 40000, 54321, pl, sizeof pl);
    size_t cut = 48;
    for (int k = 0; k < 2; k++) {
        size_t off = k ? cut : 0, n = k ? u.n - cut : cut;
        ext.n = 0;
        put8(&ext, IPPROTO_UDP_);
        put8(&ext, 0);
        put16(&ext, (unsigned)(off / 8) << 3 | (k ? 0 : 1));   /* offset, M */
        put32(&ext, 0x0000abcd);                              /* identification */
        putmem(&ext, u.d + off, n);
        ipv6(&ip, 44, IP6_A, IP6_B, &ext);
        eth(&f, MAC_B, MAC_A, 0x86dd, &ip);
        out_frame(&o, &f);
    }
    out_close(&o);
}

/* The local end of a GRE tunnel: the SLL address of frames sent on it. */
static const uint8_t GRE_LOCAL[4] = {192, 0, 2, 1};

/* The cooked-capture address of a link: halen bytes of addr, zero-padded
 * to the field's 8. */
typedef struct sll_link {
    unsigned pkttype, hatype, halen;
    const uint8_t *addr;
    uint32_t ifindex; /* SLL2 only */
} sll_link;

/* On Ethernet, to us; on a GRE tunnel (ARPHRD_IPGRE 778), sent by us: a
 * 4-byte address, the tunnel's local IPv4 address, which is not a MAC. */
static const sll_link SLL_ETHER = {0, 1, 6, MAC_A, 2};
static const sll_link SLL_GRE = {4, 778, 4, GRE_LOCAL, 5};

static void sll_addr(buf *f, const sll_link *k)
{
    putmem(f, k->addr, k->halen);
    for (unsigned i = k->halen; i < 8; i++)
        put8(f, 0);
}

/* Linux cooked v1: packet type, ARPHRD, address length, address, protocol */
static void sll_frame(buf *f, const sll_link *k, const buf *ip)
{
    f->n = 0;
    put16(f, k->pkttype);
    put16(f, k->hatype);
    put16(f, k->halen);
    sll_addr(f, k);
    put16(f, 0x0800);
    putmem(f, ip->d, ip->n);
}

/* Linux cooked v2: protocol, reserved, ifindex, ARPHRD, packet type,
 * address length, address */
static void sll2_frame(buf *f, const sll_link *k, const buf *ip)
{
    f->n = 0;
    put16(f, 0x0800);
    put16(f, 0);
    put32(f, k->ifindex);
    put16(f, k->hatype);
    put8(f, k->pkttype);
    put8(f, k->halen);
    sll_addr(f, k);
    putmem(f, ip->d, ip->n);
}

static void fx_links(const char *dir)
{
    buf ip, f, ip6;
    out o;
    hello_ip4(&ip, 0x9001);

    out_open(&o, dir, "link-sll.pcap", DLT_LINUX_SLL, 262144, 0);
    sll_frame(&f, &SLL_ETHER, &ip);
    out_frame(&o, &f);
    sll_frame(&f, &SLL_GRE, &ip);
    out_frame(&o, &f);
    out_close(&o);

    out_open(&o, dir, "link-sll2.pcap", DLT_LINUX_SLL2, 262144, 0);
    sll2_frame(&f, &SLL_ETHER, &ip);
    out_frame(&o, &f);
    sll2_frame(&f, &SLL_GRE, &ip);
    out_frame(&o, &f);
    out_close(&o);

    /* BSD loopback: AF_INET (2) in the writing host's byte order (the file
     * header is in that order too), then once byte-swapped. */
    uint32_t fam = 2;
    uint8_t host[4], swapped[4];
    memcpy(host, &fam, 4);
    for (int i = 0; i < 4; i++)
        swapped[i] = host[3 - i];
    out_open(&o, dir, "link-null.pcap", DLT_NULL, 262144, 0);
    f.n = 0;
    putmem(&f, host, 4);
    putmem(&f, ip.d, ip.n);
    out_frame(&o, &f);
    f.n = 0;
    putmem(&f, swapped, 4);
    putmem(&f, ip.d, ip.n);
    out_frame(&o, &f);
    out_close(&o);

    /* OpenBSD loopback: the family in network byte order */
    f.n = 0;
    put32(&f, 2);
    putmem(&f, ip.d, ip.n);
    out_open(&o, dir, "link-loop.pcap", DLT_LOOP, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);

    /* Raw IP: the IPv4 packet, then the IPv6 one */
    hello_ip6(&ip6);
    out_open(&o, dir, "link-raw.pcap", DLT_RAW, 262144, 0);
    out_frame(&o, &ip);
    out_frame(&o, &ip6);
    out_close(&o);
}

/* ---- pcapng ---------------------------------------------------------------- */

/* Little-endian regardless of the host, so the file is the same everywhere. */
static void le16(buf *b, unsigned v)
{
    put8(b, v);
    put8(b, v >> 8);
}

static void le32(buf *b, uint32_t v)
{
    le16(b, v & 0xffff);
    le16(b, v >> 16);
}

static void ng_block(FILE *fp, const char *path, uint32_t type, const buf *body)
{
    buf blk;
    blk.n = 0;
    uint32_t total = (uint32_t)(12 + (body->n + 3) / 4 * 4);
    le32(&blk, type);
    le32(&blk, total);
    putmem(&blk, body->d, body->n);
    while ((blk.n & 3) != 0)
        put8(&blk, 0);
    le32(&blk, total);
    if (fwrite(blk.d, 1, blk.n, fp) != blk.n)
        die(path, strerror(errno));
}

static void fx_pcapng(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, "udp-tcp-pair.pcapng");
    FILE *fp = fopen(path, "wb");
    if (!fp)
        die(path, strerror(errno));
    buf b;

    /* Section header: byte-order magic, version 1.0, section length unknown */
    b.n = 0;
    le32(&b, 0x1a2b3c4d);
    le16(&b, 1);
    le16(&b, 0);
    le32(&b, 0xffffffff);
    le32(&b, 0xffffffff);
    le16(&b, 4);           /* shb_userappl */
    le16(&b, 10);
    putmem(&b, "mkfixtures", 10);
    put8(&b, 0);
    put8(&b, 0);
    le32(&b, 0);           /* opt_endofopt */
    ng_block(fp, path, 0x0a0d0d0a, &b);

    /* Interface description: Ethernet, snaplen 262144, if_tsresol 6 (µs) */
    b.n = 0;
    le16(&b, 1);
    le16(&b, 0);
    le32(&b, 262144);
    le16(&b, 9);           /* if_tsresol */
    le16(&b, 1);
    put8(&b, 6);
    put8(&b, 0);
    put8(&b, 0);
    put8(&b, 0);
    le32(&b, 0);
    ng_block(fp, path, 0x00000001, &b);

    buf fr[2];
    fx_udp_tcp_pair_frames(fr);
    for (unsigned i = 0; i < 2; i++) {
        uint64_t ts = (uint64_t)BASE_SEC * 1000000u + (uint64_t)i * 1000u;
        b.n = 0;
        le32(&b, 0);                         /* interface 0 */
        le32(&b, (uint32_t)(ts >> 32));
        le32(&b, (uint32_t)ts);
        le32(&b, (uint32_t)fr[i].n);         /* captured */
        le32(&b, (uint32_t)fr[i].n);         /* original */
        putmem(&b, fr[i].d, fr[i].n);
        while ((b.n & 3) != 0)
            put8(&b, 0);
        ng_block(fp, path, 0x00000006, &b);
    }
    if (fclose(fp) != 0)
        die(path, strerror(errno));
}

/* ---- edge cases ------------------------------------------------------------ */

static void fx_eth_padding(const char *dir)
{
    out o;
    buf f;
    out_open(&o, dir, "eth-padding.pcap", DLT_EN10MB, 262144, 0);
    tcpspec t = {.sport = 54321, .dport = 40002, .seq = 5001, .ack = 1017, .flags = F_ACK,
                 .window = 509};
    tcp_frame(&f, 0, 0xa001, &t);   /* 54 bytes */
    pad60(&f);
    out_frame(&o, &f);
    arp_frame(&f, 0);               /* 42 bytes */
    pad60(&f);
    out_frame(&o, &f);
    out_close(&o);
}

static void fx_eth_8023(const char *dir)
{
    /* IEEE 802.3 with a length field and LLC (DSAP/SSAP 0x42: spanning
     * tree), a configuration BPDU, padded to the 60-byte minimum. */
    static const uint8_t stp_mcast[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00};
    buf llc, f;
    llc.n = 0;
    put8(&llc, 0x42);
    put8(&llc, 0x42);
    put8(&llc, 0x03);      /* UI */
    put16(&llc, 0);        /* protocol id */
    put8(&llc, 0);         /* version */
    put8(&llc, 0);         /* configuration BPDU */
    put8(&llc, 0);         /* flags */
    put16(&llc, 0x8000);   /* root: priority 32768 */
    putmem(&llc, MAC_A, 6);
    put32(&llc, 0);        /* root path cost */
    put16(&llc, 0x8000);   /* bridge id */
    putmem(&llc, MAC_A, 6);
    put16(&llc, 0x8001);   /* port id */
    put16(&llc, 0);        /* message age */
    put16(&llc, 20 * 256); /* max age 20 s */
    put16(&llc, 2 * 256);  /* hello 2 s */
    put16(&llc, 15 * 256); /* forward delay 15 s */
    eth(&f, stp_mcast, MAC_A, (unsigned)llc.n, &llc);
    pad60(&f);
    out o;
    out_open(&o, dir, "eth-8023-llc.pcap", DLT_EN10MB, 262144, 0);
    out_frame(&o, &f);
    out_close(&o);
}

static void fx_snaplen(const char *dir)
{
    out o;
    buf u, ip, f;
    uint8_t pl[1000];
    for (size_t i = 0; i < sizeof pl; i++)
        pl[i] = (uint8_t)('a' + i % 26);
    out_open(&o, dir, "snaplen-64.pcap", DLT_EN10MB, 64, 0);
    udp4(&u, IP_A, IP_B, 40000, 54321, pl, 200);
    ip4spec s = {.id = 0xb001, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B};
    ipv4(&ip, &s, &u);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out_frame(&o, &f);
    static const uint8_t ts_opts[12] = {0x01, 0x01, 0x08, 0x0a, 0, 1, 0xe2, 0x41, 0, 0x0f, 0x42, 0x41};
    tcpspec t = {.sport = 40002, .dport = 54321, .seq = 1001, .ack = 5001,
                 .flags = F_PSH | F_ACK, .window = 502, .opts = ts_opts,
                 .optlen = sizeof ts_opts, .pl = pl, .plen = sizeof pl};
    tcp_frame(&f, 1, 0xb002, &t);
    out_frame(&o, &f);
    icmp_echo4(&f, 1, 0xb003);
    out_frame(&o, &f);
    out_close(&o);
}

static void fx_nanosecond(const char *dir)
{
    static const long ns[3] = {1, 123456789, 999999999};
    out o;
    out_open(&o, dir, "nanosecond.pcap", DLT_EN10MB, 262144, 1);
    for (int i = 0; i < 3; i++) {
        buf ip, f;
        hello_ip4(&ip, 0xc001 + (unsigned)i);
        eth_ip4(&f, MAC_B, MAC_A, &ip);
        out_frame_ts(&o, &f, ns[i]);
    }
    out_close(&o);
}

static void fx_bad(const char *dir)
{
    out o;
    buf u, ip, f;

    /* IHL 4 and IHL 3, header otherwise as usual (checksum over 20 bytes) */
    out_open(&o, dir, "bad-ipv4-ihl.pcap", DLT_EN10MB, 262144, 0);
    for (int ihl = 4; ihl >= 3; ihl--) {
        udp4(&u, IP_A, IP_B, 40000, 54321, HELLO, strlen(HELLO));
        ip4spec s = {.id = 0xd000 + (unsigned)ihl, .frag = DF, .proto = IPPROTO_UDP_,
                     .src = IP_A, .dst = IP_B, .ihl_override = ihl};
        ipv4(&ip, &s, &u);
        eth_ip4(&f, MAC_B, MAC_A, &ip);
        out_frame(&o, &f);
    }
    out_close(&o);

    /* total length 100 bytes beyond the frame */
    out_open(&o, dir, "bad-ipv4-total-len.pcap", DLT_EN10MB, 262144, 0);
    udp4(&u, IP_A, IP_B, 40000, 54321, HELLO, strlen(HELLO));
    ip4spec s = {.id = 0xd101, .frag = DF, .proto = IPPROTO_UDP_, .src = IP_A, .dst = IP_B,
                 .total_len_delta = 100};
    ipv4(&ip, &s, &u);
    eth_ip4(&f, MAC_B, MAC_A, &ip);
    out_frame(&o, &f);
    out_close(&o);

    /* TCP data offset 4 (16 bytes) on an otherwise plain 20-byte ACK */
    out_open(&o, dir, "bad-tcp-data-offset.pcap", DLT_EN10MB, 262144, 0);
    tcpspec t = {.sport = 40002, .dport = 54321, .seq = 1001, .ack = 5001, .flags = F_ACK,
                 .window = 502, .doff_override = 4};
    tcp_frame(&f, 1, 0xd201, &t);
    out_frame(&o, &f);
    out_close(&o);

    /* TCP options: one of length 0; one whose length runs past the header */
    static const uint8_t zero_len[8] = {0x02, 0x04, 0x05, 0xb4, 0x03, 0x00, 0x01, 0x00};
    static const uint8_t too_long[8] = {0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x08, 0x0a};
    out_open(&o, dir, "bad-tcp-option-len.pcap", DLT_EN10MB, 262144, 0);
    tcpspec t2 = {.sport = 40002, .dport = 54321, .seq = 1000, .flags = F_SYN,
                  .window = 64240, .opts = zero_len, .optlen = sizeof zero_len};
    tcp_frame(&f, 1, 0xd301, &t2);
    out_frame(&o, &f);
    t2.opts = too_long;
    t2.sport = 40003;   /* its own connection, not a retransmission */
    tcp_frame(&f, 1, 0xd302, &t2);
    out_frame(&o, &f);
    out_close(&o);

    /* UDP length 7 (below the 8-byte header), then 20 bytes beyond the IP
     * payload. The checksum is the one a sender would compute over the bytes
     * present (pseudo-header length = IP payload length) with the bad
     * length field in place, so only the length is wrong. */
    out_open(&o, dir, "bad-udp-length.pcap", DLT_EN10MB, 262144, 0);
    for (int k = 0; k < 2; k++) {
        udp(&u, 40000, 54321, HELLO, strlen(HELLO));
        set16(&u, 4, k ? (unsigned)u.n + 20 : 7);
        l4_csum(&u, 6, pseudo4(IP_A, IP_B, IPPROTO_UDP_, u.n), 1);
        ip4spec s3 = {.id = 0xd401 + (unsigned)k, .frag = DF, .proto = IPPROTO_UDP_,
                      .src = IP_A, .dst = IP_B};
        ipv4(&ip, &s3, &u);
        eth_ip4(&f, MAC_B, MAC_A, &ip);
        out_frame(&o, &f);
    }
    out_close(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: mkfixtures DIR   (writes the fixture captures into DIR)\n");
        return 2;
    }
    const char *dir = argv[1];
    fx_udp_tcp_pair(dir);
    fx_tcp_handshake(dir);
    fx_ipv4_options(dir);
    fx_ipv4_bad_checksum(dir);
    fx_udp_checksums(dir);
    fx_ipv4_fragments(dir);
    fx_icmp(dir);
    fx_icmp_kinds(dir);
    fx_arp(dir);
    fx_vlan(dir);
    fx_ipv6(dir);
    fx_links(dir);
    fx_pcapng(dir);
    fx_eth_padding(dir);
    fx_eth_8023(dir);
    fx_snaplen(dir);
    fx_nanosecond(dir);
    fx_bad(dir);
    return 0;
}
