/* libFuzzer harness: the view's layout model (src/tui/layout.h). Decode a
 * frame as fuzz_decode does, lay it out at several pane widths, and read
 * every field's detail line, every layer's recipe and the list line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt;   /* harness state only: too big for the stack */
    static wp_layout lo;
    static const int widths[] = {1, 20, 37, 80, 200};
    wp_frame f;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    wp_fuzz_frame(copy, size, &f);
    wp_decode(&f, &pkt);
    volatile uint64_t acc = wp_exercise_layout(&pkt, &lo, widths, sizeof widths / sizeof widths[0]);
    (void)acc;
    /* every box lies within the canvas it was built for */
    for (int i = 0; i < lo.nitems && i < WP_LAYOUT_MAX_ITEMS; i++) {
        const wp_litem *it = &lo.items[i];
        if (it->x < 0 || it->y < 0 || it->w < 0 || it->x + it->w > lo.width ||
            memchr(it->text, '\0', sizeof it->text) == NULL)
            abort();
    }
    free(copy);
    return 0;
}
