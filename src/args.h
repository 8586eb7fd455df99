/* Shared by the argument parser's files (args.c: options, values, the
 * environment; args-mounts.c: -v and --tmpfs). Not for the rest of nanoctr. */
#ifndef ARGS_H
#define ARGS_H

#include "src/nanoctr.h"

enum option_id {
	O_ROOTFS, O_NAME, O_HOSTNAME, O_ENV, O_WORKDIR, O_USER, O_VOLUME, O_TMPFS,
	O_READ_ONLY, O_NETWORK, O_MEMORY, O_PIDS, O_CPUS, O_CGROUP_PARENT, O_INIT,
	O_TTY, O_INTERACTIVE, O_CAP_ADD, O_CAP_DROP, O_PRIVILEGED, O_SECURITY_OPT,
	O_HELP,
};

/* the name in the entry, not a pointer to it: no 8-byte pointer and no
 * separate string per option. At most 13 characters: C would quietly drop
 * the NUL of a 14th. */
struct option {
	char name[14];
	char short_name;
	char takes_value;
	char id;
};

/* "--OPTION VALUE: why" on stderr, exit 125 (value NULL: the option alone). */
NORETURN void bad_value(const struct option *opt, const char *value, const char *why);
/* An absolute path the kernel takes (under PATH_MAX), or 125. */
void check_path(const struct option *opt, const char *path);
/* An array with twice the room of old's (*room entries of size bytes), or 125. */
void *grow(const void *old, int *room, size_t size, const struct option *opt, const char *value);
/* -v SRC:DST[:MODE] (kind MOUNT_BIND) or --tmpfs DST[:OPTIONS] into cfg's mounts. */
void add_mount(struct config *cfg, const struct option *opt, char *spec, int kind);

#endif
