/* Typed wrappers: processes, signals, credentials, namespaces, seccomp. */
#ifndef NANOCTR_SYS_PROCESS_H
#define NANOCTR_SYS_PROCESS_H

/* void exit_group(int status); if a seccomp profile refuses it (a default
 * ERRNO allowing nothing), die of a fault (SIGILL on x86, SIGTRAP on arm64),
 * which no filter or ignored signal stops, even as a namespace's init; never
 * spin (runc's init dies the same way: Go's exit faults). */
static inline __attribute__((noreturn)) void sys_exit(int status)
{
	syscall1(__NR_exit_group, status);
	__builtin_trap();
}

/* long clone(unsigned long flags, void *stack, ...); with no stack it forks */
static inline int sys_clone(unsigned long flags)
{ return syscall5(__NR_clone, flags, 0, 0, 0, 0); }

/* int execve(const char *path, char *const argv[], char *const envp[]); */
static inline int sys_execve(const char *path, char *const argv[], char *const envp[])
{ return syscall3(__NR_execve, (long)path, (long)argv, (long)envp); }

/* pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru); */
static inline int sys_wait4(int pid, int *status, int options)
{ return syscall4(__NR_wait4, pid, (long)status, options, 0); }

/* int kill(pid_t pid, int sig); */
static inline int sys_kill(int pid, int sig)
{ return syscall2(__NR_kill, pid, sig); }

/* int pidfd_open(pid_t pid, unsigned int flags); Linux 5.3+: the fd polls
 * readable once the process has exited */
static inline int sys_pidfd_open(int pid, unsigned flags)
{ return syscall2(__NR_pidfd_open, pid, flags); }

/* int rt_sigprocmask(int how, const sigset_t *set, sigset_t *old, size_t size); */
static inline int sys_sigprocmask(int how, const sigset_t *set, sigset_t *old)
{ return syscall4(__NR_rt_sigprocmask, how, (long)set, (long)old, sizeof(sigset_t)); }

/* int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *old, size_t size);
 * with act = { SIG_DFL }: restore the default disposition. */
static inline int sys_signal_default(int sig)
{
	unsigned long act[4] = { 0, 0, 0, 0 };	/* handler, flags, restorer, mask */
	return syscall4(__NR_rt_sigaction, sig, (long)act, 0, sizeof(sigset_t));
}

/* The same, reporting whether the old disposition was SIG_IGN (1) or not (0). */
static inline int sys_signal_default_was_ignored(int sig)
{
	unsigned long act[4] = { 0, 0, 0, 0 }, old[4] = { 0, 0, 0, 0 };
	int ret = syscall4(__NR_rt_sigaction, sig, (long)act, (long)old, sizeof(sigset_t));
	return ret < 0 ? ret : old[0] == 1 /* SIG_IGN */;
}

/* int signalfd4(int fd, const sigset_t *mask, size_t size, int flags); */
static inline int sys_signalfd(const sigset_t *mask)
{ return syscall4(__NR_signalfd4, -1, (long)mask, sizeof(sigset_t), SFD_CLOEXEC); }

/* int rt_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *t, size_t size); */
static inline int sys_sigwait(const sigset_t *set)
{ return syscall4(__NR_rt_sigtimedwait, (long)set, 0, 0, sizeof(sigset_t)); }

/* the same with a zero timeout: a pending signal of set, or -EAGAIN */
static inline int sys_sigpending_take(const sigset_t *set)
{
	long zero[2] = { 0, 0 };
	return syscall4(__NR_rt_sigtimedwait, (long)set, 0, (long)zero, sizeof(sigset_t));
}

/* pid_t setsid(void); */
static inline int sys_setsid(void)
{ return syscall0(__NR_setsid); }

/* int setpgid(pid_t pid, pid_t pgid); */
static inline int sys_setpgid(int pid, int pgid)
{ return syscall2(__NR_setpgid, pid, pgid); }

/* pid_t getpid(void); */
static inline int sys_getpid(void)
{ return syscall0(__NR_getpid); }

/* pid_t getppid(void); */
static inline int sys_getppid(void)
{ return syscall0(__NR_getppid); }

/* uid_t geteuid(void); */
static inline int sys_geteuid(void)
{ return syscall0(__NR_geteuid); }

/* gid_t getegid(void); */
static inline int sys_getegid(void)
{ return syscall0(__NR_getegid); }

/* int prctl(int option, unsigned long arg2, arg3, arg4, arg5); */
static inline int sys_prctl(int option, unsigned long a, unsigned long b)
{ return syscall5(__NR_prctl, option, a, b, 0, 0); }

/* int sethostname(const char *name, size_t len); */
static inline int sys_sethostname(const char *name, size_t len)
{ return syscall2(__NR_sethostname, (long)name, len); }

/* int setresuid(uid_t r, uid_t e, uid_t s); */
static inline int sys_setresuid(unsigned uid)
{ return syscall3(__NR_setresuid, uid, uid, uid); }

/* int setresgid(gid_t r, gid_t e, gid_t s); */
static inline int sys_setresgid(unsigned gid)
{ return syscall3(__NR_setresgid, gid, gid, gid); }

/* int setgroups(size_t size, const gid_t *list); */
static inline int sys_setgroups(size_t n, const u32 *list)
{ return syscall2(__NR_setgroups, n, (long)list); }

/* The raw system call: returns the bytes of mask the kernel filled, or
 * -errno (EINVAL: size is smaller than the kernel's cpumask).
 * int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask); */
static inline long sys_sched_getaffinity(int pid, size_t size, void *mask)
{ return syscall3(__NR_sched_getaffinity, pid, size, (long)mask); }

/* int capset(cap_user_header_t hdr, const cap_user_data_t data); */
static inline int sys_capset(struct cap_header *hdr, const struct cap_data data[2])
{ return syscall2(__NR_capset, (long)hdr, (long)data); }

/* int seccomp(unsigned op, unsigned flags, void *args); */
static inline int sys_seccomp(unsigned op, unsigned flags, void *args)
{ return syscall3(__NR_seccomp, op, flags, (long)args); }

/* int bpf(int cmd, union bpf_attr *attr, unsigned int size); */
static inline int sys_bpf(int cmd, void *attr, unsigned size)
{ return syscall3(__NR_bpf, cmd, (long)attr, size); }

/* mode_t umask(mode_t mask); */
static inline int sys_umask(int mask)
{ return syscall1(__NR_umask, mask); }

/* int nanosleep(const struct timespec *req, struct timespec *rem); */
static inline int sys_sleep_ms(long ms)
{
	long ts[2] = { ms / 1000, (ms % 1000) * 1000000 };
	return syscall2(__NR_nanosleep, (long)ts, 0);
}

/* int unshare(int flags); */
static inline int sys_unshare(unsigned long flags)
{ return syscall1(__NR_unshare, flags); }

/* int setns(int fd, int nstype); */
static inline int sys_setns(int fd, int nstype)
{ return syscall2(__NR_setns, fd, nstype); }

/* int prlimit(pid_t pid, int resource, const struct rlimit *new, struct rlimit *old); */
static inline int sys_prlimit(int pid, int resource, const u64 limit[2])
{ return syscall4(__NR_prlimit64, pid, resource, (long)limit, 0); }

#endif
