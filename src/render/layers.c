/* -o layers: one block per layer, indented by nesting depth: a title line
 * with the byte range and header length, every shown field with its value
 * and derived arithmetic, the checksum status, options one per line, the
 * layer's events; data layers with their range and a printable preview. */
#include <assert.h>
#include <string.h>

#include "render/flow_out.h"
#include "render_int.h"

#define NAME_COL 14
#define TITLE_COL 26

/* Lines are written through a char pointer into room taken once per layer
 * (layer_lines) or per line (the frame title, a data line, and every line
 * of a sink without the layer's room: then into a buffer on the stack,
 * which keeps what fits); LINE_ROOM is more than the longest line, proven
 * where each line is written. The indent is at most 2 + 2 x 16 + 4 = 38
 * (wp_render_layers), within wp_p_pad's 40. */
#define LINE_ROOM 1024

/* Longest table name (proto title, link type, checksum status) a line
 * copies; a longer one (none in the tables) is cut to this length, so the
 * bounds hold for any table. */
#define NAME_MAX_FAST 127

/* The plan (with its line cache) has an entry for every field slot
 * (indexed alike). */
static_assert(sizeof ((wp_renderer *)0)->lp / sizeof ((wp_renderer *)0)->lp[0] ==
                  sizeof ((wp_renderer *)0)->fc / sizeof ((wp_renderer *)0)->fc[0],
              "one plan entry per field slot");

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

/* "N byte" or "N bytes" (at most 10 + 6 bytes, and wp_p_u64's slack 1
 * inside them). */
static inline char *put_bytes(char *o, uint32_t n)
{
    o = wp_p_u64(o, n);
    return n == 1 ? wp_p_str(o, " byte", 5) : wp_p_str(o, " bytes", 6);
}

/* "Frame 1: 54 bytes captured of 54, EN10MB, <ts>\n": at most 6 + 20 + 2 + 10
 * + 19 + 10 + 2 + 127 (or "linktype " 9 + 10) + 2 + WP_TS_STRLEN 32 + 1 bytes. */
void wp_rv_frame_title(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
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
    e += wp_rv_ts_text(r, p, e);
    *e++ = '\n';
    wp_chunk_end(s, b, e, tmp, sizeof tmp);
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
 * indent come from the renderer's per-field plan, laid out once per field. */
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

/* How a field's line is written: the plan of each field (wp_renderer.lp,
 * op), worked out once from its const table entry, so that the loop over
 * the fields asks no question of the table per line. Every value is
 * written by its kind's writer (wp_p_k_*, WP_VS_TEXT); the plan only picks
 * it and reads the number (wp_hdr_uint).
 * - LP_DEC, LP_HEX: a UINT or BOOL field with no describe function, no
 *   multiplier, not a checksum: the number alone, in decimal, or (a hex
 *   UINT) "0x" and digits hex digits - what wp_p_num writes for it.
 * - LP_CSUM: a hex UINT field named "checksum" with neither: the number and
 *   the layer's checksum status (wp_p_csum_status), as wp_p_num_extras.
 * - LP_NUM, LP_MAC, LP_IPV4: the whole line after the indent comes from the
 *   line cache (wp_renderer.lp[].lc) when its key was seen, as it must be a pure
 *   function of (field, key), the key being the number or the address
 *   bytes. The depth only moves the line (the indent is written apart), and
 *   a field cut by the capture is not shown at all (wp_field_shown), so a
 *   shown one's text never depends on the cut. LP_NUM: a UINT or BOOL field
 *   with a describe function or a multiplier, not the checksum; its line is
 *   the columns, the number, f->mult's arithmetic and f->describe(v)
 *   (wp_p_num, wp_p_num_extras), and the describe functions are pure
 *   - they take only v and a buffer, no layer, no packet, and this code
 *   base has no mutable globals - so the same v always gives the same text.
 *   LP_MAC, LP_IPV4: the address's 6 or 4 bytes (zero-extended into the
 *   key: one key per address), written by wp_p_k_addr alone.
 *   The cache is kept because the bench proves it: without it -o layers
 *   takes 8.5% more instructions (125.7 M against 115.8 M on the
 *   20,000-frame bench file), mostly the describe functions' text.
 * - LP_GEN: the rest (HEX, IPv6, odd sizes): wp_p_field; LP_OPTS the same
 *   for the OPTIONS field, whose line the option lines follow. */
enum { LP_GEN = 0, LP_DEC, LP_HEX, LP_CSUM, LP_NUM, LP_MAC, LP_IPV4, LP_OPTS };

static uint8_t lp_op(const wp_field *f)
{
    int csum = wp_p_is_checksum(f);
    int hex = f->hex && f->kind == WP_FK_UINT;
    if (f->kind == WP_FK_OPTIONS)
        return LP_OPTS;
    if (f->kind == WP_FK_MAC)
        return LP_MAC;
    if (f->kind == WP_FK_IPV4)
        return LP_IPV4;
    if (!wp_field_hdr_num(f))
        return LP_GEN;
    if (f->describe || f->mult)
        return csum ? LP_GEN : LP_NUM;
    if (csum)
        return hex ? LP_CSUM : LP_GEN;
    return hex ? LP_HEX : LP_DEC;
}

/* Work out the plan of proto's n fields in slots lp[0..n) (lp: NULL when
 * the last one has no slot); s->lp_ok[proto] says 1 when every field has
 * its columns in its slot, 2 (the slow path for the whole proto) when not. */
static __attribute__((noinline)) void lp_fill(wp_renderer *s, unsigned proto,
                                              struct wp_rlp *lp, const wp_field *fields,
                                              size_t n)
{
    s->lp_ok[proto] = 2;
    if (!lp)
        return;
    for (size_t k = 0; k < n; k++) {
        const wp_field *f = &fields[k];
        size_t nl = strlen(f->name), tl = strlen(f->title);
        size_t c1 = nl < NAME_COL ? NAME_COL : nl + 1;
        size_t total = c1 + (tl < TITLE_COL ? TITLE_COL : tl + 1);
        /* a text's length is the packet's: the slow path writes it */
        if (total > sizeof lp[k].cols || f->kind == WP_FK_TEXT)
            return;
        memset(&lp[k], 0, sizeof lp[k]);
        lp[k].f = f;
        memset(lp[k].cols, ' ', sizeof lp[k].cols);
        memcpy(lp[k].cols, f->name, nl);
        memcpy(lp[k].cols + c1, f->title, tl);
        lp[k].clen = (uint8_t)total;
        lp[k].op = lp_op(f);
        lp[k].fixed = (uint8_t)wp_field_fixed(f);
        lp[k].ssize = (uint8_t)f->ssize;
        lp[k].soff = f->soff;
        lp[k].digits = (uint8_t)wp_field_hexdigits(f);
    }
    s->lp_ok[proto] = 1;
}

/* The plan slots of proto's n fields, worked out on first use, or NULL for
 * the slow path (and for a proto out of range, whose title layer_line
 * writes without the renderer's prefix cache). */
static inline struct wp_rlp *layer_plan(wp_renderer *s, unsigned proto,
                                        const wp_field *fields, size_t n)
{
    if (proto >= WP_PROTO_COUNT)
        return NULL;
    /* the plans and the title prefixes (layer_line) are valid only with fc:
     * the first wp_fc_slot after wp_renderer_reset resets them */
    if (!s->fc_valid)
        (void)wp_fc_slot(s, 0, 0);
    if (n == 0)
        return NULL;
    if (!s->lp_ok[proto])
        lp_fill(s, proto, wp_fc_slot(s, proto, n - 1) ? &s->lp[s->fc_base[proto]] : NULL,
                fields, n);
    return s->lp_ok[proto] == 1 ? &s->lp[s->fc_base[proto]] : NULL;
}

/* Field c's number (lp_fill plans this only for a field wp_hdr_uint can
 * read). */
static inline uint64_t lp_uint(const wp_layer *l, const struct wp_rlp *c)
{
    return wp_hdr_uint(l, c->f, c->soff, c->ssize);
}

/* A line cache miss: field f's line after the indent at o (the columns,
 * the value, the newline), kept in lc when it fits; returns its end. o has
 * FIELD_ROOM - 40 bytes: the line is at most 54 + WP_VALUE_MAX + 1 and the
 * copy into lc reads 87 of them. Out of line: the hits stay short. */
static __attribute__((noinline)) char *lc_miss(char *o, const wp_layer *l, struct wp_rlp *c,
                                               uint64_t v)
{
    const wp_field *f = c->f;
    struct wp_rlc *lc = c->lc;
    memcpy(o, c->cols, sizeof c->cols);
    char *e = o + c->clen;
    e = c->op == LP_NUM ? wp_p_num(e, l, f, v, c->ssize, WP_VS_TEXT, 0)
                        : wp_p_k_addr(e, f->kind, (const uint8_t *)&l->h + c->soff, WP_VS_TEXT);
    *e++ = '\n';
    size_t n = (size_t)(e - o);
    if (n <= sizeof lc->text) {
        /* all 87 bytes (those past the line are never shown: len bounds
         * every copy out of lc); the ways are filled in turn */
        unsigned w = c->lc_next & 1;
        memcpy(lc[w].text, o, sizeof lc[w].text);
        lc[w].v = v;
        lc[w].len = (uint8_t)n;
        c->lc_ok = (uint8_t)(c->lc_ok | (1u << w));
        c->lc_next = (uint8_t)(w ^ 1);
    }
    return e;
}

/* The room one field's line takes: the indent (at most 38; wp_p_pad stores
 * 40), the columns (54, copied whole), the value (WP_VALUE_MAX, slack
 * included; a cached line after the indent is at most 87 < 54 +
 * WP_VALUE_MAX), the newline. */
#define FIELD_ROOM (40 + 54 + WP_VALUE_MAX + 1)
static_assert(sizeof ((struct wp_rlc *)0)->text <= 54 + WP_VALUE_MAX, "a cached line fits");
static_assert(sizeof ((struct wp_rlp *)0)->cols == 54, "the columns are copied as 54 bytes");

/* One field's line at o (FIELD_ROOM bytes of room), by its plan c. */
static inline __attribute__((always_inline)) char *field_line(char *o, unsigned ind,
                                                              const wp_layer *l,
                                                              struct wp_rlp *c)
{
    const unsigned char *h = (const unsigned char *)&l->h + c->soff;
    uint64_t v;
    wp_p_pad(o, ind);
    o += ind;
    switch (c->op) {
    case LP_DEC:
        memcpy(o, c->cols, sizeof c->cols);
        o = wp_p_k_uint(o + c->clen, lp_uint(l, c), c->ssize, 0);
        break;
    case LP_HEX:
    case LP_CSUM:
        memcpy(o, c->cols, sizeof c->cols);
        o = wp_p_k_uint(o + c->clen, lp_uint(l, c), c->ssize, c->digits);
        if (c->op == LP_CSUM)
            o = wp_p_csum_status(o, l);
        break;
    case LP_NUM:
    case LP_MAC:
    case LP_IPV4: {
        /* see LP_NUM for why a hit is the same text: the line after the
         * indent, len <= 87, copied as all 87 bytes of the way */
        v = 0;
        if (c->op == LP_NUM)
            v = lp_uint(l, c);
        else if (c->op == LP_MAC)
            memcpy(&v, h, 6);
        else
            memcpy(&v, h, 4);
        unsigned ok = c->lc_ok;
        const struct wp_rlc *w = NULL;
        if ((ok & 1) && c->lc[0].v == v)
            w = &c->lc[0];
        else if ((ok & 2) && c->lc[1].v == v)
            w = &c->lc[1];
        if (w) {
            memcpy(o, w->text, sizeof w->text);
            return o + w->len;
        }
        return lc_miss(o, l, c, v);
    }
    default:
        memcpy(o, c->cols, sizeof c->cols);
        o = wp_p_field(o + c->clen, l, c->f, WP_VS_TEXT);
        break;
    }
    *o++ = '\n';
    return o;
}

/* A field's line without a plan (a table whose columns do not fit a slot:
 * none in this code base, but the text stays right for any table). */
static void field_line_slow(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
                            const wp_field *f)
{
    field_head_slow(s, ind, f);
    wp_rv_field(s, p, l, f, WP_VS_TEXT);
    wp_putc(s, '\n');
}

/* The room of one option's line: the indent (at most 38; wp_p_pad stores
 * 40), the range (23, and wp_p_u64's slack 1 inside the next), a space,
 * the text (WP_OPT_ROOM), the newline. */
#define OPT_LINE_ROOM (40 + 23 + 1 + WP_OPT_ROOM + 1)

/* One option's line at o (OPT_LINE_ROOM bytes of room). */
static char *opt_line(char *o, const wp_packet *p, unsigned ind, const wp_layer *l,
                      const wp_opt *op)
{
    o = wp_p_pad(o, ind);
    o = put_range(o, op->off, wp_opt_extent(l, op));
    *o++ = ' ';
    o = wp_p_opt_text(o, p, l, op);
    *o++ = '\n';
    return o;
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
    o = put_bytes(o, l->len);
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

/* Lay out proto's title prefix "short (title)  " in the renderer's slot
 * (first use; tables are const, so it never changes), or mark it too long. */
static __attribute__((noinline)) void lt_fill(wp_renderer *s, unsigned proto,
                                              const wp_proto_info *pi)
{
    size_t sn = strlen(pi->short_name), tn = strlen(pi->title);
    s->lt_len[proto] = 0xff;
    if (sn > NAME_MAX_FAST || tn > NAME_MAX_FAST || sn + tn + 5 > sizeof s->lt[proto])
        return;
    char *o = s->lt[proto];
    memset(o, 0, sizeof s->lt[proto]);
    memcpy(o, pi->short_name, sn);
    memcpy(o + sn, " (", 2);
    memcpy(o + sn + 2, pi->title, tn);
    memcpy(o + sn + 2 + tn, ")  ", 3);
    s->lt_len[proto] = (uint8_t)(sn + tn + 5);
}

/* A header layer's title line: indent 34 + short name 127 + " (" 2 + title
 * 127 + ")  " 3 + range 23 + "  header " 9 + 10 + " bytes" 6 + ", length " 9
 * + 10 + "  checksum " 11 + 127 + " (computed 0x" 13 + 16 + ")" 1 + the
 * three marks 13 + 12 + 17 + newline 1 = 560 < LINE_ROOM. */
static char *layer_line(wp_renderer *s, char *o, unsigned ind, const wp_layer *l,
                        const wp_proto_info *pi)
{
    const char *cs;
    size_t csn = wp_csum_text(l->csum, &cs);
    o = wp_p_pad(o, ind);
    unsigned proto = l->proto;
    if (proto < WP_PROTO_COUNT && !s->lt_len[proto])
        lt_fill(s, proto, pi);
    if (proto < WP_PROTO_COUNT && s->lt_len[proto] != 0xff) {
        /* all 64 bytes of the slot: the bound below counts 127 + 2 + 127
         * + 3 = 259 for these columns, more than 64 */
        memcpy(o, s->lt[proto], sizeof s->lt[proto]);
        o += s->lt_len[proto];
    } else {
        o = wp_p_name_cut(o, pi->short_name, NAME_MAX_FAST);
        o = wp_p_str(o, " (", 2);
        o = wp_p_name_cut(o, pi->title, NAME_MAX_FAST);
        o = wp_p_str(o, ")  ", 3);
    }
    o = put_range(o, l->off, l->hdr_len);
    o = wp_p_str(o, "  header ", 9);
    o = put_bytes(o, l->hdr_len);
    if (l->len != l->hdr_len) {
        o = wp_p_str(o, ", length ", 9);
        o = wp_p_u64(o, l->len);
    }
    if (csn) {
        o = wp_p_str(o, "  checksum ", 11);
        memcpy(o, cs, WP_CSUM_TEXT); /* the padded name: 16 < the 127 counted */
        o += csn;
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

static_assert(FIELD_ROOM <= LINE_ROOM && OPT_LINE_ROOM <= LINE_ROOM, "a line fits LINE_ROOM");

/* A line is written at e: kept in place when the layer's lines go straight
 * into the sink's buffer (direct), else written out of tmp now; returns
 * where the next line goes. */
static inline char *line_done(wp_sink *s, char *e, char *tmp, int direct)
{
    if (direct)
        return e;
    wp_sink_write(s, tmp, (size_t)(e - tmp));
    return tmp;
}

/* Layer l's option lines at e (at most opt_count of them, as the room
 * counts); returns where the next line goes. */
static char *opt_lines(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l, char *e,
                       char *tmp, int direct)
{
    unsigned end = (unsigned)l->opt_first + l->opt_count;
    for (unsigned j = l->opt_first; j < end && j < p->nopts; j++)
        e = line_done(s, opt_line(e, p, ind, l, &p->opts[j]), tmp, direct);
    return e;
}

/* Layer l's lines: its title, each shown field and its options, or the
 * data line. They are written through one pointer into the room of the
 * whole layer taken once (LINE_ROOM for the title or data line, FIELD_ROOM
 * for each field, OPT_LINE_ROOM for each of the layer's options: at most
 * 1024 + 24 x 863 + 64 x 765 bytes for a table of 24 fields); a sink
 * without that room (a small memory sink), or a table without a plan,
 * takes them line by line, which keeps what fits as the pieces would. */
static void layer_lines(wp_renderer *r, wp_sink *s, const wp_packet *p, const wp_layer *l,
                        unsigned ind)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    char tmp[LINE_ROOM];
    if (wp_rv_is_data(l)) {
        char *b = wp_chunk_begin(s, sizeof tmp, tmp);
        wp_chunk_end(s, b, data_line(b, p, ind, l, pi), tmp, sizeof tmp);
        return;
    }
    /* in locals: every char stored into a line could alias the table for
     * the compiler, which would load these again per field */
    const wp_field *fields = pi->fields;
    size_t nf = pi->nfields;
    struct wp_rlp *plan = layer_plan(r, l->proto, fields, nf);
    const size_t room = LINE_ROOM + nf * FIELD_ROOM + (size_t)l->opt_count * OPT_LINE_ROOM;
    char *b = plan ? wp_room(s, room) : NULL;
    const int direct = b != NULL;
    char *e = direct ? b : tmp;
    e = line_done(s, layer_line(r, e, ind, l, pi), tmp, direct);
    /* decided once for the layer; the fields that are not fixed are asked
     * one by one */
    const uint8_t all = (uint8_t)wp_fixed_shown(r, p, l);
    if (plan) {
        for (struct wp_rlp *c = plan, *ce = plan + nf; c < ce; c++) {
            if (!(all & c->fixed) && !wp_field_shown(p, l, c->f))
                continue;
            e = line_done(s, field_line(e, ind + 2, l, c), tmp, direct);
            if (c->op == LP_OPTS)
                e = opt_lines(s, p, ind + 4, l, e, tmp, direct);
        }
    } else {
        for (size_t k = 0; k < nf; k++) {
            const wp_field *f = &fields[k];
            if (!wp_field_shown(p, l, f))
                continue;
            field_line_slow(s, p, ind + 2, l, f);
            if (f->kind == WP_FK_OPTIONS)
                e = opt_lines(s, p, ind + 4, l, e, tmp, direct);
        }
    }
    if (direct)
        wp_room_end(s, b, e, room);
}

void wp_render_layers(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    wp_rv_frame_title(r, s, p, no);
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        unsigned ind = 2u + 2u * (l->depth < 16 ? l->depth : 16);
        layer_lines(r, s, p, l, ind);
        events_of(s, p, i, ind + 2);
    }
    events_of(s, p, WP_MAX_LAYERS, 2);
    if (r->o.flow)
        wp_flow_out_layers(s, r->o.flow);
    wp_putc(s, '\n');
}
