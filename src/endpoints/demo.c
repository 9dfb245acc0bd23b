/* The classroom demo: the course endpoints, their traffic captured live and
 * shown layer by layer; or, without the privilege to capture, the recorded
 * course captures replayed. --lab runs it between two network namespaces
 * joined by a veth pair, which the demo creates and always removes. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "endpoints/ep.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/endpoints.h"
#include "wirepeel/render.h"
#include "wirepeel/tui.h"

#define PROG "wirepeel demo"
#define LAB_ADDR_A "10.200.0.1"
#define LAB_ADDR_B "10.200.0.2"
#define CAP_NET_RAW_BIT 13

void wp_demo_defaults(wp_demo_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->interval = 3.0;
    o->pings = 4;
    o->lab_name = "wp-lab";
    const char *env = getenv("WP_CAPTURES");
    o->captures = env && *env ? env : "captures";
}

/* Everything the demo started, so that every way out can undo it. */
typedef struct demo {
    const wp_demo_opts *o;
    int lab_up;
    int home_ns; /* the namespace we started in (fd), or -1 */
    char ns_a[32], ns_b[32], if_a[16], if_b[16];
    const char *iface, *srv_host;
    pid_t udp_srv, tcp_srv, driver;
    wp_capture *cap;
} demo;

static const char demo_filter[] = "udp port 54321 or tcp port 10530";

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
            yes = (caps >> CAP_NET_RAW_BIT) & 1;
        }
    fclose(f);
    return yes;
}

/* Run `ip ARGS...`; quiet sends its output to /dev/null. Returns its exit
 * status, or -1 when it could not be run. */
static int run_ip(int quiet, char *const argv[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            if (quiet)
                dup2(nul, 2);
        }
        execvp("ip", argv);
        if (!quiet)
            fprintf(stderr, PROG ": cannot run the ip command: %s (install iproute2)\n",
                    strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void lab_remove(const demo *d)
{
    char *del_a[] = {"ip", "netns", "del", (char *)d->ns_a, NULL};
    char *del_b[] = {"ip", "netns", "del", (char *)d->ns_b, NULL};
    /* Deleting a namespace destroys the veth end inside it, and so the pair. */
    run_ip(1, del_a);
    run_ip(1, del_b);
}

/* Create the two namespaces and the veth pair between them. -1 after one
 * line on stderr (and nothing left behind) on failure. */
static int lab_create(demo *d)
{
    char *add_a[] = {"ip", "netns", "add", d->ns_a, NULL};
    char *add_b[] = {"ip", "netns", "add", d->ns_b, NULL};
    char *veth[] = {"ip", "link", "add", "name", d->if_a, "netns", d->ns_a, "type", "veth",
                    "peer", "name", d->if_b, "netns", d->ns_b, NULL};
    char *addr_a[] = {"ip", "-n", d->ns_a, "addr", "add", LAB_ADDR_A "/24", "dev", d->if_a, NULL};
    char *addr_b[] = {"ip", "-n", d->ns_b, "addr", "add", LAB_ADDR_B "/24", "dev", d->if_b, NULL};
    char *up_a[] = {"ip", "-n", d->ns_a, "link", "set", d->if_a, "up", NULL};
    char *up_b[] = {"ip", "-n", d->ns_b, "link", "set", d->if_b, "up", NULL};
    char *lo_a[] = {"ip", "-n", d->ns_a, "link", "set", "lo", "up", NULL};
    char *lo_b[] = {"ip", "-n", d->ns_b, "link", "set", "lo", "up", NULL};
    char *const *steps[] = {add_a, add_b, veth, addr_a, addr_b, up_a, up_b, lo_a, lo_b};

    lab_remove(d); /* a lab left behind by a demo that was killed */
    d->lab_up = 1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (run_ip(0, (char *const *)steps[i]) != 0) {
            fprintf(stderr, PROG ": cannot set up the lab (ip %s %s failed): --lab needs "
                    "root or CAP_NET_ADMIN and CAP_SYS_ADMIN\n", steps[i][1], steps[i][2]);
            lab_remove(d);
            d->lab_up = 0;
            return -1;
        }
    }
    return 0;
}

/* Move the calling process into namespace name. -1 after a line on stderr. */
static int enter_ns(const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
        fprintf(stderr, PROG ": cannot enter network namespace %s: %s\n", name,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* In a child: die with the parent, and go into ns (if any). */
static void child_setup(const char *ns)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (ns && enter_ns(ns) != 0)
        _exit(1);
}

/* Start one server in a child process; wait until it is listening. Returns
 * its pid, or -1 (the child has said why on stderr). */
static pid_t start_server(const demo *d, int tcp)
{
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
        child_setup(d->lab_up ? d->ns_a : NULL);
        FILE *nul = fopen("/dev/null", "w");
        int rc;
        if (tcp) {
            wp_tcp_server_opts so;
            wp_endpoint_tcp_server_defaults(&so);
            so.prog = PROG " (tcp-server)";
            so.host = d->srv_host;
            so.out = nul;
            so.ready_fd = pfd[1];
            rc = wp_endpoint_tcp_server(&so);
        } else {
            wp_udp_server_opts so;
            wp_endpoint_udp_server_defaults(&so);
            so.prog = PROG " (udp-server)";
            so.host = d->srv_host;
            so.out = nul;
            so.ready_fd = pfd[1];
            rc = wp_endpoint_udp_server(&so);
        }
        _exit(rc);
    }
    close(pfd[1]);
    char b;
    struct pollfd p = {.fd = pfd[0], .events = POLLIN};
    int ok = poll(&p, 1, 5000) > 0 && read(pfd[0], &b, 1) == 1;
    close(pfd[0]);
    if (!ok) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
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

/* The traffic generator (a child): rounds of UDP pings and a TCP exchange. */
static pid_t start_driver(const demo *d, int talk)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) {
        if (pid < 0)
            fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
        return pid;
    }
    child_setup(d->lab_up ? d->ns_b : NULL);
    wp_ep_signals_install();
    FILE *nul = fopen("/dev/null", "w");
    for (unsigned long round = 1; !wp_ep_stopping(); round++) {
        double t0 = wp_ep_now_ms();
        if (talk)
            wp_ep_say(stdout, "=== round %lu: %lu UDP pings to %s:%u, one TCP exchange with "
                      "%s:%u ===\n", round, d->o->pings, d->srv_host, WP_UDP_PORT,
                      d->srv_host, WP_TCP_PORT);
        wp_udp_client_opts uc;
        wp_endpoint_udp_client_defaults(&uc);
        uc.prog = PROG " (udp-client)";
        uc.host = d->srv_host;
        uc.count = d->o->pings;
        uc.timeout = 0.5;
        uc.out = nul;
        wp_endpoint_udp_client(&uc, NULL);
        if (wp_ep_stopping())
            break;
        wp_tcp_client_opts tc;
        wp_endpoint_tcp_client_defaults(&tc);
        tc.prog = PROG " (tcp-client)";
        tc.host = d->srv_host;
        tc.out = nul;
        wp_endpoint_tcp_client(&tc);
        if (d->o->rounds && round >= d->o->rounds)
            break;
        nap(d->o->interval * 1e3 - (wp_ep_now_ms() - t0));
    }
    _exit(0);
}

/* Stop a child: SIGTERM, up to 2 s, then SIGKILL. */
static void reap(pid_t *pid)
{
    if (*pid <= 0)
        return;
    kill(*pid, SIGTERM);
    double end = wp_ep_now_ms() + 2000;
    while (waitpid(*pid, NULL, WNOHANG) == 0) {
        if (wp_ep_now_ms() > end) {
            kill(*pid, SIGKILL);
            waitpid(*pid, NULL, 0);
            break;
        }
        poll(NULL, 0, 20);
    }
    *pid = 0;
}

static void teardown(demo *d)
{
    reap(&d->driver);
    reap(&d->udp_srv);
    reap(&d->tcp_srv);
    if (d->cap) {
        wp_capture_close(d->cap);
        d->cap = NULL;
    }
    if (d->home_ns >= 0) {
        /* Leave the lab before removing it, or our presence keeps it alive. */
        if (setns(d->home_ns, CLONE_NEWNET) != 0)
            fprintf(stderr, PROG ": cannot return to the first namespace: %s\n", strerror(errno));
        close(d->home_ns);
        d->home_ns = -1;
    }
    if (d->lab_up) {
        lab_remove(d);
        d->lab_up = 0;
    }
}

/* Has child *pid ended on its own? Then say how and forget it. */
static int child_gone(pid_t *pid, const char *what)
{
    int st;
    if (*pid <= 0 || waitpid(*pid, &st, WNOHANG) != *pid)
        return 0;
    *pid = 0;
    if (WIFSIGNALED(st))
        fprintf(stderr, PROG ": the %s died (signal %d); stopping\n", what, WTERMSIG(st));
    else if (WEXITSTATUS(st) != 0)
        fprintf(stderr, PROG ": the %s stopped (status %d); stopping\n", what,
                WEXITSTATUS(st));
    return 1;
}

/* Read, decode and print as `layers` every frame from c until it ends (files)
 * or the demo stops (live: stop also when the driver is done and 0.5 s of
 * stragglers have been read). 0, or 1 after a line on stderr. */
static int print_frames(demo *d, wp_capture *c, wp_dumper *dump)
{
    char err[WP_ERRBUF], out[65536];
    wp_sink sink;
    wp_render_opts ro = {0};
    wp_packet *pkt = malloc(sizeof *pkt);
    if (!pkt) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    wp_sink_init_fd(&sink, 1, out, sizeof out);
    uint64_t n = 0;
    int rc = 0, live = d != NULL;
    double drain_until = 0;
    while (!wp_ep_stopping()) {
        if (live) {
            if (child_gone(&d->udp_srv, "UDP server") || child_gone(&d->tcp_srv, "TCP server")) {
                rc = 1;
                break;
            }
            if (d->driver > 0 && child_gone(&d->driver, "traffic generator"))
                drain_until = wp_ep_now_ms() + 500;
            if (d->driver == 0 && wp_ep_now_ms() > drain_until)
                break;
            /* Read only what poll() says is there: a read with nothing ready
             * may block inside libpcap past any timeout, deaf to Ctrl-C. */
            int fd = wp_capture_fd(c);
            struct pollfd p = {.fd = fd, .events = POLLIN};
            if (fd < 0 || poll(&p, 1, 100) <= 0 || !(p.revents & POLLIN))
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
    free(pkt);
    return rc;
}

/* Without the privilege to capture: replay the recorded course captures. */
static int replay(const wp_demo_opts *o, int view)
{
    static const char *const files[] = {"course-udp-ping.pcap", "course-tcp.pcap"};
    char path[4096], err[WP_ERRBUF];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", o->captures, files[i]);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, PROG ": cannot read %s: %s (run from the source tree, or point "
                    "WP_CAPTURES or --captures at the captures/ directory)\n", path,
                    strerror(errno));
            return 1;
        }
        if (view) {
            char title[160];
            snprintf(title, sizeof title, "demo: replaying %s (%zu/%zu)", files[i], i + 1,
                     sizeof files / sizeof files[0]);
            wp_tui_opts to = {.file = path, .replay = 1, .speed = 1.0, .title = title};
            int rc = wp_tui_run(&to, err, sizeof err);
            if (rc != 0) {
                fprintf(stderr, PROG ": %s\n", err);
                return rc;
            }
            continue;
        }
        wp_capture *c = wp_capture_open_file(path, err, sizeof err);
        if (!c) {
            fprintf(stderr, PROG ": %s\n", err);
            return 1;
        }
        wp_ep_say(stdout, "=== replaying %s ===\n", path);
        int rc = print_frames(NULL, c, NULL);
        wp_capture_close(c);
        if (rc != 0 || wp_ep_stopping())
            return rc;
    }
    return 0;
}

int wp_demo_run(const wp_demo_opts *o)
{
    char err[WP_ERRBUF], warn[WP_ERRBUF];
    demo d;
    memset(&d, 0, sizeof d);
    d.o = o;
    d.home_ns = -1;
    int view = !o->no_view && isatty(1);
    wp_ep_signals_install();

    if (o->force_replay)
        return replay(o, view);

    d.iface = "lo";
    d.srv_host = WP_DEFAULT_HOST;
    if (o->lab) {
        if (strlen(o->lab_name) > 12) {
            fprintf(stderr, PROG ": --lab-name '%s' is too long (12 characters at most)\n",
                    o->lab_name);
            return 2;
        }
        snprintf(d.ns_a, sizeof d.ns_a, "%s-a", o->lab_name);
        snprintf(d.ns_b, sizeof d.ns_b, "%s-b", o->lab_name);
        snprintf(d.if_a, sizeof d.if_a, "%s-va", o->lab_name);
        snprintf(d.if_b, sizeof d.if_b, "%s-vb", o->lab_name);
        if (!has_cap_net_raw() || geteuid() != 0) {
            fprintf(stderr, PROG ": --lab creates network namespaces and needs root "
                    "(run: sudo wirepeel demo --lab)\n");
            return 1;
        }
        if (lab_create(&d) != 0)
            return 1;
        /* Capture on the servers' side of the veth: enter their namespace. */
        d.home_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (d.home_ns < 0 || enter_ns(d.ns_a) != 0) {
            teardown(&d);
            return 1;
        }
        d.iface = d.if_a;
        d.srv_host = LAB_ADDR_A;
    }

    /* Whether we may capture is learnt by trying. */
    wp_live_opts lo = {.timeout_ms = 100, .immediate = 1};
    d.cap = wp_capture_open_live(d.iface, &lo, warn, sizeof warn, err, sizeof err);
    if (!d.cap) {
        if (!has_cap_net_raw() && !o->lab) {
            fprintf(stderr, PROG ": no permission to capture on lo (needs CAP_NET_RAW: run "
                    "sudo wirepeel demo, or once: sudo setcap cap_net_raw,cap_net_admin=eip "
                    "$(command -v wirepeel)); replaying the recorded course captures instead\n");
            return replay(o, view);
        }
        fprintf(stderr, PROG ": %s\n", err);
        teardown(&d);
        return 1;
    }
    if (wp_capture_set_filter(d.cap, demo_filter, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        teardown(&d);
        return 1;
    }
    if ((d.udp_srv = start_server(&d, 0)) < 0 || (d.tcp_srv = start_server(&d, 1)) < 0) {
        fprintf(stderr, PROG ": could not start the course servers (stop whatever uses "
                "ports %u/udp and %u/tcp, e.g. another demo)\n", WP_UDP_PORT, WP_TCP_PORT);
        d.udp_srv = d.udp_srv < 0 ? 0 : d.udp_srv;
        d.tcp_srv = 0;
        teardown(&d);
        return 1;
    }

    int rc = 0;
    if (view) {
        /* The view captures by itself; close ours so frames are not queued twice. */
        wp_capture_close(d.cap);
        d.cap = NULL;
        if ((d.driver = start_driver(&d, 0)) < 0) {
            d.driver = 0;
            teardown(&d);
            return 1;
        }
        wp_tui_opts to = {.iface = d.iface, .bpf = demo_filter, .write_path = o->write_path,
                          .title = o->lab ? "demo --lab" : "demo"};
        rc = wp_tui_run(&to, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, PROG ": %s\n", err);
    } else {
        wp_dumper *dump = NULL;
        if (o->write_path) {
            dump = wp_dumper_open(o->write_path, wp_capture_linktype(d.cap),
                                  wp_capture_snaplen(d.cap), err, sizeof err);
            if (!dump) {
                fprintf(stderr, PROG ": %s\n", err);
                teardown(&d);
                return 1;
            }
        }
        if ((d.driver = start_driver(&d, 1)) < 0) {
            d.driver = 0;
            wp_dumper_close(dump, err, sizeof err);
            teardown(&d);
            return 1;
        }
        rc = print_frames(&d, d.cap, dump);
        if (wp_dumper_close(dump, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s\n", err);
            rc = 1;
        }
    }
    teardown(&d);
    return rc;
}
