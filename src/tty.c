/* -t: a pseudo-terminal from the container's own devpts instance for the
 * command — sized before the command starts, bound at /dev/console, owned by
 * the container's user — and the parent's relay between it and nanoctr's
 * stdio. nanoctr's terminal is made raw only when our stdin is relayed
 * (-it), and restored on every exit of the supervisor. When our output goes
 * away the container's terminal is hung up. */
#include "src/nanoctr.h"

/* The child's side, from clone() to exec. */

/* In the parent, before clone(): the size the container's terminal starts
 * with — our stdin's, else our stdout's (docker's order); 0x0 when neither is
 * a terminal. The child sets it before the command runs, so no command ever
 * sees a size the relay has not set yet. */
void tty_window_size(struct winsize *size)
{
	if (sys_ioctl(0, TIOCGWINSZ, size) < 0 && sys_ioctl(1, TIOCGWINSZ, size) < 0)
		memset(size, 0, sizeof(*size));
}

/* Bind the pty at /dev/console, as runc does for `terminal: true` (the OCI
 * runtime spec: "/dev/console ... SHOULD be set up by bind mounting the
 * pseudoterminal pty"): a file created in our own /dev tmpfs, the pty over
 * it. This is the one mount(2) outside mount.c: it needs the pty, which only
 * exists once mount.c is done. */
static void console_bind(const char *pty)
{
	int fd = sys_open("/dev/console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  0666), ret;

	if (fd < 0 && fd != -EEXIST)
		die("/dev/console", fd);
	if (fd >= 0)
		sys_close(fd);
	ret = sys_mount(pty, "/dev/console", NULL, MS_BIND, NULL);
	if (ret < 0)
		die("mount /dev/console", ret);
}

/* In the container, after /dev/pts is mounted, while still privileged. */
void tty_open_pty(const struct winsize *size, int *master, int *slave)
{
	char path[32];
	int unlock = 0, n, ret;

	*master = sys_open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
	if (*master < 0)
		die("open /dev/pts/ptmx", *master);
	ret = sys_ioctl(*master, TIOCSPTLCK, &unlock);
	if (ret == 0)
		ret = sys_ioctl(*master, TIOCGPTN, &n);
	if (ret < 0)
		die("pty", ret);
	cat_u64(cat(path, path + sizeof(path) - 1, "/dev/pts/"), path + sizeof(path) - 1, n);
	*slave = sys_open(path, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
	if (*slave < 0)
		die(path, *slave);
	ret = sys_ioctl(*slave, TIOCSWINSZ, (void *)size);
	if (ret < 0)
		die("set the terminal size", ret);
	console_bind(path);
}

static void hand_over(int fd, unsigned uid)
{
	struct statx st;
	int ret = sys_statx(fd, "", AT_EMPTY_PATH, STATX_UID, &st);

	if (ret == 0 && st.stx_uid == uid)
		return;
	if (ret == 0)
		ret = sys_fchown(fd, uid, -1);
	/* runc's list: an unmapped id, an owner we may not change, a read-only
	 * file system — leave that descriptor as it is. */
	if (ret < 0 && ret != -EINVAL && ret != -EPERM && ret != -EROFS)
		die("give the stdio to --user", ret);
}

/* Before the user switch (CAP_CHOWN): hand the command's stdio to its user,
 * so that it can open them again by name (/dev/stdout, /proc/self/fd/1,
 * $(tty), /dev/console), as runc's fixStdioPermissions does
 * (libcontainer/init_linux.go): the owner changes, the group stays (the
 * pty's is tty, from the devpts mount's gid=5), an owner that already
 * matches is left alone. runc takes every stdio but /dev/null; ours come
 * straight from the caller, so only what exists for this run alone changes
 * hands: the container's pty, or pipes. A host terminal, file, FIFO or
 * device keeps its owner — a change there would outlive the container (the
 * caller's own terminal handed to a host uid). Sockets are not reopened by
 * name (ENXIO): their owner does not matter. */
void tty_hand_stdio(int slave, unsigned uid)
{
	struct statfs_buf fs;

	if (slave >= 0) {
		hand_over(slave, uid);	/* it becomes fds 0-2 at exec */
		return;
	}
	for (int fd = 0; fd < 3; fd++)
		if (sys_fstatfs(fd, &fs) == 0 && fs.f_type == PIPEFS_MAGIC)
			hand_over(fd, uid);
}

/* Make the pty the controlling terminal and stdio of this process. */
void tty_attach(int slave)
{
	sys_setsid();
	sys_ioctl(slave, TIOCSCTTY, 0);
	for (int fd = 0; fd < 3; fd++)
		sys_dup3(slave, fd, 0);
	sys_close(slave);
}

int tty_is_terminal(int fd)
{
	struct termios t;

	return sys_ioctl(fd, TCGETS, &t) == 0;
}

/* The parent's side: the relay. Parent-only state; the child never
 * touches it. */

struct buffer {
	char data[4096];
	long off, len;		/* what is still to be written */
};

static struct {
	int master;		/* valid while `open` */
	int open;		/* we hold the pty: not hung up yet */
	int reading;		/* the pty still has a slave open (no EIO yet) */
	int input;		/* our stdin is relayed into the pty (-it) */
	int gone;		/* our output failed: nothing more is written */
	int raw;		/* our terminal is raw; saved holds its settings */
	struct termios saved;
	struct buffer out;	/* from the pty to our stdout */
	struct buffer in;	/* from our stdin to the pty */
} relay;

static void make_raw(void)
{
	struct termios t;

	if (sys_ioctl(0, TCGETS, &relay.saved) < 0)
		return;		/* stdin is not a terminal: nothing to switch */
	relay.raw = 1;
	t = relay.saved;
	t.c_iflag &= ~(0000001 | 0000002 | 0000010 | 0000040 | 0000100 | 0000200 | 0000400 |
		       0002000);	/* IGNBRK BRKINT PARMRK ISTRIP INLCR IGNCR ICRNL IXON */
	t.c_oflag &= ~0000001;		/* OPOST */
	t.c_lflag &= ~(0000010 | 0000100 | 0000002 | 0000001 | 0100000);
					/* ECHO ECHONL ICANON ISIG IEXTEN */
	t.c_cflag &= ~(0000060 | 0000400);	/* CSIZE PARENB */
	t.c_cflag |= 0000060;		/* CS8 */
	t.c_cc[6] = 1;			/* VMIN */
	t.c_cc[5] = 0;			/* VTIME */
	sys_ioctl(0, TCSETSW, &t);
}

/* master: the pty's master from the child, or -1 without -t. interactive:
 * -i, our stdin is relayed. Only then is our terminal made raw (docker's
 * rule): with -t alone it stays cooked, so ^C, ^\ and ^Z still signal
 * nanoctr, which forwards them. */
void tty_relay_begin(int master, int interactive)
{
	memset(&relay, 0, sizeof(relay));
	if (master < 0)
		return;
	relay.master = master;
	relay.open = relay.reading = 1;
	relay.input = interactive;
	/* Ours alone (the child closed its copy): never block on the pty. */
	sys_fcntl(master, F_SETFL, O_NONBLOCK);
	if (interactive)
		make_raw();
}

/* SIGWINCH: our terminal's size, onto the container's. */
void tty_resize(void)
{
	struct winsize size;

	tty_window_size(&size);
	if (relay.open)
		sys_ioctl(relay.master, TIOCSWINSZ, &size);
}

/* Write what b holds; 0 once all is written, else -errno (-EAGAIN: the rest
 * waits for POLLOUT). A short write keeps the rest. */
static long flush(struct buffer *b, int fd)
{
	while (b->len > 0) {
		long n = sys_write(fd, b->data + b->off, b->len);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
		b->off += n;
		b->len -= n;
	}
	b->off = 0;
	return 0;
}

static int fill(struct buffer *b, int fd)
{
	long n = sys_read(fd, b->data, sizeof(b->data));

	if (n > 0) {
		b->off = 0;
		b->len = n;
	}
	return n > 0 ? 1 : n == 0 ? 0 : n == -EAGAIN || n == -EINTR ? 1 : n;
}

/* From a /proc/PID/status text, the hex mask after "\nKEY:\t". */
static u64 status_mask(const char *text, const char *key)
{
	size_t len = str_len(key);
	u64 mask = 0;

	for (const char *p = text; (p = str_chr(p, '\n')); ) {
		if (memcmp(++p, key, len) || p[len] != ':')
			continue;
		for (p += len + 1; *p == '\t' || *p == ' '; p++)
			;
		for (;; p++) {
			int d = *p >= '0' && *p <= '9' ? *p - '0' :
				*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
			if (d < 0)
				return mask;
			mask = mask << 4 | d;
		}
	}
	return ~0ULL;	/* not found: assume it does hear */
}

/* Does process pid get sig? The kernel drops a signal to a PID namespace's
 * init that neither catches, blocks nor ignores it — even the SIGHUP of a
 * hangup (kernel/signal.c, sig_task_ignored). While blocked in
 * rt_sigtimedwait (as tini, dumb-init and our --init wait) the mask it
 * waits with is not in /proc (the kernel shows the unblocked set): assume
 * it hears. */
static int hears(int pid, int sig)
{
	char path[40], text[4096], *end = path + sizeof(path) - 1, *p;
	const char *rest;
	u64 nr;

	p = cat_u64(cat(path, end, "/proc/"), end, pid);
	cat(p, end, "/status");
	if (read_file(path, text, sizeof(text)) < 0)
		return 1;	/* gone already */
	if ((status_mask(text, "SigBlk") | status_mask(text, "SigIgn") |
	     status_mask(text, "SigCgt")) & SIGBIT(sig))
		return 1;
	cat(p, end, "/syscall");
	return read_file(path, text, sizeof(text)) > 0 && parse_u64(text, &rest, &nr) == 0 &&
	       nr == __NR_rt_sigtimedwait;
}

/* Our output is gone — the reader left (EPIPE), our terminal hung up (EIO),
 * the disk is full (ENOSPC)...: nobody will see what the container writes.
 * Hang its terminal up, as closing a terminal window does: the pty's
 * session leader and foreground group get SIGHUP, its reads EOF, its writes
 * EIO. Without --init that leader is the container's PID 1, which hears
 * SIGHUP only if it handles (or blocks) it; one that would be killed by it
 * anywhere else is killed here (SIGKILL), so the container ends as the same
 * program run at a terminal would. */
static void hang_up(int pid)
{
	if (!hears(pid, SIGHUP))
		sys_kill(pid, SIGKILL);
	sys_close(relay.master);
	relay.open = relay.reading = relay.input = 0;
	relay.out.len = relay.in.len = 0;
	relay.gone = 1;
}

/* Before each poll: fds[0] the pty, fds[1] our stdin, fds[2] our stdout,
 * each watched only while there is room for what it gives (or something to
 * write to it), so that a full side never makes us spin. */
void tty_relay_poll(struct pollfd fds[TTY_POLL_FDS])
{
	short pty = 0;

	if (relay.open && relay.reading && !relay.out.len)
		pty |= POLLIN;
	if (relay.open && relay.in.len)
		pty |= POLLOUT;
	fds[0].fd = pty ? relay.master : -1;
	fds[0].events = pty;
	fds[1].fd = relay.input && !relay.in.len ? 0 : -1;
	fds[1].events = POLLIN;
	fds[2].fd = relay.out.len ? 1 : -1;
	fds[2].events = POLLOUT;
	for (int i = 0; i < TTY_POLL_FDS; i++)
		fds[i].revents = 0;
}

/* After the poll: move what can be moved. pid: the container's PID 1. */
void tty_relay_pump(struct pollfd fds[TTY_POLL_FDS], int pid)
{
	long ret;

	if (fds[0].revents && relay.open && !relay.out.len && fill(&relay.out, relay.master) <= 0)
		relay.reading = 0;	/* EIO: every slave is closed */
	if (fds[1].revents && relay.input && !relay.in.len && fill(&relay.in, 0) <= 0) {
		/* End of our input (or an error reading it): end of input for
		 * the pty, as ^D would be. */
		relay.input = 0;
		relay.in.data[0] = 4;
		relay.in.off = 0;
		relay.in.len = 1;
	}
	if (relay.open && relay.in.len) {
		ret = flush(&relay.in, relay.master);
		if (ret < 0 && ret != -EAGAIN)	/* nothing reads the pty any more */
			relay.in.len = relay.input = 0;
	}
	/* Only once poll said POLLOUT: a pipe then takes our 4 KiB without
	 * blocking, so a stalled reader never keeps signals from being
	 * forwarded. */
	if (relay.out.len && fds[2].revents) {
		ret = flush(&relay.out, 1);
		if (ret < 0 && ret != -EAGAIN)
			hang_up(pid);
	}
}

/* The container has exited: write what it left in the pty (unless our
 * output is gone), give our terminal its settings back, let the pty go. */
void tty_relay_end(void)
{
	while (relay.open && !relay.gone && (relay.out.len || relay.reading)) {
		struct pollfd out = { 1, POLLOUT, 0 };
		long ret;
		if (!relay.out.len && (fill(&relay.out, relay.master) <= 0 || !relay.out.len))
			break;	/* EIO, or empty (EAGAIN) */
		ret = flush(&relay.out, 1);
		if (ret == -EAGAIN)
			sys_poll(&out, 1);
		else if (ret < 0)
			break;
	}
	if (relay.open)
		sys_close(relay.master);
	relay.open = 0;
	if (relay.raw)
		sys_ioctl(0, TCSETSW, &relay.saved);
	relay.raw = 0;
}
