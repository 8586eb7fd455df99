# shellcheck shell=sh
# More checks for tests/qemu/test-init.sh, which sources this file (installed in the image
# as /etc/qemu-checks.d/extra.sh) before its final cleanup check: what tests/aarch64.bats
# needs beyond the x86 qemu test's checks, on a kernel of another architecture. It uses
# test-init.sh's check/check_sh, $N (nanoctr), $R (the container rootfs), $BG_HELPERS, and
# reports in the same QEMU-OUT/QEMU-ERR/QEMU-RESULT lines. Facts only; the .bats judges.
# shellcheck disable=SC2016 # the single-quoted snippets are expanded by the shells they run in
# shellcheck disable=SC2086 # $N, $R, $B: test-init.sh's fixed paths, no spaces

B=/usr/local/bin

check_sh arch '
	echo "machine=$(uname -m)"
	echo "nanoctr-version=$('"$N"' --version)"'

# Argument errors: before anything exists, one line, 125.
check args-error $N run -r $R --memory 10Q /bin/true
check args-none $N

# The command is PID 1 without --init; nanoctr is with it, and the command is 2.
check pid1 $N run -r $R /bin/sh -c 'echo "pid=$$ init=$(cat /proc/1/comm)"'
check init-pid $N run -r $R --init /bin/sh -c 'echo "pid=$$ ppid=$PPID init=$(cat /proc/1/comm)"'

# Exit statuses: the command's own, 127 missing, 126 not executable, 128+N on signal N
# (a real fault, which even a PID 1 cannot ignore), 137 when the host SIGKILLs it.
check exit-7 $N run -r $R /bin/sh -c 'exit 7'
check exit-127 $N run -r $R /nonexistent
check exit-126 $N run -r $R /etc/os-release
check exit-segv $N run -r $R $B/segv
check_sh exit-host-kill "$BG_HELPERS"'
	'"$N"' run -r '"$R"' -m 50M /bin/sleep 30 &
	pid=$!
	wait_for_cgroup $pid
	kill -KILL "$(head -n 1 /sys/fs/cgroup/nanoctr-$pid/cgroup.procs)"
	wait $pid
	echo "nanoctr-status=$?"'

# open(2) flags are per architecture: O_NOFOLLOW is 0100000 on arm64, and x86's value
# there means O_LARGEFILE, i.e. nothing. A file volume's target that is a dangling symlink
# in the rootfs must not be followed to create a file where it points.
check_sh nofollow '
	ln -s /made-through-link '"$R"'/nofollow-link
	'"$N"' run -r '"$R"' -v /etc/hostname:/nofollow-link /bin/true
	echo "run-status=$?"
	[ -e '"$R"'/made-through-link ] && echo made-through-link=yes || echo made-through-link=no
	rm -f '"$R"'/nofollow-link '"$R"'/made-through-link'

# The privileged-syscall probe: every call denied (clone3: ENOSYS, so libcs fall back).
# The control, without the filter, shows that the denials come from it.
PROBES='mount-proc mount-tmpfs finit-module keyctl unshare-user clone-newuser clone3 mknod-disk bpf perf tiocsti tiocsti-high'
check probes $N run -r $R /bin/sh -c "for p in $PROBES; do $B/probe \$p; done"
check probes-unconfined $N run -r $R --security-opt seccomp=unconfined /bin/sh -c \
	"$B/probe keyctl; $B/probe tiocsti-high; $B/probe clone3"

# A 32-bit ARM program (compat: AUDIT_ARCH_ARM): docker's profile lists arm on arm64,
# so it runs, filtered with arm's numbers; a profile without arm kills it (SIGSYS,
# 128+31) at its first system call. The control runs it on the VM (exit 42), or the
# checks prove nothing (a kernel or CPU without AArch32). arm32-calls (status 64 + bits,
# see tests/progs/arm32-calls.S) is there when the test host had an arm cross compiler.
check arm32-control $B/arm32-exit42
check arm32 $N run -r $R $B/arm32-exit42
check arm32-exit42-arm64-only $N run -r $R --security-opt seccomp=/etc/arm32/arm64-only.json $B/arm32-exit42
check arm32-calls-control $B/arm32-calls
check arm32-calls $N run -r $R $B/arm32-calls
check arm32-calls-getpid $N run -r $R --security-opt seccomp=/etc/arm32/getpid.json $B/arm32-calls
check arm32-calls-getpid-archmap $N run -r $R --security-opt seccomp=/etc/arm32/getpid-archmap.json $B/arm32-calls
check arm32-calls-arm64-only $N run -r $R --security-opt seccomp=/etc/arm32/arm64-only.json $B/arm32-calls

# --init: a signal to nanoctr reaches the command (forwarded), which a PID 1 without a
# handler would drop; orphans are reaped.
check_sh init-sigterm '
	'"$N"' run -r '"$R"' --init /bin/sleep 30 &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! pidof sleep >/dev/null; do usleep 50000; i=$((i + 1)); done
	kill -TERM $pid
	wait $pid
	echo "nanoctr-status=$?"'
check_sh init-forward '
	'"$N"' run -r '"$R"' --init '"$B"'/sigtrap >/tmp/sigtrap.out 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q "sigtrap: ready" /tmp/sigtrap.out; do usleep 50000; i=$((i + 1)); done
	kill -USR1 $pid
	wait $pid
	echo "nanoctr-status=$?"
	cat /tmp/sigtrap.out
	rm -f /tmp/sigtrap.out'
check init-reap $N run -r $R --init --tmpfs /tmp /bin/sh -c \
	"mkfifo /tmp/f; ($B/orphans 5; ps -o stat,comm) >/tmp/f & exec cat /tmp/f"
