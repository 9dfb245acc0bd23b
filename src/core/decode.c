/* The decode driver: picks the first layer from the link type, runs the layer
 * decoders one after the other, then adds the payload and trailer. */
#include <string.h>

#include "wirepeel/decode.h"
#include "decoder.h"

static const wp_event_def ev_link_unknown = {
    "link.unsupported", "link type not decoded: frame shown as raw bytes", WP_EV_NOTE, NULL};
/* Records shown as they are, never clamped: a pcapng or pcap record may say
 * it captured more than was sent, or carry a time no calendar prints. */
static const wp_event_def ev_caplen_over_len = {
    "frame.caplen_over_len", "captured length exceeds the length on the wire",
    WP_EV_INVALID, " > "};
static const wp_event_def ev_time_range = {
    "frame.time_out_of_range", "timestamp out of range (a year outside 1970..9999)",
    WP_EV_INVALID, NULL};
/* the times print at most 999999999 ns: the record's own value is here */
static const wp_event_def ev_time_frac = {
    "frame.time_fraction_out_of_range",
    "the fraction of a second is more than a second (ns; times print it as .999999999)",
    WP_EV_INVALID, " > "};
/* 9999-12-31T23:59:59Z */
#define WP_TIME_MAX 253402300799LL
static const wp_event_def ev_raw_version = {
    "raw.version_unknown", "raw IP frame with an IP version that is neither 4 nor 6",
    WP_EV_INVALID, NULL};

/* The decoder for each header kind, from the registry (src/proto/
 * registry.c); NULL for the data kinds, which end the loop. */
static wp_decode_fn decoder_for(unsigned proto)
{
    return proto < WP_PROTO_COUNT ? wp_proto_registry[proto].decode : NULL;
}

/* The first layer for a link type; raw IP is told apart by its version. */
static unsigned first_proto(const wp_packet *p)
{
    /* Ethernet first: the switch below is a tree of compares. */
    if (p->linktype == WP_LINK_EN10MB)
        return WP_PROTO_ETH;
    switch (p->linktype) {
    case WP_LINK_LINUX_SLL:
        return WP_PROTO_SLL;
    case WP_LINK_LINUX_SLL2:
        return WP_PROTO_SLL2;
    case WP_LINK_PPP:
        return WP_PROTO_PPP;
    case WP_LINK_NULL:
    case WP_LINK_LOOP:
        return WP_PROTO_NULL;
    case WP_LINK_C_HDLC:
        return WP_PROTO_CHDLC;
    case WP_LINK_NFLOG:
        return WP_PROTO_NFLOG;
    case WP_LINK_IPV4:
        return WP_PROTO_IPV4;
    case WP_LINK_IPV6:
        return WP_PROTO_IPV6;
    case WP_LINK_RAW:
    case 12: /* DLT_RAW as some systems write it in files */
    case 14:
        if (p->caplen == 0)
            return WP_PROTO_PAYLOAD;
        switch (p->data[0] >> 4) {
        case 4:
            return WP_PROTO_IPV4;
        case 6:
            return WP_PROTO_IPV6;
        default:
            return WP_PROTO_NONE;
        }
    default:
        return WP_PROTO_RAW;
    }
}

static void decode_frame(const wp_frame *f, wp_packet *p);

static void push_data(wp_packet *p, unsigned proto, uint32_t off, uint32_t end, uint8_t depth)
{
    if (end <= off || p->nlayers >= WP_MAX_LAYERS)
        return;
    wp_layer *l = &p->layers[p->nlayers++];
    memset(l, 0, sizeof *l);
    l->proto = (uint8_t)proto;
    l->off = off;
    l->len = end - off;
    l->depth = depth;
}

void wp_decode(const wp_frame *f, wp_packet *p)
{
    wp_decode_with(f, NULL, p);
}

void wp_decode_with(const wp_frame *f, const wp_decode_opts *o, wp_packet *p)
{
    /* Only the decoders read it, during this call: a packet kept after
     * holds no pointer to the caller's options. */
    p->dopts = o && o->n_as ? o : NULL;
    decode_frame(f, p);
    p->dopts = NULL;
}

static void decode_frame(const wp_frame *f, wp_packet *p)
{
    p->data = f->data;
    p->caplen = f->data ? f->caplen : 0;
    p->len = f->len;
    p->linktype = f->linktype;
    p->ts_sec = f->ts_sec;
    p->ts_nsec = f->ts_nsec;
    p->nlayers = p->nevents = p->nopts = 0;
    p->layer_cap_hit = 0;
    p->events_dropped = 0;

    wp_next nx = {0};
    nx.off = 0;
    /* The data runs to the frame's end on the wire: a snap length that cut
     * the capture short must not make a length field look invalid. Decoders
     * read only through wp_pkt_cursor, which stops at caplen. */
    nx.end = p->len > p->caplen ? p->len : p->caplen;
    if (f->caplen > f->len)
        wp_pkt_event(p, NULL, &ev_caplen_over_len, f->caplen, f->len);
    if (f->ts_nsec > 999999999u)
        wp_pkt_event(p, NULL, &ev_time_frac, f->ts_nsec, 999999999u);
    if (f->ts_sec < 0 || f->ts_sec > WP_TIME_MAX)
        wp_pkt_event(p, NULL, &ev_time_range, 0, 0);
    nx.proto = (uint8_t)first_proto(p);
    if (nx.proto == WP_PROTO_RAW) {
        wp_pkt_event(p, NULL, &ev_link_unknown, (uint32_t)p->linktype, 0);
        push_data(p, WP_PROTO_RAW, 0, p->caplen, 0);
        return;
    }
    if (nx.proto == WP_PROTO_NONE) {
        wp_pkt_event(p, NULL, &ev_raw_version, p->data[0] >> 4, 0);
        nx.proto = WP_PROTO_PAYLOAD;
    }

    /* Every pass either pushes a layer (bounded by the cap) or stops. */
    for (;;) {
        wp_decode_fn fn = decoder_for(nx.proto);
        if (!fn)
            break;
        uint16_t before = p->nlayers;
        uint32_t off_before = nx.off, end_before = nx.end;
        fn(p, &nx);
        if (p->nlayers == before)
            break; /* cap hit or the decoder pushed nothing: stop */
        /* Guard the contract: data ranges only ever shrink. */
        if (nx.off < off_before)
            nx.off = off_before;
        if (nx.end > end_before)
            nx.end = end_before;
        nx.depth = (uint8_t)(p->layers[p->nlayers - 1].depth + 1);
    }

    uint32_t end = nx.end < p->caplen ? nx.end : p->caplen;
    unsigned data = nx.proto == WP_PROTO_FRAGMENT ? WP_PROTO_FRAGMENT : WP_PROTO_PAYLOAD;
    if (nx.off < end)
        push_data(p, data, nx.off, end, nx.depth);
    if (end < p->caplen)
        push_data(p, WP_PROTO_TRAILER, end > nx.off ? end : nx.off, p->caplen, 0);
}
