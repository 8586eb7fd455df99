/* AFL++ harness for the argument parser (src/args.c): stdin is split at
 * newlines into `nanoctr run` arguments; the parser must either fill the
 * config or exit 125 with one line — never crash, never overrun a buffer.
 * Build and run: tests/fuzz/run.sh (not part of make test). */
#include "src/nanoctr.h"
#include "tests/fuzz/run-storage.h"

static char input[1 << 16];

int main(void)
{
	static char *argv[512];
	static char *envp[] = { "TERM=xterm", "FOO=bar", "NANOCTR_ROOTFS=/tmp/r", NULL };
	struct config cfg;
	long n = 0, r;
	int argc = 0;

	while (n < (long)sizeof(input) - 1 && (r = sys_read(0, input + n, sizeof(input) - 1 - n)) > 0)
		n += r;
	input[n] = 0;
	for (char *p = input; argc < 511;) {
		char *nl = str_chr(p, '\n');
		argv[argc++] = p;
		if (!nl)
			break;
		*nl = 0;
		p = nl + 1;
	}
	argv[argc] = NULL;
	memset(&cfg, 0, sizeof(cfg));
	run_storage(&cfg);
	args_parse_run(&cfg, argc, argv, envp);
	/* touch what the parser built, as run_container would */
	for (int i = 0; cfg.env[i]; i++)
		n += str_len(cfg.env[i]);
	for (int i = 0; i < cfg.mount_count; i++)
		n += str_len(cfg.mounts[i].target);
	return (int)(n & 1);
}
