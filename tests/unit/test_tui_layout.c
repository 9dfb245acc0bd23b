/* The view's layout without curses: box nesting, byte ranges, field places,
 * narrow panes and cut packets. Packets are built by hand so the checks do
 * not move when decoders change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "wirepeel/decode.h"
#include "wirepeel/packet.h"
#include "fixture.h"
#include "tui/layout.h"

/* eth(14) + ipv4(20) + udp(8) + "hello, mercy"(12) + 4 bytes of padding */
static const uint8_t frame[] = {
    0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
    0x45, 0, 0, 40, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
    0x9c, 0x40, 0xd4, 0x31, 0, 20, 0, 0,
    'h', 'e', 'l', 'l', 'o', ',', ' ', 'm', 'e', 'r', 'c', 'y',
    0, 0, 0, 0};

static wp_layer *push(wp_packet *p, unsigned proto, uint32_t off, uint32_t hdr, uint32_t len,
                      unsigned depth)
{
    wp_layer *l = &p->layers[p->nlayers++];
    memset(l, 0, sizeof *l);
    l->proto = (uint8_t)proto;
    l->off = off;
    l->hdr_len = hdr;
    l->len = len;
    l->depth = (uint8_t)depth;
    return l;
}

static void make_udp(wp_packet *p, uint32_t caplen)
{
    memset(p, 0, sizeof *p);
    p->data = frame;
    p->caplen = caplen;
    p->len = sizeof frame;
    p->linktype = WP_LINK_EN10MB;
    p->ts_sec = 1700000000;
    wp_layer *e = push(p, WP_PROTO_ETH, 0, 14, 58, 0);
    memcpy(e->h.eth.dst, frame, 6);
    memcpy(e->h.eth.src, frame + 6, 6);
    e->h.eth.type = 0x0800;
    wp_layer *ip = push(p, WP_PROTO_IPV4, 14, 20, 40, 1);
    ip->h.ipv4.version = 4;
    ip->h.ipv4.ihl = 5;
    ip->h.ipv4.total_len = 40;
    ip->h.ipv4.ttl = 64;
    ip->h.ipv4.proto = 17;
    memcpy(ip->h.ipv4.src, frame + 26, 4);
    memcpy(ip->h.ipv4.dst, frame + 30, 4);
    wp_layer *u = push(p, WP_PROTO_UDP, 34, 8, 20, 2);
    u->h.udp.sport = 40000;
    u->h.udp.dport = 54321;
    u->h.udp.length = 20;
    push(p, WP_PROTO_PAYLOAD, 42, 0, 12, 3);
    push(p, WP_PROTO_TRAILER, 54, 0, 4, 0);
}

static const wp_litem *box_of(const wp_layout *lo, unsigned layer)
{
    int i = lo->layer_box[layer];
    assert_true(i >= 0);
    assert_int_equal(lo->items[i].kind, WP_LI_BOX);
    return &lo->items[i];
}

/* The item on row y whose text contains s, or NULL. */
static const wp_litem *text_at(const wp_layout *lo, int y, const char *s)
{
    for (int i = 0; i < lo->nitems; i++)
        if (lo->items[i].y == y && lo->items[i].kind == WP_LI_TEXT &&
            strstr(lo->items[i].text, s))
            return &lo->items[i];
    return NULL;
}

static const wp_lfield *field_named(const wp_layout *lo, unsigned layer, const char *name)
{
    for (int i = 0; i < lo->nfields; i++)
        if (lo->fields[i].layer == layer && lo->fields[i].opt < 0 &&
            strcmp(lo->fields[i].f->name, name) == 0)
            return &lo->fields[i];
    return NULL;
}

/* Display columns of UTF-8 text. */
static int cols(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* b lies strictly inside a (its border rows and columns too). */
static int inside(const wp_litem *a, const wp_litem *b)
{
    return b->x > a->x && b->x + b->w < a->x + a->w && b->y > a->y && b->y + b->h < a->y + a->h;
}

static void test_tui_layout_boxes_nest_link_outermost_payload_innermost(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    make_udp(&p, sizeof frame);
    wp_layout_build(&lo, &p, 100, -1);
    const wp_litem *eth = box_of(&lo, 0), *ip = box_of(&lo, 1), *udp = box_of(&lo, 2),
                   *pay = box_of(&lo, 3), *tr = box_of(&lo, 4);
    assert_int_equal(eth->x, 0);
    assert_int_equal(eth->w, 100);
    assert_int_equal(eth->y, 0);
    assert_true(inside(eth, ip));
    assert_true(inside(ip, udp));
    assert_true(inside(udp, pay));
    /* the trailer is inside the link box but outside the IPv4 box */
    assert_true(inside(eth, tr));
    assert_true(tr->y > ip->y + ip->h - 1);
    assert_int_equal(ip->x, 2);
    assert_int_equal(udp->x, 4);
    assert_int_equal(eth->y + eth->h, lo.height);
    assert_int_equal(lo.truncated, 0);
}

static void test_tui_layout_tls_records_of_one_segment_sit_side_by_side(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    wp_fixture *fx = wp_fixture_load("app-tls.pcap");
    wp_fixture_decode(fx, 2, &p); /* three records in one segment */
    wp_layout_build(&lo, &p, 100, -1);
    unsigned tls[3], n = 0, tcp = 0;
    for (unsigned i = 0; i < p.nlayers; i++) {
        if (p.layers[i].proto == WP_PROTO_TLS && n < 3)
            tls[n++] = i;
        if (p.layers[i].proto == WP_PROTO_TCP)
            tcp = i;
    }
    assert_int_equal(n, 3);
    const wp_litem *t = box_of(&lo, tcp);
    for (unsigned k = 0; k < 3; k++) {
        const wp_litem *r = box_of(&lo, tls[k]);
        assert_true(inside(t, r));
        /* each record's data in its own box */
        assert_true(inside(r, box_of(&lo, tls[k] + 1)));
        if (k) { /* beside the one before: same column, below it */
            const wp_litem *q = box_of(&lo, tls[k - 1]);
            assert_int_equal(r->x, q->x);
            assert_int_equal(r->w, q->w);
            assert_true(r->y >= q->y + q->h);
        }
    }
    wp_fixture_free(fx);
}

static void test_tui_layout_titles_give_byte_ranges_and_header_lengths(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    make_udp(&p, sizeof frame);
    wp_layout_build(&lo, &p, 100, -1);
    assert_string_equal(box_of(&lo, 0)->text, " Ethernet @0..13 hdr 14 B ");
    assert_non_null(strstr(box_of(&lo, 1)->text, " @14..33 hdr 20 B "));
    assert_string_equal(box_of(&lo, 2)->text, " UDP @34..41 hdr 8 B ");
    assert_string_equal(box_of(&lo, 3)->text, " Payload @42..53 12 B ");
    assert_string_equal(box_of(&lo, 4)->text, " Trailer @54..57 4 B ");
}

static void test_tui_layout_fields_sit_in_their_box_with_values(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    make_udp(&p, sizeof frame);
    wp_layout_build(&lo, &p, 100, -1);
    const wp_lfield *dst = field_named(&lo, 0, "dst");
    assert_non_null(dst);
    assert_int_equal(dst->y, 1);
    assert_int_equal(dst->off, 0);
    assert_int_equal(dst->len, 6);
    assert_non_null(text_at(&lo, dst->y, "02:00:00:00:00:02"));
    const wp_lfield *type = field_named(&lo, 0, "type");
    assert_non_null(text_at(&lo, type->y, "0x0800 (IPv4)"));
    assert_non_null(text_at(&lo, type->y, "@12..13"));
    const wp_lfield *sport = field_named(&lo, 2, "sport");
    assert_non_null(sport);
    assert_int_equal(sport->off, 34);
    assert_int_equal(sport->len, 2);
    const wp_litem *v = text_at(&lo, sport->y, "40000");
    assert_non_null(v);
    const wp_litem *udp = box_of(&lo, 2);
    assert_true(sport->y > udp->y && sport->y < udp->y + udp->h - 1);
    assert_true(v->x > udp->x && v->x + v->w < udp->x + udp->w);
    assert_int_equal(lo.fields[v->field].off, 34);
    assert_non_null(text_at(&lo, field_named(&lo, 2, "dport")->y, "54321"));
    /* fields come in reading order, so Left/Right walk the bytes */
    for (int i = 1; i < lo.nfields; i++)
        assert_true(lo.fields[i].y > lo.fields[i - 1].y ||
                    (lo.fields[i].y == lo.fields[i - 1].y &&
                     lo.fields[i].x > lo.fields[i - 1].x));
    /* a wide pane puts two short fields on a row */
    assert_int_equal(field_named(&lo, 2, "dport")->y, sport->y);
    const wp_litem *pay = box_of(&lo, 3);
    assert_non_null(text_at(&lo, pay->y + 1, "\"hello, mercy\""));
}

static void test_tui_layout_every_item_fits_80_columns(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    make_udp(&p, sizeof frame);
    for (int w = 20; w <= 80; w += 10) {
        wp_layout_build(&lo, &p, w, -1);
        for (int i = 0; i < lo.nitems; i++) {
            assert_true(lo.items[i].x >= 0);
            assert_true(lo.items[i].x + lo.items[i].w <= w);
            assert_true(cols(lo.items[i].text) <= lo.items[i].w ||
                        lo.items[i].kind == WP_LI_BOX);
        }
        /* the boxes still nest however narrow */
        assert_true(box_of(&lo, 2)->y > box_of(&lo, 1)->y);
        assert_true(box_of(&lo, 1)->x + box_of(&lo, 1)->w <= box_of(&lo, 0)->x + w);
    }
    wp_layout_build(&lo, &p, 80, -1);
    assert_non_null(text_at(&lo, field_named(&lo, 2, "sport")->y, "40000"));
}

static void test_tui_layout_cut_header_names_fields_without_values(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    /* the capture stops 4 bytes into the UDP header */
    make_udp(&p, 38);
    p.nlayers = 3;
    p.layers[2].flags |= WP_LF_TRUNCATED;
    wp_layout_build(&lo, &p, 80, -1);
    assert_string_equal(box_of(&lo, 2)->text, " UDP @34..41 hdr 8 B, cut at 4 B ");
    assert_non_null(field_named(&lo, 2, "sport"));
    assert_non_null(field_named(&lo, 2, "dport"));
    assert_null(field_named(&lo, 2, "length"));
    int found = 0;
    for (int i = 0; i < lo.nitems; i++)
        if (strcmp(lo.items[i].text, "(not captured)") == 0)
            found++;
    assert_int_equal(found, 2); /* length and checksum */
}

static void test_tui_layout_events_sit_in_their_layer_box(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    static const wp_event_def bad = {"udp.checksum_bad", "UDP checksum does not match",
                                     WP_EV_CHECKSUM, " != "};
    make_udp(&p, sizeof frame);
    p.events[0] = (wp_event){&bad, 2, 0x1234, 0xabcd};
    p.nevents = 1;
    wp_layout_build(&lo, &p, 100, -1);
    const wp_litem *ev = NULL;
    for (int i = 0; i < lo.nitems; i++)
        if (lo.items[i].attr == WP_LA_EVENT)
            ev = &lo.items[i];
    assert_non_null(ev);
    assert_string_equal(ev->text,
                        "! udp.checksum_bad: UDP checksum does not match (0x1234 != 0xabcd)");
    const wp_litem *udp = box_of(&lo, 2), *pay = box_of(&lo, 3);
    assert_true(ev->y > udp->y && ev->y < pay->y);
    assert_int_equal(ev->x, udp->x + 2);
}

static void test_tui_layout_detail_shows_unpacking(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    char buf[256];
    make_udp(&p, sizeof frame);
    wp_layout_build(&lo, &p, 100, -1);
    wp_layout_detail(&p, field_named(&lo, 2, "sport"), buf, sizeof buf);
    assert_non_null(strstr(buf, "udp.sport @34..35  9c 40  ntohs -> 40000"));
    assert_non_null(strstr(buf, "struct '!HHHH'"));
    wp_layout_detail(&p, field_named(&lo, 0, "type"), buf, sizeof buf);
    assert_non_null(strstr(buf, "@12..13  08 00  ntohs -> 2048"));
}

/* The real udp-tcp-pair frames at 80 columns, as the view first shows them. */
static void test_tui_layout_focus_keeps_nesting_in_few_rows_at_80(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 0, &p);
    int focus = wp_layout_default_focus(&p);
    assert_int_equal(focus, 2); /* UDP */
    wp_layout_build(&lo, &p, 80, focus);
    const wp_litem *eth = box_of(&lo, 0), *ip = box_of(&lo, 1), *udp = box_of(&lo, 2),
                   *pay = box_of(&lo, 3);
    assert_true(inside(eth, ip));
    assert_true(inside(ip, udp));
    assert_true(inside(udp, pay));
    /* Ethernet flows into one row, IPv4's 16 fields into 4: the payload's
     * text is on row 11, inside the 12 rows the pane has at 80x24 */
    assert_int_equal(ip->y, 2);
    assert_int_equal(udp->y, 7);
    assert_int_equal(pay->y, 10);
    assert_non_null(text_at(&lo, 11, "\"hello, mercy\""));
    const wp_lfield *ttl = field_named(&lo, 1, "ttl");
    assert_true(ttl->y > ip->y && ttl->y < udp->y);
    assert_non_null(text_at(&lo, ttl->y, "ttl"));
    /* the header in focus has titles, two fields a row */
    const wp_lfield *sp = field_named(&lo, 2, "sport"), *dp = field_named(&lo, 2, "dport");
    assert_int_equal(sp->y, udp->y + 1);
    assert_int_equal(dp->y, sp->y);
    assert_non_null(text_at(&lo, sp->y, "Source port"));
    assert_non_null(text_at(&lo, dp->y, "54321"));
    for (int i = 0; i < lo.nitems; i++)
        assert_true(lo.items[i].x + lo.items[i].w <= 80);
    wp_fixture_free(fx);
}

static void test_tui_layout_fields_are_the_same_whatever_the_focus(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout a, b;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 1, &p);
    wp_layout_build(&a, &p, 80, -1);
    for (int focus = 0; focus < (int)p.nlayers; focus++) {
        wp_layout_build(&b, &p, 80, focus);
        assert_int_equal(b.nfields, a.nfields);
        for (int i = 0; i < a.nfields; i++) {
            assert_int_equal(b.fields[i].layer, a.fields[i].layer);
            assert_int_equal(b.fields[i].opt, a.fields[i].opt);
            assert_int_equal(b.fields[i].off, a.fields[i].off);
            assert_int_equal(b.fields[i].len, a.fields[i].len);
        }
        /* focus flows the others: never taller than all expanded */
        assert_true(b.height <= a.height);
    }
    wp_fixture_free(fx);
}

static void test_tui_layout_tcp_options_are_selectable_rows(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    char buf[256];
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 1, &p);
    wp_layout_build(&lo, &p, 80, 2);
    const wp_lfield *mss = NULL;
    int nopt = 0;
    for (int i = 0; i < lo.nfields; i++)
        if (lo.fields[i].opt >= 0) {
            nopt++;
            if (!mss)
                mss = &lo.fields[i];
        }
    assert_int_equal(nopt, 5);
    assert_non_null(mss);
    assert_int_equal(mss->off, 54);
    assert_int_equal(mss->len, 4);
    assert_non_null(text_at(&lo, mss->y, "mss (kind 2, len 4) 1460"));
    wp_layout_detail(&p, mss, buf, sizeof buf);
    assert_string_equal(buf, "tcp.options option @54..57  02 04 05 b4  -> mss (kind 2, len 4) "
                             "1460  | struct '!HHIIHHHH20s'");
    wp_fixture_free(fx);
}

static void test_tui_layout_default_focus_is_the_icmp_not_its_quote(void **state)
{
    (void)state;
    static wp_packet p;
    static wp_layout lo;
    wp_fixture *fx = wp_fixture_load("icmp-port-unreachable.pcap");
    wp_fixture_decode(fx, 1, &p);
    int focus = wp_layout_default_focus(&p);
    assert_int_equal(p.layers[focus].proto, WP_PROTO_ICMP);
    wp_layout_build(&lo, &p, 80, focus);
    /* the quoted IPv4 and UDP nest inside the ICMP box */
    const wp_litem *icmp = box_of(&lo, (unsigned)focus), *qip = box_of(&lo, (unsigned)focus + 1),
                   *qudp = box_of(&lo, (unsigned)focus + 2);
    assert_true(inside(icmp, qip));
    assert_true(inside(qip, qudp));
    assert_non_null(strstr(qip->text, ", quoted"));
    wp_fixture_free(fx);
}

static void test_tui_layout_recipe_is_the_struct_renderers_block(void **state)
{
    (void)state;
    static wp_packet p;
    static char buf[8192];
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    wp_fixture_decode(fx, 0, &p);
    wp_layout_recipe(&p, 2, buf, sizeof buf);
    assert_string_equal(buf, "  udp  struct.unpack('!HHHH', frame[34:42])\n"
                             "    sport         @34..35  9c 40  ntohs -> 40000\n"
                             "    dport         @36..37  d4 31  ntohs -> 54321\n"
                             "    length        @38..39  00 14  ntohs -> 20\n"
                             "    checksum      @40..41  dd f8  ntohs -> 56824 (0xddf8)\n");
    wp_layout_recipe(&p, 9, buf, sizeof buf);
    assert_string_equal(buf, "");
    wp_fixture_free(fx);
}

/* Writes a small pcap with n UDP frames to a temp file; returns its path. */
static void write_pcap(const char *path, unsigned n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    const uint32_t gh[] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
    fwrite(gh, 4, 2, f);
    fwrite(&gh[2], 4, 4, f);
    for (unsigned i = 0; i < n; i++) {
        uint32_t rh[4] = {1700000000 + i, 0, (uint32_t)sizeof frame, (uint32_t)sizeof frame};
        fwrite(rh, 4, 4, f);
        uint8_t fr[sizeof frame];
        memcpy(fr, frame, sizeof frame);
        fr[35] = (uint8_t)i; /* vary the source port */
        fwrite(fr, 1, sizeof fr, f);
    }
    fclose(f);
}

static void test_tui_pindex_indexes_in_steps_and_rereads(void **state)
{
    (void)state;
    char path[] = "/tmp/wp-pindex-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    write_pcap(path, 1000);
    char err[256];
    wp_capture_file *c = wp_capture_file_open(path, err, sizeof err);
    assert_non_null(c);
    wp_pindex ix;
    wp_pindex_init(&ix);
    assert_int_equal(wp_pindex_step(&ix, c, 300), 300);
    assert_int_equal(ix.done, 0);
    while (!ix.done)
        wp_pindex_step(&ix, c, 300);
    assert_int_equal(ix.n, 1000);
    assert_int_equal(ix.pos[0], 24);
    assert_int_equal(ix.pos[1], 24 + 16 + (int)sizeof frame);
    wp_frame f;
    assert_int_equal(wp_pindex_read(&ix, c, 999, &f, err, sizeof err), 1);
    assert_int_equal(f.ts_sec, 1700000999);
    assert_int_equal(f.data[35], 999 & 0xff);
    assert_int_equal(wp_pindex_read(&ix, c, 5, &f, err, sizeof err), 1);
    assert_int_equal(f.ts_sec, 1700000005);
    assert_int_equal(wp_pindex_read(&ix, c, 1000, &f, err, sizeof err), -1);

    /* a filter keeps the file's own numbering */
    assert_int_equal(wp_capture_file_filter(c, "udp src port 39937", err, sizeof err), 0);
    wp_capture_file_seek(c, 24);
    wp_pindex_reset(&ix);
    while (!ix.done)
        wp_pindex_step(&ix, c, 100);
    assert_int_equal(ix.n, 4); /* 0x9c01: frames 2, 258, 514, 770 */
    assert_int_equal(ix.num[0], 2);
    assert_int_equal(ix.num[1], 258);
    assert_int_equal(ix.seen, 1000);
    assert_int_equal(wp_capture_file_filter(c, "udp and (", err, sizeof err), -1);
    assert_non_null(strstr(err, "udp and ("));
    wp_pindex_free(&ix);
    wp_capture_file_close(c);
    close(fd);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tui_layout_boxes_nest_link_outermost_payload_innermost),
        cmocka_unit_test(test_tui_layout_tls_records_of_one_segment_sit_side_by_side),
        cmocka_unit_test(test_tui_layout_titles_give_byte_ranges_and_header_lengths),
        cmocka_unit_test(test_tui_layout_fields_sit_in_their_box_with_values),
        cmocka_unit_test(test_tui_layout_every_item_fits_80_columns),
        cmocka_unit_test(test_tui_layout_cut_header_names_fields_without_values),
        cmocka_unit_test(test_tui_layout_events_sit_in_their_layer_box),
        cmocka_unit_test(test_tui_layout_detail_shows_unpacking),
        cmocka_unit_test(test_tui_layout_focus_keeps_nesting_in_few_rows_at_80),
        cmocka_unit_test(test_tui_layout_fields_are_the_same_whatever_the_focus),
        cmocka_unit_test(test_tui_layout_tcp_options_are_selectable_rows),
        cmocka_unit_test(test_tui_layout_default_focus_is_the_icmp_not_its_quote),
        cmocka_unit_test(test_tui_layout_recipe_is_the_struct_renderers_block),
        cmocka_unit_test(test_tui_pindex_indexes_in_steps_and_rereads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
