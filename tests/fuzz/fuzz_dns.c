/* libFuzzer harness for DNS messages and their names (src/proto/dns.c):
 * the input is a DNS message, put behind a fixed IPv4 and UDP header to
 * port 53 (UDP checksum 0: none) so that the fuzzer spends its bytes on the
 * message, not on reaching it. The frame is decoded, read and rendered with
 * every renderer (tests/fuzz/exercise.h), its promises checked, and then
 * wp_dns_name() is asked for a name at every offset of the message, with
 * buffers of every size from 1 to 64 bytes and a full one: whatever the
 * offset, the reader must stay inside the message, end its text with a NUL
 * inside the buffer, and stop. The frame is copied into an exactly-sized
 * buffer so ASan sees a read one byte past it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exercise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wp_packet pkt;          /* harness state only: too big for the stack */
    static char out[256 * 1024];
    char why[2048];
    if (size > 65000)
        return 0;
    size_t n = 28 + size;
    uint8_t *b = malloc(n);
    if (!b)
        return 0;
    /* IPv4: 20 bytes, no options, UDP; the header checksum filled in */
    memset(b, 0, 28);
    b[0] = 0x45;
    b[2] = (uint8_t)(n >> 8);
    b[3] = (uint8_t)n;
    b[8] = 64;
    b[9] = 17;
    b[12] = 192, b[13] = 0, b[14] = 2, b[15] = 1;
    b[16] = 192, b[17] = 0, b[18] = 2, b[19] = 53;
    uint32_t s = 0;
    for (unsigned i = 0; i < 20; i += 2)
        s += (uint32_t)b[i] << 8 | b[i + 1];
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    b[10] = (uint8_t)(~s >> 8);
    b[11] = (uint8_t)~s;
    /* UDP 40000 -> 53, length, checksum 0 */
    b[20] = 0x9c, b[21] = 0x40, b[22] = 0, b[23] = 53;
    b[24] = (uint8_t)((8 + size) >> 8);
    b[25] = (uint8_t)(8 + size);
    if (size)
        memcpy(b + 28, data, size);
    wp_frame f = {1700000000, 0, (uint32_t)n, (uint32_t)n, WP_LINK_RAW, b};
    wp_decode(&f, &pkt);
    volatile uint64_t acc = wp_exercise_packet(&pkt, 1, out, sizeof out);
    if (wp_check_packet(&pkt, why, sizeof why)) {
        fprintf(stderr, "broken promise (DNS message of %zu bytes):\n%s", size, why);
        abort();
    }
    for (unsigned i = 0; i < pkt.nlayers; i++) {
        const wp_layer *l = &pkt.layers[i];
        if (l->proto != WP_PROTO_DNS)
            continue;
        char nb[256];
        for (uint32_t off = l->off; off < n; off++) {
            size_t k = (off - l->off) % 64 + 1;
            char *small = malloc(k);
            if (!small)
                break;
            wp_dns_name(&pkt, l, off, small, k);
            if (memchr(small, '\0', k) == NULL) {
                fprintf(stderr, "wp_dns_name left no NUL in %zu bytes (at %u)\n", k, off);
                abort();
            }
            free(small);
            wp_dns_name(&pkt, l, off, nb, sizeof nb);
            acc += (uint64_t)strlen(nb);
        }
    }
    (void)acc;
    free(b);
    return 0;
}
