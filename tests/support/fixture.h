/* Test support: load every frame of a capture in captures/ into memory and
 * decode it. */
#ifndef WP_TEST_FIXTURE_H
#define WP_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

typedef struct wp_fixture {
    size_t n;
    wp_frame *frames;   /* frames[i].data points into owned memory */
    uint8_t **bufs;
} wp_fixture;

/* Load captures/NAME (the directory from $WP_CAPTURES, else "captures");
 * fails the running cmocka test when it cannot. */
wp_fixture *wp_fixture_load(const char *name);

/* Decode frame i (0-based) into p; fails the test if i is out of range. */
void wp_fixture_decode(const wp_fixture *fx, size_t i, wp_packet *p);

void wp_fixture_free(wp_fixture *fx);

/* The first layer of proto in p (NULL if none), and the nth (0-based). */
const wp_layer *wp_test_layer(const wp_packet *p, unsigned proto, unsigned nth);

/* Whether p has an event with this code; the layer it concerns via *layer. */
int wp_test_has_event(const wp_packet *p, const char *code);

/* Field value of layer l by JSON name (fails the test if there is none). */
uint64_t wp_test_field(const wp_layer *l, const char *name);

/* The row of proto's field table named name (the first, where a field has a
 * row per kind, as SLL's addr); fails the test if there is none. Tests name
 * rows rather than count them, so a row added or moved breaks no test. */
const wp_field *wp_test_row(unsigned proto, const char *name);

struct wp_next;
/* Decode fixture frame i as Ethernet / IPv4 / transport with the Ethernet and
 * transport decoders and a stand-in IPv4 layer read from the frame's own IPv4
 * header, so a transport test holds whatever the IPv4 decoder does. Returns
 * the transport layer; *nx is what it leaves for the next layer. */
const wp_layer *wp_test_fixture_transport(const wp_fixture *fx, size_t i, wp_packet *p,
                                          struct wp_next *nx);

/* For tests that build frames byte by byte: RFC 1071 written out again, so
 * they do not lean on the library's own checksum code (s: a running sum);
 * big-endian stores. */
uint16_t wp_test_ref_csum(const uint8_t *p, size_t n, uint32_t s);
void wp_test_put16(uint8_t *p, uint16_t v);
void wp_test_put32(uint8_t *p, uint32_t v);

/* A raw IPv4 frame (LINKTYPE_RAW) of TCP from port 40000 to dport (PSH
 * ACK, data offset 5) carrying d[0..n), decoded into p; the frame is built
 * in buf (cap bytes, at least 40 + n). Checksums are left 0 (the decoder
 * says bad: tests of what the data decodes to do not look). */
void wp_test_raw_tcp(uint8_t *buf, size_t cap, unsigned dport, const void *d, size_t n,
                     wp_packet *p);

#endif
