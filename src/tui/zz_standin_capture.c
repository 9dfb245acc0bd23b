/* TEMPORARY stand-ins for capture functions not on main yet: deleted before
 * the final commit (once `git merge main` brings the real ones). */
#include <stdio.h>

#include "wirepeel/capture.h"

wp_capture *wp_capture_open_live(const char *iface, const wp_live_opts *o, char *warn,
                                 size_t warnlen, char *err, size_t errlen)
{
    (void)o;
    (void)warnlen;
    warn[0] = '\0';
    snprintf(err, errlen, "live capture on %s is not built yet", iface);
    return NULL;
}
int wp_capture_set_filter(wp_capture *c, const char *bpf, char *err, size_t errlen)
{
    (void)c;
    snprintf(err, errlen, "filter '%s' not supported yet", bpf);
    return -1;
}
int wp_capture_fd(const wp_capture *c)
{
    (void)c;
    return -1;
}
int wp_capture_stats_get(wp_capture *c, wp_capture_stats *s)
{
    (void)c;
    (void)s;
    return -1;
}
wp_dumper *wp_dumper_open(const char *path, int linktype, int snaplen, char *err, size_t errlen)
{
    (void)linktype;
    (void)snaplen;
    snprintf(err, errlen, "cannot write %s: not built yet", path);
    return NULL;
}
int wp_dumper_write(wp_dumper *d, const wp_frame *f, char *err, size_t errlen)
{
    (void)d;
    (void)f;
    (void)err;
    (void)errlen;
    return -1;
}
int wp_dumper_close(wp_dumper *d, char *err, size_t errlen)
{
    (void)d;
    (void)err;
    (void)errlen;
    return 0;
}
