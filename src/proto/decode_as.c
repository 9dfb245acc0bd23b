/* --decode-as rules: "udp.port=N:PROTO" parsed into wp_decode_opts, which
 * wp_decode_with() hands to the UDP and TCP decoders (core/decoder.h's
 * wp_pkt_decode_as). The names are the registry's own (wp_proto_info.name),
 * so a protocol added to the registry is a name here without more code. */
#include <stdio.h>
#include <stdlib.h>

#include "proto.h"

/* Whether kind p can be named: a header kind with a decoder that makes
 * sense at the start of a payload (not an IPv6 extension header, which
 * only follows IPv6, nor a Geneve option), or "data" (WP_PROTO_PAYLOAD: do not decode). */
static int nameable(unsigned p)
{
    if (p == WP_PROTO_PAYLOAD)
        return 1;
    if (p >= WP_PROTO_COUNT || !wp_proto_registry[p].decode)
        return 0;
    return p != WP_PROTO_IPV6_HOPOPTS && p != WP_PROTO_IPV6_ROUTE &&
           p != WP_PROTO_IPV6_FRAG && p != WP_PROTO_IPV6_DSTOPTS &&
           p != WP_PROTO_GENEVE_OPT; /* only inside Geneve */
}

static const char *name_of(unsigned p)
{
    return p == WP_PROTO_PAYLOAD ? "data" : wp_proto_get(p)->name;
}

const char *wp_decode_as_names(char *buf, size_t n)
{
    size_t k = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
        if (!nameable(p))
            continue;
        int w = snprintf(buf + k, n - k, "%s%s", k ? ", " : "", name_of(p));
        if (w < 0 || (size_t)w >= n - k)
            break; /* cut: what fits stays, NUL-terminated */
        k += (size_t)w;
    }
    return buf;
}

/* The kind named s[0, len), or WP_PROTO_COUNT for none. */
static unsigned proto_named(const char *s, size_t len)
{
    for (unsigned p = 0; p < WP_PROTO_COUNT; p++) {
        if (!nameable(p))
            continue;
        const char *nm = name_of(p);
        if (strlen(nm) == len && strncasecmp(nm, s, len) == 0)
            return p;
    }
    return WP_PROTO_COUNT;
}

int wp_decode_as_add(wp_decode_opts *o, const char *spec, char *err, size_t errlen)
{
    unsigned transport;
    const char *s = spec;
    if (strncmp(s, "udp.port", 8) == 0) {
        transport = WP_PROTO_UDP;
    } else if (strncmp(s, "tcp.port", 8) == 0) {
        transport = WP_PROTO_TCP;
    } else {
        snprintf(err, errlen,
                 "'%s' is not a decode-as rule: write udp.port=PORT:PROTO or "
                 "tcp.port=PORT:PROTO",
                 spec);
        return -1;
    }
    s += 8;
    if (s[0] == '=' && s[1] == '=')
        s += 2;
    else if (s[0] == '=')
        s += 1;
    else {
        snprintf(err, errlen, "'%s': expected '=' after %.8s", spec, spec);
        return -1;
    }
    /* the port: 1..65535, decimal digits only */
    unsigned long port = 0;
    const char *d = s;
    while (*s >= '0' && *s <= '9' && s - d < 6)
        port = port * 10 + (unsigned long)(*s++ - '0');
    if (s == d || port == 0 || port > 65535 || (*s != ':' && *s != ',')) {
        snprintf(err, errlen, "'%s': the port must be a number from 1 to 65535 followed by "
                              "':PROTO'",
                 spec);
        return -1;
    }
    s++;
    unsigned proto = proto_named(s, strlen(s));
    if (proto == WP_PROTO_COUNT) {
        char names[512];
        snprintf(err, errlen, "'%s': unknown protocol '%s' (known: %s)", spec, s,
                 wp_decode_as_names(names, sizeof names));
        return -1;
    }
    unsigned i = 0;
    while (i < o->n_as && i < WP_DECODE_AS_MAX &&
           !(o->as[i].transport == transport && o->as[i].port == port))
        i++;
    if (i >= WP_DECODE_AS_MAX) {
        snprintf(err, errlen, "'%s': at most %d decode-as rules", spec, WP_DECODE_AS_MAX);
        return -1;
    }
    o->as[i].transport = (uint8_t)transport;
    o->as[i].port = (uint16_t)port;
    o->as[i].proto = (uint8_t)proto;
    if (i == o->n_as)
        o->n_as++;
    return 0;
}
