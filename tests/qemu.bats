#!/usr/bin/env bats
# nanoctr on a real kernel with pure cgroup v2, run from an initramfs root (where
# pivot_root fails, so the MS_MOVE + chroot root switch is what runs).
#
# One boot for everything: setup_file builds an initramfs (rootfs-scripts/initramfs.sh)
# whose /init is tests/qemu/test-init.sh, boots Debian's kernel on it under
# qemu-system-x86_64 with software emulation (KVM hangs on these machines), and keeps
# the serial console's log. The init runs every check once and prints
#   QEMU-OUT <check>: <stdout line> / QEMU-ERR <check>: <stderr line> /
#   QEMU-RESULT <check> status=N seconds=S
# and each test below judges its check's lines. Build + boot + checks take 13-20 s
# here (uncompressed kernel through qemu's PVH entry); the times are printed, never asserted
# (QEMU_TIMEOUT is a hang guard only).
# After a run the serial log stays in $TMPDIR/nanoctr-qemu-serial.log.

load helpers
load qemu/lib

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
QEMU_TIMEOUT=300
QEMU_KEPT_LOG=${TMPDIR:-/tmp}/nanoctr-qemu-serial.log
# tests/progs programs that run inside the container.
QEMU_PROGS="memhog forkloop cpuspin probe seccomp-deny"

seconds_since() {
	awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }'
}

# uncompressed_kernel VMLINUZ OUT — unpack the vmlinux ELF inside a bzImage into OUT.
# qemu boots it through its PVH entry point, which skips the in-guest decompression:
# about 5 s of the boot under software emulation. Fails when it cannot (boot VMLINUZ then).
uncompressed_kernel() {
	local magic offset tool pattern
	for magic in xz gzip zstd; do
		case $magic in
		xz) tool="xz -dc" pattern=$'\xfd7zXZ' ;;
		gzip) tool="gzip -dc" pattern=$'\x1f\x8b\x08' ;;
		zstd) tool="zstd -dcq" pattern=$'\x28\xb5\x2f\xfd' ;;
		esac
		command -v "${tool%% *}" >/dev/null || continue
		offset=$(LC_ALL=C grep -abo "$pattern" "$1" 2>/dev/null | head -n 1 | cut -d: -f1)
		[ -n "$offset" ] || continue
		# The compressed stream has trailing data, which the tool complains about.
		tail -c +$((offset + 1)) "$1" | $tool >"$2" 2>/dev/null || true
		[ "$(head -c 4 "$2")" = $'\x7fELF' ] && return 0
	done
	rm -f "$2"
	return 1
}

# oci_bundles EXTRA — the OCI build as /bin/nanoctr-oci, tests/qemu/oci-checks.sh as a
# check file, and its bundles in /etc/oci/NAME: the process makes /dev/kmsg's node (c 1:11)
# and writes to it, then to /dev/null. "open": no device rules (memory and pids limits); "podman": podman's (deny
# all, then its allow list); "write": deny all, allow c 1:11 w; "read": allow c 1:11 r only.
oci_bundles() {
	local extra=$1 name rules
	mkdir -p "$extra/bin" "$extra/etc/qemu-checks.d"
	make -s -C "$REPO" OCI=1 BIN="$extra/bin/nanoctr-oci" OBJDIR="$BATS_FILE_TMPDIR/oci-obj/" >&2
	cp "$REPO/tests/qemu/oci-checks.sh" "$extra/etc/qemu-checks.d/oci.sh"
	mkdir -p "$extra/etc/oci-frozen"	# a bundle whose cgroupsPath the check freezes first
	(cd "$extra/etc/oci-frozen" && "$REPO/nanoctr" spec)
	jq '.root.path = "/containers/busybox" | .process.args = ["true"] | .linux.cgroupsPath = "/qemu-frozen"' \
		"$extra/etc/oci-frozen/config.json" >"$extra/etc/oci-frozen/new"
	mv "$extra/etc/oci-frozen/new" "$extra/etc/oci-frozen/config.json"
	for name in open podman write read rdwr block wild hole blacklist allowall; do
		case $name in
		open) rules='[]' ;;
		podman) rules=$(jq -c .linux.resources.devices "$REPO/tests/data/json/podman-run.json") ;;	# deny all
		write) rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]' ;;
		read) rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]' ;;
		# v1's semantics (breaker-s4): one node's allow rules merge (an O_RDWR open, "rdwr"
		# below, needs r and w in one entry); the type counts; wildcards; a deny rule
		# inside an allowed wildcard is refused (v1 ignores it, runc refuses it); "a"
		# allow then a deny rule; "a" allow alone
		rdwr) rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"},
			{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]' ;;
		block) rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "b", "major": 1, "minor": 11, "access": "rwm"}]' ;;
		wild) rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "minor": 11, "access": "w"}]' ;;
		hole) rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "access": "rwm"},
			{"allow": false, "type": "c", "major": 1, "minor": 11, "access": "w"}]' ;;
		blacklist) rules='[{"allow": true, "access": "rwm"}, {"allow": false, "type": "c", "major": 1, "minor": 11, "access": "w"}]' ;;
		allowall) rules='[{"allow": true, "access": "rwm"}]' ;;
		esac
		mkdir -p "$extra/etc/oci/$name"
		(cd "$extra/etc/oci/$name" && "$REPO/nanoctr" spec)
		jq --argjson rules "$rules" --arg n "$name" '.root.path = "/containers/busybox" |
			.process.terminal = false | .process.capabilities |= map_values(. + ["CAP_MKNOD"]) |
			.linux.resources.devices = $rules |
			if $n == "open" then .linux.resources.memory.limit = 67108864 | .linux.resources.pids.limit = 20 else . end |
			.process.args = ["sh", "-c", "rm -f /tmp/kmsg-\($n); mknod /tmp/kmsg-\($n) c 1 11 &&
				echo nanoctr-qemu > /tmp/kmsg-\($n); echo kmsg=$?; echo x > /dev/null; echo null=$?; cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max 2>/dev/null"] |
			# the later ones: an O_RDWR open too (reading kmsg wants CAP_SYSLOG)
			if ($n | IN("open", "podman", "write", "read")) then . else
				.process.capabilities |= map_values(. + ["CAP_SYSLOG"]) |
				.process.args[2] = "rm -f /tmp/kmsg-\($n); mknod /tmp/kmsg-\($n) c 1 11 &&
				echo nanoctr-qemu > /tmp/kmsg-\($n); echo kmsg=$?; (exec 3<>/tmp/kmsg-\($n)); echo rdwr=$?; echo x > /dev/null; echo null=$?" end' \
			"$extra/etc/oci/$name/config.json" >"$extra/etc/oci/$name/new"
		mv "$extra/etc/oci/$name/new" "$extra/etc/oci/$name/config.json"
	done
}

setup_file() {
	local kernel dir log bin prog start missing=()
	QEMU_SKIP=
	kernel=$(find /boot -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort -V | tail -n 1)
	NANOCTR_BIN=${NANOCTR:-$REPO/nanoctr}
	if ! command -v qemu-system-x86_64 >/dev/null; then
		QEMU_SKIP="qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
	elif [ ! -r "$kernel" ]; then
		QEMU_SKIP="no readable /boot/vmlinuz-* (apt-get install linux-image-amd64)"
	elif ! command -v cpio >/dev/null; then
		QEMU_SKIP="cpio not installed (apt-get install cpio)"
	elif [ ! -x "$NANOCTR_BIN" ]; then
		QEMU_SKIP="$NANOCTR_BIN not built (make)"
	fi
	export QEMU_SKIP
	[ -z "$QEMU_SKIP" ] || return 0

	start=$(date +%s.%N)
	dir=$BATS_FILE_TMPDIR
	bin=$dir/extra/containers/busybox/usr/local/bin
	mkdir -p "$bin"
	# The test programs: the ones tests/run put in its rootfs, else built here.
	for prog in $QEMU_PROGS; do
		if [ -x "${NANOCTR_TEST_ROOTFS:-/nonexistent}/usr/local/bin/$prog" ]; then
			cp "$NANOCTR_TEST_ROOTFS/usr/local/bin/$prog" "$bin/"
		else
			missing+=("$dir/progs/$prog")
		fi
	done
	if [ ${#missing[@]} -gt 0 ]; then
		make -s -C "$REPO/tests/progs" BUILD="$dir/progs" "${missing[@]}" >&2
		cp "${missing[@]}" "$bin/"
	fi

	oci_bundles "$dir/extra"
	"$REPO/rootfs-scripts/initramfs.sh" -o "$dir/initramfs.cpio.gz" --nanoctr "$NANOCTR_BIN" \
		--init "$REPO/tests/qemu/test-init.sh" --extra "$dir/extra"
	if uncompressed_kernel "$kernel" "$dir/vmlinux"; then
		kernel=$dir/vmlinux
	fi

	log=$dir/serial.log
	export QEMU_BUILD_SECONDS QEMU_BOOT_SECONDS QEMU_STATUS
	QEMU_BUILD_SECONDS=$(seconds_since "$start")
	start=$(date +%s.%N)
	QEMU_STATUS=0
	timeout "$QEMU_TIMEOUT" qemu-system-x86_64 -machine accel=tcg -m 512 -smp 1 \
		-nographic -no-reboot -nic none -kernel "$kernel" -initrd "$dir/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet panic=-1 rdinit=/init" </dev/null >"$log" 2>&1 ||
		QEMU_STATUS=$?
	QEMU_BOOT_SECONDS=$(seconds_since "$start")
	serial_clean "$log" "$dir/serial.txt"
	cp "$dir/serial.txt" "$QEMU_KEPT_LOG" 2>/dev/null || true
}

@test "qemu: the kernel boots the initramfs, runs every check and powers off" {
	[ -z "$QEMU_SKIP" ] || skip "$QEMU_SKIP"
	echo "build ${QEMU_BUILD_SECONDS}s, boot+checks ${QEMU_BOOT_SECONDS}s, qemu status $QEMU_STATUS"
	echo "serial log: $QEMU_KEPT_LOG"
	grep '^QEMU-BOOTED' "$BATS_FILE_TMPDIR/serial.txt"
	grep '^QEMU-DONE' "$BATS_FILE_TMPDIR/serial.txt"
	# qemu exits 0 on the guest's poweroff; 124 (timeout) means the guest hung.
	[ "$QEMU_STATUS" -eq 0 ]
}

@test "qemu: the guest has pure cgroup v2 and an initramfs root where pivot_root fails" {
	qemu_check env
	[[ $(value root-fs) == ramfs || $(value root-fs) == tmpfs ]]
	[ "$(value cgroup-fs)" = cgroup2 ]
	[ "$(value self-cgroup)" = "0::/" ]
	[[ " $(value controllers) " == *" memory "* ]]
	[[ " $(value controllers) " == *" pids "* ]]
	[[ " $(value controllers) " == *" cpu "* ]]
	qemu_check pivot-root-host
	[ "$(value pivot_root-status)" != 0 ]
	assert_output_contains "Invalid argument"
}

@test "qemu: run from the initramfs root: hostname and the container's own files" {
	qemu_check hostname
	assert_status 0
	assert_output_equals nanoctr
	qemu_check hostname-opt
	assert_status 0
	assert_output_equals qemu-ctr
	qemu_check os-release
	assert_status 0
	assert_line_equals ID=nanoctr-busybox
}

@test "qemu: the container's / is its rootfs, none of the initramfs shows" {
	qemu_check root-listing
	assert_status 0
	assert_line_equals bin
	not grep -qx -e QEMU-HOST-ROOT-MARKER -e containers -e init <<<"$output"
	qemu_check self-mountinfo
	assert_status 0
	# One mount at /, and no mount point from the initramfs (its /containers).
	[ "$(awk '$5 == "/"' <<<"$output" | wc -l)" -eq 1 ]
	[ -z "$(awk '$5 ~ "^/containers"' <<<"$output")" ]
}

@test "qemu: the initramfs root switch ends with pivot_root (denied: 125, never a chroot)" {
	# pivot_root made to fail with EINVAL throughout: the old code fell back to MS_MOVE +
	# chroot and ran; now both pivot_roots (the direct one, then the one from the real
	# mount made over the initramfs) are tried, and the failure is reported
	qemu_check pivot-denied
	assert_status 125
	assert_output_equals ""
	[[ $stderr == "nanoctr: pivot_root: Invalid argument" ]]
}

@test "qemu: a chroot escape from the container does not reach the initramfs root" {
	qemu_check chroot-escape-control
	# The probe escapes a plain chroot (first name: the marker), or this proves nothing.
	assert_output_contains "probe chroot-escape: ok QEMU-HOST-ROOT-MARKER"
	qemu_check chroot-escape
	assert_status 0
	[[ $output == "probe chroot-escape: contained" || $output == "probe chroot-escape: EPERM" ]]
}

@test "qemu: limits land in the container's cgroup v2 files, read-only inside" {
	qemu_check limits
	assert_status 0
	[ "$(value self-cgroup)" = "0::/" ]
	[ "$(value memory.max)" = 52428800 ]
	[ "$(value memory.swap.max)" = 0 ]
	[ "$(value pids.max)" = 10 ]
	[ "$(value cpu.max)" = "50000 100000" ]
	[ "$(value cgroupfs)" = read-only ]
}

@test "qemu: -m 50M: a 200 MiB hog is OOM-killed and reported, exit 137" {
	qemu_check oom
	assert_status 137
	assert_stderr_equals "nanoctr: container killed by the OOM killer (memory limit 50M)"
}

@test "qemu: -m 50M: a 10 MiB hog runs to completion" {
	qemu_check mem-under-limit
	assert_status 0
	assert_output_equals "memhog: ok 10"
	assert_stderr_equals ""
}

@test "qemu: --pids-limit 10: a loop of 50 forks is stopped by EAGAIN" {
	qemu_check pids
	assert_status 0
	local started
	started=$(sed -n 's/^forkloop: started \([0-9]*\) of 50, fork: Resource temporarily unavailable$/\1/p' <<<"$output")
	[ -n "$started" ]
	# forkloop itself is one of the 10.
	[ "$started" -lt 10 ]
}

@test "qemu: --cpus 0.5: cpu.max is \"50000 100000\" and the quota throttles a busy loop" {
	qemu_check cpus
	assert_status 0
	[ "$(value cpu.max)" = "50000 100000" ]
	[[ $(value nr_throttled) =~ ^[0-9]+$ ]] && (($(value nr_throttled) > 0))
}

@test "qemu: SIGTERM twice to nanoctr: forwarded, then the container is killed and the cgroup removed" {
	qemu_check signal
	assert_status 0
	[ "$(value alive-after-first-term)" = yes ]
	[ "$(value nanoctr-exited)" = yes ]
	[ "$(value cgroup-after)" = gone ]
}

@test "qemu: nanoctr SIGKILLed: the container dies, the next run with a limit removes the stale cgroup" {
	qemu_check sigkill
	assert_status 0
	[ "$(value nanoctr-status)" = 137 ]
	[ "$(value container-after)" = dead ]
	[ "$(value stale-before)" = present ]
	[ "$(value next-run-status)" = 0 ]
	[ "$(value stale-after)" = gone ]
}

@test "qemu: --cgroup-parent puts the container's cgroup beneath the given one" {
	qemu_check cgroup-parent
	[ "$(value run-status)" = 0 ]
	[[ $(value under-parent) == nanoctr-* ]]
	[ -z "$(value after | tr -d ' ')" ]
}

@test "qemu: a caller in a busy non-root cgroup gets a clear error, exit 125" {
	qemu_check internal-process
	assert_status 125
	assert_stderr_prefix "nanoctr: "
	assert_stderr_contains "cgroup.subtree_control"
	not grep -q '^QEMU-OUT internal-process-leftover: ' "$BATS_FILE_TMPDIR/serial.txt"
}

@test "qemu: after every run: no nanoctr cgroup, no new mount, no process left" {
	qemu_check cleanup
	assert_status 0
	[ -z "$(value cgroups-left | tr -d ' ')" ]
	[ "$(value mounts)" = unchanged ]
	not grep -q '^leftover-process=' <<<"$output"
}

@test "qemu: OCI on cgroup v2: limits; linux.resources.devices as an eBPF program (podman's rules deny a node it made)" {
	qemu_check oci-open	# and its memory and pids limits, in the v2 files it sees
	assert_status 0
	[[ $output == $'kmsg=0\nnull=0\n67108864\n20' ]]
	qemu_check oci-podman
	assert_status 0
	[[ $output == $'kmsg=1\nnull=0\nmax\nmax' ]]	# no limits asked: none
	[[ $stderr == "sh: can't create /tmp/kmsg-podman: Operation not permitted" ]]
	qemu_check oci-write
	assert_status 0
	[[ $output == $'kmsg=0\nnull=0\nmax\nmax' ]]	# /dev/null: the defaults appended (runc's)
	qemu_check oci-read
	assert_status 0
	[[ $output == $'kmsg=1\nnull=0\nmax\nmax' ]]
	[[ $stderr == "sh: can't create /tmp/kmsg-read: Operation not permitted" ]]
	qemu_check oci-rdwr	# r and w of one node merged, as v1 (was: rdwr=1)
	assert_status 0
	[[ $output == $'kmsg=0\nrdwr=0\nnull=0' && -z $stderr ]]
	qemu_check oci-block	# a block rule does not open a char node
	assert_status 0
	[[ $output == $'kmsg=1\nrdwr=1\nnull=0' ]]
	qemu_check oci-wild
	assert_status 0
	[[ $output == $'kmsg=0\nrdwr=1\nnull=0' ]]
	qemu_check oci-hole	# refused before it runs (was: run, the deny honoured unlike v1)
	assert_status 1
	[[ -z $output ]]
	[[ $stderr == "nanoctr: linux.resources.devices: a deny rule inside an allowed wildcard rule: the kernel's device cgroup would ignore it (runc refuses it too)" ]]
	qemu_check oci-blacklist	# default allow: a deny rule takes any part of an open
	assert_status 0
	[[ $output == $'kmsg=1\nrdwr=1\nnull=0' ]]
	qemu_check oci-allowall
	assert_status 0
	[[ $output == $'kmsg=0\nrdwr=0\nnull=0' && -z $stderr ]]
	qemu_check oci-left
	[[ -z $output ]]
}

@test "qemu: OCI on cgroup v2: a cgroupsPath left frozen is refused (runc's message), not joined, left as it was" {
	qemu_check oci-frozen
	assert_status 0
	[[ $output == $'status=1\nfreeze=1' ]]
	[[ $stderr == "nanoctr: /sys/fs/cgroup/qemu-frozen: container's cgroup unexpectedly frozen" ]]
	qemu_check oci-left
	[[ -z $output ]]
}
