/* `nanoctr exec`: a process in a running container, joining every namespace
 * of its init, its cgroups, its root, its user, capabilities (never beyond
 * the container's), no_new_privs and seccomp; --tty through the console
 * socket. The rest of the OCI commands: oci-run.c. */
#include "src/nanoctr.h"
#include "src/spec.h"
#include "src/oci-run.h"

static struct spec spec;	/* the container's config.json */
static struct cgroup cgroup;
static struct config cfg;	/* the container's, for its capabilities */

/* exec's child, on child_area's stack: errors go to its stderr (no report
 * pipe: child_area.report_fd is 2). */
static int exec_mnt_fd;

/* exec with a terminal: a pty of the container's own devpts (we are in its
 * mount namespace), the master sent to the console socket as create sends
 * it (one byte, one SCM_RIGHTS fd); the slave, sized, is returned. Unlike
 * create, /dev/console stays the container's. */
static int exec_pty(const struct config *pc)
{
	char path[32];
	int master = sys_open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0), unlock = 0, n, slave;
	long ret = master;

	if (ret >= 0 && (ret = sys_ioctl(master, TIOCSPTLCK, &unlock)) == 0)
		ret = sys_ioctl(master, TIOCGPTN, &n);
	if (ret < 0)
		die("/dev/pts/ptmx", (int)ret);
	cat_u64(cat(path, path + sizeof(path) - 1, "/dev/pts/"), path + sizeof(path) - 1, (u64)n);
	slave = sys_open(path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
	if (slave < 0)
		die(path, slave);
	if (pc->console_size.row && pc->console_size.col)
		sys_ioctl(slave, TIOCSWINSZ, (void *)&pc->console_size);
	send_master(pc->console_sock, master, "--console-socket");
	sys_close(pc->console_sock);
	return slave;
}

static NORETURN void exec_child(void *arg)
{
	const struct config *pc = arg;
	unsigned uid, gid;
	int entered, slave = -1, ret = sys_setns(exec_mnt_fd, CLONE_NEWNS);

	if (ret < 0)
		die("setns mnt", ret);

	user_resolve(pc, &uid, &gid);
	oci_child_setup(pc);
	if (pc->options & OPT_TTY) {
		slave = exec_pty(pc);
		tty_hand_stdio(slave, uid);
	}
	entered = workdir_enter(pc);
	security_apply(pc, uid, gid, entered);
	exec_command(pc, slave);
}

/* exec [--process F | ARGS] ID: the container's cgroups first, then every
 * namespace of its init (fds opened before the first setns: /proc changes
 * with the mount namespace), then a child (the pid namespace applies to
 * children) that becomes the process as the container's own init did:
 * user, groups, capabilities (never beyond the container's), no_new_privs,
 * seccomp as the container. --detach: the pid file is written, the caller
 * reaps; else we wait and exit with its status. */
int oci_cmd_exec(int argc, char **argv, char **envp)
{
	static const char proc_ns[][7] = { "user", "cgroup", "ipc", "uts", "net", "pid", "mnt" };
	static struct container c;
	static struct spec ps;
	static struct config pc;
	static char text[1 << 20], err[PATH_LIMIT];
	static const char *env_store[MAX_ENV];
	const char **envs = env_store;
	const char *process = NULL, *pid_file = NULL, *cwd = NULL, *user = NULL, *console = NULL;
	int detach = 0, tty = 0, nenv = 0, i, fds[7], pid, status, len = 0, peer = -1, master = -1;
	int preserve = 0;
	u64 bounding, uid = 0, gid = 0;

	/* runc's: exec's own errors exit 255, apart from any status of the
	 * process (which may well be 1) */
	exit_error = 255;

	if (argc / 2 > MAX_ENV) {	/* room for every --env the arguments can hold */
		long map = sys_mmap_anon((size_t)argc * sizeof(*envs));
		if ((unsigned long)map > -4096UL)
			fail_errno("--env", (int)map);
		envs = (const char **)map;
	}
	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i] + (argv[i][1] == '-') + 1, *v;
		if (str_eq(a, "detach") || str_eq(a, "d") || str_eq(a, "tty") || str_eq(a, "t")) {
			*(a[0] == 'd' ? &detach : &tty) = 1;
			continue;
		}
		if (i + 1 == argc)
			fail(argv[i], "needs a value");
		v = argv[++i];
		if (str_eq(a, "process") || str_eq(a, "p"))
			process = v;
		else if (str_eq(a, "pid-file"))
			pid_file = v;
		else if (str_eq(a, "cwd"))
			cwd = v;
		else if (str_eq(a, "console-socket"))
			console = v;
		else if (str_eq(a, "env") || str_eq(a, "e")) {
			if (!str_chr(v, '=') || v[0] == '=')
				fail(v, "--env expects NAME=VALUE");
			envs[nenv++] = v;
		} else if (str_eq(a, "user") || str_eq(a, "u")) {
			/* runc's UID[:GID], numbers */
			const char *end;
			user = v;
			/* not 4294967295: (uid_t)-1 is "unchanged" to setresuid(2) */
			if (parse_u64(v, &end, &uid) < 0 || uid > 0xfffffffeu ||
			    (*end && (*end != ':' || parse_u64(end + 1, &end, &gid) < 0 || *end ||
				      gid > 0xfffffffeu)))
				fail(v, "--user expects UID[:GID], numbers");
		} else if (str_eq(a, "preserve-fds")) {	/* podman exec --preserve-fds */
			const char *end;
			u64 n;
			if (parse_u64(v, &end, &n) < 0 || *end || n >= 1024)
				fail(v, "--preserve-fds expects a number below 1024");
			preserve = (int)n;
		} else
			fail(argv[i - 1], "unknown option (exec takes --process, --detach, --pid-file, --cwd, "
			     "--env, --user, --tty, --console-socket, --preserve-fds)");
	}
	if (cwd && cwd[0] != '/')
		fail(cwd, "--cwd must be an absolute path");
	if (i == argc)
		fail("container id", "missing");
	container_open(&c, argv[i++], 1);
	if (str_eq(c.status, "paused"))
		fail(c.id, "cannot exec in a paused container");
	if (!str_eq(c.status, "running") && !str_eq(c.status, "created"))
		fail(c.id, "container not running");
	container_config(&c, &spec, &cfg, envp, &cgroup);
	/* the process as a config.json holding it: one loader for both */
	len = (int)(cat(text, text + 64, "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/\"},\"process\":") - text);
	if (process) {
		int fd = sys_open(process, O_RDONLY | O_CLOEXEC, 0);
		long n;
		if (fd < 0)
			fail_errno(process, fd);
		while ((n = sys_read(fd, text + len, sizeof(text) - 2 - len)) > 0)
			len += n;
		sys_close(fd);
		if (len == (int)sizeof(text) - 2)	/* never cut: a cut JSON could still parse */
			fail(process, "over 1 MiB (not supported)");
	} else {
		struct jw w;
		if (i == argc)
			fail("exec", "no command (give --process FILE or ARGS)");
		jw_init(&w, text + len, sizeof(text) - 2 - len);
		jw_open(&w, '{');
		jw_strings(&w, "args", argv + i);
		jw_key(&w, "cwd");
		jw_str(&w, cwd ? cwd : spec.process.cwd);
		jw_strings(&w, "env", spec.process.env);
		jw_close(&w, '}');
		len += str_len(text + len);
	}
	text[len++] = '}';
	text[len] = 0;
	if (oci_load_text("/", text, len, &ps, err, sizeof(err)) < 0)
		fail(str_prefix(err, "config.json: ") ? err + 13 : err, NULL);
	if (!process) {	/* args alone: the container's user and capabilities */
		struct spec_process *pp = (struct spec_process *)&ps.process;
		memcpy(pp->caps, spec.process.caps, sizeof(pp->caps));
		pp->uid = spec.process.uid;
		pp->gid = spec.process.gid;
		pp->additional_gids = spec.process.additional_gids;
		pp->additional_gid_count = spec.process.additional_gid_count;
		pp->no_new_privileges = spec.process.no_new_privileges;
	}
	if (user) {
		struct spec_process *pp = (struct spec_process *)&ps.process;
		pp->uid = (u32)uid;
		pp->gid = (u32)gid;
	}
	if (tty)
		((struct spec_process *)&ps.process)->terminal = 1;
	/* runc's checkTerminal, as create's (oci-run.c) */
	if (ps.process.terminal && !console && detach)
		fail("process.terminal", "a --console-socket is needed for a terminal");
	if (console && (!detach || !ps.process.terminal))
		fail("--console-socket", "only for a process.terminal, with --detach "
		     "(runc: \"cannot use console socket if runc will not detach or allocate tty\")");
	bounding = cfg.caps;
	ps.seccomp_token = spec.seccomp_token;
	ps.json = spec.json;	/* the token is the container's config.json's */
	memcpy(ps.namespaces, spec.namespaces, sizeof(ps.namespaces));
	ps.root_path = spec.root_path;
	spec_to_config(&ps, &pc, envp);
	pc.caps &= bounding;
	pc.exec_fifo = -1;
	pc.preserve_fds += preserve;	/* fds 3 .. 3+N-1, after LISTEN_FDS's */
	if (cwd)
		pc.workdir = cwd;
	if (pc.env_count + nenv >= pc.env_room) {	/* more --env than spec_to_config left room for */
		long map = sys_mmap_anon((size_t)(pc.env_count + nenv + 1) * sizeof(*pc.env));
		if ((unsigned long)map > -4096UL)
			fail_errno("--env", (int)map);
		memcpy((void *)map, pc.env, (size_t)(pc.env_count + 1) * sizeof(*pc.env));
		pc.env = (const char **)map;
		pc.env_room = pc.env_count + nenv + 1;
	}
	for (int k = 0; k < nenv; k++) {	/* --env: replaces NAME's entry, or is added */
		long n = str_chr(envs[k], '=') - envs[k] + 1;
		int j = 0;
		while (j < pc.env_count && memcmp(pc.env[j], envs[k], n))
			j++;
		if (j == pc.env_count)
			pc.env[++pc.env_count] = NULL;
		pc.env[j] = envs[k];
	}
	if (console)
		pc.console_sock = connect_console(console);
	if (ps.process.terminal && !console) {	/* in the foreground: ours to relay */
		int sp[2] = { -1, -1 }, ret = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp);
		if (ret < 0)
			fail_errno("socketpair", ret);
		pc.console_sock = sp[1];
		peer = sp[0];
		if (!pc.console_size.row || !pc.console_size.col)
			tty_window_size(&pc.console_size);
	}
	if (spec.process.no_new_privileges)
		pc.options &= ~OPT_NO_NNP;
	for (unsigned k = 0; k < ARRAY_SIZE(proc_ns); k++) {
		char path[64];
		cat(cat(cat_u64(cat(path, path + 63, "/proc/"), path + 63, (u64)c.st.pid), path + 63, "/ns/"),
		    path + 63, proc_ns[k]);
		fds[k] = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
		if (fds[k] < 0)
			fail_errno(path, fds[k]);
	}
	/* v1: "0" into tasks, no RCU grace period (cgroup_join); v2: by pid */
	cgroup_join(&cgroup);
	if ((status = cgroup_enter(&cgroup, sys_getpid(), 1)) < 0)
		fail_errno("cgroup.procs", status);
	/* the mount namespace in the child: our paths (--pid-file) stay the host's */
	exec_mnt_fd = fds[6];
	/* the user namespace first (its root then holds the others); EINVAL:
	 * the container has none, it is ours */
	for (unsigned k = 0; k < ARRAY_SIZE(proc_ns) - 1; k++)
		if ((status = sys_setns(fds[k], 0)) < 0 && (k || status != -EINVAL))
			fail_errno(proc_ns[k], status);
	child_area.report_fd = 2;
	pid = clone_run(SIGCHLD, child_area.stack + sizeof(child_area.stack), exec_child, &pc);
	if (pid < 0)
		fail_errno("clone", pid);
	/* the pid file in the foreground too, as runc */
	if (pid_file && (status = pid_file_write(pid_file, pid)) < 0) {
		sys_kill(pid, SIGKILL);
		fail_errno(pid_file, status);
	}
	if (detach)
		return 0;
	if (peer >= 0) {
		sys_close(pc.console_sock);	/* the child's now: its end goes with it */
		master = tty_receive_master(peer);
	}
	return supervise_child(pid, master);
}
