/* IP fragment reassembly: IPv4 and IPv6 fragments grouped by (source,
 * destination, identification, protocol) into a fixed pool of datagram slots,
 * each with its own 64 KiB buffer, a bitmap of the bytes held and a bounded
 * fragment list. The first copy of a byte wins (as tshark and Linux keep
 * it); an overlap, a conflict, an oversize fragment, too many fragments or a
 * full pool is an event. Slots are freed on completion, on timeout (capture
 * time) or when the pool needs the oldest. */
#include <stdlib.h>
#include <string.h>

#include "wirepeel/checksum.h"
#include "wirepeel/cursor.h"
#include "wirepeel/reasm.h"

#define BITMAP_BYTES ((WP_IPR_MAX_DATAGRAM + 8u) / 8u)

typedef struct slot {
    uint8_t used;
    wp_ipr_dgram d;
    uint32_t hi;               /* highest end seen */
    uint32_t dirty;            /* bitmap bytes that may be set: cleared on reuse */
    uint32_t hdr_len;          /* bytes in hdr (from the offset-0 fragment) */
    uint32_t nh_at;            /* IPv6: offset in hdr of the next-header byte to patch */
    uint8_t hdr[WP_IPR_MAX_HDR];
    uint8_t *data;             /* WP_IPR_MAX_DATAGRAM bytes */
    uint8_t *bits;             /* BITMAP_BYTES: which bytes are held */
    wp_ipr_frag *frags;        /* max_frags entries */
} slot;

struct wp_ipr {
    wp_ipr_opts o;
    slot *slots;
    uint8_t *mem;              /* every slot's data and bits in one block */
    wp_ipr_frag *frag_pool;    /* every slot's fragment list */
    size_t mem_bytes;
    uint8_t out[WP_IPR_MAX_HDR + WP_IPR_MAX_DATAGRAM];
    /* given-up datagrams waiting for wp_ipr_expired: their slots stay used
     * with gone set, so they cost no extra memory */
    uint8_t *gone;
    unsigned nlive;            /* slots in use: with none, a frame costs no slot scan */
};

static unsigned clampu(unsigned v, unsigned lo, unsigned hi, unsigned def)
{
    if (v == 0)
        return def;
    return v < lo ? lo : v > hi ? hi : v;
}

wp_ipr *wp_ipr_new(const wp_ipr_opts *opts)
{
    wp_ipr_opts o = {0, 0, 0};
    if (opts)
        o = *opts;
    o.slots = clampu(o.slots, 1, 4096, WP_IPR_DEF_SLOTS);
    o.max_frags = clampu(o.max_frags, 1, 1024, WP_IPR_DEF_FRAGS);
    o.timeout_s = clampu(o.timeout_s, 1, 86400, WP_IPR_DEF_TIMEOUT);
    wp_ipr *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->o = o;
    size_t per = WP_IPR_MAX_DATAGRAM + BITMAP_BYTES;
    r->mem_bytes = per * o.slots + (size_t)o.slots * o.max_frags * sizeof(wp_ipr_frag);
    r->slots = calloc(o.slots, sizeof *r->slots);
    r->gone = calloc(o.slots, 1);
    r->mem = malloc(per * o.slots);
    r->frag_pool = malloc((size_t)o.slots * o.max_frags * sizeof *r->frag_pool);
    if (!r->slots || !r->mem || !r->gone || !r->frag_pool) {
        wp_ipr_free(r);
        return NULL;
    }
    for (unsigned i = 0; i < o.slots; i++) {
        uint8_t *b = r->mem + per * i;
        r->slots[i].data = b;
        r->slots[i].bits = b + WP_IPR_MAX_DATAGRAM;
        r->slots[i].dirty = BITMAP_BYTES; /* malloc'd: cleared on first use */
        r->slots[i].frags = r->frag_pool + (size_t)i * o.max_frags;
    }
    return r;
}

void wp_ipr_free(wp_ipr *r)
{
    if (!r)
        return;
    free(r->mem);
    free(r->frag_pool);
    free(r->slots);
    free(r->gone);
    free(r);
}

size_t wp_ipr_pool_bytes(const wp_ipr *r)
{
    return r ? r->mem_bytes + sizeof *r + r->o.slots * (sizeof(slot) + 1u) : 0;
}

static int bit_get(const uint8_t *b, uint32_t i)
{
    return (int)((unsigned)b[i >> 3] >> (i & 7u) & 1u);
}

static void bit_set(uint8_t *b, uint32_t i)
{
    b[i >> 3] = (uint8_t)(b[i >> 3] | 1u << (i & 7u));
}

/* Whether bytes [0, n) are all held. */
static int all_held(const uint8_t *b, uint32_t n)
{
    uint32_t whole = n >> 3;
    for (uint32_t i = 0; i < whole; i++)
        if (b[i] != 0xff)
            return 0;
    for (uint32_t i = whole << 3; i < n; i++)
        if (!bit_get(b, i))
            return 0;
    return 1;
}

/* What one fragment says about itself, read from the decoded layers. */
typedef struct fraginfo {
    uint8_t v6, proto, more;
    uint32_t id;
    uint8_t src[16], dst[16];
    uint32_t off;              /* bytes */
    uint32_t data_at, data_len; /* the fragment's data in the frame */
    uint32_t ip_at;            /* the IP header in the frame */
    uint32_t unfrag_len;       /* IP header (+ IPv6 extension headers before the fragment header) */
    uint32_t nh_at;            /* IPv6: frame offset of the next-header byte naming the fragment header */
    uint8_t cut;
} fraginfo;

/* Find the fragment in p, if any: 1 and *fi filled, or 0. */
static int find_fragment(const wp_packet *p, fraginfo *fi)
{
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->flags & WP_LF_QUOTED)
            return 0;
        if (l->proto == WP_PROTO_IPV4) {
            const wp_ipv4_hdr *h = &l->h.ipv4;
            if (!h->mf && h->frag_offset == 0)
                return 0;
            if (h->version != 4 || l->hdr_len < 20 || h->total_len < l->hdr_len)
                return 0;
            memset(fi, 0, sizeof *fi);
            fi->proto = h->proto;
            fi->more = h->mf;
            fi->id = h->id;
            memcpy(fi->src, h->src, 4);
            memcpy(fi->dst, h->dst, 4);
            fi->off = (uint32_t)h->frag_offset * 8u;
            fi->ip_at = l->off;
            fi->unfrag_len = l->hdr_len;
            fi->data_at = l->off + l->hdr_len;
            fi->data_len = (uint32_t)h->total_len - l->hdr_len;
        } else if (l->proto == WP_PROTO_IPV6) {
            /* look for its fragment header among the extension headers */
            const wp_layer *ip = l;
            uint32_t nh_at = l->off + 6u;
            unsigned j = i + 1;
            for (; j < p->nlayers; j++) {
                const wp_layer *e = &p->layers[j];
                if (e->proto == WP_PROTO_IPV6_FRAG)
                    break;
                if (e->proto != WP_PROTO_IPV6_HOPOPTS && e->proto != WP_PROTO_IPV6_ROUTE &&
                    e->proto != WP_PROTO_IPV6_DSTOPTS)
                    return 0;
                nh_at = e->off;
            }
            if (j >= p->nlayers)
                return 0;
            const wp_layer *fl = &p->layers[j];
            if (fl->hdr_len < 8 || (fl->flags & WP_LF_TRUNCATED))
                return 0;
            const wp_ipv6_ext_hdr *fh = &fl->h.ext;
            if (!fh->m && fh->offset == 0)
                return 0; /* an atomic fragment: nothing to put together */
            uint32_t end = ip->off + 40u + ip->h.ipv6.payload_len;
            uint32_t at = fl->off + fl->hdr_len;
            if (ip->h.ipv6.payload_len == 0 || end < at)
                return 0;
            memset(fi, 0, sizeof *fi);
            fi->v6 = 1;
            fi->proto = fh->next_header;
            fi->more = fh->m;
            fi->id = fh->id;
            memcpy(fi->src, ip->h.ipv6.src, 16);
            memcpy(fi->dst, ip->h.ipv6.dst, 16);
            fi->off = (uint32_t)fh->offset * 8u;
            fi->ip_at = ip->off;
            fi->unfrag_len = fl->off - ip->off;
            fi->nh_at = nh_at - ip->off;
            fi->data_at = at;
            fi->data_len = end - at;
        } else {
            continue;
        }
        if (fi->data_at > p->caplen || fi->data_len > p->caplen - fi->data_at)
            fi->cut = 1;
        return 1;
    }
    return 0;
}

static int same_key(const wp_ipr_dgram *d, const fraginfo *fi)
{
    return d->v6 == fi->v6 && d->proto == fi->proto && d->id == fi->id &&
           memcmp(d->src, fi->src, 16) == 0 && memcmp(d->dst, fi->dst, 16) == 0;
}

static void slot_free(wp_ipr *r, slot *s)
{
    if (s->used && r->nlive)
        r->nlive--;
    s->used = 0;
    r->gone[s - r->slots] = 0;
}

/* Mark slot s given up: it waits for wp_ipr_expired to report it. */
static void slot_give_up(wp_ipr *r, slot *s)
{
    r->gone[s - r->slots] = 1;
}

static void slot_start(wp_ipr *r, slot *s, const fraginfo *fi, uint64_t frame, int64_t sec)
{
    r->nlive++;
    memset(&s->d, 0, sizeof s->d);
    s->used = 1;
    s->d.v6 = fi->v6;
    s->d.proto = fi->proto;
    s->d.id = fi->id;
    memcpy(s->d.src, fi->src, 16);
    memcpy(s->d.dst, fi->dst, 16);
    s->d.first_frame = frame;
    s->d.first_sec = sec;
    s->d.frags = s->frags;
    s->hi = 0;
    s->hdr_len = 0;
    /* clear only what the last datagram in this slot touched (a fresh
     * slot's bitmap is cleared whole once, in wp_ipr_new) */
    memset(s->bits, 0, s->dirty);
    s->dirty = 0;
}

/* Give up datagrams older than the timeout (capture time). */
static unsigned expire_old(wp_ipr *r, int64_t now)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->o.slots; i++) {
        slot *s = &r->slots[i];
        /* capture times are anything a file says: subtract only when now is
         * later, in unsigned arithmetic, which cannot overflow then */
        if (s->used && !r->gone[i] && now > s->d.first_sec &&
            (uint64_t)now - (uint64_t)s->d.first_sec > r->o.timeout_s) {
            slot_give_up(r, s);
            n++;
        }
    }
    return n;
}

/* A slot for a new datagram: a free one, else the oldest is given up
 * (*evicted set). Given-up slots not yet reported are reused last. */
static slot *slot_take(wp_ipr *r, int *evicted)
{
    slot *oldest = NULL, *gone_one = NULL;
    for (unsigned i = 0; i < r->o.slots; i++) {
        slot *s = &r->slots[i];
        if (!s->used)
            return s;
        if (r->gone[i]) {
            if (!gone_one)
                gone_one = s;
        } else if (!oldest || s->d.first_frame < oldest->d.first_frame) {
            oldest = s;
        }
    }
    *evicted = 1;
    /* a given-up slot not yet reported is lost from the report: prefer
     * giving up a live one, which the caller reports as pool-full */
    slot *s = oldest ? oldest : gone_one;
    slot_free(r, s);
    return s;
}

/* Build the whole datagram of slot s into r->out. */
static void build(wp_ipr *r, slot *s, wp_ipr_result *res)
{
    uint8_t *o = r->out;
    uint32_t hl = s->hdr_len;
    uint32_t total = s->d.total;
    memcpy(o, s->hdr, hl);
    memcpy(o + hl, s->data, total);
    if (!s->d.v6) {
        /* total length, no MF, offset 0 (DF and the reserved bit kept),
         * and the header checksum that this header calls for */
        uint32_t tl = hl + total;
        if (tl > 0xffffu)
            tl = 0xffffu;
        o[2] = (uint8_t)(tl >> 8);
        o[3] = (uint8_t)tl;
        o[6] = (uint8_t)(o[6] & 0xc0u);
        o[7] = 0;
        o[10] = 0;
        o[11] = 0;
        uint16_t c = wp_csum_finish(wp_csum_add(0, o, hl));
        o[10] = (uint8_t)(c >> 8);
        o[11] = (uint8_t)c;
    } else {
        /* payload length without the fragment header, and the header in
         * front of it now names what the fragment header named */
        uint32_t pl = hl - 40u + total;
        if (pl > 0xffffu)
            pl = 0xffffu;
        o[4] = (uint8_t)(pl >> 8);
        o[5] = (uint8_t)pl;
        if (s->nh_at < hl)
            o[s->nh_at] = s->d.proto;
    }
    res->bytes = o;
    res->len = hl + total;
    res->ip_hdr_len = hl;
}

void wp_ipr_feed(wp_ipr *r, const wp_packet *p, uint64_t frame, wp_ipr_result *res)
{
    /* the common frame (no fragment, nothing held) costs a walk over its
     * layers and two stores */
    res->status = WP_IPR_NOT_FRAGMENT;
    res->ev = 0;
    unsigned ev = r->nlive && expire_old(r, p->ts_sec) ? WP_IPR_EV_TIMEOUT : 0u;
    fraginfo fi;
    if (!find_fragment(p, &fi)) {
        res->ev = ev;
        return;
    }
    memset(res, 0, sizeof *res);
    res->ev = ev;
    if (fi.cut) {
        res->status = WP_IPR_DROPPED;
        res->ev |= WP_IPR_EV_CUT;
        return;
    }
    if (fi.off > WP_IPR_MAX_DATAGRAM || fi.data_len > WP_IPR_MAX_DATAGRAM - fi.off ||
        fi.unfrag_len + fi.off + fi.data_len > WP_IPR_MAX_DATAGRAM + (fi.v6 ? 40u : 0u)) {
        res->status = WP_IPR_DROPPED;
        res->ev |= WP_IPR_EV_OVERSIZE;
        return;
    }
    slot *s = NULL;
    for (unsigned i = 0; i < r->o.slots; i++)
        if (r->slots[i].used && !r->gone[i] && same_key(&r->slots[i].d, &fi)) {
            s = &r->slots[i];
            break;
        }
    if (!s) {
        int evicted = 0;
        s = slot_take(r, &evicted);
        if (evicted) {
            /* the evicted datagram is lost without a report slot: say so */
            res->ev |= WP_IPR_EV_POOL_FULL;
        }
        slot_start(r, s, &fi, frame, p->ts_sec);
    }
    if (s->d.nfrags >= r->o.max_frags) {
        res->ev |= WP_IPR_EV_TOO_MANY;
        res->status = WP_IPR_DROPPED;
        res->d = s->d;
        slot_give_up(r, s);
        return;
    }
    const uint8_t *src = p->data + fi.data_at;
    wp_ipr_frag *f = &s->frags[s->d.nfrags++];
    memset(f, 0, sizeof *f);
    f->frame = frame;
    f->off = fi.off;
    f->len = fi.data_len;
    f->more = fi.more;
    for (uint32_t k = 0; k < fi.data_len; k++) {
        uint32_t at = fi.off + k;
        if (bit_get(s->bits, at)) {
            f->overlap++;
            if (s->data[at] != src[k])
                f->conflict = 1;
        } else {
            s->data[at] = src[k];
            bit_set(s->bits, at);
            f->used++;
            s->d.have++;
        }
    }
    if (f->overlap)
        res->ev |= WP_IPR_EV_OVERLAP;
    if (f->conflict)
        res->ev |= WP_IPR_EV_CONFLICT;
    uint32_t end = fi.off + fi.data_len;
    if (end > s->hi)
        s->hi = end;
    if ((end + 7u) / 8u > s->dirty)
        s->dirty = (end + 7u) / 8u;
    if (!fi.more) {
        if (s->d.has_last && s->d.total != end)
            res->ev |= WP_IPR_EV_TAILS; /* the first tail stays */
        else {
            s->d.has_last = 1;
            s->d.total = end;
        }
    }
    if (fi.off == 0 && !s->d.has_first && fi.unfrag_len <= WP_IPR_MAX_HDR) {
        s->d.has_first = 1;
        s->hdr_len = fi.unfrag_len;
        memcpy(s->hdr, p->data + fi.ip_at, fi.unfrag_len);
        s->nh_at = fi.nh_at;
    }
    res->status = WP_IPR_HELD;
    if (s->d.has_first && s->d.has_last && all_held(s->bits, s->d.total)) {
        res->status = WP_IPR_COMPLETE;
        build(r, s, res);
        res->d = s->d;
        slot_free(r, s); /* its frags stay readable until the slot is reused */
        return;
    }
    res->d = s->d;
}

unsigned wp_ipr_expired(wp_ipr *r, int finish, wp_ipr_report_fn fn, void *arg)
{
    enum { MAXH = 64 };
    uint32_t holes[MAXH][2];
    unsigned n = 0;
    for (unsigned i = 0; i < r->o.slots; i++) {
        slot *s = &r->slots[i];
        if (!s->used || (!r->gone[i] && !finish))
            continue;
        /* the holes: missing runs in [0, total), or [0, hi) and an open end */
        unsigned nh = 0;
        uint32_t lim = s->d.has_last ? s->d.total : s->hi;
        uint32_t k = 0;
        while (k < lim && nh < MAXH) {
            if (bit_get(s->bits, k)) {
                k++;
                continue;
            }
            uint32_t st = k;
            while (k < lim && !bit_get(s->bits, k))
                k++;
            holes[nh][0] = st;
            holes[nh][1] = k;
            nh++;
        }
        if (!s->d.has_last && nh < MAXH) {
            holes[nh][0] = s->hi;
            holes[nh][1] = 0;
            nh++;
        }
        if (fn)
            fn(&s->d, (const uint32_t(*)[2])holes, nh, arg);
        slot_free(r, s);
        n++;
    }
    return n;
}
