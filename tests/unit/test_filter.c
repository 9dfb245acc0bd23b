/* Unit tests for the display-filter compiler and evaluator (src/filter/).
 *
 * Packets are fixture captures decoded by wirepeel; the values asserted were
 * read with tshark on the same files (udp-tcp-pair: frame 1 UDP
 * 192.0.2.1:40000 -> 192.0.2.2:54321 "hello, mercy", ttl 64; frame 2 TCP
 * SYN 40001 -> 54321; icmp-port-unreachable: frame 2 quotes frame 1, so
 * ip.src is 192.0.2.2 and 192.0.2.1 there; vlan-qinq: tags 200 and 100). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter/filter_int.h"
#include "fixture.h"
#include "wirepeel/filter.h"
#include "wirepeel/flow.h"

/* ---- counting allocations: every malloc of the process goes through
 * these (glibc's own allocator underneath), so a test can tell that
 * matching allocates nothing. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
static volatile long n_allocs;

void *malloc(size_t n)
{
    n_allocs++;
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t m)
{
    n_allocs++;
    return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n)
{
    n_allocs++;
    return __libc_realloc(p, n);
}
void free(void *p)
{
    __libc_free(p);
}

/* Whether expr matches frame i (1-based) of capture name. */
static int match(const char *name, size_t i, const char *expr)
{
    wp_fixture *fx = wp_fixture_load(name);
    wp_packet *p = __libc_malloc(sizeof *p);
    assert_non_null(p);
    wp_fixture_decode(fx, i - 1, p);
    wp_filter_error e;
    wp_filter *f = wp_filter_compile(expr, &e);
    if (!f)
        fail_msg("'%s' did not compile: %s (at %zu)", expr, e.msg, e.pos);
    wp_filter_frame fr = {.number = i};
    int r = wp_filter_match(f, p, &fr);
    wp_filter_free(f);
    __libc_free(p);
    wp_fixture_free(fx);
    return r;
}

/* The frames (1-based bits) of capture name that expr selects. */
static unsigned selects(const char *name, const char *expr)
{
    wp_fixture *fx = wp_fixture_load(name);
    unsigned bits = 0;
    for (size_t i = 1; i <= fx->n && i < 32; i++) {
        wp_fixture_free(fx);
        fx = NULL;
        if (match(name, i, expr))
            bits |= 1u << i;
        fx = wp_fixture_load(name);
    }
    wp_fixture_free(fx);
    return bits;
}

#define F1 (1u << 1)
#define F2 (1u << 2)

/* Compile expr, which must fail; returns the error. */
static wp_filter_error bad(const char *expr)
{
    wp_filter_error e;
    wp_filter *f = wp_filter_compile(expr, &e);
    if (f)
        fail_msg("'%s' compiled, but it is not a valid filter", expr);
    assert_true(e.msg[0] != '\0');
    return e;
}

/* ---- the parser -------------------------------------------------------- */

static void test_filter_proto_alone_is_a_presence_test(void **state)
{
    (void)state;
    assert_int_equal(selects("udp-tcp-pair.pcap", "udp"), F1);
    assert_int_equal(selects("udp-tcp-pair.pcap", "tcp"), F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "ipv4"), F1 | F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "ip"), F1 | F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "arp"), 0);
    assert_int_equal(selects("udp-tcp-pair.pcap", "frame"), F1 | F2);
}

static void test_filter_and_binds_tighter_than_or(void **state)
{
    (void)state;
    /* tcp or (udp and udp): both; (tcp or udp) and udp would be frame 1 */
    assert_int_equal(selects("udp-tcp-pair.pcap", "tcp or udp and udp"), F1 | F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "(tcp or udp) and udp"), F1);
}

static void test_filter_words_and_symbols_are_the_same_operators(void **state)
{
    (void)state;
    assert_int_equal(selects("udp-tcp-pair.pcap", "tcp && !udp"),
                     selects("udp-tcp-pair.pcap", "tcp and not udp"));
    assert_int_equal(selects("udp-tcp-pair.pcap", "tcp || udp"), F1 | F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "ip.ttl eq 64"), F1 | F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "ip.ttl ne 64"), 0);
    assert_int_equal(selects("udp-tcp-pair.pcap", "udp.port gt 50000"), F1);
    assert_int_equal(selects("udp-tcp-pair.pcap", "!!tcp"), F2);
    assert_int_equal(selects("udp-tcp-pair.pcap", "not (not (tcp))"), F2);
}

/* ---- each operator ------------------------------------------------------- */

static void test_filter_numeric_comparisons(void **state)
{
    (void)state;
    const char *c = "udp-tcp-pair.pcap";
    assert_int_equal(selects(c, "tcp.srcport == 40001"), F2);
    assert_int_equal(selects(c, "tcp.srcport < 40001"), 0);
    assert_int_equal(selects(c, "tcp.srcport <= 40001"), F2);
    assert_int_equal(selects(c, "udp.srcport > 39999"), F1);
    assert_int_equal(selects(c, "udp.srcport >= 40001"), 0);
    assert_int_equal(selects(c, "ipv4.ttl == 0x40"), F1 | F2);
    assert_int_equal(selects(c, "ipv4.ttl == 0100"), F1 | F2); /* octal, as in Wireshark */
    assert_int_equal(selects(c, "frame.len == 54"), F1);
    assert_int_equal(selects(c, "frame.cap_len == 74"), F2);
    assert_int_equal(selects(c, "frame.number == 2"), F2);
    assert_int_equal(selects(c, "ip.hdr_len == 20"), F1 | F2); /* IHL x 4 */
    assert_int_equal(selects(c, "tcp.hdr_len == 40"), F2);
    assert_int_equal(selects(c, "udp.length == 20"), F1);
}

static void test_filter_ne_is_all_not_equal_and_tilde_is_any(void **state)
{
    (void)state;
    /* frame 2 holds 192.0.2.2 -> 192.0.2.1 and, quoted, 192.0.2.1 -> .2 */
    const char *c = "icmp-port-unreachable.pcap";
    assert_int_equal(selects(c, "ip.src == 192.0.2.1"), F1 | F2);
    assert_int_equal(selects(c, "ip.src != 192.0.2.1"), 0);
    assert_int_equal(selects(c, "ip.src ~= 192.0.2.1"), F2);
    assert_int_equal(selects(c, "ip.src any_ne 192.0.2.1"), F2);
    assert_int_equal(selects(c, "ip.addr != 192.0.2.9"), F1 | F2);
    assert_int_equal(selects(c, "!(ip.src == 192.0.2.1)"), 0);
    /* a field that is absent: != is false, !(==) is true */
    assert_int_equal(selects("arp.pcap", "ip.src != 1.2.3.4"), 0);
    assert_int_equal(selects("arp.pcap", "!(ip.src == 1.2.3.4)"), F1 | F2);
}

static void test_filter_any_occurrence_of_a_repeated_field(void **state)
{
    (void)state;
    assert_true(match("vlan-qinq.pcap", 1, "vlan.vid == 200"));
    assert_true(match("vlan-qinq.pcap", 1, "vlan.vid == 100"));
    assert_true(match("vlan-qinq.pcap", 1, "vlan.id == 100 and vlan.id == 200"));
    assert_false(match("vlan-qinq.pcap", 1, "vlan.vid != 100"));
    assert_true(match("icmp-port-unreachable.pcap", 2, "udp.port == 33434"));
    assert_true(match("udp-tcp-pair.pcap", 1, "udp.port == 54321"));
    assert_true(match("udp-tcp-pair.pcap", 1, "udp.port == 40000"));
}

static void test_filter_contains_text_and_bytes(void **state)
{
    (void)state;
    const char *c = "udp-tcp-pair.pcap";
    assert_int_equal(selects(c, "frame contains \"mercy\""), F1);
    assert_int_equal(selects(c, "frame contains 68:65:6c"), F1);
    assert_int_equal(selects(c, "frame contains \"\\x68ello\""), F1);
    assert_int_equal(selects(c, "frame contains \"nothere\""), 0);
    /* as in tshark 4.0: contains searches a protocol from its header to the
     * end of what carries it; a slice sees only the header */
    assert_int_equal(selects(c, "udp contains \"hello\""), F1);
    assert_int_equal(selects(c, "ip contains \"hello\""), F1);
    assert_int_equal(selects(c, "udp[8:5] == \"hello\""), 0);
    assert_int_equal(selects(c, "udp[0:9]"), 0);
    assert_int_equal(selects(c, "payload contains \"hello\""), F1);
    assert_int_equal(selects(c, "eth.src contains 00:01"), F1 | F2);
}

static void test_filter_in_sets_ranges_and_blocks(void **state)
{
    (void)state;
    const char *c = "udp-tcp-pair.pcap";
    assert_int_equal(selects(c, "tcp.port in {80, 443, 54321}"), F2);
    assert_int_equal(selects(c, "tcp.port in {80 443}"), 0); /* spaces separate too */
    assert_int_equal(selects(c, "udp.srcport in {1..1023, 39000..40000}"), F1);
    assert_int_equal(selects(c, "ip.dst in {10.0.0.1, 192.0.2.0/24}"), F1 | F2);
    assert_int_equal(selects(c, "ip.dst in {192.0.2.1..192.0.2.9}"), F1 | F2);
}

static void test_filter_bit_tests(void **state)
{
    (void)state;
    const char *c = "tcp-handshake.pcap";
    assert_true(match(c, 1, "tcp.flags & 0x12"));  /* SYN */
    assert_true(match(c, 2, "tcp.flags & 0x12"));  /* SYN ACK */
    assert_false(match(c, 1, "tcp.flags & 0x10")); /* no ACK */
    assert_true(match(c, 1, "tcp.flags.syn == 1 and tcp.flags.ack == 0"));
    assert_true(match(c, 2, "tcp.flags.syn == true && tcp.flags.ack == True"));
    assert_true(match(c, 1, "tcp.flags.ack")); /* present, whatever its value */
    assert_true(match(c, 4, "tcp.flags.push == 1"));
    assert_true(match(c, 4, "tcp.flags.psh == 1"));
    assert_true(match(c, 1, "tcp.flags == 0x002"));
}

static void test_filter_slices(void **state)
{
    (void)state;
    const char *c = "udp-tcp-pair.pcap";
    assert_int_equal(selects(c, "frame[12:2] == 08:00"), F1 | F2);
    assert_int_equal(selects(c, "frame[12:2] == 08-00"), F1 | F2);
    assert_int_equal(selects(c, "frame[12:2] == 0x0800"), F1 | F2);
    assert_int_equal(selects(c, "frame[12-13] == 08:00"), F1 | F2);
    assert_int_equal(selects(c, "ip[0] == 45"), F1 | F2);
    assert_int_equal(selects(c, "ip[0:1] == 0x45"), F1 | F2);
    assert_int_equal(selects(c, "ip[9] == 11"), F1);
    assert_int_equal(selects(c, "frame[-5:] == \"mercy\""), F1);
    assert_int_equal(selects(c, "frame[-1] == 79"), F1);
    assert_int_equal(selects(c, "ip[0:20]"), F1 | F2);
    assert_int_equal(selects(c, "ip[0:21]"), 0); /* past the header: no value */
    assert_int_equal(selects(c, "eth.src[0:3] == 02:00:00"), F1 | F2);
    assert_int_equal(selects(c, "frame[0:2] < 03:00"), F1 | F2);
}

static void test_filter_addresses_and_cidr(void **state)
{
    (void)state;
    assert_true(match("udp-tcp-pair.pcap", 1, "ipv4.src == 192.0.2.0/24"));
    assert_true(match("udp-tcp-pair.pcap", 1, "ip.src == 192.0.2.1/32"));
    assert_false(match("udp-tcp-pair.pcap", 1, "ip.src == 10.0.0.0/8"));
    assert_true(match("udp-tcp-pair.pcap", 1, "ip.src == 0.0.0.0/0"));
    assert_true(match("udp-tcp-pair.pcap", 1, "ip.src < 192.0.2.2"));
    assert_true(match("ipv6-udp.pcap", 1, "ipv6.src == 2001:db8::1"));
    assert_true(match("ipv6-udp.pcap", 1, "ipv6.addr == 2001:db8::/32"));
    assert_true(match("ipv6-udp.pcap", 1, "ipv6.dst == 2001:0db8:0:0:0:0:0:2"));
    assert_false(match("ipv6-udp.pcap", 1, "ipv6.src == fe80::/10"));
    assert_true(match("arp.pcap", 1, "eth.dst == ff:ff:ff:ff:ff:ff"));
    assert_true(match("arp.pcap", 1, "eth.src == 02-00-00-00-00-01"));
    assert_true(match("arp.pcap", 1, "eth.src == 0200.0000.0001"));
    assert_true(match("arp.pcap", 2, "eth.addr == 02:00:00:00:00:01"));
}

static void test_filter_every_alias_resolves(void **state)
{
    (void)state;
    const char *missing = wp_filter_alias_unresolved();
    if (missing)
        fail_msg("alias %s names a field-table row that does not exist", missing);
}

static void test_filter_own_names_of_every_table_row_compile(void **state)
{
    (void)state;
    char expr[160];
    for (unsigned p = 1; p < WP_PROTO_COUNT; p++) {
        const wp_proto_info *pi = wp_proto_get(p);
        wp_filter *f = wp_filter_compile(pi->name, NULL);
        if (!f)
            fail_msg("proto %s does not compile", pi->name);
        wp_filter_free(f);
        for (size_t i = 0; i < pi->nfields; i++) {
            snprintf(expr, sizeof expr, "%s.%s", pi->name, pi->fields[i].name);
            f = wp_filter_compile(expr, NULL);
            if (!f)
                fail_msg("field %s does not compile", expr);
            wp_filter_free(f);
        }
    }
}

static void test_filter_conversation_fields_read_the_flow_annotation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("tcp-handshake.pcap");
    wp_packet *p = __libc_malloc(sizeof *p);
    assert_non_null(p);
    wp_fixture_decode(fx, 3, p);
    wp_flow_ann a;
    memset(&a, 0, sizeof a);
    a.kind = WP_FLOW_TCP;
    a.stream = 3;
    a.has_next = 1;
    a.next_seq = 17;
    a.analysis = WP_FA_RETRANSMISSION | WP_FA_DUP_ACK;
    a.dup_ack_num = 2;
    wp_filter_frame with = {.number = 4, .flow = &a}, without = {.number = 4};
    static const char *const yes[] = {
        "tcp.stream == 3", "flow.stream == 3", "tcp.nxtseq == 17", "tcp.analysis.flags",
        "tcp.analysis.retransmission", "tcp.analysis.duplicate_ack",
        "tcp.analysis.duplicate_ack_num == 2", "not tcp.analysis.out_of_order", "!udp.stream",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        wp_filter *f = wp_filter_compile(yes[i], NULL);
        assert_non_null(f);
        if (!wp_filter_match(f, p, &with))
            fail_msg("'%s' does not match the annotation", yes[i]);
        assert_true(wp_filter_uses_flow(f));
        wp_filter_free(f);
    }
    /* no annotation: the conversation fields are absent */
    wp_filter *f = wp_filter_compile("tcp.stream == 3 or tcp.analysis.flags", NULL);
    assert_false(wp_filter_match(f, p, &without));
    wp_filter_free(f);
    f = wp_filter_compile("tcp.port == 54321", NULL);
    assert_false(wp_filter_uses_flow(f));
    wp_filter_free(f);
    /* an ICMP error's annotation carries only the quoted stream */
    a.events = WP_FLOW_EV_QUOTED;
    f = wp_filter_compile("tcp.stream == 3 and not tcp.analysis.flags", NULL);
    assert_true(wp_filter_match(f, p, &with));
    wp_filter_free(f);
    __libc_free(p);
    wp_fixture_free(fx);
}

/* ---- errors ------------------------------------------------------------- */

static void test_filter_unknown_field_suggests_the_nearest(void **state)
{
    (void)state;
    wp_filter_error e = bad("tcp.flgs == 1");
    assert_int_equal(e.pos, 0);
    assert_int_equal(e.len, 8);
    assert_non_null(strstr(e.msg, "did you mean tcp.flags"));
    e = bad("ip.src == 1.2.3.4 and ip.tll > 3");
    assert_int_equal(e.pos, 22);
    assert_int_equal(e.len, 6);
    assert_non_null(strstr(e.msg, "ip.ttl"));
    char buf[256];
    assert_true(wp_filter_suggest("udp.prot", buf, sizeof buf) >= 1);
    assert_non_null(strstr(buf, "udp.port"));
    assert_int_equal(wp_filter_suggest("qqqqqqqqqqqqqqqq", buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    e = bad("zzzzzzzzzzzz");
    assert_null(strstr(e.msg, "did you mean"));
}

static void test_filter_error_caret_is_under_the_bad_token(void **state)
{
    (void)state;
    wp_filter_error e = bad("ip.ttl == abc");
    assert_int_equal(e.pos, 10);
    assert_int_equal(e.len, 3);
    e = bad("ip.ttl ==");
    assert_int_equal(e.pos, 9);
    e = bad("(tcp or udp");
    assert_int_equal(e.pos, 11);
    e = bad("tcp udp");
    assert_int_equal(e.pos, 4);
    assert_int_equal(e.len, 3);
    e = bad("ip.src == 300.1.1.1");
    assert_int_equal(e.pos, 10);
    e = bad("eth.src == 02:00");
    assert_int_equal(e.pos, 11);
    e = bad("tcp.port == \"80\"");
    assert_int_equal(e.pos, 12);
    e = bad("tcp.flags & 0x12 == 0x12");
    assert_int_equal(e.pos, 17);
    e = bad("tcp.port[0:1] == 00");
    assert_int_equal(e.pos, 8);
    e = bad("tcp.port contains 00");
    assert_int_equal(e.pos, 9);
    e = bad("frame[1:x] == 00");
    assert_int_equal(e.pos, 6);
    e = bad("ip.src < 10.0.0.0/8");
    assert_int_equal(e.pos, 9);
    e = bad("tcp.port in {}");
    assert_int_equal(e.pos, 13);
    e = bad("tcp.port in {5..1}");
    assert_int_equal(e.pos, 13);
    e = bad("frame contains \"abc");
    assert_int_equal(e.pos, 15);
    e = bad("tcp.port = 80");
    assert_int_equal(e.pos, 9);
    e = bad("80 == tcp.port");
    assert_int_equal(e.pos, 0);
    e = bad("");
    e = bad("   ");
    e = bad("tcp |");
    assert_int_equal(e.pos, 4);
}

static void test_filter_error_text_is_message_expression_and_caret(void **state)
{
    (void)state;
    const char *expr = "tcp.port == 80 and\tip.tll > 3";
    wp_filter_error e = bad(expr);
    char buf[512];
    wp_filter_error_text(expr, &e, buf, sizeof buf);
    char want[512];
    snprintf(want, sizeof want, "%s\n    tcp.port == 80 and ip.tll > 3\n"
                                "                       ^~~~~~\n",
             e.msg);
    assert_string_equal(buf, want);
    /* a small buffer gets a cut, terminated text */
    char small[8];
    wp_filter_error_text(expr, &e, small, sizeof small);
    assert_int_equal(strlen(small), 7);
}

static void test_filter_bounds_are_compile_errors(void **state)
{
    (void)state;
    /* 200 tests: more nodes than a program holds */
    static char expr[200 * 8];
    size_t pos = 0;
    for (int i = 0; i < 200; i++)
        pos += (size_t)snprintf(expr + pos, sizeof expr - pos, "%stcp", i ? " or " : "");
    wp_filter_error e = bad(expr);
    assert_non_null(strstr(e.msg, "too long"));
    /* 40 levels of parentheses */
    char deep[128] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "(");
    strcat(deep, "tcp");
    e = bad(deep);
    assert_non_null(strstr(e.msg, "nested"));
    assert_int_equal(e.pos, 32);
    /* more set elements than a program holds */
    pos = (size_t)snprintf(expr, sizeof expr, "tcp.port in {");
    for (int i = 0; i < 200; i++)
        pos += (size_t)snprintf(expr + pos, sizeof expr - pos, "%d,", i);
    snprintf(expr + pos, sizeof expr - pos, "}");
    e = bad(expr);
    assert_non_null(strstr(e.msg, "too many values"));
}

/* ---- evaluation allocates nothing ------------------------------------------ */

static void test_filter_matching_allocates_nothing(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("icmp-port-unreachable.pcap");
    wp_packet *p = __libc_malloc(sizeof *p);
    assert_non_null(p);
    wp_fixture_decode(fx, 1, p);
    wp_filter *f = wp_filter_compile(
        "(ip.addr == 192.0.2.0/24 and udp.port in {1..100, 33434}) or frame contains \"x\" "
        "or tcp.flags & 2 or ip[0:1] == 45 or ip.src != 10.0.0.1 or eth.src ~= "
        "02:00:00:00:00:01",
        NULL);
    assert_non_null(f);
    wp_filter_frame fr = {.number = 2};
    long before = n_allocs;
    int hits = 0;
    for (int i = 0; i < 1000; i++)
        hits += wp_filter_match(f, p, &fr);
    long after = n_allocs;
    assert_int_equal(hits, 1000);
    assert_int_equal(after - before, 0);
    /* and the counter works: a compile does allocate */
    wp_filter *g = wp_filter_compile("tcp", NULL);
    assert_true(n_allocs > after);
    wp_filter_free(g);
    wp_filter_free(f);
    __libc_free(p);
    wp_fixture_free(fx);
}

static void test_filter_null_packet_frame_and_program_are_safe(void **state)
{
    (void)state;
    wp_packet *p = __libc_calloc(1, sizeof *p);
    assert_non_null(p);
    wp_filter *f = wp_filter_compile("frame.number == 0 and not tcp", NULL);
    assert_non_null(f);
    assert_true(wp_filter_match(f, p, NULL)); /* no frame: number 0 */
    assert_false(wp_filter_match(NULL, p, NULL));
    assert_false(wp_filter_match(f, NULL, NULL));
    wp_filter_free(f);
    wp_filter_free(NULL);
    assert_null(wp_filter_compile(NULL, NULL));
    __libc_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_proto_alone_is_a_presence_test),
        cmocka_unit_test(test_filter_and_binds_tighter_than_or),
        cmocka_unit_test(test_filter_words_and_symbols_are_the_same_operators),
        cmocka_unit_test(test_filter_numeric_comparisons),
        cmocka_unit_test(test_filter_ne_is_all_not_equal_and_tilde_is_any),
        cmocka_unit_test(test_filter_any_occurrence_of_a_repeated_field),
        cmocka_unit_test(test_filter_contains_text_and_bytes),
        cmocka_unit_test(test_filter_in_sets_ranges_and_blocks),
        cmocka_unit_test(test_filter_bit_tests),
        cmocka_unit_test(test_filter_slices),
        cmocka_unit_test(test_filter_addresses_and_cidr),
        cmocka_unit_test(test_filter_every_alias_resolves),
        cmocka_unit_test(test_filter_conversation_fields_read_the_flow_annotation),
        cmocka_unit_test(test_filter_own_names_of_every_table_row_compile),
        cmocka_unit_test(test_filter_unknown_field_suggests_the_nearest),
        cmocka_unit_test(test_filter_error_caret_is_under_the_bad_token),
        cmocka_unit_test(test_filter_error_text_is_message_expression_and_caret),
        cmocka_unit_test(test_filter_bounds_are_compile_errors),
        cmocka_unit_test(test_filter_matching_allocates_nothing),
        cmocka_unit_test(test_filter_null_packet_frame_and_program_are_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
