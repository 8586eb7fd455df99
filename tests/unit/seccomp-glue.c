/* The nanoctr side of tests/unit/seccomp-check.c: built with nanoctr's headers
 * (no libc's), it exposes the compiler through plain C types. */
#include "src/seccomp.h"

static struct seccomp_profile profile;
static struct sock_filter program[BPF_MAXINSNS];
static struct json_token tokens[1 << 16];

int glue_parse(const char *text, unsigned long len, char *field, char *what)
{
	struct seccomp_error err;

	if (seccomp_profile_parse(&profile, text, len, tokens, ARRAY_SIZE(tokens), "6.1.0", &err) < 0) {
		memcpy(field, err.field, sizeof(err.field));
		memcpy(what, err.what, sizeof(err.what));
		return -1;
	}
	return 0;
}

void glue_default(void)
{
	seccomp_profile_default(&profile, 1);
}

/* The profile's SECCOMP_FILTER_FLAG_* bits, for seccomp(2). */
unsigned glue_flags(void)
{
	return profile.flags;
}

/* Returns the instruction count, or -1; *prog the program. */
int glue_compile(unsigned long long caps, const void **prog)
{
	int n = seccomp_compile(&profile, caps, program);

	*prog = program;
	return n < 0 ? -1 : n;
}
