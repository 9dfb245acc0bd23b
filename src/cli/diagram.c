/* wirepeel diagram -r FILE [-n FRAME] [--layer NAME] [--format F] [--blank]
 * [-w FILE]: one frame's header diagrams as text, SVG, HTML, Markdown or
 * TSV (the cells, for scripts and the oracle test). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "wirepeel/diagram.h"

#define CMD "diagram"

static const char diagram_help[] =
    "usage: wirepeel diagram -r FILE [-n FRAME] [--layer NAME]\n"
    "                        [--format text|svg|html|md|tsv] [--blank] [-w OUT]\n"
    "\n"
    "Draw the headers of one frame the way the RFCs draw them: 32-bit rows, every\n"
    "field in its bits, with this packet's values in the cells.\n"
    "\n"
    "  -r FILE          read a .pcap or .pcapng file\n"
    "  -n FRAME         the frame to draw, counted from 1 (default 1)\n"
    "  --layer NAME     only this header (eth, vlan, arp, ipv4, ipv6, tcp, udp,\n"
    "                   icmp, ... as -o json names them; the first one of the frame)\n"
    "  --format F       text (default; at most 80 columns), svg (self-contained, for\n"
    "                   slides), html (every layer nested, tooltips with each field's\n"
    "                   offset, bytes and conversion), md (Markdown), tsv (the cells)\n"
    "  --blank          leave the values out (worksheets)\n"
    "  -w OUT           write to OUT instead of standard output\n"
    "\n"
    "example: wirepeel diagram -r captures/udp-ping.pcap --layer udp --format svg -w udp.svg\n"
    "Exit status: 0 done, 1 the file cannot be read or has no such frame or layer,\n"
    "2 usage error.\n";

enum { OPT_LAYER = 256, OPT_FORMAT, OPT_BLANK };

int wp_cli_diagram(int argc, char **argv)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {"layer", required_argument, NULL, OPT_LAYER},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"blank", no_argument, NULL, OPT_BLANK},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL, *out = NULL, *layer = NULL;
    long long frame_no = 1;
    int fmt = WP_DIAG_TEXT, blank = 0, ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":r:n:w:h", longs, NULL)) != -1) {
        switch (ch) {
        case 'r':
            file = optarg;
            break;
        case 'n':
            if (wp_opts_int(optarg, 1, INT64_MAX, &frame_no) != 0)
                return wp_opts_usage_error(CMD, "-n takes a frame number of 1 or more, not '%s'",
                                           optarg);
            break;
        case 'w':
            out = optarg;
            break;
        case OPT_LAYER:
            layer = optarg;
            break;
        case OPT_FORMAT:
            fmt = wp_diag_format_parse(optarg);
            if (fmt < 0)
                return wp_opts_usage_error(
                    CMD, "unknown format '%s' (use text, svg, html, md or tsv)", optarg);
            break;
        case OPT_BLANK:
            blank = 1;
            break;
        case 'h':
            fputs(diagram_help, stdout);
            return 0;
        case ':':
            return wp_opts_usage_error(CMD, "option %s needs a value", argv[optind - 1]);
        default:
            return wp_opts_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return wp_opts_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (!file)
        return wp_opts_usage_error(CMD, "-r FILE is required (the capture to draw from)");

    char err[WP_ERRBUF];
    wp_capture *cap = wp_capture_open_file(file, err, sizeof err);
    if (!cap)
        return wp_opts_fail(CMD, "%s", err);
    wp_frame f;
    long long n = 0;
    int r;
    while ((r = wp_capture_next(cap, &f, err, sizeof err)) == 1)
        if (++n == frame_no)
            break;
    if (r != 1) {
        wp_capture_close(cap);
        if (r < 0)
            return wp_opts_fail(CMD, "%s", err);
        return wp_opts_fail(CMD, "%s has %lld frame%s, no frame %lld (use -n 1..%lld)", file, n,
                            n == 1 ? "" : "s", frame_no, n);
    }
    static wp_packet pkt; /* large: not on the stack */
    wp_decode(&f, &pkt);

    int only = -1;
    if (layer) {
        for (unsigned i = 0; i < pkt.nlayers && only < 0; i++) {
            const wp_proto_info *pi = wp_proto_get(pkt.layers[i].proto);
            if (strcasecmp(layer, pi->name) == 0 || strcasecmp(layer, pi->short_name) == 0)
                only = (int)i;
        }
        if (only < 0) {
            char have[256] = "";
            for (unsigned i = 0; i < pkt.nlayers; i++) {
                size_t hl = strlen(have);
                snprintf(have + hl, sizeof have - hl, "%s%s", i ? ", " : "",
                         wp_proto_get(pkt.layers[i].proto)->name);
            }
            wp_capture_close(cap);
            return wp_opts_fail(CMD, "frame %lld has no layer '%s' (it has %s)", frame_no, layer,
                                have);
        }
    }

    int fd = 1;
    if (out) {
        fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            int e = errno;
            wp_capture_close(cap);
            return wp_opts_fail(CMD, "cannot write %s: %s", out, strerror(e));
        }
    }
    char buf[64u << 10];
    wp_sink s;
    wp_sink_init_fd(&s, fd, buf, sizeof buf);
    wp_diag_write(&s, (wp_diag_format)fmt, &pkt, (uint64_t)frame_no, only, blank);
    int bad = wp_sink_flush(&s) != 0;
    int e = s.err ? s.err : EIO;
    wp_capture_close(cap);
    if (out && close(fd) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return wp_opts_fail(CMD, "writing %s failed: %s", out ? out : "to standard output",
                            strerror(e));
    return 0;
}
