/* `run`, the parent's side: validate, clone the child into new namespaces,
 * make its cgroup while it builds its root, place it there, release it, then
 * supervise: forward signals, relay the terminal, wait, report OOM kills,
 * clean up. Once the child exists the parent never dies on an error: it
 * reports, kills what it started, cleans up, and only then exits.
 *
 * The channels with the child, all close-on-exec (the exec ends them):
 *   start   pipe, parent to child: one byte, the go, once the cgroup is in.
 *   report  pipe, child to parent: a byte 0 just before the command's
 *           execve() (out.c), and/or one failure report (status byte, line).
 *           A pipe keeps what was written after its writer is gone; the
 *           SEQPACKET socket this replaces turned a report into ECONNRESET
 *           when the child exited with the start byte unread. The parent
 *           reads to the end before concluding anything: the mark then EOF
 *           is an exec; a report is a setup failure (its status); EOF alone
 *           is a setup that died without a word (a signal, the OOM killer),
 *           reported as one (125), never as the command's 128+N.
 *   pty     -t only, a socket: the pty master, by SCM_RIGHTS.
 *
 * Memory. The child runs on child_area's stack, and until it execs it
 * shares our memory (CLONE_VM): nothing to copy, no copy-on-write faults.
 * The invariant that makes that safe: after clone() the parent reads
 * nothing the child writes. The child writes only child_area (its stack,
 * its report fd: die() in the parent, on another stack, always goes to our
 * stderr) and user.c's tables, which only the child uses; the parent reads
 * cfg, which the child never writes. No CLONE_VM with --init (the child
 * lives on as PID 1, and memory it shared with us would be memory the
 * container could reach us by) nor with -m: the OOM killer kills every
 * process using the victim's memory, so a child OOM-killed in its cgroup
 * during setup would take the runtime with it.
 *
 * Signals. The caller's dispositions and mask are not the command's: the
 * child starts with every signal at its default and none blocked, as runc
 * gives it. We take back the ones we handle (SIGCHLD ignored would make the
 * kernel reap for us), keeping only nohup's SIGHUP. */
#include "src/nanoctr.h"

#define FORWARDED (SIGBIT(SIGINT) | SIGBIT(SIGTERM) | SIGBIT(SIGHUP) | SIGBIT(SIGQUIT) | \
		   SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2))
#define STOPPING (SIGBIT(SIGINT) | SIGBIT(SIGTERM) | SIGBIT(SIGHUP))
#define HANDLED (FORWARDED | SIGBIT(SIGCHLD) | SIGBIT(SIGWINCH) | SIGBIT(SIGTTOU) | \
		 SIGBIT(SIGTTIN) | SIGBIT(SIGPIPE))


struct supervisor {
	int pid;		/* the container's PID 1, as the host sees it */
	int status;		/* its wait status, once reaped */
	int exited;
	int stop_requests;	/* SIGINT/SIGTERM received */
	int master;		/* pty master with -t, else -1 */
	int sfd;		/* signalfd, or -1: take signals with sigtimedwait */
	int in_setup;		/* before the exec mark: a stop signal aborts */
	int stop_pending;	/* a stop signal that came in the setup, to decide on */
	sigset_t held;		/* other signals that came in the setup, for the command */
	int aborted;		/* the signal that aborted the setup */
};

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void on_signal(struct supervisor *sv, int sig)
{
	if (sig == SIGCHLD) {
		int status;
		while (!sv->exited && sys_wait4(sv->pid, &status, WNOHANG) == sv->pid) {
			sv->status = status;
			sv->exited = 1;
		}
		return;
	}
	if (sig == SIGWINCH) {
		tty_resize();
		return;
	}
	/* Asked to stop during the setup: setup_wait() decides, once it has
	 * read what the report pipe holds (the exec mark may be there). */
	if (sv->in_setup && (STOPPING & SIGBIT(sig))) {
		if (!sv->stop_pending && !sv->aborted)
			sv->stop_pending = sig;
		return;
	}
	if (!(FORWARDED & SIGBIT(sig)))
		return;
	/* The setup runs with every signal at its default: as PID 1 it would
	 * drop this one. Keep it for the command, once the exec mark is read. */
	if (sv->in_setup) {
		sv->held |= SIGBIT(sig);
		return;
	}
	/* A PID 1 without a handler ignores SIGINT/SIGTERM: a second one kills. */
	if ((sig == SIGINT || sig == SIGTERM) && ++sv->stop_requests > 1)
		sig = SIGKILL;
	sys_kill(sv->pid, sig);
}

/* poll fds (fds[0] is the signalfd's slot), then handle the signals that
 * came. Without a signalfd (signalfd4 refused: a seccomp profile, ENOSYS,
 * EMFILE) poll wakes every 50 ms and sigtimedwait takes what is pending. */
static void wait_events(struct supervisor *sv, struct pollfd *fds, unsigned n)
{
	struct signalfd_siginfo info;
	sigset_t set = HANDLED;
	int sig;

	if (sys_poll_ms(fds, n, sv->sfd >= 0 ? -1 : 50) < 0)
		for (unsigned i = 0; i < n; i++)
			fds[i].revents = 0;
	if (sv->sfd >= 0) {
		if (fds[0].revents && sys_read(sv->sfd, &info, sizeof(info)) == sizeof(info))
			on_signal(sv, info.ssi_signo);
		return;
	}
	while ((sig = sys_sigpending_take(&set)) > 0)
		on_signal(sv, sig);
}

/* A pty master sent on sock as one SCM_RIGHTS message (send_master), or
 * -1 when none came. */
int tty_receive_master(int sock)
{
	int master = -1;
	char byte;
	union { struct cmsghdr h; char space[sizeof(struct cmsghdr) + 8]; } control;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;

	memset(&msg, 0, sizeof(msg));
	msg.iov = &iov;
	msg.iovlen = 1;
	msg.control = &control;
	msg.controllen = sizeof(control);
	if (sys_recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) > 0 &&
	    msg.controllen >= sizeof(struct cmsghdr) + sizeof(int) && control.h.type == SCM_RIGHTS) {
		memcpy(&master, control.space + sizeof(struct cmsghdr), sizeof(int));
	}
	return master;
}

struct report {
	char buf[PATH_LIMIT + 256];
	size_t len;
};

/* One read of the report pipe; *fd becomes -1 at its end. The exec mark
 * ends the setup: signals from then on are the command's. */
static void report_more(struct supervisor *sv, struct report *r, int *fd)
{
	long n = sys_read(*fd, r->buf + r->len, sizeof(r->buf) - 1 - r->len);

	if (n == -EINTR || n == -EAGAIN)
		return;
	if (n <= 0 || (r->len += n) == sizeof(r->buf) - 1)
		*fd = -1;
	if (r->len && r->buf[0] == 0)
		sv->in_setup = 0;
}

/* Read the report pipe (and the pty socket) to their end. Returns 0 when
 * the command was exec'd; the report's status once its line is printed;
 * -1 for a setup that ended without a word; 128+N for signal N that
 * stopped the setup. */
static int setup_wait(struct supervisor *sv, int report, int pty, const struct config *cfg,
		      const int hooks[2])
{
	struct report r = { .len = 0 };
	struct pollfd fds[4] = { { sv->sfd, POLLIN, 0 }, { report, POLLIN, 0 }, { pty, POLLIN, 0 },
				 { hooks[0], POLLIN, 0 } };
	char byte;

	sv->in_setup = 1;
	while (fds[1].fd >= 0 || fds[2].fd >= 0) {
		wait_events(sv, fds, SPEC(cfg) ? 4 : 3);
		if (fds[2].fd >= 0 && fds[2].revents) {
			sv->master = tty_receive_master(pty);
			fds[2].fd = -1;
		}
		/* OCI: the child's mounts are made, its root not yet switched:
		 * the runtime's hooks, then the answer (none: it gives up) */
		if (SPEC(cfg) && fds[3].fd >= 0 && fds[3].revents) {
			if (sys_read(fds[3].fd, &byte, 1) == 1 && !sv->aborted) {
				if (cfg->runtime_hooks(sv->pid) == 0)
					sys_write(hooks[1], "h", 1);
				else
					sv->aborted = -1, sys_kill(sv->pid, SIGKILL);
			}
			fds[3].fd = -1;
		}
		if (fds[1].fd >= 0 && fds[1].revents)
			report_more(sv, &r, &fds[1].fd);
		if (sv->stop_pending) {
			/* Whatever the pipe holds came before the signal: read it
			 * all first. With the mark, the command runs: forward. */
			struct pollfd now = { report, POLLIN, 0 };
			int sig = sv->stop_pending;
			while (sv->in_setup && fds[1].fd >= 0 && sys_poll_ms(&now, 1, 0) > 0)
				report_more(sv, &r, &fds[1].fd);
			sv->stop_pending = 0;
			if (!sv->in_setup) {
				on_signal(sv, sig);
			} else {
				sv->aborted = sig;
				sys_kill(sv->pid, SIGKILL);
			}
		}
		for (int sig = 1; !sv->in_setup && sv->held && sig < 32; sig++)
			if (sv->held & SIGBIT(sig)) {
				sv->held &= ~SIGBIT(sig);
				on_signal(sv, sig);
			}
	}
	sv->in_setup = 0;
	if (sv->aborted < 0)	/* a hook failed: said so */
		return 1;
	if (sv->aborted)
		return 128 + sv->aborted;
	if (r.len && r.buf[0] == 0)
		return r.len == 1 ? 0 : (error_line(r.buf + 2, r.len - 2), (unsigned char)r.buf[1]);
	if (r.len)
		return error_line(r.buf + 1, r.len - 1), (unsigned char)r.buf[0];
	return -1;
}

static void supervise(struct supervisor *sv)
{
	struct pollfd fds[1 + TTY_POLL_FDS];

	fds[0].fd = sv->sfd;
	fds[0].events = POLLIN;
	while (!sv->exited) {
		tty_relay_poll(fds + 1);
		wait_events(sv, fds, ARRAY_SIZE(fds));
		tty_relay_pump(fds + 1, sv->pid);
	}
}

/* A directory (or an O_PATH descriptor) as the container's stdio would
 * give it a host path: /proc/self/fd/0 is a way out of its root (`cd
 * /proc/self/fd/0 < /etc`). Only what reaches the container is checked:
 * stdin with -i, stdout and stderr, none with -t (the pty is its stdio). */
static void stdio_check(const struct config *cfg)
{
	static const char names[3][7] = { "stdin", "stdout", "stderr" };
	struct statx st;

	if (cfg->options & OPT_TTY)
		return;
	for (int fd = !(cfg->options & OPT_INTERACTIVE); fd < 3; fd++) {
		int flags = sys_fcntl(fd, F_GETFL, 0);
		if (flags >= 0 && (flags & O_PATH))
			die_code(EXIT_SETUP, names[fd], "is an O_PATH descriptor (refused: it would "
				 "give the container a host path)");
		if (sys_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &st) == 0 && S_ISDIR(st.stx_mode))
			die_code(EXIT_SETUP, names[fd], "is a directory (refused: it would give the "
				 "container a host directory)");
	}
}

struct child_start {
	const struct config *cfg;
	struct child_channels ch;
	int parent_ends[5];
};

static NORETURN void child_start(void *arg)
{
	const struct child_start *start = arg;
	struct child_channels ch = start->ch;
	sigset_t none = 0;

	for (int i = 0; i < 5; i++)
		if (start->parent_ends[i] >= 0)
			sys_close(start->parent_ends[i]);
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sys_signal_default(sig);
	sys_sigprocmask(SIG_SETMASK, &none, NULL);
	container_main(start->cfg, &ch);
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			sys_close(fds[i]);
}

/* OCI run and exec in the foreground: supervise pid, our child, as `run`
 * does its container — forward signals, relay master (a pty's, or -1: none)
 * with our stdio, reap it. Returns its status as a shell gives it (128+N for
 * signal N). runc's signal proxy and terminal do the same. */
int supervise_child(int pid, int master)
{
	struct supervisor sv = { .pid = pid, .master = master };
	sigset_t set = HANDLED;

	for (int sig = 1; sig < 32; sig++)
		if ((HANDLED & SIGBIT(sig)) && sig != SIGHUP)
			sys_signal_default(sig);
	sys_sigprocmask(SIG_BLOCK, &set, NULL);
	sv.sfd = sys_signalfd(&set);
	on_signal(&sv, SIGCHLD);	/* it may be gone already */
	/* our input too, whatever it is, as runc copies its stdin to the
	 * terminal (`echo hi | nanoctr run` with a terminal); its end reaches
	 * the pty as an end of file */
	if (master >= 0)
		tty_relay_begin(master, 1);
	supervise(&sv);
	if (master >= 0)
		tty_relay_end();
	close_all(&sv.sfd, 1);
	return exit_status(sv.status);
}

int run_container(struct config *cfg)
{
	struct child_start start;
	struct supervisor sv = { .master = -1 };
	struct cgroup cg;
	struct userns userns;
	sigset_t set = HANDLED;
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
	int start_pipe[2], report[2], pty[2] = { -1, -1 }, req[2] = { -1, -1 }, ans[2] = { -1, -1 };
	int code, ret;

	/* OCI: the config's user namespace; run: a caller without root */
	if (SPEC(cfg) ? cfg->options & OPT_USERNS : sys_geteuid() != 0)
		userns_check(cfg, &userns);
	rootfs_check(cfg);
	/* As docker: a pty fed from a pipe cannot tell the shell where the input
	 * ends (a ^D typed before the shell reads turns into a NUL once it
	 * switches to raw mode), so -it wants a terminal. -t alone is fine. */
	if (!SPEC(cfg) && (cfg->options & (OPT_TTY | OPT_INTERACTIVE)) == (OPT_TTY | OPT_INTERACTIVE) &&
	    !tty_is_terminal(0))
		die_code(EXIT_SETUP, "-it", "the input device is not a TTY (use -i alone to pipe input)");
	stdio_check(cfg);
	if (!(cfg->options & OPT_NET_HOST))
		flags |= CLONE_NEWNET;
	if (SPEC(cfg))
		flags = oci_clone_flags(cfg->spec);
	else if (cfg->options & OPT_TTY)
		tty_window_size(&cfg->console_size);
	if (cfg->options & OPT_USERNS)
		flags |= CLONE_NEWUSER;

	caps_check(cfg);
	cgroup_check(cfg, &cg);
	/* What we handle comes to the signalfd: not ignored (a shell's `cmd &`
	 * ignores SIGINT and SIGQUIT; SIGCHLD ignored would let the kernel reap
	 * the child for us), and blocked. nohup's SIGHUP stands. */
	for (int sig = 1; sig < 32; sig++)
		if ((HANDLED & SIGBIT(sig)) && sig != SIGHUP)
			sys_signal_default(sig);
	sys_sigprocmask(SIG_BLOCK, &set, NULL);
	ret = sys_pipe2(start_pipe, O_CLOEXEC);
	if (ret == 0)
		ret = sys_pipe2(report, O_CLOEXEC);
	if (ret == 0 && SPEC(cfg) && cfg->runtime_hooks &&
	    (ret = sys_pipe2(req, O_CLOEXEC)) == 0 && (ret = sys_pipe2(ans, O_CLOEXEC)) < 0)
		close_all(req, 2);
	if (ret == 0 && (cfg->options & OPT_TTY) && SPEC(cfg))
		pty[1] = cfg->console_sock;	/* the engine's socket takes the master */
	else if (ret == 0 && (cfg->options & OPT_TTY))
		ret = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pty);
	if (ret < 0)
		die("pipe", ret);
	/* Its cgroups exist before the child does: it joins the v1 ones itself,
	 * which spares a grace period (cgroup_join). */
	if (cgroup_prepare(cfg, &cg) < 0) {
		cgroup_destroy(&cg);
		return EXIT_SETUP;
	}
	child_area.report_fd = report[1];
	if (SPEC(cfg)) {
		child_area.hooks[0] = req[1];
		child_area.hooks[1] = ans[0];
	}
	start = (struct child_start){ cfg, { start_pipe[0], report[1], pty[1], &cg },
				      { start_pipe[1], report[0], pty[0], req[0], ans[1] } };
	/* not for OCI create either: it exits, the init lives on */
	if (!(cfg->options & OPT_INIT) && !cfg->memory && !SPEC(cfg))
		flags |= CLONE_VM;
	sv.pid = clone_run(flags, child_area.stack + sizeof(child_area.stack), child_start, &start);
	if (sv.pid < 0) {
		cgroup_destroy(&cg);
		die("clone", sv.pid);
	}
	close_all((int[]){ start_pipe[0], report[1], pty[1], req[1], ans[0] }, SPEC(cfg) ? 5 : 3);
	sv.sfd = sys_signalfd(&set);

	/* The child waits for our go before anything of the container runs (a
	 * user namespace: before its root, our maps first); its v2 cgroups are
	 * entered here, the v1 ones it joined itself. */
	ret = cfg->options & OPT_USERNS ? userns_map(&userns, sv.pid) : 0;
	if (ret == 0) {
		ret = cgroup_enter(&cg, sv.pid, 1);
		if (ret < 0 && sys_wait4(sv.pid, &sv.status, WNOHANG) == sv.pid)
			ret = 0, sv.exited = 1;	/* the child failed first: its report says why */
		else if (ret < 0)
			say("cgroup.procs", errno_text(ret));
	}
	if (ret == 0)
		sys_write(start_pipe[1], "g", 1);	/* release the child */
	sys_close(start_pipe[1]);
	code = ret ? EXIT_SETUP : setup_wait(&sv, report[0], pty[0], cfg, (int[]){ req[0], ans[1] });
	close_all((int[]){ report[0], pty[0], req[0], ans[1] }, SPEC(cfg) ? 4 : 2);
	if (code == 0 && SPEC(cfg)) {
		/* OCI create: the init waits on exec.fifo; its cgroup stays */
		close_all(&sv.sfd, 1);
		cfg->pid = sv.pid;
		if (cfg->cgroup_out)
			*cfg->cgroup_out = cg;
		return 0;
	}
	if (code == 0) {
		tty_relay_begin(sv.master, cfg->options & OPT_INTERACTIVE);
		supervise(&sv);
		tty_relay_end();
		code = exit_status(sv.status);
	} else if (!sv.exited) {
		sys_kill(sv.pid, SIGKILL);
		while (sys_wait4(sv.pid, &sv.status, 0) == -EINTR)
			;
	}
	if (code < 0) {
		/* the setup died without a word: killed, or gone on its own */
		char why[48], *end = why + sizeof(why) - 1;
		if (WIFEXITED(sv.status))
			cat_u64(cat(why, end, "exited with status "), end, WEXITSTATUS(sv.status));
		else
			cat_u64(cat(why, end, "killed by signal "), end, WTERMSIG(sv.status));
		say("container setup", why);
		code = EXIT_SETUP;
	}
	if (cgroup_oom_killed(&cg, sv.status)) {
		char why[96];
		warn_text("container killed by the OOM killer (",
			  concat(why, sizeof(why), "memory limit ", cfg->memory_text, ")"));
	}
	cgroup_destroy(&cg);
	return code;
}
