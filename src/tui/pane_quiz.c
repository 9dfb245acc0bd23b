/* The quiz pane (key x): questions on the selected packet from the quiz
 * engine (wirepeel/quiz.h, the same as `wirepeel quiz`), drawn in the
 * layered pane's place; answers are typed on the prompt line. The packet
 * alone is asked about (no conversation around it), so the types are the
 * engine's one-frame ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/quiz.h"
#include "tui_int.h"

#define VIEW_QUESTIONS 5

void wp_pane_quiz_start(view *v)
{
    if (!v->qz)
        v->qz = malloc(sizeof *v->qz);
    if (!v->qz) {
        snprintf(v->msg, sizeof v->msg, "quiz: out of memory");
        v->quiz = 0;
        return;
    }
    v->qz->n = 0;
    v->qi = v->qright = 0;
    v->qhints = 0;
    v->qfb[0] = '\0';
    v->qframe = v->cur_num;
    if (v->cur == SIZE_MAX || !v->cur_num) {
        snprintf(v->qfb, sizeof v->qfb, "no packet selected");
        return;
    }
    wp_frame f = {v->pkt.ts_sec, v->pkt.ts_nsec, v->pkt.caplen, v->pkt.len, v->pkt.linktype, v->pkt.data};
    /* the frame number seeds the draw: the same packet, the same quiz */
    if (wp_quiz_build_frame(&f, v->cur_num, v->cur_num, VIEW_QUESTIONS, v->qz) < 0)
        snprintf(v->qfb, sizeof v->qfb, "quiz: out of memory");
    else if (v->qz->n == 0)
        snprintf(v->qfb, sizeof v->qfb, "nothing to ask about this packet (cut or invalid headers)");
}

void wp_pane_quiz_answer(view *v, const char *line)
{
    if (!v->qz || v->qi >= v->qz->n)
        return;
    const wp_quiz_q *q = &v->qz->q[v->qi];
    if (strcmp(line, "?") == 0 || strcmp(line, "hint") == 0) {
        if (v->qhints < 3 && q->hint[v->qhints][0])
            snprintf(v->qfb, sizeof v->qfb, "hint %u: %s", v->qhints + 1, q->hint[v->qhints]);
        else
            snprintf(v->qfb, sizeof v->qfb, "no more hints");
        v->qhints++;
        return;
    }
    const char *why = NULL;
    int r = wp_quiz_grade(q, line, &why);
    if (r == WP_QV_RIGHT) {
        v->qright++;
        snprintf(v->qfb, sizeof v->qfb, "Q%zu right: %s.", v->qi + 1, q->answer);
    } else {
        snprintf(v->qfb, sizeof v->qfb, "Q%zu wrong ('%s'): the answer is %s.%s%s%s how: %s", v->qi + 1, line,
                 q->answer, why ? " why: " : "", why ? why : "", why ? "." : "", q->explain);
    }
    v->qi++;
    v->qhints = 0;
}

/* Write s at rows y.., wrapped at spaces to cols; returns the rows used. */
static int wrap(int y, int ymax, int cols, const char *s, attr_t a)
{
    int used = 0;
    char line[512];
    while (*s && y + used < ymax) {
        size_t n = strlen(s), take = n;
        if ((int)n > cols) {
            take = (size_t)cols;
            while (take > 0 && s[take] != ' ')
                take--;
            if (take == 0)
                take = (size_t)cols;
        }
        if (take >= sizeof line)
            take = sizeof line - 1;
        memcpy(line, s, take);
        line[take] = '\0';
        wp_tui_put(y + used, 0, cols, line, a);
        used++;
        s += take;
        while (*s == ' ')
            s++;
    }
    return used;
}

static void draw_diagram(view *v, const wp_quiz_q *q, int y, int ymax, int cols)
{
    char buf[6144];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_frame f = {v->pkt.ts_sec, v->pkt.ts_nsec, v->pkt.caplen, v->pkt.len, v->pkt.linktype, v->pkt.data};
    if (wp_quiz_draw(q, &f, &s) == 0)
        return;
    char *lines[96];
    int n = 0;
    for (char *line = buf; *line && n < 96;) {
        char *nl = strchr(line, '\n');
        lines[n++] = line;
        if (!nl)
            break;
        *nl = '\0';
        line = nl + 1;
    }
    int first = 0, room = ymax - y;
    if (n > room) {
        /* too few rows for it all: the marked cell's row, with the rule
         * above it and the units ruler when they fit */
        int m = 0;
        while (m < n && !strchr(lines[m], '?'))
            m++;
        if (m == n)
            m = 0;
        int r = m;
        while (r > 0 && strncmp(lines[r], "      +", 7) != 0)
            r--;
        if (m - r + 2 <= room && r > 2) {
            wp_tui_put(y++, 0, cols, lines[2], A_DIM);
            first = r;
        } else if (m - r + 1 <= room) {
            first = r;
        } else {
            first = m;
        }
    }
    for (int i = first; i < n && y < ymax; i++)
        wp_tui_put(y++, 0, cols, lines[i], A_NORMAL);
}

void wp_pane_quiz_draw(view *v, int y0, int rows, int cols)
{
    int y = y0, ymax = y0 + rows;
    char head[160];
    size_t n = v->qz ? v->qz->n : 0;
    if (v->qframe != v->cur_num && v->cur_num)
        snprintf(head, sizeof head, "quiz on frame %llu (x: a quiz on frame %llu)",
                 (unsigned long long)v->qframe, (unsigned long long)v->cur_num);
    else
        snprintf(head, sizeof head, "quiz on frame %llu: %zu/%zu right", (unsigned long long)v->qframe,
                 v->qright, n);
    y += wrap(y, ymax, cols, head, A_BOLD);
    if (n && v->qi < n) {
        char q[400];
        snprintf(q, sizeof q, "Q%zu/%zu [%s] %s", v->qi + 1, n, wp_quiz_type_name(v->qz->q[v->qi].type),
                 v->qz->q[v->qi].text);
        y += wrap(y, ymax, cols, q, A_NORMAL);
        if (v->prompt != PR_QUIZ && y < ymax)
            y += wrap(y, ymax, cols, "(a to answer, x to close)", A_DIM);
    } else if (n) {
        char s[96];
        snprintf(s, sizeof s, "score: %zu/%zu (x closes the quiz)", v->qright, n);
        y += wrap(y, ymax, cols, s, A_BOLD);
    }
    if (v->qfb[0] && y < ymax) {
        y++;
        y += wrap(y, ymax, cols, v->qfb, A_NORMAL);
    }
    /* a blanked-field question: its header diagram, the cell to name
     * marked, in the rows left (the question's text names the bits too) */
    if (n && v->qi < n && v->qz->q[v->qi].draw && v->qframe == v->cur_num && y < ymax)
        draw_diagram(v, &v->qz->q[v->qi], ymax - y > 3 ? y + 1 : y, ymax, cols);
}
