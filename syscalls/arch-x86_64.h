/* x86_64 system-call entry: number in rax, arguments in rdi, rsi, rdx, r10,
 * r8, r9; the kernel clobbers rcx and r11. Returns the kernel's value, which
 * is -errno on failure. Nothing above syscalls/ writes inline asm. */
#ifndef NANOCTR_ARCH_X86_64_H
#define NANOCTR_ARCH_X86_64_H

static inline long syscall0(long n)
{
	long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall1(long n, long a)
{
	long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a) : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall2(long n, long a, long b)
{
	long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b)
			  : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			  : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall4(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile ("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			  : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall5(long n, long a, long b, long c, long d, long e)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile ("syscall" : "=a"(ret)
			  : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			  : "rcx", "r11", "memory");
	return ret;
}

static inline long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile ("syscall" : "=a"(ret)
			  : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			  : "rcx", "r11", "memory");
	return ret;
}

/* clone() onto a stack of the caller's, running fn(arg) there in the child
 * (which must not return). With CLONE_VM this is posix_spawn's trick: no
 * page tables to copy, no copy-on-write faults, for a child that execs. */
static inline long clone_run(unsigned long flags, void *stack_top, void (*fn)(void *), void *arg)
{
	long ret;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register void (*r12)(void *) __asm__("r12") = fn;	/* callee-saved: */
	register void *r13 __asm__("r13") = arg;		/* they survive into the child */

	__asm__ volatile ("syscall\n\t"
			  "test %%rax, %%rax\n\t"
			  "jnz 1f\n\t"
			  "xor %%ebp, %%ebp\n\t"
			  "mov %%r13, %%rdi\n\t"
			  "call *%%r12\n\t"
			  "hlt\n"
			  "1:"
			  : "=a"(ret)
			  : "a"(56 /* __NR_clone */), "D"(flags), "S"(stack_top), "d"(0),
			    "r"(r10), "r"(r8), "r"(r12), "r"(r13)
			  : "rcx", "r11", "memory");
	return ret;
}

/* The seccomp filter checks this; an x32 call has bit 30 set in its number. */
#define AUDIT_ARCH_NATIVE	0xc000003eU	/* AUDIT_ARCH_X86_64 */
#define SYSCALL_X32_BIT		0x40000000U

/* open(2) flags that differ on other architectures (aarch64: 040000, 0100000). */
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000

#define __NR_read		0
#define __NR_mmap		9
#define __NR_munmap		11
#define __NR_write		1
#define __NR_close		3
#define __NR_rt_sigaction	13
#define __NR_rt_sigprocmask	14
#define __NR_ioctl		16
#define __NR_sendmsg		46
#define __NR_recvmsg		47
#define __NR_getpid		39
#define __NR_socket		41
#define __NR_socketpair		53
#define __NR_clone		56
#define __NR_execve		59
#define __NR_exit		60
#define __NR_wait4		61
#define __NR_kill		62
#define __NR_fcntl		72
#define __NR_fchown		93
#define __NR_fchownat		260
#define __NR_umask		95
#define __NR_nanosleep		35
#define __NR_getcwd		79
#define __NR_chdir		80
#define __NR_fchdir		81
#define __NR_rmdir		84
#define __NR_getuid		102
#define __NR_ptrace		101
#define __NR_syslog		103
#define __NR_setuid		105
#define __NR_setgid		106
#define __NR_geteuid		107
#define __NR_getegid		108
#define __NR_setpgid		109
#define __NR_getppid		110
#define __NR_setsid		112
#define __NR_setgroups		116
#define __NR_setresuid		117
#define __NR_setresgid		119
#define __NR_capset		126
#define __NR_sched_getaffinity	204
#define __NR_rt_sigtimedwait	128
#define __NR_uselib		134
#define __NR_personality	135
#define __NR_statfs		137
#define __NR_fstatfs		138
#define __NR_vhangup		153
#define __NR_pivot_root		155
#define __NR_prctl		157
#define __NR_adjtimex		159
#define __NR_chroot		161
#define __NR_acct		163
#define __NR_settimeofday	164
#define __NR_mount		165
#define __NR_umount2		166
#define __NR_swapon		167
#define __NR_swapoff		168
#define __NR_reboot		169
#define __NR_sethostname	170
#define __NR_setdomainname	171
#define __NR_iopl		172
#define __NR_ioperm		173
#define __NR_init_module	175
#define __NR_delete_module	176
#define __NR_quotactl		179
#define __NR_lookup_dcookie	212
#define __NR_getdents64		217
#define __NR_faccessat		269
#define __NR_clock_settime	227
#define __NR_clock_gettime	228
#define __NR_exit_group		231
#define __NR_kexec_load		246
#define __NR_add_key		248
#define __NR_request_key	249
#define __NR_keyctl		250
#define __NR_openat		257
#define __NR_mkdirat		258
#define __NR_mknodat		259
#define __NR_unlinkat		263
#define __NR_symlinkat		266
#define __NR_ppoll		271
#define __NR_unshare		272
#define __NR_signalfd4		289
#define __NR_dup3		292
#define __NR_perf_event_open	298
#define __NR_name_to_handle_at	303
#define __NR_open_by_handle_at	304
#define __NR_readlinkat		267
#define __NR_openat2		437
#define __NR_clock_adjtime	305
#define __NR_setns		308
#define __NR_connect		42
#define __NR_prlimit64		302
#define __NR_finit_module	313
#define __NR_renameat2		316
#define __NR_seccomp		317
#define __NR_bpf		321
#define __NR_memfd_create	319
#define __NR_kexec_file_load	320
#define __NR_bpf		321
#define __NR_userfaultfd	323
#define __NR_statx		332
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
#define __NR_pidfd_open		434
#define __NR_pipe2		293
#define __NR_mount_setattr	442
#define __NR_open_tree_attr	467

#endif
