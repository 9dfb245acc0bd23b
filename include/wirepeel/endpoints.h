/* wirepeel — the course endpoints: a UDP ping server and client, a TCP server
 * and client. (The classroom demo that captures their traffic is part of the
 * wirepeel program, src/cli/, not of the library.)
 *
 * Each endpoint takes an options struct (fill it with the matching
 * *_defaults() function first, then change what you need) and an error
 * buffer, and returns a process exit status:
 *   0    done (servers: also after Ctrl-C/SIGTERM, the normal way to stop them)
 *   1    runtime failure (bad host, port in use, connection refused, nothing
 *        sent): one line saying what failed is left in err
 *   130  a client interrupted by Ctrl-C/SIGINT/SIGTERM before it finished
 * The library prints nothing of its own accord: progress lines (including
 * passing trouble such as a refused ping or a full file table) go to
 * opts->out when the caller gives one (NULL: no lines), flushed as they
 * happen; a failure that ends the run is described in err for the caller to
 * report. */
#ifndef WIREPEEL_ENDPOINTS_H
#define WIREPEEL_ENDPOINTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WP_UDP_PORT 54321
#define WP_TCP_PORT 10530
#define WP_DEFAULT_HOST "127.0.0.1"

/* The exit status of an interrupted client (128 + SIGINT, as shells report it). */
#define WP_EXIT_INTERRUPTED 130

typedef struct wp_udp_server_opts {
    const char *host;       /* address to bind (numeric or a name) */
    uint16_t port;          /* 0: a free port the kernel picks (the ready line names it) */
    int seeded;             /* 1: use seed; 0: seed from the clock and pid */
    uint64_t seed;
    double drop;            /* probability of not replying, 0..1 (default 4/11) */
    unsigned long count;    /* stop after this many datagrams; 0: run until stopped */
    FILE *out;              /* per-datagram lines; NULL: none */
    int ready_fd;           /* >= 0: once bound, write the bound port there in
                               decimal with a newline ("54321\n"), then close it */
} wp_udp_server_opts;

typedef struct wp_udp_client_opts {
    const char *host;
    uint16_t port;          /* 1..65535 */
    unsigned long count;    /* pings to send (default 10) */
    double timeout;         /* seconds to wait for each reply (default 1) */
    const char *message;    /* payload (default "hello, mercy") */
    FILE *out;
} wp_udp_client_opts;

typedef struct wp_tcp_server_opts {
    const char *host;
    uint16_t port;          /* 0: a free port the kernel picks */
    int echo;               /* send back what arrives */
    unsigned long count;    /* stop after this many connections have ended; 0: never */
    double idle_timeout;    /* close a client silent for this many seconds; 0: never
                               (default 60) */
    FILE *out;
    int ready_fd;           /* as for the UDP server */
} wp_tcp_server_opts;

typedef struct wp_tcp_client_opts {
    const char *host;
    uint16_t port;          /* 1..65535 */
    const char *message;    /* default "Give me the data" */
    double timeout;         /* seconds to wait for a reply / the server's close (0.5) */
    FILE *out;
} wp_tcp_client_opts;

/* Summary a UDP client run leaves for its caller (e.g. the demo's rounds). */
typedef struct wp_udp_client_result {
    unsigned long sent, received;
    unsigned long refused;  /* pings answered by "port unreachable": no server there */
    double rtt_min_ms, rtt_avg_ms, rtt_max_ms;
} wp_udp_client_result;

/* Fill o with the defaults documented on each field. NULL is ignored. */
void wp_endpoint_udp_server_defaults(wp_udp_server_opts *o);
void wp_endpoint_udp_client_defaults(wp_udp_client_opts *o);
void wp_endpoint_tcp_server_defaults(wp_tcp_server_opts *o);
void wp_endpoint_tcp_client_defaults(wp_tcp_client_opts *o);

/* Run the UDP ping server: upper-case each datagram and send it back unless
 * the drop draw says otherwise; one line per datagram. Returns the exit status
 * (1 with the reason in err on a bad host or an address it cannot bind). */
int wp_endpoint_udp_server(const wp_udp_server_opts *o, char *err, size_t errlen);

/* Send o->count pings, each from a fresh connected socket (a new ephemeral
 * port), wait up to o->timeout for each reply, then print ping-like
 * statistics. A ping the kernel answers with "port unreachable" is reported
 * as "no server is listening", not as a timeout. r (may be NULL) receives the
 * counts. Returns 0 even with losses, 1 if nothing at all could be sent (or
 * the host is bad; reason in err), 130 if interrupted. */
int wp_endpoint_udp_client(const wp_udp_client_opts *o, wp_udp_client_result *r, char *err,
                           size_t errlen);

/* Run the TCP server: accept any number of clients (up to the file limit),
 * print what they send (echo it with o->echo, never dropping a byte: a client
 * that does not read its echoes is not read from until it does, and each
 * "echoed" line counts the bytes really handed to its socket) and when they
 * close; close clients idle longer than o->idle_timeout. When out of file
 * descriptors it stops accepting for a growing pause (one line per pause).
 * Returns the exit status (1 with the reason in err when it cannot listen). */
int wp_endpoint_tcp_server(const wp_tcp_server_opts *o, char *err, size_t errlen);

/* Connect, send the message, read a reply if one comes within o->timeout,
 * close (FIN) and wait briefly for the server's FIN. Returns the exit status
 * (1 on connection refused, bad host, timeouts connecting; reason in err). */
int wp_endpoint_tcp_client(const wp_tcp_client_opts *o, char *err, size_t errlen);

#endif
