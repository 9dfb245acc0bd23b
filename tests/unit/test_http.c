/* Unit tests for the HTTP/1.x decoder (src/proto/http.c), reached through
 * the TCP port table (80, 8080, 8000, 3128) or a start line on any port:
 * request and status lines, header lines as options, a line with no end,
 * the header cap, a body segment, a line without a colon. Checked with
 * tshark (http.request.method, http.request.uri, http.request.version,
 * http.response.code) on captures/app-http.pcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/decode.h"
#include "wirepeel/render.h"

/* Field name of layer l as text equals want (and is shown). */
static void assert_text(const wp_packet *p, const wp_layer *l, const char *name, const char *want)
{
    const wp_field *f = wp_test_row(l->proto, name);
    assert_non_null(f);
    assert_int_equal(f->kind, WP_FK_TEXT);
    if (!wp_field_shown(p, l, f))
        fail_msg("%s is not shown, want \"%s\"", name, want);
    uint32_t n;
    const uint8_t *b = wp_field_text(p, l, f, &n);
    assert_non_null(b);
    if (n != strlen(want) || memcmp(b, want, n) != 0)
        fail_msg("%s is \"%.*s\", want \"%s\"", name, (int)n, (const char *)b, want);
}

static void assert_not_shown(const wp_packet *p, const wp_layer *l, const char *name)
{
    assert_false(wp_field_shown(p, l, wp_test_row(l->proto, name)));
}

/* Header line i of l: "name" and "value" */
static void assert_header(const wp_packet *p, const wp_layer *l, unsigned i, const char *name,
                          const char *value)
{
    assert_true(i < l->opt_count);
    const wp_opt *o = &p->opts[l->opt_first + i];
    assert_int_equal(o->nv, 4);
    assert_int_equal(o->v[0], strlen(name));
    assert_memory_equal(p->data + o->off, name, strlen(name));
    assert_int_equal(o->v[2], strlen(value));
    assert_memory_equal(p->data + o->v[1], value, strlen(value));
    assert_int_equal(wp_opt_extent(l, o), o->v[3]);
}

static void test_http_request_line_and_headers_on_port_80(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 0, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_non_null(h);
    assert_int_equal(h->off, 54);
    assert_int_equal(h->hdr_len, 94); /* the whole header, its empty line included */
    assert_text(&p, h, "method", "GET");
    assert_text(&p, h, "uri", "/index.html");
    assert_text(&p, h, "version", "HTTP/1.1");
    assert_not_shown(&p, h, "status");
    assert_not_shown(&p, h, "reason");
    assert_int_equal(h->opt_count, 3);
    assert_header(&p, h, 0, "Host", "example.com");
    assert_header(&p, h, 1, "User-Agent", "wirepeel-fixture/1.0");
    assert_header(&p, h, 2, "Accept", "*/*");
    /* nothing after the empty line: no payload layer */
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_HTTP);
    wp_fixture_free(fx);
}

static void test_http_status_line_and_body_as_payload(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 1, &p);
    assert_int_equal(p.nevents, 0);
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_non_null(h);
    assert_int_equal(h->h.http.response, 1);
    assert_int_equal(h->h.http.status_code, 200);
    assert_text(&p, h, "version", "HTTP/1.1");
    assert_text(&p, h, "status", "200");
    assert_text(&p, h, "reason", "OK");
    assert_not_shown(&p, h, "method");
    assert_true(wp_test_row(WP_PROTO_HTTP, "status")->flags & WP_FF_DIGITS);
    assert_header(&p, h, 1, "Content-Length", "13");
    const wp_layer *body = &p.layers[p.nlayers - 1];
    assert_int_equal(body->proto, WP_PROTO_PAYLOAD);
    assert_int_equal(body->off, h->off + h->hdr_len);
    assert_int_equal(body->len, 13);
    wp_fixture_free(fx);
}

static void test_http_start_line_found_on_an_unlisted_port(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 3, &p); /* port 5000 */
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_non_null(h);
    assert_text(&p, h, "uri", "/api/v1");
    assert_text(&p, h, "version", "HTTP/1.0");
    wp_fixture_free(fx);
}

static void test_http_body_segment_on_port_80_stays_payload(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 7, &p);
    assert_null(wp_test_layer(&p, WP_PROTO_HTTP, 0));
    assert_int_equal(p.layers[p.nlayers - 1].proto, WP_PROTO_PAYLOAD);
    wp_fixture_free(fx);
}

static void test_http_header_line_with_no_end_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 5, &p);
    assert_true(wp_test_has_event(&p, "http.line_unterminated"));
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_true(h->flags & WP_LF_TRUNCATED);
    assert_int_equal(h->opt_count, 1); /* Host; "User-Ag" is not a header yet */
    assert_header(&p, h, 0, "Host", "example.com");
    /* the cut line is payload */
    const wp_layer *rest = &p.layers[p.nlayers - 1];
    assert_int_equal(rest->proto, WP_PROTO_PAYLOAD);
    assert_int_equal(rest->len, 7);
    wp_fixture_free(fx);
}

static void test_http_start_line_with_no_end_keeps_its_whole_parts(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 9, &p); /* "GET /no-end-at-all HTT" */
    assert_true(wp_test_has_event(&p, "http.line_unterminated"));
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_text(&p, h, "method", "GET");
    assert_text(&p, h, "uri", "/no-end-at-all");
    assert_not_shown(&p, h, "version"); /* cut: not shown in part */
    wp_fixture_free(fx);
}

static void test_http_snap_length_cut_is_truncation(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 8, &p);
    assert_true(p.caplen < p.len);
    assert_true(wp_test_has_event(&p, "http.line_unterminated"));
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_text(&p, h, "uri", "/cut");
    assert_int_equal(h->opt_count, 0);
    wp_fixture_free(fx);
}

static void test_http_more_headers_than_the_cap_is_an_event(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 6, &p); /* 52 header lines */
    assert_true(wp_test_has_event(&p, "http.headers_cap"));
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_int_equal(h->opt_count, 48);
    assert_int_equal(h->h.http.nheaders, 48);
    assert_header(&p, h, 47, "X-H47", "v47");
    /* the lines not kept are payload, from the 49th on */
    const wp_layer *rest = &p.layers[p.nlayers - 1];
    assert_int_equal(rest->proto, WP_PROTO_PAYLOAD);
    assert_memory_equal(p.data + rest->off, "X-H48:", 6);
    wp_fixture_free(fx);
}

static void test_http_header_line_without_colon_is_invalid(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 11, &p);
    assert_true(wp_test_has_event(&p, "http.header_invalid"));
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_int_equal(h->opt_count, 1);
    assert_int_equal(p.nopts, 1); /* the option taken for it was given back */
    const wp_layer *rest = &p.layers[p.nlayers - 1];
    assert_memory_equal(p.data + rest->off, "broken line", 11);
    wp_fixture_free(fx);
}

static void test_http_response_over_ipv6_with_reason_of_two_words(void **state)
{
    (void)state;
    wp_fixture *fx = wp_fixture_load("app-http.pcap");
    wp_packet p;
    wp_fixture_decode(fx, 4, &p);
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_non_null(wp_test_layer(&p, WP_PROTO_IPV6, 0));
    assert_text(&p, h, "status", "404");
    assert_text(&p, h, "reason", "Not Found");
    wp_fixture_free(fx);
}

static void test_http_line_longer_than_the_cap_is_an_event(void **state)
{
    (void)state;
    static uint8_t data[9000], frame[9100];
    memcpy(data, "GET /", 5);
    memset(data + 5, 'a', sizeof data - 5);
    wp_packet p;
    wp_test_raw_tcp(frame, sizeof frame, 80, data, sizeof data, &p);
    assert_true(wp_test_has_event(&p, "http.line_too_long"));
    const wp_layer *h = wp_test_layer(&p, WP_PROTO_HTTP, 0);
    assert_non_null(h);
    assert_int_equal(h->hdr_len, 0);
    assert_not_shown(&p, h, "method");
}

static void test_http_start_test_wants_a_method_and_a_space(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int http;
    } cases[] = {{"GET / HTTP/1.1\r\n", 1}, {"HTTP/1.0 200 OK", 1}, {"OPTIONS * HTTP/1.1", 1},
                 {"GETX / HTTP/1.1", 0},    {"get / HTTP/1.1", 0},  {"HTTP/2.0 200", 0},
                 {"SSH-2.0-OpenSSH", 0},    {"GET", 0},             {"PATCH /a HTTP/1.1", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t frame[200];
        wp_packet p;
        wp_test_raw_tcp(frame, sizeof frame, 5555, cases[i].s, strlen(cases[i].s), &p);
        if ((wp_test_layer(&p, WP_PROTO_HTTP, 0) != NULL) != cases[i].http)
            fail_msg("\"%s\": HTTP %s", cases[i].s, cases[i].http ? "expected" : "not expected");
    }
}

static void test_http_on_a_tls_port_is_not_http(void **state)
{
    (void)state;
    uint8_t frame[200];
    const char *s = "GET / HTTP/1.1\r\n\r\n";
    wp_packet p;
    wp_test_raw_tcp(frame, sizeof frame, 443, s, strlen(s), &p);
    assert_null(wp_test_layer(&p, WP_PROTO_HTTP, 0));
    assert_null(wp_test_layer(&p, WP_PROTO_TLS, 0));
}

static void test_http_json_escapes_quotes_backslashes_and_non_ascii_bytes(void **state)
{
    (void)state;
    static const char req[] = "GET /a\"b HTTP/1.1\r\nX-V: q\"\\\x01\xff\r\n\r\n";
    uint8_t frame[200];
    wp_packet p;
    wp_test_raw_tcp(frame, sizeof frame, 80, req, sizeof req - 1, &p);
    char out[4096];
    wp_sink s;
    wp_sink_init_mem(&s, out, sizeof out);
    wp_render_opts o;
    memset(&o, 0, sizeof o);
    wp_render(&s, WP_OUT_JSON, &p, 1, &o);
    wp_sink_putc(&s, '\0');
    if (!strstr(out, "\"uri\":\"/a\\\"b\""))
        fail_msg("uri not escaped: %s", out);
    if (!strstr(out, "\"headers\":[{\"name\":\"X-V\",\"value\":\"q\\\"\\\\\\u0001\\u00ff\"}]"))
        fail_msg("header value not escaped: %s", out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_request_line_and_headers_on_port_80),
        cmocka_unit_test(test_http_status_line_and_body_as_payload),
        cmocka_unit_test(test_http_start_line_found_on_an_unlisted_port),
        cmocka_unit_test(test_http_body_segment_on_port_80_stays_payload),
        cmocka_unit_test(test_http_header_line_with_no_end_is_truncation),
        cmocka_unit_test(test_http_start_line_with_no_end_keeps_its_whole_parts),
        cmocka_unit_test(test_http_snap_length_cut_is_truncation),
        cmocka_unit_test(test_http_more_headers_than_the_cap_is_an_event),
        cmocka_unit_test(test_http_header_line_without_colon_is_invalid),
        cmocka_unit_test(test_http_response_over_ipv6_with_reason_of_two_words),
        cmocka_unit_test(test_http_line_longer_than_the_cap_is_an_event),
        cmocka_unit_test(test_http_start_test_wants_a_method_and_a_space),
        cmocka_unit_test(test_http_on_a_tls_port_is_not_http),
        cmocka_unit_test(test_http_json_escapes_quotes_backslashes_and_non_ascii_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
