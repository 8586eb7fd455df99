/* AFL++ harness for the JSON parser (src/json.c): stdin is the document. The
 * parser must accept or refuse it without reading or writing out of bounds
 * (the token array and decode buffers are malloc'ed to their exact size, so
 * ASan sees any overrun), and what it builds must hold the promises of
 * src/json.h — checked here, abort() on any broken one:
 *   - len tokens always suffice (never -ENOSPC with them), and len / 2 + 1
 *     for a valid document;
 *   - every token lies inside the text, members are linked forward, counts match;
 *   - json_string output is valid UTF-8 of at most 3 * (end - start) bytes, and
 *     a buffer one byte short gives -ENAMETOOLONG, never a cut string;
 *   - json_get finds each key of an object (the last of duplicates).
 * Build and run: tests/fuzz/run.sh SECONDS json (not part of make test). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "src/json.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static int valid_utf8(const unsigned char *s, long n)
{
	for (long i = 0; i < n; ) {
		unsigned int c = s[i], len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
		unsigned int cp = len == 1 ? c : c & (0x7f >> len);

		if (!len || i + len > n)
			return 0;
		for (unsigned int k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || cp == 0)
			return 0;
		i += len;
	}
	return 1;
}

static void check_string(struct json *j, unsigned int tok)
{
	unsigned long cap = 3ul * (j->tokens[tok].end - j->tokens[tok].start) + 1;
	char *buf = malloc(cap), *small;
	long n = json_string(j, tok, buf, cap);

	if (n < 0) {
		CHECK(n == -22 /* EINVAL: \u0000 */ && j->error);
		free(buf);
		return;
	}
	CHECK((unsigned long)n < cap && (long)strlen(buf) == n && valid_utf8((unsigned char *)buf, n));
	small = malloc(n);	/* one byte short for the NUL */
	CHECK(json_string(j, tok, small, n) == -36 /* ENAMETOOLONG */);
	free(small);
	free(buf);
}

int main(void)
{
	unsigned long len = 0, cap = 1 << 16, max;
	char *text = malloc(cap), *copy;
	struct json_token *tokens;
	struct json j;
	ssize_t r;
	int err;

	while ((r = read(0, text + len, cap - len)) > 0)
		if ((len += r) == cap)
			text = realloc(text, cap *= 2);
	copy = malloc(len ? len : 1);	/* exact size: ASan catches a read past the text */
	memcpy(copy, text, len);
	max = len ? len : 1;
	tokens = malloc(max * sizeof(*tokens));
	err = json_parse(&j, copy, len, tokens, max);
	if (err) {
		CHECK(err != -28 /* ENOSPC */ && j.error && j.error_offset <= len);
		return 0;
	}
	CHECK(j.count >= 1 && j.count <= len / 2 + 1 && tokens[0].start <= tokens[0].end);
	for (unsigned int t = 0; t < j.count; t++) {
		const struct json_token *tk = &tokens[t];
		long long i;
		unsigned long long u;
		int b;

		CHECK(tk->start < tk->end && tk->end <= len && tk->type >= JSON_NULL && tk->type <= JSON_OBJECT);
		CHECK(tk->next == 0 || (tk->next > t && tk->next < j.count));
		if (tk->type == JSON_ARRAY || tk->type == JSON_OBJECT) {
			unsigned int n = 0, m, found;
			char name[64];

			for (m = json_first(&j, t); m; m = json_next(&j, m)) {
				CHECK(tokens[m].start > tk->start && tokens[m].end < tk->end);
				n++;
				if (tk->type != JSON_OBJECT)
					continue;
				CHECK(tokens[m].type == JSON_STRING && m + 1 < j.count);
				if (json_string(&j, m, name, sizeof(name)) < 0)
					continue;
				found = json_get(&j, t, name);
				CHECK(found >= m + 1 && found < j.count && tokens[found - 1].type == JSON_STRING);
			}
			CHECK(n == tk->count);
		} else {
			CHECK(tk->count == 0 && json_first(&j, t) == 0);
		}
		if (tk->type == JSON_STRING)
			check_string(&j, t);
		if (json_int(&j, t, -5, 1 << 20, &i) == 0)
			CHECK(i >= -5 && i <= 1 << 20);
		if (json_uint(&j, t, 65535, &u) == 0)
			CHECK(u <= 65535 && tk->type == JSON_NUMBER);
		json_int(&j, t, -9223372036854775807LL - 1, 9223372036854775807LL, &i);
		json_uint(&j, t, ~0ULL, &u);
		CHECK(json_bool(&j, t, &b) == 0 ? tk->type == JSON_TRUE || tk->type == JSON_FALSE :
		      tk->type != JSON_TRUE && tk->type != JSON_FALSE);
	}
	/* a smaller token array: success with the same count, or a clean -ENOSPC */
	if (j.count > 1) {
		unsigned int need = j.count;
		err = json_parse(&j, copy, len, tokens, need - 1);
		CHECK(err == -28 && j.error);
		CHECK(json_parse(&j, copy, len, tokens, need) == 0 && j.count == need);
	}
	free(tokens);
	free(copy);
	free(text);
	return 0;
}
