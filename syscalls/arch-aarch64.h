/* aarch64 system-call entry: `svc #0`, number in x8, arguments in x0-x5,
 * the result in x0 (-errno on failure); nothing else is clobbered. Numbers
 * are the kernel's generic table (include/uapi/asm-generic/unistd.h): there
 * is no open, mkdir, mknod, symlink, rmdir, poll, dup2 or fork, only the *at /
 * generic forms, which is why the wrappers use those on every architecture.
 * Nothing above syscalls/ writes inline asm. */
#ifndef NANOCTR_ARCH_AARCH64_H
#define NANOCTR_ARCH_AARCH64_H

static inline long syscall0(long n)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0");
	__asm__ volatile ("svc #0" : "=r"(x0) : "r"(x8) : "memory", "cc");
	return x0;
}

static inline long syscall1(long n, long a)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8) : "memory", "cc");
	return x0;
}

static inline long syscall2(long n, long a, long b)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory", "cc");
	return x0;
}

static inline long syscall3(long n, long a, long b, long c)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory", "cc");
	return x0;
}

static inline long syscall4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
			  : "memory", "cc");
	return x0;
}

static inline long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			  : "memory", "cc");
	return x0;
}

static inline long syscall5(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			  : "memory", "cc");
	return x0;
}

/* clone() onto a stack of the caller's (16-byte aligned, as the AAPCS64 and
 * the hardware's SP alignment check want), running fn(arg) there in the child
 * (which must not return). fn and arg ride in x19/x20, callee-saved, which
 * the kernel hands to the child unchanged. On arm64 clone's arguments are
 * (flags, stack, parent_tid, tls, child_tid): tls before child_tid, unlike
 * x86_64 (kernel/fork.c, CONFIG_CLONE_BACKWARDS unset). With CLONE_VM this is
 * posix_spawn's trick: no page tables to copy for a child that execs. */
static inline long clone_run(unsigned long flags, void *stack_top, void (*fn)(void *), void *arg)
{
	register long x8 __asm__("x8") = 220;	/* __NR_clone */
	register long x0 __asm__("x0") = (long)flags;
	register long x1 __asm__("x1") = (long)stack_top;
	register long x2 __asm__("x2") = 0;
	register long x3 __asm__("x3") = 0;
	register long x4 __asm__("x4") = 0;
	register void (*x19)(void *) __asm__("x19") = fn;
	register void *x20 __asm__("x20") = arg;

	__asm__ volatile ("svc #0\n\t"
			  "cbnz x0, 1f\n\t"
			  "mov x29, #0\n\t"	/* outermost frame in the child */
			  "mov x30, #0\n\t"
			  "mov x0, x20\n\t"
			  "blr x19\n\t"
			  "udf #0\n"		/* fn returned: SIGILL, never on */
			  "1:"
			  : "+r"(x0)
			  : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x19), "r"(x20)
			  : "memory", "cc");
	return x0;
}

/* The seccomp filter checks this (EM_AARCH64 | __AUDIT_ARCH_64BIT | _LE); a
 * 32-bit ARM (compat) process shows AUDIT_ARCH_ARM and is killed as foreign.
 * There is no x32-like numbering here, so no SYSCALL_X32_BIT. */
#define AUDIT_ARCH_NATIVE	0xc00000b7U	/* AUDIT_ARCH_AARCH64 */

/* open(2) flags that differ from x86_64 (arch/arm64/include/uapi/asm/fcntl.h):
 * the x86 values mean O_DIRECT and O_LARGEFILE here. */
#define O_DIRECTORY	040000
#define O_NOFOLLOW	0100000

/* No iopl, ioperm, uselib (x86 only): the seccomp filter leaves them out. */
#define __NR_getcwd		17
#define __NR_lookup_dcookie	18
#define __NR_dup3		24
#define __NR_fcntl		25
#define __NR_ioctl		29
#define __NR_mknodat		33
#define __NR_mkdirat		34
#define __NR_unlinkat		35
#define __NR_symlinkat		36
#define __NR_umount2		39
#define __NR_mount		40
#define __NR_pivot_root		41
#define __NR_statfs		43
#define __NR_chdir		49
#define __NR_fchdir		50
#define __NR_chroot		51
#define __NR_openat		56
#define __NR_close		57
#define __NR_vhangup		58
#define __NR_quotactl		60
#define __NR_getdents64		61
#define __NR_read		63
#define __NR_write		64
#define __NR_ppoll		73
#define __NR_signalfd4		74
#define __NR_acct		89
#define __NR_capset		91
#define __NR_personality	92
#define __NR_exit		93
#define __NR_exit_group		94
#define __NR_unshare		97
#define __NR_nanosleep		101
#define __NR_kexec_load		104
#define __NR_init_module	105
#define __NR_delete_module	106
#define __NR_clock_settime	112
#define __NR_clock_gettime	113
#define __NR_syslog		116
#define __NR_ptrace		117
#define __NR_kill		129
#define __NR_rt_sigaction	134
#define __NR_rt_sigprocmask	135
#define __NR_rt_sigtimedwait	137
#define __NR_reboot		142
#define __NR_setgid		144
#define __NR_setuid		146
#define __NR_setresuid		147
#define __NR_setresgid		149
#define __NR_setpgid		154
#define __NR_setsid		157
#define __NR_setgroups		159
#define __NR_sethostname	161
#define __NR_setdomainname	162
#define __NR_umask		166
#define __NR_prctl		167
#define __NR_settimeofday	170
#define __NR_adjtimex		171
#define __NR_getpid		172
#define __NR_getppid		173
#define __NR_getuid		174
#define __NR_geteuid		175
#define __NR_socket		198
#define __NR_socketpair		199
#define __NR_sendmsg		211
#define __NR_recvmsg		212
#define __NR_add_key		217
#define __NR_request_key	218
#define __NR_keyctl		219
#define __NR_clone		220
#define __NR_execve		221
#define __NR_swapon		224
#define __NR_swapoff		225
#define __NR_perf_event_open	241
#define __NR_wait4		260
#define __NR_name_to_handle_at	264
#define __NR_open_by_handle_at	265
#define __NR_clock_adjtime	266
#define __NR_setns		268
#define __NR_finit_module	273
#define __NR_seccomp		277
#define __NR_bpf		280
#define __NR_memfd_create	279
#define __NR_bpf		280
#define __NR_userfaultfd	282
#define __NR_statx		291
#define __NR_kexec_file_load	294
/* From 424 on, every architecture shares the numbers. */
#define __NR_io_uring_setup	425
#define __NR_io_uring_enter	426
#define __NR_io_uring_register	427
#define __NR_open_tree		428
#define __NR_move_mount		429
#define __NR_fsopen		430
#define __NR_fsconfig		431
#define __NR_fsmount		432
#define __NR_fspick		433
#define __NR_clone3		435
#define __NR_close_range	436
#define __NR_mount_setattr	442
#define __NR_open_tree_attr	467

/* Not used yet: calls a new wrapper is likely to want, so that one added with
 * its x86_64 number builds here too. Generic table, as above. */
#define __NR_eventfd2		19
#define __NR_epoll_create1	20
#define __NR_epoll_ctl		21
#define __NR_epoll_pwait	22
#define __NR_dup		23
#define __NR_fstatfs		44
#define __NR_ftruncate		46
#define __NR_faccessat		48
#define __NR_fchmod		52
#define __NR_fchmodat		53
#define __NR_fchownat		54
#define __NR_fchown		55
#define __NR_sched_getaffinity	123
#define __NR_pipe2		59
#define __NR_lseek		62
#define __NR_readlinkat		78
#define __NR_newfstatat		79
#define __NR_fstat		80
#define __NR_fsync		82
#define __NR_timerfd_create	85
#define __NR_capget		90
#define __NR_waitid		95
#define __NR_tgkill		131
#define __NR_rt_sigreturn	139
#define __NR_setpriority	140
#define __NR_getgroups		158
#define __NR_uname		160
#define __NR_getrlimit		163
#define __NR_setrlimit		164
#define __NR_getgid		176
#define __NR_getegid		177
#define __NR_bind		200
#define __NR_listen		201
#define __NR_connect		203
#define __NR_sendto		206
#define __NR_recvfrom		207
#define __NR_setsockopt		208
#define __NR_shutdown		210
#define __NR_munmap		215
#define __NR_mmap		222
#define __NR_prlimit64		261
#define __NR_kcmp		272
#define __NR_renameat2		276
#define __NR_getrandom		278
#define __NR_execveat		281
#define __NR_pidfd_send_signal	424
#define __NR_pidfd_open		434
#define __NR_openat2		437
#define __NR_pidfd_getfd	438
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_add_rule	445
#define __NR_landlock_restrict_self	446

#endif
