/* Random access to saved captures: libpcap reads records straight from the
 * FILE* it is given, so the stream position before pcap_next_ex is where the
 * next record (or pcapng block) starts, and seeking there re-reads it. The
 * filter is run here with pcap_offline_filter rather than pcap_setfilter so
 * that a rejected record never moves the recorded start of the next one. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "wirepeel/capture_seek.h"
#include "capture_int.h"

struct wp_capture_file {
    pcap_t *pc;
    FILE *fp;
    int linktype;
    int nano;
    int have_prog;
    struct bpf_program prog;
    uint64_t count;
    int classic;     /* a classic pcap file: records are 16 + caplen bytes */
    int64_t first;   /* where the first record starts (count restarts there) */
    wp_capture_file_keep keep; /* NULL, or a test after the filter (-Y) */
    void *keep_ctx;
    int64_t next;    /* classic: where the next record starts */
    wp_pcapng *ng;   /* a pcapng file: read by wirepeel's own reader */
    wp_bpfset *ngf;  /* ... and filtered per link type */
};

wp_capture_file *wp_capture_file_open(const char *path, char *err, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    int fmt, seekable;
    FILE *fp = wp_capture_stream_open(path, &fmt, &seekable, err, errlen);
    if (!fp)
        return NULL;
    if (fmt == WP_FMT_UNKNOWN) {
        fclose(fp);
        snprintf(err, errlen, "cannot read %s: not a pcap or pcapng capture file", path);
        return NULL;
    }
    wp_capture_file *c = calloc(1, sizeof *c);
    if (!c) {
        fclose(fp);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (fmt == WP_FMT_PCAPNG) {
        /* libpcap refuses some pcapng files (interfaces of different link
         * types, a section in the other byte order): our own reader */
        char ne[WP_ERRBUF] = "";
        c->ng = wp_pcapng_open(fp, err, errlen);
        if (c->ng && wp_pcapng_prime(c->ng, ne, sizeof ne) != 0)
            snprintf(err, errlen, "cannot read %s: it %s", path, ne);
        if (!c->ng || ne[0]) {
            wp_pcapng_close(c->ng);
            fclose(fp);
            free(c);
            return NULL;
        }
        c->fp = fp;
        c->linktype = wp_pcapng_linktype(c->ng) < 0 ? WP_LINK_EN10MB
                                                    : wp_pcapng_linktype(c->ng);
        c->nano = 1;
        c->first = wp_pcapng_tell(c->ng);
        return c;
    }
    /* Classic pcap records are laid end to end, so their starts can be
     * counted instead of asked of the stream: ftello costs a system call
     * per record, which is most of the time spent indexing a big file. */
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, pe);
    if (!pc) {
        fclose(fp);
        free(c);
        snprintf(err, errlen, "cannot read %s: %s", path, pe);
        return NULL;
    }
    c->pc = pc;
    c->fp = pcap_file(pc);
    c->linktype = pcap_datalink(pc);
    c->nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    c->classic = 1; /* fmt said pcap: one of the four classic magics */
    c->next = c->fp ? (int64_t)ftello(c->fp) : -1;
    c->first = c->next;
    return c;
}

int wp_capture_file_filter(wp_capture_file *c, const char *bpf, char *err, size_t errlen)
{
    if (c->ng) {
        wp_bpfset *set = NULL;
        if (bpf && *bpf && !(set = wp_bpfset_new(bpf, c->linktype, err, errlen)))
            return -1;
        wp_bpfset_free(c->ngf);
        c->ngf = set;
        return 0;
    }
    if (!bpf || !*bpf) {
        if (c->have_prog)
            pcap_freecode(&c->prog);
        c->have_prog = 0;
        return 0;
    }
    struct bpf_program prog;
    if (pcap_compile(c->pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errlen, "bad filter '%s': %s", bpf, pcap_geterr(c->pc));
        return -1;
    }
    if (c->have_prog)
        pcap_freecode(&c->prog);
    c->prog = prog;
    c->have_prog = 1;
    return 0;
}

void wp_capture_file_set_keep(wp_capture_file *c, wp_capture_file_keep keep, void *ctx)
{
    c->keep = keep;
    c->keep_ctx = ctx;
}

int64_t wp_capture_file_tell(wp_capture_file *c)
{
    if (c->ng)
        return wp_pcapng_tell(c->ng);
    if (!c->fp)
        return -1;
    return c->classic ? c->next : (int64_t)ftello(c->fp);
}

int wp_capture_file_seek(wp_capture_file *c, int64_t pos)
{
    if (c->ng) {
        if (wp_pcapng_seek(c->ng, pos) != 0)
            return -1;
        if (pos == c->first)
            c->count = 0; /* records are numbered from the start again */
        return 0;
    }
    if (!c->fp || pos < 0)
        return -1;
    if (fseeko(c->fp, (off_t)pos, SEEK_SET) != 0)
        return -1;
    c->next = pos;
    if (pos == c->first)
        c->count = 0; /* records are numbered from the start again */
    return 0;
}

int wp_capture_file_next(wp_capture_file *c, wp_frame *f, int64_t *pos, uint64_t *skipped,
                         char *err, size_t errlen)
{
    /* Each pass consumes one record; a file always ends. */
    while (c->ng) {
        int rc = wp_pcapng_next(c->ng, f, pos, err, errlen);
        if (rc != 1)
            return rc;
        c->count++;
        if ((c->ngf && !wp_bpfset_match(c->ngf, f)) ||
            (c->keep && !c->keep(c->keep_ctx, f, c->count))) {
            if (skipped)
                (*skipped)++;
            continue;
        }
        return 1;
    }
    for (;;) {
        struct pcap_pkthdr *h;
        const u_char *data;
        int64_t at = wp_capture_file_tell(c);
        int rc = pcap_next_ex(c->pc, &h, &data);
        if (rc == PCAP_ERROR_BREAK)
            return 0;
        if (rc != 1) {
            snprintf(err, errlen, "after %llu packets: %s", (unsigned long long)c->count,
                     pcap_geterr(c->pc));
            return -1;
        }
        c->count++;
        c->next = at + 16 + (int64_t)h->caplen;
        if (c->have_prog && !pcap_offline_filter(&c->prog, h, data)) {
            if (skipped)
                (*skipped)++;
            continue;
        }
        f->ts_sec = (int64_t)h->ts.tv_sec;
        f->ts_nsec = (uint32_t)(c->nano ? h->ts.tv_usec : h->ts.tv_usec * 1000);
        f->caplen = h->caplen;
        f->len = h->len;
        f->linktype = c->linktype;
        f->data = data;
        if (c->keep && !c->keep(c->keep_ctx, f, c->count)) {
            if (skipped)
                (*skipped)++;
            continue;
        }
        if (pos)
            *pos = at;
        return 1;
    }
}

void wp_capture_file_close(wp_capture_file *c)
{
    if (!c)
        return;
    if (c->have_prog)
        pcap_freecode(&c->prog);
    if (c->pc)
        pcap_close(c->pc);
    if (c->ng) {
        wp_pcapng_close(c->ng);
        wp_bpfset_free(c->ngf);
        fclose(c->fp);
    }
    free(c);
}
