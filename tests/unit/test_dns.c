/* Unit tests for the DNS decoder (src/proto/dns.c), reached by UDP port 53:
 * id, the flag bits, the four counts; a header cut by the UDP length; the
 * questions and records (the layer's options) and their names, with every
 * malformed name an event. Checked with tshark (dns.id, dns.flags.*,
 * dns.count.*, dns.qry.name, dns.qry.type, dns.a, dns.aaaa, dns.cname,
 * dns.resp.ttl) on captures/encap-dns.pcap, dns-answers.pcap, bad-dns.pcap
 * and bad-encap.pcap (tests/oracle/oracle.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

/* The name of record i of DNS layer d, as wp_dns_name() reads it. */
static const char *rec_name(const wp_packet *p, const wp_layer *d, unsigned i, char *buf,
                            size_t n)
{
    assert_true(i < d->opt_count);
    return wp_dns_name(p, d, p->opts[d->opt_first + i].off, buf, n);
}

static const wp_opt *rec(const wp_packet *p, const wp_layer *d, unsigned i)
{
    assert_true(i < d->opt_count);
    return &p->opts[d->opt_first + i];
}

static void test_dns_query_header_fields(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    assert_int_equal(d->off, 42);
    /* the header and the one question (www.example.com, 17 bytes, type, class) */
    assert_int_equal(d->hdr_len, 12 + 17 + 4);
    assert_int_equal(wp_test_field(d, "id"), 0x1234);
    assert_int_equal(wp_test_field(d, "qr"), 0);
    assert_int_equal(wp_test_field(d, "opcode"), 0);
    assert_int_equal(wp_test_field(d, "rd"), 1);
    assert_int_equal(wp_test_field(d, "ra"), 0);
    assert_int_equal(wp_test_field(d, "qdcount"), 1);
    assert_int_equal(wp_test_field(d, "ancount"), 0);
    /* the question is the layer's one record: nothing is left as payload */
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_DNS);
    assert_int_equal(d->opt_count, 1);
    const wp_opt *q = rec(&p, d, 0);
    assert_int_equal(q->kind, 0);
    assert_int_equal(q->off, 54);
    assert_int_equal(q->len, 21);
    assert_int_equal(q->v[0], 1);
    assert_int_equal(q->v[1], 1);
    char nb[64], fmt[32];
    assert_string_equal(rec_name(&p, d, 0, nb, sizeof nb), "www.example.com");
    assert_string_equal(wp_layer_format(d, fmt, sizeof fmt), "!HHHHHH21s");
    wp_fixture_free(fx);
}

static void test_dns_response_header_fields(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    assert_int_equal(d->h.dns.qr, 1);
    assert_int_equal(d->h.dns.rd, 1);
    assert_int_equal(d->h.dns.ra, 1);
    assert_int_equal(d->h.dns.aa, 0);
    assert_int_equal(d->h.dns.rcode, 0);
    assert_int_equal(d->h.dns.ancount, 1);
    char nb[32];
    assert_string_equal(wp_test_row(WP_PROTO_DNS, "rcode")->describe(3, nb, sizeof nb),
                        "no such name");
    assert_null(wp_test_row(WP_PROTO_DNS, "rcode")->describe(99, nb, sizeof nb));
    wp_fixture_free(fx);
}

static void test_dns_header_cut_by_udp_length_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("bad-encap.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    assert_true(wp_test_has_event(&p, "dns.truncated"));
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_true(d->flags & WP_LF_TRUNCATED);
    /* the id was there; the counts were not, and are not shown */
    assert_int_equal(d->h.dns.id, 0x1234);
    assert_false(wp_field_shown(&p, d, wp_test_row(WP_PROTO_DNS, "qdcount")));
    assert_true(wp_field_shown(&p, d, wp_test_row(WP_PROTO_DNS, "id")));
    wp_fixture_free(fx);
}

static void test_udp_fragment_to_port_53_stays_data(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("encap-dns.pcap");
    uint8_t b[128];
    size_t n = fx->frames[0].caplen;
    memcpy(b, fx->frames[0].data, n);
    b[14 + 6] = 0x20; /* MF: a first fragment */
    b[14 + 10] = b[14 + 11] = 0;
    wp_test_put16(b + 24, wp_test_ref_csum(b + 14, 20, 0));
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_EN10MB, b};
    wp_packet p;
    wp_decode(&f, &p);
    assert_null(wp_test_layer(&p, WP_PROTO_DNS, 0));
    wp_fixture_free(fx);
}


static void test_dns_response_cname_a_aaaa_ns_through_compression(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-answers.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    /* 1 question, 3 answers, 1 authority, 1 additional: all of the message */
    assert_int_equal(d->opt_count, 6);
    assert_int_equal(d->hdr_len, d->len);
    static const uint8_t kinds[6] = {0, 1, 1, 1, 2, 3};
    static const uint32_t types[6] = {1, 5, 1, 28, 2, 1};
    static const char *const names[6] = {"www.example.com", "www.example.com",
                                         "web.example.com", "web.example.com", "example.com",
                                         "ns1.example.com"};
    char nb[64];
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(rec(&p, d, i)->kind, kinds[i]);
        assert_int_equal(rec(&p, d, i)->v[0], types[i]);
        assert_false(rec(&p, d, i)->bad);
        assert_string_equal(rec_name(&p, d, i, nb, sizeof nb), names[i]);
    }
    /* the CNAME's data is a name: "web" and a pointer to example.com */
    const wp_opt *cn = rec(&p, d, 1);
    assert_int_equal(cn->v[2], 3600);
    assert_int_equal(cn->v[3], 6);
    assert_string_equal(wp_dns_name(&p, d, cn->v[4], nb, sizeof nb), "web.example.com");
    /* the A record's 4 bytes */
    const wp_opt *a = rec(&p, d, 2);
    assert_int_equal(a->v[3], 4);
    assert_memory_equal(p.data + a->v[4], "\x5d\xb8\xd8\x22", 4);
    wp_fixture_free(fx);
}

static void test_dns_summary_reads_like_tshark_info(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-answers.pcap");
    wp_packet p;
    char line[512];
    wp_fixture_decode(fx, 0, &p);
    assert_non_null(strstr(wp_render_summary_line(&p, 1, line, sizeof line),
                           " DNS Standard query 0x1a2b A www.example.com,"));
    wp_fixture_decode(fx, 1, &p);
    assert_non_null(strstr(wp_render_summary_line(&p, 2, line, sizeof line),
                           " DNS Standard query response 0x1a2b A www.example.com CNAME "
                           "web.example.com A 93.184.216.34 AAAA 2001:db8::34 NS "
                           "ns1.example.com A 192.0.2.53,"));
    wp_fixture_decode(fx, 5, &p);
    assert_non_null(strstr(wp_render_summary_line(&p, 6, line, sizeof line),
                           " Standard query response 0x3c4d No such name A nothere.example.com SOA,"));
    wp_fixture_free(fx);
}

static void test_dns_json_has_questions_and_answers_arrays(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-answers.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p);
    static char buf[8192];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    wp_render(&s, WP_OUT_JSON, &p, 4, NULL);
    assert_int_equal(s.err, 0);
    assert_true(s.len < sizeof buf);
    buf[s.len] = '\0';
    assert_non_null(strstr(buf, "\"questions\":[{\"name\":\"example.org\",\"type\":28,\"class\":1}],"
                                "\"answers\":[{\"name\":\"example.org\",\"type\":28,\"class\":1,"
                                "\"ttl\":60,\"data\":\"2001:db8::80\"}],\"authority\":[],"
                                "\"additional\":[]}"));
    wp_fixture_free(fx);
}

static void test_dns_root_name_reads_as_root(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-answers.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    char nb[16];
    assert_int_equal(d->opt_count, 1);
    assert_int_equal(rec(&p, d, 0)->len, 5); /* one 0 byte, type, class */
    assert_string_equal(rec_name(&p, d, 0, nb, sizeof nb), "<Root>");
    wp_fixture_free(fx);
}

/* Frame i of bad-dns.pcap raises event code, and its DNS layer keeps
 * nrec records. */
static void bad_frame(size_t i, const char *code, unsigned nrec)
{
    wp_fixture *fx = wp_fixture_load("bad-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, i, &p);
    assert_true(wp_test_has_event(&p, code));
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    assert_int_equal(d->opt_count, nrec);
    wp_fixture_free(fx);
}

static void test_dns_pointer_to_itself_is_a_name_loop(void **state)
{
    (void)state;
    bad_frame(0, "dns.name_loop", 0);
}

static void test_dns_pointer_back_into_its_own_name_is_a_name_loop(void **state)
{
    (void)state;
    bad_frame(1, "dns.name_loop", 0);
}

static void test_dns_forward_pointer_is_an_event_not_followed(void **state)
{
    (void)state;
    bad_frame(2, "dns.name_forward_pointer", 0);
}

static void test_dns_label_length_over_63_is_an_event(void **state)
{
    (void)state;
    bad_frame(3, "dns.label_too_long", 0);
}

static void test_dns_name_over_255_bytes_is_an_event(void **state)
{
    (void)state;
    bad_frame(4, "dns.name_too_long", 0);
}

static void test_dns_name_cut_by_snap_length_is_truncation(void **state)
{
    (void)state;
    bad_frame(5, "dns.name_truncated", 0);
}

static void test_dns_counts_above_the_records_keep_the_ones_found(void **state)
{
    (void)state;
    bad_frame(6, "dns.count_exceeds_message", 1);
}

static void test_dns_record_cut_by_snap_length_keeps_the_records_before(void **state)
{
    (void)state;
    bad_frame(7, "dns.record_truncated", 2);
    wp_fixture *fx = wp_fixture_load("bad-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_int_equal(rec(&p, d, 1)->kind, 1);
    assert_int_equal(rec(&p, d, 1)->v[2], 300);
    wp_fixture_free(fx);
}

static void test_dns_records_past_the_cap_are_an_event(void **state)
{
    (void)state;
    bad_frame(8, "dns.record_cap", 32);
}

static void test_dns_a_record_of_5_bytes_is_bad(void **state)
{
    (void)state;
    bad_frame(9, "dns.rdata_length", 2);
    wp_fixture *fx = wp_fixture_load("bad-dns.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 9, &p);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_true(rec(&p, d, 1)->bad);
    wp_fixture_free(fx);
}

/* A raw IPv4 frame carrying UDP 53 (checksum 0: none) and DNS message m. */
static void decode_raw_dns(wp_packet *p, uint8_t *b, const uint8_t *m, size_t mlen)
{
    size_t n = 28 + mlen;
    memset(b, 0, 28);
    b[0] = 0x45;
    wp_test_put16(b + 2, (uint16_t)n);
    b[8] = 64;
    b[9] = 17;
    b[12] = 192, b[13] = 0, b[14] = 2, b[15] = 1;
    b[16] = 192, b[17] = 0, b[18] = 2, b[19] = 53;
    wp_test_put16(b + 10, wp_test_ref_csum(b, 20, 0));
    wp_test_put16(b + 20, 40000);
    wp_test_put16(b + 22, 53);
    wp_test_put16(b + 24, (uint16_t)(8 + mlen));
    memcpy(b + 28, m, mlen);
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_RAW, b};
    wp_decode(&f, p);
}

static void test_dns_name_text_escapes_dots_and_unprintable_bytes(void **state)
{
    (void)state;
    /* one question: the labels "a.b", "\x01" and "c\\" */
    static const uint8_t m[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', '.', 'b', 1, 1,
                                2, 'c', '\\', 0, 0, 1, 0, 1};
    uint8_t b[128];
    wp_packet p;
    decode_raw_dns(&p, b, m, sizeof m);
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_non_null(d);
    assert_int_equal(p.nevents, 0);
    char nb[64];
    assert_string_equal(rec_name(&p, d, 0, nb, sizeof nb), "a\\046b.\\001.c\\092");
    /* a buffer too small for the text: cut, and says so */
    char small[8];
    assert_string_equal(rec_name(&p, d, 0, small, sizeof small), "a\\04...");
}


/* A message with one question: the root (12..16); one answer whose name
 * points at the question's and whose TXT rdata holds a chain of hops
 * pointers, each to the one before (the first to offset 12); and a second
 * answer whose name is a pointer to the chain's last: hops + 1 pointers. */
static size_t pointer_chain(uint8_t *m, unsigned hops)
{
    static const uint8_t h[12] = {0, 0x0c, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0};
    size_t n = 0;
    memcpy(m, h, 12);
    n = 12;
    m[n++] = 0; /* the root */
    wp_test_put16(m + n, 1), wp_test_put16(m + n + 2, 1), n += 4;
    wp_test_put16(m + n, 0xc00c), n += 2;
    wp_test_put16(m + n, 16), wp_test_put16(m + n + 2, 1), n += 4;
    wp_test_put32(m + n, 60), n += 4;
    wp_test_put16(m + n, (uint16_t)(2 * hops)), n += 2;
    size_t prev = 12;
    for (unsigned i = 0; i < hops; i++) {
        wp_test_put16(m + n, (uint16_t)(0xc000 | prev));
        prev = n;
        n += 2;
    }
    wp_test_put16(m + n, (uint16_t)(0xc000 | prev)), n += 2;
    wp_test_put16(m + n, 1), wp_test_put16(m + n + 2, 1), n += 4;
    wp_test_put32(m + n, 60), n += 4;
    wp_test_put16(m + n, 4), n += 2;
    memcpy(m + n, "\xc0\x00\x02\x35", 4), n += 4;
    return n;
}

static void test_dns_pointer_chain_is_capped_at_32_hops(void **state)
{
    (void)state;
    uint8_t m[256], b[300];
    wp_packet p;
    char nb[32];
    /* 32 pointers: the last answer's name reads as the root */
    decode_raw_dns(&p, b, m, pointer_chain(m, 31));
    const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_int_equal(p.nevents, 0);
    assert_int_equal(d->opt_count, 3);
    assert_string_equal(rec_name(&p, d, 2, nb, sizeof nb), "<Root>");
    /* 33: one too many; the question and first answer stay */
    decode_raw_dns(&p, b, m, pointer_chain(m, 32));
    d = wp_test_layer(&p, WP_PROTO_DNS, 0);
    assert_true(wp_test_has_event(&p, "dns.name_too_many_pointers"));
    assert_int_equal(d->opt_count, 2);
}

static void test_dns_name_of_255_bytes_is_whole_and_256_too_long(void **state)
{
    (void)state;
    uint8_t m[300], b[340];
    wp_packet p;
    for (unsigned last = 61; last <= 62; last++) {
        static const uint8_t h[12] = {0, 0x0d, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        size_t n = 12;
        memcpy(m, h, 12);
        for (unsigned k = 0; k < 4; k++) {
            unsigned len = k < 3 ? 63 : last;
            m[n++] = (uint8_t)len;
            memset(m + n, 'a' + (int)k, len);
            n += len;
        }
        m[n++] = 0;
        wp_test_put16(m + n, 1), wp_test_put16(m + n + 2, 1), n += 4;
        decode_raw_dns(&p, b, m, n);
        const wp_layer *d = wp_test_layer(&p, WP_PROTO_DNS, 0);
        if (last == 61) { /* 3 x 64 + 62 + 1 = 255 */
            assert_int_equal(p.nevents, 0);
            assert_int_equal(d->opt_count, 1);
            char nb[256];
            assert_int_equal(strlen(rec_name(&p, d, 0, nb, sizeof nb)), 253);
        } else {
            assert_true(wp_test_has_event(&p, "dns.name_too_long"));
            assert_int_equal(d->opt_count, 0);
        }
    }
}

static void test_dns_name_reader_refuses_a_layer_of_another_kind(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("dns-answers.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    const wp_layer *u = wp_test_layer(&p, WP_PROTO_UDP, 0);
    char nb[16];
    assert_string_equal(wp_dns_name(&p, u, 54, nb, sizeof nb), "<no name>");
    wp_fixture_free(fx);
}

static void test_dns_type_and_class_names(void **state)
{
    (void)state;
    assert_string_equal(wp_dns_type_name(28), "AAAA");
    assert_string_equal(wp_dns_type_name(5), "CNAME");
    assert_null(wp_dns_type_name(65400));
    assert_string_equal(wp_dns_class_name(1), "IN");
    assert_null(wp_dns_class_name(2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_query_header_fields),
        cmocka_unit_test(test_dns_response_header_fields),
        cmocka_unit_test(test_dns_header_cut_by_udp_length_is_truncation),
        cmocka_unit_test(test_udp_fragment_to_port_53_stays_data),
        cmocka_unit_test(test_dns_response_cname_a_aaaa_ns_through_compression),
        cmocka_unit_test(test_dns_summary_reads_like_tshark_info),
        cmocka_unit_test(test_dns_json_has_questions_and_answers_arrays),
        cmocka_unit_test(test_dns_root_name_reads_as_root),
        cmocka_unit_test(test_dns_pointer_to_itself_is_a_name_loop),
        cmocka_unit_test(test_dns_pointer_back_into_its_own_name_is_a_name_loop),
        cmocka_unit_test(test_dns_forward_pointer_is_an_event_not_followed),
        cmocka_unit_test(test_dns_label_length_over_63_is_an_event),
        cmocka_unit_test(test_dns_name_over_255_bytes_is_an_event),
        cmocka_unit_test(test_dns_name_cut_by_snap_length_is_truncation),
        cmocka_unit_test(test_dns_counts_above_the_records_keep_the_ones_found),
        cmocka_unit_test(test_dns_record_cut_by_snap_length_keeps_the_records_before),
        cmocka_unit_test(test_dns_records_past_the_cap_are_an_event),
        cmocka_unit_test(test_dns_a_record_of_5_bytes_is_bad),
        cmocka_unit_test(test_dns_name_text_escapes_dots_and_unprintable_bytes),
        cmocka_unit_test(test_dns_pointer_chain_is_capped_at_32_hops),
        cmocka_unit_test(test_dns_name_of_255_bytes_is_whole_and_256_too_long),
        cmocka_unit_test(test_dns_name_reader_refuses_a_layer_of_another_kind),
        cmocka_unit_test(test_dns_type_and_class_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
