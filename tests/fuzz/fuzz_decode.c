/* libFuzzer harness: decode one frame of a link type picked by the first
 * byte (tests/fuzz/exercise.h: wp_fuzz_frame), read every field through the
 * packet.h accessors, render it with every renderer into a memory sink, and
 * abort when the decoded packet breaks a structural promise
 * (wp_check_packet); then the same for the frame cut short at a point the
 * last byte picks, checking that the cut adds no verdict of invalid
 * (wp_check_cut). The frame is copied into an exactly-sized buffer so
 * ASan sees a read one byte past it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt;          /* harness state only: too big for the stack */
    static char out[256 * 1024];
    char why[2048];
    wp_frame f;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    wp_fuzz_frame(copy, size, &f);
    wp_decode(&f, &pkt);
    volatile uint64_t acc = wp_exercise_packet(&pkt, 1, out, sizeof out);
    (void)acc;
    if (wp_check_packet(&pkt, why, sizeof why)) {
        fprintf(stderr, "broken promise (link %d, caplen %u, len %u):\n%s", f.linktype,
                f.caplen, f.len, why);
        abort();
    }
    /* The same frame cut short at a point the last byte picks: a cut must
     * not make a header look invalid. */
    if (f.caplen > 0) {
        static wp_packet cut;
        wp_frame g = f;
        g.caplen = (uint32_t)(((uint64_t)f.caplen * data[size - 1]) / 256u);
        /* g.len stays f.len: the same frame on the wire, captured less */
        uint8_t *pre = malloc(g.caplen ? g.caplen : 1);
        if (pre) {
            memcpy(pre, f.data, g.caplen);
            g.data = pre;
            wp_decode(&g, &cut);
            acc = wp_exercise_packet(&cut, 1, out, sizeof out);
            if (wp_check_packet(&cut, why, sizeof why) ||
                wp_check_cut(&pkt, &cut, why, sizeof why)) {
                fprintf(stderr, "broken promise when cut at %u (link %d, len %u):\n%s",
                        g.caplen, g.linktype, g.len, why);
                abort();
            }
            free(pre);
        }
    }
    free(copy);
    return 0;
}
