/* The IPsec Encapsulating Security Payload (RFC 4303, IP protocol 50): the
 * SPI and the sequence number are in the clear; the rest is encrypted and
 * shown as payload. */
#include "proto.h"

static const wp_event_def ev_truncated = {"esp.truncated", "capture ends inside the ESP header",
                                          WP_EV_TRUNCATED, " < "};

static const wp_field fields[] = {
    {.name = "spi", .title = "Security parameters index", .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_esp_hdr, spi)},
    {.name = "seq", .title = "Sequence number", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_esp_hdr, seq)},
};

const wp_proto_info wp_esp_info = {"esp", "IPsec Encapsulating Security Payload", "ESP", fields,
                                   sizeof fields / sizeof fields[0]};

void wp_esp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ESP);
    if (!l)
        return;
    l->h.esp.spi = wp_cursor_be32(&c);
    l->h.esp.seq = wp_cursor_be32(&c);
    l->hdr_len = 8;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 8);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += 8;
    nx->proto = WP_PROTO_PAYLOAD;
}
