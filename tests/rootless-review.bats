#!/usr/bin/env bats
# Rootless (issue 12), reviewed by trying to break it: the cases found wrong, each with
# the fix's test. The user here is a made-up one, uid 3399999: each test runs nanoctr in a
# private mount namespace of its own (unshare -m) whose /etc/passwd, /etc/subuid and
# /etc/subgid are files of the test bound over the host's, so newuidmap/newgidmap (which
# read them there too) and nanoctr see exactly these lines. The host's files, users and
# mounts are never touched.

# shellcheck disable=SC2016 # the container expands $ in the scripts given to its sh -c
load helpers

FAKE_UID=3399999
FAKE_NAME=nanoctr-rv-fake

setup_file() {
	[[ $EUID -eq 0 ]] || skip "requires root (to switch users and bind the id files)"
	[[ -n $NANOCTR && -x $NANOCTR ]] || skip "requires the nanoctr binary"
	if ! command -v setpriv >/dev/null || ! command -v unshare >/dev/null; then
		skip "requires setpriv and unshare (util-linux)"
	fi
	RV=$(mktemp -d /tmp/nanoctr-rv.XXXXXX)
	chmod 0755 "$RV"
	export RV
	cp -- "$NANOCTR" "$RV/nanoctr"
	chmod 0755 "$RV/nanoctr"
	cp -a -- "$ROOTFS" "$RV/rootfs"	# root's: the made-up user only reads it
	{ cat /etc/passwd; echo "$FAKE_NAME:x:$FAKE_UID:$FAKE_UID::/:/usr/sbin/nologin"; } >"$RV/passwd"
}

teardown_file() {
	[[ -n ${RV-} && $RV == /tmp/nanoctr-rv.* ]] || return 0
	if awk -v d="$RV" 'index($5, d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
		echo "mounts left beneath $RV: not removing it" >&2
		return 1
	fi
	rm -rf --one-file-system -- "$RV"
}

setup() {
	[[ -n ${RV-} ]] || skip "setup_file did not run"
}

requires_uidmap() {
	[[ -x /usr/bin/newuidmap && -x /usr/bin/newgidmap ]] ||
		skip "requires newuidmap/newgidmap (apt-get install uidmap)"
}

# as_fake SUBID_LINES [PASSWD] -- CMD... — CMD by the made-up user (no capabilities), in a
# private mount namespace where /etc/subuid and /etc/subgid hold SUBID_LINES (printf
# escapes) and /etc/passwd is PASSWD (default: the host's plus the made-up user).
# $RV_SETPRIV: more setpriv options (e.g. --nnp).
as_fake() {
	local subid=$1 passwd=$RV/passwd
	shift
	[[ $1 == -- ]] || { passwd=$1; shift; }
	shift
	# shellcheck disable=SC2059 # the lines are printf text on purpose
	printf "$subid" >"$BATS_TEST_TMPDIR/subid"
	chmod 0644 "$BATS_TEST_TMPDIR/subid" "$passwd"
	unshare -m --propagation private -- sh -c '
		mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/subuid &&
			mount --bind "$2" /etc/subgid || exit 99
		shift 2
		cd / && exec setpriv ${RV_SETPRIV-} --reuid="$0" --regid="$0" --clear-groups -- "$@"' \
		"$FAKE_UID" "$passwd" "$BATS_TEST_TMPDIR/subid" "$@"
}

# fake_run SUBID_LINES [PASSWD] -- NANOCTR-RUN-ARGS... — `nanoctr run -r ROOTFS ...` as above.
fake_run() {
	local subid=$1
	shift
	if [[ $1 == -- ]]; then
		shift
		as_fake "$subid" -- "$RV/nanoctr" run -r "$RV/rootfs" "$@"
	else
		local passwd=$1
		shift 2
		as_fake "$subid" "$passwd" -- "$RV/nanoctr" run -r "$RV/rootfs" "$@"
	fi
}

# the maps the container saw, one line each, spaces squeezed
maps() {
	local line
	for line in "$@"; do
		# shellcheck disable=SC2086 # unquoted: squeezes the columns
		echo $line
	done
}

@test "review: an /etc/passwd of several MiB (a site with many users) is read in pieces, not refused" {
	requires_uidmap
	# 30000 users before ours (about 3 MiB); ours with a GECOS longer than a line we keep
	{
		seq 0 29999 | awk '{ printf "rv-filler-%d:x:%d:%d:a filler user with a long GECOS field:/home/rv-filler-%d:/usr/sbin/nologin\n", $1, 5000000 + $1, 5000000 + $1, $1 }'
		cat /etc/passwd
		printf '%s:x:%s:%s:%*s:/:/usr/sbin/nologin\n' "$FAKE_NAME" "$FAKE_UID" "$FAKE_UID" 3000 "GECOS"
	} >"$BATS_TEST_TMPDIR/passwd"
	(($(stat -c %s "$BATS_TEST_TMPDIR/passwd") > 2 * 1024 * 1024))
	# the range is found by the user's name, which is in the last, long line
	run --separate-stderr fake_run "$FAKE_NAME:3300000:1000\n" "$BATS_TEST_TMPDIR/passwd" -- \
		cat /proc/self/uid_map
	assert_status 0
	assert_stderr_equals ""
	[[ "$(maps "${lines[@]}")" == "0 $FAKE_UID 1"$'\n'"1 3300000 1000" ]] ||
		_assert_fail "expected the range found through the name in a 3 MiB /etc/passwd"
}

@test "review: a line longer than what is kept is never taken cut (a cut subuid count would be another range)" {
	# a guard of the piecewise reading above (the whole-file reading before it had
	# no cut to make: this one passed there too)
	requires_uidmap
	# the count's digits run past the 1 KiB kept of a line: cut, it would read 1000
	local long
	long="$FAKE_NAME:3300000:1000$(printf '%01100d' 0)"
	run --separate-stderr fake_run "$long\n" -- cat /proc/self/uid_map
	assert_status 0
	assert_stderr_equals ""
	[[ "$(maps "${lines[@]}")" == "0 $FAKE_UID 1" ]] ||
		_assert_fail "expected the single mapping: the long line is no range"
}

@test "review: a malformed subuid line of the user is skipped, as newuidmap skips it: the next one is mapped" {
	requires_uidmap
	run --separate-stderr fake_run "$FAKE_NAME:abc:10\n$FAKE_NAME:3300000\n$FAKE_NAME:3300000:1000\n" -- \
		sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
	assert_status 0
	assert_stderr_equals ""
	local want="0 $FAKE_UID 1"$'\n'"1 3300000 1000"
	[[ "$(maps "${lines[@]}")" == "$want"$'\n'"$want" ]] ||
		_assert_fail "expected 0 -> the caller and 1..1000 -> 3300000 for uids and gids"
}

@test "review: every subuid line of the user is mapped one after the other (as podman), by name or number" {
	requires_uidmap
	local subid="$FAKE_NAME:3300000:1000\n$FAKE_NAME:3310000:500\n$FAKE_UID:3320000:10\n"
	run --separate-stderr fake_run "$subid" -- -u 1505:1510 \
		sh -c 'id -u; id -g; cat /proc/self/uid_map'
	assert_status 0
	assert_stderr_equals ""
	[[ "$(maps "${lines[@]}")" == "1505"$'\n'"1510"$'\n'"0 $FAKE_UID 1"$'\n'"1 3300000 1000"$'\n'"1001 3310000 500"$'\n'"1501 3320000 10" ]] ||
		_assert_fail "expected the three ranges at 1, 1001 and 1501, and uid 1505, gid 1510 in the third"
	# one past the last is refused before anything exists
	run --separate-stderr fake_run "$subid" -- -u 1511 true
	assert_status 125
	assert_stderr_equals "nanoctr: --user: not mapped in the user namespace (rootless: 0 is you; 1..N need your range in /etc/subuid and /etc/subgid, and newuidmap/newgidmap)"
}

@test "review: a range the kernel cannot map (past 32 bits, cut by a u32, overlapping, holding the caller) is skipped" {
	requires_uidmap
	# each bad line before a good one; before: newuidmap's "subuid overflow", newuidmap
	# refusing a start cut by a u32, the kernel's EINVAL for the caller's own id, or a
	# count of 2^32 + 5 cut to 5; then a duplicate after a good one (the kernel refuses
	# overlapping extents)
	local subid n=$FAKE_NAME
	for subid in "$n:4000000000:300000000\n$n:3300000:1000" "$n:4294967296:10\n$n:3300000:1000" \
		"$n:3399000:1000\n$n:3300000:1000" "$n:3300000:4294967301\n$n:3300000:1000" \
		"$n:3300000:1000\n$n:3300500:10"; do
		run --separate-stderr fake_run "$subid\n" -- \
			cat /proc/self/uid_map
		assert_status 0
		assert_stderr_equals ""
		[[ "$(maps "${lines[@]}")" == "0 $FAKE_UID 1"$'\n'"1 3300000 1000" ]] ||
			_assert_fail "$subid: expected only the good range mapped"
	done
	# alone, a count over 2^32 is no range at all (not 5 ids)
	run --separate-stderr fake_run "$FAKE_NAME:3300000:4294967301\n" -- cat /proc/self/uid_map
	assert_status 0
	[[ "$(maps "${lines[@]}")" == "0 $FAKE_UID 1" ]] || _assert_fail "expected the single mapping"
}

# as_nobody CMD... — CMD as nobody, no capabilities, from /.
as_nobody() {
	(cd / && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@")
}

@test "review: run by root of a user namespace whose setgroups is denied (unshare -r) works, as runc does" {
	# euid 0 there: not rootless for nanoctr, but setgroups(2) is EPERM and sysfs of
	# the host's network namespace too; before: 125 'setgroups: Operation not permitted'
	run --separate-stderr as_nobody unshare -r -- "$RV/nanoctr" run -r "$RV/rootfs" \
		sh -c 'id -u; id -g; cat /proc/self/uid_map'
	assert_status 0
	assert_stderr_equals ""
	[[ "$(maps "${lines[@]}")" == "0"$'\n'"0"$'\n'"0 65534 1" ]] ||
		_assert_fail "expected root inside, in the caller's user namespace (0 -> 65534)"
	# --network host: the host's /sys bound read-only (before: 'mount /sys: Operation not permitted')
	run --separate-stderr as_nobody unshare -r -- "$RV/nanoctr" run --network host -r "$RV/rootfs" \
		sh -c 'grep " /sys " /proc/mounts; touch /sys/x'
	assert_status 1
	[[ ${lines[0]} == "sysfs /sys sysfs ro,"* ]] || _assert_fail "expected /sys read-only"
	assert_stderr_equals "touch: /sys/x: Read-only file system"
}

# in_private_tmp USER_SPEC ROOTFS_OWNER CMD... — CMD (by setpriv USER_SPEC, or root when
# "root") in a private mount namespace with a tmpfs of its own on /tmp, where
# /tmp/alpine-rootfs (the default rootfs) is a copy of the test rootfs owned by
# ROOTFS_OWNER; the binary is /mnt/nanoctr there. Nothing on the host.
in_private_tmp() {
	local who=$1 owner=$2
	shift 2
	cp -a -- "$RV/rootfs" "$BATS_TEST_TMPDIR/default"
	chown "$owner" "$BATS_TEST_TMPDIR/default"
	cp -- "$RV/nanoctr" "$BATS_TEST_TMPDIR/nanoctr"
	chmod 0755 "$BATS_TEST_TMPDIR"
	unshare -m --propagation private -- sh -c '
		mount --bind "$1" /mnt && mount -t tmpfs -o mode=1777 rv /tmp &&
			mkdir /tmp/alpine-rootfs && mount --bind /mnt/default /tmp/alpine-rootfs || exit 99
		who=$0
		shift
		cd /
		if [ "$who" = root ]; then exec "$@"; fi
		exec setpriv --reuid="$who" --regid="$who" --clear-groups -- "$@"' \
		"$who" "$BATS_TEST_TMPDIR" "$@"
}

@test "review: the default rootfs (/tmp/alpine-rootfs, in the shared /tmp) is refused when another user owns it" {
	# rootless makes nanoctr a multi-user tool: user B makes /tmp/alpine-rootfs first,
	# user A's `nanoctr run sh` then ran B's sh with A's volumes (before: status 0)
	run --separate-stderr in_private_tmp "$FAKE_UID" 65534 /mnt/nanoctr run true
	assert_status 125
	assert_stderr_equals "nanoctr: /tmp/alpine-rootfs: owned by another user (refused: the default rootfs is in the shared /tmp; pass --rootfs)"
	# root is refused another user's too; root's and the caller's own are fine
	run --separate-stderr in_private_tmp root 65534 /mnt/nanoctr run true
	assert_status 125
	assert_stderr_equals "nanoctr: /tmp/alpine-rootfs: owned by another user (refused: the default rootfs is in the shared /tmp; pass --rootfs)"
	run --separate-stderr in_private_tmp "$FAKE_UID" 0 /mnt/nanoctr run id -u
	assert_status 0
	assert_output_equals "0"
	run --separate-stderr in_private_tmp "$FAKE_UID" "$FAKE_UID" /mnt/nanoctr run id -u
	assert_status 0
	assert_output_equals "0"
	# named with --rootfs (or $NANOCTR_ROOTFS), another user's rootfs is the caller's choice
	run --separate-stderr in_private_tmp "$FAKE_UID" 65534 /mnt/nanoctr run -r /mnt/default id -u
	assert_status 0
	assert_output_equals "0"
	# the check is for the default, not for a path: -r /tmp/alpine-rootfs named by the user
	# is the user's choice too (it was refused by its name)
	run --separate-stderr in_private_tmp "$FAKE_UID" 65534 /mnt/nanoctr run -r /tmp/alpine-rootfs id -u
	assert_status 0
	assert_output_equals "0"
}

@test "review: an image's /etc/passwd the rootless caller cannot read is as none for a number (as runc), not for a name" {
	# a root-owned image with a 0600 /etc/passwd, run by nobody; before: 125
	# 'nanoctr: --user 0: /etc/passwd: Permission denied' without any --user given
	local rootfs=$RV/image-unreadable	# beneath the 0755 dir: nobody reaches it
	rm -rf -- "$rootfs"
	cp -a -- "$RV/rootfs" "$rootfs"
	chmod 0600 "$rootfs/etc/passwd" "$rootfs/etc/group"
	run --separate-stderr as_nobody "$RV/nanoctr" run -r "$rootfs" sh -c 'id -u; id -g; echo $HOME'
	assert_status 0
	assert_stderr_equals ""
	[[ "${lines[*]}" == "0 0 /" ]] || _assert_fail "expected uid 0, gid 0, HOME=/ (runc's defaults)"
	run --separate-stderr as_nobody "$RV/nanoctr" run -r "$rootfs" -u 0:0 id -u
	assert_status 0
	assert_output_equals "0"
	# a name cannot be found without the file: said so
	run --separate-stderr as_nobody "$RV/nanoctr" run -r "$rootfs" -u root true
	assert_status 125
	assert_stderr_equals "nanoctr: --user root: /etc/passwd: Permission denied"
}

@test "review: with no_new_privs set (systemd NoNewPrivileges=, a sandbox) the setuid helpers cannot work: the single mapping" {
	requires_uidmap
	# before: 'newuidmap: write to uid_map failed: Operation not permitted' and 125,
	# for every user with a range (bwrap runs there)
	RV_SETPRIV=--nnp run --separate-stderr fake_run "$FAKE_NAME:3300000:1000\n" -- \
		sh -c 'cat /proc/self/uid_map /proc/self/setgroups'
	assert_status 0
	assert_stderr_equals ""
	[[ "$(maps "${lines[@]}")" == "0 $FAKE_UID 1"$'\n'"deny" ]] ||
		_assert_fail "expected the caller alone mapped, setgroups denied"
	# without it, the range as before
	run --separate-stderr fake_run "$FAKE_NAME:3300000:1000\n" -- cat /proc/self/uid_map
	assert_status 0
	[[ "$(maps "${lines[@]}")" == "0 $FAKE_UID 1"$'\n'"1 3300000 1000" ]] || _assert_fail "expected the range"
}
