/* config.json → struct spec. The file is read whole, parsed by json.c and
 * walked once; every value lands in one arena (an anonymous mmap sized from
 * the file's length), so there is no fixed limit and no malloc. Every error
 * is one line naming the field, e.g.
 *   config.json: linux.namespaces[2].type: unknown namespace "foo"
 *   config.json: process.user.uid: expected a number at offset 312
 * Types and names are checked as runc 1.1 checks them (Go's encoding/json,
 * then specconv and the config validator); null counts as absent.
 *
 * Left to the engine (it needs the filesystem or the kernel): root.path
 * existing as a directory; namespace paths being namespaces of the right
 * type; mount sources existing; sysctl names being namespaced and allowed;
 * capabilities beyond the kernel's last; whether linux.seccomp,
 * apparmorProfile, selinuxLabel, mountLabel can be honoured. */
#include "src/spec.h"

struct loader {
	struct json j;
	char *next, *end;		/* the arena's free part */
	int depth;			/* the field being read, for errors */
	struct { const char *key; int index; } at[8];
	char *err;
	unsigned long err_size;
};

#define TRY(x) do { if ((x) < 0) return -1; } while (0)

static void push(struct loader *L, const char *key, int index)
{
	L->at[L->depth].key = key;
	L->at[L->depth++].index = index;
}

/* s into [p, end) on one line whatever it holds: controls, '"' and '\\'
 * escaped (\xNN, \", \\); "..." when cut at the end of the buffer. */
static char *cat_escaped(char *p, char *end, const char *s)
{
	for (; *s && p < end - 8; s++) {
		unsigned char c = *s;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			*p++ = '\\';
			if (c != '"' && c != '\\') {
				*p++ = 'x';
				*p++ = "0123456789abcdef"[c >> 4];
				c = "0123456789abcdef"[c & 15];
			}
		}
		*p++ = c;
	}
	*p = 0;
	return *s ? cat(p, end, "...") : p;
}

/* "config.json: <field>: <what>[ "<quoted>"]" into L->err; returns -1. */
static int fail_quoted(struct loader *L, const char *what, const char *quoted)
{
	char *p = L->err, *end = L->err + L->err_size - 1;

	p = cat(p, end, "config.json: ");
	for (int i = 0; i < L->depth; i++) {
		if (L->at[i].key) {
			if (i)
				p = cat(p, end, ".");
			p = cat_escaped(p, end, L->at[i].key);
		} else {
			p = cat_u64(cat(p, end, "["), end, L->at[i].index);
			p = cat(p, end, "]");
		}
	}
	if (L->depth)
		p = cat(p, end, ": ");
	p = cat(p, end, what);
	if (quoted)
		cat(cat_escaped(cat(p, end, " \""), end, quoted), end, "\"");
	return -1;
}

static int fail(struct loader *L, const char *what)
{
	return fail_quoted(L, what, NULL);
}

/* json.c's error, with its offset */
static int fail_json(struct loader *L)
{
	char what[96];

	cat_u64(cat(cat(what, what + 60, L->j.error), what + 60, " at offset "), what + 95,
		L->j.error_offset);
	return fail(L, what);
}

static void *alloc(struct loader *L, unsigned long size)
{
	char *p = (char *)(((unsigned long)L->next + 7) & ~7UL);

	if (size > (unsigned long)(L->end - p))
		return NULL;	/* cannot happen: the arena is sized for the worst case */
	L->next = p + size;
	return p;
}

static int fail_memory(struct loader *L)
{
	return fail(L, "Cannot allocate memory");
}

/* The value of key in obj if it has type type: its token; 0 when absent or
 * null; -1 (error set, the key pushed) when of another type. On success the
 * key is pushed too: the caller pops it (L->depth--) when done. */
static long field(struct loader *L, unsigned obj, const char *key, int type)
{
	unsigned tok = json_get(&L->j, obj, key);

	push(L, key, 0);
	if (!tok || L->j.tokens[tok].type == JSON_NULL)
		return 0;
	if (json_expect(&L->j, tok, type) < 0)
		return fail_json(L);
	return tok;
}

static const char *string(struct loader *L, unsigned tok)
{
	unsigned long cap = 3UL * (L->j.tokens[tok].end - L->j.tokens[tok].start) + 1;
	char *s = alloc(L, cap);
	long n;

	if (!s)
		return fail_memory(L), NULL;
	n = json_string(&L->j, tok, s, cap);
	if (n < 0)
		return fail_json(L), NULL;
	L->next = s + n + 1;
	return s;
}

/* A string field: *out stays as it was when absent. */
static int get_string(struct loader *L, unsigned obj, const char *key, const char **out)
{
	long tok = field(L, obj, key, JSON_STRING);

	TRY(tok);
	if (tok && !(*out = string(L, tok)))
		return -1;
	L->depth--;
	return 0;
}

static int get_bool(struct loader *L, unsigned obj, const char *key, int *out)
{
	unsigned tok = json_get(&L->j, obj, key);

	push(L, key, 0);
	if (tok && L->j.tokens[tok].type != JSON_NULL && json_bool(&L->j, tok, out) < 0)
		return fail_json(L);
	L->depth--;
	return 0;
}

/* An integer field in [min, max]; *present set to 1 when given. */
static int get_int(struct loader *L, unsigned obj, const char *key, long long min,
		   long long max, long long *out, int *present)
{
	unsigned tok = json_get(&L->j, obj, key);

	push(L, key, 0);
	if (tok && L->j.tokens[tok].type != JSON_NULL) {
		if (json_int(&L->j, tok, min, max, out) < 0)
			return fail_json(L);
		if (present)
			*present = 1;
	}
	L->depth--;
	return 0;
}

static int get_u32(struct loader *L, unsigned obj, const char *key, u32 *out)
{
	long long v = *out;

	TRY(get_int(L, obj, key, 0, 0xffffffffLL, &v, NULL));
	*out = (u32)v;
	return 0;
}

static int get_u64(struct loader *L, unsigned obj, const char *key, u64 *out)
{
	unsigned tok = json_get(&L->j, obj, key);

	push(L, key, 0);
	if (tok && L->j.tokens[tok].type != JSON_NULL &&
	    json_uint(&L->j, tok, ~0ULL, (unsigned long long *)out) < 0)
		return fail_json(L);
	L->depth--;
	return 0;
}

/* An array of strings: NULL-terminated, count in *count. Absent: *out unchanged. */
static int get_strings(struct loader *L, unsigned obj, const char *key, char *const **out,
		       int *count)
{
	long tok = field(L, obj, key, JSON_ARRAY);
	const char **list;
	int n = 0;

	TRY(tok);
	if (tok) {
		if (!(list = alloc(L, (L->j.tokens[tok].count + 1) * sizeof(*list))))
			return fail_memory(L);
		for (unsigned e = json_first(&L->j, tok); e; e = json_next(&L->j, e), n++) {
			push(L, NULL, n);
			if (json_expect(&L->j, e, JSON_STRING) < 0)
				return fail_json(L);
			if (!(list[n] = string(L, e)))
				return -1;
			L->depth--;
		}
		list[n] = NULL;
		*out = (char *const *)list;
		if (count)
			*count = n;
	}
	L->depth--;
	return 0;
}

/* A map of strings (annotations, sysctl): keys as written, in order. */
static int get_pairs(struct loader *L, unsigned obj, const char *key,
		     const struct spec_pair **out, int *count)
{
	long tok = field(L, obj, key, JSON_OBJECT);
	struct spec_pair *pairs;
	int n = 0;

	TRY(tok);
	if (tok) {
		if (!(pairs = alloc(L, L->j.tokens[tok].count * sizeof(*pairs) + 1)))
			return fail_memory(L);
		for (unsigned k = json_first(&L->j, tok); k; k = json_next(&L->j, k), n++) {
			if (!(pairs[n].key = string(L, k)))
				return -1;
			push(L, pairs[n].key, 0);
			if (json_expect(&L->j, k + 1, JSON_STRING) < 0)
				return fail_json(L);
			if (!(pairs[n].value = string(L, k + 1)))
				return -1;
			L->depth--;
		}
		*out = pairs;
		*count = n;
	}
	L->depth--;
	return 0;
}

/* Each element of array field key, an object, is given to fn with its index. */
static int each_object(struct loader *L, unsigned obj, const char *key, void *items,
		       unsigned item_size, int *count,
		       int (*fn)(struct loader *L, unsigned tok, void *item))
{
	long tok = field(L, obj, key, JSON_ARRAY);
	char *base;
	int n = 0;

	TRY(tok);
	if (tok) {
		if (!(base = alloc(L, L->j.tokens[tok].count * item_size + 1)))
			return fail_memory(L);
		memset(base, 0, L->j.tokens[tok].count * item_size);
		for (unsigned e = json_first(&L->j, tok); e; e = json_next(&L->j, e), n++) {
			push(L, NULL, n);
			if (json_expect(&L->j, e, JSON_OBJECT) < 0)
				return fail_json(L);
			TRY(fn(L, e, base + n * item_size));
			L->depth--;
		}
		*(void **)items = base;
		*count = n;
	}
	L->depth--;
	return 0;
}

static int absolute(struct loader *L, unsigned obj, const char *key, const char **out,
		    int required)
{
	TRY(get_string(L, obj, key, out));
	push(L, key, 0);
	if (!*out && required)
		return fail(L, "missing");
	if (*out && **out != '/')
		return fail_quoted(L, "must be an absolute path, not", *out);
	L->depth--;
	return 0;
}

/* --- process --- */

static int load_caps(struct loader *L, unsigned process, struct spec_process *p)
{
	long caps = field(L, process, "capabilities", JSON_OBJECT);

	TRY(caps);
	for (int set = 0; caps && set < CAP_SETS; set++) {
		char *const *names = NULL;
		TRY(get_strings(L, caps, cap_set_names[set], &names, NULL));
		for (int i = 0; names && names[i]; i++) {
			int n = cap_number(names[i]);
			if (n < 0) {
				push(L, cap_set_names[set], 0);
				push(L, NULL, i);
				return fail_quoted(L, "unknown capability", names[i]);
			}
			p->caps[set] |= 1ULL << n;
		}
	}
	L->depth--;
	return 0;
}

static int load_rlimit(struct loader *L, unsigned tok, void *item)
{
	struct spec_rlimit *r = item;
	const char *type = NULL;

	TRY(get_string(L, tok, "type", &type));
	push(L, "type", 0);
	if (!type)
		return fail(L, "missing");
	if ((r->resource = rlimit_number(type)) < 0)
		return fail_quoted(L, "unknown rlimit", type);
	for (struct spec_rlimit *o = r - L->at[L->depth - 2].index; o < r; o++)
		if (o->resource == r->resource)
			return fail_quoted(L, "duplicate rlimit", type);
	L->depth--;
	/* runtime-spec: both REQUIRED; Go leaves a missing one 0 */
	TRY(get_u64(L, tok, "soft", &r->soft));
	return get_u64(L, tok, "hard", &r->hard);
}

static int load_process(struct loader *L, unsigned root, struct spec_process *p)
{
	long process = field(L, root, "process", JSON_OBJECT), user, console;
	long long v;
	int given = 0, argc = 0;

	TRY(process);
	if (!process)
		return fail(L, "missing");	/* runc: "process property must not be empty" */
	TRY(get_bool(L, process, "terminal", &p->terminal));
	TRY(console = field(L, process, "consoleSize", JSON_OBJECT));
	if (console) {
		TRY(get_u32(L, console, "height", &p->console_height));
		TRY(get_u32(L, console, "width", &p->console_width));
	}
	L->depth--;
	TRY(user = field(L, process, "user", JSON_OBJECT));
	p->umask = -1;
	if (user) {
		TRY(get_u32(L, user, "uid", &p->uid));
		TRY(get_u32(L, user, "gid", &p->gid));
		TRY(get_int(L, user, "umask", 0, 0xffffffffLL, &v, &given));
		if (given)
			p->umask = (int)(v & 07777);
		long gids = field(L, user, "additionalGids", JSON_ARRAY);
		TRY(gids);
		if (gids) {
			u32 *list = alloc(L, L->j.tokens[gids].count * sizeof(u32) + 1);
			if (!list)
				return fail_memory(L);
			for (unsigned e = json_first(&L->j, gids); e; e = json_next(&L->j, e)) {
				unsigned long long g;
				push(L, NULL, p->additional_gid_count);
				if (json_uint(&L->j, e, 0xffffffffULL, &g) < 0)
					return fail_json(L);
				list[p->additional_gid_count++] = (u32)g;
				L->depth--;
			}
			p->additional_gids = list;
		}
		L->depth--;
	}
	L->depth--;
	TRY(get_strings(L, process, "args", &p->args, &argc));
	push(L, "args", 0);
	if (!argc)
		return fail(L, "must not be empty");	/* runc: "args must not be empty" */
	L->depth--;
	TRY(get_strings(L, process, "env", &p->env, NULL));
	for (int i = 0; p->env && p->env[i]; i++) {
		const char *eq = str_chr(p->env[i], '=');
		if (!eq || eq == p->env[i]) {	/* runc's init: "invalid environment variable" */
			push(L, "env", 0);
			push(L, NULL, i);
			return fail_quoted(L, "not NAME=VALUE:", p->env[i]);
		}
	}
	TRY(absolute(L, process, "cwd", &p->cwd, 1));
	TRY(load_caps(L, process, p));
	TRY(each_object(L, process, "rlimits", &p->rlimits, sizeof(struct spec_rlimit),
			&p->rlimit_count, load_rlimit));
	TRY(get_bool(L, process, "noNewPrivileges", &p->no_new_privileges));
	/* the kernel's range (OOM_SCORE_ADJ_MIN/MAX); runc leaves it to the write */
	TRY(get_int(L, process, "oomScoreAdj", -1000, 1000, &v, &p->has_oom_score_adj));
	p->oom_score_adj = (int)v;
	TRY(get_string(L, process, "apparmorProfile", &p->apparmor_profile));
	TRY(get_string(L, process, "selinuxLabel", &p->selinux_label));
	L->depth--;
	return 0;
}

/* --- mounts --- */

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
static char *path_clean(char *dst, const char *path)
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

/* A destination "above" "/" is refused: it can only mean outside. */
static int clean_destination(struct loader *L, const char *dest, const char **out)
{
	char *buf = alloc(L, str_len(dest) + 2), *end;

	if (!buf)
		return fail_memory(L);
	if (!(end = path_clean(buf, dest)))
		return fail_quoted(L, "leaves the container's root:", dest);
	L->next = end + 1;
	*out = buf;
	return 0;
}

static int load_mount(struct loader *L, unsigned tok, void *item)
{
	struct spec_mount *m = item;
	const char *dest = NULL;
	char *const *options = NULL;
	char *data, *data_end;

	m->source = m->type = "";
	TRY(get_string(L, tok, "destination", &dest));
	push(L, "destination", 0);
	if (!dest)
		return fail(L, "missing");
	if (*dest != '/') {	/* runc 1.1 accepts it with a deprecation warning */
		char line[PATH_LIMIT];
		int n = L->depth;
		fail_quoted(L, "not absolute, taken from the container's root:", dest);
		concat(line, sizeof(line), "nanoctr: warning: ", L->err, "\n");
		put(2, line);
		L->err[0] = 0;
		L->depth = n;
	}
	TRY(clean_destination(L, dest, &m->destination));
	L->depth--;
	TRY(get_string(L, tok, "source", &m->source));
	TRY(get_string(L, tok, "type", &m->type));
	TRY(get_strings(L, tok, "options", &options, NULL));
	m->data = "";
	if (options) {
		unsigned long size = 1;
		for (int i = 0; options[i]; i++)
			size += str_len(options[i]) + 1;
		if (!(data = alloc(L, size)))
			return fail_memory(L);
		*data = 0;
		m->data = data;
		data_end = data + size - 1;
		for (int i = 0; options[i]; i++)
			mount_option(m, options[i], &data, data_end);
	}
	return 0;
}

/* --- lx --- */

static int load_namespaces(struct loader *L, unsigned lx, struct spec *s)
{
	long list = field(L, lx, "namespaces", JSON_ARRAY);
	int i = 0;

	TRY(list);
	for (unsigned e = list ? json_first(&L->j, list) : 0; e; e = json_next(&L->j, e), i++) {
		const char *type = NULL, *path = NULL;
		int k;
		push(L, NULL, i);
		TRY(json_expect(&L->j, e, JSON_OBJECT) < 0 ? fail_json(L) : 0);
		TRY(get_string(L, e, "type", &type));
		TRY(absolute(L, e, "path", &path, 0));
		push(L, "type", 0);
		if (!type)
			return fail(L, "missing");
		for (k = 0; k < NS_KINDS && !str_eq(type, ns_names[k]); k++)
			;
		if (k == NS_KINDS)
			return fail_quoted(L, "unknown namespace", type);
		if (s->namespaces[k].wanted)	/* runc: "duplicated namespace" */
			return fail_quoted(L, "duplicated namespace", type);
		if (k == NS_USER)
			return fail(L, "user namespaces are not supported yet");
		s->namespaces[k].wanted = 1;
		s->namespaces[k].path = path;
		L->depth -= 2;
	}
	L->depth--;
	return 0;
}

static int load_device(struct loader *L, unsigned tok, void *item)
{
	struct spec_device *d = item;
	const char *type = NULL;
	long long v = 0;

	TRY(absolute(L, tok, "path", &d->path, 1));
	TRY(get_string(L, tok, "type", &type));
	push(L, "type", 0);
	if (!type)
		return fail(L, "missing");
	if (!type[0] || type[1] || !str_chr("cbup", type[0]))
		return fail_quoted(L, "unknown device type", type);
	d->type = type[0];
	L->depth--;
	TRY(get_int(L, tok, "major", 0, 0xffffffffLL, &v, NULL));
	d->major = (u32)v;
	v = 0;
	TRY(get_int(L, tok, "minor", 0, 0xffffffffLL, &v, NULL));
	d->minor = (u32)v;
	d->file_mode = 0666;
	v = 0;
	TRY(get_int(L, tok, "fileMode", 0, 0xffffffffLL, &v, &d->has_file_mode));
	if (d->has_file_mode)
		d->file_mode = (u32)v;
	TRY(get_u32(L, tok, "uid", &d->uid));
	return get_u32(L, tok, "gid", &d->gid);
}

static int load_device_rule(struct loader *L, unsigned tok, void *item)
{
	struct spec_device_rule *r = item;
	const char *type = NULL, *access = NULL;
	int i = 0;

	TRY(get_bool(L, tok, "allow", &r->allow));
	TRY(get_string(L, tok, "type", &type));
	push(L, "type", 0);
	r->type = 'a';	/* runc: absent or "" is "a" */
	if (type && *type) {
		if (type[1] || !str_chr("abc", type[0]))
			return fail_quoted(L, "unknown device type", type);
		r->type = type[0];
	}
	L->depth--;
	r->major = r->minor = -1;
	TRY(get_int(L, tok, "major", -1, 0xffffffffLL, &r->major, NULL));
	TRY(get_int(L, tok, "minor", -1, 0xffffffffLL, &r->minor, NULL));
	TRY(get_string(L, tok, "access", &access));
	push(L, "access", 0);
	for (const char *a = "rwm"; access && *a; a++)
		if (str_chr(access, *a))
			r->access[i++] = *a;
	if (access && (unsigned)i != str_len(access))
		return fail_quoted(L, "not a subset of \"rwm\":", access);
	L->depth--;
	return 0;
}

static int load_resources(struct loader *L, unsigned lx, struct spec_resources *r)
{
	long res = field(L, lx, "resources", JSON_OBJECT), part;
	const long long big = 0x7fffffffffffffffLL, neg = -big - 1;

	TRY(res);
	if (!res)
		return L->depth--, 0;
	TRY(part = field(L, res, "memory", JSON_OBJECT));
	if (part) {
		TRY(get_int(L, part, "limit", neg, big, &r->memory_limit, NULL));
		TRY(get_int(L, part, "reservation", neg, big, &r->memory_reservation, NULL));
		TRY(get_int(L, part, "swap", neg, big, &r->memory_swap, NULL));
	}
	L->depth--;
	TRY(part = field(L, res, "cpu", JSON_OBJECT));
	if (part) {
		TRY(get_u64(L, part, "shares", &r->cpu_shares));
		TRY(get_int(L, part, "quota", neg, big, &r->cpu_quota, NULL));
		TRY(get_u64(L, part, "period", &r->cpu_period));
		TRY(get_string(L, part, "cpus", &r->cpus));
		TRY(get_string(L, part, "mems", &r->mems));
	}
	L->depth--;
	TRY(part = field(L, res, "pids", JSON_OBJECT));
	if (part)
		TRY(get_int(L, part, "limit", neg, big, &r->pids_limit, NULL));
	L->depth--;
	TRY(each_object(L, res, "devices", &r->devices, sizeof(struct spec_device_rule),
			&r->device_rule_count, load_device_rule));
	L->depth--;
	return 0;
}

static int propagation(struct loader *L, const char *name, unsigned long *out)
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
	return fail_quoted(L, "unknown propagation", name);
}

static int load_linux(struct loader *L, unsigned root, struct spec *s)
{
	long lx = field(L, root, "linux", JSON_OBJECT), tok;
	const char *prop = NULL;

	TRY(lx);
	if (!lx)
		return L->depth--, 0;
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "gidMappings" : "uidMappings";
		TRY(tok = field(L, lx, key, JSON_ARRAY));
		if (tok && L->j.tokens[tok].count)
			return fail(L, "user namespaces are not supported yet");
		L->depth--;
	}
	TRY(load_namespaces(L, lx, s));
	TRY(each_object(L, lx, "devices", &s->devices, sizeof(struct spec_device),
			&s->device_count, load_device));
	TRY(get_string(L, lx, "cgroupsPath", &s->cgroups_path));
	TRY(load_resources(L, lx, &s->resources));
	TRY(get_pairs(L, lx, "sysctl", &s->sysctl, &s->sysctl_count));
	TRY(get_strings(L, lx, "maskedPaths", (char *const **)&s->masked_paths, &s->masked_count));
	TRY(get_strings(L, lx, "readonlyPaths", (char *const **)&s->readonly_paths,
			&s->readonly_count));
	TRY(get_string(L, lx, "rootfsPropagation", &prop));
	if (prop && *prop) {
		push(L, "rootfsPropagation", 0);
		TRY(propagation(L, prop, &s->rootfs_propagation));
		L->depth--;
	}
	TRY(get_string(L, lx, "mountLabel", &s->mount_label));
	TRY(tok = field(L, lx, "seccomp", JSON_OBJECT));
	s->seccomp_token = tok;
	L->depth -= 2;
	return 0;
}

static int load_hook(struct loader *L, unsigned tok, void *item)
{
	struct spec_hook *h = item;
	long long timeout = 0;
	int given = 0;

	TRY(absolute(L, tok, "path", &h->path, 1));
	TRY(get_strings(L, tok, "args", &h->args, NULL));
	TRY(get_strings(L, tok, "env", &h->env, NULL));
	TRY(get_int(L, tok, "timeout", -0x80000000LL, 0x7fffffffLL, &timeout, &given));
	push(L, "timeout", 0);
	if (given && timeout <= 0)	/* runtime-spec: "MUST be greater than zero" */
		return fail(L, "must be greater than zero");
	h->timeout = (int)timeout;
	L->depth--;
	return 0;
}

static int load(struct loader *L, const char *bundle, struct spec *s)
{
	long root, tok;
	const char *version = NULL, *path = NULL;

	if (L->j.tokens[0].type != JSON_OBJECT)
		return json_expect(&L->j, 0, JSON_OBJECT), fail_json(L);
	TRY(get_string(L, 0, "ociVersion", &version));
	push(L, "ociVersion", 0);
	if (!version)
		return fail(L, "missing");
	/* any 1.x: the 1.0.x and 1.1.x specs are compatible (crun wants "1.0") */
	if (version[0] != '1' || version[1] != '.' || version[2] < '0' || version[2] > '9')
		return fail_quoted(L, "unsupported version", version);
	s->oci_version = version;
	L->depth--;
	TRY(load_process(L, 0, &s->process));
	TRY(root = field(L, 0, "root", JSON_OBJECT));
	if (!root)
		return fail(L, "missing");	/* runc: "root must be specified" */
	TRY(get_string(L, root, "path", &path));
	push(L, "path", 0);
	if (!path || !*path)
		return fail(L, "missing");
	if (*path == '/') {
		s->root_path = path;
	} else {	/* relative to the bundle, as runc */
		char *joined = alloc(L, str_len(bundle) + str_len(path) + 2);
		if (!joined)
			return fail_memory(L);
		L->next = cat(cat(cat(joined, L->end, bundle), L->end, "/"), L->end, path) + 1;
		s->root_path = joined;
	}
	L->depth--;
	TRY(get_bool(L, root, "readonly", &s->root_readonly));
	L->depth--;
	TRY(get_string(L, 0, "hostname", &s->hostname));
	TRY(each_object(L, 0, "mounts", &s->mounts, sizeof(struct spec_mount), &s->mount_count,
			load_mount));
	TRY(load_linux(L, 0, s));
	TRY(tok = field(L, 0, "hooks", JSON_OBJECT));
	for (int k = 0; tok && k < HOOK_KINDS; k++)
		TRY(each_object(L, tok, hook_names[k], &s->hooks[k], sizeof(struct spec_hook),
				&s->hook_count[k], load_hook));
	L->depth--;
	TRY(get_pairs(L, 0, "annotations", &s->annotations, &s->annotation_count));
	/* runc's validator: "unable to set hostname without a private UTS namespace" */
	push(L, "hostname", 0);
	if (s->hostname && *s->hostname && !s->namespaces[NS_UTS].wanted)
		return fail(L, "a private UTS namespace is needed to set the hostname");
	L->depth--;
	return 0;
}

int oci_load_text(const char *bundle, const char *text, unsigned long len, struct spec *spec,
		  char *err, unsigned long err_size)
{
	/* the worst case, per byte of JSON: a token (20 bytes), 3 bytes of
	 * decoded string + NUL, and a mount (the biggest item, 80 bytes) per
	 * "{}", i.e. 40 a byte; plus the bundle path */
	unsigned long size = (len + 1) * (sizeof(struct json_token) + 4 + 48) + 2 * PATH_LIMIT;
	struct loader L;
	long base;
	int ret;

	memset(&L, 0, sizeof(L));
	memset(spec, 0, sizeof(*spec));
	L.err = err;
	L.err_size = err_size;
	err[0] = 0;
	size = (size + 4095) & ~4095UL;
	base = sys_mmap_anon(size);
	if (base < 0 && base > -4096)
		return fail_memory(&L);
	spec->arena = (void *)base;
	spec->arena_size = size;
	L.next = (char *)base + (len + 1) * sizeof(struct json_token);
	L.end = (char *)base + size;
	if (str_len(bundle) >= PATH_LIMIT)
		return fail(&L, "bundle path too long");
	/* len + 1 tokens always suffice (json.h), so a syntax error is always
	 * reported as such */
	if (json_parse(&L.j, text, len, (struct json_token *)base, len + 1) < 0)
		return fail_json(&L);
	ret = load(&L, bundle, spec);
	spec->json = NULL;
	if (ret == 0 && spec->seccomp_token) {
		struct json *j = alloc(&L, sizeof(*j));
		if (!j)
			return fail_memory(&L);
		*j = L.j;
		spec->json = j;
	}
	return ret;
}

void oci_unload(struct spec *spec)
{
	if (spec->arena)
		sys_munmap(spec->arena, spec->arena_size);
	if (spec->text)
		sys_munmap(spec->text, spec->text_size);
	spec->arena = spec->text = NULL;
}

#define STATX_SIZE 0x200U

/* Open BUNDLE (O_PATH), read config.json whole into an arena of its own,
 * load it; root.path is joined to the bundle made absolute (runc:
 * filepath.Abs). Errors: "bundle: PATH: <errno text>",
 * "config.json: PATH: <errno text>", or a field's. */
int oci_load(const char *bundle, struct spec *spec, char *err, unsigned long err_size)
{
	char abs[PATH_LIMIT], clean[PATH_LIMIT + 2], *what = "bundle: ";
	struct statx st;
	long text = -1, n = 0, got = 0;
	int dir, fd = -1, ret;

	memset(spec, 0, sizeof(*spec));
	abs[0] = 0;
	if (*bundle != '/') {
		ret = sys_getcwd(abs, sizeof(abs));
		if (ret < 0 || abs[0] != '/')
			goto sys_error;
		if (!(abs[1] == 0))
			cat(abs + str_len(abs), abs + sizeof(abs) - 1, "/");
	}
	if (str_len(abs) + str_len(bundle) >= sizeof(abs) - 1) {
		ret = -ENAMETOOLONG;
		goto sys_error;
	}
	cat(abs + str_len(abs), abs + sizeof(abs) - 1, bundle);
	path_clean(clean, abs);
	cat(abs, abs + sizeof(abs) - 1, clean);
	dir = ret = sys_open(abs, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (ret < 0)
		goto sys_error;
	what = "config.json: ";
	fd = ret = sys_openat(dir, "config.json", O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	sys_close(dir);
	if (ret < 0)
		goto sys_error;
	ret = sys_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, &st);
	if (ret == 0 && (st.stx_mode & S_IFMT) != S_IFREG)
		ret = -EINVAL;	/* a FIFO or a device would never end */
	if (ret < 0)
		goto sys_error;
	text = sys_mmap_anon(st.stx_size + 1);
	if (text < 0 && text > -4096) {
		ret = (int)text;
		goto sys_error;
	}
	while (got < (long)st.stx_size && (n = sys_read(fd, (char *)text + got,
							 st.stx_size - got)) > 0)
		got += n;
	sys_close(fd);
	fd = -1;
	if (n < 0) {
		sys_munmap((void *)text, st.stx_size + 1);
		ret = (int)n;
		goto sys_error;
	}
	/* the text stays mapped with the spec: strings of linux.seccomp point into it */
	ret = oci_load_text(abs, (char *)text, got, spec, err, err_size);
	spec->text = (void *)text;
	spec->text_size = st.stx_size + 1;
	return ret;

sys_error:
	if (fd >= 0)
		sys_close(fd);
	concat(err, err_size, what, abs[0] ? abs : bundle, *what == 'c' ? "/config.json: " : ": ");
	cat(err + str_len(err), err + err_size - 1, ret == -EINVAL && *what == 'c' ?
	    "not a regular file" : errno_text(ret));
	return -1;
}
