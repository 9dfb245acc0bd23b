/* The subcommands of the wirepeel binary: each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the process exit status:
 * 0 success, 1 runtime failure, 2 usage error. */
#ifndef WP_CLI_H
#define WP_CLI_H

int wp_cli_show(int argc, char **argv);
int wp_cli_view(int argc, char **argv);
int wp_cli_demo(int argc, char **argv);
int wp_cli_unpack(int argc, char **argv);
int wp_cli_follow(int argc, char **argv);
int wp_cli_diagram(int argc, char **argv);
int wp_cli_quiz(int argc, char **argv);
int wp_cli_udp_server(int argc, char **argv);
int wp_cli_udp_client(int argc, char **argv);
int wp_cli_tcp_server(int argc, char **argv);
int wp_cli_tcp_client(int argc, char **argv);

#endif
