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

#endif
