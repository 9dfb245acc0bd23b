/* wirepeel — decoding a frame into layers. */
#ifndef WIREPEEL_DECODE_H
#define WIREPEEL_DECODE_H

#include "wirepeel/packet.h"

/* Decode frame f into p (overwritten). Never fails and never allocates: bad
 * or cut headers become events, decoding stops at the first layer that
 * cannot be trusted and the layers before it stay. p borrows f->data. */
void wp_decode(const wp_frame *f, wp_packet *p);

/* The checksum status string of layer l ("good"...), or NULL if it has none. */
const char *wp_layer_csum_name(const wp_layer *l);

/* The Python struct format that reads layer l's header as captured, e.g.
 * "!BBHHHBBH4s4s" (options as "Ns"). Writes at most n bytes; returns buf. */
const char *wp_layer_format(const wp_layer *l, char *buf, size_t n);

#endif
