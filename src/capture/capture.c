/* libpcap-backed capture sources: files now; live, raw socket and writing
 * are added beside this. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wirepeel/capture.h"

struct wp_capture {
    pcap_t *pc;
    int linktype;
    int snaplen;
    int nano;
    int live;
    uint64_t count;
};

wp_capture *wp_capture_open_file(const char *path, char *err, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot read %s: it is a directory, not a capture file", path);
        return NULL;
    }
    if (st.st_size == 0) {
        snprintf(err, errlen, "cannot read %s: the file is empty (no capture file header)",
                 path);
        return NULL;
    }
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, pe);
    if (!pc) {
        snprintf(err, errlen, "cannot read %s: %s", path, pe);
        return NULL;
    }
    wp_capture *c = calloc(1, sizeof *c);
    if (!c) {
        pcap_close(pc);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->pc = pc;
    c->linktype = pcap_datalink(pc);
    c->snaplen = pcap_snapshot(pc);
    c->nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    return c;
}

int wp_capture_next(wp_capture *c, wp_frame *f, char *err, size_t errlen)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc = pcap_next_ex(c->pc, &h, &data);
    if (rc == 1) {
        c->count++;
        f->ts_sec = (int64_t)h->ts.tv_sec;
        f->ts_nsec = (uint32_t)(c->nano ? h->ts.tv_usec : h->ts.tv_usec * 1000);
        f->caplen = h->caplen;
        f->len = h->len;
        f->linktype = c->linktype;
        f->data = data;
        return 1;
    }
    if (rc == 0)
        return 2;
    if (rc == PCAP_ERROR_BREAK)
        return 0;
    snprintf(err, errlen, "after %llu packets: %s", (unsigned long long)c->count,
             pcap_geterr(c->pc));
    return -1;
}

int wp_capture_linktype(const wp_capture *c)
{
    return c->linktype;
}

int wp_capture_snaplen(const wp_capture *c)
{
    return c->snaplen;
}

void wp_capture_close(wp_capture *c)
{
    if (!c)
        return;
    if (c->pc)
        pcap_close(c->pc);
    free(c);
}
