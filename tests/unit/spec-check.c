/* spec-check — drive src/oci-config.c and src/state.c for tests/oci-config.bats.
 *
 *   spec-check load BUNDLE     oci_load, then the spec, one "field value" a line;
 *                              on error "nanoctr: <err>" on stderr, exit 1
 *   spec-check text BUNDLE FILE   oci_load_text of FILE's bytes (the fuzzer's path)
 *   spec-check defaults        the spec nanoctr run builds by default, same dump
 *   spec-check id ID           state_id_check: "ok" or the error, exit 1
 *   spec-check pidfile PATH PID   pid_file_write
 *   spec-check state ROOT ID PID  create ROOT/ID, write state, read it back and
 *                              print it, list the root, create again (EEXIST),
 *                              remove it
 * Built with musl-gcc (hosted) from the nanoctr sources it tests. */
#include "src/spec.h"

/* libc, declared by hand: its headers clash with syscalls/linux.h */
int printf(const char *fmt, ...);
int dprintf(int fd, const char *fmt, ...);
int strcmp(const char *a, const char *b);
int atoi(const char *s);

static void list(const char *name, char *const *l)
{
	printf("%s", name);
	for (; l && *l; l++)
		printf(" [%s]", *l);
	printf("\n");
}

static void dump(const struct spec *s)
{
	const struct spec_process *p = &s->process;
	char name[24];

	printf("ociVersion %s\n", s->oci_version);
	list("process.args", p->args);
	list("process.env", p->env);
	printf("process.cwd %s\nprocess.user %u %u umask %d gids", p->cwd, p->uid, p->gid, p->umask);
	for (int i = 0; i < p->additional_gid_count; i++)
		printf(" %u", p->additional_gids[i]);
	printf("\nprocess.terminal %d console %ux%u\n", p->terminal, p->console_width,
	       p->console_height);
	for (int set = 0; set < CAP_SETS; set++) {
		printf("process.capabilities.%s", cap_set_names[set]);
		for (int n = 0; cap_name(n, name); n++)
			if (p->caps[set] >> n & 1)
				printf(" %s", name + 4);
		printf("\n");
	}
	for (int i = 0; i < p->rlimit_count; i++)
		printf("process.rlimit RLIMIT_%s %llu %llu\n", rlimit_names[p->rlimits[i].resource],
		       p->rlimits[i].soft, p->rlimits[i].hard);
	printf("process.noNewPrivileges %d\n", p->no_new_privileges);
	if (p->has_oom_score_adj)
		printf("process.oomScoreAdj %d\n", p->oom_score_adj);
	printf("root %s readonly %d\n", s->root_path, s->root_readonly);
	printf("hostname %s\n", s->hostname ? s->hostname : "(none)");
	for (int i = 0; i < s->mount_count; i++) {
		const struct spec_mount *m = &s->mounts[i];
		printf("mount %s type=%s source=%s flags=%#lx propagation=%#lx data=%s",
		       m->destination, m->type, m->source, m->flags, m->propagation, m->data);
		if (m->attr_set || m->attr_clear)
			printf(" attr=+%#x-%#x", m->attr_set, m->attr_clear);
		if (m->extensions)
			printf(" tmpcopyup");
		printf("\n");
	}
	printf("namespaces");
	for (int k = 0; k < NS_KINDS; k++)
		if (s->namespaces[k].wanted)
			printf(" %s%s%s", ns_names[k], s->namespaces[k].path ? "=" : "",
			       s->namespaces[k].path ? s->namespaces[k].path : "");
	printf("\n");
	list("maskedPaths", (char *const *)s->masked_paths);
	list("readonlyPaths", (char *const *)s->readonly_paths);
	printf("cgroupsPath %s\n", s->cgroups_path ? s->cgroups_path : "(none)");
	printf("resources memory %lld %lld %lld cpu %llu %lld %llu %s %s pids %lld\n",
	       s->resources.memory_limit, s->resources.memory_swap,
	       s->resources.memory_reservation, s->resources.cpu_shares, s->resources.cpu_quota,
	       s->resources.cpu_period, s->resources.cpus ? s->resources.cpus : "-",
	       s->resources.mems ? s->resources.mems : "-", s->resources.pids_limit);
	for (int i = 0; i < s->resources.device_rule_count; i++) {
		const struct spec_device_rule *r = &s->resources.devices[i];
		printf("devicerule %s %c %lld:%lld %s\n", r->allow ? "allow" : "deny", r->type,
		       r->major, r->minor, r->access);
	}
	for (int i = 0; i < s->device_count; i++) {
		const struct spec_device *d = &s->devices[i];
		printf("device %s %c %u:%u %#o %u:%u\n", d->path, d->type, d->major, d->minor,
		       d->file_mode, d->uid, d->gid);
	}
	for (int i = 0; i < s->sysctl_count; i++)
		printf("sysctl %s=%s\n", s->sysctl[i].key, s->sysctl[i].value);
	for (int k = 0; k < HOOK_KINDS; k++)
		for (int i = 0; i < s->hook_count[k]; i++) {
			printf("hook %s %s timeout=%d", hook_names[k], s->hooks[k][i].path,
			       s->hooks[k][i].timeout);
			list(" args", s->hooks[k][i].args);
		}
	printf("rootfsPropagation %#lx\n", s->rootfs_propagation);
	for (int i = 0; i < s->annotation_count; i++)
		printf("annotation %s=%s\n", s->annotations[i].key, s->annotations[i].value);
	if (s->seccomp_token) {
		const struct json_token *t = &s->json->tokens[s->seccomp_token];
		printf("seccomp bytes %u..%u %.16s\n", t->start, t->end, s->json->text + t->start);
	}
}

static int each(const char *id, void *arg)
{
	(void)arg;
	printf("list %s\n", id);
	return 0;
}

int main(int argc, char **argv)
{
	char err[4096];
	struct spec s;

	if (argc == 3 && !strcmp(argv[1], "load")) {
		if (oci_load(argv[2], &s, err, sizeof(err)) < 0) {
			dprintf(2, "nanoctr: %s\n", err);
			return 1;
		}
		dump(&s);
		oci_unload(&s);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "text")) {
		static char text[1 << 20];
		int fd = sys_open(argv[3], O_RDONLY, 0);
		long n = 0, r;
		while (fd >= 0 && (r = sys_read(fd, text + n, sizeof(text) - n)) > 0)
			n += r;
		if (oci_load_text(argv[2], text, n, &s, err, sizeof(err)) < 0) {
			dprintf(2, "nanoctr: %s\n", err);
			return 1;
		}
		dump(&s);
		oci_unload(&s);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "defaults")) {
		spec_defaults(&s);
		dump(&s);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "id")) {
		if (state_id_check(argv[2], err, sizeof(err)) < 0) {
			printf("%s\n", err);
			return 1;
		}
		printf("ok\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "pidfile")) {
		int ret = pid_file_write(argv[2], atoi(argv[3]));
		if (ret < 0)
			printf("%s\n", errno_text(ret));
		return ret < 0;
	}
	if (argc == 5 && !strcmp(argv[1], "state")) {
		static char text[1 << 16];
		static const struct spec_pair ann[] = { { "org.test", "a \"quoted\"\nvalue" } };
		struct state st = { "1.0.2", argv[3], "created", "/b", "/b/rootfs", NULL, "",
				    atoi(argv[4]), 12345, ann, 1, 0, 0, NULL };
		char now[40];
		int root = state_root_open(argv[2]), dir, ret;
		if (root < 0)
			return printf("root: %s\n", errno_text(root)), 1;
		st.created = state_now(now);
		dir = state_dir_create(root, argv[3], err, sizeof(err));
		if (dir < 0)
			return printf("%s\n", err), 1;
		if ((ret = state_write(dir, &st)) < 0)
			return printf("write: %s\n", errno_text(ret)), 1;
		memset(&st, 0, sizeof(st));
		if ((ret = state_read(dir, &st)) < 0)
			return printf("read: %s\n", errno_text(ret)), 1;
		if (state_format(&st, text, sizeof(text)) < 0)
			return 1;
		printf("%s", text);
		state_list(root, each, NULL);
		if (state_dir_create(root, argv[3], err, sizeof(err)) < 0)
			printf("%s\n", err);
		printf("remove %d\n", state_remove(root, argv[3]));
		state_list(root, each, NULL);
		return 0;
	}
	dprintf(2, "usage: see the top of tests/unit/spec-check.c\n");
	return 2;
}
