/* IPv4 decoder: fields, header length, options, fragments, lengths against
 * the frame, checksum and events; on byte arrays built here and on the
 * fixture captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"

const char *wp_ipv4_opt_name(unsigned kind);

/* A frame under construction: Ethernet + IPv4 (+ what the test adds). */
typedef struct tframe {
    uint8_t b[1600];
    uint32_t n;
} tframe;

static const uint8_t eth_hdr[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};

/* Ethernet + an IPv4 header with opts (olen bytes, a multiple of 4 unless
 * the test wants otherwise: ihl is given) carrying proto and plen bytes of
 * payload pay; total length = header + plen; checksum fixed. */
static void build(tframe *f, unsigned ihl, const uint8_t *opts, size_t olen, uint8_t proto,
                  uint16_t fragword, const uint8_t *pay, size_t plen)
{
    memset(f, 0, sizeof *f);
    memcpy(f->b, eth_hdr, 14);
    uint8_t *ip = f->b + 14;
    uint32_t hl = ihl * 4 >= 20 ? ihl * 4 : 20;
    ip[0] = (uint8_t)(0x40 | ihl);
    ip[1] = 0xb8; /* DSCP 46 (EF), ECN 0 */
    wp_test_put16(ip + 2, (uint16_t)(hl + plen));
    wp_test_put16(ip + 4, 0x1234);
    wp_test_put16(ip + 6, fragword);
    ip[8] = 64;
    ip[9] = proto;
    const uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {192, 0, 2, 2};
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    if (olen)
        memcpy(ip + 20, opts, olen);
    wp_test_put16(ip + 10, wp_test_ref_csum(ip, hl, 0));
    if (plen)
        memcpy(ip + hl, pay, plen);
    f->n = 14 + hl + (uint32_t)plen;
}

/* A UDP datagram 40000 -> 54321 with data, checksum over the pseudo header
 * of 192.0.2.1 -> 192.0.2.2. */
static size_t make_udp(uint8_t *u, const char *data)
{
    size_t dl = strlen(data);
    uint16_t len = (uint16_t)(8 + dl);
    wp_test_put16(u, 40000);
    wp_test_put16(u + 2, 54321);
    wp_test_put16(u + 4, len);
    wp_test_put16(u + 6, 0);
    memcpy(u + 8, data, dl);
    const uint8_t ph[12] = {192, 0, 2, 1, 192, 0, 2, 2, 0, 17, (uint8_t)(len >> 8), (uint8_t)len};
    uint32_t s = 0;
    for (int i = 0; i < 12; i += 2)
        s += (uint32_t)(ph[i] << 8 | ph[i + 1]);
    uint16_t c = wp_test_ref_csum(u, len, s);
    wp_test_put16(u + 6, c ? c : 0xffff);
    return len;
}

static void decode_len(const tframe *f, uint32_t caplen, uint32_t wirelen, wp_packet *p)
{
    wp_frame fr = {1700000000, 0, caplen, wirelen, WP_LINK_EN10MB, f->b};
    wp_decode(&fr, p);
}

static void decode(const tframe *f, wp_packet *p)
{
    decode_len(f, f->n, f->n, p);
}

static const wp_opt *opt(const wp_packet *p, const wp_layer *l, unsigned i)
{
    assert_true(i < l->opt_count);
    return &p->opts[l->opt_first + i];
}

static wp_packet pkt; /* large: keep it off the stack */

static void test_ipv4_udp_fields_offsets_and_format(void **state)
{
    (void)state;
    tframe f;
    uint8_t u[64];
    size_t ul = make_udp(u, "hello, mercy");
    build(&f, 5, NULL, 0, 17, 0x4000, u, ul);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 4);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(l->proto, WP_PROTO_IPV4);
    assert_int_equal(l->off, 14);
    assert_int_equal(l->hdr_len, 20);
    assert_int_equal(l->len, 40);
    assert_int_equal(l->depth, 1);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->opt_count, 0);
    assert_int_equal(wp_test_field(l, "version"), 4);
    assert_int_equal(wp_test_field(l, "ihl"), 5);
    assert_int_equal(wp_test_field(l, "dscp"), 46);
    assert_int_equal(wp_test_field(l, "ecn"), 0);
    assert_int_equal(wp_test_field(l, "total_len"), 40);
    assert_int_equal(wp_test_field(l, "id"), 0x1234);
    assert_int_equal(wp_test_field(l, "flags"), 2);
    assert_int_equal(wp_test_field(l, "df"), 1);
    assert_int_equal(wp_test_field(l, "mf"), 0);
    assert_int_equal(wp_test_field(l, "frag_offset"), 0);
    assert_int_equal(wp_test_field(l, "ttl"), 64);
    assert_int_equal(wp_test_field(l, "proto"), 17);
    assert_int_equal(wp_test_field(l, "checksum"), f.b[24] << 8 | f.b[25]);
    assert_int_equal(l->csum_computed, f.b[24] << 8 | f.b[25]);
    const uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {192, 0, 2, 2};
    assert_memory_equal(l->h.ipv4.src, src, 4);
    assert_memory_equal(l->h.ipv4.dst, dst, 4);
    char fmt[64];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!BBHHHBBH4s4s");
    const wp_layer *udp = &pkt.layers[2];
    assert_int_equal(udp->proto, WP_PROTO_UDP);
    assert_int_equal(udp->off, 34);
    assert_int_equal(udp->csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[3].off, 42);
    assert_int_equal(pkt.layers[3].len, 12);
}

static void test_ipv4_field_table_masks(void **state)
{
    (void)state;
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_IPV4);
    assert_string_equal(pi->name, "ipv4");
    const char *names[] = {"version", "ihl",  "dscp",  "ecn",      "total_len", "id",
                           "flags",   "df",   "mf",    "frag_offset", "ttl",    "proto",
                           "checksum", "src", "dst",   "options"};
    assert_int_equal(pi->nfields, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < pi->nfields; i++)
        assert_string_equal(pi->fields[i].name, names[i]);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "version")->mask, 0xf0);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "version")->shift, 4);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "ihl")->mask, 0x0f);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "ihl")->mult, 4);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "flags")->mask, 0xe000);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "flags")->shift, 13);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "frag_offset")->mask, 0x1fff);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "frag_offset")->mult, 8);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "checksum")->hex, 1);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "src")->kind, WP_FK_IPV4);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "options")->kind, WP_FK_OPTIONS);
    assert_int_equal(wp_test_row(WP_PROTO_IPV4, "options")->off, 20);
    char buf[32];
    const wp_field *proto = wp_test_row(WP_PROTO_IPV4, "proto");
    assert_string_equal(proto->describe(6, buf, sizeof buf), "TCP");
    assert_string_equal(proto->describe(17, buf, sizeof buf), "UDP");
    assert_string_equal(proto->describe(1, buf, sizeof buf), "ICMP");
    assert_null(proto->describe(253, buf, sizeof buf));
}

static void test_ipv4_opt_names(void **state)
{
    (void)state;
    assert_string_equal(wp_ipv4_opt_name(0), "eol");
    assert_string_equal(wp_ipv4_opt_name(1), "nop");
    assert_string_equal(wp_ipv4_opt_name(7), "rr");
    assert_string_equal(wp_ipv4_opt_name(68), "ts");
    assert_string_equal(wp_ipv4_opt_name(131), "lsrr");
    assert_string_equal(wp_ipv4_opt_name(137), "ssrr");
    assert_string_equal(wp_ipv4_opt_name(148), "ra");
    assert_null(wp_ipv4_opt_name(30));
    assert_string_equal(wp_opt_name(WP_PROTO_IPV4, 7), "rr");
}

/* IHL 5..15 with NOP padding: the header length, where UDP starts, the
 * option count and the struct format all follow IHL. */
static void test_ipv4_ihl_5_to_15_sets_header_len(void **state)
{
    (void)state;
    uint8_t nops[40];
    memset(nops, 1, sizeof nops);
    uint8_t u[64];
    size_t ul = make_udp(u, "hi");
    for (unsigned ihl = 5; ihl <= 15; ihl++) {
        tframe f;
        build(&f, ihl, nops, (ihl - 5) * 4, 17, 0, u, ul);
        decode(&f, &pkt);
        assert_int_equal(pkt.nevents, 0);
        const wp_layer *l = &pkt.layers[1];
        assert_int_equal(l->hdr_len, ihl * 4);
        assert_int_equal(l->len, ihl * 4 + ul);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_int_equal(l->opt_count, (ihl - 5) * 4);
        const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
        assert_non_null(udp);
        assert_int_equal(udp->off, 14 + ihl * 4);
        assert_int_equal(udp->csum, WP_CSUM_GOOD);
        char fmt[64], want[64];
        if (ihl == 5)
            snprintf(want, sizeof want, "!BBHHHBBH4s4s");
        else
            snprintf(want, sizeof want, "!BBHHHBBH4s4s%us", (ihl - 5) * 4);
        assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), want);
    }
}

static void test_ipv4_ihl_below_5_is_invalid(void **state)
{
    (void)state;
    uint8_t u[64];
    size_t ul = make_udp(u, "hello");
    for (unsigned ihl = 0; ihl < 5; ihl++) {
        tframe f;
        build(&f, ihl, NULL, 0, 17, 0, u, ul);
        decode(&f, &pkt);
        assert_true(wp_test_has_event(&pkt, "ipv4.ihl_invalid"));
        assert_int_equal(pkt.nevents, 1);
        assert_int_equal(pkt.events[0].layer, 1);
        assert_int_equal(pkt.events[0].val, ihl);
        assert_int_equal(pkt.layers[1].proto, WP_PROTO_IPV4);
        assert_int_equal(wp_test_field(&pkt.layers[1], "ihl"), ihl);
        assert_int_equal(pkt.layers[1].csum, WP_CSUM_NA);
        /* the layer stays; nothing after it is decoded */
        assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
        assert_int_equal(pkt.nlayers, 3);
        assert_int_equal(pkt.layers[2].proto, WP_PROTO_PAYLOAD);
        assert_int_equal(pkt.layers[2].off, 34);
    }
}

static void test_ipv4_version_not_4_is_invalid(void **state)
{
    (void)state;
    tframe f;
    uint8_t u[64];
    size_t ul = make_udp(u, "x");
    build(&f, 5, NULL, 0, 17, 0, u, ul);
    f.b[14] = 0x65;
    f.b[24] = f.b[25] = 0;
    wp_test_put16(f.b + 24, wp_test_ref_csum(f.b + 14, 20, 0));
    decode(&f, &pkt);
    assert_true(wp_test_has_event(&pkt, "ipv4.version_invalid"));
    assert_int_equal(pkt.nevents, 1);
    assert_int_equal(pkt.events[0].val, 6);
    /* not an IPv4 header: no checksum verdict, no options, nothing after */
    assert_int_equal(pkt.layers[1].csum, WP_CSUM_UNVERIFIED);
    assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[2].off, 34);
}

/* Total length 0: segmentation offload on the capturing host; a note, and
 * the frame gives the length (as Wireshark does). */
static void test_ipv4_total_len_zero_is_offload(void **state)
{
    (void)state;
    tframe f;
    uint8_t u[64];
    size_t ul = make_udp(u, "hello, mercy");
    build(&f, 5, NULL, 0, 17, 0x4000, u, ul);
    wp_test_put16(f.b + 16, 0);
    wp_test_put16(f.b + 24, 0);
    wp_test_put16(f.b + 24, wp_test_ref_csum(f.b + 14, 20, 0));
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "ipv4.total_len_zero"));
    assert_int_equal(pkt.events[0].def->kind, WP_EV_NOTE);
    assert_int_equal(pkt.layers[1].len, 40);
    assert_int_equal(pkt.layers[1].csum, WP_CSUM_GOOD);
    const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
    assert_non_null(udp);
    assert_int_equal(udp->csum, WP_CSUM_GOOD);
}

/* A header cut by the capture at every byte: truncated, never invalid, and
 * no field shown that was not captured. */
static void test_ipv4_truncated_at_every_header_byte(void **state)
{
    (void)state;
    const uint8_t opts[4] = {148, 4, 0, 0};
    uint8_t u[64];
    size_t ul = make_udp(u, "hello");
    tframe f;
    build(&f, 6, opts, 4, 17, 0, u, ul);
    for (uint32_t cap = 14; cap < 14 + 24; cap++) {
        decode_len(&f, cap, f.n, &pkt);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
        assert_non_null(l);
        assert_int_equal(pkt.nevents, 1);
        assert_true(wp_test_has_event(&pkt, "ipv4.truncated"));
        assert_int_equal(pkt.events[0].val, cap - 14);
        assert_int_equal(pkt.events[0].ref, cap >= 15 ? 24 : 20);
        assert_true(l->flags & WP_LF_TRUNCATED);
        assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
        assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
        assert_null(wp_test_layer(&pkt, WP_PROTO_PAYLOAD, 0));
        const wp_proto_info *pi = wp_proto_get(WP_PROTO_IPV4);
        for (size_t i = 0; i < pi->nfields; i++) {
            const wp_field *fd = &pi->fields[i];
            if (fd->kind == WP_FK_OPTIONS)
                continue;
            int want = 14u + fd->off + fd->width <= cap;
            assert_int_equal(wp_field_shown(&pkt, l, fd), want);
        }
        assert_int_equal(l->opt_count, 0); /* the RA option is cut */
    }
}

/* Options cut by the capture: those captured whole are kept. */
static void test_ipv4_truncated_inside_options_keeps_whole_ones(void **state)
{
    (void)state;
    const uint8_t opts[8] = {1, 1, 148, 4, 0, 0, 1, 0};
    tframe f;
    build(&f, 7, opts, 8, 253, 0, NULL, 0);
    decode_len(&f, 14 + 26, f.n, &pkt);
    const wp_layer *l = &pkt.layers[1];
    assert_true(wp_test_has_event(&pkt, "ipv4.truncated"));
    assert_int_equal(l->opt_count, 3);
    assert_int_equal(opt(&pkt, l, 2)->kind, 148);
    assert_int_equal(opt(&pkt, l, 2)->v[0], 0);
}

static void test_ipv4_total_len_beyond_frame_is_invalid(void **state)
{
    (void)state;
    tframe f;
    uint8_t u[64];
    size_t ul = make_udp(u, "hello, mercy");
    build(&f, 5, NULL, 0, 17, 0, u, ul);
    wp_test_put16(f.b + 16, 200);
    wp_test_put16(f.b + 24, 0);
    wp_test_put16(f.b + 24, wp_test_ref_csum(f.b + 14, 20, 0));
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "ipv4.total_len_exceeds_frame"));
    assert_int_equal(pkt.events[0].val, 200);
    assert_int_equal(pkt.events[0].ref, 40);
    assert_int_equal(pkt.layers[1].len, 200);
    assert_int_equal(pkt.layers[1].csum, WP_CSUM_GOOD);
    assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[2].off, 34);
    assert_int_equal(pkt.layers[2].len, 20);
}

/* A snap length that cut the frame: the wire length covers the total
 * length, so nothing is invalid; UDP cannot be verified. */
static void test_ipv4_snaplen_cut_is_not_invalid(void **state)
{
    (void)state;
    static tframe f;
    static uint8_t u[1480];
    memset(u, 0, sizeof u);
    wp_test_put16(u, 40000);
    wp_test_put16(u + 2, 54321);
    wp_test_put16(u + 4, 1480);
    wp_test_put16(u + 6, 0x1234);
    build(&f, 5, NULL, 0, 17, 0x4000, u, sizeof u);
    assert_int_equal(f.n, 1514);
    decode_len(&f, 64, 1514, &pkt);
    assert_int_equal(pkt.nevents, 0);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(l->len, 1500);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
    assert_non_null(udp);
    assert_int_equal(udp->len, 1480);
    assert_int_equal(udp->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[3].len, 64 - 42);
    assert_null(wp_test_layer(&pkt, WP_PROTO_TRAILER, 0));
    /* but a total length beyond the wire length is still invalid */
    wp_test_put16(f.b + 16, 1501);
    wp_test_put16(f.b + 24, 0);
    wp_test_put16(f.b + 24, wp_test_ref_csum(f.b + 14, 20, 0));
    decode_len(&f, 64, 1514, &pkt);
    assert_true(wp_test_has_event(&pkt, "ipv4.total_len_exceeds_frame"));
    assert_int_equal(pkt.events[0].ref, 1500);
}

static void test_ipv4_total_len_below_header_is_invalid(void **state)
{
    (void)state;
    const uint8_t opts[4] = {1, 1, 1, 1};
    tframe f;
    build(&f, 6, opts, 4, 17, 0, NULL, 0);
    wp_test_put16(f.b + 16, 20);
    wp_test_put16(f.b + 24, 0);
    wp_test_put16(f.b + 24, wp_test_ref_csum(f.b + 14, 24, 0));
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "ipv4.total_len_invalid"));
    assert_int_equal(pkt.events[0].val, 20);
    assert_int_equal(pkt.events[0].ref, 24);
    assert_int_equal(pkt.nlayers, 2);
}

static void test_ipv4_ethernet_padding_becomes_trailer(void **state)
{
    (void)state;
    tframe f;
    uint8_t u[64];
    size_t ul = make_udp(u, "hi");
    build(&f, 5, NULL, 0, 17, 0, u, ul);
    memset(f.b + f.n, 0xee, 60 - f.n);
    f.n = 60;
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 5);
    assert_int_equal(pkt.layers[2].csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[3].len, 2);
    assert_int_equal(pkt.layers[4].proto, WP_PROTO_TRAILER);
    assert_int_equal(pkt.layers[4].off, 44);
    assert_int_equal(pkt.layers[4].len, 16);
    /* the IP total length alone bounds a payload it does not decode */
    build(&f, 5, NULL, 0, 253, 0, (const uint8_t *)"abc", 3);
    memset(f.b + f.n, 0xee, 60 - f.n);
    f.n = 60;
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 4);
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[2].len, 3);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_TRAILER);
    assert_int_equal(pkt.layers[3].off, 37);
    assert_int_equal(pkt.layers[3].len, 23);
}

static void test_ipv4_checksum_bad_is_an_event(void **state)
{
    (void)state;
    tframe f;
    build(&f, 5, NULL, 0, 253, 0, (const uint8_t *)"abcd", 4);
    uint16_t good = (uint16_t)(f.b[24] << 8 | f.b[25]);
    f.b[25] ^= 0x01;
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_int_equal(l->csum_computed, good);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "ipv4.checksum_bad"));
    assert_int_equal(pkt.events[0].val, good ^ 1);
    assert_int_equal(pkt.events[0].ref, good);
    /* unknown protocol: the rest is payload */
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[2].len, 4);
}

static void test_ipv4_options_rr_ts_ra_nop(void **state)
{
    (void)state;
    const uint8_t opts[28] = {7,    11,   4,    10, 0, 0, 1, 0, 0, 0, 0, /* RR */
                              1,                                        /* NOP */
                              68,   12,   5,    0x13, 10, 0, 0, 1, 0, 0, 4, 0xd2, /* TS */
                              148,  4,    0,    0};                      /* RA */
    tframe f;
    build(&f, 12, opts, sizeof opts, 253, 0, NULL, 0);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(l->hdr_len, 48);
    assert_int_equal(l->opt_count, 4);
    const wp_opt *o = opt(&pkt, l, 0);
    assert_int_equal(o->kind, 7);
    assert_int_equal(o->len, 11);
    assert_int_equal(o->off, 34);
    assert_int_equal(o->nv, 3);
    assert_int_equal(o->v[0], 4);
    assert_int_equal(o->v[1], 0x0a000001);
    assert_int_equal(o->v[2], 0);
    assert_int_equal(o->bad, 0);
    o = opt(&pkt, l, 1);
    assert_int_equal(o->kind, 1);
    assert_int_equal(o->len, 1);
    assert_int_equal(o->off, 45);
    o = opt(&pkt, l, 2);
    assert_int_equal(o->kind, 68);
    assert_int_equal(o->len, 12);
    assert_int_equal(o->nv, 4);
    assert_int_equal(o->v[0], 5);
    assert_int_equal(o->v[1], 0x13); /* overflow 1, flag 3 */
    assert_int_equal(o->v[2], 0x0a000001);
    assert_int_equal(o->v[3], 1234);
    o = opt(&pkt, l, 3);
    assert_int_equal(o->kind, 148);
    assert_int_equal(o->len, 4);
    assert_int_equal(o->nv, 1);
    assert_int_equal(o->v[0], 0);
    char fmt[64];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!BBHHHBBH4s4s28s");
}

static void test_ipv4_options_lsrr_ssrr_unknown_eol_stops(void **state)
{
    (void)state;
    const uint8_t opts[24] = {131, 7,    4, 1, 2, 3, 4,  /* LSRR */
                              137, 7,    8, 5, 6, 7, 8,  /* SSRR */
                              30,  4,    0xaa, 0xbb,     /* unknown */
                              0,                         /* EOL */
                              7,   3,    4, 0, 0};       /* after EOL: not read */
    tframe f;
    build(&f, 11, opts, sizeof opts, 253, 0, NULL, 0);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(l->opt_count, 4);
    assert_int_equal(opt(&pkt, l, 0)->kind, 131);
    assert_int_equal(opt(&pkt, l, 0)->nv, 2);
    assert_int_equal(opt(&pkt, l, 0)->v[0], 4);
    assert_int_equal(opt(&pkt, l, 0)->v[1], 0x01020304);
    assert_int_equal(opt(&pkt, l, 1)->kind, 137);
    assert_int_equal(opt(&pkt, l, 1)->v[0], 8);
    assert_int_equal(opt(&pkt, l, 1)->v[1], 0x05060708);
    assert_int_equal(opt(&pkt, l, 2)->kind, 30);
    assert_int_equal(opt(&pkt, l, 2)->len, 4);
    assert_int_equal(opt(&pkt, l, 2)->nv, 0);
    assert_int_equal(opt(&pkt, l, 2)->off, 48);
    assert_int_equal(opt(&pkt, l, 3)->kind, 0);
    assert_int_equal(opt(&pkt, l, 3)->len, 1);
    assert_int_equal(opt(&pkt, l, 3)->off, 52);
}

static void test_ipv4_forty_nops(void **state)
{
    (void)state;
    uint8_t nops[40];
    memset(nops, 1, sizeof nops);
    tframe f;
    build(&f, 15, nops, 40, 253, 0, NULL, 0);
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(l->opt_count, 40);
    for (unsigned i = 0; i < 40; i++) {
        assert_int_equal(opt(&pkt, l, i)->kind, 1);
        assert_int_equal(opt(&pkt, l, i)->off, 34 + i);
    }
}

/* Length bytes 0 and 1 and one that runs past the header: one event, the
 * bad option kept and marked, no more options read, UDP still decoded. */
static void test_ipv4_option_len_0_1_and_overflow_are_invalid(void **state)
{
    (void)state;
    const uint8_t cases[][8] = {
        {7, 0, 1, 1, 1, 1, 1, 1},    /* length 0 */
        {1, 68, 1, 1, 1, 1, 1, 1},   /* length 1 */
        {1, 1, 130, 7, 0, 0, 0, 0},  /* 7 bytes from offset 2 of 8 */
        {1, 1, 1, 1, 1, 1, 1, 148},  /* kind as the header's last byte */
    };
    const unsigned want_n[] = {1, 2, 3, 8};
    const unsigned want_len[] = {0, 1, 7, 1};
    uint8_t u[64];
    size_t ul = make_udp(u, "ok");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tframe f;
        build(&f, 7, cases[k], 8, 17, 0, u, ul);
        decode(&f, &pkt);
        const wp_layer *l = &pkt.layers[1];
        assert_int_equal(pkt.nevents, 1);
        assert_true(wp_test_has_event(&pkt, "ipv4.option_len_invalid"));
        assert_int_equal(l->opt_count, want_n[k]);
        const wp_opt *o = opt(&pkt, l, want_n[k] - 1);
        assert_int_equal(o->bad, 1);
        assert_int_equal(o->len, want_len[k]);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
        assert_non_null(udp);
        assert_int_equal(udp->off, 14 + 28);
    }
}

static void test_ipv4_option_len_wrong_for_kind_is_marked(void **state)
{
    (void)state;
    const uint8_t opts[8] = {148, 3, 0, 7, 5, 4, 0, 0}; /* RA of 3, RR of 5 */
    tframe f;
    build(&f, 7, opts, 8, 253, 0, NULL, 0);
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(l->opt_count, 2);
    assert_int_equal(opt(&pkt, l, 0)->bad, 1);
    assert_int_equal(opt(&pkt, l, 0)->nv, 0);
    assert_int_equal(opt(&pkt, l, 1)->bad, 1);
    assert_int_equal(opt(&pkt, l, 1)->len, 5);
    assert_int_equal(opt(&pkt, l, 1)->nv, 1);
    assert_int_equal(opt(&pkt, l, 1)->v[0], 4);
    assert_int_equal(pkt.nevents, 2);
}

/* A datagram in three fragments: the first has the UDP header (its length
 * runs past and its checksum is unverified, without events); the others are
 * fragment data, never UDP. */
static void test_ipv4_fragments(void **state)
{
    (void)state;
    uint8_t u[64];
    size_t ul = make_udp(u, "0123456789abcdefghijklmnopqrstuv");
    assert_int_equal(ul, 40);
    tframe f;
    build(&f, 5, NULL, 0, 17, 0x2000, u, 16); /* MF, offset 0 */
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    const wp_layer *l = &pkt.layers[1];
    assert_int_equal(wp_test_field(l, "mf"), 1);
    assert_int_equal(wp_test_field(l, "flags"), 1);
    assert_int_equal(l->flags & WP_LF_FRAGMENT, 0);
    const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
    assert_non_null(udp);
    assert_true(udp->flags & WP_LF_FRAGMENT);
    assert_int_equal(udp->len, 40);
    assert_int_equal(udp->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[3].len, 8);

    build(&f, 5, NULL, 0, 17, 0x2002, u + 16, 16); /* MF, offset 16 bytes */
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(wp_test_field(&pkt.layers[1], "frag_offset"), 2);
    assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
    assert_int_equal(pkt.nlayers, 3);
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_FRAGMENT);
    assert_int_equal(pkt.layers[2].off, 34);
    assert_int_equal(pkt.layers[2].len, 16);

    /* offset 1 (8 bytes) is already a non-first fragment */
    build(&f, 5, NULL, 0, 17, 0x2001, u + 8, 8);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_FRAGMENT);

    /* the last one: no MF, offset 32 bytes; its bytes look like a UDP
     * header but must stay fragment data */
    build(&f, 5, NULL, 0, 17, 0x0004, u, 8);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(wp_test_field(&pkt.layers[1], "flags"), 0);
    assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_FRAGMENT);
    assert_int_equal(pkt.layers[2].len, 8);
}

static void test_ipv4_in_ipv4_and_layer_cap(void **state)
{
    (void)state;
    /* 30 nested IPv4 headers: decoding stops at the layer cap, cleanly */
    static tframe f;
    memset(&f, 0, sizeof f);
    memcpy(f.b, eth_hdr, 14);
    const unsigned nest = 30;
    for (unsigned i = 0; i < nest; i++) {
        uint8_t *ip = f.b + 14 + 20 * i;
        ip[0] = 0x45;
        wp_test_put16(ip + 2, (uint16_t)(20 * (nest - i)));
        ip[8] = 64;
        ip[9] = 4;
        wp_test_put16(ip + 10, wp_test_ref_csum(ip, 20, 0));
    }
    f.n = 14 + 20 * nest;
    decode(&f, &pkt);
    assert_true(wp_test_has_event(&pkt, "packet.layer_cap"));
    assert_int_equal(pkt.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_IPV4);
    assert_int_equal(pkt.layers[2].off, 34);
    assert_int_equal(pkt.layers[2].depth, 2);
    assert_int_equal(pkt.layers[2].csum, WP_CSUM_GOOD);
    assert_true(pkt.nlayers <= WP_MAX_LAYERS);
}

/* A DLT_RAW frame starts with IPv4. */
static void test_ipv4_raw_link(void **state)
{
    (void)state;
    tframe f;
    uint8_t u[64];
    size_t ul = make_udp(u, "hello, mercy");
    build(&f, 5, NULL, 0, 17, 0x4000, u, ul);
    wp_frame fr = {1700000000, 0, f.n - 14, f.n - 14, WP_LINK_RAW, f.b + 14};
    wp_decode(&fr, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.layers[0].proto, WP_PROTO_IPV4);
    assert_int_equal(pkt.layers[0].off, 0);
    assert_int_equal(pkt.layers[0].csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.layers[1].proto, WP_PROTO_UDP);
    assert_int_equal(pkt.layers[1].csum, WP_CSUM_GOOD);
}


/* ---- fixture captures (captures/README.md says what each frame holds) -- */

static void test_ipv4_fixture_udp_tcp_pair_hello(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_non_null(l);
    assert_int_equal(l->off, 14);
    assert_int_equal(l->hdr_len, 20);
    assert_int_equal(l->len, 40);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(wp_test_field(l, "id"), 0x1001);
    assert_int_equal(wp_test_field(l, "ttl"), 64);
    assert_int_equal(wp_test_field(l, "df"), 1);
    assert_int_equal(wp_test_field(l, "proto"), 17);
    const uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {192, 0, 2, 2};
    assert_memory_equal(l->h.ipv4.src, src, 4);
    assert_memory_equal(l->h.ipv4.dst, dst, 4);
    const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
    assert_non_null(udp);
    assert_int_equal(udp->csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.nevents, 0);
    wp_fixture_free(fx);
}

static void test_ipv4_fixture_options(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv4-options.pcap");
    assert_int_equal(fx->n, 6);
    const unsigned ihl[6] = {9, 8, 6, 8, 8, 6};
    for (size_t i = 0; i < 6; i++) {
        wp_fixture_decode(fx, i, &pkt);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
        assert_int_equal(pkt.nevents, 0);
        assert_int_equal(wp_test_field(l, "ihl"), ihl[i]);
        assert_int_equal(wp_test_field(l, "id"), 0x3001 + i);
        assert_int_equal(l->hdr_len, ihl[i] * 4);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
        assert_non_null(udp);
        assert_int_equal(udp->off, 14 + ihl[i] * 4);
        /* frames 4 and 5: checksum over the source route's final hop */
        assert_int_equal(udp->csum, WP_CSUM_GOOD);
        char fmt[64], want[64];
        snprintf(want, sizeof want, "!BBHHHBBH4s4s%us", (ihl[i] - 5) * 4);
        assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), want);
    }
    const wp_layer *l;
    wp_fixture_decode(fx, 0, &pkt); /* NOP, RR, EOL */
    l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(l->opt_count, 3);
    assert_int_equal(opt(&pkt, l, 0)->kind, 1);
    assert_int_equal(opt(&pkt, l, 1)->kind, 7);
    assert_int_equal(opt(&pkt, l, 1)->len, 11);
    assert_int_equal(opt(&pkt, l, 1)->off, 35);
    assert_int_equal(opt(&pkt, l, 1)->nv, 3);
    assert_int_equal(opt(&pkt, l, 1)->v[0], 8);
    assert_int_equal(opt(&pkt, l, 1)->v[1], 0xc0000201);
    assert_int_equal(opt(&pkt, l, 1)->v[2], 0);
    assert_int_equal(opt(&pkt, l, 2)->kind, 0);
    wp_fixture_decode(fx, 1, &pkt); /* TS */
    l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(l->opt_count, 1);
    assert_int_equal(opt(&pkt, l, 0)->kind, 68);
    assert_int_equal(opt(&pkt, l, 0)->len, 12);
    assert_int_equal(opt(&pkt, l, 0)->v[0], 9);
    assert_int_equal(opt(&pkt, l, 0)->v[1], 0);
    assert_int_equal(opt(&pkt, l, 0)->v[2], 3600000);
    assert_int_equal(opt(&pkt, l, 0)->v[3], 0);
    wp_fixture_decode(fx, 2, &pkt); /* RA */
    l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(l->opt_count, 1);
    assert_int_equal(opt(&pkt, l, 0)->kind, 148);
    assert_int_equal(opt(&pkt, l, 0)->v[0], 0);
    for (size_t i = 3; i <= 4; i++) { /* LSRR, SSRR */
        wp_fixture_decode(fx, i, &pkt);
        l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
        assert_int_equal(l->opt_count, 2);
        assert_int_equal(opt(&pkt, l, 0)->kind, i == 3 ? 131 : 137);
        assert_int_equal(opt(&pkt, l, 0)->nv, 3);
        assert_int_equal(opt(&pkt, l, 0)->v[0], 4);
        assert_int_equal(opt(&pkt, l, 0)->v[1], 0xc0000203);
        assert_int_equal(opt(&pkt, l, 0)->v[2], 0xc0000204);
        assert_int_equal(opt(&pkt, l, 1)->kind, 0);
        assert_int_equal(wp_test_layer(&pkt, WP_PROTO_UDP, 0)->h.udp.checksum, 0xddf6);
    }
    wp_fixture_decode(fx, 5, &pkt); /* unassigned 154 */
    l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(l->opt_count, 1);
    assert_int_equal(opt(&pkt, l, 0)->kind, 154);
    assert_int_equal(opt(&pkt, l, 0)->len, 4);
    assert_int_equal(opt(&pkt, l, 0)->nv, 0);
    assert_null(wp_ipv4_opt_name(154));
    wp_fixture_free(fx);
}

static void test_ipv4_fixture_bad_checksum(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv4-bad-checksum.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_int_equal(wp_test_field(l, "checksum"), 0x2c9a);
    assert_int_equal(l->csum_computed, 0x76c0);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "ipv4.checksum_bad"));
    assert_int_equal(pkt.events[0].val, 0x2c9a);
    assert_int_equal(pkt.events[0].ref, 0x76c0);
    assert_int_equal(wp_test_layer(&pkt, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_ipv4_fixture_fragments(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv4-fragments.pcap");
    assert_int_equal(fx->n, 3);
    const unsigned off[3] = {0, 185, 370}, mf[3] = {1, 1, 0}, tl[3] = {1500, 1500, 68};
    for (size_t i = 0; i < 3; i++) {
        wp_fixture_decode(fx, i, &pkt);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
        assert_int_equal(pkt.nevents, 0);
        assert_int_equal(wp_test_field(l, "id"), 0x5001);
        assert_int_equal(wp_test_field(l, "frag_offset"), off[i]);
        assert_int_equal(wp_test_field(l, "mf"), mf[i]);
        assert_int_equal(wp_test_field(l, "df"), 0);
        assert_int_equal(wp_test_field(l, "total_len"), tl[i]);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
    }
    wp_fixture_decode(fx, 0, &pkt);
    const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
    assert_non_null(udp);
    assert_int_equal(udp->len, 3008);
    assert_int_equal(udp->csum, WP_CSUM_UNVERIFIED);
    assert_true(udp->flags & WP_LF_FRAGMENT);
    assert_int_equal(pkt.layers[pkt.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[pkt.nlayers - 1].len, 1472);
    for (size_t i = 1; i < 3; i++) {
        wp_fixture_decode(fx, i, &pkt);
        assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
        assert_int_equal(pkt.nlayers, 3);
        assert_int_equal(pkt.layers[2].proto, WP_PROTO_FRAGMENT);
        assert_int_equal(pkt.layers[2].off, 34);
        assert_int_equal(pkt.layers[2].len, i == 1 ? 1480 : 48);
    }
    wp_fixture_free(fx);
}

static void test_ipv4_fixture_bad_ihl(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-ipv4-ihl.pcap");
    for (size_t i = 0; i < 2; i++) {
        wp_fixture_decode(fx, i, &pkt);
        assert_int_equal(pkt.nevents, 1);
        assert_true(wp_test_has_event(&pkt, "ipv4.ihl_invalid"));
        assert_int_equal(pkt.events[0].val, i == 0 ? 4 : 3);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
        assert_non_null(l);
        assert_int_equal(wp_test_field(l, "id"), i == 0 ? 0xd004 : 0xd003);
        assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
        assert_int_equal(pkt.layers[pkt.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    }
    wp_fixture_free(fx);
}

static void test_ipv4_fixture_bad_total_len(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-ipv4-total-len.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "ipv4.total_len_exceeds_frame"));
    assert_int_equal(pkt.events[0].val, 140);
    assert_int_equal(pkt.events[0].ref, 40);
    const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->len, 140);
    assert_null(wp_test_layer(&pkt, WP_PROTO_UDP, 0));
    wp_fixture_free(fx);
}

/* Cut by a 64-byte snap length: the headers are whole, nothing invalid. */
static void test_ipv4_fixture_snaplen_64(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("snaplen-64.pcap");
    const unsigned tl[3] = {228, 1052, 84};
    for (size_t i = 0; i < 3; i++) {
        wp_fixture_decode(fx, i, &pkt);
        assert_int_equal(pkt.caplen, 64);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
        assert_false(wp_test_has_event(&pkt, "ipv4.total_len_exceeds_frame"));
        assert_false(wp_test_has_event(&pkt, "ipv4.truncated"));
        assert_int_equal(wp_test_field(l, "id"), 0xb001 + i);
        assert_int_equal(l->len, tl[i]);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_null(wp_test_layer(&pkt, WP_PROTO_TRAILER, 0));
    }
    wp_fixture_decode(fx, 0, &pkt);
    assert_int_equal(pkt.nevents, 0);
    const wp_layer *udp = wp_test_layer(&pkt, WP_PROTO_UDP, 0);
    assert_int_equal(udp->len, 208);
    assert_int_equal(udp->csum, WP_CSUM_UNVERIFIED);
    wp_fixture_free(fx);
}

static void test_ipv4_fixture_padding_is_trailer(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("eth-padding.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_IPV4, 0);
    assert_int_equal(wp_test_field(l, "total_len"), 40);
    assert_int_equal(wp_test_field(l, "id"), 0xa001);
    const wp_layer *t = wp_test_layer(&pkt, WP_PROTO_TRAILER, 0);
    assert_non_null(t);
    assert_int_equal(t->off, 54);
    assert_int_equal(t->len, 6);
    wp_fixture_free(fx);
}

/* DLT_RAW: IPv4 with no link header (the other link types are their
 * decoders' tests). */
static void test_ipv4_fixture_link_raw(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("link-raw.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    const wp_layer *l = &pkt.layers[0];
    assert_int_equal(l->proto, WP_PROTO_IPV4);
    assert_int_equal(l->off, 0);
    assert_int_equal(l->depth, 0);
    assert_int_equal(wp_test_field(l, "id"), 0x9001);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.layers[1].proto, WP_PROTO_UDP);
    assert_int_equal(pkt.layers[1].off, 20);
    assert_int_equal(pkt.layers[1].csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.nevents, 0);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_udp_fields_offsets_and_format),
        cmocka_unit_test(test_ipv4_field_table_masks),
        cmocka_unit_test(test_ipv4_opt_names),
        cmocka_unit_test(test_ipv4_ihl_5_to_15_sets_header_len),
        cmocka_unit_test(test_ipv4_ihl_below_5_is_invalid),
        cmocka_unit_test(test_ipv4_version_not_4_is_invalid),
        cmocka_unit_test(test_ipv4_total_len_zero_is_offload),
        cmocka_unit_test(test_ipv4_truncated_at_every_header_byte),
        cmocka_unit_test(test_ipv4_truncated_inside_options_keeps_whole_ones),
        cmocka_unit_test(test_ipv4_total_len_beyond_frame_is_invalid),
        cmocka_unit_test(test_ipv4_snaplen_cut_is_not_invalid),
        cmocka_unit_test(test_ipv4_total_len_below_header_is_invalid),
        cmocka_unit_test(test_ipv4_ethernet_padding_becomes_trailer),
        cmocka_unit_test(test_ipv4_checksum_bad_is_an_event),
        cmocka_unit_test(test_ipv4_options_rr_ts_ra_nop),
        cmocka_unit_test(test_ipv4_options_lsrr_ssrr_unknown_eol_stops),
        cmocka_unit_test(test_ipv4_forty_nops),
        cmocka_unit_test(test_ipv4_option_len_0_1_and_overflow_are_invalid),
        cmocka_unit_test(test_ipv4_option_len_wrong_for_kind_is_marked),
        cmocka_unit_test(test_ipv4_fragments),
        cmocka_unit_test(test_ipv4_in_ipv4_and_layer_cap),
        cmocka_unit_test(test_ipv4_raw_link),
        cmocka_unit_test(test_ipv4_fixture_udp_tcp_pair_hello),
        cmocka_unit_test(test_ipv4_fixture_options),
        cmocka_unit_test(test_ipv4_fixture_bad_checksum),
        cmocka_unit_test(test_ipv4_fixture_fragments),
        cmocka_unit_test(test_ipv4_fixture_bad_ihl),
        cmocka_unit_test(test_ipv4_fixture_bad_total_len),
        cmocka_unit_test(test_ipv4_fixture_snaplen_64),
        cmocka_unit_test(test_ipv4_fixture_padding_is_trailer),
        cmocka_unit_test(test_ipv4_fixture_link_raw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
