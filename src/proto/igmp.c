/* IGMP (RFC 1112 v1, RFC 2236 v2, RFC 3376 v3; IP protocol 2): type, max
 * response time, checksum over the message and the group address. A v3
 * membership report (0x22) has group records instead of a group; they and
 * a v3 query's sources are shown as payload. */
#include "proto.h"

static const wp_event_def ev_truncated = {"igmp.truncated", "capture ends inside the IGMP header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_csum = {"igmp.checksum_bad", "IGMP checksum does not match",
                                     WP_EV_CHECKSUM, " != "};

static const char *type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0x11:
        return "membership query";
    case 0x12:
        return "v1 membership report";
    case 0x16:
        return "v2 membership report";
    case 0x17:
        return "leave group";
    case 0x22:
        return "v3 membership report";
    default:
        return NULL;
    }
}

static int has_group(const wp_layer *l)
{
    return l->h.igmp.type != 0x22;
}

static const wp_field fields[] = {
    {.name = "type", .title = "Type", .width = 1, .fmt = 'B', .kind = WP_FK_UINT, .hex = 1,
     WP_FIELD_AT(wp_igmp_hdr, type), .describe = type_name},
    {.name = "max_resp", .title = "Max response time", .off = 1, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_igmp_hdr, max_resp)},
    {.name = "checksum", .title = "Checksum", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_igmp_hdr, checksum), .flags = WP_FF_CHECKSUM},
    {.name = "group", .title = "Group address", .off = 4, .width = 4, .fmt = 's',
     .kind = WP_FK_IPV4, WP_FIELD_AT(wp_igmp_hdr, group), .present = has_group},
};

const wp_proto_info wp_igmp_info = {"igmp", "Internet Group Management Protocol", "IGMP",
                                    fields, sizeof fields / sizeof fields[0]};

void wp_igmp_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_IGMP);
    if (!l)
        return;
    wp_igmp_hdr *h = &l->h.igmp;
    h->type = wp_cursor_u8(&c);
    h->max_resp = wp_cursor_u8(&c);
    h->checksum = wp_cursor_be16(&c);
    wp_cursor_bytes(&c, h->group, 4);
    l->hdr_len = 8;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, 8);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    wp_pkt_checksum(p, l, l->off, l->len, 0, l->off + 2, 0, &ev_csum);
    nx->off += 8;
    nx->proto = WP_PROTO_PAYLOAD;
}
