# tests/qemu/lib.bash — what qemu.bats and aarch64.bats share: reading the reports that
# tests/qemu/test-init.sh printed on a guest's serial console (kept, cleaned, in
# $BATS_FILE_TMPDIR/serial.txt by each file's setup_file).

# serial_clean LOG OUT — the serial log without CRs and terminal escapes (serial lines end
# in CR LF, and the firmware's escapes precede the first).
serial_clean() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' >"$2"
}

# qemu_check NAME — load check NAME's report into $status, $output and $lines (its
# stdout) and $stderr, and print them (bats shows them when the test fails). Fails,
# showing the end of the serial log, when the check never reported.
qemu_check() {
	local log=$BATS_FILE_TMPDIR/serial.txt
	[ -z "$QEMU_SKIP" ] || skip "$QEMU_SKIP"
	status=$(sed -n "s/^QEMU-RESULT $1 status=\([0-9]*\).*/\1/p" "$log" | tail -n 1)
	if [ -z "$status" ]; then
		echo "check '$1' did not report (qemu exit status $QEMU_STATUS); end of serial log:"
		tail -n 40 "$log"
		return 1
	fi
	output=$(sed -n "s/^QEMU-OUT $1: //p" "$log")
	stderr=$(sed -n "s/^QEMU-ERR $1: //p" "$log")
	mapfile -t lines <<<"$output"
	printf 'check %s: status=%s\nstdout:\n%s\nstderr:\n%s\n' "$1" "$status" "$output" "$stderr"
}

# value KEY — the value of the first "KEY=value" line of $output.
value() {
	sed -n "s/^$1=//p" <<<"$output" | head -n 1
}

# not COMMAND... — succeed only when COMMAND fails (a bare `! cmd` never fails a bats test).
not() {
	! "$@"
}

