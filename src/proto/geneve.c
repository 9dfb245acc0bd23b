/* Geneve (RFC 8926): an 8-byte header over UDP (port 6081), then opt_len
 * 4-byte words of options, then what the protocol type names (0x6558: a
 * whole Ethernet frame). Each option is its own layer (like an MPLS label
 * stack entry), so every output shows its class, type and length without a
 * second option format in the renderers. */
#include "proto.h"

static const wp_event_def ev_truncated = {"geneve.truncated",
                                          "capture ends inside the Geneve header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_opts_long = {"geneve.opt_len_invalid",
                                          "Geneve options run past the end of the datagram",
                                          WP_EV_INVALID, " > "};
static const wp_event_def ev_version = {"geneve.version_unsupported",
                                        "Geneve version other than 0: payload not decoded",
                                        WP_EV_NOTE, NULL};
static const wp_event_def ev_opt_truncated = {"geneve-opt.truncated",
                                              "capture ends inside a Geneve option",
                                              WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_opt_long = {"geneve-opt.length_invalid",
                                         "Geneve option runs past the options' end",
                                         WP_EV_INVALID, " > "};

#define GENEVE_HDR 8u

static const wp_field fields[] = {
    {.name = "version", .title = "Version", .width = 1, .mask = 0xc0, .shift = 6, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_geneve_hdr, version)},
    {.name = "opt_len", .title = "Options length (4-byte words)", .width = 1, .mask = 0x3f,
     .fmt = 'B', .kind = WP_FK_UINT, WP_FIELD_AT(wp_geneve_hdr, opt_len)},
    {.name = "o", .title = "OAM frame", .off = 1, .width = 1, .mask = 0x80, .shift = 7,
     .fmt = 'B', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_geneve_hdr, o)},
    {.name = "c", .title = "Critical options present", .off = 1, .width = 1, .mask = 0x40,
     .shift = 6, .fmt = 'B', .kind = WP_FK_BOOL, WP_FIELD_AT(wp_geneve_hdr, c)},
    {.name = "protocol", .title = "Protocol type", .off = 2, .width = 2, .fmt = 'H',
     .kind = WP_FK_UINT, .hex = 1, WP_FIELD_AT(wp_geneve_hdr, protocol),
     .describe = wp_eth_type_name},
    {.name = "vni", .title = "Virtual network identifier", .off = 4, .width = 4,
     .mask = 0xffffff00u, .shift = 8, .fmt = 'I', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_geneve_hdr, vni)},
};

const wp_proto_info wp_geneve_info = {"geneve", "Generic Network Virtualization Encapsulation",
                                      "Geneve", fields, sizeof fields / sizeof fields[0]};

/* The option type's high bit: a tunnel endpoint that does not know a
 * critical option must drop the packet (RFC 8926 section 3.5). */
static const char *opt_type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return (v & 0x80) ? "critical" : NULL;
}

static const wp_field opt_fields[] = {
    {.name = "class", .title = "Option class", .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_geneve_opt_hdr, opt_class)},
    /* one row for the whole type byte, as tshark's geneve.option.type: its
     * high bit (critical) is named by the description, not a row of its own
     * that would leave the diagram a 7-bit rest to mislabel */
    {.name = "type", .title = "Type", .off = 2, .width = 1, .fmt = 'B', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_geneve_opt_hdr, type), .describe = opt_type_name},
    {.name = "length", .title = "Data length (4-byte words)", .off = 3, .width = 1,
     .mask = 0x1f, .fmt = 'B', .kind = WP_FK_UINT, WP_FIELD_AT(wp_geneve_opt_hdr, length)},
};

const wp_proto_info wp_geneve_opt_info = {"geneve-opt", "Geneve option", "Geneve Opt",
                                          opt_fields, sizeof opt_fields / sizeof opt_fields[0]};

/* What follows the options: the protocol type, an EtherType. */
static uint8_t inner_proto(uint16_t protocol)
{
    return protocol == 0x6558 ? WP_PROTO_ETH : (uint8_t)wp_proto_by_ethertype(protocol);
}

void wp_geneve_decode(wp_packet *p, wp_next *nx)
{
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_GENEVE);
    if (!l)
        return;
    wp_geneve_hdr *h = &l->h.geneve;
    uint8_t b0 = wp_cursor_u8(&c), b1 = wp_cursor_u8(&c);
    h->version = (uint8_t)(b0 >> 6);
    h->opt_len = (uint8_t)(b0 & 0x3f);
    h->o = (uint8_t)(b1 >> 7);
    h->c = (uint8_t)((b1 >> 6) & 1);
    h->protocol = wp_cursor_be16(&c);
    h->vni = wp_cursor_be32(&c) >> 8;
    uint32_t optbytes = 4u * h->opt_len;
    /* The fixed part only: the options are layers of their own. */
    l->hdr_len = GENEVE_HDR;
    l->len = nx->end > nx->off ? nx->end - nx->off : 0;
    if (c.err) {
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_truncated, (uint32_t)c.len, GENEVE_HDR);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    nx->off += GENEVE_HDR;
    if (h->version != 0) {
        wp_pkt_event(p, l, &ev_version, h->version, 0);
        nx->proto = WP_PROTO_PAYLOAD;
        return;
    }
    uint32_t room = nx->end > nx->off ? nx->end - nx->off : 0;
    if (optbytes > room) {
        /* opt_len promises more than the datagram holds: the options
         * cannot be trusted, nor where the inner frame starts. */
        wp_pkt_event(p, l, &ev_opts_long, optbytes, room);
        nx->proto = WP_PROTO_NONE;
        return;
    }
    nx->proto = optbytes ? WP_PROTO_GENEVE_OPT : inner_proto(h->protocol);
}

/* The Geneve header these options belong to: the nearest one below. */
static const wp_layer *owner(const wp_packet *p)
{
    for (unsigned i = p->nlayers; i-- > 0;)
        if (p->layers[i].proto == WP_PROTO_GENEVE)
            return &p->layers[i];
    return NULL;
}

void wp_geneve_opt_decode(wp_packet *p, wp_next *nx)
{
    const wp_layer *g = owner(p);
    wp_cursor c;
    wp_pkt_cursor(p, nx, &c);
    wp_layer *l = wp_pkt_push(p, nx, WP_PROTO_GENEVE_OPT);
    if (!l)
        return;
    /* where the options end, as the Geneve header says (the caller checked
     * it lies within the datagram) */
    uint32_t opts_end = g ? g->off + GENEVE_HDR + 4u * g->h.geneve.opt_len : nx->off;
    wp_geneve_opt_hdr *h = &l->h.geneve_opt;
    h->opt_class = wp_cursor_be16(&c);
    h->type = wp_cursor_u8(&c);
    h->length = (uint8_t)(wp_cursor_u8(&c) & 0x1f);
    uint32_t n = 4u + 4u * h->length; /* at least 4: every option moves on */
    l->hdr_len = n;
    l->len = n;
    if (c.err) {
        l->hdr_len = 4;
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_opt_truncated, (uint32_t)c.len, 4);
        nx->proto = WP_PROTO_NONE;
        nx->off = (uint32_t)(nx->off + c.len);
        return;
    }
    uint32_t left = opts_end > nx->off ? opts_end - nx->off : 0;
    uint32_t have = (uint32_t)c.len; /* the bytes captured from here */
    if (n > left) {
        /* The option cannot be trusted, but the Geneve header (checked
         * against the datagram) still says where the options end: the
         * inner frame is decoded from there, as tshark does. */
        wp_pkt_event(p, l, &ev_opt_long, n, left);
        l->hdr_len = left;
        l->len = left;
        if (left > have) {
            /* and the capture ends before the options do */
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_opt_truncated, have, left);
            nx->proto = WP_PROTO_NONE;
            nx->off += have;
            return;
        }
        if (left < 4 || !g) {
            nx->proto = WP_PROTO_NONE;
            return;
        }
        nx->off = opts_end;
        nx->proto = inner_proto(g->h.geneve.protocol);
        return;
    }
    if (n > have) {
        /* the option's data is cut by the capture */
        l->flags |= WP_LF_TRUNCATED;
        wp_pkt_event(p, l, &ev_opt_truncated, have, n);
        nx->proto = WP_PROTO_NONE;
        nx->off += have;
        return;
    }
    nx->off += n;
    if (nx->off < opts_end)
        nx->proto = WP_PROTO_GENEVE_OPT;
    else
        nx->proto = g ? inner_proto(g->h.geneve.protocol) : WP_PROTO_PAYLOAD;
}
