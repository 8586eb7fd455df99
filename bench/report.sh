# bench/report.sh — the markdown report on stdout: the header, one table of every
# contender (the README's table), the host-mount scale table, the method, the scale run
# and the targets of issue 14. Sourced by bench/run.sh; `report` returns the bench's exit
# status (1 when nanoctr could not be built/run or left something behind).
# shellcheck shell=bash

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
have() { [ "$1" -ge 0 ] && [ -n "${MED[$1]-}" ]; }
human() { awk -v b="$1" 'BEGIN { if (b < 1048576) printf "%.1f KiB", b / 1024; else printf "%.2f MiB", b / 1048576 }'; }
stripped_bytes() { # stripped size of a file in bytes
	if strip -o "$T/stripped" "$1" 2>/dev/null; then stat -c %s "$T/stripped"; else stat -c %s "$1"; fi
}
size_of() { # stripped size of the runtime binary, and its shared libraries if dynamic
	local real s libs=0 l
	real=$(readlink -f "$(command -v "$1" || echo "$1")") || { echo "?"; return; }
	[ -f "$real" ] || { echo "?"; return; }
	s=$(stripped_bytes "$real")
	if readelf -l "$real" 2>/dev/null | grep -q 'program interpreter'; then
		for l in $(ldd "$real" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
			libs=$((libs + $(stat -L -c %s "$l")))
		done
		echo "$(human "$s") dynamic (+$(human "$libs") libs)"
	else
		echo "$(human "$s") static"
	fi
}

report_header() {
	echo "# nanoctr start-up benchmark"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: $(nproc) CPU, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r), $(awk '/^MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo), $(wc -l </proc/self/mountinfo) mounts"
	echo "- load average: $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end$(
		awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { if (l > n / 2) printf " — **busy machine: other work inflates and spreads every row; rerun when idle for publishable numbers**" }')"
	echo "- cgroups: $(stat -f -c %T /sys/fs/cgroup | sed 's/tmpfs/v1 or hybrid (tmpfs at \/sys\/fs\/cgroup)/;s/cgroup2fs/v2/')"
	echo "- versions: $(hyperfine --version), bwrap $(bwrap --version 2>/dev/null | awk '{print $2}'), crun $(crun --version 2>/dev/null | awk 'NR==1 {print $3}'), runc $(runc --version 2>/dev/null | awk 'NR==1 {print $3}'), $(unshare --version 2>/dev/null | sed 's/.*from //')$(
		[ "$NANOCTR_OK" = 1 ] && printf ', %s (%s, tree %s)' "$("$NANOCTR" --version 2>/dev/null | head -n 1)" \
			"$NANOCTR_SRC" "$(git -C "$REPO" describe --always --dirty 2>/dev/null || echo '?')")"
	[ -z "${NOCI_HOW-}" ] || [ -n "${NOCI_WHY-}" ] ||
		echo "- nanoctr OCI rows: $("$NOCI" --version 2>/dev/null | head -n 1) with the OCI commands ($NOCI_HOW, $(size_of "$NOCI"))"
	echo "- rootfs: busybox ($ROOTFS_HOW)"
	echo "- reproduce: \`make bench\` (= \`bench/run.sh\`), BENCH_RUNS=$RUNS BENCH_WARMUP=$WARMUP BENCH_ROUNDS=$ROUNDS BENCH_MOUNTS=$MOUNTS BENCH_MOUNT_RUNS=$MOUNT_RUNS BENCH_SCALE=$SCALE"
	echo
}

report_table() {
	local i name size x rss n
	n=$(idx "nanoctr run")
	echo "| command | median ms | IQR ms | min–max ms | × nanoctr | runtime binary (stripped) | runtime peak RSS |"
	echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
	for i in "${!NAMES[@]}"; do
		name=${NAMES[$i]}
		size="—"; [ -z "${BINS[$i]}" ] || size=$(size_of "${BINS[$i]}")
		if [ -n "${NA[$i]}" ]; then
			echo "| $name | ${NA[$i]} | | | | $size | |"
			continue
		elif ! have "$i"; then
			echo "| $name | failed | | | | $size | |"
			continue
		fi
		x="—"
		# the lifecycle rows compare with nanoctr's lifecycle row of the same kind
		case $name in
		*" dd"*) have "$(idx "nanoctr run dd (100k calls), default profile")" && x="$(ratio "${MED[$i]}" "${MED[$(idx "nanoctr run dd (100k calls), default profile")]}")× dd" ;;
		*create+start+delete) have "$(idx "nanoctr create+start+delete")" && x="$(ratio "${MED[$i]}" "${MED[$(idx "nanoctr create+start+delete")]}")×" ;;
		*) have "$n" && x="$(ratio "${MED[$i]}" "${MED[$n]}")×" ;;
		esac
		rss="—"
		if [ -n "${RSS[$i]-}" ]; then
			case ${RSS[$i]} in
			failed*) rss=${RSS[$i]} ;;
			*) rss="${RSS[$i]} KiB"
				[ "${HELPER_N[$i]}" = 0 ] || rss+=" (+${HELPER_RSS[$i]} KiB in ${HELPER_N[$i]} helper$([ "${HELPER_N[$i]}" = 1 ] || echo s))" ;;
			esac
		fi
		printf '| %s | %.2f | %.2f–%.2f | %.2f–%.2f | %s | %s | %s |\n' "$name" "${MED[$i]}" \
			"${Q1[$i]}" "${Q3[$i]}" "${MIN[$i]}" "${MAX[$i]}" "$x" "$size" "$rss"
	done
	echo
	for i in "${!NAMES[@]}"; do
		[ -n "${NA[$i]}" ] || [ -z "${FAIL[$i]-}" ] || echo "- **${NAMES[$i]} failed**: ${FAIL[$i]}"
	done
}

report_mounts() {
	local i
	[ "${#MOUNT_IDX[@]}" -gt 0 ] || { echo "Host-mount scale: not measured (BENCH_MOUNTS=$MOUNTS)."; echo; return 0; }
	echo "Host-mount scale ($(wc -l </proc/self/mountinfo) host mounts as base, +$MOUNTS tmpfs mounts, both in a private mount namespace, side by side in every round):"
	echo
	echo "| command | base median ms (IQR) | +$MOUNTS mounts median ms (IQR) | × own base |"
	echo "| --- | ---: | ---: | ---: |"
	for i in "${MOUNT_IDX[@]}"; do
		if [ -n "${MFAIL[$i]-}" ]; then echo "| ${NAMES[$i]} | failed | | |"; continue; fi
		printf '| %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %s× |\n' "${NAMES[$i]}" \
			"${MMED[$i,0]}" "${MQ1[$i,0]}" "${MQ3[$i,0]}" \
			"${MMED[$i,$MOUNTS]}" "${MQ1[$i,$MOUNTS]}" "${MQ3[$i,$MOUNTS]}" \
			"$(ratio "${MMED[$i,$MOUNTS]}" "${MMED[$i,0]}")"
	done
	echo
	for i in "${MOUNT_IDX[@]}"; do
		[ -z "${MFAIL[$i]-}" ] || echo "- **${NAMES[$i]} failed**: ${MFAIL[$i]}"
	done
}

report_method() {
	cat <<EOF
Method:
- hyperfine -N (no shell: every command is exec'd directly by hyperfine, so no entry pays a
  shell), $ROUNDS rounds that each visit every command in turn (--warmup $warm_round, --runs
  $per_round per round; times pooled, so load drifting during the run hits all rows alike);
  each command runs \`/bin/true\` of the same busybox rootfs. Spread is the interquartile
  range; ratios are medians from this one run.
- crun 1.8 refuses this hybrid cgroup layout, so crun (its timing and its RSS run) runs
  inside \`unshare -m --propagation private\`, where bench/crun-ns.sh unmounts
  /sys/fs/cgroup/unified (a private tmpfs is put in its place) and bind-mounts our own
  cgroup over each hierarchy's mountpoint so crun's containers land beneath our cgroup, as
  runc's and nanoctr's do. The namespace is set up once, outside the timed commands.
- crun/runc: a generated OCI bundle (same rootfs; pid, ipc, uts, mount, network and cgroup
  namespaces; proc, dev, devpts, shm, mqueue, sys mounts; docker's 14 capabilities,
  masked and read-only paths, no_new_privs; no seccomp profile, no terminal), \`crun|runc
  run\` in the foreground with a fixed container id (runs are sequential and \`run\` deletes
  the container on exit), state under the temp dir (--root).
- OCI lifecycle rows: \`create --bundle B ID\`, \`start ID\`, \`delete -f ID\` (delete even
  if start failed) on the same bundle, the way podman run --rm and containerd drive a
  runtime; a shell sequence, so hyperfine runs it through sh and subtracts its measured
  shell spawn time. nanoctr's rows use a build with the OCI commands (\`make OCI=1\` of
  the same tree, into the temp dir, unless NANOCTR_OCI names one), spelled runc's way
  (\`nanoctr --root DIR create --bundle B ID\`, \`nanoctr --root DIR run --bundle B ID\`).
- unshare and bwrap do less than the OCI runtimes and nanoctr (no cgroup, no masking, no
  capability drop), so they are a lower bound on "comparable isolation".
- host-mount scale: bench/hostmounts.c enters a new mount namespace, makes everything in
  it private (as \`unshare -m --propagation private\`), mounts N tmpfs (size=4k) under the
  temp dir and execs hyperfine there; base is N = 0 in the same kind of namespace. The
  mounts vanish with the namespace.
- binary size: \`strip -o\` of readlink -f of the runtime binary; dynamic binaries also
  show the total size of the shared libraries ldd lists.
- peak RSS: bench/rss.c runs the runtime with \`sleep 1\` as the container command, traced
  (ptrace, that one thread only), and reads the VmHWM of the runtime's own process when
  it stops at PTRACE_EVENT_EXIT, before its memory is freed: its exact peak. Runtime
  processes other than the container that are alive while the container runs (e.g.
  bwrap's PID-1 helper) are read once and added in parentheses; the container's process
  is never counted. unshare, crun-ns.sh and hostmounts exec into the runtime, so the
  process read is the runtime itself.
EOF
	[ -z "${NANOCTR_B-}" ] || printf '%s\n' "- \"nanoctr B\" rows: NANOCTR_B=$NANOCTR_B, a second build measured the same way in" \
		"  the same rounds (an A/B in one run); the targets use \"nanoctr run\"."
	echo
}

# target DESCRIPTION VALUE OP LIMIT — one target line: PASS, MISS, or N/A without value.
target() {
	local verdict=MISS
	if [ -z "$2" ] || [ "${2#n/a}" != "$2" ]; then verdict="N/A"
	elif awk -v v="$2" -v l="$4" "BEGIN { exit !(v $3 l) }"; then verdict=PASS; fi
	printf -- '- %s: %s %s\n' "$1" "${2:-?}" "$verdict"
}

report_targets() {
	local n nl k i v lim lc r lc_na a b
	n=$(idx "nanoctr run") nl=$(idx "nanoctr run -m 64M --pids-limit 64") k=$(idx "kernel floor: clone(5 namespaces)+exec+wait")
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
	a=$(idx "nanoctr run, seccomp=unconfined")
	if have "$n" && have "$a"; then
		echo "Seccomp (issue 11; no target): docker's default profile adds $(awk -v x="${MED[$n]}" -v y="${MED[$a]}" 'BEGIN { printf "%.2f", x - y }') ms to \`nanoctr run\` (its compile and load, and every later call through it)"
	fi
	# per call: a dd row's median minus its runtime's own /bin/true run, over dd's 100k calls
	percall() { local d t; d=$(idx "$1") t=$(idx "$2"); have "$d" && have "$t" && awk -v a="${MED[$d]}" -v b="${MED[$t]}" 'BEGIN { printf "%.3f", (a - b) / 100 }'; }
	a=$(percall "nanoctr run dd (100k calls), default profile" "nanoctr run" || true)
	b=$(percall "nanoctr run dd, podman's profile" "nanoctr run" || true)
	c=$(percall "runc run dd, podman's profile" "runc run" || true)
	d=$(percall "nanoctr run dd, seccomp=unconfined" "nanoctr run, seccomp=unconfined" || true)
	[ -z "$a$b$c$d" ] || echo "Seccomp, dd's read/write calls (µs a call, dd's own work included): nanoctr default ${a:-?}, nanoctr podman's ${b:-?}, runc podman's ${c:-?}, nanoctr unconfined ${d:-?}"
	a=$(idx "nanoctr run (rootless, nobody)") b=$(idx "bwrap --unshare-all (rootless, nobody)")
	if have "$a" && have "$b"; then
		echo "Rootless (issue 12; no target): nanoctr run $(ratio "${MED[$a]}" "${MED[$b]}")× bwrap --unshare-all, both run by nobody on the same rootfs"
	fi
	echo
	echo "Targets (issue 14; ratios of medians from this one run):"
	# vs NAME — nanoctr's median over NAME's, or nothing
	vs() { local j; j=$(idx "$1"); have "$n" && have "$j" && ratio "${MED[$n]}" "${MED[$j]}"; }
	target "nanoctr run ≤ 1.4× the kernel floor" "$(vs "kernel floor: clone(5 namespaces)+exec+wait" || true)" "<=" 1.4
	target "nanoctr run ≤ 0.4× bwrap" "$(vs "bwrap --unshare-all" || true)" "<=" 0.4
	target "nanoctr run ≤ 0.3× crun" "$(vs "crun run" || true)" "<=" 0.3
	target "nanoctr run ≤ 0.1× runc" "$(vs "runc run" || true)" "<=" 0.1
	if have "$n" && have "$k"; then
		printf -- '- (context) nanoctr adds %s ms over the kernel floor; the floor is %s× the exec floor\n' \
			"$(awk -v a="${MED[$n]}" -v b="${MED[$k]}" 'BEGIN { printf "%.2f", a - b }')" "$(ratio "${MED[$k]}" "${MED[0]}")"
	fi
	lim=""
	if have "$n" && have "$nl"; then lim=$(awk -v a="${MED[$nl]}" -v b="${MED[$n]}" 'BEGIN { printf "%.3f", a - b }'); fi
	target "-m 64M --pids-limit 64 adds ≤ 0.3 ms (ms added)" "$lim" "<=" 0.3
	v=""
	if [ -n "${MMED[$n,0]-}" ] && [ -n "${MMED[$n,$MOUNTS]-}" ]; then v=$(ratio "${MMED[$n,$MOUNTS]}" "${MMED[$n,0]}"); fi
	target "at +$MOUNTS host mounts, nanoctr run ≤ 1.5× its own base time" "$v" "<=" 1.5
	# OCI lifecycle: nanoctr's rows say n/a until it has the OCI commands
	lc=$(idx "nanoctr create+start+delete")
	lc_na=""; [ "$lc" -lt 0 ] || lc_na=${NA[$lc]}
	for r in "crun:0.3" "runc:0.1"; do
		for i in "create+start+delete:nanoctr create+start+delete" "run:nanoctr run (OCI bundle)"; do
			v=$lc_na
			if [ -z "$v" ]; then
				a=$(idx "${i#*:}")
				if [ "${i%%:*}" = run ]; then b=$(idx "${r%%:*} run"); else b=$(idx "${r%%:*} create+start+delete"); fi
				! { have "$a" && have "$b"; } || v=$(ratio "${MED[$a]}" "${MED[$b]}")
			fi
			target "OCI ${i%%:*} ≤ ${r#*:}× ${r%%:*}" "$v" "<=" "${r#*:}"
		done
	done
	for i in "$n" "$nl"; do
		v=""
		[ "$i" -ge 0 ] || continue
		case ${RSS[$i]-} in ''|failed*) ;; *) v=$((${RSS[$i]} + ${HELPER_RSS[$i]})) ;; esac
		target "runtime peak RSS ≤ 256 KiB, ${NAMES[$i]} (KiB)" "$v" "<=" 256
	done
	v=""; [ "$NANOCTR_OK" != 1 ] || v=$(stripped_bytes "$NANOCTR")
	target "binary ≤ 64 KiB stripped (bytes)" "$v" "<=" 65536
	v=""; [ -z "$SCALE_FIRST" ] || v=$(ratio "$SCALE_LAST" "$SCALE_FIRST")
	target "$SCALE sequential containers: median of the last $SCALE_K runs ≤ 1.1× the first $SCALE_K's (ratio)" "$v" "<=" 1.1
	v=""
	if [ -n "$SCALE_LINE" ] && [ -z "$SCALE_FAIL" ]; then v=0; [ -z "$LEFTOVER" ] || v=$(printf '%s' "$LEFTOVER" | grep -c .); fi
	target "$SCALE sequential containers leave nothing behind (kinds of leftover)" "$v" "==" 0
}

report() {
	STATUS=0
	[ "$NANOCTR_OK" = 1 ] || [ "$PEERS_ONLY" = 1 ] || STATUS=1
	report_header
	report_table
	report_mounts
	report_method
	[ "$PEERS_ONLY" = 1 ] || report_targets
	return "$STATUS"
}
