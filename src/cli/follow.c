/* wirepeel follow: the bytes each side of one TCP stream (or UDP
 * conversation) sent, in sequence order, both directions interleaved as
 * they became readable, each chunk headed by its direction, frame and
 * relative sequence range; gaps, differing retransmissions and cap cuts as
 * markers outside the data. IP fragments are put back together first, as
 * tshark does, so a fragmented segment counts on the frame completing it.
 *
 * Streams are the conversation tracker's (wirepeel/flow.h): the numbers
 * `flows` and show's JSON flow.stream print, tshark's tcp.stream and
 * udp.stream. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "flowcli.h"
#include "opts.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/filter.h"
#include "wirepeel/flow.h"
#include "wirepeel/reasm.h"
#include "wirepeel/render.h"

#define CMD "follow"

static const char follow_help[] =
    "usage: wirepeel follow -r FILE [--udp] [STREAM | -Y FILTER] [-f BPF]\n"
    "                       [-o ascii|hex|raw|yaml] [--out-prefix P]\n"
    "                       [--stream-cap BYTES] [--total-cap BYTES]\n"
    "\n"
    "Show the bytes each side of a TCP stream sent, the way the programs read them:\n"
    "in sequence order, retransmitted bytes once, both directions interleaved as they\n"
    "were sent, each chunk headed by its direction, frame and relative sequence range.\n"
    "\n"
    "  -r FILE           read a .pcap or .pcapng file\n"
    "  STREAM            the stream number (tshark's tcp.stream, or udp.stream with\n"
    "                    --udp; what `wirepeel show -o json` calls flow.stream);\n"
    "                    default: the first conversation\n"
    "  -f BPF            keep only packets matching the BPF filter; without STREAM,\n"
    "                    the first conversation among them is followed\n"
    "  -Y FILTER         follow the first conversation with a packet that matches the\n"
    "                    display filter (as show -Y; e.g. 'frame contains \"GET\"');\n"
    "                    streams keep their numbers; not with STREAM\n"
    "  --udp             follow a UDP conversation: its datagrams in capture order\n"
    "  -o FORMAT         ascii (default: the bytes as text, non-printable as '.'),\n"
    "                    hex (offsets per direction that never shift), raw (one hex\n"
    "                    line per chunk as tshark prints it; the responder's lines start\n"
    "                    with a tab), yaml (chunks with frame, peer, seq, time, base64)\n"
    "  --out-prefix P    with -o raw: write each direction's bytes exactly to P.client\n"
    "                    (the originator's) and P.server instead\n"
    "  --stream-cap N    keep at most N bytes a direction (default 16777216)\n"
    "  --total-cap N     keep at most N bytes in all (default 33554432)\n"
    "  --flow-max N      conversations the stream numbering keeps at once (default\n"
    "                    65536, as show and flows; fewer use less memory, but a capture\n"
    "                    with more at once is then numbered differently)\n"
    "  -h, --help        this help\n"
    "\n"
    "A gap (bytes the capture never saw) is a marker line, never data: hex offsets\n"
    "stay true after it, and the data after a gap is kept whether or not the other\n"
    "side acknowledged it. A retransmission whose bytes differ from the first copy is\n"
    "kept too, after a note. Exit status: 0 done, 1 a runtime failure (unreadable\n"
    "file, no such stream, a write error), 2 a usage error.\n";

enum { OPT_UDP = 256, OPT_PREFIX, OPT_SCAP, OPT_TCAP, OPT_FLOWMAX };
enum { FMT_ASCII, FMT_HEX, FMT_RAW, FMT_YAML };

typedef struct follow_opts {
    wp_source_opts src;
    int udp;
    long long stream; /* -1: the first */
    int format;
    const char *prefix;
    const char *display; /* -Y: picks the conversation */
    long long stream_cap, total_cap;
    wp_flow_cfg flow;   /* --flow-max */
} follow_opts;

static int parse(int argc, char **argv, follow_opts *o)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"udp", no_argument, NULL, OPT_UDP},
        {"out-prefix", required_argument, NULL, OPT_PREFIX},
        {"stream-cap", required_argument, NULL, OPT_SCAP},
        {"total-cap", required_argument, NULL, OPT_TCAP},
        {"flow-max", required_argument, NULL, OPT_FLOWMAX},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->stream = -1;
    o->format = FMT_ASCII;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":r:f:Y:o:h", longs, NULL)) != -1) {
        switch (ch) {
        case 'r':
            o->src.file = optarg;
            break;
        case 'f':
            o->src.bpf = optarg;
            break;
        case 'Y':
            o->display = optarg;
            break;
        case 'o':
            if (strcmp(optarg, "ascii") == 0)
                o->format = FMT_ASCII;
            else if (strcmp(optarg, "hex") == 0)
                o->format = FMT_HEX;
            else if (strcmp(optarg, "raw") == 0)
                o->format = FMT_RAW;
            else if (strcmp(optarg, "yaml") == 0)
                o->format = FMT_YAML;
            else
                return wp_opts_usage_error(
                    CMD, "unknown output format '%s' (use ascii, hex, raw or yaml)", optarg);
            break;
        case OPT_UDP:
            o->udp = 1;
            break;
        case OPT_PREFIX:
            if (!*optarg)
                return wp_opts_usage_error(CMD, "--out-prefix takes a path prefix");
            o->prefix = optarg;
            break;
        case OPT_SCAP:
        case OPT_TCAP: {
            long long v;
            if (wp_opts_int(optarg, 1, 1LL << 40, &v) != 0)
                return wp_opts_usage_error(CMD, "%s takes a byte count of 1 or more, not '%s'",
                                           ch == OPT_SCAP ? "--stream-cap" : "--total-cap",
                                           optarg);
            if (ch == OPT_SCAP)
                o->stream_cap = v;
            else
                o->total_cap = v;
            break;
        }
        case OPT_FLOWMAX:
            if (wp_cli_flow_max(CMD, optarg, &o->flow) != 0)
                return 2;
            break;
        case 'h':
            fputs(follow_help, stdout);
            return 0;
        case ':':
            return wp_opts_usage_error(CMD, "option '%s' needs a value", argv[optind - 1]);
        default:
            if (optopt)
                return wp_opts_usage_error(CMD, "unknown option '-%c'", optopt);
            return wp_opts_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        long long v;
        if (wp_opts_int(argv[optind], 0, UINT32_MAX, &v) != 0)
            return wp_opts_usage_error(CMD, "STREAM is a stream number (0, 1, ...), not '%s'",
                                       argv[optind]);
        o->stream = v;
        if (optind + 1 < argc)
            return wp_opts_usage_error(CMD, "one STREAM only (extra: '%s')", argv[optind + 1]);
    }
    if (!o->src.file)
        return wp_opts_usage_error(CMD, "follow reads a saved capture: give -r FILE");
    if (o->display && o->stream >= 0)
        return wp_opts_usage_error(CMD, "give STREAM or -Y (which picks the stream), not both");
    if (o->prefix && o->format != FMT_RAW)
        return wp_opts_usage_error(CMD, "--out-prefix writes raw bytes: use it with -o raw");
    return -1;
}

/* The endpoints of one packet. */
typedef struct ends {
    uint8_t v6;
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
} ends;

/* ---- the packet's transport ------------------------------------------- */

typedef struct seg {
    ends e;
    int tcp;               /* 1 TCP, 0 UDP */
    uint32_t seq, ack;
    uint16_t flags;
    const uint8_t *data;   /* captured payload */
    uint32_t len;
    int cut;               /* the header was cut: only the ports count */
} seg;

/* The transport of p that follow looks at: the first IPv4/IPv6 layer (not
 * quoted) and the TCP or UDP right inside it. 1 and *s filled, or 0. */
static int find_seg(const wp_packet *p, seg *s)
{
    memset(s, 0, sizeof *s);
    int ip = -1;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->flags & WP_LF_QUOTED)
            return 0;
        if (ip < 0 && (l->proto == WP_PROTO_IPV4 || l->proto == WP_PROTO_IPV6)) {
            ip = (int)i;
            if (l->proto == WP_PROTO_IPV4) {
                memcpy(s->e.src, l->h.ipv4.src, 4);
                memcpy(s->e.dst, l->h.ipv4.dst, 4);
            } else {
                s->e.v6 = 1;
                memcpy(s->e.src, l->h.ipv6.src, 16);
                memcpy(s->e.dst, l->h.ipv6.dst, 16);
            }
            continue;
        }
        if (ip < 0 || (l->proto != WP_PROTO_TCP && l->proto != WP_PROTO_UDP))
            continue;
        if (l->flags & WP_LF_FRAGMENT)
            return 0; /* the first fragment of a datagram never completed */
        uint32_t start = l->off + l->hdr_len;
        uint32_t end = l->off + l->len;
        if (end > p->caplen)
            end = p->caplen;
        if (start > end)
            start = end;
        s->data = p->data + start;
        s->len = end - start;
        if (l->flags & WP_LF_TRUNCATED) {
            /* a header the capture cut still names its conversation (tshark
             * numbers it), but carries no data, flags or numbers to trust */
            s->tcp = l->proto == WP_PROTO_TCP;
            s->e.sport = s->tcp ? l->h.tcp.sport : l->h.udp.sport;
            s->e.dport = s->tcp ? l->h.tcp.dport : l->h.udp.dport;
            s->len = 0;
            s->cut = 1;
            return 1;
        }
        if (l->proto == WP_PROTO_TCP) {
            s->tcp = 1;
            s->e.sport = l->h.tcp.sport;
            s->e.dport = l->h.tcp.dport;
            s->seq = l->h.tcp.seq;
            s->ack = l->h.tcp.ack;
            s->flags = l->h.tcp.flags;
        } else {
            s->e.sport = l->h.udp.sport;
            s->e.dport = l->h.udp.dport;
        }
        return 1;
    }
    return 0;
}

/* ---- output ----------------------------------------------------------- */

typedef struct outctx {
    FILE *fp;
    int format;
    const char *role[2];
    char host[2][WP_IPV6_STRLEN];
    uint16_t port[2];
    int udp;
} outctx;

static void fmt_addr(const uint8_t *a, int v6, char *out)
{
    if (v6)
        wp_fmt_ipv6(a, out);
    else
        wp_fmt_ipv4(a, out);
}

static void put_ascii(FILE *fp, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = b[i];
        fputc((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' ? c : '.', fp);
    }
    if (n == 0 || b[n - 1] != '\n')
        fputc('\n', fp);
}

/* Lines of 16 bytes: offset (per direction, in the stream), hex in two
 * groups of 8, printable ASCII; the responder's lines start with a tab. */
static void put_hex(FILE *fp, const uint8_t *b, uint32_t n, uint64_t off, int indent)
{
    for (uint32_t i = 0; i < n; i += 16) {
        uint32_t k = n - i < 16 ? n - i : 16;
        fprintf(fp, "%s%08llX  ", indent ? "\t" : "", (unsigned long long)(off + i));
        for (uint32_t j = 0; j < 16; j++) {
            if (j < k)
                fprintf(fp, "%02x ", b[i + j]);
            else
                fputs("   ", fp);
            if (j == 7)
                fputc(' ', fp);
        }
        fputc(' ', fp);
        for (uint32_t j = 0; j < k; j++) {
            uint8_t c = b[i + j];
            fputc(c >= 0x20 && c < 0x7f ? c : '.', fp);
            if (j == 7 && k > 8)
                fputc(' ', fp);
        }
        fputc('\n', fp);
    }
}

static void put_b64(FILE *fp, const uint8_t *b, uint32_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t col = 0;
    fputs("      ", fp);
    for (uint32_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)b[i + 1] << 8;
        if (i + 2 < n)
            v |= b[i + 2];
        char q[4] = {t[v >> 18 & 63], t[v >> 12 & 63], i + 1 < n ? t[v >> 6 & 63] : '=',
                     i + 2 < n ? t[v & 63] : '='};
        fwrite(q, 1, 4, fp);
        col += 4;
        if (col >= 76 && i + 3 < n) {
            fputs("\n      ", fp);
            col = 0;
        }
    }
    fputc('\n', fp);
}

/* The heading of a chunk: direction, frame, relative range, bytes. */
static void heading(const outctx *o, const wp_tcpr_chunk *c)
{
    FILE *fp = o->fp;
    const char *from = o->role[c->dir], *to = o->role[!c->dir];
    unsigned long long lo = (unsigned long long)c->off + 1u;
    unsigned long long hi = (unsigned long long)c->off + c->len;
    switch (c->kind) {
    case WP_TCPR_DATA:
        if (o->udp)
            fprintf(fp, "==> %s -> %s  frame %llu  %u bytes\n", from, to,
                    (unsigned long long)c->frame_first, c->len);
        else
            fprintf(fp, "==> %s -> %s  frame %llu  seq %llu..%llu  %u bytes\n", from, to,
                    (unsigned long long)c->frame_first, lo, hi, c->len);
        break;
    case WP_TCPR_GAP:
        if (c->after_cap)
            fprintf(fp, "[gap] %s -> %s  seq %llu..%llu  %u bytes missing when a cap cut the "
                        "stream (a later copy was not kept)\n",
                    from, to, lo, hi, c->len);
        else
            fprintf(fp, "[gap] %s -> %s  seq %llu..%llu  %u bytes never captured (%s)\n", from,
                    to, lo, hi, c->len,
                    c->acked ? "the other side acknowledged them" : "nobody acknowledged them");
        break;
    case WP_TCPR_DIFFER:
        fprintf(fp,
                "[note] %s -> %s  frame %llu  seq %llu..%llu  %u bytes: a retransmission with "
                "other bytes than the first copy (kept above); this copy:\n",
                from, to, (unsigned long long)c->frame_first, lo, hi, c->len);
        break;
    case WP_TCPR_CAP:
        fprintf(fp, "[cap] %s -> %s  seq %llu: a byte cap cut the stream here; nothing after "
                    "it is kept (--stream-cap, --total-cap)\n",
                from, to, lo);
        break;
    }
}

static void out_head(const outctx *o, unsigned long long stream)
{
    FILE *fp = o->fp;
    if (o->format == FMT_YAML) {
        fputs("peers:\n", fp);
        for (int i = 0; i < 2; i++)
            fprintf(fp, "  - peer: %d\n    role: %s\n    host: %s\n    port: %u\n", i, o->role[i],
                    o->host[i], o->port[i]);
        fputs("packets:\n", fp);
        return;
    }
    if (o->format == FMT_RAW)
        return;
    fprintf(fp, "Follow: %s stream %llu (%s)\n", o->udp ? "udp" : "tcp", stream,
            o->format == FMT_HEX ? "hex" : "ascii");
    for (int i = 0; i < 2; i++)
        fprintf(fp, "Node %d (%s): %s%s%s:%u\n", i, o->role[i], strchr(o->host[i], ':') ? "[" : "",
                o->host[i], strchr(o->host[i], ':') ? "]" : "", o->port[i]);
}

static void out_chunk(const outctx *o, const wp_tcpr_log *log, const wp_tcpr_chunk *c)
{
    FILE *fp = o->fp;
    const uint8_t *b = wp_tcpr_bytes(log, c);
    switch (o->format) {
    case FMT_RAW:
        if (c->kind != WP_TCPR_DATA || !b)
            return;
        if (c->dir)
            fputc('\t', fp);
        for (uint32_t i = 0; i < c->len; i++)
            fprintf(fp, "%02x", b[i]);
        fputc('\n', fp);
        return;
    case FMT_YAML: {
        static const char *const kinds[] = {"data", "gap", "differing_retransmission", "cap"};
        fprintf(fp, "  - packet: %llu\n    peer: %u\n    kind: %s\n",
                (unsigned long long)c->frame_first, c->dir, kinds[c->kind & 3u]);
        if (!o->udp)
            fprintf(fp, "    seq: %llu\n", (unsigned long long)c->off + 1u);
        fprintf(fp, "    len: %u\n", c->len);
        if (c->kind == WP_TCPR_GAP)
            fprintf(fp, "    acked: %s\n", c->acked ? "true" : "false");
        if (c->kind == WP_TCPR_GAP && c->after_cap)
            fprintf(fp, "    after_cap: true\n");
        fprintf(fp, "    timestamp: %lld.%09u\n", (long long)c->ts_sec, c->ts_nsec);
        if (b) {
            fputs("    data: !!binary |\n", fp);
            put_b64(fp, b, c->len);
        }
        return;
    }
    default:
        heading(o, c);
        if (!b)
            return;
        if (o->format == FMT_HEX)
            put_hex(fp, b, c->len, c->off, c->dir);
        else
            put_ascii(fp, b, c->len);
    }
}

/* ---- the run ---------------------------------------------------------- */

typedef struct run {
    follow_opts *o;
    wp_flow *flow;
    wp_ipr *ipr;
    wp_packet *pkt, *dg;
    wp_tcpr_log log;
    wp_tcpr_dir dir[2];
    int found;
    uint32_t stream;
    ends who[2];           /* originator, responder */
    uint32_t key_stream;   /* the stream the tracker last gave these endpoints */
    uint64_t frames;
} run;

/* 0 when s runs from who[0] to who[1], 1 the other way, -1 neither. */
static int direction(const run *r, const ends *e)
{
    for (int d = 0; d < 2; d++) {
        const ends *w = &r->who[d];
        if (w->v6 == e->v6 && memcmp(w->src, e->src, 16) == 0 &&
            memcmp(w->dst, e->dst, 16) == 0 && w->sport == e->sport && w->dport == e->dport)
            return d;
    }
    return -1;
}

/* Frame n: its tracker annotation a, and the packet whose transport carries
 * its data (the frame, or the datagram it completed; NULL: none). */
/* pick: the frame may choose the stream (-Y matched it, or there is no -Y). */
static void feed(run *r, const wp_flow_ann *a, const wp_packet *tp, uint64_t frame, int pick)
{
    const unsigned want = r->o->udp ? WP_FLOW_UDP : WP_FLOW_TCP;
    const int frame_counts = a->kind == want && !(a->events & WP_FLOW_EV_QUOTED);
    if (!r->found) {
        if (!pick || !frame_counts ||
            (r->o->stream >= 0 && (long long)a->stream != r->o->stream))
            return;
        wp_flow_conv c;
        if (wp_flow_conv_get(r->flow, (wp_flow_kind)want, a->stream, &c) != 0)
            return;
        r->found = 1;
        r->stream = a->stream;
        for (int d = 0; d < 2; d++) {
            ends *w = &r->who[d];
            w->v6 = c.v6;
            memcpy(w->src, c.addr[d], 16);
            memcpy(w->dst, c.addr[!d], 16);
            w->sport = c.port[d];
            w->dport = c.port[!d];
        }
        r->key_stream = a->stream;
    }
    seg s;
    int have = tp && find_seg(tp, &s) && s.tcp == !r->o->udp;
    int d = have ? direction(r, &s.e) : -1;
    if (frame_counts && a->stream == r->stream)
        r->frames++;
    if (d >= 0 && frame_counts)
        r->key_stream = a->stream; /* port reuse: the tracker says which stream */
    if (d < 0 || r->key_stream != r->stream || s.cut)
        return;
    if (!s.tcp) {
        wp_tcpr_datagram(&r->log, &r->dir[d], s.data, s.len, frame, tp->ts_sec, tp->ts_nsec);
        return;
    }
    wp_tcpr_segment(&r->log, &r->dir[d], s.seq, (s.flags & 0x02u) != 0, s.data, s.len, frame,
                    tp->ts_sec, tp->ts_nsec);
    if (s.flags & 0x10u)
        wp_tcpr_ack(&r->log, &r->dir[!d], s.ack);
}

static int write_file(const char *prefix, const char *suffix, const wp_tcpr_log *log, unsigned dir,
                      unsigned long long *bytes)
{
    size_t n = strlen(prefix) + strlen(suffix) + 1;
    char *path = malloc(n);
    if (!path)
        return wp_opts_fail(CMD, "out of memory");
    snprintf(path, n, "%s%s", prefix, suffix);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        int rc = wp_opts_fail(CMD, "cannot write %s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    *bytes = 0;
    for (uint32_t i = 0; i < log->nchunks; i++) {
        const wp_tcpr_chunk *c = &log->chunks[i];
        const uint8_t *b = wp_tcpr_bytes(log, c);
        if (c->dir != dir || c->kind != WP_TCPR_DATA || !b)
            continue;
        fwrite(b, 1, c->len, fp);
        *bytes += c->len;
    }
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        int rc = wp_opts_fail(CMD, "writing %s failed: %s", path, strerror(errno ? errno : EIO));
        free(path);
        return rc;
    }
    free(path);
    return 0;
}

int wp_cli_follow(int argc, char **argv)
{
    follow_opts o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;

    run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    wp_capture *cap = NULL;
    char err[WP_ERRBUF] = "";
    int status = 0;
    wp_filter *yf = NULL;
    rc = wp_opts_display_filter(CMD, o.display, &yf);
    if (rc)
        return rc;
    wp_opts_catch_signals();
    r.flow = wp_flow_new(&o.flow);
    r.pkt = malloc(sizeof *r.pkt);
    r.dg = malloc(sizeof *r.dg);
    r.ipr = wp_ipr_new(NULL);
    if (!r.flow || !r.pkt || !r.dg || !r.ipr ||
        wp_tcpr_log_init(&r.log, (uint64_t)o.stream_cap, (uint64_t)o.total_cap, 0) != 0) {
        status = wp_opts_fail(CMD, "out of memory");
        goto done;
    }
    wp_tcpr_dir_init(&r.dir[0], 0);
    wp_tcpr_dir_init(&r.dir[1], 1);
    if (wp_opts_open_source(CMD, &o.src, &cap) != 0) {
        status = 1;
        goto done;
    }
    uint64_t n = 0;
    wp_frame f;
    while (!wp_opts_stopped()) {
        int rr = wp_capture_next(cap, &f, err, sizeof err);
        if (rr == 0)
            break;
        if (rr < 0) {
            status = wp_opts_fail(CMD, "%s", err);
            goto done;
        }
        if (rr == 2)
            continue;
        n = wp_capture_frame_number(cap); /* as show numbers frames, whatever -f leaves out */
        wp_decode(&f, r.pkt);
        wp_flow_ann ann;
        wp_flow_track(r.flow, r.pkt, n, &ann);
        wp_ipr_result ir;
        wp_ipr_feed(r.ipr, r.pkt, n, &ir);
        wp_ipr_expired(r.ipr, 0, NULL, NULL);
        const wp_packet *tp = NULL;
        if (ir.status == WP_IPR_COMPLETE) {
            wp_frame g = {.ts_sec = f.ts_sec, .ts_nsec = f.ts_nsec, .caplen = ir.len,
                          .len = ir.len, .linktype = WP_LINK_RAW, .data = ir.bytes};
            wp_decode(&g, r.dg);
            tp = r.dg;
        } else if (ir.status == WP_IPR_NOT_FRAGMENT) {
            tp = r.pkt;
        }
        int pick = 1;
        if (yf && !r.found) {
            /* the frame as captured, as show -Y tests it: the conversation
             * it picks is the frame's own (the tracker's) */
            const wp_filter_frame ff = {.number = n, .flow = &ann};
            pick = wp_filter_match(yf, r.pkt, &ff);
        }
        feed(&r, &ann, tp, n, pick);
    }
    if (!r.found) {
        if (o.stream >= 0)
            status = wp_opts_fail(CMD, "no %s stream %lld in %s (streams are numbered from 0; "
                                       "wirepeel show -o json names each frame's)",
                                  o.udp ? "UDP" : "TCP", o.stream, o.src.file);
        else
            status = wp_opts_fail(CMD, "no %s conversation in %s%s", o.udp ? "UDP" : "TCP",
                                  o.src.file,
                                  o.src.bpf || o.display ? " that matches the filter" : "");
        goto done;
    }
    wp_tcpr_finish(&r.log, &r.dir[0]);
    wp_tcpr_finish(&r.log, &r.dir[1]);

    if (o.prefix) {
        unsigned long long b0 = 0, b1 = 0;
        status = write_file(o.prefix, ".client", &r.log, 0, &b0);
        if (!status)
            status = write_file(o.prefix, ".server", &r.log, 1, &b1);
        if (!status)
            fprintf(stderr, "wirepeel " CMD ": %s stream %u: %s.client %llu bytes, %s.server "
                            "%llu bytes\n",
                    o.udp ? "udp" : "tcp", r.stream, o.prefix, b0, o.prefix, b1);
        goto done;
    }
    outctx oc = {.fp = stdout, .format = o.format, .role = {"client", "server"}, .udp = o.udp};
    for (int i = 0; i < 2; i++) {
        fmt_addr(r.who[i].src, r.who[i].v6, oc.host[i]);
        oc.port[i] = r.who[i].sport;
    }
    out_head(&oc, r.stream);
    unsigned long long sent[2] = {0, 0};
    for (uint32_t i = 0; i < r.log.nchunks; i++) {
        const wp_tcpr_chunk *c = &r.log.chunks[i];
        if (c->kind == WP_TCPR_DATA)
            sent[c->dir] += c->len;
        out_chunk(&oc, &r.log, c);
    }
    if (o.format == FMT_ASCII || o.format == FMT_HEX)
        fprintf(stdout, "End: client sent %llu bytes, server sent %llu bytes (%llu frames)\n",
                sent[0], sent[1], (unsigned long long)r.frames);
    if (fflush(stdout) != 0 || ferror(stdout))
        status = wp_opts_fail(CMD, "writing to standard output failed: %s",
                              strerror(errno ? errno : EIO));
done:
    wp_capture_close(cap);
    wp_tcpr_log_free(&r.log);
    wp_ipr_free(r.ipr);
    wp_flow_free(r.flow);
    wp_filter_free(yf);
    free(r.pkt);
    free(r.dg);
    return status;
}
