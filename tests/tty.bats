#!/usr/bin/env bats
# -t/--tty and -i/--interactive (issue 5): a real terminal, driven with tmux. Each test
# starts a private tmux server (its own socket) with a fixed-size window running a plain
# bash, types into it with send-keys and reads the screen back with capture-pane.

# shellcheck disable=SC2016 # the container (or the pane's bash) expands $ in the scripts given to it

load helpers

setup() {
	requires_nanoctr
	requires_root
}

teardown() {
	[[ -n ${TMUX_SOCKET-} ]] || return 0
	local pid
	# Whatever a failed test left running in the pane: nanoctr processes, ended by id
	# (their containers die with them: PR_SET_PDEATHSIG).
	for pid in $(pane_children); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
	[[ -z ${TMUX_SOCKET_PATH-} ]] || rm -f -- "$TMUX_SOCKET_PATH"
}

# tmux_start [COLUMNS ROWS] — a tmux server of this test's own, one window (100x30 unless
# given) running bash with the prompt `host$ `, no rc files and no history file. Waits
# for the prompt.
tmux_start() {
	requires_cmd tmux
	unset TMUX TMUX_PANE # a private server, even when the tests run inside tmux
	TMUX_SOCKET=nanoctr-$BATS_TEST_NUMBER-$$
	tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s t -x "${1:-100}" -y "${2:-30}" \
		"env PS1='host\$ ' HISTFILE= bash --norc --noprofile -i"
	TMUX_SOCKET_PATH=$(tmux_cmd display -p '#{socket_path}')
	wait_for 'host\$'
}

# tmux_cmd ARGS... — a tmux command for the test's server.
tmux_cmd() {
	tmux -L "$TMUX_SOCKET" "$@"
}

# type_line TEXT — type TEXT literally, then Enter.
type_line() {
	tmux_cmd send-keys -t t -l -- "$1"
	tmux_cmd send-keys -t t Enter
}

# screen — the whole pane with its history, trailing blanks cut. Wrapped lines are not
# joined (-J): when a typed command fills the last column exactly, tmux would join the
# next line — the command's output — onto it. Output lines here are short.
screen() {
	tmux_cmd capture-pane -p -S - -t t | sed 's/[[:space:]]*$//'
}

# wait_for REGEX [SECONDS] — wait up to SECONDS (5) for a line of the screen to match
# REGEX (grep -E, the whole line); on time-out print the screen and fail.
wait_for() {
	local i
	for ((i = 0; i < ${2:-5} * 20; i++)); do
		screen | grep -qxE -- "$1" && return 0
		sleep 0.05
	done
	{
		echo "timed out waiting for a line matching: $1"
		echo "--- screen ---"
		screen
		echo "--------------"
	} >&2
	return 1
}

# pane_children — pids of the processes the pane's shell is running (its children).
pane_children() {
	local shell
	shell=$(tmux_cmd display -p -t t '#{pane_pid}' 2>/dev/null) || return 0
	children_of "$shell"
}

# wait_for_descendant PID COMM [foreground] — wait up to 5 s for a descendant of PID
# named COMM; with `foreground`, one whose process group is its terminal's foreground
# group (the one ^C reaches).
wait_for_descendant() {
	local i
	for ((i = 0; i < 100; i++)); do
		has_descendant "$@" && return 0
		sleep 0.05
	done
	echo "timed out waiting for a ${3:+$3 }$2 process beneath $1" >&2
	return 1
}

has_descendant() {
	local pid stat state ppid pgrp session tty tpgid
	for pid in $(children_of "$1"); do
		if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2" ]]; then
			[[ -z ${3-} ]] && return 0
			stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
			# shellcheck disable=SC2034 # fields before tpgid, named for reading
			read -r state ppid pgrp session tty tpgid _ <<<"${stat##*) }"
			[[ $pgrp == "$tpgid" ]] && return 0
		fi
		has_descendant "$pid" "$2" "${3-}" && return 0
	done
	return 1
}

# run_in_pane [NANOCTR-RUN-ARGS...] — type, in the pane's bash:
#   stty -g >before; nanoctr run -r ROOTFS ARGS...; echo rc=$?; stty -g >after
run_in_pane() {
	local line before after
	printf -v line '%q ' "$NANOCTR" run -r "$ROOTFS" "$@"
	printf -v before '%q' "$BATS_TEST_TMPDIR/stty.before"
	printf -v after '%q' "$BATS_TEST_TMPDIR/stty.after"
	type_line "stty -g >$before; ${line}; echo rc=\$?; stty -g >$after"
}

# wait_for_rc N — the pane's bash printed rc=N (maybe after a prompt or ^C on the line).
wait_for_rc() {
	wait_for ".*rc=$1"
}

# The busybox shell in the container has started and shows its prompt.
wait_for_container_shell() {
	wait_for "Enter 'help' for a list of built-in commands\."
	wait_for '/ #'
}

# assert_stty_restored — the host terminal's settings after nanoctr are those before.
assert_stty_restored() {
	local before after i
	wait_for 'host\$'
	for ((i = 0; i < 100; i++)); do
		[[ -s $BATS_TEST_TMPDIR/stty.after ]] && break
		sleep 0.05
	done
	before=$(cat "$BATS_TEST_TMPDIR/stty.before")
	after=$(cat "$BATS_TEST_TMPDIR/stty.after")
	[[ -n $before && $before == "$after" ]] ||
		_assert_fail "host terminal settings changed" "before: $before" "after:  $after"
}

@test "-it /bin/sh: tty is /dev/pts/0, the shell is PID 1, window size follows, exit 3 gives 3, terminal restored" {
	tmux_start
	run_in_pane -it /bin/sh
	wait_for_container_shell
	type_line 'tty'
	wait_for '/dev/pts/0'
	type_line 'echo "pid=$$"'
	wait_for 'pid=1'
	type_line 'echo "size=$(stty size)"'
	wait_for 'size=30 100'
	# While nanoctr runs, the host terminal is raw (no echo, no canonical mode).
	run -0 stty -a -F "$(tmux_cmd display -p -t t '#{pane_tty}')"
	[[ " ${output//$'\n'/ } " =~ [[:space:]]-icanon[[:space:]] ]] || _assert_fail "expected -icanon"
	[[ " ${output//$'\n'/ } " =~ [[:space:]]-echo[[:space:]] ]] || _assert_fail "expected -echo"

	tmux_cmd resize-window -t t -x 120 -y 40
	# SIGWINCH travels host pty -> nanoctr -> container pty asynchronously: let the
	# shell watch for it (at most 5 s), then report what it sees.
	type_line 'i=0; while [ "$(stty size)" != "40 120" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; echo "resized=$(stty size)"'
	wait_for 'resized=[0-9]+ [0-9]+'
	wait_for 'resized=40 120'

	type_line 'exit 3'
	wait_for_rc 3
	assert_stty_restored
}

@test "-it: Ctrl-C interrupts the container's foreground process, the shell survives" {
	tmux_start
	run_in_pane -it /bin/sh
	wait_for_container_shell
	type_line 'sleep 30'
	wait_for_descendant "$(tmux_cmd display -p -t t '#{pane_pid}')" sleep foreground
	tmux_cmd send-keys -t t C-c
	type_line 'echo "st=$?"'
	wait_for 'st=130'
	type_line 'echo "alive=$((6 * 7))"'
	wait_for 'alive=42'
	type_line 'exit'
	wait_for_rc 0
	assert_stty_restored
}

@test "-it with --init: tty is /dev/pts/0, the shell is PID 2 and has job control" {
	tmux_start
	run_in_pane --init -it /bin/sh
	wait_for_container_shell
	run -0 screen
	assert_output_not_contains 'job control turned off'
	type_line 'tty'
	wait_for '/dev/pts/0'
	type_line 'echo "pid=$$ init=$(cat /proc/1/comm)"'
	wait_for 'pid=2 init=nanoctr'
	type_line 'sleep 30 &'
	type_line 'jobs'
	wait_for '\[1\]\+ +Running +sleep 30'
	# fg brings it back; Ctrl-C then reaches it through the pty.
	type_line 'fg'
	wait_for_descendant "$(tmux_cmd display -p -t t '#{pane_pid}')" sleep foreground
	tmux_cmd send-keys -t t C-c
	type_line 'echo "st=$?"'
	wait_for 'st=130'
	type_line 'exit 5'
	wait_for_rc 5
	assert_stty_restored
}

@test "-it: the host terminal is restored when nanoctr is stopped by signals" {
	tmux_start
	run_in_pane -it /bin/sh
	wait_for_container_shell
	local pid
	pid=$(pane_children)
	[[ $pid =~ ^[0-9]+$ ]] || _assert_fail "expected one nanoctr process in the pane, got: $pid"
	[[ $(cat "/proc/$pid/comm") == nanoctr ]]
	# An interactive shell as PID 1 ignores SIGTERM; the second one kills (137). Two
	# signals sent at once could merge into one: send one every 0.2 s until it is gone.
	local i
	for ((i = 0; i < 25; i++)); do
		kill -TERM "$pid" 2>/dev/null || break
		sleep 0.2
	done
	wait_for_rc 137
	assert_stty_restored
}

@test "-it: the host terminal is restored when the command cannot be run" {
	tmux_start
	run_in_pane -it /nope
	wait_for 'nanoctr: /nope: No such file or directory'
	wait_for_rc 127
	assert_stty_restored
}

@test "-t with stdin not a terminal: a pty anyway, /dev/pts/0, exit 0" {
	run -0 --separate-stderr ctr -t tty </dev/null
	assert_output_equals $'/dev/pts/0\r'
	assert_stderr_equals ''
	run -4 ctr -t sh -c 'exit 4' </dev/null
}

@test "-t: the pty translates output newlines to \\r\\n" {
	run -0 bash -c '"$1" run -r "$2" -t echo x </dev/null | od -An -c' _ "$NANOCTR" "$ROOTFS"
	[[ ${output//[[:space:]]/} == 'x\r\n' ]] || _assert_fail "expected: x \\r \\n"
	# Without -t, output is untouched.
	run -0 bash -c '"$1" run -r "$2" echo x </dev/null | od -An -c' _ "$NANOCTR" "$ROOTFS"
	[[ ${output//[[:space:]]/} == 'x\n' ]] || _assert_fail "expected: x \\n"
}

@test "-it with piped stdin is refused as docker does (125, nothing run); -i alone pipes" {
	# A ^D written to a pty before the shell reads becomes a NUL once the shell
	# switches to raw mode, so the end of piped input could never be told: refuse.
	local before
	before=$(mounts_snapshot)
	run --separate-stderr bash -c 'printf "echo A\$((6*7))\n" | timeout -k 1 5 "$1" run -r "$2" -it sh' _ "$NANOCTR" "$ROOTFS"
	assert_status 125
	assert_output_equals ''
	assert_stderr_equals 'nanoctr: -it: the input device is not a TTY (use -i alone to pipe input)'
	[[ $(mounts_snapshot) == "$before" ]] || _assert_fail "mounts changed"
	run -0 bash -c 'printf "echo B\$((6*7))\n" | timeout -k 1 5 "$1" run -r "$2" -i sh' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals 'B42'
}

@test "without -i stdin is /dev/null; with -i it is nanoctr's stdin" {
	run -0 bash -c 'echo hi | "$1" run -r "$2" sh -c "readlink /proc/self/fd/0; cat"' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals '/dev/null'
	run -0 bash -c 'echo hi | "$1" run -r "$2" -i cat' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals 'hi'
}

@test "without -t the container has no controlling terminal, even run from a terminal" {
	tmux_start
	# $1 labels the lines: the same script runs twice on one screen.
	local script='echo "$1 tty=$(tty) tty_nr=$(cut -d" " -f7 /proc/self/stat)"; echo "$1 $(probe open /dev/tty) / $(probe tiocsti)"'
	run_in_pane sh -c "$script" sh A
	wait_for_rc 0
	wait_for 'A tty=not a tty tty_nr=0'
	wait_for 'A probe open: ENXIO / probe tiocsti: E[A-Z]+'
	# With -i the container's stdin is the host terminal itself: still not its
	# controlling terminal, and no keystrokes can be pushed into it.
	run_in_pane -i sh -c "echo \"B stdin=\$(readlink /proc/self/fd/0)\"; $script" sh B
	wait_for 'B stdin=/dev/pts/[0-9]+'
	wait_for 'B tty=not a tty tty_nr=0'
	wait_for 'B probe open: ENXIO / probe tiocsti: E[A-Z]+'
	wait_for_rc 0
	run -0 screen
	assert_output_not_contains 'probe tiocsti: ok'
}

@test "without -t, Ctrl-C in the host terminal stops an --init container with 130" {
	tmux_start
	run_in_pane --init sleep 30
	wait_for_descendant "$(tmux_cmd display -p -t t '#{pane_pid}')" sleep
	tmux_cmd send-keys -t t C-c
	wait_for_rc 130
	assert_stty_restored
}

# --- issue 9: the terminal ---

# pane_tty — the host terminal the pane's shell (and nanoctr in it) runs on.
pane_tty() {
	tmux_cmd display -p -t t '#{pane_tty}'
}

# wait_gone PID — wait up to 5 s for process PID to end.
wait_gone() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	echo "process $1 ($(cat "/proc/$1/comm" 2>/dev/null)) still running after 5 s" >&2
	return 1
}

@test "-t: when our output goes away the pty is hung up and nanoctr ends: yes | head -1 gives 137 (PID 1 cannot hear SIGHUP), --init 129, nothing left" {
	local marker=nanoctr-tty-$BATS_TEST_NUMBER-$$
	# `timeout -v` would say on stderr that it had to kill nanoctr.
	run -0 --separate-stderr bash -c 'timeout -v -s KILL 20 "$1" run -r "$2" -t yes "$3" </dev/null | head -1
		echo "status=${PIPESTATUS[0]}"' _ "$NANOCTR" "$ROOTFS" "$marker"
	assert_output_equals "$marker"$'\r\nstatus=137'
	assert_stderr_equals ''
	run -1 pgrep -f -- "$marker"
	# With --init the command leads the pty's session: the hangup's SIGHUP kills it.
	run -0 --separate-stderr bash -c 'timeout -v -s KILL 20 "$1" run -r "$2" --init -t yes "$3" </dev/null | head -1
		echo "status=${PIPESTATUS[0]}"' _ "$NANOCTR" "$ROOTFS" "$marker"
	assert_output_equals "$marker"$'\r\nstatus=129'
	assert_stderr_equals ''
	run -1 pgrep -f -- "$marker"
}

@test "-t: after the hangup a shell loop that ignores write errors ends too; a PID 1 that traps SIGHUP decides" {
	local loop='while :; do echo y; done'
	run -0 --separate-stderr bash -c 'timeout -v -s KILL 20 "$1" run -r "$2" -t sh -c "$3" </dev/null | head -1
		echo "status=${PIPESTATUS[0]}"' _ "$NANOCTR" "$ROOTFS" "$loop"
	assert_output_equals $'y\r\nstatus=137'
	assert_stderr_equals ''
	run -0 --separate-stderr bash -c 'timeout -v -s KILL 20 "$1" run -r "$2" --init -t sh -c "$3" </dev/null | head -1
		echo "status=${PIPESTATUS[0]}"' _ "$NANOCTR" "$ROOTFS" "$loop"
	assert_output_equals $'y\r\nstatus=129'
	assert_stderr_equals ''
	run -0 --separate-stderr bash -c 'timeout -v -s KILL 20 "$1" run -r "$2" -t sh -c "trap \"exit 7\" HUP; $3" </dev/null | head -1
		echo "status=${PIPESTATUS[0]}"' _ "$NANOCTR" "$ROOTFS" "$loop"
	assert_output_equals $'y\r\nstatus=7'
	assert_stderr_equals ''
}

@test "-t: a full disk as our output (ENOSPC) ends the relay too" {
	run --separate-stderr bash -c 'timeout -v -s KILL 20 "$1" run -r "$2" -t yes </dev/null >/dev/full' _ "$NANOCTR" "$ROOTFS"
	assert_status 137
	assert_output_equals ''
	assert_stderr_equals ''
}

@test "-t: a non-blocking stdout that fills up (EAGAIN) loses nothing" {
	local nonblock=$ROOTFS/usr/local/bin/nonblock
	[[ -x $nonblock ]] || skip "nonblock was not built"
	# The reader starts late, so that the pipe fills and nanoctr's writes say EAGAIN.
	run -0 bash -c '"$1" 1 "$2" run -r "$3" -t sh -c "seq 1 50000; echo end" </dev/null |
		{ sleep 1; tr -d "\r" | sed -n "1p;\$p;\$="; }' _ "$nonblock" "$NANOCTR" "$ROOTFS"
	assert_output_equals $'1\nend\n50001'
}

@test "-t: when our terminal hangs up (its window closed), nanoctr ends the container and exits" {
	local marker=nanoctr-tty-$BATS_TEST_NUMBER-$$ pid
	tmux_start
	run_in_pane -t yes "$marker"
	wait_for_descendant "$(tmux_cmd display -p -t t '#{pane_pid}')" yes
	pid=$(pane_children)
	[[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm") == nanoctr ]] ||
		_assert_fail "expected one nanoctr process in the pane, got: $pid"
	tmux_cmd kill-server
	wait_gone "$pid" || { kill -KILL "$pid"; return 1; }
	run -1 pgrep -f -- "$marker"
}

@test "-t: the size is on the pty before the command starts, from stdin (20 of 20 runs), else from stdout (20 of 20)" {
	local out=$BATS_TEST_TMPDIR/sizes line
	tmux_start 100 40
	printf -v line '%q ' "$NANOCTR" run -r "$ROOTFS" -t stty size
	# stdin the terminal, stdout a file
	type_line "for i in \$(seq 20); do ${line}; done >$(printf %q "$out"); echo loop-a-done"
	wait_for 'loop-a-done' 60
	run -0 bash -c 'tr -d "\r" <"$1" | sort | uniq -c' _ "$out"
	[[ $output =~ ^\ *20\ 40\ 100$ ]] || _assert_fail "expected 20 lines '40 100'"
	# stdin not a terminal, stdout the terminal
	type_line "for i in \$(seq 20); do ${line} </dev/null; done; echo loop-b-done"
	wait_for 'loop-b-done' 60
	run -0 screen
	[[ $(grep -cx '40 100' <<<"$output") == 20 ]] || _assert_fail "expected 20 lines '40 100' on the screen"
	[[ $(grep -cx '0 0' <<<"$output") == 0 ]] || _assert_fail "a command saw 0 0"
}

# has_flag OUTPUT FLAG — stty -a's OUTPUT lists FLAG as a word (`icanon`, not `-icanon`).
has_flag() {
	[[ " ${1//$'\n'/ } " =~ [[:space:]]$2[[:space:]] ]]
}

@test "-t without -i: the host terminal stays cooked and ^C stops an --init container (130)" {
	tmux_start
	run_in_pane --init -t sleep 100
	wait_for_descendant "$(tmux_cmd display -p -t t '#{pane_pid}')" sleep
	run -0 stty -a -F "$(pane_tty)"
	has_flag "$output" icanon && has_flag "$output" echo && has_flag "$output" isig ||
		_assert_fail "expected the host terminal cooked (icanon echo isig)"
	tmux_cmd send-keys -t t C-c
	wait_for_rc 130
	assert_stty_restored
}

@test "-t without -i: ^C reaches a PID 1 without --init; it ignores SIGINT, the second ^C kills (137)" {
	tmux_start
	run_in_pane -t sleep 100
	wait_for_descendant "$(tmux_cmd display -p -t t '#{pane_pid}')" sleep
	local pid i
	pid=$(pane_children)
	# Two ^C sent at once could merge into one signal: one every 0.2 s until it is gone.
	for ((i = 0; i < 25; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		tmux_cmd send-keys -t t C-c
		sleep 0.2
	done
	wait_for_rc 137
	assert_stty_restored
}

@test "-t: /dev/console is the container's pty (bound over a file in its own /dev); without -t there is none" {
	run -0 --separate-stderr ctr -t sh -c 'tty; stat -c "%t:%T %u:%g %a" /dev/console "$(tty)"
		[ /dev/console -ef "$(tty)" ] && echo same; echo to-console >/dev/console
		grep -c " /dev/console " /proc/self/mountinfo' </dev/null
	assert_output_equals $'/dev/pts/0\r\n88:0 0:5 620\r\n88:0 0:5 620\r\nsame\r\nto-console\r\n1\r'
	assert_stderr_equals ''
	run -0 ctr sh -c '[ -e /dev/console ] && echo present || echo none'
	assert_output_equals 'none'
}

@test "--user: stdio pipes are handed to the user (runc's rule): /dev/stdout, /dev/stderr, /dev/stdin reopen" {
	run -0 --separate-stderr bash -c '"$1" run -r "$2" -u 1000 sh -c "echo hi >/dev/stdout; echo err >/dev/stderr" 2>&1 | cat' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals $'hi\nerr'
	assert_stderr_equals ''
	run -0 --separate-stderr bash -c 'echo in | "$1" run -r "$2" -i -u 1000:1000 cat /dev/stdin | cat' _ "$NANOCTR" "$ROOTFS"
	assert_output_equals 'in'
	assert_stderr_equals ''
}

@test "-t --user: the pty, also at /dev/console, is the user's (group tty kept)" {
	run -0 --separate-stderr ctr -t -u 1000 sh -c 'stat -c "%u:%g %a" "$(tty)" /dev/console; echo hi >"$(tty)"' </dev/null
	assert_output_equals $'1000:5 620\r\n1000:5 620\r\nhi\r'
	assert_stderr_equals ''
}

@test "--user: a host file, FIFO or terminal given as stdio keeps its owner" {
	local file=$BATS_TEST_TMPDIR/out fifo=$BATS_TEST_TMPDIR/fifo
	run -0 bash -c '"$1" run -r "$2" -u 1000 echo kept >"$3"' _ "$NANOCTR" "$ROOTFS" "$file"
	[[ $(cat "$file") == kept && $(stat -c %u "$file") == 0 ]] ||
		_assert_fail "expected $file to hold 'kept' and stay root's: $(stat -c %u "$file")"
	mkfifo "$fifo"
	run -0 bash -c 'cat "$3" >/dev/null & "$1" run -r "$2" -u 1000 true >"$3"; st=$?; wait; exit $st' _ "$NANOCTR" "$ROOTFS" "$fifo"
	[[ $(stat -c %u "$fifo") == 0 ]] || _assert_fail "the FIFO changed hands: $(stat -c %u "$fifo")"
	tmux_start
	local tty owner
	tty=$(pane_tty)
	owner=$(stat -c %u "$tty")
	run_in_pane -u 1000 sh -c 'echo "uid=$(id -u)"'
	wait_for 'uid=1000'
	wait_for_rc 0
	[[ $(stat -c %u "$tty") == "$owner" ]] || _assert_fail "the host terminal changed hands: $(stat -c %u "$tty")"
}
