#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "wirepeel/capture.h"
#include "wirepeel/decode.h"
#include "proto/proto.h"

wp_fixture *wp_fixture_load(const char *name)
{
    const char *dir = getenv("WP_CAPTURES");
    char path[1024];
    char err[WP_ERRBUF];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "captures", name);
    wp_capture *c = wp_capture_open_file(path, err, sizeof err);
    if (!c)
        fail_msg("fixture %s: %s", path, err);
    wp_fixture *fx = calloc(1, sizeof *fx);
    size_t cap = 0;
    wp_frame f;
    int rc;
    while ((rc = wp_capture_next(c, &f, err, sizeof err)) == 1) {
        if (fx->n == cap) {
            cap = cap ? cap * 2 : 16;
            fx->frames = realloc(fx->frames, cap * sizeof *fx->frames);
            fx->bufs = realloc(fx->bufs, cap * sizeof *fx->bufs);
        }
        uint8_t *b = malloc(f.caplen ? f.caplen : 1);
        memcpy(b, f.data, f.caplen);
        fx->bufs[fx->n] = b;
        fx->frames[fx->n] = f;
        fx->frames[fx->n].data = b;
        fx->n++;
    }
    if (rc < 0)
        fail_msg("fixture %s: %s", path, err);
    wp_capture_close(c);
    return fx;
}

void wp_fixture_decode(const wp_fixture *fx, size_t i, wp_packet *p)
{
    if (i >= fx->n)
        fail_msg("fixture has %zu frames, asked for frame index %zu", fx->n, i);
    wp_decode(&fx->frames[i], p);
}

void wp_fixture_free(wp_fixture *fx)
{
    if (!fx)
        return;
    for (size_t i = 0; i < fx->n; i++)
        free(fx->bufs[i]);
    free(fx->bufs);
    free(fx->frames);
    free(fx);
}

const wp_layer *wp_test_layer(const wp_packet *p, unsigned proto, unsigned nth)
{
    for (unsigned i = 0; i < p->nlayers; i++)
        if (p->layers[i].proto == proto && nth-- == 0)
            return &p->layers[i];
    return NULL;
}

int wp_test_has_event(const wp_packet *p, const char *code)
{
    for (unsigned i = 0; i < p->nevents; i++)
        if (strcmp(p->events[i].def->code, code) == 0)
            return 1;
    return 0;
}

const wp_field *wp_test_row(unsigned proto, const char *name)
{
    const wp_proto_info *pi = wp_proto_get(proto);
    for (size_t i = 0; i < pi->nfields; i++)
        if (strcmp(pi->fields[i].name, name) == 0)
            return &pi->fields[i];
    fail_msg("%s has no field %s", pi->name, name);
    return NULL;
}

uint64_t wp_test_field(const wp_layer *l, const char *name)
{
    return wp_field_uint(l, wp_test_row(l->proto, name));
}

/* Decode fixture frame i as Ethernet / IPv4 / transport with the Ethernet
 * and transport decoders and a stand-in IPv4 layer read from the frame's own
 * IPv4 header (addresses, IHL, total length), so these fixture tests check
 * the transport decoder whatever state the IPv4 decoder is in. Returns the
 * transport layer; *nx is what it leaves for the next layer. */
const wp_layer *wp_test_fixture_transport(const wp_fixture *fx, size_t i, wp_packet *p, wp_next *nx)
{
    assert_true(i < fx->n);
    const wp_frame *f = &fx->frames[i];
    memset(p, 0, sizeof *p);
    p->data = f->data;
    p->caplen = f->caplen;
    p->len = f->len;
    p->linktype = f->linktype;
    wp_next e = {WP_PROTO_ETH, 0, 0, 0, f->caplen};
    wp_eth_decode(p, &e);
    assert_int_equal(e.proto, WP_PROTO_IPV4);
    const uint8_t *ip = f->data + e.off;
    uint32_t ihl = (ip[0] & 15u) * 4u, total = (uint32_t)ip[2] << 8 | ip[3];
    wp_next in = {WP_PROTO_IPV4, 0, 1, e.off, e.off + total};
    wp_layer *l = wp_pkt_push(p, &in, WP_PROTO_IPV4);
    l->hdr_len = ihl;
    l->len = total;
    l->h.ipv4.proto = ip[9];
    memcpy(l->h.ipv4.src, ip + 12, 4);
    memcpy(l->h.ipv4.dst, ip + 16, 4);
    wp_next t = {(uint8_t)wp_proto_by_ipproto(ip[9]), 0, 2, e.off + ihl, e.off + total};
    *nx = t;
    if (t.proto == WP_PROTO_TCP)
        wp_tcp_decode(p, nx);
    else
        wp_udp_decode(p, nx);
    assert_int_equal(p->nlayers, 3);
    return &p->layers[2];
}

uint16_t wp_test_ref_csum(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

void wp_test_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void wp_test_put32(uint8_t *p, uint32_t v)
{
    wp_test_put16(p, (uint16_t)(v >> 16));
    wp_test_put16(p + 2, (uint16_t)v);
}

void wp_test_raw_tcp(uint8_t *buf, size_t cap, unsigned dport, const void *d, size_t n,
                     wp_packet *p)
{
    assert_true(cap >= 40 && n <= cap - 40);
    memset(buf, 0, 40);
    buf[0] = 0x45;
    wp_test_put16(buf + 2, (uint16_t)(40 + n));
    buf[8] = 64;
    buf[9] = 6;
    buf[12] = 192, buf[15] = 1, buf[16] = 192, buf[19] = 2;
    wp_test_put16(buf + 20, 40000);
    wp_test_put16(buf + 22, (uint16_t)dport);
    buf[32] = 0x50;
    buf[33] = 0x18;
    if (n)
        memcpy(buf + 40, d, n);
    wp_frame f = {.caplen = (uint32_t)(40 + n), .len = (uint32_t)(40 + n), .linktype = 101,
                  .data = buf};
    wp_decode(&f, p);
}
