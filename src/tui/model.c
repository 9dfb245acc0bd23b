/* The view's model: packets, filter, selection, following, rows, search,
 * pane shares, bars and the log, all without curses (see model.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/render.h"
#include "model.h"

/* Narrow rows and arrows leave out the frame's size (", 74 bytes", in
 * the layered pane's title too) to give its room to the info; the marks
 * after it stay. */
static void drop_bytes(char *line)
{
    char *b = strstr(line, " bytes");
    char *c = b;
    while (c && c > line && *c != ',')
        c--;
    if (b && c && *c == ',')
        memmove(c, b + 6, strlen(b + 6) + 1);
}

/* ---- the packets ------------------------------------------------------ */

int wp_tmodel_init_mem(wp_tmodel *m, size_t cap)
{
    memset(m, 0, sizeof *m);
    m->shown = SIZE_MAX;
    m->cap = cap ? cap : 1;
    m->ring = calloc(m->cap, sizeof *m->ring);
    m->vis = calloc(m->cap, sizeof *m->vis);
    if (!m->ring || !m->vis) {
        wp_tmodel_free(m);
        return -1;
    }
    return 0;
}

void wp_tmodel_init_file(wp_tmodel *m, wp_pindex *ix, wp_capture_file *rdf)
{
    memset(m, 0, sizeof *m);
    m->shown = SIZE_MAX;
    m->ix = ix;
    m->rdf = rdf;
}

/* Forget the tracker and its annotations: no marks from now on. */
static void untrack(wp_tmodel *m)
{
    wp_treasm_free(m);
    wp_flow_free(m->flow);
    free(m->ann);
    free(m->reply_of);
    free(m->scratch);
    m->flow = NULL;
    m->ann = NULL;
    m->reply_of = NULL;
    m->scratch = NULL;
}

void wp_tmodel_free(wp_tmodel *m)
{
    untrack(m);
    wp_renderer_free(m->rend);
    m->rend = NULL;
    if (m->ring)
        for (size_t i = 0; i < m->cap; i++)
            free(m->ring[i].data);
    free(m->ring);
    free(m->vis);
    m->ring = NULL;
    m->vis = NULL;
    m->n = m->nvis = 0;
}

static int passes(const wp_tmodel *m, const wp_tframe *t)
{
    return t->keep && (!m->match || m->match(m->match_ctx, &t->f));
}

/* The kept frame numbered num, or NULL when it is gone or never kept. */
static wp_tframe *kept(wp_tmodel *m, uint64_t num)
{
    if (m->n == 0)
        return NULL;
    uint64_t first = m->ring[m->start].num;
    if (num < first || num - first >= m->n)
        return NULL;
    wp_tframe *t = &m->ring[(m->start + (size_t)(num - first)) % m->cap];
    return t->num == num ? t : NULL;
}

int wp_tmodel_push(wp_tmodel *m, const wp_frame *f)
{
    if (!m->ring)
        return -1;
    uint64_t num = ++m->total;
    wp_tframe *t;
    if (m->n == m->cap) {
        /* the oldest goes, and with it its row and any listed position */
        t = &m->ring[m->start];
        if (m->nvis && m->vis[m->vstart] == t->num) {
            m->vstart = (m->vstart + 1) % m->cap;
            m->nvis--;
            if (m->sel > 0)
                m->sel--;
            if (m->top > 0)
                m->top--;
            if (m->shown != SIZE_MAX && m->shown > 0)
                m->shown--;
        }
        m->start = (m->start + 1) % m->cap;
        m->n--;
    }
    /* frames are kept in number order: a gap (one that could not be
     * kept) leaves the ring contiguous from the next one */
    if (m->n && m->ring[(m->start + m->n - 1) % m->cap].num != num - 1) {
        for (size_t i = 0; i < m->cap; i++) {
            free(m->ring[i].data);
            m->ring[i].data = NULL;
        }
        m->start = m->n = m->vstart = m->nvis = 0;
        m->sel = m->top = 0;
        if (m->shown != SIZE_MAX)
            m->shown = 0;
    }
    t = &m->ring[(m->start + m->n) % m->cap];
    uint8_t *d = realloc(t->data, f->caplen ? f->caplen : 1);
    if (!d)
        return -1;
    if (f->caplen)
        memcpy(d, f->data, f->caplen);
    t->data = d;
    t->f = *f;
    t->f.data = d;
    t->num = num;
    t->keep = (uint8_t)(!m->keep || m->keep(m->keep_ctx, &t->f, num));
    m->n++;
    if (m->flow) {
        size_t slot = (size_t)(t - m->ring);
        wp_decode(&t->f, m->scratch);
        wp_flow_track(m->flow, m->scratch, num, &m->ann[slot]);
        wp_treasm_feed(m, m->scratch, num);
        m->reply_of[slot] = 0;
        wp_tframe *req = m->ann[slot].reply_to ? kept(m, m->ann[slot].reply_to) : NULL;
        if (req)
            m->reply_of[req - m->ring] = num;
    }
    if (!m->have_first) {
        m->first_sec = f->ts_sec;
        m->first_nsec = f->ts_nsec;
        m->have_first = 1;
    }
    if (passes(m, t)) {
        m->vis[(m->vstart + m->nvis) % m->cap] = num;
        m->nvis++;
    }
    return 0;
}

void wp_tmodel_refilter(wp_tmodel *m, wp_tmatch_fn match, void *ctx)
{
    m->match = match;
    m->match_ctx = ctx;
    if (!m->ring)
        return;
    m->vstart = m->nvis = 0;
    for (size_t i = 0; i < m->n; i++) {
        const wp_tframe *t = &m->ring[(m->start + i) % m->cap];
        if (passes(m, t))
            m->vis[m->nvis++] = t->num;
    }
    m->sel = m->top = 0;
    if (m->shown != SIZE_MAX)
        m->shown = m->nvis;
}

size_t wp_tmodel_count(const wp_tmodel *m)
{
    return m->ix ? m->ix->n : m->nvis;
}

size_t wp_tmodel_visible(const wp_tmodel *m)
{
    size_t n = wp_tmodel_count(m);
    return m->shown < n ? m->shown : n;
}

int wp_tmodel_frame(wp_tmodel *m, size_t i, wp_frame *f, uint64_t *num)
{
    if (m->ix) {
        if (wp_pindex_read(m->ix, m->rdf, i, f, m->err, sizeof m->err) != 1)
            return -1;
        *num = m->ix->num[i];
        return 1;
    }
    if (i >= m->nvis) {
        snprintf(m->err, sizeof m->err, "no packet %zu", i + 1);
        return -1;
    }
    const wp_tframe *t = kept(m, m->vis[(m->vstart + i) % m->cap]);
    if (!t) {
        snprintf(m->err, sizeof m->err, "packet %zu is no longer kept", i + 1);
        return -1;
    }
    *f = t->f;
    *num = t->num;
    return 1;
}

size_t wp_tmodel_find_num(wp_tmodel *m, uint64_t num)
{
    size_t lo = 0, hi = wp_tmodel_visible(m);
    /* both stores list numbers in increasing order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t v = m->ix ? m->ix->num[mid] : m->vis[(m->vstart + mid) % m->cap];
        if (v == num)
            return mid;
        if (v < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* The index of the file's listed frame numbered num among all indexed
 * (not only those shown), or SIZE_MAX. */
static size_t file_index_of(const wp_tmodel *m, uint64_t num)
{
    size_t lo = 0, hi = m->ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ix->num[mid] == num)
            return mid;
        if (m->ix->num[mid] < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

int wp_tmodel_frame_num(wp_tmodel *m, uint64_t num, wp_frame *f)
{
    if (m->ix) {
        size_t i = file_index_of(m, num);
        if (i == SIZE_MAX)
            return -1;
        return wp_pindex_read(m->ix, m->rdf, i, f, m->err, sizeof m->err) == 1 ? 1 : -1;
    }
    const wp_tframe *t = kept(m, num);
    if (!t)
        return -1;
    *f = t->f;
    return 1;
}

/* ---- conversations ------------------------------------------------------ */

/* A tracker with the view's cap on conversations kept at once. */
static wp_flow *new_tracker(void)
{
    wp_flow_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_convs = WP_TMODEL_CONVS;
    return wp_flow_new(&cfg);
}

int wp_tmodel_track(wp_tmodel *m)
{
    m->ann_cap = m->ix ? WP_TMODEL_FILE_ANN : m->cap;
    m->flow = new_tracker();
    m->ann = calloc(m->ann_cap, sizeof *m->ann);
    m->reply_of = calloc(m->ann_cap, sizeof *m->reply_of);
    m->scratch = malloc(sizeof *m->scratch);
    if (!m->flow || !m->ann || !m->reply_of || !m->scratch) {
        untrack(m);
        return -1;
    }
    m->ann_n = 0;
    /* without memory for it, the view goes on without reassembly */
    (void)wp_treasm_new(m);
    return 0;
}

size_t wp_tmodel_annotate(wp_tmodel *m, size_t budget)
{
    size_t done = 0;
    if (!m->ix || !m->flow)
        return 0;
    while (done < budget && m->ann_n < m->ix->n && m->ann_n < m->ann_cap) {
        wp_frame f;
        uint64_t num;
        if (wp_tmodel_frame(m, m->ann_n, &f, &num) != 1)
            break;
        wp_decode(&f, m->scratch);
        wp_flow_ann *a = &m->ann[m->ann_n];
        wp_flow_track(m->flow, m->scratch, num, a);
        wp_treasm_feed(m, m->scratch, num);
        m->reply_of[m->ann_n] = 0;
        if (a->reply_to) {
            size_t r = file_index_of(m, a->reply_to);
            if (r != SIZE_MAX && r < m->ann_cap)
                m->reply_of[r] = num;
        }
        m->ann_n++;
        done++;
    }
    /* past the tracker's cap, reassembly goes on alone */
    if (m->ann_n >= m->ann_cap && done < budget)
        done += wp_treasm_catch_up(m, budget - done);
    return done;
}

/* Where listed packet i's annotation lives, or SIZE_MAX. */
static size_t ann_slot(const wp_tmodel *m, size_t i)
{
    if (!m->flow)
        return SIZE_MAX;
    if (m->ix)
        return i < m->ann_n ? i : SIZE_MAX;
    if (i >= m->nvis || m->n == 0)
        return SIZE_MAX;
    uint64_t num = m->vis[(m->vstart + i) % m->cap];
    uint64_t first = m->ring[m->start].num;
    if (num < first || num - first >= m->n)
        return SIZE_MAX;
    return (m->start + (size_t)(num - first)) % m->cap;
}

const wp_flow_ann *wp_tmodel_ann(wp_tmodel *m, size_t i)
{
    size_t s = ann_slot(m, i);
    return s == SIZE_MAX ? NULL : &m->ann[s];
}

/* Listed index of frame number num among all listed (not only shown). */
static size_t listed_index(wp_tmodel *m, uint64_t num)
{
    if (m->ix)
        return file_index_of(m, num);
    size_t keep = m->shown;
    m->shown = SIZE_MAX;
    size_t i = wp_tmodel_find_num(m, num);
    m->shown = keep;
    return i;
}

static double ts_of(const wp_frame *f)
{
    return (double)f->ts_sec + (double)f->ts_nsec / 1e9;
}

int wp_tmodel_pairing(wp_tmodel *m, size_t i, size_t *partner)
{
    *partner = SIZE_MAX;
    size_t s = ann_slot(m, i);
    if (s == SIZE_MAX)
        return 0;
    const wp_flow_ann *a = &m->ann[s];
    size_t vis = wp_tmodel_visible(m);
    if (a->reply_to) {
        *partner = listed_index(m, a->reply_to);
        return 3;
    }
    if (!a->is_request)
        return 0;
    uint64_t rnum = m->reply_of[s];
    if (rnum) {
        size_t r = listed_index(m, rnum);
        if (r != SIZE_MAX && r < vis) {
            *partner = r;
            return 1;
        }
    }
    /* no reply shown yet: unanswered once the capture went on a second
     * past the request, or ended; unless a filter hid records from the
     * tracker, which may have held the reply */
    if (vis == 0 || m->unseen)
        return 0;
    wp_frame f;
    uint64_t num;
    if (wp_tmodel_frame(m, i, &f, &num) != 1)
        return 0;
    double t = ts_of(&f);
    if (wp_tmodel_frame(m, vis - 1, &f, &num) != 1)
        return 0;
    int ended = m->complete && vis == wp_tmodel_count(m);
    return ts_of(&f) - t >= 1.0 || ended ? 2 : 0;
}

void wp_tmodel_retrack(wp_tmodel *m)
{
    if (!m->flow)
        return;
    wp_flow_free(m->flow);
    m->flow = new_tracker();
    m->ann_n = 0;
    wp_treasm_free(m);
    if (!m->flow)
        untrack(m);
    else
        (void)wp_treasm_new(m);
}

const char *wp_tmodel_arrow_label(wp_tmodel *m, size_t i, wp_packet *pkt, char *buf, size_t n)
{
    char row[512];
    buf[0] = '\0';
    wp_tmodel_row(m, i, pkt, 1, (int)sizeof row - 1, 0, row, sizeof row);
    drop_bytes(row);
    /* "N time src -> dst PROTO rest": the rest */
    const char *arrow = strstr(row, " -> ");
    const char *sp = arrow ? strchr(arrow + 4, ' ') : NULL; /* after dst */
    const char *rest = sp ? strchr(sp + 1, ' ') : NULL;     /* after PROTO */
    if (!rest) {
        snprintf(buf, n, "%s", row);
        return buf;
    }
    snprintf(buf, n, "%s", rest + 1);
    return buf;
}

size_t wp_tmodel_conv_step(wp_tmodel *m, size_t i, int dir)
{
    const wp_flow_ann *a = wp_tmodel_ann(m, i);
    if (!a || a->kind == WP_FLOW_NONE)
        return SIZE_MAX;
    uint8_t kind = a->kind;
    uint32_t stream = a->stream;
    size_t n = wp_tmodel_visible(m);
    for (size_t k = 1; k < n; k++) {
        if (dir < 0 && k > i)
            break;
        size_t j = dir < 0 ? i - k : i + k;
        if (j >= n)
            break;
        const wp_flow_ann *b = wp_tmodel_ann(m, j);
        if (!b)
            break;
        if (b->kind == kind && b->stream == stream)
            return j;
    }
    return SIZE_MAX;
}

/* ---- selection and following ------------------------------------------- */

void wp_tmodel_select(wp_tmodel *m, size_t i)
{
    size_t n = wp_tmodel_visible(m);
    if (n == 0) {
        m->sel = 0;
        return;
    }
    m->sel = i < n ? i : n - 1;
}

void wp_tmodel_move(wp_tmodel *m, long d)
{
    if (d < 0) {
        size_t back = (size_t)(-d);
        wp_tmodel_select(m, m->sel > back ? m->sel - back : 0);
        if (m->follow == WP_TF_ON)
            m->follow = WP_TF_HELD_ROW;
    } else {
        wp_tmodel_select(m, m->sel + (size_t)d);
    }
}

void wp_tmodel_field_picked(wp_tmodel *m)
{
    if (m->follow == WP_TF_ON)
        m->follow = WP_TF_HELD_FIELD;
}

void wp_tmodel_end(wp_tmodel *m, int live)
{
    size_t n = wp_tmodel_visible(m);
    if (n)
        wp_tmodel_select(m, n - 1);
    if (live)
        m->follow = WP_TF_ON;
}

void wp_tmodel_toggle_follow(wp_tmodel *m, int live)
{
    if (!live)
        return;
    if (m->follow == WP_TF_ON) {
        m->follow = WP_TF_PAUSED_OFF;
        return;
    }
    wp_tmodel_end(m, live);
}

void wp_tmodel_tick(wp_tmodel *m)
{
    size_t n = wp_tmodel_visible(m);
    if (m->follow == WP_TF_ON && n)
        m->sel = n - 1;
    if (n && m->sel >= n)
        m->sel = n - 1;
}

const char *wp_tmodel_follow_text(const wp_tmodel *m, int shortform)
{
    switch (m->follow) {
    case WP_TF_ON:
        return "following";
    case WP_TF_HELD_ROW:
        return shortform ? "held (End)" : "held: scrolled up (End resumes)";
    case WP_TF_HELD_FIELD:
        return shortform ? "held (f)" : "held: field selected (f resumes)";
    case WP_TF_PAUSED_OFF:
        return shortform ? "not following (f)" : "not following (f resumes)";
    default:
        return "";
    }
}

size_t wp_tmodel_scroll(wp_tmodel *m, size_t rows)
{
    if (rows == 0)
        return m->top;
    if (m->sel < m->top)
        m->top = m->sel;
    if (m->sel >= m->top + rows)
        m->top = m->sel - rows + 1;
    /* a pane grown (zoom, resize, +) shows as many rows as it can */
    size_t n = wp_tmodel_visible(m);
    if (m->top + rows > n)
        m->top = n > rows ? n - rows : 0;
    return m->top;
}

/* ---- field paths ---------------------------------------------------------- */

/* Which occurrence of its protocol layer li is in p. */
static unsigned nth_of(const wp_packet *p, unsigned li)
{
    unsigned k = 0;
    for (unsigned i = 0; i < li && i < p->nlayers; i++)
        k += p->layers[i].proto == p->layers[li].proto;
    return k;
}

int wp_fpath_of(const wp_packet *p, const wp_layout *lo, int fi, wp_fpath *fp)
{
    if (fi < 0 || fi >= lo->nfields)
        return -1;
    const wp_lfield *lf = &lo->fields[fi];
    if (lf->layer >= p->nlayers || !lf->f)
        return -1;
    memset(fp, 0, sizeof *fp);
    fp->proto = p->layers[lf->layer].proto;
    unsigned nth = nth_of(p, lf->layer);
    fp->nth = (uint8_t)(nth > 255 ? 255 : nth);
    fp->opt_kind = lf->opt >= 0 && lf->opt < p->nopts ? (int16_t)p->opts[lf->opt].kind : -1;
    snprintf(fp->name, sizeof fp->name, "%s", lf->f->name);
    return 0;
}

int wp_fpath_find(const wp_packet *p, const wp_layout *lo, const wp_fpath *fp)
{
    int near = -1; /* the same field in another occurrence of the protocol */
    int field = -1; /* the options field itself, when the option is absent */
    for (int i = 0; i < lo->nfields; i++) {
        const wp_lfield *lf = &lo->fields[i];
        if (lf->layer >= p->nlayers || !lf->f)
            continue;
        if (p->layers[lf->layer].proto != fp->proto || strcmp(lf->f->name, fp->name) != 0)
            continue;
        int kind = lf->opt >= 0 && lf->opt < p->nopts ? p->opts[lf->opt].kind : -1;
        int same_nth = nth_of(p, lf->layer) == fp->nth;
        if (kind == fp->opt_kind && same_nth)
            return i;
        if (kind == -1 && same_nth && field < 0)
            field = i;
        if (kind == fp->opt_kind && near < 0)
            near = i;
    }
    return field >= 0 ? field : near;
}

const char *wp_fpath_text(const wp_fpath *fp, char *buf, size_t n)
{
    const wp_proto_info *pi = wp_proto_get(fp->proto);
    if (fp->opt_kind >= 0)
        snprintf(buf, n, "%s.%s[%d]", pi->name, fp->name, fp->opt_kind);
    else
        snprintf(buf, n, "%s.%s", pi->name, fp->name);
    return buf;
}

/* ---- the list's rows ------------------------------------------------------- */

const char *wp_ttime_heading(wp_ttime tm)
{
    switch (tm) {
    case WP_TT_DELTA:
        return "Delta t";
    case WP_TT_ABS:
        return "UTC time";
    default:
        return "Rel time";
    }
}

/* t1 - t0 as seconds with six decimals, signed. */
static void secs_text(int64_t s1, uint32_t n1, int64_t s0, uint32_t n0, char *buf, size_t n)
{
    int64_t us = (s1 - s0) * 1000000 + ((int64_t)n1 - (int64_t)n0) / 1000;
    const char *sign = us < 0 ? "-" : "";
    uint64_t a = us < 0 ? (uint64_t)(-us) : (uint64_t)us;
    snprintf(buf, n, "%s%llu.%06llu", sign, (unsigned long long)(a / 1000000),
             (unsigned long long)(a % 1000000));
}

const char *wp_ttime_text(wp_ttime tm, int64_t s, uint32_t ns, int64_t s0, uint32_t n0,
                          int64_t ps, uint32_t pn, char *buf, size_t n)
{
    if (tm == WP_TT_ABS) {
        char t[WP_TS_STRLEN + 8];
        size_t k = wp_fmt_ts(s, ns, 6, t);
        t[k] = '\0';
        /* "2023-11-14T22:13:20.000099Z": the column shows the time of day,
         * as the summary line does (the heading says UTC) */
        const char *tp = strchr(t, 'T');
        char *z = strchr(t, 'Z');
        if (z)
            *z = '\0';
        snprintf(buf, n, "%s", tp ? tp + 1 : t);
    } else if (tm == WP_TT_DELTA) {
        secs_text(s, ns, ps, pn, buf, n);
    } else {
        secs_text(s, ns, s0, n0, buf, n);
    }
    return buf;
}

/* The summary line after its number and time: "src -> dst PROTO info". */
static const char *after_head(const char *line)
{
    const char *q = strchr(line, ' ');
    if (!q)
        return "";
    q = strchr(q + 1, ' ');
    return q ? q + 1 : "";
}

const char *wp_tmodel_row(wp_tmodel *m, size_t i, wp_packet *pkt, int numw, int width, int align,
                          char *buf, size_t n)
{
    wp_frame f;
    uint64_t num;
    buf[0] = '\0';
    if (n < 2 || wp_tmodel_frame(m, i, &f, &num) != 1)
        return buf;
    int64_t ps = f.ts_sec;
    uint32_t pn = f.ts_nsec;
    int64_t fs = f.ts_sec;
    uint32_t fn = f.ts_nsec;
    if (m->ix && !m->have_first && m->ix->n) {
        /* a file's first packet: read once */
        wp_frame f0;
        uint64_t n0;
        if (i == 0) {
            m->first_sec = f.ts_sec;
            m->first_nsec = f.ts_nsec;
            m->have_first = 1;
        } else if (wp_tmodel_frame(m, 0, &f0, &n0) == 1) {
            m->first_sec = f0.ts_sec;
            m->first_nsec = f0.ts_nsec;
            m->have_first = 1;
            if (wp_tmodel_frame(m, i, &f, &num) != 1)
                return buf;
        }
    }
    if (m->have_first) {
        fs = m->first_sec;
        fn = m->first_nsec;
    }
    if (m->tmode == WP_TT_DELTA && i > 0) {
        wp_frame pf;
        uint64_t pnum;
        if (wp_tmodel_frame(m, i - 1, &pf, &pnum) == 1) {
            ps = pf.ts_sec;
            pn = pf.ts_nsec;
        }
        if (wp_tmodel_frame(m, i, &f, &num) != 1)
            return buf;
    }
    char tbuf[48], line[512];
    wp_ttime_text(m->tmode, f.ts_sec, f.ts_nsec, fs, fn, ps, pn, tbuf, sizeof tbuf);
    wp_decode(&f, pkt);
    const wp_flow_ann *a = wp_tmodel_ann(m, i);
    if (a && !m->rend) {
        /* one renderer for every row, made once: its options point at
         * rowann, filled anew before each row */
        wp_render_opts ro;
        memset(&ro, 0, sizeof ro);
        ro.flow = &m->rowann;
        m->rend = wp_renderer_new(&ro);
    }
    if (a && m->rend) {
        /* relative numbers, analysis labels, "reply to #N" (as show -o
         * summary writes them with the tracker) */
        m->rowann = *a;
        wp_sink s;
        memset(line, 0, sizeof line);
        wp_sink_init_mem(&s, line, sizeof line - 1);
        wp_renderer_frame(m->rend, &s, WP_OUT_SUMMARY, pkt, num);
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
    } else {
        wp_render_summary_line(pkt, num, line, sizeof line);
    }
    int tw = m->tmode == WP_TT_ABS ? 15 : 8; /* "0.000111"; longer times push */
    if (width < 110)
        drop_bytes(line);
    size_t partner;
    int mark = wp_tmodel_pairing(m, i, &partner);
    const char *rest = after_head(line);
    const char *arrow = align ? strstr(rest, " -> ") : NULL;
    const char *dst = arrow ? arrow + 4 : NULL;
    const char *dend = dst ? strchr(dst, ' ') : NULL;
    if (dend) {
        /* columns: source, destination and protocol padded to the widest
         * seen so far (capped), so a class reads down each column */
        const char *pend = strchr(dend + 1, ' ');
        int w[3] = {(int)(arrow - rest), (int)(dend - dst),
                    pend ? (int)(pend - dend - 1) : (int)strlen(dend + 1)};
        static const int cap[3] = {WP_TCOL_ADDR, WP_TCOL_ADDR, WP_TCOL_PROTO};
        /* a source and a destination as wide as their headings; a protocol as
         * narrow as "UDP", so the info (an RTT) keeps its room at 80 columns */
        static const int least[3] = {6, 11, 3};
        for (int k = 0; k < 3; k++) {
            if (m->colw[k] < least[k])
                m->colw[k] = least[k];
            if (w[k] <= cap[k] && w[k] > m->colw[k])
                m->colw[k] = w[k];
        }
        snprintf(buf, n, "%*llu %-*s %-*.*s -> %-*.*s %-*.*s %s%s", numw,
                 (unsigned long long)num, tw, tbuf, m->colw[0], w[0], rest, m->colw[1], w[1], dst,
                 m->colw[2], w[2], dend + 1, pend ? pend + 1 : "",
                 mark == 2 ? "  ** no reply **" : "");
    } else {
        snprintf(buf, n, "%*llu %-*s %s%s", numw, (unsigned long long)num, tw, tbuf, rest,
                 mark == 2 ? "  ** no reply **" : "");
    }
    if (mark == 2 && wp_tcut(buf, width)) {
        /* the mark matters more than the end of the info: keep it in sight */
        static const char nr[] = "> ** no reply **";
        size_t k = strlen(buf);
        if (k > sizeof nr)
            memcpy(buf + k - (sizeof nr - 1), nr, sizeof nr);
        return buf;
    }
    wp_tcut(buf, width);
    return buf;
}

/* ---- finding things --------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t wp_tsearch_hex(const char *pat, uint8_t *out, size_t cap)
{
    size_t n = 0;
    const char *q = pat;
    if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
        q += 2;
    int hi = -1;
    for (; *q; q++) {
        if (*q == ' ' || *q == ':' || *q == '-') {
            if (hi >= 0)
                return 0; /* a lone nibble */
            continue;
        }
        int v = hexval((unsigned char)*q);
        if (v < 0)
            return 0;
        if (hi < 0) {
            hi = v;
        } else {
            if (n == cap)
                return 0;
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi >= 0 ? 0 : n;
}

static int has_bytes(const uint8_t *d, size_t n, const uint8_t *pat, size_t k)
{
    if (k == 0 || k > n)
        return 0;
    for (size_t i = 0; i + k <= n; i++)
        if (d[i] == pat[0] && memcmp(d + i, pat, k) == 0)
            return 1;
    return 0;
}

static int has_text_ci(const char *s, const char *pat)
{
    size_t k = strlen(pat);
    if (k == 0)
        return 0;
    for (; *s; s++)
        if (strncasecmp(s, pat, k) == 0)
            return 1;
    return 0;
}

size_t wp_tmodel_search(wp_tmodel *m, size_t from, int dir, const char *pat, wp_packet *pkt)
{
    size_t n = wp_tmodel_visible(m);
    uint8_t hex[128];
    size_t nhex = wp_tsearch_hex(pat, hex, sizeof hex);
    size_t plen = strlen(pat);
    if (n == 0 || plen == 0)
        return SIZE_MAX;
    if (from >= n)
        from = dir > 0 ? n - 1 : 0;
    for (size_t k = 1; k <= n; k++) {
        size_t i = dir > 0 ? (from + k) % n : (from + n - k % n) % n;
        char row[512];
        wp_tmodel_row(m, i, pkt, 1, (int)sizeof row - 1, 0, row, sizeof row);
        if (has_text_ci(row, pat))
            return i;
        wp_frame f;
        uint64_t num;
        if (wp_tmodel_frame(m, i, &f, &num) != 1)
            continue;
        if (has_bytes(f.data, f.caplen, (const uint8_t *)pat, plen) ||
            (nhex && has_bytes(f.data, f.caplen, hex, nhex)))
            return i;
    }
    return SIZE_MAX;
}

/* ---- the panes' rows ----------------------------------------------------------- */

#define LIST_MIN 9 /* a heading and 8 packets */
#define HEX_MIN 2
#define LAYERS_MIN 3
#define LOG_ROWS 3

void wp_tpanes_rows(const wp_tpanes *pz, int lines, int notice, int log, wp_trows *r)
{
    memset(r, 0, sizeof *r);
    int body = lines - 3; /* status bar, detail line, key bar */
    if (body < 1)
        return;
    /* a second notice row only where the list keeps its eight packets */
    r->notice = notice <= 0 || body <= 6 ? 0 : notice > 1 && lines >= 24 ? 2 : 1;
    body -= r->notice;
    if (pz->zoom >= 0 && pz->zoom < WP_PANE_COUNT) {
        int rows = body - 1; /* its separator */
        if (pz->zoom == WP_PANE_LIST)
            r->list = body; /* the list has its heading instead */
        else if (pz->zoom == WP_PANE_LAYERS)
            r->layers = rows;
        else
            r->hex = rows;
        return;
    }
    if (log && body >= 18) {
        /* two rows on a small screen, so the layered pane keeps five */
        r->log = body < 30 ? LOG_ROWS - 1 : LOG_ROWS;
        body -= r->log + 1;
    }
    /* the list and its heading, then two separators */
    int list = body * 2 / 5;
    if (list < LIST_MIN)
        list = LIST_MIN;
    int hex = body / 8 < HEX_MIN ? HEX_MIN : body / 8;
    list += pz->list_extra;
    if (pz->list_need > 0 && list > pz->list_need)
        list = pz->list_need < 2 ? 2 : pz->list_need; /* the rest to the layers */
    hex += pz->hex_extra;
    if (list < 2)
        list = 2;
    if (hex < 0)
        hex = 0;
    int room = body - 2; /* the two separators */
    if (hex > 0 && list + hex + LAYERS_MIN > room)
        hex = room - list - LAYERS_MIN < HEX_MIN ? (room - list - LAYERS_MIN > 0 ? 1 : 0)
                                                 : room - list - LAYERS_MIN;
    if (hex < 0)
        hex = 0;
    if (list + hex + LAYERS_MIN > room)
        list = room - hex - LAYERS_MIN;
    if (list < 2)
        list = room - hex > 2 ? 2 : (room - hex > 0 ? room - hex : 0);
    int layers = room - list - hex;
    if (layers < 0)
        layers = 0;
    r->list = list;
    r->hex = hex;
    r->layers = layers;
}

void wp_tpanes_grow(wp_tpanes *pz, int pane, int d, int lines)
{
    /* the layered pane grows by what the list gives up */
    int *x = pane == WP_PANE_HEX ? &pz->hex_extra : &pz->list_extra;
    if (pane == WP_PANE_LAYERS)
        d = -d;
    wp_tpanes t = *pz;
    t.zoom = -1;
    wp_trows before, after;
    wp_tpanes_rows(&t, lines, 0, 0, &before);
    *x += d;
    t = *pz;
    t.zoom = -1;
    wp_tpanes_rows(&t, lines, 0, 0, &after);
    /* past what the screen can give, the rows stop changing: so does the
     * share, or the way back would take as many presses */
    if (before.list == after.list && before.hex == after.hex && before.layers == after.layers)
        *x -= d;
}

/* ---- bars that fit ----------------------------------------------------------------- */

static int cols_of(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Items 0..n-1 joined by sep, the first nshort in their short forms;
 * returns the display columns, or -1 when buf is too small. */
static int join(const char *const *longs, const char *const *shorts, size_t n, size_t nshort,
                const char *sep, char *buf, size_t cap)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(buf + pos, cap - pos, "%s%s", i ? sep : "", i < nshort ? shorts[i] : longs[i]);
        if (k < 0 || (size_t)k >= cap - pos)
            return -1;
        pos += (size_t)k;
    }
    return cols_of(buf);
}

const char *wp_tbar_fit(const char *const *longs, const char *const *shorts, size_t n,
                        const char *sep, int width, char *buf, size_t cap)
{
    /* shorten the words of one item after another, from the first */
    for (size_t ns = 0; ns <= n; ns++) {
        int c = join(longs, shorts, n, ns, sep, buf, cap);
        if (c >= 0 && c <= width)
            return buf;
    }
    /* still too wide: as many whole short items as fit */
    for (size_t k = n; k > 0; k--) {
        int c = join(longs, shorts, k - 1, k - 1, sep, buf, cap);
        if (c >= 0 && c <= width)
            return buf;
    }
    buf[0] = '\0';
    return buf;
}

/* ---- the log pane's lines ------------------------------------------------------------ */

static void log_push(wp_tlog *lg)
{
    lg->part[lg->plen] = '\0';
    char *dst;
    if (lg->n == WP_TLOG_LINES) {
        dst = lg->lines[lg->start];
        lg->start = (lg->start + 1) % WP_TLOG_LINES;
    } else {
        dst = lg->lines[(lg->start + lg->n) % WP_TLOG_LINES];
        lg->n++;
    }
    memcpy(dst, lg->part, lg->plen + 1);
    lg->plen = 0;
}

void wp_tlog_feed(wp_tlog *lg, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n') {
            log_push(lg);
            continue;
        }
        if (c == '\r')
            continue;
        if ((unsigned char)c < 0x20 || c == 0x7f)
            c = ' ';
        if (lg->plen + 2 < WP_TLOG_WIDTH) {
            lg->part[lg->plen++] = c;
        } else if (lg->plen + 2 == WP_TLOG_WIDTH) {
            lg->part[lg->plen++] = '>'; /* the rest of a long line is dropped */
        }
    }
}

const char *wp_tlog_line(const wp_tlog *lg, size_t i)
{
    if (i >= lg->n)
        return "";
    return lg->lines[(lg->start + i) % WP_TLOG_LINES];
}
