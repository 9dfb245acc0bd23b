/* The conversation tracker as the CLI uses it: show's annotations and its
 * closing list of unanswered requests; the `flows` subcommand. */
#ifndef WP_CLI_FLOWCLI_H
#define WP_CLI_FLOWCLI_H

#include <stdint.h>

#include "wirepeel/flow.h"
#include "wirepeel/render.h"

/* flows keeps at most WP_CLI_UNANSWERED_MAX unanswered requests and lists
 * them all; show keeps and lists the WP_CLI_UNANSWERED_SHOW earliest (by
 * frame). Either counts the rest. */
#define WP_CLI_UNANSWERED_MAX 100000u
#define WP_CLI_UNANSWERED_SHOW 1000u

typedef struct wp_cli_flow {
    wp_flow *t;
    wp_flow_unanswered *un; /* grows to WP_CLI_UNANSWERED_MAX */
    size_t nun, capun;
    uint64_t more;          /* unanswered requests past the list's cap */
    int earliest;           /* keep only the capun earliest (a max-heap) */
} wp_cli_flow;

/* Parse --flow-max N / --flow-idle S values into cfg; 0, or the usage exit
 * status 2 (message printed) for a bad value. */
int wp_cli_flow_max(const char *cmd, const char *arg, wp_flow_cfg *cfg);
int wp_cli_flow_idle(const char *cmd, const char *arg, wp_flow_cfg *cfg);

/* Start tracking for show with cfg's limits; 0, or 1 (message printed) when
 * out of memory. */
int wp_cli_flow_open(const char *cmd, wp_cli_flow *f, const wp_flow_cfg *cfg);

/* Retire every conversation and, for the text formats (summary, layers),
 * list the unanswered requests on stderr: stdout stays one record a
 * packet, and the list comes after it as tcpdump's closing counts do. */
void wp_cli_flow_close(wp_cli_flow *f, int format);

/* Free what open took (safe on a zeroed or closed f). */
void wp_cli_flow_free(wp_cli_flow *f);

int wp_cli_flows(int argc, char **argv);

#endif
