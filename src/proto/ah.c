/* The IPsec Authentication Header (RFC 4302, IP protocol 51): next header,
 * length, SPI, sequence number and the integrity check value; what it
 * protects follows, by its next header. */
#include "proto.h"

static const wp_event_def ev_truncated = {"ah.truncated", "capture ends inside the AH header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_len = {"ah.length_invalid",
                                    "AH length exceeds the IP payload (or is below 12 bytes)",
                                    WP_EV_INVALID, " > "};

static const wp_field fields[] = {
    {.name = "next_header", .title = "Next header", .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_ah_hdr, next_header), .describe = wp_ipproto_name},
    {.name = "length", .title = "Length (4-byte words - 2)", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ah_hdr, length)},
    {.name = "spi", .title = "Security parameters index", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ah_hdr, spi)},
    {.name = "seq", .title = "Sequence number", .off = 8, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_ah_hdr, seq)},
};

const wp_proto_info wp_ah_info = {"ah", "IPsec Authentication Header", "AH", fields,
                                  sizeof fields / sizeof fields[0]};

void wp_ah_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_AH);
    if (!l)
        return;
    wp_ah_hdr *h = &l->h.ah;
    h->next_header = wp_cursor_u8(&c);
    h->length = wp_cursor_u8(&c);
    wp_cursor_skip(&c, 2); /* reserved */
    h->spi = wp_cursor_be32(&c);
    h->seq = wp_cursor_be32(&c);
    uint32_t hl = ((uint32_t)h->length + 2) * 4; /* at most 1028 */
    l->hdr_len = hl;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 12);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (hl < 12 || hl > l->len) {
        wp_pkt_event(p, l, &ev_len, hl, l->len);
        l->hdr_len = 12;
        nx->off += 12;
        nx->proto = WP_PROTO_PAYLOAD; /* where the protected data starts is unknown */
        return;
    }
    if (nx->off + hl > wp_pkt_avail_end(p, nx)) {
        /* the ICV is cut by the capture */
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, hl);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += hl;
    nx->proto = h->next_header == 59 ? WP_PROTO_NONE
                                     : (uint8_t)wp_proto_by_ipproto(h->next_header);
}
