/* IP reassembly as text (see render.h): the datagram's key, a fragment map
 * line and the events, shared by show (src/cli/show_reasm.c) and the view
 * (src/tui/), so both say the same thing in the same words. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/render.h"

static const struct {
    unsigned bit;
    const char *code, *text;
} ipr_events[] = {
    {WP_IPR_EV_OVERLAP, "ip.fragment_overlap", "overlaps bytes already held (the first copy is kept)"},
    {WP_IPR_EV_CONFLICT, "ip.fragment_conflict", "overlapping bytes differ from the copy kept"},
    {WP_IPR_EV_OVERSIZE, "ip.fragment_oversize", "offset + length beyond 65535 bytes: ignored"},
    {WP_IPR_EV_TOO_MANY, "ip.fragment_too_many", "too many fragments: the datagram is given up"},
    {WP_IPR_EV_POOL_FULL, "ip.reassembly_pool_full",
     "too many datagrams at once: the oldest is given up"},
    {WP_IPR_EV_CUT, "ip.fragment_cut", "the capture cut the fragment: it cannot be used"},
    {WP_IPR_EV_TAILS, "ip.fragment_multiple_tails",
     "a second last fragment with another end (the first is kept)"},
};

int wp_render_ipr_event(size_t i, unsigned *bit, const char **code, const char **text)
{
    if (i >= sizeof ipr_events / sizeof ipr_events[0])
        return 0;
    *bit = ipr_events[i].bit;
    *code = ipr_events[i].code;
    *text = ipr_events[i].text;
    return 1;
}

/* snprintf's count, clamped to what buf[n] holds. */
static size_t clamp(int k, size_t n)
{
    if (k < 0 || n == 0)
        return 0;
    return (size_t)k < n ? (size_t)k : n - 1;
}

size_t wp_render_ipr_key(const wp_ipr_dgram *d, char *buf, size_t n)
{
    char s[WP_IPV6_STRLEN], t[WP_IPV6_STRLEN];
    if (d->v6) {
        wp_fmt_ipv6(d->src, s);
        wp_fmt_ipv6(d->dst, t);
        return clamp(snprintf(buf, n, "IPv6 datagram %s -> %s id 0x%08lx next header %u", s, t,
                              (unsigned long)d->id, (unsigned)d->proto),
                     n);
    }
    wp_fmt_ipv4(d->src, s);
    wp_fmt_ipv4(d->dst, t);
    return clamp(snprintf(buf, n, "IPv4 datagram %s -> %s id 0x%04lx proto %u", s, t,
                          (unsigned long)d->id, (unsigned)d->proto),
                 n);
}

size_t wp_render_ipr_frag(const wp_ipr_frag *f, char *buf, size_t n)
{
    size_t k = clamp(snprintf(buf, n, "frame %-6llu @%llu..%llu  offset %llu (%llu × 8)  %llu bytes%s",
                              (unsigned long long)f->frame, (unsigned long long)f->off,
                              (unsigned long long)f->off + f->len - (f->len ? 1u : 0u),
                              (unsigned long long)f->off, (unsigned long long)(f->off / 8u),
                              (unsigned long long)f->len, f->more ? ", more fragments" : ", last"),
                     n);
    if (f->overlap && k < n)
        k += clamp(snprintf(buf + k, n - k, "; %llu bytes overlap, %llu used%s",
                            (unsigned long long)f->overlap, (unsigned long long)f->used,
                            f->conflict ? " (the overlapping bytes differ: the first copy is kept)"
                                        : " (the same bytes)"),
                   n - k);
    return k;
}

size_t wp_render_ipr_incomplete(const wp_ipr_dgram *d, const uint32_t (*holes)[2], unsigned nholes,
                                char *buf, size_t n)
{
    if (n == 0)
        return 0;
    size_t k = clamp(snprintf(buf, n, "incomplete "), n);
    k += wp_render_ipr_key(d, buf + k, n - k);
    if (k < n)
        k += clamp(snprintf(buf + k, n - k, ": frames "), n - k);
    for (uint32_t i = 0; i < d->nfrags && i < 16 && k < n; i++)
        k += clamp(snprintf(buf + k, n - k, "%s%llu", i ? ", " : "",
                            (unsigned long long)d->frags[i].frame),
                   n - k);
    if (d->nfrags > 16 && k < n)
        k += clamp(snprintf(buf + k, n - k, ", ..."), n - k);
    if (k < n)
        k += clamp(snprintf(buf + k, n - k, "; %llu bytes held%s", (unsigned long long)d->have,
                            nholes ? ", missing" : ""),
                   n - k);
    for (unsigned i = 0; i < nholes && k < n; i++) {
        if (holes[i][1])
            k += clamp(snprintf(buf + k, n - k, " %llu..%llu", (unsigned long long)holes[i][0],
                                (unsigned long long)holes[i][1] - 1u),
                       n - k);
        else
            k += clamp(snprintf(buf + k, n - k, " %llu.. (the last fragment never came)",
                                (unsigned long long)holes[i][0]),
                       n - k);
        if (i + 1 < nholes && k < n)
            k += clamp(snprintf(buf + k, n - k, ","), n - k);
    }
    if (!d->has_first && k < n)
        k += clamp(snprintf(buf + k, n - k, " (no first fragment)"), n - k);
    return k;
}
