/* Unit tests for the BSD loopback decoder (src/proto/null.c): DLT_NULL and
 * DLT_LOOP, the family in either byte order. Checked with tshark (null.family). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "proto/proto.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

static void dec(wp_packet *p, int linktype, const uint8_t *b, uint32_t len)
{
    wp_frame f = {1700000000, 0, len, len, linktype, b};
    wp_decode(&f, p);
}

/* 4-byte family then 24 bytes standing in for the IP packet. */
static uint32_t frame(uint8_t *b, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    memset(b, 0, 28);
    b[0] = b0;
    b[1] = b1;
    b[2] = b2;
    b[3] = b3;
    b[4] = 0x45;
    return 28;
}

static void check(int linktype, const uint8_t fam[4], uint32_t family, int swapped,
                  unsigned next)
{
    uint8_t b[28];
    wp_packet p;
    dec(&p, linktype, b, frame(b, fam[0], fam[1], fam[2], fam[3]));
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_NULL);
    assert_int_equal(l->hdr_len, 4);
    assert_int_equal(wp_test_field(l, "family"), family);
    assert_int_equal(l->h.null.swapped, swapped);
    /* the order the family was read in reaches the recipe and the detail */
    int le = (linktype == WP_LINK_NULL) != (swapped != 0);
    assert_int_equal((l->flags & WP_LF_LITTLE_ENDIAN) != 0, le);
    char fmt[16], det[128];
    assert_string_equal(wp_layer_format(l, fmt, sizeof fmt), le ? "<I" : "!I");
    wp_render_field_detail(&p, l, wp_test_row(WP_PROTO_NULL, "family"), det, sizeof det);
    assert_non_null(strstr(det, le ? "  le32toh -> " : "  ntohl -> "));
    assert_int_equal(p.layers[1].proto, next);
    assert_int_equal(p.layers[1].off, 4);
    assert_int_equal(p.layers[1].depth, 1);
    /* no event about the NULL layer (the stand-in IP bytes may raise some) */
    for (unsigned i = 0; i < p.nevents; i++)
        assert_int_not_equal(p.events[i].layer, 0);
}

static void test_null_ipv4_in_both_byte_orders(void **state)
{
    (void)state;
    const uint8_t le[4] = {2, 0, 0, 0}, be[4] = {0, 0, 0, 2};
    check(WP_LINK_NULL, le, 2, 0, WP_PROTO_IPV4);
    check(WP_LINK_NULL, be, 2, 1, WP_PROTO_IPV4);
    check(WP_LINK_LOOP, be, 2, 0, WP_PROTO_IPV4);
    check(WP_LINK_LOOP, le, 2, 1, WP_PROTO_IPV4);
}

static void test_null_ipv6_bsd_families(void **state)
{
    (void)state;
    const uint8_t fams[] = {24, 28, 30};
    for (unsigned i = 0; i < 3; i++) {
        const uint8_t le[4] = {fams[i], 0, 0, 0}, be[4] = {0, 0, 0, fams[i]};
        check(WP_LINK_NULL, le, fams[i], 0, WP_PROTO_IPV6);
        check(WP_LINK_NULL, be, fams[i], 1, WP_PROTO_IPV6);
        check(WP_LINK_LOOP, be, fams[i], 0, WP_PROTO_IPV6);
        check(WP_LINK_LOOP, le, fams[i], 1, WP_PROTO_IPV6);
    }
}

static void test_null_unknown_family_is_payload(void **state)
{
    (void)state;
    const uint8_t le7[4] = {7, 0, 0, 0}, be7[4] = {0, 0, 0, 7};
    check(WP_LINK_NULL, le7, 7, 0, WP_PROTO_PAYLOAD);
    check(WP_LINK_LOOP, be7, 7, 0, WP_PROTO_PAYLOAD);
    /* neither order known: the link type's own order stands */
    check(WP_LINK_NULL, be7, 0x07000000, 0, WP_PROTO_PAYLOAD);
    /* Linux's AF_INET6 (10) is not a DLT_NULL family */
    const uint8_t le10[4] = {10, 0, 0, 0};
    check(WP_LINK_NULL, le10, 10, 0, WP_PROTO_PAYLOAD);
}

static void test_null_describe_and_format(void **state)
{
    (void)state;
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_NULL);
    char d[64];
    assert_string_equal(pi->name, "null");
    assert_int_equal(pi->nfields, 1);
    const wp_field *family = wp_test_row(WP_PROTO_NULL, "family");
    assert_ptr_equal(family, &pi->fields[0]);
    assert_string_equal(family->describe(2, d, sizeof d), "IPv4 (AF_INET)");
    assert_string_equal(family->describe(30, d, sizeof d), "IPv6 (AF_INET6, macOS)");
    assert_null(family->describe(7, d, sizeof d));
    uint8_t b[28];
    wp_packet p;
    dec(&p, WP_LINK_LOOP, b, frame(b, 0, 0, 0, 2));
    char fmt[16];
    assert_string_equal(wp_layer_format(&p.layers[0], fmt, sizeof fmt), "!I");
}

static void test_null_truncated_at_every_byte(void **state)
{
    (void)state;
    uint8_t b[28];
    frame(b, 2, 0, 0, 0);
    for (uint32_t cap = 0; cap < 4; cap++) {
        wp_packet p;
        dec(&p, WP_LINK_NULL, b, cap);
        assert_int_equal(p.nevents, 1);
        assert_string_equal(p.events[0].def->code, "null.truncated");
        assert_int_equal(p.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(p.events[0].val, cap);
        assert_int_equal(p.events[0].ref, 4);
        assert_int_equal(p.nlayers, 1);
        assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
        assert_false(wp_field_shown(&p, &p.layers[0], wp_test_row(WP_PROTO_NULL, "family")));
    }
}

/* Frame i of a fixture: family 2 in the given orientation, IPv4 at 4. */
static void fixture_check(const char *name, int linktype, size_t i, int swapped)
{
    wp_fixture *fx = wp_fixture_load(name);
    assert_true(fx->n > i);
    assert_int_equal(fx->frames[i].linktype, linktype);
    wp_packet p;
    wp_fixture_decode(fx, i, &p);
    const wp_layer *l = &p.layers[0];
    assert_int_equal(l->proto, WP_PROTO_NULL);
    assert_int_equal(l->hdr_len, 4);
    assert_int_equal(wp_test_field(l, "family"), 2);
    assert_int_equal(l->h.null.swapped, swapped);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV4);
    assert_int_equal(p.layers[1].off, 4);
    for (unsigned e = 0; e < p.nevents; e++)
        assert_int_not_equal(p.events[e].layer, 0);
    wp_fixture_free(fx);
}

static void test_null_fixture_null(void **state)
{
    (void)state;
    /* frame 1 in the writer's (little-endian) order, frame 2 swapped */
    fixture_check("link-null.pcap", WP_LINK_NULL, 0, 0);
    fixture_check("link-null.pcap", WP_LINK_NULL, 1, 1);
}

static void test_null_fixture_loop(void **state)
{
    (void)state;
    fixture_check("link-loop.pcap", WP_LINK_LOOP, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_ipv4_in_both_byte_orders),
        cmocka_unit_test(test_null_ipv6_bsd_families),
        cmocka_unit_test(test_null_unknown_family_is_payload),
        cmocka_unit_test(test_null_describe_and_format),
        cmocka_unit_test(test_null_truncated_at_every_byte),
        cmocka_unit_test(test_null_fixture_null),
        cmocka_unit_test(test_null_fixture_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
