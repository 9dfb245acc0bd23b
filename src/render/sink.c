/* The buffered sink: renderers append text; fd sinks write it out in large
 * blocks, memory sinks keep it (for tests and the view). While len < cap the
 * byte at buf[len] is kept 0, so a memory sink's text is always a C string. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "render_int.h"

void wp_sink_init_fd(wp_sink *s, int fd, char *buf, size_t cap)
{
    s->fd = fd;
    s->buf = buf;
    s->len = 0;
    s->cap = cap;
    s->err = 0;
    s->err_no = 0;
    s->ts_sec = 0;
    s->ts_valid = 0;
    s->fc_valid = 0;
    if (cap)
        buf[0] = '\0';
}

void wp_sink_init_mem(wp_sink *s, char *buf, size_t cap)
{
    wp_sink_init_fd(s, -1, buf, cap);
}

/* Write everything in buf out to the fd, retrying short writes and EINTR. */
static int write_all(wp_sink *s, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(s->fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            s->err = 1;
            s->err_no = errno;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int wp_sink_flush(wp_sink *s)
{
    if (s->fd < 0)
        return s->err ? -1 : 0;
    if (s->len && !s->err)
        write_all(s, s->buf, s->len);
    s->len = 0;
    if (s->cap)
        s->buf[0] = '\0';
    return s->err ? -1 : 0;
}

void wp_sink_write(wp_sink *s, const char *p, size_t n)
{
    if (s->cap > s->len && n < s->cap - s->len) {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
        s->buf[s->len] = '\0';
        return;
    }
    if (s->fd < 0) {
        /* Memory: keep what fits (leaving room for the NUL), drop the rest. */
        s->err = 1;
        if (s->cap > s->len + 1) {
            size_t room = s->cap - s->len - 1;
            memcpy(s->buf + s->len, p, room);
            s->len += room;
            s->buf[s->len] = '\0';
        }
        return;
    }
    if (s->err)
        return; /* a failed fd stays failed: nothing more is written */
    wp_sink_flush(s);
    if (n < s->cap) {
        memcpy(s->buf, p, n);
        s->len = n;
        s->buf[n] = '\0';
    } else {
        write_all(s, p, n);
    }
}

void wp_sink_puts(wp_sink *s, const char *str)
{
    wp_sink_write(s, str, strlen(str));
}

void wp_sink_putc(wp_sink *s, char ch)
{
    wp_putc(s, ch);
    wp_sink_term(s);
}

/* Two decimal digits at a time from this table halve the divisions. */
const char wp_digits2[201] = "00010203040506070809"
                                 "10111213141516171819"
                                 "20212223242526272829"
                                 "30313233343536373839"
                                 "40414243444546474849"
                                 "50515253545556575859"
                                 "60616263646566676869"
                                 "70717273747576777879"
                                 "80818283848586878889"
                                 "90919293949596979899";

static unsigned count_digits(uint64_t v)
{
    unsigned n = 1;
    while (v >= 10000) {
        v /= 10000;
        n += 4;
    }
    if (v >= 1000)
        return n + 3;
    if (v >= 100)
        return n + 2;
    if (v >= 10)
        return n + 1;
    return n;
}

/* Write v's n digits ending just before end. */
static void put_digits(char *end, uint64_t v)
{
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--end = wp_digits2[d + 1];
        *--end = wp_digits2[d];
    }
    if (v >= 10) {
        unsigned d = (unsigned)v * 2;
        *--end = wp_digits2[d + 1];
        *--end = wp_digits2[d];
    } else {
        *--end = (char)('0' + v);
    }
}

size_t wp_fmt_u64(uint64_t v, char *out)
{
    unsigned n = count_digits(v);
    put_digits(out + n, v);
    out[n] = '\0';
    return n;
}

void wp_sink_u64(wp_sink *s, uint64_t v)
{
    /* Straight into the buffer when it has room: the common case. */
    if (s->cap > s->len && s->cap - s->len > 21) {
        unsigned n = count_digits(v);
        put_digits(s->buf + s->len + n, v);
        s->len += n;
        s->buf[s->len] = '\0';
        return;
    }
    char tmp[24];
    wp_sink_write(s, tmp, wp_fmt_u64(v, tmp));
}

const char wp_hexdig[17] = "0123456789abcdef";

size_t wp_fmt_hex(uint64_t v, unsigned digits, char *out)
{
    unsigned need = 1;
    for (uint64_t t = v >> 4; t; t >>= 4)
        need++;
    if (digits > 16)
        digits = 16;
    if (need < digits)
        need = digits;
    for (unsigned i = need; i > 0; i--) {
        out[i - 1] = wp_hexdig[v & 0xf];
        v >>= 4;
    }
    out[need] = '\0';
    return need;
}

void wp_sink_hex(wp_sink *s, uint64_t v, unsigned digits)
{
    if (s->cap > s->len && s->cap - s->len > 17) {
        s->len += wp_fmt_hex(v, digits, s->buf + s->len);
        return;
    }
    char tmp[20];
    wp_sink_write(s, tmp, wp_fmt_hex(v, digits, tmp));
}

void wp_sink_pad(wp_sink *s, size_t n)
{
    if (s->cap > s->len && n < s->cap - s->len) {
        memset(s->buf + s->len, ' ', n);
        s->len += n;
        s->buf[s->len] = '\0';
        return;
    }
    static const char sp[] = "                                        ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        wp_sink_write(s, sp, k);
        n -= k;
    }
}

void wp_sink_hexbytes(wp_sink *s, const uint8_t *b, size_t n, char sep)
{
    char tmp[96];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k + 3 > sizeof tmp) {
            wp_sink_write(s, tmp, k);
            k = 0;
        }
        if (sep && i)
            tmp[k++] = sep;
        tmp[k++] = wp_hexdig[b[i] >> 4];
        tmp[k++] = wp_hexdig[b[i] & 0xf];
    }
    wp_sink_write(s, tmp, k);
}

void wp_sink_json_str(wp_sink *s, const char *str, size_t n)
{
    const unsigned char *u = (const unsigned char *)str;
    size_t run = 0; /* start of the bytes that need no escape */
    wp_putc(s, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned c = u[i];
        const char *esc = NULL;
        char ubuf[7];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            continue;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            ubuf[0] = '\\';
            ubuf[1] = 'u';
            ubuf[2] = '0';
            ubuf[3] = '0';
            ubuf[4] = wp_hexdig[c >> 4];
            ubuf[5] = wp_hexdig[c & 0xf];
            ubuf[6] = '\0';
            esc = ubuf;
            break;
        }
        wp_sink_write(s, str + run, i - run);
        wp_sink_puts(s, esc);
        run = i + 1;
    }
    wp_sink_write(s, str + run, n - run);
    wp_putc(s, '"');
    wp_sink_term(s);
}
