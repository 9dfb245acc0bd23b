/* Quiz: grading one answer line. Equivalent forms are accepted (64, 0x40,
 * 0x0040, 0b1000000, "20 bytes"; addresses by value; names blind to case,
 * spaces and punctuation); known classic mistakes get their own reason. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
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

static int text_match(const wp_quiz_q *q, const char *ans)
{
    char want[sizeof q->accept], sa[128], sw[128];
    memcpy(want, q->accept, sizeof want);
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
    if (q->akind == WP_QA_TEXT)
        return text_match(q, a) ? WP_QV_RIGHT : WP_QV_WRONG;
    if (q->akind == WP_QA_FRAMES) {
        uint64_t got[32], want[32];
        int ng = frame_list(a, got, 32), nw = frame_list(q->answer, want, 32);
        if (ng < 0 || ng != nw)
            return WP_QV_WRONG;
        for (int i = 0; i < ng; i++)
            if (got[i] != want[i] || (i && got[i] == got[i - 1]))
                return WP_QV_WRONG;
        return WP_QV_RIGHT;
    }
    if (q->akind == WP_QA_FRAME && (strcmp(a, "none") == 0 || strcmp(a, "no reply") == 0 ||
                                    strcmp(a, "-") == 0))
        return q->num == 0 ? WP_QV_RIGHT : WP_QV_WRONG;
    uint64_t v;
    const char *p = a;
    if (q->akind == WP_QA_FRAME && strncmp(p, "frame ", 6) == 0)
        p += 6;
    if (parse_num(p, &v) != 0)
        return WP_QV_WRONG;
    if (v == q->num && !(q->akind == WP_QA_FRAME && q->num == 0))
        return WP_QV_RIGHT;
    for (unsigned i = 0; i < q->nmist; i++)
        if (q->mist[i].val == v) {
            if (why)
                *why = q->mist[i].why;
            return WP_QV_MISTAKE;
        }
    return WP_QV_WRONG;
}
