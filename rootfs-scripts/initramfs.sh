#!/bin/bash
# Build a gzip'd newc cpio initramfs that carries nanoctr:
#   /bin/busybox (+ applet links)       static busybox from Debian's busybox-static
#   /bin/nanoctr                        the nanoctr binary
#   /containers/busybox                 a ready container rootfs (busybox, /proc /sys /dev /tmp,
#                                       /etc/os-release)
#   /init                               boot script (default: a rescue shell on the console,
#                                       with pure cgroup v2 mounted at /sys/fs/cgroup)
# The image boots as the kernel's rootfs (a ramfs/tmpfs), where pivot_root(2) fails with
# EINVAL: nanoctr has to use its MS_MOVE + chroot root switch there.
#
# Usage: rootfs-scripts/initramfs.sh [-o OUT.cpio.gz] [--nanoctr PATH] [--init SCRIPT]
#                                    [--extra DIR]... [--busybox PATH] [--arch ARCH]
#   -o OUT         output file (default: ./nanoctr-initramfs.cpio.gz)
#   --nanoctr PATH nanoctr binary (default: nanoctr, or nanoctr-ARCH, at the top of this repository)
#   --init SCRIPT  use SCRIPT as /init instead of the default rescue init
#   --extra DIR    copy DIR's contents over the image root (repeatable; later wins), e.g.
#                  DIR/containers/busybox/usr/local/bin/prog to add a program to the container
#   --busybox PATH static busybox to use (default: /bin/busybox; for another ARCH, e.g. from
#                  Debian's busybox-static for that architecture, unpacked with dpkg-deb -x)
#   --arch ARCH    the image's architecture, x86_64 or aarch64 (default: this machine's)
# Boot it, e.g.:
#   qemu-system-x86_64 -machine accel=tcg -m 512 -nographic -kernel /boot/vmlinuz-... \
#     -initrd nanoctr-initramfs.cpio.gz -append "console=ttyS0 rdinit=/init"
#   qemu-system-aarch64 -M virt -cpu max -m 512 -nographic -kernel vmlinuz-...-arm64 \
#     -initrd nanoctr-initramfs.cpio.gz -append "console=ttyAMA0 rdinit=/init"
set -euo pipefail

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
usage() { sed -n '12,21s/^# \{0,1\}//p' "$0"; }

repo=$(cd "$(dirname "$0")/.." && pwd)
out=./nanoctr-initramfs.cpio.gz
nanoctr=
init=
busybox=/bin/busybox
extras=()
host_arch=$(uname -m)
[ "$host_arch" != arm64 ] || host_arch=aarch64
arch=$host_arch

while [ $# -gt 0 ]; do
	case $1 in
	-o|--output) [ $# -ge 2 ] || die "$1 needs an argument"; out=$2; shift 2 ;;
	--nanoctr) [ $# -ge 2 ] || die "$1 needs an argument"; nanoctr=$2; shift 2 ;;
	--init) [ $# -ge 2 ] || die "$1 needs an argument"; init=$2; shift 2 ;;
	--extra) [ $# -ge 2 ] || die "$1 needs an argument"; extras+=("$2"); shift 2 ;;
	--busybox) [ $# -ge 2 ] || die "$1 needs an argument"; busybox=$2; shift 2 ;;
	--arch) [ $# -ge 2 ] || die "$1 needs an argument"; arch=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done

case $arch in
x86_64) elf_machine=X86-64 ;;
aarch64) elf_machine=AArch64 ;;
*) die "--arch $arch: not supported (x86_64 or aarch64)" ;;
esac
if [ -z "$nanoctr" ]; then
	nanoctr=$repo/nanoctr
	[ "$arch" = "$host_arch" ] || nanoctr=$repo/nanoctr-$arch
fi
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"
command -v gzip >/dev/null || die "gzip not found (apt-get install gzip)"
[ -x "$busybox" ] || die "$busybox: not found (apt-get install busybox-static)"
[ -x "$nanoctr" ] || die "$nanoctr: not found or not executable (run make, or pass --nanoctr PATH)"
[ -z "$init" ] || [ -f "$init" ] || die "$init: init script not found"
for d in ${extras[@]+"${extras[@]}"}; do
	[ -d "$d" ] || die "$d: --extra directory not found"
done

# A dynamically linked program cannot run from the image (there is no libc in it).
is_static() {
	if command -v readelf >/dev/null &&
		readelf -l "$1" 2>/dev/null | grep -q 'Requesting program interpreter'; then
		return 1
	fi
	return 0
}
is_static "$busybox" || die "$busybox: dynamically linked; need a static busybox (busybox-static)"
is_static "$nanoctr" || die "$nanoctr: dynamically linked; it would not run in the initramfs"

# A program built for another machine would fail only at boot, with a bare ENOEXEC.
check_machine() {
	local machine
	command -v readelf >/dev/null || return 0
	machine=$(LC_ALL=C readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p')
	case $machine in
	*"$elf_machine"*) ;;
	*) die "$1: built for ${machine:-an unknown machine}, not $arch (--arch)" ;;
	esac
}
check_machine "$busybox"
check_machine "$nanoctr"

# The applet list comes from busybox itself: run natively, or under qemu-user for another
# architecture, else (no qemu-user) from this machine's busybox, which names the same
# applets when it is the same Debian release's busybox-static.
list_applets() {
	local q
	if [ "$arch" = "$host_arch" ]; then
		"$busybox" --list-full
		return
	fi
	for q in "qemu-$arch-static" "qemu-$arch"; do
		if command -v "$q" >/dev/null; then
			"$q" "$busybox" --list-full
			return
		fi
	done
	[ -x /bin/busybox ] || die "cannot list $busybox's applets: no qemu-$arch(-static) (qemu-user-static) and no /bin/busybox"
	echo "$prog: no qemu-$arch-static: taking the applet list from /bin/busybox" >&2
	/bin/busybox --list-full
}
applets=$(list_applets) || die "$busybox --list-full failed"
[ -n "$applets" ] || die "$busybox --list-full listed no applets"

stage=$(mktemp -d "${TMPDIR:-/tmp}/nanoctr-initramfs.XXXXXX")
trap 'rm -rf --one-file-system "$stage"' EXIT

# Static busybox at ROOT/bin/busybox plus a symlink per applet at its usual place.
install_busybox() {
	local root=$1 applet
	mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
	cp "$busybox" "$root/bin/busybox"
	chmod 755 "$root/bin/busybox"
	# One process for ~270 links: a fork per `ln` costs seconds on slow VMs.
	if command -v perl >/dev/null; then
		printf '%s\n' "$applets" | perl -e '
			my $root = shift;
			while (my $a = <STDIN>) {
				chomp $a;
				next if $a eq "" || $a eq "bin/busybox" || $a eq "linuxrc" || -e "$root/$a" || -l "$root/$a";
				symlink("/bin/busybox", "$root/$a") or die "symlink $root/$a: $!\n";
			}' "$root"
	else
		while read -r applet; do
			case $applet in ''|bin/busybox|linuxrc) continue ;; esac
			[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
		done <<<"$applets"
	fi
	# Shell scripts start with #!/bin/sh; make sure it is there whatever --list-full says.
	[ -e "$root/bin/sh" ] || ln -s /bin/busybox "$root/bin/sh"
}

# Image root.
root=$stage/root
mkdir -p "$root"/{dev,proc,sys,tmp,run,root,etc,mnt,containers,usr/local/bin}
chmod 1777 "$root/tmp"
install_busybox "$root"
cp "$nanoctr" "$root/bin/nanoctr"
chmod 755 "$root/bin/nanoctr"
# The kernel's built-in initramfs normally provides /dev/console; add it in case it does
# not (needs root to mknod; without it the kernel still boots, /init's output just goes
# nowhere until /dev is mounted).
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo nanoctr-initramfs >"$root/etc/hostname"
cat >"$root/etc/os-release" <<'EOF'
NAME="nanoctr initramfs"
ID=nanoctr-initramfs
PRETTY_NAME="nanoctr initramfs (busybox)"
EOF

# Container rootfs (made here rather than by busybox.sh: the image is one step, one busybox).
croot=$root/containers/busybox
mkdir -p "$croot"/{dev,proc,sys,tmp,root,etc,usr/local/bin}
chmod 1777 "$croot/tmp"
chmod 700 "$croot/root"
install_busybox "$croot"
echo 'root:x:0:0:root:/root:/bin/sh' >"$croot/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$croot/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$croot/etc/group"
cat >"$croot/etc/os-release" <<'EOF'
NAME="nanoctr busybox container"
ID=nanoctr-busybox
PRETTY_NAME="nanoctr busybox container"
EOF

# /init
if [ -n "$init" ]; then
	cp "$init" "$root/init"
else
	cat >"$root/init" <<'EOF'
#!/bin/sh
# nanoctr rescue initramfs: mount the API filesystems, pure cgroup v2, then a shell.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o nosuid,noexec,gid=5,mode=0620 devpts /dev/pts
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup
hostname -F /etc/hostname
cat <<'BANNER'

  nanoctr rescue initramfs
  root is the initramfs (pivot_root impossible: nanoctr switches root with MS_MOVE+chroot)
  cgroup v2 at /sys/fs/cgroup
  try:  nanoctr run -r /containers/busybox /bin/sh
  poweroff -f / reboot -f to leave

BANNER
while :; do
	setsid cttyhack /bin/sh -l
done
EOF
fi
chmod 755 "$root/init"

for d in ${extras[@]+"${extras[@]}"}; do
	cp -a "$d/." "$root/"
done

# newc is the only cpio format the kernel unpacks; everything owned by root.
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$root" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -6 >"$out_abs.tmp"
mv "$out_abs.tmp" "$out_abs"
echo "$prog: wrote $out ($(du -k "$out_abs" | cut -f1) KiB)" >&2
