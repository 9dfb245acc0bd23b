/* -o layers: one block per layer, indented by nesting depth: a title line
 * with the byte range and header length, every shown field with its value
 * and derived arithmetic, the checksum status, options one per line, the
 * layer's events; data layers with their range and a printable preview. */
#include <string.h>

#include "render_int.h"

#define NAME_COL 14
#define TITLE_COL 26

/* ---- pointer writers ----------------------------------------------------
 * A line is written through a char pointer into room taken once (one check
 * of the sink per line instead of one per piece). Each writer below states
 * its bound; LINE_ROOM is more than the longest line any of them writes,
 * proven where the line is written. These are the same primitives as in
 * value.c, kept static here until they move to a shared place. */
#define LINE_ROOM 1024

/* Longest table name (proto title, link type, checksum status) the fast path
 * copies; a longer one (none in the tables) sends the line the slow way. */
#define NAME_MAX_FAST 127

/* "00".."ff": two hex digits at a time. */
static const char hex2[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* A pointer to more than LINE_ROOM free bytes at the end of the sink's buffer
 * (room for the NUL wp_sink_term may put after the line), or NULL. An fd
 * sink too full is flushed first: only where its writes split changes. A
 * memory sink without room, or a failed fd sink, gets NULL: the caller then
 * writes through the sink piece by piece, which truncates or drops as
 * before. */
static inline char *line_room(wp_sink *s)
{
    if (s->cap > s->len && s->cap - s->len > LINE_ROOM)
        return s->buf + s->len;
    if (s->fd >= 0 && !s->err && s->cap > LINE_ROOM) {
        wp_sink_flush(s);
        if (!s->err && s->len == 0)
            return s->buf;
    }
    return NULL;
}

static inline char *put_str(char *o, const char *str, size_t n)
{
    memcpy(o, str, n);
    return o + n;
}

/* put_str for a table name of run-time length: the short ones (nearly all)
 * in two overlapping fixed-size moves that read only str[0..n), no call. */
static inline char *put_name(char *o, const char *str, size_t n)
{
    if (n >= 8 && n <= 16) {
        memcpy(o, str, 8);
        memcpy(o + n - 8, str + n - 8, 8);
    } else if (n > 16 && n <= 32) {
        memcpy(o, str, 16);
        memcpy(o + n - 16, str + n - 16, 16);
    } else if (n >= 4 && n < 8) {
        memcpy(o, str, 4);
        memcpy(o + n - 4, str + n - 4, 4);
    } else {
        memcpy(o, str, n);
    }
    return o + n;
}

/* v in decimal at o (at most 20 bytes); returns the end. */
static inline char *put_dec(char *o, uint64_t v)
{
    if (v < 1000)
        return o + wp_put_u999(o, (unsigned)v);
    if (v < 1000000) {
        unsigned hi = (unsigned)v / 1000, lo = (unsigned)v % 1000;
        o += wp_put_u999(o, hi);
        o[0] = (char)('0' + lo / 100);
        memcpy(o + 1, wp_digits2 + 2 * (lo % 100), 2);
        return o + 3;
    }
    unsigned n = 7;
    for (uint64_t t = v / 10000000; t; t /= 10)
        n++;
    char *e = o + n;
    while (v >= 100) {
        e -= 2;
        memcpy(e, wp_digits2 + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(e - 2, wp_digits2 + 2 * v, 2);
    else
        e[-1] = (char)('0' + v);
    return o + n;
}

/* v in lowercase hex, at least digits (at most 16) wide, at o (at most 16
 * bytes); returns the end. The same digits as wp_fmt_hex. */
static inline char *put_hex(char *o, uint64_t v, unsigned digits)
{
    unsigned need = v ? (unsigned)(67 - __builtin_clzll(v)) / 4 : 1;
    if (digits > 16)
        digits = 16;
    if (need < digits)
        need = digits;
    unsigned i = need;
    for (; i >= 2; i -= 2) {
        memcpy(o + i - 2, hex2 + 2 * (v & 0xff), 2);
        v >>= 8;
    }
    if (i)
        o[0] = wp_hexdig[v & 0xf];
    return o + need;
}

/* "@off" or "@off..end" (at most 1 + 10 + 2 + 10 = 23 bytes). */
static inline char *put_range(char *o, uint32_t off, uint32_t n)
{
    *o++ = '@';
    o = put_dec(o, off);
    if (n > 1) {
        o = put_str(o, "..", 2);
        o = put_dec(o, off + n - 1);
    }
    return o;
}

/* n (at most 40) spaces. */
static inline char *put_pad(char *o, size_t n)
{
    static const char sp[40] = "                                        ";
    memcpy(o, sp, sizeof sp);
    return o + n;
}

/* The frame title through the sink piece by piece (no room for the fast path). */
static void frame_title_slow(wp_sink *s, const wp_packet *p, uint64_t no,
                             const wp_render_opts *o)
{
    wp_puts(s, "Frame ");
    wp_u64(s, no);
    wp_w(s, ": ", 2);
    wp_u64(s, p->caplen);
    wp_puts(s, " bytes captured of ");
    wp_u64(s, p->len);
    wp_puts(s, ", ");
    const char *lt = wp_linktype_name(p->linktype);
    if (lt) {
        wp_puts(s, lt);
    } else {
        wp_puts(s, "linktype ");
        wp_u64(s, (uint64_t)(uint32_t)p->linktype);
    }
    wp_w(s, ", ", 2);
    wp_rv_ts(s, p, o);
    wp_putc(s, '\n');
}

/* "Frame 1: 54 bytes captured of 54, EN10MB, <ts>\n": at most 6 + 20 + 2 + 10
 * + 19 + 10 + 2 + 127 (or "linktype " 9 + 10) + 2 + WP_TS_STRLEN 32 + 1 bytes. */
void wp_rv_frame_title(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    const char *lt = wp_linktype_name(p->linktype);
    size_t ltn = lt ? strlen(lt) : 0;
    char *b = line_room(s);
    if (!b || ltn > NAME_MAX_FAST) {
        frame_title_slow(s, p, no, o);
        return;
    }
    char *e = put_str(b, "Frame ", 6);
    e = put_dec(e, no);
    e = put_str(e, ": ", 2);
    e = put_dec(e, p->caplen);
    e = put_str(e, " bytes captured of ", 19);
    e = put_dec(e, p->len);
    e = put_str(e, ", ", 2);
    if (lt) {
        e = put_name(e, lt, ltn);
    } else {
        e = put_str(e, "linktype ", 9);
        e = put_dec(e, (uint64_t)(uint32_t)p->linktype);
    }
    e = put_str(e, ", ", 2);
    e += wp_rv_ts_text(s, p, o, e);
    *e++ = '\n';
    s->len += (size_t)(e - b);
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

static void range(wp_sink *s, uint32_t off, uint32_t n)
{
    wp_putc(s, '@');
    wp_u64(s, off);
    if (n > 1) {
        wp_w(s, "..", 2);
        wp_u64(s, off + n - 1);
    }
}

static void preview(wp_sink *s, const wp_packet *p, const wp_layer *l)
{
    uint32_t n = l->len;
    if (l->off >= p->caplen || n == 0)
        return;
    if (n > p->caplen - l->off)
        n = p->caplen - l->off;
    uint32_t show = n > 48 ? 48 : n;
    char buf[52];
    printable(buf, p->data + l->off, show);
    wp_w(s, "  \"", 3);
    wp_w(s, buf, show);
    wp_putc(s, '"');
    if (show < n)
        wp_puts(s, "...");
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
    return wp_fc_slot(s, proto, 0);
}

/* Set bits of m, without a libgcc call (no popcnt instruction assumed). */
static inline unsigned bit_count(uint32_t m)
{
    m = m - ((m >> 1) & 0x55555555u);
    m = (m & 0x33333333u) + ((m >> 2) & 0x33333333u);
    m = (m + (m >> 4)) & 0x0f0f0f0fu;
    return (m * 0x01010101u) >> 24;
}

/* After a number: the describe text, the derived arithmetic, the checksum
 * status (see field_value for the bound); NULL for a name too long. */
static char *num_extras(char *o, const wp_layer *l, const wp_field *f, uint64_t v)
{
    if (f->describe) {
        char *b = o + 2;
        b[0] = '\0';
        const char *d = f->describe(v, b, 96);
        if (d && *d) {
            size_t n = strlen(d);
            if (n > 95)
                return NULL;
            if (d != b)
                put_name(b, d, n);
            o[0] = ' ';
            o[1] = '(';
            b[n] = ')';
            o = b + n + 1;
        }
    }
    if (f->mult) {
        o = put_str(o, " (\xc3\x97 ", 5);
        o = put_dec(o, f->mult);
        o = put_str(o, " = ", 3);
        o = put_dec(o, v * f->mult);
        o = put_str(o, " bytes)", 7);
    }
    /* strcmp, not a fixed-size compare: a shorter name ends before 9 bytes */
    if (f->name[0] == 'c' && strcmp(f->name, "checksum") == 0) {
        const char *st = wp_csum_name(l->csum);
        if (st) {
            size_t n = strlen(st);
            if (n > NAME_MAX_FAST)
                return NULL;
            o = put_str(o, " [", 2);
            o = put_name(o, st, n);
            if (l->csum == WP_CSUM_BAD) {
                o = put_str(o, ", should be 0x", 14);
                o = put_hex(o, l->csum_computed, 4);
            }
            *o++ = ']';
        }
    }
    return o;
}

/* The value of a field other than a number (see field_value). */
static char *other_value(char *o, const wp_layer *l, const wp_field *f)
{
    switch (f->kind) {
    case WP_FK_MAC: {
        /* as wp_fmt_mac writes it, two digits a step (17 bytes) */
        const uint8_t *a = wp_field_bytes(l, f);
        for (int i = 0; i < 6; i++) {
            memcpy(o + 3 * i, hex2 + 2 * a[i], 2);
            o[3 * i + 2] = ':';
        }
        return o + 17;
    }
    case WP_FK_IPV4:
        return o + wp_fmt_ipv4(wp_field_bytes(l, f), o);
    case WP_FK_IPV6:
        return o + wp_fmt_ipv6(wp_field_bytes(l, f), o);
    case WP_FK_HEX: {
        size_t n = f->ssize < f->width ? f->ssize : f->width;
        const uint8_t *b = wp_field_bytes(l, f);
        for (size_t i = 0; i < n; i++) {
            if (i)
                *o++ = ':';
            memcpy(o, hex2 + 2 * b[i], 2);
            o += 2;
        }
        return o;
    }
    case WP_FK_OPTIONS: {
        uint32_t off, len;
        wp_field_span(l, f, &off, &len);
        o = put_dec(o, l->opt_count);
        o = l->opt_count == 1 ? put_str(o, " option, ", 9) : put_str(o, " options, ", 10);
        o = put_dec(o, len);
        return put_str(o, " bytes", 6);
    }
    default:
        return NULL;
    }
}

/* The value as wp_rv_value writes it (ascii 0), at o; NULL for a kind or a
 * name the fast path leaves to wp_rv_value. At most: UINT/BOOL 20 (or "0x" +
 * 16) + describe " (" + 96 (the describe function writes at most 96 bytes,
 * NUL included, at o + 2) + ")" + derived " (\xc3\x97 " 5 + 3 + " = " 3 + 20 +
 * " bytes)" 7 + checksum " [" 2 + 127 + ", should be 0x" 14 + 16 + "]" 1 =
 * 317; addresses 46 (NUL included); HEX 255 bytes as 765; options 31. */
static inline __attribute__((always_inline)) char *field_value(char *o, const wp_layer *l,
                                                               const wp_field *f)
{
    if (f->kind != WP_FK_UINT && f->kind != WP_FK_BOOL)
        return other_value(o, l, f);
    uint64_t v = wp_field_uint(l, f);
    if (f->hex && f->kind == WP_FK_UINT) {
        unsigned bits = f->mask ? bit_count(f->mask) : f->width * 8u;
        o[0] = '0';
        o[1] = 'x';
        o = put_hex(o + 2, v, (bits + 3) / 4);
    } else {
        o = put_dec(o, v);
    }
    if (f->describe || f->mult || f->name[0] == 'c')
        return num_extras(o, l, f, v);
    return o;
}

/* One field's line: the indent (at most 36) and the cached columns (54) at
 * most 90 bytes, the value at most 765, the newline: < LINE_ROOM. cols: the
 * layer's cache slots or NULL. */
static inline __attribute__((always_inline)) void
field_line(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
           struct wp_sink_fc *cols, size_t k, const wp_field *f)
{
    struct wp_sink_fc *c = cols ? cols + k : NULL;
    if (c && (c->key != f || c->kind != WP_FC_LAYERS))
        fill_cols(c, f);
    if (c && !c->len)
        c = NULL;
    char *b = line_room(s);
    if (c && b && ind <= 40 - 4) {
        put_pad(b, ind);
        memcpy(b + ind, c->text, sizeof c->text);
        char *e = field_value(b + ind + c->len, l, f);
        if (e) {
            *e++ = '\n';
            s->len += (size_t)(e - b);
            return;
        }
    }
    /* abandoned or no room: nothing was committed, the old way from the start */
    if (c && s->cap > s->len && s->cap - s->len > sizeof c->text + ind) {
        wp_sink_pad(s, ind);
        wp_w(s, c->text, c->len);
    } else {
        field_head_slow(s, ind, f);
    }
    wp_rv_value(s, p, l, f, 0);
    wp_putc(s, '\n');
}

/* One option's line: indent (at most 38), range (23) and a space through the
 * pointer; the text through wp_rv_opt_text. */
static void opt_line(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
                     const wp_opt *op)
{
    char *b = line_room(s);
    if (b && ind <= 40) {
        char *e = put_pad(b, ind);
        e = put_range(e, op->off, op->len ? op->len : 1);
        *e++ = ' ';
        s->len += (size_t)(e - b);
    } else {
        wp_sink_pad(s, ind);
        range(s, op->off, op->len ? op->len : 1);
        wp_putc(s, ' ');
    }
    wp_rv_opt_text(s, p, l, op);
    wp_putc(s, '\n');
}

/* A data layer's line: "  Payload  @42..62  21 bytes  "..."..."": indent 34 +
 * short name 127 + 2 + range 23 + 2 + 10 + " bytes" 6 + preview 3 + 48 + 1 +
 * 3 + newline 1 < LINE_ROOM. NULL: the slow way. */
static char *data_line(char *o, const wp_packet *p, unsigned ind, const wp_layer *l,
                       const wp_proto_info *pi)
{
    size_t sn = strlen(pi->short_name);
    if (sn > NAME_MAX_FAST || ind > 40)
        return NULL;
    o = put_pad(o, ind);
    o = put_name(o, pi->short_name, sn);
    o = put_str(o, "  ", 2);
    o = put_range(o, l->off, l->len);
    o = put_str(o, "  ", 2);
    o = put_dec(o, l->len);
    o = l->len == 1 ? put_str(o, " byte", 5) : put_str(o, " bytes", 6);
    uint32_t n = l->len;
    if (l->off < p->caplen && n != 0) {
        if (n > p->caplen - l->off)
            n = p->caplen - l->off;
        uint32_t show = n > 48 ? 48 : n;
        o = put_str(o, "  \"", 3);
        printable(o, p->data + l->off, show);
        o += show;
        *o++ = '"';
        if (show < n)
            o = put_str(o, "...", 3);
    }
    *o++ = '\n';
    return o;
}

static void data_line_slow(wp_sink *s, const wp_packet *p, unsigned ind, const wp_layer *l,
                           const wp_proto_info *pi)
{
    wp_sink_pad(s, ind);
    wp_puts(s, pi->short_name);
    wp_w(s, "  ", 2);
    range(s, l->off, l->len);
    wp_w(s, "  ", 2);
    wp_u64(s, l->len);
    wp_puts(s, l->len == 1 ? " byte" : " bytes");
    preview(s, p, l);
    wp_putc(s, '\n');
}

/* A header layer's title line: indent 34 + short name 127 + " (" 2 + title
 * 127 + ")  " 3 + range 23 + "  header " 9 + 10 + " bytes" 6 + ", length " 9
 * + 10 + "  checksum " 11 + 127 + " (computed 0x" 13 + 16 + ")" 1 + the
 * three marks 13 + 12 + 17 + newline 1 = 560 < LINE_ROOM. NULL: the slow way. */
static char *layer_line(char *o, unsigned ind, const wp_layer *l, const wp_proto_info *pi)
{
    size_t sn = strlen(pi->short_name), tn = strlen(pi->title);
    const char *cs = wp_csum_name(l->csum);
    size_t cn = cs ? strlen(cs) : 0;
    if (sn > NAME_MAX_FAST || tn > NAME_MAX_FAST || cn > NAME_MAX_FAST || ind > 40)
        return NULL;
    o = put_pad(o, ind);
    o = put_name(o, pi->short_name, sn);
    o = put_str(o, " (", 2);
    o = put_name(o, pi->title, tn);
    o = put_str(o, ")  ", 3);
    o = put_range(o, l->off, l->hdr_len);
    o = put_str(o, "  header ", 9);
    o = put_dec(o, l->hdr_len);
    o = l->hdr_len == 1 ? put_str(o, " byte", 5) : put_str(o, " bytes", 6);
    if (l->len != l->hdr_len) {
        o = put_str(o, ", length ", 9);
        o = put_dec(o, l->len);
    }
    if (cs) {
        o = put_str(o, "  checksum ", 11);
        o = put_name(o, cs, cn);
        if (l->csum == WP_CSUM_BAD) {
            o = put_str(o, " (computed 0x", 13);
            o = put_hex(o, l->csum_computed, 4);
            *o++ = ')';
        }
    }
    if (l->flags & WP_LF_TRUNCATED)
        o = put_str(o, "  [truncated]", 13);
    if (l->flags & WP_LF_QUOTED)
        o = put_str(o, "  [quoted]", 10);
    if (l->flags & WP_LF_FRAGMENT)
        o = put_str(o, "  [in a fragment]", 17);
    *o++ = '\n';
    return o;
}

static void layer_line_slow(wp_sink *s, unsigned ind, const wp_layer *l,
                            const wp_proto_info *pi)
{
    wp_sink_pad(s, ind);
    wp_puts(s, pi->short_name);
    wp_w(s, " (", 2);
    wp_puts(s, pi->title);
    wp_w(s, ")  ", 3);
    range(s, l->off, l->hdr_len);
    wp_puts(s, "  header ");
    wp_u64(s, l->hdr_len);
    wp_puts(s, l->hdr_len == 1 ? " byte" : " bytes");
    if (l->len != l->hdr_len) {
        wp_puts(s, ", length ");
        wp_u64(s, l->len);
    }
    const char *cs = wp_csum_name(l->csum);
    if (cs) {
        wp_puts(s, "  checksum ");
        wp_puts(s, cs);
        if (l->csum == WP_CSUM_BAD) {
            wp_puts(s, " (computed 0x");
            wp_sink_hex(s, l->csum_computed, 4);
            wp_putc(s, ')');
        }
    }
    if (l->flags & WP_LF_TRUNCATED)
        wp_puts(s, "  [truncated]");
    if (l->flags & WP_LF_QUOTED)
        wp_puts(s, "  [quoted]");
    if (l->flags & WP_LF_FRAGMENT)
        wp_puts(s, "  [in a fragment]");
    wp_putc(s, '\n');
}

void wp_render_layers(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    wp_rv_frame_title(s, p, no, o);
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        unsigned ind = 2u + 2u * (l->depth < 16 ? l->depth : 16);
        char *b = line_room(s), *e;
        if (wp_rv_is_data(l)) {
            if (b && (e = data_line(b, p, ind, l, pi)) != NULL)
                s->len += (size_t)(e - b);
            else
                data_line_slow(s, p, ind, l, pi);
            events_of(s, p, i, ind + 2);
            continue;
        }
        if (b && (e = layer_line(b, ind, l, pi)) != NULL)
            s->len += (size_t)(e - b);
        else
            layer_line_slow(s, ind, l, pi);
        struct wp_sink_fc *cols = layer_cols(s, l->proto, pi->nfields);
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (!wp_field_shown(p, l, f))
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
