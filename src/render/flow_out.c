/* The conversation annotations (wp_flow_ann) in the text and JSON outputs:
 * the summary's tail, the layers output's Conversation block, JSON's "flow"
 * object and the fields output's flow rows. The renderers call these with
 * wp_render_opts.flow; only the public sink API is used here. */
#include <stdio.h>
#include <string.h>

#include "render/flow_out.h"

/* rtt in milliseconds with 3 decimals ("0.210"), or "-0.210" */
static void put_ms(wp_sink *s, int64_t ns)
{
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    if (ns < 0)
        wp_sink_putc(s, '-');
    uint64_t us = (v + 500u) / 1000u; /* rounded to the microsecond */
    wp_sink_u64(s, us / 1000u);
    wp_sink_putc(s, '.');
    char d[3];
    unsigned f = (unsigned)(us % 1000u);
    d[0] = (char)('0' + f / 100u);
    d[1] = (char)('0' + f / 10u % 10u);
    d[2] = (char)('0' + f % 10u);
    wp_sink_write(s, d, 3);
}

static const char *kind_name(unsigned k)
{
    switch (k) {
    case WP_FLOW_TCP:
        return "tcp";
    case WP_FLOW_UDP:
        return "udp";
    case WP_FLOW_ICMP:
        return "icmp";
    case WP_FLOW_ICMPV6:
        return "icmpv6";
    default:
        return "none";
    }
}

void wp_flow_out_summary_tail(wp_sink *s, const wp_flow_ann *a)
{
    if (!a || a->kind == WP_FLOW_NONE)
        return;
    if (a->analysis) {
        wp_sink_puts(s, " [");
        int first = 1;
        for (unsigned i = 0; i < WP_FA_COUNT; i++) {
            if (!(a->analysis & (1u << i)))
                continue;
            /* a fast or spurious retransmission is a retransmission too
             * (tshark sets both fields); the summary names the precise one */
            if (i == 0 && (a->analysis & (WP_FA_FAST_RETRANSMISSION |
                                          WP_FA_SPURIOUS_RETRANSMISSION)))
                continue;
            if (!first)
                wp_sink_puts(s, ", ");
            first = 0;
            wp_sink_puts(s, wp_flow_analysis_code(i));
            if ((1u << i) == WP_FA_DUP_ACK) {
                wp_sink_puts(s, " #");
                wp_sink_u64(s, a->dup_ack_num);
            }
        }
        wp_sink_putc(s, ']');
    }
    if (a->reply_to) {
        wp_sink_puts(s, " reply to #");
        wp_sink_u64(s, a->reply_to);
        wp_sink_putc(s, ' ');
        put_ms(s, a->rtt_ns);
        wp_sink_puts(s, " ms");
    }
}

void wp_flow_out_layers(wp_sink *s, const wp_flow_ann *a)
{
    if (!a || a->kind == WP_FLOW_NONE)
        return;
    char b[160];
    wp_sink_puts(s, "  Conversation  ");
    wp_sink_puts(s, kind_name(a->kind));
    wp_sink_puts(s, a->kind == WP_FLOW_TCP ? ".stream " : a->kind == WP_FLOW_UDP ? ".stream "
                                                                                 : " echo ");
    wp_sink_u64(s, a->stream);
    wp_sink_puts(s, a->dir ? ", responder -> originator" : ", originator -> responder");
    if (a->events & WP_FLOW_EV_NEW)
        wp_sink_puts(s, ", first frame");
    wp_sink_putc(s, '\n');
    if (a->kind == WP_FLOW_TCP) {
        snprintf(b, sizeof b, "    seq           Sequence number (relative) %u (raw %u)\n",
                 a->seq, a->raw_seq);
        wp_sink_puts(s, b);
        if (a->has_ack) {
            snprintf(b, sizeof b, "    ack           Acknowledgment (relative)  %u (raw %u)\n",
                     a->ack, a->raw_ack);
            wp_sink_puts(s, b);
        }
        snprintf(b, sizeof b, "    seg_len       Segment length             %u\n", a->seg_len);
        wp_sink_puts(s, b);
        if (a->has_next) {
            snprintf(b, sizeof b, "    next_seq      Next sequence number       %u\n",
                     a->next_seq);
            wp_sink_puts(s, b);
        }
        if (a->window_scale >= 0)
            snprintf(b, sizeof b, "    window        Window (scaled)            %u (%u × %u = %u)\n",
                     a->window, a->window_raw, 1u << a->window_scale, a->window);
        else if (a->window_scale == WP_FLOW_WSCALE_UNKNOWN)
            snprintf(b, sizeof b,
                     "    window        Window                     %u (unscaled: shift unknown, "
                     "the SYNs were not seen)\n",
                     a->window);
        else if (a->tcp_flags & 0x002)
            snprintf(b, sizeof b,
                     "    window        Window                     %u (a SYN's window is never "
                     "scaled)\n",
                     a->window);
        else
            snprintf(b, sizeof b,
                     "    window        Window                     %u (no scaling: the SYNs did "
                     "not both offer it)\n",
                     a->window);
        wp_sink_puts(s, b);
        if (a->irtt_ns) {
            wp_sink_puts(s, "    irtt          Handshake RTT              ");
            put_ms(s, (int64_t)a->irtt_ns);
            wp_sink_puts(s, " ms\n");
        }
        for (unsigned i = 0; i < WP_FA_COUNT; i++) {
            uint32_t bit = 1u << i;
            if (!(a->analysis & bit))
                continue;
            char r[128];
            wp_sink_puts(s, "    ! ");
            wp_sink_puts(s, wp_flow_analysis_code(i));
            wp_sink_puts(s, ": ");
            wp_sink_puts(s, wp_flow_reason(a, bit, r, sizeof r));
            wp_sink_putc(s, '\n');
        }
    }
    if (a->is_request)
        wp_sink_puts(s, "    request       waits for a reply\n");
    if (a->reply_to) {
        wp_sink_puts(s, "    reply_to      Reply to frame             ");
        wp_sink_u64(s, a->reply_to);
        wp_sink_puts(s, ", RTT ");
        put_ms(s, a->rtt_ns);
        wp_sink_puts(s, " ms\n");
    }
    if (a->events & WP_FLOW_EV_EVICTED)
        wp_sink_puts(s, "    ! flow.evicted: the conversation pool was full: the least recently "
                        "active conversation was forgotten\n");
    if (a->events & WP_FLOW_EV_REQ_DROPPED)
        wp_sink_puts(s, "    ! flow.request_dropped: too many requests waiting: the oldest is "
                        "counted unanswered\n");
}

void wp_flow_out_json(wp_sink *s, const wp_flow_ann *a)
{
    if (!a || a->kind == WP_FLOW_NONE)
        return;
    wp_sink_puts(s, ",\"flow\":{\"stream\":");
    wp_sink_u64(s, a->stream);
    if (a->kind == WP_FLOW_TCP) {
        wp_sink_puts(s, ",\"seq\":");
        wp_sink_u64(s, a->seq);
        wp_sink_puts(s, ",\"ack\":");
        if (a->has_ack)
            wp_sink_u64(s, a->ack);
        else
            wp_sink_puts(s, "null");
        wp_sink_puts(s, ",\"next_seq\":");
        wp_sink_u64(s, a->next_seq);
        wp_sink_puts(s, ",\"seg_len\":");
        wp_sink_u64(s, a->seg_len);
        wp_sink_puts(s, ",\"window\":");
        wp_sink_u64(s, a->window);
        wp_sink_puts(s, ",\"window_scale\":");
        if (a->window_scale == WP_FLOW_WSCALE_UNKNOWN)
            wp_sink_puts(s, "null");
        else
            wp_sink_u64(s, a->window_scale > 0 ? (uint64_t)a->window_scale : 0);
        wp_sink_puts(s, ",\"analysis\":[");
        int first = 1;
        for (unsigned i = 0; i < WP_FA_COUNT; i++) {
            if (!(a->analysis & (1u << i)))
                continue;
            if (!first)
                wp_sink_putc(s, ',');
            first = 0;
            wp_sink_putc(s, '"');
            wp_sink_puts(s, wp_flow_analysis_code(i));
            wp_sink_putc(s, '"');
        }
        wp_sink_putc(s, ']');
        if (a->dup_ack_num) {
            wp_sink_puts(s, ",\"dup_ack_num\":");
            wp_sink_u64(s, a->dup_ack_num);
        }
    }
    if (a->reply_to) {
        wp_sink_puts(s, ",\"reply_to\":");
        wp_sink_u64(s, a->reply_to);
        wp_sink_puts(s, ",\"rtt_ms\":");
        put_ms(s, a->rtt_ns);
    }
    wp_sink_putc(s, '}');
}

static void row(wp_sink *s, uint64_t no, const char *name)
{
    wp_sink_u64(s, no);
    wp_sink_puts(s, "\t-:flow\t");
    wp_sink_puts(s, name);
    wp_sink_puts(s, "\t-\t-\t-\t");
}

static void row_u(wp_sink *s, uint64_t no, const char *name, uint64_t v)
{
    row(s, no, name);
    wp_sink_u64(s, v);
    wp_sink_putc(s, '\n');
}

void wp_flow_out_fields(wp_sink *s, uint64_t no, const wp_flow_ann *a)
{
    if (!a || a->kind == WP_FLOW_NONE)
        return;
    row(s, no, "kind");
    wp_sink_puts(s, kind_name(a->kind));
    wp_sink_putc(s, '\n');
    row_u(s, no, "stream", a->stream);
    row_u(s, no, "dir", a->dir);
    if (a->kind == WP_FLOW_TCP) {
        row_u(s, no, "seq", a->seq);
        if (a->has_ack)
            row_u(s, no, "ack", a->ack);
        if (a->has_next)
            row_u(s, no, "next_seq", a->next_seq);
        row_u(s, no, "seg_len", a->seg_len);
        row_u(s, no, "window", a->window);
        if (a->window_scale != WP_FLOW_WSCALE_UNKNOWN)
            row_u(s, no, "window_scale", a->window_scale > 0 ? (uint64_t)a->window_scale : 0);
        for (unsigned i = 0; i < WP_FA_COUNT; i++)
            if (a->analysis & (1u << i)) {
                row(s, no, "analysis");
                wp_sink_puts(s, wp_flow_analysis_code(i));
                wp_sink_putc(s, '\n');
            }
        if (a->dup_ack_num) {
            row_u(s, no, "dup_ack_num", a->dup_ack_num);
            row_u(s, no, "dup_ack_frame", a->a_ref_frame);
        }
    }
    if (a->reply_to) {
        row_u(s, no, "reply_to", a->reply_to);
        row(s, no, "rtt_ms");
        put_ms(s, a->rtt_ns);
        wp_sink_putc(s, '\n');
    }
}
