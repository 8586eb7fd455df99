/* config.json's mounts: runc's mount options to MS_* flags, propagation,
 * recursive attributes and data; destinations cleaned lexically. */
#include "src/oci-loader.h"

enum { OPT_SET, OPT_CLEAR, OPT_PROPAGATION, OPT_ATTR_SET, OPT_ATTR_CLEAR, OPT_EXTENSION };

/* runc 1.1's parseMountOptions (libcontainer/specconv): flags, their
 * negations, propagation, recursive mount_setattr attributes, tmpcopyup.
 * Anything else is the filesystem's data, in order. */
static const struct mount_option {
	char name[15];
	unsigned char kind;
	unsigned value;
} mount_options[] = {
	{ "async", OPT_CLEAR, MS_SYNCHRONOUS },
	{ "atime", OPT_CLEAR, MS_NOATIME }, { "bind", OPT_SET, MS_BIND },
	{ "defaults", OPT_SET, 0 }, { "dev", OPT_CLEAR, MS_NODEV },
	{ "diratime", OPT_CLEAR, MS_NODIRATIME }, { "dirsync", OPT_SET, MS_DIRSYNC },
	{ "exec", OPT_CLEAR, MS_NOEXEC }, { "iversion", OPT_SET, 1 << 23 },
	{ "lazytime", OPT_SET, 1 << 25 }, { "loud", OPT_CLEAR, 1 << 15 },
	{ "mand", OPT_SET, MS_MANDLOCK },
	{ "noatime", OPT_SET, MS_NOATIME }, { "nodev", OPT_SET, MS_NODEV },
	{ "nodiratime", OPT_SET, MS_NODIRATIME }, { "noexec", OPT_SET, MS_NOEXEC },
	{ "noiversion", OPT_CLEAR, 1 << 23 }, { "nolazytime", OPT_CLEAR, 1 << 25 },
	{ "nomand", OPT_CLEAR, MS_MANDLOCK }, { "norelatime", OPT_CLEAR, MS_RELATIME },
	{ "nostrictatime", OPT_CLEAR, MS_STRICTATIME }, { "nosuid", OPT_SET, MS_NOSUID },
	{ "rbind", OPT_SET, MS_BIND | MS_REC }, { "relatime", OPT_SET, MS_RELATIME },
	{ "remount", OPT_SET, MS_REMOUNT }, { "ro", OPT_SET, MS_RDONLY },
	{ "rw", OPT_CLEAR, MS_RDONLY }, { "silent", OPT_SET, 1 << 15 },
	{ "strictatime", OPT_SET, MS_STRICTATIME }, { "suid", OPT_CLEAR, MS_NOSUID },
	{ "sync", OPT_SET, MS_SYNCHRONOUS },
	{ "private", OPT_PROPAGATION, MS_PRIVATE },
	{ "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
	{ "shared", OPT_PROPAGATION, MS_SHARED },
	{ "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
	{ "slave", OPT_PROPAGATION, MS_SLAVE },
	{ "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
	{ "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
	{ "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },
	{ "rro", OPT_ATTR_SET, MOUNT_ATTR_RDONLY }, { "rrw", OPT_ATTR_CLEAR, MOUNT_ATTR_RDONLY },
	{ "rnosuid", OPT_ATTR_SET, MOUNT_ATTR_NOSUID }, { "rsuid", OPT_ATTR_CLEAR, MOUNT_ATTR_NOSUID },
	{ "rnodev", OPT_ATTR_SET, MOUNT_ATTR_NODEV }, { "rdev", OPT_ATTR_CLEAR, MOUNT_ATTR_NODEV },
	{ "rnoexec", OPT_ATTR_SET, MOUNT_ATTR_NOEXEC }, { "rexec", OPT_ATTR_CLEAR, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", OPT_ATTR_SET, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", OPT_ATTR_CLEAR, MOUNT_ATTR_NODIRATIME },
	/* the atime field: clear it, then set the mode (relatime is 0) */
	{ "rrelatime", OPT_ATTR_SET, MOUNT_ATTR__ATIME << 8 },
	{ "rnorelatime", OPT_ATTR_CLEAR, 0 },
	{ "rnoatime", OPT_ATTR_SET, MOUNT_ATTR__ATIME << 8 | MOUNT_ATTR_NOATIME },
	{ "ratime", OPT_ATTR_CLEAR, MOUNT_ATTR_NOATIME },
	{ "rstrictatime", OPT_ATTR_SET, MOUNT_ATTR__ATIME << 8 | MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", OPT_ATTR_CLEAR, MOUNT_ATTR_STRICTATIME },
	{ "tmpcopyup", OPT_EXTENSION, MOUNT_TMPCOPYUP },
};

/* The i-th option name mount_option knows (for `nanoctr features`), NULL past the last. */
const char *mount_option_name(unsigned i)
{
	return i < ARRAY_SIZE(mount_options) ? mount_options[i].name : NULL;
}

static void mount_option(struct spec_mount *m, const char *name, char **data, char *data_end)
{
	for (unsigned i = 0; i < ARRAY_SIZE(mount_options); i++) {
		const struct mount_option *o = &mount_options[i];
		if (!str_eq(name, o->name))
			continue;
		switch (o->kind) {
		case OPT_SET: m->flags |= o->value; break;
		case OPT_CLEAR: m->flags &= ~(unsigned long)o->value; break;
		case OPT_PROPAGATION: m->propagation = o->value; break;
		case OPT_ATTR_SET:	/* high byte: attributes to clear first */
			m->attr_clear |= o->value >> 8;
			m->attr_set = (m->attr_set & ~(o->value >> 8)) | (o->value & 0xff);
			break;
		case OPT_ATTR_CLEAR:
			m->attr_clear |= o->value;
			m->attr_set &= ~o->value;
			break;
		default: m->extensions |= o->value;
		}
		return;
	}
	if (*data != m->data)
		*data = cat(*data, data_end, ",");
	*data = cat(*data, data_end, name);
}

/* Clean path lexically into dst (Go's filepath.Clean of "/" + path): no
 * "", "." or ".." components, no trailing "/". Returns the end of dst, or
 * NULL when a ".." would climb above "/" (then dst is cleaned as if it
 * stayed there, as Clean does). dst has room for str_len(path) + 2. */
char *ld_path_clean(char *dst, const char *path)
{
	char *p = dst;
	int above = 0;

	for (const char *s = path; *s;) {
		const char *e = s;
		while (*e && *e != '/')
			e++;
		if (e - s == 2 && s[0] == '.' && s[1] == '.') {
			if (p == dst)
				above = 1;
			while (p > dst && *--p != '/')
				;
		} else if (e > s && !(e - s == 1 && *s == '.')) {
			*p++ = '/';
			memcpy(p, s, e - s);
			p += e - s;
		}
		s = *e ? e + 1 : e;
	}
	if (p == dst)
		*p++ = '/';
	*p = 0;
	return above ? NULL : p;
}

/* A warning line about the field being read, which stays as it was:
 * "nanoctr: warning: config.json: <field>: <what> "<value>"". */
static void warn_field(struct loader *L, const char *what, const char *value)
{
	char line[PATH_LIMIT];

	ld_fail_quoted(L, what, value);
	concat(line, sizeof(line), "nanoctr: warning: ", L->err, "\n");
	put(2, line);
	L->err[0] = 0;
}

/* runc 1.1 (securejoin) resolves a destination inside the container's
 * root whatever it says: relative ones from "/" (with a deprecation
 * warning), ".." never above "/". Cleaned the same way here, with a
 * warning for both, so the engine only ever sees "/clean/path". */
static int clean_destination(struct loader *L, const char *dest, const char **out)
{
	char *buf = ld_alloc(L, str_len(dest) + 2), *end;

	if (!buf)
		return ld_fail_memory(L);
	if (*dest != '/')
		warn_field(L, "not absolute, taken from the container's root:", dest);
	end = ld_path_clean(buf, dest);
	if (!end) {
		warn_field(L, "\"..\" above the container's root, kept at the root:", dest);
		end = buf + str_len(buf);
	}
	L->next = end + 1;
	*out = buf;
	return 0;
}

/* linux.devices[].path, cleaned: it must name a node strictly beneath /dev,
 * the engine's own tmpfs, where oci_devices() makes it. Returns 0, or
 * -1 with L->err set. */
int ld_device_path(struct loader *L, const char **path)
{
	char *buf = ld_alloc(L, str_len(*path) + 2), *end;

	if (!buf)
		return ld_fail_memory(L);
	end = ld_path_clean(buf, *path);
	ld_push(L, "path", 0);
	if (!end || !str_prefix(buf, "/dev/"))
		return ld_fail_quoted(L, "not beneath /dev:", *path);
	L->depth--;
	L->next = end + 1;
	*path = buf;
	return 0;
}

int ld_load_mount(struct loader *L, unsigned tok, void *item)
{
	struct spec_mount *m = item;
	const char *dest = NULL;
	char *const *options = NULL;
	char *data, *data_end;

	m->source = m->type = "";
	TRY(ld_get_string(L, tok, "destination", &dest));
	ld_push(L, "destination", 0);
	if (!dest)
		return ld_fail(L, "missing");
	TRY(clean_destination(L, dest, &m->destination));
	L->depth--;
	TRY(ld_get_string(L, tok, "source", &m->source));
	TRY(ld_get_string(L, tok, "type", &m->type));
	TRY(ld_get_strings(L, tok, "options", &options, NULL));
	m->data = "";
	if (options) {
		unsigned long size = 1;
		for (int i = 0; options[i]; i++)
			size += str_len(options[i]) + 1;
		if (!(data = ld_alloc(L, size)))
			return ld_fail_memory(L);
		*data = 0;
		m->data = data;
		data_end = data + size - 1;
		for (int i = 0; options[i]; i++)
			mount_option(m, options[i], &data, data_end);
	}
	return 0;
}

int ld_propagation(struct loader *L, const char *name, unsigned long *out)
{
	static const char names[][12] = { "private", "rprivate", "shared", "rshared", "slave",
					  "rslave", "unbindable", "runbindable" };
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (str_eq(name, names[i])) {
			struct spec_mount m;
			mount_option(&m, name, NULL, NULL);
			*out = m.propagation;
			return 0;
		}
	return ld_fail_quoted(L, "unknown propagation", name);
}
