/* The view's model, without curses: the packets it can show (a saved file's
 * index, or frames kept in memory from a live capture or from several files
 * merged by time), the filter over them, the selection (a packet and a field
 * path), whether it follows the newest packet, the time column, search and
 * go-to, the panes' share of the rows, fitting bars to a width, and the log
 * pane's lines. The panes (pane_*.c) only paint what is computed here; every
 * decision a test can check is made here. */
#ifndef WP_TUI_MODEL_H
#define WP_TUI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/flow.h"
#include "wirepeel/pindex.h"
#include "wirepeel/reasm.h"
#include "layout.h"

/* ---- the packets ------------------------------------------------------ */

/* Does frame f pass the filter? 1 or 0. */
typedef int (*wp_tmatch_fn)(void *ctx, const wp_frame *f);

/* Is frame f, numbered num, one to list at all? Asked once per frame, in
 * order, as it is kept (a display filter that follows conversations must
 * see each frame once): 1 or 0. */
typedef int (*wp_tkeep_fn)(void *ctx, const wp_frame *f, uint64_t num);

typedef struct wp_tframe {
    wp_frame f;
    uint8_t *data;
    uint64_t num; /* its number in the capture (1-based) */
    uint8_t keep; /* the keep test's answer when it was kept */
} wp_tframe;

typedef enum wp_tfollow {
    WP_TF_OFF = 0,  /* a file: nothing to follow */
    WP_TF_ON,       /* the selection moves to each new packet */
    WP_TF_HELD_ROW, /* the user moved up the list: new packets do not move it */
    WP_TF_HELD_FIELD, /* the user picked a field: held so it can be read */
    WP_TF_PAUSED_OFF, /* the user turned following off with f */
} wp_tfollow;

typedef enum wp_ttime { WP_TT_REL = 0, WP_TT_DELTA, WP_TT_ABS, WP_TT_COUNT } wp_ttime;

/* A field named so that it can be found again in another packet: the
 * protocol, which occurrence of it (the inner IPv4 of a tunnel is 1), the
 * field's name and, for an option, its kind. */
typedef struct wp_fpath {
    uint16_t proto;
    uint8_t nth;
    int16_t opt_kind; /* -1: the field itself */
    char name[32];
} wp_fpath;

typedef struct wp_tmodel {
    /* frames in memory (live, or merged files): a ring of cap */
    wp_tframe *ring;
    size_t cap, start, n;
    uint64_t total; /* frames ever pushed: the next one gets total + 1 */
    /* the numbers of the frames in the ring that pass the filter */
    uint64_t *vis;
    size_t vstart, nvis;
    wp_tmatch_fn match;
    void *match_ctx;
    wp_tkeep_fn keep; /* NULL: every frame (set before the first push) */
    void *keep_ctx;
    /* or a saved file, indexed (re-read through rdf) */
    wp_pindex *ix;
    wp_capture_file *rdf;
    /* packets the list may show: replay and a paused live view show fewer
     * than they have; SIZE_MAX: all */
    size_t shown;
    /* selection */
    size_t sel, top;
    wp_fpath path;
    int has_path;
    wp_tfollow follow;
    wp_ttime tmode;
    int colw[3]; /* the list's source, destination and protocol widths so far */
    int64_t first_sec; /* time of the first packet, for relative times */
    uint32_t first_nsec;
    int have_first;
    /* the conversation tracker (wp_tmodel_track): an annotation and the
     * number of the reply per kept frame (memory: by ring slot) or per
     * listed frame of a file (the first WP_TMODEL_FILE_ANN) */
    wp_flow *flow;
    wp_flow_ann *ann;
    uint64_t *reply_of;
    size_t ann_cap, ann_n; /* file: annotated so far */
    wp_packet *scratch;
    struct wp_renderer *rend; /* the rows' renderer (made at the first row) */
    wp_flow_ann rowann;       /* the annotation rend renders with */
    struct wp_treasm *reasm; /* IP reassembly (model_reasm.c), made with the tracker */
    int complete; /* no more frames will come (a file read to its end, merged files) */
    int unseen;   /* a file's filter left records out of the tracker's sight: no
                     request is then said to have had no reply */
    char err[256];
} wp_tmodel;

#define WP_TMODEL_FILE_ANN 50000
#define WP_TMODEL_CONVS 4096 /* conversations the view's tracker keeps at once */

/* A model over frames kept in memory, at most cap (the oldest go first).
 * 0, or -1 when memory runs out. */
int wp_tmodel_init_mem(wp_tmodel *m, size_t cap);

/* A model over an indexed file: ix and rdf stay the caller's. */
void wp_tmodel_init_file(wp_tmodel *m, wp_pindex *ix, wp_capture_file *rdf);

void wp_tmodel_free(wp_tmodel *m);

/* Keep a copy of frame f (memory model); it gets the next number and is
 * listed when it passes the filter. 0, or -1 when memory runs out (the
 * frame is then counted but not kept). */
int wp_tmodel_push(wp_tmodel *m, const wp_frame *f);

/* Set the filter of a memory model (NULL: none) and apply it again to every
 * frame kept, so what is listed means the same as on a file. Frames the
 * keep test refused stay unlisted whatever the filter. */
void wp_tmodel_refilter(wp_tmodel *m, wp_tmatch_fn match, void *ctx);

/* Packets that pass the filter, and of those how many the list shows. */
size_t wp_tmodel_count(const wp_tmodel *m);
size_t wp_tmodel_visible(const wp_tmodel *m);

/* Listed packet i: its frame (data valid until the next call) and its
 * number in the capture. 1, or -1 with a reason in m->err. */
int wp_tmodel_frame(wp_tmodel *m, size_t i, wp_frame *f, uint64_t *num);

/* The index of the listed packet numbered num, or SIZE_MAX when it is not
 * listed (filtered out, not read yet, or no such frame). */
size_t wp_tmodel_find_num(wp_tmodel *m, uint64_t num);

/* ---- conversations ------------------------------------------------------ */

/* Follow conversations: every frame kept from now on (memory) or annotated
 * (file, wp_tmodel_annotate) gets the tracker's annotation (relative
 * numbers, analysis labels, request/reply pairing). 0, or -1 when memory
 * runs out (the view then shows no marks). */
int wp_tmodel_track(wp_tmodel *m);

/* A file: annotate up to budget more listed packets, in order. Returns how
 * many. */
size_t wp_tmodel_annotate(wp_tmodel *m, size_t budget);

/* The annotation of listed packet i, or NULL (not tracked, not yet
 * annotated, or past the file's cap). */
const wp_flow_ann *wp_tmodel_ann(wp_tmodel *m, size_t i);

/* Listed packet i as the tracker sees it, for pairing marks: 1 a request
 * whose reply is listed and shown (*partner its index), 2 a request with no
 * reply shown although the capture went on a second past it (or ended),
 * 3 a reply (*partner the request's index, SIZE_MAX when it is not listed),
 * 0 nothing to mark (or a request still waiting, or m->unseen). */
int wp_tmodel_pairing(wp_tmodel *m, size_t i, size_t *partner);

/* Forget the annotations and track again from the first listed packet (a
 * file indexed again under a new filter). */
void wp_tmodel_retrack(wp_tmodel *m);

/* The label of listed packet i's arrow in the ladder: what the summary
 * line says after the protocol ("[SYN] seq 0 win 65495 len 0", "len 12
 * reply to #1 0.111 ms"), into buf[n]; returns buf. */
const char *wp_tmodel_arrow_label(wp_tmodel *m, size_t i, wp_packet *pkt, char *buf, size_t n);

/* The listed packet before (dir -1) or after (1) i in i's conversation, or
 * SIZE_MAX. */
size_t wp_tmodel_conv_step(wp_tmodel *m, size_t i, int dir);

/* Frame number num, listed or not, while it is kept (memory) or indexed
 * (file): its frame (data valid until the next call). 1, or -1. */
int wp_tmodel_frame_num(wp_tmodel *m, uint64_t num, wp_frame *f);

/* ---- IP reassembly (model_reasm.c) ------------------------------------------ */

/* Fragments the view remembers (which datagram each went into): 24 bytes
 * each; past it, later fragments are not reassembled (said on the frame). */
#define WP_TREASM_MAP (1u << 16)

/* Made and freed with the tracker (wp_tmodel_track, untrack): the view
 * then reassembles IP fragments in the frames the tracker sees, in order.
 * 0, or -1 when out of memory (the view then shows no reassembly). */
int wp_treasm_new(wp_tmodel *m);
void wp_treasm_free(wp_tmodel *m);
/* The tracker's frame numbered num, decoded in p: fed to the reassembler
 * (the model's push and annotate call it after the tracker). */
void wp_treasm_feed(wp_tmodel *m, const wp_packet *p, uint64_t num);
/* A file: the frames past the tracker's cap (WP_TMODEL_FILE_ANN) are fed
 * to the reassembler alone, budget at a time, once the tracker is done
 * (wp_tmodel_annotate calls it). Returns how many. wp_treasm_behind: 1
 * while some listed frame has not been fed. */
size_t wp_treasm_catch_up(wp_tmodel *m, size_t budget);
int wp_treasm_behind(const wp_tmodel *m);
/* Bumps each time a datagram completes or is given up: a fragment shown before may now
 * say where it was reassembled. */
uint64_t wp_treasm_gen(const wp_tmodel *m);

typedef enum wp_treasm_status {
    WP_TR_NONE = 0,  /* not a fragment (or not fed yet, or no reassembly) */
    WP_TR_HELD,      /* a fragment whose datagram has not completed (yet) */
    WP_TR_IN,        /* a fragment of the datagram frame `in` completed */
    WP_TR_COMPLETE,  /* this frame completed a datagram: d, bytes, len */
    WP_TR_DROPPED,   /* a fragment the engine could not use (ev says why) */
    WP_TR_GIVEN_UP,  /* its datagram was given up: timeout, too many fragments */
    WP_TR_LOST,      /* it completed one, but a fragment is no longer kept */
    WP_TR_UNTRACKED, /* past WP_TREASM_MAP fragments: not followed */
} wp_treasm_status;

typedef struct wp_treasm_info {
    wp_treasm_status status;
    unsigned ev;         /* the WP_IPR_EV_* this frame raised when fed */
    uint64_t in;         /* IN, COMPLETE: the frame that completed the datagram */
    int done;            /* HELD: the capture is read to its end: it never will */
    int filtered;        /* HELD: a file's filter left packets out (m->unseen): the
                            rest may be among them */
    const char *line;    /* HELD (done), GIVEN_UP: what show reports of the datagram
                            ("incomplete IPv4 datagram ...: frames 10, 11; 800 bytes
                            held, missing 400..799"), or NULL */
    wp_ipr_dgram d;      /* COMPLETE: key and fragment map (frags valid until the next call) */
    const uint8_t *bytes; /* COMPLETE: the datagram as a raw IP packet (WP_LINK_RAW) */
    uint32_t len;
} wp_treasm_info;

/* What reassembly says of the frame numbered num: for the frame that
 * completed a datagram, the datagram is put together again from its
 * fragments (read back through the model; bounded by the engine's
 * fragment cap). Once the capture is complete and every frame fed, the
 * datagrams still held are let go (never completed; their holes in
 * out->line). Fills *out; returns out->status. */
wp_treasm_status wp_treasm_get(wp_tmodel *m, uint64_t num, wp_treasm_info *out);

/* The lines the layered pane shows above the packet's boxes for r: the
 * datagram's key, its length and fragment count and the fragment map (a
 * line a fragment: frame, byte range, offset in bytes and 8-byte units,
 * overlaps and which copy was kept), or "fragment data, reassembled in #N";
 * a line starting "! " is an event. Lines end in '\n'. Into buf[n], the box
 * title into title[tn]; returns buf ("" for WP_TR_NONE). */
const char *wp_treasm_text(const wp_treasm_info *r, char *title, size_t tn, char *buf, size_t n);

/* A few words for the layered pane's separator, in sight however the pane
 * is scrolled: "reassembled from 3 fragments", "fragment, reassembled in
 * #3", "fragment, never completed", ... Into buf[n]; returns buf ("" for
 * WP_TR_NONE). */
const char *wp_treasm_short(const wp_treasm_info *r, char *buf, size_t n);

/* ---- selection and following ------------------------------------------- */

/* Select listed packet i (clamped to the list). */
void wp_tmodel_select(wp_tmodel *m, size_t i);

/* Move the selection by d packets; moving up holds a followed view. */
void wp_tmodel_move(wp_tmodel *m, long d);

/* The user picked a field: a followed view is held there. */
void wp_tmodel_field_picked(wp_tmodel *m);

/* End / f: follow again (a live or replayed source; a file only goes to
 * its last packet). f toggles: following turns it off. */
void wp_tmodel_end(wp_tmodel *m, int live);
void wp_tmodel_toggle_follow(wp_tmodel *m, int live);

/* After new packets: a followed view selects the newest. */
void wp_tmodel_tick(wp_tmodel *m);

/* The state for the status bar: "following", "held: scrolled up (End
 * resumes)", ... or "" for a file. */
const char *wp_tmodel_follow_text(const wp_tmodel *m, int shortform);

/* Keep the selected row in sight in a list of rows rows: returns the first
 * row to draw (also kept in m->top). */
size_t wp_tmodel_scroll(wp_tmodel *m, size_t rows);

/* ---- field paths ---------------------------------------------------------- */

/* The path of field fi of layout lo (for packet p). 0, or -1 for no field. */
int wp_fpath_of(const wp_packet *p, const wp_layout *lo, int fi, wp_fpath *fp);

/* The index in lo of the field at path fp, or -1 when p has no such field. */
int wp_fpath_find(const wp_packet *p, const wp_layout *lo, const wp_fpath *fp);

/* "tcp.flags", "ipv4.options[7]": into buf[n]; returns buf. */
const char *wp_fpath_text(const wp_fpath *fp, char *buf, size_t n);

/* ---- the list's rows ------------------------------------------------------- */

/* The time column's heading for mode tm ("Rel time", "Delta t", "UTC time"). */
const char *wp_ttime_heading(wp_ttime tm);

#define WP_TCOL_ADDR 28 /* an address column grows to this, no further */
#define WP_TCOL_PROTO 6

/* Listed packet i as a list row: No. right-aligned to numw, the time in
 * m->tmode, then source, destination, protocol and info as the summary
 * line gives them (with align, source, destination and protocol padded to
 * the widest seen so far, kept in m->colw), in at most width columns; a cut
 * row ends in '>'. pkt is scratch for the decode. Returns buf (empty when i
 * cannot be read). */
const char *wp_tmodel_row(wp_tmodel *m, size_t i, wp_packet *pkt, int numw, int width, int align,
                          char *buf, size_t n);

/* The time of a packet at ts as the time column shows it in mode tm:
 * relative to (s0, n0), since the packet before it (ps, pn), or absolute
 * UTC. Into buf[n]. */
const char *wp_ttime_text(wp_ttime tm, int64_t s, uint32_t ns, int64_t s0, uint32_t n0,
                          int64_t ps, uint32_t pn, char *buf, size_t n);

/* ---- finding things --------------------------------------------------------- */

/* Search the listed packets from index from (exclusive), forwards (dir 1)
 * or backwards (-1), wrapping once, for pat: text in the list row (case
 * insensitive) or in the packet's bytes; pat of hex digits ("45 00",
 * "0x4500", "de:ad") is also looked for as bytes. Returns the index of the
 * first match, or SIZE_MAX. */
size_t wp_tmodel_search(wp_tmodel *m, size_t from, int dir, const char *pat, wp_packet *pkt);

/* Parse pat as hex bytes into out (at most cap). The count, or 0 when pat
 * is not hex bytes. */
size_t wp_tsearch_hex(const char *pat, uint8_t *out, size_t cap);

/* ---- the panes' rows ----------------------------------------------------------- */

enum { WP_PANE_LIST = 0, WP_PANE_LAYERS, WP_PANE_HEX, WP_PANE_COUNT };

typedef struct wp_tpanes {
    int list_extra;  /* rows given to (or, negative, taken from) the list */
    int hex_extra;   /* the same for the hex pane */
    int zoom;        /* -1, or the pane shown alone */
    int list_need;   /* > 0: the list never takes more rows than this (a
                        short file's packets and the heading) */
} wp_tpanes;

typedef struct wp_trows {
    int notice;          /* rows of the notice (0 to 2) */
    int list, layers, hex, log; /* rows of each pane, its separator not counted */
} wp_trows;

/* Share lines rows among the panes (notice: the rows a notice wants, 0 to
 * 2; it gets a second only from 24 rows): the status bar, the detail line and
 * the key bar take one each; the list gets at least 8 packet rows on a 24
 * row screen, the layered pane most of the rest, the hex pane at least 2;
 * a log pane (log set) 3 (2 under 33 rows); zoom shows one pane alone. Never returns a
 * negative count; a screen under 12 rows drops the hex pane first. */
void wp_tpanes_rows(const wp_tpanes *pz, int lines, int notice, int log, wp_trows *r);

/* Grow (d > 0) or shrink pane pane by d rows, within what lines allows. */
void wp_tpanes_grow(wp_tpanes *pz, int pane, int d, int lines);

/* ---- bars that fit ----------------------------------------------------------------- */

/* A bar made of n items, each with a long and a short word form: the long
 * forms when they fit in width, else items switched to their short forms
 * one after another from the first until it fits, else as many short items
 * as fit (whole items only, never a cut word or value). sep goes between.
 * Into buf[cap]; returns buf. */
const char *wp_tbar_fit(const char *const *longs, const char *const *shorts, size_t n,
                        const char *sep, int width, char *buf, size_t cap);

/* ---- the log pane's lines ------------------------------------------------------------ */

#define WP_TLOG_LINES 64
#define WP_TLOG_WIDTH 200

typedef struct wp_tlog {
    char lines[WP_TLOG_LINES][WP_TLOG_WIDTH];
    size_t start, n;
    char part[WP_TLOG_WIDTH]; /* a line not ended yet */
    size_t plen;
} wp_tlog;

/* Feed n bytes read from the log descriptor: each full line becomes a log
 * line (the oldest go first; a line too long is cut with '>'; control
 * characters become spaces). */
void wp_tlog_feed(wp_tlog *lg, const char *buf, size_t n);

/* Line i of the last k (0 is the oldest of them), or "". */
const char *wp_tlog_line(const wp_tlog *lg, size_t i);

#endif
