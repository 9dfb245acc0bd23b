/* -o summary: one line a packet, like tcpdump -nn but with the layer stack's
 * innermost addresses, ports and protocol, and a marker for events:
 *   3 22:13:20.000200 192.0.2.1:40000 -> 192.0.2.2:80 TCP [SYN] seq 0 win 64240 len 0, 74 bytes
 * The header structs in packet.h are read directly: this is the hot path. */
#include <string.h>

#include "render_int.h"

static const wp_field *find_field(unsigned proto, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return &pi->fields[i];
    return NULL;
}

/* " (echo request)" from the field's own describe function, if any. */
static void named(wp_sink *s, const wp_layer *l, const char *fname, uint64_t v)
{
    const wp_field *f = find_field(l->proto, fname);
    if (!f || !f->describe)
        return;
    char buf[96];
    buf[0] = '\0';
    const char *d = f->describe(v, buf, sizeof buf);
    if (d && *d) {
        wp_w(s, " (", 2);
        wp_puts(s, d);
        wp_putc(s, ')');
    }
}

static void tcp_flags(wp_sink *s, unsigned flags)
{
    static const char *const names[] = {"FIN", "SYN", "RST", "PSH", "ACK",
                                        "URG", "ECE", "CWR", "AE"};
    int first = 1;
    wp_putc(s, '[');
    for (unsigned b = 0; b < 9; b++) {
        if (!(flags & (1u << b)))
            continue;
        if (!first)
            wp_w(s, ", ", 2);
        first = 0;
        wp_puts(s, names[b]);
    }
    if (flags & 0xe00) {
        if (!first)
            wp_w(s, ", ", 2);
        wp_puts(s, "res 0x");
        wp_sink_hex(s, flags >> 9, 1);
    }
    wp_putc(s, ']');
}

/* A transport layer's source (dst 0) or destination (dst 1) port. */
static uint16_t port_of(const wp_layer *tp, int dst)
{
    if (!tp)
        return 0;
    if (tp->proto == WP_PROTO_TCP)
        return dst ? tp->h.tcp.dport : tp->h.tcp.sport;
    return dst ? tp->h.udp.dport : tp->h.udp.sport;
}

static void addr_port(wp_sink *s, const wp_layer *net, const uint8_t *a, const wp_layer *tp,
                      uint16_t port)
{
    if (net->proto == WP_PROTO_IPV6) {
        if (tp)
            wp_putc(s, '[');
        wp_rv_addr(s, WP_FK_IPV6, a);
        if (tp)
            wp_putc(s, ']');
    } else {
        wp_rv_addr(s, WP_FK_IPV4, a);
    }
    if (tp) {
        wp_putc(s, ':');
        wp_u64(s, port);
    }
}

/* The bytes the innermost header carries (0 when nothing follows it). */
static uint32_t data_len(const wp_packet *p, unsigned from)
{
    for (unsigned i = from; i < p->nlayers; i++)
        if (p->layers[i].proto == WP_PROTO_PAYLOAD || p->layers[i].proto == WP_PROTO_FRAGMENT)
            return p->layers[i].len;
    return 0;
}

static void summary(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    const wp_layer *link = NULL, *net = NULL, *tp = NULL, *top = NULL;
    for (unsigned i = 0; i < p->nlayers; i++) {
        const wp_layer *l = &p->layers[i];
        if (wp_rv_is_data(l) || (l->flags & WP_LF_QUOTED))
            continue;
        top = l;
        switch (l->proto) {
        case WP_PROTO_ETH:
        case WP_PROTO_SLL:
        case WP_PROTO_SLL2:
            if (!link)
                link = l;
            break;
        case WP_PROTO_IPV4:
        case WP_PROTO_IPV6:
        case WP_PROTO_ARP:
            net = l; /* the innermost: a tunnel shows its inner addresses */
            tp = NULL;
            break;
        case WP_PROTO_UDP:
        case WP_PROTO_TCP:
            /* ports only when they were decoded from captured bytes */
            if (!tp && l->hdr_len >= 4 && l->off <= p->caplen && p->caplen - l->off >= 4)
                tp = l;
            break;
        default:
            break;
        }
    }

    wp_u64(s, no);
    wp_putc(s, ' ');
    char ts[WP_TS_STRLEN];
    size_t tn = wp_rv_ts_text(s, p, o, ts);
    const char *tod = memchr(ts, 'T', tn); /* time of day, without the date and Z */
    tod = tod ? tod + 1 : ts;
    wp_w(s, tod, (size_t)(ts + tn - 1 - tod));
    wp_putc(s, ' ');

    if (net && net->proto == WP_PROTO_IPV4 && net->hdr_len >= 20 &&
        !(net->flags & WP_LF_TRUNCATED)) {
        addr_port(s, net, net->h.ipv4.src, tp, port_of(tp, 0));
        wp_w(s, " -> ", 4);
        addr_port(s, net, net->h.ipv4.dst, tp, port_of(tp, 1));
    } else if (net && net->proto == WP_PROTO_IPV6 && !(net->flags & WP_LF_TRUNCATED)) {
        addr_port(s, net, net->h.ipv6.src, tp, port_of(tp, 0));
        wp_w(s, " -> ", 4);
        addr_port(s, net, net->h.ipv6.dst, tp, port_of(tp, 1));
    } else if (net && net->proto == WP_PROTO_ARP && !(net->flags & WP_LF_TRUNCATED)) {
        wp_rv_addr(s, WP_FK_IPV4, net->h.arp.spa);
        wp_w(s, " -> ", 4);
        wp_rv_addr(s, WP_FK_IPV4, net->h.arp.tpa);
    } else if (link && link->proto == WP_PROTO_ETH && !(link->flags & WP_LF_TRUNCATED)) {
        wp_rv_addr(s, WP_FK_MAC, link->h.eth.src);
        wp_w(s, " -> ", 4);
        wp_rv_addr(s, WP_FK_MAC, link->h.eth.dst);
    } else {
        wp_putc(s, '-');
    }
    wp_putc(s, ' ');
    wp_puts(s, top ? wp_proto_get(top->proto)->short_name
                        : (p->nlayers ? wp_proto_get(p->layers[0].proto)->short_name : "-"));

    if (top && !(top->flags & WP_LF_TRUNCATED)) {
        unsigned ti = (unsigned)(top - p->layers);
        switch (top->proto) {
        case WP_PROTO_TCP: {
            const wp_tcp_hdr *t = &top->h.tcp;
            if (top->hdr_len < 20)
                break;
            wp_putc(s, ' ');
            tcp_flags(s, t->flags);
            wp_puts(s, " seq ");
            wp_u64(s, t->seq);
            if (t->flags & 0x10) {
                wp_puts(s, " ack ");
                wp_u64(s, t->ack);
            }
            wp_puts(s, " win ");
            wp_u64(s, t->window);
            wp_puts(s, " len ");
            wp_u64(s, data_len(p, ti + 1));
            break;
        }
        case WP_PROTO_UDP:
            wp_puts(s, " len ");
            wp_u64(s, data_len(p, ti + 1));
            break;
        case WP_PROTO_ICMP:
        case WP_PROTO_ICMPV6: {
            const wp_icmp_hdr *ic = &top->h.icmp;
            wp_puts(s, " type ");
            wp_u64(s, ic->type);
            wp_puts(s, " code ");
            wp_u64(s, ic->code);
            named(s, top, "type", ic->type);
            int echo = top->proto == WP_PROTO_ICMP ? (ic->type == 0 || ic->type == 8)
                                                   : (ic->type == 128 || ic->type == 129);
            if (echo) {
                wp_puts(s, " id ");
                wp_u64(s, ic->id);
                wp_puts(s, " seq ");
                wp_u64(s, ic->seq);
            }
            break;
        }
        case WP_PROTO_ARP:
            wp_puts(s, " op ");
            wp_u64(s, top->h.arp.op);
            named(s, top, "op", top->h.arp.op);
            break;
        case WP_PROTO_IPV4:
            wp_puts(s, " proto ");
            wp_u64(s, top->h.ipv4.proto);
            if (top->h.ipv4.mf || top->h.ipv4.frag_offset) {
                wp_puts(s, " frag id ");
                wp_u64(s, top->h.ipv4.id);
                wp_puts(s, " off ");
                wp_u64(s, top->h.ipv4.frag_offset * 8u);
                if (top->h.ipv4.mf)
                    wp_puts(s, " +");
            }
            break;
        case WP_PROTO_IPV6:
            wp_puts(s, " next ");
            wp_u64(s, top->h.ipv6.next_header);
            break;
        case WP_PROTO_IPV6_FRAG:
            wp_puts(s, " frag id ");
            wp_u64(s, top->h.ext.id);
            wp_puts(s, " off ");
            wp_u64(s, top->h.ext.offset * 8u);
            if (top->h.ext.m)
                wp_puts(s, " +");
            break;
        default:
            break;
        }
    }

    wp_w(s, ", ", 2);
    wp_u64(s, p->caplen);
    if (p->caplen != p->len) {
        wp_puts(s, " of ");
        wp_u64(s, p->len);
    }
    wp_puts(s, " bytes");
    if (p->nevents) {
        wp_w(s, " ! ", 3);
        wp_puts(s, p->events[0].def->code);
        if (p->nevents > 1) {
            wp_w(s, " +", 2);
            wp_u64(s, p->nevents - 1u);
        }
    }
}

void wp_render_summary(wp_sink *s, const wp_packet *p, uint64_t no, const wp_render_opts *o)
{
    summary(s, p, no, o);
    wp_putc(s, '\n');
}

const char *wp_render_summary_line(const wp_packet *p, uint64_t frame_no, char *buf, size_t n)
{
    wp_sink s;
    wp_sink_init_mem(&s, buf, n);
    summary(&s, p, frame_no, NULL);
    wp_sink_term(&s);
    return buf;
}
