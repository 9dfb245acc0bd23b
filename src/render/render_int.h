/* Internal: what the renderer files share. Not part of the public API. */
#ifndef WP_RENDER_INT_H
#define WP_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wirepeel/packet.h"
#include "wirepeel/render.h"

/* The renderer (opaque outside src/render/): the options and what the
 * renderers work out once and reuse for every frame. The field tables are
 * const, so everything here is a pure function of them, except the
 * timestamp text, which is keyed on its second. wp_renderer_reset empties
 * it; each part is filled on first use. */
struct wp_rfc {
    const void *key; /* the wp_field */
    uint8_t kind, len;
    uint8_t op, fixed; /* JSON: how the value is written; shown when the fixed header is */
    uint16_t soff;     /* JSON: the value's offset in the layer's header struct */
    char text[54];
};
struct wp_rlc {
    uint64_t v;
    uint8_t len;
    char text[87];
};
struct wp_rlp {
    const void *f; /* the wp_field */
    uint8_t op, fixed, ssize, digits, clen, lc_ok, lc_next;
    uint16_t soff;
    char cols[54];
    struct wp_rlc lc[2];
};
struct wp_renderer {
    wp_render_opts o;
    /* the last timestamp's "YYYY-MM-DDTHH:MM:SS" (packets come many to a
     * second) */
    int64_t ts_sec;
    uint8_t ts_valid;
    char ts_text[23];
    /* per-field text that never changes (JSON's quoted key in fc; -o
     * layers' plan in lp, indexed alike): one slot per field of every
     * table (proto, index), set up lazily (reset clears fc_valid) */
    uint8_t fc_valid;
    uint8_t fc_base[WP_PROTO_COUNT]; /* slot of each proto's field 0 */
    /* JSON's plan of each proto (set up with fc, reset with it): 1 = every
     * field's slot holds its JSON key and op, 2 = they cannot (the slow
     * path), 0 = not yet looked at */
    uint8_t fc_plan[WP_PROTO_COUNT];
    /* each proto's end of the fields every layer has (no present(), not
     * options), once fe_ok is set */
    uint8_t fe_ok[WP_PROTO_COUNT];
    uint16_t fixed_end[WP_PROTO_COUNT];
    struct wp_rfc fc[128];
    /* -o layers' plan of each field slot (indexed as fc), worked out once
     * per proto from its const table (lp_ok): f = the field, op = how the
     * line is written (layers.c), fixed = shown whenever the fixed header
     * is, the value's place in the header struct (soff, ssize), its hex
     * digits, and the name and title columns (cols, clen bytes,
     * blank-padded); then the slot's cache of its last two lines after the
     * indent (columns, value, newline) and the key (number, address) each
     * shows: two ways, as traffic goes both ways (src and dst swap); way w
     * is valid while bit w of lc_ok is set (cleared with the plan, so never
     * read before written), lc_next = the way the next miss fills; 96 bytes
     * each so that a hit is one fixed-size copy */
    struct wp_rlp lp[128];
    /* -o layers' cache of each proto's title prefix "IPv4 (Internet
     * Protocol version 4)  ", 64 bytes so that it is copied in one go:
     * lt_len 0 = not yet looked at, 0xff = too long (reset with fc) */
    uint8_t lt_len[WP_PROTO_COUNT];
    /* -o layers: the proto's plan in lp: 0 = not yet worked out, 1 = every
     * field slot holds it, 2 = it cannot (no slots, or columns too wide: the
     * slow path); reset with fc */
    uint8_t lp_ok[WP_PROTO_COUNT];
    char lt[WP_PROTO_COUNT][64];
    /* the summary's copy of each proto's short name, padded to 16 bytes
     * so that it is copied in one go: sn_len 0 = not yet looked at, 0xff =
     * too long for the slot */
    uint8_t sn_len[WP_PROTO_COUNT];
    char sn[WP_PROTO_COUNT][16];
    /* JSON's copy of each proto's `ipv4","offset":` (after `{"proto":"`)
     * and each checksum status's `,"checksum_status":"good"`, 32 bytes so
     * that each is copied in one go: len 0 = not yet looked at, 0xfe = no
     * status, 0xff = too long for the slot */
    uint8_t jp_len[WP_PROTO_COUNT];
    uint8_t jc_len[8];
    char jp[WP_PROTO_COUNT][32];
    char jc[8][32];
    /* JSON's `,"linktype":"EN10MB","layers":[` of the link type jl_type
     * (the last one seen): jl_len 0 = none yet, 0xff = too long */
    int jl_type;
    uint8_t jl_len;
    char jl[48];
};

/* Empty r's caches and give it options o (NULL: the defaults). */
void wp_renderer_reset(wp_renderer *r, const wp_render_opts *o);

extern const char wp_hexdig[17];
/* "00".."99": two decimal digits at a time. */
extern const char wp_digits2[201];

/* The inline writers below leave out the NUL after the text (a store per
 * call, and a char store makes the compiler reload the sink's fields): they
 * keep room for it, and every public entry point ends with wp_sink_term, so
 * a memory sink's text is a C string again whenever the caller looks. */
static inline void wp_sink_term(wp_sink *s)
{
    if (s->len < s->cap)
        s->buf[s->len] = '\0';
}

/* One byte into the sink: the common case stays inline. */
static inline void wp_putc(wp_sink *s, char c)
{
    size_t len = s->len;
    if (len + 2 <= s->cap) {
        s->buf[len] = c;
        s->len = len + 1;
        return;
    }
    wp_sink_write(s, &c, 1);
}

/* n bytes into the sink: the common case (it fits) stays inline, so that
 * the copy of a short constant string compiles to a few moves. */
static inline void wp_w(wp_sink *s, const char *p, size_t n)
{
    if (s->cap > s->len && n < s->cap - s->len) {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
        return;
    }
    wp_sink_write(s, p, n);
}

/* A C string into the sink; the length of a literal is folded at compile time. */
static inline void wp_puts(wp_sink *s, const char *str)
{
    wp_w(s, str, strlen(str));
}

/* An identifier from the code (a proto, field or option name), quoted as a
 * JSON string without escaping: these are static lowercase ASCII names from
 * the tables, never packet bytes. */
static inline void wp_json_ident(wp_sink *s, const char *name)
{
    size_t n = strlen(name);
    if (s->cap > s->len && n + 2 < s->cap - s->len) {
        char *o = s->buf + s->len;
        o[0] = '"';
        memcpy(o + 1, name, n);
        o[n + 1] = '"';
        s->len += n + 2;
        return;
    }
    wp_sink_json_str(s, name, n);
}

/* Up to 3 decimal digits of v (< 1000) at o; returns how many. Branches
 * instead of a loop: ports, lengths and octets are mostly short. */
static inline size_t wp_put_u999(char *o, unsigned v)
{
    if (v < 10) {
        o[0] = (char)('0' + v);
        return 1;
    }
    if (v < 100) {
        memcpy(o, wp_digits2 + 2 * v, 2);
        return 2;
    }
    o[0] = (char)('0' + v / 100);
    memcpy(o + 1, wp_digits2 + 2 * (v % 100), 2);
    return 3;
}

/* wp_sink_u64 with the short numbers (below 100000) written inline. */
static inline void wp_u64(wp_sink *s, uint64_t v)
{
    if (v < 100000 && s->cap > s->len && s->cap - s->len > 6) {
        char *o = s->buf + s->len;
        size_t n;
        if (v < 1000) {
            n = wp_put_u999(o, (unsigned)v);
        } else {
            unsigned hi = (unsigned)v / 1000, lo = (unsigned)v % 1000;
            n = wp_put_u999(o, hi);
            o[n] = (char)('0' + lo / 100);
            memcpy(o + n + 1, wp_digits2 + 2 * (lo % 100), 2);
            n += 3;
        }
        s->len += n;
        return;
    }
    wp_sink_u64(s, v);
}

/* ---- pointer writers ----------------------------------------------------
 * Text made of many short pieces (a line, a JSON object, a value) is cheaper
 * written through a char pointer than piece by piece into the sink (each
 * piece would check room, and every char store makes the compiler reload
 * s->buf and s->len). One idiom for all renderers: reserve room for the
 * whole piece once, or take the slow path:
 *     char *b = wp_room(s, BOUND), *o = b;
 *     if (!b) { ...the same text through the sink writers...; return; }
 *     o = wp_p_u64(o, v); *o++ = ' '; o = wp_p_ipv4(o, a); ...
 *     wp_room_end(s, b, o, BOUND);
 * (wp_chunk_begin/wp_chunk_end wrap it for a piece with no slow path: the
 * text goes into the caller's tmp[BOUND] and through wp_sink_write instead.)
 * The writers do not check room: whoever reserves proves in a comment that
 * its text plus WP_P_SLACK bytes fits in BOUND. Each writer puts its text at
 * o and returns the pointer just past it, but may store up to WP_P_SLACK
 * bytes beyond (whole-word copies); the next writer overwrites them, so a
 * piece never stores past b + (its text's length) + WP_P_SLACK. Nothing is
 * kept until s->len moves: a writer that gives up (NULL) leaves the slow
 * path a clean start. */
#define WP_P_SLACK 4

/* v in decimal into out (24 bytes suffice); returns the length. */
size_t wp_fmt_u64(uint64_t v, char *out);
/* v in lowercase hex, at least digits wide (20 bytes suffice). */
size_t wp_fmt_hex(uint64_t v, unsigned digits, char *out);

/* Octet v followed by '.', 4 bytes per entry (sink.c). */
extern const char wp_oct[1025];
extern const uint8_t wp_oct_len[256];
/* "00".."ff": byte b as two lowercase hex digits at 2 * b (sink.c). */
extern const char wp_hex2[513];

/* Debug builds (-DWP_DEBUG_ROOM: make sanitize, the fuzz build and the
 * unit tests) check every piece against the room it reserved: wp_room puts
 * a canary in the byte just past the room (inside the buffer: wp_room
 * grants more than n bytes), and when the piece is accounted for, its text
 * plus WP_P_SLACK must fit in n and the canary must be intact; a piece in
 * the caller's tmp gets the length check (ASan watches tmp itself). A
 * failure names the room and aborts. Release builds check nothing. */
#ifdef WP_DEBUG_ROOM
#define WP_ROOM_CANARY ((char)0xa5)
/* Print what overran (used bytes, room) on stderr and abort (sink.c). */
void wp_room_fail(size_t used, size_t room, int canary);

static inline void wp_room_check(const char *b, const char *e, size_t n, int canary)
{
    size_t used = (size_t)(e - b);
    if (e < b || used > n || n - used < WP_P_SLACK || (canary && b[n] != WP_ROOM_CANARY))
        wp_room_fail(used, n, canary && b[n] != WP_ROOM_CANARY);
}
#endif

/* A pointer to more than n free bytes at the end of the sink's buffer (room
 * for the NUL wp_sink_term may put after them), or NULL. An fd sink too full
 * is flushed first: only where its writes split changes. A memory sink
 * without room, or a failed fd sink, gets NULL: the caller then writes
 * through the sink piece by piece, which truncates or drops as before.
 * The piece written there ends with wp_room_end(s, b, e, n). */
static inline char *wp_room(wp_sink *s, size_t n)
{
    char *b = NULL;
    if (s->cap > s->len && s->cap - s->len > n)
        b = s->buf + s->len;
    else if (s->fd >= 0 && !s->err && s->cap > n) {
        wp_sink_flush(s);
        if (!s->err && s->len == 0)
            b = s->buf;
    }
#ifdef WP_DEBUG_ROOM
    if (b)
        b[n] = WP_ROOM_CANARY;
#endif
    return b;
}

/* The piece [b, e) written at b = wp_room(s, n) is done: keep it. */
static inline void wp_room_end(wp_sink *s, const char *b, const char *e, size_t n)
{
#ifdef WP_DEBUG_ROOM
    wp_room_check(b, e, n, 1);
#else
    (void)n;
#endif
    s->len += (size_t)(e - b);
}

/* Where to write a chunk of at most bound bytes: wp_room's pointer, else
 * the caller's tmp[bound]. */
static inline char *wp_chunk_begin(wp_sink *s, size_t bound, char *tmp)
{
    char *b = wp_room(s, bound);
    return b ? b : tmp;
}

/* Account for the chunk's text [b, e) (bound: as given to wp_chunk_begin).
 * Text in tmp goes through wp_sink_write, which keeps what fits in a
 * memory sink or drops it after a failed write: the same bytes, truncation
 * and error as writing the pieces one by one. */
static inline void wp_chunk_end(wp_sink *s, const char *b, const char *e, const char *tmp,
                                size_t bound)
{
    if (b == tmp) {
#ifdef WP_DEBUG_ROOM
        wp_room_check(b, e, bound, 0);
#endif
        wp_sink_write(s, tmp, (size_t)(e - b));
    } else {
        wp_room_end(s, b, e, bound);
    }
}

/* n bytes of str (slack 0). A constant n is one folded copy; a run-time one
 * (a table name) is two overlapping fixed-size moves that read only
 * str[0..n), no call, for the short ones that nearly all are. */
static inline char *wp_p_str(char *o, const char *str, size_t n)
{
    if (__builtin_constant_p(n)) {
        memcpy(o, str, n);
    } else if (n >= 8 && n <= 16) {
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

/* A C string (a literal's strlen folds at compile time). */
static inline char *wp_p_cstr(char *o, const char *str)
{
    return wp_p_str(o, str, strlen(str));
}

/* A table name (proto, checksum status, link type, option name) of at most
 * max bytes: the end, or NULL when it is longer (the caller then takes its
 * slow path). Byte by byte: the names are a few bytes, shorter than a call
 * to strlen. Reads no byte past the name's NUL. */
static inline char *wp_p_name(char *o, const char *name, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        char ch = name[i];
        if (!ch)
            return o + i;
        o[i] = ch;
    }
    return name[max] ? NULL : o + max;
}

/* At most max bytes of a table name (a longer one is cut: the callers'
 * bounds hold for any table, and the tables have none that long). */
static inline char *wp_p_name_cut(char *o, const char *name, size_t max)
{
    size_t n = strlen(name);
    return wp_p_str(o, name, n < max ? n : max);
}

/* v < 100000 in decimal (slack 0). */
static inline char *wp_p_u5(char *o, unsigned v)
{
    if (v < 1000)
        return o + wp_put_u999(o, v);
    if (v >= 10000) { /* ports mostly: a digit and two pairs */
        unsigned r = v % 10000;
        o[0] = (char)('0' + v / 10000);
        memcpy(o + 1, wp_digits2 + 2 * (r / 100), 2);
        memcpy(o + 3, wp_digits2 + 2 * (r % 100), 2);
        return o + 5;
    }
    unsigned hi = v / 1000, lo = v % 1000;
    o += wp_put_u999(o, hi);
    o[0] = (char)('0' + lo / 100);
    memcpy(o + 1, wp_digits2 + 2 * (lo % 100), 2);
    return o + 3;
}

/* Exactly 4 digits of v < 10000. */
static inline char *wp_p_04(char *o, unsigned v)
{
    memcpy(o, wp_digits2 + 2 * (v / 100), 2);
    memcpy(o + 2, wp_digits2 + 2 * (v % 100), 2);
    return o + 4;
}

/* v >= 100000 below 2^32: the digits above the last 8 (0..42) or above the
 * last 4, then those in pairs. Out of line: sequence numbers mostly. */
char *wp_p_u32_big(char *o, uint32_t v);

/* v in decimal (at most 20 digits; slack 1). */
static inline char *wp_p_u64(char *o, uint64_t v)
{
    if (v < 100000)
        return wp_p_u5(o, (unsigned)v);
    if (v <= UINT32_MAX)
        return wp_p_u32_big(o, (uint32_t)v);
    return o + wp_fmt_u64(v, o);
}

/* Lowercase hex, at least digits (1..16) wide, the digits of wp_fmt_hex
 * (at most 16 bytes, slack 0). */
static inline char *wp_p_hex(char *o, uint64_t v, unsigned digits)
{
    unsigned need = v ? (unsigned)(67 - __builtin_clzll(v)) / 4 : 1;
    if (digits > 16)
        digits = 16;
    if (need < digits)
        need = digits;
    unsigned i = need;
    for (; i >= 2; i -= 2) {
        memcpy(o + i - 2, wp_hex2 + 2 * (v & 0xff), 2);
        v >>= 8;
    }
    if (i)
        o[0] = wp_hexdig[v & 0xf];
    return o + need;
}

/* n bytes as two hex digits each, sep between them unless sep is 0 (at
 * most 3n bytes, slack 0). */
static inline char *wp_p_hexbytes(char *o, const uint8_t *b, size_t n, char sep)
{
    for (size_t i = 0; i < n; i++) {
        if (sep && i)
            *o++ = sep;
        memcpy(o, wp_hex2 + 2 * b[i], 2);
        o += 2;
    }
    return o;
}

/* Dotted quad, at most 15 bytes (slack 3: the last octet's 4-byte copy). */
static inline char *wp_p_oct(char *o, unsigned v)
{
    memcpy(o, wp_oct + 4 * v, 4);
    return o + wp_oct_len[v];
}

static inline char *wp_p_ipv4(char *o, const uint8_t a[4])
{
    o = wp_p_oct(o, a[0]);
    o = wp_p_oct(o, a[1]);
    o = wp_p_oct(o, a[2]);
    o = wp_p_oct(o, a[3]);
    return o - 1; /* the last octet's dot is not part of the text */
}

/* Lowercase colon-hex MAC, 17 bytes (slack 0); spelled out, as the compiler
 * keeps a loop here a loop. */
static inline char *wp_p_mac(char *o, const uint8_t a[6])
{
    memcpy(o, wp_hex2 + 2 * a[0], 2);
    o[2] = ':';
    memcpy(o + 3, wp_hex2 + 2 * a[1], 2);
    o[5] = ':';
    memcpy(o + 6, wp_hex2 + 2 * a[2], 2);
    o[8] = ':';
    memcpy(o + 9, wp_hex2 + 2 * a[3], 2);
    o[11] = ':';
    memcpy(o + 12, wp_hex2 + 2 * a[4], 2);
    o[14] = ':';
    memcpy(o + 15, wp_hex2 + 2 * a[5], 2);
    return o + 17;
}

/* RFC 5952 IPv6 (as wp_fmt_ipv6): at most 39 bytes, and no store past
 * o + 39 (the IPv4-mapped form is at most 22 and its slack 3). */
char *wp_p_ipv6(char *o, const uint8_t a[16]);

/* n (at most 40) spaces (slack: 40 - n). */
static inline char *wp_p_pad(char *o, size_t n)
{
    static const char sp[40] = "                                        ";
    memcpy(o, sp, sizeof sp);
    return o + n;
}

/* ---- one writer per field kind -----------------------------------------
 * Every output writes a field's value through the writer of its kind, in
 * its style, so each kind's text is made in one place:
 *   WP_VS_TEXT   as -o layers and the view show it: a hex UINT as "0x0800",
 *                then the describe text, the multiplier's arithmetic and
 *                the checksum status (wp_p_num_extras);
 *   WP_VS_ASCII  the same with "x" for the multiplication sign (-o struct);
 *   WP_VS_RAW    as -o fields: numbers in decimal, nothing after them, an
 *                options field as its count;
 *   WP_VS_JSON   numbers, true/false, addresses and bytes quoted.
 * The plans of -o layers and -o json pick a kind's writer and where its
 * value lives once per field; wp_p_field picks them per call.
 * Bound (WP_VALUE_MAX, slack included): a number 20 (or "0x" + 16) +
 * describe " (" + 96 (the describe function writes at most 96 bytes, NUL
 * included, at o + 2) + ")" + derived " (\xc3\x97 " 5 + 3 + " = " 3 + 20 +
 * " bytes)" 7 + checksum " [" 2 + WP_VALUE_NAME_MAX 95 + ", should be 0x"
 * 14 + 16 + "]" 1 = 283; an address 39 (+ 2 quotes); HEX at most 255 bytes
 * as 765 (+ 2 quotes, JSON's only through wp_rv_field, whose tmp has the
 * room); options 3 + 10 + 10 + 6 = 29. */
#define WP_VALUE_NAME_MAX 95
#define WP_VALUE_MAX 768
enum { WP_VS_TEXT, WP_VS_ASCII, WP_VS_RAW, WP_VS_JSON };

/* After a number v: the describe text, the derived arithmetic (ascii picks
 * "x" over "\xc3\x97"), the checksum status (csum: f is the header's
 * checksum field). */
char *wp_p_num_extras(char *o, const wp_layer *l, const wp_field *f, uint64_t v, int ascii,
                      int csum);
/* Whether f is a header's checksum field (its table row's WP_FF_CHECKSUM),
 * whose value shows the layer's checksum status after it
 * (wp_p_csum_status): the plans ask it once per field, wp_p_field per
 * call. */
static inline int wp_p_is_checksum(const wp_field *f)
{
    return (f->flags & WP_FF_CHECKSUM) != 0;
}

/* After a checksum field's number: " [good]", " [bad, should be 0x1c46]"
 * (at most 2 + WP_VALUE_NAME_MAX + 14 + 16 + 1 bytes), nothing for a layer
 * with no status. */
char *wp_p_csum_status(char *o, const wp_layer *l);

/* An option's text ("mss 1460", "sack 1-2 3-4", "unknown kind 99 len 4 data
 * 0102") at w, which has WP_OPT_ROOM bytes of room (the bound is proven in
 * value.c); returns the end. */
#define WP_OPT_ROOM 700
char *wp_p_opt_text(char *w, const wp_packet *p, const wp_layer *l, const wp_opt *o);

/* Set bits of m, without a libgcc call (no popcnt instruction assumed). */
static inline unsigned wp_bit_count(uint32_t m)
{
    m = m - ((m >> 1) & 0x55555555u);
    m = (m & 0x33333333u) + ((m >> 2) & 0x33333333u);
    m = (m + (m >> 4)) & 0x0f0f0f0fu;
    return (m * 0x01010101u) >> 24;
}

/* The hex digits a field's number is shown with: its bits, rounded up. */
static inline unsigned wp_field_hexdigits(const wp_field *f)
{
    unsigned bits = f->mask ? wp_bit_count(f->mask) : f->width * 8u;
    return (bits + 3) / 4;
}

/* The number of field f, whose plan says it is read from ssize (1, 2, 4 or
 * 8) bytes at soff of the header union with 8 bytes of the union from soff
 * on: on a little-endian host one 8-byte read with the high bytes masked
 * off, the value wp_field_uint reads (elsewhere wp_field_uint itself). */
static inline uint64_t wp_hdr_uint(const wp_layer *l, const wp_field *f, unsigned soff,
                                   unsigned ssize)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    (void)f;
    memcpy(&v, (const unsigned char *)&l->h + soff, 8);
    return v & (~0ull >> (64 - 8 * ssize));
#else
    (void)soff;
    (void)ssize;
    return wp_field_uint(l, f);
#endif
}

/* Whether f's number can be read with wp_hdr_uint (the plans' test). */
static inline int wp_field_hdr_num(const wp_field *f)
{
    return (f->kind == WP_FK_UINT || f->kind == WP_FK_BOOL) &&
           (f->ssize == 1 || f->ssize == 2 || f->ssize == 4 || f->ssize == 8) &&
           f->soff <= sizeof ((wp_layer *)0)->h - 8;
}

/* UINT: v, read from size bytes (1 or 2: v < 256 or < 65536; anything
 * else: any v), in decimal; with hexdigits (1..16) "0x" and that many hex
 * digits at least (slack 1). */
static inline __attribute__((always_inline)) char *wp_p_k_uint(char *o, uint64_t v, unsigned size,
                                                               unsigned hexdigits)
{
    if (hexdigits) {
        o[0] = '0';
        o[1] = 'x';
        return wp_p_hex(o + 2, v, hexdigits);
    }
    if (size == 1)
        return o + wp_put_u999(o, (unsigned)v);
    if (size == 2)
        return wp_p_u5(o, (unsigned)v);
    return wp_p_u64(o, v);
}

/* BOOL: JSON's true/false, or the number (slack 1). */
static inline __attribute__((always_inline)) char *wp_p_k_bool(char *o, uint64_t v, unsigned st)
{
    if (st == WP_VS_JSON)
        return v ? wp_p_str(o, "true", 4) : wp_p_str(o, "false", 5);
    return wp_p_u64(o, v);
}

/* MAC, IPV4, IPV6: the address a of that kind, quoted for JSON (at most
 * 41 bytes, no store past o + 41). */
static inline __attribute__((always_inline)) char *wp_p_k_addr(char *o, unsigned kind,
                                                               const uint8_t *a, unsigned st)
{
    if (st == WP_VS_JSON)
        *o++ = '"';
    switch (kind) {
    case WP_FK_MAC:
        o = wp_p_mac(o, a);
        break;
    case WP_FK_IPV4:
        o = wp_p_ipv4(o, a);
        break;
    default:
        o = wp_p_ipv6(o, a);
        break;
    }
    if (st == WP_VS_JSON)
        *o++ = '"';
    return o;
}

/* HEX: n bytes as colon-separated hex, quoted for JSON (3n + 1 bytes). */
static inline char *wp_p_k_bytes(char *o, const uint8_t *b, size_t n, unsigned st)
{
    if (st == WP_VS_JSON)
        *o++ = '"';
    o = wp_p_hexbytes(o, b, n, ':');
    if (st == WP_VS_JSON)
        *o++ = '"';
    return o;
}

/* OPTIONS as text ("2 options, 12 bytes") or, WP_VS_RAW, the count. (JSON
 * writes the list itself: json_opts in value.c, through the sink.) */
char *wp_p_k_opts(char *o, const wp_layer *l, const wp_field *f, unsigned st);

/* A number field's value v (wp_field_uint of a UINT or BOOL field) in
 * style st, read from size bytes (see wp_p_k_uint); csum: f is the
 * header's checksum field (wp_p_is_checksum, asked by the caller once). */
static inline __attribute__((always_inline)) char *wp_p_num(char *o, const wp_layer *l,
                                                            const wp_field *f, uint64_t v,
                                                            unsigned size, unsigned st, int csum)
{
    if (f->kind == WP_FK_BOOL && st == WP_VS_JSON)
        return wp_p_k_bool(o, v, st);
    int text = st == WP_VS_TEXT || st == WP_VS_ASCII;
    o = wp_p_k_uint(o, v, size,
                    text && f->hex && f->kind == WP_FK_UINT ? wp_field_hexdigits(f) : 0);
    if (text && (f->describe || f->mult || csum))
        return wp_p_num_extras(o, l, f, v, st == WP_VS_ASCII, csum);
    return o;
}

/* The value of a field other than a number, in style st (JSON: not
 * OPTIONS, which json_opts writes). */
char *wp_p_field_other(char *o, const wp_layer *l, const wp_field *f, unsigned st);

/* Field f of layer l in style st at o (WP_VALUE_MAX bytes of room): the
 * kind's writer; the plain number stays inline. */
static inline __attribute__((always_inline)) char *wp_p_field(char *o, const wp_layer *l,
                                                              const wp_field *f, unsigned st)
{
    if (f->kind != WP_FK_UINT && f->kind != WP_FK_BOOL)
        return wp_p_field_other(o, l, f, st);
    return wp_p_num(o, l, f, wp_field_uint(l, f), 8, st,
                    (st == WP_VS_TEXT || st == WP_VS_ASCII) && wp_p_is_checksum(f));
}

/* The time of day of p's timestamp, "22:13:20.000099" (fraction digits as
 * wp_rv_ts_text picks them), the same text as wp_rv_ts_text's between 'T'
 * and 'Z'; at most 18 bytes (slack 0). Uses r's per-second cache; r NULL:
 * no cache and the default digits. */
char *wp_p_tod(wp_renderer *r, const wp_packet *p, char *out);

/* The kind of per-field text in the renderer's cache (fc: JSON's). */
enum { WP_FC_JSON = 2 };

/* The cache slot of field k of proto's table, or NULL when the tables have
 * more fields than slots. The slot's text is valid when key (the field) and
 * kind match; a valid slot with len 0 means "does not fit: the slow way". */
static inline struct wp_rfc *wp_fc_slot(wp_renderer *s, unsigned proto, size_t k)
{
    enum { NSLOT = sizeof s->fc / sizeof s->fc[0] };
    if (!s->fc_valid) {
        /* Every field gets its own slot: no two fields ever evict each other. */
        size_t base = 0;
        memset(s->fc, 0, sizeof s->fc);
        memset(s->fc_plan, 0, sizeof s->fc_plan);
        memset(s->lt_len, 0, sizeof s->lt_len);
        memset(s->lp_ok, 0, sizeof s->lp_ok);
        for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
            s->fc_base[p] = (uint8_t)(base < NSLOT ? base : NSLOT);
            base += wp_proto_get(p)->nfields;
        }
        s->fc_valid = 1;
    }
    if (proto >= WP_PROTO_COUNT || k >= (size_t)NSLOT - s->fc_base[proto])
        return NULL;
    return &s->fc[s->fc_base[proto] + k];
}

/* Whether field f is one every layer of its kind has (no present(), not
 * options): shown whenever its bytes are. */
static inline int wp_field_fixed(const wp_field *f)
{
    return !f->present && f->kind != WP_FK_OPTIONS && f->kind != WP_FK_TEXT;
}

/* Bytes b[0..n) as a JSON string (quotes included) through the sink: '"',
 * '\\' and every byte outside printable ASCII escaped (\u00XX: the bytes
 * read as Latin-1, so any input gives valid JSON). */
void wp_rv_json_bytes(wp_sink *s, const uint8_t *b, size_t n);

/* Set r->fixed_end[proto]: the end of proto's fixed fields (render.c). */
void wp_fixed_end_fill(wp_renderer *r, unsigned proto);

/* Whether layer l has every byte of its fixed fields: then each of them is
 * shown (wp_field_shown's test, field by field, comes out the same), and the
 * renderers ask it per layer instead of per field. */
static inline int wp_fixed_shown(wp_renderer *s, const wp_packet *p, const wp_layer *l)
{
    unsigned proto = l->proto;
    if (proto >= WP_PROTO_COUNT)
        return 0;
    if (!s->fe_ok[proto])
        wp_fixed_end_fill(s, proto);
    uint32_t end = l->avail_end && l->avail_end < p->caplen ? l->avail_end : p->caplen;
    return l->off <= end && s->fixed_end[proto] <= end - l->off;
}

/* n spaces. */
void wp_sink_pad(wp_sink *s, size_t n);
/* Bytes as two hex digits each, sep between them unless sep is 0. */
void wp_sink_hexbytes(wp_sink *s, const uint8_t *b, size_t n, char sep);

/* Field f's value in style st (WP_VS_*) through the sink; JSON's options
 * field as its list of option objects. */
void wp_rv_field(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f,
                 unsigned st);
/* One option as text: "mss 1460", "sack 1-2 3-4", "unknown kind 99 len 4 data 0102". */
void wp_rv_opt_text(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_opt *o);
/* An event's text, with its two values when the event has a relation. */
void wp_rv_event_text(wp_sink *s, const wp_event *e);
/* The packet's timestamp in ISO-8601 UTC, digits from r's options (see
 * wp_render_opts), into buf[WP_TS_STRLEN] (using r's per-second cache). */
size_t wp_rv_ts_text(wp_renderer *r, const wp_packet *p, char *buf);
unsigned wp_rv_ts_digits(const wp_packet *p, const wp_render_opts *o);
/* Whether layer l is a data layer (payload, fragment, trailer, raw). */
int wp_rv_is_data(const wp_layer *l);
/* The layer's byte extent in the frame: header for headers, all for data. */
uint32_t wp_rv_extent(const wp_layer *l);
/* The layer's index and proto name as "2:ipv4". */
void wp_rv_layer_id(wp_sink *s, const wp_packet *p, const wp_layer *l);

/* "Frame 1: 54 bytes captured of 54, EN10MB, 2023-...Z" and a newline. */
void wp_rv_frame_title(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);

/* The renderers: frame p, numbered no, into s with r's options and caches. */
void wp_render_summary(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);
void wp_render_layers(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);
void wp_render_hex(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);
void wp_render_json(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);
void wp_render_struct(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);
void wp_render_fields(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no);
/* The field detail ("@36..37  27 0f  ntohs -> 9999") into a sink. */
void wp_rv_detail(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f);

#endif
