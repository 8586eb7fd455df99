#!/usr/bin/env bats
# src/json.c, the parser for config.json and process.json, through tests/unit/json-check.c
# (its usage is at the top of that file). Samples in tests/data/json/ are real: runc-spec.json
# from `runc spec` (runc 1.1.5), ctr-oci-spec.json from `ctr oci spec` (containerd 1.6.20),
# podman-run.json captured from podman 4.3.1 (`podman run --rm --hostname web -e FOO=bar
# --pids-limit 100 -m 64m IMAGE /busybox echo hi`, a runtime that copied its bundle's file).
# Errors are runc's decoder's (Go's encoding/json) where they differ from plain RFC 8259.

load helpers

setup_file() {
	REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	DATA=$REPO/tests/data/json
	JSON_CHECK=$BATS_FILE_TMPDIR/json-check
	musl-gcc -static -Os -Wall -Wextra -Werror -I"$REPO" -o "$JSON_CHECK" \
		"$REPO"/tests/unit/json-check.c "$REPO"/src/json.c "$REPO"/src/lib.c
	export REPO DATA JSON_CHECK
}

# jc DOC [QUERY...] — json-check on the document DOC (printf %b: \x escapes give raw bytes)
jc() {
	local doc=$BATS_TEST_TMPDIR/doc.json
	printf '%b' "$1" >"$doc"
	"$JSON_CHECK" "$doc" "${@:2}"
}

# bad DOC MESSAGE — DOC must be refused with exactly "json-check: MESSAGE"
bad() {
	run --separate-stderr jc "$1"
	if [[ $status -ne 1 || $stderr != "json-check: $2" || -n $output ]]; then
		echo "document: $1"
		echo "expected: json-check: $2 (status 1)"
		echo "got:      $stderr (status $status) stdout: $output"
		return 1
	fi
}

@test "json: the real configs parse, and decode exactly as Python's json module does" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	for f in "$DATA"/*.json; do
		run -0 "$JSON_CHECK" "$f"
		ref=$(python3 -c 'import json, sys
print(json.dumps(json.load(open(sys.argv[1])), separators=(",", ":")))' "$f")
		[ "$output" = "$ref" ]
	done
}

@test "json: fields of the real configs, by key and index" {
	run -0 "$JSON_CHECK" "$DATA/podman-run.json" ociVersion linux.seccomp.defaultAction:str \
		linux.seccomp.defaultErrnoRet:u32 linux.seccomp.architectures linux.resources.pids.limit:int \
		linux.resources.memory.limit:int process.rlimits.0.type:str hostname process.terminal:bool \
		linux.uidMappings linux.namespaces:count
	[ "${lines[0]}" = '"1.0.2-dev"' ]
	[ "${lines[1]}" = '"SCMP_ACT_ERRNO"' ]
	[ "${lines[2]}" = 38 ]
	[ "${lines[3]}" = '["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]' ]
	[ "${lines[4]}" = 100 ]
	[ "${lines[5]}" = 67108864 ]
	[ "${lines[6]}" = '"RLIMIT_NOFILE"' ]
	[ "${lines[7]}" = '"web"' ]
	[ "${lines[8]}" = absent ]	# Go's omitempty: false is not written
	[ "${lines[9]}" = absent ]
	[ "${lines[10]}" = 5 ]
	run -0 "$JSON_CHECK" "$DATA/ctr-oci-spec.json" root.path:str linux.cgroupsPath process.noNewPrivileges:bool \
		linux.resources.devices.0
	[ "$output" = '"rootfs"
"/default"
true
{"allow":false,"access":"rwm"}' ]
	run -0 "$JSON_CHECK" "$DATA/runc-spec.json" process.args process.user.uid:u32 linux.namespaces.4.type:str \
		linux.maskedPaths:count mounts.1.options
	[ "$output" = '["sh"]
0
"mount"
10
["nosuid","strictatime","mode=755","size=65536k"]' ]
}

@test "json: every escape, decoded then re-escaped by the dump" {
	run -0 jc '["\\"\\\\\\/\\b\\f\\n\\r\\t", "\\u0041\\u00e9\\u20AC\\u0001\\u001f", "/"]'
	[ "$output" = '["\"\\/\b\f\n\r\t","A\u00e9\u20ac\u0001\u001f","/"]' ]
}

@test "json: unicode: raw UTF-8, surrogate pairs; as Go, lone surrogates and bad UTF-8 become U+FFFD" {
	run -0 jc '"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\ud83d\\ude00"'
	[ "$output" = '"caf\u00e9 \u20ac \ud83d\ude00 \ud83d\ude00"' ]
	# lone high, lone low, high followed by a non-surrogate, high high low
	run -0 jc '["\\ud800", "\\udc00x", "\\ud800\\u0041", "\\ud800\\ud800\\udc00"]'
	[ "$output" = '["\ufffd","\ufffdx","\ufffdA","\ufffd\ud800\udc00"]' ]
	# one U+FFFD per bad byte (Go's utf8.DecodeRune): stray continuation, overlong,
	# truncated sequence, UTF-8-encoded surrogate, above U+10FFFF, 0xff
	run -0 jc '"\x80|\xc0\xaf|\xe2\x82|\xed\xa0\x80|\xf4\x90\x80\x80|\xff"'
	[ "$output" = '"\ufffd|\ufffd\ufffd|\ufffd\ufffd|\ufffd\ufffd\ufffd|\ufffd\ufffd\ufffd\ufffd|\ufffd"' ]
}

@test "json: a string holding \\u0000 is refused when read (a C string cannot carry it)" {
	run -2 jc '{"path":"/a\\u0000b","ok":"/a"}' path:str ok:str
	[ "${lines[0]}" = "error: string contains \\u0000 at offset 8" ]
	[ "${lines[1]}" = '"/a"' ]
}

@test "json: integers as Go decodes them: range per type, no fraction or exponent" {
	local items=(0 -0 4294967295 4294967296 -1 18446744073709551615 18446744073709551616
		9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
		1.0 1e3 2147483648 -2147483648 '"1"' true) doc
	doc=$(printf '%s, ' "${items[@]}")
	run -2 jc "[${doc%, }]" \
		0:u32 1:int 1:uint 2:u32 3:u32 3:int 4:uint 4:int 5:uint 6:uint 7:int 8:int 8:uint \
		9:int 10:int 11:int 12:uint 13:i32 14:i32 15:int 16:bool 15:bool
	expected=(0 0 "error: number out of range at offset 4" 4294967295
		"error: number out of range at offset 20" 4294967296
		"error: number out of range at offset 32" -1 18446744073709551615
		"error: number out of range at offset 58" 9223372036854775807
		"error: number out of range at offset 101" 9223372036854775808 -9223372036854775808
		"error: number out of range at offset 144" "error: expected an integer at offset 166"
		"error: expected an integer at offset 171" "error: number out of range at offset 176"
		-2147483648 "error: expected a number at offset 201" true
		"error: expected true or false at offset 201")
	[ "${#lines[@]}" -eq "${#expected[@]}" ]
	for i in "${!expected[@]}"; do
		[ "${lines[i]}" = "${expected[i]}" ] || { echo "query $i: ${lines[i]} != ${expected[i]}"; false; }
	done
	# any valid number parses and dumps as written
	run -0 jc '[-0.0e-0, 1E+400, 123456789012345678901234567890, -1.5]'
	[ "$output" = '[-0.0e-0,1E+400,123456789012345678901234567890,-1.5]' ]
}

@test "json: duplicate keys: the last wins; keys match without ASCII case, after unescaping (as Go)" {
	run -0 jc '{"a":1,"b":{"c":2},"A":3,"\\u0062":{"C":4}}' a:int b.c:int B.C:int x
	[ "$output" = '3
4
4
absent' ]
	# a null is returned as null: the loader decides (Go: nil pointer, or field unchanged)
	run -0 jc '{"a":1,"a":null}' a
	[ "$output" = null ]
	# the dump keeps every member in document order
	run -0 jc '{"a":1,"a":2}'
	[ "$output" = '{"a":1,"a":2}' ]
}

@test "json: nesting: 10000 levels (Go's limit) parse, 10001 are refused" {
	printf -v open '%10000s' ''
	printf -v close '%10000s' ''
	run -0 jc "${open// /[}${close// /]}" ''
	[ "${#output}" -eq 20000 ]
	bad "[${open// /[}${close// /]}]" "nesting deeper than 10000 at offset 10000"
	local key='{"a":'
	bad "{\"a\":${open// /$key}" "nesting deeper than 10000 at offset 50000"
}

@test "json: malformed documents are refused with what and where" {
	bad '' "unexpected end of input at offset 0"
	bad ' \n\t\r ' "unexpected end of input at offset 5"
	bad '[1,]' "expected a value at offset 3"
	bad '{"a":1,}' "expected a string as object key at offset 7"
	bad '{"a" 1}' "expected ':' after object key at offset 5"
	bad '{"a":1 "b":2}' "expected ',' or '}' at offset 7"
	bad '[1 2]' "expected ',' or ']' at offset 3"
	bad '{1:2}' "expected a string as object key at offset 1"
	bad "{'a':1}" "expected a string as object key at offset 1"
	bad '[1] [2]' "data after the top-level value at offset 4"
	bad '{"a":1}}' "data after the top-level value at offset 7"
	bad '// comment\n{}' "expected a value at offset 0"
	bad '{"a":1 /* c */}' "expected ',' or '}' at offset 7"
	bad '[01]' "expected ',' or ']' at offset 2"
	bad '[+1]' "expected a value at offset 1"
	bad '[.5]' "expected a value at offset 1"
	bad '[1.]' "invalid number at offset 3"
	bad '[1.e5]' "invalid number at offset 3"
	bad '[1e]' "invalid number at offset 3"
	bad '[-]' "invalid number at offset 2"
	bad '[--1]' "invalid number at offset 2"
	bad '[0x10]' "expected ',' or ']' at offset 2"
	bad '[NaN]' "expected a value at offset 1"
	bad '[Infinity]' "expected a value at offset 1"
	bad '[tru]' "invalid literal at offset 4"
	bad '[True]' "expected a value at offset 1"
	bad '[nulll]' "expected ',' or ']' at offset 5"
	bad '["a\\x"]' "invalid escape at offset 4"
	bad '["\\U0041"]' "invalid escape at offset 3"
	bad '["\\u00g1"]' "invalid \\u escape at offset 6"
	bad '["\\u12"]' "invalid \\u escape at offset 6"
	bad '["a\tb"]' "control character in string at offset 3"
	bad '["a\nb"]' "control character in string at offset 3"
	bad '["a\x00b"]' "control character in string at offset 3"
	bad '[1,\x00]' "expected a value at offset 3"
	bad '[1]\x00' "data after the top-level value at offset 3"
	# whitespace is space, tab, newline and carriage return only
	bad '[\v1]' "expected a value at offset 1"
	bad '[\xc2\xa01]' "expected a value at offset 1"
}

@test "json: truncated input: every proper prefix of a real config is refused at its end" {
	local f=$DATA/runc-spec.json n cut
	n=$(stat -c %s "$f")
	run -0 "$JSON_CHECK" "$f" ''
	# trailing whitespace aside, no prefix is a document (a top-level object)
	# (not $i: bats' run uses it)
	for ((cut = 0; cut < n - 1; cut += 7)); do
		head -c "$cut" "$f" >"$BATS_TEST_TMPDIR/prefix.json"
		run --separate-stderr "$JSON_CHECK" "$BATS_TEST_TMPDIR/prefix.json"
		[ "$status" -eq 1 ] && [ "$stderr" = "json-check: unexpected end of input at offset $cut" ] ||
			{ echo "prefix $cut: $status $stderr"; false; }
	done
	bad '{"a":[1,{"b":"c' "unexpected end of input at offset 15"
	bad '"\\u00' "unexpected end of input at offset 5"
	bad '"\\' "unexpected end of input at offset 2"
	bad '{"a"' "unexpected end of input at offset 4"
	bad '[1e+' "unexpected end of input at offset 4"
	bad '[fals' "unexpected end of input at offset 5"
}

@test "json: a token array too small is an error, never a truncated document" {
	run -0 "$JSON_CHECK" -t 4 <(printf '[1,[2]]') ''
	run --separate-stderr "$JSON_CHECK" -t 3 <(printf '[1,[2]]')
	[ "$status" -eq 1 ]
	[ "$stderr" = "json-check: too many values at offset 4" ]
	# an object's key takes a token too
	run -0 "$JSON_CHECK" -t 3 <(printf '{"a":1}') ''
	run --separate-stderr "$JSON_CHECK" -t 2 <(printf '{"a":1}')
	[ "$stderr" = "json-check: too many values at offset 5" ]
	# size / 2 + 1 tokens suffice for the densest valid documents
	run -0 "$JSON_CHECK" -t 10 <(printf '[1,2,3,4,5,6,7,8,9]') ''
	run -0 "$JSON_CHECK" -t 6 <(printf '{"":1,"":2}') ''
	run -0 "$JSON_CHECK" -t 7 <(printf '[[],[],[[]]]') ''
	run -0 "$JSON_CHECK" -t 1 <(printf '7') ''
	# with size tokens (json-check's default), a malformed document gets its own error
	bad '[[[[[[[[[[' "unexpected end of input at offset 10"
	bad '[[[[[[[[[[0}' "expected ',' or ']' at offset 11"
}

@test "json: top-level scalars and empty containers" {
	run -0 jc ' 42 ' ''
	[ "$output" = 42 ]
	run -0 jc '"x"'
	[ "$output" = '"x"' ]
	run -0 jc 'null'
	[ "$output" = null ]
	run -0 jc '[ {} , [ ] , { "a" : [ ] } ]' ''
	[ "$output" = '[{},[],{"a":[]}]' ]
	run -0 jc '{}' :count
	[ "$output" = 0 ]
}

@test "json: under ASan and UBSan, the real configs and a sample of the cases above run clean" {
	command -v gcc >/dev/null || skip "gcc is not installed"
	local asan=$BATS_TEST_TMPDIR/json-check-asan doc=$BATS_TEST_TMPDIR/doc.json
	gcc -O1 -g -fno-builtin -fsanitize=address,undefined -fno-sanitize-recover=all -I"$REPO" \
		-o "$asan" "$REPO"/tests/unit/json-check.c "$REPO"/src/json.c "$REPO"/src/lib.c ||
		skip "this gcc cannot build with -fsanitize=address,undefined"
	for f in "$DATA"/*.json; do
		run -0 "$asan" "$f"
		run -1 "$asan" -t 5 "$f"
		[ "$output" = "json-check: too many values at offset 46" ] || [[ $f != */runc-spec.json ]]
	done
	for d in '[1,]' '"\\ud800\\udc00\xff\xc0' '["\\ud800\\udc00\xff\xc0\\ud800", -0]' \
		'{"a":[1,{"b":"c' '"\\u00' '[-9223372036854775809]' '[1e]' '["a\\x"]' '{"a":{"b":null}}'; do
		printf '%b' "$d" >"$doc"
		run "$asan" "$doc" '' 0:int 0:uint 0:bool a.b 0:str
		[ "$status" -le 2 ]
		[[ $output != *Sanitizer* && $output != *"runtime error"* ]]
	done
}
