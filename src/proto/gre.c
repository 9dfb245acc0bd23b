/* Generic Routing Encapsulation (RFC 2784, with RFC 2890's key and sequence
 * number): what follows is named by the protocol type, an EtherType
 * (0x6558: a whole Ethernet frame, transparent Ethernet bridging). */
#include "proto.h"

static const wp_event_def ev_truncated = {"gre.truncated", "capture ends inside the GRE header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_version = {"gre.version_unsupported",
                                        "GRE version other than 0 (PPTP's enhanced GRE): "
                                        "payload not decoded",
                                        WP_EV_NOTE, NULL};
static const wp_event_def ev_csum = {"gre.checksum_bad", "GRE checksum does not match",
                                     WP_EV_CHECKSUM, " != "};

#define GRE_C 0x8000u
#define GRE_K 0x2000u
#define GRE_S 0x1000u

/* The optional words follow in the order checksum, key, sequence, each 4
 * bytes and present by its flag: a field's offset depends on the flags
 * before it, so each position has its own row with the same name. */
static int has_csum(const wp_layer *l)
{
    return (l->h.gre.flags & GRE_C) != 0;
}
static int key_at4(const wp_layer *l)
{
    return (l->h.gre.flags & (GRE_C | GRE_K)) == GRE_K;
}
static int key_at8(const wp_layer *l)
{
    return (l->h.gre.flags & (GRE_C | GRE_K)) == (GRE_C | GRE_K);
}
static int seq_at4(const wp_layer *l)
{
    return (l->h.gre.flags & (GRE_C | GRE_K | GRE_S)) == GRE_S;
}
static int seq_at8(const wp_layer *l)
{
    unsigned f = l->h.gre.flags;
    return (f & GRE_S) && ((f & GRE_C) != 0) != ((f & GRE_K) != 0);
}
static int seq_at12(const wp_layer *l)
{
    return (l->h.gre.flags & (GRE_C | GRE_K | GRE_S)) == (GRE_C | GRE_K | GRE_S);
}

static const wp_field fields[] = {
    {.name = "flags", .title = "Flags", .width = 2, .mask = 0xfff8, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_gre_hdr, flags)},
    {.name = "version", .title = "Version", .width = 2, .mask = 0x0007, .fmt = 'H',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gre_hdr, version)},
    {.name = "protocol", .title = "Protocol type", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_gre_hdr, protocol),
     .describe = wp_eth_type_name},
    {.name = "checksum", .title = "Checksum", .off = 4, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_gre_hdr, checksum), .flags = WP_FF_CHECKSUM,
     .present = has_csum},
    {.name = "key", .title = "Key", .off = 4, .width = 4, .fmt = 'I', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_gre_hdr, key), .present = key_at4},
    {.name = "key", .title = "Key", .off = 8, .width = 4, .fmt = 'I', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_gre_hdr, key), .present = key_at8},
    {.name = "seq", .title = "Sequence number", .off = 4, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gre_hdr, seq), .present = seq_at4},
    {.name = "seq", .title = "Sequence number", .off = 8, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gre_hdr, seq), .present = seq_at8},
    {.name = "seq", .title = "Sequence number", .off = 12, .width = 4, .fmt = 'I',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_gre_hdr, seq), .present = seq_at12},
};

const wp_proto_info wp_gre_info = {"gre", "Generic Routing Encapsulation", "GRE", fields,
                                   sizeof fields / sizeof fields[0]};

void wp_gre_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_GRE);
    if (!l)
        return;
    wp_gre_hdr *h = &l->h.gre;
    uint16_t fv = wp_cursor_be16(&c);
    h->flags = fv & 0xfff8;
    h->version = (uint8_t)(fv & 7);
    h->protocol = wp_cursor_be16(&c);
    uint32_t need = 4;
    if (h->flags & GRE_C) {
        h->checksum = wp_cursor_be16(&c);
        wp_cursor_skip(&c, 2); /* reserved1 */
        need += 4;
    }
    if (h->flags & GRE_K) {
        h->key = wp_cursor_be32(&c);
        need += 4;
    }
    if (h->flags & GRE_S) {
        h->seq = wp_cursor_be32(&c);
        need += 4;
    }
    l->hdr_len = need;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        /* The flags promise words the capture does not hold. */
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, need);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    if (h->flags & GRE_C)
        /* over the GRE header and its payload, as RFC 2784 says */
        wp_pkt_checksum(p, l, l->off, l->len, 0, l->off + 4, 0, &ev_csum);
    nx->off += need;
    if (h->version != 0) {
        wp_pkt_event(p, l, &ev_version, h->version, 0);
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    switch (h->protocol) {
    case 0x6558: /* transparent Ethernet bridging */
        nx->proto = WP_PROTO_ETH;
        break;
    case 0x88be: /* ERSPAN: type II has a GRE sequence number, type I none
                  * and no ERSPAN header: the mirrored frame itself */
        nx->proto = (h->flags & GRE_S) ? WP_PROTO_ERSPAN : WP_PROTO_ETH;
        break;
    case 0x22eb: /* ERSPAN type III */
        nx->proto = WP_PROTO_ERSPAN;
        break;
    default:
        nx->proto = (uint8_t)wp_proto_by_ethertype(h->protocol);
        break;
    }
}
