/* TLS records (RFC 8446 section 5.1, RFC 5246 section 6.2): each record's
 * header (content type, version, length); for a Handshake record, the type
 * of its first message, and for a ClientHello, the first host name of its
 * server_name extension (RFC 6066 section 3). Only this segment's bytes: a
 * record the segment or the capture ends inside is a truncation event.
 * Several records in one segment are decoded one by one, each a layer at
 * the same depth with its data as a payload layer inside it. The server
 * name is not copied: the header keeps its frame offset and length. */
#include "proto.h"

/* Caps: records per segment and extensions walked per ClientHello. */
#define TLS_RECORDS_MAX 8u
#define TLS_EXTENSIONS_MAX 64u

static const wp_event_def ev_hdr_cut = {"tls.truncated", "capture ends inside the TLS record header",
                                        WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_record_cut = {
    "tls.record_truncated", "the TLS record goes on past this segment (no reassembly)",
    WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_records_cap = {
    "tls.records_cap", "more TLS records in the segment than wirepeel decodes: the rest is payload",
    WP_EV_NOTE, " >= "};
static const wp_event_def ev_ext_cap = {
    "tls.extensions_cap", "more ClientHello extensions than wirepeel walks", WP_EV_NOTE, " >= "};

static const char *type_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 20:
        return "Change Cipher Spec";
    case 21:
        return "Alert";
    case 22:
        return "Handshake";
    case 23:
        return "Application Data";
    case 24:
        return "Heartbeat";
    default:
        return NULL;
    }
}

static const char *version_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    switch (v) {
    case 0x0300:
        return "SSL 3.0";
    case 0x0301:
        return "TLS 1.0";
    case 0x0302:
        return "TLS 1.1";
    case 0x0303:
        return "TLS 1.2";
    case 0x0304:
        return "TLS 1.3";
    default:
        return NULL;
    }
}

const char *wp_tls_handshake_name(unsigned v)
{
    switch (v) {
    case 0:
        return "Hello Request";
    case 1:
        return "Client Hello";
    case 2:
        return "Server Hello";
    case 4:
        return "New Session Ticket";
    case 8:
        return "Encrypted Extensions";
    case 11:
        return "Certificate";
    case 12:
        return "Server Key Exchange";
    case 13:
        return "Certificate Request";
    case 14:
        return "Server Hello Done";
    case 15:
        return "Certificate Verify";
    case 16:
        return "Client Key Exchange";
    case 20:
        return "Finished";
    default:
        return NULL;
    }
}

static const char *hs_name(uint64_t v, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return wp_tls_handshake_name((unsigned)v);
}

static int has_hs(const wp_layer *l)
{
    return l->h.tls.has_handshake;
}

static const wp_field fields[] = {
    {.name = "content_type", .title = "Content type", .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_tls_hdr, content_type), .describe = type_name},
    {.name = "version", .title = "Version", .off = 1, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     .hex = 1, WP_FIELD_AT(wp_tls_hdr, version), .describe = version_name},
    {.name = "length", .title = "Length", .off = 3, .width = 2, .fmt = 'H', .kind = WP_FK_UINT,
     WP_FIELD_AT(wp_tls_hdr, length)},
    {.name = "handshake_type", .title = "Handshake type", .off = 5, .width = 1, .fmt = 'B',
     .kind = WP_FK_UINT, WP_FIELD_AT(wp_tls_hdr, handshake_type), .present = has_hs,
     .describe = hs_name},
    {.name = "sni", .title = "Server name (SNI)", .fmt = 's', .kind = WP_FK_TEXT,
     WP_FIELD_AT(wp_tls_hdr, sni)},
};

const wp_proto_info wp_tls_info = {"tls", "Transport Layer Security record", "TLS", fields,
                                   sizeof fields / sizeof fields[0]};

int wp_tls_record_start(const uint8_t *b, uint32_t n)
{
    /* content type 20..24, version 3.0 to 3.4 (SSL 3.0 to TLS 1.3) */
    return n >= 3 && b[0] >= 20 && b[0] <= 24 && b[1] == 3 && b[2] <= 4;
}

/* The first host_name of the ClientHello body at b[0..n) (the bytes after
 * the 4-byte handshake header, clipped to the handshake, the record and the
 * capture), at frame offset at, into *sni. A field that runs past n ends
 * the walk: what is cut is not shown. */
static void client_hello_sni(wp_packet *p, wp_layer *l, const uint8_t *b, uint32_t n,
                             uint32_t at, wp_text *sni)
{
    wp_cursor c;
    wp_cursor_init(&c, b, n);
    wp_cursor_skip(&c, 2 + 32);                   /* legacy_version, random */
    wp_cursor_skip(&c, wp_cursor_u8(&c));         /* session id */
    wp_cursor_skip(&c, wp_cursor_be16(&c));       /* cipher suites */
    wp_cursor_skip(&c, wp_cursor_u8(&c));         /* compression methods */
    uint32_t ext_len = wp_cursor_be16(&c);
    if (c.err)
        return;
    size_t end = wp_cursor_remaining(&c) < ext_len ? c.len : c.off + ext_len;
    /* each pass consumes at least the 4-byte extension header */
    for (unsigned k = 0; c.off + 4 <= end; k++) {
        if (k >= TLS_EXTENSIONS_MAX) {
            wp_pkt_event(p, l, &ev_ext_cap, k, TLS_EXTENSIONS_MAX);
            return;
        }
        uint16_t type = wp_cursor_be16(&c), len = wp_cursor_be16(&c);
        if (len > end - c.off)
            return; /* cut: the record already says so */
        if (type != 0) {
            c.off += len;
            continue;
        }
        /* server_name: a list (2-byte length) of (type, 2-byte length, name) */
        size_t le = c.off + len;
        c.off += 2;
        while (c.off + 3 <= le) {
            uint8_t nt = b[c.off];
            uint16_t nl = wp_get_be16(b + c.off + 1);
            c.off += 3;
            if (nl > le - c.off)
                return;
            if (nt == 0) {
                sni->off = at + (uint32_t)c.off;
                sni->len = nl;
                return;
            }
            c.off += nl;
        }
        return;
    }
}

void wp_tls_decode(wp_packet *p, wp_next *nx)
{
    uint32_t end = wp_pkt_avail_end(p, nx); /* captured, within the segment */
    uint8_t depth = nx->depth;
    wp_layer *l = NULL;
    /* Each pass decodes one record and moves past it (at least the 5-byte
     * header); at most TLS_RECORDS_MAX of them. */
    for (unsigned k = 0;; k++) {
        if (k == TLS_RECORDS_MAX) {
            wp_pkt_event(p, l, &ev_records_cap, k, TLS_RECORDS_MAX);
            break;
        }
        if (k > 0) {
            /* the previous record's data: a payload layer inside it */
            uint32_t d = l->off + l->hdr_len;
            wp_next dn = {.proto = WP_PROTO_PAYLOAD, .depth = (uint8_t)(depth + 1), .off = d,
                          .end = nx->off};
            wp_layer *pl = wp_pkt_push(p, &dn, WP_PROTO_PAYLOAD);
            if (!pl)
                return;
            pl->len = nx->off - d;
            nx->depth = depth;
        }
        wp_cursor c;
        wp_pkt_cursor(p, nx, &c);
        l = wp_pkt_push(p, nx, WP_PROTO_TLS);
        if (!l)
            return;
        wp_tls_hdr *h = &l->h.tls;
        h->content_type = wp_cursor_u8(&c);
        h->version = wp_cursor_be16(&c);
        h->length = wp_cursor_be16(&c);
        l->hdr_len = 5;
        uint32_t rec = 5u + h->length;
        uint32_t seg = nx->end > nx->off ? nx->end - nx->off : 0;
        l->len = rec < seg ? rec : seg;
        if (c.err) {
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_hdr_cut, (uint32_t)c.len, 5);
            nx->off += (uint32_t)c.len;
            nx->proto = WP_PROTO_NONE;
            return;
        }
        uint32_t have = (uint32_t)c.len; /* captured bytes from the record's start */
        if (h->content_type == 22 && h->length >= 4 && have >= 6) {
            const uint8_t *m = c.buf + 5;
            uint32_t hs_len = (uint32_t)(have >= 9 ? m[1] << 16 | m[2] << 8 | m[3] : 0);
            /* an encrypted handshake (a TLS 1.2 Finished) has no header to
             * read: a length that does not fit the record says so */
            if (have >= 9 && hs_len + 4 <= h->length) {
                h->has_handshake = 1;
                h->handshake_type = m[0];
                l->hdr_len = 6;
                if (m[0] == 1) {
                    uint32_t body = have - 9 < hs_len ? have - 9 : hs_len;
                    client_hello_sni(p, l, m + 4, body, nx->off + 9, &h->sni);
                }
            }
        }
        if (rec > seg || rec > have) {
            /* the segment or the capture ends inside the record */
            l->flags |= WP_LF_TRUNCATED;
            wp_pkt_event(p, l, &ev_record_cut, rec > seg ? seg : have, rec);
            nx->off += l->hdr_len;
            nx->proto = WP_PROTO_PAYLOAD;
            return;
        }
        nx->off += rec;
        if (nx->off >= end || !wp_tls_record_start(p->data + nx->off, end - nx->off))
            break;
    }
    /* the last record's data (and whatever follows it in the segment): the
     * driver's payload layer, inside it */
    nx->off = l->off + l->hdr_len;
    nx->proto = WP_PROTO_PAYLOAD;
}
