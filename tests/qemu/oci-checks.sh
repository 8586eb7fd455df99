# shellcheck shell=sh
# OCI checks for tests/qemu/test-init.sh, which sources this file (installed in the image
# as /etc/qemu-checks.d/oci.sh): the `make OCI=1` build (/bin/nanoctr-oci) on pure cgroup
# v2, where linux.resources.devices is an eBPF program on the container's cgroup. The
# bundles' config.json files were written by tests/qemu.bats (jq, on the host) into
# /etc/oci/NAME. The process, with CAP_MKNOD as podman keeps it, makes /dev/kmsg's node
# (c 1:11: no capability needed to write it) and writes to it, then to /dev/null.
# Facts only; tests/qemu.bats judges. $R is test-init.sh's container rootfs.
# shellcheck disable=SC2016 # the single-quoted snippets are expanded by the shells they run in

for b in /etc/oci/*/; do
	name=$(basename "$b")
	check "oci-$name" /bin/nanoctr-oci --root /run/nanoctr-oci run --bundle "$b" "qemu-$name"
done
# a cgroupsPath left frozen: refused, as runc ("container's cgroup unexpectedly frozen"),
# not joined (the init would never run); the frozen cgroup is left as it was
check_sh oci-frozen '
	mkdir -p /sys/fs/cgroup/qemu-frozen && echo 1 >/sys/fs/cgroup/qemu-frozen/cgroup.freeze
	/bin/nanoctr-oci --root /run/nanoctr-oci run --bundle /etc/oci-frozen qemu-frozen
	echo status=$?
	echo freeze=$(cat /sys/fs/cgroup/qemu-frozen/cgroup.freeze)
	echo 0 >/sys/fs/cgroup/qemu-frozen/cgroup.freeze
	rmdir /sys/fs/cgroup/qemu-frozen'
check_sh oci-left '
	ls /run/nanoctr-oci
	ls -d /sys/fs/cgroup/nanoctr-oci-* 2>/dev/null
	true'
