/* Unit tests for the Ethernet decoder (src/proto/eth.c): Ethernet II, the
 * 802.3 length + LLC case, padding as a trailer, truncation. Byte arrays
 * checked with tshark (eth.type / eth.len, llc.dsap, eth.padding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static const uint8_t DST[6] = {0x02, 0, 0, 0, 0, 0x02}, SRC[6] = {0x02, 0, 0, 0, 0, 0x01};

static void dec(wp_packet *p, const uint8_t *b, uint32_t len)
{
    wp_frame f = {1700000000, 0, len, len, WP_LINK_EN10MB, b};
    wp_decode(&f, p);
}

/* dst, src, type/length, then n bytes of `fill`. */
static uint32_t frame(uint8_t *b, uint16_t type, uint32_t n, uint8_t fill)
{
    memcpy(b, DST, 6);
    memcpy(b + 6, SRC, 6);
    b[12] = (uint8_t)(type >> 8);
    b[13] = (uint8_t)type;
    memset(b + 14, fill, n);
    return 14 + n;
}

static void test_eth_ii_fields_and_next_layer(void **state)
{
    (void)state;
    uint8_t b[128];
    wp_packet p;
    uint32_t n = frame(b, 0x0800, 46, 0x45);
    dec(&p, b, n);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_ETH);
    assert_int_equal(l->off, 0);
    assert_int_equal(l->hdr_len, 14);
    assert_int_equal(l->len, 60);
    assert_int_equal(l->depth, 0);
    assert_memory_equal(l->h.eth.dst, DST, 6);
    assert_memory_equal(l->h.eth.src, SRC, 6);
    assert_int_equal(wp_test_field(l, "type"), 0x0800);
    assert_int_equal(l->h.eth.is_8023, 0);
    assert_true(p.nlayers >= 2);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[1].off, 14);
    assert_int_equal(p.layers[1].depth, 1);
    char fmt[32], d[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!6s6sH");
    const wp_field *type = wp_test_row(WP_PROTO_ETH, "type");
    assert_string_equal(type->describe(0x0800, d, sizeof d), "IPv4");
    assert_string_equal(type->describe(0x86dd, d, sizeof d), "IPv6");
    assert_string_equal(type->describe(0x0806, d, sizeof d), "ARP");
    assert_null(type->describe(0x1234, d, sizeof d));
    /* only the EtherType field is shown, not the 802.3 ones */
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_ETH);
    for (size_t i = 0; i < pi->nfields; i++) {
        const char *nm = pi->fields[i].name;
        int want = !strcmp(nm, "dst") || !strcmp(nm, "src") || !strcmp(nm, "type");
        assert_int_equal(wp_field_shown(&p, l, &pi->fields[i]), want);
    }
}

static void test_eth_unknown_ethertype_is_payload(void **state)
{
    (void)state;
    uint8_t b[128];
    wp_packet p;
    uint32_t n = frame(b, 0x88cc, 46, 0); /* LLDP */
    dec(&p, b, n);
    assert_int_equal(p.nlayers, 2);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 14);
    assert_int_equal(p.layers[1].len, 46);
    assert_int_equal(p.nevents, 0);
}

static void test_eth_8023_llc_frame(void **state)
{
    (void)state;
    /* an STP BPDU: 802.3 length 38, LLC 42 42 03, 35 BPDU bytes, 8 padding */
    uint8_t b[128];
    wp_packet p;
    uint32_t n = frame(b, 38, 46, 0);
    b[14] = 0x42;
    b[15] = 0x42;
    b[16] = 0x03;
    dec(&p, b, n);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 3);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->h.eth.is_8023, 1);
    assert_int_equal(wp_test_field(l, "length"), 38);
    assert_int_equal(wp_test_field(l, "dsap"), 0x42);
    assert_int_equal(wp_test_field(l, "ssap"), 0x42);
    assert_int_equal(wp_test_field(l, "ctrl"), 0x03);
    assert_int_equal(l->hdr_len, 17);
    assert_int_equal(l->len, 52);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 17);
    assert_int_equal(p.layers[1].len, 35);
    assert_int_equal(p.layers[2].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[2].off, 52);
    assert_int_equal(p.layers[2].len, 8);
    char fmt[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!6s6sHBBB");
    assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "type")), 0); /* no "type" */
    assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "length")), 1); /* "length" */
}

static void test_eth_1500_is_a_length_1536_a_type(void **state)
{
    (void)state;
    uint8_t b[1600];
    wp_packet p;
    uint32_t n = frame(b, 1500, 1500, 0xaa);
    dec(&p, b, n);
    assert_int_equal(p.layers[0].h.eth.is_8023, 1);
    assert_int_equal(p.nevents, 0);
    n = frame(b, 0x0600, 46, 0);
    dec(&p, b, n);
    assert_int_equal(p.layers[0].h.eth.is_8023, 0);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
}

static void test_eth_8023_length_beyond_frame_is_invalid(void **state)
{
    (void)state;
    uint8_t b[128];
    wp_packet p;
    uint32_t n = frame(b, 100, 46, 0);
    dec(&p, b, n);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "eth.length_exceeds_frame");
    assert_int_equal(p.events[0].def->kind, WP_EV_INVALID);
    assert_int_equal(p.events[0].val, 100);
    assert_int_equal(p.events[0].ref, 46);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 17);
    assert_int_equal(p.layers[1].len, 43);
}

static void test_eth_truncated_at_every_byte(void **state)
{
    (void)state;
    uint8_t b[128];
    uint32_t n = frame(b, 0x0800, 46, 0x45);
    (void)n;
    for (uint32_t cap = 0; cap < 14; cap++) {
        wp_packet p;
        dec(&p, b, cap);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "eth.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, 14);
        assert_int_equal(p.nlayers, 1);
        assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
        /* a cut header never shows a field read past the end */
        const wp_layer *l = &p.layers[0];
        assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "dst")), cap >= 6);
        assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "src")), cap >= 12);
        assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "type")), 0);
    }
}

static void test_eth_8023_truncated_inside_llc(void **state)
{
    (void)state;
    uint8_t b[128];
    frame(b, 38, 46, 0x42);
    for (uint32_t cap = 14; cap < 17; cap++) {
        wp_packet p;
        dec(&p, b, cap);
        assert_true(wp_test_has_event(&p, "eth.truncated"));
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, 17);
        assert_int_equal(p.layers[0].hdr_len, 14);
        assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
    }
}

static void test_eth_8023_length_below_3_has_no_llc(void **state)
{
    (void)state;
    uint8_t b[128];
    wp_packet p;
    uint32_t n = frame(b, 2, 46, 0x42);
    dec(&p, b, n);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(p.nevents, 0);
    assert_int_equal(l->h.eth.is_8023, 1);
    assert_int_equal(l->hdr_len, 14);
    assert_int_equal(l->len, 16);
    assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "length")), 1); /* length */
    assert_int_equal(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ETH, "dsap")), 0); /* no dsap */
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 14);
    assert_int_equal(p.layers[1].len, 2);
    assert_int_equal(p.layers[2].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[2].off, 16);
    assert_int_equal(p.layers[2].len, 44);
}

static void test_eth_arp_padding_is_a_trailer(void **state)
{
    (void)state;
    uint8_t b[128];
    wp_packet p;
    uint32_t n = frame(b, 0x0806, 46, 0);
    const uint8_t arp[] = {0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1,
                           0, 0, 0, 0, 0, 0, 192, 0, 2, 2};
    memcpy(b + 14, arp, sizeof arp);
    dec(&p, b, n);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 3);
    assert_int_equal(p.layers[1].proto, WP_PROTO_ARP);
    assert_int_equal(p.layers[1].len, 28);
    assert_int_equal(p.layers[2].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[2].off, 42);
    assert_int_equal(p.layers[2].len, 18);
}

static void test_eth_fixture_padding(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("eth-padding.pcap");
    assert_int_equal(fx->n, 2);
    wp_packet p;
    /* frame 1: TCP in IPv4 (total length 40) + 6 zero bytes of padding */
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.caplen, 60);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 4);
    assert_int_equal(p.layers[0].proto, WP_PROTO_ETH);
    assert_int_equal(p.layers[0].len, 60);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[1].off, 14);
    assert_int_equal(p.layers[2].proto, WP_PROTO_TCP);
    assert_int_equal(p.layers[2].csum, WP_CSUM_GOOD);
    assert_int_equal(p.layers[3].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[3].off, 54);
    assert_int_equal(p.layers[3].len, 6);
    /* frame 2: the ARP reply + 18 zero bytes: ARP bounds it */
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 3);
    assert_int_equal(p.layers[1].proto, WP_PROTO_ARP);
    assert_int_equal(p.layers[1].len, 28);
    assert_int_equal(p.layers[2].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[2].off, 42);
    assert_int_equal(p.layers[2].len, 18);
    wp_fixture_free(fx);
}

static void test_eth_fixture_8023_llc(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("eth-8023-llc.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_ETH);
    assert_int_equal(l->h.eth.is_8023, 1);
    assert_int_equal(l->hdr_len, 17);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 17);
    assert_int_equal(p.layers[1].len, l->len - 17);
    wp_fixture_free(fx);
}

static void test_eth_fixture_udp_tcp_pair_addresses(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    for (size_t i = 0; i < fx->n; i++) {
        wp_packet p;
        wp_fixture_decode(fx, i, &p);
        const wp_layer *l = &p.layers[0];
        assert_int_equal(l->proto, WP_PROTO_ETH);
        assert_memory_equal(l->h.eth.dst, DST, 6);
        assert_memory_equal(l->h.eth.src, SRC, 6);
        assert_int_equal(wp_test_field(l, "type"), 0x0800);
        assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    }
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_ii_fields_and_next_layer),
        cmocka_unit_test(test_eth_unknown_ethertype_is_payload),
        cmocka_unit_test(test_eth_8023_llc_frame),
        cmocka_unit_test(test_eth_1500_is_a_length_1536_a_type),
        cmocka_unit_test(test_eth_8023_length_beyond_frame_is_invalid),
        cmocka_unit_test(test_eth_truncated_at_every_byte),
        cmocka_unit_test(test_eth_8023_truncated_inside_llc),
        cmocka_unit_test(test_eth_8023_length_below_3_has_no_llc),
        cmocka_unit_test(test_eth_arp_padding_is_a_trailer),
        cmocka_unit_test(test_eth_fixture_padding),
        cmocka_unit_test(test_eth_fixture_8023_llc),
        cmocka_unit_test(test_eth_fixture_udp_tcp_pair_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
