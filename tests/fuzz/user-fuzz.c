/* AFL++ harness for the passwd/group reader (src/user.c), which parses image
 * data: stdin is "USER-SPEC\nPASSWD-BYTES\0GROUP-BYTES". The spec goes through
 * the -u parser, the bytes into the files user.c reads (PASSWD_FILE and
 * GROUP_FILE, set by run.sh), and user_resolve() must either resolve the user
 * or exit 125 with one line — never crash, never overrun a buffer, never hang.
 * Build and run: tests/fuzz/run.sh SECONDS user (not part of make test). */
#include "src/nanoctr.h"

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

int main(void)
{
	static char *envp[] = { NULL };
	static struct config cfg;
	char *argv[4] = { "-u", input, "true", NULL };
	char *passwd, *group;
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
	group += group < input + n;
	put_file(GROUP_FILE, group, input + n - group);

	args_parse_run(&cfg, 3, argv, envp);
	user_resolve(&cfg, &uid, &gid);
	groups = user_groups(&count);
	if (count < 0 || count > 65536)
		__builtin_trap();
	for (int i = 0; i < count; i++)
		if (groups[i] > 0xfffffffeU)
			__builtin_trap();
	/* HOME must be one whole string beginning HOME=/ or the -e one */
	env = user_environment(&cfg);
	for (int i = 0; env[i]; i++)
		n += str_len(env[i]);
	return (int)((uid ^ gid ^ n) & 1);
}
