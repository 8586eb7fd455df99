#!/bin/sh
# gen-syscall-names.sh: regenerate syscalls/syscall-names*.h, the system call
# name -> number tables the seccomp profile compiler resolves names with.
#
# Input: the kernel's own tables, as kept in syscalls/tables/ (columns
# <number> <abi> <name> of each line; the full kernel files work as they are):
#   syscall_64.tbl  arch/x86/entry/syscalls/syscall_64.tbl  x86_64 (abi common|64)
#                                                          and x32 (common|x32)
#   syscall_32.tbl  arch/x86/entry/syscalls/syscall_32.tbl  i386
#   syscall.tbl     scripts/syscall.tbl                     arm64 (abi common|64|
#                   renameat|rlimit|memfd_secret, per arch/arm64/kernel/Makefile.syscalls)
#   syscall_arm.tbl arch/arm/tools/syscall.tbl              32-bit ARM, EABI (abi
#                   common|eabi: an arm64 kernel runs no OABI process), plus
#                   the aliases and private calls of the ARM uapi header
# Each file's header names the kernel commit it was copied from. To update:
# copy the newer kernel files over them and run  sh syscalls/gen-syscall-names.sh.
#
# Output (committed), bit streams read least significant bit first (the
# compiler's seccomp_bits() in src/seccomp-profile.c):
#   syscall-names.h          per build (x86: x86_64, i386, x32; arm64), its
#                            names, sorted, front-coded: the length shared
#                            with the previous name and the length of the
#                            rest (4 bits each, 15: 15 + 5 more bits), then
#                            the rest, a canonical Huffman code a character
#                            (the counts of codes per length and the symbols
#                            in code order follow the stream: decoded as
#                            zlib's puff.c does); an enum SCN_<name> with its
#                            index (SCN_NONE for the other build's names);
#                            the arm64 build's names are arm64's and arm's
#   syscall-names-x86_64.h   per name 24 bits: x86_64 (9 bits), i386 (9 bits),
#                            x32 (6 bits: 0..35 for 512..547, the x32-only
#                            numbers; 62 the same as x86_64, a "common" entry)
#   syscall-names-aarch64.h  per name 18 bits: aarch64 (9 bits), arm (9 bits:
#                            496 + k for the ARM private call 0x0f0000 + k)
#                            (511 / 63: the name has no number on that ABI;
#                            x32 numbers without the 0x40000000 bit)
set -eu
cd "$(dirname "$0")"
T=tables
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

col() {	# FILE ABI-REGEX -> "name number" lines
	awk -v re="^($2)\$" '!/^#/ && NF >= 3 && $2 ~ re { print $3, $1 }' "$1" | sort -u
}
col $T/syscall_64.tbl 'common|64' >"$tmp/x86_64"
col $T/syscall_32.tbl 'i386' >"$tmp/i386"
col $T/syscall_64.tbl 'common|x32' >"$tmp/x32"
col $T/syscall.tbl 'common|64|renameat|rlimit|memfd_secret' >"$tmp/aarch64"
col $T/syscall_arm.tbl 'common|eabi|alias|private' >"$tmp/arm"
# bits.awk: put(VALUE, WIDTH) appends to a bit stream, LSB first; flush(NAME)
# prints it as a C byte array; fail(WHY) stops the script.
cat >"$tmp/bits.awk" <<'AWK'
function put(v, w,   i) { for (i = 0; i < w; i++) { bit[nbits++] = v % 2; v = int(v / 2) } }
function fail(why) { print "gen-syscall-names.sh: " why >"/dev/stderr"; failed = 1; exit 1 }
function flush(name,   i, k, b, line) {
	if (failed) exit 1
	printf "static const unsigned char %s[%d] = {\n", name, int((nbits + 7) / 8)
	for (i = 0; i < nbits; i += 8) {
		b = 0
		for (k = 7; k >= 0; k--)
			b = b * 2 + ((i + k < nbits) ? bit[i + k] : 0)
		line = line sprintf("%d,", b)
		if (length(line) > 90) { print "\t" line; line = "" }
	}
	if (line != "")
		print "\t" line
	print "};"
}
AWK
ALPHABET=_abcdefghijklmnopqrstuvwxyz0123456789
# The names of each build: an x86_64 nanoctr filters x86_64, i386 and x32
# processes, an arm64 one arm64 and 32-bit ARM processes (a name the build's
# ABIs lack is unknown there, skipped as runc skips it).
cat "$tmp"/x86_64 "$tmp"/i386 "$tmp"/x32 | awk '{ print $1 }' | LC_ALL=C sort -u >"$tmp/names.x86"
cat "$tmp"/aarch64 "$tmp"/arm | awk '{ print $1 }' | LC_ALL=C sort -u >"$tmp/names.aarch64"
cat "$tmp"/names.x86 "$tmp"/names.aarch64 | LC_ALL=C sort -u >"$tmp/names"

cat >"$tmp/names.awk" <<'AWK'
{ name[n++] = $1 }
function len(v) { if (v < 15) put(v, 4); else { put(15, 4); put(v - 15, 5) } }
END {
	for (i = 0; i < n; i++) {	# front coding
		p = 0
		while (p < length(prev) && p < length(name[i]) && substr(prev, p + 1, 1) == substr(name[i], p + 1, 1))
			p++
		pre[i] = p
		rest[i] = substr(name[i], p + 1)
		prev = name[i]
		if (length(name[i]) > 31)	# seccomp_name_lookup's table
			fail(name[i] ": longer than 31 characters")
		for (k = 1; k <= length(rest[i]); k++) {
			c = substr(rest[i], k, 1)
			if (!index(alphabet, c))
				fail(name[i] ": a character outside " alphabet)
			freq[c]++
		}
	}
	m = 0	# Huffman code lengths: merge the two lightest nodes until one is left
	for (k = 1; k <= length(alphabet); k++)
		if ((c = substr(alphabet, k, 1)) in freq) {
			w[m] = freq[c]; chars[m] = c; alive[m++] = 1
		}
	for (left = m; left > 1; left--) {
		a = b = -1
		for (i = 0; i < m; i++)
			if (alive[i] && (a < 0 || w[i] < w[a])) { b = a; a = i }
			else if (alive[i] && (b < 0 || w[i] < w[b])) b = i
		for (k = 1; k <= length(chars[a] chars[b]); k++)
			bits[substr(chars[a] chars[b], k, 1)]++
		w[m] = w[a] + w[b]; chars[m] = chars[a] chars[b]; alive[m++] = 1; alive[a] = alive[b] = 0
	}
	code = 0	# canonical codes: by length, then alphabet order
	for (l = 1; l <= 15; l++) {
		count[l] = 0
		for (k = 1; k <= length(alphabet); k++)
			if (bits[c = substr(alphabet, k, 1)] == l) {
				symbols = symbols c; count[l]++; hc[c] = code++
			}
		if (count[l])
			max = l
		code *= 2
	}
	for (i = 0; i < n; i++) {
		len(pre[i])
		len(length(rest[i]))
		for (k = 1; k <= length(rest[i]); k++) {
			c = substr(rest[i], k, 1)
			for (b = bits[c] - 1; b >= 0; b--)
				put(int(hc[c] / 2 ^ b) % 2, 1)
		}
	}
	flush("syscall_names")
	printf "#define SYSCALL_HUFFMAN_SYMBOLS \"%s\"\n", symbols
	printf "static const unsigned char syscall_huffman_counts[%d] = {", max
	for (l = 1; l <= max; l++)
		printf " %d,", count[l]
	print " };"
}
AWK

names() {	# FAMILY: the stream and the enum of that build's names
	awk -v alphabet="$ALPHABET" -f "$tmp/bits.awk" -f "$tmp/names.awk" "$tmp/names.$1"
	echo
	echo "enum syscall_name {"
	awk '{ printf "\tSCN_%s,\n", $1 }' "$tmp/names.$1"
	echo "	SYSCALL_NAMES,"
	echo "	/* the other build's names: none here */"
	awk 'FNR == NR { have[$1] = 1; next } !($1 in have) { printf "\tSCN_%s = SCN_NONE,\n", $1 }' \
		"$tmp/names.$1" "$tmp/names"
	echo "};"
}

{
	echo "/* Generated by syscalls/gen-syscall-names.sh from syscalls/tables/: do not edit."
	echo " * The system call names of the build's tables, sorted (C locale), front-coded"
	echo " * in 5-bit fields (see the script), and their indexes, SCN_<name>. */"
	echo "#ifndef SYSCALL_NAMES_H"
	echo "#define SYSCALL_NAMES_H"
	echo
	echo "#define SCN_NONE 511	/* a name this build has no table for */"
	echo
	echo "#ifdef SYSCALL_X32_BIT	/* x86_64: x86_64, i386 and x32 */"
	names x86
	echo "#else	/* arm64: arm64 and arm */"
	names aarch64
	echo "#endif"
	echo
	echo "#endif"
} >syscall-names.h

numbers() {	# OUTPUT GUARD FAMILY BITS ABI...: per name of FAMILY, each ABI's field
	out=$1 guard=$2 family=$3 width=$4
	shift 4
	for abi in "$@"; do
		awk -v abi="$abi" 'FNR == NR { n[$1] = $2; next } { print (($1 in n) ? n[$1] : "none") }' \
			"$tmp/$abi" "$tmp/names.$family" >"$tmp/col.$abi"
	done
	{
		echo "/* Generated by syscalls/gen-syscall-names.sh from syscalls/tables/: do not edit."
		echo " * The numbers of each name of syscall-names.h on: $*, $width bits a name"
		echo " * (see the script). */"
		echo "#ifndef $guard"
		echo "#define $guard"
		echo
		echo "#define SYSCALL_NUMBER_BITS $width"
		(cd "$tmp" && paste -d' ' $(for a in "$@"; do printf 'col.%s ' "$a"; done) names.$family) |
		awk -f "$tmp/bits.awk" -f "$tmp/numbers.awk"
		echo
		echo "#endif"
	} >"$out"
}
cat >"$tmp/numbers.awk" <<'AWK'
{
	put($1 == "none" ? 511 : $1, 9)
	if (NF == 3) {	# arm64, then arm: its private calls 0x0f0000 + k as 496 + k
		if ($2 == "none")
			put(511, 9)
		else if ($2 >= 983040 && $2 - 983040 < 15)
			put($2 - 983040 + 496, 9)
		else if ($2 < 496)
			put($2, 9)
		else
			fail($3 ": arm number " $2 " neither below 496 nor private")
		next
	}
	put($2 == "none" ? 511 : $2, 9)
	if ($3 == "none")
		put(63, 6)
	else if ($3 == $1)
		put(62, 6)
	else if ($3 >= 512 && $3 < 548)
		put($3 - 512, 6)
	else
		fail($4 ": x32 number " $3 " neither common nor 512..547")
}
END { flush("syscall_numbers") }
AWK
numbers syscall-names-x86_64.h SYSCALL_NAMES_X86_64_H x86 24 x86_64 i386 x32
numbers syscall-names-aarch64.h SYSCALL_NAMES_AARCH64_H aarch64 18 aarch64 arm
