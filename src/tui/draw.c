/* Drawing helpers shared by the panes: layer colours, clipped text, box
 * glyphs, boxes, popups and pane separators. */
#include <string.h>

#include "wirepeel/render.h"
#include "tui_int.h"

attr_t wp_tui_layer_attr(const view *v, const wp_packet *p, unsigned layer)
{
    if (layer >= p->nlayers)
        return A_NORMAL;
    int c = wp_render_layer_colour(p, layer);
    if (!v->color) {
        /* without colour: alternate headers underlined, data bold */
        if (c == WP_COLOUR_DATA)
            return A_BOLD;
        if (c == WP_COLOUR_DIM)
            return A_DIM;
        return (c % 2) ? A_UNDERLINE : A_NORMAL;
    }
    attr_t a = COLOR_PAIR(CP_LAYER0 + c);
    if (c == WP_COLOUR_DATA)
        a |= A_BOLD;
    else if (c == WP_COLOUR_DIM)
        a |= A_DIM;
    return a;
}

void wp_tui_put(int y, int x, int maxw, const char *s, attr_t a)
{
    if (maxw <= 0)
        return;
    attron(a);
    mvaddnstr(y, x, s, maxw);
    attroff(a);
}

/* Box glyphs: Unicode line drawing written as text in a UTF-8 locale (not
 * the terminfo alternate character set, which some terminals, tmux under
 * TERM=vt100 among them, show as letters), ASCII otherwise. */
static const char *const glyph_utf8[] = {"\u250c", "\u2510", "\u2514", "\u2518", "\u2500",
                                         "\u2502"};
static const char *const glyph_ascii[] = {"+", "+", "+", "+", "-", "|"};

void wp_tui_glyph(const view *v, int y, int x, int g)
{
    mvaddstr(y, x, (v->utf8 ? glyph_utf8 : glyph_ascii)[g]);
}

void wp_tui_hline(const view *v, int y, int x, int n)
{
    for (int i = 0; i < n; i++)
        wp_tui_glyph(v, y, x + i, G_H);
}

void wp_tui_box(const view *v, const wp_litem *it, int top, int y0, int rows, int maxx, attr_t a)
{
    int x1 = it->x + it->w - 1;
    if (x1 >= maxx)
        x1 = maxx - 1;
    attron(a);
    for (int r = it->y; r < it->y + it->h; r++) {
        int sy = r - top;
        if (sy < 0 || sy >= rows)
            continue;
        sy += y0;
        if (r == it->y || r == it->y + it->h - 1) {
            int first = r == it->y;
            wp_tui_glyph(v, sy, it->x, first ? G_UL : G_LL);
            wp_tui_hline(v, sy, it->x + 1, x1 - it->x - 1);
            wp_tui_glyph(v, sy, x1, first ? G_UR : G_LR);
            if (first) {
                attron(A_BOLD);
                mvaddnstr(sy, it->x + 2, it->text, x1 - it->x - 3);
                attroff(A_BOLD);
            }
        } else {
            wp_tui_glyph(v, sy, it->x, G_V);
            wp_tui_glyph(v, sy, x1, G_V);
        }
    }
    attroff(a);
}

void wp_tui_popup(const view *v, const char *title, const char *text, int lines, int cols)
{
    int w = cols - 4 > 100 ? 100 : cols - 4;
    int room = w - 4;
    int h = 2;
    if (room < 10)
        return;
    /* as tall as the text once wrapped, if it can */
    for (const char *q = text; *q;) {
        const char *nl = strchr(q, '\n');
        size_t len = nl ? (size_t)(nl - q) : strlen(q);
        h += len == 0 ? 1 : (int)((len + (size_t)room - 1) / (size_t)room);
        q += len + (nl ? 1 : 0);
    }
    if (h > lines - 2)
        h = lines - 2;
    if (w < 20 || h < 3)
        return;
    int x0 = (cols - w) / 2, y0 = 1;
    for (int r = 0; r < h; r++)
        mvhline(y0 + r, x0, ' ', w);
    wp_litem box;
    memset(&box, 0, sizeof box);
    box.kind = WP_LI_BOX;
    box.x = x0;
    box.w = w;
    box.h = h;
    snprintf(box.text, sizeof box.text, " %s ", title);
    wp_tui_box(v, &box, -y0, 0, lines, cols, v->color ? COLOR_PAIR(CP_LAYER0) : A_NORMAL);
    int y = y0 + 1;
    const char *p = text;
    while (*p && y < y0 + h - 1) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t take = len < (size_t)room ? len : (size_t)room;
        mvaddnstr(y++, x0 + 2, p, (int)take);
        p += take;
        if (take == len && nl)
            p++;
    }
    if (*p && h >= 3) /* more than fits: say so on the bottom line */
        wp_tui_put(y0 + h - 1, x0 + w - 12, 10, " more... ", A_BOLD);
}

void wp_tui_separator(const view *v, int y, int cols, const char *label, int active)
{
    attron(A_DIM);
    wp_tui_hline(v, y, 0, cols);
    attroff(A_DIM);
    char lab[64];
    snprintf(lab, sizeof lab, "%s %s ", active ? "[*]" : "[ ]", label);
    wp_tui_put(y, 1, cols - 1, lab, active ? A_BOLD : A_DIM);
}
