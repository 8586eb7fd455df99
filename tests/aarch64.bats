#!/usr/bin/env bats
# nanoctr on arm64 (issue 13): `make ARCH=aarch64` cross-compiles ./nanoctr-aarch64, which
# runs on Debian's arm64 kernel booted under qemu-system-aarch64 (software emulation) from
# an arm64 initramfs: pure cgroup v2 and an initramfs root, as tests/qemu.bats on x86_64.
#
# One boot for everything: setup_file builds the binary, arm64 static test programs
# (tests/progs with aarch64-linux-gnu-gcc -static) and an initramfs
# (rootfs-scripts/initramfs.sh --arch aarch64) with Debian's arm64 busybox-static, whose
# /init is tests/qemu/test-init.sh — the x86 test's checks, unchanged — plus
# tests/qemu/extra-checks.sh. The kernel and busybox are Debian's arm64 packages,
# downloaded with apt-get (no arm64 architecture added to the system) into a cache under
# /tmp keyed by version; without them (no network) the boot tests skip and say so.
# Each test judges its check's lines on the serial console:
#   QEMU-OUT <check>: <stdout line> / QEMU-ERR <check>: <stderr line> /
#   QEMU-RESULT <check> status=N seconds=S
# After a run the serial log stays in $TMPDIR/nanoctr-aarch64-serial.log.
#
# Packages: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm cpio (the boot),
# qemu-user-static (the quick checks without a boot; also lists busybox's applets),
# gcc-arm-linux-gnueabihf (tests/progs/arm32-calls.S, a 32-bit ARM program).

# shellcheck disable=SC2016 # the guest expands $ in the snippets given to its sh -c

load helpers
load qemu/lib

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# A hang guard only: boot + checks take about a minute under software emulation.
QEMU_TIMEOUT=300
QEMU_KEPT_LOG=${TMPDIR:-/tmp}/nanoctr-aarch64-serial.log
ARM64_CACHE=${NANOCTR_ARM64_CACHE:-/tmp/nanoctr-arm64-cache}
# tests/progs programs that run inside the container.
ARM64_PROGS="memhog forkloop cpuspin probe sigtrap orphans"

# arm64_apt ARGS... — apt-get/apt-cache for Debian's arm64 packages with lists and cache
# of their own under $ARM64_CACHE: the system's dpkg architectures and lists stay as they are.
arm64_apt() {
	local tool=$1
	shift
	"$tool" -q -oAPT::Architecture=arm64 -oAPT::Architectures=arm64 \
		-oDir::State::Lists="$ARM64_CACHE/lists" -oDir::Cache="$ARM64_CACHE/apt" "$@"
}

# arm64_package NAME [MEMBER] — download Debian's arm64 package NAME (the candidate
# version) unless the cache has it, unpack it (only MEMBER, e.g. ./boot, when given: the
# kernel's modules are 370 MB) once into $ARM64_CACHE/NAME_VERSION and print that directory.
arm64_package() {
	local version dir deb
	version=$(arm64_apt apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
	[ -n "$version" ] || return 1
	# apt-get download's file name: the epoch's colon is written %3a.
	dir=$ARM64_CACHE/${1}_${version//:/%3a}
	deb=$ARM64_CACHE/debs/${1}_${version//:/%3a}_arm64.deb
	if [ ! -d "$dir" ]; then
		mkdir -p "$ARM64_CACHE/debs"
		if [ ! -f "$deb" ]; then
			(cd "$ARM64_CACHE/debs" && arm64_apt apt-get download "$1=$version") >&2 || return 1
		fi
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir.tmp" ${2:+"$2"}; then
			rm -rf "$dir.tmp"
			return 1
		fi
		mv "$dir.tmp" "$dir"
		rm -f "$deb"
	fi
	echo "$dir"
}

# arm64_fetch — Debian's arm64 kernel and static busybox: sets ARM64_KERNEL and
# ARM64_BUSYBOX, or fails (with the reason on stdout).
arm64_fetch() {
	local kpkg kdir bdir
	mkdir -p "$ARM64_CACHE/lists/partial" "$ARM64_CACHE/apt/archives/partial"
	# Fresh lists once a day; stale ones still do when the mirror cannot be reached.
	if [ -z "$(find "$ARM64_CACHE/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		arm64_apt apt-get update >&2 || true
	fi
	kpkg=$(arm64_apt apt-cache show --no-all-versions linux-image-arm64 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
	if [ -z "$kpkg" ]; then
		echo "cannot get Debian's arm64 package lists (apt-get update with -oAPT::Architecture=arm64 failed: no network?)"
		return 1
	fi
	kdir=$(arm64_package "$kpkg" ./boot) || { echo "cannot download $kpkg (arm64)"; return 1; }
	bdir=$(arm64_package busybox-static) || { echo "cannot download busybox-static (arm64)"; return 1; }
	ARM64_KERNEL=$(find "$kdir/boot" -name 'vmlinuz-*' | head -n 1)
	ARM64_BUSYBOX=$bdir/bin/busybox
	[ -r "$ARM64_KERNEL" ] || { echo "no vmlinuz in $kpkg"; return 1; }
	[ -x "$ARM64_BUSYBOX" ] || { echo "no bin/busybox in busybox-static (arm64)"; return 1; }
}

# arm32_exit42 OUT — a 96-byte 32-bit ARM ELF executable: exit(42) by a raw system call
# (mov r0, #42; mov r7, #1 (__NR_exit); svc #0), made without a toolchain: the control
# that the guest runs 32-bit ARM programs at all.
arm32_exit42() {
	local hdr
	hdr='\177ELF\001\001\001\000\000\000\000\000\000\000\000\000'          # ELFCLASS32, LE
	hdr+='\002\000\050\000\001\000\000\000\124\000\001\000\064\000\000\000' # EXEC, EM_ARM, entry 0x10054
	hdr+='\000\000\000\000\000\000\000\005\064\000\040\000\001\000\000\000' # EABI5, 1 phdr
	hdr+='\000\000\000\000'
	hdr+='\001\000\000\000\000\000\000\000\000\000\001\000\000\000\001\000' # PT_LOAD at 0x10000
	hdr+='\140\000\000\000\140\000\000\000\005\000\000\000\000\020\000\000' # 96 bytes, R+X
	hdr+='\052\000\240\343\001\160\240\343\000\000\000\357'                 # the three instructions
	# shellcheck disable=SC2059 # the format is the bytes
	printf "$hdr" >"$1"
	chmod 755 "$1"
}

setup_file() {
	local dir log bin cc reason start prog
	QEMU_SKIP='' BUILD_SKIP='' ARM32_SKIP=''
	cc=aarch64-linux-gnu-gcc
	NANOCTR_ARM64=$REPO/nanoctr-aarch64
	export NANOCTR_ARM64 QEMU_SKIP BUILD_SKIP ARM32_SKIP
	command -v arm-linux-gnueabihf-gcc >/dev/null ||
		ARM32_SKIP="arm-linux-gnueabihf-gcc not installed (apt-get install gcc-arm-linux-gnueabihf)"
	if ! command -v "$cc" >/dev/null; then
		BUILD_SKIP="$cc not installed (apt-get install gcc-aarch64-linux-gnu)"
		QEMU_SKIP=$BUILD_SKIP
		return 0
	fi
	make -s -C "$REPO" ARCH=aarch64 >&2
	if ! command -v qemu-system-aarch64 >/dev/null; then
		QEMU_SKIP="qemu-system-aarch64 not installed (apt-get install qemu-system-arm)"
	elif [ ! -e /usr/aarch64-linux-gnu/lib/libc.a ]; then
		QEMU_SKIP="no arm64 static libc for the test programs (apt-get install libc6-dev-arm64-cross)"
	elif ! command -v cpio >/dev/null; then
		QEMU_SKIP="cpio not installed (apt-get install cpio)"
	elif ! reason=$(arm64_fetch); then
		QEMU_SKIP=$reason
	fi
	[ -z "$QEMU_SKIP" ] || return 0
	arm64_fetch >/dev/null # again, for the variables (the first ran in a subshell)

	dir=$BATS_FILE_TMPDIR
	bin=$dir/extra/containers/busybox/usr/local/bin
	mkdir -p "$bin" "$dir/extra/etc/qemu-checks.d" "$dir/extra/usr/local/bin"
	# shellcheck disable=SC2046,SC2086 # a list of names
	make -s -C "$REPO/tests/progs" CC="$cc" BUILD="$dir/progs" \
		$(printf "$dir/progs/%s " $ARM64_PROGS) >&2
	for prog in $ARM64_PROGS; do
		cp "$dir/progs/$prog" "$bin/"
	done
	printf 'int main(void) { volatile int *p = 0; return *p; }\n' >"$dir/segv.c"
	"$cc" -static -O0 -o "$bin/segv" "$dir/segv.c"
	arm32_exit42 "$bin/arm32-exit42"
	cp "$bin/arm32-exit42" "$dir/extra/usr/local/bin/"
	if [ -z "$ARM32_SKIP" ]; then
		arm-linux-gnueabihf-gcc -marm -static -nostdlib -o "$bin/arm32-calls" \
			"$REPO/tests/progs/arm32-calls.S"
		cp "$bin/arm32-calls" "$dir/extra/usr/local/bin/"
	fi
	# Profiles for the arm32 checks (read by nanoctr in the guest): arm64 alone; arm64
	# and arm (OCI's list, docker's archMap) denying getpid, arm's 20 (arm64's is 172).
	mkdir -p "$dir/extra/etc/arm32"
	echo '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_AARCH64"]}' \
		>"$dir/extra/etc/arm32/arm64-only.json"
	echo '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_AARCH64","SCMP_ARCH_ARM"],
		"syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO"}]}' >"$dir/extra/etc/arm32/getpid.json"
	echo '{"defaultAction":"SCMP_ACT_ALLOW","archMap":[{"architecture":"SCMP_ARCH_AARCH64",
		"subArchitectures":["SCMP_ARCH_ARM"]}],"syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO"}]}' \
		>"$dir/extra/etc/arm32/getpid-archmap.json"
	cp "$REPO/tests/qemu/extra-checks.sh" "$dir/extra/etc/qemu-checks.d/extra.sh"

	"$REPO/rootfs-scripts/initramfs.sh" --arch aarch64 -o "$dir/initramfs.cpio.gz" \
		--nanoctr "$NANOCTR_ARM64" --busybox "$ARM64_BUSYBOX" \
		--init "$REPO/tests/qemu/test-init.sh" --extra "$dir/extra"

	log=$dir/serial.log
	export QEMU_STATUS=0 QEMU_BOOT_SECONDS
	start=$(date +%s)
	# CHECK_TIMEOUT reaches /init as an environment variable (the kernel passes on
	# unknown name=value parameters): each check's hang guard, longer than on x86.
	timeout "$QEMU_TIMEOUT" qemu-system-aarch64 -M virt -cpu max -m 512 -smp 1 \
		-nographic -no-reboot -nic none -kernel "$ARM64_KERNEL" -initrd "$dir/initramfs.cpio.gz" \
		-append "console=ttyAMA0 quiet panic=-1 rdinit=/init CHECK_TIMEOUT=60" \
		</dev/null >"$log" 2>&1 || QEMU_STATUS=$?
	QEMU_BOOT_SECONDS=$(($(date +%s) - start))
	serial_clean "$log" "$dir/serial.txt"
	cp "$dir/serial.txt" "$QEMU_KEPT_LOG" 2>/dev/null || true
}

# qemu_user ARGS... — run the arm64 binary under qemu-user (no namespaces needed).
qemu_user() {
	local q
	[ -z "$BUILD_SKIP" ] || skip "$BUILD_SKIP"
	q=$(command -v qemu-aarch64-static || command -v qemu-aarch64) ||
		skip "qemu-aarch64 not installed (apt-get install qemu-user-static)"
	"$q" "$NANOCTR_ARM64" "$@"
}

@test "aarch64: make ARCH=aarch64 builds a static, libc-free arm64 nanoctr within the budget" {
	[ -z "$BUILD_SKIP" ] || skip "$BUILD_SKIP"
	run -0 readelf -hW "$NANOCTR_ARM64"
	assert_output_contains "AArch64"
	run -0 readelf -lW "$NANOCTR_ARM64"
	[[ $output != *"INTERP"* && $output != *"DYNAMIC"* ]] || _assert_fail "not static"
	# The native binary is still ./nanoctr; make size lists both.
	run -0 readelf -hW "$NANOCTR"
	assert_output_not_contains "AArch64"
	run -0 make -s -C "$REPO" size
	assert_line_equals "nanoctr: $(stat -c %s "$NANOCTR") bytes stripped (budget 65536)"
	assert_line_equals "nanoctr-aarch64: $(stat -c %s "$NANOCTR_ARM64") bytes stripped (budget 65536)"
	[ "$(stat -c %s "$NANOCTR_ARM64")" -le 65536 ]
}

@test "aarch64: the objects are built warning-free, and only start.S's _start is linked" {
	[ -z "$BUILD_SKIP" ] || skip "$BUILD_SKIP"
	local tree=$BATS_TEST_TMPDIR/tree out
	mkdir -p "$tree"
	cp -a "$REPO"/Makefile "$REPO"/start.S "$REPO"/src "$REPO"/syscalls "$tree"/
	rm -rf "$tree"/src/*.o "$tree"/start.o "$tree"/build
	run -0 make -C "$tree" ARCH=aarch64
	not grep -i 'warning' <<<"$output"
	[ -x "$tree/nanoctr-aarch64" ]
	out=$BATS_TEST_TMPDIR/nanoctr.full
	aarch64-linux-gnu-gcc -nostdlib -static -no-pie -Wl,--gc-sections -o "$out" \
		"$tree"/build/aarch64/start.o "$tree"/build/aarch64/src/*.o
	run -0 aarch64-linux-gnu-nm "$out"
	[[ $output == *" T _start"* ]]
	for sym in __libc_start_main errno malloc printf __stack_chk_fail environ; do
		not grep -qw -- "$sym" <<<"$output"
	done
}

@test "aarch64: make dist writes nanoctr-x86_64, nanoctr-aarch64 and their SHA256SUMS" {
	[ -z "$BUILD_SKIP" ] || skip "$BUILD_SKIP"
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree"
	cp -a "$REPO"/Makefile "$REPO"/start.S "$REPO"/src "$REPO"/syscalls "$tree"/
	rm -rf "$tree"/src/*.o "$tree"/start.o "$tree"/build
	run -0 make -s -C "$tree" dist
	run -0 ls "$tree/dist"
	assert_output_equals $'SHA256SUMS\nnanoctr-aarch64\nnanoctr-x86_64'
	(cd "$tree/dist" && sha256sum -c SHA256SUMS)
	run -0 readelf -hW "$tree/dist/nanoctr-aarch64"
	assert_output_contains "AArch64"
	run -0 readelf -hW "$tree/dist/nanoctr-x86_64"
	assert_output_contains "X86-64"
}

@test "aarch64 under qemu-user: --version, --help and argument errors as on x86_64" {
	run -0 qemu_user --version
	assert_output_equals "nanoctr $("$NANOCTR" --version | cut -d' ' -f2)"
	run -0 qemu_user --help
	[ "$output" = "$("$NANOCTR" --help)" ]
	run -125 --separate-stderr qemu_user run --bogus /bin/true
	assert_stderr_equals "nanoctr: --bogus: unknown option (see nanoctr --help)"
	run -125 --separate-stderr qemu_user
	assert_stderr_prefix "nanoctr: no command: "
}

# seccomp_action PROFILE ARCH,NR[,ARG...] — the action of the arm64 compile of PROFILE (a file, or
# "default") on that call: tests/unit/seccomp-check -e, cross-built, under qemu-user.
seccomp_action() {
	local check=$BATS_FILE_TMPDIR/seccomp-check-arm64
	if [ ! -x "$check" ]; then
		aarch64-linux-gnu-gcc -static -Os -ffreestanding -fno-builtin -fno-stack-protector \
			-ffunction-sections -fdata-sections -Wl,--gc-sections \
			-I"$REPO" -DNANOCTR_VERSION='"test"' -o "$check" "$REPO"/tests/unit/seccomp-check.c \
			"$REPO"/tests/unit/seccomp-glue.c "$REPO"/src/seccomp-profile.c "$REPO"/src/seccomp-bpf.c \
			"$REPO"/src/seccomp-default.c "$REPO"/src/seccomp.c "$REPO"/src/json.c "$REPO"/src/lib.c \
			"$REPO"/src/out.c "$REPO"/src/security.c "$REPO"/src/capability-names.c >&2
	fi
	NANOCTR_ARM64=$check qemu_user -n -e "$2" "$1" | sed -n 's/^action \(0x[0-9a-f]*\) .*/\1/p'
}

@test "aarch64 under qemu-user: the compiled filter's actions for 32-bit ARM calls (arm's numbers)" {
	local p=$BATS_TEST_TMPDIR
	[ -z "$BUILD_SKIP" ] || skip "$BUILD_SKIP"
	[ -e /usr/aarch64-linux-gnu/lib/libc.a ] ||
		skip "no arm64 static libc for the driver (apt-get install libc6-dev-arm64-cross)"
	command -v qemu-aarch64-static >/dev/null || command -v qemu-aarch64 >/dev/null ||
		skip "qemu-aarch64 not installed (apt-get install qemu-user-static)"
	# docker's default: arm listed (archMap aarch64: arm); AUDIT_ARCH_ARM is 40000028.
	[ "$(seccomp_action default 40000028,20)" = 0x7fff0000 ]	# getpid: allowed
	[ "$(seccomp_action default 40000028,311)" = 0x00050001 ]	# keyctl: EPERM
	[ "$(seccomp_action default 40000028,0xf0005)" = 0x7fff0000 ]	# set_tls (docker's arm rule)
	[ "$(seccomp_action default 40000028,192)" = 0x7fff0000 ]	# mmap2 (arm only)
	[ "$(seccomp_action default c00000b7,219)" = 0x00050001 ]	# arm64's keyctl: EPERM
	[ "$(seccomp_action default 40000003,20)" = 0x80000000 ]	# i386: killed
	# A profile without arm: an arm call gets the bad-architecture action (KILL_THREAD).
	echo '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_AARCH64"]}' >"$p/a.json"
	[ "$(seccomp_action "$p/a.json" 40000028,20)" = 0x00000000 ]
	# With arm: the rule's name resolved with arm's number, its condition on 32 bits.
	echo '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_AARCH64","SCMP_ARCH_ARM"],
		"syscalls":[{"names":["getpid","mmap2"],"action":"SCMP_ACT_ERRNO"},
		{"names":["personality"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}' >"$p/b.json"
	[ "$(seccomp_action "$p/b.json" 40000028,20)" = 0x00050001 ]
	[ "$(seccomp_action "$p/b.json" c00000b7,20)" = 0x7fff0000 ]	# arm64's 20 is another call
	[ "$(seccomp_action "$p/b.json" c00000b7,172)" = 0x00050001 ]	# arm64's getpid
	[ "$(seccomp_action "$p/b.json" 40000028,192)" = 0x00050001 ]
	[ "$(seccomp_action "$p/b.json" 40000028,136,0x100000008)" = 0x00050001 ]	# low 32 bits
	[ "$(seccomp_action "$p/b.json" c00000b7,92,0x100000008)" = 0x7fff0000 ]	# arm64: all 64
}

@test "aarch64: the arm64 kernel boots the initramfs, runs every check and powers off" {
	[ -z "$QEMU_SKIP" ] || skip "$QEMU_SKIP"
	echo "kernel: $ARM64_KERNEL, boot+checks ${QEMU_BOOT_SECONDS}s, qemu status $QEMU_STATUS"
	echo "serial log: $QEMU_KEPT_LOG"
	grep '^QEMU-BOOTED' "$BATS_FILE_TMPDIR/serial.txt"
	grep '^QEMU-DONE' "$BATS_FILE_TMPDIR/serial.txt"
	# qemu exits 0 on the guest's poweroff; 124 (timeout) means the guest hung.
	[ "$QEMU_STATUS" -eq 0 ]
	qemu_check arch
	[ "$(value machine)" = aarch64 ]
	[ "$(value nanoctr-version)" = "$("$NANOCTR" --version)" ]
}

@test "aarch64: the guest has pure cgroup v2 and an initramfs root where pivot_root fails" {
	qemu_check env
	[[ $(value root-fs) == ramfs || $(value root-fs) == tmpfs ]]
	[ "$(value cgroup-fs)" = cgroup2 ]
	[ "$(value self-cgroup)" = "0::/" ]
	[[ " $(value controllers) " == *" memory "* ]]
	[[ " $(value controllers) " == *" pids "* ]]
	qemu_check pivot-root-host
	[ "$(value pivot_root-status)" != 0 ]
	assert_output_contains "Invalid argument"
}

@test "aarch64: hostname, PID 1 and the container's own files, from the initramfs root" {
	qemu_check hostname
	assert_status 0
	assert_output_equals nanoctr
	qemu_check hostname-opt
	assert_status 0
	assert_output_equals qemu-ctr
	qemu_check os-release
	assert_status 0
	assert_line_equals ID=nanoctr-busybox
	qemu_check pid1
	assert_status 0
	assert_output_equals "pid=1 init=sh"
	qemu_check root-listing
	assert_status 0
	assert_line_equals bin
	not grep -qx -e QEMU-HOST-ROOT-MARKER -e containers -e init <<<"$output"
	qemu_check self-mountinfo
	assert_status 0
	[ "$(awk '$5 == "/"' <<<"$output" | wc -l)" -eq 1 ]
	[ -z "$(awk '$5 ~ "^/containers"' <<<"$output")" ]
}

@test "aarch64: argument errors: one line, 125, nothing started" {
	qemu_check args-error
	assert_status 125
	assert_stderr_prefix "nanoctr: "
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	qemu_check args-none
	assert_status 125
	assert_stderr_prefix "nanoctr: no command: "
}

@test "aarch64: exit statuses: 7, 127, 126, 139 on SIGSEGV, 137 on SIGKILL from the host" {
	qemu_check exit-7
	assert_status 7
	assert_stderr_equals ""
	qemu_check exit-127
	assert_status 127
	assert_stderr_equals "nanoctr: /nonexistent: No such file or directory"
	qemu_check exit-126
	assert_status 126
	assert_stderr_equals "nanoctr: /etc/os-release: Permission denied"
	qemu_check exit-segv
	assert_status 139
	assert_stderr_equals ""
	qemu_check exit-host-kill
	[ "$(value nanoctr-status)" = 137 ]
}

@test "aarch64: O_NOFOLLOW has arm64's value: a file volume is not created through a symlink" {
	qemu_check nofollow
	assert_status 0
	[ "$(value made-through-link)" = no ]
	[ "$(value run-status)" = 125 ]
	assert_stderr_prefix "nanoctr: /nofollow-link: "
}

@test "aarch64: a chroot escape from the container does not reach the initramfs root" {
	qemu_check chroot-escape-control
	assert_output_contains "probe chroot-escape: ok QEMU-HOST-ROOT-MARKER"
	qemu_check chroot-escape
	assert_status 0
	[[ $output == "probe chroot-escape: contained" || $output == "probe chroot-escape: EPERM" ]]
}

@test "aarch64: the privileged-syscall probe: all denied by the arm64 seccomp filter" {
	qemu_check probes
	assert_status 0
	local p expect
	for p in mount-proc mount-tmpfs finit-module keyctl unshare-user clone-newuser clone3 \
		mknod-disk bpf perf tiocsti tiocsti-high; do
		expect=EPERM
		[ "$p" != clone3 ] || expect=ENOSYS
		assert_line_equals "probe $p: $expect"
	done
	[ "${#lines[@]}" -eq 12 ]
	# Without the filter the same calls get through to the kernel: the filter's numbers
	# are arm64's (x86_64's would deny other calls and let these through).
	qemu_check probes-unconfined
	assert_status 0
	assert_line_equals "probe keyctl: ok"
	assert_line_equals "probe tiocsti-high: ENOTTY"
	not grep -qx "probe clone3: ENOSYS" <<<"$output"
}

@test "aarch64: a 32-bit ARM (compat) program: filtered with arm's numbers when the profile lists arm (docker's does), killed when not" {
	qemu_check arm32-control
	[ "$status" -eq 42 ] || skip "the guest cannot run 32-bit ARM programs (status $status)"
	# Docker's default lists arm on arm64 (archMap aarch64: arm): the program runs.
	qemu_check arm32
	assert_status 42
	[ -z "$ARM32_SKIP" ] || skip "$ARM32_SKIP"
	# Without a filter: getpid works, keyctl is not refused, set_tls works (64+1+4).
	qemu_check arm32-calls-control
	assert_status 69
	# Docker's profile: getpid allowed, keyctl EPERM, the private set_tls allowed (64+1+2+4).
	qemu_check arm32-calls
	assert_status 71
	# A profile listing arm denies arm's getpid (20), not what arm64 numbers 20 (64+8+4).
	qemu_check arm32-calls-getpid
	assert_status 76
	qemu_check arm32-calls-getpid-archmap
	assert_status 76
	# A profile without arm: the process is killed at its first call (128+SIGSYS),
	# libseccomp's bad-architecture action.
	qemu_check arm32-calls-arm64-only
	assert_status 159
	qemu_check arm32-exit42-arm64-only
	assert_status 159
}

@test "aarch64: cgroup v2: limits in the container's files, OOM kill reported (137), pids limit" {
	qemu_check limits
	assert_status 0
	[ "$(value memory.max)" = 52428800 ]
	[ "$(value memory.swap.max)" = 0 ]
	[ "$(value pids.max)" = 10 ]
	[ "$(value cpu.max)" = "50000 100000" ]
	[ "$(value cgroupfs)" = read-only ]
	qemu_check oom
	assert_status 137
	assert_stderr_equals "nanoctr: container killed by the OOM killer (memory limit 50M)"
	qemu_check mem-under-limit
	assert_status 0
	assert_output_equals "memhog: ok 10"
	qemu_check pids
	assert_status 0
	local started
	started=$(sed -n 's/^forkloop: started \([0-9]*\) of 50, fork: Resource temporarily unavailable$/\1/p' <<<"$output")
	[ -n "$started" ]
	[ "$started" -lt 10 ]
}

@test "aarch64: signals: SIGTERM twice to nanoctr, nanoctr SIGKILLed" {
	qemu_check signal
	assert_status 0
	[ "$(value alive-after-first-term)" = yes ]
	[ "$(value nanoctr-exited)" = yes ]
	[ "$(value cgroup-after)" = gone ]
	qemu_check sigkill
	assert_status 0
	[ "$(value nanoctr-status)" = 137 ]
	[ "$(value container-after)" = dead ]
	[ "$(value stale-after)" = gone ]
}

@test "aarch64: --init: nanoctr is PID 1, forwards signals, reaps orphans" {
	qemu_check init-pid
	assert_status 0
	assert_output_equals "pid=2 ppid=1 init=nanoctr"
	qemu_check init-sigterm
	[ "$(value nanoctr-status)" = 143 ]
	qemu_check init-forward
	[ "$(value nanoctr-status)" = 10 ]
	assert_line_equals "sigtrap: got SIGUSR1"
	qemu_check init-reap
	assert_status 0
	assert_line_equals "orphans: made 5"
	assert_line_equals "S    nanoctr"
	not grep -q '^Z' <<<"$output"
}

@test "aarch64: after every run: no nanoctr cgroup, no new mount, no process left" {
	qemu_check cleanup
	assert_status 0
	[ -z "$(value cgroups-left | tr -d ' ')" ]
	[ "$(value mounts)" = unchanged ]
	not grep -q '^leftover-process=' <<<"$output"
}
