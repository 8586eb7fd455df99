/* The state directory (--root, default /run/nanoctr): one directory per
 * container, named by its ID, holding state.json. Written atomically (a
 * temporary name, then rename(2)), read back with json.c. Also the pid file
 * engines read after `create`. Used by create/start/state/list/delete. */
#include "src/spec.h"

/* runc 1.1 (libcontainer/factory_linux.go validateID): ^[\w+-\.]+$ — the
 * class holds \w and the range '+'..'.', i.e. + , - . too — and not "." or
 * "..". Longer than 255 bytes cannot be a directory name (NAME_MAX). */
int state_id_check(const char *id, char *err, unsigned long err_size)
{
	const char *p = id;

	if (!*id) {
		concat(err, err_size, "container id cannot be empty", "", "");
		return -EINVAL;
	}
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || (*p >= '+' && *p <= '.')))
			break;
	if (*p || str_eq(id, ".") || str_eq(id, "..") || p - id > 255) {
		concat(err, err_size, "invalid id format: ", id, "");
		return -EINVAL;
	}
	return 0;
}

/* The root directory, created 0700 (with its parents) if missing; an
 * O_PATH descriptor to it, or -errno. */
int state_root_open(const char *root)
{
	char path[PATH_LIMIT];
	int ret;

	if (str_len(root) >= sizeof(path))
		return -ENAMETOOLONG;
	cat(path, path + sizeof(path) - 1, root);
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			sys_mkdir(path, 0700);
			*p = '/';
		}
	ret = sys_mkdir(path, 0700);
	if (ret < 0 && ret != -EEXIST)
		return ret;
	return sys_open(path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
}

/* root/ID, 0700; its O_PATH descriptor, or -errno with err set (EEXIST:
 * runc's "container with id exists: ID"). */
int state_dir_create(int root_fd, const char *id, char *err, unsigned long err_size)
{
	int ret = state_id_check(id, err, err_size);

	if (ret < 0)
		return ret;
	ret = sys_mkdirat(root_fd, id, 0700);
	if (ret == -EEXIST)
		concat(err, err_size, "container with id exists: ", id, "");
	else if (ret < 0)
		concat(err, err_size, id, ": ", errno_text(ret));
	return ret < 0 ? ret : sys_openat(root_fd, id, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
}

/* Write text as dir_fd/name: dir_fd/.name, then rename over name, so a
 * reader sees the old file or the new one, never a part. */
static int write_atomic(int dir_fd, const char *name, const char *text, long len, int mode)
{
	char tmp[PATH_LIMIT];
	int fd, ret;
	long n = 0;

	concat(tmp, sizeof(tmp), ".", name, "");
	fd = sys_openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return fd;
	for (long off = 0; off < len && (n = sys_write(fd, text + off, len - off)) > 0; off += n)
		;
	sys_close(fd);
	ret = n < 0 ? (int)n : sys_renameat(dir_fd, tmp, dir_fd, name);
	if (ret < 0)
		sys_unlinkat(dir_fd, tmp, 0);
	return ret;
}

static const char cgroup_names[CG_CONTROLLERS][8] = { "memory", "pids", "cpu", "devices",
						       "freezer", "cpuset" };	/* CG_* order */

/* The state's public fields, into an open object. */
static void state_fields(struct jw *w, const struct state *st)
{
	/* runc's order: ociVersion, id, pid, status, bundle, rootfs, created, owner */
	static const char keys[][12] = { "ociVersion", "id", "status", "bundle", "rootfs",
					 "created", "owner" };
	const char *values[] = { st->oci_version, st->id, st->status, st->bundle, st->rootfs,
				 st->created, st->owner ? st->owner : "" };

	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++) {
		if (i == 2) {
			jw_key(w, "pid");
			jw_u64(w, st->pid);
		}
		jw_key(w, keys[i]);
		jw_str(w, values[i]);
	}
	if (st->annotation_count) {
		jw_key(w, "annotations");
		jw_open(w, '{');
		for (int i = 0; i < st->annotation_count; i++) {
			jw_key(w, st->annotations[i].key);
			jw_str(w, st->annotations[i].value);
		}
		jw_close(w, '}');
	}
	jw_key(w, "pidStartTime");	/* ours: start time of pid, against pid reuse */
	jw_u64(w, st->pid_start);
}

/* The state as `runc state` prints it (runtime-spec runtime.md). */
int state_format(const struct state *st, char *buf, unsigned long size)
{
	struct jw w;

	jw_init(&w, buf, size);
	jw_open(&w, '{');
	state_fields(&w, st);
	jw_close(&w, '}');
	return jw_finish(&w, buf);
}

/* st as JSON in a buffer as large as it needs: a static one, or for large
 * annotations an anonymous mapping (never freed: the commands are
 * short-lived); ours: with the "nanoctr" object only state.json keeps
 * (which hooks the config has, the cgroups create made). Its length, *text
 * set, or -errno. */
static int state_json(const struct state *st, char **text, int ours)
{
	static char buf[16384];
	/* every byte escaped (\u00XX) at most 6, plus the keys and numbers */
	unsigned long size = 1024;
	const char *fields[] = { st->oci_version, st->id, st->status, st->bundle, st->rootfs,
				 st->created, st->owner };
	struct jw w;

	for (unsigned i = 0; i < ARRAY_SIZE(fields); i++)
		size += fields[i] ? 6 * str_len(fields[i]) : 0;
	for (int i = 0; i < st->annotation_count; i++)
		size += 6 * (str_len(st->annotations[i].key) + str_len(st->annotations[i].value)) + 8;
	for (int c = 0; ours && st->cg && c < CG_CONTROLLERS; c++)
		if (st->cg->dir_of[c] >= 0)
			size += 6 * str_len(st->cg->dirs[st->cg->dir_of[c]]) + 32;
	*text = buf;
	if (size > sizeof(buf)) {
		long map = sys_mmap_anon(size);
		if ((unsigned long)map > -4096UL)
			return (int)map;
		*text = (char *)map;
	} else {
		size = sizeof(buf);
	}
	jw_init(&w, *text, size);
	jw_open(&w, '{');
	state_fields(&w, st);
	if (ours) {
		/* "nanoctr": {"hooks": N, "cgroups": [["memory", 0, "/sys/fs/cgroup/..."], ...]} */
		jw_key(&w, "nanoctr");
		jw_open(&w, '{');
		jw_key(&w, "hooks");
		jw_u64(&w, st->hooks);
		jw_key(&w, "cgroups");
		jw_open(&w, '[');
		for (int c = 0; st->cg && c < CG_CONTROLLERS; c++)
			if (st->cg->dir_of[c] >= 0) {
				jw_open(&w, '[');
				jw_str(&w, cgroup_names[c]);
				jw_u64(&w, (u64)(st->cg->v2[c] > 0));
				jw_str(&w, st->cg->dirs[st->cg->dir_of[c]]);
				jw_close(&w, ']');
			}
		jw_close(&w, ']');
		jw_close(&w, '}');
	}
	jw_close(&w, '}');
	return jw_finish(&w, *text);
}

/* st as JSON, as `state` prints it and the hooks get it (state_json). */
int state_text(const struct state *st, char **text)
{
	return state_json(st, text, 0);
}

/* dir_fd/state.json, 0600, atomically. 0 or -errno. */
int state_write(int dir_fd, const struct state *st)
{
	char *text;
	int len = state_json(st, &text, 1);

	return len < 0 ? len : write_atomic(dir_fd, "state.json", text, len, 0600);
}

/* state.json's "nanoctr" object (tok) into st (and st->cg if set): known
 * only when all of it reads back whole. */
static void state_read_ours(struct json *j, unsigned tok, struct state *st)
{
	struct cgroup *cg = st->cg;
	unsigned long long u;
	unsigned t, e;
	char name[8];

	if ((t = json_get(j, tok, "hooks")) == 0 || json_uint(j, t, ~0U, &u) < 0)
		return;
	st->hooks = (unsigned)u;
	if ((t = json_get(j, tok, "cgroups")) == 0 || j->tokens[t].type != JSON_ARRAY)
		return;
	if (cg) {
		memset(cg, 0, sizeof(*cg));
		for (int c = 0; c < CG_CONTROLLERS; c++)
			cg->dir_of[c] = -1;
	}
	for (t = json_first(j, t); cg && t; t = json_next(j, t)) {
		int c = 0, i;
		if (cg->count == CG_CONTROLLERS || (e = json_first(j, t)) == 0 ||
		    json_string(j, e, name, sizeof(name)) < 0)
			return;	/* more directories than controllers: not ours */
		while (c < CG_CONTROLLERS && !str_eq(cgroup_names[c], name))
			c++;
		if (c == CG_CONTROLLERS || (e = json_next(j, e)) == 0 || json_uint(j, e, 1, &u) < 0 ||
		    (e = json_next(j, e)) == 0 ||
		    json_string(j, e, cg->dirs[cg->count], sizeof(cg->dirs[0])) < 0 ||
		    !str_prefix(cg->dirs[cg->count], "/sys/fs/cgroup/"))	/* cgroup.c's only root */
			return;
		for (i = 0; i < cg->count && !str_eq(cg->dirs[i], cg->dirs[cg->count]); i++)
			;
		cg->dir_of[c] = i;
		cg->v2[c] = (int)u;
		if (i == cg->count)
			cg->count++;
	}
	st->known = 1;
}

/* Read dir_fd/state.json into st; its strings point into an anonymous
 * mapping sized from the file (text, tokens, decoded strings; never freed:
 * the commands are short-lived). 0 or -errno (-EINVAL malformed). */
int state_read(int dir_fd, struct state *st)
{
	static const char *const keys[] = { "ociVersion", "id", "status", "bundle", "rootfs",
					    "created", "owner" };
	const char **fields[] = { &st->oci_version, &st->id, &st->status, &st->bundle,
				  &st->rootfs, &st->created, &st->owner };
	/* O_NONBLOCK: a FIFO put there must not hang list, state or delete */
	int fd = sys_openat(dir_fd, "state.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
	long len = 0, n = 0, v, map;
	struct json j;
	struct json_token *tokens;
	struct statx sx;
	struct cgroup *cg;
	unsigned tok, max;
	char *buf, *strings, *end;
	unsigned long long u, size;

#define LEFT (strings < end ? (unsigned long)(end - strings) : 0)
	if (fd < 0)
		return fd;
	if (sys_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, &sx) < 0 ||
	    !S_ISREG(sx.stx_mode) || sx.stx_size > 1UL << 28) {
		sys_close(fd);
		return -EINVAL;
	}
	/* text; a token per 2 bytes at most, with an annotation's pair;
	 * decoded strings no longer than the text, with their NULs */
	max = (unsigned)(sx.stx_size / 2 + 2);
	size = sx.stx_size + 16 + (u64)max * (sizeof(*tokens) + sizeof(struct spec_pair)) +
	       2 * sx.stx_size + 64;
	map = sys_mmap_anon(size);
	if ((unsigned long)map > -4096UL) {
		sys_close(fd);
		return (int)map;
	}
	buf = (char *)map;
	end = buf + size;
	while (len < (long)sx.stx_size && (n = sys_read(fd, buf + len, sx.stx_size - len)) > 0)
		len += n;
	sys_close(fd);
	if (n < 0)
		return (int)n;
	tokens = (struct json_token *)(((unsigned long)buf + len + 8) & ~7UL);
	strings = (char *)(tokens + max);
	if (json_parse(&j, buf, len, tokens, max) < 0 || tokens[0].type != JSON_OBJECT)
		return -EINVAL;
	cg = st->cg;
	memset(st, 0, sizeof(*st));
	st->cg = cg;
	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++) {
		tok = json_get(&j, 0, keys[i]);
		if (!tok || (v = json_string(&j, tok, strings, LEFT)) < 0)
			return -EINVAL;
		*fields[i] = strings;
		strings += v + 1;
	}
	if ((tok = json_get(&j, 0, "pid")) == 0 || json_uint(&j, tok, 0x7fffffff, &u) < 0)
		return -EINVAL;
	st->pid = (int)u;
	if ((tok = json_get(&j, 0, "pidStartTime")) && json_uint(&j, tok, ~0ULL, &u) == 0)
		st->pid_start = u;
	if ((tok = json_get(&j, 0, "annotations")) && j.tokens[tok].type == JSON_OBJECT) {
		struct spec_pair *pairs = (struct spec_pair *)(((unsigned long)strings + 7) & ~7UL);
		strings = (char *)(pairs + j.tokens[tok].count);
		if (strings > end)
			return -ENOSPC;
		for (unsigned k = json_first(&j, tok); k; k = json_next(&j, k)) {
			struct spec_pair *p = &pairs[st->annotation_count++];
			if ((v = json_string(&j, k, strings, LEFT)) < 0)
				return -EINVAL;
			p->key = strings;
			strings += v + 1;
			if ((v = json_string(&j, k + 1, strings, LEFT)) < 0)
				return -EINVAL;
			p->value = strings;
			strings += v + 1;
		}
		st->annotations = pairs;
	}
	if ((tok = json_get(&j, 0, "nanoctr")) && j.tokens[tok].type == JSON_OBJECT)
		state_read_ours(&j, tok, st);
#undef LEFT
	return 0;
}

/* Remove root/ID and what nanoctr puts in it. 0, or -errno (-ENOENT: no such
 * container). */
int state_remove(int root_fd, const char *id)
{
	static const char *const files[] = { "state.json", ".state.json", "exec.fifo",
					     "config.json", "paused" };
	int dir = sys_openat(root_fd, id, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0);

	if (dir < 0)
		return dir;
	for (unsigned i = 0; i < ARRAY_SIZE(files); i++)
		sys_unlinkat(dir, files[i], 0);
	sys_close(dir);
	return sys_unlinkat(root_fd, id, AT_REMOVEDIR);
}

/* Call each(id, arg) for every valid container ID in the root, in directory
 * order; stops at the first non-zero return and returns it. */
int state_list(int root_fd, int (*each)(const char *id, void *arg), void *arg)
{
	char buf[4096], err[8];
	int fd = sys_openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), ret = 0;
	long n;

	if (fd < 0)
		return fd;
	while (!ret && (n = sys_getdents64(fd, buf, sizeof(buf))) > 0)
		for (long off = 0; !ret && off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_type == 4 /* DT_DIR */ && state_id_check(d->d_name, err, sizeof(err)) == 0)
				ret = each(d->d_name, arg);
		}
	sys_close(fd);
	return ret;
}

/* Now as RFC 3339 in UTC with nanoseconds, trailing zeros dropped, as Go's
 * time.RFC3339Nano (runc's "created"): 2026-11-29T14:28:55.12345Z */
char *state_now(char buf[40])
{
	long ts[2] = { 0, 0 };
	long long days, z, era, doe, yoe, doy, mp;
	char *p = buf, *end = buf + 39;
	int ns;

	sys_clock_gettime(0, ts);
	days = ts[0] / 86400;
	/* civil_from_days, Howard Hinnant's algorithm */
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	{
		int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
		long long y = yoe + era * 400 + (m <= 2);
		int secs = (int)(ts[0] % 86400);
		int parts[] = { d, secs / 3600, secs / 60 % 60, secs % 60 };
		const char *seps = "T::";
		p = cat_u64(p, end, (u64)y);
		p = cat(p, end, m < 10 ? "-0" : "-");
		p = cat_u64(p, end, m);
		p = cat(p, end, "-");
		for (int i = 0; i < 4; i++) {
			if (parts[i] < 10)
				p = cat(p, end, "0");
			p = cat_u64(p, end, parts[i]);
			if (i < 3) {
				char s[2] = { seps[i], 0 };
				p = cat(p, end, s);
			}
		}
	}
	ns = (int)ts[1];
	if (ns) {
		char frac[11] = ".000000000";
		int last = 9;
		for (int i = 9; i >= 1; i--, ns /= 10)
			frac[i] = '0' + ns % 10;
		while (frac[last] == '0')
			last--;
		frac[last + 1] = 0;
		p = cat(p, end, frac);
	}
	cat(p, end, "Z");
	return buf;
}

/* The pid file engines read after create: digits only, no newline
 * (containerd parses it strictly), written as .NAME in the same directory
 * then renamed (runc's utils.WriteFile... createPidFile). */
int pid_file_write(const char *path, int pid)
{
	char dir[PATH_LIMIT], digits[16];
	const char *slash = path, *name;
	int dir_fd, ret;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			slash = p;
	if (str_len(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	if (*slash == '/') {
		memcpy(dir, path, slash == path ? 1 : slash - path);
		dir[slash == path ? 1 : slash - path] = 0;
		name = slash + 1;
	} else {
		dir[0] = '.', dir[1] = 0;
		name = path;
	}
	dir_fd = sys_open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir_fd < 0)
		return dir_fd;
	cat_u64(digits, digits + sizeof(digits) - 1, (u64)pid);
	ret = write_atomic(dir_fd, name, digits, str_len(digits), 0644);
	sys_close(dir_fd);
	return ret;
}
