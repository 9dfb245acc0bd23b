/* One BPF filter over frames of several link types: libpcap compiles a
 * filter for one link type, and a pcapng file may hold several. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"

/* Link types one filter is compiled for. */
enum { BPFSET_MAX = 8 };

struct wp_bpfset {
    char *bpf;
    int n;
    int lt[BPFSET_MAX];
    struct bpf_program prog[BPFSET_MAX];
};

static int compile_for(const char *bpf, int linktype, struct bpf_program *prog, char *err,
                       size_t errlen)
{
    /* LINKTYPE_RAW is the one value wirepeel meets that libpcap numbers
     * differently (DLT_RAW) */
    pcap_t *dead = pcap_open_dead(linktype == WP_LINK_RAW ? DLT_RAW : linktype, WP_SNAPLEN_MAX);
    if (!dead) {
        snprintf(err, errlen, "out of memory compiling filter '%s'", bpf);
        return -1;
    }
    int rc = pcap_compile(dead, prog, bpf, 1, PCAP_NETMASK_UNKNOWN);
    if (rc != 0)
        snprintf(err, errlen, "bad filter expression '%s': %s", bpf, pcap_geterr(dead));
    pcap_close(dead);
    return rc == 0 ? 0 : -1;
}

wp_bpfset *wp_bpfset_new(const char *bpf, int linktype, char *err, size_t errlen)
{
    wp_bpfset *s = calloc(1, sizeof *s);
    size_t n = strlen(bpf) + 1;
    if (s)
        s->bpf = malloc(n);
    if (!s || !s->bpf) {
        free(s);
        snprintf(err, errlen, "out of memory compiling filter '%s'", bpf);
        return NULL;
    }
    memcpy(s->bpf, bpf, n);
    if (compile_for(bpf, linktype, &s->prog[0], err, errlen) != 0) {
        free(s->bpf);
        free(s);
        return NULL;
    }
    s->lt[0] = linktype;
    s->n = 1;
    return s;
}

int wp_bpfset_match(wp_bpfset *s, const wp_frame *f)
{
    int i = 0;
    while (i < s->n && s->lt[i] != f->linktype)
        i++;
    if (i == s->n) {
        char e[WP_ERRBUF];
        if (s->n == BPFSET_MAX || compile_for(s->bpf, f->linktype, &s->prog[i], e, sizeof e))
            return 0;
        s->lt[i] = f->linktype;
        s->n++;
    }
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.caplen = f->caplen;
    h.len = f->len;
    return pcap_offline_filter(&s->prog[i], &h, f->data) != 0;
}

void wp_bpfset_free(wp_bpfset *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        pcap_freecode(&s->prog[i]);
    free(s->bpf);
    free(s);
}
