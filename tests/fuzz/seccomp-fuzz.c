/* AFL++ harness for the seccomp profile compiler (src/seccomp-profile.c,
 * src/seccomp-bpf.c, through tests/unit/seccomp-glue.c): stdin is a profile.
 * The parser must accept or refuse it without a memory error (ASan/UBSan),
 * an error must name a field and say what (both NUL-terminated, non-empty
 * what), and every program compiled from an accepted profile, for a container
 * with no capability and with all of them, must hold:
 *   - at most 4096 instructions, or the compiler says too large;
 *   - every jump lands inside the program, every path ends in a ret (checked
 *     by running it on calls of each architecture and a spread of numbers);
 *   - the kernel loads it (a forked child: no_new_privs, seccomp(2)), so its
 *     verifier agrees with our checks. abort() on any broken promise.
 * Build and run: tests/fuzz/run.sh SECONDS seccomp (not part of make test). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int glue_parse(const char *text, unsigned long len, char *field, char *what);
int glue_compile(unsigned long long caps, const void **prog);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* src/security.c is linked for caps_parse; its security_apply (never called
 * here) refers to user.c's user_groups, which would pull in all of run. */
const unsigned *user_groups(int *count)
{
	*count = 0;
	return NULL;
}

struct insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

static void check_program(const struct insn *p, int n)
{
	static const uint32_t arches[] = { 0xc000003e, 0x40000003, 0xc00000b7, 0x40000028, 0 };
	static const uint32_t nrs[] = { 0, 1, 16, 39, 56, 435, 462, 1000, 0x3fffffff,
					0x40000000, 0x40000027, 0x40000201, 0xffffffff };

	CHECK(n > 0 && n <= 4096);
	for (int i = 0; i < n; i++) {
		uint16_t c = p[i].code;

		CHECK(c == 0x20 || c == 0x54 || c == 0x05 || c == 0x15 || c == 0x25 ||
		      c == 0x35 || c == 0x06);
		if (c == 0x20)
			CHECK(p[i].k < 64 && p[i].k % 4 == 0);
		if (c == 0x05)
			CHECK((uint64_t)i + 1 + p[i].k < (uint64_t)n);
		if (c == 0x15 || c == 0x25 || c == 0x35)
			CHECK(i + 1 + p[i].jt < n && i + 1 + p[i].jf < n);
	}
	for (unsigned a = 0; a < sizeof arches / sizeof arches[0]; a++)
		for (unsigned r = 0; r < sizeof nrs / sizeof nrs[0]; r++) {
			uint32_t data[16] = { nrs[r], arches[a] }, acc = 0;
			int pc, steps = 0;

			for (int i = 4; i < 16; i++)
				data[i] = (uint32_t)(r * 0x9e3779b9u + (unsigned)i * 0x10001u);
			for (pc = 0; pc < n; pc++, steps++) {
				const struct insn *in = &p[pc];

				CHECK(steps <= n);
				if (in->code == 0x06)
					break;
				switch (in->code) {
				case 0x20: acc = data[in->k / 4]; break;
				case 0x54: acc &= in->k; break;
				case 0x05: pc += in->k; break;
				case 0x15: pc += acc == in->k ? in->jt : in->jf; break;
				case 0x35: pc += acc >= in->k ? in->jt : in->jf; break;
				case 0x25: pc += acc > in->k ? in->jt : in->jf; break;
				}
			}
			CHECK(pc < n);	/* ended on a ret, never off the end */
		}
}

/* Load prog in a forked child, so the kernel's verifier checks it. The
 * filter may deny everything, exit included: the child reports through
 * shared memory, then spins until the parent kills it. Returns 0 or the errno. */
static int load(const struct insn *prog, int n)
{
	volatile int *result = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
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
		long r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);

		if (r == 0)
			r = syscall(SYS_seccomp, 1, 0, &fp);
		*result = r < 0 ? errno : 0;
		for (;;)
			;
	}
	while (pid > 0 && *result == -1 && waitpid(pid, &status, WNOHANG) == 0)
		usleep(100);
	ret = *result;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	munmap((void *)result, 4096);
	return ret;
}

static void load_check(const struct insn *prog, int n)
{
	CHECK(load(prog, n) == 0);
}

int main(void)
{
	static char buf[1 << 18];
	char field[96], what[160];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof buf && (n = read(0, buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	memset(field, 'x', sizeof field);
	memset(what, 'x', sizeof what);
	if (glue_parse(buf, len, field, what) < 0) {
		CHECK(memchr(field, 0, sizeof field) && memchr(what, 0, sizeof what) && what[0]);
		return 0;
	}
	for (int i = 0; i < 2; i++) {
		const void *prog;
		int count = glue_compile(i ? ~0ULL : 0, &prog);

		if (count < 0)
			continue;	/* too large: refused, fine */
		check_program(prog, count);
		load_check(prog, count);
	}
	return 0;
}
