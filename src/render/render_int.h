/* Internal: what the renderer files share. Not part of the public API. */
#ifndef WP_RENDER_INT_H
#define WP_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wirepeel/packet.h"
#include "wirepeel/render.h"

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
 * Text made of many short pieces (a summary line) is cheaper written through
 * a char pointer than piece by piece into the sink (each piece would check
 * room, and every char store makes the compiler reload s->buf and s->len).
 * The pattern:
 *     char tmp[BOUND];
 *     char *b = wp_chunk_begin(s, BOUND, tmp), *o = b;
 *     o = wp_p_u64(o, v); *o++ = ' '; o = wp_p_ipv4(o, a); ...
 *     wp_chunk_end(s, b, o, tmp);
 * The writers do not check room: whoever opens a chunk proves in a comment
 * that its text plus WP_P_SLACK bytes fits in BOUND. Each writer puts its
 * text at o and returns the pointer just past it, but may store up to
 * WP_P_SLACK bytes beyond (whole-word copies); the next writer overwrites
 * them, so a chunk never stores past b + (its text's length) + WP_P_SLACK.
 * Free for the json and layers renderers to adopt. */
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

/* Where to write a chunk of at most bound bytes: straight into the sink's
 * buffer when it has room for them and the NUL, else into the caller's
 * tmp[bound]. */
static inline char *wp_chunk_begin(wp_sink *s, size_t bound, char *tmp)
{
    if (s->cap > s->len && s->cap - s->len > bound)
        return s->buf + s->len;
    return tmp;
}

/* Account for the chunk's text [b, e). Text in tmp goes through
 * wp_sink_write, which flushes a full fd sink or keeps what fits in a memory
 * sink: the same bytes, truncation and error as writing the pieces one by
 * one. */
static inline void wp_chunk_end(wp_sink *s, const char *b, const char *e, const char *tmp)
{
    if (b == tmp)
        wp_sink_write(s, tmp, (size_t)(e - b));
    else
        s->len += (size_t)(e - b);
}

/* n bytes of str (a literal's strlen folds at compile time with wp_p_cstr). */
static inline char *wp_p_str(char *o, const char *str, size_t n)
{
    memcpy(o, str, n);
    return o + n;
}

static inline char *wp_p_cstr(char *o, const char *str)
{
    return wp_p_str(o, str, strlen(str));
}

/* v < 100000 in decimal. */
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

/* Lowercase hex, at least digits (1..16) wide, like wp_fmt_hex (slack 0). */
static inline char *wp_p_hex(char *o, uint64_t v, unsigned digits)
{
    unsigned need = 1;
    for (uint64_t t = v >> 4; t; t >>= 4)
        need++;
    if (digits > 16)
        digits = 16;
    if (need < digits)
        need = digits;
    for (unsigned i = need; i > 0; i--) {
        o[i - 1] = wp_hexdig[v & 0xf];
        v >>= 4;
    }
    return o + need;
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

/* Lowercase colon-hex MAC, 17 bytes (slack 1). */
static inline char *wp_p_mac(char *o, const uint8_t a[6])
{
    for (int i = 0; i < 6; i++) {
        memcpy(o, wp_hex2 + 2 * a[i], 2);
        o[2] = ':';
        o += 3;
    }
    return o - 1;
}

/* RFC 5952 IPv6 (as wp_fmt_ipv6), at most 45 bytes (slack 1). */
char *wp_p_ipv6(char *o, const uint8_t a[16]);

/* The time of day of p's timestamp, "22:13:20.000099" (fraction digits as
 * wp_rv_ts_text picks them), the same text as wp_rv_ts_text's between 'T'
 * and 'Z'; at most 18 bytes (slack 0). Uses the sink's per-second cache. */
char *wp_p_tod(wp_sink *s, const wp_packet *p, const wp_render_opts *o, char *out);

/* Kinds of per-field text in the sink's cache. */
enum { WP_FC_LAYERS = 1, WP_FC_JSON = 2 };

/* The cache slot of field k of proto's table, or NULL when the tables have
 * more fields than slots. The slot's text is valid when key (the field) and
 * kind match; a valid slot with len 0 means "does not fit: the slow way". */
static inline struct wp_sink_fc *wp_fc_slot(wp_sink *s, unsigned proto, size_t k)
{
    enum { NSLOT = sizeof s->fc / sizeof s->fc[0] };
    if (!s->fc_valid) {
        /* Every field gets its own slot: no two fields ever evict each other. */
        size_t base = 0;
        memset(s->fc, 0, sizeof s->fc);
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

/* n spaces. */
void wp_sink_pad(wp_sink *s, size_t n);
/* Bytes as two hex digits each, sep between them unless sep is 0. */
void wp_sink_hexbytes(wp_sink *s, const uint8_t *b, size_t n, char sep);

/* The text of a field's value as the layers renderer shows it; ascii picks
 * "x" over "×" for the derived arithmetic. */
void wp_rv_value(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f,
                 int ascii);
/* The field's value as JSON (number, true/false, string, or options list). */
void wp_rv_json_value(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f);
/* One option as text: "mss 1460", "sack 1-2 3-4", "unknown kind 99 len 4 data 0102". */
void wp_rv_opt_text(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_opt *o);
/* An event's text, with its two values when the event has a relation. */
void wp_rv_event_text(wp_sink *s, const wp_event *e);
/* The packet's timestamp in ISO-8601 UTC, digits from o (see wp_render_opts). */
void wp_rv_ts(wp_sink *s, const wp_packet *p, const wp_render_opts *o);
/* The same into buf[WP_TS_STRLEN] (using the sink's per-second cache). */
size_t wp_rv_ts_text(wp_sink *s, const wp_packet *p, const wp_render_opts *o, char *buf);
unsigned wp_rv_ts_digits(const wp_packet *p, const wp_render_opts *o);
/* An address of a field kind (MAC, IPV4, IPV6) as text. */
void wp_rv_addr(wp_sink *s, unsigned kind, const uint8_t *a);
/* Whether layer l is a data layer (payload, fragment, trailer, raw). */
int wp_rv_is_data(const wp_layer *l);
/* The layer's byte extent in the frame: header for headers, all for data. */
uint32_t wp_rv_extent(const wp_layer *l);
/* The layer's index and proto name as "2:ipv4". */
void wp_rv_layer_id(wp_sink *s, const wp_packet *p, const wp_layer *l);

/* "Frame 1: 54 bytes captured of 54, EN10MB, 2023-...Z" and a newline. */
void wp_rv_frame_title(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);

/* The renderers. */
void wp_render_summary(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);
void wp_render_layers(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);
void wp_render_hex(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);
void wp_render_json(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);
void wp_render_struct(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);
void wp_render_fields(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o);
/* The field detail ("@36..37  27 0f  ntohs -> 9999") into a sink. */
void wp_rv_detail(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f);

#endif
