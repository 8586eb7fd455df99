#!/usr/bin/env bats
# Resource limits on the host (issue 3): -m/--memory, --pids-limit, --cpus, --cgroup-parent;
# where the container's cgroup goes, what the container sees of it, and its removal on
# every exit path. The file names inside the container are cgroup v1's (these hosts are
# hybrid: v1 memory/pids/cpu); the same on pure v2 is tests/qemu.bats' job.
#
# Several nanoctr runs may share this machine: a test only ever looks at the cgroup named
# after the nanoctr it started (nanoctr-<its pid>), never at "all nanoctr-* dirs".

# shellcheck disable=SC2030,SC2031,SC2034 # bats runs each @test in a subshell on purpose; status/stderr/lines are read by the assert_* helpers
load helpers

setup() {
	requires_root
	requires_nanoctr
	bg_pid=
	started=()
	cleanup_dirs=()
}

teardown() {
	local dir pid c i
	if [[ -n $bg_pid ]]; then
		kill -KILL "$bg_pid" 2>/dev/null || true
		wait "$bg_pid" 2>/dev/null || true
	fi
	# a failed test may leave the cgroup of a nanoctr it killed: remove it once empty
	for pid in "${started[@]}"; do
		for c in memory pids cpu; do
			dir=$(ctr_cgroup "$c" "$pid" 2>/dev/null) || continue
			for ((i = 0; i < 50; i++)); do
				[[ -d $dir ]] || break
				rmdir "$dir" 2>/dev/null || sleep 0.05
			done
		done
	done
	# cgroups this test made itself (--cgroup-parent), children first
	for dir in "${cleanup_dirs[@]}"; do
		[[ -d $dir ]] || continue
		find "$dir" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$dir" 2>/dev/null || true
	done
}

# bg_start [RUN-OPTIONS...] COMMAND... — `nanoctr run -r $ROOTFS ...` in the background,
# stdout/stderr to files; sets bg_pid (the pid of nanoctr itself, which names the cgroup).
bg_start() {
	"$NANOCTR" run -r "$ROOTFS" "$@" >"$BATS_TEST_TMPDIR/bg.out" 2>"$BATS_TEST_TMPDIR/bg.err" \
		</dev/null 3>&- &
	bg_pid=$!
	started+=("$bg_pid")
}

# bg_finish — wait for the background nanoctr; sets status, output, lines and stderr as
# `run --separate-stderr` would, so the assert_* helpers work.
bg_finish() {
	status=0
	wait "$bg_pid" || status=$?
	bg_pid=
	output=$(cat "$BATS_TEST_TMPDIR/bg.out")
	stderr=$(cat "$BATS_TEST_TMPDIR/bg.err")
	mapfile -t lines <<<"$output"
}

# bg_run [RUN-OPTIONS...] COMMAND... — bg_start + bg_finish, for runs whose cgroup name
# (the pid of nanoctr) the test needs afterwards: sets ran_pid.
bg_run() {
	bg_start "$@"
	ran_pid=$bg_pid
	bg_finish
}

# ctr_cgroup CONTROLLER PID — the cgroup nanoctr PID creates for CONTROLLER.
ctr_cgroup() {
	echo "$(own_cgroup "$1")/nanoctr-$2"
}

# container_pid NANOCTR-PID — the container's PID 1 as the host sees it, once it has
# exec'd COMM (default sleep). Fails after 10 s.
container_pid() {
	local parent=$1 comm=${2:-sleep} child i
	for ((i = 0; i < 200; i++)); do
		child=$(children_of "$parent" | head -n 1)
		if [[ -n $child && $(cat "/proc/$child/comm" 2>/dev/null) == "$comm" ]]; then
			echo "$child"
			return 0
		fi
		sleep 0.05
	done
	echo "container of nanoctr $parent never ran $comm" >&2
	return 1
}

# cgroup_of PID CONTROLLER — PID's cgroup path for a v1 CONTROLLER, from /proc/PID/cgroup.
cgroup_of() {
	awk -F: -v want="$2" '
		$1 != 0 { n = split($2, c, ","); for (i = 1; i <= n; i++) if (c[i] == want) print $3 }
		' "/proc/$1/cgroup"
}

# stop_twice — two SIGTERMs to the background nanoctr: the first is forwarded to the
# container's PID 1 (a sleep, which ignores it), the second becomes SIGKILL.
stop_twice() {
	kill -TERM "$bg_pid"
	wait_signal_taken "$bg_pid" TERM
	kill -0 "$bg_pid" || { echo "nanoctr exited on the first SIGTERM" >&2; return 1; }
	kill -TERM "$bg_pid"
}

# assert_gone DIR... — none of the cgroup directories exists.
assert_gone() {
	local dir
	for dir in "$@"; do
		[[ ! -e $dir ]] || _assert_fail "cgroup $dir still exists after nanoctr exited"
	done
}

@test "-m 50M: a memory hog is OOM-killed, reported, exit 137, cgroup removed" {
	requires_cgroup memory
	bg_run -m 50M memhog 200
	assert_status 137
	assert_output_equals ""
	assert_stderr_equals "nanoctr: container killed by the OOM killer (memory limit 50M)"
	assert_gone "$(ctr_cgroup memory "$ran_pid")"
}

@test "-m 50M: the same hog under the limit succeeds, cgroup removed" {
	requires_cgroup memory
	bg_run -m 50M memhog 10
	assert_status 0
	assert_output_equals "memhog: ok 10"
	assert_stderr_equals ""
	assert_gone "$(ctr_cgroup memory "$ran_pid")"
}

@test "-m 1g / -m 64m / -m 65536k are written to memory.limit_in_bytes" {
	requires_cgroup_v1 memory
	local file=/sys/fs/cgroup/memory/memory.limit_in_bytes size bytes
	for size in 1g:1073741824 64m:67108864 65536k:67108864 50M:52428800; do
		bytes=${size#*:}
		run --separate-stderr ctr -m "${size%:*}" cat "$file"
		assert_status 0
		assert_output_equals "$bytes"
	done
}

@test "-m: memory+swap (memsw) is set equal to the memory limit (no swap beyond it)" {
	requires_cgroup_v1 memory
	[[ -e $(own_cgroup memory)/memory.memsw.limit_in_bytes ]] ||
		skip "this kernel has no swap accounting (memory.memsw.limit_in_bytes)"
	run --separate-stderr ctr -m 64m cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes
	assert_status 0
	assert_output_equals 67108864
}

@test "--pids-limit 10: a fork loop is contained (EAGAIN), pids.max is 10, the host can still fork" {
	requires_cgroup_v1 pids
	run --separate-stderr ctr --pids-limit 10 sh -c 'cat /sys/fs/cgroup/pids/pids.max; forkloop 50'
	assert_status 0
	[[ ${lines[0]} == 10 ]] || _assert_fail "pids.max inside is not 10"
	[[ ${lines[1]} =~ ^forkloop:\ started\ ([0-9]+)\ of\ 50,\ fork:\ Resource\ temporarily\ unavailable$ ]] ||
		_assert_fail "expected forkloop to stop on EAGAIN"
	# the shell and forkloop count too: at most 8 children fit under 10
	((BASH_REMATCH[1] < 10)) || _assert_fail "started ${BASH_REMATCH[1]} forks under --pids-limit 10"
	# the host is unaffected
	run bash -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do /bin/true & done; wait; echo forked'
	assert_status 0
	assert_output_equals forked
}

@test "--cpus 0.5: cfs quota 50000/100000, and a busy loop is throttled by it" {
	requires_cgroup_v1 cpu
	# Event-based (issue 9): spin until the kernel counts a throttled period in the
	# container's own cpu.stat (120 s is a hang guard only), never a ratio of times.
	run --separate-stderr ctr --cpus 0.5 sh -c '
		cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us
		cpuspin 120 /sys/fs/cgroup/cpu/cpu.stat'
	assert_status 0
	[[ ${lines[0]} == 50000 && ${lines[1]} == 100000 ]] ||
		_assert_fail "expected cfs_quota_us 50000 and cfs_period_us 100000"
	[[ ${lines[2]} =~ ^cpuspin:\ wall_ms=[0-9]+\ cpu_ms=[0-9]+$ ]] || _assert_fail "no cpuspin report"
	[[ ${lines[3]} =~ ^nr_throttled=([0-9]+)$ ]] && ((BASH_REMATCH[1] > 0)) ||
		_assert_fail "the quota never throttled the loop"
}

@test "without --cpus a busy loop's cgroup is never throttled (the control)" {
	requires_cgroup_v1 cpu
	# The same spin in the caller's cgroup with no quota: nr_throttled stays 0, so the
	# test above cannot pass without the quota.
	local own
	own=$(own_cgroup cpu)
	run "$ROOTFS/usr/local/bin/cpuspin" 0.5 "$own/cpu.stat"
	assert_status 0
	[[ ${lines[1]} == nr_throttled=0 ]] || _assert_fail "throttled without a quota"
}

@test "the cgroup is nanoctr-<pid> beneath the caller's own while running; two SIGTERMs stop it (137) and remove it" {
	requires_cgroup memory
	requires_cgroup pids
	requires_cgroup cpu
	local c dir child procs
	bg_start -m 64M --pids-limit 50 --cpus 1 sleep 30
	local pid=$bg_pid
	child=$(container_pid "$pid")
	for c in memory pids cpu; do
		dir=$(ctr_cgroup "$c" "$pid")
		[[ -d $dir ]] || _assert_fail "no $c cgroup $dir while the container runs"
		procs=$(cat "$dir/cgroup.procs")
		[[ $procs == "$child" ]] || _assert_fail "$dir/cgroup.procs is '$procs', expected '$child'"
	done
	if [[ $(cgroup_version memory) == 1 ]]; then
		local own
		own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
		[[ $(cgroup_of "$child" memory) == "${own%/}/nanoctr-$pid" ]] ||
			_assert_fail "the container's memory cgroup is $(cgroup_of "$child" memory)"
	fi
	stop_twice
	bg_finish
	assert_status 137
	for c in memory pids cpu; do
		assert_gone "$(ctr_cgroup "$c" "$pid")"
	done
	[[ ! -e /proc/$child ]] || _assert_fail "the container's PID 1 ($child) outlived nanoctr"
}

@test "normal exit removes the cgroup of every controller" {
	requires_cgroup memory
	requires_cgroup pids
	requires_cgroup cpu
	bg_run -m 64M --pids-limit 50 --cpus 1 sh -c 'exit 3'
	assert_status 3
	local c
	for c in memory pids cpu; do
		assert_gone "$(ctr_cgroup "$c" "$ran_pid")"
	done
}

@test "an error in the child (-w /nonexistent with -m) exits 125 and removes the cgroup" {
	requires_cgroup memory
	bg_run -m 64M -w /nonexistent true
	assert_status 125
	assert_stderr_equals "nanoctr: --workdir /nonexistent: No such file or directory"
	assert_gone "$(ctr_cgroup memory "$ran_pid")"
}

@test "nanoctr killed with SIGKILL: the container dies, the next run with a limit removes the stale cgroup" {
	requires_cgroup memory
	local dir child i
	bg_start -m 64M sleep 30
	local pid=$bg_pid
	child=$(container_pid "$pid")
	dir=$(ctr_cgroup memory "$pid")
	[[ $(cat "$dir/cgroup.procs" 2>/dev/null) == "$child" ]] ||
		_assert_fail "the container ($child) is not in $dir"
	kill -KILL "$pid"
	wait "$pid" || true
	bg_pid=
	# the container's PID 1 dies with its runtime (PR_SET_PDEATHSIG)
	for ((i = 0; i < 100; i++)); do
		[[ -e /proc/$child ]] || break
		sleep 0.05
	done
	[[ ! -e /proc/$child ]] || _assert_fail "the container ($child) outlived a SIGKILLed nanoctr"
	for ((i = 0; i < 100; i++)); do
		[[ -n $(cat "$dir/cgroup.procs" 2>/dev/null) ]] || break
		sleep 0.05
	done
	# nobody could remove it yet: the dead nanoctr left it behind
	[[ -d $dir ]] || _assert_fail "expected the stale cgroup $dir to exist before the next run"
	run --separate-stderr ctr -m 64M true
	assert_status 0
	assert_gone "$dir"
}

@test "inside: /sys/fs/cgroup is the container's own cgroup, read-only; /proc/self/cgroup shows /" {
	requires_cgroup_v1 memory
	run --separate-stderr ctr -m 64M sh -c '
		cat /proc/self/cgroup
		cat /sys/fs/cgroup/memory/memory.limit_in_bytes
		mkdir /sys/fs/cgroup/memory/sub || echo "mkdir failed"
		probe write /sys/fs/cgroup/memory/memory.limit_in_bytes 1073741824
		probe write /sys/fs/cgroup/memory/cgroup.procs 1'
	assert_status 0
	local line n=0
	for line in "${lines[@]}"; do
		[[ $line == [0-9]*:* ]] || continue
		n=$((n + 1))
		[[ $line == *:/ ]] || _assert_fail "a /proc/self/cgroup line is not at /: $line"
	done
	((n > 0)) || _assert_fail "no /proc/self/cgroup lines"
	assert_line_equals 67108864
	assert_line_equals "mkdir failed"
	assert_stderr_contains "Read-only file system"
	assert_line_equals "probe write: EROFS"
	[[ $(grep -cx 'probe write: EROFS' <<<"$output") == 2 ]] ||
		_assert_fail "the container could write its own cgroup files"
}

@test "without limits no cgroup is created: the container stays in the caller's cgroups" {
	local c child own
	bg_start sleep 30
	local pid=$bg_pid
	child=$(container_pid "$pid")
	for c in memory pids cpu; do
		cgroup_version "$c" >/dev/null || continue
		[[ ! -e $(ctr_cgroup "$c" "$pid") ]] || _assert_fail "a $c cgroup was created without a limit"
		if [[ $(cgroup_version "$c") == 1 ]]; then
			own=$(cgroup_of $$ "$c")
			[[ $(cgroup_of "$child" "$c") == "$own" ]] ||
				_assert_fail "the container's $c cgroup is $(cgroup_of "$child" "$c"), not $own"
		fi
	done
	stop_twice
	bg_finish
	assert_status 137
}

@test "--cgroup-parent: the cgroup lands beneath the given parent and is removed" {
	requires_cgroup_v1 memory
	local own_path parent_path parent_dir child dir
	own_path=$(cgroup_of $$ memory)
	parent_path=${own_path%/}/nanoctr-test-parent-$$
	parent_dir=$(own_cgroup memory)/nanoctr-test-parent-$$
	mkdir "$parent_dir"
	cleanup_dirs+=("$parent_dir")
	bg_start -m 64M --cgroup-parent "$parent_path" sleep 30
	local pid=$bg_pid
	child=$(container_pid "$pid")
	dir=$parent_dir/nanoctr-$pid
	[[ $(cat "$dir/cgroup.procs" 2>/dev/null) == "$child" ]] ||
		_assert_fail "the container ($child) is not in $dir"
	[[ $(cgroup_of "$child" memory) == "$parent_path/nanoctr-$pid" ]] ||
		_assert_fail "the container's memory cgroup is $(cgroup_of "$child" memory)"
	[[ ! -e $(ctr_cgroup memory "$pid") ]] ||
		_assert_fail "a cgroup was also created beneath the caller's own"
	stop_twice
	bg_finish
	assert_status 137
	assert_gone "$dir"
	[[ -d $parent_dir ]] || _assert_fail "nanoctr removed the --cgroup-parent directory itself"
}

@test "--cgroup-parent that does not exist: exit 125, the message names the path" {
	requires_cgroup_v1 memory
	local missing
	missing=$(cgroup_of $$ memory)
	missing=${missing%/}/nanoctr-test-missing-$$
	run --separate-stderr ctr -m 64M --cgroup-parent "$missing" true
	assert_status 125
	assert_output_equals ""
	# refused before anything exists, naming the directory that is missing
	assert_stderr_equals "nanoctr: $(cgroup_mountpoint memory)$missing: No such file or directory"
	[[ ! -e $(own_cgroup memory)/nanoctr-test-missing-$$ ]] || _assert_fail "the missing parent was created"
}
