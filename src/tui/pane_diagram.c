/* The layered pane as a bit diagram (key d): the RFC diagram of the layer
 * the selected field belongs to (the text of -o diagram, src/render/
 * diagram_text.c), with the selected field's own bits lit: IHL lights the
 * columns of bits 4-7 of the row at byte 14 and those bits of the ruler, not
 * the whole byte; an option lights its line. Which columns is the diagram
 * module's (wp_diag_lit_cols, unit-tested); this file only paints. The hex
 * pane lights the field's bytes as it always does. */
#include <stdlib.h>
#include <string.h>

#include "wirepeel/diagram.h"
#include "tui_int.h"

#define DIAG_BUF (64u << 10)
#define DIAG_LINES 512

/* Draw line s[0..n) at row y, one code point a column, columns [c0, c1) lit
 * and the others in base; a line wider than the pane ends in '>'. */
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
        if (col == cols - 1 && i + k < n)
            mvaddch(y, col, '>'); /* cut: say so */
        else if (k > 1 && !v->utf8)
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
    wp_diag_sel sel = wp_diag_sel_of(lf->f, lf->opt);

    /* keep the first lit line below the rulers in sight */
    int lit = -1, c0, c1;
    for (size_t k = 0; k < n && lit < 0; k++)
        if (!map[k].ruler && wp_diag_lit_cols(&map[k], &sel, &c0, &c1))
            lit = (int)k;
    int top = lit >= rows - 1 ? lit - rows / 2 : 0;
    if (top > (int)n - rows)
        top = (int)n - rows;
    if (top < 0)
        top = 0;

    attr_t title = wp_tui_layer_attr(v, &v->pkt, lf->layer) | A_BOLD;
    const char *line = buf;
    for (size_t k = 0; k < n && *line; k++) {
        const char *e = strchr(line, '\n');
        size_t len = e ? (size_t)(e - line) : strlen(line);
        int r = (int)k - top;
        if (r >= rows)
            break;
        if (r >= 0) {
            if (!wp_diag_lit_cols(&map[k], &sel, &c0, &c1))
                c0 = c1 = 0;
            put_cols(v, y0 + r, cols, line, len, c0, c1, k == 0 ? title : A_NORMAL);
        }
        line = e ? e + 1 : line + len;
    }
    free(buf);
    free(map);
}
