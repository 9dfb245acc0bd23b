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
};

wp_capture_file *wp_capture_file_open(const char *path, char *err, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    FILE *fp = wp_capture_fopen(path, err, errlen);
    if (!fp)
        return NULL;
    /* Classic pcap records are laid end to end, so their starts can be
     * counted instead of asked of the stream: ftello costs a system call
     * per record, which is most of the time spent indexing a big file. */
    uint8_t magic[4] = {0};
    size_t got = fread(magic, 1, 4, fp);
    rewind(fp);
    uint32_t m = (uint32_t)magic[0] | (uint32_t)magic[1] << 8 | (uint32_t)magic[2] << 16 |
                 (uint32_t)magic[3] << 24;
    int classic = got == 4 && (m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d ||
                               m == 0x4d3cb2a1);
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, pe);
    if (!pc) {
        fclose(fp);
        snprintf(err, errlen, "cannot read %s: %s", path, pe);
        return NULL;
    }
    wp_capture_file *c = calloc(1, sizeof *c);
    if (!c) {
        pcap_close(pc);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->pc = pc;
    c->fp = pcap_file(pc);
    c->linktype = pcap_datalink(pc);
    c->nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    c->classic = classic;
    c->next = c->fp ? (int64_t)ftello(c->fp) : -1;
    c->first = c->next;
    return c;
}

int wp_capture_file_filter(wp_capture_file *c, const char *bpf, char *err, size_t errlen)
{
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
    if (!c->fp)
        return -1;
    return c->classic ? c->next : (int64_t)ftello(c->fp);
}

int wp_capture_file_seek(wp_capture_file *c, int64_t pos)
{
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
    free(c);
}
