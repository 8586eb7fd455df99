/* AFL++ harness for the config.json loader (src/oci-config.c): stdin is
 * config.json. oci_load_text must accept or refuse it without touching
 * memory it does not own (ASan/UBSan), and hold its promises — abort() on
 * any broken one:
 *   - a refusal is one line "config.json: ..." (no newline), never "Cannot
 *     allocate memory" (the arena is sized for the worst case);
 *   - an accepted spec has args, an absolute cwd and root, absolute clean
 *     destinations (no "//", "/./", "/../", no trailing "/"), every string
 *     readable to its NUL, counts matching NULL-terminated lists.
 * Build and run: tests/fuzz/run.sh SECONDS oci (not part of make test). */
#include "src/spec.h"

void *malloc(unsigned long n);
void free(void *p);
void abort(void);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_list(char *const *list, int count)
{
	int n = 0;

	for (; list && list[n]; n++)
		(void)str_len(list[n]);
	CHECK(count < 0 || n == count);
}

static void check_clean(const char *d)
{
	CHECK(d[0] == '/');
	CHECK(d[1] == 0 || d[str_len(d) - 1] != '/');
	for (const char *p = d; *p; p++)
		if (*p == '/') {
			CHECK(p[1] != '/');
			CHECK(!(p[1] == '.' && (p[2] == '/' || !p[2])));
			CHECK(!(p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3])));
		}
}

int main(void)
{
	static char err[4096];
	unsigned long cap = 1 << 16, len = 0;
	char *text = malloc(cap), *exact;
	struct spec s;
	long n;

	while ((n = sys_read(0, text + len, cap - len)) > 0)
		if ((len += n) == cap)
			break;
	exact = malloc(len ? len : 1);	/* exactly len bytes: ASan sees any overread */
	memcpy(exact, text, len);
	free(text);
	if (oci_load_text("/bundle", exact, len, &s, err, sizeof(err)) < 0) {
		CHECK(str_prefix(err, "config.json: "));
		CHECK(!str_chr(err, '\n'));
		CHECK(!str_prefix(err + str_len(err) - 22, "Cannot allocate memory"));
		oci_unload(&s);
		free(exact);
		return 0;
	}
	CHECK(s.process.args && s.process.args[0]);
	check_list(s.process.args, -1);
	check_list(s.process.env, -1);
	CHECK(s.process.cwd[0] == '/' && s.root_path[0] == '/');
	for (int i = 0; i < s.mount_count; i++) {
		check_clean(s.mounts[i].destination);
		(void)str_len(s.mounts[i].source);
		(void)str_len(s.mounts[i].type);
		(void)str_len(s.mounts[i].data);
	}
	check_list((char *const *)s.masked_paths, s.masked_paths ? s.masked_count : -1);
	check_list((char *const *)s.readonly_paths, s.readonly_paths ? s.readonly_count : -1);
	for (int k = 0; k < HOOK_KINDS; k++)
		for (int i = 0; i < s.hook_count[k]; i++) {
			CHECK(s.hooks[k][i].path[0] == '/');
			check_list(s.hooks[k][i].args, -1);
			check_list(s.hooks[k][i].env, -1);
		}
	for (int i = 0; i < s.annotation_count; i++)
		(void)str_len(s.annotations[i].value);
	for (int i = 0; i < s.sysctl_count; i++)
		(void)str_len(s.sysctl[i].value);
	if (s.seccomp_token)
		CHECK(s.json && s.json->tokens[s.seccomp_token].type == JSON_OBJECT);
	oci_unload(&s);
	free(exact);
	return 0;
}
