/* cgroups: the container's cgroup is created beneath the caller's own (per
 * controller, from /proc/self/cgroup) or beneath --cgroup-parent, on pure
 * v2, v1 and hybrid hosts alike; limits are written before the command runs,
 * OOM kills are read back, and everything is killed and removed at the end.
 * A limit that was asked for and cannot be applied is an error. */
#include "src/nanoctr.h"
#include "src/spec.h"

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_SUPER_MAGIC 0x27e0eb
#define CGROUP_LEAF_MAX	20	/* "/nanoctr-" and a pid, at most 4194304 */

static const char *const controllers[CG_CONTROLLERS] = { "memory", "pids", "cpu", "devices",
							  "freezer", "cpuset" };
static const char *const options[CG_CONTROLLERS] = { "--memory", "--pids-limit", "--cpus",
						     "linux.resources.devices", "pause",
						     "linux.resources.cpu.cpus" };

/* Is a limit of controller c asked for? */
static int wanted(const struct config *cfg, int c)
{
	if (SPEC(cfg))
		return oci_wanted(cfg, c);	/* oci-cgroup.c */
	if (c == CG_DEVICES)
		return SPEC(cfg) && cfg->spec->resources.device_rule_count;
	if (c == CG_FREEZER || c == CG_CPUSET)
		return 0;
	return c == CG_MEMORY ? cfg->memory != 0 : c == CG_PIDS ? cfg->pids != 0 : cfg->cpu_quota != 0;
}

/* Does the comma- or space-separated list hold this word? */
static int list_has(const char *list, size_t len, const char *word)
{
	size_t n = str_len(word);

	for (size_t i = 0; i + n <= len; i++)
		if ((i == 0 || list[i - 1] == ',' || list[i - 1] == ' ') && !memcmp(list + i, word, n) &&
		    (i + n == len || list[i + n] == ',' || list[i + n] == ' ' || list[i + n] == '\n'))
			return 1;
	return 0;
}

/* The caller's cgroup path for a v1 controller, or for v2 (controller NULL),
 * from /proc/self/cgroup lines "ID:CONTROLLERS:PATH". */
static const char *own_cgroup(char *table, const char *controller, char *out, size_t size)
{
	for (char *line = table; *line;) {
		char *end = str_chr(line, '\n'), *c1 = str_chr(line, ':'), *c2;
		if (!end)
			end = line + str_len(line);
		c2 = c1 && c1 < end ? str_chr(c1 + 1, ':') : NULL;
		if (c2 && c2 < end && (controller ? list_has(c1 + 1, c2 - c1 - 1, controller)
						  : c2 == c1 + 1)) {
			size_t len = end - c2 - 1;
			if (len >= size)
				return NULL;
			memcpy(out, c2 + 1, len);
			out[len] = 0;
			return out;
		}
		line = *end ? end + 1 : end;
	}
	return NULL;
}

/* Runs while the child already exists: say what failed and let the caller
 * kill the child and clean up, never die here. */
static int fail(const char *what, const char *why)
{
	say(what, why);
	return -1;
}

int write_limit(const char *dir, const char *file, const char *value, int optional)
{
	char path[PATH_LIMIT];
	int ret;

	concat(path, sizeof(path), dir, "/", file);
	ret = write_file(path, value);
	if (ret == -ENOENT && optional)	/* e.g. no swap accounting */
		return 0;
	return ret < 0 ? fail(path, errno_text(ret)) : 0;
}

/* v2: a controller is usable in a cgroup only when every ancestor lists it
 * in cgroup.subtree_control. Enable it top-down where it is missing. */
static int enable_v2(const char *mount, const char *base, const char *name)
{
	char path[PATH_LIMIT], have[256], *p, *end = path + sizeof(path) - 1;
	const char *rest = base;

	p = cat(path, end, mount);
	for (;;) {
		int n;

		cat(p, end, "/cgroup.subtree_control");
		n = read_file(path, have, sizeof(have));
		if (n < 0)
			return fail(path, errno_text(n));
		if (!list_has(have, n, name)) {
			char plus[16];
			int ret;
			concat(plus, sizeof(plus), "+", name, "");
			ret = write_file(path, plus);
			if (ret == -EBUSY)
				return fail(path, "cannot enable the controller: this cgroup holds "
					    "processes (cgroup v2 no-internal-processes rule); use --cgroup-parent");
			if (ret < 0)
				return fail(path, errno_text(ret));
		}
		while (*rest == '/')
			rest++;
		if (!*rest)
			return 0;
		*p++ = '/';
		while (*rest && *rest != '/' && p < end)
			*p++ = *rest++;
		*p = 0;
	}
}

/* Remove the cgroups of runs that were killed before they could clean up:
 * "nanoctr-PID" directories whose PID no longer exists. */
static void remove_stale(const char *parent)
{
	char buf[2048], path[PATH_LIMIT];
	long n;
	int dir = sys_open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (dir < 0)
		return;
	while ((n = sys_getdents64(dir, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(buf + off);
			const char *digits = str_prefix(d->d_name, "nanoctr-"), *end;
			u64 pid;
			off += d->d_reclen;
			if (digits && parse_u64(digits, &end, &pid) == 0 && !*end &&
			    sys_kill((int)pid, 0) == -ESRCH) {
				concat(path, sizeof(path), parent, "/", d->d_name);
				sys_rmdir(path);
			}
		}
	sys_close(dir);
}

/* Where this controller's hierarchy is mounted: a v1 hierarchy of its own,
 * else cgroup2 at /sys/fs/cgroup (pure v2) or at /sys/fs/cgroup/unified. */
static int locate(int c, char *mount, size_t size)
{
	struct statfs_buf fs;
	char list[256];
	int n;

	concat(mount, size, CGROUP_ROOT "/", controllers[c], "");
	if (sys_statfs(mount, &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC)
		return 0;
	cat(mount, mount + size - 1, CGROUP_ROOT);
	if (sys_statfs(mount, &fs) < 0 || fs.f_type != CGROUP2_SUPER_MAGIC)
		cat(mount, mount + size - 1, CGROUP_ROOT "/unified");
	n = read_file(CGROUP_ROOT "/cgroup.controllers", list, sizeof(list));
	if (n < 0)
		n = read_file(CGROUP_ROOT "/unified/cgroup.controllers", list, sizeof(list));
	/* v2 has no device controller: an eBPF program on the cgroup does it */
	if (n > 0 && (list_has(list, n, controllers[c]) || c == CG_DEVICES))
		return 1;
	return -1;
}

/* Rootless: a limit needs its controller on cgroup v2, in a cgroup this
 * user may write (delegated to it, as systemd's Delegate=yes does): the
 * container's goes beneath it. v1 hierarchies are root's. */
static void rootless_check(const struct config *cfg, const struct cgroup *cg, int c)
{
	char table[4096], own[PATH_LIMIT / 4], dir[PATH_LIMIT], why[PATH_LIMIT + 96];

	if (!cg->v2[c])
		die_code(EXIT_SETUP, options[c], "rootless, a limit needs a cgroup v2 subtree "
			 "delegated to this user (here the controller is on cgroup v1, root's)");
	if (read_file("/proc/self/cgroup", table, sizeof(table)) < 0)
		table[0] = 0;
	concat(dir, sizeof(dir), cg->mounts[c], cfg->cgroup_parent ? cfg->cgroup_parent :
	       own_cgroup(table, NULL, own, sizeof(own)) ?: "/", "");
	if (sys_access(dir, W_OK) < 0)
		die_code(EXIT_SETUP, options[c], concat(why, sizeof(why), "rootless, a limit needs a "
			 "cgroup v2 subtree delegated to this user (", dir, " is not writable)"));
}

/* Before anything exists: find every controller asked for (its hierarchy
 * goes into cg for cgroup_prepare) and --cgroup-parent in each. */
void cgroup_check(const struct config *cfg, struct cgroup *cg)
{
	char path[PATH_LIMIT];
	struct statx st;
	int ret;

	memset(cg, 0, sizeof(*cg));
	for (int c = 0; c < CG_CONTROLLERS; c++) {
		cg->dir_of[c] = -1;
		/* OCI: every hierarchy but cpuset (its new cgroups are empty) */
		if (!wanted(cfg, c) && (!SPEC(cfg) || c == CG_CPUSET))
			continue;
		/* OCI: a cgroup in every hierarchy there is (kill --all, delete
		 * find the processes there); a limit without its controller is
		 * an error (devices on v2: cgroup-devices.c's eBPF program). */
		cg->v2[c] = locate(c, cg->mounts[c], sizeof(cg->mounts[c]));
		if (cg->v2[c] < 0 && wanted(cfg, c))
			die_code(EXIT_SETUP, options[c], "no such cgroup controller on this host");
		if (cg->v2[c] >= 0 && wanted(cfg, c) && sys_geteuid())
			rootless_check(cfg, cg, c);
		if (cg->v2[c] < 0 || cfg->cgroup_path)
			continue;
		if (!cfg->cgroup_parent)
			continue;
		/* the container's directory, mount + parent + "/nanoctr-PID",
		 * must fit cg->dirs whole: a cut path would be a sibling cgroup */
		if (str_len(cg->mounts[c]) + str_len(cfg->cgroup_parent) + CGROUP_LEAF_MAX >=
		    sizeof(cg->dirs[0]))
			die_code(EXIT_SETUP, "--cgroup-parent", "path too long");
		concat(path, sizeof(path), cg->mounts[c], cfg->cgroup_parent, "");
		ret = sys_statx(AT_FDCWD, path, 0, STATX_TYPE, &st);
		if (ret < 0)
			die(path, ret);
		if (!S_ISDIR(st.stx_mode))
			die_code(EXIT_SETUP, path, "not a directory");
	}
}

/* Controller c's limit, in its layout's files. */
static int write_limits(const struct config *cfg, int c, const char *dir, int v2)
{
	char value[48], *end = value + sizeof(value) - 1;
	int ret;

	if (c == CG_MEMORY) {
		cat_u64(value, end, cfg->memory);
		ret = write_limit(dir, v2 ? "memory.max" : "memory.limit_in_bytes", value, 0);
		/* no swap beyond the limit; absent without swap accounting */
		if (ret == 0)
			ret = write_limit(dir, v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes",
					  v2 ? "0" : value, 1);
		return ret;
	}
	if (c == CG_PIDS) {
		cat_u64(value, end, (u64)cfg->pids);
		return write_limit(dir, "pids.max", value, 0);
	}
	if (v2) {
		cat(cat_u64(value, end, cfg->cpu_quota), end, " 100000");
		return write_limit(dir, "cpu.max", value, 0);
	}
	cat_u64(value, end, cfg->cpu_quota);
	ret = write_limit(dir, "cpu.cfs_period_us", "100000", 0);
	return ret ? ret : write_limit(dir, "cpu.cfs_quota_us", value, 0);
}

/* OCI: the cgroup is cgroupsPath itself (parents made as needed); it may
 * exist already (runc joins it). Limits only where asked. */
static int oci_cgroup_dir(const struct config *cfg, struct cgroup *cg, int c, const char *base)
{
	char *dir = cg->dirs[cg->count], *p;
	int i, ret, v2 = cg->v2[c];

	concat(dir, sizeof(cg->dirs[0]), cg->mounts[c], base, "");
	for (i = 0; i < cg->count && !str_eq(cg->dirs[i], dir); i++)
		;
	cg->dir_of[c] = i;
	if (cfg->options & OPT_CG_LOOKUP) {
		cg->count += i == cg->count;
		return 0;
	}
	/* v2: one directory for all the controllers, made once; each one
	 * still gets enabled and its limits below */
	if (i == cg->count) {
		cg->count++;
		for (p = dir + str_len(cg->mounts[c]) + 1; (p = str_chr(p, '/')); *p++ = '/') {
			*p = 0;
			if (sys_mkdir(dir, 0755) == 0 && c == CG_CPUSET && !v2)
				oci_cpuset_inherit(dir);
		}
		ret = sys_mkdir(dir, 0755);
		if (ret < 0 && ret != -EEXIST)
			return cg->count--, fail(dir, errno_text(ret));
		if (c == CG_CPUSET && !v2)
			oci_cpuset_inherit(dir);
		/* runc's check: an init joining a frozen cgroup (its own, kept
		 * from before, or a frozen parent's) would never run */
		if ((v2 || c == CG_FREEZER) && oci_cgroup_frozen(dir, v2)) {
			if (ret == -EEXIST)	/* not ours to remove */
				cg->count--, cg->dir_of[c] = -1;
			return fail(dir, "container's cgroup unexpectedly frozen");
		}
	}
	if (v2 && wanted(cfg, c) && c != CG_DEVICES) {	/* devices: a program, not a controller */
		char parent[PATH_LIMIT / 4];
		char *slash = parent;
		cat(parent, parent + sizeof(parent) - 1, base);
		for (p = parent; *p; p++)
			if (*p == '/')
				slash = p;
		*slash = 0;
		if (enable_v2(cg->mounts[c], parent, controllers[c]) < 0)
			return -1;
	}
	if (!wanted(cfg, c))
		return 0;
	return c == CG_DEVICES ? devices_apply(cfg, dir, v2) : oci_limits(cfg, c, dir, v2);
}

/* OCI update: the limits cfg sets, written into the container's existing
 * cgroups (found by cgroup_prepare with OPT_CG_LOOKUP). v1 memory: memsw is
 * written first too, so that raising the limit above the old memsw works. */
int cgroup_update(const struct config *cfg, struct cgroup *cg)
{
	for (int c = CG_MEMORY; c <= CG_CPU; c++) {
		const char *dir = cg->dir_of[c] >= 0 ? cg->dirs[cg->dir_of[c]] : NULL;
		if (!wanted(cfg, c))
			continue;
		if (!dir)
			return fail(options[c], "no such cgroup for this container");
		if (c == CG_MEMORY && !cg->v2[c]) {
			char value[24], path[PATH_LIMIT];
			long long v = (long long)cfg->memory;
			/* OCI: the memsw oci_limits will write (swap, else the
			 * limit; -1 none), as runc's setMemoryAndSwap orders them:
			 * `update --memory -1` over a 10m memsw was EINVAL */
			if (SPEC(cfg))
				v = SPEC(cfg)->resources.memory_swap ? SPEC(cfg)->resources.memory_swap
								     : SPEC(cfg)->resources.memory_limit;
			if (v < 0)
				cat(value, value + sizeof(value) - 1, "-1");
			else
				cat_u64(value, value + sizeof(value) - 1, (u64)v);
			if (v)
				write_file(concat(path, sizeof(path), dir, "/memory.memsw.limit_in_bytes", ""), value);
		}
		if ((SPEC(cfg) ? oci_limits(cfg, c, dir, cg->v2[c]) : write_limits(cfg, c, dir, cg->v2[c])) < 0)
			return -1;
	}
	return 0;
}

/* In the parent, while the child sets up its mounts: make the cgroups and
 * write the limits. On failure the message is out and -1 returned; what was
 * made is in cg for cgroup_destroy(). */
int cgroup_prepare(const struct config *cfg, struct cgroup *cg)
{
	char table[4096], base[PATH_LIMIT / 4];
	int c, ret;

	if (!config_has_limits(cfg) && !SPEC(cfg))
		return 0;
	ret = read_file("/proc/self/cgroup", table, sizeof(table));
	if (ret >= (int)sizeof(table) - 1)
		ret = -E2BIG;	/* cut: its last line could be a cut path */
	if (ret < 0)
		return fail("/proc/self/cgroup", errno_text(ret));

	for (c = 0; c < CG_CONTROLLERS; c++) {
		const char *mount = cg->mounts[c];
		int v2 = cg->v2[c], i;
		char *dir, *end;

		/* OCI: cpuset only when asked; by a user, only the limits asked
		 * (as runc's rootless manager: the hierarchies are not ours) */
		if (SPEC(cfg) ? v2 < 0 || (!wanted(cfg, c) && (c == CG_CPUSET || sys_geteuid())) : !wanted(cfg, c))
			continue;
		if (cfg->cgroup_path && cfg->cgroup_path[0] == '/')
			cat(base, base + sizeof(base) - 1, cfg->cgroup_path);
		else if (cfg->cgroup_path && own_cgroup(table, v2 ? NULL : controllers[c], base, sizeof(base)))
			concat(base + str_len(base) - str_eq(base, "/"), sizeof(base) - str_len(base),
			       "/", cfg->cgroup_path, "");
		else if (cfg->cgroup_path)
			return fail("linux.cgroupsPath", "cannot find our own cgroup in /proc/self/cgroup");
		else if (cfg->cgroup_parent)
			cat(base, base + sizeof(base) - 1, cfg->cgroup_parent);
		else if (!own_cgroup(table, v2 ? NULL : controllers[c], base, sizeof(base)))
			return fail(options[c], "cannot find our own cgroup in /proc/self/cgroup");
		if (str_eq(base, "/"))
			base[0] = 0;
		if (str_len(mount) + str_len(base) + CGROUP_LEAF_MAX >= sizeof(cg->dirs[0]))
			return fail(base, "cgroup path too long");
		if (SPEC(cfg)) {
			if (oci_cgroup_dir(cfg, cg, c, base) < 0)
				return -1;
			continue;
		}
		if (v2 && enable_v2(mount, base, controllers[c]) < 0)
			return -1;

		dir = cg->dirs[cg->count];
		end = dir + sizeof(cg->dirs[0]) - 1;
		concat(dir, sizeof(cg->dirs[0]), mount, base, "");
		remove_stale(dir);
		cat_u64(cat(dir + str_len(dir), end, "/nanoctr-"), end, (u64)sys_getpid());
		for (i = 0; i < cg->count && !str_eq(cg->dirs[i], dir); i++)
			;
		cg->dir_of[c] = i;
		if (i == cg->count) {
			ret = sys_mkdir(dir, 0755);
			if (ret < 0)
				return fail(dir, errno_text(ret));
			cg->count++;
		}
		if (write_limits(cfg, c, dir, v2) < 0)
			return -1;
	}
	return 0;
}

/* Is directory i of cg in a cgroup v2 hierarchy? */
static int dir_is_v2(const struct cgroup *cg, int i)
{
	for (int c = 0; c < CG_CONTROLLERS; c++)
		if (cg->dir_of[c] == i)
			return cg->v2[c];
	return 0;
}

/* pid into every cgroup of cg, by cgroup.procs; with skip_v1 only into the
 * v2 ones (the child joins the v1 ones itself: cgroup_join). Returns 0 or
 * -errno; the caller says it (the child may have failed first). */
int cgroup_enter(struct cgroup *cg, int pid, int skip_v1)
{
	char path[PATH_LIMIT], value[24];
	int ret;

	cat_u64(value, value + sizeof(value) - 1, (u64)pid);
	for (int i = 0; i < cg->count; i++) {
		if (skip_v1 && !dir_is_v2(cg, i))
			continue;
		concat(path, sizeof(path), cg->dirs[i], "/cgroup.procs", "");
		ret = write_file(path, value);
		if (ret < 0)
			return ret;	/* the caller says it: the child may have failed first */
	}
	return 0;
}

/* In the child, first thing, still in a copy of the host's mount tree: join
 * the v1 cgroups of cg by writing "0" to their "tasks", which moves the
 * caller alone (the child is single-threaded: the whole process). A pid
 * written to cgroup.procs (or tasks) takes cgroup_threadgroup_rwsem for
 * writing, and that waits for an RCU grace period unless a migration ran in
 * the last one (rcu_sync): 9.4-17.5 ms measured on this 6.18 VM, against
 * ~20 us for "0" into tasks, which takes no such lock (kernel/cgroup:
 * cgroup_procs_write_start(), threadgroup_locked = pid || threadgroup). v2
 * has no tasks file: the parent moves the child there. Dies on failure. */
void cgroup_join(const struct cgroup *cg)
{
	char path[PATH_LIMIT];
	int ret;

	for (int i = 0; cg && i < cg->count; i++) {
		if (dir_is_v2(cg, i))
			continue;
		concat(path, sizeof(path), cg->dirs[i], "/tasks", "");
		ret = write_file(path, "0");
		if (ret < 0)
			die(path, ret);
	}
}

/* The kernel's count of OOM kills in the container's memory cgroup. */
/* A counter from a cgroup file: "key N" lines, or a bare number (key NULL).
 * -1 when the file or the key is not there. */
static long long cgroup_count(const struct cgroup *cg, int i, const char *file, const char *key)
{
	char path[PATH_LIMIT], text[512];
	const char *p, *rest;
	u64 v;

	concat(path, sizeof(path), cg->dirs[i], file, "");
	if (read_file(path, text, sizeof(text)) < 0)
		return -1;
	for (p = text; *p; p++)
		if ((p == text || p[-1] == '\n') && (!key || (rest = str_prefix(p, key))))
			return parse_u64(key ? rest : p, &p, &v) == 0 ? (long long)v : -1;
	return -1;
}

/* Did the kernel's OOM killer strike in the container's memory cgroup?
 * v2 memory.events and v1 memory.oom_control (4.13+) count OOM kills; an
 * older v1 has only memory.failcnt: the limit was hit and the command was
 * SIGKILLed is then the best sign there is. */
int cgroup_oom_killed(struct cgroup *cg, int status)
{
	int i = cg->dir_of[CG_MEMORY];
	long long kills;

	if (i < 0)
		return 0;
	kills = cgroup_count(cg, i, cg->v2[CG_MEMORY] ? "/memory.events" : "/memory.oom_control",
			     "oom_kill ");
	if (kills >= 0 || cg->v2[CG_MEMORY])
		return kills > 0;
	return !WIFEXITED(status) && WTERMSIG(status) == SIGKILL &&
	       cgroup_count(cg, i, "/memory.failcnt", NULL) > 0;
}

/* Kill whatever is left in the cgroup, then remove it. */
static void remove_dir(const char *dir, int v2)
{
	char path[PATH_LIMIT], *name, procs[4096];
	int ret;

	name = cat(path, path + sizeof(path) - 1, dir);
	if (v2) {
		cat(name, path + sizeof(path) - 1, "/cgroup.kill");
		write_file(path, "1");
	}
	for (int attempt = 0; attempt < 200; attempt++) {
		ret = sys_rmdir(dir);
		if (ret != -EBUSY)
			break;
		/* Before cgroup.kill (5.14) and on v1: kill pid by pid. */
		cat(name, path + sizeof(path) - 1, "/cgroup.procs");
		if (read_file(path, procs, sizeof(procs)) > 0)
			for (const char *p = procs; *p;) {
				u64 pid;
				if (parse_u64(p, &p, &pid) == 0)
					sys_kill((int)pid, SIGKILL);
				while (*p == '\n')
					p++;
			}
		sys_sleep_ms(attempt < 20 ? 1 : 10);
	}
	if (ret < 0 && ret != -ENOENT)
		warn(dir, ret);
}

void cgroup_destroy(struct cgroup *cg)
{
	for (int i = 0; i < cg->count; i++)
		remove_dir(cg->dirs[i], dir_is_v2(cg, i));
	cg->count = 0;
}

/* In the container, after /sys is mounted and the cgroup namespace is the
 * container's own: show its cgroups, read-only, at /sys/fs/cgroup. */
void cgroup_mount_view(void)
{
	const unsigned long ro = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct statfs_buf fs;
	char table[2048], target[128], options[96];
	int ret;

	if (sys_statfs(CGROUP_ROOT, &fs) < 0)
		return;
	ret = read_file("/proc/self/cgroup", table, sizeof(table));
	if (ret <= 0)
		return;
	if (table[0] == '0' && table[1] == ':' && table[2] == ':' && !str_chr(table, '\n')[1]) {
		/* pure v2: one line "0::/" */
		sys_mount("cgroup2", CGROUP_ROOT, "cgroup2", ro, NULL);
		return;
	}
	if (sys_mount("cgroup", CGROUP_ROOT, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		      "mode=755,size=0") < 0)
		return;
	for (char *line = table; *line;) {
		char *end = str_chr(line, '\n'), *c1 = str_chr(line, ':'), *c2;
		if (!end)
			break;
		*end = 0;
		c2 = c1 ? str_chr(c1 + 1, ':') : NULL;
		if (c2) {
			const char *name, *type = "cgroup";
			*c2 = 0;
			name = c1 + 1;
			if (!*name) {
				name = "unified";
				type = "cgroup2";
				options[0] = 0;
			} else if (str_prefix(name, "name=")) {
				concat(options, sizeof(options), "none,", name, "");
				name += 5;
			} else {
				cat(options, options + sizeof(options) - 1, name);
			}
			concat(target, sizeof(target), CGROUP_ROOT "/", name, "");
			sys_mkdir(target, 0755);
			sys_mount(type, target, type, ro, *options ? options : NULL);
		}
		line = end + 1;
	}
	sys_mount(NULL, CGROUP_ROOT, NULL, MS_REMOUNT | ro, "mode=755,size=0");
}
