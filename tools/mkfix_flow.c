/* mkfix_flow — craft the conversation fixtures (issue 13) in DIR.
 *
 * Usage: mkfix_flow DIR
 *
 * Each capture shows one case of TCP analysis or request–reply pairing, as
 * tshark defines them; captures/README.md says what each frame shows. Every
 * frame is built here byte by byte (Ethernet, IPv4 or IPv6, TCP/UDP/ICMP
 * with good checksums, fixed addresses and timestamps) and written with
 * libpcap's pcap_dump, so running it twice gives the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "wirepeel/checksum.h"

#define BASE_SEC 1700000000L /* 2023-11-14T22:13:20Z */
#define MAXPKT 2048
#define FIX_PROG "mkfix_flow"
#include "fixbuf.h"

/* ---- the capture being written ------------------------------------------ */

typedef struct out {
    pcap_t *p;
    pcap_dumper_t *d;
    const char *path;
} out;

static void out_open(out *o, const char *dir, const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    o->path = path;
    o->p = pcap_open_dead(DLT_EN10MB, 65535);
    if (!o->p)
        die(path, "pcap_open_dead failed");
    o->d = pcap_dump_open(o->p, path);
    if (!o->d)
        die(path, pcap_geterr(o->p));
}

static void out_close(out *o)
{
    pcap_dump_close(o->d);
    pcap_close(o->p);
}

/* a frame at BASE_SEC + us microseconds */
static void emit(out *o, long long us, const buf *f)
{
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = BASE_SEC + us / 1000000;
    h.ts.tv_usec = us % 1000000;
    h.caplen = h.len = (bpf_u_int32)f->n;
    pcap_dump((u_char *)o->d, &h, f->d);
}

/* ---- Ethernet / IPv4 / IPv6 ------------------------------------------- */

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

static unsigned ip_id = 0x1000;

/* Ethernet + IPv4 (or IPv6) from A (from_a) or B, around l4 (proto). The
 * transport checksum at l4 offset csum_off is filled in over the
 * pseudo-header. */
static void ip_frame(buf *f, int v6, int from_a, unsigned proto, buf *l4, size_t csum_off)
{
    const uint8_t *s4 = from_a ? IP_A : IP_B, *d4 = from_a ? IP_B : IP_A;
    const uint8_t *s6 = from_a ? IP6_A : IP6_B, *d6 = from_a ? IP6_B : IP6_A;
    /* pseudo-header sum */
    uint32_t sum = 0;
    if (v6) {
        sum = wp_csum_add(sum, s6, 16);
        sum = wp_csum_add(sum, d6, 16);
        sum = wp_csum_add16(sum, (uint16_t)(l4->n >> 16));
        sum = wp_csum_add16(sum, (uint16_t)(l4->n & 0xffff));
        sum = wp_csum_add16(sum, (uint16_t)proto);
    } else if (proto != 1) {
        sum = wp_csum_add(sum, s4, 4);
        sum = wp_csum_add(sum, d4, 4);
        sum = wp_csum_add16(sum, (uint16_t)proto);
        sum = wp_csum_add16(sum, (uint16_t)l4->n);
    }
    l4->d[csum_off] = l4->d[csum_off + 1] = 0;
    uint16_t c = wp_csum_finish(wp_csum_add(sum, l4->d, l4->n));
    if (proto == 17 && c == 0)
        c = 0xffff;
    l4->d[csum_off] = (uint8_t)(c >> 8);
    l4->d[csum_off + 1] = (uint8_t)c;

    f->n = 0;
    putmem(f, from_a ? MAC_B : MAC_A, 6);
    putmem(f, from_a ? MAC_A : MAC_B, 6);
    put16(f, v6 ? 0x86dd : 0x0800);
    if (v6) {
        put32(f, 0x60000000u);
        put16(f, (unsigned)l4->n);
        put8(f, proto);
        put8(f, 64);
        putmem(f, s6, 16);
        putmem(f, d6, 16);
    } else {
        size_t h = f->n;
        put8(f, 0x45);
        put8(f, 0);
        put16(f, (unsigned)(20 + l4->n));
        put16(f, ip_id++ & 0xffff);
        put16(f, 0x4000);
        put8(f, 64);
        put8(f, proto);
        put16(f, 0);
        putmem(f, s4, 4);
        putmem(f, d4, 4);
        uint16_t ic = wp_csum_finish(wp_csum_add(0, f->d + h, 20));
        f->d[h + 10] = (uint8_t)(ic >> 8);
        f->d[h + 11] = (uint8_t)ic;
    }
    putmem(f, l4->d, l4->n);
}

/* ---- TCP ---------------------------------------------------------------- */

enum { F = 0x01, S = 0x02, R = 0x04, P = 0x08, A = 0x10 };

typedef struct tcpconn {
    out *o;
    int v6;
    unsigned cport, sport; /* client (A) and server (B) ports */
    int wscale_c, wscale_s; /* -1: no option in the SYN */
} tcpconn;

/* one segment: from the client (A) or the server (B) */
static void seg(tcpconn *c, long long us, int from_client, uint32_t seq, uint32_t ack,
                unsigned flags, unsigned win, size_t len)
{
    buf t = {.n = 0};
    put16(&t, from_client ? c->cport : c->sport);
    put16(&t, from_client ? c->sport : c->cport);
    put32(&t, seq);
    put32(&t, ack);
    size_t hl = 20;
    int ws = from_client ? c->wscale_c : c->wscale_s;
    int opts = (flags & S) != 0;
    if (opts)
        hl = 20 + 4 + (ws >= 0 ? 4 : 0); /* mss, then nop + wscale */
    put8(&t, (unsigned)(hl / 4) << 4);
    put8(&t, flags);
    put16(&t, win);
    put16(&t, 0);
    put16(&t, 0);
    if (opts) {
        put8(&t, 2);
        put8(&t, 4);
        put16(&t, 1460);
        if (ws >= 0) {
            put8(&t, 1);
            put8(&t, 3);
            put8(&t, 3);
            put8(&t, (unsigned)ws);
        }
    }
    for (size_t i = 0; i < len; i++)
        put8(&t, 'a' + (unsigned)((seq + i) % 26));
    buf f;
    ip_frame(&f, c->v6, from_client, 6, &t, 16);
    emit(c->o, us, &f);
}

/* handshake, a request and its answer, teardown; window scale 7 both ways */
static void fx_basic(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-basic.pcap");
    tcpconn c = {&o, 0, 40100, 80, 7, 7};
    uint32_t ci = 1000, si = 5000;
    seg(&c, 0, 1, ci, 0, S, 64240, 0);
    seg(&c, 10000, 0, si, ci + 1, S | A, 65160, 0);
    seg(&c, 20100, 1, ci + 1, si + 1, A, 502, 0);
    seg(&c, 20200, 1, ci + 1, si + 1, P | A, 502, 100);
    seg(&c, 30200, 0, si + 1, ci + 101, A, 509, 0);
    seg(&c, 30300, 0, si + 1, ci + 101, P | A, 509, 300);
    seg(&c, 40300, 1, ci + 101, si + 301, A, 500, 0);
    seg(&c, 50000, 1, ci + 101, si + 301, F | A, 500, 0);
    seg(&c, 60000, 0, si + 301, ci + 102, F | A, 509, 0);
    seg(&c, 70000, 1, ci + 102, si + 302, A, 500, 0);
    out_close(&o);
}

/* the capture starts in the middle: no SYNs, window unscaled; the client
 * ACKs before the server's first segment is seen; over IPv6 */
static void fx_midstream(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-midstream.pcap");
    tcpconn c = {&o, 1, 40200, 443, -1, -1};
    uint32_t cs = 3000000000u, ss = 123456789u;
    seg(&c, 0, 1, cs, ss, A, 501, 0);
    seg(&c, 1000, 0, ss, cs, P | A, 235, 200);
    seg(&c, 2000, 1, cs, ss + 200, P | A, 501, 50);
    seg(&c, 3000, 0, ss + 200, cs + 50, A, 235, 0);
    out_close(&o);
}

/* the initial sequence numbers sit just below 2^32: the data wraps */
static void fx_wrap(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-seq-wrap.pcap");
    tcpconn c = {&o, 0, 40300, 8080, -1, -1};
    uint32_t ci = 0xfffffff0u, si = 0xffffff00u;
    seg(&c, 0, 1, ci, 0, S, 29200, 0);
    seg(&c, 1000, 0, si, ci + 1, S | A, 28960, 0);
    seg(&c, 2000, 1, ci + 1, si + 1, A, 29200, 0);
    seg(&c, 2100, 1, ci + 1, si + 1, P | A, 29200, 40);   /* crosses 2^32 */
    seg(&c, 3100, 0, si + 1, ci + 41, A, 28960, 0);
    seg(&c, 3200, 1, ci + 41, si + 1, P | A, 29200, 40);
    seg(&c, 4200, 0, si + 1, ci + 81, P | A, 28960, 400); /* crosses 2^32 */
    seg(&c, 5200, 1, ci + 81, si + 401, A, 29200, 0);
    out_close(&o);
}

/* the first SYN goes unanswered and is sent again a second later */
static void fx_syn_retrans(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-syn-retrans.pcap");
    tcpconn c = {&o, 0, 40400, 22, 2, 3};
    uint32_t ci = 77777, si = 999999;
    seg(&c, 0, 1, ci, 0, S, 64240, 0);
    seg(&c, 1000000, 1, ci, 0, S, 64240, 0);
    seg(&c, 1012000, 0, si, ci + 1, S | A, 65160, 0);
    seg(&c, 1024000, 1, ci + 1, si + 1, A, 16060, 0);
    seg(&c, 1024100, 1, ci + 1, si + 1, P | A, 16060, 20);
    seg(&c, 1036000, 0, si + 1, ci + 21, A, 8145, 0);
    out_close(&o);
}

/* five segments; the 2nd is not captured: the receiver ACKs the hole
 * three times and the sender fast-retransmits within 20 ms */
static void fx_fast_retrans(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-fast-retrans.pcap");
    tcpconn c = {&o, 0, 40500, 80, -1, -1};
    uint32_t ci = 100, si = 200;
    seg(&c, 0, 1, ci, 0, S, 8760, 0);
    seg(&c, 20000, 0, si, ci + 1, S | A, 8760, 0);
    seg(&c, 40000, 1, ci + 1, si + 1, A, 8760, 0);
    seg(&c, 40100, 1, ci + 1, si + 1, A, 8760, 500);
    /* seq ci+501 (500 bytes) is lost */
    seg(&c, 40300, 1, ci + 1001, si + 1, A, 8760, 500);
    seg(&c, 40400, 1, ci + 1501, si + 1, A, 8760, 500);
    seg(&c, 40500, 1, ci + 2001, si + 1, A, 8760, 500);
    seg(&c, 60100, 0, si + 1, ci + 501, A, 8760, 0);
    seg(&c, 60300, 0, si + 1, ci + 501, A, 8760, 0);
    seg(&c, 60400, 0, si + 1, ci + 501, A, 8760, 0);
    seg(&c, 60500, 0, si + 1, ci + 501, A, 8760, 0);
    seg(&c, 61000, 1, ci + 501, si + 1, A, 8760, 500);
    seg(&c, 81000, 0, si + 1, ci + 2501, A, 8760, 0);
    out_close(&o);
}

/* a segment gets no ACK; the sender sends it again after a 300 ms timeout */
static void fx_rto(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-rto.pcap");
    tcpconn c = {&o, 0, 40600, 80, -1, -1};
    uint32_t ci = 1, si = 50000;
    seg(&c, 0, 1, ci, 0, S, 8760, 0);
    seg(&c, 10000, 0, si, ci + 1, S | A, 8760, 0);
    seg(&c, 20000, 1, ci + 1, si + 1, A, 8760, 0);
    seg(&c, 20100, 1, ci + 1, si + 1, P | A, 8760, 200);
    seg(&c, 320100, 1, ci + 1, si + 1, P | A, 8760, 200);
    seg(&c, 330100, 0, si + 1, ci + 201, A, 8760, 0);
    out_close(&o);
}

/* two segments arrive swapped, 0.5 ms apart (within the handshake RTT) */
static void fx_ooo(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-out-of-order.pcap");
    tcpconn c = {&o, 0, 40700, 80, -1, -1};
    uint32_t ci = 1000, si = 2000;
    seg(&c, 0, 1, ci, 0, S, 8760, 0);
    seg(&c, 10000, 0, si, ci + 1, S | A, 8760, 0);
    seg(&c, 20000, 1, ci + 1, si + 1, A, 8760, 0);
    seg(&c, 20100, 1, ci + 1, si + 1, A, 8760, 100);
    seg(&c, 20200, 1, ci + 201, si + 1, A, 8760, 100); /* the 3rd first */
    seg(&c, 20700, 1, ci + 101, si + 1, A, 8760, 100); /* then the 2nd */
    seg(&c, 30700, 0, si + 1, ci + 301, A, 8760, 0);
    out_close(&o);
}

/* data the receiver had already acknowledged is sent again */
static void fx_spurious(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-spurious.pcap");
    tcpconn c = {&o, 0, 40800, 80, -1, -1};
    uint32_t ci = 5000, si = 6000;
    seg(&c, 0, 1, ci, 0, S, 8760, 0);
    seg(&c, 10000, 0, si, ci + 1, S | A, 8760, 0);
    seg(&c, 20000, 1, ci + 1, si + 1, A, 8760, 0);
    seg(&c, 20100, 1, ci + 1, si + 1, P | A, 8760, 100);
    seg(&c, 30100, 0, si + 1, ci + 101, A, 8760, 0);
    seg(&c, 250000, 1, ci + 1, si + 1, P | A, 8760, 100);
    seg(&c, 260000, 0, si + 1, ci + 101, A, 8760, 0);
    out_close(&o);
}

/* a sender fills the receiver's window (no scaling), the receiver shuts it
 * (zero window), the sender probes it, keeps the connection alive, and the
 * receiver opens it again (window update) */
static void fx_zero_window(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-zero-window.pcap");
    tcpconn c = {&o, 0, 40900, 9000, -1, -1};
    uint32_t ci = 10, si = 20;
    seg(&c, 0, 1, ci, 0, S, 8000, 0);
    seg(&c, 10000, 0, si, ci + 1, S | A, 1000, 0);
    seg(&c, 20000, 1, ci + 1, si + 1, A, 8000, 0);
    seg(&c, 20100, 1, ci + 1, si + 1, A, 8000, 1000);       /* window full */
    seg(&c, 30100, 0, si + 1, ci + 1001, A, 0, 0);          /* zero window */
    seg(&c, 230100, 1, ci + 1001, si + 1, A, 8000, 1);      /* zero-window probe */
    seg(&c, 240100, 0, si + 1, ci + 1001, A, 0, 0);         /* probe ACK */
    seg(&c, 440100, 1, ci + 1001, si + 1, A, 8000, 1);      /* probe again */
    seg(&c, 450100, 0, si + 1, ci + 1001, A, 0, 0);
    seg(&c, 600000, 0, si + 1, ci + 1001, A, 1000, 0);      /* window update */
    seg(&c, 610000, 1, ci + 1001, si + 1, P | A, 8000, 500);
    seg(&c, 620000, 0, si + 1, ci + 1501, A, 1000, 0);
    seg(&c, 5620000, 1, ci + 1500, si + 1, A, 8000, 0);     /* keep-alive */
    seg(&c, 5630000, 0, si + 1, ci + 1501, A, 1000, 0);     /* its ACK */
    seg(&c, 5640000, 0, si + 1, ci + 1501, A, 2000, 0);     /* window update */
    out_close(&o);
}

/* a connection refused with RST, another closed by the client's RST, then
 * a new SYN on the same ports with a new initial sequence number */
static void fx_rst_reuse(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-tcp-rst-reuse.pcap");
    tcpconn c = {&o, 0, 41000, 7000, -1, -1};
    seg(&c, 0, 1, 1000, 0, S, 8760, 0);
    seg(&c, 1000, 0, 0, 1001, R | A, 0, 0);                 /* refused */
    tcpconn d = {&o, 0, 41001, 7001, -1, -1};
    seg(&d, 100000, 1, 5000, 0, S, 8760, 0);
    seg(&d, 101000, 0, 9000, 5001, S | A, 8760, 0);
    seg(&d, 102000, 1, 5001, 9001, A, 8760, 0);
    seg(&d, 102100, 1, 5001, 9001, P | A, 8760, 10);
    seg(&d, 103100, 0, 9001, 5011, A, 8760, 0);
    seg(&d, 104000, 1, 5011, 9001, R | A, 0, 0);            /* client resets */
    seg(&d, 200000, 1, 70000, 0, S, 8760, 0);               /* same ports, new ISN */
    seg(&d, 201000, 0, 80000, 70001, S | A, 8760, 0);
    seg(&d, 202000, 1, 70001, 80001, A, 8760, 0);
    seg(&d, 203000, 1, 70001, 80001, F | A, 8760, 0);
    seg(&d, 204000, 0, 80001, 70002, F | A, 8760, 0);
    seg(&d, 205000, 1, 70002, 80002, A, 8760, 0);
    out_close(&o);
}

/* ---- UDP and ICMP ------------------------------------------------------ */

static void udp(out *o, long long us, int from_a, unsigned sp, unsigned dp, const uint8_t *data,
                size_t n)
{
    buf t = {.n = 0};
    put16(&t, sp);
    put16(&t, dp);
    put16(&t, (unsigned)(8 + n));
    put16(&t, 0);
    putmem(&t, data, n);
    buf f;
    ip_frame(&f, 0, from_a, 17, &t, 6);
    emit(o, us, &f);
}

/* the course's pings on one socket: 8 pings, 3 replies dropped; then DNS
 * queries, one of them unanswered, answered out of order */
static void fx_udp(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-udp-ping.pcap");
    static const int dropped[8] = {0, 0, 1, 0, 1, 0, 0, 1};
    long long t = 0;
    for (int i = 0; i < 8; i++) {
        uint8_t msg[16];
        int n = snprintf((char *)msg, sizeof msg, "ping %d", i + 1);
        udp(&o, t, 1, 45000, 54321, msg, (size_t)n);
        if (!dropped[i]) {
            for (int k = 0; k < n; k++)
                if (msg[k] >= 'a' && msg[k] <= 'z')
                    msg[k] = (uint8_t)(msg[k] - 32);
            udp(&o, t + 150 + 10 * i, 0, 54321, 45000, msg, (size_t)n);
        }
        t += 1000000; /* the client waits 1 s for each reply */
    }
    /* DNS: id 0x1111, 0x2222, 0x3333 asked; 0x3333 then 0x1111 answered */
    static const uint8_t q1[] = {0x11, 0x11, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                                 1, 'a', 0, 0, 1, 0, 1};
    uint8_t q2[sizeof q1], q3[sizeof q1], r1[sizeof q1], r3[sizeof q1];
    memcpy(q2, q1, sizeof q1);
    q2[0] = q2[1] = 0x22;
    memcpy(q3, q1, sizeof q1);
    q3[0] = q3[1] = 0x33;
    memcpy(r1, q1, sizeof q1);
    r1[2] = 0x81;
    r1[3] = 0x80;
    memcpy(r3, q3, sizeof q1);
    r3[2] = 0x81;
    r3[3] = 0x80;
    udp(&o, t, 1, 53000, 53, q1, sizeof q1);
    udp(&o, t + 100, 1, 53000, 53, q2, sizeof q2);
    udp(&o, t + 200, 1, 53000, 53, q3, sizeof q3);
    udp(&o, t + 2500, 0, 53, 53000, r3, sizeof r3);
    udp(&o, t + 4000, 0, 53, 53000, r1, sizeof r1);
    out_close(&o);
}

static void icmp_echo(out *o, long long us, int from_a, int v6, int reply, unsigned id,
                      unsigned seq)
{
    buf t = {.n = 0};
    put8(&t, v6 ? (reply ? 129 : 128) : (reply ? 0 : 8));
    put8(&t, 0);
    put16(&t, 0);
    put16(&t, id);
    put16(&t, seq);
    for (unsigned i = 0; i < 32; i++)
        put8(&t, 0x20 + i);
    buf f;
    ip_frame(&f, v6, from_a, v6 ? 58 : 1, &t, 2);
    emit(o, us, &f);
}

/* five echo requests, the 3rd unanswered; then ICMPv6 echo, the 2nd unanswered */
static void fx_icmp(const char *dir)
{
    out o;
    out_open(&o, dir, "flow-icmp-missing.pcap");
    for (unsigned s = 1; s <= 5; s++) {
        long long t = (long long)(s - 1) * 1000000;
        icmp_echo(&o, t, 1, 0, 0, 0x4242, s);
        if (s != 3)
            icmp_echo(&o, t + 250 + 7 * s, 0, 0, 1, 0x4242, s);
    }
    for (unsigned s = 1; s <= 3; s++) {
        long long t = 6000000 + (long long)(s - 1) * 1000000;
        icmp_echo(&o, t, 1, 1, 0, 0x77, s);
        if (s != 2)
            icmp_echo(&o, t + 400, 0, 1, 1, 0x77, s);
    }
    out_close(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_flow DIR\n");
        return 2;
    }
    fx_basic(argv[1]);
    fx_midstream(argv[1]);
    fx_wrap(argv[1]);
    fx_syn_retrans(argv[1]);
    fx_fast_retrans(argv[1]);
    fx_rto(argv[1]);
    fx_ooo(argv[1]);
    fx_spurious(argv[1]);
    fx_zero_window(argv[1]);
    fx_rst_reuse(argv[1]);
    fx_udp(argv[1]);
    fx_icmp(argv[1]);
    return 0;
}
