/* Sockets, addresses, signals, clock and PRNG shared by the endpoints. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "endpoints/ep.h"

/* The one mutable global the house rules allow: which stop signal arrived. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

void wp_ep_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() must wake up to see the flag */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int wp_ep_stopping(void)
{
    return stop_signal;
}

void wp_ep_err(char *err, size_t n, const char *fmt, ...)
{
    if (!err || n == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

int wp_ep_resolve(const char *host, uint16_t port, int socktype, int passive,
                  struct addrinfo **res, char *err, size_t errlen)
{
    struct addrinfo hints;
    char serv[8];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = socktype;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    snprintf(serv, sizeof serv, "%u", (unsigned)port);
    int rc = getaddrinfo(host, serv, &hints, res);
    if (rc != 0) {
        wp_ep_err(err, errlen, "cannot resolve host '%s': %s", host ? host : "",
                  rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        return -1;
    }
    return 0;
}

const struct addrinfo *wp_ep_pick(const struct addrinfo *res)
{
    for (const struct addrinfo *a = res; a; a = a->ai_next)
        if (a->ai_family == AF_INET)
            return a;
    return res;
}

int wp_ep_same_addr(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const struct sockaddr_in *)a, *y = (const struct sockaddr_in *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a,
                                  *y = (const struct sockaddr_in6 *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
    }
    return 0;
}

const char *wp_ep_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t n)
{
    char h[NI_MAXHOST], s[NI_MAXSERV];
    if (getnameinfo(sa, len, h, sizeof h, s, sizeof s, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(buf, n, "?");
        return buf;
    }
    if (sa->sa_family == AF_INET6)
        snprintf(buf, n, "[%s]:%s", h, s);
    else
        snprintf(buf, n, "%s:%s", h, s);
    return buf;
}

/* Why a bind or listen failed, without naming any option: the caller knows
 * how its user picks another port or address. */
static void bind_error(char *err, size_t errlen, const char *what, uint16_t port, int e)
{
    if (e == EADDRINUSE)
        wp_ep_err(err, errlen, "cannot listen on %s: the port is already in use "
                  "(another server running? pick another port)", what);
    else if (e == EACCES && port < 1024)
        wp_ep_err(err, errlen, "cannot listen on %s: ports below 1024 are privileged "
                  "(run as root, grant CAP_NET_BIND_SERVICE, or use a port of 1024 or above)",
                  what);
    else if (e == EADDRNOTAVAIL)
        wp_ep_err(err, errlen, "cannot listen on %s: that address does not belong to this "
                  "machine (use 127.0.0.1, ::1 or one of its own addresses)", what);
    else
        wp_ep_err(err, errlen, "cannot listen on %s: %s", what, strerror(e));
}

int wp_ep_bind(const char *host, uint16_t port, int socktype, char *bound, size_t n,
               uint16_t *bound_port, char *err, size_t errlen)
{
    struct addrinfo *res;
    if (wp_ep_resolve(host, port, socktype, 1, &res, err, errlen) != 0)
        return -1;
    int e = 0;
    char what[INET6_ADDRSTRLEN + 16] = "";
    for (const struct addrinfo *a = res; a; a = a->ai_next) {
        wp_ep_addr_str(a->ai_addr, a->ai_addrlen, what, sizeof what);
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            e = errno;
            continue;
        }
        int one = 1;
        if (socktype == SOCK_STREAM)
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        /* A long backlog: clients wait there while the server is out of
         * file descriptors, instead of being refused. */
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
            (socktype != SOCK_STREAM || listen(fd, SOMAXCONN) == 0)) {
            /* The address really bound: with port 0 the kernel chose it. */
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            uint16_t got = port;
            if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
                wp_ep_addr_str((struct sockaddr *)&ss, sl, bound, n);
                if (ss.ss_family == AF_INET)
                    got = ntohs(((const struct sockaddr_in *)&ss)->sin_port);
                else if (ss.ss_family == AF_INET6)
                    got = ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
            } else {
                wp_ep_addr_str(a->ai_addr, a->ai_addrlen, bound, n);
            }
            if (bound_port)
                *bound_port = got;
            freeaddrinfo(res);
            return fd;
        }
        e = errno;
        close(fd);
    }
    freeaddrinfo(res);
    bind_error(err, errlen, what[0] ? what : (host ? host : "?"), port, e);
    return -1;
}

const char *wp_ep_quote(const uint8_t *p, size_t len, char *buf, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (n < 8) {
        if (n)
            buf[0] = 0;
        return buf;
    }
    buf[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        char tmp[4];
        size_t k = 0;
        uint8_t c = p[i];
        if (c == '"' || c == '\\') {
            tmp[k++] = '\\';
            tmp[k++] = (char)c;
        } else if (c == '\n') {
            tmp[k++] = '\\';
            tmp[k++] = 'n';
        } else if (c >= 0x20 && c < 0x7f) {
            tmp[k++] = (char)c;
        } else {
            tmp[k++] = '\\';
            tmp[k++] = 'x';
            tmp[k++] = hex[c >> 4];
            tmp[k++] = hex[c & 15];
        }
        if (k > n - o - 5) { /* room for '"', "...", NUL */
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, tmp, k);
        o += k;
    }
    buf[o++] = '"';
    buf[o] = 0;
    return buf;
}

void wp_ep_say(FILE *out, const char *fmt, ...)
{
    va_list ap;
    if (!out)
        return;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fflush(out);
}

double wp_ep_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

uint64_t wp_ep_rand_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double wp_ep_rand_unit(uint64_t *state)
{
    return (double)(wp_ep_rand_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

void wp_ep_ready(int fd, uint16_t port)
{
    if (fd < 0)
        return;
    char line[8];
    int len = snprintf(line, sizeof line, "%u\n", (unsigned)port);
    ssize_t w = write(fd, line, (size_t)len);
    (void)w;
    close(fd);
}

int wp_ep_parse_port(const char *s, int allow_zero, uint16_t *port)
{
    unsigned long v;
    if (wp_ep_parse_ulong(s, &v) != 0 || v < (allow_zero ? 0UL : 1UL) || v > 65535)
        return -1;
    *port = (uint16_t)v;
    return 0;
}

int wp_ep_parse_ulong(const char *s, unsigned long *v)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    unsigned long x = strtoul(s, &end, 10);
    if (errno || *end)
        return -1;
    *v = x;
    return 0;
}

int wp_ep_parse_seconds(const char *s, double *v)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || *end || !(x > 0) || x > 86400 || isnan(x))
        return -1;
    *v = x;
    return 0;
}
