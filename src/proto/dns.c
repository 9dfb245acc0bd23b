/* DNS (RFC 1035) over UDP port 53: the 12-byte header (id, flags, the four
 * section counts), then the questions and resource records, each kept as one
 * entry of the layer's option list (wp_packet.opts, as IPv4 and TCP options
 * are): the section as the kind, the record's frame offset (where its name
 * starts), its wire length, and its type, class, TTL, rdlength and the
 * offset of its rdata as values. Names are never copied into the packet:
 * wp_dns_name() expands one from the frame, with the same checks the decoder
 * made, into the caller's buffer.
 *
 * Every name walk is bounded: a label consumes its bytes, a compression
 * pointer must point before the segment it is in (so the segments' starts
 * strictly decrease: no loop can last), at most DNS_MAX_HOPS pointers and a
 * name of at most 255 bytes. A pointer to itself or into the segment it ends
 * is a loop (dns.name_loop), one past itself a forward pointer
 * (dns.name_forward_pointer; RFC 1035 and tshark only point back), a length
 * byte with the top bits 01 or 10 a label longer than 63 (dns.label_too_long).
 * A record the capture cuts is a truncation event; the records before it stay
 * decoded. */
#include "proto.h"

/* Records kept a message; the option pool (WP_MAX_OPTS) may hold fewer. */
#define DNS_MAX_RECORDS 32
/* Compression pointers followed in one name (RFC 1035 sets none; 255 bytes
 * of name cannot use more than 127 labels, and pointers must go back). */
#define DNS_MAX_HOPS 32
/* The longest name on the wire (RFC 1035 section 3.1). */
#define DNS_MAX_NAME 255

static const wp_event_def ev_truncated = {"dns.truncated", "capture ends inside the DNS header",
                                          WP_EV_TRUNCATED, " < "};
static const wp_event_def ev_record_cut = {
    "dns.record_truncated", "capture ends inside a DNS record: the records before it are decoded",
    WP_EV_TRUNCATED, " of "};
static const wp_event_def ev_count = {
    "dns.count_exceeds_message",
    "the DNS counts promise more records than the message holds (records found, counted)",
    WP_EV_INVALID, " < "};
static const wp_event_def ev_cap = {
    "dns.record_cap", "more DNS records than wirepeel keeps for one message: the rest is payload",
    WP_EV_NOTE, " > "};
static const wp_event_def ev_loop = {
    "dns.name_loop", "DNS compression pointer loops (pointer at, target)", WP_EV_INVALID, " -> "};
static const wp_event_def ev_forward = {
    "dns.name_forward_pointer",
    "DNS compression pointer points forward (pointer at, target): RFC 1035 points back",
    WP_EV_INVALID, " -> "};
static const wp_event_def ev_label = {
    "dns.label_too_long", "DNS label longer than 63 bytes (length byte 0x40..0xbf; at, byte)",
    WP_EV_INVALID, ": "};
static const wp_event_def ev_name_long = {
    "dns.name_too_long", "DNS name longer than 255 bytes (at, bytes)", WP_EV_INVALID, ": "};
static const wp_event_def ev_hops = {"dns.name_too_many_pointers",
                                     "DNS name follows too many compression pointers",
                                     WP_EV_INVALID, " > "};
static const wp_event_def ev_name_cut = {
    "dns.name_truncated", "capture ends inside a DNS name (at, captured bytes)", WP_EV_TRUNCATED,
    " of "};
static const wp_event_def ev_name_overrun = {
    "dns.name_past_message", "DNS name runs past the end of the message (at, message bytes)",
    WP_EV_INVALID, " of "};
static const wp_event_def ev_rdlength = {
    "dns.rdata_length", "DNS rdata length does not fit the record's type (rdlength, expected)",
    WP_EV_INVALID, " != "};

/* What a name walk found (wp_opt v[5] and v[6] keep it per record). */
enum {
    DN_OK = 0,
    DN_SHORT,   /* ran past the bytes there are */
    DN_LOOP,    /* a pointer to itself or into its own segment */
    DN_FORWARD, /* a pointer past itself */
    DN_LABEL,   /* length byte 0x40..0xbf */
    DN_LONG,    /* over 255 bytes */
    DN_HOPS,    /* over DNS_MAX_HOPS pointers */
};

typedef struct dn_out {
    char *buf;       /* NULL: check only */
    size_t n, pos;
    int cut;         /* text was dropped: the buffer is full */
    uint32_t wire;   /* bytes of the name where it starts (up to its first pointer) */
    uint32_t at;     /* message offset of the byte at fault */
    uint32_t val;    /* the event's second value */
} dn_out;

static void dn_put(dn_out *o, const char *s, size_t k)
{
    if (!o->buf)
        return;
    size_t i = 0;
    for (; i < k && o->pos + 1 < o->n; i++)
        o->buf[o->pos++] = s[i];
    o->buf[o->pos] = '\0';
    if (i < k)
        o->cut = 1;
}

/* One label's bytes as text: printable ASCII as it is, '.', '\\' and the
 * rest as \DDD (RFC 1035 section 5.1's master-file escape). */
static void dn_label(dn_out *o, const uint8_t *b, unsigned k)
{
    if (!o->buf)
        return;
    for (unsigned i = 0; i < k; i++) {
        uint8_t c = b[i];
        if (c > 0x20 && c < 0x7f && c != '.' && c != '\\') {
            char ch = (char)c;
            dn_put(o, &ch, 1);
        } else {
            char e[4] = {'\\', (char)('0' + c / 100), (char)('0' + c / 10 % 10),
                         (char)('0' + c % 10)};
            dn_put(o, e, 4);
        }
    }
}

/* Walk the name at message offset pos of msg[0..avail): returns DN_*, with
 * o->wire set (when the name's own bytes end before the fault) and, when
 * o->buf, the text. Every pass consumes a label's bytes, or follows a pointer
 * to before the segment it is in: at most 128 labels (255 bytes) and
 * DNS_MAX_HOPS pointers. */
static int dn_walk(const uint8_t *msg, uint32_t avail, uint32_t pos, dn_out *o)
{
    uint32_t at = pos, seg = pos, total = 1;
    unsigned hops = 0;
    int jumped = 0;
    o->wire = 0;
    o->pos = 0;
    if (o->buf && o->n)
        o->buf[0] = '\0';
    for (;;) {
        if (at >= avail) {
            o->at = at;
            return DN_SHORT;
        }
        uint8_t b = msg[at];
        if (b == 0) {
            if (!jumped)
                o->wire = at + 1 - pos;
            if (total == 1)
                dn_put(o, "<Root>", 6);
            return DN_OK;
        }
        if ((b & 0xc0) == 0xc0) {
            if (1 > avail - at - 1) {
                o->at = at;
                return DN_SHORT;
            }
            uint32_t tgt = (uint32_t)(b & 0x3f) << 8 | msg[at + 1];
            if (!jumped)
                o->wire = at + 2 - pos;
            o->at = at;
            o->val = tgt;
            if (tgt > at)
                return DN_FORWARD;
            if (tgt >= seg)
                return DN_LOOP;
            if (++hops > DNS_MAX_HOPS)
                return DN_HOPS;
            seg = at = tgt;
            jumped = 1;
            continue;
        }
        if (b & 0xc0) {
            o->at = at;
            o->val = b;
            return DN_LABEL;
        }
        total += (uint32_t)b + 1;
        if (total > DNS_MAX_NAME) {
            o->at = pos;
            o->val = total;
            return DN_LONG;
        }
        if (b > avail - at - 1) {
            o->at = at;
            return DN_SHORT;
        }
        if (total > 1u + b + 1u)
            dn_put(o, ".", 1);
        dn_label(o, msg + at + 1, b);
        at += 1u + b;
    }
}

/* The message's bytes that can be read: captured, and inside the message. */
static uint32_t msg_avail(const wp_packet *p, const wp_layer *l)
{
    uint32_t end = l->avail_end && l->avail_end < p->caplen ? l->avail_end : p->caplen;
    return end > l->off ? end - l->off : 0;
}

const char *wp_dns_name(const wp_packet *p, const wp_layer *l, uint32_t name_off, char *buf,
                        size_t n)
{
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
    if (l->proto != WP_PROTO_DNS || name_off < l->off) {
        dn_out o = {.buf = buf, .n = n};
        dn_put(&o, "<no name>", 9);
        return buf;
    }
    dn_out o = {.buf = buf, .n = n};
    int r = dn_walk(p->data + l->off, msg_avail(p, l), name_off - l->off, &o);
    static const char *const why[] = {"", "<cut>", "<loop>", "<forward pointer>",
                                      "<label too long>", "<too long>", "<too many pointers>"};
    if (r != DN_OK)
        dn_put(&o, why[r], strlen(why[r]));
    if (o.cut && n > 4)
        memcpy(buf + n - 4, "...", 4); /* cut to the caller's buffer: say so */
    return buf;
}

const char *wp_dns_type_name(unsigned type)
{
    switch (type) {
    case 1:
        return "A";
    case 2:
        return "NS";
    case 5:
        return "CNAME";
    case 6:
        return "SOA";
    case 12:
        return "PTR";
    case 15:
        return "MX";
    case 16:
        return "TXT";
    case 28:
        return "AAAA";
    case 33:
        return "SRV";
    case 41:
        return "OPT";
    case 64:
        return "SVCB";
    case 65:
        return "HTTPS";
    case 255:
        return "ANY";
    default:
        return NULL;
    }
}

const char *wp_dns_class_name(unsigned cls)
{
    switch (cls) {
    case 1:
        return "IN";
    case 3:
        return "CH";
    case 4:
        return "HS";
    case 255:
        return "ANY";
    default:
        return NULL;
    }
}

const char *wp_dns_opt_name(unsigned kind)
{
    static const char *const names[] = {"question", "answer", "authority", "additional"};
    return kind < 4 ? names[kind] : NULL;
}

/* Whether the rdata of type is a name (CNAME, NS, PTR). */
static int rdata_is_name(unsigned type)
{
    return type == 5 || type == 2 || type == 12;
}

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
    /* The questions and records, one option each. Named "questions": JSON
     * writes this row as the "questions" array and then the
     * "answers", "authority" and "additional" arrays (value.c). */
    {.name = "questions", .title = "Questions and records", .off = 12, .fmt = 's',
     .kind = WP_FK_OPTIONS},
};

const wp_proto_info wp_dns_info = {"dns", "Domain Name System", "DNS", fields,
                                   sizeof fields / sizeof fields[0]};

/* The event for a name walk's fault r at message offset o->at; base is the
 * message's frame offset, cut whether the capture (not the message) ends
 * first. */
static void name_event(wp_packet *p, const wp_layer *l, int r, const dn_out *o, uint32_t avail,
                       int cut)
{
    uint32_t at = l->off + o->at;
    switch (r) {
    case DN_SHORT:
        if (cut)
            wp_pkt_event(p, l, &ev_name_cut, at, p->caplen);
        else
            wp_pkt_event(p, l, &ev_name_overrun, at, l->off + avail);
        break;
    case DN_LOOP:
        wp_pkt_event(p, l, &ev_loop, at, l->off + o->val);
        break;
    case DN_FORWARD:
        wp_pkt_event(p, l, &ev_forward, at, l->off + o->val);
        break;
    case DN_LABEL:
        wp_pkt_event(p, l, &ev_label, at, o->val);
        break;
    case DN_LONG:
        wp_pkt_event(p, l, &ev_name_long, at, o->val);
        break;
    case DN_HOPS:
        wp_pkt_event(p, l, &ev_hops, DNS_MAX_HOPS + 1, DNS_MAX_HOPS);
        break;
    default:
        break;
    }
}

/* The records after the header, from message offset 12: each one an option
 * of l. Returns the message offset where decoding stopped. */
static uint32_t records(wp_packet *p, wp_layer *l, const wp_next *nx)
{
    const wp_dns_hdr *h = &l->h.dns;
    const uint8_t *msg = p->data + l->off;
    const uint32_t avail = msg_avail(p, l);
    /* the capture, not the message, ends first: a fault there is a cut */
    const int cut = nx->end > p->caplen;
    const uint16_t counts[4] = {h->qdcount, h->ancount, h->nscount, h->arcount};
    uint32_t total = (uint32_t)h->qdcount + h->ancount + h->nscount + h->arcount;
    uint32_t at = 12, found = 0;
    for (unsigned sec = 0; sec < 4; sec++) {
        for (unsigned i = 0; i < counts[sec]; i++) {
            if (found >= DNS_MAX_RECORDS) {
                wp_pkt_event(p, l, &ev_cap, total, DNS_MAX_RECORDS);
                return at;
            }
            if (at >= avail) {
                if (cut)
                    wp_pkt_event(p, l, &ev_record_cut, found, total);
                else
                    wp_pkt_event(p, l, &ev_count, found, total);
                return at;
            }
            dn_out o = {0};
            int r = dn_walk(msg, avail, at, &o);
            if (r != DN_OK) {
                name_event(p, l, r, &o, avail, cut);
                return at;
            }
            uint32_t fixed = at + o.wire, need = sec == 0 ? 4 : 10;
            if (need > avail - fixed) {
                if (cut)
                    wp_pkt_event(p, l, &ev_record_cut, found, total);
                else
                    wp_pkt_event(p, l, &ev_count, found, total);
                return at;
            }
            const uint8_t *b = msg + fixed;
            uint32_t len = o.wire + need, rdlen = 0;
            if (sec > 0) {
                rdlen = wp_get_be16(b + 8);
                if (rdlen > avail - fixed - 10) {
                    if (cut)
                        wp_pkt_event(p, l, &ev_record_cut, found, total);
                    else
                        wp_pkt_event(p, l, &ev_count, found, total);
                    return at;
                }
                len += rdlen;
            }
            wp_opt *op = wp_pkt_opt(p, l);
            if (!op) {
                wp_pkt_event(p, l, &ev_cap, total, found);
                return at;
            }
            op->kind = (uint8_t)sec;
            op->len = (uint16_t)len;
            op->off = l->off + at;
            op->v[0] = wp_get_be16(b);
            op->v[1] = wp_get_be16(b + 2);
            op->nv = 2;
            if (sec > 0) {
                unsigned type = op->v[0];
                op->v[2] = wp_get_be32(b + 4);
                op->v[3] = rdlen;
                op->v[4] = l->off + fixed + 10;
                op->nv = 5;
                uint32_t want = type == 1 ? 4 : type == 28 ? 16 : rdlen;
                if (rdata_is_name(type)) {
                    dn_out rd = {0};
                    int rr = dn_walk(msg, avail, fixed + 10, &rd);
                    if (rr != DN_OK) {
                        op->bad = 1;
                        name_event(p, l, rr, &rd, avail, cut);
                    } else if (rd.wire != rdlen) {
                        op->bad = 1;
                        wp_pkt_event(p, l, &ev_rdlength, rdlen, rd.wire);
                    }
                } else if (want != rdlen) {
                    op->bad = 1;
                    wp_pkt_event(p, l, &ev_rdlength, rdlen, want);
                }
            }
            at += len;
            found++;
        }
    }
    return at;
}

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
    /* Quoted in an ICMP error or carried by a fragment, the message is not
     * all here by design: only its header is read. */
    uint32_t end = 12;
    if (!(l->flags & (WP_LF_QUOTED | WP_LF_FRAGMENT)))
        end = records(p, l, nx);
    l->hdr_len = end;
    nx->off += end;
    nx->proto = WP_PROTO_PAYLOAD;
}
