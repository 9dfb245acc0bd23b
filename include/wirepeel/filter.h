/* wirepeel — display filters: a Wireshark-style language over the decoded
 * packet (`tcp.flags.syn == 1 and ip.ttl < 64`).
 *
 * The names are wirepeel's own (every proto and field of the field tables:
 * `tcp`, `ipv4.ttl`) and Wireshark's common aliases (`ip.addr`, `tcp.port`,
 * `tcp.flags.syn`, `frame.len`, ...). An expression is compiled once into a
 * bounded program (one allocation); matching it against a decoded packet
 * reads the packet and allocates nothing. A field that occurs several times
 * (IP in IP, the quote inside an ICMP error, two VLAN tags, ip.addr's two
 * addresses) matches as in Wireshark 4.0: `==`, `<`, `contains`, `in` and
 * `&` hold when any occurrence does; `!=` when every occurrence differs
 * (and there is at least one); `~=` when any differs. */
#ifndef WIREPEEL_FILTER_H
#define WIREPEEL_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

typedef struct wp_filter wp_filter;

/* Why an expression did not compile: a one-line message, and the byte
 * offset and length of the token it is about (for the caret line). */
typedef struct wp_filter_error {
    char msg[256];
    size_t pos;
    size_t len;
} wp_filter_error;

/* What a frame brings besides its decoded packet. number: the capture's own
 * frame number (1 for the first record of the file, filtered or not). flow:
 * the frame's conversation annotation (a const wp_flow_ann *, from
 * wp_flow_track in include/wirepeel/flow.h), or NULL: the conversation
 * fields (tcp.stream, tcp.analysis.*, flow.*) are then absent. */
typedef struct wp_filter_frame {
    uint64_t number;
    const void *flow;
} wp_filter_frame;

/* Compile expr. Returns the program, or NULL with *err filled (err may be
 * NULL) when the expression is empty, malformed, names an unknown field
 * (the message suggests the nearest names), compares a field with a value
 * of the wrong kind, or exceeds the program's bounds (nodes, set elements,
 * literal bytes, nesting). Allocates once; free with wp_filter_free. */
wp_filter *wp_filter_compile(const char *expr, wp_filter_error *err);

/* 1 when packet p (frame fr; NULL: number 0, no flow) matches f, else 0.
 * Never allocates, never reads past p's captured bytes. */
int wp_filter_match(const wp_filter *f, const wp_packet *p, const wp_filter_frame *fr);

/* 1 when f reads conversation fields (tcp.stream, tcp.analysis.*, flow.*),
 * which need a flow annotation (wp_filter_frame.flow), else 0. */
int wp_filter_uses_flow(const wp_filter *f);

/* Free a program (NULL is fine). */
void wp_filter_free(wp_filter *f);

/* A program with a packet of its own to decode frames into, for callers
 * that hold frames rather than decoded packets (the view's index). */
typedef struct wp_filter_run wp_filter_run;

/* Compile expr for frames. NULL and "bad display filter: MESSAGE" (one
 * line) in err when it does not compile or memory runs out. */
wp_filter_run *wp_filter_run_new(const char *expr, char *err, size_t errlen);

/* Decode frame f (its number in the capture: number) and match it against
 * run (a wp_filter_run *; void * so that it fits wp_capture_file_keep).
 * 1 or 0; allocates nothing. */
int wp_filter_run_frame(void *run, const wp_frame *f, uint64_t number);

/* Free (NULL is fine). */
void wp_filter_run_free(wp_filter_run *run);

/* The --decode-as rules run decodes with from now on (NULL: none); o must
 * outlive run. */
struct wp_decode_opts;
void wp_filter_run_decode_as(wp_filter_run *run, const struct wp_decode_opts *o);

/* Write the error for people into buf (at most n bytes, NUL included):
 * the message, then the expression and a caret line under the bad token,
 * each line indented by four spaces and ended by a newline. Returns buf. */
char *wp_filter_error_text(const char *expr, const wp_filter_error *e, char *buf, size_t n);

/* The names the filter knows that are nearest to name (edit distance, at
 * most 2 or a third of its length; up to 3, nearest first), written into
 * buf (n bytes, NUL included) as "a, b, c". Returns how many; buf is empty
 * when none is near. */
size_t wp_filter_suggest(const char *name, char *buf, size_t n);

#endif
