/* cpuspin SECONDS: busy-loop for SECONDS of wall time; report wall and CPU time used.
 * Under a CPU quota cpu_ms falls well below wall_ms. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ms(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: cpuspin SECONDS\n");
		return 2;
	}
	long long duration_ms = (long long)(strtod(argv[1], NULL) * 1000);
	long long start = now_ms(CLOCK_MONOTONIC);
	long long cpu_start = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	volatile unsigned long spin = 0;

	while (now_ms(CLOCK_MONOTONIC) - start < duration_ms)
		for (int i = 0; i < 10000; i++)
			spin++;
	printf("cpuspin: wall_ms=%lld cpu_ms=%lld\n", now_ms(CLOCK_MONOTONIC) - start,
	       now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start);
	return 0;
}
