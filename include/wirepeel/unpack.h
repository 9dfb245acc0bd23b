/* wirepeel — struct-format unpacking, compatible with Python's struct module.
 *
 * A format is an optional byte-order prefix followed by codes, each with an
 * optional decimal repeat count; spaces between codes are ignored:
 *
 *   !  >   big-endian (network order), standard sizes, no alignment
 *   <      little-endian, standard sizes, no alignment
 *   =      the host's byte order, standard sizes, no alignment
 *   @      (also: no prefix) the host's byte order with C alignment: each
 *          H/h item starts at an even offset, I/i at a multiple of 4, Q/q at
 *          a multiple of 8, exactly as Python's native mode does on hosts
 *          where int is 32 bits and long long 64 (all that wirepeel targets)
 *
 *   x pad byte (no value)   B/b u8/s8   ? bool (any nonzero byte is True)
 *   H/h u16/s16   I/i u32/s32   L/l u32/s32 (native: C long, 64 bits)
 *   Q/q u64/s64   e f d IEEE half, single, double (as a double)
 *   c one byte as a 1-byte bytes value   s bytes   p Pascal string
 *   N/n size_t/ssize_t and P a pointer: native mode only, as in Python
 *
 * `3B` is three values, `4s` one 4-byte bytes value, `2x` two pad bytes,
 * `0s` an empty bytes value and `5p` one bytes value of at most 4 bytes
 * (the first byte is its length).
 */
#ifndef WIREPEEL_UNPACK_H
#define WIREPEEL_UNPACK_H

#include <stddef.h>
#include <stdint.h>

/* Return codes of the functions below. */
enum {
    WP_UNPACK_OK = 0,
    WP_UNPACK_EFORMAT = -1,  /* the format string is not valid */
    WP_UNPACK_ESIZE = -2,    /* the data is not exactly the format's size */
    WP_UNPACK_ENOSPACE = -3, /* more values than the caller's array holds */
};

typedef enum wp_uvkind {
    WP_UV_INT,   /* b h i l q n */
    WP_UV_UINT,  /* B H I L Q N P */
    WP_UV_BOOL,  /* ? */
    WP_UV_BYTES, /* s p c: a span of the data, not a copy */
    WP_UV_FLOAT, /* e f d */
} wp_uvkind;

typedef struct wp_uvalue {
    wp_uvkind kind;
    char code;   /* the format code that produced it */
    union {
        int64_t i;
        uint64_t u;
        int b;
        double d;
        struct {
            size_t off, len;
        } bytes;
    } v;
} wp_uvalue;

/* Check fmt and tell how many bytes it reads (*size) and how many values it
 * yields (*nvalues); either pointer may be NULL. Returns WP_UNPACK_OK, or
 * WP_UNPACK_EFORMAT with a one-line reason in err (errlen bytes, may be 0). */
int wp_unpack_calcsize(const char *fmt, size_t *size, size_t *nvalues, char *err,
                       size_t errlen);

/* Unpack data[0..len) by fmt into values[0..maxvalues), setting *nvalues.
 * len must equal the format's size exactly (as struct.unpack requires).
 * Returns WP_UNPACK_OK; or EFORMAT, ESIZE (the message names the size the
 * format needs and the size given) or ENOSPACE, with a reason in err; on any
 * error *nvalues is 0. data may be NULL only when len is 0. */
int wp_unpack(const char *fmt, const uint8_t *data, size_t len, wp_uvalue *values,
              size_t maxvalues, size_t *nvalues, char *err, size_t errlen);

/* Write Python's repr of the tuple of n values (bytes spans index into data)
 * into out, NUL-terminated and cut to outlen - 1 characters if need be, e.g.
 * "(69, 0, 84)", "(1,)", "()", "(b'\x7f\x00\x00\x01', True)". Returns the
 * length the whole repr needs, without the NUL (as snprintf does). */
size_t wp_unpack_repr(const wp_uvalue *values, size_t n, const uint8_t *data, char *out,
                      size_t outlen);

/* Write Python's repr of the bytes p[0..n) (b'...' or b"..." as Python picks)
 * into out like wp_unpack_repr; returns the length needed. */
size_t wp_unpack_bytes_repr(const uint8_t *p, size_t n, char *out, size_t outlen);

#endif
