/* memhog MIB [hold]: allocate and touch MIB MiB, 1 MiB at a time, then
 * report (and with "hold", keep it until killed: an exit that takes time to
 * free it). Under a memory limit it is OOM-killed before it can print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 && !(argc == 3 && !strcmp(argv[2], "hold"))) {
		fprintf(stderr, "usage: memhog MIB [hold]\n");
		return 2;
	}
	long mib = strtol(argv[1], NULL, 10);
	for (long i = 0; i < mib; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("memhog: malloc failed after %ld MiB\n", i);
			return 1;
		}
		memset(p, 0xa5, 1 << 20);
	}
	printf("memhog: ok %ld\n", mib);
	fflush(stdout);
	while (argc == 3)
		pause();
	return 0;
}
