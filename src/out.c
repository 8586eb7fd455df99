/* Output and errors: every failure is one line, `nanoctr: <what>: <why>`,
 * written with a single write(2). In the container's setup the line goes to
 * the parent over the report pipe (first byte: the exit status), so the
 * parent prints it and the user never sees a silent exit. */
#include "src/nanoctr.h"

/* Is this the container's setup? It alone runs on the child's stack: the
 * parent, whose stack is elsewhere, always reports to its own stderr, so no
 * die() of the parent can write into the child's channel, and nothing the
 * child sets here is ever read by the parent. */
static int in_child(void)
{
	char here;

	return (unsigned long)&here - (unsigned long)child_area.stack < sizeof(child_area.stack);
}

static int report_fd(void)
{
	return in_child() ? child_area.report_fd : 2;
}

/* --init's PID 1, once the command is forked: its failures go to its own
 * stderr, and the report pipe is the command's alone. */
void report_close(void)
{
	if (in_child() && child_area.report_fd != 2) {
		sys_close(child_area.report_fd);
		child_area.report_fd = 2;
	}
}

/* One byte 0 on the report pipe: what follows is the command's execve().
 * An end of the pipe without it is a setup that died (run.c). */
void report_exec_next(void)
{
	int fd = report_fd();

	if (fd != 2)
		sys_write(fd, "", 1);
}

void put(int fd, const char *s)
{
	sys_write(fd, s, str_len(s));
}

static const char *const errno_names[] = {
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable",
	[12] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists",
	[18] = "Invalid cross-device link",
	[19] = "No such device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[24] = "Too many open files",
	[26] = "Text file busy",
	[ENOSPC] = "No space left on device",
	[EROFS] = "Read-only file system",
	[ERANGE] = "Numerical result out of range",
	[ENAMETOOLONG] = "File name too long",
	[ENOSYS] = "Function not implemented",
	[39] = "Directory not empty",
	[ELOOP] = "Too many levels of symbolic links",
};

const char *errno_text(int err)
{
	if (err < 0)
		err = -err;
	if (err == EOPNOTSUPP)
		return "Operation not supported";
	if (err < (int)ARRAY_SIZE(errno_names) && errno_names[err])
		return errno_names[err];
	return "Unknown error";
}

static void emit(int fd, int code, const char *what, const char *why)
{
	char line[PATH_LIMIT + 256], *p = line, *end = line + sizeof(line) - 2;

	if (fd != 2)
		*p++ = (char)code;
	p = cat(p, end, "nanoctr: ");
	p = cat(p, end, what);
	if (why) {
		p = cat(p, end, ": ");
		p = cat(p, end, why);
	}
	*p++ = '\n';
	sys_write(fd, line, p - line);
}

NORETURN void die_code(int code, const char *what, const char *why)
{
	emit(report_fd(), code, what, why);
	sys_exit(code);
}

NORETURN void die(const char *what, int err)
{
	die_code(EXIT_SETUP, what, errno_text(err));
}

void warn(const char *what, int err)
{
	emit(2, 0, what, errno_text(err));
}

/* The parent's errors once the child exists: always to our stderr. */
void say(const char *what, const char *why)
{
	emit(2, 0, what, why);
}

/* "nanoctr: <head><tail>" with no ": " between them. */
void warn_text(const char *head, const char *tail)
{
	char what[256];

	concat(what, sizeof(what), head, tail, "");
	emit(2, 0, what, NULL);
}
