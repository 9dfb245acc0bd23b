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

#include "render_int.h"

static inline void key(wp_sink *s, const char *k, size_t n)
{
    wp_w(s, k, n);
}

/* Fill slot c with `,"name":` for field f (the names are identifiers that
 * need no escaping: test_render checks every table); len stays 0 when the
 * key does not fit. Once per field and sink: kept out of the loop's code. */
static __attribute__((noinline)) void json_slot_fill(struct wp_sink_fc *c, const wp_field *f)
{
    size_t n = strlen(f->name);
    c->key = f;
    c->kind = WP_FC_JSON;
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
static inline struct wp_sink_fc *json_slot(wp_sink *s, const wp_layer *l, size_t k,
                                           const wp_field *f)
{
    struct wp_sink_fc *c = wp_fc_slot(s, l->proto, k);
    if (!c)
        return NULL;
    if (c->key != f || c->kind != WP_FC_JSON)
        json_slot_fill(c, f);
    return c->len ? c : NULL;
}

/* "name": for field f, through the sink (the slow path). */
static void json_key(wp_sink *s, const wp_layer *l, size_t k, const wp_field *f)
{
    struct wp_sink_fc *c = json_slot(s, l, k, f);
    char *o;
    if (c && (o = wp_room(s, sizeof c->text)) != NULL) {
        memcpy(o, c->text + 1, sizeof c->text - 1);
        s->len += c->len - 1u;
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
#define FIELD_MAX (sizeof ((struct wp_sink_fc *)0)->text + 2 + WP_IPV6_STRLEN)
static_assert(WP_IPV6_STRLEN >= WP_MAC_STRLEN && WP_IPV6_STRLEN >= WP_IPV4_STRLEN &&
                  WP_IPV6_STRLEN >= 21,
              "FIELD_MAX assumes IPv6 text is the longest value");

/* Field f's value at o when f is a plain kind (numbers, bools, addresses);
 * NULL for the kinds the sink path writes (hex bytes, options). */
static inline char *put_value(char *o, const wp_layer *l, const wp_field *f)
{
    const uint8_t *base = (const uint8_t *)&l->h + f->soff;
    uint64_t v;
    switch (f->kind) {
    case WP_FK_UINT:
    case WP_FK_BOOL:
        /* As wp_field_uint reads it: a host-order member of ssize bytes. */
        switch (f->ssize) {
        case 1:
            v = base[0];
            break;
        case 2: {
            uint16_t t;
            memcpy(&t, base, 2);
            v = t;
            break;
        }
        case 4: {
            uint32_t t;
            memcpy(&t, base, 4);
            v = t;
            break;
        }
        case 8:
            memcpy(&v, base, 8);
            break;
        default:
            v = 0;
            break;
        }
        if (f->kind == WP_FK_UINT)
            return wp_p_u64(o, v);
        if (v) {
            memcpy(o, "true", 4);
            return o + 4;
        }
        memcpy(o, "false", 5);
        return o + 5;
    case WP_FK_MAC:
        *o++ = '"';
        o = wp_p_mac(o, base);
        *o++ = '"';
        return o;
    case WP_FK_IPV4:
        *o++ = '"';
        o = wp_p_ipv4(o, base);
        *o++ = '"';
        return o;
    case WP_FK_IPV6:
        *o++ = '"';
        o = wp_p_ipv6(o, base);
        *o++ = '"';
        return o;
    case WP_FK_HEX:
    case WP_FK_OPTIONS:
        return NULL;
    default:
        return wp_p_str(o, "null", 4);
    }
}

/* The longest table name (proto, checksum status, link type) the pointer
 * paths write; a longer one takes the slow path. */
#define JSON_NAME_MAX 32

/* The frame's head up to `"layers":[`, the slow way. */
static void head_slow(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    key(s, "{\"frame\":", 9);
    wp_u64(s, no);
    key(s, ",\"ts\":\"", 7);
    wp_rv_ts(s, p, o);
    key(s, "\",\"caplen\":", 11);
    wp_u64(s, p->caplen);
    key(s, ",\"len\":", 7);
    wp_u64(s, p->len);
    key(s, ",\"linktype\":", 12);
    const char *lt = wp_linktype_name(p->linktype);
    if (lt) {
        wp_json_ident(s, lt);
    } else if (p->linktype < 0) {
        wp_putc(s, '-');
        wp_u64(s, (uint64_t)(-(int64_t)p->linktype));
    } else {
        wp_u64(s, (uint64_t)p->linktype);
    }
    key(s, ",\"layers\":[", 11);
}

/* The same through a pointer. Bound: 9 + 21 (a number's digits and the
 * NUL wp_fmt_u64 leaves, which the next constant overwrites) + 7 + 35 (the
 * longest wp_fmt_ts text, "-9999999-12-31T23:59:59.999999999Z", and its
 * NUL) + 11 + 11 + 7 + 11 + 12 + the linktype (its name quoted, or a sign
 * and 11) + 11 < 160 + JSON_NAME_MAX. Nothing is kept until s->len moves, so
 * a name found too long on the way leaves the slow path a clean start. */
static void head_fast(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *ro)
{
    const char *lt = wp_linktype_name(p->linktype);
    char *b = wp_room(s, 160 + JSON_NAME_MAX), *o = b;
    if (!b) {
        head_slow(s, p, no, ro);
        return;
    }
    o = wp_p_str(o, "{\"frame\":", 9);
    o = wp_p_u64(o, no);
    o = wp_p_str(o, ",\"ts\":\"", 7);
    o += wp_rv_ts_text(s, p, ro, o);
    o = wp_p_str(o, "\",\"caplen\":", 11);
    o = wp_p_u64(o, p->caplen);
    o = wp_p_str(o, ",\"len\":", 7);
    o = wp_p_u64(o, p->len);
    o = wp_p_str(o, ",\"linktype\":", 12);
    if (lt) {
        *o++ = '"';
        o = wp_p_name(o, lt, JSON_NAME_MAX);
        if (!o) {
            head_slow(s, p, no, ro);
            return;
        }
        *o++ = '"';
    } else if (p->linktype < 0) {
        *o++ = '-';
        o = wp_p_u64(o, (uint64_t)(-(int64_t)p->linktype));
    } else {
        o = wp_p_u64(o, (uint64_t)p->linktype);
    }
    o = wp_p_str(o, ",\"layers\":[", 11);
    s->len += (size_t)(o - b);
}

/* Layer i, the slow way (from the start of the layer's object). */
static void layer_slow(wp_sink *s, const wp_packet *p, unsigned i)
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
        json_key(s, l, k, f);
        wp_rv_json_value(s, p, l, f);
    }
    key(s, "}}", 2);
}

/* Layer i through a pointer, falling back to the sink for a field whose key
 * has no cached text or whose value is not a plain kind, and to layer_slow
 * when there is no room. Bound of the head: 1 + 9 + the quoted name + 10 +
 * 10 + 14 + 10 + 20 + the status name + 1 + 9 (`,"fields":`) < 96 + the two
 * names (JSON_NAME_MAX each); then FIELD_MAX a field and 2 (`}}`) after them. */
static void layer_fast(wp_sink *s, const wp_packet *p, unsigned i)
{
    const wp_layer *l = &p->layers[i];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    size_t nf = pi->nfields;
    int data = l->proto >= WP_PROTO_PAYLOAD; /* wp_rv_is_data */
    char *o = wp_room(s, 96 + 2 * JSON_NAME_MAX + (data ? 0 : nf * FIELD_MAX + 2));
    if (!o) {
        layer_slow(s, p, i);
        return;
    }
    if (i)
        *o++ = ',';
    o = wp_p_str(o, "{\"proto\":\"", 10);
    o = wp_p_name(o, pi->name, JSON_NAME_MAX);
    if (!o) {
        layer_slow(s, p, i);
        return;
    }
    o = wp_p_str(o, "\",\"offset\":", 11);
    o = wp_p_u64(o, l->off);
    if (data) {
        o = wp_p_str(o, ",\"len\":", 7);
        o = wp_p_u64(o, l->len);
        *o++ = '}';
        s->len = (size_t)(o - s->buf);
        return;
    }
    o = wp_p_str(o, ",\"header_len\":", 14);
    o = wp_p_u64(o, l->hdr_len);
    const char *cs = wp_csum_name(l->csum);
    if (cs) {
        o = wp_p_str(o, ",\"checksum_status\":\"", 20);
        o = wp_p_name(o, cs, JSON_NAME_MAX);
        if (!o) {
            layer_slow(s, p, i);
            return;
        }
        *o++ = '"';
    }
    o = wp_p_str(o, ",\"fields\":", 10);
    /* The slot text starts with the comma; the first field's becomes the
     * object's opening brace. */
    char sep = '{';
    /* The layer's slots are consecutive: fields from nslot on have none. */
    struct wp_sink_fc *c0 = wp_fc_slot(s, l->proto, 0);
    size_t nslot = c0 ? sizeof s->fc / sizeof s->fc[0] - (size_t)(c0 - s->fc) : 0;
    for (size_t k = 0; k < nf; k++) {
        const wp_field *f = &pi->fields[k];
        if (!wp_field_shown(p, l, f))
            continue;
        struct wp_sink_fc *c = k < nslot ? c0 + k : NULL;
        if (c && (c->key != f || c->kind != WP_FC_JSON))
            json_slot_fill(c, f);
        if (c && c->len) {
            memcpy(o, c->text, sizeof c->text);
            *o = sep;
            char *e = put_value(o + c->len, l, f);
            if (e) {
                o = e;
                sep = ',';
                continue;
            }
        }
        /* The sink writes this field; then the rest goes on through a
         * pointer when the room for it is there again. */
        s->len = (size_t)(o - s->buf);
        wp_putc(s, sep);
        sep = ',';
        json_key(s, l, k, f);
        wp_rv_json_value(s, p, l, f);
        o = wp_room(s, (nf - k) * FIELD_MAX + 3);
        if (!o) {
            for (k++; k < nf; k++) {
                f = &pi->fields[k];
                if (!wp_field_shown(p, l, f))
                    continue;
                wp_putc(s, ',');
                json_key(s, l, k, f);
                wp_rv_json_value(s, p, l, f);
            }
            key(s, "}}", 2);
            return;
        }
    }
    if (sep == '{')
        *o++ = '{';
    o = wp_p_str(o, "}}", 2);
    s->len = (size_t)(o - s->buf);
}

void wp_render_json(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    head_fast(s, p, no, o);
    for (unsigned i = 0; i < p->nlayers; i++)
        layer_fast(s, p, i);
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
    key(s, "]}\n", 3);
}
