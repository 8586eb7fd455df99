/* A JSON writer into a fixed buffer, for state JSON, `nanoctr spec` and
 * `nanoctr features`. Commas are placed by the writer: a value or key after
 * another one gets one. Overflow is sticky and reported by jw_finish: no
 * output is ever silently cut. */
#include "src/spec.h"

void jw_init(struct jw *w, char *buf, unsigned long size)
{
	w->p = buf;
	w->end = buf + size - 2;	/* room for "\n" and NUL */
	w->overflow = w->need_comma = 0;
	*buf = 0;
}

void jw_raw(struct jw *w, const char *s)
{
	for (; *s; s++) {
		if (w->p >= w->end) {
			w->overflow = 1;
			return;
		}
		*w->p++ = *s;
	}
}

static void sep(struct jw *w)
{
	if (w->need_comma)
		jw_raw(w, ",");
	w->need_comma = 1;
}

/* Escapes as Go's encoder: \" \\ \n \r \t, other controls \u00XX; UTF-8 as is. */
void jw_str(struct jw *w, const char *s)
{
	char esc[7] = "\\u00";

	sep(w);
	jw_raw(w, "\"");
	for (; *s; s++) {
		unsigned char c = *s;
		char one[2] = { (char)c, 0 };
		if (c == '"' || c == '\\') {
			jw_raw(w, "\\");
			jw_raw(w, one);
		} else if (c == '\n') {
			jw_raw(w, "\\n");
		} else if (c == '\r') {
			jw_raw(w, "\\r");
		} else if (c == '\t') {
			jw_raw(w, "\\t");
		} else if (c < 0x20) {
			esc[4] = "0123456789abcdef"[c >> 4];
			esc[5] = "0123456789abcdef"[c & 15];
			esc[6] = 0;
			jw_raw(w, esc);
		} else {
			jw_raw(w, one);
		}
	}
	jw_raw(w, "\"");
}

void jw_key(struct jw *w, const char *key)
{
	jw_str(w, key);
	jw_raw(w, ":");
	w->need_comma = 0;
}

void jw_u64(struct jw *w, u64 v)
{
	char buf[24];

	sep(w);
	cat_u64(buf, buf + sizeof(buf) - 1, v);
	jw_raw(w, buf);
}

void jw_s64(struct jw *w, long long v)
{
	if (v < 0) {
		sep(w);
		jw_raw(w, "-");
		w->need_comma = 0;
		v = -(u64)v;
	}
	jw_u64(w, (u64)v);
}

void jw_open(struct jw *w, char c)
{
	char s[2] = { c, 0 };

	sep(w);
	jw_raw(w, s);
	w->need_comma = 0;
}

void jw_close(struct jw *w, char c)
{
	char s[2] = { c, 0 };

	jw_raw(w, s);
	w->need_comma = 1;
}

void jw_strings(struct jw *w, const char *key, char *const *list)
{
	jw_key(w, key);
	jw_open(w, '[');
	for (; list && *list; list++)
		jw_str(w, *list);
	jw_close(w, ']');
}

int jw_finish(struct jw *w, char *buf)
{
	if (w->overflow)
		return -ENOSPC;
	*w->p++ = '\n';
	*w->p = 0;
	return (int)(w->p - buf);
}
