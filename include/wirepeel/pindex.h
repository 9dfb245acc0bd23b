/* wirepeel — the packet index of a saved capture: where each record starts
 * and its number in the file, so a viewer can open a big file at once and
 * re-read any packet on demand. Part of the capture module
 * (src/capture/pindex.c); it reads through capture_seek.h. */
#ifndef WIREPEEL_PINDEX_H
#define WIREPEEL_PINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/capture_seek.h"
#include "wirepeel/packet.h"

/* Per packet: where its record starts and its number in the file (they
 * differ once a filter hides some). 12 bytes a packet. */
typedef struct wp_pindex {
    int64_t *pos;
    uint32_t *num;
    size_t n, cap;
    uint64_t seen;   /* records read, filtered or not */
    int done;        /* the whole file is indexed */
    int failed;      /* reading stopped on an error (reason in err) */
    char err[256];
} wp_pindex;

void wp_pindex_init(wp_pindex *ix);
void wp_pindex_free(wp_pindex *ix);

/* Forget everything (a new filter re-reads the file from the start). */
void wp_pindex_reset(wp_pindex *ix);

/* Index up to max_records more packets of c (which must be positioned where
 * the last call left it). Returns how many were added; sets done at the end
 * of the file, failed (and err) on a read error or when memory runs out. */
size_t wp_pindex_step(wp_pindex *ix, wp_capture_file *c, size_t max_records);

/* Re-read packet i of the index into *f (data valid until c is read again).
 * 1, or -1 with a reason in err. The file position is left after the record:
 * callers that go on indexing save and restore it with tell/seek. */
int wp_pindex_read(const wp_pindex *ix, wp_capture_file *c, size_t i, wp_frame *f, char *err,
                   size_t errlen);

#endif
