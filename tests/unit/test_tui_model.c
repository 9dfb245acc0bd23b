/* The view's model without curses: packets kept and re-filtered, capture
 * numbers under a filter, selection by field path, following and holding,
 * list rows and their marks, search and go-to, the panes' rows, bars that
 * fit, the log pane's lines, and the struct recipe and detail built from
 * the field tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wirepeel/decode.h"
#include "wirepeel/render.h"
#include "fixture.h"
#include "tui/layout.h"
#include "tui/model.h"

static wp_packet pkt, pkt2;
static wp_layout lo, lo2;

/* A model holding every frame of captures/name. */
static void load(wp_tmodel *m, const char *name, size_t cap)
{
    wp_fixture *fx = wp_fixture_load(name);
    assert_int_equal(wp_tmodel_init_mem(m, cap), 0);
    for (size_t i = 0; i < fx->n; i++)
        assert_int_equal(wp_tmodel_push(m, &fx->frames[i]), 0);
    wp_fixture_free(fx);
}

/* The filter the tests use: TCP frames only (IPv4 protocol byte 6). */
static int only_tcp(void *ctx, const wp_frame *f)
{
    (void)ctx;
    return f->caplen > 23 && f->data[23] == 6;
}

static uint64_t num_at(wp_tmodel *m, size_t i)
{
    wp_frame f;
    uint64_t num = 0;
    assert_int_equal(wp_tmodel_frame(m, i, &f, &num), 1);
    return num;
}

static void test_model_refilter_keeps_capture_numbers_and_applies_to_buffered_frames(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "udp-tcp-pair.pcap", 16);
    assert_int_equal(wp_tmodel_count(&m), 2);
    wp_tmodel_refilter(&m, only_tcp, NULL);
    assert_int_equal(wp_tmodel_count(&m), 1);
    assert_int_equal(num_at(&m, 0), 2); /* the capture's number, not the row's */
    assert_int_equal(wp_tmodel_find_num(&m, 2), 0);
    assert_int_equal(wp_tmodel_find_num(&m, 1), SIZE_MAX);
    /* a new frame after the filter is set goes through it too */
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_tmodel_push(&m, &fx->frames[0]);
    wp_tmodel_push(&m, &fx->frames[1]);
    wp_fixture_free(fx);
    assert_int_equal(wp_tmodel_count(&m), 2);
    assert_int_equal(num_at(&m, 1), 4);
    wp_tmodel_refilter(&m, NULL, NULL);
    assert_int_equal(wp_tmodel_count(&m), 4);
    assert_int_equal(num_at(&m, 3), 4);
    wp_tmodel_free(&m);
}

static void test_model_full_ring_drops_oldest_and_keeps_the_selected_packet(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "tcp-handshake.pcap", 4);
    /* 9 frames through a ring of 4: frames 6..9 are kept */
    assert_int_equal(wp_tmodel_count(&m), 4);
    assert_int_equal(num_at(&m, 0), 6);
    wp_tmodel_select(&m, 2); /* frame 8 */
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_tmodel_push(&m, &fx->frames[0]); /* frame 10; frame 6 goes */
    wp_fixture_free(fx);
    assert_int_equal(num_at(&m, m.sel), 8);
    assert_int_equal(m.total, 10);
    wp_tmodel_free(&m);
}

static void test_model_moving_up_or_picking_a_field_holds_and_end_resumes(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "tcp-handshake.pcap", 16);
    m.follow = WP_TF_ON;
    wp_tmodel_tick(&m);
    assert_int_equal(m.sel, 8);
    wp_tmodel_move(&m, -1);
    assert_int_equal(m.follow, WP_TF_HELD_ROW);
    assert_non_null(strstr(wp_tmodel_follow_text(&m, 0), "End resumes"));
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_tmodel_push(&m, &fx->frames[0]);
    wp_tmodel_tick(&m);
    assert_int_equal(m.sel, 7); /* held: the new packet did not move it */
    wp_tmodel_end(&m, 1);
    assert_int_equal(m.follow, WP_TF_ON);
    assert_int_equal(m.sel, 9);
    wp_tmodel_push(&m, &fx->frames[1]);
    wp_tmodel_tick(&m);
    assert_int_equal(m.sel, 10); /* following: the newest */
    wp_tmodel_field_picked(&m);
    assert_int_equal(m.follow, WP_TF_HELD_FIELD);
    assert_non_null(strstr(wp_tmodel_follow_text(&m, 0), "f resumes"));
    wp_tmodel_push(&m, &fx->frames[2]);
    wp_tmodel_tick(&m);
    assert_int_equal(m.sel, 10);
    wp_tmodel_toggle_follow(&m, 1);
    assert_int_equal(m.follow, WP_TF_ON);
    assert_int_equal(m.sel, 11);
    wp_tmodel_toggle_follow(&m, 1);
    assert_int_equal(m.follow, WP_TF_PAUSED_OFF);
    wp_fixture_free(fx);
    wp_tmodel_free(&m);
}

static void test_model_end_on_a_file_does_not_claim_to_follow(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "tcp-handshake.pcap", 16);
    wp_tmodel_end(&m, 0);
    assert_int_equal(m.sel, 8);
    assert_int_equal(m.follow, WP_TF_OFF);
    assert_string_equal(wp_tmodel_follow_text(&m, 0), "");
    wp_tmodel_toggle_follow(&m, 0);
    assert_int_equal(m.follow, WP_TF_OFF);
    wp_tmodel_free(&m);
}

/* The index in lo of field name of the first layer of proto, -1 if none. */
static int field_named(const wp_packet *p, const wp_layout *l, unsigned proto, const char *name)
{
    for (int i = 0; i < l->nfields; i++)
        if (p->layers[l->fields[i].layer].proto == proto && l->fields[i].opt < 0 &&
            strcmp(l->fields[i].f->name, name) == 0)
            return i;
    return -1;
}

static void test_fpath_tcp_flags_stays_selected_in_the_next_packet(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    wp_layout_build(&lo, &pkt, 100, wp_layout_default_focus(&pkt));
    int fi = field_named(&pkt, &lo, WP_PROTO_TCP, "flags");
    assert_true(fi >= 0);
    wp_fpath fp;
    assert_int_equal(wp_fpath_of(&pkt, &lo, fi, &fp), 0);
    char t[64];
    assert_string_equal(wp_fpath_text(&fp, t, sizeof t), "tcp.flags");
    /* the SYN-ACK lays its fields out elsewhere; the path finds tcp.flags */
    wp_fixture_decode(fx, 1, &pkt2);
    wp_layout_build(&lo2, &pkt2, 100, wp_layout_default_focus(&pkt2));
    int f2 = wp_fpath_find(&pkt2, &lo2, &fp);
    assert_int_equal(f2, field_named(&pkt2, &lo2, WP_PROTO_TCP, "flags"));
    assert_string_equal(lo2.fields[f2].f->name, "flags");
    wp_fixture_free(fx);
    /* a packet without TCP has no such field */
    fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 0, &pkt2);
    wp_layout_build(&lo2, &pkt2, 100, wp_layout_default_focus(&pkt2));
    assert_int_equal(wp_fpath_find(&pkt2, &lo2, &fp), -1);
    wp_fixture_free(fx);
}

static void test_fpath_an_option_is_found_by_its_kind(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    wp_layout_build(&lo, &pkt, 100, -1);
    int mss = -1;
    for (int i = 0; i < lo.nfields; i++)
        if (lo.fields[i].opt >= 0 && pkt.opts[lo.fields[i].opt].kind == 2)
            mss = i;
    assert_true(mss >= 0);
    wp_fpath fp;
    wp_fpath_of(&pkt, &lo, mss, &fp);
    assert_int_equal(fp.opt_kind, 2);
    wp_fixture_decode(fx, 1, &pkt2); /* the SYN-ACK also has an MSS */
    wp_layout_build(&lo2, &pkt2, 100, -1);
    int f2 = wp_fpath_find(&pkt2, &lo2, &fp);
    assert_true(f2 >= 0);
    assert_int_equal(pkt2.opts[lo2.fields[f2].opt].kind, 2);
    /* the third packet has no MSS: the options field itself is chosen */
    wp_fixture_decode(fx, 2, &pkt2);
    wp_layout_build(&lo2, &pkt2, 100, -1);
    f2 = wp_fpath_find(&pkt2, &lo2, &fp);
    if (f2 >= 0)
        assert_int_equal(lo2.fields[f2].opt, -1);
    wp_fixture_free(fx);
}

static void test_row_has_number_time_addresses_and_a_mark_when_cut(void **st)
{
    (void)st;
    wp_tmodel m;
    char row[512];
    load(&m, "tcp-handshake.pcap", 16);
    wp_tmodel_row(&m, 1, &pkt, 3, 200, 0, row, sizeof row);
    assert_string_equal(row, "  2 0.001000 192.0.2.2:54321 -> 192.0.2.1:40002 TCP [SYN, ACK] "
                             "seq 5000 ack 1001 win 65160 len 0, 74 bytes");
    /* aligned: the columns as wide as the widest seen (here set by hand),
     * the narrow protocol as wide as "UDP" at least */
    m.colw[0] = 20;
    m.colw[1] = 18;
    wp_tmodel_row(&m, 1, &pkt, 3, 200, 1, row, sizeof row);
    assert_string_equal(row, "  2 0.001000 192.0.2.2:54321      -> 192.0.2.1:40002    TCP [SYN, ACK] "
                             "seq 5000 ack 1001 win 65160 len 0, 74 bytes");
    assert_int_equal(m.colw[2], 3);
    wp_tmodel_row(&m, 1, &pkt, 3, 40, 0, row, sizeof row);
    assert_int_equal(strlen(row), 40);
    assert_int_equal(row[39], '>');
    m.tmode = WP_TT_DELTA;
    wp_tmodel_row(&m, 2, &pkt, 3, 200, 0, row, sizeof row);
    assert_non_null(strstr(row, "  3 0.001000 "));
    m.tmode = WP_TT_ABS;
    wp_tmodel_row(&m, 2, &pkt, 3, 200, 0, row, sizeof row);
    assert_non_null(strstr(row, "  3 22:13:20.002000 192.0.2.1:40002"));
    assert_string_equal(wp_ttime_heading(WP_TT_ABS), "UTC time");
    /* under a filter the number is still the capture's */
    m.tmode = WP_TT_REL;
    wp_tmodel_refilter(&m, only_tcp, NULL);
    wp_tmodel_free(&m);
    load(&m, "udp-tcp-pair.pcap", 16);
    wp_tmodel_refilter(&m, only_tcp, NULL);
    wp_tmodel_row(&m, 0, &pkt, 3, 200, 0, row, sizeof row);
    assert_true(strncmp(row, "  2 ", 4) == 0);
    wp_tmodel_free(&m);
}

static void test_cut_marks_and_counts_columns_not_bytes(void **st)
{
    (void)st;
    char s[64];
    snprintf(s, sizeof s, "ihl 5 (\xc3\x97 4 = 20)");
    assert_int_equal(wp_tcut(s, 40), 0);
    assert_string_equal(s, "ihl 5 (\xc3\x97 4 = 20)");
    assert_int_equal(wp_tcut(s, 8), 1);
    assert_string_equal(s, "ihl 5 (>");
    snprintf(s, sizeof s, "abcdef");
    assert_int_equal(wp_tcut(s, 6), 0);
    assert_int_equal(wp_tcut(s, 5), 1);
    assert_string_equal(s, "abcd>");
}

static void test_search_finds_text_and_hex_bytes_forwards_and_back(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "tcp-handshake.pcap", 16);
    size_t i = wp_tmodel_search(&m, 0, 1, "fin", &pkt);
    assert_int_equal(i, 5); /* frame 6: the first [FIN, ACK] */
    i = wp_tmodel_search(&m, i, 1, "FIN", &pkt);
    assert_int_equal(i, 7);
    i = wp_tmodel_search(&m, i, 1, "FIN", &pkt); /* wraps */
    assert_int_equal(i, 5);
    i = wp_tmodel_search(&m, 5, -1, "FIN", &pkt);
    assert_int_equal(i, 7);
    /* 0x9c42 is port 40002 in the bytes */
    assert_int_equal(wp_tmodel_search(&m, 0, 1, "9c 42", &pkt), 1);
    assert_int_equal(wp_tmodel_search(&m, 0, 1, "nothing like this", &pkt), SIZE_MAX);
    wp_tmodel_free(&m);
    uint8_t b[8];
    assert_int_equal(wp_tsearch_hex("0x4500", b, sizeof b), 2);
    assert_int_equal(b[0], 0x45);
    assert_int_equal(wp_tsearch_hex("de:ad:be:ef", b, sizeof b), 4);
    assert_int_equal(b[3], 0xef);
    assert_int_equal(wp_tsearch_hex("hello", b, sizeof b), 0);
    assert_int_equal(wp_tsearch_hex("4 5", b, sizeof b), 0);
}

static void test_panes_give_the_list_eight_rows_at_80x24_and_add_up(void **st)
{
    (void)st;
    wp_tpanes pz = {.zoom = -1};
    wp_trows r;
    for (int lines = 12; lines <= 80; lines++) {
        wp_tpanes_rows(&pz, lines, 0, 0, &r);
        int used = 3 + r.list + (r.layers ? 1 + r.layers : 1) + (r.hex ? 1 + r.hex : 0);
        assert_true(r.list >= 2);
        assert_true(r.layers >= 1);
        assert_true(used <= lines);
    }
    wp_tpanes_rows(&pz, 24, 0, 0, &r);
    assert_true(r.list >= 9); /* a heading and at least 8 packets */
    assert_true(r.hex >= 2);
    assert_int_equal(1 + r.list + 1 + r.layers + 1 + r.hex + 2, 24);
    /* the demo at 80x24: a log pane, still 8 packets and 5 rows of layers */
    wp_tpanes_rows(&pz, 24, 0, 1, &r);
    assert_true(r.list >= 9);
    assert_true(r.layers >= 5);
    assert_int_equal(r.log, 2);
    assert_int_equal(1 + r.list + 1 + r.layers + 1 + r.hex + 1 + r.log + 2, 24);
    /* a long notice gets two rows at 80x24, and the list still 8 packets */
    wp_tpanes_rows(&pz, 24, 2, 0, &r);
    assert_int_equal(r.notice, 2);
    assert_true(r.list >= 9);
    assert_int_equal(1 + 2 + r.list + 1 + r.layers + 1 + r.hex + 2, 24);
    wp_tpanes_rows(&pz, 20, 2, 0, &r);
    assert_int_equal(r.notice, 1);
    wp_tpanes_rows(&pz, 43, 1, 1, &r);
    assert_int_equal(r.notice, 1);
    assert_int_equal(r.log, 3);
    assert_int_equal(1 + 1 + r.list + 1 + r.layers + 1 + r.hex + 1 + r.log + 2, 43);
    /* zoom: one pane alone */
    pz.zoom = WP_PANE_LAYERS;
    wp_tpanes_rows(&pz, 24, 0, 0, &r);
    assert_int_equal(r.list, 0);
    assert_int_equal(r.hex, 0);
    assert_int_equal(r.layers, 24 - 3 - 1);
    /* growing the list takes rows from the layered pane, and stops */
    pz.zoom = -1;
    wp_tpanes_rows(&pz, 24, 0, 0, &r);
    int list0 = r.list;
    wp_tpanes_grow(&pz, WP_PANE_LIST, 2, 24);
    wp_tpanes_rows(&pz, 24, 0, 0, &r);
    assert_int_equal(r.list, list0 + 2);
    for (int i = 0; i < 100; i++)
        wp_tpanes_grow(&pz, WP_PANE_LIST, 1, 24);
    wp_tpanes_rows(&pz, 24, 0, 0, &r);
    assert_true(r.layers >= 3);
    int top = pz.list_extra;
    wp_tpanes_grow(&pz, WP_PANE_LIST, -1, 24);
    assert_int_equal(pz.list_extra, top - 1); /* one press back is one row */
}

static void test_bar_shortens_words_then_drops_whole_items(void **st)
{
    (void)st;
    const char *l[] = {"q quit", "? help", "j/k packet"};
    const char *s[] = {"q quit", "? help", "j/k pkt"};
    char b[128];
    assert_string_equal(wp_tbar_fit(l, s, 3, "  ", 80, b, sizeof b), "q quit  ? help  j/k packet");
    assert_string_equal(wp_tbar_fit(l, s, 3, "  ", 23, b, sizeof b), "q quit  ? help  j/k pkt");
    assert_string_equal(wp_tbar_fit(l, s, 3, "  ", 20, b, sizeof b), "q quit  ? help");
}

static void test_log_keeps_the_last_lines_and_cuts_long_ones_with_a_mark(void **st)
{
    (void)st;
    static wp_tlog lg;
    memset(&lg, 0, sizeof lg);
    wp_tlog_feed(&lg, "ping 1 dropped\nreply 2", 22);
    assert_int_equal(lg.n, 1);
    assert_string_equal(wp_tlog_line(&lg, 0), "ping 1 dropped");
    wp_tlog_feed(&lg, " late\r\n", 7);
    assert_string_equal(wp_tlog_line(&lg, 1), "reply 2 late");
    for (int i = 0; i < 100; i++) {
        char t[32];
        int k = snprintf(t, sizeof t, "line %d\n", i);
        wp_tlog_feed(&lg, t, (size_t)k);
    }
    assert_int_equal(lg.n, WP_TLOG_LINES);
    assert_string_equal(wp_tlog_line(&lg, WP_TLOG_LINES - 1), "line 99");
    char big[400];
    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = '\n';
    wp_tlog_feed(&lg, big, sizeof big);
    const char *last = wp_tlog_line(&lg, WP_TLOG_LINES - 1);
    assert_int_equal(strlen(last), WP_TLOG_WIDTH - 1);
    assert_int_equal(last[strlen(last) - 1], '>');
}

/* The recipe walks the field table itself; it must say what -o struct says
 * for that layer, for every layer of every packet of these fixtures. */
static void test_recipe_from_field_tables_matches_struct_output_for_every_layer(void **st)
{
    (void)st;
    static const char *const caps[] = {"tcp-handshake.pcap",    "icmp-port-unreachable.pcap",
                                       "ipv4-options.pcap",     "ipv6-ext.pcap",
                                       "vlan-qinq.pcap",        "snaplen-64.pcap",
                                       "eth-padding.pcap",      "arp.pcap",
                                       "bad-tcp-option-len.pcap", "link-raw.pcap"};
    static char whole[65536], mine[8192];
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        wp_fixture *fx = wp_fixture_load(caps[c]);
        for (size_t i = 0; i < fx->n; i++) {
            wp_fixture_decode(fx, i, &pkt);
            wp_sink s;
            memset(whole, 0, sizeof whole);
            wp_sink_init_mem(&s, whole, sizeof whole - 1);
            wp_render(&s, WP_OUT_STRUCT, &pkt, 1, NULL);
            const char *at = strchr(whole, '\n') + 1; /* after the frame title */
            for (unsigned l = 0; l < pkt.nlayers; l++) {
                wp_layout_recipe(&pkt, l, mine, sizeof mine);
                size_t k = strlen(mine);
                assert_true(k > 0);
                if (strncmp(at, mine, k) != 0)
                    fail_msg("%s frame %zu layer %u:\n%s\nvs\n%.*s", caps[c], i + 1, l, mine,
                             (int)k, at);
                at += k;
            }
        }
        wp_fixture_free(fx);
    }
}

static void test_detail_explains_checksum_and_derived_arithmetic(void **st)
{
    (void)st;
    static char t[4096];
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 0, &pkt);
    wp_layout_build(&lo, &pkt, 100, -1);
    int ck = field_named(&pkt, &lo, WP_PROTO_UDP, "checksum");
    wp_layout_explain(&pkt, &lo.fields[ck], t, sizeof t);
    assert_non_null(strstr(t, "computed 0xddf8, the field holds 0xddf8: they agree (good)"));
    assert_non_null(strstr(t, "pseudo-header"));
    /* an offloaded checksum (the course's TCP, captured on lo): why */
    wp_fixture *tc = wp_fixture_load("course-tcp.pcap");
    wp_fixture_decode(tc, 0, &pkt2);
    wp_layout_build(&lo2, &pkt2, 100, -1);
    int tck = field_named(&pkt2, &lo2, WP_PROTO_TCP, "checksum");
    wp_layout_explain(&pkt2, &lo2.fields[tck], t, sizeof t);
    assert_non_null(strstr(t, "offloaded: the field holds 0x"));
    assert_non_null(strstr(t, "network card"));
    wp_fixture_free(tc);
    int ihl = field_named(&pkt, &lo, WP_PROTO_IPV4, "ihl");
    wp_layout_explain(&pkt, &lo.fields[ihl], t, sizeof t);
    assert_non_null(strstr(t, "5 x 4 = 20 bytes"));
    assert_non_null(strstr(t, "& 0xf"));
    wp_fixture_free(fx);
}


/* The course's two captures merged by time, as the demo shows them. */
static void load_course(wp_tmodel *m)
{
    wp_fixture *u = wp_fixture_load("course-udp-ping.pcap");
    wp_fixture *t = wp_fixture_load("course-tcp.pcap");
    assert_int_equal(wp_tmodel_init_mem(m, 64), 0);
    assert_int_equal(wp_tmodel_track(m), 0);
    /* every UDP frame comes before the TCP ones in time */
    for (size_t i = 0; i < u->n; i++)
        wp_tmodel_push(m, &u->frames[i]);
    for (size_t i = 0; i < t->n; i++)
        wp_tmodel_push(m, &t->frames[i]);
    m->complete = 1;
    wp_fixture_free(u);
    wp_fixture_free(t);
}

static void test_pairing_marks_replies_and_requests_without_one(void **st)
{
    (void)st;
    wp_tmodel m;
    size_t p;
    load_course(&m);
    assert_int_equal(wp_tmodel_count(&m), 25);
    assert_int_equal(wp_tmodel_pairing(&m, 0, &p), 1); /* frame 1, answered by 2 */
    assert_int_equal(p, 1);
    assert_int_equal(wp_tmodel_pairing(&m, 1, &p), 3); /* frame 2 replies to 1 */
    assert_int_equal(p, 0);
    assert_int_equal(wp_tmodel_pairing(&m, 6, &p), 2); /* frame 7: dropped by the server */
    char row[512];
    wp_tmodel_row(&m, 6, &pkt, 3, 200, 0, row, sizeof row);
    assert_non_null(strstr(row, "** no reply **"));
    wp_tmodel_row(&m, 1, &pkt, 3, 200, 0, row, sizeof row);
    assert_non_null(strstr(row, "reply to #1 0.111 ms"));
    /* cut at 80 columns, the mark stays in sight */
    wp_tmodel_row(&m, 6, &pkt, 3, 60, 0, row, sizeof row);
    assert_int_equal(strlen(row), 60);
    assert_non_null(strstr(row, "> ** no reply **"));
    wp_tmodel_free(&m);
}

static void test_pairing_waits_a_second_before_saying_no_reply(void **st)
{
    (void)st;
    wp_tmodel m;
    size_t p;
    load_course(&m);
    /* a replay that has shown frames 1..7 only: frame 7 was sent a moment
     * ago, its reply may still come */
    m.shown = 7;
    m.complete = 1;
    assert_int_equal(wp_tmodel_pairing(&m, 6, &p), 0);
    m.shown = 8; /* frame 8 is half a second later: still waiting */
    assert_int_equal(wp_tmodel_pairing(&m, 6, &p), 0);
    m.shown = 13; /* frame 13, a second after it: no reply */
    assert_int_equal(wp_tmodel_pairing(&m, 6, &p), 2);
    m.unseen = 1; /* a filter hid records the reply may have been among */
    assert_int_equal(wp_tmodel_pairing(&m, 6, &p), 0);
    m.unseen = 0;
    /* a reply not shown yet does not count as one */
    m.shown = 1;
    assert_int_equal(wp_tmodel_pairing(&m, 0, &p), 0);
    wp_tmodel_free(&m);
}

static void test_conversation_steps_skip_other_conversations(void **st)
{
    (void)st;
    wp_tmodel m;
    load_course(&m);
    /* the TCP stream is frames 18..25; frame 17 is a UDP reply */
    assert_int_equal(wp_tmodel_conv_step(&m, 17, 1), 18);
    assert_int_equal(wp_tmodel_conv_step(&m, 17, -1), SIZE_MAX);
    assert_int_equal(wp_tmodel_conv_step(&m, 24, 1), SIZE_MAX);
    /* a ping and its reply are one conversation */
    assert_int_equal(wp_tmodel_conv_step(&m, 0, 1), 1);
    const wp_flow_ann *a = wp_tmodel_ann(&m, 17);
    assert_non_null(a);
    assert_int_equal(a->kind, WP_FLOW_TCP);
    assert_int_equal(a->seq, 0);
    char label[256];
    wp_tmodel_arrow_label(&m, 18, &pkt, label, sizeof label);
    assert_string_equal(label, "[SYN, ACK] seq 0 ack 1 win 65483 len 0");
    wp_tmodel_free(&m);
}

static void test_arrow_label_carries_the_analysis_label(void **st)
{
    (void)st;
    wp_tmodel m;
    char label[256];
    wp_fixture *fx = wp_fixture_load("flow-tcp-rto.pcap");
    assert_int_equal(wp_tmodel_init_mem(&m, 16), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    for (size_t i = 0; i < fx->n; i++)
        wp_tmodel_push(&m, &fx->frames[i]);
    wp_fixture_free(fx);
    wp_tmodel_arrow_label(&m, 4, &pkt, label, sizeof label);
    assert_string_equal(label, "[PSH, ACK] seq 1 ack 1 win 8760 len 200 [retransmission]");
    const wp_flow_ann *a = wp_tmodel_ann(&m, 4);
    assert_true(a->analysis & WP_FA_RETRANSMISSION);
    /* the whole conversation is one ladder */
    assert_int_equal(wp_tmodel_conv_step(&m, 5, -1), 4);
    assert_int_equal(wp_tmodel_conv_step(&m, 0, 1), 1);
    wp_tmodel_free(&m);
}

static void test_layout_shows_relative_numbers_and_raw_on_request(void **st)
{
    (void)st;
    wp_tmodel m;
    load_course(&m);
    wp_frame f;
    uint64_t num;
    assert_int_equal(wp_tmodel_frame(&m, 19, &f, &num), 1);
    wp_decode(&f, &pkt);
    lo.ann = wp_tmodel_ann(&m, 19);
    lo.raw = 0;
    wp_layout_build(&lo, &pkt, 132, wp_layout_default_focus(&pkt));
    int found = 0;
    for (int i = 0; i < lo.nitems; i++)
        found |= strcmp(lo.items[i].text, "1 (raw 3180837002)") == 0;
    assert_true(found);
    lo.raw = 1;
    wp_layout_build(&lo, &pkt, 132, wp_layout_default_focus(&pkt));
    found = 0;
    for (int i = 0; i < lo.nitems; i++)
        found |= strcmp(lo.items[i].text, "3180837002 (relative 1)") == 0;
    assert_true(found);
    lo.ann = NULL;
    lo.raw = 0;
    wp_tmodel_free(&m);
}

/* Every frame passes but those whose number (its first byte) is a multiple of 3. */
static int not_third(void *ctx, const wp_frame *f)
{
    (void)ctx;
    return f->caplen != 0 && (f->data[0] % 3) != 0;
}

/* Random pushes through a small ring, filters set and cleared, moves and
 * following: the list stays in number order, every listed packet can be
 * read, the selection stays in the list. */
static void test_model_ring_and_filter_keep_their_invariants_under_random_use(void **st)
{
    (void)st;
    wp_tmodel m;
    assert_int_equal(wp_tmodel_init_mem(&m, 7), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    m.follow = WP_TF_ON;
    uint32_t rng = 12345;
    uint8_t b[64];
    for (int step = 0; step < 4000; step++) {
        rng = rng * 1103515245u + 12345u;
        unsigned op = (rng >> 16) % 10;
        if (op < 6) {
            memset(b, 0, sizeof b);
            b[0] = (uint8_t)(m.total + 1); /* the frame's number, for the filter */
            wp_frame f = {.ts_sec = step, .caplen = sizeof b, .len = sizeof b, .linktype = 1,
                          .data = b};
            assert_int_equal(wp_tmodel_push(&m, &f), 0);
        } else if (op == 6) {
            wp_tmodel_refilter(&m, (rng >> 8) & 1 ? not_third : NULL, NULL);
        } else if (op == 7) {
            wp_tmodel_move(&m, (long)((rng >> 4) % 5) - 2);
        } else if (op == 8) {
            wp_tmodel_end(&m, 1);
        } else {
            m.shown = (rng >> 4) & 1 ? SIZE_MAX : wp_tmodel_count(&m) / 2;
        }
        wp_tmodel_tick(&m);
        size_t n = wp_tmodel_visible(&m);
        assert_true(wp_tmodel_count(&m) <= 7);
        if (n)
            assert_true(m.sel < n);
        uint64_t last = 0;
        for (size_t i = 0; i < wp_tmodel_count(&m); i++) {
            wp_frame f;
            uint64_t num;
            assert_int_equal(wp_tmodel_frame(&m, i, &f, &num), 1);
            assert_true(num > last);
            assert_int_equal(f.data[0], (uint8_t)num);
            assert_int_equal(wp_tmodel_find_num(&m, num), i < n ? i : SIZE_MAX);
            if (m.match)
                assert_true((uint8_t)num % 3 != 0);
            last = num;
        }
    }
    wp_tmodel_free(&m);
}

/* A keep test that remembers the numbers it was asked about (in ctx). */
typedef struct asked_log {
    uint64_t num[16];
    size_t n;
} asked_log;

static int keep_even(void *ctx, const wp_frame *f, uint64_t num)
{
    asked_log *a = ctx;
    (void)f;
    if (a->n < 16)
        a->num[a->n++] = num;
    return num % 2 == 0;
}

static void test_keep_test_is_asked_once_per_frame_and_outlasts_refilters(void **st)
{
    (void)st;
    wp_tmodel m;
    asked_log asked = {{0}, 0};
    assert_int_equal(wp_tmodel_init_mem(&m, 16), 0);
    m.keep = keep_even;
    m.keep_ctx = &asked;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    for (size_t i = 0; i < fx->n; i++)
        wp_tmodel_push(&m, &fx->frames[i]);
    wp_fixture_free(fx);
    assert_int_equal(asked.n, 9);
    for (size_t i = 0; i < asked.n; i++)
        assert_int_equal(asked.num[i], i + 1);
    assert_int_equal(wp_tmodel_count(&m), 4); /* frames 2, 4, 6, 8 */
    assert_int_equal(num_at(&m, 0), 2);
    wp_tmodel_refilter(&m, only_tcp, NULL);
    wp_tmodel_refilter(&m, NULL, NULL);
    assert_int_equal(asked.n, 9); /* not asked again */
    assert_int_equal(wp_tmodel_count(&m), 4);
    assert_int_equal(num_at(&m, 3), 8);
    wp_tmodel_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_refilter_keeps_capture_numbers_and_applies_to_buffered_frames),
        cmocka_unit_test(test_model_full_ring_drops_oldest_and_keeps_the_selected_packet),
        cmocka_unit_test(test_model_moving_up_or_picking_a_field_holds_and_end_resumes),
        cmocka_unit_test(test_model_end_on_a_file_does_not_claim_to_follow),
        cmocka_unit_test(test_fpath_tcp_flags_stays_selected_in_the_next_packet),
        cmocka_unit_test(test_fpath_an_option_is_found_by_its_kind),
        cmocka_unit_test(test_row_has_number_time_addresses_and_a_mark_when_cut),
        cmocka_unit_test(test_cut_marks_and_counts_columns_not_bytes),
        cmocka_unit_test(test_search_finds_text_and_hex_bytes_forwards_and_back),
        cmocka_unit_test(test_panes_give_the_list_eight_rows_at_80x24_and_add_up),
        cmocka_unit_test(test_bar_shortens_words_then_drops_whole_items),
        cmocka_unit_test(test_log_keeps_the_last_lines_and_cuts_long_ones_with_a_mark),
        cmocka_unit_test(test_recipe_from_field_tables_matches_struct_output_for_every_layer),
        cmocka_unit_test(test_detail_explains_checksum_and_derived_arithmetic),
        cmocka_unit_test(test_pairing_marks_replies_and_requests_without_one),
        cmocka_unit_test(test_pairing_waits_a_second_before_saying_no_reply),
        cmocka_unit_test(test_conversation_steps_skip_other_conversations),
        cmocka_unit_test(test_arrow_label_carries_the_analysis_label),
        cmocka_unit_test(test_keep_test_is_asked_once_per_frame_and_outlasts_refilters),
        cmocka_unit_test(test_model_ring_and_filter_keep_their_invariants_under_random_use),
        cmocka_unit_test(test_layout_shows_relative_numbers_and_raw_on_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
