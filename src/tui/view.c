/* The screen side of the view: the packet list, the layered pane, the hex
 * pane, status, detail and key help; keys, the live/replay loop and terminal
 * restoration. The only file with curses. Everything it shows about a packet
 * comes from layout.c; each frame is built in full and written once. */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "wirepeel/capture.h"
#include "wirepeel/capture_seek.h"
#include "wirepeel/decode.h"
#include "wirepeel/filter.h"
#include "wirepeel/privdrop.h"
#include "wirepeel/render.h"
#include "wirepeel/tui.h"
#include "layout.h"

/* Set by SIGINT/SIGTERM/SIGHUP: leave the loop and restore the terminal. */
static volatile sig_atomic_t quit_signal;

#define LIVE_CAP 50000      /* frames kept in memory from a live capture */
#define INDEX_FIRST 2000    /* records indexed before the first screen */
#define INDEX_CHUNK 50000   /* records indexed between two looks at the keyboard */
#define FRAME_MS 33         /* at most ~30 redraws a second */
#define LIVE_READS 256      /* frames taken from the capture per wake-up */

enum { PANE_LIST, PANE_LAYERS, PANE_HEX, PANE_COUNT };
enum { POP_NONE, POP_HELP, POP_DETAIL, POP_RECIPE };

/* Colour pairs */
enum {
    CP_LAYER0 = 1, /* 1..6: layer colours */
    CP_EVENT = 7,
    CP_STATUS = 8,
    CP_RANGE = 9,
    CP_HELP = 10,
};
#define NLAYERCOL 6

typedef struct stored {
    wp_frame f;
    uint8_t *data;
    uint64_t num;
} stored;

typedef struct view {
    const wp_tui_opts *o;
    /* source: a file (indexed, re-read on demand) or a live capture */
    wp_capture_file *ixf, *rdf; /* one handle to index with, one to re-read */
    wp_filter_run *yrun;        /* -Y: the display filter, or NULL */
    int64_t first_pos;
    off_t fsize;
    wp_pindex ix;
    wp_capture *live;
    wp_dumper *dump;
    stored *ring;
    size_t ring_start, ring_n;
    uint64_t live_total;
    /* replay and live pacing */
    size_t shown;           /* packets visible in replay / live */
    int paused;
    struct timespec t0;     /* wall time that packet replay_base is due */
    int64_t ts_base_sec;
    uint32_t ts_base_nsec;
    /* selection and scrolling */
    int pane;
    size_t sel, top;
    int follow;
    int field;              /* selected field index in lo */
    int lscroll, hscroll;
    int popup;
    int prompt;             /* typing a filter */
    char pbuf[256];
    size_t plen;
    char filter[256];
    char msg[400];
    /* the selected packet, decoded, and its layout */
    size_t cur;             /* index decoded into pkt, or SIZE_MAX */
    int cur_width;
    uint8_t *cbuf;
    size_t ccap;
    wp_packet pkt;
    wp_packet rowpkt;
    wp_layout lo;
    /* terminal */
    int color, utf8;
    int dirty;
    int hangup; /* the terminal went away: quit as on SIGHUP */
    struct timespec last_draw;
    char err[256];
} view;

/* ---- time ------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double ts_diff(int64_t s1, uint32_t n1, int64_t s0, uint32_t n0)
{
    return (double)(s1 - s0) + ((double)n1 - (double)n0) / 1e9;
}

/* ---- the packets ------------------------------------------------------ */

static size_t total(const view *v)
{
    return v->live ? v->ring_n : v->ix.n;
}

/* What the list shows: all indexed packets, or those replayed so far. */
static size_t visible(const view *v)
{
    if (v->live || v->o->replay)
        return v->shown < total(v) ? v->shown : total(v);
    return v->ix.n;
}

/* Packet i as a frame (data valid until the next call) and its number. */
static int get_frame(view *v, size_t i, wp_frame *f, uint64_t *num)
{
    if (v->live) {
        if (i >= v->ring_n)
            return -1;
        const stored *s = &v->ring[(v->ring_start + i) % LIVE_CAP];
        *f = s->f;
        f->data = s->data;
        *num = s->num;
        return 1;
    }
    if (wp_pindex_read(&v->ix, v->rdf, i, f, v->err, sizeof v->err) != 1)
        return -1;
    *num = v->ix.num[i];
    return 1;
}

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

/* Decode the selected packet (kept in our own buffer) and lay it out. */
static void load_current(view *v, int width)
{
    size_t n = visible(v);
    if (n == 0) {
        v->cur = SIZE_MAX;
        v->lo.nitems = v->lo.nfields = v->lo.height = 0;
        return;
    }
    if (v->sel >= n)
        v->sel = n - 1;
    if (v->cur == v->sel && v->cur_width == width)
        return;
    wp_frame f;
    uint64_t num;
    if (get_frame(v, v->sel, &f, &num) != 1) {
        snprintf(v->msg, sizeof v->msg, "%s", v->err);
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
    int same_packet = v->cur == v->sel;
    wp_decode(&f, &v->pkt);
    int focus = same_packet ? v->lo.focus : wp_layout_default_focus(&v->pkt);
    wp_layout_build(&v->lo, &v->pkt, width, focus);
    v->cur = v->sel;
    v->cur_width = width;
    if (!same_packet) {
        v->lscroll = 0;
        v->hscroll = 0;
        /* Start on the first field of the header in focus (the innermost
         * one): what a student looks at first. */
        v->field = 0;
        for (int i = 0; i < v->lo.nfields; i++)
            if ((int)v->lo.fields[i].layer == focus) {
                v->field = i;
                break;
            }
    }
    if (v->field >= v->lo.nfields)
        v->field = v->lo.nfields ? v->lo.nfields - 1 : 0;
    follow_field(v);
}

/* ---- sources ----------------------------------------------------------- */

static int open_file(view *v, char *err, size_t errlen)
{
    struct stat st;
    v->ixf = wp_capture_file_open(v->o->file, err, errlen);
    if (!v->ixf)
        return -1;
    v->rdf = wp_capture_file_open(v->o->file, err, errlen);
    if (!v->rdf)
        return -1;
    v->fsize = stat(v->o->file, &st) == 0 ? st.st_size : 0;
    v->first_pos = wp_capture_file_tell(v->ixf);
    if (v->o->bpf && *v->o->bpf) {
        if (wp_capture_file_filter(v->ixf, v->o->bpf, err, errlen) != 0)
            return -1;
        snprintf(v->filter, sizeof v->filter, "%s", v->o->bpf);
    }
    if (v->o->display_filter) {
        if (!(v->yrun = wp_filter_run_new(v->o->display_filter, err, errlen)))
            return -1;
        wp_capture_file_set_keep(v->ixf, wp_filter_run_frame, v->yrun);
    }
    wp_pindex_init(&v->ix);
    wp_pindex_step(&v->ix, v->ixf, INDEX_FIRST);
    if (v->ix.failed && v->ix.n == 0) {
        snprintf(err, errlen, "cannot read %s: %s", v->o->file, v->ix.err);
        return -1;
    }
    return 0;
}

static int open_live(view *v, char *err, size_t errlen)
{
    wp_live_opts lo = {0};
    char warn[256] = "";
    lo.timeout_ms = 10; /* a read after the last ready frame comes back soon */
    lo.immediate = 1;
    v->live = wp_capture_open_live(v->o->iface, &lo, warn, sizeof warn, err, errlen);
    if (!v->live)
        return -1;
    if (warn[0])
        snprintf(v->msg, sizeof v->msg, "%s", warn);
    if (v->o->bpf && *v->o->bpf) {
        if (wp_capture_set_filter(v->live, v->o->bpf, err, errlen) != 0)
            return -1;
        snprintf(v->filter, sizeof v->filter, "%s", v->o->bpf);
    }
    if (v->o->display_filter &&
        !(v->yrun = wp_filter_run_new(v->o->display_filter, err, errlen)))
        return -1;
    if (v->o->write_path) {
        v->dump = wp_dumper_open(v->o->write_path, wp_capture_linktype(v->live),
                                 wp_capture_snaplen(v->live), err, errlen);
        if (!v->dump)
            return -1;
    }
    if (v->o->run_as && wp_priv_drop(v->o->run_as, err, errlen) != 0)
        return -1;
    v->ring = calloc(LIVE_CAP, sizeof *v->ring);
    if (!v->ring) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    v->follow = 1;
    return 0;
}

static void store_live(view *v, const wp_frame *f)
{
    stored *s;
    if (v->ring_n == LIVE_CAP) {
        /* Drop the oldest; keep the selection on the same packet. */
        s = &v->ring[v->ring_start];
        v->ring_start = (v->ring_start + 1) % LIVE_CAP;
        v->ring_n--;
        if (v->sel > 0)
            v->sel--;
        if (v->top > 0)
            v->top--;
        if (v->shown > 0)
            v->shown--;
        if (v->cur != SIZE_MAX)
            v->cur = v->cur > 0 ? v->cur - 1 : SIZE_MAX;
    } else {
        s = &v->ring[(v->ring_start + v->ring_n) % LIVE_CAP];
    }
    uint8_t *d = realloc(s->data, f->caplen ? f->caplen : 1);
    if (!d)
        return;
    memcpy(d, f->data, f->caplen);
    s->data = d;
    s->f = *f;
    s->num = ++v->live_total;
    v->ring_n++;
}

static void read_live(view *v)
{
    for (int k = 0; k < LIVE_READS; k++) {
        wp_frame f;
        char err[256];
        int rc = wp_capture_next(v->live, &f, err, sizeof err);
        if (rc != 1) {
            if (rc < 0)
                snprintf(v->msg, sizeof v->msg, "%s", err);
            break;
        }
        if (v->dump && wp_dumper_write(v->dump, &f, err, sizeof err) != 0) {
            snprintf(v->msg, sizeof v->msg, "%s", err);
            wp_dumper_close(v->dump, err, sizeof err);
            v->dump = NULL;
        }
        /* -Y: a frame left out still has its number */
        if (v->yrun && !wp_filter_run_frame(v->yrun, &f, v->live_total + 1)) {
            v->live_total++;
            continue;
        }
        store_live(v, &f);
        v->dirty = 1;
    }
    if (!v->paused)
        v->shown = v->ring_n;
}

/* Restart the index under a new filter. */
static void apply_filter(view *v, const char *bpf)
{
    char err[256];
    if (v->live) {
        if (wp_capture_set_filter(v->live, bpf && *bpf ? bpf : "", err, sizeof err) != 0) {
            snprintf(v->msg, sizeof v->msg, "%s", err);
            return;
        }
    } else {
        if (wp_capture_file_filter(v->ixf, bpf, err, sizeof err) != 0) {
            snprintf(v->msg, sizeof v->msg, "%s", err);
            return;
        }
        wp_capture_file_seek(v->ixf, v->first_pos);
        wp_pindex_reset(&v->ix);
        wp_pindex_step(&v->ix, v->ixf, INDEX_FIRST);
        v->sel = v->top = 0;
        v->cur = SIZE_MAX;
        if (v->o->replay) {
            v->shown = 0;
            v->t0.tv_sec = 0;
        }
    }
    snprintf(v->filter, sizeof v->filter, "%s", bpf ? bpf : "");
    snprintf(v->msg, sizeof v->msg, "filter %s", *v->filter ? v->filter : "cleared");
}

/* Replay: reveal the packets whose time has come. Returns ms until the next
 * one is due, or -1 when there is nothing to wait for. */
static int replay_tick(view *v)
{
    if (!v->o->replay || v->paused)
        return -1;
    for (int guard = 0; guard < 100000; guard++) {
        if (v->shown >= v->ix.n)
            return v->ix.done ? -1 : 0;
        wp_frame f;
        uint64_t num;
        if (get_frame(v, v->shown, &f, &num) != 1)
            return -1;
        double t = now_s();
        if (v->shown == 0 || v->t0.tv_sec == 0) {
            v->ts_base_sec = f.ts_sec;
            v->ts_base_nsec = f.ts_nsec;
            v->t0.tv_sec = (time_t)t;
            v->t0.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
        }
        double base = (double)v->t0.tv_sec + (double)v->t0.tv_nsec / 1e9;
        double due = v->o->speed > 0
                         ? base + ts_diff(f.ts_sec, f.ts_nsec, v->ts_base_sec, v->ts_base_nsec) /
                                      v->o->speed
                         : t;
        if (due > t) {
            double ms = (due - t) * 1000.0;
            return ms > 1000.0 ? 1000 : (int)ms + 1;
        }
        v->shown++;
        v->dirty = 1;
    }
    return 0;
}

/* After a pause or a step the clock restarts from the next packet. */
static void replay_rebase(view *v)
{
    v->t0.tv_sec = 0;
}

/* ---- drawing ------------------------------------------------------------ */

static attr_t layer_attr(const view *v, unsigned layer)
{
    if (!v->color)
        return (layer % 2) ? A_UNDERLINE : A_NORMAL;
    return COLOR_PAIR(CP_LAYER0 + (int)(layer % NLAYERCOL));
}

static void put_clipped(int y, int x, int maxw, const char *s, attr_t a)
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
enum { G_UL, G_UR, G_LL, G_LR, G_H, G_V };
static const char *const glyph_utf8[] = {"\u250c", "\u2510", "\u2514", "\u2518", "\u2500",
                                         "\u2502"};
static const char *const glyph_ascii[] = {"+", "+", "+", "+", "-", "|"};

static void glyph(const view *v, int y, int x, int g)
{
    mvaddstr(y, x, (v->utf8 ? glyph_utf8 : glyph_ascii)[g]);
}

static void hline_at(const view *v, int y, int x, int n)
{
    for (int i = 0; i < n; i++)
        glyph(v, y, x + i, G_H);
}

static void draw_box(const view *v, const wp_litem *it, int top, int y0, int rows, int maxx)
{
    attr_t a = layer_attr(v, it->layer);
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
            glyph(v, sy, it->x, first ? G_UL : G_LL);
            hline_at(v, sy, it->x + 1, x1 - it->x - 1);
            glyph(v, sy, x1, first ? G_UR : G_LR);
            if (first) {
                attron(A_BOLD);
                mvaddnstr(sy, it->x + 2, it->text, x1 - it->x - 3);
                attroff(A_BOLD);
            }
        } else {
            glyph(v, sy, it->x, G_V);
            glyph(v, sy, x1, G_V);
        }
    }
    attroff(a);
}

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

static void draw_layers(view *v, int y0, int rows, int cols)
{
    const wp_layout *lo = &v->lo;
    scroll_layers(v, rows);
    for (int i = 0; i < lo->nitems; i++) {
        const wp_litem *it = &lo->items[i];
        if (it->kind == WP_LI_BOX) {
            draw_box(v, it, v->lscroll, y0, rows, cols);
            continue;
        }
        int sy = it->y - v->lscroll;
        if (sy < 0 || sy >= rows)
            continue;
        attr_t a = A_NORMAL;
        switch (it->attr) {
        case WP_LA_NAME:
            a = v->color ? layer_attr(v, it->layer) : A_NORMAL;
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
            a = layer_attr(v, it->layer);
            break;
        default:
            break;
        }
        if (it->field >= 0 && it->field == v->field)
            a = A_REVERSE | A_BOLD;
        put_clipped(sy + y0, it->x, cols - it->x, it->text, a);
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
            attron(layer_attr(v, o->layer));
            glyph(v, y0 + j, o->x, G_V);
            glyph(v, y0 + j, x1, G_V);
            attroff(layer_attr(v, o->layer));
        }
        wp_litem t = lo->items[pin[j]];
        t.y = v->lscroll + j;
        t.h = 1;
        draw_box(v, &t, v->lscroll, y0, rows, cols);
    }
    if (lo->nitems == 0)
        put_clipped(y0, 0, cols, v->ix.done || v->live ? "(no packets)" : "(reading...)",
                    A_DIM);
}

/* The legend of the hex pane on its separator line: every layer's name in
 * its colour, from column x. */
static void draw_legend(view *v, int y, int x, int cols)
{
    const wp_packet *p = &v->pkt;
    if (v->cur == SIZE_MAX)
        return;
    for (unsigned i = 0; i < p->nlayers && x + 1 < cols; i++) {
        const char *nm = wp_proto_get(p->layers[i].proto)->short_name;
        mvaddch(y, x, ' ');
        put_clipped(y, x + 1, cols - x - 1, nm, layer_attr(v, i) | A_BOLD);
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

static void draw_hex(view *v, int y0, int rows, int cols)
{
    const wp_packet *p = &v->pkt;
    if (v->cur == SIZE_MAX || rows < 1)
        return;
    int per = cols >= 6 + 16 * 3 + 1 + 16 ? 16 : 8;
    int lines = (int)((p->caplen + (unsigned)per - 1) / (unsigned)per);
    int body = rows;
    uint32_t soff = 0, slen = 0;
    if (v->lo.nfields > 0 && v->field < v->lo.nfields) {
        soff = v->lo.fields[v->field].off;
        slen = v->lo.fields[v->field].len;
    }
    if (slen) {
        int fl = (int)(soff / (unsigned)per);
        if (fl < v->hscroll)
            v->hscroll = fl;
        if (fl >= v->hscroll + body)
            v->hscroll = fl - body + 1;
    }
    if (v->hscroll > lines - body)
        v->hscroll = lines - body;
    if (v->hscroll < 0)
        v->hscroll = 0;
    for (int r = 0; r < body && v->hscroll + r < lines; r++) {
        uint32_t base = (uint32_t)(v->hscroll + r) * (uint32_t)per;
        char off[16];
        snprintf(off, sizeof off, "%04x ", (unsigned)base);
        int y = y0 + r;
        put_clipped(y, 0, cols, off, A_DIM);
        for (int i = 0; i < per && base + (uint32_t)i < p->caplen; i++) {
            uint32_t o = base + (uint32_t)i;
            uint8_t b = p->data[o];
            attr_t a = layer_attr(v, byte_layer(p, o));
            if (slen && o >= soff && o - soff < slen)
                a = A_REVERSE | A_BOLD;
            char hx[4];
            snprintf(hx, sizeof hx, "%02x", b);
            int hxpos = 5 + i * 3 + (i >= 8 ? 1 : 0);
            put_clipped(y, hxpos, cols - hxpos, hx, a);
            char ch[2] = {(b >= 0x20 && b < 0x7f) ? (char)b : '.', 0};
            int cx = 5 + per * 3 + 2 + i;
            put_clipped(y, cx, cols - cx, ch, a);
        }
    }
}

static void draw_list(view *v, int y0, int rows, int cols)
{
    size_t n = visible(v);
    char line[256];
    put_clipped(y0, 0, cols, "No. Time, source -> destination, protocol, info",
                A_BOLD | A_UNDERLINE);
    int body = rows - 1;
    if (body < 1)
        return;
    if (v->sel < v->top)
        v->top = v->sel;
    if (v->sel >= v->top + (size_t)body)
        v->top = v->sel - (size_t)body + 1;
    char nb[24];
    uint64_t maxnum = v->live ? v->live_total : v->ix.n ? v->ix.num[v->ix.n - 1] : 1;
    int numw = snprintf(nb, sizeof nb, "%llu", (unsigned long long)maxnum);
    if (numw < 3)
        numw = 3;
    for (int r = 0; r < body; r++) {
        size_t i = v->top + (size_t)r;
        if (i >= n)
            break;
        wp_frame f;
        uint64_t num;
        if (get_frame(v, i, &f, &num) != 1)
            break;
        wp_decode(&f, &v->rowpkt);
        /* the number right-aligned, as wide as the biggest one can get */
        char nbuf[24];
        int nw = snprintf(nbuf, sizeof nbuf, "%llu", (unsigned long long)num);
        int pad = numw > nw ? numw - nw : 0;
        memset(line, ' ', (size_t)pad);
        wp_render_summary_line(&v->rowpkt, num, line + pad, sizeof line - (size_t)pad);
        attr_t a = A_NORMAL;
        if (v->rowpkt.nevents)
            a = v->color ? COLOR_PAIR(CP_EVENT) : A_BOLD;
        if (i == v->sel)
            a = A_REVERSE | (v->pane == PANE_LIST ? A_BOLD : 0);
        if (i == v->sel) {
            attron(a);
            mvhline(y0 + 1 + r, 0, ' ', cols);
            attroff(a);
        }
        put_clipped(y0 + 1 + r, 0, cols, line, a);
    }
}

static void draw_status(view *v, int cols)
{
    char s[512];
    size_t pos = 0;
    const char *src = v->o->title ? v->o->title : v->live ? v->o->iface : v->o->file;
    pos += (size_t)snprintf(s + pos, sizeof s - pos, " wirepeel %s %s | %zu packets",
                            v->live ? "live" : v->o->replay ? "replay" : "file", src,
                            visible(v));
    if (!v->live && v->o->replay)
        pos += (size_t)snprintf(s + pos, sizeof s - pos, " of %zu", v->ix.n);
    if (!v->live && !v->ix.done && v->fsize > 0 && pos < sizeof s) {
        int64_t at = wp_capture_file_tell(v->ixf);
        int pct = at > 0 ? (int)(at * 100 / v->fsize) : 0;
        pos += (size_t)snprintf(s + pos, sizeof s - pos, " | indexing %d%%", pct);
    }
    if (v->live && pos < sizeof s) {
        /* The frames this view received, not libpcap's ps_recv: on lo that
         * counts each packet twice (once going out, once coming in). */
        wp_capture_stats st;
        pos += (size_t)snprintf(s + pos, sizeof s - pos, " | captured %llu",
                                (unsigned long long)v->live_total);
        if (pos < sizeof s && wp_capture_stats_get(v->live, &st) == 0)
            pos += (size_t)snprintf(s + pos, sizeof s - pos, " dropped %llu",
                                    (unsigned long long)(st.dropped_kernel + st.dropped_iface));
    }
    /* the state before the filter, which can be long and get cut */
    if (pos < sizeof s && (v->live || v->o->replay))
        pos += (size_t)snprintf(s + pos, sizeof s - pos, "%s", v->paused ? " | PAUSED" : "");
    if (pos < sizeof s && v->follow)
        pos += (size_t)snprintf(s + pos, sizeof s - pos, " | following");
    if (v->filter[0] && pos < sizeof s)
        snprintf(s + pos, sizeof s - pos, " | filter: %s", v->filter);
    attr_t a = v->color ? COLOR_PAIR(CP_STATUS) : A_REVERSE;
    attron(a);
    mvhline(0, 0, ' ', cols);
    mvaddnstr(0, 0, s, cols);
    attroff(a);
}

static const char *const help_lines[] = {
    "wirepeel view: keys",
    "",
    "  Up/Down j/k    previous/next packet (fields in the other panes)",
    "  PgUp/PgDn      a page of packets",
    "  Home/End g/G   first/last packet (End also resumes following)",
    "  Tab            next pane: list, layers, hex",
    "  Left/Right h/l previous/next field",
    "  Enter          the selected field's unpacking, in full",
    "  s              the header's struct recipe",
    "  /              set a BPF filter (empty clears it)",
    "  space          pause/resume live capture or replay",
    "  n              step one packet (replay)",
    "  f              follow the newest packet on/off",
    "  ?              this help",
    "  q              quit",
    "",
    "any key closes this",
};

/* A centred box with lines of text; long lines wrap. */
static void draw_popup(view *v, const char *title, const char *text, int lines, int cols)
{
    int w = cols - 4 > 100 ? 100 : cols - 4;
    int h = 2;
    for (const char *q = text; *q; q++) /* as tall as the text, if it can */
        h += *q == '\n';
    if (*text && text[strlen(text) - 1] != '\n')
        h++;
    if (h > lines - 4)
        h = lines - 4;
    if (w < 20 || h < 3)
        return;
    int x0 = (cols - w) / 2, y0 = 2;
    for (int r = 0; r < h; r++)
        mvhline(y0 + r, x0, ' ', w);
    wp_litem box = {0};
    box.kind = WP_LI_BOX;
    box.x = x0;
    box.y = 0;
    box.w = w;
    box.h = h;
    snprintf(box.text, sizeof box.text, " %s ", title);
    box.layer = 0;
    draw_box(v, &box, -y0, 0, lines, cols);
    int y = y0 + 1;
    const char *p = text;
    while (*p && y < y0 + h - 1) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        size_t room = (size_t)(w - 4);
        size_t take = len < room ? len : room;
        mvaddnstr(y++, x0 + 2, p, (int)take);
        p += take;
        if (take == len && nl)
            p++;
    }
}

/* How the rows between the status bar and the detail line are shared: the
 * layered pane (the point of the view) gets most; the list at least 3
 * packets; the hex pane at least 2 rows (its legend sits on its separator). */
static void pane_rows(int lines, int *list, int *layers, int *hex)
{
    int body = lines - 3;
    *list = body / 5 < 4 ? 4 : body / 5;
    *hex = body / 6 < 2 ? 2 : body / 6;
    *layers = body - *list - *hex - 2;
    if (*layers < 3) {
        *hex = 1;
        *layers = body - *list - *hex - 2;
    }
}

static void draw(view *v)
{
    int lines = LINES, cols = COLS;
    erase();
    if (lines < 8 || cols < 30) {
        mvaddnstr(0, 0, "wirepeel: the terminal is too small (at least 30x8)", cols);
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    draw_status(v, cols);
    int list_rows, hex_rows, layer_rows;
    pane_rows(lines, &list_rows, &layer_rows, &hex_rows);
    load_current(v, cols);
    follow_field(v);
    draw_list(v, 1, list_rows, cols);
    int y = 1 + list_rows;
    attr_t sep = A_DIM;
    char lab[64];
    snprintf(lab, sizeof lab, "%s layers ", v->pane == PANE_LAYERS ? "[*]" : "[ ]");
    attron(sep);
    hline_at(v, y, 0, cols);
    attroff(sep);
    put_clipped(y, 1, cols - 1, lab, v->pane == PANE_LAYERS ? A_BOLD : A_DIM);
    draw_layers(v, y + 1, layer_rows, cols);
    if (v->lo.height > layer_rows) {
        /* say that the pane scrolls, and where it is */
        char where[64];
        int last = v->lscroll + layer_rows < v->lo.height ? v->lscroll + layer_rows
                                                         : v->lo.height;
        snprintf(where, sizeof where, " rows %d-%d of %d ", v->lscroll + 1, last,
                 v->lo.height);
        int wx = cols - (int)strlen(where) - 2;
        if (wx > 16)
            put_clipped(y, wx, cols - wx, where, A_DIM);
    }
    y += 1 + layer_rows;
    snprintf(lab, sizeof lab, "%s hex ", v->pane == PANE_HEX ? "[*]" : "[ ]");
    attron(sep);
    hline_at(v, y, 0, cols);
    attroff(sep);
    put_clipped(y, 1, cols - 1, lab, v->pane == PANE_HEX ? A_BOLD : A_DIM);
    draw_legend(v, y, 1 + (int)strlen(lab) + 1, cols);
    draw_hex(v, y + 1, hex_rows, cols);

    /* the detail line, then the key help (or the filter prompt) */
    char d[512];
    d[0] = '\0';
    if (v->msg[0])
        snprintf(d, sizeof d, "%s", v->msg);
    else if (v->cur != SIZE_MAX && v->field < v->lo.nfields)
        wp_layout_detail(&v->pkt, &v->lo.fields[v->field], d, sizeof d);
    put_clipped(lines - 2, 0, cols, d, v->msg[0] ? A_BOLD : A_NORMAL);
    if (v->prompt) {
        char pr[300];
        snprintf(pr, sizeof pr, "filter (BPF, Enter applies, Esc cancels): %s", v->pbuf);
        put_clipped(lines - 1, 0, cols, pr, A_BOLD);
    } else {
        put_clipped(lines - 1, 0, cols,
                    "q quit  ? help  Tab pane  j/k packet  h/l field  Enter detail  s struct  "
                    "/ filter  space pause  n step  f follow",
                    v->color ? COLOR_PAIR(CP_HELP) : A_REVERSE);
    }
    if (v->popup == POP_HELP) {
        char t[2048];
        size_t pos = 0;
        for (size_t i = 0; i < sizeof help_lines / sizeof help_lines[0]; i++)
            pos += (size_t)snprintf(t + pos, sizeof t - pos, "%s\n", help_lines[i]);
        draw_popup(v, "help", t, lines, cols);
    } else if (v->popup == POP_DETAIL && v->field < v->lo.nfields && v->cur != SIZE_MAX) {
        char t[1024];
        wp_layout_detail(&v->pkt, &v->lo.fields[v->field], t, sizeof t);
        const wp_field *f = v->lo.fields[v->field].f;
        char full[1400];
        snprintf(full, sizeof full, "%s (%s)\n\n%s\n\nany key closes this", f->title, f->name,
                 t);
        draw_popup(v, "field detail", full, lines, cols);
    } else if (v->popup == POP_RECIPE && v->cur != SIZE_MAX && v->lo.nfields > 0) {
        static const size_t cap = 8192;
        char *t = malloc(cap);
        if (t) {
            wp_layout_recipe(&v->pkt, v->lo.fields[v->field].layer, t, cap);
            draw_popup(v, "struct recipe", t, lines, cols);
            free(t);
        }
    }
    wnoutrefresh(stdscr);
    doupdate();
    clock_gettime(CLOCK_MONOTONIC, &v->last_draw);
    v->dirty = 0;
}

/* ---- keys ----------------------------------------------------------------- */

static void select_packet(view *v, size_t i)
{
    size_t n = visible(v);
    if (n == 0)
        return;
    v->sel = i < n ? i : n - 1;
}

static int list_page(void)
{
    int list_rows, layer_rows, hex_rows;
    pane_rows(LINES, &list_rows, &layer_rows, &hex_rows);
    return list_rows - 1 > 1 ? list_rows - 1 : 1;
}

static void move_field(view *v, int d)
{
    if (v->lo.nfields == 0)
        return;
    int f = v->field + d;
    if (f < 0)
        f = 0;
    if (f >= v->lo.nfields)
        f = v->lo.nfields - 1;
    v->field = f;
}

static void prompt_key(view *v, int ch)
{
    if (ch == 27) {
        v->prompt = 0;
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        v->prompt = 0;
        v->pbuf[v->plen] = '\0';
        apply_filter(v, v->pbuf);
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

/* Returns 1 to quit. */
static int key(view *v, int ch)
{
    size_t n = visible(v);
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
        v->popup = POP_NONE;
        return ch == 'q';
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
        v->pane = (v->pane + 1) % PANE_COUNT;
        break;
    case KEY_BTAB:
        v->pane = (v->pane + PANE_COUNT - 1) % PANE_COUNT;
        break;
    case KEY_UP:
    case 'k':
        if (v->pane == PANE_LIST) {
            if (v->sel > 0)
                select_packet(v, v->sel - 1);
            v->follow = 0;
        } else {
            move_field(v, -1);
        }
        break;
    case KEY_DOWN:
    case 'j':
        if (v->pane == PANE_LIST)
            select_packet(v, v->sel + 1);
        else
            move_field(v, 1);
        break;
    case KEY_PPAGE:
        if (v->pane == PANE_LIST) {
            size_t pg = (size_t)list_page();
            select_packet(v, v->sel > pg ? v->sel - pg : 0);
            v->follow = 0;
        } else {
            move_field(v, -8);
        }
        break;
    case KEY_NPAGE:
        if (v->pane == PANE_LIST)
            select_packet(v, v->sel + (size_t)list_page());
        else
            move_field(v, 8);
        break;
    case KEY_HOME:
    case 'g':
        select_packet(v, 0);
        v->follow = 0;
        break;
    case KEY_END:
    case 'G':
        /* the index may still be growing: following keeps us at its end */
        v->follow = 1;
        if (n)
            select_packet(v, n - 1);
        break;
    case KEY_LEFT:
    case 'h':
        move_field(v, -1);
        break;
    case KEY_RIGHT:
    case 'l':
        move_field(v, 1);
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
        v->prompt = 1;
        snprintf(v->pbuf, sizeof v->pbuf, "%s", v->filter);
        v->plen = strlen(v->pbuf);
        break;
    case ' ':
        if (v->live || v->o->replay) {
            v->paused = !v->paused;
            if (!v->paused) {
                replay_rebase(v);
                if (v->live)
                    v->shown = v->ring_n;
            }
        }
        break;
    case 'n':
        if (v->o->replay && v->shown < v->ix.n) {
            v->paused = 1;
            v->shown++;
            select_packet(v, v->shown - 1);
        }
        break;
    case 'f':
        v->follow = !v->follow;
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
    setlocale(LC_ALL, "");
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
        static const short cols[NLAYERCOL] = {COLOR_CYAN, COLOR_GREEN, COLOR_YELLOW,
                                              COLOR_MAGENTA, COLOR_BLUE, COLOR_WHITE};
        for (int i = 0; i < NLAYERCOL; i++)
            init_pair((short)(CP_LAYER0 + i), cols[i], -1);
        init_pair(CP_EVENT, COLOR_RED, -1);
        init_pair(CP_STATUS, COLOR_BLACK, COLOR_CYAN);
        init_pair(CP_RANGE, COLOR_BLUE, -1);
        init_pair(CP_HELP, COLOR_BLACK, COLOR_WHITE);
    }
}

static int ms_since(const struct timespec *t)
{
    struct timespec n;
    clock_gettime(CLOCK_MONOTONIC, &n);
    return (int)((n.tv_sec - t->tv_sec) * 1000 + (n.tv_nsec - t->tv_nsec) / 1000000);
}

static void cleanup(view *v)
{
    char err[256];
    wp_capture_file_close(v->ixf);
    wp_capture_file_close(v->rdf);
    wp_pindex_free(&v->ix);
    if (v->dump)
        wp_dumper_close(v->dump, err, sizeof err);
    if (v->live)
        wp_capture_close(v->live);
    if (v->ring) {
        for (size_t i = 0; i < LIVE_CAP; i++)
            free(v->ring[i].data);
        free(v->ring);
    }
    free(v->cbuf);
    wp_filter_run_free(v->yrun);
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
        if (!v->live && !v->ix.done && !v->ix.failed) {
            wp_pindex_step(&v->ix, v->ixf, INDEX_CHUNK);
            busy = 1;
            v->dirty = 1;
            if (v->ix.failed)
                snprintf(v->msg, sizeof v->msg, "reading stopped: %s", v->ix.err);
        }
        int wait = replay_tick(v);
        if (v->follow && visible(v))
            select_packet(v, visible(v) - 1);
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
        struct pollfd fds[2];
        int nfds = 1;
        fds[0].fd = STDIN_FILENO;
        fds[0].events = POLLIN;
        int cfd = v->live ? wp_capture_fd(v->live) : -1;
        if (cfd >= 0) {
            fds[1].fd = cfd;
            fds[1].events = POLLIN;
            nfds = 2;
        } else if (v->live && (wait < 0 || wait > 100)) {
            wait = 100; /* a source without a descriptor: look every 100 ms */
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
        if (v->live && (cfd < 0 || (rc > 0 && (fds[1].revents & POLLIN))))
            read_live(v);
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
    view *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return 1;
    }
    v->o = o;
    v->cur = SIZE_MAX;
    v->cur_width = -1;
    v->follow = 0;
    int rc;
    if (o->iface)
        rc = open_live(v, err, errlen);
    else if (o->file)
        rc = open_file(v, err, errlen);
    else {
        snprintf(err, errlen, "nothing to view: give -r FILE or -i IFACE");
        rc = -1;
    }
    if (rc != 0) {
        cleanup(v);
        free(v);
        return 1;
    }
    if (o->replay)
        v->follow = 1;
    install_signals();
    start_curses(v);
    loop(v);
    endwin();
    restore_signals();
    int sig = quit_signal ? quit_signal : v->hangup ? SIGHUP : 0;
    cleanup(v);
    free(v);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
        quit_signal = 0;
        return sig == SIGINT ? 130 : 128 + sig;
    }
    return 0;
}
