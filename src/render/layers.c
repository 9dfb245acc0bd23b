/* -o layers: one block per layer, indented by nesting depth: a title line
 * with the byte range and header length, every shown field with its value
 * and derived arithmetic, the checksum status, options one per line, the
 * layer's events; data layers with their range and a printable preview. */
#include <string.h>

#include "render_int.h"

#define NAME_COL 14
#define TITLE_COL 26

/* Each line is written through a char pointer into LINE_ROOM bytes taken
 * once with wp_chunk_begin (one check of the sink per line instead of one
 * per piece; a memory sink without the room gets the line in a buffer on the
 * stack and keeps what fits of it); LINE_ROOM is more than the longest line,
 * proven where each line is written. The indent is at most 2 + 2 x 16 + 4 =
 * 38 (wp_render_layers), within wp_p_pad's 40. */
#define LINE_ROOM 1024

/* Longest table name (proto title, link type, checksum status) a line
 * copies; a longer one (none in the tables) is cut to this length, so the
 * bounds hold for any table. */
#define NAME_MAX_FAST 127

/* "@off" or "@off..end" (at most 1 + 10 + 2 + 10 = 23 bytes). */
static inline char *put_range(char *o, uint32_t off, uint32_t n)
{
    *o++ = '@';
    o = wp_p_u64(o, off);
    if (n > 1) {
        o = wp_p_str(o, "..", 2);
        o = wp_p_u64(o, off + n - 1);
    }
    return o;
}

/* "Frame 1: 54 bytes captured of 54, EN10MB, <ts>\n": at most 6 + 20 + 2 + 10
 * + 19 + 10 + 2 + 127 (or "linktype " 9 + 10) + 2 + WP_TS_STRLEN 32 + 1 bytes. */
void wp_rv_frame_title(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    const char *lt = wp_linktype_name(p->linktype);
    char tmp[LINE_ROOM];
    char *b = wp_chunk_begin(s, sizeof tmp, tmp);
    char *e = wp_p_str(b, "Frame ", 6);
    e = wp_p_u64(e, no);
    e = wp_p_str(e, ": ", 2);
    e = wp_p_u64(e, p->caplen);
    e = wp_p_str(e, " bytes captured of ", 19);
    e = wp_p_u64(e, p->len);
    e = wp_p_str(e, ", ", 2);
    if (lt) {
        e = wp_p_name_cut(e, lt, NAME_MAX_FAST);
    } else {
        e = wp_p_str(e, "linktype ", 9);
        e = wp_p_u64(e, (uint64_t)(uint32_t)p->linktype);
    }
    e = wp_p_str(e, ", ", 2);
    e += wp_rv_ts_text(s, p, o, e);
    *e++ = '\n';
    wp_chunk_end(s, b, e, tmp);
}

/* Bytes as printable ASCII, '.' for the rest: 8 at a time without a branch
 * per byte (each byte's test stays inside its own byte: no carries cross). */
static void printable(char *out, const uint8_t *in, uint32_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, in + i, 8);
        uint64_t y = x & ~high;                     /* low 7 bits of each byte */
        uint64_t ge20 = (y + 0x60 * ones) & high;   /* y >= 0x20 */
        uint64_t ge7f = (y + ones) & high;          /* y >= 0x7f */
        uint64_t ok = ge20 & ~ge7f & ~x;            /* and below 0x80 */
        uint64_t bad = (~ok & high) >> 7;           /* 1 in each unprintable byte */
        uint64_t m = bad * 0xff;
        x = (x & ~m) | ((uint64_t)'.' * ones & m);
        memcpy(out + i, &x, 8);
    }
    for (; i < n; i++) {
        uint8_t c = in[i];
        out[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
    }
}

static void events_of_slow(wp_sink *s, const wp_packet *p, unsigned layer, unsigned indent)
{
    for (unsigned i = 0; i < p->nevents; i++) {
        const wp_event *e = &p->events[i];
        int mine = layer < p->nlayers ? e->layer == layer : e->layer >= p->nlayers;
        if (!mine)
            continue;
        wp_sink_pad(s, indent);
        wp_w(s, "! ", 2);
        wp_puts(s, e->def->code);
        wp_w(s, ": ", 2);
        wp_rv_event_text(s, e);
        wp_putc(s, '\n');
    }
}

/* The events of layer (WP_MAX_LAYERS: of the frame) as lines; most packets
 * have none, so the check stays inline. */
static inline void events_of(wp_sink *s, const wp_packet *p, unsigned layer, unsigned indent)
{
    if (p->nevents)
        events_of_slow(s, p, layer, indent);
}

/* "    name          Title                     ": the columns after the
 * indent come from the sink's per-field cache, laid out once per field. */
static void field_head_slow(wp_sink *s, unsigned ind, const wp_field *f)
{
    size_t nl = strlen(f->name), tl = strlen(f->title);
    size_t c1 = ind + (nl < NAME_COL ? NAME_COL : nl + 1);
    size_t total = c1 + (tl < TITLE_COL ? TITLE_COL : tl + 1);
    wp_sink_pad(s, ind);
    wp_w(s, f->name, nl);
    wp_sink_pad(s, c1 - ind - nl);
    wp_w(s, f->title, tl);
    wp_sink_pad(s, total - c1 - tl);
}

/* Lay out field f's name and title columns in its cache slot (first use). */
static void fill_cols(struct wp_sink_fc *c, const wp_field *f)
{
    size_t nl = strlen(f->name), tl = strlen(f->title);
    size_t c1 = nl < NAME_COL ? NAME_COL : nl + 1;
    size_t total = c1 + (tl < TITLE_COL ? TITLE_COL : tl + 1);
    c->key = f;
    c->kind = WP_FC_LAYERS;
    c->len = 0;
    if (total <= sizeof c->text) {
        memset(c->text, ' ', sizeof c->text);
        memcpy(c->text, f->name, nl);
        memcpy(c->text + c1, f->title, tl);
        c->len = (uint8_t)total;
    }
}

/* The cache slots of all of proto's n fields (slot k of field k: wp_fc_slot
 * gives each proto's fields consecutive slots), or NULL when the last one
 * has no slot. */
static struct wp_sink_fc *layer_cols(wp_sink *s, unsigned proto, size_t n)
{
    if (n == 0 || !wp_fc_slot(s, proto, n - 1))
        return NULL;
    /* the slots may be filled with the columns now: JSON's plan is gone */
    s->fc_plan[proto] = 0;
    return wp_fc_slot(s, proto, 0);
}

/* One field's line: the indent (at most 36) and the cached columns (54) at
 * most 90 bytes, the value at most WP_VALUE_MAX, the newline: < LINE_ROOM. cols: the
 * layer's cache slots or NULL (then, or for columns too wide for a slot, the
 * columns are laid out through the sink). */
static inline __attribute__((always_inline)) void
field_line(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
           struct wp_sink_fc *cols, size_t k, const wp_field *f)
{
    struct wp_sink_fc *c = cols ? cols + k : NULL;
    if (c && (c->key != f || c->kind != WP_FC_LAYERS))
        fill_cols(c, f);
    if (c && !c->len)
        c = NULL;
    if (c) {
        char tmp[LINE_ROOM];
        char *b = wp_chunk_begin(s, sizeof tmp, tmp);
        wp_p_pad(b, ind);
        memcpy(b + ind, c->text, sizeof c->text);
        char *e = wp_p_value(b + ind + c->len, l, f, 0);
        *e++ = '\n';
        wp_chunk_end(s, b, e, tmp);
        return;
    }
    field_head_slow(s, ind, f);
    wp_rv_value(s, p, l, f, 0);
    wp_putc(s, '\n');
}

/* One option's line: indent (at most 38; wp_p_pad stores 40), range (23)
 * and a space through the pointer; the text through wp_rv_opt_text. */
static void opt_line(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
                     const wp_opt *op)
{
    char tmp[40 + 23 + 1];
    char *b = wp_chunk_begin(s, sizeof tmp, tmp);
    char *e = wp_p_pad(b, ind);
    e = put_range(e, op->off, op->len ? op->len : 1);
    *e++ = ' ';
    wp_chunk_end(s, b, e, tmp);
    wp_rv_opt_text(s, p, l, op);
    wp_putc(s, '\n');
}

/* A data layer's line: "  Payload  @42..62  21 bytes  "..."..."": indent 34 +
 * short name 127 + 2 + range 23 + 2 + 10 + " bytes" 6 + preview 3 + 48 + 1 +
 * 3 + newline 1 < LINE_ROOM. */
static char *data_line(char *o, const wp_packet *p, unsigned ind, const wp_layer *l,
                       const wp_proto_info *pi)
{
    o = wp_p_pad(o, ind);
    o = wp_p_name_cut(o, pi->short_name, NAME_MAX_FAST);
    o = wp_p_str(o, "  ", 2);
    o = put_range(o, l->off, l->len);
    o = wp_p_str(o, "  ", 2);
    o = wp_p_u64(o, l->len);
    o = l->len == 1 ? wp_p_str(o, " byte", 5) : wp_p_str(o, " bytes", 6);
    uint32_t n = l->len;
    if (l->off < p->caplen && n != 0) {
        if (n > p->caplen - l->off)
            n = p->caplen - l->off;
        uint32_t show = n > 48 ? 48 : n;
        o = wp_p_str(o, "  \"", 3);
        printable(o, p->data + l->off, show);
        o += show;
        *o++ = '"';
        if (show < n)
            o = wp_p_str(o, "...", 3);
    }
    *o++ = '\n';
    return o;
}

/* A header layer's title line: indent 34 + short name 127 + " (" 2 + title
 * 127 + ")  " 3 + range 23 + "  header " 9 + 10 + " bytes" 6 + ", length " 9
 * + 10 + "  checksum " 11 + 127 + " (computed 0x" 13 + 16 + ")" 1 + the
 * three marks 13 + 12 + 17 + newline 1 = 560 < LINE_ROOM. */
static char *layer_line(char *o, unsigned ind, const wp_layer *l, const wp_proto_info *pi)
{
    const char *cs = wp_csum_name(l->csum);
    o = wp_p_pad(o, ind);
    o = wp_p_name_cut(o, pi->short_name, NAME_MAX_FAST);
    o = wp_p_str(o, " (", 2);
    o = wp_p_name_cut(o, pi->title, NAME_MAX_FAST);
    o = wp_p_str(o, ")  ", 3);
    o = put_range(o, l->off, l->hdr_len);
    o = wp_p_str(o, "  header ", 9);
    o = wp_p_u64(o, l->hdr_len);
    o = l->hdr_len == 1 ? wp_p_str(o, " byte", 5) : wp_p_str(o, " bytes", 6);
    if (l->len != l->hdr_len) {
        o = wp_p_str(o, ", length ", 9);
        o = wp_p_u64(o, l->len);
    }
    if (cs) {
        o = wp_p_str(o, "  checksum ", 11);
        o = wp_p_name_cut(o, cs, NAME_MAX_FAST);
        if (l->csum == WP_CSUM_BAD) {
            o = wp_p_str(o, " (computed 0x", 13);
            o = wp_p_hex(o, l->csum_computed, 4);
            *o++ = ')';
        }
    }
    if (l->flags & WP_LF_TRUNCATED)
        o = wp_p_str(o, "  [truncated]", 13);
    if (l->flags & WP_LF_QUOTED)
        o = wp_p_str(o, "  [quoted]", 10);
    if (l->flags & WP_LF_FRAGMENT)
        o = wp_p_str(o, "  [in a fragment]", 17);
    *o++ = '\n';
    return o;
}

void wp_render_layers(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    wp_rv_frame_title(s, p, no, o);
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        unsigned ind = 2u + 2u * (l->depth < 16 ? l->depth : 16);
        char tmp[LINE_ROOM];
        char *b = wp_chunk_begin(s, sizeof tmp, tmp);
        if (wp_rv_is_data(l)) {
            wp_chunk_end(s, b, data_line(b, p, ind, l, pi), tmp);
            events_of(s, p, i, ind + 2);
            continue;
        }
        wp_chunk_end(s, b, layer_line(b, ind, l, pi), tmp);
        struct wp_sink_fc *cols = layer_cols(s, l->proto, pi->nfields);
        /* decided once for the layer; the fields that are not fixed are
         * asked one by one */
        int all = wp_fixed_shown(s, p, l);
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (!(all && wp_field_fixed(f)) && !wp_field_shown(p, l, f))
                continue;
            field_line(s, p, ind + 2, l, cols, k, f);
            if (f->kind != WP_FK_OPTIONS)
                continue;
            unsigned end = (unsigned)l->opt_first + l->opt_count;
            for (unsigned j = l->opt_first; j < end && j < p->nopts; j++)
                opt_line(s, p, ind + 4, l, &p->opts[j]);
        }
        events_of(s, p, i, ind + 2);
    }
    events_of(s, p, WP_MAX_LAYERS, 2);
    wp_putc(s, '\n');
}
