/* Entry from start.S, and the top-level command dispatch. */
#include "src/nanoctr.h"
#include "src/spec.h"

NORETURN void start_c(long *sp);

static int main(int argc, char **argv, char **envp)
{
	struct config cfg;

	if (argc < 2)
		die_code(EXIT_SETUP, "no command", "usage: nanoctr run [OPTIONS] [--] COMMAND [ARG...] "
			 "(see nanoctr --help)");
	if (str_eq(argv[1], "--help") || str_eq(argv[1], "-h") || str_eq(argv[1], "help")) {
		usage(1);
		return 0;
	}
	if (str_eq(argv[1], "--version")) {
#ifdef NANOCTR_OCI	/* runc's second line: the runtime-spec version (podman info, CRI-O) */
		put(1, "nanoctr " NANOCTR_VERSION "\nspec: 1.0.2\n");
#else
		put(1, "nanoctr " NANOCTR_VERSION "\n");
#endif
		return 0;
	}
	if (str_eq(argv[1], "spec"))
		return oci_cmd_spec(argc - 2, argv + 2);
	if (str_eq(argv[1], "features"))
		return oci_cmd_features(argc - 2, argv + 2);
#ifdef NANOCTR_OCI
	if (argv[1][0] == '-' || !str_eq(argv[1], "run") ||
	    (argc > 2 && (str_eq(argv[2], "--bundle") || str_eq(argv[2], "-b") ||
			  str_eq(argv[2], "--detach") || str_eq(argv[2], "-d")))) {
		int ret = oci_main(argc, argv, envp);
		if (ret >= 0)
			return ret;
	}
#endif
	if (!str_eq(argv[1], "run"))
		die_code(EXIT_SETUP, argv[1], "unknown command (see nanoctr --help)");
	memset(&cfg, 0, sizeof(cfg));
	/* on this stack, not in .bss: aarch64's tiny code model holds all of
	 * the image and its .bss within 1 MiB (Makefile) */
	const char *env[MAX_ENV + 8];
	struct mount_request mounts[MAX_MOUNTS];
	cfg.env = env;
	cfg.env_room = ARRAY_SIZE(env);
	cfg.mounts = mounts;
	cfg.mount_room = ARRAY_SIZE(mounts);
	args_parse_run(&cfg, argc - 2, argv + 2, envp);
	return run_container(&cfg);
}

/* Closed fds 0-2 would be taken by our own pipes (the container would get
 * its report pipe as stdin, our errors would go into it): make each one
 * valid, /dev/null, before anything else. */
static void stdio_ensure(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (sys_fcntl(fd, F_GETFD, 0) == -EBADF) {
			int null = sys_open("/dev/null", O_RDWR, 0);
			if (null < 0)
				die("open /dev/null", null);
		}
}

NORETURN void start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	stdio_ensure();

	sys_exit(main(argc, argv, argv + argc + 1));
}
