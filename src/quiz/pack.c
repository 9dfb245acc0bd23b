/* Quiz: lesson packs (the plain-text format is in wirepeel/quiz.h and the
 * man page). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/quiz.h"

static int bad(char *err, size_t n, const char *path, unsigned line, const char *what)
{
    if (n)
        snprintf(err, n, "%s:%u: %s", path, line, what);
    return -1;
}

/* The rest of a directive line after its word: spaces skipped. */
static const char *arg_of(const char *s, size_t word)
{
    s += word;
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int is_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncmp(s, w, n) == 0 && (s[n] == ' ' || s[n] == '\t' || s[n] == 0);
}

static int parse_u64(const char *s, uint64_t *v, const char **end)
{
    char *e;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long x = strtoull(s, &e, 10);
    *v = x;
    if (end)
        *end = e;
    return 0;
}

/* The answer of a wrong line at s: a "quoted phrase" or one word. Its
 * length in *n (without the quotes), *end after it; -1 for none or an
 * unclosed quote. */
static int wrong_form(const char *s, const char **end, size_t *n)
{
    if (*s == '"') {
        const char *q = strchr(s + 1, '"');
        if (!q || q == s + 1)
            return -1;
        *n = (size_t)(q - s - 1);
        *end = q + 1;
        return 0;
    }
    *n = strcspn(s, " \t");
    *end = s + *n;
    return *n ? 0 : -1;
}

int wp_quiz_pack_load(const char *path, wp_quiz_pack *pk, char *err, size_t errlen)
{
    memset(pk, 0, sizeof *pk);
    pk->seed = 1;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errlen)
            snprintf(err, errlen, "cannot read the pack %s", path);
        return -1;
    }
    char line[1024];
    unsigned ln = 0;
    wp_quiz_q *cur = NULL;
    int rc = 0;
    uint64_t first = 1, last = UINT64_MAX; /* the frames the draws ask about */
    while (rc == 0 && fgets(line, sizeof line, f)) {
        ln++;
        size_t n = strcspn(line, "\r\n");
        line[n] = 0;
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == 0 || *s == '#')
            continue;
        if (is_word(s, "capture")) {
            const char *a = arg_of(s, 7);
            const char *slash = strrchr(path, '/');
            if (a[0] == '/' || !slash)
                snprintf(pk->capture, sizeof pk->capture, "%s", a);
            else
                snprintf(pk->capture, sizeof pk->capture, "%.*s/%s", (int)(slash - path), path, a);
        } else if (is_word(s, "seed")) {
            if (parse_u64(arg_of(s, 4), &pk->seed, NULL) != 0)
                rc = bad(err, errlen, path, ln, "seed takes a number");
        } else if (is_word(s, "frames")) {
            const char *e;
            if (parse_u64(arg_of(s, 6), &first, &e) != 0 || first == 0) {
                rc = bad(err, errlen, path, ln, "frames takes a frame number or a range A-B (from 1)");
            } else {
                last = first;
                if (*e == '-' && (parse_u64(e + 1, &last, &e) != 0 || last < first))
                    rc = bad(err, errlen, path, ln, "frames takes a frame number or a range A-B (from 1)");
                else if (*arg_of(e, 0))
                    rc = bad(err, errlen, path, ln, "frames takes a frame number or a range A-B (from 1)");
            }
        } else if (is_word(s, "draw")) {
            uint64_t k;
            const char *e;
            if (pk->ndraw >= WP_QUIZ_PACK_DRAWS)
                rc = bad(err, errlen, path, ln, "too many draw lines (at most 16)");
            else if (parse_u64(arg_of(s, 4), &k, &e) != 0 || k == 0 || k > WP_QUIZ_MAX)
                rc = bad(err, errlen, path, ln, "draw takes a count (1..100) and a type list");
            else {
                unsigned t = wp_quiz_types_parse(arg_of(e, 0));
                if (!t)
                    rc = bad(err, errlen, path, ln,
                             "draw: unknown type list (value, locate, derive, checksum, relate, classify, "
                             "blank, predict, all)");
                pk->draw_count[pk->ndraw] = (unsigned)k;
                pk->draw_first[pk->ndraw] = first;
                pk->draw_last[pk->ndraw] = last;
                pk->draw_types[pk->ndraw++] = t;
            }
        } else if (is_word(s, "ask")) {
            uint64_t fr;
            const char *e;
            if (cur && !cur->accept[0])
                rc = bad(err, errlen, path, ln, "the question before has no answer line");
            else if (pk->written.n >= WP_QUIZ_MAX)
                rc = bad(err, errlen, path, ln, "too many questions (at most 100)");
            else if (parse_u64(arg_of(s, 3), &fr, &e) != 0 || fr == 0)
                rc = bad(err, errlen, path, ln, "ask takes a frame number (from 1) and the question");
            else {
                cur = &pk->written.q[pk->written.n++];
                memset(cur, 0, sizeof *cur);
                cur->frame = fr;
                cur->type = WP_QT_COUNT; /* written by hand */
                snprintf(cur->text, sizeof cur->text, "Frame %" PRIu64 ": %s", fr, arg_of(e, 0));
                snprintf(cur->ref, sizeof cur->ref, "pack");
            }
        } else if (!cur && (is_word(s, "answer") || is_word(s, "wrong") || is_word(s, "explain") ||
                            is_word(s, "review"))) {
            rc = bad(err, errlen, path, ln, "answer, wrong, explain and review follow an ask line");
        } else if (is_word(s, "answer")) {
            const char *a = arg_of(s, 6);
            snprintf(cur->accept, sizeof cur->accept, "%s", a);
            snprintf(cur->answer, sizeof cur->answer, "%.*s", (int)strcspn(a, "|"), a);
            uint64_t v;
            const char *e;
            /* a plain decimal first form makes a numeric question */
            if (parse_u64(cur->answer, &v, &e) == 0 && *e == 0) {
                cur->akind = WP_QA_NUM;
                cur->num = v;
            } else {
                cur->akind = WP_QA_TEXT;
            }
        } else if (is_word(s, "wrong")) {
            const char *a = arg_of(s, 5), *e;
            size_t flen;
            if (cur->nmist >= WP_QUIZ_MAX_MISTAKES) {
                rc = bad(err, errlen, path, ln, "at most 3 wrong lines a question");
            } else if (wrong_form(a, &e, &flen) != 0 || *arg_of(e, 0) == 0) {
                rc = bad(err, errlen, path, ln,
                         "wrong takes an answer (one word, or a \"quoted phrase\") and its feedback");
            } else {
                wp_quiz_mistake *m = &cur->mist[cur->nmist++];
                uint64_t v;
                const char *ve;
                /* a plain decimal number compares by value (0x10 = 16);
                 * anything else as a name, address or phrase */
                if (a[0] != '"' && parse_u64(a, &v, &ve) == 0 && ve == a + flen)
                    m->val = v;
                else
                    snprintf(m->form, sizeof m->form, "%.*s", (int)flen, a[0] == '"' ? a + 1 : a);
                snprintf(m->why, sizeof m->why, "%s", arg_of(e, 0));
            }
        } else if (is_word(s, "explain")) {
            snprintf(cur->explain, sizeof cur->explain, "%s", arg_of(s, 7));
        } else if (is_word(s, "review")) {
            snprintf(cur->review, sizeof cur->review, "%s", arg_of(s, 6));
        } else {
            rc = bad(err, errlen, path, ln,
                     "unknown directive (capture, seed, frames, draw, ask, answer, wrong, explain, review)");
        }
    }
    fclose(f);
    if (rc == 0 && cur && !cur->accept[0])
        rc = bad(err, errlen, path, ln, "the last question has no answer line");
    if (rc == 0 && !pk->capture[0])
        rc = bad(err, errlen, path, ln, "no capture line");
    return rc;
}

int wp_quiz_pack_build(const wp_quiz_pack *pk, const wp_frame *frames, size_t nframes, wp_quiz *qz)
{
    qz->n = 0;
    wp_quiz *part = malloc(sizeof *part);
    if (!part)
        return -1;
    for (unsigned d = 0; d < pk->ndraw; d++) {
        if (wp_quiz_build_range(frames, nframes, pk->seed + d, pk->draw_count[d], pk->draw_types[d],
                                pk->draw_first[d], pk->draw_last[d], part) < 0) {
            free(part);
            return -1;
        }
        for (size_t i = 0; i < part->n && qz->n < WP_QUIZ_MAX; i++)
            qz->q[qz->n++] = part->q[i];
    }
    free(part);
    for (size_t i = 0; i < pk->written.n && qz->n < WP_QUIZ_MAX; i++)
        if (pk->written.q[i].frame <= nframes)
            qz->q[qz->n++] = pk->written.q[i];
    return (int)qz->n;
}
