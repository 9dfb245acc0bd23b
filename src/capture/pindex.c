/* The packet index of a saved capture: record offsets and file numbers,
 * grown in chunks between a viewer's looks at the keyboard. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/pindex.h"

void wp_pindex_init(wp_pindex *ix)
{
    memset(ix, 0, sizeof *ix);
}

void wp_pindex_free(wp_pindex *ix)
{
    free(ix->pos);
    free(ix->num);
    memset(ix, 0, sizeof *ix);
}

void wp_pindex_reset(wp_pindex *ix)
{
    ix->n = 0;
    ix->seen = 0;
    ix->done = ix->failed = 0;
    ix->err[0] = '\0';
}

static int grow(wp_pindex *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 4096;
    int64_t *pos = realloc(ix->pos, cap * sizeof *pos);
    if (!pos)
        return -1;
    ix->pos = pos;
    uint32_t *num = realloc(ix->num, cap * sizeof *num);
    if (!num)
        return -1;
    ix->num = num;
    ix->cap = cap;
    return 0;
}

size_t wp_pindex_step(wp_pindex *ix, wp_capture_file *c, size_t max_records)
{
    size_t added = 0;
    if (ix->done || ix->failed)
        return 0;
    while (added < max_records) {
        wp_frame f;
        int64_t at;
        uint64_t skipped = 0;
        if (ix->n == ix->cap && grow(ix) != 0) {
            ix->failed = 1;
            snprintf(ix->err, sizeof ix->err, "out of memory after %zu packets", ix->n);
            break;
        }
        int rc = wp_capture_file_next(c, &f, &at, &skipped, ix->err, sizeof ix->err);
        ix->seen += skipped;
        if (rc == 0) {
            ix->done = 1;
            break;
        }
        if (rc < 0) {
            ix->failed = 1;
            break;
        }
        ix->seen++;
        ix->pos[ix->n] = at;
        ix->num[ix->n] = (uint32_t)ix->seen;
        ix->n++;
        added++;
    }
    return added;
}

int wp_pindex_read(const wp_pindex *ix, wp_capture_file *c, size_t i, wp_frame *f, char *err,
                   size_t errlen)
{
    if (i >= ix->n) {
        snprintf(err, errlen, "no packet %zu", i + 1);
        return -1;
    }
    if (wp_capture_file_seek(c, ix->pos[i]) != 0) {
        snprintf(err, errlen, "cannot seek to packet %u", (unsigned)ix->num[i]);
        return -1;
    }
    /* The record at pos passed the filter when indexed; a pcapng block
     * before it (an interface description) is read on the way. */
    int rc = wp_capture_file_next(c, f, NULL, NULL, err, errlen);
    if (rc != 1) {
        if (rc == 0)
            snprintf(err, errlen, "packet %u is gone from the file", (unsigned)ix->num[i]);
        return -1;
    }
    return 1;
}
