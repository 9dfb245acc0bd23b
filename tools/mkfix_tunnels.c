/* mkfix_tunnels — the tunnel fixtures in DIR/: encap-overlays.pcap (Geneve
 * with and without options, GTP-U T-PDUs carrying TCP and IPv6 and an echo
 * request, L2TP v2 data and control and v3 over UDP, ERSPAN types I, II and
 * III in GRE, 802.1ah in 802.1ad, GRE in GRE under IPv6) and
 * bad-overlays.pcap (one defect a frame: Geneve options past the datagram,
 * a GTP-U extension header of length 0, a chain over the cap, cut headers).
 * Every frame is built from the inside out (payload first, each header put
 * in front), with correct checksums. Deterministic; captures/README.md says
 * what each frame is.
 *
 * Usage: mkfix_tunnels DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX_PROG "mkfix_tunnels"
#define MAXPKT 2048
#define BASE_SEC 1700000000L
#include "fixfront.h"

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x11};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x12};
static const uint8_t MAC_C[6] = {0x02, 0, 0, 0, 0, 0x13};
static const uint8_t MAC_D[6] = {0x02, 0, 0, 0, 0, 0x14};
static const uint8_t IP_A[4] = {192, 0, 2, 1};
static const uint8_t IP_B[4] = {192, 0, 2, 2};
static const uint8_t T_A[4] = {198, 51, 100, 1}; /* tunnel endpoints */
static const uint8_t T_B[4] = {198, 51, 100, 2};
static const uint8_t IP6_A[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t IP6_TA[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 1};
static const uint8_t IP6_TB[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 2};

static const char HELLO[] = "hello, tunnel";

/* A TCP SYN with an MSS option, IPv4 src -> dst. */
static void tcp_syn(pkt *p, const uint8_t *src, const uint8_t *dst)
{
    start(p, NULL, 0);
    size_t n = 24;
    uint8_t *b = front(p, n);
    be16(b, 40001);
    be16(b + 2, 80);
    be32(b + 4, 1000);
    b[12] = 6 << 4;
    b[13] = 0x02; /* SYN */
    be16(b + 14, 64240);
    b[20] = 2;
    b[21] = 4;
    be16(b + 22, 1460);
    be16(b + 16, wp_csum_finish(wp_csum_add(pseudo4(src, dst, 6, n), b, n)));
}

static void icmp_echo(pkt *p, unsigned id, unsigned seq)
{
    icmp_echo_of(p, id, seq, HELLO, sizeof HELLO - 1);
}

/* Geneve with flags byte fl (O 0x80, C 0x40) and opt_len words of options
 * already put in front of the payload. */
static void geneve(pkt *p, unsigned opt_words, unsigned fl, unsigned proto, uint32_t vni)
{
    uint8_t *b = front(p, 8);
    b[0] = (uint8_t)(opt_words & 0x3f);
    b[1] = (uint8_t)fl;
    be16(b + 2, proto);
    be32(b + 4, vni << 8);
}

static void geneve_opt(pkt *p, unsigned cls, unsigned type, const uint8_t *data, unsigned words)
{
    uint8_t *b = front(p, 4u + 4u * words);
    be16(b, cls);
    b[2] = (uint8_t)type;
    b[3] = (uint8_t)(words & 0x1f);
    if (words)
        memcpy(b + 4, data, 4u * words);
}

/* GTP-U: flags 0x30 (version 1, PT) | efl (E 4, S 2, PN 1); the optional
 * word when efl is not 0; the length covers what is in front of now plus
 * that word. */
static void gtpu(pkt *p, unsigned efl, unsigned type, uint32_t teid, unsigned seq,
                 unsigned next_ext)
{
    if (efl) {
        uint8_t *o = front(p, 4);
        be16(o, seq);
        o[3] = (uint8_t)next_ext;
    }
    size_t n = plen(p);
    uint8_t *b = front(p, 8);
    b[0] = (uint8_t)(0x30 | efl);
    b[1] = (uint8_t)type;
    be16(b + 2, (unsigned)n);
    be32(b + 4, teid);
}

/* A GTP-U extension header of words 4-byte words, then type next. */
static void gtpu_ext(pkt *p, unsigned words, unsigned next)
{
    uint8_t *b = front(p, 4u * words);
    b[0] = (uint8_t)words;
    b[4u * words - 1] = (uint8_t)next;
}

#define L2TP_T 0x8000u
#define L2TP_L 0x4000u
#define L2TP_S 0x0800u
#define L2TP_O 0x0200u

/* L2TPv2 with flags (T L S O); pad bytes of offset padding (when O). */
static void l2tp2(pkt *p, unsigned flags, unsigned tunnel, unsigned session, unsigned ns,
                  unsigned nr, unsigned pad)
{
    if (flags & L2TP_O) {
        front(p, pad);
        be16(front(p, 2), pad);
    }
    if (flags & L2TP_S) {
        uint8_t *s = front(p, 4);
        be16(s, ns);
        be16(s + 2, nr);
    }
    uint8_t *ids = front(p, 4);
    be16(ids, tunnel);
    be16(ids + 2, session);
    if (flags & L2TP_L)
        be16(front(p, 2), (unsigned)plen(p) + 2u + 2u);
    be16(front(p, 2), flags | 2u);
}

static void ppp_ac(pkt *p, unsigned proto)
{
    uint8_t *b = front(p, 4);
    b[0] = 0xff;
    b[1] = 0x03;
    be16(b + 2, proto);
}

static void erspan2(pkt *p, unsigned vlan_id, unsigned cos, unsigned session, uint32_t index)
{
    uint8_t *b = front(p, 8);
    be16(b, 0x1000u | (vlan_id & 0x0fff));
    be16(b + 2, (cos & 7) << 13 | (session & 0x3ff));
    be32(b + 4, index & 0xfffff);
}

static void erspan3(pkt *p, unsigned vlan_id, unsigned session, uint32_t ts, unsigned sgt,
                    unsigned hw, unsigned dir, unsigned gra)
{
    uint8_t *b = front(p, 12);
    be16(b, 0x2000u | (vlan_id & 0x0fff));
    be16(b + 2, session & 0x3ff);
    be32(b + 4, ts);
    be16(b + 8, sgt);
    be16(b + 10, (hw & 0x3f) << 4 | (dir & 1) << 3 | (gra & 3) << 1);
}

/* An 802.1ah I-tag: priority, the I-SID. */
static void itag(pkt *p, unsigned pcp, uint32_t isid)
{
    be32(front(p, 4), (uint32_t)(pcp & 7) << 29 | (isid & 0xffffff));
}

/* The hello datagram A -> B as UDP 40000 -> 7 in IPv4. */
static void hello4(pkt *p, unsigned id)
{
    start(p, HELLO, sizeof HELLO - 1);
    udp(p, 0, IP_A, IP_B, 40000, 7);
    ipv4(p, IP_A, IP_B, 17, id);
}

static void hello6(pkt *p)
{
    start(p, HELLO, sizeof HELLO - 1);
    udp(p, 1, IP6_A, IP6_B, 40000, 7);
    ipv6(p, IP6_A, IP6_B, 17);
}

/* Put the outer UDP/IPv4/Ethernet of a tunnel on UDP port dport in front. */
static void outer_udp(pkt *p, unsigned sport, unsigned dport, unsigned id)
{
    udp(p, 0, T_A, T_B, sport, dport);
    ipv4(p, T_A, T_B, 17, id);
    eth(p, MAC_B, MAC_A, 0x0800);
}

static void outer_gre(pkt *p, unsigned id)
{
    ipv4(p, T_A, T_B, 47, id);
    eth(p, MAC_B, MAC_A, 0x0800);
}

static void overlays(const char *dir)
{
    out o;
    pkt p;
    open_out(&o, dir, "encap-overlays.pcap");

    /* 1: Geneve (VNI 0x123456, no options) carrying Ethernet, IPv4, UDP */
    hello4(&p, 0x0601);
    eth(&p, MAC_D, MAC_C, 0x0800);
    geneve(&p, 0, 0, 0x6558, 0x123456);
    outer_udp(&p, 50000, 6081, 0xb001);
    put(&o, &p, 0);

    /* 2: Geneve with C set and two options (class 0x0102 type 0x80, critical,
     * one data word; class 0xffff type 0x05, no data), VNI 77, carrying
     * VLAN 200-tagged IPv6 UDP */
    hello6(&p);
    vlan(&p, 200, 0x86dd);
    eth(&p, MAC_D, MAC_C, 0x8100);
    geneve_opt(&p, 0xffff, 0x05, NULL, 0);
    geneve_opt(&p, 0x0102, 0x80, (const uint8_t *)"\xde\xad\xbe\xef", 1);
    geneve(&p, 3, 0x40, 0x6558, 77);
    outer_udp(&p, 50001, 6081, 0xb002);
    put(&o, &p, 0);

    /* 3: Geneve protocol type 0x0800: an IPv4 packet (ICMP echo) directly */
    icmp_echo(&p, 0x6e6e, 1);
    ipv4(&p, IP_A, IP_B, 1, 0x0603);
    geneve(&p, 0, 0, 0x0800, 5);
    outer_udp(&p, 50002, 6081, 0xb003);
    put(&o, &p, 0);

    /* 4: GTP-U T-PDU, TEID 0x11223344, carrying an IPv4 TCP SYN */
    tcp_syn(&p, IP_A, IP_B);
    ipv4(&p, IP_A, IP_B, 6, 0x0604);
    gtpu(&p, 0, 255, 0x11223344, 0, 0);
    outer_udp(&p, 2152, 2152, 0xb004);
    put(&o, &p, 0);

    /* 5: GTP-U T-PDU with S and E: sequence 7, one PDU session container
     * extension header (type 0x85, one word: QFI 9), carrying IPv6 UDP */
    hello6(&p);
    {
        uint8_t *x = front(&p, 4);
        x[0] = 1;    /* length: one word */
        x[1] = 0x10; /* PDU type 1 (uplink) */
        x[2] = 9;    /* QFI */
        x[3] = 0;    /* no next extension header */
    }
    gtpu(&p, 0x06, 255, 0x0a0b0c0d, 7, 0x85);
    outer_udp(&p, 2152, 2152, 0xb005);
    put(&o, &p, 0);

    /* 6: GTP-U echo request (type 1) with S: sequence 1, TEID 0 */
    start(&p, NULL, 0);
    gtpu(&p, 0x02, 1, 0, 1, 0);
    outer_udp(&p, 2152, 2152, 0xb006);
    put(&o, &p, 0);

    /* 7: L2TPv2 data with L: tunnel 1, session 2, PPP (ff 03 0021) IPv4 UDP */
    hello4(&p, 0x0607);
    ppp_ac(&p, 0x0021);
    l2tp2(&p, L2TP_L, 1, 2, 0, 0, 0);
    outer_udp(&p, 1701, 1701, 0xb007);
    put(&o, &p, 0);

    /* 8: L2TPv2 data with S and O: tunnel 3, session 4, Ns 5, Nr 6, offset
     * size 2 (two pad bytes), PPP IPv6 UDP */
    hello6(&p);
    ppp_ac(&p, 0x0057);
    l2tp2(&p, L2TP_S | L2TP_O, 3, 4, 5, 6, 2);
    outer_udp(&p, 1701, 1701, 0xb008);
    put(&o, &p, 0);

    /* 9: L2TPv2 control (T L S), tunnel 0, session 0, Ns 0, Nr 0: an SCCRQ
     * (one Message Type AVP, mandatory, length 8, value 1) */
    start(&p, "\x80\x08\x00\x00\x00\x00\x00\x01", 8);
    l2tp2(&p, L2TP_T | L2TP_L | L2TP_S, 0, 0, 0, 0, 0);
    outer_udp(&p, 1701, 1701, 0xb009);
    put(&o, &p, 0);

    /* 10: L2TPv3 control over UDP (T L S, version 3): length 20, control
     * connection id 0x01020304, Ns 1, Nr 0, a Message Type AVP (value 1) */
    {
        uint8_t m[20] = {0xc8, 0x03, 0, 20, 0x01, 0x02, 0x03, 0x04, 0, 1, 0, 0,
                         0x80, 0x08, 0, 0, 0, 0, 0, 1};
        start(&p, m, sizeof m);
    }
    outer_udp(&p, 1701, 1701, 0xb00a);
    put(&o, &p, 0);

    /* 11: L2TPv3 data over UDP: session 0x1234abcd, then 8 bytes */
    {
        uint8_t m[16] = {0x00, 0x03, 0, 0, 0x12, 0x34, 0xab, 0xcd, 1, 2, 3, 4, 5, 6, 7, 8};
        start(&p, m, sizeof m);
    }
    outer_udp(&p, 1701, 1701, 0xb00b);
    put(&o, &p, 0);

    /* 12: ERSPAN type II (GRE 0x88be with sequence 1): VLAN 10, CoS 3,
     * session 100, index 5; the mirrored frame: Ethernet, IPv4, UDP */
    hello4(&p, 0x060c);
    eth(&p, MAC_D, MAC_C, 0x0800);
    erspan2(&p, 10, 3, 100, 5);
    gre(&p, GRE_S, 0x88be, 0, 1);
    outer_gre(&p, 0xb00c);
    put(&o, &p, 0);

    /* 13: ERSPAN type III (GRE 0x22eb): session 200, timestamp
     * 0x5f5e1000, SGT 12, hardware id 1, egress, granularity 3 */
    hello4(&p, 0x060d);
    eth(&p, MAC_D, MAC_C, 0x0800);
    erspan3(&p, 0, 200, 0x5f5e1000u, 12, 1, 1, 3);
    gre(&p, 0, 0x22eb, 0, 0);
    outer_gre(&p, 0xb00d);
    put(&o, &p, 0);

    /* 14: ERSPAN type I (GRE 0x88be, no sequence): the frame right away */
    icmp_echo(&p, 0x6e6e, 2);
    ipv4(&p, IP_A, IP_B, 1, 0x060e);
    eth(&p, MAC_D, MAC_C, 0x0800);
    gre(&p, 0, 0x88be, 0, 0);
    outer_gre(&p, 0xb00e);
    put(&o, &p, 0);

    /* 15: 802.1ah: backbone addresses, 802.1ad B-tag (VLAN 100), I-tag
     * (priority 3, I-SID 0x010203), the customer frame (IPv4 UDP) */
    hello4(&p, 0x060f);
    eth(&p, MAC_D, MAC_C, 0x0800);
    itag(&p, 3, 0x010203);
    vlan(&p, 100, 0x88e7);
    eth(&p, MAC_B, MAC_A, 0x88a8);
    put(&o, &p, 0);

    /* 16: GRE in GRE under IPv6: IPv6 -> GRE (key 9) -> IPv4 -> GRE
     * bridging Ethernet -> IPv4 UDP */
    hello4(&p, 0x0610);
    eth(&p, MAC_D, MAC_C, 0x0800);
    gre(&p, 0, 0x6558, 0, 0);
    ipv4(&p, T_A, T_B, 47, 0xb010);
    gre(&p, GRE_K, 0x0800, 9, 0);
    ipv6(&p, IP6_TA, IP6_TB, 47);
    eth(&p, MAC_B, MAC_A, 0x86dd);
    put(&o, &p, 0);

    /* 17: L2TPv2 data with L and O: tunnel 5, session 6, offset size 0;
     * PPP IPv4 UDP */
    hello4(&p, 0x0611);
    ppp_ac(&p, 0x0021);
    l2tp2(&p, L2TP_L | L2TP_O, 5, 6, 0, 0, 0);
    outer_udp(&p, 1701, 1701, 0xb011);
    put(&o, &p, 0);

    /* 18: L2TPv2 data with L, S and O: tunnel 7, session 8, Ns 1, Nr 2,
     * offset size 4 (four pad bytes); PPP IPv4 UDP */
    hello4(&p, 0x0612);
    ppp_ac(&p, 0x0021);
    l2tp2(&p, L2TP_L | L2TP_S | L2TP_O, 7, 8, 1, 2, 4);
    outer_udp(&p, 1701, 1701, 0xb012);
    put(&o, &p, 0);

    close_out(&o);
}

static void bad(const char *dir)
{
    out o;
    pkt p;
    open_out(&o, dir, "bad-overlays.pcap");

    /* 1: Geneve opt_len 63 (252 bytes of options) in a datagram that holds
     * the inner frame only */
    hello4(&p, 0x0701);
    eth(&p, MAC_D, MAC_C, 0x0800);
    geneve(&p, 63, 0, 0x6558, 1);
    outer_udp(&p, 50003, 6081, 0xb101);
    put(&o, &p, 0);

    /* 2: a Geneve option (length 3 words) longer than the options (opt_len
     * 1, the option header only) */
    hello4(&p, 0x0702);
    eth(&p, MAC_D, MAC_C, 0x0800);
    {
        uint8_t *b = front(&p, 4);
        be16(b, 0x0102);
        b[2] = 1;
        b[3] = 3;
    }
    geneve(&p, 1, 0, 0x6558, 2);
    outer_udp(&p, 50004, 6081, 0xb102);
    put(&o, &p, 0);

    /* 3: a GTP-U extension header of length 0 (would never move on) */
    hello4(&p, 0x0703);
    front(&p, 4); /* length 0, zeros */
    gtpu(&p, 0x04, 255, 0x33, 0, 0x85);
    outer_udp(&p, 2152, 2152, 0xb103);
    put(&o, &p, 0);

    /* 4: a GTP-U extension header whose length (64 words) runs past the
     * message (the chain cap is tested with a built frame in
     * tests/unit/test_gtpu.c: tshark follows any chain, so a fixture of it
     * would differ from tshark by design) */
    hello4(&p, 0x0704);
    gtpu_ext(&p, 1, 0);
    p.d[p.off] = 64;
    gtpu(&p, 0x04, 255, 0x34, 0, 0x85);
    outer_udp(&p, 2152, 2152, 0xb104);
    put(&o, &p, 0);

    /* 5: GTP-U cut 5 bytes into its header by the snap length */
    hello4(&p, 0x0705);
    gtpu(&p, 0, 255, 0x35, 0, 0);
    outer_udp(&p, 2152, 2152, 0xb105);
    put(&o, &p, 14 + 20 + 8 + 5);

    /* 6: L2TPv2 with L and S cut 4 bytes into its header */
    hello4(&p, 0x0706);
    ppp_ac(&p, 0x0021);
    l2tp2(&p, L2TP_L | L2TP_S, 1, 2, 0, 0, 0);
    outer_udp(&p, 1701, 1701, 0xb106);
    put(&o, &p, 14 + 20 + 8 + 4);

    /* 7: L2TPv2 offset size 200 in a message of 46 bytes */
    hello4(&p, 0x0707);
    ppp_ac(&p, 0x0021);
    l2tp2(&p, L2TP_O, 1, 2, 0, 0, 0);
    be16(p.d + p.off + 6, 200); /* the offset size, after flags and ids */
    outer_udp(&p, 1701, 1701, 0xb107);
    put(&o, &p, 0);

    /* 8: ERSPAN type II cut 6 bytes into its header */
    hello4(&p, 0x0708);
    eth(&p, MAC_D, MAC_C, 0x0800);
    erspan2(&p, 10, 0, 101, 1);
    gre(&p, GRE_S, 0x88be, 0, 2);
    outer_gre(&p, 0xb108);
    put(&o, &p, 14 + 20 + 8 + 6);

    /* 9: an 802.1ah I-tag cut after 2 bytes */
    hello4(&p, 0x0709);
    eth(&p, MAC_D, MAC_C, 0x0800);
    itag(&p, 0, 0x42);
    eth(&p, MAC_B, MAC_A, 0x88e7);
    put(&o, &p, 14 + 2);

    /* 10: Geneve cut 5 bytes into its header */
    hello4(&p, 0x070a);
    eth(&p, MAC_D, MAC_C, 0x0800);
    geneve(&p, 0, 0, 0x6558, 3);
    outer_udp(&p, 50005, 6081, 0xb10a);
    put(&o, &p, 14 + 20 + 8 + 5);

    close_out(&o);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkfix_tunnels DIR\n");
        return 2;
    }
    overlays(argv[1]);
    bad(argv[1]);
    return 0;
}
