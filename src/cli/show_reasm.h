/* show's IP reassembly: the reassembler fed in show's loop, the
 * reassembled datagram decoded as a second packet and shown on the frame
 * that completes it (-o layers, json: with its fragment map; summary: one
 * bracket), the other fragments pointing at it, and the datagrams that
 * never completed reported at the end. Only public render calls: the frame
 * is rendered as ever and the reassembly parts are added around it. */
#ifndef WP_CLI_SHOW_REASM_H
#define WP_CLI_SHOW_REASM_H

#include <stdint.h>
#include <stdio.h>

#include "opts.h"
#include "wirepeel/reasm.h"
#include "wirepeel/render.h"

typedef struct show_reasm show_reasm;

/* Set up for format fmt. With a saved file (not "-") and -o layers or json,
 * a first pass over src (with its filter and snap length cut) learns which
 * frame completes each datagram, so that the fragments before it can say
 * so. Returns NULL (and has printed why) on failure. */
show_reasm *show_reasm_new(const wp_source_opts *src, uint32_t cut, int fmt);

/* Report no incomplete datagram, on a timeout or at the end: show -Y, whose
 * reassembler sees only the frames the filter keeps, so a report would name
 * a datagram cut short by the filter, not by the capture. NULL: nothing. */
void show_reasm_quiet(show_reasm *r);

/* Feed frame number n (decoded in p) and render it in fmt into out through
 * rr (show's renderer), with what reassembly adds. */
void show_reasm_render(show_reasm *r, wp_renderer *rr, wp_sink *out, int fmt,
                       const wp_packet *p, uint64_t n);

/* The datagrams never completed: one line each on stderr (stdout stays one
 * record a packet; out and fmt are kept for the callers' symmetry). */
void show_reasm_end(show_reasm *r, wp_sink *out, int fmt);

void show_reasm_free(show_reasm *r);

/* For `flows`: a reassembler fed every frame only to learn which datagrams
 * never completed, listed after the table. */
typedef struct wp_cli_incomplete {
    wp_ipr *ipr;
    char *text;       /* the lines, in a memory sink */
    wp_sink s;
    uint64_t count;
} wp_cli_incomplete;

/* 0, or 1 (message printed) when out of memory. */
int wp_cli_incomplete_open(wp_cli_incomplete *x);
void wp_cli_incomplete_feed(wp_cli_incomplete *x, const wp_packet *p, uint64_t n);
/* Give up what is still held and write every line to fp (what did not fit
 * in the memory sink is counted). */
void wp_cli_incomplete_close(wp_cli_incomplete *x, FILE *fp);
void wp_cli_incomplete_free(wp_cli_incomplete *x);

#endif
