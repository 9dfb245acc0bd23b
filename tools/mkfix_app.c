/* mkfix_app — the application-layer fixtures in DIR/: app-http.pcap (HTTP/1.x
 * requests and responses over TCP, on listed ports and by the start line on
 * another, a line with no end, many headers, a body segment, a snap-length
 * cut) and app-tls.pcap (a ClientHello with SNI, a ServerHello with a Change
 * Cipher Spec in the same segment, three records in one segment, application
 * data, an alert, a record longer than its segment, a ClientHello cut by the
 * snap length, DNS over TLS on 853). Every frame is Ethernet, IPv4 (one
 * IPv6) and TCP with correct checksums. dns-tcp.pcap: DNS over TCP (a
 * query and its response, each one whole message after its length prefix;
 * a message split over two segments, two messages in one segment, and a
 * prefix the snap length cut). Deterministic; captures/README.md
 * says what each frame is.
 *
 * Usage: mkfix_app DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXPKT 4096
#define FIX_PROG "mkfix_app"
#include "fixbuf.h"

#define BASE_SEC 1700000000L
#include "fixpcap.h"

static const uint8_t MAC_C[6] = {0x02, 0, 0, 0, 0, 0x01}; /* client */
static const uint8_t MAC_S[6] = {0x02, 0, 0, 0, 0, 0x02}; /* server */
static const uint8_t IP_C[4] = {192, 0, 2, 1};
static const uint8_t IP_S[4] = {192, 0, 2, 80};
static const uint8_t IP6_C[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_S[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x80};

/* ---- frames ------------------------------------------------------------------ */

/* A TCP segment (PSH|ACK, seq and ack as given) from the client (to_server
 * 1) or the server, over
 * IPv4 (v6 0) or IPv6, carrying pl[0..n), in an Ethernet frame f. */
static void tcp_frame(buf *f, int v6, int to_server, unsigned cport, unsigned sport,
                      uint32_t seq, uint32_t ack, const void *pl, size_t n)
{
    buf seg = {.n = 0};
    put16(&seg, to_server ? cport : sport);
    put16(&seg, to_server ? sport : cport);
    put32(&seg, seq);
    put32(&seg, ack);
    put16(&seg, 5u << 12 | 0x018); /* PSH, ACK */
    put16(&seg, 64240);
    put16(&seg, 0);
    put16(&seg, 0);
    putmem(&seg, pl, n);
    const uint8_t *src = v6 ? (to_server ? IP6_C : IP6_S) : (to_server ? IP_C : IP_S);
    const uint8_t *dst = v6 ? (to_server ? IP6_S : IP6_C) : (to_server ? IP_S : IP_C);
    l4_csum(&seg, 16, v6 ? pseudo6(src, dst, 6, seg.n) : pseudo4(src, dst, 6, seg.n), 0);

    f->n = 0;
    putmem(f, to_server ? MAC_S : MAC_C, 6);
    putmem(f, to_server ? MAC_C : MAC_S, 6);
    put16(f, v6 ? 0x86dd : 0x0800);
    size_t ip = f->n;
    if (v6) {
        put32(f, 0x60000000u);
        put16(f, (unsigned)seg.n);
        put8(f, 6);
        put8(f, 64);
        putmem(f, src, 16);
        putmem(f, dst, 16);
    } else {
        put8(f, 0x45);
        put8(f, 0);
        put16(f, (unsigned)(20 + seg.n));
        /* id: 0xa000 + the client port's last digits (0x800 more from the
         * server), apart from the ids other fixtures' checks look for */
        put16(f, 0xa000u + ((cport - 40000u) & 0x7ffu) + (to_server ? 0u : 0x800u));
        put16(f, 0x4000);                            /* DF */
        put8(f, 64);
        put8(f, 6);
        put16(f, 0);
        putmem(f, src, 4);
        putmem(f, dst, 4);
        set16(f, ip + 10, wp_csum_finish(wp_csum_add(0, f->d + ip, 20)));
    }
    putmem(f, seg.d, seg.n);
}

/* Each frame but a request and its response is a conversation of its own
 * (its own client port), so the TCP analysis has nothing to say. */
static void text_frame(fixpcap *o, int v6, int to_server, unsigned cport, unsigned sport,
                       uint32_t seq, const char *text, size_t caplen)
{
    buf f;
    /* the response to frame 1 acknowledges its 94 bytes */
    uint32_t ack = !to_server && cport == 40001 ? 95 : 5001;
    tcp_frame(&f, v6, to_server, cport, sport, seq, ack, text, strlen(text));
    fixpcap_write(o, f.d, f.n, caplen);
}

static void fx_http(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "app-http.pcap", DLT_EN10MB, 65535);
    /* 1, 2: a request and its response on port 80 */
    text_frame(&o, 0, 1, 40001, 80, 1,
               "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: wirepeel-fixture/1.0\r\n"
               "Accept: */*\r\n\r\n",
               0);
    text_frame(&o, 0, 0, 40001, 80, 5001,
               "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n"
               "hello, mercy\n",
               0);
    /* 3: a POST with a body on 8080 */
    text_frame(&o, 0, 1, 40002, 8080, 1,
               "POST /submit?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nContent-Type: "
               "application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nname=ok",
               0);
    /* 4: HTTP/1.0 on a port the table does not list: found by its start line */
    text_frame(&o, 0, 1, 40003, 5000, 1, "GET /api/v1 HTTP/1.0\r\nHost: api\r\n\r\n", 0);
    /* 5: a 404 over IPv6 */
    text_frame(&o, 1, 0, 40004, 80, 1,
               "HTTP/1.1 404 Not Found\r\nServer: fixture\r\nContent-Length: 0\r\n\r\n", 0);
    /* 6: the segment ends inside a header line (the rest is in the next one) */
    text_frame(&o, 0, 1, 40005, 80, 1, "GET /partial HTTP/1.1\r\nHost: example.com\r\nUser-Ag",
               0);
    /* 7: many header lines: more than wirepeel keeps (48) */
    {
        char req[2048];
        size_t n = (size_t)snprintf(req, sizeof req, "GET /many HTTP/1.1\r\n");
        for (unsigned i = 0; i < 52; i++)
            n += (size_t)snprintf(req + n, sizeof req - n, "X-H%02u: v%u\r\n", i, i);
        snprintf(req + n, sizeof req - n, "\r\n");
        text_frame(&o, 0, 1, 40006, 80, 1, req, 0);
    }
    /* 8: a body's second segment on port 80: no start line, so payload */
    text_frame(&o, 0, 0, 40011, 80, 200, "continued body bytes, not a start line\n", 0);
    /* 9: a request cut by the snap length inside its second header line */
    text_frame(&o, 0, 1, 40007, 80, 1,
               "GET /cut HTTP/1.1\r\nHost: example.com\r\nAccept: text/html\r\n\r\n", 54 + 30);
    /* 10: the start line alone has no end */
    text_frame(&o, 0, 1, 40008, 80, 1, "GET /no-end-at-all HTT", 0);
    /* 11: a response with a 204 and no headers; 12: a header line without a colon */
    text_frame(&o, 0, 0, 40009, 8000, 1, "HTTP/1.1 204 No Content\r\n\r\n", 0);
    text_frame(&o, 0, 1, 40010, 80, 1, "GET /x HTTP/1.1\r\nHost: h\r\nbroken line\r\n\r\n", 0);
    fixpcap_close(&o);
}

/* ---- TLS --------------------------------------------------------------------- */

static void put24(buf *b, uint32_t v)
{
    put8(b, v >> 16);
    put16(b, v & 0xffff);
}

/* A handshake message of type with body[0..n) in a record of its own. */
static void record(buf *b, unsigned type, unsigned version, const buf *body)
{
    put8(b, type);
    put16(b, version);
    put16(b, (unsigned)body->n);
    putmem(b, body->d, body->n);
}

static void handshake(buf *rec, unsigned type, const buf *body)
{
    rec->n = 0;
    put8(rec, type);
    put24(rec, (uint32_t)body->n);
    putmem(rec, body->d, body->n);
}

/* A ClientHello body naming host (NULL: no server_name), with
 * supported_groups and supported_versions around it. */
static void client_hello(buf *m, const char *host)
{
    m->n = 0;
    put16(m, 0x0303);
    for (unsigned i = 0; i < 32; i++)
        put8(m, 0xa0 + i); /* random */
    put8(m, 32);           /* session id */
    for (unsigned i = 0; i < 32; i++)
        put8(m, i);
    put16(m, 6); /* cipher suites */
    put16(m, 0x1301);
    put16(m, 0x1302);
    put16(m, 0xc02f);
    put8(m, 1); /* compression: null */
    put8(m, 0);
    buf ext = {.n = 0};
    put16(&ext, 10); /* supported_groups: x25519, secp256r1 */
    put16(&ext, 6);
    put16(&ext, 4);
    put16(&ext, 0x001d);
    put16(&ext, 0x0017);
    if (host) {
        size_t hl = strlen(host);
        put16(&ext, 0); /* server_name */
        put16(&ext, (unsigned)(hl + 5));
        put16(&ext, (unsigned)(hl + 3));
        put8(&ext, 0); /* host_name */
        put16(&ext, (unsigned)hl);
        putmem(&ext, host, hl);
    }
    put16(&ext, 43); /* supported_versions: TLS 1.3, 1.2 */
    put16(&ext, 5);
    put8(&ext, 4);
    put16(&ext, 0x0304);
    put16(&ext, 0x0303);
    put16(m, (unsigned)ext.n);
    putmem(m, ext.d, ext.n);
}

static void server_hello(buf *m)
{
    m->n = 0;
    put16(m, 0x0303);
    for (unsigned i = 0; i < 32; i++)
        put8(m, 0x50 + i);
    put8(m, 0); /* session id */
    put16(m, 0x1301);
    put8(m, 0);
    put16(m, 6); /* extensions: supported_versions TLS 1.3 */
    put16(m, 43);
    put16(m, 2);
    put16(m, 0x0304);
}

static void seg_frame(fixpcap *o, int to_server, unsigned cport, unsigned sport, uint32_t seq,
                      const buf *pl, size_t caplen)
{
    buf f;
    tcp_frame(&f, 0, to_server, cport, sport, seq, 5001, pl->d, pl->n);
    fixpcap_write(o, f.d, f.n, caplen);
}

static void fx_tls(const char *dir)
{
    fixpcap o;
    buf body, hs, seg;
    fixpcap_open(&o, dir, "app-tls.pcap", DLT_EN10MB, 65535);
    /* 1: ClientHello with SNI example.com, port 443 */
    client_hello(&body, "example.com");
    handshake(&hs, 1, &body);
    seg.n = 0;
    record(&seg, 22, 0x0301, &hs);
    seg_frame(&o, 1, 40101, 443, 1, &seg, 0);
    /* 2: ServerHello and Change Cipher Spec: two records in one segment */
    server_hello(&body);
    handshake(&hs, 2, &body);
    seg.n = 0;
    record(&seg, 22, 0x0303, &hs);
    buf ccs = {.n = 0};
    put8(&ccs, 1);
    record(&seg, 20, 0x0303, &ccs);
    seg_frame(&o, 0, 40102, 443, 1, &seg, 0);
    /* 3: three records: Change Cipher Spec, an encrypted handshake (its
     * first bytes are no handshake header), application data */
    buf enc = {.n = 0};
    for (unsigned i = 0; i < 40; i++)
        put8(&enc, 0xe0 ^ (i * 37));
    seg.n = 0;
    record(&seg, 20, 0x0303, &ccs);
    record(&seg, 22, 0x0303, &enc);
    record(&seg, 23, 0x0303, &enc);
    seg_frame(&o, 1, 40103, 443, 600, &seg, 0);
    /* 4: application data */
    seg.n = 0;
    record(&seg, 23, 0x0303, &enc);
    seg_frame(&o, 0, 40104, 443, 300, &seg, 0);
    /* 5: an alert (encrypted: 2 + 16 bytes) */
    buf al = {.n = 0};
    for (unsigned i = 0; i < 18; i++)
        put8(&al, 0x11 * i);
    seg.n = 0;
    record(&seg, 21, 0x0303, &al);
    seg_frame(&o, 1, 40105, 443, 700, &seg, 0);
    /* 6: a Certificate record of 1200 bytes of which the segment has 200:
     * the record goes on in the next segment */
    buf cert = {.n = 0};
    put24(&cert, 1192);
    for (unsigned i = 0; i < 1192; i++)
        put8(&cert, i & 0xff);
    handshake(&hs, 11, &cert);
    seg.n = 0;
    record(&seg, 22, 0x0303, &hs);
    seg.n = 200;
    seg_frame(&o, 0, 40106, 443, 400, &seg, 0);
    /* 7: a ClientHello cut by the snap length before its extensions */
    client_hello(&body, "cut.example.net");
    handshake(&hs, 1, &body);
    seg.n = 0;
    record(&seg, 22, 0x0301, &hs);
    seg_frame(&o, 1, 40107, 443, 1, &seg, 54 + 60);
    /* 8: DNS over TLS (853), a ClientHello with SNI dns.example */
    client_hello(&body, "dns.example");
    handshake(&hs, 1, &body);
    seg.n = 0;
    record(&seg, 22, 0x0303, &hs);
    seg_frame(&o, 1, 40108, 853, 1, &seg, 0);
    /* 9: a ClientHello with no server_name on 8443 */
    client_hello(&body, NULL);
    handshake(&hs, 1, &body);
    seg.n = 0;
    record(&seg, 22, 0x0301, &hs);
    seg_frame(&o, 1, 40109, 8443, 1, &seg, 0);
    /* 10: the segment ends inside the 5-byte record header */
    seg.n = 0;
    put8(&seg, 23);
    put16(&seg, 0x0303);
    seg_frame(&o, 0, 40110, 443, 900, &seg, 0);
    fixpcap_close(&o);
}

/* ---- DNS over TCP ------------------------------------------------------------ */

/* A DNS message for www.example.com A: a query (resp 0) or a response with
 * one A record (the name as a pointer to the question's), after its 2-byte
 * length prefix (RFC 7766). */
static void dns_msg(buf *m, unsigned id, int resp)
{
    buf d = {.n = 0};
    put16(&d, id);
    put16(&d, resp ? 0x8180u : 0x0100u);
    put16(&d, 1);
    put16(&d, resp ? 1u : 0u);
    put16(&d, 0);
    put16(&d, 0);
    static const char qn[] = "\003www\007example\003com";
    putmem(&d, qn, sizeof qn); /* with its root label, the final NUL */
    put16(&d, 1);              /* type A */
    put16(&d, 1);              /* class IN */
    if (resp) {
        put16(&d, 0xc00c); /* pointer to the question's name at 12 */
        put16(&d, 1);
        put16(&d, 1);
        put32(&d, 300);
        put16(&d, 4);
        static const uint8_t a[4] = {93, 184, 216, 34};
        putmem(&d, a, 4);
    }
    m->n = 0;
    put16(m, (unsigned)d.n);
    putmem(m, d.d, d.n);
}

static void fx_dnstcp(const char *dir)
{
    fixpcap o;
    fixpcap_open(&o, dir, "dns-tcp.pcap", DLT_EN10MB, 65535);
    buf q, r, f;
    dns_msg(&q, 0x5a01, 0);
    dns_msg(&r, 0x5a01, 1);
    /* 1, 2: a query and its response, one message a segment */
    tcp_frame(&f, 0, 1, 40531, 53, 1, 1, q.d, q.n);
    fixpcap_write(&o, f.d, f.n, 0);
    tcp_frame(&f, 0, 0, 40531, 53, 1, 1u + (uint32_t)q.n, r.d, r.n);
    fixpcap_write(&o, f.d, f.n, 0);
    /* 3, 4: a response split over two segments: neither is one message */
    dns_msg(&r, 0x5a02, 1);
    tcp_frame(&f, 0, 0, 40532, 53, 1, 1, r.d, 20);
    fixpcap_write(&o, f.d, f.n, 0);
    tcp_frame(&f, 0, 0, 40532, 53, 21, 1, r.d + 20, r.n - 20);
    fixpcap_write(&o, f.d, f.n, 0);
    /* 5: two queries in one segment (pipelined): left as data */
    buf two = {.n = 0};
    dns_msg(&q, 0x5a03, 0);
    putmem(&two, q.d, q.n);
    dns_msg(&q, 0x5a04, 0);
    putmem(&two, q.d, q.n);
    tcp_frame(&f, 0, 1, 40533, 53, 1, 1, two.d, two.n);
    fixpcap_write(&o, f.d, f.n, 0);
    /* 6: a query over IPv6 whose capture ends after the prefix's first byte */
    dns_msg(&q, 0x5a05, 0);
    tcp_frame(&f, 1, 1, 40534, 53, 1, 1, q.d, q.n);
    fixpcap_write(&o, f.d, f.n, 14 + 40 + 20 + 1);
    fixpcap_close(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_app DIR\n");
        return 2;
    }
    fx_http(argv[1]);
    fx_tls(argv[1]);
    fx_dnstcp(argv[1]);
    return 0;
}
