/* The layered pane computed without curses: boxes, rows and field places for
 * one packet; field values, details and struct recipes; the packet index. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wirepeel/decode.h"
#include "layout.h"

#define MIN_WIDTH 20
#define NAME_COL_MAX 18
#define PREVIEW_LINES 3

/* Append printf-style text at buf[*pos], never past n (NUL kept). */
static void bput(char *buf, size_t n, size_t *pos, const char *fmt, ...)
{
    if (*pos + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *pos, n - *pos, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    *pos += (size_t)k < n - *pos ? (size_t)k : n - *pos - 1;
}

static int is_data_proto(unsigned proto)
{
    return proto == WP_PROTO_PAYLOAD || proto == WP_PROTO_FRAGMENT ||
           proto == WP_PROTO_TRAILER || proto == WP_PROTO_RAW;
}

static int is_link_proto(unsigned proto)
{
    return proto == WP_PROTO_ETH || proto == WP_PROTO_SLL || proto == WP_PROTO_SLL2 ||
           proto == WP_PROTO_NULL;
}

const char *wp_layout_value(const wp_packet *p, const wp_layer *l, const wp_field *f,
                            char *buf, size_t n)
{
    size_t pos = 0;
    const uint8_t *b = wp_field_bytes(l, f);
    if (n == 0)
        return buf;
    buf[0] = '\0';
    switch (f->kind) {
    case WP_FK_UINT:
    case WP_FK_BOOL: {
        uint64_t v = wp_field_uint(l, f);
        if (f->hex) {
            unsigned digits = f->mask ? 0 : f->width * 2u;
            if (digits)
                bput(buf, n, &pos, "0x%0*llx", (int)digits, (unsigned long long)v);
            else
                bput(buf, n, &pos, "0x%llx", (unsigned long long)v);
        } else {
            bput(buf, n, &pos, "%llu", (unsigned long long)v);
        }
        if (f->mult)
            bput(buf, n, &pos, " (x%u = %llu)", f->mult, (unsigned long long)(v * f->mult));
        if (f->describe) {
            char name[64];
            const char *d = f->describe(v, name, sizeof name);
            if (d && *d)
                bput(buf, n, &pos, " (%s)", d);
        }
        break;
    }
    case WP_FK_MAC:
        if (b)
            bput(buf, n, &pos, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
                 b[5]);
        break;
    case WP_FK_IPV4:
        if (b)
            bput(buf, n, &pos, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        break;
    case WP_FK_IPV6:
        if (b) {
            char s[INET6_ADDRSTRLEN];
            if (inet_ntop(AF_INET6, b, s, sizeof s))
                bput(buf, n, &pos, "%s", s);
        }
        break;
    case WP_FK_HEX: {
        unsigned w = f->width;
        if (l->proto == WP_PROTO_SLL || l->proto == WP_PROTO_SLL2)
            w = l->h.sll.halen < w ? l->h.sll.halen : w;
        for (unsigned i = 0; b && i < w; i++)
            bput(buf, n, &pos, i ? ":%02x" : "%02x", b[i]);
        break;
    }
    case WP_FK_OPTIONS: {
        uint32_t off, len;
        wp_field_span(l, f, &off, &len);
        bput(buf, n, &pos, "%u option%s in %u bytes", (unsigned)l->opt_count,
             l->opt_count == 1 ? "" : "s", (unsigned)len);
        break;
    }
    default:
        break;
    }
    (void)p;
    return buf;
}

/* One option as a short phrase: "mss 1460", "timestamp 1/0". */
static void opt_text(const wp_layer *l, const wp_opt *o, char *buf, size_t n)
{
    size_t pos = 0;
    const char *name = wp_opt_name(l->proto, o->kind);
    buf[0] = '\0';
    if (name)
        bput(buf, n, &pos, "%s", name);
    else
        bput(buf, n, &pos, "kind %u", o->kind);
    if (o->len > 1)
        bput(buf, n, &pos, " len %u", o->len);
    for (unsigned i = 0; i < o->nv && i < WP_OPT_MAXV; i++)
        bput(buf, n, &pos, i ? "/%u" : ": %u", (unsigned)o->v[i]);
    if (o->bad)
        bput(buf, n, &pos, " (bad length)");
}

static void event_text(const wp_packet *p, const wp_event *e, char *buf, size_t n)
{
    size_t pos = 0;
    (void)p;
    buf[0] = '\0';
    if (!e->def)
        return;
    bput(buf, n, &pos, "! %s: %s", e->def->code, e->def->text);
    if (e->def->rel) {
        if (e->def->kind == WP_EV_CHECKSUM)
            bput(buf, n, &pos, " (0x%04x%s0x%04x)", (unsigned)e->val, e->def->rel,
                 (unsigned)e->ref);
        else
            bput(buf, n, &pos, " (%u%s%u)", (unsigned)e->val, e->def->rel, (unsigned)e->ref);
    }
}

/* ---- building the layout ------------------------------------------- */

typedef struct builder {
    wp_layout *lo;
    const wp_packet *p;
    int y;
} builder;

static wp_litem *add_item(builder *b, unsigned kind, unsigned attr, unsigned layer, int y,
                          int x, int w)
{
    wp_layout *lo = b->lo;
    if (lo->nitems >= WP_LAYOUT_MAX_ITEMS) {
        lo->truncated = 1;
        return NULL;
    }
    wp_litem *it = &lo->items[lo->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)kind;
    it->attr = (uint8_t)attr;
    it->layer = (uint8_t)layer;
    it->field = -1;
    it->y = y;
    it->x = x;
    it->w = w;
    it->h = 1;
    return it;
}

/* A text item clipped to w columns (texts are ASCII). */
static wp_litem *add_text(builder *b, unsigned attr, unsigned layer, int y, int x, int w,
                          const char *s)
{
    if (w <= 0)
        return NULL;
    wp_litem *it = add_item(b, WP_LI_TEXT, attr, layer, y, x, w);
    if (!it)
        return NULL;
    size_t max = (size_t)w < sizeof it->text - 1 ? (size_t)w : sizeof it->text - 1;
    size_t len = strlen(s);
    if (len > max) {
        memcpy(it->text, s, max);
        it->text[max] = '\0';
        if (max >= 1)
            it->text[max - 1] = '>'; /* says "cut here" */
    } else {
        memcpy(it->text, s, len + 1);
    }
    it->w = (int)strlen(it->text);
    return it;
}

static int add_field(builder *b, unsigned layer, int opt, const wp_field *f, uint32_t off,
                     uint32_t len)
{
    wp_layout *lo = b->lo;
    if (lo->nfields >= WP_LAYOUT_MAX_FIELDS) {
        lo->truncated = 1;
        return -1;
    }
    wp_lfield *lf = &lo->fields[lo->nfields];
    lf->layer = (uint8_t)layer;
    lf->opt = (int16_t)opt;
    lf->f = f;
    lf->off = off;
    lf->len = len;
    lf->y = b->y;
    return lo->nfields++;
}

static void range_text(uint32_t off, uint32_t len, char *buf, size_t n)
{
    if (len == 0)
        snprintf(buf, n, "@%u", (unsigned)off);
    else
        snprintf(buf, n, "@%u..%u", (unsigned)off, (unsigned)(off + len - 1));
}

static void box_title(const wp_packet *p, const wp_layer *l, char *buf, size_t n)
{
    const wp_proto_info *pi = wp_proto_get(l->proto);
    size_t pos = 0;
    char r[48];
    if (is_data_proto(l->proto)) {
        range_text(l->off, l->len, r, sizeof r);
        bput(buf, n, &pos, " %s %s %u B ", pi->short_name, r, (unsigned)l->len);
        return;
    }
    range_text(l->off, l->hdr_len, r, sizeof r);
    bput(buf, n, &pos, " %s %s hdr %u B", pi->short_name, r, (unsigned)l->hdr_len);
    uint32_t have = l->off < p->caplen ? p->caplen - l->off : 0;
    if ((l->flags & WP_LF_TRUNCATED) || have < l->hdr_len)
        bput(buf, n, &pos, ", cut at %u B", (unsigned)(have < l->hdr_len ? have : l->hdr_len));
    const char *cs = wp_csum_name(l->csum);
    if (cs)
        bput(buf, n, &pos, ", csum %s", cs);
    if (l->flags & WP_LF_QUOTED)
        bput(buf, n, &pos, ", quoted");
    if (l->flags & WP_LF_FRAGMENT)
        bput(buf, n, &pos, ", in a fragment");
    bput(buf, n, &pos, " ");
}

static void events_of(builder *b, unsigned layer, int x, int w)
{
    const wp_packet *p = b->p;
    for (unsigned i = 0; i < p->nevents; i++) {
        if (p->events[i].layer != layer)
            continue;
        char t[WP_LAYOUT_TEXT];
        event_text(p, &p->events[i], t, sizeof t);
        add_text(b, WP_LA_EVENT, layer, b->y++, x, w, t);
    }
}

/* The rows of one header: a name column, the value, the byte range at the
 * right when there is room. */
static void header_rows(builder *b, unsigned li, int x, int w)
{
    const wp_packet *p = b->p;
    const wp_layer *l = &p->layers[li];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    int namew = 0;
    for (size_t i = 0; i < pi->nfields; i++) {
        int k = (int)strlen(pi->fields[i].title);
        if (k > namew)
            namew = k;
    }
    if (namew > NAME_COL_MAX)
        namew = NAME_COL_MAX;
    if (namew > w / 3)
        namew = w / 3;
    for (size_t i = 0; i < pi->nfields; i++) {
        const wp_field *f = &pi->fields[i];
        if (f->present && !f->present(l))
            continue;
        uint32_t off, len;
        wp_field_span(l, f, &off, &len);
        if (!wp_field_shown(p, l, f)) {
            /* A field the capture cut off is named but never given a value. */
            if (f->kind != WP_FK_OPTIONS && off < l->off + l->hdr_len) {
                add_text(b, WP_LA_NAME, li, b->y, x, namew, f->title);
                add_text(b, WP_LA_EVENT, li, b->y, x + namew + 2, w - namew - 2,
                         "(not captured)");
                b->y++;
            }
            continue;
        }
        int fi = add_field(b, li, -1, f, off, len);
        char val[WP_LAYOUT_TEXT], r[32];
        wp_layout_value(p, l, f, val, sizeof val);
        range_text(off, len, r, sizeof r);
        int rw = (int)strlen(r);
        int valw = w - namew - 2;
        int show_range = valw - (int)strlen(val) >= rw + 2;
        add_text(b, WP_LA_NAME, li, b->y, x, namew, f->title);
        wp_litem *it = add_text(b, WP_LA_VALUE, li, b->y, x + namew + 2, valw, val);
        if (it)
            it->field = (int16_t)fi;
        if (show_range)
            add_text(b, WP_LA_RANGE, li, b->y, x + w - rw, rw, r);
        b->y++;
        if (f->kind == WP_FK_OPTIONS) {
            for (unsigned k = 0; k < l->opt_count; k++) {
                unsigned oi = l->opt_first + k;
                if (oi >= p->nopts)
                    break;
                const wp_opt *o = &p->opts[oi];
                char t[WP_LAYOUT_TEXT];
                opt_text(l, o, t, sizeof t);
                int ofi = add_field(b, li, (int)oi, f, o->off, o->len ? o->len : 1);
                wp_litem *ot = add_text(b, WP_LA_VALUE, li, b->y, x + namew + 4,
                                        w - namew - 4, t);
                if (ot)
                    ot->field = (int16_t)ofi;
                range_text(o->off, o->len ? o->len : 1, r, sizeof r);
                rw = (int)strlen(r);
                if (w - namew - 4 - (int)strlen(t) >= rw + 2)
                    add_text(b, WP_LA_RANGE, li, b->y, x + w - rw, rw, r);
                b->y++;
            }
        }
    }
}

/* Up to PREVIEW_LINES rows of the data's bytes as text ('.' for the rest). */
static void data_rows(builder *b, unsigned li, int x, int w)
{
    const wp_packet *p = b->p;
    const wp_layer *l = &p->layers[li];
    uint32_t off = l->off, end = l->off + l->len;
    if (end > p->caplen)
        end = p->caplen;
    if (w < 4 || off >= end)
        return;
    int per = w - 2; /* between the quotes */
    for (int line = 0; line < PREVIEW_LINES && off < end; line++) {
        char t[WP_LAYOUT_TEXT];
        size_t k = 0;
        t[k++] = '"';
        for (int i = 0; i < per && off < end && k + 2 < sizeof t; i++, off++) {
            uint8_t c = p->data[off];
            t[k++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
        }
        t[k++] = '"';
        t[k] = '\0';
        if (line == PREVIEW_LINES - 1 && off < end) {
            char more[48];
            snprintf(more, sizeof more, " +%u B", (unsigned)(end - off));
            add_text(b, WP_LA_DATA, li, b->y, x, w, t);
            add_text(b, WP_LA_DATA, li, b->y + 1, x, w, more);
            b->y += 2;
            return;
        }
        add_text(b, WP_LA_DATA, li, b->y++, x, w, t);
    }
}

/* Opens layer li's box at (b->y, x) w wide and returns its item index. */
static int open_box(builder *b, unsigned li, int x, int w)
{
    char t[WP_LAYOUT_TEXT];
    box_title(b->p, &b->p->layers[li], t, sizeof t);
    wp_litem *it = add_item(b, WP_LI_BOX, WP_LA_BORDER, li, b->y, x, w);
    if (!it)
        return -1;
    size_t max = w > 4 ? (size_t)(w - 4) : 0;
    if (max >= sizeof it->text)
        max = sizeof it->text - 1;
    snprintf(it->text, max + 1, "%s", t);
    b->lo->layer_box[li] = (int)(it - b->lo->items);
    b->y++;
    return b->lo->layer_box[li];
}

static void close_box(builder *b, int item)
{
    if (item < 0)
        return;
    wp_litem *it = &b->lo->items[item];
    it->h = b->y - it->y + 1;
    b->y++;
}

/* Indent of the next box inside one w wide: 2 columns while there is room,
 * 1 when tight, 0 when the box would get too narrow to read. */
static int inner_step(int w)
{
    if (w - 4 >= 34)
        return 2;
    if (w - 2 >= 24)
        return 1;
    return 0;
}

static void data_box(builder *b, unsigned li, int x, int w)
{
    int box = open_box(b, li, x, w);
    data_rows(b, li, x + 2, w - 4);
    events_of(b, li, x + 2, w - 4);
    close_box(b, box);
}

void wp_layout_build(wp_layout *lo, const wp_packet *p, int width)
{
    builder b = {lo, p, 0};
    if (width < MIN_WIDTH)
        width = MIN_WIDTH;
    lo->width = width;
    lo->height = 0;
    lo->nitems = lo->nfields = 0;
    lo->truncated = 0;
    for (int i = 0; i < WP_MAX_LAYERS; i++)
        lo->layer_box[i] = -1;

    events_of(&b, WP_LAYOUT_NOLAYER, 0, width);

    /* The chain of boxes: every layer but a trailer, each inside the last. */
    int chain[WP_MAX_LAYERS], xs[WP_MAX_LAYERS], ws[WP_MAX_LAYERS], boxes[WP_MAX_LAYERS];
    int nchain = 0, trailer = -1;
    for (unsigned i = 0; i < p->nlayers && i < WP_MAX_LAYERS; i++) {
        if (p->layers[i].proto == WP_PROTO_TRAILER)
            trailer = (int)i;
        else
            chain[nchain++] = (int)i;
    }
    int x = 0, w = width;
    for (int k = 0; k < nchain; k++) {
        unsigned li = (unsigned)chain[k];
        xs[k] = x;
        ws[k] = w;
        if (is_data_proto(p->layers[li].proto)) {
            data_box(&b, li, x, w);
            boxes[k] = -2; /* already closed */
        } else {
            boxes[k] = open_box(&b, li, x, w);
            header_rows(&b, li, x + 2, w - 4);
            events_of(&b, li, x + 2, w - 4);
        }
        int step = inner_step(w);
        x += step;
        w -= 2 * step;
    }
    int trailer_in_link = trailer >= 0 && nchain > 0 && is_link_proto(p->layers[chain[0]].proto);
    for (int k = nchain - 1; k >= 0; k--) {
        if (k == 0 && trailer_in_link) {
            int step = inner_step(ws[0]);
            data_box(&b, (unsigned)trailer, xs[0] + step, ws[0] - 2 * step);
        }
        if (boxes[k] != -2)
            close_box(&b, boxes[k]);
    }
    if (trailer >= 0 && !trailer_in_link)
        data_box(&b, (unsigned)trailer, 0, width);
    lo->height = b.y;
}

/* ---- details and recipes --------------------------------------------- */

static void raw_bytes(const wp_packet *p, uint32_t off, uint32_t len, unsigned max, char *buf,
                      size_t n, size_t *pos)
{
    for (uint32_t i = 0; i < len && i < max; i++) {
        if (off + i >= p->caplen)
            break;
        bput(buf, n, pos, i ? " %02x" : "%02x", p->data[off + i]);
    }
    if (len > max)
        bput(buf, n, pos, " ..");
}

static uint64_t be_value(const wp_packet *p, uint32_t off, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < len && i < 8 && off + i < p->caplen; i++)
        v = v << 8 | p->data[off + i];
    return v;
}

/* The unpacking of one field: what wp_render_field_detail will give, in the
 * same shape, so the view does not wait for the renderer. */
static void field_detail(const wp_packet *p, const wp_layer *l, const wp_field *f, char *buf,
                         size_t n, size_t *pos)
{
    uint32_t off, len;
    wp_field_span(l, f, &off, &len);
    char r[32];
    range_text(off, len, r, sizeof r);
    bput(buf, n, pos, "%s  ", r);
    raw_bytes(p, off, len, 16, buf, n, pos);
    if (f->kind == WP_FK_UINT || f->kind == WP_FK_BOOL) {
        uint64_t raw = be_value(p, off, len);
        const char *conv = len == 1 ? "u8" : len == 2 ? "ntohs" : len == 4 ? "ntohl" : "be64";
        bput(buf, n, pos, "  %s -> %llu", conv, (unsigned long long)raw);
        if (f->mask) {
            bput(buf, n, pos, "  & 0x%0*llx >> %u -> %llu", (int)(len * 2),
                 (unsigned long long)f->mask, f->shift,
                 (unsigned long long)((raw & f->mask) >> f->shift));
        }
        uint64_t v = wp_field_uint(l, f);
        if (f->mult)
            bput(buf, n, pos, "  x %u = %llu", f->mult, (unsigned long long)(v * f->mult));
    }
    char val[96];
    wp_layout_value(p, l, f, val, sizeof val);
    bput(buf, n, pos, "  = %s", val);
}

const char *wp_layout_detail(const wp_packet *p, const wp_lfield *lf, char *buf, size_t n)
{
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (!lf || lf->layer >= p->nlayers || !lf->f)
        return buf;
    const wp_layer *l = &p->layers[lf->layer];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    bput(buf, n, &pos, "%s.%s ", pi->name, lf->f->name);
    if (lf->opt >= 0 && lf->opt < p->nopts) {
        const wp_opt *o = &p->opts[lf->opt];
        char r[32], t[96];
        range_text(lf->off, lf->len, r, sizeof r);
        opt_text(l, o, t, sizeof t);
        bput(buf, n, &pos, "option %s  ", r);
        raw_bytes(p, lf->off, lf->len, 12, buf, n, &pos);
        bput(buf, n, &pos, "  = %s", t);
    } else {
        field_detail(p, l, lf->f, buf, n, &pos);
    }
    char fmt[96];
    wp_layer_format(l, fmt, sizeof fmt);
    if (fmt[0])
        bput(buf, n, &pos, "  | struct '%s'", fmt);
    return buf;
}

const char *wp_layout_recipe(const wp_packet *p, unsigned layer, char *buf, size_t n)
{
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    if (layer >= p->nlayers)
        return buf;
    const wp_layer *l = &p->layers[layer];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    char fmt[96];
    wp_layer_format(l, fmt, sizeof fmt);
    bput(buf, n, &pos, "%s: struct.unpack('%s', frame[%u:%u])\n", pi->title, fmt,
         (unsigned)l->off, (unsigned)(l->off + l->hdr_len));
    for (size_t i = 0; i < pi->nfields; i++) {
        const wp_field *f = &pi->fields[i];
        if (!wp_field_shown(p, l, f))
            continue;
        bput(buf, n, &pos, "  %-12s ", f->name);
        field_detail(p, l, f, buf, n, &pos);
        bput(buf, n, &pos, "\n");
    }
    return buf;
}

/* ---- the list line ---------------------------------------------------- */

static void addr_of(const wp_layer *l, int dst, char *buf, size_t n)
{
    buf[0] = '\0';
    switch (l->proto) {
    case WP_PROTO_IPV4: {
        const uint8_t *a = dst ? l->h.ipv4.dst : l->h.ipv4.src;
        snprintf(buf, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        break;
    }
    case WP_PROTO_IPV6:
        inet_ntop(AF_INET6, dst ? l->h.ipv6.dst : l->h.ipv6.src, buf, (socklen_t)n);
        break;
    case WP_PROTO_ETH: {
        const uint8_t *a = dst ? l->h.eth.dst : l->h.eth.src;
        snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
        break;
    }
    case WP_PROTO_ARP: {
        const uint8_t *a = dst ? l->h.arp.tpa : l->h.arp.spa;
        snprintf(buf, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        break;
    }
    default:
        break;
    }
}

const char *wp_layout_summary(const wp_packet *p, uint64_t frame_no, char *buf, size_t n)
{
    size_t pos = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    struct tm tm;
    time_t t = (time_t)p->ts_sec;
    char ts[48] = "?";
    if (gmtime_r(&t, &tm))
        snprintf(ts, sizeof ts, "%02d:%02d:%02d.%06u", tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (unsigned)(p->ts_nsec / 1000));
    bput(buf, n, &pos, "%7llu %s ", (unsigned long long)frame_no, ts);
    const wp_layer *net = NULL, *tr = NULL, *top = NULL;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->flags & WP_LF_QUOTED)
            break;
        if (is_data_proto(l->proto))
            continue;
        top = l;
        if (l->proto == WP_PROTO_IPV4 || l->proto == WP_PROTO_IPV6 || l->proto == WP_PROTO_ARP)
            net = l;
        else if (l->proto == WP_PROTO_UDP || l->proto == WP_PROTO_TCP)
            tr = l;
    }
    if (!net && p->nlayers && p->layers[0].proto == WP_PROTO_ETH)
        net = &p->layers[0];
    char s[48] = "", d[48] = "";
    if (net) {
        addr_of(net, 0, s, sizeof s);
        addr_of(net, 1, d, sizeof d);
    }
    if (tr) {
        size_t k = strlen(s);
        snprintf(s + k, sizeof s - k, ":%u",
                 tr->proto == WP_PROTO_TCP ? tr->h.tcp.sport : tr->h.udp.sport);
        k = strlen(d);
        snprintf(d + k, sizeof d - k, ":%u",
                 tr->proto == WP_PROTO_TCP ? tr->h.tcp.dport : tr->h.udp.dport);
    }
    bput(buf, n, &pos, "%-21s > %-21s %-6s %5u", s, d,
         top ? wp_proto_get(top->proto)->short_name : "-", (unsigned)p->len);
    if (p->nevents)
        bput(buf, n, &pos, " !%u", (unsigned)p->nevents);
    return buf;
}

/* ---- the packet index -------------------------------------------------- */

void wp_pindex_init(wp_pindex *ix)
{
    memset(ix, 0, sizeof *ix);
}

void wp_pindex_free(wp_pindex *ix)
{
    free(ix->pos);
    free(ix->num);
    memset(ix, 0, sizeof *ix);
}

void wp_pindex_reset(wp_pindex *ix)
{
    ix->n = 0;
    ix->seen = 0;
    ix->done = ix->failed = 0;
    ix->err[0] = '\0';
}

static int grow(wp_pindex *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 4096;
    int64_t *pos = realloc(ix->pos, cap * sizeof *pos);
    if (!pos)
        return -1;
    ix->pos = pos;
    uint32_t *num = realloc(ix->num, cap * sizeof *num);
    if (!num)
        return -1;
    ix->num = num;
    ix->cap = cap;
    return 0;
}

size_t wp_pindex_step(wp_pindex *ix, wp_capture_file *c, size_t max_records)
{
    size_t added = 0;
    if (ix->done || ix->failed)
        return 0;
    while (added < max_records) {
        wp_frame f;
        int64_t at;
        uint64_t skipped = 0;
        if (ix->n == ix->cap && grow(ix) != 0) {
            ix->failed = 1;
            snprintf(ix->err, sizeof ix->err, "out of memory after %zu packets", ix->n);
            break;
        }
        int rc = wp_capture_file_next(c, &f, &at, &skipped, ix->err, sizeof ix->err);
        ix->seen += skipped;
        if (rc == 0) {
            ix->done = 1;
            break;
        }
        if (rc < 0) {
            ix->failed = 1;
            break;
        }
        ix->seen++;
        ix->pos[ix->n] = at;
        ix->num[ix->n] = (uint32_t)ix->seen;
        ix->n++;
        added++;
    }
    return added;
}

int wp_pindex_read(const wp_pindex *ix, wp_capture_file *c, size_t i, wp_frame *f, char *err,
                   size_t errlen)
{
    if (i >= ix->n) {
        snprintf(err, errlen, "no packet %zu", i + 1);
        return -1;
    }
    if (wp_capture_file_seek(c, ix->pos[i]) != 0) {
        snprintf(err, errlen, "cannot seek to packet %u", (unsigned)ix->num[i]);
        return -1;
    }
    /* The record at pos passed the filter when indexed; a pcapng block
     * before it (an interface description) is read on the way. */
    int rc = wp_capture_file_next(c, f, NULL, NULL, err, errlen);
    if (rc != 1) {
        if (rc == 0)
            snprintf(err, errlen, "packet %u is gone from the file", (unsigned)ix->num[i]);
        return -1;
    }
    return 1;
}
