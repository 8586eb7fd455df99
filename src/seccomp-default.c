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
 *   - socket() for the address families docker lists; personality() for the
 *     values docker lists (PER_LINUX, UNAME26, ADDR_NO_RANDOMIZE, their
 *     combination, and the query 0xffffffff): PER_LINUX32 is refused;
 *   - arch_prctl and modify_ldt on x86_64; ptrace & process_vm_* need 4.8+
 *     (before, ptrace could bypass seccomp), as docker.
 * nanoctr adds:
 *   - only the native architecture: an i386 (int 0x80) or 32-bit ARM process
 *     is killed (KILL_PROCESS) at its first call; an x32 call gets EPERM.
 *     Docker lists x86/x32 (arm on arm64) too;
 *   - ioctl(TIOCSTI) refused, compared on the low 32 bits as the kernel reads
 *     the request (docker leaves it to the kernel's own 6.2+ restriction).
 * Names newer than the kernel tables of syscalls/ (getxattrat & co.) or of
 * other machines (recv, send, riscv_hwprobe) are not listed: unknown names
 * are skipped for JSON profiles too. */
#include "src/seccomp.h"

#define N(name) SCN_##name

static const u16 allowed[] = {
	N(accept), N(accept4), N(access), N(adjtimex), N(alarm), N(bind), N(brk), N(cachestat),
	N(capget), N(capset), N(chdir), N(chmod), N(chown), N(chown32), N(clock_adjtime),
	N(clock_adjtime64), N(clock_getres), N(clock_getres_time64), N(clock_gettime),
	N(clock_gettime64), N(clock_nanosleep), N(clock_nanosleep_time64), N(close),
	N(close_range), N(connect), N(copy_file_range), N(creat), N(dup), N(dup2), N(dup3),
	N(epoll_create), N(epoll_create1), N(epoll_ctl), N(epoll_ctl_old), N(epoll_pwait),
	N(epoll_pwait2), N(epoll_wait), N(epoll_wait_old), N(eventfd), N(eventfd2), N(execve),
	N(execveat), N(exit), N(exit_group), N(faccessat), N(faccessat2), N(fadvise64),
	N(fadvise64_64), N(fallocate), N(fanotify_mark), N(fchdir), N(fchmod), N(fchmodat),
	N(fchmodat2), N(fchown), N(fchown32), N(fchownat), N(fcntl), N(fcntl64), N(fdatasync),
	N(fgetxattr), N(flistxattr), N(flock), N(fork), N(fremovexattr), N(fsetxattr), N(fstat),
	N(fstat64), N(fstatat64), N(fstatfs), N(fstatfs64), N(fsync), N(ftruncate),
	N(ftruncate64), N(futex), N(futex_requeue), N(futex_time64), N(futex_wait),
	N(futex_waitv), N(futex_wake), N(futimesat), N(getcpu), N(getcwd), N(getdents),
	N(getdents64), N(getegid), N(getegid32), N(geteuid), N(geteuid32), N(getgid),
	N(getgid32), N(getgroups), N(getgroups32), N(getitimer), N(getpeername), N(getpgid),
	N(getpgrp), N(getpid), N(getppid), N(getpriority), N(getrandom), N(getresgid),
	N(getresgid32), N(getresuid), N(getresuid32), N(getrlimit), N(get_robust_list),
	N(getrusage), N(getsid), N(getsockname), N(getsockopt), N(get_thread_area), N(gettid),
	N(gettimeofday), N(getuid), N(getuid32), N(getxattr), N(inotify_add_watch),
	N(inotify_init), N(inotify_init1), N(inotify_rm_watch), N(io_cancel), N(io_destroy),
	N(io_getevents), N(io_pgetevents), N(io_pgetevents_time64), N(ioprio_get),
	N(ioprio_set), N(io_setup), N(io_submit), N(ipc), N(kill), N(landlock_add_rule),
	N(landlock_create_ruleset), N(landlock_restrict_self), N(lchown), N(lchown32),
	N(lgetxattr), N(link), N(linkat), N(listen), N(listmount), N(listxattr), N(llistxattr),
	N(_llseek), N(lremovexattr), N(lseek), N(lsetxattr), N(lstat), N(lstat64), N(madvise),
	N(map_shadow_stack), N(membarrier), N(memfd_create), N(memfd_secret), N(mincore),
	N(mkdir), N(mkdirat), N(mknod), N(mknodat), N(mlock), N(mlock2), N(mlockall), N(mmap),
	N(mmap2), N(mprotect), N(mq_getsetattr), N(mq_notify), N(mq_open), N(mq_timedreceive),
	N(mq_timedreceive_time64), N(mq_timedsend), N(mq_timedsend_time64), N(mq_unlink),
	N(mremap), N(mseal), N(msgctl), N(msgget), N(msgrcv), N(msgsnd), N(msync), N(munlock),
	N(munlockall), N(munmap), N(name_to_handle_at), N(nanosleep), N(newfstatat),
	N(_newselect), N(open), N(openat), N(openat2), N(pause), N(pidfd_open),
	N(pidfd_send_signal), N(pipe), N(pipe2), N(pkey_alloc), N(pkey_free), N(pkey_mprotect),
	N(poll), N(ppoll), N(ppoll_time64), N(prctl), N(pread64), N(preadv), N(preadv2),
	N(prlimit64), N(process_mrelease), N(pselect6), N(pselect6_time64), N(pwrite64),
	N(pwritev), N(pwritev2), N(read), N(readahead), N(readlink), N(readlinkat), N(readv),
	N(recvfrom), N(recvmmsg), N(recvmmsg_time64), N(recvmsg), N(remap_file_pages),
	N(removexattr), N(rename), N(renameat), N(renameat2), N(restart_syscall), N(rmdir),
	N(rseq), N(rt_sigaction), N(rt_sigpending), N(rt_sigprocmask), N(rt_sigqueueinfo),
	N(rt_sigreturn), N(rt_sigsuspend), N(rt_sigtimedwait), N(rt_sigtimedwait_time64),
	N(rt_tgsigqueueinfo), N(sched_getaffinity), N(sched_getattr), N(sched_getparam),
	N(sched_get_priority_max), N(sched_get_priority_min), N(sched_getscheduler),
	N(sched_rr_get_interval), N(sched_rr_get_interval_time64), N(sched_setaffinity),
	N(sched_setattr), N(sched_setparam), N(sched_setscheduler), N(sched_yield), N(seccomp),
	N(select), N(semctl), N(semget), N(semop), N(semtimedop), N(semtimedop_time64),
	N(sendfile), N(sendfile64), N(sendmmsg), N(sendmsg), N(sendto), N(setfsgid),
	N(setfsgid32), N(setfsuid), N(setfsuid32), N(setgid), N(setgid32), N(setgroups),
	N(setgroups32), N(setitimer), N(setpgid), N(setpriority), N(setregid), N(setregid32),
	N(setresgid), N(setresgid32), N(setresuid), N(setresuid32), N(setreuid), N(setreuid32),
	N(setrlimit), N(set_robust_list), N(setsid), N(setsockopt), N(set_thread_area),
	N(set_tid_address), N(setuid), N(setuid32), N(setxattr), N(shmat), N(shmctl), N(shmdt),
	N(shmget), N(shutdown), N(sigaltstack), N(signalfd), N(signalfd4), N(sigprocmask),
	N(sigreturn), N(socketcall), N(socketpair), N(splice), N(stat), N(stat64), N(statfs),
	N(statfs64), N(statmount), N(statx), N(symlink), N(symlinkat), N(sync),
	N(sync_file_range), N(syncfs), N(sysinfo), N(tee), N(tgkill), N(time), N(timer_create),
	N(timer_delete), N(timer_getoverrun), N(timer_gettime), N(timer_gettime64),
	N(timer_settime), N(timer_settime64), N(timerfd_create), N(timerfd_gettime),
	N(timerfd_gettime64), N(timerfd_settime), N(timerfd_settime64), N(times), N(tkill),
	N(truncate), N(truncate64), N(ugetrlimit), N(umask), N(uname), N(unlink), N(unlinkat),
	N(uretprobe), N(utime), N(utimensat), N(utimensat_time64), N(utimes), N(vfork),
	N(vmsplice), N(wait4), N(waitid), N(waitpid), N(write), N(writev)
};

static const u16 cap_sys_admin[] = { N(bpf), N(clone), N(clone3), N(fanotify_init), N(fsconfig), N(fsmount), N(fsopen), N(fspick), N(lookup_dcookie), N(lsm_get_self_attr), N(lsm_list_modules), N(lsm_set_self_attr), N(mount), N(mount_setattr), N(move_mount), N(open_tree), N(perf_event_open), N(quotactl), N(quotactl_fd), N(setdomainname), N(sethostname), N(setns), N(syslog), N(umount), N(umount2), N(unshare) };
static const u16 cap_dac_read_search[] = { N(open_by_handle_at) };
static const u16 cap_sys_boot[] = { N(reboot) };
static const u16 cap_sys_chroot[] = { N(chroot) };
static const u16 cap_sys_module[] = { N(delete_module), N(init_module), N(finit_module) };
static const u16 cap_sys_pacct[] = { N(acct) };
static const u16 cap_sys_ptrace[] = { N(kcmp), N(pidfd_getfd), N(process_madvise), N(process_vm_readv), N(process_vm_writev), N(ptrace) };
static const u16 cap_sys_rawio[] = { N(iopl), N(ioperm) };
static const u16 cap_sys_time[] = { N(settimeofday), N(stime), N(clock_settime), N(clock_settime64) };
static const u16 cap_sys_tty_config[] = { N(vhangup) };
static const u16 cap_sys_nice[] = { N(get_mempolicy), N(mbind), N(set_mempolicy), N(set_mempolicy_home_node) };
static const u16 cap_syslog[] = { N(syslog) };
static const u16 cap_bpf[] = { N(bpf) };
static const u16 cap_perfmon[] = { N(perf_event_open) };
#ifdef SYSCALL_X32_BIT
static const u16 native_only[] = { N(arch_prctl), N(modify_ldt) };
#endif

#define GROUP(cap, names) { cap, ARRAY_SIZE(names), names }
static const struct {
	u8 cap;
	u8 count;
	const u16 *names;
} cap_groups[] = {
	GROUP(21, cap_sys_admin), GROUP(2, cap_dac_read_search), GROUP(22, cap_sys_boot),
	GROUP(18, cap_sys_chroot), GROUP(16, cap_sys_module), GROUP(20, cap_sys_pacct),
	GROUP(19, cap_sys_ptrace), GROUP(17, cap_sys_rawio), GROUP(25, cap_sys_time),
	GROUP(26, cap_sys_tty_config), GROUP(23, cap_sys_nice), GROUP(34, cap_syslog),
	GROUP(39, cap_bpf), GROUP(38, cap_perfmon),
};

/* socket(): the families docker allows (below 12, and these). */
static const u8 families[] = { 13, 14, 15, 16, 17, 18, 21, 22, 24, 26, 27, 28, 29, 30, 31,
			       32, 33, 35, 36, 39, 41, 42, 43, 44, 45 };
static const u32 personalities[] = { 0, 8, 0x20000, 0x20008, 0xffffffff };

#define SYS_ADMIN	(1ULL << 21)
#define TIOCSTI_REQ	0x5412

static void add(struct seccomp_profile *p, unsigned name, u32 action, u64 all, u64 none,
		unsigned cond, unsigned count)
{
	p->rules[p->rule_count++] = (struct seccomp_rule){ action, (u16)name, (u16)cond,
							   (u8)count, all, none };
}

static unsigned cond(struct seccomp_profile *p, u8 index, u8 op, u64 value, u64 two)
{
	p->conds[p->cond_count] = (struct seccomp_cond){ value, two, index, op };
	return p->cond_count++;
}

void seccomp_profile_default(struct seccomp_profile *p, int ptrace_ok)
{
	const u32 allow = SECCOMP_RET_ALLOW, eperm = SECCOMP_RET_ERRNO | EPERM;
	unsigned i, c;

	memset(p, 0, sizeof(*p) - sizeof(p->rules) - sizeof(p->conds));
	p->default_action = eperm;
	p->bad_arch_action = SECCOMP_RET_KILL_PROCESS;
	p->x32_action = eperm;
	p->enosys_above_last = 1;	/* as docker's containers get from runc */
#ifdef SYSCALL_X32_BIT
	p->arches = 1u << SC_X86_64;
#else
	p->arches = 1u << SC_AARCH64;
#endif
	/* TIOCSTI first: the conditional rules of a call are tried in order, and
	 * ioctl's allow is a condition that always holds ((arg & 0) == 0), not a
	 * condition-less rule (which would decide alone, as in libseccomp). */
	add(p, N(ioctl), eperm, 0, 0, cond(p, 1, SC_MASKED_EQ, 0xffffffff, TIOCSTI_REQ), 1);
	add(p, N(ioctl), allow, 0, 0, cond(p, 1, SC_MASKED_EQ, 0, 0), 1);
	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		add(p, allowed[i], allow, 0, 0, 0, 0);
#ifdef SYSCALL_X32_BIT
	for (i = 0; i < ARRAY_SIZE(native_only); i++)
		add(p, native_only[i], allow, 0, 0, 0, 0);
#endif
	if (ptrace_ok)
		for (i = 3; i < ARRAY_SIZE(cap_sys_ptrace); i++)	/* process_vm_*, ptrace */
			add(p, cap_sys_ptrace[i], allow, 0, 0, 0, 0);
	add(p, N(socket), allow, 0, 0, cond(p, 0, SC_LT, 12, 0), 1);
	for (i = 0; i < ARRAY_SIZE(families); i++)
		add(p, N(socket), allow, 0, 0, cond(p, 0, SC_EQ, families[i], 0), 1);
	for (i = 0; i < ARRAY_SIZE(personalities); i++)
		add(p, N(personality), allow, 0, 0, cond(p, 0, SC_EQ, personalities[i], 0), 1);
	for (i = 0; i < ARRAY_SIZE(cap_groups); i++)
		for (c = 0; c < cap_groups[i].count; c++)
			add(p, cap_groups[i].names[c], allow, 1ULL << cap_groups[i].cap, 0, 0, 0);
	add(p, N(clone), allow, 0, SYS_ADMIN, cond(p, 0, SC_MASKED_EQ, CLONE_NAMESPACES, 0), 1);
	add(p, N(clone3), SECCOMP_RET_ERRNO | ENOSYS, 0, SYS_ADMIN, 0, 0);
}
