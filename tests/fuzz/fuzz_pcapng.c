/* libFuzzer harness: wirepeel's own pcapng reader (src/capture/pcapng.c).
 * The input is a whole file, read through a memory stream: prime, read every
 * packet, decode each one (its link type is its interface's), then seek back
 * to the first packet's position and read it again, which must give the
 * same frame. Aborts when a frame claims more bytes than its block could
 * hold, or when the re-read differs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_int.h"
#include "wirepeel/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Packets read from one input at most: every one consumes a block of at
 * least 12 bytes, so an input of 4 KiB holds fewer. */
#define MAX_PKTS 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt;
    char err[WP_ERRBUF];
    if (size == 0)
        return 0;
    FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (!fp)
        return 0;
    wp_pcapng *r = wp_pcapng_open(fp, err, sizeof err);
    if (!r || wp_pcapng_prime(r, err, sizeof err) != 0) {
        wp_pcapng_close(r);
        fclose(fp);
        return 0;
    }
    wp_frame f, first;
    int64_t pos, first_pos = -1;
    int rc, n = 0;
    memset(&first, 0, sizeof first);
    while (n < MAX_PKTS && (rc = wp_pcapng_next(r, &f, &pos, err, sizeof err)) == 1) {
        if (f.caplen > size || pos < 0 || (uint64_t)pos >= size)
            abort();
        wp_decode(&f, &pkt);
        if (first_pos < 0) {
            first_pos = pos;
            first = f;
            first.data = NULL;
        }
        n++;
    }
    if (first_pos >= 0 && wp_pcapng_seek(r, first_pos) == 0) {
        if (wp_pcapng_next(r, &f, &pos, err, sizeof err) != 1 || pos != first_pos ||
            f.caplen != first.caplen || f.len != first.len || f.ts_sec != first.ts_sec ||
            f.ts_nsec != first.ts_nsec || f.linktype != first.linktype)
            abort();
    }
    wp_pcapng_close(r);
    fclose(fp);
    return 0;
}
