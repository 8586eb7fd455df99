#!/bin/bash
# tests/fuzz/run.sh [SECONDS] [TARGET] — fuzz a parser with AFL++ (apt-get install afl++) for
# SECONDS (default 300). TARGET: args (default), `nanoctr run`'s argument parser
# (src/args.c); user, the container's passwd/group reader (src/user.c: image data); json,
# the JSON parser of config.json (src/json.c); oci, the config.json loader (src/oci-config.c,
# the json seeds); seccomp, the seccomp profile compiler (src/seccomp-profile.c,
# seccomp-bpf.c, seccomp-default.c: JSON -> BPF, each accepted program loaded into the
# kernel in a child). Builds the code with its harness
# tests/fuzz/TARGET-fuzz.c under ASan and UBSan into a temp dir, seeds it with valid and
# invalid input, runs afl-fuzz, reports executions, crashes and hangs; exits 1 on a crash.
set -euo pipefail
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
secs=${1:-300}
target=${2:-args}
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz not installed (apt-get install afl++)" >&2; exit 1; }
work=$(mktemp -d /tmp/nanoctr-fuzz.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/in"
defs=()
afl_opts=()
case $target in
args)
	srcs=(src/args.c src/args-mounts.c src/lib.c src/out.c src/security.c src/capability-names.c src/seccomp.c src/user.c src/resolve.c src/userns.c src/exec.c src/tty.c
		src/seccomp-profile.c src/seccomp-bpf.c src/seccomp-default.c src/json.c) ;;
user)
	srcs=(src/args.c src/args-mounts.c src/lib.c src/out.c src/security.c src/capability-names.c src/seccomp.c src/user.c src/resolve.c src/userns.c src/exec.c src/tty.c
		src/seccomp-profile.c src/seccomp-bpf.c src/seccomp-default.c src/json.c)
	defs=(-DPASSWD_FILE="\"$work/passwd\"" -DGROUP_FILE="\"$work/group\"" -DSCAN_BUFFER=7) ;;
json|oci)
	srcs=(src/json.c src/lib.c)
	[[ $target == oci ]] && srcs+=(src/oci-config.c src/oci-fields.c src/oci-mount.c src/out.c src/spec-defaults.c src/capability-names.c)
	cp "$repo"/tests/data/json/*.json "$work/in/"
	dict=/usr/share/doc/afl++-doc/afl/dictionaries/json.dict
	[[ -f $dict ]] && afl_opts+=(-x "$dict") ;;
seccomp)
	# the compiler behind tests/unit/seccomp-glue.c: nanoctr's headers and libc's do not mix
	srcs=(tests/unit/seccomp-glue.c src/seccomp-profile.c src/seccomp-bpf.c src/seccomp-default.c
		src/seccomp.c src/json.c src/lib.c src/out.c src/security.c src/capability-names.c)
	jq .linux.seccomp "$repo/tests/data/json/podman-run.json" >"$work/in/podman.json"
	[[ -f /usr/share/containers/seccomp.json ]] && cp /usr/share/containers/seccomp.json "$work/in/"
	printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X32"],"syscalls":[{"names":["getpid","read"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":4294967296,"valueTwo":5,"op":"SCMP_CMP_MASKED_EQ"},{"index":1,"value":7,"op":"SCMP_CMP_LE"}]}]}' >"$work/in/args.json"
	dict=/usr/share/doc/afl++-doc/afl/dictionaries/json.dict
	[[ -f $dict ]] && afl_opts+=(-x "$dict") ;;
*)
	echo "run.sh: unknown target $target (args, user, json, oci or seccomp)" >&2; exit 2 ;;
esac
(cd "$repo" && AFL_QUIET=1 afl-cc -O1 -g -fno-builtin -fsanitize=address,undefined -I. \
	-DNANOCTR_VERSION='"fuzz"' ${defs[@]+"${defs[@]}"} -o "$work/fuzz" "${srcs[@]}" \
	"tests/fuzz/$target-fuzz.c")
i=0
while IFS= read -r seed; do
	printf '%b' "$seed" >"$work/in/seed$((i++))"
done < <(case $target in
args) cat <<'SEEDS'
-r\n/tmp/r\n/bin/true
-it\n--init\n-m\n50M\n--pids-limit\n10\n--cpus\n0.5\nsh\n-c\nexit 3
-e\nA=1\n-e\nFOO\n-e\nPATH=/bin\n-w\n/tmp\n-u\nnobody:root\nid
-v\n/tmp:/mnt:ro\n--tmpfs\n/x\n--read-only\n--network=host\ntrue
--cap-add\nsys_admin\n--cap-drop=ALL\n--privileged\n--security-opt\nseccomp=unconfined\ntrue
--hostname\nbad/name\ntrue
-m\n99999999999999999999g\ntrue
--cpus\n.5\n--cgroup-parent\n/a/b\n-n\nweb\ntrue
-rvx\n--\n-x
--init=false\n--read-only=1\n-u\n1:2\n-u\n0\n--cpus\n0\n--pids-limit\n-1\ntrue
--cgroup-parent\n/user.slice/a..b/..\n--hostname\n\ntrue
SEEDS
;;
user) cat <<'SEEDS'
app\nroot:x:0:0:root:/root:/bin/sh\napp:x:10:20:App:/srv/app:/bin/sh\n\0root:x:0:\nextra:x:30:a,app,b\n
4242\napp:x:4242:100::/h:/bin/sh\n\0users:x:100:\nx:x:5:app
app:wheel\napp:x:1:2:::/bin/sh\n\0wheel:x:10:\n
0\nroot:x:0:0::/root\n\0root:x:0:root\nbin:x:1:root,bin,daemon\n
1:2\n\0
bad\nbad:x:12x:1::/:/bin/sh\nnogid:x:13\n:::\n\n\0:x::\n
SEEDS
;;
json|oci) cat <<'SEEDS'
{"a":[1,-2.5e+3,true,false,null,{}],"b":"\\u00e9\\ud83d\\ude00\\n"}
[[[[[]]]]]
"\\ud800\xff\xc3\xa9"
18446744073709551616
{"A":1,"a":2}
SEEDS
;;
esac)
AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
	timeout --preserve-status "$secs" afl-fuzz -i "$work/in" -o "$work/out" -m none \
	${afl_opts[@]+"${afl_opts[@]}"} -- "$work/fuzz" >"$work/afl.log" 2>&1 || true
if ! ls "$work"/out/*/fuzzer_stats >/dev/null 2>&1; then
	echo "run.sh: afl-fuzz did not run:" >&2
	tail -20 "$work/afl.log" >&2
	exit 1
fi
crashes=$(find "$work/out" -path '*crashes/id*' | wc -l)
hangs=$(find "$work/out" -path '*hangs/id*' | wc -l)
execs=$(awk -F: '/execs_done/ { gsub(/ /, "", $2); print $2 }' "$work"/out/*/fuzzer_stats 2>/dev/null | head -1)
echo "fuzz $target: ${secs}s, ${execs:-?} executions, $crashes crashes, $hangs hangs"
if [[ $crashes -gt 0 ]]; then
	for f in "$work"/out/*/crashes/id*; do echo "--- $f"; od -c "$f" | head -5; done
	exit 1
fi
