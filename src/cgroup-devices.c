/* OCI linux.resources.devices: which device nodes the container may open
 * (read, write) or make (mknod). On cgroup v1 the devices controller's
 * files; cgroup v2 has no such controller, the kernel runs an eBPF program
 * of type BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup instead
 * (Documentation/admin-guide/cgroup-v2.rst, "Device controller"). Both get
 * the same list: deny everything, the config's rules in order, then what
 * every container needs (runc's AllowedDevices, appended likewise). Without
 * it podman's containers, which keep CAP_MKNOD, could read the host's disks. */
#include "src/nanoctr.h"
#include "src/spec.h"

/* runc's AllowedDevices: mknod of any node; null, zero, full, random,
 * urandom, tty, console, ptmx; the ptys */
static const char defaults[] = "c *:* m\0b *:* m\0c 1:3 rwm\0c 1:5 rwm\0c 1:7 rwm\0"
	"c 1:8 rwm\0c 1:9 rwm\0c 5:0 rwm\0c 5:1 rwm\0c 5:2 rwm\0c 136:* rwm\0";

/* v1: deny everything, then the rules, then the defaults. */
static int devices_write(const struct config *cfg, const char *dir)
{
	const struct spec_device_rule *r;
	int n = cfg->spec->resources.device_rule_count, ret = write_limit(dir, "devices.deny", "a", 0);
	char rule[64], *end = rule + sizeof(rule) - 1, *p;

	for (int i = 0; ret == 0 && i < n; i++) {
		r = &cfg->spec->resources.devices[i];
		p = rule;
		*p++ = r->type;
		*p++ = ' ';
		p = r->major < 0 ? cat(p, end, "*") : cat_u64(p, end, (u64)r->major);
		p = cat(p, end, ":");
		p = r->minor < 0 ? cat(p, end, "*") : cat_u64(p, end, (u64)r->minor);
		cat(cat(p, end, " "), end, r->access[0] ? r->access : "rwm");
		if (r->type == 'a')
			rule[1] = 0;	/* "a": the kernel takes no numbers with it */
		ret = write_limit(dir, r->allow ? "devices.allow" : "devices.deny", rule, 0);
	}
	for (const char *d = defaults; ret == 0 && *d; d += str_len(d) + 1)
		ret = write_limit(dir, "devices.allow", d, 0);
	return ret;
}

/* include/uapi/linux/bpf.h */
struct bpf_insn {
	u8 code;
	u8 regs;		/* dst_reg in the low 4 bits, src_reg in the high 4 */
	short off;
	int imm;
};
enum {
	BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8,
	BPF_PROG_TYPE_CGROUP_DEVICE = 15, BPF_CGROUP_DEVICE = 6, BPF_F_ALLOW_MULTI = 2,
	/* struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }:
	 * access_type is (access << 16) | type */
	DEVCG_DEV_BLOCK = 1, DEVCG_DEV_CHAR = 2,
	DEVCG_ACC_MKNOD = 1, DEVCG_ACC_READ = 2, DEVCG_ACC_WRITE = 4,
	/* opcodes */
	LDX_W = 0x61, MOV_X = 0xbf, MOV_K = 0xb7, AND_K = 0x57, RSH_K = 0x77,
	JEQ_K = 0x15, JNE_K = 0x55, JNE_X = 0x5d, EXIT = 0x95,
};

struct rule { char type; int allow; long long major, minor; unsigned access; };

/* The child exists already: say why, the caller cleans up. */
static int fail_say(const char *what, const char *why)
{
	say(what, why);
	return -1;
}

#define INSN(c, dst, src, o, i) ((struct bpf_insn){ (c), (u8)((dst) | (src) << 4), (short)(o), (int)(i) })

/* One exception entry (exceptions()): its checks, each jumping to the next
 * entry's on a mismatch, then the verdict. An allow entry matches an access
 * it covers whole, a deny entry one it touches at all (v1: a partly denied
 * open is denied). r2 type, r3 access, r4 major, r5 minor. Returns the
 * instructions written. */
static int rule_insns(struct bpf_insn *p, const struct rule *r)
{
	struct bpf_insn checks[6];
	int n = 0;

	if (r->type != 'a') {
		checks[n++] = INSN(JNE_K, 2, 0, 0, r->type == 'b' ? DEVCG_DEV_BLOCK : DEVCG_DEV_CHAR);
		if (r->major >= 0)
			checks[n++] = INSN(JNE_K, 4, 0, 0, r->major);
		if (r->minor >= 0)
			checks[n++] = INSN(JNE_K, 5, 0, 0, r->minor);
	}
	checks[n++] = INSN(MOV_X, 1, 3, 0, 0);
	checks[n++] = INSN(AND_K, 1, 0, 0, r->access);
	checks[n++] = r->allow ? INSN(JNE_X, 1, 3, 0, 0) : INSN(JEQ_K, 1, 0, 0, 0);
	for (int i = 0; i < n; i++) {
		p[i] = checks[i];
		if (p[i].code == JNE_K || p[i].code == JNE_X || p[i].code == JEQ_K)
			p[i].off = (short)(n - i - 1 + 2);	/* past the verdict */
	}
	p[n++] = INSN(MOV_K, 0, 0, 0, r->allow);
	p[n++] = INSN(EXIT, 0, 0, 0, 0);
	return n;
}

static unsigned access_bits(const char *s)
{
	unsigned bits = 0;

	for (; *s; s++)
		bits |= *s == 'r' ? DEVCG_ACC_READ : *s == 'w' ? DEVCG_ACC_WRITE : DEVCG_ACC_MKNOD;
	return bits ? bits : DEVCG_ACC_READ | DEVCG_ACC_WRITE | DEVCG_ACC_MKNOD;
}

/* "c 1:3 rwm" (a default) as a rule */
static void default_rule(const char *d, struct rule *r)
{
	const char *end;
	u64 v;

	r->type = d[0];
	r->allow = 1;
	d += 2;
	r->major = parse_u64(d, &end, &v) == 0 ? (long long)v : -1;
	d = str_chr(d, ':') + 1;
	r->minor = parse_u64(d, &end, &v) == 0 ? (long long)v : -1;
	r->access = access_bits(str_chr(d, ' ') + 1);
}

/* Does entry e, with a wildcard where r has a number, cover r in part? */
static int covers(const struct rule *e, const struct rule *r)
{
	return e->type == r->type && (e->access & r->access) &&
	       (e->major == r->major || e->major < 0) && (e->minor == r->minor || e->minor < 0) &&
	       (e->major != r->major || e->minor != r->minor);
}

/* v1's exception list, as the kernel builds it from devices_write()'s
 * writes (security/device_cgroup.c, devcgroup_update_access): "a" sets the
 * default (deny first) and empties the list; a rule of the other kind than
 * the default adds its access to the entry of the same type, major and
 * minor, or a new one ("c 1:11 r" then "c 1:11 w" is one "rw" entry, which
 * an O_RDWR open needs); a rule of the default's kind takes its access away
 * from that exact entry only. So v1 silently ignores "c 1:11 w" denied after
 * "c 1:* rwm" allowed: such a rule of the config's (the first user ones)
 * is refused instead, as runc's emulator does ("cannot punch hole in
 * existing wildcard rule"). Returns the entries, *allow the default; or -1
 * having said why. */
static int exceptions(const struct rule *rules, int n, int user, struct rule *list, int *allow)
{
	int count = 0, k;

	*allow = 0;
	for (int i = 0; i < n; i++) {
		const struct rule *r = &rules[i];
		if (r->type == 'a') {
			*allow = r->allow;
			count = 0;
			continue;
		}
		for (k = 0; k < count && !(list[k].type == r->type && list[k].major == r->major &&
					    list[k].minor == r->minor); k++)
			;
		if (r->allow != *allow) {
			if (k == count)
				list[count++] = (struct rule){ r->type, r->allow, r->major, r->minor, 0 };
			list[k].access |= r->access;
			continue;
		}
		for (int w = 0; i < user && w < count; w++)
			if (covers(&list[w], r))
				return fail_say("linux.resources.devices", r->allow ?
						"an allow rule inside a denied wildcard rule: the kernel's device "
						"cgroup would ignore it (runc refuses it too)" :
						"a deny rule inside an allowed wildcard rule: the kernel's device "
						"cgroup would ignore it (runc refuses it too)");
		if (k < count)
			list[k].access &= ~r->access;	/* none left: matches nothing */
	}
	return count;
}

/* v2: the program of the exception list (exceptions()), loaded and
 * attached to dir (BPF_F_ALLOW_MULTI, as runc: a parent's program,
 * systemd's, still applies too). Default deny: an entry allows an access
 * it covers whole (match_exception); default allow: an entry denies an
 * access it touches at all (match_exception_partial). */
static int devices_program(const struct rule *list, int ne, int allow, const char *dir)
{
	int count = 0, prog, fd, ret;
	unsigned long size = (unsigned long)(ne + 2) * 8 * sizeof(struct bpf_insn);
	struct bpf_insn *insns;
	long map = sys_mmap_anon(size);

	if ((unsigned long)map > -4096UL)
		return fail_say("linux.resources.devices", errno_text((int)map));
	insns = (struct bpf_insn *)map;
	insns[count++] = INSN(LDX_W, 2, 1, 0, 0);	/* r2 = access_type */
	insns[count++] = INSN(MOV_X, 3, 2, 0, 0);
	insns[count++] = INSN(RSH_K, 3, 0, 0, 16);	/* r3 = access */
	insns[count++] = INSN(AND_K, 2, 0, 0, 0xffff);	/* r2 = type */
	insns[count++] = INSN(LDX_W, 4, 1, 4, 0);	/* r4 = major */
	insns[count++] = INSN(LDX_W, 5, 1, 8, 0);	/* r5 = minor */
	for (int i = 0; i < ne; i++)
		count += rule_insns(insns + count, &list[i]);
	insns[count++] = INSN(MOV_K, 0, 0, 0, allow);	/* no entry matched: the default */
	insns[count++] = INSN(EXIT, 0, 0, 0, 0);

	struct {
		u32 prog_type, insn_cnt;
		u64 insns, license;
		u32 log_level, log_size;
		u64 log_buf;
		u32 kern_version, prog_flags;
		char name[16];
		u32 ifindex, expected_attach_type;
	} load = { BPF_PROG_TYPE_CGROUP_DEVICE, (u32)count, (unsigned long)insns,
		   (unsigned long)"Apache", 0, 0, 0, 0, 0, "nanoctr_devices", 0, BPF_CGROUP_DEVICE };
	prog = sys_bpf(BPF_PROG_LOAD, &load, sizeof(load));
	sys_munmap(insns, size);
	if (prog < 0)
		return fail_say("linux.resources.devices: the eBPF device program", errno_text(prog));
	fd = sys_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	struct { u32 target_fd, attach_bpf_fd, attach_type, attach_flags; } attach = {
		(u32)fd, (u32)prog, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI };
	ret = fd < 0 ? fd : sys_bpf(BPF_PROG_ATTACH, &attach, sizeof(attach));
	if (fd >= 0)
		sys_close(fd);
	sys_close(prog);
	return ret < 0 ? fail_say(dir, errno_text(ret)) : 0;
}

/* The config's rules, then the defaults (the same writes as v1's), as v1's
 * exception list: on v2 its program, on v1 the writes (once the list is
 * known to mean what the rules say). 0, or -1 having said why. */
int devices_apply(const struct config *cfg, const char *dir, int v2)
{
	const struct spec_resources *res = &cfg->spec->resources;
	int n = res->device_rule_count, nd = 0, nr = 0, ne, allow;
	unsigned long size;
	struct rule *rules;
	long map;

	for (const char *d = defaults; *d; d += str_len(d) + 1)
		nd++;
	size = (unsigned long)(n + nd) * 2 * sizeof(struct rule);
	map = sys_mmap_anon(size);
	if ((unsigned long)map > -4096UL)
		return fail_say("linux.resources.devices", errno_text((int)map));
	rules = (struct rule *)map;
	for (int i = 0; i < n; i++) {
		const struct spec_device_rule *s = &res->devices[i];
		rules[nr++] = (struct rule){ s->type, s->allow, s->major, s->minor, access_bits(s->access) };
	}
	for (const char *d = defaults; *d; d += str_len(d) + 1)
		default_rule(d, &rules[nr++]);
	ne = exceptions(rules, nr, n, rules + nr, &allow);
	if (ne >= 0)
		ne = v2 ? devices_program(rules + nr, ne, allow, dir) : devices_write(cfg, dir);
	sys_munmap(rules, size);
	return ne < 0 ? -1 : 0;
}
