/* memhog MIB: allocate and touch MIB MiB, 1 MiB at a time, then report.
 * Under a memory limit it is OOM-killed before it can print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: memhog MIB\n");
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
	return 0;
}
