/* --init: nanoctr stays the container's PID 1, as tini and catatonit do:
 * fork the command into a process group of its own, forward every signal
 * but SIGCHLD to that group (so `sh -c 'sleep 30'` stops on one SIGINT, as
 * at a terminal), reap every child (orphans are reparented here), exit with
 * the command's status. */
#include "src/nanoctr.h"

NORETURN void init_main(const struct config *cfg, int slave)
{
	sigset_t all = ~0UL & ~(SIGBIT(SIGKILL) | SIGBIT(32) | SIGBIT(33)), old;
	int pid, status, ret;

	/* Not dumpable: the container cannot open /proc/1/exe (the host's
	 * binary, CVE-2019-5736) or ptrace this process. */
	sys_prctl(PR_SET_DUMPABLE, 0, 0);
	sys_sigprocmask(SIG_SETMASK, &all, &old);
	pid = sys_clone(SIGCHLD);
	if (pid < 0)
		die("fork", pid);
	/* Both sides set the group, so no signal can come before it. With -t
	 * the command makes a session of its own instead (a group leader
	 * could not). */
	if (pid == 0) {
		if (slave < 0)
			sys_setpgid(0, 0);
		sys_sigprocmask(SIG_SETMASK, &old, NULL);
		exec_command(cfg, slave);
	}
	if (slave < 0)
		sys_setpgid(pid, pid);
	if (slave >= 0)
		sys_close(slave);
	/* Close the report pipe here: the parent sees its end once the command
	 * has exec'd and holds the only other copy. Then everything else we
	 * inherited: we live on in the container. */
	report_close();
	fds_close_inherited(0);
	for (;;) {
		int sig = sys_sigwait(&all);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			/* before the -t command's setsid() there is no group yet */
			if (sys_kill(-pid, sig) < 0)
				sys_kill(pid, sig);
			continue;
		}
		while ((ret = sys_wait4(-1, &status, WNOHANG)) > 0)
			if (ret == pid)
				sys_exit(WIFEXITED(status) ? WEXITSTATUS(status)
					 : 128 + WTERMSIG(status));
	}
}
