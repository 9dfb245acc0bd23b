/* mkfix_encap — the encapsulation fixtures (issue 20) in DIR/:
 * encap-tunnels.pcap (GRE, GRE in GRE, GRE with checksum/key/sequence, GRE
 * bridging Ethernet, VXLAN carrying IPv4 and VLAN-tagged IPv6, MPLS stacks),
 * encap-dns.pcap (a DNS query and its answer) and bad-encap.pcap (one defect
 * a frame). Every frame is built from the inside out (payload first, each
 * header put in front), with correct checksums except where a frame is about
 * a bad one. Deterministic; captures/README.md says what each frame is.
 *
 * Usage: mkfix_encap DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX_PROG "mkfix_encap"
#define MAXPKT 2048
#define BASE_SEC 1700000000L
#include "fixfront.h"

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t MAC_C[6] = {0x02, 0, 0, 0, 0, 0x03};
static const uint8_t MAC_D[6] = {0x02, 0, 0, 0, 0, 0x04};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};
static const uint8_t T_A[4] = {198, 51, 100, 1}; /* tunnel endpoints */
static const uint8_t T_B[4] = {198, 51, 100, 2};
static const uint8_t T_C[4] = {203, 0, 113, 1};
static const uint8_t T_D[4] = {203, 0, 113, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t DNS_SRV[4] = {192, 0, 2, 53};

static const char HELLO[] = "hello, mercy";

static void icmp_echo(pkt *p, unsigned id, unsigned seq)
{
    icmp_echo_of(p, id, seq, HELLO, sizeof HELLO - 1);
}

static void vxlan(pkt *p, uint32_t vni)
{
    uint8_t *b = front(p, 8);
    b[0] = 0x08;
    be32(b + 4, vni << 8);
}

static void mpls(pkt *p, uint32_t label, unsigned tc, int bottom, unsigned ttl)
{
    uint8_t *b = front(p, 4);
    be32(b, label << 12 | (tc & 7) << 9 | (bottom ? 1u : 0u) << 8 | (ttl & 0xff));
}

/* An IPv4 hello datagram A -> B as UDP 40000 -> 7. */
static void hello4(pkt *p, unsigned id)
{
    start(p, HELLO, sizeof HELLO - 1);
    udp(p, 0, IP_A, IP_B, 40000, 7);
    ipv4(p, IP_A, IP_B, 17, id);
}

static void tunnels(const char *dir)
{
    out o;
    pkt p;
    open_out(&o, dir, "encap-tunnels.pcap");

    /* 1: IPv4 (ICMP echo) in GRE in IPv4 */
    icmp_echo(&p, 0x4747, 1);
    ipv4(&p, IP_A, IP_B, 1, 0x0101);
    gre(&p, 0, 0x0800, 0, 0);
    ipv4(&p, T_A, T_B, 47, 0xa001);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 2: GRE with checksum, key and sequence number, carrying UDP in IPv4 */
    hello4(&p, 0x0102);
    gre(&p, GRE_C | GRE_K | GRE_S, 0x0800, 0x00010002, 7);
    ipv4(&p, T_A, T_B, 47, 0xa002);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 3: GRE in GRE: the inner tunnel's GRE carries a key and a sequence */
    icmp_echo(&p, 0x4747, 2);
    ipv4(&p, IP_A, IP_B, 1, 0x0103);
    gre(&p, GRE_K | GRE_S, 0x0800, 42, 5);
    ipv4(&p, T_C, T_D, 47, 0xa003);
    gre(&p, 0, 0x0800, 0, 0);
    ipv4(&p, T_A, T_B, 47, 0xa004);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 4: GRE bridging Ethernet (0x6558) with a sequence number */
    hello4(&p, 0x0104);
    eth(&p, MAC_D, MAC_C, 0x0800);
    gre(&p, GRE_S, 0x6558, 0, 99);
    ipv4(&p, T_A, T_B, 47, 0xa005);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 5: VXLAN (VNI 5000) carrying Ethernet, IPv4, UDP */
    hello4(&p, 0x0105);
    eth(&p, MAC_D, MAC_C, 0x0800);
    vxlan(&p, 5000);
    udp(&p, 0, T_A, T_B, 49152, 4789);
    ipv4(&p, T_A, T_B, 17, 0xa006);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 6: VXLAN (VNI 0xabcdef) carrying VLAN 100-tagged IPv6 UDP */
    start(&p, HELLO, sizeof HELLO - 1);
    udp(&p, 1, IP6_A, IP6_B, 40000, 7);
    ipv6(&p, IP6_A, IP6_B, 17);
    vlan(&p, 100, 0x86dd);
    eth(&p, MAC_D, MAC_C, 0x8100);
    vxlan(&p, 0xabcdef);
    udp(&p, 0, T_A, T_B, 49153, 4789);
    ipv4(&p, T_A, T_B, 17, 0xa007);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 7: MPLS, two labels (1000 then 2000, bottom), IPv4 UDP */
    hello4(&p, 0x0107);
    mpls(&p, 2000, 0, 1, 63);
    mpls(&p, 1000, 5, 0, 64);
    eth(&p, MAC_B, MAC_A, 0x8847);
    put(&o, &p, 0);

    /* 8: MPLS, one label (16), IPv6 UDP after it */
    start(&p, HELLO, sizeof HELLO - 1);
    udp(&p, 1, IP6_A, IP6_B, 40000, 7);
    ipv6(&p, IP6_A, IP6_B, 17);
    mpls(&p, 16, 0, 1, 255);
    eth(&p, MAC_B, MAC_A, 0x8847);
    put(&o, &p, 0);

    /* 9: MPLS inside GRE (protocol 0x8847) */
    hello4(&p, 0x0109);
    mpls(&p, 3000, 0, 1, 64);
    gre(&p, 0, 0x8847, 0, 0);
    ipv4(&p, T_A, T_B, 47, 0xa009);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    close_out(&o);
}

/* A DNS name in wire form for "www.example.com". */
static const uint8_t QNAME[] = {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
                                3, 'c', 'o', 'm', 0};

static void dns(const char *dir)
{
    out o;
    pkt p;
    uint8_t m[128];
    size_t n = 0;
    open_out(&o, dir, "encap-dns.pcap");

    /* 1: query: id 0x1234, RD, one question www.example.com A IN */
    memset(m, 0, sizeof m);
    be16(m, 0x1234);
    be16(m + 2, 0x0100);
    be16(m + 4, 1);
    n = 12;
    memcpy(m + n, QNAME, sizeof QNAME);
    n += sizeof QNAME;
    be16(m + n, 1);
    be16(m + n + 2, 1);
    n += 4;
    start(&p, m, n);
    udp(&p, 0, IP_A, DNS_SRV, 53001, 53);
    ipv4(&p, IP_A, DNS_SRV, 17, 0x0201);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 2: the answer: QR RD RA, the question, one A record 192.0.2.80 TTL
     * 300 whose name is a pointer to the question's (offset 12) */
    be16(m + 2, 0x8180);
    be16(m + 6, 1);
    m[n++] = 0xc0;
    m[n++] = 12;
    be16(m + n, 1);
    be16(m + n + 2, 1);
    be32(m + n + 4, 300);
    be16(m + n + 8, 4);
    m[n + 10] = 192;
    m[n + 11] = 0;
    m[n + 12] = 2;
    m[n + 13] = 80;
    n += 14;
    start(&p, m, n);
    udp(&p, 0, DNS_SRV, IP_A, 53, 53001);
    ipv4(&p, DNS_SRV, IP_A, 17, 0x0202);
    eth(&p, MAC_A, MAC_B, 0x0800);
    put(&o, &p, 0);

    close_out(&o);
}

static void pppoe(pkt *p, unsigned code, unsigned sid)
{
    size_t n = plen(p);
    uint8_t *b = front(p, 6);
    b[0] = 0x11;
    b[1] = (uint8_t)code;
    be16(b + 2, sid);
    be16(b + 4, (unsigned)n);
}

static void ppp_proto(pkt *p, unsigned proto, int ac)
{
    uint8_t *b = front(p, ac ? 4 : 2);
    if (ac) {
        b[0] = 0xff;
        b[1] = 0x03;
        b += 2;
    }
    be16(b, proto);
}

static void ppp(const char *dir)
{
    out o;
    pkt p;
    open_out(&o, dir, "encap-pppoe.pcap");

    /* 1: PADI (discovery, code 0x09, session 0) with one tag: Service-Name,
     * empty; padded to 60 bytes as Ethernet requires */
    start(&p, "\x01\x01\x00\x00", 4);
    pppoe(&p, 0x09, 0);
    eth(&p, (const uint8_t *)"\xff\xff\xff\xff\xff\xff", MAC_A, 0x8863);
    {
        pkt q;
        uint8_t pad[60];
        memset(pad, 0, sizeof pad);
        memcpy(pad, p.d + p.off, plen(&p));
        start(&q, pad, sizeof pad);
        put(&o, &q, 0);
    }

    /* 2: session 0x1234: PPP IPv4 (0x0021), the hello packet */
    hello4(&p, 0x0401);
    ppp_proto(&p, 0x0021, 0);
    pppoe(&p, 0x00, 0x1234);
    eth(&p, MAC_B, MAC_A, 0x8864);
    put(&o, &p, 0);

    /* 3: session 0x1234: PPP IPv6 (0x0057), UDP */
    start(&p, HELLO, sizeof HELLO - 1);
    udp(&p, 1, IP6_A, IP6_B, 40000, 7);
    ipv6(&p, IP6_A, IP6_B, 17);
    ppp_proto(&p, 0x0057, 0);
    pppoe(&p, 0x00, 0x1234);
    eth(&p, MAC_B, MAC_A, 0x8864);
    put(&o, &p, 0);
    close_out(&o);

    open_dlt(&o, dir, "link-ppp.pcap", DLT_PPP);
    /* 1: ff 03 0021, the hello packet */
    hello4(&p, 0x0411);
    ppp_proto(&p, 0x0021, 1);
    put(&o, &p, 0);
    /* 2: ff 03 c021: an LCP Echo-Request (code 9, id 1, length 8, magic 0) */
    start(&p, "\x09\x01\x00\x08\x00\x00\x00\x00", 8);
    ppp_proto(&p, 0xc021, 1);
    put(&o, &p, 0);
    close_out(&o);
}

static void igmp(pkt *p, const uint8_t *m, size_t n)
{
    start(p, m, n);
    uint8_t *b = p->d + p->off;
    be16(b + 2, wp_csum_finish(wp_csum_add(0, b, n)));
}

static void around_ip(const char *dir)
{
    out o;
    pkt p;
    static const uint8_t GROUP[4] = {239, 1, 2, 3};
    static const uint8_t ALL[4] = {224, 0, 0, 1};
    static const uint8_t V3R[4] = {224, 0, 0, 22};
    uint8_t m[32];
    open_out(&o, dir, "encap-ipsec-igmp.pcap");

    /* 1: IGMPv2 membership report for 239.1.2.3 */
    memset(m, 0, sizeof m);
    m[0] = 0x16;
    memcpy(m + 4, GROUP, 4);
    igmp(&p, m, 8);
    ipv4(&p, IP_A, GROUP, 2, 0x0501);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 2: IGMPv3 general query (12 bytes, max response 100, QRV 2, QQIC 125) */
    memset(m, 0, sizeof m);
    m[0] = 0x11;
    m[1] = 100;
    m[8] = 0x02;
    m[9] = 125;
    igmp(&p, m, 12);
    ipv4(&p, IP_B, ALL, 2, 0x0502);
    eth(&p, MAC_A, MAC_B, 0x0800);
    put(&o, &p, 0);

    /* 3: IGMPv3 report: one record (change to exclude, no sources) for
     * 239.1.2.3 */
    memset(m, 0, sizeof m);
    m[0] = 0x22;
    be16(m + 6, 1);
    m[8] = 4;
    memcpy(m + 12, GROUP, 4);
    igmp(&p, m, 16);
    ipv4(&p, IP_A, V3R, 2, 0x0503);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 4: ESP, SPI 0x00001000, sequence 1, then 16 opaque bytes */
    memset(m, 0xa5, sizeof m);
    be32(m, 0x1000);
    be32(m + 4, 1);
    start(&p, m, 24);
    ipv4(&p, IP_A, IP_B, 50, 0x0504);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 5: AH (next header UDP, length 4: 24 bytes with a 12-byte ICV, SPI
     * 0x00002000, sequence 5) protecting the hello datagram */
    start(&p, HELLO, sizeof HELLO - 1);
    udp(&p, 0, IP_A, IP_B, 40000, 7);
    {
        uint8_t *b = front(&p, 24);
        b[0] = 17;
        b[1] = 4;
        be32(b + 4, 0x2000);
        be32(b + 8, 5);
        memset(b + 12, 0x5a, 12);
    }
    ipv4(&p, IP_A, IP_B, 51, 0x0505);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);
    close_out(&o);
}

static void bad(const char *dir)
{
    out o;
    pkt p;
    open_out(&o, dir, "bad-encap.pcap");

    /* 1: GRE flags promise a checksum, key and sequence (16 header bytes)
     * but the capture ends 6 bytes into the GRE header */
    hello4(&p, 0x0301);
    gre(&p, GRE_C | GRE_K | GRE_S, 0x0800, 1, 1);
    ipv4(&p, T_A, T_B, 47, 0xa301);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 14 + 20 + 6);

    /* 2: an MPLS stack without bottom: two entries, neither with S, and
     * nothing after them */
    start(&p, NULL, 0);
    mpls(&p, 200, 0, 0, 64);
    mpls(&p, 100, 0, 0, 64);
    eth(&p, MAC_B, MAC_A, 0x8847);
    put(&o, &p, 0);

    /* 3: GRE with a checksum that does not match */
    hello4(&p, 0x0303);
    gre(&p, GRE_C, 0x0800, 0, 0);
    p.d[p.off + 4] ^= 0xff;
    ipv4(&p, T_A, T_B, 47, 0xa303);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 4: VXLAN with the I flag clear */
    hello4(&p, 0x0304);
    eth(&p, MAC_D, MAC_C, 0x0800);
    vxlan(&p, 7);
    p.d[p.off] = 0;
    udp(&p, 0, T_A, T_B, 49152, 4789);
    ipv4(&p, T_A, T_B, 17, 0xa304);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    /* 5: a DNS message of 5 bytes: the header is cut by the UDP length */
    start(&p, "\x12\x34\x01\x00\x00", 5);
    udp(&p, 0, IP_A, DNS_SRV, 53002, 53);
    ipv4(&p, IP_A, DNS_SRV, 17, 0x0305);
    eth(&p, MAC_B, MAC_A, 0x0800);
    put(&o, &p, 0);

    close_out(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_encap DIR\n");
        return 2;
    }
    tunnels(argv[1]);
    dns(argv[1]);
    ppp(argv[1]);
    around_ip(argv[1]);
    bad(argv[1]);
    return 0;
}
