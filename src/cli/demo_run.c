/* The classroom demo: the course endpoints, their traffic captured live and
 * shown layer by layer; or, without the privilege to capture, the recorded
 * course captures replayed. --lab runs it between two network namespaces
 * joined by a veth pair, which the demo creates and always removes.
 *
 * The processes, so that root is given up where bytes are decoded but kept
 * where it is needed to clean up:
 *   the demo (root)        opens the capture, starts the children, watches
 *                          them, removes the lab; never decodes
 *   wp-udp-server          the course servers, each in its own process group
 *   wp-tcp-server          (Ctrl-C is the demo's to handle), their lines
 *   wp-demo-traffic        written into the log pipe; the traffic generator
 *                          marks each round there
 *   wp-demo-view           the view (it drops root once its capture is open),
 *   or wp-demo-decode      or, with --no-view, the printer, which drops root
 *                          before its first frame and interleaves the log */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "opts.h"
#include "endpoints/ep.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/endpoints.h"
#include "wirepeel/privdrop.h"
#include "wirepeel/render.h"
#include "wirepeel/tui.h"

#define PROG "wirepeel demo"
#define CAP_NET_RAW_BIT 13
#define LOG_LINE 512 /* longest log line passed on whole */
#define PORT_HINT "choose other ports with --udp-port/--tcp-port (0: any free port)"

void wp_demo_defaults(wp_demo_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->interval = 3.0;
    o->pings = 4;
    o->udp_port = WP_UDP_PORT;
    o->tcp_port = WP_TCP_PORT;
    o->run_as = WP_PRIV_DEFAULT_USER;
    o->lab_name = "wp-lab";
    const char *env = getenv("WP_CAPTURES");
    o->captures = env && *env ? env : "captures";
}

/* Everything the demo started, so that every way out can undo it. */
typedef struct demo {
    const wp_demo_opts *o;
    wp_demo_lab lab;
    int home_ns; /* the namespace we started in (fd), or -1 */
    const char *iface, *srv_host;
    uint16_t udp_port, tcp_port; /* as bound (the kernel's choice for 0) */
    char filter[96];
    pid_t udp_srv, tcp_srv, driver, viewer;
    wp_capture *cap;
    int log_r, log_w; /* the log pipe: endpoint lines to the view or printer */
    char why[256];    /* why a child ended the demo, said once the view is gone */
} demo;

/* Does this process hold CAP_NET_RAW in its effective set? */
static int has_cap_net_raw(void)
{
    char line[256];
    int yes = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return geteuid() == 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "CapEff:", 7) == 0) {
            unsigned long long caps = strtoull(line + 7, NULL, 16);
            yes = (int)((caps >> CAP_NET_RAW_BIT) & 1);
        }
    fclose(f);
    return yes;
}

/* ---- the log pipe ---- */

/* A stdio stream into the log pipe that starts each line with "tag: " and
 * hands each line to the pipe in one write, so lines from several processes
 * never mix. The pipe is non-blocking: when nobody reads (a view without a
 * log pane) a line is dropped rather than stalling a server. */
typedef struct log_stream {
    int fd;
    const char *tag;
    int bol; /* at the beginning of a line */
} log_stream;

static ssize_t log_write(void *cookie, const char *buf, size_t n)
{
    log_stream *ls = cookie;
    char line[LOG_LINE + 32];
    size_t done = 0;
    while (done < n) {
        size_t o = 0;
        /* A line that names its writer already ("udp-server listening
         * on ...") needs no tag. */
        size_t tl = ls->tag ? strlen(ls->tag) : 0;
        if (ls->bol && ls->tag && !(n - done > tl && memcmp(buf + done, ls->tag, tl) == 0)) {
            int t = snprintf(line, 32, "%s: ", ls->tag);
            o = t > 0 && t < 32 ? (size_t)t : 0;
        }
        const char *nl = memchr(buf + done, '\n', n - done);
        size_t take = nl ? (size_t)(nl - (buf + done)) + 1 : n - done;
        if (take > sizeof line - o)
            take = sizeof line - o;
        memcpy(line + o, buf + done, take);
        ls->bol = line[o + take - 1] == '\n';
        ssize_t w = write(ls->fd, line, o + take);
        (void)w; /* a full or closed pipe loses the line, by design */
        done += take;
    }
    return (ssize_t)n;
}

/* The stream for a child's lines (tag NULL: no prefix); NULL (no lines)
 * when it cannot be made. Lives until the child exits. */
static FILE *log_open(int fd, const char *tag)
{
    log_stream *ls = malloc(sizeof *ls);
    FILE *f = NULL;
    if (ls) {
        *ls = (log_stream){.fd = fd, .tag = tag, .bol = 1};
        cookie_io_functions_t io = {.write = log_write};
        f = fopencookie(ls, "w", io);
    }
    return f;
}

/* ---- the children ---- */

/* In a child: die with the demo, get a name for ps, and go into ns (if
 * any). own_group: leave Ctrl-C at the terminal to the demo, which stops
 * its children in order. */
static void child_setup(const demo *d, const char *name, const char *ns, int own_group)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    prctl(PR_SET_NAME, name);
    if (own_group)
        setpgid(0, 0);
    if (d->log_r >= 0)
        close(d->log_r);
    if (ns && wp_demo_lab_enter(ns) != 0)
        _exit(1);
}

/* Start one server in a child process and wait until it listens. Returns its
 * pid with *port set to the port it bound, or -1 after one line on stderr. */
static pid_t start_server(const demo *d, int tcp, uint16_t *port)
{
    const char *what = tcp ? "TCP server" : "UDP server";
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        close(pfd[0]);
        child_setup(d, tcp ? "wp-tcp-server" : "wp-udp-server", d->lab.up ? d->lab.ns_a : NULL,
                    1);
        FILE *out = log_open(d->log_w, tcp ? "tcp-server" : "udp-server");
        char err[256] = "";
        int rc;
        /* The server reports readiness on a copy, so that a failure to
         * listen can still be told on pfd[1]. */
        int ready = dup(pfd[1]);
        if (tcp) {
            wp_tcp_server_opts so;
            wp_endpoint_tcp_server_defaults(&so);
            so.host = d->srv_host;
            so.port = d->o->tcp_port;
            so.out = out;
            so.ready_fd = ready;
            rc = wp_endpoint_tcp_server(&so, err, sizeof err);
        } else {
            wp_udp_server_opts so;
            wp_endpoint_udp_server_defaults(&so);
            so.host = d->srv_host;
            so.port = d->o->udp_port;
            so.out = out;
            so.ready_fd = ready;
            rc = wp_endpoint_udp_server(&so, err, sizeof err);
        }
        if (rc != 0) {
            char msg[300];
            int n = snprintf(msg, sizeof msg, "E%s", err);
            ssize_t w = write(pfd[1], msg, n > 0 ? (size_t)n : 0);
            (void)w;
        }
        _exit(rc);
    }
    close(pfd[1]);
    char buf[300];
    ssize_t got = 0;
    struct pollfd p = {.fd = pfd[0], .events = POLLIN};
    if (poll(&p, 1, 5000) > 0)
        got = read(pfd[0], buf, sizeof buf - 1);
    close(pfd[0]);
    buf[got > 0 ? got : 0] = 0;
    char *end;
    unsigned long v = strtoul(buf, &end, 10);
    if (got > 0 && buf[0] >= '0' && buf[0] <= '9' && *end == '\n' && v <= 65535) {
        *port = (uint16_t)v;
        return pid;
    }
    if (buf[0] == 'E')
        fprintf(stderr, PROG ": cannot start the %s: %s; " PORT_HINT "\n", what, buf + 1);
    else
        fprintf(stderr, PROG ": the %s did not start within 5 s\n", what);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Sleep ms, waking early on a stop signal. */
static void nap(double ms)
{
    double end = wp_ep_now_ms() + ms;
    while (!wp_ep_stopping()) {
        double left = end - wp_ep_now_ms();
        if (left <= 0)
            break;
        poll(NULL, 0, left > 200 ? 200 : (int)left + 1);
    }
}

/* The traffic generator (a child): rounds of UDP pings spread over the round
 * so that each can be read, then a TCP exchange; a marker line before and a
 * summary after each round go to the log. */
static void driver_main(const demo *d)
{
    const wp_demo_opts *o = d->o;
    child_setup(d, "wp-demo-traffic", d->lab.up ? d->lab.ns_b : NULL, 1);
    wp_ep_signals_install();
    FILE *log = log_open(d->log_w, NULL);
    char err[256];
    if (!o->no_view)
        nap(700); /* the view opens its own capture: let it start first */
    double step = o->interval * 1e3 / (double)(o->pings + 1);
    for (unsigned long round = 1; !wp_ep_stopping(); round++) {
        double t0 = wp_ep_now_ms();
        wp_ep_say(log, "=== round %lu: %lu UDP ping%s to %s:%u, one TCP exchange with %s:%u ===\n",
                  round, o->pings, o->pings == 1 ? "" : "s", d->srv_host, (unsigned)d->udp_port, d->srv_host,
                  (unsigned)d->tcp_port);
        unsigned long answered = 0, refused = 0, sent = 0;
        char lost[64] = ""; /* the pings with no reply, for the class to match */
        size_t ll = 0;
        for (unsigned long i = 0; i < o->pings && !wp_ep_stopping(); i++) {
            wp_udp_client_opts uc;
            wp_udp_client_result r;
            wp_endpoint_udp_client_defaults(&uc);
            uc.host = d->srv_host;
            uc.port = d->udp_port;
            uc.count = 1;
            uc.timeout = step > 1000 ? 0.5 : 0.5 * step / 1000;
            uc.out = NULL; /* the round's summary says enough */
            if (wp_endpoint_udp_client(&uc, &r, err, sizeof err) == 1)
                wp_ep_say(log, "udp-client: %s\n", err);
            sent += r.sent;
            answered += r.received;
            refused += r.refused;
            if (r.sent && !r.received && ll < sizeof lost - 8) {
                int k = snprintf(lost + ll, sizeof lost - ll, "%s%lu", ll ? ", " : "", i + 1);
                ll += k > 0 ? (size_t)k : 0;
            } else if (r.sent && !r.received && ll < sizeof lost - 4) {
                snprintf(lost + ll, sizeof lost - ll, "...");
                ll = sizeof lost;
            }
            nap(t0 + step * (double)(i + 1) - wp_ep_now_ms());
        }
        if (wp_ep_stopping())
            break;
        wp_tcp_client_opts tc;
        wp_endpoint_tcp_client_defaults(&tc);
        tc.host = d->srv_host;
        tc.port = d->tcp_port;
        tc.out = NULL;
        int trc = wp_endpoint_tcp_client(&tc, err, sizeof err);
        if (trc == 1)
            wp_ep_say(log, "tcp-client: %s\n", err);
        if (trc == WP_EXIT_INTERRUPTED)
            break;
        wp_ep_say(log, "--- round %lu: %lu of %lu ping%s answered%s%s%s%s; TCP exchange %s ---\n",
                  round, answered, sent, sent == 1 ? "" : "s", lost[0] ? " (no reply to " : "", lost,
                  lost[0] ? ")" : "", refused ? " (no UDP server listening)" : "",
                  trc == 0 ? "done" : "failed");
        if (o->rounds && round >= o->rounds)
            break;
        nap(o->interval * 1e3 - (wp_ep_now_ms() - t0));
    }
    _exit(0);
}

static pid_t start_driver(const demo *d)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        driver_main(d);
    if (pid < 0)
        fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
    return pid;
}

/* ---- printing frames (--no-view, or stdout not a terminal) ---- */

/* Pass on the complete lines waiting in the log pipe fd (non-blocking) to
 * stdout; a partial line waits in buf (*len bytes) for its end. */
static void pass_log(int fd, char *buf, size_t cap, size_t *len)
{
    for (;;) {
        ssize_t got = read(fd, buf + *len, cap - *len);
        if (got <= 0)
            return;
        *len += (size_t)got;
        size_t start = 0;
        for (size_t i = 0; i < *len; i++) {
            if (buf[i] != '\n')
                continue;
            ssize_t w = write(1, buf + start, i + 1 - start);
            (void)w;
            start = i + 1;
        }
        if (start == 0 && *len == cap) { /* a line longer than the buffer: pass it on */
            ssize_t w = write(1, buf, *len);
            (void)w;
            start = *len;
        }
        memmove(buf, buf + start, *len - start);
        *len -= start;
    }
}

/* Read, decode and print as `layers` every frame from c until it ends (a
 * file) or a stop signal (live), with the lines from the log pipe log_fd
 * (-1: none) in between. 0, or 1 after a line on stderr. */
static int print_frames(wp_capture *c, int live, int log_fd, wp_dumper *dump)
{
    char err[WP_ERRBUF], out[65536], logbuf[LOG_LINE * 4];
    size_t loglen = 0;
    wp_sink sink;
    wp_render_opts ro = {0};
    wp_packet *pkt = malloc(sizeof *pkt);
    if (!pkt) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    wp_sink_init_fd(&sink, 1, out, sizeof out);
    uint64_t n = 0;
    int rc = 0;
    while (!wp_ep_stopping()) {
        if (live) {
            /* Read only what poll() says is there: a read with nothing ready
             * may block inside libpcap past any timeout, deaf to Ctrl-C. */
            struct pollfd p[2] = {{.fd = wp_capture_fd(c), .events = POLLIN},
                                  {.fd = log_fd, .events = POLLIN}};
            if (p[0].fd < 0 || poll(p, 2, 100) <= 0)
                continue;
            if (p[1].revents & POLLIN)
                pass_log(log_fd, logbuf, sizeof logbuf, &loglen);
            if (!(p[0].revents & POLLIN))
                continue;
        }
        wp_frame f;
        int r;
        while ((r = wp_capture_next(c, &f, err, sizeof err)) == 1) {
            wp_decode(&f, pkt);
            wp_render(&sink, WP_OUT_LAYERS, pkt, ++n, &ro);
            if (dump && wp_dumper_write(dump, &f, err, sizeof err) != 0) {
                fprintf(stderr, PROG ": %s\n", err);
                dump = NULL;
                rc = 1;
            }
            if (live || wp_ep_stopping())
                break; /* live: one frame per poll() */
        }
        if (wp_sink_flush(&sink) != 0)
            break; /* stdout closed (e.g. | head): nothing left to show */
        if (r < 0) {
            fprintf(stderr, PROG ": %s\n", err);
            rc = 1;
            break;
        }
        if (!live && r != 1)
            break; /* end of file */
    }
    if (log_fd >= 0)
        pass_log(log_fd, logbuf, sizeof logbuf, &loglen);
    free(pkt);
    return rc;
}

/* The printer (a child, --no-view): opens the -w file, gives up root, then
 * prints frames and log lines until told to stop. */
static void decoder_main(demo *d)
{
    char err[WP_ERRBUF];
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    prctl(PR_SET_NAME, "wp-demo-decode");
    close(d->log_w);
    wp_dumper *dump = NULL;
    if (d->o->write_path) {
        dump = wp_dumper_open(d->o->write_path, wp_capture_linktype(d->cap),
                              wp_capture_snaplen(d->cap), err, sizeof err);
        if (!dump) {
            fprintf(stderr, PROG ": %s\n", err);
            _exit(1);
        }
    }
    if (wp_priv_drop(d->o->run_as, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        _exit(1);
    }
    int rc = print_frames(d->cap, 1, d->log_r, dump);
    if (wp_dumper_close(dump, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        rc = 1;
    }
    _exit(rc);
}

/* The view (a child): captures by itself, gives up root once open. */
static void viewer_main(demo *d)
{
    char err[WP_ERRBUF] = "";
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    prctl(PR_SET_NAME, "wp-demo-view");
    close(d->log_w);
    wp_tui_opts to = {.iface = d->iface, .bpf = d->filter, .write_path = d->o->write_path,
                      .title = d->o->lab ? "demo --lab" : "demo", .run_as = d->o->run_as,
                      .log_fd = d->log_r};
    int rc = wp_tui_run(&to, err, sizeof err);
    if (rc == 1) /* err is set only for a runtime failure */
        fprintf(stderr, PROG ": %s\n", err[0] ? err : "the view failed");
    _exit(rc);
}

static pid_t start_viewer(demo *d, void (*body)(demo *))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        body(d);
    if (pid < 0)
        fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
    return pid;
}

/* ---- stopping ---- */

/* Stop a child: SIGTERM, up to 2 s, then SIGKILL. Its wait status in *st
 * (when st is not NULL; -1 when it had to be killed). */
static void reap(pid_t *pid, int *st)
{
    int s = -1;
    if (*pid <= 0)
        return;
    kill(*pid, SIGTERM);
    double end = wp_ep_now_ms() + 2000;
    while (waitpid(*pid, &s, WNOHANG) == 0) {
        if (wp_ep_now_ms() > end) {
            kill(*pid, SIGKILL);
            waitpid(*pid, NULL, 0);
            s = -1;
            break;
        }
        poll(NULL, 0, 20);
    }
    if (st)
        *st = s;
    *pid = 0;
}

static void teardown(demo *d)
{
    reap(&d->viewer, NULL);
    reap(&d->driver, NULL);
    reap(&d->udp_srv, NULL);
    reap(&d->tcp_srv, NULL);
    if (d->cap) {
        wp_capture_close(d->cap);
        d->cap = NULL;
    }
    if (d->log_r >= 0)
        close(d->log_r);
    if (d->log_w >= 0)
        close(d->log_w);
    d->log_r = d->log_w = -1;
    if (d->home_ns >= 0) {
        /* Leave the lab before removing it, or our presence keeps it alive. */
        if (setns(d->home_ns, CLONE_NEWNET) != 0)
            fprintf(stderr, PROG ": cannot return to the first namespace: %s\n", strerror(errno));
        close(d->home_ns);
        d->home_ns = -1;
    }
    wp_demo_lab_remove(&d->lab);
    if (d->why[0])
        fprintf(stderr, PROG ": %s\n", d->why);
}

/* Has child *pid ended on its own? Then note how (unless cleanly) and
 * forget it. */
static int child_gone(demo *d, pid_t *pid, const char *what)
{
    int st;
    if (*pid <= 0 || waitpid(*pid, &st, WNOHANG) != *pid)
        return 0;
    *pid = 0;
    if (WIFSIGNALED(st))
        snprintf(d->why, sizeof d->why, "the %s died (signal %d); stopping", what,
                 WTERMSIG(st));
    else if (WEXITSTATUS(st) != 0)
        snprintf(d->why, sizeof d->why, "the %s stopped (status %d); stopping", what,
                 WEXITSTATUS(st));
    return 1;
}

/* The demo's exit status from the view's or printer's: quitting by q,
 * Ctrl-C or SIGTERM is the normal end (0); a hang-up stays 129; a failure
 * (already reported) 1. */
static int viewer_status(int st)
{
    if (st == -1)
        return 1;
    if (WIFSIGNALED(st))
        return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM ? 0 : 1;
    int rc = WEXITSTATUS(st);
    return rc == 130 || rc == 143 ? 0 : rc;
}

/* Watch the children until the view (or printer) ends, a server ends, a
 * stop signal comes, or (printing) the rounds are done and the stragglers
 * read. Returns the exit status. */
static int supervise(demo *d)
{
    double drain_until = 0;
    for (;;) {
        int sig = wp_ep_stopping();
        if (sig)
            return sig == SIGHUP ? 128 + SIGHUP : 0;
        int st;
        if (waitpid(d->viewer, &st, WNOHANG) == d->viewer) {
            d->viewer = 0;
            return viewer_status(st);
        }
        if (child_gone(d, &d->udp_srv, "UDP server") || child_gone(d, &d->tcp_srv, "TCP server"))
            return 1;
        if (d->driver > 0 && child_gone(d, &d->driver, "traffic generator")) {
            if (d->why[0])
                return 1;
            drain_until = wp_ep_now_ms() + 500;
        }
        if (d->o->no_view && drain_until > 0 && wp_ep_now_ms() > drain_until) {
            reap(&d->viewer, &st); /* the printer flushes and ends on SIGTERM */
            return viewer_status(st);
        }
        poll(NULL, 0, 100);
    }
}

/* ---- without the privilege to capture: replay ---- */

static int replay(const wp_demo_opts *o, int view, const char *notice)
{
    static const char *const names[] = {"course-udp-ping.pcap", "course-tcp.pcap"};
    enum { NFILES = sizeof names / sizeof names[0] };
    char paths[NFILES][PATH_MAX], err[WP_ERRBUF] = "";
    const char *files[NFILES];
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", o->captures, names[i]);
        files[i] = paths[i];
        /* the default "captures" not here: the installed course captures */
        if (access(paths[i], R_OK) != 0 && strcmp(o->captures, "captures") == 0) {
            char rel[64];
            snprintf(rel, sizeof rel, "captures/%s", names[i]);
            if (wp_opts_data_path(rel, paths[i], sizeof paths[i]) == 0)
                snprintf(paths[i], sizeof paths[i], "%s/%s", o->captures, names[i]);
        }
        if (access(paths[i], R_OK) != 0) {
            fprintf(stderr, PROG ": cannot read %s: %s (make install puts the course captures "
                    "in PREFIX/share/wirepeel; or run from the source tree, or point "
                    "WP_CAPTURES or --captures at the captures/ directory)\n", paths[i],
                    strerror(errno));
            return 1;
        }
    }
    if (view) {
        /* Both captures in one view, merged by time, looping until q; the
         * notice says inside the view why it replays. (file is the first
         * capture too, for a view that takes a single file.) */
        wp_tui_opts to = {.file = files[0], .files = files, .nfiles = NFILES, .loop = 1,
                          .replay = 1, .speed = 1.0, .notice = notice,
                          .title = notice ? "demo: replay (cannot capture)" : "demo: replay"};
        int rc = wp_tui_run(&to, err, sizeof err);
        if (rc == 1)
            fprintf(stderr, PROG ": %s\n", err[0] ? err : "the view failed");
        return rc == 130 || rc == 143 ? 0 : rc;
    }
    if (notice)
        fprintf(stderr, PROG ": %s\n", notice);
    for (size_t i = 0; i < NFILES; i++) {
        wp_capture *c = wp_capture_open_file(files[i], err, sizeof err);
        if (!c) {
            fprintf(stderr, PROG ": %s\n", err);
            return 1;
        }
        wp_ep_say(stdout, "=== replaying %s ===\n", files[i]);
        int rc = print_frames(c, 0, -1, NULL);
        wp_capture_close(c);
        if (rc != 0 || wp_ep_stopping())
            return rc;
    }
    return 0;
}

/* This binary's real path into exe[n] ("wirepeel" when unknown): a
 * checkout's build/wirepeel is not on PATH, so a suggested command names it. */
static const char *exe_path(char *exe, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", exe, n - 1);
    if (len <= 0)
        snprintf(exe, n, "wirepeel");
    else
        exe[len] = 0;
    return exe;
}

/* The one-line notice for a user without CAP_NET_RAW. */
static void unprivileged_notice(char *buf, size_t n)
{
    char exe[PATH_MAX];
    exe_path(exe, sizeof exe);
    snprintf(buf, n, "no permission to capture on lo (needs CAP_NET_RAW): run sudo %s demo, "
             "or once: sudo setcap cap_net_raw,cap_net_admin=eip %s; replaying the recorded "
             "course captures instead", exe, exe);
}

/* ---- the demo ---- */

int wp_demo_run(const wp_demo_opts *o)
{
    char err[WP_ERRBUF], warn[WP_ERRBUF], notice[2 * PATH_MAX + 200];
    demo d;
    memset(&d, 0, sizeof d);
    d.o = o;
    d.home_ns = -1;
    d.log_r = d.log_w = -1;
    int view = !o->no_view && isatty(1);
    wp_ep_signals_install();

    if (o->force_replay)
        return replay(o, view, NULL);

    d.iface = "lo";
    d.srv_host = WP_DEFAULT_HOST;
    if (o->lab) {
        if (wp_demo_lab_name(&d.lab, o->lab_name) != 0) {
            fprintf(stderr, PROG ": --lab-name '%s' is too long (12 characters at most)\n",
                    o->lab_name);
            return 2;
        }
        if (!has_cap_net_raw() || geteuid() != 0) {
            char exe[PATH_MAX];
            fprintf(stderr, PROG ": --lab creates network namespaces and needs root "
                    "(run: sudo %s demo --lab)\n", exe_path(exe, sizeof exe));
            return 1;
        }
        if (wp_demo_lab_create(&d.lab) != 0)
            return 1;
        /* Capture on the servers' side of the veth: enter their namespace. */
        d.home_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (d.home_ns < 0 || wp_demo_lab_enter(d.lab.ns_a) != 0) {
            teardown(&d);
            return 1;
        }
        d.iface = d.lab.if_a;
        d.srv_host = WP_DEMO_LAB_ADDR_A;
    }

    /* Whether we may capture is learnt by trying. */
    wp_live_opts lo = {.timeout_ms = 100, .immediate = 1};
    d.cap = wp_capture_open_live(d.iface, &lo, warn, sizeof warn, err, sizeof err);
    if (!d.cap) {
        if (!has_cap_net_raw() && !o->lab) {
            unprivileged_notice(notice, sizeof notice);
            return replay(o, view, notice);
        }
        fprintf(stderr, PROG ": %s\n", err);
        teardown(&d);
        return 1;
    }
    int lp[2];
    if (pipe2(lp, O_CLOEXEC) != 0) {
        fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
        teardown(&d);
        return 1;
    }
    d.log_r = lp[0];
    d.log_w = lp[1];
    /* Both ends non-blocking: a writer never stalls on a reader that is
     * busy or gone, and a reader takes what is there. */
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(lp[i], F_GETFL);
        if (fl >= 0)
            fcntl(lp[i], F_SETFL, fl | O_NONBLOCK);
    }
    if ((d.udp_srv = start_server(&d, 0, &d.udp_port)) < 0 ||
        (d.tcp_srv = start_server(&d, 1, &d.tcp_port)) < 0) {
        d.udp_srv = d.udp_srv < 0 ? 0 : d.udp_srv;
        d.tcp_srv = 0;
        teardown(&d);
        return 1;
    }
    /* The filter names the ports really bound; libpcap applies it to what
     * the capture already holds too. */
    snprintf(d.filter, sizeof d.filter, "udp port %u or tcp port %u", (unsigned)d.udp_port,
             (unsigned)d.tcp_port);
    if (wp_capture_set_filter(d.cap, d.filter, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        teardown(&d);
        return 1;
    }
    if (view) {
        /* The view captures by itself; close ours so frames are not queued twice. */
        wp_capture_close(d.cap);
        d.cap = NULL;
    }
    if ((d.driver = start_driver(&d)) < 0 ||
        (d.viewer = start_viewer(&d, view ? viewer_main : decoder_main)) < 0) {
        d.driver = d.driver < 0 ? 0 : d.driver;
        d.viewer = 0;
        teardown(&d);
        return 1;
    }
    /* The children hold what they need of the pipe; our write end would keep
     * it from ever ending. */
    close(d.log_w);
    d.log_w = -1;
    int rc = supervise(&d);
    teardown(&d);
    return d.why[0] && rc == 0 ? 1 : rc;
}
