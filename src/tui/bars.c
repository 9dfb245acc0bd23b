/* The status bar and the key bar: items in a long and a short form, fitted
 * to the width by the model (wp_tbar_fit): words shorten, values never. */
#include <stdio.h>
#include <string.h>

#include "tui_int.h"


void wp_tui_draw_status(view *v, int cols)
{
    /* Items in a long and a short form: words shorten, values never. */
    char it[10][600], sh[10][600];
    const char *lp[10], *sp[10];
    size_t n = 0;
    const char *src = v->o->title ? v->o->title
                      : v->live   ? v->o->iface
                      : v->o->file ? v->o->file
                                   : "merged files";
    const char *kind = v->live ? "live" : v->paced ? "replay" : "file";
    const char *base = strrchr(src, '/');
    snprintf(it[n], sizeof it[n], " wirepeel %s %s", kind, src);
    snprintf(sh[n], sizeof sh[n], " %s %s", kind, base && base[1] ? base + 1 : src);
    n++;
    size_t vis = wp_tmodel_visible(&v->m);
    if (v->paced && !v->live) {
        snprintf(it[n], sizeof it[n], "%zu packets of %zu", vis, wp_tmodel_count(&v->m));
        snprintf(sh[n], sizeof sh[n], "%zu/%zu packets", vis, wp_tmodel_count(&v->m));
    } else {
        snprintf(it[n], sizeof it[n], "%zu packets", vis);
        snprintf(sh[n], sizeof sh[n], "%zu packets", vis); /* the word a class reads first */
    }
    n++;
    if (v->o->loop && v->paced && !v->live) {
        snprintf(it[n], sizeof it[n], "round %d (loops until q)", v->rounds + 1);
        snprintf(sh[n], sizeof sh[n], "round %d", v->rounds + 1);
        n++;
    }
    if (!v->mem && v->ix.failed) {
        /* a file cut short: say so for good, as show does */
        snprintf(it[n], sizeof it[n], "file cut short");
        snprintf(sh[n], sizeof sh[n], "cut short");
        n++;
    } else if (!v->mem && !v->ix.done && v->fsize > 0) {
        int64_t at = wp_capture_file_tell(v->ixf);
        int pct = at > 0 ? (int)(at * 100 / v->fsize) : 0;
        snprintf(it[n], sizeof it[n], "indexing %d%%", pct);
        snprintf(sh[n], sizeof sh[n], "idx %d%%", pct);
        n++;
    }
    if (!v->mem && v->m.flow && v->ix.n > v->m.ann_cap) {
        snprintf(it[n], sizeof it[n], "reply marks for the first %zu packets", v->m.ann_cap);
        snprintf(sh[n], sizeof sh[n], "marks 1-%zu", v->m.ann_cap);
        n++;
    }
    if (v->live) {
        /* The frames this view received, not libpcap's ps_recv: on lo that
         * counts each packet twice (once going out, once coming in). */
        wp_capture_stats st;
        unsigned long long drops = 0;
        if (wp_capture_stats_get(v->live, &st) == 0)
            drops = (unsigned long long)(st.dropped_kernel + st.dropped_iface);
        snprintf(it[n], sizeof it[n], "captured %llu, kernel drops %llu",
                 (unsigned long long)v->m.total, drops);
        snprintf(sh[n], sizeof sh[n], "cap %llu drop %llu", (unsigned long long)v->m.total,
                 drops);
        n++;
    }
    if (v->paused) {
        snprintf(it[n], sizeof it[n], "PAUSED");
        snprintf(sh[n], sizeof sh[n], "PAUSED");
        n++;
    }
    const char *ft = wp_tmodel_follow_text(&v->m, 0);
    if (ft[0]) {
        snprintf(it[n], sizeof it[n], "%s", ft);
        snprintf(sh[n], sizeof sh[n], "%s", wp_tmodel_follow_text(&v->m, 1));
        n++;
    }
    if (v->filter[0] || (v->o->bpf && *v->o->bpf)) {
        if (v->o->bpf && *v->o->bpf && v->filter[0])
            snprintf(it[n], sizeof it[n], "-f %s, filter: %s", v->o->bpf, v->filter);
        else
            snprintf(it[n], sizeof it[n], "filter: %s", v->filter[0] ? v->filter : v->o->bpf);
        snprintf(sh[n], sizeof sh[n], "%s", it[n]);
        n++;
    }
    if (v->o->display_filter && n < 10) {
        snprintf(it[n], sizeof it[n], "display filter: %s", v->o->display_filter);
        snprintf(sh[n], sizeof sh[n], "-Y %s", v->o->display_filter);
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        lp[i] = it[i];
        sp[i] = sh[i];
    }
    char s[6200];
    wp_tbar_fit(lp, sp, n, " | ", cols, s, sizeof s);
    size_t shown_items = s[0] ? 1 : 0;
    for (const char *q = s; (q = strstr(q, " | ")) != NULL; q += 3)
        shown_items++;
    if (shown_items < n) {
        /* items left off the end: the bar says there is more */
        if (!s[0])
            snprintf(s, sizeof s, "%s", sp[0]);
        size_t len = strlen(s);
        if (len + 2 < sizeof s) {
            s[len] = ' ';
            s[len + 1] = '>';
            s[len + 2] = '\0';
        }
        wp_tcut(s, cols);
    }
    attr_t a = v->color ? COLOR_PAIR(CP_STATUS) : A_REVERSE;
    attron(a);
    mvhline(0, 0, ' ', cols);
    mvaddnstr(0, 0, s, (int)sizeof s);
    attroff(a);
}

void wp_tui_draw_keys(view *v, int y, int cols)
{
    static const char *const longs[] = {
        "q quit", "? help", "Tab pane", "j/k packet", "h/l field", "Enter detail",
        "/ search", "b filter", ": go to", "r reply", "L ladder", "d diagram", "z zoom",
        "t time", "f follow",
    };
    static const char *const shorts[] = {
        "q quit", "? help", "Tab pane", "j/k pkt", "h/l fld", "Enter", "/ find", "b filt",
        ": go", "r rep", "L lad", "d diag", "z zoom", "t time", "f fol",
    };
    char s[512];
    if (v->prompt) {
        const char *what = v->prompt == PR_FILTER   ? "filter (BPF, Enter applies, Esc cancels): "
                           : v->prompt == PR_SEARCH ? "search (text or hex bytes, Enter finds): "
                           : v->prompt == PR_QUIZ   ? "answer (Enter checks, ? hint, Esc stops): "
                                                    : "go to frame number: ";
        snprintf(s, sizeof s, "%s%s", what, v->pbuf);
        /* the end of what is typed stays in sight */
        int len = (int)strlen(s);
        const char *show = len > cols - 1 ? s + (len - (cols - 1)) : s;
        wp_tui_put(y, 0, cols, show, A_BOLD);
        return;
    }
    wp_tbar_fit(longs, shorts, sizeof longs / sizeof longs[0], "  ", cols, s, sizeof s);
    attr_t a = v->color ? COLOR_PAIR(CP_HELP) : A_REVERSE;
    attron(a);
    mvhline(y, 0, ' ', cols);
    attroff(a);
    wp_tui_put(y, 0, cols, s, a);
}

