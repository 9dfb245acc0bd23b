/* IPv6 and its extension headers: fixtures and crafted byte arrays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/checksum.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"

static wp_packet pk; /* large: keep it off the stack */

static const uint8_t SRC[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t DST[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

/* A 40-byte IPv6 header at b. */
static void put_ipv6(uint8_t *b, uint8_t version, uint16_t plen, uint8_t nh)
{
    b[0] = (uint8_t)(version << 4 | 0x0a); /* tclass 0xab, flow 0xcdef1 */
    b[1] = 0xbc;
    b[2] = 0xde;
    b[3] = 0xf1;
    b[4] = (uint8_t)(plen >> 8);
    b[5] = (uint8_t)plen;
    b[6] = nh;
    b[7] = 64;
    memcpy(b + 8, SRC, 16);
    memcpy(b + 24, DST, 16);
}

/* An 8-byte UDP header at b with length ulen and no checksum. */
static void put_udp(uint8_t *b, uint16_t ulen)
{
    const uint8_t u[8] = {0x9c, 0x40, 0xd4, 0x31, (uint8_t)(ulen >> 8), (uint8_t)ulen, 0, 0};
    memcpy(b, u, 8);
}

/* Fill in the UDP checksum of the datagram at b (len bytes) over src/dst. */
static void udp_fix_csum(uint8_t *b, uint16_t len)
{
    uint32_t s = wp_csum_add(0, SRC, 16);
    s = wp_csum_add(s, DST, 16);
    s = wp_csum_add16(s, len);
    s = wp_csum_add16(s, 17);
    b[6] = b[7] = 0;
    s = wp_csum_add(s, b, len);
    uint16_t c = wp_csum_finish(s);
    b[6] = (uint8_t)(c >> 8);
    b[7] = (uint8_t)c;
}

static void decode_link(const uint8_t *b, uint32_t caplen, uint32_t len, int linktype)
{
    wp_frame f = {1700000000, 0, caplen, len, linktype, b};
    wp_decode(&f, &pk);
}

static void decode_raw(const uint8_t *b, uint32_t caplen, uint32_t len)
{
    decode_link(b, caplen, len, WP_LINK_RAW);
}

static const char *fmt_of(const wp_layer *l)
{
    static char buf[64];
    return wp_layer_format(l, buf, sizeof buf);
}

static unsigned count_proto(unsigned proto)
{
    unsigned n = 0;
    for (unsigned i = 0; i < pk.nlayers; i++)
        n += pk.layers[i].proto == proto;
    return n;
}

/* ---- fixtures -------------------------------------------------------- */

static void test_ipv6_udp_fixture_fields(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv6-udp.pcap");
    assert_int_equal(fx->n, 1);
    wp_fixture_decode(fx, 0, &pk);
    const wp_layer *ip = wp_test_layer(&pk, WP_PROTO_IPV6, 0);
    assert_non_null(ip);
    assert_int_equal(ip->off, 14);
    assert_int_equal(ip->hdr_len, 40);
    assert_int_equal(ip->len, 60);
    assert_int_equal(wp_test_field(ip, "version"), 6);
    assert_int_equal(wp_test_field(ip, "tclass"), 0);
    assert_int_equal(wp_test_field(ip, "flow"), 0);
    assert_int_equal(wp_test_field(ip, "payload_len"), 20);
    assert_int_equal(wp_test_field(ip, "next_header"), 17);
    assert_int_equal(wp_test_field(ip, "hop_limit"), 64);
    assert_memory_equal(wp_field_bytes(ip, wp_test_row(ip->proto, "src")), SRC, 16);
    assert_memory_equal(wp_field_bytes(ip, wp_test_row(ip->proto, "dst")), DST, 16);
    assert_string_equal(fmt_of(ip), "!IHBB16s16s");
    const wp_layer *u = wp_test_layer(&pk, WP_PROTO_UDP, 0);
    assert_non_null(u);
    assert_int_equal(u->off, 54);
    assert_int_equal(u->csum, WP_CSUM_GOOD);
    assert_int_equal(wp_test_field(u, "checksum"), 0x0688);
    const wp_layer *pl = wp_test_layer(&pk, WP_PROTO_PAYLOAD, 0);
    assert_non_null(pl);
    assert_int_equal(pl->off, 62);
    assert_int_equal(pl->len, 12);
    assert_int_equal(pk.nevents, 0);
    wp_fixture_free(fx);
}

static void test_ipv6_link_raw_fixture_v6_frame(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("link-raw.pcap");
    assert_int_equal(fx->n, 2);
    wp_fixture_decode(fx, 1, &pk);
    assert_int_equal(pk.layers[0].proto, WP_PROTO_IPV6);
    assert_int_equal(pk.layers[0].off, 0);
    assert_int_equal(pk.layers[0].len, 60);
    assert_int_equal(wp_test_field(&pk.layers[0], "payload_len"), 20);
    assert_int_equal(pk.layers[1].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[1].off, 40);
    assert_int_equal(pk.layers[1].csum, WP_CSUM_GOOD);
    assert_int_equal(pk.nevents, 0);
    wp_fixture_free(fx);
}

static void test_ipv6_ext_fixture_hopopts(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv6-ext.pcap");
    assert_int_equal(fx->n, 5);
    wp_fixture_decode(fx, 0, &pk);
    assert_int_equal(pk.nlayers, 5);
    assert_int_equal(wp_test_field(&pk.layers[1], "next_header"), 0);
    const wp_layer *h = &pk.layers[2];
    assert_int_equal(h->proto, WP_PROTO_IPV6_HOPOPTS);
    assert_string_equal(wp_proto_get(h->proto)->name, "ipv6-hopopts");
    assert_int_equal(h->off, 54);
    assert_int_equal(h->hdr_len, 8);
    assert_int_equal(h->len, 28);
    assert_int_equal(wp_test_field(h, "next_header"), 17);
    assert_int_equal(wp_test_field(h, "hdr_ext_len"), 0);
    assert_string_equal(fmt_of(h), "!BB6s");
    assert_int_equal(h->opt_count, 2);
    const wp_opt *ra = &pk.opts[h->opt_first];
    assert_int_equal(ra->kind, 5);
    assert_int_equal(ra->len, 4);
    assert_int_equal(ra->off, 56);
    assert_int_equal(ra->nv, 1);
    assert_int_equal(ra->v[0], 0);
    assert_string_equal(wp_opt_name(h->proto, ra->kind), "ra");
    const wp_opt *padn = &pk.opts[h->opt_first + 1];
    assert_int_equal(padn->kind, 1);
    assert_int_equal(padn->len, 2);
    assert_string_equal(wp_opt_name(h->proto, padn->kind), "padn");
    assert_int_equal(pk.layers[3].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[3].off, 62);
    assert_int_equal(pk.layers[3].csum, WP_CSUM_GOOD);
    assert_int_equal(pk.nevents, 0);
    wp_fixture_free(fx);
}

static void test_ipv6_ext_fixture_routing_uses_final_destination(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv6-ext.pcap");
    wp_fixture_decode(fx, 1, &pk);
    const wp_layer *r = wp_test_layer(&pk, WP_PROTO_IPV6_ROUTE, 0);
    assert_non_null(r);
    assert_string_equal(wp_proto_get(r->proto)->name, "ipv6-route");
    assert_int_equal(r->off, 54);
    assert_int_equal(r->hdr_len, 40);
    assert_int_equal(wp_test_field(r, "next_header"), 17);
    assert_int_equal(wp_test_field(r, "hdr_ext_len"), 4);
    assert_int_equal(wp_test_field(r, "routing_type"), 4);
    assert_int_equal(wp_test_field(r, "segments_left"), 1);
    assert_string_equal(fmt_of(r), "!BBBB36s");
    const wp_layer *u = wp_test_layer(&pk, WP_PROTO_UDP, 0);
    assert_non_null(u);
    assert_int_equal(u->off, 94);
    /* good only if the pseudo-header used 2001:db8::2, not the IPv6 dst ::3 */
    assert_int_equal(u->csum, WP_CSUM_GOOD);
    assert_int_equal(pk.nevents, 0);
    wp_fixture_free(fx);
}

static void test_ipv6_ext_fixture_dstopts(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv6-ext.pcap");
    wp_fixture_decode(fx, 2, &pk);
    const wp_layer *d = &pk.layers[2];
    assert_int_equal(d->proto, WP_PROTO_IPV6_DSTOPTS);
    assert_string_equal(wp_proto_get(d->proto)->name, "ipv6-dstopts");
    assert_int_equal(d->hdr_len, 8);
    assert_int_equal(wp_test_field(d, "next_header"), 17);
    assert_int_equal(d->opt_count, 1);
    assert_int_equal(pk.opts[d->opt_first].kind, 1);
    assert_int_equal(pk.opts[d->opt_first].len, 6);
    assert_int_equal(pk.layers[3].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[3].csum, WP_CSUM_GOOD);
    assert_int_equal(pk.nevents, 0);
    wp_fixture_free(fx);
}

static void test_ipv6_ext_fixture_first_fragment_leaves_udp_unverified(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv6-ext.pcap");
    wp_fixture_decode(fx, 3, &pk);
    const wp_layer *f = &pk.layers[2];
    assert_int_equal(f->proto, WP_PROTO_IPV6_FRAG);
    assert_string_equal(wp_proto_get(f->proto)->name, "ipv6-frag");
    assert_int_equal(f->off, 54);
    assert_int_equal(f->hdr_len, 8);
    assert_int_equal(wp_test_field(f, "next_header"), 17);
    assert_int_equal(wp_test_field(f, "reserved"), 0);
    assert_int_equal(wp_test_field(f, "offset"), 0);
    assert_int_equal(wp_test_field(f, "m"), 1);
    assert_int_equal(wp_test_field(f, "id"), 0xabcd);
    assert_string_equal(fmt_of(f), "!BBHI");
    const wp_layer *u = &pk.layers[3];
    assert_int_equal(u->proto, WP_PROTO_UDP);
    assert_int_equal(u->off, 62);
    assert_true(u->flags & WP_LF_FRAGMENT);
    assert_int_equal(u->csum, WP_CSUM_UNVERIFIED);
    assert_int_equal(wp_test_field(u, "length"), 108);
    assert_int_equal(pk.layers[4].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pk.layers[4].len, 40);
    assert_int_equal(pk.nevents, 0); /* UDP length 108 > 48 is no error here */
    wp_fixture_free(fx);
}

static void test_ipv6_ext_fixture_non_first_fragment_is_data(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("ipv6-ext.pcap");
    wp_fixture_decode(fx, 4, &pk);
    const wp_layer *f = &pk.layers[2];
    assert_int_equal(f->proto, WP_PROTO_IPV6_FRAG);
    assert_int_equal(wp_test_field(f, "offset"), 6);
    assert_int_equal(wp_test_field(f, "m"), 0);
    assert_int_equal(wp_test_field(f, "id"), 0xabcd);
    assert_int_equal(pk.nlayers, 4);
    assert_int_equal(pk.layers[3].proto, WP_PROTO_FRAGMENT);
    assert_int_equal(pk.layers[3].off, 62);
    assert_int_equal(pk.layers[3].len, 60);
    assert_null(wp_test_layer(&pk, WP_PROTO_UDP, 0));
    assert_int_equal(pk.nevents, 0);
    wp_fixture_free(fx);
}

/* ---- crafted ---------------------------------------------------------- */

static void test_ipv6_fields_from_the_first_word(void **state)
{
    (void)state;
    uint8_t b[48];
    put_ipv6(b, 6, 8, 17);
    put_udp(b + 40, 8);
    udp_fix_csum(b + 40, 8);
    decode_raw(b, sizeof b, sizeof b);
    const wp_layer *ip = &pk.layers[0];
    assert_int_equal(wp_test_field(ip, "version"), 6);
    assert_int_equal(wp_test_field(ip, "tclass"), 0xab);
    assert_int_equal(wp_test_field(ip, "flow"), 0xcdef1);
    /* the table's masks give the same values from the raw word */
    uint32_t w = 0x6abcdef1u;
    assert_int_equal((w & wp_test_row(ip->proto, "tclass")->mask) >> wp_test_row(ip->proto, "tclass")->shift,
                     0xab);
    assert_int_equal((w & wp_test_row(ip->proto, "flow")->mask) >> wp_test_row(ip->proto, "flow")->shift,
                     0xcdef1);
    assert_int_equal(pk.layers[1].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[1].csum, WP_CSUM_GOOD);
    assert_int_equal(pk.nevents, 0);
}

static void test_ipv6_version_5_is_invalid(void **state)
{
    (void)state;
    uint8_t b[14 + 48] = {0};
    b[12] = 0x86;
    b[13] = 0xdd;
    put_ipv6(b + 14, 5, 8, 17);
    put_udp(b + 54, 8);
    decode_link(b, sizeof b, sizeof b, WP_LINK_EN10MB);
    assert_true(wp_test_has_event(&pk, "ipv6.version_invalid"));
    assert_int_equal(pk.events[0].val, 5);
    assert_int_equal(pk.events[0].layer, 1);
    assert_null(wp_test_layer(&pk, WP_PROTO_UDP, 0));
    const wp_layer *pl = wp_test_layer(&pk, WP_PROTO_PAYLOAD, 0);
    assert_non_null(pl);
    assert_int_equal(pl->off, 54);
}

static void test_ipv6_truncated_header_at_every_byte(void **state)
{
    (void)state;
    uint8_t b[48];
    put_ipv6(b, 6, 8, 17);
    put_udp(b + 40, 8);
    udp_fix_csum(b + 40, 8);
    for (uint32_t cap = 1; cap < 40; cap++) {
        decode_raw(b, cap, sizeof b); /* a snap length cut */
        assert_int_equal(pk.nlayers, 1);
        assert_int_equal(pk.layers[0].proto, WP_PROTO_IPV6);
        assert_true(pk.layers[0].flags & WP_LF_TRUNCATED);
        assert_int_equal(pk.nevents, 1);
        assert_string_equal(pk.events[0].def->code, "ipv6.truncated");
        assert_int_equal(pk.events[0].val, cap);
        /* a cut field is never shown */
        assert_false(wp_field_shown(&pk, &pk.layers[0], wp_test_row(pk.layers[0].proto, "dst")));
    }
    for (uint32_t cap = 40; cap < 48; cap++) {
        decode_raw(b, cap, sizeof b);
        assert_false(wp_test_has_event(&pk, "ipv6.truncated"));
        assert_false(wp_test_has_event(&pk, "ipv6.payload_len_exceeds_frame"));
        assert_true(wp_test_has_event(&pk, "udp.truncated"));
    }
}

static void test_ipv6_payload_len_beyond_frame_is_invalid_not_for_a_snap_cut(void **state)
{
    (void)state;
    uint8_t b[48];
    put_ipv6(b, 6, 100, 59);
    decode_raw(b, sizeof b, sizeof b);
    assert_true(wp_test_has_event(&pk, "ipv6.payload_len_exceeds_frame"));
    assert_int_equal(pk.events[0].val, 100);
    assert_int_equal(pk.events[0].ref, 8);
    /* the same bytes, but the wire frame held all 140 */
    decode_raw(b, sizeof b, 140);
    assert_int_equal(pk.nevents, 0);
    assert_int_equal(pk.layers[0].len, 140);
}

static void test_ipv6_payload_len_short_of_frame_leaves_a_trailer(void **state)
{
    (void)state;
    uint8_t b[60] = {0};
    put_ipv6(b, 6, 8, 17);
    put_udp(b + 40, 8);
    udp_fix_csum(b + 40, 8);
    decode_raw(b, sizeof b, sizeof b);
    assert_int_equal(pk.layers[1].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[1].csum, WP_CSUM_GOOD);
    const wp_layer *t = wp_test_layer(&pk, WP_PROTO_TRAILER, 0);
    assert_non_null(t);
    assert_int_equal(t->off, 48);
    assert_int_equal(t->len, 12);
    assert_int_equal(pk.nevents, 0);
}

static void test_ipv6_no_next_header_stops(void **state)
{
    (void)state;
    uint8_t b[50] = {0};
    put_ipv6(b, 6, 10, 59);
    decode_raw(b, sizeof b, sizeof b);
    assert_int_equal(pk.nlayers, 2);
    assert_int_equal(pk.layers[1].proto, WP_PROTO_PAYLOAD);
    assert_int_equal(pk.layers[1].off, 40);
    assert_int_equal(pk.layers[1].len, 10);
    assert_int_equal(pk.nevents, 0);
}

/* IPv6 + n destination-options headers of 8 bytes each + UDP. */
static uint32_t build_chain(uint8_t *b, unsigned n)
{
    put_ipv6(b, 6, (uint16_t)(n * 8 + 8), 60);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *e = b + 40 + 8 * i;
        memset(e, 0, 8);
        e[0] = i + 1 < n ? 60 : 17;
        e[2] = 1; /* PadN, 4 bytes */
        e[3] = 4;
    }
    put_udp(b + 40 + 8 * n, 8);
    udp_fix_csum(b + 40 + 8 * n, 8);
    return 40 + 8 * n + 8;
}

static void test_ipv6_ext_chain_of_30_hits_the_cap(void **state)
{
    (void)state;
    uint8_t b[40 + 30 * 8 + 8];
    uint32_t len = build_chain(b, 30);
    decode_raw(b, len, len);
    assert_int_equal(count_proto(WP_PROTO_IPV6_DSTOPTS), 8);
    assert_true(wp_test_has_event(&pk, "ipv6.ext_chain_too_long"));
    assert_false(wp_test_has_event(&pk, "packet.layer_cap"));
    assert_null(wp_test_layer(&pk, WP_PROTO_UDP, 0));
    const wp_layer *pl = wp_test_layer(&pk, WP_PROTO_PAYLOAD, 0);
    assert_non_null(pl);
    assert_int_equal(pl->off, 40 + 8 * 8);
    assert_int_equal(pl->len, len - (40 + 8 * 8));
    /* a chain of 8 is fine and reaches UDP */
    len = build_chain(b, 8);
    decode_raw(b, len, len);
    assert_int_equal(count_proto(WP_PROTO_IPV6_DSTOPTS), 8);
    assert_non_null(wp_test_layer(&pk, WP_PROTO_UDP, 0));
    assert_int_equal(pk.nevents, 0);
}

static void test_ipv6_hdr_ext_len_past_the_payload_is_invalid(void **state)
{
    (void)state;
    uint8_t b[40 + 16] = {0};
    put_ipv6(b, 6, 16, 0);
    b[40] = 17;
    b[41] = 5; /* 48 bytes, but the payload holds 16 */
    decode_raw(b, sizeof b, sizeof b);
    const wp_layer *h = wp_test_layer(&pk, WP_PROTO_IPV6_HOPOPTS, 0);
    assert_non_null(h);
    assert_int_equal(h->hdr_len, 48);
    assert_false(h->flags & WP_LF_TRUNCATED);
    assert_true(wp_test_has_event(&pk, "ipv6-hopopts.length_exceeds_payload"));
    assert_null(wp_test_layer(&pk, WP_PROTO_UDP, 0));
    /* the same header cut by a snap length within a long enough payload */
    put_ipv6(b, 6, 64, 0);
    decode_raw(b, sizeof b, 104);
    h = wp_test_layer(&pk, WP_PROTO_IPV6_HOPOPTS, 0);
    assert_non_null(h);
    assert_true(h->flags & WP_LF_TRUNCATED);
    assert_true(wp_test_has_event(&pk, "ipv6-hopopts.truncated"));
    assert_false(wp_test_has_event(&pk, "ipv6-hopopts.length_exceeds_payload"));
}

static void test_ipv6_ext_headers_truncated_at_every_byte(void **state)
{
    (void)state;
    /* IPv6, hop-by-hop (8), routing type 0 with one address (24), fragment
     * (8), destination options (8), UDP (8) */
    uint8_t b[40 + 8 + 24 + 8 + 8 + 8] = {0};
    put_ipv6(b, 6, sizeof b - 40, 0);
    uint8_t *e = b + 40;
    e[0] = 43;
    e[2] = 1;
    e[3] = 4;
    e += 8;
    e[0] = 44;
    e[1] = 2;
    e[2] = 0;
    e[3] = 0; /* segments left 0: the IPv6 dst is final */
    e += 24;
    e[0] = 60; /* fragment: offset 0, M 0 (atomic) */
    e[7] = 7;
    e += 8;
    e[0] = 17;
    e[2] = 1;
    e[3] = 4;
    put_udp(b + sizeof b - 8, 8);
    udp_fix_csum(b + sizeof b - 8, 8);
    decode_raw(b, sizeof b, sizeof b);
    assert_int_equal(pk.nlayers, 6);
    static const unsigned order[] = {WP_PROTO_IPV6, WP_PROTO_IPV6_HOPOPTS, WP_PROTO_IPV6_ROUTE,
                                     WP_PROTO_IPV6_FRAG, WP_PROTO_IPV6_DSTOPTS, WP_PROTO_UDP};
    static const uint32_t offs[] = {0, 40, 48, 72, 80, 88};
    static const char *const trunc[] = {"ipv6.truncated", "ipv6-hopopts.truncated",
                                        "ipv6-route.truncated", "ipv6-frag.truncated",
                                        "ipv6-dstopts.truncated", "udp.truncated"};
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(pk.layers[i].proto, order[i]);
        assert_int_equal(pk.layers[i].off, offs[i]);
    }
    assert_int_equal(pk.layers[5].csum, WP_CSUM_GOOD); /* atomic fragment: verified */
    assert_int_equal(pk.nevents, 0);
    for (uint32_t cap = 1; cap < sizeof b; cap++) { /* 0 bytes: no version to see */
        decode_raw(b, cap, sizeof b);
        unsigned in = 0; /* the header the cut falls in (at its first byte: none of it) */
        while (in < 5 && cap >= offs[in + 1])
            in++;
        assert_int_equal(pk.nlayers, in + 1);
        assert_int_equal(pk.nevents, 1);
        assert_string_equal(pk.events[0].def->code, trunc[in]);
        assert_int_equal(pk.events[0].def->kind, WP_EV_TRUNCATED);
        assert_int_equal(pk.events[0].val, cap - offs[in]);
        assert_true(pk.layers[in].flags & WP_LF_TRUNCATED);
    }
}

static void test_ipv6_hopopts_after_another_header_is_misplaced(void **state)
{
    (void)state;
    uint8_t b[40 + 8 + 8 + 8] = {0};
    put_ipv6(b, 6, 24, 60);
    b[40] = 0; /* dstopts -> hop-by-hop */
    b[42] = 1;
    b[43] = 4;
    b[48] = 17;
    b[50] = 1;
    b[51] = 4;
    put_udp(b + 56, 8);
    udp_fix_csum(b + 56, 8);
    decode_raw(b, sizeof b, sizeof b);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_IPV6_HOPOPTS);
    assert_true(wp_test_has_event(&pk, "ipv6.hopopts_misplaced"));
    assert_int_equal(pk.events[0].layer, 2);
    assert_int_equal(pk.layers[3].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[3].csum, WP_CSUM_GOOD);
}

/* IPv6 + fragment header with the given offset (8-byte units) and M. */
static void decode_fragment(uint16_t offset, int m)
{
    static uint8_t b[40 + 8 + 16];
    memset(b, 0, sizeof b);
    put_ipv6(b, 6, 24, 44);
    b[40] = 17;
    b[42] = (uint8_t)(offset >> 5);
    b[43] = (uint8_t)(offset << 3 | (m ? 1 : 0));
    b[44] = 0xde;
    b[45] = 0xad;
    b[46] = 0xbe;
    b[47] = 0xef;
    put_udp(b + 48, 16);
    udp_fix_csum(b + 48, 16);
    decode_raw(b, sizeof b, sizeof b);
}

static void test_ipv6_fragment_offsets(void **state)
{
    (void)state;
    decode_fragment(0, 0); /* atomic: a whole datagram */
    assert_int_equal(wp_test_field(&pk.layers[1], "id"), 0xdeadbeef);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_UDP);
    assert_false(pk.layers[2].flags & WP_LF_FRAGMENT);
    assert_int_equal(pk.layers[2].csum, WP_CSUM_GOOD);

    decode_fragment(0, 1); /* first of several */
    assert_int_equal(pk.layers[2].proto, WP_PROTO_UDP);
    assert_true(pk.layers[2].flags & WP_LF_FRAGMENT);
    assert_int_equal(pk.layers[2].csum, WP_CSUM_UNVERIFIED);

    decode_fragment(1, 0); /* last, at byte 8 */
    assert_int_equal(wp_test_field(&pk.layers[1], "offset"), 1);
    assert_int_equal(wp_test_row(pk.layers[1].proto, "offset")->mult, 8);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_FRAGMENT);
    assert_int_equal(pk.layers[2].len, 16);

    decode_fragment(8191, 1); /* the largest offset, with M */
    assert_int_equal(wp_test_field(&pk.layers[1], "offset"), 8191);
    assert_int_equal(wp_test_field(&pk.layers[1], "m"), 1);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_FRAGMENT);
    assert_null(wp_test_layer(&pk, WP_PROTO_UDP, 0));
    assert_int_equal(pk.nevents, 0);
}

static void test_ipv6_jumbo_payload_sets_the_length(void **state)
{
    (void)state;
    uint8_t b[40 + 8 + 8 + 4] = {0};
    put_ipv6(b, 6, 0, 0);
    b[40] = 17;
    b[42] = 0xc2; /* jumbo payload, 4 bytes: 16 */
    b[43] = 4;
    b[47] = 16;
    put_udp(b + 48, 8);
    udp_fix_csum(b + 48, 8);
    decode_raw(b, sizeof b, sizeof b);
    const wp_layer *h = wp_test_layer(&pk, WP_PROTO_IPV6_HOPOPTS, 0);
    assert_non_null(h);
    assert_int_equal(h->opt_count, 1);
    assert_int_equal(pk.opts[h->opt_first].kind, 0xc2);
    assert_int_equal(pk.opts[h->opt_first].v[0], 16);
    assert_int_equal(pk.layers[0].len, 56);
    assert_int_equal(pk.layers[2].proto, WP_PROTO_UDP);
    assert_int_equal(pk.layers[2].csum, WP_CSUM_GOOD);
    const wp_layer *t = wp_test_layer(&pk, WP_PROTO_TRAILER, 0);
    assert_non_null(t);
    assert_int_equal(t->off, 56);
    assert_int_equal(pk.nevents, 0);
    /* payload length 0 and hop-by-hop without the option */
    b[42] = 1;
    decode_raw(b, sizeof b, sizeof b);
    assert_true(wp_test_has_event(&pk, "ipv6.jumbo_missing"));
}

static void test_ipv6_option_running_past_the_header_is_invalid(void **state)
{
    (void)state;
    uint8_t b[40 + 8] = {0};
    put_ipv6(b, 6, 8, 60);
    b[40] = 59;
    b[42] = 1;
    b[43] = 9; /* 11 bytes in a 6-byte option area */
    decode_raw(b, sizeof b, sizeof b);
    assert_true(wp_test_has_event(&pk, "ipv6-dstopts.option_len_invalid"));
    const wp_layer *d = &pk.layers[1];
    assert_int_equal(d->opt_count, 1);
    assert_int_equal(pk.opts[d->opt_first].bad, 1);
}

/* A Home Address destination option (RFC 6275): the UDP, TCP and ICMPv6
 * checksums are over the home address, not the care-of source; one summed
 * over the care-of address is bad (tshark agrees on all four). */
static void test_ipv6_home_address_option_is_the_pseudo_header_source(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-homeaddr.pcap");
    static const unsigned proto[4] = {WP_PROTO_UDP, WP_PROTO_TCP, WP_PROTO_ICMPV6,
                                      WP_PROTO_UDP};
    for (size_t i = 0; i < 4; i++) {
        wp_packet p;
        wp_fixture_decode(fx, i, &p);
        const wp_layer *d = wp_test_layer(&p, WP_PROTO_IPV6_DSTOPTS, 0);
        assert_non_null(d);
        assert_int_equal(p.opts[d->opt_first + 1].kind, 201);
        const wp_layer *t = wp_test_layer(&p, proto[i], 0);
        assert_non_null(t);
        assert_int_equal(t->csum, i < 3 ? WP_CSUM_GOOD : WP_CSUM_BAD);
    }
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv6_udp_fixture_fields),
        cmocka_unit_test(test_ipv6_link_raw_fixture_v6_frame),
        cmocka_unit_test(test_ipv6_ext_fixture_hopopts),
        cmocka_unit_test(test_ipv6_ext_fixture_routing_uses_final_destination),
        cmocka_unit_test(test_ipv6_ext_fixture_dstopts),
        cmocka_unit_test(test_ipv6_ext_fixture_first_fragment_leaves_udp_unverified),
        cmocka_unit_test(test_ipv6_ext_fixture_non_first_fragment_is_data),
        cmocka_unit_test(test_ipv6_fields_from_the_first_word),
        cmocka_unit_test(test_ipv6_version_5_is_invalid),
        cmocka_unit_test(test_ipv6_truncated_header_at_every_byte),
        cmocka_unit_test(test_ipv6_payload_len_beyond_frame_is_invalid_not_for_a_snap_cut),
        cmocka_unit_test(test_ipv6_payload_len_short_of_frame_leaves_a_trailer),
        cmocka_unit_test(test_ipv6_no_next_header_stops),
        cmocka_unit_test(test_ipv6_ext_chain_of_30_hits_the_cap),
        cmocka_unit_test(test_ipv6_hdr_ext_len_past_the_payload_is_invalid),
        cmocka_unit_test(test_ipv6_ext_headers_truncated_at_every_byte),
        cmocka_unit_test(test_ipv6_hopopts_after_another_header_is_misplaced),
        cmocka_unit_test(test_ipv6_fragment_offsets),
        cmocka_unit_test(test_ipv6_jumbo_payload_sets_the_length),
        cmocka_unit_test(test_ipv6_option_running_past_the_header_is_invalid),
        cmocka_unit_test(test_ipv6_home_address_option_is_the_pseudo_header_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
