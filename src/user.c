/* The container's user, as docker resolves it (moby/sys/user GetExecUser),
 * from the container's own /etc/passwd and /etc/group after the root switch:
 *   -u NAME   the passwd entry of that name: its UID, GID and home;
 *   -u UID    the entry with that UID if there is one (its GID and home),
 *             else that UID with GID 0 and home /; no -u is -u 0;
 *   :GROUP    a group name from /etc/group, or a number: it always wins;
 * and without :GROUP a user found in passwd gets as supplementary groups
 * every group of /etc/group that lists it. HOME is the home found (else /)
 * unless -e set one.
 *
 * The files are streamed through a small buffer and parsed byte by byte, so
 * there is no size limit on the files or on a line, and nothing is cut. */
#include "src/nanoctr.h"

#define LOGIN_NAME_MAX	256	/* <bits/local_lim.h>: with the NUL */
#define NGROUPS_MAX	65536	/* <linux/limits.h>: setgroups(2)'s limit */
#define ID_MAX		0xfffffffeULL	/* (uid_t)-1 means "unchanged" */
#ifndef PASSWD_FILE	/* tests/fuzz/user-fuzz.c reads its own */
#define PASSWD_FILE	"/etc/passwd"
#define GROUP_FILE	"/etc/group"
#endif
#ifndef SCAN_BUFFER	/* the fuzzer makes it tiny: every line crosses reads */
#define SCAN_BUFFER	2048
#endif

/* The child's alone (the parent never reads them); they live until execve.
 * Static, not on the child's 64 KiB stack. */
static char home[5 + PATH_LIMIT];	/* "HOME=..." */
static u32 groups[NGROUPS_MAX];
static int group_count;

/* One scan of a passwd(5) or group(5) file ("field:field:...\n" lines) for
 * the first line whose field 0 equals name (or, name NULL, whose field 2
 * equals id); or, member set, for every group whose member list (field 3,
 * comma-separated) names member. */
struct scan {
	const char *name;
	u64 id;
	const char *member;
	int passwd;		/* fields 3 (GID) and 5 (home) are wanted too */
	/* the current line */
	unsigned field;
	size_t len;		/* bytes of the current field so far */
	size_t member_start;	/* where field 3's current member began */
	size_t home_len;
	int name_differs;	/* field 0 is not name */
	int member_differs;	/* field 3's current member is not member */
	int listed;		/* field 3 names member */
	int matched;		/* this line is the one */
	int bad;		/* the current numeric field is not a number */
	u64 number[2];		/* fields 2 and 3 */
	int have[2];		/* ... and valid */
	char line_name[LOGIN_NAME_MAX];	/* field 0; "" when longer */
	/* the answer */
	int found;
	u64 found_id, found_gid;
	char found_name[LOGIN_NAME_MAX];
	int error;		/* -EINVAL bad entry, -E2BIG groups, -ENAMETOOLONG home */
};

static void scan_new_line(struct scan *s)
{
	s->field = 0;
	s->len = s->member_start = s->home_len = 0;
	s->name_differs = s->member_differs = s->listed = s->matched = s->bad = 0;
	s->have[0] = s->have[1] = 0;
	s->number[0] = s->number[1] = 0;
	s->line_name[0] = 0;
}

/* The end of field s->field (s->len bytes) at a ':' or the line's end. */
static void scan_end_field(struct scan *s)
{
	unsigned f = s->field;

	if (f == 0 && s->name && !s->name_differs && !s->name[s->len])
		s->matched = 1;
	if (f == 2 || f == 3) {
		s->have[f - 2] = s->len && !s->bad;
		s->bad = 0;
		if (f == 2 && !s->name && !s->member && s->have[0] && s->number[0] == s->id)
			s->matched = 1;
	}
}

/* The end of a member of a group's list, at a ',', a ':' or the line's end. */
static void scan_end_member(struct scan *s)
{
	size_t len = s->len - s->member_start;

	if (len && !s->member_differs && !s->member[len])
		s->listed = 1;
	s->member_differs = 0;
	s->member_start = s->len + 1;
}

static void scan_end_line(struct scan *s)
{
	if (s->member && s->listed && s->have[0]) {
		if (group_count >= NGROUPS_MAX)
			s->error = -E2BIG;
		else
			groups[group_count++] = (u32)s->number[0];
	}
	if (!s->matched || s->found)
		return;
	/* the first matching line wins, whatever follows: it must be whole */
	if (!s->have[0] || (s->passwd && !s->have[1]) || (!s->name && !s->line_name[0])) {
		s->error = -EINVAL;
		return;
	}
	s->found = 1;
	s->found_id = s->number[0];
	s->found_gid = s->number[1];
	memcpy(s->found_name, s->line_name, sizeof(s->found_name));
	if (s->passwd)
		home[5 + s->home_len] = 0;
}

static void scan_byte(struct scan *s, char c)
{
	unsigned f = s->field;

	if (c == '\n' || c == ':') {
		scan_end_field(s);
		if (s->member && f == 3)
			scan_end_member(s);
		if (c == '\n') {
			if (f || s->len)	/* not an empty line */
				scan_end_line(s);
			scan_new_line(s);
		} else {
			s->field++;
			s->len = s->member_start = 0;
		}
		return;
	}
	if (f == 0) {
		/* a NUL in the file ends no name: it differs (and the compare
		 * never reads past the name's own NUL) */
		if (s->name && !s->name_differs && (!c || s->name[s->len] != c))
			s->name_differs = 1;
		if (s->len < sizeof(s->line_name) - 1) {
			s->line_name[s->len] = c;
			s->line_name[s->len + 1] = 0;
		} else {
			s->line_name[0] = 0;	/* too long to be a user's name */
		}
	} else if (f == 2 || (f == 3 && !s->member)) {
		if (c < '0' || c > '9' || s->number[f - 2] > ID_MAX / 10)
			s->bad = 1;
		else if ((s->number[f - 2] = s->number[f - 2] * 10 + (c - '0')) > ID_MAX)
			s->bad = 1;
	} else if (f == 3) {
		if (c == ',')
			scan_end_member(s);
		else if (!s->member_differs && (!c || s->member[s->len - s->member_start] != c))
			s->member_differs = 1;
	} else if (f == 5 && s->passwd && s->matched && !s->found) {
		if (s->home_len >= PATH_LIMIT)
			s->error = -ENAMETOOLONG;
		else
			home[5 + s->home_len++] = c;
	}
	s->len++;
}

/* Run the scan over file. Returns 0 (s->found says whether a line matched),
 * -ENOENT when there is no such file, or another -errno. */
static int scan_file(const char *file, struct scan *s)
{
	char buf[SCAN_BUFFER];
	long n = 0;
	int fd = open_image_file(file);	/* a FIFO reads as empty: no hang */

	if (fd < 0)
		return fd;
	scan_new_line(s);
	while (!s->error && !(s->found && !s->member) && (n = sys_read(fd, buf, sizeof(buf))) > 0)
		for (long i = 0; i < n && !s->error; i++)
			scan_byte(s, buf[i]);
	sys_close(fd);
	if (n == -EAGAIN)
		n = 0;
	if (n == 0 && !s->error && !(s->found && !s->member))
		scan_byte(s, '\n');	/* a last line without its newline */
	return s->error ? s->error : n < 0 ? (int)n : 0;
}

static NORETURN void unknown(const char *what, const char *name, const char *file, int err)
{
	char text[PATH_LIMIT], why[128], *p = cat(text, text + sizeof(text) - 1, what);

	if (str_len(name) > 4000)	/* a name as long as argv allows: cut visibly */
		cat(cat(p, p + 4000, name), text + sizeof(text) - 1, "...");
	else
		cat(p, text + sizeof(text) - 1, name);
	if (err == -ENOENT)
		concat(why, sizeof(why), "no such entry in the container's ", file, "");
	else if (err == -EINVAL)
		concat(why, sizeof(why), "malformed entry in the container's ", file, "");
	else if (err == -ENAMETOOLONG)
		concat(why, sizeof(why), "home directory too long in the container's ", file, "");
	else if (err == -EBADFD)
		concat(why, sizeof(why), file, ": ", "not a regular file of the image (refused)");
	else if (err == -E2BIG)
		concat(why, sizeof(why), "in more than 65536 groups in the container's ", file, "");
	else
		concat(why, sizeof(why), file, ": ", errno_text(err));
	die_code(EXIT_SETUP, text, why);
}

void user_resolve(const struct config *cfg, unsigned *uid, unsigned *gid)
{
	static struct scan s;	/* the child's; ~600 bytes off its stack */
	char number[24], member[LOGIN_NAME_MAX];
	const char *user = cfg->user_name;	/* for messages: as given */
	int ret;

	if (!user) {
		cat_u64(number, number + sizeof(number) - 1, cfg->uid);
		user = number;
	}
	memcpy(home, "HOME=", 6);
	memset(&s, 0, sizeof(s));
	s.name = cfg->user_name;
	s.id = cfg->uid;
	s.passwd = 1;
	ret = scan_file(PASSWD_FILE, &s);
	if (ret == 0 && !s.found && cfg->user_name)
		ret = -ENOENT;
	/* A file the rootless caller may not read (a root-owned image's 0600
	 * passwd) is as none for a number, as runc's GetExecUserPath takes any
	 * error opening it: a name still needs it. */
	if (ret == -EACCES && !cfg->user_name)
		ret = -ENOENT;
	if (ret < 0 && (ret != -ENOENT || cfg->user_name))
		unknown("--user ", user, "/etc/passwd", ret);
	/* a UID no entry has: GID 0 and HOME=/, as docker (runc's defaults) */
	*uid = s.found ? (unsigned)s.found_id : cfg->uid;
	*gid = s.found ? (unsigned)s.found_gid : 0;
	if (!s.found || !home[5])
		memcpy(home, "HOME=/", 7);
	cat(member, member + sizeof(member) - 1, s.found_name);	/* (s is reused) */

	group_count = 0;
	if (cfg->group_name) {
		memset(&s, 0, sizeof(s));
		s.name = cfg->group_name;
		ret = scan_file(GROUP_FILE, &s);
		if (ret == 0 && !s.found)
			ret = -ENOENT;
		if (ret < 0)
			unknown("--user :", cfg->group_name, "/etc/group", ret);
		*gid = (unsigned)s.found_id;
	} else if (cfg->options & OPT_GROUP) {
		*gid = cfg->gid;	/* a numeric group always wins */
	} else if (s.found) {
		/* implicit group: the supplementary groups that list the user */
		memset(&s, 0, sizeof(s));
		s.member = cfg->user_name ? cfg->user_name : member;
		ret = scan_file(GROUP_FILE, &s);
		if (ret < 0 && ret != -ENOENT && ret != -EACCES)
			unknown("--user ", user, "/etc/group", ret);
	}
}

/* The supplementary groups user_resolve() found. */
const u32 *user_groups(int *count)
{
	*count = group_count;
	return groups;
}

/* The environment for execve: the parsed one, with the user's HOME in place
 * of the default (not of one -e gave), changed where it is: the child's
 * alone from here on (under CLONE_VM the parent never reads it again). */
char *const *user_environment(const struct config *cfg)
{
	if (home[5])
		for (int i = 0; cfg->env[i]; i++)
			if (cfg->env[i] == default_home)
				cfg->env[i] = home;
	return (char *const *)cfg->env;
}
