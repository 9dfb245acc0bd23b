/* TEMPORARY STUB (branch cli only): lets build/wirepeel link until the real
 * renderers land on main. Delete when `git merge main` brings src/render/.
 * Weak, and named to sort last in the archive, so that if it is forgotten
 * the real renderers still win at link time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wirepeel/render.h"

__attribute__((weak)) void wp_sink_init_fd(wp_sink *s, int fd, char *buf, size_t cap)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->buf = buf;
    s->cap = cap;
}

__attribute__((weak)) void wp_sink_init_mem(wp_sink *s, char *buf, size_t cap)
{
    wp_sink_init_fd(s, -1, buf, cap);
}

__attribute__((weak)) int wp_sink_flush(wp_sink *s)
{
    size_t off = 0;
    while (s->fd >= 0 && off < s->len) {
        ssize_t n = write(s->fd, s->buf + off, s->len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            s->err = 1;
            s->err_no = errno;
            break;
        }
        off += (size_t)n;
    }
    if (s->fd >= 0)
        s->len = 0;
    return s->err ? -1 : 0;
}

__attribute__((weak)) void wp_sink_write(wp_sink *s, const char *p, size_t n)
{
    if (s->cap - s->len < n && s->fd >= 0)
        wp_sink_flush(s);
    if (s->cap - s->len < n) {
        s->err = 1;
        return;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

__attribute__((weak)) void wp_sink_puts(wp_sink *s, const char *str) { wp_sink_write(s, str, strlen(str)); }
__attribute__((weak)) void wp_sink_putc(wp_sink *s, char ch) { wp_sink_write(s, &ch, 1); }
__attribute__((weak)) void wp_sink_u64(wp_sink *s, uint64_t v)
{
    char b[24];
    wp_sink_write(s, b, (size_t)snprintf(b, sizeof b, "%llu", (unsigned long long)v));
}

__attribute__((weak)) int wp_output_parse(const char *name)
{
    static const char *names[] = {"summary", "layers", "hex", "json", "struct", "fields"};
    for (int i = 0; i < 6; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

__attribute__((weak)) void wp_render(wp_sink *s, wp_output out, const wp_packet *p, uint64_t frame_no,
               const wp_render_opts *o)
{
    (void)o;
    if (out == WP_OUT_JSON) {
        wp_sink_puts(s, "{\"frame\":");
        wp_sink_u64(s, frame_no);
        wp_sink_puts(s, ",\"caplen\":");
        wp_sink_u64(s, p->caplen);
        wp_sink_puts(s, ",\"len\":");
        wp_sink_u64(s, p->len);
        wp_sink_puts(s, "}\n");
        return;
    }
    wp_sink_u64(s, frame_no);
    wp_sink_puts(s, " stub caplen ");
    wp_sink_u64(s, p->caplen);
    wp_sink_putc(s, '\n');
}
