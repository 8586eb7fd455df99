# tests/helpers.bash — loaded by every tests/*.bats file with `load helpers`.
#
# tests/run exports NANOCTR, NANOCTR_TEST_ROOTFS and NANOCTR_TEST_TMP; run the tests
# through it (as root), not with bare bats.
#
# bats (1.8 here) merges stderr into $output after `run`; to check the two apart use
#   run --separate-stderr nanoctr run ...     # then $output is stdout, $stderr is stderr
# `run -N cmd` also asserts the exit status N. Both need the minimum version below.

bats_require_minimum_version 1.5.0

ROOTFS=${NANOCTR_TEST_ROOTFS:-}
NANOCTR=${NANOCTR:-}

# nanoctr ARGS... — the binary under test.
nanoctr() {
	"$NANOCTR" "$@"
}

# ctr [OPTIONS] [--] COMMAND... — `nanoctr run` on the shared, pristine test rootfs.
# Tests that change the rootfs must use `nanoctr run -r "$(fresh_rootfs)"` instead.
ctr() {
	"$NANOCTR" run -r "$ROOTFS" "$@"
}

# fresh_rootfs — a private copy of the test rootfs for a test that modifies it; prints its
# path ($BATS_TEST_TMPDIR/rootfs, created once per test).
fresh_rootfs() {
	local dir=$BATS_TEST_TMPDIR/rootfs
	[[ -d $dir ]] || cp -a -- "$ROOTFS" "$dir"
	echo "$dir"
}

# mounts_snapshot — sorted mount points of this mount namespace (mountinfo field 5), to
# compare before and after a test: nothing a container mounts may show up here.
mounts_snapshot() {
	awk '{ print $5 }' /proc/self/mountinfo | sort
}

# cgroup_mountpoint CONTROLLER — where the v1 hierarchy carrying CONTROLLER is mounted;
# CONTROLLER "" (or "unified") gives the cgroup2 mount. Fails when there is none.
cgroup_mountpoint() {
	local controller=$1
	awk -v want="$controller" '
		{
			for (i = 7; $i != "-"; i++) ;
			fstype = $(i + 1); opts = $(i + 3)
			if (want == "" || want == "unified") {
				if (fstype == "cgroup2") { print $5; found = 1; exit }
			} else if (fstype == "cgroup") {
				n = split(opts, o, ",")
				for (j = 1; j <= n; j++)
					if (o[j] == want || o[j] == "name=" want) { print $5; found = 1; exit }
			}
		}
		END { exit !found }' /proc/self/mountinfo
}

# cgroup_version CONTROLLER — prints 1 if CONTROLLER is on a v1 hierarchy, 2 if it is
# available on cgroup2, fails otherwise.
cgroup_version() {
	local controller=$1 v2
	if awk -F: -v want="$controller" '
		$1 != 0 { n = split($2, c, ","); for (i = 1; i <= n; i++) if (c[i] == want || c[i] == "name=" want) found = 1 }
		END { exit !found }' /proc/self/cgroup; then
		echo 1
		return 0
	fi
	v2=$(cgroup_mountpoint unified) || return 1
	if grep -qw -- "$controller" "$v2/cgroup.controllers" 2>/dev/null; then
		echo 2
		return 0
	fi
	return 1
}

# own_cgroup CONTROLLER — this shell's cgroup directory for CONTROLLER, e.g.
# /sys/fs/cgroup/memory/process_api/xxx (v1) or /sys/fs/cgroup/xxx (v2); CONTROLLER
# "unified" gives the cgroup2 directory whatever its controllers. nanoctr creates
# nanoctr-<pid> directly beneath it.
own_cgroup() {
	local controller=$1 version mountpoint path
	if [[ $controller == unified ]]; then
		version=2
	else
		version=$(cgroup_version "$controller") || return 1
	fi
	if [[ $version == 1 ]]; then
		mountpoint=$(cgroup_mountpoint "$controller") || return 1
		path=$(awk -F: -v want="$controller" '
			$1 != 0 { n = split($2, c, ","); for (i = 1; i <= n; i++) if (c[i] == want || c[i] == "name=" want) { print $3; exit } }
			' /proc/self/cgroup)
	else
		mountpoint=$(cgroup_mountpoint unified) || return 1
		path=$(awk -F: '$1 == 0 { print $3; exit }' /proc/self/cgroup)
	fi
	[[ -n $path ]] || return 1
	path=${path%/}
	echo "$mountpoint$path"
}

# nanoctr_cgroups CONTROLLER — nanoctr-* cgroup directories beneath this shell's own
# cgroup, one per line (empty when there are none).
nanoctr_cgroups() {
	local base
	base=$(own_cgroup "$1") || return 1
	find "$base" -mindepth 1 -type d -name 'nanoctr-*' 2>/dev/null | sort
}

# requires_root, requires_cmd CMD, requires_cgroup_v1 CONTROLLER,
# requires_cgroup_v2 CONTROLLER, requires_cgroup CONTROLLER — skip the test with a reason.
requires_root() {
	[[ $EUID -eq 0 ]] || skip "requires root"
}

requires_cmd() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null || skip "requires the $cmd command"
	done
}

requires_cgroup_v1() {
	[[ $(cgroup_version "$1") == 1 ]] || skip "requires the cgroup v1 $1 controller"
}

requires_cgroup_v2() {
	[[ $(cgroup_version "$1") == 2 ]] || skip "requires the $1 controller on cgroup v2"
}

requires_cgroup() {
	cgroup_version "$1" >/dev/null || skip "requires the $1 cgroup controller"
}

# requires_nanoctr — skip when the binary was not built (NANOCTR_SKIP_BUILD=1).
requires_nanoctr() {
	[[ -n $NANOCTR && -x $NANOCTR ]] || skip "requires the nanoctr binary ($NANOCTR)"
}

# Assertions (bats-assert is not installed). Each prints what it expected and what it got.
_assert_fail() {
	{
		printf '%s\n' "$@"
		echo "status: ${status-}"
		echo "output: ${output-}"
		[[ -z ${stderr+x} ]] || echo "stderr: $stderr"
	} >&2
	return 1
}

# assert_status N — the last `run` exited N.
assert_status() {
	[[ ${status-} == "$1" ]] || _assert_fail "expected status $1, got ${status-}"
}

# assert_output_equals STR — $output is exactly STR.
assert_output_equals() {
	[[ ${output-} == "$1" ]] || _assert_fail "expected output: $1"
}

# assert_output_contains STR — $output contains STR (a plain substring).
assert_output_contains() {
	[[ ${output-} == *"$1"* ]] || _assert_fail "expected output to contain: $1"
}

# assert_output_not_contains STR
assert_output_not_contains() {
	[[ ${output-} != *"$1"* ]] || _assert_fail "expected output not to contain: $1"
}

# assert_line_equals STR — one line of $output is exactly STR.
assert_line_equals() {
	local line
	for line in "${lines[@]}"; do
		[[ $line == "$1" ]] && return 0
	done
	_assert_fail "expected a line: $1"
}

# assert_stderr_equals STR / assert_stderr_prefix STR — after `run --separate-stderr`.
assert_stderr_equals() {
	[[ ${stderr-} == "$1" ]] || _assert_fail "expected stderr: $1"
}

assert_stderr_prefix() {
	[[ ${stderr-} == "$1"* ]] || _assert_fail "expected stderr to start with: $1"
}

# assert_stderr_contains STR
assert_stderr_contains() {
	[[ ${stderr-} == *"$1"* ]] || _assert_fail "expected stderr to contain: $1"
}

# children_of PID — direct children of PID, one per line.
children_of() {
	local list=/proc/$1/task/$1/children
	if [[ -r $list ]]; then
		tr ' ' '\n' <"$list" | sed '/^$/d'
	else
		pgrep -P "$1" || true
	fi
}

# wait_signal_taken PID SIG — wait up to 5 s until PID has taken signal SIG out of its
# pending set (nanoctr reads it from its signalfd, then acts on it at once): an event to
# wait on instead of a sleep.
wait_signal_taken() {
	local pid=$1 bit i pending
	bit=$((1 << ($(kill -l "$2") - 1)))
	for ((i = 0; i < 100; i++)); do
		pending=$(awk '$1 == "ShdPnd:" { print $2 }' "/proc/$pid/status" 2>/dev/null) || return 0
		[[ -z $pending ]] && return 0
		(((16#$pending & bit) == 0)) && return 0
		sleep 0.05
	done
	echo "$pid did not take SIG$2 in 5 s" >&2
	return 1
}

# bg_job CMD... — run CMD in the background, its stdout and stderr to
# $BATS_TEST_TMPDIR/out (emptied first, here: the job's own truncation could come after
# a wait already read the previous run's lines), its pid in $bg_pid. Bash starts
# background jobs with SIGINT and SIGQUIT ignored, which nanoctr would pass on to the
# command: env --default-signal gives it the dispositions a foreground run has.
bg_job() {
	env --default-signal true 2>/dev/null ||
		skip "requires env --default-signal (coreutils 8.31 or later)"
	: >"$BATS_TEST_TMPDIR/out"
	env --default-signal "$@" >>"$BATS_TEST_TMPDIR/out" 2>&1 &
	bg_pid=$!
}

# wait_bg — wait up to 5 s for the background job to exit; sets $status and $output (its
# stdout and stderr). Fails, showing its output, if it is still running then.
wait_bg() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$bg_pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$bg_pid" 2>/dev/null; then
		echo "($bg_pid) still running 5 s after the signal" >&2
		cat "$BATS_TEST_TMPDIR/out" >&2
		return 1
	fi
	status=0
	wait "$bg_pid" || status=$?
	bg_pid=
	output=$(cat "$BATS_TEST_TMPDIR/out")
}

# has_descendant PID COMM — is a process named COMM among PID's descendants?
has_descendant() {
	local pid
	for pid in $(children_of "$1"); do
		[[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]] && return 0
		has_descendant "$pid" "$2" && return 0
	done
	return 1
}
