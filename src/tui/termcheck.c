/* Whether the terminal can take the view, asked of terminfo before curses
 * takes it over. Apart from view.c because term.h defines macros (lines,
 * columns) that clash with ordinary names. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tui_int.h"
/* after every other header: its macros would rename their members */
#include <term.h>

/* A terminal the view can draw on: known to terminfo and able to place the
 * cursor (TERM=dumb cannot). 0, or -1 with a one-line reason in err. */
int wp_tui_terminal_usable(char *err, size_t errlen)
{
    const char *term = getenv("TERM");
    int e = 0;
    if (!term || !*term) {
        snprintf(err, errlen, "TERM is not set: the view needs a terminal type such as "
                              "xterm-256color (or use wirepeel show)");
        return -1;
    }
    if (setupterm(NULL, STDOUT_FILENO, &e) != OK) {
        snprintf(err, errlen, "the terminal type TERM=%s is unknown here: set TERM to one "
                              "terminfo knows (xterm-256color) or use wirepeel show", term);
        return -1;
    }
    const char *cup = tigetstr("cup");
    int ok = cup && cup != (const char *)-1;
    del_curterm(cur_term);
    if (!ok) {
        snprintf(err, errlen, "the terminal TERM=%s cannot place the cursor, which the view "
                              "needs: use a full terminal or wirepeel show", term);
        return -1;
    }
    return 0;
}

