/* Seccomp profiles: the OCI / docker JSON profile (linux.seccomp, docker's
 * --security-opt seccomp=FILE) and nanoctr's built-in default, both turned
 * into one struct seccomp_profile, then compiled into classic BPF for the
 * kernel. seccomp-profile.c parses, seccomp-default.c holds the default,
 * seccomp-bpf.c compiles, seccomp.c installs. No allocation anywhere: the
 * caller owns every buffer, so the fuzz harness links these files as they are. */
#ifndef SECCOMP_H
#define SECCOMP_H

#include "src/nanoctr.h"
#include "src/json.h"
#include "syscalls/syscall-names.h"

#ifndef E2BIG
#define E2BIG	7	/* asm-generic/errno-base.h */
#endif

/* Architectures a profile may list, as bits of seccomp_profile.arches. Only
 * the ones this build can run: an x86_64 nanoctr knows X86_64, X86 and X32;
 * an aarch64 one AARCH64 and ARM (EABI); the others' bits filter nothing. */
enum seccomp_arch { SC_X86_64, SC_X86, SC_X32, SC_AARCH64, SC_ARM, SC_ARCHES };

/* Comparison operators, in the OCI / libseccomp spelling SCMP_CMP_<op>. */
enum seccomp_op { SC_NE = 1, SC_LT, SC_LE, SC_EQ, SC_GE, SC_GT, SC_MASKED_EQ };

struct seccomp_cond {
	u64 value, value_two;	/* MASKED_EQ: (arg & value) == value_two */
	u8 index;		/* argument 0..5 */
	u8 op;			/* enum seccomp_op */
};

/* One system call name of one rule: a rule with N names is N of these,
 * sharing their conditions. */
struct seccomp_rule {
	u32 action;		/* SECCOMP_RET_* | data, as the kernel takes it */
	u16 name;		/* enum syscall_name */
	u16 cond;		/* first condition in seccomp_profile.conds */
	u8 cond_count;		/* ANDed; 0: the whole call; SECCOMP_PLACEHOLDER: none */
	u64 caps_all;		/* docker's includes.caps: applies only with all of these */
	u64 caps_none;		/* docker's excludes.caps: and with none of these */
};

/* A rule with the default action: it decides nothing, but its call counts as
 * known for enosys_above_last, as runc counts it. */
#define SECCOMP_PLACEHOLDER	0xff
#define SECCOMP_MAX_RULES	4096
#define SECCOMP_MAX_CONDS	1024
#define BPF_MAXINSNS		4096	/* the kernel's limit (include/uapi/linux/bpf_common.h) */

struct seccomp_profile {
	u32 default_action;
	u32 bad_arch_action;	/* a listed architecture's process, not this one: libseccomp's KILL */
	u32 x32_action;		/* an x32 number when X32 is not listed but X86_64 is */
	unsigned arches;	/* 1 << enum seccomp_arch */
	unsigned flags;		/* SECCOMP_FILTER_FLAG_* */
	int enosys_above_last;	/* numbers above every rule's of an ABI: ENOSYS (runc) */
	unsigned rule_count, cond_count;
	struct seccomp_rule rules[SECCOMP_MAX_RULES];
	struct seccomp_cond conds[SECCOMP_MAX_CONDS];
};


/* An error, as "<field>: <what>": field is e.g. "syscalls[3].args[0].op". */
struct seccomp_error {
	char field[96];
	char what[160];
};

/* seccomp-profile.c: parse the JSON profile text[0..len) (a docker profile or
 * an OCI linux.seccomp object) into p, resolving names against this build's
 * tables, includes.arches / minKernel against this machine (kernel: the
 * running kernel's release string) and keeping includes/excludes.caps for
 * seccomp_compile. tokens: scratch, max of them. Returns 0, or -EINVAL /
 * -ENOSPC / -E2BIG with err filled. */
int seccomp_profile_parse(struct seccomp_profile *p, const char *text, unsigned long len,
			  struct json_token *tokens, unsigned max, const char *kernel,
			  struct seccomp_error *err);

/* The same for a profile already parsed: the object token root of j (the
 * linux.seccomp of a config.json). j is not changed. */
int seccomp_profile_decode(struct seccomp_profile *p, const struct json *j, unsigned root,
			   const char *kernel, struct seccomp_error *err);

/* "4.8" or "5.10.1" (or the kernel's "6.1.0-18-amd64") -> major << 16 |
 * minor << 8 | patch; 0 if not a version. */
unsigned seccomp_kernel_version(const char *s);

/* seccomp-default.c: nanoctr's default (docker's profile, see there);
 * ptrace_ok: the kernel is 4.8 or later (docker's minKernel for ptrace). */
void seccomp_profile_default(struct seccomp_profile *p, int ptrace_ok);

/* width (<= 32) bits at bit pos of the stream t, least significant first:
 * how syscalls/gen-syscall-names.sh packs its tables. */
unsigned seccomp_bits(const unsigned char *t, unsigned long pos, unsigned width);

/* The index of name in syscall-names.h, or -1. */
int seccomp_name_lookup(const char *name);

/* seccomp-bpf.c: compile p, for a container holding the capabilities caps,
 * into out[0..BPF_MAXINSNS). Returns the number of instructions, or -E2BIG
 * when the program would exceed the kernel's limit. */
int seccomp_compile(const struct seccomp_profile *p, u64 caps, struct sock_filter *out);

#endif
