/* Internal to src/capture/: checks shared by the file readers. */
#ifndef WP_CAPTURE_INT_H
#define WP_CAPTURE_INT_H

#include <stddef.h>
#include <stdio.h>

/* Opens path for reading as a capture file once it is known it can be one
 * (it exists, is not a directory and is not empty). Returns the stream, or
 * NULL with one line naming the file in err. */
FILE *wp_capture_fopen(const char *path, char *err, size_t errlen);

#endif
