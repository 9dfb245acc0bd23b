/* wirepeel — renderers: text and JSON into a buffered sink.
 *
 * A sink collects output in a buffer and writes it to a file descriptor in
 * large blocks (or keeps it in memory for tests and the view). Renderers walk
 * the packet's layers and each header's field table; they never call printf
 * per field and never allocate. */
#ifndef WIREPEEL_RENDER_H
#define WIREPEEL_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

typedef struct wp_sink {
    int fd;        /* -1: memory only */
    char *buf;
    size_t len, cap;
    int err;       /* a write failed (errno in err_no), or memory overflowed */
    int err_no;
} wp_sink;

/* A sink that writes to fd through the caller's buffer buf[cap]. */
void wp_sink_init_fd(wp_sink *s, int fd, char *buf, size_t cap);

/* A sink that keeps everything in buf[cap]; output past cap sets err and is
 * dropped (buf stays NUL-terminated). */
void wp_sink_init_mem(wp_sink *s, char *buf, size_t cap);

/* Append n bytes at p (a NUL-terminated str; one character; v in decimal).
 * Never fail on their own: an fd sink whose write failed sets s->err and
 * drops everything after; a memory sink that is full sets s->err, keeps what
 * fits and stays NUL-terminated. Check s->err or wp_sink_flush at the end. */
void wp_sink_write(wp_sink *s, const char *p, size_t n);
void wp_sink_puts(wp_sink *s, const char *str);
void wp_sink_putc(wp_sink *s, char ch);
void wp_sink_u64(wp_sink *s, uint64_t v);                /* decimal */
void wp_sink_hex(wp_sink *s, uint64_t v, unsigned digits); /* lowercase, zero-padded */

/* Write out what is buffered (fd sinks). -1 when a write failed. */
int wp_sink_flush(wp_sink *s);

typedef enum wp_output {
    WP_OUT_SUMMARY = 0,
    WP_OUT_LAYERS,
    WP_OUT_HEX,
    WP_OUT_JSON,
    WP_OUT_STRUCT,
    WP_OUT_FIELDS,
} wp_output;

typedef struct wp_render_opts {
    int color;     /* ANSI colours (hex layer colouring) */
} wp_render_opts;

/* Parse "summary", "layers", ... ; -1 if unknown. */
int wp_output_parse(const char *name);

/* Render packet p, numbered frame_no (1-based), in format out. */
void wp_render(wp_sink *s, wp_output out, const wp_packet *p, uint64_t frame_no,
               const wp_render_opts *o);

/* The field's value as people read it ("192.0.2.1", "0x0800 (IPv4)", "20 (5 × 4)"),
 * into buf[n]; returns buf. */
const char *wp_render_field_value(const wp_packet *p, const wp_layer *l, const wp_field *f,
                                  char *buf, size_t n);

/* The unpacking of one field, e.g. "@36..37  27 0f  ntohs -> 9999", with mask
 * and shift for sub-byte fields and the arithmetic for derived values, into
 * buf[n]; returns buf. */
const char *wp_render_field_detail(const wp_packet *p, const wp_layer *l, const wp_field *f,
                                   char *buf, size_t n);

/* One summary line for p (no newline) into buf[n]; returns buf. */
const char *wp_render_summary_line(const wp_packet *p, uint64_t frame_no, char *buf, size_t n);

#endif
