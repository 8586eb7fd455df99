# Shared by the OCI test files (oci.bats, oci-review.bats): the `make OCI=1` binary built
# into the file's temp dir, a state dir and bundle per test, and bundles from
# `nanoctr spec` + jq on a fresh copy of the test rootfs.
# shellcheck shell=bash

# oci_setup_file — builds $OCI (exported with $REPO)
oci_setup_file() {
	REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	OCI=$BATS_FILE_TMPDIR/nanoctr-oci
	make -s -C "$REPO" OCI=1 OBJDIR="$BATS_FILE_TMPDIR/obj/" BIN="$OCI" >&2
	export REPO OCI
}

# oci_setup NAME — $STATE, $B and $CG (nanoctr-NAME-N) for this test
oci_setup() {
	STATE=$BATS_TEST_TMPDIR/state
	B=$BATS_TEST_TMPDIR/bundle
	CG=nanoctr-$1-$BATS_TEST_NUMBER
}

# oci_teardown — nothing may stay: delete what a failed test left
oci_teardown() {
	local id
	for id in $(ls "$STATE" 2>/dev/null); do "$OCI" --root "$STATE" delete --force "$id"; done
}

oci() {
	"$OCI" --root "$STATE" "$@"
}

# make_bundle JQ-FILTER — $B/config.json from `nanoctr spec`, root.path a fresh rootfs,
# cgroupsPath $CG (relative: beneath this shell's own cgroups), then FILTER
make_bundle() {
	mkdir -p "$B"
	rm -f "$B/config.json"
	(cd "$B" && "$OCI" spec)
	jq --arg r "$(fresh_rootfs)" --arg cg "$CG" \
		".root.path = \$r | .linux.cgroupsPath = \$cg | ${1:-.}" "$B/config.json" >"$B/new"
	mv "$B/new" "$B/config.json"
}
