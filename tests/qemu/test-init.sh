#!/bin/sh
# /init of the qemu test image (built by rootfs-scripts/initramfs.sh --init this-file).
# Runs as PID 1 from the initramfs root (rootfs: pivot_root is impossible there, so nanoctr
# has to switch root with MS_MOVE + chroot) with pure cgroup v2 at /sys/fs/cgroup, runs each
# check once and reports over the serial console:
#   QEMU-OUT <check>: <line>      the check's stdout
#   QEMU-ERR <check>: <line>      the check's stderr
#   QEMU-RESULT <check> status=N seconds=S   its exit status and how long it took
# tests/qemu.bats judges the lines; this script only reports facts. Then it powers off.
# busybox ash; no `set -e`: PID 1 must reach the poweroff whatever happens.
# shellcheck disable=SC2016 # the single-quoted snippets are expanded by the shells they run in

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup
hostname nanoctr-qemu-host
# Only panics on the console: OOM-killer reports would cut through our result lines.
dmesg -n 1
# Marks the initramfs root: a container must never see it.
echo host >/QEMU-HOST-ROOT-MARKER

R=/containers/busybox
N=/bin/nanoctr
# Each check gets this long before it is killed, so one hang cannot eat the whole boot
# (CHECK_TIMEOUT=N on the kernel command line overrides it: slower emulated machines).
CHECK_TIMEOUT=${CHECK_TIMEOUT:-20}
export CHECK_TIMEOUT
W=/tmp/qemu-test
mkdir -p "$W"

uptime_now() { cut -d' ' -f1 /proc/uptime; }
# A first newline: the firmware leaves the serial line mid-line.
echo
echo "QEMU-BOOTED uptime=$(uptime_now) kernel=$(uname -r)"

LAST=$(uptime_now)

report() { # NAME STATUS: print the captured output of check NAME, its status and duration
	sed "s/^/QEMU-OUT $1: /" "$W/$1.out"
	sed "s/^/QEMU-ERR $1: /" "$W/$1.err"
	now=$(uptime_now)
	echo "QEMU-RESULT $1 status=$2 seconds=$(awk -v a="$LAST" -v b="$now" 'BEGIN { print b - a }')"
	LAST=$now
}

check() { # NAME COMMAND...: run COMMAND under a timeout, report its output and status
	name=$1
	shift
	timeout -s KILL "$CHECK_TIMEOUT" "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null
	report "$name" $?
}

check_sh() { # NAME SCRIPT: like check, for a shell snippet run here on the VM
	name=$1
	timeout -s KILL "$CHECK_TIMEOUT" sh -c "$2" >"$W/$name.out" 2>"$W/$name.err" </dev/null
	report "$name" $?
}

# Facts about the environment, for the tests and for whoever reads the log.
check_sh env '
	echo "root-fs=$(stat -f -c %T /)"
	echo "cgroup-fs=$(awk '\''$2 == "/sys/fs/cgroup" { print $3 }'\'' /proc/mounts)"
	echo "self-cgroup=$(cat /proc/self/cgroup)"
	echo "controllers=$(cat /sys/fs/cgroup/cgroup.controllers)"
	[ -x '"$N"' ] && echo nanoctr=present || echo nanoctr=missing
	for p in memhog forkloop cpuspin probe; do
		[ -x '"$R"'/usr/local/bin/$p ] && echo "prog-$p=present" || echo "prog-$p=missing"
	done'

# Prove pivot_root really is impossible here, or the root-switch check proves nothing.
check_sh pivot-root-host '
	mkdir -p /tmp/pivot-new /tmp/pivot-new/old
	unshare -m sh -c "mount --bind /tmp/pivot-new /tmp/pivot-new && cd /tmp/pivot-new &&
		pivot_root . old" 2>&1
	echo "pivot_root-status=$?"'

# Reference for the mount check at the end.
cat /proc/mounts >"$W/mounts.before"

check hostname $N run -r $R /bin/hostname
check hostname-opt $N run -r $R --hostname qemu-ctr /bin/hostname
check os-release $N run -r $R /bin/cat /etc/os-release
check root-listing $N run -r $R /bin/ls -a /
check self-mountinfo $N run -r $R /bin/cat /proc/self/mountinfo

# Limits as the container sees them in its own cgroup (cgroup namespace: /sys/fs/cgroup
# inside is the container's cgroup, read-only).
check limits $N run -r $R -m 50M --pids-limit 10 --cpus 0.5 /bin/sh -c '
	cd /sys/fs/cgroup || exit 1
	echo "self-cgroup=$(cat /proc/self/cgroup)"
	for f in memory.max memory.swap.max pids.max cpu.max; do echo "$f=$(cat $f)"; done
	if touch pids.max 2>/dev/null; then echo cgroupfs=writable; else echo cgroupfs=read-only; fi'

check oom $N run -r $R -m 50M /usr/local/bin/memhog 200
check mem-under-limit $N run -r $R -m 50M /usr/local/bin/memhog 10
check pids $N run -r $R --pids-limit 10 /usr/local/bin/forkloop 50

# cpu.max, then cpuspin until the cgroup's cpu.stat counts a throttled period (the
# quota at work; 60 s is a hang guard only).
check cpus $N run -r $R --cpus 0.5 /bin/sh -c '
	echo "cpu.max=$(cat /sys/fs/cgroup/cpu.max)"
	/usr/local/bin/cpuspin 60 /sys/fs/cgroup/cpu.stat'

# A root process in the container tries the classic chroot escape (mkdir x; chroot x;
# chdir .. many times; chroot .): probe prints "contained", an errno, or "ok" and the first
# names of the root it reached. The control runs it under a plain chroot on the VM, where
# it must escape (and show the marker), or the check proves nothing.
check chroot-escape $N run -r $R /usr/local/bin/probe chroot-escape
# pivot_root fails with EINVAL for nanoctr: the root switch must not fall back to a
# chroot, even from the initramfs
case $(uname -m) in aarch64) nr_pivot_root=41 ;; *) nr_pivot_root=155 ;; esac
check pivot-denied $R/usr/local/bin/seccomp-deny $nr_pivot_root 22 $N run -r $R /bin/true
check chroot-escape-control chroot $R /usr/local/bin/probe chroot-escape

# Shell helpers for the two checks below, which run nanoctr in the background.
BG_HELPERS='
	# wait_for_cgroup PID: until nanoctr PID'"'"'s cgroup holds the container (max 2 s)
	wait_for_cgroup() {
		i=0
		while [ $i -lt 40 ] && [ -z "$(cat /sys/fs/cgroup/nanoctr-$1/cgroup.procs 2>/dev/null)" ]; do
			usleep 50000
			i=$((i + 1))
		done
		usleep 200000
	}
	# running PID: PID exists and is not a zombie
	running() {
		[ -e /proc/$1/stat ] && [ "$(cut -d" " -f3 /proc/$1/stat)" != Z ]
	}
	# wait_gone PID: until PID has exited (max 5 s)
	wait_gone() {
		i=0
		while [ $i -lt 50 ] && running $1; do
			usleep 100000
			i=$((i + 1))
		done
	}'

# SIGTERM twice to nanoctr: the first is forwarded to the container's PID 1 (a sleep,
# which ignores it), the second kills the container; nanoctr must clean up and exit.
check_sh signal "$BG_HELPERS"'
	'"$N"' run -r '"$R"' -m 50M /bin/sleep 30 &
	pid=$!
	wait_for_cgroup $pid
	kill -TERM $pid
	usleep 300000
	running $pid && echo "alive-after-first-term=yes" || echo "alive-after-first-term=no"
	kill -TERM $pid 2>/dev/null
	wait_gone $pid
	running $pid && { echo "nanoctr-exited=no"; kill -KILL $pid; } || echo "nanoctr-exited=yes"
	wait $pid
	echo "nanoctr-status=$?"
	[ -d /sys/fs/cgroup/nanoctr-$pid ] && echo cgroup-after=present || echo cgroup-after=gone'

# nanoctr SIGKILLed: the container should die with it (PR_SET_PDEATHSIG); the stale
# cgroup stays until the next run with a limit removes it.
check_sh sigkill "$BG_HELPERS"'
	'"$N"' run -r '"$R"' -m 50M /bin/sleep 30 &
	pid=$!
	wait_for_cgroup $pid
	cg=/sys/fs/cgroup/nanoctr-$pid
	child=$(head -n 1 $cg/cgroup.procs)
	echo "container-pid=$child"
	kill -KILL $pid
	wait $pid
	echo "nanoctr-status=$?"
	wait_gone "$child"
	running "$child" && echo container-after=alive || echo container-after=dead
	# So that the run below has a stale (empty) cgroup to remove whatever happened.
	[ -z "$(cat $cg/cgroup.procs 2>/dev/null)" ] || echo 1 >$cg/cgroup.kill
	wait_gone "$child"
	[ -d $cg ] && echo stale-before=present || echo stale-before=gone
	'"$N"' run -r '"$R"' -m 50M /bin/true
	echo "next-run-status=$?"
	[ -d $cg ] && echo stale-after=present || echo stale-after=gone'

# --cgroup-parent: the container's cgroup goes beneath the given (existing) one.
mkdir -p /sys/fs/cgroup/qemu-parent
check_sh cgroup-parent '
	'"$N"' run -r '"$R"' --cgroup-parent /qemu-parent --pids-limit 20 /bin/sleep 1 &
	pid=$!
	i=0
	while [ $i -lt 20 ] && ! ls -d /sys/fs/cgroup/qemu-parent/nanoctr-* >/dev/null 2>&1; do
		usleep 50000
		i=$((i + 1))
	done
	echo "under-parent=$(cd /sys/fs/cgroup/qemu-parent 2>/dev/null && ls -d nanoctr-* 2>/dev/null | tr "\n" " ")"
	wait $pid
	echo "run-status=$?"
	echo "after=$(cd /sys/fs/cgroup/qemu-parent 2>/dev/null && ls -d nanoctr-* 2>/dev/null | tr "\n" " ")"
	rmdir /sys/fs/cgroup/qemu-parent 2>/dev/null
	exit 0'

# cgroup v2 "no internal processes": the caller sits in a non-root cgroup that has a
# process, so controllers cannot be enabled beneath it. nanoctr must say so and exit 125.
mkdir -p /sys/fs/cgroup/qemu-busy
check_sh internal-process '
	echo $$ >/sys/fs/cgroup/qemu-busy/cgroup.procs || exit 99
	exec '"$N"' run -r '"$R"' -m 50M /bin/true'
find /sys/fs/cgroup/qemu-busy -mindepth 1 -maxdepth 1 -name 'nanoctr-*' |
	sed 's/^/QEMU-OUT internal-process-leftover: /'
rmdir /sys/fs/cgroup/qemu-busy 2>/dev/null

# Further checks the image may carry (tests/aarch64.bats adds tests/qemu/extra-checks.sh),
# sourced so that they use check/check_sh and the cleanup check below covers them too.
for f in /etc/qemu-checks.d/*.sh; do
	# shellcheck source=/dev/null
	[ -r "$f" ] && . "$f"
done

# Nothing left behind by all of the above.
check_sh cleanup '
	cd /sys/fs/cgroup
	echo "cgroups-left=$(find . -mindepth 1 -type d -name "nanoctr-*" | tr "\n" " ")"
	cat /proc/mounts >'"$W"'/mounts.after
	if cmp -s '"$W"'/mounts.before '"$W"'/mounts.after; then
		echo mounts=unchanged
	else
		echo mounts=changed
		diff '"$W"'/mounts.before '"$W"'/mounts.after
	fi
	# User processes other than PID 1 and this shell (with its own children), and other
	# than the watchers of busybox timeout, which outlive their command by up to 1 s.
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		cmd=$(tr "\\0" " " <"$d/cmdline" 2>/dev/null)
		[ -n "$cmd" ] && [ "$pid" != 1 ] && [ "$pid" != $$ ] || continue
		case $cmd in "timeout -s KILL $CHECK_TIMEOUT "*) continue ;; esac
		[ "$(sed -n "s/^PPid:[[:space:]]*//p" "$d/status" 2>/dev/null)" = $$ ] && continue
		echo "leftover-process=$pid $cmd"
	done'

echo "QEMU-DONE uptime=$(uptime_now)"
sync
poweroff -f
