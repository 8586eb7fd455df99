/* nanoctr: what the files of src/ share — the one configuration the parser
 * fills, and each file's entry points. */
#ifndef NANOCTR_H
#define NANOCTR_H

#include "syscalls/syscalls.h"

#define NORETURN __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PATH_LIMIT	4096	/* PATH_MAX: longer paths are refused up front */
#define MAX_ENV		64	/* -e options before the array grows (args.c); exec --env */
#define MAX_MOUNTS	32	/* -v and --tmpfs options before the array grows */
#define HOST_NAME_MAX	64	/* <bits/local_lim.h>; sethostname(2) EINVAL beyond */
#define TMPFS_DATA_MAX	256	/* --tmpfs DST:OPTIONS, the options */
#define DEFAULT_ROOTFS	"/tmp/alpine-rootfs"
#define DEFAULT_PATH	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* exit statuses of nanoctr itself, as docker's */
#define EXIT_SETUP	125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND	127

enum mount_kind { MOUNT_BIND, MOUNT_TMPFS };	/* TMPFS: a new filesystem (OCI: of fstype) */

struct mount_request {
	const char *source;	/* host path (bind) */
	const char *target;	/* path inside the container, cleaned (no ., .., //) */
	int kind;
	int read_only;		/* bind: :ro */
	unsigned long flags;	/* tmpfs: MS_* flags; OCI bind: ro, nosuid, nodev, noexec, MS_REC */
	const char *data;	/* tmpfs: size=, mode=, ... for the kernel, or "" */
	const char *fstype;	/* OCI, MOUNT_TMPFS: the filesystem type (proc, mqueue, ...) */
	unsigned long propagation;	/* OCI: MS_SHARED/SLAVE/PRIVATE/UNBINDABLE [|MS_REC], 0: as made */
};

enum {
	OPT_NET_HOST	= 1 << 0,
	OPT_READ_ONLY	= 1 << 1,
	OPT_INIT	= 1 << 2,
	OPT_TTY		= 1 << 3,
	OPT_INTERACTIVE	= 1 << 4,
	OPT_PRIVILEGED	= 1 << 5,
	OPT_NO_SECCOMP	= 1 << 6,
	OPT_USER	= 1 << 7,
	OPT_GROUP	= 1 << 8,	/* -u X:GID: a numeric group, in gid */
	OPT_CAP_ADD_ALL	= 1 << 9,	/* --cap-add ALL */
	OPT_CAP_DROP_ALL = 1 << 10,	/* --cap-drop ALL */
	OPT_NO_NNP	= 1 << 11,	/* OCI: noNewPrivileges false and no seccomp asked */
	OPT_CG_LOOKUP	= 1 << 12,	/* OCI delete/kill: find the cgroups, make nothing */
	OPT_USERNS	= 1 << 13,	/* rootless: a user namespace of its own (userns.c) */
	OPT_GROUPS_LOCKED = 1 << 14,	/* ... mapping only the caller: setgroups denied */
	OPT_DEFAULT_ROOTFS = 1 << 15,	/* neither --rootfs nor $NANOCTR_ROOTFS: DEFAULT_ROOTFS */
};

struct spec;
struct spec_device_rule;

/* The OCI runtime (oci-run.c and what it links) is built with `make OCI=1`:
 * it does not fit the 64 KiB budget yet (see the notes). Without it, the
 * engine's OCI branches are dead code and drop out. */
#ifdef NANOCTR_OCI
#define SPEC(cfg)	((cfg)->spec)
#else
#define SPEC(cfg)	((const struct spec *)0)
#endif

struct config {
	const char *rootfs;
	int rootfs_fd;			/* rootfs_check() opened and checked it: the child must find this inode */
	const char *name;
	const char *hostname;
	const char *workdir;
	char **command;			/* argv of the command, NULL-terminated */
	char **host_env;
	/* run: MAX_ENV + 8 and MAX_MOUNTS entries on main()'s stack, grown by
	 * args.c past them; OCI: sized from the config (oci-engine.c) */
	const char **env;		/* the container's environment, NULL-terminated */
	int env_count, env_room;
	struct mount_request *mounts;
	int mount_count, mount_room;
	unsigned options;		/* OPT_* */
	unsigned uid, gid;
	const char *user_name;		/* -u NAME: resolved inside the container */
	const char *group_name;
	u64 caps;			/* capabilities the container keeps */
	u64 cap_add, cap_drop;		/* --cap-add, --cap-drop (ALL: OPT_CAP_*_ALL) */
	u64 memory;			/* bytes, 0 = no limit */
	const char *memory_text;	/* as the user wrote it, for the OOM message */
	long pids;			/* 0 = no limit */
	unsigned cpu_quota;		/* microseconds per 100 ms period, 0 = none */
	const char *cgroup_parent;
	struct winsize console_size;	/* -t: the pty's size at start (OCI process.consoleSize) */
	char hostname_env[9 + HOST_NAME_MAX + 1];	/* "HOSTNAME=..." */
	/* OCI (oci-run.c); all 0 for `run`. With spec set, the init stops just
	 * before its execve() until `start` opens exec_fifo (runc's handshake). */
	const struct spec *spec;
	int exec_fifo;			/* O_PATH fd of the state directory's exec.fifo */
	int console_sock;		/* --console-socket, connected; -1: none */
	int preserve_fds;		/* fds 3 .. 3+N-1 reach the container */
	int pid;			/* out: the init's pid */
	const char *cgroup_path;	/* linux.cgroupsPath: the container's cgroup itself */
	/* prestart and createRuntime hooks: run by the runtime once the child's
	 * mounts are made, before its root switch (run.c's setup_wait calls it
	 * with the child's pid). Returns 0, or -1 having said why; NULL: none. */
	int (*runtime_hooks)(int pid);
	struct cgroup *cgroup_out;	/* out, if set: the cgroups made for the init */
};

static inline int config_has_limits(const struct config *cfg)
{
	return cfg->memory || cfg->pids || cfg->cpu_quota;
}

/* args.c */
extern const char default_home[];	/* "HOME=/root": user.c may replace it */
int args_parse_run(struct config *cfg, int argc, char **argv, char **envp);
void usage(int fd);

/* run.c: the parent side of `run` */
int run_container(struct config *cfg);

/* oci-run.c: the OCI child's extras (rlimits, groups, umask, oom score) */
void oci_child_setup(const struct config *cfg);
const u32 *oci_groups(const struct config *cfg, int *count);
int oci_main(int argc, char **argv, char **envp);
unsigned long oci_clone_flags(const struct spec *spec);

/* The container's setup (the child) runs on this stack and keeps here what
 * is its alone. Under CLONE_VM it lies in the parent's memory: the parent
 * fills it before clone() and never reads it afterwards (see run.c). */
struct child_area {
	char stack[64 << 10] __attribute__((aligned(16)));
	int report_fd;		/* the report pipe's write end, for die() */
	int hooks[2];		/* OCI runtime hooks: the request's write end, the answer's read end */
};
extern struct child_area child_area;

/* The child's ends of its channels to the parent (run.c). */
struct child_channels {
	int start;		/* pipe: the parent's go, one byte */
	int report;		/* pipe: the "exec next" mark, or one failure report */
	int pty;		/* -t: socket that carries the pty master, else -1 */
	const struct cgroup *cg;	/* its cgroups, made before the clone: it joins the v1 ones */
};

/* run.c: OCI's foreground run and exec (see there) */
int supervise_child(int pid, int master);
int tty_receive_master(int sock);

/* container.c: the child, from clone() to the exec */
NORETURN void container_main(const struct config *cfg, const struct child_channels *ch);
void send_master(int sock, int master, const char *what);

/* exec.c: the command's exec, for container.c and init.c */
int fds_close_inherited(unsigned how);
int fds_close_from(int first, unsigned how);
int workdir_enter(const struct config *cfg);
void workdir_check(const struct config *cfg, int entered);
NORETURN void exec_command(const struct config *cfg, int slave);

/* rootfs.c */
void rootfs_check(struct config *cfg);
void switch_root(int root);

/* resolve.c */
int resolve_in_root(int root, const char *path);
int resolve_create(int root, const char *path, int is_dir);
int open_image_file(const char *path);
int mount_id(int fd, u64 *id);
int same_inode(int a, int b);
char *fd_path(char buf[32], int fd);

/* mount.c, mountflags.c */
void mount_container(const struct config *cfg);
NORETURN void mount_failed(const char *what, int err);
void mount_or_die(const char *src, const char *dst, const char *type,
		  unsigned long flags, const char *data);
void mount_tree_flags(int mnt, const char *what, unsigned attr);

/* cgroup.c */
enum { CG_MEMORY, CG_PIDS, CG_CPU, CG_DEVICES, CG_FREEZER, CG_CPUSET, CG_CONTROLLERS };
struct cgroup {
	int count;			/* directories created */
	int v2[CG_CONTROLLERS];
	char mounts[CG_CONTROLLERS][64];	/* the hierarchy of each controller used */
	int dir_of[CG_CONTROLLERS];	/* index into dirs, -1 when unused */
	char dirs[CG_CONTROLLERS][PATH_LIMIT / 4];
};
void cgroup_check(const struct config *cfg, struct cgroup *cg);
int cgroup_prepare(const struct config *cfg, struct cgroup *cg);
int cgroup_enter(struct cgroup *cg, int pid, int skip_v1);
void cgroup_join(const struct cgroup *cg);
int cgroup_oom_killed(struct cgroup *cg, int status);
void cgroup_destroy(struct cgroup *cg);
int cgroup_update(const struct config *cfg, struct cgroup *cg);
/* dir/file = value; 0, or -1 having said why (optional: ENOENT is 0) */
int write_limit(const char *dir, const char *file, const char *value, int optional);
/* cgroup-devices.c: linux.resources.devices on dir (v1 files or the v2
 * eBPF program); 0, or -1 having said why */
int devices_apply(const struct config *cfg, const char *dir, int v2);
void cgroup_mount_view(void);

/* user.c */
void user_resolve(const struct config *cfg, unsigned *uid, unsigned *gid);
char *const *user_environment(const struct config *cfg);
const u32 *user_groups(int *count);

/* userns.c: rootless, and OCI's user namespace */
#define USERNS_MAPS	16	/* lines of a uid_map or gid_map (the kernel takes 340) */
struct userns {
	int count[2];			/* lines of the uid map, the gid map */
	u32 map[2][USERNS_MAPS][3];	/* each: inside, outside, size */
	int helper[2];			/* written by newuidmap/newgidmap, not by us */
};
void userns_check(struct config *cfg, struct userns *u);
int userns_map(const struct userns *u, int pid);
NORETURN void userns_unmapped(void);

/* security.c */
int caps_parse(const char *name, u64 *mask);

/* capability-names.c: the kernel's names without "CAP_", by number */
#define CAP_NAME_COUNT	41
extern const char cap_names[CAP_NAME_COUNT][19];
u64 caps_resolve(const struct config *cfg);
void security_apply(const struct config *cfg, unsigned uid, unsigned gid, int entered);
void caps_check(const struct config *cfg);
/* seccomp.c: the filter for a process holding caps (the default profile, or
 * the one loaded below); a profile from --security-opt seccomp=PATH (exits
 * 125 with one line when bad); config.json's linux.seccomp, the object token
 * obj of j: 0, or -EINVAL with "linux.seccomp.<field>: <what>" in field. */
void seccomp_install(u64 caps);
/* A given profile (seccomp=FILE) compiled for caps: exits 125 with one line
 * if it exceeds the kernel's 4096 instructions. A profile's size depends on
 * the caps (docker's includes/excludes), and the ones checked at load
 * (none, all) do not bound every set between. The default: nothing to do. */
void seccomp_check(u64 caps);
void seccomp_load_profile(const char *path);
struct json;
int seccomp_load_json(const struct json *j, unsigned obj, char *field, unsigned long size);

/* init.c */
NORETURN void init_main(const struct config *cfg, int slave);

/* tty.c */
#define TTY_POLL_FDS 3
void tty_window_size(struct winsize *size);
void tty_open_pty(const struct winsize *size, int *master, int *slave);
void tty_hand_stdio(int slave, unsigned uid);
void tty_attach(int slave);
int tty_is_terminal(int fd);
void tty_relay_begin(int master, int interactive);
void tty_resize(void);
void tty_relay_poll(struct pollfd fds[TTY_POLL_FDS]);
void tty_relay_pump(struct pollfd fds[TTY_POLL_FDS], int pid);
void tty_relay_end(void);

/* out.c */
extern int log_fd, log_json, exit_error;
extern void (*die_hook)(void);
void error_line(const char *line, size_t len);
void report_close(void);
void report_exec_next(void);
NORETURN void die(const char *what, int err);
NORETURN void die_code(int code, const char *what, const char *why);
void warn(const char *what, int err);
void say(const char *what, const char *why);
void warn_text(const char *head, const char *tail);
const char *errno_text(int err);
void put(int fd, const char *s);

/* lib.c */
size_t str_len(const char *s);
int str_eq(const char *a, const char *b);
const char *str_prefix(const char *s, const char *prefix);
char *str_chr(const char *s, int c);
char *cat(char *dst, char *end, const char *src);
char *cat_u64(char *dst, char *end, u64 v);
char *concat(char *buf, size_t size, const char *a, const char *b, const char *c);
int parse_u64(const char *s, const char **endp, u64 *out);
int size_parse(const char *text, u64 limit, u64 *bytes);	/* lib.c: go-units RAMInBytes */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int read_file(const char *path, char *buf, size_t size);
int write_file(const char *path, const char *text);

#endif
