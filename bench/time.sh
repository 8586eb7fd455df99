# bench/time.sh — the timings: hyperfine over every contender in interleaved rounds, and
# the host-mount scale rows (issue 14). Sourced by bench/run.sh after peers.sh.
# shellcheck shell=bash

declare -A MED Q1 Q3 MIN MAX FAIL MMED MQ1 MQ3 MFAIL
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

# hyperfine_cmd I WARMUP RUNS JSON — the hyperfine argv for entry I (no shell, except
# for the lifecycle sequences).
hyperfine_cmd() {
	local shell=(-N)
	[ "${GROUP[$1]}" != lifecycle ] || shell=(--shell=sh)
	HF=(hyperfine "${shell[@]}" --warmup "$2" --runs "$3" --style basic --export-json "$4"
		--command-name "${NAMES[$1]}" "${TRUE_CMDS[$1]}")
}

# preflight — runs every command once; a failing one is reported and left out.
preflight() {
	local i argv rc
	for i in "${!NAMES[@]}"; do
		if [ -n "${NA[$i]}" ]; then FAIL[$i]=${NA[$i]}; continue; fi
		if [ "${GROUP[$i]}" = lifecycle ]; then argv=(sh -c "${TRUE_CMDS[$i]}"); else read -ra argv <<<"${TRUE_CMDS[$i]}"; fi
		with_ns "$i" timeout 30 "${argv[@]}" >"$T/pre.out" 2>&1 && rc=0 || rc=$?
		if [ "$rc" != 0 ]; then
			FAIL[$i]="exit $rc: $(head -c 300 "$T/pre.out" | tr '\n' ' ')"
			log "${NAMES[$i]} failed: ${FAIL[$i]}"
		fi
	done
}

# time_all — the machine's load drifts (other jobs share these CPUs), so the runs are
# split into ROUNDS rounds that visit every command in turn; each command's times are
# pooled. Sets MED/Q1/Q3/MIN/MAX[i] (ms), or FAIL[i].
time_all() {
	local round i
	per_round=$(((RUNS + ROUNDS - 1) / ROUNDS))
	warm_round=$(((WARMUP + ROUNDS - 1) / ROUNDS))
	for ((round = 1; round <= ROUNDS; round++)); do
		log "timing: round $round of $ROUNDS ($per_round runs per command)"
		for i in "${!NAMES[@]}"; do
			[ -z "${FAIL[$i]-}" ] || continue
			hyperfine_cmd "$i" "$warm_round" "$per_round" "$T/h$i.$round.json"
			if ! with_ns "$i" "${HF[@]}" >"$T/h$i.log" 2>&1; then
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
}

# time_mounts — the host-mount scale rows: each of MOUNT_IDX runs inside a private mount
# namespace (bench/hostmounts) holding the host's mounts as they are ("base") and with
# MOUNTS extra tmpfs mounts, both in every round, side by side (which goes first
# alternates between rounds). The extra mounts exist only in that namespace. Sets
# MMED/MQ1/MQ3[i,0] and [i,MOUNTS].
MOUNT_IDX=()
time_mounts() {
	local name i round n prefix per warm order
	[ "$MOUNTS" -gt 0 ] || return 0
	for name in "kernel floor: clone(5 namespaces)+exec+wait" "nanoctr run" "nanoctr B run" "bwrap --unshare-all" "crun run" "runc run"; do
		i=$(idx "$name")
		[ "$i" -ge 0 ] && [ -z "${FAIL[$i]-}" ] && MOUNT_IDX+=("$i")
	done
	[ "${#MOUNT_IDX[@]}" -gt 0 ] || return 0
	build_c hostmounts || { log "cannot build bench/hostmounts.c: no mount-scale rows"; MOUNT_IDX=(); return 0; }
	mkdir -p "$T/hm"
	per=$(((MOUNT_RUNS + ROUNDS - 1) / ROUNDS))
	warm=$(((WARMUP + ROUNDS - 1) / ROUNDS))
	for ((round = 1; round <= ROUNDS; round++)); do
		log "mount scale: round $round of $ROUNDS ($per runs per command, base and +$MOUNTS mounts)"
		order=(0 "$MOUNTS")
		[ $((round % 2)) = 1 ] || order=("$MOUNTS" 0)
		for i in "${MOUNT_IDX[@]}"; do
			for n in "${order[@]}"; do
				[ -z "${MFAIL[$i]-}" ] || continue
				prefix=("$T/hostmounts" "$n" "$T/hm")
				[ "${NS[$i]}" != crun ] || prefix+=("$BENCH/crun-ns.sh")
				hyperfine_cmd "$i" "$warm" "$per" "$T/m$i.$n.$round.json"
				if ! "${prefix[@]}" "${HF[@]}" >"$T/m$i.log" 2>&1; then
					MFAIL[$i]="hyperfine failed at $n extra mounts: $(tail -n 3 "$T/m$i.log" | tr '\n' ' ')"
					log "  ${NAMES[$i]}: ${MFAIL[$i]}"
				fi
			done
		done
	done
	for i in "${MOUNT_IDX[@]}"; do
		[ -z "${MFAIL[$i]-}" ] || continue
		for n in 0 "$MOUNTS"; do
			read -r "MMED[$i,$n]" "MQ1[$i,$n]" "MQ3[$i,$n]" _ _ < <(stats "$T/m$i.$n".*.json) ||
				die "could not read hyperfine's results for ${NAMES[$i]} at $n mounts"
		done
		log "  ${NAMES[$i]}: ${MMED[$i,0]} ms base, ${MMED[$i,$MOUNTS]} ms at +$MOUNTS mounts"
	done
}
