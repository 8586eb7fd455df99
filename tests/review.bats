#!/usr/bin/env bats
# A breaker's review of issue 9: neighbours of its items that the first fixes missed.
# Each test failed on the code before its fix.

load helpers

setup() {
	requires_root
	requires_nanoctr
	root=$(fresh_rootfs)
}

@test "/etc/passwd through a magic link cannot read a host file via a descriptor the caller left open" {
	local secret=$BATS_TEST_TMPDIR/secret
	mkdir -p "$secret"
	echo 'root:x:0:0::/HOST-SECRET:/bin/sh' >"$secret/passwd"
	rm -f "$root/etc/passwd"
	ln -s /proc/self/fd/7/passwd "$root/etc/passwd"
	# before: HOME=/HOST-SECRET, read by nanoctr (root, all capabilities) from the host
	run --separate-stderr "$NANOCTR" run -r "$root" sh -c 'echo "HOME=$HOME"' 7<"$secret"
	assert_status 125
	assert_stderr_equals "nanoctr: --user 0: /etc/passwd: Too many levels of symbolic links"
	assert_output_equals ""
	# the same without openat2 (ENOSYS, 437): the walk refuses the magic link too
	local deny=$NANOCTR_TEST_ROOTFS/usr/local/bin/seccomp-deny
	[[ -x $deny ]] || skip "seccomp-deny was not built"
	run --separate-stderr "$deny" 437 38 "$NANOCTR" run -r "$root" sh -c 'echo "HOME=$HOME"' 7<"$secret"
	assert_status 125
	assert_stderr_equals "nanoctr: --user 0: /etc/passwd: Too many levels of symbolic links"
	# and an in-root symlink, or a volume, is still read
	rm "$root/etc/passwd"
	echo 'root:x:0:0::/in-root:/bin/sh' >"$root/etc/passwd.real"
	ln -s ../etc/passwd.real "$root/etc/passwd"
	run --separate-stderr "$deny" 437 38 "$NANOCTR" run -r "$root" sh -c 'echo "HOME=$HOME"'
	assert_status 0
	assert_output_equals "HOME=/in-root"
	run --separate-stderr "$NANOCTR" run -r "$root" -v "$secret/passwd:/etc/passwd" sh -c 'echo "HOME=$HOME"'
	assert_status 0
	assert_output_equals "HOME=/HOST-SECRET"
}

@test "/etc/passwd or /etc/group that is a device or a proc file is refused, never read forever" {
	rm -f "$root/etc/passwd"
	ln -s /dev/zero "$root/etc/passwd"
	# before: nanoctr read /dev/zero forever (timeout's 124)
	run --separate-stderr timeout 20 "$NANOCTR" run -r "$root" -u 1000 true
	assert_status 125
	assert_stderr_equals "nanoctr: --user 1000: /etc/passwd: not a regular file of the image (refused)"
	rm "$root/etc/passwd"
	echo 'root:x:0:0::/root:/bin/sh' >"$root/etc/passwd"
	rm -f "$root/etc/group"
	# reading /proc/kmsg would consume the host's kernel log
	ln -s ../proc/kmsg "$root/etc/group"
	run --separate-stderr timeout 20 "$NANOCTR" run -r "$root" true
	assert_status 125
	assert_stderr_equals "nanoctr: --user 0: /etc/group: not a regular file of the image (refused)"
}

@test "a NUL byte in a passwd or group name ends no name (the compare never reads past -u's string)" {
	# "root\0-r": the old compare matched the NUL with the end of "root" and went on into
	# the next argument in memory, "-r", so this line was root's
	printf 'root\0-r:x:7:7::/wrong:/bin/sh\nroot:x:0:0::/right:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\nwheel:x:10:root\0-r\n' >"$root/etc/group"
	run --separate-stderr "$NANOCTR" run -u root -r "$root" sh -c \
		'echo $(id -u) $HOME $(awk "\$1 == \"Groups:\" { \$1 = \"\"; print }" /proc/self/status)'
	assert_status 0
	assert_output_equals "0 /right"
}

@test "-m takes docker's sizes: fractions, exponents, 'MB'/'MiB' suffixes, t and p; still refuses junk" {
	requires_cgroup memory
	local size limit
	limit='cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
	# docker (go-units RAMInBytes): a float, an optional space, then b or k/m/g/t/p with
	# an optional "b" or "ib"; before, all of these were "invalid size"
	for size in 1.5g:1610612736 512MB:536870912 64MiB:67108864 '64 m:67108864' \
		1GiB:1073741824 .5g:536870912 +64m:67108864 2e8:199999488 0.25GB:268435456; do
		run --separate-stderr "$NANOCTR" run -r "$root" -m "${size%:*}" sh -c "$limit"
		assert_status 0
		assert_output_equals "${size#*:}"
	done
	for size in 64mi 1gb2 1.2.3m 1e 1x; do
		run --separate-stderr "$NANOCTR" run -r "$root" -m "$size" true
		assert_status 125
		assert_stderr_equals "nanoctr: --memory $size: invalid size (use e.g. 64M, 1g)"
	done
	run --separate-stderr "$NANOCTR" run -r "$root" -m 0.001g true
	assert_status 125
	assert_stderr_equals "nanoctr: --memory 0.001g: minimum memory limit allowed is 6MB"
	run --separate-stderr "$NANOCTR" run -r "$root" -m 2p true
	assert_status 125
	assert_stderr_equals "nanoctr: --memory 2p: too large"
}

@test "-v /dev/null:FILE blanks a file as in docker; other device nodes stay unusable (nodev)" {
	local src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src"
	mknod "$src/mem" c 1 1
	mknod "$src/null" c 1 3
	# docker's idiom to hide a file: before, nodev made it "Permission denied"
	run --separate-stderr "$NANOCTR" run -r "$root" -v /dev/null:/etc/shadow \
		sh -c 'cat /etc/shadow && echo x >/etc/shadow && echo blanked'
	assert_status 0
	assert_output_equals "blanked"
	run --separate-stderr "$NANOCTR" run -r "$root" -v /dev/zero:/z:ro -v "$src/null:/n" \
		sh -c 'head -c 2 /z | od -An -tx1 && echo x >/n && echo ok'
	assert_status 0
	assert_output_equals $' 00 00\nok'
	# any other node (here /dev/mem's numbers) is still refused by nodev, at open
	run --separate-stderr "$NANOCTR" run -r "$root" -v "$src/mem:/mem" head -c 1 /mem
	assert_status 1
	assert_stderr_equals "head: /mem: Permission denied"
	run --separate-stderr "$NANOCTR" run -r "$root" -v "/dev:/hostdev" head -c 1 /hostdev/null
	assert_status 1
	assert_stderr_equals "head: /hostdev/null: Permission denied"
}

@test "paths up to the kernel's PATH_MAX work in -r, -v, --tmpfs and -w (1024 bytes was the limit)" {
	local c deep=$BATS_TEST_TMPDIR/deep tgt=/mnt i
	c=$(printf 'c%.0s' {1..200})
	for i in {1..14}; do deep=$deep/$c tgt=$tgt/$c; done
	mkdir -p "$deep"
	echo hello >"$deep/f"
	cp -a "$root" "$deep/rootfs"
	((${#deep} > 2800 && ${#tgt} > 2800))
	run --separate-stderr "$NANOCTR" run -r "$deep/rootfs" -v "$deep:$tgt" -w "$tgt" \
		--tmpfs "$tgt/$c/t" sh -c 'cat f; pwd | wc -c; ls -d ./'"$c"'/t'
	assert_status 0
	assert_output_equals "hello
$((${#tgt} + 1))
./$c/t"
	# PATH_MAX (4096 with the NUL) and more: refused before anything exists
	run --separate-stderr "$NANOCTR" run -r "$root" -w "/$(printf 'd%.0s' {1..4095})" true
	assert_status 125
	assert_stderr_equals "nanoctr: --workdir: path too long"
}

@test "a caller's tiny stack limit (ulimit -s 16) neither crashes nanoctr nor changes the container's" {
	# before: SIGSEGV (139) in the setup, on the kernel's stack that may not grow past 16 KiB
	run --separate-stderr bash -c 'ulimit -s 16 && exec "$0" run -r "$1" -m 64m -v /tmp:/v \
		sh -c "ulimit -s"' "$NANOCTR" "$root"
	assert_status 0
	assert_output_equals "16"
	run --separate-stderr bash -c 'ulimit -s 16 && exec "$0" run -r "$1" --init /bin/true' \
		"$NANOCTR" "$root"
	assert_status 0
}

@test "-v MODE takes docker's list for a bind: ro/rw, z/Z, consistent/cached/delegated, one of each" {
	local src=$BATS_TEST_TMPDIR/src mode
	mkdir -p "$src"
	# before: anything but ro or rw was refused (":z" is in every Fedora/RHEL howto)
	for mode in ro:ro rw:rw z:rw Z:rw ro,z:ro z,ro:ro rw,Z,cached:rw delegated:rw consistent,ro:ro; do
		run --separate-stderr "$NANOCTR" run -r "$root" -v "$src:/v:${mode%:*}" \
			sh -c 'touch /v/w 2>/dev/null && echo rw || echo ro'
		assert_status 0
		assert_output_equals "${mode#*:}"
	done
	# two of a kind, propagation modes (nanoctr's mounts are slaves whatever is asked),
	# empty items: refused, the whole mode in the message
	for mode in ro,rw z,Z shared rprivate nocopy ro, ,ro; do
		run --separate-stderr "$NANOCTR" run -r "$root" -v "$src:/v:$mode" true
		assert_status 125
		assert_stderr_equals "nanoctr: --volume $mode: invalid mode (ro or rw, z or Z, consistent, cached or delegated: one of each)"
	done
}
