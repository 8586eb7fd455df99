/* seccomp-check [-c CAPS] [-d] [-n] PROFILE.json|default — drive the seccomp
 * compiler (src/seccomp-profile.c, src/seccomp-default.c, src/seccomp-bpf.c)
 * for tests/seccomp.bats and the fuzz harness.
 * seccomp-check [-c CAPS] run PROFILE.json|default [--] COMMAND [ARG...] — compile
 * the profile for CAPS (default: this process's effective capabilities, read
 * from /proc/self/status, as nanoctr compiles for the container's), load it
 * into this process as nanoctr would (no_new_privs, seccomp(2) with the
 * profile's flags, again without them on EINVAL) and exec COMMAND under it:
 * the compiler tested in the kernel while nanoctr does not use it yet. Errors
 * as below; a failed load or exec prints "seccomp-check: ..." and exits 2 / 127.
 *
 * Parses PROFILE.json (or takes nanoctr's default), compiles it for a container
 * holding the capability mask CAPS (hex, default 0), prints
 *   instructions N
 * then loads the program in a forked child (no_new_privs, seccomp(2)) so the
 * kernel's verifier checks it, and prints "loaded" or "refused: <errno>".
 * -d dumps the program (one "code jt jf k" line per instruction) first; -n
 * skips the load; -e ARCH,NR[,ARG...] runs the program on that call (ARCH in
 * hex) and prints the action and the instructions it took; -t prints what a
 * compile costs (mean of 1000) and what the kernel's seccomp(2) load took. A profile error prints "seccomp-check: <field>: <what>" and
 * exits 1; a refused program exits 2. Built with musl-gcc, with the compiler
 * behind tests/unit/seccomp-glue.c (nanoctr's headers and libc's do not mix). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdint.h>
#include <time.h>

/* tests/unit/seccomp-glue.c */
int glue_parse(const char *text, unsigned long len, char *field, char *what);
void glue_default(void);
int glue_compile(unsigned long long caps, const void **prog);
unsigned glue_flags(void);

struct insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

static char text[1 << 20];
static long load_ns;	/* the seccomp(2) call itself, measured in the child */

static long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Load prog in a forked child, so the kernel's verifier checks it. The
 * filter may deny everything, exit included: the child reports through
 * shared memory, then spins until the parent kills it. Returns 0 or the errno. */
static int load(const struct insn *prog, int n)
{
	volatile long *result = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status, ret;
	pid_t pid;

	if (result == MAP_FAILED)
		return -1;
	*result = -1;
	pid = fork();
	if (pid == 0) {
		struct {
			unsigned short len;
			const struct insn *filter;
		} fp = { (unsigned short)n, prog };
		long r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), t0 = now_ns();

		if (r == 0)
			r = syscall(SYS_seccomp, 1, 0, &fp);
		result[1] = now_ns() - t0;
		*result = r < 0 ? errno : 0;
		for (;;)
			;
	}
	while (pid > 0 && *result == -1 && waitpid(pid, &status, WNOHANG) == 0)
		usleep(100);
	ret = (int)*result;
	load_ns = result[1];
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	munmap((void *)result, 4096);
	return ret;
}

/* Run prog on seccomp_data { nr, arch, args }: returns the action, *steps the
 * instructions executed (the filter's cost for that call). */
static uint32_t run(const struct insn *prog, int n, uint32_t arch, uint32_t nr,
		    const unsigned long long *args, int *steps)
{
	uint32_t data[16] = { nr, arch, 0, 0 }, a = 0;

	for (int i = 0; i < 6; i++) {
		data[4 + 2 * i] = (uint32_t)args[i];
		data[5 + 2 * i] = (uint32_t)(args[i] >> 32);
	}
	*steps = 0;
	for (int pc = 0; pc < n; pc++) {
		const struct insn *in = &prog[pc];

		++*steps;
		switch (in->code) {
		case 0x20: a = data[in->k / 4]; break;
		case 0x54: a &= in->k; break;
		case 0x05: pc += in->k; break;
		case 0x15: pc += a == in->k ? in->jt : in->jf; break;
		case 0x35: pc += a >= in->k ? in->jt : in->jf; break;
		case 0x25: pc += a > in->k ? in->jt : in->jf; break;
		case 0x06: return in->k;
		default: return 0xdeadbeef;
		}
	}
	return 0xdeadbeef;
}

/* This process's effective capabilities (CapEff in /proc/self/status), or 0. */
static unsigned long long own_caps(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long caps = 0;

	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "CapEff:", 7))
			caps = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return caps;
}

/* run mode: load prog into this process (as src/seccomp.c of the seccomp
 * branch does) and exec cmd under it. */
static int load_and_exec(const struct insn *prog, int n, char **cmd)
{
	struct {
		unsigned short len;
		const struct insn *filter;
	} fp = { (unsigned short)n, prog };
	unsigned flags = glue_flags();
	long r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);

	if (r == 0)
		r = syscall(SYS_seccomp, 1, flags, &fp);
	if (r < 0 && errno == EINVAL && flags)
		r = syscall(SYS_seccomp, 1, 0, &fp);
	if (r < 0) {
		fprintf(stderr, "seccomp-check: seccomp: %s\n", strerror(errno));
		return 2;
	}
	execvp(cmd[0], cmd);	/* the profile must allow execve, as under runc */
	return 127;
}

int main(int argc, char **argv)
{
	unsigned long long caps = 0;
	int dump = 0, noload = 0, opt, n;
	char field[96], what[160];
	const struct insn *program;

	const char *eval = NULL;

	int timing = 0, caps_given = 0;
	char **cmd = NULL;

	while ((opt = getopt(argc, argv, "+c:dne:t")) != -1) {
		if (opt == 't') {
			timing = 1;
			continue;
		}
		if (opt == 'e') {
			eval = optarg;
			continue;
		}
		if (opt == 'c')
			caps = strtoull(optarg, NULL, 16), caps_given = 1;
		else if (opt == 'd')
			dump = 1;
		else if (opt == 'n')
			noload = 1;
		else
			return 64;
	}
	if (optind < argc && !strcmp(argv[optind], "run")) {	/* run PROFILE [--] CMD... */
		if (++optind < argc - 1 && !strcmp(argv[optind + 1], "--"))
			memmove(&argv[optind + 1], &argv[optind + 2], (argc - optind - 1) * sizeof(*argv)), argc--;
		if (optind > argc - 2)
			return 64;
		cmd = &argv[optind + 1];
		argc = optind + 1;
		if (!caps_given)
			caps = own_caps();
	}
	if (optind != argc - 1)
		return 64;
	if (!strcmp(argv[optind], "default")) {
		glue_default();
	} else {
		FILE *f = fopen(argv[optind], "r");
		size_t len;

		if (!f) {
			perror(argv[optind]);
			return 64;
		}
		len = fread(text, 1, sizeof text, f);
		fclose(f);
		if (glue_parse(text, len, field, what) < 0) {
			fprintf(cmd ? stderr : stdout, "seccomp-check: %s: %s\n", field, what);
			return 1;
		}
	}
	n = glue_compile(caps, (const void **)&program);
	if (n < 0) {
		fprintf(cmd ? stderr : stdout, "seccomp-check: too large\n");
		return 1;
	}
	if (cmd)	/* run mode: nothing on stdout but the command's */
		return load_and_exec(program, n, cmd);
	printf("instructions %d\n", n);
	if (timing) {	/* -t: the compile's and the kernel's load's cost */
		long t0 = now_ns();

		for (int i = 0; i < 1000; i++)
			glue_compile(caps, (const void **)&program);
		printf("compile %ld us\n", (now_ns() - t0) / 1000 / 1000);
		load(program, n);
		printf("load %ld us\n", load_ns / 1000);
	}
	if (dump)
		for (int i = 0; i < n; i++)
			printf("%04x %u %u 0x%x\n", program[i].code, program[i].jt, program[i].jf,
			       program[i].k);
	if (eval) {	/* -e ARCH,NR[,ARG...] (hex ARCH, e.g. c000003e) */
		unsigned long long args[6] = { 0 };
		char *p = (char *)eval;
		uint32_t arch = (uint32_t)strtoul(p, &p, 16), nr = 0;
		int steps;

		if (*p == ',')
			nr = (uint32_t)strtoul(p + 1, &p, 0);
		for (int i = 0; i < 6 && *p == ','; i++)
			args[i] = strtoull(p + 1, &p, 0);
		uint32_t ret = run(program, n, arch, nr, args, &steps);
		printf("action 0x%08x after %d instructions\n", ret, steps);
	}
	if (noload)
		return 0;
	int ret = load(program, n);
	if (ret == 0) {
		printf("loaded\n");
		return 0;
	}
	printf("refused: %s\n", strerror(ret));
	return 2;
}
