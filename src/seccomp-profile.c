/* A seccomp profile in JSON -> struct seccomp_profile. Two spellings are
 * accepted, as docker accepts them: the OCI runtime spec's linux.seccomp
 * (defaultAction, defaultErrnoRet, architectures, flags, syscalls[] with
 * names, action, errnoRet, args[]) and docker's profile format on top of it
 * (archMap instead of architectures; per rule includes/excludes on caps,
 * arches and minKernel; the old single "name"). Decoding follows runc
 * (libcontainer/specconv + seccomp) and docker (profiles/seccomp):
 *   - a name no table of this build knows, or one the listed architecture
 *     does not have, is skipped (runc logs and skips; libseccomp resolves per
 *     architecture), so profiles carrying other architectures' calls work;
 *   - a rule whose action equals the default action is dropped, as runc does
 *     (libseccomp refuses it);
 *   - several conditions on the same argument cannot be ANDed by libseccomp:
 *     runc then adds each condition as a rule of its own (ORed). Same here;
 *   - errnoRet is for ERRNO and TRACE only; without it they return EPERM;
 *   - SCMP_ACT_NOTIFY needs a listener (seccomp user notification) that
 *     nanoctr does not run: refused, never degraded to another action.
 * Unknown keys are ignored (Go's decoder ignores them too). */
#include "src/seccomp.h"

#define SECCOMP_RET_KILL_THREAD	0x00000000U
#define SECCOMP_RET_TRAP	0x00030000U
#define SECCOMP_RET_TRACE	0x7ff00000U
#define SECCOMP_RET_LOG		0x7ffc0000U
#define SECCOMP_RET_USER_NOTIF	0x7fc00000U

struct parser {
	struct json *j;
	struct seccomp_profile *p;
	struct seccomp_error *err;
	char field[96];		/* where we are, for errors */
	int native;		/* enum seccomp_arch of this build */
	int goarch_ok;		/* matched in includes.arches */
	unsigned kernel;	/* major << 16 | minor << 8 */
};

static int fail(struct parser *ps, const char *what, const char *detail)
{
	char *end = ps->err->what + sizeof(ps->err->what) - 1;

	concat(ps->err->field, sizeof(ps->err->field), ps->field, "", "");
	cat(cat(ps->err->what, end, what), end, detail ? detail : "");
	return -EINVAL;
}

/* A JSON error of the accessors (j->error), at the current field. */
static int fail_json(struct parser *ps, int ret)
{
	fail(ps, ps->j->error ? ps->j->error : "invalid value", NULL);
	return ret;
}

/* field = base + "[i]" + suffix */
static void where(struct parser *ps, const char *base, int i, const char *suffix)
{
	char *p = ps->field, *end = ps->field + sizeof(ps->field) - 1;

	p = cat(p, end, base);
	if (i >= 0) {
		p = cat(p, end, "[");
		p = cat_u64(p, end, i);
		p = cat(p, end, "]");
	}
	cat(p, end, suffix);
}

static int get_string(struct parser *ps, unsigned tok, char *out, unsigned long size)
{
	long n = json_string(ps->j, tok, out, size);

	return n < 0 ? fail_json(ps, (int)n) : 0;
}

static const struct {
	char name[22];
	u32 action;
} actions[] = {
	{ "SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD },	/* libseccomp: KILL is KILL_THREAD */
	{ "SCMP_ACT_KILL_THREAD", SECCOMP_RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SECCOMP_RET_TRAP },
	{ "SCMP_ACT_ERRNO", SECCOMP_RET_ERRNO },
	{ "SCMP_ACT_TRACE", SECCOMP_RET_TRACE },
	{ "SCMP_ACT_ALLOW", SECCOMP_RET_ALLOW },
	{ "SCMP_ACT_LOG", SECCOMP_RET_LOG },
	{ "SCMP_ACT_NOTIFY", SECCOMP_RET_USER_NOTIF },
};

/* action (string token) and errnoRet (token or 0) -> the kernel's value. */
static int parse_action(struct parser *ps, unsigned tok, unsigned errno_tok, u32 *out)
{
	char name[32];
	unsigned long long ret = EPERM;

	if (!tok)
		return fail(ps, "missing", NULL);
	if (get_string(ps, tok, name, sizeof(name)) < 0)
		return -EINVAL;
	for (unsigned i = 0; i < ARRAY_SIZE(actions); i++) {
		if (!str_eq(name, actions[i].name))
			continue;
		if (actions[i].action == SECCOMP_RET_USER_NOTIF)
			return fail(ps, "SCMP_ACT_NOTIFY is not supported "
				    "(nanoctr runs no seccomp notification listener)", NULL);
		*out = actions[i].action;
		if (errno_tok && ps->j->tokens[errno_tok].type != JSON_NULL) {
			if (*out != SECCOMP_RET_ERRNO && *out != SECCOMP_RET_TRACE)
				return fail(ps, "errnoRet is only valid with SCMP_ACT_ERRNO "
					    "and SCMP_ACT_TRACE", NULL);
			if (json_uint(ps->j, errno_tok, 0xffff, &ret) < 0)
				return fail_json(ps, -EINVAL);
		}
		if (*out == SECCOMP_RET_ERRNO || *out == SECCOMP_RET_TRACE)
			*out |= (u32)ret;
		return 0;
	}
	return fail(ps, "unknown action ", name);
}

static const char arch_names[][20] = {
	[SC_X86_64] = "SCMP_ARCH_X86_64", [SC_X86] = "SCMP_ARCH_X86",
	[SC_X32] = "SCMP_ARCH_X32", [SC_AARCH64] = "SCMP_ARCH_AARCH64",
	[SC_ARM] = "SCMP_ARCH_ARM",
};

/* Architectures other than ours are valid names that match nothing here
 * (runc: an architecture libseccomp knows but the machine cannot run is
 * added and never seen); only a name nobody knows is an error. */
static const char *const other_arches[] = {
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
};

/* An architecture name -> its bit, 0 for another machine's, -EINVAL unknown. */
static int arch_bit(struct parser *ps, unsigned tok, unsigned *bit)
{
	char name[32];

	if (get_string(ps, tok, name, sizeof(name)) < 0)
		return -EINVAL;
	*bit = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(arch_names); i++)
		if (str_eq(name, arch_names[i])) {
			/* only the family this binary runs on can be filtered */
			if ((ps->native == SC_X86_64) == (i <= SC_X32))
				*bit = 1u << i;
			return 0;
		}
	for (unsigned i = 0; i < ARRAY_SIZE(other_arches); i++)
		if (str_eq(name, other_arches[i]))
			return 0;
	return fail(ps, "unknown architecture ", name);
}

static int parse_arch_list(struct parser *ps, unsigned list, const char *base)
{
	unsigned bit;
	int i = 0;

	if (json_expect(ps->j, list, JSON_ARRAY) < 0) {
		where(ps, base, -1, "");
		return fail_json(ps, -EINVAL);
	}
	for (unsigned t = json_first(ps->j, list); t; t = json_next(ps->j, t), i++) {
		where(ps, base, i, "");
		if (arch_bit(ps, t, &bit) < 0)
			return -EINVAL;
		ps->p->arches |= bit;
	}
	return 0;
}

/* docker's archMap: the entry of our architecture, with its sub-architectures. */
static int parse_arch_map(struct parser *ps, unsigned map)
{
	int i = 0;

	where(ps, "archMap", -1, "");
	if (json_expect(ps->j, map, JSON_ARRAY) < 0)
		return fail_json(ps, -EINVAL);
	for (unsigned e = json_first(ps->j, map); e; e = json_next(ps->j, e), i++) {
		unsigned arch = json_get(ps->j, e, "architecture"), bit;
		unsigned sub = json_get(ps->j, e, "subArchitectures");

		where(ps, "archMap", i, ".architecture");
		if (json_expect(ps->j, e, JSON_OBJECT) < 0 || !arch)
			return fail(ps, "missing", NULL);
		if (arch_bit(ps, arch, &bit) < 0)
			return -EINVAL;
		if (bit != 1u << ps->native)
			continue;
		ps->p->arches |= bit;
		if (sub && ps->j->tokens[sub].type != JSON_NULL &&
		    parse_arch_list(ps, sub, "archMap[].subArchitectures") < 0)
			return -EINVAL;
	}
	return 0;
}

static const struct {
	char name[32];
	unsigned flag;
} flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", 1 },
	{ "SECCOMP_FILTER_FLAG_LOG", 2 },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4 },
};

static int parse_flags(struct parser *ps, unsigned list)
{
	char name[48];
	int i = 0;

	where(ps, "flags", -1, "");
	if (json_expect(ps->j, list, JSON_ARRAY) < 0)
		return fail_json(ps, -EINVAL);
	for (unsigned t = json_first(ps->j, list); t; t = json_next(ps->j, t), i++) {
		unsigned k;

		where(ps, "flags", i, "");
		if (get_string(ps, t, name, sizeof(name)) < 0)
			return -EINVAL;
		for (k = 0; k < ARRAY_SIZE(flag_names) && !str_eq(name, flag_names[k].name); k++)
			;
		if (k == ARRAY_SIZE(flag_names))
			return fail(ps, "unknown flag ", name);
		ps->p->flags |= flag_names[k].flag;
	}
	return 0;
}

static const char op_names[][20] = {
	[SC_NE] = "SCMP_CMP_NE", [SC_LT] = "SCMP_CMP_LT", [SC_LE] = "SCMP_CMP_LE",
	[SC_EQ] = "SCMP_CMP_EQ", [SC_GE] = "SCMP_CMP_GE", [SC_GT] = "SCMP_CMP_GT",
	[SC_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

static int parse_cond(struct parser *ps, unsigned obj, struct seccomp_cond *c)
{
	struct json *j = ps->j;
	unsigned index = json_get(j, obj, "index"), value = json_get(j, obj, "value");
	unsigned two = json_get(j, obj, "valueTwo"), op = json_get(j, obj, "op");
	unsigned long long n = 0;
	char name[24];

	if (json_expect(j, obj, JSON_OBJECT) < 0)
		return fail_json(ps, -EINVAL);
	memset(c, 0, sizeof(*c));
	if (index && json_uint(j, index, 5, &n) < 0)	/* six arguments: 0..5 */
		return fail(ps, "index: ", j->error);
	c->index = (u8)n;
	if (value && j->tokens[value].type != JSON_NULL && json_uint(j, value, ~0ULL, &c->value) < 0)
		return fail(ps, "value: ", j->error);
	if (two && j->tokens[two].type != JSON_NULL && json_uint(j, two, ~0ULL, &c->value_two) < 0)
		return fail(ps, "valueTwo: ", j->error);
	if (!op)
		return fail(ps, "op: missing", NULL);
	if (get_string(ps, op, name, sizeof(name)) < 0)
		return -EINVAL;
	for (unsigned i = SC_NE; i <= SC_MASKED_EQ; i++)
		if (str_eq(name, op_names[i]))
			c->op = (u8)i;
	if (!c->op)
		return fail(ps, "unknown operator ", name);
	return 0;
}

/* "4.8" or "5.10.1" -> major << 16 | minor << 8 | patch; 0 if not a version. */
static unsigned kernel_version(const char *s)
{
	unsigned v = 0, part = 0, parts = 0;

	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			part = part * 10 + (unsigned)(*s - '0');
			if (part > 255)
				return 0;
			continue;
		}
		v |= part << (16 - 8 * parts);
		part = 0;
		if (++parts == 3 || *s != '.')
			break;
	}
	return v;
}

/* docker's includes / excludes. Returns 1 if the rule applies on this
 * machine (caps are kept for seccomp_compile), 0 if not, -EINVAL. */
static int parse_filter(struct parser *ps, unsigned obj, int include, u64 *caps)
{
	struct json *j = ps->j;
	unsigned arches = json_get(j, obj, "arches"), list = json_get(j, obj, "caps");
	unsigned kernel = json_get(j, obj, "minKernel");
	char name[32];
	int hit = 0;

	*caps = 0;
	if (json_expect(j, obj, JSON_OBJECT) < 0)
		return fail_json(ps, -EINVAL);
	if (arches && j->tokens[arches].type == JSON_ARRAY && json_first(j, arches)) {
		/* Go's runtime.GOARCH of this machine, as docker compares it */
		for (unsigned t = json_first(j, arches); t; t = json_next(j, t)) {
			if (get_string(ps, t, name, sizeof(name)) < 0)
				return -EINVAL;
			hit |= str_eq(name, ps->native == SC_X86_64 ? "amd64" : "arm64");
		}
		if (include ? !hit : hit)
			return 0;
	}
	if (list && j->tokens[list].type == JSON_ARRAY) {
		for (unsigned t = json_first(j, list); t; t = json_next(j, t)) {
			u64 mask;

			if (get_string(ps, t, name, sizeof(name)) < 0)
				return -EINVAL;
			if (caps_parse(name, &mask) < 0 || mask == ~0ULL)
				return fail(ps, "unknown capability ", name);
			*caps |= mask;
		}
	}
	if (kernel && include && j->tokens[kernel].type == JSON_STRING) {
		unsigned v;

		if (get_string(ps, kernel, name, sizeof(name)) < 0)
			return -EINVAL;
		v = kernel_version(name);
		if (!v)
			return fail(ps, "minKernel: not a kernel version: ", name);
		if (ps->kernel < v)
			return 0;
	}
	return 1;
}

static int add_rule(struct parser *ps, int name, u32 action, unsigned cond, unsigned count,
		    u64 caps_all, u64 caps_none)
{
	struct seccomp_profile *p = ps->p;
	struct seccomp_rule *r;

	if (p->rule_count == SECCOMP_MAX_RULES)
		return fail(ps, "too many rules", NULL);
	r = &p->rules[p->rule_count++];
	r->action = action;
	r->name = (u16)name;
	r->cond = (u16)cond;
	r->cond_count = (u8)count;
	r->caps_all = caps_all;
	r->caps_none = caps_none;
	return 0;
}

static int parse_syscall(struct parser *ps, unsigned obj, int i)
{
	struct json *j = ps->j;
	struct seccomp_profile *p = ps->p;
	unsigned names = json_get(j, obj, "names"), one = json_get(j, obj, "name");
	unsigned args = json_get(j, obj, "args"), inc = json_get(j, obj, "includes");
	unsigned exc = json_get(j, obj, "excludes");
	unsigned cond = p->cond_count, count = 0, seen = 0, split = 0;
	u64 caps_all = 0, caps_none = 0;
	u32 action;
	int ret;

	where(ps, "syscalls", i, "");
	if (json_expect(j, obj, JSON_OBJECT) < 0)
		return fail_json(ps, -EINVAL);
	where(ps, "syscalls", i, ".action");
	if (parse_action(ps, json_get(j, obj, "action"), json_get(j, obj, "errnoRet"), &action) < 0)
		return -EINVAL;
	if (inc && j->tokens[inc].type != JSON_NULL) {
		where(ps, "syscalls", i, ".includes");
		if ((ret = parse_filter(ps, inc, 1, &caps_all)) <= 0)
			return ret;
	}
	if (exc && j->tokens[exc].type != JSON_NULL) {
		where(ps, "syscalls", i, ".excludes");
		if ((ret = parse_filter(ps, exc, 0, &caps_none)) <= 0)
			return ret;
	}
	if (args && j->tokens[args].type != JSON_NULL) {
		int k = 0;

		where(ps, "syscalls", i, ".args");
		if (json_expect(j, args, JSON_ARRAY) < 0)
			return fail_json(ps, -EINVAL);
		for (unsigned t = json_first(j, args); t; t = json_next(j, t), k++) {
			char sub[24] = ".args[";

			cat(cat_u64(sub + 6, sub + sizeof(sub) - 1, k), sub + sizeof(sub) - 1, "]");
			where(ps, "syscalls", i, sub);
			if (p->cond_count == SECCOMP_MAX_CONDS)
				return fail(ps, "too many argument conditions", NULL);
			if (parse_cond(ps, t, &p->conds[p->cond_count]) < 0)
				return -EINVAL;
			if (seen & (1u << p->conds[p->cond_count].index))
				split = 1;	/* runc: one rule per condition */
			seen |= 1u << p->conds[p->cond_count].index;
			p->cond_count++;
			count++;
		}
	}
	/* runc skips a rule with the default action (libseccomp would refuse it)
	 * but still counts its calls for the ENOSYS stub: kept as a placeholder */
	if (action == p->default_action)
		count = SECCOMP_PLACEHOLDER, split = 0;
	/* names[], or docker's older single name */
	if (names && j->tokens[names].type != JSON_NULL) {
		int k = 0;

		where(ps, "syscalls", i, ".names");
		if (json_expect(j, names, JSON_ARRAY) < 0)
			return fail_json(ps, -EINVAL);
		for (unsigned t = json_first(j, names); t; t = json_next(j, t), k++) {
			char name[64], sub[24] = ".names[";
			int n;

			cat(cat_u64(sub + 7, sub + sizeof(sub) - 1, k), sub + sizeof(sub) - 1, "]");
			where(ps, "syscalls", i, sub);
			if (get_string(ps, t, name, sizeof(name)) < 0)
				return -EINVAL;
			n = seccomp_name_lookup(name);
			if (n < 0)
				continue;	/* no architecture of ours has it: skipped, as runc */
			for (unsigned c = 0; c < (split ? count : 1); c++)
				if (add_rule(ps, n, action, cond + c, split ? 1 : count,
					     caps_all, caps_none) < 0)
					return -EINVAL;
		}
	} else if (one && j->tokens[one].type == JSON_STRING) {
		char name[64];
		int n;

		where(ps, "syscalls", i, ".name");
		if (get_string(ps, one, name, sizeof(name)) < 0)
			return -EINVAL;
		n = seccomp_name_lookup(name);
		for (unsigned c = 0; n >= 0 && c < (split ? count : 1); c++)
			if (add_rule(ps, n, action, cond + c, split ? 1 : count, caps_all, caps_none) < 0)
				return -EINVAL;
	} else {
		where(ps, "syscalls", i, ".names");
		return fail(ps, "missing", NULL);
	}
	return 0;
}

int seccomp_profile_parse(struct seccomp_profile *p, const char *text, unsigned long len,
			  struct json_token *tokens, unsigned max, const char *kernel,
			  struct seccomp_error *err)
{
	struct json j;
	int ret = json_parse(&j, text, len, tokens, max);

	memset(err, 0, sizeof(*err));
	if (ret < 0) {
		char *end = err->field + sizeof(err->field) - 1;

		cat_u64(cat(err->field, end, "offset "), end, j.error_offset);
		cat(err->what, err->what + sizeof(err->what) - 1, j.error);
		return ret;
	}
	return seccomp_profile_decode(p, &j, 0, kernel, err);
}

int seccomp_profile_decode(struct seccomp_profile *p, const struct json *jp, unsigned root,
			   const char *kernel, struct seccomp_error *err)
{
	struct json j = *jp;
	struct parser ps = { &j, p, err, "", 0, 0, kernel_version(kernel) };
	unsigned t;
	int i = 0;

#ifdef SYSCALL_X32_BIT
	ps.native = SC_X86_64;
#else
	ps.native = SC_AARCH64;
#endif
	memset(p, 0, sizeof(*p) - sizeof(p->rules) - sizeof(p->conds));
	memset(err, 0, sizeof(*err));
	p->bad_arch_action = SECCOMP_RET_KILL_THREAD;	/* libseccomp's default, runc keeps it */
	if (json_expect(&j, root, JSON_OBJECT) < 0)
		return fail_json(&ps, -EINVAL);
	where(&ps, "defaultAction", -1, "");
	if (parse_action(&ps, json_get(&j, root, "defaultAction"),
			 json_get(&j, root, "defaultErrnoRet"), &p->default_action) < 0)
		return -EINVAL;
	p->x32_action = p->bad_arch_action;
	/* runc (libcontainer/seccomp/patchbpf): unless the default allows (ALLOW,
	 * LOG, TRACE) or already says ENOSYS, a number above the profile's last
	 * known one gets ENOSYS, so libcs fall back from calls newer than it. */
	p->enosys_above_last = p->default_action != SECCOMP_RET_ALLOW &&
		p->default_action != SECCOMP_RET_LOG && (p->default_action & 0xffff0000U) != SECCOMP_RET_TRACE &&
		p->default_action != (SECCOMP_RET_ERRNO | ENOSYS);
	if ((t = json_get(&j, root, "architectures")) && j.tokens[t].type != JSON_NULL) {
		if (parse_arch_list(&ps, t, "architectures") < 0)
			return -EINVAL;
	} else if ((t = json_get(&j, root, "archMap")) && j.tokens[t].type != JSON_NULL) {
		if (parse_arch_map(&ps, t) < 0)
			return -EINVAL;
	}
	/* libseccomp's filter always holds the native architecture (seccomp_init
	 * adds it, runc adds the listed ones to it): listed or not, it is filtered. */
	p->arches |= 1u << ps.native;
	if ((t = json_get(&j, root, "flags")) && j.tokens[t].type != JSON_NULL &&
	    parse_flags(&ps, t) < 0)
		return -EINVAL;
	if ((t = json_get(&j, root, "syscalls")) && j.tokens[t].type != JSON_NULL) {
		where(&ps, "syscalls", -1, "");
		if (json_expect(&j, t, JSON_ARRAY) < 0)
			return fail_json(&ps, -EINVAL);
		for (unsigned s = json_first(&j, t); s; s = json_next(&j, s), i++)
			if (parse_syscall(&ps, s, i) < 0)
				return -EINVAL;
	}
	return 0;
}

unsigned seccomp_bits(const unsigned char *t, unsigned long pos, unsigned width)
{
	unsigned v = 0;

	for (unsigned i = 0; i < width; i++, pos++)
		v |= (unsigned)(t[pos >> 3] >> (pos & 7) & 1) << i;
	return v;
}

int seccomp_name_lookup(const char *name)
{
	unsigned long pos = 0;
	char cur[64];

	for (int i = 0; i < SYSCALL_NAMES; i++) {
		unsigned k = seccomp_bits(syscall_names, pos, 5), end = k + seccomp_bits(syscall_names, pos + 5, 5);

		for (pos += 10; k < end; k++, pos += 5)
			cur[k] = SYSCALL_ALPHABET[seccomp_bits(syscall_names, pos, 5)];
		cur[k] = 0;
		if (str_eq(cur, name))
			return i;
	}
	return -1;
}
