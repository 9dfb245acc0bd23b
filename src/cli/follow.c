/* wirepeel follow: the bytes each side of one TCP stream (or UDP
 * conversation) sent, in sequence order, both directions interleaved as
 * they became readable, each chunk headed by its direction, frame and
 * relative sequence range; gaps, differing retransmissions and cap cuts as
 * markers outside the data. IP fragments are put back together first, as
 * tshark does, so a fragmented segment counts on the frame completing it.
 *
 * Streams are numbered here the way tshark numbers tcp.stream and
 * udp.stream (by first appearance; a SYN with a new initial sequence number
 * on the ports of a known conversation starts a new one), by a small local
 * table until the conversation module provides the numbering. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/reasm.h"
#include "wirepeel/render.h"

#define CMD "follow"

static const char follow_help[] =
    "usage: wirepeel follow -r FILE [--udp] [STREAM | -f BPF] [-o ascii|hex|raw|yaml]\n"
    "                       [--out-prefix P] [--stream-cap BYTES] [--total-cap BYTES]\n"
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
    "  --udp             follow a UDP conversation: its datagrams in capture order\n"
    "  -o FORMAT         ascii (default: the bytes as text, non-printable as '.'),\n"
    "                    hex (offsets per direction that never shift), raw (one hex\n"
    "                    line per chunk as tshark prints it; the responder's lines start\n"
    "                    with a tab), yaml (chunks with frame, peer, seq, time, base64)\n"
    "  --out-prefix P    with -o raw: write each direction's bytes exactly to P.client\n"
    "                    (the originator's) and P.server instead\n"
    "  --stream-cap N    keep at most N bytes a direction (default 16777216)\n"
    "  --total-cap N     keep at most N bytes in all (default 33554432)\n"
    "  -h, --help        this help\n"
    "\n"
    "A gap (bytes the capture never saw) is a marker line, never data: hex offsets\n"
    "stay true after it, and the data after a gap is kept whether or not the other\n"
    "side acknowledged it. A retransmission whose bytes differ from the first copy is\n"
    "kept too, after a note. Exit status: 0 done, 1 a runtime failure (unreadable\n"
    "file, no such stream, a write error), 2 a usage error.\n";

enum { OPT_UDP = 256, OPT_PREFIX, OPT_SCAP, OPT_TCAP };
enum { FMT_ASCII, FMT_HEX, FMT_RAW, FMT_YAML };

typedef struct follow_opts {
    wp_source_opts src;
    int udp;
    long long stream; /* -1: the first */
    int format;
    const char *prefix;
    long long stream_cap, total_cap;
} follow_opts;

static int parse(int argc, char **argv, follow_opts *o)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"udp", no_argument, NULL, OPT_UDP},
        {"out-prefix", required_argument, NULL, OPT_PREFIX},
        {"stream-cap", required_argument, NULL, OPT_SCAP},
        {"total-cap", required_argument, NULL, OPT_TCAP},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->stream = -1;
    o->format = FMT_ASCII;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":r:f:o:h", longs, NULL)) != -1) {
        switch (ch) {
        case 'r':
            o->src.file = optarg;
            break;
        case 'f':
            o->src.bpf = optarg;
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
    if (o->prefix && o->format != FMT_RAW)
        return wp_opts_usage_error(CMD, "--out-prefix writes raw bytes: use it with -o raw");
    return -1;
}

/* ---- conversations, numbered the way tshark numbers streams ------------ */

/* A key: both addresses and ports, the lower endpoint first. */
typedef struct conv_key {
    uint8_t v6, pad[3];
    uint8_t a[16], b[16];
    uint16_t pa, pb;
} conv_key;

typedef struct conv {
    conv_key k;
    uint8_t used;
    uint8_t base_set[2]; /* per endpoint (0: a, 1: b): a first sequence number seen */
    uint32_t base[2];
    uint32_t stream;
} conv;

/* Open addressing; when full, nothing new is numbered (said once). */
#define CONV_SLOTS (1u << 16)

typedef struct conv_table {
    conv *t;
    uint32_t next_stream;
    uint32_t n;
    int full;
} conv_table;

static uint32_t key_hash(const conv_key *k)
{
    const uint8_t *p = (const uint8_t *)k;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < sizeof *k; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* The endpoints of one packet. */
typedef struct ends {
    uint8_t v6;
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
} ends;

/* Make the key of e; *side = which endpoint of the key sent it (0 or 1). */
static void make_key(const ends *e, conv_key *k, int *side)
{
    memset(k, 0, sizeof *k);
    k->v6 = e->v6;
    int c = memcmp(e->src, e->dst, 16);
    int swap = c > 0 || (c == 0 && e->sport > e->dport);
    if (!swap) {
        memcpy(k->a, e->src, 16);
        memcpy(k->b, e->dst, 16);
        k->pa = e->sport;
        k->pb = e->dport;
    } else {
        memcpy(k->a, e->dst, 16);
        memcpy(k->b, e->src, 16);
        k->pa = e->dport;
        k->pb = e->sport;
    }
    *side = swap;
}

/* The conversation of e (new ones numbered), or NULL when the table is
 * full. A TCP SYN without ACK whose sequence number differs from the first
 * one its sender used in the known conversation starts a new stream. */
static conv *conv_find(conv_table *ct, const ends *e, int tcp, uint16_t flags, uint32_t seq,
                       int *side)
{
    conv_key k;
    make_key(e, &k, side);
    uint32_t h = key_hash(&k) & (CONV_SLOTS - 1u);
    for (uint32_t probe = 0; probe < CONV_SLOTS; probe++) {
        conv *c = &ct->t[(h + probe) & (CONV_SLOTS - 1u)];
        if (c->used && memcmp(&c->k, &k, sizeof k) == 0) {
            int s = *side;
            if (tcp && (flags & 0x12u) == 0x02u && c->base_set[s] && c->base[s] != seq) {
                c->stream = ct->next_stream++;
                memset(c->base_set, 0, sizeof c->base_set);
            }
            if (tcp && !c->base_set[s]) {
                c->base_set[s] = 1;
                c->base[s] = seq;
            }
            return c;
        }
        if (!c->used) {
            if (ct->n >= CONV_SLOTS / 2u) { /* keep probes short */
                if (!ct->full)
                    fprintf(stderr, "wirepeel " CMD ": more than %u conversations: later ones "
                                    "are not numbered\n", CONV_SLOTS / 2u);
                ct->full = 1;
                return NULL;
            }
            memset(c, 0, sizeof *c);
            c->used = 1;
            c->k = k;
            c->stream = ct->next_stream++;
            ct->n++;
            if (tcp) {
                c->base_set[*side] = 1;
                c->base[*side] = seq;
            }
            return c;
        }
    }
    return NULL;
}

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
        fprintf(fp, "[gap] %s -> %s  seq %llu..%llu  %u bytes never captured (%s)\n", from, to,
                lo, hi, c->len,
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
    conv_table ct;
    wp_ipr *ipr;
    wp_packet *pkt, *dg;
    wp_tcpr_log log;
    wp_tcpr_dir dir[2];
    int found;
    conv_key key;          /* the followed conversation */
    int key_side0;         /* the key side of the originator */
    uint32_t stream;
    ends who[2];           /* originator, responder */
    uint64_t frames;
} run;

/* Feed one decoded packet (a frame, or a datagram it completed). */
static void feed(run *r, const wp_packet *p, uint64_t frame)
{
    seg s;
    if (!find_seg(p, &s) || s.tcp == r->o->udp)
        return;
    int side;
    conv *c = conv_find(&r->ct, &s.e, s.tcp, s.flags, s.seq, &side);
    if (!c)
        return;
    if (!r->found) {
        if (r->o->stream >= 0 && (long long)c->stream != r->o->stream)
            return;
        r->found = 1;
        r->key = c->k;
        r->stream = c->stream;
        /* the originator: the sender of the first packet, or the other side
         * when that packet is a SYN-ACK (its SYN was not captured) */
        int orig_is_sender = !(s.tcp && (s.flags & 0x12u) == 0x12u);
        r->key_side0 = orig_is_sender ? side : !side;
        ends *o0 = &r->who[0], *o1 = &r->who[1];
        *o0 = s.e;
        if (!orig_is_sender) {
            memcpy(o0->src, s.e.dst, 16);
            memcpy(o0->dst, s.e.src, 16);
            o0->sport = s.e.dport;
            o0->dport = s.e.sport;
        }
        *o1 = *o0;
        memcpy(o1->src, o0->dst, 16);
        memcpy(o1->dst, o0->src, 16);
        o1->sport = o0->dport;
        o1->dport = o0->sport;
    } else if (c->stream != r->stream || memcmp(&c->k, &r->key, sizeof r->key) != 0) {
        return;
    }
    int d = side == r->key_side0 ? 0 : 1;
    r->frames++;
    if (s.cut)
        return;
    if (!s.tcp) {
        wp_tcpr_datagram(&r->log, &r->dir[d], s.data, s.len, frame, p->ts_sec, p->ts_nsec);
        return;
    }
    wp_tcpr_segment(&r->log, &r->dir[d], s.seq, (s.flags & 0x02u) != 0, s.data, s.len, frame,
                    p->ts_sec, p->ts_nsec);
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
    wp_opts_catch_signals();
    r.ct.t = calloc(CONV_SLOTS, sizeof *r.ct.t);
    r.pkt = malloc(sizeof *r.pkt);
    r.dg = malloc(sizeof *r.dg);
    r.ipr = wp_ipr_new(NULL);
    if (!r.ct.t || !r.pkt || !r.dg || !r.ipr ||
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
        n++;
        wp_decode(&f, r.pkt);
        wp_ipr_result ir;
        wp_ipr_feed(r.ipr, r.pkt, n, &ir);
        wp_ipr_expired(r.ipr, 0, NULL, NULL);
        if (ir.status == WP_IPR_COMPLETE) {
            wp_frame g = {.ts_sec = f.ts_sec, .ts_nsec = f.ts_nsec, .caplen = ir.len,
                          .len = ir.len, .linktype = WP_LINK_RAW, .data = ir.bytes};
            wp_decode(&g, r.dg);
            feed(&r, r.dg, n);
        } else if (ir.status == WP_IPR_NOT_FRAGMENT) {
            feed(&r, r.pkt, n);
        }
    }
    if (!r.found) {
        if (o.stream >= 0)
            status = wp_opts_fail(CMD, "no %s stream %lld in %s (streams are numbered from 0; "
                                       "wirepeel show -o json names each frame's)",
                                  o.udp ? "UDP" : "TCP", o.stream, o.src.file);
        else
            status = wp_opts_fail(CMD, "no %s conversation in %s%s", o.udp ? "UDP" : "TCP",
                                  o.src.file, o.src.bpf ? " that matches the filter" : "");
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
    free(r.ct.t);
    free(r.pkt);
    free(r.dg);
    return status;
}
