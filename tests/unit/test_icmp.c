/* ICMP decoder: type-dependent fields, checksum, quoted packets in error
 * messages, truncation; on byte arrays built here and on the fixtures. */
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

typedef struct tframe {
    uint8_t b[512];
    uint32_t n;
} tframe;

/* A 20-byte IPv4 header at ip for proto carrying plen bytes, checksum set. */
static void ip_hdr(uint8_t *ip, uint8_t proto, uint16_t plen, uint16_t fragword, int swap)
{
    const uint8_t a[4] = {192, 0, 2, 1}, b[4] = {192, 0, 2, 2};
    memset(ip, 0, 20);
    ip[0] = 0x45;
    wp_test_put16(ip + 2, (uint16_t)(20 + plen));
    wp_test_put16(ip + 4, 0x4242);
    wp_test_put16(ip + 6, fragword);
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, swap ? b : a, 4);
    memcpy(ip + 16, swap ? a : b, 4);
    wp_test_put16(ip + 10, wp_test_ref_csum(ip, 20, 0));
}

/* Ethernet + IPv4 (proto 1) + ICMP type/code/rest + data; checksums set. */
static void build(tframe *f, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *data,
                  size_t dl, uint16_t fragword)
{
    static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
    memset(f, 0, sizeof *f);
    memcpy(f->b, eth, 14);
    ip_hdr(f->b + 14, 1, (uint16_t)(8 + dl), fragword, 1);
    uint8_t *m = f->b + 34;
    m[0] = type;
    m[1] = code;
    wp_test_put32(m + 4, rest);
    if (dl)
        memcpy(m + 8, data, dl);
    wp_test_put16(m + 2, wp_test_ref_csum(m, 8 + dl, 0));
    f->n = (uint32_t)(34 + 8 + dl);
}

static void decode_len(const tframe *f, uint32_t caplen, wp_packet *p)
{
    wp_frame fr = {1700000000, 0, caplen, f->n, WP_LINK_EN10MB, f->b};
    wp_decode(&fr, p);
}

static void decode(const tframe *f, wp_packet *p)
{
    decode_len(f, f->n, p);
}

/* The original UDP packet an error quotes: its IPv4 header and 8 bytes. */
static size_t quote_udp(uint8_t *q)
{
    ip_hdr(q, 17, 20, 0x4000, 0);
    wp_test_put16(q + 20, 40000);
    wp_test_put16(q + 22, 54321);
    wp_test_put16(q + 24, 20);
    wp_test_put16(q + 26, 0xabcd);
    return 28;
}

static wp_packet pkt;

static const char *field_names(const wp_packet *p, const wp_layer *l, char *buf, size_t n)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pi->nfields; i++) {
        if (!wp_field_shown(p, l, &pi->fields[i]))
            continue;
        int k = snprintf(buf + pos, n - pos, "%s%s", pos ? " " : "", pi->fields[i].name);
        if (k < 0 || (size_t)k >= n - pos)
            break;
        pos += (size_t)k;
    }
    return buf;
}

static void test_icmp_echo_request_fields(void **state)
{
    (void)state;
    tframe f;
    build(&f, 8, 0, 0x00010002, (const uint8_t *)"abcdefgh", 8, 0);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 4);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(l->proto, WP_PROTO_ICMP);
    assert_int_equal(l->off, 34);
    assert_int_equal(l->hdr_len, 8);
    assert_int_equal(l->len, 16);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->csum_computed, f.b[36] << 8 | f.b[37]);
    assert_int_equal(wp_test_field(l, "type"), 8);
    assert_int_equal(wp_test_field(l, "code"), 0);
    assert_int_equal(wp_test_field(l, "checksum"), f.b[36] << 8 | f.b[37]);
    assert_int_equal(wp_test_field(l, "id"), 1);
    assert_int_equal(wp_test_field(l, "seq"), 2);
    char buf[128];
    assert_string_equal(field_names(&pkt, l, buf, sizeof buf), "type code checksum id seq");
    assert_string_equal(wp_layer_format(l, buf, sizeof buf), "!BBHHH");
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[3].off, 42);
    assert_int_equal(pkt.layers[3].len, 8);
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_ICMP);
    assert_string_equal(pi->name, "icmp");
    assert_string_equal(pi->fields[0].describe(8, buf, sizeof buf), "Echo request");
    assert_string_equal(pi->fields[0].describe(0, buf, sizeof buf), "Echo reply");
    assert_string_equal(pi->fields[0].describe(3, buf, sizeof buf), "Destination unreachable");
    assert_string_equal(pi->fields[0].describe(11, buf, sizeof buf), "Time exceeded");
    assert_null(pi->fields[0].describe(99, buf, sizeof buf));
}

static void test_icmp_query_types_have_id_and_seq(void **state)
{
    (void)state;
    const uint8_t types[] = {0, 8, 13, 14, 15, 16, 17, 18};
    uint8_t data[12] = {0};
    for (size_t i = 0; i < sizeof types; i++) {
        tframe f;
        build(&f, types[i], 0, 0xbeef0007, data, sizeof data, 0);
        decode(&f, &pkt);
        const wp_layer *l = &pkt.layers[2];
        assert_int_equal(pkt.nevents, 0);
        assert_int_equal(wp_test_field(l, "id"), 0xbeef);
        assert_int_equal(wp_test_field(l, "seq"), 7);
        assert_int_equal(pkt.layers[3].proto, WP_PROTO_PAYLOAD);
    }
}

static void test_icmp_checksum_bad_is_an_event(void **state)
{
    (void)state;
    tframe f;
    build(&f, 0, 0, 0x00010002, (const uint8_t *)"abcdefgh", 8, 0);
    uint16_t good = (uint16_t)(f.b[36] << 8 | f.b[37]);
    f.b[41] ^= 0x01; /* seq changes, checksum does not */
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(l->csum, WP_CSUM_BAD);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "icmp.checksum_bad"));
    assert_int_equal(pkt.events[0].layer, 2);
    assert_int_equal(pkt.events[0].val, good);
    assert_int_equal(pkt.events[0].ref, l->csum_computed);
    assert_int_equal(l->csum_computed, (uint16_t)(good - 1));
}

/* The checksum covers the message as the IP total length gives it, not the
 * Ethernet padding after it. */
static void test_icmp_checksum_ignores_padding(void **state)
{
    (void)state;
    tframe f;
    build(&f, 8, 0, 0x00010001, NULL, 0, 0);
    memset(f.b + f.n, 0x5a, 60 - f.n);
    f.n = 60;
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.layers[2].csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.layers[2].len, 8);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_TRAILER);
    assert_int_equal(pkt.layers[3].off, 42);
    assert_int_equal(pkt.layers[3].len, 18);
}

static void test_icmp_port_unreachable_quotes_udp(void **state)
{
    (void)state;
    tframe f;
    uint8_t q[28];
    size_t ql = quote_udp(q);
    build(&f, 3, 3, 0, q, ql, 0);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 5);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(wp_test_field(l, "type"), 3);
    assert_int_equal(wp_test_field(l, "code"), 3);
    assert_int_equal(wp_test_field(l, "rest"), 0);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->len, 36);
    char buf[128];
    assert_string_equal(field_names(&pkt, l, buf, sizeof buf), "type code checksum rest");
    assert_string_equal(wp_layer_format(l, buf, sizeof buf), "!BBHI");
    const wp_layer *qip = &pkt.layers[3];
    assert_int_equal(qip->proto, WP_PROTO_IPV4);
    assert_int_equal(qip->off, 42);
    assert_int_equal(qip->depth, 3);
    assert_true(qip->flags & WP_LF_QUOTED);
    assert_int_equal(qip->hdr_len, 20);
    assert_int_equal(qip->len, 40); /* the original's, beyond the quote */
    assert_int_equal(qip->csum, WP_CSUM_GOOD);
    assert_int_equal(wp_test_field(qip, "proto"), 17);
    const uint8_t src[4] = {192, 0, 2, 1};
    assert_memory_equal(qip->h.ipv4.src, src, 4);
    const wp_layer *udp = &pkt.layers[4];
    assert_int_equal(udp->proto, WP_PROTO_UDP);
    assert_int_equal(udp->off, 62);
    assert_true(udp->flags & WP_LF_QUOTED);
    assert_int_equal(wp_test_field(udp, "sport"), 40000);
    assert_int_equal(wp_test_field(udp, "dport"), 54321);
    assert_int_equal(wp_test_field(udp, "length"), 20);
    assert_int_equal(udp->csum, WP_CSUM_UNVERIFIED);
    /* the outer layers are not quoted */
    assert_int_equal(pkt.layers[1].flags & WP_LF_QUOTED, 0);
    assert_int_equal(pkt.layers[2].flags & WP_LF_QUOTED, 0);
}

/* A quoted TCP header is only 8 bytes: the TCP layer sits where it should,
 * marked quoted (what tcp.c makes of the cut header is its own business). */
static void test_icmp_time_exceeded_quotes_tcp(void **state)
{
    (void)state;
    tframe f;
    uint8_t q[28];
    ip_hdr(q, 6, 20, 0x4000, 0);
    wp_test_put16(q + 20, 40000);
    wp_test_put16(q + 22, 80);
    wp_test_put32(q + 24, 1);
    build(&f, 11, 0, 0, q, sizeof q, 0);
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(wp_test_field(l, "type"), 11);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_IPV4);
    assert_true(pkt.layers[3].flags & WP_LF_QUOTED);
    assert_false(wp_test_has_event(&pkt, "ipv4.total_len_exceeds_frame"));
    const wp_layer *tcp = wp_test_layer(&pkt, WP_PROTO_TCP, 0);
    assert_non_null(tcp);
    assert_int_equal(tcp->off, 62);
    assert_true(tcp->flags & WP_LF_QUOTED);
}

static void test_icmp_frag_needed_has_mtu(void **state)
{
    (void)state;
    tframe f;
    uint8_t q[28];
    size_t ql = quote_udp(q);
    build(&f, 3, 4, 1400, q, ql, 0);
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(wp_test_field(l, "mtu"), 1400);
    char buf[128];
    assert_string_equal(field_names(&pkt, l, buf, sizeof buf), "type code checksum mtu");
    assert_string_equal(wp_layer_format(l, buf, sizeof buf), "!BBHI");
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_IPV4);
}

static void test_icmp_redirect_has_gateway(void **state)
{
    (void)state;
    tframe f;
    uint8_t q[28];
    size_t ql = quote_udp(q);
    build(&f, 5, 1, 0x0a000001, q, ql, 0);
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(pkt.nevents, 0);
    const uint8_t gw[4] = {10, 0, 0, 1};
    assert_memory_equal(l->h.icmp.gateway, gw, 4);
    char buf[128];
    assert_string_equal(field_names(&pkt, l, buf, sizeof buf), "type code checksum gateway");
    assert_string_equal(wp_layer_format(l, buf, sizeof buf), "!BBH4s");
    assert_true(pkt.layers[3].flags & WP_LF_QUOTED);
}

static void test_icmp_param_problem_has_pointer(void **state)
{
    (void)state;
    tframe f;
    uint8_t q[28];
    size_t ql = quote_udp(q);
    build(&f, 12, 0, 0x14000000, q, ql, 0);
    decode(&f, &pkt);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(wp_test_field(l, "pointer"), 20);
    char buf[128];
    assert_string_equal(field_names(&pkt, l, buf, sizeof buf), "type code checksum pointer");
    assert_int_equal(pkt.layers[4].proto, WP_PROTO_UDP);
}

/* An error message with nothing quoted: no nested layer. */
static void test_icmp_error_without_quote(void **state)
{
    (void)state;
    tframe f;
    build(&f, 3, 1, 0, NULL, 0, 0);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 3);
}

/* An ICMP error quoting an ICMP error: the inner one's quote is not
 * followed again. */
static void test_icmp_quoted_error_is_not_followed(void **state)
{
    (void)state;
    tframe f;
    uint8_t q[36 + 28];
    ip_hdr(q, 1, 44, 0, 0);
    q[20] = 3;
    q[21] = 3;
    quote_udp(q + 28);
    build(&f, 3, 3, 0, q, sizeof q, 0);
    decode(&f, &pkt);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_IPV4);
    assert_int_equal(pkt.layers[4].proto, WP_PROTO_ICMP);
    assert_int_equal(pkt.layers[4].csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(pkt.layers[5].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pkt.layers[5].off, 70);
    assert_int_equal(pkt.nlayers, 6);
}

static void test_icmp_truncated_at_every_header_byte(void **state)
{
    (void)state;
    tframe f;
    build(&f, 8, 0, 0x00010002, (const uint8_t *)"abcdefgh", 8, 0);
    for (uint32_t cap = 34; cap < 42; cap++) {
        decode_len(&f, cap, &pkt);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_ICMP, 0);
        assert_non_null(l);
        assert_int_equal(pkt.nevents, 1);
        assert_true(wp_test_has_event(&pkt, "icmp.truncated"));
        assert_int_equal(pkt.events[0].val, cap - 34);
        assert_int_equal(pkt.events[0].ref, 8);
        assert_true(l->flags & WP_LF_TRUNCATED);
        assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
        assert_int_equal(pkt.nlayers, 3);
        const wp_proto_info *pi = wp_proto_get(WP_PROTO_ICMP);
        for (size_t i = 0; i < pi->nfields; i++) {
            const wp_field *fd = &pi->fields[i];
            if (fd->present && !fd->present(l))
                continue;
            assert_int_equal(wp_field_shown(&pkt, l, fd), 34u + fd->off + fd->width <= cap);
        }
    }
    /* whole header, payload cut: no event, checksum cannot be checked */
    decode_len(&f, 45, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.layers[2].csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(pkt.layers[2].len, 16);
}

/* The IP datagram (not the capture) ends inside the ICMP header. */
static void test_icmp_message_shorter_than_header_is_invalid(void **state)
{
    (void)state;
    tframe f;
    build(&f, 8, 0, 0x00010002, NULL, 0, 0);
    wp_test_put16(f.b + 16, 24);
    wp_test_put16(f.b + 24, 0);
    wp_test_put16(f.b + 24, wp_test_ref_csum(f.b + 14, 20, 0));
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 1);
    assert_true(wp_test_has_event(&pkt, "icmp.length_invalid"));
    assert_int_equal(pkt.events[0].val, 4);
    assert_int_equal(pkt.layers[2].len, 4);
    assert_int_equal(pkt.layers[3].proto, WP_PROTO_TRAILER);
    assert_int_equal(pkt.layers[3].off, 38);
}

/* ICMP in the first fragment of a datagram: the checksum cannot be
 * checked on a part. */
static void test_icmp_in_first_fragment_is_unverified(void **state)
{
    (void)state;
    tframe f;
    build(&f, 8, 0, 0x00010002, (const uint8_t *)"abcdefgh", 8, 0x2000);
    decode(&f, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.layers[2].proto, WP_PROTO_ICMP);
    assert_true(pkt.layers[2].flags & WP_LF_FRAGMENT);
    assert_int_equal(pkt.layers[2].csum, WP_CSUM_UNVERIFIED);
}


/* ---- fixture captures (captures/README.md) ---------------------------- */

static void test_icmp_fixture_echo(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmp-echo.pcap");
    assert_int_equal(fx->n, 2);
    const unsigned type[2] = {8, 0}, csum[2] = {0x2cf6, 0x34f6};
    for (size_t i = 0; i < 2; i++) {
        wp_fixture_decode(fx, i, &pkt);
        assert_int_equal(pkt.nevents, 0);
        const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_ICMP, 0);
        assert_non_null(l);
        assert_int_equal(l->off, 34);
        assert_int_equal(l->hdr_len, 8);
        assert_int_equal(l->len, 64);
        assert_int_equal(l->csum, WP_CSUM_GOOD);
        assert_int_equal(wp_test_field(l, "type"), type[i]);
        assert_int_equal(wp_test_field(l, "code"), 0);
        assert_int_equal(wp_test_field(l, "checksum"), csum[i]);
        assert_int_equal(wp_test_field(l, "id"), 0x1234);
        assert_int_equal(wp_test_field(l, "seq"), 1);
        const wp_layer *pl = &pkt.layers[pkt.nlayers - 1];
        assert_int_equal(pl->proto, WP_PROTO_PAYLOAD);
        assert_int_equal(pl->off, 42);
        assert_int_equal(pl->len, 56);
        assert_int_equal(pkt.data[pl->off], 0x10);
        assert_int_equal(pkt.data[pl->off + 55], 0x47);
    }
    wp_fixture_free(fx);
}

static void test_icmp_fixture_port_unreachable(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmp-port-unreachable.pcap");
    wp_fixture_decode(fx, 1, &pkt);
    assert_int_equal(pkt.nevents, 0);
    assert_int_equal(pkt.nlayers, 5);
    const wp_layer *ip = &pkt.layers[1];
    assert_int_equal(wp_test_field(ip, "dscp"), 48);
    assert_int_equal(wp_test_field(ip, "id"), 0x7101);
    const wp_layer *l = &pkt.layers[2];
    assert_int_equal(l->proto, WP_PROTO_ICMP);
    assert_int_equal(wp_test_field(l, "type"), 3);
    assert_int_equal(wp_test_field(l, "code"), 3);
    assert_int_equal(l->csum, WP_CSUM_GOOD);
    assert_int_equal(l->len, 36);
    const wp_layer *q = &pkt.layers[3];
    assert_int_equal(q->proto, WP_PROTO_IPV4);
    assert_int_equal(q->off, 42);
    assert_true(q->flags & WP_LF_QUOTED);
    assert_int_equal(wp_test_field(q, "total_len"), 41);
    assert_int_equal(wp_test_field(q, "id"), 0x6101);
    assert_int_equal(q->csum, WP_CSUM_GOOD);
    const wp_layer *u = &pkt.layers[4];
    assert_int_equal(u->proto, WP_PROTO_UDP);
    assert_int_equal(u->off, 62);
    assert_true(u->flags & WP_LF_QUOTED);
    assert_int_equal(wp_test_field(u, "sport"), 40000);
    assert_int_equal(wp_test_field(u, "dport"), 33434);
    assert_int_equal(wp_test_field(u, "length"), 21);
    assert_int_equal(wp_test_field(u, "checksum"), 0xd962);
    assert_int_equal(u->csum, WP_CSUM_UNVERIFIED);
    wp_fixture_free(fx);
}

static void test_icmp_fixture_snaplen_64(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("snaplen-64.pcap");
    wp_fixture_decode(fx, 2, &pkt);
    assert_int_equal(pkt.nevents, 0);
    const wp_layer *l = wp_test_layer(&pkt, WP_PROTO_ICMP, 0);
    assert_non_null(l);
    assert_int_equal(l->len, 64);
    assert_int_equal(l->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(wp_test_field(l, "id"), 0x1234);
    assert_int_equal(pkt.layers[pkt.nlayers - 1].len, 22);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_icmp_echo_request_fields),
        cmocka_unit_test(test_icmp_query_types_have_id_and_seq),
        cmocka_unit_test(test_icmp_checksum_bad_is_an_event),
        cmocka_unit_test(test_icmp_checksum_ignores_padding),
        cmocka_unit_test(test_icmp_port_unreachable_quotes_udp),
        cmocka_unit_test(test_icmp_time_exceeded_quotes_tcp),
        cmocka_unit_test(test_icmp_frag_needed_has_mtu),
        cmocka_unit_test(test_icmp_redirect_has_gateway),
        cmocka_unit_test(test_icmp_param_problem_has_pointer),
        cmocka_unit_test(test_icmp_error_without_quote),
        cmocka_unit_test(test_icmp_quoted_error_is_not_followed),
        cmocka_unit_test(test_icmp_truncated_at_every_header_byte),
        cmocka_unit_test(test_icmp_message_shorter_than_header_is_invalid),
        cmocka_unit_test(test_icmp_in_first_fragment_is_unverified),
        cmocka_unit_test(test_icmp_fixture_echo),
        cmocka_unit_test(test_icmp_fixture_port_unreachable),
        cmocka_unit_test(test_icmp_fixture_snaplen_64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
