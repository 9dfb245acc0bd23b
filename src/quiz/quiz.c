/* Quiz: draw questions from a capture; every answer from wirepeel's decoder,
 * field tables, conversation tracker and diagram model. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/checksum.h"
#include "wirepeel/decode.h"
#include "wirepeel/diagram.h"
#include "wirepeel/flow.h"
#include "wirepeel/quiz.h"

static const char *const type_names[WP_QT_COUNT] = {
    "value", "locate", "derive", "checksum", "relate", "classify", "blank", "predict",
};

uint64_t wp_quiz_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

const char *wp_quiz_type_name(unsigned t)
{
    return t < WP_QT_COUNT ? type_names[t] : NULL;
}

unsigned wp_quiz_types_parse(const char *list)
{
    unsigned mask = 0;
    const char *s = list;
    if (!s)
        return 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        int found = 0;
        if (n == 3 && strncmp(s, "all", 3) == 0) {
            mask |= (1u << WP_QT_COUNT) - 1;
            found = 1;
        }
        for (unsigned t = 0; t < WP_QT_COUNT && !found; t++)
            if (strlen(type_names[t]) == n && strncmp(s, type_names[t], n) == 0) {
                mask |= 1u << t;
                found = 1;
            }
        if (!found)
            return 0;
        s += n;
        if (*s == ',')
            s++;
    }
    return mask;
}

/* An IPv4 fragment's datagram (is 0: the frame is no fragment). */
struct fragkey {
    uint8_t is, mf, proto;
    uint16_t id, off;
    uint8_t src[4], dst[4];
};

/* What the builder works from: the frames, their annotations. */
typedef struct qctx {
    const wp_frame *frames;
    size_t nframes;
    wp_flow_ann *ann; /* one per frame */
    wp_packet *pkt;   /* scratch: the frame being asked about */
    uint64_t rng;
    struct fragkey *fk; /* one per frame: its IPv4 fragment identity */
    uint64_t base;    /* frames[0] is frame base + 1 */
    int solo;         /* one frame, no conversation: no type that needs one */
} qctx;

static void fmt(char *buf, size_t n, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, n, f, ap);
    va_end(ap);
}

static void add_mistake(wp_quiz_q *q, uint64_t val, const char *why)
{
    if (q->nmist >= WP_QUIZ_MAX_MISTAKES || val == q->num)
        return;
    for (unsigned i = 0; i < q->nmist; i++)
        if (q->mist[i].val == val)
            return;
    q->mist[q->nmist].val = val;
    snprintf(q->mist[q->nmist].why, sizeof q->mist[0].why, "%s", why);
    q->nmist++;
}

static void add_mistake_form(wp_quiz_q *q, const char *form, const char *why)
{
    if (q->nmist >= WP_QUIZ_MAX_MISTAKES)
        return;
    wp_quiz_mistake *m = &q->mist[q->nmist++];
    snprintf(m->form, sizeof m->form, "%s", form);
    snprintf(m->why, sizeof m->why, "%s", why);
}

/* Whether a stacks one IP header and no tunnel: the pairing questions ask
 * about the conversation the tracker and tshark both key on this header. */
static int plain_stack(const wp_packet *p)
{
    unsigned nip = 0;
    for (unsigned i = 0; i < p->nlayers; i++) {
        unsigned pr = p->layers[i].proto;
        if (pr == WP_PROTO_IPV4 || pr == WP_PROTO_IPV6)
            nip++;
        if (pr == WP_PROTO_GRE || pr == WP_PROTO_VXLAN || pr == WP_PROTO_MPLS || pr == WP_PROTO_PPPOE ||
            pr == WP_PROTO_AH || pr == WP_PROTO_ESP)
            return 0;
    }
    return nip == 1;
}

/* Sequence numbers compare modulo 2^32: a at or after b. */
static int seq_ge(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) >= 0;
}

static void set_num(wp_quiz_q *q, uint64_t v)
{
    q->akind = WP_QA_NUM;
    q->num = v;
    fmt(q->answer, sizeof q->answer, "%" PRIu64, v);
}

static uint64_t pick(qctx *c, uint64_t n)
{
    return n ? wp_quiz_rand(&c->rng) % n : 0;
}

static const wp_field *field_named(unsigned proto, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return &pi->fields[i];
    return NULL;
}

/* A layer of p worth asking about: a real, uncut, unquoted header. */
static int askable(const wp_layer *l)
{
    if (l->flags & (WP_LF_TRUNCATED | WP_LF_QUOTED | WP_LF_LITTLE_ENDIAN))
        return 0;
    switch (l->proto) {
    case WP_PROTO_ETH: case WP_PROTO_ARP: case WP_PROTO_IPV4: case WP_PROTO_IPV6:
    case WP_PROTO_ICMP: case WP_PROTO_UDP: case WP_PROTO_TCP:
        return 1;
    default:
        return 0;
    }
}

static const wp_layer *layer_of(const wp_packet *p, unsigned proto)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].proto == proto && askable(&p->layers[i]))
            return &p->layers[i];
    return NULL;
}

/* A header the value, locate and blank questions ask about: IPv4, TCP, UDP
 * or ICMP, picked by the quiz's PRNG; NULL when the packet has none of that
 * kind to ask about. */
static const wp_layer *pick_layer(qctx *c, const wp_packet *p)
{
    static const unsigned protos[] = {WP_PROTO_IPV4, WP_PROTO_TCP, WP_PROTO_UDP, WP_PROTO_ICMP};
    return layer_of(p, protos[pick(c, 4)]);
}

/* A named cell of l's header diagram (built into *d), picked by the PRNG:
 * a field or a flag bit the capture holds, not the "rest" of a header;
 * NULL when the pick is none of these (the caller draws again). */
static const wp_diag_cell *pick_cell(qctx *c, const wp_packet *p, const wp_layer *l, wp_diag *d)
{
    if (wp_diag_build(p, (unsigned)(l - p->layers), d) != 0 || d->ncells == 0)
        return NULL;
    const wp_diag_cell *cell = &d->cells[pick(c, d->ncells)];
    if ((cell->kind != WP_DC_FIELD && cell->kind != WP_DC_BIT) || cell->missing ||
        strcmp(wp_diag_cell_name(cell), "rest") == 0)
        return NULL;
    return cell;
}

/* The three staged hints every field question gets. */
static void field_hints(wp_quiz_q *q, const wp_layer *l, const wp_field *f)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    fmt(q->hint[0], sizeof q->hint[0], "look in the %s header (%s), which starts at byte %u of the frame",
        pi->short_name, pi->title, (unsigned)l->off);
    fmt(q->hint[1], sizeof q->hint[1], "the field is '%s' (%s): %u byte%s at offset %u of the header",
        f->title, f->name, (unsigned)f->width, f->width == 1 ? "" : "s", (unsigned)f->off);
    fmt(q->hint[2], sizeof q->hint[2], "read frame bytes %u..%u%s", (unsigned)(l->off + f->off),
        (unsigned)(l->off + f->off + (f->width ? f->width : 1) - 1),
        f->mask ? " and keep only the field's bits" : "");
}

/* The bytes, the conversion and the struct recipe of field f: what a wrong
 * answer is shown. */
static size_t field_recipe(const wp_packet *p, const wp_layer *l, const wp_field *f, char *buf,
                           size_t n)
{
    uint32_t off = l->off + f->off;
    size_t k = 0;
    k += (size_t)snprintf(buf + k, n - k, "bytes at frame offset %u:", (unsigned)off);
    uint64_t raw = 0;
    for (uint32_t i = 0; i < f->width && off + i < p->caplen && k < n; i++) {
        k += (size_t)snprintf(buf + k, n - k, " %02x", p->data[off + i]);
        raw = raw << 8 | p->data[off + i];
    }
    if (k >= n)
        return n - 1;
    if (f->kind == WP_FK_IPV4 && f->width == 4 && off + 4 <= p->caplen) {
        /* an address is no number to convert: each byte is one decimal part */
        k += (size_t)snprintf(buf + k, n - k, "; each byte in decimal, dotted: %u.%u.%u.%u; Python: "
                              "socket.inet_ntoa(frame[%u:%u])", p->data[off], p->data[off + 1],
                              p->data[off + 2], p->data[off + 3], (unsigned)off, (unsigned)off + 4);
        return k < n ? k : n - 1;
    }
    uint64_t v = wp_field_uint(l, f);
    if (f->mask)
        k += (size_t)snprintf(buf + k, n - k,
                              "; read big-endian 0x%0*" PRIx64 ", (0x%0*" PRIx64 " & 0x%x) >> %u = %" PRIu64,
                              (int)f->width * 2, raw, (int)f->width * 2, raw, (unsigned)f->mask,
                              (unsigned)f->shift, v);
    else
        k += (size_t)snprintf(buf + k, n - k, "; read big-endian = 0x%0*" PRIx64 " = %" PRIu64,
                              (int)f->width * 2, raw, v);
    if (k >= n)
        return n - 1;
    if (f->mask)
        k += (size_t)snprintf(buf + k, n - k, "; Python: (struct.unpack_from('!%c', frame, %u)[0] & 0x%x) >> %u",
                              f->fmt, (unsigned)off, (unsigned)f->mask, (unsigned)f->shift);
    else
        k += (size_t)snprintf(buf + k, n - k, "; Python: struct.unpack_from('!%c', frame, %u)[0]", f->fmt,
                              (unsigned)off);
    return k < n ? k : n - 1;
}

static const char *flag_names(uint16_t fl, char *buf, size_t n)
{
    static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
    size_t k = 0;
    buf[0] = 0;
    for (unsigned b = 0; b < 9; b++)
        if (fl & (1u << b) && k < n)
            k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", names[b]);
    return buf;
}

/* ---- the question types ------------------------------------------------ */

static int q_value(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    const wp_layer *l = pick_layer(c, p);
    if (!l)
        return -1;
    const wp_proto_info *pi = wp_proto_get(l->proto);
    const wp_field *f = &pi->fields[pick(c, pi->nfields)];
    if ((f->kind != WP_FK_UINT && f->kind != WP_FK_IPV4) || !wp_field_shown(p, l, f) ||
        strcmp(f->name, "rest") == 0)
        return -1;
    fmt(q->text, sizeof q->text, "Frame %" PRIu64 ": what is the value of the %s header's %s field?",
        q->frame, pi->short_name, f->title);
    fmt(q->ref, sizeof q->ref, "%s.%s", pi->name, f->name);
    field_hints(q, l, f);
    size_t k = field_recipe(p, l, f, q->explain, sizeof q->explain);
    if (f->kind == WP_FK_IPV4) {
        const uint8_t *a = wp_field_bytes(l, f);
        q->akind = WP_QA_TEXT;
        fmt(q->answer, sizeof q->answer, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        fmt(q->accept, sizeof q->accept, "%s", q->answer);
        fmt(q->review, sizeof q->review, "addresses: 4 bytes, one decimal number each");
        return 0;
    }
    uint64_t v = wp_field_uint(l, f);
    set_num(q, v);
    fmt(q->review, sizeof q->review, "reading the %s %s field", pi->short_name, f->name);
    if (l->proto == WP_PROTO_TCP && strcmp(f->name, "flags") == 0) {
        /* the flags: their value, or their names in any order */
        char fl[48];
        q->akind = WP_QA_FLAGS;
        flag_names((uint16_t)v, fl, sizeof fl);
        size_t n = strlen(q->explain);
        if (n + 1 < sizeof q->explain)
            snprintf(q->explain + n, sizeof q->explain - n, "; the bits set name the flags: %s (names accepted too)",
                     fl[0] ? fl : "none");
        return 0;
    }
    if (f->mult) {
        char why[200];
        fmt(why, sizeof why, "%" PRIu64 " is the field times %u (the length in bytes); the field itself holds %" PRIu64,
            v * f->mult, (unsigned)f->mult, v);
        add_mistake(q, v * f->mult, why);
    }
    if (l->proto == WP_PROTO_TCP && (strcmp(f->name, "seq") == 0 || strcmp(f->name, "ack") == 0)) {
        const wp_flow_ann *a = &c->ann[q->frame - 1 - c->base];
        uint32_t rel = f->name[0] == 's' ? a->seq : a->ack;
        if (a->kind == WP_FLOW_TCP && !c->solo) {
            char why[200];
            fmt(why, sizeof why, "%u is the relative number Wireshark shows (counted from this side's ISN); "
                "the field holds the raw 32-bit value %" PRIu64, (unsigned)rel, v);
            add_mistake(q, rel, why);
        }
        fmt(q->review, sizeof q->review, "raw vs relative TCP sequence numbers");
    }
    (void)k;
    return 0;
}

/* The bit range of a field or flag bit in its header (0 = the most
 * significant bit of the header's byte 0), as RFC diagrams number them. */
static int q_locate_bits(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    const wp_layer *l = pick_layer(c, p);
    wp_diag d;
    const wp_diag_cell *cell = l ? pick_cell(c, p, l, &d) : NULL;
    if (!cell)
        return -1;
    /* mostly the fields that do not fill whole bytes: there bits matter */
    int whole = cell->bit % 8 == 0 && cell->nbits % 8 == 0;
    if (whole && pick(c, 3) != 0)
        return -1;
    const wp_proto_info *pi = wp_proto_get(l->proto);
    uint32_t b0 = cell->bit, b1 = cell->bit + cell->nbits - 1;
    q->akind = WP_QA_BITS;
    q->num = (uint64_t)b0 << 16 | b1;
    if (b0 == b1)
        fmt(q->answer, sizeof q->answer, "bit %u", (unsigned)b0);
    else
        fmt(q->answer, sizeof q->answer, "bits %u-%u", (unsigned)b0, (unsigned)b1);
    const char *name = wp_diag_cell_name(cell), *title = wp_diag_cell_title(cell);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 ": which bits of the %s header hold %s (%s)? (bit 0 is the first, most significant bit "
        "of the header; answer 'bits A-B', 'bit A', or 'bits A-B of byte K')",
        q->frame, pi->short_name, title, name);
    fmt(q->ref, sizeof q->ref, "bitpos:%s:%s", pi->name, name);
    uint32_t k0 = b0 / 8, k1 = b1 / 8;
    uint32_t off, len;
    wp_diag_cell_span(&d, cell, &off, &len);
    if (k0 == k1)
        fmt(q->explain, sizeof q->explain,
            "'%s' is %u bit%s of header byte %u (frame byte %u): bits %u-%u of that byte counted from its most "
            "significant bit, so bits %u + %u = %u to %u of the header; mask 0x%02x",
            title, (unsigned)cell->nbits, cell->nbits == 1 ? "" : "s", (unsigned)k0, (unsigned)off,
            (unsigned)(b0 % 8), (unsigned)(b1 % 8), (unsigned)k0 * 8, (unsigned)(b0 % 8), (unsigned)b0,
            (unsigned)b1, (unsigned)(((1u << cell->nbits) - 1u) << (7 - b1 % 8)) & 0xffu);
    else
        fmt(q->explain, sizeof q->explain,
            "'%s' is %u bits from header byte %u bit %u to byte %u bit %u (frame bytes %u..%u), bits counted from "
            "the most significant: %u x 8 + %u = %u to %u x 8 + %u = %u",
            title, (unsigned)cell->nbits, (unsigned)k0, (unsigned)(b0 % 8), (unsigned)k1, (unsigned)(b1 % 8),
            (unsigned)off, (unsigned)(off + len - 1), (unsigned)k0, (unsigned)(b0 % 8), (unsigned)b0,
            (unsigned)k1, (unsigned)(b1 % 8), (unsigned)b1);
    fmt(q->hint[0], sizeof q->hint[0], "draw the %s header in 32-bit rows (wirepeel diagram --blank --layer %s)",
        pi->short_name, pi->name);
    fmt(q->hint[1], sizeof q->hint[1], "the field is %u bit%s wide", (unsigned)cell->nbits,
        cell->nbits == 1 ? "" : "s");
    fmt(q->hint[2], sizeof q->hint[2], "it starts in byte %u of the header", (unsigned)k0);
    char why[200];
    if (k0 == k1 && !(b0 % 8 == 0 && b1 % 8 == 7)) {
        /* the bits counted from the least significant end of the byte */
        uint32_t r0 = k0 * 8 + (7 - b1 % 8), r1 = k0 * 8 + (7 - b0 % 8);
        fmt(why, sizeof why, "that counts from the least significant bit; network diagrams number bit 0 the most "
            "significant, so it is bits %u-%u", (unsigned)b0, (unsigned)b1);
        add_mistake(q, (uint64_t)r0 << 16 | r1, why);
    }
    if (cell->kind == WP_DC_BIT && cell->bitno != b0) {
        /* the flag's place in the flags value, counted from its low end */
        fmt(why, sizeof why, "that is %s's place in the flags value (0x%03x = 1 << %u, counted from the low "
            "end); counted from the header's first bit it is bit %u", name, 1u << cell->bitno,
            (unsigned)cell->bitno, (unsigned)b0);
        add_mistake(q, (uint64_t)cell->bitno << 16 | cell->bitno, why);
    }
    if (l->off) {
        uint64_t f0 = b0 + l->off * 8u, f1 = b1 + l->off * 8u;
        fmt(why, sizeof why, "that counts from the frame's first bit; the %s header starts at frame byte %u, so "
            "subtract %u bits", pi->short_name, (unsigned)l->off, (unsigned)l->off * 8);
        if (f1 <= 0xffff)
            add_mistake(q, f0 << 16 | f1, why);
    }
    fmt(q->review, sizeof q->review, "bit positions in a header diagram (bit 0 = most significant)");
    return 0;
}

static int q_locate(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    unsigned how = (unsigned)pick(c, 3);
    if (how == 2)
        return q_locate_bits(c, p, q);
    if (how == 0) {
        const wp_layer *l = pick_layer(c, p);
        if (!l)
            return -1;
        const wp_proto_info *pi = wp_proto_get(l->proto);
        const wp_field *f = &pi->fields[pick(c, pi->nfields)];
        if (f->kind == WP_FK_OPTIONS || f->kind == WP_FK_BOOL || f->mask || !wp_field_shown(p, l, f) ||
            strcmp(f->name, "rest") == 0)
            return -1;
        uint32_t off = l->off + f->off;
        set_num(q, off);
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 ": at which byte offset of the frame (counted from 0) does the %s %s field start?",
            q->frame, pi->short_name, f->title);
        fmt(q->ref, sizeof q->ref, "pos:%s.%s", pi->name, f->name);
        field_hints(q, l, f);
        fmt(q->hint[2], sizeof q->hint[2], "the %s header starts at byte %u; add the field's offset in it",
            pi->short_name, (unsigned)l->off);
        fmt(q->explain, sizeof q->explain,
            "the %s header starts at frame byte %u (the headers before it take %u bytes) and %s is at offset %u "
            "inside it: %u + %u = %u",
            pi->short_name, (unsigned)l->off, (unsigned)l->off, f->name, (unsigned)f->off,
            (unsigned)l->off, (unsigned)f->off, (unsigned)off);
        char why[200];
        fmt(why, sizeof why, "%u is the offset inside the %s header; the frame offset adds the %u bytes before it",
            (unsigned)f->off, pi->short_name, (unsigned)l->off);
        if (l->off)
            add_mistake(q, f->off, why);
        fmt(q->review, sizeof q->review, "header offsets: each header starts where the one before ends");
        return 0;
    }
    /* which layer owns byte N */
    if (p->caplen == 0)
        return -1;
    uint32_t b = (uint32_t)pick(c, p->caplen);
    const wp_layer *own = NULL;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        uint32_t len = l->hdr_len ? l->hdr_len : l->len;
        if (b >= l->off && b - l->off < len)
            own = l;
    }
    if (!own || (own->hdr_len && !askable(own)) ||
        (!own->hdr_len && own->proto != WP_PROTO_PAYLOAD))
        return -1;
    /* only plain stacks: an LLC, a VLAN tag or an extension header is a
     * layer the question's answer list does not offer */
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if ((l->flags & (WP_LF_QUOTED | WP_LF_TRUNCATED)) ||
            (l->proto == WP_PROTO_ETH && l->h.eth.is_8023) ||
            (!askable(l) && l->proto != WP_PROTO_PAYLOAD && l->proto != WP_PROTO_TRAILER))
            return -1;
    }
    const wp_proto_info *pi = wp_proto_get(own->proto);
    q->akind = WP_QA_TEXT;
    fmt(q->answer, sizeof q->answer, "%s", own->hdr_len ? pi->short_name : "payload");
    fmt(q->accept, sizeof q->accept, "%s|%s%s", q->answer, pi->name,
        own->proto == WP_PROTO_IPV4 ? "|ip" : own->hdr_len ? "" : "|data");
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 ": which header owns byte %u (0x%x) of the frame? (a protocol name, or 'payload')",
        q->frame, (unsigned)b, (unsigned)b);
    fmt(q->ref, sizeof q->ref, "owner:%u", (unsigned)b);
    size_t k = 0;
    k += (size_t)snprintf(q->explain + k, sizeof q->explain - k, "the layers of this frame:");
    for (unsigned i = 0; i < p->nlayers && k < sizeof q->explain; i++) {
        const wp_layer *l = &p->layers[i];
        uint32_t len = l->hdr_len ? l->hdr_len : l->len;
        if (!len)
            continue;
        k += (size_t)snprintf(q->explain + k, sizeof q->explain - k, " %s %u..%u;",
                              l->hdr_len ? wp_proto_get(l->proto)->short_name : "payload",
                              (unsigned)l->off, (unsigned)(l->off + len - 1));
    }
    /* the other layers, each a wrong answer that says where it ends */
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        uint32_t len = l->hdr_len ? l->hdr_len : l->len;
        if (l == own || !len)
            continue;
        const char *nm = l->hdr_len ? wp_proto_get(l->proto)->short_name : "payload";
        char why[200];
        fmt(why, sizeof why, "the %s%s covers bytes %u..%u: byte %u is %s it", nm, l->hdr_len ? " header" : "",
            (unsigned)l->off, (unsigned)(l->off + len - 1), (unsigned)b, b < l->off ? "before" : "after");
        add_mistake_form(q, nm, why);
    }
    fmt(q->hint[0], sizeof q->hint[0], "list each header's first byte and length");
    fmt(q->hint[1], sizeof q->hint[1], "the first header starts at byte 0; each next one where the last ends");
    fmt(q->hint[2], sizeof q->hint[2], "the owner starts at byte %u", (unsigned)own->off);
    fmt(q->review, sizeof q->review, "encapsulation: which header covers which bytes");
    return 0;
}

static int q_derive(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    const wp_layer *ip = layer_of(p, WP_PROTO_IPV4);
    const wp_layer *tcp = layer_of(p, WP_PROTO_TCP);
    const wp_layer *udp = layer_of(p, WP_PROTO_UDP);
    const wp_flow_ann *a = &c->ann[q->frame - 1 - c->base];
    char why[200];
    switch (pick(c, 6)) {
    case 0: { /* IPv4 header length */
        if (!ip)
            return -1;
        const wp_ipv4_hdr *h = &ip->h.ipv4;
        set_num(q, h->ihl * 4u);
        fmt(q->text, sizeof q->text, "Frame %" PRIu64 ": how many bytes long is the IPv4 header?", q->frame);
        fmt(q->ref, sizeof q->ref, "ipv4.hdr_bytes");
        field_hints(q, ip, field_named(WP_PROTO_IPV4, "ihl"));
        fmt(q->explain, sizeof q->explain,
            "IHL is the low nibble of byte %u: 0x%02x & 0x0f = %u, counted in 32-bit words: %u x 4 = %u bytes",
            (unsigned)ip->off, p->data[ip->off], (unsigned)h->ihl, (unsigned)h->ihl, h->ihl * 4u);
        fmt(why, sizeof why, "%u is IHL itself, in 32-bit words; the header is %u x 4 = %u bytes",
            (unsigned)h->ihl, (unsigned)h->ihl, h->ihl * 4u);
        add_mistake(q, h->ihl, why);
        fmt(q->review, sizeof q->review, "IHL counts 32-bit words (x4)");
        return 0;
    }
    case 1: { /* IPv4 payload length */
        if (!ip || (ip->h.ipv4.mf == 0 && ip->h.ipv4.frag_offset == 0 && pick(c, 3) == 0))
            return -1;
        const wp_ipv4_hdr *h = &ip->h.ipv4;
        if (h->total_len < h->ihl * 4u)
            return -1;
        set_num(q, h->total_len - h->ihl * 4u);
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 ": how many bytes of payload does the IPv4 datagram carry (after its header)?",
            q->frame);
        fmt(q->ref, sizeof q->ref, "ipv4.payload_bytes");
        field_hints(q, ip, field_named(WP_PROTO_IPV4, "total_len"));
        fmt(q->explain, sizeof q->explain,
            "Total length %u counts header and payload; the header is IHL %u x 4 = %u bytes: %u - %u = %u",
            (unsigned)h->total_len, (unsigned)h->ihl, h->ihl * 4u, (unsigned)h->total_len, h->ihl * 4u,
            h->total_len - h->ihl * 4u);
        fmt(why, sizeof why, "%u is Total length, header included; subtract the %u-byte header",
            (unsigned)h->total_len, h->ihl * 4u);
        add_mistake(q, h->total_len, why);
        fmt(why, sizeof why, "IHL is in 32-bit words: subtract %u x 4 = %u, not %u", (unsigned)h->ihl,
            h->ihl * 4u, (unsigned)h->ihl);
        add_mistake(q, (uint64_t)h->total_len - h->ihl, why);
        fmt(q->review, sizeof q->review, "Total length includes the header");
        return 0;
    }
    case 2: { /* fragment offset in bytes */
        if (!ip || (ip->h.ipv4.frag_offset == 0 && !ip->h.ipv4.mf))
            return -1;
        const wp_ipv4_hdr *h = &ip->h.ipv4;
        set_num(q, h->frag_offset * 8u);
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 " is an IPv4 fragment: at which byte of the original datagram's payload does its "
            "data start?", q->frame);
        fmt(q->ref, sizeof q->ref, "ipv4.frag_bytes");
        field_hints(q, ip, field_named(WP_PROTO_IPV4, "frag_offset"));
        fmt(q->explain, sizeof q->explain,
            "bytes %u..%u: %02x %02x, & 0x1fff = %u, counted in 8-byte units: %u x 8 = %u",
            (unsigned)ip->off + 6, (unsigned)ip->off + 7, p->data[ip->off + 6], p->data[ip->off + 7],
            (unsigned)h->frag_offset, (unsigned)h->frag_offset, h->frag_offset * 8u);
        fmt(why, sizeof why, "%u is the field, in 8-byte units: %u x 8 = %u bytes", (unsigned)h->frag_offset,
            (unsigned)h->frag_offset, h->frag_offset * 8u);
        add_mistake(q, h->frag_offset, why);
        fmt(q->review, sizeof q->review, "Fragment offset counts 8-byte units (x8)");
        return 0;
    }
    case 3: { /* TCP header length */
        if (!tcp)
            return -1;
        const wp_tcp_hdr *h = &tcp->h.tcp;
        set_num(q, h->data_offset * 4u);
        fmt(q->text, sizeof q->text, "Frame %" PRIu64 ": how many bytes long is the TCP header (options included)?",
            q->frame);
        fmt(q->ref, sizeof q->ref, "tcp.hdr_bytes");
        field_hints(q, tcp, field_named(WP_PROTO_TCP, "data_offset"));
        fmt(q->explain, sizeof q->explain,
            "Data offset is the high nibble of byte %u: 0x%02x >> 4 = %u, in 32-bit words: %u x 4 = %u bytes",
            (unsigned)tcp->off + 12, p->data[tcp->off + 12], (unsigned)h->data_offset,
            (unsigned)h->data_offset, h->data_offset * 4u);
        fmt(why, sizeof why, "%u is the Data offset field, in 32-bit words: x 4 = %u bytes",
            (unsigned)h->data_offset, h->data_offset * 4u);
        add_mistake(q, h->data_offset, why);
        fmt(q->review, sizeof q->review, "TCP Data offset counts 32-bit words (x4)");
        return 0;
    }
    case 4: { /* next sequence number */
        if (c->solo || !tcp || a->kind != WP_FLOW_TCP || !a->has_next)
            return -1;
        set_num(q, a->next_seq);
        char fl[48];
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 " [%s] has relative seq %u and %u byte%s of TCP payload: what is the next sequence "
            "number this side will use (relative)?",
            q->frame, flag_names(tcp->h.tcp.flags, fl, sizeof fl), (unsigned)a->seq, (unsigned)a->seg_len,
            a->seg_len == 1 ? "" : "s");
        fmt(q->ref, sizeof q->ref, "tcp.nxtseq");
        int synfin = (tcp->h.tcp.flags & 0x003) != 0;
        fmt(q->explain, sizeof q->explain,
            "next seq = seq + payload bytes%s = %u + %u%s = %u (relative: raw %u minus this side's ISN)",
            synfin ? " + 1 for the SYN/FIN" : "", (unsigned)a->seq, (unsigned)a->seg_len, synfin ? " + 1" : "",
            (unsigned)a->next_seq, (unsigned)a->raw_seq);
        fmt(q->hint[0], sizeof q->hint[0], "this is TCP sequence arithmetic");
        fmt(q->hint[1], sizeof q->hint[1], "every payload byte takes one number; SYN and FIN take one each");
        fmt(q->hint[2], sizeof q->hint[2], "start from the relative seq %u", (unsigned)a->seq);
        if (synfin) {
            fmt(why, sizeof why, "a SYN or FIN takes one sequence number of its own: add 1");
            add_mistake(q, (uint64_t)a->seq + a->seg_len, why);
        }
        fmt(why, sizeof why, "that is the raw number; the question asks the relative one (raw minus the ISN)");
        add_mistake(q, (uint32_t)(a->raw_seq + (a->next_seq - a->seq)), why);
        fmt(q->review, sizeof q->review, "next seq = seq + len (+1 for SYN/FIN)");
        return 0;
    }
    default: { /* UDP payload length */
        if (!udp || udp->h.udp.length < 8)
            return -1;
        set_num(q, udp->h.udp.length - 8u);
        fmt(q->text, sizeof q->text, "Frame %" PRIu64 ": how many bytes of data does the UDP datagram carry?",
            q->frame);
        fmt(q->ref, sizeof q->ref, "udp.payload_bytes");
        field_hints(q, udp, field_named(WP_PROTO_UDP, "length"));
        fmt(q->explain, sizeof q->explain, "UDP Length %u counts the 8-byte header too: %u - 8 = %u",
            (unsigned)udp->h.udp.length, (unsigned)udp->h.udp.length, udp->h.udp.length - 8u);
        fmt(why, sizeof why, "%u is the UDP Length field, which includes the 8-byte header",
            (unsigned)udp->h.udp.length);
        add_mistake(q, udp->h.udp.length, why);
        fmt(q->review, sizeof q->review, "UDP Length includes its 8-byte header");
        return 0;
    }
    }
}

/* The UDP or TCP checksum over the pseudo-header (RFC 768, 793; RFC 8200
 * 8.1 for IPv6): one of two steps, the pseudo-header's own sum or the sum
 * of everything. Only a segment whose checksum is good, right behind an
 * IPv4 header without options (a source route would change the address
 * summed) or an IPv6 header without extension headers. */
static int q_l4_checksum(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    const wp_layer *l = NULL;
    for (unsigned i = 1; i < p->nlayers && !l; i++)
        if ((p->layers[i].proto == WP_PROTO_UDP || p->layers[i].proto == WP_PROTO_TCP) && askable(&p->layers[i]))
            l = &p->layers[i];
    if (!l || l->csum != WP_CSUM_GOOD || !plain_stack(p))
        return -1;
    const wp_layer *ip = l - 1;
    int tcp = l->proto == WP_PROTO_TCP;
    unsigned proto = tcp ? 6u : 17u;
    uint32_t seglen;
    if (ip->proto == WP_PROTO_IPV4 && ip->h.ipv4.ihl == 5 && ip->h.ipv4.total_len >= 20)
        seglen = ip->h.ipv4.total_len - 20u;
    else if (ip->proto == WP_PROTO_IPV6 && ip->h.ipv6.next_header == proto)
        seglen = ip->h.ipv6.payload_len;
    else
        return -1;
    if (!tcp && l->h.udp.length != seglen)
        return -1;
    if (seglen < l->hdr_len || l->off > p->caplen || seglen > p->caplen - l->off)
        return -1;
    int v6 = ip->proto == WP_PROTO_IPV6;
    const uint8_t *src = v6 ? ip->h.ipv6.src : ip->h.ipv4.src;
    const uint8_t *dst = v6 ? ip->h.ipv6.dst : ip->h.ipv4.dst;
    unsigned alen = v6 ? 16u : 4u;
    uint16_t w[20];
    unsigned nw = 0;
    for (unsigned i = 0; i < alen; i += 2)
        w[nw++] = (uint16_t)(src[i] << 8 | src[i + 1]);
    for (unsigned i = 0; i < alen; i += 2)
        w[nw++] = (uint16_t)(dst[i] << 8 | dst[i + 1]);
    if (v6) {
        w[nw++] = (uint16_t)(seglen >> 16);
        w[nw++] = (uint16_t)seglen;
        w[nw++] = 0;
        w[nw++] = (uint16_t)proto;
    } else {
        w[nw++] = (uint16_t)proto;
        w[nw++] = (uint16_t)seglen;
    }
    uint32_t psum = 0;
    for (unsigned i = 0; i < nw; i++)
        psum += w[i];
    uint16_t pfold = wp_csum_fold(psum);
    /* the segment with its checksum field as 0 */
    uint32_t coff = tcp ? 16u : 6u, ssum = 0;
    for (uint32_t i = 0; i < seglen; i += 2) {
        uint32_t hi = p->data[l->off + i], lo = i + 1 < seglen ? p->data[l->off + i + 1] : 0;
        if (i != coff)
            ssum += hi << 8 | lo;
    }
    uint16_t sfold = wp_csum_fold(ssum);
    uint16_t total = wp_csum_fold((uint32_t)pfold + sfold);
    uint16_t cs = tcp ? l->h.tcp.checksum : l->h.udp.checksum;
    const char *nm = tcp ? "TCP" : "UDP";
    const char *pn = tcp ? "tcp" : "udp";
    char why[200];
    if (pick(c, 2) == 0) {
        size_t k = 0;
        k += (size_t)snprintf(q->explain, sizeof q->explain, "the pseudo-header's 16-bit words:");
        for (unsigned i = 0; i < nw && k < sizeof q->explain; i++)
            k += (size_t)snprintf(q->explain + k, sizeof q->explain - k, " %04x", (unsigned)w[i]);
        if (k < sizeof q->explain)
            snprintf(q->explain + k, sizeof q->explain - k,
                     " (source, destination, %s, length %u); sum 0x%x, carries folded back: 0x%04x",
                     v6 ? "length as 32 bits, 3 zero bytes and next header" : "zero byte and protocol",
                     (unsigned)seglen, (unsigned)psum, (unsigned)pfold);
        set_num(q, pfold);
        fmt(q->answer, sizeof q->answer, "0x%04x", (unsigned)pfold);
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 ": the %s checksum also covers a pseudo-header taken from the %s header: source "
            "address, destination address, %s, and the %s length (%u). What is the one's-complement sum of its "
            "16-bit words, carries folded (hex)?",
            q->frame, nm, v6 ? "IPv6" : "IPv4",
            v6 ? "the length as 32 bits, three zero bytes and the next header" : "a zero byte and the protocol",
            nm, (unsigned)seglen);
        fmt(q->ref, sizeof q->ref, "%s.csum_pseudo", pn);
        fmt(q->hint[0], sizeof q->hint[0], "the words come from the %s header (addresses) and the %s length",
            v6 ? "IPv6" : "IPv4", nm);
        if (!v6)
            fmt(q->hint[1], sizeof q->hint[1], "4 words of addresses, then 00%02x (protocol) and %04x (length)",
                proto, (unsigned)seglen);
        else
            fmt(q->hint[1], sizeof q->hint[1], "16 words of addresses, then %04x %04x 0000 00%02x",
                (unsigned)(seglen >> 16), (unsigned)(seglen & 0xffff), proto);
        fmt(q->hint[2], sizeof q->hint[2], "add the words, then add the carries above 16 bits back in");
        if (psum != pfold)
            add_mistake(q, psum, "the carries above 16 bits are added back in (folded) until the sum fits 16 bits");
        fmt(why, sizeof why, "the pseudo-header also holds the protocol word (00%02x)%s", proto,
            v6 ? " and the 32-bit length" : " and the length");
        add_mistake(q, wp_csum_fold(psum - proto), why);
        fmt(q->review, sizeof q->review, "the %s checksum's pseudo-header", nm);
        return 0;
    }
    set_num(q, total);
    fmt(q->answer, sizeof q->answer, "0x%04x", (unsigned)total);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 ": the %s checksum is 0x%04x, and the pseudo-header's words (addresses, protocol, "
        "length) sum to 0x%04x. Add the %s header and data (%u bytes, the checksum field as 0): what is the "
        "folded one's-complement sum of it all (hex)?",
        q->frame, nm, (unsigned)cs, (unsigned)pfold, nm, (unsigned)seglen);
    fmt(q->ref, sizeof q->ref, "%s.csum_sum", pn);
    fmt(q->explain, sizeof q->explain,
        "the %s segment's %u bytes as 16-bit words (checksum as 0000%s) sum to 0x%x, folded 0x%04x; with the "
        "pseudo-header's 0x%04x: 0x%04x + 0x%04x = 0x%x, folded 0x%04x; its complement 0x%04x is the checksum "
        "the header carries",
        nm, (unsigned)seglen, seglen % 2 ? ", an odd last byte padded with 00" : "", (unsigned)ssum,
        (unsigned)sfold, (unsigned)pfold, (unsigned)sfold, (unsigned)pfold, (unsigned)sfold + pfold,
        (unsigned)total, (unsigned)(~total & 0xffff));
    fmt(q->hint[0], sizeof q->hint[0], "the sum covers the pseudo-header, the %s header and the data", nm);
    fmt(q->hint[1], sizeof q->hint[1], "the checksum field (bytes %u..%u) counts as 0 while summing",
        (unsigned)(l->off + coff), (unsigned)(l->off + coff + 1));
    fmt(q->hint[2], sizeof q->hint[2], "the checksum is the complement of the sum: try 0xffff - 0x%04x",
        (unsigned)cs);
    add_mistake(q, cs, "that is the checksum itself: the sum is its one's complement (0xffff minus it)");
    fmt(why, sizeof why, "0x%04x is the segment alone: the pseudo-header's 0x%04x is part of the sum",
        (unsigned)sfold, (unsigned)pfold);
    add_mistake(q, sfold, why);
    if ((uint32_t)sfold + pfold != total)
        add_mistake(q, (uint32_t)sfold + pfold,
                    "the carry above 16 bits is added back in (folded) until the sum fits 16 bits");
    fmt(q->review, sizeof q->review, "the %s checksum: pseudo-header + segment, folded, complemented", nm);
    return 0;
}

static int q_checksum(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (pick(c, 2) == 0)
        return q_l4_checksum(c, p, q);
    const wp_layer *ip = layer_of(p, WP_PROTO_IPV4);
    if (!ip || ip->csum != WP_CSUM_GOOD || ip->hdr_len > p->caplen - ip->off)
        return -1;
    uint32_t sum = 0;
    size_t k = 0;
    k += (size_t)snprintf(q->explain, sizeof q->explain, "the header's 16-bit words, checksum as 0000:");
    for (uint32_t i = 0; i + 1 < ip->hdr_len; i += 2) {
        uint32_t w = (uint32_t)p->data[ip->off + i] << 8 | p->data[ip->off + i + 1];
        if (i == 10)
            w = 0;
        sum += w;
        if (k < sizeof q->explain)
            k += (size_t)snprintf(q->explain + k, sizeof q->explain - k, " %04x", (unsigned)w);
    }
    uint32_t full = sum;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    uint16_t cs = ip->h.ipv4.checksum;
    set_num(q, sum);
    fmt(q->answer, sizeof q->answer, "0x%04x", (unsigned)sum);
    if (k < sizeof q->explain)
        snprintf(q->explain + k, sizeof q->explain - k,
                 "; sum 0x%x, carries folded back: 0x%04x; its complement 0x%04x is the checksum the header carries",
                 (unsigned)full, (unsigned)sum, (unsigned)(~sum & 0xffff));
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 ": the IPv4 header checksum is 0x%04x. Taking the checksum field as 0, what is the "
        "one's-complement sum of the header's 16-bit words, carries folded (hex)?",
        q->frame, (unsigned)cs);
    fmt(q->ref, sizeof q->ref, "ipv4.csum_sum");
    field_hints(q, ip, field_named(WP_PROTO_IPV4, "checksum"));
    fmt(q->hint[2], sizeof q->hint[2], "the checksum is the complement of the sum: try 0xffff - 0x%04x",
        (unsigned)cs);
    add_mistake(q, cs, "that is the checksum itself: the sum is its one's complement (0xffff minus it)");
    add_mistake(q, full, "the carries above 16 bits are added back in (folded) until the sum fits 16 bits");
    fmt(q->review, sizeof q->review, "the Internet checksum: one's-complement sum, then complement");
    return 0;
}

/* Which frames carry the fragments of frame q->frame's datagram: the IPv4
 * fragments with its source, destination, protocol and identification. */
static int q_fragments(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    const wp_layer *ip = layer_of(p, WP_PROTO_IPV4);
    if (!ip || (!ip->h.ipv4.mf && !ip->h.ipv4.frag_offset))
        return -1;
    wp_ipv4_hdr me = ip->h.ipv4;
    size_t k = 0, n = 0;
    size_t ek = 0;
    for (size_t i = 0; i < c->nframes; i++) {
        const struct fragkey *o = &c->fk[i];
        if (!o->is || o->id != me.id || o->proto != me.proto || memcmp(o->src, me.src, 4) != 0 ||
            memcmp(o->dst, me.dst, 4) != 0)
            continue;
        if (++n > 16)
            return -1; /* too long a list to type */
        if (k < sizeof q->answer)
            k += (size_t)snprintf(q->answer + k, sizeof q->answer - k, "%s%zu", k ? "," : "", i + 1);
        if (ek < sizeof q->explain)
            ek += (size_t)snprintf(q->explain + ek, sizeof q->explain - ek,
                                   "%sframe %zu offset %u x 8 = %u%s", ek ? "; " : "", i + 1,
                                   (unsigned)o->off, o->off * 8u, o->mf ? " MF" : " (last: MF 0)");
    }
    if (k >= sizeof q->answer || ek >= sizeof q->explain)
        return -1;
    if (ek + 2 < sizeof q->explain)
        snprintf(q->explain + ek, sizeof q->explain - ek,
                 "; all have ID %u (0x%04x), protocol %u and the same addresses", (unsigned)me.id,
                 (unsigned)me.id, (unsigned)me.proto);
    q->akind = WP_QA_FRAMES;
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " is an IPv4 fragment (ID %u): which frames carry the fragments of the same datagram, "
        "this one included? (frame numbers, comma-separated)",
        q->frame, (unsigned)me.id);
    fmt(q->ref, sizeof q->ref, "fragments");
    fmt(q->hint[0], sizeof q->hint[0], "look at the IPv4 headers of every frame");
    fmt(q->hint[1], sizeof q->hint[1], "fragments of one datagram share Identification, addresses and protocol");
    fmt(q->hint[2], sizeof q->hint[2], "a fragment has MF set or a non-zero fragment offset (bytes 6-7 of IPv4)");
    fmt(q->review, sizeof q->review, "IPv4 fragmentation: ID, MF and fragment offset");
    return 0;
}

/* Which frame first acknowledges TCP segment q->frame: the first later
 * segment of its stream from the other side whose ACK covers it all. */
static int q_tcp_acked(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    size_t idx = (size_t)(q->frame - 1 - c->base);
    const wp_flow_ann *a = &c->ann[idx];
    if (a->kind != WP_FLOW_TCP || !a->has_next || (a->tcp_flags & 0x004) || !plain_stack(p) ||
        (a->seg_len == 0 && !(a->tcp_flags & 0x003)))
        return -1;
    uint64_t acker = 0, partial = 0;
    uint32_t partial_ack = 0;
    for (size_t i = idx + 1; i < c->nframes && !acker; i++) {
        const wp_flow_ann *o = &c->ann[i];
        if (o->kind != WP_FLOW_TCP || o->stream != a->stream || o->dir == a->dir || !o->has_ack)
            continue;
        if (seq_ge(o->ack, a->next_seq))
            acker = i + 1;
        else if (!partial) {
            partial = i + 1;
            partial_ack = o->ack;
        }
    }
    q->akind = WP_QA_FRAME;
    q->num = acker;
    if (acker)
        fmt(q->answer, sizeof q->answer, "%" PRIu64, acker);
    else
        fmt(q->answer, sizeof q->answer, "none");
    char fl[48];
    int synfin = (a->tcp_flags & 0x003) != 0;
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " [%s] has relative seq %u and %u byte%s of payload: which frame is the first to "
        "acknowledge all of it? (a frame number, or 'none')",
        q->frame, flag_names(a->tcp_flags, fl, sizeof fl), (unsigned)a->seq, (unsigned)a->seg_len,
        a->seg_len == 1 ? "" : "s");
    fmt(q->ref, sizeof q->ref, "tcp.acked_in");
    if (acker)
        fmt(q->explain, sizeof q->explain,
            "it takes seq %u..%u, so the receiver acknowledges it with ack %u + %u%s = %u; the first segment from "
            "the other side with ack >= %u is frame %" PRIu64 " (ack %u)",
            (unsigned)a->seq, (unsigned)(a->next_seq - 1), (unsigned)a->seq, (unsigned)a->seg_len,
            synfin ? " + 1 (SYN/FIN)" : "", (unsigned)a->next_seq, (unsigned)a->next_seq, acker,
            (unsigned)c->ann[acker - 1].ack);
    else
        fmt(q->explain, sizeof q->explain,
            "it is acknowledged by ack %u + %u%s = %u, and no later segment from the other side carries an ack "
            "that high: the capture holds no ACK of it",
            (unsigned)a->seq, (unsigned)a->seg_len, synfin ? " + 1 (SYN/FIN)" : "", (unsigned)a->next_seq);
    fmt(q->hint[0], sizeof q->hint[0], "look at the Acknowledgment numbers of the other side's later segments");
    fmt(q->hint[1], sizeof q->hint[1], "an ACK names the next byte expected: it must reach seq + len%s",
        synfin ? " + 1" : "");
    fmt(q->hint[2], sizeof q->hint[2], "the ack to look for is %u (relative)", (unsigned)a->next_seq);
    add_mistake(q, q->frame, "that is the segment itself: its ACK comes from the other side, later");
    if (partial) {
        char why[200];
        fmt(why, sizeof why, "frame %" PRIu64 " carries ack %u, below %u: it acknowledges only the bytes before "
            "this segment", partial, (unsigned)partial_ack, (unsigned)a->next_seq);
        add_mistake(q, partial, why);
    }
    fmt(q->review, sizeof q->review, "which ACK covers a segment: ack >= seq + len (+1 for SYN/FIN)");
    return 0;
}

/* Which frame answers UDP datagram q->frame: a DNS query's response (same
 * ID), or for other UDP the other side's next datagram before the next
 * request (the tracker's pairing, as the course's ping server answers). */
static int q_udp_reply(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    size_t idx = (size_t)(q->frame - 1 - c->base);
    const wp_flow_ann *a = &c->ann[idx];
    const wp_layer *udp = layer_of(p, WP_PROTO_UDP);
    if (a->kind != WP_FLOW_UDP || !a->is_request || !udp || !plain_stack(p))
        return -1;
    int dns = udp->h.udp.sport == 53 || udp->h.udp.dport == 53;
    uint64_t reply = 0, next_req = 0, other = 0;
    for (size_t i = idx + 1; i < c->nframes && !reply; i++) {
        if (c->ann[i].kind == WP_FLOW_UDP && c->ann[i].reply_to == q->frame)
            reply = i + 1;
        else if (!next_req && c->ann[i].kind == WP_FLOW_UDP && c->ann[i].stream == a->stream &&
                 c->ann[i].dir == a->dir)
            next_req = i + 1;
        else if (!other && c->ann[i].kind == WP_FLOW_UDP && c->ann[i].stream != a->stream)
            other = i + 1; /* the next datagram of another conversation */
    }
    uint32_t pl = udp->off + 8;
    unsigned id = 0;
    if (dns) {
        if (pl > p->caplen || p->caplen - pl < 2)
            return -1;
        id = (unsigned)p->data[pl] << 8 | p->data[pl + 1];
    }
    q->akind = WP_QA_FRAME;
    q->num = reply;
    if (reply)
        fmt(q->answer, sizeof q->answer, "%" PRIu64, reply);
    else
        fmt(q->answer, sizeof q->answer, "none");
    if (dns) {
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 " is a DNS query (ID 0x%04x, UDP port %u to %u): which frame carries its response? "
            "(a frame number, or 'none')",
            q->frame, id, (unsigned)udp->h.udp.sport, (unsigned)udp->h.udp.dport);
        fmt(q->ref, sizeof q->ref, "dns.resp_in");
        fmt(q->explain, sizeof q->explain,
            "a DNS response repeats its query's ID (0x%04x, the first 2 bytes after the UDP header, frame bytes "
            "%u..%u) with the QR bit set, between the same addresses and ports the other way round: %s",
            id, (unsigned)pl, (unsigned)pl + 1,
            reply ? "that is the frame named" : "no later frame matches, so this query got no response");
        fmt(q->hint[0], sizeof q->hint[0], "look at the DNS headers of the later frames");
        fmt(q->hint[1], sizeof q->hint[1], "match the Transaction ID 0x%04x; a response has QR = 1", id);
        fmt(q->hint[2], sizeof q->hint[2], "the ports are swapped in the response: from %u to %u",
            (unsigned)udp->h.udp.dport, (unsigned)udp->h.udp.sport);
        fmt(q->review, sizeof q->review, "pairing DNS queries and responses (ID, QR)");
    } else {
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 " is a UDP datagram from port %u to port %u (the side that spoke first): which frame "
            "carries the reply to it? (a frame number, or 'none')",
            q->frame, (unsigned)udp->h.udp.sport, (unsigned)udp->h.udp.dport);
        fmt(q->ref, sizeof q->ref, "udp.resp_in");
        fmt(q->explain, sizeof q->explain,
            "UDP has no sequence numbers or IDs: a reply is the next datagram back between the same addresses "
            "with the ports swapped (%u to %u), before this side's next request%s",
            (unsigned)udp->h.udp.dport, (unsigned)udp->h.udp.sport,
            reply ? "; that is the frame named"
                  : next_req ? "; the next datagram of this conversation goes the same way again, so this one got "
                               "no reply"
                             : "; none follows, so this one got no reply");
        fmt(q->hint[0], sizeof q->hint[0], "look at the UDP headers of the later frames");
        fmt(q->hint[1], sizeof q->hint[1], "a reply goes from port %u to port %u", (unsigned)udp->h.udp.dport,
            (unsigned)udp->h.udp.sport);
        fmt(q->hint[2], sizeof q->hint[2], "it must come before this side sends again");
        fmt(q->review, sizeof q->review, "pairing UDP requests and replies (addresses and ports swapped)");
        if (next_req && next_req != reply) {
            char why[200];
            fmt(why, sizeof why, "frame %" PRIu64 " goes the same way as this one (port %u to %u): it is the next "
                "request, not a reply", next_req, (unsigned)udp->h.udp.sport, (unsigned)udp->h.udp.dport);
            add_mistake(q, next_req, why);
        }
        if (other && other != reply) {
            char why[200];
            fmt(why, sizeof why, "frame %" PRIu64 " belongs to another conversation (other addresses or ports): "
                "the reply goes from port %u back to port %u", other, (unsigned)udp->h.udp.dport,
                (unsigned)udp->h.udp.sport);
            add_mistake(q, other, why);
        }
    }
    add_mistake(q, q->frame, "that is the request itself: the reply is a later frame");
    return 0;
}

static int q_relate(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (c->solo)
        return -1;
    switch (pick(c, 4)) {
    case 0:
        return q_fragments(c, p, q);
    case 1:
        return q_tcp_acked(c, p, q);
    case 2:
        return q_udp_reply(c, p, q);
    default:
        break;
    }
    const wp_flow_ann *a = &c->ann[q->frame - 1 - c->base];
    if (a->kind != WP_FLOW_ICMP || !a->is_request)
        return -1;
    const wp_layer *ic = layer_of(p, WP_PROTO_ICMP);
    if (!ic)
        return -1;
    uint64_t reply = 0;
    for (size_t i = (size_t)q->frame; i < c->nframes && !reply; i++)
        if (c->ann[i].kind == WP_FLOW_ICMP && c->ann[i].reply_to == q->frame)
            reply = i + 1;
    (void)pick(c, 1);
    q->akind = WP_QA_FRAME;
    q->num = reply;
    if (reply)
        fmt(q->answer, sizeof q->answer, "%" PRIu64, reply);
    else
        fmt(q->answer, sizeof q->answer, "none");
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " is an ICMP echo request (id %u, seq %u): which frame carries its reply? "
        "(a frame number, or 'none')",
        q->frame, (unsigned)ic->h.icmp.id, (unsigned)ic->h.icmp.seq);
    fmt(q->ref, sizeof q->ref, "icmp.resp_in");
    fmt(q->explain, sizeof q->explain,
        "a reply is the next echo reply (type 0) with the same identifier %u and sequence number %u, between "
        "the same hosts the other way round: %s",
        (unsigned)ic->h.icmp.id, (unsigned)ic->h.icmp.seq,
        reply ? "that is the frame named" : "no later frame matches, so this ping got no reply");
    fmt(q->hint[0], sizeof q->hint[0], "look at the ICMP headers of the later frames");
    fmt(q->hint[1], sizeof q->hint[1], "match the Identifier and Sequence number fields");
    fmt(q->hint[2], sizeof q->hint[2], "a reply has type 0 (a request type 8)");
    add_mistake(q, q->frame, "that is the request itself: the reply is a later frame");
    fmt(q->review, sizeof q->review, "pairing echo requests and replies (id, seq)");
    return 0;
}

/* Handshake step of a TCP frame: 1 SYN, 2 SYN-ACK, 3 the first ACK of the
 * originator after the SYN-ACK; 0 none. */
static int hs_step(const qctx *c, size_t idx, const wp_packet *p)
{
    const wp_layer *tcp = layer_of(p, WP_PROTO_TCP);
    const wp_flow_ann *a = &c->ann[idx];
    if (!tcp || a->kind != WP_FLOW_TCP)
        return 0;
    uint16_t fl = tcp->h.tcp.flags;
    if ((fl & 0x017) == 0x002)
        return 1;
    if ((fl & 0x017) == 0x012)
        return 2;
    if ((fl & 0x017) != 0x010 || a->dir != 0 || a->seq != 1 || a->ack != 1 || a->seg_len)
        return 0;
    /* the frame before it in the stream must be the SYN-ACK */
    for (size_t i = idx; i-- > 0;)
        if (c->ann[i].kind == WP_FLOW_TCP && c->ann[i].stream == a->stream)
            return (c->ann[i].tcp_flags & 0x017) == 0x012 ? 3 : 0;
    return 0;
}

/* The step of closing its connection TCP frame idx is: 0 none, or one of
 * these (the first frame from a side that acknowledges a FIN is that
 * step only when it is a bare ACK). */
enum { CL_NONE = 0, CL_FIN1, CL_ACK1, CL_FIN2, CL_LAST, CL_RST };
static const char *const close_answer[] = {"", "first FIN", "ACK of the first FIN", "second FIN", "last ACK",
                                           "reset"};
static const char *const close_accept[] = {"", "first FIN|FIN 1|FIN1", "ACK of the first FIN|ACK of first FIN|ACK of FIN",
                                           "second FIN|FIN 2|FIN2", "last ACK|final ACK", "reset|RST"};

typedef struct close_ctx {
    size_t fin1, fin2; /* frame indexes + 1 of the first FIN and the other side's FIN; 0 none */
} close_ctx;

static int close_step(const qctx *c, size_t idx, close_ctx *cc)
{
    const wp_flow_ann *a = &c->ann[idx];
    cc->fin1 = cc->fin2 = 0;
    if (a->kind != WP_FLOW_TCP)
        return CL_NONE;
    int acked1 = 0, acked2 = 0; /* a frame before idx already acknowledged FIN 1, FIN 2 */
    for (size_t i = 0; i < idx; i++) {
        const wp_flow_ann *o = &c->ann[i];
        if (o->kind != WP_FLOW_TCP || o->stream != a->stream)
            continue;
        if (o->tcp_flags & 0x004)
            return CL_NONE; /* reset before: nothing left to close */
        if (cc->fin1 && o->dir != c->ann[cc->fin1 - 1].dir && o->has_ack &&
            seq_ge(o->ack, c->ann[cc->fin1 - 1].next_seq))
            acked1 = 1;
        if (cc->fin2 && o->dir != c->ann[cc->fin2 - 1].dir && o->has_ack &&
            seq_ge(o->ack, c->ann[cc->fin2 - 1].next_seq))
            acked2 = 1;
        if (o->tcp_flags & 0x001) {
            if (!cc->fin1)
                cc->fin1 = i + 1;
            else if (!cc->fin2 && o->dir != c->ann[cc->fin1 - 1].dir)
                cc->fin2 = i + 1;
        }
    }
    uint16_t fl = a->tcp_flags;
    if (fl & 0x004)
        return CL_RST;
    if (fl & 0x001) {
        if (!cc->fin1)
            return CL_FIN1;
        if (!cc->fin2 && a->dir != c->ann[cc->fin1 - 1].dir)
            return CL_FIN2;
        return CL_NONE; /* a FIN again: a retransmission */
    }
    if (!a->has_ack || !cc->fin1)
        return CL_NONE;
    const wp_flow_ann *f1 = &c->ann[cc->fin1 - 1];
    if (cc->fin2) {
        const wp_flow_ann *f2 = &c->ann[cc->fin2 - 1];
        if (a->dir == f1->dir && !acked2 && seq_ge(a->ack, f2->next_seq) && a->seg_len == 0)
            return CL_LAST;
        return CL_NONE;
    }
    if (a->dir != f1->dir && !acked1 && seq_ge(a->ack, f1->next_seq) && a->seg_len == 0)
        return CL_ACK1;
    return CL_NONE;
}

static int q_close(qctx *c, size_t idx, int step, const close_ctx *cc, wp_quiz_q *q)
{
    const wp_flow_ann *a = &c->ann[idx];
    char fl[48];
    flag_names(a->tcp_flags, fl, sizeof fl);
    q->akind = WP_QA_TEXT;
    fmt(q->answer, sizeof q->answer, "%s", close_answer[step]);
    fmt(q->accept, sizeof q->accept, "%s", close_accept[step]);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " [%s] seq %u ack %u len %u: which step of closing the connection is it: first FIN, "
        "ACK of the first FIN, second FIN, last ACK, or reset?",
        q->frame, fl, (unsigned)a->seq, (unsigned)a->ack, (unsigned)a->seg_len);
    fmt(q->ref, sizeof q->ref, "tcp.close_step");
    uint64_t f1 = cc->fin1, f2 = cc->fin2;
    switch (step) {
    case CL_FIN1:
        fmt(q->explain, sizeof q->explain,
            "it has the FIN flag and no FIN came before it in this stream: this side has no more data and closes "
            "its direction first (active close); the FIN takes sequence number %u", (unsigned)a->seq);
        add_mistake_form(q, "second FIN", "no earlier segment of this stream has the FIN flag: this one is first");
        break;
    case CL_ACK1:
        fmt(q->explain, sizeof q->explain,
            "it carries only ACK (no FIN, no data), and its ack %u covers the FIN of frame %" PRIu64
            " (seq %u + 1 for the FIN): the other side acknowledges the first FIN but keeps its own direction open",
            (unsigned)a->ack, f1, (unsigned)c->ann[f1 - 1].seq);
        add_mistake_form(q, "last ACK", "the last ACK acknowledges the second FIN; this side has sent no FIN yet");
        break;
    case CL_FIN2:
        fmt(q->explain, sizeof q->explain,
            "the other side closed first (FIN in frame %" PRIu64 "); this FIN closes this side's direction too%s",
            f1, a->has_ack && seq_ge(a->ack, c->ann[f1 - 1].next_seq)
                    ? ", and its ACK acknowledges that first FIN in the same segment"
                    : "");
        {
            char why[200];
            fmt(why, sizeof why, "frame %" PRIu64 " sent a FIN before this one, from the other side: this FIN "
                "answers it", f1);
            add_mistake_form(q, "first FIN", why);
        }
        break;
    case CL_LAST:
        fmt(q->explain, sizeof q->explain,
            "it carries only ACK, from the side that closed first, and its ack %u covers the second FIN (frame %"
            PRIu64 ", seq %u + 1): after it both directions are closed",
            (unsigned)a->ack, f2, (unsigned)c->ann[f2 - 1].seq);
        add_mistake_form(q, "ACK of the first FIN",
                         "this side sent the first FIN; it acknowledges the other side's FIN, the second one");
        break;
    default:
        fmt(q->explain, sizeof q->explain,
            "it has the RST flag: the connection is aborted at once, no FIN exchange and nothing is acknowledged "
            "after it; a RST answers a segment the receiver has no connection for, or an abort");
        add_mistake_form(q, "first FIN", "a FIN closes gracefully and is acknowledged; this segment has RST, not FIN");
        add_mistake_form(q, "last ACK", "the flags include RST: it aborts the connection rather than closing it");
        break;
    }
    fmt(q->hint[0], sizeof q->hint[0], "look at the TCP flags of this frame and the earlier ones of its stream");
    fmt(q->hint[1], sizeof q->hint[1], "which side sent a FIN first, and does this frame acknowledge a FIN?");
    fmt(q->hint[2], sizeof q->hint[2], "a FIN takes one sequence number: its ACK is its seq + 1");
    fmt(q->review, sizeof q->review, "closing a TCP connection: FIN, ACK, FIN, ACK; RST");
    return 0;
}

static int q_classify(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (c->solo)
        return -1;
    const wp_flow_ann *a = &c->ann[q->frame - 1 - c->base];
    if (a->kind != WP_FLOW_TCP)
        return -1;
    int step = hs_step(c, (size_t)(q->frame - 1 - c->base), p);
    uint32_t lab = a->analysis & (WP_FA_RETRANSMISSION | WP_FA_FAST_RETRANSMISSION |
                                  WP_FA_SPURIOUS_RETRANSMISSION | WP_FA_OUT_OF_ORDER | WP_FA_DUP_ACK);
    char fl[48];
    flag_names(a->tcp_flags, fl, sizeof fl);
    close_ctx cc;
    int cstep = close_step(c, (size_t)(q->frame - 1 - c->base), &cc);
    unsigned which = (unsigned)pick(c, 2);
    if (cstep && !step && (which == 1 || !lab))
        return q_close(c, (size_t)(q->frame - 1 - c->base), cstep, &cc, q);
    if (step && (which == 0 || !lab)) {
        set_num(q, (uint64_t)step);
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 " [%s]: which step of the three-way handshake is it (1, 2 or 3)?", q->frame, fl);
        fmt(q->ref, sizeof q->ref, "hs_step");
        fmt(q->explain, sizeof q->explain,
            "step 1 is the client's SYN, step 2 the server's SYN-ACK, step 3 the client's ACK of it (relative seq 1, "
            "ack 1); this frame has flags [%s]%s",
            fl, step == 3 ? ", comes from the client right after the SYN-ACK" : "");
        fmt(q->hint[0], sizeof q->hint[0], "look at the TCP header's flags");
        fmt(q->hint[1], sizeof q->hint[1], "SYN alone, SYN+ACK, or ACK after a SYN-ACK");
        fmt(q->hint[2], sizeof q->hint[2], "the flags are the low 12 bits of TCP bytes 12-13");
        /* what each other step would have looked like */
        static const char *const looks[4] = {
            "", "step 1 is a SYN alone (no ACK): the client opening",
            "step 2 has both SYN and ACK: the server's answer to the SYN",
            "step 3 is the client's bare ACK (seq 1, ack 1) right after the SYN-ACK"};
        for (int t = 1; t <= 3; t++)
            if (t != step) {
                char why[200];
                fmt(why, sizeof why, "%s; this frame has [%s]", looks[t], fl);
                add_mistake(q, (uint64_t)t, why);
            }
        fmt(q->review, sizeof q->review, "the three-way handshake");
        return 0;
    }
    if (!lab && pick(c, 3) != 0)
        return -1; /* most questions on labelled frames; some on plain ones */
    q->akind = WP_QA_TEXT;
    const char *ans = "normal";
    const char *acc = "normal|none";
    if (lab & WP_FA_FAST_RETRANSMISSION) {
        ans = "fast retransmission";
        acc = "fast retransmission|fast retransmit|retransmission";
    } else if (lab & WP_FA_SPURIOUS_RETRANSMISSION) {
        ans = "spurious retransmission";
        acc = "spurious retransmission|retransmission";
    } else if (lab & WP_FA_RETRANSMISSION) {
        ans = "retransmission";
        acc = "retransmission";
    } else if (lab & WP_FA_OUT_OF_ORDER) {
        ans = "out-of-order";
        acc = "out-of-order|out of order|ooo";
    } else if (lab & WP_FA_DUP_ACK) {
        ans = "duplicate ACK";
        acc = "duplicate ack|dup ack|dupack";
    }
    fmt(q->answer, sizeof q->answer, "%s", ans);
    fmt(q->accept, sizeof q->accept, "%s", acc);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " [%s] seq %u ack %u len %u: is it a retransmission, fast retransmission, spurious "
        "retransmission, out-of-order, duplicate ACK, or normal?",
        q->frame, fl, (unsigned)a->seq, (unsigned)a->ack, (unsigned)a->seg_len);
    fmt(q->ref, sizeof q->ref, "tcp.analysis");
    if (lab & WP_FA_DUP_ACK)
        fmt(q->explain, sizeof q->explain,
            "it carries no data and repeats ack %u of frame %" PRIu64 " with the same window: duplicate ACK #%u",
            (unsigned)a->ack, a->a_ref_frame, (unsigned)a->dup_ack_num);
    else if (lab)
        fmt(q->explain, sizeof q->explain,
            "this side had already sent up to seq %u (next expected), and this segment starts at seq %u: "
            "%s (tshark's rules: see docs)",
            (unsigned)a->a_next_expected, (unsigned)a->seq, ans);
    else
        fmt(q->explain, sizeof q->explain,
            "its seq %u is the next one expected from this side and it repeats no earlier ACK: nothing unusual",
            (unsigned)a->seq);
    if (!lab) {
        char why[200];
        fmt(why, sizeof why, "a retransmission repeats bytes already sent, so its seq is below the next expected "
            "one; this segment starts right at it (%u)", (unsigned)a->seq);
        add_mistake_form(q, "retransmission", why);
        add_mistake_form(q, "duplicate ACK", "a duplicate ACK carries no data and repeats the ack and window of the "
                                             "ACK before it; this one does not");
    }
    fmt(q->hint[0], sizeof q->hint[0], "compare with the earlier frames of this TCP stream");
    fmt(q->hint[1], sizeof q->hint[1], "which seq did this side send last, and which ack did the other side repeat?");
    fmt(q->hint[2], sizeof q->hint[2], "this side's next expected seq was %u", (unsigned)a->a_next_expected);
    fmt(q->review, sizeof q->review, "TCP analysis: retransmission, out-of-order, dup ACK");
    return 0;
}

static int q_blank(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    const wp_layer *l = pick_layer(c, p);
    wp_diag d;
    const wp_diag_cell *cell = l ? pick_cell(c, p, l, &d) : NULL;
    if (!cell)
        return -1;
    const wp_proto_info *pi = wp_proto_get(l->proto);
    char lab[48] = "";
    wp_diag_cell_label(cell, 6, lab, sizeof lab);
    const char *name = wp_diag_cell_name(cell), *title = wp_diag_cell_title(cell);
    q->akind = WP_QA_TEXT;
    q->draw = 1;
    q->layer = (uint8_t)(l - p->layers);
    q->dbit = cell->bit;
    fmt(q->answer, sizeof q->answer, "%s", name);
    fmt(q->accept, sizeof q->accept, "%s|%s%s%s", name, title, lab[0] ? "|" : "", lab);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 ": in the %s header diagram (values left out), which field is the cell marked ? "
        "(bits %u..%u, bit 0 the header's first)",
        q->frame, pi->short_name, (unsigned)cell->bit, (unsigned)(cell->bit + cell->nbits - 1));
    fmt(q->ref, sizeof q->ref, "bits:%s:%u:%u", pi->name, (unsigned)cell->bit, (unsigned)cell->nbits);
    fmt(q->explain, sizeof q->explain,
        "bits %u..%u of the %s header are '%s' (%s): %u bit%s starting at byte %u, bit %u of that byte",
        (unsigned)cell->bit, (unsigned)(cell->bit + cell->nbits - 1), pi->short_name, title, name,
        (unsigned)cell->nbits, cell->nbits == 1 ? "" : "s", (unsigned)(cell->bit / 8), (unsigned)(cell->bit % 8));
    fmt(q->hint[0], sizeof q->hint[0], "draw the %s header in 32-bit rows (wirepeel diagram --blank)",
        pi->short_name);
    fmt(q->hint[1], sizeof q->hint[1], "the field is %u bits wide", (unsigned)cell->nbits);
    fmt(q->hint[2], sizeof q->hint[2], "it starts at byte %u of the header", (unsigned)(cell->bit / 8));
    fmt(q->review, sizeof q->review, "the %s header layout", pi->short_name);
    return 0;
}

/* The next segment of the stream after frame idx (index + 1), 0 none. */
static size_t next_in_stream(const qctx *c, size_t idx)
{
    for (size_t i = idx + 1; i < c->nframes; i++)
        if (c->ann[i].kind == WP_FLOW_TCP && c->ann[i].stream == c->ann[idx].stream)
            return i + 1;
    return 0;
}

/* Predict the other side's next segment: its sequence number (the ack
 * this frame carries) or its flags (after a SYN, a SYN-ACK or a FIN). */
static int q_predict_other(qctx *c, const wp_packet *p, wp_quiz_q *q, int flags)
{
    size_t idx = (size_t)(q->frame - 1 - c->base);
    const wp_flow_ann *a = &c->ann[idx];
    if (!layer_of(p, WP_PROTO_TCP) || a->kind != WP_FLOW_TCP || (a->tcp_flags & 0x004))
        return -1;
    size_t nx = next_in_stream(c, idx);
    if (!nx)
        return -1;
    const wp_flow_ann *b = &c->ann[nx - 1];
    if (b->dir == a->dir)
        return -1;
    char fl[48], nfl[48];
    flag_names(a->tcp_flags, fl, sizeof fl);
    flag_names(b->tcp_flags, nfl, sizeof nfl);
    char why[200];
    if (!flags) {
        if (!a->has_ack || b->seq != a->ack || (b->analysis & (WP_FA_RETRANSMISSION | WP_FA_OUT_OF_ORDER)))
            return -1;
        set_num(q, b->seq);
        fmt(q->text, sizeof q->text,
            "Frame %" PRIu64 " [%s] seq %u ack %u len %u. The other side sends the next segment of this "
            "connection: what (relative) sequence number will it carry?",
            q->frame, fl, (unsigned)a->seq, (unsigned)a->ack, (unsigned)a->seg_len);
        fmt(q->ref, sizeof q->ref, "tcp.seq@%zu", nx);
        fmt(q->explain, sizeof q->explain,
            "frame %" PRIu64 " acknowledges everything up to %u: ack %u is the next byte it expects from the other "
            "side, so the other side's next segment starts there; frame %zu carries seq %u",
            q->frame, (unsigned)a->ack, (unsigned)a->ack, nx, (unsigned)b->seq);
        fmt(q->hint[0], sizeof q->hint[0], "each side numbers its own bytes; the other side's numbers appear here "
            "in one field");
        fmt(q->hint[1], sizeof q->hint[1], "the Acknowledgment number names the next byte expected from the other "
            "side");
        fmt(q->hint[2], sizeof q->hint[2], "frame %" PRIu64 "'s ack is %u", q->frame, (unsigned)a->ack);
        fmt(why, sizeof why, "%u is the next seq of frame %" PRIu64 "'s own side; the other side counts its own "
            "bytes, and this frame's ack names where it goes on", (unsigned)a->next_seq, q->frame);
        add_mistake(q, a->next_seq, why);
        fmt(why, sizeof why, "that is a raw number; the question asks relative ones (raw minus the ISN)");
        add_mistake(q, a->raw_ack, why);
        fmt(q->review, sizeof q->review, "a side's next seq = the ack it last received");
        return 0;
    }
    /* flags: where TCP says what comes next */
    uint16_t af = a->tcp_flags & 0x017, bf = b->tcp_flags & 0xfff;
    if (af != 0x002 && af != 0x012 && !(a->tcp_flags & 0x001))
        return -1;
    q->akind = WP_QA_FLAGS;
    q->num = bf;
    fmt(q->answer, sizeof q->answer, "%s", nfl);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " [%s] seq %u ack %u len %u. The other side sends the next segment of this connection: "
        "which TCP flags will it carry? (names, e.g. 'SYN, ACK')",
        q->frame, fl, (unsigned)a->seq, (unsigned)a->ack, (unsigned)a->seg_len);
    fmt(q->ref, sizeof q->ref, "tcp.flags@%zu", nx);
    fmt(q->hint[0], sizeof q->hint[0], "which step of opening or closing the connection is frame %" PRIu64 "?",
        q->frame);
    fmt(q->hint[1], sizeof q->hint[1], "a SYN and a FIN each take a sequence number, so each is acknowledged");
    fmt(q->hint[2], sizeof q->hint[2], "the flags are the low 12 bits of TCP bytes 12-13");
    if (af == 0x002) {
        fmt(q->explain, sizeof q->explain,
            "frame %" PRIu64 " is a SYN (step 1 of the handshake); %s; frame %zu has [%s]", q->frame,
            (bf & 0x004) ? "a closed port answers it with RST (and ACK of the SYN)"
                         : "the server acknowledges it (ACK) and opens its own direction with its own SYN: SYN, ACK "
                           "in one segment",
            nx, nfl);
        add_mistake(q, 0x010, "the server must also open its own direction: it sends its own SYN (with its ISN) "
                              "along with the ACK");
        add_mistake(q, 0x002, "the client's SYN takes a sequence number and must be acknowledged: ACK as well");
        fmt(q->review, sizeof q->review, "the three-way handshake: SYN, SYN-ACK, ACK");
    } else if (af == 0x012) {
        fmt(q->explain, sizeof q->explain,
            "frame %" PRIu64 " is the SYN-ACK (step 2); the client acknowledges the server's SYN and has nothing "
            "more to open: frame %zu has [%s]",
            q->frame, nx, nfl);
        add_mistake(q, 0x012, "the client already sent its SYN: it only acknowledges the server's (step 3)");
        add_mistake(q, 0x002, "the client's SYN was sent and acknowledged already; step 3 is the ACK");
        fmt(q->review, sizeof q->review, "the three-way handshake: SYN, SYN-ACK, ACK");
    } else {
        fmt(q->explain, sizeof q->explain,
            "frame %" PRIu64 " has FIN: its sender closes its direction; the FIN takes a sequence number and is "
            "acknowledged (ACK %u). %s; frame %zu has [%s]",
            q->frame, (unsigned)a->next_seq,
            (bf & 0x001) ? "Here the other side has nothing more to send and closes too in the same segment"
                         : "Here the other side only acknowledges; its own FIN may come later",
            nx, nfl);
        if ((bf & 0x011) == 0x011)
            add_mistake(q, bf & ~0x001u, "an ACK alone would be right TCP too (its FIN later), but here the other "
                                        "side closes at once: its FIN rides on the ACK");
        else if (bf & 0x010)
            add_mistake(q, bf | 0x001, "it could close at once, but here it only acknowledges the FIN; its own FIN "
                                       "comes later (a four-way close)");
        fmt(q->review, sizeof q->review, "closing a TCP connection: FIN, ACK, FIN, ACK");
    }
    return 0;
}

static int q_predict(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (c->solo)
        return -1;
    unsigned what = (unsigned)pick(c, 3);
    if (what)
        return q_predict_other(c, p, q, what == 2);
    const wp_flow_ann *a = &c->ann[q->frame - 1 - c->base];
    const wp_layer *tcp = layer_of(p, WP_PROTO_TCP);
    if (!tcp || a->kind != WP_FLOW_TCP || !a->has_next || (a->tcp_flags & 0x004))
        return -1;
    /* the next frame of the stream, from the other side, acknowledging all */
    size_t nx = 0;
    for (size_t i = (size_t)q->frame; i < c->nframes; i++)
        if (c->ann[i].kind == WP_FLOW_TCP && c->ann[i].stream == a->stream) {
            nx = i + 1;
            break;
        }
    if (!nx || c->ann[nx - 1].dir == a->dir || !c->ann[nx - 1].has_ack ||
        c->ann[nx - 1].ack != a->next_seq || (a->seg_len == 0 && !(a->tcp_flags & 0x003)))
        return -1;
    set_num(q, a->next_seq);
    char fl[48];
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 " [%s] has relative seq %u and %u byte%s of payload. The other side answers next and "
        "acknowledges everything: what (relative) acknowledgment number will it carry?",
        q->frame, flag_names(a->tcp_flags, fl, sizeof fl), (unsigned)a->seq, (unsigned)a->seg_len,
        a->seg_len == 1 ? "" : "s");
    fmt(q->ref, sizeof q->ref, "tcp.ack@%zu", nx);
    int synfin = (a->tcp_flags & 0x003) != 0;
    fmt(q->explain, sizeof q->explain,
        "an ACK names the next byte expected: seq + len%s = %u + %u%s = %u; frame %zu carries ack %u",
        synfin ? " + 1 (SYN/FIN)" : "", (unsigned)a->seq, (unsigned)a->seg_len, synfin ? " + 1" : "",
        (unsigned)a->next_seq, nx, (unsigned)c->ann[nx - 1].ack);
    fmt(q->hint[0], sizeof q->hint[0], "the answer is in the reply's TCP header, the Acknowledgment number");
    fmt(q->hint[1], sizeof q->hint[1], "ack = the next sequence number the receiver expects");
    fmt(q->hint[2], sizeof q->hint[2], "SYN and FIN each take one sequence number");
    char why[200];
    if (synfin) {
        fmt(why, sizeof why, "a SYN or FIN counts as one byte of sequence space: add 1");
        add_mistake(q, (uint64_t)a->seq + a->seg_len, why);
    }
    add_mistake(q, a->seq, "the ACK names the next byte expected, not the first byte received");
    fmt(why, sizeof why, "that is a raw number; the question asks relative ones (raw minus the ISN)");
    add_mistake(q, (uint32_t)(a->raw_seq + (a->next_seq - a->seq)), why);
    fmt(q->review, sizeof q->review, "ack = seq + len (+1 for SYN/FIN)");
    return 0;
}

/* Whether p decoded without a cut or invalid header or a fragment-carried
 * layer: the packets a quiz asks about. */
static int clean(const wp_packet *p)
{
    if (p->layer_cap_hit || p->events_dropped)
        return 0;
    for (unsigned i = 0; i < p->nevents; i++)
        if (p->events[i].def->kind == WP_EV_TRUNCATED || p->events[i].def->kind == WP_EV_INVALID)
            return 0;
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].flags & (WP_LF_TRUNCATED | WP_LF_FRAGMENT))
            return 0;
    return 1;
}

typedef int (*qgen)(qctx *c, const wp_packet *p, wp_quiz_q *q);
static const qgen gens[WP_QT_COUNT] = {q_value, q_locate, q_derive, q_checksum,
                                       q_relate, q_classify, q_blank, q_predict};

static int build(const wp_frame *frames, size_t nframes, uint64_t seed, unsigned count,
                 unsigned types, uint64_t first, uint64_t last, int fixed, uint64_t base, wp_quiz *qz)
{
    qz->n = 0;
    if (count > WP_QUIZ_MAX)
        count = WP_QUIZ_MAX;
    types &= (1u << WP_QT_COUNT) - 1;
    if (last > nframes)
        last = nframes;
    if (!nframes || !count || !types || first == 0 || first > last)
        return 0;
    qctx c = {frames, nframes, calloc(nframes, sizeof(wp_flow_ann)), malloc(sizeof(wp_packet)), seed,
              calloc(nframes, sizeof(struct fragkey)), base, base != 0 || nframes == 1};
    wp_flow *fl = wp_flow_new(NULL);
    if (!c.ann || !c.pkt || !c.fk || !fl) {
        free(c.ann);
        free(c.pkt);
        free(c.fk);
        wp_flow_free(fl);
        return -1;
    }
    for (size_t i = 0; i < nframes; i++) {
        wp_decode(&frames[i], c.pkt);
        wp_flow_track(fl, c.pkt, i + 1, &c.ann[i]);
        const wp_layer *ip = layer_of(c.pkt, WP_PROTO_IPV4);
        if (ip && (ip->h.ipv4.mf || ip->h.ipv4.frag_offset)) {
            struct fragkey *k = &c.fk[i];
            k->is = 1;
            k->mf = ip->h.ipv4.mf;
            k->proto = ip->h.ipv4.proto;
            k->id = ip->h.ipv4.id;
            k->off = ip->h.ipv4.frag_offset;
            memcpy(k->src, ip->h.ipv4.src, 4);
            memcpy(k->dst, ip->h.ipv4.dst, 4);
        }
    }
    wp_flow_free(fl);
    unsigned tlist[WP_QT_COUNT], nt = 0;
    for (unsigned t = 0; t < WP_QT_COUNT; t++)
        if (types & (1u << t))
            tlist[nt++] = t;
    /* each try picks a type, then a frame; a question the frame cannot give
     * (or one already asked) costs a try. Bounded: never more than this. */
    unsigned tries = count * 400u + 1000u;
    for (unsigned k = 0; k < tries && qz->n < count; k++) {
        unsigned t = tlist[(qz->n + k) % nt];
        /* a quiz on one frame draws no frame */
        uint64_t fr = fixed ? first : first + pick(&c, last - first + 1);
        wp_quiz_q *q = &qz->q[qz->n];
        memset(q, 0, sizeof *q);
        q->type = (uint8_t)t;
        q->frame = fr + base;
        wp_decode(&frames[fr - 1], c.pkt);
        /* a cut or self-contradicting packet has no one right answer */
        if (!clean(c.pkt) || gens[t](&c, c.pkt, q) != 0)
            continue;
        int dup = 0;
        /* the same thing asked twice is a duplicate; the same field of
         * another frame only once the capture has run out of others */
        for (size_t j = 0; j < qz->n && !dup; j++)
            dup = strcmp(qz->q[j].ref, q->ref) == 0 &&
                  (k < tries / 2 || (qz->q[j].frame == q->frame && strcmp(qz->q[j].text, q->text) == 0));
        if (!dup)
            qz->n++;
    }
    free(c.ann);
    free(c.pkt);
    free(c.fk);
    return (int)qz->n;
}

int wp_quiz_build(const wp_frame *frames, size_t nframes, uint64_t seed, unsigned count,
                  unsigned types, uint64_t only_frame, wp_quiz *qz)
{
    if (only_frame)
        return build(frames, nframes, seed, count, types, only_frame, only_frame, 1, 0, qz);
    return build(frames, nframes, seed, count, types, 1, nframes, 0, 0, qz);
}

int wp_quiz_build_range(const wp_frame *frames, size_t nframes, uint64_t seed, unsigned count,
                        unsigned types, uint64_t first, uint64_t last, wp_quiz *qz)
{
    if (first > last || first > nframes) {
        qz->n = 0;
        return 0;
    }
    return build(frames, nframes, seed, count, types, first, last, 0, 0, qz);
}

int wp_quiz_build_frame(const wp_frame *f, uint64_t frame_no, uint64_t seed, unsigned count,
                        wp_quiz *qz)
{
    if (frame_no == 0) {
        qz->n = 0;
        return 0;
    }
    unsigned types = (1u << WP_QT_VALUE) | (1u << WP_QT_LOCATE) | (1u << WP_QT_DERIVE) |
                     (1u << WP_QT_CHECKSUM) | (1u << WP_QT_BLANK);
    return build(f, 1, seed, count, types, 1, 1, 1, frame_no - 1, qz);
}

size_t wp_quiz_draw(const wp_quiz_q *q, const wp_frame *f, wp_sink *s)
{
    if (!q->draw || !f)
        return 0;
    wp_packet *p = malloc(sizeof *p);
    if (!p)
        return 0;
    wp_decode(f, p);
    size_t n = 0;
    /* the layer must still be the one asked about: the bits name its cell */
    if (q->layer < p->nlayers && askable(&p->layers[q->layer]))
        n = wp_diag_text_ask(s, p, q->layer, q->dbit);
    free(p);
    return n;
}
