#!/usr/bin/env bats
# Bad input to `nanoctr run`: every invalid argument is one line on stderr starting
# `nanoctr: `, exit 125, nothing on stdout, and nothing created (no mount, no cgroup, no
# change in the rootfs). Also the option spellings that must work, the default rootfs and
# $NANOCTR_ROOTFS, and running without root.

load helpers

# ---- helpers of this file ----

setup() {
	requires_root
	requires_nanoctr
	check_root=$ROOTFS
	refuse_env=()
	nonroot_dir=
}

teardown() {
	[[ -z ${nonroot_dir-} ]] || rm -rf -- "$nonroot_dir"
}

# tree DIR — every entry beneath DIR with its type, mode, owner, size and link target.
tree() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %l\n' | sort)
}

# Where nanoctr would create nanoctr-<its pid>: our own cgroup in each hierarchy there is.
setup_file() {
	local controller base bases=()
	for controller in memory pids cpu unified; do
		base=$(own_cgroup "$controller" 2>/dev/null) && bases+=("$base")
	done
	export ARGS_CGROUP_BASES=${bases[*]-}
}

# refuse WHY ARGS... — `nanoctr ARGS...` (with the variables in refuse_env) must refuse
# before creating anything: exit 125, empty stdout, stderr exactly the one line
# `nanoctr: WHY`, the mount table unchanged, no nanoctr-<its pid> cgroup beneath ours,
# and the tree of $check_root (default: the test rootfs) unchanged.
refuse() {
	local why=$1 mounts before pid base
	shift
	mounts=$(cat /proc/self/mountinfo)
	before=$(tree "$check_root")
	# the shell that writes its pid execs env, which execs nanoctr: one pid throughout
	run --separate-stderr bash -c 'echo $$ >"$1"; shift; exec "$@"' refuse "$BATS_TEST_TMPDIR/pid" \
		env ${refuse_env[@]+"${refuse_env[@]}"} "$NANOCTR" "$@"
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: $why"
	[ "$(cat /proc/self/mountinfo)" = "$mounts" ] || _assert_fail "the mount table changed"
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	for base in $ARGS_CGROUP_BASES; do
		[ ! -e "$base/nanoctr-$pid" ] || _assert_fail "$base/nanoctr-$pid was left"
	done
	[ "$(tree "$check_root")" = "$before" ] || _assert_fail "$check_root changed"
}

# long_path N — an absolute path of N characters.
long_path() {
	local name
	printf -v name '%*s' $(($1 - 1)) ''
	echo "/${name// /a}"
}

# ---- options ----

@test "unknown long option" {
	refuse "--bogus: unknown option (see nanoctr --help)" run --bogus -r "$ROOTFS" /bin/true
	refuse "--bogus=1: unknown option (see nanoctr --help)" run -r "$ROOTFS" --bogus=1 /bin/true
	# no abbreviations
	refuse "--root: unknown option (see nanoctr --help)" run --root "$ROOTFS" /bin/true
	refuse "--ROOTFS: unknown option (see nanoctr --help)" run --ROOTFS "$ROOTFS" /bin/true
}

@test "unknown short option, alone and in a group" {
	refuse "-x: unknown option (see nanoctr --help)" run -x -r "$ROOTFS" /bin/true
	refuse "-x: unknown option (see nanoctr --help)" run -r "$ROOTFS" -ix /bin/true
	refuse "-R: unknown option (see nanoctr --help)" run -R "$ROOTFS" /bin/true
}

@test "unknown command word" {
	refuse "frob: unknown command (see nanoctr --help)" frob -r "$ROOTFS" /bin/true
	refuse "--bogus: unknown command (see nanoctr --help)" --bogus
}

@test "missing option value" {
	refuse "--rootfs: requires a value" run --rootfs
	refuse "--rootfs: requires a value" run -r
	refuse "--env: requires a value" run -r "$ROOTFS" -e
	refuse "--hostname: requires a value" run -r "$ROOTFS" --hostname
	refuse "--workdir: requires a value" run -r "$ROOTFS" -w
}

@test "a value given to a flag: true or false as docker's (Go's ParseBool), nothing else" {
	refuse "--init x: must be true or false" run -r "$ROOTFS" --init=x /bin/true
	refuse "--read-only yes: must be true or false" run -r "$ROOTFS" --read-only=yes /bin/true
	refuse "--tty : must be true or false" run -r "$ROOTFS" --tty= /bin/true
	# --read-only=false after --read-only: the last wins, the root is writable
	run -0 --separate-stderr nanoctr run -r "$(fresh_rootfs)" --read-only --read-only=false \
		sh -c 'touch /x && echo rw'
	assert_output_equals rw
	run -1 --separate-stderr ctr --read-only=false --read-only=True sh -c 'touch /x 2>/dev/null'
	run -0 --separate-stderr ctr --tty=1 --tty=0 --interactive=F sh -c '[ -t 1 ] || echo notty'
	assert_output_equals notty
	run -0 --separate-stderr ctr --privileged --privileged=false probe caps
	assert_output_contains " bnd=00000000a00425fb "
}

@test "no COMMAND" {
	refuse "run: no COMMAND given (see nanoctr --help)" run
	refuse "run: no COMMAND given (see nanoctr --help)" run -r "$ROOTFS"
	refuse "run: no COMMAND given (see nanoctr --help)" run -r "$ROOTFS" --
	refuse "run: no COMMAND given (see nanoctr --help)" run -r "$ROOTFS" -e A=1 --name x
}

# ---- the rootfs ----

@test "nonexistent rootfs" {
	refuse "$BATS_TEST_TMPDIR/missing: No such file or directory" \
		run -r "$BATS_TEST_TMPDIR/missing" /bin/true
	[ ! -e "$BATS_TEST_TMPDIR/missing" ]
}

@test "rootfs is a file" {
	echo x >"$BATS_TEST_TMPDIR/file"
	refuse "$BATS_TEST_TMPDIR/file: rootfs is not a directory" run -r "$BATS_TEST_TMPDIR/file" /bin/true
}

@test "rootfs without /proc, /dev or /sys is refused and not repaired" {
	local rootfs dir
	rootfs=$(fresh_rootfs)
	check_root=$rootfs
	for dir in proc dev sys; do
		mv "$rootfs/$dir" "$rootfs/$dir.away"
		refuse "$rootfs/$dir: missing: the rootfs needs /proc, /dev and /sys directories" \
			run -r "$rootfs" /bin/true
		[ ! -e "$rootfs/$dir" ]
		mv "$rootfs/$dir.away" "$rootfs/$dir"
	done
	rmdir "$rootfs/proc"
	echo x >"$rootfs/proc"
	refuse "$rootfs/proc: not a directory" run -r "$rootfs" /bin/true
}

@test "rootfs whose /proc, /dev or /sys is a symlink (to the host's) is refused" {
	local rootfs dir
	rootfs=$(fresh_rootfs)
	check_root=$rootfs
	for dir in proc dev sys; do
		mv "$rootfs/$dir" "$rootfs/$dir.away"
		ln -s "/$dir" "$rootfs/$dir"
		refuse "$rootfs/$dir: is a symbolic link (refused: it could lead out of the rootfs)" \
			run -r "$rootfs" /bin/true
		rm "$rootfs/$dir"
		mv "$rootfs/$dir.away" "$rootfs/$dir"
	done
}

@test "relative rootfs" {
	refuse "--rootfs rootfs: must be an absolute path" run -r rootfs /bin/true
	refuse "--rootfs ./rootfs: must be an absolute path" run --rootfs=./rootfs /bin/true
	refuse "--rootfs : must be an absolute path" run --rootfs= /bin/true
}

@test "overlong paths (5000 characters)" {
	local long
	long=$(long_path 5000)
	refuse "--rootfs: path too long" run -r "$long" /bin/true
	refuse "--workdir: path too long" run -r "$ROOTFS" -w "$long" /bin/true
	refuse "--volume: path too long" run -r "$ROOTFS" -v "$long:/mnt" /bin/true
	refuse "--volume: path too long" run -r "$ROOTFS" -v "/tmp:$long" /bin/true
	refuse "--tmpfs: path too long" run -r "$ROOTFS" --tmpfs "$long" /bin/true
	refuse_env=(NANOCTR_ROOTFS="$long")
	refuse "NANOCTR_ROOTFS: path too long" run /bin/true
}

@test "-r / is refused" {
	refuse "/: refusing the host's root as the rootfs" run -r / /bin/true
}

@test "the host's root under another name is refused too (//, /tmp/.., a symlink to /)" {
	ln -s / "$BATS_TEST_TMPDIR/hostroot"
	refuse "//: refusing the host's root as the rootfs" run -r // /bin/true
	refuse "/tmp/..: refusing the host's root as the rootfs" run -r /tmp/.. /bin/true
	refuse "$BATS_TEST_TMPDIR/hostroot: refusing the host's root as the rootfs" \
		run -r "$BATS_TEST_TMPDIR/hostroot" /bin/true
}

# ---- -e ----

@test "64 -e are accepted" {
	local args=() i
	for ((i = 1; i <= 64; i++)); do
		args+=(-e "V$i=$i")
	done
	run -0 --separate-stderr env TERM=dumb "$NANOCTR" run -r "$ROOTFS" "${args[@]}" /usr/bin/env
	[ "${#lines[@]}" -eq 68 ] || _assert_fail "expected 64 variables + PATH, HOME, HOSTNAME, TERM"
	assert_line_equals V64=64
	assert_line_equals TERM=dumb
}

# docker has no limit: 64 -e and 32 -v/--tmpfs were refused ("too many variables"/"mounts")
@test "500 -e, 40 -v and 10 --tmpfs: every one reaches the container" {
	local args=() i src=$BATS_TEST_TMPDIR/src
	mkdir -p "$src"
	for ((i = 1; i <= 500; i++)); do
		args+=(-e "V$i=$i")
	done
	for ((i = 1; i <= 40; i++)); do
		args+=(-v "$src:/v$i:ro")
	done
	for ((i = 1; i <= 10; i++)); do
		args+=(--tmpfs "/t$i")
	done
	run -0 --separate-stderr env TERM=dumb "$NANOCTR" run -r "$ROOTFS" -e V7=seven "${args[@]}" \
		/bin/sh -c 'env | grep -c "^V"; echo $V7 $V500 $HOSTNAME; awk "\$5 ~ /^\/[vt][0-9]+\$/" /proc/self/mountinfo | wc -l'
	[[ $output == $'500\n7 500 '*$'\n50' ]]	# the last -e V7 wins, as docker
}

@test "-e with an empty name" {
	refuse "--env =x: empty variable name" run -r "$ROOTFS" -e =x /bin/true
	refuse "--env =: empty variable name" run -r "$ROOTFS" --env = /bin/true
	refuse "--env : empty variable name" run -r "$ROOTFS" -e '' /bin/true
}

# ---- other option values ----

@test "bad --network" {
	refuse "--network bridge: must be none or host" run -r "$ROOTFS" --network bridge /bin/true
	refuse "--network HOST: must be none or host" run -r "$ROOTFS" --network=HOST /bin/true
	refuse "--network : must be none or host" run -r "$ROOTFS" --network '' /bin/true
}

@test "bad -u" {
	# the message names the half that is wrong (UID or GID)
	refuse "--user : expected UID[:GID] or NAME[:GROUP]" run -r "$ROOTFS" -u 1: /bin/true
	refuse "--user : expected UID[:GID] or NAME[:GROUP]" run -r "$ROOTFS" -u :1 /bin/true
	refuse "--user : expected UID[:GID] or NAME[:GROUP]" run -r "$ROOTFS" -u '' /bin/true
	refuse "--user 2:3: expected UID[:GID] or NAME[:GROUP]" run -r "$ROOTFS" -u 1:2:3 /bin/true
	refuse "--user 4294967295: out of range" run -r "$ROOTFS" -u 4294967295 /bin/true
	refuse "--user 99999999999999999999999: out of range" run -r "$ROOTFS" -u 99999999999999999999999 /bin/true
	refuse "--user a"$'\n'"b: expected UID[:GID] or NAME[:GROUP]" run -r "$ROOTFS" -u $'a\nb' /bin/true
	# any other name is the container's to know, as docker: looked up, and not found
	local name
	for name in 'a b' -1 x/y "$(printf 'u%.0s' {1..300})"; do
		run -125 --separate-stderr ctr -u "$name" /bin/true
		assert_output_equals ""
		assert_stderr_equals "nanoctr: --user $name: no such entry in the container's /etc/passwd"
	done
}

@test "bad -v: no colon, relative SRC or DST, DST /, bad mode" {
	refuse "--volume /tmp: expected SRC:DST[:ro]" run -r "$ROOTFS" -v /tmp /bin/true
	refuse "--volume tmp: must be an absolute path" run -r "$ROOTFS" -v tmp:/mnt /bin/true
	refuse "--volume mnt: must be an absolute path" run -r "$ROOTFS" -v /tmp:mnt /bin/true
	refuse "--volume /: cannot mount over the container's root" run -r "$ROOTFS" -v /tmp:/ /bin/true
	refuse "--volume rx: invalid mode (ro or rw, z or Z, consistent, cached or delegated: one of each)" run -r "$ROOTFS" -v /tmp:/mnt:rx /bin/true
	refuse "--volume : invalid mode (ro or rw, z or Z, consistent, cached or delegated: one of each)" run -r "$ROOTFS" --volume=/tmp:/mnt: /bin/true
}

@test "nonexistent -v source" {
	refuse "$BATS_TEST_TMPDIR/missing: No such file or directory" \
		run -r "$ROOTFS" -v "$BATS_TEST_TMPDIR/missing:/mnt" /bin/true
	[ ! -e "$BATS_TEST_TMPDIR/missing" ]
}

@test "bad --tmpfs" {
	refuse "--tmpfs tmp: must be an absolute path" run -r "$ROOTFS" --tmpfs tmp /bin/true
	refuse "--tmpfs /: cannot mount over the container's root" run -r "$ROOTFS" --tmpfs / /bin/true
}

@test "--hostname: 1 to 64 bytes (HOST_NAME_MAX), whatever the kernel takes; '' is the default" {
	local long
	printf -v long '%065d' 0
	refuse "--hostname $long: must be at most 64 bytes (HOST_NAME_MAX)" \
		run -r "$ROOTFS" --hostname "$long" /bin/true
	# 64 is the limit, and it is accepted whole, in the UTS namespace and in $HOSTNAME
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" --hostname "${long:0:64}" \
		sh -c 'hostname; echo "$HOSTNAME"'
	assert_output_equals "${long:0:64}"$'\n'"${long:0:64}"
	# docker checks no characters: neither do we (the kernel takes any byte)
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" --hostname 'Web_1.a/b' hostname
	assert_output_equals 'Web_1.a/b'
	# empty: the default (the name, else nanoctr), so a later '' undoes an earlier one
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" --hostname x --hostname '' -n web hostname
	assert_output_equals web
}

@test "--name: docker's [a-zA-Z0-9][a-zA-Z0-9_.-]*; a name too long to be the hostname needs --hostname" {
	local long
	printf -v long '%065d' 0
	refuse "--name a b: invalid name (use [a-zA-Z0-9][a-zA-Z0-9_.-]*)" run -r "$ROOTFS" --name 'a b' /bin/true
	refuse "--name -a: invalid name (use [a-zA-Z0-9][a-zA-Z0-9_.-]*)" run -r "$ROOTFS" --name=-a /bin/true
	refuse "--name : must not be empty" run -r "$ROOTFS" --name '' /bin/true
	# never a cut hostname: 65 characters are refused as the default hostname...
	refuse "--name $long: too long for the default hostname (at most 64 characters): give --hostname" \
		run -r "$ROOTFS" -n "$long" /bin/true
	# ...and fine with one
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" -n "$long" --hostname h hostname
	assert_output_equals h
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" -n "${long:0:64}" hostname
	assert_output_equals "${long:0:64}"
}

@test "bad -m: abc, 1x, 1.2.3, 99999999999g, -1" {
	refuse "--memory abc: invalid size (use e.g. 64M, 1g)" run -r "$ROOTFS" -m abc /bin/true
	refuse "--memory 1x: invalid size (use e.g. 64M, 1g)" run -r "$ROOTFS" -m 1x /bin/true
	refuse "--memory 1.2.3: invalid size (use e.g. 64M, 1g)" run -r "$ROOTFS" -m 1.2.3 /bin/true
	refuse "--memory 64mbb: invalid size (use e.g. 64M, 1g)" run -r "$ROOTFS" -m 64mbb /bin/true
	refuse "--memory 99999999999g: too large" run -r "$ROOTFS" --memory 99999999999g /bin/true
	refuse "--memory -1: invalid size (use e.g. 64M, 1g)" run -r "$ROOTFS" --memory=-1 /bin/true
}

@test "-m as docker reads it: 0 is no limit; fractions, spaces and KiB/MB spellings" {
	local before
	before=$(nanoctr_cgroups memory)
	# 0: no limit, so no cgroup is made at all
	run -0 --separate-stderr ctr -m 0 sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes'
	[[ $output -gt $((1 << 50)) ]] || _assert_fail "-m 0 set a limit: $output"
	local spec want
	for spec in "1.5g=1610612736" "64MiB=67108864" "64mb=67108864" "64 M=67108864" \
		"6291456b=6291456" "0.5G=536870912" "6144k=6291456"; do
		want=${spec#*=}
		run -0 --separate-stderr ctr -m "${spec%=*}" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
		assert_output_equals "$want"
	done
	[[ $(nanoctr_cgroups memory) == "$before" ]] || _assert_fail "a cgroup was left behind"
}

@test "bad --pids-limit: -2, x, 1.5, 2^22+1; 0 and -1 are docker's unlimited" {
	refuse "--pids-limit -2: must be a positive integer" run -r "$ROOTFS" --pids-limit -2 /bin/true
	refuse "--pids-limit 4194305: out of range" run -r "$ROOTFS" --pids-limit 4194305 /bin/true
	# unlimited, even after a limit (the last wins): 20 forks work where 5 would stop them
	run -0 --separate-stderr ctr --pids-limit 5 --pids-limit -1 forkloop 20
	assert_output_equals "forkloop: started 20 of 20, fork: none"
	run -0 --separate-stderr ctr --pids-limit 5 --pids-limit 0 forkloop 20
	assert_output_equals "forkloop: started 20 of 20, fork: none"
	refuse "--pids-limit x: must be a positive integer" run -r "$ROOTFS" --pids-limit x /bin/true
	refuse "--pids-limit 1.5: must be a positive integer" run -r "$ROOTFS" --pids-limit=1.5 /bin/true
}

@test "bad --cpus: -1, abc, 1., and outside 0.01 to the CPUs we may use, as docker" {
	local n range
	n=$(nproc)	# sched_getaffinity's count, as docker's runtime.NumCPU
	range="range of CPUs is from 0.01 to $n.00, as there are only $n CPUs available"
	refuse "--cpus -1: must be a positive decimal number" run -r "$ROOTFS" --cpus -1 /bin/true
	refuse "--cpus abc: must be a positive decimal number" run -r "$ROOTFS" --cpus abc /bin/true
	refuse "--cpus 1.: must be a positive decimal number" run -r "$ROOTFS" --cpus=1. /bin/true
	refuse "--cpus 0.001: $range" run -r "$ROOTFS" --cpus 0.001 /bin/true
	refuse "--cpus 64: $range" run -r "$ROOTFS" --cpus 64 /bin/true
	refuse "--cpus $n.001: $range" run -r "$ROOTFS" --cpus "$n.001" /bin/true
	refuse "--cpus $n.0000001: $range" run -r "$ROOTFS" --cpus "$n.0000001" /bin/true
	refuse "--cpus 0.0099999: $range" run -r "$ROOTFS" --cpus 0.0099999 /bin/true
	refuse "--cpus $((n + 1)): $range" run -r "$ROOTFS" --cpus $((n + 1)) /bin/true
	refuse "--cpus 99999999999999999999: $range" run -r "$ROOTFS" --cpus 99999999999999999999 /bin/true
	# an affinity mask of one CPU makes one available
	refuse_env=(taskset -c 0)
	refuse "--cpus 1.5: range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available" \
		run -r "$ROOTFS" --cpus 1.5 /bin/true
	refuse_env=()
	# the bounds themselves are fine; 0 is docker's "no limit"
	run -0 --separate-stderr ctr --cpus "$n" /bin/true
	run -0 --separate-stderr ctr --cpus 0.01 /bin/true
	run -0 --separate-stderr ctr --cpus "$n.0000000" /bin/true
	run -0 --separate-stderr ctr --cpus 0 /bin/true
}

@test "bad --cgroup-parent: relative, with a '..' component, too long for the cgroup path" {
	refuse "--cgroup-parent foo: must be an absolute path" run -r "$ROOTFS" --cgroup-parent foo /bin/true
	refuse "--cgroup-parent /a/../b: must not contain '..'" run -r "$ROOTFS" --cgroup-parent /a/../b /bin/true
	refuse "--cgroup-parent /..: must not contain '..'" run -r "$ROOTFS" --cgroup-parent=/.. /bin/true
	refuse "--cgroup-parent /a/..: must not contain '..'" run -r "$ROOTFS" --cgroup-parent=/a/.. /bin/true
	# '' is the default again (the last wins), so this refuses the missing rootfs, not /x
	refuse "$BATS_TEST_TMPDIR/missing: No such file or directory" \
		run -r "$BATS_TEST_TMPDIR/missing" -m 50M --cgroup-parent /x --cgroup-parent= /bin/true
	# ~1,000 characters: it fits the option's limit but not with the cgroup mount and
	# "/nanoctr-PID" around it; never cut into a sibling cgroup
	refuse "--cgroup-parent: path too long" run -r "$ROOTFS" -m 50M \
		--cgroup-parent "$(long_path 1000)" /bin/true
	refuse "--cgroup-parent: path too long" run -r "$ROOTFS" --pids-limit 9 \
		--cgroup-parent "/$(printf 'a/%.0s' {1..500})" /bin/true
}

@test "--cgroup-parent with dots (systemd's user.slice, a..b, .hidden): accepted, the container lands there" {
	requires_cgroup_v1 memory
	local own_path name
	own_path=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
	for name in "test-$$.slice" "a..b-$$" ".hidden-$$"; do
		mkdir "$(own_cgroup memory)/$name"
		run --separate-stderr ctr -m 64M --cgroup-parent "${own_path%/}/$name" \
			cat /sys/fs/cgroup/memory/memory.limit_in_bytes
		rmdir "$(own_cgroup memory)/$name"	# nanoctr removed its own beneath it
		assert_status 0
		assert_output_equals 67108864
	done
}

@test "bad --cap-add / --cap-drop" {
	refuse "--cap-add NOPE: unknown capability" run -r "$ROOTFS" --cap-add NOPE /bin/true
	refuse "--cap-drop CAP_NOPE: unknown capability" run -r "$ROOTFS" --cap-drop CAP_NOPE /bin/true
}

@test "bad --security-opt" {
	refuse "--security-opt foo: supported: seccomp=unconfined, seccomp=PROFILE.json, no-new-privileges" \
		run -r "$ROOTFS" --security-opt foo /bin/true
	# a profile is read at once: a missing one is refused before anything (tests/seccomp.bats)
	refuse "--security-opt seccomp=$BATS_TEST_TMPDIR/default.json: No such file or directory" \
		run -r "$ROOTFS" --security-opt "seccomp=$BATS_TEST_TMPDIR/default.json" /bin/true
}

@test "valid limits with a bad rootfs: refused before any cgroup exists" {
	refuse "$BATS_TEST_TMPDIR/missing: No such file or directory" \
		run -m 50M --pids-limit 10 --cpus 0.5 -r "$BATS_TEST_TMPDIR/missing" /bin/true
	refuse "$BATS_TEST_TMPDIR/missing: No such file or directory" \
		run -m 50M -v "$BATS_TEST_TMPDIR/missing:/mnt" -r "$ROOTFS" /bin/true
}

@test "the cgroup check above works: a run with -m has nanoctr-<pid> beneath our cgroup" {
	requires_cgroup memory
	local base pid i found=
	base=$(own_cgroup memory)
	[[ " $ARGS_CGROUP_BASES " == *" $base "* ]]
	"$NANOCTR" run -r "$ROOTFS" -m 50M /bin/sleep 1 3>&- &
	pid=$!
	for ((i = 0; i < 40; i++)); do
		[ -d "$base/nanoctr-$pid" ] && found=1 && break
		sleep 0.05
	done
	wait "$pid"
	[ -n "$found" ] || _assert_fail "no $base/nanoctr-$pid while it ran"
	[ ! -e "$base/nanoctr-$pid" ] || _assert_fail "$base/nanoctr-$pid left after the run"
}

# ---- the default rootfs, $NANOCTR_ROOTFS ----

@test "default rootfs missing: the error says how to make one" {
	[ ! -e /tmp/alpine-rootfs ] || skip "/tmp/alpine-rootfs exists on this host"
	local why="/tmp/alpine-rootfs: No such file or directory (make one: rootfs-scripts/busybox.sh /tmp/alpine-rootfs, or pass --rootfs)"
	refuse_env=(-u NANOCTR_ROOTFS)
	refuse "$why" run /bin/true
	assert_stderr_contains "rootfs-scripts/busybox.sh"
	# an empty NANOCTR_ROOTFS is as unset
	refuse_env=(NANOCTR_ROOTFS=)
	refuse "$why" run /bin/true
	[ ! -e /tmp/alpine-rootfs ]
}

@test "NANOCTR_ROOTFS is used when set; --rootfs wins over it" {
	run -0 --separate-stderr env NANOCTR_ROOTFS="$ROOTFS" "$NANOCTR" run /bin/cat /etc/os-release
	assert_output_equals "$(cat "$ROOTFS/etc/os-release")"
	run -0 --separate-stderr env NANOCTR_ROOTFS="$BATS_TEST_TMPDIR/missing" "$NANOCTR" run -r "$ROOTFS" /bin/cat /etc/os-release
	assert_output_equals "$(cat "$ROOTFS/etc/os-release")"
	refuse_env=(NANOCTR_ROOTFS="$BATS_TEST_TMPDIR/missing")
	refuse "$BATS_TEST_TMPDIR/missing: No such file or directory" run /bin/true
	refuse_env=(NANOCTR_ROOTFS=relative/rootfs)
	refuse "NANOCTR_ROOTFS: must be an absolute path" run /bin/true
}

# ---- option spellings that must work ----

@test "--opt=value, --opt value, -o value, -ovalue all work" {
	run -0 --separate-stderr nanoctr run --rootfs="$ROOTFS" --hostname=h1 /bin/hostname
	assert_output_equals h1
	run -0 --separate-stderr nanoctr run --rootfs "$ROOTFS" --hostname h2 /bin/hostname
	assert_output_equals h2
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" -n h3 /bin/hostname
	assert_output_equals h3
	run -0 --separate-stderr nanoctr run "-r$ROOTFS" -nh4 -eA=5 -w/tmp /bin/sh -c 'hostname; echo "$A"; pwd'
	assert_output_equals $'h4\n5\n/tmp'
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" --env=B=x=y /bin/sh -c 'echo "$B"'
	assert_output_equals x=y
}

feed_hi() {
	echo hi | "$NANOCTR" run -r "$ROOTFS" "$@"
}

@test "grouped flags: -it and -ti give a pty and keep stdin; -in NAME takes the value after" {
	requires_cmd script
	# -it wants a terminal on stdin: script(1) gives nanoctr one, fed from a pipe.
	run -0 --separate-stderr timeout 20 bash -c 'echo hi | script -qec "$0 run -r $1 -it /bin/sh -c '\''read -r x; echo \"got \$x\"; readlink /proc/self/fd/0'\''" /dev/null' "$NANOCTR" "$NANOCTR_TEST_ROOTFS"
	assert_output_contains $'got hi\r\n/dev/pts/0'
	run -0 --separate-stderr timeout 20 bash -c 'echo hi | script -qec "$0 run -r $1 -ti /bin/sh -c '\''read -r x; echo \"got \$x\"; [ -t 0 ] && echo tty'\''" /dev/null' "$NANOCTR" "$NANOCTR_TEST_ROOTFS"
	assert_output_contains $'got hi\r\ntty'
	run -0 --separate-stderr feed_hi -in grouped /bin/sh -c 'hostname; cat'
	assert_output_equals $'grouped\nhi'
}

@test "options after COMMAND belong to the command" {
	local out
	out=$("$NANOCTR" run -r "$ROOTFS" echo -n x; echo .)
	[ "$out" = x. ] || _assert_fail "echo -n x printed: $out"
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" /bin/sh -c 'printf "[%s]" "$@"' sh -r /x --help -e A=1 --
	assert_output_equals "[-r][/x][--help][-e][A=1][--]"
	# -- ends the options: what follows is the command even when it looks like one
	run -0 --separate-stderr nanoctr run -r "$ROOTFS" -- echo --rootfs
	assert_output_equals --rootfs
	run -127 --separate-stderr nanoctr run -r "$ROOTFS" -- --bogus
	assert_stderr_equals 'nanoctr: --bogus: executable file not found in $PATH'
}

# ---- not root ----

@test "running as non-root: rootless (issue 12), but a limit without a delegated cgroup v2 subtree is refused (125)" {
	requires_cmd setpriv
	requires_cgroup_v1 memory
	# nobody must be able to reach the binary and the rootfs: copies in a 755 directory
	nonroot_dir=$(mktemp -d /tmp/nanoctr-nonroot.XXXXXX)
	chmod 755 "$nonroot_dir"
	cp "$NANOCTR" "$nonroot_dir/nanoctr"
	chmod 755 "$nonroot_dir/nanoctr"
	cp -a "$ROOTFS" "$nonroot_dir/rootfs"
	check_root=$nonroot_dir/rootfs
	refuse_env=(setpriv --reuid 65534 --regid 65534 --clear-groups)
	NANOCTR=$nonroot_dir/nanoctr refuse "--memory: rootless, a limit needs a cgroup v2 subtree delegated to this user (here the controller is on cgroup v1, root's)" \
		run -r "$check_root" -m 50M /bin/true
	# bad input is still bad input first
	NANOCTR=$nonroot_dir/nanoctr refuse "--bogus: unknown option (see nanoctr --help)" run --bogus -r "$check_root" /bin/true
}

# ---- repeated options ----

@test "the last of a repeated option wins, for every option that takes one value" {
	requires_cgroup_v1 memory
	requires_cgroup_v1 pids
	requires_cgroup_v1 cpu
	run -0 --separate-stderr nanoctr run -r /nonexistent -r "$(fresh_rootfs)" -n first -n second \
		--hostname a --hostname b -w /tmp -w /usr --network host --network none \
		-m 10M -m 64M --pids-limit 5 --pids-limit 50 --cpus 0.5 --cpus 1 \
		-u nobody -u 0 --read-only --read-only=false --init --init=false sh -c '
		hostname; pwd; ls /sys/class/net | tr "\n" " "; echo
		cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max \
			/sys/fs/cgroup/cpu/cpu.cfs_quota_us
		id -u; touch /tmp/rw && echo rw; echo $$'
	assert_output_equals "$(printf '%s\n' b /usr 'lo ' 67108864 50 100000 0 rw 1)"
}

# ---- error texts ----

@test "every errno has its text: glibc's strerror where nanoctr meets it (E2BIG, ENXIO, EOVERFLOW, EFAULT), else its name, up to 133" {
	requires_cmd python3 strings
	local deny=$ROOTFS/usr/local/bin/seccomp-deny e texts=()
	[[ -x $deny ]] || skip "seccomp-deny was not built"
	# strerror's text for 1 to 40 and the errnos of nanoctr's paths (out.c), the
	# name (strerrorname_np) for the rest
	mapfile -t texts < <(python3 -c 'import os, errno
errno.errorcode[133] = "EHWPOISON"
text = {61, 75, 84, 88, 93, 95, 97, 105, 110, 111, 116, 117, 122, 123}
for e in range(134):
	print(os.strerror(e) if e <= 40 or e in text else errno.errorcode.get(e, ""))')
	# sethostname (x86_64: 170) fails in the container's setup with errno e: the issue's
	# four, the ends of the table and the numbers around the gaps (41 and 58 are no error)
	for e in 7 6 75 14 1 40 42 57 59 95 133; do
		run -125 --separate-stderr "$deny" 170 "$e" "$NANOCTR" run -r "$ROOTFS" /bin/true
		assert_stderr_equals "nanoctr: sethostname: ${texts[e]}"
	done
	# and every other text is in the binary
	for ((e = 1; e <= 133; e++)); do
		[[ $e == 41 || $e == 58 ]] && continue
		grep -qxF -- "${texts[e]}" < <(strings -n 2 "$NANOCTR") || _assert_fail "no text for errno $e: ${texts[e]}"
	done
}
