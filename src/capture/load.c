/* A whole capture file in memory, for tests and small tools. Reads through
 * wp_capture (so pcap and pcapng, nanosecond timestamps and the file error
 * messages are the same as everywhere else) and copies the bytes into one
 * growing arena; frame pointers are set only at the end because the arena
 * moves while it grows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/capture.h"
#include "wirepeel/load.h"

/* Bytes one file may hold before we give up: far above any fixture, and it
 * keeps a hostile header's lengths from asking for absurd memory. */
#define LOAD_MAX_BYTES ((size_t)1 << 31)

static void set_err(char *err, size_t errlen, const char *path, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", path, why);
}

wp_loaded *wp_load_file(const char *path, char *err, size_t errlen)
{
    char cerr[WP_ERRBUF] = "";
    if (!path) {
        if (err && errlen)
            snprintf(err, errlen, "no capture file named");
        return NULL;
    }
    wp_capture *c = wp_capture_open_file(path, cerr, sizeof cerr);
    if (!c) {
        if (err && errlen)
            snprintf(err, errlen, "%s", cerr);
        return NULL;
    }
    wp_loaded *l = calloc(1, sizeof *l);
    uint8_t *arena = NULL;
    size_t *offs = NULL;
    size_t cap = 0, acap = 0, used = 0;
    if (!l)
        goto oom;
    l->linktype = wp_capture_linktype(c);
    l->snaplen = wp_capture_snaplen(c);

    wp_frame f;
    int rc;
    while ((rc = wp_capture_next(c, &f, cerr, sizeof cerr)) == 1) {
        if (l->n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            wp_frame *nf = realloc(l->frames, ncap * sizeof *nf);
            if (!nf)
                goto oom;
            l->frames = nf;
            size_t *no = realloc(offs, ncap * sizeof *no);
            if (!no)
                goto oom;
            offs = no;
            cap = ncap;
        }
        if (f.caplen > LOAD_MAX_BYTES - used) {
            set_err(err, errlen, path, "too big to load into memory (over 2 GiB captured)");
            goto fail;
        }
        if (f.caplen > acap - used) {
            size_t nacap = acap ? acap : 4096;
            while (f.caplen > nacap - used)
                nacap *= 2;
            uint8_t *na = realloc(arena, nacap);
            if (!na)
                goto oom;
            arena = na;
            acap = nacap;
        }
        if (f.caplen)
            memcpy(arena + used, f.data, f.caplen);
        offs[l->n] = used;
        l->frames[l->n] = f;
        used += f.caplen;
        l->n++;
    }
    if (rc != 0) {
        /* 2 (timed out) cannot happen for a file; treat it like a failure too */
        if (err && errlen)
            snprintf(err, errlen, "cannot read %s: %s", path,
                     rc < 0 ? cerr : "unexpected end of data");
        goto fail;
    }
    for (size_t i = 0; i < l->n; i++)
        l->frames[i].data = arena ? arena + offs[i] : NULL;
    l->bytes = used;
    l->mem = arena;
    free(offs);
    wp_capture_close(c);
    if (l->n == 0) {
        free(l->frames);
        l->frames = NULL;
        free(arena);
        l->mem = NULL;
    }
    return l;

oom:
    set_err(err, errlen, path, "out of memory while loading");
fail:
    free(offs);
    free(arena);
    if (l)
        free(l->frames);
    free(l);
    wp_capture_close(c);
    return NULL;
}

wp_loaded *wp_load_fixture(const char *dir, const char *name, char *err, size_t errlen)
{
    if (!name) {
        if (err && errlen)
            snprintf(err, errlen, "no fixture named");
        return NULL;
    }
    if (!dir)
        dir = getenv("WP_CAPTURES");
    if (!dir || !*dir)
        dir = "captures";
    size_t n = strlen(dir) + 1 + strlen(name) + 1;
    char *path = malloc(n);
    if (!path) {
        if (err && errlen)
            snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(path, n, "%s/%s", dir, name);
    wp_loaded *l = wp_load_file(path, err, errlen);
    free(path);
    return l;
}

void wp_load_free(wp_loaded *l)
{
    if (!l)
        return;
    free(l->mem);
    free(l->frames);
    free(l);
}
