/* The view's IP reassembly, without curses (see model.h): the frames the
 * tracker sees are fed in order to a reassembler; each fragment's fate is
 * remembered in a bounded table (which frame completed its datagram); the
 * datagram itself is put together again, from its fragments read back
 * through the model, only when the frame that completed it is shown, so
 * nothing grows with the capture but that table. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/render.h"
#include "model.h"

/* One fed fragment: its frame, the frame that completed its datagram (0:
 * not yet, or never) and the events it raised. */
typedef struct tr_ent {
    uint64_t frame, in;
    uint32_t ev;
    uint8_t dropped; /* the engine could not use it */
    uint8_t gone;    /* its datagram was given up (timeout, too many) or never completed */
    uint16_t rec;    /* gone: 1 + the index of its datagram's line in lines[], or 0 */
} tr_ent;

/* Lines kept for datagrams that never completed (what show reports at the
 * end): past this many, their fragments say it without the line. */
#define TR_LINES 1024u
#define TR_LINE 256u

struct wp_treasm {
    wp_ipr *ipr;      /* fed every frame, in order */
    wp_ipr *again;    /* puts one datagram together again on demand */
    wp_packet *pkt;   /* scratch for the frames read back */
    tr_ent *ent;      /* sorted by frame: frames are fed in increasing order */
    size_t n;
    int full;         /* the table ran out: later fragments are not followed */
    uint64_t full_at; /* the first frame not followed */
    uint64_t last;    /* the last frame fed */
    size_t ix_next;   /* a file: the index of the next frame past the tracker's cap */
    int finished;     /* the capture ended: what was still held was let go */
    int finishing;    /* ... being let go now */
    char (*lines)[TR_LINE]; /* TR_LINES */
    unsigned nlines;
    uint64_t gen;
    /* the datagram put together last */
    uint64_t dg_frame;
    uint8_t *bytes;   /* WP_IPR_MAX_DATAGRAM + WP_IPR_MAX_HDR */
    uint32_t len;
    wp_ipr_dgram d;
    wp_ipr_frag *frags; /* WP_IPR_DEF_FRAGS */
};

int wp_treasm_new(wp_tmodel *m)
{
    struct wp_treasm *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    wp_ipr_opts one = {.slots = 1};
    r->ipr = wp_ipr_new(NULL);
    r->again = wp_ipr_new(&one);
    r->pkt = malloc(sizeof *r->pkt);
    r->ent = malloc(WP_TREASM_MAP * sizeof *r->ent);
    r->bytes = malloc(WP_IPR_MAX_DATAGRAM + WP_IPR_MAX_HDR);
    r->frags = malloc(WP_IPR_DEF_FRAGS * sizeof *r->frags);
    r->lines = malloc(TR_LINES * sizeof *r->lines);
    if (!r->ipr || !r->again || !r->pkt || !r->ent || !r->bytes || !r->frags || !r->lines) {
        m->reasm = r;
        wp_treasm_free(m);
        return -1;
    }
    m->reasm = r;
    return 0;
}

void wp_treasm_free(wp_tmodel *m)
{
    struct wp_treasm *r = m->reasm;
    if (!r)
        return;
    wp_ipr_free(r->ipr);
    wp_ipr_free(r->again);
    free(r->pkt);
    free(r->ent);
    free(r->bytes);
    free(r->frags);
    free(r->lines);
    free(r);
    m->reasm = NULL;
}

uint64_t wp_treasm_gen(const wp_tmodel *m)
{
    return m->reasm ? m->reasm->gen : 0;
}

/* The entry of frame num, or NULL. */
static tr_ent *find(const struct wp_treasm *r, uint64_t num)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->ent[mid].frame < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n && r->ent[lo].frame == num ? &r->ent[lo] : NULL;
}

/* wp_ipr_expired's report: the fragments of a datagram given up say so. */
static void gave_up(const wp_ipr_dgram *d, const uint32_t (*holes)[2], unsigned nholes, void *arg)
{
    struct wp_treasm *r = arg;
    uint16_t rec = 0;
    if (r->nlines < TR_LINES) {
        wp_render_ipr_incomplete(d, holes, nholes, r->lines[r->nlines], TR_LINE);
        rec = (uint16_t)++r->nlines;
    }
    for (uint32_t i = 0; i < d->nfrags; i++) {
        tr_ent *e = find(r, d->frags[i].frame);
        if (e && !e->in) {
            e->gone = r->finishing ? 2 : 1;
            e->rec = rec;
        }
    }
    r->gen++;
}

void wp_treasm_feed(wp_tmodel *m, const wp_packet *p, uint64_t num)
{
    struct wp_treasm *r = m->reasm;
    if (!r || num <= r->last) /* each frame once, in order */
        return;
    r->last = num;
    wp_ipr_result res;
    wp_ipr_feed(r->ipr, p, num, &res);
    if (res.ev & (WP_IPR_EV_TIMEOUT | WP_IPR_EV_TOO_MANY | WP_IPR_EV_POOL_FULL))
        wp_ipr_expired(r->ipr, 0, gave_up, r); /* what was given up is let go */
    if (res.status == WP_IPR_NOT_FRAGMENT)
        return;
    if (r->n >= WP_TREASM_MAP) {
        if (!r->full)
            r->full_at = num;
        r->full = 1;
        return;
    }
    tr_ent *e = &r->ent[r->n++];
    /* every member set (the table is not zeroed); the timeout bit is about
     * older datagrams */
    *e = (tr_ent){.frame = num,
                  .ev = res.ev & ~(unsigned)WP_IPR_EV_TIMEOUT,
                  .dropped = res.status == WP_IPR_DROPPED};
    if (res.status != WP_IPR_COMPLETE)
        return;
    e->in = num;
    for (uint32_t i = 0; i < res.d.nfrags; i++) {
        tr_ent *f = find(r, res.d.frags[i].frame);
        if (f)
            f->in = num;
    }
    r->gen++;
}

/* Whether p is an IP fragment: a header decoded as in a fragment (the
 * first one) or fragment data (the others), outside ICMP quotes. */
static int is_fragment(const wp_packet *p)
{
    for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->flags & WP_LF_QUOTED)
            continue;
        if ((l->flags & WP_LF_FRAGMENT) || l->proto == WP_PROTO_FRAGMENT)
            return 1;
    }
    return 0;
}

/* Put the datagram completed in frame c together again: its fragments in
 * the order they came, read back through the model. 0, or -1 when one is
 * no longer kept (or the engine disagrees). */
static int rebuild(wp_tmodel *m, struct wp_treasm *r, const tr_ent *c)
{
    if (r->dg_frame == c->frame)
        return 0;
    r->dg_frame = 0;
    wp_ipr_expired(r->again, 1, NULL, NULL); /* nothing left from the last one */
    /* its fragments are the entries before c that name c; at most the
     * engine's fragment cap of them, so the walk back stops there */
    uint64_t list[WP_IPR_DEF_FRAGS];
    size_t k = 0;
    for (const tr_ent *e = c; e > r->ent && k + 1 < WP_IPR_DEF_FRAGS;) {
        e--;
        if (e->in == c->frame)
            list[k++] = e->frame;
    }
    wp_ipr_result res;
    memset(&res, 0, sizeof res);
    for (size_t i = k + 1; i-- > 0;) {
        uint64_t num = i ? list[i - 1] : c->frame;
        wp_frame f;
        if (wp_tmodel_frame_num(m, num, &f) != 1)
            return -1;
        wp_decode(&f, r->pkt);
        wp_ipr_feed(r->again, r->pkt, num, &res);
    }
    if (res.status != WP_IPR_COMPLETE || res.len > WP_IPR_MAX_DATAGRAM + WP_IPR_MAX_HDR)
        return -1;
    memcpy(r->bytes, res.bytes, res.len);
    r->len = res.len;
    r->d = res.d;
    if (r->d.nfrags > WP_IPR_DEF_FRAGS)
        r->d.nfrags = WP_IPR_DEF_FRAGS;
    memcpy(r->frags, res.d.frags, r->d.nfrags * sizeof *r->frags);
    r->d.frags = r->frags;
    r->dg_frame = c->frame;
    return 0;
}

wp_treasm_status wp_treasm_get(wp_tmodel *m, uint64_t num, wp_treasm_info *out)
{
    memset(out, 0, sizeof *out);
    struct wp_treasm *r = m->reasm;
    if (!r)
        return out->status = WP_TR_NONE;
    const tr_ent *e = find(r, num);
    if (!e) {
        wp_frame f;
        if (r->full && num >= r->full_at && wp_tmodel_frame_num(m, num, &f) == 1) {
            /* past the table: only a fragment has something to say */
            wp_decode(&f, r->pkt);
            if (is_fragment(r->pkt))
                out->status = WP_TR_UNTRACKED;
        }
        return out->status;
    }
    out->ev = e->ev;
    out->in = e->in;
    if (e->dropped)
        return out->status = WP_TR_DROPPED;
    if (!e->in && !r->finished && m->complete && !wp_treasm_behind(m)) {
        /* the whole capture has been fed: what is still held never will
         * complete; let it go, with its line (once) */
        r->finished = r->finishing = 1;
        wp_ipr_expired(r->ipr, 1, gave_up, r);
        r->finishing = 0;
    }
    out->line = e->gone && e->rec ? r->lines[e->rec - 1] : NULL;
    if (e->gone == 1)
        return out->status = WP_TR_GIVEN_UP;
    if (e->in == 0) {
        out->done = r->finished;
        out->filtered = m->unseen;
        return out->status = WP_TR_HELD;
    }
    if (e->in != num)
        return out->status = WP_TR_IN;
    if (rebuild(m, r, e) != 0)
        return out->status = WP_TR_LOST;
    out->d = r->d;
    out->bytes = r->bytes;
    out->len = r->len;
    return out->status = WP_TR_COMPLETE;
}

/* bput's way: append to buf[n] at *pos, never past the end. */
__attribute__((format(printf, 4, 5))) static void add(char *buf, size_t n, size_t *pos,
                                                      const char *fmt, ...)
{
    if (*pos + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *pos, n - *pos, fmt, ap);
    va_end(ap);
    if (k > 0)
        *pos += (size_t)k < n - *pos ? (size_t)k : n - *pos - 1;
}

static void events(const wp_treasm_info *r, char *buf, size_t n, size_t *pos)
{
    unsigned bit;
    const char *code, *text;
    for (size_t i = 0; wp_render_ipr_event(i, &bit, &code, &text); i++)
        if (r->ev & bit)
            add(buf, n, pos, "! %s: this fragment %s\n", code, text);
}

const char *wp_treasm_text(const wp_treasm_info *r, char *title, size_t tn, char *buf, size_t n)
{
    size_t pos = 0;
    if (n)
        buf[0] = '\0';
    if (tn)
        title[0] = '\0';
    switch (r->status) {
    case WP_TR_NONE:
        return buf;
    case WP_TR_COMPLETE: {
        char key[160];
        wp_render_ipr_key(&r->d, key, sizeof key);
        /* short, so that at 80x24 the map and the first row of the IP
         * header are on the screen together */
        snprintf(title, tn, " Reassembled: %lu bytes from %lu fragments; below, the whole datagram ",
                 (unsigned long)r->d.total, (unsigned long)r->d.nfrags);
        add(buf, n, &pos, "%s\n", key);
        for (uint32_t i = 0; i < r->d.nfrags; i++) {
            char line[256];
            if (n - pos < sizeof line + 768) { /* and room for the events */
                /* no room for another whole line: say how many are left out */
                add(buf, n, &pos, "(%lu more fragments)\n", (unsigned long)(r->d.nfrags - i));
                break;
            }
            wp_render_ipr_frag(&r->d.frags[i], line, sizeof line);
            add(buf, n, &pos, "%s\n", line);
        }
        break;
    }
    case WP_TR_IN:
        snprintf(title, tn, " IP fragment ");
        add(buf, n, &pos, "fragment data, reassembled in #%llu\n", (unsigned long long)r->in);
        break;
    case WP_TR_HELD:
        if (r->done && r->filtered) {
            /* the filter, not the capture, may have left the rest out */
            snprintf(title, tn, " IP fragment: its datagram did not complete among the packets listed ");
            add(buf, n, &pos, "%s\n", r->line ? r->line : "fragment data");
        } else if (r->done) {
            snprintf(title, tn, " IP fragment: its datagram never completed in this capture ");
            add(buf, n, &pos, "%s\n", r->line ? r->line : "fragment data");
        } else {
            snprintf(title, tn, " IP fragment ");
            add(buf, n, &pos, "fragment data: its datagram is not complete (yet)\n");
        }
        break;
    case WP_TR_GIVEN_UP:
        /* the verdict in the title, so the line with the holes fits too */
        snprintf(title, tn, " IP fragment: its datagram was given up (timeout or too many fragments) ");
        add(buf, n, &pos, "%s\n", r->line ? r->line : "fragment data");
        break;
    case WP_TR_DROPPED:
        snprintf(title, tn, " IP fragment ");
        add(buf, n, &pos, "fragment data the reassembler could not use:\n");
        break;
    case WP_TR_LOST:
        snprintf(title, tn, " IP fragment ");
        add(buf, n, &pos, "this frame completed a datagram, but some of its fragments are no "
                          "longer kept: shown as captured\n");
        break;
    case WP_TR_UNTRACKED:
        snprintf(title, tn, " IP fragment ");
        add(buf, n, &pos, "not reassembled: the view follows at most %u fragments\n",
            (unsigned)WP_TREASM_MAP);
        break;
    }
    events(r, buf, n, &pos);
    return buf;
}

const char *wp_treasm_short(const wp_treasm_info *r, char *buf, size_t n)
{
    switch (r->status) {
    case WP_TR_COMPLETE:
        snprintf(buf, n, " reassembled from %lu fragments ", (unsigned long)r->d.nfrags);
        break;
    case WP_TR_IN:
        snprintf(buf, n, " fragment, reassembled in #%llu ", (unsigned long long)r->in);
        break;
    case WP_TR_HELD:
        snprintf(buf, n, " fragment, %s ",
                 !r->done ? "not complete yet" : r->filtered ? "incomplete as listed" : "never completed");
        break;
    case WP_TR_GIVEN_UP:
        snprintf(buf, n, " fragment, datagram given up ");
        break;
    case WP_TR_DROPPED:
        snprintf(buf, n, " fragment, not used ");
        break;
    case WP_TR_LOST:
        snprintf(buf, n, " fragments no longer kept ");
        break;
    case WP_TR_UNTRACKED:
        snprintf(buf, n, " fragment, not followed ");
        break;
    default:
        if (n)
            buf[0] = '\0';
    }
    return buf;
}

int wp_treasm_behind(const wp_tmodel *m)
{
    const struct wp_treasm *r = m->reasm;
    if (!r || !m->ix)
        return 0;
    size_t at = r->ix_next > m->ann_n ? r->ix_next : m->ann_n;
    return at < m->ix->n;
}

size_t wp_treasm_catch_up(wp_tmodel *m, size_t budget)
{
    struct wp_treasm *r = m->reasm;
    if (!r || !m->ix)
        return 0;
    size_t done = 0;
    size_t i = r->ix_next > m->ann_n ? r->ix_next : m->ann_n;
    while (done < budget && i < m->ix->n) {
        wp_frame f;
        if (wp_pindex_read(m->ix, m->rdf, i, &f, m->err, sizeof m->err) != 1)
            break;
        wp_decode(&f, r->pkt);
        wp_treasm_feed(m, r->pkt, m->ix->num[i]);
        i++;
        done++;
    }
    r->ix_next = i;
    return done;
}
