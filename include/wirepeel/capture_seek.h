/* wirepeel — a saved capture read with random access: the view indexes big
 * files by record offset and re-reads a packet on demand. Part of the capture
 * module (src/capture/seek.c): the only other place that calls libpcap. */
#ifndef WIREPEEL_CAPTURE_SEEK_H
#define WIREPEEL_CAPTURE_SEEK_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

typedef struct wp_capture_file wp_capture_file;

/* Open a .pcap or .pcapng file for indexed reading (nanosecond timestamps).
 * NULL and a one-line reason naming the file in err on failure. */
wp_capture_file *wp_capture_file_open(const char *path, char *err, size_t errlen);

/* Set (bpf non-NULL, non-empty) or clear the filter that wp_capture_file_next
 * applies. -1 and a reason quoting the filter when it does not compile; the
 * old filter then stays. */
int wp_capture_file_filter(wp_capture_file *c, const char *bpf, char *err, size_t errlen);

/* A test wp_capture_file_next applies to each frame the filter passes
 * (the view's display filter): keep(ctx, f, number) returns 1 to hand f
 * out, 0 to skip it (counted in *skipped). number is the record's own
 * number in the file (1 for the first; it restarts when the file is sought
 * back to its first record). keep NULL: none. */
typedef int (*wp_capture_file_keep)(void *ctx, const wp_frame *f, uint64_t number);
void wp_capture_file_set_keep(wp_capture_file *c, wp_capture_file_keep keep, void *ctx);

/* Where the next record starts, for wp_capture_file_seek; -1 on error. */
int64_t wp_capture_file_tell(wp_capture_file *c);

/* Go back (or forward) to a position wp_capture_file_tell returned. 0, or -1. */
int wp_capture_file_seek(wp_capture_file *c, int64_t pos);

/* Read the next frame that passes the filter. 1 with *f filled (data valid
 * until the next call) and *pos the record's start (for seek), 0 at the end,
 * -1 on an error (reason in err). *skipped counts records the filter
 * rejected (may be NULL). */
int wp_capture_file_next(wp_capture_file *c, wp_frame *f, int64_t *pos, uint64_t *skipped,
                         char *err, size_t errlen);

/* Close and free (NULL is fine). */
void wp_capture_file_close(wp_capture_file *c);

#endif
