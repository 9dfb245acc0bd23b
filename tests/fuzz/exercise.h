/* Shared by tools/sweep.c, the fuzz harnesses and tests/unit/test_regress.c:
 * the link types a fuzz input's first byte picks from, a walk that touches
 * everything the renderers and the view read from a decoded packet, and the
 * structural promises every decoded packet must keep. */
#ifndef WP_FUZZ_EXERCISE_H
#define WP_FUZZ_EXERCISE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/filter.h"
#include "wirepeel/flow.h"
#include "wirepeel/packet.h"
#include "wirepeel/diagram.h"
#include "wirepeel/render.h"
#include "tui/layout.h"

/* The link types a fuzz input's first byte selects (byte % count). 12 and
 * 14 are DLT_RAW as some systems write it; 147 (USER0) is a link type the
 * decoder does not know, shown as raw bytes. */
static const int wp_fuzz_links[] = {
    WP_LINK_EN10MB, WP_LINK_NULL,       WP_LINK_LOOP, WP_LINK_RAW, 12, 14,
    WP_LINK_LINUX_SLL, WP_LINK_LINUX_SLL2, WP_LINK_IPV4, WP_LINK_IPV6, 147,
};
#define WP_FUZZ_NLINKS (sizeof wp_fuzz_links / sizeof wp_fuzz_links[0])

/* Index of linktype in wp_fuzz_links, or -1. */
static inline int wp_fuzz_link_index(int linktype)
{
    for (size_t i = 0; i < WP_FUZZ_NLINKS; i++)
        if (wp_fuzz_links[i] == linktype)
            return (int)i;
    return -1;
}

/* Byte 0 of a fuzz input: low 7 bits pick the link type; the top bit says
 * the wire length is longer than the bytes given (a snap-length cut). The
 * input's length picks the timestamp, mostly the ordinary one, sometimes one
 * at the edges of what the timestamp writers take (years clamped to 7
 * digits, before 1970, nanoseconds out of range). */
static inline void wp_fuzz_frame(const uint8_t *in, size_t n, wp_frame *f)
{
    static const struct {
        int64_t sec;
        uint32_t nsec;
    } ts[] = {{1700000000, 0},         {1700000000, 0},          {1700000000, 0},
              {1700000000, 123456789}, {INT64_MAX, 999999999},   {INT64_MIN, 999999999},
              {-1, 1},                 {253402300800, 4294967295u}};
    memset(f, 0, sizeof *f);
    f->ts_sec = ts[n % (sizeof ts / sizeof ts[0])].sec;
    f->ts_nsec = ts[n % (sizeof ts / sizeof ts[0])].nsec;
    if (n == 0) {
        f->linktype = WP_LINK_EN10MB;
        return;
    }
    f->linktype = wp_fuzz_links[(in[0] & 0x7f) % WP_FUZZ_NLINKS];
    f->data = in + 1;
    f->caplen = (uint32_t)(n - 1);
    f->len = f->caplen + ((in[0] & 0x80) ? 1000u : 0u);
}

static inline int wp_is_data_proto(unsigned proto)
{
    return proto == WP_PROTO_PAYLOAD || proto == WP_PROTO_FRAGMENT ||
           proto == WP_PROTO_TRAILER || proto == WP_PROTO_RAW;
}

/* Touch everything the renderers and the view read: every field of every
 * layer through the packet.h accessors, formats, option names, event texts,
 * and (when built) every renderer into a memory sink of cap bytes at buf.
 * Returns a sum of what was read, so nothing is optimised away. */
/* FNV-1a of b[0..n): compares two renderings kept in one buffer. */
static inline uint64_t wp_exercise_hash(const char *b, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)b[i]) * 1099511628211ull;
    return h;
}

static inline uint64_t wp_exercise_packet(const wp_packet *p, uint64_t no, char *buf, size_t cap)
{
    uint64_t acc = 0;
    char tmp[1024];
    for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        acc += strlen(pi->name) + strlen(pi->title) + strlen(pi->short_name);
        acc += strlen(wp_layer_format(l, tmp, sizeof tmp));
        const char *cs = wp_layer_csum_name(l);
        acc += cs ? strlen(cs) : 0;
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            uint32_t off, len;
            acc += wp_field_uint(l, f);
            const uint8_t *b = wp_field_bytes(l, f);
            for (unsigned j = 0; b && j < f->ssize; j++)
                acc += b[j];
            wp_field_span(l, f, &off, &len);
            acc += off + len;
            if (!wp_field_shown(p, l, f))
                continue;
            if (f->describe)
                acc += f->describe(wp_field_uint(l, f), tmp, sizeof tmp) ? 1 : 0;
            acc += strlen(wp_render_field_value(p, l, f, tmp, sizeof tmp));
            acc += strlen(wp_render_field_detail(p, l, f, tmp, sizeof tmp));
        }
        for (unsigned k = 0; k < l->opt_count && l->opt_first + k < p->nopts; k++) {
            const char *nm = wp_opt_name(l->proto, p->opts[l->opt_first + k].kind);
            acc += nm ? strlen(nm) : 0;
        }
    }
    for (unsigned i = 0; i < p->nevents && i < WP_MAX_EVENTS; i++) {
        const wp_event_def *d = p->events[i].def;
        if (d)
            acc += strlen(d->code) + strlen(d->text) + (d->rel ? strlen(d->rel) : 0);
    }
    acc += wp_linktype_name(p->linktype) ? 1 : 0;
    for (int out = WP_OUT_SUMMARY; out <= WP_OUT_DIAGRAM; out++) {
        for (int color = 0; color < (out == WP_OUT_HEX ? 2 : 1); color++) {
            wp_render_opts o;
            memset(&o, 0, sizeof o);
            o.color = color;
            wp_sink s;
            wp_sink_init_mem(&s, buf, cap);
            wp_render(&s, (wp_output)out, p, no, &o);
            acc += s.len;
            /* again through a renderer that has rendered this frame once
             * (its plans and caches warm): the same bytes, or abort */
            size_t len1 = s.len;
            uint64_t h1 = wp_exercise_hash(buf, len1);
            wp_renderer *r = wp_renderer_new(&o);
            if (r) {
                wp_renderer_frame(r, &s, (wp_output)out, p, no);
                wp_sink_init_mem(&s, buf, cap);
                wp_renderer_frame(r, &s, (wp_output)out, p, no);
                if (s.len != len1 || wp_exercise_hash(buf, s.len) != h1)
                    abort();
                wp_renderer_free(r);
            }
        }
    }
    acc += strlen(wp_render_summary_line(p, no, tmp, sizeof tmp));
    /* wirepeel diagram's SVG and HTML (the text is -o diagram above; the
     * Markdown is that text again; the TSV is cells the unit test checks).
     * They cost twice the other renderers together, so the snap-length
     * sweep draws them at every 8th cut and the whole frame only: which
     * cells a cut leaves missing is the model's work, that the text
     * diagram exercises at every length. */
    for (int fmt = WP_DIAG_SVG; fmt <= WP_DIAG_HTML && ((p->caplen & 7u) == 0 || p->caplen == p->len);
         fmt++) {
        wp_sink s;
        wp_sink_init_mem(&s, buf, cap);
        wp_diag_write(&s, (wp_diag_format)fmt, p, no, -1, 0);
        acc += s.len;
    }
    return acc;
}

/* Feed p (frame no) to the conversation tracker t and render it with its
 * annotation in the formats that show one, and every analysis label's
 * reason. Returns a sum of lengths (to keep the work). */
static inline uint64_t wp_exercise_flow(wp_flow *t, const wp_packet *p, uint64_t no, char *buf,
                                        size_t cap)
{
    uint64_t acc = 0;
    wp_flow_ann a;
    char tmp[256];
    wp_flow_track(t, p, no, &a);
    acc += a.stream + a.seq + a.analysis;
    for (unsigned i = 0; i < WP_FA_COUNT; i++)
        acc += strlen(wp_flow_reason(&a, 1u << i, tmp, sizeof tmp));
    wp_render_opts o;
    memset(&o, 0, sizeof o);
    o.flow = &a;
    static const wp_output outs[] = {WP_OUT_SUMMARY, WP_OUT_LAYERS, WP_OUT_JSON, WP_OUT_FIELDS};
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        wp_sink s;
        wp_sink_init_mem(&s, buf, cap);
        wp_render(&s, outs[i], p, no, &o);
        acc += s.len;
    }
    return acc;
}

/* Lay p out at a few widths and read every detail and recipe line, as the
 * view does when a user walks the fields. lo is caller storage (large). */
static inline uint64_t wp_exercise_layout(const wp_packet *p, wp_layout *lo, const int *widths,
                                          size_t nwidths)
{
    uint64_t acc = 0;
    char tmp[4096];
    /* the view's box above the packet (its fragment map): the frame's own
     * bytes as its text, zeros as line ends, to wrap and cut */
    char pre[1024];
    size_t np = p->caplen < sizeof pre - 1 ? p->caplen : sizeof pre - 1;
    for (size_t i = 0; i < np; i++)
        pre[i] = p->data[i] ? (char)p->data[i] : '\n';
    pre[np] = '\0';
    for (size_t w = 0; w < nwidths; w++) {
        /* every header a field a row, and the view's first look (the
         * innermost header a row, the others flowed) */
        lo->pre = w % 2 ? pre : NULL;
        lo->pre_title = " pre ";
        wp_layout_build(lo, p, widths[w], w % 2 ? -1 : wp_layout_default_focus(p));
        acc += (uint64_t)lo->height + (uint64_t)lo->nitems;
        for (int i = 0; i < lo->nfields && i < WP_LAYOUT_MAX_FIELDS; i++)
            acc += strlen(wp_layout_detail(p, &lo->fields[i], tmp, sizeof tmp));
    }
    lo->pre = NULL;
    for (unsigned i = 0; i < p->nlayers; i++)
        acc += strlen(wp_layout_recipe(p, i, tmp, sizeof tmp));
    return acc;
}

/* Whether event code ends in ".truncated". */
static inline int wp_code_is_truncated(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    return n >= 10 && strcmp(code + n - 10, ".truncated") == 0;
}

/* Append one formatted line to out[out_n] at *pos (cut if it runs out);
 * returns 1, the count of broken promises it stands for. */
static inline unsigned wp_check_say(char *out, size_t out_n, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline unsigned wp_check_say(char *out, size_t out_n, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    if (out_n < 2 || *pos >= out_n - 1)
        return 1;
    va_start(ap, fmt);
    int k = vsnprintf(out + *pos, out_n - *pos, fmt, ap);
    va_end(ap);
    if (k > 0)
        *pos += (size_t)k < out_n - *pos ? (size_t)k : out_n - *pos - 1;
    if (*pos < out_n - 1) {
        out[(*pos)++] = '\n';
        out[*pos] = '\0';
    }
    return 1;
}

/* The structural promises of a decoded packet: layers start within the
 * captured bytes, data layers lie within them, no shown field lies beyond
 * them, a header the capture cuts is flagged truncated and carries a
 * "*.truncated" event (a header quoted in an ICMP error: the flag only),
 * counts and indexes stay in range. Writes one line per broken promise
 * (at most out_n bytes in all) into out; returns how many. */
static inline unsigned wp_check_packet(const wp_packet *p, char *out, size_t out_n)
{
    unsigned bad = 0;
    size_t pos = 0;
    const uint64_t cap = p->caplen;
    if (out_n)
        out[0] = '\0';
    if (p->nlayers > WP_MAX_LAYERS || p->nevents > WP_MAX_EVENTS || p->nopts > WP_MAX_OPTS) {
        bad += wp_check_say(out, out_n, &pos, "counts out of range: %u layers, %u events, %u opts", p->nlayers,
                     p->nevents, p->nopts);
        return bad;
    }
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        if (l->proto >= WP_PROTO_COUNT)
            bad += wp_check_say(out, out_n, &pos, "layer %u: proto %u out of range", i, l->proto);
        if (l->off > cap)
            bad += wp_check_say(out, out_n, &pos, "layer %u (%s): off %u beyond caplen %u", i, pi->name, l->off,
                         p->caplen);
        if (wp_is_data_proto(l->proto)) {
            if ((uint64_t)l->off + l->len > cap)
                bad += wp_check_say(out, out_n, &pos, "data layer %u (%s): %u+%u beyond caplen %u", i, pi->name, l->off,
                             l->len, p->caplen);
            continue;
        }
        if ((uint64_t)l->opt_first + l->opt_count > p->nopts && l->opt_count)
            bad += wp_check_say(out, out_n, &pos, "layer %u (%s): options %u+%u beyond %u", i, pi->name, l->opt_first,
                         l->opt_count, p->nopts);
        /* How far the header reaches: its length, or any field it has. */
        uint64_t extent = (uint64_t)l->off + l->hdr_len;
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            uint32_t off, len;
            wp_field_span(l, f, &off, &len);
            int beyond = (uint64_t)off + len > cap;
            if (wp_field_shown(p, l, f) && beyond)
                bad += wp_check_say(out, out_n, &pos,
                                    "layer %u (%s): field %s shown at %u+%u beyond caplen %u", i,
                                    pi->name, f->name, off, len, p->caplen);
            if (f->kind != WP_FK_OPTIONS && (!f->present || f->present(l)) &&
                (uint64_t)off + len > extent)
                extent = (uint64_t)off + len;
        }
        for (unsigned k = 0; k < l->opt_count && l->opt_first + k < p->nopts; k++) {
            const wp_opt *o = &p->opts[l->opt_first + k];
            if (o->off < l->off || o->off >= cap)
                bad += wp_check_say(out, out_n, &pos, "layer %u (%s): option %u at %u outside %u..%u",
                                    i, pi->name, k, o->off, l->off, p->caplen);
        }
        /* With the event pool full, the verdict may be one that was
         * dropped (WP_MAX_EVENTS): nothing to demand then. */
        if (extent > cap && !p->events_dropped) {
            /* Cut by the capture. A header the wire frame holds must say
             * truncated, unless it is judged invalid: a header whose own
             * bytes, or whose container, contradict it (a length past the
             * frame on the wire or past an outer length field, IHL 1). */
            int trunc_ev = 0, invalid_ev = 0;
            for (unsigned e = 0; e < p->nevents; e++) {
                const wp_event *ev = &p->events[e];
                if (ev->layer != i || !ev->def)
                    continue;
                trunc_ev |= wp_code_is_truncated(ev->def->code);
                invalid_ev |= ev->def->kind == WP_EV_INVALID;
            }
            int flagged = (l->flags & WP_LF_TRUNCATED) != 0;
            if (invalid_ev)
                continue;
            if (!flagged)
                bad += wp_check_say(out, out_n, &pos,
                                    "layer %u (%s): header %u..%llu cut by caplen %u (len %u) "
                                    "but not flagged truncated",
                                    i, pi->name, l->off, (unsigned long long)extent, p->caplen,
                                    p->len);
            /* An ICMP error need quote only 8 bytes of the packet that
             * caused it (RFC 792, RFC 4443 "as much as fits"): a quoted
             * header cut short is expected, flagged but not an event. */
            if (!trunc_ev && !(l->flags & WP_LF_QUOTED))
                bad += wp_check_say(out, out_n, &pos,
                                    "layer %u (%s): header %u..%llu cut by caplen %u (len %u) "
                                    "but no *.truncated event",
                                    i, pi->name, l->off, (unsigned long long)extent, p->caplen,
                                    p->len);
        }
    }
    for (unsigned e = 0; e < p->nevents; e++) {
        const wp_event *ev = &p->events[e];
        if (!ev->def || !ev->def->code || !ev->def->text)
            bad += wp_check_say(out, out_n, &pos, "event %u: no definition", e);
        else if (ev->layer != 0xff && ev->layer >= p->nlayers)
            bad += wp_check_say(out, out_n, &pos, "event %u (%s): layer %u of %u", e, ev->def->code, ev->layer,
                         p->nlayers);
    }
    return bad;
}

/* The same frame decoded whole (full) and cut by a snap length (cut): a
 * cut must never make a header look invalid, so every invalid event of cut
 * (by layer and code) must be one full has too. Writes one line per new
 * verdict into out[out_n]; returns how many. */
static inline unsigned wp_check_cut(const wp_packet *full, const wp_packet *cut, char *out,
                                    size_t out_n)
{
    unsigned bad = 0;
    size_t pos = 0;
    if (out_n)
        out[0] = '\0';
    if (full->events_dropped || cut->events_dropped)
        return 0; /* the whole frame's verdicts overflowed: some were dropped */
    for (unsigned i = 0; i < cut->nevents && i < WP_MAX_EVENTS; i++) {
        const wp_event *e = &cut->events[i];
        if (!e->def || e->def->kind != WP_EV_INVALID)
            continue;
        int seen = 0;
        for (unsigned j = 0; j < full->nevents && j < WP_MAX_EVENTS && !seen; j++)
            seen = full->events[j].def == e->def && full->events[j].layer == e->layer;
        if (!seen)
            bad += wp_check_say(out, out_n, &pos,
                                "%s (layer %u) appears only when cut at %u of %u bytes",
                                e->def->code, e->layer, cut->caplen, full->caplen);
    }
    return bad;
}

/* Display filters that together use every operator, alias kind and value
 * kind: the sweep (tools/sweep.c) and the filter fuzz harness match each
 * against every frame. */
static const char *const wp_fuzz_filters[] = {
    "ip.addr == 10.0.0.0/8 or ipv6.addr == fe80::/10 or eth.addr == ff:ff:ff:ff:ff:ff",
    "tcp.port in {80, 443, 1..1023} and tcp.flags & 0x12 and not tcp.flags.reset == 1",
    "frame contains \"GET\" or tcp contains 02:04 or frame[12:2] == 08:00 or ip[0] == 45",
    "frame[-4:] == 00:00:00:00 or udp[2:] contains ff or eth.src[0:3] == 00:00:0c",
    "ip.src != 192.0.2.1 and ip.ttl ~= 64 and udp.length <= 8 and icmp.type >= 3",
    "vlan.id == 100 or arp.opcode == 2 or ipv6-frag.id > 0 or tcp.len > 0 or ip.hdr_len > 20",
    "sll.pkttype == 4 or null.family == 2 or payload contains 00 or trailer or frame.len < 60",
    "ipv4.options or tcp.options contains 01:01 or sll.addr[0:2] == 00:00 or frame[0-3] > 00",
};

#endif
