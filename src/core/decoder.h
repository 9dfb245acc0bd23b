/* Internal: the interface between the decode driver (src/core/) and the
 * layer decoders (src/proto/): where the next layer starts, the helpers a
 * decoder uses to push layers, record events and verify checksums, and the
 * registry the driver reads, which src/proto/registry.c defines. The core
 * includes nothing from src/proto/; src/proto/ includes this. Not part of
 * the public API. */
#ifndef WP_CORE_DECODER_H
#define WP_CORE_DECODER_H

#include <stddef.h>
#include <string.h>

#include "wirepeel/checksum.h"
#include "wirepeel/cursor.h"
#include "wirepeel/decode.h"
#include "wirepeel/packet.h"

/* Where the next layer starts and what it is. end is where the enclosing
 * headers' own length fields say the data ends; it may lie beyond the
 * captured bytes (a snap length cut the frame) but never beyond what the
 * outer layers allow. Flags (WP_LF_QUOTED, WP_LF_FRAGMENT) are inherited. */
typedef struct wp_next {
    uint8_t proto;
    uint8_t flags;
    uint8_t depth;
    uint32_t off;
    uint32_t end;
} wp_next;

/* Each decoder reads the layer at nx->off, pushes it with wp_pkt_push(),
 * records events, and rewrites *nx to describe what follows: the next header
 * kind, or WP_PROTO_PAYLOAD / WP_PROTO_FRAGMENT for data, or WP_PROTO_NONE to
 * stop (the rest is then shown as payload). It must leave nx->end no larger
 * than it found it, and nx->off no smaller. */
typedef void (*wp_decode_fn)(wp_packet *p, wp_next *nx);

/* A walk down the layers under a transport header, for its pseudo-header
 * (wp_pkt_pseudo_any): the inputs, what a layer on the way noted, and the
 * sum an IP layer gives. */
typedef struct wp_pseudo {
    uint32_t ulen;             /* upper-layer length */
    uint8_t proto;             /* upper-layer protocol number */
    const uint8_t *final_dst;  /* 16 bytes: the destination a routing header names */
    const uint8_t *home_src;   /* 16 bytes: the source a Home Address option names */
    uint32_t sum;              /* set by the hook that returns 1 */
} wp_pseudo;

/* A protocol's pseudo-header hook, asked for each layer q under the
 * transport layer, nearest first: returns 1 when q is the IP header whose
 * pseudo-header counts (ps->sum set, unfolded), 0 to go on down (a routing
 * header may note ps->final_dst). Never reads past the captured bytes. */
typedef int (*wp_pseudo_fn)(const wp_packet *p, const wp_layer *q, wp_pseudo *ps);

/* What the core knows of one header kind: one entry per wp_proto, all in
 * src/proto/registry.c. Data kinds have an info and nothing else. */
typedef struct wp_proto_entry {
    const wp_proto_info *info;                /* never NULL */
    wp_decode_fn decode;                      /* NULL: a data kind, decoding stops */
    const char *(*opt_name)(unsigned kind);   /* NULL: no options with names */
    wp_pseudo_fn pseudo;                      /* NULL: not part of a pseudo-header */
} wp_proto_entry;

/* Indexed by wp_proto: an array, not a function, because the driver asks
 * once a layer. */
extern const wp_proto_entry wp_proto_registry[WP_PROTO_COUNT];

/* The header kind a --decode-as rule names for a transport (WP_PROTO_UDP
 * or WP_PROTO_TCP) segment between these ports (the destination port's
 * rule first, then the source port's), or dflt when no rule names either.
 * Callers test p->dopts first, so no rule costs one pointer test. */
static inline unsigned wp_pkt_decode_as(const wp_packet *p, unsigned transport, uint16_t sport,
                                        uint16_t dport, unsigned dflt)
{
    const wp_decode_opts *o = p->dopts;
    unsigned by_src = WP_PROTO_COUNT;
    for (unsigned i = 0; o && i < o->n_as && i < WP_DECODE_AS_MAX; i++) {
        if (o->as[i].transport != transport)
            continue;
        if (o->as[i].port == dport)
            return o->as[i].proto;
        if (o->as[i].port == sport)
            by_src = o->as[i].proto;
    }
    return by_src != WP_PROTO_COUNT ? by_src : dflt;
}

/* The layer cap is hit: record the event once and return NULL. */
wp_layer *wp_pkt_push_capped(wp_packet *p);

/* The captured end of the frame clipped to nx->end. */
static inline uint32_t wp_pkt_avail_end(const wp_packet *p, const wp_next *nx)
{
    return nx->end < p->caplen ? nx->end : p->caplen;
}

/* Push a new layer of kind proto at nx->off (depth and inherited flags from
 * nx). Returns NULL when the layer cap is hit (an event is then recorded and
 * decoding must stop). The new layer is zeroed but for proto/off/depth/flags;
 * hdr_len and len are the decoder's to set. Inline: every decoder
 * calls it per packet. */
static inline wp_layer *wp_pkt_push(wp_packet *p, const wp_next *nx, unsigned proto)
{
    /* Keep two slots for the payload and trailer data layers. */
    if (p->nlayers >= WP_MAX_LAYERS - 2)
        return wp_pkt_push_capped(p);
    wp_layer *l = &p->layers[p->nlayers++];
    memset(l, 0, sizeof *l);
    l->proto = (uint8_t)proto;
    l->off = nx->off;
    l->depth = nx->depth;
    l->flags = nx->flags;
    l->avail_end = wp_pkt_avail_end(p, nx);
    return l;
}

/* A cursor over this layer's bytes: from nx->off to the smaller of nx->end
 * and the captured length. */
static inline void wp_pkt_cursor(const wp_packet *p, const wp_next *nx, wp_cursor *c)
{
    uint32_t end = wp_pkt_avail_end(p, nx);
    if (nx->off >= end)
        wp_cursor_init(c, NULL, 0);
    else
        wp_cursor_init(c, p->data + nx->off, end - nx->off);
}

/* Record event d about layer l (NULL: the packet) with two values for the
 * text. Extra events past WP_MAX_EVENTS are dropped. */
void wp_pkt_event(wp_packet *p, const wp_layer *l, const wp_event_def *d, uint32_t val,
                  uint32_t ref);

/* Append an option to layer l; NULL when the option pool is full (the
 * decoder stops reading options then). The new option is zeroed. Inline:
 * called per option. */
static inline wp_opt *wp_pkt_opt(wp_packet *p, wp_layer *l)
{
    if (p->nopts >= WP_MAX_OPTS)
        return NULL;
    if (l->opt_count == 0)
        l->opt_first = p->nopts;
    wp_opt *o = &p->opts[p->nopts++];
    memset(o, 0, sizeof *o);
    l->opt_count++;
    return o;
}

/* Sum of the IPv4/IPv6 pseudo-header for transport layer l (nearest IP layer
 * below it), upper-layer length ulen and protocol number. *ok is 0 when there
 * is no IP layer under l. Any stack: it asks each layer below l, nearest
 * first, for its pseudo hook (routing headers and source routes change the
 * destination that counts). */
uint32_t wp_pkt_pseudo_any(const wp_packet *p, const wp_layer *l, uint32_t ulen,
                           uint8_t proto, int *ok);

/* wp_pkt_pseudo_any() with the common case inline: an IPv4 header without
 * options right below l, whose pseudo-header is its two addresses (four
 * 16-bit words), the protocol and the length: the plain integer sum, at
 * most 6 * 0xffff, exactly what wp_pkt_pseudo_any() returns for it. */
static inline uint32_t wp_pkt_pseudo(const wp_packet *p, const wp_layer *l, uint32_t ulen,
                                     uint8_t proto, int *ok)
{
    if (l > p->layers && l[-1].proto == WP_PROTO_IPV4 && l[-1].opt_count == 0) {
        const wp_ipv4_hdr *ip = &l[-1].h.ipv4;
        *ok = 1;
        return (uint32_t)wp_get_be16(ip->src) + wp_get_be16(ip->src + 2) +
               wp_get_be16(ip->dst) + wp_get_be16(ip->dst + 2) + proto + (uint16_t)ulen;
    }
    return wp_pkt_pseudo_any(p, l, ulen, proto, ok);
}

/* The sum for wp_pkt_checksum() when the stored field cannot simply be
 * taken out of the sum of everything: the data summed around it. */
uint32_t wp_pkt_csum_around(const wp_packet *p, uint32_t start, uint32_t len, uint32_t init,
                            uint32_t stored_off);

/* The computed checksum want does not match the stored one: sets l->csum to
 * offloaded (the folded pseudo-header alone, when partial_ok) or bad, and
 * records event bad for a bad one. */
void wp_pkt_csum_mismatch(wp_packet *p, wp_layer *l, uint16_t stored, uint16_t want,
                          uint32_t init, int partial_ok, const wp_event_def *bad);

/* Whether a stored checksum matches the computed one: equal, or the two
 * ones' complement zeros. */
static inline int wp_pkt_csum_match(uint16_t want, uint16_t stored)
{
    return want == stored || (want == 0 && stored == 0xffff) || (want == 0xffff && stored == 0);
}

/* Verify the checksum over frame bytes [start, start+len) plus the sum `init`
 * (a pseudo-header or 0) and set l->csum and l->csum_computed. Bytes not all
 * captured, or a fragment: unverified. A stored value equal to the folded
 * pseudo-header alone, when partial_ok, is Linux's offload: offloaded. A bad
 * one records event bad. stored_off is the frame offset of the 16-bit
 * checksum field (zeroed in the computation of csum_computed). Inline: the
 * callers pass constant offsets, so most of the tests fold away; the rare
 * paths are calls. */
static inline void wp_pkt_checksum(wp_packet *p, wp_layer *l, uint32_t start, uint32_t len,
                                   uint32_t init, uint32_t stored_off, int partial_ok,
                                   const wp_event_def *bad)
{
    if ((l->flags & (WP_LF_FRAGMENT | WP_LF_QUOTED)) || start > p->caplen ||
        len > p->caplen - start || stored_off > p->caplen || 2 > p->caplen - stored_off) {
        l->csum = WP_CSUM_UNVERIFIED;
        return;
    }
    uint16_t stored = wp_get_be16(p->data + stored_off);
    /* The sum without the checksum field, so the computed value can be shown
     * next to the stored one: one pass over everything, then the stored
     * word taken out again (adding its ones' complement). That is the same
     * value mod 0xffff; only when it comes out as 0xffff might the true sum
     * be 0 (every other byte zero), so that case is summed in two parts. A
     * field at an odd distance from start, or outside the data, is summed
     * around too. */
    uint32_t s = wp_csum_fold(wp_csum_add16(wp_csum_add(init, p->data + start, len),
                                            (uint16_t)~stored));
    if (stored_off + 2 - start > len || ((stored_off - start) & 1) || s == 0xffff)
        s = wp_pkt_csum_around(p, start, len, init, stored_off);
    uint16_t want = wp_csum_finish(s);
    l->csum_computed = want;
    if (wp_pkt_csum_match(want, stored)) {
        l->csum = WP_CSUM_GOOD;
        return;
    }
    wp_pkt_csum_mismatch(p, l, stored, want, init, partial_ok, bad);
}

#endif
