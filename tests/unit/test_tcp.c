/* Unit tests for the TCP decoder (src/proto/tcp.c).
 *
 * Byte arrays: TCP segments from 192.0.2.1 to 192.0.2.2, made by a short
 * Python script (struct.pack, RFC 1071 sums) and checked with tshark
 * (tcp.check_checksum: every "good" one is good for tshark too, and the
 * option verdicts match its expert infos). They are decoded directly by
 * wp_tcp_decode over a hand-made IPv4 layer, so these tests do not depend on
 * the IPv4 decoder. Fixture tests go through the whole wp_decode path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

/* syn */
static const uint8_t syn[] = {
    0x9c, 0x41, 0x1f, 0x90, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
    0xa0, 0x02, 0xff, 0xff, 0x00, 0x5b, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
    0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x03, 0x03, 0x07,
};
/* psh */
static const uint8_t psh[] = {
    0x9c, 0x41, 0x1f, 0x90, 0x00, 0x00, 0x03, 0xe9, 0x00, 0x00, 0x07, 0xd1,
    0x50, 0x18, 0xff, 0xff, 0x6e, 0x85, 0x00, 0x00, 0x47, 0x69, 0x76, 0x65,
    0x20, 0x6d, 0x65, 0x20, 0x74, 0x68, 0x65, 0x20, 0x64, 0x61, 0x74, 0x61,
};
/* psh_bad */
static const uint8_t psh_bad[] = {
    0x9c, 0x41, 0x1f, 0x90, 0x00, 0x00, 0x03, 0xe9, 0x00, 0x00, 0x07, 0xd1,
    0x50, 0x18, 0xff, 0xff, 0x7c, 0xb1, 0x00, 0x00, 0x47, 0x69, 0x76, 0x65,
    0x20, 0x6d, 0x65, 0x20, 0x74, 0x68, 0x65, 0x20, 0x64, 0x61, 0x74, 0x61,
};
/* psh_off */
static const uint8_t psh_off[] = {
    0x9c, 0x41, 0x1f, 0x90, 0x00, 0x00, 0x03, 0xe9, 0x00, 0x00, 0x07, 0xd1,
    0x50, 0x18, 0xff, 0xff, 0x84, 0x2e, 0x00, 0x00, 0x47, 0x69, 0x76, 0x65,
    0x20, 0x6d, 0x65, 0x20, 0x74, 0x68, 0x65, 0x20, 0x64, 0x61, 0x74, 0x61,
};
/* nops */
static const uint8_t nops[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0xf0, 0x10, 0xff, 0xff, 0x77, 0x8a, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
};
/* allkinds */
static const uint8_t allkinds[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0xf0, 0x10, 0xff, 0xff, 0x18, 0xe3, 0x00, 0x00, 0x01, 0x02, 0x04, 0x05,
    0xb4, 0x03, 0x03, 0x07, 0x04, 0x02, 0x08, 0x0a, 0xde, 0xad, 0xbe, 0xef,
    0x01, 0x02, 0x03, 0x04, 0x05, 0x12, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00,
    0x00, 0xc8, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x00, 0x01, 0x90, 0x00, 0x00,
};
/* unknown */
static const uint8_t unknown[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0xa0, 0x10, 0xff, 0xff, 0x12, 0xcf, 0x00, 0x00, 0xfe, 0x06, 0x61, 0x62,
    0x63, 0x64, 0x05, 0x0a, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,
    0x01, 0x01, 0x00, 0x00,
};
/* zerolen */
static const uint8_t zerolen[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x60, 0x10, 0xff, 0xff, 0x14, 0x0f, 0x00, 0x00, 0x02, 0x00, 0x05, 0xb4,
};
/* past */
static const uint8_t past[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x60, 0x10, 0xff, 0xff, 0x10, 0xbb, 0x00, 0x00, 0x01, 0x08, 0x0a, 0x00,
};
/* mss5 */
static const uint8_t mss5[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x70, 0x10, 0xff, 0xff, 0x03, 0x04, 0x00, 0x00, 0x02, 0x05, 0x05, 0xb4,
    0x00, 0x01, 0x01, 0x01,
};
/* sack12 */
static const uint8_t sack12[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x90, 0x10, 0xff, 0xff, 0xe4, 0xa8, 0x00, 0x00, 0x05, 0x0c, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01,
};
/* nolen */
static const uint8_t nolen[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x60, 0x10, 0xff, 0xff, 0x19, 0xc0, 0x00, 0x00, 0x01, 0x01, 0x01, 0x02,
};
/* doff4 */
static const uint8_t doff4[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x40, 0x02, 0xff, 0xff, 0x3b, 0xd5, 0x00, 0x00,
};
/* doff15 */
static const uint8_t doff15[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0xf0, 0x02, 0xff, 0xff, 0x81, 0xb6, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01,
};
/* allflags */
static const uint8_t allflags[] = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
    0x51, 0xff, 0xff, 0xff, 0x29, 0xd1, 0x00, 0x07,
};

static const uint8_t SRC4[4] = {192, 0, 2, 1}, DST4[4] = {192, 0, 2, 2};

/* Decode seg (seglen bytes by the IP header's count, caplen of them
 * captured) as TCP after a 20-byte IPv4 layer; returns the TCP layer. */
static const wp_layer *run_tcp(wp_packet *p, uint8_t *buf, const uint8_t *seg, uint32_t seglen,
                               uint32_t caplen, uint8_t lflags, wp_next *nx)
{
    memset(p, 0, sizeof *p);
    memset(buf, 0x45, 20);
    memcpy(buf + 20, seg, caplen);
    p->data = buf;
    p->caplen = 20 + caplen;
    p->len = 20 + seglen;
    p->linktype = WP_LINK_RAW;
    wp_next ip = {WP_PROTO_IPV4, 0, 0, 0, 20 + seglen};
    wp_layer *l = wp_pkt_push(p, &ip, WP_PROTO_IPV4);
    assert_non_null(l);
    l->hdr_len = 20;
    l->len = 20 + seglen;
    memcpy(l->h.ipv4.src, SRC4, 4);
    memcpy(l->h.ipv4.dst, DST4, 4);
    wp_next t = {WP_PROTO_TCP, lflags, 1, 20, 20 + seglen};
    *nx = t;
    wp_tcp_decode(p, nx);
    assert_int_equal(p->nlayers, 2);
    return &p->layers[1];
}

static const wp_opt *opt(const wp_packet *p, const wp_layer *l, unsigned i)
{
    assert_true(i < l->opt_count);
    return &p->opts[l->opt_first + i];
}

static unsigned count_events(const wp_packet *p, const char *code)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->nevents; i++)
        if (strcmp(p->events[i].def->code, code) == 0)
            n++;
    return n;
}

static const char *describe(const wp_layer *l, const char *name, char *buf, size_t n)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0 && pi->fields[i].describe)
            return pi->fields[i].describe(wp_field_uint(l, &pi->fields[i]), buf, n);
    return NULL;
}

static void test_tcp_syn_fields_and_options(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, syn, sizeof syn, sizeof syn, 0, &nx);
    assert_int_equal(l->proto, WP_PROTO_TCP);
    assert_int_equal(l->off, 20);
    assert_int_equal(l->hdr_len, 40);
    assert_int_equal(l->len, 40);
    assert_int_equal(wp_test_field(l, "sport"), 40001);
    assert_int_equal(wp_test_field(l, "dport"), 8080);
    assert_int_equal(wp_test_field(l, "seq"), 1000);
    assert_int_equal(wp_test_field(l, "ack"), 0);
    assert_int_equal(wp_test_field(l, "data_offset"), 10);
    assert_int_equal(wp_test_field(l, "flags"), 0x002);
    assert_int_equal(wp_test_field(l, "window"), 65535);
    assert_int_equal(wp_test_field(l, "checksum"), 0x005b);
    assert_int_equal(wp_test_field(l, "urgent"), 0);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->csum_computed, 0x005b);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->flags, 0);
    /* MSS 1460, SACK-perm, timestamps, NOP, wscale 7 (Linux's SYN) */
    assert_int_equal(l->opt_count, 5);
    assert_int_equal(opt(&p, l, 0)->kind, 2);
    assert_int_equal(opt(&p, l, 0)->len, 4);
    assert_int_equal(opt(&p, l, 0)->nv, 1);
    assert_int_equal(opt(&p, l, 0)->v[0], 1460);
    assert_int_equal(opt(&p, l, 0)->off, 40);
    assert_int_equal(opt(&p, l, 1)->kind, 4);
    assert_int_equal(opt(&p, l, 1)->len, 2);
    assert_int_equal(opt(&p, l, 1)->nv, 0);
    assert_int_equal(opt(&p, l, 2)->kind, 8);
    assert_int_equal(opt(&p, l, 2)->len, 10);
    assert_int_equal(opt(&p, l, 2)->v[0], 1000);
    assert_int_equal(opt(&p, l, 2)->v[1], 0);
    assert_int_equal(opt(&p, l, 3)->kind, 1);
    assert_int_equal(opt(&p, l, 3)->len, 1);
    assert_int_equal(opt(&p, l, 4)->kind, 3);
    assert_int_equal(opt(&p, l, 4)->len, 3);
    assert_int_equal(opt(&p, l, 4)->v[0], 7);
    assert_int_equal(opt(&p, l, 4)->off, 57);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(opt(&p, l, i)->bad, 0);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
    assert_int_equal(nx.off, 60);
    assert_int_equal(nx.end, 60);
    char fmt[64];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHIIHHHH20s");
}

static void test_tcp_psh_ack_payload_and_good_checksum(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, psh, sizeof psh, sizeof psh, 0, &nx);
    assert_int_equal(l->hdr_len, 20);
    assert_int_equal(l->len, 36);
    assert_int_equal(wp_test_field(l, "seq"), 1001);
    assert_int_equal(wp_test_field(l, "ack"), 2001);
    assert_int_equal(wp_test_field(l, "flags"), 0x018);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->opt_count, 0);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
    assert_int_equal(nx.off, 40);
    assert_int_equal(nx.end, 56);
    char fmt[64];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHIIHHHH");
    char d[64];
    assert_string_equal(describe(l, "flags", d, sizeof d), "[PSH, ACK]");
}

static void test_tcp_bad_checksum_is_an_event(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, psh_bad, sizeof psh_bad, sizeof psh_bad, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_int_equal(l->csum_computed, 0x6e85); /* tshark: "should be 0x6e85" */
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.checksum_bad");
    assert_int_equal(p.events[0].def->kind, WP_EV_CHECKSUM);
    assert_int_equal(p.events[0].layer, 1);
    assert_int_equal(p.events[0].val, 0x7cb1);
    assert_int_equal(p.events[0].ref, 0x6e85);
}

static void test_tcp_linux_partial_checksum_is_offloaded(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, psh_off, sizeof psh_off, sizeof psh_off, 0, &nx);
    assert_int_equal(l->csum, WP_CSUM_OFFLOADED);
    assert_int_equal(p.nevents, 0);
}

static void test_tcp_checksum_over_ipv6_pseudo_header(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    uint8_t seg[sizeof psh];
    memcpy(seg, psh, sizeof seg);
    seg[16] = 0x97; /* the sum with 2001:db8::1 -> 2001:db8::2, from Python */
    seg[17] = 0x14;
    run_tcp(&p, buf, seg, sizeof seg, sizeof seg, 0, &nx);
    /* turn the IPv4 layer into IPv6 and decode again */
    wp_layer *ip = &p.layers[0];
    ip->proto = WP_PROTO_IPV6;
    const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    const uint8_t d6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
    memcpy(ip->h.ipv6.src, s6, 16);
    memcpy(ip->h.ipv6.dst, d6, 16);
    p.nlayers = 1;
    p.nevents = 0;
    p.nopts = 0;
    wp_next t = {WP_PROTO_TCP, 0, 1, 20, 20 + sizeof seg};
    wp_tcp_decode(&p, &t);
    assert_int_equal(p.layers[1].csum, WP_CSUM_GOOD);
    assert_int_equal(p.nevents, 0);
}

static void test_tcp_without_ip_layer_is_unverified(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    run_tcp(&p, buf, psh, sizeof psh, sizeof psh, 0, &nx);
    p.layers[0].proto = WP_PROTO_PAYLOAD; /* no IP below: no pseudo-header */
    p.nlayers = 1;
    wp_next t = {WP_PROTO_TCP, 0, 1, 20, 20 + sizeof psh};
    wp_tcp_decode(&p, &t);
    assert_int_equal(p.layers[1].csum, WP_CSUM_UNVERIFIED);
}

static void test_tcp_forty_nops(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, nops, sizeof nops, sizeof nops, 0, &nx);
    assert_int_equal(wp_test_field(l, "data_offset"), 15);
    assert_int_equal(l->hdr_len, 60);
    assert_int_equal(l->opt_count, 40);
    for (unsigned i = 0; i < 40; i++) {
        assert_int_equal(opt(&p, l, i)->kind, 1);
        assert_int_equal(opt(&p, l, i)->len, 1);
        assert_int_equal(opt(&p, l, i)->off, 40 + i);
    }
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(nx.off, 80);
}

static void test_tcp_every_option_kind(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, allkinds, sizeof allkinds, sizeof allkinds, 0, &nx);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    /* nop, mss, wscale, sack_perm, timestamp, sack (2 blocks), eol; the
     * byte after EOL is padding, not an option */
    assert_int_equal(l->opt_count, 7);
    const unsigned kinds[] = {1, 2, 3, 4, 8, 5, 0};
    const unsigned lens[] = {1, 4, 3, 2, 10, 18, 1};
    const unsigned offs[] = {40, 41, 45, 48, 50, 60, 78};
    for (unsigned i = 0; i < 7; i++) {
        assert_int_equal(opt(&p, l, i)->kind, kinds[i]);
        assert_int_equal(opt(&p, l, i)->len, lens[i]);
        assert_int_equal(opt(&p, l, i)->off, offs[i]);
        assert_int_equal(opt(&p, l, i)->bad, 0);
    }
    assert_int_equal(opt(&p, l, 1)->v[0], 1460);
    assert_int_equal(opt(&p, l, 2)->v[0], 7);
    assert_int_equal(opt(&p, l, 4)->nv, 2);
    assert_int_equal(opt(&p, l, 4)->v[0], 0xdeadbeefu);
    assert_int_equal(opt(&p, l, 4)->v[1], 0x01020304u);
    const wp_opt *s = opt(&p, l, 5);
    assert_int_equal(s->nv, 4);
    assert_int_equal(s->v[0], 100);
    assert_int_equal(s->v[1], 200);
    assert_int_equal(s->v[2], 300);
    assert_int_equal(s->v[3], 400);
    assert_int_equal(opt(&p, l, 6)->nv, 0);
}

static void test_tcp_unknown_option_keeps_kind_and_length(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, unknown, sizeof unknown, sizeof unknown, 0, &nx);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->opt_count, 5);
    assert_int_equal(opt(&p, l, 0)->kind, 254);
    assert_int_equal(opt(&p, l, 0)->len, 6);
    assert_int_equal(opt(&p, l, 0)->nv, 0);
    assert_int_equal(opt(&p, l, 0)->off, 40);
    assert_null(wp_tcp_opt_name(254));
    assert_int_equal(opt(&p, l, 1)->kind, 5);
    assert_int_equal(opt(&p, l, 1)->nv, 2);
    assert_int_equal(opt(&p, l, 1)->v[0], 5);
    assert_int_equal(opt(&p, l, 1)->v[1], 6);
    assert_int_equal(opt(&p, l, 4)->kind, 0);
}

static void test_tcp_zero_length_option_is_invalid(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, zerolen, sizeof zerolen, sizeof zerolen, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_len_invalid");
    assert_int_equal(p.events[0].def->kind, WP_EV_INVALID);
    assert_int_equal(p.events[0].val, 0);
    assert_int_equal(p.events[0].ref, 2);
    assert_int_equal(l->opt_count, 1);
    assert_int_equal(opt(&p, l, 0)->kind, 2);
    assert_int_equal(opt(&p, l, 0)->len, 0);
    assert_int_equal(opt(&p, l, 0)->bad, 1);
    /* the header itself is sound: its length and checksum still count */
    assert_int_equal(l->hdr_len, 24);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(nx.off, 44);
}

static void test_tcp_length_one_option_is_invalid(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    uint8_t seg[sizeof zerolen];
    memcpy(seg, zerolen, sizeof seg);
    seg[21] = 1; /* MSS with length 1 */
    const wp_layer *l = run_tcp(&p, buf, seg, sizeof seg, sizeof seg, 0, &nx);
    assert_true(wp_test_has_event(&p, "tcp.option_len_invalid"));
    assert_int_equal(l->opt_count, 1);
    assert_int_equal(opt(&p, l, 0)->len, 1);
    assert_int_equal(opt(&p, l, 0)->bad, 1);
}

static void test_tcp_option_past_data_offset(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, past, sizeof past, sizeof past, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_exceeds_header");
    assert_int_equal(p.events[0].val, 31); /* timestamp at 21 + 10 */
    assert_int_equal(p.events[0].ref, 24);
    assert_int_equal(l->opt_count, 2);
    assert_int_equal(opt(&p, l, 0)->kind, 1);
    assert_int_equal(opt(&p, l, 1)->kind, 8);
    assert_int_equal(opt(&p, l, 1)->len, 10);
    assert_int_equal(opt(&p, l, 1)->bad, 1);
    assert_int_equal(opt(&p, l, 1)->nv, 0);
}

static void test_tcp_length_byte_past_data_offset(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, nolen, sizeof nolen, sizeof nolen, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_exceeds_header");
    assert_int_equal(l->opt_count, 4);
    assert_int_equal(opt(&p, l, 3)->kind, 2);
    assert_int_equal(opt(&p, l, 3)->bad, 1);
}

static void test_tcp_wrong_fixed_length_is_invalid_and_skipped(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, mss5, sizeof mss5, sizeof mss5, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_len_invalid");
    assert_int_equal(p.events[0].val, 5);
    assert_int_equal(p.events[0].ref, 4);
    /* the bad MSS, then the three NOPs after its 5 bytes */
    assert_int_equal(l->opt_count, 4);
    assert_int_equal(opt(&p, l, 0)->bad, 1);
    assert_int_equal(opt(&p, l, 0)->nv, 0);
    for (unsigned i = 1; i < 4; i++)
        assert_int_equal(opt(&p, l, i)->kind, 1);
}

static void test_tcp_sack_length_not_2_plus_8n_is_invalid(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, sack12, sizeof sack12, sizeof sack12, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_len_invalid");
    assert_int_equal(p.events[0].val, 12);
    assert_int_equal(l->opt_count, 5);
    assert_int_equal(opt(&p, l, 0)->bad, 1);
}

static void test_tcp_wrong_length_of_each_fixed_kind(void **state)
{
    (void)state;
    /* kind, a wrong length: each must raise option_len_invalid */
    const uint8_t cases[][2] = {{2, 3}, {3, 2}, {3, 4}, {4, 3}, {8, 8}, {8, 12}, {5, 2}, {5, 9}};
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        uint8_t seg[20 + 20];
        memcpy(seg, nops, 20);
        seg[12] = 0xa0; /* data offset 10 */
        memset(seg + 20, 1, 20);
        seg[20] = cases[k][0];
        seg[21] = cases[k][1];
        wp_packet p;
        uint8_t buf[128];
        wp_next nx;
        const wp_layer *l = run_tcp(&p, buf, seg, sizeof seg, sizeof seg, 0, &nx);
        assert_true(wp_test_has_event(&p, "tcp.option_len_invalid"));
        assert_int_equal(count_events(&p, "tcp.option_len_invalid"), 1);
        assert_int_equal(opt(&p, l, 0)->bad, 1);
        assert_int_equal(opt(&p, l, 0)->nv, 0);
    }
}

static void test_tcp_data_offset_below_5_is_invalid(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, doff4, sizeof doff4, sizeof doff4, 0, &nx);
    assert_int_equal(wp_test_field(l, "data_offset"), 4);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.data_offset_invalid");
    assert_int_equal(p.events[0].def->kind, WP_EV_INVALID);
    assert_int_equal(p.events[0].val, 4);
    assert_int_equal(p.events[0].ref, 5);
    assert_int_equal(l->hdr_len, 20);
    assert_int_equal(l->opt_count, 0);
    assert_int_equal(l->csum, WP_CSUM_NA);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
}

static void test_tcp_data_offset_exceeds_segment(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, doff15, sizeof doff15, sizeof doff15, 0, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.data_offset_exceeds_segment");
    assert_int_equal(p.events[0].val, 60);
    assert_int_equal(p.events[0].ref, 40);
    assert_int_equal(l->opt_count, 0);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
    assert_int_equal(nx.off, 40);
}

static void test_tcp_truncated_at_every_byte(void **state)
{
    (void)state;
    for (uint32_t cap = 0; cap < sizeof syn; cap++) {
        wp_packet p;
        uint8_t buf[128];
        wp_next nx;
        const wp_layer *l = run_tcp(&p, buf, syn, sizeof syn, cap, 0, &nx);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "tcp.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, cap < 20 ? 20 : 40);
        assert_true(l->flags & WP_LF_TRUNCATED);
        assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
        assert_int_equal(nx.proto, WP_PROTO_NONE);
        assert_int_equal(nx.off, 20 + cap);
        /* only options wholly captured carry values */
        unsigned want = cap >= 24 ? 1 : 0;
        want += cap >= 26 ? 1 : 0;
        want += cap >= 36 ? 1 : 0;
        want += cap >= 37 ? 1 : 0;
        assert_int_equal(l->opt_count, want);
        for (unsigned i = 0; i < l->opt_count; i++)
            assert_int_equal(opt(&p, l, i)->bad, 0);
        if (cap >= 20)
            assert_int_equal(l->hdr_len, 40);
    }
}

static void test_tcp_quoted_eight_bytes_is_quietly_truncated(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    /* an ICMP error quotes 8 bytes: the IP layer's end is the quote's end */
    const wp_layer *l = run_tcp(&p, buf, psh, 8, 8, WP_LF_QUOTED, &nx);
    assert_int_equal(p.nevents, 0);
    assert_true(l->flags & WP_LF_TRUNCATED);
    assert_true(l->flags & WP_LF_QUOTED);
    assert_int_equal(wp_test_field(l, "sport"), 40001);
    assert_int_equal(wp_test_field(l, "dport"), 8080);
    assert_int_equal(wp_test_field(l, "seq"), 1001);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(nx.proto, WP_PROTO_NONE);
}

static void test_tcp_quoted_whole_segment_is_unverified(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, syn, 28, 28, WP_LF_QUOTED, &nx);
    /* options cut by the quote: no event either */
    assert_int_equal(p.nevents, 0);
    assert_true(l->flags & WP_LF_TRUNCATED);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    l = run_tcp(&p, buf, psh, sizeof psh, sizeof psh, WP_LF_QUOTED, &nx);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->flags & WP_LF_TRUNCATED, 0);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
}

static void test_tcp_in_fragment_is_unverified(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    const wp_layer *l = run_tcp(&p, buf, psh_bad, sizeof psh_bad, sizeof psh_bad, WP_LF_FRAGMENT,
                                &nx);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(p.nevents, 0);
    /* a fragment that ends inside the header is still reported */
    l = run_tcp(&p, buf, syn, 10, 10, WP_LF_FRAGMENT, &nx);
    assert_true(wp_test_has_event(&p, "tcp.truncated"));
}

static void test_tcp_flags_describe(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    char d[64];
    const wp_layer *l = run_tcp(&p, buf, allflags, sizeof allflags, sizeof allflags, 0, &nx);
    assert_int_equal(wp_test_field(l, "flags"), 0x1ff);
    assert_int_equal(wp_test_field(l, "urgent"), 7);
    assert_string_equal(describe(l, "flags", d, sizeof d),
                        "[FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE]");
    l = run_tcp(&p, buf, syn, sizeof syn, sizeof syn, 0, &nx);
    assert_string_equal(describe(l, "flags", d, sizeof d), "[SYN]");
    l = run_tcp(&p, buf, doff4, sizeof doff4, sizeof doff4, 0, &nx);
    assert_string_equal(describe(l, "flags", d, sizeof d), "[SYN]");
    const wp_field *f = wp_test_row(WP_PROTO_TCP, "flags");
    assert_string_equal(f->name, "flags");
    assert_string_equal(f->describe(0x012, d, sizeof d), "[SYN, ACK]");
    assert_string_equal(f->describe(0x011, d, sizeof d), "[FIN, ACK]");
    assert_string_equal(f->describe(0, d, sizeof d), "[]");
    /* a short buffer drops names, never overruns */
    char small[8];
    assert_string_equal(f->describe(0x1ff, small, sizeof small), "[FIN]");
}

static void test_tcp_field_table_matches_the_header(void **state)
{
    (void)state;
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_TCP);
    assert_string_equal(pi->name, "tcp");
    const char *names[] = {"sport", "dport",  "seq",     "ack",    "data_offset",
                           "flags", "window", "checksum", "urgent", "options"};
    assert_int_equal(pi->nfields, 10);
    for (unsigned i = 0; i < 10; i++)
        assert_string_equal(pi->fields[i].name, names[i]);
    assert_int_equal(wp_test_row(WP_PROTO_TCP, "data_offset")->mask, 0xf000);
    assert_int_equal(wp_test_row(WP_PROTO_TCP, "data_offset")->shift, 12);
    assert_int_equal(wp_test_row(WP_PROTO_TCP, "data_offset")->mult, 4);
    assert_int_equal(wp_test_row(WP_PROTO_TCP, "flags")->mask, 0x0fff);
    assert_int_equal(wp_test_row(WP_PROTO_TCP, "options")->kind, WP_FK_OPTIONS);
    assert_int_equal(wp_test_row(WP_PROTO_TCP, "options")->off, 20);
}

static void test_tcp_option_names(void **state)
{
    (void)state;
    assert_string_equal(wp_tcp_opt_name(0), "eol");
    assert_string_equal(wp_tcp_opt_name(1), "nop");
    assert_string_equal(wp_tcp_opt_name(2), "mss");
    assert_string_equal(wp_tcp_opt_name(3), "wscale");
    assert_string_equal(wp_tcp_opt_name(4), "sack_perm");
    assert_string_equal(wp_tcp_opt_name(5), "sack");
    assert_string_equal(wp_tcp_opt_name(8), "timestamp");
    assert_string_equal(wp_tcp_opt_name(30), "mptcp");
    assert_string_equal(wp_opt_name(WP_PROTO_TCP, 2), "mss");
    assert_null(wp_tcp_opt_name(6));
    assert_null(wp_tcp_opt_name(255));
}

static void test_tcp_option_pool_full_stops_quietly(void **state)
{
    (void)state;
    wp_packet p;
    uint8_t buf[128];
    wp_next nx;
    run_tcp(&p, buf, nops, sizeof nops, sizeof nops, 0, &nx);
    /* a second TCP layer in the same packet: only 24 option slots are left */
    wp_next t = {WP_PROTO_TCP, 0, 2, 20, 20 + sizeof nops};
    wp_tcp_decode(&p, &t);
    assert_int_equal(p.nopts, WP_MAX_OPTS);
    assert_int_equal(p.layers[2].opt_count, WP_MAX_OPTS - 40);
}


static void test_tcp_fixture_udp_tcp_pair_syn(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 1, &p, &nx);
    assert_int_equal(l->proto, WP_PROTO_TCP);
    assert_int_equal(l->off, 34);
    assert_int_equal(l->hdr_len, 40);
    assert_int_equal(wp_test_field(l, "sport"), 40001);
    assert_int_equal(wp_test_field(l, "dport"), 54321);
    assert_int_equal(wp_test_field(l, "seq"), 1000);
    assert_int_equal(wp_test_field(l, "ack"), 0);
    assert_int_equal(wp_test_field(l, "data_offset"), 10);
    assert_int_equal(wp_test_field(l, "flags"), 0x002);
    assert_int_equal(wp_test_field(l, "window"), 64240);
    assert_int_equal(wp_test_field(l, "checksum"), 0x726e);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->opt_count, 5);
    const unsigned kinds[] = {2, 4, 8, 1, 3};
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(opt(&p, l, i)->kind, kinds[i]);
    assert_int_equal(opt(&p, l, 0)->v[0], 1460);
    assert_int_equal(opt(&p, l, 2)->v[0], 123456);
    assert_int_equal(opt(&p, l, 2)->v[1], 0);
    assert_int_equal(opt(&p, l, 4)->v[0], 7);
    assert_int_equal(nx.off, 74);
    assert_int_equal(nx.end, 74);
    wp_fixture_free(fx);
}

static void test_tcp_fixture_handshake(void **state)
{
    (void)state;
    /* expected values as tshark reads them (tcp.flags, seq_raw, ack_raw,
     * window, hdr_len, len, timestamps; checksum.status good for all) */
    static const struct {
        uint16_t flags;
        uint32_t seq, ack;
        uint16_t win;
        uint32_t hlen, paylen, tsval, tsecr;
    } want[9] = {
        {0x002, 1000, 0, 64240, 40, 0, 123456, 0},
        {0x012, 5000, 1001, 65160, 40, 0, 1000000, 123456},
        {0x010, 1001, 5001, 502, 32, 0, 123458, 1000001},
        {0x018, 1001, 5001, 502, 32, 16, 123459, 1000002},
        {0x010, 5001, 1017, 509, 32, 0, 1000004, 123459},
        {0x011, 1017, 5001, 502, 32, 0, 123461, 1000004},
        {0x010, 5001, 1018, 509, 32, 0, 1000006, 123461},
        {0x011, 5001, 1018, 509, 32, 0, 1000007, 123462},
        {0x010, 1018, 5002, 502, 32, 0, 123464, 1000007},
    };
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    assert_int_equal(fx->n, 9);
    for (size_t i = 0; i < 9; i++) {
        wp_packet p;
        wp_next nx;
        const wp_layer *l = wp_test_fixture_transport(fx, i, &p, &nx);
        assert_int_equal(wp_test_field(l, "flags"), want[i].flags);
        assert_int_equal(wp_test_field(l, "seq"), want[i].seq);
        assert_int_equal(wp_test_field(l, "ack"), want[i].ack);
        assert_int_equal(wp_test_field(l, "window"), want[i].win);
        assert_int_equal(l->hdr_len, want[i].hlen);
        assert_int_equal(nx.end - nx.off, want[i].paylen);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_int_equal(p.nevents, 0);
        const wp_opt *ts = NULL;
        for (unsigned k = 0; k < l->opt_count; k++)
            if (opt(&p, l, k)->kind == 8)
                ts = opt(&p, l, k);
        assert_non_null(ts);
        assert_int_equal(ts->v[0], want[i].tsval);
        assert_int_equal(ts->v[1], want[i].tsecr);
        if (want[i].hlen == 32) {
            assert_int_equal(l->opt_count, 3);
            assert_int_equal(opt(&p, l, 0)->kind, 1);
            assert_int_equal(opt(&p, l, 1)->kind, 1);
        }
        if (i == 3)
            assert_memory_equal(p.data + nx.off, "Give me the data", 16);
    }
    wp_fixture_free(fx);
}

static void test_tcp_fixture_padding_is_outside_the_segment(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("eth-padding.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(wp_test_field(l, "seq"), 5001);
    assert_int_equal(wp_test_field(l, "ack"), 1017);
    assert_int_equal(wp_test_field(l, "window"), 509);
    assert_int_equal(l->len, 20);
    assert_int_equal(l->csum, WP_CSUM_GOOD); /* the 6 pad bytes are not summed */
    assert_int_equal(nx.off, 54);
    assert_int_equal(nx.end, 54);
    wp_fixture_free(fx);
}

static void test_tcp_fixture_bad_data_offset(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-tcp-data-offset.pcap");
    wp_packet p;
    wp_next nx;
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(wp_test_field(l, "data_offset"), 4);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.data_offset_invalid");
    assert_int_equal(p.events[0].val, 4);
    assert_int_equal(nx.proto, WP_PROTO_PAYLOAD);
    wp_fixture_free(fx);
}

static void test_tcp_fixture_bad_option_len(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-tcp-option-len.pcap");
    wp_packet p;
    wp_next nx;
    /* MSS 1460, then window scale with length 0: the loop stops there */
    const wp_layer *l = wp_test_fixture_transport(fx, 0, &p, &nx);
    assert_int_equal(l->hdr_len, 28);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_len_invalid");
    assert_int_equal(p.events[0].val, 0);
    assert_int_equal(l->opt_count, 2);
    assert_int_equal(opt(&p, l, 0)->v[0], 1460);
    assert_int_equal(opt(&p, l, 1)->kind, 3);
    assert_int_equal(opt(&p, l, 1)->bad, 1);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    /* MSS, NOP, NOP, then timestamps of length 10 with 2 bytes left */
    l = wp_test_fixture_transport(fx, 1, &p, &nx);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.option_exceeds_header");
    assert_int_equal(p.events[0].val, 36);
    assert_int_equal(p.events[0].ref, 28);
    assert_int_equal(l->opt_count, 4);
    assert_int_equal(opt(&p, l, 3)->kind, 8);
    assert_int_equal(opt(&p, l, 3)->bad, 1);
    wp_fixture_free(fx);
}

static void test_tcp_fixture_snaplen_cuts_options(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("snaplen-64.pcap");
    wp_packet p;
    wp_next nx;
    /* 32-byte header at 34: the snap length ends it at 64, inside the
     * timestamps option (tshark shows 0101080a0001e241000f, 10 bytes) */
    const wp_layer *l = wp_test_fixture_transport(fx, 1, &p, &nx);
    assert_int_equal(l->hdr_len, 32);
    assert_true(l->flags & WP_LF_TRUNCATED);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.truncated");
    assert_int_equal(p.events[0].val, 30);
    assert_int_equal(p.events[0].ref, 32);
    assert_int_equal(l->opt_count, 2); /* the two NOPs */
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    wp_fixture_free(fx);
}


static void test_tcp_fixture_handshake_through_wp_decode(void **state)
{
    (void)state;
    /* the whole decode path: Ethernet, IPv4, TCP, payload */
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    for (size_t i = 0; i < fx->n; i++) {
        wp_packet p;
        wp_fixture_decode(fx, i, &p);
        const wp_layer *l = wp_test_layer(&p, WP_PROTO_TCP, 0);
        assert_non_null(l);
        assert_int_equal(l->off, 34);
        assert_int_equal(l->depth, 2);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_int_equal(p.nevents, 0);
        const wp_layer *pl = wp_test_layer(&p, WP_PROTO_PAYLOAD, 0);
        if (i == 3) {
            assert_non_null(pl);
            assert_int_equal(pl->off, 66);
            assert_int_equal(pl->len, 16);
        } else {
            assert_null(pl);
        }
        assert_null(wp_test_layer(&p, WP_PROTO_TRAILER, 0));
    }
    wp_fixture_free(fx);
}

static void test_tcp_fixture_bad_ones_through_wp_decode(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-tcp-option-len.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_true(wp_test_has_event(&p, "tcp.option_len_invalid"));
    wp_fixture_decode(fx, 1, &p);
    assert_true(wp_test_has_event(&p, "tcp.option_exceeds_header"));
    wp_fixture_free(fx);
    fx = wp_fixture_load("bad-tcp-data-offset.pcap");
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "tcp.data_offset_invalid");
    assert_int_equal(p.events[0].layer, 2);
    wp_fixture_free(fx);
}

/* Options whose bytes are all captured are shown when the snap length cut
 * the option area after them (tshark shows them too); the cut is
 * tcp.truncated and the span shown stops at the captured end. */
static void test_tcp_options_before_a_snaplen_cut_are_shown(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-tcpopts-cut.pcap");
    static const unsigned want[5] = {2, 3, 4, 0, 5};
    for (size_t i = 0; i < 5; i++) {
        wp_packet p;
        wp_fixture_decode(fx, i, &p);
        const wp_layer *t = wp_test_layer(&p, WP_PROTO_TCP, 0);
        assert_int_equal(t->opt_count, want[i]);
        assert_int_equal(wp_test_has_event(&p, "tcp.truncated"), i < 4);
        const wp_field *f = wp_test_row(WP_PROTO_TCP, "options");
        assert_int_equal(wp_field_shown(&p, t, f), want[i] != 0);
        uint32_t off, len;
        wp_field_span(t, f, &off, &len);
        assert_true(off + len <= p.caplen);
    }
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    const wp_layer *t = wp_test_layer(&p, WP_PROTO_TCP, 0);
    assert_int_equal(p.opts[t->opt_first].v[0], 1460);
    assert_int_equal(p.opts[t->opt_first + 1].kind, 4);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_syn_fields_and_options),
        cmocka_unit_test(test_tcp_psh_ack_payload_and_good_checksum),
        cmocka_unit_test(test_tcp_bad_checksum_is_an_event),
        cmocka_unit_test(test_tcp_linux_partial_checksum_is_offloaded),
        cmocka_unit_test(test_tcp_checksum_over_ipv6_pseudo_header),
        cmocka_unit_test(test_tcp_without_ip_layer_is_unverified),
        cmocka_unit_test(test_tcp_forty_nops),
        cmocka_unit_test(test_tcp_every_option_kind),
        cmocka_unit_test(test_tcp_unknown_option_keeps_kind_and_length),
        cmocka_unit_test(test_tcp_zero_length_option_is_invalid),
        cmocka_unit_test(test_tcp_length_one_option_is_invalid),
        cmocka_unit_test(test_tcp_option_past_data_offset),
        cmocka_unit_test(test_tcp_length_byte_past_data_offset),
        cmocka_unit_test(test_tcp_wrong_fixed_length_is_invalid_and_skipped),
        cmocka_unit_test(test_tcp_sack_length_not_2_plus_8n_is_invalid),
        cmocka_unit_test(test_tcp_wrong_length_of_each_fixed_kind),
        cmocka_unit_test(test_tcp_data_offset_below_5_is_invalid),
        cmocka_unit_test(test_tcp_data_offset_exceeds_segment),
        cmocka_unit_test(test_tcp_truncated_at_every_byte),
        cmocka_unit_test(test_tcp_quoted_eight_bytes_is_quietly_truncated),
        cmocka_unit_test(test_tcp_quoted_whole_segment_is_unverified),
        cmocka_unit_test(test_tcp_in_fragment_is_unverified),
        cmocka_unit_test(test_tcp_flags_describe),
        cmocka_unit_test(test_tcp_field_table_matches_the_header),
        cmocka_unit_test(test_tcp_option_names),
        cmocka_unit_test(test_tcp_option_pool_full_stops_quietly),
        cmocka_unit_test(test_tcp_fixture_udp_tcp_pair_syn),
        cmocka_unit_test(test_tcp_fixture_handshake),
        cmocka_unit_test(test_tcp_fixture_padding_is_outside_the_segment),
        cmocka_unit_test(test_tcp_fixture_bad_data_offset),
        cmocka_unit_test(test_tcp_fixture_bad_option_len),
        cmocka_unit_test(test_tcp_fixture_snaplen_cuts_options),
        cmocka_unit_test(test_tcp_fixture_handshake_through_wp_decode),
        cmocka_unit_test(test_tcp_fixture_bad_ones_through_wp_decode),
        cmocka_unit_test(test_tcp_options_before_a_snaplen_cut_are_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
