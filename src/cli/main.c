/* wirepeel: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "flowcli.h"
#include "wirepeel/wirepeel.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *what;
} commands[] = {
    {"show", wp_cli_show, "decode packets from a file or an interface and print them"},
    {"flows", wp_cli_flows, "the conversation table: TCP/UDP streams, ICMP echo, no-reply requests"},
    {"view", wp_cli_view, "the layered ncurses view of a file or a live capture"},
    {"demo", wp_cli_demo, "the classroom demo: course endpoints captured live on lo"},
    {"follow", wp_cli_follow, "the bytes each side of a TCP stream or UDP conversation sent"},
    {"diagram", wp_cli_diagram, "one frame's headers as RFC bit diagrams (text, SVG, HTML)"},
    {"quiz", wp_cli_quiz, "questions on a capture's packets, answers checked by the decoder"},
    {"unpack", wp_cli_unpack, "unpack hex bytes with a Python struct format"},
    {"udp-server", wp_cli_udp_server, "UDP echo server that drops replies at random"},
    {"udp-client", wp_cli_udp_client, "UDP ping client"},
    {"tcp-server", wp_cli_tcp_server, "TCP server that prints what arrives"},
    {"tcp-client", wp_cli_tcp_client, "TCP client that sends a message"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fputs("usage: wirepeel COMMAND [OPTIONS]\n\ncommands:\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].what);
    fputs("\n"
          "  help COMMAND         a command's options (the same as wirepeel COMMAND --help)\n"
          "  --version, -V, version\n"
          "                       print wirepeel's version\n"
          "\nwirepeel COMMAND --help tells a command's options; `wirepeel show -r FILE`\n"
          "reads a capture as `tcpdump -r FILE` does.\n",
          out);
}

/* Edit distance between a and b (each cut at 31 bytes), for "did you
 * mean": a transposition counts as one edit, as in "shwo". */
static unsigned distance(const char *a, const char *b)
{
    enum { N = 32 };
    unsigned d[N][N];
    size_t la = strnlen(a, N - 1), lb = strnlen(b, N - 1);
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* The command nearest to word (at most 2 edits, or word a prefix of it);
 * NULL when none is near. */
static const char *nearest(const char *word)
{
    const char *best = NULL;
    unsigned bd = 3;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        unsigned dd = distance(word, commands[i].name);
        if (strncmp(commands[i].name, word, strlen(word)) == 0 && strlen(word) >= 2)
            dd = 1;
        if (dd < bd) {
            bd = dd;
            best = commands[i].name;
        }
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (strcmp(argv[1], "help") == 0 && argc > 2) {
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (strcmp(argv[2], commands[i].name) == 0) {
                    char *hargv[] = {argv[2], "--help", NULL};
                    return commands[i].run(2, hargv);
                }
            fprintf(stderr, "wirepeel: no command '%s' (see wirepeel --help)\n", argv[2]);
            return 2;
        }
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 ||
        strcmp(argv[1], "version") == 0) {
        printf("wirepeel %s\n", WP_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (argv[1][0] == '-') {
        /* tcpdump habits: `wirepeel -r f` means `wirepeel show -r f` */
        char rest[256] = "";
        size_t k = 0;
        for (int i = 1; i < argc && k < sizeof rest - 1; i++)
            k += (size_t)snprintf(rest + k, sizeof rest - k, " %s", argv[i]);
        fprintf(stderr,
                "wirepeel: '%s' is an option, and options come after a command: to read "
                "or capture packets run `wirepeel show%s` (see wirepeel --help)\n",
                argv[1], rest);
        return 2;
    }
    const char *near = nearest(argv[1]);
    if (near)
        fprintf(stderr, "wirepeel: unknown command '%s': did you mean '%s'? (see wirepeel --help)\n",
                argv[1], near);
    else
        fprintf(stderr, "wirepeel: unknown command '%s' (see wirepeel --help)\n", argv[1]);
    return 2;
}
