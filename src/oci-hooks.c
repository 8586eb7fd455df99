/* OCI hooks (runtime-spec config.md "POSIX-platform Hooks"): each hook is a
 * program run with the container's state JSON on its stdin, in the order
 * listed, killed after its timeout. Who runs which:
 *   prestart, createRuntime   create, in the runtime's namespaces, once the
 *                             init's mounts are made, before its root switch
 *                             (the init waits for them: run.c, oci-rootfs.c)
 *   createContainer           the container's setup, in its namespaces,
 *                             before the root switch (mount.c)
 *   startContainer            the init, after start released it, before
 *                             the command's execve() (exec.c)
 *   poststart                 start, once the command runs
 *   poststop                  delete, once the container is gone
 * A failure of the first four is an error (the container is destroyed); of
 * poststart and poststop a warning, and the lifecycle goes on (runtime-spec:
 * "MUST log a warning"). */
#include "src/nanoctr.h"
#include "src/spec.h"

/* The state the container's own hooks get (its pid set by the setup). */
static struct state hook_state;

void oci_hook_state(const struct state *st)
{
	hook_state = *st;
}

/* One hook: forked, stdin a pipe holding json, stdout and stderr ours (its
 * output goes where our messages go), the environment exactly its env (as
 * runc), its working directory dir (the bundle, as runc's; NULL: ours),
 * killed with SIGKILL after timeout seconds. Returns 0 when it exits
 * 0, else -1 with why set. The pipe is written without blocking, so a hook
 * that does not read its stdin is no deadlock; SIGPIPE stays blocked here
 * (a hook that exits before reading is EPIPE, not our death). */
static int hook_run(const struct spec_hook *h, const char *dir, const char *json, long len,
		    char *why, char *end)
{
	sigset_t pipe_sig = SIGBIT(SIGPIPE), old, none = 0;
	long off = 0, n = 0, waited = 0, step = 1;
	int p[2], pid, status, ret = sys_pipe2(p, O_CLOEXEC);

	if (ret < 0) {
		cat(why, end, errno_text(ret));
		return -1;
	}
	sys_sigprocmask(SIG_BLOCK, &pipe_sig, &old);
	pid = sys_clone(SIGCHLD);
	if (pid == 0) {
		char *const argv0[] = { (char *)h->path, NULL }, *const env0[] = { NULL };
		sys_sigprocmask(SIG_SETMASK, &none, NULL);
		sys_dup3(p[0], 0, 0);
		sys_dup3(2, 1, 0);
		fds_close_from(3, CLOSE_RANGE_CLOEXEC);
		if (dir)
			sys_chdir(dir);	/* gone: ours, as a hook of runc's would fail no more */
		ret = sys_execve(h->path, h->args ? h->args : argv0, h->env ? h->env : env0);
		sys_exit(ret == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
	}
	sys_close(p[0]);
	if (pid < 0) {
		sys_close(p[1]);
		sys_sigprocmask(SIG_SETMASK, &old, NULL);
		cat(why, end, errno_text(pid));
		return -1;
	}
	sys_fcntl(p[1], F_SETFL, O_NONBLOCK);
	for (;;) {
		while (p[1] >= 0 && off < len && (n = sys_write(p[1], json + off, len - off)) > 0)
			off += n;
		if (p[1] >= 0 && (off == len || n != -EAGAIN)) {
			sys_close(p[1]);	/* all written, or the hook closed its stdin */
			p[1] = -1;
		}
		ret = sys_wait4(pid, &status, p[1] < 0 && !h->timeout ? 0 : WNOHANG);
		if (ret == pid)
			break;
		if (ret < 0 && ret != -EINTR) {
			status = 0;
			break;
		}
		if (h->timeout && waited >= h->timeout * 1000L) {
			sys_kill(pid, SIGKILL);
			while (sys_wait4(pid, &status, 0) == -EINTR)
				;
			if (p[1] >= 0)
				sys_close(p[1]);
			sys_sigprocmask(SIG_SETMASK, &old, NULL);
			cat(cat_u64(cat(why, end, "timed out after "), end, (u64)h->timeout), end, " s");
			return -1;
		}
		sys_sleep_ms(step);	/* 1, 2, 4, 8, 10, 10 ... ms */
		waited += step;
		step = step < 8 ? step * 2 : 10;
	}
	if (p[1] >= 0)
		sys_close(p[1]);
	sys_sigprocmask(SIG_SETMASK, &old, NULL);
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFEXITED(status))
		cat_u64(cat(why, end, "exited with status "), end, WEXITSTATUS(status));
	else
		cat_u64(cat(why, end, "killed by signal "), end, WTERMSIG(status));
	return -1;
}

/* Every hook of kind, in order, with st's JSON on stdin. 0, or -1 with err
 * "hooks.prestart[1]: /path: exited with status 1" (the first failure stops
 * the others); poststart and poststop failures are warnings on stderr, the
 * others still run, and 0 is returned (runtime-spec). */
int oci_hooks(const struct spec *sp, int kind, const struct state *st, char *err, unsigned long size)
{
	char *end = err + size - 1, *p, *json;
	int len;

	if (!sp->hook_count[kind])
		return 0;
	len = state_text(st, &json);
	for (int i = 0; i < sp->hook_count[kind]; i++) {
		p = cat(cat(err, end, "hooks."), end, hook_names[kind]);
		p = cat(cat_u64(cat(p, end, "["), end, (u64)i), end, "]: ");
		p = cat(cat(p, end, sp->hooks[kind][i].path), end, ": ");
		if (len < 0) {
			cat(p, end, errno_text(len));
			return -1;
		}
		/* the bundle, where it is reachable: not after the root switch */
		if (hook_run(&sp->hooks[kind][i], kind == HOOK_START_CONTAINER ? NULL : st->bundle,
			     json, len, p, end) < 0) {
			if (kind < HOOK_POSTSTART)
				return -1;
			say("warning", err);	/* and the next one runs */
		}
	}
	return 0;
}

/* In the container's setup (createContainer, before the root switch: the
 * host's /proc is still at /proc, and its "self" is our host pid) and in
 * the init after start (startContainer). A failure is the setup's: die. */
void oci_hooks_child(const struct config *cfg, int kind)
{
	char err[PATH_LIMIT], self[24];
	const char *end;
	u64 pid;
	long n;

	if (kind == HOOK_CREATE_CONTAINER) {
		n = sys_readlinkat(AT_FDCWD, "/proc/self", self, sizeof(self) - 1);
		self[n > 0 ? n : 0] = 0;
		if (parse_u64(self, &end, &pid) == 0)
			hook_state.pid = (int)pid;
	}
	/* runc 1.1: "creating" until the root is complete, "created" after */
	hook_state.status = kind == HOOK_CREATE_CONTAINER ? "creating" : "created";
	if (oci_hooks(cfg->spec, kind, &hook_state, err, sizeof(err)) < 0)
		die_code(EXIT_SETUP, err, NULL);
}
