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
		made++;
	}
	while (wait(NULL) > 0)
		;
	sleep(1);
	printf("orphans: made %ld\n", made);
	return 0;
}
