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

/* v in decimal into out (24 bytes suffice); returns the length. */
size_t wp_fmt_u64(uint64_t v, char *out);
/* v in lowercase hex, at least digits wide (20 bytes suffice). */
size_t wp_fmt_hex(uint64_t v, unsigned digits, char *out);

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
