/* libFuzzer harness for the quiz engine (src/quiz/): a frame as fuzz_decode
 * takes it, asked about alone (the view's quiz) and as a two-frame capture
 * of that frame twice (so conversations, retransmissions and pairing have
 * something to work on), every question type. The harness aborts when a
 * question breaks a promise of quiz.h:
 *   - its own expected answer (what --answers writes) is graded right;
 *   - every text is NUL-terminated and the question, explanation, first
 *     hint, review topic and oracle ref are there;
 *   - a known mistake's reason is handed back only with WP_QV_MISTAKE;
 *   - a blanked-field question draws a diagram, no other question does.
 * The input's bytes are also graded as an answer to every question (the
 * grader's parsers on hostile text). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "wirepeel/quiz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

static void check(const wp_quiz *qz, const wp_frame *f, const char *ans)
{
    static char draw[16384];
    for (size_t i = 0; i < qz->n; i++) {
        const wp_quiz_q *q = &qz->q[i];
        if (!terminated(q->text, sizeof q->text) || !terminated(q->answer, sizeof q->answer) ||
            !terminated(q->accept, sizeof q->accept) || !terminated(q->explain, sizeof q->explain) ||
            !terminated(q->review, sizeof q->review) || !terminated(q->ref, sizeof q->ref))
            abort();
        if (!q->text[0] || !q->explain[0] || !q->hint[0][0] || !q->review[0] || !q->ref[0] ||
            q->nmist > WP_QUIZ_MAX_MISTAKES)
            abort();
        const char *why = "unset";
        if (wp_quiz_grade(q, q->answer, &why) != WP_QV_RIGHT || why != NULL)
            abort();
        int v = wp_quiz_grade(q, ans, &why);
        if ((v == WP_QV_MISTAKE) != (why != NULL))
            abort();
        wp_sink s;
        wp_sink_init_mem(&s, draw, sizeof draw);
        size_t lines = wp_quiz_draw(q, f, &s);
        if (q->draw ? lines == 0 : lines != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_quiz qz; /* harness state only: too big for the stack */
    char ans[160];
    wp_frame f[2];
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    wp_fuzz_frame(copy, size, &f[0]);
    f[1] = f[0];
    f[1].ts_nsec = f[0].ts_nsec < 999999999u ? f[0].ts_nsec + 1 : 0;
    /* the answer: the input's last bytes as text, up to a NUL */
    size_t an = size < sizeof ans - 1 ? size : sizeof ans - 1;
    memcpy(ans, data + size - an, an);
    ans[an] = '\0';
    uint64_t seed = size;
    if (wp_quiz_build(f, 2, seed, 6, (1u << WP_QT_COUNT) - 1, 0, &qz) < 0)
        abort();
    check(&qz, &f[0], ans);
    if (wp_quiz_build_frame(&f[0], 1 + size % 7, seed, 3, &qz) < 0)
        abort();
    check(&qz, &f[0], ans);
    free(copy);
    return 0;
}
