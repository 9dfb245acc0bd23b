/* STUB: replaced by the real subcommand. */
#include <stdio.h>

#include "cli.h"

int wp_cli_show(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "wirepeel %s: not built yet\n", argv[0]);
    return 1;
}
