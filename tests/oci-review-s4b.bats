#!/usr/bin/env bats
# Review of the OCI build's recent changes (breaker-s4b): update's runc options,
# cgroup.procs in pieces, the terminal relay. Each test failed before its fix.

load helpers
load oci-lib

setup_file() { oci_setup_file; }
setup() { oci_setup s4b; }
teardown() { oci_teardown; }

nothing_left() {
	[[ ! -e $STATE/$1 ]]
	[[ ! -e $(own_cgroup memory)/$CG ]]
}

@test "update --memory: -1 over a lower memsw, runc's units (t, i, b, a space), no silent overflow, repeats (last wins)" {
	[[ $(cgroup_version memory) == 1 ]] || skip "checks v1 files"
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] | .process.terminal = false"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	mem=$(own_cgroup memory)/$CG
	oci update --memory 10m c1
	[[ $(cat "$mem/memory.limit_in_bytes") == 10485760 && $(cat "$mem/memory.memsw.limit_in_bytes") == 10485760 ]]
	# runc writes memsw first (setMemoryAndSwap): the limit alone was EINVAL
	run -0 --separate-stderr oci update --memory -1 c1
	[[ $stderr == "" ]]
	max=$(cat "$mem/memory.limit_in_bytes")
	[[ $max -gt 10485760 && $(cat "$mem/memory.memsw.limit_in_bytes") == "$max" ]]
	# go-units' RAMInBytes grammar, as runc 1.1 parses these
	oci update --memory "20 MiB" c1
	[[ $(cat "$mem/memory.limit_in_bytes") == 20971520 ]]
	oci update --memory 1t --memory-swap 1t c1
	[[ $(cat "$mem/memory.limit_in_bytes") == 1099511627776 ]]
	oci update --memory 30000000b c1
	[[ $(cat "$mem/memory.limit_in_bytes") == 29999104 ]]	# the kernel's page rounding
	# 2^34+1 GiB: shifted out of 64 bits it was 1 GiB, written silently
	run -1 --separate-stderr oci update --memory 17179869185g c1
	[[ $stderr == "nanoctr: 17179869185g: number out of range" ]]
	[[ $(cat "$mem/memory.limit_in_bytes") == 29999104 ]]
	run -1 --separate-stderr oci update --memory 10x c1
	[[ $stderr == "nanoctr: 10x: not a size (a number with k, m, g, t or p)" ]]
	# 40 repeats overflowed the options' buffer: a crash (SIGSEGV)
	args=()
	for i in $(seq 40); do args+=(--memory "$((i + 20))m"); done
	run -0 --separate-stderr oci update "${args[@]}" --pids-limit 30 --pids-limit 40 c1
	[[ $stderr == "" && $(cat "$mem/memory.limit_in_bytes") == $((60 << 20)) ]]
	[[ $(cat "$(own_cgroup pids)/$CG/pids.max") == 40 ]]
	oci delete --force c1
	nothing_left c1
}
