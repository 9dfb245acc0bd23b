/* libFuzzer harness for reassembly (tests/fuzz/exercise_reasm.h). The input
 * is a capture in miniature: records of a 2-byte big-endian length and that
 * many bytes, each a frame whose first byte picks the link type
 * (wp_fuzz_frame), all fed in order to the IP reassembler and the TCP
 * stream engine with small pools and caps; every completed datagram is
 * decoded again. Then the same bytes as raw TCP operations (9 bytes each:
 * direction, flags, seq, length, ack) for sequence games the decoder would
 * rarely make: wrap-around, overlaps, holes, floods of tiny segments.
 * Aborts on a broken promise (chunks outside the arena, caps exceeded, a
 * datagram longer than its parts). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "exercise_reasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why)
{
    fprintf(stderr, "broken reassembly promise:\n%s", why);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt; /* harness state only: too big for the stack */
    static wp_reasm_ex x;
    char why[512] = "";
    if (wp_reasm_ex_init(&x) != 0) {
        wp_reasm_ex_free(&x);
        return 0;
    }
    uint64_t no = 0;
    for (size_t at = 0; at + 2 <= size && no < 4096;) {
        size_t n = (size_t)data[at] << 8 | data[at + 1];
        at += 2;
        if (n > size - at)
            n = size - at;
        /* an exactly-sized copy, so ASan sees a read past the frame */
        uint8_t *copy = malloc(n ? n : 1);
        if (!copy)
            break;
        memcpy(copy, data + at, n);
        wp_frame f;
        wp_fuzz_frame(copy, n, &f);
        wp_decode(&f, &pkt);
        if (wp_reasm_ex_feed(&x, &pkt, ++no, why, sizeof why))
            fail(why);
        free(copy);
        at += n ? n : 1; /* every record consumes at least one byte */
    }
    if (wp_reasm_ex_finish(&x, why, sizeof why))
        fail(why);
    wp_reasm_ex_free(&x);

    /* raw TCP operations */
    if (wp_reasm_ex_init(&x) != 0) {
        wp_reasm_ex_free(&x);
        return 0;
    }
    static const uint8_t pattern[65536 / 64] = {1};
    for (size_t at = 0; at + 9 <= size; at += 9) {
        const uint8_t *op = data + at;
        int d = op[0] & 1;
        uint32_t seq = (uint32_t)op[2] << 24 | (uint32_t)op[3] << 16 | (uint32_t)op[4] << 8 | op[5];
        uint32_t off = op[8] % 4u;
        uint32_t len = ((uint32_t)op[6] << 8 | op[7]) % (uint32_t)(sizeof pattern - off);
        if (op[1] & 0x80)
            wp_tcpr_ack(&x.log, &x.dir[d], seq + (uint32_t)op[8] * 97u);
        else
            wp_tcpr_segment(&x.log, &x.dir[d], seq, op[1] & 1, pattern + off, len, at / 9 + 1, 0,
                            0);
        if (wp_reasm_ex_check_log(&x, why, sizeof why))
            fail(why);
    }
    if (wp_reasm_ex_finish(&x, why, sizeof why))
        fail(why);
    wp_reasm_ex_free(&x);
    return 0;
}
