#!/usr/bin/env bats
# Review of the OCI build's hooks, binds, state JSON and device cgroup (breaker-s4).
# Each test failed before its fix. Same setup as tests/oci.bats (tests/oci-lib.bash).

load helpers
load oci-lib

setup_file() {
	oci_setup_file
}

setup() {
	oci_setup oci-s4
}

teardown() {
	oci_teardown
}

nothing_left() {
	[[ ! -e $STATE/$1 ]]
	[[ ! -e $(own_cgroup memory)/$CG ]]
}

# `list` kept every container's directory open (and the exec.fifo probe): past `ulimit -n`
# descriptors, the rest of the containers were silently missing from the list, exit 0
# (runc lists them all). 40 containers under a limit of 20 descriptors; the others are
# copies of c1's state directory (same process, so "created" too).
@test "list: every container listed, whatever ulimit -n (a descriptor was kept per container)" {
	make_bundle '.process.args = ["sleep", "1000"]'
	oci create --bundle "$B" c1
	for i in $(seq 2 40); do
		mkdir "$STATE/c$i"
		cp "$STATE/c1/state.json" "$STATE/c1/config.json" "$STATE/c$i/"
		mkfifo "$STATE/c$i/exec.fifo"
	done
	run -0 --separate-stderr bash -c 'ulimit -n 20 && "$@" list' - "$OCI" --root "$STATE"
	[[ -z $stderr ]]
	[[ ${#lines[@]} == 41 ]]
	[[ $(grep -c $'\tcreated\t' <<<"$output") == 40 ]]
	run -0 --separate-stderr bash -c 'ulimit -n 20 && "$@" list --format json' - "$OCI" --root "$STATE"
	[[ $(jq 'map(select(.status == "created")) | length' <<<"$output") == 40 ]]
	for i in $(seq 2 40); do rm -r "${STATE:?}/c$i"; done
	oci delete --force c1
	nothing_left c1
}
