/* sigtrap: wait for SIGUSR1, SIGUSR2, SIGTERM, SIGINT or SIGHUP, name it, exit 10.
 * Having handlers makes these signals deliverable even to a namespace's PID 1. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

int main(void)
{
	static const struct {
		int sig;
		const char *name;
	} trapped[] = {
		{ SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" }, { SIGTERM, "SIGTERM" },
		{ SIGINT, "SIGINT" },   { SIGHUP, "SIGHUP" },
	};
	struct sigaction sa = { 0 };
	sigset_t block, old;

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (unsigned i = 0; i < sizeof trapped / sizeof trapped[0]; i++) {
		sigaction(trapped[i].sig, &sa, NULL);
		sigaddset(&block, trapped[i].sig);
	}
	/* Block while checking `caught` so a signal between the check and the wait is
	 * not lost; sigsuspend unblocks atomically. */
	sigprocmask(SIG_BLOCK, &block, &old);
	printf("sigtrap: ready\n");
	fflush(stdout);
	while (!caught)
		sigsuspend(&old);
	for (unsigned i = 0; i < sizeof trapped / sizeof trapped[0]; i++)
		if (trapped[i].sig == caught)
			printf("sigtrap: got %s\n", trapped[i].name);
	return 10;
}
