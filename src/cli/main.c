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
    {"diagram", wp_cli_diagram, "one frame's headers as RFC bit diagrams (text, SVG, HTML)"},
    {"unpack", wp_cli_unpack, "unpack hex bytes with a Python struct format"},
    {"udp-server", wp_cli_udp_server, "UDP echo server that drops replies at random"},
    {"udp-client", wp_cli_udp_client, "UDP ping client"},
    {"tcp-server", wp_cli_tcp_server, "TCP server that prints what arrives"},
    {"tcp-client", wp_cli_tcp_client, "TCP client that sends a message"},
};

static void usage(FILE *out)
{
    fputs("usage: wirepeel COMMAND [OPTIONS]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].what);
    fputs("\nwirepeel COMMAND --help tells a command's options.\n", out);
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
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
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
    if (strcmp(argv[1], "--version") == 0) {
        printf("wirepeel %s\n", WP_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "wirepeel: unknown command '%s' (see wirepeel --help)\n", argv[1]);
    return 2;
}
