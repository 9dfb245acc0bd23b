/* ERSPAN, Cisco's encapsulated remote port mirroring, inside GRE
 * (draft-foschiano-erspan): type II (GRE protocol 0x88be with a sequence
 * number: 8 bytes, version 1) and type III (0x22eb: 12 bytes, version 2,
 * and 8 more when its O bit says a platform-specific subheader follows);
 * then the mirrored Ethernet frame. Type I (0x88be without a GRE sequence
 * number) has no ERSPAN header: GRE hands the frame straight to Ethernet. */
#include "proto.h"

static const wp_event_def ev_truncated = {"erspan.truncated",
                                          "capture ends inside the ERSPAN header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_version = {"erspan.version_unsupported",
                                        "ERSPAN version other than 1 (type II) or 2 (type "
                                        "III): payload not decoded",
                                        WP_EV_NOTE, NULL};

static int type2(const wp_layer *l)
{
    return l->h.erspan.version == 1;
}
static int type3(const wp_layer *l)
{
    return l->h.erspan.version == 2;
}

static const wp_field fields[] = {
    {.name = "version", .title = "Version", .width = 2, .mask = 0xf000, .shift = 12,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, version)},
    {.name = "vlan", .title = "VLAN", .width = 2, .mask = 0x0fff, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, vlan)},
    {.name = "cos", .title = "Class of service", .off = 2, .width = 2, .mask = 0xe000,
     .shift = 13, .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, cos)},
    {.name = "encap", .title = "Encapsulation (type III: bad/short/oversized)", .off = 2,
     .width = 2, .mask = 0x1800, .shift = 11, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_erspan_hdr, encap)},
    {.name = "truncated", .title = "Truncated", .off = 2, .width = 2, .mask = 0x0400,
     .shift = 10, .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_erspan_hdr, t)},
    {.name = "session_id", .title = "Session ID", .off = 2, .width = 2, .mask = 0x03ff,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, session_id)},
    {.name = "index", .title = "Index", .off = 4, .width = 4, .mask = 0x000fffffu, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, index), .present = type2},
    {.name = "timestamp", .title = "Timestamp", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, timestamp), .present = type3},
    {.name = "sgt", .title = "Security group tag", .off = 8, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, sgt), .present = type3},
    {.name = "p", .title = "Ethernet PDU", .off = 10, .width = 2, .mask = 0x8000, .shift = 15,
     .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_erspan_hdr, p), .present = type3},
    {.name = "ft", .title = "Frame type", .off = 10, .width = 2, .mask = 0x7c00, .shift = 10,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, ft), .present = type3},
    {.name = "hw", .title = "Hardware ID", .off = 10, .width = 2, .mask = 0x03f0, .shift = 4,
     .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, hw), .present = type3},
    {.name = "d", .title = "Direction (1: egress)", .off = 10, .width = 2, .mask = 0x0008,
     .shift = 3, .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_erspan_hdr, d),
     .present = type3},
    {.name = "gra", .title = "Timestamp granularity", .off = 10, .width = 2, .mask = 0x0006,
     .shift = 1, .fmt = 'H', .kind = WP_FK_UINT, WP_FIELD_AT(wp_erspan_hdr, gra),
     .present = type3},
    {.name = "o", .title = "Platform subheader present", .off = 10, .width = 2,
     .mask = 0x0001, .fmt = 'H', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_erspan_hdr, o),
     .present = type3},
};

const wp_proto_info wp_erspan_info = {"erspan", "Encapsulated Remote Switched Port Analyzer",
                                      "ERSPAN", fields, sizeof fields / sizeof fields[0]};

void wp_erspan_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_ERSPAN);
    if (!l)
        return;
    wp_erspan_hdr *h = &l->h.erspan;
    uint16_t w = wp_cursor_be16(&c);
    h->version = (uint8_t)(w >> 12);
    h->vlan = w & 0x0fff;
    w = wp_cursor_be16(&c);
    h->cos = (uint8_t)(w >> 13);
    h->encap = (uint8_t)((w >> 11) & 3);
    h->t = (uint8_t)((w >> 10) & 1);
    h->session_id = w & 0x03ff;
    uint32_t need = 4;
    if (h->version == 1) {
        h->index = wp_cursor_be32(&c) & 0x000fffffu;
        need = 8;
    } else if (h->version == 2) {
        h->timestamp = wp_cursor_be32(&c);
        h->sgt = wp_cursor_be16(&c);
        w = wp_cursor_be16(&c);
        h->p = (uint8_t)(w >> 15);
        h->ft = (uint8_t)((w >> 10) & 0x1f);
        h->hw = (uint8_t)((w >> 4) & 0x3f);
        h->d = (uint8_t)((w >> 3) & 1);
        h->gra = (uint8_t)((w >> 1) & 3);
        h->o = (uint8_t)(w & 1);
        need = 12;
        if (h->o) {
            wp_cursor_skip(&c, 8); /* platform-specific subheader */
            need = 20;
        }
    }
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
    if (h->version != 1 && h->version != 2) {
        wp_pkt_event(p, l, &ev_version, h->version, 0);
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    /* Type III's frame type 0 is Ethernet; another (IP, ...) stays payload. */
    nx->proto = h->version == 2 && h->ft != 0 ? WP_PROTO_PAYLOAD : WP_PROTO_ETH;
}
