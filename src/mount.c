/* The mounts of the container: the rootfs bound onto itself, /proc, /dev,
 * /sys, masks, volumes and tmpfs. Nothing here is looked up by a path the
 * image controls except through resolve.c (inside the root, no magic links),
 * and every mount goes onto what was resolved, as /proc/self/fd/N. The image
 * may hold any trap — symlinks anywhere, FIFOs, device nodes, a file where a
 * directory belongs — and the host may rename its files meanwhile: what is
 * mounted is checked, on fds, to be what was meant. */
#include "src/nanoctr.h"
#include "src/spec.h"

/* mount(2) onto the file fd is open on; returns 0 or -errno.
 * A directory is reached as "." after fchdir(fd), a file as /proc/self/fd/N:
 * both are exactly what fd is open on, but the magic link is a walk through
 * /proc making dentries for our pid, "fd" and N on every new fd (perf: the
 * largest part of mount(2)'s time in the setup). A directory bound onto
 * itself (src its own /proc/self/fd/N) is "." twice. This leaves the working
 * directory there; mount_volumes() takes it back for each volume's source. */
static int try_mount_at(const char *src, int fd, const char *type, unsigned long flags,
			const char *data)
{
	char target[32];

	fd_path(target, fd);
	if (sys_fchdir(fd) == 0)
		return sys_mount(src && str_eq(src, target) ? "." : src, ".", type, flags, data);
	return sys_mount(src, target, type, flags, data);
}

/* try_mount_at(), or die: one line naming what. */
static void mount_at(const char *src, int fd, const char *what, const char *type,
		     unsigned long flags, const char *data)
{
	int ret = try_mount_at(src, fd, type, flags, data);

	if (ret < 0)
		mount_failed(what, ret);
}

static NORETURN void changed(const char *what)
{
	die_code(EXIT_SETUP, what, "changed while being mounted (refused)");
}

/* After mounting onto below (an fd), the new mount as fd: again looked up
 * (name from dir without following, or path from the root), it must be
 * another mount than below's, of the filesystem magic (or 0: any). */
static int mounted(int dir, const char *name, int below, long magic, const char *what)
{
	int fd = name[0] == '/' ? resolve_in_root(dir, name)
				: sys_openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	struct statfs_buf fs;
	u64 a, b;

	if (fd < 0 || mount_id(fd, &a) < 0 || mount_id(below, &b) < 0 || a == b ||
	    (magic && (sys_fstatfs(fd, &fs) < 0 || fs.f_type != magic)))
		changed(what);
	return fd;
}

/* An existing directory of the rootfs, by name, not a symlink. */
static int rootfs_dir(int root, const char *name, const char *what)
{
	int fd = sys_openat(root, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC, 0);

	if (fd < 0)
		die(what, fd);
	return fd;
}

/* The rootfs bound onto itself, as a mount of its own; returns that mount's
 * root. The parent's fd is of the host's mount namespace, which mount(2)
 * does not take here (EINVAL): the rootfs is opened again in ours, the same
 * way, and must be the directory the parent checked. The bind goes on top
 * of it, where the fd does not follow: "proc/.." does (a ".." lands on the
 * top of what is mounted there), checked to be the rootfs, another mount. */
static int bind_rootfs(const struct config *cfg)
{
	char path[32];
	int rootfs = sys_open(cfg->rootfs, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC, 0);
	int proc, root;

	if (rootfs < 0)	/* e.g. beyond the reach of a user namespace's root */
		die(cfg->rootfs, rootfs);
	if (!same_inode(rootfs, cfg->rootfs_fd))
		die_code(EXIT_SETUP, cfg->rootfs, "rootfs changed since it was checked (refused)");
	sys_close(cfg->rootfs_fd);

	mount_at(fd_path(path, rootfs), rootfs, "the rootfs", NULL, MS_BIND | MS_REC, NULL);
	proc = rootfs_dir(rootfs, "proc", "/proc");
	root = sys_openat(proc, "..", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	sys_close(proc);
	if (root < 0 || !same_inode(root, rootfs))
		changed("the rootfs");
	sys_close(mounted(root, ".", rootfs, 0, "the rootfs"));
	sys_close(rootfs);
	return root;
}

static void make_dir(int dir, const char *name, int mode, const char *what)
{
	int ret = sys_mkdirat(dir, name, mode);

	if (ret < 0 && ret != -EEXIST)
		die(what, ret);
}

/* The few safe device nodes: all the container's /dev holds, and what
 * docker's device cgroup lets a container use by default. */
static const struct { char name[8]; unsigned char major, minor; } safe_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static int is_safe_node(const struct statx *st)
{
	for (unsigned i = 0; i < ARRAY_SIZE(safe_nodes); i++)
		if ((st->stx_mode & S_IFMT) == S_IFCHR && st->stx_rdev_major == safe_nodes[i].major &&
		    st->stx_rdev_minor == safe_nodes[i].minor)
			return 1;
	return 0;
}

/* Where mknod is not permitted (a user namespace), the host's node
 * (host_path) bound onto an empty file name in dir, as runc and bwrap do. */
static int bind_host_node(int dir, const char *name, const char *host_path)
{
	char target[32];
	int ret, fd = sys_openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);

	if (fd >= 0)
		sys_close(fd);
	fd = sys_openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	ret = sys_mount(host_path, fd_path(target, fd), NULL, MS_BIND, NULL);
	sys_close(fd);
	return ret;
}

/* /dev: a tmpfs with the safe nodes, pts, shm and mqueue; returns it. */
static int mount_dev(int root)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
		{ "pts/ptmx", "ptmx" },
	};
	/* source: as docker and runc's default config.json name them */
	static const struct { const char *name, *source, *type; int mode; unsigned long flags; const char *data; } subs[] = {
		{ "pts", "devpts", "devpts", 0755, MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5" },
		{ "shm", "shm", "tmpfs", 01777, MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k" },
		{ "mqueue", "mqueue", "mqueue", 0755, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	};
	int below = rootfs_dir(root, "dev", "/dev"), dev, ret;

	mount_at("tmpfs", below, "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k");
	dev = mounted(root, "dev", below, TMPFS_MAGIC, "/dev");
	sys_close(below);
	for (unsigned i = 0; i < ARRAY_SIZE(safe_nodes); i++) {
		char host[16];
		ret = sys_mknodat(dev, safe_nodes[i].name, S_IFCHR | 0666,
				  MKDEV(safe_nodes[i].major, safe_nodes[i].minor));
		if (ret == -EPERM)
			ret = bind_host_node(dev, safe_nodes[i].name,
					     concat(host, sizeof(host), "/dev/", safe_nodes[i].name, ""));
		if (ret < 0)
			die(safe_nodes[i].name, ret);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(links); i++)
		sys_symlinkat(links[i][0], dev, links[i][1]);
	for (unsigned i = 0; i < ARRAY_SIZE(subs); i++) {
		char what[16];
		concat(what, sizeof(what), "/dev/", subs[i].name, "");
		make_dir(dev, subs[i].name, subs[i].mode, what);
		below = rootfs_dir(dev, subs[i].name, what);
		ret = try_mount_at(subs[i].source, below, subs[i].type, subs[i].flags, subs[i].data);
		if (ret == -EINVAL && i == 0)	/* a user namespace without gid 5 */
			ret = try_mount_at("devpts", below, "devpts", subs[0].flags,
					   "newinstance,ptmxmode=0666,mode=0620");
		if (ret < 0)
			mount_failed(what, ret);
		sys_close(below);
	}
	return dev;
}

/* Hide what a container has no business reading or writing, as docker does:
 * files under /dev/null, directories under an empty read-only tmpfs, and a
 * few read-only binds. proc and sys are the container's fresh mounts. */
static void mask_paths(int proc, int sys, int dev)
{
	/* each: its kind (f: hide a file, d: hide a directory, r: read-only),
	 * the path, a NUL; packed, no pointer table */
	static const char masks[] =
		"f/proc/interrupts\0" "f/proc/kcore\0" "f/proc/keys\0" "f/proc/latency_stats\0"
		"f/proc/sched_debug\0" "f/proc/timer_list\0" "f/proc/timer_stats\0"
		"d/proc/acpi\0" "d/proc/asound\0" "d/proc/scsi\0"
		"d/sys/firmware\0" "d/sys/devices/virtual/powercap\0"
		"r/proc/bus\0" "r/proc/fs\0" "r/proc/irq\0" "r/proc/sys\0" "r/proc/sysrq-trigger\0";
	char null[32], self[32];
	int null_fd = sys_openat(dev, "null", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);

	if (null_fd < 0)
		die("/dev/null", null_fd);
	fd_path(null, null_fd);
	for (const char *m = masks; *m; m += str_len(m) + 1) {
		const char *path = m + 1, *name = str_prefix(path, "/proc/");
		int dir = name ? proc : sys, fd, top;
		if (!name)
			name = path + 5;	/* "/sys/" */
		fd = sys_openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			die(path, fd);
		if (*m == 'f') {
			mount_at(null, fd, path, NULL, MS_BIND, NULL);
		} else if (*m == 'd') {
			mount_at("tmpfs", fd, path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
				 "size=0");
		} else {
			mount_at(fd_path(self, fd), fd, path, NULL, MS_BIND | MS_REC, NULL);
			top = sys_openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
			if (top < 0)
				die(path, top);
			mount_at(NULL, top, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
				 MS_NODEV | MS_NOEXEC, NULL);
			sys_close(top);
		}
		sys_close(fd);
	}
	sys_close(null_fd);
}

/* The target of a volume or tmpfs, resolved and created inside the root as
 * what the source is: a directory, or a file. A FIFO or device node there is
 * only covered (O_PATH never opens it); a file for a directory is refused. */
static int volume_target(int root, const struct mount_request *m, int is_dir)
{
	struct statx st;
	int fd = resolve_create(root, m->target, is_dir), ret;

	if (fd < 0)
		die(m->target, fd);
	ret = sys_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &st);
	if (ret < 0)
		die(m->target, ret);
	if (is_dir && !S_ISDIR(st.stx_mode))
		die(m->target, -ENOTDIR);
	if (!is_dir && S_ISDIR(st.stx_mode))
		die(m->target, -EISDIR);
	return fd;
}

/* Is the volume's host source a directory (else a file: its target is one)?
 * Asked by path; the source opened later is checked to be the same type. */
static int source_is_dir(const struct mount_request *m)
{
	struct statx st;
	int ret;

	if (m->kind != MOUNT_BIND)
		return 1;
	ret = sys_statx(AT_FDCWD, m->source, 0, STATX_TYPE, &st);
	if (ret < 0)
		die(m->source, ret);
	return S_ISDIR(st.stx_mode);
}

/* Volumes: the target resolved (and made) first; only then is the host
 * source opened, bound recursively onto it and closed — no host fd is open
 * while an image path is resolved. The new mount, looked up again, must be
 * the source (device and inode taken from its fd); nodev (unless
 * --privileged) and read-only (:ro) go on its whole tree — except that a
 * file volume of one of the safe nodes (-v /dev/null:/etc/x, docker's way
 * to blank a file) stays usable, as in docker, whose device cgroup allows
 * these. tmpfs: mounted with its options. */
static void mount_volumes(const struct config *cfg, int root, int cwd)
{
	unsigned nodev = cfg->options & OPT_PRIVILEGED ? 0 : MOUNT_ATTR_NODEV;

	for (int i = 0; i < cfg->mount_count; i++) {
		const struct mount_request *m = &cfg->mounts[i];
		int is_dir, target, source, top;
		char path[32], data[TMPFS_DATA_MAX + 16];
		struct statx st, mounted_st;

		sys_fchdir(cwd);	/* a relative source is the caller's (mount_at moves it) */
		is_dir = source_is_dir(m);
		target = volume_target(root, m, is_dir);

		if (m->kind == MOUNT_TMPFS && SPEC(cfg)) {
			/* OCI: its type, source (the kernel's name for it) and data
			 * as given; the kernel decides what may be mounted (runc) */
			mount_at(*m->source ? m->source : m->fstype, target, m->target, m->fstype,
				 m->flags, m->data);
			sys_close(target);
			continue;
		}
		if (m->kind == MOUNT_TMPFS) {
			/* mode=1777 unless the user's own mode=, later, overrides it */
			concat(data, sizeof(data), "mode=1777", m->data && *m->data ? "," : "",
			       m->data ? m->data : "");
			mount_at("tmpfs", target, m->target, "tmpfs", m->flags, data);
			sys_close(target);
			continue;
		}
		source = sys_open(m->source, O_PATH | O_CLOEXEC, 0);
		if (source < 0)
			die(m->source, source);
		if (sys_statx(source, "", AT_EMPTY_PATH, STATX_TYPE | STATX_INO, &st) < 0 ||
		    S_ISDIR(st.stx_mode) != is_dir)
			changed(m->source);
		/* run's -v: the tree (docker's rbind); OCI: "bind" or "rbind" as asked */
		mount_at(fd_path(path, source), target, m->target, NULL,
			 MS_BIND | (SPEC(cfg) ? m->flags & MS_REC : MS_REC), NULL);
		sys_close(source);
		top = mounted(root, m->target, target, 0, m->target);
		if (sys_statx(top, "", AT_EMPTY_PATH, STATX_INO, &mounted_st) < 0 ||
		    mounted_st.stx_ino != st.stx_ino || mounted_st.stx_dev_major != st.stx_dev_major ||
		    mounted_st.stx_dev_minor != st.stx_dev_minor)
			changed(m->target);
		/* flags: OCI's nosuid/nodev/noexec/ro (0 for run), as MOUNT_ATTR_* */
		mount_tree_flags(top, m->target, (is_safe_node(&st) ? 0 : nodev) |
				 (m->read_only ? MOUNT_ATTR_RDONLY : 0) | (unsigned)(m->flags & 0xf));
		/* OCI: the mount's propagation, once made (runc: the same, per mount) */
		if (SPEC(cfg) && m->propagation)
			mount_at(NULL, top, m->target, NULL, m->propagation, NULL);
		sys_close(top);
		sys_close(target);
	}
}

/* The kernel's new_encode_dev(): MKDEV is only right for minors < 256. */
#define DEV_ENCODE(ma, mi) (((mi) & 0xff) | ((ma) << 8) | (((mi) & ~0xffu) << 12))

/* linux.devices, in the child before the root switch, with every
 * capability: each node made in the container's /dev tmpfs (dev, which
 * already holds the default nodes), its parents 0755, mode fileMode (umask
 * 0), owner uid:gid. An existing entry is left as it is, as runc does.
 * Where mknod is not permitted (EPERM: a user namespace), the host's node
 * is bind-mounted onto an empty file, as runc does there. Parents are
 * opened O_NOFOLLOW: /dev/fd/x cannot reach through a symlink. Dies on
 * any other error. */
static void oci_devices(const struct config *cfg, int dev)
{
	int mask = sys_umask(0);

	for (int i = 0; i < cfg->spec->device_count; i++) {
		const struct spec_device *d = &cfg->spec->devices[i];
		char name[PATH_LIMIT], *s = name, *slash;
		unsigned type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
		int dir = dev, fd, ret;

		concat(name, sizeof(name), d->path + 5, "", "");
		while ((slash = str_chr(s, '/'))) {
			*slash = 0;
			sys_mkdirat(dir, s, 0755);
			fd = sys_openat(dir, s, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
			if (dir != dev)
				sys_close(dir);
			if (fd < 0)
				die(d->path, fd);
			dir = fd;
			s = slash + 1;
		}
		ret = sys_mknodat(dir, s, type | (d->file_mode & 07777), DEV_ENCODE(d->major, d->minor));
		if (ret == 0)
			ret = sys_fchownat(dir, s, d->uid, d->gid, AT_SYMLINK_NOFOLLOW);
		else if (ret == -EPERM)
			ret = bind_host_node(dir, s, d->path);
		else if (ret == -EEXIST)
			ret = 0;
		if (dir != dev)
			sys_close(dir);
		if (ret < 0)
			die(d->path, ret);
	}
	sys_umask(mask);
}

/* In the child, in its new mount namespace, up to the root switch. The
 * image is only touched through the rootfs mount fd, by resolve.c. With
 * --read-only, the targets are made before the rootfs turns read-only
 * (recursively: with the mounts it holds), and volumes go on top
 * afterwards, writable unless :ro. */
void mount_container(const struct config *cfg)
{
	int root, below, proc, sys, dev, ret, cwd = sys_open(".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	unsigned attr = 0;

	if (cwd < 0)
		die("open the working directory", cwd);
	/* nothing made here may reach the host: a slave of it, or private when
	 * rootfsPropagation says so (runc's prepareRoot: from the start) */
	mount_or_die(NULL, "/", NULL, SPEC(cfg) && (cfg->spec->rootfs_propagation & MS_PRIVATE) ?
		     MS_REC | MS_PRIVATE : MS_REC | MS_SLAVE, NULL);
	root = bind_rootfs(cfg);
	/* OCI: no nodev, as runc: the config's device cgroup decides (podman
	 * --privileged reads a disk it made with mknod) */
	if (!(cfg->options & OPT_PRIVILEGED) && !SPEC(cfg))
		attr |= MOUNT_ATTR_NODEV;
	if (cfg->options & OPT_READ_ONLY) {
		attr |= MOUNT_ATTR_RDONLY;
		for (int i = 0; i < cfg->mount_count; i++)
			sys_close(volume_target(root, &cfg->mounts[i], source_is_dir(&cfg->mounts[i])));
	}
	mount_tree_flags(root, "the rootfs", attr);

	below = rootfs_dir(root, "proc", "/proc");
	mount_at("proc", below, "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	proc = mounted(root, "proc", below, PROC_SUPER_MAGIC, "/proc");
	sys_close(below);
	if (SPEC(cfg))
		oci_sysctl(cfg, proc);
	dev = mount_dev(root);
	if (SPEC(cfg))
		oci_devices(cfg, dev);
	below = rootfs_dir(root, "sys", "/sys");
	/* In a user namespace with the host's network namespace (not ours:
	 * sysfs is refused), the host's /sys read-only, as podman does there. */
	ret = try_mount_at("sysfs", below, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (ret == -EPERM)	/* also root of a user namespace (unshare -r) */
		ret = try_mount_at("/sys", below, NULL, MS_BIND | MS_REC, NULL) ?: 1;
	if (ret < 0)
		mount_failed("/sys", ret);
	sys = mounted(root, "sys", below, SYSFS_MAGIC, "/sys");
	if (ret)
		mount_tree_flags(sys, "/sys", MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				 MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	sys_close(below);
	if (!(cfg->options & OPT_PRIVILEGED) && !SPEC(cfg))	/* OCI: the spec's (oci_rootfs) */
		mask_paths(proc, sys, dev);
	sys_close(proc);
	sys_close(sys);
	sys_close(dev);
	mount_volumes(cfg, root, cwd);
	sys_close(cwd);
	if (SPEC(cfg))
		oci_rootfs(cfg, root);
	switch_root(root);
	if (SPEC(cfg))
		oci_root_propagation(cfg);
}
