/* same-vm PID1 PID2 — prints "shared" when the two processes share one address
 * space (kcmp KCMP_VM), else "separate". Runs on the host. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: same-vm PID1 PID2\n");
		return 2;
	}
	long r = syscall(SYS_kcmp, atoi(argv[1]), atoi(argv[2]), 1 /* KCMP_VM */, 0, 0);
	if (r < 0) {
		perror("kcmp");
		return 2;
	}
	puts(r == 0 ? "shared" : "separate");
	return 0;
}
