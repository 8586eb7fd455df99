/* A small JSON parser for config.json and process.json (RFC 8259), decoding
 * as runc does through Go's encoding/json. No allocation: the caller gives
 * the text and a token array; the parser validates the whole document and
 * fills the array in document order, with links that make lookups cheap.
 * Depends on nothing (built-in types only), so tests and fuzzers can link
 * src/json.c into a hosted program as it is. */
#ifndef JSON_H
#define JSON_H

enum json_type {
	JSON_NULL = 1, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT
};

/* Go's encoding/json limit (maxNestingDepth in its scanner). */
#define JSON_MAX_DEPTH	10000

/* One value (or object key). Token 0 is the whole document, so 0 never
 * names a member and serves as "none" below. An object's members are laid
 * out as key, value (with the value's own tokens), key, value, ...; an
 * array's as its elements. */
struct json_token {
	unsigned int start;	/* offset of the first byte: '"', '{', '[', '-', digit, t/f/n */
	unsigned int end;	/* offset just past the last byte */
	unsigned int next;	/* next array element or next object key; 0: none */
	unsigned int count;	/* array: elements; object: members (keys); else 0 */
	unsigned char type;	/* enum json_type */
};

struct json {
	const char *text;
	unsigned long len;
	struct json_token *tokens;
	unsigned int count;		/* tokens used */
	const char *error;		/* what went wrong, for "<what> at offset N" */
	unsigned long error_offset;	/* byte offset into text where it went wrong */
};

/* Parse text[0..len) (NUL bytes are data, not an end) into tokens[0..max).
 * Returns 0 and sets j->count, or a negative errno with j->error and
 * j->error_offset set:
 *   -EINVAL  malformed JSON (RFC 8259 strictly, as Go: no trailing commas,
 *            comments, single quotes, leading zeros, control characters in
 *            strings, unknown escapes; nothing but whitespace after the value)
 *   -ENOSPC  more values than max tokens ("too many values"): never truncated.
 *            Every token starts at its own byte, so len tokens (at least 1)
 *            are always enough: then a malformed document always gets its
 *            own error. len / 2 + 1 are enough for any valid document, but a
 *            malformed one (say 3000 '[') may then be reported as -ENOSPC.
 *   -E2BIG   nesting deeper than JSON_MAX_DEPTH, or len >= 4 GiB.
 * Invalid UTF-8 is not an error (Go replaces it when decoding, see json_string). */
int json_parse(struct json *j, const char *text, unsigned long len,
	       struct json_token *tokens, unsigned int max);

/* The token of the value of key in the object obj, 0 when absent or when obj
 * is not an object. As Go decoding into a struct: the key is compared after
 * unescaping and without ASCII case (Go's exact-then-case-insensitive match),
 * and of duplicate keys the last one wins. key must be shorter than 64 bytes.
 * A null value is returned as such: Go leaves a non-pointer field unchanged
 * on null and sets a pointer field to nil; the caller decides which. */
unsigned int json_get(struct json *j, unsigned int obj, const char *key);

/* 0 if token tok has type type; else -EINVAL, j->error "expected a string",
 * "expected an object", ... at the token's offset. */
int json_expect(struct json *j, unsigned int tok, int type);

/* Decode the string token tok into out (NUL-terminated); returns its length.
 * Escapes \" \\ \/ \b \f \r \n \t \uXXXX become UTF-8 (a surrogate pair one
 * code point); as Go, a lone or mismatched surrogate and each byte of invalid
 * UTF-8 become U+FFFD, so out is always valid UTF-8 and at most
 * 3 * (end - start) bytes long. Errors (j->error set): -EINVAL not a string,
 * or it contains \u0000 (a C string cannot hold it; Go's syscalls refuse it
 * too); -ENAMETOOLONG when it does not fit in size bytes. */
long json_string(struct json *j, unsigned int tok, char *out, unsigned long size);

/* Integers, as Go's decoder into an integer field: an optional '-' and digits
 * only ("1.0" and "1e3" are refused), within [min, max] for json_int and
 * [0, max] for json_uint ("-0" is refused there, as Go's ParseUint).
 * Returns 0 or -EINVAL ("expected a number", "expected an integer") or
 * -ERANGE ("number out of range"). */
int json_int(struct json *j, unsigned int tok, long long min, long long max, long long *out);
int json_uint(struct json *j, unsigned int tok, unsigned long long max, unsigned long long *out);

/* true or false; else -EINVAL "expected true or false". */
int json_bool(struct json *j, unsigned int tok, int *out);

/* Iteration: the first element of an array or first key of an object (0 if
 * empty or not a container), then the next one (0 after the last). The value
 * of object key k is token k + 1. */
static inline unsigned int json_first(const struct json *j, unsigned int tok)
{
	return j->tokens[tok].type >= JSON_ARRAY && j->tokens[tok].count ? tok + 1 : 0;
}

static inline unsigned int json_next(const struct json *j, unsigned int tok)
{
	return j->tokens[tok].next;
}

#endif
