/* wirepeel — capture sources: saved files, live interfaces (libpcap), and an
 * AF_PACKET raw socket. The only module that talks to libpcap. */
#ifndef WIREPEEL_CAPTURE_H
#define WIREPEEL_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

typedef struct wp_capture wp_capture;

#define WP_ERRBUF 512

/* Options for a live capture; zero means the default. */
typedef struct wp_live_opts {
    int snaplen;      /* default 262144 */
    int promisc;      /* default off */
    int timeout_ms;   /* default 100 */
    int raw_socket;   /* read through AF_PACKET/SOCK_RAW instead of libpcap */
    int immediate;    /* default on */
} wp_live_opts;

/* Open a saved .pcap or .pcapng file (nanosecond timestamps kept). Returns
 * NULL and a one-line reason in err (naming the file) on failure. */
wp_capture *wp_capture_open_file(const char *path, char *err, size_t errlen);

/* Open interface iface for live capture. NULL and a one-line reason in err on
 * failure; permission failures name CAP_NET_RAW and how to get it. Warnings
 * from activation are written into warn (empty when none). */
wp_capture *wp_capture_open_live(const char *iface, const wp_live_opts *o, char *warn,
                                 size_t warnlen, char *err, size_t errlen);

/* Compile and apply a BPF filter. -1 and a reason quoting the filter on error. */
int wp_capture_set_filter(wp_capture *c, const char *bpf, char *err, size_t errlen);

/* Read the next frame. Returns 1 with *f filled (f->data valid until the next
 * call), 0 at the end of a file, 2 when a live read timed out with nothing,
 * -1 on an error (reason in err: a file cut short says where). */
int wp_capture_next(wp_capture *c, wp_frame *f, char *err, size_t errlen);

/* A descriptor that becomes readable when a live capture has frames, or -1. */
int wp_capture_fd(const wp_capture *c);

/* The capture's link type (LINKTYPE_*) and snap length. */
int wp_capture_linktype(const wp_capture *c);
int wp_capture_snaplen(const wp_capture *c);

/* Live statistics; -1 when the source has none (files). */
typedef struct wp_capture_stats {
    uint64_t received, dropped_kernel, dropped_iface;
} wp_capture_stats;
int wp_capture_stats_get(wp_capture *c, wp_capture_stats *s);

/* Ask a blocking read to return (safe from a signal handler). */
void wp_capture_break(wp_capture *c);

/* Close and free (NULL is fine). */
void wp_capture_close(wp_capture *c);

/* ---- writing ---- */
typedef struct wp_dumper wp_dumper;

/* Create a .pcap file at path for frames of the given link type and snap
 * length (nanosecond precision). NULL and a reason in err on failure. */
wp_dumper *wp_dumper_open(const char *path, int linktype, int snaplen, char *err, size_t errlen);

/* Append frame f. -1 and err on a write error (disk full). */
int wp_dumper_write(wp_dumper *d, const wp_frame *f, char *err, size_t errlen);

/* Flush buffered records to the file; -1 and err on failure. */
int wp_dumper_flush(wp_dumper *d, char *err, size_t errlen);

/* Flush and close; -1 and err if the final flush failed. NULL is fine. */
int wp_dumper_close(wp_dumper *d, char *err, size_t errlen);

#endif
