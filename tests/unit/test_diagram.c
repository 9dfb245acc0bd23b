/* The header-diagram model (src/render/diagram.c) and its text form: every
 * cell's bits are the field table's offset, width and mask (checked bit by
 * bit here, not through the model's own arithmetic), the cells tile each
 * header, flags split into their bits, cut headers are marked missing, and
 * every text line fits 80 columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/diagram.h"

#define OUT_CAP (1u << 20)

/* Calls fn for every frame of every capture in the fixture directory;
 * returns the number of frames seen. */
static size_t each_fixture_frame(void (*fn)(const wp_packet *p, const char *name, size_t i))
{
    const char *dir = getenv("WP_CAPTURES");
    if (!dir)
        dir = "captures";
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *de;
    size_t frames = 0;
    static wp_packet p;
    while ((de = readdir(dh)) != NULL) {
        size_t nl = strlen(de->d_name);
        int pcap = nl > 5 && strcmp(de->d_name + nl - 5, ".pcap") == 0;
        int pcapng = nl > 7 && strcmp(de->d_name + nl - 7, ".pcapng") == 0;
        if (!pcap && !pcapng)
            continue;
        wp_fixture *fx = wp_fixture_load(de->d_name);
        for (size_t i = 0; i < fx->n; i++) {
            wp_fixture_decode(fx, i, &p);
            fn(&p, de->d_name, i);
            frames++;
        }
        wp_fixture_free(fx);
    }
    closedir(dh);
    return frames;
}

/* Whether bit i (0 = the MSB) of field f's bytes is one of f's bits. */
static int field_has_bit(const wp_field *f, uint32_t i)
{
    uint32_t w = (uint32_t)f->width * 8u;
    if (f->mask == 0)
        return i < w;
    return i < w && ((f->mask >> (w - 1u - i)) & 1u) != 0;
}

static size_t cells_checked;

static void check_cells(const wp_packet *p, const char *name, size_t fi)
{
    for (unsigned li = 0; li < p->nlayers; li++) {
        wp_diag d;
        const wp_layer *l = &p->layers[li];
        if (wp_diag_build(p, li, &d) != 0) {
            assert_true(l->proto >= WP_PROTO_PAYLOAD || wp_proto_get(l->proto)->nfields == 0);
            continue;
        }
        assert_int_equal(d.overflow, 0);
        uint32_t at = 0;
        for (unsigned k = 0; k < d.ncells; k++) {
            const wp_diag_cell *c = &d.cells[k];
            /* the cells tile the header: no hole, no overlap */
            if (c->bit != at)
                fail_msg("%s frame %zu layer %u: cell %u starts at bit %u, not %u", name, fi + 1,
                         li, k, c->bit, at);
            at = c->bit + c->nbits;
            assert_true(c->nbits > 0);
            if (c->kind == WP_DC_FIELD) {
                /* every bit of the field's bytes is in the cell exactly when
                 * the mask has it */
                const wp_field *f = c->f;
                for (uint32_t i = 0; i < (uint32_t)f->width * 8u; i++) {
                    uint32_t b = (uint32_t)f->off * 8u + i;
                    int in_cell = b >= c->bit && b < c->bit + c->nbits;
                    if (in_cell != field_has_bit(f, i))
                        fail_msg("%s frame %zu %s.%s: bit %u of its bytes %s the cell", name,
                                 fi + 1, d.info->name, f->name, i,
                                 in_cell ? "wrongly in" : "missing from");
                }
                /* the span and mask the view and the HTML tooltip use */
                uint32_t off, len;
                wp_diag_cell_span(&d, c, &off, &len);
                assert_true(off >= l->off + f->off);
                assert_true(off + len <= l->off + f->off + f->width);
                cells_checked++;
            } else if (c->kind == WP_DC_BIT) {
                const wp_field *f = c->f;
                uint32_t w = (uint32_t)f->width * 8u;
                assert_int_equal(c->nbits, 1);
                assert_int_equal(c->bit, (uint32_t)f->off * 8u + w - 1u - c->bitno);
                assert_true(field_has_bit(f, w - 1u - c->bitno));
                cells_checked++;
            } else if (c->kind == WP_DC_REST) {
                const wp_field *f = c->f;
                for (uint32_t b = c->bit; b < c->bit + c->nbits; b++)
                    assert_true(field_has_bit(f, b - (uint32_t)f->off * 8u));
            } else if (c->kind == WP_DC_VAR) {
                assert_int_equal(c->bit, (uint32_t)c->f->off * 8u);
                assert_int_equal(c->bit + c->nbits, l->hdr_len * 8u);
            }
            /* a cell is missing exactly when its last byte was not captured */
            uint32_t end = l->avail_end && l->avail_end < p->caplen ? l->avail_end : p->caplen;
            uint32_t last = l->off + (c->bit + c->nbits - 1u) / 8u;
            assert_int_equal(c->missing, last >= end);
        }
        assert_int_equal(at, d.nbits);
    }
}

static void test_every_cell_has_its_field_tables_bits_on_every_fixture(void **state)
{
    (void)state;
    cells_checked = 0;
    size_t n = each_fixture_frame(check_cells);
    assert_true(n > 50);
    assert_true(cells_checked > 1000);
}

static void test_every_field_table_mask_is_one_run_of_bits(void **state)
{
    (void)state;
    for (unsigned pr = 1; pr < WP_PROTO_PAYLOAD; pr++) {
        const wp_proto_info *pi = wp_proto_get(pr);
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (f->mask == 0)
                continue;
            uint32_t m = f->mask >> __builtin_ctz(f->mask);
            if ((m & (m + 1u)) != 0)
                fail_msg("%s.%s: mask 0x%x is not one run", pi->name, f->name, f->mask);
            assert_true(f->width <= 4);
            assert_true(f->mask <= (f->width == 4 ? 0xffffffffu : (1u << (f->width * 8)) - 1u));
        }
    }
}

static const wp_diag_cell *cell_named(const wp_diag *d, const char *name)
{
    for (unsigned k = 0; k < d->ncells; k++) {
        const wp_diag_cell *c = &d->cells[k];
        if (c->kind == WP_DC_FIELD && strcmp(c->f->name, name) == 0)
            return c;
        if (c->kind == WP_DC_BIT && strcmp(c->label, name) == 0)
            return c;
    }
    fail_msg("no cell %s", name);
    return NULL;
}

static unsigned layer_index(const wp_packet *p, unsigned proto)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].proto == proto)
            return i;
    fail_msg("no layer of proto %u", proto);
    return 0;
}

static void test_ipv4_ihl_is_bits_4_to_7_of_byte_14(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("course-udp-ping.pcap");
    wp_fixture_decode(fx, 0, &p);
    wp_diag d;
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_IPV4), &d), 0);
    const wp_diag_cell *c = cell_named(&d, "ihl");
    assert_int_equal(c->bit, 4);
    assert_int_equal(c->nbits, 4);
    uint32_t off, len;
    wp_diag_cell_span(&d, c, &off, &len);
    assert_int_equal(off, 14);
    assert_int_equal(len, 1);
    assert_int_equal(wp_diag_cell_mask(&d, c), 0x0f);
    char v[64];
    assert_int_equal(wp_diag_cell_value(&d, c, 7, v, sizeof v), 1);
    assert_string_equal(v, "5 \xc3\x97" "4=20");
    /* too narrow for the arithmetic: the raw value, marked shortened */
    assert_int_equal(wp_diag_cell_value(&d, c, 3, v, sizeof v), 0);
    assert_string_equal(v, "5");
    /* flags: the reserved bit, DF and MF in their own cells */
    c = cell_named(&d, "df");
    assert_int_equal(c->bit, 49);
    assert_int_equal(cell_named(&d, "mf")->bit, 50);
    assert_int_equal(d.cells[wp_diag_cell_at(&d, 48)].kind, WP_DC_REST);
    assert_int_equal(cell_named(&d, "frag_offset")->bit, 51);
    assert_int_equal(cell_named(&d, "frag_offset")->nbits, 13);
    wp_fixture_free(fx);
}

static void test_tcp_flags_split_into_one_cell_per_named_bit(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_fixture_decode(fx, 0, &p); /* the SYN */
    wp_diag d;
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_TCP), &d), 0);
    static const char *const names[] = {"AE", "CWR", "ECE", "URG", "ACK",
                                        "PSH", "RST", "SYN", "FIN"};
    for (unsigned i = 0; i < 9; i++) {
        const wp_diag_cell *c = cell_named(&d, names[i]);
        assert_int_equal(c->bit, 12 * 8 + 7 + i);
        char v[8];
        wp_diag_cell_value(&d, c, 1, v, sizeof v);
        assert_string_equal(v, strcmp(names[i], "SYN") == 0 ? "1" : "0");
    }
    const wp_diag_cell *rsv = &d.cells[wp_diag_cell_at(&d, 100)];
    assert_int_equal(rsv->kind, WP_DC_REST);
    assert_int_equal(rsv->bit, 100);
    assert_int_equal(rsv->nbits, 3);
    assert_int_equal(cell_named(&d, "data_offset")->bit, 96);
    assert_int_equal(cell_named(&d, "data_offset")->nbits, 4);
    wp_fixture_free(fx);
}

static void test_cut_tcp_header_marks_the_uncaptured_options_missing(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("snaplen-64.pcap");
    wp_fixture_decode(fx, 1, &p);
    wp_diag d;
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_TCP), &d), 0);
    assert_true(d.cap_bits < d.nbits);
    const wp_diag_cell *var = &d.cells[d.ncells - 1];
    assert_int_equal(var->kind, WP_DC_VAR);
    assert_int_equal(var->missing, 1);
    assert_int_equal(cell_named(&d, "urgent")->missing, 0);
    char text[8192];
    wp_sink s;
    wp_sink_init_mem(&s, text, sizeof text);
    wp_diag_text_layer(&s, &p, layer_index(&p, WP_PROTO_TCP), 0);
    assert_int_equal(s.err, 0);
    assert_non_null(strstr(text, "missing: bytes 64..65 not captured"));
    char v[16];
    assert_int_equal(wp_diag_cell_value(&d, var, 15, v, sizeof v), -1);
    assert_string_equal(v, "missing");
    wp_fixture_free(fx);
}

static size_t long_lines, lines_seen;

static void check_text_width(const wp_packet *p, const char *name, size_t fi)
{
    static char out[1u << 18];
    wp_sink s;
    wp_sink_init_mem(&s, out, sizeof out);
    wp_render(&s, WP_OUT_DIAGRAM, p, fi + 1, NULL);
    assert_int_equal(s.err, 0);
    for (char *line = out; *line;) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        *nl = '\0';
        if (wp_diag_cols(line) > 80) {
            long_lines++;
            print_message("%s frame %zu: %zu columns: %s\n", name, fi + 1, wp_diag_cols(line),
                          line);
        }
        lines_seen++;
        line = nl + 1;
    }
}

static void test_no_text_diagram_line_exceeds_80_columns(void **state)
{
    (void)state;
    long_lines = lines_seen = 0;
    each_fixture_frame(check_text_width);
    assert_true(lines_seen > 1000);
    assert_int_equal(long_lines, 0);
}

static void test_ipv4_text_diagram_puts_each_value_in_its_rfc_cell(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("course-udp-ping.pcap");
    wp_fixture_decode(fx, 0, &p);
    char text[8192];
    wp_sink s;
    wp_sink_init_mem(&s, text, sizeof text);
    wp_diag_text_layer(&s, &p, layer_index(&p, WP_PROTO_IPV4), 0);
    assert_int_equal(s.err, 0);
    assert_non_null(strstr(text, "       0                   1                   2                   3\n"));
    assert_non_null(strstr(text, "   14 |Version|  IHL  |   DSCP    |ECN|         Total length          |\n"));
    assert_non_null(strstr(text, "      |   4   |5 \xc3\x97" "4=20|     0     | 0 |              40               |\n"));
    assert_non_null(strstr(text, "   26 |                        Source address                         |\n"));
    assert_non_null(strstr(text, "127.0.0.1"));

    /* --blank: the same cells, no values */
    wp_sink_init_mem(&s, text, sizeof text);
    wp_diag_text_layer(&s, &p, layer_index(&p, WP_PROTO_IPV4), 1);
    assert_non_null(strstr(text, "|Version|  IHL  |"));
    assert_null(strstr(text, "127.0.0.1"));
    assert_null(strstr(text, "4=20"));
    wp_fixture_free(fx);
}

static void test_format_names_parse_and_unknown_is_refused(void **state)
{
    (void)state;
    assert_int_equal(wp_diag_format_parse("svg"), WP_DIAG_SVG);
    assert_int_equal(wp_diag_format_parse("md"), WP_DIAG_MD);
    assert_int_equal(wp_diag_format_parse("pdf"), -1);
    assert_int_equal(wp_diag_format_parse(NULL), -1);
    assert_int_equal(wp_output_parse("diagram"), WP_OUT_DIAGRAM);
}

static void test_data_layer_and_bad_index_build_nothing(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("course-udp-ping.pcap");
    wp_fixture_decode(fx, 0, &p);
    wp_diag d;
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_PAYLOAD), &d), -1);
    assert_int_equal(d.ncells, 0);
    assert_int_equal(wp_diag_build(&p, p.nlayers, &d), -1);
    wp_fixture_free(fx);
}


/* Columns [c0, c1) of UTF-8 line (one code point a column) into out. */
static void cols_of(const char *line, size_t len, int c0, int c1, char *out, size_t n)
{
    size_t o = 0;
    int col = 0;
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        int lead = ((unsigned char)line[i] & 0xc0u) != 0x80u;
        if (lead && i > 0)
            col++;
        if (col >= c0 && col < c1)
            out[o++] = line[i];
    }
    out[o] = '\0';
}

/* Line k of text (lines split at '\n'): its start, length in *len. */
static const char *line_at(const char *text, size_t k, size_t *len)
{
    const char *p = text;
    for (size_t i = 0; i < k; i++)
        p = strchr(p, '\n') + 1;
    *len = (size_t)(strchr(p, '\n') - p);
    return p;
}

static void test_view_lights_ihl_bits_4_to_7_in_its_row_and_the_ruler_only(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("course-udp-ping.pcap");
    wp_fixture_decode(fx, 0, &p);
    char text[8192];
    wp_diag_line map[64];
    wp_sink s;
    wp_sink_init_mem(&s, text, sizeof text);
    unsigned li = layer_index(&p, WP_PROTO_IPV4);
    size_t n = wp_diag_text_map(&s, &p, li, 0, map, 64);
    assert_true(n > 10 && n < 64);
    wp_diag d;
    wp_diag_build(&p, li, &d);
    wp_diag_sel sel = wp_diag_sel_of(cell_named(&d, "ihl")->f, -1);
    assert_int_equal(sel.bit, 4);
    assert_int_equal(sel.nbits, 4);
    unsigned lit = 0;
    for (size_t k = 0; k < n; k++) {
        int c0, c1;
        if (!wp_diag_lit_cols(&map[k], &sel, &c0, &c1))
            continue;
        lit++;
        assert_int_equal(c0, 15);
        assert_int_equal(c1, 22);
        size_t len;
        const char *line = line_at(text, k, &len);
        char got[64];
        cols_of(line, len, c0, c1, got, sizeof got);
        if (map[k].ruler) {
            assert_true(strcmp(got, "4 5 6 7") == 0 || strcmp(got, "       ") == 0);
        } else {
            assert_int_equal(map[k].row, 0);
            assert_true(strcmp(got, "  IHL  ") == 0 || strcmp(got, "5 \xc3\x97" "4=20") == 0);
        }
    }
    assert_int_equal(lit, 4); /* two ruler lines, the name and the value */
    wp_fixture_free(fx);
}

static void test_view_lights_one_option_line(void **state)
{
    (void)state;
    static wp_packet p;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_fixture_decode(fx, 0, &p);
    char text[8192];
    wp_diag_line map[64];
    wp_sink s;
    wp_sink_init_mem(&s, text, sizeof text);
    unsigned li = layer_index(&p, WP_PROTO_TCP);
    size_t n = wp_diag_text_map(&s, &p, li, 0, map, 64);
    const wp_layer *l = &p.layers[li];
    assert_true(l->opt_count == 5);
    wp_diag_sel sel = wp_diag_sel_of(NULL, l->opt_first); /* mss */
    unsigned lit = 0;
    for (size_t k = 0; k < n; k++) {
        int c0, c1;
        if (!wp_diag_lit_cols(&map[k], &sel, &c0, &c1))
            continue;
        lit++;
        size_t len;
        const char *line = line_at(text, k, &len);
        assert_memory_equal(line, "   54 : mss (kind 2, len 4) 1460", 32);
    }
    assert_int_equal(lit, 1);
    wp_fixture_free(fx);
}

static void test_cell_label_is_title_then_its_head_then_abbreviation_then_name(void **state)
{
    (void)state;
    static wp_packet p;
    char b[64];
    wp_fixture *fx = wp_fixture_load("ipv6-ext.pcap");
    wp_fixture_decode(fx, 3, &p); /* the fragment header */
    wp_diag d;
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_IPV6_FRAG), &d), 0);
    const wp_diag_cell *off = cell_named(&d, "offset"); /* "Fragment offset (8-byte units)" */
    assert_int_equal(wp_diag_cell_label(off, 25, b, sizeof b), 1);
    assert_string_equal(b, "Fragment offset");
    assert_int_equal(wp_diag_cell_label(off, 40, b, sizeof b), 1);
    assert_string_equal(b, "Fragment offset (8-byte units)");
    assert_int_equal(wp_diag_cell_label(cell_named(&d, "m"), 1, b, sizeof b), 1);
    assert_string_equal(b, "m");
    wp_fixture_decode(fx, 0, &p); /* hop-by-hop */
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_IPV6_HOPOPTS), &d), 0);
    /* a remark with spaces is no abbreviation: the name */
    assert_int_equal(wp_diag_cell_label(cell_named(&d, "hdr_ext_len"), 15, b, sizeof b), 1);
    assert_string_equal(b, "hdr_ext_len");
    assert_int_equal(wp_diag_cell_label(cell_named(&d, "hdr_ext_len"), 5, b, sizeof b), 0);
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_IPV6), &d), 0);
    assert_int_equal(wp_diag_cell_label(cell_named(&d, "tclass"), 15, b, sizeof b), 1);
    assert_string_equal(b, "Traffic class");
    wp_fixture_free(fx);
    fx = wp_fixture_load("course-udp-ping.pcap");
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(wp_diag_build(&p, layer_index(&p, WP_PROTO_IPV4), &d), 0);
    assert_int_equal(wp_diag_cell_label(cell_named(&d, "ihl"), 7, b, sizeof b), 1);
    assert_string_equal(b, "IHL"); /* "Header length (IHL)" */
    wp_fixture_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_cell_has_its_field_tables_bits_on_every_fixture),
        cmocka_unit_test(test_every_field_table_mask_is_one_run_of_bits),
        cmocka_unit_test(test_ipv4_ihl_is_bits_4_to_7_of_byte_14),
        cmocka_unit_test(test_tcp_flags_split_into_one_cell_per_named_bit),
        cmocka_unit_test(test_cut_tcp_header_marks_the_uncaptured_options_missing),
        cmocka_unit_test(test_no_text_diagram_line_exceeds_80_columns),
        cmocka_unit_test(test_ipv4_text_diagram_puts_each_value_in_its_rfc_cell),
        cmocka_unit_test(test_format_names_parse_and_unknown_is_refused),
        cmocka_unit_test(test_data_layer_and_bad_index_build_nothing),
        cmocka_unit_test(test_view_lights_ihl_bits_4_to_7_in_its_row_and_the_ruler_only),
        cmocka_unit_test(test_view_lights_one_option_line),
        cmocka_unit_test(test_cell_label_is_title_then_its_head_then_abbreviation_then_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
