/* The layered pane as a bit diagram (key d): the RFC diagram of the layer
 * the selected field belongs to (the text of -o diagram, src/render/
 * diagram_text.c), with the selected field's own bits lit: IHL lights the
 * columns of bits 4-7 of the row at byte 14 and those bits of the ruler, not
 * the whole byte; an option lights its line. The hex pane lights the
 * field's bytes as it always does. */
#include <stdlib.h>
#include <string.h>

#include "wirepeel/diagram.h"
#include "tui_int.h"

#define DIAG_BUF (64u << 10)
#define DIAG_LINES 512
#define GUTTER 6 /* the text diagram's offset gutter */

/* Line text of line k: start and length in buf, lines split at '\n'. */
static const char *nth_line(const char *buf, size_t k, size_t *len)
{
    const char *p = buf;
    for (size_t i = 0; i < k && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p) {
        *len = 0;
        return "";
    }
    const char *e = strchr(p, '\n');
    *len = e ? (size_t)(e - p) : strlen(p);
    return p;
}

/* Draw line s[0..n) at row y, column by column (one code point a column),
 * columns [c0, c1) in the highlight; other columns in base. */
static void put_cols(const view *v, int y, int cols, const char *s, size_t n, int c0, int c1,
                     attr_t base)
{
    int col = 0;
    for (size_t i = 0; i < n && col < cols;) {
        size_t k = 1;
        while (i + k < n && ((unsigned char)s[i + k] & 0xc0u) == 0x80u)
            k++;
        attr_t a = col >= c0 && col < c1 ? (A_REVERSE | A_BOLD) : base;
        attron(a);
        if (k > 1 && !v->utf8)
            mvaddch(y, col, 'x'); /* the × of derived values, in a non-UTF-8 terminal */
        else
            mvaddnstr(y, col, s + i, (int)k);
        attroff(a);
        i += k;
        col++;
    }
}

void wp_pane_diagram_draw(view *v, int y0, int rows, int cols)
{
    if (rows <= 0)
        return;
    if (v->cur == SIZE_MAX || v->lo.nfields == 0 || v->field >= v->lo.nfields) {
        wp_tui_put(y0, 0, cols, "(no header selected)", A_DIM);
        return;
    }
    const wp_lfield *lf = &v->lo.fields[v->field];
    char *buf = malloc(DIAG_BUF);
    wp_diag_line *map = malloc(sizeof *map * DIAG_LINES);
    if (!buf || !map) {
        free(buf);
        free(map);
        wp_tui_put(y0, 0, cols, "(out of memory for the diagram)", A_DIM);
        return;
    }
    wp_sink s;
    wp_sink_init_mem(&s, buf, DIAG_BUF);
    size_t n = wp_diag_text_map(&s, &v->pkt, lf->layer, 0, map, DIAG_LINES);
    if (n > DIAG_LINES)
        n = DIAG_LINES;

    /* the selection: a field's bits, one option's line, or every option line */
    uint32_t sb = 0, sn = 0;
    int all_opts = 0;
    if (lf->opt < 0 && lf->f) {
        if (lf->f->kind == WP_FK_OPTIONS)
            all_opts = 1;
        else
            wp_diag_field_bits(lf->f, &sb, &sn);
    }
    int lit = -1; /* the first line lit: kept in sight */
    for (size_t k = 0; k < n && lit < 0; k++) {
        int32_t r = map[k].row;
        if ((sn && r >= 0 && (uint32_t)r == sb / 32u) || (lf->opt >= 0 && map[k].opt == lf->opt) ||
            (all_opts && map[k].var))
            lit = (int)k;
    }
    int top = 0;
    if (lit >= rows - 1)
        top = lit - rows / 2;
    if (top > (int)n - rows)
        top = (int)n - rows;
    if (top < 0)
        top = 0;

    attr_t base = wp_tui_layer_attr(v, &v->pkt, lf->layer);
    for (int r = 0; r < rows && (size_t)(top + r) < n; r++) {
        size_t k = (size_t)(top + r), len;
        const char *line = nth_line(buf, k, &len);
        int c0 = 0, c1 = 0;
        if (k == 1 || k == 2) {
            /* the ruler: the selected bits of their first row */
            if (sn) {
                uint32_t b0 = sb % 32u, b1 = b0 + sn < 32u ? b0 + sn : 32u;
                c0 = GUTTER + 1 + 2 * (int)b0;
                c1 = GUTTER + 2 * (int)b1;
            }
        } else if (sn && map[k].row >= 0) {
            uint32_t rs = (uint32_t)map[k].row * 32u, re = rs + 32u;
            uint32_t a = sb > rs ? sb : rs, b = sb + sn < re ? sb + sn : re;
            if (a < b) {
                c0 = GUTTER + 1 + 2 * (int)(a - rs);
                c1 = GUTTER + 2 * (int)(b - rs);
            }
        } else if ((lf->opt >= 0 && map[k].opt == lf->opt) || (all_opts && map[k].var)) {
            c0 = GUTTER + 1;
            c1 = GUTTER + 64;
        }
        put_cols(v, y0 + r, cols, line, len, c0, c1, k == 0 ? base | A_BOLD : A_NORMAL);
    }
    free(buf);
    free(map);
}
