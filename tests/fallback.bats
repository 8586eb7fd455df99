#!/usr/bin/env bats
# The fallbacks for older kernels, driven for real: seccomp-deny (tests/progs) makes a
# system call fail as a kernel without it would, for nanoctr and everything it starts.

load helpers

DENY=""

setup() {
	DENY=$ROOTFS/usr/local/bin/seccomp-deny
	[[ -x $DENY ]] || skip "seccomp-deny was not built"
}

@test "without close_range (ENOSYS): fds above 2 are still closed, by walking /proc/self/fd" {
	# the control: the same leak without the fallback's help would show fd 7
	exec 7</etc/hostname
	run --separate-stderr "$DENY" 436 38 "$NANOCTR" run -r "$ROOTFS" probe fds
	exec 7<&-
	assert_status 0
	assert_output_equals 'probe fds: 0 1 2'
	assert_stderr_equals ''
}

@test "close_range refused with EPERM (a seccomp profile) takes the same fallback" {
	exec 7</etc/hostname
	run --separate-stderr "$DENY" 436 1 "$NANOCTR" run -r "$ROOTFS" probe fds
	exec 7<&-
	assert_status 0
	assert_output_equals 'probe fds: 0 1 2'
}

@test "the deny filter really covers nanoctr and its container" {
	# with nanoctr's own filter off, exactly the test's filter is left
	run --separate-stderr "$DENY" 436 38 "$NANOCTR" run -r "$ROOTFS" --security-opt seccomp=unconfined \
		grep ^Seccomp_filters: /proc/self/status
	assert_status 0
	assert_output_equals $'Seccomp_filters:\t1'
}

@test "without seccomp(2) (ENOSYS, before 3.17): the filter goes in with prctl(PR_SET_SECCOMP)" {
	run --separate-stderr "$DENY" 317 38 "$NANOCTR" run -r "$ROOTFS" sh -c \
		'grep ^Seccomp_filters: /proc/self/status; probe keyctl; probe clone3'
	assert_status 0
	assert_stderr_equals ''
	# two filters: the test's and nanoctr's, which still refuses what it should
	assert_output_equals $'Seccomp_filters:\t2\nprobe keyctl: EPERM\nprobe clone3: ENOSYS'
}

@test "a kernel that refuses seccomp filters altogether: 125 with a hint, nothing left" {
	local before
	before=$(mounts_snapshot)
	run --separate-stderr "$DENY" 317 22 "$NANOCTR" run -r "$ROOTFS" true
	# EINVAL from seccomp(2): the message says how to run anyway
	assert_status 125
	assert_stderr_equals 'nanoctr: seccomp: Invalid argument (kernel without seccomp filters? use --security-opt seccomp=unconfined)'
	[[ $(mounts_snapshot) == "$before" ]] || _assert_fail "mounts changed"
	run -0 "$DENY" 317 22 "$NANOCTR" run -r "$ROOTFS" --security-opt seccomp=unconfined true
}

@test "without cgroup namespaces (unshare says EINVAL): the container still runs" {
	# unshare(2) is 272; the container's own unshare(CLONE_NEWCGROUP) gets EINVAL
	run --separate-stderr "$DENY" 272 22 "$NANOCTR" run -r "$ROOTFS" hostname
	assert_status 0
	assert_output_equals 'nanoctr'
}
