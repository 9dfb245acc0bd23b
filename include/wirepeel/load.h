/* wirepeel — load every frame of a saved capture into memory.
 *
 * For tests and small tools: open a .pcap or .pcapng file, copy all of its
 * frames into one allocation and close the file, so frames can be decoded in
 * any order and as often as wanted. This allocates (the decoders never do);
 * for big files or live captures, read frame by frame with wirepeel/capture.h.
 */
#ifndef WIREPEEL_LOAD_H
#define WIREPEEL_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

/* A loaded capture. frames[i].data points into memory the wp_loaded owns:
 * valid until wp_load_free. Frames keep their file order. */
typedef struct wp_loaded {
    size_t n;          /* number of frames */
    wp_frame *frames;  /* n frames (NULL when n is 0) */
    int linktype;      /* the file's link type (LINKTYPE_*) */
    int snaplen;       /* the file's snap length */
    size_t bytes;      /* captured bytes held, all frames together */
    uint8_t *mem;      /* the bytes frames[].data point into: owned, do not free */
} wp_loaded;

/* Load every frame of the .pcap/.pcapng file at path. Returns a wp_loaded
 * to free with wp_load_free (a file with no frames gives n == 0), or NULL
 * with a one-line reason naming the file in err (errlen bytes, may be 0)
 * when the file cannot be opened, is not a capture, is cut short or damaged
 * part way (nothing is returned then, not even the frames before the
 * damage), or memory runs out. */
wp_loaded *wp_load_file(const char *path, char *err, size_t errlen);

/* Load capture NAME from a fixture directory: dir when not NULL, else the
 * directory named by $WP_CAPTURES, else "captures". Same results as
 * wp_load_file; err names the full path that failed. */
wp_loaded *wp_load_fixture(const char *dir, const char *name, char *err, size_t errlen);

/* Free what wp_load_file or wp_load_fixture returned (NULL is fine). */
void wp_load_free(wp_loaded *l);

#endif
