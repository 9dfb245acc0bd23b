/* wirepeel demo: option parsing for the classroom demo (demo_run.c). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "demo.h"
#include "endpoints/ep.h"

static const char demo_help[] =
    "usage: wirepeel demo [--no-view] [-w FILE] [--interval S] [--rounds N] [--pings N]\n"
    "                     [--udp-port P] [--tcp-port P] [-Z USER]\n"
    "                     [--lab [--lab-name NAME]] [--captures DIR] [--replay]\n"
    "\n"
    "The classroom demo. Starts the course's UDP ping server (port 54321) and TCP\n"
    "server (port 10530) on 127.0.0.1, captures their traffic on lo with the filter\n"
    "'udp port 54321 or tcp port 10530', and shows it layer by layer in the view\n"
    "(q quits), repeating a round every few seconds: UDP pings spread over the\n"
    "round, then a TCP exchange. The servers' lines (which ping was dropped) and a\n"
    "marker line per round go to the view's log (with --no-view: between the frames).\n"
    "Live capture needs CAP_NET_RAW (root); as root the demo decodes as nobody. Without\n"
    "the privilege it says so and replays the recorded course captures\n"
    "(course-udp-ping.pcap, course-tcp.pcap) instead, in a loop until q.\n"
    "\n"
    "  --no-view      print the frames in the `layers` format instead of the view\n"
    "                 (also when stdout is not a terminal); Ctrl-C stops\n"
    "  -w FILE        also save what was captured live to FILE (.pcap)\n"
    "  --interval S   seconds per round (default 3)\n"
    "  --rounds N     stop making traffic after N rounds (with --no-view: then exit)\n"
    "  --pings N      UDP pings per round (default 4)\n"
    "  --udp-port P   the UDP server's port (default 54321; 0: a free one)\n"
    "  --tcp-port P   the TCP server's port (default 10530; 0: a free one)\n"
    "  -Z USER        as root: decode as USER once the capture is open (default\n"
    "                 nobody; -Z root keeps root)\n"
    "  --lab          run between two network namespaces, <name>-a (servers,\n"
    "                 10.200.0.1) and <name>-b (clients, 10.200.0.2), joined by a\n"
    "                 veth pair, capturing on the veth (real Ethernet addresses).\n"
    "                 Needs root. The namespaces are removed on every way out, and\n"
    "                 a stale lab from a killed demo is removed at start.\n"
    "  --lab-name N   namespace prefix (default wp-lab; 12 characters at most)\n"
    "  --captures D   where the course captures are (default $WP_CAPTURES or captures)\n"
    "  --replay       replay the course captures even when live capture is possible\n"
    "\n"
    "Exit status: 0 when quit (q, Ctrl-C, SIGTERM) or the rounds are done; 1 on a\n"
    "runtime failure (ports taken, lab cannot be made, captures missing); 129 when\n"
    "the view's terminal hangs up; 2 usage.\n";

enum { OPT_NOVIEW = 256, OPT_INTERVAL, OPT_ROUNDS, OPT_PINGS, OPT_LAB, OPT_LABNAME,
       OPT_CAPTURES, OPT_REPLAY, OPT_UDPPORT, OPT_TCPPORT, OPT_HELP };

static int bad_value(const char *opt, const char *val, const char *want)
{
    fprintf(stderr, "wirepeel demo: invalid %s '%s': expected %s (see --help)\n", opt, val, want);
    return 2;
}

int wp_cli_demo(int argc, char **argv)
{
    static const struct option lo[] = {
        {"no-view", no_argument, 0, OPT_NOVIEW},
        {"write", required_argument, 0, 'w'},
        {"interval", required_argument, 0, OPT_INTERVAL},
        {"rounds", required_argument, 0, OPT_ROUNDS},
        {"pings", required_argument, 0, OPT_PINGS},
        {"lab", no_argument, 0, OPT_LAB},
        {"lab-name", required_argument, 0, OPT_LABNAME},
        {"captures", required_argument, 0, OPT_CAPTURES},
        {"replay", no_argument, 0, OPT_REPLAY},
        {"udp-port", required_argument, 0, OPT_UDPPORT},
        {"tcp-port", required_argument, 0, OPT_TCPPORT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    wp_demo_opts o;
    wp_demo_defaults(&o);
    optind = 1;
    opterr = 0; /* the one line below says it in wirepeel's words */
    int c;
    while ((c = getopt_long(argc, argv, ":w:Z:h", lo, NULL)) != -1) {
        switch (c) {
        case OPT_NOVIEW: o.no_view = 1; break;
        case 'w': o.write_path = optarg; break;
        case OPT_INTERVAL:
            if (wp_ep_parse_seconds(optarg, &o.interval) != 0)
                return bad_value("--interval", optarg, "seconds > 0");
            break;
        case OPT_ROUNDS:
            if (wp_ep_parse_ulong(optarg, &o.rounds) != 0 || o.rounds == 0)
                return bad_value("--rounds", optarg, "a number of rounds >= 1");
            break;
        case OPT_PINGS:
            if (wp_ep_parse_ulong(optarg, &o.pings) != 0 || o.pings == 0 || o.pings > 1000)
                return bad_value("--pings", optarg, "a number of pings 1..1000");
            break;
        case OPT_UDPPORT:
            if (wp_ep_parse_port(optarg, 1, &o.udp_port) != 0)
                return bad_value("--udp-port", optarg, "a port 0..65535");
            break;
        case OPT_TCPPORT:
            if (wp_ep_parse_port(optarg, 1, &o.tcp_port) != 0)
                return bad_value("--tcp-port", optarg, "a port 0..65535");
            break;
        case 'Z':
            if (!*optarg)
                return bad_value("-Z", optarg, "a user name");
            o.run_as = optarg;
            break;
        case OPT_LAB: o.lab = 1; break;
        case OPT_LABNAME:
            if (!*optarg || strlen(optarg) > 12 || strspn(optarg,
                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
                    strlen(optarg))
                return bad_value("--lab-name", optarg, "1-12 letters, digits, - or _");
            o.lab_name = optarg;
            break;
        case OPT_CAPTURES: o.captures = optarg; break;
        case OPT_REPLAY: o.force_replay = 1; break;
        case 'h':
        case OPT_HELP: fputs(demo_help, stdout); return 0;
        default: return wp_opts_bad_option("demo", c, argv);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "wirepeel demo: unexpected argument '%s' (see --help)\n", argv[optind]);
        return 2;
    }
    return wp_demo_run(&o);
}
