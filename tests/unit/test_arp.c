/* Unit tests for the ARP decoder (src/proto/arp.c). Byte arrays checked with
 * tshark (arp.opcode, arp.src.hw_mac, arp.src.proto_ipv4, eth.padding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static const uint8_t MAC1[6] = {2, 0, 0, 0, 0, 1}, MAC2[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t IP1[4] = {192, 0, 2, 1}, IP2[4] = {192, 0, 2, 2};

/* Ethernet broadcast + ARP request who-has 192.0.2.2 tell 192.0.2.1, padded
 * to 60 bytes. */
static const uint8_t request[60] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
    0, 1, 0x08, 0x00, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1,
    0, 0, 0, 0, 0, 0, 192, 0, 2, 2};

/* The reply, unpadded (42 bytes, as a sender's own capture shows it). */
static const uint8_t reply[42] = {
    2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x06,
    0, 1, 0x08, 0x00, 6, 4, 0, 2, 2, 0, 0, 0, 0, 2, 192, 0, 2, 2,
    2, 0, 0, 0, 0, 1, 192, 0, 2, 1};

static void dec(wp_packet *p, const uint8_t *b, uint32_t len)
{
    wp_frame f = {1700000000, 0, len, len, WP_LINK_EN10MB, b};
    wp_decode(&f, p);
}

static void test_arp_request_fields_and_padding_trailer(void **state)
{
    (void)state;
    wp_packet p;
    dec(&p, request, sizeof request);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 3);
    const wp_layer *l = &p.layers[1];
    assert_int_equal(l->proto, WP_PROTO_ARP);
    assert_int_equal(l->off, 14);
    assert_int_equal(l->hdr_len, 28);
    assert_int_equal(l->len, 28);
    assert_int_equal(wp_test_field(l, "htype"), 1);
    assert_int_equal(wp_test_field(l, "ptype"), 0x0800);
    assert_int_equal(wp_test_field(l, "hlen"), 6);
    assert_int_equal(wp_test_field(l, "plen"), 4);
    assert_int_equal(wp_test_field(l, "op"), 1);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "sha")), MAC1, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "spa")), IP1, 4);
    const uint8_t zero[6] = {0};
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tha")), zero, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tpa")), IP2, 4);
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_ARP);
    for (size_t i = 0; i < pi->nfields; i++)
        assert_true(wp_field_shown(&p, l, &pi->fields[i]));
    assert_int_equal(p.layers[2].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[2].off, 42);
    assert_int_equal(p.layers[2].len, 18);
    char fmt[32], d[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHBBH6s4s6s4s");
    assert_string_equal(wp_test_row(WP_PROTO_ARP, "op")->describe(1, d, sizeof d), "request");
    assert_string_equal(wp_test_row(WP_PROTO_ARP, "op")->describe(2, d, sizeof d), "reply");
    assert_null(wp_test_row(WP_PROTO_ARP, "op")->describe(99, d, sizeof d));
    assert_string_equal(wp_test_row(WP_PROTO_ARP, "ptype")->describe(0x0800, d, sizeof d), "IPv4");
}

static void test_arp_reply_without_padding(void **state)
{
    (void)state;
    wp_packet p;
    dec(&p, reply, sizeof reply);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 2); /* nothing after ARP: no payload, no trailer */
    const wp_layer *l = &p.layers[1];
    assert_int_equal(wp_test_field(l, "op"), 2);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "sha")), MAC2, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "spa")), IP2, 4);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tha")), MAC1, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tpa")), IP1, 4);
}

static void test_arp_other_sizes_are_a_note_and_hide_addresses(void **state)
{
    (void)state;
    /* hlen 8, plen 4 (e.g. a 64-bit hardware type): 8 + 2*(8+4) = 32 bytes */
    uint8_t b[60] = {0};
    memcpy(b, request, 14);
    const uint8_t h[] = {0, 27, 0x08, 0x00, 8, 4, 0, 1};
    memcpy(b + 14, h, sizeof h);
    wp_packet p;
    dec(&p, b, sizeof b);
    assert_int_equal(p.nevents, 1);
    assert_string_equal(p.events[0].def->code, "arp.unsupported_format");
    assert_int_equal(p.events[0].def->kind, WP_EV_NOTE);
    assert_int_equal(p.events[0].val, 8);
    assert_int_equal(p.events[0].ref, 4);
    const wp_layer *l = &p.layers[1];
    assert_int_equal(l->hdr_len, 32);
    assert_int_equal(l->len, 32);
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ARP, "sha")));
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ARP, "spa")));
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ARP, "tha")));
    assert_false(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ARP, "tpa")));
    assert_true(wp_field_shown(&p, l, wp_test_row(WP_PROTO_ARP, "op")));
    char fmt[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHBBH");
    assert_int_equal(p.layers[2].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[2].off, 46);
    assert_int_equal(p.layers[2].len, 14);
}

static void test_arp_truncated_at_every_byte(void **state)
{
    (void)state;
    for (uint32_t cap = 14; cap < 42; cap++) {
        wp_packet p;
        dec(&p, request, cap);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "arp.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].val, cap - 14);
        assert_int_equal(p.events[0].ref, cap < 22 ? 8 : 28);
        assert_int_equal(p.nlayers, 2);
        assert_true(p.layers[1].flags & WP_LF_TRUNCATED);
        /* the addresses cut by the capture are not shown */
        assert_int_equal(wp_field_shown(&p, &p.layers[1], wp_test_row(WP_PROTO_ARP, "tpa")), 0);
        assert_int_equal(wp_field_shown(&p, &p.layers[1], wp_test_row(WP_PROTO_ARP, "sha")), cap >= 28);
    }
}

static void test_arp_truncated_other_format(void **state)
{
    (void)state;
    uint8_t b[40] = {0};
    memcpy(b, request, 14);
    const uint8_t h[] = {0, 1, 0x86, 0xdd, 6, 16, 0, 1}; /* 8 + 44 = 52 bytes */
    memcpy(b + 14, h, sizeof h);
    wp_packet p;
    dec(&p, b, sizeof b);
    assert_true(wp_test_has_event(&p, "arp.unsupported_format"));
    assert_true(wp_test_has_event(&p, "arp.truncated"));
    assert_true(p.layers[1].flags & WP_LF_TRUNCATED);
    assert_int_equal(p.nlayers, 2);
}

static void test_arp_fixture(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("arp.pcap");
    assert_true(fx->n >= 2);
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_ARP, 0);
    assert_non_null(l);
    assert_int_equal(wp_test_field(l, "op"), 1);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "sha")), MAC1, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "spa")), IP1, 4);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tpa")), IP2, 4);
    assert_int_equal(p.nevents, 0);
    assert_null(wp_test_layer(&p, WP_PROTO_PAYLOAD, 0));
    wp_fixture_decode(fx, 1, &p);
    l = wp_test_layer(&p, WP_PROTO_ARP, 0);
    assert_non_null(l);
    assert_int_equal(wp_test_field(l, "op"), 2);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "sha")), MAC2, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "spa")), IP2, 4);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tha")), MAC1, 6);
    assert_memory_equal(wp_field_bytes(l, wp_test_row(WP_PROTO_ARP, "tpa")), IP1, 4);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arp_request_fields_and_padding_trailer),
        cmocka_unit_test(test_arp_reply_without_padding),
        cmocka_unit_test(test_arp_other_sizes_are_a_note_and_hide_addresses),
        cmocka_unit_test(test_arp_truncated_at_every_byte),
        cmocka_unit_test(test_arp_truncated_other_format),
        cmocka_unit_test(test_arp_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
