/* The config.json loader's internals, shared by src/oci-config.c (the
 * sections), src/oci-mount.c (mounts) and src/oci-fields.c (typed field
 * reads and error lines). Not for the engine: it uses src/spec.h. */
#ifndef OCI_LOADER_H
#define OCI_LOADER_H

#include "src/spec.h"

struct loader {
	struct json j;
	char *next, *end;		/* the arena's free part */
	int depth;			/* the field being read, for errors */
	struct { const char *key; int index; } at[8];
	char *err;
	unsigned long err_size;
};

#define TRY(x) do { if ((x) < 0) return -1; } while (0)

/* oci-fields.c: the field being read is a stack of keys/indexes (ld_push,
 * L->depth--), named in every error line; each ld_fail* fills L->err with
 * "config.json: <field>: <what>" and returns -1. */
void ld_push(struct loader *L, const char *key, int index);
int ld_fail_quoted(struct loader *L, const char *what, const char *quoted);
int ld_fail(struct loader *L, const char *what);
int ld_fail_json(struct loader *L);
int ld_fail_memory(struct loader *L);
void *ld_alloc(struct loader *L, unsigned long size);
long ld_field(struct loader *L, unsigned obj, const char *key, int type);
const char *ld_string(struct loader *L, unsigned tok);
int ld_get_string(struct loader *L, unsigned obj, const char *key, const char **out);
int ld_get_bool(struct loader *L, unsigned obj, const char *key, int *out);
int ld_get_int(struct loader *L, unsigned obj, const char *key, long long min, long long max,
	       long long *out, int *present);
int ld_get_u32(struct loader *L, unsigned obj, const char *key, u32 *out);
int ld_get_u64(struct loader *L, unsigned obj, const char *key, u64 *out);
int ld_get_strings(struct loader *L, unsigned obj, const char *key, char *const **out,
		   int *count);
int ld_get_pairs(struct loader *L, unsigned obj, const char *key,
		 const struct spec_pair **out, int *count);
int ld_each_object(struct loader *L, unsigned obj, const char *key, void *items,
		   unsigned item_size, int *count,
		   int (*fn)(struct loader *L, unsigned tok, void *item));
int ld_absolute(struct loader *L, unsigned obj, const char *key, const char **out,
		int required);

/* oci-mount.c */
int ld_load_mount(struct loader *L, unsigned tok, void *item);
int ld_propagation(struct loader *L, const char *name, unsigned long *out);
char *ld_path_clean(char *dst, const char *path);	/* lexically, as Go's filepath.Clean */
int ld_device_path(struct loader *L, const char **path);

#endif
