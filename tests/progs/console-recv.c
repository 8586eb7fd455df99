/* console-recv PATH — an OCI --console-socket receiver, as conmon's: listen on
 * the AF_UNIX stream socket PATH, accept one connection, receive one message
 * that must carry >= 1 byte of data and exactly one SCM_RIGHTS control message
 * with cmsg_len == CMSG_LEN(sizeof(int)) (conmon's check), then print
 * "cmsg ok", and copy what the pty master gives to stdout until it ends.
 * Exit 1 with a line on stderr for anything else. Runs on the host. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char data[16], control[CMSG_SPACE(sizeof(int)) * 2], buf[4096];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *c;
	int s, conn, master, n;
	ssize_t got;

	if (argc != 2 || strlen(argv[1]) >= sizeof(addr.sun_path))
		return fprintf(stderr, "usage: console-recv PATH\n"), 2;
	strcpy(addr.sun_path, argv[1]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (void *)&addr, sizeof(addr)) < 0 || listen(s, 1) < 0)
		return perror("listen"), 1;
	conn = accept(s, NULL, NULL);
	if (conn < 0)
		return perror("accept"), 1;
	got = recvmsg(conn, &msg, 0);
	if (got < 1)
		return fprintf(stderr, "no data byte (%zd)\n", got), 1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)) || msg.msg_controllen != CMSG_SPACE(sizeof(int)))
		return fprintf(stderr, "bad control message\n"), 1;
	memcpy(&master, CMSG_DATA(c), sizeof(int));
	printf("cmsg ok\n");
	fflush(stdout);
	while ((n = read(master, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	return 0;
}
