/* sweep — push every frame of every capture file given through the decoder,
 * every renderer, the field accessors, the view's layout and the display
 * filters of tests/fuzz/exercise.h (wp_fuzz_filters), in one process,
 * so that a sanitizer build (make sanitize: build/asan/tools/sweep) shows any
 * bad read or undefined behaviour.
 *
 *   sweep [--snaplen-sweep] [--time-limit SEC] [--seeds DIR] [-q] FILE...
 *
 * --snaplen-sweep  decode and render every frame again at every caplen from 0
 *                  to its full caplen, each prefix in an exactly-sized heap
 *                  buffer, and check the structural promises of the decoded
 *                  packet (tests/fuzz/exercise.h: wp_check_packet) each time,
 *                  and that no cut makes a verdict of invalid appear that the
 *                  whole frame does not have (wp_check_cut).
 *                  Without it the promises are checked at the full caplen.
 * --time-limit SEC bound per file (default 10): exceeding it is a failure.
 * --seeds DIR      also write fuzz seeds: DIR/corpus-decode/ gets each frame (first
 *                  byte: the link type's index, as tests/fuzz harnesses read
 *                  it), DIR/corpus-unpack/ each header's struct format, a NUL and
 *                  the header bytes. Named by content hash, so duplicates
 *                  collapse; at most 16 frames a file.
 * -q               print only violations, problems and the totals.
 *
 * A file that cannot be opened or is not a capture, and a file cut short, is
 * reported on stderr and counted; it is not a failure.
 * Exit status: 0 clean; 1 a broken promise, or a file over its time bound;
 * 2 usage error. A sanitizer report aborts the process (its own status). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"
#include "../tests/fuzz/exercise.h"
#include "../tests/fuzz/exercise_reasm.h"

#define OUT_CAP (256u * 1024u)
#define SEEDS_PER_FILE 16

typedef struct sweep_ctx {
    int snaplen_sweep;
    int quiet;
    double time_limit;
    const char *seeds;
    char *out;
    wp_packet *pkt;
    wp_packet *full; /* the frame decoded at its full caplen */
    wp_layout *lo;
    wp_reasm_ex *rx; /* the reassembly engines, fed each file's frames in order */
    wp_flow *flow; /* the file's conversations (small caps: eviction runs too) */
    uint64_t files, unreadable, cut_files, frames, decodes, violations, timeouts, seeds_written;
    uint64_t acc;
    /* display filters matched against every frame (exercise.h) */
    wp_filter *filters[sizeof wp_fuzz_filters / sizeof wp_fuzz_filters[0]];
} sweep_ctx;

static void on_alarm(int sig)
{
    static const char msg[] = "sweep: time bound exceeded inside one frame (hang?)\n";
    (void)sig;
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t fnv1a(const uint8_t *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void write_seed(sweep_ctx *c, const char *sub, const uint8_t *a, size_t an,
                       const uint8_t *b, size_t bn)
{
    char path[4096];
    uint64_t h = fnv1a(b, bn, fnv1a(a, an, 1469598103934665603ull));
    snprintf(path, sizeof path, "%s/%s/%016llx", c->seeds, sub, (unsigned long long)h);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        fprintf(stderr, "sweep: cannot write seed %s: %s\n", path, strerror(errno));
        return;
    }
    if ((an && fwrite(a, 1, an, fp) != an) || (bn && fwrite(b, 1, bn, fp) != bn))
        fprintf(stderr, "sweep: short write on seed %s\n", path);
    fclose(fp);
    c->seeds_written++;
}

/* Fuzz seeds from one decoded frame. */
static void seeds_from(sweep_ctx *c, const wp_frame *f)
{
    int li = wp_fuzz_link_index(f->linktype);
    if (li < 0)
        return;
    uint8_t lb = (uint8_t)li;
    write_seed(c, "corpus-decode", &lb, 1, f->data, f->caplen);
    const wp_packet *p = c->pkt;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        char fmt[512];
        if (wp_is_data_proto(l->proto) || l->off > p->caplen ||
            l->hdr_len > p->caplen - l->off)
            continue;
        wp_layer_format(l, fmt, sizeof fmt);
        if (!fmt[0])
            continue;
        write_seed(c, "corpus-unpack", (const uint8_t *)fmt, strlen(fmt) + 1, p->data + l->off,
                   l->hdr_len);
    }
}

/* Decode frame f, exercise it, check it. Returns the number of broken
 * promises (printed, naming path, frame number and caplen). */
static unsigned one_decode(sweep_ctx *c, const wp_frame *f, const char *path, uint64_t no)
{
    static const int widths[] = {80, 20, 132};
    char why[4096];
    wp_decode(f, c->pkt);
    c->decodes++;
    c->acc += wp_exercise_packet(c->pkt, no, c->out, OUT_CAP);
    c->acc += wp_exercise_layout(c->pkt, c->lo, widths, sizeof widths / sizeof widths[0]);
    const wp_filter_frame ff = {.number = no};
    for (size_t i = 0; i < sizeof c->filters / sizeof c->filters[0]; i++)
        c->acc += (uint64_t)wp_filter_match(c->filters[i], c->pkt, &ff);
    unsigned bad = wp_check_packet(c->pkt, why, sizeof why);
    if (bad) {
        /* One line per broken promise, each naming where. */
        char *line = why, *nl;
        while (*line && (nl = strchr(line, '\n'))) {
            *nl = '\0';
            printf("VIOLATION %s frame %llu caplen %u/%u link %d: %s\n", path,
                   (unsigned long long)no, f->caplen, f->len, f->linktype, line);
            line = nl + 1;
        }
    }
    return bad;
}

/* A cut must not make a verdict of invalid appear (wp_check_cut). */
static unsigned check_cut(sweep_ctx *c, const char *path, uint64_t no, const wp_frame *g)
{
    char why[2048];
    unsigned bad = wp_check_cut(c->full, c->pkt, why, sizeof why);
    char *line = why, *nl;
    while (bad && *line && (nl = strchr(line, '\n'))) {
        *nl = '\0';
        printf("VIOLATION %s frame %llu caplen %u/%u link %d: %s\n", path,
               (unsigned long long)no, g->caplen, g->len, g->linktype, line);
        line = nl + 1;
    }
    return bad;
}

static void sweep_file(sweep_ctx *c, const char *path)
{
    char err[WP_ERRBUF];
    c->files++;
    wp_capture *cap = wp_capture_open_file(path, err, sizeof err);
    if (!cap) {
        c->unreadable++;
        fprintf(stderr, "sweep: skipped: %s\n", err);
        return;
    }
    double start = now_s();
    wp_flow_cfg fc = {.max_convs = 64};
    c->flow = wp_flow_new(&fc);
    alarm((unsigned)c->time_limit + 5);
    uint64_t no = 0, bad = 0;
    wp_frame f;
    int rc;
    char rwhy[512];
    int rx_ok = wp_reasm_ex_init(c->rx) == 0;
    while ((rc = wp_capture_next(cap, &f, err, sizeof err)) == 1) {
        no++;
        c->frames++;
        bad += one_decode(c, &f, path, no);
        if (rx_ok && wp_reasm_ex_feed(c->rx, c->pkt, no, rwhy, sizeof rwhy)) {
            printf("VIOLATION %s frame %llu reassembly: %s", path, (unsigned long long)no, rwhy);
            bad++;
        }
        if (c->flow)
            c->acc += wp_exercise_flow(c->flow, c->pkt, no, c->out, OUT_CAP);
        if (c->seeds && no <= SEEDS_PER_FILE)
            seeds_from(c, &f);
        if (c->snaplen_sweep) {
            *c->full = *c->pkt;
            for (uint32_t k = 0; k < f.caplen; k++) {
                /* An exactly-sized copy: any read past caplen hits ASan's
                 * redzone instead of the rest of the frame. */
                uint8_t *buf = malloc(k ? k : 1);
                if (!buf) {
                    fprintf(stderr, "sweep: out of memory\n");
                    exit(1);
                }
                memcpy(buf, f.data, k);
                wp_frame g = f;
                g.data = buf;
                g.caplen = k;
                bad += one_decode(c, &g, path, no);
                bad += check_cut(c, path, no, &g);
                free(buf);
            }
        }
        if (now_s() - start > c->time_limit) {
            c->timeouts++;
            printf("TIMEOUT %s: over %.0f s at frame %llu\n", path, c->time_limit,
                   (unsigned long long)no);
            break;
        }
    }
    if (rx_ok && wp_reasm_ex_finish(c->rx, rwhy, sizeof rwhy)) {
        printf("VIOLATION %s at the end, reassembly: %s", path, rwhy);
        bad++;
    }
    wp_reasm_ex_free(c->rx);
    alarm(0);
    wp_flow_finish(c->flow);
    wp_flow_free(c->flow);
    c->flow = NULL;
    if (rc < 0) {
        c->cut_files++;
        fprintf(stderr, "sweep: read stopped: %s\n", err);
    }
    wp_capture_close(cap);
    c->violations += bad;
    if (!c->quiet)
        printf("%s %s: %llu frames, %.2f s\n", bad ? "BAD" : "ok", path,
               (unsigned long long)no, now_s() - start);
}

static int mkdir_p(const char *dir, const char *sub)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    if (mkdir(path, 0777) < 0 && errno != EEXIST)
        return -1;
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    if (mkdir(path, 0777) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sweep [--snaplen-sweep] [--time-limit SEC] [--seeds DIR] [-q] FILE...\n");
}

int main(int argc, char **argv)
{
    sweep_ctx c;
    memset(&c, 0, sizeof c);
    c.time_limit = 10;
    int first = 1;
    for (; first < argc; first++) {
        const char *a = argv[first];
        if (strcmp(a, "--snaplen-sweep") == 0) {
            c.snaplen_sweep = 1;
        } else if (strcmp(a, "-q") == 0) {
            c.quiet = 1;
        } else if (strcmp(a, "--time-limit") == 0 && first + 1 < argc) {
            char *end;
            c.time_limit = strtod(argv[++first], &end);
            if (*end || c.time_limit <= 0 || c.time_limit > 86400) {
                fprintf(stderr, "sweep: --time-limit wants seconds in (0, 86400]\n");
                return 2;
            }
        } else if (strcmp(a, "--seeds") == 0 && first + 1 < argc) {
            c.seeds = argv[++first];
        } else if (strcmp(a, "--") == 0) {
            first++;
            break;
        } else if (a[0] == '-' && a[1]) {
            usage();
            return 2;
        } else {
            break;
        }
    }
    if (first >= argc) {
        usage();
        return 2;
    }
    if (c.seeds && (mkdir_p(c.seeds, "corpus-decode") < 0 || mkdir_p(c.seeds, "corpus-unpack") < 0)) {
        fprintf(stderr, "sweep: cannot create seed directories under %s: %s\n", c.seeds,
                strerror(errno));
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    c.out = malloc(OUT_CAP);
    c.pkt = malloc(sizeof *c.pkt);
    c.full = malloc(sizeof *c.full);
    c.lo = malloc(sizeof *c.lo);
    c.rx = malloc(sizeof *c.rx);
    if (!c.out || !c.pkt || !c.full || !c.lo || !c.rx) {
        fprintf(stderr, "sweep: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < sizeof c.filters / sizeof c.filters[0]; i++) {
        wp_filter_error fe;
        c.filters[i] = wp_filter_compile(wp_fuzz_filters[i], &fe);
        if (!c.filters[i]) {
            fprintf(stderr, "sweep: display filter %zu does not compile: %s\n", i, fe.msg);
            return 2;
        }
    }
    double start = now_s();
    for (int i = first; i < argc; i++)
        sweep_file(&c, argv[i]);
    printf("sweep: %llu files (%llu unreadable, %llu cut short), %llu frames, %llu decodes, "
           "%llu violations, %llu over the time bound, %.1f s%s\n",
           (unsigned long long)c.files, (unsigned long long)c.unreadable,
           (unsigned long long)c.cut_files, (unsigned long long)c.frames,
           (unsigned long long)c.decodes, (unsigned long long)c.violations,
           (unsigned long long)c.timeouts, now_s() - start,
           c.snaplen_sweep ? ", every snap length" : "");
    if (c.seeds)
        printf("sweep: %llu seeds written under %s\n", (unsigned long long)c.seeds_written,
               c.seeds);
    free(c.out);
    free(c.pkt);
    free(c.full);
    free(c.lo);
    free(c.rx);
    for (size_t i = 0; i < sizeof c.filters / sizeof c.filters[0]; i++)
        wp_filter_free(c.filters[i]);
    return c.violations || c.timeouts ? 1 : 0;
}
