/* The seccomp filter, generated here as classic BPF (no libseccomp): kill a
 * foreign architecture, refuse x32 numbers, EPERM for calls a container has
 * no use for, no namespace flags in clone(), clone3() -> ENOSYS so libcs fall
 * back to clone(), and no TIOCSTI (compared on the low 32 bits, as the kernel
 * does). Everything else is allowed. */
#include "src/nanoctr.h"

static const unsigned short denied[] = {
	__NR_kexec_load, __NR_kexec_file_load, __NR_init_module, __NR_finit_module,
	__NR_delete_module, __NR_add_key, __NR_request_key, __NR_keyctl, __NR_bpf,
	__NR_perf_event_open, __NR_userfaultfd, __NR_swapon, __NR_swapoff, __NR_reboot,
	__NR_acct, __NR_settimeofday, __NR_clock_settime, __NR_clock_adjtime,
	__NR_adjtimex,
#ifdef __NR_iopl	/* x86 only (syscalls/arch-*.h): port I/O */
	__NR_iopl, __NR_ioperm,
#endif
	__NR_open_by_handle_at,
	__NR_name_to_handle_at, __NR_mount, __NR_umount2, __NR_pivot_root, __NR_unshare,
	__NR_setns, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
	__NR_open_tree, __NR_move_mount, __NR_mount_setattr, __NR_open_tree_attr,
	__NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
#ifdef __NR_uselib	/* x86 only */
	__NR_uselib,
#endif
	__NR_lookup_dcookie, __NR_quotactl, __NR_syslog, __NR_vhangup,
	__NR_setdomainname,
};

/* x86_64 also has the x32 ABI: numbers with bit 30 set, refused as a whole. */
#ifdef SYSCALL_X32_BIT
#define X32_CHECK 1
#else
#define X32_CHECK 0
#endif

#define STMT(c, value) ((struct sock_filter){ (c), 0, 0, (value) })
#define JUMP(c, value, t, f) ((struct sock_filter){ (c), (t), (f), (value) })

void seccomp_install(void)
{
	enum { N = ARRAY_SIZE(denied), HEAD = 4 + X32_CHECK, TAIL = 12, LEN = HEAD + N + TAIL };
	/* positions of the shared tails, relative jumps are computed from them */
	enum { CLONE_CHECK = HEAD + N + 4, IOCTL_CHECK = CLONE_CHECK + 3,
	       RET_EPERM = IOCTL_CHECK + 3, RET_ENOSYS = RET_EPERM + 1 };
	struct sock_filter f[LEN];
	struct sock_fprog prog = { LEN, f };
	unsigned i = 0;
	int ret;

	f[i++] = STMT(BPF_LD_W_ABS, SECCOMP_DATA_ARCH);
	f[i++] = JUMP(BPF_JEQ_K, AUDIT_ARCH_NATIVE, 1, 0);
	f[i++] = STMT(BPF_RET_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = STMT(BPF_LD_W_ABS, SECCOMP_DATA_NR);
#ifdef SYSCALL_X32_BIT
	f[i] = JUMP(BPF_JGE_K, SYSCALL_X32_BIT, RET_EPERM - i - 1, 0), i++;
#endif
	for (unsigned d = 0; d < N; d++, i++)
		f[i] = JUMP(BPF_JEQ_K, denied[d], RET_EPERM - i - 1, 0);
	f[i] = JUMP(BPF_JEQ_K, __NR_clone, CLONE_CHECK - i - 1, 0), i++;
	f[i] = JUMP(BPF_JEQ_K, __NR_clone3, RET_ENOSYS - i - 1, 0), i++;
	f[i] = JUMP(BPF_JEQ_K, __NR_ioctl, IOCTL_CHECK - i - 1, 0), i++;
	f[i++] = STMT(BPF_RET_K, SECCOMP_RET_ALLOW);
	/* CLONE_CHECK */
	f[i++] = STMT(BPF_LD_W_ABS, SECCOMP_DATA_ARG(0));
	f[i] = JUMP(BPF_JSET_K, CLONE_NAMESPACES, RET_EPERM - i - 1, 0), i++;
	f[i++] = STMT(BPF_RET_K, SECCOMP_RET_ALLOW);
	/* IOCTL_CHECK */
	f[i++] = STMT(BPF_LD_W_ABS, SECCOMP_DATA_ARG(1));
	f[i] = JUMP(BPF_JEQ_K, TIOCSTI, RET_EPERM - i - 1, 0), i++;
	f[i++] = STMT(BPF_RET_K, SECCOMP_RET_ALLOW);
	/* RET_EPERM, RET_ENOSYS */
	f[i++] = STMT(BPF_RET_K, SECCOMP_RET_ERRNO | EPERM);
	f[i++] = STMT(BPF_RET_K, SECCOMP_RET_ERRNO | ENOSYS);

	ret = sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (ret == -ENOSYS)	/* before 3.17: the prctl form */
		ret = sys_prctl(22 /* PR_SET_SECCOMP */, 2 /* SECCOMP_MODE_FILTER */,
				(unsigned long)&prog);
	if (ret == -EINVAL)
		die_code(EXIT_SETUP, "seccomp", "Invalid argument (kernel without seccomp filters? "
			 "use --security-opt seccomp=unconfined)");
	if (ret < 0)
		die("seccomp", ret);
}
