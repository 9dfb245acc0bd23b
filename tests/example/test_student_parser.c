/* Testing a hand-written header parser against wirepeel.
 *
 * For every frame of every capture in the fixture directory ($WP_CAPTURES,
 * else ../../captures when run from tests/example, else captures), wirepeel
 * decodes the frame; wherever it found an IPv4 or UDP header, the student's
 * parser (student_parser.c) parses the same bytes and every field must agree.
 * Where wirepeel calls a header truncated or invalid, the student's parser
 * must refuse it too. A last test compares against the text dump of
 * `wirepeel show -o fields`, the way you would check a parser written in any
 * language.
 *
 * Only public headers are used: <wirepeel/wirepeel.h> (wp_load_fixture loads
 * a capture, wp_decode finds the layers, the field tables give the values). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <wirepeel/wirepeel.h>

#include "student_parser.h"

#define MAX_CAPTURES 128

static const char *capture_dir(void)
{
    const char *d = getenv("WP_CAPTURES");
    if (d && *d)
        return d;
    if (access("../../captures/udp-tcp-pair.pcap", R_OK) == 0)
        return "../../captures";
    return "captures";
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of all .pcap and .pcapng files in the fixture directory, sorted. */
static size_t list_captures(char *names[MAX_CAPTURES])
{
    DIR *d = opendir(capture_dir());
    if (!d)
        fail_msg("cannot open the fixture directory %s (set WP_CAPTURES)", capture_dir());
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MAX_CAPTURES) {
        size_t len = strlen(e->d_name);
        if ((len > 5 && strcmp(e->d_name + len - 5, ".pcap") == 0) ||
            (len > 7 && strcmp(e->d_name + len - 7, ".pcapng") == 0))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    return n;
}

/* Field `name` of layer l as wirepeel decoded it (numbers and flags). */
static uint64_t wirepeel_value(const wp_layer *l, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return wp_field_uint(l, &pi->fields[i]);
    fail_msg("wirepeel's %s has no field %s", pi->name, name);
    return 0;
}

/* An IPv4 address field as a host-order number, like the student keeps it. */
static uint32_t wirepeel_addr(const wp_layer *l, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0) {
            const uint8_t *b = wp_field_bytes(l, &pi->fields[i]);
            assert_non_null(b);
            return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
        }
    fail_msg("wirepeel's %s has no field %s", pi->name, name);
    return 0;
}

/* Whether wirepeel raised event `code` about layer index li of p. */
static int has_event(const wp_packet *p, unsigned li, const char *code)
{
    for (unsigned i = 0; i < p->nevents; i++)
        if (p->events[i].layer == li && strcmp(p->events[i].def->code, code) == 0)
            return 1;
    return 0;
}

/* Fail with the capture, frame and field named when the values differ. */
static void expect_same(const char *cap, size_t frame, const char *field, uint64_t student,
                        uint64_t wirepeel)
{
    if (student != wirepeel)
        fail_msg("%s frame %zu %s: wirepeel decodes %llu, the student's parser %llu", cap,
                 frame, field, (unsigned long long)wirepeel, (unsigned long long)student);
}

/* Every field of every IPv4 header wirepeel finds: the student's value. */
static void test_ipv4_fields_match_wirepeel(void **state)
{
    (void)state;
    char *names[MAX_CAPTURES];
    size_t ncap = list_captures(names);
    assert_true(ncap > 0);
    unsigned checked = 0, refused = 0, bad_csum = 0;
    for (size_t c = 0; c < ncap; c++) {
        char err[512];
        wp_loaded *cap = wp_load_fixture(capture_dir(), names[c], err, sizeof err);
        if (!cap)
            fail_msg("%s", err);
        for (size_t i = 0; i < cap->n; i++) {
            const wp_frame *f = &cap->frames[i];
            const char *cn = names[c];
            size_t fno = i + 1; /* frames are numbered from 1, as wirepeel shows them */
            wp_packet p;
            wp_decode(f, &p);
            for (unsigned li = 0; li < p.nlayers; li++) {
                const wp_layer *l = &p.layers[li];
                if (l->proto != WP_PROTO_IPV4)
                    continue;
                struct ipv4_header h;
                int rc = parse_ipv4(f->data + l->off, f->caplen - l->off, &h);
                if (has_event(&p, li, "ipv4.version_invalid") ||
                    has_event(&p, li, "ipv4.ihl_invalid")) {
                    if (rc != -2)
                        fail_msg("%s frame %zu: wirepeel says invalid, student parsed it (%d)",
                                 names[c], i + 1, rc);
                    refused++;
                    continue;
                }
                if (l->flags & WP_LF_TRUNCATED) {
                    if (rc != -1)
                        fail_msg("%s frame %zu: wirepeel says truncated, student got %d",
                                 names[c], i + 1, rc);
                    refused++;
                    continue;
                }
                if (rc < 0)
                    fail_msg("%s frame %zu: student's parse_ipv4 failed (%d)", names[c], i + 1,
                             rc);
                expect_same(cn, fno, "header length", (uint64_t)rc, l->hdr_len);
                expect_same(cn, fno, "version", h.version, wirepeel_value(l, "version"));
                expect_same(cn, fno, "ihl", h.ihl, wirepeel_value(l, "ihl"));
                expect_same(cn, fno, "dscp", h.dscp, wirepeel_value(l, "dscp"));
                expect_same(cn, fno, "ecn", h.ecn, wirepeel_value(l, "ecn"));
                expect_same(cn, fno, "total_len", h.total_length, wirepeel_value(l, "total_len"));
                expect_same(cn, fno, "id", h.identification, wirepeel_value(l, "id"));
                expect_same(cn, fno, "flags", h.flags, wirepeel_value(l, "flags"));
                expect_same(cn, fno, "df", h.dont_fragment, wirepeel_value(l, "df"));
                expect_same(cn, fno, "mf", h.more_fragments, wirepeel_value(l, "mf"));
                expect_same(cn, fno, "frag_offset", h.fragment_offset,
                            wirepeel_value(l, "frag_offset"));
                expect_same(cn, fno, "ttl", h.ttl, wirepeel_value(l, "ttl"));
                expect_same(cn, fno, "proto", h.protocol, wirepeel_value(l, "proto"));
                expect_same(cn, fno, "checksum", h.checksum, wirepeel_value(l, "checksum"));
                expect_same(cn, fno, "src", h.src, wirepeel_addr(l, "src"));
                expect_same(cn, fno, "dst", h.dst, wirepeel_addr(l, "dst"));
                /* the student's checksum check agrees with wirepeel's verdict */
                if (l->csum == WP_CSUM_GOOD)
                    assert_true(ipv4_checksum_ok(f->data + l->off, l->hdr_len));
                if (l->csum == WP_CSUM_BAD) {
                    assert_false(ipv4_checksum_ok(f->data + l->off, l->hdr_len));
                    bad_csum++;
                }
                checked++;
            }
        }
        wp_load_free(cap);
        free(names[c]);
    }
    print_message("checked %u IPv4 headers, %u refused as wirepeel did, %u bad checksums\n",
                  checked, refused, bad_csum);
    /* the fixtures hold dozens of IPv4 headers, a bad IHL and a bad checksum:
     * a loop that found none would prove nothing */
    assert_true(checked >= 30);
    assert_true(refused >= 1);
    assert_true(bad_csum >= 1);
}

/* Every UDP header wirepeel finds (over IPv4 or IPv6): the student's values. */
static void test_udp_fields_match_wirepeel(void **state)
{
    (void)state;
    char *names[MAX_CAPTURES];
    size_t ncap = list_captures(names);
    unsigned checked = 0, refused = 0;
    for (size_t c = 0; c < ncap; c++) {
        char err[512];
        wp_loaded *cap = wp_load_fixture(capture_dir(), names[c], err, sizeof err);
        if (!cap)
            fail_msg("%s", err);
        for (size_t i = 0; i < cap->n; i++) {
            const wp_frame *f = &cap->frames[i];
            const char *cn = names[c];
            size_t fno = i + 1; /* frames are numbered from 1, as wirepeel shows them */
            wp_packet p;
            wp_decode(f, &p);
            for (unsigned li = 0; li < p.nlayers; li++) {
                const wp_layer *l = &p.layers[li];
                if (l->proto != WP_PROTO_UDP)
                    continue;
                struct udp_header h;
                int rc = parse_udp(f->data + l->off, f->caplen - l->off, &h);
                if (l->flags & WP_LF_TRUNCATED) {
                    assert_int_equal(rc, -1);
                    refused++;
                    continue;
                }
                if (has_event(&p, li, "udp.length_invalid")) {
                    assert_int_equal(rc, -2);
                    refused++;
                } else {
                    assert_int_equal(rc, 8);
                }
                expect_same(cn, fno, "sport", h.src_port, wirepeel_value(l, "sport"));
                expect_same(cn, fno, "dport", h.dst_port, wirepeel_value(l, "dport"));
                expect_same(cn, fno, "length", h.length, wirepeel_value(l, "length"));
                expect_same(cn, fno, "checksum", h.checksum, wirepeel_value(l, "checksum"));
                checked++;
            }
        }
        wp_load_free(cap);
        free(names[c]);
    }
    print_message("checked %u UDP headers, %u refused as wirepeel did\n", checked, refused);
    assert_true(checked >= 15);
    assert_true(refused >= 1);
}

/* ---- against `wirepeel show -o fields` ---------------------------------- */

/* The wirepeel binary: $WIREPEEL, else $BUILD/wirepeel in a source tree,
 * else the one on PATH. */
static const char *wirepeel_cmd(char *buf, size_t n)
{
    const char *w = getenv("WIREPEEL");
    if (w && *w)
        return w;
    const char *b = getenv("BUILD");
    if (b && *b) {
        snprintf(buf, n, "%s/wirepeel", b);
        if (access(buf, X_OK) == 0)
            return buf;
    }
    return "wirepeel";
}

/* A line of the dump: frame, layer ("2:udp"), field, offset, length, raw
 * hex, value. Splits line in place; 0 on success. */
static int split_fields(char *line, char *col[7])
{
    line[strcspn(line, "\n")] = '\0';
    for (int k = 0; k < 7; k++) {
        col[k] = line;
        char *tab = strchr(line, '\t');
        if (k < 6) {
            if (!tab)
                return -1;
            *tab = '\0';
            line = tab + 1;
        }
    }
    return 0;
}

/* The student's value of the field named like wirepeel's, as text. */
static int student_ipv4_text(const struct ipv4_header *h, const char *name, char *out,
                             size_t n)
{
    static const char *const nums[] = {"version", "ihl", "dscp", "ecn", "total_len", "id",
                                       "flags", "df", "mf", "frag_offset", "ttl", "proto",
                                       "checksum"};
    const unsigned vals[] = {h->version, h->ihl, h->dscp, h->ecn, h->total_length,
                             h->identification, h->flags, h->dont_fragment,
                             h->more_fragments, h->fragment_offset, h->ttl, h->protocol,
                             h->checksum};
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++)
        if (strcmp(name, nums[k]) == 0) {
            snprintf(out, n, "%u", vals[k]);
            return 0;
        }
    if (strcmp(name, "src") == 0 || strcmp(name, "dst") == 0) {
        char a[16];
        ipv4_to_string(strcmp(name, "src") == 0 ? h->src : h->dst, a);
        snprintf(out, n, "%s", a);
        return 0;
    }
    return -1; /* options: the student's parser skips them */
}

static int student_udp_text(const struct udp_header *h, const char *name, char *out, size_t n)
{
    unsigned v;
    if (strcmp(name, "sport") == 0)
        v = h->src_port;
    else if (strcmp(name, "dport") == 0)
        v = h->dst_port;
    else if (strcmp(name, "length") == 0)
        v = h->length;
    else if (strcmp(name, "checksum") == 0)
        v = h->checksum;
    else
        return -1;
    snprintf(out, n, "%u", v);
    return 0;
}

/* Compare one capture's dump with the student's parse of the same bytes.
 * Returns the number of fields compared, or -1 when wirepeel could not be run. */
static long compare_dump(const char *name)
{
    char path[1024], cmd[2048], wbuf[1024];
    snprintf(path, sizeof path, "%s/%s", capture_dir(), name);
    snprintf(cmd, sizeof cmd, "'%s' show -o fields -r '%s' 2>/dev/null",
             wirepeel_cmd(wbuf, sizeof wbuf), path);
    char err[512];
    wp_loaded *cap = wp_load_file(path, err, sizeof err);
    if (!cap)
        fail_msg("%s", err);
    FILE *in = popen(cmd, "r");
    assert_non_null(in);
    char line[4096];
    long compared = 0, lines = 0;
    unsigned long cur_frame = 0;
    char cur_layer[32] = "";
    uint32_t layer_off = 0;
    while (fgets(line, sizeof line, in)) {
        char *col[7];
        lines++;
        if (split_fields(line, col) != 0)
            fail_msg("%s: a line of the dump without 7 columns: %s", name, line);
        const char *proto = strchr(col[1], ':');
        proto = proto ? proto + 1 : col[1];
        if (strcmp(proto, "ipv4") != 0 && strcmp(proto, "udp") != 0)
            continue;
        if (col[2][0] == '!')
            continue; /* an event line */
        unsigned long frame = strtoul(col[0], NULL, 10);
        assert_true(frame >= 1 && frame <= cap->n);
        const wp_frame *f = &cap->frames[frame - 1];
        uint32_t off = (uint32_t)strtoul(col[3], NULL, 10);
        /* a header's first field starts at the header's first byte */
        if (frame != cur_frame || strcmp(col[1], cur_layer) != 0) {
            cur_frame = frame;
            snprintf(cur_layer, sizeof cur_layer, "%s", col[1]);
            layer_off = off;
        }
        assert_true(layer_off < f->caplen);
        char mine[64];
        int known;
        if (strcmp(proto, "ipv4") == 0) {
            struct ipv4_header h;
            if (parse_ipv4(f->data + layer_off, f->caplen - layer_off, &h) < 0)
                continue; /* wirepeel shows what it could read; the student refuses */
            known = student_ipv4_text(&h, col[2], mine, sizeof mine);
        } else {
            struct udp_header h;
            if (parse_udp(f->data + layer_off, f->caplen - layer_off, &h) == -1)
                continue;
            known = student_udp_text(&h, col[2], mine, sizeof mine);
        }
        if (known != 0)
            continue;
        if (strcmp(mine, col[6]) != 0)
            fail_msg("%s frame %lu %s %s: wirepeel says %s, the student's parser %s", name,
                     frame, col[1], col[2], col[6], mine);
        compared++;
    }
    int status = pclose(in);
    wp_load_free(cap);
    if (lines == 0 && status != 0)
        return -1;
    assert_int_equal(status, 0);
    return compared;
}

static void test_fields_dump_agrees(void **state)
{
    (void)state;
    static const char *const caps[] = {"udp-tcp-pair.pcap", "ipv4-options.pcap",
                                       "ipv4-fragments.pcap", "udp-bad-checksum.pcap",
                                       "icmp-port-unreachable.pcap", "bad-udp-length.pcap"};
    long total = 0;
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        long n = compare_dump(caps[k]);
        if (n < 0) {
            char wbuf[1024];
            print_message("cannot run '%s show -o fields' (set WIREPEEL=path/to/wirepeel)\n",
                          wirepeel_cmd(wbuf, sizeof wbuf));
            skip();
        }
        total += n;
    }
    print_message("compared %ld field values with wirepeel show -o fields\n", total);
    assert_true(total >= 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_fields_match_wirepeel),
        cmocka_unit_test(test_udp_fields_match_wirepeel),
        cmocka_unit_test(test_fields_dump_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
