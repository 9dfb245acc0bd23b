/* The hex pane: offset, hex and text of the selected packet, each byte in
 * its layer's colour (the colours of -o hex --color), the selected field's
 * bytes reversed; its legend sits on the pane's separator. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "tui_int.h"

void wp_pane_hex_legend(view *v, int y, int x, int cols)
{
    const wp_packet *p = &v->pkt;
    if (v->cur == SIZE_MAX)
        return;
    for (unsigned i = 0; i < p->nlayers && x + 1 < cols; i++) {
        const char *nm = wp_proto_get(p->layers[i].proto)->short_name;
        if (x + 1 + (int)strlen(nm) >= cols) { /* no room for the name: say there is more */
            wp_tui_put(y, x, cols - x, " >", A_BOLD);
            break;
        }
        mvaddch(y, x, ' ');
        wp_tui_put(y, x + 1, cols - x - 1, nm, wp_tui_layer_attr(v, p, i) | A_BOLD);
        x += (int)strlen(nm) + 1;
        if (x < cols)
            mvaddch(y, x, ' ');
        x++;
    }
}

/* Which layer each byte belongs to: the innermost that covers it. */
static unsigned byte_layer(const wp_packet *p, uint32_t off)
{
    unsigned who = WP_LAYOUT_NOLAYER;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        uint32_t len = l->hdr_len ? l->hdr_len : l->len;
        if (off >= l->off && off - l->off < len)
            who = i;
    }
    return who;
}

void wp_pane_hex_draw(view *v, int y0, int rows, int cols)
{
    const wp_packet *p = &v->pkt;
    if (v->cur == SIZE_MAX || rows < 1)
        return;
    int per = cols >= 6 + 16 * 3 + 1 + 16 ? 16 : 8;
    int lines = (int)((p->caplen + (unsigned)per - 1) / (unsigned)per);
    uint32_t soff = 0, slen = 0;
    if (v->lo.nfields > 0 && v->field < v->lo.nfields) {
        soff = v->lo.fields[v->field].off;
        slen = v->lo.fields[v->field].len;
    }
    if (slen) {
        int fl = (int)(soff / (unsigned)per);
        if (fl < v->hscroll)
            v->hscroll = fl;
        if (fl >= v->hscroll + rows)
            v->hscroll = fl - rows + 1;
    }
    if (v->hscroll > lines - rows)
        v->hscroll = lines - rows;
    if (v->hscroll < 0)
        v->hscroll = 0;
    for (int r = 0; r < rows && v->hscroll + r < lines; r++) {
        uint32_t base = (uint32_t)(v->hscroll + r) * (uint32_t)per;
        char off[16];
        snprintf(off, sizeof off, "%04x ", (unsigned)base);
        int y = y0 + r;
        wp_tui_put(y, 0, cols, off, A_DIM);
        for (int i = 0; i < per && base + (uint32_t)i < p->caplen; i++) {
            uint32_t o = base + (uint32_t)i;
            uint8_t b = p->data[o];
            attr_t a = wp_tui_layer_attr(v, p, byte_layer(p, o));
            if (slen && o >= soff && o - soff < slen)
                a = A_REVERSE | A_BOLD;
            char hx[4];
            snprintf(hx, sizeof hx, "%02x", b);
            int hxpos = 5 + i * 3 + (i >= 8 ? 1 : 0);
            wp_tui_put(y, hxpos, cols - hxpos, hx, a);
            char ch[2] = {(b >= 0x20 && b < 0x7f) ? (char)b : '.', 0};
            int cx = 5 + per * 3 + 2 + i;
            wp_tui_put(y, cx, cols - cx, ch, a);
        }
    }
}
