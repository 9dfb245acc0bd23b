/* The header-diagram model: a layer's field table laid out as bit cells.
 * See include/wirepeel/diagram.h. Curses-free and sink-free, so the view,
 * every diagram writer and the tests share it. */
#include <stdio.h>
#include <string.h>

#include "wirepeel/diagram.h"

/* A candidate cell before overlaps are resolved. */
typedef struct cand {
    const wp_field *f;
    uint32_t bit, nbits;
} cand;

/* The byte range off..off+width read as one big-endian number, of which
 * mask (when set) picks a contiguous run. A mask that is not contiguous (no
 * table has one; the unit test checks) counts as the whole range. */
void wp_diag_field_bits(const wp_field *f, uint32_t *bit, uint32_t *nbits)
{
    uint32_t w = (uint32_t)f->width * 8u;
    *bit = (uint32_t)f->off * 8u;
    *nbits = w;
    if (f->mask == 0 || w == 0 || w > 32)
        return;
    unsigned lo = (unsigned)__builtin_ctz(f->mask);
    unsigned hi = 31u - (unsigned)__builtin_clz(f->mask);
    uint32_t run = f->mask >> lo;
    if ((run & (run + 1u)) != 0 || hi >= w)
        return;
    *bit += w - 1u - hi;
    *nbits = hi - lo + 1u;
}

/* The end of the bytes this layer may show: captured, and inside its
 * container (as wp_field_shown() counts them). */
static uint32_t shown_end(const wp_packet *p, const wp_layer *l)
{
    return l->avail_end && l->avail_end < p->caplen ? l->avail_end : p->caplen;
}

static int add_cell(wp_diag *d, uint8_t kind, const wp_field *f, uint32_t bit, uint32_t nbits,
                    const char *label, uint8_t bitno)
{
    if (nbits == 0)
        return 0;
    if (d->ncells >= WP_DIAG_MAX_CELLS) {
        d->overflow = 1;
        return -1;
    }
    wp_diag_cell *c = &d->cells[d->ncells++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->f = f;
    c->bit = bit;
    c->nbits = nbits;
    c->bitno = bitno;
    if (label)
        snprintf(c->label, sizeof c->label, "%s", label);
    return 0;
}

/* The name describe() gives value v as a single bit ("[SYN]" -> "SYN") into
 * out[n]; 0 when it names none. TCP's flag names are its describe function's
 * own table, so asking it bit by bit keeps them in one place. */
static int bit_name(const wp_field *f, unsigned bitno, char *out, size_t n)
{
    char buf[64];
    const char *s = f->describe((uint64_t)1 << bitno, buf, sizeof buf);
    if (!s)
        return 0;
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
        s++;
        len -= 2;
    }
    if (len == 0 || len >= n || memchr(s, ',', len))
        return 0;
    memcpy(out, s, len);
    out[len] = '\0';
    return 1;
}

/* Cover bits [from, to) of split field f that its parts leave open with
 * REST cells. */
static void add_rest(wp_diag *d, const wp_field *f, uint32_t from, uint32_t to)
{
    if (to > from)
        add_cell(d, WP_DC_REST, f, from, to - from, "Rsv", 0);
}

/* One cell per named bit of flag field f (bits bit..bit+nbits), REST for
 * runs of unnamed ones. */
static void split_bits(wp_diag *d, const wp_field *f, uint32_t bit, uint32_t nbits)
{
    uint32_t rest_from = bit;
    for (uint32_t i = 0; i < nbits && i < 32; i++) {
        unsigned bitno = (unsigned)(nbits - 1u - i); /* the value's bit, 0 = lowest */
        char name[8];
        if (!bit_name(f, bitno, name, sizeof name))
            continue;
        add_rest(d, f, rest_from, bit + i);
        add_cell(d, WP_DC_BIT, f, bit + i, 1, name, (uint8_t)bitno);
        rest_from = bit + i + 1;
    }
    add_rest(d, f, rest_from, bit + nbits);
}

/* Whether flag field f names at least two of its bits one by one. */
static int names_bits(const wp_field *f, uint32_t nbits)
{
    if (!f->describe || !f->hex || f->mask == 0 || f->kind != WP_FK_UINT || nbits < 3 ||
        nbits > 32)
        return 0;
    unsigned named = 0;
    char name[8];
    for (unsigned b = 0; b < nbits; b++)
        named += (unsigned)bit_name(f, b, name, sizeof name);
    return named >= 2;
}

static void sort_cells(wp_diag *d)
{
    /* insertion sort: at most WP_DIAG_MAX_CELLS, mostly in order already */
    for (unsigned i = 1; i < d->ncells; i++) {
        wp_diag_cell c = d->cells[i];
        unsigned j = i;
        while (j > 0 && (d->cells[j - 1].bit > c.bit ||
                         (d->cells[j - 1].bit == c.bit && d->cells[j - 1].nbits > c.nbits))) {
            d->cells[j] = d->cells[j - 1];
            j--;
        }
        d->cells[j] = c;
    }
}

int wp_diag_build(const wp_packet *p, unsigned li, wp_diag *d)
{
    memset(d, 0, sizeof *d);
    d->p = p;
    if (!p || li >= p->nlayers)
        return -1;
    const wp_layer *l = &p->layers[li];
    const wp_proto_info *pi = wp_proto_get(l->proto);
    d->l = l;
    d->info = pi;
    if (l->proto >= WP_PROTO_PAYLOAD || pi->nfields == 0)
        return -1;

    /* the fields this layer has (present() says which of the alternatives
     * at one place: EtherType or 802.3 length, ICMP's second word) */
    cand cs[WP_DIAG_MAX_CELLS];
    unsigned nc = 0;
    const wp_field *var = NULL;
    uint32_t end_bits = 0;
    for (size_t k = 0; k < pi->nfields && nc < WP_DIAG_MAX_CELLS; k++) {
        const wp_field *f = &pi->fields[k];
        if (f->present && !f->present(l))
            continue;
        if (f->kind == WP_FK_OPTIONS) {
            if (!var)
                var = f;
            continue;
        }
        uint32_t bit, nbits;
        wp_diag_field_bits(f, &bit, &nbits);
        if (nbits == 0)
            continue;
        cs[nc].f = f;
        cs[nc].bit = bit;
        cs[nc].nbits = nbits;
        nc++;
        if (bit + nbits > end_bits)
            end_bits = bit + nbits;
    }
    if (var && var->off < l->hdr_len) {
        uint32_t vb = (uint32_t)var->off * 8u;
        if (vb >= end_bits) {
            add_cell(d, WP_DC_VAR, var, vb, (l->hdr_len - var->off) * 8u, NULL, 0);
            end_bits = l->hdr_len * 8u;
        }
    }
    if (l->hdr_len * 8u > end_bits)
        end_bits = l->hdr_len * 8u;

    for (unsigned i = 0; i < nc; i++) {
        const cand *a = &cs[i];
        /* does another field lie inside this one? then it is drawn as its parts */
        int parent = 0, dup = 0;
        for (unsigned j = 0; j < nc; j++) {
            const cand *b = &cs[j];
            if (j == i)
                continue;
            if (b->bit == a->bit && b->nbits == a->nbits && j < i)
                dup = 1; /* the same bits twice: the first row draws them */
            if (b->bit >= a->bit && b->bit + b->nbits <= a->bit + a->nbits &&
                b->nbits < a->nbits)
                parent = 1;
        }
        if (dup)
            continue;
        if (parent) {
            /* its unnamed bits: what no part covers */
            uint32_t at = a->bit;
            while (at < a->bit + a->nbits) {
                uint32_t next = a->bit + a->nbits;
                int covered = 0;
                for (unsigned j = 0; j < nc; j++) {
                    const cand *b = &cs[j];
                    if (j == i || b->nbits >= a->nbits || b->bit + b->nbits <= at ||
                        b->bit < a->bit || b->bit + b->nbits > a->bit + a->nbits)
                        continue;
                    if (b->bit <= at) {
                        covered = 1;
                        at = b->bit + b->nbits;
                        break;
                    }
                    if (b->bit < next)
                        next = b->bit;
                }
                if (!covered) {
                    add_rest(d, a->f, at, next);
                    at = next;
                }
            }
            if (d->nsplit < WP_DIAG_MAX_SPLIT)
                d->split[d->nsplit++] = a->f;
            continue;
        }
        if (names_bits(a->f, a->nbits)) {
            split_bits(d, a->f, a->bit, a->nbits);
            if (d->nsplit < WP_DIAG_MAX_SPLIT)
                d->split[d->nsplit++] = a->f;
            continue;
        }
        add_cell(d, WP_DC_FIELD, a->f, a->bit, a->nbits, NULL, 0);
    }
    sort_cells(d);

    /* gaps: bits no cell covers; a cell overlapping the one before it
     * (never in wirepeel's tables) is dropped, as Wireshark's diagram does */
    uint32_t at = 0;
    unsigned n = d->ncells;
    for (unsigned i = 0; i < n; i++) {
        wp_diag_cell *c = &d->cells[i];
        if (c->bit < at) {
            memmove(c, c + 1, (size_t)(n - i - 1) * sizeof *c);
            n--;
            d->ncells--;
            i--;
            continue;
        }
        if (c->bit > at)
            add_cell(d, WP_DC_GAP, NULL, at, c->bit - at, "-", 0);
        at = c->bit + c->nbits;
    }
    if (end_bits > at)
        add_cell(d, WP_DC_GAP, NULL, at, end_bits - at, "-", 0);
    sort_cells(d);
    d->nbits = end_bits;

    /* what was captured of it */
    uint32_t end = shown_end(p, l);
    uint32_t have = end > l->off ? end - l->off : 0;
    d->cap_bits = have * 8u < end_bits ? have * 8u : end_bits;
    for (unsigned i = 0; i < d->ncells; i++) {
        wp_diag_cell *c = &d->cells[i];
        c->missing = (uint8_t)(c->bit + c->nbits > d->cap_bits);
    }
    return 0;
}

int wp_diag_cell_at(const wp_diag *d, uint32_t bit)
{
    /* the cells are sorted by first bit and do not overlap: the last one
     * starting at or before bit is the only one that may hold it */
    unsigned lo = 0, hi = d->ncells;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2u;
        if (d->cells[mid].bit <= bit)
            lo = mid + 1u;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    const wp_diag_cell *c = &d->cells[lo - 1u];
    return bit - c->bit < c->nbits ? (int)(lo - 1u) : -1;
}

void wp_diag_cell_span(const wp_diag *d, const wp_diag_cell *c, uint32_t *off, uint32_t *len)
{
    uint32_t first = c->bit / 8u;
    uint32_t last = (c->bit + c->nbits - 1u) / 8u;
    *off = d->l->off + first;
    *len = c->nbits ? last - first + 1u : 0;
}

uint64_t wp_diag_cell_mask(const wp_diag *d, const wp_diag_cell *c)
{
    (void)d;
    if (c->bit % 8u == 0 && c->nbits % 8u == 0)
        return 0;
    uint32_t first = c->bit / 8u;
    uint32_t len = (c->bit + c->nbits - 1u) / 8u - first + 1u;
    if (len > 8)
        return 0;
    uint32_t lsb = len * 8u - (c->bit - first * 8u) - c->nbits; /* bits right of it */
    uint64_t ones = c->nbits >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << c->nbits) - 1u);
    return ones << lsb;
}

const char *wp_diag_cell_title(const wp_diag_cell *c)
{
    if ((c->kind == WP_DC_FIELD || c->kind == WP_DC_VAR) && c->f)
        return c->f->title;
    if (c->kind == WP_DC_REST)
        return "Reserved";
    return c->label;
}

const char *wp_diag_cell_name(const wp_diag_cell *c)
{
    return (c->kind == WP_DC_FIELD || c->kind == WP_DC_VAR) && c->f ? c->f->name : c->label;
}

int wp_diag_cell_label(const wp_diag_cell *c, unsigned cols, char *buf, size_t n)
{
    const char *title = wp_diag_cell_title(c);
    if (wp_diag_cols(title) <= cols) {
        snprintf(buf, n, "%s", title);
        return 1;
    }
    /* "Fragment offset (8-byte units)": the title before its remark, or
     * "Header length (IHL)": the abbreviation (one word) in it */
    const char *open = strrchr(title, '(');
    size_t tl = strlen(title);
    if (open && open > title && title[tl - 1] == ')') {
        size_t head = (size_t)(open - title);
        while (head > 0 && title[head - 1] == ' ')
            head--;
        if (head > 0 && head <= cols) {
            snprintf(buf, n, "%.*s", (int)head, title);
            return 1;
        }
        size_t inner = tl - 2 - (size_t)(open - title);
        if (inner > 0 && inner <= cols && !memchr(open + 1, ' ', inner)) {
            snprintf(buf, n, "%.*s", (int)inner, open + 1);
            return 1;
        }
    }
    const char *name = wp_diag_cell_name(c);
    if (wp_diag_cols(name) <= cols) {
        snprintf(buf, n, "%s", name);
        return 1;
    }
    return 0;
}

size_t wp_diag_cols(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0u) != 0x80u)
            n++;
    return n;
}

/* The raw value of the cell's bits straight from the frame (gaps, unnamed
 * bits); the cell must be captured and at most 64 bits wide. */
static uint64_t raw_bits(const wp_diag *d, const wp_diag_cell *c)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < c->nbits && i < 64; i++) {
        uint32_t b = c->bit + i;
        uint8_t byte = d->p->data[(size_t)d->l->off + b / 8u];
        v = (v << 1) | (((unsigned)byte >> (7u - b % 8u)) & 1u);
    }
    return v;
}

/* Copy text into buf[n] cut to cols display columns (on a code point). */
static void put_cut(char *buf, size_t n, const char *text, unsigned cols)
{
    size_t o = 0;
    unsigned used = 0;
    for (const char *s = text; *s && o + 1 < n; s++) {
        int lead = ((unsigned char)*s & 0xc0u) != 0x80u;
        if (lead && used == cols)
            break;
        used += (unsigned)lead;
        buf[o++] = *s;
    }
    buf[o] = '\0';
}

/* The first of the candidates (most to least said) that fits cols, into
 * buf; 1 when it was the first, 0 when a later one (or a cut) was taken. */
static int pick(char *buf, size_t n, unsigned cols, const char *const *forms, unsigned nforms)
{
    for (unsigned i = 0; i < nforms; i++) {
        if (!forms[i] || !forms[i][0])
            continue;
        if (wp_diag_cols(forms[i]) <= cols) {
            snprintf(buf, n, "%s", forms[i]);
            return i == 0;
        }
    }
    const char *last = NULL;
    for (unsigned i = 0; i < nforms; i++)
        if (forms[i] && forms[i][0])
            last = forms[i];
    put_cut(buf, n, last ? last : "", cols);
    return 0;
}

int wp_diag_cell_value(const wp_diag *d, const wp_diag_cell *c, unsigned cols, char *buf,
                       size_t n)
{
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (c->missing) {
        const char *m[] = {"missing", "miss", "?"};
        pick(buf, n, cols, m, 3);
        return -1;
    }
    char a[96], b[48];
    const char *cand_list[3] = {NULL, NULL, NULL};
    switch (c->kind) {
    case WP_DC_BIT: {
        uint64_t v = wp_field_uint(d->l, c->f);
        snprintf(a, sizeof a, "%u", (unsigned)((v >> c->bitno) & 1u));
        cand_list[0] = a;
        break;
    }
    case WP_DC_REST:
    case WP_DC_GAP: {
        if (c->nbits > 64)
            return pick(buf, n, cols, (const char *const[]){"..."}, 1);
        uint64_t v = raw_bits(d, c);
        if (c->nbits > 16)
            snprintf(a, sizeof a, "0x%0*llx", (int)((c->nbits + 3u) / 4u), (unsigned long long)v);
        else
            snprintf(a, sizeof a, "%llu", (unsigned long long)v);
        cand_list[0] = a;
        break;
    }
    case WP_DC_VAR: {
        snprintf(a, sizeof a, "%u bytes, below", c->nbits / 8u);
        snprintf(b, sizeof b, "%u B", c->nbits / 8u);
        cand_list[0] = a;
        cand_list[1] = b;
        break;
    }
    default: {
        const wp_field *f = c->f;
        if (f->kind == WP_FK_UINT || f->kind == WP_FK_BOOL) {
            uint64_t v = wp_field_uint(d->l, f);
            char num[32];
            if (f->hex)
                snprintf(num, sizeof num, "0x%0*llx", (int)((c->nbits + 3u) / 4u),
                         (unsigned long long)v);
            else
                snprintf(num, sizeof num, "%llu", (unsigned long long)v);
            char nb[64];
            const char *name = f->describe ? f->describe(v, nb, sizeof nb) : NULL;
            if (f->mult) {
                /* the derived value with its arithmetic, as the issue draws it */
                snprintf(a, sizeof a, "%s \xc3\x97%u=%llu", num, (unsigned)f->mult,
                         (unsigned long long)(v * f->mult));
                snprintf(b, sizeof b, "%s", num);
                cand_list[0] = a;
                cand_list[1] = b;
            } else if (name) {
                snprintf(a, sizeof a, "%s (%s)", num, name);
                snprintf(b, sizeof b, "%s", num);
                cand_list[0] = a;
                cand_list[1] = b;
            } else {
                snprintf(a, sizeof a, "%s", num);
                cand_list[0] = a;
            }
        } else {
            wp_render_field_value(d->p, d->l, f, a, sizeof a);
            cand_list[0] = a;
        }
        break;
    }
    }
    return pick(buf, n, cols, cand_list, 3);
}

uint32_t wp_diag_grid_end(const wp_diag *d, const wp_diag_cell **var)
{
    *var = NULL;
    for (unsigned i = 0; i < d->ncells; i++)
        if (d->cells[i].kind == WP_DC_VAR) {
            *var = &d->cells[i];
            uint32_t e = (d->cells[i].bit + 31u) / 32u * 32u;
            return e < d->nbits ? e : d->nbits;
        }
    return d->nbits;
}

const char *wp_diag_opt_text(const wp_diag *d, const wp_opt *o, int blank, char *buf, size_t n)
{
    if (!blank)
        return wp_render_opt_text(d->p, d->l, o, buf, n);
    if (d->l->proto == WP_PROTO_HTTP) { /* a header line: its length, not the text */
        snprintf(buf, n, "header line (%u bytes)", (unsigned)wp_opt_extent(d->l, o));
        return buf;
    }
    const char *nm = wp_opt_name(d->l->proto, o->kind);
    snprintf(buf, n, "%s (kind %u, len %u)", nm ? nm : "option", (unsigned)o->kind,
             (unsigned)o->len);
    return buf;
}

wp_diag_sel wp_diag_sel_of(const wp_field *f, int opt)
{
    wp_diag_sel sel = {.bit = 0, .nbits = 0, .opt = opt, .all_opts = 0};
    if (opt >= 0 || !f)
        return sel;
    if (f->kind == WP_FK_OPTIONS)
        sel.all_opts = 1;
    else
        wp_diag_field_bits(f, &sel.bit, &sel.nbits);
    return sel;
}

