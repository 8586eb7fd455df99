#!/usr/bin/env bats
# Review of the seccomp wiring (issue 11, breaker-sc): hostile or odd profiles given to
# `nanoctr run --security-opt seccomp=FILE`. Each test failed on the code before its fix.

load helpers

setup() {
	requires_root
	requires_nanoctr
}

@test "a profile that refuses every call, exit_group included: the container ends (killed by a fault), nanoctr does not spin" {
	# execve fails with EPERM; the child's exit_group too: it used to loop forever at
	# 100% CPU (`for (;;);` after exit_group); runc's init dies of a fault the same way
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ERRNO"}' >"$p"
	run --separate-stderr timeout 60 "$NANOCTR" run -r "$ROOTFS" --security-opt "seccomp=$p" \
		sh -c 'echo ran' </dev/null
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: container setup: killed by signal 4"
}

# capmix — a docker-format profile whose filter fits for no capability and for all of
# them, but not for CAP_SYS_ADMIN without CAP_SYS_TIME: 34 calls with six 64-bit
# conditions twice under includes.caps SYS_ADMIN, 34 more under excludes.caps SYS_TIME.
capmix() {
	local names=(lstat pread64 pwrite64 sched_yield mremap msync mincore madvise shmget
		shmat shmctl dup pause nanosleep getitimer alarm setitimer sendfile accept sendto
		recvfrom sendmsg recvmsg shutdown bind listen getsockname getpeername socketpair
		setsockopt getsockopt semget semop semctl shmdt msgget msgsnd msgrcv msgctl flock
		fsync fdatasync truncate ftruncate fchdir rename mkdir rmdir creat link unlink
		symlink readlink chmod fchmod chown fchown lchown gettimeofday getrlimit getrusage
		sysinfo times ptrace syslog setuid setgid setsid)
	local i n v key cap sep=''
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": ['
	for i in "${!names[@]}"; do
		n=${names[i]}
		if ((i < 34)); then key=includes cap=CAP_SYS_ADMIN; else key=excludes cap=CAP_SYS_TIME; fi
		for v in 12345678901 12345679901; do
			printf '%s{"names": ["%s"], "action": "SCMP_ACT_ERRNO", "%s": {"caps": ["%s"]}, "args": [' \
				"$sep" "$n" "$key" "$cap"
			printf '{"index": 0, "value": %s, "op": "SCMP_CMP_EQ"}, ' $v $((v + 1)) $((v + 2)) $((v + 3)) $((v + 4))
			printf '{"index": 5, "value": %s, "op": "SCMP_CMP_EQ"}]}' $((v + 5))
			sep=', '
		done
	done
	printf ']}\n'
}

@test "a profile too large for the container's own capabilities (not for none or all): refused before the container is set up" {
	# the size was checked for no capability and all of them only; --cap-add SYS_ADMIN
	# selects both halves: the container was set up (its mount points made in the
	# rootfs) and failed at the filter's load
	local p=$BATS_TEST_TMPDIR/p.json root
	capmix >"$p"
	root=$(fresh_rootfs)
	run --separate-stderr "$NANOCTR" run -r "$root" --security-opt "seccomp=$p" sh -c 'echo ran' </dev/null
	assert_status 0
	assert_output_equals "ran"
	rm -rf "$root" && root=$(fresh_rootfs)
	run --separate-stderr "$NANOCTR" run -r "$root" -v "$BATS_TEST_TMPDIR:/made-by-setup" \
		--security-opt "seccomp=$p" --cap-add SYS_ADMIN sh -c 'echo ran' </dev/null
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: seccomp: the filter would exceed the kernel's 4096 instructions"
	[[ ! -e $root/made-by-setup ]] || _assert_fail "the container was set up: /made-by-setup was made in the rootfs"
}

@test "default profile: socket() of every family but AF_ALG and AF_VSOCK gets the kernel's answer, as docker; those two refused on the low 32 bits" {
	# docker's profile (moby/profiles since dec315c): socket allowed when family < 38,
	# == 39 or > 40. nanoctr allowed only a list of families (no 12, 19, 20, 23, 25, 34,
	# 37, 46+: EPERM where docker gives the kernel's EAFNOSUPPORT). And the kernel reads
	# the family as an int: 0x100000028 is AF_VSOCK, which docker's 64-bit compare lets
	# through (runc: "ok"); refused here, as TIOCSTI is.
	local script='for f in 1 2 10 12 16 19 20 23 25 34 37 39 41 45 46 100; do
		echo "$f $(syscall-probe raw 41 $f 1 0)"; done'
	run --separate-stderr ctr --security-opt seccomp=unconfined sh -c "$script"
	assert_status 0
	local kernel=$output
	[[ $kernel != *EPERM* ]] || _assert_fail "unconfined: $kernel"
	run --separate-stderr ctr sh -c "$script"
	assert_status 0
	assert_output_equals "$kernel"
	run --separate-stderr ctr sh -c 'for f in 38 40 0x100000028 0x100000026 0xffffffff00000028; do
		echo "$f $(syscall-probe raw 41 $f 1 0)"; done'
	assert_status 0
	assert_output_equals "38 raw: EPERM
40 raw: EPERM
0x100000028 raw: EPERM
0x100000026 raw: EPERM
0xffffffff00000028 raw: EPERM"
}

@test "a profile that refuses getcwd: the command runs, as under runc (nanoctr's working-directory check comes before the filter)" {
	# the CVE-2024-21626 check (getcwd) ran after the filter was loaded: a profile
	# refusing getcwd (docker's and runc's containers do not need it) failed with
	# "working directory is outside the container"
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getcwd"], "action": "SCMP_ACT_ERRNO"}]}' >"$p"
	run --separate-stderr ctr --security-opt "seccomp=$p" -w /tmp sh -c 'echo ran; syscall-probe raw 79 0 0' </dev/null
	assert_status 0
	assert_output_equals $'ran\nraw: EPERM'
}
