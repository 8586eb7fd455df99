#!/usr/bin/env bats
# The escape suite (issue 4): each test is an attack run from inside a container started
# with the defaults, and asserts the exact line tests/progs/probe.c prints for it —
# `probe <sub>: ENAME` when the attack failed the way it must, `probe <sub>: ok` if it
# worked — plus, where it matters, that the host is untouched afterwards.

# shellcheck disable=SC2016 # the container expands $ in the scripts given to its sh -c
load helpers

setup() {
	requires_root
	requires_nanoctr
	host_pid=
}

teardown() {
	if [[ -n $host_pid ]]; then
		kill -KILL "$host_pid" 2>/dev/null || true
		wait "$host_pid" 2>/dev/null || true
	fi
}

@test "chroot walk-out (mkdir x; chroot x; cd ../..; chroot .) stays in the container" {
	run --separate-stderr ctr probe chroot-escape
	assert_status 0
	assert_output_equals "probe chroot-escape: contained"
}

@test "mounting proc or tmpfs is refused (EPERM)" {
	run --separate-stderr ctr sh -c 'probe mount-proc; probe mount-tmpfs'
	assert_status 0
	assert_output_equals $'probe mount-proc: EPERM\nprobe mount-tmpfs: EPERM'
	# remounting the read-only /proc/sys read-write, with busybox's mount
	run --separate-stderr ctr mount -o remount,rw /proc/sys
	# busybox says this for EPERM or EACCES, nothing else: not a missing applet or a typo
	assert_status 1
	assert_stderr_equals 'mount: permission denied (are you root?)'
}

@test "writing /proc/sys/kernel/hostname and /proc/sysrq-trigger fails" {
	local before
	before=$(cat /proc/sys/kernel/hostname)
	run --separate-stderr ctr sh -c 'probe write /proc/sys/kernel/hostname pwned; probe write /proc/sysrq-trigger h'
	assert_status 0
	[[ ${lines[0]} == "probe write: EROFS" ]] || _assert_fail "expected EROFS for /proc/sys/kernel/hostname"
	if [[ -e /proc/sysrq-trigger ]]; then
		[[ ${lines[1]} == "probe write: EROFS" ]] || _assert_fail "expected EROFS for /proc/sysrq-trigger"
	else
		# this kernel has none; the container cannot create one either
		[[ ${lines[1]} == "probe write: ENOENT" ]] || _assert_fail "expected ENOENT for /proc/sysrq-trigger"
	fi
	[[ $(cat /proc/sys/kernel/hostname) == "$before" ]] || _assert_fail "the host's hostname changed"
}

@test "reading /proc/kcore and /proc/keys gives nothing" {
	run --separate-stderr ctr sh -c '
		probe open /proc/kcore
		[ -e /proc/kcore ] && wc -c < /proc/kcore
		probe open /proc/keys
		wc -c < /proc/keys'
	assert_status 0
	if [[ -e /proc/kcore ]]; then
		# opened it may be (a /dev/null bind), but it reads empty
		[[ ${lines[0]} == "probe open: ok" && ${lines[1]} == 0 ]] ||
			_assert_fail "/proc/kcore is readable"
		lines=("${lines[@]:2}")
	else
		[[ ${lines[0]} == "probe open: ENOENT" ]] || _assert_fail "expected ENOENT for /proc/kcore"
		lines=("${lines[@]:1}")
	fi
	[[ ${lines[0]} == "probe open: ok" && ${lines[1]} == 0 ]] || _assert_fail "/proc/keys is not empty"
}

@test "a host pid can neither be seen nor killed" {
	sleep 60 3>&- &
	host_pid=$!
	run --separate-stderr ctr sh -c "
		probe kill $host_pid 9
		probe kill $host_pid 0
		if [ -e /proc/$host_pid ]; then echo 'host pid visible'; else echo 'host pid absent'; fi
		ls /proc | grep -c '^[0-9]*\$'"
	assert_status 0
	[[ ${lines[0]} == "probe kill: ESRCH" && ${lines[1]} == "probe kill: ESRCH" ]] ||
		_assert_fail "expected ESRCH killing host pid $host_pid"
	[[ ${lines[2]} == "host pid absent" ]] || _assert_fail "host pid $host_pid is visible"
	# sh, ls and grep at most: nothing of the host
	((lines[3] <= 3)) || _assert_fail "the container sees ${lines[3]} pids"
	kill -0 "$host_pid" || _assert_fail "the host's sleep was killed"
}

@test "the host's environment does not reach the container" {
	export NANOCTR_TEST_SECRET=s3cr3t-$$
	run --separate-stderr ctr sh -c 'env; tr "\0" "\n" < /proc/1/environ; cat /proc/self/environ'
	assert_status 0
	unset NANOCTR_TEST_SECRET
	assert_output_not_contains "s3cr3t"
	assert_output_not_contains "NANOCTR_TEST_SECRET"
	assert_line_equals "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	assert_line_equals "HOME=/root"
}

@test "mounting cgroup v1 and writing release_agent fails" {
	run --separate-stderr ctr sh -c 'mkdir -p /dev/shm/cg && mount -t cgroup -o memory cgroup /dev/shm/cg'
	assert_status 1
	assert_stderr_equals 'mount: permission denied (are you root?)'
	# a release_agent is visible where the container's cgroup namespace root is a
	# hierarchy's root (here: controllers whose caller cgroup is /): read-only
	run --separate-stderr ctr sh -c '
		for f in /sys/fs/cgroup/*/release_agent; do
			[ -e "$f" ] && probe write "$f" /tmp/pwn
		done
		[ -e /sys/fs/cgroup/memory/notify_on_release ] &&
			probe write /sys/fs/cgroup/memory/notify_on_release 1
		true'
	assert_status 0
	if [[ $(cgroup_version memory) == 1 ]]; then
		((${#lines[@]} >= 1)) || _assert_fail "no cgroup v1 file was tried"
	fi
	[[ $output != *"probe write: ok"* ]] || _assert_fail "a cgroup file was writable"
	[[ $(grep -c '^probe write: EROFS$' <<<"$output") == "${#lines[@]}" ]] ||
		_assert_fail "expected EROFS for every write"
}

@test "loading a kernel module (finit_module) is refused (EPERM)" {
	run --separate-stderr ctr probe finit-module
	assert_status 0
	assert_output_equals "probe finit-module: EPERM"
}

@test "keyctl (add_key) is refused (EPERM)" {
	run --separate-stderr ctr probe keyctl
	assert_status 0
	assert_output_equals "probe keyctl: EPERM"
}

@test "TIOCSTI into the container's terminal, also with the high bits set, is refused by the filter" {
	# -t: stdin is the container's own pty and its controlling terminal, where TIOCSTI
	# works without the filter (the control run), so EPERM can only come from seccomp
	run --separate-stderr ctr -t sh -c 'probe tiocsti; probe tiocsti-high'
	assert_status 0
	output=${output//$'\r'/}
	assert_output_equals $'probe tiocsti: EPERM\nprobe tiocsti-high: EPERM'
	run --separate-stderr ctr -t --security-opt seccomp=unconfined probe tiocsti
	assert_status 0
	output=${output//$'\r'/}
	assert_output_contains "probe tiocsti: "
	assert_output_not_contains "probe tiocsti: EPERM"
}

@test "TIOCSTI into the host's terminal (-i) is refused" {
	requires_cmd script
	local cmd
	printf -v cmd '%q ' "$NANOCTR" run -r "$ROOTFS" -i sh -c 'probe tiocsti; probe tiocsti-high'
	run script -qec "$cmd" /dev/null </dev/null
	assert_status 0
	output=${output//$'\r'/}
	assert_output_equals $'probe tiocsti: EPERM\nprobe tiocsti-high: EPERM'
}

@test "an fd the caller leaked is closed: no fd 7 inside, no way to the host through it" {
	run --separate-stderr ctr sh -c 'probe fds; ls /proc/self/fd; probe open /proc/self/fd/7/passwd' 7</etc
	assert_status 0
	[[ ${lines[0]} == "probe fds: 0 1 2" ]] || _assert_fail "expected only fds 0 1 2"
	[[ $(grep -cx 7 <<<"$output") == 0 ]] || _assert_fail "ls shows fd 7"
	assert_line_equals "probe open: ENOENT"
	# CVE-2024-21626: a working directory through the leaked fd is refused
	run --separate-stderr ctr -w /proc/self/fd/7 pwd 7</etc
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: --workdir /proc/self/fd/7: working directory is outside the container"
}

@test "unshare(CLONE_NEWUSER) and clone(CLONE_NEWUSER) are refused (EPERM), clone3 says ENOSYS" {
	run --separate-stderr ctr sh -c 'probe unshare-user; probe clone-newuser; probe clone3'
	assert_status 0
	assert_output_equals $'probe unshare-user: EPERM\nprobe clone-newuser: EPERM\nprobe clone3: ENOSYS'
	# busybox's own unshare, for good measure
	run --separate-stderr ctr unshare -U -r id
	assert_status 1
	assert_stderr_equals 'unshare: unshare(0x10000000): Operation not permitted'
}

@test "mknod of a disk fails, so it cannot be read" {
	run --separate-stderr ctr sh -c 'probe mknod-disk; probe mknod-disk 8:0; ls /dev'
	assert_status 0
	[[ ${lines[0]} == "probe mknod-disk: EPERM" && ${lines[1]} == "probe mknod-disk: EPERM" ]] ||
		_assert_fail "expected EPERM for mknod"
	assert_output_not_contains "sda"
	assert_output_not_contains "vda"
}

@test "an x32 syscall is refused (EPERM)" {
	run --separate-stderr ctr probe x32
	assert_status 0
	assert_output_equals "probe x32: EPERM"
}

@test "bpf and perf_event_open are refused (EPERM)" {
	run --separate-stderr ctr sh -c 'probe bpf; probe perf'
	assert_status 0
	assert_output_equals $'probe bpf: EPERM\nprobe perf: EPERM'
}

@test "a rootfs whose /proc, /sys or /dev is a symlink to the host's is refused (125)" {
	local root d before
	root=$(fresh_rootfs)
	before=$(mounts_snapshot)
	for d in proc sys dev; do
		rmdir "$root/$d"
		ln -s "/$d" "$root/$d"
		run --separate-stderr nanoctr run -r "$root" true
		assert_status 125
		assert_output_equals ""
		assert_stderr_equals "nanoctr: $root/$d: is a symbolic link (refused: it could lead out of the rootfs)"
		rm "$root/$d"
		mkdir "$root/$d"
	done
	[[ $(mounts_snapshot) == "$before" ]] || _assert_fail "the host's mount table changed"
}

@test "a volume destination through a symlink out of the root lands inside the container" {
	local root src=$BATS_TEST_TMPDIR/src etc_before mounts_before
	root=$(fresh_rootfs)
	ln -s /etc "$root/evil"
	mkdir "$src"
	echo inside >"$src/f"
	etc_before=$(ls -A /etc)
	mounts_before=$(mounts_snapshot)
	run --separate-stderr nanoctr run -r "$root" -v "$src:/evil/nanoctr-x" cat /etc/nanoctr-x/f
	assert_status 0
	assert_output_equals inside
	[[ ! -e /etc/nanoctr-x ]] || _assert_fail "/etc/nanoctr-x was created on the host"
	[[ $(ls -A /etc) == "$etc_before" ]] || _assert_fail "the host's /etc changed"
	[[ $(mounts_snapshot) == "$mounts_before" ]] || _assert_fail "the host's mount table changed"
	[[ -d $root/etc/nanoctr-x ]] || _assert_fail "the target was not made in the container's /etc"
}

@test "a --tmpfs destination through a symlink out of the root lands inside the container" {
	local root etc_before mounts_before
	root=$(fresh_rootfs)
	ln -s /etc "$root/evil"
	etc_before=$(ls -A /etc)
	mounts_before=$(mounts_snapshot)
	run --separate-stderr nanoctr run -r "$root" --tmpfs /evil/nanoctr-t \
		sh -c 'stat -f -c %T /etc/nanoctr-t; grep -c " /etc/nanoctr-t " /proc/self/mountinfo'
	assert_status 0
	assert_output_equals $'tmpfs\n1'
	[[ ! -e /etc/nanoctr-t ]] || _assert_fail "/etc/nanoctr-t was created on the host"
	[[ $(ls -A /etc) == "$etc_before" ]] || _assert_fail "the host's /etc changed"
	[[ $(mounts_snapshot) == "$mounts_before" ]] || _assert_fail "the host's mount table changed"
	[[ -d $root/etc/nanoctr-t ]] || _assert_fail "the target was not made in the container's /etc"
}

@test "--init: /proc/1/exe (nanoctr itself, CVE-2019-5736) cannot be opened or traced" {
	run --separate-stderr ctr --init sh -c 'probe open /proc/1/exe; probe write /proc/1/exe x; probe ptrace 1'
	assert_status 0
	assert_output_equals $'probe open: EACCES\nprobe write: EACCES\nprobe ptrace: EPERM'
	# the control: without --init, PID 1 is the command itself and its exe opens
	run --separate-stderr ctr probe open /proc/1/exe
	assert_status 0
	assert_output_equals "probe open: ok"
}

@test "a rootfs whose /etc/passwd is a FIFO cannot hang -u NAME" {
	local root
	root=$(fresh_rootfs)
	rm -f "$root/etc/passwd"
	mkfifo "$root/etc/passwd"
	# without O_NONBLOCK the open would wait for a writer forever: timeout says 124
	run --separate-stderr timeout 10 "$NANOCTR" run -r "$root" -u nobody id
	assert_status 125
	assert_stderr_equals "nanoctr: --user nobody: no such entry in the container's /etc/passwd"
}

@test "issue 9: an image symlink to /proc/self/fd/N/... as volume destination creates nothing on the host" {
	# the issue's attack, for every fd nanoctr might hold (fd 5 was the host's root)
	local root src=$BATS_TEST_TMPDIR/src out=$BATS_TEST_TMPDIR/out n before
	root=$(fresh_rootfs)
	mkdir -p "$src/d" "$out"
	echo x >"$src/f"
	before=$(mounts_snapshot)
	for n in 3 4 5 6 7 8 9; do
		rm -f "$root/evil"
		ln -s "/proc/self/fd/$n$out" "$root/evil"
		run --separate-stderr nanoctr run -r "$root" -v "$src/f:/evil/pwned" /bin/true
		assert_status 125
		run --separate-stderr nanoctr run -r "$root" -v "$src/d:/evil/pwned-dir" /bin/true
		assert_status 125
		run --separate-stderr nanoctr run -r "$root" --tmpfs /evil/pwned-tmpfs /bin/true
		assert_status 125
	done
	[[ -z $(ls -A "$out") ]] || _assert_fail "created on the host: $(ls -A "$out")"
	[[ $(mounts_snapshot) == "$before" ]] || _assert_fail "the host's mount table changed"
}

@test "issue 9: a device node planted in the rootfs cannot be opened (nodev)" {
	local root
	root=$(fresh_rootfs)
	mknod "$root/planted" c 1 3
	run --separate-stderr nanoctr run -r "$root" probe open /planted
	assert_status 0
	assert_output_equals "probe open: EACCES"
}
