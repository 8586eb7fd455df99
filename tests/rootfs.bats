#!/usr/bin/env bats
# The rootfs scripts themselves (busybox.sh, tarball.sh, alpine.sh). No nanoctr needed.

load helpers

setup() {
	scripts=$BATS_TEST_DIRNAME/../rootfs-scripts
	work=$BATS_TEST_TMPDIR
}

# make_tar NAME [TAR-OPTIONS...] — tar the tree $work/src into $work/NAME.
make_tar() {
	local name=$1
	shift
	tar -cf "$work/$name" "$@" -C "$work/src" .
}

@test "busybox.sh makes a tree that runs /bin/sh" {
	run -0 --separate-stderr "$scripts/busybox.sh" "$work/rootfs"
	[[ $output == "busybox.sh: rootfs ready in $work/rootfs (BusyBox v"*" applets)" ]]
	[ -L "$work/rootfs/bin/sh" ]
	[ -x "$work/rootfs/bin/busybox" ] && [ ! -L "$work/rootfs/bin/busybox" ]
	for d in proc sys dev tmp root etc usr/local/bin var run home; do
		[ -d "$work/rootfs/$d" ] && [ ! -L "$work/rootfs/$d" ]
	done
	[ "$(stat -c %a "$work/rootfs/tmp")" = 1777 ]
	[ ! -e "$work/rootfs/etc/hostname" ]
	run -0 grep -x 'root:x:0:0:root:/root:/bin/sh' "$work/rootfs/etc/passwd"
	run -0 grep '^nobody:x:65534:65534:' "$work/rootfs/etc/passwd"
	run -0 grep -x 'root:x:0:' "$work/rootfs/etc/group"
	requires_root
	run -0 chroot "$work/rootfs" /bin/sh -c 'echo "$((6 * 7))"; ls /usr/bin/awk'
	assert_output_equals $'42\n/usr/bin/awk'
}

@test "busybox.sh links every applet busybox lists, relatively" {
	"$scripts/busybox.sh" "$work/rootfs" >/dev/null
	local applet count=0
	while read -r applet; do
		[[ $applet == bin/busybox ]] && continue
		[[ -L $work/rootfs/$applet && $work/rootfs/$applet -ef $work/rootfs/bin/busybox ]] ||
			{ echo "$applet is not a symlink to bin/busybox"; return 1; }
		count=$((count + 1))
	done < <("$work/rootfs/bin/busybox" --list-full)
	[ "$count" -gt 100 ]
	[ "$(readlink "$work/rootfs/bin/sh")" = busybox ]
	[ "$(readlink "$work/rootfs/usr/bin/awk")" = ../../bin/busybox ]
}

@test "busybox.sh writes an os-release naming the busybox version" {
	"$scripts/busybox.sh" "$work/rootfs" >/dev/null
	local version
	version=$("$work/rootfs/bin/busybox" | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p')
	[ -n "$version" ]
	run -0 cat "$work/rootfs/etc/os-release"
	assert_line_equals 'NAME="BusyBox"'
	assert_line_equals 'ID=busybox'
	assert_line_equals "VERSION_ID=$version"
	assert_line_equals "PRETTY_NAME=\"nanoctr busybox rootfs (BusyBox v$version)\""
}

@test "busybox.sh is idempotent" {
	"$scripts/busybox.sh" "$work/rootfs" >/dev/null
	local before
	before=$(cd "$work/rootfs" && find . -printf '%p %y %m %l\n' | sort)
	rm "$work/rootfs/usr/bin/awk"
	run -0 "$scripts/busybox.sh" "$work/rootfs"
	[ "$(cd "$work/rootfs" && find . -printf '%p %y %m %l\n' | sort)" = "$before" ]
}

@test "busybox.sh accepts an empty directory" {
	mkdir "$work/rootfs"
	run -0 "$scripts/busybox.sh" "$work/rootfs"
	[ -x "$work/rootfs/bin/busybox" ]
}

@test "busybox.sh refuses a non-empty directory it did not make" {
	mkdir "$work/rootfs"
	echo precious >"$work/rootfs/file"
	run -1 --separate-stderr "$scripts/busybox.sh" "$work/rootfs"
	assert_stderr_equals "busybox.sh: $work/rootfs exists, is not empty and is not a nanoctr busybox rootfs: refusing"
	[ "$(ls -A "$work/rootfs")" = file ]
	[ "$(cat "$work/rootfs/file")" = precious ]
}

@test "busybox.sh refuses a symlink and a file" {
	mkdir "$work/real"
	ln -s real "$work/link"
	run -1 --separate-stderr "$scripts/busybox.sh" "$work/link"
	assert_stderr_equals "busybox.sh: $work/link is a symlink: refusing"
	[ -z "$(ls -A "$work/real")" ]
	touch "$work/file"
	run -1 --separate-stderr "$scripts/busybox.sh" "$work/file"
	assert_stderr_equals "busybox.sh: $work/file exists and is not a directory"
}

@test "tarball.sh unpacks a good tarball, keeping owners, without dev/*" {
	requires_root
	mkdir -p "$work/src/etc" "$work/src/dev" "$work/src/proc" "$work/src/bin"
	echo hello >"$work/src/etc/greeting"
	chown 1234:4321 "$work/src/etc/greeting"
	chmod 0640 "$work/src/etc/greeting"
	ln -s /etc/greeting "$work/src/bin/abs-link"
	mknod "$work/src/dev/null" c 1 3
	touch "$work/src/dev/console"
	make_tar good.tar
	run -0 --separate-stderr "$scripts/tarball.sh" "$work/good.tar" "$work/out"
	assert_output_equals "tarball.sh: unpacked $work/good.tar into $work/out (9 members)"
	[ "$(cat "$work/out/etc/greeting")" = hello ]
	[ "$(stat -c '%u:%g %a' "$work/out/etc/greeting")" = "1234:4321 640" ]
	[ "$(readlink "$work/out/bin/abs-link")" = /etc/greeting ]
	[ -d "$work/out/dev" ] && [ -z "$(ls -A "$work/out/dev")" ]
	[ -d "$work/out/proc" ] && [ -d "$work/out/sys" ]
}

@test "tarball.sh unpacks gzip and xz tarballs" {
	mkdir -p "$work/src/etc"
	echo hi >"$work/src/etc/x"
	make_tar t.tar.gz -z
	make_tar t.tar.xz -J
	run -0 "$scripts/tarball.sh" "$work/t.tar.gz" "$work/gz"
	run -0 "$scripts/tarball.sh" "$work/t.tar.xz" "$work/xz"
	[ "$(cat "$work/gz/etc/x")" = hi ] && [ "$(cat "$work/xz/etc/x")" = hi ]
}

@test "tarball.sh refuses a member with a .. component and extracts nothing" {
	mkdir -p "$work/src/etc"
	echo evil >"$work/src/evil"
	echo ok >"$work/src/etc/ok"
	tar -cf "$work/dotdot.tar" -P -C "$work/src" ./etc --transform 's,^\./evil$,../../evil,' ./evil
	run -0 tar -tPf "$work/dotdot.tar"
	assert_line_equals ../../evil
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/dotdot.tar" "$work/out"
	assert_stderr_equals "tarball.sh: refusing $work/dotdot.tar: member '../../evil' has a '..' component; nothing extracted"
	[ ! -e "$work/out" ]
	[ ! -e "$work/evil" ] && [ ! -e "$BATS_TEST_TMPDIR/../evil" ]
}

@test "tarball.sh refuses a member with an absolute path" {
	mkdir -p "$work/src"
	echo abs >"$work/src/abs"
	tar -cPf "$work/abs.tar" "$work/src/abs"
	mkdir "$work/out"
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/abs.tar" "$work/out"
	assert_stderr_equals "tarball.sh: refusing $work/abs.tar: member '$work/src/abs' has an absolute path; nothing extracted"
	[ -d "$work/out" ] && [ -z "$(ls -A "$work/out")" ]
}

@test "tarball.sh refuses proc, sys or dev as a symlink" {
	local d
	for d in proc sys dev; do
		rm -rf "$work/src"
		mkdir -p "$work/src/etc"
		ln -s "/$d" "$work/src/$d"
		make_tar "$d.tar"
		run -1 --separate-stderr "$scripts/tarball.sh" "$work/$d.tar" "$work/out"
		assert_stderr_equals "tarball.sh: refusing $work/$d.tar: member './$d' must be a directory; nothing extracted"
		[ ! -e "$work/out" ]
	done
}

@test "tarball.sh refuses a device node outside dev/" {
	requires_root
	mkdir -p "$work/src/tmp"
	mknod "$work/src/tmp/sda" b 8 0
	make_tar dev.tar
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/dev.tar" "$work/out"
	assert_stderr_equals "tarball.sh: refusing $work/dev.tar: member './tmp/sda' is a device node outside dev/; nothing extracted"
	[ ! -e "$work/out" ]
}

@test "tarball.sh refuses a hard link pointing outside" {
	requires_cmd python3
	python3 - "$work/hard.tar" <<-'EOF'
		import sys, tarfile
		with tarfile.open(sys.argv[1], "w") as t:
		    d = tarfile.TarInfo("etc"); d.type = tarfile.DIRTYPE; t.addfile(d)
		    h = tarfile.TarInfo("etc/x"); h.type = tarfile.LNKTYPE
		    h.linkname = "../../etc/passwd"; t.addfile(h)
	EOF
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/hard.tar" "$work/out"
	assert_stderr_equals "tarball.sh: refusing $work/hard.tar: hard link 'etc/x' points to '../../etc/passwd'; nothing extracted"
	[ ! -e "$work/out" ]
}

@test "tarball.sh refuses a non-empty or symlinked DIR and a bad archive" {
	mkdir -p "$work/src/etc"
	make_tar ok.tar
	mkdir "$work/full"
	touch "$work/full/x"
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/ok.tar" "$work/full"
	assert_stderr_equals "tarball.sh: $work/full is not empty: refusing to unpack into it"
	mkdir "$work/empty"
	ln -s empty "$work/link"
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/ok.tar" "$work/link"
	assert_stderr_equals "tarball.sh: $work/link is a symlink: refusing"
	[ -z "$(ls -A "$work/empty")" ]
	echo 'not a tarball' >"$work/bad.tar"
	run -1 --separate-stderr "$scripts/tarball.sh" "$work/bad.tar" "$work/out"
	assert_stderr_equals "tarball.sh: $work/bad.tar: cannot list it as a tar archive"
	[ ! -e "$work/out" ]
}

@test "tarball.sh never writes through a symlink in the tarball" {
	requires_cmd python3
	mkdir "$work/victim"
	python3 - "$work/sym.tar" "$work/victim" <<-'EOF'
		import io, sys, tarfile
		with tarfile.open(sys.argv[1], "w") as t:
		    s = tarfile.TarInfo("etc"); s.type = tarfile.SYMTYPE; s.linkname = sys.argv[2]; t.addfile(s)
		    f = tarfile.TarInfo("etc/evil"); f.size = 5; t.addfile(f, io.BytesIO(b"evil\n"))
	EOF
	run -1 "$scripts/tarball.sh" "$work/sym.tar" "$work/out"
	[ ! -e "$work/victim/evil" ]
	[ ! -e "$work/out" ]
}

@test "alpine.sh without a network fails with one clear line and leaves nothing" {
	requires_root
	requires_cmd unshare
	unshare -n true || skip "cannot create a network namespace"
	local before after
	before=$(ls -d /tmp/alpine-download.* 2>/dev/null || true)
	run -1 --separate-stderr unshare -n "$scripts/alpine.sh" "$work/alpine"
	assert_stderr_prefix "alpine.sh: cannot download https://"
	[[ $stderr == "alpine.sh: cannot download https://"*"/alpine-minirootfs-"*".tar.gz: no network? use rootfs-scripts/busybox.sh instead" ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ -z "$output" ]
	[ ! -e "$work/alpine" ]
	after=$(ls -d /tmp/alpine-download.* 2>/dev/null || true)
	[ "$before" = "$after" ]
}

@test "alpine.sh refuses a non-empty DIR before downloading" {
	mkdir "$work/alpine"
	touch "$work/alpine/x"
	run -1 --separate-stderr "$scripts/alpine.sh" "$work/alpine"
	assert_stderr_equals "alpine.sh: $work/alpine is not empty: refusing to unpack into it"
}
