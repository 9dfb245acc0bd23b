/* -o json: one NDJSON object per frame, exactly as DESIGN.md fixes it.
 *
 * Speed: each piece of a frame (its head, each layer with its plain fields)
 * is written through a char pointer into room reserved once for the whole
 * piece, with the bound of what it can write worked out next to it. An fd
 * sink makes the room by flushing; a memory sink without the room takes the
 * slow path (the sink writers, which truncate safely), piece by piece, so
 * the bytes are the same either way. */
#include <assert.h>
#include <string.h>

#include "render/flow_out.h"
#include "render_int.h"

static inline void key(wp_sink *s, const char *k, size_t n)
{
    wp_w(s, k, n);
}

/* How the field loop writes a value (a slot's op): the kind's writer with
 * the value read from the header struct by its size (a number's size is a
 * constant in each case, so the writer keeps only its digits for that
 * size), or wp_p_field (or the sink, for HEX and options) for the rest. */
enum { OP_GENERIC, OP_U1, OP_U2, OP_U4, OP_U8, OP_B1, OP_MAC, OP_IPV4, OP_IPV6 };

static uint8_t json_op(const wp_field *f)
{
    switch (f->kind) {
    case WP_FK_UINT:
        return f->ssize == 1   ? OP_U1
               : f->ssize == 2 ? OP_U2
               : f->ssize == 4 ? OP_U4
               : f->ssize == 8 ? OP_U8
                               : OP_GENERIC;
    case WP_FK_BOOL:
        return f->ssize == 1 ? OP_B1 : OP_GENERIC;
    case WP_FK_MAC:
        return OP_MAC;
    case WP_FK_IPV4:
        return OP_IPV4;
    case WP_FK_IPV6:
        return OP_IPV6;
    default:
        return OP_GENERIC;
    }
}

/* Fill slot c with `,"name":` for field f (the names are identifiers that
 * need no escaping: test_render checks every table), its op and where its
 * value lives; len stays 0 when the key does not fit. Once per field and
 * sink: kept out of the loop's code. */
static __attribute__((noinline)) void json_slot_fill(struct wp_rfc *c, const wp_field *f)
{
    size_t n = strlen(f->name);
    c->key = f;
    c->kind = WP_FC_JSON;
    c->op = json_op(f);
    c->fixed = (uint8_t)wp_field_fixed(f);
    c->soff = f->soff;
    c->len = 0;
    if (n + 4 <= sizeof c->text) {
        c->text[0] = ',';
        c->text[1] = '"';
        memcpy(c->text + 2, f->name, n);
        c->text[n + 2] = '"';
        c->text[n + 3] = ':';
        c->len = (uint8_t)(n + 4);
    }
}

/* The cache slot holding `,"name":` for field k of l's table, or NULL when
 * the field has no slot or its key does not fit one. */
static inline struct wp_rfc *json_slot(wp_renderer *s, const wp_layer *l, size_t k,
                                      const wp_field *f)
{
    struct wp_rfc *c = wp_fc_slot(s, l->proto, k);
    if (!c)
        return NULL;
    if (c->key != f || c->kind != WP_FC_JSON)
        json_slot_fill(c, f);
    return c->len ? c : NULL;
}

/* The slots of proto's fields, all filled for JSON (see wp_renderer.fc_plan),
 * or NULL when some field has no slot or a key too long for one. */
static __attribute__((noinline)) struct wp_rfc *
json_plan_fill(wp_renderer *s, unsigned proto, const wp_proto_info *pi)
{
    size_t nf = pi->nfields;
    struct wp_rfc *c0 = wp_fc_slot(s, proto, 0);
    if (proto >= WP_PROTO_COUNT)
        return NULL;
    s->fc_plan[proto] = 2;
    if (!c0 || !wp_fc_slot(s, proto, nf - 1))
        return NULL;
    for (size_t k = 0; k < nf; k++) {
        const wp_field *f = &pi->fields[k];
        json_slot_fill(c0 + k, f);
        if (!c0[k].len)
            return NULL;
    }
    s->fc_plan[proto] = 1;
    return c0;
}

static inline struct wp_rfc *json_plan(wp_renderer *s, unsigned proto, const wp_proto_info *pi)
{
    if (s->fc_valid && proto < WP_PROTO_COUNT && s->fc_plan[proto] == 1)
        return &s->fc[s->fc_base[proto]];
    if (s->fc_valid && proto < WP_PROTO_COUNT && s->fc_plan[proto] == 2)
        return NULL;
    return json_plan_fill(s, proto, pi);
}

/* "name": for field f, through the sink (the slow path). */
static void json_key(wp_renderer *r, wp_sink *s, const wp_layer *l, size_t k, const wp_field *f)
{
    struct wp_rfc *c = json_slot(r, l, k, f);
    char *o;
    if (c && (o = wp_room(s, sizeof c->text)) != NULL) {
        memcpy(o, c->text + 1, sizeof c->text - 1);
        wp_room_end(s, o, o + c->len - 1, sizeof c->text);
        return;
    }
    wp_json_ident(s, f->name);
    wp_putc(s, ':');
}

/* The most one plain field writes in the fast loop: the whole slot text
 * (copied at its fixed size, the key and its leading comma or brace are at
 * most that long) and a value: a number is at most 20 digits, true/false 5
 * (copied as 5), null 4, an address 1 + at most 45 stored (wp_p_ipv6 39,
 * wp_p_mac 17, wp_p_ipv4 15 + 3 slack) + 1 < 2 + WP_IPV6_STRLEN. */
#define FIELD_MAX (sizeof ((struct wp_rfc *)0)->text + 2 + WP_IPV6_STRLEN)
static_assert(WP_IPV6_STRLEN >= WP_MAC_STRLEN && WP_IPV6_STRLEN >= WP_IPV4_STRLEN &&
                  WP_IPV6_STRLEN >= 21,
              "FIELD_MAX assumes IPv6 text is the longest value");

/* The longest table name (proto, checksum status, link type) the pointer
 * paths write; a longer one takes the slow path. */
#define JSON_NAME_MAX 32

/* Fill s->jl with `,"linktype":...,"layers":[` for linktype (see
 * wp_renderer.jl_len): the name quoted, or the number with its sign. */
static __attribute__((noinline)) void linktype_fill(wp_renderer *s, int linktype)
{
    const char *lt = wp_linktype_name(linktype);
    char *o = wp_p_str(s->jl, ",\"linktype\":", 12);
    s->jl_type = linktype;
    s->jl_len = 0xff;
    if (lt) {
        size_t n = strlen(lt);
        if (n > sizeof s->jl - 12 - 2 - 11)
            return;
        *o++ = '"';
        o = wp_p_str(o, lt, n);
        *o++ = '"';
    } else if (linktype < 0) {
        *o++ = '-';
        o = wp_p_u64(o, (uint64_t)(-(int64_t)linktype)); /* 10 digits and slack */
    } else {
        o = wp_p_u64(o, (uint64_t)linktype);
    }
    o = wp_p_str(o, ",\"layers\":[", 11);
    s->jl_len = (uint8_t)(o - s->jl);
}

/* The frame's head up to `"layers":[` through a pointer (a memory sink
 * without the room: into tmp, keeping what fits). Bound: 9 + 21 (a number's
 * digits and the slack of wp_p_u64, which the next constant overwrites) + 7
 * + 35 (the longest wp_fmt_ts text, "-9999999-12-31T23:59:59.999999999Z",
 * and its NUL) + 11 + 11 + 7 + 11 + the linktype's cached text (48), or
 * uncached 12 + 2 + JSON_NAME_MAX + 11 (a longer name, none in the tables,
 * is cut) < 160 + JSON_NAME_MAX. */
static void head_fast(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    if (!r->jl_len || r->jl_type != p->linktype)
        linktype_fill(r, p->linktype);
    char tmp[160 + JSON_NAME_MAX];
    char *b = wp_chunk_begin(s, sizeof tmp, tmp);
    char *o = wp_p_str(b, "{\"frame\":", 9);
    o = wp_p_u64(o, no);
    o = wp_p_str(o, ",\"ts\":\"", 7);
    o += wp_rv_ts_text(r, p, o);
    o = wp_p_str(o, "\",\"caplen\":", 11);
    o = wp_p_u64(o, p->caplen);
    o = wp_p_str(o, ",\"len\":", 7);
    o = wp_p_u64(o, p->len);
    if (r->jl_len != 0xff) {
        memcpy(o, r->jl, sizeof r->jl);
        o += r->jl_len;
    } else {
        /* only a name too long for s->jl gets here (see linktype_fill) */
        o = wp_p_str(o, ",\"linktype\":\"", 13);
        o = wp_p_name_cut(o, wp_linktype_name(p->linktype), JSON_NAME_MAX);
        o = wp_p_str(o, "\",\"layers\":[", 12);
    }
    wp_chunk_end(s, b, o, tmp, sizeof tmp);
}

/* Layer i, the slow way (from the start of the layer's object). */
static void layer_slow(wp_renderer *r, wp_sink *s, const wp_packet *p, unsigned i)
{
    const wp_layer *l = &p->layers[i];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    if (i)
        wp_putc(s, ',');
    key(s, "{\"proto\":", 9);
    wp_json_ident(s, pi->name);
    key(s, ",\"offset\":", 10);
    wp_u64(s, l->off);
    if (wp_rv_is_data(l)) {
        key(s, ",\"len\":", 7);
        wp_u64(s, l->len);
        wp_putc(s, '}');
        return;
    }
    key(s, ",\"header_len\":", 14);
    wp_u64(s, l->hdr_len);
    const char *cs = wp_csum_name(l->csum);
    if (cs) {
        key(s, ",\"checksum_status\":\"", 20);
        wp_puts(s, cs);
        wp_putc(s, '"');
    }
    key(s, ",\"fields\":{", 11);
    int first = 1;
    for (size_t k = 0; k < pi->nfields; k++) {
        const wp_field *f = &pi->fields[k];
        if (!wp_field_shown(p, l, f))
            continue;
        if (!first)
            wp_putc(s, ',');
        first = 0;
        json_key(r, s, l, k, f);
        wp_rv_field(s, p, l, f, WP_VS_JSON);
    }
    key(s, "}}", 2);
}

/* Fill s->jp[proto] with `name","offset":` (see wp_renderer.jp_len). */
static __attribute__((noinline)) void proto_key_fill(wp_renderer *s, unsigned proto)
{
    const char *name = wp_proto_get(proto)->name;
    size_t n = strlen(name);
    s->jp_len[proto] = 0xff;
    if (n > 0 && n + 11 <= sizeof s->jp[0]) {
        memset(s->jp[proto], 0, sizeof s->jp[0]);
        memcpy(s->jp[proto], name, n);
        memcpy(s->jp[proto] + n, "\",\"offset\":", 11);
        s->jp_len[proto] = (uint8_t)(n + 11);
    }
}

/* The length of s->jp[proto] (proto < WP_PROTO_COUNT), or 0xff: too long. */
static inline unsigned proto_key(wp_renderer *s, unsigned proto)
{
    if (!s->jp_len[proto])
        proto_key_fill(s, proto);
    return s->jp_len[proto];
}

/* Fill s->jc[c] with `,"checksum_status":"good"` (see wp_renderer.jc_len). */
static __attribute__((noinline)) void csum_key_fill(wp_renderer *s, unsigned c)
{
    const char *name = wp_csum_name(c);
    size_t n = name ? strlen(name) : 0;
    s->jc_len[c] = name ? 0xff : 0xfe;
    if (name && n + 21 <= sizeof s->jc[0]) {
        memset(s->jc[c], 0, sizeof s->jc[0]);
        memcpy(s->jc[c], ",\"checksum_status\":\"", 20);
        memcpy(s->jc[c] + 20, name, n);
        s->jc[c][20 + n] = '"';
        s->jc_len[c] = (uint8_t)(n + 21);
    }
}

/* The length of s->jc[c] (c < 8), 0xfe: no status, 0xff: too long. */
static inline unsigned csum_key(wp_renderer *s, unsigned c)
{
    if (!s->jc_len[c])
        csum_key_fill(s, c);
    return s->jc_len[c];
}

/* Layer i through a pointer, falling back to the sink for a field whose key
 * has no cached text or whose value is not a plain kind, and to layer_slow
 * when there is no room. Bound of the head: 1 + 9 + the quoted name + 10 +
 * 10 + 14 + 10 + 20 + the status name + 1 + 9 (`,"fields":`) < 96 + the two
 * names (JSON_NAME_MAX each); then FIELD_MAX a field and 2 (`}}`) after them. */
static void layer_fast(wp_renderer *r, wp_sink *s, const wp_packet *p, unsigned i)
{
    const wp_layer *l = &p->layers[i];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    size_t nf = pi->nfields;
    int data = l->proto >= WP_PROTO_PAYLOAD; /* wp_rv_is_data */
    /* the room (rb, rn) the pointer writes into: the layer's, then after
     * a value the sink wrote, the room of the fields left */
    size_t rn = 96 + 2 * JSON_NAME_MAX + (data ? 0 : nf * FIELD_MAX + 2);
    char *rb = wp_room(s, rn), *o = rb;
    if (!o) {
        layer_slow(r, s, p, i);
        return;
    }
    if (i)
        *o++ = ',';
    o = wp_p_str(o, "{\"proto\":\"", 10);
    unsigned n = l->proto < WP_PROTO_COUNT ? proto_key(r, l->proto) : 0xff;
    if (n != 0xff) {
        memcpy(o, r->jp[l->proto], sizeof r->jp[0]);
        o += n;
    } else {
        o = wp_p_name(o, pi->name, JSON_NAME_MAX);
        if (!o) {
            layer_slow(r, s, p, i);
            return;
        }
        o = wp_p_str(o, "\",\"offset\":", 11);
    }
    o = wp_p_u64(o, l->off);
    if (data) {
        o = wp_p_str(o, ",\"len\":", 7);
        o = wp_p_u64(o, l->len);
        *o++ = '}';
        wp_room_end(s, rb, o, rn);
        return;
    }
    o = wp_p_str(o, ",\"header_len\":", 14);
    o = wp_p_u64(o, l->hdr_len);
    n = l->csum < sizeof r->jc_len ? csum_key(r, l->csum) : 0xff;
    if (n < 0xfe) {
        memcpy(o, r->jc[l->csum], sizeof r->jc[0]);
        o += n;
    } else if (n == 0xff) {
        const char *cs = wp_csum_name(l->csum);
        if (cs) {
            o = wp_p_str(o, ",\"checksum_status\":\"", 20);
            o = wp_p_name(o, cs, JSON_NAME_MAX);
            if (!o) {
                layer_slow(r, s, p, i);
                return;
            }
            *o++ = '"';
        }
    }
    struct wp_rfc *c0 = json_plan(r, l->proto, pi);
    if (!c0) {
        layer_slow(r, s, p, i);
        return;
    }
    o = wp_p_str(o, ",\"fields\":", 10);
    /* Every slot text starts with a comma: the first field's becomes the
     * object's opening brace (first: where it is, NULL once done). */
    char *first = o;
    /* Decided once for the layer (see wp_fixed_shown); the fields that are
     * not fixed are asked one by one. */
    uint8_t all = (uint8_t)wp_fixed_shown(r, p, l);
    for (const struct wp_rfc *c = c0, *ce = c0 + nf; c < ce; c++) {
        if (!(all & c->fixed) && !wp_field_shown(p, l, c->key))
            continue;
        /* the key: most are short, copied at 16 bytes */
        if (c->len <= 16)
            memcpy(o, c->text, 16);
        else
            memcpy(o, c->text, sizeof c->text);
        char *v = o + c->len;
        const uint8_t *base = (const uint8_t *)&l->h + c->soff;
        switch (c->op) {
        case OP_U1:
            o = wp_p_k_uint(v, base[0], 1, 0);
            continue;
        case OP_U2: {
            uint16_t t;
            memcpy(&t, base, 2);
            o = wp_p_k_uint(v, t, 2, 0);
            continue;
        }
        case OP_U4: {
            uint32_t t;
            memcpy(&t, base, 4);
            o = wp_p_k_uint(v, t, 4, 0);
            continue;
        }
        case OP_U8: {
            uint64_t t;
            memcpy(&t, base, 8);
            o = wp_p_k_uint(v, t, 8, 0);
            continue;
        }
        case OP_B1:
            o = wp_p_k_bool(v, base[0], WP_VS_JSON);
            continue;
        case OP_MAC:
            o = wp_p_k_addr(v, WP_FK_MAC, base, WP_VS_JSON);
            continue;
        case OP_IPV4:
            o = wp_p_k_addr(v, WP_FK_IPV4, base, WP_VS_JSON);
            continue;
        case OP_IPV6:
            o = wp_p_k_addr(v, WP_FK_IPV6, base, WP_VS_JSON);
            continue;
        default:
            break;
        }
        const wp_field *f = c->key;
        /* HEX (up to 3 x 255 bytes) and options (a list) are longer than
         * FIELD_MAX: the sink writes them */
        if (f->kind != WP_FK_HEX && f->kind != WP_FK_OPTIONS && f->kind != WP_FK_TEXT) {
            o = wp_p_field(v, l, f, WP_VS_JSON);
            continue;
        }
        /* The sink writes this value (its separator and key are there);
         * then the rest goes on through a pointer when the room for it is
         * there again. */
        if (first) {
            *first = '{';
            first = NULL;
        }
        wp_room_end(s, rb, v, rn);
        wp_rv_field(s, p, l, f, WP_VS_JSON);
        size_t k = (size_t)(c - c0);
        rn = (nf - k) * FIELD_MAX + 3;
        o = rb = wp_room(s, rn);
        if (!o) {
            for (k++; k < nf; k++) {
                f = &pi->fields[k];
                if (!wp_field_shown(p, l, f))
                    continue;
                wp_putc(s, ',');
                json_key(r, s, l, k, f);
                wp_rv_field(s, p, l, f, WP_VS_JSON);
            }
            key(s, "}}", 2);
            return;
        }
    }
    if (first == o)
        *o++ = '{';
    else if (first)
        *first = '{';
    o = wp_p_str(o, "}}", 2);
    wp_room_end(s, rb, o, rn);
}

void wp_render_json(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    head_fast(r, s, p, no);
    for (unsigned i = 0; i < p->nlayers; i++)
        layer_fast(r, s, p, i);
    key(s, "],\"events\":[", 12);
    for (unsigned i = 0; i < p->nevents; i++) {
        const wp_event *e = &p->events[i];
        const char *lname =
            e->layer < p->nlayers ? wp_proto_get(p->layers[e->layer].proto)->name : "packet";
        if (i)
            wp_putc(s, ',');
        key(s, "{\"layer\":", 9);
        wp_json_ident(s, lname);
        key(s, ",\"code\":", 8);
        wp_sink_json_str(s, e->def->code, strlen(e->def->code));
        key(s, ",\"text\":", 8);
        /* The text is built in a small buffer so it can be escaped as a whole. */
        char tb[256];
        wp_sink ts;
        wp_sink_init_mem(&ts, tb, sizeof tb);
        wp_rv_event_text(&ts, e);
        wp_sink_json_str(s, tb, ts.len);
        wp_putc(s, '}');
    }
    wp_putc(s, ']');
    if (r->o.flow)
        wp_flow_out_json(s, r->o.flow);
    key(s, "}\n", 2);
}
