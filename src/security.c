/* Privileges: capabilities (docker's default set), no_new_privs, and the
 * seccomp filter, applied last before exec. */
#include "src/nanoctr.h"
#include "src/spec.h"

/* Docker's default set without MKNOD: no device cgroup forbids using a node. */
#define CAP(n) (1ULL << (n))
#define DEFAULT_CAPS (CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) | \
		      CAP(8) | CAP(10) | CAP(13) | CAP(18) | CAP(29) | CAP(31))

static int upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

/* A name with or without CAP_, in any case; or ALL (~0), in any case, as
 * docker (moby oci/caps NormalizeLegacyCapabilities). */
int caps_parse(const char *name, u64 *mask)
{
	const char *p = name;

	if (upper(p[0]) == 'A' && upper(p[1]) == 'L' && upper(p[2]) == 'L' && !p[3]) {
		*mask = ~0ULL;
		return 0;
	}
	if (upper(p[0]) == 'C' && upper(p[1]) == 'A' && upper(p[2]) == 'P' && p[3] == '_')
		p += 4;
	for (unsigned i = 0; i < ARRAY_SIZE(cap_names); i++) {
		const char *a = p, *b = cap_names[i];
		while (*a && upper(*a) == *b)
			a++, b++;
		if (!*a && !*b) {
			*mask = CAP(i);
			return 0;
		}
	}
	return -EINVAL;
}

/* The capabilities the container keeps, whatever the order of the options,
 * as docker (moby oci/caps TweakCapabilities): --privileged is all of them;
 * --cap-add ALL is all but the dropped ones (a --cap-drop ALL beside it
 * drops nothing); else --cap-drop ALL is only the added ones; else the
 * default set minus the dropped plus the added (an added one is kept even
 * when it is dropped too). */
u64 caps_resolve(const struct config *cfg)
{
	if (cfg->options & OPT_PRIVILEGED)
		return ~0ULL;
	if (cfg->options & OPT_CAP_ADD_ALL)
		return ~cfg->cap_drop;
	if (cfg->options & OPT_CAP_DROP_ALL)
		return cfg->cap_add;
	return (DEFAULT_CAPS & ~cfg->cap_drop) | cfg->cap_add;
}

/* A capability asked for by name (run's --cap-add; OCI: the config's
 * effective and permitted sets) that this process's bounding set lacks
 * cannot be given: refused before anything is created (runc and crun fail
 * at capset(2), EPERM), never silently left out. --privileged and --cap-add
 * ALL mean all there is. Exits 125 (OCI: 1) naming it. */
void caps_check(const struct config *cfg)
{
	u64 asked = SPEC(cfg) ? cfg->caps :
		    cfg->options & (OPT_PRIVILEGED | OPT_CAP_ADD_ALL) ? 0 : cfg->cap_add;
	char what[40];

	for (int cap = 0; cap < CAP_NAME_COUNT; cap++)
		if ((asked & CAP(cap)) && sys_prctl(PR_CAPBSET_READ, cap, 0) == 0)
			die_code(EXIT_SETUP, concat(what, sizeof(what), SPEC(cfg) ? "process.capabilities: CAP_" :
						    "--cap-add: CAP_", cap_names[cap], ""),
				 "not in this process's bounding set: it cannot be given");
}

/* Returns keep limited to the capabilities this kernel knows and we hold. */
static u64 bounding_drop(u64 keep)
{
	int cap;

	for (cap = 0; cap <= CAP_LAST_POSSIBLE; cap++) {
		int ret = sys_prctl(keep & CAP(cap) ? PR_CAPBSET_READ : PR_CAPBSET_DROP, cap, 0);
		if (ret == -EINVAL)
			break;	/* past the kernel's last capability */
		if (ret < 0)
			die("drop capabilities", ret);
		if (ret == 0)	/* not ours to give (a bounding set above us) */
			keep &= ~CAP(cap);
	}
	return cap > CAP_LAST_POSSIBLE ? keep : keep & (CAP(cap) - 1);
}

/* keep: effective and permitted. inheritable and ambient: OCI's sets (0 for
 * run), within keep; an ambient capability that cannot be raised is an error. */
static void caps_set(u64 keep, u64 inheritable, u64 ambient)
{
	struct cap_header hdr = { LINUX_CAPABILITY_VERSION_3, 0 };
	struct cap_data data[2];
	int ret;

	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = (u32)keep;
	data[1].effective = data[1].permitted = (u32)(keep >> 32);
	data[0].inheritable = (u32)(inheritable & keep);
	data[1].inheritable = (u32)((inheritable & keep) >> 32);
	ret = sys_capset(&hdr, data);
	if (ret < 0)
		die("capset", ret);
	sys_prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0);
	ambient &= inheritable & keep;
	for (int cap = 0; ambient && cap <= CAP_LAST_POSSIBLE; cap++)
		if ((ambient & CAP(cap)) && (ret = sys_prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap)) < 0)
			die("process.capabilities.ambient", ret);
}

static void user_switch(unsigned uid, unsigned gid, unsigned cfg_options)
{
	int ret = sys_setresgid(gid);

	if (ret == 0)
		ret = sys_setresuid(uid);
	if (ret == -EINVAL && (cfg_options & OPT_USERNS))
		userns_unmapped();
	if (ret < 0)
		die("--user", ret);
}

void security_apply(const struct config *cfg, unsigned uid, unsigned gid, int entered)
{
	u64 caps = cfg->caps;
	const u32 *groups;
	int ret, count;

	/* A non-root user ends with no capability at all, bounding set included
	 * (OCI: the config's sets whatever the user, as runc, kept over the
	 * switch by PR_SET_KEEPCAPS, which execve() clears). */
	if (uid != 0 && !SPEC(cfg))
		caps = 0;
	if (uid != 0 && SPEC(cfg))
		sys_prctl(PR_SET_KEEPCAPS, 1, 0);
	/* Bounding set first, while CAP_SETPCAP is held; then the user, while
	 * CAP_SETUID is; then what stays. setresuid() to non-root clears the rest. */
	caps = bounding_drop(caps);
	/* OCI without noNewPrivileges: seccomp(2) then needs CAP_SYS_ADMIN, so
	 * the filter goes in now, before the user and capabilities change (runc
	 * does the same: the profile must allow what follows, setgroups, setresuid,
	 * capset, execve). */
	if ((cfg->options & (OPT_NO_NNP | OPT_NO_SECCOMP)) == OPT_NO_NNP)
		seccomp_install(caps);
	/* The caller's supplementary groups are not the container's: the
	 * user's are, from the container's /etc/group (user.c). */
	groups = user_groups(&count);
	if (SPEC(cfg))	/* OCI: process.additionalGids, exactly */
		groups = oci_groups(cfg, &count);
	/* rootless, only the caller mapped: the kernel keeps the groups (an
	 * image's /etc/group ones are not mapped anyway); OCI's asked ones are
	 * refused, as runc does */
	ret = !(cfg->options & OPT_GROUPS_LOCKED) ? sys_setgroups(count, groups) :
	      SPEC(cfg) && count ? -EPERM : 0;
	/* Root of a user namespace whose setgroups is "deny" (nanoctr run in
	 * `unshare -r`, user_namespaces(7)): nobody may change the groups
	 * there; the image's are skipped, OCI's asked ones still refused, as
	 * runc's setupUser does (RunningInUserNS, /proc/self/setgroups "deny"). */
	if (ret == -EPERM && !(SPEC(cfg) && count)) {
		char state[8];
		if (read_file("/proc/self/setgroups", state, sizeof(state)) == 5 &&
		    str_eq(state, "deny\n"))
			ret = 0;
	}
	if (ret < 0)
		die("setgroups", ret);
	user_switch(uid, gid, cfg->options);
	if (SPEC(cfg))
		caps_set(caps, cfg->spec->process.caps[CAPS_INHERITABLE],
			 cfg->spec->process.caps[CAPS_AMBIENT]);
	else
		caps_set(caps, 0, 0);
	/* the working directory (exec.c), before the filter: a profile need not
	 * allow getcwd for nanoctr's sake (runc's verifyCwd is before it too) */
	workdir_check(cfg, entered);
	if (cfg->options & (OPT_PRIVILEGED | OPT_NO_NNP))
		return;
	ret = sys_prctl(PR_SET_NO_NEW_PRIVS, 1, 0);
	if (ret < 0)
		die("no_new_privs", ret);
	if (!(cfg->options & OPT_NO_SECCOMP))
		seccomp_install(caps);
}
