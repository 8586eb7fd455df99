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

/* The byte at p, or -1 past the end. */
static int at(const struct json *j, unsigned long p)
{
	return p < j->len ? (unsigned char)j->text[p] : -1;
}

/* Record what went wrong at offset; whatever was expected, at the end of the
 * text the input is truncated. Returns err. */
static int fail(struct json *j, unsigned long offset, const char *what, int err)
{
	j->error = at(j, offset) < 0 ? "unexpected end of input" : what;
	j->error_offset = offset;
	return err;
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
		if (c < 0x20)	/* or the end: c == -1 */
			return fail(j, p, "control character in string", 0);
		if (c != '\\')
			continue;
		c = at(j, ++p);
		if (c == 'u') {
			for (i = 0; i < 4; i++)
				if (hex(at(j, ++p)) < 0)
					return fail(j, p, "invalid \\u escape", 0);
		} else if (c < 0 || !str_chr("\"\\/bfnrt", c)) {
			return fail(j, p, "invalid escape", 0);
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
	return fail(j, p, "invalid number", 0);
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
	unsigned int n = 0, cur = NONE, depth = 0, key = 0;
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
		/* a value; or, at a member of an object, its key */
		p = skip_space(j, p);
		c = at(j, p);
		key = cur != NONE && tokens[cur].type == JSON_OBJECT && !key;
		if (key && c != '"')
			return fail(j, p, "expected a string as object key", -EINVAL);
		for (i = 0; i < 3 && c != literal[i][0]; i++)
			;
		if (i == 3 && c != '{' && c != '[' && c != '"' && c != '-' && (c < '0' || c > '9'))
			return fail(j, p, "expected a value", -EINVAL);
		if (n == max)	/* only now: a syntax error takes precedence */
			return fail(j, p, "too many values", -ENOSPC);
		t = &tokens[n];
		*t = (struct json_token){ .start = p };
		if (cur != NONE && (key || tokens[cur].type == JSON_ARRAY))
			add_member(j, cur, n);
		if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return fail(j, p, "nesting deeper than 10000", -E2BIG);
			t->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
			t->end = cur;
			cur = n++;
			key = 0;
			p = skip_space(j, p + 1);
			if (at(j, p) != c + 2)	/* '{' + 2 == '}', '[' + 2 == ']' */
				continue;
			goto close;
		} else if (c == '"') {
			t->type = JSON_STRING;
			p = scan_string(j, p);
		} else if (c <= '9') {
			t->type = JSON_NUMBER;
			p = scan_number(j, p);
		} else {
			t->type = JSON_NULL + i;
			for (const char *l = literal[i]; *l; l++, p++)
				if (at(j, p) != *l)
					return fail(j, p, "invalid literal", -EINVAL);
		}
		if (!p)
			return -EINVAL;
		t->end = p;
		n++;
		if (key) {
			p = skip_space(j, p);
			if (at(j, p) != ':')
				return fail(j, p, "expected ':' after object key", -EINVAL);
			p++;
			continue;
		}
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
				return fail(j, p, open->type == JSON_OBJECT ? "expected ',' or '}'" :
					    "expected ',' or ']'", -EINVAL);
close:
			open = &tokens[cur];
			cur = open->end;
			open->end = ++p;
			open->next = 0;
			depth--;
		}
		key = 0;
	}
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

/* The code point of the UTF-8 sequence at *s (before end), advancing *s past
 * it; U+FFFD for one byte when it is not valid UTF-8 (overlong, a surrogate,
 * above U+10FFFF, cut short), as Go's utf8.DecodeRune does. */
static unsigned int utf8_decode(const unsigned char **s, const unsigned char *end)
{
	static const unsigned int shortest[] = { 0, 0, 0x80, 0x800, 0x10000 };
	const unsigned char *p = *s;
	unsigned int cp = *p, n = cp < 0xc2 ? 0 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : cp < 0xf5 ? 4 : 0, i;

	if (n && end - p >= n) {
		cp &= 0x7f >> n;
		for (i = 1; i < n && (p[i] & 0xc0) == 0x80; i++)
			cp = cp << 6 | (p[i] & 0x3f);
		if (i == n && cp >= shortest[n] && (cp < 0xd800 || cp >= 0xe000) && cp <= 0x10ffff) {
			*s = p + n;
			return cp;
		}
	}
	*s = p + 1;
	return 0xfffd;
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
	unsigned int cp, low, len;

	while (s < end) {
		if (*s >= 0x80) {
			cp = utf8_decode(&s, end);
		} else if ((cp = *s++) == '\\') {
			cp = *s++;
			if (cp != 'u') {
				/* \b \f \n \r \t; \" \\ \/ are themselves */
				const char *e = str_chr("b\bf\fn\nr\rt\t", cp);
				cp = e ? (unsigned char)e[1] : cp;
			} else if ((cp = hex4(s)) >= 0xd800 && cp < 0xdc00 && end - s >= 10 &&
				   s[4] == '\\' && s[5] == 'u' && (low = hex4(s + 6)) >= 0xdc00 && low < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
				s += 10;
			} else {
				s += 4;
				if (cp >= 0xd800 && cp < 0xe000)
					cp = 0xfffd;	/* a lone surrogate, as Go */
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

/* An integer token within [-min_magnitude, max] (json_int) or [0, max] with
 * no '-' at all (json_uint: min_magnitude 0 refuses "-0" too, as ParseUint). */
static int integer(struct json *j, unsigned int tok, u64 min_magnitude, u64 max, u64 *out)
{
	const struct json_token *t = &j->tokens[tok];
	const char *s = j->text + t->start, *end = j->text + t->end;
	int err = json_expect(j, tok, JSON_NUMBER), negative = *s == '-', overflow = 0;
	u64 v = 0;

	if (err)
		return err;
	for (s += negative; s < end; s++) {
		if (*s < '0' || *s > '9')	/* a fraction or exponent: Go refuses both */
			return fail(j, t->start, "expected an integer", -EINVAL);
		overflow |= v > (~0ULL - (*s - '0')) / 10;
		v = v * 10 + (*s - '0');
	}
	if (overflow || (negative ? !min_magnitude || v > min_magnitude : v > max))
		return fail(j, t->start, "number out of range", -ERANGE);
	*out = negative ? 0 - v : v;
	return 0;
}

int json_int(struct json *j, unsigned int tok, long long min, long long max, long long *out)
{
	u64 v;
	/* a magnitude of 1 lets "-0" through (ParseInt takes it) and a -1 be
	 * refused below when min >= 0 */
	int err = integer(j, tok, min < 0 ? 0 - (u64)min : 1, max < 0 ? 0 : max, &v);

	if (!err && ((long long)v < min || (long long)v > max))
		err = fail(j, j->tokens[tok].start, "number out of range", -ERANGE);
	if (!err)
		*out = v;
	return err;
}

int json_uint(struct json *j, unsigned int tok, unsigned long long max, unsigned long long *out)
{
	return integer(j, tok, 0, max, out);
}

int json_bool(struct json *j, unsigned int tok, int *out)
{
	int err = json_expect(j, tok, JSON_TRUE);

	if (!err)
		*out = j->tokens[tok].type == JSON_TRUE;
	return err;
}
