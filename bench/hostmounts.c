/* bench/hostmounts.c — a host with many mounts, for the mount-scale rows (issue 14).
 *
 *   hostmounts N DIR CMD [ARG...]
 *
 * Enters a new mount namespace, makes every mount in it private (what
 * `unshare -m --propagation private` does), mounts N small tmpfs on DIR/0 … DIR/N-1
 * (DIR must exist; the mountpoints are created), then execs CMD. The mounts exist only
 * in that namespace: they vanish when its last process exits, nothing to clean up.
 * With N = 0 it is the base case: the same private namespace, nothing added.
 * Exit status: CMD's; 2 when the namespace or a mount cannot be made.
 * Not part of nanoctr: built with musl-gcc or cc by bench/run.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096];
	long n;

	if (argc < 4 || (n = strtol(argv[1], NULL, 10)) < 0) {
		fprintf(stderr, "usage: hostmounts N DIR CMD [ARG...]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "hostmounts: private mount namespace: %s\n", strerror(errno));
		return 2;
	}
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%ld", argv[2], i);
		if ((mkdir(path, 0755) < 0 && errno != EEXIST) ||
		    mount("hostmounts", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,nr_inodes=16") < 0) {
			fprintf(stderr, "hostmounts: %s: %s\n", path, strerror(errno));
			return 2;
		}
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "hostmounts: %s: %s\n", argv[3], strerror(errno));
	return 127;
}
