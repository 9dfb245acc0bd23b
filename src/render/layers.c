/* -o layers: one block per layer, indented by nesting depth: a title line
 * with the byte range and header length, every shown field with its value
 * and derived arithmetic, the checksum status, options one per line, the
 * layer's events; data layers with their range and a printable preview. */
#include <assert.h>
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

/* The line cache has an entry for every field slot (indexed alike), and a
 * hit's copy (the indent, at most 36, and a whole entry) fits a line's room. */
static_assert(sizeof ((wp_sink *)0)->lc / sizeof ((wp_sink *)0)->lc[0] ==
                  sizeof ((wp_sink *)0)->fc / sizeof ((wp_sink *)0)->fc[0],
              "one line cache entry per field slot");
static_assert(36 + sizeof ((wp_sink *)0)->lc[0][0].text < LINE_ROOM, "a cached line fits");

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

/* How a field's line may come from the line cache (wp_sink.lc): its whole
 * line after the indent must be a pure function of (field, key), the key
 * being its number or its address bytes. The depth only moves the line (the
 * indent is written apart), and a field cut by the capture is not shown at
 * all (wp_field_shown), so a shown one's text never depends on the cut.
 * - LC_NUM: a UINT or BOOL field with a describe function or a multiplier,
 *   not the checksum (whose line shows the layer's checksum status too).
 *   The line is the columns, the number, f->mult's arithmetic and
 *   f->describe(v) (wp_p_value_num, wp_p_num_extras); the describe
 *   functions are pure - they take only v and a buffer, no layer, no
 *   packet, and this code base has no mutable globals - so the same v
 *   always gives the same text. A number with neither is not cached: it is
 *   written faster than a lookup.
 * - LC_MAC, LC_IPV4: the address's 6 or 4 bytes (zero-extended into the
 *   key: one key per address), written by wp_p_mac / wp_p_ipv4 alone.
 * Not HEX, OPTIONS or IPv6 kinds (their text reads more than 8 bytes). */
enum { LC_NO = 0, LC_NUM, LC_MAC, LC_IPV4 };

static uint8_t lc_mode(const wp_field *f)
{
    switch (f->kind) {
    case WP_FK_UINT:
    case WP_FK_BOOL:
        if (f->name[0] == 'c' && strcmp(f->name, "checksum") == 0)
            return LC_NO;
        return f->describe || f->mult ? LC_NUM : LC_NO;
    case WP_FK_MAC:
        return LC_MAC;
    case WP_FK_IPV4:
        return LC_IPV4;
    default:
        return LC_NO;
    }
}

/* The key of field f of layer l in the line cache (mode lc_mode(f)): its
 * number, or its address bytes zero-extended (read as wp_field_bytes does). */
static inline uint64_t lc_key(const wp_layer *l, const wp_field *f, unsigned mode)
{
    uint64_t v = 0;
    if (mode == LC_NUM)
        return wp_field_uint(l, f);
    memcpy(&v, (const unsigned char *)&l->h + f->soff, mode == LC_MAC ? 6 : 4);
    return v;
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
    c->lc_able = lc_mode(f);
    c->lc_ok = 0;
    c->lc_next = 0;
    if (total <= sizeof c->text) {
        memset(c->text, ' ', sizeof c->text);
        memcpy(c->text, f->name, nl);
        memcpy(c->text + c1, f->title, tl);
        c->len = (uint8_t)total;
    }
}

/* A line cache miss: field f's line after the indent at o (the columns of
 * slot c, the value, the newline), kept in lc when it fits; returns its end.
 * o has LINE_ROOM - ind bytes: the line is at most 54 + WP_VALUE_MAX + 1 and
 * the copy into lc reads 87 of them. Out of line: the hits stay short. */
static __attribute__((noinline)) char *lc_miss(char *o, const wp_layer *l, const wp_field *f,
                                               struct wp_sink_fc *c, struct wp_sink_lc *lc,
                                               uint64_t v)
{
    memcpy(o, c->text, sizeof c->text);
    char *e = o + c->len;
    e = c->lc_able == LC_NUM ? wp_p_value_num(e, l, f, v, 0) : wp_p_value_other(e, l, f);
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

/* The cache slots of all of proto's n fields (slot k of field k: wp_fc_slot
 * gives each proto's fields consecutive slots), or NULL when the last one
 * has no slot. */
static struct wp_sink_fc *layer_cols(wp_sink *s, unsigned proto, size_t n)
{
    if (n == 0 || !wp_fc_slot(s, proto, n - 1))
        return NULL;
    /* the slots may be filled with the columns now: JSON's plan is gone;
     * a plan means JSON may have written the slots: layer_ready checks
     * them again */
    if (s->fc_plan[proto]) {
        s->fc_plan[proto] = 0;
        s->lp_ok[proto] = 0;
    }
    return wp_fc_slot(s, proto, 0);
}

/* Whether every one of proto's field slots cols[0..n) holds its layers
 * columns with a length (then field_line skips its checks per field).
 * Kept in s->lp_ok: JSON (json.c) sets fc_plan[proto] to 1 or 2 before it
 * writes any slot of proto, and layer_cols, finding a plan, sets it back to
 * 0 and clears lp_ok (called just before this), so lp_ok stands only while
 * no JSON frame touched proto's slots since it was checked. */
static int layer_ready(wp_sink *s, unsigned proto, struct wp_sink_fc *cols,
                       const wp_field *fields, size_t n)
{
    if (!cols || proto >= WP_PROTO_COUNT)
        return 0;
    if (s->lp_ok[proto])
        return 1;
    for (size_t k = 0; k < n; k++) {
        if (cols[k].key != &fields[k] || cols[k].kind != WP_FC_LAYERS)
            fill_cols(&cols[k], &fields[k]);
        if (!cols[k].len)
            return 0;
    }
    s->lp_ok[proto] = 1;
    return 1;
}

/* One field's line: the indent (at most 36) and the cached columns (54) at
 * most 90 bytes, the value at most WP_VALUE_MAX, the newline: < LINE_ROOM. cols: the
 * layer's cache slots or NULL (then, or for columns too wide for a slot, the
 * columns are laid out through the sink). */
static inline __attribute__((always_inline)) void
field_line(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
           struct wp_sink_fc *cols, struct wp_sink_lc (*lcs)[2], size_t k, const wp_field *f,
           int ready)
{
    struct wp_sink_fc *c = cols ? cols + k : NULL;
    if (!ready) {
        if (c && (c->key != f || c->kind != WP_FC_LAYERS))
            fill_cols(c, f);
        if (c && !c->len)
            c = NULL;
    }
    if (c) {
        char tmp[LINE_ROOM];
        char *b = wp_chunk_begin(s, sizeof tmp, tmp);
        wp_p_pad(b, ind);
        if (c->lc_able) {
            /* the slot's line cache (see lc_mode for why a hit is the same
             * text): the line after the indent, len <= 87, copied as all 87
             * bytes of the entry; ind (at most 36) + 87 < LINE_ROOM */
            struct wp_sink_lc *lc = lcs[k];
            uint64_t v = lc_key(l, f, c->lc_able);
            unsigned ok = c->lc_ok;
            if (((ok & 1) && lc[0].v == v) || ((ok & 2) && (++lc, lc->v == v))) {
                memcpy(b + ind, lc->text, sizeof lc->text);
                wp_chunk_end(s, b, b + ind + lc->len, tmp);
                return;
            }
            wp_chunk_end(s, b, lc_miss(b + ind, l, f, c, lcs[k], v), tmp);
            return;
        }
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

/* Lay out proto's title prefix "short (title)  " in the sink's slot
 * (first use; tables are const, so it never changes), or mark it too long. */
static __attribute__((noinline)) void lt_fill(wp_sink *s, unsigned proto, const wp_proto_info *pi)
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
static char *layer_line(wp_sink *s, char *o, unsigned ind, const wp_layer *l,
                        const wp_proto_info *pi)
{
    const char *cs = wp_csum_name(l->csum);
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
        /* the line cache and title prefixes are valid only with fc (the
         * first wp_fc_slot after wp_sink_init_* resets them) */
        if (!s->fc_valid)
            (void)wp_fc_slot(s, 0, 0);
        wp_chunk_end(s, b, layer_line(s, b, ind, l, pi), tmp);
        struct wp_sink_fc *cols = layer_cols(s, l->proto, pi->nfields);
        /* the line cache entries of the layer's fields, indexed as cols */
        struct wp_sink_lc (*lcs)[2] = cols ? &s->lc[cols - s->fc] : NULL;
        /* decided once for the layer; the fields that are not fixed are
         * asked one by one */
        int all = wp_fixed_shown(s, p, l);
        /* in locals: every char stored into a line could alias the table
         * for the compiler, which would load these again per field */
        const wp_field *fields = pi->fields;
        size_t nf = pi->nfields;
        int ready = layer_ready(s, l->proto, cols, fields, nf);
        for (size_t k = 0; k < nf; k++) {
            const wp_field *f = &fields[k];
            if (!(all && wp_field_fixed(f)) && !wp_field_shown(p, l, f))
                continue;
            field_line(s, p, ind + 2, l, cols, lcs, k, f, ready);
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
