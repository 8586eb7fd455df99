# bench/rss.sh — each runtime's own peak RSS, with bench/rss.c. Sourced by bench/run.sh.
# shellcheck shell=bash

# measure_rss — for every timed entry with a `sleep 1` command: sets RSS[i] (KiB, or
# "failed (...)"), HELPER_RSS[i] and HELPER_N[i] (its other processes while the
# container runs; the container itself is never counted).
declare -A RSS HELPER_RSS HELPER_N
measure_rss() {
	local i argv peak hsum hn seen rc
	if ! build_c rss; then log "cannot build bench/rss.c: no RSS column"; return 0; fi
	for i in "${!NAMES[@]}"; do
		if [ -z "${SLEEP_CMDS[$i]}" ] || [ -z "${MED[$i]-}" ]; then continue; fi
		read -ra argv <<<"${SLEEP_CMDS[$i]}"
		[ "${NS[$i]}" != crun ] || argv=(unshare -m --propagation private "$BENCH/crun-ns.sh" "${argv[@]}")
		: >"$T/rss.out"
		"$T/rss" -w sleep -o "$T/rss.out" "${argv[@]}" >/dev/null 2>"$T/rss.err" && rc=0 || rc=$?
		read -r peak hsum hn seen _ <"$T/rss.out" || peak=""
		if [ "$rc" != 0 ] || [ "${seen-0}" != 1 ] || [ "${peak:--1}" -lt 0 ]; then
			RSS[$i]="failed (exit $rc$([ "${seen-0}" = 1 ] || echo ', container not seen'))"
			log "peak RSS of ${NAMES[$i]}: ${RSS[$i]}: $(head -c 200 "$T/rss.err")"
		else
			RSS[$i]=$peak HELPER_RSS[$i]=$hsum HELPER_N[$i]=$hn
		fi
	done
}
