/* ICMPv6 (RFC 4443), with neighbour discovery and MLD types named. Error
 * messages (types 1-4) carry as much of the offending IPv6 packet as fits;
 * it is decoded as nested, quoted layers. */
#include "proto.h"

static const wp_event_def ev_truncated = {"icmpv6.truncated",
                                          "capture ends inside the ICMPv6 header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_len_small = {"icmpv6.length_invalid",
                                          "IPv6 payload too short for the ICMPv6 header",
                                          WP_EV_INVALID, " < "};
static const wp_event_def ev_csum = {"icmpv6.checksum_bad", "ICMPv6 checksum does not match",
                                     WP_EV_CHECKSUM, " != "};

enum {
    T_UNREACH = 1,
    T_TOO_BIG = 2,
    T_TIME_EXCEEDED = 3,
    T_PARAM_PROBLEM = 4,
    T_ECHO_REQUEST = 128,
    T_ECHO_REPLY = 129,
};

const char *wp_icmpv6_code_name(unsigned type, unsigned code)
{
    /* RFC 4443 */
    static const char *const unreach[7] = {
        "no route to destination", "communication administratively prohibited",
        "beyond scope of source address", "address unreachable", "port unreachable",
        "source address failed ingress/egress policy", "reject route to destination"};
    static const char *const exceeded[2] = {"hop limit exceeded in transit",
                                            "fragment reassembly time exceeded"};
    static const char *const param[3] = {"erroneous header field",
                                         "unrecognized next header",
                                         "unrecognized IPv6 option"};
    switch (type) {
    case 1:
        return code < 7 ? unreach[code] : NULL;
    case 3:
        return code < 2 ? exceeded[code] : NULL;
    case 4:
        return code < 3 ? param[code] : NULL;
    default:
        return NULL;
    }
}

static const char *type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 1:
        return "Destination unreachable";
    case 2:
        return "Packet too big";
    case 3:
        return "Time exceeded";
    case 4:
        return "Parameter problem";
    case 128:
        return "Echo request";
    case 129:
        return "Echo reply";
    case 130:
        return "Multicast listener query";
    case 131:
        return "Multicast listener report";
    case 132:
        return "Multicast listener done";
    case 133:
        return "Router solicitation";
    case 134:
        return "Router advertisement";
    case 135:
        return "Neighbor solicitation";
    case 136:
        return "Neighbor advertisement";
    case 137:
        return "Redirect";
    case 139:
        return "Node information query";
    case 140:
        return "Node information reply";
    case 143:
        return "Multicast listener report v2";
    default:
        return NULL;
    }
}

/* Types whose header has 4 bytes after the checksum (their meaning depends
 * on the type); others are taken as type, code and checksum only. */
static int has_word(uint8_t type)
{
    return (type >= 1 && type <= 4) || (type >= 128 && type <= 137) || type == 139 ||
           type == 140 || type == 143;
}

static int is_echo(const wp_layer *l)
{
    return l->h.icmp.type == T_ECHO_REQUEST || l->h.icmp.type == T_ECHO_REPLY;
}

static int is_too_big(const wp_layer *l)
{
    return l->h.icmp.type == T_TOO_BIG;
}

static int is_param_problem(const wp_layer *l)
{
    return l->h.icmp.type == T_PARAM_PROBLEM;
}

static int is_unused(const wp_layer *l)
{
    return l->h.icmp.type == T_UNREACH || l->h.icmp.type == T_TIME_EXCEEDED;
}

/* The word after the checksum of the other types (ND flags, MLD delay...). */
static int is_other_word(const wp_layer *l)
{
    uint8_t t = l->h.icmp.type;
    return has_word(t) && !(t >= 1 && t <= 4) && t != T_ECHO_REQUEST && t != T_ECHO_REPLY;
}

static const wp_field fields[] = {
    {.name = "type", .title = "Type", .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, type), .describe = type_name},
    {.name = "code", .title = "Code", .off = 1, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, code)},
    {.name = "checksum", .title = "Checksum", .off = 2, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_icmp_hdr, checksum), .flags = WP_FF_CHECKSUM},
    {.name = "id", .title = "Identifier", .off = 4, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, id), .present = is_echo},
    {.name = "seq", .title = "Sequence number", .off = 6, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_icmp_hdr, seq), .present = is_echo},
    {.name = "mtu", .title = "MTU", .off = 4, .width = 4, .fmt = 'I', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, rest), .present = is_too_big},
    {.name = "pointer", .title = "Pointer", .off = 4, .width = 4, .fmt = 'I', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_icmp_hdr, rest), .present = is_param_problem},
    {.name = "unused", .title = "Unused", .off = 4, .width = 4, .fmt = 'I', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_icmp_hdr, rest), .present = is_unused},
    {.name = "rest", .title = "Rest of header", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_icmp_hdr, rest), .present = is_other_word},
};

const wp_proto_info wp_icmpv6_info = {"icmpv6", "Internet Control Message Protocol v6",
                                      "ICMPv6", fields, sizeof fields / sizeof fields[0]};

void wp_icmpv6_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    uint32_t avail = (uint32_t)c.len; /* inside the IPv6 payload and the capture */
    if (!(nx->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT))) {
        /* A header that runs past the IPv6 payload shows the bytes the frame
         * holds there rather than zeros; only its length is then judged. */
        wp_next wide = *nx;
        wide.end = p->caplen;
        wp_pkt_cursor(p, &wide, &c);
    }
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ICMPV6);
    if (!l)
        return;
    wp_icmp_hdr *h = &l->h.icmp;
    h->type = wp_cursor_u8(&c);
    h->code = wp_cursor_u8(&c);
    h->checksum = wp_cursor_be16(&c);
    uint32_t need = 4;
    if (has_word(h->type)) {
        need = 8;
        h->rest = wp_cursor_be32(&c);
        h->id = (uint16_t)(h->rest >> 16);
        h->seq = (uint16_t)h->rest;
    }
    /* The message is what the IPv6 payload length leaves for it. */
    uint32_t msg = nx->end > nx->off ? nx->end - nx->off : 0;
    l->hdr_len = need;
    l->len = msg;
    if (need > avail) {
        /* Short of the IPv6 payload's own end is a contradiction; short of
         * the capture, a quote or a fragment is a cut. */
        if (need > msg && !(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT))) {
            wp_pkt_event(p, l, &ev_len_small, msg, need);
        } else {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_truncated, avail, need);
        }
        l->csum = WP_CSUM_UNVERIFIED;
        nx->proto = WP_PROTO_NONE;
        nx->off += avail;
        return;
    }

    int have_ip = 0;
    uint32_t pseudo = wp_pkt_pseudo(p, l, msg, 58, &have_ip);
    if (have_ip)
        wp_pkt_checksum(p, l, l->off, msg, pseudo, l->off + 2, 0, &ev_csum);
    else
        l->csum = WP_CSUM_UNVERIFIED;

    nx->off += need;
    nx->proto = WP_PROTO_PAYLOAD;
    /* An error quotes the packet that caused it; a quote inside a quote is
     * not decoded further (no stack sends errors about errors). */
    if (h->type >= T_UNREACH && h->type <= T_PARAM_PROBLEM && !(l->flags & WP_LF_QUOTED) &&
        nx->off < nx->end) {
        nx->flags |= WP_LF_QUOTED;
        nx->proto = WP_PROTO_IPV6;
    }
}
