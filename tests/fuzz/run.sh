#!/bin/bash
# tests/fuzz/run.sh [SECONDS] [args|json|oci] — fuzz a parser with AFL++ (apt-get install afl++):
# args (the default) is `nanoctr run`'s argument parser, json the JSON parser of
# config.json (src/json.c), oci the config.json loader (src/oci-config.c, same seeds).
# Builds the parser with its harness (tests/fuzz/<which>-fuzz.c)
# into a temp dir under ASan and UBSan, seeds it (args: valid and invalid command lines;
# json: the real configs of tests/data/json and a few edge cases), runs afl-fuzz for
# SECONDS (default 300), reports executions, crashes and hangs; exits 1 on a crash.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
secs=${1:-300}
which=${2:-args}
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz not installed (apt-get install afl++)" >&2; exit 1; }
work=$(mktemp -d /tmp/nanoctr-fuzz.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/in"
afl_opts=()
case $which in
args)
	srcs=(src/args.c src/lib.c src/out.c src/security.c src/seccomp.c) ;;
json|oci)
	srcs=(src/json.c src/lib.c)
	[[ $which == oci ]] && srcs+=(src/oci-config.c src/oci-fields.c src/oci-mount.c src/out.c src/spec-defaults.c)
	cp "$repo"/tests/data/json/*.json "$work/in/"
	i=0
	for seed in '{"a":[1,-2.5e+3,true,false,null,{}],"b":"\\u00e9\\ud83d\\ude00\\n"}' \
		'[[[[[]]]]]' '"\\ud800\xff\xc3\xa9"' '18446744073709551616' '{"A":1,"a":2}'; do
		printf '%b' "$seed" >"$work/in/small$((i++)).json"
	done
	dict=/usr/share/doc/afl++-doc/afl/dictionaries/json.dict
	[[ -f $dict ]] && afl_opts+=(-x "$dict") ;;
*)
	echo "run.sh: fuzz what? args or json, not $which" >&2; exit 1 ;;
esac
(cd "$repo" && AFL_QUIET=1 afl-cc -O1 -g -fno-builtin -fsanitize=address,undefined -I. \
	-DNANOCTR_VERSION='"fuzz"' -o "$work/fuzz" "${srcs[@]}" "tests/fuzz/$which-fuzz.c")
if [[ $which == args ]]; then
i=0
while IFS= read -r seed; do
	printf '%b' "$seed" >"$work/in/seed$((i++))"
done <<'SEEDS'
-r\n/tmp/r\n/bin/true
-it\n--init\n-m\n50M\n--pids-limit\n10\n--cpus\n0.5\nsh\n-c\nexit 3
-e\nA=1\n-e\nFOO\n-e\nPATH=/bin\n-w\n/tmp\n-u\nnobody:root\nid
-v\n/tmp:/mnt:ro\n--tmpfs\n/x\n--read-only\n--network=host\ntrue
--cap-add\nsys_admin\n--cap-drop=ALL\n--privileged\n--security-opt\nseccomp=unconfined\ntrue
--hostname\nbad/name\ntrue
-m\n99999999999999999999g\ntrue
--cpus\n.5\n--cgroup-parent\n/a/b\n-n\nweb\ntrue
-rvx\n--\n-x
SEEDS
fi
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
	timeout --preserve-status "$secs" afl-fuzz -i "$work/in" -o "$work/out" -m none \
	${afl_opts[@]+"${afl_opts[@]}"} -- "$work/fuzz" \
	>"$work/afl.log" 2>&1 || true
crashes=$(find "$work/out" -path '*crashes/id*' | wc -l)
hangs=$(find "$work/out" -path '*hangs/id*' | wc -l)
execs=$(awk -F: '/execs_done/ { gsub(/ /, "", $2); print $2 }' "$work"/out/*/fuzzer_stats 2>/dev/null | head -1)
echo "fuzz $which: ${secs}s, ${execs:-?} executions, $crashes crashes, $hangs hangs"
if [[ $crashes -gt 0 ]]; then
	for f in "$work"/out/*/crashes/id*; do echo "--- $f"; od -c "$f" | head -5; done
	exit 1
fi
