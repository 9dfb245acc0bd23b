/* Quiz: draw questions from a capture; every answer from wirepeel's decoder,
 * field tables, conversation tracker and diagram model. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    static const unsigned protos[] = {WP_PROTO_IPV4, WP_PROTO_TCP, WP_PROTO_UDP, WP_PROTO_ICMP};
    const wp_layer *l = layer_of(p, protos[pick(c, 4)]);
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

static int q_locate(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (pick(c, 2) == 0) {
        static const unsigned protos[] = {WP_PROTO_IPV4, WP_PROTO_TCP, WP_PROTO_UDP, WP_PROTO_ICMP};
        const wp_layer *l = layer_of(p, protos[pick(c, 4)]);
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

static int q_checksum(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    (void)c;
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

static int q_relate(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (c->solo)
        return -1;
    if (pick(c, 2) == 0 && q_fragments(c, p, q) == 0)
        return 0;
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
    if (step && (pick(c, 2) == 0 || !lab)) {
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
    fmt(q->hint[0], sizeof q->hint[0], "compare with the earlier frames of this TCP stream");
    fmt(q->hint[1], sizeof q->hint[1], "which seq did this side send last, and which ack did the other side repeat?");
    fmt(q->hint[2], sizeof q->hint[2], "this side's next expected seq was %u", (unsigned)a->a_next_expected);
    fmt(q->review, sizeof q->review, "TCP analysis: retransmission, out-of-order, dup ACK");
    return 0;
}

static int q_blank(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    static const unsigned protos[] = {WP_PROTO_IPV4, WP_PROTO_TCP, WP_PROTO_UDP, WP_PROTO_ICMP};
    const wp_layer *l = layer_of(p, protos[pick(c, 4)]);
    if (!l)
        return -1;
    wp_diag d;
    if (wp_diag_build(p, (unsigned)(l - p->layers), &d) != 0 || d.ncells == 0)
        return -1;
    const wp_diag_cell *cell = &d.cells[pick(c, d.ncells)];
    if ((cell->kind != WP_DC_FIELD && cell->kind != WP_DC_BIT) || cell->missing ||
        strcmp(wp_diag_cell_name(cell), "rest") == 0)
        return -1;
    const wp_proto_info *pi = wp_proto_get(l->proto);
    char lab[48] = "";
    wp_diag_cell_label(cell, 6, lab, sizeof lab);
    const char *name = wp_diag_cell_name(cell), *title = wp_diag_cell_title(cell);
    q->akind = WP_QA_TEXT;
    fmt(q->answer, sizeof q->answer, "%s", name);
    fmt(q->accept, sizeof q->accept, "%s|%s%s%s", name, title, lab[0] ? "|" : "", lab);
    fmt(q->text, sizeof q->text,
        "Frame %" PRIu64 ", the %s header diagram with one cell blanked: which field fills bits %u..%u "
        "(bit 0 is the first bit of the header; row %u, columns %u..%u)?",
        q->frame, pi->short_name, (unsigned)cell->bit, (unsigned)(cell->bit + cell->nbits - 1),
        (unsigned)(cell->bit / 32), (unsigned)(cell->bit % 32), (unsigned)((cell->bit + cell->nbits - 1) % 32));
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

static int q_predict(qctx *c, const wp_packet *p, wp_quiz_q *q)
{
    if (c->solo)
        return -1;
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
                 unsigned types, uint64_t only_frame, uint64_t base, wp_quiz *qz)
{
    qz->n = 0;
    if (count > WP_QUIZ_MAX)
        count = WP_QUIZ_MAX;
    types &= (1u << WP_QT_COUNT) - 1;
    if (!nframes || !count || !types || only_frame > nframes)
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
        uint64_t fr = only_frame ? only_frame : 1 + pick(&c, nframes);
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
    return build(frames, nframes, seed, count, types, only_frame, 0, qz);
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
    return build(f, 1, seed, count, types, 1, frame_no - 1, qz);
}
