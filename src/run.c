/* `run`, the parent's side: validate, clone the child into new namespaces,
 * make its cgroup while it builds its root, place it there, release it, then
 * supervise: forward signals, relay the terminal, wait, report OOM kills,
 * clean up. Once the child exists the parent never dies on an error: it
 * reports, kills what it started, cleans up, and only then exits. */
#include "src/nanoctr.h"

#define FORWARDED (SIGBIT(SIGINT) | SIGBIT(SIGTERM) | SIGBIT(SIGHUP) | SIGBIT(SIGQUIT) | \
		   SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2))
#define HANDLED (FORWARDED | SIGBIT(SIGCHLD) | SIGBIT(SIGWINCH) | SIGBIT(SIGTTOU) | \
		 SIGBIT(SIGTTIN) | SIGBIT(SIGPIPE))

struct supervisor {
	int pid;		/* the container's PID 1, as the host sees it */
	int status;		/* its wait status, once reaped */
	int exited;
	int stop_requests;	/* SIGINT/SIGTERM received */
	int master;		/* pty master with -t, else -1 */
};

/* The child reports over a SEQPACKET socket: one message per failure, first
 * byte the exit status; with -t a message with byte 0 carries the pty master.
 * EOF means execve() succeeded (the socket is close-on-exec). */
static int read_report(int sock, struct supervisor *sv)
{
	char buf[PATH_LIMIT + 256];
	union { struct cmsghdr h; char space[sizeof(struct cmsghdr) + 8]; } control;
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr msg;
	long n;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		msg.iov = &iov;
		msg.iovlen = 1;
		msg.control = &control;
		msg.controllen = sizeof(control);
		n = sys_recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (buf[0] == 0) {
			if (msg.controllen >= sizeof(struct cmsghdr) + sizeof(int) &&
			    control.h.type == SCM_RIGHTS)
				memcpy(&sv->master, control.space + sizeof(struct cmsghdr), sizeof(int));
			continue;
		}
		sys_write(2, buf + 1, n - 1);
		return (unsigned char)buf[0];
	}
}

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
	if (!(FORWARDED & SIGBIT(sig)))
		return;
	/* A PID 1 without a handler ignores SIGINT/SIGTERM: a second one kills. */
	if ((sig == SIGINT || sig == SIGTERM) && ++sv->stop_requests > 1)
		sig = SIGKILL;
	sys_kill(sv->pid, sig);
}

static void supervise(struct supervisor *sv)
{
	sigset_t set = HANDLED;
	struct signalfd_siginfo info;
	struct pollfd fds[1 + TTY_POLL_FDS];
	int sfd = sys_signalfd(&set);

	fds[0].fd = sfd;
	fds[0].events = POLLIN;
	while (!sv->exited) {
		tty_relay_poll(fds + 1);
		if (sys_poll(fds, ARRAY_SIZE(fds)) < 0)
			continue;
		if (fds[0].revents && sys_read(sfd, &info, sizeof(info)) == sizeof(info))
			on_signal(sv, info.ssi_signo);
		tty_relay_pump(fds + 1, sv->pid);
	}
}

/* The child starts on a stack of its own and shares our memory until it
 * execs (CLONE_VM): nothing to copy, no copy-on-write faults — ~0.7 ms on
 * these VMs. It writes nothing of ours but the report fd of out.c, and the
 * parent never calls die() once the child exists. Not with --init: there
 * the child never execs but lives on as the container's PID 1, and memory
 * it shared with us would be memory the container could reach us by. */
struct child_start {
	const struct config *cfg;
	int parent_end, child_end;
	sigset_t mask;
};

static char child_stack[64 << 10] __attribute__((aligned(16)));

static NORETURN void child_start(void *arg)
{
	struct child_start *start = arg;

	sys_close(start->parent_end);
	sys_sigprocmask(SIG_SETMASK, &start->mask, NULL);
	container_main(start->cfg, start->child_end);
}

int run_container(struct config *cfg)
{
	struct child_start start;
	struct supervisor sv = { .master = -1 };
	struct cgroup cg;
	sigset_t set = HANDLED, old;
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
	int sock[2], code, ret;

	if (sys_geteuid() != 0)
		die_code(EXIT_SETUP, "run", "must be run as root (rootless mode is not supported yet)");
	rootfs_check(cfg);
	/* As docker: a pty fed from a pipe cannot tell the shell where the input
	 * ends (a ^D typed before the shell reads turns into a NUL once it
	 * switches to raw mode), so -it wants a terminal. -t alone is fine. */
	if ((cfg->options & (OPT_TTY | OPT_INTERACTIVE)) == (OPT_TTY | OPT_INTERACTIVE) &&
	    !tty_is_terminal(0))
		die_code(EXIT_SETUP, "-it", "the input device is not a TTY (use -i alone to pipe input)");
	if (!(cfg->options & OPT_NET_HOST))
		flags |= CLONE_NEWNET;
	if (cfg->options & OPT_TTY)
		tty_window_size(&cfg->console_size);

	cgroup_check(cfg, &cg);
	/* A shell's `cmd &` starts us with SIGINT and SIGQUIT ignored; they
	 * would never reach the signalfd. Take them back (they stay blocked). */
	for (int sig = 1; sig < 32; sig++)
		if ((FORWARDED & SIGBIT(sig)) && sig != SIGHUP)	/* nohup's choice stands */
			sys_signal_default(sig);
	sys_sigprocmask(SIG_BLOCK, &set, &old);
	ret = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock);
	if (ret < 0)
		die("socketpair", ret);
	start = (struct child_start){ cfg, sock[0], sock[1], old };
	if (!(cfg->options & OPT_INIT))
		flags |= CLONE_VM;
	sv.pid = clone_run(flags, child_stack + sizeof(child_stack), child_start, &start);
	if (sv.pid < 0)
		die("clone", sv.pid);
	sys_close(sock[1]);

	/* While the child builds its root, make its cgroup; it waits for our go
	 * before anything of the container runs. */
	ret = cgroup_prepare(cfg, &cg);
	if (ret == 0) {
		ret = cgroup_enter(&cg, sv.pid);
		if (ret < 0 && sys_wait4(sv.pid, &sv.status, WNOHANG) == sv.pid)
			ret = 0, sv.exited = 1;	/* the child failed first: its report says why */
		else if (ret < 0)
			say("cgroup.procs", errno_text(ret));
	}
	if (ret == 0)
		sys_write(sock[0], "g", 1);	/* release the child */
	code = ret ? EXIT_SETUP : read_report(sock[0], &sv);
	sys_close(sock[0]);
	if (code == 0) {
		tty_relay_begin(sv.master, cfg->options & OPT_INTERACTIVE);
		supervise(&sv);
		tty_relay_end();
		code = exit_status(sv.status);
	} else {
		sys_kill(sv.pid, SIGKILL);
		sys_wait4(sv.pid, &sv.status, 0);
	}
	if (cgroup_oom_killed(&cg, sv.status)) {
		char why[96];
		warn_text("container killed by the OOM killer (",
			  concat(why, sizeof(why), "memory limit ", cfg->memory_text, ")"));
	}
	cgroup_destroy(&cg);
	return code;
}
