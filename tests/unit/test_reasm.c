/* Reassembly: IP fragments (wp_ipr) on the fixture captures and on hostile
 * fragments built here; one direction of a TCP stream (wp_tcpr) fed
 * segment by segment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/reasm.h"

/* ---- IP ---------------------------------------------------------------- */

typedef struct run {
    wp_ipr *r;
    wp_packet p, dg;
    wp_ipr_result res;
} run;

static run *run_new(const wp_ipr_opts *o)
{
    run *x = calloc(1, sizeof *x);
    assert_non_null(x);
    x->r = wp_ipr_new(o);
    assert_non_null(x->r);
    return x;
}

static void run_free(run *x)
{
    wp_ipr_free(x->r);
    free(x);
}

/* Feed fixture frame i (0-based; frame number i + 1). */
static void feed_fx(run *x, const wp_fixture *fx, size_t i)
{
    wp_fixture_decode(fx, i, &x->p);
    wp_ipr_feed(x->r, &x->p, i + 1, &x->res);
}

/* Decode the completed datagram of the last result. */
static void decode_dg(run *x)
{
    wp_frame g = {.caplen = x->res.len, .len = x->res.len, .linktype = WP_LINK_RAW,
                  .data = x->res.bytes};
    wp_decode(&g, &x->dg);
}

static void test_ipv4_in_order_completes_on_the_last_fragment(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    run *x = run_new(NULL);
    feed_fx(x, fx, 0);
    assert_int_equal(x->res.status, WP_IPR_HELD);
    feed_fx(x, fx, 1);
    assert_int_equal(x->res.status, WP_IPR_HELD);
    feed_fx(x, fx, 2);
    assert_int_equal(x->res.status, WP_IPR_COMPLETE);
    assert_int_equal(x->res.d.total, 1200);
    assert_int_equal(x->res.d.nfrags, 3);
    assert_int_equal(x->res.d.frags[1].off, 400);
    assert_int_equal(x->res.len, 1220);
    decode_dg(x);
    const wp_layer *u = wp_test_layer(&x->dg, WP_PROTO_UDP, 0);
    assert_non_null(u);
    assert_int_equal(u->h.udp.length, 1200);
    assert_int_equal(u->csum, WP_CSUM_GOOD); /* verified over the whole datagram */
    const wp_layer *ip = wp_test_layer(&x->dg, WP_PROTO_IPV4, 0);
    assert_int_equal(ip->csum, WP_CSUM_GOOD); /* the rebuilt header's checksum */
    assert_int_equal(ip->h.ipv4.mf, 0);
    run_free(x);
    wp_fixture_free(fx);
}

static void test_ipv4_reversed_completes_on_the_first_fragment(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    run *x = run_new(NULL);
    feed_fx(x, fx, 3);
    feed_fx(x, fx, 4);
    assert_int_equal(x->res.status, WP_IPR_HELD);
    feed_fx(x, fx, 5);
    assert_int_equal(x->res.status, WP_IPR_COMPLETE);
    assert_int_equal(x->res.d.frags[0].frame, 4);
    decode_dg(x);
    assert_int_equal(wp_test_layer(&x->dg, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    run_free(x);
    wp_fixture_free(fx);
}

static void test_ipv4_overlap_with_other_bytes_keeps_the_first_copy(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    run *x = run_new(NULL);
    feed_fx(x, fx, 6);
    feed_fx(x, fx, 7);
    assert_int_equal(x->res.status, WP_IPR_HELD);
    assert_true(x->res.ev & WP_IPR_EV_OVERLAP);
    assert_true(x->res.ev & WP_IPR_EV_CONFLICT);
    feed_fx(x, fx, 8);
    assert_int_equal(x->res.status, WP_IPR_COMPLETE);
    assert_true(x->res.ev & WP_IPR_EV_OVERLAP);
    assert_false(x->res.ev & WP_IPR_EV_CONFLICT);
    assert_int_equal(x->res.d.frags[1].overlap, 8);
    assert_int_equal(x->res.d.frags[1].used, 400);
    assert_int_equal(x->res.d.frags[1].conflict, 1);
    assert_int_not_equal(x->res.bytes[x->res.ip_hdr_len + 392], '#');
    decode_dg(x);
    assert_int_equal(wp_test_layer(&x->dg, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    run_free(x);
    wp_fixture_free(fx);
}

typedef struct holes_seen {
    unsigned calls, nholes;
    uint32_t h0[2];
    uint64_t first_frame;
} holes_seen;

static void note_holes(const wp_ipr_dgram *d, const uint32_t (*holes)[2], unsigned n, void *arg)
{
    holes_seen *h = arg;
    h->calls++;
    h->nholes = n;
    h->first_frame = d->first_frame;
    if (n) {
        h->h0[0] = holes[0][0];
        h->h0[1] = holes[0][1];
    }
}

static void test_ipv4_missing_fragment_is_reported_with_its_hole(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    run *x = run_new(NULL);
    feed_fx(x, fx, 9);
    feed_fx(x, fx, 10);
    assert_int_equal(x->res.status, WP_IPR_HELD);
    holes_seen h = {0};
    assert_int_equal(wp_ipr_expired(x->r, 0, note_holes, &h), 0); /* not yet given up */
    assert_int_equal(wp_ipr_expired(x->r, 1, note_holes, &h), 1);
    assert_int_equal(h.nholes, 1);
    assert_int_equal(h.h0[0], 400);
    assert_int_equal(h.h0[1], 800);
    assert_int_equal(h.first_frame, 10);
    run_free(x);
    wp_fixture_free(fx);
}

static void test_ipv4_interleaved_datagrams_complete_apart(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    run *x = run_new(NULL);
    uint64_t done[4] = {0};
    for (size_t i = 11; i < 15; i++) {
        feed_fx(x, fx, i);
        done[i - 11] = x->res.status == WP_IPR_COMPLETE ? x->res.d.id : 0;
    }
    assert_int_equal(done[0], 0);
    assert_int_equal(done[1], 0);
    assert_int_equal(done[2], 0x3006);
    assert_int_equal(done[3], 0x3005);
    run_free(x);
    wp_fixture_free(fx);
}

static void test_ipv6_fragments_lose_the_fragment_header(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("reasm-ipv6-frags.pcap");
    run *x = run_new(NULL);
    feed_fx(x, fx, 0);
    feed_fx(x, fx, 1);
    feed_fx(x, fx, 2);
    assert_int_equal(x->res.status, WP_IPR_COMPLETE);
    assert_int_equal(x->res.d.v6, 1);
    assert_int_equal(x->res.d.total, 1400);
    assert_int_equal(x->res.bytes[6], 17);            /* next header: UDP now */
    assert_int_equal(x->res.bytes[4] << 8 | x->res.bytes[5], 1400); /* payload length */
    decode_dg(x);
    assert_null(wp_test_layer(&x->dg, WP_PROTO_IPV6_FRAG, 0));
    assert_int_equal(wp_test_layer(&x->dg, WP_PROTO_UDP, 0)->csum, WP_CSUM_GOOD);
    feed_fx(x, fx, 3);
    feed_fx(x, fx, 4);
    assert_int_equal(x->res.status, WP_IPR_COMPLETE);
    assert_int_equal(x->res.d.total, 600);
    run_free(x);
    wp_fixture_free(fx);
}

static void test_not_a_fragment_is_left_alone(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    run *x = run_new(NULL);
    feed_fx(x, fx, 0);
    assert_int_equal(x->res.status, WP_IPR_NOT_FRAGMENT);
    assert_int_equal(x->res.ev, 0);
    run_free(x);
    wp_fixture_free(fx);
}

/* An Ethernet/IPv4 fragment built here: id, offset in 8-byte units, MF,
 * n data bytes of value v; at capture second sec. */
static void frag_packet(wp_packet *p, uint8_t *b, uint16_t id, uint16_t units, int mf, size_t n,
                        uint8_t v, int64_t sec)
{
    static const uint8_t eth[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
    memcpy(b, eth, 14);
    uint8_t *ip = b + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    wp_test_put16(ip + 2, (uint16_t)(20 + n));
    wp_test_put16(ip + 4, id);
    wp_test_put16(ip + 6, (uint16_t)((mf ? 0x2000u : 0u) | units));
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 192, ip[15] = 1;
    ip[16] = 192, ip[19] = 2;
    wp_test_put16(ip + 10, wp_test_ref_csum(ip, 20, 0));
    memset(ip + 20, v, n);
    wp_frame f = {.ts_sec = sec, .caplen = (uint32_t)(34 + n), .len = (uint32_t)(34 + n),
                  .linktype = WP_LINK_EN10MB, .data = b};
    wp_decode(&f, p);
}

static void test_fragment_beyond_65535_is_oversize_and_ignored(void **state)
{
    (void)state;
    run *x = run_new(NULL);
    static uint8_t b[2048];
    frag_packet(&x->p, b, 7, 8190, 1, 200, 0xaa, 0); /* 65520 + 200 */
    wp_ipr_feed(x->r, &x->p, 1, &x->res);
    assert_int_equal(x->res.status, WP_IPR_DROPPED);
    assert_true(x->res.ev & WP_IPR_EV_OVERSIZE);
    assert_int_equal(wp_ipr_expired(x->r, 1, NULL, NULL), 0); /* nothing was held */
    run_free(x);
}

static void test_endless_fragments_stop_at_the_cap_with_bounded_memory(void **state)
{
    (void)state;
    wp_ipr_opts o = {.max_frags = 64};
    run *x = run_new(&o);
    size_t pool = wp_ipr_pool_bytes(x->r);
    static uint8_t b[2048];
    unsigned too_many = 0, dropped = 0;
    for (unsigned i = 0; i < 5000; i++) {
        /* the same 8 bytes again and again: never complete, always more */
        frag_packet(&x->p, b, 9, (uint16_t)(i % 8000), 1, 8, (uint8_t)i, 0);
        wp_ipr_feed(x->r, &x->p, i + 1, &x->res);
        too_many += (x->res.ev & WP_IPR_EV_TOO_MANY) != 0;
        dropped += x->res.status == WP_IPR_DROPPED;
        if (x->res.ev & WP_IPR_EV_TOO_MANY)
            wp_ipr_expired(x->r, 0, NULL, NULL);
    }
    assert_true(too_many > 0);
    assert_true(dropped > 0);
    assert_int_equal(wp_ipr_pool_bytes(x->r), pool);
    run_free(x);
}

static void test_full_pool_gives_up_the_oldest_datagram(void **state)
{
    (void)state;
    wp_ipr_opts o = {.slots = 2};
    run *x = run_new(&o);
    static uint8_t b[2048];
    unsigned ev = 0;
    for (uint16_t id = 1; id <= 3; id++) {
        frag_packet(&x->p, b, id, 0, 1, 16, 1, 0);
        wp_ipr_feed(x->r, &x->p, id, &x->res);
        ev |= x->res.ev;
    }
    assert_true(ev & WP_IPR_EV_POOL_FULL);
    /* the datagram of id 1 was given up: its second half completes nothing */
    frag_packet(&x->p, b, 1, 2, 0, 16, 1, 0);
    wp_ipr_feed(x->r, &x->p, 4, &x->res);
    assert_int_equal(x->res.status, WP_IPR_HELD);
    run_free(x);
}

static void test_incomplete_datagram_times_out(void **state)
{
    (void)state;
    wp_ipr_opts o = {.timeout_s = 2};
    run *x = run_new(&o);
    static uint8_t b[2048];
    frag_packet(&x->p, b, 5, 0, 1, 16, 1, 100);
    wp_ipr_feed(x->r, &x->p, 1, &x->res);
    frag_packet(&x->p, b, 6, 0, 1, 16, 1, 105); /* 5 s later */
    wp_ipr_feed(x->r, &x->p, 2, &x->res);
    assert_true(x->res.ev & WP_IPR_EV_TIMEOUT);
    holes_seen h = {0};
    assert_int_equal(wp_ipr_expired(x->r, 0, note_holes, &h), 1);
    assert_int_equal(h.first_frame, 1);
    assert_int_equal(h.h0[1], 0); /* the last fragment never came: open end */
    run_free(x);
}

static void test_timeout_survives_timestamps_at_the_ends_of_time(void **state)
{
    (void)state;
    run *x = run_new(NULL);
    static uint8_t b[2048];
    /* found by fuzz_reasm: now - first overflowed for INT64_MIN */
    frag_packet(&x->p, b, 5, 0, 1, 16, 1, INT64_MAX);
    wp_ipr_feed(x->r, &x->p, 1, &x->res);
    frag_packet(&x->p, b, 6, 0, 1, 16, 1, INT64_MIN);
    wp_ipr_feed(x->r, &x->p, 2, &x->res);
    assert_false(x->res.ev & WP_IPR_EV_TIMEOUT); /* time went back: nothing expires */
    frag_packet(&x->p, b, 7, 0, 1, 16, 1, INT64_MAX);
    wp_ipr_feed(x->r, &x->p, 3, &x->res);
    assert_true(x->res.ev & WP_IPR_EV_TIMEOUT); /* the INT64_MIN one is very old */
    run_free(x);
}

/* ---- TCP ---------------------------------------------------------------- */

typedef struct tcprun {
    wp_tcpr_log log;
    wp_tcpr_dir d[2];
} tcprun;

static tcprun *tcp_new(uint64_t scap, uint64_t gcap, uint32_t chunks)
{
    tcprun *t = calloc(1, sizeof *t);
    assert_non_null(t);
    assert_int_equal(wp_tcpr_log_init(&t->log, scap, gcap, chunks), 0);
    wp_tcpr_dir_init(&t->d[0], 0);
    wp_tcpr_dir_init(&t->d[1], 1);
    return t;
}

static void tcp_free(tcprun *t)
{
    wp_tcpr_log_free(&t->log);
    free(t);
}

static void seg(tcprun *t, int dir, uint32_t seq, const char *s, uint64_t frame)
{
    wp_tcpr_segment(&t->log, &t->d[dir], seq, 0, (const uint8_t *)s, (uint32_t)strlen(s), frame,
                    0, 0);
}

/* The direction's DATA bytes in chunk order, NUL-terminated into out. */
static const char *data_of(const tcprun *t, int dir, char *out, size_t n)
{
    size_t k = 0;
    for (uint32_t i = 0; i < t->log.nchunks; i++) {
        const wp_tcpr_chunk *c = &t->log.chunks[i];
        const uint8_t *b = wp_tcpr_bytes(&t->log, c);
        if (c->dir != dir || c->kind != WP_TCPR_DATA || !b)
            continue;
        for (uint32_t j = 0; j < c->len && k + 1 < n; j++)
            out[k++] = (char)b[j];
    }
    out[k] = '\0';
    return out;
}

static unsigned count_kind(const tcprun *t, unsigned kind)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < t->log.nchunks; i++)
        n += t->log.chunks[i].kind == kind;
    return n;
}

static void test_tcp_out_of_order_segments_come_out_in_sequence(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    wp_tcpr_segment(&t->log, &t->d[0], 999, 1, NULL, 0, 1, 0, 0); /* SYN: data at 1000 */
    seg(t, 0, 1010, "second", 2);
    seg(t, 0, 1000, "first one.", 3);
    seg(t, 0, 1016, "!", 4);
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "first one.second!");
    assert_int_equal(t->log.chunks[0].off, 0);
    assert_int_equal(t->log.chunks[0].frame_first, 3);
    assert_int_equal(t->log.chunks[1].frame_first, 2);
    assert_int_equal(count_kind(t, WP_TCPR_GAP), 0);
    tcp_free(t);
}

static void test_tcp_retransmission_with_the_same_bytes_appears_once(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    seg(t, 0, 5000, "once", 1);
    seg(t, 0, 5000, "once", 2);
    seg(t, 0, 5002, "cess", 3); /* overlaps 2 bytes with the same bytes, adds 2 */
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "oncess");
    assert_int_equal(count_kind(t, WP_TCPR_DIFFER), 0);
    tcp_free(t);
}

static void test_tcp_retransmission_with_other_bytes_is_kept_as_a_note(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    seg(t, 0, 1, "pay 10", 1);
    seg(t, 0, 1, "pay 99", 2);
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "pay 10");
    assert_int_equal(count_kind(t, WP_TCPR_DIFFER), 1);
    const wp_tcpr_chunk *c = &t->log.chunks[1];
    assert_int_equal(c->kind, WP_TCPR_DIFFER);
    assert_memory_equal(wp_tcpr_bytes(&t->log, c), "pay 99", 6);
    tcp_free(t);
}

static void test_tcp_acknowledged_gap_is_a_marker_and_data_after_it_stays(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    seg(t, 0, 100, "0123456789", 1);
    seg(t, 0, 120, "after", 2);     /* 110..119 never captured */
    assert_int_equal(t->log.nchunks, 1); /* held: the hole may still fill */
    wp_tcpr_ack(&t->log, &t->d[0], 125);
    assert_int_equal(t->log.nchunks, 3);
    const wp_tcpr_chunk *g = &t->log.chunks[1];
    assert_int_equal(g->kind, WP_TCPR_GAP);
    assert_int_equal(g->off, 10);
    assert_int_equal(g->len, 10);
    assert_int_equal(g->acked, 1);
    assert_int_equal(t->log.chunks[2].off, 20); /* offsets never shift */
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "0123456789after");
    tcp_free(t);
}

static void test_tcp_unacknowledged_gap_keeps_the_data_at_the_end(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    seg(t, 0, 100, "0123456789", 1);
    seg(t, 0, 120, "after", 2);
    wp_tcpr_ack(&t->log, &t->d[0], 110); /* only up to the hole */
    assert_int_equal(t->log.nchunks, 1);
    wp_tcpr_finish(&t->log, &t->d[0]);
    assert_int_equal(count_kind(t, WP_TCPR_GAP), 1);
    assert_int_equal(t->log.chunks[1].acked, 0);
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "0123456789after");
    tcp_free(t);
}

static void test_tcp_sequence_wraps_past_2_to_the_32(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    seg(t, 0, 0xfffffffau, "abcdef", 1);
    seg(t, 0, 0x00000000u, "ghij", 2);
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "abcdefghij");
    assert_int_equal(t->log.chunks[1].off, 6);
    tcp_free(t);
}

static void test_tcp_stream_cap_keeps_bytes_to_the_limit_then_a_marker(void **state)
{
    (void)state;
    tcprun *t = tcp_new(8, 1u << 20, 64);
    seg(t, 0, 1, "12345", 1);
    seg(t, 0, 6, "67890", 2); /* passes 8 bytes: "678" still fit */
    seg(t, 0, 11, "x", 3);
    seg(t, 1, 1, "other way", 4); /* 9 bytes: "other wa" fit */
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "12345678");
    assert_string_equal(data_of(t, 1, buf, sizeof buf), "other wa");
    assert_int_equal(count_kind(t, WP_TCPR_CAP), 2); /* each direction once */
    assert_true(t->d[0].capped);
    /* the marker stands where the cap cut: at offset 8, after frame 2's
     * first three bytes */
    const wp_tcpr_chunk *cap = NULL;
    for (uint32_t i = 0; i < t->log.nchunks; i++)
        if (t->log.chunks[i].kind == WP_TCPR_CAP && t->log.chunks[i].dir == 0)
            cap = &t->log.chunks[i];
    assert_non_null(cap);
    assert_int_equal(cap->off, 8);
    assert_int_equal(cap->frame_first, 2);
    tcp_free(t);
}

static void test_tcp_cap_while_holding_keeps_held_bytes_to_the_limit_then_the_marker(void **state)
{
    (void)state;
    tcprun *t = tcp_new(10, 1u << 20, 64);
    seg(t, 0, 1, "abc", 1);
    seg(t, 0, 8, "hijklmno", 2); /* beyond the hole 3..6: 7 of its 8 bytes fit */
    seg(t, 0, 4, "defg", 3);     /* after the cap: not kept */
    assert_true(t->d[0].capped);
    wp_tcpr_finish(&t->log, &t->d[0]);
    char buf[64];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "abchijklmn");
    assert_int_equal(t->log.nchunks, 4);
    assert_int_equal(t->log.chunks[1].kind, WP_TCPR_GAP);
    assert_int_equal(t->log.chunks[1].off, 3);
    assert_int_equal(t->log.chunks[1].len, 4);
    assert_true(t->log.chunks[1].after_cap);
    assert_int_equal(t->log.chunks[3].kind, WP_TCPR_CAP);
    assert_int_equal(t->log.chunks[3].off, 14);
    assert_int_equal(t->log.chunks[3].frame_first, 2);
    tcp_free(t);

    /* in-order bytes that reach the cap before the hole is filled: they
     * are kept to the byte, the held segment after them too */
    t = tcp_new(7, 1u << 20, 64);
    seg(t, 0, 1, "abc", 1);
    seg(t, 0, 6, "fgh", 2); /* held at 5..7 */
    seg(t, 0, 4, "de", 3);  /* one byte fits */
    wp_tcpr_finish(&t->log, &t->d[0]);
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "abcdfgh");
    assert_int_equal(count_kind(t, WP_TCPR_GAP), 1);
    assert_int_equal(count_kind(t, WP_TCPR_CAP), 1);
    assert_int_equal(t->log.chunks[t->log.nchunks - 1].kind, WP_TCPR_CAP);
    assert_int_equal(t->log.chunks[t->log.nchunks - 1].off, 8);
    assert_int_equal(t->log.chunks[t->log.nchunks - 1].frame_first, 3);
    tcp_free(t);
}

static void test_udp_datagram_cut_by_the_global_cap_keeps_what_fits(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 6, 64);
    wp_tcpr_datagram(&t->log, &t->d[0], (const uint8_t *)"ping", 4, 1, 0, 0);
    wp_tcpr_datagram(&t->log, &t->d[1], (const uint8_t *)"PONG", 4, 2, 0, 0);
    char buf[16];
    assert_string_equal(data_of(t, 0, buf, sizeof buf), "ping");
    assert_string_equal(data_of(t, 1, buf, sizeof buf), "PO");
    assert_int_equal(t->log.arena_used, 6);
    assert_int_equal(count_kind(t, WP_TCPR_CAP), 1);
    tcp_free(t);
}

static void test_tcp_global_cap_and_chunk_table_stop_with_a_marker(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 6, 64);
    seg(t, 0, 1, "abcd", 1);
    seg(t, 1, 1, "efgh", 2);
    assert_int_equal(count_kind(t, WP_TCPR_CAP), 1);
    tcp_free(t);
    t = tcp_new(0, 1u << 20, 4);
    for (uint32_t i = 0; i < 100; i++)
        seg(t, 0, 1 + i, "z", i + 1);
    assert_int_equal(t->log.nchunks, 4);
    assert_int_equal(t->log.chunks[3].kind, WP_TCPR_CAP);
    tcp_free(t);
}

static void test_tcp_many_holes_become_gaps_without_growing(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 4096);
    seg(t, 0, 1, "a", 1);
    /* 200 one-byte segments each after a one-byte hole: more than the held
     * segments a direction may keep */
    for (uint32_t i = 0; i < 200; i++)
        seg(t, 0, 3 + 2 * i, "b", i + 2);
    assert_true(t->d[0].npend <= WP_TCPR_PENDING);
    wp_tcpr_finish(&t->log, &t->d[0]);
    assert_int_equal(t->d[0].npend, 0);
    assert_int_equal(count_kind(t, WP_TCPR_GAP), 200);
    assert_int_equal(count_kind(t, WP_TCPR_DATA), 201);
    tcp_free(t);
}

static void test_udp_datagrams_follow_in_capture_order(void **state)
{
    (void)state;
    tcprun *t = tcp_new(0, 1u << 20, 64);
    wp_tcpr_datagram(&t->log, &t->d[0], (const uint8_t *)"ping", 4, 1, 0, 0);
    wp_tcpr_datagram(&t->log, &t->d[1], (const uint8_t *)"PONG", 4, 2, 0, 0);
    wp_tcpr_datagram(&t->log, &t->d[0], (const uint8_t *)"ping", 4, 3, 0, 0);
    assert_int_equal(t->log.nchunks, 3);
    assert_int_equal(t->log.chunks[2].off, 4);
    assert_int_equal(t->log.chunks[1].dir, 1);
    tcp_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_in_order_completes_on_the_last_fragment),
        cmocka_unit_test(test_ipv4_reversed_completes_on_the_first_fragment),
        cmocka_unit_test(test_ipv4_overlap_with_other_bytes_keeps_the_first_copy),
        cmocka_unit_test(test_ipv4_missing_fragment_is_reported_with_its_hole),
        cmocka_unit_test(test_ipv4_interleaved_datagrams_complete_apart),
        cmocka_unit_test(test_ipv6_fragments_lose_the_fragment_header),
        cmocka_unit_test(test_not_a_fragment_is_left_alone),
        cmocka_unit_test(test_fragment_beyond_65535_is_oversize_and_ignored),
        cmocka_unit_test(test_endless_fragments_stop_at_the_cap_with_bounded_memory),
        cmocka_unit_test(test_full_pool_gives_up_the_oldest_datagram),
        cmocka_unit_test(test_incomplete_datagram_times_out),
        cmocka_unit_test(test_timeout_survives_timestamps_at_the_ends_of_time),
        cmocka_unit_test(test_tcp_out_of_order_segments_come_out_in_sequence),
        cmocka_unit_test(test_tcp_retransmission_with_the_same_bytes_appears_once),
        cmocka_unit_test(test_tcp_retransmission_with_other_bytes_is_kept_as_a_note),
        cmocka_unit_test(test_tcp_acknowledged_gap_is_a_marker_and_data_after_it_stays),
        cmocka_unit_test(test_tcp_unacknowledged_gap_keeps_the_data_at_the_end),
        cmocka_unit_test(test_tcp_sequence_wraps_past_2_to_the_32),
        cmocka_unit_test(test_tcp_stream_cap_keeps_bytes_to_the_limit_then_a_marker),
        cmocka_unit_test(test_udp_datagram_cut_by_the_global_cap_keeps_what_fits),
        cmocka_unit_test(test_tcp_cap_while_holding_keeps_held_bytes_to_the_limit_then_the_marker),
        cmocka_unit_test(test_tcp_global_cap_and_chunk_table_stop_with_a_marker),
        cmocka_unit_test(test_tcp_many_holes_become_gaps_without_growing),
        cmocka_unit_test(test_udp_datagrams_follow_in_capture_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
