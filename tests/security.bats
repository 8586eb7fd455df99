#!/usr/bin/env bats
# Hardening defaults and their opt-outs (issue 4): capabilities, no_new_privs, seccomp
# mode, masked and read-only /proc and /sys paths, -u, and the mount options -v, --tmpfs
# and --read-only. What the container itself sees is asserted, through `probe caps`
# (tests/progs/probe.c), which prints
#   probe caps: inh=HEX prm=HEX eff=HEX bnd=HEX amb=HEX nnp=N seccomp=N
# from /proc/self/status. The attacks themselves are in tests/escape.bats.

# shellcheck disable=SC2016 # the container expands $ in the scripts given to its sh -c
load helpers

setup() {
	requires_root
	requires_nanoctr
}

# caps_hex BIT... — the 16-digit mask /proc/self/status prints for these capability bits.
caps_hex() {
	local mask=0 bit
	for bit in "$@"; do
		mask=$((mask | (1 << bit)))
	done
	printf '%016x\n' "$mask"
}

# Docker's 14 default capabilities without MKNOD (27), which needs a device cgroup to be
# safe: CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6, SETUID 7,
# SETPCAP 8, NET_BIND_SERVICE 10, NET_RAW 13, SYS_CHROOT 18, AUDIT_WRITE 29, SETFCAP 31.
DEFAULT_BITS=(0 1 3 4 5 6 7 8 10 13 18 29 31)
ZERO=0000000000000000

# caps_line PRM/EFF/BND NNP SECCOMP — the `probe caps` line with empty inh and amb.
caps_line() {
	echo "probe caps: inh=$ZERO prm=$1 eff=$1 bnd=$1 amb=$ZERO nnp=$2 seccomp=$3"
}

@test "defaults: docker's capabilities minus MKNOD, no inheritable/ambient, no_new_privs, seccomp filter" {
	local def
	def=$(caps_hex "${DEFAULT_BITS[@]}")
	[[ $def == 00000000a00425fb ]] # the same mask, spelled out
	run --separate-stderr ctr probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$def" 1 2)"
	assert_stderr_equals ""
}

@test "-u 1000:1000: no capabilities at all, uid/gid 1000, supplementary groups cleared" {
	requires_cmd setpriv
	# give nanoctr supplementary groups of its own, so that "cleared" can fail
	run --separate-stderr setpriv --groups 10,20 -- "$NANOCTR" run -r "$ROOTFS" -u 1000:1000 \
		sh -c 'probe caps; id; grep "^Groups:" /proc/self/status'
	assert_status 0
	[[ ${lines[0]} == "$(caps_line "$ZERO" 1 2)" ]] || _assert_fail "expected: $(caps_line "$ZERO" 1 2)"
	[[ ${lines[1]} == "uid=1000 gid=1000" ]] || _assert_fail "expected id: uid=1000 gid=1000"
	[[ ${lines[2]} =~ ^Groups:[[:space:]]*$ ]] || _assert_fail "expected no supplementary groups"
	[[ ${#lines[@]} == 3 ]] || _assert_fail "expected 3 lines"
}

@test "-u NAME[:GROUP] is looked up in the container's /etc/passwd and /etc/group" {
	# the rootfs (rootfs-scripts/busybox.sh) has nobody 65534:65534 and group root 0
	run -0 --separate-stderr ctr -u nobody sh -c 'id; probe caps'
	[[ ${lines[0]} == "uid=65534(nobody) gid=65534(nogroup)" ]] || _assert_fail "id: ${lines[0]}"
	[[ ${lines[1]} == "$(caps_line "$ZERO" 1 2)" ]] || _assert_fail "a non-root name keeps no capabilities"
	run -0 --separate-stderr ctr -u nobody:root id
	assert_output_equals 'uid=65534(nobody) gid=0(root)'
	# a user found in passwd, by name or UID, brings its home as HOME, unless -e sets one;
	# a UID no entry has gets HOME=/ (docker's and runc's default)
	run -0 --separate-stderr ctr -u nobody sh -c 'echo "$HOME"'
	assert_output_equals '/nonexistent'
	run -0 --separate-stderr ctr -u nobody -e HOME=/tmp sh -c 'echo "$HOME"'
	assert_output_equals '/tmp'
	run -0 --separate-stderr ctr -u 65534 sh -c 'echo "$HOME"'
	assert_output_equals '/nonexistent'
	run -0 --separate-stderr ctr -u 1000 sh -c 'echo "$HOME"'
	assert_output_equals '/'
	run -0 --separate-stderr ctr -u 1000:nogroup id
	assert_output_equals 'uid=1000 gid=65534(nogroup)'
	# names are the container's: a user only the host has is unknown inside
	grep -q '^daemon:' /etc/passwd || skip "the host has no daemon user"
	run --separate-stderr ctr -u daemon id
	assert_status 125
	assert_output_equals ''
	assert_stderr_equals "nanoctr: --user daemon: no such entry in the container's /etc/passwd"
	run --separate-stderr ctr -u nobody:wheel id
	assert_status 125
	assert_stderr_equals "nanoctr: --user :wheel: no such entry in the container's /etc/group"
}

@test "root in the container does not inherit the caller's supplementary groups" {
	requires_cmd setpriv
	run --separate-stderr setpriv --groups 10,20 -- "$NANOCTR" run -r "$ROOTFS" \
		sh -c 'id; grep "^Groups:" /proc/self/status'
	assert_status 0
	[[ ${lines[0]} == "uid=0(root) gid=0(root)" ]] || _assert_fail "expected id: uid=0(root) gid=0(root)"
	[[ ${lines[1]} =~ ^Groups:[[:space:]]*$ ]] || _assert_fail "expected no supplementary groups"
}

@test "--cap-add SYS_ADMIN / cap_net_admin / CAP_Sys_Ptrace add one capability each" {
	run --separate-stderr ctr --cap-add SYS_ADMIN probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$(caps_hex "${DEFAULT_BITS[@]}" 21)" 1 2)"
	run --separate-stderr ctr --cap-add cap_net_admin probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$(caps_hex "${DEFAULT_BITS[@]}" 12)" 1 2)"
	run --separate-stderr ctr --cap-add CAP_Sys_Ptrace probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$(caps_hex "${DEFAULT_BITS[@]}" 19)" 1 2)"
}

@test "--cap-add of a capability the caller's bounding set lacks: 125 before anything runs (runc fails too); ALL and --privileged take what there is" {
	requires_cmd setpriv
	# was: silently left out (the container ran without the capability asked for)
	run --separate-stderr setpriv --bounding-set=-sys_nice -- "$NANOCTR" run -r "$ROOTFS" \
		--cap-add SYS_NICE sh -c 'echo ran'
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: --cap-add: CAP_SYS_NICE: not in this process's bounding set: it cannot be given"
	run --separate-stderr setpriv --bounding-set=-sys_nice -- "$NANOCTR" run -r "$ROOTFS" \
		--cap-add ALL sh -c 'grep CapBnd /proc/self/status'
	assert_status 0
	[[ $output == CapBnd:* ]] || _assert_fail "no CapBnd line"
	(( (0x${output##*[[:space:]]} >> 23 & 1) == 0 )) || _assert_fail "SYS_NICE (23) in the bounding set"
	run --separate-stderr setpriv --bounding-set=-sys_nice -- "$NANOCTR" run -r "$ROOTFS" --privileged true
	assert_status 0
}

@test "--cap-drop ALL leaves none; --cap-drop CHOWN removes only CHOWN, and chown then fails" {
	run --separate-stderr ctr --cap-drop ALL probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$ZERO" 1 2)"
	run --separate-stderr ctr --cap-drop ALL --cap-add CHOWN probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$(caps_hex 0)" 1 2)"
	local without_chown=("${DEFAULT_BITS[@]:1}")
	run --separate-stderr ctr --cap-drop CHOWN probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$(caps_hex "${without_chown[@]}")" 1 2)"
	# /dev/shm is the container's own tmpfs: nothing in the shared rootfs changes
	run --separate-stderr ctr --cap-drop CHOWN sh -c 'touch /dev/shm/f && chown 1 /dev/shm/f'
	[[ $status -ne 0 ]] || _assert_fail "chown worked without CAP_CHOWN"
	assert_stderr_contains "Operation not permitted"
	run --separate-stderr ctr sh -c 'touch /dev/shm/f && chown 1 /dev/shm/f && stat -c %u /dev/shm/f'
	assert_status 0
	assert_output_equals 1
}

@test "--privileged: every capability the kernel has (that the caller holds), no seccomp, no no_new_privs" {
	local last all have expected
	last=$(cat /proc/sys/kernel/cap_last_cap)
	all=$(((1 << (last + 1)) - 1))
	# A container cannot get more than its runtime has: on a normal host root holds all
	# of them; in a restricted sandbox, what the caller is permitted.
	have=$((16#$(awk '$1 == "CapPrm:" { print $2 }' /proc/self/status)))
	expected=$(printf '%016x' $((all & have)))
	run --separate-stderr ctr --privileged probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$expected" 0 0)"
}

@test "--privileged: /proc and /sys are not masked" {
	[[ $(wc -c </proc/interrupts) -gt 0 ]] || skip "/proc/interrupts is empty on this host"
	run --separate-stderr ctr --privileged sh -c '
		wc -c < /proc/interrupts
		ls /proc/kcore 2>/dev/null || echo "no kcore"
		grep -c -E " /proc/(interrupts|keys|timer_list|kcore|acpi|sys) | /sys/firmware " /proc/self/mountinfo
		true'
	assert_status 0
	((lines[0] > 0)) || _assert_fail "/proc/interrupts reads empty under --privileged"
	if [[ -e /proc/kcore ]]; then
		[[ ${lines[1]} == /proc/kcore ]] || _assert_fail "/proc/kcore is hidden under --privileged"
	else
		[[ ${lines[1]} == "no kcore" ]]
	fi
	[[ ${lines[2]} == 0 ]] || _assert_fail "masks are mounted under --privileged"
}

@test "--security-opt seccomp=unconfined: no filter, but capabilities and no_new_privs stay" {
	run --separate-stderr ctr --security-opt seccomp=unconfined probe caps
	assert_status 0
	assert_output_equals "$(caps_line "$(caps_hex "${DEFAULT_BITS[@]}")" 1 0)"
	# the filter really is off: keyctl, which it refuses, is now the kernel's to answer
	run --separate-stderr ctr --security-opt seccomp=unconfined probe keyctl
	assert_status 0
	assert_output_equals "probe keyctl: ok"
}

@test "masked files /proc/kcore, keys, timer_list, interrupts read empty" {
	local f script=''
	for f in /proc/kcore /proc/keys /proc/timer_list /proc/interrupts; do
		script+="if [ -e $f ]; then echo \"$f \$(wc -c < $f)\"; else echo \"$f absent\"; fi; "
	done
	run --separate-stderr ctr sh -c "$script"
	assert_status 0
	for f in /proc/kcore /proc/keys /proc/timer_list /proc/interrupts; do
		if [[ -e $f ]]; then
			assert_line_equals "$f 0"
		else
			assert_line_equals "$f absent"
		fi
	done
	# the masks are /dev/null binds, visible in mountinfo
	run --separate-stderr ctr sh -c 'grep -E " /proc/(keys|timer_list|interrupts) " /proc/self/mountinfo | wc -l'
	assert_status 0
	assert_output_equals 3
}

@test "masked directories /proc/acpi and /sys/firmware are empty read-only tmpfs" {
	run --separate-stderr ctr sh -c '
		for d in /proc/acpi /sys/firmware; do
			[ -d $d ] || continue
			echo "$d $(ls -A $d | wc -l) $(stat -f -c %T $d)"
			probe write $d/x y
		done'
	assert_status 0
	local d
	for d in /proc/acpi /sys/firmware; do
		[[ -d $d ]] || continue
		assert_line_equals "$d 0 tmpfs"
	done
	[[ $(grep -c 'probe write: EROFS' <<<"$output") -ge 1 ]] || _assert_fail "a masked dir is writable"
	[[ $output != *"probe write: ok"* ]] || _assert_fail "a masked dir is writable"
}

@test "/proc/sys, /proc/sysrq-trigger, /proc/bus, /proc/fs, /proc/irq are read-only" {
	local before
	before=$(hostname)
	run --separate-stderr ctr sh -c '
		probe write /proc/sys/kernel/hostname pwned
		probe write /proc/sys/vm/drop_caches 1
		[ -e /proc/sysrq-trigger ] && probe write /proc/sysrq-trigger h
		awk '\''$5 ~ "^/proc/(sys|bus|fs|irq|sysrq-trigger)$" { split($6, o, ","); print $5, o[1] }'\'' /proc/self/mountinfo'
	assert_status 0
	[[ ${lines[0]} == "probe write: EROFS" && ${lines[1]} == "probe write: EROFS" ]] ||
		_assert_fail "/proc/sys is writable"
	[[ $(hostname) == "$before" ]]
	if [[ -e /proc/sysrq-trigger ]]; then
		assert_line_equals "/proc/sysrq-trigger ro"
		[[ ${lines[2]} == "probe write: EROFS" ]] || _assert_fail "/proc/sysrq-trigger is writable"
	fi
	local d
	for d in sys bus fs irq; do
		[[ -e /proc/$d ]] || continue
		assert_line_equals "/proc/$d ro"
	done
}

@test "/sys is read-only" {
	run --separate-stderr ctr sh -c 'probe write /sys/nanoctr-test x; probe write /sys/kernel/uevent_helper /x; mkdir /sys/x || echo mkdir failed'
	assert_status 0
	[[ ${lines[0]} == "probe write: EROFS" && ${lines[1]} == "probe write: EROFS" ]] ||
		_assert_fail "/sys is writable"
	assert_line_equals "mkdir failed"
	[[ ! -e /sys/nanoctr-test ]]
}

@test "normal programs work: busybox sh, ls, ps, ping on loopback (NET_RAW)" {
	run --separate-stderr ctr sh -c 'echo "sh $((6 * 7))"'
	assert_status 0
	assert_output_equals "sh 42"
	run --separate-stderr ctr ls /usr/local/bin/probe /etc/passwd
	assert_status 0
	assert_output_equals $'/etc/passwd\n/usr/local/bin/probe'
	run --separate-stderr ctr ps -o pid,comm
	assert_status 0
	[[ ${lines[1]} =~ ^\ *1\ ps$ ]] || _assert_fail "ps should list itself as PID 1"
	[[ ${#lines[@]} == 2 ]] || _assert_fail "ps sees processes outside the container"
	run --separate-stderr ctr ping -c1 -W2 127.0.0.1
	assert_status 0
	assert_output_contains "1 packets transmitted, 1 packets received"
}

@test "-v SRC:DST binds a host directory read-write; the host sees the write; nothing leaks" {
	local src=$BATS_TEST_TMPDIR/src before
	mkdir "$src"
	echo hello >"$src/in"
	before=$(mounts_snapshot)
	run --separate-stderr ctr -v "$src:/mnt" sh -c 'cat /mnt/in; echo back > /mnt/out'
	assert_status 0
	assert_output_equals hello
	[[ $(cat "$src/out") == back ]] || _assert_fail "the host does not see the container's write"
	[[ $(mounts_snapshot) == "$before" ]] || _assert_fail "the host's mount table changed"
}

@test "-v SRC:DST:ro is read-only inside" {
	local src=$BATS_TEST_TMPDIR/src
	mkdir "$src"
	echo hello >"$src/in"
	run --separate-stderr ctr -v "$src:/mnt:ro" sh -c 'cat /mnt/in; probe write /mnt/out x'
	assert_status 0
	assert_output_equals $'hello\nprobe write: EROFS'
	[[ ! -e $src/out ]]
}

@test "-v with a missing destination creates it inside the rootfs (directory and file)" {
	local root src=$BATS_TEST_TMPDIR/src
	root=$(fresh_rootfs)
	mkdir "$src"
	echo hello >"$src/in"
	run --separate-stderr nanoctr run -r "$root" -v "$src:/new/deep/dir" -v "$src/in:/new/file" \
		sh -c 'cat /new/deep/dir/in /new/file'
	assert_status 0
	assert_output_equals $'hello\nhello'
	[[ -d $root/new/deep/dir && -f $root/new/file ]] || _assert_fail "the destinations were not created"
	[[ ! -e $root/new/deep/dir/in ]] || _assert_fail "the bind mount leaked onto the host"
}

@test "--tmpfs /x is a fresh writable tmpfs" {
	local root
	root=$(fresh_rootfs)
	run --separate-stderr nanoctr run -r "$root" --tmpfs /x sh -c 'stat -f -c %T /x; ls -A /x | wc -l; echo a > /x/a && cat /x/a'
	assert_status 0
	assert_output_equals $'tmpfs\n0\na'
	[[ -d $root/x && ! -e $root/x/a ]] || _assert_fail "the tmpfs write reached the rootfs"
}

@test "--read-only: the root cannot be written, /dev and --tmpfs can" {
	local root
	root=$(fresh_rootfs)
	run --separate-stderr nanoctr run -r "$root" --read-only --tmpfs /scratch sh -c '
		probe write /etc/nanoctr-test x
		probe write /dev/shm/a x
		probe write /dev/a x
		probe write /scratch/a x'
	assert_status 0
	assert_output_equals $'probe write: EROFS\nprobe write: ok\nprobe write: ok\nprobe write: ok'
	[[ ! -e $root/etc/nanoctr-test ]]
}

@test "--read-only: a -v volume stays writable" {
	local root src=$BATS_TEST_TMPDIR/src
	root=$(fresh_rootfs)
	mkdir "$src"
	run --separate-stderr nanoctr run -r "$root" --read-only -v "$src:/data" sh -c '
		probe write /root/x x
		probe write /data/x x'
	assert_status 0
	assert_output_equals $'probe write: EROFS\nprobe write: ok'
	[[ $(cat "$src/x") == x ]]
}

# ---- --cap-add / --cap-drop: docker's rules (moby oci/caps TweakCapabilities) ----

# all_caps [BIT...] — the hex mask of every capability the kernel has and the caller
# holds (a container gets no more than its runtime has), without the BITs given.
all_caps() {
	local last all bit
	last=$(cat /proc/sys/kernel/cap_last_cap)
	all=$((((1 << (last + 1)) - 1) & 16#$(awk '$1 == "CapPrm:" { print $2 }' /proc/self/status)))
	for bit in "$@"; do
		all=$((all & ~(1 << bit)))
	done
	printf '%016x\n' "$all"
}

@test "--cap-drop ALL with --cap-add X keeps only X, in either order" {
	run -0 --separate-stderr ctr --cap-add NET_ADMIN --cap-drop ALL probe caps
	assert_output_equals "$(caps_line "$(caps_hex 12)" 1 2)"
	run -0 --separate-stderr ctr --cap-drop all --cap-add NET_ADMIN --cap-add chown probe caps
	assert_output_equals "$(caps_line "$(caps_hex 0 12)" 1 2)"
}

@test "--cap-add ALL with --cap-drop X keeps all but X, in either order" {
	run -0 --separate-stderr ctr --cap-drop CHOWN --cap-add ALL probe caps
	assert_output_equals "$(caps_line "$(all_caps 0)" 1 2)"
	run -0 --separate-stderr ctr --cap-add All --cap-drop CHOWN --cap-drop NET_RAW probe caps
	assert_output_equals "$(caps_line "$(all_caps 0 13)" 1 2)"
	# both ALL: docker's add ALL wins, its drop ALL drops nothing
	run -0 --separate-stderr ctr --cap-drop ALL --cap-add ALL probe caps
	assert_output_equals "$(caps_line "$(all_caps)" 1 2)"
}

@test "--cap-add X --cap-drop X: the add wins whatever the order (docker's default case)" {
	run -0 --separate-stderr ctr --cap-add SYS_ADMIN --cap-drop SYS_ADMIN probe caps
	assert_output_equals "$(caps_line "$(caps_hex "${DEFAULT_BITS[@]}" 21)" 1 2)"
	run -0 --separate-stderr ctr --cap-drop CHOWN --cap-add CHOWN probe caps
	assert_output_equals "$(caps_line "$(caps_hex "${DEFAULT_BITS[@]}")" 1 2)"
}

@test "--privileged has every capability whatever --cap-drop says; DEFAULT is no capability name" {
	run -0 --separate-stderr ctr --cap-drop ALL --privileged --cap-drop CHOWN probe caps
	assert_output_equals "$(caps_line "$(all_caps)" 0 0)"
	run -125 --separate-stderr ctr --cap-add DEFAULT probe caps
	assert_stderr_equals "nanoctr: --cap-add DEFAULT: unknown capability"
}
