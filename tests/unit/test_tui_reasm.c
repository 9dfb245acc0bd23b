/* The view's IP reassembly, without curses (src/tui/model_reasm.c): which
 * frame completed each datagram, the datagram put together again for that
 * frame (decoded in full, checksums over all of it), the fragment map and
 * the words the layered pane shows, and the box the layout puts them in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wirepeel/capture.h"
#include "wirepeel/capture_seek.h"
#include "wirepeel/decode.h"
#include "fixture.h"
#include "tui/layout.h"
#include "tui/model.h"

static wp_packet pkt;
static wp_layout lo;

/* A tracked memory model holding every frame of captures/name (at most
 * cap kept). */
static void load(wp_tmodel *m, const char *name, size_t cap)
{
    wp_fixture *fx = wp_fixture_load(name);
    assert_int_equal(wp_tmodel_init_mem(m, cap), 0);
    assert_int_equal(wp_tmodel_track(m), 0);
    assert_non_null(m->reasm);
    for (size_t i = 0; i < fx->n; i++)
        assert_int_equal(wp_tmodel_push(m, &fx->frames[i]), 0);
    m->complete = 1;
    wp_fixture_free(fx);
}

/* The layer of protocol proto in p, or NULL. */
static const wp_layer *layer_of(const wp_packet *p, unsigned proto)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].proto == proto)
            return &p->layers[i];
    return NULL;
}

static void decode_dgram(const wp_treasm_info *r, wp_packet *p)
{
    wp_frame g = {.caplen = r->len, .len = r->len, .linktype = WP_LINK_RAW, .data = r->bytes};
    wp_decode(&g, p);
}

static void test_completing_frame_gets_the_whole_datagram_with_checksums_verified(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 100);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 3, &r), WP_TR_COMPLETE);
    assert_int_equal(r.in, 3);
    assert_int_equal(r.len, 1220);
    assert_int_equal(r.d.total, 1200);
    assert_int_equal(r.d.nfrags, 3);
    assert_int_equal(r.d.frags[0].frame, 1);
    assert_int_equal(r.d.frags[1].off, 400);
    assert_int_equal(r.d.frags[2].frame, 3);
    decode_dgram(&r, &pkt);
    const wp_layer *udp = layer_of(&pkt, WP_PROTO_UDP);
    assert_non_null(udp);
    assert_int_equal(udp->csum, WP_CSUM_GOOD);
    assert_int_equal(layer_of(&pkt, WP_PROTO_IPV4)->csum, WP_CSUM_GOOD);
    wp_tmodel_free(&m);
}

static void test_other_fragments_point_at_the_completing_frame(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 100);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 1, &r), WP_TR_IN);
    assert_int_equal(r.in, 3);
    /* reversed: the first fragment, last to come, completes it */
    assert_int_equal(wp_treasm_get(&m, 4, &r), WP_TR_IN);
    assert_int_equal(r.in, 6);
    assert_int_equal(wp_treasm_get(&m, 6, &r), WP_TR_COMPLETE);
    assert_int_equal(r.d.frags[0].frame, 4);
    /* interleaved datagrams complete apart */
    assert_int_equal(wp_treasm_get(&m, 12, &r), WP_TR_IN);
    assert_int_equal(r.in, 15);
    char title[96], text[4096];
    assert_int_equal(wp_treasm_get(&m, 2, &r), WP_TR_IN);
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_string_equal(text, "fragment data, reassembled in #3\n");
    wp_tmodel_free(&m);
}

static void test_incomplete_datagram_says_it_never_completed_once_the_capture_ended(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 100); /* complete: the file was read to its end */
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 11, &r), WP_TR_HELD);
    assert_true(r.done);
    char title[96], text[4096];
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    /* the words and the holes show reports at the end */
    assert_string_equal(title, " IP fragment: its datagram never completed in this capture ");
    assert_string_equal(text, "incomplete IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3004 proto "
                              "17: frames 10, 11; 800 bytes held, missing 400..799\n");
    assert_int_equal(wp_treasm_get(&m, 10, &r), WP_TR_HELD);
    assert_non_null(r.line);
    /* a frame that is no fragment has nothing to say */
    assert_int_equal(wp_treasm_get(&m, 999, &r), WP_TR_NONE);
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_string_equal(text, "");
    wp_tmodel_free(&m);

    /* a file whose filter left packets out: the rest may be among them */
    load(&m, "reasm-ipv4-frags.pcap", 100);
    m.unseen = 1;
    assert_int_equal(wp_treasm_get(&m, 11, &r), WP_TR_HELD);
    assert_true(r.done);
    assert_true(r.filtered);
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_string_equal(title, " IP fragment: its datagram did not complete among the packets listed ");
    char sh[64];
    assert_string_equal(wp_treasm_short(&r, sh, sizeof sh), " fragment, incomplete as listed ");
    wp_tmodel_free(&m);

    /* a live view: it may still come */
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    assert_int_equal(wp_tmodel_init_mem(&m, 100), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    for (size_t i = 0; i < 11; i++)
        wp_tmodel_push(&m, &fx->frames[i]);
    assert_int_equal(wp_treasm_get(&m, 11, &r), WP_TR_HELD);
    assert_false(r.done);
    assert_null(r.line);
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_string_equal(text, "fragment data: its datagram is not complete (yet)\n");
    wp_fixture_free(fx);
    wp_tmodel_free(&m);
}

static void test_fragment_map_shows_offsets_in_8_byte_units_overlaps_and_the_copy_kept(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 100);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 9, &r), WP_TR_COMPLETE);
    assert_int_equal(r.d.frags[1].overlap, 8);
    assert_true(r.d.frags[1].conflict);
    char title[96], text[4096];
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_non_null(strstr(title, "1200 bytes from 3 fragments"));
    assert_non_null(strstr(text, "IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3003 proto 17\n"));
    assert_non_null(strstr(text, "offset 392 (49 × 8)  408 bytes, more fragments; 8 bytes "
                                 "overlap, 400 used (the overlapping bytes differ: the first "
                                 "copy is kept)\n"));
    assert_non_null(strstr(text, "(the same bytes)\n"));
    /* and the fragment that raised the events says so */
    assert_int_equal(wp_treasm_get(&m, 8, &r), WP_TR_IN);
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_non_null(strstr(text, "! ip.fragment_conflict: this fragment overlapping bytes differ"));
    wp_tmodel_free(&m);
}

static void test_ipv6_fragments_become_one_datagram_without_the_fragment_header(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv6-frags.pcap", 100);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 3, &r), WP_TR_COMPLETE);
    assert_int_equal(r.len, 1440);
    decode_dgram(&r, &pkt);
    assert_null(layer_of(&pkt, WP_PROTO_IPV6_FRAG));
    assert_int_equal(layer_of(&pkt, WP_PROTO_UDP)->csum, WP_CSUM_GOOD);
    assert_int_equal(wp_treasm_get(&m, 4, &r), WP_TR_IN);
    assert_int_equal(r.in, 5);
    wp_tmodel_free(&m);
}

static void test_datagram_whose_fragments_left_the_ring_is_shown_as_captured(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 2); /* frame 1 is gone when 3 comes */
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 3, &r), WP_TR_LOST);
    assert_int_equal(wp_treasm_get(&m, 17, &r), WP_TR_COMPLETE); /* 16 and 17 are kept */
    wp_tmodel_free(&m);
}

static void test_completion_bumps_the_generation_so_a_shown_fragment_is_redrawn(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    wp_tmodel m;
    assert_int_equal(wp_tmodel_init_mem(&m, 100), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    wp_tmodel_push(&m, &fx->frames[0]);
    wp_tmodel_push(&m, &fx->frames[1]);
    uint64_t g = wp_treasm_gen(&m);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 1, &r), WP_TR_HELD);
    assert_false(r.done);
    wp_tmodel_push(&m, &fx->frames[2]);
    assert_true(wp_treasm_gen(&m) > g);
    assert_int_equal(wp_treasm_get(&m, 1, &r), WP_TR_IN);
    wp_fixture_free(fx);
    wp_tmodel_free(&m);
}

static void test_layout_puts_the_map_in_a_box_above_the_packet_and_wraps_it(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 100);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 9, &r), WP_TR_COMPLETE);
    char title[96], text[4096];
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    decode_dgram(&r, &pkt);
    memset(&lo, 0, sizeof lo);
    lo.pre = text;
    lo.pre_title = title;
    for (int width = 80; width >= 40; width -= 40) {
        wp_layout_build(&lo, &pkt, width, 0);
        assert_int_equal(lo.items[0].kind, WP_LI_BOX);
        assert_int_equal(lo.items[0].y, 0);
        assert_int_equal(lo.items[0].w, width);
        int found = 0, ip_box = lo.layer_box[0];
        assert_true(ip_box > 0);
        for (int i = 1; i < ip_box; i++) {
            const wp_litem *it = &lo.items[i];
            assert_true(it->x + it->w <= width - 2); /* inside the box's borders */
            assert_true(it->y < lo.items[ip_box].y);
            if (strstr(it->text, "(49 × 8)"))
                found = 1;
        }
        assert_true(found);
        /* the box ends before the packet's first box */
        assert_int_equal(lo.items[0].y + lo.items[0].h, lo.items[ip_box].y);
    }
    /* without a map, the packet's boxes start at the top as ever */
    lo.pre = NULL;
    wp_layout_build(&lo, &pkt, 80, 0);
    assert_int_equal(lo.items[lo.layer_box[0]].y, 0);
    wp_tmodel_free(&m);
}

static void test_map_box_cuts_a_word_longer_than_a_row_with_a_mark_and_colours_events(void **st)
{
    (void)st;
    wp_tmodel m;
    load(&m, "reasm-ipv4-frags.pcap", 100);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 3, &r), WP_TR_COMPLETE);
    decode_dgram(&r, &pkt);
    char text[1024];
    memset(text, 'x', 300);
    snprintf(text + 300, sizeof text - 300, "\nshort\n! ip.fragment_overlap: a b c d e f g h i j k l "
                                           "m n o p q r s t u v w x y z\n");
    memset(&lo, 0, sizeof lo);
    lo.pre = text;
    lo.pre_title = " t ";
    wp_layout_build(&lo, &pkt, 40, 0);
    int ip_box = lo.layer_box[0];
    assert_true(ip_box > 0);
    /* row 1: the long word, cut and marked; row 2: "short"; then the event,
     * wrapped over three rows, continued two columns in */
    assert_int_equal(lo.items[1].y, 1);
    assert_int_equal(lo.items[1].w, 36);
    assert_int_equal(lo.items[1].text[35], '>');
    assert_string_equal(lo.items[2].text, "short");
    assert_int_equal(lo.items[3].attr, WP_LA_EVENT);
    assert_int_equal(lo.items[4].attr, WP_LA_EVENT);
    assert_int_equal(lo.items[4].x, 4);
    for (int i = 1; i < ip_box; i++)
        assert_true(lo.items[i].x + lo.items[i].w <= 38);
    assert_int_equal(lo.items[5].attr, WP_LA_EVENT);
    assert_int_equal(ip_box, 6);
    wp_tmodel_free(&m);
}

static void test_timed_out_datagram_says_it_was_given_up(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("reasm-ipv4-frags.pcap");
    wp_tmodel m;
    assert_int_equal(wp_tmodel_init_mem(&m, 100), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    /* frame 10 of the file: the first fragment of 0x3004, whose middle
     * never comes; then a fragment of another datagram 100 s later */
    wp_tmodel_push(&m, &fx->frames[9]);
    wp_frame late = fx->frames[0];
    late.ts_sec += 100;
    uint64_t g = wp_treasm_gen(&m);
    wp_tmodel_push(&m, &late);
    assert_true(wp_treasm_gen(&m) > g);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 1, &r), WP_TR_GIVEN_UP);
    char title[96], text[1024], sh[64];
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_non_null(strstr(title, "was given up"));
    assert_non_null(strstr(text, "incomplete IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3004 "
                                 "proto 17: frames 1; 400 bytes held, missing 400.. (the last "
                                 "fragment never came)\n"));
    assert_string_equal(wp_treasm_short(&r, sh, sizeof sh), " fragment, datagram given up ");
    assert_int_equal(wp_treasm_get(&m, 2, &r), WP_TR_HELD);
    wp_fixture_free(fx);
    wp_tmodel_free(&m);
}

static void test_file_past_the_trackers_cap_is_still_reassembled(void **st)
{
    (void)st;
    const char *dir = getenv("WP_CAPTURES");
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/reasm-ipv4-frags.pcap", dir ? dir : "captures");
    wp_capture_file *ixf = wp_capture_file_open(path, err, sizeof err);
    wp_capture_file *rdf = wp_capture_file_open(path, err, sizeof err);
    assert_non_null(ixf);
    assert_non_null(rdf);
    wp_pindex ix;
    wp_pindex_init(&ix);
    while (!ix.done && !ix.failed)
        wp_pindex_step(&ix, ixf, 100);
    assert_int_equal(ix.n, 17);
    wp_tmodel m;
    wp_tmodel_init_file(&m, &ix, rdf);
    assert_int_equal(wp_tmodel_track(&m), 0);
    m.ann_cap = 5; /* the tracker stops at 5 frames; reassembly goes on */
    m.complete = 1;
    assert_true(wp_treasm_behind(&m));
    size_t k = 0;
    for (int guard = 0; guard < 10 && (m.ann_n < m.ann_cap || wp_treasm_behind(&m)); guard++)
        k += wp_tmodel_annotate(&m, 4);
    assert_int_equal(k, 17);
    assert_int_equal(m.ann_n, 5);
    assert_false(wp_treasm_behind(&m));
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 3, &r), WP_TR_COMPLETE);
    assert_int_equal(wp_treasm_get(&m, 17, &r), WP_TR_COMPLETE); /* read back from the file */
    assert_int_equal(r.len, 1040);
    decode_dgram(&r, &pkt);
    assert_int_equal(layer_of(&pkt, WP_PROTO_TCP)->csum, WP_CSUM_GOOD);
    assert_int_equal(wp_treasm_get(&m, 11, &r), WP_TR_HELD);
    assert_true(r.done);
    wp_tmodel_free(&m);
    wp_pindex_free(&ix);
    wp_capture_file_close(ixf);
    wp_capture_file_close(rdf);
}

/* An Ethernet + IPv4 fragment of datagram id: 8 data bytes at offset
 * 8 * k, more fragments unless last. */
static uint32_t make_frag(uint8_t *b, uint16_t id, unsigned k, int last)
{
    static const uint8_t head[] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0};
    memcpy(b, head, sizeof head);
    uint8_t *ip = b + sizeof head;
    uint16_t fo = (uint16_t)((last ? 0 : 0x2000) | k);
    uint8_t h[20] = {0x45, 0, 0, 28, (uint8_t)(id >> 8), (uint8_t)id, (uint8_t)(fo >> 8),
                     (uint8_t)fo, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2};
    memcpy(ip, h, sizeof h);
    memset(ip + 20, (int)('a' + k % 26), 8);
    return (uint32_t)(sizeof head + 28);
}

static void test_a_long_map_says_what_it_left_off(void **st)
{
    (void)st;
    wp_tmodel m;
    assert_int_equal(wp_tmodel_init_mem(&m, 100), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    uint8_t b[64];
    for (unsigned k = 0; k < 60; k++) {
        wp_frame f = {.caplen = make_frag(b, 0x5150, k, k == 59), .linktype = WP_LINK_EN10MB,
                      .data = b};
        f.len = f.caplen;
        assert_int_equal(wp_tmodel_push(&m, &f), 0);
    }
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, 60, &r), WP_TR_COMPLETE);
    assert_int_equal(r.d.nfrags, 60);
    char title[96], text[8192], small[2048];
    /* a small buffer: whole lines, then how many were left out */
    wp_treasm_text(&r, title, sizeof title, small, sizeof small);
    const char *more = strstr(small, " more fragments)\n");
    assert_non_null(more);
    assert_string_equal(more + strlen(" more fragments)\n"), "");
    /* the view's buffer holds them all; at 40 columns they wrap past the
     * box's 64 rows, and the box says the rest is left off */
    wp_treasm_text(&r, title, sizeof title, text, sizeof text);
    assert_null(strstr(text, "more fragments)"));
    assert_non_null(strstr(text, "frame 60 "));
    decode_dgram(&r, &pkt);
    memset(&lo, 0, sizeof lo);
    lo.pre = text;
    lo.pre_title = title;
    wp_layout_build(&lo, &pkt, 40, 0);
    int ip_box = lo.layer_box[0];
    assert_true(ip_box > 0);
    assert_string_equal(lo.items[ip_box - 1].text, "(the rest is left off)");
    assert_int_equal(lo.items[0].h, 64 + 3); /* title, 64 rows, the note, bottom */
    wp_tmodel_free(&m);
}

static void test_past_the_table_only_fragments_say_they_were_not_followed(void **st)
{
    (void)st;
    wp_tmodel m;
    assert_int_equal(wp_tmodel_init_mem(&m, 16), 0);
    assert_int_equal(wp_tmodel_track(&m), 0);
    uint8_t b[64];
    uint64_t n = 0;
    for (unsigned k = 0; k < WP_TREASM_MAP + 2; k++) {
        wp_frame f = {.caplen = make_frag(b, (uint16_t)k, 0, 0), .linktype = WP_LINK_EN10MB,
                      .data = b};
        f.len = f.caplen;
        wp_tmodel_push(&m, &f);
        n++;
    }
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_tmodel_push(&m, &fx->frames[0]); /* no fragment */
    wp_fixture_free(fx);
    wp_treasm_info r;
    assert_int_equal(wp_treasm_get(&m, n + 1, &r), WP_TR_NONE);
    assert_int_equal(wp_treasm_get(&m, n, &r), WP_TR_UNTRACKED);
    assert_int_equal(wp_treasm_get(&m, 1, &r), WP_TR_HELD); /* in the table */
    wp_tmodel_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_completing_frame_gets_the_whole_datagram_with_checksums_verified),
        cmocka_unit_test(test_other_fragments_point_at_the_completing_frame),
        cmocka_unit_test(test_incomplete_datagram_says_it_never_completed_once_the_capture_ended),
        cmocka_unit_test(test_fragment_map_shows_offsets_in_8_byte_units_overlaps_and_the_copy_kept),
        cmocka_unit_test(test_ipv6_fragments_become_one_datagram_without_the_fragment_header),
        cmocka_unit_test(test_datagram_whose_fragments_left_the_ring_is_shown_as_captured),
        cmocka_unit_test(test_completion_bumps_the_generation_so_a_shown_fragment_is_redrawn),
        cmocka_unit_test(test_layout_puts_the_map_in_a_box_above_the_packet_and_wraps_it),
        cmocka_unit_test(test_timed_out_datagram_says_it_was_given_up),
        cmocka_unit_test(test_file_past_the_trackers_cap_is_still_reassembled),
        cmocka_unit_test(test_a_long_map_says_what_it_left_off),
        cmocka_unit_test(test_past_the_table_only_fragments_say_they_were_not_followed),
        cmocka_unit_test(test_map_box_cuts_a_word_longer_than_a_row_with_a_mark_and_colours_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
