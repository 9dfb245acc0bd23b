/* Struct-format unpacking, compatible with CPython's _struct module for the
 * codes headers need. The parse follows CPython's prepare_s(): a byte-order
 * character only as the first character, spaces skipped between codes (but
 * not between a count and its code), a count ended by the end of the string
 * is an error, and sizes are bounded by PTRDIFF_MAX (Py_ssize_t) so that an
 * absurd count fails as a format error, as in Python, instead of wrapping. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "wirepeel/unpack.h"

#define SIZE_LIMIT ((size_t)PTRDIFF_MAX)

typedef struct fmt_state {
    const char *fmt;
    size_t pos;
    int little;   /* multi-byte codes are little-endian */
    int align;    /* native mode: align items to their size */
    size_t size;  /* bytes covered so far */
} fmt_state;

typedef struct fmt_item {
    char code;
    size_t count;  /* repeat count; for s the byte length */
    size_t width;  /* bytes per value */
    size_t off;    /* offset of the first byte */
} fmt_item;

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int host_is_little(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* Bytes per item of a code, 0 for a character that is not a code. native:
 * the '@' (or no prefix) mode, where l and L are C longs (8 bytes on the
 * LP64 hosts wirepeel targets) and n N P exist at all; in the standard
 * modes l and L are 4 bytes and n N P are not codes, as in Python. */
static size_t code_width(char c, int native)
{
    switch (c) {
    case 'x': case 'B': case 'b': case '?': case 's': case 'c': case 'p':
        return 1;
    case 'H': case 'h': case 'e':
        return 2;
    case 'I': case 'i': case 'f':
        return 4;
    case 'Q': case 'q': case 'd':
        return 8;
    case 'l': case 'L':
        return native ? sizeof(long) : 4;
    case 'n': case 'N': case 'P':
        return native ? sizeof(size_t) : 0;
    default:
        return 0;
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A character for a message: 'c' if printable, else its byte value. */
static void describe(char c, char *buf, size_t n)
{
    unsigned char u = (unsigned char)c;
    if (u >= 0x20 && u < 0x7f)
        snprintf(buf, n, "'%c'", c);
    else
        snprintf(buf, n, "byte 0x%02x", u);
}

static void fmt_begin(fmt_state *st, const char *fmt)
{
    memset(st, 0, sizeof *st);
    st->fmt = fmt;
    switch (fmt[0]) {
    case '<':
        st->little = 1;
        st->pos = 1;
        break;
    case '>':
    case '!':
        st->pos = 1;
        break;
    case '=':
        st->little = host_is_little();
        st->pos = 1;
        break;
    case '@':
        st->pos = 1;
        /* fall through */
    default:
        st->little = host_is_little();
        st->align = 1;
        break;
    }
}

/* The next item of the format: 1 with *it filled, 0 at the end, or
 * WP_UNPACK_EFORMAT with a reason in err. */
static int fmt_next(fmt_state *st, fmt_item *it, char *err, size_t errlen)
{
    const char *f = st->fmt;
    char what[16];
    while (is_space(f[st->pos]))
        st->pos++;
    if (f[st->pos] == '\0')
        return 0;

    size_t start = st->pos, count = 1;
    if (f[st->pos] >= '0' && f[st->pos] <= '9') {
        count = 0;
        while (f[st->pos] >= '0' && f[st->pos] <= '9') {
            size_t d = (size_t)(f[st->pos] - '0');
            if (count > (SIZE_LIMIT - d) / 10) {
                seterr(err, errlen, "bad format: repeat count at position %zu is too large",
                       start);
                return WP_UNPACK_EFORMAT;
            }
            count = count * 10 + d;
            st->pos++;
        }
        if (f[st->pos] == '\0') {
            seterr(err, errlen,
                   "bad format: repeat count %zu at the end of the format has no code after it",
                   count);
            return WP_UNPACK_EFORMAT;
        }
    }

    char c = f[st->pos];
    size_t width = code_width(c, st->align);
    if (width == 0) {
        describe(c, what, sizeof what);
        const char *hint = "";
        if (strchr("@=<>!", c))
            hint = " (a byte-order prefix may only be the first character)";
        else if (is_space(c))
            hint = " (a repeat count must be followed directly by its code)";
        else if (strchr("nNP", c))
            hint = " (n, N and P exist only in native mode: @ or no prefix)";
        seterr(err, errlen,
               "bad format: %s at position %zu is not a format code; use x c b B ? h H i I l "
               "L q Q e f d s p (n N P in native mode), after an optional ! > < = @%s",
               what, st->pos, hint);
        return WP_UNPACK_EFORMAT;
    }
    st->pos++;

    size_t off = st->size;
    if (st->align && width > 1 && off % width != 0) {
        size_t pad = width - off % width;
        if (pad > SIZE_LIMIT - off)
            goto too_large;
        off += pad;
    }
    size_t bytes_per = width;
    if (count > (SIZE_LIMIT - off) / bytes_per)
        goto too_large;
    st->size = off + count * bytes_per;

    it->code = c;
    it->count = count;
    it->width = width;
    it->off = off;
    return 1;

too_large:
    seterr(err, errlen, "bad format: the total size is too large");
    return WP_UNPACK_EFORMAT;
}

/* Values an item yields. */
static size_t item_values(const fmt_item *it)
{
    if (it->code == 'x')
        return 0;
    if (it->code == 's' || it->code == 'p')
        return 1;
    return it->count;
}

int wp_unpack_calcsize(const char *fmt, size_t *size, size_t *nvalues, char *err,
                       size_t errlen)
{
    fmt_state st;
    fmt_item it;
    size_t nv = 0;
    int rc;
    if (size)
        *size = 0;
    if (nvalues)
        *nvalues = 0;
    if (!fmt) {
        seterr(err, errlen, "bad format: no format given");
        return WP_UNPACK_EFORMAT;
    }
    fmt_begin(&st, fmt);
    while ((rc = fmt_next(&st, &it, err, errlen)) == 1)
        nv += item_values(&it);   /* cannot overflow: at most one value per byte */
    if (rc < 0)
        return rc;
    if (size)
        *size = st.size;
    if (nvalues)
        *nvalues = nv;
    return WP_UNPACK_OK;
}

static uint64_t read_uint(const uint8_t *p, size_t w, int little)
{
    uint64_t v = 0;
    for (size_t i = 0; i < w; i++)
        v = v << 8 | p[little ? w - 1 - i : i];
    return v;
}

/* Two's-complement reinterpretation without implementation-defined casts. */
static int64_t to_signed(uint64_t v, size_t w)
{
    unsigned bits = (unsigned)(8 * w);
    if (bits < 64 && (v >> (bits - 1) & 1))
        v |= ~(uint64_t)0 << bits;
    if (v <= (uint64_t)INT64_MAX)
        return (int64_t)v;
    return -(int64_t)(~v) - 1;
}

/* IEEE 754 binary16/32/64 bits to a double (exactly: each is a subset). */
static double to_double(uint64_t u, size_t w)
{
    if (w == 8) {
        double d;
        memcpy(&d, &u, sizeof d);
        return d;
    }
    if (w == 4) {
        uint32_t b = (uint32_t)u;
        float f;
        memcpy(&f, &b, sizeof f);
        return (double)f;
    }
    int sign = (int)(u >> 15 & 1);
    int e = (int)(u >> 10 & 0x1f);
    double m = (double)(u & 0x3ff);
    double v;
    if (e == 0)
        v = ldexp(m, -24);
    else if (e == 31)
        v = m == 0 ? INFINITY : NAN;
    else
        v = ldexp(m + 1024.0, e - 25);
    return sign ? -v : v;
}

int wp_unpack(const char *fmt, const uint8_t *data, size_t len, wp_uvalue *values,
              size_t maxvalues, size_t *nvalues, char *err, size_t errlen)
{
    size_t size, nv;
    *nvalues = 0;
    int rc = wp_unpack_calcsize(fmt, &size, &nv, err, errlen);
    if (rc != WP_UNPACK_OK)
        return rc;
    if (len != size) {
        seterr(err, errlen, "format '%s' unpacks exactly %zu byte%s, but %zu %s given", fmt,
               size, size == 1 ? "" : "s", len, len == 1 ? "was" : "were");
        return WP_UNPACK_ESIZE;
    }
    if (nv > maxvalues) {
        seterr(err, errlen, "format '%s' yields %zu values, room for %zu", fmt, nv, maxvalues);
        return WP_UNPACK_ENOSPACE;
    }

    fmt_state st;
    fmt_item it;
    size_t n = 0;
    fmt_begin(&st, fmt);
    while (fmt_next(&st, &it, NULL, 0) == 1) {
        if (it.code == 'x')
            continue;
        if (it.code == 's') {
            values[n].kind = WP_UV_BYTES;
            values[n].code = 's';
            values[n].v.bytes.off = it.off;
            values[n].v.bytes.len = it.count;
            n++;
            continue;
        }
        if (it.code == 'p') {
            /* a Pascal string: the first byte is the length, cut to the
             * count - 1 bytes that follow it */
            size_t plen = it.count ? data[it.off] : 0;
            if (it.count && plen > it.count - 1)
                plen = it.count - 1;
            values[n].kind = WP_UV_BYTES;
            values[n].code = 'p';
            values[n].v.bytes.off = it.count ? it.off + 1 : it.off;
            values[n].v.bytes.len = plen;
            n++;
            continue;
        }
        for (size_t k = 0; k < it.count; k++) {
            const uint8_t *p = data + it.off + k * it.width;
            uint64_t u = read_uint(p, it.width, st.little);
            wp_uvalue *v = &values[n++];
            v->code = it.code;
            switch (it.code) {
            case '?':
                v->kind = WP_UV_BOOL;
                v->v.b = u != 0;
                break;
            case 'b': case 'h': case 'i': case 'q': case 'l': case 'n':
                v->kind = WP_UV_INT;
                v->v.i = to_signed(u, it.width);
                break;
            case 'c':
                v->kind = WP_UV_BYTES;
                v->v.bytes.off = it.off + k;
                v->v.bytes.len = 1;
                break;
            case 'e':
            case 'f':
            case 'd':
                v->kind = WP_UV_FLOAT;
                v->v.d = to_double(u, it.width);
                break;
            default:
                v->kind = WP_UV_UINT;
                v->v.u = u;
                break;
            }
        }
    }
    *nvalues = n;
    return WP_UNPACK_OK;
}

/* ---- repr ------------------------------------------------------------------ */

typedef struct sink {
    char *out;
    size_t cap;
    size_t n;
} sink;

static void sk_putc(sink *s, char c)
{
    if (s->cap > 0 && s->n < s->cap - 1)
        s->out[s->n] = c;
    s->n++;
}

static void sk_puts(sink *s, const char *str)
{
    while (*str)
        sk_putc(s, *str++);
}

static size_t sk_end(sink *s)
{
    if (s->cap > 0)
        s->out[s->n < s->cap - 1 ? s->n : s->cap - 1] = '\0';
    return s->n;
}

/* CPython's bytes_repr(): single quotes unless the bytes hold a single
 * quote and no double quote; only the chosen quote and the backslash are
 * escaped; \t \n \r by name; other bytes outside 0x20..0x7e as \xNN. */
static void bytes_repr(sink *s, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    int squote = 0, dquote = 0;
    for (size_t i = 0; i < n; i++) {
        squote |= p[i] == '\'';
        dquote |= p[i] == '"';
    }
    char q = (squote && !dquote) ? '"' : '\'';
    sk_putc(s, 'b');
    sk_putc(s, q);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == (uint8_t)q || c == '\\') {
            sk_putc(s, '\\');
            sk_putc(s, (char)c);
        } else if (c == '\t') {
            sk_puts(s, "\\t");
        } else if (c == '\n') {
            sk_puts(s, "\\n");
        } else if (c == '\r') {
            sk_puts(s, "\\r");
        } else if (c < 0x20 || c >= 0x7f) {
            sk_puts(s, "\\x");
            sk_putc(s, hex[c >> 4]);
            sk_putc(s, hex[c & 0xf]);
        } else {
            sk_putc(s, (char)c);
        }
    }
    sk_putc(s, q);
}

size_t wp_unpack_bytes_repr(const uint8_t *p, size_t n, char *out, size_t outlen)
{
    sink s = {out, outlen, 0};
    bytes_repr(&s, p, n);
    return sk_end(&s);
}

/* Add step (+1 or -1) to the last mantissa digit of the %e text in buf
 * (carrying, never past the first digit); keep it and return 1 when the
 * result reads back as d, else leave buf as it was and return 0. */
static int nudge_last_digit(char *buf, int step, double d)
{
    char t[64];
    snprintf(t, sizeof t, "%s", buf);
    char *e = strchr(t, 'e');
    if (!e)
        return 0;
    char *q = e - 1;
    /* each pass moves one character left and stops at the first */
    for (; q >= t; q--) {
        if (*q == '.')
            continue;
        if (*q < '0' || *q > '9')
            return 0;
        if (step > 0 && *q < '9') {
            (*q)++;
            break;
        }
        if (step < 0 && *q > '0') {
            (*q)--;
            break;
        }
        if (q == t)
            return 0; /* 9.99 + 1 or 0.00 - 1: another exponent, not tried */
        *q = step > 0 ? '0' : '9';
    }
    if (t[0] == '0' || strtod(t, NULL) != d)
        return 0;
    memcpy(buf, t, strlen(t) + 1);
    return 1;
}

/* Python's repr of a float: the shortest digits that read back as the same
 * double, in fixed notation for decimal exponents -4 < decpt <= 16 (with
 * ".0" when whole), else d.ddde+XX; inf, -inf, nan. */
static void float_repr(sink *s, double d)
{
    char buf[64];
    if (isnan(d)) {
        sk_puts(s, "nan");
        return;
    }
    if (isinf(d)) {
        sk_puts(s, d < 0 ? "-inf" : "inf");
        return;
    }
    if (signbit(d))
        sk_putc(s, '-');
    d = fabs(d);
    if (d == 0) {
        sk_puts(s, "0.0");
        return;
    }
    /* the shortest %.Ne that round-trips: N from 0 to 16. printf rounds an
     * exact tie to even, which may not read back where the digit on the
     * other side does (5.960464477539063e-08): try both neighbours too. */
    for (int prec = 0; prec < 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec, d);
        if (strtod(buf, NULL) == d)
            break;
        if (nudge_last_digit(buf, +1, d) || nudge_last_digit(buf, -1, d))
            break;
    }
    char digits[32];
    size_t nd = 0;
    const char *q = buf;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < sizeof digits - 1)
            digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    int decpt = (*q == 'e' ? atoi(q + 1) : 0) + 1;
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            sk_puts(s, "0.");
            for (int i = 0; i < -decpt; i++)
                sk_putc(s, '0');
            sk_puts(s, digits);
        } else if ((size_t)decpt >= nd) {
            sk_puts(s, digits);
            for (size_t i = nd; i < (size_t)decpt; i++)
                sk_putc(s, '0');
            sk_puts(s, ".0");
        } else {
            for (int i = 0; i < decpt; i++)
                sk_putc(s, digits[i]);
            sk_putc(s, '.');
            sk_puts(s, digits + decpt);
        }
        return;
    }
    sk_putc(s, digits[0]);
    if (nd > 1) {
        sk_putc(s, '.');
        sk_puts(s, digits + 1);
    }
    snprintf(buf, sizeof buf, "e%c%02d", decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
    sk_puts(s, buf);
}

size_t wp_unpack_repr(const wp_uvalue *values, size_t n, const uint8_t *data, char *out,
                      size_t outlen)
{
    sink s = {out, outlen, 0};
    char num[32];
    sk_putc(&s, '(');
    for (size_t i = 0; i < n; i++) {
        const wp_uvalue *v = &values[i];
        if (i > 0)
            sk_puts(&s, ", ");
        switch (v->kind) {
        case WP_UV_INT:
            snprintf(num, sizeof num, "%" PRId64, v->v.i);
            sk_puts(&s, num);
            break;
        case WP_UV_UINT:
            snprintf(num, sizeof num, "%" PRIu64, v->v.u);
            sk_puts(&s, num);
            break;
        case WP_UV_BOOL:
            sk_puts(&s, v->v.b ? "True" : "False");
            break;
        case WP_UV_FLOAT:
            float_repr(&s, v->v.d);
            break;
        case WP_UV_BYTES:
            bytes_repr(&s, data ? data + v->v.bytes.off : NULL, data ? v->v.bytes.len : 0);
            break;
        }
    }
    if (n == 1)
        sk_putc(&s, ',');
    sk_putc(&s, ')');
    return sk_end(&s);
}
