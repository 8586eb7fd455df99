#!/usr/bin/env bats
# Rootless `run` (issue 12): nanoctr started by a user without root, through setpriv,
# as `nobody` (no subordinate range: only the caller is mapped, setgroups denied) and as
# a test user this file creates with its own /etc/subuid and /etc/subgid range (mapped
# through newuidmap/newgidmap). Where it says so, the same probe runs under
# `bwrap --unshare-all` by the same user.
#
# The binary and the rootfs are copied into a 0755 directory of this file's own (tests/run
# makes its temp dir 0700): nobody gets a root-owned copy (as a shared image would be),
# the test user a copy it owns (as an image it unpacked itself: root inside owns it).

# shellcheck disable=SC2016 # the container expands $ in the scripts given to its sh -c
load helpers

TEST_USER=nanoctr-rl-test
SUB_START=3100000
SUB_COUNT=65536

setup_file() {
	[[ $EUID -eq 0 ]] || skip "requires root (to switch to the test users)"
	[[ -n $NANOCTR && -x $NANOCTR ]] || skip "requires the nanoctr binary"
	command -v setpriv >/dev/null || skip "requires setpriv"
	RL=$(mktemp -d /tmp/nanoctr-rl.XXXXXX)
	chmod 0755 "$RL"
	export RL
	cp -- "$NANOCTR" "$RL/nanoctr"
	chmod 0755 "$RL/nanoctr"
	cp -a -- "$ROOTFS" "$RL/rootfs"
	if command -v useradd >/dev/null && command -v newuidmap >/dev/null; then
		# a leftover of a run that was killed: it is ours (the name is)
		! id -u "$TEST_USER" >/dev/null 2>&1 || userdel "$TEST_USER"
		# no automatic range: only the lines added below
		useradd -M -s /usr/sbin/nologin -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$TEST_USER"
		usermod --add-subuids "$SUB_START-$((SUB_START + SUB_COUNT - 1))" \
			--add-subgids "$SUB_START-$((SUB_START + SUB_COUNT - 1))" "$TEST_USER"
		cp -a -- "$ROOTFS" "$RL/rootfs-user"
		chown -R "$TEST_USER:" "$RL/rootfs-user"
		mkdir "$RL/user-dir"
		chown "$TEST_USER:" "$RL/user-dir"
		export RL_USER_UID RL_USER_GID
		RL_USER_UID=$(id -u "$TEST_USER")
		RL_USER_GID=$(id -g "$TEST_USER")
	fi
}

teardown_file() {
	if id -u "$TEST_USER" >/dev/null 2>&1; then
		local pid
		for pid in $(pgrep -u "$TEST_USER"); do	# the test user's: ours alone
			kill -KILL "$pid" 2>/dev/null || true
		done
		userdel "$TEST_USER"	# its /etc/subuid and /etc/subgid lines go with it
	fi
	# and if userdel left them: our lines only, by name
	! grep -q "^$TEST_USER:" /etc/subuid /etc/subgid 2>/dev/null ||
		usermod --del-subuids "$SUB_START-$((SUB_START + SUB_COUNT - 1))" "$TEST_USER" 2>/dev/null ||
		sed -i "/^$TEST_USER:/d" /etc/subuid /etc/subgid
	if [[ -n ${RL-} && $RL == /tmp/nanoctr-rl.* ]]; then
		if awk -v d="$RL" 'index($5, d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
			echo "mounts left beneath $RL: not removing it" >&2
			return 1
		fi
		rm -rf --one-file-system -- "$RL"
	fi
}

setup() {
	[[ -n ${RL-} ]] || skip "setup_file did not run"
	host_pid=
}

teardown() {
	if [[ -n ${host_pid-} ]]; then
		kill -KILL "$host_pid" 2>/dev/null || true
		wait "$host_pid" 2>/dev/null || true
	fi
	[[ -z ${TMUX_SOCKET-} ]] || tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
	if [[ -n ${oci_nobody_state-} ]]; then
		as_nobody "$RL/nanoctr-oci" --root "$oci_nobody_state" delete --force rl5 2>/dev/null || true
	fi
}

requires_test_user() {
	[[ -n ${RL_USER_UID-} ]] || skip "requires useradd and newuidmap (apt-get install uidmap)"
}

# as_nobody CMD... / as_user CMD... — CMD as that user, no capabilities, from /.
as_nobody() {
	(cd / && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@")
}

as_user() {
	(cd / && exec setpriv --reuid="$RL_USER_UID" --regid="$RL_USER_GID" --init-groups -- "$@")
}

# rl_nobody / rl_user [OPTIONS] [--] COMMAND... — `nanoctr run` as that user, on its rootfs.
rl_nobody() {
	as_nobody "$RL/nanoctr" run -r "$RL/rootfs" "$@"
}

rl_user() {
	as_user "$RL/nanoctr" run -r "$RL/rootfs-user" "$@"
}

# bwrap_nobody COMMAND... — the same rootfs under bwrap --unshare-all, as nobody.
bwrap_nobody() {
	as_nobody bwrap --unshare-all --bind "$RL/rootfs" / --proc /proc --dev /dev -- "$@"
}

@test "rootless, nobody: root inside, only the caller mapped, setgroups denied; hostname, pid 1" {
	run --separate-stderr rl_nobody --hostname rl-box sh -c \
		'id -u; id -g; hostname; echo $$; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assert_status 0
	assert_stderr_equals ""
	[[ ${lines[*]:0:4} == "0 0 rl-box 1" ]] || _assert_fail "expected uid 0, gid 0, rl-box, pid 1"
	[[ $(echo ${lines[4]}) == "0 65534 1" && $(echo ${lines[5]}) == "0 65534 1" ]] ||
		_assert_fail "expected uid and gid maps 0 -> 65534, one id"
	[[ ${lines[6]} == deny ]] || _assert_fail "expected setgroups deny"
}

@test "rootless, subordinate range: 0 is the caller, 1..65536 the range, setgroups allowed" {
	requires_test_user
	run --separate-stderr rl_user sh -c 'id; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assert_status 0
	assert_stderr_equals ""
	[[ ${lines[0]} == "uid=0(root) gid=0(root)" ]] || _assert_fail "expected root without groups"
	[[ $(echo ${lines[1]}) == "0 $RL_USER_UID 1" && $(echo ${lines[2]}) == "1 $SUB_START $SUB_COUNT" ]] ||
		_assert_fail "expected the uid map 0 -> the user, 1.. -> its range"
	[[ $(echo ${lines[3]}) == "0 $RL_USER_GID 1" && $(echo ${lines[4]}) == "1 $SUB_START $SUB_COUNT" ]] ||
		_assert_fail "expected the gid map 0 -> the user's group, 1.. -> its range"
	[[ ${lines[5]} == allow ]] || _assert_fail "expected setgroups allow"
}

@test "rootless: the container's mounts — pivoted root, proc, sysfs ro, /dev of host nodes, devpts, masks" {
	run --separate-stderr rl_nobody sh -c '
		awk "{ for (i = 7; \$i != \"-\"; i++) ; print \$5, \$(i + 1) }" /proc/self/mountinfo
		echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c
		wc -c < /proc/keys; touch /sys/x 2>&1; true'
	assert_status 0
	assert_stderr_equals ""
	assert_line_equals "/ ext4"
	assert_line_equals "/proc proc"
	assert_line_equals "/dev tmpfs"
	assert_line_equals "/dev/null devtmpfs"	# the host's node, bound (mknod: EPERM)
	assert_line_equals "/dev/tty devtmpfs"
	assert_line_equals "/dev/pts devpts"
	assert_line_equals "/dev/shm tmpfs"
	assert_line_equals "/dev/mqueue mqueue"
	assert_line_equals "/sys sysfs"
	assert_line_equals "/proc/keys devtmpfs"	# masked: the bound /dev/null
	assert_line_equals "/sys/firmware tmpfs"
	assert_line_equals "/proc/sys proc"
	[[ ${lines[-4]} == 3 && ${lines[-3]} == 4 && ${lines[-2]} == 0 ]] ||
		_assert_fail "expected 3 bytes of /dev/zero, 4 of /dev/urandom, 0 of /proc/keys"
	assert_line_equals "touch: /sys/x: Read-only file system"
	# nothing of the host's tree: no mount of our temp dir, no old root
	assert_output_not_contains "$RL"
	[[ $(grep -c '^/ ' <<<"$output") == 1 ]] || _assert_fail "more than one root mount"
}

@test "rootless: exit statuses 0, 7, 126, 127, and 128+N for a signal" {
	run rl_nobody true
	assert_status 0
	run rl_nobody sh -c 'exit 7'
	assert_status 7
	run --separate-stderr rl_nobody /etc/passwd
	assert_status 126
	assert_stderr_equals "nanoctr: /etc/passwd: Permission denied"
	run -127 --separate-stderr rl_nobody /no/such/command
	assert_status 127
	assert_stderr_equals "nanoctr: /no/such/command: No such file or directory"
	# --init: the command is not PID 1 and dies of its own SIGUSR1
	run rl_nobody --init sh -c 'kill -USR1 $$'
	assert_status 138
}

@test "rootless: a stop signal from outside reaches the command (--init: 143; PID 1: the second kills, 137)" {
	bg_job setpriv --reuid=65534 --regid=65534 --clear-groups -- "$RL/nanoctr" run -r "$RL/rootfs" --init sleep 100
	host_pid=$bg_pid
	for ((i = 0; i < 100; i++)); do has_descendant "$bg_pid" sleep && break; sleep 0.05; done
	has_descendant "$bg_pid" sleep || _assert_fail "the container's sleep never started"
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 143
	bg_job setpriv --reuid=65534 --regid=65534 --clear-groups -- "$RL/nanoctr" run -r "$RL/rootfs" sleep 100
	host_pid=$bg_pid
	for ((i = 0; i < 100; i++)); do has_descendant "$bg_pid" sleep && break; sleep 0.05; done
	kill -TERM "$bg_pid"
	wait_signal_taken "$bg_pid" TERM
	kill -TERM "$bg_pid"
	wait_bg
	assert_status 137
	host_pid=
}

@test "rootless: -u 1000 is a real user with the range (files are range+999 on the host); refused without one" {
	requires_test_user
	mkdir -m 1777 "$RL/shared"
	run --separate-stderr rl_user -u 1000:1000 -v "$RL/shared:/shared" sh -c 'id; touch /shared/f'
	assert_status 0
	assert_output_equals "uid=1000 gid=1000"
	[[ $(stat -c %u:%g "$RL/shared/f") == "$((SUB_START + 999)):$((SUB_START + 999))" ]] ||
		_assert_fail "expected the file owned by $((SUB_START + 999)) on the host"
	rm -rf -- "$RL/shared"
	# beyond the range; and nobody, who has none: refused before anything is created
	run --separate-stderr rl_user -u 70000 true
	assert_status 125
	assert_stderr_prefix "nanoctr: --user: not mapped in the user namespace"
	run --separate-stderr rl_nobody -u 1000 true
	assert_status 125
	assert_stderr_equals "nanoctr: --user: not mapped in the user namespace (rootless: 0 is you; 1..N need your range in /etc/subuid and /etc/subgid, and newuidmap/newgidmap)"
	# a name the container resolves to an unmapped uid: the same message, from the setup
	run --separate-stderr rl_nobody -u nobody true
	assert_status 125
	assert_stderr_prefix "nanoctr: --user: not mapped in the user namespace"
}

@test "rootless: a volume the user owns is root's inside and writable; host root's files stay unwritable and /etc/shadow unreadable (as under bwrap)" {
	requires_test_user
	requires_cmd bwrap
	local rootdir=$RL/root-dir
	mkdir -p "$rootdir"
	echo host > "$rootdir/file"
	run --separate-stderr rl_user -v "$RL/user-dir:/mnt" -v "$rootdir:/srv" -v /etc:/hostetc sh -c '
		stat -c "%u:%g" /mnt; echo hi > /mnt/new && echo wrote
		echo pwn > /srv/file || echo denied; touch /srv/x || echo denied
		cat /hostetc/shadow > /dev/null || echo denied
		chown 0 /srv/file || echo denied'
	assert_status 0
	[[ ${lines[0]} == "0:0" && ${lines[1]} == wrote ]] || _assert_fail "the user's dir is not root's inside"
	[[ $(grep -c '^denied$' <<<"$output") == 4 ]] || _assert_fail "expected four denials"
	assert_stderr_contains "/srv/file: Permission denied"
	assert_stderr_contains "can't open '/hostetc/shadow': Permission denied"
	[[ $(stat -c %u "$RL/user-dir/new") == "$RL_USER_UID" ]] || _assert_fail "the file is not the user's on the host"
	[[ $(cat "$rootdir/file") == host && ! -e $rootdir/x ]] || _assert_fail "a host root file changed"
	# bwrap, same user: the same denials
	run as_user bwrap --unshare-all --bind "$RL/rootfs-user" / --proc /proc --dev /dev \
		--bind "$rootdir" /srv --bind /etc /hostetc -- sh -c '
		echo pwn > /srv/file || echo denied; touch /srv/x || echo denied
		cat /hostetc/shadow > /dev/null || echo denied'
	[[ $(grep -c '^denied$' <<<"$output") == 3 ]] || _assert_fail "bwrap: expected three denials"
	# nobody, whose rootfs is root's: it cannot write there either
	run --separate-stderr rl_nobody sh -c 'touch /etc/x || echo denied; cat /etc/shadow 2>/dev/null; echo $?'
	assert_output_contains "denied"
	[[ ! -e $RL/rootfs/etc/x ]] || _assert_fail "nobody wrote into a root-owned rootfs"
}

@test "rootless: a cgroup limit without a delegated cgroup v2 subtree is refused (125) before anything exists" {
	local limit v controller
	for limit in "-m 50M" "--pids-limit 10" "--cpus 0.5"; do
		read -r opt v <<<"$limit"
		case $opt in
		-m) controller=memory opt=--memory ;;
		--pids-limit) controller=pids ;;
		--cpus) controller=cpu ;;
		esac
		run --separate-stderr rl_nobody "${limit%% *}" "$v" true
		assert_status 125
		if [[ $(cgroup_version "$controller") == 1 ]]; then
			assert_stderr_equals "nanoctr: $opt: rootless, a limit needs a cgroup v2 subtree delegated to this user (here the controller is on cgroup v1, root's)"
		else
			assert_stderr_prefix "nanoctr: $opt: rootless, a limit needs a cgroup v2 subtree delegated to this user ("
		fi
	done
	# no limit, no cgroup needed
	run rl_nobody true
	assert_status 0
}

@test "rootless escapes: the privileged-syscall probe is denied as for root, and as under bwrap" {
	requires_cmd bwrap
	local p='unshare setns mount umount2 bpf perf_event_open clone-newuts adjtimex-write settimeofday reboot sethostname userfaultfd finit_module open_by_handle_at keyctl io_uring_setup'
	local script="exec 2>&1; for p in $p; do syscall-probe \$p || echo \"\$p: status \$?\"; done"
	run --separate-stderr "$NANOCTR" run -r "$ROOTFS" sh -c "$script"
	assert_status 0
	local as_root=$output
	run --separate-stderr rl_nobody sh -c "$script"
	assert_status 0
	[[ $output == "$as_root" ]] || _assert_fail "rootless differs from root:" "$as_root"
	assert_output_not_contains ": ok"
	# bwrap denies the ones that need a privilege (its other answers are argument checks)
	run bwrap_nobody sh -c 'for p in unshare mount bpf clone-newuts adjtimex-write settimeofday reboot sethostname userfaultfd; do syscall-probe $p; done'
	assert_output_not_contains ": ok"
}

@test "rootless escapes: chroot walk-out, proc/tmpfs mounts, /proc/sys writes, host pids, user namespaces, mknod, release_agent" {
	local before
	before=$(cat /proc/sys/kernel/hostname)
	sleep 60 3>&- &
	host_pid=$!
	run --separate-stderr rl_user sh -c "
		probe chroot-escape; probe mount-proc; probe mount-tmpfs
		probe write /proc/sys/kernel/hostname pwned
		probe kill $host_pid 9
		probe unshare-user; probe clone-newuser
		probe mknod-disk; probe mknod-disk 8:0
		for f in /sys/fs/cgroup/*/release_agent; do [ -e \"\$f\" ] && probe write \"\$f\" /tmp/pwn; done; true"
	assert_status 0
	assert_line_equals "probe chroot-escape: contained"
	assert_line_equals "probe mount-proc: EPERM"
	assert_line_equals "probe mount-tmpfs: EPERM"
	# a host root file: denied before the read-only mount is looked at
	assert_line_equals "probe write: EACCES"
	assert_line_equals "probe kill: ESRCH"
	assert_line_equals "probe unshare-user: EPERM"
	assert_line_equals "probe clone-newuser: EPERM"
	[[ $(grep -c '^probe mknod-disk: EPERM$' <<<"$output") == 2 ]] || _assert_fail "mknod was not refused"
	assert_output_not_contains ": ok"
	[[ $(cat /proc/sys/kernel/hostname) == "$before" ]] || _assert_fail "the host's hostname changed"
	kill -0 "$host_pid" || _assert_fail "the host's sleep was killed"
}

@test "rootless: --network host works (the host's /sys bound read-only), loopback is the host's" {
	run --separate-stderr rl_nobody --network host sh -c 'ls /sys/class/net; touch /sys/x 2>&1; awk "\$5 == \"/sys\" { print \$6 }" /proc/self/mountinfo'
	assert_status 0
	assert_line_equals "lo"
	assert_line_equals "touch: /sys/x: Read-only file system"
	[[ ${lines[-1]} == ro,* ]] || _assert_fail "/sys is not read-only"
}

@test "rootless: nothing left behind — no mount, no process of the user, no cgroup" {
	requires_test_user
	local before
	before=$(mounts_snapshot)
	run rl_user -v "$RL/user-dir:/mnt" --tmpfs /tmp sh -c 'sleep 100 & echo started'
	assert_status 0
	[[ $(mounts_snapshot) == "$before" ]] || _assert_fail "mounts changed"
	# (a zombie bwrap of the earlier comparison may still be about: only ours count)
	! pgrep -u "$TEST_USER" -x sleep >/dev/null || _assert_fail "the container's sleep is left"
	! pgrep -u "$TEST_USER" -f "$RL/nanoctr" >/dev/null || _assert_fail "a nanoctr is left"
	run rl_user -m 10M true
	assert_status 125
	[[ -z $(nanoctr_cgroups memory) ]] || _assert_fail "a cgroup was created"
}

@test "rootless: -it in a terminal (tmux), as the test user" {
	requires_test_user
	requires_cmd tmux
	unset TMUX TMUX_PANE
	TMUX_SOCKET=nanoctr-rl-$$
	tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s t -x 100 -y 30 \
		"env PS1='host\$ ' HISTFILE= bash --norc --noprofile -i"
	screen() { tmux -L "$TMUX_SOCKET" capture-pane -p -S - -t t | sed 's/[[:space:]]*$//'; }
	wait_line() {
		local i
		for ((i = 0; i < 100; i++)); do screen | grep -qxE -- "$1" && return 0; sleep 0.05; done
		screen >&2
		_assert_fail "timed out waiting for: $1"
	}
	type_line() { tmux -L "$TMUX_SOCKET" send-keys -t t -l -- "$1"; tmux -L "$TMUX_SOCKET" send-keys -t t Enter; }
	wait_line 'host\$'
	type_line "cd / && setpriv --reuid=$RL_USER_UID --regid=$RL_USER_GID --init-groups $RL/nanoctr run -r $RL/rootfs-user -it -e PS1='box# ' sh"
	wait_line 'box#'
	type_line 'echo "u=$(id -u) t=$(tty) s=$(stty size)"'
	wait_line 'u=0 t=/dev/pts/0 s=30 100'
	type_line 'exit 3'
	type_line 'echo "rc=$?"'
	wait_line 'rc=3'
}

@test "rootless: read-only remounts keep the flags the kernel locks (nosuid, nodev), also without mount_setattr (ENOSYS)" {
	local deny=$RL/rootfs/usr/local/bin/seccomp-deny dir pre
	[[ -x $deny ]] || skip "seccomp-deny was not built"
	findmnt -no OPTIONS /dev/shm | grep -q nosuid || skip "/dev/shm is not nosuid here"
	dir=$(mktemp -d /dev/shm/nanoctr-rl.XXXXXX)
	chmod 755 "$dir"
	# seccomp-deny needs no_new_privs as nobody: the single mapping, no newuidmap
	for pre in "" "$deny 442 38"; do
		# shellcheck disable=SC2086 # pre is a command prefix
		run --separate-stderr as_nobody setpriv --no-new-privs $pre "$RL/nanoctr" run -r "$RL/rootfs" \
			--read-only -v "$dir:/tmp:ro" sh -c '
			awk "\$5 == \"/\" || \$5 == \"/tmp\" { print \$5, \$6 }" /proc/self/mountinfo
			touch /x 2>&1; touch /tmp/y 2>&1; true'
		assert_status 0
		assert_stderr_equals ""
		assert_line_equals "/tmp ro,nosuid,nodev,relatime"
		assert_line_equals "touch: /x: Read-only file system"
		assert_line_equals "touch: /tmp/y: Read-only file system"
		[[ ${lines[0]} == "/ ro,"* ]] || _assert_fail "the root is not read-only"
	done
	rmdir -- "$dir"
}

# ---- OCI (make OCI=1): a user namespace and its mappings in config.json ----

# oci_build — the OCI binary, once, in the file's temp dir; sets OCI.
oci_build() {
	command -v jq >/dev/null || skip "requires jq"
	OCI=$BATS_FILE_TMPDIR/nanoctr-oci
	[[ -x $OCI ]] || make -s -C "$BATS_TEST_DIRNAME/.." OCI=1 OBJDIR="$BATS_FILE_TMPDIR/obj/" BIN="$OCI" >&2
}

# oci_bundle JQ-FILTER — $B/config.json from `nanoctr spec` on a copy of the rootfs owned
# by 3200000 (the mapped root), with a user namespace mapping 0..65535 to 3200000.., then
# FILTER.
oci_bundle() {
	B=$RL/bundle-$BATS_TEST_NUMBER	# the mapped root must reach it: not beneath a 0700 dir
	mkdir -p "$B"
	cp -a -- "$ROOTFS" "$B/rootfs"
	chown -R 3200000:3200000 "$B/rootfs"
	(cd "$B" && "$OCI" spec)
	jq '.root.path = "rootfs" | .process.terminal = false | .linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 3200000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 3200000, size: 65536}] | '"$1" \
		"$B/config.json" >"$B/new"
	mv -- "$B/new" "$B/config.json"
}

@test "OCI: a user namespace with linux.uidMappings/gidMappings (podman --uidmap): root inside is 3200000 outside" {
	oci_build
	oci_bundle '.process.args = ["sh", "-c", "id; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; touch /made; ls -ln /made"]'
	run --separate-stderr "$OCI" --root "$BATS_TEST_TMPDIR/state" run --bundle "$B" rl1
	assert_status 0
	assert_stderr_equals ""
	[[ ${lines[0]} == "uid=0(root) gid=0(root)"* ]] || _assert_fail "expected root"
	[[ $(echo ${lines[1]}) == "0 3200000 65536" && $(echo ${lines[2]}) == "0 3200000 65536" ]] ||
		_assert_fail "expected the config's maps"
	[[ ${lines[3]} == allow ]] || _assert_fail "root's maps leave setgroups allowed"
	[[ $(stat -c %u:%g "$B/rootfs/made") == 3200000:3200000 ]] || _assert_fail "the file is not 3200000's on the host"
	rm -rf -- "$B"
}

@test "OCI: exec joins the container's user namespace first" {
	oci_build
	oci_bundle '.process.args = ["sleep", "1000"]'
	local state=$BATS_TEST_TMPDIR/state
	"$OCI" --root "$state" create --bundle "$B" rl3
	"$OCI" --root "$state" start rl3
	run --separate-stderr "$OCI" --root "$state" exec rl3 sh -c 'id -u; cat /proc/self/uid_map; touch /x; stat -c %u /x'
	"$OCI" --root "$state" delete --force rl3
	assert_status 0
	assert_stderr_equals ""
	[[ ${lines[0]} == 0 && $(echo ${lines[1]}) == "0 3200000 65536" && ${lines[2]} == 0 ]] ||
		_assert_fail "exec is not in the user namespace"
	[[ $(stat -c %u "$B/rootfs/x") == 3200000 ]] || _assert_fail "exec wrote as someone else than the mapped root"
	rm -rf -- "$B"
}

@test "OCI: features lists the user namespace; --rootless VALUE is accepted as a global option" {
	oci_build
	run -0 --separate-stderr "$OCI" features
	[[ $(jq -c .linux.namespaces <<<"$output") == '["user","ipc","uts","network","pid","cgroup","mount"]' ]] ||
		_assert_fail "features: $(jq -c .linux.namespaces <<<"$output")"
	run -0 --separate-stderr "$OCI" --rootless auto --root "$BATS_TEST_TMPDIR/state" list
	assert_stderr_equals ""
}

@test "OCI: as root, a user namespace does not make a limit rootless (v1 memory limit applied)" {
	oci_build
	requires_cgroup_v1 memory
	oci_bundle '.process.args = ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] |
		.linux.resources = {memory: {limit: 67108864}}'
	run --separate-stderr "$OCI" --root "$BATS_TEST_TMPDIR/state" run --bundle "$B" rl4
	rm -rf -- "$B"
	assert_status 0
	assert_stderr_equals ""
	assert_output_equals 67108864
}

# nobody_bundle JQ STATE — an OCI bundle ($B) of nobody's, its id mapped to 0 (no gid 5
# for devpts, no cgroupsPath: a user makes no cgroup without limits), and STATE, a state
# directory of nobody's
nobody_bundle() {
	oci_bundle "$1"' |
		.linux.uidMappings = [{containerID: 0, hostID: 65534, size: 1}] |
		.linux.gidMappings = [{containerID: 0, hostID: 65534, size: 1}] |
		.mounts |= map(if .type == "devpts" then .options -= ["gid=5"] else . end) | del(.linux.cgroupsPath)'
	chown -R 65534:65534 "$B"
	mkdir -m 0700 "$2"
	chown 65534:65534 "$2"
}

@test "OCI as nobody: create, start, state, kill, delete in a user namespace of the caller's id; no cgroup made" {
	oci_build
	local state=$RL/state-nobody
	nobody_bundle '.process.args = ["sh", "-c", "id -u > /tmp/id; cat /proc/self/uid_map > /tmp/map; exec sleep 1000"]' "$state"
	cp -- "$OCI" "$RL/nanoctr-oci"
	oci_nobody_state=$state	# teardown: delete --force
	# create's init keeps its stdio: a file, not bats' pipe (run would wait for it)
	timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups -- "$RL/nanoctr-oci" --root "$state" \
		create --bundle "$B" rl5 >"$BATS_TEST_TMPDIR/create" 2>&1 ||
		_assert_fail "create failed: $(cat "$BATS_TEST_TMPDIR/create")"
	run -0 as_nobody "$RL/nanoctr-oci" --root "$state" start rl5
	run -0 as_nobody "$RL/nanoctr-oci" --root "$state" state rl5
	[[ $(jq -r .status <<<"$output") == running ]] || _assert_fail "not running"
	host_pid=$(jq -r .pid <<<"$output")
	[[ $(stat -c %u "/proc/$host_pid") == 65534 ]] || _assert_fail "the init is not nobody's on the host"
	[[ -z $(nanoctr_cgroups memory | grep rl5) ]] || _assert_fail "a cgroup was made"
	run -0 as_nobody "$RL/nanoctr-oci" --root "$state" kill rl5 KILL
	for ((i = 0; i < 100; i++)); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.05; done
	run -0 as_nobody "$RL/nanoctr-oci" --root "$state" delete rl5
	host_pid=
	[[ $(cat "$B/rootfs/tmp/id") == 0 && $(echo $(cat "$B/rootfs/tmp/map")) == "0 65534 1" ]] ||
		_assert_fail "the init was not root of a user namespace of nobody's id"
	[[ -z $(ls "$state") ]] || _assert_fail "state left"
	oci_nobody_state=
	rm -rf -- "$B" "$state" "$RL/nanoctr-oci"
}

@test "OCI as nobody: process.user.additionalGids cannot be set where setgroups is denied (refused, not dropped)" {
	oci_build
	local state=$RL/state-groups
	nobody_bundle '.process.args = ["true"] | .process.user.additionalGids = [0]' "$state"
	cp -- "$OCI" "$RL/nanoctr-oci-groups"
	run --separate-stderr as_nobody "$RL/nanoctr-oci-groups" --root "$state" run --bundle "$B" rl6
	assert_status 1
	assert_stderr_equals "nanoctr: setgroups: Operation not permitted"
	[[ -z $(ls "$state") ]] || _assert_fail "state left"
	rm -rf -- "$B" "$state" "$RL/nanoctr-oci-groups"
}
