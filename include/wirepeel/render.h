/* wirepeel — renderers: text and JSON into a buffered sink.
 *
 * A sink collects output in a buffer and writes it to a file descriptor in
 * large blocks (or keeps it in memory for tests and the view). Renderers walk
 * the packet's layers and each header's field table; they never call printf
 * per field and never allocate.
 *
 * Formats (src/render/, one file each):
 *   summary  one line a packet: number, time of day, addresses and ports of
 *            the innermost network layer, protocol, TCP flags/seq/ack/win,
 *            data length, captured (and wire) bytes, "! code +N" on events;
 *   layers   a block per layer indented by depth: title, range, header length,
 *            checksum status, every shown field (derived arithmetic, names),
 *            options one per line, events; data layers with a preview;
 *   hex      16 bytes a line, a legend of layer ranges, "^name" marker lines
 *            where layers start; with color, every layer in its own colour;
 *   json     NDJSON exactly as DESIGN.md fixes it;
 *   struct   per header the Python struct format and frame slice, per field
 *            wp_render_field_detail();
 *   fields   tab-separated: frame, index:proto, field, offset, length, raw
 *            hex, value (numbers decimal); options as options[i] lines, data
 *            layers as "data" lines, events as "!event" lines with the code.
 * Timestamps are UTC ISO-8601 with 6 fraction digits, or 9 when the packet's
 * nanoseconds are not a whole microsecond (see wp_render_opts.ts_digits). */
#ifndef WIREPEEL_RENDER_H
#define WIREPEEL_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"
#include "wirepeel/reasm.h"

/* The sink is only where text goes: the renderers' caches live in a
 * wp_renderer (below), so a sink is a few words and costs nothing to put on
 * the stack. */
typedef struct wp_sink {
    int fd;        /* -1: memory only */
    char *buf;
    size_t len, cap;
    int err;       /* 0, or why output stopped: the errno of the failed
                      write, ENOBUFS when a memory sink ran out of room */
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
    WP_OUT_DIAGRAM, /* RFC-style header diagrams (wirepeel/diagram.h) */
} wp_output;

/* The summary line's time, as tcpdump's -t flags choose it. */
enum {
    WP_TIME_TOD = 0, /* 22:13:20.000000 (the default) */
    WP_TIME_NONE,    /* -t: no time */
    WP_TIME_EPOCH,   /* -tt: 1700000000.000000 */
    WP_TIME_DELTA,   /* -ttt, -ttttt: 00:00:00.001000 since ref_sec/ref_nsec */
    WP_TIME_DATE,    /* -tttt: 2023-11-14 22:13:20.000000 */
};

/* How the summary line prints the time (JSON and -o layers keep UTC with a
 * Z). A renderer copies the pointer, not this: the caller updates it before
 * each frame (the local zone's offset and the delta's start change). */
typedef struct wp_render_time {
    int fmt;             /* WP_TIME_* */
    int32_t utc_offset;  /* seconds east of UTC of the packet's local time
                            (times of day and dates); 0 = UTC */
    int64_t ref_sec;     /* WP_TIME_DELTA: the time the delta counts from */
    uint32_t ref_nsec;
} wp_render_time;

struct wp_flow_ann;

typedef struct wp_render_opts {
    int color;     /* ANSI colours (hex layer colouring) */
    int ts_digits; /* fraction digits of timestamps: 6 or 9; 0 = per packet,
                      9 when ts_nsec is not a whole microsecond, else 6 */
    /* the conversation tracker's annotation of the packet being rendered
     * (wirepeel/flow.h), or NULL: summary, layers, json and fields then show
     * the relative numbers, scaled window, analysis labels and reply
     * pairing. A renderer copies the pointer, not the annotation: fill the
     * one it points to anew (wp_flow_track) before each frame. */
    const struct wp_flow_ann *flow;
    int absolute_seq; /* with flow: the summary keeps the raw seq/ack */
    const wp_render_time *time; /* NULL: the time of day in UTC */
    int link_addrs;      /* -e: the Ethernet addresses after the time */
    int terse;           /* -q: no TCP flags, seq, ack, win */
} wp_render_opts;

/* Parse "summary", "layers", ... ; -1 if unknown. */
int wp_output_parse(const char *name);

/* A renderer keeps what the renderers work out once and reuse for every
 * frame (each proto's field plan, laid-out names and JSON keys, the last
 * second's timestamp text): create one per output stream (show, the view)
 * and pass it every frame. Opaque: its size is no part of the ABI. */
typedef struct wp_renderer wp_renderer;

/* A renderer with options o (copied; NULL: no colour, automatic timestamp
 * digits), or NULL when out of memory. Free it with wp_renderer_free. */
wp_renderer *wp_renderer_new(const wp_render_opts *o);

/* Free r (NULL is allowed). */
void wp_renderer_free(wp_renderer *r);

/* Render packet p, numbered frame_no (1-based), in format out, into s,
 * with r's options and caches. Output past a memory sink's end is dropped
 * and sets s->err; an unknown out writes nothing. The bytes are the same
 * whatever r rendered before. */
void wp_renderer_frame(wp_renderer *r, wp_sink *s, wp_output out, const wp_packet *p,
                       uint64_t frame_no);

/* One frame without a renderer of the caller's: the same bytes as
 * wp_renderer_frame with a new renderer of options o (NULL: the defaults).
 * For callers that render a frame now and then; a stream of frames is
 * cheaper through one renderer. */
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

/* One option of layer l as people read it ("mss (kind 2, len 4) 1460"), into
 * buf[n]; returns buf. (For the view; same text as -o layers.) */
const char *wp_render_opt_text(const wp_packet *p, const wp_layer *l, const wp_opt *o, char *buf,
                               size_t n);

/* An event's text with its values ("checksum does not match (0x1234 != 0x4321)"),
 * without the code, into buf[n]; returns buf. */
const char *wp_render_event_text(const wp_event *e, char *buf, size_t n);

/* ---- formatting helpers (shared by the renderers; public for tests and the view) ---- */

/* Buffer sizes that always suffice for the text forms below (NUL included). */
#define WP_MAC_STRLEN 18
#define WP_IPV4_STRLEN 16
#define WP_IPV6_STRLEN 46
/* the longest timestamp: "-9999999-01-01T00:00:00.999999999Z" (a year past
 * any capture is clamped to 7 digits) is 34 bytes and its NUL */
#define WP_TS_STRLEN 40

/* Each writes the text form of its address into out (sized as above, NUL
 * terminated) and returns its length: MAC lowercase colon-hex, IPv4 dotted
 * quad, IPv6 in RFC 5952 form (the longest run of two or more zero groups
 * becomes "::", the first one on a tie; lowercase; no leading zeros;
 * ::ffff:a.b.c.d for IPv4-mapped addresses, as tshark prints them). */
size_t wp_fmt_mac(const uint8_t a[6], char *out);
size_t wp_fmt_ipv4(const uint8_t a[4], char *out);
size_t wp_fmt_ipv6(const uint8_t a[16], char *out);

/* UTC ISO-8601 "2023-11-14T22:13:20.000099Z" into out[WP_TS_STRLEN] with
 * digits (6 or 9; anything else means 6) fraction digits. Computed with
 * integer civil-from-days arithmetic: no gmtime, no locale. Negative seconds
 * (before 1970) work; nsec above 999999999 is clamped. Returns the length. */
size_t wp_fmt_ts(int64_t sec, uint32_t nsec, unsigned digits, char *out);

/* Write str[0..n) as a JSON string (quotes included), escaping quotes,
 * backslash and control bytes; bytes >= 0x80 are written as \u00XX (read as
 * Latin-1), so the line always parses whatever the bytes are. */
void wp_sink_json_str(wp_sink *s, const char *str, size_t n);

/* The colour of layer i of p, the same in -o hex --color and the view:
 * headers cycle through six (0 cyan, 1 yellow, 2 green, 3 magenta, 4 blue,
 * 5 red, counted among headers only), data is WP_COLOUR_DATA (bold),
 * trailers and raw frames WP_COLOUR_DIM. */
enum { WP_COLOUR_DATA = 6, WP_COLOUR_DIM = 7 };
int wp_render_layer_colour(const wp_packet *p, unsigned i);

/* One summary line for p (no newline) into buf[n]; returns buf. */
const char *wp_render_summary_line(const wp_packet *p, uint64_t frame_no, char *buf, size_t n);

/* ---- IP reassembly as text: show's layers and JSON and the view's
 * fragment map say it in the same words ---- */

/* "IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3001 proto 17" (IPv6: "id
 * 0x%08x next header N") into buf[n] (always terminated when n > 0);
 * returns the length written. */
size_t wp_render_ipr_key(const wp_ipr_dgram *d, char *buf, size_t n);

/* One line of the fragment map for f, without indent or newline: "frame 3
 * @0..1479  offset 0 (0 × 8)  1480 bytes, more fragments", and when it
 * overlapped, how many bytes, how many of its own were used and whether the
 * overlapping bytes differed (the first copy is kept). Into buf[n]; returns
 * the length written. */
size_t wp_render_ipr_frag(const wp_ipr_frag *f, char *buf, size_t n);

/* A datagram that never completed, in one line without newline: "incomplete
 * IPv4 datagram 192.0.2.1 -> 192.0.2.2 id 0x3004 proto 17: frames 10, 11;
 * 800 bytes held, missing 400..799" (at most 16 frames named, then ", ...";
 * a hole with end 0 is "N.. (the last fragment never came)"; "(no first
 * fragment)" when the offset-0 one never came). holes as wp_ipr_expired
 * gives them. Into buf[n]; returns the length written. */
size_t wp_render_ipr_incomplete(const wp_ipr_dgram *d, const uint32_t (*holes)[2], unsigned nholes,
                                char *buf, size_t n);

/* The i-th reassembly event (i from 0): its WP_IPR_EV_* bit, its code
 * ("ip.fragment_overlap") and what it says of the fragment ("overlaps bytes
 * already held (the first copy is kept)"). 1, or 0 past the last. The
 * timeout bit has no entry: it is about older datagrams, reported apart. */
int wp_render_ipr_event(size_t i, unsigned *bit, const char **code, const char **text);

#endif
