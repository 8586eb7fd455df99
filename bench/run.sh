#!/usr/bin/env bash
# bench/run.sh — start-up benchmark of nanoctr against its peers (issue 6).
#
# One run: installs the peers from Debian if missing, builds nanoctr, makes a busybox
# rootfs in a temp dir, times `/bin/true` under every runtime with hyperfine (no shell),
# measures each runtime's own peak RSS, runs 500 sequential containers and checks that
# nothing is left behind, then prints a markdown report on stdout (progress on stderr).
#
#   bench/run.sh               full run (exit 1 if nanoctr cannot be built or run)
#   bench/run.sh --peers-only  measure only the peers (no nanoctr needed)
#
# Environment: BENCH_RUNS (200), BENCH_WARMUP (20), BENCH_ROUNDS (8), BENCH_SCALE (500),
# NANOCTR (binary to measure instead of building <repo>/nanoctr).
# Exit status: 0 when the bench completed, whether or not targets were met; 1 when
# nanoctr could not be built/run or left something behind; 2 when the bench itself broke.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
REPO=$(dirname "$(dirname "$SELF")")

# The mount table and cgroup hierarchy for a cgroup controller list ("" = cgroup v2):
# prints the mountpoint of that hierarchy, if mounted at its root.
cgroup_mountpoint() {
	awk -v want="$1" '
	{
		for (i = 7; i <= NF && $i != "-"; i++) ;
		fs = $(i + 1); so = $(i + 3)
		if ($4 != "/") next
		if (want == "" && fs == "cgroup2") { print $5; exit }
		if (want != "" && fs == "cgroup") {
			n = split(want, w, ","); m = split(so, s, ","); ok = 1
			for (j = 1; j <= n; j++) {
				f = 0
				for (k = 1; k <= m; k++) if (s[k] == w[j]) f = 1
				if (!f) ok = 0
			}
			if (ok) { print $5; exit }
		}
	}' /proc/self/mountinfo
}

# --in-crun-ns CMD...: internal. Runs in the private mount namespace made by
# `unshare -m --propagation private`, reshapes /sys/fs/cgroup there for crun, execs CMD.
# - crun 1.8 refuses a hybrid layout, so /sys/fs/cgroup/unified is unmounted (and a
#   private tmpfs put in its place, so that what crun writes there vanishes with the
#   namespace instead of landing in the host's /sys/fs/cgroup tmpfs);
# - crun puts containers at the root of every hierarchy ("/<id>"), not beneath its
#   caller's cgroup like runc and nanoctr; bind-mounting our own cgroup over each
#   hierarchy's mountpoint makes "/<id>" land beneath our own cgroup, as for the others.
if [ "${1-}" = --in-crun-ns ]; then
	shift
	if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink "/proc/$PPID/ns/mnt")" ]; then
		echo "bench: --in-crun-ns: not in a private mount namespace, refusing to touch mounts" >&2
		exit 2
	fi
	while IFS=: read -r _ ctrls path; do
		[ "$path" != / ] || continue
		mnt=$(cgroup_mountpoint "$ctrls")
		if [ -n "$mnt" ] && [ -d "$mnt$path" ]; then mount --bind "$mnt$path" "$mnt"; fi
	done </proc/self/cgroup
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] && mountpoint -q /sys/fs/cgroup/unified; then
		umount /sys/fs/cgroup/unified
		mount -t tmpfs -o size=64k,mode=755 bench-no-unified /sys/fs/cgroup/unified
	fi
	exec "$@"
fi

PEERS_ONLY=0
case "${1-}" in
--peers-only) PEERS_ONLY=1 ;;
"") ;;
*) echo "usage: bench/run.sh [--peers-only]" >&2; exit 2 ;;
esac

RUNS=${BENCH_RUNS:-200}
WARMUP=${BENCH_WARMUP:-20}
ROUNDS=${BENCH_ROUNDS:-8}
SCALE=${BENCH_SCALE:-500}
export LC_ALL=C

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }
set -E
trap 'rc=$?; log "bench broke at line $LINENO: $BASH_COMMAND (exit $rc)"; exit 2' ERR

[ "$(id -u)" = 0 ] || die "needs root (namespaces, mounts, cgroups)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- install what we need
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v crun >/dev/null || need+=(crun)
command -v runc >/dev/null || need+=(runc)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
	log "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y "${need[@]}" >&2; then
		apt-get update >&2 || true
		if ! apt-get install -y "${need[@]}" >&2; then
			log "apt-get install failed; missing peers will be reported as failed"
		fi
	fi
fi
command -v hyperfine >/dev/null || die "hyperfine is missing and could not be installed"

# ---------------------------------------------------------------- temp dir and cleanup
T=$(mktemp -d /tmp/nanoctr-bench.XXXXXX)
ROOTFS=$T/rootfs
BG_PIDS=()
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local rc=$? p
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -d "$T/runc-state/bench-runc" ]; then
		runc --root "$T/runc-state" delete -f bench-runc >/dev/null 2>&1 || true
	fi
	if grep -qF " $T" /proc/self/mountinfo; then
		log "mounts remain under $T; NOT removing it:"
		grep -F " $T" /proc/self/mountinfo >&2
		[ "$rc" != 0 ] || rc=2
	else
		rm -rf --one-file-system "$T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- build nanoctr
NANOCTR_OK=0
NANOCTR_WHY=""
NANOCTR_SRC=""
if [ "$PEERS_ONLY" = 0 ]; then
	if [ -n "${NANOCTR-}" ]; then
		NANOCTR=$(readlink -f "$NANOCTR")
	else
		log "building nanoctr (make -C $REPO)"
		if make -C "$REPO" >"$T/make.log" 2>&1; then
			NANOCTR=$REPO/nanoctr
		else
			NANOCTR_WHY="make -C $REPO failed: $(tail -n 3 "$T/make.log" | tr '\n' ' ')"
			NANOCTR=$REPO/nanoctr
		fi
	fi
	if [ -z "$NANOCTR_WHY" ]; then
		# measure a copy: the lead may rebuild <repo>/nanoctr while the bench runs
		if [ -x "$NANOCTR" ] && cp "$NANOCTR" "$T/nanoctr"; then
			NANOCTR_SRC=$NANOCTR NANOCTR=$T/nanoctr NANOCTR_OK=1
		else
			NANOCTR_WHY="$NANOCTR is not an executable"
		fi
	fi
	[ "$NANOCTR_OK" = 1 ] || log "nanoctr unavailable: $NANOCTR_WHY"
fi

# ---------------------------------------------------------------- busybox rootfs
if [ -x "$REPO/rootfs-scripts/busybox.sh" ]; then
	log "making rootfs with rootfs-scripts/busybox.sh"
	"$REPO/rootfs-scripts/busybox.sh" "$ROOTFS" >"$T/rootfs.log" 2>&1 ||
		die "rootfs-scripts/busybox.sh failed: $(tail -n 3 "$T/rootfs.log")"
	ROOTFS_HOW="rootfs-scripts/busybox.sh"
else
	log "rootfs-scripts/busybox.sh not there; making a minimal busybox rootfs myself"
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

# ---------------------------------------------------------------- OCI bundles
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
	cat >"$bundle/config.json" <<EOF
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
EOF
}
write_oci_config "$T/bundle-true" /bin/true
write_oci_config "$T/bundle-sleep" /bin/sleep 1
mkdir -p "$T/crun-state" "$T/runc-state"

# ---------------------------------------------------------------- the contenders
# Each entry: name | runtime binary | prefix ("crun" = run inside the crun namespace) |
# command for /bin/true | command for `sleep 1` (peak RSS). Paths contain no spaces
# (mktemp under /tmp, the repo path is checked below), so hyperfine -N can split them.
case "$ROOTFS$REPO" in *[[:space:]]*) die "paths with spaces are not supported: $ROOTFS $REPO" ;; esac
CRUN_NS=(unshare -m --propagation private "$SELF" --in-crun-ns)
NAMES=() BINS=() NS=() TRUE_CMDS=() SLEEP_CMDS=()
add() { NAMES+=("$1"); BINS+=("$2"); NS+=("$3"); TRUE_CMDS+=("$4"); SLEEP_CMDS+=("$5"); }
floor_cmd=$ROOTFS/bin/true
"$floor_cmd" 2>/dev/null || floor_cmd="$ROOTFS/bin/busybox true"
add "floor: exec rootfs /bin/true" "" "" "$floor_cmd" ""
# The kernel's part alone: clone into the same namespaces, execve, wait (bench/nsfloor.c).
if { command -v musl-gcc >/dev/null && musl-gcc -O2 -static -o "$T/nsfloor" "$REPO/bench/nsfloor.c"; } ||
	cc -O2 -static -o "$T/nsfloor" "$REPO/bench/nsfloor.c"; then
	add "kernel floor: clone(5 namespaces)+exec+wait" "" "" "$T/nsfloor $floor_cmd" ""
fi
add "unshare -pumin --fork chroot" "$(command -v unshare || echo unshare)" "" \
	"unshare -pumin --fork chroot $ROOTFS /bin/true" \
	"unshare -pumin --fork chroot $ROOTFS /bin/sleep 1"
add "bwrap --unshare-all" "$(command -v bwrap || echo bwrap)" "" \
	"bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/true" \
	"bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/sleep 1"
add "crun run" "$(command -v crun || echo crun)" crun \
	"crun --root $T/crun-state run --bundle $T/bundle-true bench-crun" \
	"crun --root $T/crun-state run --bundle $T/bundle-sleep bench-crun"
add "runc run" "$(command -v runc || echo runc)" "" \
	"runc --root $T/runc-state run --bundle $T/bundle-true bench-runc" \
	"runc --root $T/runc-state run --bundle $T/bundle-sleep bench-runc"
NANO_IDX=-1 NANOLIM_IDX=-1
if [ "$NANOCTR_OK" = 1 ] || [ "$PEERS_ONLY" = 0 ]; then
	NANO_IDX=${#NAMES[@]}
	add "nanoctr run" "${NANOCTR:-nanoctr}" "" \
		"${NANOCTR:-nanoctr} run -r $ROOTFS /bin/true" \
		"${NANOCTR:-nanoctr} run -r $ROOTFS /bin/sleep 1"
	NANOLIM_IDX=${#NAMES[@]}
	add "nanoctr run -m 64M --pids-limit 64" "${NANOCTR:-nanoctr}" "" \
		"${NANOCTR:-nanoctr} run -r $ROOTFS -m 64M --pids-limit 64 /bin/true" \
		"${NANOCTR:-nanoctr} run -r $ROOTFS -m 64M --pids-limit 64 /bin/sleep 1"
fi

# with_ns I CMD... — run CMD (argv) the way entry I needs (crun: private mount ns).
with_ns() {
	local i=$1
	shift
	if [ "${NS[$i]}" = crun ]; then "${CRUN_NS[@]}" "$@"; else "$@"; fi
}

# ---------------------------------------------------------------- timing with hyperfine
declare -A MED Q1 Q3 MIN MAX FAIL
# stats FILE.json... — prints "median q1 q3 min max" in ms of hyperfine's times (linear
# interpolation between order statistics).
stats() {
	awk 'FNR == 1 { f = 0 } /"times": \[/ { f = 1; next } f && /\]/ { f = 0 } f { gsub(/[ ,]/, ""); print }' "$@" |
		sort -g | awk '
		function q(p,  pos, lo) { pos = p * (n - 1) + 1; lo = int(pos)
			return lo >= n ? a[n] : a[lo] + (pos - lo) * (a[lo + 1] - a[lo]) }
		{ a[++n] = $1 * 1000 }
		END { if (n == 0) exit 1; printf "%.3f %.3f %.3f %.3f %.3f\n", q(0.5), q(0.25), q(0.75), a[1], a[n] }'
}

# Preflight: run every command once; a failing one is reported and left out.
for i in "${!NAMES[@]}"; do
	if [ "$i" -ge "$NANO_IDX" ] && [ "$NANO_IDX" -ge 0 ] && [ "$NANOCTR_OK" = 0 ]; then
		FAIL[$i]="not built: $NANOCTR_WHY"
		continue
	fi
	read -ra argv <<<"${TRUE_CMDS[$i]}"
	with_ns "$i" timeout 30 "${argv[@]}" >"$T/pre.out" 2>&1 && rc=0 || rc=$?
	if [ "$rc" != 0 ]; then
		FAIL[$i]="exit $rc: $(head -c 300 "$T/pre.out" | tr '\n' ' ')"
		log "${NAMES[$i]} failed: ${FAIL[$i]}"
	fi
done
# The machine's load drifts (other jobs share these CPUs), so the runs are split into
# rounds that visit every command in turn, and each command's times are pooled.
per_round=$(((RUNS + ROUNDS - 1) / ROUNDS))
warm_round=$(((WARMUP + ROUNDS - 1) / ROUNDS))
for ((round = 1; round <= ROUNDS; round++)); do
	log "timing: round $round of $ROUNDS ($per_round runs per command)"
	for i in "${!NAMES[@]}"; do
		[ -z "${FAIL[$i]-}" ] || continue
		if ! with_ns "$i" hyperfine -N --warmup "$warm_round" --runs "$per_round" --style basic \
			--export-json "$T/h$i.$round.json" --command-name "${NAMES[$i]}" "${TRUE_CMDS[$i]}" \
			>"$T/h$i.log" 2>&1; then
			FAIL[$i]="hyperfine failed: $(tail -n 3 "$T/h$i.log" | tr '\n' ' ')"
			log "  ${NAMES[$i]}: ${FAIL[$i]}"
		fi
	done
done
for i in "${!NAMES[@]}"; do
	[ -z "${FAIL[$i]-}" ] || continue
	read -r "MED[$i]" "Q1[$i]" "Q3[$i]" "MIN[$i]" "MAX[$i]" < <(stats "$T/h$i".*.json) ||
		die "could not read hyperfine's results for ${NAMES[$i]}"
	log "  ${NAMES[$i]}: median ${MED[$i]} ms"
done

# ---------------------------------------------------------------- runtime peak RSS
# Method: start the runtime with container command `sleep 1`; while the runtime's own
# process (the one we started; unshare/crun are exec'd into, not forked) is alive, read its
# VmHWM from /proc/<pid>/status every ~10 ms and keep the last value (VmHWM is a
# high-water mark, so that is its peak up to just before it exits). Once the container's
# `sleep` runs, the runtime's other processes in the tree (e.g. bwrap's PID-1 helper)
# are sampled once and reported separately; the container's own process is never counted.
declare -A RSS HELPER_RSS HELPER_N
children_of() { # prints "pid comm" of every descendant of $1
	local -A parent comm
	local d line p rest pp
	for d in /proc/[0-9]*; do
		read -r line 2>/dev/null <"$d/stat" || continue
		p=${line%% *}; rest=${line##*) }; pp=${rest#* }; pp=${pp%% *}
		parent[$p]=$pp
		comm[$p]=${line#* (}; comm[$p]=${comm[$p]%) *}
	done
	local -a todo=("$1")
	while [ ${#todo[@]} -gt 0 ]; do
		local cur=${todo[0]}
		todo=("${todo[@]:1}")
		for p in "${!parent[@]}"; do
			if [ "${parent[$p]}" = "$cur" ]; then echo "$p ${comm[$p]}"; todo+=("$p"); fi
		done
	done
}
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

for i in "${!NAMES[@]}"; do
	if [ -z "${SLEEP_CMDS[$i]}" ] || [ -z "${MED[$i]-}" ]; then continue; fi
	read -ra argv <<<"${SLEEP_CMDS[$i]}"
	[ "${NS[$i]}" != crun ] || argv=("${CRUN_NS[@]}" "${argv[@]}")
	"${argv[@]}" >/dev/null 2>"$T/rss.err" & # a simple command: $! is the runtime's pid
	pid=$!
	BG_PIDS+=("$pid")
	peak=0 sampled=0 hsum=0 hn=0
	while kill -0 "$pid" 2>/dev/null; do
		v=$(hwm "$pid") # empty once it is a zombie (no mm any more)
		[ -z "$v" ] || peak=$v
		if [ "$sampled" = 0 ] && kids=$(children_of "$pid") && grep -q ' sleep$' <<<"$kids"; then
			sampled=1
			while read -r p c; do
				[ "$c" != sleep ] || continue
				v=$(hwm "$p"); [ -n "$v" ] || continue
				hsum=$((hsum + v)); hn=$((hn + 1))
			done <<<"$kids"
		fi
		sleep 0.01
	done
	wait "$pid" && rc=0 || rc=$?
	BG_PIDS=()
	if [ "$rc" != 0 ] || [ "$sampled" = 0 ]; then
		RSS[$i]="failed (exit $rc$( [ "$sampled" = 1 ] || echo ', container not seen'))"
		log "peak RSS of ${NAMES[$i]}: ${RSS[$i]}: $(head -c 200 "$T/rss.err")"
	else
		RSS[$i]=$peak HELPER_RSS[$i]=$hsum HELPER_N[$i]=$hn
	fi
done

# ---------------------------------------------------------------- binary sizes
human() { awk -v b="$1" 'BEGIN { if (b < 1048576) printf "%.1f KiB", b / 1024; else printf "%.2f MiB", b / 1048576 }'; }
size_of() { # stripped size of the runtime binary, and its shared libraries if dynamic
	local bin real s libs=0 l
	bin=$1
	real=$(readlink -f "$(command -v "$bin" || echo "$bin")") || { echo "?"; return; }
	[ -f "$real" ] || { echo "?"; return; }
	if strip -o "$T/stripped" "$real" 2>/dev/null; then s=$(stat -c %s "$T/stripped"); else s=$(stat -c %s "$real"); fi
	if readelf -l "$real" 2>/dev/null | grep -q 'program interpreter'; then
		for l in $(ldd "$real" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			libs=$((libs + $(stat -L -c %s "$l")))
		done
		echo "$(human "$s") dynamic (+$(human "$libs") libs)"
	else
		echo "$(human "$s") static"
	fi
}

# ---------------------------------------------------------------- scale + leftovers
own_cgroup_dirs() { # every hierarchy's directory of our own cgroup
	local ctrls path mnt
	while IFS=: read -r _ ctrls path; do
		mnt=$(cgroup_mountpoint "$ctrls")
		[ -n "$mnt" ] && [ -d "$mnt$path" ] && echo "$mnt$path"
	done </proc/self/cgroup
}
# Other jobs share this machine (and maybe our cgroup), so only what can be ours counts:
# mounts that name the bench's temp dir (the rootfs is in it; other new mounts are
# listed as a note), nanoctr-<pid> cgroups unless <pid> is a live process that is not
# our copy of nanoctr, processes running our copy of nanoctr or our rootfs's busybox.
snapshot() { # $1 = prefix: mounts, our fds, nanoctr cgroups, runtime/container processes
	awk '{ $1 = ""; $2 = ""; print }' "/proc/$$/mountinfo" | sort >"$1.allmnt"
	grep -F -- "$T" "$1.allmnt" >"$1.mnt" || true
	find "/proc/$$/fd" -mindepth 1 -printf '%f\n' >"$1.fd.raw" # no pipe: it would show up
	sort "$1.fd.raw" >"$1.fd"
	local p d
	while read -r d; do find "$d" -mindepth 1 -maxdepth 2 -type d -name 'nanoctr-*'; done \
		< <(own_cgroup_dirs) | sort >"$1.allcg"
	while read -r d; do
		p=${d##*/nanoctr-}
		if [ -d "/proc/$p" ] && ! [ "/proc/$p/exe" -ef "$NANOCTR" ] 2>/dev/null; then continue; fi
		echo "$d"
	done <"$1.allcg" >"$1.cg"
	for p in /proc/[0-9]*; do
		if { [ "$p/exe" -ef "$NANOCTR" ] || [ "$p/exe" -ef "$ROOTFS/bin/busybox" ]; } 2>/dev/null; then
			echo "${p#/proc/} $(tr '\0' ' ' 2>/dev/null <"$p/cmdline" || true)"
		fi
	done | sort >"$1.ps"
}
SCALE_LINE="" LEFTOVER="" SCALE_FAIL=""
if [ "$NANOCTR_OK" = 1 ] && [ -n "${MED[$NANO_IDX]-}" ]; then
	log "scale: $SCALE sequential nanoctr runs"
	snapshot "$T/before"
	: >"$T/scale.us"
	for ((n = 0; n < SCALE; n++)); do
		t0=${EPOCHREALTIME/./}
		"$NANOCTR" run -r "$ROOTFS" /bin/true >/dev/null 2>"$T/scale.err" ||
			{ SCALE_FAIL="run $n failed (exit $?): $(head -c 200 "$T/scale.err")"; break; }
		t1=${EPOCHREALTIME/./}
		echo $((t1 - t0)) >>"$T/scale.us"
	done
	sleep 0.2
	snapshot "$T/after"
	med_us() { sort -n | awk '{ a[++n] = $1 } END { printf "%.3f", (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) / 1000 }'; }
	if [ -z "$SCALE_FAIL" ]; then
		k=$((SCALE >= 100 ? 50 : SCALE / 2))
		first=$(head -n "$k" "$T/scale.us" | med_us)
		last=$(tail -n "$k" "$T/scale.us" | med_us)
		SCALE_LINE="$SCALE sequential \`nanoctr run -r ROOTFS /bin/true\`: median of the first $k $first ms, of the last $k $last ms (wall clock per run from bash \$EPOCHREALTIME, includes bash's fork+exec)"
	else
		SCALE_LINE="$SCALE sequential runs: FAILED — $SCALE_FAIL"
	fi
	for what in mnt:mounts fd:"open fds of this shell" cg:"nanoctr-* cgroups beneath our own cgroup" ps:"nanoctr or container processes"; do
		ext=${what%%:*}
		if ! cmp -s "$T/before.$ext" "$T/after.$ext"; then
			LEFTOVER+="- leftover ${what#*:}: $({ diff "$T/before.$ext" "$T/after.$ext" || true; } | grep '^[<>]' | head -n 5 | tr '\n' ';')"$'\n'
		fi
	done
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
have() { [ -n "${MED[$1]-}" ]; }
echo "# nanoctr start-up benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(nproc) CPU, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), $(awk '/^MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
echo "- load average: $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end$(
	awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { if (l > n / 2) printf " — **busy machine: other work inflates and spreads every row; rerun when idle for publishable numbers**" }')"
echo "- cgroups: $(stat -f -c %T /sys/fs/cgroup | sed 's/tmpfs/v1 or hybrid (tmpfs at \/sys\/fs\/cgroup)/;s/cgroup2fs/v2/')"
echo "- versions: $(hyperfine --version), bwrap $(bwrap --version 2>/dev/null | awk '{print $2}'), crun $(crun --version 2>/dev/null | awk 'NR==1 {print $3}'), runc $(runc --version 2>/dev/null | awk 'NR==1 {print $3}'), $(unshare --version 2>/dev/null | sed 's/.*from //')$(
	[ "$NANOCTR_OK" = 1 ] && printf ', %s (%s, tree %s)' "$("$NANOCTR" --version 2>/dev/null | head -n 1)" \
		"$NANOCTR_SRC" "$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo '?')")"
echo "- rootfs: busybox ($ROOTFS_HOW)"
echo "- reproduce: \`make bench\` (= \`bench/run.sh\`), BENCH_RUNS=$RUNS BENCH_WARMUP=$WARMUP BENCH_ROUNDS=$ROUNDS"
echo
echo "| command | median ms | IQR ms | min–max ms | × nanoctr | runtime binary (stripped) | runtime peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
for i in "${!NAMES[@]}"; do
	name=${NAMES[$i]}
	size="—"; [ -z "${BINS[$i]}" ] || size=$(size_of "${BINS[$i]}")
	if ! have "$i"; then
		echo "| $name | failed | | | | $size | |"
		continue
	fi
	x="—"
	if [ "$NANO_IDX" -ge 0 ] && have "$NANO_IDX"; then x="$(ratio "${MED[$i]}" "${MED[$NANO_IDX]}")×"; fi
	rss="—"
	if [ -n "${RSS[$i]-}" ]; then
		case ${RSS[$i]} in
		failed*) rss=${RSS[$i]} ;;
		*) rss="${RSS[$i]} KiB"
			[ "${HELPER_N[$i]}" = 0 ] || rss+=" (+${HELPER_RSS[$i]} KiB in ${HELPER_N[$i]} helper)" ;;
		esac
	fi
	printf '| %s | %.2f | %.2f–%.2f | %.2f–%.2f | %s | %s | %s |\n' "$name" "${MED[$i]}" \
		"${Q1[$i]}" "${Q3[$i]}" "${MIN[$i]}" "${MAX[$i]}" "$x" "$size" "$rss"
done
echo
for i in "${!NAMES[@]}"; do
	[ -z "${FAIL[$i]-}" ] || echo "- **${NAMES[$i]} failed**: ${FAIL[$i]}"
done
cat <<EOF
Method:
- hyperfine -N (no shell: every command is exec'd directly by hyperfine, so no entry pays a
  shell), $ROUNDS rounds that each visit every command in turn (--warmup $warm_round, --runs
  $per_round per round; times pooled, so load drifting during the run hits all rows alike);
  each command runs \`/bin/true\` of the same busybox rootfs. Spread is the interquartile
  range; ratios are medians from this one run.
- crun 1.8 refuses this hybrid cgroup layout, so crun (its timing and its RSS run) runs
  inside \`unshare -m --propagation private\`, where /sys/fs/cgroup/unified is unmounted
  (a private tmpfs is put in its place) and our own cgroup is bind-mounted over each
  hierarchy's mountpoint so crun's containers land beneath our cgroup, as runc's and
  nanoctr's do. The namespace is set up once, outside the timed commands.
- crun/runc: a generated OCI bundle (same rootfs; pid, ipc, uts, mount, network and cgroup
  namespaces; proc, dev, devpts, shm, mqueue, sys mounts; docker's 14 capabilities,
  masked and read-only paths, no_new_privs; no seccomp profile, no terminal), \`crun|runc
  run\` in the foreground with a fixed container id (runs are sequential and \`run\` deletes
  the container on exit), state under the temp dir (--root).
- unshare and bwrap do less than the OCI runtimes and nanoctr (no cgroup, no masking, no
  capability drop), so they are a lower bound on "comparable isolation".
- binary size: \`strip -o\` of readlink -f of the runtime binary; dynamic binaries also
  show the total size of the shared libraries ldd lists.
- peak RSS: the runtime is started with \`sleep 1\` as the container command and its own
  process's VmHWM (/proc/PID/status) is read every ~10 ms until it exits; the last value is
  reported. Runtime helper processes still alive while the container runs (e.g. bwrap's
  PID-1) are added in parentheses; the container's process is never counted. unshare and
  crun are exec'd into by their wrappers, so the PID read is the runtime itself.
EOF
echo

# ---------------------------------------------------------------- targets (issue 6)
STATUS=0
[ "$NANOCTR_OK" = 1 ] || [ "$PEERS_ONLY" = 1 ] || STATUS=1
if [ "$NANO_IDX" -ge 0 ]; then
	echo "Scale: ${SCALE_LINE:-not run (nanoctr unavailable)}"
	if [ -n "$SCALE_LINE" ] && [ -z "$SCALE_FAIL" ]; then
		if [ -z "$LEFTOVER" ]; then
			echo "Leftovers after the scale run: none (mounts naming the temp dir, nanoctr-* cgroups, processes, fds): PASS"
			if ! cmp -s "$T/before.allmnt" "$T/after.allmnt"; then
				echo "(note: mounts outside the bench's temp dir changed meanwhile, not counted — other jobs on this machine: $({ diff "$T/before.allmnt" "$T/after.allmnt" || true; } | grep -c '^[<>]') lines)"
			fi
		else
			echo "Leftovers after the scale run: FAIL"
			printf '%s' "$LEFTOVER"
			STATUS=1
		fi
	else
		[ -z "$SCALE_FAIL" ] || STATUS=1
	fi
	echo
	echo "Targets (issue 6):"
	target() { # description, value, op, limit
		local verdict=MISS
		if [ -z "$2" ]; then verdict="N/A"; elif awk -v v="$2" -v l="$4" "BEGIN { exit !(v $3 l) }"; then verdict=PASS; fi
		printf -- '- %s: %s %s\n' "$1" "${2:-?}" "$verdict"
	}
	n=${MED[$NANO_IDX]-}
	r() { have "$1" && [ -n "$n" ] && ratio "$n" "${MED[$1]}"; }
	idx() { local i; for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" != "$1" ] || { echo "$i"; return 0; }; done; echo -1; }
	target "nanoctr ≤ 0.5× bwrap" "$(r "$(idx "bwrap --unshare-all")" || true)" "<=" 0.5
	target "nanoctr ≤ 0.3× crun" "$(r "$(idx "crun run")" || true)" "<=" 0.3
	target "nanoctr ≤ 0.1× runc" "$(r "$(idx "runc run")" || true)" "<=" 0.1
	target "nanoctr ≤ 2.5× floor" "$(r 0 || true)" "<=" 2.5
	k=$(idx "kernel floor: clone(5 namespaces)+exec+wait")
	if have "$k"; then
		printf -- '- (context) the kernel floor alone is %s× the exec floor; nanoctr adds %s ms over it\n' \
			"$(ratio "${MED[$k]}" "${MED[0]}")" \
			"$(awk -v a="$n" -v b="${MED[$k]}" 'BEGIN { printf "%.2f", a - b }')"
	fi
	lim=""
	if [ -n "$n" ] && have "$NANOLIM_IDX"; then lim=$(awk -v a="${MED[$NANOLIM_IDX]}" -v b="$n" 'BEGIN { printf "%.3f", a - b }'); fi
	target "-m 64M --pids-limit 64 adds ≤ 0.5 ms (ms added)" "$lim" "<=" 0.5
	for i in "$NANO_IDX" "$NANOLIM_IDX"; do
		v=""
		case ${RSS[$i]-} in ''|failed*) ;; *) v=$((${RSS[$i]} + ${HELPER_RSS[$i]})) ;; esac
		target "runtime peak RSS ≤ 256 KiB, ${NAMES[$i]} (KiB)" "$v" "<=" 256
	done
fi
log "done in ${SECONDS}s"
exit "$STATUS"
