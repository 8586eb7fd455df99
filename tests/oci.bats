#!/usr/bin/env bats
# The OCI runtime commands (src/oci-run.c on the run engine): create, start, state, kill,
# delete, run, list, ps; the pid file, exec.fifo, console socket, --preserve-fds,
# LISTEN_FDS, --log json lines, the v1 device cgroup. Bundles come from `nanoctr spec` +
# jq on a fresh copy of the test rootfs. The OCI commands are built with `make OCI=1`
# (over the size budget for now: see the notes), into this file's temp dir.

load helpers
load oci-lib

setup_file() {
	oci_setup_file
	musl-gcc -static -Os -Wall -Wextra -Werror -o "$BATS_FILE_TMPDIR/console-recv" \
		"$REPO/tests/progs/console-recv.c"
}

setup() {
	oci_setup oci-test
}

teardown() {
	oci_teardown
}

# wait_status ID STATUS — until `state` says STATUS (an event, not a time; 20 s cap)
wait_status() {
	local i
	for ((i = 0; i < 2000; i++)); do
		[[ $(oci state "$1" | jq -r .status) == "$2" ]] && return 0
		sleep 0.01
	done
	echo "never $2: $(oci state "$1")" >&2
	return 1
}

# nothing of container ID left: no state directory, no cgroup, no process
nothing_left() {
	[[ ! -e $STATE/$1 ]]
	[[ ! -e $(own_cgroup memory)/$CG ]]
	! pgrep -f "^sleep 10${BATS_TEST_NUMBER}\$" >/dev/null
}

@test "create/start/state/kill/delete: statuses, JSON fields, pid file, exec.fifo, cgroup" {
	make_bundle ".process.args = [\"sh\", \"-c\", \"echo started > /ready; exec sleep 10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" c1 >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[[ $pid =~ ^[0-9]+$ ]]				# digits only, no newline
	[[ $(stat -c %s "$BATS_TEST_TMPDIR/pid") -eq ${#pid} ]]
	run -0 oci state c1
	jq -e --arg pid "$pid" --arg b "$B" --arg r "$(fresh_rootfs)" '
		.ociVersion == "1.0.2" and .id == "c1" and .pid == ($pid | tonumber) and
		.status == "created" and .bundle == $b and .rootfs == $r and .owner == "" and
		(.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\\.[0-9]+)?Z$"))' <<<"$output"
	[[ -p $STATE/c1/exec.fifo ]]
	[[ ! -e $(fresh_rootfs)/ready ]]		# blocked before its exec
	grep -qx "$pid" "$(own_cgroup memory)/$CG/cgroup.procs"
	run -1 --separate-stderr oci delete c2
	[[ $stderr == "nanoctr: container c2 does not exist" ]]

	run -0 oci start c1
	[[ ! -e $STATE/c1/exec.fifo ]]
	for ((i = 0; i < 2000; i++)); do [[ -e $(fresh_rootfs)/ready ]] && break; sleep 0.01; done
	[[ $(cat "$(fresh_rootfs)/ready") == started ]]
	[[ $(oci state c1 | jq -r .status) == running ]]
	run -1 --separate-stderr oci start c1
	[[ $stderr == "nanoctr: c1: cannot start an already running container" ]]
	run -1 --separate-stderr oci delete c1
	[[ $stderr == "nanoctr: cannot delete container c1 that is not stopped: running" ]]
	run -0 oci ps --format json c1
	jq -e --arg pid "$pid" '. == [($pid | tonumber)]' <<<"$output"
	run -0 oci list --format json
	jq -e '[.[] | .id] == ["c1"]' <<<"$output"

	run -0 oci kill c1 SIGKILL
	wait_status c1 stopped
	[[ $(oci state c1 | jq .pid) == 0 ]]
	run -0 oci delete c1
	run -1 --separate-stderr oci state c1
	[[ $stderr == "nanoctr: container c1 does not exist" ]]
	nothing_left c1
	run -0 oci delete --force c1		# unknown with --force: 0
}

@test "kill: signal by name or number, with or without SIG; --all reaches every process" {
	make_bundle ".process.args = [\"sh\", \"-c\", \"trap 'echo term > /got; exit 0' TERM; sleep 10$BATS_TEST_NUMBER & sleep 10$BATS_TEST_NUMBER & wait\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	for ((i = 0; i < 2000; i++)); do [[ $(oci ps --format json c1 | jq length) == 3 ]] && break; sleep 0.01; done
	run -1 --separate-stderr oci kill c1 SIGFOO
	[[ $stderr == "nanoctr: FOO: unknown signal" ]]
	run -0 oci kill --all c1 0	# kill(2)'s 0: is it there (runc's tests; was "unknown signal")
	run -0 oci kill c1 TERM
	for ((i = 0; i < 2000; i++)); do [[ -e $(fresh_rootfs)/got ]] && break; sleep 0.01; done
	[[ $(cat "$(fresh_rootfs)/got") == term ]]
	wait_status c1 stopped
	# PID 1 gone, the two sleeps were killed by the kernel with the pid namespace;
	# --all on a second container whose init ignores the signal
	oci delete c1
	make_bundle ".process.args = [\"sh\", \"-c\", \"trap '' TERM; sleep 10$BATS_TEST_NUMBER & sleep 10$BATS_TEST_NUMBER & wait\"]"
	oci create --bundle "$B" c2 >/dev/null 2>&1
	oci start c2
	for ((i = 0; i < 2000; i++)); do [[ $(oci ps --format json c2 | jq length) == 3 ]] && break; sleep 0.01; done
	run -0 oci kill --all c2 9
	wait_status c2 stopped
	for ((i = 0; i < 2000; i++)); do [[ $(oci ps --format json c2) == '[]' ]] && break; sleep 0.01; done
	[[ $(oci ps --format json c2) == '[]' ]]
	run -1 --separate-stderr oci kill c2 KILL
	[[ $stderr == "nanoctr: c2: container not running" ]]
	oci delete c2
	nothing_left c2
}

@test "delete: a created container's init is killed (0); --force kills a running one" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" c1 >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	run -0 oci delete c1
	! grep -q "^[^)]*) [^ZX]" /proc/$pid/stat 2>/dev/null	# gone or a zombie
	nothing_left c1
	oci create --bundle "$B" c2 >/dev/null 2>&1
	oci start c2
	run -1 oci delete c2
	run -0 oci delete --force c2
	nothing_left c2
}

@test "create/start as process.user 1234:2345 under umask 022: the init opens exec.fifo (0622)" {
	# The fifo was 0600 (mknod under the caller's umask): the init, already uid 1234,
	# could not open it and died silently between create and start (podman -u 1234).
	make_bundle '.process.user = {"uid": 1234, "gid": 2345} | .process.args = ["sh", "-c", "echo $(id -u):$(id -g)"]'
	(umask 022 && oci create --bundle "$B" c1 >"$BATS_TEST_TMPDIR/out" 2>&1)
	[[ $(stat -c %a "$STATE/c1/exec.fifo") == 622 ]]
	run -0 --separate-stderr oci start c1
	wait_status c1 stopped
	[[ $(cat "$BATS_TEST_TMPDIR/out") == 1234:2345 ]]
	run -0 oci delete c1
	nothing_left c1
}

@test "create: the command is checked first, with the phrases podman matches; nothing left" {
	make_bundle '.process.args = ["no-such-command"]'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == 'nanoctr: no-such-command: executable file not found in $PATH' ]]
	nothing_left c1
	make_bundle '.process.args = ["/no/such"]'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: /no/such: No such file or directory" ]]
	make_bundle '.process.args = ["/etc/passwd"]'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: /etc/passwd: Permission denied" ]]
	nothing_left c1
	[[ -z $(ls "$STATE") ]]
}

@test "bad bundles: one line, exit 1, the json log line, nothing left; duplicate ID" {
	mkdir -p "$B"
	echo '{"ociVersion": "1.0.2", "process": ' >"$B/config.json"
	run -1 --separate-stderr "$OCI" --root "$STATE" --log "$BATS_TEST_TMPDIR/log" \
		--log-format json create --bundle "$B" c1
	[[ $stderr == "nanoctr: config.json: "*" at offset "* ]]
	[[ $(wc -l <<<"$stderr") -eq 1 ]]
	jq -e --arg msg "${stderr#nanoctr: }" '.level == "error" and .msg == $msg and
		(.time | test("Z$"))' "$BATS_TEST_TMPDIR/log"
	[[ ! -e $STATE/c1 ]]
	run -1 --separate-stderr oci create --bundle "$BATS_TEST_TMPDIR/none" c1
	[[ $stderr == "nanoctr: bundle: $BATS_TEST_TMPDIR/none: No such file or directory" ]]
	make_bundle '.linux.namespaces += [{"type": "foo"}]'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == 'nanoctr: config.json: linux.namespaces['*'].type: unknown namespace "foo"' ]]
	run -1 --separate-stderr oci create --bundle "$B" a/b
	[[ $stderr == "nanoctr: invalid id format: a/b" ]]
	run -1 --separate-stderr "$OCI" --systemd-cgroup --root "$STATE" state x
	[[ $stderr == "nanoctr: --systemd-cgroup: not supported: nanoctr manages cgroupfs paths only" ]]
	run -1 --separate-stderr "$OCI" --root "" state x	# the option named (was "nanoctr: : ...")
	[[ $stderr == 'nanoctr: --root "": No such file or directory' ]]
	nothing_left c1
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: container with id exists: c1" ]]
	[[ $(oci state c1 | jq -r .status) == created ]]	# the first one untouched
	oci delete c1
	nothing_left c1
}

@test "stdio, --preserve-fds and LISTEN_FDS: only those reach the container" {
	make_bundle '.process.args = ["sh", "-c", "ls /proc/self/fd | sort -n | tr \"\\n\" \" \"; echo; cat <&3; env | grep ^LISTEN | sort"]'
	echo three >"$BATS_TEST_TMPDIR/f3"
	oci create --bundle "$B" --preserve-fds 1 c1 3<"$BATS_TEST_TMPDIR/f3" 7<"$BATS_TEST_TMPDIR/f3" \
		>"$BATS_TEST_TMPDIR/out" 2>&1
	oci start c1
	wait_status c1 stopped
	# 4 is ls's own directory fd; fd 7 (not preserved) is not there
	[[ $(sed -n 1p "$BATS_TEST_TMPDIR/out") == "0 1 2 3 4 " ]]
	[[ $(sed -n 2p "$BATS_TEST_TMPDIR/out") == three ]]
	[[ $(wc -l <"$BATS_TEST_TMPDIR/out") -eq 2 ]]
	oci delete c1
	LISTEN_FDS=1 "$OCI" --root "$STATE" create --bundle "$B" c2 3<"$BATS_TEST_TMPDIR/f3" \
		7<"$BATS_TEST_TMPDIR/f3" >"$BATS_TEST_TMPDIR/out" 2>&1
	oci start c2
	wait_status c2 stopped
	[[ $(sed -n 1p "$BATS_TEST_TMPDIR/out") == "0 1 2 3 4 " ]]
	[[ $(sed -n 2p "$BATS_TEST_TMPDIR/out") == three ]]
	[[ $(sed -n 3,4p "$BATS_TEST_TMPDIR/out") == $'LISTEN_FDS=1\nLISTEN_PID=1' ]]
	oci delete c2
}

@test "console socket: one message, one fd (cmsg_len checked), the container's pty; size" {
	make_bundle '.process.terminal = true | .process.consoleSize = {"height": 30, "width": 100} |
		.process.args = ["sh", "-c", "tty; stat -c %t:%T /dev/console; stty size"]'
	sock=$BATS_TEST_TMPDIR/sock
	"$BATS_FILE_TMPDIR/console-recv" "$sock" >"$BATS_TEST_TMPDIR/recv" 2>&1 &
	recv=$!
	while [[ ! -S $sock ]]; do sleep 0.01; done
	run -1 --separate-stderr oci create --bundle "$B" c0
	[[ $stderr == "nanoctr: process.terminal: a --console-socket is needed for a terminal" ]]
	oci create --bundle "$B" --console-socket "$sock" c1 >/dev/null 2>&1
	oci start c1
	wait "$recv"
	tr -d '\r' <"$BATS_TEST_TMPDIR/recv" >"$BATS_TEST_TMPDIR/out"
	[[ $(cat "$BATS_TEST_TMPDIR/out") == $'cmsg ok\n/dev/pts/0\n88:0\n30 100' ]]
	# The pty's EOF comes when the init closes its files, before it has exited.
	wait_status c1 stopped
	oci delete c1
}

# runc's checkTerminal: in the foreground (run without --detach, exec without it) nanoctr
# keeps the terminal and relays it with its own stdio; a console socket is only for a
# terminal handed over when nanoctr detaches. Signals to a foreground run reach the
# container (runc's signal proxy); the pid file of a foreground exec is written too.
@test "foreground run and exec with a terminal: relayed by nanoctr (runc); console socket rules; signals forwarded" {
	make_bundle '.process.terminal = true | .process.args = ["sh", "-c", "tty; stty size; [ -t 0 ] && echo stdin-tty; exit 3"]'
	# (script's stdin, /dev/null, ends at once: the ^D it types may come echoed as ^@)
	run -0 script -qec "stty rows 21 cols 81; $OCI --root $STATE run --bundle $B c1; echo status=\$?" /dev/null
	[[ $(tr -d '\r' <<<"$output" | sed 's/^^[@D]//') == $'/dev/pts/0\n21 81\nstdin-tty\nstatus=3' ]]
	nothing_left c1
	# input from a pipe reaches the terminal too, its end an end of file (runc copies stdin)
	make_bundle '.process.terminal = true | .process.args = ["cat"]'
	run -0 --separate-stderr bash -c "printf 'a\nb\n' | timeout 20 $OCI --root $STATE run --bundle $B c1"
	[[ $(tr -d '\r' <<<"$output") == $'a\nb\na\nb' ]]	# the pty's echo, then cat's
	nothing_left c1
	make_bundle '.process.terminal = true | .process.args = ["true"]'
	run -1 --separate-stderr oci run --bundle "$B" --console-socket "$BATS_TEST_TMPDIR/none" c1
	[[ $stderr == "nanoctr: --console-socket: only for a process.terminal, with create or run --detach (runc: \"cannot use console socket if runc will not detach or allocate tty\")" ]]
	make_bundle '.process.args = ["true"]'
	run -1 --separate-stderr oci create --bundle "$B" --console-socket "$BATS_TEST_TMPDIR/none" c1
	[[ $stderr == "nanoctr: --console-socket: only for a process.terminal, with create or run --detach (runc: \"cannot use console socket if runc will not detach or allocate tty\")" ]]
	nothing_left c1
	# a foreground run: SIGTERM reaches the container's shell; its status, nothing left
	make_bundle ".process.args = [\"sh\", \"-c\", \"trap 'echo got-term; exit 5' TERM; echo ready; sleep 10$BATS_TEST_NUMBER & wait\"]"
	"$OCI" --root "$STATE" run --bundle "$B" c1 >"$BATS_TEST_TMPDIR/out" 2>&1 &	# (not a function: $! is nanoctr)
	run_pid=$!
	until grep -q ready "$BATS_TEST_TMPDIR/out"; do sleep 0.01; done
	kill -TERM "$run_pid"
	wait "$run_pid" || status=$?
	[[ $status == 5 && $(cat "$BATS_TEST_TMPDIR/out") == $'ready\ngot-term' ]]
	nothing_left c1
	# exec -t in the foreground, and its pid file
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	run -0 script -qec "$OCI --root $STATE exec -t --pid-file $BATS_TEST_TMPDIR/pid c1 sh -c 'tty; exit 4'; echo status=\$?" /dev/null
	[[ $(tr -d '\r' <<<"$output" | sed 's/^^[@D]//') == $'/dev/pts/0\nstatus=4' ]]
	[[ $(cat "$BATS_TEST_TMPDIR/pid") =~ ^[0-9]+$ ]]
	oci delete --force c1
	nothing_left c1
}

@test "exec --preserve-fds N: fds 3 .. 3+N-1 reach the process, no other (podman exec --preserve-fds; was unknown)" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	echo three >"$BATS_TEST_TMPDIR/f3"
	run -0 --separate-stderr oci exec --preserve-fds 1 c1 sh -c 'cat <&3; ls /proc/self/fd | sort -n | tr "\n" " "' \
		3<"$BATS_TEST_TMPDIR/f3" 5<"$BATS_TEST_TMPDIR/f3"
	[[ ${lines[0]} == three && ${lines[1]} == "0 1 2 3 "* && ${lines[1]} != *" 5 "* ]]	# (4: ls's own)
	run -255 --separate-stderr oci exec --preserve-fds x c1 true
	[[ $stderr == "nanoctr: x: --preserve-fds expects a number below 1024" ]]
	oci delete --force c1
	nothing_left c1
}

@test "device cgroup (v1): a node made with CAP_MKNOD outside the rules cannot be opened" {
	[[ $(cgroup_version devices) == 1 ]] || skip "no v1 device cgroup"
	# /dev/fuse's numbers (mode 0666: opening needs no capability), not in the
	# default allowed list; on a tmpfs without nodev, with CAP_MKNOD as podman keeps it.
	# (A disk, b 254:0 here, could not be opened even without rules in this VM.)
	open_node='mknod /mnt/node c 10 229 && echo -n > /mnt/node && echo opened'
	common='.mounts += [{"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}] |
		.process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] |
		.process.capabilities.permitted += ["CAP_MKNOD"]'
	make_bundle "$common | .process.args = [\"sh\", \"-c\", \"$open_node\"]"
	run -0 oci run --bundle "$B" c1			# without rules: it opens (the threat)
	[[ $output == opened ]]
	make_bundle "$common | .process.args = [\"sh\", \"-c\", \"$open_node\"] |
		.linux.resources.devices = [{\"allow\": false, \"access\": \"rwm\"}]"
	run -1 --separate-stderr oci run --bundle "$B" c2
	[[ $stderr == *"/mnt/node: Operation not permitted" ]]
	[[ $output == "" ]]
	nothing_left c2
}

@test "linux.devices: nodes made beneath /dev (parents, mode, owner; existing kept); other paths refused; bind where mknod is denied" {
	local devs='[{"path": "/dev/x/./y/disk", "type": "b", "major": 7, "minor": 0, "fileMode": 416, "uid": 12, "gid": 34},
		{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 384}, {"path": "/dev/fifo", "type": "p"}]'
	make_bundle ".linux.devices = $devs | .process.args = [\"stat\", \"-c\", \"%n %F %t:%T %a %u:%g\", \"/dev/x/y/disk\", \"/dev/null\", \"/dev/fifo\"]"
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == "/dev/x/y/disk block special file 7:0 640 12:34
/dev/null character special file 1:3 666 0:0
/dev/fifo fifo 0:0 666 0:0" ]]
	nothing_left c1
	for path in /dev/../etc/passwd /dev /dev/. /etc/x; do
		make_bundle ".linux.devices = [{\"path\": \"$path\", \"type\": \"c\", \"major\": 1, \"minor\": 3}]"
		run -1 --separate-stderr oci create --bundle "$B" c2
		[[ $stderr == "nanoctr: config.json: linux.devices[0].path: not beneath /dev: \"$path\"" ]]
		nothing_left c2
	done
	# mknod not permitted (the caller's device cgroup denies "m" for b 7:0 but lets it be
	# read): the host's node (same path) is bind-mounted instead, as runc does in a user namespace
	local dcg
	dcg=$(own_cgroup devices)/nanoctr-oci-nomknod-$BATS_TEST_NUMBER
	mkdir "$dcg"
	echo "b 7:0 m" >"$dcg/devices.deny"
	make_bundle '.linux.devices = [{"path": "/dev/loop0", "type": "b", "major": 7, "minor": 0}] |
		.process.args = ["sh", "-c", "stat -c \"%F %t:%T\" /dev/loop0; grep -c \" /dev/loop0 \" /proc/self/mountinfo"]'
	run --separate-stderr bash -c 'echo $$ >"$1/cgroup.procs" && exec "$2" --root "$3" run --bundle "$4" c3' \
		- "$dcg" "$OCI" "$STATE" "$B"
	rmdir "$dcg"
	assert_status 0
	[[ $output == "block special file 7:0
1" ]]
	nothing_left c3
}

@test "the rootfs is not nodev (runc): a node made there opens when the device cgroup allows it" {
	# podman --privileged: mknod of a disk in /tmp, then read; the device cgroup decides
	make_bundle '.linux.resources.devices = [{"allow": true, "access": "rwm"}] |
		.process.capabilities |= map_values(. + ["CAP_MKNOD"]) |
		.process.args = ["sh", "-c", "mknod /tmp/d b 7 0 && exec 3</tmp/d && echo opened"]'
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == opened ]]
	nothing_left c1
}

@test "exec: the init's namespaces, root, cgroup; its exit status; --detach --pid-file; caps capped" {
	make_bundle ".hostname = \"inside\" | .process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	run -0 --separate-stderr oci exec c1 sh -c 'hostname; cat /proc/1/cmdline | tr "\0" " "; echo;
		[ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ] && echo same-mnt;
		[ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ] && echo same-net;
		[ "$(readlink /proc/self/ns/cgroup)" = "$(readlink /proc/1/ns/cgroup)" ] && echo same-cgroupns;
		ls /; cat /proc/self/cgroup | grep -c ":/$"'
	[[ ${lines[0]} == inside ]]
	[[ ${lines[1]} == "sleep 10$BATS_TEST_NUMBER " ]]
	[[ ${lines[2]} == same-mnt && ${lines[3]} == same-net && ${lines[4]} == same-cgroupns ]]
	[[ $output == *$'\nproc\n'* ]]				# the container's root
	run -7 oci exec c1 sh -c 'exit 7'
	# a process.json asking for a capability the container lacks does not get it
	echo '{"args": ["sh", "-c", "grep CapBnd /proc/self/status; sleep 10'"$BATS_TEST_NUMBER"'"],
		"cwd": "/", "env": ["PATH=/bin:/usr/bin"], "user": {"uid": 0, "gid": 0},
		"capabilities": {"bounding": ["CAP_SYS_ADMIN", "CAP_KILL"], "effective": ["CAP_SYS_ADMIN", "CAP_KILL"],
		"permitted": ["CAP_SYS_ADMIN", "CAP_KILL"]}}' >"$BATS_TEST_TMPDIR/p.json"
	oci exec --process "$BATS_TEST_TMPDIR/p.json" --detach --pid-file "$BATS_TEST_TMPDIR/epid" c1 \
		>"$BATS_TEST_TMPDIR/eout" 2>&1
	epid=$(cat "$BATS_TEST_TMPDIR/epid")
	[[ $epid =~ ^[0-9]+$ ]]
	grep -qx "$epid" "$(own_cgroup memory)/$CG/cgroup.procs"	# in the container's cgroup
	for ((i = 0; i < 2000; i++)); do [[ -s $BATS_TEST_TMPDIR/eout ]] && break; sleep 0.01; done
	[[ $(cat "$BATS_TEST_TMPDIR/eout") == $'CapBnd:\t0000000000000020' ]]	# CAP_KILL only
	run -255 --separate-stderr oci exec c9 true
	[[ $stderr == "nanoctr: container c9 does not exist" ]]
	oci delete --force c1
	nothing_left c1
}

@test "pause/resume: the freezer stops every process; state says paused; delete --force of a paused one" {
	[[ $(cgroup_version freezer) == 1 ]] || skip "no v1 freezer (v2's cgroup.freeze is not covered here)"
	make_bundle '.process.args = ["sh", "-c", "while :; do echo $((i += 1)) > /tick; done"]'
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	for ((i = 0; i < 2000; i++)); do [[ -s $(fresh_rootfs)/tick ]] && break; sleep 0.01; done
	run -1 --separate-stderr oci resume c1
	[[ $stderr == "nanoctr: c1: container not paused" ]]
	run -0 oci pause c1
	[[ $(oci state c1 | jq -r .status) == paused ]]
	grep -qx FROZEN "$(cgroup_mountpoint freezer)$(awk -F: '$2 == "freezer" { print $3 }' /proc/self/cgroup | sed 's|/$||')/$CG/freezer.state"
	run -0 oci resume c1
	[[ $(oci state c1 | jq -r .status) == running ]]
	oci pause c1
	# runc's: exec's own errors exit 255 (the process's status may be 1)
	run -255 --separate-stderr oci exec c1 true
	[[ $stderr == "nanoctr: c1: cannot exec in a paused container" ]]
	run -0 oci delete --force c1
	nothing_left c1
	[[ ! -e "$(cgroup_mountpoint freezer)$(awk -F: '$2 == "freezer" { print $3 }' /proc/self/cgroup | sed 's|/$||')/$CG" ]]
}

@test "update --resources FILE|- and runc's limit options: memory, pids and cpu limits of a running container" {
	[[ $(cgroup_version memory) == 1 && $(cgroup_version pids) == 1 && $(cgroup_version cpu) == 1 ]] ||
		skip "checks v1 files"
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.linux.resources = {\"memory\": {\"limit\": 67108864}, \"pids\": {\"limit\": 50}}"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	mem=$(own_cgroup memory)/$CG
	pids=$(own_cgroup pids)/$CG
	cpu=$(own_cgroup cpu)/$CG
	[[ $(cat "$mem/memory.limit_in_bytes") == 67108864 && $(cat "$pids/pids.max") == 50 ]]
	echo '{"memory": {"limit": 134217728}, "pids": {"limit": 70}, "cpu": {"quota": 50000, "period": 100000}}' |
		oci update --resources - c1
	[[ $(cat "$mem/memory.limit_in_bytes") == 134217728 && $(cat "$mem/memory.memsw.limit_in_bytes") == 134217728 ]]
	[[ $(cat "$pids/pids.max") == 70 && $(cat "$cpu/cpu.cfs_quota_us") == 50000 ]]
	echo '{"memory": {"limit": 33554432}}' >"$BATS_TEST_TMPDIR/r.json"
	oci update --resources "$BATS_TEST_TMPDIR/r.json" c1		# lowering
	[[ $(cat "$mem/memory.limit_in_bytes") == 33554432 ]]
	echo '{"memory": {"limit": "x"}}' >"$BATS_TEST_TMPDIR/r.json"
	run -1 --separate-stderr oci update --resources "$BATS_TEST_TMPDIR/r.json" c1
	[[ $stderr == "nanoctr: linux.resources.memory.limit: expected a number at offset "* ]]
	# runc's option form (was "unknown option"); -1 lifts a pids limit ("max": it was ignored)
	oci update --memory 96M --memory-swap -1 --pids-limit 60 --cpu-period 200000 --cpu-quota 40000 --cpu-share 256 c1
	[[ $(cat "$mem/memory.limit_in_bytes") == 100663296 && $(cat "$pids/pids.max") == 60 ]]
	[[ $(cat "$cpu/cpu.cfs_period_us") == 200000 && $(cat "$cpu/cpu.cfs_quota_us") == 40000 && $(cat "$cpu/cpu.shares") == 256 ]]
	oci update --pids-limit -1 c1
	[[ $(cat "$pids/pids.max") == max && $(cat "$mem/memory.limit_in_bytes") == 100663296 ]]	# only what was given
	oci update --memory 0.125g c1	# fractions, as runc's go-units (the same parser as run -m)
	[[ $(cat "$mem/memory.limit_in_bytes") == 134217728 ]]
	run -1 --separate-stderr oci update --memory 10Q c1
	[[ $stderr == "nanoctr: 10Q: not a size (a number with k, m, g, t or p)" ]]
	run -1 --separate-stderr oci update --blkio-weight 10 c1
	[[ $stderr == "nanoctr: --blkio-weight: unknown option (update takes --resources FILE|-, --memory, --memory-reservation, --memory-swap, --cpu-period, --cpu-quota, --cpu-share, --pids-limit)" ]]
	run -1 --separate-stderr oci update --pids-limit 5 --resources - c1 </dev/null
	[[ $stderr == "nanoctr: update: --resources and the limit options: one or the other" ]]
	oci delete --force c1
	nothing_left c1
}

@test "without cgroupsPath: nanoctr-oci-ID beneath the caller's cgroup; delete touches nothing else there" {
	make_bundle "del(.linux.cgroupsPath) | .process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	sleep 1000 &		# a process of ours in our own cgroup: it must survive delete
	ours=$!
	oci create --bundle "$B" c1 >/dev/null 2>&1
	[[ -d $(own_cgroup memory)/nanoctr-oci-c1 ]]
	oci start c1
	run -0 oci ps --format json c1
	[[ $(jq length <<<"$output") == 1 ]]
	run -0 oci delete --force c1
	[[ ! -e $(own_cgroup memory)/nanoctr-oci-c1 ]]
	kill -0 "$ours"
	kill "$ours"
	nothing_left c1
}

@test "capabilities: one the caller's bounding set lacks is refused (exit 1, nothing left), as runc" {
	command -v setpriv >/dev/null || skip "no setpriv"
	make_bundle '.process.args = ["true"] | .process.capabilities.bounding += ["CAP_SYS_NICE"] |
		.process.capabilities.effective += ["CAP_SYS_NICE"] | .process.capabilities.permitted += ["CAP_SYS_NICE"]'
	run -1 --separate-stderr setpriv --bounding-set=-sys_nice -- "$OCI" --root "$STATE" run --bundle "$B" c1
	[[ $stderr == "nanoctr: process.capabilities: CAP_SYS_NICE: not in this process's bounding set: it cannot be given" ]]
	nothing_left c1
	[[ -z $(ls "$STATE") ]]
}

@test "capabilities: inheritable and ambient sets as the config gives them, within the bounding set" {
	make_bundle '.process.args = ["sh", "-c", "grep -E \"^Cap(Inh|Amb|Bnd)\" /proc/self/status"] |
		.process.capabilities.bounding = ["CAP_CHOWN", "CAP_KILL"] |
		.process.capabilities.effective = ["CAP_CHOWN", "CAP_KILL"] |
		.process.capabilities.permitted = ["CAP_CHOWN", "CAP_KILL"] |
		.process.capabilities.inheritable = ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN"] |
		.process.capabilities.ambient = ["CAP_KILL"]'
	run -0 oci run --bundle "$B" c1
	[[ $output == $'CapInh:\t0000000000000021\nCapBnd:\t0000000000000021\nCapAmb:\t0000000000000020' ]]
	nothing_left c1
}

# h(): a one-hook list whose sh appends its stdin (the state JSON) to a file: host paths for
# the runtime's hooks and createContainer (it runs before the root switch); startContainer's
# file is a path inside the container
@test "hooks: the six kinds, each once, the state JSON on stdin with the status of its time" {
	log=$BATS_TEST_TMPDIR/hooks
	h() { jq -n --arg c "cat >> $2" '[{"path": "/bin/sh", "args": ["sh", "-c", $c]}]'; }
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] | .annotations = {\"a\": \"b\"} |
		.hooks = {\"prestart\": $(h x "$log.prestart"), \"createRuntime\": $(h x "$log.createRuntime"),
			\"createContainer\": $(h x "$log.createContainer"), \"startContainer\": $(h x /startContainer),
			\"poststart\": $(h x "$log.poststart"), \"poststop\": $(h x "$log.poststop")}"
	oci create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" c1 >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	for k in prestart createRuntime createContainer; do	# runc 1.1: "creating" until the root is made
		jq -e --arg pid "$pid" --arg b "$B" '.id == "c1" and .status == "creating" and
			.pid == ($pid | tonumber) and .bundle == $b and .annotations == {"a": "b"}' "$log.$k"
	done
	[[ ! -e $log.poststart && ! -e $(fresh_rootfs)/startContainer ]]
	oci start c1
	# start returns once the command runs: startContainer and poststart are done
	jq -e --arg pid "$pid" '.status == "created" and .pid == ($pid | tonumber)' "$(fresh_rootfs)/startContainer"
	jq -e --arg pid "$pid" '.status == "running" and .pid == ($pid | tonumber)' "$log.poststart"
	[[ $(tr '\0' ' ' </proc/$pid/cmdline) == "sleep 10$BATS_TEST_NUMBER " ]]
	[[ ! -e $log.poststop ]]
	oci delete --force c1
	jq -e '.id == "c1" and .status == "stopped"' "$log.poststop"
	for k in prestart createRuntime createContainer poststart poststop; do
		[[ $(jq -s length "$log.$k") == 1 ]]
	done
	nothing_left c1
}

# runc runs prestart and createRuntime before the root switch: a hook (nvidia's) mounts into
# the rootfs by its host path in the init's mount namespace. In the bundle directory, as runc.
@test "hooks: prestart and createRuntime before the root switch, in the bundle directory" {
	rootfs=$(fresh_rootfs)
	mkdir -p "$rootfs/hooked"
	hook=$(jq -n --arg r "$rootfs" '[{"path": "/bin/sh", "args": ["sh", "-c",
		"pwd > \($r)/prestart.cwd; pid=$(jq .pid); nsenter -t $pid -m mount -t tmpfs -o size=4k hooked \($r)/hooked"]}]')
	make_bundle ".process.args = [\"sh\", \"-c\", \"grep -c ^hooked /proc/mounts; cat /prestart.cwd\"] |
		.hooks.prestart = $hook | .hooks.createRuntime = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"pwd > $rootfs/runtime.cwd\"]}] |
		.hooks.createContainer = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"pwd > $rootfs/container.cwd\"]}]"
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ -z $stderr ]]
	# the mount was made in the container's namespace, not on the host, and is seen inside
	[[ ${lines[0]} == 1 ]]
	! grep -q "^hooked " /proc/mounts
	[[ ${lines[1]} == "$B" ]]
	[[ $(cat "$rootfs/runtime.cwd") == "$B" && $(cat "$rootfs/container.cwd") == "$B" ]]
	nothing_left c1
}

@test "hooks: createRuntime and createContainer failing fail create, nothing left; a timeout kills; poststart/poststop only warn" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.createRuntime = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"exit 3\"]}]"
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: hooks.createRuntime[0]: /bin/sh: exited with status 3" ]]
	nothing_left c1
	[[ -z $(ls "$STATE") ]]
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.createContainer = [{\"path\": \"/bin/true\"}, {\"path\": \"/no/such/hook\"}]"
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: hooks.createContainer[1]: /no/such/hook: exited with status 127" ]]
	nothing_left c1
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.prestart = [{\"path\": \"/bin/sleep\", \"args\": [\"sleep\", \"1000\"], \"timeout\": 1}]"
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: hooks.prestart[0]: /bin/sleep: timed out after 1 s" ]]
	! pgrep -x -f "sleep 1000" >/dev/null
	nothing_left c1
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.poststart = [{\"path\": \"/bin/false\"}, {\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo ran > $BATS_TEST_TMPDIR/second\"]}] |
		.hooks.poststop = [{\"path\": \"/bin/false\"}]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	run -0 --separate-stderr oci start c1
	[[ $stderr == "nanoctr: warning: hooks.poststart[0]: /bin/false: exited with status 1" ]]
	[[ $(cat "$BATS_TEST_TMPDIR/second") == ran ]]		# the next hook still runs
	[[ $(oci state c1 | jq -r .status) == running ]]
	run -0 --separate-stderr oci delete --force c1
	[[ $stderr == "nanoctr: warning: hooks.poststop[0]: /bin/false: exited with status 1" ]]
	nothing_left c1
}

@test "linux.sysctl: namespaced keys set in the container (not on the host); others refused, nothing left" {
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	want=$((1 - host))
	make_bundle ".linux.sysctl = {\"net.ipv4.ip_forward\": \"$want\", \"kernel.shm_rmid_forced\": \"1\"} |
		.process.args = [\"cat\", \"/proc/sys/net/ipv4/ip_forward\", \"/proc/sys/kernel/shm_rmid_forced\"]"
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == "$want"$'\n1' ]]
	[[ $(cat /proc/sys/net/ipv4/ip_forward) == "$host" ]]
	nothing_left c1
	make_bundle '.linux.sysctl = {"kernel.panic": "1"}'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.sysctl: kernel.panic: not in a namespace of the container's own (it would change the host)" ]]
	make_bundle '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces |= map(select(.type != "network"))'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.sysctl: net.ipv4.ip_forward: needs a network namespace (linux.namespaces)" ]]
	make_bundle '.linux.sysctl = {"net/../../kcore": "1"}'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.sysctl: net/../../kcore: not a sysctl name" ]]
	make_bundle '.linux.sysctl = {"net.ipv4.no_such_key": "1"}'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: linux.sysctl: net.ipv4.no_such_key: No such file or directory" ]]
	# runc's validator: the hostname field is the way, with or without it (was accepted)
	for filter in '.' 'del(.hostname)'; do
		make_bundle "$filter | .linux.sysctl = {\"kernel.hostname\": \"x\"}"
		run -1 --separate-stderr oci create --bundle "$B" c1
		[[ $stderr == "nanoctr: linux.sysctl: kernel.hostname: not allowed: it conflicts with the OCI hostname field" ]]
	done
	nothing_left c1
	[[ -z $(ls "$STATE") ]]
}

@test "maskedPaths and readonlyPaths: the config's, as given (nanoctr's own list is not added)" {
	root=$(fresh_rootfs)
	mkdir -p "$root/hidden" "$root/frozen"
	echo secret >"$root/hidden/f"
	echo secret >"$root/secret"
	make_bundle '.linux.maskedPaths = ["/hidden", "/secret", "/no/such"] | .linux.readonlyPaths = ["/frozen"] |
		.process.args = ["sh", "-c", "ls -A /hidden; wc -c < /secret; touch /frozen/x 2>&1; touch /x && echo rw;
			head -c 5 /proc/timer_list; echo"]'
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == $'0\ntouch: /frozen/x: Read-only file system\nrw\nTimer' ]]
	[[ $(cat "$root/secret") == secret ]]
	nothing_left c1
}

@test "rootfsPropagation: shared, slave, private, unbindable on the container's /" {
	for mode in shared slave private unbindable; do
		make_bundle ".linux.rootfsPropagation = \"$mode\" | del(.linux.seccomp) |
			.process.capabilities |= map_values(. + [\"CAP_SYS_ADMIN\"]) |
			.process.args = [\"sh\", \"-c\", \"awk '\$5 == \\\"/\\\" { print \$7 }' /proc/self/mountinfo\"]"
		run -0 --separate-stderr oci run --bundle "$B" c1
		case $mode in
		shared) [[ $output == shared:* ]] ;;
		slave | private) [[ $output != *shared:* && $output != unbindable ]] ;;	# (master:N if / is shared on the host)
		unbindable) [[ $output == unbindable ]] ;;
		esac
		nothing_left c1
	done
}

# A bind mount's own options: "bind" is the one mount, "rbind" the tree beneath it too;
# "rprivate"/"rshared" applied once it is made (runc's order). The source is a shared mount
# with a submount, made in a mount namespace of the test's own (gone with it).
@test "mounts: bind is one mount, rbind the tree; a bind's propagation as asked" {
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src/sub"
	make_bundle ".mounts += [
		{\"destination\": \"/one\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"bind\"]},
		{\"destination\": \"/tree\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\"]},
		{\"destination\": \"/priv\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\", \"rprivate\"]},
		{\"destination\": \"/shared\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\", \"rshared\"]},
		{\"destination\": \"/plain\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\"]}] |
		.process.args = [\"sh\", \"-c\", \"ls /one/sub /tree/sub; awk '\$5 ~ /^.(priv|shared|plain)\$/ { print \$5, \$7 }' /proc/self/mountinfo\"]"
	run --separate-stderr unshare -m --propagation private bash -c '
		mount --bind "$1" "$1" && mount --make-shared "$1" &&
		mount -t tmpfs -o size=4k sub "$1/sub" && touch "$1/sub/inner" &&
		"$OCI" --root "$2" run --bundle "$3" c1' - "$src" "$STATE" "$B"
	[[ $status == 0 && -z $stderr ]]
	# ls: /one/sub is the bare directory, /tree/sub the submount with its file
	[[ ${lines[0]} == /one/sub: && ${lines[1]} == /tree/sub: && ${lines[2]} == inner ]]
	# a slave of the host's (master:N) unless asked: private ("-": no tag), shared too
	[[ $(grep '^/plain ' <<<"$output") == "/plain master:"* ]]
	[[ $(grep '^/priv ' <<<"$output") == "/priv -" ]]
	[[ $(grep '^/shared ' <<<"$output") == "/shared shared:"* ]]
	nothing_left c1
}

# Mount types besides bind and tmpfs, where the engine does not make its own: mounted with
# their type, source and data as given (runc's default case); type "bind" is a bind (crun,
# runc); tmpfs data is passed whole (it was cut at 272 bytes, losing what came last).
@test "mounts: proc, mqueue, devpts, sysfs elsewhere; type bind; long tmpfs data whole; no type refused" {
	src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src"
	echo marker >"$src/file"
	long="nr_inodes=70,$(printf 'size=1m,%.0s' {1..40})mode=0711"
	make_bundle ".mounts += [
		{\"destination\": \"/proc2\", \"type\": \"proc\", \"source\": \"proc\"},
		{\"destination\": \"/mq2\", \"type\": \"mqueue\", \"source\": \"mqueue\"},
		{\"destination\": \"/pts2\", \"type\": \"devpts\", \"source\": \"devpts\", \"options\": [\"newinstance\", \"ptmxmode=0600\"]},
		{\"destination\": \"/sys2\", \"type\": \"sysfs\", \"source\": \"sysfs\", \"options\": [\"ro\", \"nosuid\"]},
		{\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"ro\"]},
		{\"destination\": \"/t\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"$long\"]}] |
		.process.args = [\"sh\", \"-c\", \"cat /proc2/1/comm; awk '\$5 ~ /^.(mq2|pts2|sys2)\$/ { print \$5, \$9 }' /proc/self/mountinfo; stat -c %a /pts2/ptmx /t; cat /b/file; echo x > /b/file\"]"
	run -1 --separate-stderr oci run --bundle "$B" c1
	[[ ${lines[0]} == sh ]]	# the container's own pid namespace: its PID 1
	[[ ${lines[1]} == "/mq2 mqueue" && ${lines[2]} == "/pts2 devpts" && ${lines[3]} == "/sys2 sysfs" ]]
	[[ ${lines[4]} == 600 && ${lines[5]} == 711 && ${lines[6]} == marker ]]
	[[ $stderr == "sh: can't create /b/file: Read-only file system" ]]
	nothing_left c1
	make_bundle '.mounts += [{"destination": "/x", "source": "/tmp"}]'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: /x: a mount needs a type, or bind/rbind in its options" ]]
	nothing_left c1
}

@test "cgroups (v1): memory reservation/swap/swappiness/disableOOMKiller, cpu shares/period/quota, cpuset" {
	[[ $(cgroup_version memory) == 1 && $(cgroup_version cpu) == 1 && $(cgroup_version cpuset) == 1 ]] ||
		skip "checks v1 files"
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] | .linux.resources = {
		\"memory\": {\"limit\": 67108864, \"reservation\": 33554432, \"swap\": 100663296, \"swappiness\": 7,
			\"disableOOMKiller\": true},
		\"cpu\": {\"shares\": 512, \"period\": 200000, \"quota\": 50000, \"cpus\": \"0\", \"mems\": \"0\"}}"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	mem=$(own_cgroup memory)/$CG cpu=$(own_cgroup cpu)/$CG cpuset=$(own_cgroup cpuset)/$CG
	[[ $(cat "$mem/memory.limit_in_bytes") == 67108864 && $(cat "$mem/memory.soft_limit_in_bytes") == 33554432 ]]
	[[ $(cat "$mem/memory.memsw.limit_in_bytes") == 100663296 && $(cat "$mem/memory.swappiness") == 7 ]]
	grep -qx "oom_kill_disable 1" "$mem/memory.oom_control"
	[[ $(cat "$cpu/cpu.shares") == 512 && $(cat "$cpu/cpu.cfs_period_us") == 200000 ]]
	[[ $(cat "$cpu/cpu.cfs_quota_us") == 50000 ]]
	[[ $(cat "$cpuset/cpuset.cpus") == 0 && $(cat "$cpuset/cpuset.mems") == 0 ]]
	grep -qx "$(oci state c1 | jq .pid)" "$cpuset/cgroup.procs"
	oci delete c1
	nothing_left c1
	[[ ! -e $cpuset && ! -e $cpu ]]
	make_bundle '.linux.resources = {"memory": {"swappiness": 101}}'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: config.json: linux.resources.memory.swappiness: number out of range at offset "* ]]
	nothing_left c1
}

@test "process.user non-root keeps the config's capability sets (runc): bounding, and ambient through exec" {
	# was: every set 0 for a non-root user (run's rule); execve() then keeps the
	# ambient ones in permitted and effective (capabilities(7)), as with runc
	make_bundle '.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN", "CAP_KILL"],
			"permitted": ["CAP_CHOWN", "CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]} |
		.process.args = ["sh", "-c", "id -u; grep -E \"^Cap(Prm|Eff|Bnd|Amb)\" /proc/self/status"]'
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == $'1000\nCapPrm:\t0000000000000020\nCapEff:\t0000000000000020\nCapBnd:\t0000000000000021\nCapAmb:\t0000000000000020' ]]
	nothing_left c1
}

@test "exec: --env, --user, --cwd, --tty with --console-socket and --detach; bad values refused" {
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1
	run -0 --separate-stderr oci exec --env FOO=bar --env PATH=/bin --user 1234:2345 --cwd /etc c1 \
		sh -c 'echo $FOO $PATH; id -u; id -g; pwd'
	[[ $output == $'bar /bin\n1234\n2345\n/etc' ]]
	sock=$BATS_TEST_TMPDIR/sock
	"$BATS_FILE_TMPDIR/console-recv" "$sock" >"$BATS_TEST_TMPDIR/recv" 2>&1 &
	recv=$!
	while [[ ! -S $sock ]]; do sleep 0.01; done
	# with a console socket: --detach (as the shims call it; runc refuses it without)
	run -255 --separate-stderr oci exec --tty --console-socket "$sock" c1 true
	[[ $stderr == "nanoctr: --console-socket: only for a process.terminal, with --detach (runc: \"cannot use console socket if runc will not detach or allocate tty\")" ]]
	run -0 oci exec --detach --tty --console-socket "$sock" c1 sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo stdio-tty'
	wait "$recv"
	[[ $(tr -d '\r' <"$BATS_TEST_TMPDIR/recv") == $'cmsg ok\n/dev/pts/0\nstdio-tty' ]]
	run -255 --separate-stderr oci exec -d -t c1 true
	[[ $stderr == "nanoctr: process.terminal: a --console-socket is needed for a terminal" ]]
	run -255 --separate-stderr oci exec --user alice c1 true
	[[ $stderr == "nanoctr: alice: --user expects UID[:GID], numbers" ]]
	run -255 --separate-stderr oci exec --env NOEQUALS c1 true
	[[ $stderr == "nanoctr: NOEQUALS: --env expects NAME=VALUE" ]]
	oci delete --force c1
	nothing_left c1
}

@test "--version: runc's spec: line; COMMAND --help: the usage, exit 0 (bench/ probes create --help); -v, --help, spec, features after global options; list -q" {
	run -0 --separate-stderr "$OCI" --version
	[[ $output == "nanoctr "*$'\nspec: 1.0.2' ]]
	for c in create delete exec; do
		run -0 --separate-stderr "$OCI" "$c" --help
		[[ ${lines[0]} == "usage: nanoctr [--root DIR] "* && $output == *$'\n  create [--bundle DIR] '* ]]
	done
	# after global options too, as runc's integration suite calls them (all were refused:
	# "spec: unknown command", "-q: needs a value")
	run -0 --separate-stderr "$OCI" --root "$STATE" -v
	[[ $output == "nanoctr "*$'\nspec: 1.0.2' ]]
	run -0 --separate-stderr "$OCI" --root "$STATE" --help
	[[ ${lines[0]} == "usage: nanoctr [--root DIR] "* ]]
	mkdir -p "$BATS_TEST_TMPDIR/s" && cd "$BATS_TEST_TMPDIR/s"
	run -0 --separate-stderr "$OCI" --root "$STATE" spec
	jq -e '.ociVersion == "1.0.2"' config.json
	run -0 --separate-stderr "$OCI" --root "$STATE" features
	jq -e '.ociVersionMax == "1.1.0"' <<<"$output"
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci create --bundle "$B" c2 >/dev/null 2>&1
	run -0 --separate-stderr oci list -q
	[[ $(sort <<<"$output") == $'c1\nc2' ]]
	oci delete --force c1
	oci delete --force c2
}

@test "cgroupsPath: \"..\" never climbs above the caller's cgroup (relative) or the hierarchy's root (absolute), as runc" {
	# was: "../../X" made and, at delete, emptied a cgroup two levels above our own
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] | .linux.cgroupsPath = \"../../$CG\""
	oci create --bundle "$B" --pid-file "$BATS_TEST_TMPDIR/pid" c1 >/dev/null 2>&1
	grep -qx "$(cat "$BATS_TEST_TMPDIR/pid")" "$(own_cgroup memory)/$CG/cgroup.procs"
	oci delete c1
	nothing_left c1
}

@test "delete --force of what a killed create left (no state.json): directory, cgroup and process removed" {
	# create killed between its mkdir and state.json (podman's timeout does it) leaves
	# the directory, the cgroup and the init: made here by removing state.json
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	rm "$STATE/c1/state.json"
	run -1 --separate-stderr oci state c1
	[[ $stderr == "nanoctr: container c1 does not exist" ]]
	run -0 oci delete --force c1
	nothing_left c1
}

@test "setup errors of create: one line naming what, exit 1, nothing left (rlimit, mount source, root)" {
	[[ $(cat /proc/sys/fs/nr_open) -lt 10000000 ]] || skip "fs.nr_open allows 10000000 open files"
	make_bundle '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 10000000, "hard": 10000000}]'
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: process.rlimits: RLIMIT_NOFILE: Operation not permitted" ]]
	nothing_left c1
	make_bundle ".mounts += [{\"destination\": \"/x\", \"source\": \"$BATS_TEST_TMPDIR/none\", \"options\": [\"bind\"]}]"
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: $BATS_TEST_TMPDIR/none: No such file or directory" ]]
	nothing_left c1
	make_bundle ".root.path = \"$BATS_TEST_TMPDIR/none\""
	run -1 --separate-stderr oci create --bundle "$B" c1
	[[ $stderr == "nanoctr: $BATS_TEST_TMPDIR/none: No such file or directory" ]]
	nothing_left c1
	[[ -z $(ls "$STATE") ]]
}

@test "bind mounts: the config's nosuid, nodev, noexec (and r* forms) hold on the bound tree" {
	# was: only ro was taken from a bind's options; noexec/nosuid/nodev were dropped
	mkdir -p "$BATS_TEST_TMPDIR/vol"
	printf '#!/bin/sh\necho ran\n' >"$BATS_TEST_TMPDIR/vol/script"
	chmod 755 "$BATS_TEST_TMPDIR/vol/script"
	make_bundle ".mounts += [{\"destination\": \"/vol\", \"source\": \"$BATS_TEST_TMPDIR/vol\",
			\"options\": [\"rbind\", \"noexec\", \"rnosuid\"]},
		{\"destination\": \"/vol2\", \"source\": \"$BATS_TEST_TMPDIR/vol\", \"options\": [\"rbind\"]}] |
		.process.args = [\"sh\", \"-c\", \"/vol2/script; /vol/script; awk '\$5 ~ /^\\\\/vol/ { print \$5, \$6 }' /proc/self/mountinfo\"]"
	run -0 --separate-stderr oci run --bundle "$B" c1
	# (nodev may come from the host's own mount of the source: not asserted)
	[[ ${lines[0]} == ran && ${lines[1]} == "/vol "*nosuid*noexec* ]]
	[[ ${lines[2]} == "/vol2 "* && ${lines[2]} != *nosuid* && ${lines[2]} != *noexec* ]]
	[[ $stderr == "sh: /vol/script: Permission denied" ]]
	nothing_left c1
}

@test "bind mounts with relative sources: relative to the bundle (runc), not to the caller" {
	# runtime-spec: "Path values for bind mounts are either absolute or relative to the
	# bundle" (runc runs in the bundle directory). Was: the caller's working directory.
	# Two relative sources with a tmpfs between them (mount.c's fchdir() onto targets).
	make_bundle '.process.args = ["cat", "/mnt/a/f", "/mnt/b/f"] | .mounts += [
		{"destination": "/mnt/a", "type": "bind", "source": "a", "options": ["rbind"]},
		{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/mnt/b", "type": "bind", "source": "./b", "options": ["rbind"]}]'
	mkdir -p "$B/a" "$B/b" "$BATS_TEST_TMPDIR/elsewhere/a" "$BATS_TEST_TMPDIR/elsewhere/b"
	echo one >"$B/a/f"
	echo two >"$B/b/f"
	echo wrong >"$BATS_TEST_TMPDIR/elsewhere/a/f"
	echo wrong >"$BATS_TEST_TMPDIR/elsewhere/b/f"
	cd "$BATS_TEST_TMPDIR/elsewhere"
	run -0 --separate-stderr oci run --bundle "$B" c1
	[[ $output == $'one\ntwo' ]]
	[[ -z $stderr ]]
	nothing_left c1
	# a relative --bundle too: the sources follow the bundle made absolute
	cd "$B/.."
	run -0 --separate-stderr oci run --bundle "$(basename "$B")" c1
	[[ $output == $'one\ntwo' ]]
	nothing_left c1
}

# The init of a running container holds 128 MiB: its exit takes a while to free them, and
# its cgroups stay populated until then (kernel/exit.c do_exit: exit_mm, then cgroup_exit).
# delete waits for that on a pidfd, then removes the cgroups at once; it used to try rmdir,
# get EBUSY, kill again and sleep 1 ms, round after round (on a busy machine each sleep
# stretched to tens of ms).
hog_container() {
	make_bundle '.process.args = ["memhog", "128", "hold"]'
	oci create --bundle "$B" "$1" >"$BATS_TEST_TMPDIR/$1.out" 2>&1
	oci start "$1"
	for ((i = 0; i < 2000; i++)); do
		grep -q '^memhog: ok 128$' "$BATS_TEST_TMPDIR/$1.out" && break
		sleep 0.01
	done
	grep -q '^memhog: ok 128$' "$BATS_TEST_TMPDIR/$1.out"
}

@test "delete --force of a running container: waits on the init's pidfd, no EBUSY-and-sleep rounds" {
	command -v strace >/dev/null || skip "no strace"
	hog_container c1
	run -0 --separate-stderr strace -f -qq -e trace=pidfd_open,rmdir,unlinkat,nanosleep,clock_nanosleep \
		-o "$BATS_TEST_TMPDIR/trace" "$OCI" --root "$STATE" delete --force c1
	[[ -z $stderr ]]
	grep -q 'pidfd_open([0-9]*, 0) *= [0-9]' "$BATS_TEST_TMPDIR/trace"
	! grep -E 'EBUSY|nanosleep' "$BATS_TEST_TMPDIR/trace"
	! pgrep -f '^memhog 128 hold$'
	nothing_left c1
}

@test "delete --force without pidfd_open (ENOSYS, before 5.3): the init still killed and waited for, nothing left" {
	DENY=$ROOTFS/usr/local/bin/seccomp-deny
	[[ -x $DENY ]] || skip "seccomp-deny was not built"
	hog_container c1
	run -0 --separate-stderr "$DENY" 434 38 "$OCI" --root "$STATE" delete --force c1
	[[ -z $stderr ]]
	! pgrep -f '^memhog 128 hold$'
	nothing_left c1
}

# wait_file PATH — until it exists (an event, not a time; 20 s cap)
wait_file() {
	local i
	for ((i = 0; i < 2000; i++)); do
		[[ -e $1 ]] && return 0
		sleep 0.01
	done
	return 1
}

@test "start: the container stays created (exec.fifo there) until its command runs, as runc" {
	# runc's start reads exec.fifo to its end (the init's execve) and removes it then; was:
	# removed as soon as the init wrote its byte, before the startContainer hooks ran
	r=$(fresh_rootfs)
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.startContainer = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\",
			\"touch /hook-running; while [ ! -e /go ]; do sleep 0.01; done\"]}]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	oci start c1 &
	wait_file "$r/hook-running"
	run -0 oci state c1
	[[ $(jq -r .status <<<"$output") == created ]]
	[[ -p $STATE/c1/exec.fifo ]]
	touch "$r/go"
	wait $!				# start's own status: 0
	run -0 oci state c1
	[[ $(jq -r .status <<<"$output") == running ]]
	[[ ! -e $STATE/c1/exec.fifo ]]
	oci delete --force c1
	nothing_left c1
}

@test "state.json's own record (hooks, cgroups) stays out of state and the hooks' stdin; without it delete reads config.json" {
	log=$BATS_TEST_TMPDIR/poststop
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"] |
		.hooks.poststop = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"cat > $log\"]}]"
	oci create --bundle "$B" c1 >/dev/null 2>&1
	# the record: which hooks, the cgroups made (delete needs no config.json for them)
	jq -e '.nanoctr.hooks == 32 and (.nanoctr.cgroups | map(.[0]) | index("memory") != null)' \
		"$STATE/c1/state.json"
	run -0 oci state c1
	jq -e 'has("nanoctr") | not' <<<"$output"
	oci delete --force c1
	jq -e '.id == "c1" and .status == "stopped" and (has("nanoctr") | not)' "$log"
	nothing_left c1
	# a state.json without the record (an older nanoctr's): delete finds the cgroups from
	# config.json, as before
	make_bundle ".process.args = [\"sleep\", \"10$BATS_TEST_NUMBER\"]"
	oci create --bundle "$B" c2 >/dev/null 2>&1
	[[ -d $(own_cgroup memory)/$CG ]]
	jq -c 'del(.nanoctr)' "$STATE/c2/state.json" >"$BATS_TEST_TMPDIR/old" && mv "$BATS_TEST_TMPDIR/old" "$STATE/c2/state.json"
	oci delete --force c2
	nothing_left c2
	# a record that is not ours (more directories than controllers, a path outside
	# /sys/fs/cgroup) is not trusted: config.json again
	for bad in '[range(7) | ["memory", 0, "/sys/fs/cgroup/memory/nanoctr-bad-\(.)"]]' \
		'[["memory", 0, "/tmp/nanoctr-not-a-cgroup"]]'; do
		oci create --bundle "$B" c3 >/dev/null 2>&1
		jq -c ".nanoctr.cgroups = $bad" "$STATE/c3/state.json" >"$BATS_TEST_TMPDIR/bad"
		mv "$BATS_TEST_TMPDIR/bad" "$STATE/c3/state.json"
		run -0 --separate-stderr oci delete --force c3
		[[ -z $stderr ]]
		nothing_left c3
	done
}
