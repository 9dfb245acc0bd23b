/* The protocol registry (src/proto/registry.c): every header kind has a
 * row with its info and decoder, the data kinds have an info and no
 * decoder, names are unique, and option names and pseudo-header hooks are
 * found through it. A kind added to wp_proto without its registry row
 * fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/decoder.h"
#include "wirepeel/packet.h"

static int is_data_kind(unsigned p)
{
    return p == WP_PROTO_NONE || p == WP_PROTO_PAYLOAD || p == WP_PROTO_FRAGMENT ||
           p == WP_PROTO_TRAILER || p == WP_PROTO_RAW;
}

static void test_registry_every_header_kind_has_info_and_decoder(void **state)
{
    (void)state;
    for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
        const wp_proto_entry *e = &wp_proto_registry[p];
        assert_non_null(e->info);
        assert_ptr_equal(wp_proto_get(p), e->info);
        if (is_data_kind(p)) {
            assert_null(e->decode);
            assert_int_equal(e->info->nfields, 0);
        } else {
            assert_non_null(e->decode);
            assert_true(e->info->nfields > 0);
        }
    }
}

static void test_registry_names_are_unique(void **state)
{
    (void)state;
    for (unsigned a = 0; a < WP_PROTO_COUNT; a++)
        for (unsigned b = a + 1; b < WP_PROTO_COUNT; b++)
            if (strcmp(wp_proto_get(a)->name, wp_proto_get(b)->name) == 0)
                fail_msg("kinds %u and %u are both \"%s\"", a, b, wp_proto_get(a)->name);
}

static void test_registry_out_of_range_kind_is_none(void **state)
{
    (void)state;
    assert_string_equal(wp_proto_get(WP_PROTO_COUNT)->name, "none");
    assert_string_equal(wp_proto_get(~0u)->name, "none");
    assert_null(wp_opt_name(WP_PROTO_COUNT, 2));
}

static void test_registry_option_names_through_the_row(void **state)
{
    (void)state;
    assert_string_equal(wp_opt_name(WP_PROTO_TCP, 2), "mss");
    assert_string_equal(wp_opt_name(WP_PROTO_IPV4, 131), "lsrr");
    assert_non_null(wp_opt_name(WP_PROTO_IPV6_HOPOPTS, 5));
    assert_non_null(wp_opt_name(WP_PROTO_IPV6_DSTOPTS, 1));
    /* kinds without named options */
    assert_null(wp_opt_name(WP_PROTO_UDP, 2));
    assert_null(wp_opt_name(WP_PROTO_IPV6_ROUTE, 2));
}

/* Only IP headers end a pseudo-header walk; the routing header (its final
 * destination) and destination options (a Home Address option's source)
 * take part, nothing else does. */
static void test_registry_pseudo_hooks_on_ip_routing_and_dstopts_only(void **state)
{
    (void)state;
    for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
        int want = p == WP_PROTO_IPV4 || p == WP_PROTO_IPV6 || p == WP_PROTO_IPV6_ROUTE ||
                   p == WP_PROTO_IPV6_DSTOPTS;
        assert_int_equal(wp_proto_registry[p].pseudo != NULL, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_every_header_kind_has_info_and_decoder),
        cmocka_unit_test(test_registry_names_are_unique),
        cmocka_unit_test(test_registry_out_of_range_kind_is_none),
        cmocka_unit_test(test_registry_option_names_through_the_row),
        cmocka_unit_test(test_registry_pseudo_hooks_on_ip_routing_and_dstopts_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
