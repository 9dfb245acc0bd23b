/* The renderer dispatch: output names and wp_render(). */
#include <string.h>

#include "render_int.h"

static const char *const out_names[] = {
    [WP_OUT_SUMMARY] = "summary", [WP_OUT_LAYERS] = "layers", [WP_OUT_HEX] = "hex",
    [WP_OUT_JSON] = "json",       [WP_OUT_STRUCT] = "struct", [WP_OUT_FIELDS] = "fields",
};

int wp_output_parse(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof out_names / sizeof out_names[0]; i++)
        if (strcmp(name, out_names[i]) == 0)
            return (int)i;
    return -1;
}

void wp_render(wp_sink *s, wp_output out, const wp_packet *p, uint64_t frame_no,
               const wp_render_opts *o)
{
    static const wp_render_opts defaults = {.color = 0};
    if (!o)
        o = &defaults;
    switch (out) {
    case WP_OUT_SUMMARY:
        wp_render_summary(s, p, frame_no, o);
        break;
    case WP_OUT_LAYERS:
        wp_render_layers(s, p, frame_no, o);
        break;
    case WP_OUT_HEX:
        wp_render_hex(s, p, frame_no, o);
        break;
    case WP_OUT_JSON:
        wp_render_json(s, p, frame_no, o);
        break;
    case WP_OUT_STRUCT:
        wp_render_struct(s, p, frame_no, o);
        break;
    case WP_OUT_FIELDS:
        wp_render_fields(s, p, frame_no, o);
        break;
    }
    wp_sink_term(s);
}

void wp_fixed_end_fill(wp_sink *s, unsigned proto)
{
    const wp_proto_info *pi = wp_proto_get(proto);
    uint32_t end = 0;
    for (size_t k = 0; k < pi->nfields; k++) {
        const wp_field *f = &pi->fields[k];
        if (wp_field_fixed(f) && (uint32_t)f->off + f->width > end)
            end = (uint32_t)f->off + f->width;
    }
    s->fixed_end[proto] = (uint16_t)end;
    s->fe_ok[proto] = 1;
}
