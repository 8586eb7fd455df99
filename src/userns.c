/* Rootless: `run` by a user without root puts the container in a user
 * namespace of its own, as podman and bubblewrap do, in which the caller is
 * root — and only there: outside it is the caller, with the caller's rights.
 *
 * The mapping, chosen before anything is created (userns_check):
 *   - the caller's uid and gid have a subordinate range in /etc/subuid and
 *     /etc/subgid (the first line for the user's name or uid in each) and
 *     newuidmap/newgidmap are installed (/usr/bin, Debian's uidmap): inside
 *     0 is the caller and 1..N the range, as podman maps it; setgroups(2)
 *     stays allowed, -u 1000 is a real user;
 *   - else 0 is the caller, nothing else is mapped and setgroups is "deny"
 *     (user_namespaces(7): an unprivileged gid_map needs it), as bwrap and
 *     `unshare -r` map it. The caller's supplementary groups then stay (the
 *     kernel lets no one drop them there), seen as nobody (65534) inside.
 * The child is cloned into the user namespace with all the others, and
 * waits on its start pipe until the parent has written its maps
 * (userns_map): /proc/PID/{setgroups,uid_map,gid_map} itself, or through
 * newuidmap/newgidmap, which are setuid root and check the ranges. */
#include "src/nanoctr.h"
#include "src/spec.h"

#define NEWUIDMAP	"/usr/bin/newuidmap"
#define NEWGIDMAP	"/usr/bin/newgidmap"

static int is_number(const char *s, u64 *v)
{
	const char *end;

	return parse_u64(s, &end, v) == 0 && !*end;
}

/* The first line of file, split at ':' into f[0..2] (a missing field is
 * ""), whose field 0 is name or whose field key is the number id: 1 when
 * there is one. The file is read whole (up to 1 MiB, in .bss); a bigger
 * one is refused, not cut. */
static int find_line(const char *file, const char *name, int key, u64 id, const char *f[3])
{
	static char text[1 << 20];
	int n = read_file(file, text, sizeof(text));
	char *line, *next, *p;
	u64 v;

	if (n >= (int)sizeof(text) - 1)
		die_code(EXIT_SETUP, file, "larger than 1 MiB (refused, not cut)");
	for (line = n > 0 ? text : NULL; line; line = next) {
		next = str_chr(line, '\n');
		if (next)
			*next++ = 0;
		for (int i = 0; i < 3; i++) {
			f[i] = p = line;
			if (line && (line = str_chr(line, ':')))
				*line++ = 0;
			if (!p)
				f[i] = "";
		}
		if ((name && str_eq(f[0], name)) || (is_number(f[key], &v) && v == id))
			return 1;
	}
	return 0;
}

/* The subordinate range of user (name, id) in file (subuid(5)): range[0]
 * its start, range[1] its count; count 0 when there is none. */
static void subordinate_range(const char *file, const char *name, unsigned id, u64 range[2])
{
	const char *f[3];

	if (!find_line(file, name, 0, id, f) || !is_number(f[1], &range[0]) ||
	    !is_number(f[2], &range[1]))
		range[1] = 0;
}

/* Before anything exists: the maps (into u). OCI: the config's; run, for
 * a caller without root: chosen here (see the top), and a numeric -u the
 * mapping cannot hold is refused. Ours to write are a map as root, or an
 * unprivileged one of the caller's own id (setgroups then denied); any
 * other goes through the setuid helpers, which check it. */
void userns_check(struct config *cfg, struct userns *u)
{
	unsigned id[2] = { sys_geteuid(), sys_getegid() };
	char name[256] = "";
	const char *f[3];
	u64 range[2][2];

	memset(u, 0, sizeof(*u));
	cfg->options |= OPT_USERNS;
	if (SPEC(cfg)) {
		for (int i = 0; i < 2; i++)
			for (int n = u->count[i] = cfg->spec->id_map_count[i]; n--;)
				memcpy(u->map[i][n], &cfg->spec->id_maps[i][n], sizeof(u->map[i][n]));
	} else {
		if (find_line("/etc/passwd", NULL, 2, id[0], f))
			cat(name, name + sizeof(name) - 1, f[0]);
		subordinate_range("/etc/subuid", name[0] ? name : NULL, id[0], range[0]);
		subordinate_range("/etc/subgid", name[0] ? name : NULL, id[1], range[1]);
		if (sys_access(NEWUIDMAP, X_OK) < 0 || sys_access(NEWGIDMAP, X_OK) < 0)
			range[0][1] = range[1][1] = 0;
		for (int i = 0; i < 2; i++) {
			u->map[i][0][1] = id[i];
			u->map[i][0][2] = u->count[i] = 1;
			if (range[0][1] && range[1][1]) {	/* 1..N: the range */
				u->map[i][1][0] = 1;
				u->map[i][1][1] = (u32)range[i][0];
				u->map[i][1][2] = (u32)range[i][1];
				u->count[i] = 2;
			}
		}
		if (((cfg->options & OPT_USER) && !cfg->user_name && cfg->uid > u->map[0][1][2]) ||
		    ((cfg->options & OPT_GROUP) && !cfg->group_name && cfg->gid > u->map[1][1][2]))
			userns_unmapped();
	}
	for (int i = 0; i < 2; i++)
		u->helper[i] = id[0] && (u->count[i] != 1 || u->map[i][0][1] != id[i] ||
					 u->map[i][0][2] != 1);
	if (id[0] && !u->helper[1])
		cfg->options |= OPT_GROUPS_LOCKED;
}

/* An id the user namespace does not map: what to do about it. */
NORETURN void userns_unmapped(void)
{
	die_code(EXIT_SETUP, "--user", "not mapped in the user namespace (rootless: 0 is you; "
		 "1..N need your range in /etc/subuid and /etc/subgid, and newuidmap/newgidmap)");
}

/* fork, exec path with argv and an empty environment, wait: 0 when it
 * exited 0, else -1 once said so (the helper said why). */
static int run_helper(const char *path, char **argv)
{
	int status = -1, pid = sys_clone(SIGCHLD);
	sigset_t none = 0;

	if (pid == 0) {
		sys_sigprocmask(SIG_SETMASK, &none, NULL);
		sys_execve(path, argv, (char *[]){ NULL });
		sys_exit(EXIT_NOT_FOUND);
	}
	while (pid > 0 && sys_wait4(pid, &status, 0) == -EINTR)
		;
	if (status == 0)
		return 0;
	say(path, pid < 0 ? errno_text(pid) : "failed");
	return -1;
}

/* In the parent, the child cloned and waiting: write its maps. Returns 0,
 * or -1 once said what failed (the caller kills the child). */
int userns_map(const struct userns *u, int pid)
{
	static const char *const files[] = { "/uid_map", "/gid_map" };
	static const char *const helpers[] = { NEWUIDMAP, NEWGIDMAP };
	char proc[24], path[40], text[USERNS_MAPS * 36], numbers[1 + USERNS_MAPS * 3][12];
	char *argv[3 + USERNS_MAPS * 3], *p, *end = text + sizeof(text) - 1;
	int ret = 0, n;

	cat_u64(cat(proc, proc + 23, "/proc/"), proc + 23, (u64)pid);
	cat_u64(numbers[0], numbers[0] + 11, (u64)pid);
	for (int i = 0; i < 2 && ret == 0; i++) {
		p = text;
		argv[0] = (char *)helpers[i];
		argv[1] = numbers[0];
		for (n = 0; n < u->count[i] * 3; n++) {
			argv[2 + n] = numbers[1 + n];
			cat_u64(numbers[1 + n], numbers[1 + n] + 11, u->map[i][n / 3][n % 3]);
			p = cat(cat(p, end, numbers[1 + n]), end, n % 3 == 2 ? "\n" : " ");
		}
		argv[2 + n] = NULL;
		if (u->helper[i]) {
			ret = run_helper(helpers[i], argv);
			continue;
		}
		/* an unprivileged gid_map needs setgroups denied first */
		if (i == 1 && sys_geteuid())
			ret = write_file(concat(path, sizeof(path), proc, "/setgroups", ""), "deny");
		if (ret == 0)
			ret = write_file(concat(path, sizeof(path), proc, files[i], ""), text);
		if (ret < 0) {
			say(path, errno_text(ret));
			ret = -1;
		}
	}
	return ret;
}
