/* Internal to src/capture/: checks shared by the file readers. */
#ifndef WP_CAPTURE_INT_H
#define WP_CAPTURE_INT_H

#include <stddef.h>

/* Whether path can be a capture file at all: it exists, is not a directory
 * and is not empty. 0 if so; else -1 with one line naming the file in err. */
int wp_capture_check_path(const char *path, char *err, size_t errlen);

#endif
