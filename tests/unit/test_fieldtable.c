/* One test for every field table (one per file in src/proto/): for every capture in
 * captures/ and every frame, every row the outputs would show, read from the
 * packet bytes by its own offset, width, mask and shift, gives the value the
 * decoder stored (wp_field_uint, wp_field_bytes). A row whose position does
 * not say where its value comes from fails here, whichever protocol it is
 * in. The read below is written out again from the wp_field contract in
 * packet.h, not taken from the renderers. */
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
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"

#define MAX_CAPTURES 256

/* The capture files in captures/ (or $WP_CAPTURES), sorted; returns the
 * count. Names are malloc'd. */
static size_t list_captures(char **names, size_t cap)
{
    const char *dir = getenv("WP_CAPTURES");
    DIR *d = opendir(dir ? dir : "captures");
    if (!d)
        fail_msg("cannot open the captures folder %s", dir ? dir : "captures");
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < cap) {
        size_t len = strlen(e->d_name);
        int pcap = len > 5 && strcmp(e->d_name + len - 5, ".pcap") == 0;
        int pcapng = len > 7 && strcmp(e->d_name + len - 7, ".pcapng") == 0;
        if (pcap || pcapng)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort: a few dozen names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return n;
}

/* The unit of a field as the table describes it: width bytes at the
 * layer's offset + off, big-endian (little-endian for a layer so flagged),
 * then masked and shifted (mask 0: all of them). */
static uint64_t read_row(const wp_packet *p, const wp_layer *l, const wp_field *f)
{
    const uint8_t *b = p->data + l->off + f->off;
    uint64_t v = 0;
    for (unsigned i = 0; i < f->width; i++) {
        unsigned k = (l->flags & WP_LF_LITTLE_ENDIAN) ? f->width - 1u - i : i;
        v = v << 8 | b[k];
    }
    if (f->mask)
        v &= f->mask;
    return v >> f->shift;
}

typedef struct tally {
    unsigned long values;          /* rows compared */
    unsigned seen[WP_PROTO_COUNT]; /* bit i: row i of that table was compared */
} tally;

/* Compare every shown row of every layer of p; a mismatch fails the test
 * with where it is. */
static void check_packet(const wp_packet *p, const char *cap, size_t frame, tally *t)
{
    for (unsigned li = 0; li < p->nlayers; li++) {
        const wp_layer *l = &p->layers[li];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (f->kind == WP_FK_OPTIONS || !wp_field_shown(p, l, f))
                continue;
            if (f->kind == WP_FK_TEXT) {
                /* A text's span is the decoder's: it lies inside the layer's
                 * bytes, and wp_field_text gives those very bytes. */
                uint32_t off, len, n;
                wp_field_span(l, f, &off, &len);
                const uint8_t *b = wp_field_text(p, l, f, &n);
                if (off < l->off || len > l->len || off - l->off > l->len - len || !b ||
                    b != p->data + off || n != len)
                    fail_msg("%s frame %zu layer %u %s.%s: the text @%u+%u is not inside "
                             "the layer @%u+%u",
                             cap, frame + 1, li, pi->name, f->name, off, len, l->off, l->len);
                t->values++;
                if (l->proto < WP_PROTO_COUNT && k < 32)
                    t->seen[l->proto] |= 1u << k;
                continue;
            }
            assert_true(f->width >= 1);
            if (f->kind == WP_FK_UINT || f->kind == WP_FK_BOOL) {
                assert_true(f->width <= 8);
                uint64_t want = read_row(p, l, f), got = wp_field_uint(l, f);
                if (want != got)
                    fail_msg("%s frame %zu layer %u %s.%s: the bytes give %llu (0x%llx), the "
                             "decoder stored %llu",
                             cap, frame + 1, li, pi->name, f->name, (unsigned long long)want,
                             (unsigned long long)want, (unsigned long long)got);
            } else {
                /* Addresses: the stored bytes are the packet's, as many as
                 * the row is wide (an SLL address keeps halen of its 8). */
                const uint8_t *got = wp_field_bytes(l, f);
                assert_non_null(got);
                assert_int_equal(f->mask, 0);
                unsigned n = f->width < f->ssize ? f->width : f->ssize;
                if (memcmp(got, p->data + l->off + f->off, n) != 0)
                    fail_msg("%s frame %zu layer %u %s.%s: the stored bytes are not the "
                             "packet's at offset %u",
                             cap, frame + 1, li, pi->name, f->name, f->off);
            }
            t->values++;
            if (l->proto < WP_PROTO_COUNT && k < 32)
                t->seen[l->proto] |= 1u << k;
        }
    }
}

static void test_every_row_read_from_the_bytes_gives_the_decoded_value(void **state)
{
    (void)state;
    char *names[MAX_CAPTURES];
    size_t n = list_captures(names, MAX_CAPTURES);
    assert_true(n >= 10); /* the fixtures are there: this test is not vacuous */
    tally t;
    memset(&t, 0, sizeof t);
    static wp_packet p;
    for (size_t c = 0; c < n; c++) {
        wp_fixture *fx = wp_fixture_load(names[c]);
        for (size_t i = 0; i < fx->n; i++) {
            wp_fixture_decode(fx, i, &p);
            check_packet(&p, names[c], i, &t);
        }
        wp_fixture_free(fx);
        free(names[c]);
    }
    print_message("# %lu field values compared over %zu captures\n", t.values, n);
    assert_true(t.values > 1000);
    /* Every row of every table met at least once: a row no fixture shows
     * would go untested here. */
    char missing[1024] = "";
    size_t used = 0;
    for (unsigned pr = 0; pr < WP_PROTO_COUNT; pr++) {
        const wp_proto_info *pi = wp_proto_get(pr);
        assert_true(pi->nfields <= 32);
        for (size_t k = 0; k < pi->nfields; k++)
            if (pi->fields[k].kind != WP_FK_OPTIONS && !(t.seen[pr] & (1u << k)) &&
                used < sizeof missing)
                used += (size_t)snprintf(missing + used, sizeof missing - used, " %s.%s(row %zu)",
                                         pi->name, pi->fields[k].name, k);
    }
    if (missing[0])
        fail_msg("rows no fixture frame shows:%s", missing);
}

/* The checksum flag is on the row the layer's checksum status belongs to:
 * a layer with a status has exactly one such row, 16 bits wide (32 for
 * SCTP's CRC32c), and a layer kind with none has no flagged row. */
static void test_a_layer_with_a_checksum_status_has_one_checksum_row(void **state)
{
    (void)state;
    unsigned flagged[WP_PROTO_COUNT];
    for (unsigned pr = 0; pr < WP_PROTO_COUNT; pr++) {
        const wp_proto_info *pi = wp_proto_get(pr);
        flagged[pr] = 0;
        for (size_t k = 0; k < pi->nfields; k++)
            if (pi->fields[k].flags & WP_FF_CHECKSUM) {
                flagged[pr]++;
                assert_int_equal(pi->fields[k].width, pr == WP_PROTO_SCTP ? 4 : 2);
                assert_int_equal(pi->fields[k].kind, WP_FK_UINT);
            }
        assert_true(flagged[pr] <= 1);
    }
    char *names[MAX_CAPTURES];
    size_t n = list_captures(names, MAX_CAPTURES);
    unsigned with_status[WP_PROTO_COUNT] = {0};
    static wp_packet p;
    for (size_t c = 0; c < n; c++) {
        wp_fixture *fx = wp_fixture_load(names[c]);
        for (size_t i = 0; i < fx->n; i++) {
            wp_fixture_decode(fx, i, &p);
            for (unsigned li = 0; li < p.nlayers; li++)
                if (p.layers[li].csum != WP_CSUM_NA) {
                    if (!flagged[p.layers[li].proto])
                        fail_msg("%s frame %zu: a %s layer has checksum status %s but its "
                                 "table flags no checksum row",
                                 names[c], i + 1, wp_proto_get(p.layers[li].proto)->name,
                                 wp_csum_name(p.layers[li].csum));
                    with_status[p.layers[li].proto]++;
                }
        }
        wp_fixture_free(fx);
        free(names[c]);
    }
    /* and every flagged table is one the fixtures give a status to */
    for (unsigned pr = 0; pr < WP_PROTO_COUNT; pr++)
        if (flagged[pr] && !with_status[pr])
            fail_msg("%s flags a checksum row but no fixture layer has a status",
                     wp_proto_get(pr)->name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_read_from_the_bytes_gives_the_decoded_value),
        cmocka_unit_test(test_a_layer_with_a_checksum_status_has_one_checksum_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
