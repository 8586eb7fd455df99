#!/usr/bin/env bash
# bench/run.sh — start-up benchmark of nanoctr against its peers (issues 6 and 14); what
# `make bench` runs. One run: installs the peers, builds nanoctr, makes a busybox rootfs
# in a temp dir, times `/bin/true` under every runtime with hyperfine (no shell), times
# them again with BENCH_MOUNTS extra host mounts, measures each runtime's own peak RSS,
# runs BENCH_SCALE sequential containers and checks that nothing is left behind, then
# prints a markdown report on stdout (progress on stderr).
#
#   bench/run.sh               full run (exit 1 if nanoctr cannot be built or run)
#   bench/run.sh --peers-only  measure only the peers (no nanoctr needed)
#
# The jobs live beside it: lib.sh (settings, temp dir, cleanup), peers.sh (installing
# the peers, rootfs, OCI bundles, the list of commands), crun-ns.sh (crun's cgroup view),
# time.sh (hyperfine rounds, host-mount scale), hostmounts.c, rss.sh + rss.c (peak RSS),
# scale.sh (sequential containers, leftovers), report.sh (the report and the targets),
# nsfloor.c (the kernel floor).
#
# Environment: BENCH_RUNS (200), BENCH_WARMUP (20), BENCH_ROUNDS (8), BENCH_SCALE (1000),
# BENCH_MOUNTS (1000; 0 = no mount-scale rows), BENCH_MOUNT_RUNS (BENCH_RUNS/2),
# NANOCTR (binary to measure instead of building <repo>/nanoctr), NANOCTR_OCI (a binary
# with the OCI commands for the lifecycle rows; default: `make OCI=1` of the tree, built
# into the temp dir), NANOCTR_B (a second
# build, e.g. a patched one, timed side by side as "nanoctr B" rows: an A/B in one run).
# Exit status: 0 when the bench completed, whether or not targets were met; 1 when
# nanoctr could not be built/run or left something behind; 2 when the bench itself broke.
set -euo pipefail

BENCH=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
REPO=$(dirname "$BENCH")
for f in lib peers time rss scale report; do
	# shellcheck source=/dev/null
	. "$BENCH/$f.sh"
done

PEERS_ONLY=0
case "${1-}" in
--peers-only) PEERS_ONLY=1 ;;
"") ;;
*) echo "usage: bench/run.sh [--peers-only]" >&2; exit 2 ;;
esac

set -E
trap 'rc=$?; log "bench broke at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND (exit $rc)"; exit 2' ERR
[ "$(id -u)" = 0 ] || die "needs root (namespaces, mounts, cgroups)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

install_peers
make_tempdir
build_nanoctr
build_nanoctr_oci
make_rootfs
list_contenders
preflight
time_all
time_mounts
measure_rss
scale_run
report && STATUS=0 || STATUS=$?
log "done in ${SECONDS}s"
exit "$STATUS"
