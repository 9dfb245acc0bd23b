/* PPP (RFC 1661): on the PPP link type with the HDLC-like address and
 * control bytes (0xff 0x03, RFC 1662) before the protocol, inside PPPoE
 * without them. The protocol names what follows (0x0021 IPv4, 0x0057
 * IPv6); other protocols (LCP, IPCP, ...) are shown as payload. */
#include "proto.h"

static const wp_event_def ev_truncated = {"ppp.truncated", "capture ends inside the PPP header",
                                          WP_EV_TRUNCATED, " < "};

static const char *proto_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0x0021:
        return "IPv4";
    case 0x0057:
        return "IPv6";
    case 0xc021:
        return "LCP";
    case 0x8021:
        return "IPCP";
    case 0x8057:
        return "IPV6CP";
    case 0xc023:
        return "PAP";
    case 0xc223:
        return "CHAP";
    default:
        return NULL;
    }
}

static int has_ac(const wp_layer *l)
{
    return l->h.ppp.has_ac;
}
static int no_ac(const wp_layer *l)
{
    return !l->h.ppp.has_ac;
}

static const wp_field fields[] = {
    {.name = "address", .title = "Address", .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_ppp_hdr, address), .present = has_ac},
    {.name = "control", .title = "Control", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ppp_hdr, control), .present = has_ac},
    {.name = "protocol", .title = "Protocol", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_ppp_hdr, protocol), .describe = proto_name, .present = no_ac},
    {.name = "protocol", .title = "Protocol", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_ppp_hdr, protocol), .describe = proto_name,
     .present = has_ac},
};

const wp_proto_info wp_ppp_info = {"ppp", "Point-to-Point Protocol", "PPP", fields,
                                   sizeof fields / sizeof fields[0]};

void wp_ppp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_PPP);
    if (!l)
        return;
    wp_ppp_hdr *h = &l->h.ppp;
    /* The address byte 0xff cannot begin a protocol number (their first
     * byte is even), so it tells the framing apart. */
    uint32_t need = 2;
    if (wp_cursor_remaining(&c) >= 1 && c.buf[c.off] == 0xff) {
        h->has_ac = 1;
        h->address = wp_cursor_u8(&c);
        h->control = wp_cursor_u8(&c);
        need = 4;
    }
    h->protocol = wp_cursor_be16(&c);
    l->hdr_len = need;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, need);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += need;
    switch (h->protocol) {
    case 0x0021:
        nx->proto = WP_PROTO_IPV4;
        break;
    case 0x0057:
        nx->proto = WP_PROTO_IPV6;
        break;
    case 0x0281: /* MPLS unicast */
        nx->proto = WP_PROTO_MPLS;
        break;
    default:
        nx->proto = WP_PROTO_PAYLOAD;
        break;
    }
}
