# bench/peers.sh — the contenders: installs the peers from Debian, builds nanoctr, makes
# the busybox rootfs and the OCI bundles, and lists every command the bench times.
# Sourced by bench/run.sh; needs lib.sh and T, REPO, BENCH, PEERS_ONLY.
# shellcheck shell=bash

# install_peers — apt-get installs what is missing (waiting for the dpkg lock if
# another install runs); a peer that cannot be installed is reported as failed later.
install_peers() {
	local need=()
	command -v hyperfine >/dev/null || need+=(hyperfine)
	command -v bwrap >/dev/null || need+=(bubblewrap)
	command -v crun >/dev/null || need+=(crun)
	command -v runc >/dev/null || need+=(runc)
	dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need+=(busybox-static)
	if [ ${#need[@]} -gt 0 ]; then
		log "installing ${need[*]}"
		export DEBIAN_FRONTEND=noninteractive
		local apt=(apt-get -o DPkg::Lock::Timeout=600)
		if ! "${apt[@]}" install -y "${need[@]}" >&2; then
			"${apt[@]}" update >&2 || true
			"${apt[@]}" install -y "${need[@]}" >&2 ||
				log "apt-get install failed; missing peers will be reported as failed"
		fi
	fi
	command -v hyperfine >/dev/null || die "hyperfine is missing and could not be installed"
}

# build_nanoctr — sets NANOCTR (a copy in T: the lead may rebuild <repo>/nanoctr while
# the bench runs), NANOCTR_SRC, NANOCTR_OK (1/0) and NANOCTR_WHY; NANOCTR from the
# environment names a binary to measure instead of building <repo>/nanoctr.
build_nanoctr() {
	NANOCTR_OK=0 NANOCTR_WHY="" NANOCTR_SRC=""
	[ "$PEERS_ONLY" = 0 ] || return 0
	if [ -n "${NANOCTR-}" ]; then
		NANOCTR=$(readlink -f "$NANOCTR")
	else
		log "building nanoctr (make -C $REPO)"
		NANOCTR=$REPO/nanoctr
		make -C "$REPO" >"$T/make.log" 2>&1 ||
			NANOCTR_WHY="make -C $REPO failed: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"
	fi
	if [ -z "$NANOCTR_WHY" ]; then
		if [ -x "$NANOCTR" ] && cp "$NANOCTR" "$T/nanoctr"; then
			NANOCTR_SRC=$NANOCTR NANOCTR=$T/nanoctr NANOCTR_OK=1
		else
			NANOCTR_WHY="$NANOCTR is not an executable"
		fi
	fi
	[ "$NANOCTR_OK" = 1 ] || log "nanoctr unavailable: $NANOCTR_WHY"
}

# build_nanoctr_oci — sets NOCI, a nanoctr with the OCI commands for the lifecycle rows,
# and NOCI_HOW (how it was had) or NOCI_WHY (why there is none): NANOCTR_OCI from the
# environment; else NANOCTR itself when it has them; else `make OCI=1` of the same tree,
# built into the temp dir (BIN and OBJDIR given on the command line: <repo>/nanoctr and
# its objects are left alone). The default build leaves them out for its size budget.
build_nanoctr_oci() {
	NOCI="" NOCI_HOW="" NOCI_WHY=""
	[ "$PEERS_ONLY" = 0 ] || return 0
	if [ -n "${NANOCTR_OCI-}" ]; then
		NOCI=$T/nanoctr-oci NOCI_HOW="NANOCTR_OCI=$NANOCTR_OCI"
		cp "$(readlink -f "$NANOCTR_OCI")" "$NOCI" 2>/dev/null || NOCI_WHY="NANOCTR_OCI=$NANOCTR_OCI is not a file"
	elif [ "$NANOCTR_OK" = 1 ] && nanoctr_has_oci "$NANOCTR"; then
		NOCI=$NANOCTR NOCI_HOW="the measured binary"
	else
		log "building nanoctr with the OCI commands (make OCI=1, into the temp dir)"
		NOCI=$T/nanoctr-oci NOCI_HOW="make OCI=1 of tree $(git -C "$REPO" describe --always --dirty 2>/dev/null || echo '?')"
		make -C "$REPO" OCI=1 BIN="$NOCI" OBJDIR="$T/oci-obj/" >"$T/make-oci.log" 2>&1 ||
			NOCI_WHY="make OCI=1 failed: $(tail -n 3 "$T/make-oci.log" | tr '\n' ' ')"
	fi
	if [ -z "$NOCI_WHY" ] && ! nanoctr_has_oci "$NOCI"; then
		NOCI_WHY="$NOCI has no OCI commands"
	fi
	[ -z "$NOCI_WHY" ] || log "nanoctr OCI rows not measured: $NOCI_WHY"
}

# make_rootfs — sets ROOTFS ($T/rootfs) and ROOTFS_HOW.
make_rootfs() {
	ROOTFS=$T/rootfs
	if [ -x "$REPO/rootfs-scripts/busybox.sh" ]; then
		log "making rootfs with rootfs-scripts/busybox.sh"
		"$REPO/rootfs-scripts/busybox.sh" "$ROOTFS" >"$T/rootfs.log" 2>&1 ||
			die "rootfs-scripts/busybox.sh failed: $(tail -n 3 "$T/rootfs.log")"
		ROOTFS_HOW="rootfs-scripts/busybox.sh"
	else
		log "rootfs-scripts/busybox.sh not there; making a minimal busybox rootfs myself"
		local bb a f
		bb=$(readlink -f "$(command -v busybox)") || die "no busybox binary"
		readelf -l "$bb" 2>/dev/null | grep -q 'program interpreter' && die "$bb is not static"
		mkdir -p "$ROOTFS"/{bin,proc,dev,sys,tmp,etc,root}
		cp "$bb" "$ROOTFS/bin/busybox"
		for a in $("$ROOTFS/bin/busybox" --list); do
			[ -e "$ROOTFS/bin/$a" ] || ln -s busybox "$ROOTFS/bin/$a"
		done
		ROOTFS_HOW="fallback: $bb copied, relative applet symlinks in /bin"
	fi
	for f in bin/true bin/sleep; do
		[ -x "$ROOTFS/$f" ] || [ -L "$ROOTFS/$f" ] || die "rootfs has no /$f"
	done
	case "$ROOTFS$REPO$BENCH" in *[[:space:]]*) die "paths with spaces are not supported: $ROOTFS $REPO" ;; esac
}

json_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }
# write_oci_config BUNDLE ARG... — isolation comparable to nanoctr's defaults: pid, ipc,
# uts, mount, network, cgroup namespaces; docker's 14 capabilities; no_new_privs;
# docker's masked and read-only paths; proc/dev/devpts/shm/mqueue/sys. No seccomp.
write_oci_config() {
	local bundle=$1 args="" a caps
	shift
	for a in "$@"; do args+="${args:+, }$(json_str "$a")"; done
	caps='"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"'
	mkdir -p "$bundle"
	cat >"$bundle/config.json" <<EOJ
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": [$args],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"],
    "cwd": "/",
    "capabilities": {"bounding": [$caps], "effective": [$caps], "permitted": [$caps]},
    "noNewPrivileges": true
  },
  "root": {"path": $(json_str "$ROOTFS"), "readonly": false},
  "hostname": "bench",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}
  ],
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "network"}, {"type": "cgroup"}],
    "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats", "/sys/firmware", "/sys/devices/virtual/powercap"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
  }
}
EOJ
}

# nanoctr_has_oci BIN — whether this nanoctr has the OCI commands (create/start/delete):
# without them `create` is "create: unknown command" (exit 125); with them it asks for
# the container id.
nanoctr_has_oci() {
	local cmd out
	[ -x "$1" ] || return 1
	for cmd in create delete; do
		out=$("$1" "$cmd" 2>&1 </dev/null) && return 1
		case $out in *"unknown command"*) return 1 ;; esac
	done
}

# The contenders. Each entry: name | runtime binary | how to run it ("crun" = inside the
# crun namespace, bench/crun-ns.sh) | command for /bin/true | command for `sleep 1`
# (peak RSS; "" = none) | group (main, lifecycle) | why it is not measured ("" = it is).
# Commands are split on spaces (no path has one) and exec'd by hyperfine -N, except
# lifecycle commands, which are a shell sequence (hyperfine's shell, its spawn time
# subtracted).
NAMES=() BINS=() NS=() TRUE_CMDS=() SLEEP_CMDS=() GROUP=() NA=()
add() { NAMES+=("$1"); BINS+=("$2"); NS+=("$3"); TRUE_CMDS+=("$4"); SLEEP_CMDS+=("$5"); GROUP+=("$6"); NA+=("${7-}"); }
# idx NAME — index of the entry NAME, -1 if none.
idx() { local i; for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" != "$1" ] || { echo "$i"; return 0; }; done; echo -1; }

list_contenders() {
	write_oci_config "$T/bundle-true" /bin/true
	write_oci_config "$T/bundle-sleep" /bin/sleep 1
	mkdir -p "$T/crun-state" "$T/runc-state" "$T/nanoctr-state"
	local floor=$ROOTFS/bin/true n=${NANOCTR:-nanoctr} noci=${NOCI:-nanoctr} oci=""
	"$floor" 2>/dev/null || floor="$ROOTFS/bin/busybox true"
	add "floor: exec rootfs /bin/true" "" "" "$floor" "" main
	# The kernel's part alone: clone into the same namespaces, execve, wait (bench/nsfloor.c).
	if build_c nsfloor; then
		add "kernel floor: clone(5 namespaces)+exec+wait" "" "" "$T/nsfloor $floor" "" main
	fi
	add "unshare -pumin --fork chroot" "$(command -v unshare || echo unshare)" "" \
		"unshare -pumin --fork chroot $ROOTFS /bin/true" \
		"unshare -pumin --fork chroot $ROOTFS /bin/sleep 1" main
	add "bwrap --unshare-all" "$(command -v bwrap || echo bwrap)" "" \
		"bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/true" \
		"bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/sleep 1" main
	add "crun run" "$(command -v crun || echo crun)" crun \
		"crun --root $T/crun-state run --bundle $T/bundle-true bench-crun" \
		"crun --root $T/crun-state run --bundle $T/bundle-sleep bench-crun" main
	add "runc run" "$(command -v runc || echo runc)" "" \
		"runc --root $T/runc-state run --bundle $T/bundle-true bench-runc" \
		"runc --root $T/runc-state run --bundle $T/bundle-sleep bench-runc" main
	if [ "$PEERS_ONLY" = 0 ]; then
		local why=""
		[ "$NANOCTR_OK" = 1 ] || why="not built: $NANOCTR_WHY"
		add "nanoctr run" "$n" "" "$n run -r $ROOTFS /bin/true" "$n run -r $ROOTFS /bin/sleep 1" main "$why"
		add "nanoctr run -m 64M --pids-limit 64" "$n" "" \
			"$n run -r $ROOTFS -m 64M --pids-limit 64 /bin/true" \
			"$n run -r $ROOTFS -m 64M --pids-limit 64 /bin/sleep 1" main "$why"
		# Rootless (issue 12): nanoctr and bwrap run by nobody on the same rootfs, both
		# through setpriv (its exec is in both rows); T is made readable for them.
		local asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chmod 755 "$T"
		add "bwrap --unshare-all (rootless, nobody)" "$(command -v bwrap || echo bwrap)" "" \
			"$asuser bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/true" \
			"$asuser bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/sleep 1" main
		add "nanoctr run (rootless, nobody)" "$n" "" "$asuser $n run -r $ROOTFS /bin/true" \
			"$asuser $n run -r $ROOTFS /bin/sleep 1" main "$why"
		# Seccomp (issue 11): `run true` without a filter (the default's compile + load is
		# the difference), and 100,000 read/write calls (dd) under nanoctr's default, under
		# podman's profile (the linux.seccomp of a config.json captured from podman 4.3) with
		# nanoctr and with runc, and without a filter.
		local dd="dd if=/dev/zero of=/dev/null bs=1 count=50000" pj=$REPO/tests/data/json/podman-run.json
		add "nanoctr run, seccomp=unconfined" "$n" "" \
			"$n run -r $ROOTFS --security-opt seccomp=unconfined /bin/true" "" main "$why"
		add "nanoctr run dd (100k calls), default profile" "$n" "" "$n run -r $ROOTFS $dd" "" seccomp "$why"
		add "nanoctr run dd, seccomp=unconfined" "$n" "" \
			"$n run -r $ROOTFS --security-opt seccomp=unconfined $dd" "" seccomp "$why"
		if command -v jq >/dev/null && [ -f "$pj" ]; then
			jq .linux.seccomp "$pj" >"$T/podman-seccomp.json"
			write_oci_config "$T/bundle-dd" $dd
			jq --slurpfile p "$T/podman-seccomp.json" '.linux.seccomp = $p[0]' \
				"$T/bundle-dd/config.json" >"$T/bundle-dd/new" && mv "$T/bundle-dd/new" "$T/bundle-dd/config.json"
			add "nanoctr run dd, podman's profile" "$n" "" \
				"$n run -r $ROOTFS --security-opt seccomp=$T/podman-seccomp.json $dd" "" seccomp "$why"
			add "runc run dd, podman's profile" "$(command -v runc || echo runc)" "" \
				"runc --root $T/runc-state run --bundle $T/bundle-dd bench-runc-dd" "" seccomp
		fi
		# A/B: NANOCTR_B names a second build (e.g. a patched one) timed side by side
		if [ -n "${NANOCTR_B-}" ]; then
			local b=$T/nanoctr-b why_b=""
			cp "$(readlink -f "$NANOCTR_B")" "$b" 2>/dev/null || why_b="NANOCTR_B=$NANOCTR_B is not a file"
			add "nanoctr B run" "$b" "" "$b run -r $ROOTFS /bin/true" "$b run -r $ROOTFS /bin/sleep 1" main "$why_b"
			add "nanoctr B run -m 64M --pids-limit 64" "$b" "" \
				"$b run -r $ROOTFS -m 64M --pids-limit 64 /bin/true" \
				"$b run -r $ROOTFS -m 64M --pids-limit 64 /bin/sleep 1" main "$why_b"
		fi
	fi
	# OCI lifecycle on the same bundle: create + start + delete (what podman run --rm and
	# containerd do), and run. /bin/true has exited or is killed by delete -f.
	lc() { # lc RUNTIME-CMD ID — deletes even when start fails; exits with the first failure
		echo "$1 create --bundle $T/bundle-true $2 || exit; $1 start $2; r=\$?; $1 delete -f $2 || exit; exit \$r"
	}
	add "crun create+start+delete" "" crun "$(lc "crun --root $T/crun-state" bench-crun-lc)" "" lifecycle
	add "runc create+start+delete" "" "" "$(lc "runc --root $T/runc-state" bench-runc-lc)" "" lifecycle
	if [ "$PEERS_ONLY" = 0 ]; then
		[ -z "$NOCI_WHY" ] || oci="n/a ($NOCI_WHY)"
		add "nanoctr create+start+delete" "" "" "$(lc "$noci --root $T/nanoctr-state" bench-nanoctr-lc)" "" lifecycle "$oci"
		add "nanoctr run (OCI bundle)" "" "" \
			"$noci --root $T/nanoctr-state run --bundle $T/bundle-true bench-nanoctr" "" lifecycle "$oci"
	fi
}

# with_ns I CMD... — run CMD (argv) the way entry I needs (crun: private mount ns).
with_ns() {
	local i=$1
	shift
	if [ "${NS[$i]}" = crun ]; then unshare -m --propagation private "$BENCH/crun-ns.sh" "$@"; else "$@"; fi
}
