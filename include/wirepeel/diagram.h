/* wirepeel — header diagrams: every header laid out the RFC way (32-bit
 * rows, one cell per field at its bit position) with this packet's values.
 *
 * The model is built from the layer's field table alone (offset, width,
 * mask and shift of each row), so no header is described twice. A field
 * whose bits other fields of the table name (IPv4 flags: df, mf) is drawn as
 * those fields plus its unnamed bits; a flag field whose describe function
 * names single bits (TCP flags) is split into one cell per bit; bits no field
 * covers become gap cells; the options field is one variable-length cell the
 * renderers expand one option a row. Cells whose bytes were not captured are
 * marked missing. Nothing here allocates or prints; the model holds no
 * curses and no sink, so the view, the text, SVG, HTML and Markdown writers
 * and the tests all read the same cells. */
#ifndef WIREPEEL_DIAGRAM_H
#define WIREPEEL_DIAGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"
#include "wirepeel/render.h"

typedef enum wp_diag_kind {
    WP_DC_FIELD = 1, /* a whole field of the table */
    WP_DC_BIT,       /* one named bit of a flag field (TCP's SYN) */
    WP_DC_REST,      /* bits of a split field that no field or bit name covers */
    WP_DC_GAP,       /* bits no field of the table covers */
    WP_DC_VAR,       /* the variable-length part (options) up to the header's end */
} wp_diag_kind;

typedef struct wp_diag_cell {
    uint8_t kind;       /* wp_diag_kind */
    uint8_t missing;    /* not every byte of the cell was captured */
    uint8_t bitno;      /* WP_DC_BIT: the bit's place in f's value (0 = lowest) */
    const wp_field *f;  /* FIELD, VAR: the field; BIT, REST: the field split; GAP: NULL */
    uint32_t bit;       /* first bit, from the layer's first bit (0 = MSB of byte 0) */
    uint32_t nbits;
    char label[8];      /* BIT: the bit's name ("SYN"); REST: "Rsv"; GAP: "-" */
} wp_diag_cell;

#define WP_DIAG_MAX_CELLS 48
#define WP_DIAG_MAX_SPLIT 4

typedef struct wp_diag {
    const wp_packet *p;
    const wp_layer *l;
    const wp_proto_info *info;
    uint32_t nbits;     /* bits the diagram covers: the header (and options) */
    uint32_t cap_bits;  /* of those, the bits captured */
    uint16_t ncells;
    uint8_t overflow;   /* the table had more cells than fit (never for wirepeel's) */
    uint8_t nsplit;
    const wp_field *split[WP_DIAG_MAX_SPLIT]; /* fields drawn as their parts */
    wp_diag_cell cells[WP_DIAG_MAX_CELLS];    /* ordered by bit */
} wp_diag;

/* Build the diagram of layer index li of packet p into *d. Returns 0, or -1
 * (d then has no cells) when li is out of range or the layer is a data layer
 * or has no field table. Never reads a byte past p->caplen. */
int wp_diag_build(const wp_packet *p, unsigned li, wp_diag *d);

/* The bits field f covers, counted from its layer's first bit (0 = the MSB
 * of byte 0): its bytes read as one big-endian number, of which the mask
 * (when set) picks one run. A mask that is not one run counts as all the
 * bytes. */
void wp_diag_field_bits(const wp_field *f, uint32_t *bit, uint32_t *nbits);

/* Index of the cell holding bit (counted from the layer's first bit), or -1
 * when no cell does (past the diagram). */
int wp_diag_cell_at(const wp_diag *d, uint32_t bit);

/* The frame bytes cell c covers: *off (frame offset) and *len (whole
 * bytes, a sub-byte cell gives its one byte). */
void wp_diag_cell_span(const wp_diag *d, const wp_diag_cell *c, uint32_t *off, uint32_t *len);

/* The bits of the cell's bytes that belong to it, as a mask over those
 * bytes read as one big-endian number (0: all of them). */
uint64_t wp_diag_cell_mask(const wp_diag *d, const wp_diag_cell *c);

/* The cell's name for people: the field's title, or the bit's label. */
const char *wp_diag_cell_title(const wp_diag_cell *c);

/* The cell's short name: the field's JSON name, or the bit's label. */
const char *wp_diag_cell_name(const wp_diag_cell *c);

/* The cell's name for a cell cols columns wide, into buf[n]: its title, the
 * title without its trailing remark ("Fragment offset"), the one-word
 * abbreviation in it ("IHL"), or its short name, whichever fits first.
 * Returns 1, or 0 (buf unchanged) when none fits. */
int wp_diag_cell_label(const wp_diag_cell *c, unsigned cols, char *buf, size_t n);

/* The cell's value in at most cols display columns ("5 ×4=20", "0x0800
 * (IPv4)", "1"), into buf[n]: the longest form that fits, else the
 * shortest cut to cols. Returns 1 when the full form fitted, 0 when it was
 * shortened (the writers then give the full one in a note), -1 for a
 * missing cell (buf says "missing" as far as it fits). */
int wp_diag_cell_value(const wp_diag *d, const wp_diag_cell *c, unsigned cols, char *buf,
                       size_t n);

/* Option o of the diagram's layer as one line of its variable part: the
 * text of -o layers ("mss (kind 2, len 4) 1460"), or with blank only the
 * name, kind and length. Into buf[n]; returns buf. */
const char *wp_diag_opt_text(const wp_diag *d, const wp_opt *o, int blank, char *buf, size_t n);

/* Display columns of UTF-8 text s (every code point one column). */
size_t wp_diag_cols(const char *s);

/* Formats of wirepeel diagram. */
typedef enum wp_diag_format {
    WP_DIAG_TEXT = 0,
    WP_DIAG_SVG,
    WP_DIAG_HTML,
    WP_DIAG_MD,
    WP_DIAG_TSV,
} wp_diag_format;

/* "text", "svg", "html", "md", "tsv"; -1 for anything else. */
int wp_diag_format_parse(const char *name);

/* Write the diagram of packet p (frame number frame_no) in format fmt into
 * s: every header layer, or only layer index `only` when it is >= 0. blank
 * leaves every value out (worksheets). Data layers get a one-line box
 * (text, HTML) or are left out (SVG). */
void wp_diag_write(wp_sink *s, wp_diag_format fmt, const wp_packet *p, uint64_t frame_no,
                   int only, int blank);

/* The text diagram of one layer (rows, option lines, notes), as -o diagram
 * and the view draw it. */
void wp_diag_text_layer(wp_sink *s, const wp_packet *p, unsigned li, int blank);

/* The blank text diagram of layer li (as wp_diag_text_layer with blank)
 * with the name of the cell that starts at bit `bit` (counted from the
 * layer's first bit) replaced by '?' marks: the quiz's blanked-field
 * question. A bit where no cell starts hides nothing. Returns the number
 * of lines written (0 for li out of range). */
size_t wp_diag_text_ask(wp_sink *s, const wp_packet *p, unsigned li, uint32_t bit);

/* Where the 32-bit rows end: the variable part (options) is drawn a line
 * an option from the first row boundary at or after its start; *var is its
 * cell (NULL: none). */
uint32_t wp_diag_grid_end(const wp_diag *d, const wp_diag_cell **var);

/* What a line of the text diagram shows: the 32-bit row (row r holds bits
 * 32r..32r+31 of the header) of a line inside the grid, else -1; the packet
 * option (index into p->opts) of an option line, else -1; var 1 on the lines
 * of the variable part. */
typedef struct wp_diag_line {
    int32_t row;
    int32_t opt;
    int32_t var;
    int32_t ruler; /* 1 on the two bit-ruler lines */
} wp_diag_line;

/* What the view lights in a text diagram: bits [bit, bit+nbits) of the
 * header (a field), or option opt (>= 0), or every line of the variable
 * part (all_opts: the options field as a whole). */
typedef struct wp_diag_sel {
    uint32_t bit, nbits;
    int32_t opt;
    int all_opts;
} wp_diag_sel;

/* The selection of field f (or, opt >= 0, of that option of its layer). */
wp_diag_sel wp_diag_sel_of(const wp_field *f, int opt);

/* The columns of a text diagram line (described by m) that show sel:
 * returns 1 with them in [*c0, *c1), else 0. Grid lines light the selected
 * bits of their row (two columns a bit after the 6-column gutter: IHL is
 * columns 15-21), ruler lines the selected bits of the first row they
 * touch, option lines their whole width. */
int wp_diag_lit_cols(const wp_diag_line *m, const wp_diag_sel *sel, int *c0, int *c1);

/* wp_diag_text_layer that also fills map[i] for line i (up to nmap lines),
 * so the view can light the selected field's bits; returns the number of
 * lines written. */
size_t wp_diag_text_map(wp_sink *s, const wp_packet *p, unsigned li, int blank,
                        wp_diag_line *map, size_t nmap);

/* -o diagram: the frame's title line, then every layer's text diagram. */
void wp_render_diagram(wp_sink *s, const wp_packet *p, uint64_t frame_no,
                       const wp_render_opts *o);

#endif
