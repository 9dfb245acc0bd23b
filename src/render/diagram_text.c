/* The text header diagram (-o diagram, wirepeel diagram --format text and
 * md), RFC 791/793 style: two ruler lines with the tens and units of the
 * bit number, two columns a bit, '+-+' rules, a byte-offset gutter (frame
 * offsets, so a row lines up with -o hex), each field's name and value in
 * its cell; options one line each between ':' borders, as RFCs draw a
 * variable-length part. Every line is at most 80 columns: 6 of gutter and
 * 65 of grid (71), notes and titles are cut to 80. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/diagram.h"

#define GUT 6        /* "%5u " */
#define ROW_BITS 32u
#define MAX_COLS 80u
#define LABEL_LINES 3
#define LINE_BYTES 512

/* Where lines go: the sink, and (for the view) what each line shows. */
typedef struct dout {
    wp_sink *s;
    wp_diag_line *map; /* NULL: no map */
    size_t nmap, n;    /* map slots; lines written */
    wp_diag_line cur;  /* what the next line shows */
    int64_t ask;       /* the first bit of the cell whose name is hidden
                          behind '?' marks (a quiz question), -1: none */
} dout;

/* A line under construction: bytes (UTF-8) and the columns they take. */
typedef struct line {
    char b[LINE_BYTES];
    size_t n;
    unsigned cols;
} line;

static void l_put(line *ln, const char *s, size_t n)
{
    if (n > sizeof ln->b - 1 - ln->n)
        n = sizeof ln->b - 1 - ln->n;
    memcpy(ln->b + ln->n, s, n);
    ln->n += n;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0u) != 0x80u)
            ln->cols++;
}

static void l_ch(line *ln, char c, unsigned count)
{
    if (count > sizeof ln->b - 1 - ln->n)
        count = (unsigned)(sizeof ln->b - 1 - ln->n);
    memset(ln->b + ln->n, c, count);
    ln->n += count;
    ln->cols += count;
}

/* text centered in width columns (text already fits) */
static void l_center(line *ln, const char *text, unsigned width)
{
    unsigned tc = (unsigned)wp_diag_cols(text);
    if (tc > width)
        tc = width;
    unsigned left = (width - tc) / 2u;
    l_ch(ln, ' ', left);
    l_put(ln, text, strlen(text));
    l_ch(ln, ' ', width - tc - left);
}

static void l_emit(dout *o, line *ln)
{
    wp_sink *s = o->s;
    if (o->map && o->n < o->nmap)
        o->map[o->n] = o->cur;
    o->n++;
    /* no trailing blanks: goldens and copy-paste stay clean */
    while (ln->n > 0 && ln->b[ln->n - 1] == ' ')
        ln->n--;
    wp_sink_write(s, ln->b, ln->n);
    wp_sink_putc(s, '\n');
    ln->n = 0;
    ln->cols = 0;
}

/* A note or title: cut to 80 columns. */
static void emit_cut(dout *s, const char *text)
{
    line ln;
    ln.n = 0;
    ln.cols = 0;
    size_t i = 0;
    unsigned cols = 0;
    while (text[i] && ln.n < sizeof ln.b - 1) {
        int lead = ((unsigned char)text[i] & 0xc0u) != 0x80u;
        if (lead && cols == MAX_COLS)
            break;
        cols += (unsigned)lead;
        ln.b[ln.n++] = text[i++];
    }
    l_emit(s, &ln);
}

/* A note: lines of at most 80 columns, broken at a space, the rest
 * indented under it; a word longer than a line is cut there. */
static void emit_wrapped(dout *s, const char *text)
{
    const char *p = text;
    int first = 1;
    while (*p) {
        char buf[LINE_BYTES];
        size_t n = 0;
        unsigned cols = 0;
        if (!first) {
            memcpy(buf, "      ", 6);
            n = cols = 6;
        }
        size_t brk = 0; /* bytes of p taken up to the last space that fits */
        size_t i = 0;
        while (p[i] && n < sizeof buf - 1) {
            int lead = ((unsigned char)p[i] & 0xc0u) != 0x80u;
            if (lead && cols == MAX_COLS)
                break;
            if (p[i] == ' ' && i > 0)
                brk = i;
            cols += (unsigned)lead;
            buf[n++] = p[i++];
        }
        if (p[i] && brk > 0) {
            n -= i - brk; /* back to the last space */
            i = brk;
        }
        buf[n] = '\0';
        emit_cut(s, buf);
        p += i;
        while (*p == ' ')
            p++;
        first = 0;
    }
}

/* Index of the cell holding bit (below end), or -1. */
static int cell_at(const wp_diag *d, uint32_t bit, uint32_t end)
{
    return bit >= end ? -1 : wp_diag_cell_at(d, bit);
}

static void upper_copy(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
    out[i] = '\0';
}

/* The cell's name in up to LABEL_LINES lines of at most cols columns: the
 * title, its "(ABBR)", the field's name, the title word-wrapped, a short
 * name stacked one letter a line (RFC 793's flags), else the name cut. */
static unsigned label_lines(const wp_diag_cell *c, unsigned cols, char out[LABEL_LINES][64])
{
    const char *title = wp_diag_cell_title(c);
    const char *name = wp_diag_cell_name(c);
    if (wp_diag_cell_label(c, cols, out[0], 64))
        return 1;
    /* word wrap */
    unsigned nl = 0;
    const char *w = title;
    char cur[64] = "";
    int ok = 1;
    while (*w && ok) {
        while (*w == ' ')
            w++;
        const char *e = w;
        while (*e && *e != ' ')
            e++;
        size_t wl = (size_t)(e - w);
        if (wl == 0)
            break;
        if (wl > cols || wl >= 63) {
            ok = 0;
            break;
        }
        size_t cl = strlen(cur);
        if (cl && cl + 1 + wl <= cols) {
            snprintf(cur + cl, sizeof cur - cl, " %.*s", (int)wl, w);
        } else {
            if (cl) {
                if (nl == LABEL_LINES) {
                    ok = 0;
                    break;
                }
                snprintf(out[nl++], 64, "%s", cur);
            }
            snprintf(cur, sizeof cur, "%.*s", (int)wl, w);
        }
        w = e;
    }
    if (ok && cur[0] && nl < LABEL_LINES) {
        snprintf(out[nl++], 64, "%s", cur);
        return nl;
    }
    char up[8];
    upper_copy(up, sizeof up, c->kind == WP_DC_REST ? "Rsv" : name);
    size_t ul = strlen(up);
    if (ul >= 1 && ul <= LABEL_LINES) {
        for (size_t i = 0; i < ul; i++) {
            out[i][0] = up[i];
            out[i][1] = '\0';
        }
        return (unsigned)ul;
    }
    size_t o = 0;
    unsigned used = 0;
    for (const char *s = name; *s && o + 1 < 64 && used < cols; s++, used++)
        out[0][o++] = *s;
    out[0][o] = '\0';
    return 1;
}

/* A piece: the part of one cell in one row. */
typedef struct piece {
    int ci;          /* cell index, -1: nothing */
    uint32_t b0, w;  /* row-relative first bit, bits */
    int first;       /* the cell starts in this row */
    unsigned nlab;
    char lab[LABEL_LINES][64];
    char val[96];
    int full;        /* the value fitted whole */
} piece;

static void separator(dout *s, const wp_diag *d, uint32_t above, uint32_t wa, uint32_t below,
                      uint32_t wb, uint32_t end)
{
    uint32_t w = wa > wb ? wa : wb;
    line ln;
    ln.n = 0;
    ln.cols = 0;
    l_ch(&ln, ' ', GUT);
    char dash[ROW_BITS];
    int ca[ROW_BITS]; /* the cell above each bit */
    for (uint32_t b = 0; b < w; b++) {
        ca[b] = b < wa ? cell_at(d, above + b, end) : -1;
        int cb = b < wb ? cell_at(d, below + b, end) : -1;
        dash[b] = ca[b] != cb;
    }
    for (uint32_t k = 0; k <= w; k++) {
        int ld = k > 0 && dash[k - 1];
        int rd = k < w && dash[k];
        char ch = ' ';
        if (ld || rd || ((k == 0 || k == wa) && wa > 0 && wa == wb)) {
            /* RFC 8200 marks a cell that goes on into the next row with '+'
             * at the outer edges */
            ch = '+';
        } else {
            int al = k > 0 && k - 1 < wa ? ca[k - 1] : -1;
            int ar = k < wa ? ca[k] : -1;
            if (al != ar)
                ch = '|';
        }
        l_ch(&ln, ch, 1);
        if (k < w)
            l_ch(&ln, dash[k] ? '-' : ' ', 1);
    }
    l_emit(s, &ln);
}

static void ruler(dout *s)
{
    s->cur.ruler = 1;
    line ln;
    ln.n = 0;
    ln.cols = 0;
    l_ch(&ln, ' ', GUT);
    for (unsigned b = 0; b < ROW_BITS; b++) {
        l_ch(&ln, ' ', 1);
        l_ch(&ln, b % 10u == 0 ? (char)('0' + b / 10u) : ' ', 1);
    }
    l_emit(s, &ln);
    l_ch(&ln, ' ', GUT);
    for (unsigned b = 0; b < ROW_BITS; b++) {
        l_ch(&ln, ' ', 1);
        l_ch(&ln, (char)('0' + b % 10u), 1);
    }
    l_emit(s, &ln);
    s->cur.ruler = 0;
}

/* Notes under the diagram: the fields drawn as parts, values that did not
 * fit their cell, the checksum, a cut header. */
typedef struct notes {
    char text[12][224];
    unsigned n;
} notes;

/* "  Title: value", or with the field's short name when that is too long */
static void note(notes *nt, const char *title, const char *name, const char *value)
{
    if (nt->n >= sizeof nt->text / sizeof nt->text[0])
        return;
    if (name && wp_diag_cols(title) + wp_diag_cols(value) + 4u > MAX_COLS)
        title = name;
    snprintf(nt->text[nt->n++], sizeof nt->text[0], "  %s: %s", title, value);
}

static void row(dout *s, const wp_diag *d, uint32_t rs, uint32_t rw, uint32_t end, int blank,
                notes *nt)
{
    piece pc[ROW_BITS];
    unsigned np = 0;
    for (uint32_t b = 0; b < rw;) {
        int ci = cell_at(d, rs + b, end);
        uint32_t e = b + 1;
        while (e < rw && cell_at(d, rs + e, end) == ci)
            e++;
        piece *p = &pc[np++];
        memset(p, 0, sizeof *p);
        p->ci = ci;
        p->b0 = b;
        p->w = e - b;
        if (ci >= 0) {
            const wp_diag_cell *c = &d->cells[ci];
            unsigned cols = 2u * p->w - 1u;
            p->first = c->bit >= rs;
            if (p->first) {
                p->nlab = label_lines(c, cols, p->lab);
                if (s->ask >= 0 && c->bit == (uint64_t)s->ask) {
                    /* the cell the student is to name: its name hidden */
                    p->nlab = 1;
                    snprintf(p->lab[0], sizeof p->lab[0], "%s", cols >= 3 ? "???" : "?");
                }
                if (!blank) {
                    p->full = wp_diag_cell_value(d, c, cols, p->val, sizeof p->val);
                    if (p->full == 0 && c->kind == WP_DC_FIELD) {
                        char full[96];
                        wp_render_field_value(d->p, d->l, c->f, full, sizeof full);
                        note(nt, c->f->title, c->f->name, full);
                    }
                }
            }
        }
        b = e;
    }
    unsigned h = 0, any_first = 0;
    for (unsigned i = 0; i < np; i++) {
        if (pc[i].first) {
            any_first = 1;
            if (pc[i].nlab > h)
                h = pc[i].nlab;
        }
    }
    unsigned lines = any_first ? h + (blank ? 0u : 1u) : 1u;
    s->cur.row = (int32_t)(rs / ROW_BITS);
    for (unsigned li = 0; li < lines; li++) {
        line ln;
    ln.n = 0;
    ln.cols = 0;
        char gut[16];
        if (li == 0)
            snprintf(gut, sizeof gut, "%5u ", (unsigned)(d->l->off + rs / 8u));
        else
            snprintf(gut, sizeof gut, "      ");
        l_put(&ln, gut, strlen(gut));
        for (unsigned i = 0; i < np; i++) {
            const piece *p = &pc[i];
            unsigned cols = 2u * p->w - 1u;
            int var = p->ci >= 0 && d->cells[p->ci].kind == WP_DC_VAR;
            l_ch(&ln, var ? ':' : '|', 1);
            const char *text = "";
            if (p->first && any_first) {
                if (li < h) {
                    /* labels sit at the bottom of the label block, next to the value */
                    unsigned top = h - p->nlab;
                    if (li >= top)
                        text = p->lab[li - top];
                } else {
                    text = p->val;
                }
            }
            l_center(&ln, text, cols);
        }
        int lastvar = np && pc[np - 1].ci >= 0 && d->cells[pc[np - 1].ci].kind == WP_DC_VAR;
        l_ch(&ln, lastvar ? ':' : '|', 1);
        l_emit(s, &ln);
    }
    s->cur.row = -1;
}

/* One option line of the variable part: gutter, ':' borders, the text. */
static void var_line(dout *s, uint32_t off, const char *text)
{
    line ln;
    ln.n = 0;
    ln.cols = 0;
    char gut[16];
    snprintf(gut, sizeof gut, "%5u ", (unsigned)off);
    l_put(&ln, gut, strlen(gut));
    l_put(&ln, ": ", 2);
    char cut[96];
    size_t o = 0;
    unsigned used = 0;
    for (const char *p = text; *p && o + 1 < sizeof cut; p++) {
        int lead = ((unsigned char)*p & 0xc0u) != 0x80u;
        if (lead && used == 2u * ROW_BITS - 3u)
            break;
        used += (unsigned)lead;
        cut[o++] = *p;
    }
    cut[o] = '\0';
    l_put(&ln, cut, o);
    l_ch(&ln, ' ', 2u * ROW_BITS - 2u - used);
    l_ch(&ln, ':', 1);
    l_emit(s, &ln);
}

static void var_part(dout *s, const wp_diag *d, const wp_diag_cell *v, int blank)
{
    const wp_packet *p = d->p;
    const wp_layer *l = d->l;
    uint32_t start = l->off + v->bit / 8u;
    uint32_t end = l->off + (v->bit + v->nbits) / 8u;
    uint32_t cap_end = l->off + d->cap_bits / 8u;
    uint32_t at = start;
    char text[160];
    int after_eol = 0;
    /* Texts at their own offsets (an HTTP start line's parts) come first,
     * one line each: they lie before the options in the variable part. */
    const wp_proto_info *pi = wp_proto_get(l->proto);
    for (size_t k = 0; k < pi->nfields; k++) {
        const wp_field *f = &pi->fields[k];
        uint32_t fo, fl;
        if (f->kind != WP_FK_TEXT || !wp_field_shown(p, l, f))
            continue;
        wp_field_span(l, f, &fo, &fl);
        if (fo < start || fo >= end)
            continue;
        char val[128];
        if (blank) /* a worksheet: where and how long, not the value */
            snprintf(text, sizeof text, "%s (%u bytes)", f->title, (unsigned)fl);
        else
            snprintf(text, sizeof text, "%s: %s", f->title,
                     wp_render_field_value(p, l, f, val, sizeof val));
        var_line(s, fo, text);
        if (fo + fl > at)
            at = fo + fl;
    }
    for (unsigned i = 0; i < l->opt_count && (unsigned)l->opt_first + i < p->nopts; i++) {
        const wp_opt *o = &p->opts[l->opt_first + i];
        if (o->off < start || o->off >= end)
            continue;
        wp_diag_opt_text(d, o, blank, text, sizeof text);
        s->cur.var = 1;
        s->cur.opt = (int32_t)(l->opt_first + i);
        var_line(s, o->off, text);
        s->cur.opt = -1;
        after_eol = o->kind == 0 && (l->proto == WP_PROTO_IPV4 || l->proto == WP_PROTO_TCP);
        uint32_t ol = wp_opt_extent(l, o);
        if (o->off + ol > at)
            at = o->off + ol;
    }
    s->cur.var = 1;
    if (at < end && at < cap_end) {
        uint32_t e = end < cap_end ? end : cap_end;
        if (end > cap_end)
            snprintf(text, sizeof text, "cut short, not decoded: %u byte%s captured",
                     (unsigned)(e - at), e - at == 1 ? "" : "s");
        else if (after_eol)
            snprintf(text, sizeof text, "padding after eol: %u byte%s", (unsigned)(e - at),
                     e - at == 1 ? "" : "s");
        else
            snprintf(text, sizeof text, "%s: %u byte%s", v->f->title, (unsigned)(e - at),
                     e - at == 1 ? "" : "s");
        var_line(s, at, text);
        at = e;
    }
    if (at < end) {
        snprintf(text, sizeof text, "missing: bytes %u..%u not captured", (unsigned)at,
                 (unsigned)(end - 1u));
        var_line(s, at, text);
    }
    s->cur.var = 0;
}

static void text_layer(dout *s, const wp_packet *p, unsigned li, int blank)
{
    wp_diag d;
    char t[192];
    if (li >= p->nlayers)
        return;
    const wp_layer *l = &p->layers[li];
    if (wp_diag_build(p, li, &d) != 0) {
        const wp_proto_info *pi = wp_proto_get(l->proto);
        snprintf(t, sizeof t, "%s: %u byte%s at %u", pi->title, (unsigned)l->len,
                 l->len == 1 ? "" : "s", (unsigned)l->off);
        emit_cut(s, t);
        return;
    }
    snprintf(t, sizeof t, "%s (%s) at %u, %u bytes%s%s", d.info->short_name, d.info->title,
             (unsigned)l->off, (unsigned)(d.nbits / 8u),
             (l->flags & WP_LF_QUOTED) ? ", quoted" : "",
             d.cap_bits < d.nbits ? ", cut short" : "");
    emit_cut(s, t);
    ruler(s);
    const wp_diag_cell *var;
    uint32_t end = wp_diag_grid_end(&d, &var);
    notes nt = {.n = 0};
    uint32_t prev = 0, prev_w = 0;
    for (uint32_t rs = 0; rs < end; rs += ROW_BITS) {
        uint32_t rw = end - rs < ROW_BITS ? end - rs : ROW_BITS;
        separator(s, &d, prev, prev_w, rs, rw, end);
        row(s, &d, rs, rw, end, blank, &nt);
        prev = rs;
        prev_w = rw;
    }
    separator(s, &d, prev, prev_w, end, 0, end);
    if (var) {
        var_part(s, &d, var, blank);
        line ln;
    ln.n = 0;
    ln.cols = 0;
        l_ch(&ln, ' ', GUT);
        for (unsigned b = 0; b < ROW_BITS; b++)
            l_put(&ln, "+-", 2);
        l_ch(&ln, '+', 1);
        l_emit(s, &ln);
    }
    if (!blank) {
        for (unsigned i = 0; i < d.nsplit; i++) {
            char v[96];
            wp_render_field_value(p, l, d.split[i], v, sizeof v);
            if (wp_field_shown(p, l, d.split[i]))
                note(&nt, d.split[i]->title, d.split[i]->name, v);
        }
        const char *cs = wp_layer_csum_name(l);
        if (cs)
            note(&nt, "checksum", NULL, cs);
    }
    if (d.cap_bits < d.nbits) {
        char m[96];
        snprintf(m, sizeof m, "bytes %u..%u not captured",
                 (unsigned)(l->off + d.cap_bits / 8u), (unsigned)(l->off + d.nbits / 8u - 1u));
        note(&nt, "missing", NULL, m);
    }
    /* what the decoder said about this header (invalid, truncated, bad
     * checksum): the diagram shows the bytes as they are, the event why */
    for (unsigned i = 0; i < p->nevents && i < WP_MAX_EVENTS; i++) {
        const wp_event *e = &p->events[i];
        if (e->layer != li || !e->def)
            continue;
        char et[128];
        wp_render_event_text(e, et, sizeof et);
        char code[64];
        snprintf(code, sizeof code, "! %s", e->def->code);
        note(&nt, code, NULL, et);
    }
    for (unsigned i = 0; i < nt.n; i++)
        emit_wrapped(s, nt.text[i]);
}

void wp_diag_text_layer(wp_sink *s, const wp_packet *p, unsigned li, int blank)
{
    dout o = {.s = s, .cur = {.row = -1, .opt = -1, .var = 0, .ruler = 0}, .ask = -1};
    text_layer(&o, p, li, blank);
}

size_t wp_diag_text_ask(wp_sink *s, const wp_packet *p, unsigned li, uint32_t bit)
{
    dout o = {.s = s, .cur = {.row = -1, .opt = -1, .var = 0, .ruler = 0}, .ask = bit};
    text_layer(&o, p, li, 1);
    return o.n;
}

size_t wp_diag_text_map(wp_sink *s, const wp_packet *p, unsigned li, int blank,
                        wp_diag_line *map, size_t nmap)
{
    dout o = {.s = s, .map = map, .nmap = nmap, .cur = {.row = -1, .opt = -1, .var = 0, .ruler = 0},
              .ask = -1};
    text_layer(&o, p, li, blank);
    return o.n;
}

int wp_diag_lit_cols(const wp_diag_line *m, const wp_diag_sel *sel, int *c0, int *c1)
{
    if (m->ruler && sel->nbits) {
        uint32_t b0 = sel->bit % 32u;
        uint32_t b1 = b0 + sel->nbits < 32u ? b0 + sel->nbits : 32u;
        *c0 = GUT + 1 + 2 * (int)b0;
        *c1 = GUT + 2 * (int)b1;
        return 1;
    }
    if (m->row >= 0 && sel->nbits) {
        uint32_t rs = (uint32_t)m->row * 32u, re = rs + 32u;
        uint32_t a = sel->bit > rs ? sel->bit : rs;
        uint32_t b = sel->bit + sel->nbits < re ? sel->bit + sel->nbits : re;
        if (a >= b)
            return 0;
        *c0 = GUT + 1 + 2 * (int)(a - rs);
        *c1 = GUT + 2 * (int)(b - rs);
        return 1;
    }
    if ((sel->opt >= 0 && m->opt == sel->opt) || (sel->all_opts && m->var)) {
        *c0 = GUT + 1;
        *c1 = GUT + 64;
        return 1;
    }
    return 0;
}

void wp_render_diagram(wp_sink *s, const wp_packet *p, uint64_t frame_no,
                       const wp_render_opts *o)
{
    (void)o;
    wp_diag_write(s, WP_DIAG_TEXT, p, frame_no, -1, 0);
}
