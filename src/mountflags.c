/* Flags on a whole mount tree — read-only, nodev — added to what each mount
 * already has, never replacing it: a remount that dropped nosuid, nodev,
 * noexec or the atime mode would quietly undo the host's protections (and is
 * refused with EPERM in a user namespace, where those flags are locked).
 * mount_setattr(AT_RECURSIVE) does it in one call (5.12+); before, each
 * mount of the tree is remounted with the flags statfs reports plus ours. */
#include "src/nanoctr.h"

#define MAX_TREE	256	/* mounts in one tree, for the fallback */

/* "nanoctr: mount <what>: <why>" */
NORETURN void mount_failed(const char *what, int err)
{
	char text[PATH_LIMIT + 8];

	concat(text, sizeof(text), "mount ", what, "");
	if (err == -ENOSPC)	/* the kernel's way of saying "too many mounts" */
		die_code(EXIT_SETUP, text, "No space left on device (mount limit reached?)");
	die(text, err);
}

void mount_or_die(const char *src, const char *dst, const char *type,
		  unsigned long flags, const char *data)
{
	int ret = sys_mount(src, dst, type, flags, data);

	if (ret < 0)
		mount_failed(dst, ret);
}

/* Remount the mount fd is the root of, keeping its flags (statfs(2) f_flags,
 * the ST_* bits; no atime bit means strictatime) and adding ms_flags. */
static int remount_keeping(int fd, unsigned long ms_flags)
{
	static const unsigned map[][2] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
	};
	struct statfs_buf fs;
	char path[32];
	int ret = sys_fstatfs(fd, &fs);

	if (ret < 0)
		return ret;
	for (unsigned i = 0; i < ARRAY_SIZE(map); i++)
		if (fs.f_flags & map[i][0])
			ms_flags |= map[i][1];
	if (!(fs.f_flags & (ST_NOATIME | ST_RELATIME)))
		ms_flags |= MS_STRICTATIME;
	return sys_mount(NULL, fd_path(path, fd), NULL, MS_REMOUNT | MS_BIND | ms_flags, NULL);
}

/* One mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT ..."; the mount
 * point with its octal escapes (\040) decoded in place. */
static int parse_line(char *line, u64 *id, u64 *parent, char **point)
{
	const char *p = line;
	char *in, *out;

	if (parse_u64(p, &p, id) < 0 || *p++ != ' ' || parse_u64(p, &p, parent) < 0)
		return -EINVAL;
	for (int field = 2; field < 4; field++) {
		p = str_chr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	*point = out = (char *)p + 1;
	for (in = out; *in && *in != ' '; in++, out++) {
		*out = *in;
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] && in[3]) {
			*out = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 | (in[3] - '0'));
			in += 3;
		}
	}
	*out = 0;
	return 0;
}

/* The fallback: every mount whose parent is in the tree joins it (mountinfo
 * lists parents first; the file is read again until nothing joins). Each is
 * opened by its mount point and must be that mount: else it moved, refused. */
static void remount_tree(int top, const char *what, unsigned long ms_flags)
{
	u64 tree[MAX_TREE];
	char buf[8192];
	int count = 1, added = 1, ret;

	ret = mount_id(top, &tree[0]);
	if (ret == 0)
		ret = remount_keeping(top, ms_flags);
	if (ret < 0)
		die(what, ret);
	while (added) {
		int fd = sys_open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC, 0), len = 0;
		long n;
		if (fd < 0)
			die("open /proc/self/mountinfo", fd);
		added = 0;
		while ((n = sys_read(fd, buf + len, sizeof(buf) - 1 - len)) > 0 || len > 0) {
			char *line = buf, *nl, *point;
			u64 id, parent, seen;
			int i, in_tree = 0, mnt;
			len += n > 0 ? n : 0;
			buf[len] = 0;
			nl = str_chr(buf, '\n');
			if (!nl && n > 0 && len < (int)sizeof(buf) - 1)
				continue;
			if (!nl)
				nl = buf + len;
			*nl = 0;
			if (parse_line(line, &id, &parent, &point) == 0) {
				for (i = 0; i < count && tree[i] != id; i++)
					in_tree |= tree[i] == parent;
				if (i == count && in_tree) {
					if (count == MAX_TREE)
						die_code(EXIT_SETUP, what, "too many mounts beneath it");
					tree[count++] = id;
					added = 1;
					mnt = sys_open(point, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
					if (mnt < 0)
						die(point, mnt);
					if (mount_id(mnt, &seen) < 0 || seen != id)
						die_code(EXIT_SETUP, point, "mount moved while being remounted (refused)");
					ret = remount_keeping(mnt, ms_flags);
					if (ret < 0)
						die(point, ret);
					sys_close(mnt);
				}
			}
			n = nl < buf + len ? nl + 1 - buf : len;
			memmove(buf, buf + n, len - n);
			len -= n;
		}
		sys_close(fd);
	}
}

/* Add attr (MOUNT_ATTR_RDONLY, _NODEV) to mnt — a mount root — and to every
 * mount beneath it. what names it in errors. */
void mount_tree_flags(int mnt, const char *what, unsigned attr)
{
	struct mount_attr set = { attr, 0, 0, 0 };
	int ret;

	if (!attr)
		return;
	ret = sys_mount_setattr(mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &set);
	if (ret == -ENOSYS || ret == -EPERM)	/* before 5.12, or a profile without it */
		remount_tree(mnt, what, attr);	/* MOUNT_ATTR_RDONLY..NOEXEC == MS_RDONLY..MS_NOEXEC */
	else if (ret < 0)
		die(what, ret);
}
