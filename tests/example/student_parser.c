/* See student_parser.h. Multi-byte fields are copied out with memcpy and put
 * in host order with ntohs/ntohl (a pointer cast onto packet bytes could be
 * misaligned); the sub-byte fields are picked out with masks and shifts. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "student_parser.h"

static uint16_t read16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return ntohs(v);
}

static uint32_t read32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return ntohl(v);
}

int parse_ipv4(const uint8_t *buf, size_t len, struct ipv4_header *h)
{
    if (len < 20)
        return -1;
    h->version = buf[0] >> 4;
    h->ihl = buf[0] & 0x0f;
    if (h->version != 4 || h->ihl < 5)
        return -2;
    if (len < (size_t)h->ihl * 4)
        return -1;
    h->dscp = buf[1] >> 2;
    h->ecn = buf[1] & 0x03;
    h->total_length = read16(buf + 2);
    h->identification = read16(buf + 4);
    uint16_t flags_frag = read16(buf + 6);
    h->flags = flags_frag >> 13;
    h->dont_fragment = (flags_frag >> 14) & 1;
    h->more_fragments = (flags_frag >> 13) & 1;
    h->fragment_offset = flags_frag & 0x1fff;
    h->ttl = buf[8];
    h->protocol = buf[9];
    h->checksum = read16(buf + 10);
    h->src = read32(buf + 12);
    h->dst = read32(buf + 16);
    return h->ihl * 4;
}

int parse_udp(const uint8_t *buf, size_t len, struct udp_header *h)
{
    if (len < 8)
        return -1;
    h->src_port = read16(buf);
    h->dst_port = read16(buf + 2);
    h->length = read16(buf + 4);
    h->checksum = read16(buf + 6);
    if (h->length < 8)
        return -2;
    return 8;
}

int ipv4_checksum_ok(const uint8_t *buf, size_t hdr_len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < hdr_len; i += 2)
        sum += read16(buf + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum == 0xffff;
}

void ipv4_to_string(uint32_t addr, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", (unsigned)(addr >> 24), (unsigned)(addr >> 16 & 0xff),
             (unsigned)(addr >> 8 & 0xff), (unsigned)(addr & 0xff));
}
