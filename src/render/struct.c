/* -o struct: the recipe that reads each header the way the course's Python
 * does: the struct format and the slice of the frame it unpacks, then per
 * field its byte range, raw bytes, network-to-host conversion and value (mask
 * and shift for sub-byte fields, the arithmetic for derived values). */
#include <string.h>

#include "wirepeel/decode.h"
#include "render_int.h"

#define NAME_COL 14

void wp_render_struct(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    wp_rv_frame_title(r, s, p, no);
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        wp_w(s, "  ", 2);
        wp_puts(s, pi->name);
        if (wp_rv_is_data(l)) {
            wp_puts(s, "  frame[");
            wp_u64(s, l->off);
            wp_putc(s, ':');
            wp_u64(s, (uint64_t)l->off + l->len);
            wp_puts(s, "]  ");
            wp_u64(s, l->len);
            wp_puts(s, " bytes, not unpacked\n");
            continue;
        }
        if (pi->nfields == 0) {
            wp_puts(s, "  @");
            wp_u64(s, l->off);
            wp_puts(s, "  no field table\n");
            continue;
        }
        char fmt[128];
        wp_layer_format(l, fmt, sizeof fmt);
        wp_puts(s, "  struct.unpack('");
        wp_puts(s, fmt);
        wp_puts(s, "', frame[");
        wp_u64(s, l->off);
        wp_putc(s, ':');
        wp_u64(s, (uint64_t)l->off + l->hdr_len);
        wp_puts(s, "])");
        if (l->flags & WP_LF_TRUNCATED)
            wp_puts(s, "  [truncated: too few bytes captured]");
        wp_putc(s, '\n');
        for (size_t k = 0; k < pi->nfields; k++) {
            const wp_field *f = &pi->fields[k];
            if (f->present && !f->present(l))
                continue;
            size_t nl = strlen(f->name);
            wp_w(s, "    ", 4);
            wp_w(s, f->name, nl);
            wp_sink_pad(s, nl < NAME_COL ? NAME_COL - nl : 1);
            if (!wp_field_shown(p, l, f)) {
                uint32_t off, len;
                wp_field_span(l, f, &off, &len);
                if ((f->kind == WP_FK_OPTIONS || f->kind == WP_FK_TEXT) && len == 0) {
                    wp_puts(s, "none\n");
                    continue;
                }
                wp_putc(s, '@');
                wp_u64(s, off);
                if (len > 1) {
                    wp_w(s, "..", 2);
                    wp_u64(s, off + len - 1);
                }
                wp_puts(s, "  not captured\n");
                continue;
            }
            wp_rv_detail(s, p, l, f);
            wp_putc(s, '\n');
        }
    }
    wp_putc(s, '\n');
}
