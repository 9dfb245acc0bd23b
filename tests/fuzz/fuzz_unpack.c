/* libFuzzer harness: the struct-format unpacker (include/wirepeel/unpack.h).
 * The input is a format string, a NUL, then data (no NUL: all format, no
 * data). calcsize the format; unpack the data as given (usually the wrong
 * size) and, when it is long enough, exactly the format's size from an
 * exactly-sized copy; repr the values into a roomy and a tiny buffer and
 * check repr's length promise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/unpack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXV 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_uvalue vals[MAXV];
    static char out[64 * 1024];
    char err[256], tiny[8];
    const uint8_t *nul = memchr(data, 0, size);
    size_t flen = nul ? (size_t)(nul - data) : size;
    char *fmt = malloc(flen + 1);
    if (!fmt)
        return 0;
    memcpy(fmt, data, flen);
    fmt[flen] = '\0';
    const uint8_t *rest = nul ? nul + 1 : data + size;
    size_t rlen = (size_t)(data + size - rest);

    size_t need = 0, nv = 0, got = 0;
    int rc = wp_unpack_calcsize(fmt, &need, &nv, err, sizeof err);
    uint8_t *buf = malloc(rlen ? rlen : 1);
    if (buf) {
        memcpy(buf, rest, rlen);
        int r2 = wp_unpack(fmt, rlen ? buf : NULL, rlen, vals, MAXV, &got, err, sizeof err);
        if (r2 == WP_UNPACK_OK && (rc != WP_UNPACK_OK || rlen != need || got != nv))
            abort();
        if (r2 != WP_UNPACK_OK && got != 0)
            abort();
        if (rc == WP_UNPACK_OK && need <= rlen && need <= (1u << 20)) {
            uint8_t *exact = malloc(need ? need : 1);
            if (exact) {
                memcpy(exact, rest, need);
                int r3 = wp_unpack(fmt, need ? exact : NULL, need, vals, MAXV, &got, err,
                                   sizeof err);
                if (r3 == WP_UNPACK_OK) {
                    size_t full = wp_unpack_repr(vals, got, exact, out, sizeof out);
                    size_t cut = wp_unpack_repr(vals, got, exact, tiny, sizeof tiny);
                    if (full != cut || strlen(tiny) >= sizeof tiny)
                        abort();
                    if (full < sizeof out && strlen(out) != full)
                        abort();
                } else if (r3 != WP_UNPACK_ENOSPACE || nv <= MAXV) {
                    abort(); /* calcsize said fine and the size is exact */
                }
                free(exact);
            }
        }
        size_t bl = wp_unpack_bytes_repr(buf, rlen, out, sizeof out);
        if (bl < sizeof out && strlen(out) != bl)
            abort();
        free(buf);
    }
    free(fmt);
    return 0;
}
