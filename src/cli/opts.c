/* Option-parsing helpers shared by the subcommands. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "wirepeel/decode.h"
#include "wirepeel/filter.h"

/* The one mutable global the house rules allow: set by the signal handler. */
static volatile sig_atomic_t wp_stop_flag;

int wp_opts_int(const char *s, long long lo, long long hi, long long *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int wp_opts_double(const char *s, double lo, double hi, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int wp_opts_color(const char *s)
{
    if (!s || strcmp(s, "always") == 0)
        return WP_COLOR_ALWAYS;
    if (strcmp(s, "auto") == 0)
        return WP_COLOR_AUTO;
    if (strcmp(s, "never") == 0)
        return WP_COLOR_NEVER;
    return -1;
}

int wp_opts_use_color(int mode, int fd)
{
    if (mode == WP_COLOR_ALWAYS)
        return 1;
    if (mode == WP_COLOR_NEVER)
        return 0;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    return isatty(fd);
}

int wp_opts_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "wirepeel %s: %s (see wirepeel %s --help)\n", cmd, msg, cmd);
    return 2;
}

int wp_opts_bad_option(const char *cmd, int ch, char **argv)
{
    const char *word = optind > 0 ? argv[optind - 1] : "?";
    /* a long option is named by its word (optopt is then its value, not a
     * letter); a short one by optopt, as "-abc" holds several */
    int is_long = strncmp(word, "--", 2) == 0;
    if (ch == ':')
        return is_long ? wp_opts_usage_error(cmd, "option '%s' needs a value", word)
                       : wp_opts_usage_error(cmd, "option '-%c' needs a value", optopt);
    if (!is_long && optopt)
        return wp_opts_usage_error(cmd, "unknown option '-%c'", optopt);
    /* "--help=foo": getopt knows the option (optopt is its value) but it
     * takes no value */
    if (optopt && strchr(word, '='))
        return wp_opts_usage_error(cmd, "option '%.*s' takes no value (in '%s')",
                                   (int)strcspn(word, "="), word, word);
    return wp_opts_usage_error(cmd, "unknown option '%.*s'", (int)strcspn(word, "="), word);
}

int wp_opts_fail(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "wirepeel %s: %s\n", cmd, msg);
    return 1;
}

int wp_opts_data_path(const char *rel, char *out, size_t n)
{
    char exe[4096];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0 || !rel || rel[0] == '/')
        return 0;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    int w = snprintf(out, n, "%s/../share/wirepeel/%s", exe, rel);
    return w > 0 && (size_t)w < n && access(out, R_OK) == 0;
}

int wp_opts_check_source(const char *cmd, const wp_source_opts *o)
{
    if (o->file && o->iface)
        return wp_opts_usage_error(cmd, "give either -r FILE or -i IFACE, not both");
    if (!o->file && !o->iface)
        return wp_opts_usage_error(cmd, "nothing to read: give -r FILE or -i IFACE");
    if (o->raw_socket && !o->iface)
        return wp_opts_usage_error(cmd, "--raw-socket captures live: it needs -i IFACE");
    return 0;
}

int wp_opts_open_source(const char *cmd, const wp_source_opts *o, wp_capture **out)
{
    char err[WP_ERRBUF] = "", warn[WP_ERRBUF] = "";
    wp_capture *c;
    *out = NULL;
    if (o->file) {
        /* the man page's `show -r captures/tcp-handshake.pcap` from any
         * folder: a relative path that does not exist here is looked up in
         * the installed captures */
        char inst[4200];
        const char *path = o->file;
        if (strcmp(path, "-") != 0 && path[0] != '/' && access(path, F_OK) != 0 &&
            errno == ENOENT && wp_opts_data_path(path, inst, sizeof inst))
            path = inst;
        c = wp_capture_open_file(path, err, sizeof err);
    } else {
        wp_live_opts lo = {.snaplen = o->snaplen,
                           .timeout_ms = o->timeout_ms,
                           .raw_socket = o->raw_socket};
        c = wp_capture_open_live(o->iface, &lo, warn, sizeof warn, err, sizeof err);
    }
    if (!c)
        return wp_opts_fail(cmd, "%s", err);
    if (warn[0])
        fprintf(stderr, "wirepeel %s: warning: %s\n", cmd, warn);
    if (o->bpf && wp_capture_set_filter(c, o->bpf, err, sizeof err) != 0) {
        wp_capture_close(c);
        return wp_opts_fail(cmd, "%s", err);
    }
    *out = c;
    return 0;
}

int wp_opts_display_filter(const char *cmd, const char *expr, wp_filter **out)
{
    *out = NULL;
    if (!expr)
        return 0;
    wp_filter_error e;
    *out = wp_filter_compile(expr, &e);
    if (*out)
        return 0;
    if (e.msg[0] == '\0' || strncmp(e.msg, "out of memory", 13) == 0)
        return wp_opts_fail(cmd, "out of memory compiling the display filter");
    char text[2048];
    fprintf(stderr, "wirepeel %s: -Y: %s", cmd, wp_filter_error_text(expr, &e, text, sizeof text));
    return 2;
}

static void on_stop_signal(int sig)
{
    (void)sig;
    wp_stop_flag = 1;
}

void wp_opts_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking read or sleep returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int wp_opts_stopped(void)
{
    return wp_stop_flag != 0;
}

int wp_opts_decode_as(const char *cmd, const char *arg, wp_decode_opts *o)
{
    char e[768];
    if (wp_decode_as_add(o, arg, e, sizeof e) != 0)
        return wp_opts_usage_error(cmd, "--decode-as %s", e);
    return 0;
}
