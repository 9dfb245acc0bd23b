/* udpflood — the bounded loopback UDP flood of `make bench` (live row).
 *
 * Usage: udpflood PORT SECONDS MAXPACKETS [SIZE]
 *
 * Sends UDP datagrams of SIZE payload bytes (default 100) from 127.0.0.1 to
 * 127.0.0.1:PORT as fast as it can, and stops by itself after SECONDS or
 * MAXPACKETS, whichever comes first. It binds PORT itself (and never reads)
 * so the kernel drops at the full socket queue instead of answering with
 * ICMP port-unreachable. Only the loopback address is ever used. Prints the
 * number sent. Exits 1 when a socket cannot be set up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: udpflood PORT SECONDS MAXPACKETS [SIZE]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    double secs = atof(argv[2]);
    unsigned long max = strtoul(argv[3], NULL, 10);
    size_t size = argc > 4 ? (size_t)atoi(argv[4]) : 100;
    if (port <= 0 || port > 65535 || secs <= 0 || secs > 60 || size > 1400) {
        fprintf(stderr, "udpflood: port 1..65535, seconds 0..60, size 0..1400\n");
        return 2;
    }
    struct sockaddr_in dst = {0};
    dst.sin_family = AF_INET;
    dst.sin_port = htons((unsigned short)port);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int sink = socket(AF_INET, SOCK_DGRAM, 0);
    int small = 4096;
    setsockopt(sink, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    if (sink < 0 || bind(sink, (struct sockaddr *)&dst, sizeof dst) != 0) {
        fprintf(stderr, "udpflood: bind 127.0.0.1:%d: %s\n", port, strerror(errno));
        return 1;
    }
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&dst, sizeof dst) != 0) {
        fprintf(stderr, "udpflood: socket: %s\n", strerror(errno));
        return 1;
    }
    char buf[1400];
    memset(buf, 'x', sizeof buf);
    double end = now() + secs;
    unsigned long sent = 0;
    while (sent < max) {
        /* look at the clock every 1024 datagrams: cheap and still bounded */
        if ((sent & 1023) == 0 && now() >= end)
            break;
        memcpy(buf, &sent, sizeof sent);
        if (send(s, buf, size, 0) >= 0)
            sent++;
        else if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
            break;
    }
    printf("%lu\n", sent);
    close(s);
    close(sink);
    return 0;
}
