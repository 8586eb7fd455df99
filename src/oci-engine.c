/* A bundle's container spec (oci-config.c) for the engine `run` uses: the
 * spec turned into run's struct config (spec_to_config), the namespaces to
 * clone, the default cgroup, and what the container's setup applies from the
 * spec alone (rlimits, oomScoreAdj, umask, additionalGids). What the engine
 * cannot do yet is refused, never dropped. The commands are in oci-run.c. */
#include "src/nanoctr.h"
#include "src/spec.h"

static NORETURN void fail(const char *what, const char *why)
{
	die_code(1, what, why);
}

/* count zeroed entries of size bytes (an anonymous mapping, kept: the
 * commands are short-lived), or exit 1. */
static void *zeroed_array(unsigned long count, unsigned long size)
{
	long map = sys_mmap_anon(count * size + 1);

	if ((unsigned long)map > -4096UL)
		fail("config.json", errno_text((int)map));
	return (void *)map;
}

/* The mounts the engine makes itself, as spec_defaults() lists them. */
static int engine_mount(const char *dst)
{
	static const char own[] = "/proc\0/dev\0/dev/pts\0/dev/shm\0/dev/mqueue\0/sys\0/sys/fs/cgroup\0";

	for (const char *p = own; *p; p += str_len(p) + 1)
		if (str_eq(p, dst))
			return 1;
	return 0;
}

unsigned long oci_clone_flags(const struct spec *sp)
{
	static const int kinds[] = { NS_IPC, NS_UTS, NS_NET, NS_PID };
	unsigned long flags = CLONE_NEWNS | SIGCHLD;

	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++)
		if (sp->namespaces[kinds[i]].wanted && !sp->namespaces[kinds[i]].path)
			flags |= ns_clone_flags[kinds[i]];
	return flags;
}

/* A sysctl must be one of the container's own namespaces (runc's
 * validator): the IPC ones need an ipc namespace, net.* a network one,
 * kernel.hostname/domainname a uts one; anything else would change the
 * host. Refused before anything is created. */
static void sysctl_check(const struct spec *sp, const char *key, int joined)
{
	static const char ipc[] = "kernel.msgmax\0kernel.msgmnb\0kernel.msgmni\0kernel.sem\0"
		"kernel.shmall\0kernel.shmmax\0kernel.shmmni\0kernel.shm_rmid_forced\0";
	char what[PATH_LIMIT], path[PATH_LIMIT];
	int ns = -1;

	for (const char *p = ipc; *p; p += str_len(p) + 1)
		if (str_eq(p, key))
			ns = NS_IPC;
	if (str_prefix(key, "fs.mqueue."))
		ns = NS_IPC;
	else if (str_prefix(key, "net.") || str_prefix(key, "net/"))
		ns = NS_NET;
	else if (str_eq(key, "kernel.hostname") || str_eq(key, "kernel.domainname"))
		ns = NS_UTS;
	concat(what, sizeof(what), "linux.sysctl: ", key, "");
	if (sysctl_path(key, path, sizeof(path)) < 0)
		fail(what, "not a sysctl name");
	if (ns < 0)
		fail(what, "not in a namespace of the container's own (it would change the host)");
	if (!sp->namespaces[ns].wanted)
		fail(what, ns == NS_NET ? "needs a network namespace (linux.namespaces)" :
			   ns == NS_IPC ? "needs an ipc namespace (linux.namespaces)" :
			   "needs a uts namespace (linux.namespaces)");
	/* runc's validator, hostname given or not: "hostname" is the field */
	if (str_eq(key, "kernel.hostname"))
		fail(what, "not allowed: it conflicts with the OCI hostname field");
	/* one joined by path may be the runtime's own: the write would change the
	 * host (runc's checkHostNs, for net.*; here for the three) */
	if (joined && sp->namespaces[ns].path) {
		struct statx a, b;
		const char *self = ns == NS_NET ? "/proc/self/ns/net" :
				   ns == NS_IPC ? "/proc/self/ns/ipc" : "/proc/self/ns/uts";
		if (sys_statx(AT_FDCWD, sp->namespaces[ns].path, 0, STATX_INO, &a) == 0 &&
		    sys_statx(AT_FDCWD, self, 0, STATX_INO, &b) == 0 && a.stx_ino == b.stx_ino &&
		    a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor)
			fail(what, "the namespace joined is the host's (it would change the host)");
	}
}

/* create/run, before it joins the spec's namespaces (then /proc/self/ns is
 * the joined one): no sysctl into a namespace joined by path that is the
 * runtime's own. Exits 1 with the line. */
void oci_sysctl_joined_check(const struct spec *sp)
{
	for (int i = 0; i < sp->sysctl_count; i++)
		sysctl_check(sp, sp->sysctl[i].key, 1);
}

/* What the engine cannot do yet is refused, never dropped (issue 10:
 * never less isolation than asked). */
void spec_to_config(const struct spec *sp, struct config *cfg, char **envp)
{
	static char listen[2][32], err[300];
	const struct spec_process *p = &sp->process;
	const char *listen_fds = NULL;
	char *const *e0;
	u64 n;

	memset(cfg, 0, sizeof(*cfg));
	cfg->spec = sp;
	cfg->console_sock = -1;
	cfg->rootfs = sp->root_path;
	cfg->hostname = sp->hostname;
	cfg->workdir = p->cwd;
	cfg->command = (char **)p->args;
	cfg->host_env = envp;
	for (char **e = envp; *e; e++)
		if (str_prefix(*e, "LISTEN_FDS="))
			listen_fds = *e + 11;
	/* room for the config's, LISTEN_FDS and LISTEN_PID, exec's --env, the NULL */
	for (n = 0, e0 = p->env; e0 && *e0; e0++)
		n++;
	cfg->env_room = (int)n + 3 + MAX_ENV;
	cfg->mounts = zeroed_array(sp->mount_count, sizeof(*cfg->mounts));
	cfg->env = zeroed_array(cfg->env_room, sizeof(*cfg->env));
	for (char *const *e = p->env; e && *e; e++)
		cfg->env[cfg->env_count++] = *e;
	/* systemd socket activation, as runc: LISTEN_FDS fds after stdio */
	if (listen_fds && parse_u64(listen_fds, &listen_fds, &n) == 0 && !*listen_fds && n < 1024) {
		cfg->preserve_fds = (int)n;
		cat_u64(cat(listen[0], listen[0] + 31, "LISTEN_FDS="), listen[0] + 31, n);
		cat(listen[1], listen[1] + 31, "LISTEN_PID=1");
		cfg->env[cfg->env_count++] = listen[0];
		cfg->env[cfg->env_count++] = listen[1];
	}
	cfg->env[cfg->env_count] = NULL;
	cfg->uid = p->uid;
	cfg->gid = p->gid;
	cfg->options = OPT_USER | OPT_GROUP | OPT_INTERACTIVE;
	if (sp->namespaces[NS_USER].wanted)	/* run.c adds CLONE_NEWUSER */
		cfg->options |= OPT_USERNS;
	cfg->caps = (p->caps[CAPS_EFFECTIVE] | p->caps[CAPS_PERMITTED]) & p->caps[CAPS_BOUNDING];
	if (p->terminal)
		cfg->options |= OPT_TTY;
	cfg->console_size.row = (unsigned short)p->console_height;
	cfg->console_size.col = (unsigned short)p->console_width;
	/* linux.seccomp: compiled and loaded exactly (seccomp.c); none asked,
	 * none installed, as runc. no_new_privs only when asked (runc): without
	 * it the filter is loaded while CAP_SYS_ADMIN is held (security.c). */
	if (!sp->seccomp_token)
		cfg->options |= OPT_NO_SECCOMP;
	else if (seccomp_load_json(sp->json, sp->seccomp_token, err, sizeof(err)) < 0)
		fail(err, NULL);
	if (!p->no_new_privileges)
		cfg->options |= OPT_NO_NNP;
	if (sp->root_readonly)
		cfg->options |= OPT_READ_ONLY;
	if (!sp->namespaces[NS_NET].wanted)
		cfg->options |= OPT_NET_HOST;
	if (!sp->namespaces[NS_MOUNT].wanted || sp->namespaces[NS_MOUNT].path)
		fail("linux.namespaces", "the engine needs a mount namespace of its own");
	if (sp->namespaces[NS_TIME].wanted)
		fail("linux.namespaces", "time namespaces are not supported yet");
	/* asked for and not done yet: refused rather than ignored */
	for (int i = 0; i < sp->sysctl_count; i++)
		sysctl_check(sp, sp->sysctl[i].key, 0);
	if (sp->resources.memory_limit > 0) {
		cfg->memory = (u64)sp->resources.memory_limit;
		cfg->memory_text = "linux.resources.memory.limit";
	}
	/* <= -1: no limit, written as "max" (update lifts one that way) */
	if (sp->resources.pids_limit)
		cfg->pids = sp->resources.pids_limit > 0 ? (long)sp->resources.pids_limit : -1;
	if (sp->resources.cpu_quota > 0) {
		u64 period = sp->resources.cpu_period ? sp->resources.cpu_period : 100000;
		cfg->cpu_quota = (unsigned)((u64)sp->resources.cpu_quota * 100000 / period);
		if (!cfg->cpu_quota)
			cfg->cpu_quota = 1;
	}
	/* "" or "/" would be a hierarchy's root: delete would kill all in it */
	if (sp->cgroups_path && *sp->cgroups_path && !str_eq(sp->cgroups_path, "/"))
		cfg->cgroup_path = sp->cgroups_path;
	for (int i = 0; i < sp->mount_count; i++) {
		const struct spec_mount *m = &sp->mounts[i];
		struct mount_request *r = &cfg->mounts[cfg->mount_count];
		if (engine_mount(m->destination))
			continue;
		r->target = m->destination;
		if ((m->flags & MS_BIND) || str_eq(m->type, "bind")) {	/* type "bind": one too (crun) */
			r->kind = MOUNT_BIND;
			r->source = m->source;
			r->read_only = !!(m->flags & MS_RDONLY);
			/* ro, nosuid, nodev, noexec and their recursive r* forms: on the
			 * whole bound tree (runc: the plain ones on its top mount only);
			 * "bind" the one mount, "rbind" those beneath it too */
			r->flags = (m->flags | m->attr_set) & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REC);
			r->propagation = m->propagation;
		} else if (*m->type) {
			/* tmpfs, proc, sysfs, mqueue, devpts, cgroup, ... elsewhere
			 * than the engine's own places */
			r->kind = MOUNT_TMPFS;
			r->fstype = m->type;
			r->source = m->source;
			r->flags = m->flags;
			r->data = m->data;
		} else {
			fail(m->destination, "a mount needs a type, or bind/rbind in its options");
		}
		cfg->mount_count++;
	}
}

/* Without cgroupsPath: "nanoctr-oci-ID" beneath the caller's own cgroup, a
 * path every later command finds again (never the caller's cgroup itself:
 * delete kills what is in the container's cgroup). */
void cgroup_default(struct config *cfg, const char *id)
{
	static char path[300];

	if (!cfg->cgroup_path)
		cfg->cgroup_path = concat(path, sizeof(path), "nanoctr-oci-", id, "");
}

/* In the container, after the user is resolved, before privileges drop. */
void oci_child_setup(const struct config *cfg)
{
	const struct spec_process *p = &cfg->spec->process;
	char value[24];
	int ret;

	for (int i = 0; i < p->rlimit_count; i++) {
		u64 limit[2] = { p->rlimits[i].soft, p->rlimits[i].hard };
		ret = sys_prlimit(0, p->rlimits[i].resource, limit);
		if (ret < 0) {
			char what[40];
			concat(what, sizeof(what), "process.rlimits: RLIMIT_", rlimit_names[p->rlimits[i].resource], "");
			die_code(EXIT_SETUP, what, errno_text(ret));
		}
	}
	if (p->has_oom_score_adj) {
		long long v = p->oom_score_adj;
		char *q = value;
		if (v < 0)
			*q++ = '-', v = -v;
		cat_u64(q, value + sizeof(value) - 1, (u64)v);
		ret = write_file("/proc/self/oom_score_adj", value);
		if (ret < 0)
			die("process.oomScoreAdj", ret);
	}
	sys_umask(p->umask >= 0 ? (unsigned)p->umask : 022);
}

const u32 *oci_groups(const struct config *cfg, int *count)
{
	*count = cfg->spec->process.additional_gid_count;
	return cfg->spec->process.additional_gids;
}
