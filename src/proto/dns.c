/* DNS (RFC 1035) over UDP port 53: the 12-byte header (id, flags, the four
 * section counts). The questions and records after it are shown as payload:
 * their names are not decoded yet. */
#include "proto.h"

static const wp_event_def ev_truncated = {"dns.truncated", "capture ends inside the DNS header",
                                          WP_EV_TRUNCATED, " < "};

static const char *opcode_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0:
        return "query";
    case 1:
        return "inverse query";
    case 2:
        return "status";
    case 4:
        return "notify";
    case 5:
        return "update";
    default:
        return NULL;
    }
}

static const char *rcode_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    static const char *const names[] = {"no error", "format error", "server failure",
                                        "no such name", "not implemented", "refused"};
    return v < sizeof names / sizeof names[0] ? names[v] : NULL;
}

static const wp_field fields[] = {
    {.name = "id", .title = "Transaction id", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_dns_hdr, id)},
    {.name = "qr", .title = "Response", .off = 2, .width = 2, .mask = 0x8000, .shift = 15,
     .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_dns_hdr, qr)},
    {.name = "opcode", .title = "Opcode", .off = 2, .width = 2, .mask = 0x7800, .shift = 11,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_dns_hdr, opcode), .describe = opcode_name},
    {.name = "aa", .title = "Authoritative answer", .off = 2, .width = 2, .mask = 0x0400,
     .shift = 10, .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_dns_hdr, aa)},
    {.name = "tc", .title = "Truncated", .off = 2, .width = 2, .mask = 0x0200, .shift = 9,
     .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_dns_hdr, tc)},
    {.name = "rd", .title = "Recursion desired", .off = 2, .width = 2, .mask = 0x0100,
     .shift = 8, .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_dns_hdr, rd)},
    {.name = "ra", .title = "Recursion available", .off = 2, .width = 2, .mask = 0x0080,
     .shift = 7, .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_dns_hdr, ra)},
    {.name = "rcode", .title = "Reply code", .off = 2, .width = 2, .mask = 0x000f, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_dns_hdr, rcode), .describe = rcode_name},
    {.name = "qdcount", .title = "Questions", .off = 4, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_dns_hdr, qdcount)},
    {.name = "ancount", .title = "Answer records", .off = 6, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_dns_hdr, ancount)},
    {.name = "nscount", .title = "Authority records", .off = 8, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_dns_hdr, nscount)},
    {.name = "arcount", .title = "Additional records", .off = 10, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_dns_hdr, arcount)},
};

const wp_proto_info wp_dns_info = {"dns", "Domain Name System", "DNS", fields,
                                   sizeof fields / sizeof fields[0]};

void wp_dns_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_DNS);
    if (!l)
        return;
    wp_dns_hdr *h = &l->h.dns;
    h->id = wp_cursor_be16(&c);
    uint16_t fl = wp_cursor_be16(&c);
    h->qr = (uint8_t)(fl >> 15);
    h->opcode = (uint8_t)((fl >> 11) & 0xf);
    h->aa = (uint8_t)((fl >> 10) & 1);
    h->tc = (uint8_t)((fl >> 9) & 1);
    h->rd = (uint8_t)((fl >> 8) & 1);
    h->ra = (uint8_t)((fl >> 7) & 1);
    h->rcode = (uint8_t)(fl & 0xf);
    h->qdcount = wp_cursor_be16(&c);
    h->ancount = wp_cursor_be16(&c);
    h->nscount = wp_cursor_be16(&c);
    h->arcount = wp_cursor_be16(&c);
    l->hdr_len = 12;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 12);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += 12;
    nx->proto = WP_PROTO_PAYLOAD;
}
