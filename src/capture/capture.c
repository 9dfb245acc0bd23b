/* Capture sources: saved files and live interfaces through libpcap, and the
 * AF_PACKET raw socket. The only file that includes pcap headers.
 *
 * Nothing here allocates per packet: a file or pcap capture hands out
 * libpcap's own buffer; the raw socket reads into one buffer of snaplen bytes
 * allocated when it is opened. */
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "wirepeel/capture.h"
#include "capture_int.h"

enum { SRC_FILE = 0, SRC_PCAP, SRC_RAW, SRC_PCAPNG };
/* The stdio buffer a saved capture is read through. */
enum { FILE_READ_BUF = 64 * 1024 };

struct wp_capture {
    int kind;              /* SRC_* */
    pcap_t *pc;            /* files and live pcap */
    int linktype;          /* LINKTYPE_* */
    int snaplen;
    int nano;              /* libpcap hands out nanoseconds in ts.tv_usec */
    uint64_t count;
    uint64_t records;      /* files: records read, the ones -f rejected too */
    struct bpf_program prog; /* files: the -f program, applied per record */
    int have_prog;
    char *name;            /* file path or interface name, for messages */
    /* raw socket */
    int fd;
    int ifindex;
    int loopback;
    int timeout_ms;
    volatile sig_atomic_t brk;
    uint8_t *buf;
    uint64_t raw_recv, raw_drop;
    char *vbuf;            /* files: the stdio buffer libpcap reads through */
    wp_pcapng *ng;         /* SRC_PCAPNG: wirepeel's own reader */
    FILE *ngfp;            /* ... and its stream */
    wp_bpfset *ng_bpf;     /* its filter, compiled per link type */
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof(struct timespec)) + 64];
    } cbuf;
};

/* libpcap reports DLT_* values; files and wirepeel use LINKTYPE_* values.
 * They differ only for a few old types, of which raw IP matters here. */
static int dlt_to_linktype(int dlt)
{
    if (dlt == DLT_RAW)
        return WP_LINK_RAW;
    if (dlt == DLT_ATM_RFC1483)
        return 100;
    return dlt;
}

static int linktype_to_dlt(int lt)
{
    if (lt == WP_LINK_RAW)
        return DLT_RAW;
    if (lt == 100)
        return DLT_ATM_RFC1483;
    return lt;
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static wp_capture *capture_new(int kind, const char *name, char *err, size_t errlen)
{
    wp_capture *c = calloc(1, sizeof *c);
    if (c)
        c->name = dupstr(name);
    if (!c || !c->name) {
        free(c);
        snprintf(err, errlen, "out of memory opening %s", name);
        return NULL;
    }
    c->kind = kind;
    c->fd = -1;
    return c;
}

/* Whether iface is a loopback interface (IFF_LOOPBACK); 0 when it cannot
 * tell. */
static int is_loopback(const char *iface)
{
    struct ifreq ifr;
    size_t n = strlen(iface);
    if (n >= sizeof ifr.ifr_name)
        return 0;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, iface, n);
    int lo = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_LOOPBACK);
    close(fd);
    return lo;
}

/* ------------------------------------------------------------------ files */

static int check_path(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot read %s: it is a directory, not a capture file", path);
        return -1;
    }
    /* Only a regular file can be known empty: a pipe or /dev/stdin has size 0. */
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        snprintf(err, errlen, "cannot read %s: the file is empty (no capture file header)",
                 path);
        return -1;
    }
    return 0;
}

FILE *wp_capture_fopen(const char *path, char *err, size_t errlen)
{
    if (check_path(path, err, errlen) != 0)
        return NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
    return fp;
}

wp_capture *wp_capture_open_file(const char *path, char *err, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    int fmt, seekable;
    FILE *fp = wp_capture_stream_open(path, &fmt, &seekable, err, errlen);
    if (!fp)
        return NULL;
    const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
    if (fmt == WP_FMT_UNKNOWN) {
        fclose(fp);
        snprintf(err, errlen, "cannot read %s: not a pcap or pcapng capture file", name);
        return NULL;
    }
    /* libpcap reads a file with fread, a record at a time, through the
     * stream's buffer: stdio's default (one 4 KiB block) costs a read system
     * call every few packets, a tenth of a big file's reading time. */
    char *vbuf = malloc(FILE_READ_BUF);
    if (vbuf)
        setvbuf(fp, vbuf, _IOFBF, FILE_READ_BUF);
    if (fmt == WP_FMT_PCAPNG) {
        /* libpcap refuses interfaces of different link types and stops at a
         * section in the other byte order: pcapng is read by our own code */
        wp_capture *c = capture_new(SRC_PCAPNG, name, err, errlen);
        wp_pcapng *ng = c ? wp_pcapng_open(fp, err, errlen) : NULL;
        char ne[WP_ERRBUF] = "";
        if (ng && wp_pcapng_prime(ng, ne, sizeof ne) != 0)
            snprintf(err, errlen, "cannot read %s: it %s", name, ne);
        if (!ng || ne[0]) {
            wp_pcapng_close(ng);
            wp_capture_close(c);
            fclose(fp);
            free(vbuf);
            return NULL;
        }
        c->ng = ng;
        c->ngfp = fp;
        c->vbuf = vbuf;
        c->linktype = wp_pcapng_linktype(ng) < 0 ? WP_LINK_EN10MB : wp_pcapng_linktype(ng);
        c->snaplen = wp_pcapng_snaplen(ng) ? wp_pcapng_snaplen(ng) : WP_SNAPLEN_MAX;
        c->nano = 1;
        return c;
    }
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, pe);
    if (!pc) {
        fclose(fp); /* libpcap leaves a stream it could not use open */
        free(vbuf);
        if (strstr(pe, "unknown file format"))
            snprintf(err, errlen,
                     "cannot read %s: not a pcap or pcapng capture file (libpcap: %s)", name,
                     pe);
        else if (strstr(pe, "truncated"))
            snprintf(err, errlen,
                     "cannot read %s: the file ends inside its capture file header "
                     "(libpcap: %s)",
                     name, pe);
        else
            snprintf(err, errlen, "cannot read %s: %s", name, pe);
        return NULL;
    }
    wp_capture *c = capture_new(SRC_FILE, name, err, errlen);
    if (!c) {
        pcap_close(pc);
        free(vbuf);
        return NULL;
    }
    c->pc = pc;
    c->vbuf = vbuf;
    c->linktype = dlt_to_linktype(pcap_datalink(pc));
    c->snaplen = pcap_snapshot(pc);
    c->nano = pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    return c;
}

/* Explain a read error in a file: where the file ends or what is damaged,
 * and how many packets before it were whole. */
static void file_error(wp_capture *c, char *err, size_t errlen)
{
    const char *pe = pcap_geterr(c->pc);
    FILE *fp = pcap_file(c->pc);
    long at = fp ? ftell(fp) : -1;
    unsigned long long n = (unsigned long long)c->records;
    char before[96];
    if (n == 0)
        snprintf(before, sizeof before, "no packet before it is complete");
    else
        snprintf(before, sizeof before, "the %llu packet%s before it %s complete", n,
                 n == 1 ? "" : "s", n == 1 ? "is" : "are");
    if (strstr(pe, "truncated"))
        snprintf(err, errlen, "%s ends early at byte %ld, in the middle of packet %llu; %s "
                              "(libpcap: %s)",
                 c->name, at, n + 1, before, pe);
    else
        snprintf(err, errlen, "%s is damaged at packet %llu (reading stopped at byte %ld); "
                              "%s (libpcap: %s)",
                 c->name, n + 1, at, before, pe);
}

/* ------------------------------------------------------------------- live */

int wp_capture_list_ifaces(char *out, size_t outlen, char *err, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    pcap_if_t *all = NULL;
    if (pcap_findalldevs(&all, pe) != 0) {
        snprintf(err, errlen, "cannot list the interfaces: %s", pe);
        return -1;
    }
    size_t k = 0;
    unsigned i = 0;
    if (outlen)
        out[0] = '\0';
    /* libpcap's list is finite; the cap keeps a runaway one bounded */
    for (pcap_if_t *d = all; d && i < 4096 && k < outlen; d = d->next) {
        bpf_u_int32 fl = d->flags;
        const char *conn = "";
        switch (fl & PCAP_IF_CONNECTION_STATUS) {
        case PCAP_IF_CONNECTION_STATUS_CONNECTED:
            conn = ", Connected";
            break;
        case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
            conn = ", Disconnected";
            break;
        default:
            break;
        }
        int w = snprintf(out + k, outlen - k, "%u.%s%s%s%s [%s%s%s%s]\n", ++i, d->name,
                         d->description ? " (" : "", d->description ? d->description : "",
                         d->description ? ")" : "", fl & PCAP_IF_UP ? "Up" : "Down",
                         fl & PCAP_IF_RUNNING ? ", Running" : "",
                         fl & PCAP_IF_WIRELESS ? ", Wireless" : "",
                         fl & PCAP_IF_LOOPBACK ? ", Loopback" : conn);
        if (w < 0)
            break;
        k += (size_t)w;
    }
    pcap_freealldevs(all);
    if (i == 0)
        snprintf(err, errlen, "no interface can be opened (capturing needs CAP_NET_RAW: run as "
                              "root)");
    return i ? 0 : -1;
}

static void exe_path(char *buf, size_t n)
{
    ssize_t k = readlink("/proc/self/exe", buf, n - 1);
    if (k <= 0) {
        snprintf(buf, n, "wirepeel");
        return;
    }
    buf[k] = '\0';
}

static void perm_error(const char *iface, const char *why, char *err, size_t errlen)
{
    char exe[256];
    exe_path(exe, sizeof exe);
    snprintf(err, errlen,
             "no permission to capture on %s (%s): live capture needs CAP_NET_RAW; run as "
             "root, or grant it once with `sudo setcap cap_net_raw,cap_net_admin=eip %s`",
             iface, why, exe);
}

static void nodev_error(const char *iface, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "no network interface named '%s' (list the interfaces with `ip link`)", iface);
}

static wp_capture *open_pcap_live(const char *iface, const wp_live_opts *o, char *warn,
                                  size_t warnlen, char *err, size_t errlen)
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_create(iface, pe);
    if (!pc) {
        snprintf(err, errlen, "cannot capture on %s: %s", iface, pe);
        return NULL;
    }
    pcap_set_snaplen(pc, o->snaplen);
    pcap_set_promisc(pc, o->promisc);
    pcap_set_timeout(pc, o->timeout_ms);
    /* Immediate mode wakes the reader for every frame and, on Linux, gives
     * each frame a snaplen-sized ring slot (TPACKET_V2): a flood fills the
     * ring in a few dozen frames and the kernel drops the rest. Buffered
     * mode (TPACKET_V3) packs frames into blocks handed over when full or
     * after timeout_ms, so it is the default unless someone is watching:
     * like tcpdump, immediate only when standard output is a terminal. */
    int immediate = o->immediate > 0 || (o->immediate == 0 && isatty(STDOUT_FILENO));
    pcap_set_immediate_mode(pc, immediate);
    pcap_set_buffer_size(pc, o->buffer_size);
    int nano = pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO) == 0;
    int rc = pcap_activate(pc);
    if (rc < 0) {
        const char *msg = pcap_geterr(pc);
        switch (rc) {
        case PCAP_ERROR_NO_SUCH_DEVICE:
            nodev_error(iface, err, errlen);
            break;
        case PCAP_ERROR_PERM_DENIED:
        case PCAP_ERROR_PROMISC_PERM_DENIED:
            perm_error(iface, msg[0] ? msg : "permission denied", err, errlen);
            break;
        case PCAP_ERROR_IFACE_NOT_UP:
            snprintf(err, errlen, "cannot capture on %s: the interface is down (bring it up "
                                  "with `ip link set %s up`)",
                     iface, iface);
            break;
        default:
            snprintf(err, errlen, "cannot capture on %s: %s", iface,
                     msg[0] ? msg : pcap_statustostr(rc));
        }
        pcap_close(pc);
        return NULL;
    }
    if (rc > 0) {
        const char *msg = pcap_geterr(pc);
        if (rc == PCAP_WARNING_PROMISC_NOTSUP)
            snprintf(warn, warnlen, "%s cannot be put in promiscuous mode%s%s", iface,
                     msg[0] ? ": " : "", msg);
        else
            snprintf(warn, warnlen, "capturing on %s: %s", iface,
                     msg[0] ? msg : pcap_statustostr(rc));
    }
    /* libpcap retries a poll that a signal interrupts, so a blocking read
     * would never see Ctrl-C: read without blocking and wait in our own poll. */
    if (pcap_setnonblock(pc, 1, pe) != 0 || pcap_get_selectable_fd(pc) < 0) {
        snprintf(err, errlen, "cannot capture on %s: no pollable descriptor (%s)", iface, pe);
        pcap_close(pc);
        return NULL;
    }
    wp_capture *c = capture_new(SRC_PCAP, iface, err, errlen);
    if (!c) {
        pcap_close(pc);
        return NULL;
    }
    c->pc = pc;
    c->fd = -1;
    c->timeout_ms = o->timeout_ms;
    c->loopback = is_loopback(iface);
    c->linktype = dlt_to_linktype(pcap_datalink(pc));
    c->snaplen = pcap_snapshot(pc);
    c->nano = nano && pcap_get_tstamp_precision(pc) == PCAP_TSTAMP_PRECISION_NANO;
    return c;
}

/* Attach prog to the raw socket. On loopback, every frame is seen twice by
 * an ETH_P_ALL socket (once going out, once coming in); libpcap keeps only
 * the incoming copy, and so do we, in the kernel, so that the statistics
 * count each frame once. Returns 0, or -1 with errno set. */
static int raw_attach(wp_capture *c, const struct sock_filter *prog, size_t n)
{
    static const struct sock_filter accept_all = BPF_STMT(BPF_RET | BPF_K, 0xFFFFFFFFu);
    struct sock_filter local[4 + 1];
    struct sock_filter *ins = local;
    if (!prog) {
        prog = &accept_all;
        n = 1;
    }
    size_t pre = c->loopback ? 3 : 0;
    if (n + pre > BPF_MAXINSNS) {
        errno = E2BIG;
        return -1;
    }
    if (n + pre > sizeof local / sizeof local[0]) {
        ins = malloc((n + pre) * sizeof *ins);
        if (!ins)
            return -1;
    }
    if (pre) {
        ins[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                              (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE));
        ins[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 1);
        ins[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
    }
    memcpy(ins + pre, prog, n * sizeof *ins);
    struct sock_fprog fp = {.len = (unsigned short)(n + pre), .filter = ins};
    int rc = setsockopt(c->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp);
    int e = errno;
    if (ins != local)
        free(ins);
    errno = e;
    return rc;
}

static wp_capture *open_raw_socket(const char *iface, const wp_live_opts *o, char *warn,
                                   size_t warnlen, char *err, size_t errlen)
{
    /* Protocol 0 receives nothing until bind: the filter is in place before
     * the first frame arrives. */
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (errno == EPERM || errno == EACCES)
            perm_error(iface, "socket(AF_PACKET, SOCK_RAW) was refused", err, errlen);
        else
            snprintf(err, errlen, "cannot open a raw socket for %s: %s", iface,
                     strerror(errno));
        return NULL;
    }
    unsigned idx = if_nametoindex(iface);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (idx == 0 || strlen(iface) >= sizeof ifr.ifr_name) {
        nodev_error(iface, err, errlen);
        close(fd);
        return NULL;
    }
    memcpy(ifr.ifr_name, iface, strlen(iface));
    int linktype = WP_LINK_EN10MB, loopback = 0;
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
        switch (ifr.ifr_hwaddr.sa_family) {
        case ARPHRD_ETHER:
            break;
        case ARPHRD_LOOPBACK: /* lo frames carry a zeroed Ethernet header */
            loopback = 1;
            break;
        case ARPHRD_NONE: /* tun: bare IP */
            linktype = WP_LINK_RAW;
            break;
        default:
            snprintf(err, errlen,
                     "--raw-socket reads Ethernet, loopback and tun interfaces; %s has "
                     "hardware type %u (capture it without --raw-socket)",
                     iface, (unsigned)ifr.ifr_hwaddr.sa_family);
            close(fd);
            return NULL;
        }
    }
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP))
        snprintf(warn, warnlen, "%s is down: no frames will arrive until `ip link set %s up`",
                 iface, iface);

    wp_capture *c = capture_new(SRC_RAW, iface, err, errlen);
    if (!c) {
        close(fd);
        return NULL;
    }
    c->fd = fd;
    c->ifindex = (int)idx;
    c->loopback = loopback;
    c->linktype = linktype;
    c->snaplen = o->snaplen;
    c->timeout_ms = o->timeout_ms;
    c->nano = 1;
    c->buf = malloc((size_t)o->snaplen);
    if (!c->buf) {
        snprintf(err, errlen, "out of memory for a %d-byte frame buffer", o->snaplen);
        wp_capture_close(c);
        return NULL;
    }
    int one = 1, rcvbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct timeval tv = {.tv_sec = o->timeout_ms / 1000,
                         .tv_usec = (o->timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (raw_attach(c, NULL, 0) != 0) {
        snprintf(err, errlen, "cannot attach the loopback filter to the raw socket on %s: %s",
                 iface, strerror(errno));
        wp_capture_close(c);
        return NULL;
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = (int)idx;
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
        if (errno == ENODEV)
            nodev_error(iface, err, errlen);
        else
            snprintf(err, errlen, "cannot bind the raw socket to %s: %s", iface,
                     strerror(errno));
        wp_capture_close(c);
        return NULL;
    }
    if (o->promisc) {
        struct packet_mreq mr;
        memset(&mr, 0, sizeof mr);
        mr.mr_ifindex = (int)idx;
        mr.mr_type = PACKET_MR_PROMISC;
        if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0 &&
            !warn[0])
            snprintf(warn, warnlen, "%s cannot be put in promiscuous mode: %s", iface,
                     strerror(errno));
    }
    return c;
}

wp_capture *wp_capture_open_live(const char *iface, const wp_live_opts *opts, char *warn,
                                 size_t warnlen, char *err, size_t errlen)
{
    wp_live_opts o = {0};
    if (opts)
        o = *opts;
    if (o.snaplen <= 0 || o.snaplen > WP_SNAPLEN_MAX)
        o.snaplen = WP_SNAPLEN_MAX;
    if (o.timeout_ms <= 0)
        o.timeout_ms = 100;
    if (o.buffer_size <= 0)
        o.buffer_size = 16 << 20;
    if (warnlen)
        warn[0] = '\0';
    if (!iface || !iface[0]) {
        snprintf(err, errlen, "no interface named (list the interfaces with `ip link`)");
        return NULL;
    }
    if (o.raw_socket)
        return open_raw_socket(iface, &o, warn, warnlen, err, errlen);
    return open_pcap_live(iface, &o, warn, warnlen, err, errlen);
}

/* ----------------------------------------------------------------- filter */

static void filter_error(const char *bpf, const char *msg, char *err, size_t errlen)
{
    snprintf(err, errlen, "bad filter expression '%s': %s", bpf, msg);
}

/* Compile bpf with a dead handle for linktype; 0 or -1 with err. */
static int compile_dead(const char *bpf, int linktype, int snaplen, struct bpf_program *prog,
                        char *err, size_t errlen)
{
    pcap_t *dead = pcap_open_dead(linktype_to_dlt(linktype), snaplen);
    if (!dead) {
        snprintf(err, errlen, "out of memory compiling filter '%s'", bpf);
        return -1;
    }
    int rc = pcap_compile(dead, prog, bpf, 1, PCAP_NETMASK_UNKNOWN);
    if (rc != 0)
        filter_error(bpf, pcap_geterr(dead), err, errlen);
    pcap_close(dead);
    return rc == 0 ? 0 : -1;
}

int wp_capture_filter_check(const char *bpf, int linktype, int snaplen, char *err,
                            size_t errlen)
{
    struct bpf_program prog;
    if (snaplen <= 0 || snaplen > WP_SNAPLEN_MAX)
        snaplen = WP_SNAPLEN_MAX;
    if (compile_dead(bpf, linktype, snaplen, &prog, err, errlen) != 0)
        return -1;
    pcap_freecode(&prog);
    return 0;
}

int wp_capture_set_filter(wp_capture *c, const char *bpf, char *err, size_t errlen)
{
    struct bpf_program prog;
    if (c->kind == SRC_PCAPNG) {
        wp_bpfset *set = wp_bpfset_new(bpf, c->linktype, err, errlen);
        if (!set)
            return -1;
        wp_bpfset_free(c->ng_bpf);
        c->ng_bpf = set;
        return 0;
    }
    if (c->kind == SRC_RAW) {
        if (compile_dead(bpf, c->linktype, c->snaplen, &prog, err, errlen) != 0)
            return -1;
        /* libpcap's program ends in "ret #snaplen", which would make the
         * kernel trim each frame and lose its length on the wire: keep the
         * whole frame and cut it to snaplen when reading, as libpcap does. */
        for (u_int i = 0; i < prog.bf_len; i++)
            if (prog.bf_insns[i].code == (BPF_RET | BPF_K) && prog.bf_insns[i].k != 0)
                prog.bf_insns[i].k = 0xFFFFFFFFu;
        int rc = raw_attach(c, (const struct sock_filter *)prog.bf_insns, prog.bf_len);
        int e = errno;
        pcap_freecode(&prog);
        if (rc != 0) {
            snprintf(err, errlen, "cannot attach filter '%s' to the raw socket on %s: %s", bpf,
                     c->name, strerror(e));
            return -1;
        }
        /* Frames queued before the filter went in have not been through it. */
        for (int i = 0; i < 100000; i++)
            if (recv(c->fd, c->buf, 1, MSG_DONTWAIT | MSG_TRUNC) < 0)
                break;
        return 0;
    }
    if (pcap_compile(c->pc, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        filter_error(bpf, pcap_geterr(c->pc), err, errlen);
        return -1;
    }
    if (c->kind == SRC_FILE) {
        /* Applied here, record by record, so that every record is counted
         * and frames keep the capture's own numbers (tshark's frame.number)
         * however many the filter drops. */
        if (c->have_prog)
            pcap_freecode(&c->prog);
        c->prog = prog;
        c->have_prog = 1;
        return 0;
    }
    int rc = pcap_setfilter(c->pc, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        snprintf(err, errlen, "cannot apply filter '%s' on %s: %s", bpf, c->name,
                 pcap_geterr(c->pc));
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ reads */

static int raw_next(wp_capture *c, wp_frame *f, char *err, size_t errlen)
{
    for (;;) {
        if (c->brk) {
            c->brk = 0;
            return 0;
        }
        struct sockaddr_ll from;
        struct iovec iov = {.iov_base = c->buf, .iov_len = (size_t)c->snaplen};
        struct msghdr msg = {.msg_name = &from,
                             .msg_namelen = sizeof from,
                             .msg_iov = &iov,
                             .msg_iovlen = 1,
                             .msg_control = c->cbuf.bytes,
                             .msg_controllen = sizeof c->cbuf.bytes};
        ssize_t n = recvmsg(c->fd, &msg, MSG_TRUNC);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                return c->brk ? (c->brk = 0, 0) : 2;
            if (errno == ENETDOWN) {
                snprintf(err, errlen, "reading from %s failed: the interface went down",
                         c->name);
                return -1;
            }
            snprintf(err, errlen, "reading from %s failed: %s", c->name, strerror(errno));
            return -1;
        }
        /* The kernel filter already drops these; this catches frames that
         * were queued before it was attached. */
        if (c->loopback && from.sll_pkttype == PACKET_OUTGOING)
            continue;
        struct timespec ts = {0, 0};
        int have_ts = 0;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
            if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS &&
                cm->cmsg_len >= CMSG_LEN(sizeof ts)) {
                memcpy(&ts, CMSG_DATA(cm), sizeof ts);
                have_ts = 1;
            }
        if (!have_ts)
            clock_gettime(CLOCK_REALTIME, &ts);
        c->count++;
        f->ts_sec = (int64_t)ts.tv_sec;
        f->ts_nsec = (uint32_t)ts.tv_nsec;
        f->len = (uint32_t)n;
        f->caplen = (uint32_t)n < (uint32_t)c->snaplen ? (uint32_t)n : (uint32_t)c->snaplen;
        f->linktype = c->linktype;
        f->data = c->buf;
        return 1;
    }
}

/* A pcapng packet; the BPF filter (when set) runs here as libpcap would. */
static int pcapng_next(wp_capture *c, wp_frame *f, char *err, size_t errlen)
{
    char ne[WP_ERRBUF];
    /* Each pass consumes one packet of a finite file. */
    for (;;) {
        int rc = wp_pcapng_next(c->ng, f, NULL, ne, sizeof ne);
        if (rc < 0)
            snprintf(err, errlen, "%s %s", c->name, ne);
        if (rc != 1)
            return rc;
        c->records++; /* the capture's own numbering counts what -f rejects */
        if (c->ng_bpf && !wp_bpfset_match(c->ng_bpf, f))
            continue;
        c->count++;
        return 1;
    }
}

int wp_capture_next(wp_capture *c, wp_frame *f, char *err, size_t errlen)
{
    if (c->kind == SRC_RAW)
        return raw_next(c, f, err, errlen);
    if (c->kind == SRC_PCAPNG) {
        if (c->brk) {
            c->brk = 0;
            return 0;
        }
        return pcapng_next(c, f, err, errlen);
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    if (c->brk) {
        c->brk = 0;
        return 0;
    }
    int rc = pcap_next_ex(c->pc, &h, &data);
    /* A file's filter: each pass consumes one record, and a file ends. */
    while (rc == 1 && c->kind == SRC_FILE) {
        c->records++;
        if (!c->have_prog || pcap_offline_filter(&c->prog, h, data))
            break;
        rc = pcap_next_ex(c->pc, &h, &data);
    }
    if (rc == 0 && c->kind == SRC_PCAP) {
        struct pollfd pfd = {.fd = pcap_get_selectable_fd(c->pc), .events = POLLIN};
        if (poll(&pfd, 1, c->timeout_ms) <= 0)
            return 2; /* timed out, or a signal arrived: the caller looks */
        rc = pcap_next_ex(c->pc, &h, &data);
    }
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
    if (c->kind == SRC_FILE)
        file_error(c, err, errlen);
    else
        snprintf(err, errlen, "reading from %s failed after %llu packets: %s", c->name,
                 (unsigned long long)c->count, pcap_geterr(c->pc));
    return -1;
}

int wp_capture_fd(const wp_capture *c)
{
    if (c->kind == SRC_RAW)
        return c->fd;
    if (c->kind == SRC_PCAP)
        return pcap_get_selectable_fd(c->pc);
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

int wp_capture_is_live(const wp_capture *c)
{
    return c->kind == SRC_PCAP || c->kind == SRC_RAW;
}

uint64_t wp_capture_count(const wp_capture *c)
{
    return c->count;
}

uint64_t wp_capture_frame_number(const wp_capture *c)
{
    return c->kind == SRC_FILE || c->kind == SRC_PCAPNG ? c->records : c->count;
}

int wp_capture_stats_get(wp_capture *c, wp_capture_stats *s)
{
    memset(s, 0, sizeof *s);
    if (c->kind == SRC_PCAP) {
        struct pcap_stat ps;
        if (pcap_stats(c->pc, &ps) != 0)
            return -1;
        s->received = ps.ps_recv;
        s->dropped_kernel = ps.ps_drop;
        s->dropped_iface = ps.ps_ifdrop;
        s->counts_twice = c->loopback;
        return 0;
    }
    if (c->kind == SRC_RAW) {
        /* The kernel resets these counters on every read: keep the sums. */
        struct tpacket_stats ts;
        socklen_t n = sizeof ts;
        if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &ts, &n) != 0)
            return -1;
        c->raw_recv += ts.tp_packets;
        c->raw_drop += ts.tp_drops;
        s->received = c->raw_recv;
        s->dropped_kernel = c->raw_drop;
        s->dropped_iface = 0;
        return 0;
    }
    return -1;
}

void wp_capture_break(wp_capture *c)
{
    if (!c)
        return;
    c->brk = 1;
    if (c->pc)
        pcap_breakloop(c->pc);
}

void wp_capture_close(wp_capture *c)
{
    if (!c)
        return;
    if (c->have_prog)
        pcap_freecode(&c->prog);
    if (c->pc)
        pcap_close(c->pc); /* closes a file's stream: its buffer goes after */
    if (c->fd >= 0)
        close(c->fd);
    wp_pcapng_close(c->ng);
    wp_bpfset_free(c->ng_bpf);
    if (c->ngfp)
        fclose(c->ngfp);
    free(c->vbuf);
    free(c->buf);
    free(c->name);
    free(c);
}

/* ---------------------------------------------------------------- writing */

/* Interfaces one pcapng file being written describes (one per link type). */
enum { DUMP_MAX_IF = 16 };

struct wp_dumper {
    pcap_t *dead;          /* pcap: libpcap writes the records */
    pcap_dumper_t *pd;
    FILE *fp;
    char *path;
    int format;            /* WP_DUMP_PCAP or WP_DUMP_PCAPNG */
    int linktype;          /* pcap: the file header's */
    int snaplen;
    char ifname[64];
    int nif;               /* pcapng: interfaces described so far */
    int if_lt[DUMP_MAX_IF];
    uint64_t n;            /* frames written */
    int err_no;   /* the first write error, sticky */
    char vbuf[65536];
};

static int dumper_fail(wp_dumper *d, char *err, size_t errlen)
{
    if (!d->err_no)
        d->err_no = errno ? errno : EIO;
    snprintf(err, errlen, "writing %s failed: %s%s", d->path, strerror(d->err_no),
             d->err_no == ENOSPC ? " (the disk is full)" : "");
    return -1;
}

/* pcapng is written little-endian, whatever the host. */
static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xffffu);
    put16(p + 2, v >> 16);
}

static void ng_write(wp_dumper *d, const void *p, size_t n)
{
    if (n && fwrite(p, 1, n, d->fp) != n && !d->err_no)
        d->err_no = errno ? errno : EIO;
}

static void ng_shb(wp_dumper *d)
{
    uint8_t b[28];
    put32(b, 0x0A0D0D0Au);
    put32(b + 4, sizeof b);
    put32(b + 8, 0x1A2B3C4Du);
    put16(b + 12, 1);
    put16(b + 14, 0);
    put32(b + 16, 0xffffffffu); /* section length: not given */
    put32(b + 20, 0xffffffffu);
    put32(b + 24, sizeof b);
    ng_write(d, b, sizeof b);
}

/* An interface description for linktype: its name when known, and
 * nanosecond timestamps (if_tsresol 9). */
static void ng_idb(wp_dumper *d, int linktype)
{
    uint8_t b[16 + 4 + 64 + 8 + 4 + 4];
    size_t nlen = strlen(d->ifname);
    size_t k = 0;
    put32(b, 1);
    put16(b + 8, (uint32_t)linktype);
    put16(b + 10, 0);
    put32(b + 12, (uint32_t)d->snaplen);
    k = 16;
    if (nlen) {
        put16(b + k, 2);
        put16(b + k + 2, (uint32_t)nlen);
        memset(b + k + 4, 0, 64);
        memcpy(b + k + 4, d->ifname, nlen);
        k += 4 + ((nlen + 3) & ~(size_t)3);
    }
    put16(b + k, 9);
    put16(b + k + 2, 1);
    put32(b + k + 4, 9);
    k += 8;
    put32(b + k, 0); /* opt_endofopt */
    k += 4;
    put32(b + 4, (uint32_t)(k + 4));
    put32(b + k, (uint32_t)(k + 4));
    k += 4;
    ng_write(d, b, k);
}

wp_dumper *wp_dumper_open_as(const char *path, int format, int linktype, int snaplen,
                             const char *ifname, char *err, size_t errlen)
{
    struct stat st;
    int to_stdout = strcmp(path, "-") == 0;
    if (!to_stdout && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot write %s: it is a directory (give a file name)", path);
        return NULL;
    }
    if (snaplen <= 0 || snaplen > WP_SNAPLEN_MAX)
        snaplen = WP_SNAPLEN_MAX;
    if (format == WP_DUMP_AUTO) {
        size_t n = strlen(path);
        format = n >= 7 && strcasecmp(path + n - 7, ".pcapng") == 0 ? WP_DUMP_PCAPNG
                                                                    : WP_DUMP_PCAP;
    }
    wp_dumper *d = calloc(1, sizeof *d);
    if (!d || !(d->path = dupstr(to_stdout ? "standard output" : path))) {
        free(d);
        snprintf(err, errlen, "out of memory opening %s", path);
        return NULL;
    }
    d->format = format;
    d->linktype = linktype;
    d->snaplen = snaplen;
    if (ifname)
        snprintf(d->ifname, sizeof d->ifname, "%s", ifname);
    if (to_stdout) {
        int fd = dup(STDOUT_FILENO);
        d->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!d->fp && fd >= 0)
            close(fd);
    } else {
        d->fp = fopen(path, "wb");
    }
    if (!d->fp) {
        int e = errno;
        snprintf(err, errlen, "cannot write %s: %s%s", d->path, strerror(e),
                 e == ENOENT ? " (does its directory exist?)" : "");
        free(d->path);
        free(d);
        return NULL;
    }
    setvbuf(d->fp, d->vbuf, _IOFBF, sizeof d->vbuf);
    if (format == WP_DUMP_PCAPNG) {
        errno = 0;
        ng_shb(d);
        ng_idb(d, linktype);
        d->if_lt[0] = linktype;
        d->nif = 1;
        return d;
    }
    d->dead = pcap_open_dead_with_tstamp_precision(linktype_to_dlt(linktype), snaplen,
                                                   PCAP_TSTAMP_PRECISION_NANO);
    if (d->dead)
        d->pd = pcap_dump_fopen(d->dead, d->fp);
    if (!d->pd) {
        snprintf(err, errlen, "cannot write %s: %s", d->path,
                 d->dead ? pcap_geterr(d->dead) : "out of memory");
        if (d->dead)
            pcap_close(d->dead);
        fclose(d->fp);
        free(d->path);
        free(d);
        return NULL;
    }
    return d;
}

wp_dumper *wp_dumper_open(const char *path, int linktype, int snaplen, char *err, size_t errlen)
{
    return wp_dumper_open_as(path, WP_DUMP_AUTO, linktype, snaplen, NULL, err, errlen);
}

static int ng_epb(wp_dumper *d, const wp_frame *f, char *err, size_t errlen)
{
    int ifid = 0;
    while (ifid < d->nif && d->if_lt[ifid] != f->linktype)
        ifid++;
    if (ifid == d->nif) {
        if (d->nif == DUMP_MAX_IF) {
            snprintf(err, errlen, "cannot write %s: more than %d link types in one capture",
                     d->path, DUMP_MAX_IF);
            return -1;
        }
        ng_idb(d, f->linktype);
        d->if_lt[d->nif++] = f->linktype;
    }
    /* nanoseconds since the epoch in 64 bits: a time before 1970 cannot be
     * written, and is refused rather than changed */
    if (f->ts_sec < 0 || (uint64_t)f->ts_sec > UINT64_MAX / 1000000000u - 1) {
        snprintf(err, errlen, "cannot write %s: packet %llu's time is out of pcapng's range",
                 d->path, (unsigned long long)d->n + 1);
        return -1;
    }
    uint64_t ts = (uint64_t)f->ts_sec * 1000000000u + f->ts_nsec;
    uint32_t pad = (4u - (f->caplen & 3u)) & 3u;
    uint8_t h[28], t[8] = {0};
    uint32_t blen = 32u + f->caplen + pad;
    put32(h, 6);
    put32(h + 4, blen);
    put32(h + 8, (uint32_t)ifid);
    put32(h + 12, (uint32_t)(ts >> 32));
    put32(h + 16, (uint32_t)ts);
    put32(h + 20, f->caplen);
    put32(h + 24, f->len);
    ng_write(d, h, sizeof h);
    ng_write(d, f->data, f->caplen);
    put32(t + pad, blen);
    ng_write(d, t, pad + 4u);
    return 0;
}

int wp_dumper_write(wp_dumper *d, const wp_frame *f, char *err, size_t errlen)
{
    if (d->err_no)
        return dumper_fail(d, err, errlen);
    errno = 0;
    if (d->format == WP_DUMP_PCAPNG) {
        if (ng_epb(d, f, err, errlen) != 0)
            return -1;
        d->n++;
        if (d->err_no || ferror(d->fp))
            return dumper_fail(d, err, errlen);
        return 0;
    }
    if (f->linktype != d->linktype) {
        snprintf(err, errlen,
                 "cannot write packet %llu into %s: its link type (%d) differs from the "
                 "file's (%d), which a pcap file cannot hold; write pcapng (-w FILE.pcapng)",
                 (unsigned long long)d->n + 1, d->path, f->linktype, d->linktype);
        return -1;
    }
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)f->ts_sec;
    h.ts.tv_usec = (suseconds_t)f->ts_nsec; /* nanoseconds: the file says so */
    h.caplen = f->caplen;
    h.len = f->len;
    pcap_dump((u_char *)d->pd, &h, f->data);
    d->n++;
    if (ferror(d->fp))
        return dumper_fail(d, err, errlen);
    return 0;
}

int wp_dumper_flush(wp_dumper *d, char *err, size_t errlen)
{
    if (d->err_no)
        return dumper_fail(d, err, errlen);
    errno = 0;
    int rc = d->pd ? pcap_dump_flush(d->pd) : fflush(d->fp);
    if (rc != 0 || ferror(d->fp))
        return dumper_fail(d, err, errlen);
    return 0;
}

int wp_dumper_close(wp_dumper *d, char *err, size_t errlen)
{
    if (!d)
        return 0;
    int rc = wp_dumper_flush(d, err, errlen);
    if (d->pd) {
        /* pcap_dump_close closes the FILE but cannot report a failure of
         * it; the flush above already put every byte into the kernel. */
        pcap_dump_close(d->pd);
        pcap_close(d->dead);
    } else if (fclose(d->fp) != 0 && rc == 0) {
        rc = dumper_fail(d, err, errlen);
    }
    free(d->path);
    free(d);
    return rc;
}

/* ---- a BPF filter applied to frames already in memory ------------------- */

#define BPF_LINKTYPES 4

struct wp_bpf {
    char expr[256];
    int snaplen;
    int n;
    int linktype[BPF_LINKTYPES];
    int ok[BPF_LINKTYPES];
    struct bpf_program prog[BPF_LINKTYPES];
};

/* The program for link type lt, compiled the first time it is needed
 * (merged files may mix link types); NULL when it does not compile. */
static const struct bpf_program *bpf_for(wp_bpf *b, int lt)
{
    char err[WP_ERRBUF];
    for (int i = 0; i < b->n; i++)
        if (b->linktype[i] == lt)
            return b->ok[i] ? &b->prog[i] : NULL;
    if (b->n == BPF_LINKTYPES)
        return NULL;
    int i = b->n++;
    b->linktype[i] = lt;
    b->ok[i] = compile_dead(b->expr, lt, b->snaplen, &b->prog[i], err, sizeof err) == 0;
    return b->ok[i] ? &b->prog[i] : NULL;
}

wp_bpf *wp_bpf_compile(const char *bpf, int linktype, char *err, size_t errlen)
{
    if (strlen(bpf) >= sizeof ((wp_bpf *)0)->expr) {
        snprintf(err, errlen, "filter '%.40s...' is too long (at most 255 characters)", bpf);
        return NULL;
    }
    wp_bpf *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory compiling filter '%s'", bpf);
        return NULL;
    }
    snprintf(b->expr, sizeof b->expr, "%s", bpf);
    b->snaplen = WP_SNAPLEN_MAX;
    b->n = 1;
    b->linktype[0] = linktype;
    if (compile_dead(bpf, linktype, b->snaplen, &b->prog[0], err, errlen) != 0) {
        free(b);
        return NULL;
    }
    b->ok[0] = 1;
    return b;
}

int wp_bpf_match(wp_bpf *b, const wp_frame *f)
{
    const struct bpf_program *prog = bpf_for(b, f->linktype);
    if (!prog)
        return 0;
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.caplen = f->caplen;
    h.len = f->len;
    return pcap_offline_filter(prog, &h, f->data) != 0;
}

void wp_bpf_free(wp_bpf *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        if (b->ok[i])
            pcap_freecode(&b->prog[i]);
    free(b);
}
