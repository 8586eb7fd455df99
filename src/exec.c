/* The command's exec, shared by the two ways a container runs it: as PID 1
 * (container.c) and as --init's child (init.c). Also what both need around
 * it: the descriptors above 2 closed, the working directory entered. */
#include "src/nanoctr.h"
#include "src/spec.h"

/* Close (how 0) or mark close-on-exec (CLOSE_RANGE_CLOEXEC) every descriptor
 * above 2. close_range(2) is 5.9+ (its CLOEXEC flag 5.11+), and some kernels
 * or seccomp profiles answer it with odd errnos: any failure means "walk
 * /proc/self/fd" instead. Returns 0 or -errno when neither way worked. */
int fds_close_inherited(unsigned how)
{
	return fds_close_from(3, how);
}

/* The same from fd first on (OCI --preserve-fds, LISTEN_FDS keep those below). */
int fds_close_from(int first, unsigned how)
{
	char buf[1024];
	long n;
	int dir;

	if (sys_close_range(first, ~0U, how) == 0)
		return 0;
	dir = sys_open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir < 0)
		return dir;
	/* Closing while reading the directory is safe: getdents64 continues
	 * from its offset, and a closed fd cannot reappear. */
	while ((n = sys_getdents64(dir, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			const char *end;
			u64 fd;
			if (parse_u64(d->d_name, &end, &fd) == 0 && !*end && (int)fd >= first && (int)fd != dir) {
				if (how & CLOSE_RANGE_CLOEXEC)
					sys_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
				else
					sys_close((int)fd);
			}
			off += d->d_reclen;
		}
	}
	sys_close(dir);
	return 0;
}

/* -w: entered twice, as runc does. First while still privileged (before the
 * user switch and the capability drop), so a directory only root may search
 * (-u 1000 -w /root) or only its owner may (--cap-drop ALL -w /home/app)
 * still works: the process keeps a cwd it could not enter itself. Returns
 * whether that worked, for workdir_check(). */
int workdir_enter(const struct config *cfg)
{
	return sys_chdir(cfg->workdir) == 0;
}

/* After the switch: if the first chdir failed, once more as the final user
 * (root squashed on NFS, say). Then CVE-2024-21626's check: the directory
 * must be inside the new root; outside it getcwd() says "(unreachable)...". */
void workdir_check(const struct config *cfg, int entered)
{
	char cwd[PATH_LIMIT + 16];	/* also "--workdir PATH" for messages */
	long ret;

	if (!entered) {
		ret = sys_chdir(cfg->workdir);
		if (ret < 0)
			die_code(EXIT_SETUP, concat(cwd, sizeof(cwd), "--workdir ", cfg->workdir, ""),
				 errno_text(ret));
	}
	ret = sys_getcwd(cwd, sizeof(cwd));
	if (ret < 0 || cwd[0] != '/')
		die_code(EXIT_SETUP, concat(cwd, sizeof(cwd), "--workdir ", cfg->workdir, ""),
			 "working directory is outside the container");
}

static const char *env_get(const struct config *cfg, const char *key)
{
	const char *v;

	for (int i = 0; i < cfg->env_count; i++)
		if ((v = str_prefix(cfg->env[i], key)))
			return v;
	return NULL;
}

static NORETURN void exec_failed(const char *what, int err)
{
	die_code(err == -ENOENT || err == -ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC,
		 what, errno_text(err));
}

/* The command replaces this process. Without a slash it is looked up in the
 * container's PATH, inside the container, as execvp() would. Before the
 * first execve() the report channel gets its "exec next" mark (out.c): the
 * parent then knows that an end without a report is the command's, not a
 * setup that died. */
/* OCI create: the command is looked up now, so create fails with podman's
 * phrases; then the parent is told (the mark), our death signal cleared (it
 * exits now), and we wait for `start` to open the FIFO (runc's exec.fifo,
 * opened O_PATH by the parent before our root changed). */
static NORETURN void exec_after_start(const struct config *cfg, const char *path,
				      char *const *argv, char *const *envp)
{
	char fifo[32];
	int fd;

	sys_prctl(PR_SET_PDEATHSIG, 0, 0);
	report_exec_next();
	report_close();
	if (cfg->exec_fifo < 0)	/* OCI exec: no start to wait for */
		exec_failed(path, sys_execve(path, argv, envp));
	fd = sys_open(fd_path(fifo, cfg->exec_fifo), O_WRONLY | O_CLOEXEC, 0);
	if (fd < 0 || sys_write(fd, "0", 1) != 1)
		sys_exit(EXIT_SETUP);
	/* fd stays open: its close at the execve() tells start the command runs */
	if (SPEC(cfg))	/* always set here: the test lets the default build drop the hooks */
		oci_hooks_child(cfg, HOOK_START_CONTAINER);
	exec_failed(path, sys_execve(path, argv, envp));
}

static int executable(const char *path)
{
	struct statx st;
	int ret = sys_statx(AT_FDCWD, path, 0, STATX_TYPE | STATX_MODE, &st);

	if (ret < 0)
		return ret;
	if (S_ISDIR(st.stx_mode) || !(st.stx_mode & 0111))
		return -EACCES;
	return 0;
}

/* The command replaces this process. Without a slash it is looked up in the
 * container's PATH, inside the container, as execvp() would. Before the
 * first execve() the report channel gets its "exec next" mark (out.c): the
 * parent then knows that an end without a report is the command's, not a
 * setup that died. */
NORETURN void exec_command(const struct config *cfg, int slave)
{
	char *const *argv = cfg->command;
	char *const *envp = user_environment(cfg);
	const char *cmd = argv[0], *path;
	char full[PATH_LIMIT];
	long ret;
	int denied = 0;

	if (slave >= 0)
		tty_attach(slave);
	ret = fds_close_from(3 + cfg->preserve_fds, CLOSE_RANGE_CLOEXEC);
	if (ret < 0)
		die("open /proc/self/fd", ret);
	if (!SPEC(cfg))
		report_exec_next();

	if (str_chr(cmd, '/') || !*cmd) {
		if (SPEC(cfg) && (ret = executable(cmd)) < 0)
			exec_failed(cmd, ret);
		if (SPEC(cfg))
			exec_after_start(cfg, cmd, argv, envp);
		exec_failed(cmd, sys_execve(cmd, argv, envp));
	}
	path = env_get(cfg, "PATH=");
	while (path && *path) {
		const char *colon = str_chr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : str_len(path);
		char *p = full, *end = full + sizeof(full) - 1;

		if (len + str_len(cmd) + 2 < sizeof(full)) {
			memcpy(p, path, len);
			p += len;
			if (len)
				*p++ = '/';
			cat(p, end, cmd);
			ret = SPEC(cfg) ? executable(full) : sys_execve(full, argv, envp);
			if (ret == 0)
				exec_after_start(cfg, full, argv, envp);
			if (ret == -EACCES)
				denied = 1;
			else if (ret != -ENOENT && ret != -ENOTDIR)
				exec_failed(full, ret);
		}
		path = colon ? colon + 1 : "";
	}
	if (denied)
		exec_failed(cmd, -EACCES);
	die_code(EXIT_NOT_FOUND, cmd, "executable file not found in $PATH");
}
