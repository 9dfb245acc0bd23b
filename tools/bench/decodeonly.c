/* decodeonly — a profiling aid for `make bench`: the floor plus wp_decode.
 *
 * Usage: decodeonly FILE
 *
 * Reads FILE through wirepeel's capture module and decodes every frame,
 * rendering nothing; prints the number of frames, layers and events. The
 * gap between it and pcapfloor is the decoder's cost, the gap between it
 * and `wirepeel show` the renderer's. Exits 1 when FILE cannot be read.
 */
#include <stdio.h>

#include "wirepeel/capture.h"
#include "wirepeel/decode.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: decodeonly FILE\n");
        return 2;
    }
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(argv[1], err, sizeof err);
    if (!c) {
        fprintf(stderr, "decodeonly: %s\n", err);
        return 1;
    }
    static wp_packet p;
    wp_frame f;
    unsigned long long n = 0, layers = 0, events = 0;
    int rc;
    while ((rc = wp_capture_next(c, &f, err, sizeof err)) == 1) {
        wp_decode(&f, &p);
        n++;
        layers += p.nlayers;
        events += p.nevents;
    }
    wp_capture_close(c);
    if (rc < 0) {
        fprintf(stderr, "decodeonly: %s\n", err);
        return 1;
    }
    printf("%llu frames, %llu layers, %llu events\n", n, layers, events);
    return 0;
}
