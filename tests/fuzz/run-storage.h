/* The arrays main() gives `run`'s parser on its stack (src/main.c), for the
 * fuzz harnesses that call args_parse_run() themselves. */
#ifndef FUZZ_RUN_STORAGE_H
#define FUZZ_RUN_STORAGE_H

static inline void run_storage(struct config *cfg)
{
	static const char *env[MAX_ENV + 8];
	static struct mount_request mounts[MAX_MOUNTS];

	cfg->env = env;
	cfg->env_room = MAX_ENV + 8;
	cfg->mounts = mounts;
	cfg->mount_room = MAX_MOUNTS;
}

#endif
