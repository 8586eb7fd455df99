/* forkloop N: fork N children that sleep, report how many forks worked and the first
 * failure, then kill and reap them. Under a pids limit fork fails with EAGAIN. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: forkloop N\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	pid_t *kids = calloc(n > 0 ? n : 1, sizeof *kids);
	long started = 0;
	int fork_errno = 0;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			fork_errno = errno;
			break;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			sleep(30);
			_exit(0);
		}
		kids[started++] = pid;
	}
	printf("forkloop: started %ld of %ld, fork: %s\n", started, n,
	       fork_errno ? strerror(fork_errno) : "none");
	fflush(stdout);
	for (long i = 0; i < started; i++)
		kill(kids[i], SIGKILL);
	for (long i = 0; i < started; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
