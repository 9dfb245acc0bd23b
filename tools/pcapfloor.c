/* pcapfloor — the floor of `make bench`: a bare libpcap read loop.
 *
 * Usage: pcapfloor FILE
 *
 * Reads every record with pcap_next_ex and touches each packet (sums its
 * first and last captured byte and its length) so the reads cannot be
 * optimised away; decodes nothing, prints one line with the count and sum.
 * Exits 1 when the file cannot be opened or read.
 */
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcapfloor FILE\n");
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcapfloor: %s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t n = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        n++;
        sum += h->caplen;
        if (h->caplen)
            sum += d[0] + d[h->caplen - 1];
    }
    if (rc == -1) {
        fprintf(stderr, "pcapfloor: %s: %s\n", argv[1], pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    printf("%llu packets, sum %llu\n", (unsigned long long)n, (unsigned long long)sum);
    pcap_close(p);
    return 0;
}
