#!/usr/bin/env bats
# The binary itself: static, freestanding, small, warning-free, installable.

load helpers

setup_file() {
	REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	export REPO
}

@test "the binary is static: no PT_INTERP, no dynamic section" {
	run readelf -lW "$NANOCTR"
	[ "$status" -eq 0 ]
	[[ $output == *"LOAD"* ]]
	[[ $output != *"INTERP"* ]]
	[[ $output != *"DYNAMIC"* ]]
	run readelf -dW "$NANOCTR"
	[[ $output == *"no dynamic section"* ]]
}

@test "nothing of a libc is linked: only our own symbols, entry is start.S's _start" {
	# A fresh unstripped link of the same objects, to read its symbols.
	local out=$BATS_TEST_TMPDIR/nanoctr.full
	run make -s -C "$REPO" nanoctr
	[ "$status" -eq 0 ]
	cc -nostdlib -static -no-pie -Wl,--gc-sections -o "$out" "$REPO"/start.o "$REPO"/src/*.o
	run nm "$out"
	[ "$status" -eq 0 ]
	[[ $output == *" T _start"* ]]
	# libc's tell-tale symbols must be absent
	for sym in __libc_start_main errno malloc printf __stack_chk_fail environ; do
		if grep -qw -- "$sym" <<<"$output"; then
			echo "unexpected libc symbol: $sym"
			return 1
		fi
	done
	entry=$(readelf -hW "$out" | awk '/Entry point/ { print $4 }')
	grep -q "^0*${entry#0x} T _start$" <<<"$output"
}

@test "stripped size is within the 64 KiB budget (issue 10)" {
	size=$(stat -c %s "$NANOCTR")
	echo "size: $size"
	[ "$size" -le 65536 ]
}

@test "the build is warning-free with -Wall -Wextra" {
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree"
	cp -a "$REPO"/Makefile "$REPO"/start.S "$REPO"/src "$REPO"/syscalls "$tree"/
	rm -f "$tree"/src/*.o "$tree"/start.o
	run make -C "$tree"
	[ "$status" -eq 0 ]
	if grep -i 'warning' <<<"$output"; then
		return 1
	fi
	[ -x "$tree/nanoctr" ]
}

@test "make install honours PREFIX and DESTDIR" {
	local dest=$BATS_TEST_TMPDIR/dest
	run make -s -C "$REPO" install PREFIX=/opt/nc DESTDIR="$dest"
	[ "$status" -eq 0 ]
	[ -x "$dest/opt/nc/bin/nanoctr" ]
	[ -f "$dest/opt/nc/share/man/man1/nanoctr.1" ]
	cmp "$dest/opt/nc/bin/nanoctr" "$REPO/nanoctr"
}

@test "make size prints the stripped size" {
	run make -s -C "$REPO" size
	[ "$status" -eq 0 ]
	# One line per binary built: ./nanoctr, and ./nanoctr-ARCH when cross-compiled (aarch64.bats).
	assert_line_equals "nanoctr: $(stat -c %s "$REPO/nanoctr") bytes stripped (budget 65536)"
}
