/* libFuzzer harness for the conversation tracker (src/flow/): the input is
 * a run of 13-byte records, each one frame built over a small set of
 * endpoints, so the fuzzer plays sequence games (any seq, ack, flags, window,
 * length and time step), reuses ports, and floods a tracker with tiny
 * conversations past its caps (4 conversations, 1 s idle timeout, the
 * request rings). Each frame is decoded, tracked and rendered with its
 * annotation in summary, layers, JSON and fields; the harness aborts when
 * an annotation breaks a promise of flow.h:
 *   - a frame the tracker does not follow has an all-zero annotation;
 *   - a stream number is below the count of streams of its kind started;
 *   - TCP: next_seq = seq + seg_len (+1 for a SYN or a FIN, once for both, as
 *     tshark counts it);
 *   - a reply names an earlier frame; a dup ACK has a number;
 *   - every retired conversation is retired once, with a known state.
 * Record: [0] bit 0 direction, bits 1-3 endpoint pair, bit 4 IPv6, bits 5-7
 * kind (TCP, UDP, DNS, ICMP echo request, echo reply, ...); [1] TCP flags;
 * [2..5] seq; [6..9] ack; [10] window; [11] payload length; [12] time step
 * (ms, or seconds when the top bit is set). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "wirepeel/flow.h"
#include "wirepeel/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC 13

typedef struct check {
    uint64_t retired;
    int bad;
} check;

static void retired(void *ctx, const wp_flow_conv *c)
{
    check *k = ctx;
    k->retired++;
    if (c->state >= WP_FS_COUNT || c->evicted > 2 || c->history[WP_FLOW_HISTORY_MAX] != '\0')
        k->bad = 1;
}

static void unanswered(void *ctx, const wp_flow_unanswered *u)
{
    check *k = ctx;
    if (u->frame == 0)
        k->bad = 1;
}

static size_t put16(uint8_t *b, size_t o, unsigned v)
{
    b[o] = (uint8_t)(v >> 8);
    b[o + 1] = (uint8_t)v;
    return o + 2;
}

static size_t put32(uint8_t *b, size_t o, uint32_t v)
{
    o = put16(b, o, v >> 16);
    return put16(b, o, v & 0xffff);
}

/* One Ethernet frame from record r into b; returns its length. */
static size_t build(const uint8_t *r, uint8_t *b)
{
    int dir = r[0] & 1, pair = (r[0] >> 1) & 7, v6 = (r[0] >> 4) & 1, kind = r[0] >> 5;
    size_t payload = r[11];
    uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8}, z[16] = {0x20, 0x01, 0x0d, 0xb8};
    a[15] = (uint8_t)(1 + (pair & 1));
    z[15] = (uint8_t)(10 + (pair >> 1));
    const uint8_t *src = dir ? z : a, *dst = dir ? a : z;
    unsigned cport = 40000u + (unsigned)pair, sport = kind == 2 ? 53u : 80u;
    unsigned proto = kind <= 1 ? 6 : kind <= 3 ? 17 : (v6 ? 58 : 1);
    if (kind == 1)
        proto = 6;
    size_t o = 0;
    memset(b, 0x02, 12);
    o = 12;
    o = put16(b, o, v6 ? 0x86dd : 0x0800);
    size_t l4len = proto == 6 ? 20 + payload : 8 + payload;
    if (v6) {
        o = put32(b, o, 0x60000000u);
        o = put16(b, o, (unsigned)l4len);
        b[o++] = (uint8_t)proto;
        b[o++] = 64;
        memcpy(b + o, src, 16);
        memcpy(b + o + 16, dst, 16);
        o += 32;
    } else {
        b[o++] = 0x45;
        b[o++] = 0;
        o = put16(b, o, (unsigned)(20 + l4len));
        o = put32(b, o, 0);
        b[o++] = 64;
        b[o++] = (uint8_t)proto;
        o = put16(b, o, 0);
        memcpy(b + o, src + 12, 4);
        memcpy(b + o + 4, dst + 12, 4);
        o += 8;
    }
    if (proto == 6) {
        o = put16(b, o, dir ? sport : cport);
        o = put16(b, o, dir ? cport : sport);
        o = put32(b, o, (uint32_t)r[2] << 24 | (uint32_t)r[3] << 16 | (uint32_t)r[4] << 8 | r[5]);
        o = put32(b, o, (uint32_t)r[6] << 24 | (uint32_t)r[7] << 16 | (uint32_t)r[8] << 8 | r[9]);
        b[o++] = 0x50;
        b[o++] = r[1];
        o = put16(b, o, kind == 1 ? r[10] : (unsigned)r[10] << 8);
        o = put32(b, o, 0);
    } else if (proto == 17) {
        o = put16(b, o, dir ? sport : cport);
        o = put16(b, o, dir ? cport : sport);
        o = put16(b, o, (unsigned)l4len);
        o = put16(b, o, 0);
    } else {
        /* echo request or reply (kind 4, 6: request; 5, 7: reply) */
        int reply = kind & 1;
        b[o++] = (uint8_t)(v6 ? (reply ? 129 : 128) : (reply ? 0 : 8));
        b[o++] = 0;
        o = put16(b, o, 0);
        o = put16(b, o, r[1]);  /* id */
        o = put16(b, o, r[10]); /* seq */
    }
    /* payload: the seq bytes repeated (a DNS id and QR bit from them) */
    for (size_t i = 0; i < payload; i++)
        b[o + i] = r[2 + i % 8];
    return o + payload;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt;
    static char out[64 * 1024];
    static uint8_t frame[2048];
    check k = {0, 0};
    wp_flow_cfg cfg = {.max_convs = 4, .idle_timeout_s = 1, .ctx = &k, .on_retire = retired,
                       .on_unanswered = unanswered};
    wp_flow *t = wp_flow_new(&cfg);
    if (!t)
        return 0;
    int64_t sec = 1700000000;
    uint32_t nsec = 0;
    uint64_t no = 0;
    for (size_t off = 0; off + REC <= size; off += REC) {
        const uint8_t *r = data + off;
        wp_frame f;
        memset(&f, 0, sizeof f);
        if (r[12] & 0x80) {
            sec += r[12] & 0x7f;
        } else {
            nsec += (uint32_t)r[12] * 1000000u;
            sec += nsec / 1000000000u;
            nsec %= 1000000000u;
        }
        f.ts_sec = sec;
        f.ts_nsec = nsec;
        f.linktype = WP_LINK_EN10MB;
        size_t n = build(r, frame);
        /* the cut: a record whose window byte is 0xff loses its tail */
        f.caplen = (uint32_t)(r[10] == 0xff && n > 40 ? 40 : n);
        f.len = (uint32_t)n;
        uint8_t *copy = malloc(f.caplen);
        if (!copy)
            break;
        memcpy(copy, frame, f.caplen);
        f.data = copy;
        wp_decode(&f, &pkt);
        wp_flow_ann a;
        no++;
        wp_flow_track(t, &pkt, no, &a);
        const char *why = NULL;
        static const wp_flow_ann zero;
        if (a.kind == WP_FLOW_NONE && memcmp(&a, &zero, sizeof a) != 0)
            why = "an unfollowed frame has a non-zero annotation";
        else if (a.kind != WP_FLOW_NONE && a.stream >= wp_flow_count(t, (wp_flow_kind)a.kind))
            why = "stream number not below the count of streams started";
        else if (a.kind == WP_FLOW_TCP && !(a.events & WP_FLOW_EV_QUOTED)) {
            unsigned fl = 0;
            for (unsigned i = 0; i < pkt.nlayers; i++)
                if (pkt.layers[i].proto == WP_PROTO_TCP)
                    fl = pkt.layers[i].h.tcp.flags;
            uint32_t want = a.seq + a.seg_len + ((fl & 3) ? 1u : 0u);
            if (a.next_seq != want)
                why = "next_seq is not seq + len (+1 for SYN or FIN)";
        }
        if (!why && a.reply_to >= no)
            why = "a reply names a frame that is not earlier";
        if (!why && (a.analysis & WP_FA_DUP_ACK) && a.dup_ack_num == 0)
            why = "a duplicate ACK without a number";
        if (why) {
            fprintf(stderr, "broken promise at record %zu: %s\n", off / REC, why);
            abort();
        }
        wp_render_opts o = {.flow = &a};
        for (int fmt = WP_OUT_SUMMARY; fmt <= WP_OUT_FIELDS; fmt++) {
            wp_sink s;
            wp_sink_init_mem(&s, out, sizeof out);
            wp_render(&s, (wp_output)fmt, &pkt, no, &o);
        }
        char reason[256];
        for (unsigned i = 0; i < WP_FA_COUNT; i++)
            wp_flow_reason(&a, 1u << i, reason, sizeof reason);
        free(copy);
    }
    uint32_t started = wp_flow_count(t, WP_FLOW_TCP) + wp_flow_count(t, WP_FLOW_UDP) +
                       wp_flow_count(t, WP_FLOW_ICMP) + wp_flow_count(t, WP_FLOW_ICMPV6);
    wp_flow_finish(t);
    wp_flow_free(t);
    if (k.bad || k.retired != started) {
        fprintf(stderr, "broken promise: %llu conversations retired of %u started%s\n",
                (unsigned long long)k.retired, started, k.bad ? ", one with bad values" : "");
        abort();
    }
    return 0;
}
