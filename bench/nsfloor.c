/* The kernel's floor for a container start: clone() into the namespaces
 * nanoctr creates (mount, UTS, IPC, PID, network), execve the command, wait.
 * No mounts, no root switch, no privileges dropped: what no runtime that
 * supervises its container can go below. Built by bench/run.sh. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET;
	int status;
	pid_t pid;

	if (argc < 2)
		return 2;
	pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
