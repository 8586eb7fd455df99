#!/bin/bash
# tarball.sh FILE DIR — unpack a root filesystem tarball (docker export output, the Alpine
# minirootfs, any plain/gzip/xz/zstd tar) into DIR, safely.
#
# - DIR must not exist or be an empty directory (never a symlink): GNU tar then never
#   writes through a symlink it did not make itself, and defers absolute or '..' symlinks
#   to the end of the extraction, so nothing lands outside DIR.
# - The member list is checked before anything is written: absolute names, '..'
#   components, absolute or '..' hard-link targets and device nodes outside dev/ are
#   refused; proc, sys and dev must be directories if the tarball has them.
# - dev/* is not extracted (the runtime mounts its own /dev).
# - Ownership and modes are kept (numerically) when run as root: a rootfs needs them.
# On any failure DIR is left as it was found (removed if this script created it).
set -euo pipefail

prog=tarball.sh

die() { echo "$prog: $*" >&2; exit 1; }

# check_dir DIR — DIR may be unpacked into: absent, or an empty directory (not a symlink).
check_dir() {
	if [[ -L $1 ]]; then
		die "$1 is a symlink: refusing"
	elif [[ -e $1 ]]; then
		[[ -d $1 ]] || die "$1 exists and is not a directory"
		shopt -s nullglob dotglob
		local entries=("$1"/*)
		shopt -u nullglob dotglob
		[[ ${#entries[@]} -eq 0 ]] || die "$1 is not empty: refusing to unpack into it"
	fi
}

# tarball.sh --check-dir DIR: only that check (alpine.sh asks before downloading).
if [[ $# -eq 2 && $1 == --check-dir ]]; then
	check_dir "$2"
	exit 0
fi
[[ $# -eq 2 && -n $1 && -n $2 ]] || { echo "usage: $prog FILE DIR" >&2; exit 2; }
file=$1
dir=$2

[[ -f $file && -r $file ]] || die "$file: not a readable file"
tar --version 2>/dev/null | grep -q 'GNU tar' || die "GNU tar is required"

check_dir "$dir"
if [[ -e $dir ]]; then
	created_dir=false
else
	created_dir=true
fi

# Both listings print one line per member in the same order; the plain one gives exact
# (escaped) names, the verbose one types and hard-link targets. --absolute-names only
# stops tar from silently rewriting the names we are here to check.
tar_list=(tar --absolute-names --quoting-style=escape --numeric-owner -f "$file")
mapfile -t names < <("${tar_list[@]}" -t 2>/dev/null || echo $'\x01fail')
mapfile -t longs < <("${tar_list[@]}" -tv 2>/dev/null || echo $'\x01fail')
if [[ ${names[-1]-$'\x01fail'} == $'\x01fail' || ${longs[-1]-$'\x01fail'} == $'\x01fail' ]]; then
	die "$file: cannot list it as a tar archive"
fi
[[ ${#names[@]} -eq ${#longs[@]} ]] || die "$file: inconsistent member listing: refusing"

refuse() { die "refusing $file: $*; nothing extracted"; }

unsafe_path() { [[ $1 == /* || $1 =~ (^|/)\.\.(/|$) ]]; }

for i in "${!names[@]}"; do
	name=${names[i]}
	long=${longs[i]}
	type=${long:0:1}
	[[ $name == /* ]] && refuse "member '$name' has an absolute path"
	[[ $name =~ (^|/)\.\.(/|$) ]] && refuse "member '$name' has a '..' component"
	# Normalise ./x/ to x for the checks below.
	rel=${name#./}
	rel=${rel%/}
	case $type in
	h)
		suffix=${long#*" $name link to "}
		[[ $suffix != "$long" ]] || refuse "cannot parse the listing of hard link '$name'"
		unsafe_path "$suffix" && refuse "hard link '$name' points to '$suffix'"
		;;
	b | c)
		[[ $rel == dev/* ]] || refuse "member '$name' is a device node outside dev/"
		;;
	esac
	case $rel in
	. | "" | proc | sys | dev)
		[[ $type == d ]] || refuse "member '$name' must be a directory"
		;;
	esac
done

cleanup() {
	if $created_dir; then
		rm -rf --one-file-system -- "$dir"
	elif [[ -d $dir && ! -L $dir ]]; then
		find "$dir" -xdev -mindepth 1 -delete
	fi
}

mkdir -p -- "$dir"
extract=(tar -x -f "$file" -C "$dir" --numeric-owner
	--anchored --exclude='dev/?*' --exclude='./dev/?*'
	--warning=no-unknown-keyword --warning=no-timestamp)
[[ $EUID -eq 0 ]] && extract+=(--same-owner --same-permissions)
if ! "${extract[@]}"; then
	cleanup
	die "$file: extraction failed; nothing left in $dir"
fi

# The runtime mounts over these: they must be real directories inside DIR.
for d in proc sys dev; do
	if [[ -L $dir/$d || (-e $dir/$d && ! -d $dir/$d) ]]; then
		cleanup
		refuse "'$d' is not a directory after extraction"
	fi
	[[ -d $dir/$d ]] || mkdir -m 0755 -- "$dir/$d"
done

echo "$prog: unpacked $file into $dir (${#names[@]} members)"
