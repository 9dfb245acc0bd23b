/* Linux NFLOG (LINKTYPE_NFLOG, 239): what iptables' NFLOG target hands to
 * a capture. A 4-byte header (address family, version, resource id in
 * network order), then TLVs whose 16-bit length and type are in the byte
 * order of the machine that logged (libpcap writes them little-endian),
 * each padded to 4 bytes. The payload TLV (type 9) holds the packet: IPv4
 * or IPv6 by the family byte. Each TLV is one of the layer's options (kind
 * = type, len = length; packet_hdr: v[0] hardware protocol, v[1] hook);
 * the header runs to the payload's first byte. */
#include "proto.h"

static const wp_event_def ev_truncated = {"nflog.truncated",
                                          "capture ends inside the NFLOG header or a TLV",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_tlv_small = {"nflog.tlv_length_invalid",
                                          "NFLOG TLV length below its 4-byte header",
                                          WP_EV_INVALID, " < "};
static const wp_event_def ev_tlv_past = {"nflog.tlv_exceeds_frame",
                                         "NFLOG TLV runs past the end of the frame",
                                         WP_EV_INVALID, " > "};
static const wp_event_def ev_tlv_cap = {"nflog.tlv_cap",
                                        "more NFLOG TLVs than wirepeel keeps: the rest are "
                                        "not shown",
                                        WP_EV_NOTE, NULL};

/* TLVs kept per frame; every pass of the loop consumes at least 4 bytes. */
#define NFLOG_MAX_TLVS 24
enum { TLV_PACKET_HDR = 1, TLV_PAYLOAD = 9 };

static const char *family_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 2:
        return "IPv4";
    case 10:
        return "IPv6";
    case 7:
        return "bridge";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "family", .title = "Address family", .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_nflog_hdr, family), .describe = family_name},
    {.name = "version", .title = "Version", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_nflog_hdr, version)},
    {.name = "resource_id", .title = "Resource id (group)", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_nflog_hdr, resource_id)},
    {.name = "tlvs", .title = "TLVs", .off = 4, .fmt = 's', .kind = WP_FK_OPTIONS},
};

const wp_proto_info wp_nflog_info = {"nflog", "Linux netfilter NFLOG", "NFLOG", fields,
                                     sizeof fields / sizeof fields[0]};

const char *wp_nflog_tlv_name(unsigned kind)
{
    static const char *const names[] = {
        [1] = "packet_hdr",     [2] = "mark",           [3] = "timestamp",
        [4] = "ifindex_indev",  [5] = "ifindex_outdev", [6] = "ifindex_physindev",
        [7] = "ifindex_physoutdev", [8] = "hwaddr",     [9] = "payload",
        [10] = "prefix",        [11] = "uid",           [12] = "seq",
        [13] = "seq_global",    [14] = "gid",           [15] = "hwtype",
        [16] = "hwheader",      [17] = "hwlen",         [18] = "ct",
        [19] = "ct_info",
    };
    return kind < sizeof names / sizeof names[0] ? names[kind] : NULL;
}

static uint16_t le16(const uint8_t *b)
{
    return (uint16_t)(b[0] | b[1] << 8);
}

void wp_nflog_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_NFLOG);
    if (!l)
        return;
    wp_nflog_hdr *h = &l->h.nflog;
    h->family = wp_cursor_u8(&c);
    h->version = wp_cursor_u8(&c);
    h->resource_id = wp_cursor_be16(&c);
    uint32_t room = nx->end > nx->off ? nx->end - nx->off : 0; /* the frame on the wire */
    l->hdr_len = 4;
    l->len = room;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 4);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    const uint8_t *b = c.buf;
    uint32_t avail = (uint32_t)c.len, pos = 4;
    unsigned n = 0;
    while (pos < room) {
        if (n == NFLOG_MAX_TLVS) {
            wp_pkt_event(p, l, &ev_tlv_cap, 0, 0);
            break;
        }
        if (pos > avail || 4 > avail - pos) {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_truncated, avail, pos + 4);
            break;
        }
        uint32_t tlen = le16(b + pos);
        unsigned type = le16(b + pos + 2) & 0x7fffu; /* the top bit: nested */
        wp_opt *o = wp_pkt_opt(p, l);
        if (!o) {
            wp_pkt_event(p, l, &ev_tlv_cap, 0, 0);
            break;
        }
        n++;
        o->kind = (uint8_t)(type > 255 ? 255 : type);
        o->len = (uint16_t)tlen;
        o->off = l->off + pos;
        if (tlen < 4) {
            o->bad = 1;
            wp_pkt_event(p, l, &ev_tlv_small, tlen, 4);
            break;
        }
        if (tlen > room - pos) {
            o->bad = 1;
            wp_pkt_event(p, l, &ev_tlv_past, pos + tlen, room);
            break;
        }
        if (type == TLV_PACKET_HDR && tlen >= 8 && avail - pos >= 8) {
            o->v[0] = wp_get_be16(b + pos + 4); /* an EtherType, network order */
            o->v[1] = b[pos + 6];
            o->nv = 2;
        }
        if (type == TLV_PAYLOAD) {
            /* The logged packet: the header ends where it starts. */
            l->hdr_len = pos + 4;
            nx->off += pos + 4;
            nx->end = nx->off + (tlen - 4);
            nx->proto = h->family == 2    ? WP_PROTO_IPV4
                        : h->family == 10 ? WP_PROTO_IPV6
                                          : WP_PROTO_PAYLOAD;
            return;
        }
        if (tlen > avail - pos) {
            /* a TLV the capture cut: the header runs on past the cut */
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_truncated, avail, pos + tlen);
            pos += tlen; /* <= room: checked above */
            break;
        }
        uint32_t step = (tlen + 3u) & ~3u;
        if (step > room - pos)
            step = room - pos; /* the last TLV's padding may be missing */
        pos += step;
    }
    /* No payload TLV: everything read is header. */
    l->hdr_len = pos < room ? pos : room;
    nx->off += l->hdr_len;
    nx->proto = WP_PROTO_PAYLOAD;
}
