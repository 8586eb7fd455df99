/* Argument parsing: argv into one struct config, validating every value
 * before anything exists (-v and --tmpfs: args-mounts.c). Docker's
 * spellings; `--opt value`, `--opt=value`, `-o value`, `-ovalue` and
 * grouped flags (`-it`) all work. */
#include "src/nanoctr.h"
#include "src/args.h"

static const struct option options[] = {
	{ "rootfs", 'r', 1, O_ROOTFS },
	{ "name", 'n', 1, O_NAME },
	{ "hostname", 0, 1, O_HOSTNAME },
	{ "env", 'e', 1, O_ENV },
	{ "workdir", 'w', 1, O_WORKDIR },
	{ "user", 'u', 1, O_USER },
	{ "volume", 'v', 1, O_VOLUME },
	{ "tmpfs", 0, 1, O_TMPFS },
	{ "read-only", 0, 0, O_READ_ONLY },
	{ "network", 0, 1, O_NETWORK },
	{ "memory", 'm', 1, O_MEMORY },
	{ "pids-limit", 0, 1, O_PIDS },
	{ "cpus", 0, 1, O_CPUS },
	{ "cgroup-parent", 0, 1, O_CGROUP_PARENT },
	{ "init", 0, 0, O_INIT },
	{ "tty", 't', 0, O_TTY },
	{ "interactive", 'i', 0, O_INTERACTIVE },
	{ "cap-add", 0, 1, O_CAP_ADD },
	{ "cap-drop", 0, 1, O_CAP_DROP },
	{ "privileged", 0, 0, O_PRIVILEGED },
	{ "security-opt", 0, 1, O_SECURITY_OPT },
	{ "help", 'h', 0, O_HELP },
};

static const char help_text[] =
"Usage: nanoctr run [OPTIONS] [--] COMMAND [ARG...]\n"
"       nanoctr --help | --version\n"
"\n"
"Run COMMAND isolated in new PID, UTS, mount, IPC, network and cgroup\n"
"namespaces, inside a root filesystem, under cgroup limits.\n"
"\n"
"  -r, --rootfs DIR         root filesystem (default $NANOCTR_ROOTFS, else " DEFAULT_ROOTFS ")\n"
"  -n, --name NAME          container name; also the default hostname\n"
"      --hostname NAME      hostname inside the container (default: NAME, else nanoctr)\n"
"  -e, --env KEY[=VALUE]    set a variable (KEY alone: the host's value)\n"
"  -w, --workdir DIR        working directory inside the container (default /)\n"
"  -u, --user USER[:GROUP]  run as this user: numbers, or names from the rootfs's\n"
"                           /etc/passwd and /etc/group (as docker)\n"
"  -v, --volume SRC:DST[:ro]  bind-mount a host path\n"
"      --tmpfs DST[:OPTIONS]  mount a tmpfs (default nosuid,nodev,noexec,mode=1777)\n"
"      --read-only          mount the root filesystem (and its submounts) read-only\n"
"      --network none|host  own network namespace with loopback (default), or the host's\n"
"  -m, --memory SIZE        memory limit, at least 6M, e.g. 50M, 1g (no swap beyond it)\n"
"      --pids-limit N       maximum number of processes (0 or -1: no limit)\n"
"      --cpus X             CPU quota in CPUs, 0.01 to the CPUs available (0: no limit)\n"
"      --cgroup-parent PATH create the container's cgroup beneath PATH\n"
"      --init               keep nanoctr as PID 1: reap zombies, forward signals\n"
"  -t, --tty                give the command a pseudo-terminal\n"
"  -i, --interactive        keep stdin attached (else it is /dev/null)\n"
"      --cap-add CAP        add a capability (ALL for every one)\n"
"      --cap-drop CAP       drop a capability (ALL for every one)\n"
"      --privileged         all capabilities, no seccomp, no masked paths\n"
"      --security-opt seccomp=unconfined   run without the seccomp filter\n"
"      --security-opt seccomp=FILE  this seccomp profile instead of docker's\n"
"\n"
"Flags take --flag=true|false; when an option is repeated, the last one wins\n"
"(-e, -v, --tmpfs, --cap-add, --cap-drop add up).\n"
"\n"
"Exit status: the command's; 128+N if it died of signal N; 125 if nanoctr\n"
"failed; 126 if the command cannot be run; 127 if it was not found.\n";

void usage(int fd)
{
	put(fd, help_text);
}

/* "--memory 1x: invalid size" style errors name the option and the value. */
NORETURN void bad_value(const struct option *opt, const char *value, const char *why)
{
	char what[PATH_LIMIT + 64], *end = what + sizeof(what) - 1, *p = what;

	p = cat(p, end, "--");
	p = cat(p, end, opt->name);
	if (value) {
		p = cat(p, end, " ");
		if (str_len(value) <= (size_t)(end - p)) {
			cat(p, end, value);
		} else {	/* a huge value: cut visibly */
			cat(p, end - 3, value);
			cat(end - 3, end, "...");
		}
	}
	die_code(EXIT_SETUP, what, why);
}

void check_path(const struct option *opt, const char *path)
{
	if (path[0] != '/')
		bad_value(opt, path, "must be an absolute path");
	if (str_len(path) >= PATH_LIMIT)	/* what the kernel takes, with its NUL */
		bad_value(opt, NULL, "path too long");
}

/* -m SIZE: lib.c's size_parse, at most 1 PiB; 0 is docker's "no limit". */
static u64 parse_size(const struct option *opt, const char *text)
{
	u64 bytes;
	int ret = size_parse(text, 1ULL << 50, &bytes);

	if (ret == -EINVAL)
		bad_value(opt, text, "invalid size (use e.g. 64M, 1g)");
	if (ret < 0)
		bad_value(opt, text, "too large");
	return bytes;
}

static u64 parse_count(const struct option *opt, const char *text, u64 max)
{
	const char *p;
	u64 v;

	if (parse_u64(text, &p, &v) < 0 || *p)
		bad_value(opt, text, "must be a positive integer");
	if (v == 0 || v > max)
		bad_value(opt, text, "out of range");
	return v;
}

/* The CPUs this process may run on, as docker counts them (Go's
 * runtime.NumCPU: the sched_getaffinity(2) mask); 0 when unknown. */
static unsigned cpus_available(void)
{
	u64 mask[128];	/* 8192 CPUs */
	long n = sys_sched_getaffinity(0, sizeof(mask), mask);
	unsigned count = 0;

	for (long i = 0; i < n / 8; i++)
		for (u64 m = mask[i]; m; m &= m - 1)
			count++;
	return count;
}

/* "0.5" CPUs -> 50000 µs of every 100000 µs period; 0: no limit (docker's
 * "unset"). Like docker, from 0.01 to the number of CPUs we may use. */
static unsigned parse_cpus(const struct option *opt, const char *text)
{
	const char *p = text;
	u64 whole = 0, frac = 0, scale = 100000, finer = 0;
	unsigned cpus = cpus_available();
	char why[128], *end = why + sizeof(why) - 1;

	if (*p != '.' && parse_u64(p, &p, &whole) < 0) {
		if (!(*p >= '0' && *p <= '9'))
			bad_value(opt, text, "must be a positive decimal number");
		for (whole = ~0ULL; *p >= '0' && *p <= '9'; p++)
			;	/* too many digits: out of the range below */
	}
	if (*p == '.') {
		if (!(p[1] >= '0' && p[1] <= '9'))
			bad_value(opt, text, "must be a positive decimal number");
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale /= 10)
				frac += (*p - '0') * scale;
			else if (*p != '0')
				finer = 1;	/* below a µs: only matters at the top */
	}
	if (*p)
		bad_value(opt, text, "must be a positive decimal number");
	if (!cpus)
		cpus = 1024;
	if (whole == 0 && frac == 0)
		return 0;
	if (whole > cpus || whole * 100000 + frac < 1000 ||
	    whole * 100000 + frac + finer > cpus * 100000ULL) {
		/* docker's words: "Range of CPUs is from 0.01 to 2.00, as there
		 * are only 2 CPUs available" */
		p = cat(why, end, "range of CPUs is from 0.01 to ");
		p = cat(cat_u64((char *)p, end, cpus), end, ".00, as there are only ");
		cat(cat_u64((char *)p, end, cpus), end, " CPUs available");
		bad_value(opt, text, why);
	}
	return (unsigned)(whole * 100000 + frac);
}

/* --hostname: what sethostname(2) takes, 1 to HOST_NAME_MAX bytes of
 * anything (docker checks no more); "" is the default (--name, else nanoctr). */
static void check_hostname(const struct option *opt, const char *name)
{
	if (str_len(name) > HOST_NAME_MAX)
		bad_value(opt, name, "must be at most 64 bytes (HOST_NAME_MAX)");
}

/* --name: docker's [a-zA-Z0-9][a-zA-Z0-9_.-]* (docker wants 2 characters;
 * one is enough here). */
static void check_name(const struct option *opt, const char *name)
{
	const char *p;

	for (p = name; *p; p++) {
		char c = *p | 0x20;
		if (!((c >= 'a' && c <= 'z') || (*p >= '0' && *p <= '9') ||
		      (p != name && (*p == '-' || *p == '_' || *p == '.'))))
			bad_value(opt, name, "invalid name (use [a-zA-Z0-9][a-zA-Z0-9_.-]*)");
	}
	if (p == name)
		bad_value(opt, name, "must not be empty");
}

/* The host's "KEY=value" for a key of len bytes, or NULL. */
static const char *host_env(const struct config *cfg, const char *key, size_t len)
{
	for (char **host = cfg->host_env; *host; host++)
		if (!memcmp(*host, key, len) && (*host)[len] == '=')
			return *host;
	return NULL;
}

/* Where the container's environment holds entry's KEY=, or -1. Every entry
 * has a '=', so the byte-wise compare stops inside both strings. */
static int env_index(const struct config *cfg, const char *entry)
{
	size_t key = str_chr(entry, '=') - entry + 1;

	for (int i = 0; i < cfg->env_count; i++)
		if (!memcmp(cfg->env[i], entry, key))
			return i;
	return -1;
}

/* An array with twice the room of old's (*room entries of size bytes, all
 * kept), in an anonymous mapping that is never freed; or 125. Past the
 * static arrays only: docker has no limit on -e, -v or --tmpfs. */
void *grow(const void *old, int *room, size_t size, const struct option *opt,
		  const char *value)
{
	long map = sys_mmap_anon((size_t)*room * 2 * size);

	if ((unsigned long)map > -4096UL)
		bad_value(opt, value, errno_text((int)map));
	memcpy((void *)map, old, (size_t)*room * size);
	*room *= 2;
	return (void *)map;
}

static void env_set(struct config *cfg, const struct option *opt, const char *entry)
{
	const char *eq = str_chr(entry, '=');
	size_t key_len = eq ? (size_t)(eq - entry) : str_len(entry);
	int i;

	if (key_len == 0)
		bad_value(opt, entry, "empty variable name");
	if (!eq && !(entry = host_env(cfg, entry, key_len)))
		return;	/* -e KEY: the host's value, or nothing when it has none */
	i = env_index(cfg, entry);
	if (i >= 0) {
		cfg->env[i] = entry;
		return;
	}
	if (cfg->env_count >= cfg->env_room - 8)	/* room for the defaults and the NULL */
		cfg->env = grow(cfg->env, &cfg->env_room, sizeof(*cfg->env), opt, entry);
	cfg->env[cfg->env_count++] = entry;
}


/* One half of -u: a number (decimal digits), else a name for the
 * container's /etc/passwd or /etc/group (looked up there after the root
 * switch, in user.c). Any name is allowed, as docker; only what no entry can
 * hold (":", a newline) and the empty name are refused. Returns 1 for a number. */
static int parse_id(const struct option *opt, const char *text, unsigned *id, const char **name)
{
	const char *p;
	u64 v;

	for (p = text; *p >= '0' && *p <= '9'; p++)
		;
	if (p != text && !*p) {
		if (parse_u64(text, &p, &v) < 0 || v > 0xfffffffeULL)
			bad_value(opt, text, "out of range");
		*id = (unsigned)v;
		return 1;
	}
	if (!*text || str_chr(text, '\n') || str_chr(text, ':'))
		bad_value(opt, text, "expected UID[:GID] or NAME[:GROUP]");
	*name = text;
	return 0;
}

/* -u USER[:GROUP]; a later -u replaces all of an earlier one. */
static void parse_user(struct config *cfg, const struct option *opt, char *text)
{
	char *group = str_chr(text, ':');

	if (group)
		*group++ = 0;
	cfg->uid = cfg->gid = 0;
	cfg->user_name = cfg->group_name = NULL;
	cfg->options &= ~OPT_GROUP;
	parse_id(opt, text, &cfg->uid, &cfg->user_name);
	if (group && parse_id(opt, group, &cfg->gid, &cfg->group_name))
		cfg->options |= OPT_GROUP;
	cfg->options |= OPT_USER;
}

/* A flag alone is true; --flag=VALUE takes Go's strconv.ParseBool values,
 * as docker: 1 t T TRUE true True, 0 f F FALSE false False. */
static int parse_flag(const struct option *opt, const char *value)
{
	/* the true spellings, then (after an empty one) the false: packed */
	static const char spellings[] = "1\0t\0T\0TRUE\0true\0True\0\0" "0\0f\0F\0FALSE\0false\0False\0";
	int truth = 1;

	if (!value)
		return 1;
	for (const char *p = spellings; truth >= 0; p += str_len(p) + 1) {
		if (!*p)
			truth--;
		else if (str_eq(value, p))
			return truth;
	}
	bad_value(opt, value, "must be true or false");
}

static void set_flag(struct config *cfg, unsigned flag, int on)
{
	if (on)
		cfg->options |= flag;
	else
		cfg->options &= ~flag;
}

/* --cgroup-parent: absolute; no ".." component (it would climb out of the
 * hierarchy); "." and systemd's "user.slice" are fine. */
static void check_cgroup_parent(const struct option *opt, const char *path)
{
	check_path(opt, path);
	for (const char *p = path + 1; *p; p++)	/* path[0] is '/' */
		if (p[-1] == '/' && p[0] == '.' && p[1] == '.' && (!p[2] || p[2] == '/'))
			bad_value(opt, path, "must not contain '..'");
}

static void apply(struct config *cfg, const struct option *opt, char *value)
{
	switch (opt->id) {
	case O_ROOTFS: check_path(opt, value); cfg->rootfs = value; break;
	case O_NAME: check_name(opt, value); cfg->name = value; break;
	case O_HOSTNAME: check_hostname(opt, value); cfg->hostname = *value ? value : NULL; break;
	case O_ENV: env_set(cfg, opt, value); break;
	case O_WORKDIR: check_path(opt, value); cfg->workdir = value; break;
	case O_USER: parse_user(cfg, opt, value); break;
	case O_VOLUME: add_mount(cfg, opt, value, MOUNT_BIND); break;
	case O_TMPFS: add_mount(cfg, opt, value, MOUNT_TMPFS); break;
	case O_READ_ONLY: set_flag(cfg, OPT_READ_ONLY, parse_flag(opt, value)); break;
	case O_NETWORK:
		if (str_eq(value, "host"))
			cfg->options |= OPT_NET_HOST;
		else if (str_eq(value, "none"))
			cfg->options &= ~OPT_NET_HOST;
		else
			bad_value(opt, value, "must be none or host");
		break;
	case O_MEMORY:
		cfg->memory = parse_size(opt, value);	/* 0: docker's "no limit" */
		cfg->memory_text = value;
		/* docker's floor: below it the runtime's own setup cannot fit */
		if (cfg->memory && cfg->memory < (6ULL << 20))
			bad_value(opt, value, "minimum memory limit allowed is 6MB");
		break;
	case O_PIDS:	/* 0 and -1 are docker's "unlimited" */
		cfg->pids = str_eq(value, "-1") || str_eq(value, "0") ? 0 :
			    (long)parse_count(opt, value, 1 << 22);
		break;
	case O_CPUS: cfg->cpu_quota = parse_cpus(opt, value); break;
	case O_CGROUP_PARENT:	/* "": the default, beneath our own cgroup */
		if (*value)
			check_cgroup_parent(opt, value);
		cfg->cgroup_parent = *value ? value : NULL;
		break;
	case O_INIT: set_flag(cfg, OPT_INIT, parse_flag(opt, value)); break;
	case O_TTY: set_flag(cfg, OPT_TTY, parse_flag(opt, value)); break;
	case O_INTERACTIVE: set_flag(cfg, OPT_INTERACTIVE, parse_flag(opt, value)); break;
	case O_CAP_ADD:
	case O_CAP_DROP: {
		/* collected here, combined in finish(): the order does not matter */
		u64 mask;
		if (caps_parse(value, &mask) < 0)
			bad_value(opt, value, "unknown capability");
		if (mask == ~0ULL)
			cfg->options |= opt->id == O_CAP_ADD ? OPT_CAP_ADD_ALL : OPT_CAP_DROP_ALL;
		else if (opt->id == O_CAP_ADD)
			cfg->cap_add |= mask;
		else
			cfg->cap_drop |= mask;
		break;
	}
	case O_PRIVILEGED: set_flag(cfg, OPT_PRIVILEGED, parse_flag(opt, value)); break;
	case O_SECURITY_OPT:
		if (str_eq(value, "seccomp=unconfined") || str_eq(value, "seccomp:unconfined"))
			cfg->options |= OPT_NO_SECCOMP;
		else if (str_prefix(value, "seccomp=") || str_prefix(value, "seccomp:")) {
			cfg->options &= ~OPT_NO_SECCOMP;	/* the last one wins */
			seccomp_load_profile(value + 8);	/* read and checked now */
		} else if (!str_eq(value, "no-new-privileges") &&
			 !str_eq(value, "no-new-privileges:true") &&
			 !str_eq(value, "no-new-privileges=true"))
			bad_value(opt, value, "supported: seccomp=unconfined, seccomp=PROFILE.json, "
				  "no-new-privileges");
		break;
	case O_HELP:
		if (!parse_flag(opt, value))
			break;
		usage(1);
		sys_exit(0);
	}
}

static const struct option *find_long(const char *name, size_t len)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (str_len(options[i].name) == len && !memcmp(options[i].name, name, len))
			return &options[i];
	return NULL;
}

static const struct option *find_short(char c)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (options[i].short_name == c)
			return &options[i];
	return NULL;
}

static NORETURN void unknown_option(const char *arg)
{
	die_code(EXIT_SETUP, arg, "unknown option (see nanoctr --help)");
}

const char default_home[] = "HOME=/root";

/* The clean environment: PATH, HOME, HOSTNAME and the host's TERM first,
 * each unless -e gave the same key, then the -e entries. */
static void env_defaults(struct config *cfg)
{
	const char *defaults[4];
	int n = 0;

	concat(cfg->hostname_env, sizeof(cfg->hostname_env), "HOSTNAME=", cfg->hostname, "");
	defaults[n++] = DEFAULT_PATH;
	defaults[n++] = default_home;
	defaults[n++] = cfg->hostname_env;
	if ((defaults[n] = host_env(cfg, "TERM", 4)))
		n++;
	while (n--) {
		if (env_index(cfg, defaults[n]) >= 0)
			continue;
		memmove(cfg->env + 1, cfg->env, cfg->env_count * sizeof(cfg->env[0]));
		cfg->env[0] = defaults[n];
		cfg->env_count++;
	}
	cfg->env[cfg->env_count] = NULL;
}

static void finish(struct config *cfg)
{
	const char *env = host_env(cfg, "NANOCTR_ROOTFS", 14);

	if (!cfg->rootfs && env && env[15]) {
		env += 15;
		if (env[0] != '/')
			die_code(EXIT_SETUP, "NANOCTR_ROOTFS", "must be an absolute path");
		if (str_len(env) >= PATH_LIMIT)
			die_code(EXIT_SETUP, "NANOCTR_ROOTFS", "path too long");
		cfg->rootfs = env;
	}
	if (!cfg->rootfs) {
		cfg->rootfs = DEFAULT_ROOTFS;
		cfg->options |= OPT_DEFAULT_ROOTFS;
	}
	if (!cfg->hostname) {
		/* the name is the hostname only where it fits: never cut it */
		if (cfg->name && str_len(cfg->name) > HOST_NAME_MAX)
			bad_value(find_long("name", 4), cfg->name, "too long for the default "
				  "hostname (at most 64 characters): give --hostname");
		cfg->hostname = cfg->name ? cfg->name : "nanoctr";
	}
	if (!cfg->workdir)
		cfg->workdir = "/";
	env_defaults(cfg);
	cfg->caps = caps_resolve(cfg);
	if (!(cfg->options & OPT_NO_SECCOMP))
		seccomp_check(cfg->caps);	/* before anything exists */
}


int args_parse_run(struct config *cfg, int argc, char **argv, char **envp)
{
	int i;

	cfg->host_env = envp;
	for (i = 0; i < argc; i++) {
		char *arg = argv[i], *value = NULL;
		const struct option *opt;

		if (arg[0] != '-' || !arg[1])
			break;
		if (str_eq(arg, "--")) {
			i++;
			break;
		}
		if (arg[1] == '-') {
			char *eq = str_chr(arg + 2, '=');
			opt = find_long(arg + 2, eq ? (size_t)(eq - arg - 2) : str_len(arg + 2));
			if (!opt)
				unknown_option(arg);
			if (eq)
				value = eq + 1;	/* a flag's: true or false */
		} else {
			/* -it: flags group; -rDIR: a value glued on */
			char *p = arg + 1;
			for (;;) {
				char flag[3] = { '-', *p, 0 };
				opt = find_short(*p);
				if (!opt)
					unknown_option(flag);
				if (opt->takes_value || !p[1])
					break;
				apply(cfg, opt, NULL);
				p++;
			}
			if (p[1])
				value = p + 1;
		}
		if (opt->takes_value && !value) {
			if (++i >= argc)
				bad_value(opt, NULL, "requires a value");
			value = argv[i];
		}
		apply(cfg, opt, value);
	}
	if (i >= argc)
		die_code(EXIT_SETUP, "run", "no COMMAND given (see nanoctr --help)");
	cfg->command = argv + i;
	finish(cfg);
	return 0;
}
