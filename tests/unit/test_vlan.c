/* Unit tests for the VLAN decoder (src/proto/vlan.c): 802.1Q tags, 802.1ad
 * QinQ stacks (one layer per tag), truncation. Byte arrays checked with
 * tshark (vlan.priority, vlan.dei, vlan.id, vlan.etype). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static void dec(wp_packet *p, const uint8_t *b, uint32_t len)
{
    wp_frame f = {1700000000, 0, len, len, WP_LINK_EN10MB, b};
    wp_decode(&f, p);
}

static const uint8_t ARP_REQ[28] = {0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1,
                                    0, 0, 0, 0, 0, 0, 192, 0, 2, 2};

/* 802.1Q, PCP 5, DEI 1, VID 100, carrying an ARP request, padded to 64. */
static uint32_t dot1q(uint8_t *b)
{
    const uint8_t h[] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00, 0xb0, 0x64, 0x08, 0x06};
    memset(b, 0, 64);
    memcpy(b, h, sizeof h);
    memcpy(b + 18, ARP_REQ, 28);
    return 64;
}

/* 802.1ad S-tag VID 200, 802.1Q C-tag PCP 1 VID 100, then IPv4. */
static uint32_t qinq(uint8_t *b)
{
    const uint8_t h[] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xa8, 0x00, 0xc8,
                         0x81, 0x00, 0x20, 0x64, 0x08, 0x00, 0x45, 0x00};
    memset(b, 0, 64);
    memcpy(b, h, sizeof h);
    return 64;
}

static void test_vlan_8021q_fields(void **state)
{
    (void)state;
    uint8_t b[64];
    wp_packet p;
    dec(&p, b, dot1q(b));
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 4);
    const wp_layer *l = &p.layers[1];
    assert_int_equal(l->proto, WP_PROTO_VLAN);
    assert_int_equal(l->off, 14);
    assert_int_equal(l->hdr_len, 4);
    assert_int_equal(l->len, 50);
    assert_int_equal(l->depth, 1);
    assert_int_equal(l->h.vlan.tpid, 0x8100);
    assert_int_equal(wp_test_field(l, "pcp"), 5);
    assert_int_equal(wp_test_field(l, "dei"), 1);
    assert_int_equal(wp_test_field(l, "vid"), 100);
    assert_int_equal(wp_test_field(l, "type"), 0x0806);
    assert_int_equal(p.layers[2].proto, WP_PROTO_ARP);
    assert_int_equal(p.layers[2].off, 18);
    assert_int_equal(p.layers[2].depth, 2);
    assert_int_equal(p.layers[3].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[3].off, 46);
    assert_int_equal(p.layers[3].len, 18);
    char fmt[32], d[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HH");
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_VLAN);
    assert_string_equal(pi->name, "vlan");
    assert_int_equal(pi->nfields, 4);
    assert_string_equal(wp_test_row(WP_PROTO_VLAN, "type")->describe(0x0806, d, sizeof d), "ARP");
    assert_int_equal(wp_test_row(WP_PROTO_VLAN, "pcp")->mask, 0xe000);
    assert_int_equal(wp_test_row(WP_PROTO_VLAN, "pcp")->shift, 13);
    assert_int_equal(wp_test_row(WP_PROTO_VLAN, "dei")->mask, 0x1000);
    assert_int_equal(wp_test_row(WP_PROTO_VLAN, "vid")->mask, 0x0fff);
}

static void test_vlan_qinq_is_two_layers(void **state)
{
    (void)state;
    uint8_t b[64];
    wp_packet p;
    dec(&p, b, qinq(b));
    const wp_layer *s = &p.layers[1], *c = &p.layers[2];
    assert_int_equal(s->proto, WP_PROTO_VLAN);
    assert_int_equal(s->off, 14);
    assert_int_equal(s->depth, 1);
    assert_int_equal(s->h.vlan.tpid, 0x88a8);
    assert_int_equal(wp_test_field(s, "vid"), 200);
    assert_int_equal(wp_test_field(s, "pcp"), 0);
    assert_int_equal(wp_test_field(s, "dei"), 0);
    assert_int_equal(wp_test_field(s, "type"), 0x8100);
    assert_int_equal(c->proto, WP_PROTO_VLAN);
    assert_int_equal(c->off, 18);
    assert_int_equal(c->depth, 2);
    assert_int_equal(c->h.vlan.tpid, 0x8100);
    assert_int_equal(wp_test_field(c, "vid"), 100);
    assert_int_equal(wp_test_field(c, "pcp"), 1);
    assert_int_equal(wp_test_field(c, "type"), 0x0800);
    assert_int_equal(p.layers[3].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[3].off, 22);
    assert_int_equal(p.layers[3].depth, 3);
}

static void test_vlan_extreme_tci_bits(void **state)
{
    (void)state;
    uint8_t b[64];
    wp_packet p;
    dot1q(b);
    b[12] = 0x91; /* the old QinQ TPID */
    b[14] = 0xff;
    b[15] = 0xff;
    dec(&p, b, 64);
    const wp_layer *l = &p.layers[1];
    assert_int_equal(l->h.vlan.tpid, 0x9100);
    assert_int_equal(wp_test_field(l, "pcp"), 7);
    assert_int_equal(wp_test_field(l, "dei"), 1);
    assert_int_equal(wp_test_field(l, "vid"), 4095);
    b[14] = 0x0f;
    dec(&p, b, 64);
    assert_int_equal(wp_test_field(&p.layers[1], "pcp"), 0);
    assert_int_equal(wp_test_field(&p.layers[1], "dei"), 0);
    assert_int_equal(wp_test_field(&p.layers[1], "vid"), 4095);
}

static void test_vlan_truncated_at_every_byte(void **state)
{
    (void)state;
    uint8_t b[64];
    qinq(b);
    for (uint32_t cap = 14; cap < 22; cap++) {
        wp_packet p;
        dec(&p, b, cap);
        unsigned cut = cap < 18 ? 1 : 2; /* which tag is cut */
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "vlan.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].layer, cut);
        assert_int_equal(p.events[0].val, cap - (cut == 1 ? 14 : 18));
        assert_int_equal(p.events[0].ref, 4);
        assert_int_equal(p.nlayers, cut + 1);
        assert_true(p.layers[cut].flags & WP_LF_TRUNCATED);
        assert_int_equal(p.layers[cut].proto, WP_PROTO_VLAN);
    }
}

static void test_vlan_unknown_inner_type_is_payload(void **state)
{
    (void)state;
    uint8_t b[64];
    wp_packet p;
    dot1q(b);
    b[16] = 0x88;
    b[17] = 0xb5;
    dec(&p, b, 64);
    assert_int_equal(p.nlayers, 3);
    assert_int_equal(p.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[2].off, 18);
    assert_int_equal(p.layers[2].len, 46);
}

static void test_vlan_8023_length_inside_tag_bounds_the_data(void **state)
{
    (void)state;
    /* an STP BPDU on a trunk: the tag's type field is a length (38) */
    uint8_t b[64];
    wp_packet p;
    dot1q(b);
    b[16] = 0x00;
    b[17] = 38;
    dec(&p, b, 64);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(p.nlayers, 4);
    assert_int_equal(wp_test_field(&p.layers[1], "type"), 38);
    assert_int_equal(p.layers[2].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[2].off, 18);
    assert_int_equal(p.layers[2].len, 38);
    assert_int_equal(p.layers[3].proto, WP_PROTO_TRAILER);
    assert_int_equal(p.layers[3].off, 56);
    assert_int_equal(p.layers[3].len, 8);
    /* a length beyond the frame: the frame's end stands */
    b[17] = 200;
    dec(&p, b, 64);
    assert_int_equal(p.nlayers, 3);
    assert_int_equal(p.layers[2].len, 46);
}

static void test_vlan_fixture_8021q(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("vlan-8021q.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    const wp_layer *l = wp_test_layer(&p, WP_PROTO_VLAN, 0);
    assert_non_null(l);
    assert_int_equal(l->off, 14);
    assert_int_equal(l->h.vlan.tpid, 0x8100);
    assert_int_equal(wp_test_field(l, "pcp"), 3);
    assert_int_equal(wp_test_field(l, "dei"), 0);
    assert_int_equal(wp_test_field(l, "vid"), 100);
    assert_int_equal(wp_test_field(l, "type"), 0x0800);
    assert_int_equal(l->len, 44);
    assert_null(wp_test_layer(&p, WP_PROTO_VLAN, 1));
    assert_int_equal(p.layers[2].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[2].off, 18);
    wp_fixture_free(fx);
}

static void test_vlan_fixture_qinq(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("vlan-qinq.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_VLAN, 0);
    const wp_layer *c = wp_test_layer(&p, WP_PROTO_VLAN, 1);
    assert_non_null(s);
    assert_non_null(c);
    assert_int_equal(s->h.vlan.tpid, 0x88a8);
    assert_int_equal(s->off, 14);
    assert_int_equal(wp_test_field(s, "pcp"), 0);
    assert_int_equal(wp_test_field(s, "vid"), 200);
    assert_int_equal(wp_test_field(s, "type"), 0x8100);
    assert_int_equal(c->h.vlan.tpid, 0x8100);
    assert_int_equal(c->off, 18);
    assert_int_equal(wp_test_field(c, "pcp"), 3);
    assert_int_equal(wp_test_field(c, "vid"), 100);
    assert_int_equal(wp_test_field(c, "type"), 0x0800);
    assert_int_equal(c->depth, 2);
    assert_int_equal(p.layers[3].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[3].off, 22);
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vlan_8021q_fields),
        cmocka_unit_test(test_vlan_qinq_is_two_layers),
        cmocka_unit_test(test_vlan_extreme_tci_bits),
        cmocka_unit_test(test_vlan_truncated_at_every_byte),
        cmocka_unit_test(test_vlan_unknown_inner_type_is_payload),
        cmocka_unit_test(test_vlan_8023_length_inside_tag_bounds_the_data),
        cmocka_unit_test(test_vlan_fixture_8021q),
        cmocka_unit_test(test_vlan_fixture_qinq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
