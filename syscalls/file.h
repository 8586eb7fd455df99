/* Typed wrappers: descriptors, paths, mounts. Only *at() forms, so the same
 * code serves architectures without open(2) or mkdir(2). */
#ifndef NANOCTR_SYS_FILE_H
#define NANOCTR_SYS_FILE_H

/* ssize_t read(int fd, void *buf, size_t count); */
static inline long sys_read(int fd, void *buf, size_t n)
{ return syscall3(__NR_read, fd, (long)buf, n); }

/* ssize_t write(int fd, const void *buf, size_t count); */
static inline long sys_write(int fd, const void *buf, size_t n)
{ return syscall3(__NR_write, fd, (long)buf, n); }

/* int close(int fd); */
static inline int sys_close(int fd)
{ return syscall1(__NR_close, fd); }

/* int close_range(unsigned first, unsigned last, unsigned flags); */
static inline int sys_close_range(unsigned first, unsigned last, unsigned flags)
{ return syscall3(__NR_close_range, first, last, flags); }

/* int openat(int dirfd, const char *path, int flags, mode_t mode); */
static inline int sys_openat(int dirfd, const char *path, int flags, int mode)
{ return syscall4(__NR_openat, dirfd, (long)path, flags, mode); }

static inline int sys_open(const char *path, int flags, int mode)
{ return sys_openat(AT_FDCWD, path, flags, mode); }

/* int faccessat(int dirfd, const char *path, int mode, int flags); (the
 * raw call takes no flags: the real uid and gid are checked) */
#define X_OK	1
#define W_OK	2
static inline int sys_access(const char *path, int mode)
{ return syscall3(__NR_faccessat, AT_FDCWD, (long)path, mode); }

/* int dup3(int oldfd, int newfd, int flags); */
static inline int sys_dup3(int oldfd, int newfd, int flags)
{ return syscall3(__NR_dup3, oldfd, newfd, flags); }

/* int fcntl(int fd, int cmd, long arg); */
static inline int sys_fcntl(int fd, int cmd, long arg)
{ return syscall3(__NR_fcntl, fd, cmd, arg); }

/* int ioctl(int fd, unsigned long request, void *arg); */
static inline int sys_ioctl(int fd, unsigned long req, void *arg)
{ return syscall3(__NR_ioctl, fd, req, (long)arg); }

/* int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf); */
static inline int sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *st)
{ return syscall5(__NR_statx, dirfd, (long)path, flags, mask, (long)st); }

/* int statfs(const char *path, struct statfs *buf); */
static inline int sys_statfs(const char *path, struct statfs_buf *buf)
{ return syscall2(__NR_statfs, (long)path, (long)buf); }

/* int fstatfs(int fd, struct statfs *buf); */
static inline int sys_fstatfs(int fd, struct statfs_buf *buf)
{ return syscall2(__NR_fstatfs, fd, (long)buf); }

/* int fchown(int fd, uid_t owner, gid_t group); -1 leaves that id as it is */
static inline int sys_fchown(int fd, unsigned uid, unsigned gid)
{ return syscall3(__NR_fchown, fd, uid, gid); }

/* int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags); */
static inline int sys_fchownat(int dirfd, const char *path, unsigned uid, unsigned gid, int flags)
{ return syscall5(__NR_fchownat, dirfd, (long)path, uid, gid, flags); }

/* int mkdirat(int dirfd, const char *path, mode_t mode); */
static inline int sys_mkdir(const char *path, int mode)
{ return syscall3(__NR_mkdirat, AT_FDCWD, (long)path, mode); }

/* int rmdir(const char *path); via unlinkat(AT_REMOVEDIR) */
static inline int sys_rmdir(const char *path)
{ return syscall3(__NR_unlinkat, AT_FDCWD, (long)path, AT_REMOVEDIR); }

/* int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev); */
static inline int sys_mknod(const char *path, int mode, unsigned dev)
{ return syscall4(__NR_mknodat, AT_FDCWD, (long)path, mode, dev); }

/* int symlinkat(const char *target, int newdirfd, const char *linkpath); */
static inline int sys_symlink(const char *target, const char *link)
{ return syscall3(__NR_symlinkat, (long)target, AT_FDCWD, (long)link); }

/* int chdir(const char *path); */
static inline int sys_chdir(const char *path)
{ return syscall1(__NR_chdir, (long)path); }

/* int fchdir(int fd); */
static inline int sys_fchdir(int fd)
{ return syscall1(__NR_fchdir, fd); }

/* int chroot(const char *path); */
static inline int sys_chroot(const char *path)
{ return syscall1(__NR_chroot, (long)path); }

/* long getcwd(char *buf, size_t size); returns the length, "(unreachable)..." when outside the root */
static inline long sys_getcwd(char *buf, size_t size)
{ return syscall2(__NR_getcwd, (long)buf, size); }

/* ssize_t getdents64(int fd, void *dirp, size_t count); */
static inline long sys_getdents64(int fd, void *buf, size_t n)
{ return syscall3(__NR_getdents64, fd, (long)buf, n); }

/* int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data); */
static inline int sys_mount(const char *src, const char *dst, const char *type,
			    unsigned long flags, const void *data)
{ return syscall5(__NR_mount, (long)src, (long)dst, (long)type, flags, (long)data); }

/* int openat2(int dirfd, const char *path, struct open_how *how, size_t size); 5.6+ */
static inline int sys_openat2(int dirfd, const char *path, struct open_how *how)
{ return syscall4(__NR_openat2, dirfd, (long)path, (long)how, sizeof(*how)); }

/* ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size); */
static inline long sys_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{ return syscall4(__NR_readlinkat, dirfd, (long)path, (long)buf, size); }

/* int mkdirat(int dirfd, const char *path, mode_t mode); */
static inline int sys_mkdirat(int dirfd, const char *path, int mode)
{ return syscall3(__NR_mkdirat, dirfd, (long)path, mode); }

/* int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev); */
static inline int sys_mknodat(int dirfd, const char *path, int mode, unsigned dev)
{ return syscall4(__NR_mknodat, dirfd, (long)path, mode, dev); }

/* int symlinkat(const char *target, int newdirfd, const char *linkpath); */
static inline int sys_symlinkat(const char *target, int dirfd, const char *link)
{ return syscall3(__NR_symlinkat, (long)target, dirfd, (long)link); }

/* int mount_setattr(int dirfd, const char *path, unsigned flags, struct mount_attr *attr, size_t size); 5.12+ */
static inline int sys_mount_setattr(int dirfd, const char *path, unsigned flags, struct mount_attr *attr)
{ return syscall5(__NR_mount_setattr, dirfd, (long)path, flags, (long)attr, sizeof(*attr)); }

/* int umount2(const char *target, int flags); */
static inline int sys_umount2(const char *target, int flags)
{ return syscall2(__NR_umount2, (long)target, flags); }

/* int pivot_root(const char *new_root, const char *put_old); */
static inline int sys_pivot_root(const char *new_root, const char *put_old)
{ return syscall2(__NR_pivot_root, (long)new_root, (long)put_old); }

/* int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *t, const sigset_t *mask, size_t sigsetsize); */
static inline int sys_poll(struct pollfd *fds, unsigned n)
{ return syscall5(__NR_ppoll, (long)fds, n, 0, 0, sizeof(sigset_t)); }

/* the same with a timeout in milliseconds (-1: none) */
static inline int sys_poll_ms(struct pollfd *fds, unsigned n, long ms)
{
	long ts[2] = { ms / 1000, (ms % 1000) * 1000000 };
	return syscall5(__NR_ppoll, (long)fds, n, ms < 0 ? 0 : (long)ts, 0, sizeof(sigset_t));
}

/* int pipe2(int fds[2], int flags); */
static inline int sys_pipe2(int fds[2], int flags)
{ return syscall2(__NR_pipe2, (long)fds, flags); }

/* int socket(int domain, int type, int protocol); */
static inline int sys_socket(int domain, int type, int proto)
{ return syscall3(__NR_socket, domain, type, proto); }

/* int socketpair(int domain, int type, int protocol, int sv[2]); */
static inline int sys_socketpair(int domain, int type, int proto, int sv[2])
{ return syscall4(__NR_socketpair, domain, type, proto, (long)sv); }

/* ssize_t sendmsg(int fd, const struct msghdr *msg, int flags); */
static inline long sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{ return syscall3(__NR_sendmsg, fd, (long)msg, flags); }

/* ssize_t recvmsg(int fd, struct msghdr *msg, int flags); */
static inline long sys_recvmsg(int fd, struct msghdr *msg, int flags)
{ return syscall3(__NR_recvmsg, fd, (long)msg, flags); }

/* State directory and config.json loading (src/state.c, src/oci-config.c). */

/* void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
 * returns the address, or -errno (the kernel's values above -4096). */
#define PROT_READ	1
#define PROT_WRITE	2
#define MAP_PRIVATE	0x02
#define MAP_ANONYMOUS	0x20
static inline long sys_mmap_anon(size_t n)
{ return syscall6(__NR_mmap, 0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }

/* int munmap(void *addr, size_t length); */
static inline int sys_munmap(void *addr, size_t n)
{ return syscall2(__NR_munmap, (long)addr, n); }

/* int unlinkat(int dirfd, const char *path, int flags); */
static inline int sys_unlinkat(int dirfd, const char *path, int flags)
{ return syscall3(__NR_unlinkat, dirfd, (long)path, flags); }

/* int renameat2(int olddirfd, const char *old, int newdirfd, const char *new, unsigned flags); */
static inline int sys_renameat(int olddir, const char *old, int newdir, const char *new_path)
{ return syscall5(__NR_renameat2, olddir, (long)old, newdir, (long)new_path, 0); }

/* int clock_gettime(clockid_t clock, struct timespec *tp); ts = { tv_sec, tv_nsec }; CLOCK_REALTIME is 0 */
static inline int sys_clock_gettime(int clock, long ts[2])
{ return syscall2(__NR_clock_gettime, clock, (long)ts); }

/* int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen); */
static inline int sys_connect(int fd, const void *addr, unsigned len)
{ return syscall3(__NR_connect, fd, (long)addr, len); }

#endif
