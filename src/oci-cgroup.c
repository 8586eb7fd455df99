/* linux.resources for cgroup.c, OCI builds: which controllers a config
 * asks for and their files, v1 and v2, as runc writes them (libcontainer
 * cgroups/fs and fs2). Memory: limit, swap (OCI's swap is memory + swap),
 * reservation, swappiness, disableOOMKiller; cpu: shares, quota, period;
 * cpuset: cpus, mems; pids: limit. Devices stay in cgroup.c. */
#include "src/nanoctr.h"
#include "src/spec.h"

/* Is a limit of controller c asked for? */
int oci_wanted(const struct config *cfg, int c)
{
	const struct spec_resources *r = &cfg->spec->resources;

	switch (c) {
	case CG_MEMORY:
		return r->memory_limit || r->memory_swap || r->memory_reservation || r->swappiness >= 0 ||
		       r->disable_oom_killer;
	case CG_PIDS:
		return cfg->pids != 0;
	case CG_CPU:
		return r->cpu_shares || r->cpu_period || r->cpu_quota;
	case CG_DEVICES:
		return r->device_rule_count;
	case CG_CPUSET:
		return r->cpus || r->mems;
	}
	return 0;
}

static int put_value(const char *dir, const char *file, const char *value)
{
	char path[PATH_LIMIT];
	int ret = write_file(concat(path, sizeof(path), dir, "/", file), value);

	if (ret < 0)
		say(path, errno_text(ret));
	return ret;
}

/* v < 0 is "max" on v2, -1 on v1 (both: no limit) */
static char *number(char buf[24], long long v, int v2)
{
	if (v < 0)
		cat(buf, buf + 23, v2 ? "max" : "-1");
	else
		cat_u64(buf, buf + 23, (u64)v);
	return buf;
}

/* v1 cpuset: a new cgroup starts with empty cpus and mems, and no task may
 * join it so: each level made by us takes its parent's (runc does the same). */
void oci_cpuset_inherit(const char *dir)
{
	static const char files[2][12] = { "cpuset.cpus", "cpuset.mems" };
	char path[PATH_LIMIT], parent[PATH_LIMIT], value[256], *slash = NULL;
	int n;

	cat(parent, parent + sizeof(parent) - 1, dir);
	for (char *p = parent; *p; p++)
		if (*p == '/')
			slash = p;
	if (!slash)
		return;
	*slash = 0;
	for (int i = 0; i < 2; i++) {
		n = read_file(concat(path, sizeof(path), dir, "/", files[i]), value, sizeof(value));
		if (n > 1)
			continue;
		n = read_file(concat(path, sizeof(path), parent, "/", files[i]), value, sizeof(value));
		if (n > 0)
			write_file(concat(path, sizeof(path), dir, "/", files[i]), value);
	}
}

/* Controller c's limits into dir. 0, or -1 once said. */
int oci_limits(const struct config *cfg, int c, const char *dir, int v2)
{
	const struct spec_resources *r = &cfg->spec->resources;
	char a[24], b[24], both[56], path[PATH_LIMIT];
	struct statx st;
	int ret = 0;

	if (c == CG_MEMORY) {
		long long swap = r->memory_swap ? r->memory_swap : r->memory_limit;
		if (r->memory_limit)
			ret = put_value(dir, v2 ? "memory.max" : "memory.limit_in_bytes",
					number(a, r->memory_limit, v2));
		/* v1: memory + swap, as OCI's; v2: swap alone. No swap given:
		 * none beyond the limit (as `run`). Absent without swap accounting. */
		if (!ret && swap && (v2 ? (swap < 0 || swap >= r->memory_limit) : 1)) {
			if (v2 && swap > 0 && r->memory_limit > 0)
				swap -= r->memory_limit;
			concat(path, sizeof(path), dir, v2 ? "/memory.swap.max" : "/memory.memsw.limit_in_bytes", "");
			if (sys_statx(AT_FDCWD, path, 0, 0, &st) == 0)
				ret = put_value(dir, v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes",
						number(a, swap, v2));
		}
		if (!ret && r->memory_reservation)
			ret = put_value(dir, v2 ? "memory.low" : "memory.soft_limit_in_bytes",
					number(a, r->memory_reservation, v2));
		if (!ret && !v2 && r->swappiness >= 0)
			ret = put_value(dir, "memory.swappiness", number(a, r->swappiness, 0));
		if (!ret && !v2 && r->disable_oom_killer)
			ret = put_value(dir, "memory.oom_control", "1");
	} else if (c == CG_PIDS) {
		ret = put_value(dir, "pids.max", number(a, cfg->pids, 1));	/* "max" on v1 too */
	} else if (c == CG_CPU && v2) {
		/* runc's ConvertCPUSharesToCgroupV2Value: [2, 262144] onto [1, 10000] */
		if (r->cpu_shares)
			ret = put_value(dir, "cpu.weight",
					number(a, 1 + ((long long)r->cpu_shares - 2) * 9999 / 262142, 1));
		if (!ret && (r->cpu_quota || r->cpu_period)) {
			concat(both, sizeof(both), number(a, r->cpu_quota > 0 ? r->cpu_quota : -1, 1), " ",
			       number(b, r->cpu_period ? (long long)r->cpu_period : 100000, 1));
			ret = put_value(dir, "cpu.max", both);
		}
	} else if (c == CG_CPU) {
		if (r->cpu_shares)
			ret = put_value(dir, "cpu.shares", number(a, (long long)r->cpu_shares, 0));
		if (!ret && r->cpu_period)
			ret = put_value(dir, "cpu.cfs_period_us", number(a, (long long)r->cpu_period, 0));
		if (!ret && r->cpu_quota)
			ret = put_value(dir, "cpu.cfs_quota_us", number(a, r->cpu_quota, 0));
	} else if (c == CG_CPUSET) {
		if (r->cpus)
			ret = put_value(dir, "cpuset.cpus", r->cpus);
		if (!ret && r->mems)
			ret = put_value(dir, "cpuset.mems", r->mems);
	}
	return ret < 0 ? -1 : 0;
}

/* Is the cgroup dir frozen, or freezing: v1 freezer.state (its parent's
 * state shows there too), v2 its own cgroup.freeze "1" (asked, maybe not
 * done yet) or cgroup.events' "frozen 1" (a frozen parent's too). */
int oci_cgroup_frozen(const char *dir, int v2)
{
	char path[PATH_LIMIT], text[256];
	int n;

	if (v2 && read_file(concat(path, sizeof(path), dir, "/cgroup.freeze", ""), text, sizeof(text)) > 0 &&
	    text[0] == '1')
		return 1;
	n = read_file(concat(path, sizeof(path), dir, v2 ? "/cgroup.events" : "/freezer.state", ""),
		      text, sizeof(text));
	if (n <= 0)
		return 0;
	if (!v2)
		return str_prefix(text, "FROZEN") || str_prefix(text, "FREEZING");
	for (char *line = text; line; line = str_chr(line, '\n') ? str_chr(line, '\n') + 1 : NULL)
		if (str_prefix(line, "frozen 1"))
			return 1;
	return 0;
}
