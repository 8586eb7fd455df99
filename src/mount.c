/* The container's filesystem: checks on the rootfs before anything exists,
 * the root switch (pivot_root, or MS_MOVE + chroot on an initramfs), and
 * every mount inside — /proc, /dev, /sys, masks, volumes. Every mount(2)
 * call of nanoctr lives in this file. */
#include "src/nanoctr.h"

static int file_type(const char *path, int flags)
{
	struct statx st;
	int ret = sys_statx(AT_FDCWD, path, flags, STATX_TYPE, &st);

	return ret < 0 ? ret : (st.stx_mode & S_IFMT);
}

/* Is path the host's root directory, however it is spelled (//, /tmp/..)? */
static int is_host_root(const char *path)
{
	struct statx a, b;

	return sys_statx(AT_FDCWD, path, 0, STATX_INO, &a) == 0 &&
	       sys_statx(AT_FDCWD, "/", 0, STATX_INO, &b) == 0 && a.stx_ino == b.stx_ino &&
	       a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor;
}

/* In the parent, before any namespace exists: refuse what would fail or be
 * unsafe later. Nothing is created in the rootfs. */
void rootfs_check(const struct config *cfg)
{
	static const char *const required[] = { "/proc", "/dev", "/sys" };
	char path[PATH_LIMIT];
	int type = file_type(cfg->rootfs, 0);

	if (type == -ENOENT && str_eq(cfg->rootfs, DEFAULT_ROOTFS))
		die_code(EXIT_SETUP, DEFAULT_ROOTFS,
			 "No such file or directory (make one: rootfs-scripts/busybox.sh "
			 DEFAULT_ROOTFS ", or pass --rootfs)");
	if (type < 0)
		die(cfg->rootfs, type);
	if (type != S_IFDIR)
		die_code(EXIT_SETUP, cfg->rootfs, "rootfs is not a directory");
	if (is_host_root(cfg->rootfs))
		die_code(EXIT_SETUP, cfg->rootfs, "refusing the host's root as the rootfs");
	for (unsigned i = 0; i < ARRAY_SIZE(required); i++) {
		concat(path, sizeof(path), cfg->rootfs, required[i], "");
		type = file_type(path, AT_SYMLINK_NOFOLLOW);
		if (type == S_IFLNK)
			die_code(EXIT_SETUP, path, "is a symbolic link (refused: it could lead out of the rootfs)");
		if (type == -ENOENT)
			die_code(EXIT_SETUP, path, "missing: the rootfs needs /proc, /dev and /sys directories");
		if (type < 0)
			die(path, type);
		if (type != S_IFDIR)
			die_code(EXIT_SETUP, path, "not a directory");
	}
	for (int i = 0; i < cfg->mount_count; i++)
		if (cfg->mounts[i].kind == MOUNT_BIND &&
		    (type = file_type(cfg->mounts[i].source, 0)) < 0)
			die(cfg->mounts[i].source, type);
}

static void mount_or_die(const char *src, const char *dst, const char *type,
			 unsigned long flags, const char *data)
{
	int ret = sys_mount(src, dst, type, flags, data);

	if (ret < 0) {
		char what[PATH_LIMIT];
		concat(what, sizeof(what), "mount ", dst, "");
		if (ret == -ENOSPC)	/* the kernel's way of saying "too many mounts" */
			die_code(EXIT_SETUP, what, "No space left on device (mount limit reached?)");
		die(what, ret);
	}
}

/* Make the rootfs the root of this mount namespace, with no host tree left
 * reachable. We come back here from the setup chroot with the host's root as
 * root and the rootfs (a bind mount of itself) as working directory.
 * pivot_root(".", ".") stacks the old root on the new one, which the detach
 * then removes. An initramfs root cannot be pivoted away (EINVAL): then the
 * rootfs is moved over "/" and chrooted into; ".." at its root stays there
 * because it is stacked on the namespace's root dentry. */
static void switch_root(void)
{
	int ret = sys_pivot_root(".", ".");

	if (ret == 0) {
		ret = sys_umount2(".", MNT_DETACH);
		if (ret < 0)
			die("detach the old root", ret);
	} else if (ret == -EINVAL) {
		mount_or_die(".", "/", NULL, MS_MOVE, NULL);
		ret = sys_chroot(".");
		if (ret < 0)
			die("chroot", ret);
	} else {
		die("pivot_root", ret);
	}
	ret = sys_chdir("/");
	if (ret < 0)
		die("chdir /", ret);
}

static void make_dir(const char *path, int mode)
{
	int ret = sys_mkdir(path, mode);

	if (ret < 0 && ret != -EEXIST)
		die(path, ret);
}

static void mount_dev(void)
{
	static const struct { const char *name; unsigned dev; } nodes[] = {
		{ "/dev/null", MKDEV(1, 3) }, { "/dev/zero", MKDEV(1, 5) },
		{ "/dev/full", MKDEV(1, 7) }, { "/dev/random", MKDEV(1, 8) },
		{ "/dev/urandom", MKDEV(1, 9) }, { "/dev/tty", MKDEV(5, 0) },
	};
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
		{ "pts/ptmx", "/dev/ptmx" },
	};
	int ret;

	mount_or_die("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k");
	for (unsigned i = 0; i < ARRAY_SIZE(nodes); i++) {
		ret = sys_mknod(nodes[i].name, S_IFCHR | 0666, nodes[i].dev);
		if (ret < 0)
			die(nodes[i].name, ret);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(links); i++)
		sys_symlink(links[i][0], links[i][1]);
	make_dir("/dev/pts", 0755);
	make_dir("/dev/shm", 01777);
	make_dir("/dev/mqueue", 0755);
	mount_or_die("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		     "newinstance,ptmxmode=0666,mode=0620,gid=5");
	mount_or_die("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		     "mode=1777,size=65536k");
	mount_or_die("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* Hide what a container has no business reading or writing, as docker does. */
static void mask_paths(void)
{
	static const char *const hidden_files[] = {
		"/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/sched_debug", "/proc/timer_list", "/proc/timer_stats",
	};
	static const char *const hidden_dirs[] = {
		"/proc/acpi", "/proc/asound", "/proc/scsi", "/sys/firmware",
		"/sys/devices/virtual/powercap",
	};
	static const char *const read_only[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
	};
	unsigned i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hidden_files); i++) {
		ret = sys_mount("/dev/null", hidden_files[i], NULL, MS_BIND, NULL);
		if (ret < 0 && ret != -ENOENT)
			die(hidden_files[i], ret);
	}
	for (i = 0; i < ARRAY_SIZE(hidden_dirs); i++) {
		ret = sys_mount("tmpfs", hidden_dirs[i], "tmpfs", MS_RDONLY | MS_NOSUID |
				MS_NODEV | MS_NOEXEC, "size=0");
		if (ret < 0 && ret != -ENOENT)
			die(hidden_dirs[i], ret);
	}
	for (i = 0; i < ARRAY_SIZE(read_only); i++) {
		ret = sys_mount(read_only[i], read_only[i], NULL, MS_BIND | MS_REC, NULL);
		if (ret == -ENOENT)
			continue;
		if (ret == 0)
			ret = sys_mount(NULL, read_only[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY |
					MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		if (ret < 0)
			die(read_only[i], ret);
	}
}

/* Create a missing mount target inside the container, as docker does. The
 * root is already the container's: no path can lead outside it. */
static void make_target(const char *target, int is_dir)
{
	char path[PATH_LIMIT], *p;
	int ret;

	cat(path, path + sizeof(path) - 1, target);
	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			make_dir(path, 0755);
			*p = '/';
		}
	if (is_dir) {
		make_dir(path, 0755);
		return;
	}
	ret = sys_open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
	if (ret < 0)
		die(target, ret);
	sys_close(ret);
}

static void mount_volumes(const struct config *cfg, const int *source_fd)
{
	for (int i = 0; i < cfg->mount_count; i++) {
		const struct mount_request *m = &cfg->mounts[i];
		char source[32];
		int is_dir = 1;

		if (m->kind == MOUNT_BIND) {
			struct statx st;
			cat_u64(cat(source, source + sizeof(source) - 1, "/proc/self/fd/"),
				source + sizeof(source) - 1, source_fd[i]);
			if (sys_statx(source_fd[i], "", AT_EMPTY_PATH, STATX_TYPE, &st) == 0)
				is_dir = S_ISDIR(st.stx_mode);
		}
		if (file_type(m->target, 0) == -ENOENT)
			make_target(m->target, is_dir);
		if (m->kind == MOUNT_TMPFS) {
			mount_or_die("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
				     "mode=1777");
			continue;
		}
		mount_or_die(source, m->target, NULL, MS_BIND | MS_REC, NULL);
		if (m->read_only)
			mount_or_die(NULL, m->target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
		sys_close(source_fd[i]);
	}
}

/* In the child, in its new mount namespace. Everything is mounted while
 * chrooted into the rootfs, so every target — volumes included — resolves
 * inside it: a symlink cannot lead out. Volume sources are opened before, on
 * the host, and bound from /proc/self/fd while their mounts still exist in
 * this namespace. Only then is the host's root taken away. */
void mount_container(const struct config *cfg)
{
	int source_fd[MAX_MOUNTS], host_root, ret;

	mount_or_die(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL);
	mount_or_die(cfg->rootfs, cfg->rootfs, NULL, MS_BIND | MS_REC, NULL);
	for (int i = 0; i < cfg->mount_count; i++) {
		const struct mount_request *m = &cfg->mounts[i];
		if (m->kind != MOUNT_BIND)
			continue;
		source_fd[i] = sys_open(m->source, O_PATH | O_CLOEXEC, 0);
		if (source_fd[i] < 0)
			die(m->source, source_fd[i]);
	}
	host_root = sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	ret = host_root < 0 ? host_root : sys_chdir(cfg->rootfs);
	if (ret == 0)
		ret = sys_chroot(".");
	if (ret < 0)
		die(cfg->rootfs, ret);

	mount_or_die("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_dev();
	mount_or_die("sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (!(cfg->options & OPT_PRIVILEGED))
		mask_paths();
	mount_volumes(cfg, source_fd);
	if (cfg->options & OPT_READ_ONLY)
		mount_or_die(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);

	/* Back to the host's root, standing in the rootfs, for the switch. */
	ret = sys_fchdir(host_root);
	if (ret == 0)
		ret = sys_chroot(".");
	if (ret == 0)
		ret = sys_chdir(cfg->rootfs);
	if (ret < 0)
		die("leave the setup chroot", ret);
	sys_close(host_root);
	switch_root();
}
