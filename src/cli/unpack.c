/* wirepeel unpack FORMAT HEXBYTES: print exactly what Python prints for
 * repr(struct.unpack(FORMAT, bytes.fromhex(HEXBYTES))). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wirepeel/unpack.h"

static void usage(FILE *out)
{
    fputs("usage: wirepeel unpack FORMAT HEXBYTES\n"
          "\n"
          "Unpack the bytes given in hex (as Python's bytes.fromhex reads them: two\n"
          "digits a byte, spaces allowed between bytes) with a struct format and print\n"
          "the tuple exactly as Python's repr(struct.unpack(FORMAT, bytes)) does.\n"
          "\n"
          "FORMAT: an optional byte order (! or > big-endian, < little-endian, = host\n"
          "order; @ or none: host order with C alignment), then codes with optional\n"
          "repeat counts: x pad byte, B/b 8-bit, ? bool, H/h 16-bit, I/i and L/l 32-bit\n"
          "(L/l: 64-bit in native mode), Q/q 64-bit (upper case unsigned), e/f/d IEEE\n"
          "half/single/double floats, c one byte, Ns an N-byte bytes value, Np a Pascal\n"
          "string in N bytes; in native mode also N/n size_t/ssize_t and P a pointer.\n"
          "\n"
          "HEXBYTES may be given as several words: they are joined, so\n"
          "`wirepeel unpack '!BBH' 45 00 00 54` is `wirepeel unpack '!BBH' 45000054`.\n"
          "\n"
          "example: wirepeel unpack '!BBH' 45000054   prints (69, 0, 84)\n"
          "Exit status: 0 done, 2 bad format, bad hex or the wrong number of bytes.\n",
          out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* bytes.fromhex: whitespace between byte pairs, two hex digits per byte.
 * Returns the byte count, or -1 with the bad position in *bad. */
static long parse_hex(const char *s, uint8_t *out, size_t *bad)
{
    size_t n = 0, i = 0;
    for (;;) {
        while (is_space(s[i]))
            i++;
        if (s[i] == '\0')
            return (long)n;
        int hi = hexval(s[i]);
        if (hi < 0) {
            *bad = i;
            return -1;
        }
        int lo = hexval(s[i + 1]);
        if (lo < 0) {
            *bad = i + 1;
            return -1;
        }
        out[n++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
}

int wp_cli_unpack(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    int first = 1;
    if (argc >= 2 && strcmp(argv[1], "--") == 0)
        first = 2;   /* lets a format start with '-' reach the parser */
    else if (argc >= 2 && argv[1][0] == '-' && argv[1][1] != '\0') {
        /* no format starts with '-': an option unpack does not have */
        fprintf(stderr, "wirepeel unpack: unknown option '%.*s' (see wirepeel unpack --help)\n",
                (int)strcspn(argv[1], "="), argv[1]);
        return 2;
    }
    if (argc - first < 2) {
        fprintf(stderr, "wirepeel unpack: need FORMAT and HEXBYTES (see wirepeel unpack --help)\n");
        return 2;
    }
    const char *fmt = argv[first];
    char err[512];

    size_t need, nv;
    if (wp_unpack_calcsize(fmt, &need, &nv, err, sizeof err) != WP_UNPACK_OK) {
        fprintf(stderr, "wirepeel unpack: %s\n", err);
        return 2;
    }

    /* `unpack '!BBH' 45 00 00 54`: the words after the format are the
     * bytes, joined by spaces, as bytes.fromhex reads them */
    size_t hexlen = 0;
    for (int i = first + 1; i < argc; i++)
        hexlen += strlen(argv[i]) + 1;
    char *hex = malloc(hexlen + 1);
    uint8_t *data = malloc(hexlen / 2 + 1);
    if (!hex || !data) {
        fprintf(stderr, "wirepeel unpack: out of memory\n");
        free(hex);
        free(data);
        return 1;
    }
    size_t k = 0;
    for (int i = first + 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        memcpy(hex + k, argv[i], n);
        k += n;
        hex[k++] = ' ';
    }
    hex[k ? k - 1 : 0] = '\0';
    size_t bad = 0;
    long len = parse_hex(hex, data, &bad);
    if (len < 0) {
        fprintf(stderr,
                "wirepeel unpack: HEXBYTES is not hex at character %zu: give two hex digits "
                "per byte (format '%s' needs %zu bytes)\n",
                bad + 1, fmt, need);
        free(hex);
        free(data);
        return 2;
    }
    free(hex);
    /* the size is checked before the values are allocated: a format of a
     * billion items with a few bytes is a usage error, not an attempt to
     * allocate for a billion values */
    if ((size_t)len != need) {
        fprintf(stderr,
                "wirepeel unpack: format '%s' unpacks exactly %zu byte%s, but %ld %s given\n",
                fmt, need, need == 1 ? "" : "s", len, len == 1 ? "was" : "were");
        free(data);
        return 2;
    }

    wp_uvalue *values = malloc((nv ? nv : 1) * sizeof *values);
    if (!values) {
        fprintf(stderr, "wirepeel unpack: out of memory for %zu values\n", nv);
        free(data);
        return 1;
    }
    size_t got;
    int rc = wp_unpack(fmt, data, (size_t)len, values, nv, &got, err, sizeof err);
    if (rc != WP_UNPACK_OK) {
        fprintf(stderr, "wirepeel unpack: %s\n", err);
        free(values);
        free(data);
        return 2;
    }
    size_t outlen = wp_unpack_repr(values, got, data, NULL, 0) + 1;
    char *out = malloc(outlen);
    int status = 0;
    if (!out) {
        fprintf(stderr, "wirepeel unpack: out of memory\n");
        status = 1;
    } else {
        wp_unpack_repr(values, got, data, out, outlen);
        if (puts(out) == EOF || fflush(stdout) != 0) {
            fprintf(stderr, "wirepeel unpack: cannot write the result\n");
            status = 1;
        }
    }
    free(out);
    free(values);
    free(data);
    return status;
}
