/* Unit tests for the course endpoints (src/endpoints/): servers on ports the
 * kernel picks (port 0, the bound port read from the ready pipe), errors in
 * the caller's buffer rather than on stderr, port unreachable told apart
 * from a timeout, no fixed client cap, the idle timeout, and the helpers.
 * Servers run in forked children, stopped with SIGTERM; no fixed ports. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "endpoints/ep.h"
#include "wirepeel/endpoints.h"

typedef struct child {
    pid_t pid;
    uint16_t port;
    char log[64]; /* the server's output file */
} child;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Start a server (tcp or udp) on port 0 in a child; its port from the ready
 * pipe. echo and idle apply to TCP. */
static void start(child *c, int tcp, int echo, double idle)
{
    int pfd[2];
    snprintf(c->log, sizeof c->log, "/tmp/wp-test-endpoints-XXXXXX");
    int lfd = mkstemp(c->log);
    assert_true(lfd >= 0);
    assert_int_equal(pipe(pfd), 0);
    c->pid = fork();
    assert_true(c->pid >= 0);
    if (c->pid == 0) {
        close(pfd[0]);
        FILE *out = fdopen(lfd, "w");
        char err[256];
        int rc;
        if (tcp) {
            wp_tcp_server_opts o;
            wp_endpoint_tcp_server_defaults(&o);
            o.port = 0;
            o.echo = echo;
            o.idle_timeout = idle;
            o.out = out;
            o.ready_fd = pfd[1];
            rc = wp_endpoint_tcp_server(&o, err, sizeof err);
        } else {
            wp_udp_server_opts o;
            wp_endpoint_udp_server_defaults(&o);
            o.port = 0;
            o.drop = 0;
            o.out = out;
            o.ready_fd = pfd[1];
            rc = wp_endpoint_udp_server(&o, err, sizeof err);
        }
        _exit(rc);
    }
    close(lfd);
    close(pfd[1]);
    char buf[16] = "";
    struct pollfd p = {.fd = pfd[0], .events = POLLIN};
    assert_true(poll(&p, 1, 5000) == 1);
    ssize_t got = read(pfd[0], buf, sizeof buf - 1);
    close(pfd[0]);
    assert_true(got > 1 && buf[got - 1] == '\n');
    c->port = (uint16_t)atoi(buf);
    assert_true(c->port > 0);
}

/* SIGTERM the server; it must exit 0. */
static void stop(child *c)
{
    int st;
    kill(c->pid, SIGTERM);
    assert_int_equal(waitpid(c->pid, &st, 0), c->pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static int log_has(const child *c, const char *needle)
{
    char buf[65536];
    FILE *f = fopen(c->log, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

/* A port on 127.0.0.1 that nothing holds: one the kernel gave, given back. */
static uint16_t free_port(int type)
{
    int fd = socket(AF_INET, type, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static int tcp_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void test_udp_server_port_zero_reports_the_bound_port(void **state)
{
    (void)state;
    child c;
    start(&c, 0, 0, 0);
    char want[64];
    snprintf(want, sizeof want, "listening on 127.0.0.1:%u,", (unsigned)c.port);
    for (int i = 0; i < 50 && !log_has(&c, want); i++)
        poll(NULL, 0, 20);
    assert_true(log_has(&c, want));
    /* ... and it is the port really served. */
    wp_udp_client_opts o;
    wp_udp_client_result r;
    char err[256];
    wp_endpoint_udp_client_defaults(&o);
    o.port = c.port;
    o.count = 2;
    o.timeout = 1.0;
    o.out = NULL;
    assert_int_equal(wp_endpoint_udp_client(&o, &r, err, sizeof err), 0);
    assert_int_equal(r.received, 2);
    stop(&c);
    unlink(c.log);
}

static void test_udp_client_port_unreachable_is_not_a_timeout(void **state)
{
    (void)state;
    char path[] = "/tmp/wp-test-endpoints-XXXXXX", buf[4096], err[256] = "";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    wp_udp_client_opts o;
    wp_udp_client_result r;
    wp_endpoint_udp_client_defaults(&o);
    o.port = free_port(SOCK_DGRAM);
    o.count = 3;
    o.timeout = 2.0;
    o.out = fdopen(fd, "w+");
    double t0 = now_ms();
    assert_int_equal(wp_endpoint_udp_client(&o, &r, err, sizeof err), 0);
    double took = now_ms() - t0;
    assert_int_equal(r.sent, 3);
    assert_int_equal(r.received, 0);
    assert_int_equal(r.refused, 3);
    assert_true(took < 1500); /* three 2 s timeouts would take 6 s */
    rewind(o.out);
    size_t n = fread(buf, 1, sizeof buf - 1, o.out);
    buf[n] = 0;
    fclose(o.out);
    unlink(path);
    assert_non_null(strstr(buf, "port unreachable: no server is listening on 127.0.0.1:"));
    assert_null(strstr(buf, "Request timed out"));
}

static void test_server_port_in_use_error_goes_to_err_naming_no_option(void **state)
{
    (void)state;
    child c;
    start(&c, 0, 0, 0);
    wp_udp_server_opts o;
    char err[256] = "";
    wp_endpoint_udp_server_defaults(&o);
    o.port = c.port;
    o.out = NULL;
    assert_int_equal(wp_endpoint_udp_server(&o, err, sizeof err), 1);
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%u: the port is already in use", (unsigned)c.port);
    assert_non_null(strstr(err, want));
    assert_null(strstr(err, "--"));
    stop(&c);
    unlink(c.log);
}

static void test_tcp_client_refused_error_goes_to_err(void **state)
{
    (void)state;
    wp_tcp_client_opts o;
    char err[256] = "", want[64];
    wp_endpoint_tcp_client_defaults(&o);
    o.port = free_port(SOCK_STREAM);
    o.out = NULL;
    assert_int_equal(wp_endpoint_tcp_client(&o, err, sizeof err), 1);
    snprintf(want, sizeof want, "connection refused by 127.0.0.1:%u", (unsigned)o.port);
    assert_non_null(strstr(err, want));
}

static void test_tcp_server_serves_a_client_beyond_64_idle_ones(void **state)
{
    (void)state;
    enum { N = 80 };
    int fds[N];
    child c;
    start(&c, 1, 1, 0);
    for (int i = 0; i < N; i++) {
        fds[i] = tcp_connect(c.port);
        assert_true(fds[i] >= 0);
    }
    /* The last one (the 80th) talks while 79 stay silent. */
    assert_int_equal(send(fds[N - 1], "ping", 4, 0), 4);
    struct pollfd p = {.fd = fds[N - 1], .events = POLLIN};
    assert_int_equal(poll(&p, 1, 3000), 1);
    char buf[8];
    assert_int_equal(recv(fds[N - 1], buf, sizeof buf, 0), 4);
    assert_memory_equal(buf, "ping", 4);
    for (int i = 0; i < N; i++)
        close(fds[i]);
    stop(&c);
    assert_true(log_has(&c, "echoed 4 bytes to 127.0.0.1:"));
    unlink(c.log);
}

static void test_tcp_server_closes_a_client_idle_past_the_timeout(void **state)
{
    (void)state;
    child c;
    start(&c, 1, 0, 0.3);
    int fd = tcp_connect(c.port);
    assert_true(fd >= 0);
    double t0 = now_ms();
    struct pollfd p = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 3000), 1);
    char b;
    assert_int_equal(recv(fd, &b, 1, 0), 0); /* the server's FIN */
    double took = now_ms() - t0;
    assert_true(took >= 250 && took < 2000);
    close(fd);
    stop(&c);
    assert_true(log_has(&c, "was idle for 0.3 s: closing it"));
    unlink(c.log);
}

static void test_ep_parse_port_takes_zero_only_when_allowed(void **state)
{
    (void)state;
    uint16_t p = 7;
    assert_int_equal(wp_ep_parse_port("0", 0, &p), -1);
    assert_int_equal(wp_ep_parse_port("0", 1, &p), 0);
    assert_int_equal(p, 0);
    assert_int_equal(wp_ep_parse_port("65535", 0, &p), 0);
    assert_int_equal(p, 65535);
    assert_int_equal(wp_ep_parse_port("65536", 1, &p), -1);
    assert_int_equal(wp_ep_parse_port("-1", 1, &p), -1);
    assert_int_equal(wp_ep_parse_port("12x", 1, &p), -1);
}

static void test_ep_quote_escapes_and_cuts_with_dots(void **state)
{
    (void)state;
    char q[32];
    const uint8_t in[] = {'a', '"', '\n', 0x01, 'b'};
    assert_string_equal(wp_ep_quote(in, sizeof in, q, sizeof q), "\"a\\\"\\n\\x01b\"");
    const uint8_t longer[40] = {0};
    wp_ep_quote(longer, sizeof longer, q, 16);
    assert_true(strlen(q) < 16);
    assert_non_null(strstr(q, "...\""));
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_udp_server_port_zero_reports_the_bound_port),
        cmocka_unit_test(test_udp_client_port_unreachable_is_not_a_timeout),
        cmocka_unit_test(test_server_port_in_use_error_goes_to_err_naming_no_option),
        cmocka_unit_test(test_tcp_client_refused_error_goes_to_err),
        cmocka_unit_test(test_tcp_server_serves_a_client_beyond_64_idle_ones),
        cmocka_unit_test(test_tcp_server_closes_a_client_idle_past_the_timeout),
        cmocka_unit_test(test_ep_parse_port_takes_zero_only_when_allowed),
        cmocka_unit_test(test_ep_quote_escapes_and_cuts_with_dots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
