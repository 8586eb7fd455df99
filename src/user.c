/* -u NAME[:GROUP]: names belong to the container, so they are looked up in
 * its own /etc/passwd and /etc/group, after the root switch, as docker does.
 * A user given by name brings its primary group unless a group is given,
 * and its home directory as HOME unless -e set one. */
#include "src/nanoctr.h"

/* The child's alone (the parent never reads them); they live until execve. */
static char table[64 << 10];
static char home[PATH_LIMIT / 4];
static const char *environment[MAX_ENV + 8];

/* Find "name:x:ID:..." in file; *rest is what follows ID's ':'. */
static int lookup(const char *file, const char *name, unsigned *id, const char **rest)
{
	size_t len = str_len(name);
	int n = read_file(file, table, sizeof(table));

	if (n < 0)
		return n;
	for (char *line = table; *line;) {
		char *end = str_chr(line, '\n'), *field;
		if (end)
			*end = 0;
		if (!memcmp(line, name, len) && line[len] == ':' &&
		    (field = str_chr(line + len + 1, ':'))) {
			u64 v;
			if (parse_u64(field + 1, rest, &v) < 0 || **rest != ':' || v > 0xfffffffeULL)
				return -EINVAL;
			*id = (unsigned)v;
			(*rest)++;
			return 0;
		}
		if (!end)
			break;
		line = end + 1;
	}
	return -ENOENT;
}

static NORETURN void unknown(const char *what, const char *name, const char *file, int err)
{
	char text[96], why[96];

	concat(text, sizeof(text), what, name, "");
	die_code(EXIT_SETUP, text, err == -ENOENT
		 ? concat(why, sizeof(why), "no such entry in the container's ", file, "")
		 : errno_text(err));
}

/* passwd's "GID:GECOS:HOME:SHELL" after the UID: the group, and HOME= kept. */
static int passwd_rest(const char *rest, unsigned *gid, int want_gid)
{
	const char *p, *dir, *dir_end;
	u64 g;

	if (parse_u64(rest, &p, &g) < 0 || *p != ':' || g > 0xfffffffeULL)
		return -EINVAL;
	if (want_gid)
		*gid = (unsigned)g;
	dir = str_chr(p + 1, ':');
	if (dir && (dir_end = str_chr(++dir, ':')) && dir_end > dir &&
	    (size_t)(dir_end - dir) < sizeof(home) - 6) {
		memcpy(home, "HOME=", 5);
		memcpy(home + 5, dir, dir_end - dir);
		home[5 + (dir_end - dir)] = 0;
	}
	return 0;
}

void user_resolve(const struct config *cfg, unsigned *uid, unsigned *gid)
{
	const char *rest;
	int ret;

	*uid = cfg->uid;
	*gid = cfg->gid;
	if (cfg->user_name) {
		ret = lookup("/etc/passwd", cfg->user_name, uid, &rest);
		if (ret == 0)
			ret = passwd_rest(rest, gid, !cfg->group_name);
		if (ret < 0)
			unknown("--user ", cfg->user_name, "/etc/passwd", ret);
	}
	if (cfg->group_name) {
		ret = lookup("/etc/group", cfg->group_name, gid, &rest);
		if (ret < 0)
			unknown("--user :", cfg->group_name, "/etc/group", ret);
	}
}

/* The environment for execve: the parsed one, with the user's HOME in place
 * of the default (not of one -e gave). */
char *const *user_environment(const struct config *cfg)
{
	int i;

	if (!home[0])
		return (char *const *)cfg->env;
	for (i = 0; cfg->env[i]; i++)
		environment[i] = cfg->env[i] == default_home ? home : cfg->env[i];
	environment[i] = NULL;
	return (char *const *)environment;
}
