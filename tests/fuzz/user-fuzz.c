/* AFL++ harness for the passwd/group reader (src/user.c), which parses image
 * data: stdin is "USER-SPEC\nPASSWD-BYTES\0GROUP-BYTES". The spec goes through
 * the -u parser, the bytes into the files user.c reads (PASSWD_FILE and
 * GROUP_FILE, set by run.sh), and user_resolve() must either resolve the user
 * or exit 125 with one line — never crash, never overrun a buffer, never hang.
 * Build and run: tests/fuzz/run.sh SECONDS user (not part of make test). */
#include "src/nanoctr.h"
#include "tests/fuzz/run-storage.h"

static char input[1 << 18];

static void put_file(const char *path, const char *data, long len)
{
	int fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		sys_exit(2);
	while (len > 0) {
		long n = sys_write(fd, data, len);
		if (n <= 0)
			sys_exit(2);
		data += n;
		len -= n;
	}
	sys_close(fd);
}

/* A reference reader, as plain as can be (whole file in memory, split
 * into lines and fields), to check user.c's streaming one against: when
 * user_resolve() returns, the two must agree on UID, GID, HOME and groups. */
struct line { const char *field[8]; long len[8]; int count; };

static int split(const char **p, const char *end, struct line *l)
{
	const char *start = *p;

	if (start >= end)
		return 0;
	l->count = 0;
	l->field[0] = start;
	while (*p < end && **p != '\n') {
		if (**p == ':' && l->count < 7) {
			l->len[l->count] = *p - l->field[l->count];
			l->field[++l->count] = *p + 1;
		}
		(*p)++;
	}
	l->len[l->count] = *p - l->field[l->count];
	l->count++;
	if (*p < end)
		(*p)++;
	return 1;
}

static int number(const struct line *l, int i, u64 *v)
{
	*v = 0;
	if (i >= l->count || !l->len[i])
		return 0;
	for (long j = 0; j < l->len[i]; j++) {
		char c = l->field[i][j];
		if (c < '0' || c > '9' || (*v = *v * 10 + (c - '0')) > 0xfffffffeULL)
			return 0;
	}
	return 1;
}

static int same(const struct line *l, int i, const char *s, long len)
{
	return i < l->count && l->len[i] == len && !memcmp(l->field[i], s, len);
}

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void reference(const struct config *cfg, const char *pw, long pw_len, const char *gr,
		      long gr_len, int have_gr, unsigned uid, unsigned gid, const char *home,
		      const u32 *groups, int count)
{
	const char *p = pw, *name = NULL;
	long name_len = 0;
	struct line l;
	u64 v, g;
	int found = 0, n = 0;
	unsigned want_gid = 0;

	while (split(&p, pw + pw_len, &l)) {
		if (l.count == 1 && !l.len[0])
			continue;
		if (cfg->user_name ? same(&l, 0, cfg->user_name, str_len(cfg->user_name))
				   : number(&l, 2, &v) && v == cfg->uid) {
			check(number(&l, 2, &v) && number(&l, 3, &g));
			check(uid == v);
			want_gid = (unsigned)g;
			name = l.field[0];
			name_len = l.len[0];
			if (l.count > 5 && l.len[5]) {
				long hl = 0;
				while (hl < l.len[5] && l.field[5][hl])
					hl++;
				check(str_len(home) == (size_t)hl && !memcmp(home, l.field[5], hl));
			} else {
				check(str_eq(home, "/"));
			}
			found = 1;
			break;
		}
	}
	if (!found) {
		check(!cfg->user_name && uid == cfg->uid && str_eq(home, "/"));
		want_gid = 0;
	}
	if (cfg->options & OPT_GROUP) {
		check(gid == cfg->gid && count == 0);
		return;
	}
	if (cfg->group_name) {
		for (p = gr; split(&p, gr + gr_len, &l);)
			if (same(&l, 0, cfg->group_name, str_len(cfg->group_name)) && number(&l, 2, &v))
				break;
		check(gid == v && count == 0);
		return;
	}
	check(gid == want_gid);
	if (!found || !have_gr) {
		check(count == 0);
		return;
	}
	if (cfg->user_name) {
		name = cfg->user_name;
		name_len = str_len(name);
	}
	for (p = gr; split(&p, gr + gr_len, &l);) {
		const char *m, *end;
		int listed = 0;
		if (l.count < 4 || !number(&l, 2, &v))
			continue;
		end = l.field[3] + (l.count == 4 ? l.len[3] : l.field[4] - 1 - l.field[3]);
		/* field 3 up to the next ':' (split() keeps at most 8 fields) */
		for (m = l.field[3]; m <= end; ) {
			const char *c = m;
			while (c < end && *c != ',' && *c != ':')
				c++;
			if (c - m == name_len && name_len && !memcmp(m, name, name_len))
				listed = 1;
			if (c >= end || *c == ':')
				break;
			m = c + 1;
		}
		if (listed) {
			check(n < count && groups[n] == v);
			n++;
		}
	}
	check(n == count);
}

int main(void)
{
	static char *envp[] = { NULL };
	static struct config cfg;
	char *argv[4] = { "-u", input, "true", NULL };
	char *passwd, *group, *pw_end;
	int have_group;
	long n = 0, r;
	unsigned uid, gid;
	int count;
	const u32 *groups;
	char *const *env;

	while (n < (long)sizeof(input) - 1 && (r = sys_read(0, input + n, sizeof(input) - 1 - n)) > 0)
		n += r;
	input[n] = 0;
	for (passwd = input; passwd < input + n && *passwd && *passwd != '\n'; passwd++)
		;
	if (passwd < input + n)
		*passwd++ = 0;
	group = passwd;
	while (group < input + n && *group)
		group++;
	put_file(PASSWD_FILE, passwd, group - passwd);
	pw_end = group;
	have_group = group < input + n;
	group += group < input + n;
	put_file(GROUP_FILE, group, input + n - group);

	run_storage(&cfg);
	args_parse_run(&cfg, 3, argv, envp);
	user_resolve(&cfg, &uid, &gid);
	groups = user_groups(&count);
	check(count >= 0 && count <= 65536);
	env = user_environment(&cfg);
	for (int i = 0; env[i]; i++)
		if (str_prefix(env[i], "HOME="))
			reference(&cfg, passwd, pw_end - passwd, group, input + n - group, have_group,
				  uid, gid, env[i] + 5, groups, count);
	return 0;
}
