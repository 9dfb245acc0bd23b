/* libFuzzer harness: decode one frame of a link type picked by the first
 * byte (tests/fuzz/exercise.h: wp_fuzz_frame), read every field through the
 * packet.h accessors, render it with every renderer into a memory sink, and
 * abort when the decoded packet breaks a structural promise
 * (wp_check_packet). The frame is copied into an exactly-sized buffer so
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
    free(copy);
    return 0;
}
