/* The few string, number and memory helpers nanoctr needs, and the ones the
 * compiler may emit calls to (memcpy, memset, memmove, memcmp): those are
 * "used", so -flto keeps them for calls it only emits after symbol resolution. */
#include "src/nanoctr.h"

__attribute__((used)) void *memcpy(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

__attribute__((used)) void *memmove(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;

	if (dp < sp)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

__attribute__((used)) void *memset(void *d, int c, size_t n)
{
	char *dp = d;

	while (n--)
		*dp++ = (char)c;
	return d;
}

__attribute__((used)) int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *ap = a, *bp = b;

	for (; n; n--, ap++, bp++)
		if (*ap != *bp)
			return *ap - *bp;
	return 0;
}

size_t str_len(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* The rest of s after prefix, or NULL when s does not start with it. */
const char *str_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return NULL;
	return s;
}

char *str_chr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == c)
			return (char *)s;
	return NULL;
}

/* Append src at dst without passing end (which stays writable for the NUL);
 * returns the new end of the string. */
char *cat(char *dst, char *end, const char *src)
{
	while (*src && dst < end)
		*dst++ = *src++;
	*dst = 0;
	return dst;
}

/* buf = a b c (c may be ""), cut to size; returns buf. */
char *concat(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	char *end = buf + size - 1;

	cat(cat(cat(buf, end, a), end, b), end, c);
	return buf;
}

char *cat_u64(char *dst, char *end, u64 v)
{
	char digits[21], *p = digits + sizeof(digits) - 1;

	*p = 0;
	do
		*--p = '0' + v % 10;
	while (v /= 10);
	return cat(dst, end, p);
}

/* Decimal digits only; fails on no digits or overflow. */
int parse_u64(const char *s, const char **endp, u64 *out)
{
	u64 v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - (*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (*p - '0');
	}
	if (p == s)
		return -EINVAL;
	*endp = p;
	*out = v;
	return 0;
}

/* Read up to size-1 bytes and NUL-terminate; returns the length or -errno.
 * O_NONBLOCK: a FIFO planted in a rootfs (say at /etc/passwd) must not hang us. */
int read_file(const char *path, char *buf, size_t size)
{
	long n, total = 0;
	int fd = sys_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);

	if (fd < 0)
		return fd;
	while ((n = sys_read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	sys_close(fd);
	buf[total] = 0;
	return n < 0 ? n : total;
}

int write_file(const char *path, const char *text)
{
	long n;
	int fd = sys_open(path, O_WRONLY | O_CLOEXEC, 0);

	if (fd < 0)
		return fd;
	n = sys_write(fd, text, str_len(text));
	sys_close(fd);
	return n < 0 ? n : 0;
}
