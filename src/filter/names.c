/* Display-filter names: wirepeel's own (every proto and every field-table
 * row: `tcp`, `ipv4.ttl`), the frame's fields, and Wireshark's common names
 * mapped onto them (`ip.addr`, `tcp.port`, `tcp.flags.syn`), plus the
 * nearest-name suggestions for an unknown one. */
#include <stdio.h>
#include <string.h>

#include "filter_int.h"
#include "wirepeel/flow.h"

/* One place a Wireshark name reads from: a field of a proto by its
 * field-table name (looked up, so the tables stay the one truth), with its
 * derived value (use_mult) or one bit of it. */
typedef struct alias_target {
    uint8_t kind;      /* wpf_cand_kind */
    uint8_t proto;
    const char *field; /* FIELD: the row's name */
    uint8_t use_mult;
    uint32_t bit;
    uint8_t zero_len;
    uint16_t id;       /* FLOW: which conversation field (wpf_flow_field) */
} alias_target;

typedef struct alias {
    const char *name;
    alias_target t[2]; /* the second one: kind 0 when unused */
} alias;

#define F(p, f) {WPF_C_FIELD, WP_PROTO_##p, f, 0, 0, 0, 0}
#define FM(p, f) {WPF_C_FIELD, WP_PROTO_##p, f, 1, 0, 0, 0}
#define FB(p, f, b) {WPF_C_FIELD, WP_PROTO_##p, f, 0, b, 0, 0}
#define P(p) {WPF_C_PROTO, WP_PROTO_##p, NULL, 0, 0, 0, 0}
#define FL(i, b) {WPF_C_FLOW, 0, NULL, 0, b, 0, i}
#define K(k) {k, 0, NULL, 0, 0, 0, 0}

/* Wireshark's names for what wirepeel decodes (as tshark 4.0 spells them). */
static const alias aliases[] = {
    {"frame", {K(WPF_C_FRAME)}},
    {"frame.len", {K(WPF_C_FRAME_LEN)}},
    {"frame.cap_len", {K(WPF_C_FRAME_CAPLEN)}},
    {"frame.number", {K(WPF_C_FRAME_NUMBER)}},
    {"eth.addr", {F(ETH, "src"), F(ETH, "dst")}},
    {"vlan.id", {F(VLAN, "vid")}},
    {"vlan.priority", {F(VLAN, "pcp")}},
    {"vlan.etype", {F(VLAN, "type")}},
    {"arp.opcode", {F(ARP, "op")}},
    {"arp.hw.type", {F(ARP, "htype")}},
    {"arp.proto.type", {F(ARP, "ptype")}},
    {"arp.hw.size", {F(ARP, "hlen")}},
    {"arp.proto.size", {F(ARP, "plen")}},
    {"arp.src.hw_mac", {F(ARP, "sha")}},
    {"arp.src.proto_ipv4", {F(ARP, "spa")}},
    {"arp.dst.hw_mac", {F(ARP, "tha")}},
    {"arp.dst.proto_ipv4", {F(ARP, "tpa")}},
    {"ip", {P(IPV4)}},
    {"ip.version", {F(IPV4, "version")}},
    {"ip.hdr_len", {FM(IPV4, "ihl")}},
    {"ip.dsfield.dscp", {F(IPV4, "dscp")}},
    {"ip.dsfield.ecn", {F(IPV4, "ecn")}},
    {"ip.len", {{WPF_C_FIELD, WP_PROTO_IPV4, "total_len", 0, 0, 1, 0}}},
    {"ip.id", {F(IPV4, "id")}},
    {"ip.flags", {F(IPV4, "flags")}},
    {"ip.flags.df", {F(IPV4, "df")}},
    {"ip.flags.mf", {F(IPV4, "mf")}},
    {"ip.frag_offset", {F(IPV4, "frag_offset")}},
    {"ip.ttl", {F(IPV4, "ttl")}},
    {"ip.proto", {F(IPV4, "proto")}},
    {"ip.checksum", {F(IPV4, "checksum")}},
    {"ip.src", {F(IPV4, "src")}},
    {"ip.dst", {F(IPV4, "dst")}},
    {"ip.addr", {F(IPV4, "src"), F(IPV4, "dst")}},
    {"ipv6.addr", {F(IPV6, "src"), F(IPV6, "dst")}},
    {"ipv6.plen", {F(IPV6, "payload_len")}},
    {"ipv6.nxt", {F(IPV6, "next_header")}},
    {"ipv6.hlim", {F(IPV6, "hop_limit")}},
    {"ipv6.hopopts", {P(IPV6_HOPOPTS)}},
    {"ipv6.routing", {P(IPV6_ROUTE)}},
    {"ipv6.fraghdr", {P(IPV6_FRAG)}},
    {"ipv6.dstopts", {P(IPV6_DSTOPTS)}},
    {"ipv6.fraghdr.more", {F(IPV6_FRAG, "m")}},
    {"ipv6.fraghdr.ident", {F(IPV6_FRAG, "id")}},
    {"icmp.ident", {F(ICMP, "id")}},
    {"icmpv6.echo.identifier", {F(ICMPV6, "id")}},
    {"icmpv6.echo.sequence_number", {F(ICMPV6, "seq")}},
    {"udp.srcport", {F(UDP, "sport")}},
    {"udp.dstport", {F(UDP, "dport")}},
    {"udp.port", {F(UDP, "sport"), F(UDP, "dport")}},
    {"tcp.srcport", {F(TCP, "sport")}},
    {"tcp.dstport", {F(TCP, "dport")}},
    {"tcp.port", {F(TCP, "sport"), F(TCP, "dport")}},
    {"tcp.seq_raw", {F(TCP, "seq")}},
    {"tcp.ack_raw", {F(TCP, "ack")}},
    {"tcp.hdr_len", {FM(TCP, "data_offset")}},
    {"tcp.len", {{WPF_C_SEG_LEN, WP_PROTO_TCP, NULL, 0, 0, 0, 0}}},
    {"tcp.window_size_value", {F(TCP, "window")}},
    {"tcp.urgent_pointer", {F(TCP, "urgent")}},
    {"tcp.flags.fin", {FB(TCP, "flags", 0x001)}},
    {"tcp.flags.syn", {FB(TCP, "flags", 0x002)}},
    {"tcp.flags.reset", {FB(TCP, "flags", 0x004)}},
    {"tcp.flags.rst", {FB(TCP, "flags", 0x004)}},
    {"tcp.flags.push", {FB(TCP, "flags", 0x008)}},
    {"tcp.flags.psh", {FB(TCP, "flags", 0x008)}},
    {"tcp.flags.ack", {FB(TCP, "flags", 0x010)}},
    {"tcp.flags.urg", {FB(TCP, "flags", 0x020)}},
    {"tcp.flags.ece", {FB(TCP, "flags", 0x040)}},
    {"tcp.flags.cwr", {FB(TCP, "flags", 0x080)}},
    {"tcp.flags.ae", {FB(TCP, "flags", 0x100)}},
    /* the conversation fields (the flow annotation: wirepeel's JSON
     * "flow" object, and Wireshark's names for the same) */
    {"flow.stream", {FL(WPF_FL_STREAM, 0)}},
    {"flow.seq", {FL(WPF_FL_SEQ, 0)}},
    {"flow.ack", {FL(WPF_FL_ACK, 0)}},
    {"flow.next_seq", {FL(WPF_FL_NEXT_SEQ, 0)}},
    {"flow.seg_len", {FL(WPF_FL_SEG_LEN, 0)}},
    {"flow.window", {FL(WPF_FL_WINDOW, 0)}},
    {"flow.dup_ack_num", {FL(WPF_FL_DUP_ACK_NUM, 0)}},
    {"flow.reply_to", {FL(WPF_FL_REPLY_TO, 0)}},
    {"tcp.stream", {FL(WPF_FL_TCP_STREAM, 0)}},
    {"udp.stream", {FL(WPF_FL_UDP_STREAM, 0)}},
    {"tcp.nxtseq", {FL(WPF_FL_NEXT_SEQ, 0)}},
    {"tcp.window_size", {FL(WPF_FL_WINDOW, 0)}},
    {"tcp.analysis.flags", {FL(WPF_FL_ANALYSIS, 0xffffffffu)}},
    {"tcp.analysis.retransmission", {FL(WPF_FL_ANALYSIS, WP_FA_RETRANSMISSION)}},
    {"tcp.analysis.fast_retransmission", {FL(WPF_FL_ANALYSIS, WP_FA_FAST_RETRANSMISSION)}},
    {"tcp.analysis.spurious_retransmission",
     {FL(WPF_FL_ANALYSIS, WP_FA_SPURIOUS_RETRANSMISSION)}},
    {"tcp.analysis.out_of_order", {FL(WPF_FL_ANALYSIS, WP_FA_OUT_OF_ORDER)}},
    {"tcp.analysis.lost_segment", {FL(WPF_FL_ANALYSIS, WP_FA_LOST_SEGMENT)}},
    {"tcp.analysis.ack_lost_segment", {FL(WPF_FL_ANALYSIS, WP_FA_ACK_LOST_SEGMENT)}},
    {"tcp.analysis.duplicate_ack", {FL(WPF_FL_ANALYSIS, WP_FA_DUP_ACK)}},
    {"tcp.analysis.duplicate_ack_num", {FL(WPF_FL_DUP_ACK_NUM, 0)}},
    {"tcp.analysis.zero_window", {FL(WPF_FL_ANALYSIS, WP_FA_ZERO_WINDOW)}},
    {"tcp.analysis.zero_window_probe", {FL(WPF_FL_ANALYSIS, WP_FA_ZERO_WINDOW_PROBE)}},
    {"tcp.analysis.zero_window_probe_ack",
     {FL(WPF_FL_ANALYSIS, WP_FA_ZERO_WINDOW_PROBE_ACK)}},
    {"tcp.analysis.keep_alive", {FL(WPF_FL_ANALYSIS, WP_FA_KEEP_ALIVE)}},
    {"tcp.analysis.keep_alive_ack", {FL(WPF_FL_ANALYSIS, WP_FA_KEEP_ALIVE_ACK)}},
    {"tcp.analysis.window_update", {FL(WPF_FL_ANALYSIS, WP_FA_WINDOW_UPDATE)}},
    {"tcp.analysis.window_full", {FL(WPF_FL_ANALYSIS, WP_FA_WINDOW_FULL)}},
    {"tcp.analysis.reused_ports", {FL(WPF_FL_ANALYSIS, WP_FA_REUSED_PORTS)}},
    {"icmp.resp_to", {FL(WPF_FL_ICMP_RESP_TO, 0)}},
    {"sll.pkttype", {F(SLL, "pkttype")}},
    {"sll.hatype", {F(SLL, "hatype")}},
    {"sll.halen", {F(SLL, "halen")}},
    {"sll.etype", {F(SLL, "protocol")}},
    {"null.family", {F(NULL, "family")}},
};

#undef F
#undef FM
#undef FB
#undef P
#undef K
#undef FL

/* The row of proto p's table called name (n bytes), from row `from` on;
 * -1 when there is none. */
static long field_index(unsigned p, const char *name, size_t n, size_t from)
{
    const wp_proto_info *pi = wp_proto_get(p);
    for (size_t i = from; i < pi->nfields; i++)
        if (strlen(pi->fields[i].name) == n && memcmp(pi->fields[i].name, name, n) == 0)
            return (long)i;
    return -1;
}

/* The value type of a field-table row. */
static uint8_t field_vtype(const wp_field *f, uint32_t bit)
{
    if (bit)
        return WPF_V_NUM;
    switch (f->kind) {
    case WP_FK_UINT:
    case WP_FK_BOOL:
        return WPF_V_NUM;
    case WP_FK_MAC:
        return WPF_V_MAC;
    case WP_FK_IPV4:
        return WPF_V_IPV4;
    case WP_FK_IPV6:
        return WPF_V_IPV6;
    default:
        return WPF_V_BYTES;
    }
}

static int add_cand(wpf_ref *r, const wpf_cand *c)
{
    if (r->ncand >= WPF_MAX_CANDS)
        return -1;
    r->cand[r->ncand++] = *c;
    return 0;
}

static int resolve_alias(const char *name, size_t n, wpf_ref *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        const alias *a = &aliases[i];
        if (strlen(a->name) != n || memcmp(a->name, name, n) != 0)
            continue;
        for (size_t k = 0; k < 2 && a->t[k].kind; k++) {
            const alias_target *t = &a->t[k];
            wpf_cand c = {.kind = t->kind, .proto = t->proto, .use_mult = t->use_mult,
                          .bit = t->bit, .zero_len = t->zero_len, .field = t->id};
            uint8_t vt = WPF_V_NUM;
            if (t->kind == WPF_C_FIELD) {
                long fi = field_index(t->proto, t->field, strlen(t->field), 0);
                if (fi < 0)
                    return -1; /* a table lost the row: the unit test notices */
                c.field = (uint16_t)fi;
                vt = field_vtype(&wp_proto_get(t->proto)->fields[fi], t->bit);
            } else if (t->kind == WPF_C_PROTO || t->kind == WPF_C_FRAME) {
                vt = WPF_V_BYTES;
            }
            if (add_cand(r, &c) != 0)
                return -1;
            r->vtype = vt;
        }
        return 0;
    }
    return -1;
}

/* The proto whose name is the n bytes at name; WP_PROTO_NONE if none. */
static unsigned proto_by_name(const char *name, size_t n)
{
    for (unsigned p = WP_PROTO_NONE + 1; p < WP_PROTO_COUNT; p++) {
        const char *pn = wp_proto_get(p)->name;
        if (strlen(pn) == n && memcmp(pn, name, n) == 0)
            return p;
    }
    return WP_PROTO_NONE;
}

int wp_filter_resolve_name(const char *name, size_t n, wpf_ref *r)
{
    memset(r, 0, sizeof *r);
    if (n == 0 || n > WPF_NAME_MAX)
        return -1;
    const char *dot = memchr(name, '.', n);
    size_t pl = dot ? (size_t)(dot - name) : n;
    unsigned p = proto_by_name(name, pl);
    if (p != WP_PROTO_NONE) {
        if (!dot) {
            wpf_cand c = {.kind = WPF_C_PROTO, .proto = (uint8_t)p};
            add_cand(r, &c);
            r->vtype = WPF_V_BYTES;
            return 0;
        }
        /* every row of that name (SLL's addr is two rows, one per width) */
        const char *fn = dot + 1;
        size_t fl = n - pl - 1;
        for (long fi = field_index(p, fn, fl, 0); fi >= 0;
             fi = field_index(p, fn, fl, (size_t)fi + 1)) {
            const wp_field *f = &wp_proto_get(p)->fields[fi];
            wpf_cand c = {.kind = WPF_C_FIELD, .proto = (uint8_t)p, .field = (uint16_t)fi};
            if (add_cand(r, &c) != 0)
                break;
            r->vtype = field_vtype(f, 0);
        }
        if (r->ncand)
            return 0;
    }
    memset(r, 0, sizeof *r);
    return resolve_alias(name, n, r);
}

/* ---- suggestions ------------------------------------------------------ */

/* Levenshtein distance of a and b, each cut to WPF_NAME_MAX bytes. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > WPF_NAME_MAX)
        la = WPF_NAME_MAX;
    if (lb > WPF_NAME_MAX)
        lb = WPF_NAME_MAX;
    size_t row[WPF_NAME_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct suggest_ctx {
    const char *name;
    size_t max, n, limit;
    size_t dist[WPF_SUGGEST_MAX];
    char best[WPF_SUGGEST_MAX][WPF_NAME_MAX + 1];
} suggest_ctx;

/* Keep cand if it is among the max nearest so far (ties: first seen). */
static void consider(suggest_ctx *s, const char *cand)
{
    if (strlen(cand) > WPF_NAME_MAX)
        return;
    size_t d = edit_distance(s->name, cand);
    if (d > s->limit)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->best[i], cand) == 0)
            return;
    size_t at = s->n;
    while (at > 0 && s->dist[at - 1] > d)
        at--;
    if (at >= s->max)
        return;
    size_t last = s->n < s->max ? s->n : s->max - 1;
    for (size_t i = last; i > at; i--) {
        memcpy(s->best[i], s->best[i - 1], sizeof s->best[i]);
        s->dist[i] = s->dist[i - 1];
    }
    memcpy(s->best[at], cand, strlen(cand) + 1);
    s->dist[at] = d;
    if (s->n < s->max)
        s->n++;
}

size_t wp_filter_suggest(const char *name, char *buf, size_t n)
{
    suggest_ctx s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.max = WPF_SUGGEST_MAX;
    size_t len = strlen(name);
    s.limit = len / 3 > 2 ? len / 3 : 2;
    char own[2 * WPF_NAME_MAX + 2];
    for (unsigned p = WP_PROTO_NONE + 1; p < WP_PROTO_COUNT; p++) {
        const wp_proto_info *pi = wp_proto_get(p);
        consider(&s, pi->name);
        for (size_t i = 0; i < pi->nfields; i++) {
            snprintf(own, sizeof own, "%s.%s", pi->name, pi->fields[i].name);
            consider(&s, own);
        }
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        consider(&s, aliases[i].name);
    size_t pos = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < s.n && n; i++) {
        int w = snprintf(buf + pos, n - pos, "%s%s", i ? ", " : "", s.best[i]);
        if (w < 0 || (size_t)w >= n - pos)
            break;
        pos += (size_t)w;
    }
    return s.n;
}

const char *wp_filter_alias_unresolved(void)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        wpf_ref r;
        if (resolve_alias(aliases[i].name, strlen(aliases[i].name), &r) != 0)
            return aliases[i].name;
    }
    return NULL;
}
