/* What a config.json adds to the container's root, in the container's
 * setup (mount.c calls these in OCI builds only): linux.sysctl, the spec's
 * readonlyPaths and maskedPaths as given (runc's way: no defaults of
 * nanoctr's own added or kept), the createContainer hooks, and
 * rootfsPropagation. Paths are resolved inside the root (resolve.c). */
#include "src/nanoctr.h"
#include "src/spec.h"

/* A sysctl key as its path beneath /proc/sys: "net.ipv4.ip_forward" is
 * net/ipv4/ip_forward; a key holding '/' is taken as that path already
 * (sysctl(8): then dots are part of names, e.g. an interface "eth0.100").
 * Refused (-1): an empty, "." or ".." component: /proc/sys/.. is /proc. */
int sysctl_path(const char *key, char *out, unsigned long size)
{
	int slashes = !!str_chr(key, '/');
	char *p, *c;

	if (str_len(key) + 1 > size || !*key)
		return -1;
	cat(out, out + size - 1, key);
	for (p = out; *p; p++)
		if (!slashes && *p == '.')
			*p = '/';
	for (c = out; ; c = p + 1) {
		for (p = c; *p && *p != '/'; p++)
			;
		if (p == c || (p - c == 1 && c[0] == '.') || (p - c == 2 && c[0] == '.' && c[1] == '.'))
			return -1;
		if (!*p)
			return 0;
	}
}

/* linux.sysctl, through the container's fresh /proc (proc: its fd), in its
 * namespaces (spec_to_config checked each key is namespaced there). */
void oci_sysctl(const struct config *cfg, int proc)
{
	const struct spec *sp = cfg->spec;

	for (int i = 0; i < sp->sysctl_count; i++) {
		char path[PATH_LIMIT], what[PATH_LIMIT];
		long len = (long)str_len(sp->sysctl[i].value), ret;
		int fd;

		cat(path, path + sizeof(path) - 1, "sys/");
		sysctl_path(sp->sysctl[i].key, path + 4, sizeof(path) - 4);
		fd = sys_openat(proc, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
		ret = fd < 0 ? fd : sys_write(fd, sp->sysctl[i].value, len);
		if (fd >= 0)
			sys_close(fd);
		if (ret >= 0 && ret != len)
			ret = -EIO;
		if (ret < 0)
			die(concat(what, sizeof(what), "linux.sysctl: ", sp->sysctl[i].key, ""), (int)ret);
	}
}

/* readonlyPaths: each bound onto itself, then read-only with all it holds;
 * maskedPaths: /dev/null over a file, an empty read-only tmpfs over a
 * directory (runc's maskPath). A path that does not exist is skipped, as
 * runc does. Then the prestart and createRuntime hooks (the runtime runs
 * them) and the createContainer hooks: the root is complete. */
void oci_rootfs(const struct config *cfg, int root)
{
	const struct spec *sp = cfg->spec;
	char src[32], dst[32];
	int null = resolve_in_root(root, "/dev/null"), fd, top, ret;
	struct statx st;

	if (null < 0)
		die("/dev/null", null);
	for (int i = 0; i < sp->readonly_count; i++) {
		const char *path = sp->readonly_paths[i];
		fd = resolve_in_root(root, path);
		if (fd == -ENOENT)
			continue;
		ret = fd < 0 ? fd : sys_mount(fd_path(src, fd), fd_path(dst, fd), NULL, MS_BIND | MS_REC, NULL);
		if (ret < 0)
			mount_failed(path, ret);
		top = resolve_in_root(root, path);
		if (top < 0)
			die(path, top);
		mount_tree_flags(top, path, MOUNT_ATTR_RDONLY);
		sys_close(top);
		sys_close(fd);
	}
	for (int i = 0; i < sp->masked_count; i++) {
		const char *path = sp->masked_paths[i];
		fd = resolve_in_root(root, path);
		if (fd == -ENOENT)
			continue;
		ret = fd < 0 ? fd : sys_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &st);
		if (ret == 0 && S_ISDIR(st.stx_mode))
			ret = sys_mount("tmpfs", fd_path(dst, fd), "tmpfs",
					MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0");
		else if (ret == 0)
			ret = sys_mount(fd_path(src, null), fd_path(dst, fd), NULL, MS_BIND, NULL);
		if (ret < 0)
			mount_failed(path, ret);
		sys_close(fd);
	}
	sys_close(null);
	/* the runtime's prestart and createRuntime hooks, then ours: all before
	 * the root switch, in that order (runtime-spec config.md; runc's
	 * syncParentHooks): a hook may still reach the rootfs by its host path */
	if (child_area.hooks[0] >= 0) {
		char answer;
		if (sys_write(child_area.hooks[0], "h", 1) != 1 ||
		    sys_read(child_area.hooks[1], &answer, 1) != 1)
			sys_exit(EXIT_SETUP);	/* a hook failed: the runtime said why */
		sys_close(child_area.hooks[0]);
		sys_close(child_area.hooks[1]);
	}
	oci_hooks_child(cfg, HOOK_CREATE_CONTAINER);
}

/* After the root switch: linux.rootfsPropagation on the new "/" (runc
 * applies it there too, and skips private: nothing to undo then, and a
 * mount's own "rshared" stays). The namespace itself was made a slave of
 * the host's first (mount.c), so nothing mounted in the container reaches
 * the host, whatever is asked here. */
void oci_root_propagation(const struct config *cfg)
{
	if (cfg->spec->rootfs_propagation && !(cfg->spec->rootfs_propagation & MS_PRIVATE))
		mount_or_die(NULL, "/", NULL, cfg->spec->rootfs_propagation, NULL);
}
