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
	# a test's FIFO in place of state.json hung the old delete --force: not its point here
	[[ ! -p $STATE/c1/state.json ]] || rm "$STATE/c1/state.json"
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

# A FIFO in place of state.json (the state directory is root's, but a stray mkfifo or a
# hostile root process) made state, list and delete --force block forever in open(2):
# the container could not even be deleted. Now it reads as no state: state says the
# container does not exist, list goes on without it, delete --force removes it (its
# cgroup's processes killed). timeout(1) only bounds the old hang.
@test "state.json a FIFO: state, list and delete --force do not hang" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" c1
	rm "$STATE/c1/state.json"
	mkfifo "$STATE/c1/state.json"
	run -1 --separate-stderr timeout 20 "$OCI" --root "$STATE" state c1
	[[ $stderr == "nanoctr: container c1 does not exist" ]]
	run -0 --separate-stderr timeout 20 "$OCI" --root "$STATE" list
	[[ $output == $'ID\tPID\tSTATUS\tBUNDLE\tCREATED' && -z $stderr ]]
	run -0 --separate-stderr timeout 20 "$OCI" --root "$STATE" delete --force c1
	[[ -z $stderr ]]
	nothing_left c1
	! pgrep -f "^sleep 10${BATS_TEST_NUMBER}\$" >/dev/null
}

# The kernel's device cgroup (v1) removes a denied access only from the exception of the
# very same type, major and minor: "deny c 10:229 rw" after "allow c 10:* rwm" was
# silently ignored there (the node opened), while the new v2 eBPF program honoured it, so
# one config meant two things. runc refuses such a rule ("cannot punch hole in existing
# wildcard rule"); so does nanoctr now, on v1 and v2, before anything runs. An exact
# match still takes the access away (here "w": reading works, writing not). /dev/fuse's
# numbers, made with CAP_MKNOD on a tmpfs as in oci.bats.
@test "device cgroup: a deny rule inside an allowed wildcard refused, not silently ignored" {
	cgroup_version devices >/dev/null || [[ -e /sys/fs/cgroup/cgroup.controllers ]] || skip "no device cgroup"
	common='.mounts += [{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}] |
		.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] |
		.process.capabilities.permitted += ["CAP_MKNOD"] |
		.process.args = ["sh", "-c", "mknod /mnt/node c 10 229 && cat /mnt/node; echo read=$?; echo -n > /mnt/node; echo write=$?"]'
	make_bundle "$common | .linux.resources.devices = [{\"allow\": false, \"access\": \"rwm\"},
		{\"allow\": true, \"type\": \"c\", \"major\": 10, \"access\": \"rwm\"},
		{\"allow\": false, \"type\": \"c\", \"major\": 10, \"minor\": 229, \"access\": \"rw\"}]"
	run -1 --separate-stderr oci run --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.resources.devices: a deny rule inside an allowed wildcard rule: the kernel's device cgroup would ignore it (runc refuses it too)" ]]
	[[ $output == "" ]]
	nothing_left c1
	# the same numbers: the access taken away (fuse's read without a mount: EPERM, but
	# the open itself passed the device cgroup)
	make_bundle "$common | .linux.resources.devices = [{\"allow\": false, \"access\": \"rwm\"},
		{\"allow\": true, \"type\": \"c\", \"major\": 10, \"minor\": 229, \"access\": \"rwm\"},
		{\"allow\": false, \"type\": \"c\", \"major\": 10, \"minor\": 229, \"access\": \"w\"}]"
	run -0 --separate-stderr oci run --bundle "$B" c2
	[[ $output == $'read=1\nwrite=1' ]]
	# the read open passed (fuse's own EPERM on read), the write open did not
	[[ $stderr == $'cat: read error: Operation not permitted\nsh: can\'t create /mnt/node: Operation not permitted' ]]
	nothing_left c2
}
