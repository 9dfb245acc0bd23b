/* The renderer object and the dispatch: output names, wp_renderer_*,
 * wp_render(). */
#include <stdlib.h>
#include <string.h>

#include "render_int.h"
#include "wirepeel/diagram.h"

static const char *const out_names[] = {
    [WP_OUT_SUMMARY] = "summary", [WP_OUT_LAYERS] = "layers", [WP_OUT_HEX] = "hex",
    [WP_OUT_JSON] = "json",       [WP_OUT_STRUCT] = "struct", [WP_OUT_FIELDS] = "fields",
    [WP_OUT_DIAGRAM] = "diagram",
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

void wp_renderer_reset(wp_renderer *r, const wp_render_opts *o)
{
    static const wp_render_opts defaults = {0};
    r->o = o ? *o : defaults;
    r->ts_sec = 0;
    r->ts_valid = 0;
    r->fc_valid = 0;
    memset(r->sn_len, 0, sizeof r->sn_len);
    memset(r->jp_len, 0, sizeof r->jp_len);
    memset(r->jc_len, 0, sizeof r->jc_len);
    r->jl_len = 0;
    memset(r->fe_ok, 0, sizeof r->fe_ok);
}

wp_renderer *wp_renderer_new(const wp_render_opts *o)
{
    wp_renderer *r = malloc(sizeof *r);
    if (r)
        wp_renderer_reset(r, o);
    return r;
}

void wp_renderer_free(wp_renderer *r)
{
    free(r);
}

void wp_renderer_frame(wp_renderer *r, wp_sink *s, wp_output out, const wp_packet *p,
                       uint64_t frame_no)
{
    switch (out) {
    case WP_OUT_SUMMARY:
        wp_render_summary(r, s, p, frame_no);
        break;
    case WP_OUT_LAYERS:
        wp_render_layers(r, s, p, frame_no);
        break;
    case WP_OUT_HEX:
        wp_render_hex(r, s, p, frame_no);
        break;
    case WP_OUT_JSON:
        wp_render_json(r, s, p, frame_no);
        break;
    case WP_OUT_STRUCT:
        wp_render_struct(r, s, p, frame_no);
        break;
    case WP_OUT_FIELDS:
        wp_render_fields(r, s, p, frame_no);
        break;
    case WP_OUT_DIAGRAM:
        wp_render_diagram(s, p, frame_no, &r->o);
        break;
    }
    wp_sink_term(s);
}

void wp_render(wp_sink *s, wp_output out, const wp_packet *p, uint64_t frame_no,
               const wp_render_opts *o)
{
    /* on the stack: a one-off frame allocates nothing; only the few bytes
     * wp_renderer_reset clears are touched before use */
    wp_renderer r;
    wp_renderer_reset(&r, o);
    wp_renderer_frame(&r, s, out, p, frame_no);
}

void wp_fixed_end_fill(wp_renderer *s, unsigned proto)
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
