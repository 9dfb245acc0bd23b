/* wirepeel demo --lab: two network namespaces joined by a veth pair, made
 * with the ip command and always removed. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

#define PROG "wirepeel demo"

int wp_demo_lab_name(wp_demo_lab *l, const char *name)
{
    memset(l, 0, sizeof *l);
    if (strlen(name) > 12)
        return -1;
    snprintf(l->ns_a, sizeof l->ns_a, "%s-a", name);
    snprintf(l->ns_b, sizeof l->ns_b, "%s-b", name);
    snprintf(l->if_a, sizeof l->if_a, "%s-va", name);
    snprintf(l->if_b, sizeof l->if_b, "%s-vb", name);
    return 0;
}

/* Run `ip ARGS...`; quiet sends its output to /dev/null. Returns its exit
 * status, or -1 when it could not be run. */
static int run_ip(int quiet, char *const argv[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            if (quiet)
                dup2(nul, 2);
        }
        execvp("ip", argv);
        if (!quiet)
            fprintf(stderr, PROG ": cannot run the ip command: %s (install iproute2)\n",
                    strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void remove_namespaces(wp_demo_lab *l)
{
    char *del_a[] = {"ip", "netns", "del", l->ns_a, NULL};
    char *del_b[] = {"ip", "netns", "del", l->ns_b, NULL};
    /* Deleting a namespace destroys the veth end inside it, and so the pair. */
    run_ip(1, del_a);
    run_ip(1, del_b);
}

void wp_demo_lab_remove(wp_demo_lab *l)
{
    if (!l->up)
        return;
    remove_namespaces(l);
    l->up = 0;
}

int wp_demo_lab_create(wp_demo_lab *l)
{
    char *add_a[] = {"ip", "netns", "add", l->ns_a, NULL};
    char *add_b[] = {"ip", "netns", "add", l->ns_b, NULL};
    char *veth[] = {"ip", "link", "add", "name", l->if_a, "netns", l->ns_a, "type", "veth",
                    "peer", "name", l->if_b, "netns", l->ns_b, NULL};
    char *addr_a[] = {"ip", "-n", l->ns_a, "addr", "add", WP_DEMO_LAB_ADDR_A "/24", "dev",
                      l->if_a, NULL};
    char *addr_b[] = {"ip", "-n", l->ns_b, "addr", "add", WP_DEMO_LAB_ADDR_B "/24", "dev",
                      l->if_b, NULL};
    char *up_a[] = {"ip", "-n", l->ns_a, "link", "set", l->if_a, "up", NULL};
    char *up_b[] = {"ip", "-n", l->ns_b, "link", "set", l->if_b, "up", NULL};
    char *lo_a[] = {"ip", "-n", l->ns_a, "link", "set", "lo", "up", NULL};
    char *lo_b[] = {"ip", "-n", l->ns_b, "link", "set", "lo", "up", NULL};
    char *const *steps[] = {add_a, add_b, veth, addr_a, addr_b, up_a, up_b, lo_a, lo_b};

    remove_namespaces(l); /* a lab left behind by a demo that was killed */
    l->up = 1;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (run_ip(0, steps[i]) != 0) {
            fprintf(stderr, PROG ": cannot set up the lab (ip %s %s failed): --lab needs "
                    "root or CAP_NET_ADMIN and CAP_SYS_ADMIN\n", steps[i][1], steps[i][2]);
            wp_demo_lab_remove(l);
            return -1;
        }
    }
    return 0;
}

int wp_demo_lab_enter(const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
        fprintf(stderr, PROG ": cannot enter network namespace %s: %s\n", name,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}
