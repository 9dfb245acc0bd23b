/* wirepeel — capture sources: saved files, live interfaces (libpcap), and an
 * AF_PACKET raw socket. The only module that talks to libpcap.
 *
 * Every error comes back as one line in the caller's err buffer, naming what
 * failed and, where there is one, what to do about it. Nothing here prints. */
#ifndef WIREPEEL_CAPTURE_H
#define WIREPEEL_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "wirepeel/packet.h"

typedef struct wp_capture wp_capture;

#define WP_ERRBUF 512

/* The largest snap length wirepeel accepts (and the default): 256 KiB, as
 * libpcap and tcpdump use. */
#define WP_SNAPLEN_MAX 262144

/* Options for a live capture; zero means the default. */
typedef struct wp_live_opts {
    int snaplen;      /* default (and 0): WP_SNAPLEN_MAX */
    int promisc;      /* default off */
    int timeout_ms;   /* default 100 */
    int raw_socket;   /* read through AF_PACKET/SOCK_RAW instead of libpcap */
    int immediate;    /* 1: on; -1: off; 0 (the default): on only when
                         standard output is a terminal, as tcpdump does */
    int buffer_size;  /* kernel ring in bytes; default 16 MiB. In immediate
                         mode every frame takes a snaplen-sized slot (on lo,
                         with its 64 KiB MTU, 2 MiB holds only ~30 frames);
                         buffered mode packs frames into blocks */
} wp_live_opts;

/* Open a saved .pcap or .pcapng file (nanosecond timestamps kept). Returns
 * NULL and a one-line reason in err (naming the file) on failure: missing,
 * a directory, empty, cut inside the file header, not a capture file. A link
 * type wirepeel cannot decode is not an error (the decoder shows it raw). */
wp_capture *wp_capture_open_file(const char *path, char *err, size_t errlen);

/* Open interface iface for live capture (libpcap, or an AF_PACKET socket
 * when o->raw_socket). o may be NULL for the defaults. NULL and a one-line
 * reason in err on failure: an unknown interface says how to list them, a
 * permission failure names CAP_NET_RAW and how to get it. Warnings from
 * activation are written into warn (empty when none). */
wp_capture *wp_capture_open_live(const char *iface, const wp_live_opts *o, char *warn,
                                 size_t warnlen, char *err, size_t errlen);

/* The interfaces libpcap can open, numbered as tcpdump -D lists them
 * ("1.eth0 [Up, Running, Connected]", "2.lo (Loopback) [Up, Running,
 * Loopback]"), one a line, into out[outlen] (cut at outlen). 0, or -1 with
 * libpcap's reason in err. */
int wp_capture_list_ifaces(char *out, size_t outlen, char *err, size_t errlen);

/* Compile and apply a BPF filter (to a file, a live pcap capture or the raw
 * socket). -1 and a reason quoting the filter and libpcap's message on error. */
int wp_capture_set_filter(wp_capture *c, const char *bpf, char *err, size_t errlen);

/* Check that bpf compiles for link type linktype (LINKTYPE_*) at snaplen,
 * without any capture. 0 when it does; -1 and the same message as
 * wp_capture_set_filter when it does not. */
int wp_capture_filter_check(const char *bpf, int linktype, int snaplen, char *err,
                            size_t errlen);

/* Read the next frame. Returns 1 with *f filled (f->data valid until the next
 * call), 0 at the end of a file (or after wp_capture_break), 2 when a live
 * read timed out with nothing (or a signal arrived), -1 on an error (reason
 * in err: a file cut short says at which byte and which packet). */
int wp_capture_next(wp_capture *c, wp_frame *f, char *err, size_t errlen);

/* A descriptor that becomes readable when a live capture has frames, or -1
 * (files). */
int wp_capture_fd(const wp_capture *c);

/* The capture's link type (LINKTYPE_*, as in the file) and snap length. */
int wp_capture_linktype(const wp_capture *c);
int wp_capture_snaplen(const wp_capture *c);

/* 1 for a live source (pcap or raw socket), 0 for a file. */
int wp_capture_is_live(const wp_capture *c);

/* Frames handed out by wp_capture_next so far. */
uint64_t wp_capture_count(const wp_capture *c);

/* The capture's own number of the frame wp_capture_next handed out last:
 * for a file, its record number counting every record, those a -f filter
 * rejected too (tshark's frame.number); live, the frames handed out. 0
 * before the first frame. */
uint64_t wp_capture_frame_number(const wp_capture *c);

/* Live statistics; -1 when the source has none (files). received counts
 * what the filter accepted, as pcap_stats' ps_recv does. */
typedef struct wp_capture_stats {
    uint64_t received, dropped_kernel, dropped_iface;
    /* 1: a loopback interface read through libpcap, whose kernel counts
     * include each packet twice (going out and coming in) while libpcap
     * hands out only the incoming copy */
    int counts_twice;
} wp_capture_stats;
/* Fill *s for a live capture and return 0; -1 (s zeroed) for a file or
 * when the system cannot tell. */
int wp_capture_stats_get(wp_capture *c, wp_capture_stats *s);

/* Ask a blocking read to return 0 (safe from a signal handler). */
void wp_capture_break(wp_capture *c);

/* Close and free (NULL is fine). */
void wp_capture_close(wp_capture *c);

/* ---- writing ---- */
typedef struct wp_dumper wp_dumper;

/* Create a capture file at path (pcap; pcapng when path ends in .pcapng;
 * "-" for standard output) for frames of the given link type (LINKTYPE_*)
 * and snap length (nanosecond precision). NULL and a reason naming the path
 * in err on failure (a missing directory, no permission, a directory). */
wp_dumper *wp_dumper_open(const char *path, int linktype, int snaplen, char *err, size_t errlen);

/* File formats wp_dumper_open_as writes. */
enum { WP_DUMP_AUTO = 0, WP_DUMP_PCAP, WP_DUMP_PCAPNG };

/* Like wp_dumper_open, in a chosen format: WP_DUMP_AUTO picks pcapng for a
 * path ending in .pcapng and pcap otherwise. path "-" writes standard
 * output. pcapng is written with one interface per link type met (named
 * ifname when not NULL, nanosecond timestamps), so frames of several link
 * types fit; a pcap file refuses a frame of another link type than the
 * one it was opened for. */
wp_dumper *wp_dumper_open_as(const char *path, int format, int linktype, int snaplen,
                             const char *ifname, char *err, size_t errlen);

/* Append frame f. -1 and err on a write error (disk full); after an error
 * every further call fails the same way. */
int wp_dumper_write(wp_dumper *d, const wp_frame *f, char *err, size_t errlen);

/* Flush buffered records to the file; -1 and err on failure. */
int wp_dumper_flush(wp_dumper *d, char *err, size_t errlen);

/* Flush and close; -1 and err if the final flush or close failed. NULL is
 * fine. */
int wp_dumper_close(wp_dumper *d, char *err, size_t errlen);

/* ---- a BPF filter over frames already in memory (the view re-filters what
 * a live capture buffered, with the meaning a file's filter has) ---- */
typedef struct wp_bpf wp_bpf;

/* Compile bpf for frames of link type linktype (others are compiled when
 * first met). NULL and the same message as wp_capture_set_filter when it
 * does not compile. */
wp_bpf *wp_bpf_compile(const char *bpf, int linktype, char *err, size_t errlen);

/* 1 when frame f passes, 0 when not (or its link type cannot take the
 * filter). */
int wp_bpf_match(wp_bpf *b, const wp_frame *f);

/* Free (NULL is fine). */
void wp_bpf_free(wp_bpf *b);

#endif
