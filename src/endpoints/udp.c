/* The course's UDP "ping": a server that upper-cases each datagram and sends
 * it back unless a random draw drops it, and a client that pings it from a
 * fresh socket each time and measures the round trip. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "endpoints/ep.h"
#include "wirepeel/endpoints.h"

void wp_endpoint_udp_server_defaults(wp_udp_server_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->host = WP_DEFAULT_HOST;
    o->port = WP_UDP_PORT;
    o->drop = 4.0 / 11.0; /* the original: randint(0, 10), reply when >= 4 */
    o->ready_fd = -1;
}

void wp_endpoint_udp_client_defaults(wp_udp_client_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->host = WP_DEFAULT_HOST;
    o->port = WP_UDP_PORT;
    o->count = 10;
    o->timeout = 1.0;
    o->message = "hello, mercy";
}

int wp_endpoint_udp_server(const wp_udp_server_opts *o, char *err, size_t errlen)
{
    char bound[80], from[80], qin[160], qout[160];
    static const size_t bufcap = 65536;
    uint8_t buf[65536];
    uint64_t rng = o->seeded ? o->seed
                             : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
                                   (uint64_t)(wp_ep_now_ms() * 1e3);
    wp_ep_signals_install();
    uint16_t port = o->port;
    int fd = wp_ep_bind(o->host, o->port, SOCK_DGRAM, bound, sizeof bound, &port, err, errlen);
    if (fd < 0) {
        if (o->ready_fd >= 0)
            close(o->ready_fd);
        return 1;
    }
    if (o->seeded)
        wp_ep_say(o->out, "udp-server listening on %s, dropping %.1f%% of replies (seed %llu)\n",
                  bound, o->drop * 100.0, (unsigned long long)o->seed);
    else
        wp_ep_say(o->out, "udp-server listening on %s, dropping %.1f%% of replies\n", bound,
                  o->drop * 100.0);
    wp_ep_ready(o->ready_fd, port);

    unsigned long n = 0, replied = 0;
    int rc = 0;
    while (!wp_ep_stopping() && (o->count == 0 || n < o->count)) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, 500);
        if (pr < 0 && errno != EINTR) {
            wp_ep_err(err, errlen, "poll: %s", strerror(errno));
            rc = 1;
            break;
        }
        if (pr <= 0)
            continue;
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        ssize_t got = recvfrom(fd, buf, bufcap, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
        if (got < 0) {
            /* e.g. ECONNREFUSED left by an ICMP error for an earlier reply:
             * worth a line, not the end of the server */
            if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
                wp_ep_say(o->out, "recvfrom: %s\n", strerror(errno));
            continue;
        }
        n++;
        /* Draw for every datagram, as the original did, so that a seed fixes
         * which ones are dropped whatever they carry. */
        int drop = wp_ep_rand_unit(&rng) < o->drop;
        wp_ep_addr_str((struct sockaddr *)&ss, sl, from, sizeof from);
        wp_ep_quote(buf, (size_t)got, qin, sizeof qin);
        for (ssize_t i = 0; i < got; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (uint8_t)(buf[i] - 'a' + 'A');
        wp_ep_quote(buf, (size_t)got, qout, sizeof qout);
        if (drop) {
            wp_ep_say(o->out, "datagram %lu from %s, %zd bytes: %s -> dropped\n", n, from, got,
                      qin);
            continue;
        }
        if (sendto(fd, buf, (size_t)got, 0, (struct sockaddr *)&ss, sl) < 0) {
            wp_ep_say(o->out, "datagram %lu from %s, %zd bytes: %s -> reply failed: %s\n", n,
                      from, got, qin, strerror(errno));
            continue;
        }
        replied++;
        wp_ep_say(o->out, "datagram %lu from %s, %zd bytes: %s -> replied %s\n", n, from, got,
                  qin, qout);
    }
    close(fd);
    wp_ep_say(o->out, "udp-server: %lu datagrams, %lu replied, %lu dropped\n", n, replied,
              n - replied);
    return rc;
}

/* Wait for a reply on fd (connected to the server, so only its datagrams
 * arrive) until deadline (monotonic ms). Returns the bytes received, 0 on
 * timeout, -1 on a socket error (errno; ECONNREFUSED when the kernel got an
 * ICMP port unreachable for our ping), -2 when a stop signal arrived. */
static ssize_t await_reply(int fd, double deadline, uint8_t *buf, size_t cap, double *t_recv)
{
    for (;;) {
        if (wp_ep_stopping())
            return -2;
        double left = deadline - wp_ep_now_ms();
        if (left <= 0)
            return 0;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, left > 200 ? 200 : (int)left + 1);
        if (pr < 0 && errno != EINTR)
            return -1;
        if (pr <= 0)
            continue;
        ssize_t got = recv(fd, buf, cap, MSG_DONTWAIT);
        *t_recv = wp_ep_now_ms();
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            return -1;
        }
        return got;
    }
}

int wp_endpoint_udp_client(const wp_udp_client_opts *o, wp_udp_client_result *r, char *err,
                           size_t errlen)
{
    struct addrinfo *res;
    char dst[80], q[160];
    uint8_t buf[65536];
    wp_udp_client_result tmp;
    if (!r)
        r = &tmp;
    memset(r, 0, sizeof *r);
    wp_ep_signals_install();
    if (wp_ep_resolve(o->host, o->port, SOCK_DGRAM, 0, &res, err, errlen) != 0)
        return 1;
    const struct addrinfo *srv = wp_ep_pick(res);
    size_t mlen = strlen(o->message);
    wp_ep_addr_str(srv->ai_addr, srv->ai_addrlen, dst, sizeof dst);
    wp_ep_say(o->out, "UDP ping %s: %lu ping%s of %zu byte%s %s, timeout %g s\n", dst, o->count,
              o->count == 1 ? "" : "s", mlen, mlen == 1 ? "" : "s", wp_ep_quote((const uint8_t *)o->message, mlen, q, sizeof q), o->timeout);

    double sum = 0;
    int interrupted = 0, last_errno = 0;
    for (unsigned long seq = 1; seq <= o->count; seq++) {
        if (wp_ep_stopping()) {
            interrupted = 1;
            break;
        }
        /* A new socket per ping, as in the course: each ping leaves from a
         * new ephemeral port, and a late reply to an earlier ping cannot be
         * mistaken for this one's. Connected, so that the kernel hands us
         * the ICMP "port unreachable" as ECONNREFUSED (an unconnected socket
         * never hears of it and could only time out) and keeps datagrams
         * from anyone else away. */
        int fd = socket(srv->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            last_errno = errno;
            wp_ep_say(o->out, "seq=%lu: cannot open a socket: %s\n", seq, strerror(errno));
            continue;
        }
        if (connect(fd, srv->ai_addr, srv->ai_addrlen) != 0) {
            last_errno = errno;
            wp_ep_say(o->out, "seq=%lu: cannot address %s: %s\n", seq, dst, strerror(errno));
            close(fd);
            continue;
        }
        double t0 = wp_ep_now_ms();
        if (send(fd, o->message, mlen, 0) < 0) {
            last_errno = errno;
            wp_ep_say(o->out, "seq=%lu: cannot send to %s: %s\n", seq, dst, strerror(errno));
            close(fd);
            continue;
        }
        r->sent++;
        struct sockaddr_storage me;
        socklen_t ml = sizeof me;
        char lport[80] = "?";
        if (getsockname(fd, (struct sockaddr *)&me, &ml) == 0) {
            wp_ep_addr_str((struct sockaddr *)&me, ml, lport, sizeof lport);
            char *colon = strrchr(lport, ':');
            if (colon)
                memmove(lport, colon + 1, strlen(colon + 1) + 1);
        }
        double t1 = t0;
        ssize_t got = await_reply(fd, t0 + o->timeout * 1e3, buf, sizeof buf, &t1);
        int e = errno;
        close(fd);
        if (got == -2) {
            wp_ep_say(o->out, "seq=%lu port=%s: interrupted\n", seq, lport);
            interrupted = 1;
            break;
        }
        if (got < 0 && e == ECONNREFUSED) {
            r->refused++;
            wp_ep_say(o->out, "seq=%lu port=%s: port unreachable: no server is listening on %s\n",
                      seq, lport, dst);
            continue;
        }
        if (got < 0) {
            wp_ep_say(o->out, "seq=%lu port=%s: %s\n", seq, lport, strerror(e));
            continue;
        }
        if (got == 0) {
            wp_ep_say(o->out, "seq=%lu port=%s: Request timed out\n", seq, lport);
            continue;
        }
        double rtt = t1 - t0;
        r->received++;
        sum += rtt;
        if (r->received == 1 || rtt < r->rtt_min_ms)
            r->rtt_min_ms = rtt;
        if (rtt > r->rtt_max_ms)
            r->rtt_max_ms = rtt;
        wp_ep_say(o->out, "seq=%lu port=%s: %zd bytes from %s: %s time=%.3f ms\n", seq, lport,
                  got, dst, wp_ep_quote(buf, (size_t)got, q, sizeof q), rtt);
    }
    if (r->received)
        r->rtt_avg_ms = sum / (double)r->received;
    double loss = r->sent ? 100.0 * (double)(r->sent - r->received) / (double)r->sent : 0.0;
    wp_ep_say(o->out, "--- %s UDP ping statistics ---\n", dst);
    wp_ep_say(o->out, "%lu packet%s transmitted, %lu received, %.0f%% packet loss\n", r->sent,
              r->sent == 1 ? "" : "s", r->received, loss);
    if (r->received)
        wp_ep_say(o->out, "rtt min/avg/max = %.3f/%.3f/%.3f ms\n", r->rtt_min_ms,
                  r->rtt_avg_ms, r->rtt_max_ms);
    if (r->refused)
        wp_ep_say(o->out, "%lu of %lu ping%s got \"port unreachable\": no server is listening on "
                  "%s\n", r->refused, r->sent, r->sent == 1 ? "" : "s", dst);
    freeaddrinfo(res);
    if (interrupted)
        return WP_EXIT_INTERRUPTED;
    if (r->sent == 0 && o->count > 0) {
        wp_ep_err(err, errlen, "nothing could be sent to %s: %s", dst,
                  last_errno ? strerror(last_errno) : "no attempt succeeded");
        return 1;
    }
    return 0;
}
