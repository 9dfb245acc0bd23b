/* The view's data side, without curses: what the layered pane shows for one
 * decoded packet (nested boxes, titles, field rows, events), the detail of a
 * field, and the packet index of a big file. The screen side (view.c) only
 * paints what is computed here. */
#ifndef WP_TUI_LAYOUT_H
#define WP_TUI_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/flow.h"
#include "wirepeel/pindex.h"
#include "wirepeel/packet.h"

/* What a piece of text is; the screen maps each to a colour or attribute. */
typedef enum wp_lattr {
    WP_LA_PLAIN = 0,
    WP_LA_BORDER, /* box lines, coloured by the box's layer */
    WP_LA_TITLE,  /* box title */
    WP_LA_NAME,   /* field name */
    WP_LA_VALUE,  /* field value */
    WP_LA_RANGE,  /* "@34..35" beside a field */
    WP_LA_EVENT,  /* an event: warning colour */
    WP_LA_DATA,   /* payload / trailer preview */
} wp_lattr;

typedef enum wp_litem_kind {
    WP_LI_TEXT = 0,
    WP_LI_BOX, /* a rectangle at (y, x) of h rows and w columns, title in text */
} wp_litem_kind;

#define WP_LAYOUT_TEXT 128
#define WP_LAYOUT_MAX_ITEMS 640
#define WP_LAYOUT_MAX_FIELDS 160
#define WP_LAYOUT_NOLAYER 0xff

/* One drawing command. y counts rows from the top of the pane's canvas
 * (which may be taller than the screen; the view scrolls it), x columns. */
typedef struct wp_litem {
    uint8_t kind;  /* wp_litem_kind */
    uint8_t attr;  /* wp_lattr */
    uint8_t layer; /* the packet layer it belongs to, for colour */
    int16_t field; /* index into wp_layout.fields, or -1 */
    int y, x, w, h;
    char text[WP_LAYOUT_TEXT];
} wp_litem;

/* A selectable row: a header field, or one option of an options field. */
typedef struct wp_lfield {
    uint8_t layer;       /* index into the packet's layers */
    int16_t opt;         /* index into the packet's opts, or -1 */
    const wp_field *f;   /* the field-table entry */
    uint32_t off, len;   /* the bytes it covers in the frame */
    int y, x;            /* its row, and the column of its value */
} wp_lfield;

typedef struct wp_layout {
    int width;  /* the width it was built for */
    int height; /* rows used */
    int nitems, nfields;
    int focus;     /* the layer whose fields are shown a row each, or -1: all */
    int truncated; /* ran out of item slots: the rest was left off */
    wp_litem items[WP_LAYOUT_MAX_ITEMS];
    wp_lfield fields[WP_LAYOUT_MAX_FIELDS];
    int layer_box[WP_MAX_LAYERS]; /* item index of each layer's box, -1 */
    /* set before wp_layout_build, or NULL/0: the conversation tracker's
     * annotation, shown in the transport header's box (relative seq/ack,
     * scaled window, labels with their reasons, pairing); raw: the raw
     * numbers first, the relative ones in brackets */
    const wp_flow_ann *ann;
    int raw;
    /* with ann, for a request: what the view knows of its reply (the
     * annotation was made when the request passed, before any reply):
     * 0 nothing yet, 1 answered by frame reply_num, 2 no reply (the
     * capture went on past it or ended) */
    int reply_state;
    uint64_t reply_num;
    /* set before wp_layout_build, or NULL: lines ('\n' ends each) shown in
     * a box titled pre_title above the packet's boxes (the view's IP
     * reassembly: the fragment map); long lines wrap at a space, a line
     * starting "! " is an event */
    const char *pre;
    const char *pre_title;
} wp_layout;

/* Cut s to width display columns (UTF-8 aware); a cut text ends in '>'.
 * In place; returns 1 when it cut. Everything the view cuts goes through
 * here, so nothing is cut without a mark. */
int wp_tcut(char *s, int width);

/* Lay packet p out for a pane of width columns (values below 20 are treated
 * as 20). Link box outermost, each header's box inside the one that carries
 * it, the payload innermost; a trailer sits inside the link box after the
 * inner boxes (or on its own when there is no link layer). The header of
 * layer focus shows a field a row (two columns when wide), with titles and
 * byte ranges; the other headers flow their fields as "name value" cells so
 * the whole nesting fits a small pane; focus -1 shows every header a field a
 * row. The selectable fields are the same, in the same order, whatever the
 * focus. Never fails: when the items run out, the rest is left off and
 * lo->truncated is set. */
void wp_layout_build(wp_layout *lo, const wp_packet *p, int width, int focus);

/* The layer a packet is first looked at by: the innermost header that is
 * not quoted inside an ICMP error (the ICMP header itself then); -1 when p
 * has no header. */
int wp_layout_default_focus(const wp_packet *p);

/* The detail line of selectable field lf: byte range, raw bytes, the
 * conversion and the value, mask and shift, derived arithmetic, and the
 * header's struct format. Into buf[n]; returns buf. */
const char *wp_layout_detail(const wp_packet *p, const wp_lfield *lf, char *buf, size_t n);

/* The selected field explained in full, for the detail popup: its name
 * and title, the detail line's unpacking, then what the status line has no
 * room for: the bits a mask keeps and the shift, a derived value's
 * arithmetic, a checksum's computed sum and what its status means (why
 * offloaded), an option's bytes, and the header's struct format. Lines
 * end in '\n'. Into buf[n]; returns buf. */
const char *wp_layout_explain(const wp_packet *p, const wp_lfield *lf, char *buf, size_t n);

/* The struct recipe of layer l, walked from its field table as the -o
 * struct renderer walks it (the same block: the Python format and frame
 * slice, then a line per field), into buf[n]; returns buf, empty when l is
 * not in p. */
const char *wp_layout_recipe(const wp_packet *p, unsigned layer, char *buf, size_t n);

#endif
