/* wirepeel — decoding a frame into layers. */
#ifndef WIREPEEL_DECODE_H
#define WIREPEEL_DECODE_H

#include "wirepeel/packet.h"

/* Decode frame f into p (overwritten). Never fails and never allocates: bad
 * or cut headers become events, decoding stops at the first layer that
 * cannot be trusted and the layers before it stay. p borrows f->data. */
void wp_decode(const wp_frame *f, wp_packet *p);

/* ---- decode-as: what the user says a port carries ------------------- */

/* At most this many --decode-as rules. */
#define WP_DECODE_AS_MAX 16

/* One rule: a UDP or TCP port (either end) whose payload is decoded as
 * proto (a wp_proto; WP_PROTO_PAYLOAD: not decoded at all). */
typedef struct wp_decode_as {
    uint8_t transport; /* WP_PROTO_UDP or WP_PROTO_TCP */
    uint8_t proto;
    uint16_t port;
} wp_decode_as;

/* Options for wp_decode_with(); zero-initialised: none. */
typedef struct wp_decode_opts {
    unsigned n_as;
    wp_decode_as as[WP_DECODE_AS_MAX];
} wp_decode_opts;

/* wp_decode() with options o (NULL: none, exactly wp_decode()). p keeps a
 * pointer to o while it decodes; o must outlive the call only. */
void wp_decode_with(const wp_frame *f, const wp_decode_opts *o, wp_packet *p);

/* Parse one rule "udp.port=N:PROTO" (also "==" and ",", as tshark's -d
 * "udp.port==N,PROTO"; "tcp.port" the same) and add it to o; a later rule
 * for the same transport and port replaces the earlier one. 0 on success;
 * -1 on a malformed spec, an unknown PROTO or a full table, with one line
 * in err (naming the names it accepts, for an unknown PROTO). */
int wp_decode_as_add(wp_decode_opts *o, const char *spec, char *err, size_t errlen);

/* The names wp_decode_as_add accepts as PROTO, comma-separated ("vxlan,
 * dns, ..."), into buf[n]; returns buf. */
const char *wp_decode_as_names(char *buf, size_t n);

/* The checksum status string of layer l ("good"...), or NULL if it has none. */
const char *wp_layer_csum_name(const wp_layer *l);

/* The Python struct format that reads layer l's header as captured, e.g.
 * "!BBHHHBBH4s4s" (options as "Ns"). Writes at most n bytes; returns buf. */
const char *wp_layer_format(const wp_layer *l, char *buf, size_t n);

#endif
