/* The layered pane computed without curses: boxes, rows and field places for
 * one packet; field values, details and struct recipes; the packet index. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/render.h"
#include "layout.h"

#define MIN_WIDTH 20
#define NAME_COL_MAX 24
#define COL_GAP 3
#define PREVIEW_LINES 3
#define RECIPE_NAME_COL 14 /* as -o struct aligns its values */

/* Append printf-style text at buf[*pos], never past n (NUL kept). */
static void bput(char *buf, size_t n, size_t *pos, const char *fmt, ...)
{
    if (*pos + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *pos, n - *pos, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    *pos += (size_t)k < n - *pos ? (size_t)k : n - *pos - 1;
}

static int is_data_proto(unsigned proto)
{
    return proto == WP_PROTO_PAYLOAD || proto == WP_PROTO_FRAGMENT ||
           proto == WP_PROTO_TRAILER || proto == WP_PROTO_RAW;
}

static int is_link_proto(unsigned proto)
{
    return proto == WP_PROTO_ETH || proto == WP_PROTO_SLL || proto == WP_PROTO_SLL2 ||
           proto == WP_PROTO_NULL;
}

int wp_layout_default_focus(const wp_packet *p)
{
    int focus = -1;
    for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
        const wp_layer *l = &p->layers[i];
        if (is_data_proto(l->proto))
            continue;
        if ((l->flags & WP_LF_QUOTED) && focus >= 0)
            break;
        focus = (int)i;
    }
    return focus;
}

int wp_tcut(char *s, int width)
{
    if (width <= 0) {
        int had = s[0] != '\0';
        s[0] = '\0';
        return had;
    }
    int cols = 0;
    size_t k = 0, last = 0;
    while (s[k]) {
        if (((unsigned char)s[k] & 0xc0) != 0x80) {
            if (cols == width) {
                /* cut: the last column shown becomes the mark */
                s[last] = '>';
                s[last + 1] = '\0';
                return 1;
            }
            last = k;
            cols++;
        }
        k++;
    }
    return 0;
}

/* ---- building the layout ------------------------------------------- */

typedef struct builder {
    wp_layout *lo;
    const wp_packet *p;
    int y;
} builder;

static wp_litem *add_item(builder *b, unsigned kind, unsigned attr, unsigned layer, int y,
                          int x, int w)
{
    wp_layout *lo = b->lo;
    if (lo->nitems >= WP_LAYOUT_MAX_ITEMS) {
        lo->truncated = 1;
        return NULL;
    }
    wp_litem *it = &lo->items[lo->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)kind;
    it->attr = (uint8_t)attr;
    it->layer = (uint8_t)layer;
    it->field = -1;
    it->y = y;
    it->x = x;
    it->w = w;
    it->h = 1;
    return it;
}

/* Display columns of UTF-8 text (the renderers write "×"). */
static int text_cols(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* A text item clipped to w columns; a cut text ends in '>'. */
static wp_litem *add_text(builder *b, unsigned attr, unsigned layer, int y, int x, int w,
                          const char *s)
{
    if (w <= 0)
        return NULL;
    wp_litem *it = add_item(b, WP_LI_TEXT, attr, layer, y, x, w);
    if (!it)
        return NULL;
    size_t k = 0;
    int cols = 0;
    while (s[k] && k + 5 < sizeof it->text) {
        size_t cl = 1;
        while (((unsigned char)s[k + cl] & 0xc0) == 0x80)
            cl++;
        if (cols + 1 > w)
            break;
        memcpy(it->text + k, s + k, cl);
        k += cl;
        cols++;
    }
    it->text[k] = '\0';
    if (s[k]) { /* cut: the last column says so */
        while (k > 0 && ((unsigned char)it->text[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0)
            k--;
        while (k > 0 && ((unsigned char)it->text[k] & 0xc0) == 0x80)
            k--;
        it->text[k] = '>';
        it->text[k + 1] = '\0';
    }
    it->w = text_cols(it->text);
    return it;
}

static int add_field(builder *b, unsigned layer, int opt, const wp_field *f, uint32_t off,
                     uint32_t len, int y)
{
    wp_layout *lo = b->lo;
    if (lo->nfields >= WP_LAYOUT_MAX_FIELDS) {
        lo->truncated = 1;
        return -1;
    }
    wp_lfield *lf = &lo->fields[lo->nfields];
    lf->layer = (uint8_t)layer;
    lf->opt = (int16_t)opt;
    lf->f = f;
    lf->off = off;
    lf->len = len;
    lf->y = y;
    lf->x = 0;
    return lo->nfields++;
}

static void range_text(uint32_t off, uint32_t len, char *buf, size_t n)
{
    if (len <= 1)
        snprintf(buf, n, "@%u", (unsigned)off);
    else
        snprintf(buf, n, "@%u..%u", (unsigned)off, (unsigned)(off + len - 1));
}

static void box_title(const wp_packet *p, const wp_layer *l, char *buf, size_t n)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    size_t pos = 0;
    char r[48];
    if (is_data_proto(l->proto)) {
        range_text(l->off, l->len, r, sizeof r);
        bput(buf, n, &pos, " %s %s %u B ", pi->short_name, r, (unsigned)l->len);
        return;
    }
    range_text(l->off, l->hdr_len, r, sizeof r);
    bput(buf, n, &pos, " %s %s hdr %u B", pi->short_name, r, (unsigned)l->hdr_len);
    uint32_t have = l->off < p->caplen ? p->caplen - l->off : 0;
    if ((l->flags & WP_LF_TRUNCATED) || have < l->hdr_len)
        bput(buf, n, &pos, ", cut at %u B", (unsigned)(have < l->hdr_len ? have : l->hdr_len));
    const char *cs = wp_csum_name(l->csum);
    if (cs)
        bput(buf, n, &pos, ", csum %s", cs);
    if (l->flags & WP_LF_QUOTED)
        bput(buf, n, &pos, ", quoted");
    if (l->flags & WP_LF_FRAGMENT)
        bput(buf, n, &pos, ", in a fragment");
    bput(buf, n, &pos, " ");
}

static void events_of(builder *b, unsigned layer, int x, int w)
{
    const wp_packet *p = b->p;
    for (unsigned i = 0; i < p->nevents; i++) {
        const wp_event *e = &p->events[i];
        if (e->layer != layer || !e->def)
            continue;
        char t[WP_LAYOUT_TEXT], txt[WP_LAYOUT_TEXT];
        size_t pos = 0;
        wp_render_event_text(e, txt, sizeof txt);
        bput(t, sizeof t, &pos, "! %s: %s", e->def->code, txt);
        add_text(b, WP_LA_EVENT, layer, b->y++, x, w, t);
    }
}

/* One thing a header shows: a field, one of its options, or a field the
 * capture cut off. */
typedef struct cell {
    const char *title; /* "" for an option */
    char val[WP_LAYOUT_TEXT];
    char range[24];
    int fi;   /* selectable field index, -1 when not captured */
    int opt;  /* an option row */
    int vcols;
} cell;

#define MAX_CELLS 64

/* The cells of layer li, titles (or, flowed, names) from its field table. */
static int header_cells(builder *b, unsigned li, int names, cell *c, int max)
{
    const wp_packet *p = b->p;
    const wp_layer *l = &p->layers[li];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    int n = 0;
    for (size_t i = 0; i < pi->nfields && n < max; i++) {
        const wp_field *f = &pi->fields[i];
        if (f->present && !f->present(l))
            continue;
        uint32_t off, len;
        wp_field_span(l, f, &off, &len);
        cell *k = &c[n];
        k->title = names ? f->name : f->title;
        k->opt = 0;
        if (!wp_field_shown(p, l, f)) {
            /* A field the capture cut off is named but never given a value. */
            if (f->kind == WP_FK_OPTIONS || (f->kind == WP_FK_TEXT && off == 0) ||
                off >= l->off + l->hdr_len)
                continue;
            snprintf(k->val, sizeof k->val, "(not captured)");
            k->range[0] = '\0';
            k->fi = -1;
            k->vcols = text_cols(k->val);
            n++;
            continue;
        }
        k->fi = add_field(b, li, -1, f, off, len, 0);
        wp_render_field_value(p, l, f, k->val, sizeof k->val);
        range_text(off, len, k->range, sizeof k->range);
        k->vcols = text_cols(k->val);
        n++;
        if (f->kind != WP_FK_OPTIONS)
            continue;
        for (unsigned j = 0; j < l->opt_count && n < max; j++) {
            unsigned oi = l->opt_first + j;
            if (oi >= p->nopts)
                break;
            const wp_opt *o = &p->opts[oi];
            cell *q = &c[n++];
            q->title = "";
            q->opt = 1;
            q->fi = add_field(b, li, (int)oi, f, o->off, wp_opt_extent(l, o), 0);
            wp_render_opt_text(p, l, o, q->val, sizeof q->val);
            range_text(o->off, wp_opt_extent(l, o), q->range, sizeof q->range);
            q->vcols = text_cols(q->val);
        }
    }
    return n;
}

/* Put cell k's name and value at (y, x) in w columns; the range at the
 * right edge when it fits. */
static void place_cell(builder *b, unsigned li, const cell *k, int y, int x, int w, int namew,
                       int with_range)
{
    wp_layout *lo = b->lo;
    int vx = x + namew;
    if (k->title[0] && namew > 0)
        add_text(b, WP_LA_NAME, li, y, x, namew - 1, k->title);
    int rw = (int)strlen(k->range);
    int room = w - namew;
    wp_litem *it = add_text(b, k->fi < 0 ? WP_LA_EVENT : WP_LA_VALUE, li, y, vx, room, k->val);
    if (it && k->fi >= 0) {
        it->field = (int16_t)k->fi;
        lo->fields[k->fi].y = y;
        lo->fields[k->fi].x = vx;
    }
    if (with_range && rw && room - k->vcols >= rw + 2)
        add_text(b, WP_LA_RANGE, li, y, x + w - rw, rw, k->range);
}

/* The focused header: a field a row (two columns when the pane is wide
 * enough), titles in a column, byte ranges at the right. */
static void header_rows(builder *b, unsigned li, int x, int w)
{
    cell c[MAX_CELLS];
    int n = header_cells(b, li, 0, c, MAX_CELLS);
    int namew = 0;
    for (int i = 0; i < n; i++) {
        int k = (int)strlen(c[i].title);
        if (k > namew)
            namew = k;
    }
    namew += 2;
    if (namew > NAME_COL_MAX)
        namew = NAME_COL_MAX;
    if (namew > w / 3)
        namew = w / 3;
    /* two columns when most fields fit in half the width */
    int colw = (w - COL_GAP) / 2, fit = 0, plain = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].opt)
            continue;
        plain++;
        fit += namew + c[i].vcols <= colw;
    }
    int two = colw >= 30 && plain > 2 && fit * 4 >= plain * 3;
    int col = 0;
    for (int i = 0; i < n; i++) {
        const cell *k = &c[i];
        if (k->opt) { /* options a row each, under their field */
            if (col) {
                b->y++;
                col = 0;
            }
            place_cell(b, li, k, b->y++, x + namew, w - namew, 2, 1);
            continue;
        }
        if (!two) {
            place_cell(b, li, k, b->y++, x, w, namew, 1);
            continue;
        }
        if (namew + k->vcols > colw) { /* too wide for a column: a row of its own */
            if (col)
                b->y++;
            place_cell(b, li, k, b->y++, x, w, namew, 1);
            col = 0;
            continue;
        }
        place_cell(b, li, k, b->y, x + col * (colw + COL_GAP), colw, namew, 1);
        if (++col == 2) {
            col = 0;
            b->y++;
        }
    }
    if (col)
        b->y++;
}

/* A header that is not in focus: its fields flow along the rows as
 * "name value", so every value stays in sight in a few rows. */
static void header_flow(builder *b, unsigned li, int x, int w)
{
    cell c[MAX_CELLS];
    int n = header_cells(b, li, 1, c, MAX_CELLS);
    int cx = 0;
    for (int i = 0; i < n; i++) {
        const cell *k = &c[i];
        int namew = k->title[0] ? (int)strlen(k->title) + 1 : 0;
        int cw = namew + k->vcols;
        if (cx > 0 && cx + cw > w) {
            b->y++;
            cx = 0;
        }
        place_cell(b, li, k, b->y, x + cx, w - cx, namew, 0);
        cx += cw + COL_GAP;
    }
    if (n)
        b->y++;
}

/* The transport layer the tracker's annotation belongs to: the first TCP,
 * UDP, ICMP or ICMPv6 header not quoted inside an ICMP error; -1. */
static int ann_layer(const wp_packet *p)
{
    for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->flags & WP_LF_QUOTED)
            continue;
        if (l->proto == WP_PROTO_TCP || l->proto == WP_PROTO_UDP || l->proto == WP_PROTO_ICMP ||
            l->proto == WP_PROTO_ICMPV6)
            return (int)i;
    }
    return -1;
}

/* One "name value" cell of the conversation rows, flowed like a header
 * that is not in focus. */
static void conv_cell(builder *b, unsigned li, int x, int w, int *cx, const char *name,
                      const char *val)
{
    int nw = text_cols(name) + 1, vw = text_cols(val);
    if (*cx > 0 && *cx + nw + vw > w) {
        b->y++;
        *cx = 0;
    }
    add_text(b, WP_LA_NAME, li, b->y, x + *cx, nw - 1, name);
    add_text(b, WP_LA_VALUE, li, b->y, x + *cx + nw, w - *cx - nw, val);
    *cx += nw + vw + COL_GAP;
}

/* What the tracker says about this packet, inside its transport box. */
static void conv_rows(builder *b, unsigned li, int x, int w)
{
    const wp_flow_ann *a = b->lo->ann;
    if (!a || a->kind == WP_FLOW_NONE)
        return;
    char t[WP_LAYOUT_TEXT], v[WP_LAYOUT_TEXT];
    static const char *const kinds[] = {"", "tcp.stream", "udp.stream", "icmp echo",
                                        "icmpv6 echo"};
    snprintf(t, sizeof t, "conversation: %s %u, %s%s", kinds[a->kind < 5 ? a->kind : 0],
             (unsigned)a->stream, a->dir ? "responder -> originator" : "originator -> responder",
             (a->events & WP_FLOW_EV_NEW) ? ", its first frame" : "");
    add_text(b, WP_LA_RANGE, li, b->y++, x, w, t);
    int cx = 0;
    if (a->kind == WP_FLOW_TCP) {
        const int raw = b->lo->raw;
        snprintf(v, sizeof v, raw ? "%u (relative %u)" : "%u (raw %u)", raw ? a->raw_seq : a->seq,
                 raw ? a->seq : a->raw_seq);
        conv_cell(b, li, x, w, &cx, raw ? "seq" : "rel seq", v);
        if (a->has_ack) {
            snprintf(v, sizeof v, raw ? "%u (relative %u)" : "%u (raw %u)",
                     raw ? a->raw_ack : a->ack, raw ? a->ack : a->raw_ack);
            conv_cell(b, li, x, w, &cx, raw ? "ack" : "rel ack", v);
        }
        snprintf(v, sizeof v, "%u", a->seg_len);
        conv_cell(b, li, x, w, &cx, "len", v);
        if (a->has_next) {
            snprintf(v, sizeof v, "%u", a->next_seq);
            conv_cell(b, li, x, w, &cx, "next seq", v);
        }
        if (a->window_scale >= 0)
            snprintf(v, sizeof v, "%u (%u x %u)", a->window, (unsigned)a->window_raw,
                     1u << a->window_scale);
        else if (a->window_scale == WP_FLOW_WSCALE_UNKNOWN)
            snprintf(v, sizeof v, "%u (scale unknown: SYNs not seen)", a->window);
        else
            snprintf(v, sizeof v, "%u (not scaled)", a->window);
        conv_cell(b, li, x, w, &cx, raw ? "window" : "scaled window", v);
    }
    if (a->reply_to) {
        snprintf(v, sizeof v, "#%llu after %.3f ms", (unsigned long long)a->reply_to,
                 (double)a->rtt_ns / 1e6);
        conv_cell(b, li, x, w, &cx, "reply to", v);
    } else if (a->is_request && b->lo->reply_state == 1) {
        snprintf(v, sizeof v, "answered by #%llu (r jumps to it)",
                 (unsigned long long)b->lo->reply_num);
        conv_cell(b, li, x, w, &cx, "request", v);
    } else if (a->is_request && b->lo->reply_state == 2) {
        conv_cell(b, li, x, w, &cx, "request", "no reply in the capture");
    } else if (a->is_request) {
        conv_cell(b, li, x, w, &cx, "request", "waits for a reply");
    }
    if (cx > 0)
        b->y++;
    for (unsigned i = 0; i < WP_FA_COUNT; i++) {
        uint32_t bit = 1u << i;
        if (!(a->analysis & bit))
            continue;
        char r[96];
        snprintf(t, sizeof t, "! %s: %s", wp_flow_analysis_code(i),
                 wp_flow_reason(a, bit, r, sizeof r));
        add_text(b, WP_LA_EVENT, li, b->y++, x, w, t);
    }
}

/* Up to PREVIEW_LINES rows of the data's bytes as text ('.' for the rest). */
static void data_rows(builder *b, unsigned li, int x, int w)
{
    const wp_packet *p = b->p;
    const wp_layer *l = &p->layers[li];
    uint32_t off = l->off, end = l->off + l->len;
    if (end > p->caplen)
        end = p->caplen;
    if (w < 4 || off >= end)
        return;
    int per = w - 2; /* between the quotes */
    for (int line = 0; line < PREVIEW_LINES && off < end; line++) {
        char t[WP_LAYOUT_TEXT];
        size_t k = 0;
        t[k++] = '"';
        for (int i = 0; i < per && off < end && k + 2 < sizeof t; i++, off++) {
            uint8_t c = p->data[off];
            t[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
        }
        t[k++] = '"';
        t[k] = '\0';
        if (line == PREVIEW_LINES - 1 && off < end) {
            char more[48];
            snprintf(more, sizeof more, " +%u B", (unsigned)(end - off));
            add_text(b, WP_LA_DATA, li, b->y, x, w, t);
            add_text(b, WP_LA_DATA, li, b->y + 1, x, w, more);
            b->y += 2;
            return;
        }
        add_text(b, WP_LA_DATA, li, b->y++, x, w, t);
    }
}

/* Opens layer li's box at (b->y, x) w wide and returns its item index. */
static int open_box(builder *b, unsigned li, int x, int w)
{
    char t[WP_LAYOUT_TEXT];
    box_title(b->p, &b->p->layers[li], t, sizeof t);
    wp_litem *it = add_item(b, WP_LI_BOX, WP_LA_BORDER, li, b->y, x, w);
    if (!it)
        return -1;
    /* the title between the corners, marked when cut */
    snprintf(it->text, sizeof it->text, "%s", t);
    wp_tcut(it->text, w > 4 ? w - 4 : 0);
    b->lo->layer_box[li] = (int)(it - b->lo->items);
    b->y++;
    return b->lo->layer_box[li];
}

static void close_box(builder *b, int item)
{
    if (item < 0)
        return;
    wp_litem *it = &b->lo->items[item];
    it->h = b->y - it->y + 1;
    b->y++;
}

/* Indent of the next box inside one w wide: 2 columns while there is room,
 * 1 when tight, 0 when the box would get too narrow to read. */
static int inner_step(int w)
{
    if (w - 4 >= 34)
        return 2;
    if (w - 2 >= 24)
        return 1;
    return 0;
}

static void data_box(builder *b, unsigned li, int x, int w)
{
    int box = open_box(b, li, x, w);
    data_rows(b, li, x + 2, w - 4);
    events_of(b, li, x + 2, w - 4);
    close_box(b, box);
}

/* lo->pre in a box of its own, w wide at column 0: each line wrapped at a
 * space to the box's inside, continued two columns in; a word longer than
 * a row is cut with '>' and the rest of its line left off. */
static void pre_box(builder *b, int w)
{
    wp_litem *it = add_item(b, WP_LI_BOX, WP_LA_BORDER, WP_LAYOUT_NOLAYER, b->y, 0, w);
    if (!it)
        return;
    int box = (int)(it - b->lo->items);
    snprintf(it->text, sizeof it->text, "%s", b->lo->pre_title ? b->lo->pre_title : "");
    wp_tcut(it->text, w > 4 ? w - 4 : 0);
    b->y++;
    const char *s = b->lo->pre;
    int rows = 0;
    /* each pass takes at least one line of s (or its '\n'); at most 64 rows */
    for (int guard = 0; *s && guard < 256 && rows < 64; guard++) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        unsigned attr = len >= 2 && s[0] == '!' && s[1] == ' ' ? WP_LA_EVENT : WP_LA_PLAIN;
        for (int first = 1; len > 0 && rows < 64; first = 0) {
            int room = first ? w - 4 : w - 6;
            char t[WP_LAYOUT_TEXT];
            /* the longest start within room columns and t's bytes, and the
             * last space in it */
            size_t i = 0, cut = 0;
            int cols = 0;
            while (i < len) {
                size_t cl = 1;
                while (i + cl < len && ((unsigned char)s[i + cl] & 0xc0) == 0x80)
                    cl++;
                if (cols + 1 > room || i + cl > sizeof t - 1)
                    break;
                if (s[i] == ' ')
                    cut = i;
                i += cl;
                cols++;
            }
            size_t take = i, used = i;
            if (i < len && cut > 0) {
                take = used = cut; /* wrap at the space */
            } else if (i < len) {
                used = len; /* one word longer than the row: cut, marked */
                while (take > 0 && ((unsigned char)s[take - 1] & 0xc0) == 0x80)
                    take--;
                if (take > 0)
                    take--;
                while (take > 0 && ((unsigned char)s[take] & 0xc0) == 0x80)
                    take--;
            }
            memcpy(t, s, take);
            t[take] = '\0';
            if (used == len && i < len)
                strcat(t, ">");
            if (room > 0)
                add_text(b, attr, WP_LAYOUT_NOLAYER, b->y++, first ? 2 : 4, room, t);
            rows++;
            s += used;
            len -= used;
            while (len > 0 && *s == ' ') {
                s++;
                len--;
            }
        }
        s += len;
        if (*s == '\n')
            s++;
    }
    if (*s) /* more than the box takes: said, not dropped silently */
        add_text(b, WP_LA_PLAIN, WP_LAYOUT_NOLAYER, b->y++, 2, w - 4, "(the rest is left off)");
    close_box(b, box);
}

void wp_layout_build(wp_layout *lo, const wp_packet *p, int width, int focus)
{
    builder b = {lo, p, 0};
    if (width < MIN_WIDTH)
        width = MIN_WIDTH;
    lo->width = width;
    lo->focus = focus;
    lo->height = 0;
    lo->nitems = lo->nfields = 0;
    lo->truncated = 0;
    for (int i = 0; i < WP_MAX_LAYERS; i++)
        lo->layer_box[i] = -1;

    if (lo->pre && *lo->pre)
        pre_box(&b, width);
    events_of(&b, WP_LAYOUT_NOLAYER, 0, width);

    /* The chain of boxes: every layer but a trailer, each inside the last
     * (a layer of the same depth as an open one beside it). */
    int chain[WP_MAX_LAYERS], xs[WP_MAX_LAYERS], ws[WP_MAX_LAYERS], boxes[WP_MAX_LAYERS];
    int nchain = 0, trailer = -1;
    for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
        if (p->layers[i].proto == WP_PROTO_TRAILER)
            trailer = (int)i;
        else
            chain[nchain++] = (int)i;
    }
    int x = 0, w = width;
    int conv_layer = lo->ann ? ann_layer(p) : -1;
    int open[WP_MAX_LAYERS], nopen = 0; /* chain indexes of the header boxes still open */
    for (int k = 0; k < nchain; k++) {
        unsigned li = (unsigned)chain[k];
        /* A layer beside the one before it (the next TLS record of a
         * segment has the depth of the first): close the boxes at its depth
         * or deeper, and take the place of the outermost of them. */
        while (nopen > 0 && p->layers[chain[open[nopen - 1]]].depth >= p->layers[li].depth) {
            int j = open[--nopen];
            close_box(&b, boxes[j]);
            boxes[j] = -2;
            x = xs[j];
            w = ws[j];
        }
        xs[k] = x;
        ws[k] = w;
        if (is_data_proto(p->layers[li].proto)) {
            data_box(&b, li, x, w);
            boxes[k] = -2; /* already closed */
        } else {
            boxes[k] = open_box(&b, li, x, w);
            if (focus < 0 || (int)li == focus)
                header_rows(&b, li, x + 2, w - 4);
            else
                header_flow(&b, li, x + 2, w - 4);
            events_of(&b, li, x + 2, w - 4);
            if ((int)li == conv_layer)
                conv_rows(&b, li, x + 2, w - 4);
            open[nopen++] = k;
        }
        int step = inner_step(w);
        x += step;
        w -= 2 * step;
    }
    int trailer_in_link = trailer >= 0 && nchain > 0 && is_link_proto(p->layers[chain[0]].proto);
    for (int k = nchain - 1; k >= 0; k--) {
        if (k == 0 && trailer_in_link) {
            int step = inner_step(ws[0]);
            data_box(&b, (unsigned)trailer, xs[0] + step, ws[0] - 2 * step);
        }
        if (boxes[k] != -2)
            close_box(&b, boxes[k]);
    }
    if (trailer >= 0 && !trailer_in_link)
        data_box(&b, (unsigned)trailer, 0, width);
    lo->height = b.y;
}

/* ---- details and recipes --------------------------------------------- */

const char *wp_layout_detail(const wp_packet *p, const wp_lfield *lf, char *buf, size_t n)
{
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (!lf || lf->layer >= p->nlayers || !lf->f)
        return buf;
    const wp_layer *l = &p->layers[lf->layer];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    char t[WP_LAYOUT_TEXT * 2];
    bput(buf, n, &pos, "%s.%s ", pi->name, lf->f->name);
    if (lf->opt >= 0 && lf->opt < p->nopts) {
        char r[32];
        range_text(lf->off, lf->len, r, sizeof r);
        bput(buf, n, &pos, "option %s ", r);
        for (uint32_t i = 0; i < lf->len && i < 12 && lf->off + i < p->caplen; i++)
            bput(buf, n, &pos, " %02x", p->data[lf->off + i]);
        if (lf->len > 12)
            bput(buf, n, &pos, " ...");
        wp_render_opt_text(p, l, &p->opts[lf->opt], t, sizeof t);
        bput(buf, n, &pos, "  -> %s", t);
    } else {
        bput(buf, n, &pos, "%s", wp_render_field_detail(p, l, lf->f, t, sizeof t));
    }
    char fmt[96];
    wp_layer_format(l, fmt, sizeof fmt);
    if (fmt[0])
        bput(buf, n, &pos, "  | struct '%s'", fmt);
    return buf;
}

/* What a layer's checksum status means, for the detail popup. */
static void csum_explain(const wp_layer *l, uint64_t held, char *buf, size_t n, size_t *pos)
{
    const char *over = l->proto == WP_PROTO_IPV4
                           ? "the IPv4 header's 16-bit words"
                           : (l->proto == WP_PROTO_TCP || l->proto == WP_PROTO_UDP)
                                 ? "the pseudo-header (addresses, protocol, length) and the "
                                   "whole segment"
                                 : "the whole message";
    bput(buf, n, pos, "checksum: the one's complement of the one's complement sum of %s\n",
         over);
    switch (l->csum) {
    case WP_CSUM_GOOD:
        bput(buf, n, pos, "computed 0x%04x, the field holds 0x%04x: they agree (good)\n",
             (unsigned)l->csum_computed, (unsigned)held);
        break;
    case WP_CSUM_BAD:
        bput(buf, n, pos,
             "computed 0x%04x, but the field holds 0x%04x (bad): the bytes changed after "
             "the sender summed them, or the sender summed them wrong\n",
             (unsigned)l->csum_computed, (unsigned)held);
        break;
    case WP_CSUM_OFFLOADED:
        bput(buf, n, pos,
             "offloaded: the field holds 0x%04x, only the pseudo-header's partial sum that "
             "Linux leaves for the network card to finish; the capture saw the packet before "
             "the card filled in the real checksum, so there is nothing to check here\n",
             (unsigned)held);
        break;
    case WP_CSUM_NONE:
        bput(buf, n, pos, "none: a UDP checksum of 0 over IPv4 means the sender computed none\n");
        break;
    case WP_CSUM_UNVERIFIED:
        bput(buf, n, pos, "unverified: too few bytes were captured (or this is a fragment) to "
                          "compute it\n");
        break;
    default:
        break;
    }
}

const char *wp_layout_explain(const wp_packet *p, const wp_lfield *lf, char *buf, size_t n)
{
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (!lf || lf->layer >= p->nlayers || !lf->f)
        return buf;
    const wp_layer *l = &p->layers[lf->layer];
    const wp_field *f = lf->f;
    const wp_proto_info *pi = wp_proto_get(l->proto);
    char t[WP_LAYOUT_TEXT * 4], r[32];
    range_text(lf->off, lf->len, r, sizeof r);
    bput(buf, n, &pos, "%s (%s.%s) in the %s header, %s %s of the frame\n\n", f->title,
         pi->name, f->name, pi->short_name, lf->len > 1 ? "bytes" : "byte", r + 1);
    bput(buf, n, &pos, "%s\n\n", wp_layout_detail(p, lf, t, sizeof t));
    int is_opt = lf->opt >= 0 && lf->opt < p->nopts;
    if (!is_opt && (f->kind == WP_FK_UINT || f->kind == WP_FK_BOOL)) {
        uint64_t v = wp_field_uint(l, f);
        if (f->mask) {
            bput(buf, n, &pos,
                 "bits: the %u byte(s) read big-endian, & 0x%x keeps this field's bits, >> %u "
                 "moves them down: %llu\n",
                 (unsigned)f->width, (unsigned)f->mask, (unsigned)f->shift,
                 (unsigned long long)v);
        }
        if (f->mult)
            bput(buf, n, &pos,
                 "derived: the header counts this in units of %u bytes, so %llu x %u = %llu "
                 "bytes\n",
                 (unsigned)f->mult, (unsigned long long)v, (unsigned)f->mult,
                 (unsigned long long)(v * f->mult));
        if ((f->flags & WP_FF_CHECKSUM) && l->csum != WP_CSUM_NA)
            csum_explain(l, v, buf, n, &pos);
        if (f->describe) {
            char d[96];
            if (f->describe(v, d, sizeof d))
                bput(buf, n, &pos, "meaning: %llu is %s\n", (unsigned long long)v, d);
        }
    }
    if (is_opt) {
        const wp_opt *o = &p->opts[lf->opt];
        bput(buf, n, &pos, "option kind %u, length %u%s\n", (unsigned)o->kind,
             (unsigned)o->len, o->bad ? " (its length contradicts the option or the header)" : "");
    }
    char fmt[96];
    wp_layer_format(l, fmt, sizeof fmt);
    if (fmt[0])
        bput(buf, n, &pos, "\nthe whole header: struct.unpack('%s', frame[%u:%u])  (s shows "
                           "every field)\n",
             fmt, (unsigned)l->off, (unsigned)(l->off + l->hdr_len));
    return buf;
}

const char *wp_layout_recipe(const wp_packet *p, unsigned layer, char *buf, size_t n)
{
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (layer >= p->nlayers)
        return buf;
    /* Walked from the header's field table, as -o struct walks it: the
     * format and frame slice, then each field's unpacking. */
    const wp_layer *l = &p->layers[layer];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    if (is_data_proto(l->proto)) {
        bput(buf, n, &pos, "  %s  frame[%u:%u]  %u bytes, not unpacked\n", pi->name,
             (unsigned)l->off, (unsigned)(l->off + l->len), (unsigned)l->len);
        return buf;
    }
    if (pi->nfields == 0) {
        bput(buf, n, &pos, "  %s  @%u  no field table\n", pi->name, (unsigned)l->off);
        return buf;
    }
    char fmt[128];
    wp_layer_format(l, fmt, sizeof fmt);
    bput(buf, n, &pos, "  %s  struct.unpack('%s', frame[%u:%u])%s\n", pi->name, fmt,
         (unsigned)l->off, (unsigned)(l->off + l->hdr_len),
         (l->flags & WP_LF_TRUNCATED) ? "  [truncated: too few bytes captured]" : "");
    for (size_t k = 0; k < pi->nfields; k++) {
        const wp_field *f = &pi->fields[k];
        if (f->present && !f->present(l))
            continue;
        size_t nl = strlen(f->name);
        bput(buf, n, &pos, "    %s%*s", f->name, (int)(nl < RECIPE_NAME_COL ? RECIPE_NAME_COL - nl : 1),
             "");
        if (!wp_field_shown(p, l, f)) {
            uint32_t off, len;
            wp_field_span(l, f, &off, &len);
            if ((f->kind == WP_FK_OPTIONS || f->kind == WP_FK_TEXT) && len == 0) {
                bput(buf, n, &pos, "none\n");
                continue;
            }
            char r[32];
            range_text(off, len, r, sizeof r);
            bput(buf, n, &pos, "%s  not captured\n", r);
            continue;
        }
        char t[WP_LAYOUT_TEXT * 4];
        bput(buf, n, &pos, "%s\n", wp_render_field_detail(p, l, f, t, sizeof t));
    }
    return buf;
}
