/* mkfix_reasm — the reassembly fixtures (issue 14) in DIR, deterministically.
 *
 * Usage: mkfix_reasm DIR
 *
 * TCP streams for `wirepeel follow` (an exchange both ways; a gap the
 * receiver acknowledged and one nobody did; retransmissions with the same
 * and with other bytes; segments out of order) and IP fragments for the
 * reassembler (IPv4 in order, reversed, overlapping, interleaved, one
 * missing, a fragmented TCP segment; IPv6 in order and reversed). Every
 * frame is built byte by byte with its checksums computed here and written
 * with libpcap; frame n of a file is stamped BASE_SEC + n ms. What each
 * frame is: captures/README.md, sections reasm-*. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000L /* 2023-11-14T22:13:20Z */
#define MAXPKT 4096
#define FIX_PROG "mkfix_reasm"
#include "fixbuf.h"
#include "fixpcap.h"

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

enum { P_TCP = 6, P_UDP = 17, P_FRAG6 = 44 };
enum { F_FIN = 0x01, F_SYN = 0x02, F_PSH = 0x08, F_ACK = 0x10 };

/* ---- writer ---------------------------------------------------------------- */

/* ---- layers ------------------------------------------------------------------ */

/* A UDP datagram (header and payload) with its checksum over all of it. */
static void udp_dgram(buf *out, int v6, const uint8_t *src, const uint8_t *dst, const void *pl,
                      size_t plen)
{
    out->n = 0;
    put16(out, 40000);
    put16(out, 54321);
    put16(out, (unsigned)(8 + plen));
    put16(out, 0);
    putmem(out, pl, plen);
    l4_csum(out, 6, v6 ? pseudo6(src, dst, P_UDP, out->n) : pseudo4(src, dst, P_UDP, out->n), 1);
}

typedef struct tcpseg {
    unsigned sport, dport;
    uint32_t seq, ack;
    unsigned flags;
    const char *pl;
    size_t plen;
} tcpseg;

static void tcp_seg(buf *out, const uint8_t *src, const uint8_t *dst, const tcpseg *t)
{
    out->n = 0;
    put16(out, t->sport);
    put16(out, t->dport);
    put32(out, t->seq);
    put32(out, t->ack);
    put16(out, 5u << 12 | t->flags);
    put16(out, 64240);
    put16(out, 0);
    put16(out, 0);
    putmem(out, t->pl, t->plen);
    l4_csum(out, 16, pseudo4(src, dst, P_TCP, out->n), 0);
}

/* IPv4 header (no options) in front of data; frag = flags and offset word. */
static void ipv4(buf *out, unsigned id, unsigned frag, unsigned proto, const uint8_t *src,
                 const uint8_t *dst, const uint8_t *data, size_t n)
{
    out->n = 0;
    put8(out, 0x45);
    put8(out, 0);
    put16(out, (unsigned)(20 + n));
    put16(out, id);
    put16(out, frag);
    put8(out, 64);
    put8(out, proto);
    put16(out, 0);
    putmem(out, src, 4);
    putmem(out, dst, 4);
    set16(out, 10, wp_csum_finish(wp_csum_add(0, out->d, 20)));
    putmem(out, data, n);
}

static void eth(buf *f, int from_a, unsigned type, const buf *pl)
{
    f->n = 0;
    putmem(f, from_a ? MAC_B : MAC_A, 6);
    putmem(f, from_a ? MAC_A : MAC_B, 6);
    put16(f, type);
    putmem(f, pl->d, pl->n);
    while (f->n < 60)
        put8(f, 0);
}

/* One TCP frame from A (the client) or B. */
static void tcp_frame(fixpcap *o, int from_a, unsigned id, const tcpseg *t)
{
    buf seg, ip, f;
    const uint8_t *src = from_a ? IP_A : IP_B, *dst = from_a ? IP_B : IP_A;
    tcpseg s = *t;
    if (!from_a) {
        s.sport = t->dport;
        s.dport = t->sport;
    }
    tcp_seg(&seg, src, dst, &s);
    ipv4(&ip, id, 0x4000, P_TCP, src, dst, seg.d, seg.n);
    eth(&f, from_a, 0x0800, &ip);
    fixpcap_write(o, f.d, f.n, 0);
}

/* ---- TCP streams ------------------------------------------------------------------ */

/* A handshake on client port cport; ISNs ca (client) and sa (server). */
static void handshake(fixpcap *o, unsigned cport, uint32_t ca, uint32_t sa, unsigned *id)
{
    tcp_frame(o, 1, (*id)++, &(tcpseg){cport, 80, ca, 0, F_SYN, NULL, 0});
    tcp_frame(o, 0, (*id)++, &(tcpseg){cport, 80, sa, ca + 1, F_SYN | F_ACK, NULL, 0});
    tcp_frame(o, 1, (*id)++, &(tcpseg){cport, 80, ca + 1, sa + 1, F_ACK, NULL, 0});
}

#define SEG(from, cport, seq, ack, fl, text)                                                    \
    tcp_frame(&o, from, id++, &(tcpseg){cport, 80, seq, ack, fl, text, sizeof text - 1})

static void fx_tcp_exchange(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "reasm-tcp-exchange.pcap", DLT_EN10MB, 262144);
    unsigned id = 0x2001;
    const uint32_t C = 1000, S = 5000;
    handshake(&o, 41000, C, S, &id);
    SEG(1, 41000, C + 1, S + 1, F_PSH | F_ACK, "GET /notes HTTP/1.0\r\n");
    SEG(1, 41000, C + 22, S + 1, F_PSH | F_ACK, "Host: course\r\n\r\n");
    SEG(0, 41000, S + 1, C + 38, F_ACK, "");
    SEG(0, 41000, S + 1, C + 38, F_PSH | F_ACK, "HTTP/1.0 200 OK\r\n\r\n");
    SEG(0, 41000, S + 20, C + 38, F_PSH | F_ACK, "TCP is a stream, ");
    SEG(0, 41000, S + 37, C + 38, F_PSH | F_ACK, "UDP is datagrams.\n");
    SEG(1, 41000, C + 38, S + 55, F_ACK, "");
    SEG(1, 41000, C + 38, S + 55, F_FIN | F_ACK, "");
    SEG(0, 41000, S + 55, C + 39, F_FIN | F_ACK, "");
    SEG(1, 41000, C + 39, S + 56, F_ACK, "");
    fixpcap_close(&o);
}

static void fx_tcp_gaps(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "reasm-tcp-gaps.pcap", DLT_EN10MB, 262144);
    unsigned id = 0x2101;
    /* stream 0: bytes 11..20 never captured, the server acknowledges 31 */
    handshake(&o, 41001, 100, 900, &id);
    SEG(1, 41001, 101, 901, F_PSH | F_ACK, "first ten.");
    SEG(1, 41001, 121, 901, F_PSH | F_ACK, "third ten.");
    SEG(0, 41001, 901, 131, F_ACK, "");
    SEG(1, 41001, 131, 901, F_PSH | F_ACK, "after gap\n");
    SEG(0, 41001, 901, 141, F_ACK, "");
    /* stream 1: bytes 11..20 never captured, and nobody acknowledges past
     * them: the server keeps acknowledging 11 (tshark drops the rest) */
    handshake(&o, 41002, 200, 700, &id);
    SEG(1, 41002, 201, 701, F_PSH | F_ACK, "first ten.");
    SEG(0, 41002, 701, 211, F_ACK, "");
    SEG(1, 41002, 221, 701, F_PSH | F_ACK, "third ten.");
    SEG(0, 41002, 701, 211, F_ACK, "");
    SEG(1, 41002, 231, 701, F_PSH | F_ACK, "fourth ten");
    SEG(0, 41002, 701, 211, F_ACK, "");
    fixpcap_close(&o);
}

static void fx_tcp_retrans(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "reasm-tcp-retrans.pcap", DLT_EN10MB, 262144);
    unsigned id = 0x2201;
    /* stream 0: the same bytes sent twice */
    handshake(&o, 41003, 300, 600, &id);
    SEG(1, 41003, 301, 601, F_PSH | F_ACK, "once only\n");
    SEG(1, 41003, 301, 601, F_PSH | F_ACK, "once only\n");
    SEG(0, 41003, 601, 311, F_ACK, "");
    SEG(1, 41003, 311, 601, F_PSH | F_ACK, "then more\n");
    SEG(0, 41003, 601, 321, F_ACK, "");
    /* stream 1: the retransmission carries other bytes; and one that
     * overlaps the end of the first copy and goes on */
    handshake(&o, 41004, 400, 500, &id);
    SEG(1, 41004, 401, 501, F_PSH | F_ACK, "pay 10 EUR");
    SEG(1, 41004, 401, 501, F_PSH | F_ACK, "pay 99 EUR");
    SEG(1, 41004, 406, 501, F_PSH | F_ACK, "0 EUR now\n");
    SEG(0, 41004, 501, 416, F_ACK, "");
    /* stream 2: segments out of order (2 before 1, then 3) */
    handshake(&o, 41005, 800, 300, &id);
    SEG(1, 41005, 811, 301, F_PSH | F_ACK, "second\n");
    SEG(1, 41005, 801, 301, F_PSH | F_ACK, "first one\n");
    SEG(1, 41005, 818, 301, F_PSH | F_ACK, "third\n");
    SEG(0, 41005, 301, 824, F_ACK, "");
    fixpcap_close(&o);
}

/* ---- IP fragments ------------------------------------------------------------------ */

/* A pattern payload of n bytes starting at letter c. */
static void pattern(uint8_t *p, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(c + (char)(i % 26));
}

/* The IPv4 fragment [off, off+n) of datagram d as one frame from A. */
static void frag4(fixpcap *o, unsigned id, unsigned proto, const buf *d, size_t off, size_t n, int more)
{
    buf ip, f;
    unsigned word = (unsigned)(off / 8) | (more ? 0x2000u : 0u);
    ipv4(&ip, id, word, proto, IP_A, IP_B, d->d + off, n);
    eth(&f, 1, 0x0800, &ip);
    fixpcap_write(o, f.d, f.n, 0);
}

static void fx_ipv4_frags(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "reasm-ipv4-frags.pcap", DLT_EN10MB, 262144);
    uint8_t pl[2000];
    buf d;
    /* frames 1-3: 1200 bytes of UDP in order, 3 fragments (0, 400, 800) */
    pattern(pl, 1192, 'a');
    udp_dgram(&d, 0, IP_A, IP_B, pl, 1192);
    frag4(&o, 0x3001, P_UDP, &d, 0, 400, 1);
    frag4(&o, 0x3001, P_UDP, &d, 400, 400, 1);
    frag4(&o, 0x3001, P_UDP, &d, 800, 400, 0);
    /* frames 4-6: the same sizes reversed: the first fragment completes it */
    pattern(pl, 1192, 'A');
    udp_dgram(&d, 0, IP_A, IP_B, pl, 1192);
    frag4(&o, 0x3002, P_UDP, &d, 800, 400, 0);
    frag4(&o, 0x3002, P_UDP, &d, 400, 400, 1);
    frag4(&o, 0x3002, P_UDP, &d, 0, 400, 1);
    /* frames 7-9: overlapping: 0..399, then 392..799 whose first 8 bytes
     * differ from the first copy, then 792..1199 (8 bytes overlap, same) */
    pattern(pl, 1192, 'k');
    udp_dgram(&d, 0, IP_A, IP_B, pl, 1192);
    frag4(&o, 0x3003, P_UDP, &d, 0, 400, 1);
    {
        buf alt = d;
        memset(alt.d + 392, '#', 8);
        frag4(&o, 0x3003, P_UDP, &alt, 392, 408, 1);
    }
    frag4(&o, 0x3003, P_UDP, &d, 792, 408, 0);
    /* frames 10-11: one missing: 0..399 and 800..1199, never 400..799 */
    pattern(pl, 1192, 'q');
    udp_dgram(&d, 0, IP_A, IP_B, pl, 1192);
    frag4(&o, 0x3004, P_UDP, &d, 0, 400, 1);
    frag4(&o, 0x3004, P_UDP, &d, 800, 400, 0);
    /* frames 12-15: two datagrams interleaved (ids 0x3005 and 0x3006) */
    buf d2;
    pattern(pl, 792, 'm');
    udp_dgram(&d, 0, IP_A, IP_B, pl, 792);
    pattern(pl, 792, 'M');
    udp_dgram(&d2, 0, IP_A, IP_B, pl, 792);
    frag4(&o, 0x3005, P_UDP, &d, 0, 400, 1);
    frag4(&o, 0x3006, P_UDP, &d2, 0, 400, 1);
    frag4(&o, 0x3006, P_UDP, &d2, 400, 400, 0);
    frag4(&o, 0x3005, P_UDP, &d, 400, 400, 0);
    /* frames 16-17: a TCP segment (a SYN-less data segment, 1000 bytes of
     * data) in 2 fragments */
    {
        static char text[1000];
        for (size_t i = 0; i < sizeof text; i++)
            text[i] = (char)('0' + i % 10);
        tcpseg t = {42000, 80, 7000, 8000, F_PSH | F_ACK, text, sizeof text};
        tcp_seg(&d, IP_A, IP_B, &t);
        frag4(&o, 0x3007, P_TCP, &d, 0, 512, 1);
        frag4(&o, 0x3007, P_TCP, &d, 512, d.n - 512, 0);
    }
    fixpcap_close(&o);
}

/* The IPv6 fragment [off, off+n) of datagram d (next header nh) from A. */
static void frag6(fixpcap *o, uint32_t id, const buf *d, size_t off, size_t n, int more)
{
    buf ip, f;
    ip.n = 0;
    put32(&ip, 0x60000000u);
    put16(&ip, (unsigned)(8 + n));
    put8(&ip, P_FRAG6);
    put8(&ip, 64);
    putmem(&ip, IP6_A, 16);
    putmem(&ip, IP6_B, 16);
    put8(&ip, P_UDP);
    put8(&ip, 0);
    put16(&ip, (unsigned)(off / 8) << 3 | (more ? 1u : 0u));
    put32(&ip, id);
    putmem(&ip, d->d + off, n);
    eth(&f, 1, 0x86dd, &ip);
    fixpcap_write(o, f.d, f.n, 0);
}

static void fx_ipv6_frags(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "reasm-ipv6-frags.pcap", DLT_EN10MB, 262144);
    uint8_t pl[1600];
    buf d;
    /* frames 1-3: 1400 bytes of UDP in 3 fragments, in order */
    pattern(pl, 1392, 'a');
    udp_dgram(&d, 1, IP6_A, IP6_B, pl, 1392);
    frag6(&o, 0x00c0ffee, &d, 0, 512, 1);
    frag6(&o, 0x00c0ffee, &d, 512, 512, 1);
    frag6(&o, 0x00c0ffee, &d, 1024, 376, 0);
    /* frames 4-5: 600 bytes reversed */
    pattern(pl, 592, 'N');
    udp_dgram(&d, 1, IP6_A, IP6_B, pl, 592);
    frag6(&o, 0x00c0fff0, &d, 304, 296, 0);
    frag6(&o, 0x00c0fff0, &d, 0, 304, 1);
    fixpcap_close(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_reasm DIR\n");
        return 2;
    }
    fx_tcp_exchange(argv[1]);
    fx_tcp_gaps(argv[1]);
    fx_tcp_retrans(argv[1]);
    fx_ipv4_frags(argv[1]);
    fx_ipv6_frags(argv[1]);
    return 0;
}
