/* ICMP for IPv4 (RFC 792). Error messages quote the IP header and first 8
 * bytes of the packet that caused them; the quote is decoded as nested
 * layers marked WP_LF_QUOTED. */
#include "proto.h"

static const wp_event_def ev_truncated = {"icmp.truncated", "capture ends inside the ICMP header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_short = {"icmp.length_invalid",
                                      "ICMP message shorter than its 8-byte header",
                                      WP_EV_INVALID, " < "};
static const wp_event_def ev_csum = {"icmp.checksum_bad", "ICMP checksum does not match",
                                     WP_EV_CHECKSUM, " != "};

enum {
    T_ECHO_REPLY = 0,
    T_UNREACH = 3,
    T_SOURCE_QUENCH = 4,
    T_REDIRECT = 5,
    T_ECHO = 8,
    T_TIME_EXCEEDED = 11,
    T_PARAM_PROBLEM = 12,
    T_TIMESTAMP = 13,
    T_TIMESTAMP_REPLY = 14,
    T_INFO = 15,
    T_INFO_REPLY = 16,
    T_MASK = 17,
    T_MASK_REPLY = 18,
};

static const char *type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case T_ECHO_REPLY:
        return "Echo reply";
    case T_UNREACH:
        return "Destination unreachable";
    case T_SOURCE_QUENCH:
        return "Source quench";
    case T_REDIRECT:
        return "Redirect";
    case T_ECHO:
        return "Echo request";
    case 9:
        return "Router advertisement";
    case 10:
        return "Router solicitation";
    case T_TIME_EXCEEDED:
        return "Time exceeded";
    case T_PARAM_PROBLEM:
        return "Parameter problem";
    case T_TIMESTAMP:
        return "Timestamp request";
    case T_TIMESTAMP_REPLY:
        return "Timestamp reply";
    case T_INFO:
        return "Information request";
    case T_INFO_REPLY:
        return "Information reply";
    case T_MASK:
        return "Address mask request";
    case T_MASK_REPLY:
        return "Address mask reply";
    default:
        return NULL;
    }
}

/* The meaning of an ICMP code, for the types that define codes (RFC 792,
 * RFC 1812); NULL for others. */
static const char *code_name4(unsigned type, unsigned code)
{
    static const char *const unreach[16] = {
        "net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
        "fragmentation needed", "source route failed", "network unknown", "host unknown",
        "source host isolated", "network administratively prohibited",
        "host administratively prohibited", "network unreachable for TOS",
        "host unreachable for TOS", "communication administratively prohibited",
        "host precedence violation", "precedence cutoff in effect"};
    static const char *const redirect[4] = {"for the network", "for the host",
                                            "for TOS and network", "for TOS and host"};
    static const char *const exceeded[2] = {"TTL exceeded in transit",
                                            "fragment reassembly time exceeded"};
    static const char *const param[3] = {"pointer indicates the error",
                                         "missing a required option", "bad length"};
    switch (type) {
    case T_UNREACH:
        return code < 16 ? unreach[code] : NULL;
    case T_REDIRECT:
        return code < 4 ? redirect[code] : NULL;
    case T_TIME_EXCEEDED:
        return code < 2 ? exceeded[code] : NULL;
    case T_PARAM_PROBLEM:
        return code < 3 ? param[code] : NULL;
    default:
        return NULL;
    }
}

const char *wp_icmp_code_name(unsigned proto, unsigned type, unsigned code)
{
    if (proto == WP_PROTO_ICMPV6)
        return wp_icmpv6_code_name(type, code);
    return proto == WP_PROTO_ICMP ? code_name4(type, code) : NULL;
}

/* Query messages carry an identifier and sequence number. */
static int is_query(const wp_layer *l)
{
    switch (l->h.icmp.type) {
    case T_ECHO_REPLY:
    case T_ECHO:
    case T_TIMESTAMP:
    case T_TIMESTAMP_REPLY:
    case T_INFO:
    case T_INFO_REPLY:
    case T_MASK:
    case T_MASK_REPLY:
        return 1;
    default:
        return 0;
    }
}

/* Fragmentation needed (RFC 1191): the low half of the word is the MTU. */
static int is_frag_needed(const wp_layer *l)
{
    return l->h.icmp.type == T_UNREACH && l->h.icmp.code == 4;
}

static int is_redirect(const wp_layer *l)
{
    return l->h.icmp.type == T_REDIRECT;
}

static int is_param_problem(const wp_layer *l)
{
    return l->h.icmp.type == T_PARAM_PROBLEM;
}

static int has_rest(const wp_layer *l)
{
    return !is_query(l) && !is_frag_needed(l) && !is_redirect(l) && !is_param_problem(l);
}

/* Error messages: a quoted IP header and 8 bytes follow the ICMP header. */
static int is_error(uint8_t type)
{
    return type == T_UNREACH || type == T_SOURCE_QUENCH || type == T_REDIRECT ||
           type == T_TIME_EXCEEDED || type == T_PARAM_PROBLEM;
}

static const wp_field fields[] = {
    {.name = "type", .title = "Type", .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, type), .describe = type_name},
    {.name = "code", .title = "Code", .off = 1, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, code)},
    {.name = "checksum", .title = "Checksum", .off = 2, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_icmp_hdr, checksum), .flags = WP_FF_CHECKSUM},
    {.name = "id", .title = "Identifier", .off = 4, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, id), .present = is_query},
    {.name = "seq", .title = "Sequence number", .off = 6, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_icmp_hdr, seq), .present = is_query},
    {.name = "mtu", .title = "Next-hop MTU", .off = 4, .width = 4, .mask = 0x0000ffff, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_icmp_hdr, mtu), .present = is_frag_needed},
    {.name = "gateway", .title = "Gateway address", .off = 4, .width = 4, .fmt = 's',
     .kind = WP_FK_IPV4, WP_FIELD_AT(wp_icmp_hdr, gateway), .present = is_redirect},
    {.name = "pointer", .title = "Pointer", .off = 4, .width = 4, .mask = 0xff000000, .shift = 24,
     .fmt = 'I', .kind = WP_FK_UINT, WP_FIELD_AT(wp_icmp_hdr, pointer),
     .present = is_param_problem},
    {.name = "rest", .title = "Rest of header", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_icmp_hdr, rest), .present = has_rest},
};

const wp_proto_info wp_icmp_info = {"icmp", "Internet Control Message Protocol", "ICMP", fields,
                                    sizeof fields / sizeof fields[0]};

void wp_icmp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ICMP);
    if (!l)
        return;
    wp_icmp_hdr *h = &l->h.icmp;
    h->type = wp_cursor_u8(&c);
    h->code = wp_cursor_u8(&c);
    h->checksum = wp_cursor_be16(&c);
    h->rest = wp_cursor_be32(&c);
    h->id = (uint16_t)(h->rest >> 16);
    h->seq = (uint16_t)h->rest;
    h->mtu = (uint16_t)h->rest;
    h->pointer = (uint8_t)(h->rest >> 24);
    for (int i = 0; i < 4; i++)
        h->gateway[i] = (uint8_t)(h->rest >> (24 - 8 * i));

    /* The message runs to the end the IP total length gives it. */
    uint32_t msg = nx->end > nx->off ? nx->end - nx->off : 0;
    l->hdr_len = 8;
    l->len = msg;
    if (c.err) {
        uint32_t have = (uint32_t)c.len;
        l->flags |= WP_LF_TRUNCATED;
        if (msg < 8 && nx->end <= p->caplen)
            wp_pkt_event(p, l, &ev_short, msg, 8); /* the IP datagram ends, not the capture */
        else
            wp_pkt_event(p, l, &ev_truncated, have, 8);
        l->csum = WP_CSUM_UNVERIFIED;
        nx->proto = WP_PROTO_NONE;
        nx->off += have;
        return;
    }
    wp_pkt_checksum(p, l, l->off, msg, 0, l->off + 2, 0, &ev_csum);
    nx->off += 8;
    /* A quote inside a quote is not followed: only the outer error's quote
     * is the packet that went wrong. */
    if (is_error(h->type) && !(l->flags & WP_LF_QUOTED) && nx->off < nx->end) {
        nx->proto = WP_PROTO_IPV4;
        nx->flags |= WP_LF_QUOTED;
        return;
    }
    nx->proto = WP_PROTO_PAYLOAD;
}
