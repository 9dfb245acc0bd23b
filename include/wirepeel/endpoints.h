/* wirepeel — the course endpoints (UDP ping server and client, TCP server and
 * client) and the classroom demo that captures their traffic.
 *
 * Each endpoint takes an options struct (fill it with the matching
 * *_defaults() function first, then change what you need) and returns a
 * process exit status:
 *   0    done (servers: also after Ctrl-C/SIGTERM, the normal way to stop them)
 *   1    runtime failure (bad host, port in use, connection refused, nothing sent)
 *   130  a client interrupted by Ctrl-C/SIGINT/SIGTERM before it finished
 * Errors are one line on stderr, prefixed with opts->prog. Progress lines go to
 * opts->out (stdout when NULL), flushed as they happen. */
#ifndef WIREPEEL_ENDPOINTS_H
#define WIREPEEL_ENDPOINTS_H

#include <stdint.h>
#include <stdio.h>

#define WP_UDP_PORT 54321
#define WP_TCP_PORT 10530
#define WP_DEFAULT_HOST "127.0.0.1"

/* The exit status of an interrupted client (128 + SIGINT, as shells report it). */
#define WP_EXIT_INTERRUPTED 130

typedef struct wp_udp_server_opts {
    const char *prog;       /* prefix of error lines, e.g. "wirepeel udp-server" */
    const char *host;       /* address to bind (numeric or a name) */
    uint16_t port;
    int seeded;             /* 1: use seed; 0: seed from the clock and pid */
    uint64_t seed;
    double drop;            /* probability of not replying, 0..1 (default 4/11) */
    unsigned long count;    /* stop after this many datagrams; 0: run until stopped */
    FILE *out;              /* per-datagram lines; NULL: stdout */
    int ready_fd;           /* >= 0: write one byte here once bound, then close it */
} wp_udp_server_opts;

typedef struct wp_udp_client_opts {
    const char *prog;
    const char *host;
    uint16_t port;
    unsigned long count;    /* pings to send (default 10) */
    double timeout;         /* seconds to wait for each reply (default 1) */
    const char *message;    /* payload (default "hello, mercy") */
    FILE *out;
} wp_udp_client_opts;

typedef struct wp_tcp_server_opts {
    const char *prog;
    const char *host;
    uint16_t port;
    int echo;               /* send back what arrives */
    unsigned long count;    /* stop after this many connections have ended; 0: never */
    FILE *out;
    int ready_fd;           /* as for the UDP server */
} wp_tcp_server_opts;

typedef struct wp_tcp_client_opts {
    const char *prog;
    const char *host;
    uint16_t port;
    const char *message;    /* default "Give me the data" */
    double timeout;         /* seconds to wait for a reply / the server's close (0.5) */
    FILE *out;
} wp_tcp_client_opts;

/* Summary a UDP client run leaves for its caller (e.g. the demo's rounds). */
typedef struct wp_udp_client_result {
    unsigned long sent, received;
    double rtt_min_ms, rtt_avg_ms, rtt_max_ms;
} wp_udp_client_result;

/* Fill o with the defaults documented on each field. NULL is ignored. */
void wp_endpoint_udp_server_defaults(wp_udp_server_opts *o);
void wp_endpoint_udp_client_defaults(wp_udp_client_opts *o);
void wp_endpoint_tcp_server_defaults(wp_tcp_server_opts *o);
void wp_endpoint_tcp_client_defaults(wp_tcp_client_opts *o);

/* Run the UDP ping server: upper-case each datagram and send it back unless
 * the drop draw says otherwise; one line per datagram. Returns the exit status
 * (1 with a one-line reason on a bad host or an address it cannot bind). */
int wp_endpoint_udp_server(const wp_udp_server_opts *o);

/* Send o->count pings, each from a fresh socket (a new ephemeral port), wait
 * up to o->timeout for each reply, then print ping-like statistics. r (may be
 * NULL) receives the counts. Returns 0 even with losses, 1 if nothing at all
 * could be sent (or the host is bad), 130 if interrupted. */
int wp_endpoint_udp_client(const wp_udp_client_opts *o, wp_udp_client_result *r);

/* Run the TCP server: accept clients, print what they send (echo it with
 * o->echo) and when they close; several clients at once via one poll() loop.
 * Returns the exit status. */
int wp_endpoint_tcp_server(const wp_tcp_server_opts *o);

/* Connect, send the message, read a reply if one comes within o->timeout,
 * close (FIN) and wait briefly for the server's FIN. Returns the exit status
 * (1 on connection refused, bad host, timeouts connecting). */
int wp_endpoint_tcp_client(const wp_tcp_client_opts *o);

/* ---- the classroom demo ---- */
typedef struct wp_demo_opts {
    int no_view;            /* print frames as `layers` instead of the view */
    const char *write_path; /* -w: save the live capture, or NULL */
    double interval;        /* seconds between rounds (default 3) */
    unsigned long rounds;   /* stop generating after this many rounds; 0: until quit */
    unsigned long pings;    /* UDP pings per round (default 4) */
    int lab;                /* between two network namespaces over a veth pair */
    const char *lab_name;   /* namespaces <name>-a, <name>-b (default "wp-lab") */
    const char *captures;   /* directory of the course captures for the fallback */
    int force_replay;       /* skip the live capture, replay (for tests and classes) */
} wp_demo_opts;

/* Fill o with the defaults documented on each field (captures from
 * $WP_CAPTURES, else "captures"). NULL is ignored. */
void wp_demo_defaults(wp_demo_opts *o);

/* Run the demo (see `wirepeel demo --help`). Returns the exit status: 0 after
 * the user quits or the rounds are done, 1 on a runtime failure (one line on
 * stderr). Live capture needs CAP_NET_RAW; without it, one line says so and
 * the recorded course captures are replayed instead. --lab also needs
 * CAP_NET_ADMIN and always removes its namespaces before returning. */
int wp_demo_run(const wp_demo_opts *o);

#endif
