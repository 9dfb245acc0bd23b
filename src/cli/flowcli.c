/* The conversation tracker in the CLI: show's annotations and closing list
 * of unanswered requests, and `wirepeel flows`, the conversation table (tshark
 * -z conv and Zeek's conn.log together). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "flowcli.h"
#include "opts.h"
#include "show_reasm.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/filter.h"
#include "wirepeel/privdrop.h"

int wp_cli_flow_max(const char *cmd, const char *arg, wp_flow_cfg *cfg)
{
    long long v;
    if (wp_opts_int(arg, 1, WP_FLOW_MAX_CONVS, &v) != 0)
        return wp_opts_usage_error(cmd, "--flow-max takes a number of conversations from 1 to "
                                        "%u, not '%s'",
                                   WP_FLOW_MAX_CONVS, arg);
    cfg->max_convs = (uint32_t)v;
    return 0;
}

int wp_cli_flow_idle(const char *cmd, const char *arg, wp_flow_cfg *cfg)
{
    long long v;
    if (wp_opts_int(arg, 1, 100000000, &v) != 0)
        return wp_opts_usage_error(cmd, "--flow-idle takes seconds from 1 to 100000000, not '%s'",
                                   arg);
    cfg->idle_timeout_s = (uint32_t)v;
    return 0;
}

/* show keeps only the WP_CLI_UNANSWERED_SHOW earliest (by frame) in a
 * max-heap, so that a flood of one-way datagrams costs no memory */
static void heap_down(wp_flow_unanswered *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && h[l].frame > h[m].frame)
            m = l;
        if (r < n && h[r].frame > h[m].frame)
            m = r;
        if (m == i)
            return;
        wp_flow_unanswered x = h[i];
        h[i] = h[m];
        h[m] = x;
        i = m;
    }
}

static void keep_earliest(wp_cli_flow *f, const wp_flow_unanswered *u)
{
    if (f->nun < f->capun) {
        size_t i = f->nun++;
        f->un[i] = *u;
        while (i > 0 && f->un[(i - 1) / 2].frame < f->un[i].frame) {
            wp_flow_unanswered x = f->un[i];
            f->un[i] = f->un[(i - 1) / 2];
            f->un[(i - 1) / 2] = x;
            i = (i - 1) / 2;
        }
        return;
    }
    f->more++;
    if (f->capun && u->frame < f->un[0].frame) {
        f->un[0] = *u;
        heap_down(f->un, f->nun, 0);
    }
}

static void note_unanswered(void *ctx, const wp_flow_unanswered *u)
{
    wp_cli_flow *f = ctx;
    if (f->earliest) {
        keep_earliest(f, u);
        return;
    }
    if (f->nun == f->capun) {
        size_t nc = f->capun ? f->capun * 2 : 256;
        if (nc > WP_CLI_UNANSWERED_MAX)
            nc = WP_CLI_UNANSWERED_MAX;
        wp_flow_unanswered *g = nc > f->capun ? realloc(f->un, nc * sizeof *g) : NULL;
        if (!g) {
            f->more++;
            return;
        }
        f->un = g;
        f->capun = nc;
    }
    f->un[f->nun++] = *u;
}

int wp_cli_flow_open(const char *cmd, wp_cli_flow *f, const wp_flow_cfg *cfg)
{
    memset(f, 0, sizeof *f);
    wp_flow_cfg c = *cfg;
    c.ctx = f;
    c.on_unanswered = note_unanswered;
    f->t = wp_flow_new(&c);
    f->earliest = 1;
    f->un = malloc(WP_CLI_UNANSWERED_SHOW * sizeof *f->un);
    f->capun = f->un ? WP_CLI_UNANSWERED_SHOW : 0;
    if (!f->t)
        return wp_opts_fail(cmd, "out of memory for %u conversations (try a smaller --flow-max)",
                            c.max_convs ? c.max_convs : WP_FLOW_DEFAULT_CONVS);
    return 0;
}

static int by_frame(const void *a, const void *b)
{
    const wp_flow_unanswered *x = a, *y = b;
    return x->frame < y->frame ? -1 : x->frame > y->frame;
}

/* Sort the list by frame: an LSD radix sort, 16 bits a pass, only as many
 * passes as the largest frame number needs (one or two for most captures);
 * a flood of one-way datagrams makes the list long. 0, or -1 when out of
 * memory (the list stays as it came). */
static int sort_by_frame(wp_cli_flow *f)
{
    uint64_t max = 0;
    int sorted = 1;
    for (size_t i = 0; i < f->nun; i++) {
        if (f->un[i].frame > max)
            max = f->un[i].frame;
        if (i && f->un[i].frame < f->un[i - 1].frame)
            sorted = 0;
    }
    if (sorted)
        return 0;
    wp_flow_unanswered *tmp = malloc(f->nun * sizeof *tmp);
    size_t *count = malloc(65537 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    wp_flow_unanswered *from = f->un, *to = tmp;
    for (unsigned shift = 0; shift < 64 && (max >> shift) != 0; shift += 16) {
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < f->nun; i++)
            count[((from[i].frame >> shift) & 0xffff) + 1]++;
        for (size_t d = 1; d <= 65536; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < f->nun; i++)
            to[count[(from[i].frame >> shift) & 0xffff]++] = from[i];
        wp_flow_unanswered *x = from;
        from = to;
        to = x;
    }
    if (from != f->un)
        memcpy(f->un, from, f->nun * sizeof *f->un);
    free(tmp);
    free(count);
    return 0;
}

/* "3 requests got no reply:" and a line each for the first `show` of them
 * by frame number, into s */
static void list_unanswered(wp_cli_flow *f, wp_sink *s, size_t show)
{
    if (f->nun == 0 && f->more == 0)
        return;
    if (sort_by_frame(f) != 0)
        qsort(f->un, f->nun, sizeof *f->un, by_frame);
    uint64_t total = f->nun + f->more;
    wp_sink_u64(s, total);
    wp_sink_puts(s, total == 1 ? " request got no reply:\n" : " requests got no reply:\n");
    size_t n = f->nun < show ? f->nun : show;
    for (size_t i = 0; i < n; i++) {
        const wp_flow_unanswered *u = &f->un[i];
        wp_sink_puts(s, "  #");
        wp_sink_u64(s, u->frame);
        wp_sink_putc(s, ' ');
        wp_sink_puts(s, wp_flow_kind_name(u->kind, "-"));
        wp_sink_putc(s, ' ');
        wp_sink_u64(s, u->stream);
        if (u->kind == WP_FLOW_ICMP || u->kind == WP_FLOW_ICMPV6) {
            wp_sink_puts(s, " seq ");
            wp_sink_u64(s, u->key);
        }
        wp_sink_puts(s, ": no reply\n");
    }
    if (total > n) {
        wp_sink_puts(s, "  (");
        wp_sink_u64(s, total - n);
        wp_sink_puts(s, " more; wirepeel flows counts them per conversation)\n");
    }
}

void wp_cli_flow_close(wp_cli_flow *f, int format)
{
    if (!f->t)
        return;
    wp_flow_finish(f->t);
    if (format != WP_OUT_SUMMARY && format != WP_OUT_LAYERS)
        return;
    char *buf = malloc(1u << 16);
    if (!buf)
        return;
    wp_sink s;
    wp_sink_init_fd(&s, STDERR_FILENO, buf, 1u << 16);
    list_unanswered(f, &s, WP_CLI_UNANSWERED_SHOW);
    wp_sink_flush(&s);
    free(buf);
}

void wp_cli_flow_free(wp_cli_flow *f)
{
    wp_flow_free(f->t);
    free(f->un);
    memset(f, 0, sizeof *f);
}

/* ---- wirepeel flows ------------------------------------------------------ */

#define CMD "flows"
#define FLOWS_ROWS_MAX 2000000u

static const char flows_help[] =
    "usage: wirepeel flows [-r FILE | -i IFACE] [-f BPF] [-Y FILTER] [-o table|json] [-c N]\n"
    "                      [--flow-max N] [--flow-idle S] [-Z USER]\n"
    "\n"
    "The conversation table of a capture: one row per TCP connection, UDP\n"
    "conversation and ICMP echo conversation, in the order they started (as\n"
    "tshark numbers tcp.stream and udp.stream), with packets and bytes each way,\n"
    "start and duration, the round-trip time, Zeek's history letters and\n"
    "connection state, TCP retransmissions and the requests that got no reply.\n"
    "\n"
    "  -r FILE         read a .pcap or .pcapng file\n"
    "  -i IFACE        capture live (root or CAP_NET_RAW); Ctrl-C ends the capture\n"
    "                  and prints the table\n"
    "  -f BPF          only packets matching the BPF filter (tcpdump syntax)\n"
    "  -Y FILTER       only packets the display filter selects (wirepeel(1), DISPLAY\n"
    "                  FILTERS; not the conversation fields), as tshark -z conv,tcp,FILTER\n"
    "  -c N            stop after N packets\n"
    "  -o FORMAT       table (default) or json (one object a conversation a line)\n"
    "  --flow-max N    keep at most N conversations at once (default 16384): when a new\n"
    "                  one needs room, the least recently active of 8 is retired early\n"
    "                  into the table, marked\n"
    "  --flow-idle S   retire a conversation silent for S seconds of capture time\n"
    "                  (default 3600)\n"
    "  -Z USER         with -i as root: run as USER (default nobody) once the\n"
    "                  interface is open\n"
    "  -h, --help      this help\n"
    "\n"
    "Columns: the originator (the SYN sender, else the first sender) and responder;\n"
    "frames and wire bytes each way (->: originator to responder); start (seconds\n"
    "after the first packet) and duration; rtt: TCP's handshake RTT (SYN to the\n"
    "ACK of the SYN-ACK), for UDP and ICMP the mean request-to-reply time; history\n"
    "(upper case originator, lower case responder: S syn, H syn-ack, A pure ack,\n"
    "D data, F fin, R rst, T retransmitted data, W zero window, G gap, C bad\n"
    "checksum, ^ originator found from a SYN-ACK); state (S0 no reply, S1\n"
    "established, SF closed normally, REJ rejected, S2/S3 only one side closed,\n"
    "RSTO/RSTR reset by originator/responder, RSTOS0, RSTRH, SH, SHR, OTH no SYN\n"
    "seen; UDP and ICMP: SF both ways, S0 one way); rexmt; no-reply.\n"
    "Exit status: 0 done, 1 a runtime failure, 2 a usage error.\n";

typedef struct flows_ctx {
    wp_flow_conv *rows;
    size_t n, cap;
    uint64_t dropped;
    wp_cli_flow un; /* only its unanswered list is used */
} flows_ctx;

static void keep_row(void *ctx, const wp_flow_conv *c)
{
    flows_ctx *x = ctx;
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 1024;
        if (nc > FLOWS_ROWS_MAX)
            nc = FLOWS_ROWS_MAX;
        wp_flow_conv *g = nc > x->cap ? realloc(x->rows, nc * sizeof *g) : NULL;
        if (!g) {
            x->dropped++;
            return;
        }
        x->rows = g;
        x->cap = nc;
    }
    x->rows[x->n++] = *c;
}

static void keep_unanswered(void *ctx, const wp_flow_unanswered *u)
{
    flows_ctx *x = ctx;
    note_unanswered(&x->un, u);
}

static int by_stream(const void *a, const void *b)
{
    const wp_flow_conv *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static void endpoint(char *out, size_t n, const wp_flow_conv *c, int side)
{
    char a[WP_IPV6_STRLEN];
    if (c->v6)
        wp_fmt_ipv6(c->addr[side], a);
    else
        wp_fmt_ipv4(c->addr[side], a);
    if (c->kind == WP_FLOW_TCP || c->kind == WP_FLOW_UDP)
        snprintf(out, n, c->v6 ? "[%s]:%u" : "%s:%u", a, c->port[side]);
    else
        snprintf(out, n, "%s", a);
}

static double secs(int64_t s, uint32_t ns)
{
    return (double)s + (double)ns / 1e9;
}

static double rtt_ms(const wp_flow_conv *c)
{
    if (c->kind == WP_FLOW_TCP)
        return c->irtt_ns ? (double)c->irtt_ns / 1e6 : -1;
    return c->replies ? (double)c->rtt_sum_ns / (double)c->replies / 1e6 : -1;
}

static const char *proto_name(unsigned k)
{
    return k == WP_FLOW_TCP ? "tcp" : k == WP_FLOW_UDP ? "udp" : k == WP_FLOW_ICMP ? "icmp"
                                                                                   : "icmpv6";
}

static void print_table(FILE *out, flows_ctx *x, int64_t s0, uint32_t ns0)
{
    /* the address columns as wide as their widest entry */
    int w = (int)strlen("originator");
    for (size_t i = 0; i < x->n; i++) {
        char e[64];
        for (int side = 0; side < 2; side++) {
            endpoint(e, sizeof e, &x->rows[i], side);
            if ((int)strlen(e) > w)
                w = (int)strlen(e);
        }
    }
    fprintf(out, "%-6s %6s  %-*s %-*s %9s %10s %9s %10s %10s %10s %9s  %-12s %-6s %5s %8s\n",
            "proto", "stream", w, "originator", w, "responder", "-> frames", "bytes",
            "<- frames", "bytes", "start", "duration", "rtt ms", "history", "state", "rexmt",
            "no-reply");
    for (size_t i = 0; i < x->n; i++) {
        const wp_flow_conv *c = &x->rows[i];
        char a[64], b[64], r[32];
        endpoint(a, sizeof a, c, 0);
        endpoint(b, sizeof b, c, 1);
        double rt = rtt_ms(c);
        if (rt < 0)
            snprintf(r, sizeof r, "-");
        else
            snprintf(r, sizeof r, "%.3f", rt);
        double st = secs(c->first_sec, c->first_nsec) - secs(s0, ns0);
        double du = secs(c->last_sec, c->last_nsec) - secs(c->first_sec, c->first_nsec);
        fprintf(out,
                "%-6s %6u  %-*s %-*s %9llu %10llu %9llu %10llu %10.6f %10.6f %9s  %-12s %-6s "
                "%5llu %8llu%s\n",
                proto_name(c->kind), c->stream, w, a, w, b, (unsigned long long)c->packets[0],
                (unsigned long long)c->bytes[0], (unsigned long long)c->packets[1],
                (unsigned long long)c->bytes[1], st, du, r,
                c->history[0] ? c->history : "-", wp_flow_state_name(c->state),
                (unsigned long long)c->retransmissions, (unsigned long long)c->unanswered,
                c->evicted == 1 ? "  (evicted: pool full)"
                : c->evicted == 2 ? "  (expired idle)"
                                  : "");
    }
    if (x->dropped)
        fprintf(out, "(%llu more conversations not kept: out of memory)\n",
                (unsigned long long)x->dropped);
}

static void print_json(FILE *out, flows_ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const wp_flow_conv *c = &x->rows[i];
        char a[WP_IPV6_STRLEN], b[WP_IPV6_STRLEN], ts[WP_TS_STRLEN];
        if (c->v6) {
            wp_fmt_ipv6(c->addr[0], a);
            wp_fmt_ipv6(c->addr[1], b);
        } else {
            wp_fmt_ipv4(c->addr[0], a);
            wp_fmt_ipv4(c->addr[1], b);
        }
        wp_fmt_ts(c->first_sec, c->first_nsec, 6, ts);
        double du = secs(c->last_sec, c->last_nsec) - secs(c->first_sec, c->first_nsec);
        fprintf(out, "{\"proto\":\"%s\",\"stream\":%u,\"orig_addr\":\"%s\",\"resp_addr\":\"%s\"",
                proto_name(c->kind), c->stream, a, b);
        if (c->kind == WP_FLOW_TCP || c->kind == WP_FLOW_UDP)
            fprintf(out, ",\"orig_port\":%u,\"resp_port\":%u", c->port[0], c->port[1]);
        else
            fprintf(out, ",\"echo_id\":%u", c->port[0]);
        fprintf(out,
                ",\"orig_pkts\":%llu,\"orig_bytes\":%llu,\"resp_pkts\":%llu,\"resp_bytes\":%llu,"
                "\"start\":\"%s\",\"first_frame\":%llu,\"last_frame\":%llu,\"duration\":%.6f",
                (unsigned long long)c->packets[0], (unsigned long long)c->bytes[0],
                (unsigned long long)c->packets[1], (unsigned long long)c->bytes[1], ts,
                (unsigned long long)c->first_frame, (unsigned long long)c->last_frame, du);
        double rt = rtt_ms(c);
        if (rt < 0)
            fputs(",\"rtt_ms\":null", out);
        else
            fprintf(out, ",\"rtt_ms\":%.3f", rt);
        fprintf(out,
                ",\"history\":\"%s\",\"state\":\"%s\",\"retransmissions\":%llu,"
                "\"requests\":%llu,\"replies\":%llu,\"unanswered\":%llu,\"retired\":\"%s\"}\n",
                c->history, wp_flow_state_name(c->state), (unsigned long long)c->retransmissions,
                (unsigned long long)c->requests, (unsigned long long)c->replies,
                (unsigned long long)c->unanswered,
                c->evicted == 1 ? "evicted" : c->evicted == 2 ? "idle" : "end");
    }
}

enum { OPT_FLOWMAX = 256, OPT_FLOWIDLE };

int wp_cli_flows(int argc, char **argv)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"flow-max", required_argument, NULL, OPT_FLOWMAX},
        {"flow-idle", required_argument, NULL, OPT_FLOWIDLE},
        {NULL, 0, NULL, 0},
    };
    wp_source_opts src;
    wp_flow_cfg cfg;
    memset(&src, 0, sizeof src);
    memset(&cfg, 0, sizeof cfg);
    int json = 0;
    long long count = 0, v;
    const char *run_as = NULL;
    const char *display = NULL;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":r:i:f:Y:c:o:Z:nh", longs, NULL)) != -1) {
        switch (ch) {
        case 'r':
            src.file = optarg;
            break;
        case 'i':
            src.iface = optarg;
            break;
        case 'f':
            src.bpf = optarg;
            break;
        case 'Y':
            display = optarg;
            break;
        case 'c':
            if (wp_opts_int(optarg, 1, INT64_MAX, &v) != 0)
                return wp_opts_usage_error(CMD, "-c takes a packet count of 1 or more, not '%s'",
                                           optarg);
            count = v;
            break;
        case 'o':
            if (strcmp(optarg, "table") == 0)
                json = 0;
            else if (strcmp(optarg, "json") == 0)
                json = 1;
            else
                return wp_opts_usage_error(CMD, "-o takes table or json, not '%s'", optarg);
            break;
        case 'Z':
            if (!*optarg)
                return wp_opts_usage_error(CMD, "-Z takes a user name (nobody, or root to "
                                                "keep root)");
            run_as = optarg;
            break;
        case 'n':
            break;
        case OPT_FLOWMAX:
            if (wp_cli_flow_max(CMD, optarg, &cfg) != 0)
                return 2;
            break;
        case OPT_FLOWIDLE:
            if (wp_cli_flow_idle(CMD, optarg, &cfg) != 0)
                return 2;
            break;
        case 'h':
            fputs(flows_help, stdout);
            return 0;
        case ':':
            return wp_opts_usage_error(CMD, "option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt)
                return wp_opts_usage_error(CMD, "unknown option '-%c'", optopt);
            return wp_opts_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return wp_opts_usage_error(CMD, "unexpected argument '%s' (give a filter with -f)",
                                   argv[optind]);
    int rc = wp_opts_check_source(CMD, &src);
    if (rc)
        return rc;
    wp_filter *yf = NULL;
    rc = wp_opts_display_filter(CMD, display, &yf);
    if (rc)
        return rc;
    if (wp_filter_uses_flow(yf)) {
        wp_filter_free(yf);
        return wp_opts_usage_error(CMD, "-Y selects the packets the conversations are made "
                                        "of: it cannot test conversation fields (tcp.stream, "
                                        "tcp.analysis.*, flow.*)");
    }

    flows_ctx x;
    memset(&x, 0, sizeof x);
    cfg.ctx = &x;
    cfg.on_retire = keep_row;
    cfg.on_unanswered = keep_unanswered;
    wp_capture *cap = NULL;
    wp_flow *t = NULL;
    wp_packet *pkt = NULL;
    wp_cli_incomplete inc = {0};
    char err[WP_ERRBUF] = "";
    int status = 0;
    if (src.iface)
        src.timeout_ms = 100;
    wp_opts_catch_signals();
    if (wp_opts_open_source(CMD, &src, &cap) != 0) {
        status = 1;
        goto done;
    }
    if (wp_capture_is_live(cap) && wp_priv_drop(run_as, err, sizeof err) != 0) {
        status = wp_opts_fail(CMD, "%s", err);
        goto done;
    }
    t = wp_flow_new(&cfg);
    pkt = malloc(sizeof *pkt);
    if (wp_cli_incomplete_open(&inc) != 0) {
        status = 1;
        goto done;
    }
    if (!t || !pkt) {
        status = wp_opts_fail(CMD, "out of memory (try a smaller --flow-max)");
        goto done;
    }
    uint64_t n = 0;
    int64_t s0 = 0;
    uint32_t ns0 = 0;
    wp_frame f;
    wp_flow_ann ann;
    while (!wp_opts_stopped()) {
        int r = wp_capture_next(cap, &f, err, sizeof err);
        if (r == 2)
            continue;
        if (r == 0)
            break;
        if (r < 0) {
            status = wp_opts_fail(CMD, "%s", err);
            break;
        }
        wp_decode(&f, pkt);
        /* the capture's own number, whatever -f and -Y leave out */
        const wp_filter_frame ff = {.number = wp_capture_frame_number(cap)};
        if (yf && !wp_filter_match(yf, pkt, &ff))
            continue;
        if (n++ == 0) {
            s0 = f.ts_sec;
            ns0 = f.ts_nsec;
        }
        wp_flow_track(t, pkt, ff.number, &ann);
        wp_cli_incomplete_feed(&inc, pkt, ff.number);
        if (count && n >= (uint64_t)count)
            break;
    }
    wp_flow_finish(t);
    if (x.n > 1)
        qsort(x.rows, x.n, sizeof *x.rows, by_stream);
    if (json) {
        print_json(stdout, &x);
    } else {
        print_table(stdout, &x, s0, ns0);
        if (x.un.nun || x.un.more) {
            char *buf = malloc(1u << 16);
            if (buf) {
                wp_sink s;
                wp_sink_init_fd(&s, STDOUT_FILENO, buf, 1u << 16);
                fflush(stdout);
                list_unanswered(&x.un, &s, (size_t)-1);
                wp_sink_flush(&s);
                free(buf);
            }
        }
    }
    /* IP datagrams that never completed: after the table, or on stderr
     * next to JSON */
    fflush(stdout);
    wp_cli_incomplete_close(&inc, json ? stderr : stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "wirepeel " CMD ": writing to standard output failed\n");
        status = 1;
    }
done:
    wp_capture_close(cap);
    wp_cli_incomplete_free(&inc);
    wp_flow_free(t);
    wp_filter_free(yf);
    free(pkt);
    free(x.rows);
    free(x.un.un);
    return status;
}
