/* wirepeel — the whole public API of libwirepeel in one include.
 *
 *   cursor.h    bounds-checked big-endian reads over packet bytes
 *   unpack.h    Python-struct-compatible format unpacking
 *   checksum.h  Internet checksums (RFC 1071)
 *   packet.h    the data model: frames, packets, layers, events, field tables
 *   decode.h    wp_decode: a frame into layers and events
 *   capture.h   reading saved captures and live interfaces (libpcap)
 *   load.h      a whole capture file loaded into memory (tests, tools)
 *   render.h    text and JSON renderers (a wp_renderer per stream) into a
 *               buffered sink
 *   diagram.h   RFC-style header diagrams (text, SVG, HTML, Markdown)
 *
 * tui.h (the ncurses view), capture_seek.h (indexed file reading for the
 * view) and endpoints.h (the course's UDP/TCP servers and clients, the demo)
 * are installed too but serve the wirepeel binary; include them yourself if
 * you need them (the view needs `pkg-config --static --libs wirepeel`).
 *
 * Build against an installed copy with
 *   cc prog.c $(pkg-config --cflags --libs wirepeel)
 */
#ifndef WIREPEEL_WIREPEEL_H
#define WIREPEEL_WIREPEEL_H

#define WP_VERSION_MAJOR 0
#define WP_VERSION_MINOR 1
#define WP_VERSION_PATCH 0
#define WP_VERSION "0.1.0"

/* One number for #if checks: 0x000100 for 0.1.0. */
#define WP_VERSION_NUMBER \
    ((WP_VERSION_MAJOR << 16) | (WP_VERSION_MINOR << 8) | WP_VERSION_PATCH)

#include "wirepeel/cursor.h"
#include "wirepeel/unpack.h"
#include "wirepeel/checksum.h"
#include "wirepeel/packet.h"
#include "wirepeel/decode.h"
#include "wirepeel/capture.h"
#include "wirepeel/load.h"
#include "wirepeel/render.h"
#include "wirepeel/diagram.h"

#endif
