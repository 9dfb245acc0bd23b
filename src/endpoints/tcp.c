/* The course's TCP pair: a server that accepts clients and prints what they
 * send (the original never noticed a closed connection and served only one
 * client), and a client that connects, sends, reads an echo and closes. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "endpoints/ep.h"
#include "wirepeel/endpoints.h"

/* Bytes read from a client at a time; with --echo also the most echo a
 * client that does not read may have waiting: it is not read from again
 * until that is sent, so TCP's flow control slows the sender instead of the
 * server dropping bytes or buffering without bound. */
#define CHUNK 4096
/* Out of file descriptors: stop accepting for this long, doubling up to the
 * maximum while it lasts (the pending clients wait in the backlog). */
#define BACKOFF_MIN_MS 500.0
#define BACKOFF_MAX_MS 8000.0
/* How many connections one wake-up may accept before serving the others. */
#define ACCEPT_BURST 64

void wp_endpoint_tcp_server_defaults(wp_tcp_server_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->host = WP_DEFAULT_HOST;
    o->port = WP_TCP_PORT;
    o->idle_timeout = 60.0;
    o->ready_fd = -1;
}

void wp_endpoint_tcp_client_defaults(wp_tcp_client_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->host = WP_DEFAULT_HOST;
    o->port = WP_TCP_PORT;
    o->message = "Give me the data";
    o->timeout = 0.5;
}

typedef struct client {
    int fd;
    int eof;                  /* the client closed its side; finish the echo, then close */
    double last_ms;           /* when it last sent or took a byte */
    size_t plen, poff;        /* echo bytes waiting in pend[poff..plen) */
    unsigned long long rx, tx; /* bytes received, bytes echoed (handed to the socket) */
    char peer[80];
    uint8_t pend[CHUNK];
} client;

/* The server's state: clients in a growing array (no fixed cap: the file
 * limit is the only one), and the accept back-off. */
typedef struct server {
    const wp_tcp_server_opts *o;
    client *cl;
    struct pollfd *pfd;
    size_t ncl, cap;
    unsigned long ended;
    double pause_until, pause_ms;
} server;

/* Room for one more client; -1 when memory is short. */
static int grow(server *sv)
{
    if (sv->ncl < sv->cap)
        return 0;
    size_t ncap = sv->cap ? sv->cap * 2 : 16;
    client *cl = realloc(sv->cl, ncap * sizeof *cl);
    if (!cl)
        return -1;
    sv->cl = cl;
    struct pollfd *pfd = realloc(sv->pfd, (ncap + 1) * sizeof *pfd);
    if (!pfd)
        return -1;
    sv->pfd = pfd;
    sv->cap = ncap;
    return 0;
}

/* Close client i with the line why (NULL: say nothing more) and forget it;
 * the last client moves into slot i. A freed descriptor ends an accept pause. */
static void drop_client(server *sv, size_t i, const char *why)
{
    client *c = &sv->cl[i];
    size_t left = c->plen - c->poff;
    if (why) {
        if (left)
            wp_ep_say(sv->o->out, "%s %s (%zu bytes of echo not delivered; %llu of %llu "
                      "echoed)\n", c->peer, why, left, c->tx, c->rx);
        else
            wp_ep_say(sv->o->out, "%s %s\n", c->peer, why);
    }
    close(c->fd);
    if (i != sv->ncl - 1)
        memmove(c, &sv->cl[sv->ncl - 1], sizeof *c);
    sv->ncl--;
    sv->ended++;
    sv->pause_until = 0;
}

/* Send what client c has waiting. 0 when all or part went (or the socket is
 * full), -1 with errno when the connection failed. */
static int flush_echo(server *sv, client *c, double now)
{
    while (c->poff < c->plen) {
        ssize_t w = send(c->fd, c->pend + c->poff, c->plen - c->poff,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        c->poff += (size_t)w;
        c->tx += (unsigned long long)w;
        c->last_ms = now;
        wp_ep_say(sv->o->out, "echoed %zd bytes to %s\n", w, c->peer);
    }
    c->plen = c->poff = 0;
    return 0;
}

/* Serve client i after poll() said rev. Returns 1 when it was dropped. */
static int serve(server *sv, size_t i, short rev, double now)
{
    client *c = &sv->cl[i];
    char q[300];
    if (c->plen > c->poff && (rev & (POLLOUT | POLLERR | POLLHUP))) {
        if (flush_echo(sv, c, now) != 0) {
            char why[160];
            snprintf(why, sizeof why, "connection lost: %s", strerror(errno));
            drop_client(sv, i, why);
            return 1;
        }
    }
    if (c->eof) {
        if (c->plen > c->poff)
            return 0;
        drop_client(sv, i, "closed the connection");
        return 1;
    }
    /* Read only with nothing waiting to be echoed: backpressure. */
    if (c->plen > c->poff || !(rev & (POLLIN | POLLHUP | POLLERR)))
        return 0;
    ssize_t got = recv(c->fd, c->pend, sizeof c->pend, MSG_DONTWAIT);
    if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (got < 0) {
        char why[160];
        snprintf(why, sizeof why, "connection lost: %s", strerror(errno));
        drop_client(sv, i, why);
        return 1;
    }
    if (got == 0) {
        c->eof = 1;
        if (c->plen > c->poff)
            return 0; /* the rest of the echo first; the client may still read */
        drop_client(sv, i, "closed the connection");
        return 1;
    }
    c->rx += (unsigned long long)got;
    c->last_ms = now;
    wp_ep_say(sv->o->out, "%s sent %zd bytes: %s\n", c->peer, got,
              wp_ep_quote(c->pend, (size_t)got, q, sizeof q));
    if (sv->o->echo) {
        c->poff = 0;
        c->plen = (size_t)got;
        if (flush_echo(sv, c, now) != 0) {
            char why[160];
            snprintf(why, sizeof why, "connection lost: %s", strerror(errno));
            drop_client(sv, i, why);
            return 1;
        }
    }
    return 0;
}

/* Accept what is waiting on lfd (up to a burst). Out of descriptors (or
 * memory), pause accepting and say so once per pause. */
static void accept_some(server *sv, int lfd, double now)
{
    for (int k = 0; k < ACCEPT_BURST; k++) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int cfd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);
        int e = errno;
        if (cfd >= 0 && grow(sv) != 0) {
            close(cfd);
            cfd = -1;
            e = ENOMEM;
        }
        if (cfd < 0) {
            if (e == EINTR || e == EAGAIN || e == EWOULDBLOCK || e == ECONNABORTED)
                return;
            /* EMFILE, ENFILE, ENOBUFS, ENOMEM or stranger: retrying at once
             * would fail again at full speed. */
            sv->pause_ms = sv->pause_ms > 0 ? sv->pause_ms * 2 : BACKOFF_MIN_MS;
            if (sv->pause_ms > BACKOFF_MAX_MS)
                sv->pause_ms = BACKOFF_MAX_MS;
            sv->pause_until = now + sv->pause_ms;
            wp_ep_say(sv->o->out, "cannot accept: %s (%zu clients open); not accepting for "
                      "%.1f s\n", strerror(e), sv->ncl, sv->pause_ms / 1e3);
            return;
        }
        sv->pause_ms = 0;
        client *c = &sv->cl[sv->ncl++];
        memset(c, 0, offsetof(client, pend));
        c->fd = cfd;
        c->last_ms = now;
        wp_ep_addr_str((struct sockaddr *)&ss, sl, c->peer, sizeof c->peer);
        wp_ep_say(sv->o->out, "connected by %s\n", c->peer);
    }
}

int wp_endpoint_tcp_server(const wp_tcp_server_opts *o, char *err, size_t errlen)
{
    char bound[80];
    server sv;
    memset(&sv, 0, sizeof sv);
    sv.o = o;
    wp_ep_signals_install();
    uint16_t port = o->port;
    int lfd = wp_ep_bind(o->host, o->port, SOCK_STREAM, bound, sizeof bound, &port, err, errlen);
    if (lfd < 0) {
        if (o->ready_fd >= 0)
            close(o->ready_fd);
        return 1;
    }
    /* Non-blocking, so that a burst of accepts ends when the queue is empty. */
    int fl = fcntl(lfd, F_GETFL);
    if (fl < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) != 0 || grow(&sv) != 0) {
        wp_ep_err(err, errlen, "cannot set up the listening socket: %s", strerror(errno));
        close(lfd);
        if (o->ready_fd >= 0)
            close(o->ready_fd);
        return 1;
    }
    wp_ep_say(o->out, "tcp-server listening on %s%s\n", bound, o->echo ? " (echo)" : "");
    wp_ep_ready(o->ready_fd, port);

    int rc = 0;
    double idle_ms = o->idle_timeout > 0 ? o->idle_timeout * 1e3 : 0;
    while (!wp_ep_stopping() && (o->count == 0 || sv.ended < o->count)) {
        double now = wp_ep_now_ms();
        /* Idle clients first: a client that neither sends nor takes its
         * echo for idle_timeout seconds gives its descriptor back. */
        double wake = now + 500;
        for (size_t i = sv.ncl; idle_ms > 0 && i-- > 0;) {
            double due = sv.cl[i].last_ms + idle_ms;
            if (due <= now) {
                char why[80];
                snprintf(why, sizeof why, "was idle for %g s: closing it", o->idle_timeout);
                drop_client(&sv, i, why);
            } else if (due < wake) {
                wake = due;
            }
        }
        if (o->count && sv.ended >= o->count)
            break;
        int accepting = sv.pause_until <= now;
        if (!accepting && sv.pause_until < wake)
            wake = sv.pause_until;
        sv.pfd[0].fd = accepting ? lfd : -1;
        sv.pfd[0].events = POLLIN;
        for (size_t i = 0; i < sv.ncl; i++) {
            const client *c = &sv.cl[i];
            sv.pfd[i + 1].fd = c->fd;
            sv.pfd[i + 1].events = c->plen > c->poff ? POLLOUT : c->eof ? 0 : POLLIN;
            sv.pfd[i + 1].revents = 0;
        }
        sv.pfd[0].revents = 0;
        int pr = poll(sv.pfd, sv.ncl + 1, (int)(wake - now) + 1);
        if (pr < 0 && errno != EINTR) {
            wp_ep_err(err, errlen, "poll: %s", strerror(errno));
            rc = 1;
            break;
        }
        if (pr <= 0)
            continue;
        now = wp_ep_now_ms();
        /* Clients first, from the end, so that removing one (the last moves
         * into its slot) keeps the indices of those still to visit valid. */
        size_t n = sv.ncl;
        for (size_t i = n; i-- > 0;)
            if (sv.pfd[i + 1].revents)
                serve(&sv, i, sv.pfd[i + 1].revents, now);
        if (sv.pfd[0].fd >= 0 && (sv.pfd[0].revents & POLLIN))
            accept_some(&sv, lfd, now);
    }
    if (sv.ncl)
        wp_ep_say(o->out, "closing %zu open connection%s\n", sv.ncl, sv.ncl == 1 ? "" : "s");
    for (size_t i = 0; i < sv.ncl; i++)
        close(sv.cl[i].fd);
    free(sv.cl);
    free(sv.pfd);
    close(lfd);
    wp_ep_say(o->out, "tcp-server: %lu connection%s served\n", sv.ended,
              sv.ended == 1 ? "" : "s");
    return rc;
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

int wp_endpoint_tcp_client(const wp_tcp_client_opts *o, char *err, size_t errlen)
{
    struct addrinfo *res;
    char dst[80], me[80], q[300];
    uint8_t buf[4096];
    wp_ep_signals_install();
    if (wp_ep_resolve(o->host, o->port, SOCK_STREAM, 0, &res, err, errlen) != 0)
        return 1;
    const struct addrinfo *a = wp_ep_pick(res);
    wp_ep_addr_str(a->ai_addr, a->ai_addrlen, dst, sizeof dst);

    wp_ep_say(o->out, "connecting to %s\n", dst);
    int fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        wp_ep_err(err, errlen, "socket: %s", strerror(errno));
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
            wp_ep_err(err, errlen, "connection refused by %s: no server is listening there",
                      dst);
        else if (e == ETIMEDOUT)
            wp_ep_err(err, errlen, "cannot connect to %s: no answer within 5 s", dst);
        else
            wp_ep_err(err, errlen, "cannot connect to %s: %s", dst, strerror(e));
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
            wp_ep_err(err, errlen, "cannot send to %s: %s", dst, strerror(errno));
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
