/* wirepeel diagram's formats: text (the frame title, then every layer's
 * text diagram), self-contained SVG for slides (no fonts, scripts or links:
 * rects, lines and text in the generic monospace family), an HTML page with
 * every layer nested in the one that carries it and each field's offset,
 * bytes and conversion as a tooltip, Markdown for notes, and TSV of the
 * cells (what the oracle test compares with tshark). All from the model in
 * diagram.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wirepeel/decode.h"
#include "wirepeel/diagram.h"

static const char *const fmt_names[] = {
    [WP_DIAG_TEXT] = "text", [WP_DIAG_SVG] = "svg", [WP_DIAG_HTML] = "html",
    [WP_DIAG_MD] = "md",     [WP_DIAG_TSV] = "tsv",
};

int wp_diag_format_parse(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof fmt_names / sizeof fmt_names[0]; i++)
        if (strcmp(name, fmt_names[i]) == 0)
            return (int)i;
    return -1;
}

static void putf(wp_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(wp_sink *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    wp_sink_write(s, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* text for XML/HTML content and attributes */
static void xml_text(wp_sink *s, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '&':
            wp_sink_puts(s, "&amp;");
            break;
        case '<':
            wp_sink_puts(s, "&lt;");
            break;
        case '>':
            wp_sink_puts(s, "&gt;");
            break;
        case '"':
            wp_sink_puts(s, "&quot;");
            break;
        case '\n':
            wp_sink_puts(s, "&#10;");
            break;
        default:
            if ((unsigned char)*t < 0x20)
                wp_sink_putc(s, ' ');
            else
                wp_sink_putc(s, *t);
        }
    }
}

static void frame_title(char *buf, size_t n, const wp_packet *p, uint64_t frame_no)
{
    const char *lt = wp_linktype_name(p->linktype);
    snprintf(buf, n, "Frame %llu: %u bytes captured of %u, link type %s",
             (unsigned long long)frame_no, (unsigned)p->caplen, (unsigned)p->len,
             lt ? lt : "unknown");
}

/* The layer title: "IPv4 (Internet Protocol version 4), bytes 14..33" */
static void layer_title(char *buf, size_t n, const wp_diag *d)
{
    snprintf(buf, n, "%s (%s), bytes %u..%u%s", d->info->short_name, d->info->title,
             (unsigned)d->l->off, (unsigned)(d->l->off + d->nbits / 8u - 1u),
             d->cap_bits < d->nbits ? ", cut short" : "");
}

/* The cell's name that fits cols: title, "(ABBR)", field name, cut name. */
static void short_label(const wp_diag_cell *c, unsigned cols, char *out, size_t n)
{
    if (!wp_diag_cell_label(c, cols, out, n))
        snprintf(out, n, "%.*s", (int)(cols < n - 1 ? cols : n - 1), wp_diag_cell_name(c));
}

/* ---- SVG ------------------------------------------------------------ */

#define SV_BIT 24   /* px a bit */
#define SV_GUT 52   /* px of the offset gutter */
#define SV_ROW 50   /* px a row */
#define SV_OPT 26   /* px an option line */
#define SV_TITLE 30
#define SV_RULER 18
#define SV_GAP 18
#define SV_W (SV_GUT + 32 * SV_BIT + 16)

/* The layer's group, for its colour: link, network, ICMP, transport, data. */
enum { G_LINK, G_NET, G_ICMP, G_TRANSPORT, G_DATA };

static unsigned layer_group(unsigned proto)
{
    switch (proto) {
    case WP_PROTO_ETH:
    case WP_PROTO_VLAN:
    case WP_PROTO_SLL:
    case WP_PROTO_SLL2:
    case WP_PROTO_NULL:
        return G_LINK;
    case WP_PROTO_ARP:
    case WP_PROTO_IPV4:
    case WP_PROTO_IPV6:
    case WP_PROTO_IPV6_HOPOPTS:
    case WP_PROTO_IPV6_ROUTE:
    case WP_PROTO_IPV6_FRAG:
    case WP_PROTO_IPV6_DSTOPTS:
        return G_NET;
    case WP_PROTO_ICMP:
    case WP_PROTO_ICMPV6:
        return G_ICMP;
    default:
        return proto >= WP_PROTO_PAYLOAD ? G_DATA : G_TRANSPORT;
    }
}

static const char *const group_fill[] = {"#dbeafe", "#dcfce7", "#fce7f3", "#fef3c7", "#f3f4f6"};
static const char *const group_class[] = {"link", "net", "icmp", "transport", "data"};

/* Line j of the variable part (options one a line; no options: the part
 * as a whole) into text[n], its frame offset in *off. */
static void var_text(const wp_diag *d, const wp_diag_cell *var, unsigned j, int blank,
                     char *text, size_t n, uint32_t *off)
{
    const wp_layer *l = d->l;
    *off = l->off + var->bit / 8u;
    if (l->opt_count && l->opt_first + j < d->p->nopts) {
        const wp_opt *o = &d->p->opts[l->opt_first + j];
        *off = o->off;
        wp_diag_opt_text(d, o, blank, text, n);
        return;
    }
    snprintf(text, n, "%s: %u bytes%s", var->f->title, var->nbits / 8u,
             var->missing ? " (not all captured)" : "");
}

/* rows of the grid (up to the variable part's first row boundary) and
 * option lines of the variable part */
static void svg_extent(const wp_diag *d, uint32_t *grid_end, unsigned *nopt,
                       const wp_diag_cell **var)
{
    *grid_end = wp_diag_grid_end(d, var);
    *nopt = 0;
    if (*var) {
        unsigned k = 0;
        for (unsigned j = 0; j < d->l->opt_count && d->l->opt_first + j < d->p->nopts; j++)
            k++;
        *nopt = k ? k : 1u;
    }
}

static unsigned svg_layer_height(const wp_diag *d)
{
    uint32_t ge;
    unsigned nopt;
    const wp_diag_cell *var;
    svg_extent(d, &ge, &nopt, &var);
    return SV_TITLE + SV_RULER + (ge + 31u) / 32u * SV_ROW + nopt * SV_OPT + SV_GAP;
}

static int svg_cell_at(const wp_diag *d, uint32_t bit, uint32_t end)
{
    return bit >= end ? -1 : wp_diag_cell_at(d, bit);
}

static void svg_text(wp_sink *s, double x, double y, unsigned size, const char *weight,
                     const char *t)
{
    putf(s, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%u\"%s%s%s text-anchor=\"middle\">", x, y,
         size, weight ? " font-weight=\"" : "", weight ? weight : "", weight ? "\"" : "");
    xml_text(s, t);
    wp_sink_puts(s, "</text>\n");
}

static void svg_layer(wp_sink *s, const wp_diag *d, unsigned y0, int blank)
{
    char t[192];
    uint32_t ge;
    unsigned nopt;
    const wp_diag_cell *var;
    svg_extent(d, &ge, &nopt, &var);
    layer_title(t, sizeof t, d);
    putf(s, "<g class=\"layer\" data-proto=\"%s\">\n", d->info->name);
    putf(s, "<text x=\"8\" y=\"%u\" font-size=\"16\" font-weight=\"bold\">", y0 + 20);
    xml_text(s, t);
    wp_sink_puts(s, "</text>\n");
    unsigned ry = y0 + SV_TITLE;
    for (unsigned b = 0; b < 32; b++) {
        char num[4];
        snprintf(num, sizeof num, "%u", b);
        svg_text(s, SV_GUT + b * SV_BIT + SV_BIT / 2.0, ry + 12, 10, NULL, num);
    }
    unsigned gy = ry + SV_RULER;
    uint32_t nrows = (ge + 31u) / 32u;
    const char *fill = group_fill[layer_group(d->l->proto)];
    /* fills and texts, piece by piece */
    for (uint32_t r = 0; r < nrows; r++) {
        uint32_t rs = r * 32u;
        unsigned y = gy + r * SV_ROW;
        char off[16];
        snprintf(off, sizeof off, "%u", (unsigned)(d->l->off + rs / 8u));
        putf(s, "<text x=\"%u\" y=\"%u\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
             SV_GUT - 6, y + 18, off);
        for (uint32_t b = 0; b < 32 && rs + b < ge;) {
            int ci = svg_cell_at(d, rs + b, ge);
            uint32_t e = b + 1;
            while (e < 32 && rs + e < ge && svg_cell_at(d, rs + e, ge) == ci)
                e++;
            const wp_diag_cell *c = ci >= 0 ? &d->cells[ci] : NULL;
            const char *f = !c ? "#ffffff"
                            : c->missing ? "#ffffff"
                            : (c->kind == WP_DC_GAP || c->kind == WP_DC_REST) ? "#e5e7eb"
                                                                             : fill;
            unsigned x = SV_GUT + b * SV_BIT, w = (e - b) * SV_BIT;
            putf(s, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\"/>\n", x, y, w,
                 SV_ROW, f);
            if (c && c->bit >= rs) {
                /* the cell starts here: name and value */
                unsigned narrow = e - b == 1;
                unsigned size = narrow ? 9u : 12u;
                unsigned cols = (unsigned)((w - 4) / (size * 0.62));
                char lab[64], val[96];
                if (narrow) {
                    snprintf(lab, sizeof lab, "%s",
                             wp_diag_cell_name(c));
                    for (char *q = lab; *q; q++)
                        if (*q >= 'a' && *q <= 'z')
                            *q = (char)(*q - 'a' + 'A');
                    lab[cols < 3 ? 3 : cols] = '\0';
                } else {
                    short_label(c, cols, lab, sizeof lab);
                }
                svg_text(s, x + w / 2.0, y + 20, size, NULL, lab);
                if (!blank || c->missing) {
                    wp_diag_cell_value(d, c, narrow ? 1u : cols, val, sizeof val);
                    putf(s, "<text x=\"%.1f\" y=\"%u\" font-size=\"%u\" font-weight=\"bold\" "
                            "text-anchor=\"middle\"%s>",
                         x + w / 2.0, y + 40, narrow ? 12u : 13u,
                         c->missing ? " fill=\"#b91c1c\"" : "");
                    xml_text(s, val);
                    wp_sink_puts(s, "</text>\n");
                }
            }
            b = e;
        }
    }
    /* rules: between cells of a row, and between rows where the cell changes */
    wp_sink_puts(s, "<g stroke=\"#333\" stroke-width=\"1.2\">\n");
    for (uint32_t r = 0; r < nrows; r++) {
        uint32_t rs = r * 32u;
        unsigned y = gy + r * SV_ROW;
        for (uint32_t b = 0; b <= 32 && rs + b <= ge; b++) {
            int left = b > 0 ? svg_cell_at(d, rs + b - 1, ge) : -1;
            int right = b < 32 ? svg_cell_at(d, rs + b, ge) : -1;
            if (left != right || (b > 0 && rs + b == ge))
                putf(s, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", SV_GUT + b * SV_BIT,
                     y, SV_GUT + b * SV_BIT, y + SV_ROW);
        }
        for (uint32_t b = 0; b < 32; b++) {
            int above = r > 0 ? svg_cell_at(d, rs - 32 + b, ge) : -1;
            int here = svg_cell_at(d, rs + b, ge);
            if (above != here)
                putf(s, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", SV_GUT + b * SV_BIT,
                     y, SV_GUT + (b + 1) * SV_BIT, y);
            int below = svg_cell_at(d, rs + 32 + b, ge);
            if (r == nrows - 1 && here >= 0 && below != here)
                putf(s, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", SV_GUT + b * SV_BIT,
                     y + SV_ROW, SV_GUT + (b + 1) * SV_BIT, y + SV_ROW);
        }
    }
    wp_sink_puts(s, "</g>\n");
    /* the variable part: one option a line, dashed sides */
    if (var) {
        unsigned y = gy + nrows * SV_ROW;
        unsigned k = 0;
        for (unsigned j = 0; j < nopt; j++) {
            char text[160];
            uint32_t off;
            var_text(d, var, j, blank, text, sizeof text, &off);
            unsigned yy = y + k * SV_OPT;
            putf(s, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" "
                    "stroke=\"#333\" stroke-dasharray=\"4 3\"/>\n",
                 SV_GUT, yy, 32 * SV_BIT, SV_OPT, fill);
            putf(s, "<text x=\"%u\" y=\"%u\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%u</text>\n",
                 SV_GUT - 6, yy + 17, (unsigned)off);
            putf(s, "<text x=\"%u\" y=\"%u\" font-size=\"12\">", SV_GUT + 8, yy + 17);
            xml_text(s, text);
            wp_sink_puts(s, "</text>\n");
            k++;
        }
    }
    wp_sink_puts(s, "</g>\n");
}

static void write_svg(wp_sink *s, const wp_packet *p, uint64_t frame_no, int only, int blank)
{
    unsigned h = SV_TITLE;
    wp_diag d;
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (only >= 0 && (int)i != only)
            continue;
        if (wp_diag_build(p, i, &d) == 0)
            h += svg_layer_height(&d);
    }
    putf(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
            "viewBox=\"0 0 %u %u\" font-family=\"monospace\" fill=\"#111\">\n",
         SV_W, h, SV_W, h);
    char t[160];
    frame_title(t, sizeof t, p, frame_no);
    wp_sink_puts(s, "<title>");
    xml_text(s, t);
    wp_sink_puts(s, "</title>\n");
    putf(s, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n", SV_W, h);
    putf(s, "<text x=\"8\" y=\"20\" font-size=\"13\" fill=\"#555\">");
    xml_text(s, t);
    wp_sink_puts(s, "</text>\n");
    unsigned y = SV_TITLE;
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (only >= 0 && (int)i != only)
            continue;
        if (wp_diag_build(p, i, &d) != 0)
            continue;
        svg_layer(s, &d, y, blank);
        y += svg_layer_height(&d);
    }
    wp_sink_puts(s, "</svg>\n");
}

/* ---- HTML ----------------------------------------------------------- */

static void html_tip(wp_sink *s, const wp_diag *d, const wp_diag_cell *c)
{
    uint32_t off, len;
    wp_diag_cell_span(d, c, &off, &len);
    putf(s, "bits %u-%u of the header, frame offset %u", (unsigned)c->bit,
         (unsigned)(c->bit + c->nbits - 1u), (unsigned)off);
    if (len > 1)
        putf(s, "..%u", (unsigned)(off + len - 1u));
    if (c->missing) {
        wp_sink_puts(s, ", not captured");
        return;
    }
    wp_sink_puts(s, ", bytes");
    for (uint32_t i = 0; i < len && i < 16; i++)
        putf(s, " %02x", d->p->data[off + i]);
    uint64_t m = wp_diag_cell_mask(d, c);
    if (m)
        putf(s, ", mask 0x%llx", (unsigned long long)m);
    if (c->f && c->kind != WP_DC_VAR) {
        char det[160];
        wp_render_field_detail(d->p, d->l, c->f, det, sizeof det);
        wp_sink_puts(s, "&#10;");
        xml_text(s, c->f->name);
        wp_sink_puts(s, ": ");
        xml_text(s, det);
        if (c->kind == WP_DC_BIT)
            putf(s, ", bit %u of it", (unsigned)c->bitno);
    }
}

static void html_layer(wp_sink *s, const wp_diag *d, int blank)
{
    char t[192];
    uint32_t ge;
    unsigned nopt;
    const wp_diag_cell *var;
    svg_extent(d, &ge, &nopt, &var);
    layer_title(t, sizeof t, d);
    putf(s, "<h2>");
    xml_text(s, t);
    wp_sink_puts(s, "</h2>\n<table class=\"bits\">\n<tr><th></th>");
    for (unsigned b = 0; b < 32; b++)
        putf(s, "<th>%u</th>", b);
    wp_sink_puts(s, "</tr>\n");
    for (uint32_t rs = 0; rs < ge; rs += 32u) {
        putf(s, "<tr><th class=\"off\">%u</th>", (unsigned)(d->l->off + rs / 8u));
        for (uint32_t b = 0; b < 32 && rs + b < ge;) {
            int ci = svg_cell_at(d, rs + b, ge);
            uint32_t e = b + 1;
            while (e < 32 && rs + e < ge && svg_cell_at(d, rs + e, ge) == ci)
                e++;
            const wp_diag_cell *c = ci >= 0 ? &d->cells[ci] : NULL;
            const char *cls = !c ? "none"
                              : c->missing ? "missing"
                              : (c->kind == WP_DC_GAP || c->kind == WP_DC_REST) ? "gap"
                                                                               : "field";
            putf(s, "<td colspan=\"%u\" class=\"%s\"", (unsigned)(e - b), cls);
            if (c) {
                wp_sink_puts(s, " title=\"");
                html_tip(s, d, c);
                wp_sink_puts(s, "\"");
            }
            wp_sink_puts(s, ">");
            if (c) {
                if (c->bit < rs) {
                    wp_sink_puts(s, "<span class=\"cont\">&#8230;</span>");
                } else {
                    char lab[64], val[96];
                    short_label(c, e - b == 1 ? 3u : 60u, lab, sizeof lab);
                    wp_sink_puts(s, "<span class=\"name\">");
                    xml_text(s, lab);
                    wp_sink_puts(s, "</span>");
                    if (!blank || c->missing) {
                        wp_diag_cell_value(d, c, 80u, val, sizeof val);
                        wp_sink_puts(s, "<br/><span class=\"val\">");
                        xml_text(s, val);
                        wp_sink_puts(s, "</span>");
                    }
                }
            }
            wp_sink_puts(s, "</td>");
            b = e;
        }
        wp_sink_puts(s, "</tr>\n");
    }
    if (var) {
        for (unsigned j = 0; j < nopt; j++) {
            char text[160];
            uint32_t off;
            var_text(d, var, j, blank, text, sizeof text, &off);
            putf(s, "<tr><th class=\"off\">%u</th><td colspan=\"32\" class=\"opt\" title=\"frame "
                    "offset %u\">",
                 (unsigned)off, (unsigned)off);
            xml_text(s, text);
            wp_sink_puts(s, "</td></tr>\n");
        }
    }
    wp_sink_puts(s, "</table>\n");
}

static void write_html(wp_sink *s, const wp_packet *p, uint64_t frame_no, int only, int blank)
{
    char t[160];
    frame_title(t, sizeof t, p, frame_no);
    wp_sink_puts(s, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                    "<title>");
    xml_text(s, t);
    wp_sink_puts(
        s, "</title>\n<style>\n"
           "body{font-family:monospace;margin:1em;color:#111;background:#fff}\n"
           "div.layer{border:2px solid #555;border-radius:6px;padding:.4em .8em;"
           "margin:.6em 0 .2em 0}\n"
           "div.link{background:#eff6ff}div.net{background:#f0fdf4}"
           "div.icmp{background:#fdf2f8}div.transport{background:#fffbeb}"
           "div.data{background:#f3f4f6}\n"
           "h1{font-size:1.1em}h2{font-size:1em;margin:.2em 0}\n"
           "table.bits{border-collapse:collapse;table-layout:fixed;width:54em}\n"
           "table.bits th{font-size:.7em;font-weight:normal;color:#555;width:1.6em}\n"
           "table.bits th.off{text-align:right;padding-right:.4em;width:3em}\n"
           "table.bits td{border:1px solid #333;text-align:center;vertical-align:middle;"
           "padding:.15em 0;background:#fff;overflow:hidden}\n"
           "td.gap{background:#e5e7eb!important}td.missing{color:#b91c1c;border-style:dashed}\n"
           "td.opt{text-align:left!important;padding-left:.5em;border-style:dashed}\n"
           ".name{font-size:.8em}.val{font-weight:bold}.cont{color:#777}\n"
           "</style>\n</head>\n<body>\n<h1>");
    xml_text(s, t);
    wp_sink_puts(s, "</h1>\n");
    unsigned open = 0;
    wp_diag d;
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (only >= 0 && (int)i != only)
            continue;
        const wp_layer *l = &p->layers[i];
        const wp_proto_info *pi = wp_proto_get(l->proto);
        const char *cls = group_class[layer_group(l->proto)];
        putf(s, "<div class=\"layer %s\" data-proto=\"%s\">\n", cls, pi->name);
        open++;
        if (wp_diag_build(p, i, &d) == 0) {
            html_layer(s, &d, blank);
        } else {
            char dt[160];
            snprintf(dt, sizeof dt, "%s: %u byte%s at %u", pi->title, (unsigned)l->len,
                     l->len == 1 ? "" : "s", (unsigned)l->off);
            wp_sink_puts(s, "<h2>");
            xml_text(s, dt);
            wp_sink_puts(s, "</h2>\n");
        }
        /* data layers and a trailer sit side by side, not inside each other */
        if (l->proto >= WP_PROTO_PAYLOAD && open > 0) {
            wp_sink_puts(s, "</div>\n");
            open--;
        }
    }
    while (open--)
        wp_sink_puts(s, "</div>\n");
    wp_sink_puts(s, "</body>\n</html>\n");
}

/* ---- Markdown and TSV ---------------------------------------------- */

static void write_md(wp_sink *s, const wp_packet *p, uint64_t frame_no, int only, int blank)
{
    char t[192];
    frame_title(t, sizeof t, p, frame_no);
    putf(s, "## %s\n\n", t);
    wp_diag d;
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (only >= 0 && (int)i != only)
            continue;
        if (wp_diag_build(p, i, &d) != 0) {
            const wp_layer *l = &p->layers[i];
            putf(s, "### %s\n\n%u byte%s at offset %u.\n\n", wp_proto_get(l->proto)->title,
                 (unsigned)l->len, l->len == 1 ? "" : "s", (unsigned)l->off);
            continue;
        }
        layer_title(t, sizeof t, &d);
        putf(s, "### %s\n\n```text\n", t);
        wp_diag_text_layer(s, p, i, blank);
        wp_sink_puts(s, "```\n\n| Field | Offset | Bits | Value |\n|---|---|---|---|\n");
        for (unsigned k = 0; k < d.ncells; k++) {
            const wp_diag_cell *c = &d.cells[k];
            uint32_t off, len;
            wp_diag_cell_span(&d, c, &off, &len);
            char val[96] = "";
            if (!blank || c->missing)
                wp_diag_cell_value(&d, c, 80u, val, sizeof val);
            for (char *q = val; *q; q++)
                if (*q == '|')
                    *q = '/';
            putf(s, "| %s | %u | %u-%u | %s |\n", wp_diag_cell_title(c), (unsigned)off,
                 (unsigned)c->bit, (unsigned)(c->bit + c->nbits - 1u), val);
        }
        wp_sink_puts(s, "\n");
    }
}

static const char *kind_name(unsigned k)
{
    switch (k) {
    case WP_DC_FIELD:
        return "field";
    case WP_DC_BIT:
        return "bit";
    case WP_DC_REST:
        return "rest";
    case WP_DC_GAP:
        return "gap";
    default:
        return "var";
    }
}

static void write_tsv(wp_sink *s, const wp_packet *p, uint64_t frame_no, int only)
{
    wp_diag d;
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (only >= 0 && (int)i != only)
            continue;
        if (wp_diag_build(p, i, &d) != 0)
            continue;
        /* each field drawn as its parts, with the bits its table row gives it */
        for (unsigned k = 0; k < d.nsplit; k++) {
            uint32_t lo, n;
            wp_diag_field_bits(d.split[k], &lo, &n);
            int missing = lo + n > d.cap_bits;
            uint32_t hi = lo + n;
            wp_diag_cell whole = {.kind = WP_DC_FIELD, .f = d.split[k], .bit = lo,
                                  .nbits = hi - lo};
            uint32_t off, len;
            wp_diag_cell_span(&d, &whole, &off, &len);
            putf(s, "%llu\t%u\t%s\t\t%s\tsplit\t%u\t%u\t%u\t%u\t0x%llx\t%s\n",
                 (unsigned long long)frame_no, i, d.info->name, d.split[k]->name,
                 (unsigned)lo, (unsigned)(hi - lo), (unsigned)off, (unsigned)len,
                 (unsigned long long)wp_diag_cell_mask(&d, &whole),
                 missing ? "missing" : "captured");
        }
        for (unsigned k = 0; k < d.ncells; k++) {
            const wp_diag_cell *c = &d.cells[k];
            uint32_t off, len;
            wp_diag_cell_span(&d, c, &off, &len);
            const char *name = c->kind == WP_DC_FIELD || c->kind == WP_DC_VAR ? c->f->name
                               : c->kind == WP_DC_GAP                         ? "-"
                                                                              : c->label;
            putf(s, "%llu\t%u\t%s\t%s\t%s\t%s\t%u\t%u\t%u\t%u\t0x%llx\t%s\n",
                 (unsigned long long)frame_no, i, d.info->name,
                 c->f && c->kind != WP_DC_FIELD && c->kind != WP_DC_VAR ? c->f->name : "",
                 name, kind_name(c->kind), (unsigned)c->bit, (unsigned)c->nbits, (unsigned)off,
                 (unsigned)len, (unsigned long long)wp_diag_cell_mask(&d, c),
                 c->missing ? "missing" : "captured");
        }
    }
}

void wp_diag_write(wp_sink *s, wp_diag_format fmt, const wp_packet *p, uint64_t frame_no,
                   int only, int blank)
{
    switch (fmt) {
    case WP_DIAG_SVG:
        write_svg(s, p, frame_no, only, blank);
        return;
    case WP_DIAG_HTML:
        write_html(s, p, frame_no, only, blank);
        return;
    case WP_DIAG_MD:
        write_md(s, p, frame_no, only, blank);
        return;
    case WP_DIAG_TSV:
        write_tsv(s, p, frame_no, only);
        return;
    case WP_DIAG_TEXT:
        break;
    }
    char t[160];
    frame_title(t, sizeof t, p, frame_no);
    wp_sink_puts(s, t);
    wp_sink_puts(s, "\n\n");
    for (unsigned i = 0; i < p->nlayers; i++) {
        if (only >= 0 && (int)i != only)
            continue;
        wp_diag_text_layer(s, p, i, blank);
        wp_sink_putc(s, '\n');
    }
}
