/* The classroom demo (wirepeel demo): the course endpoints, their traffic
 * captured live and shown layer by layer, or the recorded course captures
 * replayed without the privilege to capture. Application code: it
 * orchestrates the endpoints, the capture and the view, and prints. */
#ifndef WP_CLI_DEMO_H
#define WP_CLI_DEMO_H

#include <stdint.h>

typedef struct wp_demo_opts {
    int no_view;            /* print frames as `layers` instead of the view */
    const char *write_path; /* -w: save the live capture, or NULL */
    double interval;        /* seconds per round (default 3) */
    unsigned long rounds;   /* stop generating after this many rounds; 0: until quit */
    unsigned long pings;    /* UDP pings per round (default 4) */
    uint16_t udp_port;      /* the UDP server's port (default 54321; 0: a free one) */
    uint16_t tcp_port;      /* the TCP server's port (default 10530; 0: a free one) */
    const char *run_as;     /* as root: decode as this user (default nobody; "root" keeps it) */
    int lab;                /* between two network namespaces over a veth pair */
    const char *lab_name;   /* namespaces <name>-a, <name>-b (default "wp-lab") */
    const char *captures;   /* directory of the course captures for the fallback */
    int force_replay;       /* skip the live capture, replay (for tests and classes) */
} wp_demo_opts;

/* Fill o with the defaults documented on each field (captures from
 * $WP_CAPTURES, else "captures"). NULL is ignored. */
void wp_demo_defaults(wp_demo_opts *o);

/* Run the demo (see `wirepeel demo --help`). Returns the exit status: 0 after
 * the user quits (q, Ctrl-C, SIGTERM) or the rounds are done, 1 on a runtime
 * failure (one line on stderr), 129 when the view's terminal hung up. */
int wp_demo_run(const wp_demo_opts *o);

/* ---- the namespace lab (demo_lab.c) ---- */
typedef struct wp_demo_lab {
    char ns_a[32], ns_b[32], if_a[16], if_b[16];
    int up;
} wp_demo_lab;

#define WP_DEMO_LAB_ADDR_A "10.200.0.1"
#define WP_DEMO_LAB_ADDR_B "10.200.0.2"

/* Name the lab's namespaces and veth ends after name (12 characters at most:
 * interface names are short). -1 when name is too long. */
int wp_demo_lab_name(wp_demo_lab *l, const char *name);

/* Create the two namespaces and the veth pair between them, first removing a
 * lab of the same name left by a demo that was killed. 0, or -1 after one
 * line on stderr with nothing left behind. */
int wp_demo_lab_create(wp_demo_lab *l);

/* Remove the namespaces (and so the pair) if up. */
void wp_demo_lab_remove(wp_demo_lab *l);

/* Move the calling process into network namespace name. 0, or -1 after one
 * line on stderr. */
int wp_demo_lab_enter(const char *name);

#endif
