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
#include "src/oci-loader.h"

/* --- process --- */

static int load_caps(struct loader *L, unsigned process, struct spec_process *p)
{
	long caps = ld_field(L, process, "capabilities", JSON_OBJECT);

	TRY(caps);
	for (int set = 0; caps && set < CAP_SETS; set++) {
		char *const *names = NULL;
		TRY(ld_get_strings(L, caps, cap_set_names[set], &names, NULL));
		for (int i = 0; names && names[i]; i++) {
			int n = cap_number(names[i]);
			if (n < 0) {
				ld_push(L, cap_set_names[set], 0);
				ld_push(L, NULL, i);
				return ld_fail_quoted(L, "unknown capability", names[i]);
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

	TRY(ld_get_string(L, tok, "type", &type));
	ld_push(L, "type", 0);
	if (!type)
		return ld_fail(L, "missing");
	if ((r->resource = rlimit_number(type)) < 0)
		return ld_fail_quoted(L, "unknown rlimit", type);
	for (struct spec_rlimit *o = r - L->at[L->depth - 2].index; o < r; o++)
		if (o->resource == r->resource)
			return ld_fail_quoted(L, "duplicate rlimit", type);
	L->depth--;
	/* runtime-spec: both REQUIRED; Go leaves a missing one 0 */
	TRY(ld_get_u64(L, tok, "soft", &r->soft));
	return ld_get_u64(L, tok, "hard", &r->hard);
}

static int load_process(struct loader *L, unsigned root, struct spec_process *p)
{
	long process = ld_field(L, root, "process", JSON_OBJECT), user, console;
	long long v;
	int given = 0, argc = 0;

	TRY(process);
	if (!process)
		return ld_fail(L, "missing");	/* runc: "process property must not be empty" */
	TRY(ld_get_bool(L, process, "terminal", &p->terminal));
	TRY(console = ld_field(L, process, "consoleSize", JSON_OBJECT));
	if (console) {
		TRY(ld_get_u32(L, console, "height", &p->console_height));
		TRY(ld_get_u32(L, console, "width", &p->console_width));
	}
	L->depth--;
	TRY(user = ld_field(L, process, "user", JSON_OBJECT));
	p->umask = -1;
	if (user) {
		/* 4294967295 is (uid_t)-1, "unchanged" to setresuid(2): the process
		 * would stay root. Refused, as `run --user` does (runc: above 2^31-1). */
		v = p->uid;
		TRY(ld_get_int(L, user, "uid", 0, 0xfffffffeLL, &v, NULL));
		p->uid = (u32)v;
		v = p->gid;
		TRY(ld_get_int(L, user, "gid", 0, 0xfffffffeLL, &v, NULL));
		p->gid = (u32)v;
		TRY(ld_get_int(L, user, "umask", 0, 0xffffffffLL, &v, &given));
		if (given)
			p->umask = (int)(v & 07777);
		long gids = ld_field(L, user, "additionalGids", JSON_ARRAY);
		TRY(gids);
		if (gids) {
			u32 *list = ld_alloc(L, L->j.tokens[gids].count * sizeof(u32) + 1);
			if (!list)
				return ld_fail_memory(L);
			for (unsigned e = json_first(&L->j, gids); e; e = json_next(&L->j, e)) {
				unsigned long long g;
				ld_push(L, NULL, p->additional_gid_count);
				if (json_uint(&L->j, e, 0xffffffffULL, &g) < 0)
					return ld_fail_json(L);
				list[p->additional_gid_count++] = (u32)g;
				L->depth--;
			}
			p->additional_gids = list;
		}
		L->depth--;
	}
	L->depth--;
	TRY(ld_get_strings(L, process, "args", &p->args, &argc));
	ld_push(L, "args", 0);
	if (!argc)
		return ld_fail(L, "must not be empty");	/* runc: "args must not be empty" */
	L->depth--;
	TRY(ld_get_strings(L, process, "env", &p->env, NULL));
	for (int i = 0; p->env && p->env[i]; i++) {
		const char *eq = str_chr(p->env[i], '=');
		if (!eq || eq == p->env[i]) {	/* runc's init: "invalid environment variable" */
			ld_push(L, "env", 0);
			ld_push(L, NULL, i);
			return ld_fail_quoted(L, "not NAME=VALUE:", p->env[i]);
		}
	}
	TRY(ld_absolute(L, process, "cwd", &p->cwd, 1));
	TRY(load_caps(L, process, p));
	TRY(ld_each_object(L, process, "rlimits", &p->rlimits, sizeof(struct spec_rlimit),
			&p->rlimit_count, load_rlimit));
	TRY(ld_get_bool(L, process, "noNewPrivileges", &p->no_new_privileges));
	/* the kernel's range (OOM_SCORE_ADJ_MIN/MAX); runc leaves it to the write */
	TRY(ld_get_int(L, process, "oomScoreAdj", -1000, 1000, &v, &p->has_oom_score_adj));
	p->oom_score_adj = (int)v;
	TRY(ld_get_string(L, process, "apparmorProfile", &p->apparmor_profile));
	TRY(ld_get_string(L, process, "selinuxLabel", &p->selinux_label));
	L->depth--;
	return 0;
}

/* --- linux --- */

static int load_namespaces(struct loader *L, unsigned lx, struct spec *s)
{
	long list = ld_field(L, lx, "namespaces", JSON_ARRAY);
	int i = 0;

	TRY(list);
	for (unsigned e = list ? json_first(&L->j, list) : 0; e; e = json_next(&L->j, e), i++) {
		const char *type = NULL, *path = NULL;
		int k;
		ld_push(L, NULL, i);
		TRY(json_expect(&L->j, e, JSON_OBJECT) < 0 ? ld_fail_json(L) : 0);
		TRY(ld_get_string(L, e, "type", &type));
		TRY(ld_absolute(L, e, "path", &path, 0));
		ld_push(L, "type", 0);
		if (!type)
			return ld_fail(L, "missing");
		for (k = 0; k < NS_KINDS && !str_eq(type, ns_names[k]); k++)
			;
		if (k == NS_KINDS)
			return ld_fail_quoted(L, "unknown namespace", type);
		if (s->namespaces[k].wanted)	/* runc: "duplicated namespace" */
			return ld_fail_quoted(L, "duplicated namespace", type);
		if (k == NS_USER && path)
			return ld_fail(L, "joining a user namespace is not supported yet");
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

	TRY(ld_absolute(L, tok, "path", &d->path, 1));
	TRY(ld_device_path(L, &d->path));
	TRY(ld_get_string(L, tok, "type", &type));
	ld_push(L, "type", 0);
	if (!type)
		return ld_fail(L, "missing");
	if (!type[0] || type[1] || !str_chr("cbup", type[0]))
		return ld_fail_quoted(L, "unknown device type", type);
	d->type = type[0];
	L->depth--;
	TRY(ld_get_int(L, tok, "major", 0, 0xffffffffLL, &v, NULL));
	d->major = (u32)v;
	v = 0;
	TRY(ld_get_int(L, tok, "minor", 0, 0xffffffffLL, &v, NULL));
	d->minor = (u32)v;
	d->file_mode = 0666;
	v = 0;
	TRY(ld_get_int(L, tok, "fileMode", 0, 0xffffffffLL, &v, &d->has_file_mode));
	if (d->has_file_mode)
		d->file_mode = (u32)v;
	TRY(ld_get_u32(L, tok, "uid", &d->uid));
	return ld_get_u32(L, tok, "gid", &d->gid);
}

static int load_device_rule(struct loader *L, unsigned tok, void *item)
{
	struct spec_device_rule *r = item;
	const char *type = NULL, *access = NULL;
	int i = 0;

	TRY(ld_get_bool(L, tok, "allow", &r->allow));
	TRY(ld_get_string(L, tok, "type", &type));
	ld_push(L, "type", 0);
	r->type = 'a';	/* runc: absent or "" is "a" */
	if (type && *type) {
		if (type[1] || !str_chr("abc", type[0]))
			return ld_fail_quoted(L, "unknown device type", type);
		r->type = type[0];
	}
	L->depth--;
	r->major = r->minor = -1;
	TRY(ld_get_int(L, tok, "major", -1, 0xffffffffLL, &r->major, NULL));
	TRY(ld_get_int(L, tok, "minor", -1, 0xffffffffLL, &r->minor, NULL));
	TRY(ld_get_string(L, tok, "access", &access));
	ld_push(L, "access", 0);
	for (const char *a = "rwm"; access && *a; a++)
		if (str_chr(access, *a))
			r->access[i++] = *a;
	if (access && (unsigned)i != str_len(access))
		return ld_fail_quoted(L, "not a subset of \"rwm\":", access);
	L->depth--;
	return 0;
}

static int load_resources(struct loader *L, unsigned lx, struct spec_resources *r)
{
	long res = ld_field(L, lx, "resources", JSON_OBJECT), part;
	const long long big = 0x7fffffffffffffffLL, neg = -big - 1;
	int has = 0;

	r->swappiness = -1;
	TRY(res);
	if (!res)
		return L->depth--, 0;
	TRY(part = ld_field(L, res, "memory", JSON_OBJECT));
	if (part) {
		/* -1 is the kernel's only negative here ("no limit": page_counter_memparse);
		 * runc writes any other and the kernel refuses it: refused here, not unlimited */
		TRY(ld_get_int(L, part, "limit", -1, big, &r->memory_limit, NULL));
		TRY(ld_get_int(L, part, "reservation", -1, big, &r->memory_reservation, NULL));
		TRY(ld_get_int(L, part, "swap", -1, big, &r->memory_swap, NULL));
		TRY(ld_get_int(L, part, "swappiness", 0, 100, &r->swappiness, &has));
		TRY(ld_get_bool(L, part, "disableOOMKiller", &r->disable_oom_killer));
	}
	if (!has)
		r->swappiness = -1;
	L->depth--;
	TRY(part = ld_field(L, res, "cpu", JSON_OBJECT));
	if (part) {
		TRY(ld_get_u64(L, part, "shares", &r->cpu_shares));
		TRY(ld_get_int(L, part, "quota", neg, big, &r->cpu_quota, NULL));
		TRY(ld_get_u64(L, part, "period", &r->cpu_period));
		TRY(ld_get_string(L, part, "cpus", &r->cpus));
		TRY(ld_get_string(L, part, "mems", &r->mems));
	}
	L->depth--;
	TRY(part = ld_field(L, res, "pids", JSON_OBJECT));
	if (part)
		TRY(ld_get_int(L, part, "limit", neg, big, &r->pids_limit, NULL));
	L->depth--;
	TRY(ld_each_object(L, res, "devices", &r->devices, sizeof(struct spec_device_rule),
			&r->device_rule_count, load_device_rule));
	L->depth--;
	return 0;
}

static int load_id_map(struct loader *L, unsigned tok, void *item)
{
	struct spec_id_map *m = item;

	TRY(ld_get_u32(L, tok, "containerID", &m->container));
	TRY(ld_get_u32(L, tok, "hostID", &m->host));
	return ld_get_u32(L, tok, "size", &m->size);
}

static int load_linux(struct loader *L, unsigned root, struct spec *s)
{
	long lx = ld_field(L, root, "linux", JSON_OBJECT), tok;
	const char *prop = NULL;

	TRY(lx);
	if (!lx)
		return L->depth--, 0;
	TRY(load_namespaces(L, lx, s));
	/* runc: mappings without a user namespace, or one without both, are errors */
	for (int i = 0; i < 2; i++) {
		const char *key = i ? "gidMappings" : "uidMappings";
		TRY(ld_each_object(L, lx, key, &s->id_maps[i], sizeof(struct spec_id_map),
				   &s->id_map_count[i], load_id_map));
		ld_push(L, key, 0);
		if (s->id_map_count[i] > USERNS_MAPS)
			return ld_fail(L, "more than 16 mappings are not supported");
		if (!s->id_map_count[i] != !s->namespaces[NS_USER].wanted)
			return ld_fail(L, s->id_map_count[i] ? "mappings without a user namespace" :
				       "a user namespace needs mappings");
		L->depth--;
	}
	TRY(ld_each_object(L, lx, "devices", &s->devices, sizeof(struct spec_device),
			&s->device_count, load_device));
	TRY(ld_get_string(L, lx, "cgroupsPath", &s->cgroups_path));
	if (s->cgroups_path && *s->cgroups_path) {
		/* cleaned as runc's utils.CleanPath: ".." never climbs above the
		 * hierarchy's root (absolute) or the caller's cgroup (relative),
		 * where delete would kill what is not the container's */
		char *buf = ld_alloc(L, str_len(s->cgroups_path) + 2);
		if (!buf)
			return ld_fail_memory(L);
		ld_path_clean(buf, s->cgroups_path);
		s->cgroups_path = buf + (s->cgroups_path[0] != '/');
	}
	TRY(load_resources(L, lx, &s->resources));
	TRY(ld_get_pairs(L, lx, "sysctl", &s->sysctl, &s->sysctl_count));
	TRY(ld_get_strings(L, lx, "maskedPaths", (char *const **)&s->masked_paths, &s->masked_count));
	TRY(ld_get_strings(L, lx, "readonlyPaths", (char *const **)&s->readonly_paths,
			&s->readonly_count));
	TRY(ld_get_string(L, lx, "rootfsPropagation", &prop));
	if (prop && *prop) {
		ld_push(L, "rootfsPropagation", 0);
		TRY(ld_propagation(L, prop, &s->rootfs_propagation));
		L->depth--;
	}
	TRY(ld_get_string(L, lx, "mountLabel", &s->mount_label));
	TRY(tok = ld_field(L, lx, "seccomp", JSON_OBJECT));
	s->seccomp_token = tok;
	L->depth -= 2;
	return 0;
}

static int load_hook(struct loader *L, unsigned tok, void *item)
{
	struct spec_hook *h = item;
	long long timeout = 0;
	int given = 0;

	TRY(ld_absolute(L, tok, "path", &h->path, 1));
	TRY(ld_get_strings(L, tok, "args", &h->args, NULL));
	TRY(ld_get_strings(L, tok, "env", &h->env, NULL));
	TRY(ld_get_int(L, tok, "timeout", -0x80000000LL, 0x7fffffffLL, &timeout, &given));
	ld_push(L, "timeout", 0);
	if (given && timeout <= 0)	/* runtime-spec: "MUST be greater than zero" */
		return ld_fail(L, "must be greater than zero");
	h->timeout = (int)timeout;
	L->depth--;
	return 0;
}

/* *path, if relative, joined to the bundle (absolute): runc runs in the
 * bundle directory, so root.path and bind mounts' sources are relative to
 * it (runtime-spec config.md, "mounts": "Path values for bind mounts are
 * either absolute or relative to the bundle"). 0, or the loader's error. */
static int in_bundle(struct loader *L, const char *bundle, const char **path)
{
	char *joined;

	if (**path == '/')
		return 0;
	joined = ld_alloc(L, str_len(bundle) + str_len(*path) + 2);
	if (!joined)
		return ld_fail_memory(L);
	L->next = cat(cat(cat(joined, L->end, bundle), L->end, "/"), L->end, *path) + 1;
	*path = joined;
	return 0;
}

static int load(struct loader *L, const char *bundle, struct spec *s)
{
	long root, tok;
	const char *version = NULL, *path = NULL;

	if (L->j.tokens[0].type != JSON_OBJECT)
		return json_expect(&L->j, 0, JSON_OBJECT), ld_fail_json(L);
	TRY(ld_get_string(L, 0, "ociVersion", &version));
	ld_push(L, "ociVersion", 0);
	if (!version)
		return ld_fail(L, "missing");
	/* any 1.x: the 1.0.x and 1.1.x specs are compatible (crun wants "1.0") */
	if (version[0] != '1' || version[1] != '.' || version[2] < '0' || version[2] > '9')
		return ld_fail_quoted(L, "unsupported version", version);
	s->oci_version = version;
	L->depth--;
	TRY(load_process(L, 0, &s->process));
	TRY(root = ld_field(L, 0, "root", JSON_OBJECT));
	if (!root)
		return ld_fail(L, "missing");	/* runc: "root must be specified" */
	TRY(ld_get_string(L, root, "path", &path));
	ld_push(L, "path", 0);
	if (!path || !*path)
		return ld_fail(L, "missing");
	TRY(in_bundle(L, bundle, &path));
	s->root_path = path;
	L->depth--;
	TRY(ld_get_bool(L, root, "readonly", &s->root_readonly));
	L->depth--;
	TRY(ld_get_string(L, 0, "hostname", &s->hostname));
	TRY(ld_each_object(L, 0, "mounts", &s->mounts, sizeof(struct spec_mount), &s->mount_count,
			ld_load_mount));
	for (int i = 0; i < s->mount_count; i++) {
		struct spec_mount *m = (struct spec_mount *)&s->mounts[i];
		if ((m->flags & MS_BIND) && *m->source)
			TRY(in_bundle(L, bundle, &m->source));
	}
	TRY(load_linux(L, 0, s));
	TRY(tok = ld_field(L, 0, "hooks", JSON_OBJECT));
	for (int k = 0; tok && k < HOOK_KINDS; k++)
		TRY(ld_each_object(L, tok, hook_names[k], &s->hooks[k], sizeof(struct spec_hook),
				&s->hook_count[k], load_hook));
	L->depth--;
	TRY(ld_get_pairs(L, 0, "annotations", &s->annotations, &s->annotation_count));
	/* runc's validator: "unable to set hostname without a private UTS namespace" */
	ld_push(L, "hostname", 0);
	if (s->hostname && *s->hostname && !s->namespaces[NS_UTS].wanted)
		return ld_fail(L, "a private UTS namespace is needed to set the hostname");
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
		return ld_fail_memory(&L);
	spec->arena = (void *)base;
	spec->arena_size = size;
	L.next = (char *)base + (len + 1) * sizeof(struct json_token);
	L.end = (char *)base + size;
	if (str_len(bundle) >= PATH_LIMIT)
		return ld_fail(&L, "bundle path too long");
	/* len + 1 tokens always suffice (json.h), so a syntax error is always
	 * reported as such */
	if (json_parse(&L.j, text, len, (struct json_token *)base, len + 1) < 0)
		return ld_fail_json(&L);
	ret = load(&L, bundle, spec);
	spec->json = NULL;
	if (ret == 0 && spec->seccomp_token) {
		struct json *j = ld_alloc(&L, sizeof(*j));
		if (!j)
			return ld_fail_memory(&L);
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
	ld_path_clean(clean, abs);
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
