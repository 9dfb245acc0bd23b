/* The view's screen and keys: the frame drawn from the model and the panes,
 * popups and prompts, keys, the wait for keys, frames and signals, and the
 * terminal's set-up and restoration. The sources and replay pacing are in
 * source.c, the bars in bars.c, each pane in its pane_*.c; what is shown is
 * decided in model.c and layout.c. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "wirepeel/decode.h"
#include "wirepeel/render.h"
#include "wirepeel/quiz.h"
#include "tui_int.h"

/* Set by SIGINT/SIGTERM/SIGHUP: leave the loop and restore the terminal. */
static volatile sig_atomic_t quit_signal;

#define FRAME_MS 33       /* at most ~30 redraws a second */
#define MIN_COLS 40
#define MIN_LINES 12

/* ---- time ------------------------------------------------------------ */

static int ms_since(const struct timespec *t)
{
    struct timespec n;
    clock_gettime(CLOCK_MONOTONIC, &n);
    return (int)((n.tv_sec - t->tv_sec) * 1000 + (n.tv_nsec - t->tv_nsec) / 1000000);
}

/* ---- the selected packet ------------------------------------------------ */

/* The header of the selected field is the one shown a field a row: lay the
 * packet out again when the selection moved to another header. The fields
 * keep their indexes. */
static void follow_field(view *v)
{
    if (v->cur == SIZE_MAX || v->lo.nfields == 0 || v->field >= v->lo.nfields)
        return;
    int layer = v->lo.fields[v->field].layer;
    if (layer != v->lo.focus)
        wp_layout_build(&v->lo, &v->pkt, v->cur_width, layer);
}

/* The first field of the header in focus (the innermost one): what a
 * student looks at first. */
static int first_field(const view *v, int focus)
{
    for (int i = 0; i < v->lo.nfields; i++)
        if ((int)v->lo.fields[i].layer == focus)
            return i;
    return 0;
}

/* Decode the selected packet (kept in our own buffer) and lay it out; the
 * selected field is found again by its path in a new packet. */
static void load_current(view *v, int width)
{
    size_t n = wp_tmodel_visible(&v->m);
    if (n == 0) {
        v->cur = SIZE_MAX;
        v->lo.nitems = v->lo.nfields = v->lo.height = 0;
        return;
    }
    wp_tmodel_tick(&v->m);
    /* what is known of a request's reply changes as packets come (asked first:
     * reading the partner's frame may reuse the buffer the selected one is in) */
    size_t partner;
    int rstate = wp_tmodel_pairing(&v->m, v->m.sel, &partner);
    uint64_t rnum = 0;
    if (rstate == 1) {
        wp_frame pf;
        if (wp_tmodel_frame(&v->m, partner, &pf, &rnum) != 1)
            rstate = 0;
    } else if (rstate != 2) {
        rstate = 0; /* 3: a reply, which its annotation says itself */
    }
    wp_frame f;
    uint64_t num;
    if (wp_tmodel_frame(&v->m, v->m.sel, &f, &num) != 1) {
        snprintf(v->msg, sizeof v->msg, "%s", v->m.err);
        return;
    }
    int same_packet = v->cur != SIZE_MAX && v->cur_num == num;
    /* the same layout, unless the tracker has annotated the packet since */
    if (same_packet && v->cur_width == width &&
        v->lo.ann == (v->rdgram ? NULL : wp_tmodel_ann(&v->m, v->m.sel)) &&
        v->lo.reply_state == rstate &&
        v->rgen == wp_treasm_gen(&v->m)) {
        v->cur = v->m.sel;
        return;
    }
    if (f.caplen > v->ccap) {
        uint8_t *nb = realloc(v->cbuf, f.caplen);
        if (!nb) {
            snprintf(v->msg, sizeof v->msg, "out of memory for a %u-byte frame",
                     (unsigned)f.caplen);
            return;
        }
        v->cbuf = nb;
        v->ccap = f.caplen;
    }
    if (f.caplen)
        memcpy(v->cbuf, f.data, f.caplen);
    f.data = v->cbuf;
    v->lo.ann = wp_tmodel_ann(&v->m, v->m.sel);
    v->lo.reply_state = rstate;
    v->lo.reply_num = rnum;
    /* the frame that completed a datagram shows the whole datagram */
    wp_treasm_info ri;
    v->rgen = wp_treasm_gen(&v->m);
    if (wp_treasm_get(&v->m, num, &ri) == WP_TR_COMPLETE && ri.len > v->ccap) {
        uint8_t *nb = realloc(v->cbuf, ri.len);
        if (nb) {
            v->cbuf = nb;
            v->ccap = ri.len;
        } else {
            ri.status = WP_TR_LOST; /* shown as captured */
            snprintf(v->msg, sizeof v->msg, "out of memory for a %u-byte datagram",
                     (unsigned)ri.len);
        }
    }
    v->rdgram = ri.status == WP_TR_COMPLETE;
    if (v->rdgram) {
        memcpy(v->cbuf, ri.bytes, ri.len);
        f.data = v->cbuf;
        f.caplen = f.len = ri.len;
        f.linktype = WP_LINK_RAW;
        v->lo.ann = NULL; /* the tracker's numbers are the fragment's */
    }
    wp_treasm_text(&ri, v->rtitle, sizeof v->rtitle, v->rtext, sizeof v->rtext);
    wp_treasm_short(&ri, v->rshort, sizeof v->rshort);
    v->lo.pre = v->rtext;
    v->lo.pre_title = v->rtitle;
    wp_decode_with(&f, v->m.dopts, &v->pkt);
    v->lo.raw = v->raw;
    /* a reassembled datagram opens on its IP header, under the fragment
     * map, so both are in sight together */
    int focus = same_packet ? v->lo.focus : v->rdgram ? 0 : wp_layout_default_focus(&v->pkt);
    wp_layout_build(&v->lo, &v->pkt, width, focus);
    v->cur = v->m.sel;
    v->cur_num = num;
    v->cur_width = width;
    if (!same_packet) {
        v->lscroll = 0;
        v->hscroll = 0;
        int fi = v->m.has_path && !v->rdgram ? wp_fpath_find(&v->pkt, &v->lo, &v->m.path) : -1;
        v->field = fi >= 0 ? fi : first_field(v, focus);
    }
    if (v->field >= v->lo.nfields)
        v->field = v->lo.nfields ? v->lo.nfields - 1 : 0;
    follow_field(v);
}

/* Nineteen lines of at most 72 columns: the whole list fits 80x24. */
static const char *const help_lines[] = {
    "wirepeel view: keys (any key closes this)",
    "  Up/Down j/k    previous/next packet (fields in the other panes)",
    "  PgUp/PgDn      a page of packets",
    "  Home/End g/G   first/last packet (End also resumes following)",
    "  Tab            next pane: list, layers, hex",
    "  Left/Right h/l previous/next field (kept from packet to packet)",
    "  Enter  s       the field explained in full; the header's struct recipe",
    "  /  n/N         search text or hex bytes; next/previous match",
    "  :N             go to frame N",
    "  b              BPF filter (empty clears it), live and on a file alike",
    "  r              from a request to its reply, and back",
    "  R              raw or relative seq/ack and window in the layered pane",
    "  L  d           the conversation ladder (j/k: along it); bit diagram",
    "  t  x  a        time: rel/delta/UTC; quiz on this packet; answer",
    "  z              zoom the pane full-screen, again to come back",
    "  + -            grow / shrink the pane",
    "  space  .       pause/resume live capture or replay; step one packet",
    "  f              follow the newest packet on/off",
    "  ?  q           this help; quit",
};

static void draw_popups(view *v, int lines, int cols)
{
    if (v->popup == POP_HELP) {
        char t[3072];
        size_t pos = 0;
        for (size_t i = 0; i < sizeof help_lines / sizeof help_lines[0] && pos < sizeof t; i++)
            pos += (size_t)snprintf(t + pos, sizeof t - pos, "%s\n", help_lines[i]);
        wp_tui_popup(v, "help", t, lines, cols);
    } else if (v->popup == POP_DETAIL && v->field < v->lo.nfields && v->cur != SIZE_MAX) {
        char t[4096];
        wp_layout_explain(&v->pkt, &v->lo.fields[v->field], t, sizeof t);
        wp_tui_popup(v, "field detail (any key closes)", t, lines, cols);
    } else if (v->popup == POP_RECIPE && v->cur != SIZE_MAX && v->lo.nfields > 0) {
        static const size_t cap = 8192;
        char *t = malloc(cap);
        if (t) {
            wp_layout_recipe(&v->pkt, v->lo.fields[v->field].layer, t, cap);
            wp_tui_popup(v, "struct recipe (any key closes)", t, lines, cols);
            free(t);
        }
    }
}

static void draw(view *v)
{
    int lines = LINES, cols = COLS;
    erase();
    if (lines < MIN_LINES || cols < MIN_COLS) {
        char s[96];
        /* short enough for the smallest terminal that can show it */
        snprintf(s, sizeof s, "too small: %dx%d, need %dx%d", cols, lines, MIN_COLS, MIN_LINES);
        wp_tcut(s, cols);
        mvaddnstr(0, 0, s, cols);
        wnoutrefresh(stdscr);
        doupdate();
        clock_gettime(CLOCK_MONOTONIC, &v->last_draw);
        v->dirty = 0;
        return;
    }
    wp_tui_draw_status(v, cols);
    wp_trows r;
    /* a file read to its end with few packets: the list no taller than
     * they are, the rest to the layered pane */
    v->pz.list_need = !v->paced && !v->live && (v->mem || v->ix.done)
                          ? (int)(wp_tmodel_count(&v->m) < 1000 ? wp_tmodel_count(&v->m) + 1 : 0)
                          : 0;
    /* the notice line: the caller's notice, and a file cut short says so
     * as show does, for as long as it is shown */
    char note[800];
    note[0] = '\0';
    if (v->o->notice)
        snprintf(note, sizeof note, "%s", v->o->notice);
    if (!v->mem && v->ix.failed)
        snprintf(note + strlen(note), sizeof note - strlen(note),
                 "%sfile cut short: only %zu complete packets (%s)", note[0] ? " | " : "", v->ix.n,
                 v->ix.err);
    int note_cols = 0;
    for (const char *q = note; *q; q++)
        note_cols += ((unsigned char)*q & 0xc0) != 0x80;
    wp_tpanes_rows(&v->pz, lines, !note[0] ? 0 : note_cols > cols ? 2 : 1, v->o->log_fd > 0, &r);
    load_current(v, cols);
    follow_field(v);
    int y = 1;
    if (r.notice) {
        /* the notice (why it replays, what to run): on two rows when it is
         * long, broken at a space; the rest marked if it still does not fit */
        char s1[sizeof note], s2[sizeof note];
        snprintf(s1, sizeof s1, "%s", note);
        s2[0] = '\0';
        if (r.notice > 1 && note_cols > cols) {
            int c = 0;
            size_t k = 0, brk = 0;
            for (; s1[k] && c < cols; k++) {
                if (s1[k] == ' ')
                    brk = k;
                c += ((unsigned char)s1[k] & 0xc0) != 0x80;
            }
            if (brk == 0 || s1[k] == ' ')
                brk = k;
            snprintf(s2, sizeof s2, "%s", s1 + brk + (s1[brk] == ' '));
            s1[brk] = '\0';
        }
        attr_t a = (v->color ? COLOR_PAIR(CP_NOTICE) : A_REVERSE) | A_BOLD;
        for (int row = 0; row < r.notice; row++) {
            char *t = row == 0 ? s1 : s2;
            wp_tcut(t, cols);
            attron(a);
            mvhline(y, 0, ' ', cols);
            attroff(a);
            wp_tui_put(y, 0, cols, t, a);
            y++;
        }
    }
    if (r.list > 0) {
        wp_pane_list_draw(v, y, r.list, cols);
        y += r.list;
    }
    if (r.layers > 0 && v->ladder) {
        wp_tui_separator(v, y, cols, "ladder", v->pane == WP_PANE_LAYERS);
        wp_pane_ladder_draw(v, y + 1, r.layers, cols);
        y += 1 + r.layers;
    } else if (r.layers > 0 && v->quiz) {
        wp_tui_separator(v, y, cols, "quiz", v->pane == WP_PANE_LAYERS);
        wp_pane_quiz_draw(v, y + 1, r.layers, cols);
        y += 1 + r.layers;
    } else if (r.layers > 0 && v->diagram) {
        wp_tui_separator(v, y, cols, "diagram", v->pane == WP_PANE_LAYERS);
        wp_pane_diagram_draw(v, y + 1, r.layers, cols);
        y += 1 + r.layers;
    } else if (r.layers > 0) {
        wp_tui_separator(v, y, cols, "layers", v->pane == WP_PANE_LAYERS);
        wp_pane_layers_draw(v, y + 1, r.layers, cols);
        /* what reassembly says of the packet, whatever the scroll */
        if (v->cur != SIZE_MAX && v->rshort[0] && cols > 40)
            wp_tui_put(y, 13, cols - 13 - 24, v->rshort,
                       (v->color ? COLOR_PAIR(CP_EVENT) : A_NORMAL) | A_BOLD);
        if (v->lo.height > r.layers) {
            /* say that the pane scrolls, and where it is */
            char where[64];
            int last = v->lscroll + r.layers < v->lo.height ? v->lscroll + r.layers
                                                            : v->lo.height;
            snprintf(where, sizeof where, " rows %d-%d of %d ", v->lscroll + 1, last,
                     v->lo.height);
            int wx = cols - (int)strlen(where) - 2;
            if (wx > 16)
                wp_tui_put(y, wx, cols - wx, where, A_DIM);
        }
        y += 1 + r.layers;
    }
    if (r.hex > 0) {
        wp_tui_separator(v, y, cols, "hex", v->pane == WP_PANE_HEX);
        wp_pane_hex_legend(v, y, 10, cols);
        wp_pane_hex_draw(v, y + 1, r.hex, cols);
        y += 1 + r.hex;
    }
    if (r.log > 0) {
        wp_tui_separator(v, y, cols, "log", 0);
        wp_pane_log_draw(v, y + 1, r.log, cols);
    }
    /* the detail line, then the key bar (or a prompt) */
    char d[sizeof v->msg];
    d[0] = '\0';
    if (v->msg[0])
        snprintf(d, sizeof d, "%s", v->msg);
    else if (v->cur != SIZE_MAX && v->field < v->lo.nfields)
        wp_layout_detail(&v->pkt, &v->lo.fields[v->field], d, sizeof d);
    wp_tcut(d, cols);
    wp_tui_put(lines - 2, 0, cols, d, v->msg[0] ? A_BOLD : A_NORMAL);
    wp_tui_draw_keys(v, lines - 1, cols);
    draw_popups(v, lines, cols);
    wnoutrefresh(stdscr);
    doupdate();
    clock_gettime(CLOCK_MONOTONIC, &v->last_draw);
    v->dirty = 0;
}

/* ---- keys ----------------------------------------------------------------- */

static int list_page(const view *v)
{
    wp_trows r;
    wp_tpanes_rows(&v->pz, LINES, 1, v->o->log_fd > 0, &r);
    return r.list - 1 > 1 ? r.list - 1 : 1;
}

/* The user picked field f: remember its path, so the next packets show it
 * selected too, and hold a followed view on it. */
static void pick_field(view *v, int f)
{
    if (v->lo.nfields == 0)
        return;
    if (f < 0)
        f = 0;
    if (f >= v->lo.nfields)
        f = v->lo.nfields - 1;
    v->field = f;
    if (wp_fpath_of(&v->pkt, &v->lo, f, &v->m.path) == 0)
        v->m.has_path = 1;
    wp_tmodel_field_picked(&v->m);
}

/* In the ladder: the previous or next packet of the conversation. */
static void conv_move(view *v, int dir)
{
    size_t i = wp_tmodel_conv_step(&v->m, v->m.sel, dir);
    if (i == SIZE_MAX)
        return;
    if (v->m.follow == WP_TF_ON)
        v->m.follow = WP_TF_HELD_ROW;
    wp_tmodel_select(&v->m, i);
}

/* r: from a request to its reply, from a reply to its request. */
static void jump_partner(view *v)
{
    size_t p;
    int kind = wp_tmodel_pairing(&v->m, v->m.sel, &p);
    if (kind == 2) {
        snprintf(v->msg, sizeof v->msg, "this request got no reply");
        return;
    }
    if (p == SIZE_MAX) {
        snprintf(v->msg, sizeof v->msg, kind == 3 ? "its request is not in the list"
                                                  : "not a request or a reply (or not answered yet)");
        return;
    }
    if (v->m.follow == WP_TF_ON)
        v->m.follow = WP_TF_HELD_ROW;
    wp_tmodel_select(&v->m, p);
}

static void find(view *v, int dir)
{
    if (!v->search[0]) {
        snprintf(v->msg, sizeof v->msg, "nothing to search for yet: / starts a search");
        return;
    }
    size_t i = wp_tmodel_search(&v->m, v->m.sel, dir, v->search, &v->rowpkt);
    if (i == SIZE_MAX) {
        snprintf(v->msg, sizeof v->msg, "'%s' not found in the listed packets", v->search);
        return;
    }
    if (v->m.follow == WP_TF_ON)
        v->m.follow = WP_TF_HELD_ROW;
    wp_tmodel_select(&v->m, i);
    wp_frame f;
    uint64_t num = 0;
    if (wp_tmodel_frame(&v->m, i, &f, &num) == 1)
        snprintf(v->msg, sizeof v->msg, "'%s' found in frame %llu (n next, N previous)",
                 v->search, (unsigned long long)num);
}

static void go_to(view *v, const char *text)
{
    char *end;
    errno = 0;
    unsigned long long num = strtoull(text, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || end == text || *end) {
        snprintf(v->msg, sizeof v->msg, "go to: '%s' is not a frame number", text);
        return;
    }
    size_t i = wp_tmodel_find_num(&v->m, num);
    if (i == SIZE_MAX) {
        snprintf(v->msg, sizeof v->msg, "frame %llu is not in the list%s", num,
                 v->filter[0] ? " (the filter hides it, or there is none)" : "");
        return;
    }
    if (v->m.follow == WP_TF_ON)
        v->m.follow = WP_TF_HELD_ROW;
    wp_tmodel_select(&v->m, i);
}

static void start_prompt(view *v, int which);

static void prompt_key(view *v, int ch)
{
    if (ch == 27) {
        v->prompt = PR_NONE;
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        int which = v->prompt;
        v->prompt = PR_NONE;
        v->pbuf[v->plen] = '\0';
        if (which == PR_QUIZ) {
            wp_pane_quiz_answer(v, v->pbuf);
            /* the next question (or the same after a hint) asks again */
            if (v->quiz && v->qz && v->qi < v->qz->n)
                start_prompt(v, PR_QUIZ);
        } else if (which == PR_FILTER) {
            wp_tui_apply_filter(v, v->pbuf);
        } else if (which == PR_SEARCH) {
            if (v->plen) {
                snprintf(v->search, sizeof v->search, "%s", v->pbuf);
                find(v, 1);
            }
        } else if (v->plen) {
            go_to(v, v->pbuf);
        }
    } else if (ch == 21) { /* Ctrl-U: start over */
        v->plen = 0;
        v->pbuf[0] = '\0';
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (v->plen)
            v->pbuf[--v->plen] = '\0';
    } else if (ch >= 0x20 && ch < 0x7f && v->plen + 1 < sizeof v->pbuf) {
        v->pbuf[v->plen++] = (char)ch;
        v->pbuf[v->plen] = '\0';
    }
}

static void start_prompt(view *v, int which)
{
    /* every prompt starts empty: the filter in force is on the status bar */
    v->prompt = which;
    v->plen = 0;
    v->pbuf[0] = '\0';
}

/* Returns 1 to quit. */
static int key(view *v, int ch)
{
    int live = v->live != NULL || v->paced;
    v->dirty = 1;
    if (ch == KEY_RESIZE) {
        v->cur_width = -1;
        return 0;
    }
    if (v->prompt) {
        prompt_key(v, ch);
        return 0;
    }
    if (v->popup) {
        /* a key pressed in a popup only closes it, q included */
        v->popup = POP_NONE;
        return 0;
    }
    v->msg[0] = '\0';
    switch (ch) {
    case 'q':
    case 'Q':
        return 1;
    case '?':
        v->popup = POP_HELP;
        break;
    case '\t':
        v->pane = (v->pane + 1) % WP_PANE_COUNT;
        if (v->pz.zoom >= 0)
            v->pz.zoom = v->pane;
        break;
    case KEY_BTAB:
        v->pane = (v->pane + WP_PANE_COUNT - 1) % WP_PANE_COUNT;
        if (v->pz.zoom >= 0)
            v->pz.zoom = v->pane;
        break;
    case KEY_UP:
    case 'k':
        if (v->ladder && v->pane == WP_PANE_LAYERS)
            conv_move(v, -1);
        else if (v->pane == WP_PANE_LIST)
            wp_tmodel_move(&v->m, -1);
        else
            pick_field(v, v->field - 1);
        break;
    case KEY_DOWN:
    case 'j':
        if (v->ladder && v->pane == WP_PANE_LAYERS)
            conv_move(v, 1);
        else if (v->pane == WP_PANE_LIST)
            wp_tmodel_move(&v->m, 1);
        else
            pick_field(v, v->field + 1);
        break;
    case KEY_PPAGE:
        if (v->pane == WP_PANE_LIST)
            wp_tmodel_move(&v->m, -(long)list_page(v));
        else
            pick_field(v, v->field - 8);
        break;
    case KEY_NPAGE:
        if (v->pane == WP_PANE_LIST)
            wp_tmodel_move(&v->m, (long)list_page(v));
        else
            pick_field(v, v->field + 8);
        break;
    case KEY_HOME:
    case 'g':
        wp_tmodel_move(&v->m, -(long)wp_tmodel_visible(&v->m));
        v->to_end = 0;
        break;
    case KEY_END:
    case 'G':
        wp_tmodel_end(&v->m, live);
        /* a file still being indexed: keep going to its end, without
         * claiming to follow anything */
        v->to_end = !live && !v->mem && !v->ix.done && !v->ix.failed;
        break;
    case KEY_LEFT:
    case 'h':
        pick_field(v, v->field - 1);
        break;
    case KEY_RIGHT:
    case 'l':
        pick_field(v, v->field + 1);
        break;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (v->lo.nfields)
            v->popup = POP_DETAIL;
        break;
    case 's':
        if (v->lo.nfields)
            v->popup = POP_RECIPE;
        break;
    case '/':
        start_prompt(v, PR_SEARCH);
        break;
    case 'n':
        find(v, 1);
        break;
    case 'N':
        find(v, -1);
        break;
    case ':':
        start_prompt(v, PR_GOTO);
        break;
    case 'b':
        start_prompt(v, PR_FILTER);
        break;
    case 'd':
        v->diagram = !v->diagram;
        v->ladder = 0;
        v->quiz = 0;
        break;
    case 'x':
        /* a quiz on the selected packet; again on the same one closes it */
        if (v->quiz && v->qframe == v->cur_num) {
            v->quiz = 0;
            break;
        }
        v->quiz = 1;
        v->ladder = v->diagram = 0;
        wp_pane_quiz_start(v);
        if (v->qz && v->qz->n)
            start_prompt(v, PR_QUIZ);
        break;
    case 'a':
        if (v->quiz && v->qz && v->qi < v->qz->n)
            start_prompt(v, PR_QUIZ);
        break;
    case 'L':
        v->ladder = !v->ladder;
        v->quiz = 0;
        if (v->ladder && !v->m.flow)
            snprintf(v->msg, sizeof v->msg, "no conversation tracker: no ladder");
        break;
    case 'r':
        jump_partner(v);
        break;
    case 'R':
        v->raw = !v->raw;
        v->cur_width = -1;
        snprintf(v->msg, sizeof v->msg, "%s", v->raw ? "raw sequence numbers and window first"
                                                     : "relative sequence numbers and scaled window first");
        break;
    case 't':
        v->m.tmode = (wp_ttime)((v->m.tmode + 1) % WP_TT_COUNT);
        break;
    case 'z':
        v->pz.zoom = v->pz.zoom >= 0 ? -1 : v->pane;
        v->cur_width = -1;
        break;
    case '+':
    case '=':
        wp_tpanes_grow(&v->pz, v->pane, 1, LINES);
        break;
    case '-':
        wp_tpanes_grow(&v->pz, v->pane, -1, LINES);
        break;
    case ' ':
        if (v->live || v->paced) {
            v->paused = !v->paused;
            if (!v->paused) {
                wp_tui_replay_rebase(v);
                if (v->live)
                    v->m.shown = wp_tmodel_count(&v->m);
            }
        }
        break;
    case '.':
        if (v->paced && !v->live && v->m.shown < wp_tmodel_count(&v->m)) {
            v->paused = 1;
            v->m.shown++;
            wp_tmodel_select(&v->m, v->m.shown - 1);
        }
        break;
    case 'f':
        wp_tmodel_toggle_follow(&v->m, live);
        if (!live)
            snprintf(v->msg, sizeof v->msg, "a file does not grow: nothing to follow (G goes to its end)");
        break;
    default:
        v->dirty = 0;
        break;
    }
    return 0;
}

/* ---- terminal set-up and restoration --------------------------------------- */

static void on_quit_signal(int sig)
{
    quit_signal = sig;
}

/* A fatal signal: put the terminal back with async-signal-safe calls only
 * (termios and raw writes of the common xterm sequences), then die of the
 * same signal so the exit status and core dump are as they would be. */
static void on_fatal_signal(int sig)
{
    static const char seq[] = "\033[0m\033[?25h\033[?1049l\r\n";
    struct termios t;
    if (tcgetattr(STDIN_FILENO, &t) == 0) {
        t.c_lflag |= (tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
        t.c_iflag |= (tcflag_t)ICRNL;
        t.c_oflag |= (tcflag_t)(OPOST | ONLCR);
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
    }
    ssize_t w = write(STDOUT_FILENO, seq, sizeof seq - 1);
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_quit_signal; /* no SA_RESTART: poll() must wake */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}

static void restore_signals(void)
{
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
}

static void start_curses(view *v)
{
    const char *cs = nl_langinfo(CODESET);
    v->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    v->color = has_colors() && !getenv("NO_COLOR");
    if (v->color) {
        start_color();
        use_default_colors();
        /* the palette of -o hex --color (wp_render_layer_colour) */
        static const short cols[8] = {COLOR_CYAN, COLOR_YELLOW, COLOR_GREEN, COLOR_MAGENTA,
                                      COLOR_BLUE, COLOR_RED,    -1,          -1};
        for (int i = 0; i < 8; i++)
            init_pair((short)(CP_LAYER0 + i), cols[i], -1);
        init_pair(CP_EVENT, COLOR_RED, -1);
        init_pair(CP_STATUS, COLOR_BLACK, COLOR_CYAN);
        init_pair(CP_RANGE, COLOR_BLUE, -1);
        init_pair(CP_HELP, COLOR_BLACK, COLOR_WHITE);
        init_pair(CP_NOTICE, COLOR_BLACK, COLOR_YELLOW);
    }
}

static void cleanup(view *v)
{
    char err[256];
    wp_capture_file_close(v->ixf);
    wp_capture_file_close(v->rdf);
    wp_pindex_free(&v->ix);
    wp_tmodel_free(&v->m);
    wp_bpf_free(v->bpf);
    wp_filter_run_free(v->yrun);
    if (v->dump)
        wp_dumper_close(v->dump, err, sizeof err);
    if (v->live)
        wp_capture_close(v->live);
    free(v->cbuf);
    free(v->qz);
}

/* The signals that must wake the wait: a resize (ncurses' own handler turns
 * it into KEY_RESIZE) and the quitting ones. They stay blocked while the
 * loop works and are let in inside ppoll(), atomically; a signal that came
 * after the last getch() would otherwise go unseen until the next key,
 * leaving the screen at its old size. ppoll() lets them in only when it has
 * to wait, so the loop also lets in any that are still pending after it
 * (let_in_pending). */
static const int wake_sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};

static void wake_signals(sigset_t *set, int add)
{
    for (size_t i = 0; i < sizeof wake_sigs / sizeof wake_sigs[0]; i++) {
        if (add)
            sigaddset(set, wake_sigs[i]);
        else
            sigdelset(set, wake_sigs[i]);
    }
}

/* Deliver any of the wake signals that are pending now (their handlers
 * run as in_wait unblocks them), then block them again. */
static void let_in_pending(const sigset_t *wake, const sigset_t *in_wait)
{
    sigset_t pend;
    if (sigpending(&pend) != 0)
        return;
    for (size_t i = 0; i < sizeof wake_sigs / sizeof wake_sigs[0]; i++) {
        if (sigismember(&pend, wake_sigs[i]) == 1) {
            sigprocmask(SIG_SETMASK, in_wait, NULL);
            sigprocmask(SIG_BLOCK, wake, NULL);
            return;
        }
    }
}

static void loop(view *v)
{
    sigset_t wake, open_mask;
    sigemptyset(&wake);
    wake_signals(&wake, 1);
    sigprocmask(SIG_BLOCK, &wake, &open_mask);
    sigset_t in_wait = open_mask;
    wake_signals(&in_wait, 0);
    v->dirty = 1;
    for (;;) {
        if (quit_signal)
            break;
        /* index more of a big file between keystrokes */
        int busy = 0;
        if (!v->mem && !v->ix.done && !v->ix.failed) {
            wp_pindex_step(&v->ix, v->ixf, INDEX_CHUNK);
            busy = !v->ix.done && !v->ix.failed;
            v->dirty = 1;
            if (v->to_end)
                wp_tmodel_end(&v->m, 0);
        }
        /* the marks come after the index: End on a big file is not kept
         * waiting for them */
        if (!v->mem && v->m.flow && (v->ix.done || v->ix.failed) &&
            ((v->m.ann_n < v->ix.n && v->m.ann_n < v->m.ann_cap) || wp_treasm_behind(&v->m))) {
            wp_tmodel_annotate(&v->m, INDEX_CHUNK / 10);
            v->dirty = 1;
            busy = 1;
        }
        if (!v->mem) {
            v->m.complete = v->ix.done || v->ix.failed;
            v->m.unseen = v->ix.seen > v->ix.n; /* -f, b or -Y left records out */
        }
        int wait = wp_tui_replay_tick(v);
        wp_tmodel_tick(&v->m);
        if (v->dirty) {
            int since = ms_since(&v->last_draw);
            if (since >= FRAME_MS) {
                draw(v);
            } else {
                int left = FRAME_MS - since;
                wait = wait < 0 || wait > left ? left : wait;
            }
        }
        if (busy)
            wait = 0;
        struct pollfd fds[3];
        int nfds = 1, cfd_at = -1, log_at = -1;
        fds[0].fd = STDIN_FILENO;
        fds[0].events = POLLIN;
        int cfd = v->live ? wp_capture_fd(v->live) : -1;
        if (cfd >= 0) {
            fds[nfds].fd = cfd;
            fds[nfds].events = POLLIN;
            cfd_at = nfds++;
        } else if (v->live && (wait < 0 || wait > 100)) {
            wait = 100; /* a source without a descriptor: look every 100 ms */
        }
        if (v->log_open) {
            fds[nfds].fd = v->o->log_fd;
            fds[nfds].events = POLLIN;
            log_at = nfds++;
        }
        struct timespec ts = {wait / 1000, (long)(wait % 1000) * 1000000L};
        int rc = ppoll(fds, (nfds_t)nfds, wait < 0 ? NULL : &ts, &in_wait);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc >= 0)
            let_in_pending(&wake, &in_wait);
        if (quit_signal)
            break;
        /* the terminal hung up: no key can come any more, and polling it
         * again would return at once, forever */
        if (rc > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
            v->hangup = 1;
            break;
        }
        if (v->live && (cfd < 0 || (rc > 0 && (fds[cfd_at].revents & POLLIN))))
            wp_tui_read_live(v);
        if (log_at >= 0 && rc > 0 && (fds[log_at].revents & (POLLIN | POLLHUP | POLLERR)))
            wp_tui_read_log(v);
        int ch, quit = 0;
        while ((ch = getch()) != ERR)
            if (key(v, ch)) {
                quit = 1;
                break;
            }
        if (quit)
            break;
    }
    sigprocmask(SIG_SETMASK, &open_mask, NULL);
}

int wp_tui_run(const wp_tui_opts *o, char *err, size_t errlen)
{
    setlocale(LC_ALL, "");
    if (wp_tui_terminal_usable(err, errlen) != 0)
        return 1;
    view *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    v->o = o;
    v->cur = SIZE_MAX;
    v->cur_width = -1;
    v->pz.zoom = -1;
    int rc;
    if (o->iface)
        rc = wp_tui_open_live(v, err, errlen);
    else if (o->files && o->nfiles)
        rc = wp_tui_open_files(v, err, errlen);
    else if (o->file)
        rc = wp_tui_open_file(v, err, errlen);
    else {
        snprintf(err, errlen, "nothing to view: give -r FILE or -i IFACE");
        rc = -1;
    }
    if (rc != 0) {
        cleanup(v);
        free(v);
        return 1;
    }
    v->paced = o->iface != NULL || o->replay;
    if (o->replay && !o->iface) {
        v->m.shown = 0;
        v->m.follow = WP_TF_ON;
    }
    v->log_open = o->log_fd > 0;
    install_signals();
    start_curses(v);
    loop(v);
    endwin();
    restore_signals();
    int sig = quit_signal ? quit_signal : v->hangup ? SIGHUP : 0;
    /* a file cut short ends the view as it ends show: 1, with the reason */
    int cut = !v->mem && v->ix.failed;
    if (cut)
        snprintf(err, errlen, "%s is cut short: only its first %zu packets are complete (%s)",
                 o->file, v->ix.n, v->ix.err);
    cleanup(v);
    free(v);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
        quit_signal = 0;
        return sig == SIGINT ? 130 : 128 + sig;
    }
    return cut ? 1 : 0;
}
