/* Helpers shared by the endpoint files (not part of the public API). */
#ifndef WP_ENDPOINTS_EP_H
#define WP_ENDPOINTS_EP_H

#include <netdb.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

/* Catch SIGINT, SIGTERM and SIGHUP into the stop flag (no SA_RESTART, so a
 * blocked poll() returns EINTR) and ignore SIGPIPE. */
void wp_ep_signals_install(void);

/* Nonzero once a stop signal arrived: its number. */
int wp_ep_stopping(void);

/* Format one error line into err[n] (err may be NULL or n 0: nothing). */
void wp_ep_err(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Resolve host:port for socktype. -1 with "cannot resolve host ..." in err
 * on failure; 0 with *res (freeaddrinfo it) on success. */
int wp_ep_resolve(const char *host, uint16_t port, int socktype, int passive,
                  struct addrinfo **res, char *err, size_t errlen);

/* The first IPv4 entry of res if any (a name like localhost may give ::1
 * first while the servers listen on 127.0.0.1 by default), else the first. */
const struct addrinfo *wp_ep_pick(const struct addrinfo *res);

/* Same family, address and port. */
int wp_ep_same_addr(const struct sockaddr *a, const struct sockaddr *b);

/* "127.0.0.1:54321" or "[::1]:54321" into buf[n]; returns buf. */
const char *wp_ep_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t n);

/* A socket of socktype bound to host:port (port 0: one the kernel picks;
 * listening for SOCK_STREAM), or -1 with one clear line in err (in use,
 * privileged port, not local...). The bound address ("127.0.0.1:54321") goes
 * to bound[n] and its port to *bound_port. */
int wp_ep_bind(const char *host, uint16_t port, int socktype, char *bound, size_t n,
               uint16_t *bound_port, char *err, size_t errlen);

/* The payload as a quoted C-like string (non-printable bytes as \xNN), cut
 * with "..." to fit buf[n]; returns buf. */
const char *wp_ep_quote(const uint8_t *p, size_t len, char *buf, size_t n);

/* printf to out and flush (out may be a pipe); NULL: nothing. */
void wp_ep_say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Monotonic clock in milliseconds. */
double wp_ep_now_ms(void);

/* splitmix64: the next 64-bit value from *state. */
uint64_t wp_ep_rand_next(uint64_t *state);

/* A uniform double in [0, 1) from *state. */
double wp_ep_rand_unit(uint64_t *state);

/* Write the bound port ("54321\n") to fd and close it (readiness pipes);
 * -1 is ignored. */
void wp_ep_ready(int fd, uint16_t port);

/* Parse a port (1..65535, or 0..65535 with allow_zero) / a count / seconds
 * > 0; -1 if invalid. */
int wp_ep_parse_port(const char *s, int allow_zero, uint16_t *port);
int wp_ep_parse_ulong(const char *s, unsigned long *v);
int wp_ep_parse_seconds(const char *s, double *v);

#endif
