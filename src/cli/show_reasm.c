/* show's IP reassembly (see show_reasm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show_reasm.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"

#define SCRATCH (256u << 10)
/* The first pass remembers at most this many (fragment, completing frame)
 * pairs (16 bytes each); past it, later fragments do not say where they
 * were reassembled (said once on stderr). */
#define MAP_MAX (1u << 20)

struct show_reasm {
    wp_ipr *ipr;
    wp_packet *dg;     /* the reassembled datagram, decoded */
    char *a, *b;       /* scratch for memory sinks */
    uint64_t (*map)[2];
    size_t nmap, mapcap;
    int mapped;        /* the first pass ran */
    int quiet;         /* no incomplete-datagram lines (show -Y) */
};

static int pair_cmp(const void *x, const void *y)
{
    const uint64_t *p = x, *q = y;
    return p[0] < q[0] ? -1 : p[0] > q[0];
}

/* The frame that completed the datagram of fragment frame n, or 0. */
static uint64_t completed_in(const show_reasm *r, uint64_t n)
{
    size_t lo = 0, hi = r->nmap;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->map[mid][0] < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nmap && r->map[lo][0] == n ? r->map[lo][1] : 0;
}

static int map_add(show_reasm *r, uint64_t frag, uint64_t in)
{
    if (r->nmap == r->mapcap) {
        if (r->mapcap >= MAP_MAX)
            return -1;
        size_t nc = r->mapcap ? r->mapcap * 2 : 4096;
        void *m = realloc(r->map, nc * sizeof *r->map);
        if (!m)
            return -1;
        r->map = m;
        r->mapcap = nc;
    }
    r->map[r->nmap][0] = frag;
    r->map[r->nmap][1] = in;
    r->nmap++;
    return 0;
}

/* The first pass: which frame completes each datagram. */
static int first_pass(show_reasm *r, const wp_source_opts *src, uint32_t cut)
{
    wp_capture *cap = NULL;
    if (wp_opts_open_source("show", src, &cap) != 0)
        return -1;
    char err[WP_ERRBUF] = "";
    wp_frame f;
    uint64_t n = 0;
    int full = 0;
    for (;;) {
        int rc = wp_capture_next(cap, &f, err, sizeof err);
        if (rc <= 0)
            break; /* an error shows again, and is reported, in the real pass */
        if (rc == 2)
            continue;
        if (cut && f.caplen > cut)
            f.caplen = cut;
        /* numbered as show numbers them: the capture's own frame number */
        n = wp_capture_frame_number(cap);
        wp_decode(&f, r->dg);
        wp_ipr_result res;
        wp_ipr_feed(r->ipr, r->dg, n, &res);
        wp_ipr_expired(r->ipr, 0, NULL, NULL);
        if (res.status != WP_IPR_COMPLETE)
            continue;
        for (uint32_t i = 0; i < res.d.nfrags && !full; i++)
            if (res.d.frags[i].frame != n && map_add(r, res.d.frags[i].frame, n) != 0) {
                fprintf(stderr, "wirepeel show: more than %u fragments: later ones do not say "
                                "where they were reassembled\n", MAP_MAX);
                full = 1;
            }
    }
    wp_capture_close(cap);
    if (r->nmap) /* qsort takes no NULL array, even empty */
        qsort(r->map, r->nmap, sizeof *r->map, pair_cmp);
    r->mapped = 1;
    return 0;
}

show_reasm *show_reasm_new(const wp_source_opts *src, uint32_t cut, int fmt)
{
    show_reasm *r = calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->ipr = wp_ipr_new(NULL);
    r->dg = malloc(sizeof *r->dg);
    r->a = malloc(SCRATCH);
    r->b = malloc(SCRATCH);
    if (!r->ipr || !r->dg || !r->a || !r->b)
        goto oom;
    if (src->file && strcmp(src->file, "-") != 0 && (fmt == WP_OUT_LAYERS || fmt == WP_OUT_JSON)) {
        if (first_pass(r, src, cut) != 0) {
            show_reasm_free(r);
            return NULL;
        }
        wp_ipr_free(r->ipr);
        r->ipr = wp_ipr_new(NULL);
        if (!r->ipr)
            goto oom;
    }
    return r;
oom:
    fprintf(stderr, "wirepeel show: out of memory\n");
    show_reasm_free(r);
    return NULL;
}

void show_reasm_free(show_reasm *r)
{
    if (!r)
        return;
    wp_ipr_free(r->ipr);
    free(r->dg);
    free(r->a);
    free(r->b);
    free(r->map);
    free(r);
}

/* ---- text pieces ------------------------------------------------------ */

static void put_u(wp_sink *s, uint64_t v)
{
    wp_sink_u64(s, v);
}

/* fmt takes two unsigned long long conversions (or fewer, leading). */
__attribute__((format(printf, 2, 0))) static void put_fmt(wp_sink *s, const char *fmt,
                                                          unsigned long long a,
                                                          unsigned long long b)
{
    char tmp[128];
    int k = snprintf(tmp, sizeof tmp, fmt, a, b);
    if (k > 0)
        wp_sink_write(s, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

/* "IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3001 proto 17" */
static void put_key(wp_sink *s, const wp_ipr_dgram *d)
{
    char t[160];
    wp_sink_write(s, t, wp_render_ipr_key(d, t, sizeof t));
}

/* The sink's text minus n trailing bytes when they are `tail`; 0 if not. */
static int strip(wp_sink *m, const char *tail)
{
    size_t n = strlen(tail);
    if (m->err || m->len < n || memcmp(m->buf + m->len - n, tail, n) != 0)
        return 0;
    m->len -= n;
    return 1;
}

/* ---- per format ------------------------------------------------------- */

static void json_events(wp_sink *s, unsigned ev)
{
    if (!(ev & ~(unsigned)WP_IPR_EV_TIMEOUT))
        return;
    wp_sink_puts(s, ",\"reassembly_events\":[");
    int first = 1;
    unsigned bit;
    const char *code, *text;
    for (size_t i = 0; wp_render_ipr_event(i, &bit, &code, &text); i++)
        if (ev & bit) {
            if (!first)
                wp_sink_putc(s, ',');
            first = 0;
            wp_sink_json_str(s, code, strlen(code));
        }
    wp_sink_putc(s, ']');
}

static void json_frame(show_reasm *r, wp_renderer *rr, wp_sink *out, const wp_packet *p,
                       uint64_t n, const wp_ipr_result *res)
{
    wp_sink a;
    wp_sink_init_mem(&a, r->a, SCRATCH);
    wp_renderer_frame(rr, &a, WP_OUT_JSON, p, n);
    if (!strip(&a, "}\n")) {
        wp_renderer_frame(rr, out, WP_OUT_JSON, p, n); /* cannot add to it: as it was */
        return;
    }
    wp_sink_write(out, a.buf, a.len);
    json_events(out, res->ev);
    if (res->status == WP_IPR_COMPLETE) {
        wp_sink b;
        wp_sink_init_mem(&b, r->b, SCRATCH);
        /* default options: the frame's conversation is shown once, on the frame */
        wp_render(&b, WP_OUT_JSON, r->dg, n, NULL);
        const char *lay = b.err ? NULL : strstr(b.buf, ",\"layers\":");
        wp_sink_puts(out, ",\"reassembled\":{\"frames\":[");
        for (uint32_t i = 0; i < res->d.nfrags; i++) {
            if (i)
                wp_sink_putc(out, ',');
            put_u(out, res->d.frags[i].frame);
        }
        wp_sink_puts(out, "],\"len\":");
        put_u(out, res->d.total);
        wp_sink_puts(out, ",\"fragments\":[");
        for (uint32_t i = 0; i < res->d.nfrags; i++) {
            const wp_ipr_frag *f = &res->d.frags[i];
            if (i)
                wp_sink_putc(out, ',');
            put_fmt(out, "{\"frame\":%llu,\"offset\":%llu", f->frame, f->off);
            put_fmt(out, ",\"offset_units\":%llu,\"len\":%llu", f->off / 8u, f->len);
            put_fmt(out, ",\"used\":%llu,\"overlap\":%llu", f->used, f->overlap);
            wp_sink_puts(out, f->conflict ? ",\"conflict\":true" : ",\"conflict\":false");
            wp_sink_puts(out, f->more ? ",\"more\":true}" : ",\"more\":false}");
        }
        wp_sink_putc(out, ']');
        if (lay && strip(&b, "}\n"))
            wp_sink_write(out, lay, (size_t)(b.buf + b.len - lay));
        wp_sink_putc(out, '}');
    } else if (res->status == WP_IPR_HELD && r->mapped) {
        uint64_t in = completed_in(r, n);
        if (in) {
            wp_sink_puts(out, ",\"reassembled_in\":");
            put_u(out, in);
        }
    }
    wp_sink_puts(out, "}\n");
}

static void layers_events(wp_sink *s, unsigned ev)
{
    unsigned bit;
    const char *code, *text;
    for (size_t i = 0; wp_render_ipr_event(i, &bit, &code, &text); i++)
        if (ev & bit) {
            wp_sink_puts(s, "    ! ");
            wp_sink_puts(s, code);
            wp_sink_puts(s, ": this fragment ");
            wp_sink_puts(s, text);
            wp_sink_putc(s, '\n');
        }
}

/* The fragment map: one line a fragment, in arrival order. */
static void layers_map(wp_sink *s, const wp_ipr_result *res)
{
    for (uint32_t i = 0; i < res->d.nfrags; i++) {
        char line[256];
        wp_sink_puts(s, "    ");
        wp_sink_write(s, line, wp_render_ipr_frag(&res->d.frags[i], line, sizeof line));
        wp_sink_putc(s, '\n');
    }
}

static void layers_frame(show_reasm *r, wp_renderer *rr, wp_sink *out, const wp_packet *p,
                         uint64_t n, const wp_ipr_result *res)
{
    wp_sink a;
    wp_sink_init_mem(&a, r->a, SCRATCH);
    wp_renderer_frame(rr, &a, WP_OUT_LAYERS, p, n);
    if (!strip(&a, "\n")) {
        wp_renderer_frame(rr, out, WP_OUT_LAYERS, p, n);
        return;
    }
    wp_sink_write(out, a.buf, a.len);
    layers_events(out, res->ev);
    if (res->status == WP_IPR_COMPLETE) {
        wp_sink_puts(out, "  Reassembled ");
        put_key(out, &res->d);
        put_fmt(out, ": %llu bytes from %llu fragments\n", res->d.total, res->d.nfrags);
        layers_map(out, res);
        /* the datagram's own layers, one level in, without its frame line */
        wp_sink b;
        wp_sink_init_mem(&b, r->b, SCRATCH);
        /* default options: the frame's conversation is shown once, on the frame */
        wp_render(&b, WP_OUT_LAYERS, r->dg, n, NULL);
        const char *t = b.err ? NULL : strchr(b.buf, '\n');
        if (t) {
            t++;
            const char *end = b.buf + b.len;
            while (t < end) {
                const char *nl = memchr(t, '\n', (size_t)(end - t));
                size_t len = nl ? (size_t)(nl - t) : (size_t)(end - t);
                if (len) {
                    wp_sink_puts(out, "  ");
                    wp_sink_write(out, t, len);
                    wp_sink_putc(out, '\n');
                }
                t += len + 1;
            }
        }
    } else if (res->status == WP_IPR_HELD) {
        wp_sink_puts(out, "  Fragment of ");
        put_key(out, &res->d);
        uint64_t in = r->mapped ? completed_in(r, n) : 0;
        if (in)
            put_fmt(out, ": reassembled in frame %llu\n", in, 0);
        else if (r->mapped)
            wp_sink_puts(out, ": never completed in this capture\n");
        else
            put_fmt(out, ": held, %llu bytes from %llu fragments so far\n", res->d.have,
                    res->d.nfrags);
    }
    wp_sink_putc(out, '\n');
}

static void summary_frame(show_reasm *r, wp_renderer *rr, wp_sink *out, const wp_packet *p,
                          uint64_t n, const wp_ipr_result *res)
{
    if (res->status != WP_IPR_COMPLETE) {
        wp_renderer_frame(rr, out, WP_OUT_SUMMARY, p, n);
        return;
    }
    wp_sink a;
    wp_sink_init_mem(&a, r->a, SCRATCH);
    wp_renderer_frame(rr, &a, WP_OUT_SUMMARY, p, n);
    if (!strip(&a, "\n")) {
        wp_renderer_frame(rr, out, WP_OUT_SUMMARY, p, n);
        return;
    }
    wp_sink_write(out, a.buf, a.len);
    wp_sink_puts(out, " [reassembled ");
    for (uint32_t i = 0; i < res->d.nfrags; i++) {
        wp_sink_puts(out, i ? ",#" : "#");
        put_u(out, res->d.frags[i].frame);
    }
    wp_sink_puts(out, ": ");
    /* the datagram's summary after its number and time */
    char line[512];
    wp_render_summary_line(r->dg, n, line, sizeof line);
    const char *t = strchr(line, ' ');
    t = t ? strchr(t + 1, ' ') : NULL;
    wp_sink_puts(out, t ? t + 1 : line);
    wp_sink_puts(out, "]\n");
}

/* ---- incomplete datagrams -------------------------------------------- */

typedef struct report_ctx {
    wp_sink *out;
    int on_out;
    uint64_t *count; /* NULL, or counts the datagrams reported */
} report_ctx;

static void report_one(const wp_ipr_dgram *d, const uint32_t (*holes)[2], unsigned nholes,
                       void *arg)
{
    report_ctx *c = arg;
    char buf[2048];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    char line[1024];
    wp_sink_write(&s, line, wp_render_ipr_incomplete(d, holes, nholes, line, sizeof line));
    wp_sink_putc(&s, '\n');
    if (c->count)
        (*c->count)++;
    if (c->on_out)
        wp_sink_write(c->out, s.buf, s.len);
    else
        fwrite(s.buf, 1, s.len, stderr);
}

void show_reasm_quiet(show_reasm *r)
{
    if (r)
        r->quiet = 1;
}

void show_reasm_render(show_reasm *r, wp_renderer *rr, wp_sink *out, int fmt,
                       const wp_packet *p, uint64_t n)
{
    wp_ipr_result res;
    wp_ipr_feed(r->ipr, p, n, &res);
    if ((res.ev & (WP_IPR_EV_TIMEOUT | WP_IPR_EV_TOO_MANY)) && !r->quiet) {
        /* on stderr, as show's other closing lists: stdout stays one
         * record a packet */
        report_ctx c = {out, 0, NULL};
        (void)fmt;
        wp_ipr_expired(r->ipr, 0, report_one, &c);
    }
    if (res.status == WP_IPR_NOT_FRAGMENT && !res.ev) {
        wp_renderer_frame(rr, out, (wp_output)fmt, p, n);
        return;
    }
    if (res.status == WP_IPR_COMPLETE) {
        wp_frame g = {.ts_sec = p->ts_sec, .ts_nsec = p->ts_nsec, .caplen = res.len,
                      .len = res.len, .linktype = WP_LINK_RAW, .data = res.bytes};
        wp_decode(&g, r->dg);
    }
    switch (fmt) {
    case WP_OUT_JSON:
        json_frame(r, rr, out, p, n, &res);
        break;
    case WP_OUT_LAYERS:
        layers_frame(r, rr, out, p, n, &res);
        break;
    case WP_OUT_SUMMARY:
        summary_frame(r, rr, out, p, n, &res);
        break;
    default:
        wp_renderer_frame(rr, out, (wp_output)fmt, p, n);
    }
}

void show_reasm_end(show_reasm *r, wp_sink *out, int fmt)
{
    report_ctx c = {out, 0, NULL}; /* stderr: see show_reasm_render */
    (void)fmt;
    if (!r->quiet)
        wp_ipr_expired(r->ipr, 1, report_one, &c);
}

/* ---- flows' list of incomplete datagrams ------------------------------- */

#define INCOMPLETE_TEXT (64u << 10)

int wp_cli_incomplete_open(wp_cli_incomplete *x)
{
    memset(x, 0, sizeof *x);
    x->ipr = wp_ipr_new(NULL);
    x->text = malloc(INCOMPLETE_TEXT);
    if (!x->ipr || !x->text) {
        fprintf(stderr, "wirepeel flows: out of memory\n");
        wp_cli_incomplete_free(x);
        return 1;
    }
    wp_sink_init_mem(&x->s, x->text, INCOMPLETE_TEXT);
    return 0;
}

void wp_cli_incomplete_feed(wp_cli_incomplete *x, const wp_packet *p, uint64_t n)
{
    wp_ipr_result res;
    wp_ipr_feed(x->ipr, p, n, &res);
    if (res.ev & (WP_IPR_EV_TIMEOUT | WP_IPR_EV_TOO_MANY)) {
        report_ctx c = {&x->s, 1, &x->count};
        wp_ipr_expired(x->ipr, 0, report_one, &c);
    }
}

void wp_cli_incomplete_close(wp_cli_incomplete *x, FILE *fp)
{
    report_ctx c = {&x->s, 1, &x->count};
    wp_ipr_expired(x->ipr, 1, report_one, &c);
    fwrite(x->s.buf, 1, x->s.len, fp);
    if (x->s.err)
        fprintf(fp, "(%llu incomplete datagrams in all; the list is cut)\n",
                (unsigned long long)x->count);
}

void wp_cli_incomplete_free(wp_cli_incomplete *x)
{
    wp_ipr_free(x->ipr);
    free(x->text);
    x->ipr = NULL;
    x->text = NULL;
}
