/* SCTP (RFC 9260), IP protocol 132: the common header (ports, verification
 * tag, CRC32c checksum) and the chunk list. Each chunk is one of the layer's
 * options (kind = chunk type, len = chunk length; v[0] flags; a DATA chunk
 * also v[1] TSN, v[2] stream id, v[3] stream sequence number, v[4] payload
 * protocol id). The layer's header is the whole SCTP packet: chunks carry
 * their data inside them, so nothing follows as payload. Flows and follow
 * do not track SCTP. */
#include "proto.h"

/* The common header or the chunks: the chunks after the cut are not shown. */
static const wp_event_def ev_truncated = {"sctp.truncated",
                                          "capture ends inside the SCTP packet",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_chunk_small = {"sctp.chunk_length_invalid",
                                            "SCTP chunk length below the 4-byte chunk header",
                                            WP_EV_INVALID, " < "};
static const wp_event_def ev_chunk_past = {"sctp.chunk_exceeds_packet",
                                           "SCTP chunk runs past the end of the packet",
                                           WP_EV_INVALID, " > "};
static const wp_event_def ev_chunk_cap = {"sctp.chunk_cap",
                                          "more SCTP chunks than wirepeel keeps: the rest are "
                                          "not shown",
                                          WP_EV_NOTE, NULL};
static const wp_event_def ev_no_chunk = {"sctp.no_chunks",
                                         "SCTP packet without a chunk (RFC 9260 needs one)",
                                         WP_EV_INVALID, NULL};
static const wp_event_def ev_csum = {"sctp.checksum_bad", "SCTP checksum (CRC32c) does not match",
                                     WP_EV_CHECKSUM, " != "};

/* Chunks kept per packet; each pass of the loop consumes at least 4 bytes. */
#define SCTP_MAX_CHUNKS 32
#define CHUNK_DATA 0

static const wp_field fields[] = {
    {.name = "sport", .title = "Source port", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_sctp_hdr, sport)},
    {.name = "dport", .title = "Destination port", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_sctp_hdr, dport)},
    {.name = "vtag", .title = "Verification tag", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_sctp_hdr, vtag)},
    {.name = "checksum", .title = "Checksum (CRC32c)", .off = 8, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_sctp_hdr, checksum),
     .flags = WP_FF_CHECKSUM},
    {.name = "chunks", .title = "Chunks", .off = 12, .fmt = 's', .kind = WP_FK_OPTIONS},
};

const wp_proto_info wp_sctp_info = {"sctp", "Stream Control Transmission Protocol", "SCTP",
                                    fields, sizeof fields / sizeof fields[0]};

const char *wp_sctp_chunk_name(unsigned kind)
{
    switch (kind) {
    case 0:
        return "data";
    case 1:
        return "init";
    case 2:
        return "init_ack";
    case 3:
        return "sack";
    case 4:
        return "heartbeat";
    case 5:
        return "heartbeat_ack";
    case 6:
        return "abort";
    case 7:
        return "shutdown";
    case 8:
        return "shutdown_ack";
    case 9:
        return "error";
    case 10:
        return "cookie_echo";
    case 11:
        return "cookie_ack";
    case 12:
        return "ecne";
    case 13:
        return "cwr";
    case 14:
        return "shutdown_complete";
    case 15:
        return "auth";
    case 64:
        return "i_data";
    case 128:
        return "asconf_ack";
    case 130:
        return "re_config";
    case 132:
        return "pad";
    case 192:
        return "forward_tsn";
    case 193:
        return "asconf";
    case 194:
        return "i_forward_tsn";
    default:
        return NULL;
    }
}

/* CRC32c (Castagnoli, reflected polynomial 0x82f63b78), four bits a step
 * from a 16-entry table: SCTP is rare enough that a bigger table buys
 * nothing. */
static const uint32_t crc32c_nibble[16] = {
    0x00000000u, 0x105ec76fu, 0x20bd8edeu, 0x30e349b1u, 0x417b1dbcu, 0x5125dad3u,
    0x61c69362u, 0x7198540du, 0x82f63b78u, 0x92a8fc17u, 0xa24bb5a6u, 0xb21572c9u,
    0xc38d26c4u, 0xd3d3e1abu, 0xe330a81au, 0xf36e6f75u,
};

static uint32_t crc32c_byte(uint32_t crc, uint8_t b)
{
    crc ^= b;
    crc = (crc >> 4) ^ crc32c_nibble[crc & 0xf];
    return (crc >> 4) ^ crc32c_nibble[crc & 0xf];
}

/* The checksum the SCTP packet b[0, n) calls for, as its field's bytes read
 * big-endian: CRC32c over the packet with the checksum field as zeros,
 * stored least significant byte first (RFC 9260 appendix A). n >= 12. */
static uint32_t sctp_crc(const uint8_t *b, uint32_t n)
{
    uint32_t crc = 0xffffffffu;
    for (uint32_t i = 0; i < n; i++)
        crc = crc32c_byte(crc, i >= 8 && i < 12 ? 0 : b[i]);
    crc = ~crc;
    return (crc & 0xffu) << 24 | (crc & 0xff00u) << 8 | (crc >> 8 & 0xff00u) | crc >> 24;
}

/* Read the chunks in [12, avail) of an SCTP packet of slen bytes. */
static void read_chunks(wp_packet *p, wp_layer *l, uint32_t slen, uint32_t avail)
{
    const uint8_t *b = p->data + l->off;
    uint32_t pos = 12;
    unsigned n = 0;
    while (pos < slen) {
        if (n == SCTP_MAX_CHUNKS) {
            wp_pkt_event(p, l, &ev_chunk_cap, 0, 0);
            return;
        }
        if (pos > avail || 4 > avail - pos)
            return; /* cut: the caller records sctp.truncated */
        uint32_t clen = wp_get_be16(b + pos + 2);
        wp_opt *o = wp_pkt_opt(p, l);
        if (!o) {
            wp_pkt_event(p, l, &ev_chunk_cap, 0, 0);
            return;
        }
        n++;
        o->kind = b[pos];
        o->len = (uint16_t)clen;
        o->off = l->off + pos;
        o->v[0] = b[pos + 1];
        o->nv = 1;
        if (clen < 4) {
            /* No way to step to the next chunk. */
            o->bad = 1;
            wp_pkt_event(p, l, &ev_chunk_small, clen, 4);
            return;
        }
        /* A DATA chunk's fixed fields, when captured: shown even when its
         * length runs past the packet (as tshark does). */
        if (o->kind == CHUNK_DATA && clen >= 16 && avail - pos >= 16) {
            o->v[1] = wp_get_be32(b + pos + 4);
            o->v[2] = wp_get_be16(b + pos + 8);
            o->v[3] = wp_get_be16(b + pos + 10);
            o->v[4] = wp_get_be32(b + pos + 12);
            o->nv = 5;
        }
        if (clen > slen - pos) {
            o->bad = 1;
            wp_pkt_event(p, l, &ev_chunk_past, pos + clen, slen);
            return;
        }
        /* Padded to 4 bytes; the last chunk's padding may be missing. */
        uint32_t step = (clen + 3u) & ~3u;
        if (step > slen - pos)
            return;
        pos += step;
    }
}

void wp_sctp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_SCTP);
    if (!l)
        return;
    wp_sctp_hdr *h = &l->h.sctp;
    h->sport = wp_cursor_be16(&c);
    h->dport = wp_cursor_be16(&c);
    h->vtag = wp_cursor_be32(&c);
    h->checksum = wp_cursor_be32(&c);
    uint32_t slen = nx->end > nx->off ? nx->end - nx->off : 0; /* what IP gives SCTP */
    l->hdr_len = 12;
    l->len = slen;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        if (!(l->flags & WP_LF_QUOTED))
            wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 12);
        l->csum = WP_CSUM_UNVERIFIED;
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    uint32_t avail = (uint32_t)c.len; /* captured bytes of the packet, <= slen */
    if (slen == 12 && !(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)))
        wp_pkt_event(p, l, &ev_no_chunk, 0, 0);
    /* The chunks are the header; a fragment's data or a quote is only
     * part of them, so neither is read as chunks. */
    if (!(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT))) {
        read_chunks(p, l, slen, avail);
        l->hdr_len = slen;
    }
    if (avail < slen || (l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT))) {
        /* a fragment carries only part of the packet by nature; a quote
         * is cut as expected (flagged, no event) */
        if (avail < slen && !(l->flags & WP_LF_FRAGMENT)) {
            l->flags |= WP_LF_TRUNCATED;
            if (!(l->flags & WP_LF_QUOTED))
                wp_pkt_event(p, l, &ev_truncated, avail, slen);
        }
        l->csum = WP_CSUM_UNVERIFIED;
        int part = (l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)) != 0;
        nx->off += part ? 12 : avail;
        nx->proto = (l->flags & WP_LF_FRAGMENT) ? WP_PROTO_FRAGMENT
                    : part                      ? WP_PROTO_PAYLOAD
                                                : WP_PROTO_NONE;
        return;
    }
    uint32_t want = sctp_crc(p->data + l->off, slen);
    l->csum_computed = want;
    if (want == h->checksum) {
        l->csum = WP_CSUM_GOOD;
    } else {
        l->csum = WP_CSUM_BAD;
        wp_pkt_event(p, l, &ev_csum, h->checksum, want);
    }
    nx->off += slen;
    nx->proto = WP_PROTO_PAYLOAD;
}
