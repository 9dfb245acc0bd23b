/* Internal to src/tui/: the view's state shared by the loop (view.c) and
 * the panes (pane_*.c), and the drawing helpers (draw.c). Only src/tui/
 * includes curses; the model it draws (model.h, layout.h) does not. */
#ifndef WP_TUI_INT_H
#define WP_TUI_INT_H

#include <curses.h>
#include <time.h>

#include "wirepeel/capture.h"
#include "wirepeel/capture_seek.h"
#include "wirepeel/filter.h"
#include "wirepeel/pindex.h"
#include "wirepeel/tui.h"
#include "layout.h"
#include "model.h"

#define LIVE_CAP 50000    /* frames kept in memory from a live capture or merged files */
#define INDEX_FIRST 2000  /* records indexed before the first screen */
#define INDEX_CHUNK 50000 /* records indexed between two looks at the keyboard */
#define LIVE_READS 256    /* frames taken from the capture per wake-up */

enum { POP_NONE, POP_HELP, POP_DETAIL, POP_RECIPE };
enum { PR_NONE, PR_FILTER, PR_SEARCH, PR_GOTO, PR_QUIZ };

/* Colour pairs: 1..8 the layer colours (the renderer's palette,
 * wp_render_layer_colour), then the view's own. */
enum {
    CP_LAYER0 = 1,
    CP_EVENT = 9,
    CP_STATUS = 10,
    CP_RANGE = 11,
    CP_HELP = 12,
    CP_NOTICE = 13,
};

typedef struct view {
    const wp_tui_opts *o;
    /* a file (indexed, re-read on demand) */
    wp_capture_file *ixf, *rdf; /* one handle to index with, one to re-read */
    int64_t first_pos;
    long long fsize;
    wp_pindex ix;
    /* or frames in memory: a live capture, or several files merged */
    int mem;
    wp_capture *live;
    wp_dumper *dump;
    wp_bpf *bpf; /* the filter over what is kept in memory */
    wp_filter_run *yrun; /* -Y: the display filter, or NULL */
    int linktype;
    wp_tmodel m;
    /* replay and live pacing */
    int paced; /* the list grows as packets come due (replay) or arrive */
    int paused;
    int rounds; /* replay loops completed */
    double end_at; /* when a looping replay showed its last packet, or 0 */
    struct timespec t0; /* wall time the packet at ts_base was due */
    int64_t ts_base_sec;
    uint32_t ts_base_nsec;
    int to_end; /* G on a file being indexed: keep going to its end */
    /* panes and keys */
    int pane;
    wp_tpanes pz;
    int field; /* selected field index in lo */
    int lscroll, hscroll;
    int popup;
    int ladder; /* the ladder pane shown in the layered pane's place */
    int raw;    /* the layered pane shows raw seq/ack first (R) */
    int diagram; /* the layered pane shows the selected layer's bit diagram */
    /* the quiz on the selected packet (key x, pane_quiz.c) */
    int quiz;           /* the layered pane shows it */
    struct wp_quiz *qz; /* its questions (allocated on the first x) */
    size_t qi;          /* the question being asked; qz->n when done */
    size_t qright;
    unsigned qhints;    /* hints shown for question qi */
    uint64_t qframe;    /* the frame asked about */
    char qfb[1024];     /* feedback on the last answer (or the hint) */
    int prompt;
    char pbuf[256];
    size_t plen;
    char filter[256];
    char search[256];
    char msg[640];
    /* the selected packet, decoded, and its layout */
    size_t cur; /* index decoded into pkt, or SIZE_MAX */
    uint64_t cur_num;
    int cur_width;
    uint8_t *cbuf;
    size_t ccap;
    wp_packet pkt;
    wp_packet rowpkt;
    wp_layout lo;
    /* IP reassembly on the selected packet: the text above its boxes (the
     * fragment map), and the model's reassembly generation it was made at */
    char rtitle[96];
    char rtext[8192];
    char rshort[64];  /* the same in a few words, on the pane's separator */
    uint64_t rgen;
    int rdgram;       /* pkt is the reassembled datagram, not the frame */
    /* the log pane */
    wp_tlog log;
    int log_open;
    /* terminal */
    int color, utf8;
    int dirty;
    int hangup;
    struct timespec last_draw;
    char err[256];
} view;

/* A terminal the view can draw on: known to terminfo and able to place the
 * cursor (TERM=dumb cannot). 0, or -1 with a one-line reason in err. */
int wp_tui_terminal_usable(char *err, size_t errlen);

/* ---- source.c: the sources, without drawing ---------------------------- */

/* Open the view's source (o->file indexed, o->files merged by time into
 * memory, o->iface live and then drop to o->run_as), with the conversation
 * tracker. 0, or -1 with a one-line reason in err. */
int wp_tui_open_file(view *v, char *err, size_t errlen);
int wp_tui_open_files(view *v, char *err, size_t errlen);
int wp_tui_open_live(view *v, char *err, size_t errlen);
/* Take what the live capture has ready (at most LIVE_READS frames); a read
 * error goes to v->msg. */
void wp_tui_read_live(view *v);
/* Read the log descriptor into the log pane; closed at its end. */
void wp_tui_read_log(view *v);
/* The filter typed in the view: a file is indexed again with it (and with
 * -f's); frames in memory are filtered again. A bad filter leaves the old
 * one and says why in v->msg. */
void wp_tui_apply_filter(view *v, const char *bpf);
/* Replay: reveal the packets whose time has come; with loop, start again a
 * second after the last. Returns ms until the next is due, or -1. */
int wp_tui_replay_tick(view *v);
/* After a pause or a step the replay clock restarts from the next packet. */
void wp_tui_replay_rebase(view *v);

/* ---- bars.c ----------------------------------------------------------- */

void wp_tui_draw_status(view *v, int cols);
/* The key bar at row y, or the prompt being typed. */
void wp_tui_draw_keys(view *v, int y, int cols);

/* ---- draw.c ---------------------------------------------------------- */

/* The attribute of layer i of the selected packet (its colour, the same as
 * -o hex --color's), or of the layer colour index for other packets. */
attr_t wp_tui_layer_attr(const view *v, const wp_packet *p, unsigned layer);
void wp_tui_put(int y, int x, int maxw, const char *s, attr_t a);
enum { G_UL, G_UR, G_LL, G_LR, G_H, G_V };
void wp_tui_glyph(const view *v, int y, int x, int g);
void wp_tui_hline(const view *v, int y, int x, int n);
/* Box it (scrolled to canvas row top) in the rows y0..y0+rows, cut at
 * column maxx, in attribute a. */
void wp_tui_box(const view *v, const wp_litem *it, int top, int y0, int rows, int maxx, attr_t a);
/* A centred box with lines of text; long lines wrap. */
void wp_tui_popup(const view *v, const char *title, const char *text, int lines, int cols);
/* A pane's separator line with its label at y; active panes in bold. */
void wp_tui_separator(const view *v, int y, int cols, const char *label, int active);

/* ---- the panes ----------------------------------------------------------- */

void wp_pane_list_draw(view *v, int y0, int rows, int cols);
void wp_pane_layers_draw(view *v, int y0, int rows, int cols);
void wp_pane_hex_draw(view *v, int y0, int rows, int cols);
void wp_pane_log_draw(view *v, int y0, int rows, int cols);
void wp_pane_ladder_draw(view *v, int y0, int rows, int cols);
/* The quiz on the selected packet (key x): start one, take an answer line
 * (a '?' asks for the next hint), draw it in the layered pane's place. */
void wp_pane_quiz_start(view *v);
void wp_pane_quiz_answer(view *v, const char *line);
void wp_pane_quiz_draw(view *v, int y0, int rows, int cols);
/* The bit diagram of the selected field's layer, its bits lit (key d). */
void wp_pane_diagram_draw(view *v, int y0, int rows, int cols);
/* The legend of the layers' colours, from column x of row y. */
void wp_pane_hex_legend(view *v, int y, int x, int cols);

#endif
