/* The config.json loader's typed field reads (null = absent, a wrong type
 * = an error at the value's offset) and its one-line errors naming the
 * field, e.g. `config.json: process.user.uid: number out of range at offset 71`. */
#include "src/oci-loader.h"

void ld_push(struct loader *L, const char *key, int index)
{
	L->at[L->depth].key = key;
	L->at[L->depth++].index = index;
}

/* s into [p, end) on one line whatever it holds: controls, '"' and '\\'
 * escaped (\xNN, \", \\); "..." when cut at the end of the buffer. */
static char *cat_escaped(char *p, char *end, const char *s)
{
	for (; *s && p < end - 8; s++) {
		unsigned char c = *s;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			*p++ = '\\';
			if (c != '"' && c != '\\') {
				*p++ = 'x';
				*p++ = "0123456789abcdef"[c >> 4];
				c = "0123456789abcdef"[c & 15];
			}
		}
		*p++ = c;
	}
	*p = 0;
	return *s ? cat(p, end, "...") : p;
}

/* "config.json: <field>: <what>[ "<quoted>"]" into L->err; returns -1. */
int ld_fail_quoted(struct loader *L, const char *what, const char *quoted)
{
	char *p = L->err, *end = L->err + L->err_size - 1;

	p = cat(p, end, "config.json: ");
	for (int i = 0; i < L->depth; i++) {
		if (L->at[i].key) {
			if (i)
				p = cat(p, end, ".");
			p = cat_escaped(p, end, L->at[i].key);
		} else {
			p = cat_u64(cat(p, end, "["), end, L->at[i].index);
			p = cat(p, end, "]");
		}
	}
	if (L->depth)
		p = cat(p, end, ": ");
	p = cat(p, end, what);
	if (quoted)
		cat(cat_escaped(cat(p, end, " \""), end, quoted), end, "\"");
	return -1;
}

int ld_fail(struct loader *L, const char *what)
{
	return ld_fail_quoted(L, what, NULL);
}

/* json.c's error, with its offset */
int ld_fail_json(struct loader *L)
{
	char what[96];

	cat_u64(cat(cat(what, what + 60, L->j.error), what + 60, " at offset "), what + 95,
		L->j.error_offset);
	return ld_fail(L, what);
}

void *ld_alloc(struct loader *L, unsigned long size)
{
	char *p = (char *)(((unsigned long)L->next + 7) & ~7UL);

	if (size > (unsigned long)(L->end - p))
		return NULL;	/* cannot happen: the arena is sized for the worst case */
	L->next = p + size;
	return p;
}

int ld_fail_memory(struct loader *L)
{
	return ld_fail(L, "Cannot allocate memory");
}

/* The value of key in obj if it has type type: its token; 0 when absent or
 * null; -1 (error set, the key pushed) when of another type. On success the
 * key is pushed too: the caller pops it (L->depth--) when done. */
long ld_field(struct loader *L, unsigned obj, const char *key, int type)
{
	unsigned tok = json_get(&L->j, obj, key);

	ld_push(L, key, 0);
	if (!tok || L->j.tokens[tok].type == JSON_NULL)
		return 0;
	if (json_expect(&L->j, tok, type) < 0)
		return ld_fail_json(L);
	return tok;
}

const char *ld_string(struct loader *L, unsigned tok)
{
	unsigned long cap = 3UL * (L->j.tokens[tok].end - L->j.tokens[tok].start) + 1;
	char *s = ld_alloc(L, cap);
	long n;

	if (!s)
		return ld_fail_memory(L), NULL;
	n = json_string(&L->j, tok, s, cap);
	if (n < 0)
		return ld_fail_json(L), NULL;
	L->next = s + n + 1;
	return s;
}

/* A string field: *out stays as it was when absent. */
int ld_get_string(struct loader *L, unsigned obj, const char *key, const char **out)
{
	long tok = ld_field(L, obj, key, JSON_STRING);

	TRY(tok);
	if (tok && !(*out = ld_string(L, tok)))
		return -1;
	L->depth--;
	return 0;
}

int ld_get_bool(struct loader *L, unsigned obj, const char *key, int *out)
{
	unsigned tok = json_get(&L->j, obj, key);

	ld_push(L, key, 0);
	if (tok && L->j.tokens[tok].type != JSON_NULL && json_bool(&L->j, tok, out) < 0)
		return ld_fail_json(L);
	L->depth--;
	return 0;
}

/* An integer field in [min, max]; *present set to 1 when given. */
int ld_get_int(struct loader *L, unsigned obj, const char *key, long long min,
		   long long max, long long *out, int *present)
{
	unsigned tok = json_get(&L->j, obj, key);

	ld_push(L, key, 0);
	if (tok && L->j.tokens[tok].type != JSON_NULL) {
		if (json_int(&L->j, tok, min, max, out) < 0)
			return ld_fail_json(L);
		if (present)
			*present = 1;
	}
	L->depth--;
	return 0;
}

int ld_get_u32(struct loader *L, unsigned obj, const char *key, u32 *out)
{
	long long v = *out;

	TRY(ld_get_int(L, obj, key, 0, 0xffffffffLL, &v, NULL));
	*out = (u32)v;
	return 0;
}

int ld_get_u64(struct loader *L, unsigned obj, const char *key, u64 *out)
{
	unsigned tok = json_get(&L->j, obj, key);

	ld_push(L, key, 0);
	if (tok && L->j.tokens[tok].type != JSON_NULL &&
	    json_uint(&L->j, tok, ~0ULL, (unsigned long long *)out) < 0)
		return ld_fail_json(L);
	L->depth--;
	return 0;
}

/* An array of strings: NULL-terminated, count in *count. Absent: *out unchanged. */
int ld_get_strings(struct loader *L, unsigned obj, const char *key, char *const **out,
		       int *count)
{
	long tok = ld_field(L, obj, key, JSON_ARRAY);
	const char **list;
	int n = 0;

	TRY(tok);
	if (tok) {
		if (!(list = ld_alloc(L, (L->j.tokens[tok].count + 1) * sizeof(*list))))
			return ld_fail_memory(L);
		for (unsigned e = json_first(&L->j, tok); e; e = json_next(&L->j, e), n++) {
			ld_push(L, NULL, n);
			if (json_expect(&L->j, e, JSON_STRING) < 0)
				return ld_fail_json(L);
			if (!(list[n] = ld_string(L, e)))
				return -1;
			L->depth--;
		}
		list[n] = NULL;
		*out = (char *const *)list;
		if (count)
			*count = n;
	}
	L->depth--;
	return 0;
}

/* A map of strings (annotations, sysctl): keys as written, in order. */
int ld_get_pairs(struct loader *L, unsigned obj, const char *key,
		     const struct spec_pair **out, int *count)
{
	long tok = ld_field(L, obj, key, JSON_OBJECT);
	struct spec_pair *pairs;
	int n = 0;

	TRY(tok);
	if (tok) {
		if (!(pairs = ld_alloc(L, L->j.tokens[tok].count * sizeof(*pairs) + 1)))
			return ld_fail_memory(L);
		for (unsigned k = json_first(&L->j, tok); k; k = json_next(&L->j, k), n++) {
			if (!(pairs[n].key = ld_string(L, k)))
				return -1;
			ld_push(L, pairs[n].key, 0);
			if (json_expect(&L->j, k + 1, JSON_STRING) < 0)
				return ld_fail_json(L);
			if (!(pairs[n].value = ld_string(L, k + 1)))
				return -1;
			L->depth--;
		}
		*out = pairs;
		*count = n;
	}
	L->depth--;
	return 0;
}

/* Each element of array field key, an object, is given to fn with its index. */
int ld_each_object(struct loader *L, unsigned obj, const char *key, void *items,
		       unsigned item_size, int *count,
		       int (*fn)(struct loader *L, unsigned tok, void *item))
{
	long tok = ld_field(L, obj, key, JSON_ARRAY);
	char *base;
	int n = 0;

	TRY(tok);
	if (tok) {
		if (!(base = ld_alloc(L, L->j.tokens[tok].count * item_size + 1)))
			return ld_fail_memory(L);
		memset(base, 0, L->j.tokens[tok].count * item_size);
		for (unsigned e = json_first(&L->j, tok); e; e = json_next(&L->j, e), n++) {
			ld_push(L, NULL, n);
			if (json_expect(&L->j, e, JSON_OBJECT) < 0)
				return ld_fail_json(L);
			TRY(fn(L, e, base + n * item_size));
			L->depth--;
		}
		*(void **)items = base;
		*count = n;
	}
	L->depth--;
	return 0;
}

int ld_absolute(struct loader *L, unsigned obj, const char *key, const char **out,
		    int required)
{
	TRY(ld_get_string(L, obj, key, out));
	ld_push(L, key, 0);
	if (!*out && required)
		return ld_fail(L, "missing");
	if (*out && **out != '/')
		return ld_fail_quoted(L, "must be an absolute path, not", *out);
	L->depth--;
	return 0;
}
