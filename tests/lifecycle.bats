#!/usr/bin/env bats
# The process lifecycle (issue 9): what nanoctr inherits from its caller (closed or
# directory stdio, ignored or blocked signals), how the child's setup failures reach
# the parent, cleanup on every path, --init and the supervisor without close_range or
# signalfd, -w across the user switch, and the runtime kept out of the container's
# OOM domain.

# shellcheck disable=SC2016 # the container expands $ in the scripts given to its sh -c

load helpers

setup() {
	requires_nanoctr
	requires_root
	bg_pid=
	hogs=()
	DENY=$ROOTFS/usr/local/bin/seccomp-deny
}

teardown() {
	local pid
	for pid in "${hogs[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ -n $bg_pid ]] && kill -0 "$bg_pid" 2>/dev/null; then
		kill -KILL "$bg_pid" 2>/dev/null || true
		wait "$bg_pid" 2>/dev/null || true
	fi
	if [[ -n ${tiny:-} && -d $tiny ]]; then
		find "$tiny" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$tiny" 2>/dev/null || true
	fi
}

# wait_for COMMAND... — wait up to 5 s for COMMAND to succeed.
wait_for() {
	local i
	for ((i = 0; i < 100; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $*" >&2
	cat "$BATS_TEST_TMPDIR/out" >&2
	return 1
}

# redirected REDIRECTION CMD... — run CMD with REDIRECTION applied last, in a shell of
# its own: `run CMD >&-` would not do, as bats' run sets up its own stdout and stderr
# pipes after the redirection (and a closed fd 0 would become the read end of one).
redirected() {
	local redirection=$1
	shift
	bash -c '"$@" '"$redirection" _ "$@"
}

# --- item 5: stdio that reaches the host ---------------------------------------------

@test "a directory as stdin with -i is refused (it would be a way to the host's tree)" {
	run -125 --separate-stderr ctr -i sh -c 'cd /proc/self/fd/0 && ls' </etc
	assert_stderr_equals 'nanoctr: stdin: is a directory (refused: it would give the container a host directory)'
	assert_output_equals ''
}

@test "a directory as stdout or stderr is refused; without -i stdin is /dev/null whatever it was" {
	run -125 --separate-stderr redirected '1</etc' "$NANOCTR" run -r "$ROOTFS" sh -c 'echo ran >&2'
	assert_stderr_equals 'nanoctr: stdout: is a directory (refused: it would give the container a host directory)'
	# stderr a directory: the message cannot be seen, the command must not run
	run -125 --separate-stderr redirected '2</etc' "$NANOCTR" run -r "$ROOTFS" sh -c 'echo ran'
	assert_output_equals ''
	run -0 --separate-stderr ctr sh -c 'readlink /proc/self/fd/0' </etc
	assert_output_equals '/dev/null'
}

@test "an O_PATH descriptor as stdio is refused" {
	requires_cmd python3
	run -125 --separate-stderr python3 -c 'import os, sys
fd = os.open("/etc/hostname", os.O_PATH)
os.dup2(fd, 0)
os.execv(sys.argv[1], sys.argv[1:])' "$NANOCTR" run -r "$ROOTFS" -i cat
	assert_stderr_equals 'nanoctr: stdin: is an O_PATH descriptor (refused: it would give the container a host path)'
}

# --- item 10: closed stdio at start ----------------------------------------------------

@test "closed stdin with -i: the container reads /dev/null, not one of nanoctr's pipes" {
	run -0 --separate-stderr redirected '<&-' "$NANOCTR" run -r "$ROOTFS" -i sh -c 'readlink /proc/self/fd/0; cat; echo end'
	assert_output_equals $'/dev/null\nend'
}

@test "closed stdout: the container's stdout is /dev/null" {
	run -0 --separate-stderr redirected '>&-' "$NANOCTR" run -r "$ROOTFS" sh -c 'exec 3>&1; readlink /proc/self/fd/3 >&2'
	assert_stderr_equals '/dev/null'
}

@test "closed stderr: the container's stderr is /dev/null, exit statuses unchanged" {
	run -0 --separate-stderr redirected '2>&-' "$NANOCTR" run -r "$ROOTFS" sh -c 'readlink /proc/self/fd/2'
	assert_output_equals '/dev/null'
	# nanoctr's own error goes nowhere, not into its channel with the child
	run -127 redirected '2>&-' "$NANOCTR" run -r "$ROOTFS" /nope
	assert_output_equals ''
	run -125 redirected '2>&-' "$NANOCTR" run -r "$ROOTFS" -w /nope true
}

# --- item 7: setup errors lost ----------------------------------------------------------

@test "setup errors are never lost: 200 failing runs under CPU load all print their line" {
	local i bad=0 src=$BATS_TEST_TMPDIR/src err=$BATS_TEST_TMPDIR/err rc
	mkdir "$src"
	for i in 1 2 3; do
		(while :; do :; done) &
		hogs+=($!)
	done
	for ((i = 0; i < 200; i++)); do
		rc=0
		"$NANOCTR" run -r "$ROOTFS" -v "$src:/etc/passwd/x" /bin/true 2>"$err" || rc=$?
		if [[ $rc != 125 || $(<"$err") != 'nanoctr: /etc/passwd/x: Not a directory' ]]; then
			echo "run $i: status $rc, stderr: $(<"$err")" >&2
			bad=$((bad + 1))
		fi
	done
	((bad == 0)) || _assert_fail "$bad of 200 runs lost their message"
}

@test "a setup killed before exec is a setup failure: 125 and a line, not 128+N" {
	# sethostname(2) (170) is made by the container's setup alone: it kills it (SIGSYS)
	run -125 --separate-stderr "$DENY" 170 kill "$NANOCTR" run -r "$ROOTFS" true
	assert_stderr_equals 'nanoctr: container setup: killed by signal 31'
	assert_output_equals ''
}

@test "a setup that dies takes its cgroup with it" {
	requires_cgroup memory
	run -125 --separate-stderr "$DENY" 170 kill "$NANOCTR" run -r "$ROOTFS" -m 64m true
	assert_stderr_equals 'nanoctr: container setup: killed by signal 31'
	[[ -z $(nanoctr_cgroups memory) ]] || _assert_fail "cgroups left: $(nanoctr_cgroups memory)"
}

@test "SIGTERM during the setup: the child is killed, the cgroup removed, exit 143" {
	requires_cmd strace
	requires_cgroup memory
	local log=$BATS_TEST_TMPDIR/strace nanoctr_pid
	# strace stops the container's setup at its sethostname(2): an event to wait on
	bg_job strace -f -qq -o "$log" -e trace=sethostname -e inject=sethostname:signal=STOP \
		"$NANOCTR" run -r "$ROOTFS" -m 64m true
	wait_for grep -q 'stopped by SIGSTOP' "$log"
	nanoctr_pid=$(children_of "$bg_pid" | head -1)
	[[ $(cat "/proc/$nanoctr_pid/comm") == nanoctr ]] || _assert_fail "no nanoctr under strace"
	[[ -n $(nanoctr_cgroups memory) ]] || _assert_fail "expected the container's cgroup"
	kill -TERM "$nanoctr_pid"
	wait_bg
	assert_status 143
	[[ -z $(nanoctr_cgroups memory) ]] || _assert_fail "cgroups left: $(nanoctr_cgroups memory)"
}

# --- items 8, 9: the caller's signal state ---------------------------------------------

@test "the caller ignores SIGCHLD: nanoctr still waits and exits with the command's status" {
	run -3 timeout -s KILL 10 env --ignore-signal=CHLD "$NANOCTR" run -r "$ROOTFS" /bin/sh -c 'exit 3'
	run -7 timeout -s KILL 10 env --ignore-signal=CHLD "$NANOCTR" run -r "$ROOTFS" --init /bin/sh -c 'exit 7'
}

@test "signals the caller ignored or blocked reach the command at their default, unblocked" {
	local env=(env --ignore-signal=PIPE --ignore-signal=XFSZ --ignore-signal=HUP
		--block-signal=TERM --block-signal=USR1)
	run -0 --separate-stderr "${env[@]}" "$NANOCTR" run -r "$ROOTFS" grep -E '^Sig(Ign|Blk)' /proc/self/status
	assert_output_equals $'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000'
	# --init: its command too
	run -0 --separate-stderr "${env[@]}" "$NANOCTR" run -r "$ROOTFS" --init grep -E '^Sig(Ign|Blk)' /proc/self/status
	assert_output_equals $'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000'
}

@test "a command that traps SIGTERM gets it though the caller blocked it" {
	bg_job env --block-signal=TERM "$NANOCTR" run -r "$ROOTFS" sigtrap
	wait_for grep -qxF 'sigtrap: ready' "$BATS_TEST_TMPDIR/out"
	kill -TERM "$(children_of "$bg_pid" | head -1)"
	wait_bg
	assert_status 10
	assert_output_equals $'sigtrap: ready\nsigtrap: got SIGTERM'
}

# --- item 11: --init without close_range, the supervisor without signalfd -------------

@test "--init without close_range (ENOSYS): one SIGTERM still stops it with 143" {
	[[ -x $DENY ]] || skip "seccomp-deny was not built"
	bg_job "$DENY" 436 38 "$NANOCTR" run -r "$ROOTFS" --init sleep 30
	wait_for has_descendant "$bg_pid" sleep
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 143
	assert_output_equals ''
}

@test "--init without close_range: inherited fds are closed in its PID 1 too" {
	exec 7</etc/hostname
	run -0 --separate-stderr "$DENY" 436 38 "$NANOCTR" run -r "$ROOTFS" --init sh -c 'ls /proc/1/fd | sort | tr "\n" " "'
	exec 7<&-
	# nanoctr's init holds only its stdio
	assert_output_equals '0 1 2 '
}

@test "without signalfd (ENOSYS): the supervisor still waits and forwards" {
	run -3 --separate-stderr timeout -s KILL 10 "$DENY" 289 38 "$NANOCTR" run -r "$ROOTFS" sh -c 'exit 3'
	assert_stderr_equals ''
	bg_job "$DENY" 289 38 "$NANOCTR" run -r "$ROOTFS" --init sleep 30
	wait_for has_descendant "$bg_pid" sleep
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 143
}

# --- item 20: -w across the user switch -------------------------------------------------

@test "-u 1000:1000 -w DIR where only root may enter DIR works, as runc" {
	local r
	r=$(fresh_rootfs)
	mkdir -m 0700 "$r/private"
	run -0 --separate-stderr nanoctr run -r "$r" -u 1000:1000 -w /private sh -c 'pwd; id -u; ls >/dev/null 2>&1 || echo "ls denied"'
	assert_output_equals $'/private\n1000\nls denied'
}

@test "--cap-drop ALL -w DIR owned by another user (0700) works" {
	local r
	r=$(fresh_rootfs)
	mkdir -p -m 0700 "$r/home/app"
	chown 1000:1000 "$r/home/app"
	run -0 --separate-stderr nanoctr run -r "$r" --cap-drop ALL -w /home/app pwd
	assert_output_equals '/home/app'
}

@test "-w that does not exist is still refused after the switch" {
	run -125 --separate-stderr ctr -u 1000:1000 -w /nope true
	assert_stderr_equals 'nanoctr: --workdir /nope: No such file or directory'
}

# --- item 26: memory limits and the runtime's own memory --------------------------------

@test "-m below docker's 6MB minimum is refused; 6m is fine" {
	run -125 --separate-stderr ctr -m 8k true
	assert_stderr_equals 'nanoctr: --memory 8k: minimum memory limit allowed is 6MB'
	run -125 --separate-stderr ctr -m 6291455 true
	assert_stderr_equals 'nanoctr: --memory 6291455: minimum memory limit allowed is 6MB'
	requires_cgroup memory
	run -0 ctr -m 6m true
}

@test "-m 6m: a memory hog is OOM-killed, nanoctr reports it, exits 137, no cgroup left" {
	requires_cgroup memory
	run -137 --separate-stderr ctr -m 6m memhog 64
	assert_stderr_equals 'nanoctr: container killed by the OOM killer (memory limit 6m)'
	[[ -z $(nanoctr_cgroups memory) ]] || _assert_fail "cgroups left: $(nanoctr_cgroups memory)"
}

# Beneath a parent cgroup with a tiny limit the OOM killer strikes during the setup
# (the exact moment varies). Whenever it does, the runtime must survive it: a line on
# stderr for every failure, the cgroup removed. Sharing memory with its child (CLONE_VM)
# it was killed along with it: 137, no message, nanoctr-PID left behind.
@test "an OOM kill during the setup never kills nanoctr itself" {
	requires_cgroup_v1 memory
	local base i bad=0 err=$BATS_TEST_TMPDIR/err rc
	base=$(own_cgroup memory)
	tiny=$base/lifecycle-tiny-$$
	mkdir "$tiny"
	echo $((160 << 10)) >"$tiny/memory.limit_in_bytes"
	for ((i = 0; i < 10; i++)); do
		rc=0
		"$NANOCTR" run -r "$ROOTFS" -m 6m --cgroup-parent "${tiny#"$(cgroup_mountpoint memory)"}" true 2>"$err" || rc=$?
		if [[ $rc != 0 && ! -s $err ]]; then
			echo "run $i: status $rc and no message" >&2
			bad=$((bad + 1))
		fi
		[[ -z $(find "$tiny" -mindepth 1 -type d -name 'nanoctr-*') ]] || {
			echo "run $i: cgroup left behind" >&2
			bad=$((bad + 1))
			find "$tiny" -mindepth 1 -depth -type d -exec rmdir {} +
		}
	done
	((bad == 0)) || _assert_fail "$bad failures"
}
