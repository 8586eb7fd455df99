/* The container's side of `run`, from clone() to execve(): build the root
 * (mount.c), wait for the parent's go (we are in our cgroup then), take a
 * cgroup namespace, name the host, bring up loopback, set up stdio, drop
 * privileges (user.c, security.c), and exec the command as PID 1 — or, with
 * --init, stay PID 1 (init.c). Every failure is reported to the parent over
 * the report socket by die(). */
#include "src/nanoctr.h"

static void loopback_up(void)
{
	struct ifreq ifr;
	int fd = sys_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = fd;

	if (fd >= 0) {
		memset(&ifr, 0, sizeof(ifr));
		memcpy(ifr.name, "lo", 3);
		ifr.flags = IFF_UP | IFF_RUNNING;
		ret = sys_ioctl(fd, SIOCSIFFLAGS, &ifr);
		sys_close(fd);
	}
	if (ret < 0)	/* some LSM policies refuse it; the container still runs */
		warn("warning: bringing up lo", ret);
}

/* Without -i the command's stdin is /dev/null, as docker's. */
static void stdin_null(void)
{
	int fd = sys_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);

	if (fd < 0)
		die("open /dev/null", fd);
	sys_dup3(fd, 0, 0);
	sys_close(fd);
}

/* Hand the pty master to the parent: a message whose status byte is 0. */
static void send_master(int sock, int master)
{
	union { struct cmsghdr h; char space[sizeof(struct cmsghdr) + 8]; } control;
	struct iovec iov = { "", 1 };
	struct msghdr msg;
	long ret;

	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	msg.iov = &iov;
	msg.iovlen = 1;
	msg.control = &control;
	msg.controllen = sizeof(struct cmsghdr) + sizeof(int);
	control.h.len = sizeof(struct cmsghdr) + sizeof(int);
	control.h.level = SOL_SOCKET;
	control.h.type = SCM_RIGHTS;
	memcpy(control.space + sizeof(struct cmsghdr), &master, sizeof(int));
	ret = sys_sendmsg(sock, &msg, 0);
	if (ret < 0)
		die("send pty", ret);
	sys_close(master);
}

NORETURN void container_main(const struct config *cfg, int sock)
{
	unsigned uid, gid;
	int slave = -1, ret;
	char go;

	out_set_report_fd(sock);
	/* Die with the runtime. If it is already gone, the read below sees EOF. */
	sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0);
	sys_umask(0);
	mount_container(cfg);

	/* Meanwhile the parent made our cgroup and put us in: wait for its go,
	 * then make that cgroup the root of a cgroup namespace of our own (a
	 * kernel without cgroup namespaces says EINVAL: go on) and show it. */
	if (sys_read(sock, &go, 1) != 1)
		sys_exit(EXIT_SETUP);
	ret = sys_unshare(CLONE_NEWCGROUP);
	if (ret < 0 && ret != -EINVAL)
		die("unshare cgroup namespace", ret);
	cgroup_mount_view();
	ret = sys_sethostname(cfg->hostname, str_len(cfg->hostname));
	if (ret < 0)
		die("sethostname", ret);
	if (!(cfg->options & OPT_NET_HOST))
		loopback_up();
	/* A session of its own: the host's terminal is never its controlling tty. */
	sys_setsid();
	if (cfg->options & OPT_TTY) {
		int master;
		tty_open_pty(&cfg->console_size, &master, &slave);
		send_master(sock, master);
	} else if (!(cfg->options & OPT_INTERACTIVE)) {
		stdin_null();
	}
	sys_umask(022);
	user_resolve(cfg, &uid, &gid);
	tty_hand_stdio(slave, uid);
	security_apply(cfg, uid, gid);
	/* Credential changes clear the death signal: set it again. */
	sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0);
	if (cfg->options & OPT_INIT)
		init_main(cfg, slave);
	exec_command(cfg, slave);
}

/* Mark every descriptor above 2 close-on-exec: the report socket must live
 * until execve() succeeds, nothing inherited may outlive it. */
static void close_inherited(void)
{
	char buf[1024];
	long n;
	int dir;

	if (sys_close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* Before 5.11, or a seccomp profile that refuses it: walk /proc/self/fd. */
	dir = sys_open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir < 0)
		die("open /proc/self/fd", dir);
	while ((n = sys_getdents64(dir, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			const char *end;
			u64 fd;
			if (parse_u64(d->d_name, &end, &fd) == 0 && fd > 2 && (int)fd != dir)
				sys_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
			off += d->d_reclen;
		}
	}
	sys_close(dir);
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
 * container's PATH, inside the container, as execvp() would. */
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
	ret = sys_chdir(cfg->workdir);
	if (ret < 0)	/* "--workdir DIR: why": the option that named it */
		die_code(EXIT_SETUP, concat(full, sizeof(full), "--workdir ", cfg->workdir, ""),
			 errno_text(ret));
	/* The working directory must be inside the new root (CVE-2024-21626):
	 * outside it getcwd() answers "(unreachable)...". */
	ret = sys_getcwd(full, sizeof(full));
	if (ret < 0 || full[0] != '/')
		die_code(EXIT_SETUP, concat(full, sizeof(full), "--workdir ", cfg->workdir, ""),
			 "working directory is outside the container");
	close_inherited();

	if (str_chr(cmd, '/') || !*cmd)
		exec_failed(cmd, sys_execve(cmd, argv, envp));
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
			ret = sys_execve(full, argv, envp);
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
