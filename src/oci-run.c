/* The OCI commands, runc's spelling: `nanoctr [GLOBAL...] create|start|state|
 * kill|delete|run|list|ps ...`. A bundle's config.json (oci-config.c) is
 * turned into the struct config `run` executes (spec_to_config: the engine
 * is run.c/container.c, one for both front-ends); the differences are the
 * spec's: the init stops before its execve() on the state directory's
 * exec.fifo until `start`, create exits leaving it to the caller (conmon and
 * containerd's shim are subreapers), the cgroup is cgroupsPath and stays.
 * Every error: one line on stderr (and --log), exit 1. */
#include "src/nanoctr.h"
#include "src/spec.h"
#include "src/oci-run.h"

static const char *root = STATE_ROOT_DEFAULT;
int root_fd = -1;	/* --root, open (oci-run.h) */
static const char *created_id;	/* a state directory to remove if create fails */
static int created_pid;		/* and the init create made, with its cgroup */
static struct config cfg;

NORETURN void fail(const char *what, const char *why)
{
	die_code(1, what, why);
}

NORETURN void fail_errno(const char *what, int err)
{
	fail(what, errno_text(err));
}

/* Called by die_code() in this process: nothing of a failed create stays. */
static void create_undo(void)
{
	static struct cgroup cg;

	die_hook = NULL;	/* once: a failure in here ends it */
	if (created_pid) {
		sys_kill(created_pid, SIGKILL);
		cgroup_check(&cfg, &cg);
		cfg.options |= OPT_CG_LOOKUP;
		cgroup_prepare(&cfg, &cg);
		cgroup_destroy(&cg);	/* kills, waits until empty */
	}
	if (created_id)
		state_remove(root_fd, created_id);
	created_id = NULL;
	created_pid = 0;
}

/* Field 22 of /proc/PID/stat (start time), 0 when gone or a zombie. */
static u64 proc_start(int pid)
{
	char path[40], buf[1024], *p;
	u64 v = 0;
	int n, field = 2;

	cat_u64(cat(path, path + sizeof(path) - 1, "/proc/"), path + sizeof(path) - 1, (u64)pid);
	cat(path + str_len(path), path + sizeof(path) - 1, "/stat");
	n = read_file(path, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	for (p = buf + n; p > buf && p[-1] != ')'; p--)	/* the name may hold anything */
		;
	if (p[1] == 'Z' || p[1] == 'X')
		return 0;
	for (; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	parse_u64(p, (const char **)&p, &v);
	return v;
}

/* Does dir hold name? (the probe closed: list opens every container) */
static int dir_has(int dir, const char *name)
{
	int fd = sys_openat(dir, name, O_PATH | O_CLOEXEC, 0);

	if (fd >= 0)
		sys_close(fd);
	return fd >= 0;
}

/* The container's state, or exit 1 "container ID does not exist". */
int container_open(struct container *c, const char *id, int must)
{
	char err[300];

	c->id = id;
	if (state_id_check(id, err, sizeof(err)) < 0)
		fail(err, NULL);
	c->dir = sys_openat(root_fd, id, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (c->dir < 0 || state_read(c->dir, &c->st) < 0) {
		if (!must)
			return -1;
		concat(err, sizeof(err), "container ", id, " does not exist");
		fail(err, NULL);
	}
	c->status = "running";
	if (!c->st.pid || proc_start(c->st.pid) != c->st.pid_start)
		c->status = "stopped", c->st.pid = 0;
	else if (dir_has(c->dir, "exec.fifo"))
		c->status = "created";
	else if (dir_has(c->dir, "paused"))
		c->status = "paused";	/* as `pause` left it */
	c->st.status = c->status;
	return 0;
}

/* The container's config.json as create kept it, turned into its config. */
void container_config(struct container *c, struct spec *sp, struct config *cfg, char **envp,
		      struct cgroup *cg)
{
	char path[PATH_LIMIT], err[PATH_LIMIT];

	concat(path, sizeof(path), root, "/", c->id);
	if (oci_load(path, sp, err, sizeof(err)) < 0)
		fail(err, NULL);
	spec_to_config(sp, cfg, envp);
	cgroup_default(cfg, c->id);
	cfg->options |= OPT_CG_LOOKUP;
	cgroup_check(cfg, cg);
	cgroup_prepare(cfg, cg);
}


/* The options of every subcommand (runc's; unknown ones are an error). */
static void opts_parse(struct opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->bundle = ".";
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = NULL, *eq;
		char name[32];
		u64 n;

		if (a[0] != '-' || !a[1]) {
			if (o->nargs == 3)
				fail(a, "too many arguments");
			o->args[o->nargs++] = a;
			continue;
		}
		while (*a == '-')
			a++;
		eq = str_chr(a, '=');
		cat(name, name + sizeof(name) - 1, a);
		if (eq && eq - a < (long)sizeof(name))
			name[eq - a] = 0, v = eq + 1;
		if (str_eq(name, "force") || str_eq(name, "f")) { o->force = 1; continue; }
		if (str_eq(name, "all") || str_eq(name, "a")) { o->all = 1; continue; }
		if (str_eq(name, "detach") || str_eq(name, "d")) { o->detach = 1; continue; }
		if (str_eq(name, "quiet") || str_eq(name, "q")) { o->quiet = 1; continue; }	/* list */
		if (str_eq(name, "no-pivot") || str_eq(name, "no-new-keyring")) continue;
		if (!v && i + 1 < argc)
			v = argv[++i];
		if (!v)
			fail(argv[i], "needs a value");
		if (str_eq(name, "bundle") || str_eq(name, "b"))
			o->bundle = v;
		else if (str_eq(name, "pid-file"))
			o->pid_file = v;
		else if (str_eq(name, "console-socket"))
			o->console_socket = v;
		else if (str_eq(name, "format") || str_eq(name, "f"))
			o->json = str_eq(v, "json");
		else if (str_eq(name, "preserve-fds") && parse_u64(v, &v, &n) == 0 && !*v && n < 1024)
			o->preserve_fds = (int)n;
		else
			fail(argv[i - 1], "unknown option or bad value");
	}
}

const char *need_id(struct opts *o)
{
	if (!o->nargs)
		fail("container id", "missing");
	return o->args[0];
}

int connect_console(const char *path)
{
	struct { unsigned short family; char path[108]; } addr = { AF_UNIX, { 0 } };
	int fd, ret;

	if (str_len(path) >= sizeof(addr.path))
		fail(path, "console socket path too long");
	cat(addr.path, addr.path + sizeof(addr.path) - 1, path);
	fd = sys_socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ret = fd < 0 ? fd : sys_connect(fd, &addr, sizeof(addr));
	if (ret < 0)
		fail_errno(path, ret);
	return fd;
}

/* Enter the namespaces the spec joins by path; the clone's child inherits them. */
static void namespaces_join(const struct spec *sp)
{
	for (int k = 0; k < NS_KINDS; k++) {
		const char *path = sp->namespaces[k].path;
		int fd, ret;
		if (!path || k == NS_MOUNT)
			continue;
		fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
		ret = fd < 0 ? fd : sys_setns(fd, (int)ns_clone_flags[k]);
		if (ret < 0)
			fail_errno(path, ret);
		sys_close(fd);
	}
}

static struct spec spec;
static struct cgroup cgroup;
static struct state st;	/* create's: what its hooks get */

/* prestart, then createRuntime: in the runtime's namespaces, the init's
 * mounts made, its root not yet switched (run.c calls it; runc runs them
 * at the same point). 0, or -1 having said why. */
static int runtime_hooks(int pid)
{
	char err[PATH_LIMIT];

	st.pid = pid;
	st.status = "creating";
	if (oci_hooks(&spec, HOOK_PRESTART, &st, err, sizeof(err)) < 0 ||
	    oci_hooks(&spec, HOOK_CREATE_RUNTIME, &st, err, sizeof(err)) < 0) {
		say(err, NULL);
		return -1;
	}
	st.status = "created";
	return 0;
}

static struct container made;	/* what create made: run goes on with it */
static int foreground;		/* run without --detach: nanoctr stays, keeps the terminal */
static int console_peer = -1;	/* ... and receives the pty master here */

static int cmd_create(struct opts *o, char **envp)
{
	const char *id = need_id(o);
	static char bundle[PATH_LIMIT], now[40];	/* in st, which run keeps (made) */
	char err[PATH_LIMIT];
	int dir, fd, ret, mask;

	if (state_id_check(id, err, sizeof(err)) < 0)
		fail(err, NULL);
	if (oci_load(o->bundle, &spec, err, sizeof(err)) < 0)
		fail(err, NULL);
	spec_to_config(&spec, &cfg, envp);
	oci_sysctl_joined_check(&spec);
	cgroup_default(&cfg, id);
	cfg.preserve_fds += o->preserve_fds;
	/* runc's checkTerminal: a terminal goes to the console socket when
	 * nanoctr detaches (create, run -d), else nanoctr keeps it */
	if (spec.process.terminal && !o->console_socket && !foreground)
		fail("process.terminal", "a --console-socket is needed for a terminal");
	if (o->console_socket && (foreground || !spec.process.terminal))
		fail("--console-socket", "only for a process.terminal, with create or run --detach "
		     "(runc: \"cannot use console socket if runc will not detach or allocate tty\")");
	if (foreground && spec.process.terminal) {
		int sp[2], ret = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp);
		if (ret < 0)
			fail_errno("socketpair", ret);
		cfg.console_sock = sp[1];
		console_peer = sp[0];
		if (!cfg.console_size.row || !cfg.console_size.col)
			tty_window_size(&cfg.console_size);	/* our terminal's, if any */
	}
	memset(&st, 0, sizeof(st));
	st.oci_version = spec.oci_version;
	st.id = id;
	st.status = "created";
	st.bundle = o->bundle;
	if (o->bundle[0] != '/' && sys_getcwd(bundle, sizeof(bundle)) > 0 && !str_eq(o->bundle, "."))
		cat(cat(bundle + str_len(bundle), bundle + sizeof(bundle) - 1, "/"),
		    bundle + sizeof(bundle) - 1, o->bundle);
	if (o->bundle[0] != '/')
		st.bundle = bundle;
	st.rootfs = spec.root_path;
	st.created = state_now(now);
	st.owner = "";
	st.annotations = spec.annotations;
	st.annotation_count = spec.annotation_count;
	/* for start and delete: which hooks there are, the cgroups made */
	st.known = 1;
	for (int k = 0; k < HOOK_KINDS; k++)
		if (spec.hook_count[k])
			st.hooks |= 1u << k;
	st.cg = &cgroup;
	cfg.cgroup_out = &cgroup;
	oci_hook_state(&st);	/* for the container's own hooks */
	if (spec.hook_count[HOOK_PRESTART] || spec.hook_count[HOOK_CREATE_RUNTIME])
		cfg.runtime_hooks = runtime_hooks;
	dir = state_dir_create(root_fd, id, err, sizeof(err));	/* its fd, opened once */
	if (dir < 0)
		fail(err, NULL);
	created_id = id;
	/* the config as loaded: later edits of the bundle do not count */
	fd = sys_openat(dir, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || sys_write(fd, spec.text, spec.text_size - 1) != (long)spec.text_size - 1)
		fail_errno("config.json", fd < 0 ? fd : -EIO);
	sys_close(fd);
	/* 0622 whatever our umask: an init that switched to process.user
	 * (podman -u 1234) must still open it for writing (runc: umask 0 too) */
	mask = sys_umask(0);
	ret = sys_mknodat(dir, "exec.fifo", S_IFIFO | 0622, 0);
	sys_umask(mask);
	cfg.exec_fifo = ret < 0 ? ret : sys_openat(dir, "exec.fifo", O_PATH | O_CLOEXEC, 0);
	if (cfg.exec_fifo < 0)
		fail_errno("exec.fifo", cfg.exec_fifo);
	if (o->console_socket)
		cfg.console_sock = connect_console(o->console_socket);
	namespaces_join(&spec);
	if (run_container(&cfg) != 0) {
		create_undo();	/* run_container said why and cleaned its part */
		sys_exit(1);
	}
	created_pid = cfg.pid;	/* from here on, a failure kills it (create_undo) */
	st.pid = cfg.pid;
	st.pid_start = proc_start(cfg.pid);
	ret = state_write(dir, &st);
	if (ret < 0)
		fail_errno("state.json", ret);
	if (o->pid_file && (ret = pid_file_write(o->pid_file, cfg.pid)) < 0)
		fail_errno(o->pid_file, ret);
	created_id = NULL;
	created_pid = 0;
	made.id = id;
	made.dir = dir;
	made.st = st;
	made.status = st.status;
	return 0;
}

/* poststart, poststop: the hooks of kind from the container's stored
 * config, with its state (status given); a failure is a warning and the
 * lifecycle goes on (runtime-spec). */
static int hooks_after(struct container *c, int kind, const char *status)
{
	char path[PATH_LIMIT], err[PATH_LIMIT];

	if (c->st.known && !(c->st.hooks & (1u << kind)))
		return 0;	/* none: no need to load the config */
	concat(path, sizeof(path), root, "/", c->id);
	if (!spec.text && oci_load(path, &spec, err, sizeof(err)) < 0) {
		say("warning", err);
		return 0;
	}
	c->st.status = status;
	return oci_hooks(&spec, kind, &c->st, err, sizeof(err));	/* only warns */
}

/* Release a created container's init from exec.fifo; returns once its
 * command runs (or it is gone), after the poststart hooks. */
static int start_container(struct container *c)
{
	struct pollfd pfd;
	char byte;
	int fd;

	fd = sys_openat(c->dir, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
	if (fd < 0)
		fail_errno("exec.fifo", fd);
	/* The init opens its end (we just woke it), writes "0", runs the
	 * startContainer hooks and keeps the end open (close-on-exec) until
	 * its execve(): that end's close is the command running, which is
	 * when start returns and poststart runs (runtime-spec: after the
	 * user-specified process is executed). Only that close wakes us (no
	 * POLLIN asked for: the "0" waits in the FIFO), one wakeup, not two;
	 * then a "0" read is an exec, none the init's death. The FIFO goes
	 * after, as runc removes it after reading to its end. */
	pfd.fd = fd;
	pfd.events = 0;	/* POLLHUP only: a writer came and went */
	while (sys_poll_ms(&pfd, 1, 100) <= 0)
		if (proc_start(c->st.pid) != c->st.pid_start)
			break;	/* gone before it opened its end */
	if (sys_read(fd, &byte, 1) != 1)
		fail(c->id, "container init exited before start");
	sys_unlinkat(c->dir, "exec.fifo", 0);
	sys_close(fd);
	return hooks_after(c, HOOK_POSTSTART, "running");
}

static int cmd_start(struct opts *o)
{
	static struct container c;

	container_open(&c, need_id(o), 1);
	if (!str_eq(c.status, "created"))
		fail(c.id, str_eq(c.status, "running") ? "cannot start an already running container"
						      : "cannot start a container that has stopped");
	return start_container(&c);
}

/* The end of container c, its init killed (pidfd: its pidfd, or -1):
 * thaw and remove its cgroups (found in cgroup), wait until the init is
 * gone, remove its state, then the poststop hooks. */
static int delete_container(struct container *c, int pidfd)
{
	if (cgroup.dir_of[CG_FREEZER] >= 0) {	/* a frozen task dies only once thawed */
		char path[PATH_LIMIT];
		write_file(concat(path, sizeof(path), cgroup.dirs[cgroup.dir_of[CG_FREEZER]],
				  "/freezer.state", ""), "THAWED");
	}
	/* The init's exit first, as an event: it leaves its cgroups (and,
	 * PID 1 of its namespace, takes the others with it) before its pidfd
	 * turns readable (kernel/exit.c do_exit: cgroup_exit, then
	 * exit_notify), so the rmdirs below find them empty instead of going
	 * round EBUSY, kill, sleep 1 ms, which a busy machine stretches. */
	if (pidfd >= 0) {
		struct pollfd pfd = { pidfd, POLLIN, 0 };
		sys_poll_ms(&pfd, 1, 2000);
		sys_close(pidfd);
	}
	cgroup_destroy(&cgroup);	/* kills what is left, waits until it is empty */
	for (int i = 0; c->st.pid && i < 1000 && proc_start(c->st.pid) == c->st.pid_start; i++)
		sys_sleep_ms(2);
	state_remove(root_fd, c->id);
	return hooks_after(c, HOOK_POSTSTOP, "stopped");
}

static int cmd_delete(struct opts *o, char **envp)
{
	static struct container c;
	char why[300];
	int pidfd = -1;

	c.st.cg = &cgroup;	/* state.json's record of them, if it has one */
	if (container_open(&c, need_id(o), !o->force) < 0) {
		/* --force: a create killed before it wrote state.json left its
		 * directory (and maybe a cgroup): remove both */
		if (c.dir >= 0 && sys_openat(c.dir, "config.json", O_PATH | O_CLOEXEC, 0) >= 0) {
			container_config(&c, &spec, &cfg, envp, &cgroup);
			cgroup_destroy(&cgroup);
		}
		if (c.dir >= 0)
			state_remove(root_fd, c.id);
		return 0;
	}
	if (str_eq(c.status, "running") && !o->force)
		fail(concat(why, sizeof(why), "cannot delete container ", c.id, " that is not stopped: running"),
		     NULL);
	if (c.st.pid) {
		/* a pidfd to wait on (none before 5.3: the polling below) */
		pidfd = sys_pidfd_open(c.st.pid, 0);
		if (pidfd >= 0 && proc_start(c.st.pid) != c.st.pid_start)
			sys_close(pidfd), pidfd = -1;	/* gone, or its pid reused */
		sys_kill(c.st.pid, SIGKILL);
	}
	/* the cgroups from state.json; the config only for poststop hooks (or
	 * from an older nanoctr's state.json, which has no record) */
	if (!c.st.known || (c.st.hooks & (1u << HOOK_POSTSTOP)))
		container_config(&c, &spec, &cfg, envp, &cgroup);
	return delete_container(&c, pidfd);
}

/* create + start + wait (the init is our child), then delete: one
 * process, so start and delete go on with what create made and loaded
 * (its state, config and cgroups) instead of reading them back. */
static int cmd_run(struct opts *o, char **envp)
{
	int status, master = -1;

	foreground = !o->detach;
	cmd_create(o, envp);
	if (console_peer >= 0)	/* sent by the init during its setup */
		master = tty_receive_master(console_peer);
	start_container(&made);
	if (o->detach)
		return 0;
	/* signals forwarded, the terminal relayed, as runc's foreground run */
	status = supervise_child(cfg.pid, master);
	made.st.pid = 0;	/* reaped: stopped; its cgroups are in cgroup (create) */
	delete_container(&made, -1);
	return status;
}

static const char oci_usage[] =
"usage: nanoctr [--root DIR] [--log FILE] [--log-format text|json] [--debug] COMMAND ...\n"
"  create [--bundle DIR] [--pid-file FILE] [--console-socket PATH] [--preserve-fds N] ID\n"
"  start ID | state ID | pause ID | resume ID | delete [--force] ID\n"
"  kill [--all] ID [SIGNAL]\n"
"  run [--bundle DIR] [--detach] [--pid-file FILE] [--console-socket PATH] ID\n"
"  exec [--process FILE] [--detach] [--pid-file FILE] [--tty] [--console-socket PATH]\n"
"       [--cwd DIR] [--env NAME=VALUE]... [--user UID[:GID]] ID [COMMAND [ARG...]]\n"
"  list [--format table|json] [--quiet] | ps [--format table|json] ID\n"
"  update --resources FILE|- ID | spec [--bundle DIR] | features\n";

int oci_main(int argc, char **argv, char **envp)
{
	static const char commands[] = "create\0start\0state\0kill\0delete\0run\0list\0ps\0exec\0"
		"pause\0resume\0update\0";
	struct opts o;
	int i = 1, cmd = 0, ret;
	const char *p;

	exit_error = 1;
	die_hook = create_undo;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i] + (argv[i][1] == '-'), *v = argv[i + 1];
		if (str_eq(a, "-debug"))
			continue;
		if (str_eq(a, "-v") || str_eq(a, "-version")) {	/* runc's -v */
			put(1, "nanoctr " NANOCTR_VERSION "\nspec: 1.0.2\n");
			return 0;
		}
		if (str_eq(a, "-h") || str_eq(a, "-help")) {
			put(1, oci_usage);
			return 0;
		}
		if (str_eq(a, "-systemd-cgroup"))
			fail("--systemd-cgroup", "not supported: nanoctr manages cgroupfs paths only");
		if (!v)
			fail(argv[i], "needs a value");
		if (str_eq(a, "-root"))
			root = v;
		else if (str_eq(a, "-rootless"))	/* runc's true|false|auto: the euid decides */
			;
		else if (str_eq(a, "-log"))
			log_fd = sys_open(v, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		else if (str_eq(a, "-log-format") && (str_eq(v, "json") || str_eq(v, "text")))
			log_json = str_eq(v, "json");
		else
			fail(argv[i], "unknown global option or bad value");
		i++;
	}
	if (i == argc)
		fail("no command", "usage: nanoctr [--root DIR] [--log FILE] [--log-format text|json] "
		     "create|start|state|kill|delete|run|list|ps ...");
	/* after global options too: `nanoctr --root DIR spec` (runc's tests) */
	if (str_eq(argv[i], "spec"))
		return oci_cmd_spec(argc - i - 1, argv + i + 1);
	if (str_eq(argv[i], "features"))
		return oci_cmd_features(argc - i - 1, argv + i + 1);
	for (p = commands; *p && !str_eq(p, argv[i]); p += str_len(p) + 1)
		cmd++;
	if (!*p)
		fail(argv[i], "unknown command (see nanoctr --help)");
	/* `nanoctr run` is docker's unless a global option came first or
	 * --bundle/-b/--detach/-d follows it */
	if (str_eq(argv[i], "run") && i == 1 &&
	    !(argc > 2 && (str_eq(argv[2], "--bundle") || str_eq(argv[2], "-b") ||
			   str_eq(argv[2], "--detach") || str_eq(argv[2], "-d"))))
		return -1;
	if (i + 1 < argc && (str_eq(argv[i + 1], "--help") || str_eq(argv[i + 1], "-h"))) {
		put(1, oci_usage);
		return 0;
	}
	root_fd = *root ? state_root_open(root) : -ENOENT;
	if (root_fd < 0)
		fail_errno(*root ? root : "--root \"\"", root_fd);
	if (cmd == 8)
		return oci_cmd_exec(argc - i - 1, argv + i + 1, envp);
	if (cmd == 11)
		return oci_cmd_update(argc - i - 1, argv + i + 1, envp);
	opts_parse(&o, argc - i - 1, argv + i + 1);
	switch (cmd) {
	case 0: ret = cmd_create(&o, envp); break;
	case 1: ret = cmd_start(&o); break;
	case 2: ret = oci_cmd_state(&o); break;
	case 3: ret = oci_cmd_kill(&o, envp); break;
	case 4: ret = cmd_delete(&o, envp); break;
	case 5: ret = cmd_run(&o, envp); break;
	case 6: ret = oci_cmd_list(&o); break;
	case 7: ret = oci_cmd_ps(&o, envp); break;
	default: ret = oci_cmd_freeze(&o, envp, cmd == 9); break;
	}
	return ret;
}
