/* Kernel ABI constants and structures nanoctr uses, as the uapi headers
 * define them (the same on x86_64 and aarch64 unless noted). */
#ifndef NANOCTR_LINUX_H
#define NANOCTR_LINUX_H

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;
#define NULL ((void *)0)

/* errno */
#define EPERM	1
#define ENOENT	2
#define ESRCH	3
#define EINTR	4
#define EIO	5
#define E2BIG	7
#define ENOEXEC	8
#define EBADF	9
#define ECHILD	10
#define EAGAIN	11
#define EACCES	13
#define EBUSY	16
#define EEXIST	17
#define ENOTDIR	20
#define EISDIR	21
#define EINVAL	22
#define ENOSPC	28
#define EROFS	30
#define ERANGE	34
#define ENAMETOOLONG 36
#define ENOSYS	38
#define EBADFD	77
#define ELOOP	40
#define EOPNOTSUPP 95

/* open, *at */
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_APPEND	02000
#define O_NOCTTY	0400
#define O_TRUNC		01000
#define O_NONBLOCK	04000
/* O_DIRECTORY and O_NOFOLLOW differ between architectures: syscalls/arch-*.h */
#define O_CLOEXEC	02000000
#define O_PATH		010000000
#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_EMPTY_PATH		0x1000
#define F_SETFD		2
#define F_GETFD		1
#define F_GETFL		3
#define F_SETFL		4
#define FD_CLOEXEC	1
#define CLOSE_RANGE_CLOEXEC (1U << 2)

#define S_IFMT	0170000
#define S_IFDIR	0040000
#define S_IFCHR	0020000
#define S_IFBLK	0060000
#define S_IFREG	0100000
#define S_IFLNK	0120000
#define S_IFIFO	0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)

/* openat2(2): include/uapi/linux/openat2.h */
struct open_how { u64 flags, mode, resolve; };
#define RESOLVE_NO_XDEV		0x01
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#define RESOLVE_IN_ROOT		0x10

struct statx_timestamp { long long tv_sec; u32 tv_nsec; int reserved; };
struct statx {
	u32 stx_mask, stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink, stx_uid, stx_gid;
	u16 stx_mode, pad1;
	u64 stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	u64 spare[14];
};
#define STATX_TYPE 1U
#define STATX_MODE	0x0002U
#define STATX_UID 8U
#define STATX_INO 0x100U
#define STATX_SIZE 0x200U
#define STATX_MNT_ID 0x1000U	/* 5.8+: stx_mnt_id is spare[0] */

/* struct statfs on 64-bit: f_flags (ST_*, 2.6.36+) is the 10th word */
struct statfs_buf { long f_type, f_bsize; u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
		    int f_fsid[2]; long f_namelen, f_frsize, f_flags, f_spare[4]; };
#define ST_RDONLY	1
#define ST_NOSUID	2
#define ST_NODEV	4
#define ST_NOEXEC	8
#define ST_NOATIME	1024
#define ST_NODIRATIME	2048
#define ST_RELATIME	4096
#define ST_NOSYMFOLLOW	8192
#define RAMFS_MAGIC	0x858458f6
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC	0x62656572
#define CGROUP2_SUPER_MAGIC 0x63677270
#define TMPFS_MAGIC	0x01021994
#define PIPEFS_MAGIC	0x50495045

struct linux_dirent64 {
	u64 d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* clone / namespaces */
#define CSIGNAL		0x000000ff
#define CLONE_VM	0x00000100
#define CLONE_NEWNS	0x00020000
#define CLONE_NEWCGROUP	0x02000000
#define CLONE_NEWUTS	0x04000000
#define CLONE_NEWIPC	0x08000000
#define CLONE_NEWUSER	0x10000000
#define CLONE_NEWPID	0x20000000
#define CLONE_NEWNET	0x40000000
#define CLONE_NAMESPACES 0x7E020000UL	/* every CLONE_NEW* flag, incl. NEWTIME */

/* mount */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_REMOUNT	32
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_REC		16384
#define MS_PRIVATE	(1 << 18)
#define MS_SLAVE	(1 << 19)
#define MS_SYNCHRONOUS	16
#define MS_DIRSYNC	128
#define MS_NOSYMFOLLOW	256
#define MS_NOATIME	1024
#define MS_NODIRATIME	2048
#define MS_STRICTATIME	(1 << 24)
#define MS_MANDLOCK	64
#define MS_UNBINDABLE	(1 << 17)
#define MS_SHARED	(1 << 20)
#define MS_RELATIME	(1 << 21)
#define MNT_DETACH	2

/* mount_setattr(2): include/uapi/linux/mount.h */
struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; };
#define MOUNT_ATTR_RDONLY	0x01
#define MOUNT_ATTR_NOSUID	0x02
#define MOUNT_ATTR_NODEV	0x04
#define MOUNT_ATTR_NOEXEC	0x08
#define MOUNT_ATTR__ATIME	0x70	/* the atime field: relatime 0, noatime 0x10, strictatime 0x20 */
#define MOUNT_ATTR_NOATIME	0x10
#define MOUNT_ATTR_STRICTATIME	0x20
#define MOUNT_ATTR_NODIRATIME	0x80
#define AT_RECURSIVE		0x8000

/* signals */
#define SIGHUP	1
#define SIGINT	2
#define SIGQUIT	3
#define SIGKILL	9
#define SIGUSR1	10
#define SIGUSR2	12
#define SIGPIPE	13
#define SIGTERM	15
#define SIGCHLD	17
#define SIGSTOP	19
#define SIGCONT	18
#define SIGTSTP	20
#define SIGTTIN	21
#define SIGTTOU	22
#define SIGWINCH 28
#define NSIG	64
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2
#define SFD_CLOEXEC	O_CLOEXEC
#define SIGBIT(s)	(1UL << ((s) - 1))
typedef unsigned long sigset_t;	/* the kernel's 64-signal set */

struct signalfd_siginfo {
	u32 ssi_signo;
	int ssi_errno, ssi_code;
	u32 ssi_pid, ssi_uid;
	int ssi_fd;
	u32 ssi_tid, ssi_band, ssi_overrun, ssi_trapno;
	int ssi_status, ssi_int;
	u64 ssi_ptr, ssi_utime, ssi_stime, ssi_addr;
	u16 ssi_addr_lsb;
	u8 pad[46];
};

/* wait */
#define WNOHANG		1
#define WIFEXITED(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WTERMSIG(s)	((s) & 0x7f)

/* poll */
#define POLLIN	1
#define POLLOUT	4
#define POLLHUP	0x10
#define POLLERR	0x8
struct pollfd { int fd; short events, revents; };

/* prctl */
#define PR_SET_PDEATHSIG	1
#define PR_SET_DUMPABLE		4
#define PR_SET_KEEPCAPS		8
#define PR_CAPBSET_READ		23
#define PR_CAPBSET_DROP		24
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39
#define PR_CAP_AMBIENT		47
#define PR_CAP_AMBIENT_RAISE	2
#define PR_CAP_AMBIENT_CLEAR_ALL 4

/* capabilities */
#define LINUX_CAPABILITY_VERSION_3 0x20080522
struct cap_header { u32 version; int pid; };
struct cap_data { u32 effective, permitted, inheritable; };
#define CAP_LAST_POSSIBLE 63

/* seccomp and classic BPF */
#define SECCOMP_SET_MODE_FILTER	1
#define SECCOMP_FILTER_FLAG_TSYNC 1
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_RET_ERRNO	0x00050000U
#define SECCOMP_RET_ALLOW	0x7fff0000U
struct sock_filter { u16 code; u8 jt, jf; u32 k; };
struct sock_fprog { unsigned short len; struct sock_filter *filter; };
#define BPF_LD_W_ABS	0x20	/* BPF_LD | BPF_W | BPF_ABS */
#define BPF_JEQ_K	0x15	/* BPF_JMP | BPF_JEQ | BPF_K */
#define BPF_JGE_K	0x35
#define BPF_JSET_K	0x45
#define BPF_RET_K	0x06
#define SECCOMP_DATA_NR		0
#define SECCOMP_DATA_ARCH	4
#define SECCOMP_DATA_ARG(i)	(16 + 8 * (i))	/* low 32 bits, little endian */

/* sockets, loopback, fd passing */
#define AF_UNIX		1
#define AF_INET		2
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_SEQPACKET	5
#define SOCK_CLOEXEC	O_CLOEXEC
#define SOL_SOCKET	1
#define SCM_RIGHTS	1
#define MSG_CMSG_CLOEXEC 0x40000000
#define SIOCGIFFLAGS	0x8913
#define SIOCSIFFLAGS	0x8914
#define IFF_UP		1
#define IFF_RUNNING	0x40
struct ifreq { char name[16]; short flags; char pad[22]; };
struct iovec { void *base; size_t len; };
struct msghdr {
	void *name; int namelen;
	struct iovec *iov; size_t iovlen;
	void *control; size_t controllen;
	int flags;
};
struct cmsghdr { size_t len; int level, type; };

/* terminals */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TIOCSCTTY	0x540E
#define TIOCSTI		0x5412
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define TIOCGPTN	0x80045430
#define TIOCSPTLCK	0x40045431
struct termios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line, c_cc[19];
};
struct winsize { u16 row, col, xpixel, ypixel; };

/* device numbers for mknod */
#define MKDEV(ma, mi) (((ma) << 8) | (mi))

#endif
