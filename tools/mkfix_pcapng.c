/* mkfix_pcapng — craft the pcapng fixtures that libpcap refuses or misreads
 * and that wirepeel's own pcapng reader (src/capture/pcapng.c) must read as
 * tshark does. Usage: mkfix_pcapng DIR. Every block is built byte by byte,
 * in the byte order its section declares; running it twice gives the same
 * bytes. captures/README.md says what each file holds.
 *
 *   pcapng-two-links.pcapng    two interfaces, Ethernet and raw IP, one section
 *   pcapng-sections.pcapng     a little-endian section, then a big-endian one
 *                              with a simple packet block; unknown blocks
 *   pcapng-tsresol.pcapng      if_tsresol 10^-3 and 2^-10, an if_tsoffset
 *   pcapng-caplen-over-len.pcapng  a record claiming more captured than sent
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000ULL /* 2023-11-14T22:13:20Z */
#define MAXB 4096

typedef struct buf {
    uint8_t d[MAXB];
    size_t n;
    int big; /* multi-byte block fields in big-endian order */
} buf;

static void die(const char *what)
{
    fprintf(stderr, "mkfix_pcapng: %s\n", what);
    exit(1);
}

static void p8(buf *b, unsigned v)
{
    if (b->n >= MAXB)
        die("block too large");
    b->d[b->n++] = (uint8_t)v;
}

static void pmem(buf *b, const void *p, size_t n)
{
    if (n > MAXB - b->n)
        die("block too large");
    if (n)
        memcpy(b->d + b->n, p, n);
    b->n += n;
}

/* block fields: in the section's order */
static void f16(buf *b, unsigned v)
{
    if (b->big) {
        p8(b, v >> 8);
        p8(b, v & 0xff);
    } else {
        p8(b, v & 0xff);
        p8(b, v >> 8);
    }
}

static void f32(buf *b, uint32_t v)
{
    if (b->big) {
        f16(b, v >> 16);
        f16(b, v & 0xffff);
    } else {
        f16(b, v & 0xffff);
        f16(b, v >> 16);
    }
}

/* network fields: always big-endian */
static void n16(buf *b, unsigned v)
{
    p8(b, v >> 8);
    p8(b, v & 0xff);
}

/* ---- frames ---------------------------------------------------------------- */

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};

/* IPv4 + UDP carrying text, with correct checksums. */
static void ip_udp(buf *f, unsigned id, unsigned sport, const char *text)
{
    size_t plen = strlen(text), ulen = 8 + plen, tot = 20 + ulen;
    size_t ip0 = f->n;
    n16(f, 0x4500);
    n16(f, (unsigned)tot);
    n16(f, id);
    n16(f, 0x4000);
    p8(f, 64);
    p8(f, 17);
    n16(f, 0);
    pmem(f, IP_A, 4);
    pmem(f, IP_B, 4);
    uint16_t c = wp_csum_finish(wp_csum_add(0, f->d + ip0, 20));
    f->d[ip0 + 10] = (uint8_t)(c >> 8);
    f->d[ip0 + 11] = (uint8_t)c;
    size_t u0 = f->n;
    n16(f, sport);
    n16(f, 54321);
    n16(f, (unsigned)ulen);
    n16(f, 0);
    pmem(f, text, plen);
    uint32_t s = wp_csum_add(0, IP_A, 4);
    s = wp_csum_add(s, IP_B, 4);
    s = wp_csum_add16(s, 17);
    s = wp_csum_add16(s, (uint16_t)ulen);
    s = wp_csum_add(s, f->d + u0, ulen);
    c = wp_csum_finish(s);
    if (c == 0)
        c = 0xffff;
    f->d[u0 + 6] = (uint8_t)(c >> 8);
    f->d[u0 + 7] = (uint8_t)c;
}

static void eth_frame(buf *f, unsigned id, unsigned sport, const char *text)
{
    f->n = 0;
    pmem(f, MAC_B, 6);
    pmem(f, MAC_A, 6);
    n16(f, 0x0800);
    ip_udp(f, id, sport, text);
}

static void raw_frame(buf *f, unsigned id, unsigned sport, const char *text)
{
    f->n = 0;
    ip_udp(f, id, sport, text);
}

/* ---- blocks ---------------------------------------------------------------- */

/* Close block b (its type already at 0, length placeholder at 4): pad the
 * body to 4 bytes, write the total length at both ends. */
static void finish(buf *b)
{
    while (b->n % 4)
        p8(b, 0);
    uint32_t len = (uint32_t)b->n + 4;
    buf t = {.big = b->big};
    f32(&t, len);
    memcpy(b->d + 4, t.d, 4);
    f32(b, len);
}

static void emit(FILE *fp, const buf *b)
{
    if (fwrite(b->d, 1, b->n, fp) != b->n)
        die("write failed");
}

static void shb(FILE *fp, int big)
{
    buf b = {.big = big};
    f32(&b, 0x0A0D0D0A);
    f32(&b, 0);
    f32(&b, 0x1A2B3C4D);
    f16(&b, 1);
    f16(&b, 0);
    f32(&b, 0xffffffff);
    f32(&b, 0xffffffff);
    finish(&b);
    emit(fp, &b);
}

static void opt(buf *b, unsigned code, const void *v, size_t n)
{
    f16(b, code);
    f16(b, (unsigned)n);
    pmem(b, v, n);
    while (b->n % 4)
        p8(b, 0);
}

/* tsresol < 0: no if_tsresol option; tsoffset 0: none */
static void idb(FILE *fp, int big, unsigned linktype, const char *name, int tsresol,
                int64_t tsoffset)
{
    buf b = {.big = big};
    f32(&b, 1);
    f32(&b, 0);
    f16(&b, linktype);
    f16(&b, 0);
    f32(&b, 262144);
    if (name)
        opt(&b, 2, name, strlen(name));
    if (tsresol >= 0) {
        uint8_t r = (uint8_t)tsresol;
        opt(&b, 9, &r, 1);
    }
    if (tsoffset) {
        buf o = {.big = big};
        uint64_t u = (uint64_t)tsoffset;
        if (big) {
            f32(&o, (uint32_t)(u >> 32));
            f32(&o, (uint32_t)u);
        } else {
            f32(&o, (uint32_t)u);
            f32(&o, (uint32_t)(u >> 32));
        }
        opt(&b, 14, o.d, 8);
    }
    f16(&b, 0);
    f16(&b, 0);
    finish(&b);
    emit(fp, &b);
}

static void epb(FILE *fp, int big, uint32_t ifid, uint64_t ts, const buf *frame, uint32_t len)
{
    buf b = {.big = big};
    f32(&b, 6);
    f32(&b, 0);
    f32(&b, ifid);
    f32(&b, (uint32_t)(ts >> 32));
    f32(&b, (uint32_t)ts);
    f32(&b, (uint32_t)frame->n);
    f32(&b, len);
    pmem(&b, frame->d, frame->n);
    finish(&b);
    emit(fp, &b);
}

static void spb(FILE *fp, int big, const buf *frame)
{
    buf b = {.big = big};
    f32(&b, 3);
    f32(&b, 0);
    f32(&b, (uint32_t)frame->n);
    pmem(&b, frame->d, frame->n);
    finish(&b);
    emit(fp, &b);
}

/* A block of a type nobody defines, and a name resolution block: readers
 * skip both. */
static void unknown(FILE *fp, int big, uint32_t type)
{
    buf b = {.big = big};
    f32(&b, type);
    f32(&b, 0);
    pmem(&b, "wirepeel skips this", 19);
    finish(&b);
    emit(fp, &b);
}

static void nrb(FILE *fp, int big)
{
    buf b = {.big = big};
    f32(&b, 4);
    f32(&b, 0);
    f16(&b, 1); /* nrb_record_ipv4 */
    f16(&b, 4 + 11);
    pmem(&b, IP_B, 4);
    pmem(&b, "server.lab", 11);
    while (b.n % 4)
        p8(&b, 0);
    f16(&b, 0);
    f16(&b, 0);
    finish(&b);
    emit(fp, &b);
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        die(path);
    return fp;
}

static void done(FILE *fp)
{
    if (fclose(fp) != 0)
        die("close failed");
}

#define US(s, us) (((BASE_SEC) + (s)) * 1000000ULL + (us))

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_pcapng DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    buf f = {0};

    /* Two interfaces of different link types in one section. */
    FILE *fp = open_out(dir, "pcapng-two-links.pcapng");
    shb(fp, 0);
    idb(fp, 0, 1, "eth0", -1, 0);
    idb(fp, 0, 101, "tun0", -1, 0);
    eth_frame(&f, 0x6101, 40000, "over ethernet");
    epb(fp, 0, 0, US(0, 0), &f, (uint32_t)f.n);
    raw_frame(&f, 0x6102, 40001, "over tun, raw IP");
    epb(fp, 0, 1, US(0, 1000), &f, (uint32_t)f.n);
    eth_frame(&f, 0x6103, 40002, "ethernet again");
    epb(fp, 0, 0, US(0, 2000), &f, (uint32_t)f.n);
    done(fp);

    /* Two sections in different byte orders; a simple packet block and
     * blocks to skip. */
    fp = open_out(dir, "pcapng-sections.pcapng");
    shb(fp, 0);
    idb(fp, 0, 1, "eth0", -1, 0);
    nrb(fp, 0);
    eth_frame(&f, 0x6201, 40000, "section one, little-endian");
    epb(fp, 0, 0, US(1, 0), &f, (uint32_t)f.n);
    unknown(fp, 0, 0x00000BADu);
    eth_frame(&f, 0x6202, 40001, "section one again");
    epb(fp, 0, 0, US(1, 500), &f, (uint32_t)f.n);
    shb(fp, 1);
    idb(fp, 1, 101, "tun0", -1, 0);
    raw_frame(&f, 0x6203, 40002, "section two, big-endian");
    epb(fp, 1, 0, US(2, 0), &f, (uint32_t)f.n);
    unknown(fp, 1, 0x40000BADu);
    raw_frame(&f, 0x6204, 40003, "a simple packet block");
    spb(fp, 1, &f);
    done(fp);

    /* Timestamp resolutions and an offset. */
    fp = open_out(dir, "pcapng-tsresol.pcapng");
    shb(fp, 0);
    idb(fp, 0, 1, "milli", 3, 0);
    idb(fp, 0, 1, "binary", 0x80 | 10, 0);
    idb(fp, 0, 1, "offset", 9, (int64_t)BASE_SEC);
    eth_frame(&f, 0x6301, 40000, "milliseconds");
    epb(fp, 0, 0, (BASE_SEC + 3) * 1000ULL + 250, &f, (uint32_t)f.n);
    eth_frame(&f, 0x6302, 40001, "1/1024 s");
    epb(fp, 0, 1, ((BASE_SEC + 3) << 10) + 512, &f, (uint32_t)f.n);
    eth_frame(&f, 0x6303, 40002, "offset by if_tsoffset");
    epb(fp, 0, 2, 3ULL * 1000000000ULL + 750000000ULL, &f, (uint32_t)f.n);
    done(fp);

    /* A record whose captured length exceeds its original length. */
    fp = open_out(dir, "pcapng-caplen-over-len.pcapng");
    shb(fp, 0);
    idb(fp, 0, 1, "eth0", -1, 0);
    /* the IP packet fits the 55 bytes on the wire; the record holds 10
     * more (0xee), which only the captured length claims */
    eth_frame(&f, 0x6401, 40000, "more than sent");
    uint32_t wire = (uint32_t)f.n;
    for (int i = 0; i < 10; i++)
        p8(&f, 0xee);
    epb(fp, 0, 0, US(4, 0), &f, wire);
    done(fp);
    return 0;
}
