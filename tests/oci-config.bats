#!/usr/bin/env bats
# The OCI front-end without an engine: config.json → struct spec (src/oci-config.c), the
# state directory and pid file (src/state.c), `nanoctr spec` and `nanoctr features`.
# The loader and state code run through tests/unit/spec-check.c (usage at its top),
# built here with musl-gcc from the nanoctr sources. Real configs: tests/data/json
# (see tests/json.bats for where they come from).

load helpers

setup_file() {
	REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	DATA=$REPO/tests/data/json
	SPEC_CHECK=$BATS_FILE_TMPDIR/spec-check
	(cd "$REPO" && musl-gcc -static -Os -Wall -Wextra -Werror -I. -o "$SPEC_CHECK" \
		tests/unit/spec-check.c src/oci-config.c src/oci-fields.c src/oci-mount.c src/state.c src/json.c src/lib.c \
		src/out.c src/json-write.c src/spec-defaults.c src/capability-names.c)
	export REPO DATA SPEC_CHECK
}

# bundle FILE-OR-JSON [JQ-FILTER] — $BATS_TEST_TMPDIR/b with config.json made from a file
# or a literal document, passed through jq FILTER when given; prints the bundle's path
minimal='{"ociVersion":"1.0.2","process":{"args":["sh"],"cwd":"/"},"root":{"path":"rootfs"},"linux":{"namespaces":[{"type":"pid"},{"type":"mount"}]}}'
bundle() {
	local b=$BATS_TEST_TMPDIR/b
	mkdir -p "$b"
	if [[ -f $1 ]]; then cat "$1"; else printf '%s' "$1"; fi >"$b/config.json"
	if [[ -n ${2:-} ]]; then
		jq -c "$2" "$b/config.json" >"$b/new" && mv "$b/new" "$b/config.json"
	fi
	echo "$b"
}

# bad JQ-FILTER MESSAGE — the minimal config changed by FILTER is refused with exactly
# "nanoctr: config.json: MESSAGE" and nothing on stdout
bad() {
	local b
	b=$(bundle "$minimal" "$1")
	bad_bundle "$b" "config.json: $2"
}

bad_bundle() {
	run --separate-stderr "$SPEC_CHECK" load "$1"
	if [[ $status -ne 1 || $stderr != "nanoctr: $2" || -n $output ]]; then
		echo "expected: nanoctr: $2 (status 1)"
		echo "got:      $stderr (status $status) stdout: $output"
		return 1
	fi
}

# line PREFIX — the dump line starting with PREFIX (exactly one)
line() {
	local l
	l=$(awk -v p="$1" 'index($0, p) == 1' <<<"$output")
	[[ $(wc -l <<<"$l") -eq 1 ]] || { echo "not one line for $1: $l"; return 1; }
	echo "$l"
}

@test "oci-config: runc spec's config.json loads, root.path joined to the bundle" {
	b=$(bundle "$DATA/runc-spec.json")
	run -0 "$SPEC_CHECK" load "$b"
	[ "$(line ociVersion)" = "ociVersion 1.0.2-dev" ]
	[ "$(line process.args)" = "process.args [sh]" ]
	[ "$(line process.terminal)" = "process.terminal 1 console 0x0" ]
	[ "$(line process.capabilities.bounding)" = "process.capabilities.bounding KILL NET_BIND_SERVICE AUDIT_WRITE" ]
	[ "$(line process.capabilities.ambient)" = "process.capabilities.ambient KILL NET_BIND_SERVICE AUDIT_WRITE" ]
	[ "$(line process.rlimit)" = "process.rlimit RLIMIT_NOFILE 1024 1024" ]
	[ "$(line process.noNewPrivileges)" = "process.noNewPrivileges 1" ]
	[ "$(line 'root ')" = "root $b/rootfs readonly 1" ]
	[ "$(line hostname)" = "hostname runc" ]
	# flags: MS_NOSUID 2, MS_NODEV 4, MS_NOEXEC 8, MS_RDONLY 1, MS_STRICTATIME 0x1000000,
	# MS_RELATIME 0x200000; the rest of the options is the filesystem's data, in order
	[ "$(line 'mount /dev ')" = "mount /dev type=tmpfs source=tmpfs flags=0x1000002 propagation=0 data=mode=755,size=65536k" ]
	[ "$(line 'mount /dev/pts')" = "mount /dev/pts type=devpts source=devpts flags=0xa propagation=0 data=newinstance,ptmxmode=0666,mode=0620,gid=5" ]
	[ "$(line 'mount /sys/fs/cgroup')" = "mount /sys/fs/cgroup type=cgroup source=cgroup flags=0x20000f propagation=0 data=" ]
	[ "$(grep -c '^mount ' <<<"$output")" = 7 ]
	[ "$(line namespaces)" = "namespaces ipc uts network pid mount" ]
	[ "$(line readonlyPaths)" = "readonlyPaths [/proc/bus] [/proc/fs] [/proc/irq] [/proc/sys] [/proc/sysrq-trigger]" ]
	[ "$(line devicerule)" = "devicerule deny a -1:-1 rwm" ]
	[ "$(line cgroupsPath)" = "cgroupsPath (none)" ]
	! grep -q '^seccomp' <<<"$output"
}

@test "oci-config: podman's config.json loads: binds, resources, rlimits, annotations, seccomp kept" {
	b=$(bundle "$DATA/podman-run.json")
	run -0 "$SPEC_CHECK" load "$b"
	[ "$(line process.args)" = "process.args [/busybox] [echo] [hi]" ]
	[ "$(line process.user)" = "process.user 0 0 umask 18 gids" ]
	[ "$(line 'process.capabilities.bounding')" = "process.capabilities.bounding CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP" ]
	[ "$(line 'process.rlimit RLIMIT_NPROC')" = "process.rlimit RLIMIT_NPROC 32768 32768" ]
	[ "$(line hostname)" = "hostname web" ]
	# bind,rprivate,nosuid,noexec,nodev: MS_BIND 0x1000 + flags; MS_PRIVATE|MS_REC 0x44000
	[ "$(line 'mount /dev/shm')" = "$(printf 'mount /dev/shm type=bind source=%s flags=0x100e propagation=0x44000 data=' \
		"$(jq -r '.mounts[] | select(.destination=="/dev/shm") | .source' "$b/config.json")")" ]
	[ "$(line 'cgroupsPath')" = "cgroupsPath /libpod_parent/libpod-dc181eca9ebf592aa3ef813157b7d68e9ddc417c3cb0a62794e1e958aaf1b3d1" ]
	[ "$(line resources)" = "resources memory 67108864 134217728 0 cpu 0 0 0 - - pids 100" ]
	[ "$(line 'annotation io.container.manager')" = "annotation io.container.manager=libpod" ]
	# linux.seccomp is kept where it is for the seccomp compiler
	start=$(grep -ob '"seccomp"' "$b/config.json" | head -1 | cut -d: -f1)
	[[ $(line seccomp) == "seccomp bytes "*'..'*' {"defaultAction"' ]]
	[ "$(line maskedPaths | wc -w)" = 12 ]
}

@test "oci-config: ctr's config.json loads: root.path relative to the bundle, /run, cgroupsPath" {
	# `ctr oci spec` leaves args empty (ctr fills them): refused as runc refuses it
	b=$(bundle "$DATA/ctr-oci-spec.json")
	bad_bundle "$b" "config.json: process.args: must not be empty"
	b=$(bundle "$DATA/ctr-oci-spec.json" '.process.args=["/bin/true"]')
	run -0 "$SPEC_CHECK" load "$b"
	[ "$(line 'root ')" = "root $b/rootfs readonly 0" ]
	[ "$(line process.env)" = "process.env" ]
	[ "$(line process.noNewPrivileges)" = "process.noNewPrivileges 1" ]
	[ "$(line 'mount /run ')" = "mount /run type=tmpfs source=tmpfs flags=0x1000002 propagation=0 data=mode=755,size=65536k" ]
	[ "$(line cgroupsPath)" = "cgroupsPath /default" ]
	[ "$(line resources)" = "resources memory 0 0 0 cpu 0 0 0 - - pids 0" ]
	[ "$(line 'hostname')" = "hostname (none)" ]
}

@test "oci-config: every field of a full config, as the engine gets it" {
	b=$(bundle "$minimal" '.process += {terminal: true, consoleSize: {height: 24, width: 80},
		user: {uid: 1000, gid: 100, umask: 63, additionalGids: [5, 4294967295]},
		env: ["A=1", "B="], oomScoreAdj: -1000,
		capabilities: {bounding: ["CAP_SYS_ADMIN", "CAP_CHECKPOINT_RESTORE"], ambient: ["CAP_CHOWN"]},
		rlimits: [{type: "RLIMIT_CORE", soft: 0, hard: 1234}]}
		| .root.path = "/abs/root" | .hostname = "h"
		| .linux.namespaces += [{type: "uts"}, {type: "network", path: "/var/run/netns/x"}, {type: "time"}]
		| .linux += {cgroupsPath: "/a/b", rootfsPropagation: "rshared", sysctl: {"net.ipv4.ip_forward": "1"},
		  devices: [{path: "/dev/fuse", type: "c", major: 10, minor: 229}, {path: "/dev/p", type: "p", fileMode: 384, uid: 1, gid: 2}],
		  resources: {memory: {limit: 1048576, swap: -1, reservation: 4096}, pids: {limit: -1},
		   cpu: {shares: 512, quota: 50000, period: 100000, cpus: "0-1", mems: "0"},
		   devices: [{allow: false, access: "rwm"}, {allow: true, type: "b", major: 8, access: "r"}]}}
		| .hooks = {prestart: [{path: "/bin/hook", args: ["hook", "x"], timeout: 5}], poststop: [{path: "/p"}]}
		| .annotations = {"k": "v"}')
	sed -i 's/"hard":1234/"hard":18446744073709551615/' "$b/config.json"	# jq would round it
	run -0 "$SPEC_CHECK" load "$b"
	[ "$(line process.user)" = "process.user 1000 100 umask 63 gids 5 4294967295" ]
	[ "$(line process.terminal)" = "process.terminal 1 console 80x24" ]
	[ "$(line process.env)" = "process.env [A=1] [B=]" ]
	[ "$(line process.capabilities.bounding)" = "process.capabilities.bounding SYS_ADMIN CHECKPOINT_RESTORE" ]
	[ "$(line process.capabilities.ambient)" = "process.capabilities.ambient CHOWN" ]
	[ "$(line process.rlimit)" = "process.rlimit RLIMIT_CORE 0 18446744073709551615" ]
	[ "$(line process.oomScoreAdj)" = "process.oomScoreAdj -1000" ]
	[ "$(line 'root ')" = "root /abs/root readonly 0" ]
	[ "$(line namespaces)" = "namespaces uts network=/var/run/netns/x pid time mount" ]
	[ "$(line cgroupsPath)" = "cgroupsPath /a/b" ]
	[ "$(line rootfsPropagation)" = "rootfsPropagation 0x104000" ]
	[ "$(line sysctl)" = "sysctl net.ipv4.ip_forward=1" ]
	[ "$(line 'device /dev/fuse')" = "device /dev/fuse c 10:229 0666 0:0" ]
	[ "$(line 'device /dev/p')" = "device /dev/p p 0:0 0600 1:2" ]
	[ "$(line resources)" = "resources memory 1048576 -1 4096 cpu 512 50000 100000 0-1 0 pids -1" ]
	[ "$(line 'devicerule deny')" = "devicerule deny a -1:-1 rwm" ]
	[ "$(line 'devicerule allow')" = "devicerule allow b 8:-1 r" ]
	[ "$(line 'hook prestart')" = "hook prestart /bin/hook timeout=5 args [hook] [x]" ]
	[ "$(line 'hook poststop')" = "hook poststop /p timeout=0 args" ]
	[ "$(line annotation)" = "annotation k=v" ]
}

@test "oci-config: mount options become flags, propagation, recursive attributes and data (runc's table)" {
	b=$(bundle "$minimal" '.mounts = [
		{destination: "/a", type: "bind", source: "/s", options: ["rbind", "ro", "nosuid", "rw", "rslave", "x=1", "noexec", "exec", "nodev"]},
		{destination: "/b", type: "tmpfs", source: "tmpfs", options: ["size=1k", "tmpcopyup", "mode=700", "relatime", "norelatime", "strictatime"]},
		{destination: "/c", type: "bind", source: "/s", options: ["bind", "rro", "rnosuid", "rsuid", "rnoatime", "private", "unbindable"]},
		{destination: "/d", source: "/s", options: ["remount", "sync", "async", "dirsync", "mand", "noatime", "atime", "nodiratime", "defaults"]},
		{destination: "/e"}]')
	run -0 "$SPEC_CHECK" load "$b"
	# rbind MS_BIND|MS_REC 0x5000, nosuid 2, nodev 4 (ro cleared by rw, noexec by exec)
	[ "$(line 'mount /a')" = "mount /a type=bind source=/s flags=0x5006 propagation=0x84000 data=x=1" ]
	[ "$(line 'mount /b')" = "mount /b type=tmpfs source=tmpfs flags=0x1000000 propagation=0 data=size=1k,mode=700 tmpcopyup" ]
	# rro 1, rnosuid 2 then rsuid clears it; rnoatime: the atime field (0x70) cleared, noatime 0x10 set
	[ "$(line 'mount /c')" = "mount /c type=bind source=/s flags=0x1000 propagation=0x20000 data= attr=+0x11-0x72" ]
	# remount 0x20, dirsync 0x80, mand 0x40, nodiratime 0x800 (sync, noatime cleared)
	[ "$(line 'mount /d')" = "mount /d type= source=/s flags=0x8e0 propagation=0 data=" ]
	[ "$(line 'mount /e')" = "mount /e type= source= flags=0 propagation=0 data=" ]
}

@test "oci-config: destinations are cleaned and stay in the root, with a warning where runc 1.1 differs" {
	# runc 1.1.5, measured here: "rel" is mounted at /rel with a deprecation warning and
	# "/../x/y" at /x/y (securejoin); nanoctr does the same, with one warning line each
	b=$(bundle "$minimal" '.mounts = [{destination: "/a/./b//c/../d/"}, {destination: "x/../y"}, {destination: "/"},
		{destination: "/.."}, {destination: "/a/../../etc/../../x"}]')
	run --separate-stderr -0 "$SPEC_CHECK" load "$b"
	[ "${#stderr_lines[@]}" = 3 ]
	[ "${stderr_lines[0]}" = 'nanoctr: warning: config.json: mounts[1].destination: not absolute, taken from the container'"'"'s root: "x/../y"' ]
	[ "${stderr_lines[1]}" = 'nanoctr: warning: config.json: mounts[3].destination: ".." above the container'"'"'s root, kept at the root: "/.."' ]
	[ "${stderr_lines[2]}" = 'nanoctr: warning: config.json: mounts[4].destination: ".." above the container'"'"'s root, kept at the root: "/a/../../etc/../../x"' ]
	[ "$(grep '^mount ' <<<"$output" | cut -d' ' -f2 | tr '\n' ' ')" = "/a/b/d /y / / /x " ]
}

@test "oci-config: every refusal is one line naming the field" {
	bad '.ociVersion = "2.0.0"' 'ociVersion: unsupported version "2.0.0"'
	bad '.ociVersion = "1"' 'ociVersion: unsupported version "1"'
	bad 'del(.ociVersion)' 'ociVersion: missing'
	bad '.ociVersion = 1.0' 'ociVersion: expected a string at offset 14'
	bad 'del(.process)' 'process: missing'
	bad '.process.args = []' 'process.args: must not be empty'
	bad '.process.args = ["a", 1]' 'process.args[1]: expected a string at offset 45'
	bad '.process.cwd = "rel"' 'process.cwd: must be an absolute path, not "rel"'
	bad 'del(.process.cwd)' 'process.cwd: missing'
	bad '.process.env = ["A=1", "NOEQUALS"]' 'process.env[1]: not NAME=VALUE: "NOEQUALS"'
	bad '.process.env = ["=x"]' 'process.env[0]: not NAME=VALUE: "=x"'
	bad '.process.terminal = "yes"' 'process.terminal: expected true or false at offset 68'
	bad '.process.user = {uid: -1}' 'process.user.uid: number out of range at offset 71'
	bad '.process.user = {uid: 4294967296}' 'process.user.uid: number out of range at offset 71'
	bad '.process.user = {gid: 1.5}' 'process.user.gid: expected an integer at offset 71'
	bad '.process.user = {additionalGids: [1, "2"]}' 'process.user.additionalGids[1]: expected a number at offset 85'
	bad '.process.capabilities = {effective: ["CAP_CHOWN", "CAP_FOO"]}' 'process.capabilities.effective[1]: unknown capability "CAP_FOO"'
	bad '.process.capabilities = {bounding: ["chown"]}' 'process.capabilities.bounding[0]: unknown capability "chown"'
	bad '.process.capabilities = []' 'process.capabilities: expected an object at offset 72'
	bad '.process.rlimits = [{type: "RLIMIT_FOO", soft: 1, hard: 1}]' 'process.rlimits[0].type: unknown rlimit "RLIMIT_FOO"'
	bad '.process.rlimits = [{type: "RLIMIT_NOFILE"}, {type: "RLIMIT_NOFILE"}]' 'process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE"'
	bad '.process.rlimits = [{type: "RLIMIT_CPU", soft: -1}]' 'process.rlimits[0].soft: number out of range at offset 96'
	bad '.process.oomScoreAdj = 1001' 'process.oomScoreAdj: number out of range at offset 71'
	bad 'del(.root)' 'root: missing'
	bad '.root.path = ""' 'root.path: missing'
	bad '.root = "rootfs"' 'root: expected an object at offset 65'
	bad '.hostname = "h" | .linux.namespaces = [{type: "pid"}]' 'hostname: a private UTS namespace is needed to set the hostname'
	bad '.mounts = {}' 'mounts: expected an array at offset 149'
	bad '.mounts = [{destination: "/a", options: ["ro", 1]}]' 'mounts[0].options[1]: expected a string at offset 186'
	bad '.mounts = [{source: "/a"}]' 'mounts[0].destination: missing'
	bad '.linux.namespaces += [{type: "foo"}]' 'linux.namespaces[2].type: unknown namespace "foo"'
	bad '.linux.namespaces += [{type: "pid"}]' 'linux.namespaces[2].type: duplicated namespace "pid"'
	bad '.linux.namespaces += [{type: "net", path: "/x"}]' 'linux.namespaces[2].type: unknown namespace "net"'
	bad '.linux.namespaces += [{type: "network", path: "x"}]' 'linux.namespaces[2].path: must be an absolute path, not "x"'
	bad '.linux.namespaces += [{type: "user"}]' 'linux.uidMappings: a user namespace needs mappings'
	bad '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: 1000, size: 1}]' 'linux.gidMappings: a user namespace needs mappings'
	bad '.linux.namespaces += [{type: "user", path: "/proc/1/ns/user"}]' 'linux.namespaces[2].type: joining a user namespace is not supported yet'
	bad '.linux.uidMappings = [{containerID: 0, hostID: 1000, size: 1}]' 'linux.uidMappings: mappings without a user namespace'
	bad '.linux.gidMappings = [{containerID: 0, hostID: 1000, size: 1}]' 'linux.gidMappings: mappings without a user namespace'
	bad '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [{containerID: 0, hostID: -1, size: 1}]' 'linux.uidMappings[0].hostID: number out of range at offset 196'
	bad '.linux.namespaces += [{type: "user"}] | .linux.uidMappings = [range(17) | {containerID: ., hostID: ., size: 1}]' 'linux.uidMappings: more than 16 mappings are not supported'
	bad '.linux.rootfsPropagation = "everywhere"' 'linux.rootfsPropagation: unknown propagation "everywhere"'
	bad '.linux.devices = [{path: "/dev/x", type: "q"}]' 'linux.devices[0].type: unknown device type "q"'
	bad '.linux.devices = [{type: "c"}]' 'linux.devices[0].path: missing'
	bad '.linux.resources = {devices: [{allow: true, access: "rwx"}]}' 'linux.resources.devices[0].access: not a subset of "rwm": "rwx"'
	bad '.linux.resources = {memory: {limit: "1g"}}' 'linux.resources.memory.limit: expected a number at offset 170'
	bad '.linux.resources = {pids: {limit: 9223372036854775808}}' 'linux.resources.pids.limit: number out of range at offset 168'
	bad '.linux.sysctl = {"a": 1}' 'linux.sysctl.a: expected a string at offset 153'
	bad '.linux.seccomp = []' 'linux.seccomp: expected an object at offset 149'
	bad '.hooks = {prestart: [{path: "rel"}]}' 'hooks.prestart[0].path: must be an absolute path, not "rel"'
	bad '.hooks = {poststop: [{path: "/h", timeout: 0}]}' 'hooks.poststop[0].timeout: must be greater than zero'
	# one line whatever a value or key holds (found by the fuzzer): controls as \xNN
	bad '.linux.namespaces += [{type: "m\nount"}]' 'linux.namespaces[2].type: unknown namespace "m\x0aount"'
	bad '.linux.sysctl = {"k\n\"": 1}' 'linux.sysctl.k\x0a\": expected a string at offset 157'
	bad '.annotations = {"a": ["b"]}' 'annotations.a: expected a string at offset 159'
}

@test "oci-config: malformed JSON, a missing bundle, no config.json" {
	b=$(bundle '{"ociVersion":"1.0.2",}')
	bad_bundle "$b" 'config.json: expected a string as object key at offset 22'
	b=$(bundle '{"ociVersion":"1.0.2"')
	bad_bundle "$b" 'config.json: unexpected end of input at offset 21'
	b=$(bundle '[]')
	bad_bundle "$b" 'config.json: expected an object at offset 0'
	b=$(bundle '')
	bad_bundle "$b" 'config.json: unexpected end of input at offset 0'
	bad_bundle "$BATS_TEST_TMPDIR/nowhere" "bundle: $BATS_TEST_TMPDIR/nowhere: No such file or directory"
	mkdir "$BATS_TEST_TMPDIR/empty"
	bad_bundle "$BATS_TEST_TMPDIR/empty" "config.json: $BATS_TEST_TMPDIR/empty/config.json: No such file or directory"
	mkdir "$BATS_TEST_TMPDIR/empty/config.json"
	bad_bundle "$BATS_TEST_TMPDIR/empty" "config.json: $BATS_TEST_TMPDIR/empty/config.json: not a regular file"
	# a relative bundle is made absolute (runc: filepath.Abs) before root.path is joined
	b=$(bundle "$minimal")
	cd "$BATS_TEST_TMPDIR"
	run -0 "$SPEC_CHECK" load b
	[ "$(line 'root ')" = "root $BATS_TEST_TMPDIR/b/rootfs readonly 0" ]
	bad_bundle nowhere "bundle: $BATS_TEST_TMPDIR/nowhere: No such file or directory"
}

@test "oci-config: a big config.json (no fixed limit): 20000 mounts, 100000 env entries" {
	b=$(bundle "$minimal" '.mounts = [range(20000) | {destination: "/m\(.)", type: "tmpfs"}]
		| .process.env = [range(100000) | "V\(.)=x"]')
	run -0 "$SPEC_CHECK" load "$b"
	[ "$(grep -c '^mount ' <<<"$output")" = 20000 ]
	[ "$(line 'mount /m19999')" = "mount /m19999 type=tmpfs source= flags=0 propagation=0 data=" ]
	[[ $(line process.env) == *" [V99999=x]" ]]
}

@test "state: container IDs as runc's ^[\\w+-\\.]+\$, not . or .., at most 255 bytes" {
	for id in a abc-DEF_1.2+3 "a,b" "$(printf 'x%.0s' {1..255})" ...; do
		run -0 "$SPEC_CHECK" id "$id"
		[ "$output" = ok ]
	done
	for id in "a/b" ".." "." "a b" "a:b" "é" "$(printf 'x%.0s' {1..256})" "$(printf 'x%.0s' {1..1025})"; do
		run -1 "$SPEC_CHECK" id "$id"
		[ "$output" = "invalid id format: $id" ]
	done
	run -1 "$SPEC_CHECK" id ""
	[ "$output" = "container id cannot be empty" ]
}

@test "state: the pid file is digits only, no newline, written by rename in its directory" {
	run -0 "$SPEC_CHECK" pidfile "$BATS_TEST_TMPDIR/pid" 123
	[ "$(od -An -c "$BATS_TEST_TMPDIR/pid" | tr -d ' ')" = 123 ]
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/pid")" = 3 ]
	echo "999999 junk" >"$BATS_TEST_TMPDIR/pid"
	run -0 "$SPEC_CHECK" pidfile "$BATS_TEST_TMPDIR/pid" 7
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = 7 ]
	[ "$(ls -A "$BATS_TEST_TMPDIR" | grep -c pid)" = 1 ]	# no temporary left
	cd "$BATS_TEST_TMPDIR"
	run -0 "$SPEC_CHECK" pidfile relative 42
	[ "$(cat relative)" = 42 ]
	run -1 "$SPEC_CHECK" pidfile "$BATS_TEST_TMPDIR/no/dir/pid" 1
	[ "$output" = "No such file or directory" ]
}

@test "state: directory 0700, state.json written, read back, listed, EEXIST, removed" {
	root=$BATS_TEST_TMPDIR/run/nanoctr
	run -0 "$SPEC_CHECK" state "$root" web-1 4242
	[ "$(stat -c %a "$root")" = 700 ]
	[ "${lines[1]}" = "list web-1" ]
	[ "${lines[2]}" = "container with id exists: web-1" ]
	[ "${lines[3]}" = "remove 0" ]
	[ "${#lines[@]}" = 4 ]	# nothing listed after removal
	[ -z "$(ls -A "$root")" ]
	state=${lines[0]}
	[ "$(jq -r .id <<<"$state")" = web-1 ]
	[ "$(jq -r .pid <<<"$state")" = 4242 ]
	[ "$(jq -r .status <<<"$state")" = created ]
	[ "$(jq -r .bundle <<<"$state")" = /b ]
	[ "$(jq -r .rootfs <<<"$state")" = /b/rootfs ]
	[ "$(jq -r '.annotations["org.test"]' <<<"$state")" = 'a "quoted"
value' ]
	[ "$(jq -r .pidStartTime <<<"$state")" = 12345 ]
	# created: RFC 3339, UTC, up to 9 digits of fraction (Go's RFC3339Nano), and now
	created=$(jq -r .created <<<"$state")
	[[ $created =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]*[1-9])?Z$ ]]
	[ $(( $(date +%s) - $(date -d "$created" +%s) )) -le 60 ]
	run -1 "$SPEC_CHECK" state "$root" "../x" 1
	[ "$output" = "invalid id format: ../x" ]
}

@test "nanoctr spec: a config.json of exactly what run does by default" {
	cd "$BATS_TEST_TMPDIR"
	run -0 nanoctr spec
	[ -z "$output" ]
	jq -e . config.json >/dev/null
	[ "$(jq -r '.process.args[0]' config.json)" = sh ]
	[ "$(jq -c '[.linux.namespaces[].type]' config.json)" = '["ipc","uts","network","pid","cgroup","mount"]' ]
	# it loads, and the spec is the defaults nanoctr run builds, field by field
	run -0 "$SPEC_CHECK" load .
	diff <(sed "s|^root $BATS_TEST_TMPDIR/rootfs |root rootfs |" <<<"$output") <("$SPEC_CHECK" defaults)
	run --separate-stderr -1 nanoctr spec
	[ "$stderr" = "nanoctr: spec: File config.json exists. Remove it first" ]
	mkdir other
	run -0 nanoctr spec --bundle other
	cmp config.json other/config.json
	run --separate-stderr -1 nanoctr spec --rootless -b x
	[ "$stderr" = "nanoctr: spec: --rootless: rootless containers are not supported yet" ]
	run --separate-stderr -1 nanoctr spec -b "$BATS_TEST_TMPDIR/none"
	[ "$stderr" = "nanoctr: $BATS_TEST_TMPDIR/none: No such file or directory" ]
}

@test "nanoctr spec: runc runs a bundle made from it (a valid config)" {
	command -v runc >/dev/null || skip "runc is not installed"
	b=$BATS_TEST_TMPDIR/bundle
	mkdir "$b"
	nanoctr spec -b "$b"
	jq --arg root "$(fresh_rootfs)" --arg cg "nanoctr-spec-test-$$" \
		'.root.path = $root | .process.args = ["/bin/sh", "-c", "echo ran; exit 0"] | .linux.cgroupsPath = $cg' \
		"$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
	run -0 runc --root "$BATS_TEST_TMPDIR/runc" run -b "$b" "nanoctr-spec-$$" </dev/null
	[ "$output" = ran ]
	run -0 runc --root "$BATS_TEST_TMPDIR/runc" list -q
	[ -z "$output" ]
}

@test "nanoctr features: runtime-spec features JSON, truthful" {
	run --separate-stderr -0 nanoctr features
	jq -e . <<<"$output" >/dev/null
	[ "$(jq -r .ociVersionMin <<<"$output")" = 1.0.0 ]
	[ "$(jq -c .hooks <<<"$output")" = '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]' ]
	[ "$(jq -c .linux.namespaces <<<"$output")" = '["user","ipc","uts","network","pid","cgroup","mount"]' ]
	[ "$(jq -r '.linux.capabilities | length' <<<"$output")" = 41 ]
	[ "$(jq -r .linux.seccomp.enabled <<<"$output")" = true ]	# linux.seccomp is enforced (issue 11)
	[ "$(jq -r .linux.cgroup.systemd <<<"$output")" = false ]
	jq -e '.mountOptions | index("rbind") and index("tmpcopyup") and index("rro")' <<<"$output" >/dev/null
	# every mount option it lists is one the loader takes as a flag, not as data
	for o in $(jq -r '.mountOptions[]' <<<"$output"); do
		b=$(bundle "$minimal" ".mounts = [{destination: \"/x\", options: [\"$o\"]}]")
		run -0 "$SPEC_CHECK" load "$b"
		[ "$(line 'mount /x')" != "${output/data=$o/}" ] || { echo "$o is data"; false; }
		[[ $(line 'mount /x') == *"data=" || $(line 'mount /x') == *"data= "* ]]
	done
	run --separate-stderr -1 nanoctr features extra
	[ "$stderr" = "nanoctr: features: takes no arguments" ]
}
