/* The course's TCP pair: a server that accepts clients and prints what they
 * send (the original never noticed a closed connection and served only one
 * client), and a client that connects, sends, reads an echo and closes. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "endpoints/ep.h"
#include "wirepeel/endpoints.h"

#define MAX_CLIENTS 64

void wp_endpoint_tcp_server_defaults(wp_tcp_server_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->prog = "wirepeel tcp-server";
    o->host = WP_DEFAULT_HOST;
    o->port = WP_TCP_PORT;
    o->ready_fd = -1;
}

void wp_endpoint_tcp_client_defaults(wp_tcp_client_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->prog = "wirepeel tcp-client";
    o->host = WP_DEFAULT_HOST;
    o->port = WP_TCP_PORT;
    o->message = "Give me the data";
    o->timeout = 0.5;
}

typedef struct client {
    int fd;
    char peer[80];
} client;

/* Send all of buf (small echoes; a peer that stops reading gets what fits). */
static void send_all(int fd, const uint8_t *buf, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

int wp_endpoint_tcp_server(const wp_tcp_server_opts *o)
{
    char bound[80], q[300];
    uint8_t buf[4096];
    client cl[MAX_CLIENTS];
    size_t ncl = 0;
    unsigned long ended = 0;
    wp_ep_signals_install();
    int lfd = wp_ep_bind(o->prog, o->host, o->port, SOCK_STREAM, bound, sizeof bound);
    if (lfd < 0) {
        if (o->ready_fd >= 0)
            close(o->ready_fd);
        return 1;
    }
    wp_ep_say(o->out, "tcp-server listening on %s%s\n", bound, o->echo ? " (echo)" : "");
    wp_ep_ready(o->ready_fd);

    while (!wp_ep_stopping() && (o->count == 0 || ended < o->count)) {
        struct pollfd pfd[MAX_CLIENTS + 1];
        pfd[0].fd = ncl < MAX_CLIENTS ? lfd : -1; /* full: leave them in the backlog */
        pfd[0].events = POLLIN;
        for (size_t i = 0; i < ncl; i++) {
            pfd[i + 1].fd = cl[i].fd;
            pfd[i + 1].events = POLLIN;
        }
        int pr = poll(pfd, ncl + 1, 500);
        if (pr < 0 && errno != EINTR) {
            fprintf(stderr, "%s: poll: %s\n", o->prog, strerror(errno));
            break;
        }
        if (pr <= 0)
            continue;
        /* Clients first, from the end, so that removing one keeps the
         * indices of those still to visit valid. */
        for (size_t i = ncl; i-- > 0;) {
            if (!(pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = recv(cl[i].fd, buf, sizeof buf, MSG_DONTWAIT);
            if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (got > 0) {
                wp_ep_say(o->out, "%s sent %zd bytes: %s\n", cl[i].peer, got,
                          wp_ep_quote(buf, (size_t)got, q, sizeof q));
                if (o->echo) {
                    send_all(cl[i].fd, buf, (size_t)got);
                    wp_ep_say(o->out, "echoed %zd bytes to %s\n", got, cl[i].peer);
                }
                continue;
            }
            if (got == 0)
                wp_ep_say(o->out, "%s closed the connection\n", cl[i].peer);
            else
                wp_ep_say(o->out, "%s: connection lost: %s\n", cl[i].peer, strerror(errno));
            close(cl[i].fd);
            cl[i] = cl[--ncl];
            ended++;
        }
        if (pfd[0].fd >= 0 && (pfd[0].revents & POLLIN)) {
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            int cfd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (cfd >= 0) {
                cl[ncl].fd = cfd;
                wp_ep_addr_str((struct sockaddr *)&ss, sl, cl[ncl].peer, sizeof cl[ncl].peer);
                wp_ep_say(o->out, "connected by %s\n", cl[ncl].peer);
                ncl++;
            } else if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
                fprintf(stderr, "%s: accept: %s\n", o->prog, strerror(errno));
            }
        }
    }
    if (ncl)
        wp_ep_say(o->out, "closing %zu open connection%s\n", ncl, ncl == 1 ? "" : "s");
    for (size_t i = 0; i < ncl; i++)
        close(cl[i].fd);
    close(lfd);
    wp_ep_say(o->out, "tcp-server: %lu connection%s served\n", ended, ended == 1 ? "" : "s");
    return 0;
}

/* Wait until fd is ready for ev or deadline (ms) passes. 1 ready, 0 timeout,
 * -2 on a stop signal, -1 on a poll error. */
static int wait_fd(int fd, short ev, double deadline)
{
    for (;;) {
        if (wp_ep_stopping())
            return -2;
        double left = deadline - wp_ep_now_ms();
        if (left <= 0)
            return 0;
        struct pollfd pfd = {.fd = fd, .events = ev};
        int pr = poll(&pfd, 1, left > 200 ? 200 : (int)left + 1);
        if (pr < 0 && errno != EINTR)
            return -1;
        if (pr > 0)
            return 1;
    }
}

/* Connect fd to a, giving up after timeout_ms or on a stop signal. 0 when
 * connected, -2 when stopped, otherwise -1 with errno set. */
static int connect_bounded(int fd, const struct addrinfo *a, double timeout_ms)
{
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
        return 0;
    if (errno != EINPROGRESS)
        return -1;
    int w = wait_fd(fd, POLLOUT, wp_ep_now_ms() + timeout_ms);
    if (w == -2)
        return -2;
    if (w == 0) {
        errno = ETIMEDOUT;
        return -1;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
        return -1;
    if (soerr) {
        errno = soerr;
        return -1;
    }
    return 0;
}

int wp_endpoint_tcp_client(const wp_tcp_client_opts *o)
{
    struct addrinfo *res;
    char dst[80], me[80], q[300];
    uint8_t buf[4096];
    wp_ep_signals_install();
    if (wp_ep_resolve(o->prog, o->host, o->port, SOCK_STREAM, 0, &res) != 0)
        return 1;
    const struct addrinfo *a = wp_ep_pick(res);
    wp_ep_addr_str(a->ai_addr, a->ai_addrlen, dst, sizeof dst);

    wp_ep_say(o->out, "connecting to %s\n", dst);
    int fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        fprintf(stderr, "%s: socket: %s\n", o->prog, strerror(errno));
        freeaddrinfo(res);
        return 1;
    }
    int rc = connect_bounded(fd, a, 5000.0);
    freeaddrinfo(res);
    if (rc == -2) {
        close(fd);
        wp_ep_say(o->out, "interrupted\n");
        return WP_EXIT_INTERRUPTED;
    }
    if (rc != 0) {
        int e = errno;
        close(fd);
        if (e == ECONNREFUSED)
            fprintf(stderr, "%s: connection refused by %s: no server is listening there "
                    "(start one with: wirepeel tcp-server --port %u)\n", o->prog, dst,
                    (unsigned)o->port);
        else if (e == ETIMEDOUT)
            fprintf(stderr, "%s: cannot connect to %s: no answer within 5 s\n", o->prog, dst);
        else
            fprintf(stderr, "%s: cannot connect to %s: %s\n", o->prog, dst, strerror(e));
        return 1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        wp_ep_addr_str((struct sockaddr *)&ss, sl, me, sizeof me);
    else
        snprintf(me, sizeof me, "?");
    wp_ep_say(o->out, "connected from %s to %s\n", me, dst);

    size_t mlen = strlen(o->message), off = 0;
    while (off < mlen) {
        ssize_t w = send(fd, o->message + off, mlen - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EAGAIN) {
            int r = wait_fd(fd, POLLOUT, wp_ep_now_ms() + 5000.0);
            if (r == -2) {
                close(fd);
                return WP_EXIT_INTERRUPTED;
            }
            if (r == 1)
                continue;
            errno = ETIMEDOUT;
        }
        if (w <= 0) {
            fprintf(stderr, "%s: cannot send to %s: %s\n", o->prog, dst, strerror(errno));
            close(fd);
            return 1;
        }
        off += (size_t)w;
    }
    wp_ep_say(o->out, "sent %zu bytes: %s\n", mlen,
              wp_ep_quote((const uint8_t *)o->message, mlen, q, sizeof q));

    /* Read a reply (an echoing server sends as many bytes as we did). */
    double deadline = wp_ep_now_ms() + o->timeout * 1e3;
    size_t got_total = 0;
    int peer_closed = 0;
    while (got_total < mlen) {
        int r = wait_fd(fd, POLLIN, deadline);
        if (r == -2) {
            close(fd);
            wp_ep_say(o->out, "interrupted\n");
            return WP_EXIT_INTERRUPTED;
        }
        if (r <= 0)
            break;
        ssize_t got = recv(fd, buf, sizeof buf, 0);
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (got <= 0) {
            peer_closed = 1;
            break;
        }
        got_total += (size_t)got;
        wp_ep_say(o->out, "received %zd bytes: %s\n", got,
                  wp_ep_quote(buf, (size_t)got, q, sizeof q));
    }
    if (got_total == 0 && !peer_closed)
        wp_ep_say(o->out, "no reply within %g s (the server does not echo)\n", o->timeout);

    /* Close our side (FIN) and wait for the server's FIN so both show. */
    shutdown(fd, SHUT_WR);
    wp_ep_say(o->out, "closing: sent FIN\n");
    deadline = wp_ep_now_ms() + o->timeout * 1e3;
    while (!peer_closed) {
        int r = wait_fd(fd, POLLIN, deadline);
        if (r <= 0)
            break;
        ssize_t got = recv(fd, buf, sizeof buf, 0);
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (got <= 0) {
            peer_closed = 1;
            break;
        }
        wp_ep_say(o->out, "received %zd more bytes: %s\n", got,
                  wp_ep_quote(buf, (size_t)got, q, sizeof q));
    }
    close(fd);
    wp_ep_say(o->out, peer_closed ? "server closed its side; connection closed\n"
                                  : "connection closed (the server had not closed yet)\n");
    return 0;
}
