/* Unit tests for the SCTP decoder (src/proto/sctp.c): the common header,
 * the CRC32c checksum, the chunk list (bundled chunks, DATA's TSN, stream,
 * SSN and PPID), a chunk of length 0 and one beyond the packet, a cut
 * packet and the chunk cap. Values checked with tshark (sctp.checksum.status,
 * sctp.chunk_type, sctp.data_tsn_raw) on captures/linkmisc-sctp.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"

static const wp_opt *chunk(const wp_packet *p, const wp_layer *l, unsigned i)
{
    assert_true(i < l->opt_count);
    return &p->opts[l->opt_first + i];
}

static void test_sctp_init_header_and_checksum_are_good(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_non_null(s);
    assert_int_equal(s->off, 34);
    assert_int_equal(wp_test_field(s, "sport"), 40001);
    assert_int_equal(wp_test_field(s, "dport"), 40002);
    assert_int_equal(wp_test_field(s, "vtag"), 0);
    assert_int_equal(s->csum, WP_CSUM_GOOD);
    assert_int_equal(s->csum_computed, s->h.sctp.checksum);
    assert_int_equal(s->opt_count, 1);
    assert_int_equal(chunk(&p, s, 0)->kind, 1);
    assert_string_equal(wp_opt_name(WP_PROTO_SCTP, 1), "init");
    /* the chunks are the header: nothing follows as payload */
    assert_int_equal(s->hdr_len, s->len);
    assert_null(wp_test_layer(&p, WP_PROTO_PAYLOAD, 0));
    wp_fixture_free(fx);
}

static void test_sctp_bundled_cookie_echo_and_data_give_tsn_stream_and_ppid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 2, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_int_equal(s->opt_count, 2);
    const wp_opt *ce = chunk(&p, s, 0), *d = chunk(&p, s, 1);
    assert_int_equal(ce->kind, 10);
    assert_int_equal(ce->len, 16);
    assert_int_equal(d->kind, 0);
    assert_int_equal(d->len, 16 + 11);
    assert_int_equal(d->off, s->off + 12 + 16); /* after the padded first chunk */
    assert_int_equal(d->nv, 5);
    assert_int_equal(d->v[0], 0x03); /* flags: B and E */
    assert_int_equal(d->v[1], 100);  /* TSN */
    assert_int_equal(d->v[2], 0);    /* stream */
    assert_int_equal(d->v[3], 0);    /* SSN */
    assert_int_equal(d->v[4], 0);    /* PPID */
    assert_int_equal(s->csum, WP_CSUM_GOOD);
    wp_fixture_free(fx);
}

static void test_sctp_flipped_checksum_byte_is_bad(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_int_equal(s->csum, WP_CSUM_BAD);
    assert_int_equal(s->h.sctp.checksum ^ s->csum_computed, 0x5a000000u);
    assert_true(wp_test_has_event(&p, "sctp.checksum_bad"));
    wp_fixture_free(fx);
}

static void test_sctp_chunk_length_zero_stops_the_walk(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 5, &p);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_int_equal(s->opt_count, 2);
    assert_int_equal(chunk(&p, s, 0)->kind, 4);
    assert_false(chunk(&p, s, 0)->bad);
    assert_true(chunk(&p, s, 1)->bad);
    assert_true(wp_test_has_event(&p, "sctp.chunk_length_invalid"));
    wp_fixture_free(fx);
}

static void test_sctp_chunk_beyond_the_packet_is_invalid_but_keeps_its_tsn(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_int_equal(s->opt_count, 1);
    const wp_opt *d = chunk(&p, s, 0);
    assert_true(d->bad);
    assert_int_equal(d->len, 200);
    assert_int_equal(d->v[1], 102);
    assert_true(wp_test_has_event(&p, "sctp.chunk_exceeds_packet"));
    wp_fixture_free(fx);
}

static void test_sctp_over_ipv6_bundles_data_and_shutdown(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    assert_int_equal(s->opt_count, 2);
    assert_int_equal(chunk(&p, s, 0)->v[2], 3); /* stream 3 */
    assert_int_equal(chunk(&p, s, 0)->v[3], 7); /* SSN 7 */
    assert_int_equal(chunk(&p, s, 1)->kind, 7);
    wp_fixture_free(fx);
}

static void test_sctp_cut_by_the_snap_length_is_unverified_and_truncated(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("linkmisc-sctp.pcap");
    wp_frame f = fx->frames[2];
    f.caplen = 34 + 12 + 6; /* inside the first chunk's value */
    wp_packet p;
    wp_decode(&f, &p);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_int_equal(s->csum, WP_CSUM_UNVERIFIED);
    assert_true(s->flags & WP_LF_TRUNCATED);
    assert_int_equal(s->opt_count, 1); /* its header was captured */
    f.caplen = 34 + 10;                 /* inside the common header */
    wp_decode(&f, &p);
    assert_true(wp_test_has_event(&p, "sctp.truncated"));
    assert_int_equal(wp_test_layer(&p, WP_PROTO_SCTP, 0)->opt_count, 0);
    wp_fixture_free(fx);
}

/* 40 empty 4-byte chunks: the walk keeps 32 and says so. */
static void test_sctp_more_chunks_than_the_cap_is_a_note(void **state)
{
    (void)state;
    uint8_t b[20 + 12 + 40 * 4];
    memset(b, 0, sizeof b);
    b[0] = 0x45;
    wp_test_put16(b + 2, sizeof b);
    b[8] = 64;
    b[9] = 132;
    for (unsigned i = 0; i < 40; i++) {
        b[32 + 4 * i] = 11; /* COOKIE-ACK: no value */
        b[32 + 4 * i + 3] = 4;
    }
    wp_test_put16(b + 10, wp_test_ref_csum(b, 20, 0));
    wp_frame f = {.caplen = sizeof b, .len = sizeof b, .linktype = WP_LINK_IPV4, .data = b};
    wp_packet p;
    wp_decode(&f, &p);
    const wp_layer *s = wp_test_layer(&p, WP_PROTO_SCTP, 0);
    assert_int_equal(s->opt_count, 32);
    assert_true(wp_test_has_event(&p, "sctp.chunk_cap"));
    assert_int_equal(s->csum, WP_CSUM_BAD); /* a checksum of zeros */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sctp_init_header_and_checksum_are_good),
        cmocka_unit_test(test_sctp_bundled_cookie_echo_and_data_give_tsn_stream_and_ppid),
        cmocka_unit_test(test_sctp_flipped_checksum_byte_is_bad),
        cmocka_unit_test(test_sctp_chunk_length_zero_stops_the_walk),
        cmocka_unit_test(test_sctp_chunk_beyond_the_packet_is_invalid_but_keeps_its_tsn),
        cmocka_unit_test(test_sctp_over_ipv6_bundles_data_and_shutdown),
        cmocka_unit_test(test_sctp_cut_by_the_snap_length_is_unverified_and_truncated),
        cmocka_unit_test(test_sctp_more_chunks_than_the_cap_is_a_note),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
