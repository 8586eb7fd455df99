/* The two OCI commands that need no container: `spec` (a config.json
 * describing what `nanoctr run` does by default, like `runc spec`) and
 * `features` (what this nanoctr accepts, runtime-spec features.md). */
#include "src/spec.h"

static char out[16384];

static int fail(const char *what, const char *why)
{
	char line[PATH_LIMIT + 128];

	concat(line, sizeof(line), "nanoctr: ", what, ": ");
	cat(line + str_len(line), line + sizeof(line) - 2, why);
	cat(line + str_len(line), line + sizeof(line) - 1, "\n");
	put(2, line);
	return 1;
}

static void caps_list(struct jw *w, const char *key, u64 caps)
{
	char name[24];

	jw_key(w, key);
	jw_open(w, '[');
	for (int n = 0; cap_name(n, name); n++)
		if (caps >> n & 1)
			jw_str(w, name);
	jw_close(w, ']');
}

/* Mount flags back to runc's option names, in its usual order. */
static void mount_options(struct jw *w, const struct spec_mount *m)
{
	static const struct { unsigned long flag; char name[8]; } names[] = {
		{ MS_NOSUID, "nosuid" }, { MS_NOEXEC, "noexec" }, { MS_NODEV, "nodev" },
		{ MS_RDONLY, "ro" },
	};
	char opts[128], *p = opts, *end = opts + sizeof(opts) - 1;

	jw_key(w, "options");
	jw_open(w, '[');
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (m->flags & names[i].flag)
			jw_str(w, names[i].name);
	cat(opts, end, m->data);
	for (char *s = opts; *s; s = p) {	/* data, one option per element */
		for (p = s; *p && *p != ','; p++)
			;
		if (*p)
			*p++ = 0;
		jw_str(w, s);
	}
	jw_close(w, ']');
}

static int spec_json(const struct spec *s, char *buf, unsigned long size)
{
	struct jw w;

	jw_init(&w, buf, size);
	jw_open(&w, '{');
	jw_key(&w, "ociVersion");
	jw_str(&w, s->oci_version);
	jw_key(&w, "process");
	jw_open(&w, '{');
	jw_key(&w, "terminal");
	jw_raw(&w, s->process.terminal ? "true" : "false");
	w.need_comma = 1;
	jw_key(&w, "user");
	jw_raw(&w, "{\"uid\":0,\"gid\":0}");
	w.need_comma = 1;
	jw_strings(&w, "args", s->process.args);
	jw_strings(&w, "env", s->process.env);
	jw_key(&w, "cwd");
	jw_str(&w, s->process.cwd);
	jw_key(&w, "capabilities");
	jw_open(&w, '{');
	for (int set = 0; set < CAP_SETS; set++)
		caps_list(&w, cap_set_names[set], s->process.caps[set]);
	jw_close(&w, '}');
	jw_key(&w, "noNewPrivileges");
	jw_raw(&w, s->process.no_new_privileges ? "true" : "false");
	jw_close(&w, '}');
	jw_key(&w, "root");
	jw_open(&w, '{');
	jw_key(&w, "path");
	jw_str(&w, s->root_path);
	jw_key(&w, "readonly");
	jw_raw(&w, s->root_readonly ? "true" : "false");
	jw_close(&w, '}');
	jw_key(&w, "hostname");
	jw_str(&w, s->hostname);
	jw_key(&w, "mounts");
	jw_open(&w, '[');
	for (int i = 0; i < s->mount_count; i++) {
		const struct spec_mount *m = &s->mounts[i];
		jw_open(&w, '{');
		jw_key(&w, "destination");
		jw_str(&w, m->destination);
		jw_key(&w, "type");
		jw_str(&w, m->type);
		jw_key(&w, "source");
		jw_str(&w, m->source);
		mount_options(&w, m);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_key(&w, "linux");
	jw_open(&w, '{');
	jw_key(&w, "namespaces");
	jw_open(&w, '[');
	for (int k = 0; k < NS_KINDS; k++)
		if (s->namespaces[k].wanted) {
			jw_open(&w, '{');
			jw_key(&w, "type");
			jw_str(&w, ns_names[k]);
			jw_close(&w, '}');
		}
	jw_close(&w, ']');
	jw_strings(&w, "maskedPaths", (char *const *)s->masked_paths);
	jw_strings(&w, "readonlyPaths", (char *const *)s->readonly_paths);
	jw_close(&w, '}');
	jw_close(&w, '}');
	return jw_finish(&w, buf);
}

/* nanoctr spec [--bundle DIR | -b DIR] [--rootless]: BUNDLE/config.json,
 * refused if it exists (as runc: "File config.json exists. Remove it first"). */
int oci_cmd_spec(int argc, char **argv)
{
	const char *bundle = ".";
	struct spec s;
	int dir, fd, len, i;

	for (i = 0; i < argc; i++) {
		const char *v;
		if ((str_eq(argv[i], "--bundle") || str_eq(argv[i], "-b")) && i + 1 < argc)
			bundle = argv[++i];
		else if ((v = str_prefix(argv[i], "--bundle=")))
			bundle = v;
		else if (str_eq(argv[i], "--rootless"))
			return fail("spec: --rootless", "rootless containers are not supported yet");
		else
			return fail("spec", concat(out, sizeof(out), "unknown option ", argv[i], ""));
	}
	spec_defaults(&s);
	len = spec_json(&s, out, sizeof(out));
	dir = sys_open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir < 0)
		return fail(bundle, errno_text(dir));
	fd = sys_openat(dir, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	sys_close(dir);
	if (fd == -EEXIST)
		return fail("spec", "File config.json exists. Remove it first");
	if (fd < 0 || len < 0 || sys_write(fd, out, len) != len) {
		int err = fd < 0 ? fd : len < 0 ? len : -EIO;
		if (fd >= 0)
			sys_close(fd);
		return fail("spec: config.json", errno_text(err));
	}
	sys_close(fd);
	return 0;
}

/* runtime-spec features.md, as `runc features` (runc 1.1) prints it; only
 * what nanoctr's config.json loader accepts. */
int oci_cmd_features(int argc, char **argv)
{
	struct jw w;
	int len;

	(void)argv;
	if (argc)
		return fail("features", "takes no arguments");
	jw_init(&w, out, sizeof(out));
	jw_raw(&w, "{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.1.0\",\"hooks\":[");
	for (int k = 0; k < HOOK_KINDS; k++)
		jw_str(&w, hook_names[k]);
	jw_raw(&w, "],");
	w.need_comma = 0;
	jw_key(&w, "mountOptions");
	jw_open(&w, '[');
	for (unsigned i = 0; mount_option_name(i); i++)
		jw_str(&w, mount_option_name(i));
	jw_close(&w, ']');
	jw_key(&w, "linux");
	jw_open(&w, '{');
	jw_key(&w, "namespaces");
	jw_open(&w, '[');
	for (int k = NS_USER; k < NS_KINDS; k++)	/* not time (refused) */
		if (k != NS_TIME)
			jw_str(&w, ns_names[k]);
	jw_close(&w, ']');
	caps_list(&w, "capabilities", ~0ULL);
	jw_raw(&w, ",\"cgroup\":{\"v1\":true,\"v2\":true,\"systemd\":false,\"systemdUser\":false},"
	       "\"seccomp\":{\"enabled\":true},\"apparmor\":{\"enabled\":false},"
	       "\"selinux\":{\"enabled\":false}}}");
	len = jw_finish(&w, out);
	if (len < 0)
		return fail("features", errno_text(len));
	sys_write(1, out, len);
	return 0;
}
