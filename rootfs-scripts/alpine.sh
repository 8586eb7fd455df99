#!/bin/bash
# alpine.sh [DIR] — the go-docker seed's recipe: download Alpine's minirootfs tarball and
# unpack it into DIR (default /tmp/alpine-rootfs, nanoctr's default rootfs) with
# tarball.sh. Needs the internet; without it, fails with one line and leaves nothing.
#
# ALPINE_URL overrides the tarball's address; ALPINE_VERSION (default 3.20.3) picks the
# release. The published .sha256 is checked when it can be fetched.
set -euo pipefail

prog=alpine.sh
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

die() { echo "$prog: $*" >&2; exit 1; }

[[ $# -le 1 && ${1-} != -* ]] || { echo "usage: $prog [DIR]" >&2; exit 2; }
dir=${1:-/tmp/alpine-rootfs}

version=${ALPINE_VERSION:-3.20.3}
case $(uname -m) in
x86_64 | amd64) arch=x86_64 ;;
aarch64 | arm64) arch=aarch64 ;;
*) die "no Alpine minirootfs known for $(uname -m)" ;;
esac
branch=v${version%.*}
url=${ALPINE_URL:-https://dl-cdn.alpinelinux.org/alpine/$branch/releases/$arch/alpine-minirootfs-$version-$arch.tar.gz}

# Check DIR before downloading anything (tarball.sh checks again when unpacking).
why=$("$here/tarball.sh" --check-dir "$dir" 2>&1) || die "${why#tarball.sh: }"

tmp=$(mktemp -d /tmp/alpine-download.XXXXXX)
trap 'rm -rf -- "$tmp"' EXIT

# fetch URL FILE: quiet; fails on HTTP errors and on no network within seconds.
fetch() {
	if command -v curl >/dev/null; then
		curl -fsSL --connect-timeout 10 --max-time 600 -o "$2" -- "$1" 2>/dev/null
	elif command -v wget >/dev/null; then
		wget -q -T 10 -t 1 -O "$2" -- "$1" 2>/dev/null
	else
		die "neither curl nor wget is installed; use rootfs-scripts/busybox.sh instead"
	fi
}

tarball=$tmp/${url##*/}
fetch "$url" "$tarball" ||
	die "cannot download $url: no network? use rootfs-scripts/busybox.sh instead"

if fetch "$url.sha256" "$tmp/sha256"; then
	want=$(awk 'NR == 1 { print $1 }' "$tmp/sha256")
	got=$(sha256sum -- "$tarball" | awk '{ print $1 }')
	[[ $want == "$got" ]] || die "$url: sha256 $got does not match the published $want"
else
	echo "$prog: warning: no $url.sha256 to check the download against" >&2
fi

"$here/tarball.sh" "$tarball" "$dir" >/dev/null
echo "$prog: unpacked ${url##*/} into $dir"
