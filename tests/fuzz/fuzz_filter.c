/* libFuzzer harness for display filters (src/filter/): the input up to its
 * first NUL is an expression for the compiler; what follows is a frame
 * (tests/fuzz/exercise.h: wp_fuzz_frame) that the expression, when it
 * compiles, and a fixed set of expressions that use every operator are
 * matched against. Checks: a failed compile says where (a position inside
 * the expression or at its end), the error text fits its buffer, matching
 * twice gives the same answer, and the match agrees with its own negation.
 * The frame is copied into an exactly-sized buffer so ASan sees a read one
 * byte past it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"
#include "wirepeel/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed[] = {
    "ip.addr == 10.0.0.0/8 or ipv6.addr == fe80::/10 or eth.addr == ff:ff:ff:ff:ff:ff",
    "tcp.port in {80, 443, 1..1023} and tcp.flags & 0x12 and not tcp.flags.reset == 1",
    "frame contains \"GET\" or tcp contains 02:04 or frame[12:2] == 08:00 or ip[0] == 45",
    "frame[-4:] == 00:00:00:00 or udp[2:] contains ff or eth.src[0:3] == 00:00:0c",
    "ip.src != 192.0.2.1 and ip.ttl ~= 64 and udp.length <= 8 and icmp.type >= 3",
    "vlan.id == 100 or arp.opcode == 2 or ipv6-frag.id > 0 or tcp.len > 0 or ip.hdr_len > 20",
    "sll.pkttype == 4 or null.family == 2 or payload contains 00 or trailer or frame.len < 60",
};

static void check(const wp_filter *f, const wp_packet *p)
{
    wp_filter_frame fr = {.number = 7};
    int a = wp_filter_match(f, p, &fr);
    int b = wp_filter_match(f, p, &fr);
    if (a != b || (a != 0 && a != 1)) {
        fprintf(stderr, "filter answers %d then %d for the same packet\n", a, b);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt; /* harness state only: too big for the stack */
    const uint8_t *nul = memchr(data, 0, size);
    size_t elen = nul ? (size_t)(nul - data) : size;
    char *expr = malloc(elen + 1);
    if (!expr)
        return 0;
    memcpy(expr, data, elen);
    expr[elen] = '\0';
    wp_filter_error e;
    wp_filter *f = wp_filter_compile(expr, &e);
    if (!f) {
        if (e.pos > elen || e.msg[0] == '\0') {
            fprintf(stderr, "error at %zu of a %zu-byte expression: '%s'\n", e.pos, elen,
                    e.msg);
            abort();
        }
        char text[96];
        wp_filter_error_text(expr, &e, text, sizeof text);
        if (strlen(text) >= sizeof text)
            abort();
    }
    /* the frame after the NUL (or none) */
    size_t off = nul ? elen + 1 : size;
    size_t flen = size - off;
    uint8_t *copy = malloc(flen ? flen : 1);
    if (copy) {
        memcpy(copy, data + off, flen);
        wp_frame fr;
        wp_fuzz_frame(copy, flen, &fr);
        wp_decode(&fr, &pkt);
        if (f)
            check(f, &pkt);
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
            wp_filter *g = wp_filter_compile(fixed[i], NULL);
            if (!g)
                abort();
            check(g, &pkt);
            wp_filter_free(g);
        }
        free(copy);
    }
    wp_filter_free(f);
    free(expr);
    return 0;
}
