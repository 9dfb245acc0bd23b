/* wirepeel view: the layered ncurses view of a file or a live capture. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wirepeel/decode.h"
#include "wirepeel/filter.h"
#include "wirepeel/tui.h"
#include "cli.h"
#include "opts.h"

static void usage(FILE *out)
{
    fputs("usage: wirepeel view [-r FILE [-r FILE...] | -i IFACE] [-f BPF] [-Y FILTER]\n"
          "                     [--replay [--speed X] [--loop]] [-w FILE] [-Z USER]\n"
          "                     [--decode-as udp.port=N:PROTO ...]\n"
          "\n"
          "  -r FILE      view a saved .pcap/.pcapng (big files open at once); several -r\n"
          "               show the files as one, merged by time\n"
          "  -i IFACE     view a live capture (needs CAP_NET_RAW)\n"
          "  -f BPF       show only packets that match this filter (b in the view adds one)\n"
          "  -Y FILTER    show only packets the display filter selects ('tcp.flags.syn ==\n"
          "               1', 'ip.addr == 10.0.0.0/8'; wirepeel(1), DISPLAY FILTERS); frames\n"
          "               keep their numbers in the capture\n"
          "  --replay     play FILE at its recorded pace\n"
          "  --speed X    replay X times faster (0: as fast as possible; default 1)\n"
          "  --loop       with --replay: start again after the last packet, until q\n"
          "  -w FILE      also save a live capture to FILE\n"
          "  -Z USER      with -i as root: once the interface and the -w file are open,\n"
          "               run as USER (default nobody); -Z root keeps root\n"
          "  --decode-as udp.port=N:PROTO\n"
          "               decode what UDP port N carries as PROTO (vxlan, dns, ...; data:\n"
          "               undecoded); tcp.port=N:PROTO the same for TCP; repeatable\n"
          "  -h, --help   this text\n"
          "\n"
          "Keys in the view: ? shows them all; q quits.\n",
          out);
}

/* The value of an option given as "-x VAL" or "--xx=VAL"; NULL and a usage
 * message when missing. */
static const char *optval(int argc, char **argv, int *i, const char *name)
{
    const char *eq = strchr(argv[*i], '=');
    if (argv[*i][1] == '-' && eq)
        return eq + 1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "wirepeel view: %s needs a value (see wirepeel view --help)\n", name);
        return NULL;
    }
    return argv[++*i];
}

static int is_opt(const char *a, const char *s, const char *l)
{
    size_t n = l ? strlen(l) : 0;
    return strcmp(a, s) == 0 || (l && (strcmp(a, l) == 0 || (strncmp(a, l, n) == 0 && a[n] == '=')));
}

int wp_cli_view(int argc, char **argv)
{
    wp_tui_opts o = {0};
    wp_decode_opts dopts = {0};
    o.speed = 1.0;
    o.run_as = "nobody"; /* a live view as root gives up root once open */
    int speed_given = 0;
    const char *files[16];
    size_t nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (is_opt(a, "-r", "--read")) {
            if (!(val = optval(argc, argv, &i, "-r")))
                return 2;
            if (nfiles == sizeof files / sizeof files[0]) {
                fprintf(stderr, "wirepeel view: at most %zu files at once\n",
                        sizeof files / sizeof files[0]);
                return 2;
            }
            files[nfiles++] = val;
            o.file = val;
        } else if (is_opt(a, "-i", "--interface")) {
            if (!(val = optval(argc, argv, &i, "-i")))
                return 2;
            o.iface = val;
        } else if (is_opt(a, "-f", "--filter")) {
            if (!(val = optval(argc, argv, &i, "-f")))
                return 2;
            o.bpf = val;
        } else if (is_opt(a, "-Y", "--display-filter")) {
            if (!(val = optval(argc, argv, &i, "-Y")))
                return 2;
            o.display_filter = val;
        } else if (is_opt(a, "-w", "--write")) {
            if (!(val = optval(argc, argv, &i, "-w")))
                return 2;
            o.write_path = val;
        } else if (is_opt(a, "-Z", "--user")) {
            if (!(val = optval(argc, argv, &i, "-Z")))
                return 2;
            if (!*val) {
                fprintf(stderr, "wirepeel view: -Z takes a user name (nobody, or root to keep "
                                "root)\n");
                return 2;
            }
            o.run_as = val;
        } else if (is_opt(a, "--decode-as", "--decode-as")) {
            if (!(val = optval(argc, argv, &i, "--decode-as")))
                return 2;
            if (wp_opts_decode_as("view", val, &dopts) != 0)
                return 2;
            o.decode_as = &dopts;
        } else if (strcmp(a, "--replay") == 0) {
            o.replay = 1;
        } else if (strcmp(a, "--loop") == 0) {
            o.loop = 1;
        } else if (is_opt(a, "--speed", "--speed")) {
            if (!(val = optval(argc, argv, &i, "--speed")))
                return 2;
            char *end;
            errno = 0;
            double s = strtod(val, &end);
            if (errno || end == val || *end || s < 0 || s > 1e6) {
                fprintf(stderr,
                        "wirepeel view: --speed wants a number from 0 to 1000000, not '%s'\n",
                        val);
                return 2;
            }
            o.speed = s;
            speed_given = 1;
        } else {
            fprintf(stderr, "wirepeel view: unknown option '%s' (see wirepeel view --help)\n",
                    a);
            return 2;
        }
    }
    if (!nfiles == !o.iface) {
        fprintf(stderr, "wirepeel view: give one of -r FILE or -i IFACE (see wirepeel view "
                        "--help)\n");
        return 2;
    }
    if (o.replay && !nfiles) {
        fprintf(stderr, "wirepeel view: --replay plays a file: give -r FILE\n");
        return 2;
    }
    if (o.loop && !o.replay) {
        fprintf(stderr, "wirepeel view: --loop goes with --replay\n");
        return 2;
    }
    if (nfiles > 1) {
        o.files = files;
        o.nfiles = nfiles;
        o.file = NULL;
    }
    if (speed_given && !o.replay) {
        fprintf(stderr, "wirepeel view: --speed goes with --replay\n");
        return 2;
    }
    if (o.write_path && !o.iface) {
        fprintf(stderr, "wirepeel view: -w saves a live capture: give -i IFACE\n");
        return 2;
    }
    /* a bad -Y is a usage error, with the caret under the bad token */
    struct wp_filter *yf;
    int yrc = wp_opts_display_filter("view", o.display_filter, &yf);
    wp_filter_free(yf);
    if (yrc)
        return yrc;
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr, "wirepeel view: needs a terminal (stdin and stdout are not both a "
                        "tty); use 'wirepeel show' for text output\n");
        return 1;
    }
    char err[512] = "";
    int rc = wp_tui_run(&o, err, sizeof err);
    if (rc == 1 && err[0])
        fprintf(stderr, "wirepeel view: %s\n", err);
    return rc;
}
