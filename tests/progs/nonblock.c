/* nonblock FD COMMAND [ARG...]: set O_NONBLOCK on descriptor FD and exec COMMAND. The
 * flag belongs to the open file description, so COMMAND inherits a stdout that says
 * EAGAIN when full, as a node.js parent can leave it. Exits 127 if COMMAND cannot run. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, flags;

	if (argc < 3) {
		fputs("usage: nonblock FD COMMAND [ARG...]\n", stderr);
		return 2;
	}
	fd = atoi(argv[1]);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		perror("nonblock: fcntl");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
