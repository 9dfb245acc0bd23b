/* TEMPORARY stand-ins for the live-capture and writing functions that are
 * declared in capture.h but not on main yet. Weak, so the real ones win the
 * moment they land; delete this file then (the view needs nothing from it). */
#include <stdio.h>

#include "wirepeel/capture.h"

__attribute__((weak)) wp_capture *wp_capture_open_live(const char *iface, const wp_live_opts *o, char *warn,
                                 size_t warnlen, char *err, size_t errlen)
{
    (void)o;
    (void)warnlen;
    warn[0] = '\0';
    snprintf(err, errlen, "live capture on %s is not built yet", iface);
    return NULL;
}
__attribute__((weak)) int wp_capture_set_filter(wp_capture *c, const char *bpf, char *err, size_t errlen)
{
    (void)c;
    snprintf(err, errlen, "filter '%s' not supported yet", bpf);
    return -1;
}
__attribute__((weak)) int wp_capture_fd(const wp_capture *c)
{
    (void)c;
    return -1;
}
__attribute__((weak)) int wp_capture_stats_get(wp_capture *c, wp_capture_stats *s)
{
    (void)c;
    (void)s;
    return -1;
}
__attribute__((weak)) wp_dumper *wp_dumper_open(const char *path, int linktype, int snaplen, char *err, size_t errlen)
{
    (void)linktype;
    (void)snaplen;
    snprintf(err, errlen, "cannot write %s: not built yet", path);
    return NULL;
}
__attribute__((weak)) int wp_dumper_write(wp_dumper *d, const wp_frame *f, char *err, size_t errlen)
{
    (void)d;
    (void)f;
    (void)err;
    (void)errlen;
    return -1;
}
__attribute__((weak)) int wp_dumper_close(wp_dumper *d, char *err, size_t errlen)
{
    (void)d;
    (void)err;
    (void)errlen;
    return 0;
}
