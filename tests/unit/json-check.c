/* json-check [-t TOKENS] FILE [QUERY...] — drive src/json.c for tests/json.bats.
 *
 * Parses FILE (the whole file, NUL bytes included) with a token array of
 * TOKENS entries (default: its size in bytes, at least 1, which src/json.h
 * says is always enough). Without a QUERY it prints the document in a canonical form: no
 * spaces, strings decoded by json_string and re-escaped as ASCII (\" \\ \n
 * \t \r \b \f, \uXXXX for other control characters and every non-ASCII code
 * point, surrogate pairs above U+FFFF), numbers as written.
 *
 * A QUERY is PATH or PATH:TYPE. PATH is keys (json_get) and array indexes
 * joined by '.', "" for the whole document; TYPE is one of dump (default),
 * str, int (int64), uint (uint64), i32, u32, bool, count. Each query prints one
 * line: the value, or "error: <what> at offset N", or "absent".
 *
 * A parse error prints "json-check: <what> at offset N" and exits 1; a query
 * error makes the exit status 2. Built with musl-gcc by tests/json.bats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdint.h>
#include "src/json.h"

static struct json j;

/* out of json_string is valid UTF-8: anything else is a bug in json.c */
static unsigned int next_code_point(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned int cp = *p, n = cp < 0x80 ? 0 : cp < 0xe0 ? 1 : cp < 0xf0 ? 2 : 3;

	if (n)
		cp &= 0x3f >> n;
	for (p++; n--; p++) {
		if ((*p & 0xc0) != 0x80) {
			fprintf(stderr, "json-check: json_string returned invalid UTF-8\n");
			exit(3);
		}
		cp = cp << 6 | (*p & 0x3f);
	}
	*s = p;
	return cp;
}

static void print_string(unsigned int tok)
{
	unsigned long cap = 3ul * (j.tokens[tok].end - j.tokens[tok].start) + 1;
	char *buf = malloc(cap);
	const unsigned char *s;
	long n = json_string(&j, tok, buf, cap);

	if (n < 0) {
		printf("<error: %s at offset %lu>", j.error, j.error_offset);
		free(buf);
		return;
	}
	if ((long)strlen(buf) != n) {
		fprintf(stderr, "json-check: json_string length %ld, strlen %zu\n", n, strlen(buf));
		exit(3);
	}
	putchar('"');
	for (s = (const unsigned char *)buf; *s; ) {
		unsigned int cp = next_code_point(&s);
		static const char escape[][2] = {
			['"'] = "\"", ['\\'] = "\\", ['\n'] = "n", ['\t'] = "t",
			['\r'] = "r", ['\b'] = "b", ['\f'] = "f",
		};

		if (cp < sizeof(escape) / sizeof(escape[0]) && escape[cp][0])
			printf("\\%c", escape[cp][0]);
		else if (cp >= 0x20 && cp < 0x7f)
			putchar(cp);
		else if (cp >= 0x10000)
			printf("\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
		else
			printf("\\u%04x", cp);
	}
	putchar('"');
	free(buf);
}

static void dump(unsigned int tok)
{
	const struct json_token *t = &j.tokens[tok];
	unsigned int m;

	switch (t->type) {
	case JSON_NULL: printf("null"); break;
	case JSON_FALSE: printf("false"); break;
	case JSON_TRUE: printf("true"); break;
	case JSON_NUMBER: printf("%.*s", (int)(t->end - t->start), j.text + t->start); break;
	case JSON_STRING: print_string(tok); break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		putchar(t->type == JSON_ARRAY ? '[' : '{');
		for (m = json_first(&j, tok); m; m = json_next(&j, m)) {
			if (m != tok + 1)
				putchar(',');
			dump(m);
			if (t->type == JSON_OBJECT) {
				putchar(':');
				dump(m + 1);
			}
		}
		putchar(t->type == JSON_ARRAY ? ']' : '}');
		break;
	default:
		fprintf(stderr, "json-check: token %u has type %d\n", tok, t->type);
		exit(3);
	}
}

/* The token at PATH, 0 if absent (index 0 is never a member). */
static unsigned int lookup(char *path)
{
	unsigned int tok = 0;
	char *part;

	for (part = strtok(path, "."); part && (tok || part == path); part = strtok(NULL, ".")) {
		if (j.tokens[tok].type == JSON_ARRAY) {
			unsigned long i = strtoul(part, NULL, 10);
			for (tok = json_first(&j, tok); tok && i--; tok = json_next(&j, tok))
				;
		} else {
			tok = json_get(&j, tok, part);
		}
		if (!tok)
			return 0;
	}
	return tok;
}

static int query(char *q)
{
	char *type = strrchr(q, ':');
	unsigned int tok;
	long long i = 0;
	unsigned long long u = 0;
	int b = 0, err = 0;

	if (type)
		*type++ = 0;
	else
		type = "dump";
	tok = lookup(q);
	if (!tok && *q) {
		printf("absent\n");
		return 0;
	}
	if (!strcmp(type, "dump")) {
		dump(tok);
		putchar('\n');
		return 0;
	} else if (!strcmp(type, "str")) {
		unsigned long cap = 3ul * (j.tokens[tok].end - j.tokens[tok].start) + 1;
		char *buf = malloc(cap);

		if (json_string(&j, tok, buf, cap) >= 0)
			print_string(tok);
		else
			err = 1;
		free(buf);
		if (!err)
			putchar('\n');
	} else if (!strcmp(type, "int") || !strcmp(type, "i32")) {
		int small = type[1] == '3';
		if (!(err = json_int(&j, tok, small ? INT32_MIN : INT64_MIN, small ? INT32_MAX : INT64_MAX, &i)))
			printf("%lld\n", i);
	} else if (!strcmp(type, "uint") || !strcmp(type, "u32")) {
		if (!(err = json_uint(&j, tok, type[1] == '3' ? UINT32_MAX : UINT64_MAX, &u)))
			printf("%llu\n", u);
	} else if (!strcmp(type, "bool")) {
		if (!(err = json_bool(&j, tok, &b)))
			printf("%s\n", b ? "true" : "false");
	} else if (!strcmp(type, "count")) {
		printf("%u\n", j.tokens[tok].count);
	} else {
		fprintf(stderr, "json-check: unknown type %s\n", type);
		exit(3);
	}
	if (!err)
		return 0;
	printf("error: %s at offset %lu\n", j.error, j.error_offset);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long len = 0, max = 0, cap = 4096;
	char *text = malloc(cap);
	struct json_token *tokens;
	FILE *f;
	size_t r;
	int status = 0, err, a = 1;

	if (argc > 2 && !strcmp(argv[1], "-t")) {
		max = strtoul(argv[2], NULL, 10);
		a = 3;
	}
	if (a >= argc || !(f = fopen(argv[a], "rb"))) {
		fprintf(stderr, "usage: json-check [-t TOKENS] FILE [QUERY...]\n");
		return 3;
	}
	while ((r = fread(text + len, 1, cap - len, f)) > 0)
		if ((len += r) == cap)
			text = realloc(text, cap *= 2);
	fclose(f);
	if (!max)
		max = len ? len : 1;
	/* exactly max tokens, so that ASan sees any write past them */
	tokens = malloc(max * sizeof(*tokens));
	err = json_parse(&j, text, len, tokens, max);
	if (err) {
		fprintf(stderr, "json-check: %s at offset %lu\n", j.error, j.error_offset);
		return 1;
	}
	if (a + 1 == argc) {
		dump(0);
		putchar('\n');
	}
	for (a++; a < argc; a++)
		status |= query(argv[a]);
	return status;
}
