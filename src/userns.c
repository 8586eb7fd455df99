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

#define NEWUIDMAP	"/usr/bin/newuidmap"
#define NEWGIDMAP	"/usr/bin/newgidmap"

/* The lines of a file, one by one, split at ':' into f[0..3] (a missing
 * field is ""). A line longer than the buffer is skipped: no line of
 * passwd(5) or subuid(5) that could match is that long. */
struct lines {
	int fd, len, skipping;
	char buf[2048], line[2048];
};

static int next_line(struct lines *l, const char *f[4])
{
	for (;;) {
		char *nl = str_chr(l->buf, '\n'), *p;
		long n;

		if (nl) {
			int used = nl + 1 - l->buf, skip = l->skipping;
			*nl = 0;
			memcpy(l->line, l->buf, used);
			memmove(l->buf, nl + 1, l->len - used + 1);
			l->len -= used;
			l->skipping = 0;
			if (skip)
				continue;
			f[0] = p = l->line;
			for (int i = 1; i < 4; i++) {
				f[i] = "";
				if (p && (p = str_chr(p, ':')))
					*p++ = 0, f[i] = p;
			}
			return 1;
		}
		if (l->len == sizeof(l->buf) - 1)
			l->len = l->buf[0] = 0, l->skipping = 1;
		n = sys_read(l->fd, l->buf + l->len, sizeof(l->buf) - 1 - l->len);
		if (n <= 0 && !l->len)
			return 0;
		if (n <= 0)	/* a last line without its newline */
			l->buf[l->len++] = '\n';
		else
			l->len += n;
		l->buf[l->len] = 0;
	}
}

static int is_number(const char *s, u64 *v)
{
	const char *end;

	return parse_u64(s, &end, v) == 0 && !*end;
}

/* The subordinate range of user (name, id) in file: range[0] its start,
 * range[1] its count; count 0 when there is none. */
static void subordinate_range(const char *file, const char *name, unsigned id, u64 range[2])
{
	struct lines l = { .fd = sys_open(file, O_RDONLY | O_CLOEXEC, 0) };
	const char *f[4];
	u64 owner;

	range[1] = 0;
	while (l.fd >= 0 && !range[1] && next_line(&l, f))
		if ((str_eq(f[0], name) || (is_number(f[0], &owner) && owner == id)) &&
		    (!is_number(f[1], &range[0]) || !is_number(f[2], &range[1])))
			range[1] = 0;
	if (l.fd >= 0)
		sys_close(l.fd);
}

/* Before anything exists, for a caller without root: choose the mapping
 * (into u) and refuse a numeric -u it cannot hold. */
void userns_check(struct config *cfg, struct userns *u)
{
	struct lines l = { .fd = sys_open("/etc/passwd", O_RDONLY | O_CLOEXEC, 0) };
	char name[256] = "";
	const char *f[4];
	u64 id, most;

	u->id[0] = sys_geteuid();
	u->id[1] = sys_getegid();
	while (l.fd >= 0 && !name[0] && next_line(&l, f))
		if (is_number(f[2], &id) && id == u->id[0])
			cat(name, name + sizeof(name) - 1, f[0]);
	if (l.fd >= 0)
		sys_close(l.fd);
	subordinate_range("/etc/subuid", name, u->id[0], u->range[0]);
	subordinate_range("/etc/subgid", name, u->id[1], u->range[1]);
	cfg->options |= OPT_USERNS;
	if (!u->range[0][1] || !u->range[1][1] || sys_access(NEWUIDMAP, X_OK) < 0 ||
	    sys_access(NEWGIDMAP, X_OK) < 0) {
		u->range[0][1] = u->range[1][1] = 0;
		cfg->options |= OPT_GROUPS_LOCKED;
	}
	most = u->range[0][1] < u->range[1][1] ? u->range[0][1] : u->range[1][1];
	if ((cfg->options & OPT_USER) && !cfg->user_name && cfg->uid > u->range[0][1])
		userns_unmapped();
	if ((cfg->options & OPT_GROUP) && !cfg->group_name && cfg->gid > most)
		userns_unmapped();
}

/* An id the user namespace does not map: what to do about it. */
NORETURN void userns_unmapped(void)
{
	die_code(EXIT_SETUP, "--user", "not mapped in the user namespace (rootless: 0 is you; "
		 "1..N need your range in /etc/subuid and /etc/subgid, and newuidmap/newgidmap)");
}

/* fork, exec path with argv and an empty environment, wait: 0 when it
 * exited 0, else -1 once said why. */
static int run_helper(const char *path, char **argv)
{
	char why[40], *end = why + sizeof(why) - 1;
	int status, pid = sys_clone(SIGCHLD);
	sigset_t none = 0;

	if (pid == 0) {
		sys_sigprocmask(SIG_SETMASK, &none, NULL);
		sys_execve(path, argv, (char *[]){ NULL });
		sys_exit(EXIT_NOT_FOUND);
	}
	if (pid < 0) {
		say(path, errno_text(pid));
		return -1;
	}
	while (sys_wait4(pid, &status, 0) == -EINTR)
		;
	if (status == 0)
		return 0;
	cat_u64(cat(why, end, "failed, status "), end, (u64)(WIFEXITED(status) ?
		WEXITSTATUS(status) : 128 + WTERMSIG(status)));
	say(path, why);
	return -1;
}

/* In the parent, the child cloned and waiting: write its maps. Returns 0,
 * or -1 once said what failed (the caller kills the child). */
int userns_map(const struct userns *u, int pid)
{
	static const char *const files[] = { "/uid_map", "/gid_map" };
	static const char *const helpers[] = { NEWUIDMAP, NEWGIDMAP };
	char proc[24], path[40], text[4][24], line[48], *end = line + sizeof(line) - 1;
	char *argv[] = { NULL, text[0], "0", text[1], "1", "1", text[2], text[3], NULL };
	int ret = 0;

	cat_u64(cat(proc, proc + 23, "/proc/"), proc + 23, (u64)pid);
	cat_u64(text[0], text[0] + 23, (u64)pid);
	for (int i = 0; i < 2 && ret == 0; i++) {
		cat_u64(text[1], text[1] + 23, u->id[i]);
		if (u->range[i][1]) {
			cat_u64(text[2], text[2] + 23, u->range[i][0]);
			cat_u64(text[3], text[3] + 23, u->range[i][1]);
			argv[0] = (char *)helpers[i];
			ret = run_helper(helpers[i], argv);
			continue;
		}
		/* an unprivileged gid_map needs setgroups denied first */
		if (i == 1)
			ret = write_file(concat(path, sizeof(path), proc, "/setgroups", ""), "deny");
		if (ret == 0) {
			cat(cat_u64(cat(line, end, "0 "), end, u->id[i]), end, " 1");
			ret = write_file(concat(path, sizeof(path), proc, files[i], ""), line);
		}
		if (ret < 0) {
			say(path, errno_text(ret));
			ret = -1;
		}
	}
	return ret;
}
