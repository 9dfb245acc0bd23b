/* BSD loopback encapsulation: DLT_NULL (the address family in the capturing
 * host's byte order) and DLT_LOOP (in network byte order). */
#include "proto.h"

static const wp_event_def ev_truncated = {"null.truncated",
                                          "capture ends inside the 4-byte loopback header",
                                          WP_EV_TRUNCATED, " < "};

static int family_known(uint32_t f)
{
    return f == 2 || f == 24 || f == 28 || f == 30;
}

static const char *describe_family(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 2:
        return "IPv4 (AF_INET)";
    case 24:
        return "IPv6 (AF_INET6, NetBSD/OpenBSD)";
    case 28:
        return "IPv6 (AF_INET6, FreeBSD)";
    case 30:
        return "IPv6 (AF_INET6, macOS)";
    default:
        return NULL;
    }
}

static const wp_field fields[] = {
    {.name = "family", .title = "Address family", .width = 4, .fmt = 'I', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_null_hdr, family), .describe = describe_family},
};

const wp_proto_info wp_null_info = {"null", "BSD loopback", "Loopback", fields,
                                    sizeof fields / sizeof fields[0]};

/* The family is read first in the order the link type prescribes: network
 * order for LOOP; for NULL the capturing host's, which nothing records, so
 * little-endian (every machine that writes DLT_NULL today: x86, arm64).
 * When that gives no known family and the other order does, the other one
 * is used and swapped set; with neither, the prescribed order stands. */
void wp_null_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_NULL);
    if (!l)
        return;
    wp_null_hdr *h = &l->h.null;
    l->hdr_len = 4;
    l->len = (uint32_t)c.len;
    uint8_t b[4];
    if (wp_cursor_bytes(&c, b, 4) < 0) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 4);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    uint32_t be = wp_get_be32(b);
    uint32_t le = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                  (uint32_t)b[3] << 24;
    uint32_t first = p->linktype == WP_LINK_LOOP ? be : le;
    uint32_t other = p->linktype == WP_LINK_LOOP ? le : be;
    h->family = first;
    if (!family_known(first) && family_known(other)) {
        h->family = other;
        h->swapped = 1;
    }
    /* the struct recipe and the unpacking detail say which order was used */
    if ((p->linktype == WP_LINK_LOOP) == (h->swapped != 0))
        l->flags |= WP_LF_LITTLE_ENDIAN;
    nx->off += 4;
    if (h->family == 2)
        nx->proto = WP_PROTO_IPV4;
    else if (family_known(h->family))
        nx->proto = WP_PROTO_IPV6;
    else
        nx->proto = WP_PROTO_PAYLOAD;
}
