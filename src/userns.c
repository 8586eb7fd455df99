/* Rootless: `run` by a user without root puts the container in a user
 * namespace of its own, as podman and bubblewrap do, in which the caller is
 * root — and only there: outside it is the caller, with the caller's rights.
 *
 * The mapping, chosen before anything is created (userns_check):
 *   - the caller's uid and gid have a subordinate range in /etc/subuid and
 *     /etc/subgid (every valid line for the user's name or uid) and
 *     newuidmap/newgidmap are installed (/usr/bin, Debian's uidmap) and can
 *     work (no_new_privs is not set: it voids setuid and file caps): inside
 *     0 is the caller and 1..N the ranges, as podman maps them; setgroups(2)
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

#define LINE_KEEP	1024	/* of a line: fields 0..2 (a name is at most 255 bytes) */

/* Line l (a NUL-terminated line of a passwd(5) or subuid(5) file), split at
 * ':' into f[0..2] (a missing field is ""): 1 when its field 0 is name or its
 * field key the number id. A line that was cut (longer than we keep) counts
 * only if its field 2 ended before the cut: nothing is taken cut. */
static int line_matches(char *l, int cut, const char *name, int key, u64 id, const char *f[3])
{
	char *p;
	u64 v;

	for (int i = 0; i < 3; i++) {
		f[i] = p = l;
		if (l && (l = str_chr(l, ':')))
			*l++ = 0;
		if (!p)
			f[i] = "";
	}
	if (cut && !l)
		return 0;
	return (name && str_eq(f[0], name)) || (is_number(f[key], &v) && v == id);
}

/* The first line of file from line number *at (from 0) that line_matches:
 * 1 and *at past it, or 0 (also when file cannot be read). The file is read
 * in pieces, so its size is not limited: a site with thousands of users has
 * an /etc/passwd of megabytes. f points into a static buffer (the next call
 * reuses it). */
static int find_line(const char *file, const char *name, int key, u64 id, int *at, const char *f[3])
{
	static char line[LINE_KEEP];
	char buf[4096];
	int fd = sys_open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0), len = 0, cut = 0, index = 0;
	long n;

	while (fd >= 0 && ((n = sys_read(fd, buf, sizeof(buf))) > 0 || len)) {
		for (long i = 0; i < n || (n <= 0 && len); i++) {
			if (n > 0 && buf[i] != '\n') {
				if (len < LINE_KEEP - 1)
					line[len++] = buf[i];
				else
					cut = 1;
				continue;
			}
			line[len] = 0;
			len = 0;
			if (index++ >= *at && line_matches(line, cut, name, key, id, f)) {
				*at = index;
				sys_close(fd);
				return 1;
			}
			cut = 0;
		}
	}
	if (fd >= 0)
		sys_close(fd);
	return 0;
}

/* The subordinate ranges of user (name, id) in file (subuid(5)) into
 * map[1..]: every line of the user, as podman maps them, one after the
 * other inside from 1 (map[0], the caller, is set); at most USERNS_MAPS - 1.
 * A line that is not "owner:start:count" with ids that fit (start + count
 * <= 2^32 - 1: (u32)-1 is no id) or that overlaps an earlier one or the
 * caller's own id is skipped,
 * as shadow's newuidmap skips a line it cannot parse (the kernel refuses
 * overlapping or wrapping extents, user_namespaces(7)). Returns the number
 * of ids mapped from 1 (0: none); *lines the lines of the map. */
static u64 subordinate_ranges(const char *file, const char *name, unsigned id, u32 (*map)[3],
			      int *lines)
{
	const char *f[3];
	u64 start, count, total = 0;
	int at = 0, n = 1, j;

	while (n < USERNS_MAPS && find_line(file, name, 0, id, &at, f)) {
		if (!is_number(f[1], &start) || !is_number(f[2], &count) || !count ||
		    start >= 0xffffffffULL || count >= 0xffffffffULL ||
		    start + count > 0xffffffffULL || total + count >= 0xffffffffULL)
			continue;
		for (j = 0; j < n && (start >= (u64)map[j][1] + map[j][2] ||
				      (u64)map[j][1] >= start + count); j++)
			;
		if (j < n)
			continue;
		map[n][0] = (u32)(1 + total);
		map[n][1] = (u32)start;
		map[n++][2] = (u32)count;
		total += count;
	}
	*lines = n;
	return total;
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

	memset(u, 0, sizeof(*u));
	cfg->options |= OPT_USERNS;
	if (SPEC(cfg)) {
		for (int i = 0; i < 2; i++)
			for (int n = u->count[i] = cfg->spec->id_map_count[i]; n--;)
				memcpy(u->map[i][n], &cfg->spec->id_maps[i][n], sizeof(u->map[i][n]));
	} else {
		int at = 0, lines[2];
		u64 total[2];

		/* a name we would have to cut is no name: the number alone */
		if (find_line("/etc/passwd", NULL, 2, id[0], &at, f) && str_len(f[0]) < sizeof(name))
			cat(name, name + sizeof(name) - 1, f[0]);
		for (int i = 0; i < 2; i++) {
			u->map[i][0][1] = id[i];
			u->map[i][0][2] = 1;
		}
		total[0] = subordinate_ranges("/etc/subuid", name[0] ? name : NULL, id[0], u->map[0], &lines[0]);
		total[1] = subordinate_ranges("/etc/subgid", name[0] ? name : NULL, id[1], u->map[1], &lines[1]);
		/* no_new_privs set on us (systemd's NoNewPrivileges=, a sandbox
		 * around us): the setuid helpers cannot work, as if absent */
		if (!total[0] || !total[1] || sys_access(NEWUIDMAP, X_OK) < 0 ||
		    sys_access(NEWGIDMAP, X_OK) < 0 || sys_prctl(PR_GET_NO_NEW_PRIVS, 0, 0) == 1)
			total[0] = total[1] = 0, lines[0] = lines[1] = 1;
		u->count[0] = lines[0];
		u->count[1] = lines[1];
		if (((cfg->options & OPT_USER) && !cfg->user_name && cfg->uid > total[0]) ||
		    ((cfg->options & OPT_GROUP) && !cfg->group_name && cfg->gid > total[1]))
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
