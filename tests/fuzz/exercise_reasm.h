/* Shared by tools/sweep.c and tests/fuzz/fuzz_reasm.c: feed decoded packets
 * to the reassembly engines (IP fragments, and both directions of the TCP
 * byte stream of whatever TCP the packet carries), decode every completed
 * datagram as a second packet and check the promises the engines make:
 * a completed datagram is exactly its header and its fragments' bytes, no
 * chunk points outside the arena, caps hold. */
#ifndef WP_FUZZ_EXERCISE_REASM_H
#define WP_FUZZ_EXERCISE_REASM_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/reasm.h"

typedef struct wp_reasm_ex {
    wp_ipr *ipr;
    wp_tcpr_log log;
    wp_tcpr_dir dir[2];
    wp_packet dg;
    uint64_t completed;
    uint32_t chunks_checked;
} wp_reasm_ex;

/* Small pools and caps, so that hostile input reaches every limit fast.
 * Returns 0, or -1 when out of memory. */
static inline int wp_reasm_ex_init(wp_reasm_ex *x)
{
    memset(x, 0, sizeof *x);
    wp_ipr_opts o = {.slots = 4, .max_frags = 8, .timeout_s = 30};
    x->ipr = wp_ipr_new(&o);
    if (!x->ipr || wp_tcpr_log_init(&x->log, 4096, 16384, 512) != 0)
        return -1;
    wp_tcpr_dir_init(&x->dir[0], 0);
    wp_tcpr_dir_init(&x->dir[1], 1);
    return 0;
}

static inline void wp_reasm_ex_free(wp_reasm_ex *x)
{
    wp_ipr_free(x->ipr);
    wp_tcpr_log_free(&x->log);
}

/* Every chunk of the log lies inside the arena and the caps; 0 or the
 * number of broken promises (described in why). */
static inline unsigned wp_reasm_ex_check_log(wp_reasm_ex *x, char *why, size_t n)
{
    unsigned bad = 0;
    const wp_tcpr_log *log = &x->log;
    if (log->arena_used > log->arena_cap || log->nchunks > log->max_chunks) {
        snprintf(why, n, "tcpr: arena %llu of %llu, chunks %u of %u\n",
                 (unsigned long long)log->arena_used, (unsigned long long)log->arena_cap,
                 log->nchunks, log->max_chunks);
        bad++;
    }
    for (int d = 0; d < 2; d++)
        if (x->dir[d].kept > log->stream_cap || x->dir[d].npend > WP_TCPR_PENDING) {
            snprintf(why, n, "tcpr: direction %d keeps %llu bytes, %u held\n", d,
                     (unsigned long long)x->dir[d].kept, x->dir[d].npend);
            bad++;
        }
    for (uint32_t i = x->chunks_checked; i < log->nchunks; i++) {
        const wp_tcpr_chunk *c = &log->chunks[i];
        if ((c->kind == WP_TCPR_DATA || c->kind == WP_TCPR_DIFFER) &&
            (c->data > log->arena_used || c->len > log->arena_used - c->data)) {
            snprintf(why, n, "tcpr: chunk %u outside the arena\n", i);
            bad++;
        }
    }
    x->chunks_checked = log->nchunks;
    return bad;
}

/* Feed packet p (frame no) to both engines; returns the broken promises. */
static inline unsigned wp_reasm_ex_feed(wp_reasm_ex *x, const wp_packet *p, uint64_t no, char *why,
                                        size_t n)
{
    unsigned bad = 0;
    wp_ipr_result res;
    wp_ipr_feed(x->ipr, p, no, &res);
    wp_ipr_expired(x->ipr, 0, NULL, NULL);
    const wp_packet *t = p;
    if (res.status == WP_IPR_COMPLETE) {
        x->completed++;
        if (res.len != res.ip_hdr_len + res.d.total || res.d.total > WP_IPR_MAX_DATAGRAM) {
            snprintf(why, n, "ipr: datagram of %u bytes: header %u + data %u\n", res.len,
                     res.ip_hdr_len, res.d.total);
            bad++;
        }
        uint64_t used = 0;
        for (uint32_t i = 0; i < res.d.nfrags; i++)
            used += res.d.frags[i].used;
        if (used < res.d.total) {
            snprintf(why, n, "ipr: %llu bytes used of %u\n", (unsigned long long)used,
                     res.d.total);
            bad++;
        }
        wp_frame g = {.ts_sec = p->ts_sec, .caplen = res.len, .len = res.len,
                      .linktype = WP_LINK_RAW, .data = res.bytes};
        wp_decode(&g, &x->dg);
        t = &x->dg;
    }
    for (unsigned i = 0; i < t->nlayers; i++) {
        const wp_layer *l = &t->layers[i];
        if (l->flags & WP_LF_QUOTED)
            break;
        if (l->proto != WP_PROTO_TCP || (l->flags & (WP_LF_TRUNCATED | WP_LF_FRAGMENT)))
            continue;
        uint32_t start = l->off + l->hdr_len, end = l->off + l->len;
        if (end > t->caplen)
            end = t->caplen;
        if (start > end)
            start = end;
        int d = l->h.tcp.sport < l->h.tcp.dport;
        wp_tcpr_segment(&x->log, &x->dir[d], l->h.tcp.seq, (l->h.tcp.flags & 0x02u) != 0,
                        t->data + start, end - start, no, t->ts_sec, t->ts_nsec);
        if (l->h.tcp.flags & 0x10u)
            wp_tcpr_ack(&x->log, &x->dir[!d], l->h.tcp.ack);
        break;
    }
    return bad + wp_reasm_ex_check_log(x, why, n);
}

/* End of input: flush held data and report what stayed incomplete. */
static inline unsigned wp_reasm_ex_finish(wp_reasm_ex *x, char *why, size_t n)
{
    wp_tcpr_finish(&x->log, &x->dir[0]);
    wp_tcpr_finish(&x->log, &x->dir[1]);
    wp_ipr_expired(x->ipr, 1, NULL, NULL);
    return wp_reasm_ex_check_log(x, why, n);
}

#endif
