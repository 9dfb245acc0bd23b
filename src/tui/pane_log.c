/* The log pane: the last lines the demo's servers and clients wrote (which
 * ping was dropped, which reply came late), so they are not lost behind
 * the view. */
#include <stdio.h>

#include "tui_int.h"

void wp_pane_log_draw(view *v, int y0, int rows, int cols)
{
    size_t n = v->log.n;
    size_t first = n > (size_t)rows ? n - (size_t)rows : 0;
    for (int r = 0; r < rows && first + (size_t)r < n; r++) {
        char line[WP_TLOG_WIDTH];
        snprintf(line, sizeof line, "%s", wp_tlog_line(&v->log, first + (size_t)r));
        wp_tcut(line, cols);
        wp_tui_put(y0 + r, 0, cols, line, A_NORMAL);
    }
    if (n == 0)
        wp_tui_put(y0, 0, cols, "(no log lines yet)", A_DIM);
}
