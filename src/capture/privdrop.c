/* Giving up root after opening a live capture (see wirepeel/privdrop.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "wirepeel/privdrop.h"

int wp_priv_drop(const char *user, char *err, size_t errlen)
{
    if (!user || !*user)
        user = WP_PRIV_DEFAULT_USER;
    uid_t ruid, euid, suid;
    if (getresuid(&ruid, &euid, &suid) != 0) {
        snprintf(err, errlen, "cannot read the user id: %s", strerror(errno));
        return -1;
    }
    if (ruid != 0 && euid != 0 && suid != 0)
        return 0; /* not root: nothing to give up */
    errno = 0;
    const struct passwd *pw = getpwnam(user);
    if (!pw) {
        snprintf(err, errlen,
                 "cannot drop root privileges: no user '%s' (give -Z USER with an existing "
                 "unprivileged user, or -Z root to keep root)",
                 user);
        return -1;
    }
    if (pw->pw_uid == 0)
        return 0; /* -Z root: asked to keep root */
    uid_t uid = pw->pw_uid;
    gid_t gid = pw->pw_gid;
    /* Groups first: once the uid is gone, they can no longer be changed,
     * and root's supplementary groups (disk, adm, ...) must not stay. */
    if (setgroups(1, &gid) != 0) {
        snprintf(err, errlen, "cannot drop root privileges: setgroups for '%s': %s", user,
                 strerror(errno));
        return -1;
    }
    if (setresgid(gid, gid, gid) != 0) {
        snprintf(err, errlen, "cannot drop root privileges: setgid %u for '%s': %s",
                 (unsigned)gid, user, strerror(errno));
        return -1;
    }
    if (setresuid(uid, uid, uid) != 0) {
        snprintf(err, errlen, "cannot drop root privileges: setuid %u for '%s': %s",
                 (unsigned)uid, user, strerror(errno));
        return -1;
    }
    /* Check, not trust: every id is the user's and root is out of reach. */
    gid_t rg, eg, sg;
    if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
        ruid != uid || euid != uid || suid != uid || rg != gid || eg != gid || sg != gid ||
        setuid(0) == 0) {
        snprintf(err, errlen, "cannot drop root privileges: still able to act as root after "
                              "becoming '%s'",
                 user);
        return -1;
    }
    return 0;
}
