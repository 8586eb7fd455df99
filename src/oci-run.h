/* Shared by the OCI commands (oci-run.c) and exec (oci-exec.c); only in
 * the `make OCI=1` build. */
#ifndef OCI_RUN_H
#define OCI_RUN_H

/* A container's state directory, open, and its state.json. */
struct container {
	const char *id;
	int dir;
	struct state st;
	const char *status;
};

/* A subcommand's options (oci-run.c's opts_parse, runc's names). */
struct opts {
	const char *bundle, *pid_file, *console_socket, *process;
	int preserve_fds, force, all, detach, json, quiet;
	const char *args[3];
	int nargs;
};

extern int root_fd;	/* the state root (--root), open */

/* One line on stderr (and --log), exit 1: runc's way for every command. */
NORETURN void fail(const char *what, const char *why);
NORETURN void fail_errno(const char *what, int err);
/* The container's state, or exit 1 "container ID does not exist" (must);
 * -1 when absent and !must. */
int container_open(struct container *c, const char *id, int must);
/* The container's config.json as create kept it, turned into *cfg; its
 * cgroups looked up into *cg (nothing made). */
void container_config(struct container *c, struct spec *sp, struct config *cfg, char **envp,
		      struct cgroup *cg);
/* A connected --console-socket, or exit 1. */
int connect_console(const char *path);
/* The container id argument, or exit 1 "container id: missing". */
const char *need_id(struct opts *o);
/* oci-manage.c: the commands on an existing container; each returns the
 * exit status (errors exit 1 there). */
int oci_cmd_state(struct opts *o);
int oci_cmd_kill(struct opts *o, char **envp);
int oci_cmd_list(struct opts *o);
int oci_cmd_ps(struct opts *o, char **envp);
int oci_cmd_freeze(struct opts *o, char **envp, int freeze);
int oci_cmd_update(int argc, char **argv, char **envp);
/* `exec [OPTIONS] ID [ARGS]`: its exit status (or 0 with --detach). */
int oci_cmd_exec(int argc, char **argv, char **envp);

#endif
