/* Display-filter compiler: text into a bounded program (filter_int.h).
 *
 *   expr  := and { ("or" | "||") and }
 *   and   := unary { ("and" | "&&") unary }
 *   unary := ("not" | "!") unary | "(" expr ")" | test
 *   test  := NAME [ "[" SLICE "]" ]
 *            [ CMP value | "contains" value | "in" "{" elem { [","] elem } "}"
 *            | "&" NUMBER ]
 *   CMP   := == != ~= < <= > >= | eq ne any_ne all_ne lt le gt ge
 *   SLICE := i:j | i | i-j | i: | :j       (offsets may be negative: from the end)
 *   elem  := value | value..value
 *
 * "and" binds tighter than "or", as in Wireshark. A value is read by the
 * kind of the name's field: a number (decimal, 0x hex, 0 octal, true,
 * false), an IPv4 or IPv6 address with an optional /prefix, a MAC address,
 * bytes (08:00, 08-00, 08.00, 45, 0x45) or a "string". */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter_int.h"

typedef enum tok_type {
    T_EOF = 0,
    T_LPAREN,
    T_RPAREN,
    T_LBRACKET,
    T_RBRACKET,
    T_LBRACE,
    T_RBRACE,
    T_COMMA,
    T_AND,
    T_OR,
    T_NOT,
    T_CMP,
    T_BITAND,
    T_CONTAINS,
    T_IN,
    T_WORD,
    T_STRING,
    T_BAD,
} tok_type;

typedef struct tok {
    int type;   /* tok_type */
    int op;     /* T_CMP: wpf_op */
    size_t pos; /* offset in the expression */
    size_t len;
} tok;

typedef struct parser {
    const char *s;
    size_t n;
    size_t pos;  /* where the lexer reads next */
    tok t;       /* the current token */
    wp_filter *f;
    wp_filter_error *err;
    int depth;
    int failed;
} parser;

/* Record the first error (later ones are consequences). Returns -1. */
static int fail_at(parser *ps, size_t pos, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_at(parser *ps, size_t pos, size_t len, const char *fmt, ...)
{
    if (ps->failed)
        return -1;
    ps->failed = 1;
    if (ps->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err->msg, sizeof ps->err->msg, fmt, ap);
        va_end(ap);
        ps->err->pos = pos;
        ps->err->len = len ? len : 1;
    }
    return -1;
}

/* ---- lexer ------------------------------------------------------------- */

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' || c == '-' ||
           c == '/';
}

static int word_is(const parser *ps, const tok *t, const char *kw)
{
    return t->len == strlen(kw) && strncasecmp(ps->s + t->pos, kw, t->len) == 0;
}

/* Read the next token into ps->t. Each call consumes at least one byte
 * unless at the end. */
static void next(parser *ps)
{
    const char *s = ps->s;
    while (ps->pos < ps->n && isspace((unsigned char)s[ps->pos]))
        ps->pos++;
    tok *t = &ps->t;
    t->pos = ps->pos;
    t->len = 1;
    t->op = 0;
    if (ps->pos >= ps->n) {
        t->type = T_EOF;
        t->len = 0;
        return;
    }
    char c = s[ps->pos];
    char d = ps->pos + 1 < ps->n ? s[ps->pos + 1] : '\0';
    switch (c) {
    case '(':
        t->type = T_LPAREN;
        break;
    case ')':
        t->type = T_RPAREN;
        break;
    case '[':
        t->type = T_LBRACKET;
        break;
    case ']':
        t->type = T_RBRACKET;
        break;
    case '{':
        t->type = T_LBRACE;
        break;
    case '}':
        t->type = T_RBRACE;
        break;
    case ',':
        t->type = T_COMMA;
        break;
    case '&':
        t->type = d == '&' ? T_AND : T_BITAND;
        t->len = d == '&' ? 2 : 1;
        break;
    case '|':
        t->type = d == '|' ? T_OR : T_BAD;
        t->len = d == '|' ? 2 : 1;
        break;
    case '!':
        t->type = d == '=' ? T_CMP : T_NOT;
        t->op = WPF_OP_NE;
        t->len = d == '=' ? 2 : 1;
        break;
    case '=':
        t->type = d == '=' ? T_CMP : T_BAD;
        t->op = WPF_OP_EQ;
        t->len = d == '=' ? 2 : 1;
        break;
    case '~':
        t->type = d == '=' ? T_CMP : T_BAD;
        t->op = WPF_OP_ANY_NE;
        t->len = d == '=' ? 2 : 1;
        break;
    case '<':
    case '>':
        t->type = T_CMP;
        t->op = c == '<' ? (d == '=' ? WPF_OP_LE : WPF_OP_LT) : (d == '=' ? WPF_OP_GE : WPF_OP_GT);
        t->len = d == '=' ? 2 : 1;
        break;
    case '"': {
        size_t i = ps->pos + 1;
        while (i < ps->n && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < ps->n)
                i++;
            i++;
        }
        if (i >= ps->n) {
            t->type = T_BAD;
            t->len = ps->n - ps->pos;
            fail_at(ps, t->pos, t->len, "the string is not closed (a '\"' is missing)");
            ps->pos = ps->n;
            return;
        }
        t->type = T_STRING;
        t->len = i + 1 - ps->pos;
        break;
    }
    default:
        if (!word_char(c)) {
            t->type = T_BAD;
            break;
        }
        size_t i = ps->pos;
        while (i < ps->n && word_char(s[i]))
            i++;
        t->len = i - ps->pos;
        t->type = T_WORD;
        static const struct {
            const char *kw;
            int type, op;
        } kws[] = {
            {"and", T_AND, 0},       {"or", T_OR, 0},         {"not", T_NOT, 0},
            {"eq", T_CMP, WPF_OP_EQ}, {"ne", T_CMP, WPF_OP_NE}, {"all_ne", T_CMP, WPF_OP_NE},
            {"any_ne", T_CMP, WPF_OP_ANY_NE}, {"any_eq", T_CMP, WPF_OP_EQ},
            {"lt", T_CMP, WPF_OP_LT}, {"le", T_CMP, WPF_OP_LE}, {"gt", T_CMP, WPF_OP_GT},
            {"ge", T_CMP, WPF_OP_GE}, {"contains", T_CONTAINS, 0}, {"in", T_IN, 0},
        };
        for (size_t k = 0; k < sizeof kws / sizeof kws[0]; k++)
            if (word_is(ps, t, kws[k].kw)) {
                t->type = kws[k].type;
                t->op = kws[k].op;
                break;
            }
        break;
    }
    ps->pos = t->pos + t->len;
}

/* ---- literals ------------------------------------------------------------ */

/* Append n bytes to the literal pool; its offset, or -1 (error set). */
static long lit_add(parser *ps, const uint8_t *b, size_t n, const tok *t)
{
    wp_filter *f = ps->f;
    if (n > WPF_MAX_LIT - f->nlit)
        return fail_at(ps, t->pos, t->len, "the values are too long (more than %d bytes)",
                       WPF_MAX_LIT);
    long at = (long)f->nlit;
    memcpy(f->lit + f->nlit, b, n);
    f->nlit += (uint32_t)n;
    return at;
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

/* A number: decimal, 0x hex, 0-led octal, true or false. 0 or -1. */
static int parse_number(const char *s, size_t n, uint64_t *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (strcasecmp(buf, "true") == 0) {
        *out = 1;
        return 0;
    }
    if (strcasecmp(buf, "false") == 0) {
        *out = 0;
        return 0;
    }
    if (!isdigit((unsigned char)buf[0]))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 0);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* Bytes written as hex pairs with ':' '-' or '.' between them, one or two
 * hex digits alone (45), or 0x and an even count of hex digits. Returns the
 * count written into out (at most cap), or -1. */
static long parse_bytes(const char *s, size_t n, uint8_t *out, size_t cap)
{
    size_t k = 0;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if ((n - 2) % 2)
            return -1;
        for (size_t i = 2; i < n; i += 2) {
            int h = hexval(s[i]), l = hexval(s[i + 1]);
            if (h < 0 || l < 0 || k >= cap)
                return -1;
            out[k++] = (uint8_t)(h << 4 | l);
        }
        return (long)k;
    }
    size_t i = 0;
    char sep = 0;
    while (i < n) {
        int h = hexval(s[i]);
        if (h < 0 || k >= cap)
            return -1;
        int v = h;
        i++;
        if (i < n && hexval(s[i]) >= 0) {
            v = v << 4 | hexval(s[i]);
            i++;
        }
        out[k++] = (uint8_t)v;
        if (i == n)
            break;
        if (s[i] != ':' && s[i] != '-' && s[i] != '.')
            return -1;
        if (sep && s[i] != sep)
            return -1;
        sep = s[i];
        i++;
        if (i == n)
            return -1; /* a separator at the end */
    }
    return (long)k;
}

/* A MAC written as 0200.0000.0001 (Cisco's groups of four) too. */
static long parse_mac(const char *s, size_t n, uint8_t *out)
{
    long k = parse_bytes(s, n, out, 6);
    if (k == 6)
        return k;
    if (n == 14 && s[4] == '.' && s[9] == '.') {
        char hex[12];
        memcpy(hex, s, 4);
        memcpy(hex + 4, s + 5, 4);
        memcpy(hex + 8, s + 10, 4);
        for (int i = 0; i < 6; i++) {
            int h = hexval(hex[2 * i]), l = hexval(hex[2 * i + 1]);
            if (h < 0 || l < 0)
                return -1;
            out[i] = (uint8_t)(h << 4 | l);
        }
        return 6;
    }
    return -1;
}

/* An address of family af (4 or 16 bytes) with an optional /prefix. */
static int parse_addr(const char *s, size_t n, int af, uint8_t *out, unsigned *prefix)
{
    char buf[64];
    size_t alen = af == AF_INET ? 4 : 16;
    const char *slash = memchr(s, '/', n);
    size_t an = slash ? (size_t)(slash - s) : n;
    if (an == 0 || an >= sizeof buf)
        return -1;
    memcpy(buf, s, an);
    buf[an] = '\0';
    if (inet_pton(af, buf, out) != 1)
        return -1;
    *prefix = (unsigned)(alen * 8);
    if (slash) {
        uint64_t v;
        if (parse_number(slash + 1, n - an - 1, &v) != 0 || v > alen * 8 ||
            !isdigit((unsigned char)slash[1]))
            return -1;
        *prefix = (unsigned)v;
    }
    return 0;
}

/* Decode the string token t (quotes included) into out; its length or -1.
 * Escapes: \\ \" \n \t \r \0 \xHH. */
static long decode_string(parser *ps, const tok *t, uint8_t *out, size_t cap)
{
    const char *s = ps->s + t->pos + 1;
    size_t n = t->len - 2, k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            char e = s[++i];
            if (e == 'x' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && i + 2 < n &&
                hexval(s[i + 2]) >= 0) {
                c = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
                i += 2;
            } else if (e == 'n') {
                c = '\n';
            } else if (e == 't') {
                c = '\t';
            } else if (e == 'r') {
                c = '\r';
            } else if (e == '0') {
                c = '\0';
            } else {
                c = e;
            }
        }
        if (k >= cap)
            return fail_at(ps, t->pos, t->len, "the string is too long");
        out[k++] = (uint8_t)c;
    }
    return (long)k;
}

/* Read the literal of token t (a word of n bytes at word, or a string) for
 * a value of type vt into e's low end (hi: the range's high end). as_bytes:
 * read it as bytes whatever the type (contains). */
static int literal(parser *ps, const tok *t, const char *word, size_t n, int vt, int as_bytes,
                   wpf_elem *e, int hi)
{
    uint8_t buf[WPF_MAX_LIT];
    long k;
    unsigned prefix = 0;
    const char *what = "a value";
    if (t->type == T_STRING) {
        if (vt == WPF_V_NUM && !as_bytes)
            return fail_at(ps, t->pos, t->len,
                           "a string cannot be compared with a number field: write a number");
        k = decode_string(ps, t, buf, sizeof buf);
        if (k < 0)
            return -1;
        prefix = (unsigned)k * 8;
    } else if (vt == WPF_V_NUM && !as_bytes) {
        uint64_t v;
        if (parse_number(word, n, &v) != 0)
            return fail_at(ps, t->pos, t->len,
                           "\"%.*s\" is not a number (decimal, 0x hex, 0 octal, true or false)",
                           (int)n, word);
        if (hi)
            e->hi = v;
        else
            e->lo = e->hi = v;
        return 0;
    } else if ((vt == WPF_V_IPV4 || vt == WPF_V_IPV6) && !as_bytes) {
        int af = vt == WPF_V_IPV4 ? AF_INET : AF_INET6;
        what = vt == WPF_V_IPV4 ? "an IPv4 address (10.0.0.1, 10.0.0.0/8)"
                                : "an IPv6 address (2001:db8::1, 2001:db8::/32)";
        if (parse_addr(word, n, af, buf, &prefix) != 0)
            return fail_at(ps, t->pos, t->len, "\"%.*s\" is not %s", (int)n, word, what);
        k = vt == WPF_V_IPV4 ? 4 : 16;
    } else if (vt == WPF_V_MAC && !as_bytes) {
        k = parse_mac(word, n, buf);
        if (k != 6)
            return fail_at(ps, t->pos, t->len,
                           "\"%.*s\" is not a MAC address (02:00:00:00:00:01)", (int)n, word);
        prefix = 48;
    } else {
        k = parse_bytes(word, n, buf, sizeof buf);
        if (k <= 0)
            return fail_at(ps, t->pos, t->len,
                           "\"%.*s\" is not bytes (08:00, 08-00, 45, 0x0800) or a \"string\"",
                           (int)n, word);
        prefix = (unsigned)k * 8;
    }
    long at = lit_add(ps, buf, (size_t)k, t);
    if (at < 0)
        return -1;
    if (hi) {
        e->hoff = (uint16_t)at;
        e->hlen = (uint16_t)k;
    } else {
        e->boff = (uint16_t)at;
        e->blen = (uint16_t)k;
        e->prefix = (uint16_t)prefix;
    }
    return 0;
}

static wpf_elem *new_elem(parser *ps, const tok *t)
{
    wp_filter *f = ps->f;
    if (f->nelems >= WPF_MAX_ELEMS) {
        fail_at(ps, t->pos, t->len, "too many values (more than %d)", WPF_MAX_ELEMS);
        return NULL;
    }
    wpf_elem *e = &f->elems[f->nelems++];
    memset(e, 0, sizeof *e);
    return e;
}

/* One value (or, in a set, a range a..b) from the current token. */
static int value(parser *ps, const wpf_ref *r, int op, int in_set)
{
    tok t = ps->t;
    if (t.type != T_WORD && t.type != T_STRING)
        return fail_at(ps, t.pos, t.len, "a value was expected here");
    wpf_elem *e = new_elem(ps, &t);
    if (!e)
        return -1;
    const char *w = ps->s + t.pos;
    size_t n = t.len;
    const char *dd = NULL;
    if (in_set && t.type == T_WORD)
        for (size_t i = 0; i + 1 < n; i++)
            if (w[i] == '.' && w[i + 1] == '.') {
                dd = w + i;
                break;
            }
    int as_bytes = op == WPF_OP_CONTAINS;
    if (dd) {
        size_t ln = (size_t)(dd - w);
        tok lo = t, hi = t;
        lo.len = ln;
        hi.pos = t.pos + ln + 2;
        hi.len = n - ln - 2;
        if (ln == 0 || hi.len == 0)
            return fail_at(ps, t.pos, t.len, "a range is written low..high");
        if (literal(ps, &lo, w, ln, r->vtype, 0, e, 0) != 0 ||
            literal(ps, &hi, dd + 2, hi.len, r->vtype, 0, e, 1) != 0)
            return -1;
        e->is_range = 1;
        if (r->vtype != WPF_V_NUM && e->hlen != e->blen)
            return fail_at(ps, t.pos, t.len, "the two ends of the range differ in length");
        if (r->vtype == WPF_V_NUM ? e->lo > e->hi
                                  : memcmp(ps->f->lit + e->boff, ps->f->lit + e->hoff,
                                           e->blen) > 0)
            return fail_at(ps, t.pos, t.len, "the range's low end is above its high end");
    } else if (literal(ps, &t, w, n, r->vtype, as_bytes, e, 0) != 0) {
        return -1;
    }
    if (e->blen && e->prefix < e->blen * 8u && op != WPF_OP_EQ && op != WPF_OP_NE &&
        op != WPF_OP_ANY_NE && op != WPF_OP_IN)
        return fail_at(ps, t.pos, t.len, "an address block (/prefix) works only with ==, != and in");
    next(ps);
    return 0;
}

/* ---- names and slices ---------------------------------------------------- */

static int unknown_name(parser *ps, const tok *t)
{
    char name[WPF_NAME_MAX + 1];
    char near[3 * (WPF_NAME_MAX + 2)];
    size_t n = t->len < WPF_NAME_MAX ? t->len : WPF_NAME_MAX;
    memcpy(name, ps->s + t->pos, n);
    name[n] = '\0';
    if (isdigit((unsigned char)name[0]) || name[0] == ':')
        return fail_at(ps, t->pos, t->len,
                       "\"%.*s\" is a value, not a field name: a test starts with a field "
                       "(ip.ttl == 64)",
                       (int)t->len, ps->s + t->pos);
    if (wp_filter_suggest(name, near, sizeof near))
        return fail_at(ps, t->pos, t->len,
                       "\"%.*s\" is neither a field nor a protocol name (did you mean %s?)",
                       (int)t->len, ps->s + t->pos, near);
    return fail_at(ps, t->pos, t->len,
                   "\"%.*s\" is neither a field nor a protocol name (see wirepeel(1), DISPLAY "
                   "FILTERS)",
                   (int)t->len, ps->s + t->pos);
}

/* [i:j] [i] [i-j] [i:] [:j]; the current token is '['. */
static int slice(parser *ps, wpf_ref *r)
{
    size_t open = ps->t.pos;
    next(ps);
    tok t = ps->t;
    if (t.type != T_WORD)
        return fail_at(ps, t.pos, t.len, "a slice is [offset:length], [offset] or [from-to]");
    const char *w = ps->s + t.pos;
    char buf[48];
    if (t.len >= sizeof buf)
        return fail_at(ps, t.pos, t.len, "the slice is too long");
    memcpy(buf, w, t.len);
    buf[t.len] = '\0';
    char *colon = strchr(buf, ':');
    /* a '-' after the first character separates from-to */
    char *dash = buf[0] ? strchr(buf + 1, '-') : NULL;
    long long a = 0, b = 0;
    char *end;
    errno = 0;
    if (colon) {
        *colon = '\0';
        a = buf[0] ? strtoll(buf, &end, 10) : 0;
        if (buf[0] && (*end || errno))
            goto bad;
        if (colon[1]) {
            b = strtoll(colon + 1, &end, 10);
            if (*end || errno || b < 0)
                goto bad;
            r->slen = (uint32_t)b;
        } else {
            r->slice_to_end = 1;
        }
    } else if (dash) {
        *dash = '\0';
        a = strtoll(buf, &end, 10);
        if (*end || errno)
            goto bad;
        b = strtoll(dash + 1, &end, 10);
        if (*end || errno || b < a || a < 0)
            goto bad;
        r->slen = (uint32_t)(b - a + 1);
    } else {
        a = strtoll(buf, &end, 10);
        if (*end || errno || !buf[0])
            goto bad;
        r->slen = 1;
    }
    if (a < -65536 || a > 65536 || b > 65536)
        goto bad;
    r->soff = (int32_t)a;
    r->sliced = 1;
    r->vtype = WPF_V_BYTES;
    next(ps);
    if (ps->t.type != T_RBRACKET)
        return fail_at(ps, open, ps->t.pos + ps->t.len - open, "the slice is not closed with ']'");
    next(ps);
    return 0;
bad:
    return fail_at(ps, t.pos, t.len,
                   "\"%.*s\" is not a slice: write [offset:length], [offset] or [from-to]",
                   (int)t.len, w);
}

/* ---- nodes ----------------------------------------------------------------- */

static long new_node(parser *ps, int type, const tok *at)
{
    wp_filter *f = ps->f;
    if (f->nnodes >= WPF_MAX_NODES)
        return fail_at(ps, at->pos, at->len,
                       "the expression is too long (more than %d tests and operators)",
                       WPF_MAX_NODES);
    wpf_node *n = &f->nodes[f->nnodes];
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    return f->nnodes++;
}

static long parse_or(parser *ps);

static long parse_test(parser *ps)
{
    tok t = ps->t;
    if (t.type != T_WORD) {
        if (t.type == T_EOF)
            return fail_at(ps, t.pos, 1, "the expression ends where a test was expected");
        return fail_at(ps, t.pos, t.len, "\"%.*s\" was unexpected here: a field name was expected",
                       (int)t.len, ps->s + t.pos);
    }
    long id = new_node(ps, WPF_N_TEST, &t);
    if (id < 0)
        return -1;
    wpf_ref r;
    if (wp_filter_resolve_name(ps->s + t.pos, t.len, &r) != 0)
        return unknown_name(ps, &t);
    next(ps);
    if (ps->t.type == T_LBRACKET) {
        if (r.vtype == WPF_V_NUM)
            return fail_at(ps, ps->t.pos, ps->t.len,
                           "\"%.*s\" is a number: only protocols, addresses and bytes can be "
                           "sliced",
                           (int)t.len, ps->s + t.pos);
        if (slice(ps, &r) != 0)
            return -1;
    }
    wpf_node *n = &ps->f->nodes[id];
    n->ref = r;
    n->elem_first = ps->f->nelems;
    tok o = ps->t;
    switch (o.type) {
    case T_CMP:
        n->op = (uint8_t)o.op;
        next(ps);
        if (value(ps, &r, o.op, 0) != 0)
            return -1;
        break;
    case T_CONTAINS:
        if (r.vtype == WPF_V_NUM)
            return fail_at(ps, o.pos, o.len,
                           "\"%.*s\" is a number: contains works on protocols, addresses and "
                           "bytes",
                           (int)t.len, ps->s + t.pos);
        n->op = WPF_OP_CONTAINS;
        next(ps);
        if (value(ps, &r, WPF_OP_CONTAINS, 0) != 0)
            return -1;
        break;
    case T_IN:
        n->op = WPF_OP_IN;
        next(ps);
        if (ps->t.type != T_LBRACE)
            return fail_at(ps, ps->t.pos, ps->t.len, "in takes a set: in {80, 443}");
        next(ps);
        /* each element consumes at least one token; the element cap ends it */
        while (ps->t.type != T_RBRACE) {
            if (value(ps, &r, WPF_OP_IN, 1) != 0)
                return -1;
            if (ps->t.type == T_COMMA)
                next(ps);
        }
        if (ps->f->nelems == n->elem_first)
            return fail_at(ps, ps->t.pos, ps->t.len, "the set is empty");
        next(ps);
        break;
    case T_BITAND:
        if (r.vtype != WPF_V_NUM)
            return fail_at(ps, o.pos, o.len, "& tests bits of a number field (tcp.flags & 0x12)");
        n->op = WPF_OP_BITAND;
        next(ps);
        if (ps->t.type == T_STRING)
            return fail_at(ps, ps->t.pos, ps->t.len, "& takes a number (tcp.flags & 0x12)");
        if (value(ps, &r, WPF_OP_BITAND, 0) != 0)
            return -1;
        if (ps->t.type == T_CMP || ps->t.type == T_BITAND)
            return fail_at(ps, ps->t.pos, ps->t.len,
                           "a bit test stands alone: tcp.flags & 0x12 is true when any of "
                           "the bits is set");
        break;
    default:
        n->op = WPF_OP_EXISTS;
        break;
    }
    n->elem_count = (uint16_t)(ps->f->nelems - n->elem_first);
    return id;
}

static long parse_unary(parser *ps)
{
    tok t = ps->t;
    if (t.type == T_NOT || t.type == T_LPAREN) {
        if (++ps->depth > WPF_MAX_DEPTH)
            return fail_at(ps, t.pos, t.len, "nested too deeply (more than %d levels)",
                           WPF_MAX_DEPTH);
        next(ps);
        long r;
        if (t.type == T_NOT) {
            long a = parse_unary(ps);
            if (a < 0)
                return -1;
            r = new_node(ps, WPF_N_NOT, &t);
            if (r < 0)
                return -1;
            ps->f->nodes[r].a = (uint16_t)a;
        } else {
            r = parse_or(ps);
            if (r < 0)
                return -1;
            if (ps->t.type != T_RPAREN)
                return fail_at(ps, ps->t.pos, ps->t.len,
                               ps->t.type == T_EOF ? "the '(' here is not closed"
                                                   : "\"%.*s\" was unexpected here: a ')' or "
                                                     "and/or was expected",
                               (int)ps->t.len, ps->s + ps->t.pos);
            next(ps);
        }
        ps->depth--;
        return r;
    }
    return parse_test(ps);
}

/* One level of the binary operators: or (level 0) over and (level 1) over
 * unary tests, each left-associative. */
static long parse_binary(parser *ps, int level)
{
    const int op = level == 0 ? T_OR : T_AND;
    const int type = level == 0 ? WPF_N_OR : WPF_N_AND;
    long l = level == 0 ? parse_binary(ps, 1) : parse_unary(ps);
    while (l >= 0 && ps->t.type == op) {
        tok t = ps->t;
        next(ps);
        long r = level == 0 ? parse_binary(ps, 1) : parse_unary(ps);
        if (r < 0)
            return -1;
        long n = new_node(ps, type, &t);
        if (n < 0)
            return -1;
        ps->f->nodes[n].a = (uint16_t)l;
        ps->f->nodes[n].b = (uint16_t)r;
        l = n;
    }
    return l;
}

static long parse_or(parser *ps)
{
    return parse_binary(ps, 0);
}

wp_filter *wp_filter_compile(const char *expr, wp_filter_error *err)
{
    wp_filter_error scratch;
    if (!err)
        err = &scratch;
    memset(err, 0, sizeof *err);
    if (!expr)
        expr = "";
    wp_filter *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "out of memory compiling the display filter");
        return NULL;
    }
    parser ps = {.s = expr, .n = strlen(expr), .f = f, .err = err};
    next(&ps);
    if (ps.t.type == T_EOF && !ps.failed) {
        fail_at(&ps, 0, 1, "the display filter is empty");
    } else {
        long root = parse_or(&ps);
        if (root >= 0 && ps.t.type != T_EOF)
            fail_at(&ps, ps.t.pos, ps.t.len,
                    "\"%.*s\" was unexpected here: and, or or the end was expected",
                    (int)ps.t.len, expr + ps.t.pos);
        f->root = root >= 0 ? (uint16_t)root : 0;
    }
    if (ps.failed) {
        free(f);
        return NULL;
    }
    return f;
}

void wp_filter_free(wp_filter *f)
{
    free(f);
}

char *wp_filter_error_text(const char *expr, const wp_filter_error *e, char *buf, size_t n)
{
    if (!n)
        return buf;
    size_t len = expr ? strlen(expr) : 0;
    size_t pos = 0;
    int w = snprintf(buf, n, "%s\n    ", e->msg);
    pos = w > 0 && (size_t)w < n ? (size_t)w : n - 1;
    /* the expression, with tabs and line breaks as single spaces so the
     * caret lines up */
    for (size_t i = 0; i < len && pos + 1 < n; i++)
        buf[pos++] = isspace((unsigned char)expr[i]) ? ' ' : expr[i];
    const char *ind = "\n    ";
    for (size_t i = 0; ind[i] && pos + 1 < n; i++)
        buf[pos++] = ind[i];
    size_t at = e->pos <= len ? e->pos : len;
    for (size_t i = 0; i < at && pos + 1 < n; i++)
        buf[pos++] = ' ';
    for (size_t i = 0; i < (e->len ? e->len : 1) && pos + 1 < n; i++)
        buf[pos++] = i ? '~' : '^';
    if (pos + 1 < n)
        buf[pos++] = '\n';
    buf[pos] = '\0';
    return buf;
}
