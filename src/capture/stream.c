/* Capture streams: a saved file, standard input ("-"), either of them gzip
 * compressed (tshark reads .gz captures; so do we, through zlib). A
 * compressed or piped capture is read through a stdio cookie stream over
 * zlib (which passes uncompressed bytes through as they are), so libpcap and
 * the pcapng reader both see one FILE* that starts at the capture's first
 * byte, even on a pipe, where the magic number cannot be read twice. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "capture_int.h"

typedef struct gzsrc {
    gzFile gz;
    uint8_t pre[4];   /* the magic, read to tell the format, handed out first */
    size_t npre, ipre;
} gzsrc;

static ssize_t gz_read(void *cookie, char *buf, size_t n)
{
    gzsrc *g = cookie;
    size_t done = 0;
    while (done < n && g->ipre < g->npre)
        buf[done++] = (char)g->pre[g->ipre++];
    if (done == n)
        return (ssize_t)done;
    size_t want = n - done > INT_MAX ? INT_MAX : n - done;
    int k = gzread(g->gz, buf + done, (unsigned)want);
    int zerr = Z_OK;
    if (k <= 0)
        gzerror(g->gz, &zerr);
    /* a compressed stream cut short ends in Z_BUF_ERROR, not a clean end:
     * report it as a read error so the reader says the file is damaged */
    if (k < 0 || (k == 0 && zerr != Z_OK)) {
        if (done)
            return (ssize_t)done;
        errno = zerr == Z_ERRNO ? errno : EIO;
        return -1;
    }
    return (ssize_t)(done + (size_t)k);
}

static int gz_seek(void *cookie, off64_t *off, int whence)
{
    gzsrc *g = cookie;
    z_off_t here = gztell(g->gz);
    if (here < 0)
        return -1;
    off64_t logical = (off64_t)here - (off64_t)(g->npre - g->ipre);
    off64_t want;
    if (whence == SEEK_SET)
        want = *off;
    else if (whence == SEEK_CUR)
        want = logical + *off;
    else
        return -1; /* the uncompressed end is not known without reading it all */
    if (want == logical) {
        *off = logical;
        return 0;
    }
    g->ipre = g->npre;
    if (gzseek(g->gz, (z_off_t)want, SEEK_SET) < 0)
        return -1;
    *off = want;
    return 0;
}

static int gz_close(void *cookie)
{
    gzsrc *g = cookie;
    int rc = gzclose(g->gz) == Z_OK ? 0 : -1;
    free(g);
    return rc;
}

static int fmt_of(const uint8_t m[4], size_t n)
{
    if (n < 4)
        return WP_FMT_UNKNOWN;
    uint32_t v = (uint32_t)m[0] | (uint32_t)m[1] << 8 | (uint32_t)m[2] << 16 |
                 (uint32_t)m[3] << 24;
    if (v == 0x0A0D0D0Au)
        return WP_FMT_PCAPNG;
    if (v == 0xa1b2c3d4u || v == 0xd4c3b2a1u || v == 0xa1b23c4du || v == 0x4d3cb2a1u)
        return WP_FMT_PCAP;
    return WP_FMT_UNKNOWN;
}

/* A zlib stream over fd (which it then owns) with the first four bytes read. */
static FILE *gz_stream(int fd, const char *name, int *fmt, char *err, size_t errlen)
{
    gzsrc *g = calloc(1, sizeof *g);
    gzFile gz = g ? gzdopen(fd, "rb") : NULL;
    if (!gz) {
        free(g);
        close(fd);
        snprintf(err, errlen, "cannot read %s: out of memory", name);
        return NULL;
    }
    gzbuffer(gz, 64 * 1024);
    g->gz = gz;
    int k = gzread(gz, g->pre, sizeof g->pre);
    if (k < 0) {
        int zerr;
        const char *m = gzerror(gz, &zerr);
        snprintf(err, errlen, "cannot read %s: %s", name,
                 zerr == Z_ERRNO ? strerror(errno) : m);
        gzclose(gz);
        free(g);
        return NULL;
    }
    if (k == 0) {
        snprintf(err, errlen, "cannot read %s: %s", name,
                 gzdirect(gz) ? "no data (no capture file header)"
                              : "the compressed file holds no data");
        gzclose(gz);
        free(g);
        return NULL;
    }
    g->npre = (size_t)k;
    *fmt = fmt_of(g->pre, g->npre);
    cookie_io_functions_t io = {.read = gz_read, .write = NULL, .seek = gz_seek,
                                .close = gz_close};
    FILE *fp = fopencookie(g, "rb", io);
    if (!fp) {
        gzclose(gz);
        free(g);
        snprintf(err, errlen, "cannot read %s: out of memory", name);
    }
    return fp;
}

FILE *wp_capture_stream_open(const char *path, int *fmt, int *seekable, char *err,
                             size_t errlen)
{
    *fmt = WP_FMT_UNKNOWN;
    *seekable = 0;
    if (strcmp(path, "-") == 0) {
        int fd = dup(STDIN_FILENO);
        if (fd < 0) {
            snprintf(err, errlen, "cannot read standard input: %s", strerror(errno));
            return NULL;
        }
        return gz_stream(fd, "standard input", fmt, err, errlen);
    }
    FILE *fp = wp_capture_fopen(path, err, errlen);
    if (!fp)
        return NULL;
    uint8_t m[4] = {0};
    ssize_t n = pread(fileno(fp), m, sizeof m, 0);
    struct stat st;
    int regular = fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode);
    /* gzip, or a FIFO or character device whose magic can be read only once:
     * through zlib, which also passes plain bytes through */
    if ((n >= 2 && m[0] == 0x1f && m[1] == 0x8b) || !regular) {
        int fd = dup(fileno(fp));
        fclose(fp);
        if (fd < 0) {
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            return NULL;
        }
        return gz_stream(fd, path, fmt, err, errlen);
    }
    *fmt = fmt_of(m, n > 0 ? (size_t)n : 0);
    *seekable = 1;
    return fp;
}
