/* -v SRC:DST[:MODE] and --tmpfs DST[:OPTIONS] as docker reads them: the
 * destination cleaned as filepath.Clean, docker's volume modes and tmpfs
 * options, into the config's mounts (args.c parses the rest of argv). */
#include "src/nanoctr.h"
#include "src/args.h"

/* A path cleaned as docker's filepath.Clean: no "." or empty components, a
 * ".." takes the one before it away (at "/" it stays there, as the kernel's
 * ".." does), no trailing "/". In place: the result is never longer. */
static void clean_path(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		char *name;
		size_t len;
		while (*p == '/')
			p++;
		for (name = p; *p && *p != '/'; p++)
			;
		len = p - name;
		if (len == 0 || (len == 1 && name[0] == '.'))
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, name, len);
		out += len;
	}
	if (out == path)
		*out++ = '/';
	*out = 0;
}

/* --tmpfs DST[:OPTIONS]: docker's options. Flags become MS_* flags; the
 * tmpfs options (size=, mode=, ...) go to the kernel, in place in options,
 * after a check of their values here: bad input is refused before anything
 * exists. Default: nosuid, nodev, noexec, mode=1777, as docker. */
static void parse_tmpfs_options(const struct option *opt, struct mount_request *m, char *options)
{
	static const struct { char name[12]; unsigned set, clear; } flags[] = {
		{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY },
		{ "nosuid", MS_NOSUID, 0 }, { "suid", 0, MS_NOSUID },
		{ "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
		{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC },
		{ "sync", MS_SYNCHRONOUS, 0 }, { "async", 0, MS_SYNCHRONOUS },
		{ "noatime", MS_NOATIME, MS_STRICTATIME }, { "atime", 0, MS_NOATIME },
		{ "nodiratime", MS_NODIRATIME, 0 }, { "diratime", 0, MS_NODIRATIME },
		{ "relatime", 0, MS_NOATIME | MS_STRICTATIME },
		{ "strictatime", MS_STRICTATIME, MS_NOATIME },
	};
	/* key=, and what its value may be: 'n' a number with k/m/g (size=
	 * also %), 'o' octal (mode), 'd' decimal (uid, gid) */
	static const char *const keys[] = { "nsize=", "nnr_blocks=", "nnr_inodes=", "omode=", "duid=", "dgid=" };
	char *data = options, *next;

	m->flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	m->data = options;
	if (str_len(options) >= TMPFS_DATA_MAX)
		bad_value(opt, options, "options too long");
	for (char *o = options; o; o = next) {
		const char *value = NULL, *p;
		unsigned i;
		u64 v;
		next = str_chr(o, ',');
		if (next)
			*next++ = 0;
		if (!*o)
			continue;
		for (i = 0; i < ARRAY_SIZE(flags) && !str_eq(o, flags[i].name); i++)
			;
		if (i < ARRAY_SIZE(flags)) {
			m->flags = (m->flags & ~flags[i].clear) | flags[i].set;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(keys) && !(value = str_prefix(o, keys[i] + 1)); i++)
			;
		if (i == ARRAY_SIZE(keys))
			bad_value(opt, o, "unknown tmpfs option");
		if (keys[i][0] == 'o') {
			for (p = value, v = 0; *p >= '0' && *p <= '7' && v <= 07777; p++)
				v = v * 8 + (*p - '0');
			if (p == value || *p || v > 07777)
				bad_value(opt, o, "mode must be octal, at most 7777");
		} else if (parse_u64(value, &p, &v) < 0 ||
			   (keys[i][0] == 'd' ? (*p || v > 0xfffffffeULL) :
			    *p && (p[1] || !str_chr(i == 0 ? "kKmMgG%" : "kKmMgG", *p))))
			bad_value(opt, o, "invalid number");
		/* a tmpfs option: keep it for the kernel */
		if (data != options)
			*data++ = ',';
		memmove(data, o, str_len(o));
		data += str_len(o);
	}
	*data = 0;
}

/* -v's MODE as docker takes it for a bind (moby volume/mounts/linux_parser.go
 * ValidMountMode): a comma-separated list with at most one of each kind —
 * ro or rw; z or Z (SELinux relabelling: nothing to do on a host without
 * it, which is docker's answer there too); consistent, cached or delegated
 * (Docker Desktop's, no-ops on Linux). Propagation modes are refused: the
 * container's mounts are slaves of the host's, whatever is asked. */
static void parse_volume_mode(const struct option *opt, struct mount_request *m,
			      const char *mode)
{
	static const char *const kinds[][3] = {
		{ "ro", "rw", "" }, { "z", "Z", "" }, { "consistent", "cached", "delegated" },
	};
	unsigned seen = 0;

	for (const char *o = mode, *end;; o = end + 1) {
		unsigned k, i = 3;
		size_t len;
		for (end = o; *end && *end != ','; end++)
			;
		len = end - o;
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			for (i = 0; i < 3 && !(len && str_len(kinds[k][i]) == len &&
					       !memcmp(o, kinds[k][i], len)); i++)
				;
			if (i < 3)
				break;
		}
		if (k == ARRAY_SIZE(kinds) || (seen & (1U << k)))
			bad_value(opt, mode, "invalid mode (ro or rw, z or Z, consistent, cached or delegated: one of each)");
		seen |= 1U << k;
		if (k == 0)
			m->read_only = i == 0;
		if (!*end)
			break;
	}
}

/* -v SRC:DST[:ro|rw] and --tmpfs DST[:OPTIONS]. DST is cleaned, then "/"
 * is refused (the rootfs is mounted there). */
void add_mount(struct config *cfg, const struct option *opt, char *spec, int kind)
{
	struct mount_request *m;
	char *target = spec, *mode;

	if (cfg->mount_count >= cfg->mount_room)
		cfg->mounts = grow(cfg->mounts, &cfg->mount_room, sizeof(*cfg->mounts), opt, spec);
	m = &cfg->mounts[cfg->mount_count++];
	memset(m, 0, sizeof(*m));	/* main()'s stack */
	m->kind = kind;
	m->data = "";
	if (kind == MOUNT_BIND) {
		target = str_chr(spec, ':');
		if (!target)
			bad_value(opt, spec, "expected SRC:DST[:ro]");
		*target++ = 0;
		mode = str_chr(target, ':');
		if (mode) {
			*mode++ = 0;
			parse_volume_mode(opt, m, mode);
		}
		check_path(opt, spec);
		m->source = spec;
	} else {
		char *options = str_chr(spec, ':');
		if (options)
			*options++ = 0;
		parse_tmpfs_options(opt, m, options ? options : target + str_len(target));
	}
	check_path(opt, target);
	clean_path(target);
	if (str_eq(target, "/"))
		bad_value(opt, target, "cannot mount over the container's root");
	m->target = target;
}
