/* The container spec: what to build, whoever asked for it. `nanoctr run`'s
 * options and an OCI bundle's config.json (src/oci-config.c) both fill a
 * struct spec; one engine executes it. Field names follow the OCI runtime
 * spec (config.md, config-linux.md), values are already what the kernel
 * takes (MS_* flags, CLONE_* kinds, capability bits, RLIMIT_* numbers).
 *
 * Memory: no malloc. Everything a spec points to lives in one arena (an
 * anonymous mmap sized from config.json's length, see oci_load) or in
 * static data (spec_defaults); arrays come with counts, string arrays are
 * also NULL-terminated. */
#ifndef SPEC_H
#define SPEC_H

#include "src/nanoctr.h"
#include "src/json.h"

/* mount(2) flags and mount_setattr(2) attributes syscalls/linux.h does not
 * have (yet): include/uapi/linux/mount.h */
#define MS_PROPAGATION	(MS_UNBINDABLE | MS_PRIVATE | MS_SLAVE | MS_SHARED)
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

/* Namespaces, in the order the engine should enter joined ones (user
 * first: it grants the rights for the others; mount last-but-one so that
 * paths of the others are still the host's; see setns(2)). */
enum ns_kind { NS_USER, NS_IPC, NS_UTS, NS_NET, NS_PID, NS_CGROUP, NS_TIME, NS_MOUNT, NS_KINDS };
extern const char ns_names[NS_KINDS][8];	/* OCI's: "user", "ipc", ..., "mount" */
extern const unsigned long ns_clone_flags[NS_KINDS];

struct spec_namespace {
	int wanted;		/* listed in linux.namespaces: a new one, or joined */
	const char *path;	/* join this one (setns); NULL: a new one */
};

enum cap_set { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_INHERITABLE, CAPS_PERMITTED, CAPS_AMBIENT,
	       CAP_SETS };
extern const char cap_set_names[CAP_SETS][12];

struct spec_rlimit { int resource; u64 soft, hard; };	/* RLIMIT_* number */

enum { MOUNT_TMPCOPYUP = 1 };	/* runc's extension: copy the target's files into the tmpfs */

struct spec_mount {			/* one mount, in config order */
	const char *destination;	/* absolute and lexically clean, never above "/" */
	const char *source;		/* as written ("" when absent); bundle-relative for binds */
	const char *type;		/* "" when absent (binds) */
	const char *data;		/* the options mount(2) does not take as flags, "a,b" */
	unsigned long flags;		/* MS_*: ro, nosuid, ..., bind (MS_BIND), rbind (MS_BIND|MS_REC) */
	unsigned long propagation;	/* 0 or one of MS_PRIVATE/SLAVE/SHARED/UNBINDABLE [|MS_REC] */
	unsigned attr_set, attr_clear;	/* MOUNT_ATTR_* to apply recursively (rro, rnosuid, ...) */
	unsigned extensions;		/* MOUNT_TMPCOPYUP */
};

struct spec_device {			/* linux.devices: a node made in the container's /dev */
	const char *path;
	char type;			/* 'c', 'b', 'u' (unbuffered char), 'p' (FIFO) */
	u32 major, minor, file_mode, uid, gid;	/* file_mode 0666 when absent, as runc */
	int has_file_mode;
};

struct spec_device_rule {		/* linux.resources.devices: the device cgroup, in order */
	int allow;
	char type;			/* 'a', 'c', 'b' */
	long long major, minor;		/* -1: any ("*") */
	char access[4];			/* subset of "rwm", in that order; "" = none given */
};

enum { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER,
       HOOK_POSTSTART, HOOK_POSTSTOP, HOOK_KINDS };
extern const char hook_names[HOOK_KINDS][16];	/* "prestart", "createRuntime", ... */

struct spec_hook {
	const char *path;		/* absolute */
	char *const *args;		/* NULL-terminated; NULL when absent */
	char *const *env;
	int timeout;			/* seconds; 0: none */
};

struct spec_process {
	char *const *args;		/* NULL-terminated, at least one */
	char *const *env;		/* "NAME=value", NULL-terminated (maybe empty) */
	const char *cwd;		/* absolute */
	u32 uid, gid;
	const u32 *additional_gids;
	int additional_gid_count;
	int umask;			/* -1: not given (leave it) */
	u64 caps[CAP_SETS];		/* bit n = capability n */
	const struct spec_rlimit *rlimits;
	int rlimit_count;
	int no_new_privileges;
	int terminal;
	int has_oom_score_adj, oom_score_adj;
	u32 console_height, console_width;	/* 0: not given */
	const char *apparmor_profile, *selinux_label;	/* NULL: none */
};

struct spec_resources {			/* 0 = not set, as runc treats it */
	long long memory_limit, memory_swap, memory_reservation;	/* -1: unlimited */
	long long swappiness;		/* 0..100; -1: not set */
	int disable_oom_killer;
	u64 cpu_shares, cpu_period;
	long long cpu_quota;
	const char *cpus, *mems;	/* cpuset lists, NULL: not set */
	long long pids_limit;		/* <= -1: max (unlimited) */
	const struct spec_device_rule *devices;
	int device_rule_count;
};

struct spec_pair { const char *key, *value; };	/* sysctl, annotations */

/* linux.uidMappings, gidMappings: one line of uid_map or gid_map */
struct spec_id_map {
	u32 container, host, size;	/* containerID, hostID, size */
};

struct spec {
	const char *oci_version;
	struct spec_process process;
	const char *root_path;		/* bundle-relative paths joined: "BUNDLE/rootfs" */
	int root_readonly;
	const char *hostname;		/* NULL: not set */
	const struct spec_mount *mounts;
	int mount_count;
	struct spec_namespace namespaces[NS_KINDS];
	const struct spec_id_map *id_maps[2];	/* uid, gid */
	int id_map_count[2];
	const char *const *masked_paths, *const *readonly_paths;	/* NULL-terminated */
	int masked_count, readonly_count;
	const char *cgroups_path;	/* NULL: not set */
	struct spec_resources resources;
	const struct spec_pair *sysctl;
	int sysctl_count;
	const struct spec_device *devices;
	int device_count;
	const struct spec_hook *hooks[HOOK_KINDS];
	int hook_count[HOOK_KINDS];
	unsigned long rootfs_propagation;	/* MS_* | MS_REC; 0: not set (runc: rslave) */
	const char *mount_label;
	const struct spec_pair *annotations;
	int annotation_count;
	/* linux.seccomp, untouched: compiled by the seccomp code from the same
	 * JSON (json.text and tokens stay valid until oci_unload). 0: absent. */
	const struct json *json;
	unsigned seccomp_token;
	/* the arena and config.json's text, for oci_unload */
	void *arena, *text;
	unsigned long arena_size, text_size;
};

/* oci-config.c: load BUNDLE/config.json into spec. Returns 0, or -1 with
 * err holding one line without prefix or newline, e.g.
 * `config.json: linux.namespaces[2].type: unknown namespace "foo"` or
 * `bundle: /x: No such file or directory`; call oci_unload either way. Warnings (runc's deprecations
 * it still accepts) go to fd 2 as "nanoctr: ..." lines. Checks everything
 * that can be checked without the rootfs; see the notes in oci-config.c
 * for what stays with the engine. */
int oci_load(const char *bundle, struct spec *spec, char *err, unsigned long err_size);
/* The same from text already in memory (for tests and the fuzzer): root
 * paths are joined to bundle, which is not opened. */
int oci_load_text(const char *bundle, const char *text, unsigned long len, struct spec *spec,
		  char *err, unsigned long err_size);
void oci_unload(struct spec *spec);
const char *mount_option_name(unsigned i);	/* runc's option names, NULL past the last */

/* Capability and rlimit names (CAP_CHOWN ..., RLIMIT_CPU ...). */
int cap_number(const char *name);		/* -1 if unknown; name with "CAP_" */
const char *cap_name(int n, char *buf);		/* "CAP_" + name; NULL past the last */
int rlimit_number(const char *name);		/* -1 if unknown; name with "RLIMIT_" */
extern const char rlimit_names[16][11];

/* spec-defaults.c: what `nanoctr run` builds by default — mounts, masked
 * and read-only paths, capabilities, namespaces — as a spec; `nanoctr spec`
 * prints it as config.json. */
void spec_defaults(struct spec *spec);

/* json-write.c: a JSON writer into a fixed buffer; overflow is sticky. */
struct jw {
	char *p, *end;
	int overflow, need_comma;
};
void jw_init(struct jw *w, char *buf, unsigned long size);
void jw_raw(struct jw *w, const char *s);
void jw_str(struct jw *w, const char *s);	/* quoted and escaped; also adds the comma */
void jw_key(struct jw *w, const char *key);	/* "key": */
void jw_u64(struct jw *w, u64 v);
void jw_s64(struct jw *w, long long v);
void jw_open(struct jw *w, char c);		/* '{' or '[' */
void jw_close(struct jw *w, char c);
void jw_strings(struct jw *w, const char *key, char *const *list);	/* "key":[...] */
int jw_finish(struct jw *w, char *buf);	/* adds "\n"; the length, or -ENOSPC */

/* oci-cmd.c: `nanoctr spec`, `nanoctr features` (exit status) */
int oci_cmd_spec(int argc, char **argv);
int oci_cmd_features(int argc, char **argv);

/* state.c: the state directory (--root), one directory per container. */
#define STATE_ROOT_DEFAULT "/run/nanoctr"
struct state {
	const char *oci_version, *id, *status, *bundle, *rootfs, *created, *owner;
	int pid;
	u64 pid_start;			/* field 22 of /proc/PID/stat, against pid reuse */
	const struct spec_pair *annotations;
	int annotation_count;
	/* Ours, in state.json only (not `state`, not the hooks' stdin): what
	 * create knew, so that start and delete need not load config.json for
	 * it. known: the file had them (an older nanoctr's has not); hooks: a
	 * bit (1 << HOOK_x) per kind the config has; cg: the cgroups made (to
	 * write from, and for state_read, if set, to fill). */
	int known;
	unsigned hooks;
	struct cgroup *cg;
};
int state_id_check(const char *id, char *err, unsigned long err_size);
int state_root_open(const char *root);
int state_dir_create(int root_fd, const char *id, char *err, unsigned long err_size);
int state_write(int dir_fd, const struct state *st);
int state_text(const struct state *st, char **text);
int state_read(int dir_fd, struct state *st);
int state_remove(int root_fd, const char *id);
int state_list(int root_fd, int (*each)(const char *id, void *arg), void *arg);
int state_format(const struct state *st, char *buf, unsigned long size);
char *state_now(char buf[40]);
int pid_file_write(const char *path, int pid);

/* oci-engine.c: the spec for run's engine (OCI builds) */
struct config;
void spec_to_config(const struct spec *sp, struct config *cfg, char **envp);
void oci_sysctl_joined_check(const struct spec *sp);
void cgroup_default(struct config *cfg, const char *id);

/* oci-hooks.c: hooks with the state JSON on stdin (see there for who runs which) */
void oci_hook_state(const struct state *st);
int oci_hooks(const struct spec *sp, int kind, const struct state *st, char *err, unsigned long size);
void oci_hooks_child(const struct config *cfg, int kind);

/* oci-cgroup.c: linux.resources for cgroup.c */
int oci_wanted(const struct config *cfg, int c);
int oci_limits(const struct config *cfg, int c, const char *dir, int v2);
int oci_cgroup_frozen(const char *dir, int v2);	/* 1: frozen or freezing (runc refuses it) */
void oci_cpuset_inherit(const char *dir);

/* oci-rootfs.c: in the container's setup (mount.c) */
int sysctl_path(const char *key, char *out, unsigned long size);
void oci_sysctl(const struct config *cfg, int proc);
void oci_rootfs(const struct config *cfg, int root);
void oci_root_propagation(const struct config *cfg);

#endif
