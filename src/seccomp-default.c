/* nanoctr's default seccomp profile: docker's (moby/profiles seccomp/default.json,
 * read at commit 02e898b1), as data for the same compiler a JSON profile goes
 * through, plus what nanoctr adds. Docker's profile is an allow-list: ERRNO
 * EPERM for every call it does not name. What it allows:
 *   - the everyday calls (allowed[] below), adjtimex and clock_adjtime among
 *     them: reading the clock's state works, setting it stays the kernel's
 *     CAP_SYS_TIME check; name_to_handle_at too;
 *   - more per capability the container ends up with (cap_groups[]):
 *     SYS_ADMIN: mount, umount2, unshare, setns, the new mount API, bpf,
 *     perf_event_open, clone with namespace flags, clone3, sethostname...;
 *     SYS_TIME: settimeofday, clock_settime; SYS_MODULE, SYS_BOOT, SYS_PTRACE,
 *     SYS_RAWIO, SYS_CHROOT, SYS_PACCT, SYS_TTY_CONFIG, SYS_NICE, SYSLOG,
 *     DAC_READ_SEARCH (open_by_handle_at), BPF, PERFMON;
 *   - without SYS_ADMIN: clone only without namespace flags (docker's mask
 *     0x7E020000), clone3 -> ENOSYS so libcs fall back to clone;
 *   - socket() for every family but AF_ALG and AF_VSOCK; personality() for
 *     the values docker lists (PER_LINUX, PER_LINUX32, UNAME26, UNAME26 |
 *     PER_LINUX32, and the query 0xffffffff): ADDR_NO_RANDOMIZE is refused;
 *   - arch_prctl and modify_ldt on x86_64; on arm64 arm_fadvise64_64,
 *     arm_sync_file_range, sync_file_range2, breakpoint, cacheflush and
 *     set_tls (docker: arches arm, arm64); ptrace & process_vm_* need 4.8+
 *     (before, ptrace could bypass seccomp), as docker;
 *   - on arm64, 32-bit ARM (EABI) processes too, with arm's numbers, as
 *     docker's archMap (aarch64: arm): the same rules, arguments compared
 *     on their 32 bits.
 * nanoctr adds:
 *   - on x86_64 only the native architecture: an i386 (int 0x80) process is
 *     killed (KILL_PROCESS) at its first call; an x32 call gets EPERM.
 *     Docker lists x86/x32 too;
 *   - ioctl(TIOCSTI) refused, compared on the low 32 bits as the kernel reads
 *     the request (docker leaves it to the kernel's own 6.2+ restriction).
 * Names newer than the kernel tables of syscalls/ (getxattrat & co.) or of
 * other machines (recv, send, riscv_hwprobe) are not listed: unknown names
 * are skipped for JSON profiles too. */
#include "src/seccomp.h"

#define N(name) SCN_##name

/* The calls docker allows to every container, as a bitmap over the names of
 * syscalls/syscall-names.h (a bit per name instead of two bytes), built at
 * compile time: byte k ORs the bits of the names whose index / 8 is k.
 * arch_prctl and modify_ldt (docker: x86 only) have no arm64 or arm number,
 * so the aarch64 build skips them as any name its table lacks; the arm names
 * are unknown to the x86_64 build the same way. */
#define ALLOWED(X, k) \
	X(_llseek, k) X(_newselect, k) X(accept, k) X(accept4, k) X(access, k) X(adjtimex, k) \
	X(alarm, k) X(arch_prctl, k) X(arm_fadvise64_64, k) X(arm_sync_file_range, k) \
	X(bind, k) X(breakpoint, k) X(brk, k) X(cacheflush, k) X(cachestat, k) X(capget, k) \
	X(capset, k) X(chdir, k) X(chmod, k) X(chown, k) X(chown32, k) X(clock_adjtime, k) \
	X(clock_adjtime64, k) X(clock_getres, k) X(clock_getres_time64, k) X(clock_gettime, k) \
	X(clock_gettime64, k) X(clock_nanosleep, k) X(clock_nanosleep_time64, k) X(close, k) \
	X(close_range, k) X(connect, k) X(copy_file_range, k) X(creat, k) X(dup, k) X(dup2, k) \
	X(dup3, k) X(epoll_create, k) X(epoll_create1, k) X(epoll_ctl, k) X(epoll_ctl_old, k) \
	X(epoll_pwait, k) X(epoll_pwait2, k) X(epoll_wait, k) X(epoll_wait_old, k) X(eventfd, k) \
	X(eventfd2, k) X(execve, k) X(execveat, k) X(exit, k) X(exit_group, k) X(faccessat, k) \
	X(faccessat2, k) X(fadvise64, k) X(fadvise64_64, k) X(fallocate, k) X(fanotify_mark, k) \
	X(fchdir, k) X(fchmod, k) X(fchmodat, k) X(fchmodat2, k) X(fchown, k) X(fchown32, k) \
	X(fchownat, k) X(fcntl, k) X(fcntl64, k) X(fdatasync, k) X(fgetxattr, k) X(flistxattr, k) \
	X(flock, k) X(fork, k) X(fremovexattr, k) X(fsetxattr, k) X(fstat, k) X(fstat64, k) \
	X(fstatat64, k) X(fstatfs, k) X(fstatfs64, k) X(fsync, k) X(ftruncate, k) \
	X(ftruncate64, k) X(futex, k) X(futex_requeue, k) X(futex_time64, k) X(futex_wait, k) \
	X(futex_waitv, k) X(futex_wake, k) X(futimesat, k) X(get_robust_list, k) \
	X(get_thread_area, k) X(getcpu, k) X(getcwd, k) X(getdents, k) X(getdents64, k) \
	X(getegid, k) X(getegid32, k) X(geteuid, k) X(geteuid32, k) X(getgid, k) X(getgid32, k) \
	X(getgroups, k) X(getgroups32, k) X(getitimer, k) X(getpeername, k) X(getpgid, k) \
	X(getpgrp, k) X(getpid, k) X(getppid, k) X(getpriority, k) X(getrandom, k) X(getresgid, k) \
	X(getresgid32, k) X(getresuid, k) X(getresuid32, k) X(getrlimit, k) X(getrusage, k) \
	X(getsid, k) X(getsockname, k) X(getsockopt, k) X(gettid, k) X(gettimeofday, k) \
	X(getuid, k) X(getuid32, k) X(getxattr, k) X(inotify_add_watch, k) X(inotify_init, k) \
	X(inotify_init1, k) X(inotify_rm_watch, k) X(io_cancel, k) X(io_destroy, k) \
	X(io_getevents, k) X(io_pgetevents, k) X(io_pgetevents_time64, k) X(io_setup, k) \
	X(io_submit, k) X(ioprio_get, k) X(ioprio_set, k) X(ipc, k) X(kill, k) \
	X(landlock_add_rule, k) X(landlock_create_ruleset, k) X(landlock_restrict_self, k) \
	X(lchown, k) X(lchown32, k) X(lgetxattr, k) X(link, k) X(linkat, k) X(listen, k) \
	X(listmount, k) X(listxattr, k) X(llistxattr, k) X(lremovexattr, k) X(lseek, k) \
	X(lsetxattr, k) X(lstat, k) X(lstat64, k) X(madvise, k) X(map_shadow_stack, k) \
	X(membarrier, k) X(memfd_create, k) X(memfd_secret, k) X(mincore, k) X(mkdir, k) \
	X(mkdirat, k) X(mknod, k) X(mknodat, k) X(mlock, k) X(mlock2, k) X(mlockall, k) X(mmap, k) \
	X(mmap2, k) X(modify_ldt, k) X(mprotect, k) X(mq_getsetattr, k) X(mq_notify, k) \
	X(mq_open, k) X(mq_timedreceive, k) X(mq_timedreceive_time64, k) X(mq_timedsend, k) \
	X(mq_timedsend_time64, k) X(mq_unlink, k) X(mremap, k) X(mseal, k) X(msgctl, k) \
	X(msgget, k) X(msgrcv, k) X(msgsnd, k) X(msync, k) X(munlock, k) X(munlockall, k) \
	X(munmap, k) X(name_to_handle_at, k) X(nanosleep, k) X(newfstatat, k) X(open, k) \
	X(openat, k) X(openat2, k) X(pause, k) X(pidfd_open, k) X(pidfd_send_signal, k) X(pipe, k) \
	X(pipe2, k) X(pkey_alloc, k) X(pkey_free, k) X(pkey_mprotect, k) X(poll, k) X(ppoll, k) \
	X(ppoll_time64, k) X(prctl, k) X(pread64, k) X(preadv, k) X(preadv2, k) X(prlimit64, k) \
	X(process_mrelease, k) X(pselect6, k) X(pselect6_time64, k) X(pwrite64, k) X(pwritev, k) \
	X(pwritev2, k) X(read, k) X(readahead, k) X(readlink, k) X(readlinkat, k) X(readv, k) \
	X(recvfrom, k) X(recvmmsg, k) X(recvmmsg_time64, k) X(recvmsg, k) X(remap_file_pages, k) \
	X(removexattr, k) X(rename, k) X(renameat, k) X(renameat2, k) X(restart_syscall, k) \
	X(rmdir, k) X(rseq, k) X(rt_sigaction, k) X(rt_sigpending, k) X(rt_sigprocmask, k) \
	X(rt_sigqueueinfo, k) X(rt_sigreturn, k) X(rt_sigsuspend, k) X(rt_sigtimedwait, k) \
	X(rt_sigtimedwait_time64, k) X(rt_tgsigqueueinfo, k) X(sched_get_priority_max, k) \
	X(sched_get_priority_min, k) X(sched_getaffinity, k) X(sched_getattr, k) \
	X(sched_getparam, k) X(sched_getscheduler, k) X(sched_rr_get_interval, k) \
	X(sched_rr_get_interval_time64, k) X(sched_setaffinity, k) X(sched_setattr, k) \
	X(sched_setparam, k) X(sched_setscheduler, k) X(sched_yield, k) X(seccomp, k) X(select, k) \
	X(semctl, k) X(semget, k) X(semop, k) X(semtimedop, k) X(semtimedop_time64, k) \
	X(sendfile, k) X(sendfile64, k) X(sendmmsg, k) X(sendmsg, k) X(sendto, k) \
	X(set_robust_list, k) X(set_thread_area, k) X(set_tls, k) X(set_tid_address, k) X(setfsgid, k) \
	X(setfsgid32, k) X(setfsuid, k) X(setfsuid32, k) X(setgid, k) X(setgid32, k) \
	X(setgroups, k) X(setgroups32, k) X(setitimer, k) X(setpgid, k) X(setpriority, k) \
	X(setregid, k) X(setregid32, k) X(setresgid, k) X(setresgid32, k) X(setresuid, k) \
	X(setresuid32, k) X(setreuid, k) X(setreuid32, k) X(setrlimit, k) X(setsid, k) \
	X(setsockopt, k) X(setuid, k) X(setuid32, k) X(setxattr, k) X(shmat, k) X(shmctl, k) \
	X(shmdt, k) X(shmget, k) X(shutdown, k) X(sigaltstack, k) X(signalfd, k) X(signalfd4, k) \
	X(sigprocmask, k) X(sigreturn, k) X(socketcall, k) X(socketpair, k) X(splice, k) \
	X(stat, k) X(stat64, k) X(statfs, k) X(statfs64, k) X(statmount, k) X(statx, k) \
	X(symlink, k) X(symlinkat, k) X(sync, k) X(sync_file_range, k) X(sync_file_range2, k) X(syncfs, k) X(sysinfo, k) \
	X(tee, k) X(tgkill, k) X(time, k) X(timer_create, k) X(timer_delete, k) \
	X(timer_getoverrun, k) X(timer_gettime, k) X(timer_gettime64, k) X(timer_settime, k) \
	X(timer_settime64, k) X(timerfd_create, k) X(timerfd_gettime, k) X(timerfd_gettime64, k) \
	X(timerfd_settime, k) X(timerfd_settime64, k) X(times, k) X(tkill, k) X(truncate, k) \
	X(truncate64, k) X(ugetrlimit, k) X(umask, k) X(uname, k) X(unlink, k) X(unlinkat, k) \
	X(uretprobe, k) X(utime, k) X(utimensat, k) X(utimensat_time64, k) X(utimes, k) \
	X(vfork, k) X(vmsplice, k) X(wait4, k) X(waitid, k) X(waitpid, k) X(write, k) X(writev, k)

#define BIT(name, k)	| ((SCN_##name >> 3) == (k) ? 1u << (SCN_##name & 7) : 0u)
#define BYTE(k)		(u8)(0 ALLOWED(BIT, k))
#define BYTES8(k)	BYTE(k), BYTE(k + 1), BYTE(k + 2), BYTE(k + 3), BYTE(k + 4), \
			BYTE(k + 5), BYTE(k + 6), BYTE(k + 7)
#define BYTES64(k)	BYTES8(k), BYTES8(k + 8), BYTES8(k + 16), BYTES8(k + 24), \
			BYTES8(k + 32), BYTES8(k + 40), BYTES8(k + 48), BYTES8(k + 56)
static const u8 allowed[64] = { BYTES64(0) };
_Static_assert(SYSCALL_NAMES <= SCN_NONE, "names fit in 9 bits, allowed[] in 64 bytes");

/* The calls docker allows with a capability: cap << 9 | name (the names
 * fit in 9 bits, see the assertion above). docker's SYS_PTRACE group
 * (kcmp ... ptrace) ends the list: its last three, process_vm_readv/writev
 * and ptrace, are allowed to everyone on 4.8+ (docker's minKernel). */
#define C(cap, name)	((cap) << 9 | SCN_##name)
static const u16 cap_rules[] = {
	C(21, bpf), C(21, clone), C(21, clone3), C(21, fanotify_init), C(21, fsconfig),
	C(21, fsmount), C(21, fsopen), C(21, fspick), C(21, lookup_dcookie),
	C(21, lsm_get_self_attr), C(21, lsm_list_modules), C(21, lsm_set_self_attr), C(21, mount),
	C(21, mount_setattr), C(21, move_mount), C(21, open_tree), C(21, perf_event_open),
	C(21, quotactl), C(21, quotactl_fd), C(21, setdomainname), C(21, sethostname), C(21, setns),
	C(21, syslog), C(21, umount), C(21, umount2), C(21, unshare),	/* SYS_ADMIN */
	C(2, open_by_handle_at),	/* DAC_READ_SEARCH */
	C(22, reboot),			/* SYS_BOOT */
	C(18, chroot),			/* SYS_CHROOT */
	C(16, delete_module), C(16, init_module), C(16, finit_module),	/* SYS_MODULE */
	C(20, acct),			/* SYS_PACCT */
	C(17, iopl), C(17, ioperm),	/* SYS_RAWIO */
	C(25, settimeofday), C(25, stime), C(25, clock_settime), C(25, clock_settime64), /* SYS_TIME */
	C(26, vhangup),			/* SYS_TTY_CONFIG */
	C(23, get_mempolicy), C(23, mbind), C(23, set_mempolicy), C(23, set_mempolicy_home_node),
	C(34, syslog),			/* SYSLOG */
	C(39, bpf),			/* BPF */
	C(38, perf_event_open),		/* PERFMON */
	C(19, kcmp), C(19, pidfd_getfd), C(19, process_madvise),	/* SYS_PTRACE */
	C(19, process_vm_readv), C(19, process_vm_writev), C(19, ptrace),
};

static const u32 personalities[] = { 0, 8, 0x20000, 0x20008, 0xffffffff };

#define SYS_ADMIN	(1ULL << 21)
#define TIOCSTI_REQ	0x5412

/* A rule: the call name gets action for a container holding all of the
 * capabilities all and none of none; op 0: always, else index << 4 | op,
 * the condition on that argument with value (and two, MASKED_EQ's). */
static void __attribute__((noinline)) rule(struct seccomp_profile *p, unsigned name, u32 action,
					   u64 all, u64 none, unsigned op, u32 value, u32 two)
{
	if (op)
		p->conds[p->cond_count] = (struct seccomp_cond){ value, two, (u8)(op >> 4), (u8)(op & 15) };
	p->rules[p->rule_count++] = (struct seccomp_rule){ action, (u16)name, (u16)p->cond_count,
							   (u8)!!op, all, none };
	p->cond_count += !!op;
}

#define ARG(index, op)	((index) << 4 | (op))

void seccomp_profile_default(struct seccomp_profile *p, int ptrace_ok)
{
	const u32 allow = SECCOMP_RET_ALLOW, eperm = SECCOMP_RET_ERRNO | EPERM;
	unsigned i;

	memset(p, 0, sizeof(*p) - sizeof(p->rules) - sizeof(p->conds));
	p->default_action = eperm;
	p->bad_arch_action = SECCOMP_RET_KILL_PROCESS;
	p->x32_action = eperm;
	p->enosys_above_last = 1;	/* as docker's containers get from runc */
#ifdef SYSCALL_X32_BIT
	p->arches = 1u << SC_X86_64;
#else
	p->arches = 1u << SC_AARCH64 | 1u << SC_ARM;
#endif
	/* TIOCSTI first: the conditional rules of a call are tried in order, and
	 * ioctl's allow is a condition that always holds ((arg & 0) == 0), not a
	 * condition-less rule (which would decide alone, as in libseccomp). */
	rule(p, N(ioctl), eperm, 0, 0, ARG(1, SC_MASKED_EQ), 0xffffffff, TIOCSTI_REQ);
	rule(p, N(ioctl), allow, 0, 0, ARG(1, SC_MASKED_EQ), 0, 0);
	for (i = 0; i < SYSCALL_NAMES; i++)
		if (allowed[i >> 3] >> (i & 7) & 1)
			rule(p, i, allow, 0, 0, 0, 0, 0);
	for (i = 0; i < ARRAY_SIZE(cap_rules); i++) {
		unsigned name = cap_rules[i] & 511;

		if (name == SCN_NONE)	/* iopl, ioperm: x86 only */
			continue;
		rule(p, name, allow, 1ULL << (cap_rules[i] >> 9), 0, 0, 0, 0);
		if (ptrace_ok && i >= ARRAY_SIZE(cap_rules) - 3)
			rule(p, name, allow, 0, 0, 0, 0, 0);
	}
	/* socket(): every family but AF_ALG (38) and AF_VSOCK (40), as docker
	 * (moby/profiles dec315c: < 38, == 39, > 40), but compared on the low
	 * 32 bits as the kernel reads its int: docker's 64-bit compare lets
	 * socket(0x100000028, ...) make an AF_VSOCK socket */
	rule(p, N(socket), eperm, 0, 0, ARG(0, SC_MASKED_EQ), 0xffffffff, 38);
	rule(p, N(socket), eperm, 0, 0, ARG(0, SC_MASKED_EQ), 0xffffffff, 40);
	rule(p, N(socket), allow, 0, 0, ARG(0, SC_MASKED_EQ), 0, 0);
	for (i = 0; i < ARRAY_SIZE(personalities); i++)
		rule(p, N(personality), allow, 0, 0, ARG(0, SC_EQ), personalities[i], 0);
	rule(p, N(clone), allow, 0, SYS_ADMIN, ARG(0, SC_MASKED_EQ), CLONE_NAMESPACES, 0);
	rule(p, N(clone3), SECCOMP_RET_ERRNO | ENOSYS, 0, SYS_ADMIN, 0, 0, 0);
}
