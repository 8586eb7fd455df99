#!/bin/bash
# busybox.sh DIR — make a small working root filesystem from Debian's busybox-static.
#
# Works offline once busybox-static is installed (it is installed with apt-get when no
# static busybox is found). Idempotent: running it again on a tree it made refreshes it;
# a non-empty directory it did not make is refused.
set -euo pipefail

prog=busybox.sh
marker=.nanoctr-busybox-rootfs

die() { echo "$prog: $*" >&2; exit 1; }

[[ $# -eq 1 && -n $1 && $1 != -* ]] || { echo "usage: $prog DIR" >&2; exit 2; }
dir=$1

# A busybox is usable if it needs no dynamic loader: the container has no libc.
# (An ELF program header of type PT_INTERP names the loader; ldd would cost 4 execs.)
is_static() {
	[[ -f $1 && -x $1 ]] || return 1
	perl -e '
		open(my $f, "<:raw", $ARGV[0]) or exit 1;
		read($f, my $h, 64) == 64 or exit 1;
		my ($magic, $class) = unpack("a4 C", $h);
		exit 1 unless $magic eq "\x7fELF" && $class == 2;
		my ($phoff, $phentsize, $phnum) = (unpack("x32 Q<", $h), unpack("x54 v v", $h));
		for my $i (0 .. $phnum - 1) {
			seek($f, $phoff + $i * $phentsize, 0) or exit 1;
			read($f, my $ph, 4) == 4 or exit 1;
			exit 1 if unpack("V", $ph) == 3;
		}
		exit 0;' "$1"
}

find_busybox() {
	local candidate
	for candidate in ${BUSYBOX:+"$BUSYBOX"} /bin/busybox /usr/bin/busybox; do
		if is_static "$candidate"; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

if ! busybox=$(find_busybox); then
	echo "$prog: no static busybox found, installing busybox-static" >&2
	[[ $EUID -eq 0 ]] || die "no static busybox found and not root: run 'apt-get install busybox-static'"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >&2 ||
		die "apt-get install busybox-static failed"
	busybox=$(find_busybox) || die "busybox-static installed but no static busybox found"
fi

# Refuse anything that is not an empty directory or one of ours.
if [[ -L $dir ]]; then
	die "$dir is a symlink: refusing"
elif [[ -e $dir ]]; then
	[[ -d $dir ]] || die "$dir exists and is not a directory"
	if [[ ! -e $dir/$marker ]]; then
		shopt -s nullglob dotglob
		entries=("$dir"/*)
		shopt -u nullglob dotglob
		[[ ${#entries[@]} -eq 0 ]] ||
			die "$dir exists, is not empty and is not a nanoctr busybox rootfs: refusing"
	fi
fi

version=$("$busybox" 2>&1 | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p')
[[ -n $version ]] || die "cannot read the version of $busybox"

# Every exec costs ~10 ms on a VM; the whole script uses about a dozen.
umask 022
mkdir -p -- "$dir"
cd -- "$dir"
mkdir -p bin sbin usr/bin usr/sbin usr/local/bin proc sys dev etc root var/tmp run home tmp
chmod 0700 root
chmod 1777 tmp var/tmp

# Copy then rename: replacing a busybox that a running container is executing must not
# fail with ETXTBSY or change the file under it.
install -m 0755 -- "$busybox" bin/.busybox.new
mv -f bin/.busybox.new bin/busybox

# One relative symlink per applet, at the path busybox itself lists (bin/sh, usr/bin/awk,
# linuxrc…), so links resolve the same inside the container and from the host.
# perl makes them all in one process.
applets=$("$busybox" --list-full | perl -ne '
	chomp;
	next if $_ eq "" || $_ eq "bin/busybox" || m{(^|/)\.\.?(/|$)} || m{^/};
	$n++;
	my $depth = () = m{/}g;
	my $target = m{^bin/[^/]+$} ? "busybox" : ("../" x $depth) . "bin/busybox";
	next if -l $_ && readlink($_) eq $target;
	unlink($_) if -l $_;
	symlink($target, $_) or die "busybox.sh: cannot create $_: $!\n";
	END { print $n + 0, "\n" }')
[[ $applets -gt 0 ]] || die "$busybox --list-full listed no applets"

printf '%s\n' \
	'root:x:0:0:root:/root:/bin/sh' \
	'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >etc/passwd
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >etc/group
printf '%s\n' $'127.0.0.1\tlocalhost' $'::1\tlocalhost ip6-localhost ip6-loopback' >etc/hosts
printf '%s\n' \
	'NAME="BusyBox"' \
	'ID=busybox' \
	"VERSION_ID=$version" \
	"VERSION=\"$version\"" \
	"PRETTY_NAME=\"nanoctr busybox rootfs (BusyBox v$version)\"" >etc/os-release
# No etc/hostname: the hostname comes from the container's UTS namespace.
[[ ! -e etc/hostname && ! -L etc/hostname ]] || rm -f etc/hostname

echo "busybox $version" >"$marker"

echo "$prog: rootfs ready in $dir (BusyBox v$version, $applets applets)"
