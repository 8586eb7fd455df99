#!/usr/bin/env bats
# Review of the seccomp wiring (issue 11, breaker-sc): hostile or odd profiles given to
# `nanoctr run --security-opt seccomp=FILE`. Each test failed on the code before its fix.

load helpers

setup() {
	requires_root
	requires_nanoctr
}

@test "a profile that refuses every call, exit_group included: the container ends (killed by a fault), nanoctr does not spin" {
	# execve fails with EPERM; the child's exit_group too: it used to loop forever at
	# 100% CPU (`for (;;);` after exit_group); runc's init dies of a fault the same way
	local p=$BATS_TEST_TMPDIR/p.json
	echo '{"defaultAction": "SCMP_ACT_ERRNO"}' >"$p"
	run --separate-stderr timeout 60 "$NANOCTR" run -r "$ROOTFS" --security-opt "seccomp=$p" \
		sh -c 'echo ran' </dev/null
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: container setup: killed by signal 4"
}
