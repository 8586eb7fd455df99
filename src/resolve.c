/* Paths inside the container's root, resolved inside it: every symlink of
 * the image — absolute, relative, through ".." — is followed as if the root
 * were "/", and never through a magic link (/proc/self/fd/N, /proc/self/root:
 * they would jump to whatever the fd or root is, host included). openat2()
 * with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS does exactly this (5.6+);
 * before, a walk of one component at a time with O_NOFOLLOW does it here.
 * Every answer is an O_PATH fd: what is checked is what gets used. */
#include "src/nanoctr.h"

#define MAX_LINKS	40	/* the kernel's limit on symlinks in one lookup */
#define MAX_DEPTH	128	/* directories held open by the walk, for ".." */

static int no_openat2;	/* set once openat2 says ENOSYS or EPERM */

char *fd_path(char buf[32], int fd)
{
	cat_u64(cat(buf, buf + 31, "/proc/self/fd/"), buf + 31, (unsigned)fd);
	return buf;
}

/* The walk: the remaining path in rest; dirs[0..depth] the directories
 * walked so far (dirs[0] is root, never closed), so ".." goes back to the
 * directory we came from, not to whatever is its parent now. */
static int walk_in_root(int root, const char *path)
{
	char rest[PATH_LIMIT], link[PATH_LIMIT];
	int dirs[MAX_DEPTH], depth = 0, links = 0, ret = 0;
	char *p = rest;

	dirs[0] = root;
	cat(rest, rest + sizeof(rest) - 1, path);
	for (;;) {
		struct statx st;
		struct statfs_buf fs;
		char *name, save;
		int fd;
		long n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (name = p; *p && *p != '/'; p++)
			;
		save = *p;
		*p = 0;
		if (str_eq(name, ".")) {
			*p = save;
			continue;
		}
		if (str_eq(name, "..")) {	/* at the root, ".." is the root */
			if (depth > 0)
				sys_close(dirs[depth--]);
			*p = save;
			continue;
		}
		fd = sys_openat(dirs[depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		*p = save;
		if (fd < 0) {
			ret = fd;
			break;
		}
		ret = sys_statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st);
		if (ret == 0 && (st.stx_mode & S_IFMT) == S_IFLNK) {
			/* Symlinks in /proc are where the magic ones live: refused, as
			 * RESOLVE_NO_MAGICLINKS refuses them (ELOOP). */
			if (++links > MAX_LINKS ||
			    (sys_fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC))
				ret = -ELOOP;
			else if ((n = sys_readlinkat(fd, "", link, sizeof(link) - 1)) < 0)
				ret = n;
			else if (n + 2 + str_len(p) >= sizeof(link))
				ret = -ENAMETOOLONG;
			sys_close(fd);
			if (ret < 0)
				break;
			link[n] = '/';
			cat(link + n + 1, link + sizeof(link) - 1, p);
			cat(rest, rest + sizeof(rest) - 1, link);
			p = rest;
			if (link[0] == '/')
				while (depth > 0)
					sys_close(dirs[depth--]);
			continue;
		}
		if (ret < 0 || depth == MAX_DEPTH - 1) {
			sys_close(fd);
			ret = ret < 0 ? ret : -ENAMETOOLONG;
			break;
		}
		dirs[++depth] = fd;
	}
	if (ret == 0)
		ret = depth > 0 ? dirs[depth--] : sys_openat(root, ".", O_PATH | O_CLOEXEC, 0);
	while (depth > 0)
		sys_close(dirs[depth--]);
	return ret;
}

/* An O_PATH fd for path (absolute, as the container sees it) inside root,
 * following symlinks, the last one too, inside root; or -errno: ELOOP for a
 * magic link or too many symlinks, ENOENT, ENOTDIR... */
int resolve_in_root(int root, const char *path)
{
	struct open_how how = { O_PATH | O_CLOEXEC, 0, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int ret = -ENOSYS;

	for (int tries = 0; !no_openat2 && tries < 8; tries++) {
		ret = sys_openat2(root, path, &how);
		if (ret != -EAGAIN)	/* a rename or mount raced with the lookup: again */
			break;
	}
	/* ENOSYS before 5.6; EPERM from a seccomp profile that does not know it */
	if (ret == -ENOSYS || ret == -EPERM) {
		no_openat2 = 1;
		ret = walk_in_root(root, path);
	}
	return ret;
}

/* A file of the image, opened for reading by nanoctr itself after the root
 * switch (/etc/passwd, /etc/group): looked up inside "/" as above, so no
 * magic link reaches a host file through a descriptor the caller left us;
 * then, on the O_PATH fd, only a regular file that is not on proc or sysfs
 * is opened (reading /proc/kmsg consumes the host's kernel log, /dev/zero
 * never ends, opening a device may act on it), or a FIFO, non-blocking (a
 * planted one without a writer reads as empty instead of hanging). The open
 * goes through our own fd, /proc/self/fd/N. Returns the fd, -ENOENT, ...,
 * or -EBADFD for any other kind of file. */
int open_image_file(const char *path)
{
	int root = sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0), fd, ret;
	struct statx st;
	struct statfs_buf fs;
	char self[32];

	if (root < 0)
		return root;
	fd = resolve_in_root(root, path);
	sys_close(root);
	if (fd < 0)
		return fd;
	ret = sys_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &st);
	if (ret == 0)
		ret = sys_fstatfs(fd, &fs);
	if (ret == 0 && S_ISDIR(st.stx_mode))
		ret = -EISDIR;
	else if (ret == 0 && (st.stx_mode & S_IFMT) != S_IFIFO &&
		 ((st.stx_mode & S_IFMT) != S_IFREG || fs.f_type == PROC_SUPER_MAGIC ||
		  fs.f_type == SYSFS_MAGIC))
		ret = -EBADFD;
	if (ret == 0)
		ret = sys_open(fd_path(self, fd), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
	sys_close(fd);
	return ret;
}

/* Like resolve_in_root(), creating what is missing on the way as docker
 * does: directories, and at the end a directory (is_dir) or an empty file.
 * Each piece is made in the directory its parent resolved to, by name,
 * following nothing (O_EXCL, mkdirat), then resolved again from root. A
 * dangling symlink is not followed into creating its target: ENOENT. */
int resolve_create(int root, const char *path, int is_dir)
{
	char buf[PATH_LIMIT], *p = buf;
	int fd = resolve_in_root(root, path), parent = root;

	if (fd != -ENOENT)
		return fd;
	cat(buf, buf + sizeof(buf) - 1, path);
	for (;;) {
		char *slash = str_chr(p + 1, '/'), *name = p + 1;
		if (slash)
			*slash = 0;
		fd = resolve_in_root(root, buf);
		if (fd == -ENOENT) {
			if (slash || is_dir)
				fd = sys_mkdirat(parent, name, 0755);
			else
				fd = sys_openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
						O_NONBLOCK | O_CLOEXEC, 0644);
			if (fd >= 0 && !slash && !is_dir)
				sys_close(fd);
			if (fd >= 0 || fd == -EEXIST)
				fd = resolve_in_root(root, buf);
		}
		if (parent != root)
			sys_close(parent);
		if (fd < 0 || !slash)
			return fd;
		*slash = '/';
		parent = fd;
		p = slash;
	}
}

/* The id of the mount fd is on (statx STATX_MNT_ID, 5.8+; else fdinfo). */
int mount_id(int fd, u64 *id)
{
	struct statx st;
	char path[48], buf[512];
	const char *p;
	int ret = sys_statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &st);

	if (ret == 0 && (st.stx_mask & STATX_MNT_ID)) {
		*id = st.spare[0];
		return 0;
	}
	cat_u64(cat(path, path + sizeof(path) - 1, "/proc/self/fdinfo/"), path + sizeof(path) - 1,
		(unsigned)fd);
	ret = read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	for (p = buf; *p; p++)
		if ((p == buf || p[-1] == '\n') && str_prefix(p, "mnt_id:")) {
			p += 7;
			while (*p == '\t' || *p == ' ')
				p++;
			return parse_u64(p, &p, id);
		}
	return -ENOSYS;
}

/* Are fds a and b the same file (device and inode)? */
int same_inode(int a, int b)
{
	struct statx x, y;

	return sys_statx(a, "", AT_EMPTY_PATH, STATX_INO, &x) == 0 &&
	       sys_statx(b, "", AT_EMPTY_PATH, STATX_INO, &y) == 0 && x.stx_ino == y.stx_ino &&
	       x.stx_dev_major == y.stx_dev_major && x.stx_dev_minor == y.stx_dev_minor;
}
