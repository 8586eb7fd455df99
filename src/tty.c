/* -t: a pseudo-terminal from the container's own devpts instance for the
 * command, and the relay between it and nanoctr's terminal, which is put in
 * raw mode and restored on every exit of the supervisor. */
#include "src/nanoctr.h"

static struct termios saved;
static int saved_valid;

/* In the container, after /dev/pts is mounted. */
void tty_open_pty(int *master, int *slave)
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

void tty_set_size(int master)
{
	struct winsize ws;

	if (master >= 0 && sys_ioctl(0, TIOCGWINSZ, &ws) == 0)
		sys_ioctl(master, TIOCSWINSZ, &ws);
}

void tty_raw(int master)
{
	struct termios t;

	if (master < 0 || sys_ioctl(0, TCGETS, &saved) < 0)
		return;	/* stdin is not a terminal: nothing to switch */
	saved_valid = 1;
	t = saved;
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

void tty_restore(void)
{
	if (saved_valid)
		sys_ioctl(0, TCSETSW, &saved);
}

static int copy(int from, int to)
{
	char buf[4096];
	long n = sys_read(from, buf, sizeof(buf));

	for (long off = 0; off < n;) {
		long w = sys_write(to, buf + off, n - off);
		if (w <= 0)
			break;
		off += w;
	}
	return n > 0;
}

/* fds[1] is the master, fds[2] our stdin (or -1). */
void tty_pump(struct pollfd fds[3])
{
	if (fds[1].revents && !copy(fds[1].fd, 1))
		fds[1].fd = -1;		/* EIO: every slave is closed */
	if (fds[2].revents && !copy(0, fds[1].fd >= 0 ? fds[1].fd : -1)) {
		/* EOF on stdin: end of input for the pty, as ^D would be */
		sys_write(fds[1].fd, "\004", 1);
		fds[2].fd = -1;
	}
}

/* What the command wrote before it exited is still in the pty. */
void tty_drain(int master)
{
	sys_fcntl(master, 4 /* F_SETFL */, O_NONBLOCK);
	while (copy(master, 1))
		;
}
