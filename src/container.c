/* The container's side of `run`, from clone() to execve(): build the root
 * (mount.c), wait for the parent's go (we are in our cgroup then), take a
 * cgroup namespace, name the host, bring up loopback, set up stdio, drop
 * privileges (user.c, security.c), and exec the command as PID 1 — or, with
 * --init, stay PID 1 (init.c); the exec itself is exec.c's. Every failure is
 * reported to the parent over the report pipe by die(). */
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

/* Hand the pty master over sock (to our parent, or OCI's console socket): a
 * message whose one byte is 0 and one SCM_RIGHTS fd, master, closed after.
 * what names sock in the error (then the setup dies). */
void send_master(int sock, int master, const char *what)
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
		die(what, ret);
	sys_close(master);
}

/* The parent's go. None: the parent failed (and said why) or is gone. */
static void wait_go(const struct child_channels *ch)
{
	char go;

	if (sys_read(ch->start, &go, 1) != 1)
		sys_exit(EXIT_SETUP);
	sys_close(ch->start);
}

NORETURN void container_main(const struct config *cfg, const struct child_channels *ch)
{
	unsigned uid, gid;
	int slave = -1, entered, ret;

	/* Die with the runtime. If it is already gone, the read below sees EOF. */
	sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0);
	cgroup_join(ch->cg);	/* v1: ourselves, cheaply; v2: the parent does */
	sys_umask(0);
	/* A user namespace: nothing can be made before our ids are mapped;
	 * then we become its root (a root caller's own ids may be unmapped
	 * there: OCI's maps; runc does the same). */
	if (cfg->options & OPT_USERNS) {
		wait_go(ch);
		if ((ret = sys_setresgid(0)) < 0 || (ret = sys_setresuid(0)) < 0)
			die("become root in the user namespace", ret);
	}
	mount_container(cfg);

	/* Meanwhile the parent made our cgroup and put us in: wait for its go,
	 * then make that cgroup the root of a cgroup namespace of our own (a
	 * kernel without cgroup namespaces says EINVAL: go on) and show it. */
	if (!(cfg->options & OPT_USERNS))
		wait_go(ch);
	ret = sys_unshare(CLONE_NEWCGROUP);
	if (ret < 0 && ret != -EINVAL)
		die("unshare cgroup namespace", ret);
	cgroup_mount_view();
	ret = cfg->hostname ? sys_sethostname(cfg->hostname, str_len(cfg->hostname)) : 0;
	if (ret < 0)
		die("sethostname", ret);
	if (!(cfg->options & OPT_NET_HOST))
		loopback_up();
	/* A session of its own: the host's terminal is never its controlling tty. */
	sys_setsid();
	if (cfg->options & OPT_TTY) {
		int master;
		tty_open_pty(&cfg->console_size, &master, &slave);
		send_master(ch->pty, master, "send pty");
		sys_close(ch->pty);
	} else if (!(cfg->options & OPT_INTERACTIVE)) {
		stdin_null();
	}
	sys_umask(022);
	user_resolve(cfg, &uid, &gid);
	if (SPEC(cfg))
		oci_child_setup(cfg);
	tty_hand_stdio(slave, uid);
	entered = workdir_enter(cfg);	/* while privileged (exec.c) */
	security_apply(cfg, uid, gid, entered);
	/* Credential changes clear the death signal: set it again. */
	sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0);
	if (cfg->options & OPT_INIT)
		init_main(cfg, slave);
	exec_command(cfg, slave);
}
