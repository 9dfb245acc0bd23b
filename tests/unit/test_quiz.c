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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
