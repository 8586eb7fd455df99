/* JSON for config.json and process.json: a validating tokenizer over the
 * caller's buffer and token array, and typed accessors that decode the way
 * runc's Go decoder does (see src/json.h for the contract). The parser keeps
 * no stack: while a container is open, its token's end holds its parent's
 * index and its next holds its last member, both fixed when it closes. */
#include "src/nanoctr.h"
#include "src/json.h"

#ifndef E2BIG
#define E2BIG	7	/* asm-generic/errno-base.h; not in syscalls/linux.h yet */
#endif
#define NONE	0xffffffffu	/* the parent of the top-level value */

static int fail(struct json *j, unsigned long offset, const char *what, int err)
{
	j->error = what;
	j->error_offset = offset;
	return err;
}

/* The byte at p, or -1 past the end. */
static int at(const struct json *j, unsigned long p)
{
	return p < j->len ? (unsigned char)j->text[p] : -1;
}

static unsigned long skip_space(const struct json *j, unsigned long p)
{
	int c;

	while ((c = at(j, p)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		p++;
	return p;
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static unsigned long skip_digits(const struct json *j, unsigned long p)
{
	while (at(j, p) >= '0' && at(j, p) <= '9')
		p++;
	return p;
}

/* Offset just past the string opening at p; 0 on error (j->error set). */
static unsigned long scan_string(struct json *j, unsigned long p)
{
	int c, i;

	while ((c = at(j, ++p)) != '"') {
		if (c < 0)
			return fail(j, p, "unexpected end of input", 0);
		if (c < 0x20)
			return fail(j, p, "control character in string", 0);
		if (c != '\\')
			continue;
		c = at(j, ++p);
		if (c == 'u') {
			for (i = 0; i < 4; i++)
				if (hex(at(j, ++p)) < 0)
					return fail(j, p, at(j, p) < 0 ? "unexpected end of input" :
						    "invalid \\u escape", 0);
		} else if (c < 0 || !str_chr("\"\\/bfnrt", c)) {
			return fail(j, p, c < 0 ? "unexpected end of input" : "invalid escape", 0);
		}
	}
	return p + 1;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? : offset past it, or 0. */
static unsigned long scan_number(struct json *j, unsigned long p)
{
	unsigned long q;

	if (at(j, p) == '-')
		p++;
	if (at(j, p) == '0')
		p++;
	else if ((q = skip_digits(j, p)) > p)
		p = q;
	else
		goto bad;
	if (at(j, p) == '.' && (q = skip_digits(j, p + 1)) == p + 1)
		goto bad_after;
	p = at(j, p) == '.' ? q : p;
	if ((at(j, p) | 0x20) == 'e') {
		p++;
		if (at(j, p) == '+' || at(j, p) == '-')
			p++;
		if ((q = skip_digits(j, p)) == p)
			goto bad;
		p = q;
	}
	return p;
bad_after:
	p++;
bad:
	return fail(j, p, at(j, p) < 0 ? "unexpected end of input" : "invalid number", 0);
}

/* Make tokens[*n] a member of the open container cur (if any). */
static void add_member(struct json *j, unsigned int cur, unsigned int n)
{
	struct json_token *c = &j->tokens[cur];

	c->count++;
	if (c->next)
		j->tokens[c->next].next = n;
	c->next = n;
}

int json_parse(struct json *j, const char *text, unsigned long len,
	       struct json_token *tokens, unsigned int max)
{
	static const char literal[][6] = { "null", "false", "true" };
	struct json_token *t, *open;
	unsigned int n = 0, cur = NONE, depth = 0;
	unsigned long p = 0;
	int c, i;

	j->text = text;
	j->len = len;
	j->tokens = tokens;
	j->count = 0;
	j->error = NULL;
	if (len >= NONE)
		return fail(j, 0, "document of 4 GiB or more", -E2BIG);
	for (;;) {
		/* a member: in an object a key and ':' first */
		p = skip_space(j, p);
		if (cur != NONE && tokens[cur].type == JSON_OBJECT) {
			if (at(j, p) != '"')
				return fail(j, p, at(j, p) < 0 ? "unexpected end of input" :
					    "expected a string as object key", -EINVAL);
			if (n == max)
				goto full;
			t = &tokens[n];
			*t = (struct json_token){ .start = p, .type = JSON_STRING };
			if (!(p = scan_string(j, p)))
				return -EINVAL;
			t->end = p;
			add_member(j, cur, n++);
			p = skip_space(j, p);
			if (at(j, p) != ':')
				return fail(j, p, at(j, p) < 0 ? "unexpected end of input" :
					    "expected ':' after object key", -EINVAL);
			p = skip_space(j, p + 1);
		}
		c = at(j, p);
		for (i = 0; i < 3 && c != literal[i][0]; i++)
			;
		if (i == 3 && c != '{' && c != '[' && c != '"' && c != '-' && (c < '0' || c > '9'))
			return fail(j, p, c < 0 ? "unexpected end of input" : "expected a value", -EINVAL);
		if (n == max)	/* only now: a syntax error takes precedence */
			goto full;
		t = &tokens[n];
		*t = (struct json_token){ .start = p };
		if (cur != NONE && tokens[cur].type == JSON_ARRAY)
			add_member(j, cur, n);
		if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return fail(j, p, "nesting deeper than 10000", -E2BIG);
			t->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
			t->end = cur;
			cur = n++;
			p = skip_space(j, p + 1);
			if (at(j, p) != c + 2)	/* '{' + 2 == '}', '[' + 2 == ']' */
				continue;
			goto after_value;
		} else if (c == '"') {
			t->type = JSON_STRING;
			p = scan_string(j, p);
		} else if (c == '-' || c <= '9') {
			t->type = JSON_NUMBER;
			p = scan_number(j, p);
		} else {
			t->type = JSON_NULL + i;
			for (const char *l = literal[i]; *l; l++, p++)
				if (at(j, p) != *l)
					return fail(j, p, at(j, p) < 0 ? "unexpected end of input" :
						    "invalid literal", -EINVAL);
		}
		if (!p)
			return -EINVAL;
		t->end = p;
		n++;
		/* after a value: ',' for the next member, or close containers */
		for (;;) {
			p = skip_space(j, p);
			if (cur == NONE) {
				if (p < len)
					return fail(j, p, "data after the top-level value", -EINVAL);
				j->count = n;
				return 0;
			}
			open = &tokens[cur];
			c = at(j, p);
			if (c == ',') {
				p++;
				break;
			}
			if (c != (open->type == JSON_OBJECT ? '}' : ']'))
				return fail(j, p, c < 0 ? "unexpected end of input" :
					    open->type == JSON_OBJECT ? "expected ',' or '}'" :
					    "expected ',' or ']'", -EINVAL);
after_value:
			open = &tokens[cur];
			cur = open->end;
			open->end = ++p;
			open->next = 0;
			depth--;
		}
	}
full:
	return fail(j, p, "too many values", -ENOSPC);
}

int json_expect(struct json *j, unsigned int tok, int type)
{
	static const char *const what[] = {
		"expected null", "expected true or false", "expected true or false",
		"expected a number", "expected a string", "expected an array", "expected an object",
	};
	int t = j->tokens[tok].type;

	if (t == type || (type <= JSON_TRUE && type >= JSON_FALSE && t >= JSON_FALSE && t <= JSON_TRUE))
		return 0;
	return fail(j, j->tokens[tok].start, what[type - 1], -EINVAL);
}

/* A valid UTF-8 sequence's length at s (before end), 0 if invalid: the
 * shortest form only, no surrogates, at most U+10FFFF (Go's utf8.DecodeRune). */
static int utf8_length(const unsigned char *s, const unsigned char *end)
{
	unsigned int c = s[0], lo = 0x80, hi = 0xbf, n, i;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if ((unsigned long)(end - s) < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static unsigned int hex4(const unsigned char *s)
{
	return hex(s[0]) << 12 | hex(s[1]) << 8 | hex(s[2]) << 4 | hex(s[3]);
}

/* json_string without reporting: a validated string token is assumed. */
static long decode(const struct json *j, const struct json_token *t, char *out, unsigned long size)
{
	const unsigned char *s = (const unsigned char *)j->text + t->start + 1;
	const unsigned char *end = (const unsigned char *)j->text + t->end - 1;
	unsigned long n = 0;
	unsigned int cp, low;
	int len;

	while (s < end) {
		cp = *s++;
		if (cp == '\\') {
			cp = *s++;
			if (cp == 'u') {
				cp = hex4(s);
				s += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && end - s >= 6 && s[0] == '\\' &&
				    s[1] == 'u' && (low = hex4(s + 2)) >= 0xdc00 && low < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
					s += 6;
				} else if (cp >= 0xd800 && cp < 0xe000) {
					cp = 0xfffd;
				}
			} else {
				const char *e = str_chr("b\bf\fn\nr\rt\t", cp);
				cp = e ? (unsigned char)e[1] : cp;	/* \" \\ \/ are themselves */
			}
		} else if (cp >= 0x80) {
			len = utf8_length(s - 1, end);
			if (!len) {
				cp = 0xfffd;
			} else {
				if (n + len >= size)
					return -ENAMETOOLONG;
				for (s--; len--; )
					out[n++] = *s++;
				continue;
			}
		}
		if (!cp)
			return -EINVAL;
		len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (n + len >= size)
			return -ENAMETOOLONG;
		if (len == 1) {
			out[n++] = cp;
			continue;
		}
		out[n++] = (0xf00 >> len) | (cp >> (6 * (len - 1)));
		while (--len)
			out[n++] = 0x80 | ((cp >> (6 * (len - 1))) & 0x3f);
	}
	if (n >= size)
		return -ENAMETOOLONG;
	out[n] = 0;
	return n;
}

long json_string(struct json *j, unsigned int tok, char *out, unsigned long size)
{
	long n = json_expect(j, tok, JSON_STRING);

	if (!n && (n = decode(j, &j->tokens[tok], out, size)) < 0)
		fail(j, j->tokens[tok].start, n == -EINVAL ? "string contains \\u0000" :
		     "string too long", 0);
	return n;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

unsigned int json_get(struct json *j, unsigned int obj, const char *key)
{
	unsigned int k, found = 0;
	char name[64];
	const char *a, *b;

	if (j->tokens[obj].type != JSON_OBJECT)
		return 0;
	for (k = json_first(j, obj); k; k = json_next(j, k)) {
		if (decode(j, &j->tokens[k], name, sizeof(name)) < 0)
			continue;
		for (a = name, b = key; *a && lower(*a) == lower(*b); a++, b++)
			;
		if (*a == *b)
			found = k + 1;
	}
	return found;
}

/* The magnitude and sign of an integer token; *out saturates (then -ERANGE). */
static int integer(struct json *j, unsigned int tok, int *negative, u64 *out)
{
	const struct json_token *t = &j->tokens[tok];
	const char *s = j->text + t->start, *end = j->text + t->end;
	int err = json_expect(j, tok, JSON_NUMBER);
	u64 v = 0;

	if (err)
		return err;
	*negative = *s == '-';
	for (s += *negative; s < end; s++) {
		if (*s < '0' || *s > '9')	/* a fraction or exponent: Go refuses both */
			return fail(j, t->start, "expected an integer", -EINVAL);
		if (v > (~0ULL - (*s - '0')) / 10)
			err = -ERANGE;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return err ? fail(j, t->start, "number out of range", err) : 0;
}

int json_int(struct json *j, unsigned int tok, long long min, long long max, long long *out)
{
	int negative, err;
	long long v;
	u64 u;

	if ((err = integer(j, tok, &negative, &u)))
		return err;
	if (u > (u64)1 << 63 || (!negative && u == (u64)1 << 63))
		return fail(j, j->tokens[tok].start, "number out of range", -ERANGE);
	v = negative ? (long long)(0 - u) : (long long)u;
	if (v < min || v > max)
		return fail(j, j->tokens[tok].start, "number out of range", -ERANGE);
	*out = v;
	return 0;
}

int json_uint(struct json *j, unsigned int tok, unsigned long long max, unsigned long long *out)
{
	int negative, err;
	u64 v;

	if ((err = integer(j, tok, &negative, &v)))
		return err;
	if (negative || v > max)
		return fail(j, j->tokens[tok].start, "number out of range", -ERANGE);
	*out = v;
	return 0;
}

int json_bool(struct json *j, unsigned int tok, int *out)
{
	int err = json_expect(j, tok, JSON_TRUE);

	if (!err)
		*out = j->tokens[tok].type == JSON_TRUE;
	return err;
}
