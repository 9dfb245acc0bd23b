/* Option-parsing helpers shared by the subcommands (show, view, demo): number
 * parsing with ranges, --color, usage errors in one line, the capture source
 * options every capturing command takes, and the Ctrl-C flag. */
#ifndef WP_CLI_OPTS_H
#define WP_CLI_OPTS_H

#include <stdint.h>

#include "wirepeel/capture.h"

/* Parse a whole decimal integer in [lo, hi] from s into *out. 0 on success,
 * -1 when s is empty, has trailing junk, or is out of range. */
int wp_opts_int(const char *s, long long lo, long long hi, long long *out);

/* Parse a finite decimal number in [lo, hi] into *out; 0 or -1 as above. */
int wp_opts_double(const char *s, double lo, double hi, double *out);

enum { WP_COLOR_AUTO = 0, WP_COLOR_ALWAYS, WP_COLOR_NEVER };

/* "auto", "always", "never" (NULL means "always", as for a bare --color);
 * -1 for anything else. */
int wp_opts_color(const char *s);

/* Whether to colour output to fd: always, never, or (auto) when fd is a
 * terminal and NO_COLOR is unset or empty. */
int wp_opts_use_color(int mode, int fd);

/* Print "wirepeel CMD: MESSAGE (see wirepeel CMD --help)" as one line on
 * stderr and return 2, the usage-error exit status. */
int wp_opts_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* After getopt_long (with opterr 0 and a ':' first in the short options)
 * returned ch ('?' or ':'): print the one usage line for the unknown option
 * or the missing value, in wirepeel's words, and return 2. */
int wp_opts_bad_option(const char *cmd, int ch, char **argv);

/* Print "wirepeel CMD: MESSAGE" as one line on stderr; returns 1, the
 * runtime-failure exit status. */
int wp_opts_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The installed copy of rel (a relative path such as "captures/x.pcap"):
 * BINDIR/../share/wirepeel/rel, found from the running binary's own path,
 * into out[n]. 1 when that file exists, else 0 (out then unspecified). */
int wp_opts_data_path(const char *rel, char *out, size_t n);

/* Where packets come from: -r FILE or -i IFACE, with -f, -s, --raw-socket. */
typedef struct wp_source_opts {
    const char *file;
    const char *iface;
    const char *bpf;
    int snaplen;       /* 0: the default (262144) */
    int raw_socket;
    int timeout_ms;    /* live read timeout; 0: 100 ms */
} wp_source_opts;

/* Check the combination (exactly one of file/iface; --raw-socket only with an
 * interface). 0 when fine, else prints the usage error and returns 2. */
int wp_opts_check_source(const char *cmd, const wp_source_opts *o);

/* Open the source and apply the filter. On success *out is the capture and
 * 0 is returned (activation warnings are printed on stderr); otherwise one
 * error line is printed and 1 is returned. */
int wp_opts_open_source(const char *cmd, const wp_source_opts *o, wp_capture **out);

/* Compile the display filter expr (-Y) into *out (NULL when expr is NULL).
 * 0 on success; on a bad expression prints "wirepeel CMD: -Y: MESSAGE", the
 * expression and a caret line under the bad token on stderr and returns 2
 * (a usage error); 1 when out of memory. */
struct wp_filter;
int wp_opts_display_filter(const char *cmd, const char *expr, struct wp_filter **out);

/* Add the --decode-as rule arg to *o. 0, or prints the usage error (the
 * rule's problem, with the protocol names it accepts for an unknown one)
 * and returns 2. */
struct wp_decode_opts;
int wp_opts_decode_as(const char *cmd, const char *arg, struct wp_decode_opts *o);

/* Install SIGINT/SIGTERM handlers that set the stop flag (without
 * SA_RESTART, so blocking reads return). */
void wp_opts_catch_signals(void);

/* Whether SIGINT or SIGTERM has arrived since wp_opts_catch_signals. */
int wp_opts_stopped(void);

#endif
