/* -u NAME[:GROUP]: names belong to the container, so they are looked up in
 * its own /etc/passwd and /etc/group, after the root switch, as docker does.
 * A user given by name brings its primary group unless a group is given. */
#include "src/nanoctr.h"

static char table[64 << 10];	/* the child's alone: the parent never reads it */

/* Find "name:x:ID:GID:..." in file; GID only for passwd (gid may be NULL). */
static int lookup(const char *file, const char *name, unsigned *id, unsigned *gid)
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
			const char *p;
			u64 v, g = 0;
			if (parse_u64(field + 1, &p, &v) < 0 || *p != ':' || v > 0xfffffffeULL ||
			    (gid && (parse_u64(p + 1, &p, &g) < 0 || g > 0xfffffffeULL)))
				return -EINVAL;
			*id = (unsigned)v;
			if (gid)
				*gid = (unsigned)g;
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

void user_resolve(const struct config *cfg, unsigned *uid, unsigned *gid)
{
	int ret;

	*uid = cfg->uid;
	*gid = cfg->gid;
	if (cfg->user_name) {
		ret = lookup("/etc/passwd", cfg->user_name, uid, cfg->group_name ? NULL : gid);
		if (ret < 0)
			unknown("--user ", cfg->user_name, "/etc/passwd", ret);
	}
	if (cfg->group_name) {
		ret = lookup("/etc/group", cfg->group_name, gid, NULL);
		if (ret < 0)
			unknown("--user :", cfg->group_name, "/etc/group", ret);
	}
}
