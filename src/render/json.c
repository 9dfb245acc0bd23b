/* -o json: one NDJSON object per frame, exactly as DESIGN.md fixes it. */
#include <string.h>

#include "render_int.h"

static inline void key(wp_sink *s, const char *k, size_t n)
{
    wp_w(s, k, n);
}

/* "name": for field f, from the sink's per-field cache (the names are
 * identifiers that need no escaping: test_render checks every table). */
static void json_key(wp_sink *s, const wp_layer *l, size_t k, const wp_field *f)
{
    struct wp_sink_fc *c = wp_fc_slot(s, l->proto, k);
    if (!c) {
        wp_json_ident(s, f->name);
        wp_putc(s, ':');
        return;
    }
    if (c->key != f || c->kind != WP_FC_JSON) {
        size_t n = strlen(f->name);
        c->key = f;
        c->kind = WP_FC_JSON;
        c->len = 0;
        if (n + 3 <= sizeof c->text) {
            c->text[0] = '"';
            memcpy(c->text + 1, f->name, n);
            c->text[n + 1] = '"';
            c->text[n + 2] = ':';
            c->len = (uint8_t)(n + 3);
        }
    }
    if (c->len && s->cap > s->len && s->cap - s->len > sizeof c->text) {
        memcpy(s->buf + s->len, c->text, sizeof c->text);
        s->len += c->len;
        return;
    }
    wp_json_ident(s, f->name);
    wp_putc(s, ':');
}

void wp_render_json(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
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
    for (unsigned i = 0; i < p->nlayers; i++) {
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
            continue;
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
