/* wirepeel show: decode packets from a file or an interface and print them,
 * write them to a .pcap, or both. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "flowcli.h"
#include "opts.h"
#include "show_reasm.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/filter.h"
#include "wirepeel/privdrop.h"
#include "wirepeel/render.h"

#define CMD "show"
/* Output is written in blocks this big: fewer write calls to a pipe or file
 * (a live capture still flushes every 10 ms). */
#define OUT_BUF (256u << 10)

static const char show_help[] =
    "usage: wirepeel show [-r FILE | -i IFACE] [-f BPF] [-Y FILTER] [-c N] [-w OUT.pcap]\n"
    "                     [-s SNAPLEN]\n"
    "                     [-o summary|layers|hex|json|struct|fields|diagram] [--replay [--speed X]]\n"
    "                     [--raw-socket] [--color[=auto|always|never]] [-n] [-Z USER]\n"
    "                     [-S | --absolute-seq] [--no-flows] [--flow-max N] [--flow-idle S]\n"
    "                     [--format pcap|pcapng] [--utc] [-v] [-x] [-A] [-e] [-q] [-t...]\n"
    "                     [-p] [-l] [--decode-as udp.port=N:PROTO ...] [BPF ...]\n"
    "       wirepeel show -D\n"
    "\n"
    "Decode packets layer by layer and print them, from a saved capture or live.\n"
    "\n"
    "  -r FILE         read a .pcap or .pcapng file, gzip-compressed or not (.gz);\n"
    "                  - reads standard input\n"
    "  -i IFACE        capture live on interface IFACE (needs root or CAP_NET_RAW;\n"
    "                  `ip link` lists the interfaces)\n"
    "  -f BPF          keep only packets matching the BPF filter expression (tcpdump\n"
    "                  syntax); words left after the options are taken as the filter too\n"
    "  -Y FILTER       show only packets the display filter selects, a Wireshark-style\n"
    "                  test of decoded fields: 'tcp.flags.syn == 1 and ip.ttl < 64',\n"
    "                  'ip.addr == 10.0.0.0/8', 'udp.port in {53, 67}', 'frame[12:2] ==\n"
    "                  08:00' (wirepeel(1), DISPLAY FILTERS, lists every name and operator)\n"
    "  -c N            stop after N packets (N >= 1)\n"
    "  -w OUT.pcap     write the packets to OUT.pcap (nanosecond pcap; pcapng when the\n"
    "                  name ends in .pcapng; - for standard output). Alone, nothing\n"
    "                  is printed; with -o, packets are printed and written\n"
    "  --format F      the -w file's format whatever its name: pcap or pcapng\n"
    "  -s SNAPLEN      keep at most SNAPLEN bytes of each packet, 0..262144 (0: 262144);\n"
    "                  with -r, packets are cut to SNAPLEN as if captured that way\n"
    "  -o FORMAT       summary (default: one line a packet), layers (every field of every\n"
    "                  header), hex (bytes with each layer marked), json (one object a\n"
    "                  line), struct (the Python struct recipe of each header), fields,\n"
    "                  diagram (each header's RFC bit diagram with this packet's values)\n"
    "  --replay        with -r: pace the packets by their timestamps\n"
    "  --speed X       with --replay: X times as fast (2 = twice as fast; 0 = as fast as\n"
    "                  possible; default 1, the recorded pace)\n"
    "  --raw-socket    with -i: read through an AF_PACKET raw socket instead of libpcap\n"
    "  --color[=WHEN]  colour the hex output: auto (default: only on a terminal, and not\n"
    "                  when NO_COLOR is set), always, never\n"
    "  --utc           summary times in UTC (default: local time, as tcpdump; JSON and\n"
    "                  -o layers always print UTC with a Z)\n"
    "  --decode-as udp.port=N:PROTO\n"
    "                  decode what UDP port N carries (either end) as PROTO (vxlan, dns,\n"
    "                  mpls, gre, eth, ipv4, ipv6, ...; data: leave it undecoded);\n"
    "                  tcp.port=N:PROTO the same for TCP; repeatable, at most 16\n"
    "\n"
    "tcpdump's flags, as a tcpdump user expects them:\n"
    "  -v, -vv, -vvv   -o layers (every field of every header)\n"
    "  -x, -X, -XX     -o hex (the bytes, with each layer marked and the text beside)\n"
    "  -A              after each summary line, the payload as text ('.' for bytes\n"
    "                  that are not printable)\n"
    "  -e              the Ethernet addresses on each summary line\n"
    "  -q              terse: no TCP flags, sequence numbers or window\n"
    "  -t              no time; -tt seconds since 1970; -ttt the time since the previous\n"
    "                  packet; -tttt date and time; -ttttt the time since the first\n"
    "  -p              accepted: wirepeel never puts the interface in promiscuous\n"
    "                  mode (it sees only the traffic to and from this machine)\n"
    "  -l              write each packet's output at once (line-buffered)\n"
    "  -D              list the interfaces libpcap can capture on, as tcpdump -D\n"
    "  -n              accepted for tcpdump habits: wirepeel never resolves names\n"
    "  -Z USER         as root: once the interface (or file) and the -w file are open,\n"
    "                  run as USER (default nobody) before reading any packet;\n"
    "                  -Z root keeps root\n"
    "  -S, --absolute-seq  the summary shows TCP's raw sequence and acknowledgement\n"
    "                  numbers and the header's window (default: relative to each side's\n"
    "                  first sequence number, the window scaled as the SYNs agreed)\n"
    "  --no-flows      do not follow conversations: no relative numbers, analysis labels,\n"
    "                  reply pairing or closing list of unanswered requests\n"
    "  --flow-max N    keep at most N conversations at once (default 16384; when a new\n"
    "                  one needs room, the least recently active of 8 is forgotten,\n"
    "                  and the frame says so)\n"
    "  --flow-idle S   forget a conversation silent for S seconds of capture time\n"
    "                  (default 3600)\n"
    "  -h, --help      this help\n"
    "\n"
    "Frames keep the capture's own numbers after -f and -Y (as tshark numbers them).\n"
    "Conversations: summary, layers, json and fields show TCP's relative numbers, the\n"
    "scaled window and tshark's analysis labels, and which request a reply answers\n"
    "(ICMP echo, DNS, UDP) with its round-trip time; layers, json and fields also the\n"
    "stream number. summary and layers end by listing the requests that got no reply\n"
    "on standard error.\n"
    "Ctrl-C ends a live capture cleanly: the -w file is complete, and the capture\n"
    "statistics are printed on stderr.\n"
    "Exit status: 0 done, 1 a runtime failure (unreadable or damaged file, bad filter,\n"
    "no such interface, no permission, a write error), 2 a usage error.\n";

enum {
    OPT_REPLAY = 256,
    OPT_SPEED,
    OPT_RAW,
    OPT_COLOR,
    OPT_NOFLOW,
    OPT_FLOWMAX,
    OPT_FLOWIDLE,
    OPT_WFORMAT,
    OPT_UTC,
    OPT_DECODE_AS
};

typedef struct show_opts {
    wp_source_opts src;
    long long count;      /* 0: no limit */
    const char *out_path;
    int wformat;          /* WP_DUMP_*: the -w file's format */
    int format;           /* wp_output, or -1 when not given */
    int replay;
    double speed;
    int speed_given;
    int color;
    const char *run_as;   /* -Z: the user a live capture drops root to */
    const char *display;  /* -Y: the display filter, or NULL */
    int absolute_seq;     /* -S */
    int no_flows;
    wp_flow_cfg flow;     /* --flow-max, --flow-idle */
    int text;             /* -A: each packet's payload as text after its line */
    int tflags;           /* -t given this many times: tcpdump's time formats */
    int link_addrs;       /* -e */
    int terse;            /* -q */
    int utc;              /* --utc: times of day in UTC instead of local time */
    int line_buffered;    /* -l */
    int list_ifaces;      /* -D */
    wp_decode_opts dopts; /* --decode-as */
} show_opts;

/* Join the words left after the options into one filter expression. */
static int join_filter(int argc, char **argv, char **out)
{
    size_t n = 1;
    for (int i = optind; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s)
        return -1;
    s[0] = '\0';
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    *out = s;
    return 0;
}

/* Returns -1 when the options are fine, else the exit status to return. */
static int parse(int argc, char **argv, show_opts *o, char **joined)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"replay", no_argument, NULL, OPT_REPLAY},
        {"speed", required_argument, NULL, OPT_SPEED},
        {"raw-socket", no_argument, NULL, OPT_RAW},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"colour", optional_argument, NULL, OPT_COLOR},
        {"absolute-seq", no_argument, NULL, 'S'},
        {"no-flows", no_argument, NULL, OPT_NOFLOW},
        {"flow-max", required_argument, NULL, OPT_FLOWMAX},
        {"flow-idle", required_argument, NULL, OPT_FLOWIDLE},
        {"format", required_argument, NULL, OPT_WFORMAT},
        {"utc", no_argument, NULL, OPT_UTC},
        {"decode-as", required_argument, NULL, OPT_DECODE_AS},
        {NULL, 0, NULL, 0},
    };
    long long v;
    memset(o, 0, sizeof *o);
    o->format = -1;
    o->color = WP_COLOR_AUTO;
    *joined = NULL;
    opterr = 0;
    optind = 1;
    int ch;
    int fmt_flag = 0; /* an -o, or the tcpdump flag that chose the format */
    while ((ch = getopt_long(argc, argv, ":r:i:f:Y:c:w:s:o:nZ:ShvxXAeqtplD", longs, NULL)) !=
           -1) {
        /* tcpdump's format flags pick an output format: two that disagree
         * (-v -x, -o json -X) are an error rather than a silent choice */
        int want = ch == 'v' ? WP_OUT_LAYERS : ch == 'x' || ch == 'X' ? WP_OUT_HEX : -1;
        if (want >= 0) {
            if (o->format >= 0 && o->format != want)
                return wp_opts_usage_error(CMD, "-%c asks for -o %s, but -%c already chose "
                                                "another format",
                                           ch, want == WP_OUT_LAYERS ? "layers" : "hex",
                                           fmt_flag);
            o->format = want;
            fmt_flag = ch;
            continue;
        }
        switch (ch) {
        case 'A':
            o->text = 1;
            break;
        case 'e':
            o->link_addrs = 1;
            break;
        case 'q':
            o->terse = 1;
            break;
        case 't':
            o->tflags++;
            break;
        case 'p': /* wirepeel never asks for promiscuous mode */
            break;
        case 'l':
            o->line_buffered = 1;
            break;
        case 'D':
            o->list_ifaces = 1;
            break;
        case OPT_UTC:
            o->utc = 1;
            break;
        case OPT_DECODE_AS:
            if (wp_opts_decode_as(CMD, optarg, &o->dopts) != 0)
                return 2;
            break;
        case 'r':
            o->src.file = optarg;
            break;
        case 'i':
            o->src.iface = optarg;
            break;
        case 'f':
            o->src.bpf = optarg;
            break;
        case 'Y':
            o->display = optarg;
            break;
        case 'c':
            if (wp_opts_int(optarg, 1, INT64_MAX, &v) != 0)
                return wp_opts_usage_error(CMD, "-c takes a packet count of 1 or more, not '%s'",
                                           optarg);
            o->count = v;
            break;
        case 'w':
            o->out_path = optarg;
            break;
        case 's':
            if (wp_opts_int(optarg, 0, WP_SNAPLEN_MAX, &v) != 0)
                return wp_opts_usage_error(
                    CMD, "-s takes a snap length from 0 to %d bytes, not '%s'", WP_SNAPLEN_MAX,
                    optarg);
            o->src.snaplen = (int)v;
            break;
        case 'o':
            if (fmt_flag && fmt_flag != 'o' && wp_output_parse(optarg) != o->format)
                return wp_opts_usage_error(CMD, "-o %s disagrees with -%c", optarg, fmt_flag);
            fmt_flag = 'o';
            o->format = wp_output_parse(optarg);
            if (o->format < 0)
                return wp_opts_usage_error(
                    CMD, "unknown output format '%s' (use summary, layers, hex, json, struct, "
                         "fields or diagram)",
                    optarg);
            break;
        case 'n':
            break;
        case 'S':
            o->absolute_seq = 1;
            break;
        case OPT_NOFLOW:
            o->no_flows = 1;
            break;
        case OPT_FLOWMAX:
            if (wp_cli_flow_max(CMD, optarg, &o->flow) != 0)
                return 2;
            break;
        case OPT_FLOWIDLE:
            if (wp_cli_flow_idle(CMD, optarg, &o->flow) != 0)
                return 2;
            break;
        case 'Z':
            if (!*optarg)
                return wp_opts_usage_error(CMD, "-Z takes a user name (nobody, or root to "
                                                "keep root)");
            o->run_as = optarg;
            break;
        case 'h':
            fputs(show_help, stdout);
            return 0;
        case OPT_REPLAY:
            o->replay = 1;
            break;
        case OPT_SPEED:
            if (wp_opts_double(optarg, 0, 1e6, &o->speed) != 0)
                return wp_opts_usage_error(
                    CMD, "--speed takes a number from 0 (as fast as possible) up, not '%s'",
                    optarg);
            o->speed_given = 1;
            break;
        case OPT_RAW:
            o->src.raw_socket = 1;
            break;
        case OPT_WFORMAT:
            if (strcmp(optarg, "pcap") == 0)
                o->wformat = WP_DUMP_PCAP;
            else if (strcmp(optarg, "pcapng") == 0)
                o->wformat = WP_DUMP_PCAPNG;
            else
                return wp_opts_usage_error(CMD, "--format takes pcap or pcapng, not '%s'",
                                           optarg);
            break;
        case OPT_COLOR:
            o->color = wp_opts_color(optarg);
            if (o->color < 0)
                return wp_opts_usage_error(
                    CMD, "--color takes auto, always or never, not '%s'", optarg);
            break;
        default:
            return wp_opts_bad_option(CMD, ch, argv);
        }
    }
    if (o->list_ifaces)
        return -1;
    /* `--color always`: getopt leaves "always" as a word, which would become
     * a BPF filter; say how the value is given instead */
    if (optind < argc && optind > 1 && wp_opts_color(argv[optind]) >= 0 &&
        (strcmp(argv[optind - 1], "--color") == 0 || strcmp(argv[optind - 1], "--colour") == 0))
        return wp_opts_usage_error(CMD, "--color takes its value after '=': --color=%s",
                                   argv[optind]);
    if (o->tflags > 5)
        return wp_opts_usage_error(CMD, "-t can be given at most 5 times (-ttttt)");
    if (optind < argc) {
        if (o->src.bpf)
            return wp_opts_usage_error(CMD, "give the filter either with -f or after the "
                                            "options, not both (extra: '%s')",
                                       argv[optind]);
        if (join_filter(argc, argv, joined) != 0)
            return wp_opts_fail(CMD, "out of memory");
        o->src.bpf = *joined;
    }
    int rc = wp_opts_check_source(CMD, &o->src);
    if (rc)
        return rc;
    if (o->replay && !o->src.file)
        return wp_opts_usage_error(CMD, "--replay paces a saved file: it needs -r FILE");
    if (o->speed_given && !o->replay)
        return wp_opts_usage_error(CMD, "--speed only makes sense with --replay");
    if (o->replay && !o->speed_given)
        o->speed = 1; /* --replay alone: the recorded pace */
    if (o->run_as && !getpwnam(o->run_as))
        /* the same words as when a live capture drops root (-i), with -r too */
        return wp_opts_fail(CMD,
                            "cannot drop root privileges: no user '%s' (give -Z USER with an "
                            "existing unprivileged user, or -Z root to keep root)",
                            o->run_as);
    if (o->wformat && !o->out_path)
        return wp_opts_usage_error(CMD, "--format is the -w file's format: it needs -w FILE");
    if (o->out_path && strcmp(o->out_path, "-") == 0 && o->format >= 0)
        return wp_opts_usage_error(CMD, "-w - writes the capture to standard output, so -o "
                                        "cannot print there too");
    if (o->format < 0 && !o->out_path)
        o->format = WP_OUT_SUMMARY;
    return -1;
}

typedef struct pacer {
    int on;
    double speed;
    int started;
    struct timespec t0;    /* monotonic time of the first packet */
    int64_t ts0_sec;       /* its capture timestamp */
    uint32_t ts0_nsec;
} pacer;

/* Sleep until frame f is due. Returns -1 if interrupted by Ctrl-C. */
static int pace(pacer *p, const wp_frame *f)
{
    if (!p->on)
        return 0;
    if (!p->started) {
        p->started = 1;
        clock_gettime(CLOCK_MONOTONIC, &p->t0);
        p->ts0_sec = f->ts_sec;
        p->ts0_nsec = f->ts_nsec;
        return 0;
    }
    double d = (double)(f->ts_sec - p->ts0_sec) +
               ((double)f->ts_nsec - (double)p->ts0_nsec) / 1e9;
    if (d <= 0)
        return 0; /* a timestamp that goes back in time is shown at once */
    d /= p->speed;
    if (d > 1e9)
        d = 1e9;
    struct timespec due = p->t0;
    double whole = (double)(time_t)d;
    due.tv_sec += (time_t)whole;
    due.tv_nsec += (long)((d - whole) * 1e9);
    if (due.tv_nsec >= 1000000000L) {
        due.tv_sec++;
        due.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR)
        if (wp_opts_stopped())
            return -1;
    return 0;
}

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* Flush stdout's sink; 1 (and a message) if writing failed. */
static int flush_out(wp_sink *s, int printing)
{
    if (!printing)
        return 0;
    if (wp_sink_flush(s) != 0 || s->err) {
        fprintf(stderr, "wirepeel " CMD ": writing to standard output failed: %s\n",
                strerror(s->err ? s->err : EIO));
        return 1;
    }
    return 0;
}

/* Seconds east of UTC of local time at sec (tcpdump prints local time);
 * asked of the C library once per second of capture time. */
static int32_t local_offset(int64_t sec, int64_t *cached_sec, int32_t *cached)
{
    if (sec == *cached_sec)
        return *cached;
    time_t t = (time_t)sec;
    struct tm tm;
    int32_t off = localtime_r(&t, &tm) ? (int32_t)tm.tm_gmtoff : 0;
    *cached_sec = sec;
    *cached = off;
    return off;
}

/* -A: the payload of p as text, tcpdump -A style: printable ASCII, newlines
 * and tabs as they are, everything else as '.'; nothing when there is no
 * payload. */
static void payload_text(wp_sink *out, const wp_packet *p)
{
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->proto != WP_PROTO_PAYLOAD || (l->flags & WP_LF_QUOTED))
            continue;
        uint32_t end = l->off + l->len;
        for (uint32_t k = l->off; k < end && k < p->caplen; k++) {
            uint8_t c = p->data[k];
            wp_sink_putc(out, (char)((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' ? c : '.'));
        }
        wp_sink_putc(out, '\n');
        return;
    }
}

int wp_cli_show(int argc, char **argv)
{
    show_opts o;
    char *joined = NULL;
    int rc = parse(argc, argv, &o, &joined);
    if (rc >= 0) {
        free(joined);
        return rc;
    }

    wp_filter *yf = NULL;
    rc = wp_opts_display_filter(CMD, o.display, &yf);
    if (rc) {
        free(joined);
        return rc;
    }
    wp_capture *cap = NULL;
    wp_dumper *dump = NULL;
    wp_packet *pkt = NULL;
    char *obuf = NULL;
    show_reasm *rs = NULL;
    wp_cli_flow fl = {0};
    wp_flow_ann ann;
    char err[WP_ERRBUF] = "";
    int status = 0;
    const int printing = o.format >= 0;
    wp_sink out;
    wp_renderer *rr = NULL;

    if (o.list_ifaces) {
        char list[16384];
        if (wp_capture_list_ifaces(list, sizeof list, err, sizeof err) != 0)
            return wp_opts_fail(CMD, "%s", err);
        fputs(list, stdout);
        return 0;
    }
    if (o.src.iface)
        o.src.timeout_ms = 100;
    wp_opts_catch_signals();
    if (wp_opts_open_source(CMD, &o.src, &cap) != 0) {
        status = 1;
        goto done;
    }
    const int live = wp_capture_is_live(cap);
    if (o.out_path) {
        int snap = o.src.snaplen ? o.src.snaplen : wp_capture_snaplen(cap);
        dump = wp_dumper_open_as(o.out_path, o.wformat, wp_capture_linktype(cap), snap,
                                 o.src.iface, err, sizeof err);
        if (!dump) {
            status = wp_opts_fail(CMD, "%s", err);
            goto done;
        }
    }
    /* Everything that needs root is open: give it up before the first
     * byte from the wire is decoded. */
    if ((live || o.run_as) && wp_priv_drop(o.run_as, err, sizeof err) != 0) {
        status = wp_opts_fail(CMD, "%s", err);
        goto done;
    }
    pkt = malloc(sizeof *pkt);
    obuf = malloc(OUT_BUF);
    if (!pkt || !obuf) {
        status = wp_opts_fail(CMD, "out of memory");
        goto done;
    }
    wp_sink_init_fd(&out, STDOUT_FILENO, obuf, OUT_BUF);
    wp_render_opts ro = {.color = o.format == WP_OUT_HEX &&
                                  wp_opts_use_color(o.color, STDOUT_FILENO),
                         .absolute_seq = o.absolute_seq,
                         .link_addrs = o.link_addrs,
                         .terse = o.terse};
    /* -t: none; -tt: epoch; -ttt: since the previous packet; -tttt: date
     * and time; -ttttt: since the first packet. The renderer keeps a
     * pointer to tm: it is updated before each frame. */
    static const int tfmt[6] = {WP_TIME_TOD,   WP_TIME_NONE, WP_TIME_EPOCH,
                                WP_TIME_DELTA, WP_TIME_DATE, WP_TIME_DELTA};
    wp_render_time tm = {.fmt = tfmt[o.tflags]};
    ro.time = &tm;
    int64_t off_sec = INT64_MIN;
    int32_t off_val = 0;
    int have_ref = 0;
    /* conversations: for the outputs that show them, and for a -Y that
     * reads them (tcp.stream, tcp.analysis.*) */
    const int flow_out =
        printing && o.format != WP_OUT_HEX && o.format != WP_OUT_STRUCT;
    if (!o.no_flows && (flow_out || wp_filter_uses_flow(yf))) {
        if (wp_cli_flow_open(CMD, &fl, &o.flow) != 0) {
            status = 1;
            goto done;
        }
        if (flow_out)
            ro.flow = &ann;
    }
    pacer pc = {.on = o.replay && o.speed > 0, .speed = o.speed};
    const uint32_t cut = !live && o.src.snaplen > 0 ? (uint32_t)o.src.snaplen : 0;
    if (printing && !(rs = show_reasm_new(&o.src, cut, o.format))) {
        status = 1;
        goto done;
    }
    if (yf)
        show_reasm_quiet(rs);
    uint64_t n = 0, last_flush = 0;
    wp_frame f;
    /* one renderer for the whole stream (its plans are worked out once);
     * it copies ro, so ro is complete by now */
    rr = wp_renderer_new(&ro);
    if (!rr) {
        status = wp_opts_fail(CMD, "out of memory");
        goto done;
    }

    while (!wp_opts_stopped()) {
        int r = wp_capture_next(cap, &f, err, sizeof err);
        if (r == 2) { /* a live read timed out: show what is waiting */
            if (flush_out(&out, printing)) {
                status = 1;
                break;
            }
            continue;
        }
        if (r == 0)
            break;
        if (r < 0) {
            if (flush_out(&out, printing) == 0)
                wp_opts_fail(CMD, "%s", err);
            status = 1;
            break;
        }
        if (cut && f.caplen > cut)
            f.caplen = cut;
        if (pc.on) {
            if (flush_out(&out, printing)) {
                status = 1;
                break;
            }
            if (pace(&pc, &f) != 0)
                break;
        }
        /* the capture's own number, whatever -f and -Y leave out */
        const uint64_t num = wp_capture_frame_number(cap);
        if (printing || yf) {
            wp_decode_with(&f, &o.dopts, pkt);
            /* conversations see every frame -Y leaves out, as tshark's do */
            if (fl.t)
                wp_flow_track(fl.t, pkt, num, &ann);
            const wp_filter_frame ff = {.number = num, .flow = fl.t ? &ann : NULL};
            if (yf && !wp_filter_match(yf, pkt, &ff))
                continue;
        }
        n++;
        if (printing) {
            if (!o.utc)
                tm.utc_offset = local_offset(f.ts_sec, &off_sec, &off_val);
            if (tm.fmt == WP_TIME_DELTA && !have_ref) {
                tm.ref_sec = f.ts_sec;
                tm.ref_nsec = f.ts_nsec;
                have_ref = 1;
            }
            show_reasm_render(rs, rr, &out, o.format, pkt, num);
            if (o.text)
                payload_text(&out, pkt);
            if (o.tflags == 3) { /* -ttt: the next delta counts from this one */
                tm.ref_sec = f.ts_sec;
                tm.ref_nsec = f.ts_nsec;
            }
            if (out.err) {
                flush_out(&out, printing);
                status = 1;
                break;
            }
        }
        if (dump && wp_dumper_write(dump, &f, err, sizeof err) != 0) {
            flush_out(&out, printing);
            status = wp_opts_fail(CMD, "%s", err);
            break;
        }
        if (o.line_buffered && flush_out(&out, printing)) {
            status = 1;
            break;
        }
        if (live) {
            /* Live output should feel line-buffered without a write per
             * packet: flush a burst once it is 10 ms old (a quiet spell ends
             * in a timed-out read, which flushes too). */
            uint64_t t = now_ms();
            if (t - last_flush >= 10) {
                last_flush = t;
                if (flush_out(&out, printing)) {
                    status = 1;
                    break;
                }
                if (dump && wp_dumper_flush(dump, err, sizeof err) != 0) {
                    status = wp_opts_fail(CMD, "%s", err);
                    break;
                }
            }
        }
        if (o.count && n >= (uint64_t)o.count)
            break;
    }
    /* the incomplete datagrams (not with -Y: show_reasm_quiet) */
    if (rs && status == 0)
        show_reasm_end(rs, &out, o.format);
    if (status == 0 && flush_out(&out, printing))
        status = 1;
    /* unanswered requests, on stderr; not with -Y, as the list would name
     * frames -Y left out */
    if (fl.t && status == 0)
        wp_cli_flow_close(&fl, yf ? -1 : o.format);
    if (dump) {
        int drc = wp_dumper_close(dump, err, sizeof err);
        dump = NULL;
        if (drc != 0 && status == 0)
            status = wp_opts_fail(CMD, "%s", err);
    }
    if (live) {
        wp_capture_stats st;
        if (wp_capture_stats_get(cap, &st) == 0)
            fprintf(stderr,
                    "%llu packet%s captured, %llu received by filter, %llu dropped by kernel, "
                    "%llu dropped by interface\n",
                    (unsigned long long)n, n == 1 ? "" : "s", (unsigned long long)st.received,
                    (unsigned long long)st.dropped_kernel,
                    (unsigned long long)st.dropped_iface);
        if (st.counts_twice)
            fprintf(stderr, "(on a loopback interface the kernel counts every packet twice, "
                            "going out and coming in; libpcap keeps the incoming copy)\n");
    }
done:
    if (dump)
        wp_dumper_close(dump, err, sizeof err);
    wp_capture_close(cap);
    show_reasm_free(rs);
    free(pkt);
    free(obuf);
    wp_renderer_free(rr);
    free(joined);
    wp_filter_free(yf);
    wp_cli_flow_free(&fl);
    return status;
}
