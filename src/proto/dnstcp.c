/* DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message is preceded by a
 * two-byte length. This layer is that prefix; the message after it is the
 * DNS layer. Only a segment that holds exactly one whole message is taken
 * (wp_dnstcp_start): wirepeel does not reassemble TCP for decoding, and
 * bytes after a first message would otherwise be shown as a trailer. */
#include "proto.h"

static const wp_event_def ev_truncated = {"dns-tcp.truncated",
                                          "capture ends inside the DNS-over-TCP length",
                                          WP_EV_TRUNCATED, " < "};

static const wp_field fields[] = {
    {.name = "length", .title = "Message length", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_dnstcp_hdr, length)},
};

const wp_proto_info wp_dnstcp_info = {"dns-tcp", "DNS over TCP message length", "DNS/TCP",
                                      fields, sizeof fields / sizeof fields[0]};

int wp_dnstcp_start(const uint8_t *b, uint32_t n, uint32_t seglen)
{
    if (n < 2 || seglen < 2)
        return 0;
    uint32_t msg = wp_get_be16(b);
    return msg >= 12 && msg == seglen - 2;
}

void wp_dnstcp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_DNSTCP);
    if (!l)
        return;
    l->h.dnstcp.length = wp_cursor_be16(&c);
    l->hdr_len = 2;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 2);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += 2;
    /* the message ends where its length says (wp_dnstcp_start made sure the
     * segment is exactly that long; a --decode-as rule may not have) */
    if (l->h.dnstcp.length < nx->end - nx->off)
        nx->end = nx->off + l->h.dnstcp.length;
    nx->proto = WP_PROTO_DNS;
}
