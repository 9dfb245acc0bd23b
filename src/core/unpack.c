/* Struct-format unpacking, compatible with CPython's _struct module for the
 * codes headers need. The parse follows CPython's prepare_s(): a byte-order
 * character only as the first character, spaces skipped between codes (but
 * not between a count and its code), a count ended by the end of the string
 * is an error, and sizes are bounded by PTRDIFF_MAX (Py_ssize_t) so that an
 * absurd count fails as a format error, as in Python, instead of wrapping. */
#include <inttypes.h>
#include <stdarg.h>
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

/* Bytes per item of a code, 0 for a character that is not a code. */
static size_t code_width(char c)
{
    switch (c) {
    case 'x': case 'B': case 'b': case '?': case 's':
        return 1;
    case 'H': case 'h':
        return 2;
    case 'I': case 'i':
        return 4;
    case 'Q': case 'q':
        return 8;
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
    size_t width = code_width(c);
    if (width == 0) {
        describe(c, what, sizeof what);
        const char *hint = "";
        if (strchr("@=<>!", c))
            hint = " (a byte-order prefix may only be the first character)";
        else if (is_space(c))
            hint = " (a repeat count must be followed directly by its code)";
        seterr(err, errlen,
               "bad format: %s at position %zu is not a format code; use x B b ? H h I i Q q s, "
               "after an optional ! > < = @%s",
               what, st->pos, hint);
        return WP_UNPACK_EFORMAT;
    }
    st->pos++;

    size_t off = st->size;
    if (st->align && width > 1 && c != 's' && off % width != 0) {
        size_t pad = width - off % width;
        if (pad > SIZE_LIMIT - off)
            goto too_large;
        off += pad;
    }
    size_t bytes_per = (c == 's' || c == 'x') ? 1 : width;
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
    if (it->code == 's')
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
            case 'b': case 'h': case 'i': case 'q':
                v->kind = WP_UV_INT;
                v->v.i = to_signed(u, it.width);
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
