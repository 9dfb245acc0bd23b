/* -o hex: offset, hex and ASCII, 16 bytes a line, after a legend of every
 * layer's byte range. Without colour, a marker line under a hex line shows
 * where each layer starts ("^ipv4"); with colour, every layer's bytes are
 * drawn in its own ANSI colour at once (the legend uses the same colours). */
#include <string.h>

#include "render_int.h"

/* Column of byte i (0..15) of a line in the hex part. */
static unsigned hex_col(unsigned i)
{
    return 6u + 3u * i + (i >= 8);
}

int wp_render_layer_colour(const wp_packet *p, unsigned i)
{
    const wp_layer *l = &p->layers[i];
    if (l->proto == WP_PROTO_TRAILER || l->proto == WP_PROTO_RAW)
        return WP_COLOUR_DIM;
    if (wp_rv_is_data(l))
        return WP_COLOUR_DATA;
    unsigned h = 0; /* index among header layers */
    for (unsigned k = 0; k < i; k++)
        h += !wp_rv_is_data(&p->layers[k]);
    return (int)(h % 6);
}

/* The ANSI code of layer i's colour (the view draws the same ones). */
static const char *layer_color(const wp_packet *p, unsigned i)
{
    static const char *const pal[] = {"\x1b[36m", "\x1b[33m", "\x1b[32m", "\x1b[35m",
                                      "\x1b[34m", "\x1b[31m", "\x1b[1m",  "\x1b[2m"};
    return pal[wp_render_layer_colour(p, i)];
}

#define RESET "\x1b[0m"

static void legend(wp_sink *s, const wp_packet *p, int color)
{
    wp_puts(s, "  layers:");
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        uint32_t n = wp_rv_extent(l);
        wp_w(s, "  ", 2);
        if (color)
            wp_puts(s, layer_color(p, i));
        wp_puts(s, wp_proto_get(l->proto)->name);
        wp_w(s, " @", 2);
        wp_u64(s, l->off);
        if (n > 1) {
            wp_w(s, "..", 2);
            wp_u64(s, l->off + n - 1);
        }
        if (n == 0)
            wp_puts(s, " (empty)");
        if (color)
            wp_puts(s, RESET);
    }
    wp_putc(s, '\n');
}

/* The layer that owns byte b: the last layer whose extent holds it, or -1. */
static int owner(const wp_packet *p, uint32_t b)
{
    int who = -1;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        uint32_t n = wp_rv_extent(l);
        if (b >= l->off && b - l->off < n)
            who = (int)i;
    }
    return who;
}

/* Marker lines under a hex line: every layer that starts in [base, base+16). */
static void markers(wp_sink *s, const wp_packet *p, uint32_t base, uint32_t end)
{
    enum { ROWS = 4, W = 100 };
    char row[ROWS][W];
    unsigned used[ROWS] = {0}; /* first free column in each row */
    unsigned nrows = 0;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->off < base || l->off >= end || wp_rv_extent(l) == 0)
            continue;
        const char *name = wp_proto_get(l->proto)->name;
        size_t nl = strlen(name);
        unsigned col = hex_col(l->off - base);
        unsigned r = 0;
        while (r < ROWS && used[r] > col)
            r++;
        if (r == ROWS || col + 1 + nl >= W)
            continue; /* no room: the legend still has it */
        while (nrows <= r) {
            memset(row[nrows], ' ', W);
            nrows++;
        }
        row[r][col] = '^';
        memcpy(&row[r][col + 1], name, nl);
        used[r] = col + 1 + (unsigned)nl + 1;
    }
    for (unsigned r = 0; r < nrows; r++) {
        unsigned w = used[r] - 1;
        row[r][w] = '\n';
        wp_w(s, row[r], w + 1);
    }
}

static void plain_lines(wp_sink *s, const wp_packet *p)
{
    char line[96];
    for (uint32_t base = 0; base < p->caplen; base += 16) {
        uint32_t n = p->caplen - base < 16 ? p->caplen - base : 16;
        size_t k = wp_fmt_hex(base, 4, line);
        memset(line + k, ' ', sizeof line - k);
        k = hex_col(0) + (k - 4);
        const uint8_t *b = p->data + base;
        size_t ascii = k + 16 * 3 + 2;
        for (uint32_t i = 0; i < n; i++) {
            size_t c = k + 3 * i + (i >= 8);
            line[c] = wp_hexdig[b[i] >> 4];
            line[c + 1] = wp_hexdig[b[i] & 0xf];
            line[ascii + i] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
        }
        line[ascii + n] = '\n';
        wp_w(s, line, ascii + n + 1);
        markers(s, p, base, base + n);
    }
}

static void color_lines(wp_sink *s, const wp_packet *p)
{
    for (uint32_t base = 0; base < p->caplen; base += 16) {
        uint32_t n = p->caplen - base < 16 ? p->caplen - base : 16;
        const uint8_t *b = p->data + base;
        int who[16];
        for (uint32_t i = 0; i < n; i++)
            who[i] = owner(p, base + i);
        wp_sink_hex(s, base, 4);
        wp_w(s, "  ", 2);
        for (int pass = 0; pass < 2; pass++) {
            int cur = -1;
            for (uint32_t i = 0; i < n; i++) {
                if (who[i] != cur) {
                    if (cur >= 0)
                        wp_puts(s, RESET);
                    if (who[i] >= 0)
                        wp_puts(s, layer_color(p, (unsigned)who[i]));
                    cur = who[i];
                }
                if (pass == 0) {
                    wp_putc(s, wp_hexdig[b[i] >> 4]);
                    wp_putc(s, wp_hexdig[b[i] & 0xf]);
                } else {
                    wp_putc(s, b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.');
                }
                if (pass == 0 && (i + 1 < n || n == 16)) {
                    /* the gap keeps the colour of the byte before it only
                     * when the next byte has the same owner */
                    if (i + 1 < n && who[i + 1] != cur) {
                        wp_puts(s, RESET);
                        cur = -1;
                    }
                    wp_putc(s, ' ');
                    if (i == 7)
                        wp_putc(s, ' ');
                }
            }
            if (cur >= 0)
                wp_puts(s, RESET);
            if (pass == 0) {
                uint32_t col = 3 * n + (n > 8) - (n == 16 ? 0 : 1);
                wp_sink_pad(s, 3 * 16 + 1 - col);
                wp_putc(s, ' ');
            }
        }
        wp_putc(s, '\n');
    }
}

void wp_render_hex(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    wp_rv_frame_title(r, s, p, no);
    legend(s, p, r->o.color);
    if (r->o.color)
        color_lines(s, p);
    else
        plain_lines(s, p);
    wp_putc(s, '\n');
}
