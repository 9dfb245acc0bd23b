#include "wirepeel/checksum.h"

uint32_t wp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    uint64_t s = sum;
    size_t i = 0;
    for (; i + 1 < len; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < len)
        s += (uint32_t)p[i] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint32_t wp_csum_add16(uint32_t sum, uint16_t w)
{
    uint64_t s = (uint64_t)sum + w;
    return (uint32_t)((s & 0xffffffffu) + (s >> 32));
}

uint16_t wp_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t wp_csum_finish(uint32_t sum)
{
    return (uint16_t)~wp_csum_fold(sum);
}
