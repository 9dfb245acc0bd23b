/* wirepeel quiz -r FILE [--seed N] [--count N] [--types LIST] [--answers FILE]
 * [--key FILE] [--exam] [--pack FILE]: questions on a capture, line by line. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "wirepeel/load.h"
#include "wirepeel/quiz.h"

#define CMD "quiz"

static const char quiz_help[] =
    "usage: wirepeel quiz -r FILE [--seed N] [--count N] [--types LIST] [--frames A-B]\n"
    "                     [--exam] [--answers OUT] [--key OUT]\n"
    "       wirepeel quiz --pack FILE [--exam] [--answers OUT] [--key OUT]\n"
    "\n"
    "Ask questions about the packets of a capture and check each answer with\n"
    "wirepeel's own decoder. Type one answer a line: numbers in decimal or hex\n"
    "(64, 0x40), with or without 'bytes'; addresses; names; TCP flags in any\n"
    "order ('SYN, ACK'); bit ranges ('bits 4-7', 'bits 4-7 of byte 0'). A wrong\n"
    "answer shows the bytes, the conversion and the arithmetic; a blanked-field\n"
    "question draws its header diagram. At a terminal, '?' gives a hint (the\n"
    "layer, then the field, then the offset).\n"
    "\n"
    "  -r FILE          the capture (.pcap or .pcapng)\n"
    "  --seed N         the draw (default 1): the same seed gives the same quiz\n"
    "  --count N        questions to ask (default 10, at most 100)\n"
    "  --types LIST     comma-separated: value, locate, derive, checksum, relate,\n"
    "                   classify, blank, predict, or all (default all)\n"
    "  --frames A-B     ask about frames A to B only (or one frame A); the rest of\n"
    "                   the capture still counts (a quiz on the handshake: 1-3)\n"
    "  --exam           no feedback until the end\n"
    "  --answers OUT    write the expected answers, one a line, then quiz\n"
    "                   (OUT '-' writes them to standard output and asks nothing)\n"
    "  --key OUT        write frame, type, what an oracle checks and the answer,\n"
    "                   tab-separated, one question a line (for tests), and ask nothing\n"
    "  --pack FILE      a lesson pack (see the man page): its capture and questions\n"
    "\n"
    "When standard input is not a terminal every question takes exactly one line\n"
    "and the last line printed is 'score: N/M'.\n"
    "example: wirepeel quiz -r captures/course-tcp.pcap --types derive,predict\n"
    "Exit status: 0 done, 1 the capture or pack cannot be read or gives no\n"
    "question, 2 usage error.\n";

enum { OPT_SEED = 256, OPT_COUNT, OPT_TYPES, OPT_ANSWERS, OPT_KEY, OPT_EXAM, OPT_PACK, OPT_FRAMES };

/* "A-B" or "A" (from 1) into *first, *last; 0, or -1 for anything else. */
static int parse_frames(const char *s, uint64_t *first, uint64_t *last)
{
    char *e;
    if (*s < '1' || *s > '9')
        return -1;
    *first = strtoull(s, &e, 10);
    *last = *first;
    if (*e == '-') {
        const char *b = e + 1;
        if (*b < '1' || *b > '9')
            return -1;
        *last = strtoull(b, &e, 10);
    }
    return *e == '\0' && *last >= *first ? 0 : -1;
}

static int read_line(char *buf, size_t n)
{
    if (!fgets(buf, (int)n, stdin))
        return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

static const char *tname(const wp_quiz_q *q)
{
    const char *t = wp_quiz_type_name(q->type);
    return t ? t : "pack";
}

static void feedback(const wp_quiz_q *q, int verdict, const char *why, const char *given)
{
    if (verdict == WP_QV_RIGHT) {
        printf("  right.\n");
        return;
    }
    printf("  wrong%s%s%s: the answer is %s.\n", given[0] ? " ('" : "", given, given[0] ? "')" : "",
           q->answer);
    if (why)
        printf("  why: %s.\n", why);
    if (q->explain[0])
        printf("  how: %s\n", q->explain);
}

/* The diagram a blanked-field question shows, under its text. */
static void draw(const wp_quiz_q *q, const wp_loaded *ld)
{
    if (!q->draw || q->frame == 0 || q->frame > ld->n)
        return;
    char buf[8192];
    wp_sink s;
    fflush(stdout); /* the sink writes to the descriptor: keep the order */
    wp_sink_init_fd(&s, 1, buf, sizeof buf);
    wp_quiz_draw(q, &ld->frames[q->frame - 1], &s);
    wp_sink_flush(&s);
}

static int ask_all(const wp_quiz *qz, const wp_loaded *ld, int exam);

static int write_list(const wp_quiz *qz, const char *path, int key)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!f)
        return wp_opts_fail(CMD, "cannot write %s", path);
    for (size_t i = 0; i < qz->n; i++) {
        const wp_quiz_q *q = &qz->q[i];
        if (key)
            fprintf(f, "%" PRIu64 "\t%s\t%s\t%s\n", q->frame, tname(q), q->ref, q->answer);
        else
            fprintf(f, "%s\n", q->answer);
    }
    if (f != stdout && fclose(f) != 0)
        return wp_opts_fail(CMD, "cannot write %s", path);
    if (f == stdout)
        fflush(stdout);
    return 0;
}

int wp_cli_quiz(int argc, char **argv)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"seed", required_argument, NULL, OPT_SEED},
        {"count", required_argument, NULL, OPT_COUNT},
        {"types", required_argument, NULL, OPT_TYPES},
        {"answers", required_argument, NULL, OPT_ANSWERS},
        {"key", required_argument, NULL, OPT_KEY},
        {"exam", no_argument, NULL, OPT_EXAM},
        {"pack", required_argument, NULL, OPT_PACK},
        {"frames", required_argument, NULL, OPT_FRAMES},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL, *answers = NULL, *key = NULL, *pack = NULL;
    long long seed = 1, count = 10;
    unsigned types = (1u << WP_QT_COUNT) - 1;
    int exam = 0, ch;
    uint64_t first = 1, last = UINT64_MAX;
    int ranged = 0;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":r:h", longs, NULL)) != -1) {
        switch (ch) {
        case 'r':
            file = optarg;
            break;
        case OPT_SEED:
            if (wp_opts_int(optarg, 0, INT64_MAX, &seed) != 0)
                return wp_opts_usage_error(CMD, "--seed takes a number of 0 or more, not '%s'", optarg);
            break;
        case OPT_COUNT:
            if (wp_opts_int(optarg, 1, WP_QUIZ_MAX, &count) != 0)
                return wp_opts_usage_error(CMD, "--count takes 1..%d, not '%s'", WP_QUIZ_MAX, optarg);
            break;
        case OPT_TYPES:
            types = wp_quiz_types_parse(optarg);
            if (!types)
                return wp_opts_usage_error(CMD,
                                           "unknown --types '%s' (use value, locate, derive, checksum, "
                                           "relate, classify, blank, predict or all, comma-separated)",
                                           optarg);
            break;
        case OPT_ANSWERS:
            answers = optarg;
            break;
        case OPT_KEY:
            key = optarg;
            break;
        case OPT_EXAM:
            exam = 1;
            break;
        case OPT_PACK:
            pack = optarg;
            break;
        case OPT_FRAMES:
            if (parse_frames(optarg, &first, &last) != 0)
                return wp_opts_usage_error(CMD, "--frames takes a frame number or a range A-B (from 1), not '%s'",
                                           optarg);
            ranged = 1;
            break;
        case 'h':
            fputs(quiz_help, stdout);
            return 0;
        case ':':
            return wp_opts_usage_error(CMD, "option %s needs a value", argv[optind - 1]);
        default:
            return wp_opts_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return wp_opts_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (!file && !pack)
        return wp_opts_usage_error(CMD, "-r FILE or --pack FILE is required (what to ask about)");
    if (file && pack)
        return wp_opts_usage_error(CMD, "-r and --pack both name a capture: give one");
    if (pack && ranged)
        return wp_opts_usage_error(CMD, "--frames is for -r; a pack says which frames with its frames lines");

    char err[600];
    wp_quiz_pack *pk = NULL;
    if (pack) {
        pk = malloc(sizeof *pk);
        if (!pk)
            return wp_opts_fail(CMD, "out of memory");
        if (wp_quiz_pack_load(pack, pk, err, sizeof err) != 0) {
            free(pk);
            return wp_opts_fail(CMD, "%s", err);
        }
        file = pk->capture;
    }
    wp_loaded *ld = wp_load_file(file, err, sizeof err);
    if (!ld) {
        free(pk);
        return wp_opts_fail(CMD, "%s", err);
    }
    wp_quiz *qz = malloc(sizeof *qz);
    int n = -1;
    if (qz)
        n = pk ? wp_quiz_pack_build(pk, ld->frames, ld->n, qz)
               : wp_quiz_build_range(ld->frames, ld->n, (uint64_t)seed, (unsigned)count, types, first, last, qz);
    free(pk);
    if (n < 0) {
        free(qz);
        wp_load_free(ld);
        return wp_opts_fail(CMD, "out of memory");
    }
    if (n == 0) {
        size_t nf = ld->n;
        free(qz);
        wp_load_free(ld);
        if (ranged)
            return wp_opts_fail(CMD, "frames %" PRIu64 "-%" PRIu64 " of %s (%zu frames) give no question of the "
                                "types asked (try other frames or --types all)", first, last, file, nf);
        return wp_opts_fail(CMD, "%s gives no question of the types asked (try --types all or another capture)",
                            file);
    }
    int rc = 0;
    if (answers && (rc = write_list(qz, answers, 0)) != 0) {
        free(qz);
        wp_load_free(ld);
        return rc;
    }
    if (key || (answers && strcmp(answers, "-") == 0)) {
        if (key)
            rc = write_list(qz, key, 1);
        free(qz);
        wp_load_free(ld);
        return rc;
    }
    rc = ask_all(qz, ld, exam);
    free(qz);
    wp_load_free(ld);
    return rc;
}

/* The questions one by one on standard input and output; the score. */
static int ask_all(const wp_quiz *qz, const wp_loaded *ld, int exam)
{

    int tty = isatty(0);
    size_t right = 0;
    unsigned char *missed = calloc(qz->n, 1);
    char given[128];
    if (!missed)
        return wp_opts_fail(CMD, "out of memory");
    char (*kept)[128] = exam ? calloc(qz->n, sizeof *kept) : NULL;
    if (exam && !kept) {
        free(missed);
        return wp_opts_fail(CMD, "out of memory");
    }
    for (size_t i = 0; i < qz->n; i++) {
        const wp_quiz_q *q = &qz->q[i];
        printf("Q%zu/%zu [%s] %s\n", i + 1, qz->n, tname(q), q->text);
        draw(q, ld);
        unsigned hints = 0;
        int v;
        const char *why = NULL;
        for (;;) {
            printf("> ");
            fflush(stdout);
            if (read_line(given, sizeof given) != 0)
                given[0] = 0;
            else if (!tty)
                printf("%s\n", given); /* echoed, so a transcript reads as a dialogue */
            if (tty && (strcmp(given, "?") == 0 || strcmp(given, "hint") == 0)) {
                if (hints < 3 && q->hint[hints][0])
                    printf("  hint %u: %s\n", hints + 1, q->hint[hints]);
                else
                    printf("  no more hints\n");
                hints++;
                continue;
            }
            break;
        }
        v = wp_quiz_grade(q, given, &why);
        if (v == WP_QV_RIGHT)
            right++;
        else
            missed[i] = 1;
        if (exam)
            snprintf(kept[i], sizeof kept[i], "%s", given);
        else
            feedback(q, v, why, given);
    }
    if (exam) {
        printf("\nresults:\n");
        for (size_t i = 0; i < qz->n; i++) {
            const char *why = NULL;
            int v = wp_quiz_grade(&qz->q[i], kept[i], &why);
            printf("Q%zu:", i + 1);
            feedback(&qz->q[i], v, why, kept[i]);
        }
    }
    int any = 0;
    for (size_t i = 0; i < qz->n; i++) {
        if (!missed[i] || !qz->q[i].review[0])
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = missed[j] && strcmp(qz->q[j].review, qz->q[i].review) == 0;
        if (seen)
            continue;
        if (!any)
            printf("review:\n");
        any = 1;
        printf("  - %s (Q%zu)\n", qz->q[i].review, i + 1);
    }
    printf("score: %zu/%zu\n", right, qz->n);
    free(kept);
    free(missed);
    return fflush(stdout) == 0 ? 0 : 1;
}
