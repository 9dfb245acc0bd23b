/* wirepeel — the ncurses layered view. The only module that uses curses. */
#ifndef WIREPEEL_TUI_H
#define WIREPEEL_TUI_H

#include <stddef.h>

typedef struct wp_tui_opts {
    const char *file;       /* -r: a saved capture */
    const char *iface;      /* -i: live capture */
    const char *bpf;        /* -f: filter, or NULL */
    int replay;             /* pace a file by its timestamps */
    double speed;           /* replay speed factor; 0 = as fast as possible */
    const char *write_path; /* -w: also save what is captured live, or NULL */
    const char *title;      /* shown in the status bar (e.g. "demo"), or NULL */
    const char *run_as;     /* live as root: once open, become this user (NULL: stay) */
    /* Added for the classroom demo (issue 15): */
    const char *const *files; /* several saved captures merged by time, or NULL */
    size_t nfiles;            /* how many in files */
    int loop;                 /* replay: start again after the last frame, until q */
    int log_fd;               /* > 0: lines read from it are shown in the view's log pane */
    const char *notice;       /* shown inside the view (e.g. why it replays), or NULL */
    const char *display_filter; /* -Y: display filter (wirepeel(1)), or NULL */
    const struct wp_decode_opts *decode_as; /* --decode-as rules, or NULL */
} wp_tui_opts;

/* Run the view until the user quits. Returns the process exit status: 0 on
 * q; 1 with a one-line reason in err for a runtime failure such as a file
 * that cannot be opened (reported before the screen is taken over) or, on
 * q, a file that turned out to be cut short (as show ends); 128+N
 * when signal N (Ctrl-C: 130, SIGTERM, SIGHUP) ended it. The terminal is
 * restored on every way out, fatal signals included. A terminal that
 * cannot place the cursor (TERM=dumb) is refused with a reason in err (1);
 * one too small shows a one-line message until it grows. */
int wp_tui_run(const wp_tui_opts *o, char *err, size_t errlen);

#endif
