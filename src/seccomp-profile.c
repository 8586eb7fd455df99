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
#define SECCOMP_RET_TRACE	0x7ff00000U
#define SECCOMP_RET_LOG		0x7ffc0000U

struct parser {
	struct json *j;
	struct seccomp_profile *p;
	struct seccomp_error *err;
	unsigned root;			/* the profile's object */
	int native;			/* enum seccomp_arch of this build */
	unsigned kernel;		/* major << 16 | minor << 8 */
};

/* The error what (and detail, e.g. the name) at token t: its path from the
 * profile's root ("syscalls[2].args[0].op") is found now, by descending
 * through the containers that enclose t, then key appended when given (a
 * missing member of t). Returns -EINVAL. */
static int fail_at(struct parser *ps, unsigned t, const char *key, const char *what, const char *detail)
{
	struct json *j = ps->j;
	char *p = ps->err->field, *end = p + sizeof(ps->err->field) - 1;
	char *w = ps->err->what, *wend = w + sizeof(ps->err->what) - 1;
	unsigned at = ps->root;

	cat(cat(w, wend, what), wend, detail ? detail : "");
	while (at != t) {
		unsigned i = 0, k, v = 0;
		int obj = j->tokens[at].type == JSON_OBJECT;
		char name[64];

		for (k = json_first(j, at); k; k = json_next(j, k), i++) {
			v = k + (unsigned)obj;
			if (j->tokens[v].start <= j->tokens[t].start && j->tokens[t].end <= j->tokens[v].end)
				break;
		}
		if (!k)
			break;
		if (obj && json_string(j, k, name, sizeof(name)) < 0)
			name[0] = 0;
		p = obj ? cat(cat(p, end, at == ps->root ? "" : "."), end, name) :
			cat(cat_u64(cat(p, end, "["), end, i), end, "]");
		at = v;
	}
	if (key)
		cat(cat(p, end, at == ps->root ? "" : "."), end, key);
	return -EINVAL;
}

static int fail(struct parser *ps, unsigned t, const char *what, const char *detail)
{
	return fail_at(ps, t, NULL, what, detail);
}

/* An accessor's error (j->error) at token t. */
static int fail_json(struct parser *ps, unsigned t)
{
	return fail(ps, t, ps->j->error, NULL);
}

/* The members of obj named in keys ("a\0b\0...\0") into slot[]: each one's
 * value token, 0 when absent or null (Go's decoder then leaves the field
 * unset). As Go's decoder (and json_get): names compared without ASCII
 * case, the last of duplicates wins. */
static void members(struct parser *ps, unsigned obj, const char *keys, unsigned *slot)
{
	struct json *j = ps->j;

	for (unsigned k = json_first(j, obj); k; k = json_next(j, k)) {
		char name[64];
		const char *l = keys;

		if (json_string(j, k, name, sizeof(name)) < 0)
			continue;	/* too long for any of ours */
		for (unsigned i = 0; *l; l += str_len(l) + 1, i++) {
			const char *a = name, *b = l;

			while (*a && (*a | 0x20) == (*b | 0x20))
				a++, b++;
			if (!*a && !*b)
				slot[i] = j->tokens[k + 1].type == JSON_NULL ? 0 : k + 1;
		}
	}
}

/* Token t (0: absent) checked to be of type: t, 0, or -EINVAL. */
static long typed(struct parser *ps, unsigned t, int type)
{
	return t && json_expect(ps->j, t, type) < 0 ? fail_json(ps, t) : (long)t;
}

static int string(struct parser *ps, unsigned tok, char *out, unsigned long size)
{
	return json_string(ps->j, tok, out, size) < 0 ? fail_json(ps, tok) : 0;
}

/* Token t (0: absent) as an unsigned number up to max into *out (unchanged if absent). */
static int number(struct parser *ps, unsigned t, u64 max, u64 *out)
{
	return t && json_uint(ps->j, t, max, out) < 0 ? fail_json(ps, t) : 0;
}

/* The index of name, once prefix is taken off, in list ("a\0b\0...\0"), or -1. */
static int pick(const char *name, const char *prefix, const char *list)
{
	name = str_prefix(name, prefix);
	for (int i = 0; name && *list; i++, list += str_len(list) + 1)
		if (str_eq(name, list))
			return i;
	return -1;
}

typedef int string_fn(struct parser *ps, unsigned tok, const char *name, void *arg);

/* The strings of the array t (0: absent), each through fn; 0 when absent,
 * 1 when present, or -EINVAL. */
static int strings(struct parser *ps, unsigned t, string_fn *fn, void *arg)
{
	long list = typed(ps, t, JSON_ARRAY);
	char name[64];

	if (list <= 0)
		return (int)list;
	for (t = json_first(ps->j, t); t; t = json_next(ps->j, t))
		if (string(ps, t, name, sizeof(name)) < 0 || fn(ps, t, name, arg) < 0)
			return -EINVAL;
	return 1;
}

/* The action (libseccomp's name; token action, 0 when absent: key of obj is
 * missing) and its errnoRet (token, 0: none) -> the kernel's value. */
static int parse_action(struct parser *ps, unsigned obj, const char *key, unsigned action,
			unsigned errno_ret, u32 *out)
{
	/* SCMP_ACT_<name>: SECCOMP_RET_<...> >> 16; libseccomp's KILL is KILL_THREAD */
	static const char names[] = "KILL\0KILL_THREAD\0KILL_PROCESS\0TRAP\0ERRNO\0TRACE\0ALLOW\0LOG\0NOTIFY\0";
	static const u16 values[] = { 0, 0, 0x8000, 0x0003, 0x0005, 0x7ff0, 0x7fff, 0x7ffc };
	long t = typed(ps, action, JSON_STRING);
	u64 ret = EPERM;
	char name[32];
	int i;

	if (!t)
		return fail_at(ps, obj, key, "missing", NULL);
	if (t < 0 || string(ps, (unsigned)t, name, sizeof(name)) < 0)
		return -EINVAL;
	i = pick(name, "SCMP_ACT_", names);
	if (i < 0)
		return fail(ps, (unsigned)t, "unknown action ", name);
	if (i == 8)
		return fail(ps, (unsigned)t, "SCMP_ACT_NOTIFY is not supported (no notification listener)",
			    NULL);
	if (errno_ret && i != 4 && i != 5)
		return fail(ps, (unsigned)t, "errnoRet is only valid with SCMP_ACT_ERRNO and SCMP_ACT_TRACE", NULL);
	if (number(ps, errno_ret, 0xffff, &ret) < 0)
		return -EINVAL;
	*out = (u32)values[i] << 16 | (i == 4 || i == 5 ? (u32)ret : 0);
	return 0;
}

/* SCMP_ARCH_<name>: enum seccomp_arch, then other machines' (valid names
 * that match nothing here, as runc adds architectures the machine cannot
 * run); only a name nobody knows is an error. */
static const char arch_names[] =
	"X86_64\0X86\0X32\0AARCH64\0ARM\0MIPS\0MIPS64\0MIPS64N32\0MIPSEL\0MIPSEL64\0"
	"MIPSEL64N32\0PPC\0PPC64\0PPC64LE\0S390\0S390X\0PARISC\0PARISC64\0RISCV64\0"
	"LOONGARCH64\0M68K\0SH\0SHEB\0";

/* A list of names: prefix + list (for pick), what to say when a name is
 * none of them, and the bits (1 << its index, within mask) it sets. */
struct names {
	const char *prefix, *list, *what;
	unsigned mask, *bits;
};

static int add_bit(struct parser *ps, unsigned t, const char *name, void *arg)
{
	const struct names *n = arg;
	int i = pick(name, n->prefix, n->list);

	if (i < 0)
		return fail(ps, t, n->what, name);
	*n->bits |= 1u << i & n->mask;
	return 0;
}

/* docker's archMap: the subArchitectures of the entry of our architecture
 * (docker reads no other entry: their names are not checked either). */
static int parse_arch_map(struct parser *ps, unsigned map_tok, struct names *arches)
{
	long map = typed(ps, map_tok, JSON_ARRAY), t;
	char name[32];

	if (map < 0)
		return -EINVAL;
	for (unsigned e = map ? json_first(ps->j, (unsigned)map) : 0; e; e = json_next(ps->j, e)) {
		unsigned m[2] = { 0, 0 };	/* architecture, subArchitectures */

		if (json_expect(ps->j, e, JSON_OBJECT) < 0)
			return fail_json(ps, e);
		members(ps, e, "architecture\0subArchitectures\0", m);
		if ((t = typed(ps, m[0], JSON_STRING)) < 0 ||
		    (t && string(ps, (unsigned)t, name, sizeof(name)) < 0))
			return -EINVAL;
		if (t && pick(name, "SCMP_ARCH_", arch_names) == ps->native &&
		    strings(ps, m[1], add_bit, arches) < 0)
			return -EINVAL;
	}
	return 0;
}

static int parse_cond(struct parser *ps, unsigned obj, struct seccomp_cond *c)
{
	unsigned m[4] = { 0, 0, 0, 0 };	/* index, value, valueTwo, op */
	u64 index = 0;
	long t;
	char name[24];
	int op;

	memset(c, 0, sizeof(*c));
	if (json_expect(ps->j, obj, JSON_OBJECT) < 0)
		return fail_json(ps, obj);
	members(ps, obj, "index\0value\0valueTwo\0op\0", m);
	if (number(ps, m[0], 5, &index) < 0 ||	/* six arguments: 0..5 */
	    number(ps, m[1], ~0ULL, &c->value) < 0 || number(ps, m[2], ~0ULL, &c->value_two) < 0 ||
	    (t = typed(ps, m[3], JSON_STRING)) < 0)
		return -EINVAL;
	if (!t)
		return fail_at(ps, obj, "op", "missing", NULL);
	if (string(ps, (unsigned)t, name, sizeof(name)) < 0)
		return -EINVAL;
	c->index = (u8)index;
	op = pick(name, "SCMP_CMP_", "NE\0LT\0LE\0EQ\0GE\0GT\0MASKED_EQ\0");
	if (op < 0)
		return fail(ps, (unsigned)t, "unknown operator ", name);
	c->op = (u8)(op + SC_NE);
	return 0;
}

unsigned seccomp_kernel_version(const char *s)
{
	unsigned v = 0, part = 0, parts = 0;

	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			part = part * 10 + (unsigned)(*s - '0');
			if (part > 255)	/* 4.9.337: still after 4.9.255 */
				part = 255;
			continue;
		}
		v |= part << (16 - 8 * parts);
		part = 0;
		if (++parts == 3 || *s != '.')
			break;
	}
	return v;
}

struct filter {
	int hit;	/* includes/excludes.arches names this machine (docker's GOARCH) */
	u64 caps;
};

static int filter_arch(struct parser *ps, unsigned t, const char *name, void *arg)
{
	(void)t;
	((struct filter *)arg)->hit |= str_eq(name, ps->native == SC_X86_64 ? "amd64" : "arm64") + 2;
	return 0;
}

/* docker compares the names with the container's capabilities as strings
 * ("CAP_SYS_ADMIN"): a name no capability has is never held, bit 63 here
 * (includes: the rule never applies; excludes: it excludes nothing). */
static int filter_cap(struct parser *ps, unsigned t, const char *name, void *arg)
{
	const char *n = str_prefix(name, "CAP_");
	unsigned i = 0;

	(void)ps, (void)t;
	while (n && i < CAP_NAME_COUNT && !str_eq(n, cap_names[i]))
		i++;
	((struct filter *)arg)->caps |= 1ULL << (n && i < CAP_NAME_COUNT ? i : 63);
	return 0;
}

/* docker's includes (include: 1) or excludes of a rule. Returns 1 if the
 * rule applies on this machine (the caps are kept for seccomp_compile), 0
 * if not, or -EINVAL. */
static int parse_filter(struct parser *ps, unsigned tok, int include, u64 *caps)
{
	long obj = typed(ps, tok, JSON_OBJECT), t = 0;
	unsigned m[3] = { 0, 0, 0 };	/* arches, caps, minKernel */
	struct filter f = { 0, 0 };
	char version[32];
	unsigned v;

	if (obj <= 0)
		return obj < 0 ? -EINVAL : 1;
	members(ps, (unsigned)obj, "arches\0caps\0minKernel\0", m);
	if (strings(ps, m[0], filter_arch, &f) < 0 || strings(ps, m[1], filter_cap, &f) < 0 ||
	    (include && (t = typed(ps, m[2], JSON_STRING)) < 0) ||
	    (t && string(ps, (unsigned)t, version, sizeof(version)) < 0))
		return -EINVAL;
	*caps = f.caps;
	if (f.hit && (include ? !(f.hit & 1) : f.hit & 1))
		return 0;
	if (t && !(v = seccomp_kernel_version(version)))
		return fail(ps, (unsigned)t, "not a kernel version: ", version);
	return !t || ps->kernel >= v;
}

static int parse_syscall(struct parser *ps, unsigned obj)
{
	struct json *j = ps->j;
	struct seccomp_profile *p = ps->p;
	unsigned cond = p->cond_count, count = 0, seen = 0, split = 0;
	/* action, errnoRet, includes, excludes, args, names, name */
	unsigned m[7] = { 0, 0, 0, 0, 0, 0, 0 };
	u64 caps_all = 0, caps_none = 0;
	long args, names, t;
	u32 action;
	int ret;

	if (json_expect(j, obj, JSON_OBJECT) < 0)
		return fail_json(ps, obj);
	members(ps, obj, "action\0errnoRet\0includes\0excludes\0args\0names\0name\0", m);
	if (parse_action(ps, obj, "action", m[0], m[1], &action) < 0)
		return -EINVAL;
	if ((ret = parse_filter(ps, m[2], 1, &caps_all)) <= 0 ||
	    (ret = parse_filter(ps, m[3], 0, &caps_none)) <= 0)
		return ret;
	if ((args = typed(ps, m[4], JSON_ARRAY)) < 0)
		return -EINVAL;
	for (t = args ? json_first(j, (unsigned)args) : 0; t; t = json_next(j, (unsigned)t)) {
		struct seccomp_cond *c = &p->conds[p->cond_count];

		if (p->cond_count == SECCOMP_MAX_CONDS)
			return fail(ps, (unsigned)t, "too many rules", NULL);
		if (parse_cond(ps, (unsigned)t, c) < 0)
			return -EINVAL;
		if (seen & (1u << c->index))
			split = 1;	/* runc: one rule per condition */
		seen |= 1u << c->index;
		p->cond_count++;
		count++;
	}
	/* runc skips a rule with the default action (libseccomp would refuse it)
	 * but still counts its calls for the ENOSYS stub: kept as a placeholder */
	if (action == p->default_action)
		count = SECCOMP_PLACEHOLDER, split = 0;
	/* names[], or docker's older single name */
	if ((names = typed(ps, m[5], JSON_ARRAY)) < 0)
		return -EINVAL;
	t = names ? json_first(j, (unsigned)names) : m[6];
	if (!names && (!t || j->tokens[t].type != JSON_STRING))
		return fail_at(ps, obj, "names", "missing", NULL);
	for (; t; t = names ? json_next(j, (unsigned)t) : 0) {
		char name[64];
		int n;

		if (string(ps, (unsigned)t, name, sizeof(name)) < 0)
			return -EINVAL;
		n = seccomp_name_lookup(name);	/* -1: no ABI of ours has it, skipped as runc */
		for (unsigned c = 0; n >= 0 && c < (split ? count : 1); c++) {
			if (p->rule_count == SECCOMP_MAX_RULES)
				return fail(ps, (unsigned)t, "too many rules", NULL);
			p->rules[p->rule_count++] = (struct seccomp_rule){ action, (u16)n,
				(u16)(cond + c), (u8)(split ? 1 : count), caps_all, caps_none };
		}
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
	struct parser ps = { &j, p, err, root, 0, seccomp_kernel_version(kernel) };
	/* defaultAction, defaultErrnoRet, architectures, archMap, flags, syscalls */
	unsigned m[6] = { 0, 0, 0, 0, 0, 0 };
	/* only the family this binary runs on can be filtered; other machines'
	 * names are valid and add nothing (runc adds them, they match nothing) */
	struct names arches = { "SCMP_ARCH_", arch_names, "unknown architecture ",
#ifdef SYSCALL_X32_BIT
				1u << SC_X86_64 | 1u << SC_X86 | 1u << SC_X32,
#else
				1u << SC_AARCH64 | 1u << SC_ARM,
#endif
				&p->arches };
	struct names flags = { "SECCOMP_FILTER_FLAG_", "TSYNC\0LOG\0SPEC_ALLOW\0", "unknown flag ",
			       7, &p->flags };	/* TSYNC 1, LOG 2, SPEC_ALLOW 4 */
	long list;
	int ret;

#ifdef SYSCALL_X32_BIT
	ps.native = SC_X86_64;
#else
	ps.native = SC_AARCH64;
#endif
	memset(p, 0, sizeof(*p) - sizeof(p->rules) - sizeof(p->conds));
	memset(err, 0, sizeof(*err));
	p->bad_arch_action = SECCOMP_RET_KILL_THREAD;	/* libseccomp's default, runc keeps it */
	if (json_expect(&j, root, JSON_OBJECT) < 0)
		return fail_json(&ps, root);
	members(&ps, root, "defaultAction\0defaultErrnoRet\0architectures\0archMap\0flags\0syscalls\0", m);
	if (parse_action(&ps, root, "defaultAction", m[0], m[1], &p->default_action) < 0)
		return -EINVAL;
	p->x32_action = p->bad_arch_action;
	/* runc (libcontainer/seccomp/patchbpf): unless the default allows (ALLOW,
	 * LOG, TRACE) or already says ENOSYS, a number above the profile's last
	 * known one gets ENOSYS, so libcs fall back from calls newer than it. */
	p->enosys_above_last = p->default_action != SECCOMP_RET_ALLOW &&
		p->default_action != SECCOMP_RET_LOG && (p->default_action & 0xffff0000U) != SECCOMP_RET_TRACE &&
		p->default_action != (SECCOMP_RET_ERRNO | ENOSYS);
	/* architectures, else docker's archMap */
	if ((ret = strings(&ps, m[2], add_bit, &arches)) < 0 ||
	    (!ret && parse_arch_map(&ps, m[3], &arches) < 0))
		return -EINVAL;
	/* libseccomp's filter always holds the native architecture (seccomp_init
	 * adds it, runc adds the listed ones to it): listed or not, it is filtered. */
	p->arches |= 1u << ps.native;
	if (strings(&ps, m[4], add_bit, &flags) < 0 || (list = typed(&ps, m[5], JSON_ARRAY)) < 0)
		return -EINVAL;
	for (unsigned s = list ? json_first(&j, (unsigned)list) : 0; s; s = json_next(&j, s))
		if (parse_syscall(&ps, s) < 0)
			return -EINVAL;
	return 0;
}

unsigned seccomp_bits(const unsigned char *t, unsigned long pos, unsigned width)
{
	unsigned v = 0;

	for (unsigned i = 0; i < width; i++, pos++)
		v |= (unsigned)(t[pos >> 3] >> (pos & 7) & 1) << i;
	return v;
}

/* A length of syscall_names at *pos: 4 bits, or 15 and 5 more bits. */
static unsigned name_length(unsigned long *pos)
{
	unsigned v = seccomp_bits(syscall_names, *pos, 4);

	*pos += 4;
	if (v == 15) {
		v += seccomp_bits(syscall_names, *pos, 5);
		*pos += 5;
	}
	return v;
}

/* A character of syscall_names at *pos: its canonical Huffman code, read a
 * bit at a time as zlib's puff.c decodes one (codes of each length are
 * consecutive numbers, following the shorter ones'). */
static char name_char(unsigned long *pos)
{
	unsigned code = 0, first = 0, index = 0;

	for (unsigned i = 0; i < sizeof(syscall_huffman_counts); i++) {
		unsigned count = syscall_huffman_counts[i];

		code |= (unsigned)(syscall_names[*pos >> 3] >> (*pos & 7) & 1);
		++*pos;
		if (code - first < count)
			return SYSCALL_HUFFMAN_SYMBOLS[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return 0;	/* not reached: the generator's codes are complete */
}

/* The names, decoded once (a profile looks up hundreds), then a binary
 * search: they are sorted as strcmp sorts (the generator's C locale). */
int seccomp_name_lookup(const char *name)
{
	static char names[SYSCALL_NAMES][32];	/* the generator keeps them shorter */
	static int decoded;
	unsigned lo = 0, hi = SYSCALL_NAMES;

	for (unsigned long pos = 0; !decoded && lo < SYSCALL_NAMES; lo++) {
		unsigned k = name_length(&pos), end = k + name_length(&pos);

		if (lo)
			memcpy(names[lo], names[lo - 1], k);
		while (k < end)
			names[lo][k++] = name_char(&pos);
		names[lo][k] = 0;
	}
	decoded = 1;
	for (lo = 0; lo < hi;) {
		unsigned mid = (lo + hi) / 2;
		const unsigned char *a = (const unsigned char *)names[mid], *b = (const unsigned char *)name;

		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return (int)mid;
		if (*a < *b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
