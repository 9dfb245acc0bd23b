/* The ladder pane: the selected packet's conversation as a sequence
 * diagram. The originator is the left column, the responder the right;
 * time flows down, one arrow per packet with its flags, relative seq/ack,
 * length and the tracker's labels; retransmissions and segments lost
 * before the capture in the warning colour; the selected packet reversed.
 * Moving in this pane moves the packet selection along the conversation. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/render.h"
#include "tui_int.h"

#define MAX_ROWS 256
#define LOSS_BITS                                                                               \
    (WP_FA_RETRANSMISSION | WP_FA_FAST_RETRANSMISSION | WP_FA_SPURIOUS_RETRANSMISSION |         \
     WP_FA_LOST_SEGMENT | WP_FA_ACK_LOST_SEGMENT | WP_FA_OUT_OF_ORDER | WP_FA_DUP_ACK)

static void endpoint_text(const wp_flow_conv *c, int side, char *buf, size_t n)
{
    char a[64];
    size_t k = c->v6 ? wp_fmt_ipv6(c->addr[side], a) : wp_fmt_ipv4(c->addr[side], a);
    a[k] = '\0';
    if (c->kind == WP_FLOW_TCP || c->kind == WP_FLOW_UDP)
        snprintf(buf, n, c->v6 ? "[%s]:%u" : "%s:%u", a, (unsigned)c->port[side]);
    else
        snprintf(buf, n, "%s", a);
}

/* One arrow from column x0 to x1 (x0 < x1), pointing right (dir 0) or left,
 * with label centred on it, in attribute a. */
static void arrow(const view *v, int y, int x0, int x1, int dir, const char *label, attr_t a)
{
    int w = x1 - x0 - 1;
    if (w < 4)
        return;
    char lab[300];
    snprintf(lab, sizeof lab, " %s ", label);
    wp_tcut(lab, w - 3);
    int lw = 0;
    for (const char *q = lab; *q; q++)
        lw += ((unsigned char)*q & 0xc0) != 0x80;
    int start = x0 + 1 + (w - lw) / 2;
    attron(a);
    for (int x = x0 + 1; x < x1; x++)
        mvaddstr(y, x, v->utf8 ? "\u2500" : "-");
    if (dir == 0)
        mvaddstr(y, x1 - 1, v->utf8 ? "\u25b6" : ">");
    else
        mvaddstr(y, x0 + 1, v->utf8 ? "\u25c0" : "<");
    mvaddstr(y, start, lab);
    attroff(a);
}

void wp_pane_ladder_draw(view *v, int y0, int rows, int cols)
{
    wp_tmodel *m = &v->m;
    if (rows <= 0)
        return;
    size_t n = wp_tmodel_visible(m);
    const wp_flow_ann *sa = n ? wp_tmodel_ann(m, m->sel) : NULL;
    if (!sa || sa->kind == WP_FLOW_NONE) {
        wp_tui_put(y0, 0, cols,
                   !m->flow ? "(no conversation tracker: no ladder)"
                   : !sa    ? "(this packet's conversation is not known yet)"
                            : "(this packet belongs to no conversation: ARP, ICMP error, ...)",
                   A_DIM);
        return;
    }
    /* the endpoints: the originator left */
    wp_flow_conv c;
    char left[128] = "originator", right[128] = "responder", head[256];
    if (wp_flow_conv_get(m->flow, (wp_flow_kind)sa->kind, sa->stream, &c) == 0) {
        endpoint_text(&c, 0, left, sizeof left);
        endpoint_text(&c, 1, right, sizeof right);
    }
    snprintf(head, sizeof head, " %s %u, L: back to the layers ",
             wp_flow_kind_name(sa->kind, "conversation"), (unsigned)sa->stream);
    int tw = 11;                  /* time column */
    int xl = tw + 1, xr = cols - 8; /* the two lifelines; frame numbers at the right */
    if (xr - xl < 20)
        xr = cols - 1;
    /* which conversation, on the pane's separator after its label */
    if (y0 > 0)
        wp_tui_put(y0 - 1, 12, cols - 12, head, A_BOLD);
    wp_tui_put(y0, 0, tw, "time", A_DIM);
    /* each endpoint in its half, marked when cut */
    int half = (xr - xl) / 2;
    wp_tcut(left, half - 1);
    wp_tcut(right, cols - xl - half - 1);
    wp_tui_put(y0, xl, half, left, A_BOLD);
    int rx = xr - (int)strlen(right) + 1;
    if (rx < xl + half)
        rx = xl + half;
    wp_tui_put(y0, rx, cols - rx, right, A_BOLD);
    int body = rows - 1;
    if (body <= 0)
        return;
    /* the rows: the selected packet with the conversation's packets around
     * it, about a third before */
    size_t idx[MAX_ROWS];
    int before = body / 3, k = 0;
    size_t first = m->sel;
    for (int b = 0; b < before; b++) {
        size_t p = wp_tmodel_conv_step(m, first, -1);
        if (p == SIZE_MAX)
            break;
        first = p;
    }
    for (size_t i = first; i != SIZE_MAX && k < body && k < MAX_ROWS;
         i = wp_tmodel_conv_step(m, i, 1))
        idx[k++] = i;
    /* rows left at the bottom: fill them with earlier packets */
    while (k < body && k < MAX_ROWS) {
        size_t p = wp_tmodel_conv_step(m, idx[0], -1);
        if (p == SIZE_MAX)
            break;
        memmove(idx + 1, idx, (size_t)k * sizeof idx[0]);
        idx[0] = p;
        k++;
    }
    for (int r = 0; r < k; r++) {
        size_t i = idx[r];
        const wp_flow_ann *a = wp_tmodel_ann(m, i);
        wp_frame f;
        uint64_t num = 0;
        char t[48], label[256], nb[24];
        if (!a || wp_tmodel_frame(m, i, &f, &num) != 1)
            break;
        wp_ttime_text(WP_TT_REL, f.ts_sec, f.ts_nsec, m->first_sec, m->first_nsec, 0, 0, t,
                      sizeof t);
        wp_tmodel_arrow_label(m, i, &v->rowpkt, label, sizeof label);
        int y = y0 + 1 + r;
        attr_t a_line = A_NORMAL;
        if (a->analysis & LOSS_BITS)
            a_line = (v->color ? COLOR_PAIR(CP_EVENT) : A_NORMAL) | A_BOLD;
        if (i == m->sel)
            a_line = A_REVERSE | A_BOLD;
        wp_tui_put(y, 0, tw, t, i == m->sel ? A_REVERSE : A_DIM);
        attron(A_DIM);
        wp_tui_glyph(v, y, xl, G_V);
        wp_tui_glyph(v, y, xr, G_V);
        attroff(A_DIM);
        arrow(v, y, xl, xr, a->dir, label, a_line);
        snprintf(nb, sizeof nb, " #%llu", (unsigned long long)num);
        if (xr + 1 < cols)
            wp_tui_put(y, xr + 1, cols - xr - 1, nb, A_DIM);
    }
}
