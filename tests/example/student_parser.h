/* A hand-written IPv4 and UDP header parser, the way a student writes one for
 * a networking course: its own structs, ntohs/ntohl and shifts, no wirepeel
 * code at all. tests/example/test_student_parser.c checks it against what
 * wirepeel decodes from the fixture captures. */
#ifndef STUDENT_PARSER_H
#define STUDENT_PARSER_H

#include <stddef.h>
#include <stdint.h>

struct ipv4_header {
    uint8_t version;          /* 4 */
    uint8_t ihl;              /* header length in 32-bit words (5..15) */
    uint8_t dscp;
    uint8_t ecn;
    uint16_t total_length;    /* header + data, in bytes */
    uint16_t identification;
    uint8_t flags;            /* 3 bits: reserved, DF, MF */
    uint8_t dont_fragment;
    uint8_t more_fragments;
    uint16_t fragment_offset; /* in 8-byte units */
    uint8_t ttl;
    uint8_t protocol;         /* 17 = UDP */
    uint16_t checksum;
    uint32_t src;             /* host byte order: 192.0.2.1 is 0xc0000201 */
    uint32_t dst;
};

struct udp_header {
    uint16_t src_port;
    uint16_t dst_port;
    uint16_t length;          /* header + data, in bytes */
    uint16_t checksum;
};

/* Parse the IPv4 header at buf (len bytes available). Returns the header
 * length in bytes (ihl * 4) on success, -1 when len is too short for the
 * header, -2 when the header is not a valid IPv4 header (version != 4 or
 * ihl < 5). */
int parse_ipv4(const uint8_t *buf, size_t len, struct ipv4_header *h);

/* Parse the UDP header at buf. Returns 8 on success, -1 when len < 8, -2 when
 * the length field is below 8. */
int parse_udp(const uint8_t *buf, size_t len, struct udp_header *h);

/* 1 if the IPv4 header checksum over buf[0..hdr_len) is right, else 0. */
int ipv4_checksum_ok(const uint8_t *buf, size_t hdr_len);

/* The address in dotted-quad form ("192.0.2.1") into out (16 bytes). */
void ipv4_to_string(uint32_t addr, char out[16]);

#endif
