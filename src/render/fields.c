/* -o fields: one tab-separated line per field, stable and diff-friendly:
 *   frame  layer(index:proto)  field  offset  length  raw-hex  value
 * Options get a line each ("options[0]"), data layers one line ("data"), and
 * events one line ("!event", the code as value). Values: numbers in decimal,
 * bools 0/1, addresses in their text form, options in their text form. */
#include <string.h>

#include "render/flow_out.h"
#include "render_int.h"

static void head(wp_sink *s, uint64_t no, const wp_packet *p, const wp_layer *l)
{
    wp_u64(s, no);
    wp_putc(s, '\t');
    if (l)
        wp_rv_layer_id(s, p, l);
    else
        wp_puts(s, "-:packet");
    wp_putc(s, '\t');
}

static void span(wp_sink *s, const wp_packet *p, uint32_t off, uint32_t len)
{
    wp_u64(s, off);
    wp_putc(s, '\t');
    wp_u64(s, len);
    wp_putc(s, '\t');
    if (off <= p->caplen) {
        uint32_t n = len < p->caplen - off ? len : p->caplen - off;
        wp_sink_hexbytes(s, p->data + off, n, 0);
    }
    wp_putc(s, '\t');
}

void wp_render_fields(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        if (wp_rv_is_data(l)) {
            head(s, no, p, l);
            wp_puts(s, "data\t");
            span(s, p, l->off, l->len);
            wp_u64(s, l->len);
            wp_putc(s, '\n');
            continue;
        }
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (!wp_field_shown(p, l, f))
                continue;
            uint32_t off, len;
            wp_field_span(l, f, &off, &len);
            head(s, no, p, l);
            wp_puts(s, f->name);
            wp_putc(s, '\t');
            span(s, p, off, len);
            wp_rv_field(s, p, l, f, WP_VS_RAW);
            wp_putc(s, '\n');
            if (f->kind != WP_FK_OPTIONS)
                continue;
            unsigned end = (unsigned)l->opt_first + l->opt_count;
            for (unsigned j = l->opt_first; j < end && j < p->nopts; j++) {
                const wp_opt *op = &p->opts[j];
                head(s, no, p, l);
                wp_puts(s, "options[");
                wp_u64(s, j - l->opt_first);
                wp_w(s, "]\t", 2);
                span(s, p, op->off, wp_opt_extent(l, op));
                wp_rv_opt_text(s, p, l, op);
                wp_putc(s, '\n');
            }
        }
    }
    for (unsigned i = 0; i < p->nevents; i++) {
        const wp_event *e = &p->events[i];
        head(s, no, p, e->layer < p->nlayers ? &p->layers[e->layer] : NULL);
        wp_puts(s, "!event\t-\t-\t-\t");
        wp_puts(s, e->def->code);
        wp_putc(s, '\n');
    }
    if (r->o.flow)
        wp_flow_out_fields(s, no, r->o.flow);
}
