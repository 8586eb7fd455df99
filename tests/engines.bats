#!/usr/bin/env bats
# Real container engines with nanoctr as their OCI runtime (issue 10): podman 4.3 (conmon)
# and containerd 1.6 (ctr, through the io.containerd.runc.v2 shim Kubernetes uses). The
# harness is tests/engines/engines.bash; ENGINE_RUNTIME=/usr/sbin/runc (or crun) runs the
# same tests on another runtime, to check the harness itself.
#
# Skips: a test skips when its engine is not installed, and every test skips while the
# runtime under test is a nanoctr without the OCI `create` command ("create: unknown
# command"); nothing else makes them skip.

load helpers
load engines/engines

setup_file() {
	engines_default_runtime "$BATS_FILE_TMPDIR"
	export ENGINE_RUNTIME ENGINES_NANOCTR
	ENGINES_SKIP=$(engines_skip_reason)
	export ENGINES_SKIP
	ENGINES_TMP=$(mktemp -d "${NANOCTR_TEST_TMP:-/tmp}/eng.XXXXXX")
	ENGINES_CGROUP=$(engines_cgroup_rel)
	export ENGINES_TMP ENGINES_CGROUP
	engines_cgroup_record
	[[ -z $ENGINES_SKIP ]] || return 0
	if command -v podman >/dev/null && command -v conmon >/dev/null; then
		engines_setup_podman
		export ENGINES_PODMAN=1
	fi
	if command -v containerd >/dev/null && command -v ctr >/dev/null &&
		command -v containerd-shim-runc-v2 >/dev/null; then
		# ctr's image comes from podman's: both are needed.
		[[ -z ${ENGINES_PODMAN:-} ]] || { engines_setup_containerd && export ENGINES_CTRD=1; }
	fi
}

teardown_file() {
	local left status=0
	engines_teardown || status=1
	left=$(engines_leftovers)
	[[ -z $left ]] || { echo "left behind by the engines:" >&2; echo "$left" >&2; return 1; }
	return "$status"
}

setup() {
	[[ -z $ENGINES_SKIP ]] || skip "$ENGINES_SKIP"
}

requires_podman() {
	[[ -n ${ENGINES_PODMAN:-} ]] || skip "requires podman and conmon (Debian: podman, conmon)"
}

requires_containerd() {
	[[ -n ${ENGINES_CTRD:-} ]] || skip "requires containerd, ctr, containerd-shim-runc-v2 and podman (Debian: containerd, podman)"
}

# readable_disk — major:minor of a block device that the host can open and read: the
# host's root disk if it can (mountinfo), else the first of /sys/block that can (here the
# sandbox forbids reading vda even to root, while loop and zram devices can be read).
# Without it, a container failing to read the device would prove nothing.
readable_disk() {
	local dev name
	for dev in "$(awk '$5 == "/" { print $3; exit }' /proc/self/mountinfo)" $(cat /sys/block/*/dev 2>/dev/null); do
		[[ -n $dev && -e /sys/dev/block/$dev/uevent ]] || continue
		name=$(awk -F= '$1 == "DEVNAME" { print $2 }' "/sys/dev/block/$dev/uevent")
		[[ -b /dev/$name ]] && head -c1 "/dev/$name" >/dev/null 2>&1 || continue
		echo "$dev"
		return 0
	done
	return 1
}

# ---------------------------------------------------------------- podman

@test "podman run --rm: the command's output" {
	requires_podman
	run --separate-stderr prun --rm "$ENGINES_IMAGE" /bin/echo hello from podman
	assert_status 0
	assert_output_equals "hello from podman"
}

@test "podman run --rm: exit statuses 7, 126 (not executable) and 127 (no such command)" {
	requires_podman
	run -7 prun --rm "$ENGINES_IMAGE" /bin/sh -c 'exit 7'
	# /etc/passwd exists and is not executable: podman's 126 comes from the runtime's
	# "permission denied"; a missing file gives its 127 from "no such file or directory".
	[[ -f $NANOCTR_TEST_ROOTFS/etc/passwd && ! -x $NANOCTR_TEST_ROOTFS/etc/passwd ]]
	run -126 prun --rm "$ENGINES_IMAGE" /etc/passwd
	[[ ! -e $NANOCTR_TEST_ROOTFS/no/such/command ]]
	run -127 prun --rm "$ENGINES_IMAGE" /no/such/command
}

@test "podman run --rm: --hostname, -e, -u, -w reach the container" {
	requires_podman
	run --separate-stderr prun --rm --hostname engbox -e ENG_VAR=engval -u 1234:2345 -w /tmp \
		"$ENGINES_IMAGE" /bin/sh -c 'echo "$(hostname) $ENG_VAR $(id -u):$(id -g) $(pwd)"'
	assert_status 0
	assert_output_equals "engbox engval 1234:2345 /tmp"
}

@test "podman run --rm: -v SRC:DST:ro is readable, not writable" {
	requires_podman
	local vol=$BATS_TEST_TMPDIR/vol
	mkdir "$vol"
	echo volume-content >"$vol/file"
	run prun --rm -v "$vol:/mnt/vol:ro" "$ENGINES_IMAGE" \
		/bin/sh -c 'cat /mnt/vol/file; echo x >/mnt/vol/new && echo WROTE'
	assert_status 1
	assert_output_contains "volume-content"
	assert_output_contains "Read-only file system"
	assert_output_not_contains "WROTE"
	[[ ! -e $vol/new ]]
}

@test "podman run --rm: -m and --pids-limit are the container's cgroup limits" {
	requires_podman
	run --separate-stderr prun --rm -m 64m --pids-limit 17 "$ENGINES_IMAGE" /bin/sh -c '
		cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max
		cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
	assert_status 0
	assert_output_equals "67108864
17"
}

@test "podman run -d, exec (its status), stop (SIGTERM trapped within the grace time), rm" {
	requires_podman
	local name=eng-detached-$$
	# The trap writes a marker and exits 0: a SIGKILL after the grace time would give 137.
	run --separate-stderr prun -d --name "$name" "$ENGINES_IMAGE" /bin/sh -c '
		trap "echo got-SIGTERM; exit 0" TERM
		touch /tmp/ready
		while :; do sleep 1 & wait; done'
	assert_status 0
	wait_for 100 podman exec "$name" /bin/sh -c 'test -e /tmp/ready'
	run podman exec "$name" /bin/sh -c 'echo in-exec; exit 3'
	assert_status 3
	assert_output_equals "in-exec"
	# A grace time far beyond what a trap needs: the status says which signal ended it.
	run podman stop -t 120 "$name"
	assert_status 0
	run podman inspect --format '{{.State.ExitCode}}' "$name"
	assert_output_equals 0
	run podman logs "$name"
	assert_output_contains got-SIGTERM
	run podman rm "$name"
	assert_status 0
	run podman ps -aq
	assert_output_equals ""
}

@test "podman run -t: the command's terminal is /dev/pts/0" {
	requires_podman
	requires_cmd script
	run in_tty prun --rm -t "$ENGINES_IMAGE" /usr/bin/tty
	assert_status 0
	assert_output_equals /dev/pts/0
}

@test "podman run: a disk device made with CAP_MKNOD cannot be read (device cgroup)" {
	requires_podman
	local disk
	disk=$(readable_disk) || skip "no block device that the host itself can read"
	# podman keeps CAP_MKNOD; only the device cgroup stands between the container and the
	# host's disk: the host reads it (readable_disk), and so does a --privileged container
	# (all devices allowed), checked here so that this test can fail.
	run prun --rm --privileged "$ENGINES_IMAGE" /bin/sh -c \
		"mknod /tmp/disk b ${disk%:*} ${disk#*:} && head -c1 /tmp/disk >/dev/null && echo read"
	assert_status 0
	assert_output_equals read
	run prun --rm "$ENGINES_IMAGE" /bin/sh -c \
		"mknod /tmp/disk b ${disk%:*} ${disk#*:} && echo made && head -c1 /tmp/disk >/dev/null"
	assert_status 1
	assert_line_equals made
	assert_output_contains "Operation not permitted"
}

# ---------------------------------------------------------------- containerd (ctr)

@test "ctr run --rm: the command's output" {
	requires_containerd
	run --separate-stderr ctr_run eng-echo --rm -- /bin/echo hello from containerd
	assert_status 0
	assert_output_equals "hello from containerd"
}

@test "ctr run --rm: the command's exit status" {
	requires_containerd
	run -7 ctr_run eng-exit --rm -- /bin/sh -c 'exit 7'
}

@test "ctr run -d, task exec (its status), task kill, task delete" {
	requires_containerd
	local id=eng-detached
	run --separate-stderr ctr_run "$id" -d -- /bin/sh -c '
		trap "exit 0" TERM
		touch /tmp/ready
		while :; do sleep 1 & wait; done'
	assert_status 0
	wait_for 100 cctr task exec --exec-id ready "$id" /bin/sh -c 'test -e /tmp/ready'
	run cctr task exec --exec-id e1 "$id" /bin/sh -c 'echo in-exec; exit 3'
	assert_status 3
	assert_output_equals "in-exec"
	run cctr task kill "$id"
	assert_status 0
	wait_for 100 eval "cctr task ls | grep -q '^$id .*STOPPED'"
	run cctr task delete "$id"
	assert_status 0
	run cctr container delete "$id"
	assert_status 0
	run cctr task ls -q
	assert_output_equals ""
}

@test "ctr run -t: the command's terminal is /dev/pts/0" {
	requires_containerd
	requires_cmd script
	run in_tty ctr_run eng-tty --rm -t -- /usr/bin/tty
	assert_status 0
	# The container's terminal echoes a NUL byte that ctr writes to it (as "^@", echoctl):
	# seen with runc too; it is not the command's output.
	output=${output//'^@'/}
	assert_output_equals /dev/pts/0
}

@test "ctr run --with-ns: a second task joins the first one's namespaces (a pod)" {
	requires_containerd
	local pid net uts ipc
	run ctr_run eng-pod-sandbox -d -- /bin/sh -c 'touch /tmp/ready; while :; do sleep 1 & wait; done'
	assert_status 0
	wait_for 100 cctr task exec --exec-id ready eng-pod-sandbox /bin/sh -c 'test -e /tmp/ready'
	pid=$(cctr task ls | awk '$1 == "eng-pod-sandbox" { print $2 }')
	[[ $pid =~ ^[0-9]+$ ]]
	net=$(readlink "/proc/$pid/ns/net") uts=$(readlink "/proc/$pid/ns/uts") ipc=$(readlink "/proc/$pid/ns/ipc")
	[[ $net != "$(readlink /proc/self/ns/net)" && $uts != "$(readlink /proc/self/ns/uts)" ]]
	# ctr has no --hostname and its containers lack CAP_SYS_ADMIN: name the sandbox's UTS
	# namespace from outside, so that a member's hostname says which namespace it is in.
	nsenter -t "$pid" -u hostname pod-sandbox
	run --separate-stderr ctr_run eng-pod-member --rm --with-ns "network:/proc/$pid/ns/net" \
		--with-ns "uts:/proc/$pid/ns/uts" --with-ns "ipc:/proc/$pid/ns/ipc" -- \
		/bin/sh -c 'hostname; for ns in net uts ipc pid; do readlink /proc/self/ns/$ns; done'
	assert_status 0
	[[ ${lines[0]} == pod-sandbox && ${lines[1]} == "$net" && ${lines[2]} == "$uts" && ${lines[3]} == "$ipc" ]] ||
		_assert_fail "expected pod-sandbox $net $uts $ipc"
	# Its own PID namespace: joined only what it was told to join.
	[[ ${lines[4]} != "$(readlink "/proc/$pid/ns/pid")" ]] || _assert_fail "pid namespace shared"
	run cctr task kill -s SIGKILL eng-pod-sandbox
	assert_status 0
	wait_for 100 eval "cctr task ls | grep -q '^eng-pod-sandbox .*STOPPED'"
	cctr task delete eng-pod-sandbox
	cctr container delete eng-pod-sandbox
}

# ---------------------------------------------------------------- after the suite

@test "podman exec -t, -e, -u, -w: a terminal of the container's, the environment, user and directory" {
	requires_podman
	requires_cmd script
	local name=eng-exec-$$
	run --separate-stderr prun -d --name "$name" "$ENGINES_IMAGE" /bin/sh -c '
		touch /tmp/ready; while :; do sleep 1 & wait; done'
	assert_status 0
	wait_for 100 podman exec "$name" /bin/sh -c 'test -e /tmp/ready'
	run in_tty podman exec -t "$name" /bin/sh -c 'tty; [ -t 0 ] && echo stdin-tty'
	assert_status 0
	[[ $output =~ ^/dev/pts/[0-9]+$'\n'stdin-tty$ ]]
	run podman exec -e ENG_X=y -u 1234:2345 -w /tmp "$name" /bin/sh -c 'echo $ENG_X $(id -u):$(id -g) $PWD'
	assert_status 0
	assert_output_equals "y 1234:2345 /tmp"
	run podman rm -f -t 0 "$name"
	assert_status 0
}

@test "ctr task exec -t: the process's terminal is a pts of the container" {
	requires_containerd
	requires_cmd script
	run ctr_run eng-exec-tty -d -- /bin/sh -c 'touch /tmp/ready; while :; do sleep 1 & wait; done'
	assert_status 0
	wait_for 100 cctr task exec --exec-id ready eng-exec-tty /bin/sh -c 'test -e /tmp/ready'
	run in_tty cctr task exec -t --exec-id tty eng-exec-tty /usr/bin/tty
	assert_status 0
	# ctr's NUL echo (^@, see "ctr run -t"), and maybe its own "resize pty" error on a
	# second line once the process is gone (a race of ctr's)
	output=${output//'^@'/}
	[[ ${output%%$'\n'*} =~ ^/dev/pts/[0-9]+$ ]] || _assert_fail "output: $output"
	run cctr task kill -s SIGKILL eng-exec-tty
	assert_status 0
	wait_for 100 eval "cctr task ls | grep -q '^eng-exec-tty .*STOPPED'"
	run cctr task delete eng-exec-tty
	assert_status 0
	run cctr container delete eng-exec-tty
	assert_status 0
}

# ---------------------------------------------------------------- seccomp (issue 11)

# The probes of tests/seccomp.bats (tests/progs/syscall-probe), one process each: privileged
# and everyday calls, x32 and i386 numbers. The engines send their own seccomp profile; the
# runtime must enforce exactly that one, as runc does.
ENGINES_PROBE_LIST='getpid keyctl add_key unshare setns mount umount2 bpf perf_event_open
	personality-query personality-linux32 personality-norandom clone-newuts clone3
	adjtimex-read adjtimex-write clock_adjtime-read settimeofday io_uring_setup
	name_to_handle_at open_by_handle_at finit_module reboot sethostname chroot userfaultfd
	socket-inet socket-vsock socket-netlink-audit ioctl-tiocsti ptrace process_vm_readv kcmp
	unknown-1000 x32-getpid i386-getpid'
# shellcheck disable=SC2016 # expanded by the container's sh
ENGINES_PROBES='exec 2>&1; for p in '$(echo $ENGINES_PROBE_LIST)'; do syscall-probe $p || echo "$p: status $?"; done; grep ^Seccomp_filters /proc/self/status'

# has_line LINE OUTPUT — OUTPUT holds LINE, else OUTPUT is shown and the test fails
has_line() {
	grep -qxF -- "$1" <<<"$2" && return 0
	sed 's/^/# /' <<<"$2" >&3
	_assert_fail "no line '$1' in that output"
}

# same_answers WHAT RUNC-OUTPUT NANOCTR-OUTPUT — identical, else the diff and a failure
same_answers() {
	[[ $2 == "$3" ]] && return 0
	diff <(echo "$2") <(echo "$3") | sed 's/^/# /' >&3
	_assert_fail "$1: runc (<) and nanoctr (>) differ"
}

@test "seccomp: podman's profile gives the same answers under nanoctr as under runc (default capabilities and --cap-add SYS_ADMIN)" {
	requires_podman
	[[ -x /usr/sbin/runc ]] || skip "requires runc (Debian: runc)"
	local caps expected actual
	for caps in --cap-add=CHOWN --cap-add=SYS_ADMIN; do	# CHOWN: podman's default set as it is
		expected=$(ENGINE_RUNTIME=/usr/sbin/runc prun --rm "$caps" "$ENGINES_IMAGE" sh -c "$ENGINES_PROBES" 2>&1; echo "exit $?")
		actual=$(prun --rm "$caps" "$ENGINES_IMAGE" sh -c "$ENGINES_PROBES" 2>&1; echo "exit $?")
		same_answers "podman run $caps" "$expected" "$actual"
		has_line $'Seccomp_filters:\t1' "$actual"
		has_line 'add_key: ENOSYS' "$actual"	# podman's profile (defaultErrnoRet), not nanoctr's default
		has_line 'exit 0' "$actual"
	done
	has_line 'mount: ok' "$actual"	# SYS_ADMIN: podman's profile then allows mount
}

@test "seccomp: ctr run --seccomp (containerd's default profile) gives the same answers under nanoctr as under runc" {
	requires_containerd
	[[ -x /usr/sbin/runc ]] || skip "requires runc (Debian: runc)"
	local expected actual
	expected=$(ENGINE_RUNTIME=/usr/sbin/runc ctr_run eng-sc-runc --rm --seccomp -- sh -c "$ENGINES_PROBES" 2>&1; echo "exit $?")
	actual=$(ctr_run eng-sc-nanoctr --rm --seccomp -- sh -c "$ENGINES_PROBES" 2>&1; echo "exit $?")
	same_answers "ctr run --seccomp" "$expected" "$actual"
	has_line $'Seccomp_filters:\t1' "$actual"
	has_line 'keyctl: EPERM' "$actual"	# containerd's profile leaves keyctl out
	has_line 'exit 0' "$actual"
	# without --seccomp, ctr sends no profile: no filter, as under runc
	actual=$(ctr_run eng-sc-none --rm -- sh -c 'grep ^Seccomp: /proc/self/status' 2>&1)
	[[ $actual == $'Seccomp:\t0' ]] || _assert_fail "ctr run without --seccomp: $actual"
}

@test "engines: no mount, cgroup, process, container or state directory left" {
	[[ -n ${ENGINES_PODMAN:-}${ENGINES_CTRD:-} ]] || skip "requires podman or containerd"
	run engines_leftovers
	assert_status 0
	assert_output_equals ""
}
