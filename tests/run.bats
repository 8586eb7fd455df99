#!/usr/bin/env bats
# `nanoctr run`: what the container sees (hostname, PID 1, rootfs, env, workdir, PATH
# lookup, network, IPC/UTS, mounts, fds, stdin), exit statuses, signals, and that nothing
# is left behind on the host. Bad input is in tests/args.bats.

load helpers

# ---- helpers of this file (background containers, process states, trees) ----

setup() {
	requires_root
	requires_nanoctr
	bg_pid=
}

teardown() {
	# Only the nanoctr we started; its container dies with it (PR_SET_PDEATHSIG).
	if [[ -n ${bg_pid-} ]] && kill -0 "$bg_pid" 2>/dev/null; then
		kill -KILL "$bg_pid" 2>/dev/null || true
		wait "$bg_pid" 2>/dev/null || true
	fi
}

# bg_start ARGS... — `nanoctr ARGS...` in the background, stdout and stderr into $bg_out;
# sets bg_pid (nanoctr itself: env execs it). Bash starts background jobs of a
# non-interactive shell with SIGINT and SIGQUIT ignored; env puts the signals nanoctr
# forwards back to their defaults, as they are when a user runs it from a terminal.
bg_start() {
	bg_out=$BATS_TEST_TMPDIR/bg.out
	: >"$bg_out"
	env --default-signal=HUP,INT,QUIT,TERM,USR1,USR2 "$NANOCTR" "$@" >"$bg_out" 2>&1 3>&- &
	bg_pid=$!
}

# proc_state PID — the one-letter state of PID (R, S, Z...), empty when it is gone.
proc_state() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	echo "${stat%% *}"
}

# alive PID — PID exists and is not a zombie.
alive() {
	local state
	state=$(proc_state "$1")
	[[ -n $state && $state != Z && $state != X ]]
}

# bg_container COMM — wait (up to 5 s) until the background nanoctr's child, the
# container's PID 1, has exec'd COMM; sets ctr_pid (its host pid).
bg_container() {
	local i pid
	for ((i = 0; i < 100; i++)); do
		for pid in $(children_of "$bg_pid"); do
			if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$1" ]]; then
				ctr_pid=$pid
				return 0
			fi
		done
		alive "$bg_pid" || break
		sleep 0.05
	done
	echo "the container never ran $1; nanoctr output: $(cat "$bg_out")" >&2
	return 1
}

# bg_wait_line LINE — wait (up to 5 s) until $bg_out holds the line LINE.
bg_wait_line() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qxF -- "$1" "$bg_out" && return 0
		alive "$bg_pid" || break
		sleep 0.05
	done
	echo "expected the line '$1'; nanoctr output: $(cat "$bg_out")" >&2
	return 1
}

# bg_wait_exit SECONDS — wait up to SECONDS for the background nanoctr to exit; sets
# bg_status. Fails if it is still running then.
bg_wait_exit() {
	local i
	for ((i = 0; i < $1 * 20; i++)); do
		alive "$bg_pid" || break
		sleep 0.05
	done
	if alive "$bg_pid"; then
		echo "nanoctr ($bg_pid) still running after $1 s; output: $(cat "$bg_out")" >&2
		return 1
	fi
	bg_status=0
	wait "$bg_pid" || bg_status=$?
	bg_pid=
}

# tree DIR — every entry beneath DIR with its type, mode, owner, size and link target.
tree() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %l\n' | sort)
}

# mount_of MOUNTPOINT — from the mountinfo in $output: "FSTYPE MOUNT-OPTIONS SUPER-OPTIONS"
# of the topmost mount at MOUNTPOINT; fails when nothing is mounted there.
mount_of() {
	awk -v mp="$1" '
		$5 == mp { for (i = 7; $i != "-"; i++) ; found = $(i + 1) " " $6 " " $(i + 3) }
		END { if (found == "") exit 1; print found }' <<<"$output"
}

# has_opts "OPT,OPT,..." WANTED... — each WANTED is one of the comma-separated OPTs.
has_opts() {
	local opts=,$1, want
	shift
	for want in "$@"; do
		[[ $opts == *",$want,"* ]] || { echo "option $want missing from $1" >&2; return 1; }
	done
}

# host_procs_running STRING — host pids whose command line contains STRING (not zombies).
# The glob is expanded before grep starts: grep's own command line is not searched.
host_procs_running() {
	local f pid
	grep -lasF -- "$1" /proc/[0-9]*/cmdline | while read -r f; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		[[ $pid == "$BASHPID" || $pid == "$$" ]] && continue
		if alive "$pid"; then echo "$pid"; fi
	done
	return 0
}

# ---- what the container sees ----

@test "hostname: nanoctr by default, --name sets it, --hostname wins" {
	local host_before
	host_before=$(hostname)
	run -0 --separate-stderr ctr /bin/hostname
	assert_output_equals nanoctr
	assert_stderr_equals ""
	run -0 --separate-stderr ctr --name web1 /bin/hostname
	assert_output_equals web1
	run -0 --separate-stderr ctr --name web1 --hostname box.example /bin/sh -c 'hostname; echo "$HOSTNAME"'
	assert_output_equals $'box.example\nbox.example'
	run -0 --separate-stderr ctr --hostname box2 --name web2 /bin/hostname
	assert_output_equals box2
	# UTS namespace: the host's name did not change.
	[ "$(hostname)" = "$host_before" ]
}

@test "ps inside shows the command as PID 1 and nothing else" {
	run -0 --separate-stderr ctr /bin/ps -ef
	[ "${#lines[@]}" -eq 2 ] || _assert_fail "expected a header and one process"
	[[ ${lines[1]} =~ ^\ *1\ +root\ +/bin/ps\ -ef$ ]] || _assert_fail "PID 1 is not /bin/ps -ef"
	run -0 --separate-stderr ctr /bin/sh -c 'echo $$; cat /proc/1/cmdline | tr "\0" " "'
	assert_output_equals $'1\n/bin/sh -c echo $$; cat /proc/1/cmdline | tr "\\0" " " '
}

@test "/etc/os-release comes from the rootfs" {
	run -0 --separate-stderr ctr /bin/cat /etc/os-release
	assert_output_equals "$(cat "$ROOTFS/etc/os-release")"
	assert_output_contains 'PRETTY_NAME="nanoctr busybox rootfs'
	[[ $output != "$(cat /etc/os-release 2>/dev/null)" ]]
}

@test "id: the command runs as root (uid 0)" {
	run -0 --separate-stderr ctr id
	[[ $output == "uid=0(root) gid=0(root)"* ]] || _assert_fail "expected uid=0(root) gid=0(root)"
}

@test "ls /proc shows only the container's pids" {
	run -0 --separate-stderr ctr /bin/ls /proc
	assert_line_equals 1
	assert_line_equals self
	local pids
	pids=$(grep -xE '[0-9]+' <<<"$output" | tr '\n' ' ')
	[ "$pids" = "1 " ] || _assert_fail "numeric entries: $pids"
	# A child of PID 1 gets pid 2: the namespace is fresh.
	run -0 --separate-stderr ctr /bin/sh -c 'ls /proc; exit 0'
	pids=$(grep -xE '[0-9]+' <<<"$output" | tr '\n' ' ')
	[ "$pids" = "1 2 " ] || _assert_fail "numeric entries: $pids"
}

@test "env: exactly PATH, HOME, HOSTNAME and TERM when the host has it; no host variable leaks" {
	local path=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export FOO=leak
	run -0 --separate-stderr env TERM=xterm-nanoctr "$NANOCTR" run -r "$ROOTFS" /usr/bin/env
	assert_stderr_equals ""
	[ "$(sort <<<"$output")" = "$(printf '%s\n' HOME=/root HOSTNAME=nanoctr "$path" TERM=xterm-nanoctr | sort)" ] ||
		_assert_fail "unexpected environment"
	run -0 --separate-stderr env -u TERM "$NANOCTR" run -r "$ROOTFS" --name envtest /usr/bin/env
	[ "$(sort <<<"$output")" = "$(printf '%s\n' HOME=/root HOSTNAME=envtest "$path" | sort)" ] ||
		_assert_fail "unexpected environment without TERM"
}

@test "env: -e K=V adds, -e KEY passes the host's value (or nothing), -e overrides PATH and HOME" {
	export HOSTVAR=from-host
	unset NOT_ON_HOST
	run -0 --separate-stderr env -u TERM "$NANOCTR" run -r "$ROOTFS" -e A=1 -e HOSTVAR -e NOT_ON_HOST \
		-e 'B=two words' -e EMPTY= -e A=3 /usr/bin/env
	[ "$(sort <<<"$output")" = "$(printf '%s\n' A=3 'B=two words' EMPTY= HOME=/root HOSTNAME=nanoctr \
		HOSTVAR=from-host PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin | sort)" ] ||
		_assert_fail "unexpected environment"
	run -0 --separate-stderr env -u TERM "$NANOCTR" run -r "$ROOTFS" -e PATH=/bin -e HOME=/tmp \
		-e HOSTNAME=other /usr/bin/env
	[ "$(sort <<<"$output")" = "$(printf '%s\n' HOME=/tmp HOSTNAME=other PATH=/bin | sort)" ] ||
		_assert_fail "-e did not replace the defaults"
	run -0 --separate-stderr ctr -e HOME=/tmp /bin/sh -c 'cd; pwd'
	assert_output_equals /tmp
}

@test "-w sets the working directory" {
	run -0 --separate-stderr ctr -w /tmp /bin/pwd
	assert_output_equals /tmp
	run -0 --separate-stderr ctr --workdir=/usr/local/bin /bin/sh -c 'pwd; ls probe'
	assert_output_equals $'/usr/local/bin\nprobe'
	run -0 --separate-stderr ctr /bin/pwd
	assert_output_equals /
}

@test "-w to a missing directory or a file: 125 and the child's reason" {
	run -125 --separate-stderr ctr -w /nonexistent /bin/pwd
	assert_output_equals ""
	assert_stderr_equals "nanoctr: --workdir /nonexistent: No such file or directory"
	run -125 --separate-stderr ctr -w /etc/passwd /bin/pwd
	assert_output_equals ""
	assert_stderr_equals "nanoctr: --workdir /etc/passwd: Not a directory"
}

@test "a COMMAND without a slash is looked up in the container's PATH, inside the container" {
	local rootfs
	rootfs=$(fresh_rootfs)
	if command -v only-inside-nanoctr; then _assert_fail "the host has only-inside-nanoctr"; fi
	printf '#!/bin/sh\necho "inside: $0 $*"\n' >"$rootfs/usr/local/bin/only-inside-nanoctr"
	chmod 755 "$rootfs/usr/local/bin/only-inside-nanoctr"
	run -0 --separate-stderr nanoctr run -r "$rootfs" only-inside-nanoctr a b
	assert_output_equals "inside: /usr/local/bin/only-inside-nanoctr a b"
	assert_stderr_equals ""
	# PATH order: /usr/local/sbin comes before /usr/local/bin.
	mkdir -p "$rootfs/usr/local/sbin"
	printf '#!/bin/sh\necho sbin\n' >"$rootfs/usr/local/sbin/only-inside-nanoctr"
	chmod 755 "$rootfs/usr/local/sbin/only-inside-nanoctr"
	run -0 --separate-stderr nanoctr run -r "$rootfs" only-inside-nanoctr
	assert_output_equals sbin
	# The container's PATH (-e), not the host's, is searched.
	run -0 --separate-stderr nanoctr run -r "$rootfs" -e PATH=/usr/local/bin only-inside-nanoctr
	assert_output_equals "inside: /usr/local/bin/only-inside-nanoctr "
	run -127 --separate-stderr nanoctr run -r "$rootfs" -e PATH=/usr/local/bin ls
	assert_stderr_equals 'nanoctr: ls: executable file not found in $PATH'
}

@test "a command only the host has: 127, executable file not found in \$PATH" {
	command -v bash >/dev/null
	[ ! -e "$ROOTFS/bin/bash" ] && [ ! -e "$ROOTFS/usr/bin/bash" ]
	run -127 --separate-stderr ctr bash -c 'echo escaped'
	assert_output_equals ""
	assert_stderr_equals 'nanoctr: bash: executable file not found in $PATH'
	run -127 --separate-stderr ctr "$(command -v bash)" -c 'echo escaped'
	assert_output_equals ""
	assert_stderr_equals "nanoctr: $(command -v bash): No such file or directory"
}

@test "exec errors: missing file 127, not executable 126, directory 126, bad format 126" {
	run -127 --separate-stderr ctr /bin/nope
	assert_output_equals ""
	assert_stderr_equals "nanoctr: /bin/nope: No such file or directory"
	run -126 --separate-stderr ctr /etc/passwd
	assert_output_equals ""
	assert_stderr_equals "nanoctr: /etc/passwd: Permission denied"
	run -126 --separate-stderr ctr /bin
	assert_stderr_equals "nanoctr: /bin: Permission denied"
	local rootfs
	rootfs=$(fresh_rootfs)
	printf 'echo hi\n' >"$rootfs/usr/local/bin/not-exec"
	chmod 644 "$rootfs/usr/local/bin/not-exec"
	run -126 --separate-stderr nanoctr run -r "$rootfs" not-exec
	assert_stderr_equals "nanoctr: not-exec: Permission denied"
	printf '\001\002\003\004garbage' >"$rootfs/usr/local/bin/garbage"
	chmod 755 "$rootfs/usr/local/bin/garbage"
	run -126 --separate-stderr nanoctr run -r "$rootfs" /usr/local/bin/garbage
	assert_stderr_equals "nanoctr: /usr/local/bin/garbage: Exec format error"
}

@test "exit status is the command's" {
	run -7 --separate-stderr ctr /bin/sh -c 'exit 7'
	assert_stderr_equals ""
	run -0 ctr /bin/true
	run -1 ctr /bin/false
	run -255 --separate-stderr ctr /bin/sh -c 'echo out; echo err >&2; exit 255'
	assert_output_equals out
	assert_stderr_equals err
}

@test "death by signal N gives 128+N (a real fault: SIGSEGV, 139)" {
	requires_cmd musl-gcc
	local rootfs
	rootfs=$(fresh_rootfs)
	printf 'int main(void) { volatile int *p = 0; return *p; }\n' >"$BATS_TEST_TMPDIR/segv.c"
	musl-gcc -static -O0 -o "$rootfs/usr/local/bin/segv" "$BATS_TEST_TMPDIR/segv.c"
	run -139 --separate-stderr nanoctr run -r "$rootfs" segv
	assert_output_equals ""
	assert_stderr_equals ""
}

@test "PID 1 ignores a signal it has no handler for, even one it sends itself" {
	# The kernel drops it: this is why a second SIGTERM/SIGINT to nanoctr kills.
	run -0 --separate-stderr ctr /bin/sh -c 'kill -TERM $$; kill -SEGV $$; echo survived'
	assert_output_equals survived
}

@test "death by SIGKILL from the host gives 137" {
	bg_start run -r "$ROOTFS" /bin/sleep 30
	bg_container sleep
	kill -KILL "$ctr_pid"
	bg_wait_exit 2
	[ "$bg_status" -eq 137 ] || _assert_fail "exit status $bg_status, expected 137"
	[ ! -s "$bg_out" ] || _assert_fail "unexpected output: $(cat "$bg_out")"
}

# ---- network, IPC ----

@test "network: default is a namespace with only lo, up" {
	run -0 --separate-stderr ctr ip -o link
	[ "${#lines[@]}" -eq 1 ] || _assert_fail "expected one interface"
	[[ ${lines[0]} == "1: lo: <"* ]] || _assert_fail "the interface is not lo"
	local flags=${lines[0]#*<}
	has_opts "${flags%%>*}" LOOPBACK UP
	run -0 --separate-stderr ctr /bin/ls /sys/class/net
	assert_output_equals lo
	run -0 --separate-stderr ctr /sbin/ifconfig -a
	assert_output_contains "UP LOOPBACK RUNNING"
	[ "$(grep -c '^[^ ]' <<<"$output")" -eq 1 ] || _assert_fail "ifconfig -a lists more than lo"
	[[ ${lines[0]} == "lo "* ]]
	# loopback works
	run -0 --separate-stderr ctr /bin/ping -c 1 -W 2 127.0.0.1
	run -0 ctr /bin/readlink /proc/self/ns/net
	[ "$output" != "$(readlink /proc/self/ns/net)" ]
}

@test "network: --network host sees the host's interfaces" {
	local host_ifs
	host_ifs=$(ls /sys/class/net)
	[ "$(wc -l <<<"$host_ifs")" -gt 1 ] || skip "the host has only loopback"
	run -0 --separate-stderr ctr --network host /bin/ls /sys/class/net
	assert_output_equals "$host_ifs"
	run -0 --separate-stderr ctr --network=host /bin/readlink /proc/self/ns/net
	assert_output_equals "$(readlink /proc/self/ns/net)"
	run -0 --separate-stderr ctr --network none /bin/ls /sys/class/net
	assert_output_equals lo
}

@test "namespaces: PID, UTS, mount, IPC, network and cgroup are the container's own" {
	run -0 --separate-stderr ctr /bin/sh -c \
		'for n in pid uts mnt ipc net cgroup; do readlink /proc/self/ns/$n; done'
	local n i=0
	for n in pid uts mnt ipc net cgroup; do
		[[ ${lines[i]} == "$n:["*"]" ]] || _assert_fail "line $i: ${lines[i]}"
		[ "${lines[i]}" != "$(readlink /proc/self/ns/$n)" ] || _assert_fail "$n namespace is the host's"
		i=$((i + 1))
	done
}

@test "IPC: the host's System V objects are invisible inside" {
	requires_cmd ipcmk ipcrm
	local id
	id=$(ipcmk -M 4096 | grep -oE '[0-9]+$')
	run -0 --separate-stderr ctr /bin/cat /proc/sysvipc/shm
	local inside=("${lines[@]}")
	ipcrm -m "$id"
	[ "${#inside[@]}" -eq 1 ] || _assert_fail "the container sees shm segments: ${inside[*]}"
	[[ ${inside[0]} == *key*shmid* ]]
}

# ---- mounts ----

@test "mounts: the host's mount table is unchanged during and after a run" {
	local before during
	before=$(cat /proc/self/mountinfo)
	run -0 ctr /bin/true
	[ "$(cat /proc/self/mountinfo)" = "$before" ] || _assert_fail "mountinfo changed after a run"
	run -0 ctr --tmpfs /tmp --tmpfs /root /bin/true
	[ "$(cat /proc/self/mountinfo)" = "$before" ] || _assert_fail "mountinfo changed after a run with --tmpfs"
	bg_start run -r "$ROOTFS" /bin/sleep 30
	bg_container sleep
	during=$(cat /proc/self/mountinfo)
	kill -KILL "$bg_pid"
	bg_wait_exit 2
	[ "$during" = "$before" ] || _assert_fail "mountinfo changed during a run: $(diff <(echo "$before") <(echo "$during"))"
	[ "$(cat /proc/self/mountinfo)" = "$before" ] || _assert_fail "mountinfo changed after a run"
}

@test "mounts: a -v bind inside leaves the host's mount table unchanged" {
	local before vol=$BATS_TEST_TMPDIR/vol
	mkdir "$vol"
	echo in-volume >"$vol/f"
	before=$(cat /proc/self/mountinfo)
	run -0 --separate-stderr ctr -v "$vol:/root:ro" /bin/cat /root/f
	assert_output_equals in-volume
	[ "$(cat /proc/self/mountinfo)" = "$before" ] || _assert_fail "mountinfo changed after a run with -v"
}

@test "mounts inside: only /, /proc, /dev and /sys trees; no host mount is visible" {
	run -0 --separate-stderr ctr /bin/cat /proc/self/mountinfo
	local bad
	bad=$(awk '$5 != "/" && $5 !~ "^/(proc|dev|sys)(/|$)" { print $5 }' <<<"$output")
	[ -z "$bad" ] || _assert_fail "unexpected mounts: $bad"
	[ "$(awk '$5 == "/"' <<<"$output" | wc -l)" -eq 1 ] || _assert_fail "more than one mount at /"
}

@test "/proc is a fresh proc, nosuid,nodev,noexec" {
	run -0 --separate-stderr ctr /bin/cat /proc/self/mountinfo
	local fstype opts super
	read -r fstype opts super < <(mount_of /proc)
	[ "$fstype" = proc ]
	has_opts "$opts" nosuid nodev noexec
}

@test "/dev is a small tmpfs with exactly the expected nodes, links and dirs" {
	run -0 --separate-stderr ctr /bin/cat /proc/self/mountinfo
	local fstype opts super
	read -r fstype opts super < <(mount_of /dev)
	[ "$fstype" = tmpfs ]
	has_opts "$opts" nosuid noexec
	read -r fstype opts super < <(mount_of /dev/pts)
	[ "$fstype" = devpts ]
	read -r fstype opts super < <(mount_of /dev/shm)
	[ "$fstype" = tmpfs ]
	read -r fstype opts super < <(mount_of /dev/mqueue)
	[ "$fstype" = mqueue ]

	run -0 --separate-stderr ctr /bin/ls -A /dev
	assert_output_equals "$(printf '%s\n' fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero)"
	# busybox stat: major and minor in hex
	run -0 --separate-stderr ctr /bin/stat -c '%n %F %t:%T' /dev/null /dev/zero /dev/full \
		/dev/random /dev/urandom /dev/tty /dev/pts /dev/shm /dev/mqueue
	assert_output_equals "$(printf '%s\n' \
		'/dev/null character special file 1:3' '/dev/zero character special file 1:5' \
		'/dev/full character special file 1:7' '/dev/random character special file 1:8' \
		'/dev/urandom character special file 1:9' '/dev/tty character special file 5:0' \
		'/dev/pts directory 0:0' '/dev/shm directory 0:0' '/dev/mqueue directory 0:0')"
	run -0 --separate-stderr ctr /bin/sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
	assert_output_equals "$(printf '%s\n' 'fd -> /proc/self/fd' 'stdin -> /proc/self/fd/0' \
		'stdout -> /proc/self/fd/1' 'stderr -> /proc/self/fd/2' 'ptmx -> pts/ptmx')"
	# devpts is a new instance: its own ptmx, no host pty in it.
	run -0 --separate-stderr ctr /bin/ls /dev/pts
	assert_output_equals ptmx
	run -0 --separate-stderr ctr /bin/sh -c 'echo x > /dev/null && head -c 4 /dev/zero | od -An -tx1 && head -c 8 /dev/urandom | wc -c'
	assert_output_equals $' 00 00 00 00\n8'
}

@test "/sys is read-only" {
	run -0 --separate-stderr ctr /bin/cat /proc/self/mountinfo
	local fstype opts super
	read -r fstype opts super < <(mount_of /sys)
	[ "$fstype" = sysfs ]
	has_opts "$opts" ro
	has_opts "$super" ro
	run -1 --separate-stderr ctr /bin/touch /sys/nanoctr-test
	assert_stderr_equals "touch: /sys/nanoctr-test: Read-only file system"
	[ ! -e /sys/nanoctr-test ]
}

# ---- fds, stdin ----

@test "fds above 2 are closed before exec" {
	exec 5</etc/hostname
	# the precondition: this shell really has fds above 2 (bats' 3, our 5)
	run -0 "$ROOTFS/usr/local/bin/probe" fds
	[[ $output == "probe fds: 0 1 2 "*5* ]] || _assert_fail "the host side has no fd 5"
	run -0 --separate-stderr ctr probe fds
	assert_output_equals "probe fds: 0 1 2"
	exec 5<&-
}

feed_hi() {
	echo hi | "$NANOCTR" run -r "$ROOTFS" "$@"
}

@test "stdin is /dev/null without -i, and the host's with -i" {
	run -0 --separate-stderr feed_hi /bin/readlink /proc/self/fd/0
	assert_output_equals /dev/null
	run -0 --separate-stderr feed_hi /bin/cat
	assert_output_equals ""
	run -0 --separate-stderr feed_hi -i /bin/cat
	assert_output_equals hi
	run -0 --separate-stderr feed_hi --interactive /bin/readlink /proc/self/fd/0
	[[ $output == "pipe:["*"]" ]] || _assert_fail "stdin is not the pipe"
}

# ---- root switch ----

@test "a chroot escape from inside does not reach the host" {
	run -0 --separate-stderr ctr probe chroot-escape
	assert_output_equals "probe chroot-escape: contained"
	# The probe does escape a plain chroot: the check above can fail.
	local rootfs
	rootfs=$(fresh_rootfs)
	run -0 chroot "$rootfs" /usr/local/bin/probe chroot-escape
	[[ $output == "probe chroot-escape: ok "* ]] || _assert_fail "the probe did not escape a chroot"
}

# ---- signals ----

@test "SIGTERM, SIGINT: once is dropped by a PID 1 without handler, twice kills (137)" {
	local sig
	for sig in TERM INT; do
		bg_start run -r "$ROOTFS" /bin/sleep 30
		bg_container sleep
		kill -"$sig" "$bg_pid"
		wait_signal_taken "$bg_pid" "$sig"
		alive "$bg_pid" || _assert_fail "nanoctr exited after one SIG$sig: $(cat "$bg_out")"
		alive "$ctr_pid" || _assert_fail "the container died after one SIG$sig"
		kill -"$sig" "$bg_pid"
		bg_wait_exit 2
		[ "$bg_status" -eq 137 ] || _assert_fail "SIG$sig: exit status $bg_status, expected 137"
		if alive "$ctr_pid"; then _assert_fail "SIG$sig: the container outlived nanoctr"; fi
	done
}

@test "SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 are forwarded to a PID 1 that traps them" {
	local sig
	for sig in TERM INT HUP USR1 USR2; do
		bg_start run -r "$ROOTFS" sigtrap
		bg_wait_line "sigtrap: ready"
		kill -"$sig" "$bg_pid"
		bg_wait_exit 2
		[ "$bg_status" -eq 10 ] || _assert_fail "SIG$sig: exit status $bg_status, expected 10"
		[ "$(cat "$bg_out")" = $'sigtrap: ready\nsigtrap: got SIG'"$sig" ] ||
			_assert_fail "SIG$sig: output $(cat "$bg_out")"
	done
}

@test "SIGQUIT is forwarded to a PID 1 that traps it" {
	bg_start run -r "$ROOTFS" /bin/sh -c 'trap "echo got QUIT; exit 3" QUIT; echo ready; sleep 30 & wait $!'
	bg_wait_line ready
	kill -QUIT "$bg_pid"
	bg_wait_exit 2
	[ "$bg_status" -eq 3 ] || _assert_fail "exit status $bg_status, expected 3"
	[ "$(cat "$bg_out")" = $'ready\ngot QUIT' ]
}

@test "nanoctr killed with SIGKILL: its container dies with it" {
	bg_start run -r "$ROOTFS" /bin/sleep 30
	bg_container sleep
	kill -KILL "$bg_pid"
	bg_wait_exit 2
	local i
	for ((i = 0; i < 40; i++)); do
		alive "$ctr_pid" || break
		sleep 0.05
	done
	! alive "$ctr_pid" || _assert_fail "the container ($ctr_pid) outlived nanoctr"
}

# ---- nothing left behind ----

@test "nothing is left in the rootfs after runs that succeed, fail or are killed" {
	local rootfs before
	rootfs=$(fresh_rootfs)
	before=$(tree "$rootfs")
	run -0 nanoctr run -r "$rootfs" /bin/true
	run -0 nanoctr run -r "$rootfs" -w /tmp --name n1 -e A=1 /bin/ls /dev /proc /sys
	run -3 nanoctr run -r "$rootfs" /bin/sh -c 'exit 3'
	run -127 nanoctr run -r "$rootfs" /nonexistent
	run -127 nanoctr run -r "$rootfs" nonexistent
	run -126 nanoctr run -r "$rootfs" /etc/passwd
	run -125 nanoctr run -r "$rootfs" -w /nonexistent /bin/true
	run -0 nanoctr run -r "$rootfs" --network host /bin/true
	run -0 nanoctr run -r "$rootfs" probe chroot-escape
	bg_start run -r "$rootfs" /bin/sleep 30
	bg_container sleep
	kill -KILL "$bg_pid"
	bg_wait_exit 2
	[ "$(tree "$rootfs")" = "$before" ] ||
		_assert_fail "the rootfs changed: $(diff <(echo "$before") <(tree "$rootfs"))"
	local left
	left=$(awk -v d="$rootfs" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo)
	[ -z "$left" ] || _assert_fail "mounts left: $left"
}

@test "no process is left behind when PID 1 exits while others still run" {
	run -0 --separate-stderr ctr /bin/sh -c 'sleep 31415 & sleep 31416 & echo started'
	assert_output_equals started
	# The kernel kills the rest of a PID namespace before its PID 1 is reaped.
	local left
	left=$(host_procs_running 3141)
	[ -z "$left" ] || _assert_fail "left running: $left"
}

# ---- --help, --version, no arguments ----

@test "--help exits 0 and prints the usage on stdout" {
	local arg
	for arg in --help -h help; do
		run -0 --separate-stderr nanoctr "$arg"
		[[ ${lines[0]} == "Usage: nanoctr run [OPTIONS] [--] COMMAND [ARG...]" ]] ||
			_assert_fail "$arg: no usage line"
		assert_output_contains "--rootfs DIR"
		assert_stderr_equals ""
	done
	run -0 --separate-stderr nanoctr run --help
	[[ ${lines[0]} == "Usage: nanoctr run [OPTIONS] [--] COMMAND [ARG...]" ]]
}

@test "--version prints nanoctr 0.1.0" {
	run -0 --separate-stderr nanoctr --version
	assert_output_equals "nanoctr 0.1.0"
	assert_stderr_equals ""
}

@test "no arguments: 125, one line with the usage on stderr, nothing on stdout" {
	run -125 --separate-stderr nanoctr
	assert_output_equals ""
	assert_stderr_equals "nanoctr: no command: usage: nanoctr run [OPTIONS] [--] COMMAND [ARG...] (see nanoctr --help)"
}
