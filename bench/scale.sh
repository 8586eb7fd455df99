# bench/scale.sh — SCALE sequential nanoctr containers: does the start time stay flat,
# and is anything left behind? Sourced by bench/run.sh.
# shellcheck shell=bash

own_cgroup_dirs() { # every hierarchy's directory of our own cgroup
	local ctrls path mnt
	while IFS=: read -r _ ctrls path; do
		mnt=$(cgroup_mountpoint "$ctrls")
		[ -n "$mnt" ] && [ -d "$mnt$path" ] && echo "$mnt$path"
	done </proc/self/cgroup
}
# snapshot PREFIX — writes PREFIX.{allmnt,mnt,fd,allcg,cg,ps}. Other jobs share this
# machine (and maybe our cgroup), so only what can be ours counts: mounts that name the
# bench's temp dir (the rootfs is in it; other new mounts are listed as a note),
# nanoctr-<pid> cgroups unless <pid> is a live process that is not our copy of nanoctr,
# processes running our copy of nanoctr or our rootfs's busybox.
snapshot() {
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
# tenths — the median (ms) of each tenth of the runs in order, to tell drift from noise
tenths() {
	awk '{ a[++n] = $1 } END {
		for (t = 0; t < 10; t++) {
			lo = int(n * t / 10) + 1; hi = int(n * (t + 1) / 10); m = 0
			for (i = lo; i <= hi; i++) b[++m] = a[i]
			for (i = 2; i <= m; i++) { v = b[i]; for (j = i - 1; j >= 1 && b[j] > v; j--) b[j + 1] = b[j]; b[j + 1] = v }
			if (m) printf "%s%.2f", (t ? " " : ""), (m % 2 ? b[(m + 1) / 2] : (b[m / 2] + b[m / 2 + 1]) / 2) / 1000
			delete b
		}
	}'
}
med_us() { sort -n | awk '{ a[++n] = $1 } END { printf "%.3f", (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) / 1000 }'; }

# scale_run — sets SCALE_K (runs per median), SCALE_LINE, SCALE_FIRST, SCALE_LAST (ms), SCALE_FAIL, LEFTOVER.
SCALE_K=0 SCALE_LINE="" SCALE_FIRST="" SCALE_LAST="" LEFTOVER="" SCALE_FAIL=""
scale_run() {
	local n t0 t1 k what ext i
	i=$(idx "nanoctr run")
	[ "$NANOCTR_OK" = 1 ] && [ "$i" -ge 0 ] && [ -n "${MED[$i]-}" ] || return 0
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
	if [ -z "$SCALE_FAIL" ]; then
		k=$((SCALE >= 100 ? 50 : SCALE / 2)) SCALE_K=$k
		SCALE_FIRST=$(head -n "$k" "$T/scale.us" | med_us)
		SCALE_LAST=$(tail -n "$k" "$T/scale.us" | med_us)
		SCALE_LINE="$SCALE sequential \`nanoctr run -r ROOTFS /bin/true\`: median of the first $k $SCALE_FIRST ms, of the last $k $SCALE_LAST ms; by tenths: $(tenths <"$T/scale.us") ms (wall clock per run from bash \$EPOCHREALTIME, includes bash's fork+exec; the load moves these, see the load average above)"
	else
		SCALE_LINE="$SCALE sequential runs: FAILED — $SCALE_FAIL"
	fi
	for what in mnt:mounts fd:"open fds of this shell" cg:"nanoctr-* cgroups beneath our own cgroup" ps:"nanoctr or container processes"; do
		ext=${what%%:*}
		if ! cmp -s "$T/before.$ext" "$T/after.$ext"; then
			LEFTOVER+="- leftover ${what#*:}: $({ diff "$T/before.$ext" "$T/after.$ext" || true; } | grep '^[<>]' | head -n 5 | tr '\n' ';')"$'\n'
		fi
	done
}
