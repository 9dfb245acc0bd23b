/* Quiz: grading one answer line. Equivalent forms are accepted (64, 0x40,
 * 0x0040, 0b1000000, "20 bytes"; addresses by value; names blind to case,
 * spaces and punctuation); known classic mistakes get their own reason. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/quiz.h"

/* s without surrounding spaces into out[n]; lower case. */
static void trim_lower(const char *s, char *out, size_t n)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        out[k++] = (char)tolower((unsigned char)*s);
    while (k && isspace((unsigned char)out[k - 1]))
        k--;
    out[k] = 0;
}

/* Parse a number with an optional unit word after it: "64", "0x40",
 * "0b1000000", "20 bytes", "20 B", "20bytes". 0 on success. */
static int parse_num(const char *s, uint64_t *v)
{
    char *end;
    int base = 10;
    const char *d = s;
    if (*s == '-' || *s == '+')
        return -1;
    if (s[0] == '0' && (s[1] == 'x')) {
        base = 16;
        d = s + 2;
    } else if (s[0] == '0' && s[1] == 'b') {
        base = 2;
        d = s + 2;
    }
    if (!isxdigit((unsigned char)*d))
        return -1;
    errno = 0;
    unsigned long long x = strtoull(d, &end, base);
    if (errno)
        return -1;
    while (*end == ' ')
        end++;
    static const char *const units[] = {"", "bytes", "byte", "b", "octets", "bits"};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i]) == 0) {
            *v = x;
            return 0;
        }
    return -1;
}

/* Letters and digits only: "Out-of-order" and "out of order" compare equal. */
static void squash(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (; *s && k + 1 < n; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)tolower((unsigned char)*s);
    out[k] = 0;
}

static int addr_equal(const char *a, const char *b)
{
    unsigned char x[16], y[16];
    if (inet_pton(AF_INET, a, x) == 1 && inet_pton(AF_INET, b, y) == 1)
        return memcmp(x, y, 4) == 0;
    if (inet_pton(AF_INET6, a, x) == 1 && inet_pton(AF_INET6, b, y) == 1)
        return memcmp(x, y, 16) == 0;
    return -1;
}

/* Whether ans is one of the '|'-separated forms of list (addresses by
 * value, the rest by squash()). */
static int forms_match(const char *list, const char *ans)
{
    char want[160], sa[128], sw[128];
    snprintf(want, sizeof want, "%s", list);
    squash(ans, sa, sizeof sa);
    if (!sa[0])
        return 0;
    for (char *save = NULL, *tok = strtok_r(want, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
        int ae = addr_equal(tok, ans);
        if (ae >= 0) {
            if (ae)
                return 1;
            continue;
        }
        squash(tok, sw, sizeof sw);
        if (strcmp(sa, sw) == 0)
            return 1;
    }
    return 0;
}

static int text_match(const wp_quiz_q *q, const char *ans)
{
    return forms_match(q->accept, ans);
}

/* Skip spaces and one of the words w (NULL-terminated list) at *s. */
static const char *skip_word(const char *s, const char *const *w)
{
    while (*s == ' ')
        s++;
    for (; *w; w++) {
        size_t n = strlen(*w);
        if (strncmp(s, *w, n) == 0 && (s[n] == ' ' || s[n] == 0 || isdigit((unsigned char)s[n]))) {
            s += n;
            break;
        }
    }
    while (*s == ' ')
        s++;
    return s;
}

/* A decimal number at *s (then past it); -1 when there is none. */
static int dec(const char **s, uint64_t *v)
{
    char *e;
    if (!isdigit((unsigned char)**s))
        return -1;
    errno = 0;
    unsigned long long x = strtoull(*s, &e, 10);
    if (errno || x > 0xffffu)
        return -1;
    *v = x;
    *s = e;
    return 0;
}

/* "A-B", "A..B", "A to B" or "A" at *s: the range's ends. */
static int range(const char **s, uint64_t *a, uint64_t *b)
{
    if (dec(s, a) != 0)
        return -1;
    const char *p = *s;
    while (*p == ' ')
        p++;
    if (*p == '-')
        p++;
    else if (strncmp(p, "..", 2) == 0)
        p += 2;
    else if (strncmp(p, "to ", 3) == 0)
        p += 3;
    else {
        *b = *a;
        return 0;
    }
    while (*p == ' ')
        p++;
    if (dec(&p, b) != 0 || *b < *a)
        return -1;
    *s = p;
    return 0;
}

/* A bit range: "bits 4-7", "bit 9", "4..7", "bits 4-7 of byte 0" (bits
 * of that byte), "byte 8", "bytes 2-3" (whole bytes). Encoded as
 * first << 16 | last; 0 on success. */
static int parse_bits(const char *s, uint64_t *out)
{
    static const char *const bitw[] = {"bits", "bit", NULL};
    static const char *const bytew[] = {"bytes", "byte", NULL};
    static const char *const ofw[] = {"of byte", "in byte", NULL};
    uint64_t a, b;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (strncmp(p, "byte", 4) == 0) { /* bytes A-B: whole bytes */
        p = skip_word(p, bytew);
        if (range(&p, &a, &b) != 0 || b * 8 + 7 > 0xffffu)
            return -1;
        while (*p == ' ')
            p++;
        if (*p)
            return -1;
        *out = (a * 8) << 16 | (b * 8 + 7);
        return 0;
    }
    p = skip_word(s, bitw);
    if (range(&p, &a, &b) != 0)
        return -1;
    const char *q = skip_word(p, ofw);
    if (q != p) {
        uint64_t k;
        if (dec(&q, &k) != 0 || a > 7 || b > 7 || k * 8 + 7 > 0xffffu)
            return -1;
        a += k * 8;
        b += k * 8;
        p = q;
    }
    while (*p == ' ')
        p++;
    if (*p)
        return -1;
    *out = a << 16 | b;
    return 0;
}

/* TCP flag names in any order, separated by anything but letters and
 * digits ("SYN, ACK", "syn+ack", "SYN-ACK"), "synack", "none"; or the
 * flags' value. The bits; 0 on success. */
static int parse_flags(const char *s, uint64_t *out)
{
    static const char *const names[] = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ae"};
    if (parse_num(s, out) == 0)
        return *out <= 0xfffu ? 0 : -1;
    uint64_t v = 0;
    int any = 0;
    while (*s) {
        if (!isalnum((unsigned char)*s)) {
            s++;
            continue;
        }
        size_t n = 0;
        while (isalnum((unsigned char)s[n]))
            n++;
        int found = 0;
        for (unsigned i = 0; i < 9 && !found; i++)
            if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0) {
                v |= 1u << i;
                found = 1;
            }
        if (!found && n == 6 && strncmp(s, "synack", 6) == 0) {
            v |= 0x012;
            found = 1;
        } else if (!found && n == 6 && strncmp(s, "finack", 6) == 0) {
            v |= 0x011;
            found = 1;
        } else if (!found && ((n == 4 && strncmp(s, "none", 4) == 0) || (n == 3 && strncmp(s, "and", 3) == 0) ||
                              (n == 5 && strncmp(s, "flags", 5) == 0))) {
            found = 1;
        }
        if (!found)
            return -1;
        any = 1;
        s += n;
    }
    if (!any)
        return -1;
    *out = v;
    return 0;
}

/* The known mistake ans makes: a written-out wrong form, or a wrong value
 * (v, when have_v); NULL for none. */
static const char *mistake_of(const wp_quiz_q *q, const char *ans, int have_v, uint64_t v)
{
    for (unsigned i = 0; i < q->nmist && i < WP_QUIZ_MAX_MISTAKES; i++) {
        const wp_quiz_mistake *m = &q->mist[i];
        if (m->form[0] ? forms_match(m->form, ans) : (have_v && m->val == v))
            return m->why;
    }
    return NULL;
}

static int verdict(const char *m, const char **why)
{
    if (!m)
        return WP_QV_WRONG;
    if (why)
        *why = m;
    return WP_QV_MISTAKE;
}

/* The frame numbers of list s (commas, spaces, "and", "frames"), sorted
 * into v[cap]; their count, or -1 for anything else in s or too many. */
static int frame_list(const char *s, uint64_t *v, int cap)
{
    int n = 0;
    while (*s) {
        if (*s == ',' || *s == ' ' || *s == '#') {
            s++;
        } else if (strncmp(s, "and", 3) == 0) {
            s += 3;
        } else if (strncmp(s, "frames", 6) == 0) {
            s += 6;
        } else if (*s >= '0' && *s <= '9') {
            char *e;
            unsigned long long x = strtoull(s, &e, 10);
            if (n == cap)
                return -1;
            int k = n++;
            while (k > 0 && v[k - 1] > x) { /* insertion keeps v sorted */
                v[k] = v[k - 1];
                k--;
            }
            v[k] = x;
            s = e;
        } else {
            return -1;
        }
    }
    return n;
}

int wp_quiz_grade(const wp_quiz_q *q, const char *ans, const char **why)
{
    char a[128];
    if (why)
        *why = NULL;
    trim_lower(ans ? ans : "", a, sizeof a);
    if (!a[0])
        return WP_QV_EMPTY;
    uint64_t v = 0;
    if (q->akind == WP_QA_TEXT) {
        if (text_match(q, a))
            return WP_QV_RIGHT;
        int have = parse_num(a, &v) == 0;
        return verdict(mistake_of(q, a, have, v), why);
    }
    if (q->akind == WP_QA_BITS || q->akind == WP_QA_FLAGS) {
        int have = (q->akind == WP_QA_BITS ? parse_bits(a, &v) : parse_flags(a, &v)) == 0;
        if (have && v == q->num)
            return WP_QV_RIGHT;
        return verdict(mistake_of(q, a, have, v), why);
    }
    if (q->akind == WP_QA_FRAMES) {
        uint64_t got[32], want[32];
        int ng = frame_list(a, got, 32), nw = frame_list(q->answer, want, 32);
        int same = ng >= 0 && ng == nw;
        for (int i = 0; same && i < ng; i++)
            if (got[i] != want[i] || (i && got[i] == got[i - 1]))
                same = 0;
        return same ? WP_QV_RIGHT : verdict(mistake_of(q, a, 0, 0), why);
    }
    if (q->akind == WP_QA_FRAME && (strcmp(a, "none") == 0 || strcmp(a, "no reply") == 0 ||
                                    strcmp(a, "-") == 0))
        return q->num == 0 ? WP_QV_RIGHT : verdict(mistake_of(q, a, 0, 0), why);
    const char *p = a;
    if (q->akind == WP_QA_FRAME && strncmp(p, "frame ", 6) == 0)
        p += 6;
    int have = parse_num(p, &v) == 0;
    if (have && v == q->num && !(q->akind == WP_QA_FRAME && q->num == 0))
        return WP_QV_RIGHT;
    return verdict(mistake_of(q, a, have, v), why);
}
