/* STUB: replaced by the real subcommand. */
#include <stdio.h>

#include "cli.h"

int wp_cli_udp_server(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "wirepeel %s: not built yet\n", argv[0]);
    return 1;
}

int wp_cli_udp_client(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "wirepeel %s: not built yet\n", argv[0]);
    return 1;
}

int wp_cli_tcp_server(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "wirepeel %s: not built yet\n", argv[0]);
    return 1;
}

int wp_cli_tcp_client(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "wirepeel %s: not built yet\n", argv[0]);
    return 1;
}
