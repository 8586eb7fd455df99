# bench/lib.sh — what every part of the bench shares: settings, messages, the temp dir
# and its cleanup, the cgroup mountpoint lookup. Sourced by bench/run.sh (and
# bench/crun-ns.sh, which needs only cgroup_mountpoint).
# shellcheck shell=bash

RUNS=${BENCH_RUNS:-200}
WARMUP=${BENCH_WARMUP:-20}
ROUNDS=${BENCH_ROUNDS:-8}
SCALE=${BENCH_SCALE:-1000}
MOUNTS=${BENCH_MOUNTS:-1000}
MOUNT_RUNS=${BENCH_MOUNT_RUNS:-$(((RUNS + 1) / 2))}
export LC_ALL=C

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

# cgroup_mountpoint CONTROLLERS — the mountpoint of the hierarchy for a cgroup controller
# list as /proc/self/cgroup names it ("" = cgroup v2), if mounted at its root.
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

# make_tempdir — sets T (the bench's temp dir) and installs the cleanup: background
# processes killed, containers an interrupted run left behind deleted, T removed unless a mount remains in
# it (then it is listed and kept, and the exit status becomes 2).
BG_PIDS=()
make_tempdir() {
	T=$(mktemp -d /tmp/nanoctr-bench.XXXXXX)
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local rc=$? p id
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	# a container an interrupted run left created (crun's in its cgroup view, see crun-ns.sh)
	for id in bench-runc bench-runc-lc; do
		if [ -d "$T/runc-state/$id" ]; then
			runc --root "$T/runc-state" delete -f "$id" >/dev/null 2>&1 || true
		fi
	done
	for id in bench-crun bench-crun-lc; do
		if [ -d "$T/crun-state/$id" ]; then
			unshare -m --propagation private "$BENCH/crun-ns.sh" \
				crun --root "$T/crun-state" delete -f "$id" >/dev/null 2>&1 || true
		fi
	done
	for id in bench-nanoctr bench-nanoctr-lc; do
		if [ -d "$T/nanoctr-state/$id" ] && [ -x "${NOCI-}" ]; then
			"$NOCI" --root "$T/nanoctr-state" delete -f "$id" >/dev/null 2>&1 || true
		fi
	done
	if grep -qF " $T" /proc/self/mountinfo; then
		log "mounts remain under $T; NOT removing it:"
		grep -F " $T" /proc/self/mountinfo >&2
		[ "$rc" != 0 ] || rc=2
	else
		rm -rf --one-file-system "$T"
	fi
	exit "$rc"
}

# build_c NAME — compiles bench/NAME.c to $T/NAME (static musl, else cc; these helpers
# are not nanoctr). Returns non-zero if neither compiler manages.
build_c() {
	{ command -v musl-gcc >/dev/null && musl-gcc -O2 -static -o "$T/$1" "$BENCH/$1.c" 2>>"$T/cc.log"; } ||
		cc -O2 -static -o "$T/$1" "$BENCH/$1.c" 2>>"$T/cc.log" ||
		cc -O2 -o "$T/$1" "$BENCH/$1.c" 2>>"$T/cc.log"
}
