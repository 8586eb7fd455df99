/* seccomp-deny NR ERRNO CMD [ARG...] — run CMD with system call NR failing with
 * ERRNO: a kernel without that call, as far as CMD can tell. ERRNO "kill": the
 * process making call NR is killed (SIGSYS) instead. Runs on the host,
 * to drive nanoctr's fallbacks (close_range, seccomp(2)) for real. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct sock_filter { unsigned short code; unsigned char jt, jf; unsigned int k; };
struct sock_fprog { unsigned short len; struct sock_filter *filter; };

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: seccomp-deny NR ERRNO CMD [ARG...]\n");
		return 2;
	}
	unsigned nr = (unsigned)strtoul(argv[1], NULL, 0);
	unsigned err = (unsigned)strtoul(argv[2], NULL, 0);
	unsigned action = strcmp(argv[2], "kill") ? 0x00050000U | err	/* ERRNO(err) */
						   : 0x80000000U;		/* KILL_PROCESS */
	struct sock_filter f[] = {
		{ 0x20, 0, 0, 0 },			/* ld nr */
		{ 0x15, 0, 1, nr },			/* jeq nr */
		{ 0x06, 0, 0, action },
		{ 0x06, 0, 0, 0x7fff0000U },		/* ret ALLOW */
	};
	struct sock_fprog prog = { 4, f };

	if (prctl(PR_SET_SECCOMP, 2, &prog, 0, 0) != 0) {
		fprintf(stderr, "seccomp-deny: %s\n", strerror(errno));
		return 2;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "seccomp-deny: %s: %s\n", argv[3], strerror(errno));
	return 127;
}
