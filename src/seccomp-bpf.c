/* struct seccomp_profile -> classic BPF, the program seccomp(2) loads.
 *
 *   ld arch; per listed architecture: jeq AUDIT_ARCH -> its block; else
 *   ret bad_arch_action (libseccomp's bad-architecture action).
 *   A block: ld nr, then a binary search over ranges of system call numbers
 *   (consecutive numbers with the same outcome are one range; numbers no rule
 *   names are the default action), each leaf a ret or a jump to the call's
 *   argument checks. A typical call costs ~2 log2(ranges) + 4 instructions.
 *   Every conditional jump in the program skips at most 3 instructions; the
 *   long distances are BPF_JA, whose offset has 32 bits, so a program of any
 *   size the kernel takes (4096 instructions) needs no 8-bit offset > 255.
 *
 * Semantics are libseccomp's (2.5, which runc links):
 *   - x86_64 and x32 share AUDIT_ARCH_X86_64; x32 numbers carry 0x40000000.
 *     X86_64 listed without X32: an x32 number gets profile.x32_action (the
 *     bad-architecture action for JSON profiles, as libseccomp); X32 without
 *     X86_64: a non-x32 number gets the bad-architecture action.
 *   - rules of one call: if any rule has no conditions, the first such rule
 *     decides alone (libseccomp drops later rules for a call that already has
 *     a condition-less one, and a condition-less rule replaces the conditional
 *     ones). Else the conditional rules, in profile order, first match wins
 *     (libseccomp orders its tree by argument instead: the two agree unless
 *     two rules with different actions both match one call).
 *   - a condition on a 64-bit ABI is a 64-bit comparison made of two 32-bit
 *     ones, as libseccomp's: EQ and MASKED_EQ need both halves; NE holds when
 *     either differs; GT/GE/LT/LE are decided by the high half unless it is
 *     equal, then by the low half (tests/seccomp.bats compares every operator
 *     around the halves' boundary with runc + libseccomp 2.5.4).
 *     On a 32-bit ABI (x86, x32, arm) only the low 32 bits are compared. */
#include "src/seccomp.h"
#ifdef SYSCALL_X32_BIT
#include "syscalls/syscall-names-x86_64.h"
#else
#include "syscalls/syscall-names-aarch64.h"
#endif

#define BPF_ALU_AND_K	0x54
#define BPF_JGT_K	0x25
#define BPF_JA		0x05
#define X32_BIT		0x40000000U
#define NONE		0xffffU

#define AUDIT_ARCH_X86_64	0xc000003eU
#define AUDIT_ARCH_I386		0x40000003U
#define AUDIT_ARCH_AARCH64	0xc00000b7U
#define AUDIT_ARCH_ARM		0x40000028U	/* EM_ARM, little-endian (include/uapi/linux/audit.h) */
#define ARM_NR_BASE		0x0f0000U	/* the ARM private calls (arch/arm/include/uapi/asm/unistd.h) */

struct call {
	u32 nr;
	u16 rule;	/* index in profile.rules */
	u8 arch;	/* enum seccomp_arch: which ABI's argument size */
};

/* A range [start, next range's start) of numbers and what they get. */
struct range {
	u32 start;
	u32 ret;	/* the return value, when body == NONE */
	u16 body;	/* else: index of its first call in calls[] */
};

struct compiler {
	const struct seccomp_profile *p;
	u64 caps;
	struct sock_filter *out;
	unsigned n;			/* instructions emitted */
	int overflow;
	/* jumps to labels, resolved at the end */
	unsigned label_at[BPF_MAXINSNS];
	u16 fixup_insn[BPF_MAXINSNS], fixup_label[BPF_MAXINSNS];
	unsigned labels, fixups;
	struct call calls[SECCOMP_MAX_RULES * 2];
	unsigned ncalls;
	struct range ranges[SECCOMP_MAX_RULES * 2 + 8];
	unsigned nranges;
};

static void emit(struct compiler *c, u16 code, u8 jt, u8 jf, u32 k)
{
	if (c->n == BPF_MAXINSNS) {
		c->overflow = 1;
		return;
	}
	c->out[c->n++] = (struct sock_filter){ code, jt, jf, k };
}

static unsigned new_label(struct compiler *c)
{
	if (c->labels == BPF_MAXINSNS) {
		c->overflow = 1;
		return 0;
	}
	c->label_at[c->labels] = ~0U;
	return c->labels++;
}

static void place(struct compiler *c, unsigned label)
{
	c->label_at[label] = c->n;
}

static void jump(struct compiler *c, unsigned label)
{
	if (c->fixups == BPF_MAXINSNS || c->n == BPF_MAXINSNS) {
		c->overflow = 1;
		return;
	}
	c->fixup_insn[c->fixups] = (u16)c->n;
	c->fixup_label[c->fixups++] = (u16)label;
	emit(c, BPF_JA, 0, 0, 0);
}

static int applies(const struct compiler *c, const struct seccomp_rule *r)
{
	return (c->caps & r->caps_all) == r->caps_all && !(c->caps & r->caps_none);
}

/* The number of rule r's call on arch, or -1 when arch has no such call. */
static long number(int arch, unsigned name)
{
	unsigned long pos = (unsigned long)name * SYSCALL_NUMBER_BITS;
	unsigned n, x32 = 0;

#ifdef SYSCALL_X32_BIT
	if (arch > SC_X32)
		return -1;
	if (arch == SC_X32) {	/* 6 bits: 512 + n, 62 x86_64's number, 63 none */
		n = seccomp_bits(syscall_numbers, pos + 18, 6);
		if (n == 63)
			return -1;
		if (n != 62)
			return (long)(X32_BIT | (512 + n));
		x32 = X32_BIT;
		arch = SC_X86_64;
	}
	n = seccomp_bits(syscall_numbers, pos + 9 * (unsigned)arch, 9);
#else	/* 9 bits arm64, 9 bits arm: 496 + k is ARM_NR_BASE + k */
	if (arch != SC_AARCH64 && arch != SC_ARM)
		return -1;
	n = seccomp_bits(syscall_numbers, pos + (arch == SC_ARM ? 9 : 0), 9);
	if (n >= 496 && n < 511)
		return (long)(ARM_NR_BASE + n - 496);
#endif
	if (n == 511)
		return -1;
	return (long)(n | x32);
}

static void add_calls(struct compiler *c, int arch)
{
	for (unsigned i = 0; i < c->p->rule_count; i++) {
		long nr = number(arch, c->p->rules[i].name);

		if (nr >= 0 && applies(c, &c->p->rules[i]) && c->ncalls < ARRAY_SIZE(c->calls))
			c->calls[c->ncalls++] = (struct call){ (u32)nr, (u16)i, (u8)arch };
	}
}

/* Sort by number, then rule (profile order): a shell sort, no recursion. */
static void sort_calls(struct call *a, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2)
		for (unsigned i = gap; i < n; i++) {
			struct call t = a[i];
			unsigned k = i;

			while (k >= gap && (a[k - gap].nr > t.nr ||
					    (a[k - gap].nr == t.nr && a[k - gap].rule > t.rule))) {
				a[k] = a[k - gap];
				k -= gap;
			}
			a[k] = t;
		}
}

static void add_range(struct compiler *c, u32 start, u32 ret, u16 body)
{
	struct range *last = c->nranges ? &c->ranges[c->nranges - 1] : 0;

	if (last && last->start == start) {	/* an empty range before: replace it */
		*last = (struct range){ start, ret, body };
		return;
	}
	if (last && body == NONE && last->body == NONE && last->ret == ret)
		return;	/* same outcome as the range before: one range */
	if (c->nranges < ARRAY_SIZE(c->ranges))
		c->ranges[c->nranges++] = (struct range){ start, ret, body };
	else
		c->overflow = 1;
}

/* Ranges of [lo, hi] from the sorted calls [from, to), the rest gap. */
static void ranges_of(struct compiler *c, u32 lo, u32 hi, unsigned from, unsigned to, u32 gap)
{
	u32 cur = lo;

	for (unsigned i = from; i < to;) {
		u32 nr = c->calls[i].nr;
		unsigned k, first_plain = NONE;

		if (nr > cur)
			add_range(c, cur, gap, NONE);
		unsigned real = 0;

		for (k = i; k < to && c->calls[k].nr == nr; k++) {
			unsigned count = c->p->rules[c->calls[k].rule].cond_count;

			real += count != SECCOMP_PLACEHOLDER;
			if (first_plain == NONE && !count)
				first_plain = k;
		}
		if (first_plain != NONE)
			add_range(c, nr, c->p->rules[c->calls[first_plain].rule].action, NONE);
		else if (!real)
			add_range(c, nr, gap, NONE);
		else
			add_range(c, nr, 0, (u16)i);
		i = k;
		cur = nr + 1;
		if (nr == hi)
			return;
	}
	/* above the last number a rule names: runc's ENOSYS stub */
	add_range(c, cur, c->p->enosys_above_last && to > from ? SECCOMP_RET_ERRNO | ENOSYS : gap, NONE);
}

/* The search over ranges [a, b). */
static void emit_tree(struct compiler *c, unsigned a, unsigned b, const unsigned *body_label)
{
	while (b - a > 1) {
		unsigned mid = a + (b - a) / 2, right = new_label(c);

		emit(c, BPF_JGE_K, 0, 1, c->ranges[mid].start);
		jump(c, right);
		emit_tree(c, a, mid, body_label);
		place(c, right);
		a = mid;
	}
	if (c->ranges[a].body == NONE)
		emit(c, BPF_RET_K, 0, 0, c->ranges[a].ret);
	else
		jump(c, body_label[a]);
}

/* One half-word check "op(word & mask, k)" that goes on when it holds
 * (jumps to fail when not); inverted: goes on when it does NOT hold. */
static void check(struct compiler *c, u32 offset, u16 jop, u32 mask, u32 k, unsigned fail)
{
	emit(c, BPF_LD_W_ABS, 0, 0, offset);
	if (mask != ~0U)
		emit(c, BPF_ALU_AND_K, 0, 0, mask);
	emit(c, jop, 1, 0, k);
	jump(c, fail);
}

static void emit_cond(struct compiler *c, const struct seccomp_cond *cd, int wide, unsigned fail)
{
	u32 lo = SECCOMP_DATA_ARG(cd->index), hi = lo + 4;	/* little endian */
	u32 vlo = (u32)cd->value, vhi = (u32)(cd->value >> 32);
	u16 lop = cd->op == SC_GT || cd->op == SC_LE ? BPF_JGT_K : BPF_JGE_K;

	switch (cd->op) {
	case SC_EQ:
		if (wide)
			check(c, hi, BPF_JEQ_K, ~0U, vhi, fail);
		check(c, lo, BPF_JEQ_K, ~0U, vlo, fail);
		return;
	case SC_MASKED_EQ:
		if (wide && vhi)	/* a zero high mask always holds */
			check(c, hi, BPF_JEQ_K, vhi, (u32)(cd->value_two >> 32) & vhi, fail);
		check(c, lo, BPF_JEQ_K, vlo, (u32)cd->value_two & vlo, fail);
		return;
	case SC_NE:	/* holds if either half differs */
		if (wide) {
			emit(c, BPF_LD_W_ABS, 0, 0, hi);
			emit(c, BPF_JEQ_K, 0, 3, vhi);
		}
		emit(c, BPF_LD_W_ABS, 0, 0, lo);
		emit(c, BPF_JEQ_K, 0, 1, vlo);
		jump(c, fail);
		return;
	default: {
		/* GE, GT: hi above: holds; LT, LE: hi below: holds; hi equal:
		 * the low half decides (GE, LT: >= on it; GT, LE: >) */
		int up = cd->op == SC_GE || cd->op == SC_GT;

		if (wide) {
			emit(c, BPF_LD_W_ABS, 0, 0, hi);
			emit(c, BPF_JGT_K, up ? 4 : 3, 0, vhi);
			emit(c, BPF_JEQ_K, 0, up ? 2 : 3, vhi);
		}
		emit(c, BPF_LD_W_ABS, 0, 0, lo);
		emit(c, lop, up, !up, vlo);
		jump(c, fail);
		return;
	}
	}
}

/* The argument checks of the calls [i, end of its number). */
static void emit_body(struct compiler *c, unsigned i)
{
	u32 nr = c->calls[i].nr;
	int wide = c->calls[i].arch == SC_X86_64 || c->calls[i].arch == SC_AARCH64;

	for (; i < c->ncalls && c->calls[i].nr == nr; i++) {
		const struct seccomp_rule *r = &c->p->rules[c->calls[i].rule];
		unsigned next;

		if (r->cond_count == SECCOMP_PLACEHOLDER)
			continue;
		next = new_label(c);
		for (unsigned k = 0; k < r->cond_count; k++)
			emit_cond(c, &c->p->conds[r->cond + k], wide, next);
		emit(c, BPF_RET_K, 0, 0, r->action);
		place(c, next);
	}
	emit(c, BPF_RET_K, 0, 0, c->p->default_action);
}

/* One AUDIT_ARCH block: the calls of arch (and of x32 inside x86_64's). */
static void emit_block(struct compiler *c, int arch, int x32)
{
	const struct seccomp_profile *p = c->p;
	static unsigned body_label[ARRAY_SIZE(((struct compiler *)0)->ranges)];

	c->ncalls = c->nranges = 0;
	if (arch >= 0)
		add_calls(c, arch);
#ifdef SYSCALL_X32_BIT
	unsigned split;

	if (x32)
		add_calls(c, SC_X32);
	sort_calls(c->calls, c->ncalls);
	for (split = 0; split < c->ncalls && c->calls[split].nr < X32_BIT; split++)
		;
	if (arch == SC_X86_64 || (arch < 0 && x32)) {
		/* AUDIT_ARCH_X86_64: native numbers below the x32 bit, x32 above */
		if (arch >= 0)
			ranges_of(c, 0, X32_BIT - 1, 0, split, p->default_action);
		else
			add_range(c, 0, p->bad_arch_action, NONE);
		if (x32)
			ranges_of(c, X32_BIT, ~0U, split, c->ncalls, p->default_action);
		else
			add_range(c, X32_BIT, p->x32_action, NONE);
	} else {
		ranges_of(c, 0, ~0U, 0, c->ncalls, p->default_action);
	}
#else	/* arm64: one ABI */
	(void)x32;
	sort_calls(c->calls, c->ncalls);
	ranges_of(c, 0, ~0U, 0, c->ncalls, p->default_action);
#endif
	for (unsigned r = 0; r < c->nranges; r++)
		body_label[r] = c->ranges[r].body == NONE ? 0 : new_label(c);
	emit(c, BPF_LD_W_ABS, 0, 0, SECCOMP_DATA_NR);
	emit_tree(c, 0, c->nranges, body_label);
	for (unsigned r = 0; r < c->nranges; r++)
		if (c->ranges[r].body != NONE) {
			place(c, body_label[r]);
			emit_body(c, c->ranges[r].body);
		}
}

int seccomp_compile(const struct seccomp_profile *p, u64 caps, struct sock_filter *out)
{
	static struct compiler c;
	struct {
		u32 audit;
		int arch, x32;
	} blocks[2];
	unsigned nblocks = 0, block_label[2];

	memset(&c, 0, sizeof(c) - sizeof(c.calls) - sizeof(c.ranges));
	c.p = p;
	c.caps = caps;
	c.out = out;
#ifdef SYSCALL_X32_BIT
	if (p->arches & (1u << SC_X86_64 | 1u << SC_X32))
		blocks[nblocks++] = (typeof(blocks[0])){ AUDIT_ARCH_X86_64,
			p->arches & 1u << SC_X86_64 ? SC_X86_64 : -1, !!(p->arches & 1u << SC_X32) };
	if (p->arches & 1u << SC_X86)
		blocks[nblocks++] = (typeof(blocks[0])){ AUDIT_ARCH_I386, SC_X86, 0 };
#else
	if (p->arches & 1u << SC_AARCH64)
		blocks[nblocks++] = (typeof(blocks[0])){ AUDIT_ARCH_AARCH64, SC_AARCH64, 0 };
	if (p->arches & 1u << SC_ARM)
		blocks[nblocks++] = (typeof(blocks[0])){ AUDIT_ARCH_ARM, SC_ARM, 0 };
#endif
	emit(&c, BPF_LD_W_ABS, 0, 0, SECCOMP_DATA_ARCH);
	for (unsigned b = 0; b < nblocks; b++) {
		block_label[b] = new_label(&c);
		emit(&c, BPF_JEQ_K, 0, 1, blocks[b].audit);
		jump(&c, block_label[b]);
	}
	emit(&c, BPF_RET_K, 0, 0, p->bad_arch_action);
	for (unsigned b = 0; b < nblocks; b++) {
		place(&c, block_label[b]);
		emit_block(&c, blocks[b].arch, blocks[b].x32);
	}
	if (c.overflow)
		return -E2BIG;
	for (unsigned f = 0; f < c.fixups; f++)
		out[c.fixup_insn[f]].k = c.label_at[c.fixup_label[f]] - c.fixup_insn[f] - 1;
	return (int)c.n;
}
