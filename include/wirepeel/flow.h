/* wirepeel — conversations: TCP streams and their analysis, request–reply
 * pairing.
 *
 * A tracker (wp_flow) is fed decoded packets (wp_packet) in capture order.
 * It keeps one conversation per 5-tuple (both directions; the originator is
 * the side that sent the first packet, or the SYN sender) in bounded pools
 * sized once at wp_flow_new(), and fills a per-frame annotation
 * (wp_flow_ann): the stream number (numbered by first appearance as tshark
 * numbers tcp.stream and udp.stream), the direction, TCP's relative
 * sequence numbers, segment length, next sequence number, the scaled window,
 * tshark's TCP analysis labels each with the numbers that explain it, and
 * for a reply the frame of its request and the round-trip time.
 *
 * It never prints and never allocates per packet. When a cap forces it to
 * forget state (a conversation evicted from a full pool, a pending request
 * pushed out of its ring), the frame that caused it carries
 * WP_FLOW_EV_EVICTED, the conversation's summary is handed to on_retire and
 * unanswered requests to on_unanswered, so nothing is lost silently. A
 * full pool evicts the least recently active of 8 slots sampled after a
 * moving hand (not an exact order, which would cost every packet a list
 * update). Conversations idle for longer than idle_timeout_s expire the
 * same way: one slot is checked per packet, and a conversation found idle
 * when its next packet comes starts afresh. */
#ifndef WIREPEEL_FLOW_H
#define WIREPEEL_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

/* What kind of conversation a frame belongs to (wp_flow_ann.kind). */
typedef enum wp_flow_kind {
    WP_FLOW_NONE = 0, /* no conversation: ARP, a cut header, an ICMP error, ... */
    WP_FLOW_TCP,
    WP_FLOW_UDP,
    WP_FLOW_ICMP,   /* ICMP echo (request/reply), keyed by the identifier */
    WP_FLOW_ICMPV6, /* ICMPv6 echo, keyed by the identifier */
} wp_flow_kind;

/* TCP analysis labels (wp_flow_ann.analysis bits), tshark's definitions
 * (its tcp.analysis.* fields; see docs and flow.c for each rule). */
enum {
    WP_FA_RETRANSMISSION = 1u << 0,
    WP_FA_FAST_RETRANSMISSION = 1u << 1,
    WP_FA_SPURIOUS_RETRANSMISSION = 1u << 2,
    WP_FA_OUT_OF_ORDER = 1u << 3,
    WP_FA_LOST_SEGMENT = 1u << 4,     /* previous segment not captured */
    WP_FA_ACK_LOST_SEGMENT = 1u << 5, /* ACKed unseen segment */
    WP_FA_DUP_ACK = 1u << 6,
    WP_FA_ZERO_WINDOW = 1u << 7,
    WP_FA_ZERO_WINDOW_PROBE = 1u << 8,
    WP_FA_KEEP_ALIVE = 1u << 9,
    WP_FA_WINDOW_UPDATE = 1u << 10,
    WP_FA_WINDOW_FULL = 1u << 11,
    WP_FA_KEEP_ALIVE_ACK = 1u << 12,
    WP_FA_ZERO_WINDOW_PROBE_ACK = 1u << 13,
    WP_FA_REUSED_PORTS = 1u << 14,
    WP_FA_COUNT = 15
};

/* The JSON code of analysis bit i (0 <= i < WP_FA_COUNT): "retransmission",
 * "lost_segment", ...; NULL for i out of range. */
const char *wp_flow_analysis_code(unsigned i);

/* Tracker events on a frame (wp_flow_ann.events bits). */
enum {
    WP_FLOW_EV_EVICTED = 1u << 0,  /* a full pool evicted another conversation's
                                      state to make room for this frame's */
    WP_FLOW_EV_NEW = 1u << 1,      /* this frame started its conversation */
    WP_FLOW_EV_REQ_DROPPED = 1u << 2, /* a pending request was pushed out of
                                         the conversation's ring (reported as
                                         unanswered) */
    WP_FLOW_EV_QUOTED = 1u << 3,   /* an ICMP error: kind, dir and stream are
                                      those of the packet it quotes; no other
                                      field is set */
};

/* wp_flow_ann.window_scale when no shift applies. */
#define WP_FLOW_WSCALE_UNKNOWN (-1) /* the SYNs were not seen: window unscaled */
#define WP_FLOW_WSCALE_NONE (-2)    /* SYNs seen, scaling not agreed (or a SYN) */

/* What the tracker says about one frame. All-zero (kind WP_FLOW_NONE) for a
 * frame it does not follow. Numbers are relative as tshark shows them. */
typedef struct wp_flow_ann {
    uint8_t kind;        /* wp_flow_kind */
    uint8_t dir;         /* 0: originator -> responder, 1: responder -> originator */
    uint8_t has_ack;     /* TCP: the ACK flag is set (ack is meaningful) */
    uint8_t has_next;    /* TCP: next_seq is meaningful (every TCP segment) */
    int8_t window_scale; /* TCP: the shift applied, or WP_FLOW_WSCALE_* */
    uint8_t is_request;  /* a request that pairing waits a reply for */
    uint8_t events;      /* WP_FLOW_EV_* */
    uint32_t stream;     /* tcp.stream / udp.stream; ICMP: its own numbering */
    /* TCP, relative to each side's initial sequence number */
    uint32_t seq, ack, next_seq, seg_len;
    uint32_t raw_seq, raw_ack;
    uint16_t window_raw; /* the header's 16-bit value */
    uint32_t window;     /* scaled: window_raw << window_scale when known */
    uint32_t analysis;   /* WP_FA_* */
    /* the numbers behind the labels (relative), for the reason texts */
    uint32_t a_next_expected; /* this side's next expected seq before this frame */
    uint64_t a_ref_frame;     /* retransmission: the frame that last advanced
                                 next_expected; dup ACK: the ACK it repeats */
    uint32_t a_rev_ack;       /* spurious/fast: the reverse side's last ack */
    uint32_t a_rev_window;    /* window full / probe: the reverse window (scaled) */
    uint32_t dup_ack_num;     /* dup ACK #n (1-based), 0 when not a dup ACK */
    /* pairing */
    uint64_t reply_to;   /* frame number of the request this replies to, 0 none */
    int64_t rtt_ns;      /* request -> this reply, when reply_to != 0 (negative
                            when the capture's clock went back) */
    uint64_t irtt_ns;    /* TCP: handshake RTT (SYN -> ACK of SYN-ACK) once known */
    uint16_t tcp_flags;  /* TCP: the segment's 12 flag bits (SYN 0x002, ACK 0x010) */
} wp_flow_ann;

/* Zeek-style connection state (wp_flow_conv.state). */
typedef enum wp_flow_state {
    WP_FS_OTH = 0, WP_FS_S0, WP_FS_S1, WP_FS_SF, WP_FS_REJ, WP_FS_S2, WP_FS_S3,
    WP_FS_RSTO, WP_FS_RSTR, WP_FS_RSTOS0, WP_FS_RSTRH, WP_FS_SH, WP_FS_SHR,
    WP_FS_COUNT
} wp_flow_state;

/* Name of a wp_flow_state ("SF"); "OTH" for one out of range. */
const char *wp_flow_state_name(unsigned s);

/* What a conversation kind's numbers are called: "tcp.stream", "udp.stream",
 * "icmp echo", "icmpv6 echo"; dflt for any other kind. */
const char *wp_flow_kind_name(unsigned kind, const char *dflt);

#define WP_FLOW_HISTORY_MAX 24

/* The summary of one conversation, handed to on_retire (and by
 * wp_flow_conv_get). Endpoint 0 is the originator. */
typedef struct wp_flow_conv {
    uint8_t kind;                 /* wp_flow_kind */
    uint8_t v6;                   /* addresses are IPv6 (else the first 4 bytes) */
    uint8_t state;                /* wp_flow_state */
    uint8_t evicted;              /* retired early: 1 a full pool evicted it,
                                     2 it expired idle; 0 kept to the end */
    uint8_t partial;              /* some of its state was forgotten (Zeek's 'x') */
    uint32_t stream;
    uint8_t addr[2][16];
    uint16_t port[2];             /* ICMP: the echo identifier, both */
    uint64_t first_frame, last_frame;
    int64_t first_sec, last_sec;  /* timestamps of the first and last frame */
    uint32_t first_nsec, last_nsec;
    uint64_t packets[2], bytes[2]; /* per direction: frames and wire bytes */
    uint64_t retransmissions;     /* TCP: frames labelled any retransmission */
    uint64_t irtt_ns;             /* TCP handshake RTT; 0 when not seen */
    uint64_t requests, replies, unanswered;
    int64_t rtt_sum_ns;           /* sum over replies: mean = rtt_sum_ns / replies */
    char history[WP_FLOW_HISTORY_MAX + 1];
} wp_flow_conv;

/* An unanswered request, handed to on_unanswered when the tracker gives up
 * on it (its conversation retired or its slot reused). */
typedef struct wp_flow_unanswered {
    uint8_t kind;  /* wp_flow_kind of its conversation */
    uint32_t stream;
    uint64_t frame;
    uint32_t key;  /* ICMP: the echo sequence number; DNS: the id; UDP: 0 */
} wp_flow_unanswered;

/* Limits and callbacks; zero fields take the defaults below. */
typedef struct wp_flow_cfg {
    uint32_t max_convs;       /* conversations kept at once (default 16384) */
    uint32_t idle_timeout_s;  /* a conversation silent this long expires
                                 (default 3600; capture time, not wall time) */
    void *ctx;                /* passed to the callbacks */
    /* called once per conversation when it retires (expiry, eviction or
     * wp_flow_finish); c is valid only during the call. NULL: not called */
    void (*on_retire)(void *ctx, const wp_flow_conv *c);
    /* called once per request that never got a reply; NULL: not called */
    void (*on_unanswered)(void *ctx, const wp_flow_unanswered *u);
} wp_flow_cfg;

#define WP_FLOW_DEFAULT_CONVS 16384u
#define WP_FLOW_DEFAULT_IDLE_S 3600u
#define WP_FLOW_MAX_CONVS (1u << 24)

typedef struct wp_flow wp_flow;

/* A tracker with the limits of cfg (NULL: all defaults; max_convs above
 * WP_FLOW_MAX_CONVS is clamped). All memory is allocated here, once
 * (zeroed pages: touched only as conversations use them; 520 bytes a
 * conversation). Returns NULL when out of memory. */
wp_flow *wp_flow_new(const wp_flow_cfg *cfg);

/* Retire every conversation still kept (on_retire, on_unanswered), so the
 * callbacks have seen the whole capture; the tracker is empty afterwards
 * and may be fed on. NULL is ignored. */
void wp_flow_finish(wp_flow *t);

/* Free the tracker without calling any callback. NULL is ignored. */
void wp_flow_free(wp_flow *t);

/* Feed packet p, frame number frame_no (1-based, increasing) and fill *a.
 * A packet with no IPv4/IPv6 + TCP/UDP/ICMP echo it can follow (or one whose
 * headers are cut) gets kind WP_FLOW_NONE and changes nothing. p must come
 * from wp_decode; never fails. */
void wp_flow_track(wp_flow *t, const wp_packet *p, uint64_t frame_no, wp_flow_ann *a);

/* Conversations started so far of each numbering: TCP streams, UDP streams,
 * ICMP echo conversations. */
uint32_t wp_flow_count(const wp_flow *t, wp_flow_kind kind);

/* The summary so far of the conversation stream of kind (still kept) into
 * *c; 0, or -1 when it is not kept (never seen, retired or evicted). A
 * scan of the pool: for a view's question, not for every packet. */
int wp_flow_conv_get(const wp_flow *t, wp_flow_kind kind, uint32_t stream, wp_flow_conv *c);

/* The reason for analysis bit `bit` (one WP_FA_* value) of annotation a, in
 * numbers, e.g. "seq 1 < next expected 201 (frame 4)", into buf[n] (NUL
 * terminated); returns buf ("" for a bit a does not carry). */
const char *wp_flow_reason(const wp_flow_ann *a, uint32_t bit, char *buf, size_t n);

#endif
