/* Regression inputs found by fuzzing (the .bin files in tests/fuzz/regress/, in the
 * fuzz_decode input format: byte 0 picks the link type, the rest is the
 * frame) and the structural checker the sweep and the fuzzers rely on.
 * Every input must decode, render and lay out without a sanitizer report
 * and keep every promise wp_check_packet checks; some also pin the exact
 * verdict. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "../fuzz/exercise.h"

#define REGRESS_DIR "tests/fuzz/regress"

typedef struct input {
    uint8_t *buf;
    size_t n;
} input;

static input load(const char *name)
{
    char path[512];
    input in = {NULL, 0};
    snprintf(path, sizeof path, "%s/%s", REGRESS_DIR, name);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    uint8_t tmp[65536];
    in.n = fread(tmp, 1, sizeof tmp, fp);
    fclose(fp);
    /* exactly sized, so a read past the frame is an ASan report */
    in.buf = malloc(in.n ? in.n : 1);
    assert_non_null(in.buf);
    memcpy(in.buf, tmp, in.n);
    return in;
}

static const wp_event *event_of(const wp_packet *p, unsigned layer, const char *code)
{
    for (unsigned i = 0; i < p->nevents; i++)
        if (p->events[i].layer == layer && strcmp(p->events[i].def->code, code) == 0)
            return &p->events[i];
    return NULL;
}

/* Decode, exercise, lay out and check one input; returns the packet. */
static void run_input(const input *in, wp_packet *p, char *why, size_t whyn)
{
    static const int widths[] = {1, 20, 80, 200};
    wp_frame f;
    char *out = malloc(256 * 1024);
    wp_layout *lo = malloc(sizeof *lo);
    assert_non_null(out);
    assert_non_null(lo);
    wp_fuzz_frame(in->buf, in->n, &f);
    wp_decode(&f, p);
    (void)wp_exercise_packet(p, 1, out, 256 * 1024);
    (void)wp_exercise_layout(p, lo, widths, sizeof widths / sizeof widths[0]);
    free(out);
    free(lo);
    wp_check_packet(p, why, whyn);
}

static void test_regress_every_input_keeps_its_promises(void **state)
{
    (void)state;
    DIR *d = opendir(REGRESS_DIR);
    assert_non_null(d);
    struct dirent *e;
    unsigned n = 0;
    wp_packet p;
    char why[4096];
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".bin") != 0)
            continue;
        input in = load(e->d_name);
        run_input(&in, &p, why, sizeof why);
        if (why[0])
            fail_msg("%s:\n%s", e->d_name, why);
        free(in.buf);
        n++;
    }
    closedir(d);
    assert_true(n >= 5);
}

/* IPv6 over raw link, caplen = len = 41: a routing header announced by the
 * IPv6 header starts at the last byte. Not a snap-length cut: the routing
 * header's length runs past the frame and the payload length (0x3030) is
 * wrong, so both are judged invalid, not truncated. */
static void test_regress_ipv6_route_past_frame_end_is_invalid(void **state)
{
    (void)state;
    input in = load("ipv6-route-past-frame-end.bin");
    wp_packet p;
    char why[4096];
    run_input(&in, &p, why, sizeof why);
    assert_string_equal(why, "");
    assert_int_equal(p.caplen, 41);
    assert_int_equal(p.layers[0].proto, WP_PROTO_IPV6);
    assert_int_equal(p.layers[1].proto, WP_PROTO_IPV6_ROUTE);
    assert_int_equal(p.layers[1].off, 40);
    assert_non_null(event_of(&p, 0, "ipv6.payload_len_exceeds_frame"));
    assert_non_null(event_of(&p, 1, "ipv6-route.length_exceeds_payload"));
    assert_null(event_of(&p, 1, "ipv6-route.truncated"));
    free(in.buf);
}

/* Ethernet, IPv6 payload length 16, two hop-by-hop headers; the second
 * claims 72 bytes where the payload leaves 8, and the capture stops at 69
 * of 1069 bytes. The header contradicts the IPv6 payload length: invalid,
 * whatever the snap length. No field past byte 69 is shown. */
static void test_regress_ipv6_hopopts_past_payload_under_snaplen(void **state)
{
    (void)state;
    input in = load("ipv6-hopopts-past-payload-snapcut.bin");
    wp_packet p;
    char why[4096];
    run_input(&in, &p, why, sizeof why);
    assert_string_equal(why, "");
    assert_int_equal(p.caplen, 69);
    assert_int_equal(p.len, 1069);
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_IPV6_HOPOPTS, 1);
    assert_non_null(h);
    assert_int_equal(h->off, 62);
    assert_int_equal(h->hdr_len, 72);
    assert_non_null(event_of(&p, (unsigned)(h - p.layers), "ipv6-hopopts.length_exceeds_payload"));
    free(in.buf);
}

/* Found by the snap-length sweep: frame 1 of captures/ipv4-options.pcap
 * (IHL 9: 16 option bytes at 34..49) cut at 35 of 70 bytes. The options
 * field used to count as shown with a span of 16 bytes although 15 were
 * never captured (wp_field_shown ignored caplen for WP_FK_OPTIONS). Now the
 * whole options captured before the cut are shown (here the NOP at 34, as
 * tshark shows options cut after them) and the span stops at the captured
 * end. */
static void test_regress_ipv4_options_cut_by_snaplen_span_stops_at_caplen(void **state)
{
    (void)state;
    input in = load("ipv4-options-cut-by-snaplen.bin");
    wp_packet p;
    char why[4096];
    run_input(&in, &p, why, sizeof why);
    assert_string_equal(why, "");
    assert_int_equal(p.caplen, 35);
    const wp_layer *ip = wp_test_layer(&p, WP_PROTO_IPV4, 0);
    assert_non_null(ip);
    assert_int_equal(ip->hdr_len, 36);
    assert_true(ip->flags & WP_LF_TRUNCATED);
    assert_non_null(event_of(&p, (unsigned)(ip - p.layers), "ipv4.truncated"));
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_IPV4);
    const wp_field *opts = NULL;
    for (size_t i = 0; i < pi->nfields; i++)
        if (pi->fields[i].kind == WP_FK_OPTIONS)
            opts = &pi->fields[i];
    assert_non_null(opts);
    assert_int_equal(ip->opt_count, 1);
    assert_int_equal(p.opts[ip->opt_first].kind, 1); /* NOP, whole */
    assert_true(wp_field_shown(&p, ip, opts));
    uint32_t off, len;
    wp_field_span(ip, opts, &off, &len);
    assert_int_equal(off, 34);
    assert_int_equal(len, 1);
    free(in.buf);
}

/* Found by fuzz_decode: raw IP link, one captured byte 0x41 of 1001 on the
 * wire. IHL 1 contradicts itself whatever the snap length: the verdict is
 * invalid (not truncated), and the whole frame gets the same verdict. */
static void test_regress_ipv4_ihl1_one_byte_is_invalid_not_truncated(void **state)
{
    (void)state;
    input in = load("ipv4-raw-one-byte-snapcut.bin");
    wp_packet p;
    char why[4096];
    run_input(&in, &p, why, sizeof why);
    assert_string_equal(why, "");
    assert_int_equal(p.caplen, 1);
    assert_int_equal(p.len, 1001);
    assert_int_equal(p.layers[0].proto, WP_PROTO_IPV4);
    assert_non_null(event_of(&p, 0, "ipv4.ihl_invalid"));
    assert_null(event_of(&p, 0, "ipv4.truncated"));
    free(in.buf);
}

/* Found by fuzz_decode: IPv4 link, a header with version 1 and IHL 11, 138
 * bytes. Whole, it is "not IPv4" and its options are not read; cut at 37
 * bytes its options used to be read and one judged invalid
 * (ipv4.option_len_invalid appeared only under the cut). */
static void test_regress_ipv4_bad_version_options_not_read_when_cut(void **state)
{
    (void)state;
    input in = load("ipv4-version1-options-only-when-cut.bin");
    wp_packet full, cut;
    char why[4096];
    run_input(&in, &full, why, sizeof why);
    assert_string_equal(why, "");
    wp_frame f;
    wp_fuzz_frame(in.buf, in.n, &f);
    f.caplen = 37;
    f.len = 138;
    wp_decode(&f, &cut);
    assert_int_equal(wp_check_packet(&cut, why, sizeof why), 0);
    assert_int_equal(wp_check_cut(&full, &cut, why, sizeof why), 0);
    assert_non_null(event_of(&cut, 0, "ipv4.version_invalid"));
    assert_non_null(event_of(&cut, 0, "ipv4.truncated"));
    assert_null(event_of(&cut, 0, "ipv4.option_len_invalid"));
    assert_int_equal(cut.layers[0].opt_count, 0);
    free(in.buf);
}

/* The everyday ICMP error: port unreachable quoting an IPv4 header and the
 * first 8 bytes of TCP (RFC 792), at the end of the frame. The quoted TCP
 * header is flagged truncated without a tcp.truncated event (the short
 * quote is expected); only the fields the quote holds are shown. */
static void test_regress_icmp_quoted_tcp_8_bytes_flagged_without_event(void **state)
{
    (void)state;
    input in = load("icmp-quoted-tcp-8-bytes.bin");
    wp_packet p;
    char why[4096];
    run_input(&in, &p, why, sizeof why);
    assert_string_equal(why, "");
    assert_int_equal(p.nlayers, 5);
    const wp_layer *t = &p.layers[4];
    assert_int_equal(t->proto, WP_PROTO_TCP);
    assert_int_equal(t->off, 62);
    assert_true(t->flags & WP_LF_QUOTED);
    assert_true(t->flags & WP_LF_TRUNCATED);
    assert_null(event_of(&p, 4, "tcp.truncated"));
    assert_int_equal(t->h.tcp.sport, 40000);
    assert_int_equal(t->h.tcp.dport, 80);
    assert_int_equal(t->h.tcp.seq, 1);
    const wp_proto_info *pi = wp_proto_get(WP_PROTO_TCP);
    for (size_t k = 0; k < pi->nfields; k++) {
        const wp_field *f = &pi->fields[k];
        int want = strcmp(f->name, "sport") == 0 || strcmp(f->name, "dport") == 0 ||
                   strcmp(f->name, "seq") == 0;
        assert_int_equal(wp_field_shown(&p, t, f), want);
    }
    /* the flag is still demanded of a quoted header */
    wp_packet q = p;
    q.layers[4].flags &= (uint8_t)~WP_LF_TRUNCATED;
    assert_int_equal(wp_check_packet(&q, why, sizeof why), 1);
    assert_non_null(strstr(why, "layer 4 (tcp): header 62..82 cut by caplen 70 (len 70) but not "
                                "flagged truncated"));
    free(in.buf);
}

/* Found by fuzz_decode in a CI run: an ICMPv6 parameter problem quoting an
 * IPv6 packet with four hop-by-hop headers; the quoted TCP header starts 3
 * bytes before the frame ends. Flagged truncated, no event: as above. */
static void test_regress_icmpv6_quoted_tcp_cut_by_quote(void **state)
{
    (void)state;
    input in = load("icmpv6-quoted-tcp-cut-by-quote.bin");
    wp_packet p;
    char why[4096];
    run_input(&in, &p, why, sizeof why);
    assert_string_equal(why, "");
    assert_int_equal(p.caplen, 145);
    assert_int_equal(p.nlayers, 9);
    assert_int_equal(p.layers[2].proto, WP_PROTO_ICMPV6);
    const wp_layer *t = &p.layers[8];
    assert_int_equal(t->proto, WP_PROTO_TCP);
    assert_int_equal(t->off, 142);
    assert_true(t->flags & WP_LF_QUOTED);
    assert_true(t->flags & WP_LF_TRUNCATED);
    assert_null(event_of(&p, 8, "tcp.truncated"));
    free(in.buf);
}

/* The checker must be able to fail: forge broken packets. */
static void test_regress_checker_catches_forged_packets(void **state)
{
    (void)state;
    static const uint8_t frame[20] = {0x45};
    wp_frame f = {0};
    wp_packet p;
    char why[4096];
    f.linktype = WP_LINK_RAW;
    f.data = frame;
    f.caplen = 10;
    f.len = 20;
    wp_decode(&f, &p);
    assert_int_equal(wp_check_packet(&p, why, sizeof why), 0);
    assert_true(p.nlayers >= 1);

    wp_packet q = p; /* a layer that starts past the captured bytes */
    q.layers[0].off = 11;
    assert_true(wp_check_packet(&q, why, sizeof why) >= 1);
    assert_non_null(strstr(why, "beyond caplen 10"));

    q = p; /* a cut header that does not say so */
    q.layers[0].proto = WP_PROTO_UDP;
    q.layers[0].off = 4;
    q.layers[0].hdr_len = 8;
    q.layers[0].flags = 0;
    q.nevents = 0;
    assert_int_equal(wp_check_packet(&q, why, sizeof why), 2);
    assert_non_null(strstr(why, "not flagged truncated"));
    assert_non_null(strstr(why, "no *.truncated event"));

    q = p; /* a data layer running past the capture */
    q.nlayers = 1;
    q.nevents = 0;
    q.layers[0].proto = WP_PROTO_PAYLOAD;
    q.layers[0].off = 2;
    q.layers[0].len = 9;
    assert_int_equal(wp_check_packet(&q, why, sizeof why), 1);
    assert_non_null(strstr(why, "data layer 0 (payload): 2+9 beyond caplen 10"));

    /* a verdict of invalid that only the cut frame has */
    static const wp_event_def forged = {"x.len_invalid", "forged", WP_EV_INVALID, NULL};
    wp_packet full = p, cut = p;
    full.nevents = 0;
    cut.nevents = 1;
    cut.events[0].def = &forged;
    cut.events[0].layer = 0;
    assert_int_equal(wp_check_cut(&full, &cut, why, sizeof why), 1);
    assert_non_null(strstr(why, "x.len_invalid (layer 0) appears only when cut"));
    assert_int_equal(wp_check_cut(&cut, &cut, why, sizeof why), 0);
}

/* Found by fuzz_decode: an NFLOG frame (link byte 121) whose one TLV, not
 * the payload, runs to the frame's end (84 bytes); cut at 83 the header
 * ran past the capture with neither the flag nor an event. */
static void test_regress_nflog_tlv_cut_inside_its_value_is_truncated(void **state)
{
    (void)state;
    input in = load("nflog-tlv-cut-inside-its-value.bin");
    wp_frame f;
    wp_fuzz_frame(in.buf, in.n, &f);
    assert_int_equal(f.linktype, WP_LINK_NFLOG);
    f.caplen = 83;
    wp_packet p;
    wp_decode(&f, &p);
    assert_int_equal(p.layers[0].proto, WP_PROTO_NFLOG);
    assert_true(p.layers[0].flags & WP_LF_TRUNCATED);
    assert_non_null(event_of(&p, 0, "nflog.truncated"));
    char why[4096];
    wp_check_packet(&p, why, sizeof why);
    assert_string_equal(why, "");
    free(in.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regress_every_input_keeps_its_promises),
        cmocka_unit_test(test_regress_ipv6_route_past_frame_end_is_invalid),
        cmocka_unit_test(test_regress_ipv6_hopopts_past_payload_under_snaplen),
        cmocka_unit_test(test_regress_ipv4_options_cut_by_snaplen_span_stops_at_caplen),
        cmocka_unit_test(test_regress_nflog_tlv_cut_inside_its_value_is_truncated),
        cmocka_unit_test(test_regress_ipv4_ihl1_one_byte_is_invalid_not_truncated),
        cmocka_unit_test(test_regress_ipv4_bad_version_options_not_read_when_cut),
        cmocka_unit_test(test_regress_icmp_quoted_tcp_8_bytes_flagged_without_event),
        cmocka_unit_test(test_regress_icmpv6_quoted_tcp_cut_by_quote),
        cmocka_unit_test(test_regress_checker_catches_forged_packets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
