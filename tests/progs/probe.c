/* probe SUBCOMMAND [ARGS]: try one thing a container should (or should not) be able to
 * do and print exactly one line: `probe <sub>: ok` when it worked, `probe <sub>: ENAME`
 * with the errno's name when it failed. Exits 0 either way (2 on bad usage), so tests
 * assert the line. Each subcommand undoes what it did when it can (unmounts, removes
 * the files it made).
 *
 * Raw syscall() and hand-laid structs are used where musl has no wrapper or where the
 * point is to pass exactly the bits a filter must catch; no kernel headers needed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32_SYSCALL_BIT 0x40000000L
#define NR_getpid 39
#define NR_clone3 435
#define KEY_SPEC_PROCESS_KEYRING (-2)
#define BPF_PROG_LOAD 5
#define TIOCSTI_HIGH 0x100005412UL

static const char *sub;

static int usage(void);

static const char *errno_name(int e)
{
	static const struct {
		int num;
		const char *name;
	} names[] = {
#define E(x) { x, #x }
		E(EPERM),   E(ENOENT),    E(ESRCH),     E(EINTR),   E(EIO),
		E(ENXIO),   E(E2BIG),     E(ENOEXEC),   E(EBADF),   E(ECHILD),
		E(EAGAIN),  E(ENOMEM),    E(EACCES),    E(EFAULT),  E(ENOTBLK),
		E(EBUSY),   E(EEXIST),    E(EXDEV),     E(ENODEV),  E(ENOTDIR),
		E(EISDIR),  E(EINVAL),    E(ENFILE),    E(EMFILE),  E(ENOTTY),
		E(ETXTBSY), E(EFBIG),     E(ENOSPC),    E(ESPIPE),  E(EROFS),
		E(EMLINK),  E(EPIPE),     E(EDOM),      E(ERANGE),  E(EDEADLK),
		E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS),  E(ENOTEMPTY), E(ELOOP),
		E(ENOMSG),  E(ENODATA),   E(EOVERFLOW), E(EBADFD),  E(EUSERS),
		E(EOPNOTSUPP), E(EDQUOT), E(ENOKEY),    E(EKEYREJECTED), E(EKEYREVOKED),
		E(EKEYEXPIRED), E(ENOMEDIUM), E(ECANCELED), E(EOWNERDEAD),
#undef E
	};
	static char unknown[32];

	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].num == e)
			return names[i].name;
	snprintf(unknown, sizeof unknown, "errno%d", e);
	return unknown;
}

/* The one line every subcommand ends with. */
static int report(long ret)
{
	if (ret < 0)
		printf("probe %s: %s\n", sub, errno_name(errno));
	else
		printf("probe %s: ok\n", sub);
	return 0;
}

static int report_errno(int e)
{
	printf("probe %s: %s\n", sub, errno_name(e));
	return 0;
}

static int signal_number(const char *s)
{
	static const struct {
		int sig;
		const char *name;
	} signals[] = {
		{ SIGHUP, "HUP" },   { SIGINT, "INT" },   { SIGQUIT, "QUIT" }, { SIGKILL, "KILL" },
		{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" }, { SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" },
		{ SIGTERM, "TERM" }, { SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
		{ SIGTSTP, "TSTP" },
	};
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return (int)n;
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++)
		if (!strcmp(signals[i].name, s))
			return signals[i].sig;
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int probe_clone_newuser(void)
{
	long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return report(pid);
}

static int probe_clone3(void)
{
	uint64_t clone_args[8] = { 0 }; /* struct clone_args, CLONE_ARGS_SIZE_VER0 = 64 */
	long pid = syscall(NR_clone3, clone_args, sizeof clone_args);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, __WALL); /* exit_signal 0: not a SIGCHLD child */
	return report(pid);
}

static int probe_finit_module(void)
{
	int fd = open("/dev/null", O_RDONLY);
	if (fd < 0)
		return report(fd);
	return report(syscall(SYS_finit_module, fd, "", 0));
}

static int probe_mount(const char *target, const char *type, const char *data)
{
	mkdir("/tmp", 01777);
	int made = mkdir(target, 0755) == 0;
	int ret = mount(type, target, type, 0, data);
	int saved = errno;
	if (ret == 0)
		umount2(target, MNT_DETACH);
	if (made)
		rmdir(target);
	errno = saved;
	return report(ret);
}

static int probe_chroot_escape(void)
{
	struct stat before, after;
	int tmp_fd, ret;

	if (stat("/", &before) < 0)
		return report(-1);
	mkdir("/tmp", 01777);
	tmp_fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (tmp_fd < 0)
		return report(-1);
	if (mkdirat(tmp_fd, "esc", 0700) < 0 && errno != EEXIST)
		return report(-1);
	if (chroot("/tmp/esc") < 0) {
		int saved = errno;
		unlinkat(tmp_fd, "esc", AT_REMOVEDIR);
		return report_errno(saved);
	}
	/* The cwd is still outside the new root: walk up from it and root there. */
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	ret = chroot(".");
	int saved = errno;
	unlinkat(tmp_fd, "esc", AT_REMOVEDIR);
	if (ret < 0)
		return report_errno(saved);
	if (stat("/", &after) < 0)
		return report(-1);
	if (after.st_dev == before.st_dev && after.st_ino == before.st_ino) {
		printf("probe %s: contained\n", sub);
		return 0;
	}

	char *names[4096];
	int count = 0;
	DIR *d = opendir("/");
	struct dirent *e;
	while (d && (e = readdir(d)) && count < 4096)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[count++] = strdup(e->d_name);
	qsort(names, count, sizeof names[0], cmp_str);
	printf("probe %s: ok", sub);
	for (int i = 0; i < count && i < 3; i++)
		printf(" %s", names[i]);
	printf("\n");
	return 0;
}

/* The default device is the one holding the container's root filesystem when that is
 * a real block device (on these VMs /dev/vda, 254:0, not sda), else 8:0 (sda). */
static int probe_mknod_disk(const char *majmin)
{
	const char *path = "/tmp/sda";
	unsigned major = 8, minor = 0;
	struct stat root;
	char buf[512];
	int fd;
	long n;

	if (majmin) {
		if (sscanf(majmin, "%u:%u", &major, &minor) != 2)
			return usage();
	} else if (stat("/", &root) == 0 && major(root.st_dev) != 0) {
		major = major(root.st_dev);
		minor = minor(root.st_dev);
	}
	mkdir("/tmp", 01777);
	unlink(path);
	if (mknod(path, S_IFBLK | 0600, makedev(major, minor)) < 0)
		return report(-1);
	fd = open(path, O_RDONLY);
	int saved = errno;
	unlink(path);
	if (fd < 0)
		return report_errno(saved);
	n = read(fd, buf, sizeof buf);
	return report(n);
}

static int probe_open(const char *path)
{
	char c;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return report(fd);
	return report(read(fd, &c, 1));
}

static int probe_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0)
		return report(fd);
	long n = write(fd, text, strlen(text));
	if (n < 0)
		return report(n);
	return report(close(fd));
}

static int probe_fds(void)
{
	int fds[1024], count = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return report(-1);
	while ((e = readdir(d)) && count < 1024) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		if (fd != dirfd(d))
			fds[count++] = fd;
	}
	closedir(d);
	qsort(fds, count, sizeof fds[0], cmp_int);
	printf("probe %s:", sub);
	for (int i = 0; i < count; i++)
		printf(" %d", fds[i]);
	printf("\n");
	return 0;
}

static int probe_caps(void)
{
	static const struct {
		const char *key, *label;
	} fields[] = {
		{ "CapInh:", "inh" }, { "CapPrm:", "prm" },      { "CapEff:", "eff" },
		{ "CapBnd:", "bnd" }, { "CapAmb:", "amb" },      { "NoNewPrivs:", "nnp" },
		{ "Seccomp:", "seccomp" },
	};
	char values[7][64] = { { 0 } };
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return report(-1);
	while (fgets(line, sizeof line, f))
		for (int i = 0; i < 7; i++) {
			size_t len = strlen(fields[i].key);
			if (!strncmp(line, fields[i].key, len))
				sscanf(line + len, " %63s", values[i]);
		}
	fclose(f);
	printf("probe %s:", sub);
	for (int i = 0; i < 7; i++)
		printf(" %s=%s", fields[i].label, values[i][0] ? values[i] : "?");
	printf("\n");
	return 0;
}

static int probe_ptrace(pid_t pid)
{
	long ret = ptrace(PTRACE_ATTACH, pid, 0, 0);
	if (ret == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
	}
	return report(ret);
}

static int probe_setuid(const char *arg)
{
	if (setuid((uid_t)strtoul(arg, NULL, 10)) < 0)
		return report(-1);
	printf("probe %s: ok %u\n", sub, (unsigned)getuid());
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: probe x32 | tiocsti | tiocsti-high | keyctl | unshare-user |\n"
		"             clone-newuser | clone3 | finit-module | mount-proc | mount-tmpfs |\n"
		"             chroot-escape | mknod-disk [MAJOR:MINOR] | open PATH | write PATH STRING |\n"
		"             kill PID SIG | fds | caps | ptrace PID | bpf | perf |\n"
		"             sethostname NAME | setuid UID\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	sub = argv[1];
	int nargs = argc - 2;
	char **args = argv + 2;

	if (!strcmp(sub, "x32") && nargs == 0)
		return report(syscall(X32_SYSCALL_BIT | NR_getpid));
	if (!strcmp(sub, "tiocsti") && nargs == 0)
		return report(ioctl(0, TIOCSTI, "x"));
	if (!strcmp(sub, "tiocsti-high") && nargs == 0)
		return report(syscall(SYS_ioctl, 0, TIOCSTI_HIGH, "x"));
	if (!strcmp(sub, "keyctl") && nargs == 0)
		return report(syscall(SYS_add_key, "user", "x", "y", 1, KEY_SPEC_PROCESS_KEYRING));
	if (!strcmp(sub, "unshare-user") && nargs == 0)
		return report(unshare(CLONE_NEWUSER));
	if (!strcmp(sub, "clone-newuser") && nargs == 0)
		return probe_clone_newuser();
	if (!strcmp(sub, "clone3") && nargs == 0)
		return probe_clone3();
	if (!strcmp(sub, "finit-module") && nargs == 0)
		return probe_finit_module();
	if (!strcmp(sub, "mount-proc") && nargs == 0)
		return probe_mount("/tmp/p", "proc", NULL);
	if (!strcmp(sub, "mount-tmpfs") && nargs == 0)
		return probe_mount("/tmp/t", "tmpfs", "size=1m");
	if (!strcmp(sub, "chroot-escape") && nargs == 0)
		return probe_chroot_escape();
	if (!strcmp(sub, "mknod-disk") && nargs <= 1)
		return probe_mknod_disk(nargs ? args[0] : NULL);
	if (!strcmp(sub, "open") && nargs == 1)
		return probe_open(args[0]);
	if (!strcmp(sub, "write") && nargs == 2)
		return probe_write(args[0], args[1]);
	if (!strcmp(sub, "kill") && nargs == 2) {
		int sig = signal_number(args[1]);
		if (sig < 0)
			return usage();
		return report(kill((pid_t)strtol(args[0], NULL, 10), sig));
	}
	if (!strcmp(sub, "fds") && nargs == 0)
		return probe_fds();
	if (!strcmp(sub, "caps") && nargs == 0)
		return probe_caps();
	if (!strcmp(sub, "ptrace") && nargs == 1)
		return probe_ptrace((pid_t)strtol(args[0], NULL, 10));
	if (!strcmp(sub, "bpf") && nargs == 0) {
		uint64_t attr[16] = { 0 }; /* union bpf_attr, zeroed */
		long fd = syscall(SYS_bpf, BPF_PROG_LOAD, attr, sizeof attr);
		return report(fd);
	}
	if (!strcmp(sub, "perf") && nargs == 0) {
		uint64_t attr[16] = { 0 }; /* struct perf_event_attr, zeroed: size 0 = VER0 */
		long fd = syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
		return report(fd);
	}
	if (!strcmp(sub, "sethostname") && nargs == 1)
		return report(sethostname(args[0], strlen(args[0])));
	if (!strcmp(sub, "setuid") && nargs == 1)
		return probe_setuid(args[0]);
	return usage();
}
