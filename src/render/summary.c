/* -o summary: one line a packet, like tcpdump -nn but with the layer stack's
 * innermost addresses, ports and protocol, and a marker for events:
 *   3 22:13:20.000200 192.0.2.1:40000 -> 192.0.2.2:80 TCP [SYN] seq 0 win 64240 len 0, 74 bytes
 * The header structs in packet.h are read directly: this is the hot path. */
#include <string.h>

#include "render/flow_out.h"
#include "render_int.h"

static const wp_field *find_field(unsigned proto, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return &pi->fields[i];
    return NULL;
}

/* The name the field's own describe function gives v ("echo request"), or
 * NULL; buf[96] may hold it. */
static const char *named(const wp_layer *l, const char *fname, uint64_t v, char buf[96])
{
    const wp_field *f = find_field(l->proto, fname);
    if (!f || !f->describe)
        return NULL;
    buf[0] = '\0';
    const char *d = f->describe(v, buf, 96);
    return d && *d ? d : NULL;
}

/* "[SYN, ACK]": the flag bits in order, then any reserved bits as
 * "res 0x.."; at most 55 bytes (flags is 16 bits: flags >> 9 has at most
 * two hex digits), slack 1. */
static char *tcp_flags(char *o, unsigned flags)
{
    const char(*names)[4] = wp_tcp_flag_names;
    *o++ = '[';
    const char *first = o;
    for (unsigned b = flags & 0x1ff; b; b &= b - 1) {
        unsigned i = (unsigned)__builtin_ctz(b);
        if (o != first)
            o = wp_p_str(o, ", ", 2);
        memcpy(o, names[i], 4);
        o += i == 8 ? 2 : 3;
    }
    if (flags & 0xe00) {
        if (o != first)
            o = wp_p_str(o, ", ", 2);
        o = wp_p_cstr(o, "res 0x");
        o = wp_p_hex(o, flags >> 9, 1);
    }
    *o++ = ']';
    return o;
}

/* A DNS message as tshark's Info column says it: " Standard query 0x1234
 * A www.example.com", " Standard query response 0x1234 No such name A
 * www.example.com SOA ns.example.com": the operation, the id, a response's
 * reply code when not 0, each question's type and name, each record's type
 * and data (an address or a name; other types only their type). */
static void dns_info(wp_sink *s, const wp_packet *p, const wp_layer *l)
{
    static const char *const ops[] = {"Standard query", "Inverse query", "Server status request",
                                      NULL, "Zone change notification", "Dynamic update"};
    static const char *const rcodes[] = {NULL, "Format error", "Server failure", "No such name",
                                         "Not implemented", "Refused"};
    const wp_dns_hdr *d = &l->h.dns;
    char nb[256];
    wp_putc(s, ' ');
    if (d->opcode < 6 && ops[d->opcode]) {
        wp_puts(s, ops[d->opcode]);
    } else {
        wp_puts(s, "Unknown operation (");
        wp_u64(s, d->opcode);
        wp_putc(s, ')');
    }
    if (d->qr)
        wp_puts(s, " response");
    wp_puts(s, " 0x");
    wp_sink_hex(s, d->id, 4);
    if (d->qr && d->rcode) {
        wp_putc(s, ' ');
        if (d->rcode < 6) {
            wp_puts(s, rcodes[d->rcode]);
        } else {
            wp_puts(s, "rcode ");
            wp_u64(s, d->rcode);
        }
    }
    unsigned end = (unsigned)l->opt_first + l->opt_count;
    for (unsigned i = l->opt_first; i < end && i < p->nopts; i++) {
        const wp_opt *o = &p->opts[i];
        const char *tn = wp_dns_type_name(o->v[0]);
        wp_putc(s, ' ');
        if (tn) {
            wp_puts(s, tn);
        } else {
            wp_puts(s, "TYPE");
            wp_u64(s, o->v[0]);
        }
        if (o->kind == 0) {
            wp_putc(s, ' ');
            wp_puts(s, wp_dns_name(p, l, o->off, nb, sizeof nb));
            continue;
        }
        uint32_t type = o->v[0], rdlen = o->v[3], at = o->v[4];
        if (o->nv < 5 || o->bad || at > p->caplen || rdlen > p->caplen - at)
            continue;
        char ab[WP_IPV6_STRLEN + 4];
        if (type == 1 && rdlen == 4) {
            wp_putc(s, ' ');
            wp_w(s, ab, (size_t)(wp_p_ipv4(ab, p->data + at) - ab));
        } else if (type == 28 && rdlen == 16) {
            wp_putc(s, ' ');
            wp_w(s, ab, (size_t)(wp_p_ipv6(ab, p->data + at) - ab));
        } else if (type == 5 || type == 2 || type == 12) {
            wp_putc(s, ' ');
            wp_puts(s, wp_dns_name(p, l, at, nb, sizeof nb));
        }
    }
}

/* A transport layer's source (dst 0) or destination (dst 1) port. */
static uint16_t port_of(const wp_layer *tp, int dst)
{
    if (!tp)
        return 0;
    if (tp->proto == WP_PROTO_TCP)
        return dst ? tp->h.tcp.dport : tp->h.tcp.sport;
    if (tp->proto == WP_PROTO_SCTP)
        return dst ? tp->h.sctp.dport : tp->h.sctp.sport;
    return dst ? tp->h.udp.dport : tp->h.udp.sport;
}

/* An address of the network layer, with its port when there is a transport
 * layer ("192.0.2.1:80", "[2001:db8::1]:80"); at most 53 bytes, slack 3. */
static inline __attribute__((always_inline)) char *addr_port(char *o, int v6, const uint8_t *a,
                                                             const wp_layer *tp, uint16_t port)
{
    if (v6) {
        if (tp)
            *o++ = '[';
        o = wp_p_ipv6(o, a);
        if (tp)
            *o++ = ']';
    } else {
        o = wp_p_ipv4(o, a);
    }
    if (tp) {
        *o++ = ':';
        o = wp_p_u5(o, port);
    }
    return o;
}

/* The bytes the innermost header carries (0 when nothing follows it). */
static uint32_t data_len(const wp_packet *p, unsigned from)
{
    for (unsigned i = from; i < p->nlayers; i++)
        if (p->layers[i].proto == WP_PROTO_PAYLOAD || p->layers[i].proto == WP_PROTO_FRAGMENT)
            return p->layers[i].len;
    return 0;
}

/* The line is written through a pointer in one chunk (see wp_chunk_begin)
 * of at most CHUNK bytes: head (<= 170) + short name (<= NAME_MAX, or a
 * 16-byte copy of one below 16) + tail (<= 148) + event (<= 3 + NAME_MAX +
 * 7) + '\n' + WP_P_SLACK = 394, + 14 for the longest time (put_time: 32
 * instead of 18) + 39 for -e's addresses + 2 + NAME_MAX for the ICMP code's
 * name + 67 for frag_and_ext + 60 for an undecoded link type (12 + 10
 * digits + 1 + a name of <= 24 + 13) = 608. The
 * strings of no fixed length (the short name, an ICMP/ARP name, the event
 * code) put at most NAME_MAX bytes into the chunk; a longer one's rest goes
 * through the sink's checked writes and a new chunk begins with its full
 * bound. See the bounds at each part below. */
enum { NAME_MAX = 32, CHUNK = 620 };

typedef struct line {
    wp_renderer *r; /* NULL: no cache (wp_render_summary_line) */
    wp_sink *s;
    char *b; /* the chunk's start: in s->buf or tmp */
    char tmp[CHUNK];
} line;

/* str into the chunk at o; returns the pointer past it. */
static char *put_name(line *ln, char *o, const char *str)
{
    size_t n = strlen(str);
    if (n <= NAME_MAX)
        return wp_p_str(o, str, n);
    /* longer than any name in the tables: the rest between chunks */
    o = wp_p_str(o, str, NAME_MAX);
    wp_chunk_end(ln->s, ln->b, o, ln->tmp, CHUNK);
    wp_w(ln->s, str + NAME_MAX, n - NAME_MAX);
    return ln->b = wp_chunk_begin(ln->s, CHUNK, ln->tmp);
}

/* Proto's short name into the chunk at o (from the renderer's padded copy: one
 * 16-byte copy instead of a byte loop); returns the pointer past it. */
static char *put_short_name(line *ln, char *o, unsigned proto)
{
    wp_renderer *s = ln->r;
    if (!s || proto >= WP_PROTO_COUNT)
        return put_name(ln, o, wp_proto_get(proto)->short_name);
    unsigned n = s->sn_len[proto];
    if (n == 0) {
        const char *name = wp_proto_get(proto)->short_name;
        size_t k = strlen(name);
        n = k > 0 && k < sizeof s->sn[0] ? (unsigned)k : 0xff;
        if (n != 0xff) {
            memset(s->sn[proto], 0, sizeof s->sn[0]);
            memcpy(s->sn[proto], name, k);
        }
        s->sn_len[proto] = (uint8_t)n;
    }
    if (n == 0xff) /* an empty or long name: the general way */
        return put_name(ln, o, wp_proto_get(proto)->short_name);
    memcpy(o, s->sn[proto], sizeof s->sn[0]);
    return o + n;
}

/* libpcap's name of link types wirepeel does not decode, for the summary
 * of such a frame; NULL for one not listed. */
static const char *linktype_label(int lt)
{
    static const struct {
        int lt;
        const char *name;
    } t[] = {{8, "SLIP"},          {9, "PPP"},         {50, "PPP_HDLC"},
             {51, "PPP_ETHER"},    {104, "C_HDLC"},    {105, "IEEE802_11"},
             {107, "FRELAY"},      {119, "PRISM_HEADER"}, {123, "SUNATM"},
             {127, "IEEE802_11_RADIOTAP"}, {129, "ARCNET_LINUX"}, {138, "APPLE_IP_OVER_IEEE1394"},
             {178, "JUNIPER_ETHER"}, {187, "BLUETOOTH_HCI_H4"}, {189, "USB_LINUX"},
             {195, "IEEE802_15_4_WITHFCS"}, {215, "IEEE802_15_4_NOFCS"}, {220, "USB_LINUX_MMAPPED"},
             {226, "IPNET"},       {231, "DBUS"},      {239, "NFLOG"},
             {242, "INFINIBAND"},  {258, "PKTAP"},     {271, "VSOCK"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].lt == lt)
            return t[i].name;
    return NULL;
}

/* After the protocol's details: "first fragment id 0x...." when the
 * network layer is a first fragment (more to come, offset 0), and the IPv6
 * extension headers the packet went through, as tcpdump names them (HBH,
 * srcrt, frag, DSTOPT). At most 24 + 10 + 5 + 4 x 7 = 67 bytes (a packet holds
 * at most WP_MAX_LAYERS layers, the chain is cut at four names + "..."). */
static char *frag_and_ext(const wp_packet *p, const wp_layer *top, char *o)
{
    const wp_layer *first = NULL;
    unsigned next = 0;
    const char *names[4];
    int more = 0;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (l->flags & WP_LF_QUOTED)
            continue;
        if (l->proto == WP_PROTO_IPV4 && l->h.ipv4.mf && l->h.ipv4.frag_offset == 0 &&
            l != top && l->hdr_len >= 20)
            first = l;
        const char *nm = NULL;
        switch (l->proto) {
        case WP_PROTO_IPV6_HOPOPTS:
            nm = "HBH";
            break;
        case WP_PROTO_IPV6_ROUTE:
            nm = "srcrt";
            break;
        case WP_PROTO_IPV6_FRAG:
            nm = "frag";
            if (l->h.ext.m && l->h.ext.offset == 0 && l != top)
                first = l;
            break;
        case WP_PROTO_IPV6_DSTOPTS:
            nm = "DSTOPT";
            break;
        default:
            break;
        }
        if (nm && l != top) {
            if (next < 4)
                names[next++] = nm;
            else
                more = 1;
        }
    }
    if (next) {
        o = wp_p_cstr(o, " via ");
        for (unsigned i = 0; i < next; i++) {
            if (i)
                *o++ = ',';
            o = wp_p_cstr(o, names[i]);
        }
        if (more)
            o = wp_p_cstr(o, ",...");
    }
    if (first) {
        o = wp_p_cstr(o, " (first fragment, id 0x");
        if (first->proto == WP_PROTO_IPV4)
            o = wp_p_hex(o, first->h.ipv4.id, 4);
        else
            o = wp_p_hex(o, first->h.ext.id, 8);
        *o++ = ')';
    }
    return o;
}

/* The time as tcpdump's -t flags ask (r or its time NULL: the time of day in UTC),
 * then ' '; nothing at all for -t. At most 32 bytes: a date and time of
 * day "YYYY-MM-DD " + 15 + 9 fraction digits, or an epoch of 20 digits and
 * a fraction, or a delta's hours (up to 10^15) and fraction. */
static char *put_time(wp_renderer *r, const wp_packet *p, char *o)
{
    const wp_render_time *ro = r ? r->o.time : NULL;
    int fmt = ro ? ro->fmt : WP_TIME_TOD;
    if (fmt == WP_TIME_NONE)
        return o;
    if (fmt == WP_TIME_EPOCH || fmt == WP_TIME_DELTA) {
        int64_t sec = p->ts_sec;
        int64_t ns = p->ts_nsec > 999999999u ? 999999999 : p->ts_nsec;
        if (fmt == WP_TIME_DELTA) {
            sec -= ro->ref_sec;
            ns -= ro->ref_nsec > 999999999u ? 999999999 : ro->ref_nsec;
            if (ns < 0) {
                ns += 1000000000;
                sec--;
            }
        }
        if (sec < 0) { /* a time before the one it counts from */
            *o++ = '-';
            if (ns) {
                sec++;
                ns = 1000000000 - ns;
            }
            sec = -sec;
        }
        if (fmt == WP_TIME_DELTA) {
            /* HH:MM:SS, the hours in two digits or more, as tcpdump */
            uint64_t h = (uint64_t)sec / 3600u, ms = (uint64_t)sec % 3600u;
            if (h < 10)
                *o++ = '0';
            o = wp_p_u64(o, h);
            *o++ = ':';
            *o++ = (char)('0' + ms / 600u);
            *o++ = (char)('0' + ms / 60u % 10u);
            *o++ = ':';
            *o++ = (char)('0' + ms % 60u / 10u);
            *o++ = (char)('0' + ms % 10u);
        } else {
            o = wp_p_u64(o, (uint64_t)sec);
        }
        wp_packet q = *p;
        q.ts_nsec = (uint32_t)ns;
        /* the fraction exactly as the time of day prints it */
        char tod[40];
        char *e = wp_p_tod(r, &q, tod);
        size_t fl = (size_t)(e - (tod + 8));
        memcpy(o, tod + 8, fl);
        o += fl;
        *o++ = ' ';
        return o;
    }
    wp_packet q;
    const wp_packet *tp = p;
    if (ro && ro->utc_offset) {
        q = *p;
        q.ts_sec += ro->utc_offset;
        tp = &q;
    }
    if (fmt == WP_TIME_DATE) {
        char iso[WP_TS_STRLEN];
        if (wp_fmt_ts(tp->ts_sec, 0, 6, iso) == 27) {
            memcpy(o, iso, 10);
            o[10] = ' ';
            o += 11;
        }
    }
    o = wp_p_tod(r, tp, o);
    *o++ = ' ';
    return o;
}

/* The line for p, and nl (a newline, or 0 for none) at its end. */
/* Text t of the frame at o: at most max bytes (then "..."), printable
 * ASCII as it is and the rest as '.'; <= max + 3 bytes. */
static char *put_text(char *o, const wp_packet *p, wp_text t, uint32_t max)
{
    if (t.off > p->caplen)
        return o;
    uint32_t n = t.len < p->caplen - t.off ? t.len : p->caplen - t.off;
    uint32_t show = n < max ? n : max;
    for (uint32_t i = 0; i < show; i++) {
        uint8_t c = p->data[t.off + i];
        *o++ = c >= 0x20 && c < 0x7f ? (char)c : '.';
    }
    if (show < n)
        o = wp_p_str(o, "...", 3);
    return o;
}

/* As tshark's Info: "GET /index.html HTTP/1.1", "HTTP/1.1 200 OK"; the
 * parts a cut line lacks are left out. <= 1 + 3 x (1 + 64 + 3) = 205;
 * the target and the reason at most 64 bytes each, method and version 16. */
static char *http_tail(char *o, const wp_packet *p, const wp_http_hdr *h)
{
    const wp_text parts[2][3] = {{h->method, h->uri, h->version},
                                 {h->version, h->status, h->reason}};
    const uint32_t max[3] = {16, 64, 64};
    for (unsigned i = 0; i < 3; i++) {
        wp_text t = parts[h->response ? 1 : 0][i];
        if (t.off == 0 || t.len == 0)
            continue;
        *o++ = ' ';
        o = put_text(o, p, t, max[i]);
    }
    return o;
}

/* As tshark's Info: each record of the segment ("Client Hello (SNI=name)",
 * "Server Hello", "Change Cipher Spec", "Application Data"), at most three
 * then " ...": <= 3 x (2 + 24) + " (SNI=" 6 + 48 + 3 + ")" 1 + 4 = 140. */
static char *tls_tail(line *ln, char *o, const wp_packet *p, const wp_layer *top)
{
    const wp_layer *l = top, *first = p->layers;
    /* the segment's first record: the TLS layers at top's depth before it */
    while (l > first && (l[-1].proto == WP_PROTO_TLS || l[-1].proto == WP_PROTO_PAYLOAD) &&
           l[-1].depth >= top->depth)
        l--;
    unsigned n = 0;
    for (; l <= top; l++) {
        if (l->proto != WP_PROTO_TLS || l->depth != top->depth)
            continue;
        if (n == 3) {
            o = wp_p_str(o, " ...", 4);
            break;
        }
        o = n ? wp_p_str(o, ", ", 2) : wp_p_str(o, " ", 1);
        n++;
        const wp_tls_hdr *h = &l->h.tls;
        char nb[96];
        const char *name;
        if (h->has_handshake)
            name = named(l, "handshake_type", h->handshake_type, nb);
        else if (h->content_type == 22)
            name = "Encrypted Handshake Message";
        else
            name = named(l, "content_type", h->content_type, nb);
        if (!name) {
            o = wp_p_cstr(o, h->has_handshake ? "Handshake type " : "Record type ");
            o = wp_p_u5(o, h->has_handshake ? h->handshake_type : h->content_type);
        } else {
            o = put_name(ln, o, name);
        }
        if (h->sni.off) {
            o = wp_p_cstr(o, " (SNI=");
            o = put_text(o, p, h->sni, 48);
            *o++ = ')';
        }
    }
    return o;
}

/* HTTP's or TLS's part of the line (see http_tail, tls_tail). */
static __attribute__((noinline)) char *app_tail(line *ln, char *o, const wp_packet *p,
                                                const wp_layer *top)
{
    if (top->proto == WP_PROTO_HTTP)
        return http_tail(o, p, &top->h.http);
    return tls_tail(ln, o, p, top);
}

static void summary(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no, char nl)
{
    /* What each header is to the line; data layers (wp_rv_is_data: from
     * WP_PROTO_PAYLOAD on) are skipped before the lookup. */
    enum { R_OTHER, R_LINK, R_NET, R_TP, R_VLAN };
    static const uint8_t role[WP_PROTO_PAYLOAD] = {
        [WP_PROTO_ETH] = R_LINK, [WP_PROTO_SLL] = R_LINK, [WP_PROTO_SLL2] = R_LINK,
        [WP_PROTO_IPV4] = R_NET, [WP_PROTO_IPV6] = R_NET, [WP_PROTO_ARP] = R_NET,
        [WP_PROTO_UDP] = R_TP,   [WP_PROTO_TCP] = R_TP,  [WP_PROTO_VLAN] = R_VLAN,
        [WP_PROTO_SCTP] = R_TP,
    };
    const wp_layer *link = NULL, *net = NULL, *tp = NULL, *top = NULL;
    const wp_layer *vlan[2] = {NULL, NULL}; /* the outer two 802.1Q tags */
    unsigned nvlan = 0;
    const wp_layer *l = p->layers, *end = p->layers + p->nlayers;
    for (; l < end; l++) {
        /* quotes inside ICMP errors are not this packet's */
        if (l->proto >= WP_PROTO_PAYLOAD || (l->flags & WP_LF_QUOTED))
            continue;
        top = l;
        switch (role[l->proto]) {
        case R_VLAN:
            if (!(l->flags & WP_LF_TRUNCATED)) {
                if (nvlan < 2)
                    vlan[nvlan] = l;
                nvlan++;
            }
            break;
        case R_LINK:
            if (!link)
                link = l;
            break;
        case R_NET:
            net = l; /* the innermost: a tunnel shows its inner addresses */
            tp = NULL;
            break;
        case R_TP:
            /* ports only when they were decoded from captured bytes */
            if (!tp && l->hdr_len >= 4 && l->off <= p->caplen && p->caplen - l->off >= 4)
                tp = l;
            break;
        default:
            break;
        }
    }

    line ln;
    ln.r = r;
    ln.s = s;
    ln.b = wp_chunk_begin(s, CHUNK, ln.tmp);
    char *o = ln.b;

    /* Head: number (<= 20) ' ' time of day (<= 18) ' ' = 40; VLAN ids
     * "vlan 4095.4095+" and the number of more tags (<= 2 digits: layers
     * are capped) ' ' = 19; addresses: 2 x "[" IPv6 (<= 45) "]:" port
     * (<= 5) + " -> " = 110 (IPv4 with ports 2 x 21 + 4, MAC 2 x 17 + 4,
     * or "-"); ' ': 170. */
    o = wp_p_u64(o, no);
    *o++ = ' ';
    o = put_time(r, p, o);
    if (r && r->o.link_addrs && link && link->proto == WP_PROTO_ETH &&
        !(link->flags & WP_LF_TRUNCATED)) {
        /* -e, as tcpdump: the link-layer addresses first (<= 39 bytes) */
        o = wp_p_mac(o, link->h.eth.src);
        o = wp_p_str(o, " > ", 3);
        o = wp_p_mac(o, link->h.eth.dst);
        o = wp_p_str(o, ", ", 2);
    }
    if (nvlan) {
        /* tcpdump -e shows the tags outermost first: so do we, joined by '.' */
        o = wp_p_cstr(o, "vlan ");
        o = wp_p_u5(o, vlan[0]->h.vlan.vid);
        if (nvlan > 1) {
            *o++ = '.';
            o = wp_p_u5(o, vlan[1]->h.vlan.vid);
        }
        if (nvlan > 2) {
            *o++ = '+';
            o = wp_p_u5(o, nvlan - 2 > 99 ? 99 : nvlan - 2);
        }
        *o++ = ' ';
    }
    if (net && net->proto == WP_PROTO_IPV4 && net->hdr_len >= 20 &&
        !(net->flags & WP_LF_TRUNCATED)) {
        o = addr_port(o, 0, net->h.ipv4.src, tp, port_of(tp, 0));
        o = wp_p_str(o, " -> ", 4);
        o = addr_port(o, 0, net->h.ipv4.dst, tp, port_of(tp, 1));
    } else if (net && net->proto == WP_PROTO_IPV6 && !(net->flags & WP_LF_TRUNCATED)) {
        o = addr_port(o, 1, net->h.ipv6.src, tp, port_of(tp, 0));
        o = wp_p_str(o, " -> ", 4);
        o = addr_port(o, 1, net->h.ipv6.dst, tp, port_of(tp, 1));
    } else if (net && net->proto == WP_PROTO_ARP && !(net->flags & WP_LF_TRUNCATED)) {
        o = wp_p_ipv4(o, net->h.arp.spa);
        o = wp_p_str(o, " -> ", 4);
        o = wp_p_ipv4(o, net->h.arp.tpa);
    } else if (link && link->proto == WP_PROTO_ETH && !(link->flags & WP_LF_TRUNCATED)) {
        o = wp_p_mac(o, link->h.eth.src);
        o = wp_p_str(o, " -> ", 4);
        o = wp_p_mac(o, link->h.eth.dst);
    } else {
        *o++ = '-';
    }
    *o++ = ' ';
    if (top || p->nlayers)
        o = put_short_name(&ln, o, top ? top->proto : p->layers[0].proto);
    else
        *o++ = '-';

    /* Tail: the longest details are TCP's: ' ' flags (<= 55) " seq " 10
     * " ack " 10 " win " 10 (a scaled window) " len " 10 = 116 (ICMP's " type 255 code 255 ("
     * name ") id 65535 seq 65535" <= 40 + NAME_MAX, IPv4's
     * " proto 255 frag id 65535 off 524280 +" 38, the IPv6 fragment's 32),
     * then ", " caplen " of " len " bytes" <= 32: 148. */
    /* A TCP header cut after its fixed 20 bytes (-s 60) still has its
     * flags, seq, ack and window: show them. */
    int tcp_fixed = top && top->proto == WP_PROTO_TCP && top->off <= p->caplen &&
                    p->caplen - top->off >= 20;
    /* HTTP and TLS set only the parts they read whole: a cut line or record
     * still names what it is */
    if (top && (!(top->flags & WP_LF_TRUNCATED) || tcp_fixed || top->proto == WP_PROTO_HTTP ||
                top->proto == WP_PROTO_TLS)) {
        unsigned ti = (unsigned)(top - p->layers);
        switch (top->proto) {
        case WP_PROTO_TCP: {
            const wp_tcp_hdr *t = &top->h.tcp;
            if (top->hdr_len < 20)
                break;
            /* cut short, the data is not in the frame: the length IP gives */
            uint32_t dlen = (top->flags & WP_LF_TRUNCATED)
                                ? (top->len > top->hdr_len ? top->len - top->hdr_len : 0)
                                : data_len(p, ti + 1);
            if (r && r->o.terse) { /* -q */
                o = wp_p_cstr(o, " len ");
                o = wp_p_u64(o, dlen);
                break;
            }
            *o++ = ' ';
            o = tcp_flags(o, t->flags);
            /* the conversation's relative numbers and scaled window, unless
             * -S asks for the header's own */
            uint32_t seq = t->seq, ack = t->ack, win = t->window;
            const wp_flow_ann *fa = r ? r->o.flow : NULL;
            if (fa && fa->kind == WP_FLOW_TCP && !r->o.absolute_seq) {
                seq = fa->seq;
                ack = fa->ack;
                win = fa->window;
            }
            o = wp_p_cstr(o, " seq ");
            o = wp_p_u64(o, seq);
            if (t->flags & 0x10) {
                o = wp_p_cstr(o, " ack ");
                o = wp_p_u64(o, ack);
            }
            o = wp_p_cstr(o, " win ");
            o = wp_p_u64(o, win);
            o = wp_p_cstr(o, " len ");
            o = wp_p_u64(o, dlen);
            break;
        }
        case WP_PROTO_UDP:
            o = wp_p_cstr(o, " len ");
            o = wp_p_u64(o, data_len(p, ti + 1));
            break;
        case WP_PROTO_ICMP:
        case WP_PROTO_ICMPV6: {
            const wp_icmp_hdr *ic = &top->h.icmp;
            char nb[96];
            o = wp_p_cstr(o, " type ");
            o = wp_p_u5(o, ic->type);
            o = wp_p_cstr(o, " code ");
            o = wp_p_u5(o, ic->code);
            const char *d = named(top, "type", ic->type, nb);
            if (d) {
                o = wp_p_str(o, " (", 2);
                o = put_name(&ln, o, d);
                /* the code's meaning too: port unreachable, not only
                 * destination unreachable */
                const char *cn = wp_icmp_code_name(top->proto, ic->type, ic->code);
                if (cn) {
                    o = wp_p_str(o, ": ", 2);
                    o = put_name(&ln, o, cn);
                }
                *o++ = ')';
            }
            int echo = top->proto == WP_PROTO_ICMP ? (ic->type == 0 || ic->type == 8)
                                                   : (ic->type == 128 || ic->type == 129);
            if (echo) {
                o = wp_p_cstr(o, " id ");
                o = wp_p_u5(o, ic->id);
                o = wp_p_cstr(o, " seq ");
                o = wp_p_u5(o, ic->seq);
            }
            break;
        }
        case WP_PROTO_ARP: {
            char nb[96];
            o = wp_p_cstr(o, " op ");
            o = wp_p_u5(o, top->h.arp.op);
            const char *d = named(top, "op", top->h.arp.op, nb);
            if (d) {
                o = wp_p_str(o, " (", 2);
                o = put_name(&ln, o, d);
                *o++ = ')';
            }
            break;
        }
        case WP_PROTO_IPV4:
            o = wp_p_cstr(o, " proto ");
            o = wp_p_u5(o, top->h.ipv4.proto);
            if (top->h.ipv4.mf || top->h.ipv4.frag_offset) {
                o = wp_p_cstr(o, " frag id 0x");
                o = wp_p_hex(o, top->h.ipv4.id, 4);
                o = wp_p_cstr(o, " off ");
                o = wp_p_u64(o, top->h.ipv4.frag_offset * 8u);
                if (top->h.ipv4.mf)
                    o = wp_p_cstr(o, " +");
            }
            break;
        case WP_PROTO_IPV6:
            o = wp_p_cstr(o, " next ");
            o = wp_p_u5(o, top->h.ipv6.next_header);
            break;
        case WP_PROTO_DNS:
            /* as tshark's Info; the names (up to 255 bytes each) go
             * through the sink between two chunks */
            wp_chunk_end(s, ln.b, o, ln.tmp, CHUNK);
            dns_info(s, p, top);
            o = ln.b = wp_chunk_begin(s, CHUNK, ln.tmp);
            break;
        case WP_PROTO_SCTP:
            /* the first chunk's name and how many more (<= 30 bytes) */
            if (top->opt_count && top->opt_first < p->nopts) {
                const char *cn = wp_opt_name(WP_PROTO_SCTP, p->opts[top->opt_first].kind);
                *o++ = ' ';
                if (cn) {
                    o = wp_p_str(o, cn, strlen(cn) > 20 ? 20 : strlen(cn));
                } else {
                    o = wp_p_cstr(o, "chunk ");
                    o = wp_p_u5(o, p->opts[top->opt_first].kind);
                }
                if (top->opt_count > 1) {
                    o = wp_p_cstr(o, " +");
                    o = wp_p_u5(o, top->opt_count - 1u);
                }
            }
            break;
        case WP_PROTO_IPV6_FRAG:
            o = wp_p_cstr(o, " frag id 0x");
            o = wp_p_hex(o, top->h.ext.id, 8);
            o = wp_p_cstr(o, " off ");
            o = wp_p_u64(o, top->h.ext.offset * 8u);
            if (top->h.ext.m)
                o = wp_p_cstr(o, " +");
            break;
        default:
            /* the application layers, out of line (rare next to the rest) */
            if (top->proto == WP_PROTO_HTTP || top->proto == WP_PROTO_TLS)
                o = app_tail(&ln, o, p, top);
            break;
        }
    }
    o = frag_and_ext(p, top, o);
    if (p->nlayers && p->layers[0].proto == WP_PROTO_RAW) {
        /* a link type wirepeel does not decode: say which (<= 60 bytes) */
        o = wp_p_cstr(o, " (link type ");
        o = wp_p_u64(o, (uint32_t)p->linktype);
        const char *ln_name = linktype_label(p->linktype);
        if (ln_name) {
            *o++ = ' ';
            o = wp_p_cstr(o, ln_name);
        }
        o = wp_p_cstr(o, " not decoded)");
    }
    if (r && r->o.flow && (r->o.flow->analysis || r->o.flow->reply_to)) {
        /* " [retransmission]", " reply to #3 0.210 ms" (flow_out.c) */
        wp_chunk_end(s, ln.b, o, ln.tmp, CHUNK);
        wp_flow_out_summary_tail(s, r->o.flow);
        o = ln.b = wp_chunk_begin(s, CHUNK, ln.tmp);
    }
    o = wp_p_str(o, ", ", 2);
    o = wp_p_u64(o, p->caplen);
    if (p->caplen != p->len) {
        o = wp_p_cstr(o, " of ");
        o = wp_p_u64(o, p->len);
    }
    o = wp_p_cstr(o, " bytes");

    /* Event: " ! " code (<= NAME_MAX) " +" and nevents (16 bits, <= 5) = 42;
     * then nl: 1. */
    if (p->nevents) {
        o = wp_p_str(o, " ! ", 3);
        o = put_name(&ln, o, p->events[0].def->code);
        if (p->nevents > 1) {
            o = wp_p_str(o, " +", 2);
            o = wp_p_u5(o, p->nevents - 1u);
        }
    }
    if (nl)
        *o++ = nl;
    wp_chunk_end(s, ln.b, o, ln.tmp, CHUNK);
}

void wp_render_summary(wp_renderer *r, wp_sink *s, const wp_packet *p, uint64_t no)
{
    summary(r, s, p, no, '\n');
}

const char *wp_render_summary_line(const wp_packet *p, uint64_t frame_no, char *buf, size_t n)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, n);
    summary(NULL, &s, p, frame_no, 0);
    wp_sink_term(&s);
    return buf;
}
