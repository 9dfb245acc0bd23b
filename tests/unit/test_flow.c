/* Unit tests for the conversation tracker (src/flow/).
 *
 * Most run a fixture capture (tools/mkfix_flow.c, captures/README.md says
 * what each frame shows) through a tracker and check the annotations of the
 * frames that make the case; the values are the ones tshark -2 gives on the
 * same files (tests/suites/flow_oracle.sh checks all of them). The limit
 * tests (a full pool, idle expiry, the request ring) build their frames by
 * patching a fixture frame's ports, addresses and timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/flow.h"

#define MAXF 64

typedef struct seen {
    wp_flow_conv retired[16];
    unsigned nretired;
    uint64_t unanswered[32];
    unsigned nun;
} seen;

static void on_retire(void *ctx, const wp_flow_conv *c)
{
    seen *s = ctx;
    if (s->nretired < 16)
        s->retired[s->nretired] = *c;
    s->nretired++;
}

static void on_unanswered(void *ctx, const wp_flow_unanswered *u)
{
    seen *s = ctx;
    if (s->nun < 32)
        s->unanswered[s->nun] = u->frame;
    s->nun++;
}

/* Feed every frame of fixture name; a[i] is frame i+1's annotation. */
static size_t run(const char *name, wp_flow_ann *a, seen *s, int finish)
{
    wp_fixture *fx = wp_fixture_load(name);
    wp_flow_cfg cfg = {.ctx = s, .on_retire = on_retire, .on_unanswered = on_unanswered};
    memset(s, 0, sizeof *s);
    wp_flow *t = wp_flow_new(&cfg);
    assert_non_null(t);
    wp_packet *p = malloc(sizeof *p);
    assert_non_null(p);
    assert_true(fx->n <= MAXF);
    for (size_t i = 0; i < fx->n; i++) {
        wp_fixture_decode(fx, i, p);
        wp_flow_track(t, p, i + 1, &a[i]);
    }
    if (finish)
        wp_flow_finish(t);
    size_t n = fx->n;
    wp_flow_free(t);
    free(p);
    wp_fixture_free(fx);
    return n;
}

static void test_flow_handshake_gives_relative_numbers_and_scaled_window(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-basic.pcap", a, &s, 1);
    assert_int_equal(a[0].kind, WP_FLOW_TCP);
    assert_int_equal(a[0].stream, 0);
    assert_int_equal(a[0].dir, 0);
    assert_int_equal(a[0].seq, 0);
    assert_int_equal(a[0].next_seq, 1);
    assert_int_equal(a[0].window, 64240);      /* a SYN's window is never scaled */
    assert_int_equal(a[1].dir, 1);
    assert_int_equal(a[1].ack, 1);
    assert_int_equal(a[2].window_raw, 502);
    assert_int_equal(a[2].window_scale, 7);
    assert_int_equal(a[2].window, 64256);      /* 502 x 128 */
    assert_int_equal(a[3].seq, 1);
    assert_int_equal(a[3].seg_len, 100);
    assert_int_equal(a[3].next_seq, 101);
    assert_int_equal(a[3].raw_seq, 1001);
    assert_int_equal(a[5].seq, 1);
    assert_int_equal(a[5].ack, 101);
    assert_int_equal(a[9].seq, 102);
    assert_int_equal(a[9].ack, 302);
    for (int i = 0; i < 10; i++)
        assert_int_equal(a[i].analysis, 0);
    assert_int_equal(a[2].irtt_ns, 20100000);  /* SYN at 0, ACK at 20.1 ms */
    assert_int_equal(s.nretired, 1);
    assert_string_equal(s.retired[0].history, "ShADadFf");
    assert_int_equal(s.retired[0].state, WP_FS_SF);
    assert_int_equal(s.retired[0].packets[0], 6);
    assert_int_equal(s.retired[0].packets[1], 4);
}

static void test_flow_midstream_start_numbers_first_seq_one_and_leaves_window_unscaled(
    void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-midstream.pcap", a, &s, 1);
    assert_int_equal(a[0].seq, 1);
    assert_int_equal(a[0].ack, 1); /* the peer's base comes from this ACK */
    assert_int_equal(a[0].window_scale, WP_FLOW_WSCALE_UNKNOWN);
    assert_int_equal(a[0].window, 501);
    assert_int_equal(a[1].seq, 1);
    assert_int_equal(a[1].next_seq, 201);
    assert_int_equal(a[2].ack, 201);
    assert_int_equal(s.retired[0].state, WP_FS_OTH);
}

static void test_flow_sequence_wrap_keeps_relative_numbers_growing(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-seq-wrap.pcap", a, &s, 1);
    assert_int_equal(a[3].raw_seq, 0xfffffff1u);
    assert_int_equal(a[3].next_seq, 41);
    assert_int_equal(a[5].seq, 41);
    assert_int_equal(a[6].next_seq, 401);
    assert_int_equal(a[7].ack, 401);
    for (int i = 0; i < 8; i++)
        assert_int_equal(a[i].analysis, 0);
}

static void test_flow_repeated_syn_is_a_retransmission(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-syn-retrans.pcap", a, &s, 1);
    assert_int_equal(a[1].analysis, WP_FA_RETRANSMISSION);
    assert_int_equal(a[1].stream, 0); /* the same ISN: the same connection */
    assert_int_equal(a[3].window, 16060u * 4);
    assert_int_equal(a[5].window, 8145u * 8);
}

static void test_flow_lost_segment_dup_acks_and_fast_retransmission_are_labelled(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-fast-retrans.pcap", a, &s, 1);
    assert_int_equal(a[4].analysis, WP_FA_LOST_SEGMENT);
    assert_int_equal(a[4].a_next_expected, 501);
    assert_int_equal(a[7].analysis, 0);
    for (int i = 8; i <= 10; i++) {
        assert_int_equal(a[i].analysis, WP_FA_DUP_ACK);
        assert_int_equal(a[i].dup_ack_num, (unsigned)(i - 7));
        assert_int_equal(a[i].a_ref_frame, 8); /* they repeat frame 8's ACK */
    }
    assert_int_equal(a[11].analysis, WP_FA_FAST_RETRANSMISSION | WP_FA_RETRANSMISSION);
    char r[128];
    wp_flow_reason(&a[8], WP_FA_DUP_ACK, r, sizeof r);
    assert_string_equal(r, "#1: ack 501, window 8760 and seq 1 as in frame 8, no data");
    assert_int_equal(s.retired[0].retransmissions, 1);
}

static void test_flow_retransmission_after_timeout_is_labelled_with_its_reason(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-rto.pcap", a, &s, 1);
    assert_int_equal(a[4].analysis, WP_FA_RETRANSMISSION);
    char r[128];
    wp_flow_reason(&a[4], WP_FA_RETRANSMISSION, r, sizeof r);
    assert_string_equal(r, "seq 1 < next expected 201 (frame 4)");
    /* a bit the frame does not carry has no reason */
    wp_flow_reason(&a[4], WP_FA_OUT_OF_ORDER, r, sizeof r);
    assert_string_equal(r, "");
}

static void test_flow_segment_late_within_the_rtt_is_out_of_order(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-out-of-order.pcap", a, &s, 1);
    assert_int_equal(a[4].analysis, WP_FA_LOST_SEGMENT);
    assert_int_equal(a[5].analysis, WP_FA_OUT_OF_ORDER);
}

static void test_flow_data_already_acked_is_a_spurious_retransmission(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-spurious.pcap", a, &s, 1);
    assert_int_equal(a[5].analysis, WP_FA_SPURIOUS_RETRANSMISSION | WP_FA_RETRANSMISSION);
    assert_int_equal(a[6].analysis, WP_FA_DUP_ACK);
}

static void test_flow_zero_window_probe_keep_alive_and_window_update_are_labelled(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-zero-window.pcap", a, &s, 1);
    assert_int_equal(a[3].analysis, WP_FA_WINDOW_FULL);
    assert_int_equal(a[4].analysis, WP_FA_ZERO_WINDOW);
    assert_int_equal(a[5].analysis, WP_FA_ZERO_WINDOW_PROBE);
    assert_int_equal(a[6].analysis, WP_FA_ZERO_WINDOW | WP_FA_ZERO_WINDOW_PROBE_ACK);
    assert_int_equal(a[9].analysis, WP_FA_WINDOW_UPDATE);
    assert_int_equal(a[12].analysis, WP_FA_KEEP_ALIVE);
    assert_int_equal(a[13].analysis, WP_FA_KEEP_ALIVE_ACK);
    assert_int_equal(a[14].analysis, WP_FA_WINDOW_UPDATE);
    assert_string_equal(s.retired[0].history, "ShADaw");
}

static void test_flow_rejected_reset_and_reused_ports_give_three_streams(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-tcp-rst-reuse.pcap", a, &s, 1);
    assert_int_equal(a[1].stream, 0);
    assert_int_equal(a[2].stream, 1);
    assert_int_equal(a[8].stream, 2);
    assert_int_equal(a[8].analysis, WP_FA_REUSED_PORTS);
    assert_int_equal(a[13].stream, 2);
    assert_int_equal(s.nretired, 3);
    /* stream 1 is retired by the new SYN, then 0 and 2 at the end */
    const char *want[3] = {"REJ", "RSTO", "SF"};
    for (unsigned i = 0; i < 3; i++)
        for (unsigned k = 0; k < 3; k++)
            if (s.retired[k].stream == i)
                assert_string_equal(wp_flow_state_name(s.retired[k].state), want[i]);
}

static void test_flow_udp_and_dns_pair_replies_and_report_the_unanswered(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-udp-ping.pcap", a, &s, 1);
    assert_int_equal(a[0].kind, WP_FLOW_UDP);
    assert_true(a[0].is_request);
    assert_int_equal(a[1].reply_to, 1);
    assert_int_equal(a[1].rtt_ns, 150000);
    assert_int_equal(a[6].reply_to, 6); /* ping 4 answers ping 4, not ping 3 */
    /* DNS: 0x3333 answered first, then 0x1111 */
    assert_int_equal(a[13].stream, 1);
    assert_int_equal(a[16].reply_to, 16);
    assert_int_equal(a[16].rtt_ns, 2300000);
    assert_int_equal(a[17].reply_to, 14);
    assert_int_equal(s.nun, 4);
    uint64_t want[4] = {5, 8, 13, 15};
    /* the pings are known unanswered when the next one comes; DNS at the end */
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(s.unanswered[i], want[i]);
}

static void test_flow_icmp_echo_pairs_by_id_and_seq_and_marks_the_missing_reply(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("flow-icmp-missing.pcap", a, &s, 1);
    assert_int_equal(a[0].kind, WP_FLOW_ICMP);
    assert_int_equal(a[1].reply_to, 1);
    assert_int_equal(a[1].rtt_ns, 257000);
    assert_int_equal(a[6].reply_to, 6);
    assert_int_equal(a[9].kind, WP_FLOW_ICMPV6);
    assert_int_equal(a[10].reply_to, 10);
    assert_int_equal(s.nun, 2);
    assert_int_equal(s.unanswered[0], 5);
    assert_int_equal(s.unanswered[1], 12);
}

static void test_flow_icmp_error_carries_the_quoted_stream(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("icmp-port-unreachable.pcap", a, &s, 1);
    assert_int_equal(a[0].kind, WP_FLOW_UDP);
    assert_int_equal(a[1].kind, WP_FLOW_UDP);
    assert_int_equal(a[1].stream, 0);
    assert_true(a[1].events & WP_FLOW_EV_QUOTED);
    assert_int_equal(s.retired[0].packets[0] + s.retired[0].packets[1], 1);
}

static void test_flow_packet_without_transport_is_not_followed(void **state)
{
    (void)state;
    wp_flow_ann a[MAXF];
    seen s;
    run("arp.pcap", a, &s, 1);
    assert_int_equal(a[0].kind, WP_FLOW_NONE);
    assert_int_equal(s.nretired, 0);
}

/* ---- limits: frames made from udp-tcp-pair.pcap's UDP frame ------------ */

typedef struct maker {
    wp_fixture *fx;
    uint8_t buf[128];
    wp_frame f;
} maker;

/* The hello packet with source port sport and timestamp sec (the UDP
 * checksum is left as it is: the tracker does not care). */
static const wp_frame *udp_frame(maker *m, uint16_t sport, int64_t sec)
{
    const wp_frame *src = &m->fx->frames[0];
    assert_true(src->caplen <= sizeof m->buf);
    memcpy(m->buf, src->data, src->caplen);
    wp_test_put16(m->buf + 34, sport);
    m->f = *src;
    m->f.data = m->buf;
    m->f.ts_sec = sec;
    return &m->f;
}

static void test_flow_full_pool_evicts_the_least_recent_conversation_and_says_so(void **state)
{
    (void)state;
    maker m = {.fx = wp_fixture_load("udp-tcp-pair.pcap")};
    seen s;
    memset(&s, 0, sizeof s);
    wp_flow_cfg cfg = {.max_convs = 2, .ctx = &s, .on_retire = on_retire};
    wp_flow *t = wp_flow_new(&cfg);
    wp_packet *p = malloc(sizeof *p);
    wp_flow_ann a;
    wp_decode(udp_frame(&m, 1000, 100), p);
    wp_flow_track(t, p, 1, &a);
    wp_decode(udp_frame(&m, 2000, 101), p);
    wp_flow_track(t, p, 2, &a);
    wp_decode(udp_frame(&m, 1000, 102), p); /* 1000 is now the most recent */
    wp_flow_track(t, p, 3, &a);
    assert_int_equal(a.events & WP_FLOW_EV_EVICTED, 0);
    wp_decode(udp_frame(&m, 3000, 103), p);
    wp_flow_track(t, p, 4, &a);
    assert_true(a.events & WP_FLOW_EV_EVICTED);
    assert_int_equal(a.stream, 2);
    assert_int_equal(s.nretired, 1);
    assert_int_equal(s.retired[0].port[0], 2000);
    assert_int_equal(s.retired[0].evicted, 1);
    wp_flow_conv c;
    assert_int_equal(wp_flow_conv_get(t, WP_FLOW_UDP, 0, &c), 0);
    assert_int_equal(c.packets[0], 2);
    assert_int_equal(wp_flow_conv_get(t, WP_FLOW_UDP, 1, &c), -1);
    assert_int_equal(wp_flow_count(t, WP_FLOW_UDP), 3);
    wp_flow_free(t);
    free(p);
    wp_fixture_free(m.fx);
}

static void test_flow_idle_conversation_expires_and_comes_back_as_a_new_stream(void **state)
{
    (void)state;
    maker m = {.fx = wp_fixture_load("udp-tcp-pair.pcap")};
    seen s;
    memset(&s, 0, sizeof s);
    wp_flow_cfg cfg = {.idle_timeout_s = 60, .ctx = &s, .on_retire = on_retire};
    wp_flow *t = wp_flow_new(&cfg);
    wp_packet *p = malloc(sizeof *p);
    wp_flow_ann a;
    wp_decode(udp_frame(&m, 1000, 100), p);
    wp_flow_track(t, p, 1, &a);
    wp_decode(udp_frame(&m, 1000, 160), p); /* exactly the timeout: kept */
    wp_flow_track(t, p, 2, &a);
    assert_int_equal(a.stream, 0);
    wp_decode(udp_frame(&m, 1000, 221), p);
    wp_flow_track(t, p, 3, &a);
    assert_int_equal(a.stream, 1);
    assert_int_equal(s.nretired, 1);
    assert_int_equal(s.retired[0].evicted, 2);
    /* a timestamp that goes back expires nothing */
    wp_decode(udp_frame(&m, 1000, 5), p);
    wp_flow_track(t, p, 4, &a);
    assert_int_equal(a.stream, 1);
    wp_flow_free(t);
    free(p);
    wp_fixture_free(m.fx);
}

static void test_flow_requests_past_the_ring_are_reported_unanswered(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmp-echo.pcap");
    seen s;
    memset(&s, 0, sizeof s);
    wp_flow_cfg cfg = {.ctx = &s, .on_unanswered = on_unanswered};
    wp_flow *t = wp_flow_new(&cfg);
    wp_packet *p = malloc(sizeof *p);
    uint8_t b[128];
    wp_frame f = fx->frames[0];
    assert_true(f.caplen <= sizeof b);
    memcpy(b, f.data, f.caplen);
    f.data = b;
    wp_flow_ann a;
    for (unsigned i = 0; i < 9; i++) {
        wp_test_put16(b + 40, (uint16_t)(100 + i)); /* the echo sequence number */
        wp_decode(&f, p);
        wp_flow_track(t, p, i + 1, &a);
    }
    assert_true(a.events & WP_FLOW_EV_REQ_DROPPED);
    assert_int_equal(s.nun, 1);
    assert_int_equal(s.unanswered[0], 1);
    wp_flow_finish(t);
    assert_int_equal(s.nun, 9);
    wp_flow_free(t);
    free(p);
    wp_fixture_free(fx);
}

static void test_flow_analysis_codes_and_state_names_are_named(void **state)
{
    (void)state;
    assert_string_equal(wp_flow_analysis_code(0), "retransmission");
    assert_string_equal(wp_flow_analysis_code(4), "lost_segment");
    assert_null(wp_flow_analysis_code(WP_FA_COUNT));
    assert_string_equal(wp_flow_state_name(WP_FS_RSTOS0), "RSTOS0");
    assert_string_equal(wp_flow_state_name(999), "OTH");
    /* NULL trackers are ignored */
    wp_flow_finish(NULL);
    wp_flow_free(NULL);
    assert_int_equal(wp_flow_count(NULL, WP_FLOW_TCP), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_handshake_gives_relative_numbers_and_scaled_window),
        cmocka_unit_test(
            test_flow_midstream_start_numbers_first_seq_one_and_leaves_window_unscaled),
        cmocka_unit_test(test_flow_sequence_wrap_keeps_relative_numbers_growing),
        cmocka_unit_test(test_flow_repeated_syn_is_a_retransmission),
        cmocka_unit_test(test_flow_lost_segment_dup_acks_and_fast_retransmission_are_labelled),
        cmocka_unit_test(test_flow_retransmission_after_timeout_is_labelled_with_its_reason),
        cmocka_unit_test(test_flow_segment_late_within_the_rtt_is_out_of_order),
        cmocka_unit_test(test_flow_data_already_acked_is_a_spurious_retransmission),
        cmocka_unit_test(test_flow_zero_window_probe_keep_alive_and_window_update_are_labelled),
        cmocka_unit_test(test_flow_rejected_reset_and_reused_ports_give_three_streams),
        cmocka_unit_test(test_flow_udp_and_dns_pair_replies_and_report_the_unanswered),
        cmocka_unit_test(test_flow_icmp_echo_pairs_by_id_and_seq_and_marks_the_missing_reply),
        cmocka_unit_test(test_flow_icmp_error_carries_the_quoted_stream),
        cmocka_unit_test(test_flow_packet_without_transport_is_not_followed),
        cmocka_unit_test(test_flow_full_pool_evicts_the_least_recent_conversation_and_says_so),
        cmocka_unit_test(test_flow_idle_conversation_expires_and_comes_back_as_a_new_stream),
        cmocka_unit_test(test_flow_requests_past_the_ring_are_reported_unanswered),
        cmocka_unit_test(test_flow_analysis_codes_and_state_names_are_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
