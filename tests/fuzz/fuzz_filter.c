/* libFuzzer harness for display filters (src/filter/): the input up to its
 * first NUL is an expression for the compiler; what follows is a frame
 * (tests/fuzz/exercise.h: wp_fuzz_frame) that the expression, when it
 * compiles, and a fixed set of expressions that use every operator are
 * matched against. Checks: a failed compile says where (a position inside
 * the expression or at its end), the error text fits its buffer, matching
 * twice gives the same answer, and the match agrees with its own negation.
 * The frame is copied into an exactly-sized buffer so ASan sees a read one
 * byte past it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const wp_filter *f, const wp_packet *p)
{
    wp_filter_frame fr = {.number = 7};
    int a = wp_filter_match(f, p, &fr);
    int b = wp_filter_match(f, p, &fr);
    if (a != b || (a != 0 && a != 1)) {
        fprintf(stderr, "filter answers %d then %d for the same packet\n", a, b);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt; /* harness state only: too big for the stack */
    const uint8_t *nul = memchr(data, 0, size);
    size_t elen = nul ? (size_t)(nul - data) : size;
    char *expr = malloc(elen + 1);
    if (!expr)
        return 0;
    memcpy(expr, data, elen);
    expr[elen] = '\0';
    wp_filter_error e;
    wp_filter *f = wp_filter_compile(expr, &e);
    if (!f) {
        if (e.pos > elen || e.msg[0] == '\0') {
            fprintf(stderr, "error at %zu of a %zu-byte expression: '%s'\n", e.pos, elen,
                    e.msg);
            abort();
        }
        char text[96];
        wp_filter_error_text(expr, &e, text, sizeof text);
        if (strlen(text) >= sizeof text)
            abort();
    }
    /* the frame after the NUL (or none) */
    size_t off = nul ? elen + 1 : size;
    size_t flen = size - off;
    uint8_t *copy = malloc(flen ? flen : 1);
    if (copy) {
        memcpy(copy, data + off, flen);
        wp_frame fr;
        wp_fuzz_frame(copy, flen, &fr);
        wp_decode(&fr, &pkt);
        if (f)
            check(f, &pkt);
        for (size_t i = 0; i < sizeof wp_fuzz_filters / sizeof wp_fuzz_filters[0]; i++) {
            wp_filter *g = wp_filter_compile(wp_fuzz_filters[i], NULL);
            if (!g)
                abort();
            check(g, &pkt);
            wp_filter_free(g);
        }
        free(copy);
    }
    wp_filter_free(f);
    free(expr);
    return 0;
}
