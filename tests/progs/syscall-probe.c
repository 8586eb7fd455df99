/* syscall-probe [NAME...]: try system calls a seccomp profile decides on and print
 * one line per call, `NAME: ok` or `NAME: ENAME` (the errno), so the same probe run
 * under two runtimes with one profile can be compared line by line. Without NAME:
 * every probe but the ones that may be killed (i386, x32: run them one per process).
 * `raw NR [A0..A5]` calls system call NR with those arguments (decimal or 0x hex,
 * 64-bit): for profiles with argument conditions, e.g. on getpid, whose arguments
 * the kernel ignores.
 *
 * Every call is harmless when allowed: invalid arguments where the kernel would act
 * (reboot with a bad magic, setns on fd -1, finit_module on fd -1), or undone
 * (mount then umount, personality restored, adjtimex writes back what it read).
 * Raw syscall(): the point is to pass exactly what a filter looks at. */
#define _GNU_SOURCE
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	static const struct {
		int num;
		const char *name;
	} names[] = {
#define E(x) { x, #x }
		E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(EBADF),
		E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST),
		E(ENODEV), E(ENOTDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ENOSPC),
		E(EROFS), E(ERANGE), E(ENOSYS), E(ENODATA), E(EOPNOTSUPP), E(EAFNOSUPPORT),
		E(EPROTONOSUPPORT), E(ENOKEY), E(ESOCKTNOSUPPORT),
#undef E
	};
	static char unknown[32];

	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].num == e)
			return names[i].name;
	snprintf(unknown, sizeof unknown, "errno%d", e);
	return unknown;
}

static void report(const char *name, long ret)
{
	if (ret < 0)
		printf("%s: %s\n", name, errno_name(errno));
	else
		printf("%s: ok\n", name);
	fflush(stdout);
}

#define CALL(name, expr) do { errno = 0; report(name, (long)(expr)); } while (0)

static long probe_mount(void)
{
	mkdir("/tmp", 01777);
	int made = mkdir("/tmp/syscall-probe-mnt", 0755) == 0;
	long ret = mount("none", "/tmp/syscall-probe-mnt", "tmpfs", 0, "size=1m");
	int saved = errno;
	if (ret == 0)
		umount2("/tmp/syscall-probe-mnt", MNT_DETACH);
	if (made)
		rmdir("/tmp/syscall-probe-mnt");
	errno = saved;
	return ret;
}

/* fork, child makes the call and exits with 0 or errno: state it changes dies with it */
static long in_child(long (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		errno = 0;
		_exit(fn() < 0 ? errno : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status)) {
		errno = 1000 + WTERMSIG(status);
		return -1;
	}
	errno = WEXITSTATUS(status);
	return errno ? -1 : 0;
}

static long do_unshare(void) { return unshare(CLONE_NEWUTS); }
static long do_clone_ns(void)
{
	long pid = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}
static long do_clone3(void)
{
	uint64_t args[8] = { 0 };	/* struct clone_args VER0, exit_signal 0 */
	args[4] = SIGCHLD;		/* exit_signal */
	long pid = syscall(435, args, sizeof args);
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}
/* sets the name it already has: a no-op wherever it runs, the host included */
static long do_sethostname(void)
{
	char name[65] = { 0 };
	if (gethostname(name, sizeof name - 1) < 0)
		return -1;
	return sethostname(name, strlen(name));
}
static long do_personality32(void)
{
	long ret = syscall(SYS_personality, 0x0008);	/* PER_LINUX32 */
	if (ret >= 0)
		syscall(SYS_personality, ret);
	return ret;
}
static long do_personality_norandom(void)
{
	long ret = syscall(SYS_personality, 0x0040000);	/* ADDR_NO_RANDOMIZE */
	if (ret >= 0)
		syscall(SYS_personality, ret);
	return ret;
}
static long do_chroot(void) { return chroot("/"); }

static long adjtimex_write(void)
{
	struct timex t = { 0 };
	if (adjtimex(&t) < 0)
		return -1;
	t.modes = ADJ_STATUS;	/* write back the status it has */
	return adjtimex(&t);
}

static long raw(int argc, char **argv)
{
	long a[7] = { 0 };

	for (int i = 0; i < argc && i < 7; i++)
		a[i] = (long)strtoull(argv[i], NULL, 0);
	return syscall(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
}

#ifdef __x86_64__
/* int 0x80 from a 64-bit process: the kernel takes it as i386 (AUDIT_ARCH_I386). */
static long i386_getpid(void)
{
	long ret;
	__asm__ volatile ("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
#endif

static void probe(const char *n)
{
	uint64_t attr[16] = { 0 };
	struct timex t = { 0 };
	char handle[128] = { 0 };
	int mount_id;

	if (!strcmp(n, "getpid")) CALL(n, syscall(SYS_getpid));
	else if (!strcmp(n, "keyctl")) CALL(n, syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -2, 0));
	else if (!strcmp(n, "add_key")) CALL(n, syscall(SYS_add_key, "user", "x", "y", 1, -2));
	else if (!strcmp(n, "unshare")) CALL(n, in_child(do_unshare));
	else if (!strcmp(n, "setns")) CALL(n, syscall(SYS_setns, -1, 0));
	else if (!strcmp(n, "mount")) CALL(n, probe_mount());
	else if (!strcmp(n, "umount2")) CALL(n, umount2("/syscall-probe-none", 0));
	else if (!strcmp(n, "bpf")) CALL(n, syscall(SYS_bpf, 5 /* PROG_LOAD */, attr, sizeof attr));
	else if (!strcmp(n, "perf_event_open")) CALL(n, syscall(SYS_perf_event_open, attr, 0, -1, -1, 0));
	else if (!strcmp(n, "personality-query")) CALL(n, syscall(SYS_personality, 0xffffffffUL));
	else if (!strcmp(n, "personality-linux32")) CALL(n, do_personality32());
	else if (!strcmp(n, "personality-norandom")) CALL(n, do_personality_norandom());
	else if (!strcmp(n, "clone-newuts")) CALL(n, in_child(do_clone_ns));
	else if (!strcmp(n, "clone3")) CALL(n, in_child(do_clone3));
	else if (!strcmp(n, "adjtimex-read")) CALL(n, adjtimex(&t));
	else if (!strcmp(n, "adjtimex-write")) CALL(n, adjtimex_write());
	else if (!strcmp(n, "clock_adjtime-read")) CALL(n, syscall(SYS_clock_adjtime, CLOCK_REALTIME, &t));
	else if (!strcmp(n, "settimeofday")) CALL(n, syscall(SYS_settimeofday, NULL, NULL));
	else if (!strcmp(n, "io_uring_setup")) CALL(n, syscall(425, 0, NULL));
	else if (!strcmp(n, "name_to_handle_at")) {
		((unsigned *)handle)[0] = sizeof handle - 8;
		CALL(n, syscall(SYS_name_to_handle_at, AT_FDCWD, "/", handle, &mount_id, 0));
	}
	else if (!strcmp(n, "open_by_handle_at")) CALL(n, syscall(SYS_open_by_handle_at, -1, handle, 0));
	else if (!strcmp(n, "finit_module")) CALL(n, syscall(SYS_finit_module, -1, "", 0));
	else if (!strcmp(n, "reboot")) CALL(n, syscall(SYS_reboot, 0, 0, 0, NULL));
	else if (!strcmp(n, "sethostname")) CALL(n, in_child(do_sethostname));
	else if (!strcmp(n, "chroot")) CALL(n, in_child(do_chroot));
	else if (!strcmp(n, "userfaultfd")) CALL(n, syscall(SYS_userfaultfd, 0));
	else if (!strcmp(n, "socket-inet")) CALL(n, socket(AF_INET, SOCK_DGRAM, 0));
	else if (!strcmp(n, "socket-vsock")) CALL(n, socket(40 /* AF_VSOCK */, SOCK_STREAM, 0));
	else if (!strcmp(n, "socket-netlink-audit")) CALL(n, socket(AF_NETLINK, SOCK_RAW, 9));
	else if (!strcmp(n, "ioctl-tiocsti")) CALL(n, ioctl(0, TIOCSTI, "x"));
	else if (!strcmp(n, "ptrace")) CALL(n, syscall(SYS_ptrace, -1L, 0, 0, 0));
	else if (!strcmp(n, "process_vm_readv")) CALL(n, syscall(SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 0));
	else if (!strcmp(n, "kcmp")) CALL(n, syscall(SYS_kcmp, getpid(), getpid(), 0 /* KCMP_FILE */, 0, 0));
	else if (!strcmp(n, "unknown-1000")) CALL(n, syscall(1000));
	else if (!strcmp(n, "mseal")) CALL(n, syscall(462, 0, 0, 0));
	else if (!strcmp(n, "x32-getpid")) CALL(n, syscall(0x40000000L | 39));
#ifdef __x86_64__
	else if (!strcmp(n, "i386-getpid")) CALL(n, i386_getpid());
#endif
	else {
		fprintf(stderr, "syscall-probe: no probe %s\n", n);
		exit(2);
	}
}

static const char *const all[] = {
	"getpid", "keyctl", "add_key", "unshare", "setns", "mount", "umount2", "bpf",
	"perf_event_open", "personality-query", "personality-linux32", "personality-norandom",
	"clone-newuts", "clone3", "adjtimex-read", "adjtimex-write", "clock_adjtime-read",
	"settimeofday", "io_uring_setup", "name_to_handle_at", "open_by_handle_at",
	"finit_module", "reboot", "sethostname", "chroot", "userfaultfd", "socket-inet",
	"socket-vsock", "socket-netlink-audit", "ioctl-tiocsti", "ptrace", "process_vm_readv",
	"kcmp", "unknown-1000", "mseal",
};

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "raw")) {
		errno = 0;
		report("raw", raw(argc - 2, argv + 2));
		return 0;
	}
	if (argc == 1)
		for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
			probe(all[i]);
	for (int i = 1; i < argc; i++)
		probe(argv[i]);
	return 0;
}
