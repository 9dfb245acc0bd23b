/* A display filter with its own decode buffer: matches frames (the view's
 * index reads frames, not decoded packets). */
#include <stdio.h>
#include <stdlib.h>

#include "wirepeel/decode.h"
#include "wirepeel/filter.h"

struct wp_filter_run {
    wp_filter *f;
    const wp_decode_opts *dopts; /* --decode-as, or NULL */
    wp_packet pkt;
};

wp_filter_run *wp_filter_run_new(const char *expr, char *err, size_t errlen)
{
    wp_filter_error e;
    wp_filter_run *r = malloc(sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory for the display filter");
        return NULL;
    }
    r->dopts = NULL;
    r->f = wp_filter_compile(expr, &e);
    if (!r->f) {
        snprintf(err, errlen, "bad display filter '%s': %s", expr, e.msg);
        free(r);
        return NULL;
    }
    return r;
}

int wp_filter_run_frame(void *run, const wp_frame *f, uint64_t number)
{
    wp_filter_run *r = run;
    const wp_filter_frame fr = {.number = number};
    wp_decode_with(f, r->dopts, &r->pkt);
    return wp_filter_match(r->f, &r->pkt, &fr);
}

void wp_filter_run_decode_as(wp_filter_run *run, const wp_decode_opts *o)
{
    if (run)
        run->dopts = o;
}

void wp_filter_run_free(wp_filter_run *run)
{
    if (!run)
        return;
    wp_filter_free(run->f);
    free(run);
}
