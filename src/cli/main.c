/* wirepeel command line: placeholder until the subcommands land. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        puts("usage: wirepeel show|view|demo|unpack|udp-server|udp-client|tcp-server|tcp-client ...");
        return argc < 2 ? 2 : 0;
    }
    fprintf(stderr, "wirepeel: unknown command '%s' (try wirepeel --help)\n", argv[1]);
    return 2;
}
