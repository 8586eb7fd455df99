/* The rootfs: opened once, checked on that fd, used only through it (a path
 * looked up twice can be swapped in between: a rename to a symlink to "/"
 * would hand the container the host's root); and at the end the root switch,
 * pivot_root, also from an initramfs. */
#include "src/nanoctr.h"

static int is_host_root(int fd)
{
	int root = sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0), ret;

	ret = root >= 0 && same_inode(fd, root);
	if (root >= 0)
		sys_close(root);
	return ret;
}

/* In the parent, before any namespace exists: open the rootfs (O_NOFOLLOW on
 * its last component, as runc refuses a rootfs that is a symlink) into
 * cfg->rootfs_fd, and refuse on that fd what would fail or be unsafe later.
 * Nothing is created in the rootfs. */
void rootfs_check(struct config *cfg)
{
	static const char *const required[] = { "proc", "dev", "sys" };
	char path[PATH_LIMIT + 8];	/* ROOTFS/proc, for messages */
	struct statx st;
	int fd = sys_open(cfg->rootfs, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0), ret;

	if (fd == -ENOENT && (cfg->options & OPT_DEFAULT_ROOTFS))
		die_code(EXIT_SETUP, DEFAULT_ROOTFS,
			 "No such file or directory (make one: rootfs-scripts/busybox.sh "
			 DEFAULT_ROOTFS ", or pass --rootfs)");
	if (fd < 0)
		die(cfg->rootfs, fd);
	ret = sys_statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st);
	if (ret < 0)
		die(cfg->rootfs, ret);
	if ((st.stx_mode & S_IFMT) == S_IFLNK) {
		int target = sys_open(cfg->rootfs, O_PATH | O_CLOEXEC, 0);
		if (target >= 0 && is_host_root(target))
			die_code(EXIT_SETUP, cfg->rootfs, "refusing the host's root as the rootfs");
		die_code(EXIT_SETUP, cfg->rootfs,
			 "rootfs is a symbolic link (refused: pass the directory it points to)");
	}
	if (!S_ISDIR(st.stx_mode))
		die_code(EXIT_SETUP, cfg->rootfs, "rootfs is not a directory");
	/* The default is in /tmp, where any user may make it first: another
	 * user's would run that user's programs with our volumes, and can be
	 * changed under us. Only root's or ours (as ssh's StrictModes). A
	 * rootfs the user names (even this path) is the user's choice. */
	if ((cfg->options & OPT_DEFAULT_ROOTFS) &&
	    sys_statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_UID, &st) == 0 &&
	    st.stx_uid != 0 && st.stx_uid != (u32)sys_geteuid())
		die_code(EXIT_SETUP, DEFAULT_ROOTFS, "owned by another user (refused: the default "
			 "rootfs is in the shared /tmp; pass --rootfs)");
	if (is_host_root(fd))
		die_code(EXIT_SETUP, cfg->rootfs, "refusing the host's root as the rootfs");
	for (unsigned i = 0; i < ARRAY_SIZE(required); i++) {
		concat(path, sizeof(path), cfg->rootfs, "/", required[i]);
		ret = sys_statx(fd, required[i], AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st);
		if (ret == -ENOENT)
			die_code(EXIT_SETUP, path, "missing: the rootfs needs /proc, /dev and /sys directories");
		if (ret < 0)
			die(path, ret);
		if ((st.stx_mode & S_IFMT) == S_IFLNK)
			die_code(EXIT_SETUP, path, "is a symbolic link (refused: it could lead out of the rootfs)");
		if (!S_ISDIR(st.stx_mode))
			die_code(EXIT_SETUP, path, "not a directory");
	}
	for (int i = 0; i < cfg->mount_count; i++)
		if (cfg->mounts[i].kind == MOUNT_BIND &&
		    (ret = sys_statx(AT_FDCWD, cfg->mounts[i].source, 0, STATX_TYPE, &st)) < 0)
			die(cfg->mounts[i].source, ret);
	cfg->rootfs_fd = fd;
}

/* Is "/" the initramfs — rootfs, a ramfs or tmpfs that is the namespace's
 * first mount and so cannot be pivoted away (pivot_root(2): EINVAL)? */
static int root_is_initramfs(void)
{
	struct statfs_buf fs;

	return sys_statfs("/", &fs) == 0 && (fs.f_type == RAMFS_MAGIC || fs.f_type == TMPFS_MAGIC);
}

/* On an initramfs: make the root a real mount first — a recursive bind of
 * "/" stacked on "/" ("/.." from the root lands on the top of that stack),
 * chrooted into — in which the rootfs mount has its copy, where the process
 * goes; pivot_root works from there. The copy is checked to be the rootfs. */
static int pivot_from_initramfs(int root)
{
	char self[32], path[PATH_LIMIT];
	long n = sys_readlinkat(AT_FDCWD, fd_path(self, root), path, sizeof(path) - 1);
	int ret, here;

	if (n < 0)
		return n;
	path[n] = 0;
	ret = sys_mount("/", "/", NULL, MS_BIND | MS_REC, NULL);
	if (ret == 0)
		ret = sys_chdir("/..");
	if (ret == 0)
		ret = sys_chroot(".");
	if (ret == 0)
		ret = sys_chdir(path);
	if (ret < 0)
		die("initramfs: make the root a mount", ret);
	here = sys_open(".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (here < 0 || !same_inode(here, root))
		die_code(EXIT_SETUP, path, "initramfs: the rootfs changed during the root switch");
	sys_close(here);
	return sys_pivot_root(".", ".");
}

/* Make the mount root (an fd) the root of this mount namespace, with no
 * host tree left reachable: pivot_root(".", ".") stacks the old root on the
 * new one, which the detach then removes. Only an initramfs root takes the
 * other way; any other failure is an error, never a quiet chroot. */
void switch_root(int root)
{
	int ret = sys_fchdir(root);

	if (ret < 0)
		die("chdir to the rootfs", ret);
	ret = sys_pivot_root(".", ".");
	if (ret == -EINVAL && root_is_initramfs())
		ret = pivot_from_initramfs(root);
	if (ret < 0)
		die("pivot_root", ret);
	ret = sys_umount2(".", MNT_DETACH);
	if (ret < 0)
		die("detach the old root", ret);
	ret = sys_chdir("/");
	if (ret < 0)
		die("chdir /", ret);
	sys_close(root);
}
