# tests/engines/engines.bash — set up and tear down private instances of podman and
# containerd that run their containers with the runtime under test (tests/engines.bats).
#
# Nothing is installed here: .ci/run installs podman, conmon and containerd from Debian.
# Everything the engines make lives in ENGINES_TMP (beneath the run's temp dir, short
# enough for unix socket paths), in cgroups beneath ENGINES_CGROUP (beneath this shell's
# own cgroup), and in the runtime's state directory; engines_teardown removes all of it and
# engines_leftovers lists what is still there. The settings are those that work on these
# machines offline (/work/shared/oci.md of the project notes):
#   podman 4.3: containers.conf with netns="none" (no CNI/netavark network offline),
#     default_ulimits (the VM's bounding set lacks CAP_SYS_RESOURCE, so podman's default
#     NOFILE fails), cgroup_manager="cgroupfs", events_logger="file", cgroups="no-conmon"
#     (conmon stays in our cgroup instead of a cgroup of its own); storage.conf with the
#     overlay driver, graphroot/runroot in ENGINES_TMP. static_dir and volume_path are left
#     to their defaults beneath graphroot: `podman container cleanup`, which conmon runs
#     when a container exits, is not told about them and would look for its database
#     elsewhere (then podman waits 20 s for an exit code that never comes).
#   containerd 1.6: its own config (root, state, sockets in ENGINES_TMP, the CRI plugin
#     disabled), the image from `podman save --format oci-archive`, and `ctr run` with
#     --runc-binary, --runc-root (state beneath ENGINES_TMP) and --cgroup (a path beneath
#     ENGINES_CGROUP, not containerd's /<namespace>/<id> at the hierarchy's root).
#
# ENGINE_RUNTIME selects the runtime (default: nanoctr, see engines_default_runtime);
# ENGINE_RUNTIME=/usr/sbin/runc checks the harness itself.

[[ -n ${ENGINE_RUNTIME:-} ]] || ENGINES_NANOCTR=1
ENGINE_RUNTIME=${ENGINE_RUNTIME:-$NANOCTR}
ENGINES_IMAGE=localhost/nanoctr-test:latest
ENGINES_CTR_NS=nanoctr-test

# engines_default_runtime DIR — when ENGINE_RUNTIME was not given: if the Makefile builds
# the OCI commands only on request (`make OCI=1`, as the oci-engine branch does while they
# exceed the size budget), build that binary in DIR (as tests/oci.bats does) and make it
# the runtime; else the runtime is $NANOCTR. A failing build fails setup_file.
engines_default_runtime() {
	local dir=$1 repo
	[[ -n ${ENGINES_NANOCTR:-} ]] || return 0
	repo=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	grep -q '^ifeq ($(OCI),1)' "$repo/Makefile" || return 0
	make -s -C "$repo" OCI=1 OBJDIR="$dir/obj/" BIN="$dir/nanoctr-oci" >&2 || return 1
	ENGINE_RUNTIME=$dir/nanoctr-oci
}

# engines_skip_reason — prints why the engine tests cannot run, or nothing. The ONLY
# reason besides an engine not installed: the runtime under test is nanoctr (no
# ENGINE_RUNTIME given) and it has no OCI `create` command yet (it says exactly
# "create: unknown command"). Any other failure of `create --help` is not a reason to
# skip: the tests then run and fail.
engines_skip_reason() {
	local err
	[[ -x $ENGINE_RUNTIME ]] || { echo "runtime $ENGINE_RUNTIME is not executable"; return; }
	if [[ -n ${ENGINES_NANOCTR:-} ]] && ! err=$("$ENGINE_RUNTIME" create --help 2>&1 >/dev/null) &&
		[[ $err == *"create: unknown command"* ]]; then
		echo "nanoctr has no OCI create command yet"
	fi
}

# engines_cgroup_rel — this shell's memory cgroup path (relative to the hierarchy's root)
# with "/engines-<pid>" appended: the parent of every container cgroup the engines make.
# On a v1 host the same relative path is used in every hierarchy; on v2 the unified one.
engines_cgroup_rel() {
	local own
	own=$(awk -F: '$2 == "memory" { print $3; exit }' /proc/self/cgroup)
	[[ -n $own ]] || own=$(awk -F: '$1 == 0 { print $3; exit }' /proc/self/cgroup)
	echo "${own%/}/engines-$$"
}

# engines_cgroup_dirs — every directory named ENGINES_CGROUP in any mounted hierarchy.
engines_cgroup_dirs() {
	local mp
	for mp in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
		[[ -d $mp$ENGINES_CGROUP ]] && echo "$mp$ENGINES_CGROUP"
	done
	return 0
}

# engines_cgroup_record — before any engine runs: note, in ENGINES_TMP/cgroups-new, every
# directory on the way to ENGINES_CGROUP that does not exist yet in any hierarchy (runtimes
# mkdir -p the whole path, e.g. our memory cgroup's path in the pids hierarchy), deepest
# first, for engines_teardown to remove.
engines_cgroup_record() {
	local mp rel
	for mp in $(awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo); do
		rel=$ENGINES_CGROUP
		while [[ -n $rel && $rel != / && ! -d $mp$rel ]]; do
			echo "$mp$rel"
			rel=${rel%/*}
		done
	done >"$ENGINES_TMP/cgroups-new"
}

# podman ARGS... — podman with our private configuration and the runtime under test.
# The runtime keeps its state in its default root: `--runtime-flag root=DIR` would not
# reach `podman container cleanup` (conmon's exit command), which then deletes nothing.
podman() {
	command podman --runtime "$ENGINE_RUNTIME" "$@"
}

# engines_state_root — the runtime's default state root (podman passes no --root).
engines_state_root() {
	case ${ENGINE_RUNTIME##*/} in
	runc) echo /run/runc ;;
	crun) echo /run/crun ;;
	*) echo /run/nanoctr ;;
	esac
}

# prun ARGS... — `podman run` with our cgroup parent (ARGS: run's options, image, command).
prun() {
	podman run --cgroup-parent "$ENGINES_CGROUP" "$@"
}

# cctr ARGS... — ctr talking to our containerd, in our namespace.
cctr() {
	command ctr -a "$ENGINES_TMP/ctrd/containerd.sock" -n "$ENGINES_CTR_NS" "$@"
}

# ctr_run ID [RUN-OPTIONS...] -- COMMAND... — `ctr run` of our image as container ID with
# the runtime under test, its state beneath ENGINES_TMP and its cgroup beneath
# ENGINES_CGROUP.
ctr_run() {
	local id=$1 opts=()
	shift
	while [[ $# -gt 0 && $1 != -- ]]; do opts+=("$1"); shift; done
	shift
	cctr run --runc-binary "$ENGINE_RUNTIME" --runc-root "$ENGINES_TMP/ctrd/runc" \
		--cgroup "$ENGINES_CGROUP/$id" ${opts[@]+"${opts[@]}"} "$ENGINES_IMAGE" "$id" "$@"
}

# in_tty COMMAND... — run COMMAND with a pseudo-terminal as its stdio (script(1)), for
# `-t` without a terminal of our own; \r removed from the output. COMMAND may be one of
# the functions above: script runs it with bash, the functions and settings exported.
in_tty() {
	local cmd
	printf -v cmd '%q ' "$@"
	export -f podman prun cctr ctr_run
	export ENGINE_RUNTIME ENGINES_IMAGE ENGINES_CTR_NS ENGINES_TMP ENGINES_CGROUP
	SHELL=/bin/bash script -qec "$cmd" /dev/null </dev/null | tr -d '\r'
	return "${PIPESTATUS[0]}"
}

# wait_for TRIES COMMAND... — run COMMAND every 0.1 s until it succeeds, at most TRIES
# times: waiting on an event (a file, a state), not a duration.
wait_for() {
	local tries=$1 i
	shift
	for ((i = 0; i < tries; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "wait_for: gave up: $*" >&2
	return 1
}

# engines_setup_podman — private podman configuration and the test image.
engines_setup_podman() {
	local dir=$ENGINES_TMP/podman
	mkdir -p "$dir/graph" "$dir/run" "$dir/tmp"
	cat >"$dir/containers.conf" <<-EOF
		[containers]
		netns = "none"
		cgroups = "no-conmon"
		default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$dir/events.log"
		tmp_dir = "$dir/tmp"
		runtime_supports_json = ["nanoctr", "runc", "crun"]
	EOF
	cat >"$dir/storage.conf" <<-EOF
		[storage]
		driver = "overlay"
		graphroot = "$dir/graph"
		runroot = "$dir/run"
	EOF
	export CONTAINERS_CONF=$dir/containers.conf CONTAINERS_STORAGE_CONF=$dir/storage.conf
	tar -C "$NANOCTR_TEST_ROOTFS" -c . | command podman import -q - "$ENGINES_IMAGE" >/dev/null
}

# engines_setup_containerd — a private containerd daemon (pid in ENGINES_TMP/ctrd/pid) and
# the test image imported into its namespace.
engines_setup_containerd() {
	local dir=$ENGINES_TMP/ctrd
	mkdir -p "$dir"
	cat >"$dir/config.toml" <<-EOF
		version = 2
		root = "$dir/root"
		state = "$dir/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$dir/containerd.sock"
		[ttrpc]
		  address = "$dir/containerd.sock.ttrpc"
		[debug]
		  address = ""
	EOF
	containerd --config "$dir/config.toml" </dev/null >"$dir/containerd.log" 2>&1 &
	echo $! >"$dir/pid"
	wait_for 100 cctr version || { cat "$dir/containerd.log" >&2; return 1; }
	command podman save -q --format oci-archive -o "$dir/image.tar" "$ENGINES_IMAGE"
	cctr image import -q "$dir/image.tar" >/dev/null 2>&1 ||
		cctr image import "$dir/image.tar" >/dev/null
}

# engines_teardown — remove everything the engines made: podman's containers and images,
# containerd's tasks, containers, shims and the daemon itself (by the pids we started and
# the shims that serve its socket), mounts beneath ENGINES_TMP, our cgroups (and the
# parents the runtimes made for them), ENGINES_TMP. Fails when a cgroup could not be removed.
engines_teardown() {
	local pid id mp dir status=0
	# Unset (setup_file never ran, e.g. a syntax error in the .bats file): nothing to do.
	# Without this guard, "beneath ''" matches every mount and every cgroup of the host.
	[[ -n ${ENGINES_TMP:-} && -n ${ENGINES_CGROUP:-} && ${ENGINES_TMP} == /tmp/?* ]] || return 0
	if [[ -n ${CONTAINERS_CONF:-} ]] && command -v podman >/dev/null; then
		podman rm -af -t 0 >/dev/null 2>&1 || true
		command podman rmi -af >/dev/null 2>&1 || true
	fi
	if [[ -f $ENGINES_TMP/ctrd/pid ]]; then
		for id in $(cctr task ls -q 2>/dev/null); do
			cctr task kill -s SIGKILL "$id" >/dev/null 2>&1 || true
			cctr task delete -f "$id" >/dev/null 2>&1 || true
		done
		for id in $(cctr container ls -q 2>/dev/null); do
			cctr container delete "$id" >/dev/null 2>&1 || true
		done
		cctr image rm "$ENGINES_IMAGE" >/dev/null 2>&1 || true
		pid=$(<"$ENGINES_TMP/ctrd/pid")
		kill "$pid" 2>/dev/null && wait_for 100 eval "! kill -0 $pid" || true
		kill -9 "$pid" 2>/dev/null || true
		# Shims outlive the daemon by design; ours are the ones serving our socket.
		for pid in $(engines_shim_pids); do
			kill -9 "$pid" 2>/dev/null || true
		done
	fi
	# Mounts beneath ENGINES_TMP, deepest first (podman's and containerd's overlays).
	for mp in $(awk -v d="$ENGINES_TMP" 'index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount "$mp" 2>/dev/null || umount -l "$mp" 2>/dev/null || true
	done
	# Our cgroups, deepest first; a cgroup with a process left in it stays (and is reported).
	for dir in $(engines_cgroup_dirs); do
		find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
	if [[ -f $ENGINES_TMP/cgroups-new ]]; then
		while read -r dir; do
			rmdir "$dir" 2>/dev/null || true
		done <"$ENGINES_TMP/cgroups-new"
		while read -r dir; do
			[[ -d $dir ]] && { echo "cgroup left: $dir" >&2; status=1; }
		done <"$ENGINES_TMP/cgroups-new"
	fi
	[[ -n $ENGINES_TMP && -d $ENGINES_TMP ]] && rm -rf --one-file-system -- "$ENGINES_TMP"
	return "$status"
}

# engines_shim_pids — live containerd shims started for our daemon (their command line
# names our socket), one per line.
engines_shim_pids() {
	local p
	for p in $(pgrep -f containerd-shim 2>/dev/null); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "$ENGINES_TMP/ctrd/containerd.sock" && echo "$p"
	done
	return 0
}

# engines_leftovers — what the engines left behind, one line each (nothing when clean):
# mounts beneath ENGINES_TMP, cgroups beneath ENGINES_CGROUP, processes whose command line
# names ENGINES_TMP (other than the containerd we started), containers in podman or
# containerd, and state directories in the runtime's state roots (beneath ENGINES_TMP).
engines_leftovers() {
	local daemon='' p dir
	# Unset (setup_file never ran, e.g. a syntax error in the .bats file): nothing to do.
	# Without this guard, "beneath ''" matches every mount and every cgroup of the host.
	[[ -n ${ENGINES_TMP:-} && -n ${ENGINES_CGROUP:-} && ${ENGINES_TMP} == /tmp/?* ]] || return 0
	[[ -f $ENGINES_TMP/ctrd/pid ]] && daemon=$(<"$ENGINES_TMP/ctrd/pid")
	awk -v d="$ENGINES_TMP" 'index($5, d "/") == 1 { print "mount: " $5 }' /proc/self/mountinfo
	for dir in $(engines_cgroup_dirs); do
		find "$dir" -mindepth 1 -type d -printf 'cgroup: %p\n'
	done
	for p in $(pgrep -f -- "$ENGINES_TMP" 2>/dev/null); do
		[[ $p == "$daemon" || $p == "$$" || $p == "$BASHPID" ]] && continue
		[[ -r /proc/$p/cmdline ]] || continue
		echo "process: $p $(tr '\0' ' ' <"/proc/$p/cmdline")"
	done
	if [[ -n ${CONTAINERS_CONF:-} ]]; then
		podman ps -aq 2>/dev/null | sed 's/^/podman container: /'
	fi
	if [[ -n $daemon ]]; then
		cctr task ls -q 2>/dev/null | sed 's/^/containerd task: /'
		cctr container ls -q 2>/dev/null | sed 's/^/containerd container: /'
		[[ -d $ENGINES_TMP/ctrd/runc ]] &&
			find "$ENGINES_TMP/ctrd/runc" -mindepth 2 -maxdepth 2 -printf 'state: %p\n'
	fi
	# Every container podman made is in its event log; none may keep a state directory.
	if [[ -f $ENGINES_TMP/podman/events.log ]]; then
		dir=$(engines_state_root)
		for p in $(grep -oE '\b[0-9a-f]{64}\b' "$ENGINES_TMP/podman/events.log" | sort -u); do
			[[ -e $dir/$p ]] && echo "state: $dir/$p"
		done
	fi
	return 0
}
