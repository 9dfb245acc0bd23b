/* Oracle helper for tests/suites/unpack_oracle.sh: reads cases "FORMAT<TAB>HEX"
 * one a line on stdin and prints one result line each: the repr of the
 * unpacked tuple, or "error:format MESSAGE" / "error:size MESSAGE". The hex
 * is plain pairs of digits (the CLI's own hex parsing is tested through
 * build/wirepeel). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/unpack.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    char err[512];
    while ((got = getline(&line, &cap, stdin)) > 0) {
        if (line[got - 1] == '\n')
            line[--got] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) {
            puts("error:input no tab");
            continue;
        }
        *tab = '\0';
        const char *fmt = line, *hex = tab + 1;
        size_t hl = strlen(hex), n = hl / 2;
        uint8_t *data = malloc(n + 1);
        for (size_t i = 0; i < n; i++)
            data[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
        size_t need, nv, have;
        if (wp_unpack_calcsize(fmt, &need, &nv, err, sizeof err) != WP_UNPACK_OK) {
            printf("error:format %s\n", err);
            free(data);
            continue;
        }
        wp_uvalue *v = malloc((nv ? nv : 1) * sizeof *v);
        int rc = wp_unpack(fmt, data, n, v, nv, &have, err, sizeof err);
        if (rc == WP_UNPACK_ESIZE) {
            printf("error:size %s\n", err);
        } else if (rc != WP_UNPACK_OK) {
            printf("error:other %s\n", err);
        } else {
            size_t len = wp_unpack_repr(v, have, data, NULL, 0);
            char *out = malloc(len + 1);
            wp_unpack_repr(v, have, data, out, len + 1);
            puts(out);
            free(out);
        }
        free(v);
        free(data);
    }
    free(line);
    return 0;
}
