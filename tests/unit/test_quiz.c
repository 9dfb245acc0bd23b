/* Unit tests for the quiz engine (src/quiz/): the grader's table of accepted
 * and rejected answers, the classic mistakes and their reasons, the seeded
 * draw, and lesson packs. Questions are drawn from fixture captures
 * (captures/course-tcp.pcap: the course's handshake, 16 bytes, FIN/ACK). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/quiz.h"

static wp_quiz_q num_q(uint64_t v)
{
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_NUM;
    q.num = v;
    return q;
}

static void test_grader_accepts_decimal_hex_padded_hex_binary_and_units(void **st)
{
    (void)st;
    wp_quiz_q q = num_q(64);
    static const char *const ok[] = {"64", " 64 ", "0x40", "0X40", "0x0040", "0b1000000", "64 bytes",
                                     "64 byte", "64bytes", "64 B", "0x40 bytes"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(wp_quiz_grade(&q, ok[i], NULL), WP_QV_RIGHT);
    static const char *const bad[] = {"65", "0x41", "-64", "64 words", "sixty-four", "6 4", "0x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(wp_quiz_grade(&q, bad[i], NULL), WP_QV_WRONG);
    assert_int_equal(wp_quiz_grade(&q, "   ", NULL), WP_QV_EMPTY);
}

static void test_grader_gives_the_reason_of_a_known_mistake(void **st)
{
    (void)st;
    wp_quiz_q q = num_q(20);
    q.nmist = 1;
    q.mist[0].val = 5;
    strcpy(q.mist[0].why, "IHL is in 32-bit words");
    const char *why = NULL;
    assert_int_equal(wp_quiz_grade(&q, "5", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "IHL is in 32-bit words");
    assert_int_equal(wp_quiz_grade(&q, "0x05", &why), WP_QV_MISTAKE);
    assert_int_equal(wp_quiz_grade(&q, "20 bytes", &why), WP_QV_RIGHT);
    assert_null(why);
}

static void test_grader_compares_names_blind_to_case_space_and_punctuation(void **st)
{
    (void)st;
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_TEXT;
    strcpy(q.accept, "out-of-order|out of order|ooo");
    assert_int_equal(wp_quiz_grade(&q, "Out-Of-Order", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "out of order", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "retransmission", NULL), WP_QV_WRONG);
    strcpy(q.accept, "frag_offset|Fragment offset (8-byte units)|Fragment offset");
    assert_int_equal(wp_quiz_grade(&q, "fragment offset", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "FRAG_OFFSET", NULL), WP_QV_RIGHT);
}

static void test_grader_compares_addresses_by_value(void **st)
{
    (void)st;
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_TEXT;
    strcpy(q.accept, "2001:db8::1");
    assert_int_equal(wp_quiz_grade(&q, "2001:0db8:0:0:0:0:0:1", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "2001:db8::2", NULL), WP_QV_WRONG);
    strcpy(q.accept, "127.0.0.1");
    assert_int_equal(wp_quiz_grade(&q, "127.0.0.1", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "127.0.0.10", NULL), WP_QV_WRONG);
}

static void test_grader_frame_answers_take_a_number_or_none(void **st)
{
    (void)st;
    wp_quiz_q q = num_q(0);
    q.akind = WP_QA_FRAME;
    assert_int_equal(wp_quiz_grade(&q, "none", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "0", NULL), WP_QV_WRONG);
    q.num = 4;
    assert_int_equal(wp_quiz_grade(&q, "frame 4", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "4", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "none", NULL), WP_QV_WRONG);
}

static void test_grader_frame_lists_are_sets_in_any_order(void **st)
{
    (void)st;
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_FRAMES;
    strcpy(q.answer, "1,2,3");
    static const char *const ok[] = {"1,2,3", "3, 1, 2", "1 2 3", "frames 1, 2 and 3", "#1 #2 #3"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(wp_quiz_grade(&q, ok[i], NULL), WP_QV_RIGHT);
    static const char *const bad[] = {"1,2", "1,2,3,4", "1,1,2,3", "1,2,2", "1-3", "one, two, three"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(wp_quiz_grade(&q, bad[i], NULL), WP_QV_WRONG);
}

static void test_fragments_of_one_datagram_are_listed(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("ipv4-fragments.pcap");
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    assert_true(wp_quiz_build(fx->frames, fx->n, 1, 10, 1u << WP_QT_RELATE, 0, qz) > 0);
    int seen = 0;
    for (size_t i = 0; i < qz->n; i++)
        if (strcmp(qz->q[i].ref, "fragments") == 0) {
            seen = 1;
            assert_string_equal(qz->q[i].answer, "1,2,3");
            assert_non_null(strstr(qz->q[i].explain, "offset 185 x 8 = 1480"));
        }
    assert_true(seen);
    free(qz);
    wp_fixture_free(fx);
}

static void test_types_parse_names_lists_and_all(void **st)
{
    (void)st;
    assert_int_equal(wp_quiz_types_parse("value"), 1u << WP_QT_VALUE);
    assert_int_equal(wp_quiz_types_parse("derive,predict"), (1u << WP_QT_DERIVE) | (1u << WP_QT_PREDICT));
    assert_int_equal(wp_quiz_types_parse("all"), (1u << WP_QT_COUNT) - 1);
    assert_int_equal(wp_quiz_types_parse("values"), 0);
    assert_int_equal(wp_quiz_types_parse(""), 0);
    assert_int_equal(wp_quiz_types_parse("value,,derive"), 0);
}

static void test_prng_is_splitmix64_and_reproducible(void **st)
{
    (void)st;
    uint64_t s = 0;
    /* splitmix64's published first output for seed 0 */
    assert_true(wp_quiz_rand(&s) == 0xe220a8397b1dcdafu);
    uint64_t a = 42, b = 42;
    for (int i = 0; i < 100; i++)
        assert_true(wp_quiz_rand(&a) == wp_quiz_rand(&b));
}

static wp_quiz *draw(const wp_fixture *fx, uint64_t seed, unsigned count, unsigned types)
{
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    assert_true(wp_quiz_build(fx->frames, fx->n, seed, count, types, 0, qz) >= 0);
    return qz;
}

static void test_same_seed_same_quiz_other_seed_other_quiz(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *a = draw(fx, 5, 10, wp_quiz_types_parse("all"));
    wp_quiz *b = draw(fx, 5, 10, wp_quiz_types_parse("all"));
    wp_quiz *c = draw(fx, 6, 10, wp_quiz_types_parse("all"));
    assert_int_equal(a->n, 10);
    assert_int_equal(a->n, b->n);
    int same_c = a->n == c->n;
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->q[i].text, b->q[i].text);
        assert_string_equal(a->q[i].answer, b->q[i].answer);
        if (i < c->n && strcmp(a->q[i].text, c->q[i].text) != 0)
            same_c = 0;
    }
    assert_false(same_c);
    free(a);
    free(b);
    free(c);
    wp_fixture_free(fx);
}

/* Every expected answer of a drawn quiz is graded right, and no question
 * lists its own answer as a mistake. */
static void test_every_expected_answer_is_graded_right(void **st)
{
    (void)st;
    static const char *const caps[] = {"course-tcp.pcap", "course-udp-ping.pcap", "ipv4-fragments.pcap",
                                       "flow-tcp-out-of-order.pcap", "flow-icmp-missing.pcap",
                                       "ipv6-udp.pcap"};
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        wp_fixture *fx = wp_fixture_load(caps[k]);
        wp_quiz *qz = draw(fx, 1, 100, wp_quiz_types_parse("all"));
        assert_true(qz->n > 0);
        for (size_t i = 0; i < qz->n; i++) {
            const wp_quiz_q *q = &qz->q[i];
            if (wp_quiz_grade(q, q->answer, NULL) != WP_QV_RIGHT)
                fail_msg("%s Q%zu '%s': its answer '%s' is not accepted", caps[k], i + 1, q->text, q->answer);
            assert_true(q->text[0] && q->explain[0] && q->hint[0][0] && q->review[0] && q->ref[0]);
            for (unsigned m = 0; m < q->nmist; m++)
                assert_true(q->akind == WP_QA_TEXT || q->mist[m].val != q->num);
        }
        free(qz);
        wp_fixture_free(fx);
    }
}

/* The classic mistakes, each on the question it belongs to. */
static const wp_quiz_q *find(const wp_quiz *qz, const char *ref, uint64_t frame)
{
    for (size_t i = 0; i < qz->n; i++)
        if (strcmp(qz->q[i].ref, ref) == 0 && (!frame || qz->q[i].frame == frame))
            return &qz->q[i];
    return NULL;
}

static void expect_mistake(const wp_quiz_q *q, const char *ans, const char *part)
{
    assert_non_null(q);
    const char *why = NULL;
    int v = wp_quiz_grade(q, ans, &why);
    if (v != WP_QV_MISTAKE)
        fail_msg("'%s' to '%s' (answer %s): verdict %d, not a known mistake", ans, q->text, q->answer, v);
    if (!strstr(why, part))
        fail_msg("'%s' to '%s': reason '%s' lacks '%s'", ans, q->text, why, part);
}

static void test_classic_mistakes_get_targeted_reasons(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *qz = draw(fx, 1, 100, (1u << WP_QT_DERIVE) | (1u << WP_QT_VALUE) | (1u << WP_QT_PREDICT));
    /* IHL not x4 */
    expect_mistake(find(qz, "ipv4.hdr_bytes", 0), "5", "32-bit words");
    /* total length taken for the payload length: 16 data + 32 TCP + 20 IP */
    const wp_quiz_q *pl = find(qz, "ipv4.payload_bytes", 4);
    if (pl) {
        assert_string_equal(pl->answer, "48");
        expect_mistake(pl, "68", "Total length");
    }
    /* TCP data offset not x4 */
    const wp_quiz_q *th = find(qz, "tcp.hdr_bytes", 0);
    assert_non_null(th);
    char words[24];
    snprintf(words, sizeof words, "%llu", (unsigned long long)th->num / 4);
    expect_mistake(th, words, "32-bit words");
    /* a SYN's next seq without the SYN's own number */
    const wp_quiz_q *nx = find(qz, "tcp.nxtseq", 1);
    if (nx) {
        assert_string_equal(nx->answer, "1");
        expect_mistake(nx, "0", "SYN or FIN");
    }
    /* the predicted ACK of the 16-byte segment (frame 4): 17; raw is a mistake */
    const wp_quiz_q *pr = find(qz, "tcp.ack@5", 4);
    assert_non_null(pr);
    assert_string_equal(pr->answer, "17");
    expect_mistake(pr, "1", "next byte expected");
    expect_mistake(pr, "3180837018", "raw");
    free(qz);
    wp_fixture_free(fx);

    fx = wp_fixture_load("ipv4-fragments.pcap");
    qz = draw(fx, 1, 100, 1u << WP_QT_DERIVE);
    /* fragment offset not x8: frame 2 has offset 185 (1480 bytes) */
    const wp_quiz_q *fr = find(qz, "ipv4.frag_bytes", 2);
    assert_non_null(fr);
    assert_string_equal(fr->answer, "1480");
    expect_mistake(fr, "185", "8-byte units");
    free(qz);
    wp_fixture_free(fx);
}

static void test_relative_seq_for_the_raw_field_is_a_known_mistake(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *qz = draw(fx, 3, 100, 1u << WP_QT_VALUE);
    const wp_quiz_q *q = NULL;
    for (size_t i = 0; i < qz->n && !q; i++)
        if ((strcmp(qz->q[i].ref, "tcp.seq") == 0 || strcmp(qz->q[i].ref, "tcp.ack") == 0) &&
            qz->q[i].nmist)
            q = &qz->q[i];
    assert_non_null(q);
    char rel[24];
    snprintf(rel, sizeof rel, "%llu", (unsigned long long)q->mist[0].val);
    expect_mistake(q, rel, "relative");
    free(qz);
    wp_fixture_free(fx);
}

static void test_the_view_quiz_asks_only_about_its_frame(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    assert_true(wp_quiz_build(fx->frames, fx->n, 9, 5, wp_quiz_types_parse("all"), 4, qz) > 0);
    for (size_t i = 0; i < qz->n; i++)
        assert_int_equal(qz->q[i].frame, 4);
    free(qz);
    wp_fixture_free(fx);
}

static void test_a_ping_without_reply_is_answered_none(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("flow-icmp-missing.pcap");
    wp_quiz *qz = draw(fx, 1, 100, 1u << WP_QT_RELATE);
    int none = 0, some = 0;
    for (size_t i = 0; i < qz->n; i++) {
        if (qz->q[i].num == 0) {
            none++;
            assert_string_equal(qz->q[i].answer, "none");
            assert_int_equal(wp_quiz_grade(&qz->q[i], "none", NULL), WP_QV_RIGHT);
        } else {
            some++;
        }
    }
    assert_true(none > 0 && some > 0);
    free(qz);
    wp_fixture_free(fx);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_pack_reads_draws_and_written_questions(void **st)
{
    (void)st;
    char dir[] = "/tmp/wp-quiz-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/p.quiz", dir);
    write_file(path, "# a pack\ncapture cap.pcap\nseed 4\ndraw 3 derive\n"
                     "ask 1 what is the client's port?\nanswer 54542\nwrong 10530 that is the server's port\n"
                     "explain the SYN comes from the client\nreview ports\n"
                     "ask 2 which flags?\nanswer SYN, ACK|syn-ack\n");
    wp_quiz_pack *pk = malloc(sizeof *pk);
    assert_non_null(pk);
    char err[256];
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), 0);
    char want[80];
    snprintf(want, sizeof want, "%s/cap.pcap", dir);
    assert_string_equal(pk->capture, want);
    assert_int_equal(pk->ndraw, 1);
    assert_int_equal(pk->written.n, 2);
    const wp_quiz_q *q = &pk->written.q[0];
    assert_int_equal(q->akind, WP_QA_NUM);
    const char *why;
    assert_int_equal(wp_quiz_grade(q, "0xd50e", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(q, "10530", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "that is the server's port");
    assert_int_equal(wp_quiz_grade(&pk->written.q[1], "syn-ack", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&pk->written.q[1], "SYN ACK", NULL), WP_QV_RIGHT);

    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    assert_int_equal(wp_quiz_pack_build(pk, fx->frames, fx->n, qz), 5);
    assert_int_equal(qz->q[0].type, WP_QT_DERIVE);
    assert_int_equal(qz->q[3].frame, 1);
    free(qz);
    wp_fixture_free(fx);

    write_file(path, "capture x.pcap\nask 1 q\nbogus 3\n");
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
    assert_non_null(strstr(err, ":3: unknown directive"));
    write_file(path, "capture x.pcap\nask 1 q\n");
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
    assert_non_null(strstr(err, "no answer"));
    write_file(path, "answer 3\n");
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
    write_file(path, "draw 3 nonsense\ncapture x.pcap\n");
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
    free(pk);
    unlink(path);
    rmdir(dir);
}


static void test_grader_bit_ranges_take_bits_ranges_and_bytes(void **st)
{
    (void)st;
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_BITS;
    q.num = (uint64_t)4 << 16 | 7; /* IHL: bits 4-7 */
    static const char *const ok[] = {"bits 4-7", "Bits 4..7", "bit 4-7", "4-7", "bits 4 - 7", "bits 4 to 7",
                                     "bits 4-7 of byte 0", "4-7 in byte 0"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (wp_quiz_grade(&q, ok[i], NULL) != WP_QV_RIGHT)
            fail_msg("'%s' not accepted for bits 4-7", ok[i]);
    static const char *const bad[] = {"bits 4-8", "bits 7-4", "bits 4-7 of byte 1", "bits 12-15 of byte 0",
                                      "4", "bits", "ihl", "byte 0", "bits 4-7 of"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (wp_quiz_grade(&q, bad[i], NULL) != WP_QV_WRONG)
            fail_msg("'%s' accepted for bits 4-7", bad[i]);
    q.num = (uint64_t)100 << 16 | 103;
    assert_int_equal(wp_quiz_grade(&q, "bits 100-103", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "bits 4-7 of byte 12", NULL), WP_QV_RIGHT);
    q.num = (uint64_t)64 << 16 | 71; /* a whole byte: byte 8 */
    assert_int_equal(wp_quiz_grade(&q, "byte 8", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "bits 64-71", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "bytes 8-9", NULL), WP_QV_WRONG);
    q.num = (uint64_t)110 << 16 | 110;
    assert_int_equal(wp_quiz_grade(&q, "bit 110", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "110", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "bit 111", NULL), WP_QV_WRONG);
}

static void test_grader_flags_take_names_in_any_order_or_the_value(void **st)
{
    (void)st;
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_FLAGS;
    q.num = 0x012;
    static const char *const ok[] = {"SYN, ACK", "ack syn", "SYN-ACK", "synack", "syn+ack", "ACK and SYN",
                                     "0x012", "0x12", "18", "SYN ACK SYN"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (wp_quiz_grade(&q, ok[i], NULL) != WP_QV_RIGHT)
            fail_msg("'%s' not accepted for SYN, ACK", ok[i]);
    static const char *const bad[] = {"SYN", "ACK", "SYN, ACK, PSH", "SYN, ACK, bogus", "0x1012", "none", ","};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (wp_quiz_grade(&q, bad[i], NULL) != WP_QV_WRONG)
            fail_msg("'%s' accepted for SYN, ACK", bad[i]);
    q.nmist = 1;
    q.mist[0].val = 0x010;
    strcpy(q.mist[0].why, "the server sends its own SYN too");
    const char *why = NULL;
    assert_int_equal(wp_quiz_grade(&q, "ack", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "the server sends its own SYN too");
    assert_int_equal(wp_quiz_grade(&q, "0x10", &why), WP_QV_MISTAKE);
}

static void test_grader_knows_written_out_wrong_answers_of_every_kind(void **st)
{
    (void)st;
    wp_quiz_q q;
    memset(&q, 0, sizeof q);
    q.akind = WP_QA_TEXT;
    strcpy(q.accept, "second FIN|FIN 2");
    q.nmist = 3;
    strcpy(q.mist[0].form, "first FIN");
    strcpy(q.mist[0].why, "the other side's FIN came first");
    strcpy(q.mist[1].form, "10.0.0.1");
    strcpy(q.mist[1].why, "that is the client");
    q.mist[2].val = 7;
    strcpy(q.mist[2].why, "a number");
    const char *why = NULL;
    assert_int_equal(wp_quiz_grade(&q, "First-FIN", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "the other side's FIN came first");
    assert_int_equal(wp_quiz_grade(&q, "10.000.0.1", &why), WP_QV_WRONG); /* no address form */
    assert_int_equal(wp_quiz_grade(&q, "10.0.0.1", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "that is the client");
    assert_int_equal(wp_quiz_grade(&q, "0x7", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "a number");
    assert_int_equal(wp_quiz_grade(&q, "last ACK", &why), WP_QV_WRONG);
    assert_null(why);
    assert_int_equal(wp_quiz_grade(&q, "fin 2", NULL), WP_QV_RIGHT);
    /* a numeric question with a word for a wrong answer */
    q = num_q(54542);
    q.nmist = 1;
    strcpy(q.mist[0].form, "server");
    strcpy(q.mist[0].why, "frame 1 comes from the client");
    assert_int_equal(wp_quiz_grade(&q, "Server", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "frame 1 comes from the client");
    /* a frame question: 'none' as a known mistake */
    q = num_q(5);
    q.akind = WP_QA_FRAME;
    q.nmist = 1;
    strcpy(q.mist[0].form, "none");
    strcpy(q.mist[0].why, "frame 5 answers it");
    assert_int_equal(wp_quiz_grade(&q, "none", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "frame 5 answers it");
}

/* The first question of ref (about frame, 0 any) drawn with types over
 * seeds 1..40 of fx, copied into *out; 0 when none was drawn. */
static int draw_ref(const wp_fixture *fx, unsigned types, const char *ref, uint64_t frame, wp_quiz_q *out)
{
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    for (uint64_t seed = 1; seed <= 40; seed++) {
        assert_true(wp_quiz_build(fx->frames, fx->n, seed, 100, types, 0, qz) >= 0);
        for (size_t i = 0; i < qz->n; i++)
            if (strcmp(qz->q[i].ref, ref) == 0 && (!frame || qz->q[i].frame == frame)) {
                *out = qz->q[i];
                free(qz);
                return 1;
            }
    }
    free(qz);
    return 0;
}

static void expect_answer(const wp_fixture *fx, unsigned types, const char *ref, uint64_t frame, const char *ans)
{
    wp_quiz_q q;
    if (!draw_ref(fx, types, ref, frame, &q))
        fail_msg("no %s question on frame %llu", ref, (unsigned long long)frame);
    if (strcmp(q.answer, ans) != 0)
        fail_msg("%s on frame %llu: answer '%s', want '%s' (%s)", ref, (unsigned long long)frame, q.answer, ans,
                 q.text);
    assert_int_equal(wp_quiz_grade(&q, ans, NULL), WP_QV_RIGHT);
}

static void test_tcp_segment_is_acknowledged_by_the_first_ack_covering_it(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    unsigned t = 1u << WP_QT_RELATE;
    expect_answer(fx, t, "tcp.acked_in", 1, "2"); /* SYN: the SYN-ACK */
    expect_answer(fx, t, "tcp.acked_in", 4, "5"); /* 16 bytes: ack 17 */
    expect_answer(fx, t, "tcp.acked_in", 7, "8"); /* the server's FIN: the last ACK */
    wp_quiz_q q;
    assert_true(draw_ref(fx, t, "tcp.acked_in", 4, &q));
    assert_non_null(strstr(q.explain, "ack >= 17"));
    expect_mistake(&q, "4", "the segment itself");
    /* frame 3 acknowledges nothing (len 0, no SYN/FIN): never asked */
    assert_false(draw_ref(fx, t, "tcp.acked_in", 3, &q));
    wp_fixture_free(fx);
}

static void test_udp_and_dns_requests_are_paired_with_their_replies(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-udp-ping.pcap");
    unsigned t = 1u << WP_QT_RELATE;
    expect_answer(fx, t, "udp.resp_in", 1, "2");
    expect_answer(fx, t, "udp.resp_in", 7, "none"); /* the server dropped this ping's reply */
    wp_quiz_q q;
    assert_true(draw_ref(fx, t, "udp.resp_in", 7, &q));
    expect_mistake(&q, "8", "another conversation"); /* the next ping, from its own port */
    expect_mistake(&q, "7", "the request itself");
    wp_fixture_free(fx);
    fx = wp_fixture_load("flow-udp-ping.pcap");
    expect_answer(fx, t, "dns.resp_in", 16, "17");
    expect_answer(fx, t, "dns.resp_in", 15, "none");
    assert_true(draw_ref(fx, t, "dns.resp_in", 16, &q));
    assert_non_null(strstr(q.text, "DNS query (ID 0x"));
    wp_fixture_free(fx);
}

static void test_teardown_steps_and_reset_are_classified(void **st)
{
    (void)st;
    unsigned t = 1u << WP_QT_CLASSIFY;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    expect_answer(fx, t, "tcp.close_step", 6, "first FIN");
    expect_answer(fx, t, "tcp.close_step", 7, "second FIN");
    expect_answer(fx, t, "tcp.close_step", 8, "last ACK");
    wp_quiz_q q;
    assert_true(draw_ref(fx, t, "tcp.close_step", 7, &q));
    expect_mistake(&q, "first fin", "frame 6 sent a FIN before this one");
    assert_int_equal(wp_quiz_grade(&q, "FIN 2", NULL), WP_QV_RIGHT);
    /* frames of the handshake and data are no closing step */
    assert_false(draw_ref(fx, t, "tcp.close_step", 5, &q));
    wp_fixture_free(fx);
    fx = wp_fixture_load("tcp-handshake.pcap"); /* a four-way close */
    expect_answer(fx, t, "tcp.close_step", 6, "first FIN");
    expect_answer(fx, t, "tcp.close_step", 7, "ACK of the first FIN");
    expect_answer(fx, t, "tcp.close_step", 8, "second FIN");
    expect_answer(fx, t, "tcp.close_step", 9, "last ACK");
    wp_fixture_free(fx);
    fx = wp_fixture_load("flow-tcp-rst-reuse.pcap");
    expect_answer(fx, t, "tcp.close_step", 8, "reset");
    assert_true(draw_ref(fx, t, "tcp.close_step", 8, &q));
    expect_mistake(&q, "first FIN", "RST");
    wp_fixture_free(fx);
}

static void test_udp_and_tcp_checksum_steps_sum_the_pseudo_header(void **st)
{
    (void)st;
    unsigned t = 1u << WP_QT_CHECKSUM;
    wp_fixture *fx = wp_fixture_load("udp-tcp-pair.pcap");
    /* 192.0.2.1 -> 192.0.2.2, UDP (17), length 20: c000 0201 c000 0202
     * 0011 0014 = 0x18428, folded 0x8429 */
    expect_answer(fx, t, "udp.csum_pseudo", 1, "0x8429");
    wp_quiz_q q;
    assert_true(draw_ref(fx, t, "udp.csum_pseudo", 1, &q));
    assert_non_null(strstr(q.explain, "c000 0201 c000 0202 0011 0014"));
    expect_mistake(&q, "0x18428", "folded");
    expect_mistake(&q, "0x8418", "protocol word");
    /* everything summed: the complement of the checksum the header carries (0xddf8) */
    expect_answer(fx, t, "udp.csum_sum", 1, "0x2207");
    assert_true(draw_ref(fx, t, "udp.csum_sum", 1, &q));
    expect_mistake(&q, "0xddf8", "the checksum itself");
    assert_true(q.nmist >= 2); /* the segment alone, without the pseudo-header */
    char alone[24];
    snprintf(alone, sizeof alone, "0x%04llx", (unsigned long long)q.mist[1].val);
    expect_mistake(&q, alone, "pseudo-header");
    assert_true(draw_ref(fx, t, "tcp.csum_pseudo", 2, &q)); /* TCP over the same addresses: protocol 6 */
    wp_fixture_free(fx);
    fx = wp_fixture_load("ipv6-udp.pcap");
    assert_true(draw_ref(fx, t, "udp.csum_pseudo", 1, &q));
    assert_non_null(strstr(q.text, "IPv6"));
    wp_fixture_free(fx);
}

static void test_next_segment_seq_and_flags_are_predicted(void **st)
{
    (void)st;
    unsigned t = 1u << WP_QT_PREDICT;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    expect_answer(fx, t, "tcp.flags@2", 1, "SYN, ACK");
    expect_answer(fx, t, "tcp.flags@3", 2, "ACK");
    expect_answer(fx, t, "tcp.flags@7", 6, "FIN, ACK");
    expect_answer(fx, t, "tcp.seq@5", 4, "1");
    expect_answer(fx, t, "tcp.seq@6", 5, "17");
    wp_quiz_q q;
    assert_true(draw_ref(fx, t, "tcp.flags@2", 1, &q));
    assert_int_equal(q.akind, WP_QA_FLAGS);
    assert_int_equal(wp_quiz_grade(&q, "ack, syn", NULL), WP_QV_RIGHT);
    expect_mistake(&q, "ACK", "its own SYN");
    expect_mistake(&q, "SYN", "ACK as well");
    assert_true(draw_ref(fx, t, "tcp.flags@7", 6, &q));
    expect_mistake(&q, "ACK", "its FIN rides on the ACK");
    /* the value of the flags field itself takes names too */
    assert_true(draw_ref(fx, 1u << WP_QT_VALUE, "tcp.flags", 7, &q));
    assert_string_equal(q.answer, "17");
    assert_int_equal(wp_quiz_grade(&q, "ACK, FIN", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "0x011", NULL), WP_QV_RIGHT);
    assert_int_equal(wp_quiz_grade(&q, "FIN", NULL), WP_QV_WRONG);
    assert_true(draw_ref(fx, t, "tcp.seq@5", 4, &q));
    expect_mistake(&q, "17", "own side");
    /* after a data segment no flags are asked: what comes next is not fixed */
    assert_false(draw_ref(fx, t, "tcp.flags@5", 4, &q));
    wp_fixture_free(fx);
}

static void test_locate_asks_bit_ranges_counted_from_the_most_significant_bit(void **st)
{
    (void)st;
    unsigned t = 1u << WP_QT_LOCATE;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz_q q;
    assert_true(draw_ref(fx, t, "bitpos:ipv4:ihl", 0, &q));
    assert_string_equal(q.answer, "bits 4-7");
    assert_int_equal(wp_quiz_grade(&q, "bits 4-7 of byte 0", NULL), WP_QV_RIGHT);
    expect_mistake(&q, "bits 0-3", "least significant");
    expect_mistake(&q, "bits 116-119", "frame's first bit"); /* IPv4 starts at frame byte 14 */
    assert_true(draw_ref(fx, t, "bitpos:tcp:SYN", 0, &q));
    assert_string_equal(q.answer, "bit 110");
    assert_int_equal(wp_quiz_grade(&q, "bit 6 of byte 13", NULL), WP_QV_RIGHT);
    assert_true(draw_ref(fx, t, "bitpos:ipv4:frag_offset", 0, &q));
    assert_string_equal(q.answer, "bits 51-63");
    /* which header owns byte 50 (TCP, 34..65): IPv4 ends before it */
    assert_true(draw_ref(fx, t, "owner:50", 0, &q));
    assert_string_equal(q.answer, "TCP");
    expect_mistake(&q, "ipv4", "the IPv4 header covers bytes 14..33: byte 50 is after it");
    wp_fixture_free(fx);
}

static void test_blanked_field_question_draws_the_diagram_with_the_cell_marked(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz_q q;
    assert_true(draw_ref(fx, 1u << WP_QT_BLANK, "bits:ipv4:64:8", 0, &q)); /* TTL */
    assert_true(q.draw);
    char buf[8192];
    wp_sink s;
    wp_sink_init_mem(&s, buf, sizeof buf);
    size_t n = wp_quiz_draw(&q, &fx->frames[q.frame - 1], &s);
    assert_true(n > 10);
    assert_non_null(strstr(buf, "|      ???      |   Protocol    |"));
    assert_null(strstr(buf, "Time to live"));    /* the name to find is hidden */
    assert_non_null(strstr(buf, "Identification")); /* the others are shown */
    assert_null(strstr(buf, "0x"));                /* values left out */
    /* a question with nothing to draw draws nothing */
    wp_quiz_q plain = num_q(1);
    assert_int_equal(wp_quiz_draw(&plain, &fx->frames[0], &s), 0);
    wp_fixture_free(fx);
}

static void test_pack_wrong_lines_take_words_phrases_addresses_and_numbers(void **st)
{
    (void)st;
    char dir[] = "/tmp/wp-quiz-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/p.quiz", dir);
    write_file(path, "capture cap.pcap\n"
                     "ask 7 which step of closing is it?\nanswer second FIN\n"
                     "wrong \"first FIN\" the client's FIN came first\nwrong no it is a step\n"
                     "wrong 127.0.0.1 that is an address\n"
                     "ask 4 how many bytes of data?\nanswer 16\nwrong 0x44 hex word\nwrong 68 total length\n");
    wp_quiz_pack *pk = malloc(sizeof *pk);
    assert_non_null(pk);
    char err[256];
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), 0);
    const wp_quiz_q *q = &pk->written.q[0];
    const char *why;
    assert_int_equal(wp_quiz_grade(q, "First FIN", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "the client's FIN came first");
    assert_int_equal(wp_quiz_grade(q, "NO", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "it is a step");
    assert_int_equal(wp_quiz_grade(q, "127.000.0.1", &why), WP_QV_WRONG);
    assert_int_equal(wp_quiz_grade(q, "127.0.0.1", &why), WP_QV_MISTAKE);
    assert_string_equal(why, "that is an address");
    q = &pk->written.q[1];
    assert_int_equal(wp_quiz_grade(q, "0x44", &why), WP_QV_MISTAKE); /* a word form, as written */
    assert_string_equal(why, "hex word");
    assert_int_equal(wp_quiz_grade(q, "0x0044", &why), WP_QV_MISTAKE); /* 68: compared by value */
    assert_string_equal(why, "total length");
    write_file(path, "capture x.pcap\nask 1 q\nanswer 1\nwrong \"open phrase text\n");
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
    assert_non_null(strstr(err, ":4: wrong takes"));
    write_file(path, "capture x.pcap\nask 1 q\nanswer 1\nwrong 5\n");
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
    free(pk);
    unlink(path);
    rmdir(dir);
}

static void test_a_frame_range_asks_only_about_those_frames(void **st)
{
    (void)st;
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    assert_int_equal(wp_quiz_build_range(fx->frames, fx->n, 1, 10, wp_quiz_types_parse("all"), 1, 3, qz), 10);
    for (size_t i = 0; i < qz->n; i++)
        assert_true(qz->q[i].frame >= 1 && qz->q[i].frame <= 3);
    /* predictions still see the frames after the range: frame 4's
     * 16 bytes are acknowledged by frame 5, outside 4-4 */
    int found = 0;
    for (uint64_t seed = 1; seed < 40 && !found; seed++) {
        assert_true(wp_quiz_build_range(fx->frames, fx->n, seed, 30, 1u << WP_QT_PREDICT, 4, 4, qz) >= 0);
        for (size_t i = 0; i < qz->n && !found; i++)
            found = strcmp(qz->q[i].ref, "tcp.ack@5") == 0 && strcmp(qz->q[i].answer, "17") == 0;
    }
    assert_true(found);
    /* the whole capture as a range is the plain draw */
    wp_quiz *all = malloc(sizeof *all);
    assert_non_null(all);
    assert_int_equal(wp_quiz_build_range(fx->frames, fx->n, 4, 10, wp_quiz_types_parse("all"), 1, UINT64_MAX, qz),
                     10);
    assert_int_equal(wp_quiz_build(fx->frames, fx->n, 4, 10, wp_quiz_types_parse("all"), 0, all), 10);
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(qz->q[i].text, all->q[i].text);
    assert_int_equal(wp_quiz_build_range(fx->frames, fx->n, 1, 10, wp_quiz_types_parse("all"), 9, 20, qz), 0);
    assert_int_equal(wp_quiz_build_range(fx->frames, fx->n, 1, 10, wp_quiz_types_parse("all"), 3, 2, qz), 0);
    free(all);
    free(qz);
    wp_fixture_free(fx);
}

static void test_pack_frames_lines_limit_the_draws_after_them(void **st)
{
    (void)st;
    char dir[] = "/tmp/wp-quiz-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/p.quiz", dir);
    write_file(path, "capture cap.pcap\ndraw 4 all\nframes 6-8\ndraw 5 all\nframes 2\ndraw 3 all\n");
    wp_quiz_pack *pk = malloc(sizeof *pk);
    assert_non_null(pk);
    char err[256];
    assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), 0);
    assert_int_equal(pk->ndraw, 3);
    wp_fixture *fx = wp_fixture_load("course-tcp.pcap");
    wp_quiz *qz = malloc(sizeof *qz);
    assert_non_null(qz);
    assert_int_equal(wp_quiz_pack_build(pk, fx->frames, fx->n, qz), 12);
    for (size_t i = 4; i < 9; i++)
        assert_true(qz->q[i].frame >= 6 && qz->q[i].frame <= 8);
    for (size_t i = 9; i < 12; i++)
        assert_int_equal(qz->q[i].frame, 2);
    static const char *const bad[] = {"frames 0-3\n", "frames 3-1\n", "frames x\n", "frames 1-2 x\n", "frames\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[96];
        snprintf(text, sizeof text, "capture x.pcap\n%s", bad[i]);
        write_file(path, text);
        assert_int_equal(wp_quiz_pack_load(path, pk, err, sizeof err), -1);
        assert_non_null(strstr(err, ":2: frames takes"));
    }
    free(qz);
    wp_fixture_free(fx);
    free(pk);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grader_accepts_decimal_hex_padded_hex_binary_and_units),
        cmocka_unit_test(test_grader_gives_the_reason_of_a_known_mistake),
        cmocka_unit_test(test_grader_compares_names_blind_to_case_space_and_punctuation),
        cmocka_unit_test(test_grader_compares_addresses_by_value),
        cmocka_unit_test(test_grader_frame_answers_take_a_number_or_none),
        cmocka_unit_test(test_grader_frame_lists_are_sets_in_any_order),
        cmocka_unit_test(test_fragments_of_one_datagram_are_listed),
        cmocka_unit_test(test_types_parse_names_lists_and_all),
        cmocka_unit_test(test_prng_is_splitmix64_and_reproducible),
        cmocka_unit_test(test_same_seed_same_quiz_other_seed_other_quiz),
        cmocka_unit_test(test_every_expected_answer_is_graded_right),
        cmocka_unit_test(test_classic_mistakes_get_targeted_reasons),
        cmocka_unit_test(test_relative_seq_for_the_raw_field_is_a_known_mistake),
        cmocka_unit_test(test_the_view_quiz_asks_only_about_its_frame),
        cmocka_unit_test(test_a_ping_without_reply_is_answered_none),
        cmocka_unit_test(test_pack_reads_draws_and_written_questions),
        cmocka_unit_test(test_grader_bit_ranges_take_bits_ranges_and_bytes),
        cmocka_unit_test(test_grader_flags_take_names_in_any_order_or_the_value),
        cmocka_unit_test(test_grader_knows_written_out_wrong_answers_of_every_kind),
        cmocka_unit_test(test_tcp_segment_is_acknowledged_by_the_first_ack_covering_it),
        cmocka_unit_test(test_udp_and_dns_requests_are_paired_with_their_replies),
        cmocka_unit_test(test_teardown_steps_and_reset_are_classified),
        cmocka_unit_test(test_udp_and_tcp_checksum_steps_sum_the_pseudo_header),
        cmocka_unit_test(test_next_segment_seq_and_flags_are_predicted),
        cmocka_unit_test(test_locate_asks_bit_ranges_counted_from_the_most_significant_bit),
        cmocka_unit_test(test_blanked_field_question_draws_the_diagram_with_the_cell_marked),
        cmocka_unit_test(test_pack_wrong_lines_take_words_phrases_addresses_and_numbers),
        cmocka_unit_test(test_a_frame_range_asks_only_about_those_frames),
        cmocka_unit_test(test_pack_frames_lines_limit_the_draws_after_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
