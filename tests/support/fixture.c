#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"

wp_fixture *wp_fixture_load(const char *name)
{
    const char *dir = getenv("WP_CAPTURES");
    char path[1024];
    char err[WP_ERRBUF];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "captures", name);
    wp_capture *c = wp_capture_open_file(path, err, sizeof err);
    if (!c)
        fail_msg("fixture %s: %s", path, err);
    wp_fixture *fx = calloc(1, sizeof *fx);
    size_t cap = 0;
    wp_frame f;
    int rc;
    while ((rc = wp_capture_next(c, &f, err, sizeof err)) == 1) {
        if (fx->n == cap) {
            cap = cap ? cap * 2 : 16;
            fx->frames = realloc(fx->frames, cap * sizeof *fx->frames);
            fx->bufs = realloc(fx->bufs, cap * sizeof *fx->bufs);
        }
        uint8_t *b = malloc(f.caplen ? f.caplen : 1);
        memcpy(b, f.data, f.caplen);
        fx->bufs[fx->n] = b;
        fx->frames[fx->n] = f;
        fx->frames[fx->n].data = b;
        fx->n++;
    }
    if (rc < 0)
        fail_msg("fixture %s: %s", path, err);
    wp_capture_close(c);
    return fx;
}

void wp_fixture_decode(const wp_fixture *fx, size_t i, wp_packet *p)
{
    if (i >= fx->n)
        fail_msg("fixture has %zu frames, asked for frame index %zu", fx->n, i);
    wp_decode(&fx->frames[i], p);
}

void wp_fixture_free(wp_fixture *fx)
{
    if (!fx)
        return;
    for (size_t i = 0; i < fx->n; i++)
        free(fx->bufs[i]);
    free(fx->bufs);
    free(fx->frames);
    free(fx);
}

const wp_layer *wp_test_layer(const wp_packet *p, unsigned proto, unsigned nth)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].proto == proto && nth-- == 0)
            return &p->layers[i];
    return NULL;
}

int wp_test_has_event(const wp_packet *p, const char *code)
{
    for (unsigned i = 0; i < p->nevents; i++)
        if (strcmp(p->events[i].def->code, code) == 0)
            return 1;
    return 0;
}

uint64_t wp_test_field(const wp_layer *l, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return wp_field_uint(l, &pi->fields[i]);
    fail_msg("%s has no field %s", pi->name, name);
    return 0;
}
