/* wirepeel udp-server | udp-client | tcp-server | tcp-client: option parsing
 * for the course endpoints (src/endpoints/ does the work). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "endpoints/ep.h"
#include "wirepeel/endpoints.h"

enum { OPT_HOST = 256, OPT_PORT, OPT_SEED, OPT_DROP, OPT_COUNT, OPT_TIMEOUT, OPT_MESSAGE,
       OPT_ECHO, OPT_IDLE, OPT_HELP };

static int bad_value(const char *prog, const char *opt, const char *val, const char *want)
{
    fprintf(stderr, "%s: invalid %s '%s': expected %s (see --help)\n", prog, opt, val, want);
    return 2;
}

/* Where a command's options go: its own opts struct's fields; NULL for an
 * option the command does not take (its option table never yields it). */
typedef struct {
    const char **host, **message;
    uint16_t *port;
    uint64_t *seed;
    int *seeded, *echo;
    double *drop, *timeout, *idle;
    unsigned long *count;
    const char *count_what; /* how --count is described: "a number of datagrams" */
    int count_min;          /* the smallest --count */
    size_t max_message;     /* the longest --message; 0: no limit */
    int server;             /* --port 0 lets the kernel pick (a server's port) */
} ep_dest;

/* Report a failed run's reason (rc 1) as one line on stderr; returns rc. */
static int report(const char *prog, int rc, const char *err)
{
    if (rc == 1)
        fprintf(stderr, "%s: %s\n", prog, err[0] ? err : "failed");
    return rc;
}

/* Parses argv for one endpoint command (lo: the long options it takes; help:
 * its --help text) into the fields d points at. Returns -1 to go on, or the
 * exit status: 0 after --help, 2 after a usage error (one line on stderr). */
static int parse_args(int argc, char **argv, const char *prog, const struct option *lo,
                      const char *help, const ep_dest *d)
{
    optind = 1;
    opterr = 0; /* the one line below says it in wirepeel's words */
    int c;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        unsigned long v;
        switch (c) {
        case OPT_HOST:
            *d->host = optarg;
            break;
        case OPT_PORT:
            if (wp_ep_parse_port(optarg, d->server, d->port) != 0)
                return bad_value(prog, "--port", optarg,
                                 d->server ? "a port 0..65535 (0: a free one)" : "a port 1..65535");
            break;
        case OPT_SEED:
            if (wp_ep_parse_ulong(optarg, &v) != 0)
                return bad_value(prog, "--seed", optarg, "a non-negative integer");
            *d->seed = v;
            *d->seeded = 1;
            break;
        case OPT_DROP: {
            char *end;
            double p = strtod(optarg, &end);
            if (*optarg == 0 || *end || !(p >= 0.0 && p <= 1.0))
                return bad_value(prog, "--drop", optarg, "a probability from 0 to 1");
            *d->drop = p;
            break;
        }
        case OPT_COUNT:
            if (wp_ep_parse_ulong(optarg, &v) != 0 || v < (unsigned long)d->count_min)
                return bad_value(prog, "--count", optarg, d->count_what);
            *d->count = v;
            break;
        case OPT_TIMEOUT:
            if (wp_ep_parse_seconds(optarg, d->timeout) != 0)
                return bad_value(prog, "--timeout", optarg, "seconds > 0");
            break;
        case OPT_MESSAGE:
            if (d->max_message && strlen(optarg) > d->max_message)
                return bad_value(prog, "--message", "...", "at most 65000 bytes");
            *d->message = optarg;
            break;
        case OPT_ECHO:
            *d->echo = 1;
            break;
        case OPT_IDLE: {
            char *end;
            double t = strtod(optarg, &end);
            if (*optarg == 0 || *end || !(t >= 0.0 && t <= 86400.0))
                return bad_value(prog, "--idle-timeout", optarg, "seconds 0..86400 (0: never)");
            *d->idle = t;
            break;
        }
        case 'h':
        case OPT_HELP:
            fputs(help, stdout);
            return 0;
        default:
            return wp_opts_bad_option(strncmp(prog, "wirepeel ", 9) == 0 ? prog + 9 : prog, c,
                                      argv);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", prog, argv[optind]);
        return 2;
    }
    return -1;
}

static const char udp_server_help[] =
    "usage: wirepeel udp-server [--host H] [--port P] [--seed N] [--drop P] [--count N]\n"
    "\n"
    "The course's UDP ping server: receives datagrams, upper-cases them and sends\n"
    "them back, but drops replies at random like the original (randint(0, 10) < 4,\n"
    "i.e. 4 in 11). One line per datagram: from whom, what, replied or dropped.\n"
    "\n"
    "  --host H    address to listen on (default 127.0.0.1; ::1 or a name work too)\n"
    "  --port P    UDP port (default 54321; 0: a free port, named in the first line)\n"
    "  --seed N    make the drops reproducible (same seed, same datagrams dropped)\n"
    "  --drop P    probability of dropping a reply, 0..1 (default 0.3636 = 4/11)\n"
    "  --count N   exit after N datagrams (default: run until Ctrl-C)\n"
    "\n"
    "Exit status: 0 when stopped (Ctrl-C, SIGTERM, --count reached), 1 when it\n"
    "cannot listen (port in use, privileged port, bad host), 2 for usage errors.\n";

int wp_cli_udp_server(int argc, char **argv)
{
    static const struct option lo[] = {
        {"host", required_argument, 0, OPT_HOST},   {"port", required_argument, 0, OPT_PORT},
        {"seed", required_argument, 0, OPT_SEED},   {"drop", required_argument, 0, OPT_DROP},
        {"count", required_argument, 0, OPT_COUNT}, {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    wp_udp_server_opts o;
    wp_endpoint_udp_server_defaults(&o);
    o.out = stdout;
    const ep_dest d = {.host = &o.host, .port = &o.port, .seed = &o.seed, .seeded = &o.seeded,
                       .drop = &o.drop, .count = &o.count, .count_what = "a number of datagrams",
                       .server = 1};
    char err[256] = "";
    int rc = parse_args(argc, argv, "wirepeel udp-server", lo, udp_server_help, &d);
    return rc >= 0 ? rc
                   : report("wirepeel udp-server", wp_endpoint_udp_server(&o, err, sizeof err),
                            err);
}

static const char udp_client_help[] =
    "usage: wirepeel udp-client [--host H] [--port P] [--count N] [--timeout S] [--message M]\n"
    "\n"
    "The course's UDP ping client: sends N pings, each from a new socket (so each\n"
    "leaves from a new ephemeral port), prints each reply with its round-trip time\n"
    "or \"Request timed out\" (or, when the kernel answers \"port unreachable\", that\n"
    "no server is listening there), then statistics like ping's.\n"
    "\n"
    "  --host H      server address (default 127.0.0.1)\n"
    "  --port P      server port (default 54321)\n"
    "  --count N     pings to send (default 10)\n"
    "  --timeout S   seconds to wait for each reply (default 1; fractions allowed)\n"
    "  --message M   payload (default 'hello, mercy')\n"
    "\n"
    "Exit status: 0 when done, even with losses; 1 if nothing could be sent or the\n"
    "host is bad; 130 when interrupted (statistics are printed first); 2 usage.\n";

int wp_cli_udp_client(int argc, char **argv)
{
    static const struct option lo[] = {
        {"host", required_argument, 0, OPT_HOST},       {"port", required_argument, 0, OPT_PORT},
        {"count", required_argument, 0, OPT_COUNT},     {"timeout", required_argument, 0, OPT_TIMEOUT},
        {"message", required_argument, 0, OPT_MESSAGE}, {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    wp_udp_client_opts o;
    wp_endpoint_udp_client_defaults(&o);
    o.out = stdout;
    const ep_dest d = {.host = &o.host, .port = &o.port, .count = &o.count, .timeout = &o.timeout,
                       .message = &o.message, .count_what = "a number of pings >= 1",
                       .count_min = 1, .max_message = 65000};
    char err[256] = "";
    int rc = parse_args(argc, argv, "wirepeel udp-client", lo, udp_client_help, &d);
    return rc >= 0 ? rc
                   : report("wirepeel udp-client",
                            wp_endpoint_udp_client(&o, NULL, err, sizeof err), err);
}

static const char tcp_server_help[] =
    "usage: wirepeel tcp-server [--host H] [--port P] [--echo] [--count N] [--idle-timeout S]\n"
    "\n"
    "The course's TCP server: listens, accepts, prints \"connected by IP:PORT\",\n"
    "prints what arrives, notices when the client closes, and serves any number\n"
    "of clients at once (up to the open-file limit; beyond it, it pauses accepting\n"
    "and says so once per pause while the others wait).\n"
    "\n"
    "  --host H    address to listen on (default 127.0.0.1)\n"
    "  --port P    TCP port (default 10530; 0: a free port, named in the first line)\n"
    "  --echo      send back what arrives; a client that does not read its echo is\n"
    "              not read from until it does, and each \"echoed N bytes\" line\n"
    "              counts what really went out\n"
    "  --count N   exit after N connections have ended (default: run until Ctrl-C)\n"
    "  --idle-timeout S\n"
    "              close a client that sends nothing and takes nothing for S seconds\n"
    "              (default 60; 0: never)\n"
    "\n"
    "Exit status: 0 when stopped (Ctrl-C, SIGTERM, --count reached), 1 when it\n"
    "cannot listen, 2 for usage errors.\n";

int wp_cli_tcp_server(int argc, char **argv)
{
    static const struct option lo[] = {
        {"host", required_argument, 0, OPT_HOST},   {"port", required_argument, 0, OPT_PORT},
        {"echo", no_argument, 0, OPT_ECHO},         {"count", required_argument, 0, OPT_COUNT},
        {"idle-timeout", required_argument, 0, OPT_IDLE},
        {"help", no_argument, 0, OPT_HELP},         {0, 0, 0, 0}};
    wp_tcp_server_opts o;
    wp_endpoint_tcp_server_defaults(&o);
    o.out = stdout;
    const ep_dest d = {.host = &o.host, .port = &o.port, .echo = &o.echo, .count = &o.count,
                       .idle = &o.idle_timeout, .count_what = "a number of connections",
                       .server = 1};
    char err[256] = "";
    int rc = parse_args(argc, argv, "wirepeel tcp-server", lo, tcp_server_help, &d);
    return rc >= 0 ? rc
                   : report("wirepeel tcp-server", wp_endpoint_tcp_server(&o, err, sizeof err),
                            err);
}

static const char tcp_client_help[] =
    "usage: wirepeel tcp-client [--host H] [--port P] [--message M] [--timeout S]\n"
    "\n"
    "The course's TCP client: connects, sends the message, reads the reply if the\n"
    "server echoes, closes its side (FIN) and waits briefly for the server's FIN.\n"
    "Prints each step.\n"
    "\n"
    "  --host H      server address (default 127.0.0.1)\n"
    "  --port P      server port (default 10530)\n"
    "  --message M   what to send (default 'Give me the data')\n"
    "  --timeout S   seconds to wait for a reply and for the close (default 0.5)\n"
    "\n"
    "Exit status: 0 when done, 1 on connection refused / bad host / send failure,\n"
    "130 when interrupted, 2 for usage errors.\n";

int wp_cli_tcp_client(int argc, char **argv)
{
    static const struct option lo[] = {
        {"host", required_argument, 0, OPT_HOST},       {"port", required_argument, 0, OPT_PORT},
        {"message", required_argument, 0, OPT_MESSAGE}, {"timeout", required_argument, 0, OPT_TIMEOUT},
        {"help", no_argument, 0, OPT_HELP},             {0, 0, 0, 0}};
    wp_tcp_client_opts o;
    wp_endpoint_tcp_client_defaults(&o);
    o.out = stdout;
    const ep_dest d = {.host = &o.host, .port = &o.port, .message = &o.message,
                       .timeout = &o.timeout};
    char err[256] = "";
    int rc = parse_args(argc, argv, "wirepeel tcp-client", lo, tcp_client_help, &d);
    if (rc >= 0)
        return rc;
    rc = wp_endpoint_tcp_client(&o, err, sizeof err);
    /* The library says what failed; the hint names this program's options. */
    if (rc == 1 && strncmp(err, "connection refused", 18) == 0)
        fprintf(stderr, "wirepeel tcp-client: %s (start one with: wirepeel tcp-server --port %u)\n",
                err, (unsigned)o.port);
    else
        report("wirepeel tcp-client", rc, err);
    return rc;
}
