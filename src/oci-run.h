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
/* `exec [OPTIONS] ID [ARGS]`: its exit status (or 0 with --detach). */
int oci_cmd_exec(int argc, char **argv, char **envp);

#endif
