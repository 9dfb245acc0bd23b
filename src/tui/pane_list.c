/* The packet list: a heading, then a row per listed packet (its number in
 * the capture, the time in the chosen form, source, destination, protocol
 * and info); rows with an event in the warning colour, a cut row ends in
 * '>'. */
#include <stdio.h>
#include <string.h>

#include "tui_int.h"

void wp_pane_list_draw(view *v, int y0, int rows, int cols)
{
    wp_tmodel *m = &v->m;
    size_t n = wp_tmodel_visible(m);
    if (rows <= 0)
        return;
    uint64_t maxnum = m->ix ? (m->ix->n ? m->ix->num[m->ix->n - 1] : 1) : m->total;
    char nb[24];
    int numw = snprintf(nb, sizeof nb, "%llu", (unsigned long long)maxnum);
    if (numw < 3)
        numw = 3;
    size_t body = rows > 1 ? (size_t)(rows - 1) : 0;
    size_t top = wp_tmodel_scroll(m, body);
    /* a row may widen a column: then the rows above it are drawn again */
    for (int pass = 0; pass < 2; pass++) {
        int w0[3] = {m->colw[0], m->colw[1], m->colw[2]};
        for (size_t r = 0; r < body; r++) {
            size_t i = top + r;
            if (i >= n)
                break;
            char line[512];
            wp_tmodel_row(m, i, &v->rowpkt, numw, cols, 1, line, sizeof line);
            if (!line[0])
                break;
            attr_t a = A_NORMAL;
            size_t partner;
            const wp_flow_ann *an = wp_tmodel_ann(m, i);
            if (v->rowpkt.nevents || wp_tmodel_pairing(m, i, &partner) == 2 ||
                (an && an->analysis))
                a = v->color ? COLOR_PAIR(CP_EVENT) : A_BOLD;
            int y = y0 + 1 + (int)r;
            move(y, 0);
            clrtoeol();
            if (i == m->sel) {
                a = A_REVERSE | (v->pane == WP_PANE_LIST ? A_BOLD : 0);
                attron(a);
                mvhline(y, 0, ' ', cols);
                attroff(a);
            }
            wp_tui_put(y, 0, cols, line, a);
        }
        if (memcmp(w0, m->colw, sizeof w0) == 0)
            break;
    }
    /* the heading last: its columns as wide as the rows just made them
     * (model.c, wp_tmodel_row) */
    char head[256];
    int tw = m->tmode == WP_TT_ABS ? 15 : 8;
    snprintf(head, sizeof head, "%*s %-*s %-*s -> %-*s %-*s Info", numw, "No.", tw,
             wp_ttime_heading(m->tmode), m->colw[0], "Source", m->colw[1], "Destination",
             m->colw[2], "Proto");
    wp_tcut(head, cols);
    wp_tui_put(y0, 0, cols, head, A_BOLD | A_UNDERLINE);
    if (n == 0)
        wp_tui_put(y0 + 1, 0, cols,
                   m->ix && !m->ix->done && !m->ix->failed ? "(reading...)"
                   : v->filter[0]                           ? "(no packet matches the filter)"
                                                            : "(no packets yet)",
                   A_DIM);
}
