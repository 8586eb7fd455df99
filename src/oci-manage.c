/* The OCI commands on an existing container, runc's spelling: state, kill
 * [--all], list [--format json] [--quiet], ps [--format json], pause,
 * resume, update --resources. The lifecycle (create, start, delete, run)
 * and the dispatcher are oci-run.c's; exec is oci-exec.c's. Every error:
 * one line on stderr (and --log), exit 1. */
#include "src/nanoctr.h"
#include "src/spec.h"
#include "src/oci-run.h"

static struct spec spec;	/* the container's, as create kept it */
static struct config cfg;
static struct cgroup cgroup;

/* Each pid in the container's cgroup (its first hierarchy holds them all)
 * to fn, as cgroup.procs is read in pieces: no limit on their number.
 * Returns how many, or -errno. */
static int cgroup_each_pid(const struct cgroup *cg, void (*fn)(int pid, void *arg), void *arg)
{
	char path[PATH_LIMIT], buf[4096];
	long len = 0, got = 1;
	int fd, n = 0;

	if (!cg->count)
		return 0;
	fd = sys_open(concat(path, sizeof(path), cg->dirs[0], "/cgroup.procs", ""), O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	while (got > 0) {
		long start = 0;
		got = sys_read(fd, buf + len, sizeof(buf) - len);
		len += got > 0 ? got : 0;
		for (long i = 0; i < len; i++)
			if (buf[i] == '\n' || (got <= 0 && i == len - 1)) {
				u64 pid = 0;
				for (long k = start; k < i + (buf[i] != '\n'); k++)
					pid = pid * 10 + (u64)(buf[k] - '0');
				if (i > start || buf[i] != '\n')
					fn((int)pid, arg), n++;
				start = i + 1;
			}
		memmove(buf, buf + start, (size_t)(len - start));
		len -= start;
	}
	sys_close(fd);
	return got < 0 ? (int)got : n;
}

int oci_cmd_state(struct opts *o)
{
	static struct container c;
	char *out;
	int n;

	container_open(&c, need_id(o), 1);
	n = state_text(&c.st, &out);
	if (n < 0)
		fail_errno("state", n);
	sys_write(1, out, n);
	return 0;
}

/* SIGNAL as a number or a name, with or without SIG. */
static int signal_parse(const char *s)
{
	static const char names[] = "HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0USR1\0SEGV\0"
		"USR2\0PIPE\0ALRM\0TERM\0STKFLT\0CHLD\0CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0"
		"XFSZ\0VTALRM\0PROF\0WINCH\0IO\0PWR\0SYS\0";
	const char *end, *p = names;
	u64 n;

	if (parse_u64(s, &end, &n) == 0 && !*end && n <= 64)	/* 0: is it there (kill(2)) */
		return (int)n;
	if (str_prefix(s, "SIG"))
		s += 3;
	for (int sig = 1; *p; sig++, p += str_len(p) + 1)
		if (str_eq(p, s))
			return sig;
	fail(s, "unknown signal");
}

static void kill_one(int pid, void *sig)
{
	sys_kill(pid, *(int *)sig);
}

int oci_cmd_kill(struct opts *o, char **envp)
{
	static struct container c;
	int sig = o->nargs > 1 ? signal_parse(o->args[1]) : SIGTERM, ret;

	container_open(&c, need_id(o), 1);
	if (str_eq(c.status, "stopped"))
		fail(c.id, "container not running");
	if (o->all) {
		container_config(&c, &spec, &cfg, envp, &cgroup);
		cgroup_each_pid(&cgroup, kill_one, &sig);
		return 0;
	}
	ret = sys_kill(c.st.pid, sig);
	if (ret < 0)
		fail_errno(c.id, ret);
	return 0;
}

static int each_list(const char *id, void *arg)
{
	static struct container c;
	struct jw *w = arg;
	char line[PATH_LIMIT];
	char pid[24];

	/* one at a time: each directory closed (list opens them all; left
	 * open, ulimit -n of them silently dropped the rest from the list) */
	if (c.dir > 0)
		sys_close(c.dir);
	if (container_open(&c, id, 0) < 0)
		return 0;
	if (w == (void *)1) {	/* list -q: the ids alone */
		concat(line, sizeof(line), id, "\n", "");
		put(1, line);
		return 0;
	}
	if (w) {
		jw_open(w, '{');
		jw_key(w, "id"); jw_str(w, id);
		jw_key(w, "pid"); jw_u64(w, (u64)c.st.pid);
		jw_key(w, "status"); jw_str(w, c.status);
		jw_key(w, "bundle"); jw_str(w, c.st.bundle);
		jw_key(w, "rootfs"); jw_str(w, c.st.rootfs);
		jw_key(w, "created"); jw_str(w, c.st.created);
		jw_key(w, "owner"); jw_str(w, c.st.owner);
		jw_close(w, '}');
		return 0;
	}
	/* each field whole, however long (a line buffer cut long bundle paths) */
	cat_u64(pid, pid + sizeof(pid) - 1, (u64)c.st.pid);
	const char *fields[] = { id, "\t", pid, "\t", c.status, "\t", c.st.bundle, "\t",
				 c.st.created, "\n" };
	for (unsigned i = 0; i < ARRAY_SIZE(fields); i++)
		put(1, fields[i]);
	return 0;
}

int oci_cmd_list(struct opts *o)
{
	static char out[1 << 20];
	struct jw w;
	int n;

	if (o->quiet)
		return state_list(root_fd, each_list, (void *)1) < 0;
	if (!o->json) {
		put(1, "ID\tPID\tSTATUS\tBUNDLE\tCREATED\n");
		return state_list(root_fd, each_list, NULL) < 0;
	}
	jw_init(&w, out, sizeof(out));
	jw_open(&w, '[');
	state_list(root_fd, each_list, &w);
	jw_close(&w, ']');
	n = jw_finish(&w, out);
	if (n < 0)
		fail_errno("list", n);
	sys_write(1, out, n);
	return 0;
}

struct ps_out { struct jw w; int json; };

static void ps_one(int pid, void *arg)
{
	struct ps_out *o = arg;
	char line[24];

	if (o->json) {
		jw_u64(&o->w, (u64)pid);
		return;
	}
	cat(cat_u64(line, line + sizeof(line) - 2, (u64)pid), line + sizeof(line) - 1, "\n");
	jw_raw(&o->w, line);
}

int oci_cmd_ps(struct opts *o, char **envp)
{
	static struct container c;
	static char out[1 << 20];	/* ~100,000 pids; more: an error, never cut */
	struct ps_out ps = { .json = o->json };
	int n;

	container_open(&c, need_id(o), 1);
	container_config(&c, &spec, &cfg, envp, &cgroup);
	jw_init(&ps.w, out, sizeof(out));
	if (o->json)
		jw_open(&ps.w, '[');
	else
		jw_raw(&ps.w, "PID\n");
	n = cgroup_each_pid(&cgroup, ps_one, &ps);
	if (n < 0)
		fail_errno("cgroup.procs", n);
	if (o->json)
		jw_close(&ps.w, ']');
	n = jw_finish(&ps.w, out);
	if (n < 0)
		fail_errno("ps", n);
	sys_write(1, out, o->json ? n : n - 1);
	return 0;
}

/* pause / resume: the v1 freezer, or cgroup.freeze of a v2 cgroup; waits
 * until the kernel says FROZEN. A "paused" mark in the state directory
 * gives `state` the status. */
int oci_cmd_freeze(struct opts *o, char **envp, int freeze)
{
	static struct container c;
	char path[PATH_LIMIT], now[16];
	int i, v1, ret = -ENOENT;

	container_open(&c, need_id(o), 1);
	if (!str_eq(c.status, freeze ? "running" : "paused"))
		fail(c.id, freeze ? "container not running" : "container not paused");
	container_config(&c, &spec, &cfg, envp, &cgroup);
	i = cgroup.dir_of[CG_FREEZER];
	v1 = i >= 0;
	for (int k = 0; !v1 && k < CG_CONTROLLERS; k++)
		if (cgroup.dir_of[k] >= 0 && cgroup.v2[k] > 0)
			i = cgroup.dir_of[k];
	if (i >= 0) {
		concat(path, sizeof(path), cgroup.dirs[i], v1 ? "/freezer.state" : "/cgroup.freeze", "");
		ret = write_file(path, v1 ? (freeze ? "FROZEN" : "THAWED") : (freeze ? "1" : "0"));
		for (int n = 0; ret == 0 && v1 && freeze && n < 5000; n++) {
			if (read_file(path, now, sizeof(now)) > 0 && str_prefix(now, "FROZEN"))
				break;
			sys_sleep_ms(1);
		}
	}
	if (ret < 0)
		fail(c.id, i < 0 ? "no freezer cgroup for this container" : errno_text(ret));
	if (freeze)
		sys_close(sys_openat(c.dir, "paused", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	else
		sys_unlinkat(c.dir, "paused", 0);
	return 0;
}

/* runc update's limit options, each kept as "section key value\n" in
 * flags (from flags, its end now at f, up to end; opt without its first
 * '-', shown as given): memory values as runc's RAMInBytes takes them
 * (a number, an optional space, k/m/g/t/p, i, b, any case; no fraction:
 * runc's "1.5g" is refused), -1 for none. Returns the new
 * end; exit 1 on an unknown option or a bad value. */
static char *update_flag(char *flags, char *f, char *end, const char *opt, const char *shown, const char *value)
{
	static const char names[] =
		"-memory\0memory limit\0-memory-reservation\0memory reservation\0"
		"-memory-swap\0memory swap\0-cpu-period\0cpu period\0-cpu-quota\0cpu quota\0"
		"-cpu-share\0cpu shares\0-pids-limit\0pids limit\0";
	const char *p = names, *rest;
	u64 n = 0;
	int memory = 0, negative = value[0] == '-';

	for (; *p && !str_eq(p, opt); p += str_len(p) + 1, p += str_len(p) + 1)
		;
	if (!*p)
		fail(shown, "unknown option (update takes --resources FILE|-, "
		     "--memory, --memory-reservation, --memory-swap, --cpu-period, --cpu-quota, "
		     "--cpu-share, --pids-limit)");
	p += str_len(p) + 1;
	memory = str_prefix(p, "memory") != NULL;
	if (memory && !negative) {	/* runc: go-units' RAMInBytes, as `run -m` (lib.c) */
		int ret = size_parse(value, 0x7fffffffffffffffULL, &n);
		if (ret < 0)	/* 17179869185g: was shifted out, set 1 GiB */
			fail(value, ret == -ERANGE ? "number out of range" :
			     "not a size (a number with k, m, g, t or p)");
	} else if (parse_u64(value + negative, &rest, &n) < 0 || *rest || (negative && n != 1) ||
		   (negative && !memory && !str_prefix(p, "cpu quota") && !str_prefix(p, "pids"))) {
		fail(value, "not a number");
	}
	/* a repeated option: the last wins (as runc's flags), its old line
	 * dropped, so that flags holds one line per option (40 repeats
	 * overflowed it, and the cut line crashed update_json) */
	for (char *l = flags; l < f; l = str_chr(l, '\n') + 1)
		if (str_prefix(l, p) && l[str_len(p)] == ' ') {
			char *next = str_chr(l, '\n') + 1;
			memmove(l, next, (size_t)(f - next) + 1);
			f -= next - l;
			break;
		}
	f = cat(cat(f, end, p), end, " ");
	if (negative)
		f = cat(f, end, "-");
	return cat(cat_u64(f, end, n), end, "\n");
}

/* The options' lines as linux.resources JSON at p (up to end). */
static char *update_json(char *p, char *end, const char *flags)
{
	static const char sections[][7] = { "memory", "cpu", "pids" };

	p = cat(p, end, "{");
	for (unsigned s = 0; s < ARRAY_SIZE(sections); s++) {
		int first = 1;
		for (const char *l = flags; *l; l = str_chr(l, '\n') + 1) {
			const char *key = str_chr(l, ' ') + 1, *val = str_chr(key, ' ') + 1;
			if (!str_prefix(l, sections[s]) || l[str_len(sections[s])] != ' ')
				continue;
			if (first)
				p = cat(cat(cat(p, end, p[-1] == '{' ? "\"" : ",\""), end, sections[s]), end, "\":{");
			p = cat(cat(cat(p, end, first ? "\"" : ",\""), end, ""), end, "");
			for (const char *k = key; *k != ' '; k++)
				if (p < end)
					*p++ = *k;
			p = cat(p, end, "\":");
			for (const char *v = val; *v != '\n'; v++)
				if (p < end)
					*p++ = *v;
			*p = 0;
			first = 0;
		}
		if (!first)
			p = cat(p, end, "}");
	}
	return cat(p, end, "}");
}

/* update --resources FILE|- ID: memory limit, pids limit, cpu quota/period,
 * read as config.json's linux.resources (the same loader), written into
 * the container's cgroups. Other resources in the file are ignored. */
int oci_cmd_update(int argc, char **argv, char **envp)
{
	static struct container c;
	static struct spec us;
	static char text[1 << 16], err[PATH_LIMIT];
	const char *file = NULL, *id = NULL;
	int fd, len;
	long n;

	static char flags[512];
	char *f = flags, *f_end = flags + sizeof(flags) - 1;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i] + (argv[i][0] == '-' && argv[i][1] == '-');
		if (argv[i][0] != '-') {
			id = argv[i];
			continue;
		}
		if (i + 1 == argc)
			fail(argv[i], "needs a value");
		if (str_eq(a, "-resources") || str_eq(a, "-r"))
			file = argv[++i];
		else
			f = update_flag(flags, f, f_end, a, argv[i], argv[i + 1]), i++;
	}
	if ((!file && f == flags) || !id)
		fail("update", "usage: update --resources FILE|- ID, or runc's --memory, "
		     "--memory-reservation, --memory-swap, --cpu-period, --cpu-quota, --cpu-share, --pids-limit");
	if (file && f != flags)
		fail("update", "--resources and the limit options: one or the other");
	container_open(&c, id, 1);
	if (str_eq(c.status, "stopped"))
		fail(c.id, "container not running");
	len = (int)(cat(text, text + 128, "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/\"},"
			"\"process\":{\"args\":[\"x\"],\"cwd\":\"/\"},\"linux\":{\"resources\":") - text);
	if (!file) {	/* the options, as a resources object */
		len = (int)(update_json(text + len, text + sizeof(text) - 3, flags) - text);
		n = 0;
	} else {
		fd = str_eq(file, "-") ? 0 : sys_open(file, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0)
			fail_errno(file, fd);
		while ((n = sys_read(fd, text + len, sizeof(text) - 3 - len)) > 0)
			len += (int)n;
		if (len == (int)sizeof(text) - 3)
			fail(file, "over 64 KiB (not supported)");
	}
	text[len++] = '}';
	text[len++] = '}';
	text[len] = 0;
	if (oci_load_text("/", text, len, &us, err, sizeof(err)) < 0)
		fail(str_prefix(err, "config.json: ") ? err + 13 : err, NULL);
	container_config(&c, &spec, &cfg, envp, &cgroup);
	spec.resources = us.resources;
	spec_to_config(&spec, &cfg, envp);
	cgroup_default(&cfg, c.id);
	return cgroup_update(&cfg, &cgroup) < 0;
}

