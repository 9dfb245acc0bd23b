/* HTTP/1.x (RFC 9112): the start line (a request's method, target and
 * version, or a response's version, status and reason) and each header
 * line's name and value, read only from this segment's bytes: there is no
 * reassembly, so a line the segment (or the capture) ends inside is a
 * truncation event. The body after the empty line stays payload.
 *
 * Strings are not copied: the header struct keeps frame offsets and lengths
 * (wp_text), and each header line is one wp_opt in wp_packet.opts:
 *   off   the line's first byte (the name's)
 *   v[0]  the name's length
 *   v[1]  the value's frame offset (after the colon and optional white space)
 *   v[2]  the value's length (trailing white space left out)
 *   v[3]  the line's length, its line ending left out
 * kind and len stay 0 (a line is longer than the 8-bit len). */
#include "proto.h"

/* Caps: a line longer than this, or more header lines than this, is an
 * event and the rest of the segment is shown as payload. The pool of
 * options (WP_MAX_OPTS per packet) is the other bound. */
#define HTTP_LINE_MAX 8192u
#define HTTP_HEADERS_MAX 48u

static const wp_event_def ev_unterminated = {
    "http.line_unterminated", "an HTTP line has no end in this segment (no reassembly)",
    WP_EV_TRUNCATED, " bytes at "};
static const wp_event_def ev_line_long = {"http.line_too_long",
                                          "an HTTP line is longer than the cap: the rest is payload",
                                          WP_EV_NOTE, " > "};
static const wp_event_def ev_headers_cap = {
    "http.headers_cap", "more HTTP header lines than wirepeel keeps: the rest is payload",
    WP_EV_NOTE, " >= "};
static const wp_event_def ev_start_invalid = {
    "http.start_line_invalid", "the HTTP start line is not METHOD TARGET VERSION or VERSION CODE REASON",
    WP_EV_INVALID, NULL};
static const wp_event_def ev_header_invalid = {
    "http.header_invalid", "an HTTP header line has no colon: the rest is payload",
    WP_EV_INVALID, NULL};

static int is_request(const wp_layer *l)
{
    return !l->h.http.response;
}

static int is_response(const wp_layer *l)
{
    return l->h.http.response;
}

static const wp_field fields[] = {
    {.name = "method", .title = "Request method", .fmt = 's', .kind = WP_FK_TEXT,
     WP_FIELD_AT(wp_http_hdr, method), .present = is_request},
    {.name = "uri", .title = "Request target", .fmt = 's', .kind = WP_FK_TEXT,
     WP_FIELD_AT(wp_http_hdr, uri), .present = is_request},
    {.name = "version", .title = "Version", .fmt = 's', .kind = WP_FK_TEXT,
     WP_FIELD_AT(wp_http_hdr, version)},
    {.name = "status", .title = "Status code", .fmt = 's', .kind = WP_FK_TEXT,
     .flags = WP_FF_DIGITS, WP_FIELD_AT(wp_http_hdr, status), .present = is_response},
    {.name = "reason", .title = "Reason phrase", .fmt = 's', .kind = WP_FK_TEXT,
     WP_FIELD_AT(wp_http_hdr, reason), .present = is_response},
    {.name = "headers", .title = "Header lines", .fmt = 's', .kind = WP_FK_OPTIONS},
};

const wp_proto_info wp_http_info = {"http", "Hypertext Transfer Protocol", "HTTP", fields,
                                    sizeof fields / sizeof fields[0]};

static int is_method(const uint8_t *b, uint32_t n)
{
    static const struct {
        char s[8];
        uint8_t n;
    } methods[] = {{"GET", 3},  {"POST", 4},    {"HEAD", 4},  {"PUT", 3},  {"DELETE", 6},
                   {"OPTIONS", 7}, {"CONNECT", 7}, {"TRACE", 5}, {"PATCH", 5}};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (n == methods[i].n && memcmp(b, methods[i].s, n) == 0)
            return 1;
    return 0;
}

int wp_http_start(const uint8_t *b, uint32_t n)
{
    /* cheap first: a start line begins with an upper-case letter */
    if (n < 4 || b[0] < 'A' || b[0] > 'Z')
        return 0;
    if (n >= 7 && memcmp(b, "HTTP/1.", 7) == 0)
        return 1;
    for (uint32_t i = 3; i <= 7 && i < n; i++)
        if (b[i] == ' ')
            return is_method(b, i);
    return 0;
}

static wp_text text_at(uint32_t off, uint32_t len)
{
    wp_text t = {off, len};
    return t;
}

/* The start line b[0..n) at frame offset at; complete says whether its
 * end was seen (a cut line sets only the parts that end before the cut).
 * Returns 0 when a complete line does not have the parts it must. */
static int start_line(wp_http_hdr *h, const uint8_t *b, uint32_t n, uint32_t at, int complete)
{
    uint32_t sp1 = 0;
    while (sp1 < n && b[sp1] != ' ')
        sp1++;
    if (n >= 5 && memcmp(b, "HTTP/", 5) == 0) {
        h->response = 1;
        if (sp1 == n)
            return !complete;
        h->version = text_at(at, sp1);
        uint32_t d = sp1 + 1;
        uint32_t e = d;
        while (e < n && b[e] != ' ')
            e++;
        if (e == n && !complete)
            return 1;
        if (e - d != 3)
            return 0;
        for (uint32_t i = d; i < e; i++)
            if (b[i] < '0' || b[i] > '9')
                return 0;
        h->status = text_at(at + d, 3);
        h->status_code =
            (uint16_t)((b[d] - '0') * 100 + (b[d + 1] - '0') * 10 + (b[d + 2] - '0'));
        /* the reason may be empty, and its space left out */
        if (complete)
            h->reason = e < n ? text_at(at + e + 1, n - e - 1) : text_at(at + e, 0);
        return 1;
    }
    if (sp1 == n || sp1 == 0)
        return !complete;
    h->method = text_at(at, sp1);
    uint32_t u = sp1 + 1, e = u;
    while (e < n && b[e] != ' ')
        e++;
    if (e == n)
        return !complete;
    if (e == u)
        return 0;
    h->uri = text_at(at + u, e - u);
    if (!complete)
        return 1;
    if (n - e - 1 < 5 || memcmp(b + e + 1, "HTTP/", 5) != 0)
        return 0;
    h->version = text_at(at + e + 1, n - e - 1);
    return 1;
}

/* Header line b[0..n) at frame offset at into option o; 0 without a colon. */
static int header_line(wp_opt *o, const uint8_t *b, uint32_t n, uint32_t at)
{
    uint32_t c = 0;
    while (c < n && b[c] != ':')
        c++;
    if (c == n || c == 0)
        return 0;
    uint32_t v = c + 1, e = n;
    while (v < e && (b[v] == ' ' || b[v] == '\t'))
        v++;
    while (e > v && (b[e - 1] == ' ' || b[e - 1] == '\t'))
        e--;
    o->off = at;
    o->nv = 4;
    o->v[0] = c;
    o->v[1] = at + v;
    o->v[2] = e - v;
    o->v[3] = n;
    return 1;
}

void wp_http_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_HTTP);
    if (!l)
        return;
    wp_http_hdr *h = &l->h.http;
    const uint8_t *b = c.buf;
    uint32_t n = (uint32_t)c.len, pos = 0;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    nx->proto = WP_PROTO_PAYLOAD;
    /* One pass per line; each consumes at least its line ending, and the
     * header count and the line length are capped. */
    for (unsigned line = 0;; line++) {
        uint32_t rest = n - pos, scan = rest < HTTP_LINE_MAX ? rest : HTTP_LINE_MAX;
        uint32_t e = 0;
        while (e < scan && b[pos + e] != '\n')
            e++;
        if (e == scan) {
            if (scan < rest) {
                wp_pkt_event(p, l, &ev_line_long, rest, HTTP_LINE_MAX);
            } else if (rest > 0 || line == 0) {
                /* the segment ends inside a line (or before any) */
                l->flags |= WP_LF_TRUNCATED;
                wp_pkt_event(p, l, &ev_unterminated, rest, nx->off + pos);
                if (line == 0) {
                    (void)start_line(h, b, rest, nx->off, 0);
                    pos = n;
                }
            }
            break;
        }
        uint32_t len = e > 0 && b[pos + e - 1] == '\r' ? e - 1 : e;
        uint32_t at = nx->off + pos;
        if (line == 0) {
            if (!start_line(h, b + pos, len, at, 1)) {
                wp_pkt_event(p, l, &ev_start_invalid, 0, 0);
                pos += e + 1;
                break;
            }
        } else if (len == 0) {
            pos += e + 1; /* the empty line: the header ends, the body is payload */
            break;
        } else {
            if (h->nheaders >= HTTP_HEADERS_MAX) {
                wp_pkt_event(p, l, &ev_headers_cap, h->nheaders, HTTP_HEADERS_MAX);
                break;
            }
            wp_opt *o = wp_pkt_opt(p, l);
            if (!o) {
                wp_pkt_event(p, l, &ev_headers_cap, h->nheaders, h->nheaders);
                break;
            }
            if (!header_line(o, b + pos, len, at)) {
                p->nopts--; /* the option just taken: this line is not a header */
                l->opt_count--;
                wp_pkt_event(p, l, &ev_header_invalid, 0, 0);
                break;
            }
            h->nheaders++;
        }
        pos += e + 1;
    }
    l->hdr_len = pos;
    nx->off += pos;
}
