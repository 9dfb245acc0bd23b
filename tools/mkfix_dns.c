/* mkfix_dns — the DNS fixtures in DIR, deterministically.
 *
 * Usage: mkfix_dns DIR
 *
 * dns-answers.pcap: queries and responses with questions, A, AAAA, CNAME, NS
 * and SOA records and compressed names, over IPv4 and IPv6. bad-dns.pcap:
 * one defect a frame (a pointer loop, a forward pointer, a label longer than
 * 63, a name over 255 bytes, names and records cut by the snap length, counts
 * far above the records there are, more records than wirepeel keeps, an A
 * record of 5 bytes). Every frame is Ethernet, IPv4 or IPv6, UDP (checksum
 * computed here) and the DNS message built byte by byte; frame n of a file is
 * stamped BASE_SEC + n ms. What each frame is: captures/README.md, sections
 * dns-answers.pcap and bad-dns.pcap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000L /* 2023-11-14T22:13:20Z */
#define MAXPKT 4096
#define FIX_PROG "mkfix_dns"
#include "fixbuf.h"
#include "fixpcap.h"

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t IP_C[4] = {192, 0, 2, 10};   /* the client */
static const uint8_t IP_S[4] = {192, 0, 2, 53};   /* the resolver */
static const uint8_t IP6_C[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x10};
static const uint8_t IP6_S[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x53};

enum { T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_AAAA = 28 };

/* ---- writer ------------------------------------------------------------ */

/* ---- frames -------------------------------------------------------------- */

/* The frame: Ethernet, IPv4 (or IPv6), UDP from sport to dport, then the
 * DNS message m. to_server: the client sends it. */
static void frame(buf *f, int v6, int to_server, unsigned sport, unsigned dport, const buf *m)
{
    buf u = {.n = 0};
    const uint8_t *src = v6 ? (to_server ? IP6_C : IP6_S) : (to_server ? IP_C : IP_S);
    const uint8_t *dst = v6 ? (to_server ? IP6_S : IP6_C) : (to_server ? IP_S : IP_C);
    put16(&u, sport);
    put16(&u, dport);
    put16(&u, (unsigned)(8 + m->n));
    put16(&u, 0);
    putmem(&u, m->d, m->n);
    l4_csum(&u, 6, v6 ? pseudo6(src, dst, 17, u.n) : pseudo4(src, dst, 17, u.n), 1);
    f->n = 0;
    putmem(f, to_server ? MAC_B : MAC_A, 6);
    putmem(f, to_server ? MAC_A : MAC_B, 6);
    put16(f, v6 ? 0x86dd : 0x0800);
    if (v6) {
        put32(f, 0x60000000u);
        put16(f, (unsigned)u.n);
        put8(f, 17);
        put8(f, 64);
        putmem(f, src, 16);
        putmem(f, dst, 16);
    } else {
        size_t ip = f->n;
        put8(f, 0x45);
        put8(f, 0);
        put16(f, (unsigned)(20 + u.n));
        put16(f, 0x0100 + (unsigned)(m->n & 0xff));
        put16(f, 0x4000);
        put8(f, 64);
        put8(f, 17);
        put16(f, 0);
        putmem(f, src, 4);
        putmem(f, dst, 4);
        set16(f, ip + 10, wp_csum_finish(wp_csum_add(0, f->d + ip, 20)));
    }
    putmem(f, u.d, u.n);
}

static void query_to(fixpcap *o, int v6, const buf *m)
{
    buf f;
    frame(&f, v6, 1, 40053, 53, m);
    fixpcap_write(o, f.d, f.n, 0);
}

static void reply_from(fixpcap *o, int v6, const buf *m, size_t caplen)
{
    buf f;
    frame(&f, v6, 0, 53, 40053, m);
    fixpcap_write(o, f.d, f.n, caplen);
}

/* ---- DNS messages ---------------------------------------------------------- */

static void hdr(buf *m, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns,
                unsigned ar)
{
    m->n = 0;
    put16(m, id);
    put16(m, flags);
    put16(m, qd);
    put16(m, an);
    put16(m, ns);
    put16(m, ar);
}

/* A name in wire form from dotted text ("www.example.com"; "" the root),
 * uncompressed. */
static void name(buf *m, const char *text)
{
    while (*text) {
        const char *dot = strchr(text, '.');
        size_t k = dot ? (size_t)(dot - text) : strlen(text);
        put8(m, (unsigned)k);
        putmem(m, text, k);
        text += k + (dot ? 1 : 0);
    }
    put8(m, 0);
}

static void ptr(buf *m, unsigned off)
{
    put16(m, 0xc000u | off);
}

static void question_tail(buf *m, unsigned type)
{
    put16(m, type);
    put16(m, 1);
}

/* A record's type, class IN, TTL and rdlength (its name already written). */
static void rr_tail(buf *m, unsigned type, uint32_t ttl, unsigned rdlen)
{
    put16(m, type);
    put16(m, 1);
    put32(m, ttl);
    put16(m, rdlen);
}

static void answers(const char *dir)
{
    fixpcap o;
    buf m;
    fixpcap_open(&o, dir, "dns-answers.pcap", DLT_EN10MB, 262144);

    /* 1: query 0x1a2b, RD: www.example.com A */
    hdr(&m, 0x1a2b, 0x0100, 1, 0, 0, 0);
    name(&m, "www.example.com"); /* at 12; example.com at 16 */
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 2: its response, QR RD RA: www.example.com CNAME web.example.com
     * (web + a pointer to example.com), web.example.com A 93.184.216.34,
     * web.example.com AAAA 2001:db8::34; authority example.com NS
     * ns1.example.com; additional ns1.example.com A 192.0.2.53 */
    hdr(&m, 0x1a2b, 0x8180, 1, 3, 1, 1);
    name(&m, "www.example.com");
    question_tail(&m, T_A);
    ptr(&m, 12);
    rr_tail(&m, T_CNAME, 3600, 6);
    size_t web = m.n;
    put8(&m, 3);
    putmem(&m, "web", 3);
    ptr(&m, 16);
    ptr(&m, (unsigned)web);
    rr_tail(&m, T_A, 300, 4);
    put8(&m, 93);
    put8(&m, 184);
    put8(&m, 216);
    put8(&m, 34);
    ptr(&m, (unsigned)web);
    rr_tail(&m, T_AAAA, 300, 16);
    static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x34};
    putmem(&m, a6, 16);
    ptr(&m, 16);
    rr_tail(&m, T_NS, 86400, 6);
    size_t ns1 = m.n;
    put8(&m, 3);
    putmem(&m, "ns1", 3);
    ptr(&m, 16);
    ptr(&m, (unsigned)ns1);
    rr_tail(&m, T_A, 86400, 4);
    putmem(&m, IP_S, 4);
    reply_from(&o, 0, &m, 0);

    /* 3: over IPv6, query 0x2b3c: example.org AAAA */
    hdr(&m, 0x2b3c, 0x0100, 1, 0, 0, 0);
    name(&m, "example.org");
    question_tail(&m, T_AAAA);
    query_to(&o, 1, &m);

    /* 4: its response: example.org AAAA 2001:db8::80, TTL 60 */
    hdr(&m, 0x2b3c, 0x8180, 1, 1, 0, 0);
    name(&m, "example.org");
    question_tail(&m, T_AAAA);
    ptr(&m, 12);
    rr_tail(&m, T_AAAA, 60, 16);
    static const uint8_t a6b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x80};
    putmem(&m, a6b, 16);
    reply_from(&o, 1, &m, 0);

    /* 5: query 0x3c4d: nothere.example.com A */
    hdr(&m, 0x3c4d, 0x0100, 1, 0, 0, 0);
    name(&m, "nothere.example.com");
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 6: its response, NXDOMAIN (rcode 3), AA: authority example.com SOA
     * (its rdata shown as bytes: mname, rname, five numbers) */
    hdr(&m, 0x3c4d, 0x8583, 1, 0, 1, 0);
    name(&m, "nothere.example.com"); /* example.com at 20 */
    question_tail(&m, T_A);
    ptr(&m, 20);
    size_t rdl = m.n + 8;
    rr_tail(&m, T_SOA, 900, 0);
    size_t rd0 = m.n;
    put8(&m, 3);
    putmem(&m, "ns1", 3);
    ptr(&m, 20);
    put8(&m, 10);
    putmem(&m, "hostmaster", 10);
    ptr(&m, 20);
    put32(&m, 2026120701);
    put32(&m, 7200);
    put32(&m, 3600);
    put32(&m, 1209600);
    put32(&m, 300);
    set16(&m, rdl, (unsigned)(m.n - rd0));
    reply_from(&o, 0, &m, 0);

    /* 7: query 0x4d5e for the root's NS (the name is the root: one 0 byte) */
    hdr(&m, 0x4d5e, 0x0100, 1, 0, 0, 0);
    name(&m, "");
    question_tail(&m, T_NS);
    query_to(&o, 0, &m);

    fixpcap_close(&o);
}

static void bad(const char *dir)
{
    fixpcap o;
    buf m;
    fixpcap_open(&o, dir, "bad-dns.pcap", DLT_EN10MB, 262144);

    /* 1: the question's name is a pointer to itself (offset 12) */
    hdr(&m, 0x0001, 0x0100, 1, 0, 0, 0);
    ptr(&m, 12);
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 2: a loop through a label: "a" then a pointer back to the "a" */
    hdr(&m, 0x0002, 0x0100, 1, 0, 0, 0);
    put8(&m, 1);
    put8(&m, 'a');
    ptr(&m, 12);
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 3: a forward pointer: the question's name points at offset 18, past
     * itself (where a name does sit: tshark would follow it, RFC 1035 and
     * wirepeel do not) */
    hdr(&m, 0x0003, 0x0100, 1, 0, 0, 0);
    ptr(&m, 18);
    question_tail(&m, T_A);
    name(&m, "example.com");
    query_to(&o, 0, &m);

    /* 4: a label length byte 0x50 (80: over 63, the top bits 01) */
    hdr(&m, 0x0004, 0x0100, 1, 0, 0, 0);
    put8(&m, 0x50);
    for (int i = 0; i < 0x50; i++)
        put8(&m, 'x');
    put8(&m, 0);
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 5: a name over 255 bytes: five labels of 60 */
    hdr(&m, 0x0005, 0x0100, 1, 0, 0, 0);
    for (int k = 0; k < 5; k++) {
        put8(&m, 60);
        for (int i = 0; i < 60; i++)
            put8(&m, (unsigned)('a' + k));
    }
    put8(&m, 0);
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 6: the snap length cuts the question's name: captured up to 4 bytes
     * into it (14 + 20 + 8 + 12 + 4 = 58 of the frame's bytes) */
    hdr(&m, 0x0006, 0x0100, 1, 0, 0, 0);
    name(&m, "www.example.com");
    question_tail(&m, T_A);
    {
        buf f;
        frame(&f, 0, 1, 40053, 53, &m);
        fixpcap_write(&o, f.d, f.n, 58);
    }

    /* 7: counts far above the records there are: 65535 questions and
     * 65535 answers promised, one question present */
    hdr(&m, 0x0007, 0x0100, 0xffff, 0xffff, 0, 0);
    name(&m, "example.com");
    question_tail(&m, T_A);
    query_to(&o, 0, &m);

    /* 8: the snap length cuts the second answer: the question and the first
     * answer stay decoded (14 + 20 + 8 + 29 + 16 + 6 = 93 bytes captured) */
    hdr(&m, 0x0008, 0x8180, 1, 2, 0, 0);
    name(&m, "www.example.com");
    question_tail(&m, T_A);
    ptr(&m, 12);
    rr_tail(&m, T_A, 300, 4);
    putmem(&m, IP_S, 4);
    ptr(&m, 12);
    rr_tail(&m, T_A, 300, 4);
    putmem(&m, IP_C, 4);
    reply_from(&o, 0, &m, 93);

    /* 9: 34 questions (many.example.com A, then 33 whose names point to
     * it), more than the 32 records wirepeel keeps a message; questions,
     * 6 bytes each, keep the frame short for the snap-length sweep */
    hdr(&m, 0x0009, 0x0100, 34, 0, 0, 0);
    name(&m, "many.example.com");
    question_tail(&m, T_A);
    for (unsigned i = 0; i < 33; i++) {
        ptr(&m, 12);
        question_tail(&m, i % 2 ? T_AAAA : T_A);
    }
    query_to(&o, 0, &m);

    /* 10: an A record whose rdlength is 5 (an address has 4 bytes) */
    hdr(&m, 0x000a, 0x8180, 1, 1, 0, 0);
    name(&m, "www.example.com");
    question_tail(&m, T_A);
    ptr(&m, 12);
    rr_tail(&m, T_A, 300, 5);
    putmem(&m, IP_S, 4);
    put8(&m, 0);
    reply_from(&o, 0, &m, 0);

    fixpcap_close(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_dns DIR\n");
        return 2;
    }
    answers(argv[1]);
    bad(argv[1]);
    return 0;
}
