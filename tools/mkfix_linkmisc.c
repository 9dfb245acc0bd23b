/* mkfix_linkmisc — the fixtures for SCTP, the link types C-HDLC, NFLOG,
 * IPv4 and IPv6, the IPv6 Home Address option, TCP options cut by the snap
 * length, and VXLAN on a port only --decode-as names. Usage: mkfix_linkmisc
 * DIR. Every frame is built byte by byte with its checksums computed here
 * (but where a frame is about a bad one); frame n of a file is stamped
 * BASE_SEC + n ms. Deterministic. captures/README.md, sections linkmisc-*,
 * says what each frame is.
 *
 *   linkmisc-sctp.pcap          SCTP over IPv4/IPv6 in Ethernet: INIT,
 *                               INIT-ACK, COOKIE-ECHO+DATA, SACK, bad CRC,
 *                               chunk length 0, chunk beyond the packet
 *   linkmisc-chdlc.pcap         LINKTYPE_C_HDLC: IPv4 ICMP, IPv6 UDP, SLARP
 *   linkmisc-nflog.pcap         LINKTYPE_NFLOG: IPv4 UDP, IPv6 TCP, a bad TLV
 *   linkmisc-ipv4.pcap          LINKTYPE_IPV4: a UDP datagram, an SCTP packet
 *   linkmisc-ipv6.pcap          LINKTYPE_IPV6: a UDP datagram, ICMPv6 echo
 *   linkmisc-links.pcapng       one pcapng with C-HDLC, NFLOG, IPv4 and IPv6
 *                               interfaces, a frame on each
 *   linkmisc-homeaddr.pcap      IPv6 with a Home Address destination option:
 *                               UDP, TCP and ICMPv6 summed over the home address
 *   linkmisc-tcpopts-cut.pcap   TCP SYNs whose option area the snap length cut
 *   linkmisc-vxlan-port.pcap    VXLAN on UDP 8472 (not 4789)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000L /* 2023-11-14T22:13:20Z */
#define MAXPKT 4096
#define FIX_PROG "mkfix_linkmisc"
#include "fixbuf.h"
#include "fixpcap.h"

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
/* the mobile node: at a care-of address, its home address in the option */
static const uint8_t IP6_COA[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x77, [15] = 0x10};
static const uint8_t IP6_HOME[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x01, [15] = 0x99};

enum { P_ICMP = 1, P_TCP = 6, P_UDP = 17, P_DSTOPTS = 60, P_ICMP6 = 58, P_SCTP = 132 };

/* ---- pcap writer ------------------------------------------------------ */

/* ---- layers --------------------------------------------------------------- */

static void ipv4(buf *out, unsigned proto, const uint8_t *src, const uint8_t *dst,
                 const buf *data)
{
    out->n = 0;
    put8(out, 0x45);
    put8(out, 0);
    put16(out, (unsigned)(20 + data->n));
    put16(out, 0x1234);
    put16(out, 0x4000); /* DF */
    put8(out, 64);
    put8(out, proto);
    put16(out, 0);
    putmem(out, src, 4);
    putmem(out, dst, 4);
    set16(out, 10, wp_csum_finish(wp_csum_add(0, out->d, 20)));
    putmem(out, data->d, data->n);
}

static void ipv6(buf *out, unsigned nh, const uint8_t *src, const uint8_t *dst, const buf *data)
{
    out->n = 0;
    put32(out, 0x60000000u);
    put16(out, (unsigned)data->n);
    put8(out, nh);
    put8(out, 64);
    putmem(out, src, 16);
    putmem(out, dst, 16);
    putmem(out, data->d, data->n);
}

static void eth(buf *f, unsigned type, const buf *pl)
{
    f->n = 0;
    putmem(f, MAC_B, 6);
    putmem(f, MAC_A, 6);
    put16(f, type);
    putmem(f, pl->d, pl->n);
    while (f->n < 60)
        put8(f, 0);
}

static void udp(buf *out, unsigned sport, unsigned dport, const void *pl, size_t n, uint32_t ps)
{
    out->n = 0;
    put16(out, sport);
    put16(out, dport);
    put16(out, (unsigned)(8 + n));
    put16(out, 0);
    putmem(out, pl, n);
    l4_csum(out, 6, ps + 0, 1);
}

/* A UDP datagram's pseudo-header sum needs its length: 8 + n. */
static void udp4(buf *out, unsigned sport, unsigned dport, const void *pl, size_t n)
{
    udp(out, sport, dport, pl, n, pseudo4(IP_A, IP_B, P_UDP, 8 + n));
}

static void udp6(buf *out, const uint8_t *src, const uint8_t *dst, unsigned sport,
                 unsigned dport, const void *pl, size_t n)
{
    udp(out, sport, dport, pl, n, pseudo6(src, dst, P_UDP, 8 + n));
}

/* A TCP SYN from sport with the option bytes opt[0, on) (on a multiple of 4). */
static void tcp_syn(buf *out, unsigned sport, const uint8_t *opt, size_t on, uint32_t ps_no_len)
{
    out->n = 0;
    put16(out, sport);
    put16(out, 80);
    put32(out, 1000);
    put32(out, 0);
    put16(out, (unsigned)((5 + on / 4) << 12 | 0x002));
    put16(out, 64240);
    put16(out, 0);
    put16(out, 0);
    putmem(out, opt, on);
    l4_csum(out, 16, wp_csum_add16(ps_no_len, (uint16_t)out->n), 0);
}

static void icmp6_echo(buf *out, const uint8_t *src, const uint8_t *dst)
{
    static const char pl[] = "ping";
    out->n = 0;
    put8(out, 128);
    put8(out, 0);
    put16(out, 0);
    put16(out, 0x4242);
    put16(out, 1);
    putmem(out, pl, 4);
    set16(out, 2,
          wp_csum_finish(wp_csum_add(pseudo6(src, dst, P_ICMP6, out->n), out->d, out->n)));
}

static void icmp4_echo(buf *out)
{
    static const char pl[] = "abcdefgh";
    out->n = 0;
    put8(out, 8);
    put8(out, 0);
    put16(out, 0);
    put16(out, 0x0101);
    put16(out, 1);
    putmem(out, pl, 8);
    set16(out, 2, wp_csum_finish(wp_csum_add(0, out->d, out->n)));
}

/* ---- SCTP ------------------------------------------------------------------- */

/* CRC32c, bit by bit (RFC 9260 appendix A): a different code path from the
 * decoder's nibble table, so the fixture checks it. */
static uint32_t crc32c(const uint8_t *b, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= b[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1u)));
    }
    return ~c;
}

/* Fill in the checksum of the SCTP packet s (least significant byte first). */
static void sctp_csum(buf *s)
{
    memset(s->d + 8, 0, 4);
    uint32_t c = crc32c(s->d, s->n);
    s->d[8] = (uint8_t)c;
    s->d[9] = (uint8_t)(c >> 8);
    s->d[10] = (uint8_t)(c >> 16);
    s->d[11] = (uint8_t)(c >> 24);
}

static void sctp_common(buf *s, unsigned sport, unsigned dport, uint32_t vtag)
{
    s->n = 0;
    put16(s, sport);
    put16(s, dport);
    put32(s, vtag);
    put32(s, 0);
}

/* A chunk: type, flags, value bytes; padded to 4 bytes. */
static void chunk(buf *s, unsigned type, unsigned flags, const buf *val)
{
    put8(s, type);
    put8(s, flags);
    put16(s, (unsigned)(4 + val->n));
    putmem(s, val->d, val->n);
    while (s->n % 4)
        put8(s, 0);
}

static void init_val(buf *v, uint32_t itag, uint32_t tsn, int with_cookie)
{
    v->n = 0;
    put32(v, itag);
    put32(v, 106496); /* a_rwnd */
    put16(v, 10);     /* outbound streams */
    put16(v, 65535);  /* inbound streams */
    put32(v, tsn);
    /* IPv4 address parameter (5) */
    put16(v, 5);
    put16(v, 8);
    putmem(v, IP_A, 4);
    if (with_cookie) { /* state cookie (7), 12 bytes of opaque state */
        put16(v, 7);
        put16(v, 16);
        for (unsigned i = 0; i < 12; i++)
            put8(v, 0xc0 + i);
    }
}

static void data_val(buf *v, uint32_t tsn, unsigned sid, unsigned ssn, uint32_t ppid,
                     const char *text)
{
    v->n = 0;
    put32(v, tsn);
    put16(v, sid);
    put16(v, ssn);
    put32(v, ppid);
    putmem(v, text, strlen(text));
}

static void sctp4_frame(fixpcap *o, int from_a, const buf *s)
{
    buf ip, f;
    ipv4(&ip, P_SCTP, from_a ? IP_A : IP_B, from_a ? IP_B : IP_A, s);
    eth(&f, 0x0800, &ip);
    fixpcap_write(o, f.d, f.n, 0);
}

static void write_sctp(const char *dir)
{
    fixpcap o;
    buf s, v, ip, f;
    fixpcap_open(&o, dir, "linkmisc-sctp.pcap", DLT_EN10MB, 262144);
    /* 1: INIT (vtag 0, as RFC 9260 wants on an INIT) */
    sctp_common(&s, 40001, 40002, 0);
    init_val(&v, 0x11111111u, 100, 0);
    chunk(&s, 1, 0, &v);
    sctp_csum(&s);
    sctp4_frame(&o, 1, &s);
    /* 2: INIT-ACK with a state cookie */
    sctp_common(&s, 40002, 40001, 0x11111111u);
    init_val(&v, 0x22222222u, 900, 1);
    chunk(&s, 2, 0, &v);
    sctp_csum(&s);
    sctp4_frame(&o, 0, &s);
    /* 3: COOKIE-ECHO and DATA bundled */
    sctp_common(&s, 40001, 40002, 0x22222222u);
    v.n = 0;
    for (unsigned i = 0; i < 12; i++)
        put8(&v, 0xc0 + i);
    chunk(&s, 10, 0, &v);
    data_val(&v, 100, 0, 0, 0, "hello, sctp"); /* PPID 0: unspecified */
    chunk(&s, 0, 0x03, &v);                     /* B and E: one whole message */
    sctp_csum(&s);
    sctp4_frame(&o, 1, &s);
    /* 4: COOKIE-ACK and SACK */
    sctp_common(&s, 40002, 40001, 0x11111111u);
    v.n = 0;
    chunk(&s, 11, 0, &v);
    put32(&v, 100); /* cumulative TSN ack */
    put32(&v, 106496);
    put16(&v, 0);
    put16(&v, 0);
    chunk(&s, 3, 0, &v);
    sctp_csum(&s);
    sctp4_frame(&o, 0, &s);
    /* 5: DATA with a wrong checksum */
    sctp_common(&s, 40001, 40002, 0x22222222u);
    data_val(&v, 101, 1, 0, 0, "bad crc");
    chunk(&s, 0, 0x03, &v);
    sctp_csum(&s);
    s.d[8] ^= 0x5a;
    sctp4_frame(&o, 1, &s);
    /* 6: a HEARTBEAT, then a chunk whose length is 0 (no way to step on) */
    sctp_common(&s, 40001, 40002, 0x22222222u);
    v.n = 0;
    put16(&v, 1); /* heartbeat info parameter */
    put16(&v, 8);
    put32(&v, 0xabcdef01u);
    chunk(&s, 4, 0, &v);
    put8(&s, 0);
    put8(&s, 0);
    put16(&s, 0);
    put32(&s, 0);
    sctp_csum(&s);
    sctp4_frame(&o, 1, &s);
    /* 7: a DATA chunk claiming 200 bytes in a 36-byte packet */
    sctp_common(&s, 40001, 40002, 0x22222222u);
    data_val(&v, 102, 0, 1, 0, "short");
    chunk(&s, 0, 0x03, &v);
    set16(&s, 14, 200);
    sctp_csum(&s);
    sctp4_frame(&o, 1, &s);
    /* 8: over IPv6: DATA on stream 3 and a SHUTDOWN bundled */
    sctp_common(&s, 40001, 40002, 0x22222222u);
    data_val(&v, 103, 3, 7, 0, "over ipv6");
    chunk(&s, 0, 0x03, &v);
    v.n = 0;
    put32(&v, 900);
    chunk(&s, 7, 0, &v);
    sctp_csum(&s);
    ipv6(&ip, P_SCTP, IP6_A, IP6_B, &s);
    eth(&f, 0x86dd, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    fixpcap_close(&o);
}

/* ---- link types ---------------------------------------------------------- */

static void chdlc(buf *f, unsigned addr, unsigned proto, const buf *pl)
{
    f->n = 0;
    put8(f, addr);
    put8(f, 0);
    put16(f, proto);
    putmem(f, pl->d, pl->n);
}

static void frame_icmp4(buf *ip)
{
    buf ic;
    icmp4_echo(&ic);
    ipv4(ip, P_ICMP, IP_A, IP_B, &ic);
}

static void frame_udp6(buf *ip)
{
    buf u;
    static const char q[] = "hello over ipv6";
    udp6(&u, IP6_A, IP6_B, 40000, 7, q, sizeof q - 1);
    ipv6(ip, P_UDP, IP6_A, IP6_B, &u);
}

static void write_chdlc(const char *dir)
{
    fixpcap o;
    buf ip, f, sl;
    fixpcap_open(&o, dir, "linkmisc-chdlc.pcap", DLT_C_HDLC, 262144);
    frame_icmp4(&ip);
    chdlc(&f, 0x0f, 0x0800, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    frame_udp6(&ip);
    chdlc(&f, 0x0f, 0x86dd, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    /* SLARP keepalive (0x8035): code 2, my sequence, your sequence, reliability */
    sl.n = 0;
    put32(&sl, 2);
    put32(&sl, 7);
    put32(&sl, 6);
    put16(&sl, 0xffff);
    chdlc(&f, 0x8f, 0x8035, &sl);
    fixpcap_write(&o, f.d, f.n, 0);
    fixpcap_close(&o);
}

/* NFLOG TLVs: length and type little-endian, padded to 4 bytes. */
static void tlv(buf *f, unsigned type, const void *v, size_t n)
{
    put8(f, (unsigned)((4 + n) & 0xff));
    put8(f, (unsigned)((4 + n) >> 8));
    put8(f, type & 0xff);
    put8(f, type >> 8);
    putmem(f, v, n);
    while (f->n % 4)
        put8(f, 0);
}

static void nflog(buf *f, unsigned family, unsigned hwproto, const char *prefix, const buf *pl)
{
    uint8_t hdr[4] = {(uint8_t)(hwproto >> 8), (uint8_t)hwproto, 1 /* hook: input */, 0};
    uint8_t ifi[4] = {0, 0, 0, 2};
    f->n = 0;
    put8(f, family);
    put8(f, 0);
    put16(f, 5); /* resource id: the NFLOG group */
    tlv(f, 1, hdr, 4);
    tlv(f, 10, prefix, strlen(prefix) + 1);
    tlv(f, 4, ifi, 4);
    tlv(f, 9, pl->d, pl->n);
}

static void write_nflog(const char *dir)
{
    fixpcap o;
    buf ip, f, u, t;
    static const char q[] = "logged";
    fixpcap_open(&o, dir, "linkmisc-nflog.pcap", DLT_NFLOG, 262144);
    udp4(&u, 40000, 53000, q, sizeof q - 1);
    ipv4(&ip, P_UDP, IP_A, IP_B, &u);
    nflog(&f, 2, 0x0800, "in-udp", &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    static const uint8_t opt[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};
    tcp_syn(&t, 40000, opt, sizeof opt,
            wp_csum_add16(wp_csum_add(wp_csum_add(0, IP6_A, 16), IP6_B, 16), P_TCP));
    ipv6(&ip, P_TCP, IP6_A, IP6_B, &t);
    nflog(&f, 10, 0x86dd, "in-tcp6", &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    /* a TLV whose length (2) is below its own 4-byte header */
    f.n = 0;
    put8(&f, 2);
    put8(&f, 0);
    put16(&f, 5);
    put8(&f, 2);
    put8(&f, 0);
    put8(&f, 10);
    put8(&f, 0);
    put32(&f, 0);
    fixpcap_write(&o, f.d, f.n, 0);
    fixpcap_close(&o);
}

static void write_rawip(const char *dir)
{
    fixpcap o;
    buf ip, u, s, v;
    static const char q[] = "raw ipv4";
    fixpcap_open(&o, dir, "linkmisc-ipv4.pcap", DLT_IPV4, 262144);
    udp4(&u, 40000, 7, q, sizeof q - 1);
    ipv4(&ip, P_UDP, IP_A, IP_B, &u);
    fixpcap_write(&o, ip.d, ip.n, 0);
    sctp_common(&s, 40003, 40004, 0x33333333u);
    data_val(&v, 7, 0, 0, 0, "raw ip");
    chunk(&s, 0, 0x03, &v);
    sctp_csum(&s);
    ipv4(&ip, P_SCTP, IP_A, IP_B, &s);
    fixpcap_write(&o, ip.d, ip.n, 0);
    fixpcap_close(&o);
    fixpcap_open(&o, dir, "linkmisc-ipv6.pcap", DLT_IPV6, 262144);
    frame_udp6(&ip);
    fixpcap_write(&o, ip.d, ip.n, 0);
    icmp6_echo(&u, IP6_A, IP6_B);
    ipv6(&ip, P_ICMP6, IP6_A, IP6_B, &u);
    fixpcap_write(&o, ip.d, ip.n, 0);
    fixpcap_close(&o);
}

/* ---- pcapng with four link types ------------------------------------------- */

static void le16(buf *b, unsigned v)
{
    put8(b, v & 0xff);
    put8(b, v >> 8);
}

static void le32(buf *b, uint32_t v)
{
    le16(b, v & 0xffff);
    le16(b, v >> 16);
}

static void write_links_pcapng(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/linkmisc-links.pcapng", dir);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        die(path, "cannot create");
    buf b;
    /* section header block */
    b.n = 0;
    le32(&b, 0x0a0d0d0a);
    le32(&b, 28);
    le32(&b, 0x1a2b3c4d);
    le16(&b, 1);
    le16(&b, 0);
    le32(&b, 0xffffffffu);
    le32(&b, 0xffffffffu);
    le32(&b, 28);
    static const unsigned links[4] = {DLT_C_HDLC, DLT_NFLOG, DLT_IPV4, DLT_IPV6};
    for (unsigned i = 0; i < 4; i++) { /* interface description blocks */
        le32(&b, 1);
        le32(&b, 20);
        le16(&b, links[i]);
        le16(&b, 0);
        le32(&b, 262144);
        le32(&b, 20);
    }
    if (fwrite(b.d, 1, b.n, fp) != b.n)
        die(path, "write failed");
    buf ip, f, u;
    for (unsigned i = 0; i < 4; i++) {
        switch (i) {
        case 0:
            frame_icmp4(&ip);
            chdlc(&f, 0x0f, 0x0800, &ip);
            break;
        case 1: {
            static const char q[] = "pcapng nflog";
            udp4(&u, 40000, 53000, q, sizeof q - 1);
            ipv4(&ip, P_UDP, IP_A, IP_B, &u);
            nflog(&f, 2, 0x0800, "ng", &ip);
            break;
        }
        case 2:
            frame_icmp4(&f);
            break;
        default:
            frame_udp6(&f);
            break;
        }
        /* enhanced packet block, microsecond timestamps */
        uint64_t ts = (uint64_t)BASE_SEC * 1000000u + i * 1000u;
        size_t pad = (4 - f.n % 4) % 4;
        b.n = 0;
        le32(&b, 6);
        le32(&b, (uint32_t)(32 + f.n + pad));
        le32(&b, i);
        le32(&b, (uint32_t)(ts >> 32));
        le32(&b, (uint32_t)ts);
        le32(&b, (uint32_t)f.n);
        le32(&b, (uint32_t)f.n);
        putmem(&b, f.d, f.n);
        for (size_t k = 0; k < pad; k++)
            put8(&b, 0);
        le32(&b, (uint32_t)(32 + f.n + pad));
        if (fwrite(b.d, 1, b.n, fp) != b.n)
            die(path, "write failed");
    }
    if (fclose(fp) != 0)
        die(path, "write failed");
}

/* ---- IPv6 Home Address --------------------------------------------------------- */

/* A destination options header (next header nh) with one Home Address
 * option (type 201, 16 bytes) after 4 bytes of PadN: 24 bytes. */
static void dstopts_home(buf *out, unsigned nh, const buf *upper)
{
    out->n = 0;
    put8(out, nh);
    put8(out, 2); /* (2 + 1) x 8 = 24 bytes */
    put8(out, 1); /* PadN, 2 bytes of zeros: the address starts 8-byte aligned + 6 */
    put8(out, 2);
    put16(out, 0);
    put8(out, 201);
    put8(out, 16);
    putmem(out, IP6_HOME, 16);
    putmem(out, upper->d, upper->n);
}

static void write_homeaddr(const char *dir)
{
    fixpcap o;
    buf up, d, ip, f;
    static const char q[] = "from home";
    fixpcap_open(&o, dir, "linkmisc-homeaddr.pcap", DLT_EN10MB, 262144);
    /* 1: UDP from the care-of address, summed over the home address */
    udp6(&up, IP6_HOME, IP6_B, 40000, 7, q, sizeof q - 1);
    dstopts_home(&d, P_UDP, &up);
    ipv6(&ip, P_DSTOPTS, IP6_COA, IP6_B, &d);
    eth(&f, 0x86dd, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    /* 2: a TCP SYN the same way */
    static const uint8_t opt[] = {2, 4, 0x05, 0xa0};
    tcp_syn(&up, 40000, opt, sizeof opt,
            wp_csum_add16(wp_csum_add(wp_csum_add(0, IP6_HOME, 16), IP6_B, 16), P_TCP));
    dstopts_home(&d, P_TCP, &up);
    ipv6(&ip, P_DSTOPTS, IP6_COA, IP6_B, &d);
    eth(&f, 0x86dd, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    /* 3: ICMPv6 echo request the same way */
    icmp6_echo(&up, IP6_HOME, IP6_B);
    dstopts_home(&d, P_ICMP6, &up);
    ipv6(&ip, P_DSTOPTS, IP6_COA, IP6_B, &d);
    eth(&f, 0x86dd, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    /* 4: UDP summed over the care-of address instead: bad, as the RFC reads */
    udp6(&up, IP6_COA, IP6_B, 40000, 7, q, sizeof q - 1);
    dstopts_home(&d, P_UDP, &up);
    ipv6(&ip, P_DSTOPTS, IP6_COA, IP6_B, &d);
    eth(&f, 0x86dd, &ip);
    fixpcap_write(&o, f.d, f.n, 0);
    fixpcap_close(&o);
}

/* ---- TCP options cut by the snap length ---------------------------------------- */

static void write_tcpopts_cut(const char *dir)
{
    fixpcap o;
    buf t, ip, f;
    /* MSS, SACK permitted, timestamps, NOP, window scale: 20 option bytes */
    static const uint8_t opt[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
                                  0, 0, 0, 0, 1, 3, 3, 7};
    uint32_t ps = wp_csum_add16(wp_csum_add(wp_csum_add(0, IP_A, 4), IP_B, 4), P_TCP);
    fixpcap_open(&o, dir, "linkmisc-tcpopts-cut.pcap", DLT_EN10MB, 262144);
    /* each from its own source port: five connections, no retransmissions */
    static const size_t cut[5] = {
        14 + 20 + 20 + 10, /* 1: inside the timestamps: MSS and SACK permitted whole */
        14 + 20 + 20 + 16, /* 2: after the timestamps, before the NOP */
        14 + 20 + 20 + 19, /* 3: inside the window scale (its kind and length there) */
        14 + 20 + 20 + 1,  /* 4: after the first option's kind byte only */
        0,                 /* 5: whole, for comparison */
    };
    for (unsigned i = 0; i < 5; i++) {
        tcp_syn(&t, 40000 + i, opt, sizeof opt, ps);
        ipv4(&ip, P_TCP, IP_A, IP_B, &t);
        eth(&f, 0x0800, &ip);
        fixpcap_write(&o, f.d, f.n, cut[i]);
    }
    fixpcap_close(&o);
}

/* ---- VXLAN on a port only --decode-as names ------------------------------------ */

static void write_vxlan_port(const char *dir)
{
    fixpcap o;
    buf ic, ip, in, vx, u, f;
    fixpcap_open(&o, dir, "linkmisc-vxlan-port.pcap", DLT_EN10MB, 262144);
    frame_icmp4(&ip);
    in.n = 0; /* the inner Ethernet frame */
    putmem(&in, MAC_B, 6);
    putmem(&in, MAC_A, 6);
    put16(&in, 0x0800);
    putmem(&in, ip.d, ip.n);
    vx.n = 0;
    put8(&vx, 0x08);
    put8(&vx, 0);
    put16(&vx, 0);
    put32(&vx, 4242u << 8);
    putmem(&vx, in.d, in.n);
    /* 8472: the port Linux used for VXLAN before IANA gave it 4789 */
    udp4(&u, 49152, 8472, vx.d, vx.n);
    ipv4(&ic, P_UDP, IP_A, IP_B, &u);
    eth(&f, 0x0800, &ic);
    fixpcap_write(&o, f.d, f.n, 0);
    fixpcap_close(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_linkmisc DIR\n");
        return 2;
    }
    write_sctp(argv[1]);
    write_chdlc(argv[1]);
    write_nflog(argv[1]);
    write_rawip(argv[1]);
    write_links_pcapng(argv[1]);
    write_homeaddr(argv[1]);
    write_tcpopts_cut(argv[1]);
    write_vxlan_port(argv[1]);
    return 0;
}
