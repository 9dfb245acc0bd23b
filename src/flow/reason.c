/* The reasons behind the TCP analysis labels, in numbers, for people: the
 * layers output and the view print them next to each label. */
#include <stdio.h>

#include "wirepeel/flow.h"

const char *wp_flow_reason(const wp_flow_ann *a, uint32_t bit, char *buf, size_t n)
{
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
    if (!a || !(a->analysis & bit))
        return buf;
    unsigned long long ref = (unsigned long long)a->a_ref_frame;
    switch (bit) {
    case WP_FA_RETRANSMISSION:
        if (a->analysis & WP_FA_SPURIOUS_RETRANSMISSION)
            snprintf(buf, n, "seq %u + len %u <= %u already acked by the peer", a->seq,
                     a->seg_len, a->a_rev_ack);
        else if (a->analysis & WP_FA_FAST_RETRANSMISSION)
            snprintf(buf, n, "seq %u = the peer's duplicated ack %u", a->seq, a->a_rev_ack);
        else
            snprintf(buf, n, "seq %u < next expected %u (frame %llu)", a->seq, a->a_next_expected,
                     ref);
        break;
    case WP_FA_FAST_RETRANSMISSION:
        snprintf(buf, n, "seq %u = ack %u repeated by 2+ duplicate ACKs within 20 ms", a->seq,
                 a->a_rev_ack);
        break;
    case WP_FA_SPURIOUS_RETRANSMISSION:
        snprintf(buf, n, "seq %u + len %u = %u <= peer's ack %u: data already acknowledged",
                 a->seq, a->seg_len, a->seq + a->seg_len, a->a_rev_ack);
        break;
    case WP_FA_OUT_OF_ORDER:
        snprintf(buf, n, "seq %u < next expected %u (frame %llu), within %s of it", a->seq,
                 a->a_next_expected, ref, a->irtt_ns ? "the handshake RTT" : "3 ms");
        break;
    case WP_FA_LOST_SEGMENT:
        snprintf(buf, n, "seq %u > next expected %u: %u bytes not captured", a->seq,
                 a->a_next_expected, a->seq - a->a_next_expected);
        break;
    case WP_FA_ACK_LOST_SEGMENT:
        snprintf(buf, n, "ack %u is past every byte seen from the peer", a->ack);
        break;
    case WP_FA_DUP_ACK:
        snprintf(buf, n, "#%u: ack %u, window %u and seq %u as in frame %llu, no data",
                 a->dup_ack_num, a->ack, a->window, a->seq, ref);
        break;
    case WP_FA_ZERO_WINDOW:
        snprintf(buf, n, "window 0: the receiver's buffer is full");
        break;
    case WP_FA_ZERO_WINDOW_PROBE:
        snprintf(buf, n, "1 byte at next expected seq %u while the peer's window is 0", a->seq);
        break;
    case WP_FA_ZERO_WINDOW_PROBE_ACK:
        snprintf(buf, n, "acknowledges a zero-window probe, window still 0");
        break;
    case WP_FA_KEEP_ALIVE:
        snprintf(buf, n, "seq %u = next expected %u - 1, len %u", a->seq, a->a_next_expected,
                 a->seg_len);
        break;
    case WP_FA_KEEP_ALIVE_ACK:
        snprintf(buf, n, "repeats ack %u in answer to a keep-alive", a->ack);
        break;
    case WP_FA_WINDOW_UPDATE:
        snprintf(buf, n, "no data, same seq %u and ack %u, window now %u", a->seq, a->ack,
                 a->window);
        break;
    case WP_FA_WINDOW_FULL:
        snprintf(buf, n, "seq %u + len %u = %u fills the peer's window (%u)", a->seq, a->seg_len,
                 a->seq + a->seg_len, a->a_rev_window);
        break;
    case WP_FA_REUSED_PORTS:
        snprintf(buf, n, "a new SYN (seq %u raw) on the ports of an earlier connection",
                 a->raw_seq);
        break;
    default:
        break;
    }
    return buf;
}
