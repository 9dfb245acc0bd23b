/* The layered pane: the selected packet's boxes, one inside the other, with
 * the selected field highlighted; the titles of boxes scrolled past stay
 * pinned at the top so the nesting is always in sight. */
#include <string.h>

#include "tui_int.h"

#define MAX_PINNED 16

/* The boxes whose title rows are pinned at the top of the pane when it is
 * scrolled to canvas row top: every box that began above the rows shown
 * and still goes on below its pinned row, outermost first. Returns how many
 * (their item indexes in pin[]). */
static int pinned_boxes(const wp_layout *lo, int top, int *pin)
{
    int k = 0;
    if (top <= 0)
        return 0;
    for (int i = 0; i < lo->nitems && k < MAX_PINNED; i++) {
        const wp_litem *it = &lo->items[i];
        if (it->kind != WP_LI_BOX)
            continue;
        if (it->y < top + k && it->y + it->h - 1 > top + k)
            pin[k++] = i;
    }
    return k;
}

/* Scroll so the selected field's row is in sight below the pinned titles
 * of the boxes around it. */
static void scroll_layers(view *v, int rows)
{
    const wp_layout *lo = &v->lo;
    int pin[MAX_PINNED];
    int s = v->lscroll;
    if (lo->nfields > 0 && v->field < lo->nfields) {
        int fy = lo->fields[v->field].y;
        if (fy >= s + rows)
            s = fy - rows + 1;
        if (fy < s)
            s = fy;
        for (int guard = 0; guard < 4 * MAX_PINNED && s > 0; guard++) {
            if (fy >= s + pinned_boxes(lo, s, pin))
                break;
            s--;
        }
    }
    if (s > lo->height - rows)
        s = lo->height - rows;
    if (s < 0)
        s = 0;
    v->lscroll = s;
}

void wp_pane_layers_draw(view *v, int y0, int rows, int cols)
{
    const wp_layout *lo = &v->lo;
    const wp_packet *p = &v->pkt;
    if (rows <= 0)
        return;
    scroll_layers(v, rows);
    for (int i = 0; i < lo->nitems; i++) {
        const wp_litem *it = &lo->items[i];
        if (it->kind == WP_LI_BOX) {
            wp_tui_box(v, it, v->lscroll, y0, rows, cols, wp_tui_layer_attr(v, p, it->layer));
            continue;
        }
        int sy = it->y - v->lscroll;
        if (sy < 0 || sy >= rows)
            continue;
        attr_t a = A_NORMAL;
        switch (it->attr) {
        case WP_LA_NAME:
            a = v->color ? wp_tui_layer_attr(v, p, it->layer) : A_NORMAL;
            break;
        case WP_LA_VALUE:
            a = A_BOLD;
            break;
        case WP_LA_RANGE:
            a = v->color ? COLOR_PAIR(CP_RANGE) : A_DIM;
            break;
        case WP_LA_EVENT:
            a = (v->color ? COLOR_PAIR(CP_EVENT) : A_NORMAL) | A_BOLD;
            break;
        case WP_LA_DATA:
            a = wp_tui_layer_attr(v, p, it->layer);
            break;
        default:
            break;
        }
        if (it->field >= 0 && it->field == v->field)
            a = A_REVERSE | A_BOLD;
        wp_tui_put(sy + y0, it->x, cols - it->x, it->text, a);
    }
    /* The title rows of the boxes scrolled past stay at the top, so the
     * nesting is always in sight. */
    int pin[MAX_PINNED];
    int np = pinned_boxes(lo, v->lscroll, pin);
    for (int j = 0; j < np && j < rows; j++) {
        move(y0 + j, 0);
        clrtoeol();
        for (int i = 0; i < j; i++) {
            const wp_litem *o = &lo->items[pin[i]];
            int x1 = o->x + o->w - 1 < cols ? o->x + o->w - 1 : cols - 1;
            attr_t a = wp_tui_layer_attr(v, p, o->layer);
            attron(a);
            wp_tui_glyph(v, y0 + j, o->x, G_V);
            wp_tui_glyph(v, y0 + j, x1, G_V);
            attroff(a);
        }
        wp_litem t = lo->items[pin[j]];
        t.y = v->lscroll + j;
        t.h = 1;
        wp_tui_box(v, &t, v->lscroll, y0, rows, cols, wp_tui_layer_attr(v, p, t.layer));
    }
    if (lo->nitems == 0)
        wp_tui_put(y0, 0, cols, v->mem || v->ix.done || v->ix.failed ? "(no packets)" : "(reading...)",
                   A_DIM);
}
