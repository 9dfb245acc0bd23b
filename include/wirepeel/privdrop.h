/* wirepeel — least privilege for live captures: once the device (and any -w
 * file) is open, a root process gives up root before it decodes a byte. */
#ifndef WIREPEEL_PRIVDROP_H
#define WIREPEEL_PRIVDROP_H

#include <stddef.h>

/* The user a live capture runs as when no -Z is given. */
#define WP_PRIV_DEFAULT_USER "nobody"

/* When the process runs as root (real or effective uid 0), become user
 * (NULL: WP_PRIV_DEFAULT_USER): supplementary groups set to the user's,
 * then setgid, then setuid, each checked, and finally a check that root
 * cannot be regained. user "root" (or uid 0) keeps root. Not root: nothing
 * to give up, returns 0. Returns -1 with a one-line reason in err (an
 * unknown user, a failed call) — the caller must then stop, never go on as
 * root. */
int wp_priv_drop(const char *user, char *err, size_t errlen);

#endif
