/* bench/rss.c — a runtime's own peak RSS (issue 14; replaces the bash sampler).
 *
 *   rss [-w COMM] -o FILE CMD [ARG...]
 *
 * Runs CMD (execvp) as a traced child and writes one line to FILE:
 *   <peak KiB> <helper KiB> <helpers> <seen> <exit status>
 * - peak: VmHWM of CMD's own process, read at its PTRACE_EVENT_EXIT stop, i.e. after
 *   its last allocation and before the kernel frees its memory (exit_mm() runs after
 *   ptrace_event(PTRACE_EVENT_EXIT) in do_exit(), kernel/exit.c). VmHWM is per mm, so
 *   after the wrappers' execve()s (unshare, the crun namespace script) it is the
 *   runtime's alone. Only that one thread is traced: no PTRACE_O_TRACECLONE, so the
 *   container and the runtime's other processes run untraced.
 * - helpers: once a descendant whose comm is COMM (the container command, e.g. sleep)
 *   appears, the VmHWM of every other descendant (e.g. bwrap's PID-1 helper, a
 *   runtime's waiting parent) is read once and summed; the container is never counted.
 * - seen: 1 if the COMM descendant was seen (0 without -w).
 * Exit status: CMD's (128+signal if killed); 2 on a usage or tracing error.
 * Not part of nanoctr: built with musl-gcc or cc by bench/run.sh. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* VmHWM of PID in KiB, or -1 when it has no mm (zombie, kernel thread) or is gone. */
static long hwm(pid_t pid)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

struct proc { pid_t pid, ppid; char comm[32]; };

/* Every process's pid, parent and comm; returns how many, at most MAX. */
static int scan(struct proc *p, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while (n < max && (e = readdir(d))) {
		char path[300], buf[512], *l, *r;
		FILE *f;
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		if (!fgets(buf, sizeof(buf), f)) { fclose(f); continue; }
		fclose(f);
		l = strchr(buf, '('); r = strrchr(buf, ')');
		if (!l || !r || r < l)
			continue;
		p[n].pid = atoi(buf);
		snprintf(p[n].comm, sizeof(p[n].comm), "%.*s", (int)(r - l - 1), l + 1);
		p[n].ppid = atoi(r + 4); /* ") S ppid" */
		n++;
	}
	closedir(d);
	return n;
}

static int descends(struct proc *p, int n, pid_t pid, pid_t root)
{
	for (int hops = 0; hops < 64 && pid > 1; hops++) {
		int i;
		if (pid == root)
			return 1;
		for (i = 0; i < n && p[i].pid != pid; i++)
			;
		if (i == n)
			return 0;
		pid = p[i].ppid;
	}
	return 0;
}

/* If a descendant of ROOT named COMM runs, sum the VmHWM of the others; returns 1 then. */
static int sample_helpers(pid_t root, const char *comm, long *sum, int *count)
{
	static struct proc p[65536];
	int n = scan(p, 65536), seen = 0;

	for (int i = 0; i < n; i++)
		if (p[i].pid != root && !strcmp(p[i].comm, comm) && descends(p, n, p[i].pid, root))
			seen = 1;
	if (!seen)
		return 0;
	*sum = 0; *count = 0;
	for (int i = 0; i < n; i++) {
		long v;
		if (p[i].pid == root || !strcmp(p[i].comm, comm) || !descends(p, n, p[i].pid, root))
			continue;
		if ((v = hwm(p[i].pid)) >= 0) { *sum += v; (*count)++; }
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *comm = NULL, *out = NULL;
	long peak = -1, hsum = 0;
	int opt, hn = 0, seen = 0, status, code;
	pid_t pid;
	FILE *f;

	while ((opt = getopt(argc, argv, "+w:o:")) != -1) {
		if (opt == 'w') comm = optarg;
		else if (opt == 'o') out = optarg;
		else return 2;
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "usage: rss [-w COMM] -o FILE CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) { perror("rss: fork"); return 2; }
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 || raise(SIGSTOP) < 0)
			_exit(126);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rss: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
	    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL) < 0 ||
	    ptrace(PTRACE_CONT, pid, 0, 0) < 0) {
		perror("rss: ptrace");
		kill(pid, SIGKILL);
		return 2;
	}
	for (;;) {
		int r = waitpid(pid, &status, comm && !seen ? WNOHANG : 0), sig = 0;
		if (r < 0) { perror("rss: waitpid"); return 2; }
		if (r == 0) { /* still running: look for the container every 2 ms */
			struct timespec ts = { 0, 2000000 };
			seen = sample_helpers(pid, comm, &hsum, &hn);
			if (!seen)
				nanosleep(&ts, NULL);
			continue;
		}
		if (WIFEXITED(status)) { code = WEXITSTATUS(status); break; }
		if (WIFSIGNALED(status)) { code = 128 + WTERMSIG(status); break; }
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			peak = hwm(pid); /* stopped at exit, memory not yet freed */
		else if (status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
			sig = WSTOPSIG(status); /* a signal: deliver it */
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	if (!(f = fopen(out, "w"))) { perror(out); return 2; }
	fprintf(f, "%ld %ld %d %d %d\n", peak, hsum, hn, seen, code);
	return fclose(f) ? 2 : code;
}
