/* Internal to src/capture/: checks shared by the file readers, the stream
 * opener (files, standard input, gzip) and wirepeel's own pcapng reader. */
#ifndef WP_CAPTURE_INT_H
#define WP_CAPTURE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wirepeel/capture.h"
#include "wirepeel/packet.h"

/* Opens path for reading as a capture file once it is known it can be one
 * (it exists, is not a directory and is not empty). Returns the stream, or
 * NULL with one line naming the file in err. */
FILE *wp_capture_fopen(const char *path, char *err, size_t errlen);

/* What the first bytes of a capture stream say it is. */
enum { WP_FMT_UNKNOWN = 0, WP_FMT_PCAP, WP_FMT_PCAPNG };

/* Open path ("-" for standard input) for reading, decompressing it when it
 * is gzip (as tshark does), and tell its format from its magic number. The
 * stream returned starts at the file's first byte. *seekable is 1 for a
 * plain regular file. NULL and one line naming the file in err on failure
 * (missing, a directory, empty, a damaged gzip header). */
FILE *wp_capture_stream_open(const char *path, int *fmt, int *seekable, char *err,
                             size_t errlen);

/* ---- a BPF filter for frames of several link types (bpfset.c) ---- */
/* A pcapng file's interfaces may differ in link type: the filter is
 * compiled for each link type when a frame of it first comes. */
typedef struct wp_bpfset wp_bpfset;

/* Compile bpf for linktype (checked now, so a bad expression fails before
 * any packet). NULL and err (quoting the filter) on failure. */
wp_bpfset *wp_bpfset_new(const char *bpf, int linktype, char *err, size_t errlen);

/* Whether f passes. A link type the filter does not compile for (or more
 * than the set keeps) matches nothing. */
int wp_bpfset_match(wp_bpfset *s, const wp_frame *f);

/* Free (NULL is fine). */
void wp_bpfset_free(wp_bpfset *s);

/* ---- the pcapng reader (pcapng.c) ---- */
#define WP_PCAPNG_MAX_IF 256   /* interfaces one section may describe */
#define WP_PCAPNG_MAX_SECT 4096 /* sections whose starts are kept for seeking */

typedef struct wp_pcapng_if {
    int linktype;
    uint32_t snaplen;
    uint8_t tsresol;   /* if_tsresol: 10^-v, or 2^-(v & 0x7f) when the top bit is set */
    int64_t tsoffset;  /* if_tsoffset, seconds */
    char name[64];     /* if_name, "" when absent */
} wp_pcapng_if;

typedef struct wp_pcapng wp_pcapng;

/* A reader over fp (at the file's first byte; the caller keeps fp). NULL and
 * err when out of memory. */
wp_pcapng *wp_pcapng_open(FILE *fp, char *err, size_t errlen);

/* Read up to and including the first interface description, so the link
 * type is known before the first packet. 0, or -1 with err (a damaged or
 * non-pcapng start). */
int wp_pcapng_prime(wp_pcapng *r, char *err, size_t errlen);

/* The next packet (enhanced, simple or obsolete packet block) in any
 * section: 1 with *f filled (data valid until the next call; f->linktype
 * is its interface's) and *pos (may be NULL) its block's start; 0 at the
 * end; -1 with one line in err (where the file is cut or damaged, and how
 * many packets before it were whole). Caplen above len is handed out as it
 * is. */
int wp_pcapng_next(wp_pcapng *r, wp_frame *f, int64_t *pos, char *err, size_t errlen);

/* The first interface's link type (-1 when none was read) and snap length. */
int wp_pcapng_linktype(const wp_pcapng *r);
int wp_pcapng_snaplen(const wp_pcapng *r);

/* Interface ifid of the current section, or NULL. */
const wp_pcapng_if *wp_pcapng_iface(const wp_pcapng *r, uint32_t ifid);

/* Where the next block starts; seek to a position tell or next returned
 * (re-reading the interface descriptions of that position's section when it
 * is another one). 0, or -1 (an unseekable stream, a bad position). */
int64_t wp_pcapng_tell(const wp_pcapng *r);
int wp_pcapng_seek(wp_pcapng *r, int64_t pos);

/* Packets handed out so far. */
uint64_t wp_pcapng_count(const wp_pcapng *r);

/* Free the reader (not its stream). NULL is fine. */
void wp_pcapng_close(wp_pcapng *r);

#endif
