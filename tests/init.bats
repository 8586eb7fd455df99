#!/usr/bin/env bats
# --init (issue 5): nanoctr stays the container's PID 1, forks the command, forwards
# signals to it, reaps every child, exits with the command's status, and cannot be
# reached from inside (/proc/1/exe, ptrace).

# shellcheck disable=SC2016 # the container expands $ in the scripts given to its sh -c

load helpers

setup() {
	requires_nanoctr
	requires_root
	bg_pid=
}

teardown() {
	# A container a failed test left running: end it by id (its PID 1 dies with it).
	if [[ -n $bg_pid ]] && kill -0 "$bg_pid" 2>/dev/null; then
		kill -KILL "$bg_pid" 2>/dev/null || true
		wait "$bg_pid" 2>/dev/null || true
	fi
}

# start_bg [NANOCTR-RUN-ARGS...] — `nanoctr run -r ROOTFS ARGS...` in the background
# (bg_job in helpers.bash).
start_bg() {
	bg_job "$NANOCTR" run -r "$ROOTFS" "$@"
}

# wait_for_descendant COMM — wait up to 5 s for a process named COMM beneath the
# background nanoctr.
wait_for_descendant() {
	local i
	for ((i = 0; i < 100; i++)); do
		has_descendant "$bg_pid" "$1" && return 0
		sleep 0.05
	done
	echo "timed out waiting for $1 under nanoctr ($bg_pid)" >&2
	return 1
}

# wait_for_output LINE — wait up to 5 s for LINE in the background container's output.
wait_for_output() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qxF -- "$1" "$BATS_TEST_TMPDIR/out" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $1" >&2
	cat "$BATS_TEST_TMPDIR/out" >&2
	return 1
}

@test "--init: nanoctr is PID 1, the command is PID 2" {
	run -0 --separate-stderr ctr --init sh -c 'echo "pid=$$ ppid=$PPID init=$(cat /proc/1/comm)"; ps -o pid,comm'
	assert_line_equals 'pid=2 ppid=1 init=nanoctr'
	[[ ${lines[2]} =~ ^\ *1\ nanoctr$ ]] || _assert_fail "expected PID 1 nanoctr in ps"
	[[ ${lines[3]} =~ ^\ *2\ ps$ ]] || _assert_fail "expected PID 2 ps (exec'd by sh) in ps"
	[[ ${#lines[@]} -eq 4 ]] || _assert_fail "expected exactly two processes"
	# Without --init the command itself is PID 1.
	run -0 ctr sh -c 'echo "pid=$$ init=$(cat /proc/1/comm)"'
	assert_output_equals 'pid=1 init=sh'
}

# PID 1 here is `cat` reading a fifo (it never waits for children); the orphans'
# grandchildren are reparented to the container's PID 1.
orphans_script='mkfifo /tmp/f; (orphans 5; ps -o stat,comm) >/tmp/f & exec cat /tmp/f'

@test "--init reaps orphans: no zombies" {
	run -0 --separate-stderr ctr --init --tmpfs /tmp sh -c "$orphans_script"
	assert_line_equals 'orphans: made 5'
	assert_line_equals 'S    nanoctr'
	[[ $output != *$'\nZ'* ]] || _assert_fail "expected no zombie (Z) in ps"
}

@test "without --init a PID 1 that does not reap keeps the orphans as zombies (the check above can fail)" {
	run -0 --separate-stderr ctr --tmpfs /tmp sh -c "$orphans_script"
	assert_line_equals 'orphans: made 5'
	[[ $(grep -c '^Z  *orphans$' <<<"$output") -eq 5 ]] || _assert_fail "expected 5 zombie orphans in ps"
}

@test "--init exits with the command's status, 128+N when it dies of signal N" {
	run -42 ctr --init sh -c 'exit 42'
	run -0 ctr --init true
	run -137 ctr --init sh -c 'kill -KILL $$'
	# The command's exit ends the container even when it leaves children behind: a
	# nanoctr that waited for the orphan would be killed by the hang guard (137 from
	# timeout -s KILL), never exit 7.
	run -7 timeout -s KILL 120 "$NANOCTR" run -r "$ROOTFS" --init sh -c 'sleep 100000 & exit 7'
}

@test "--init: exec errors still give 126/127 and the message" {
	run -127 --separate-stderr ctr --init /nope
	assert_stderr_equals 'nanoctr: /nope: No such file or directory'
	assert_output_equals ''
	run -127 --separate-stderr ctr --init nope
	assert_stderr_equals 'nanoctr: nope: executable file not found in $PATH'
	run -126 --separate-stderr ctr --init /etc/passwd
	assert_stderr_equals 'nanoctr: /etc/passwd: Permission denied'
}

@test "--init: stdin is /dev/null without -i, nanoctr's stdin with -i" {
	run -0 bash -c 'echo hi | "$1" run -r "$2" --init -i cat' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals 'hi'
	run -0 bash -c 'echo hi | "$1" run -r "$2" --init sh -c "readlink /proc/self/fd/0; cat"' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals '/dev/null'
}

@test "--init: one SIGTERM to nanoctr stops sleep with 143" {
	start_bg --init sleep 30
	wait_for_descendant sleep
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 143
	assert_output_equals ''
}

@test "--init: one SIGINT to nanoctr stops sleep with 130" {
	start_bg --init sleep 30
	wait_for_descendant sleep
	kill -INT "$bg_pid"
	wait_bg
	assert_status 130
	assert_output_equals ''
}

# sh stays the parent of sleep here (busybox sh would exec a lone `sleep 30`).
@test "--init: one SIGTERM to nanoctr stops sh -c 'sleep 30; ...' with 143" {
	start_bg --init sh -c 'sleep 30; echo not reached'
	wait_for_descendant sleep
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 143
	assert_output_equals ''
}

# A shell that gets SIGINT while it waits for a child defers it until the child exits
# (and dies of SIGINT only if the child did): as a terminal's ^C does, the signal must
# reach the command's whole process group.
@test "--init: one SIGINT to nanoctr stops sh -c 'sleep 30; ...' with 130" {
	start_bg --init sh -c 'sleep 30; echo not reached'
	wait_for_descendant sleep
	kill -INT "$bg_pid"
	wait_bg
	assert_status 130
	assert_output_equals ''
}

@test "--init forwards SIGUSR1 to the command" {
	start_bg --init sigtrap
	wait_for_output 'sigtrap: ready'
	kill -USR1 "$bg_pid"
	wait_bg
	assert_status 10
	assert_output_equals $'sigtrap: ready\nsigtrap: got SIGUSR1'
}

@test "--init forwards SIGHUP, SIGUSR2, SIGTERM and SIGINT to a command that traps them" {
	local sig
	for sig in HUP USR2 TERM INT; do
		start_bg --init sigtrap
		wait_for_output 'sigtrap: ready'
		kill -"$sig" "$bg_pid"
		wait_bg
		assert_status 10
		assert_output_equals $'sigtrap: ready\nsigtrap: got SIG'"$sig"
	done
}

@test "--init: /proc/1/exe (the host's nanoctr) cannot be opened or read from inside" {
	run -0 --separate-stderr ctr --init sh -c 'cat /proc/1/exe >/dev/null; echo "cat=$?"; readlink /proc/1/exe; echo "readlink=$?"'
	assert_output_equals $'cat=1\nreadlink=1'
	assert_stderr_equals "cat: can't open '/proc/1/exe': Permission denied"
	run -0 ctr --init sh -c 'for f in exe environ mem root/ cwd/; do probe open /proc/1/$f; done'
	assert_output_equals "$(printf 'probe open: EACCES\n%.0s' 1 2 3 4 5)"
}

@test "--init: PID 1 cannot be ptraced from inside" {
	run -0 ctr --init probe ptrace 1
	assert_output_equals 'probe ptrace: EPERM'
}

@test "--init: the container's PID 1 shares no memory with nanoctr on the host" {
	# Without --init the child shares nanoctr's memory (CLONE_VM) only until it execs;
	# with --init it never execs, and shared memory would be a way out of the container.
	local same_vm=$ROOTFS/usr/local/bin/same-vm init
	[[ -x $same_vm ]] || skip "same-vm was not built"
	start_bg --init sleep 30
	wait_for_descendant sleep
	init=$(children_of "$bg_pid")
	[[ $init =~ ^[0-9]+$ ]] || _assert_fail "expected one child of nanoctr, got: $init"
	[[ $(cat "/proc/$init/comm") == nanoctr ]] || _assert_fail "the child is not nanoctr"
	run -0 "$same_vm" "$bg_pid" "$init"
	assert_output_equals separate
	# the control: a process and itself do share
	run -0 "$same_vm" "$bg_pid" "$bg_pid"
	assert_output_equals shared
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 143
}
