/* UDP (RFC 768), over IPv4 or IPv6. */
#include "proto.h"

static const wp_event_def ev_truncated = {"udp.truncated", "capture ends inside the UDP header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_len_small = {"udp.length_invalid",
                                          "UDP length below the 8-byte header", WP_EV_INVALID,
                                          " < "};
static const wp_event_def ev_len_big = {"udp.length_exceeds_ip",
                                        "UDP length exceeds the IP payload", WP_EV_INVALID,
                                        " > "};
static const wp_event_def ev_csum = {"udp.checksum_bad", "UDP checksum does not match",
                                     WP_EV_CHECKSUM, " != "};

static const wp_field fields[] = {
    {.name = "sport", .title = "Source port", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_udp_hdr, sport)},
    {.name = "dport", .title = "Destination port", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_udp_hdr, dport)},
    {.name = "length", .title = "Length", .off = 4, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_udp_hdr, length)},
    {.name = "checksum", .title = "Checksum", .off = 6, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_udp_hdr, checksum), .flags = WP_FF_CHECKSUM},
};

const wp_proto_info wp_udp_info = {"udp", "User Datagram Protocol", "UDP", fields,
                                   sizeof fields / sizeof fields[0]};

void wp_udp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_UDP);
    if (!l)
        return;
    wp_udp_hdr *h = &l->h.udp;
    if (wp_cursor_remaining(&c) >= 8) {
        /* The whole header is there: one bounds check above, then plain
         * reads at offsets 0..7, all below the 8 bytes checked. */
        const uint8_t *b = c.buf + c.off;
        h->sport = wp_get_be16(b);
        h->dport = wp_get_be16(b + 2);
        h->length = wp_get_be16(b + 4);
        h->checksum = wp_get_be16(b + 6);
        c.off += 8;
    } else {
        h->sport = wp_cursor_be16(&c);
        h->dport = wp_cursor_be16(&c);
        h->length = wp_cursor_be16(&c);
        h->checksum = wp_cursor_be16(&c);
    }
    l->hdr_len = 8;
    l->len = h->length;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 8);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    uint32_t room = nx->end > nx->off ? nx->end - nx->off : 0; /* what IP gives UDP */
    nx->off += 8;
    nx->proto = WP_PROTO_PAYLOAD;
    if (h->length < 8) {
        wp_pkt_event(p, l, &ev_len_small, h->length, 8);
        return; /* trust nothing after: the rest is shown as payload */
    }
    if (h->length > room) {
        /* A first fragment or a quote carries only part of the datagram. */
        if (!(l->flags & (WP_LF_FRAGMENT | WP_LF_QUOTED)))
            wp_pkt_event(p, l, &ev_len_big, h->length, room);
        l->csum = WP_CSUM_UNVERIFIED;
        return;
    }
    nx->end = l->off + h->length;
    /* A header the ports name (ports.c); a fragment's or a quote's data is
     * only part of one, so it stays data. */
    if (!(l->flags & (WP_LF_FRAGMENT | WP_LF_QUOTED))) {
        nx->proto = (uint8_t)wp_proto_by_udp_port(h->sport, h->dport);
        if (p->dopts) /* --decode-as */
            nx->proto = (uint8_t)wp_pkt_decode_as(p, WP_PROTO_UDP, h->sport, h->dport,
                                                  nx->proto);
    }
    int have_ip = 0;
    uint32_t pseudo = wp_pkt_pseudo(p, l, h->length, 17, &have_ip);
    if (!have_ip) {
        l->csum = WP_CSUM_UNVERIFIED;
        return;
    }
    if (h->checksum == 0) {
        /* Zero means "none computed" over IPv4; over IPv6 it is not allowed. */
        const wp_layer *ip = l - 1;
        while (ip > p->layers && ip->proto != WP_PROTO_IPV4 && ip->proto != WP_PROTO_IPV6)
            ip--;
        if (ip->proto == WP_PROTO_IPV4) {
            l->csum = WP_CSUM_NONE;
            return;
        }
    }
    wp_pkt_checksum(p, l, l->off, h->length, pseudo, l->off + 6, 1, &ev_csum);
}
