/* The buffered sink: renderers append text; fd sinks write it out in large
 * blocks, memory sinks keep it (for tests and the view). While len < cap the
 * byte at buf[len] is kept 0, so a memory sink's text is always a C string. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
            s->err = errno ? errno : EIO;
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
        s->err = ENOBUFS;
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

/* Octet v and its dot at 4 * v, padded to 4 bytes with NULs: an IPv4
 * octet is one 4-byte copy (see wp_p_ipv4). */
const char wp_oct[1025] =
    "0.\0\0" "1.\0\0" "2.\0\0" "3.\0\0" "4.\0\0" "5.\0\0" "6.\0\0" "7.\0\0"
    "8.\0\0" "9.\0\0" "10.\0" "11.\0" "12.\0" "13.\0" "14.\0" "15.\0"
    "16.\0" "17.\0" "18.\0" "19.\0" "20.\0" "21.\0" "22.\0" "23.\0"
    "24.\0" "25.\0" "26.\0" "27.\0" "28.\0" "29.\0" "30.\0" "31.\0"
    "32.\0" "33.\0" "34.\0" "35.\0" "36.\0" "37.\0" "38.\0" "39.\0"
    "40.\0" "41.\0" "42.\0" "43.\0" "44.\0" "45.\0" "46.\0" "47.\0"
    "48.\0" "49.\0" "50.\0" "51.\0" "52.\0" "53.\0" "54.\0" "55.\0"
    "56.\0" "57.\0" "58.\0" "59.\0" "60.\0" "61.\0" "62.\0" "63.\0"
    "64.\0" "65.\0" "66.\0" "67.\0" "68.\0" "69.\0" "70.\0" "71.\0"
    "72.\0" "73.\0" "74.\0" "75.\0" "76.\0" "77.\0" "78.\0" "79.\0"
    "80.\0" "81.\0" "82.\0" "83.\0" "84.\0" "85.\0" "86.\0" "87.\0"
    "88.\0" "89.\0" "90.\0" "91.\0" "92.\0" "93.\0" "94.\0" "95.\0"
    "96.\0" "97.\0" "98.\0" "99.\0" "100." "101." "102." "103."
    "104." "105." "106." "107." "108." "109." "110." "111."
    "112." "113." "114." "115." "116." "117." "118." "119."
    "120." "121." "122." "123." "124." "125." "126." "127."
    "128." "129." "130." "131." "132." "133." "134." "135."
    "136." "137." "138." "139." "140." "141." "142." "143."
    "144." "145." "146." "147." "148." "149." "150." "151."
    "152." "153." "154." "155." "156." "157." "158." "159."
    "160." "161." "162." "163." "164." "165." "166." "167."
    "168." "169." "170." "171." "172." "173." "174." "175."
    "176." "177." "178." "179." "180." "181." "182." "183."
    "184." "185." "186." "187." "188." "189." "190." "191."
    "192." "193." "194." "195." "196." "197." "198." "199."
    "200." "201." "202." "203." "204." "205." "206." "207."
    "208." "209." "210." "211." "212." "213." "214." "215."
    "216." "217." "218." "219." "220." "221." "222." "223."
    "224." "225." "226." "227." "228." "229." "230." "231."
    "232." "233." "234." "235." "236." "237." "238." "239."
    "240." "241." "242." "243." "244." "245." "246." "247."
    "248." "249." "250." "251." "252." "253." "254." "255.";

/* The length of wp_oct's entry v with its dot: 2 to 4. */
const uint8_t wp_oct_len[256] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* "00".."ff": a byte as two lowercase hex digits at 2 * b. */
const char wp_hex2[513] =
    "000102030405060708090a0b0c0d0e0f"
    "101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f"
    "303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f"
    "505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f"
    "707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f"
    "909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
    "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

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

char *wp_p_u32_big(char *o, uint32_t v)
{
    if (v >= 100000000) {
        unsigned hi = v / 100000000, lo = v % 100000000;
        o = wp_p_u5(o, hi);
        o = wp_p_04(o, lo / 10000);
        return wp_p_04(o, lo % 10000);
    }
    o = wp_p_u5(o, v / 10000); /* 10..9999: v >= 100000 */
    return wp_p_04(o, v % 10000);
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
    char *e = wp_p_hex(out, v, digits);
    *e = '\0';
    return (size_t)(e - out);
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

#ifdef WP_DEBUG_ROOM
void wp_room_fail(size_t used, size_t room, int canary)
{
    fprintf(stderr,
            "wirepeel: render: a piece of %zu bytes (+%d slack) overran the %zu bytes it "
            "reserved%s: a bound in src/render/ is wrong\n",
            used, WP_P_SLACK, room, canary ? " (stored past them)" : "");
    abort();
}
#endif
