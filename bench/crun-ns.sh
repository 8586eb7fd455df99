#!/usr/bin/env bash
# bench/crun-ns.sh CMD... — reshapes /sys/fs/cgroup for crun, then execs CMD. Runs only
# in a private mount namespace (made by `unshare -m --propagation private` or
# bench/hostmounts), never in its caller's: every mount it makes vanishes with that
# namespace.
# - crun 1.8 refuses a hybrid layout, so /sys/fs/cgroup/unified is unmounted (and a
#   private tmpfs put in its place, so that what crun writes there vanishes with the
#   namespace instead of landing in the host's /sys/fs/cgroup tmpfs);
# - crun puts containers at the root of every hierarchy ("/<id>"), not beneath its
#   caller's cgroup like runc and nanoctr; bind-mounting our own cgroup over each
#   hierarchy's mountpoint makes "/<id>" land beneath our own cgroup, as for the others.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"
if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink "/proc/$PPID/ns/mnt")" ]; then
	die "crun-ns.sh: not in a private mount namespace, refusing to touch mounts"
fi
while IFS=: read -r _ ctrls path; do
	[ "$path" != / ] || continue
	mnt=$(cgroup_mountpoint "$ctrls")
	if [ -n "$mnt" ] && [ -d "$mnt$path" ]; then mount --bind "$mnt$path" "$mnt"; fi
done </proc/self/cgroup
if [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ] && mountpoint -q /sys/fs/cgroup/unified; then
	umount /sys/fs/cgroup/unified
	mount -t tmpfs -o size=64k,mode=755 bench-no-unified /sys/fs/cgroup/unified
fi
exec "$@"
