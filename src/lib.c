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

/* SIZE as docker reads -m (go-units RAMInBytes): a decimal number — with a
 * fraction and an exponent if wanted, as strconv.ParseFloat takes them:
 * "1.5", "5.", ".5", "1e9" — then an optional space and a binary unit, any
 * case: b, or k/m/g/t/p alone or followed by "b" or "ib" (512MB, 1GiB).
 * The bytes are the whole part of the product, as docker's int64(), into
 * *bytes. Returns 0, -EINVAL (not a size) or -ERANGE (more than limit).
 * `run -m` (docker) and OCI `update --memory` (runc: the same go-units). */
int size_parse(const char *text, u64 limit, u64 *bytes)
{
	static const char units[] = "kmgtp";
	const char *p = text, *u;
	u64 m = 0, exp = 0, unit = 1, q, rem, pow = 1;
	int digits = 0, shift = 0, neg = 0, frac = 0;

	if (*p == '+')
		p++;
	for (; (*p >= '0' && *p <= '9') || (*p == '.' && !frac); p++) {
		if (*p == '.') {
			frac = 1;
			continue;
		}
		digits++;
		if (m < 100000000000000000ULL) {	/* 10^17: more digits change no byte */
			m = m * 10 + (*p - '0');
			shift -= frac;
		} else {
			shift += !frac;
		}
	}
	if (digits && (*p | 0x20) == 'e') {
		const char *e = p + 1;
		neg = *e == '-';
		e += *e == '-' || *e == '+';
		if (*e >= '0' && *e <= '9') {
			for (p = e; *p >= '0' && *p <= '9'; p++)
				if (exp < 1000)
					exp = exp * 10 + (*p - '0');
		}
	}
	if (*p == ' ')
		p++;
	if (*p && (u = str_chr(units, *p | 0x20)) && *u) {
		unit = 1ULL << (10 * (u - units + 1));
		p++;
		if ((*p | 0x20) == 'i' && (p[1] | 0x20) == 'b')
			p += 2;
		else if ((*p | 0x20) == 'b')
			p++;
	} else if ((*p | 0x20) == 'b') {
		p++;
	}
	if (!digits || *p)
		return -EINVAL;
	shift += neg ? -(int)exp : (int)exp;
	/* m * unit * 10^shift, cut to a whole number, at most limit */
	for (; shift > 0 && m; shift--)
		if ((m *= 10) > limit)
			return -ERANGE;
	for (; shift < 0 && pow < 1000000000000000000ULL; shift++)
		pow *= 10;
	for (; shift < 0; shift++)	/* beyond 10^-18 of a unit: digits cut */
		m /= 10;
	/* m * 2^k / pow with no overflow: the quotient's part, then the
	 * remainder's by binary long division (rem < pow <= 10^18 < 2^60) */
	if (m / pow > limit / unit)
		return -ERANGE;
	q = m / pow * unit;
	rem = m % pow;
	for (u64 bit = unit >> 1; bit; bit >>= 1) {
		rem *= 2;
		if (rem >= pow) {
			rem -= pow;
			q += bit;
		}
	}
	*bytes = q;
	return 0;
}
