/* The conversation tracker: conversations in a bounded pool found through a
 * hash table, kept in least-recently-active order for idle expiry and
 * eviction; TCP sequence analysis as tshark does it (packet-tcp.c's
 * tcp_analyze_sequence_number, read for its rules); Zeek's history letters
 * and connection states; request–reply pairing for ICMP/ICMPv6 echo, DNS
 * and plain UDP. Never prints, never allocates after wp_flow_new(). */
#include <stdlib.h>
#include <string.h>

#include "wirepeel/cursor.h"
#include "wirepeel/flow.h"

#define NO_IDX UINT32_MAX
#define PENDING 8 /* requests a conversation waits on at once */

/* TCP flag bits as in the header's 12 flag bits */
enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08, TH_ACK = 0x10 };

/* Sequence-space comparisons (RFC 9293 §3.4: mod 2^32). */
static inline int seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}
static inline int seq_gt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}
static inline int seq_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

/* Zeek's letters that repeat only with a new sequence number (s h f r), and
 * the logarithmic ones (c g t w): a count per direction each. */
enum { HL_S, HL_H, HL_F, HL_R, HL_N };
enum { LG_C, LG_G, LG_T, LG_W, LG_N };

/* One direction of a TCP conversation: tshark's tcp_flow analysis state,
 * numbers relative to base_seq. */
typedef struct tcp_dir {
    uint32_t base_seq;
    uint8_t base_set;
    int8_t win_scale;     /* from this side's SYN: shift, or WP_FLOW_WSCALE_* */
    uint8_t syn, synack, fin, rst, data; /* seen from this side */
    uint32_t nextseq;     /* highest seq + len seen (0: none yet) */
    uint64_t nextseq_frame;
    uint64_t nextseq_time;
    uint32_t maxseqtobeacked;
    uint32_t lastack;
    uint64_t lastack_time;
    uint64_t lastnondupack;
    uint32_t dupacknum;
    uint32_t window;      /* last window (scaled) */
    uint32_t lastsegflags;
} tcp_dir;

/* One direction's Zeek history bookkeeping (any kind of conversation). */
typedef struct hist_dir {
    uint32_t hseq[HL_N];  /* the seq of the last s/h/f/r letter */
    uint8_t hseen;        /* bit per HL_*: a letter was given */
    uint8_t once;         /* bits: a d i q given */
    uint32_t lg[LG_N];    /* counts of c g t w events */
} hist_dir;

typedef struct pend {
    uint64_t frame; /* 0: free */
    uint64_t ts;
    uint32_t key;
    uint8_t dir;
} pend;

typedef struct conv {
    uint32_t hnext;          /* slot + 1 of the next in the hash chain or
                                the free list; 0: the end */
    uint32_t hash;
    uint8_t used;
    uint8_t dns;             /* UDP to or from port 53 */
    uint8_t flipped;
    uint8_t syn_ack_seen;
    uint64_t ts_first, ts_last, ts_syn;
    uint8_t pend_next;
    wp_flow_conv info;
    hist_dir hd[2];
    /* TCP's analysis state, or the other kinds' pending requests: a
     * conversation needs only one of them (info.kind says which) */
    union {
        tcp_dir d[2];
        pend pend[PENDING];
    };
} conv;

struct wp_flow {
    wp_flow_cfg cfg;
    uint64_t idle_ns;
    conv *pool;
    uint64_t *last;     /* each slot's c->ts_last, packed: the idle sweep and
                           eviction read these, not the big slots */
    /* Slot numbers are stored plus one, so that 0 means "none" and the
     * tables start as calloc's zero pages: memory is touched only as
     * conversations use it, however large --flow-max is. */
    uint32_t *buckets;  /* first slot + 1 of each hash chain */
    uint32_t nbuckets;  /* a power of two */
    uint32_t free_head; /* slot + 1 of the first retired slot (chained
                           through hnext), 0: none */
    uint32_t fresh;     /* slots [0, fresh) have been used at least once */
    uint32_t hand;      /* the idle sweep's next slot */
    uint32_t nused;
    uint32_t count[5]; /* streams started, per wp_flow_kind */
};

static const char *const analysis_codes[WP_FA_COUNT] = {
    "retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
    "lost_segment",   "ack_lost_segment",    "dup_ack",                 "zero_window",
    "zero_window_probe", "keep_alive",       "window_update",           "window_full",
    "keep_alive_ack", "zero_window_probe_ack", "reused_ports",
};

const char *wp_flow_analysis_code(unsigned i)
{
    return i < WP_FA_COUNT ? analysis_codes[i] : NULL;
}

static const char *const state_names[WP_FS_COUNT] = {
    "OTH", "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR",
};

const char *wp_flow_state_name(unsigned s)
{
    return s < WP_FS_COUNT ? state_names[s] : "OTH";
}

const char *wp_flow_kind_name(unsigned kind, const char *dflt)
{
    switch (kind) {
    case WP_FLOW_TCP:
        return "tcp.stream";
    case WP_FLOW_UDP:
        return "udp.stream";
    case WP_FLOW_ICMP:
        return "icmp echo";
    case WP_FLOW_ICMPV6:
        return "icmpv6 echo";
    default:
        return dflt;
    }
}

/* ---- pool, hash, activity order -------------------------------------- */

wp_flow *wp_flow_new(const wp_flow_cfg *cfg)
{
    wp_flow *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (cfg)
        t->cfg = *cfg;
    if (t->cfg.max_convs == 0)
        t->cfg.max_convs = WP_FLOW_DEFAULT_CONVS;
    if (t->cfg.max_convs > WP_FLOW_MAX_CONVS)
        t->cfg.max_convs = WP_FLOW_MAX_CONVS;
    if (t->cfg.idle_timeout_s == 0)
        t->cfg.idle_timeout_s = WP_FLOW_DEFAULT_IDLE_S;
    t->idle_ns = (uint64_t)t->cfg.idle_timeout_s * 1000000000u;
    uint32_t nb = 16;
    while (nb < t->cfg.max_convs * 2u && nb < (1u << 26))
        nb <<= 1;
    t->nbuckets = nb;
    /* calloc: pages are touched only as conversations use them */
    t->pool = calloc(t->cfg.max_convs, sizeof *t->pool);
    t->last = calloc(t->cfg.max_convs, sizeof *t->last);
    t->buckets = calloc(nb, sizeof *t->buckets);
    if (!t->pool || !t->last || !t->buckets) {
        wp_flow_free(t);
        return NULL;
    }
    return t;
}

void wp_flow_free(wp_flow *t)
{
    if (!t)
        return;
    free(t->pool);
    free(t->last);
    free(t->buckets);
    free(t);
}

uint32_t wp_flow_count(const wp_flow *t, wp_flow_kind kind)
{
    return t && (unsigned)kind < 5 ? t->count[kind] : 0;
}

static inline uint32_t word(const uint8_t *a)
{
    uint32_t w;
    memcpy(&w, a, 4); /* any byte order: only equality and mixing matter */
    return w;
}

/* One endpoint's hash: its address (4 words, 3 of them zero for IPv4) and
 * port, multiplied through. */
static inline uint32_t end_hash(const uint8_t *a, uint16_t port)
{
    uint32_t h = word(a) * 0x9e3779b1u;
    h = (h ^ word(a + 4)) * 0x85ebca77u;
    h = (h ^ word(a + 8)) * 0xc2b2ae3du;
    h = (h ^ word(a + 12)) * 0x27d4eb2fu;
    return (h ^ port) * 0x165667b1u;
}

static uint32_t hash_key(uint8_t kind, const uint8_t *a0, uint16_t p0, const uint8_t *a1,
                         uint16_t p1)
{
    /* symmetric in the two endpoints: both directions hash alike */
    uint32_t h0 = end_hash(a0, p0), h1 = end_hash(a1, p1);
    uint32_t h = (h0 + h1) ^ (h0 * h1) ^ kind;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h;
}

/* Which side of conversation c sent a packet from (a, p) to (b, q): 0 the
 * originator, 1 the responder, -1 not this conversation. */
static int side_of(const conv *c, uint8_t kind, const uint8_t *a, uint16_t p, const uint8_t *b,
                   uint16_t q)
{
    if (c->info.kind != kind)
        return -1;
    if (c->info.port[0] == p && c->info.port[1] == q && memcmp(c->info.addr[0], a, 16) == 0 &&
        memcmp(c->info.addr[1], b, 16) == 0)
        return 0;
    if (c->info.port[0] == q && c->info.port[1] == p && memcmp(c->info.addr[0], b, 16) == 0 &&
        memcmp(c->info.addr[1], a, 16) == 0)
        return 1;
    return -1;
}

static void hash_remove(wp_flow *t, uint32_t i)
{
    uint32_t *pp = &t->buckets[t->pool[i].hash & (t->nbuckets - 1)];
    /* a chain is never longer than the pool: stop there whatever happens */
    for (uint32_t n = 0; *pp != 0 && n <= t->cfg.max_convs; n++) {
        if (*pp == i + 1) {
            *pp = t->pool[i].hnext;
            return;
        }
        pp = &t->pool[*pp - 1].hnext;
    }
}

/* ---- retiring --------------------------------------------------------- */

static void fill_state(conv *c)
{
    wp_flow_conv *in = &c->info;
    if (in->kind != WP_FLOW_TCP) {
        in->state = in->packets[1] ? WP_FS_SF : WP_FS_S0;
        return;
    }
    const tcp_dir *o = &c->d[0], *r = &c->d[1];
    uint8_t st;
    int est = o->syn && r->synack;
    if (est) {
        if (o->rst)
            st = WP_FS_RSTO;
        else if (r->rst)
            st = WP_FS_RSTR;
        else if (o->fin && r->fin)
            st = WP_FS_SF;
        else if (o->fin)
            st = WP_FS_S2;
        else if (r->fin)
            st = WP_FS_S3;
        else
            st = WP_FS_S1;
    } else if (o->syn) {
        if (r->rst)
            st = WP_FS_REJ;
        else if (o->rst)
            st = WP_FS_RSTOS0;
        else if (o->fin)
            st = WP_FS_SH;
        else
            st = in->packets[1] ? WP_FS_OTH : WP_FS_S0;
    } else if (r->synack) {
        if (r->rst)
            st = WP_FS_RSTRH;
        else if (r->fin)
            st = WP_FS_SHR;
        else
            st = WP_FS_OTH;
    } else {
        st = WP_FS_OTH;
    }
    in->state = st;
}

static void report_unanswered(wp_flow *t, conv *c, pend *pd)
{
    if (!pd->frame)
        return;
    c->info.unanswered++;
    if (t->cfg.on_unanswered) {
        wp_flow_unanswered u = {.kind = c->info.kind,
                                .stream = c->info.stream,
                                .frame = pd->frame,
                                .key = pd->key};
        t->cfg.on_unanswered(t->cfg.ctx, &u);
    }
    pd->frame = 0;
}

/* Hand slot i to the callbacks and put it back on the free list. Pending
 * requests go out in the order they were made. */
static void retire(wp_flow *t, uint32_t i, uint8_t why)
{
    conv *c = &t->pool[i];
    pend *order[PENDING];
    unsigned n = 0;
    for (unsigned k = 0; k < PENDING && c->info.kind != WP_FLOW_TCP; k++)
        if (c->pend[k].frame)
            order[n++] = &c->pend[k];
    for (unsigned a = 1; a < n; a++)
        for (unsigned b = a; b > 0 && order[b - 1]->frame > order[b]->frame; b--) {
            pend *tmp = order[b];
            order[b] = order[b - 1];
            order[b - 1] = tmp;
        }
    for (unsigned k = 0; k < n; k++)
        report_unanswered(t, c, order[k]);
    fill_state(c);
    c->info.evicted = why;
    if (t->cfg.on_retire)
        t->cfg.on_retire(t->cfg.ctx, &c->info);
    hash_remove(t, i);
    c->used = 0;
    c->hnext = t->free_head;
    t->free_head = i + 1;
    t->nused--;
}

void wp_flow_finish(wp_flow *t)
{
    if (!t)
        return;
    /* in slot order: roughly the order they started (callbacks that want
     * stream order sort) */
    for (uint32_t i = 0; i < t->fresh && t->nused; i++)
        if (t->pool[i].used)
            retire(t, i, 0);
}

int wp_flow_conv_get(const wp_flow *t, wp_flow_kind kind, uint32_t stream, wp_flow_conv *out)
{
    if (!t)
        return -1;
    for (uint32_t i = 0; i < t->fresh; i++) {
        conv *c = &t->pool[i];
        if (c->used && c->info.kind == kind && c->info.stream == stream) {
            *out = c->info;
            fill_state(c);
            out->state = c->info.state;
            return 0;
        }
    }
    return -1;
}

/* ---- finding the packet's conversation -------------------------------- */

typedef struct fkey {
    uint8_t kind;
    uint8_t v6;
    uint8_t a[16], b[16]; /* source, destination */
    uint16_t p, q;        /* source and destination ports (ICMP: id, id) */
    const wp_layer *net, *tp;
} fkey;

static int is_echo_request(const wp_layer *l)
{
    return l->proto == WP_PROTO_ICMP ? l->h.icmp.type == 8 : l->h.icmp.type == 128;
}

static int is_echo_reply(const wp_layer *l)
{
    return l->proto == WP_PROTO_ICMP ? l->h.icmp.type == 0 : l->h.icmp.type == 129;
}

/* The packet's innermost network layer and the transport it carries, when
 * the tracker can follow them; 0 when it cannot. */
/* Whether layer index li's header cannot be used at all: a TCP data offset
 * below 5 or a UDP length below 8 (tshark gives such segments no stream
 * either). Other defects (a bad option, a length past the IP payload)
 * leave the ports and numbers usable. */
static int invalid_layer(const wp_packet *p, unsigned li)
{
    for (unsigned i = 0; i < p->nevents && i < WP_MAX_EVENTS; i++) {
        const wp_event_def *d = p->events[i].def;
        if (p->events[i].layer == li && d && d->kind == WP_EV_INVALID &&
            (strcmp(d->code, "tcp.data_offset_invalid") == 0 ||
             strcmp(d->code, "udp.length_invalid") == 0))
            return 1;
    }
    return 0;
}

/* The innermost network layer and the transport it carries, of the packet
 * itself (quoted = 0) or of the packet an ICMP error quotes (quoted = 1),
 * when the tracker can follow them; 0 when it cannot. */
static int find_key(const wp_packet *p, fkey *k, int quoted)
{
    const wp_layer *net = NULL, *tp = NULL;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (((l->flags & WP_LF_QUOTED) != 0) != quoted) {
            if (quoted)
                continue;
            break; /* an ICMP error's quote is not this packet's */
        }
        if (l->proto == WP_PROTO_IPV4 || l->proto == WP_PROTO_IPV6) {
            net = l;
            tp = NULL;
        } else if (net && !tp &&
                   (l->proto == WP_PROTO_TCP || l->proto == WP_PROTO_UDP ||
                    l->proto == WP_PROTO_ICMP || l->proto == WP_PROTO_ICMPV6)) {
            if (p->nevents && invalid_layer(p, i))
                return 0;
            tp = l;
        }
    }
    if (!net || !tp || (net->flags & WP_LF_TRUNCATED))
        return 0;
    if (net->proto == WP_PROTO_IPV4 && net->hdr_len < 20)
        return 0;
    /* TCP needs its fixed 20 bytes (options may be cut). A first fragment
     * is followed as tshark does without reassembly: its TCP length is the
     * fragment's. */
    uint32_t end = tp->avail_end && tp->avail_end < p->caplen ? tp->avail_end : p->caplen;
    if (tp->off > end)
        return 0;
    uint32_t have = end - tp->off;
    if (tp->proto == WP_PROTO_TCP ? have < 20 : (tp->flags & WP_LF_TRUNCATED) != 0)
        return 0;
    k->net = net;
    k->tp = tp;
    if (net->proto == WP_PROTO_IPV4) {
        k->v6 = 0;
        memset(k->a, 0, sizeof k->a);
        memset(k->b, 0, sizeof k->b);
        memcpy(k->a, net->h.ipv4.src, 4);
        memcpy(k->b, net->h.ipv4.dst, 4);
    } else {
        k->v6 = 1;
        memcpy(k->a, net->h.ipv6.src, 16);
        memcpy(k->b, net->h.ipv6.dst, 16);
    }
    switch (tp->proto) {
    case WP_PROTO_TCP:
        if (tp->hdr_len < 20)
            return 0;
        k->kind = WP_FLOW_TCP;
        k->p = tp->h.tcp.sport;
        k->q = tp->h.tcp.dport;
        return 1;
    case WP_PROTO_UDP:
        if (tp->hdr_len < 8)
            return 0;
        k->kind = WP_FLOW_UDP;
        k->p = tp->h.udp.sport;
        k->q = tp->h.udp.dport;
        return 1;
    default:
        /* ICMP: only echo has a conversation; it needs id and seq (8 bytes) */
        if (!(is_echo_request(tp) || is_echo_reply(tp)) || tp->off > p->caplen ||
            p->caplen - tp->off < 8)
            return 0;
        k->kind = tp->proto == WP_PROTO_ICMP ? WP_FLOW_ICMP : WP_FLOW_ICMPV6;
        k->p = k->q = tp->h.icmp.id;
        return 1;
    }
}

static uint64_t ts_ns(const wp_packet *p)
{
    /* unsigned: a hostile timestamp wraps instead of overflowing */
    return (uint64_t)p->ts_sec * 1000000000u + p->ts_nsec;
}

static int64_t ns_delta(uint64_t later, uint64_t earlier)
{
    return (int64_t)(later - earlier);
}

/* The slot to evict from a full pool: the least recently active of
 * EVICT_SAMPLE slots from the sweep's hand on (sampled LRU: the exact order
 * would cost a linked-list update, two cache misses, on every packet). */
#define EVICT_SAMPLE 8u
static uint32_t evictee(wp_flow *t)
{
    uint32_t best = t->hand, n = t->cfg.max_convs;
    uint32_t k = EVICT_SAMPLE < n ? EVICT_SAMPLE : n;
    for (uint32_t j = 0, i = t->hand; j < k; j++, i = i + 1 < n ? i + 1 : 0)
        if (ns_delta(t->last[best], t->last[i]) > 0)
            best = i;
    return best; /* the pool is full: every slot is used */
}

/* A new conversation for k in a free slot (evicting the least recent one
 * when the pool is full); orig_is_src says who originates. */
static uint32_t conv_new(wp_flow *t, const fkey *k, uint32_t h, int orig_is_src, uint64_t frame,
                         uint64_t now, wp_flow_ann *a)
{
    if (t->free_head == 0 && t->fresh == t->cfg.max_convs) {
        retire(t, evictee(t), 1);
        a->events |= WP_FLOW_EV_EVICTED;
    }
    uint32_t i;
    if (t->free_head) {
        i = t->free_head - 1;
        t->free_head = t->pool[i].hnext;
    } else {
        i = t->fresh++;
    }
    conv *c = &t->pool[i];
    memset(c, 0, sizeof *c);
    c->used = 1;
    c->hash = h;
    c->hnext = t->buckets[h & (t->nbuckets - 1)];
    t->buckets[h & (t->nbuckets - 1)] = i + 1;
    t->nused++;
    wp_flow_conv *in = &c->info;
    in->kind = k->kind;
    in->v6 = k->v6;
    in->stream = t->count[k->kind]++;
    memcpy(in->addr[0], orig_is_src ? k->a : k->b, 16);
    memcpy(in->addr[1], orig_is_src ? k->b : k->a, 16);
    in->port[0] = orig_is_src ? k->p : k->q;
    in->port[1] = orig_is_src ? k->q : k->p;
    in->first_frame = frame;
    c->ts_first = now;
    c->flipped = !orig_is_src;
    c->dns = k->kind == WP_FLOW_UDP && (k->p == 53 || k->q == 53);
    if (k->kind == WP_FLOW_TCP)
        for (int d = 0; d < 2; d++)
            c->d[d].win_scale = WP_FLOW_WSCALE_UNKNOWN;
    if (!orig_is_src && k->kind == WP_FLOW_TCP)
        in->history[0] = '^';
    a->events |= WP_FLOW_EV_NEW;
    return i;
}

/* ---- Zeek history ----------------------------------------------------- */

static void hist_add(conv *c, int dir, char up)
{
    size_t n = strlen(c->info.history);
    if (n >= WP_FLOW_HISTORY_MAX)
        return;
    c->info.history[n] = dir ? (char)(up - 'A' + 'a') : up;
    c->info.history[n + 1] = '\0';
}

/* s h f r: a letter again only for a new sequence number */
static void hist_seq(conv *c, int dir, int which, char up, uint32_t seq)
{
    hist_dir *d = &c->hd[dir];
    if ((d->hseen & (1u << which)) && d->hseq[which] == seq)
        return;
    d->hseen = (uint8_t)(d->hseen | (1u << which));
    d->hseq[which] = seq;
    hist_add(c, dir, up);
}

/* a d i q: once a direction */
static void hist_once(conv *c, int dir, unsigned bit, char up)
{
    hist_dir *d = &c->hd[dir];
    if (d->once & bit)
        return;
    d->once = (uint8_t)(d->once | bit);
    hist_add(c, dir, up);
}

/* c g t w: the 1st, 10th, 100th, ... event */
static void hist_log(conv *c, int dir, int which, char up)
{
    uint32_t n = ++c->hd[dir].lg[which];
    uint32_t p = 1;
    while (p < n && p <= UINT32_MAX / 10)
        p *= 10;
    if (p == n)
        hist_add(c, dir, up);
}

/* ---- TCP -------------------------------------------------------------- */

static int8_t wscale_opt(const wp_packet *p, const wp_layer *l)
{
    for (unsigned i = 0; i < l->opt_count && l->opt_first + i < p->nopts; i++) {
        const wp_opt *o = &p->opts[l->opt_first + i];
        if (o->kind == 3 && o->len == 3 && !o->bad && o->nv >= 1)
            return (int8_t)(o->v[0] > 14 ? 14 : o->v[0]);
    }
    return WP_FLOW_WSCALE_NONE;
}

static void tcp_track(conv *c, int dir, const wp_packet *p, const fkey *k,
                      uint64_t frame, uint64_t now, wp_flow_ann *a)
{
    const wp_tcp_hdr *h = &k->tp->h.tcp;
    tcp_dir *fwd = &c->d[dir], *rev = &c->d[!dir];
    const unsigned fl = h->flags;
    const uint32_t seglen = k->tp->len > k->tp->hdr_len ? k->tp->len - k->tp->hdr_len : 0;

    /* window scale: a SYN announces its own; a SYN-ACK settles both */
    if (fl & TH_SYN) {
        fwd->win_scale = wscale_opt(p, k->tp);
        if ((fl & TH_ACK) && (fwd->win_scale == WP_FLOW_WSCALE_NONE ||
                              rev->win_scale == WP_FLOW_WSCALE_NONE)) {
            fwd->win_scale = WP_FLOW_WSCALE_NONE;
            rev->win_scale = WP_FLOW_WSCALE_NONE;
        }
    }

    /* base sequence numbers (tshark: a SYN gives seq 0, otherwise the first
     * seq seen is 1; an ACK fixes the peer's base when it is not known) */
    if (!fwd->base_set) {
        fwd->base_seq = (fl & TH_SYN) ? h->seq : h->seq - 1;
        fwd->base_set = 1;
    }
    if ((fl & TH_ACK) && !rev->base_set) {
        rev->base_seq = h->ack - 1;
        rev->base_set = 1;
    }
    const uint32_t seq = h->seq - fwd->base_seq;
    const uint32_t ack = (fl & TH_ACK) ? h->ack - rev->base_seq : 0;

    uint32_t window = h->window;
    if (!(fl & TH_SYN) && fwd->win_scale >= 0)
        window = (uint32_t)h->window << fwd->win_scale;

    a->tcp_flags = h->flags;
    a->raw_seq = h->seq;
    a->raw_ack = h->ack;
    a->seq = seq;
    a->ack = ack;
    a->has_ack = (fl & TH_ACK) != 0;
    a->seg_len = seglen;
    a->window_raw = h->window;
    a->window = window;
    a->window_scale = (fl & TH_SYN) ? WP_FLOW_WSCALE_NONE : fwd->win_scale;
    uint32_t nextseq = seq + seglen + ((fl & (TH_SYN | TH_FIN)) ? 1u : 0u);
    a->next_seq = nextseq;
    a->has_next = 1; /* tshark shows tcp.nxtseq on every segment */
    a->a_next_expected = fwd->nextseq;
    a->a_rev_ack = rev->lastack;
    a->a_rev_window = rev->window;

    /* initial RTT: the most recent SYN to the first ACK after the SYN-ACK */
    if ((fl & (TH_SYN | TH_ACK)) == TH_SYN)
        c->ts_syn = now;
    if ((fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
        c->syn_ack_seen = 1;
    if ((fl & (TH_SYN | TH_ACK)) == TH_ACK && c->syn_ack_seen && c->ts_syn && !c->info.irtt_ns &&
        dir == 0) {
        int64_t d = ns_delta(now, c->ts_syn);
        c->info.irtt_ns = d > 0 ? (uint64_t)d : 1;
    }
    a->irtt_ns = c->info.irtt_ns;

    uint32_t an = 0;
    const uint32_t nosfr = !(fl & (TH_SYN | TH_FIN | TH_RST));

    /* tshark's order of tests; see its tcp_analyze_sequence_number */
    if (seglen == 1 && seq == fwd->nextseq && rev->window == 0) {
        an |= WP_FA_ZERO_WINDOW_PROBE;
        goto finished_fwd;
    }
    if (window == 0 && nosfr)
        an |= WP_FA_ZERO_WINDOW;
    if (fwd->nextseq && seq_gt(seq, fwd->nextseq) && !(fl & TH_RST))
        an |= WP_FA_LOST_SEGMENT;
    if (seglen <= 1 && seq == fwd->nextseq - 1 && nosfr)
        an |= WP_FA_KEEP_ALIVE;
    if (seglen == 0 && window && window != fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && nosfr)
        an |= WP_FA_WINDOW_UPDATE;
    if (seglen > 0 && rev->win_scale != WP_FLOW_WSCALE_UNKNOWN &&
        seq + seglen == rev->lastack + rev->window && nosfr)
        an |= WP_FA_WINDOW_FULL;
    if (seglen == 0 && window && window == fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && (rev->lastsegflags & WP_FA_KEEP_ALIVE) && nosfr) {
        an |= WP_FA_KEEP_ALIVE_ACK;
        goto finished_fwd;
    }
    if (seglen == 0 && window == 0 && window == fwd->window && seq == fwd->nextseq &&
        (ack == fwd->lastack || ack == fwd->lastack + 1) &&
        (rev->lastsegflags & WP_FA_ZERO_WINDOW_PROBE) && nosfr) {
        an |= WP_FA_ZERO_WINDOW_PROBE_ACK;
        goto finished_fwd;
    }
    if (seglen == 0 && window && window == fwd->window && seq == fwd->nextseq &&
        ack == fwd->lastack && nosfr) {
        fwd->dupacknum++;
        an |= WP_FA_DUP_ACK;
        a->dup_ack_num = fwd->dupacknum;
        a->a_ref_frame = fwd->lastnondupack;
    }
finished_fwd:
    if (ack != fwd->lastack) {
        fwd->lastnondupack = frame;
        fwd->dupacknum = 0;
    }
    if (rev->maxseqtobeacked && seq_gt(ack, rev->maxseqtobeacked) && (fl & TH_ACK)) {
        an |= WP_FA_ACK_LOST_SEGMENT;
        rev->maxseqtobeacked = rev->nextseq;
    }
    if (seglen > 0 || (fl & (TH_SYN | TH_FIN))) {
        int not_advanced = fwd->nextseq && seq_lt(seq, fwd->nextseq);
        if (an & WP_FA_KEEP_ALIVE)
            goto finished_retrans;
        if (seglen > 1 && fwd->nextseq - 1 == seq)
            not_advanced = 0;
        int64_t dt = ns_delta(now, rev->lastack_time);
        if (not_advanced && rev->dupacknum >= 2 && rev->lastack == seq && dt < 20000000) {
            an |= WP_FA_FAST_RETRANSMISSION | WP_FA_RETRANSMISSION;
            goto finished_retrans;
        }
        dt = ns_delta(now, fwd->nextseq_time);
        int64_t thres = c->info.irtt_ns ? (int64_t)c->info.irtt_ns : 3000000;
        /* a SYN or FIN counts its sequence number here too (tshark
         * labels a repeated SYN-ACK a retransmission, not out-of-order) */
        if (not_advanced && dt < thres && fwd->nextseq != nextseq) {
            an |= WP_FA_OUT_OF_ORDER;
            goto finished_retrans;
        }
        if (seglen > 0 && rev->lastack && seq_le(seq + seglen, rev->lastack)) {
            an |= WP_FA_SPURIOUS_RETRANSMISSION | WP_FA_RETRANSMISSION;
            a->a_ref_frame = fwd->nextseq_frame;
            goto finished_retrans;
        }
        if (not_advanced) {
            an |= WP_FA_RETRANSMISSION;
            a->a_ref_frame = fwd->nextseq_frame;
        }
    }
finished_retrans:
    if (an & (WP_FA_RETRANSMISSION | WP_FA_OUT_OF_ORDER))
        if (!a->a_ref_frame)
            a->a_ref_frame = fwd->nextseq_frame;
    if ((seq_gt(nextseq, fwd->nextseq) || !fwd->nextseq) && !(an & WP_FA_ZERO_WINDOW_PROBE)) {
        fwd->nextseq = nextseq;
        fwd->nextseq_frame = frame;
        fwd->nextseq_time = now;
    }
    if ((seq == fwd->maxseqtobeacked || !fwd->maxseqtobeacked) &&
        !(an & WP_FA_ZERO_WINDOW_PROBE))
        fwd->maxseqtobeacked = fwd->nextseq;
    fwd->window = window;
    fwd->lastack = ack;
    fwd->lastack_time = now;
    fwd->lastsegflags = an;
    a->analysis = an;

    if (an & (WP_FA_RETRANSMISSION | WP_FA_FAST_RETRANSMISSION | WP_FA_SPURIOUS_RETRANSMISSION))
        c->info.retransmissions++;

    /* connection flags and Zeek's history */
    if ((fl & (TH_SYN | TH_ACK)) == TH_SYN) {
        fwd->syn = 1;
        hist_seq(c, dir, HL_S, 'S', h->seq);
    }
    if ((fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
        fwd->synack = 1;
        hist_seq(c, dir, HL_H, 'H', h->seq);
    }
    if ((fl & TH_ACK) && seglen == 0 && nosfr)
        hist_once(c, dir, 1, 'A');
    if (seglen > 0) {
        fwd->data = 1;
        hist_once(c, dir, 2, 'D');
    }
    if (fl & TH_FIN) {
        fwd->fin = 1;
        hist_seq(c, dir, HL_F, 'F', h->seq);
    }
    if (fl & TH_RST) {
        fwd->rst = 1;
        hist_seq(c, dir, HL_R, 'R', h->seq);
    }
    if ((fl & TH_SYN) && (fl & (TH_FIN | TH_RST)))
        hist_once(c, dir, 8, 'Q');
    if ((fl & TH_FIN) && (fl & TH_RST))
        hist_once(c, dir, 4, 'I');
    if (k->tp->csum == WP_CSUM_BAD)
        hist_log(c, dir, LG_C, 'C');
    if (an & WP_FA_LOST_SEGMENT)
        hist_log(c, dir, LG_G, 'G');
    if ((an & (WP_FA_RETRANSMISSION | WP_FA_FAST_RETRANSMISSION)) && seglen > 0)
        hist_log(c, dir, LG_T, 'T');
    if (an & WP_FA_ZERO_WINDOW)
        hist_log(c, dir, LG_W, 'W');
}

/* ---- request–reply pairing -------------------------------------------- */

static pend *pend_find(conv *c, uint32_t key, int from_dir)
{
    /* the latest matching request made by the other side */
    pend *best = NULL;
    for (unsigned k = 0; k < PENDING; k++) {
        pend *pd = &c->pend[k];
        if (pd->frame && pd->key == key && pd->dir != from_dir &&
            (!best || pd->frame > best->frame))
            best = pd;
    }
    return best;
}

static void pend_add(wp_flow *t, conv *c, int dir, uint32_t key, uint64_t frame, uint64_t now,
                     wp_flow_ann *a)
{
    pend *pd = &c->pend[c->pend_next];
    if (pd->frame) {
        report_unanswered(t, c, pd);
        a->events |= WP_FLOW_EV_REQ_DROPPED;
        c->info.partial = 1;
    }
    pd->frame = frame;
    pd->ts = now;
    pd->key = key;
    pd->dir = (uint8_t)dir;
    c->pend_next = (uint8_t)((c->pend_next + 1) % PENDING);
    c->info.requests++;
    a->is_request = 1;
}

static void pend_answer(conv *c, pend *pd, uint64_t now, wp_flow_ann *a)
{
    a->reply_to = pd->frame;
    a->rtt_ns = ns_delta(now, pd->ts);
    c->info.replies++;
    c->info.rtt_sum_ns += a->rtt_ns;
    pd->frame = 0;
}

/* The payload of a UDP packet: its first data layer, or the DNS header
 * the port table decoded it as (its len is then the whole message). */
static const wp_layer *payload_of(const wp_packet *p, const wp_layer *tp)
{
    for (const wp_layer *l = tp + 1; l < p->layers + p->nlayers; l++)
        if (l->proto == WP_PROTO_PAYLOAD || l->proto == WP_PROTO_DNS)
            return l;
    return NULL;
}

static void pair(wp_flow *t, conv *c, int dir, const wp_packet *p, const fkey *k,
                 uint64_t frame, uint64_t now, wp_flow_ann *a)
{
    if (k->kind == WP_FLOW_ICMP || k->kind == WP_FLOW_ICMPV6) {
        uint32_t seq = k->tp->h.icmp.seq;
        if (is_echo_request(k->tp)) {
            pend_add(t, c, dir, seq, frame, now, a);
        } else {
            pend *pd = pend_find(c, seq, dir);
            if (pd)
                pend_answer(c, pd, now, a);
        }
        return;
    }
    if (k->kind != WP_FLOW_UDP)
        return;
    if (c->dns) {
        const wp_layer *pl = payload_of(p, k->tp);
        if (!pl || pl->off > p->caplen || p->caplen - pl->off < 3 || pl->len < 3)
            return;
        const uint8_t *b = p->data + pl->off;
        uint32_t id = wp_get_be16(b);
        if (!(b[2] & 0x80)) {
            pend_add(t, c, dir, id, frame, now, a);
        } else {
            pend *pd = pend_find(c, id, dir);
            if (pd)
                pend_answer(c, pd, now, a);
        }
        return;
    }
    /* plain UDP: the originator asks, the responder's next datagram answers
     * its latest question; an earlier one still waiting got no reply */
    if (dir == 0) {
        for (unsigned i = 0; i < PENDING; i++)
            report_unanswered(t, c, &c->pend[i]);
        pend_add(t, c, dir, 0, frame, now, a);
    } else {
        pend *pd = pend_find(c, 0, dir);
        if (pd)
            pend_answer(c, pd, now, a);
    }
}

/* ---- the entry point --------------------------------------------------- */

/* Whether c has been silent for longer than the idle timeout at now (a
 * clock that went back makes nothing idle). */
static int is_idle(const wp_flow *t, uint32_t i, uint64_t now)
{
    int64_t idle = ns_delta(now, t->last[i]);
    return idle > 0 && (uint64_t)idle > t->idle_ns;
}

/* The conversation slot of k, and in *dir the side that sent it; NO_IDX
 * when it is not kept. */
static uint32_t lookup(const wp_flow *t, const fkey *k, uint32_t h, int *dir)
{
    uint32_t e = t->buckets[h & (t->nbuckets - 1)];
    for (uint32_t n = 0; e != 0 && n <= t->cfg.max_convs; n++) {
        const conv *c = &t->pool[e - 1];
        if (c->hash == h && (*dir = side_of(c, k->kind, k->a, k->p, k->b, k->q)) >= 0)
            return e - 1;
        e = c->hnext;
    }
    return NO_IDX;
}

/* An ICMP error quoting a TCP or UDP packet of a kept conversation carries
 * that conversation's stream number (as tshark's tcp.stream/udp.stream on
 * the quote); nothing of the conversation changes. */
static void quoted_stream(const wp_flow *t, const wp_packet *p, wp_flow_ann *a)
{
    fkey k;
    if (!find_key(p, &k, 1) || (k.kind != WP_FLOW_TCP && k.kind != WP_FLOW_UDP))
        return;
    int dir = 0;
    uint32_t idx = lookup(t, &k, hash_key(k.kind, k.a, k.p, k.b, k.q), &dir);
    if (idx == NO_IDX)
        return;
    a->kind = k.kind;
    a->dir = (uint8_t)dir;
    a->stream = t->pool[idx].info.stream;
    a->events |= WP_FLOW_EV_QUOTED;
}

void wp_flow_track(wp_flow *t, const wp_packet *p, uint64_t frame_no, wp_flow_ann *a)
{
    memset(a, 0, sizeof *a);
    fkey k;
    if (!t)
        return;
    if (!find_key(p, &k, 0)) {
        quoted_stream(t, p, a);
        return;
    }
    const uint64_t now = ts_ns(p);

    /* the idle sweep: one slot a packet, so idle conversations give back
     * their slots without a scan (one that comes back first is caught
     * below, when it is found) */
    if (t->nused) {
        if (t->last[t->hand] && t->pool[t->hand].used && is_idle(t, t->hand, now))
            retire(t, t->hand, 2);
        t->hand = t->hand + 1 < t->fresh ? t->hand + 1 : 0;
    }

    const uint32_t h = hash_key(k.kind, k.a, k.p, k.b, k.q);
    int dir = -1;
    uint32_t idx = lookup(t, &k, h, &dir);
    if (idx != NO_IDX && is_idle(t, idx, now)) {
        retire(t, idx, 2); /* silent too long: this packet starts afresh */
        idx = NO_IDX;
    }

    unsigned fl = k.kind == WP_FLOW_TCP ? k.tp->h.tcp.flags : 0;
    int reused = 0;
    if (idx != NO_IDX && k.kind == WP_FLOW_TCP && (fl & (TH_SYN | TH_ACK)) == TH_SYN) {
        /* a new SYN with another initial sequence number: a new connection
         * on the same ports (tshark's "reused ports") */
        const tcp_dir *d = &t->pool[idx].d[dir];
        if (d->base_set && d->base_seq != k.tp->h.tcp.seq) {
            retire(t, idx, 0);
            idx = NO_IDX;
            reused = 1;
        }
    }
    if (idx == NO_IDX) {
        /* a SYN-ACK first: its receiver sent the SYN, so it originates */
        int orig_is_src = !(k.kind == WP_FLOW_TCP && (fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK));
        idx = conv_new(t, &k, h, orig_is_src, frame_no, now, a);
        dir = orig_is_src ? 0 : 1;
    }
    conv *c = &t->pool[idx];
    c->ts_last = now;
    t->last[idx] = now;
    c->info.last_frame = frame_no;
    c->info.last_sec = p->ts_sec;
    c->info.last_nsec = p->ts_nsec;
    if (c->info.first_frame == frame_no) {
        c->info.first_sec = p->ts_sec;
        c->info.first_nsec = p->ts_nsec;
    }
    c->info.packets[dir]++;
    c->info.bytes[dir] += p->len;

    a->kind = k.kind;
    a->dir = (uint8_t)dir;
    a->stream = c->info.stream;
    if (k.kind == WP_FLOW_TCP) {
        tcp_track(c, dir, p, &k, frame_no, now, a);
        if (reused)
            a->analysis |= WP_FA_REUSED_PORTS;
    } else {
        if (p->len > 0 && k.kind == WP_FLOW_UDP && k.tp->len > 8)
            hist_once(c, dir, 2, 'D');
        pair(t, c, dir, p, &k, frame_no, now, a);
    }
}
