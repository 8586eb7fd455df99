/* The vocabulary of a spec (namespace, capability, rlimit and hook names,
 * as config.json spells them) and what `nanoctr run` builds by default,
 * as data: the engine executes it, `nanoctr spec` prints it. */
#include "src/spec.h"

const char ns_names[NS_KINDS][8] = {
	"user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount",
};
const unsigned long ns_clone_flags[NS_KINDS] = {
	CLONE_NEWUSER, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID,
	CLONE_NEWCGROUP, CLONE_NEWTIME, CLONE_NEWNS,
};
const char cap_set_names[CAP_SETS][12] = {
	"bounding", "effective", "inheritable", "permitted", "ambient",
};
const char hook_names[HOOK_KINDS][16] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};
/* include/uapi/asm-generic/resource.h, in number order */
const char rlimit_names[16][11] = {
	"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC", "NOFILE", "MEMLOCK", "AS",
	"LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME",
};

static int name_index(const char *name, const char *prefix, const char *table,
		      int width, int count)
{
	const char *rest = str_prefix(name, prefix);

	for (int i = 0; rest && i < count; i++)
		if (str_eq(rest, table + i * width))
			return i;
	return -1;
}

/* Exact names, as runc (capabilities.go: "CAP_" + upper case). */
int cap_number(const char *name)
{
	return name_index(name, "CAP_", cap_names[0], sizeof(cap_names[0]), ARRAY_SIZE(cap_names));
}

const char *cap_name(int n, char *buf)
{
	if (n < 0 || n >= (int)ARRAY_SIZE(cap_names))
		return NULL;
	concat(buf, 24, "CAP_", cap_names[n], "");
	return buf;
}

int rlimit_number(const char *name)
{
	return name_index(name, "RLIMIT_", rlimit_names[0], sizeof(rlimit_names[0]),
			  ARRAY_SIZE(rlimit_names));
}

/* What run does, mount by mount (src/mount.c: mount_container, mount_dev;
 * src/cgroup.c: cgroup_mount_view), in its order. */
#define NOSUID_NOEXEC (MS_NOSUID | MS_NOEXEC)
#define NSN (MS_NOSUID | MS_NODEV | MS_NOEXEC)
static const struct spec_mount default_mounts[] = {
	{ "/proc", "proc", "proc", "", NSN, 0, 0, 0, 0 },
	{ "/dev", "tmpfs", "tmpfs", "mode=755,size=65536k", NOSUID_NOEXEC, 0, 0, 0, 0 },
	{ "/dev/pts", "devpts", "devpts", "newinstance,ptmxmode=0666,mode=0620,gid=5",
	  NOSUID_NOEXEC, 0, 0, 0, 0 },
	{ "/dev/shm", "shm", "tmpfs", "mode=1777,size=65536k", NSN, 0, 0, 0, 0 },
	{ "/dev/mqueue", "mqueue", "mqueue", "", NSN, 0, 0, 0, 0 },
	{ "/sys", "sysfs", "sysfs", "", NSN | MS_RDONLY, 0, 0, 0, 0 },
	{ "/sys/fs/cgroup", "cgroup", "cgroup", "", NSN | MS_RDONLY, 0, 0, 0, 0 },
};

/* src/mount.c: mask_paths */
static const char *const default_masked[] = {
	"/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
	"/proc/timer_stats", "/sys/firmware", "/sys/devices/virtual/powercap", NULL,
};
static const char *const default_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};
static const char *const default_args[] = { "sh", NULL };
static const char *const default_env[] = { DEFAULT_PATH, "HOME=/root", "HOSTNAME=nanoctr", NULL };

/* src/security.c: DEFAULT_CAPS, docker's set without MKNOD */
#define CAP(n) (1ULL << (n))
#define DEFAULT_CAPS (CAP(0) | CAP(1) | CAP(3) | CAP(4) | CAP(5) | CAP(6) | CAP(7) | \
		      CAP(8) | CAP(10) | CAP(13) | CAP(18) | CAP(29) | CAP(31))

void spec_defaults(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->oci_version = "1.0.2";
	s->process.args = (char *const *)default_args;
	s->process.env = (char *const *)default_env;
	s->process.cwd = "/";
	s->process.umask = -1;
	/* run: the container's capabilities are permitted and effective and
	 * bound the set; none inheritable or ambient (security.c: caps_set) */
	s->process.caps[CAPS_BOUNDING] = s->process.caps[CAPS_EFFECTIVE] =
		s->process.caps[CAPS_PERMITTED] = DEFAULT_CAPS;
	s->process.no_new_privileges = 1;
	s->root_path = "rootfs";
	s->hostname = "nanoctr";
	s->mounts = default_mounts;
	s->mount_count = ARRAY_SIZE(default_mounts);
	for (int k = NS_IPC; k < NS_KINDS; k++)
		s->namespaces[k].wanted = k != NS_TIME;
	s->masked_paths = default_masked;
	s->masked_count = ARRAY_SIZE(default_masked) - 1;
	s->readonly_paths = default_readonly;
	s->readonly_count = ARRAY_SIZE(default_readonly) - 1;
}
