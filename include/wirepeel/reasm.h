/* wirepeel — reassembly: IP fragments back into datagrams, and one
 * direction of a TCP byte stream back into the bytes a program read.
 *
 * Both engines are fed decoded packets (or sequence numbers and bytes) in
 * capture order, keep their state in pools allocated once when they are
 * made, and never print. Every limit is a number in the options; hitting one
 * is an event (a flag in the result, or a marker in the stream), never
 * unbounded growth or a silent loss. */
#ifndef WIREPEEL_REASM_H
#define WIREPEEL_REASM_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

/* ==== IP fragment reassembly ============================================ */

/* Largest IP datagram: IPv4's total length is 16 bits; an IPv6 fragmentable
 * part is limited the same way by the 13-bit offset and payload length. */
#define WP_IPR_MAX_DATAGRAM 65535u
/* The header copied from the first fragment: IPv4's 60 bytes, or the IPv6
 * header with the extension headers in front of the fragment header. */
#define WP_IPR_MAX_HDR 512u

/* Defaults (wp_ipr_opts with zeros takes these). 64 datagrams at once keep
 * the pool at about 4.7 MiB. */
#define WP_IPR_DEF_SLOTS 64u
#define WP_IPR_DEF_FRAGS 64u
#define WP_IPR_DEF_TIMEOUT 60u /* seconds, capture time */

typedef struct wp_ipr_opts {
    unsigned slots;      /* datagrams in progress at once (1..4096) */
    unsigned max_frags;  /* fragments one datagram may have (1..1024) */
    unsigned timeout_s;  /* an incomplete datagram older than this is given up */
} wp_ipr_opts;

/* One fragment as the map shows it. */
typedef struct wp_ipr_frag {
    uint64_t frame;     /* the caller's frame number */
    uint32_t off;       /* offset in bytes into the fragmentable part */
    uint32_t len;       /* data bytes it carried */
    uint32_t used;      /* bytes of it that went into the datagram (first copy wins) */
    uint32_t overlap;   /* bytes of it an earlier fragment already had */
    uint8_t more;       /* its more-fragments flag */
    uint8_t conflict;   /* some overlapping byte differed from the kept copy */
} wp_ipr_frag;

/* Results and events of one fed frame (flags in wp_ipr_result.ev). */
#define WP_IPR_EV_OVERLAP   0x01 /* the fragment overlaps bytes already held */
#define WP_IPR_EV_CONFLICT  0x02 /* ... and some of them differ (first copy kept) */
#define WP_IPR_EV_OVERSIZE  0x04 /* offset + length beyond 65,535: fragment ignored */
#define WP_IPR_EV_TOO_MANY  0x08 /* more fragments than max_frags: datagram given up */
#define WP_IPR_EV_POOL_FULL 0x10 /* no free slot: the oldest datagram was given up */
#define WP_IPR_EV_CUT       0x20 /* the capture cut the fragment: it cannot be used */
#define WP_IPR_EV_TAILS     0x40 /* a second last fragment with another end */
#define WP_IPR_EV_TIMEOUT   0x80 /* an older datagram timed out (see wp_ipr_expired) */

typedef enum wp_ipr_status {
    WP_IPR_NOT_FRAGMENT = 0, /* no fragment in this packet: nothing to do */
    WP_IPR_HELD,             /* a fragment, held: the datagram is not complete yet */
    WP_IPR_COMPLETE,         /* this fragment completed a datagram */
    WP_IPR_DROPPED,          /* a fragment that could not be used (see ev) */
} wp_ipr_status;

/* What is known about one datagram: its key and its fragments. */
typedef struct wp_ipr_dgram {
    uint8_t v6;            /* 0 IPv4, 1 IPv6 */
    uint8_t proto;         /* IPv4 protocol / the fragment header's next header */
    uint32_t id;
    uint8_t src[16], dst[16]; /* IPv4 addresses in the first 4 bytes */
    uint32_t total;        /* fragmentable length once the last fragment is seen, else 0 */
    uint32_t have;         /* bytes held in [0, total or the highest end) */
    uint32_t nfrags;
    uint64_t first_frame;
    int64_t first_sec;
    uint8_t has_first;     /* the offset-0 fragment (with the headers) was seen */
    uint8_t has_last;
    const wp_ipr_frag *frags; /* nfrags entries in arrival order */
} wp_ipr_dgram;

typedef struct wp_ipr_result {
    wp_ipr_status status;
    unsigned ev;           /* WP_IPR_EV_* raised by this frame */
    wp_ipr_dgram d;        /* HELD, COMPLETE: the datagram this fragment belongs to */
    /* COMPLETE: the whole datagram as a raw IP packet (the first fragment's
     * header with lengths and offsets made whole, IPv4's checksum
     * recomputed, IPv6's fragment header taken out) followed by every
     * reassembled byte; decode it with linktype WP_LINK_RAW. Valid until the
     * next wp_ipr_feed. */
    const uint8_t *bytes;
    uint32_t len;
    uint32_t ip_hdr_len;   /* bytes of bytes[] before the reassembled data */
} wp_ipr_result;

typedef struct wp_ipr wp_ipr;

/* A reassembler with opts (NULL or zero members: the defaults; values out
 * of range are clamped). Allocates its whole pool here; NULL when out of
 * memory. */
wp_ipr *wp_ipr_new(const wp_ipr_opts *opts);

/* Free r (NULL is fine). */
void wp_ipr_free(wp_ipr *r);

/* Bytes the pool holds (for the memory report). */
size_t wp_ipr_pool_bytes(const wp_ipr *r);

/* Feed packet p, numbered frame, in capture order. Only the first IPv4 or
 * IPv6 layer that is not inside an ICMP quote counts; a packet without a
 * fragment gives WP_IPR_NOT_FRAGMENT. Fills *res (never NULL). Bad input
 * (overlaps, conflicts, oversize, endless fragments, a full pool) is an
 * event in res->ev, never unbounded growth. */
void wp_ipr_feed(wp_ipr *r, const wp_packet *p, uint64_t frame, wp_ipr_result *res);

/* The incomplete datagrams given up since the last call (timeouts, a full
 * pool, too many fragments), then, once finish is set, every one still
 * held: calls fn(d, holes, nholes, arg) for each, where holes[] holds
 * nholes (start, end) byte ranges still missing (end 0: unknown, the last
 * fragment was never seen), and frees them. Returns how many. */
typedef void (*wp_ipr_report_fn)(const wp_ipr_dgram *d, const uint32_t (*holes)[2], unsigned nholes,
                                 void *arg);
unsigned wp_ipr_expired(wp_ipr *r, int finish, wp_ipr_report_fn fn, void *arg);

/* ==== one direction of a TCP byte stream ================================== */

/* A stream log keeps the chunks of both directions of one or more TCP
 * streams in the order they became readable, with their bytes in one arena.
 * Data is ordered by sequence number; retransmitted bytes appear once (the
 * first copy); a retransmission whose bytes differ is kept as a NOTE chunk
 * after the data; a gap (bytes never captured) is a GAP chunk that holds no
 * bytes; data after a gap is kept, acknowledged or not. */
typedef enum wp_tcpr_kind {
    WP_TCPR_DATA = 0,  /* bytes in sequence order */
    WP_TCPR_GAP,       /* [rel, rel+len) never captured: no bytes */
    WP_TCPR_DIFFER,    /* a retransmission of [rel, rel+len) with other bytes: its copy */
    WP_TCPR_CAP,       /* a byte cap cut the direction here; nothing more is kept */
} wp_tcpr_kind;

typedef struct wp_tcpr_chunk {
    uint8_t kind;      /* wp_tcpr_kind */
    uint8_t dir;       /* the caller's direction: 0 the originator, 1 the responder */
    uint8_t acked;     /* GAP: the other side acknowledged bytes past it */
    uint8_t after_cap; /* GAP: written out at the end of a direction a cap cut while
                          data beyond the hole was held: its bytes may have come
                          later, and were not kept */
    uint16_t nframes;  /* frames that carried the bytes (the first and last kept) */
    uint32_t len;      /* bytes (GAP: missing bytes) */
    uint64_t off;      /* stream offset of the first byte (0 = the first data byte) */
    uint64_t frame_first, frame_last;
    int64_t ts_sec;    /* time of the frame that made it readable */
    uint32_t ts_nsec;
    uint64_t data;     /* where its bytes are in the arena (DATA, DIFFER) */
} wp_tcpr_chunk;

/* Defaults: 16 MiB a direction, 32 MiB for everything, 128 Ki chunks
 * (64 bytes each): with the rest of follow, under 64 MiB resident. */
#define WP_TCPR_DEF_STREAM_CAP (16u << 20)
#define WP_TCPR_DEF_GLOBAL_CAP (32u << 20)
#define WP_TCPR_DEF_CHUNKS (128u << 10)
/* Out-of-order segments held at once per direction, waiting for a hole. */
#define WP_TCPR_PENDING 64u

typedef struct wp_tcpr_log {
    uint8_t *arena;           /* global_cap bytes, touched only as used */
    uint64_t arena_used, arena_cap;
    wp_tcpr_chunk *chunks;
    uint32_t nchunks, max_chunks;
    uint64_t stream_cap;      /* bytes one direction may keep */
} wp_tcpr_log;

/* A held out-of-order segment: its bytes are in the arena already. */
typedef struct wp_tcpr_pend {
    uint64_t off;
    uint32_t len;
    uint64_t data;
    uint64_t frame;
    int64_t ts_sec;
    uint32_t ts_nsec;
} wp_tcpr_pend;

/* One direction's state. Zero it, then wp_tcpr_dir_init. */
typedef struct wp_tcpr_dir {
    uint8_t dir;
    uint8_t started;     /* base is set */
    uint8_t capped;      /* a cap cut it: everything after is dropped */
    uint8_t syn_seen;
    uint8_t cap_held;    /* capped while segments beyond a hole were held: they are
                            written out (behind gaps) at the end, then the CAP marker */
    uint64_t cap_frame;  /* cap_held: the frame that reached the cap, and its time */
    int64_t cap_sec;
    uint32_t cap_nsec;
    uint32_t base;       /* the raw sequence number of stream offset 0 */
    uint64_t next;       /* stream offset of the next in-order byte */
    uint64_t kept;       /* bytes kept (for the per-stream cap) */
    uint32_t npend;
    wp_tcpr_pend pend[WP_TCPR_PENDING];
} wp_tcpr_dir;

/* Make log with the caps (0: the defaults); allocates the arena and the
 * chunk table once. Returns 0, or -1 when out of memory. */
int wp_tcpr_log_init(wp_tcpr_log *log, uint64_t stream_cap, uint64_t global_cap,
                     uint32_t max_chunks);

/* Free what log_init allocated (log may be zeroed). */
void wp_tcpr_log_free(wp_tcpr_log *log);

/* Start direction d (0 originator, 1 responder). */
void wp_tcpr_dir_init(wp_tcpr_dir *d, uint8_t dir);

/* Feed one segment of direction d: its raw seq, SYN and FIN flags, its
 * payload data[0..len) (captured bytes only), frame number and time, in
 * capture order. A SYN sets the base (its seq + 1); otherwise the first
 * segment seen does. Never fails: a full arena or chunk table becomes a CAP
 * chunk and the rest of the direction is dropped. */
void wp_tcpr_segment(wp_tcpr_log *log, wp_tcpr_dir *d, uint32_t seq, int syn, const uint8_t *data,
                     uint32_t len, uint64_t frame, int64_t ts_sec, uint32_t ts_nsec);

/* The other side acknowledged raw ack for direction d: held data at or
 * below it whose hole nobody will fill (the receiver had those bytes; the
 * capture did not) is written out after a GAP chunk. */
void wp_tcpr_ack(wp_tcpr_log *log, wp_tcpr_dir *d, uint32_t ack);

/* Append one datagram (UDP) of direction d as a DATA chunk at its next
 * offset: datagrams follow in capture order, nothing is reordered. A cap
 * becomes a CAP chunk as for segments. */
void wp_tcpr_datagram(wp_tcpr_log *log, wp_tcpr_dir *d, const uint8_t *data, uint32_t len,
                      uint64_t frame, int64_t ts_sec, uint32_t ts_nsec);

/* End of the capture: write out held data behind GAP chunks (a direction a
 * cap cut while it held data: that data, then the CAP marker). */
void wp_tcpr_finish(wp_tcpr_log *log, wp_tcpr_dir *d);

/* The chunk's bytes (DATA, DIFFER), or NULL. */
const uint8_t *wp_tcpr_bytes(const wp_tcpr_log *log, const wp_tcpr_chunk *c);

#endif
