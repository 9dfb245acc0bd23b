/* MPLS label stack entries (RFC 3032): one layer per 4-byte entry; after
 * the bottom of the stack (S set) the payload is told by its first nibble
 * (4: IPv4, 6: IPv6), as MPLS itself does not name it. */
#include "proto.h"

static const wp_event_def ev_truncated = {"mpls.truncated",
                                          "capture ends inside an MPLS label stack entry",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_no_bottom = {"mpls.no_bottom",
                                          "MPLS label stack ends without an entry marked bottom "
                                          "of stack",
                                          WP_EV_INVALID, NULL};

static const wp_field fields[] = {
    {.name = "label", .title = "Label", .width = 4, .mask = 0xfffff000u, .shift = 12,
     .fmt = 'I', .kind = WP_FK_UINT, WP_FIELD_AT(wp_mpls_hdr, label)},
    {.name = "tc", .title = "Traffic class", .width = 4, .mask = 0x00000e00u, .shift = 9,
     .fmt = 'I', .kind = WP_FK_UINT, WP_FIELD_AT(wp_mpls_hdr, tc)},
    {.name = "s", .title = "Bottom of stack", .width = 4, .mask = 0x00000100u, .shift = 8,
     .fmt = 'I', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_mpls_hdr, s)},
    {.name = "ttl", .title = "Time to live", .width = 4, .mask = 0x000000ffu, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_mpls_hdr, ttl)},
};

const wp_proto_info wp_mpls_info = {"mpls", "MultiProtocol Label Switching", "MPLS", fields,
                                    sizeof fields / sizeof fields[0]};

void wp_mpls_decode(wp_packet *p, wp_next *nx)
{
    uint32_t end = wp_pkt_avail_end(p, nx);
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_MPLS);
    if (!l)
        return;
    wp_mpls_hdr *h = &l->h.mpls;
    uint32_t e = wp_cursor_be32(&c);
    h->label = e >> 12;
    h->tc = (uint8_t)((e >> 9) & 7);
    h->s = (uint8_t)((e >> 8) & 1);
    h->ttl = (uint8_t)(e & 0xff);
    l->hdr_len = 4;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 4);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += 4;
    if (!h->s) {
        /* Another entry must follow; where the data (not the capture) ends
         * first, the stack has no bottom. */
        if (nx->end <= nx->off) {
            wp_pkt_event(p, l, &ev_no_bottom, 0, 0);
            nx->proto = WP_PROTO_NONE;
            return;
        }
        nx->proto = WP_PROTO_MPLS;
        return;
    }
    nx->proto = WP_PROTO_PAYLOAD;
    if (nx->off < end) {
        switch (p->data[nx->off] >> 4) {
        case 4:
            nx->proto = WP_PROTO_IPV4;
            break;
        case 6:
            nx->proto = WP_PROTO_IPV6;
            break;
        default:
            break;
        }
    }
}
