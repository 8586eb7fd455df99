#!/usr/bin/env bats
# Review of the OCI lifecycle (breaker-oci): configs and exec options that ran the
# container with less isolation than asked. Each test failed before its fix. Same
# setup as tests/oci.bats (tests/oci-lib.bash).

load helpers
load oci-lib

setup_file() {
	oci_setup_file
}

setup() {
	oci_setup oci-review
}

teardown() {
	oci_teardown
}

nothing_left() {
	[[ ! -e $STATE/$1 ]]
	[[ ! -e $(own_cgroup memory)/$CG ]]
}

# 4294967295 is (uid_t)-1: setresuid(-1, -1, -1) changes nothing, so the process
# stayed root (uid=0) while the config asked for another user.
@test "process.user: uid/gid 4294967295 ((uid_t)-1) refused, not left root" {
	make_bundle '.process.args = ["id", "-u"] | .process.user.uid = 4294967295'
	run -1 --separate-stderr oci run --bundle "$B" c1
	[[ $stderr == "nanoctr: config.json: process.user.uid: number out of range at offset "* ]]
	[[ $output == "" ]]
	nothing_left c1
	make_bundle '.process.args = ["id", "-g"] | .process.user.uid = 5 | .process.user.gid = 4294967295'
	run -1 --separate-stderr oci run --bundle "$B" c1
	[[ $stderr == "nanoctr: config.json: process.user.gid: number out of range at offset "* ]]
	nothing_left c1
	# the largest valid id still works
	make_bundle '.process.args = ["id"] | .process.user.uid = 4294967294 | .process.user.gid = 7'
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == "uid=4294967294 gid=7" ]]
}

@test "exec --user 4294967295 refused, not run as root" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1
	oci start c1
	run -255 --separate-stderr oci exec --user 4294967295 c1 id -u
	[[ $stderr == "nanoctr: 4294967295: --user expects UID[:GID], numbers" ]]
	[[ $output == "" ]]
	run -255 --separate-stderr oci exec --user 5:4294967295 c1 id -g
	[[ $stderr == "nanoctr: 5:4294967295: --user expects UID[:GID], numbers" ]]
	run -0 oci exec --user 4294967294:3 c1 id
	[[ $output == "uid=4294967294 gid=3" ]]
	oci delete --force c1
	nothing_left c1
}

# The kernel's only negative memory value is -1 (no limit); runc writes the config's
# and fails. nanoctr wrote "-1" for any negative: a -5 limit ran unlimited.
@test "linux.resources.memory: a negative other than -1 refused, not unlimited" {
	local f
	for f in limit reservation swap; do
		make_bundle ".process.args = [\"true\"] | .linux.resources.memory.$f = -5"
		run -1 --separate-stderr oci run --bundle "$B" c1
		[[ $stderr == "nanoctr: config.json: linux.resources.memory.$f: number out of range at offset "* ]]
		nothing_left c1
	done
	make_bundle '.process.args = ["true"] | .linux.resources.memory.limit = -1 | .linux.resources.memory.swap = -1'
	run -0 oci run --bundle "$B" c1
	nothing_left c1
}

# A network namespace joined by path can be the runtime's own: net.* was then written
# into the host's (runc: `sysctl "net.ipv4.ip_forward" not allowed in host network
# namespace`). The value asked is the host's current one, so even the bug left the
# host as it was; a namespace of our own (unshare) still gets the write.
@test "linux.sysctl: refused into a joined namespace that is the host's" {
	local cur sp
	cur=$(cat /proc/sys/net/ipv4/ip_forward)
	make_bundle ".process.args = [\"true\"] | .linux.sysctl = {\"net.ipv4.ip_forward\": \"$cur\"} |
		.linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$$/ns/net\" else . end)"
	run -1 --separate-stderr oci run --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.sysctl: net.ipv4.ip_forward: the namespace joined is the host's (it would change the host)" ]]
	nothing_left c1
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.sysctl: net.ipv4.ip_forward: the namespace joined is the host's (it would change the host)" ]]
	nothing_left c1
	unshare --net sleep 10$BATS_TEST_NUMBER 3>&- &
	sp=$!
	until [[ $(readlink /proc/$sp/ns/net) != "$(readlink /proc/$$/ns/net)" ]]; do sleep 0.01; done
	make_bundle ".process.args = [\"cat\", \"/proc/sys/net/ipv4/ip_forward\"] |
		.linux.sysctl = {\"net.ipv4.ip_forward\": \"1\"} |
		.linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$sp/ns/net\" else . end)"
	run -0 oci run --bundle "$B" c1
	[[ $output == 1 ]]
	kill $sp
	nothing_left c1
}

# The state JSON had a fixed 64 KiB buffer to write and 16 KiB to read: a 20 KiB annotation
# made a container that no command could find again ("does not exist"), 64 KiB failed
# create with "state.json: No space left on device". Sized from the content now.
@test "annotations of 100 KB: create, state, hooks, start and delete all see them" {
	big=$(head -c 100000 /dev/zero | tr '\0' a)
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.prestart = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"jq '.annotations.big | length' > $BATS_TEST_TMPDIR/hook\"]}]"
	jq --arg big "$big" '.annotations = {"big": $big, "ctl": "\u0001"}' "$B/config.json" >"$B/new"
	mv "$B/new" "$B/config.json"
	oci create --bundle "$B" c1 >/dev/null 2>"$BATS_TEST_TMPDIR/err"	# (the init keeps stdio)
	[[ ! -s $BATS_TEST_TMPDIR/err ]]
	[[ $(cat "$BATS_TEST_TMPDIR/hook") == 100000 ]]
	oci state c1 | jq -e '.status == "created" and (.annotations.big | length) == 100000 and .annotations.ctl == "\u0001"'
	[[ $(oci list | awk 'NR == 2 { print $1, $3 }') == "c1 created" ]]
	oci start c1
	[[ $(oci state c1 | jq -r .status) == running ]]
	oci delete --force c1
	nothing_left c1
}

# Kubernetes gives a container an environment entry set per service of its namespace (7
# each) and a mount per volume: there were fixed limits of 69 entries ("not supported
# yet") and 32 mounts. Now sized from the config; exec --env still adds to them.
@test "500 environment entries and 40 bind mounts: all reach the process; exec adds 1, then 200" {
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src"
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.process.env += [range(500) | \"SVC_\\(.)_PORT=\\(.)\"] |
		.mounts += [range(40) | {\"destination\": \"/v\\(.)\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\", \"ro\"]}]"
	oci create --bundle "$B" c1 >/dev/null 2>"$BATS_TEST_TMPDIR/err"	# (the init keeps stdio)
	[[ ! -s $BATS_TEST_TMPDIR/err ]]
	oci start c1
	pid=$(oci state c1 | jq .pid)
	[[ $(tr '\0' '\n' </proc/$pid/environ | grep -c '^SVC_') == 500 ]]
	[[ $(tr '\0' '\n' </proc/$pid/environ | grep '^SVC_499_PORT=') == SVC_499_PORT=499 ]]
	[[ $(awk '$5 ~ /^\/v[0-9]+$/' /proc/$pid/mountinfo | wc -l) == 40 ]]
	run -0 --separate-stderr oci exec --env EXTRA=1 c1 sh -c 'echo $EXTRA $SVC_0_PORT $SVC_499_PORT'
	[[ $output == "1 0 499" ]]
	args=()
	for ((i = 0; i < 200; i++)); do args+=(--env "EXEC_$i=$i"); done
	run -0 --separate-stderr oci exec "${args[@]}" --env SVC_3_PORT=x c1 sh -c 'env | grep -c "^EXEC_"; echo $SVC_3_PORT $EXEC_199'
	[[ $output == $'200\nx 199' ]]	# (more than 64 --env were taken for an unknown option)
	oci delete --force c1
	nothing_left c1
}

# kill --all and ps read cgroup.procs into 8 KiB: past ~1,100 processes the rest were
# silently left out (kill --all missed them). Read in pieces now, no limit.
@test "ps and kill --all: every one of 1,300 processes" {
	make_bundle '.process.args = ["sh", "-c", "i=0; while [ $i -lt 1300 ]; do sleep 1000 & i=$((i + 1)); done; echo ready > /ready; wait"]'
	root=$(jq -r .root.path "$B/config.json")
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	until [[ -e $root/ready ]]; do sleep 0.05; done
	[[ $(oci ps --format json c1 | jq length) == 1301 ]]
	[[ $(oci ps c1 | wc -l) == 1302 ]]	# and the PID heading
	oci kill --all c1 KILL
	cg=$(own_cgroup memory)/$CG
	for ((i = 0; i < 500; i++)); do [[ -z $(cat "$cg/cgroup.procs") ]] && break; sleep 0.01; done
	[[ -z $(cat "$cg/cgroup.procs") ]]
	oci delete c1
	nothing_left c1
}

# runc's integration suite: a cgroupsPath whose freezer cgroup was left frozen made nanoctr
# wait forever (the init joined it and froze); refused now, as runc ("container's cgroup
# unexpectedly frozen"), and the frozen cgroup, not ours, is left as it was.
@test "a pre-existing frozen cgroup is refused, not joined (the init would never run)" {
	[[ $(cgroup_version freezer) == 1 ]] || skip "checks the v1 freezer"
	fz=$(own_cgroup freezer)/$CG
	mkdir -p "$fz"
	echo FROZEN >"$fz/freezer.state"
	make_bundle '.process.args = ["true"]'
	run -1 --separate-stderr timeout 20 "$OCI" --root "$STATE" run --bundle "$B" c1
	[[ $stderr == "nanoctr: $fz: container's cgroup unexpectedly frozen" ]]
	[[ -d $fz && $(cat "$fz/freezer.state") == FROZEN ]]	# untouched
	echo THAWED >"$fz/freezer.state"
	rmdir "$fz"
	nothing_left c1
	[[ -z $(ls "$STATE") ]]
}

# exec --process read at most 1 MiB and parsed what it got: a larger file is refused by
# name (was a JSON error at the cut, or a cut document taken as whole)
@test "exec --process over 1 MiB: refused by name, not cut" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	{ printf '{"args": ["true"], "cwd": "/"}'; head -c 1100000 /dev/zero | tr '\0' ' '; } >"$BATS_TEST_TMPDIR/p.json"
	run -255 --separate-stderr oci exec --process "$BATS_TEST_TMPDIR/p.json" c1
	[[ $stderr == "nanoctr: $BATS_TEST_TMPDIR/p.json: over 1 MiB (not supported)" ]]
	oci delete --force c1
	nothing_left c1
}

# list's text form built each line in a PATH_MAX buffer: a long bundle path was cut, with
# the created time after it (exit 0, no word)
@test "list: a bundle path of 4,070 bytes shown whole, the created time after it" {
	long=$BATS_TEST_TMPDIR
	while ((${#long} < 4020)); do long=$long/$(printf 'd%.0s' {1..40}); done
	long=$long/$(printf 'e%.0s' $(seq $((4070 - ${#long}))))	# 4,071 with its "/"
	mkdir -p "$long"
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	cp "$B/config.json" "$long/"
	oci create --bundle "$long" c1 >/dev/null 2>&1
	run -0 --separate-stderr oci list
	[[ $(awk -F'\t' 'NR == 2 { print $4 }' <<<"$output") == "$long" ]]
	[[ $(awk -F'\t' 'NR == 2 { print $5 }' <<<"$output") == 20*Z ]]
	oci delete --force c1
	nothing_left c1
}
