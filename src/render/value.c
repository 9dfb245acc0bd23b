/* Values as people and JSON read them: addresses, timestamps, field values,
 * options, events, and the per-field unpacking detail. Shared by every
 * renderer; all of it writes into a sink without printf or allocation. */
#include <assert.h>
#include <string.h>

#include "render_int.h"

/* ---- addresses ------------------------------------------------------- */

size_t wp_fmt_mac(const uint8_t a[6], char *out)
{
    char *e = wp_p_mac(out, a); /* 17 bytes and a slack byte: out[18] */
    *e = '\0';
    return (size_t)(e - out);
}

size_t wp_fmt_ipv4(const uint8_t a[4], char *out)
{
    /* the last octet starts at most 12 bytes in and stores 4: out[16] */
    char *e = wp_p_ipv4(out, a);
    *e = '\0';
    return (size_t)(e - out);
}

/* One group without leading zeros: 1 to 4 hex digits. */
static char *put_group(char *o, unsigned g)
{
    if (g >= 0x1000) {
        memcpy(o, wp_hex2 + 2 * (g >> 8), 2);
        memcpy(o + 2, wp_hex2 + 2 * (g & 0xff), 2);
        return o + 4;
    }
    if (g >= 0x100) {
        o[0] = wp_hexdig[g >> 8];
        memcpy(o + 1, wp_hex2 + 2 * (g & 0xff), 2);
        return o + 3;
    }
    if (g >= 0x10) {
        memcpy(o, wp_hex2 + 2 * g, 2);
        return o + 2;
    }
    o[0] = wp_hexdig[g];
    return o + 1;
}

char *wp_p_ipv6(char *o, const uint8_t a[16])
{
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)(a[2 * i] << 8 | a[2 * i + 1]);
    /* The longest run of two or more zero groups; the first on a tie. */
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    /* IPv4-mapped (::ffff:a.b.c.d) keeps its dotted tail, as tshark shows it:
     * "::ffff:" and at most 15 bytes (+3 slack) of the quad. */
    if (best == 0 && best_len == 5 && g[5] == 0xffff)
        return wp_p_ipv4(wp_p_cstr(o, "::ffff:"), a + 12);
    /* at most 8 groups of 4 digits and 7 colons: 39 bytes, no slack */
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *o++ = ':';
            if (i == 0)
                *o++ = ':';
            i += best_len - 1;
            continue;
        }
        o = put_group(o, g[i]);
        if (i < 7)
            *o++ = ':';
    }
    return o;
}

size_t wp_fmt_ipv6(const uint8_t a[16], char *out)
{
    char *e = wp_p_ipv6(out, a); /* at most 22 bytes + 3 slack or 39: out[46] */
    *e = '\0';
    return (size_t)(e - out);
}

/* ---- time ------------------------------------------------------------ */

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days): exact for every int64 day count that matters here. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void put2(char *o, unsigned v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
}

size_t wp_fmt_ts(int64_t sec, uint32_t nsec, unsigned digits, char *out)
{
    if (nsec > 999999999u)
        nsec = 999999999u;
    if (digits != 9)
        digits = 6;
    /* floor division: a second before 1970 still lies in its own day */
    int64_t days = sec / 86400, sod = sec % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    size_t n = 0;
    if (y < 0) {
        out[n++] = '-';
        y = -y;
    }
    if (y < 1000) {
        char t[24];
        size_t k = wp_fmt_u64((uint64_t)y, t);
        for (size_t i = k; i < 4; i++)
            out[n++] = '0';
        memcpy(out + n, t, k);
        n += k;
    } else if (y > 9999999) {
        n += wp_fmt_u64(9999999, out + n); /* beyond any capture: keep the buffer bound */
    } else {
        n += wp_fmt_u64((uint64_t)y, out + n);
    }
    out[n++] = '-';
    put2(out + n, m);
    n += 2;
    out[n++] = '-';
    put2(out + n, d);
    n += 2;
    out[n++] = 'T';
    put2(out + n, (unsigned)(sod / 3600));
    n += 2;
    out[n++] = ':';
    put2(out + n, (unsigned)(sod / 60 % 60));
    n += 2;
    out[n++] = ':';
    put2(out + n, (unsigned)(sod % 60));
    n += 2;
    out[n++] = '.';
    uint32_t frac = digits == 9 ? nsec : nsec / 1000;
    for (unsigned i = digits; i > 0; i--) {
        out[n + i - 1] = (char)('0' + frac % 10);
        frac /= 10;
    }
    n += digits;
    out[n++] = 'Z';
    out[n] = '\0';
    return n;
}

unsigned wp_rv_ts_digits(const wp_packet *p, const wp_render_opts *o)
{
    if (o && (o->ts_digits == 6 || o->ts_digits == 9))
        return (unsigned)o->ts_digits;
    return p->ts_nsec % 1000 ? 9 : 6;
}

/* Put sec's "YYYY-MM-DDTHH:MM:SS" in s->ts_text; 0 for a year outside
 * 0000..9999 (not cached: formatted every time). */
static int ts_fill(wp_renderer *s, int64_t sec)
{
    char buf[WP_TS_STRLEN];
    if (wp_fmt_ts(sec, 0, 6, buf) != 27)
        return 0;
    memcpy(s->ts_text, buf, 19);
    s->ts_sec = sec;
    s->ts_valid = 1;
    return 1;
}

/* Whether s->ts_text holds sec's date and time of day: they change once a
 * second, so the last one's text is kept. */
static inline int ts_cached(wp_renderer *s, int64_t sec)
{
    return (s->ts_valid && s->ts_sec == sec) || ts_fill(s, sec);
}

/* '.' and the fraction: digits 9 gives nanoseconds, else microseconds
 * (truncated, never rounded up); nsec above 999999999 is clamped. */
static inline char *put_frac(char *o, uint32_t nsec, unsigned digits)
{
    uint32_t f = nsec > 999999999u ? 999999999u : nsec;
    *o++ = '.';
    if (digits == 9) {
        *o++ = (char)('0' + f / 100000000);
        f %= 100000000;
        memcpy(o, wp_digits2 + 2 * (f / 1000000), 2);
        f %= 1000000;
        o += 2;
    } else {
        f /= 1000;
    }
    /* f < 1000000: six digits, two at a time */
    memcpy(o, wp_digits2 + 2 * (f / 10000), 2);
    f %= 10000;
    memcpy(o + 2, wp_digits2 + 2 * (f / 100), 2);
    memcpy(o + 4, wp_digits2 + 2 * (f % 100), 2);
    return o + 6;
}

size_t wp_rv_ts_text(wp_renderer *s, const wp_packet *p, char *buf)
{
    unsigned digits = wp_rv_ts_digits(p, &s->o);
    if (!ts_cached(s, p->ts_sec))
        return wp_fmt_ts(p->ts_sec, p->ts_nsec, digits, buf);
    memcpy(buf, s->ts_text, 19);
    char *e = put_frac(buf + 19, p->ts_nsec, digits);
    e[0] = 'Z';
    e[1] = '\0';
    return (size_t)(e + 1 - buf);
}

char *wp_p_tod(wp_renderer *s, const wp_packet *p, char *out)
{
    if (s && ts_cached(s, p->ts_sec)) {
        memcpy(out, s->ts_text + 11, 8);
    } else {
        /* a year the cache does not keep: the time of day is the second of
         * the day all the same (floor division, as in wp_fmt_ts) */
        int64_t sod = p->ts_sec % 86400;
        if (sod < 0)
            sod += 86400;
        put2(out, (unsigned)(sod / 3600));
        out[2] = ':';
        put2(out + 3, (unsigned)(sod / 60 % 60));
        out[5] = ':';
        put2(out + 6, (unsigned)(sod % 60));
    }
    return put_frac(out + 8, p->ts_nsec, wp_rv_ts_digits(p, s ? &s->o : NULL));
}

/* ---- layers ---------------------------------------------------------- */

int wp_rv_is_data(const wp_layer *l)
{
    return l->proto >= WP_PROTO_PAYLOAD;
}

uint32_t wp_rv_extent(const wp_layer *l)
{
    return wp_rv_is_data(l) ? l->len : l->hdr_len;
}

void wp_rv_layer_id(wp_sink *s, const wp_packet *p, const wp_layer *l)
{
    wp_u64(s, (uint64_t)(l - p->layers));
    wp_putc(s, ':');
    wp_puts(s, wp_proto_get(l->proto)->name);
}

/* ---- field values (the kind writers: see WP_VS_TEXT) ------------------ */

char *wp_p_num_extras(char *o, const wp_layer *l, const wp_field *f, uint64_t v, int ascii,
                      int csum)
{
    if (f->describe) {
        /* the describe function writes into the text itself (at most 96
         * bytes, NUL included) or names a static text */
        char *b = o + 2;
        b[0] = '\0';
        const char *d = f->describe(v, b, 96);
        if (d && *d) {
            size_t n = strlen(d);
            if (n > WP_VALUE_NAME_MAX)
                n = WP_VALUE_NAME_MAX; /* cut: no describe text in the tables is that long */
            if (d != b)
                wp_p_str(b, d, n);
            o[0] = ' ';
            o[1] = '(';
            b[n] = ')';
            o = b + n + 1;
        }
    }
    if (f->mult) {
        o = ascii ? wp_p_str(o, " (x ", 4) : wp_p_str(o, " (\xc3\x97 ", 5);
        o = wp_p_u64(o, f->mult);
        o = wp_p_str(o, " = ", 3);
        o = wp_p_u64(o, v * f->mult);
        o = wp_p_str(o, " bytes)", 7);
    }
    if (csum)
        o = wp_p_csum_status(o, l);
    return o;
}

static_assert(WP_CSUM_TEXT <= WP_VALUE_NAME_MAX, "a status name is copied whole");

char *wp_p_csum_status(char *o, const wp_layer *l)
{
    const char *st;
    size_t n = wp_csum_text(l->csum, &st);
    if (!n)
        return o;
    o[0] = ' ';
    o[1] = '[';
    /* the whole padded name (WP_CSUM_TEXT <= WP_VALUE_NAME_MAX of room) */
    memcpy(o + 2, st, WP_CSUM_TEXT);
    o += 2 + n;
    if (l->csum == WP_CSUM_BAD) {
        o = wp_p_str(o, ", should be 0x", 14);
        o = wp_p_hex(o, l->csum_computed, 4);
    }
    *o++ = ']';
    return o;
}

char *wp_p_k_opts(char *o, const wp_layer *l, const wp_field *f, unsigned st)
{
    uint32_t off, len;
    if (st == WP_VS_RAW)
        return wp_p_u64(o, l->opt_count);
    wp_field_span(l, f, &off, &len);
    o = wp_p_u64(o, l->opt_count);
    if (l->proto == WP_PROTO_HTTP) /* its "options" are header lines */
        o = l->opt_count == 1 ? wp_p_str(o, " header, ", 9) : wp_p_str(o, " headers, ", 10);
    else if (l->proto == WP_PROTO_DNS) /* questions and resource records */
        o = l->opt_count == 1 ? wp_p_str(o, " record, ", 9) : wp_p_str(o, " records, ", 10);
    else
        o = l->opt_count == 1 ? wp_p_str(o, " option, ", 9) : wp_p_str(o, " options, ", 10);
    o = wp_p_u64(o, len);
    return wp_p_str(o, " bytes", 6);
}

char *wp_p_field_other(char *o, const wp_layer *l, const wp_field *f, unsigned st)
{
    switch (f->kind) {
    case WP_FK_MAC:
    case WP_FK_IPV4:
    case WP_FK_IPV6:
        return wp_p_k_addr(o, f->kind, wp_field_bytes(l, f), st);
    case WP_FK_HEX:
        return wp_p_k_bytes(o, wp_field_bytes(l, f), f->ssize < f->width ? f->ssize : f->width,
                            st);
    case WP_FK_OPTIONS:
        return wp_p_k_opts(o, l, f, st);
    default:
        if (st == WP_VS_JSON)
            return wp_p_str(o, "null", 4);
        *o = '?';
        return o + 1;
    }
}

/* The room wp_p_field needs for f (see WP_VALUE_MAX, which covers them all). */
static size_t value_bound(const wp_field *f)
{
    switch (f->kind) {
    case WP_FK_UINT:
    case WP_FK_BOOL:
        return 283 + WP_P_SLACK;
    case WP_FK_MAC:
    case WP_FK_IPV4:
    case WP_FK_IPV6:
        return 41 + WP_P_SLACK;
    case WP_FK_HEX:
        return 3u * (f->ssize < f->width ? f->ssize : f->width) + 1 + WP_P_SLACK;
    default:
        return 29 + WP_P_SLACK;
    }
}

static void json_opts(wp_sink *s, const wp_packet *p, const wp_layer *l);

void wp_rv_json_bytes(wp_sink *s, const uint8_t *b, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    wp_putc(s, '"');
    size_t run = 0; /* bytes from b + run on are not yet written */
    for (size_t i = 0; i < n; i++) {
        uint8_t c = b[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            continue;
        wp_w(s, (const char *)b + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            wp_w(s, e, 2);
        } else {
            char e[6] = {'\\', 'u', '0', '0', hx[c >> 4], hx[c & 15]};
            wp_w(s, e, 6);
        }
    }
    wp_w(s, (const char *)b + run, n - run);
    wp_putc(s, '"');
}

/* Bytes b[0..n) as text: printable ASCII as it is, the rest as '.' (as the
 * hex dump's column), at most max of them, then "..." when cut. */
static void text_bytes(wp_sink *s, const uint8_t *b, size_t n, size_t max)
{
    char buf[64];
    size_t k = 0, show = n < max ? n : max;
    for (size_t i = 0; i < show; i++) {
        buf[k++] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
        if (k == sizeof buf) {
            wp_w(s, buf, k);
            k = 0;
        }
    }
    wp_w(s, buf, k);
    if (show < n)
        wp_w(s, "...", 3);
}

/* How much of a text a text style shows: a line of a URI or a header's
 * value stays readable; JSON and -o fields (RAW) give it all. */
#define TEXT_SHOW_MAX 200

/* A TEXT field: JSON a string (digits only, WP_FF_DIGITS: a number); text
 * styles quoted with '"' (the raw style as it is). */
static void rv_text(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f,
                    unsigned st)
{
    uint32_t n;
    const uint8_t *b = wp_field_text(p, l, f, &n);
    if (!b)
        n = 0;
    if (st == WP_VS_JSON) {
        if ((f->flags & WP_FF_DIGITS) && n > 0)
            wp_w(s, (const char *)b, n); /* the decoder checked: digits only */
        else
            wp_rv_json_bytes(s, b ? b : (const uint8_t *)"", n);
        return;
    }
    if (st == WP_VS_RAW) {
        text_bytes(s, b, n, n);
        return;
    }
    wp_putc(s, '"');
    text_bytes(s, b, n, TEXT_SHOW_MAX);
    wp_putc(s, '"');
}

void wp_rv_field(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f,
                 unsigned st)
{
    if (st == WP_VS_JSON && f->kind == WP_FK_OPTIONS) {
        json_opts(s, p, l);
        return;
    }
    if (f->kind == WP_FK_TEXT) {
        rv_text(s, p, l, f, st);
        return;
    }
    /* value_bound(f) <= sizeof tmp: a HEX value is at most 3 x 255 + 1 + slack */
    char tmp[WP_VALUE_MAX + WP_P_SLACK];
    size_t bound = value_bound(f);
    char *b = wp_chunk_begin(s, bound, tmp);
    wp_chunk_end(s, b, wp_p_field(b, l, f, st), tmp, bound);
}

/* ---- options --------------------------------------------------------- */

/* The option's data bytes as captured (after kind and length). */
static const uint8_t *opt_data_bytes(const wp_packet *p, const wp_opt *o, uint32_t *n)
{
    uint32_t start = o->off + 2, k = o->len > 2 ? o->len - 2u : 0;
    if (k > 253)
        k = 253; /* the bounds above count on a one-byte length */
    if (start > p->caplen) {
        *n = 0;
        return p->data;
    }
    *n = k < p->caplen - start ? k : p->caplen - start;
    return p->data + start;
}

/* The option's data bytes as hex at w (at most 2 * 253 bytes). */
static char *opt_data_at(char *w, const wp_packet *p, const wp_opt *o)
{
    uint32_t n;
    const uint8_t *d = opt_data_bytes(p, o, &n);
    return wp_p_hexbytes(w, d, n, 0);
}

/* What an option's values mean, by proto and kind: the one place that
 * says it. The text (wp_p_opt_text) and JSON (json_opt_put) writers each
 * write every meaning in their own syntax:
 *   OM_NONE    no values (end of list, no-op, SACK permitted)
 *   OM_VALUE   v[0] (TCP MSS, IPv4 router alert)
 *   OM_SHIFT   v[0], the window scale shift
 *   OM_SACK    (v[0], v[1]), (v[2], v[3]), ... the SACK blocks
 *   OM_TS      v[0], v[1]: TSval and TSecr
 *   OM_ROUTE   v[0] the pointer, v[1..] the IPv4 addresses of a route
 *   OM_IPTS    v[0] the pointer, v[1] overflow (high 4 bits) and flag, v[2..]
 *              the IPv4 timestamp option's data words
 *   OM_DATA    none decoded: the data bytes (an unknown kind of TCP, IPv4)
 *   OM_OTHER   a proto whose options have no meanings here: the data bytes
 *              (text: only when there are any)
 *   OM_DNS     a DNS question or record (v[] as packet.h says): its name,
 *              type, class, and a record's TTL and data
 *   OM_CHUNK   an SCTP chunk: v[0] flags; DATA (nv 5): v[1] TSN, v[2]
 *              stream, v[3] stream sequence, v[4] PPID
 *   OM_TLV     an NFLOG TLV; packet_hdr (nv 2): v[0] hardware protocol,
 *              v[1] hook */
enum { OM_NONE, OM_VALUE, OM_SHIFT, OM_SACK, OM_TS, OM_ROUTE, OM_IPTS, OM_DATA, OM_OTHER, OM_DNS,
       OM_CHUNK, OM_TLV };

static unsigned opt_meaning(unsigned proto, unsigned kind)
{
    if (proto == WP_PROTO_DNS)
        return OM_DNS; /* a question or record: dns_opt_text, json_dns */
    if (proto == WP_PROTO_TCP) {
        switch (kind) {
        case 0:
        case 1:
        case 4:
            return OM_NONE;
        case 2:
            return OM_VALUE;
        case 3:
            return OM_SHIFT;
        case 5:
            return OM_SACK;
        case 8:
            return OM_TS;
        default:
            return OM_DATA;
        }
    }
    if (proto == WP_PROTO_IPV4) {
        switch (kind) {
        case 0:
        case 1:
            return OM_NONE;
        case 7:
        case 131:
        case 137:
            return OM_ROUTE;
        case 68:
            return OM_IPTS;
        case 148:
            return OM_VALUE;
        default:
            return OM_DATA;
        }
    }
    if (proto == WP_PROTO_SCTP)
        return OM_CHUNK;
    if (proto == WP_PROTO_NFLOG)
        return OM_TLV;
    return OM_OTHER;
}

/* v[i], a 32-bit word of an IPv4 route, as its address bytes. */
static void route_addr(const wp_opt *o, unsigned i, uint8_t a[4])
{
    uint32_t x = o->v[i];
    a[0] = (uint8_t)(x >> 24);
    a[1] = (uint8_t)(x >> 16);
    a[2] = (uint8_t)(x >> 8);
    a[3] = (uint8_t)x;
}

/* WP_OPT_ROOM, the bound of wp_p_opt_text: name 127 + " (kind 255, len
 * 255)" 20 + the longest tail (" data " 6 + 506; the IPv4 route " pointer "
 * 9 + 10 + " route" 6 + 9 x 16 = 169; SACK 5 x 22 = 110) + " [bad length]"
 * 13 = 666. A name longer than 127 bytes (none in the tables) is cut to
 * 127, so the bound holds for any table. */
/* An HTTP header line's option (http.c): name at off, v[0] bytes; value at
 * v[1], v[2] bytes: "Name: value", each printable byte as it is and the
 * rest as '.', the name cut at 127 bytes and the value at 400 ("..."), so
 * the bound WP_OPT_ROOM holds (127 + 2 + 400 + 3 < 666). */
static char *http_opt_text(char *w, const wp_packet *p, const wp_opt *o)
{
    uint32_t at[2] = {o->off, o->nv >= 3 ? o->v[1] : 0};
    uint32_t len[2] = {o->nv >= 1 ? o->v[0] : 0, o->nv >= 3 ? o->v[2] : 0};
    const uint32_t max[2] = {127, 400};
    for (unsigned k = 0; k < 2; k++) {
        if (k)
            w = wp_p_str(w, ": ", 2);
        uint32_t n = 0;
        if (at[k] <= p->caplen)
            n = len[k] < p->caplen - at[k] ? len[k] : p->caplen - at[k];
        uint32_t show = n < max[k] ? n : max[k];
        for (uint32_t i = 0; i < show; i++) {
            uint8_t c = p->data[at[k] + i];
            *w++ = c >= 0x20 && c < 0x7f ? (char)c : '.';
        }
        if (show < n)
            w = wp_p_str(w, "...", 3);
    }
    return w;
}

/* The text of a DNS record's data at w (at most 7 + 255 bytes): an address,
 * a name (through wp_dns_name, cut to 255 bytes), or the first 64 bytes of
 * the rdata as hex (and "..." when there are more). */
#define DNS_DATA_HEX 64
static char *dns_data_text(char *w, const wp_packet *p, const wp_layer *l, const wp_opt *o,
                           int json)
{
    uint32_t type = o->v[0], rdlen = o->v[3], at = o->v[4];
    if (at > p->caplen || rdlen > p->caplen - at)
        return w; /* the decoder keeps only records whose rdata is there */
    const uint8_t *d = p->data + at;
    if (type == 1 && rdlen == 4)
        return json ? wp_p_ipv4(w, d) : wp_p_ipv4(wp_p_str(w, "addr ", 5), d);
    if (type == 28 && rdlen == 16)
        return json ? wp_p_ipv6(w, d) : wp_p_ipv6(wp_p_str(w, "addr ", 5), d);
    if ((type == 5 || type == 2 || type == 12) && !o->bad) {
        char nb[256];
        wp_dns_name(p, l, at, nb, sizeof nb);
        if (!json)
            w = type == 5 ? wp_p_str(w, "cname ", 6) : wp_p_str(w, "name ", 5);
        return wp_p_str(w, nb, strlen(nb));
    }
    if (!json)
        w = wp_p_str(w, "data ", 5);
    w = wp_p_hexbytes(w, d, rdlen < DNS_DATA_HEX ? rdlen : DNS_DATA_HEX, 0);
    return rdlen > DNS_DATA_HEX ? wp_p_str(w, "...", 3) : w;
}

/* A DNS question or record's text at w: "answer www.example.com: type A
 * (1), class IN (1), ttl 300, addr 192.0.2.80". At most 10 + 255 + 2 + 6 + 5
 * + 8 + 8 + 3 + 8 + 6 + 10 + 2 + 262 + 13 = 598 bytes < WP_OPT_ROOM. */
static char *dns_opt_text(char *w, const wp_packet *p, const wp_layer *l, const wp_opt *o)
{
    const char *sec = wp_opt_name(l->proto, o->kind);
    char nb[256];
    w = wp_p_cstr(w, sec ? sec : "record");
    *w++ = ' ';
    wp_dns_name(p, l, o->off, nb, sizeof nb);
    w = wp_p_str(w, nb, strlen(nb));
    w = wp_p_str(w, ": type ", 7);
    const char *tn = wp_dns_type_name(o->v[0]);
    if (tn) {
        w = wp_p_cstr(w, tn);
        w = wp_p_str(w, " (", 2);
    }
    w = wp_p_u64(w, o->v[0] & 0xffff);
    if (tn)
        *w++ = ')';
    w = wp_p_str(w, ", class ", 8);
    const char *cn = wp_dns_class_name(o->v[1]);
    if (cn) {
        w = wp_p_cstr(w, cn);
        w = wp_p_str(w, " (", 2);
    }
    w = wp_p_u64(w, o->v[1] & 0xffff);
    if (cn)
        *w++ = ')';
    if (o->kind > 0 && o->nv >= 5) {
        w = wp_p_str(w, ", ttl ", 6);
        w = wp_p_u64(w, o->v[2]);
        w = wp_p_str(w, ", ", 2);
        w = dns_data_text(w, p, l, o, 0);
    }
    if (o->bad)
        w = wp_p_str(w, " [bad]", 6);
    return w;
}

char *wp_p_opt_text(char *w, const wp_packet *p, const wp_layer *l, const wp_opt *o)
{
    if (l->proto == WP_PROTO_HTTP)
        return http_opt_text(w, p, o);
    if (l->proto == WP_PROTO_DNS)
        return dns_opt_text(w, p, l, o);
    const char *name = wp_opt_name(l->proto, o->kind);
    unsigned nv = o->nv < WP_OPT_MAXV ? o->nv : WP_OPT_MAXV;
    if (!name)
        name = "unknown";
    size_t nn = strlen(name);
    if (nn > 127)
        nn = 127;
    w = wp_p_str(w, name, nn);
    unsigned m = opt_meaning(l->proto, o->kind);
    w = wp_p_str(w, " (kind ", 7);
    w = wp_p_u64(w, o->kind);
    if (m == OM_CHUNK || m == OM_TLV || o->kind > 1 || o->len > 1) {
        w = wp_p_str(w, ", len ", 6);
        w = wp_p_u64(w, o->len);
    }
    *w++ = ')';
    switch (m) {
    case OM_CHUNK:
        if (nv >= 1) {
            w = wp_p_str(w, " flags 0x", 9);
            w = wp_p_hex(w, o->v[0], 2);
        }
        if (nv >= 5) {
            w = wp_p_str(w, " tsn ", 5);
            w = wp_p_u64(w, o->v[1]);
            w = wp_p_str(w, " stream ", 8);
            w = wp_p_u64(w, o->v[2]);
            w = wp_p_str(w, " ssn ", 5);
            w = wp_p_u64(w, o->v[3]);
            w = wp_p_str(w, " ppid ", 6);
            w = wp_p_u64(w, o->v[4]);
        }
        break;
    case OM_TLV:
        if (nv >= 2) {
            w = wp_p_str(w, " hw_protocol 0x", 15);
            w = wp_p_hex(w, o->v[0], 4);
            w = wp_p_str(w, " hook ", 6);
            w = wp_p_u64(w, o->v[1]);
        }
        break;
    case OM_VALUE:
        if (nv >= 1) {
            *w++ = ' ';
            w = wp_p_u64(w, o->v[0]);
        }
        break;
    case OM_SHIFT:
        if (nv >= 1) {
            w = wp_p_str(w, " shift ", 7);
            w = wp_p_u64(w, o->v[0]);
            if (o->v[0] < 32) {
                w = wp_p_str(w, " (window x ", 11);
                w = wp_p_u64(w, 1ull << o->v[0]);
                *w++ = ')';
            }
        }
        break;
    case OM_SACK:
        for (unsigned i = 0; i + 1 < nv; i += 2) {
            *w++ = ' ';
            w = wp_p_u64(w, o->v[i]);
            *w++ = '-';
            w = wp_p_u64(w, o->v[i + 1]);
        }
        break;
    case OM_TS:
        if (nv >= 2) {
            w = wp_p_str(w, " tsval ", 7);
            w = wp_p_u64(w, o->v[0]);
            w = wp_p_str(w, " tsecr ", 7);
            w = wp_p_u64(w, o->v[1]);
        }
        break;
    case OM_ROUTE:
        if (nv >= 1) {
            w = wp_p_str(w, " pointer ", 9);
            w = wp_p_u64(w, o->v[0]);
            w = wp_p_str(w, " route", 6);
            for (unsigned i = 1; i < nv; i++) {
                uint8_t a[4];
                route_addr(o, i, a);
                *w++ = ' ';
                w = wp_p_ipv4(w, a); /* 15 and 3 slack, overwritten next */
            }
        }
        break;
    case OM_IPTS:
        if (nv >= 2) {
            w = wp_p_str(w, " pointer ", 9);
            w = wp_p_u64(w, o->v[0]);
            w = wp_p_str(w, " overflow ", 10);
            w = wp_p_u64(w, o->v[1] >> 4);
            w = wp_p_str(w, " flag ", 6);
            w = wp_p_u64(w, o->v[1] & 0xf);
            for (unsigned i = 2; i < nv; i++) {
                *w++ = ' ';
                w = wp_p_u64(w, o->v[i]);
            }
        }
        break;
    case OM_DATA:
    case OM_OTHER:
        if (m == OM_DATA || o->len > 2) {
            w = wp_p_str(w, " data ", 6);
            w = opt_data_at(w, p, o);
        }
        break;
    default:
        break;
    }
    if (o->bad)
        w = wp_p_str(w, " [bad length]", 13);
    return w;
}

void wp_rv_opt_text(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_opt *o)
{
    char tmp[WP_OPT_ROOM];
    char *b = wp_chunk_begin(s, sizeof tmp, tmp);
    wp_chunk_end(s, b, wp_p_opt_text(b, p, l, o), tmp, sizeof tmp);
}

/* The most json_opt_put writes besides the option's name: a leading comma
 * 1, `{"kind":` 8 + 3, `,"name":""` 10, `,"length":` 10 + 3, then the
 * longest of the values: unknown data `,"data":""` 10 + 2 x 253 bytes of
 * hex (the length byte is at most 255, 2 of them kind and length) = 516;
 * an IPv4 route `,"pointer":` 11 + 10 + `,"route":[]` 11 + 9 quoted
 * addresses with commas 9 x 18 (wp_p_ipv4's slack falls inside) = 194;
 * TCP SACK `,"blocks":[]` 12 + 5 x 24 = 132, the others less; then
 * `,"bad":true` 11 and `}` 1. 1 + 11 + 10 + 13 + 516 + 12 = 563, and the
 * name, at most JSON_OPT_NAME_MAX. */
#define JSON_OPT_NAME_MAX 32
#define JSON_OPT_MAX (576 + JSON_OPT_NAME_MAX)

/* One option as JSON at o (JSON_OPT_MAX bytes of room); returns the end. A
 * name longer than JSON_OPT_NAME_MAX (none in the tables) is cut to that
 * length, so the bound holds for any table. The values JSON always shows
 * for a meaning are 0 when the option carries fewer. */
static char *json_opt_put(char *o, const wp_packet *p, const wp_layer *l, const wp_opt *op)
{
    const char *name = wp_opt_name(l->proto, op->kind);
    unsigned nv = op->nv < WP_OPT_MAXV ? op->nv : WP_OPT_MAXV;
    o = wp_p_str(o, "{\"kind\":", 8);
    o = wp_p_u64(o, op->kind);
    o = wp_p_str(o, ",\"name\":\"", 9);
    char *e = wp_p_name(o, name ? name : "unknown", JSON_OPT_NAME_MAX);
    o = e ? e : o + JSON_OPT_NAME_MAX; /* NULL: its first JSON_OPT_NAME_MAX bytes are there */
    o = wp_p_str(o, "\",\"length\":", 11);
    o = wp_p_u64(o, op->len);
    switch (opt_meaning(l->proto, op->kind)) {
    case OM_CHUNK:
        o = wp_p_str(o, ",\"flags\":", 9);
        o = wp_p_u64(o, nv >= 1 ? op->v[0] : 0);
        if (nv >= 5) {
            o = wp_p_str(o, ",\"tsn\":", 7);
            o = wp_p_u64(o, op->v[1]);
            o = wp_p_str(o, ",\"stream\":", 10);
            o = wp_p_u64(o, op->v[2]);
            o = wp_p_str(o, ",\"ssn\":", 7);
            o = wp_p_u64(o, op->v[3]);
            o = wp_p_str(o, ",\"ppid\":", 8);
            o = wp_p_u64(o, op->v[4]);
        }
        break;
    case OM_TLV:
        if (nv >= 2) {
            o = wp_p_str(o, ",\"hw_protocol\":", 15);
            o = wp_p_u64(o, op->v[0]);
            o = wp_p_str(o, ",\"hook\":", 8);
            o = wp_p_u64(o, op->v[1]);
        }
        break;
    case OM_VALUE:
        o = wp_p_str(o, ",\"value\":", 9);
        o = wp_p_u64(o, nv >= 1 ? op->v[0] : 0);
        break;
    case OM_SHIFT:
        o = wp_p_str(o, ",\"shift\":", 9);
        o = wp_p_u64(o, nv >= 1 ? op->v[0] : 0);
        break;
    case OM_SACK:
        o = wp_p_str(o, ",\"blocks\":[", 11);
        for (unsigned i = 0; i + 1 < nv; i += 2) {
            if (i)
                *o++ = ',';
            *o++ = '[';
            o = wp_p_u64(o, op->v[i]);
            *o++ = ',';
            o = wp_p_u64(o, op->v[i + 1]);
            *o++ = ']';
        }
        *o++ = ']';
        break;
    case OM_TS:
        o = wp_p_str(o, ",\"tsval\":", 9);
        o = wp_p_u64(o, nv >= 1 ? op->v[0] : 0);
        o = wp_p_str(o, ",\"tsecr\":", 9);
        o = wp_p_u64(o, nv >= 2 ? op->v[1] : 0);
        break;
    case OM_ROUTE:
        o = wp_p_str(o, ",\"pointer\":", 11);
        o = wp_p_u64(o, nv >= 1 ? op->v[0] : 0);
        o = wp_p_str(o, ",\"route\":[", 10);
        for (unsigned i = 1; i < nv; i++) {
            uint8_t a[4];
            route_addr(op, i, a);
            if (i > 1)
                *o++ = ',';
            o = wp_p_k_addr(o, WP_FK_IPV4, a, WP_VS_JSON);
        }
        *o++ = ']';
        break;
    case OM_IPTS:
        o = wp_p_str(o, ",\"pointer\":", 11);
        o = wp_p_u64(o, nv >= 1 ? op->v[0] : 0);
        o = wp_p_str(o, ",\"overflow\":", 12);
        o = wp_p_u64(o, nv >= 2 ? op->v[1] >> 4 : 0);
        o = wp_p_str(o, ",\"flag\":", 8);
        o = wp_p_u64(o, nv >= 2 ? op->v[1] & 0xf : 0);
        o = wp_p_str(o, ",\"data\":[", 9);
        for (unsigned i = 2; i < nv; i++) {
            if (i > 2)
                *o++ = ',';
            o = wp_p_u64(o, op->v[i]);
        }
        *o++ = ']';
        break;
    case OM_DNS: /* json_dns writes these; never reached */
    case OM_DATA:
    case OM_OTHER:
        o = wp_p_str(o, ",\"data\":\"", 9);
        o = opt_data_at(o, p, op);
        *o++ = '"';
        break;
    default:
        break;
    }
    if (op->bad)
        o = wp_p_str(o, ",\"bad\":true", 11);
    *o++ = '}';
    return o;
}

/* One DNS question or record as a JSON object: {"name", "type", "class"}
 * and a record's "ttl" and "data" (text as dns_data_text's; "bad": true for
 * a malformed one). Through the sink: a name escaped for JSON may be longer
 * than any fixed bound here is worth. */
static void json_dns_rec(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_opt *o)
{
    char nb[256];
    wp_dns_name(p, l, o->off, nb, sizeof nb);
    wp_w(s, "{\"name\":", 8);
    wp_sink_json_str(s, nb, strlen(nb));
    wp_w(s, ",\"type\":", 8);
    wp_u64(s, o->v[0] & 0xffff);
    wp_w(s, ",\"class\":", 9);
    wp_u64(s, o->v[1] & 0xffff);
    if (o->kind > 0 && o->nv >= 5) {
        char db[256 + 2 * DNS_DATA_HEX + 8];
        char *e = dns_data_text(db, p, l, o, 1);
        wp_w(s, ",\"ttl\":", 7);
        wp_u64(s, o->v[2]);
        wp_w(s, ",\"data\":", 8);
        wp_sink_json_str(s, db, (size_t)(e - db));
    }
    if (o->bad)
        wp_w(s, ",\"bad\":true", 11);
    wp_putc(s, '}');
}

/* A DNS layer's records: the row's own key ("questions") is written; its
 * value is the questions' array, then the "answers", "authority" and
 * "additional" keys and arrays follow, as the JSON contract names them
 * (the records are in section order: kind 0, 1, 2, 3). */
static void json_dns(wp_sink *s, const wp_packet *p, const wp_layer *l)
{
    static const char *const keys[4] = {NULL, ",\"answers\":[", ",\"authority\":[",
                                        ",\"additional\":["};
    unsigned end = (unsigned)l->opt_first + l->opt_count, i = l->opt_first;
    for (unsigned sec = 0; sec < 4; sec++) {
        if (sec)
            wp_puts(s, keys[sec]);
        else
            wp_putc(s, '[');
        for (unsigned k = 0; i < end && i < p->nopts && p->opts[i].kind == sec; i++, k++) {
            if (k)
                wp_putc(s, ',');
            json_dns_rec(s, p, l, &p->opts[i]);
        }
        wp_putc(s, ']');
    }
}

/* The options list: each option (and its separator) one chunk. */
static void json_opts(wp_sink *s, const wp_packet *p, const wp_layer *l)
{
    if (l->proto == WP_PROTO_DNS) {
        json_dns(s, p, l);
        return;
    }
    wp_putc(s, '[');
    unsigned end = (unsigned)l->opt_first + l->opt_count;
    if (l->proto == WP_PROTO_HTTP) {
        /* HTTP headers: [{"name":..., "value":...}], the whole text */
        for (unsigned i = l->opt_first; i < end && i < p->nopts; i++) {
            const wp_opt *op = &p->opts[i];
            uint32_t at[2] = {op->off, op->nv >= 3 ? op->v[1] : 0};
            uint32_t len[2] = {op->nv >= 1 ? op->v[0] : 0, op->nv >= 3 ? op->v[2] : 0};
            wp_puts(s, i > l->opt_first ? ",{\"name\":" : "{\"name\":");
            for (unsigned k = 0; k < 2; k++) {
                if (k)
                    wp_puts(s, ",\"value\":");
                uint32_t n = 0;
                if (at[k] <= p->caplen)
                    n = len[k] < p->caplen - at[k] ? len[k] : p->caplen - at[k];
                wp_rv_json_bytes(s, p->data + (at[k] <= p->caplen ? at[k] : 0), n);
            }
            wp_putc(s, '}');
        }
        wp_putc(s, ']');
        return;
    }
    for (unsigned i = l->opt_first; i < end && i < p->nopts; i++) {
        const wp_opt *op = &p->opts[i];
        char tmp[JSON_OPT_MAX];
        char *b = wp_chunk_begin(s, sizeof tmp, tmp), *o = b;
        if (i > l->opt_first)
            *o++ = ',';
        wp_chunk_end(s, b, json_opt_put(o, p, l, op), tmp, sizeof tmp);
    }
    wp_putc(s, ']');
}

/* ---- events ---------------------------------------------------------- */

void wp_rv_event_text(wp_sink *s, const wp_event *e)
{
    wp_puts(s, e->def->text);
    if (!e->def->rel)
        return;
    int hex = e->def->kind == WP_EV_CHECKSUM;
    wp_w(s, " (", 2);
    if (hex) {
        wp_w(s, "0x", 2);
        wp_sink_hex(s, e->val, 4);
    } else {
        wp_u64(s, e->val);
    }
    wp_puts(s, e->def->rel);
    if (hex) {
        wp_w(s, "0x", 2);
        wp_sink_hex(s, e->ref, 4);
    } else {
        wp_u64(s, e->ref);
    }
    wp_putc(s, ')');
}

/* ---- the unpacking detail of one field -------------------------------- */

static const char *conv_name(unsigned width, const wp_layer *l)
{
    int le = (l->flags & WP_LF_LITTLE_ENDIAN) != 0;
    switch (width) {
    case 1:
        return "byte";
    case 2:
        return le ? "le16toh" : "ntohs";
    case 4:
        return le ? "le32toh" : "ntohl";
    case 8:
        return le ? "le64toh" : "be64toh";
    default:
        return "bytes";
    }
}

void wp_rv_detail(wp_sink *s, const wp_packet *p, const wp_layer *l, const wp_field *f)
{
    uint32_t off, len;
    wp_field_span(l, f, &off, &len);
    wp_putc(s, '@');
    wp_u64(s, off);
    if (len > 1) {
        wp_w(s, "..", 2);
        wp_u64(s, off + len - 1);
    }
    wp_w(s, "  ", 2);
    uint32_t shown = 0;
    if (off <= p->caplen) {
        shown = len < p->caplen - off ? len : p->caplen - off;
        wp_sink_hexbytes(s, p->data + off, shown > 16 ? 16 : shown, ' ');
        if (shown > 16)
            wp_puts(s, " ...");
    }
    wp_w(s, "  ", 2);
    if (f->kind != WP_FK_UINT && f->kind != WP_FK_BOOL) {
        wp_puts(s, "bytes -> ");
        wp_rv_field(s, p, l, f, WP_VS_ASCII);
        return;
    }
    uint64_t v = wp_field_uint(l, f);
    uint64_t full = 0; /* the whole unit the field lives in, big-endian */
    for (uint32_t i = 0; i < shown && i < 8; i++)
        full = full << 8 | p->data[off + i];
    uint64_t unit_mask = f->width >= 8 ? ~0ull : (1ull << (f->width * 8)) - 1;
    if (f->mask && f->mask != unit_mask) {
        unsigned hd = f->width * 2u;
        if (f->width == 1) {
            wp_w(s, "(b0", 3);
        } else {
            wp_puts(s, conv_name(f->width, l));
            wp_puts(s, " -> 0x");
            wp_sink_hex(s, full, hd);
            wp_w(s, "  (w", 4);
        }
        wp_puts(s, " & 0x");
        wp_sink_hex(s, f->mask, hd);
        wp_putc(s, ')');
        if (f->shift) {
            wp_puts(s, " >> ");
            wp_u64(s, f->shift);
        }
        wp_puts(s, " = ");
    } else {
        wp_puts(s, conv_name(f->width, l));
        wp_puts(s, " -> ");
    }
    wp_u64(s, v);
    if (f->hex) {
        wp_puts(s, " (0x");
        wp_sink_hex(s, v, wp_field_hexdigits(f));
        wp_putc(s, ')');
    }
    if (f->mult) {
        wp_puts(s, "  * ");
        wp_u64(s, f->mult);
        wp_w(s, " = ", 3);
        wp_u64(s, v * f->mult);
        wp_puts(s, " bytes");
    }
    if (f->describe) {
        char buf[96];
        buf[0] = '\0';
        const char *d = f->describe(v, buf, sizeof buf);
        if (d && *d) {
            wp_w(s, "  ", 2);
            wp_puts(s, d);
        }
    }
}

/* ---- public string forms --------------------------------------------- */

const char *wp_render_field_value(const wp_packet *p, const wp_layer *l, const wp_field *f,
                                  char *buf, size_t n)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, n);
    wp_rv_field(&s, p, l, f, WP_VS_TEXT);
    wp_sink_term(&s);
    return buf;
}

const char *wp_render_field_detail(const wp_packet *p, const wp_layer *l, const wp_field *f,
                                   char *buf, size_t n)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, n);
    wp_rv_detail(&s, p, l, f);
    wp_sink_term(&s);
    return buf;
}

const char *wp_render_opt_text(const wp_packet *p, const wp_layer *l, const wp_opt *o, char *buf,
                               size_t n)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, n);
    wp_rv_opt_text(&s, p, l, o);
    wp_sink_term(&s);
    return buf;
}

const char *wp_render_event_text(const wp_event *e, char *buf, size_t n)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, n);
    if (e && e->def)
        wp_rv_event_text(&s, e);
    wp_sink_term(&s);
    return buf;
}
