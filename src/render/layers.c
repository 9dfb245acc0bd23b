/* -o layers: one block per layer, indented by nesting depth: a title line
 * with the byte range and header length, every shown field with its value
 * and derived arithmetic, the checksum status, options one per line, the
 * layer's events; data layers with their range and a printable preview. */
#include <string.h>

#include "render_int.h"

#define NAME_COL 14
#define TITLE_COL 26

void wp_rv_frame_title(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    wp_puts(s, "Frame ");
    wp_u64(s, no);
    wp_w(s, ": ", 2);
    wp_u64(s, p->caplen);
    wp_puts(s, " bytes captured of ");
    wp_u64(s, p->len);
    wp_puts(s, ", ");
    const char *lt = wp_linktype_name(p->linktype);
    if (lt) {
        wp_puts(s, lt);
    } else {
        wp_puts(s, "linktype ");
        wp_u64(s, (uint64_t)(uint32_t)p->linktype);
    }
    wp_w(s, ", ", 2);
    wp_rv_ts(s, p, o);
    wp_putc(s, '\n');
}

static void range(wp_sink *s, uint32_t off, uint32_t n)
{
    wp_putc(s, '@');
    wp_u64(s, off);
    if (n > 1) {
        wp_w(s, "..", 2);
        wp_u64(s, off + n - 1);
    }
}

static void preview(wp_sink *s, const wp_packet *p, const wp_layer *l)
{
    uint32_t n = l->len;
    if (l->off >= p->caplen || n == 0)
        return;
    if (n > p->caplen - l->off)
        n = p->caplen - l->off;
    uint32_t show = n > 48 ? 48 : n;
    char buf[52];
    for (uint32_t i = 0; i < show; i++) {
        uint8_t c = p->data[l->off + i];
        buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
    }
    wp_w(s, "  \"", 3);
    wp_w(s, buf, show);
    wp_putc(s, '"');
    if (show < n)
        wp_puts(s, "...");
}

static void events_of(wp_sink *s, const wp_packet *p, unsigned layer, unsigned indent)
{
    for (unsigned i = 0; i < p->nevents; i++) {
        const wp_event *e = &p->events[i];
        int mine = layer < p->nlayers ? e->layer == layer : e->layer >= p->nlayers;
        if (!mine)
            continue;
        wp_sink_pad(s, indent);
        wp_w(s, "! ", 2);
        wp_puts(s, e->def->code);
        wp_w(s, ": ", 2);
        wp_rv_event_text(s, e);
        wp_putc(s, '\n');
    }
}

/* "    name          Title                     ": the columns after the
 * indent come from the sink's per-field cache, laid out once per field and
 * then copied in one fixed-size move when the buffer has room. */
static void field_head_slow(wp_sink *s, unsigned ind, const wp_field *f)
{
    size_t nl = strlen(f->name), tl = strlen(f->title);
    size_t c1 = ind + (nl < NAME_COL ? NAME_COL : nl + 1);
    size_t total = c1 + (tl < TITLE_COL ? TITLE_COL : tl + 1);
    wp_sink_pad(s, ind);
    wp_w(s, f->name, nl);
    wp_sink_pad(s, c1 - ind - nl);
    wp_w(s, f->title, tl);
    wp_sink_pad(s, total - c1 - tl);
}

static void field_head(wp_sink *s, unsigned ind, const wp_layer *l, size_t k,
                       const wp_field *f)
{
    static const char sp[40] = "                                        ";
    struct wp_sink_fc *c = wp_fc_slot(s, l->proto, k);
    if (!c) {
        field_head_slow(s, ind, f);
        return;
    }
    if (c->key != f || c->kind != WP_FC_LAYERS) {
        size_t nl = strlen(f->name), tl = strlen(f->title);
        size_t c1 = nl < NAME_COL ? NAME_COL : nl + 1;
        size_t total = c1 + (tl < TITLE_COL ? TITLE_COL : tl + 1);
        c->key = f;
        c->kind = WP_FC_LAYERS;
        c->len = 0;
        if (total <= sizeof c->text) {
            memset(c->text, ' ', sizeof c->text);
            memcpy(c->text, f->name, nl);
            memcpy(c->text + c1, f->title, tl);
            c->len = (uint8_t)total;
        }
    }
    if (c->len && ind <= sizeof sp && s->cap > s->len &&
        s->cap - s->len > sizeof sp + sizeof c->text) {
        char *o = s->buf + s->len;
        memcpy(o, sp, sizeof sp);
        memcpy(o + ind, c->text, sizeof c->text);
        s->len += ind + c->len;
        return;
    }
    field_head_slow(s, ind, f);
}

void wp_render_layers(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    wp_rv_frame_title(s, p, no, o);
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        unsigned ind = 2u + 2u * (l->depth < 16 ? l->depth : 16);
        wp_sink_pad(s, ind);
        wp_puts(s, pi->short_name);
        if (wp_rv_is_data(l)) {
            wp_w(s, "  ", 2);
            range(s, l->off, l->len);
            wp_w(s, "  ", 2);
            wp_u64(s, l->len);
            wp_puts(s, l->len == 1 ? " byte" : " bytes");
            preview(s, p, l);
            wp_putc(s, '\n');
            events_of(s, p, i, ind + 2);
            continue;
        }
        wp_w(s, " (", 2);
        wp_puts(s, pi->title);
        wp_w(s, ")  ", 3);
        range(s, l->off, l->hdr_len);
        wp_puts(s, "  header ");
        wp_u64(s, l->hdr_len);
        wp_puts(s, l->hdr_len == 1 ? " byte" : " bytes");
        if (l->len != l->hdr_len) {
            wp_puts(s, ", length ");
            wp_u64(s, l->len);
        }
        const char *cs = wp_csum_name(l->csum);
        if (cs) {
            wp_puts(s, "  checksum ");
            wp_puts(s, cs);
            if (l->csum == WP_CSUM_BAD) {
                wp_puts(s, " (computed 0x");
                wp_sink_hex(s, l->csum_computed, 4);
                wp_putc(s, ')');
            }
        }
        if (l->flags & WP_LF_TRUNCATED)
            wp_puts(s, "  [truncated]");
        if (l->flags & WP_LF_QUOTED)
            wp_puts(s, "  [quoted]");
        if (l->flags & WP_LF_FRAGMENT)
            wp_puts(s, "  [in a fragment]");
        wp_putc(s, '\n');
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (!wp_field_shown(p, l, f))
                continue;
            field_head(s, ind + 2, l, k, f);
            wp_rv_value(s, p, l, f, 0);
            wp_putc(s, '\n');
            if (f->kind != WP_FK_OPTIONS)
                continue;
            unsigned end = (unsigned)l->opt_first + l->opt_count;
            for (unsigned j = l->opt_first; j < end && j < p->nopts; j++) {
                const wp_opt *op = &p->opts[j];
                wp_sink_pad(s, ind + 4);
                range(s, op->off, op->len ? op->len : 1);
                wp_putc(s, ' ');
                wp_rv_opt_text(s, p, l, op);
                wp_putc(s, '\n');
            }
        }
        events_of(s, p, i, ind + 2);
    }
    events_of(s, p, WP_MAX_LAYERS, 2);
    wp_putc(s, '\n');
}
