/* The seccomp filter of a container: nanoctr's default profile (docker's,
 * seccomp-default.c), the JSON profile of --security-opt seccomp=FILE, or a
 * config.json's linux.seccomp (seccomp-profile.c; both read and checked
 * before anything exists), compiled to classic BPF (seccomp-bpf.c) for the
 * capabilities the container ends up with, and loaded by seccomp_install. */
#include "src/seccomp.h"

#define PROFILE_MAX	(256 * 1024)	/* docker's default.json is ~17 KiB */

static struct seccomp_profile profile;
static int profile_given;
static struct sock_filter program[BPF_MAXINSNS];

/* The running kernel's release ("6.1.0-18-amd64"), "" when /proc cannot
 * tell: then minKernel rules are left out (stricter, never weaker). */
static const char *kernel_release(void)
{
	static char release[65];

	if (read_file("/proc/sys/kernel/osrelease", release, sizeof(release)) < 0)
		release[0] = 0;
	return release;
}

/* A profile just decoded (ret from seccomp_profile_*): "" or why not. The
 * size depends on the capabilities (includes/excludes): both ends are
 * compiled now, so a profile too large for the kernel fails before anything
 * is created. */
static const char *profile_check(int ret)
{
	if (ret < 0)
		return "";
	if (seccomp_compile(&profile, 0, program) < 0 || seccomp_compile(&profile, ~0ULL, program) < 0)
		return "the filter would exceed the kernel's 4096 instructions";
	profile_given = 1;
	return NULL;
}

void seccomp_load_profile(const char *path)
{
	/* Anonymous mappings, not .bss: a run without a profile file never
	 * touches them, and the default image stays within the 1 MiB that
	 * aarch64's -mcmodel=tiny addresses. The text's pages are committed
	 * only as read; the tokens are sized from it (a JSON value takes at
	 * least one byte: len + 1 of them always suffice, as oci-config.c).
	 * They live until execve. */
	char *text = (char *)sys_mmap_anon(PROFILE_MAX + 2);
	struct json_token *tokens = NULL;
	struct seccomp_error err;
	char head[PATH_LIMIT + 32], why[300];
	const char *what;
	int len = (unsigned long)text > -4096UL ? (int)(long)text : read_file(path, text, PROFILE_MAX + 2);

	if (len >= 0 && len <= PROFILE_MAX &&
	    (unsigned long)(tokens = (void *)sys_mmap_anon((len + 1UL) * sizeof(*tokens))) > -4096UL)
		len = (int)(long)tokens;
	if (len < 0)
		what = errno_text(-len);
	else if (len > PROFILE_MAX)
		what = "larger than 256 KiB";
	else if (!(what = profile_check(seccomp_profile_parse(&profile, text, (unsigned long)len, tokens,
							      (unsigned)len + 1, kernel_release(), &err))))
		return;
	if (len < 0 || len > PROFILE_MAX)
		err.field[0] = 0;
	else if (!*what)
		what = err.what;
	concat(head, sizeof(head), "--security-opt seccomp=", path, "");
	concat(why, sizeof(why), err.field, err.field[0] ? ": " : "", what);
	die_code(EXIT_SETUP, head, why);
}

int seccomp_load_json(const struct json *j, unsigned obj, char *field, unsigned long size)
{
	struct seccomp_error err;
	const char *what = profile_check(seccomp_profile_decode(&profile, j, obj, kernel_release(), &err));

	if (!what)
		return 0;
	concat(field, size, "linux.seccomp", err.field[0] ? "." : "", err.field);
	concat(field + str_len(field), size - str_len(field), ": ", *what ? what : err.what, "");
	return -EINVAL;
}

/* Load the filter for a process holding caps. Flags are honoured; on a
 * kernel that refuses them (EINVAL), the filter is loaded without: dropping
 * TSYNC cannot weaken it (nanoctr is single-threaded here), nor LOG (only
 * logging), and dropping SPEC_ALLOW keeps the speculation mitigation on. */
static int compile(u64 caps)
{
	int n = seccomp_compile(&profile, caps, program);

	if (n < 0)
		die_code(EXIT_SETUP, "seccomp", "the filter would exceed the kernel's 4096 instructions");
	return n;
}

/* A given profile (--security-opt seccomp=FILE) compiled for caps, the
 * container's, before anything exists: too large is one line, 125. The
 * built-in default always fits (it is compiled when it is loaded). */
void seccomp_check(u64 caps)
{
	if (profile_given)
		compile(caps);
}

void seccomp_install(u64 caps)
{
	struct sock_fprog prog;
	int n, ret;

	if (!profile_given)	/* docker: ptrace on 4.8+ only (before, it could bypass seccomp) */
		seccomp_profile_default(&profile, seccomp_kernel_version(kernel_release()) >= 0x40800);
	n = compile(caps);
	prog = (struct sock_fprog){ (unsigned short)n, program };
	ret = sys_seccomp(SECCOMP_SET_MODE_FILTER, profile.flags, &prog);
	if (ret == -EINVAL && profile.flags)
		ret = sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog);
	if (ret == -ENOSYS)	/* before 3.17: the prctl form, no flags */
		ret = sys_prctl(22 /* PR_SET_SECCOMP */, 2 /* SECCOMP_MODE_FILTER */,
				(unsigned long)&prog);
	if (ret == -EINVAL)
		die_code(EXIT_SETUP, "seccomp", "Invalid argument (kernel without seccomp filters? "
			 "use --security-opt seccomp=unconfined)");
	if (ret < 0)
		die("seccomp", ret);
}
