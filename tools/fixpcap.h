/* fixpcap.h — the fixture generators' one pcap writer, through libpcap's
 * dumper: frame n of a file is stamped BASE_SEC + n ms (the includer
 * defines BASE_SEC), microsecond timestamps. Include after fixbuf.h or
 * anything else that defines die(what, why). */
#ifndef WP_FIXPCAP_H
#define WP_FIXPCAP_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

typedef struct fixpcap {
    pcap_t *p;
    pcap_dumper_t *d;
    unsigned n; /* frames written */
} fixpcap;

/* Create DIR/NAME for link type dlt with the file header's snap length
 * snaplen; exits through die() when it cannot. */
static inline void fixpcap_open(fixpcap *o, const char *dir, const char *name, int dlt,
                                int snaplen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    o->p = pcap_open_dead_with_tstamp_precision(dlt, snaplen, PCAP_TSTAMP_PRECISION_MICRO);
    if (!o->p)
        die(path, "pcap_open_dead failed");
    o->d = pcap_dump_open(o->p, path);
    if (!o->d)
        die(path, pcap_geterr(o->p));
    o->n = 0;
}

/* Write the n-byte frame d, of which only the first caplen bytes were
 * captured (0: all). */
static inline void fixpcap_write(fixpcap *o, const uint8_t *d, size_t n, size_t caplen)
{
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = BASE_SEC;
    h.ts.tv_usec = (long)o->n++ * 1000L;
    h.len = (bpf_u_int32)n;
    h.caplen = (bpf_u_int32)(caplen && caplen < n ? caplen : n);
    pcap_dump((u_char *)o->d, &h, d);
}

static inline void fixpcap_close(fixpcap *o)
{
    if (pcap_dump_flush(o->d) != 0)
        die("pcap_dump_flush", "write failed");
    pcap_dump_close(o->d);
    pcap_close(o->p);
}

#endif
