#!/usr/bin/env bats
# Seccomp profiles (issue 11): the profile compiler (src/seccomp-profile.c,
# seccomp-default.c, seccomp-bpf.c) and its use by nanoctr (src/seccomp.c): `nanoctr run`'s
# default filter (docker's profile), `--security-opt seccomp=FILE`, and config.json's
# linux.seccomp in the OCI build. The first tests drive the compiler through
# tests/unit/seccomp-check.c (compile a profile, load it into the kernel, and with
# `seccomp-check run PROFILE -- COMMAND` run a command under it); the last ones go through
# `nanoctr run` and the OCI commands themselves.
#
# The comparison tests run one probe script (tests/progs/syscall-probe.c, one line per
# system call with its errno) under runc (which links libseccomp) with the profile in
# config.json, and under the driver with the same profile, and require identical
# output. A fair comparison needs the same environment, since several probes answer
# differently by namespace and capability (unshare, setns, mount, sethostname, chroot,
# ptrace, bpf...): the driver runs as the command of
#   nanoctr run -r ROOTFS --security-opt seccomp=unconfined [--cap-add X] \
#       seccomp-check run PROFILE -- sh -c SCRIPT
# on the same rootfs copy as runc: new mount/pid/uts/ipc/net namespaces as runc's,
# root, the same 13 capabilities (the runc bundle gets nanoctr's set), no filter but the
# driver's, no_new_privs; the driver compiles for the capabilities it holds (CapEff),
# as nanoctr compiles for the container's, loads the filter and execs sh, which is then
# PID 1 as under runc. runc gets an OCI bundle: `runc spec`, edited with jq (root, args,
# capabilities, linux.seccomp). docker-format profiles (includes/excludes by capability
# and architecture) are given to the driver as they are, and to runc resolved by jq the
# way docker and podman resolve them (tests/seccomp-resolve.jq), so the compiler's own
# resolution is checked too.

load helpers

setup_file() {
	# the driver, built once: the compiler behind tests/unit/seccomp-glue.c, static musl
	local repo check=$BATS_FILE_TMPDIR/seccomp-check
	repo=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	musl-gcc -static -Os -Wall -Wextra -Werror -I"$repo" -c -o "$check.o" "$repo"/tests/unit/seccomp-check.c
	musl-gcc -static -Os -ffreestanding -fno-builtin -fno-stack-protector -I"$repo" \
		-DNANOCTR_VERSION='"test"' -ffunction-sections -fdata-sections -Wl,--gc-sections \
		-o "$check" "$check.o" "$repo"/tests/unit/seccomp-glue.c "$repo"/src/seccomp-profile.c \
		"$repo"/src/seccomp-bpf.c "$repo"/src/seccomp-default.c "$repo"/src/seccomp.c \
		"$repo"/src/json.c "$repo"/src/lib.c "$repo"/src/out.c "$repo"/src/security.c \
		"$repo"/src/capability-names.c
}

setup() {
	requires_root
	requires_nanoctr
	CHECK=$BATS_FILE_TMPDIR/seccomp-check
}

# driver_rootfs — fresh_rootfs with the driver in /usr/local/bin; prints its path.
driver_rootfs() {
	local root
	root=$(fresh_rootfs)
	cp "$CHECK" "$root/usr/local/bin/seccomp-check"
	echo "$root"
}

# driver_run ROOTFS PROFILE(file or "default") [NANOCTR-OPTION...] -- COMMAND... — COMMAND
# in a container without nanoctr's filter, under the driver's compile of PROFILE (copied
# into the rootfs as /seccomp.json).
driver_run() {
	local root=$1 profile=$2 opts=()
	shift 2
	while [[ $1 != -- ]]; do opts+=("$1"); shift; done
	shift
	if [[ $profile != default ]]; then
		cp "$profile" "$root/seccomp.json"
		profile=/seccomp.json
	fi
	"$NANOCTR" run -r "$root" --security-opt seccomp=unconfined ${opts[@]+"${opts[@]}"} \
		seccomp-check run "$profile" -- "$@"
}

# The probes of the comparison, one process each (the i386/x32 ones may be killed).
PROBES='getpid keyctl add_key unshare setns mount umount2 bpf perf_event_open
	personality-query personality-linux32 personality-norandom clone-newuts clone3
	adjtimex-read adjtimex-write clock_adjtime-read settimeofday io_uring_setup
	name_to_handle_at open_by_handle_at finit_module reboot sethostname chroot
	userfaultfd socket-inet socket-vsock socket-netlink-audit ioctl-tiocsti ptrace
	process_vm_readv kcmp unknown-1000 x32-getpid i386-getpid'
# shellcheck disable=SC2016 # expanded by the container's sh
# exec 2>&1: one stream from inside, so the order of the shell's "Bad system call" and
# the probes' lines does not depend on how a runtime relays stdout and stderr
SCRIPT='exec 2>&1; for p in '$(echo $PROBES)'; do syscall-probe $p || echo "$p: status $?"; done'

# nanoctr's capabilities (docker's default set minus MKNOD): the runc bundle gets them.
CAPS=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID
	CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SYS_CHROOT CAP_AUDIT_WRITE CAP_SETFCAP)

requires_runc() {
	command -v runc >/dev/null || skip "runc not installed (apt-get install runc)"
	command -v jq >/dev/null || skip "jq not installed"
}

# oci_profile DOCKER_PROFILE CAP... — the OCI linux.seccomp docker/podman would send
# for a container with these capabilities on x86_64.
oci_profile() {
	local file=$1
	shift
	jq --argjson caps "$(printf '%s\n' "$@" | jq -R . | jq -s .)" \
		-f "$BATS_TEST_DIRNAME/seccomp-resolve.jq" "$file"
}

# runc_probe ROOTFS PROFILE(OCI JSON file) SCRIPT CAP... — run SCRIPT under runc; prints
# its output and its exit status.
runc_probe() {
	local root=$1 profile=$2 script=$3 b=$BATS_TEST_TMPDIR/bundle
	shift 3
	rm -rf "$b" && mkdir -p "$b"
	(cd "$b" && runc spec)
	jq --arg root "$root" --arg script "$script" --slurpfile sec "$profile" \
		--argjson caps "$(printf '%s\n' "$@" | jq -R . | jq -s .)" '
		.root = { path: $root, readonly: false } |
		.process.terminal = false |
		.process.args = ["/bin/sh", "-c", $script] |
		.process.env = ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"] |
		.process.capabilities = { bounding: $caps, effective: $caps, permitted: $caps } |
		.linux.seccomp = $sec[0]' "$b/config.json" >"$b/c.json"
	mv "$b/c.json" "$b/config.json"
	local status=0
	runc --root "$BATS_TEST_TMPDIR/runc" run -b "$b" "sc$$-$BATS_TEST_NUMBER" </dev/null 2>&1 || status=$?
	echo "exit $status"
}

# driver_probe ROOTFS PROFILE SCRIPT [NANOCTR-OPTION...] — the same under the driver, in
# nanoctr's container without its own filter (see the top of this file).
driver_probe() {
	local root=$1 profile=$2 script=$3 status=0
	shift 3
	driver_run "$root" "$profile" "$@" -- sh -c "$script" </dev/null 2>&1 || status=$?
	echo "exit $status"
}

# nanoctr_probe ROOTFS PROFILE SCRIPT [NANOCTR-OPTION...] — the same under `nanoctr run
# --security-opt seccomp=PROFILE` (read on the host).
nanoctr_probe() {
	local root=$1 profile=$2 script=$3 status=0
	shift 3
	"$NANOCTR" run -r "$root" --security-opt "seccomp=$profile" "$@" sh -c "$script" </dev/null 2>&1 ||
		status=$?
	echo "exit $status"
}

# compare DOCKER_OR_OCI_PROFILE RESOLVED_OCI_PROFILE SCRIPT [--cap-add X | --cap-drop X]
# — identical output under the driver (given the first; RUNNER=nanoctr: under `nanoctr
# run --security-opt seccomp=FIRST`) and runc (given the second), with the same
# capabilities.
compare() {
	local profile=$1 resolved=$2 script=$3 root expected actual caps=() c
	shift 3
	for c in "${CAPS[@]}"; do [[ ${1:-} == --cap-drop && CAP_$2 == "$c" ]] || caps+=("$c"); done
	[[ ${1:-} != --cap-add ]] || caps+=("CAP_$2")
	root=$(driver_rootfs)
	expected=$(runc_probe "$root" "$resolved" "$script" "${caps[@]}")
	actual=$("${RUNNER:-driver}_probe" "$root" "$profile" "$script" "$@")
	if [[ $expected != "$actual" ]]; then
		diff <(echo "$expected") <(echo "$actual") | sed 's/^/# /' >&3
		_assert_fail "the compiler and runc differ (< runc, > ${RUNNER:-driver})"
		return 1
	fi
	echo "$actual"
}

@test "podman's profile (from podman's config.json): same answers as runc" {
	requires_runc
	local p=$BATS_TEST_TMPDIR/podman.json
	jq .linux.seccomp "$BATS_TEST_DIRNAME/data/json/podman-run.json" >"$p"
	run compare "$p" "$p" "$SCRIPT"
	assert_status 0
	# and what podman's profile means: allowed calls reach the kernel, the rest ENOSYS
	assert_line_equals "mount: EPERM"		# allowed by the profile, refused by the kernel
	assert_line_equals "add_key: ENOSYS"		# not in the profile: defaultErrnoRet 38
	assert_line_equals "clone3: ok"
	assert_line_equals "exit 0"
}

@test "containers-common's seccomp.json (docker format), without and with SYS_ADMIN: same answers as runc" {
	requires_runc
	local p=/usr/share/containers/seccomp.json r=$BATS_TEST_TMPDIR/resolved.json
	[[ -f $p ]] || skip "$p: containers-common not installed"
	oci_profile "$p" "${CAPS[@]}" >"$r"
	run compare "$p" "$r" "$SCRIPT"
	assert_status 0
	assert_line_equals "open_by_handle_at: EPERM"	# excludes.caps DAC_READ_SEARCH: errnoRet 1
	assert_line_equals "bpf: EPERM"
	assert_line_equals "socket-netlink-audit: ok"	# AUDIT_WRITE held
	oci_profile "$p" "${CAPS[@]}" CAP_SYS_ADMIN >"$r"
	run compare "$p" "$r" "$SCRIPT" --cap-add SYS_ADMIN
	assert_status 0
	assert_line_equals "mount: ok"
	assert_line_equals "bpf: E2BIG"			# includes.caps SYS_ADMIN: the kernel's answer
}

@test "containers-common's seccomp.json without AUDIT_WRITE: the netlink-audit rule (EINVAL) as runc" {
	requires_runc
	local p=/usr/share/containers/seccomp.json r=$BATS_TEST_TMPDIR/resolved.json caps=()
	[[ -f $p ]] || skip "$p: containers-common not installed"
	for c in "${CAPS[@]}"; do [[ $c == CAP_AUDIT_WRITE ]] || caps+=("$c"); done
	oci_profile "$p" "${caps[@]}" >"$r"
	run compare "$p" "$r" "syscall-probe socket-netlink-audit socket-inet" --cap-drop AUDIT_WRITE
	assert_status 0
	assert_output_equals $'socket-netlink-audit: EINVAL\nsocket-inet: ok\nexit 0'
}

# A hand-written profile: every operator on its own call (arguments the kernel ignores),
# with values on both sides of the 32-bit halves.
ARGS_PROFILE='{
 "defaultAction": "SCMP_ACT_ALLOW",
 "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [
  {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5,
   "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_EQ"}]},
  {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 6,
   "args": [{"index": 1, "value": 280375465083135, "valueTwo": 19791209299968, "op": "SCMP_CMP_MASKED_EQ"}]},
  {"names": ["getuid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 7,
   "args": [{"index": 2, "value": 4294967296, "op": "SCMP_CMP_GT"}]},
  {"names": ["geteuid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 8,
   "args": [{"index": 3, "value": 8589934592, "op": "SCMP_CMP_LT"}]},
  {"names": ["getgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 9,
   "args": [{"index": 4, "value": 4294967301, "op": "SCMP_CMP_LE"}]},
  {"names": ["getegid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 10,
   "args": [{"index": 5, "value": 4294967301, "op": "SCMP_CMP_NE"}]},
  {"names": ["gettid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 11,
   "args": [{"index": 0, "value": 4294967301, "op": "SCMP_CMP_GE"}]},
  {"names": ["sched_yield"], "action": "SCMP_ACT_ERRNO", "errnoRet": 12,
   "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]},
  {"names": ["getpgrp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
   "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
  {"names": ["getsid", "no_such_call", "arm_fadvise64_64", "s390_runtime_instr"], "action": "SCMP_ACT_ERRNO", "errnoRet": 14},
  {"names": ["getsid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 15},
  {"names": ["getcpu"], "action": "SCMP_ACT_ERRNO", "errnoRet": 16, "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
  {"names": ["getcpu"], "action": "SCMP_ACT_ERRNO", "errnoRet": 17},
  {"names": ["getrandom"], "action": "SCMP_ACT_ERRNO"}
 ]
}'

# label NR A0..A5 lines for the args profile
ARGS_CALLS='
eq-hit 39 0x100000005
eq-lo-only 39 5
eq-hi-only 39 0x100000000
masked-hit 110 0 0x12ab00000034
masked-miss 110 0 0x130000000034
gt-hit 102 0 0 0x100000001
gt-hi-bigger-lo-zero 102 0 0 0x200000000
gt-small 102 0 0 5
gt-equal 102 0 0 0x100000000
gt-hi-smaller-lo-big 102 0 0 0xffffffff
lt-small 107 0 0 0 5
lt-hi-just-below 107 0 0 0 0x1ffffffff
lt-hi-above 107 0 0 0 0x300000000
lt-hi-above-lo-small 107 0 0 0 0x200000001
lt-equal 107 0 0 0 0x200000000
le-hi-bigger-lo-small 104 0 0 0 0 0x200000003
le-lo-above 104 0 0 0 0 0x100000006
le-small 104 0 0 0 0 7
le-equal 104 0 0 0 0 0x100000005
le-hi-smaller-lo-big 104 0 0 0 0 0xffffffff
ne-equal 108 0 0 0 0 0 0x100000005
ne-lo-equal-hi-not 108 0 0 0 0 0 0x200000005
ne-small 108 0 0 0 0 0 5
ge-equal 186 0x100000005
ge-hi-bigger-lo-zero 186 0x200000000
ge-small 186 4
ge-hi-equal-lo-below 186 0x100000004
ge-hi-smaller-lo-above 186 0xfffffff0
and-both 24 1 2
and-one 24 1 3
or-first 111 1
or-second 111 2
or-neither 111 3
unknown-names-skipped 124
first-unconditional-wins 124
conditional-then-unconditional 309 1
conditional-then-unconditional-other 309 2
errno-default-eperm 318 0 0 0
'

args_script() {
	local label nr args script=''
	while read -r label nr args; do
		[[ -n $label ]] || continue
		script+="echo \"$label \$(syscall-probe raw $nr $args)\"; "
	done <<<"$ARGS_CALLS"
	echo "exec 2>&1; $script syscall-probe i386-getpid || echo i386 status \$?"
}

@test "hand-written profile: every operator over the 32-bit halves, errnoRet, ANDed and same-argument (ORed) conditions, unknown names, rule order: same answers as runc" {
	requires_runc
	local p=$BATS_TEST_TMPDIR/args.json
	echo "$ARGS_PROFILE" >"$p"
	run compare "$p" "$p" "$(args_script)"
	assert_status 0
	assert_line_equals "eq-hit raw: EIO"	# errnoRet 5
	assert_line_equals "and-both raw: ENOMEM"	# 12
	assert_line_equals "and-one raw: ok"
	assert_line_equals "or-second raw: EACCES"	# 13
	assert_line_equals "errno-default-eperm raw: EPERM"
}

@test "a profile listing only x86_64: i386 and x32 calls get the bad-architecture action (killed), as runc" {
	requires_runc
	local p=$BATS_TEST_TMPDIR/native.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3}]}' >"$p"
	run compare "$p" "$p" 'exec 2>&1; syscall-probe getpid; syscall-probe x32-getpid; echo "x32 $?"; syscall-probe i386-getpid; echo "i386 $?"'
	assert_status 0
	assert_line_equals "getpid: ESRCH"
	assert_line_equals "x32 159"	# 128 + SIGSYS
	assert_line_equals "i386 159"
}

@test "the compiler's default (docker's profile plus nanoctr's additions): each probe's answer" {
	local root
	root=$(driver_rootfs)
	run --separate-stderr driver_run "$root" default -- sh -c "$SCRIPT"
	assert_status 0
	assert_stderr_equals ""
	assert_line_equals "Bad system call"	# sh reporting the killed i386 probe
	local expect
	for expect in "getpid: ok" "keyctl: EPERM" "add_key: EPERM" "unshare: EPERM" "setns: EPERM" \
		"mount: EPERM" "umount2: EPERM" "bpf: EPERM" "perf_event_open: EPERM" \
		"personality-query: ok" "personality-linux32: ok" "personality-norandom: EPERM" \
		"clone-newuts: EPERM" "clone3: ENOSYS" "adjtimex-read: ok" "adjtimex-write: EPERM" \
		"clock_adjtime-read: ok" "settimeofday: EPERM" "io_uring_setup: EPERM" \
		"name_to_handle_at: ok" "open_by_handle_at: EPERM" "finit_module: EPERM" \
		"reboot: EPERM" "sethostname: EPERM" "chroot: ok" "userfaultfd: EPERM" \
		"socket-inet: ok" "socket-vsock: EPERM" "socket-netlink-audit: ok" \
		"ioctl-tiocsti: EPERM" "ptrace: ESRCH" \
		"process_vm_readv: ok" "kcmp: EPERM" "unknown-1000: ENOSYS" "x32-getpid: EPERM" \
		"i386-getpid: status 159"; do
		assert_line_equals "$expect"
	done
	# the only filter is the driver's: nanoctr added none (seccomp=unconfined)
	run --separate-stderr driver_run "$root" default -- grep Seccomp_filters /proc/self/status
	assert_status 0
	assert_output_equals $'Seccomp_filters:\t1'
}

@test "the compiler's default with SYS_ADMIN: mount, unshare, setns, namespace clone and clone3 as docker; SYS_TIME: settimeofday" {
	local root
	root=$(driver_rootfs)
	run --separate-stderr driver_run "$root" default --cap-add SYS_ADMIN -- sh -c \
		'syscall-probe mount unshare setns clone-newuts clone3 sethostname bpf keyctl; mount -t tmpfs none /tmp && echo mounted'
	assert_status 0
	# keyctl: still refused whatever the capabilities (the filter is there)
	assert_output_equals $'mount: ok\nunshare: ok\nsetns: EBADF\nclone-newuts: ok\nclone3: ok\nsethostname: ok\nbpf: E2BIG\nkeyctl: EPERM\nmounted'
	# SYS_TIME: settimeofday reaches the kernel (a no-op with NULL arguments)
	run --separate-stderr driver_run "$root" default --cap-add SYS_TIME -- syscall-probe settimeofday adjtimex-write keyctl
	assert_status 0
	assert_output_equals $'settimeofday: ok\nadjtimex-write: ok\nkeyctl: EPERM'
}

@test "profile errors: one line naming the field, nothing loaded or run" {
	local p=$BATS_TEST_TMPDIR/bad.json
	while IFS='|' read -r json expect; do
		[[ -n $json ]] || continue
		printf '%s' "$json" >"$p"
		run --separate-stderr "$CHECK" run "$p" -- echo ran
		assert_status 1
		assert_output_equals ""
		assert_stderr_equals "seccomp-check: $expect"
	done <<'EOF'
{"defaultAction": "SCMP_ACT_NOTIFY"}|defaultAction: SCMP_ACT_NOTIFY is not supported (no notification listener)
{"defaultAction": "SCMP_ACT_BOGUS"}|defaultAction: unknown action SCMP_ACT_BOGUS
{}|defaultAction: missing
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]}|architectures[0]: unknown architecture SCMP_ARCH_Z80
{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_NEW_LISTENER"]}|flags[0]: unknown flag SECCOMP_FILTER_FLAG_NEW_LISTENER
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}|syscalls[0].args[0].index: number out of range
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_XOR"}]}]}|syscalls[0].args[0].op: unknown operator SCMP_CMP_XOR
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]}|syscalls[0].action: errnoRet is only valid with SCMP_ACT_ERRNO and SCMP_ACT_TRACE
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"}]}|syscalls[0].action: SCMP_ACT_NOTIFY is not supported (no notification listener)
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]}|syscalls[0].names: missing
{"defaultAction": "SCMP_ACT_ALLOW",}|offset 35: expected a string as object key
EOF
}

@test "flags TSYNC, LOG and SPEC_ALLOW are accepted and the filter is loaded" {
	local p=$BATS_TEST_TMPDIR/flags.json root
	root=$(driver_rootfs)
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_TSYNC",
		"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
		"syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3}]}' >"$p"
	run --separate-stderr driver_run "$root" "$p" -- syscall-probe getpid
	assert_status 0
	assert_output_equals "getpid: ESRCH"
}

@test "default EPERM: a number above every rule's (unknown-1000, mseal) gets what runc gives" {
	requires_runc
	local p=/usr/share/containers/seccomp.json r=$BATS_TEST_TMPDIR/resolved.json
	[[ -f $p ]] || skip "$p: containers-common not installed"
	oci_profile "$p" "${CAPS[@]}" | jq '.defaultErrnoRet = 1' >"$r"
	run compare "$r" "$r" 'syscall-probe unknown-1000 mseal io_uring_setup add_key'
	assert_status 0
	assert_line_equals "unknown-1000: ENOSYS"	# runc's ENOSYS stub, above the profile's last call
	assert_line_equals "add_key: EPERM"
}

# seccomp-check (tests/unit/seccomp-check.c) without run: the compiler alone, each
# program loaded into a child so the kernel's verifier checks it.
@test "every compiled program is accepted by the kernel: the default, podman's, containers-common's and the hand-written ones, per capability set" {
	local f caps
	echo "$ARGS_PROFILE" >"$BATS_TEST_TMPDIR/args.json"
	jq .linux.seccomp "$BATS_TEST_DIRNAME/data/json/podman-run.json" >"$BATS_TEST_TMPDIR/podman.json"
	for f in default "$BATS_TEST_TMPDIR/podman.json" "$BATS_TEST_TMPDIR/args.json" \
		/usr/share/containers/seccomp.json; do
		[[ -f $f || $f == default ]] || continue
		for caps in 0 a00425fb a06425fb ffffffffff; do	# none, nanoctr's, + SYS_ADMIN, all
			run "$CHECK" -c "$caps" "$f"
			assert_status 0
			assert_line_equals "loaded"
			echo "# $f caps $caps: ${lines[0]}" >&3
		done
	done
}

@test "the default on x86_64: a call costs a few instructions, TIOCSTI on the low 32 bits, i386 killed at once" {
	local nr
	for nr in 0 1 39 202 232 257; do	# read write getpid futex epoll_wait openat
		run "$CHECK" -n -e "c000003e,$nr" default
		assert_status 0
		[[ ${lines[1]} =~ ^action\ 0x7fff0000\ after\ ([0-9]+)\ instructions$ ]] ||
			_assert_fail "not allowed: ${lines[1]}"
		((BASH_REMATCH[1] <= 20)) || _assert_fail "$nr took ${BASH_REMATCH[1]} instructions"
	done
	run "$CHECK" -n -e c000003e,16,0,0x100005412 default	# ioctl(0, TIOCSTI | 1 << 32)
	assert_line_equals "action 0x00050001 after 15 instructions"
	run "$CHECK" -n -e 40000003,20 default	# AUDIT_ARCH_I386: KILL_PROCESS
	assert_line_equals "action 0x80000000 after 3 instructions"
	run "$CHECK" -n -e c000003e,0x40000027 default	# x32 getpid: EPERM
	assert_line_equals "action 0x00050001 after 19 instructions"
}

# big_profile N — the first N names (alphabetical), each with six 64-bit GT conditions (a
# body of ~45 instructions): ERRNO(EDOM) when all six arguments exceed 2^32.
big_profile() {
	local names
	names=$(sed -n 's/^\tSCN_\([a-z0-9_]*\),$/\1/p' "$BATS_TEST_DIRNAME/../syscalls/syscall-names.h" |
		head -n "$1" | jq -R . | jq -s -c .)
	jq -n --argjson names "$names" '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [$names[] |
		{names: [.], action: "SCMP_ACT_ERRNO", errnoRet: 33, args: [range(6) | {index: ., value: 4294967296, op: "SCMP_CMP_GT"}]}]}'
}

@test "a program of thousands of instructions (jumps far beyond 255) loads; one past 4096 is refused before anything runs" {
	big_profile 80 >"$BATS_TEST_TMPDIR/big.json"
	run "$CHECK" "$BATS_TEST_TMPDIR/big.json"
	assert_status 0
	[[ ${lines[0]} =~ ^instructions\ ([0-9]+)$ ]] && ((BASH_REMATCH[1] > 2500 && BASH_REMATCH[1] <= 4096)) ||
		_assert_fail "expected 2500..4096 instructions: ${lines[0]}"
	assert_line_equals "loaded"
	# the far end of the program: the last call's body (finit_module, 313) still decides,
	# in the kernel (EDOM, the profile's errnoRet) and on a call its conditions miss
	run "$CHECK" -n -e c000003e,313,0 "$BATS_TEST_TMPDIR/big.json"
	assert_output_contains "action 0x7fff0000 after "	# allowed: the conditions miss
	local root big=0x100000001
	root=$(driver_rootfs)
	run --separate-stderr driver_run "$root" "$BATS_TEST_TMPDIR/big.json" -- \
		syscall-probe raw 313 $big $big $big $big $big $big
	assert_status 0
	assert_output_equals "raw: errno33"	# EDOM
	big_profile 120 >"$BATS_TEST_TMPDIR/huge.json"
	run --separate-stderr "$CHECK" run "$BATS_TEST_TMPDIR/huge.json" -- echo ran
	assert_status 1
	assert_output_equals ""
	assert_stderr_equals "seccomp-check: too large"
}

@test "the native architecture is filtered even when a profile lists only another (libseccomp always holds it), as runc" {
	requires_runc
	local p=$BATS_TEST_TMPDIR/x86only.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"],
		"syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3}]}' >"$p"
	run compare "$p" "$p" 'exec 2>&1; syscall-probe getpid i386-getpid'
	assert_status 0
	assert_line_equals "getpid: ESRCH"
	assert_line_equals "i386-getpid: ESRCH"
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": [],
		"syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3}]}' >"$p"
	run compare "$p" "$p" 'exec 2>&1; syscall-probe getpid'
	assert_status 0
	assert_line_equals "getpid: ESRCH"
}

# --- through nanoctr itself ---

# The answers of nanoctr's default filter (docker's profile plus nanoctr's additions) to
# the probes of $SCRIPT, for nanoctr's default capabilities.
DEFAULT_ANSWERS=("getpid: ok" "keyctl: EPERM" "add_key: EPERM" "unshare: EPERM" "setns: EPERM"
	"mount: EPERM" "umount2: EPERM" "bpf: EPERM" "perf_event_open: EPERM"
	"personality-query: ok" "personality-linux32: ok" "personality-norandom: EPERM"
	"clone-newuts: EPERM" "clone3: ENOSYS" "adjtimex-read: ok" "adjtimex-write: EPERM"
	"clock_adjtime-read: ok" "settimeofday: EPERM" "io_uring_setup: EPERM"
	"name_to_handle_at: ok" "open_by_handle_at: EPERM" "finit_module: EPERM"
	"reboot: EPERM" "sethostname: EPERM" "chroot: ok" "userfaultfd: EPERM"
	"socket-inet: ok" "socket-vsock: EPERM" "socket-netlink-audit: ok"
	"ioctl-tiocsti: EPERM" "ptrace: ESRCH"
	"process_vm_readv: ok" "kcmp: EPERM" "unknown-1000: ENOSYS" "x32-getpid: EPERM"
	"i386-getpid: status 159")

@test "nanoctr run: the default filter is docker's profile plus nanoctr's additions (each probe's answer, one filter)" {
	local root a
	root=$(fresh_rootfs)
	run --separate-stderr "$NANOCTR" run -r "$root" sh -c "$SCRIPT; grep Seccomp_filters /proc/self/status"
	assert_status 0
	assert_stderr_equals ""
	assert_line_equals "Bad system call"	# sh reporting the killed i386 probe
	for a in "${DEFAULT_ANSWERS[@]}"; do
		assert_line_equals "$a"
	done
	assert_line_equals $'Seccomp_filters:\t1'
	[ "${#lines[@]}" -eq $((${#DEFAULT_ANSWERS[@]} + 2)) ]
	# the compiler's default through the driver answers the same (same rootfs, same caps)
	run --separate-stderr driver_run "$(driver_rootfs)" default -- sh -c "$SCRIPT"
	assert_status 0
	for a in "${DEFAULT_ANSWERS[@]}"; do
		assert_line_equals "$a"
	done
}

@test "nanoctr run: the privileged probe is all denied by default (clone3: ENOSYS)" {
	run --separate-stderr "$NANOCTR" run -r "$ROOTFS" sh -c 'for p in mount-proc mount-tmpfs finit-module keyctl unshare-user clone-newuser clone3 bpf perf tiocsti tiocsti-high x32; do probe $p; done'
	assert_status 0
	assert_output_equals "probe mount-proc: EPERM
probe mount-tmpfs: EPERM
probe finit-module: EPERM
probe keyctl: EPERM
probe unshare-user: EPERM
probe clone-newuser: EPERM
probe clone3: ENOSYS
probe bpf: EPERM
probe perf: EPERM
probe tiocsti: EPERM
probe tiocsti-high: EPERM
probe x32: EPERM"
}

@test "nanoctr run --cap-add SYS_ADMIN: mount, unshare, setns, namespace clone, clone3 as docker; SYS_TIME: settimeofday; without: read-only adjtimex, name_to_handle_at" {
	local root
	root=$(fresh_rootfs)
	run --separate-stderr "$NANOCTR" run -r "$root" --cap-add SYS_ADMIN sh -c \
		'syscall-probe mount unshare setns clone-newuts clone3 sethostname bpf keyctl; mount -t tmpfs none /tmp && echo mounted'
	assert_status 0
	assert_stderr_equals ""
	# keyctl: still refused whatever the capabilities (the filter is there)
	assert_output_equals $'mount: ok\nunshare: ok\nsetns: EBADF\nclone-newuts: ok\nclone3: ok\nsethostname: ok\nbpf: E2BIG\nkeyctl: EPERM\nmounted'
	run --separate-stderr "$NANOCTR" run -r "$root" --cap-add SYS_TIME syscall-probe settimeofday adjtimex-write keyctl
	assert_status 0
	assert_output_equals $'settimeofday: ok\nadjtimex-write: ok\nkeyctl: EPERM'
	run --separate-stderr "$NANOCTR" run -r "$root" syscall-probe adjtimex-read adjtimex-write clock_adjtime-read name_to_handle_at mount
	assert_status 0
	assert_output_equals $'adjtimex-read: ok\nadjtimex-write: EPERM\nclock_adjtime-read: ok\nname_to_handle_at: ok\nmount: EPERM'
}

@test "nanoctr run --security-opt seccomp=FILE: podman's, containers-common's (docker format, with and without SYS_ADMIN) and the hand-written profile give runc's answers" {
	requires_runc
	local p=$BATS_TEST_TMPDIR/podman.json c=/usr/share/containers/seccomp.json r=$BATS_TEST_TMPDIR/resolved.json
	export RUNNER=nanoctr
	jq .linux.seccomp "$BATS_TEST_DIRNAME/data/json/podman-run.json" >"$p"
	run compare "$p" "$p" "$SCRIPT; grep Seccomp_filters /proc/self/status"
	assert_status 0
	assert_line_equals "add_key: ENOSYS"		# podman's defaultErrnoRet
	assert_line_equals $'Seccomp_filters:\t1'	# the profile's filter alone
	echo "$ARGS_PROFILE" >"$BATS_TEST_TMPDIR/args.json"
	run compare "$BATS_TEST_TMPDIR/args.json" "$BATS_TEST_TMPDIR/args.json" "$(args_script)"
	assert_status 0
	assert_line_equals "eq-hit raw: EIO"
	[[ -f $c ]] || skip "$c: containers-common not installed"
	oci_profile "$c" "${CAPS[@]}" >"$r"
	run compare "$c" "$r" "$SCRIPT"
	assert_status 0
	assert_line_equals "mount: EPERM"
	oci_profile "$c" "${CAPS[@]}" CAP_SYS_ADMIN >"$r"
	run compare "$c" "$r" "$SCRIPT" --cap-add SYS_ADMIN
	assert_status 0
	assert_line_equals "mount: ok"
}

@test "nanoctr run --security-opt seccomp=FILE: a bad profile is one line, 125, before anything is created" {
	local p=$BATS_TEST_TMPDIR/p.json json expect
	big_profile 120 >"$BATS_TEST_TMPDIR/huge.json"
	head -c 300000 /dev/zero | tr '\0' ' ' >"$BATS_TEST_TMPDIR/large.json"
	check() {	# FILE STDERR-AFTER-"nanoctr: --security-opt seccomp=FILE: "
		run --separate-stderr "$NANOCTR" run -r "$ROOTFS" --security-opt "seccomp=$1" \
			sh -c 'echo ran' </dev/null
		assert_status 125
		assert_output_equals ""
		assert_stderr_equals "nanoctr: --security-opt seccomp=$1: $2"
	}
	check "$BATS_TEST_TMPDIR/missing.json" "No such file or directory"
	check "$BATS_TEST_TMPDIR/huge.json" "the filter would exceed the kernel's 4096 instructions"
	check "$BATS_TEST_TMPDIR/large.json" "larger than 256 KiB"
	while IFS='|' read -r json expect; do
		[[ -n $json ]] || continue
		printf '%s' "$json" >"$p"
		check "$p" "$expect"
	done <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",}|offset 35: expected a string as object key
{"defaultAction": "SCMP_ACT_NOTIFY"}|defaultAction: SCMP_ACT_NOTIFY is not supported (no notification listener)
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_XOR"}]}]}|syscalls[0].args[0].op: unknown operator SCMP_CMP_XOR
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]}|architectures[0]: unknown architecture SCMP_ARCH_Z80
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "includes": {"minKernel": "abc"}}]}|syscalls[0].includes.minKernel: not a kernel version: abc
EOF
}

@test "nanoctr run --security-opt seccomp=FILE, docker format: includes/excludes.caps compared as docker (a name no capability has is never held)" {
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3, "includes": {"caps": ["CAP_NOPE"]}},
		{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3, "excludes": {"caps": ["CAP_NOPE"]}},
		{"names": ["getuid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3, "includes": {"caps": ["CAP_CHOWN"]}},
		{"names": ["getgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3, "excludes": {"caps": ["CAP_CHOWN"]}}]}' >"$p"
	# getpid, getppid, getuid, getgid
	run -0 --separate-stderr "$NANOCTR" run -r "$ROOTFS" --security-opt "seccomp=$p" \
		sh -c 'for nr in 39 110 102 104; do syscall-probe raw $nr; done'
	assert_output_equals $'raw: ok\nraw: ESRCH\nraw: ESRCH\nraw: ok'
	run -0 --separate-stderr "$NANOCTR" run -r "$ROOTFS" --cap-drop CHOWN --security-opt "seccomp=$p" \
		sh -c 'for nr in 102 104; do syscall-probe raw $nr; done'
	assert_output_equals $'raw: ok\nraw: ESRCH'
}

@test "nanoctr run: seccomp=unconfined and seccomp=FILE, the last one wins; --privileged has no filter" {
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3}]}' >"$p"
	run -0 --separate-stderr "$NANOCTR" run -r "$ROOTFS" --security-opt "seccomp=$p" \
		--security-opt seccomp=unconfined sh -c 'syscall-probe getpid keyctl; grep ^Seccomp: /proc/self/status'
	assert_output_equals $'getpid: ok\nkeyctl: ENOKEY\nSeccomp:\t0'
	run -0 --separate-stderr "$NANOCTR" run -r "$ROOTFS" --security-opt seccomp=unconfined \
		--security-opt "seccomp=$p" sh -c 'syscall-probe getpid keyctl; grep ^Seccomp_filters: /proc/self/status'
	assert_output_equals $'getpid: ESRCH\nkeyctl: ENOKEY\nSeccomp_filters:\t1'
	run -0 --separate-stderr "$NANOCTR" run -r "$ROOTFS" --privileged sh -c 'grep ^Seccomp: /proc/self/status'
	assert_output_equals $'Seccomp:\t0'
}

# --- the OCI build: config.json's linux.seccomp ---

# oci_bundle B PROFILE SCRIPT [JQ-FILTER] — a `runc spec` bundle in B running SCRIPT on a
# fresh rootfs with linux.seccomp = PROFILE (a file), then FILTER
oci_bundle() {
	local b=$1 profile=$2 script=$3
	rm -rf "$b" && mkdir -p "$b"
	(cd "$b" && runc spec)
	jq --arg root "$(fresh_rootfs)" --arg script "$script" --slurpfile sec "$profile" '
		.root = { path: $root, readonly: false } |
		.process.terminal = false |
		.process.args = ["/bin/sh", "-c", $script] |
		.process.env = ["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"] |
		.linux.seccomp = $sec[0] | '"${4:-.}" "$b/config.json" >"$b/c.json"
	mv "$b/c.json" "$b/config.json"
}

# The OCI build (make OCI=1), once per file.
oci_build() {
	OCI=$BATS_FILE_TMPDIR/nanoctr-oci
	[[ -x $OCI ]] || make -s -C "$BATS_TEST_DIRNAME/.." OCI=1 OBJDIR="$BATS_FILE_TMPDIR/oci-obj/" \
		BIN="$OCI" >&2
}

@test "OCI: config.json's linux.seccomp is compiled and loaded exactly: runc's answers, with and without noNewPrivileges" {
	requires_runc
	oci_build
	local p=$BATS_TEST_TMPDIR/podman.json b=$BATS_TEST_TMPDIR/oci nnp expected actual
	jq .linux.seccomp "$BATS_TEST_DIRNAME/data/json/podman-run.json" >"$p"
	for nnp in true false; do
		oci_bundle "$b" "$p" "$SCRIPT; grep -e ^NoNewPrivs -e ^Seccomp_filters /proc/self/status" \
			".process.noNewPrivileges = $nnp"
		expected=$(runc --root "$BATS_TEST_TMPDIR/runc" run -b "$b" "sc$$-$BATS_TEST_NUMBER" </dev/null 2>&1; echo "exit $?")
		actual=$("$OCI" --root "$BATS_TEST_TMPDIR/state" run -b "$b" "sc$$-$BATS_TEST_NUMBER" </dev/null 2>&1; echo "exit $?")
		if [[ $expected != "$actual" ]]; then
			diff <(echo "$expected") <(echo "$actual") | sed 's/^/# /' >&3
			_assert_fail "nanoctr and runc differ (noNewPrivileges $nnp)"
		fi
		grep -qx $'Seccomp_filters:\t1' <<<"$actual"
		grep -qx "add_key: ENOSYS" <<<"$actual"	# podman's profile, not nanoctr's default
		if [[ $nnp == false ]]; then grep -qx $'NoNewPrivs:\t0' <<<"$actual"; fi
	done
}

@test "OCI: exec gets the container's filter" {
	requires_runc
	oci_build
	local p=$BATS_TEST_TMPDIR/podman.json b=$BATS_TEST_TMPDIR/oci id=sc$$-$BATS_TEST_NUMBER
	jq .linux.seccomp "$BATS_TEST_DIRNAME/data/json/podman-run.json" >"$p"
	oci_bundle "$b" "$p" "exec sleep 1000"
	"$OCI" --root "$BATS_TEST_TMPDIR/state" run -d -b "$b" "$id" </dev/null >/dev/null 2>&1
	run --separate-stderr "$OCI" --root "$BATS_TEST_TMPDIR/state" exec "$id" \
		sh -c 'syscall-probe add_key keyctl mount; grep ^Seccomp_filters /proc/self/status'
	"$OCI" --root "$BATS_TEST_TMPDIR/state" delete --force "$id"
	assert_status 0
	assert_output_equals $'add_key: ENOSYS\nkeyctl: ENOKEY\nmount: EPERM\nSeccomp_filters:\t1'
}

@test "OCI: a bad linux.seccomp is one line naming the field, exit 1, nothing left" {
	requires_runc
	oci_build
	local p=$BATS_TEST_TMPDIR/bad.json b=$BATS_TEST_TMPDIR/oci
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_FOO"}]}' >"$p"
	oci_bundle "$b" "$p" "echo ran"
	run --separate-stderr "$OCI" --root "$BATS_TEST_TMPDIR/state" run -b "$b" "sc$$-$BATS_TEST_NUMBER" </dev/null
	assert_status 1
	assert_output_equals ""
	assert_stderr_equals "nanoctr: linux.seccomp.syscalls[0].action: unknown action SCMP_ACT_FOO"
	[[ -z $(ls -A "$BATS_TEST_TMPDIR/state" 2>/dev/null) ]]
}
