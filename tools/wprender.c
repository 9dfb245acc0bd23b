/* wprender: read a capture with wp_capture_open_file, decode each frame and
 * render it in a named format to stdout. Used by the golden tests until
 * `wirepeel show` lands, and to time the renderers:
 *   wprender [-o FORMAT] [--color] [--ts-digits 6|9] [--repeat N] FILE
 * --repeat N renders every packet N times (decoding it once each time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

static int usage(void)
{
    fprintf(stderr, "usage: wprender [-o summary|layers|hex|json|struct|fields] [--color] "
                    "[--ts-digits 6|9] [--repeat N] FILE\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *fmt = "summary", *path = NULL;
    wp_render_opts o = {0};
    long repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            fmt = argv[++i];
        else if (strcmp(argv[i], "--color") == 0)
            o.color = 1;
        else if (strcmp(argv[i], "--ts-digits") == 0 && i + 1 < argc)
            o.ts_digits = atoi(argv[++i]);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atol(argv[++i]);
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            return usage();
    }
    int out = wp_output_parse(fmt);
    if (!path || out < 0 || repeat < 1)
        return usage();
    char err[WP_ERRBUF];
    wp_capture *c = wp_capture_open_file(path, err, sizeof err);
    if (!c) {
        fprintf(stderr, "wprender: %s\n", err);
        return 1;
    }
    static char buf[1 << 16];
    static wp_packet p;
    wp_sink s;
    wp_sink_init_fd(&s, STDOUT_FILENO, buf, sizeof buf);
    wp_renderer *rr = wp_renderer_new(&o);
    if (!rr) {
        fprintf(stderr, "wprender: out of memory\n");
        wp_capture_close(c);
        return 1;
    }
    wp_frame f;
    int rc;
    uint64_t no = 0;
    while ((rc = wp_capture_next(c, &f, err, sizeof err)) == 1) {
        no++;
        for (long r = 0; r < repeat; r++) {
            wp_decode(&f, &p);
            wp_renderer_frame(rr, &s, (wp_output)out, &p, no);
        }
    }
    int status = 0;
    if (wp_sink_flush(&s) < 0) {
        fprintf(stderr, "wprender: writing the output failed\n");
        status = 1;
    }
    if (rc < 0) {
        fprintf(stderr, "wprender: %s: %s\n", path, err);
        status = 1;
    }
    wp_renderer_free(rr);
    wp_capture_close(c);
    return status;
}
