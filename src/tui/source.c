/* The view's sources, without drawing: a saved file indexed on the fly, several
 * files merged by time, a live capture; the log descriptor; the filter typed in
 * the view; replay pacing and looping. They fill the model (model.c); the
 * screen side (view.c and the panes) only reads it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wirepeel/privdrop.h"
#include "tui_int.h"

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


/* -Y on frames kept in memory: each is asked once as it is kept (the
 * filter follows conversations); those left out keep their numbers and
 * stay unlisted whatever the b filter. 0, or -1 with the reason in err. */
static int display_filter(view *v, char *err, size_t errlen)
{
    if (!v->o->display_filter)
        return 0;
    if (!(v->yrun = wp_filter_run_new(v->o->display_filter, err, errlen)))
        return -1;
    wp_filter_run_decode_as(v->yrun, v->o->decode_as);
    v->m.keep = wp_filter_run_frame;
    v->m.keep_ctx = v->yrun;
    return 0;
}

/* The conversation tracker behind the reply marks and the ladder; without
 * memory for it the view goes on without them. */
static void track(view *v)
{
    if (wp_tmodel_track(&v->m) != 0)
        snprintf(v->msg, sizeof v->msg, "out of memory for the conversation tracker: no reply "
                                        "marks or ladder");
}

int wp_tui_open_file(view *v, char *err, size_t errlen)
{
    struct stat st;
    v->ixf = wp_capture_file_open(v->o->file, err, errlen);
    if (!v->ixf)
        return -1;
    v->rdf = wp_capture_file_open(v->o->file, err, errlen);
    if (!v->rdf)
        return -1;
    v->fsize = stat(v->o->file, &st) == 0 ? (long long)st.st_size : 0;
    v->first_pos = wp_capture_file_tell(v->ixf);
    if (v->o->bpf && *v->o->bpf && wp_capture_file_filter(v->ixf, v->o->bpf, err, errlen) != 0)
        return -1;
    if (v->o->display_filter) {
        /* -Y: the index keeps only what it selects; records left out still
         * count, so frames keep their numbers */
        if (!(v->yrun = wp_filter_run_new(v->o->display_filter, err, errlen)))
            return -1;
        wp_filter_run_decode_as(v->yrun, v->o->decode_as);
        wp_capture_file_set_keep(v->ixf, wp_filter_run_frame, v->yrun);
    }
    wp_pindex_init(&v->ix);
    wp_pindex_step(&v->ix, v->ixf, INDEX_FIRST);
    if (v->ix.failed && v->ix.n == 0) {
        snprintf(err, errlen, "cannot read %s: %s", v->o->file, v->ix.err);
        return -1;
    }
    wp_tmodel_init_file(&v->m, &v->ix, v->rdf);
    v->m.dopts = v->o->decode_as;
    track(v);
    return 0;
}

/* Several saved captures as one, merged by time (the course's two files
 * in one view). Read whole into memory: they are small; past LIVE_CAP
 * frames the rest is left out and the view says so. */
typedef struct loaded {
    wp_frame f;
    unsigned file;
} loaded;

static int cmp_loaded(const void *a, const void *b)
{
    const loaded *x = a, *y = b;
    if (x->f.ts_sec != y->f.ts_sec)
        return x->f.ts_sec < y->f.ts_sec ? -1 : 1;
    if (x->f.ts_nsec != y->f.ts_nsec)
        return x->f.ts_nsec < y->f.ts_nsec ? -1 : 1;
    /* the same instant: the file given first first (qsort is not stable) */
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->f.data < y->f.data ? -1 : x->f.data > y->f.data;
}

int wp_tui_open_files(view *v, char *err, size_t errlen)
{
    if (wp_tmodel_init_mem(&v->m, LIVE_CAP) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    v->m.dopts = v->o->decode_as;
    v->mem = 1;
    track(v);
    if (display_filter(v, err, errlen) != 0)
        return -1;
    loaded *all = calloc(LIVE_CAP, sizeof *all);
    if (!all) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t n = 0;
    int rc = 0;
    for (size_t k = 0; k < v->o->nfiles && rc == 0; k++) {
        wp_capture *c = wp_capture_open_file(v->o->files[k], err, errlen);
        if (!c) {
            rc = -1;
            break;
        }
        if (v->o->bpf && *v->o->bpf && wp_capture_set_filter(c, v->o->bpf, err, errlen) != 0) {
            wp_capture_close(c);
            rc = -1;
            break;
        }
        for (;;) {
            wp_frame f;
            char e[256];
            int r = wp_capture_next(c, &f, e, sizeof e);
            if (r != 1) {
                if (r < 0)
                    snprintf(v->msg, sizeof v->msg, "%s", e);
                break;
            }
            if (n == LIVE_CAP) {
                snprintf(v->msg, sizeof v->msg, "only the first %d frames are shown", LIVE_CAP);
                break;
            }
            uint8_t *d = malloc(f.caplen ? f.caplen : 1);
            if (!d) {
                snprintf(err, errlen, "out of memory reading %s", v->o->files[k]);
                rc = -1;
                break;
            }
            if (f.caplen)
                memcpy(d, f.data, f.caplen);
            all[n].f = f;
            all[n].f.data = d;
            all[n].file = (unsigned)k;
            n++;
        }
        wp_capture_close(c);
    }
    if (rc == 0) {
        qsort(all, n, sizeof *all, cmp_loaded);
        for (size_t i = 0; i < n; i++)
            if (wp_tmodel_push(&v->m, &all[i].f) != 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
        if (n)
            v->linktype = all[0].f.linktype;
        v->m.complete = 1;
    }
    for (size_t i = 0; i < n; i++)
        free((void *)all[i].f.data);
    free(all);
    return rc;
}

int wp_tui_open_live(view *v, char *err, size_t errlen)
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
    if (v->o->bpf && *v->o->bpf && wp_capture_set_filter(v->live, v->o->bpf, err, errlen) != 0)
        return -1;
    if (v->o->write_path) {
        v->dump = wp_dumper_open(v->o->write_path, wp_capture_linktype(v->live),
                                 wp_capture_snaplen(v->live), err, errlen);
        if (!v->dump)
            return -1;
    }
    if (v->o->run_as && wp_priv_drop(v->o->run_as, err, errlen) != 0)
        return -1;
    if (wp_tmodel_init_mem(&v->m, LIVE_CAP) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    v->m.dopts = v->o->decode_as;
    v->mem = 1;
    track(v);
    if (display_filter(v, err, errlen) != 0)
        return -1;
    v->linktype = wp_capture_linktype(v->live);
    v->m.follow = WP_TF_ON;
    v->m.shown = 0;
    return 0;
}

void wp_tui_read_live(view *v)
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
        if (wp_tmodel_push(&v->m, &f) != 0)
            snprintf(v->msg, sizeof v->msg, "out of memory: frame %llu not kept",
                     (unsigned long long)v->m.total);
        v->dirty = 1;
    }
    if (!v->paused)
        v->m.shown = wp_tmodel_count(&v->m);
}

/* The log descriptor: its lines go to the log pane; at its end it is
 * closed (the demo's endpoints have finished). */
void wp_tui_read_log(view *v)
{
    char buf[4096];
    ssize_t k = read(v->o->log_fd, buf, sizeof buf);
    if (k > 0) {
        wp_tlog_feed(&v->log, buf, (size_t)k);
        v->dirty = 1;
    } else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
        v->log_open = 0;
    }
}

static int bpf_match(void *ctx, const wp_frame *f)
{
    return wp_bpf_match(ctx, f);
}

/* Set the filter typed in the prompt: a file is indexed again from its
 * start with it (and with -f's); frames in memory are filtered again, so a
 * live view shows what it had buffered under the new filter too. */
void wp_tui_apply_filter(view *v, const char *bpf)
{
    char err[512];
    if (v->mem) {
        wp_bpf *b = NULL;
        if (bpf && *bpf) {
            b = wp_bpf_compile(bpf, v->linktype, err, sizeof err);
            if (!b) {
                snprintf(v->msg, sizeof v->msg, "%s", err);
                return;
            }
        }
        wp_tmodel_refilter(&v->m, b ? bpf_match : NULL, b);
        wp_bpf_free(v->bpf);
        v->bpf = b;
        if (!v->paced)
            v->m.shown = SIZE_MAX;
    } else {
        char both[1200];
        const char *use = bpf;
        if (v->o->bpf && *v->o->bpf && bpf && *bpf) {
            snprintf(both, sizeof both, "(%s) and (%s)", v->o->bpf, bpf);
            use = both;
        } else if (!(bpf && *bpf)) {
            use = v->o->bpf;
        }
        if (wp_capture_file_filter(v->ixf, use, err, sizeof err) != 0) {
            snprintf(v->msg, sizeof v->msg, "%s", err);
            return;
        }
        wp_capture_file_seek(v->ixf, v->first_pos);
        wp_pindex_reset(&v->ix);
        wp_tmodel_retrack(&v->m);
        wp_pindex_step(&v->ix, v->ixf, INDEX_FIRST);
        v->m.sel = v->m.top = 0;
        if (v->paced) {
            v->m.shown = 0;
            v->t0.tv_sec = 0;
        }
    }
    v->cur = SIZE_MAX;
    snprintf(v->filter, sizeof v->filter, "%s", bpf ? bpf : "");
    snprintf(v->msg, sizeof v->msg, "filter %s", *v->filter ? v->filter : "cleared");
}

/* Replay: reveal the packets whose time has come; with loop, start again
 * after the last. Returns ms until the next one is due, or -1 when there
 * is nothing to wait for. */
int wp_tui_replay_tick(view *v)
{
    if (!v->paced || v->live || v->paused)
        return -1;
    for (int guard = 0; guard < 100000; guard++) {
        size_t have = wp_tmodel_count(&v->m);
        if (v->m.shown >= have) {
            int more = !v->mem && !v->ix.done && !v->ix.failed;
            if (more)
                return 0;
            if (!v->o->loop || have == 0)
                return -1;
            /* start again a second after the last packet showed, so the
             * last exchange can be read */
            double t = now_s();
            if (v->end_at == 0)
                v->end_at = t;
            if (t < v->end_at + 1.0)
                return (int)((v->end_at + 1.0 - t) * 1000.0) + 1;
            v->end_at = 0;
            v->m.shown = 0;
            v->t0.tv_sec = 0;
            v->rounds++;
            v->dirty = 1;
            continue;
        }
        wp_frame f;
        uint64_t num;
        if (wp_tmodel_frame(&v->m, v->m.shown, &f, &num) != 1)
            return -1;
        double t = now_s();
        if (v->m.shown == 0 || v->t0.tv_sec == 0) {
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
        v->m.shown++;
        v->dirty = 1;
    }
    return 0;
}

/* After a pause or a step the clock restarts from the next packet. */
void wp_tui_replay_rebase(view *v)
{
    v->t0.tv_sec = 0;
}

