/* wirepeel's own pcapng reader: libpcap refuses files whose interfaces have
 * different link types and stops at a second section in the other byte
 * order, both of which tshark reads. Every block is read whole into one
 * buffer (grown only when a bigger block arrives, up to PCAPNG_MAX_BLOCK)
 * and walked with cursor reads; every option loop consumes at least four
 * bytes and stops at a cap. Nothing is allocated per packet. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wirepeel/cursor.h"
#include "capture_int.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_PB 2u  /* obsolete Packet Block */
#define BT_SPB 3u
#define BT_EPB 6u
#define BOM 0x1A2B3C4Du

/* libpcap's own limit on a block: a packet of 256 KiB and its options fit. */
#define PCAPNG_MAX_BLOCK (16u * 1024u * 1024u)
/* Options in one block we look at before giving up on the rest. */
#define PCAPNG_MAX_OPTS 1024u

struct wp_pcapng {
    FILE *fp;
    int64_t off;          /* stream offset of the next block */
    int big;              /* the current section is big-endian */
    int in_section;
    uint8_t *buf;
    size_t cap;
    wp_pcapng_if ifs[WP_PCAPNG_MAX_IF];
    unsigned nif;
    uint64_t count;       /* packets handed out */
    int64_t sect[WP_PCAPNG_MAX_SECT]; /* where each section starts */
    unsigned nsect, cursect;
    int first_linktype;   /* the first interface's, for the caller */
    int first_snaplen;
};

static uint16_t rd16(wp_cursor *c, int big)
{
    return big ? wp_cursor_be16(c) : wp_cursor_le16(c);
}

static uint32_t rd32(wp_cursor *c, int big)
{
    return big ? wp_cursor_be32(c) : wp_cursor_le32(c);
}

static uint64_t rd64(wp_cursor *c, int big)
{
    uint64_t a = rd32(c, big), b = rd32(c, big);
    return big ? a << 32 | b : b << 32 | a;
}

static uint32_t get32(const uint8_t *p, int big)
{
    wp_cursor c;
    wp_cursor_init(&c, p, 4);
    return rd32(&c, big);
}

/* Errors read as the end of a sentence that starts with the file's name. */

/* Read exactly n bytes; 1 when all came, 0 at a clean end (nothing), -1 cut. */
static int read_all(wp_pcapng *r, uint8_t *p, size_t n)
{
    size_t got = n ? fread(p, 1, n, r->fp) : 0;
    r->off += (int64_t)got;
    if (got == n)
        return 1;
    return got == 0 ? 0 : -1;
}

static int grow(wp_pcapng *r, size_t need)
{
    if (need <= r->cap)
        return 0;
    size_t ncap = r->cap ? r->cap : 4096;
    while (ncap < need)
        ncap *= 2;
    uint8_t *nb = realloc(r->buf, ncap);
    if (!nb)
        return -1;
    r->buf = nb;
    r->cap = ncap;
    return 0;
}

wp_pcapng *wp_pcapng_open(FILE *fp, char *err, size_t errlen)
{
    wp_pcapng *r = calloc(1, sizeof *r);
    if (!r || grow(r, 4096) != 0) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->fp = fp;
    r->first_linktype = -1;
    return r;
}

/* Units per second for an if_tsresol byte; 0 when it cannot be held in 64
 * bits (more than 10^19 or 2^63 a second). */
static uint64_t tsresol_units(uint8_t v)
{
    uint64_t u = 1;
    if (v & 0x80) {
        unsigned n = v & 0x7fu;
        return n > 63 ? 0 : u << n;
    }
    if (v > 19)
        return 0;
    for (unsigned i = 0; i < v; i++)
        u *= 10;
    return u;
}

/* Walk an options list; for an IDB fill *ifc. */
static void read_if_options(wp_cursor *c, int big, wp_pcapng_if *ifc)
{
    for (unsigned i = 0; i < PCAPNG_MAX_OPTS && wp_cursor_remaining(c) >= 4; i++) {
        uint16_t code = rd16(c, big), olen = rd16(c, big);
        if (code == 0)
            break;
        size_t padded = ((size_t)olen + 3u) & ~(size_t)3u;
        if (olen > wp_cursor_remaining(c))
            break;
        const uint8_t *v = c->buf + c->off;
        if (code == 2 && olen > 0) { /* if_name */
            size_t n = olen < sizeof ifc->name - 1 ? olen : sizeof ifc->name - 1;
            memcpy(ifc->name, v, n);
            ifc->name[n] = '\0';
        } else if (code == 9 && olen >= 1) { /* if_tsresol */
            ifc->tsresol = v[0];
        } else if (code == 14 && olen == 8) { /* if_tsoffset, seconds */
            wp_cursor oc;
            wp_cursor_init(&oc, v, 8);
            ifc->tsoffset = (int64_t)rd64(&oc, big);
        }
        if (wp_cursor_skip(c, padded > wp_cursor_remaining(c) ? wp_cursor_remaining(c)
                                                                : padded) != 0)
            break;
    }
}

static int bad(wp_pcapng *r, int64_t at, const char *why, char *err, size_t errlen)
{
    unsigned long long n = (unsigned long long)r->count;
    snprintf(err, errlen,
             "is damaged at packet %llu (the pcapng block at byte %lld %s); %s%llu packet%s "
             "before it %s complete",
             n + 1, (long long)at, why, n ? "the " : "", n, n == 1 ? "" : "s",
             n == 1 ? "is" : "are");
    return -1;
}

static int cut(wp_pcapng *r, int64_t at, char *err, size_t errlen)
{
    unsigned long long n = (unsigned long long)r->count;
    snprintf(err, errlen,
             "ends early at byte %lld, in the middle of the pcapng block that starts at byte "
             "%lld (packet %llu); %s%llu packet%s before it %s complete",
             (long long)r->off, (long long)at, n + 1, n ? "the " : "", n, n == 1 ? "" : "s",
             n == 1 ? "is" : "are");
    return -1;
}

/* Fill f's time from a 64-bit count of the interface's units. */
static void set_time(const wp_pcapng_if *ifc, uint64_t ts, wp_frame *f)
{
    uint64_t units = tsresol_units(ifc->tsresol);
    if (!units)
        units = 1000000; /* refused when the IDB was read; never reached */
    uint64_t frac = ts % units;
    __extension__ unsigned __int128 ns = (unsigned __int128)frac * 1000000000u / units;
    /* Shown as it is: a time past what int64 seconds hold wraps, and the
     * decoder raises an event for a time it cannot print. */
    f->ts_sec = (int64_t)(ts / units + (uint64_t)ifc->tsoffset);
    f->ts_nsec = (uint32_t)ns;
}

static int packet(wp_pcapng *r, int64_t at, uint32_t ifid, uint64_t ts, uint32_t caplen,
                  uint32_t len, const uint8_t *data, wp_frame *f, char *err, size_t errlen)
{
    if (ifid >= r->nif) {
        char why[128];
        snprintf(why, sizeof why, "names interface %u, but its section describes %u", ifid,
                 r->nif);
        return bad(r, at, why, err, errlen);
    }
    const wp_pcapng_if *ifc = &r->ifs[ifid];
    set_time(ifc, ts, f);
    f->caplen = caplen;
    f->len = len;
    f->linktype = ifc->linktype;
    f->data = data;
    r->count++;
    return 1;
}

/* Read one block: 1 a packet (f filled), 2 another block, 0 the end, -1 an
 * error. */
static int block(wp_pcapng *r, wp_frame *f, int64_t *pos, char *err, size_t errlen)
{
    {
        int64_t at = r->off;
        uint8_t hdr[12];
        int rc = read_all(r, hdr, 8);
        if (rc == 0)
            return r->in_section ? 0 : bad(r, at, "is missing: the file is empty", err, errlen);
        if (rc < 0)
            return cut(r, at, err, errlen);
        uint32_t type = get32(hdr, r->big); /* the SHB type reads the same both ways */
        int big = r->big;
        if (type == BT_SHB) {
            rc = read_all(r, hdr + 8, 4);
            if (rc <= 0)
                return cut(r, at, err, errlen);
            if (get32(hdr + 8, 1) == BOM)
                big = 1;
            else if (get32(hdr + 8, 0) == BOM)
                big = 0;
            else
                return bad(r, at, "is a section header with no byte-order magic", err, errlen);
        } else if (!r->in_section) {
            return bad(r, at, "is not a section header: not a pcapng file", err, errlen);
        }
        uint32_t blen = get32(hdr + 4, big);
        size_t have = type == BT_SHB ? 12 : 8;
        if (blen < 12 + (type == BT_SHB ? 16u : 0u) || blen % 4 != 0)
            return bad(r, at, "has an impossible length", err, errlen);
        if (blen > PCAPNG_MAX_BLOCK)
            return bad(r, at, "is longer than 16 MiB", err, errlen);
        if (grow(r, blen) != 0) {
            snprintf(err, errlen, "out of memory reading a %u-byte pcapng block", blen);
            return -1;
        }
        memcpy(r->buf, hdr, have);
        if (read_all(r, r->buf + have, blen - have) != 1)
            return cut(r, at, err, errlen);
        if (get32(r->buf + blen - 4, big) != blen)
            return bad(r, at, "ends with a length that differs from its start", err, errlen);
        wp_cursor c;
        wp_cursor_init(&c, r->buf + 8, blen - 12);

        if (type == BT_SHB) {
            wp_cursor_skip(&c, 4);
            uint16_t major = rd16(&c, big);
            if (major != 1)
                return bad(r, at, "is a section of an unknown pcapng version", err, errlen);
            r->big = big;
            r->in_section = 1;
            r->nif = 0;
            if (r->nsect == 0 || r->sect[r->nsect - 1] < at) {
                if (r->nsect < WP_PCAPNG_MAX_SECT)
                    r->sect[r->nsect++] = at;
            }
            for (unsigned i = 0; i < r->nsect; i++)
                if (r->sect[i] <= at)
                    r->cursect = i;
            return 2;
        }
        if (type == BT_IDB) {
            if (r->nif >= WP_PCAPNG_MAX_IF)
                return bad(r, at, "describes more interfaces than wirepeel keeps (256)", err,
                           errlen);
            wp_pcapng_if *ifc = &r->ifs[r->nif];
            memset(ifc, 0, sizeof *ifc);
            ifc->linktype = rd16(&c, big);
            rd16(&c, big);
            ifc->snaplen = rd32(&c, big);
            ifc->tsresol = 6;
            if (c.err)
                return bad(r, at, "is an interface description cut short", err, errlen);
            read_if_options(&c, big, ifc);
            if (!tsresol_units(ifc->tsresol))
                return bad(r, at, "gives a timestamp resolution finer than 64 bits hold", err,
                           errlen);
            if (r->first_linktype < 0) {
                r->first_linktype = ifc->linktype;
                r->first_snaplen = (int)(ifc->snaplen > 0x7fffffffu ? 0 : ifc->snaplen);
            }
            r->nif++;
            return 2;
        }
        if (type == BT_EPB || type == BT_PB) {
            uint32_t ifid = type == BT_EPB ? rd32(&c, big) : rd16(&c, big);
            if (type == BT_PB)
                rd16(&c, big); /* drops count */
            uint64_t hi = rd32(&c, big), lo = rd32(&c, big);
            uint32_t caplen = rd32(&c, big), len = rd32(&c, big);
            if (c.err || caplen > wp_cursor_remaining(&c))
                return bad(r, at, "holds fewer bytes than its captured length", err, errlen);
            if (pos)
                *pos = at;
            return packet(r, at, ifid, hi << 32 | lo, caplen, len, c.buf + c.off, f, err,
                          errlen);
        }
        if (type == BT_SPB) {
            uint32_t len = rd32(&c, big);
            size_t room = wp_cursor_remaining(&c);
            uint32_t caplen = len < room ? len : (uint32_t)room;
            if (r->nif > 0 && r->ifs[0].snaplen && caplen > r->ifs[0].snaplen)
                caplen = r->ifs[0].snaplen;
            if (pos)
                *pos = at;
            /* a simple packet has no timestamp: time 0, as tshark shows */
            int prc = packet(r, at, 0, 0, caplen, len, c.buf + c.off, f, err, errlen);
            if (prc == 1) {
                f->ts_sec = 0;
                f->ts_nsec = 0;
            }
            return prc;
        }
        /* name resolution, statistics, decryption secrets, custom: skipped */
        return 2;
    }
}

int wp_pcapng_next(wp_pcapng *r, wp_frame *f, int64_t *pos, char *err, size_t errlen)
{
    /* Each pass consumes one whole block of at least 12 bytes. */
    for (;;) {
        int rc = block(r, f, pos, err, errlen);
        if (rc != 2)
            return rc;
    }
}

int wp_pcapng_linktype(const wp_pcapng *r)
{
    return r->first_linktype;
}

int wp_pcapng_snaplen(const wp_pcapng *r)
{
    return r->first_snaplen;
}

const wp_pcapng_if *wp_pcapng_iface(const wp_pcapng *r, uint32_t ifid)
{
    return ifid < r->nif ? &r->ifs[ifid] : NULL;
}

int wp_pcapng_prime(wp_pcapng *r, char *err, size_t errlen)
{
    /* Read the blocks before the first interface's description (and it), so
     * the caller knows the link type before the first packet: no packet can
     * come before it, and nothing is read past it. */
    wp_frame f;
    while (r->first_linktype < 0) {
        int rc = block(r, &f, NULL, err, errlen);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
    }
    return 0;
}

int64_t wp_pcapng_tell(const wp_pcapng *r)
{
    return r->off;
}

int wp_pcapng_seek(wp_pcapng *r, int64_t pos)
{
    if (pos == r->off)
        return 0;
    if (pos < 0)
        return -1;
    /* The section pos lies in: its interfaces must be the ones in force. */
    unsigned s = 0;
    for (unsigned i = 0; i < r->nsect; i++)
        if (r->sect[i] <= pos)
            s = i;
    if (r->nsect && s != r->cursect) {
        char e[WP_ERRBUF];
        if (fseeko(r->fp, (off_t)r->sect[s], SEEK_SET) != 0)
            return -1;
        r->off = r->sect[s];
        r->in_section = 0;
        r->nif = 0;
        r->count = 0;
        wp_frame f;
        /* Re-read the section's blocks up to pos (each pass one block). */
        while (r->off < pos)
            if (block(r, &f, NULL, e, sizeof e) <= 0)
                return -1;
        return r->off == pos ? 0 : -1;
    }
    if (fseeko(r->fp, (off_t)pos, SEEK_SET) != 0)
        return -1;
    r->off = pos;
    if (r->nsect == 0 || pos <= r->sect[0]) {
        r->in_section = 0;
        r->nif = 0;
    }
    return 0;
}

uint64_t wp_pcapng_count(const wp_pcapng *r)
{
    return r->count;
}

void wp_pcapng_close(wp_pcapng *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}
