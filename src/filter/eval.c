/* Display-filter evaluator: runs a compiled program (filter_int.h) over a
 * decoded packet. Reads the layers through the field tables (packet.h's
 * accessors) and the frame's bytes within caplen; allocates nothing. */
#include <string.h>

#include "filter_int.h"
#include "wirepeel/flow.h"

/* One occurrence of a name's value: a number, and/or a byte span. */
typedef struct occ {
    uint64_t u;
    const uint8_t *b;
    uint32_t n;
} occ;

/* The bytes [off, off+len) of the frame, clipped to what was captured. */
static void frame_span(const wp_packet *p, uint32_t off, uint32_t len, occ *o)
{
    /* no bytes: point at a constant empty span, never at NULL + 0 */
    static const uint8_t none[1];
    if (!p->data || off >= p->caplen || len == 0) {
        o->b = none;
        o->n = 0;
        return;
    }
    o->b = p->data + off;
    o->n = len <= p->caplen - off ? len : p->caplen - off;
}

/* A conversation field of annotation a; 1 when the frame has it. An ICMP
 * error's annotation carries only the quoted packet's stream. */
static int flow_value(const wp_flow_ann *a, const wpf_cand *c, occ *o)
{
    const int tcp = a->kind == WP_FLOW_TCP && !(a->events & WP_FLOW_EV_QUOTED);
    switch (c->field) {
    case WPF_FL_STREAM:
        o->u = a->stream;
        return a->kind != WP_FLOW_NONE;
    case WPF_FL_TCP_STREAM:
        o->u = a->stream;
        return a->kind == WP_FLOW_TCP;
    case WPF_FL_UDP_STREAM:
        o->u = a->stream;
        return a->kind == WP_FLOW_UDP;
    case WPF_FL_SEQ:
        o->u = a->seq;
        return tcp;
    case WPF_FL_ACK:
        o->u = a->ack;
        return tcp && a->has_ack;
    case WPF_FL_NEXT_SEQ:
        o->u = a->next_seq;
        return tcp && a->has_next;
    case WPF_FL_SEG_LEN:
        o->u = a->seg_len;
        return tcp;
    case WPF_FL_WINDOW:
        o->u = a->window;
        return tcp;
    case WPF_FL_ANALYSIS:
        o->u = 1;
        return tcp && (a->analysis & c->bit) != 0;
    case WPF_FL_DUP_ACK_NUM:
        o->u = a->dup_ack_num;
        return tcp && a->dup_ack_num != 0;
    case WPF_FL_REPLY_TO:
        o->u = a->reply_to;
        return a->reply_to != 0;
    case WPF_FL_ICMP_RESP_TO:
        o->u = a->reply_to;
        return a->kind == WP_FLOW_ICMP && a->reply_to != 0;
    default:
        return 0;
    }
}

/* The value of candidate c in layer l (NULL for the frame-level ones).
 * whole: a protocol's bytes to the end of what carries it (contains), not
 * only its header. 1 when it occurs there, else 0. */
static int cand_value(const wp_packet *p, const wp_layer *l, const wpf_cand *c,
                      const wp_filter_frame *fr, int whole, occ *o)
{
    memset(o, 0, sizeof *o);
    switch (c->kind) {
    case WPF_C_FIELD: {
        const wp_proto_info *pi = wp_proto_get(l->proto);
        if (c->field >= pi->nfields)
            return 0;
        const wp_field *f = &pi->fields[c->field];
        if (!wp_field_shown(p, l, f))
            return 0;
        if (f->kind == WP_FK_UINT || f->kind == WP_FK_BOOL) {
            uint64_t v = wp_field_uint(l, f);
            if (c->use_mult && f->mult)
                v *= f->mult;
            if (c->zero_len && v == 0)
                v = l->len; /* what Wireshark's ip.len shows then */
            if (c->bit)
                v = (v & c->bit) != 0;
            o->u = v;
            return 1;
        }
        const uint8_t *b = wp_field_bytes(l, f);
        if (b && f->kind != WP_FK_HEX) {
            o->b = b;
            o->n = f->ssize;
            return 1;
        }
        uint32_t off, len;
        wp_field_span(l, f, &off, &len);
        frame_span(p, off, len, o);
        return 1;
    }
    case WPF_C_PROTO:
        if (whole) {
            /* contains searches what Wireshark's protocol was handed: from
             * the header on, to the end of what carries it */
            uint32_t end = l->avail_end && l->avail_end < p->caplen ? l->avail_end : p->caplen;
            frame_span(p, l->off, end > l->off ? end - l->off : 0, o);
        } else {
            /* a slice sees the protocol item: the header (a data layer's
             * data) */
            frame_span(p, l->off, l->hdr_len ? l->hdr_len : l->len, o);
        }
        return 1;
    case WPF_C_SEG_LEN:
        /* a cut header gives no payload length */
        if (l->flags & WP_LF_TRUNCATED)
            return 0;
        o->u = l->len > l->hdr_len ? l->len - l->hdr_len : 0;
        return 1;
    case WPF_C_FRAME:
        frame_span(p, 0, p->caplen, o);
        return 1;
    case WPF_C_FRAME_LEN:
        o->u = p->len;
        return 1;
    case WPF_C_FRAME_CAPLEN:
        o->u = p->caplen;
        return 1;
    case WPF_C_FRAME_NUMBER:
        o->u = fr ? fr->number : 0;
        return 1;
    case WPF_C_FLOW:
        return fr && fr->flow ? flow_value(fr->flow, c, o) : 0;
    default:
        return 0;
    }
}

/* Apply the ref's slice to o's bytes; 0 when the slice falls outside. */
static int apply_slice(const wpf_ref *r, occ *o)
{
    int64_t off = r->soff < 0 ? (int64_t)o->n + r->soff : r->soff;
    if (off < 0 || off > (int64_t)o->n)
        return 0;
    uint32_t rest = o->n - (uint32_t)off;
    uint32_t len = r->slice_to_end ? rest : r->slen;
    if (len > rest)
        return 0;
    o->b += off;
    o->n = len;
    return 1;
}

/* memcmp order, then length. */
static int bytes_cmp(const uint8_t *a, uint32_t an, const uint8_t *b, uint32_t bn)
{
    uint32_t m = an < bn ? an : bn;
    int c = m ? memcmp(a, b, m) : 0;
    if (c)
        return c;
    return an < bn ? -1 : an > bn;
}

/* Whether a's first bits bits equal b's. */
static int prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (whole && memcmp(a, b, whole) != 0)
        return 0;
    if (!rest)
        return 1;
    uint8_t m = (uint8_t)(0xffu << (8 - rest));
    return (a[whole] & m) == (b[whole] & m);
}

static int contains(const uint8_t *h, uint32_t hn, const uint8_t *nd, uint32_t nn)
{
    if (nn == 0)
        return 1;
    if (nn > hn)
        return 0;
    /* at most hn - nn + 1 starts, each compared once */
    for (uint32_t i = 0; i + nn <= hn; i++)
        if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
            return 1;
    return 0;
}

/* Whether one element matches o as equal (or within its range). */
static int elem_eq(const wp_filter *f, int num, const wpf_elem *e, const occ *o)
{
    if (num)
        return o->u >= e->lo && o->u <= e->hi;
    const uint8_t *lo = f->lit + e->boff;
    if (e->is_range)
        return bytes_cmp(o->b, o->n, lo, e->blen) >= 0 &&
               bytes_cmp(o->b, o->n, f->lit + e->hoff, e->hlen) <= 0;
    if (o->n != e->blen)
        return 0;
    if (e->prefix < e->blen * 8u)
        return prefix_eq(o->b, lo, e->prefix);
    return memcmp(o->b, lo, e->blen) == 0;
}

/* The test's operator on one occurrence. For NE it answers "equal" (the
 * caller inverts over all occurrences). */
static int test_one(const wp_filter *f, const wpf_node *n, const occ *o)
{
    const int num = n->ref.vtype == WPF_V_NUM;
    const wpf_elem *e = &f->elems[n->elem_first];
    int c;
    switch (n->op) {
    case WPF_OP_EQ:
    case WPF_OP_NE:
        return elem_eq(f, num, e, o);
    case WPF_OP_ANY_NE:
        return !elem_eq(f, num, e, o);
    case WPF_OP_IN:
        for (unsigned i = 0; i < n->elem_count; i++)
            if (elem_eq(f, num, e + i, o))
                return 1;
        return 0;
    case WPF_OP_BITAND:
        return (o->u & e->lo) != 0;
    case WPF_OP_CONTAINS:
        return contains(o->b, o->n, f->lit + e->boff, e->blen);
    default:
        break;
    }
    if (num)
        c = o->u < e->lo ? -1 : o->u > e->lo;
    else
        c = bytes_cmp(o->b, o->n, f->lit + e->boff, e->blen);
    switch (n->op) {
    case WPF_OP_LT:
        return c < 0;
    case WPF_OP_LE:
        return c <= 0;
    case WPF_OP_GT:
        return c > 0;
    case WPF_OP_GE:
        return c >= 0;
    default:
        return 0;
    }
}

static int frame_level(const wpf_cand *c)
{
    return c->kind != WPF_C_FIELD && c->kind != WPF_C_PROTO && c->kind != WPF_C_SEG_LEN;
}

/* Visit one occurrence; returns 1 when the answer is settled. */
static int visit(const wp_filter *f, const wpf_node *n, occ *o, unsigned *seen, int *hit)
{
    if (n->ref.sliced && !apply_slice(&n->ref, o))
        return 0;
    (*seen)++;
    if (n->op == WPF_OP_EXISTS) {
        *hit = 1;
        return 1;
    }
    if (test_one(f, n, o)) {
        *hit = 1;
        return 1; /* any: true; NE: an equal one makes it false */
    }
    return 0;
}

static int eval_test(const wp_filter *f, const wpf_node *n, const wp_packet *p,
                     const wp_filter_frame *fr)
{
    unsigned seen = 0;
    int hit = 0;
    const int whole = n->op == WPF_OP_CONTAINS && !n->ref.sliced;
    occ o;
    for (unsigned k = 0; k < n->ref.ncand && !hit; k++) {
        const wpf_cand *c = &n->ref.cand[k];
        if (frame_level(c)) {
            if (cand_value(p, NULL, c, fr, whole, &o))
                visit(f, n, &o, &seen, &hit);
            continue;
        }
        for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
            const wp_layer *l = &p->layers[i];
            if (l->proto != c->proto || !cand_value(p, l, c, fr, whole, &o))
                continue;
            if (visit(f, n, &o, &seen, &hit))
                break;
        }
    }
    if (n->op == WPF_OP_NE)
        return seen > 0 && !hit;
    return hit;
}

/* Recursion is bounded by the node count: children always have lower
 * indices than their parent (they are made first). */
static int eval(const wp_filter *f, unsigned id, const wp_packet *p, const wp_filter_frame *fr)
{
    const wpf_node *n = &f->nodes[id];
    switch (n->type) {
    case WPF_N_AND:
        return n->a < id && n->b < id && eval(f, n->a, p, fr) && eval(f, n->b, p, fr);
    case WPF_N_OR:
        return n->a < id && n->b < id && (eval(f, n->a, p, fr) || eval(f, n->b, p, fr));
    case WPF_N_NOT:
        return n->a < id && !eval(f, n->a, p, fr);
    case WPF_N_TEST:
        return eval_test(f, n, p, fr);
    default:
        return 0;
    }
}

int wp_filter_uses_flow(const wp_filter *f)
{
    for (unsigned i = 0; f && i < f->nnodes; i++)
        for (unsigned k = 0; f->nodes[i].type == WPF_N_TEST && k < f->nodes[i].ref.ncand; k++)
            if (f->nodes[i].ref.cand[k].kind == WPF_C_FLOW)
                return 1;
    return 0;
}

int wp_filter_match(const wp_filter *f, const wp_packet *p, const wp_filter_frame *fr)
{
    if (!f || !p || f->root >= f->nnodes)
        return 0;
    return eval(f, f->root, p, fr);
}
