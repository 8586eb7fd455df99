/* orphans N: make N orphans. Each child forks a grandchild and exits at once; the
 * grandchild exits 0.2 s later, reparented to PID 1, which must reap it or keep a zombie. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: orphans N\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	pid_t *kids = calloc(n > 0 ? n : 1, sizeof *kids);
	long made = 0;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("orphans: fork");
			break;
		}
		if (pid == 0) {
			if (fork() == 0) {
				struct timespec delay = { 0, 200 * 1000 * 1000 };
				nanosleep(&delay, NULL);
			}
			_exit(0);
		}
		kids[made++] = pid;
	}
	/* Only our own children: run as PID 1, the orphans stay zombies until we exit. */
	for (long i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	sleep(1);
	printf("orphans: made %ld\n", made);
	return 0;
}
