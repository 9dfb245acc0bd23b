/* Unit tests for the Linux cooked capture decoders (src/proto/sll.c): SLL v1
 * and v2. Byte arrays checked with tshark (sll.pkttype, sll.hatype,
 * sll.halen, sll.src.eth, sll.etype, sll.ifindex). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"

static const uint8_t MAC1[6] = {2, 0, 0, 0, 0, 1};

/* v1: sent by us (4), Ethernet (1), halen 6, 02:00:00:00:00:01 + 2 pad, IPv4 */
static const uint8_t v1[36] = {0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00, 0x45};

/* v2: IPv4, reserved 0, ifindex 3, Ethernet, to us (0), halen 6, address */
static const uint8_t v2[40] = {0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6,
                               2, 0, 0, 0, 0, 1, 0, 0, 0x45};

static void dec(wp_packet *p, int linktype, const uint8_t *b, uint32_t len)
{
    wp_frame f = {1700000000, 0, len, len, linktype, b};
    wp_decode(&f, p);
}

/* The field called name that layer l shows (SLL has two "addr" entries). */
static const wp_field *shown(const wp_packet *p, const wp_layer *l, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    const wp_field *found = NULL;
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0 && wp_field_shown(p, l, &pi->fields[i])) {
            assert_null(found); /* never two at once */
            found = &pi->fields[i];
        }
    return found;
}

/* No event concerns the cooked header (the stand-in IP bytes may raise some). */
static void no_link_events(const wp_packet *p)
{
    for (unsigned i = 0; i < p->nevents; i++)
        assert_int_not_equal(p->events[i].layer, 0);
}

static void test_sll_v1_fields(void **state)
{
    (void)state;
    wp_packet p;
    dec(&p, WP_LINK_LINUX_SLL, v1, sizeof v1);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_SLL);
    assert_int_equal(l->hdr_len, 16);
    assert_int_equal(l->len, 36);
    assert_int_equal(wp_test_field(l, "pkttype"), 4);
    assert_int_equal(wp_test_field(l, "hatype"), 1);
    assert_int_equal(wp_test_field(l, "halen"), 6);
    assert_int_equal(wp_test_field(l, "protocol"), 0x0800);
    const wp_field *a = shown(&p, l, "addr");
    assert_non_null(a);
    assert_int_equal(a->kind, WP_FK_MAC);
    assert_memory_equal(wp_field_bytes(l, a), MAC1, 6);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[1].off, 16);
    no_link_events(&p);
    char fmt[32], d[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHH8sH");
    assert_string_equal(wp_proto_get(WP_PROTO_SLL)->name, "sll");
    const wp_field *pkttype = wp_test_row(WP_PROTO_SLL, "pkttype");
    assert_string_equal(pkttype->describe(4, d, sizeof d), "sent by us");
    assert_string_equal(pkttype->describe(0, d, sizeof d), "to us");
    assert_string_equal(wp_test_row(WP_PROTO_SLL, "hatype")->describe(772, d, sizeof d), "Loopback");
}

static void test_sll_v1_other_address_length_is_hex(void **state)
{
    (void)state;
    uint8_t b[36];
    memcpy(b, v1, sizeof b);
    b[3] = 0xfe; /* hatype 65534 (tun): no address */
    b[2] = 0xff;
    b[5] = 0;
    wp_packet p;
    dec(&p, WP_LINK_LINUX_SLL, b, sizeof b);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(wp_test_field(l, "hatype"), 65534);
    assert_int_equal(wp_test_field(l, "halen"), 0);
    const wp_field *a = shown(&p, l, "addr");
    assert_non_null(a);
    assert_int_equal(a->kind, WP_FK_HEX);
    assert_int_equal(a->width, 8);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
}

static void test_sll_v1_netlink_and_low_protocols_are_payload(void **state)
{
    (void)state;
    uint8_t b[36];
    wp_packet p;
    memcpy(b, v1, sizeof b);
    b[2] = 0x03; /* ARPHRD_NETLINK 824 = 0x0338 */
    b[3] = 0x38;
    dec(&p, WP_LINK_LINUX_SLL, b, sizeof b);
    assert_int_equal(p.nlayers, 2);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 16);
    assert_int_equal(p.layers[1].len, 20);
    memcpy(b, v1, sizeof b);
    b[14] = 0x00; /* ETH_P_802_2: an LLC frame follows */
    b[15] = 0x04;
    dec(&p, WP_LINK_LINUX_SLL, b, sizeof b);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    no_link_events(&p);
}

static void test_sll_v1_arp_and_vlan_next(void **state)
{
    (void)state;
    uint8_t b[48] = {0};
    memcpy(b, v1, 16);
    b[14] = 0x81; /* a VLAN tag left in place, then ARP */
    b[15] = 0x00;
    b[16] = 0x00;
    b[17] = 0x0a;
    b[18] = 0x08;
    b[19] = 0x06;
    const uint8_t arp[8] = {0, 1, 8, 0, 6, 4, 0, 1};
    memcpy(b + 20, arp, 8);
    wp_packet p;
    dec(&p, WP_LINK_LINUX_SLL, b, sizeof b);
    assert_int_equal(p.layers[1].proto, WP_PROTO_VLAN);
    assert_int_equal(p.layers[1].h.vlan.tpid, 0x8100);
    assert_int_equal(p.layers[1].h.vlan.vid, 10);
    assert_int_equal(p.layers[2].proto, WP_PROTO_ARP);
    assert_int_equal(p.layers[2].off, 20);
    assert_int_equal(p.nlayers, 3); /* ARP ends the frame exactly */
}

static void test_sll_v1_truncated_at_every_byte(void **state)
{
    (void)state;
    for (uint32_t cap = 0; cap < 16; cap++) {
        wp_packet p;
        dec(&p, WP_LINK_LINUX_SLL, v1, cap);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "sll.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, 16);
        assert_int_equal(p.nlayers, 1);
        assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
        const wp_layer *l = &p.layers[0];
        assert_int_equal(shown(&p, l, "addr") != NULL, cap >= 14);
        assert_int_equal(shown(&p, l, "protocol") != NULL, 0);
    }
}

static void test_sll2_fields(void **state)
{
    (void)state;
    wp_packet p;
    dec(&p, WP_LINK_LINUX_SLL2, v2, sizeof v2);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_SLL2);
    assert_int_equal(l->hdr_len, 20);
    assert_int_equal(wp_test_field(l, "protocol"), 0x0800);
    assert_int_equal(wp_test_field(l, "reserved"), 0);
    assert_int_equal(wp_test_field(l, "ifindex"), 3);
    assert_int_equal(wp_test_field(l, "hatype"), 1);
    assert_int_equal(wp_test_field(l, "pkttype"), 0);
    assert_int_equal(wp_test_field(l, "halen"), 6);
    const wp_field *a = shown(&p, l, "addr");
    assert_non_null(a);
    assert_int_equal(a->kind, WP_FK_MAC);
    assert_memory_equal(wp_field_bytes(l, a), MAC1, 6);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[1].off, 20);
    no_link_events(&p);
    char fmt[32];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), "!HHIHBB8s");
    assert_string_equal(wp_proto_get(WP_PROTO_SLL2)->name, "sll2");
}

static void test_sll2_netlink_is_payload(void **state)
{
    (void)state;
    uint8_t b[40];
    memcpy(b, v2, sizeof b);
    b[0] = 0; /* netlink protocol NETLINK_ROUTE 0, hatype 824 */
    b[1] = 0;
    b[8] = 0x03;
    b[9] = 0x38;
    b[11] = 0;
    wp_packet p;
    dec(&p, WP_LINK_LINUX_SLL2, b, sizeof b);
    assert_int_equal(p.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(p.layers[1].off, 20);
    const wp_field *a = shown(&p, &p.layers[0], "addr");
    assert_int_equal(a->kind, WP_FK_HEX);
}

static void test_sll2_truncated_at_every_byte(void **state)
{
    (void)state;
    for (uint32_t cap = 0; cap < 20; cap++) {
        wp_packet p;
        dec(&p, WP_LINK_LINUX_SLL2, v2, cap);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "sll2.truncated");
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, 20);
        assert_int_equal(p.nlayers, 1);
        assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
        assert_int_equal(shown(&p, &p.layers[0], "protocol") != NULL, cap >= 2);
    }
}

/* What a fixture frame's cooked header holds (captures/README.md). */
typedef struct sll_want {
    unsigned pkttype, hatype, halen;
    uint8_t kind;     /* the addr row shown: WP_FK_MAC or WP_FK_HEX */
    uint8_t addr[8];  /* the 8 address bytes */
    uint32_t ifindex; /* SLL2 only */
} sll_want;

/* Frame 1 of both fixtures: to us on Ethernet. Frame 2: sent by us on a GRE
 * tunnel, whose 4-byte address (192.0.2.1) is not a MAC: hex bytes. */
static const sll_want ETHER = {0, 1, 6, WP_FK_MAC, {2, 0, 0, 0, 0, 1, 0, 0}, 2};
static const sll_want GRE = {4, 778, 4, WP_FK_HEX, {192, 0, 2, 1, 0, 0, 0, 0}, 5};

static void fixture_check(wp_packet *p, const wp_fixture *fx, size_t i, unsigned proto,
                          uint32_t ip_off, const sll_want *w)
{
    wp_fixture_decode(fx, i, p);
    const wp_layer *l = &p->layers[0];
    assert_int_equal(l->proto, proto);
    assert_int_equal(l->hdr_len, ip_off);
    assert_int_equal(wp_test_field(l, "protocol"), 0x0800);
    assert_int_equal(wp_test_field(l, "pkttype"), w->pkttype);
    assert_int_equal(wp_test_field(l, "hatype"), w->hatype);
    assert_int_equal(wp_test_field(l, "halen"), w->halen);
    if (proto == WP_PROTO_SLL2) {
        assert_int_equal(wp_test_field(l, "ifindex"), w->ifindex);
        assert_int_equal(wp_test_field(l, "reserved"), 0);
    }
    const wp_field *a = shown(p, l, "addr");
    assert_non_null(a);
    assert_int_equal(a->kind, w->kind);
    assert_memory_equal(wp_field_bytes(l, a), w->addr, 8);
    assert_int_equal(p->layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p->layers[1].off, ip_off);
    for (unsigned e = 0; e < p->nevents; e++)
        assert_int_not_equal(p->events[e].layer, 0);
}

static void fixture_pair(const char *name, int linktype, unsigned proto, uint32_t ip_off)
{
    wp_fixture *fx = wp_fixture_load(name);
    wp_packet p;
    assert_int_equal(fx->n, 2);
    assert_int_equal(fx->frames[0].linktype, linktype);
    fixture_check(&p, fx, 0, proto, ip_off, &ETHER);
    fixture_check(&p, fx, 1, proto, ip_off, &GRE);
    wp_fixture_free(fx);
}

static void test_sll_fixture_v1(void **state)
{
    (void)state;
    fixture_pair("link-sll.pcap", WP_LINK_LINUX_SLL, WP_PROTO_SLL, 16);
}

static void test_sll_fixture_v2(void **state)
{
    (void)state;
    fixture_pair("link-sll2.pcap", WP_LINK_LINUX_SLL2, WP_PROTO_SLL2, 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sll_v1_fields),
        cmocka_unit_test(test_sll_v1_other_address_length_is_hex),
        cmocka_unit_test(test_sll_v1_netlink_and_low_protocols_are_payload),
        cmocka_unit_test(test_sll_v1_arp_and_vlan_next),
        cmocka_unit_test(test_sll_v1_truncated_at_every_byte),
        cmocka_unit_test(test_sll2_fields),
        cmocka_unit_test(test_sll2_netlink_is_payload),
        cmocka_unit_test(test_sll2_truncated_at_every_byte),
        cmocka_unit_test(test_sll_fixture_v1),
        cmocka_unit_test(test_sll_fixture_v2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
