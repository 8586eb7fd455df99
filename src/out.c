/* Output and errors: every failure is one line, `nanoctr: <what>: <why>`,
 * written with a single write(2). In the container's setup the line goes to
 * the parent over the report pipe (first byte: the exit status), so the
 * parent prints it and the user never sees a silent exit. */
#include "src/nanoctr.h"
#include "src/spec.h"

/* The child's stack and report fd (run.c clones onto it): defined here, with
 * the reporter that reads it, so every program linking out.c has it. */
struct child_area child_area;

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

/* The errno texts: strerror(3)'s (glibc's) for 1 to 40 (files, mounts,
 * processes) and for the others nanoctr's paths can meet (sockets, NFS,
 * quotas, mount_setattr's EOPNOTSUPP); every other errno by its name, as
 * strerrorname_np(3) gives it (ENOMSG, not "No message of desired type":
 * the STREAMS, XENIX and RF-kill texts took 2 KiB of a 64 KiB budget).
 * One after another from errno 1 to 133, each ended by its NUL: packed, no
 * pointer table. 41 and 58 are not used. */
static const char errno_names[] =
	"Operation not permitted\0"	/* 1 */
	"No such file or directory\0"	/* 2 */
	"No such process\0"	/* 3 */
	"Interrupted system call\0"	/* 4 */
	"Input/output error\0"	/* 5 */
	"No such device or address\0"	/* 6 */
	"Argument list too long\0"	/* 7 */
	"Exec format error\0"	/* 8 */
	"Bad file descriptor\0"	/* 9 */
	"No child processes\0"	/* 10 */
	"Resource temporarily unavailable\0"	/* 11 */
	"Cannot allocate memory\0"	/* 12 */
	"Permission denied\0"	/* 13 */
	"Bad address\0"	/* 14 */
	"Block device required\0"	/* 15 */
	"Device or resource busy\0"	/* 16 */
	"File exists\0"	/* 17 */
	"Invalid cross-device link\0"	/* 18 */
	"No such device\0"	/* 19 */
	"Not a directory\0"	/* 20 */
	"Is a directory\0"	/* 21 */
	"Invalid argument\0"	/* 22 */
	"Too many open files in system\0"	/* 23 */
	"Too many open files\0"	/* 24 */
	"Inappropriate ioctl for device\0"	/* 25 */
	"Text file busy\0"	/* 26 */
	"File too large\0"	/* 27 */
	"No space left on device\0"	/* 28 */
	"Illegal seek\0"	/* 29 */
	"Read-only file system\0"	/* 30 */
	"Too many links\0"	/* 31 */
	"Broken pipe\0"	/* 32 */
	"Numerical argument out of domain\0"	/* 33 */
	"Numerical result out of range\0"	/* 34 */
	"Resource deadlock avoided\0"	/* 35 */
	"File name too long\0"	/* 36 */
	"No locks available\0"	/* 37 */
	"Function not implemented\0"	/* 38 */
	"Directory not empty\0"	/* 39 */
	"Too many levels of symbolic links\0"	/* 40 */
	"\0"	/* 41 */
	"ENOMSG\0"	/* 42 No message of desired type */
	"EIDRM\0"	/* 43 Identifier removed */
	"ECHRNG\0"	/* 44 Channel number out of range */
	"EL2NSYNC\0"	/* 45 Level 2 not synchronized */
	"EL3HLT\0"	/* 46 Level 3 halted */
	"EL3RST\0"	/* 47 Level 3 reset */
	"ELNRNG\0"	/* 48 Link number out of range */
	"EUNATCH\0"	/* 49 Protocol driver not attached */
	"ENOCSI\0"	/* 50 No CSI structure available */
	"EL2HLT\0"	/* 51 Level 2 halted */
	"EBADE\0"	/* 52 Invalid exchange */
	"EBADR\0"	/* 53 Invalid request descriptor */
	"EXFULL\0"	/* 54 Exchange full */
	"ENOANO\0"	/* 55 No anode */
	"EBADRQC\0"	/* 56 Invalid request code */
	"EBADSLT\0"	/* 57 Invalid slot */
	"\0"	/* 58 */
	"EBFONT\0"	/* 59 Bad font file format */
	"ENOSTR\0"	/* 60 Device not a stream */
	"No data available\0"	/* 61 */
	"ETIME\0"	/* 62 Timer expired */
	"ENOSR\0"	/* 63 Out of streams resources */
	"ENONET\0"	/* 64 Machine is not on the network */
	"ENOPKG\0"	/* 65 Package not installed */
	"EREMOTE\0"	/* 66 Object is remote */
	"ENOLINK\0"	/* 67 Link has been severed */
	"EADV\0"	/* 68 Advertise error */
	"ESRMNT\0"	/* 69 Srmount error */
	"ECOMM\0"	/* 70 Communication error on send */
	"EPROTO\0"	/* 71 Protocol error */
	"EMULTIHOP\0"	/* 72 Multihop attempted */
	"EDOTDOT\0"	/* 73 RFS specific error */
	"EBADMSG\0"	/* 74 Bad message */
	"Value too large for defined data type\0"	/* 75 */
	"ENOTUNIQ\0"	/* 76 Name not unique on network */
	"EBADFD\0"	/* 77 File descriptor in bad state */
	"EREMCHG\0"	/* 78 Remote address changed */
	"ELIBACC\0"	/* 79 Can not access a needed shared library */
	"ELIBBAD\0"	/* 80 Accessing a corrupted shared library */
	"ELIBSCN\0"	/* 81 .lib section in a.out corrupted */
	"ELIBMAX\0"	/* 82 Attempting to link in too many shared libraries */
	"ELIBEXEC\0"	/* 83 Cannot exec a shared library directly */
	"Invalid or incomplete multibyte or wide character\0"	/* 84 */
	"ERESTART\0"	/* 85 Interrupted system call should be restarted */
	"ESTRPIPE\0"	/* 86 Streams pipe error */
	"EUSERS\0"	/* 87 Too many users */
	"Socket operation on non-socket\0"	/* 88 */
	"EDESTADDRREQ\0"	/* 89 Destination address required */
	"EMSGSIZE\0"	/* 90 Message too long */
	"EPROTOTYPE\0"	/* 91 Protocol wrong type for socket */
	"ENOPROTOOPT\0"	/* 92 Protocol not available */
	"Protocol not supported\0"	/* 93 */
	"ESOCKTNOSUPPORT\0"	/* 94 Socket type not supported */
	"Operation not supported\0"	/* 95 */
	"EPFNOSUPPORT\0"	/* 96 Protocol family not supported */
	"Address family not supported by protocol\0"	/* 97 */
	"EADDRINUSE\0"	/* 98 Address already in use */
	"EADDRNOTAVAIL\0"	/* 99 Cannot assign requested address */
	"ENETDOWN\0"	/* 100 Network is down */
	"ENETUNREACH\0"	/* 101 Network is unreachable */
	"ENETRESET\0"	/* 102 Network dropped connection on reset */
	"ECONNABORTED\0"	/* 103 Software caused connection abort */
	"ECONNRESET\0"	/* 104 Connection reset by peer */
	"No buffer space available\0"	/* 105 */
	"EISCONN\0"	/* 106 Transport endpoint is already connected */
	"ENOTCONN\0"	/* 107 Transport endpoint is not connected */
	"ESHUTDOWN\0"	/* 108 Cannot send after transport endpoint shutdown */
	"ETOOMANYREFS\0"	/* 109 Too many references: cannot splice */
	"Connection timed out\0"	/* 110 */
	"Connection refused\0"	/* 111 */
	"EHOSTDOWN\0"	/* 112 Host is down */
	"EHOSTUNREACH\0"	/* 113 No route to host */
	"EALREADY\0"	/* 114 Operation already in progress */
	"EINPROGRESS\0"	/* 115 Operation now in progress */
	"Stale file handle\0"	/* 116 */
	"Structure needs cleaning\0"	/* 117 */
	"ENOTNAM\0"	/* 118 Not a XENIX named type file */
	"ENAVAIL\0"	/* 119 No XENIX semaphores available */
	"EISNAM\0"	/* 120 Is a named type file */
	"EREMOTEIO\0"	/* 121 Remote I/O error */
	"Disk quota exceeded\0"	/* 122 */
	"No medium found\0"	/* 123 */
	"EMEDIUMTYPE\0"	/* 124 Wrong medium type */
	"ECANCELED\0"	/* 125 Operation canceled */
	"ENOKEY\0"	/* 126 Required key not available */
	"EKEYEXPIRED\0"	/* 127 Key has expired */
	"EKEYREVOKED\0"	/* 128 Key has been revoked */
	"EKEYREJECTED\0"	/* 129 Key was rejected by service */
	"EOWNERDEAD\0"	/* 130 Owner died */
	"ENOTRECOVERABLE\0"	/* 131 State not recoverable */
	"ERFKILL\0"	/* 132 Operation not possible due to RF-kill */
	"EHWPOISON\0"	/* 133 Memory page has hardware error */;

const char *errno_text(int err)
{
	const char *p = errno_names;

	if (err < 0)
		err = -err;
	if (err < 1 || err > 133)
		return "Unknown error";
	while (--err)
		p += str_len(p) + 1;
	return *p ? p : "Unknown error";
}

/* OCI commands: every error exits 1 (runc's), and each line also goes to
 * --log, as text or as runc's JSON line. */
int log_fd = -1, log_json, exit_error;
void (*die_hook)(void);

void error_line(const char *line, size_t len)
{
	sys_write(2, line, len);
#ifdef NANOCTR_OCI
	char buf[PATH_LIMIT + 1], out[2 * PATH_LIMIT], time[40];
	struct jw w;

	if (log_fd < 0)
		return;
	if (!log_json) {
		sys_write(log_fd, line, len);
		return;
	}
	while (len && line[len - 1] == '\n')
		len--;
	memcpy(buf, line, len < PATH_LIMIT ? len : PATH_LIMIT);
	buf[len < PATH_LIMIT ? len : PATH_LIMIT] = 0;
	jw_init(&w, out, sizeof(out));
	jw_open(&w, '{');
	jw_key(&w, "level");
	jw_str(&w, "error");
	jw_key(&w, "msg");
	jw_str(&w, str_prefix(buf, "nanoctr: ") ? buf + 9 : buf);
	jw_key(&w, "time");
	jw_str(&w, state_now(time));
	jw_close(&w, '}');
	int n = jw_finish(&w, out);
	if (n > 0)
		sys_write(log_fd, out, n);
#endif
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
	/* a line longer than this (a huge argument in it) is cut visibly */
	if (p == end && str_len(what) + (why ? str_len(why) + 2 : 0) + 9 > (size_t)(end - line))
		memcpy(p - 3, "...", 3);
	*p++ = '\n';
	if (fd == 2)
		error_line(line, p - line);
	else
		sys_write(fd, line, p - line);
}

NORETURN void die_code(int code, const char *what, const char *why)
{
	emit(report_fd(), code, what, why);
	if (die_hook && !in_child())
		die_hook();
	sys_exit(exit_error && !in_child() ? exit_error : code);
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
