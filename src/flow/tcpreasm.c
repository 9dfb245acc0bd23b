/* One direction of a TCP byte stream: segments in capture order become
 * chunks in sequence order. Bytes live in one append-only arena shared by
 * every direction of a log; a chunk names its place there, its stream offset
 * and its frames. Sequence numbers are unwrapped against the next expected
 * offset, so a stream may pass 2^32. */
#include <stdlib.h>
#include <string.h>

#include "wirepeel/reasm.h"

/* How many chunks back a retransmission looks for the first copy of its
 * bytes: a bounded search (older bytes are not compared). */
#define LOOKBACK 4096u

int wp_tcpr_log_init(wp_tcpr_log *log, uint64_t stream_cap, uint64_t global_cap,
                     uint32_t max_chunks)
{
    memset(log, 0, sizeof *log);
    log->stream_cap = stream_cap ? stream_cap : WP_TCPR_DEF_STREAM_CAP;
    log->arena_cap = global_cap ? global_cap : WP_TCPR_DEF_GLOBAL_CAP;
    log->max_chunks = max_chunks ? max_chunks : WP_TCPR_DEF_CHUNKS;
    /* malloc'd, not calloc'd: pages are only made resident as bytes land */
    log->arena = malloc(log->arena_cap ? (size_t)log->arena_cap : 1u);
    log->chunks = malloc((size_t)log->max_chunks * sizeof *log->chunks);
    if (!log->arena || !log->chunks) {
        wp_tcpr_log_free(log);
        return -1;
    }
    return 0;
}

void wp_tcpr_log_free(wp_tcpr_log *log)
{
    free(log->arena);
    free(log->chunks);
    memset(log, 0, sizeof *log);
}

void wp_tcpr_dir_init(wp_tcpr_dir *d, uint8_t dir)
{
    memset(d, 0, sizeof *d);
    d->dir = dir;
}

const uint8_t *wp_tcpr_bytes(const wp_tcpr_log *log, const wp_tcpr_chunk *c)
{
    if (c->kind != WP_TCPR_DATA && c->kind != WP_TCPR_DIFFER)
        return NULL;
    if (c->data > log->arena_used || c->len > log->arena_used - c->data)
        return NULL;
    return log->arena + c->data;
}

/* A chunk slot, or NULL when the table is full. The last slot is kept for
 * the CAP marker that says so. */
static wp_tcpr_chunk *chunk_new(wp_tcpr_log *log, int for_cap)
{
    uint32_t lim = for_cap ? log->max_chunks : log->max_chunks - 1u;
    if (log->nchunks >= lim)
        return NULL;
    wp_tcpr_chunk *c = &log->chunks[log->nchunks++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Cut direction d: nothing more is kept. A CAP chunk at its next offset;
 * or, when it holds segments beyond a hole (kept within the cap), they are
 * written out at the end (wp_tcpr_finish) and the CAP chunk after them. */
static void cap_cut(wp_tcpr_log *log, wp_tcpr_dir *d, uint64_t frame, int64_t sec, uint32_t nsec)
{
    if (d->capped)
        return;
    d->capped = 1;
    if (d->npend) {
        d->cap_held = 1;
        d->cap_frame = frame;
        d->cap_sec = sec;
        d->cap_nsec = nsec;
        return;
    }
    wp_tcpr_chunk *c = chunk_new(log, 1);
    if (!c)
        return;
    c->kind = WP_TCPR_CAP;
    c->dir = d->dir;
    c->off = d->next;
    c->frame_first = c->frame_last = frame;
    c->ts_sec = sec;
    c->ts_nsec = nsec;
}

/* Copy n bytes into the arena: their place, or UINT64_MAX when a cap says
 * no (the caller cuts the direction). */
static uint64_t arena_put(wp_tcpr_log *log, wp_tcpr_dir *d, const uint8_t *p, uint32_t n)
{
    if (n > log->arena_cap - log->arena_used || n > log->stream_cap - d->kept)
        return UINT64_MAX;
    uint64_t at = log->arena_used;
    if (n)
        memcpy(log->arena + at, p, n);
    log->arena_used += n;
    d->kept += n;
    return at;
}

/* A chunk of kind k for [off, off+n) at arena place data. */
static int emit(wp_tcpr_log *log, wp_tcpr_dir *d, uint8_t k, uint64_t off, uint32_t n,
                uint64_t data, uint64_t frame, int64_t sec, uint32_t nsec)
{
    /* consecutive data of one frame run continues the previous chunk */
    wp_tcpr_chunk *c = chunk_new(log, 0);
    if (!c) {
        cap_cut(log, d, frame, sec, nsec);
        return -1;
    }
    c->kind = k;
    c->dir = d->dir;
    c->off = off;
    c->len = n;
    c->data = data;
    c->frame_first = c->frame_last = frame;
    c->nframes = 1;
    c->ts_sec = sec;
    c->ts_nsec = nsec;
    return 0;
}

/* Write n in-order bytes p at d's next offset as a DATA chunk. When a cap
 * leaves room for fewer, the bytes that fit are kept, to the byte, and the
 * CAP marker follows them. Returns 0, or -1 when the direction was cut. */
static int put_next(wp_tcpr_log *log, wp_tcpr_dir *d, const uint8_t *p, uint32_t n,
                    uint64_t frame, int64_t sec, uint32_t nsec)
{
    uint64_t ra = log->arena_cap - log->arena_used;
    uint64_t rs = log->stream_cap > d->kept ? log->stream_cap - d->kept : 0;
    uint64_t fit = ra < rs ? ra : rs;
    uint32_t k = fit < n ? (uint32_t)fit : n;
    if (k) {
        uint64_t at = arena_put(log, d, p, k);
        if (at == UINT64_MAX || emit(log, d, WP_TCPR_DATA, d->next, k, at, frame, sec, nsec) != 0) {
            cap_cut(log, d, frame, sec, nsec);
            return -1;
        }
        d->next += k;
    }
    if (k < n) {
        cap_cut(log, d, frame, sec, nsec);
        return -1;
    }
    return 0;
}

/* Compare [off, off+n) of new bytes p with the first copy kept for d.
 * Returns 1 when some compared byte differs. Bytes whose first copy is
 * older than the look-back are not compared. */
static int differs(const wp_tcpr_log *log, const wp_tcpr_dir *d, uint64_t off, const uint8_t *p,
                   uint32_t n)
{
    uint64_t end = off + n;
    uint32_t seen = 0;
    for (uint32_t i = log->nchunks; i > 0 && seen < LOOKBACK; i--, seen++) {
        const wp_tcpr_chunk *c = &log->chunks[i - 1];
        if (c->dir != d->dir || c->kind != WP_TCPR_DATA)
            continue;
        uint64_t cs = c->off, ce = c->off + c->len;
        uint64_t s = cs > off ? cs : off, e = ce < end ? ce : end;
        if (s >= e)
            continue;
        if (memcmp(log->arena + c->data + (s - cs), p + (s - off), (size_t)(e - s)) != 0)
            return 1;
    }
    return 0;
}

/* Write out held segments that now start at or before next. */
static void drain(wp_tcpr_log *log, wp_tcpr_dir *d)
{
    int moved = 1;
    while (moved && d->npend && (!d->capped || d->cap_held)) {
        moved = 0;
        for (uint32_t i = 0; i < d->npend; i++) {
            wp_tcpr_pend *q = &d->pend[i];
            if (q->off > d->next)
                continue;
            uint64_t end = q->off + q->len;
            if (end > d->next) {
                uint64_t skip = d->next - q->off;
                if (emit(log, d, WP_TCPR_DATA, d->next, (uint32_t)(end - d->next), q->data + skip,
                         q->frame, q->ts_sec, q->ts_nsec) != 0)
                    return; /* cut: nothing is held any more */
                d->next = end;
            }
            d->pend[i] = d->pend[--d->npend];
            moved = 1;
            break;
        }
    }
}

/* The lowest held offset, or UINT64_MAX. */
static uint64_t pend_low(const wp_tcpr_dir *d)
{
    uint64_t lo = UINT64_MAX;
    for (uint32_t i = 0; i < d->npend; i++)
        if (d->pend[i].off < lo)
            lo = d->pend[i].off;
    return lo;
}

/* Declare the hole before the lowest held segment a gap and write out what
 * follows it. The gap's time is that of the held segment. */
static void gap_to_lowest(wp_tcpr_log *log, wp_tcpr_dir *d, uint8_t acked, uint8_t after_cap)
{
    uint64_t lo = pend_low(d);
    if (lo == UINT64_MAX || lo <= d->next)
        return;
    const wp_tcpr_pend *q = NULL;
    for (uint32_t i = 0; i < d->npend; i++)
        if (d->pend[i].off == lo)
            q = &d->pend[i];
    uint64_t gap = lo - d->next;
    if (gap > UINT32_MAX)
        gap = UINT32_MAX;
    if (emit(log, d, WP_TCPR_GAP, d->next, (uint32_t)gap, 0, q->frame, q->ts_sec, q->ts_nsec) !=
        0)
        return;
    log->chunks[log->nchunks - 1].acked = acked;
    log->chunks[log->nchunks - 1].after_cap = after_cap;
    d->next = lo;
    drain(log, d);
}

/* Place bytes data[0..len) at stream offset s of direction d. */
static void place(wp_tcpr_log *log, wp_tcpr_dir *d, uint64_t s, const uint8_t *data, uint32_t len,
                  uint64_t frame, int64_t ts_sec, uint32_t ts_nsec)
{
    uint64_t e = s + len;
    if (s < d->next) {
        /* retransmitted bytes: the first copy stays; a copy that differs is
         * kept as a note */
        uint64_t ov_end = e < d->next ? e : d->next;
        uint32_t ovn = (uint32_t)(ov_end - s);
        if (differs(log, d, s, data, ovn)) {
            uint64_t at = arena_put(log, d, data, ovn);
            if (at == UINT64_MAX) {
                cap_cut(log, d, frame, ts_sec, ts_nsec);
                return;
            }
            if (emit(log, d, WP_TCPR_DIFFER, s, ovn, at, frame, ts_sec, ts_nsec) != 0)
                return;
        }
        if (e <= d->next)
            return;
        data += ovn;
        len -= ovn;
        s = d->next;
    }
    if (s == d->next) {
        if (put_next(log, d, data, len, frame, ts_sec, ts_nsec) == 0)
            drain(log, d);
        return;
    }
    /* beyond a hole: hold it until the hole is filled, acknowledged or the
     * capture ends; with every hold slot taken, the lowest hole becomes a
     * gap first */
    if (d->npend >= WP_TCPR_PENDING) {
        gap_to_lowest(log, d, 0, 0);
        if (d->capped)
            return;
        if (s <= d->next) {
            /* the held data written out reached it: once more, in order
             * (s <= next now, so this cannot come back here) */
            place(log, d, s, data, len, frame, ts_sec, ts_nsec);
            return;
        }
    }
    /* held bytes count against the caps as kept ones do: what fits of it
     * is held, to the byte, and the cap cuts after it */
    uint64_t ra = log->arena_cap - log->arena_used;
    uint64_t rs = log->stream_cap > d->kept ? log->stream_cap - d->kept : 0;
    uint64_t fit = ra < rs ? ra : rs;
    int cut = fit < len;
    if (cut)
        len = (uint32_t)fit;
    uint64_t at = len ? arena_put(log, d, data, len) : UINT64_MAX;
    if (at == UINT64_MAX) {
        cap_cut(log, d, frame, ts_sec, ts_nsec);
        return;
    }
    wp_tcpr_pend *q = &d->pend[d->npend++];
    q->off = s;
    q->len = len;
    q->data = at;
    q->frame = frame;
    q->ts_sec = ts_sec;
    q->ts_nsec = ts_nsec;
    if (cut)
        cap_cut(log, d, frame, ts_sec, ts_nsec);
}

void wp_tcpr_segment(wp_tcpr_log *log, wp_tcpr_dir *d, uint32_t seq, int syn, const uint8_t *data,
                     uint32_t len, uint64_t frame, int64_t ts_sec, uint32_t ts_nsec)
{
    if (syn) {
        /* the data of a SYN (TCP Fast Open) starts at seq + 1 */
        if (!d->started) {
            d->base = seq + 1u;
            d->started = 1;
        }
        d->syn_seen = 1;
        seq += 1u;
    }
    if (!d->started) {
        d->base = seq;
        d->started = 1;
    }
    if (len == 0 || d->capped)
        return;
    /* unwrap: the offset nearest to next whose low 32 bits give seq */
    uint32_t next32 = d->base + (uint32_t)d->next;
    int64_t delta = (int32_t)(seq - next32);
    int64_t off = (int64_t)d->next + delta;
    if (off < 0) {
        /* bytes before the first one seen (a capture that started late):
         * keep what lies after offset 0 */
        if ((uint64_t)-off >= len)
            return;
        data += (uint32_t)-off;
        len -= (uint32_t)-off;
        off = 0;
    }
    place(log, d, (uint64_t)off, data, len, frame, ts_sec, ts_nsec);
}

void wp_tcpr_ack(wp_tcpr_log *log, wp_tcpr_dir *d, uint32_t ack)
{
    if (!d->started || !d->npend || d->capped)
        return;
    uint32_t next32 = d->base + (uint32_t)d->next;
    int64_t delta = (int32_t)(ack - next32);
    if (delta <= 0)
        return;
    uint64_t acked = d->next + (uint64_t)delta;
    /* every hole below the acknowledged offset was received but not
     * captured: bounded by the held segments, each pass frees at least one */
    for (uint32_t guard = 0; guard <= WP_TCPR_PENDING && d->npend && !d->capped; guard++) {
        uint64_t lo = pend_low(d);
        if (lo > acked || lo == UINT64_MAX)
            break;
        gap_to_lowest(log, d, 1, 0);
    }
}

void wp_tcpr_finish(wp_tcpr_log *log, wp_tcpr_dir *d)
{
    /* bounded by the held segments: each pass writes out at least one */
    if (d->cap_held)
        drain(log, d); /* what the data before the cap reached */
    for (uint32_t guard = 0; guard <= WP_TCPR_PENDING && d->npend && (!d->capped || d->cap_held);
         guard++)
        gap_to_lowest(log, d, 0, d->cap_held);
    if (!d->cap_held)
        return;
    d->cap_held = 0;
    d->npend = 0;
    wp_tcpr_chunk *c = chunk_new(log, 1);
    if (!c)
        return;
    c->kind = WP_TCPR_CAP;
    c->dir = d->dir;
    c->off = d->next;
    c->frame_first = c->frame_last = d->cap_frame;
    c->ts_sec = d->cap_sec;
    c->ts_nsec = d->cap_nsec;
}

void wp_tcpr_datagram(wp_tcpr_log *log, wp_tcpr_dir *d, const uint8_t *data, uint32_t len,
                      uint64_t frame, int64_t ts_sec, uint32_t ts_nsec)
{
    d->started = 1;
    if (d->capped)
        return;
    (void)put_next(log, d, data, len, frame, ts_sec, ts_nsec);
}
