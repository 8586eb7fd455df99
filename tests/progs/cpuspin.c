/* cpuspin SECONDS [STATFILE]: busy-loop for SECONDS of wall time and report wall and
 * CPU time used. With STATFILE (a cgroup's cpu.stat), spin until that file's
 * nr_throttled is above 0 — the kernel's own word that the CPU quota stopped us — or
 * SECONDS have passed (a hang guard only), and report nr_throttled too. Event-based:
 * the test asserts the throttling happened, never a ratio of times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ms(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long throttled(const char *statfile)
{
	char line[128];
	long long n = -1;
	FILE *f = fopen(statfile, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "nr_throttled ", 13))
			n = atoll(line + 13);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: cpuspin SECONDS [CPU.STAT]\n");
		return 2;
	}
	long long duration_ms = (long long)(strtod(argv[1], NULL) * 1000);
	long long start = now_ms(CLOCK_MONOTONIC);
	long long cpu_start = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	long long n = 0;
	volatile unsigned long spin = 0;

	while (now_ms(CLOCK_MONOTONIC) - start < duration_ms) {
		for (int i = 0; i < 10000; i++)
			spin++;
		if (argc == 3 && (n = throttled(argv[2])) != 0)
			break;
	}
	printf("cpuspin: wall_ms=%lld cpu_ms=%lld\n", now_ms(CLOCK_MONOTONIC) - start,
	       now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start);
	if (argc == 3)
		printf("nr_throttled=%lld\n", n);
	return 0;
}
