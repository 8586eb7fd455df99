#!/usr/bin/env bats
# -u/--user as docker resolves it (moby/sys/user GetExecUser), from the container's own
# /etc/passwd and /etc/group, of any size: the UID, the GID, HOME and the supplementary
# groups the command really runs with. Each test writes its own passwd/group into a
# private copy of the rootfs.

load helpers

setup() {
	requires_root
	requires_nanoctr
	root=$(fresh_rootfs)
}

# in_ctr [RUN-OPTIONS...] — the container's `id -u`, `id -g`, $HOME and its supplementary
# groups (the kernel's list, /proc/self/status) on one line: "UID GID HOME [GROUPS...]".
in_ctr() {
	run --separate-stderr "$NANOCTR" run -r "$root" "$@" sh -c \
		'echo "$(id -u) $(id -g) $HOME" $(awk "\$1 == \"Groups:\" { \$1 = \"\"; print }" /proc/self/status)'
}

# filler N PREFIX — N passwd-like lines "PREFIXi:x:(100000+i):...", about 100 bytes each.
filler() {
	awk -v n="$1" -v p="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "%s%d:x:%d:%d:filler entry number %d of a big file:/home/%s%d:/bin/false\n",
			p, i, 100000 + i, 100000 + i, i, p, i }'
}

@test "passwd and group files over 64 KiB: entries at the end are found" {
	{
		cat "$root/etc/passwd"
		filler 3000 user
		echo 'app:x:4242:4243:the app:/srv/app:/bin/sh'
	} >"$root/etc/passwd.new"
	{
		cat "$root/etc/group"
		filler 5000 group | cut -d: -f1-3 | sed 's/$/:/'
		echo 'appgrp:x:4243:'
		echo 'extra:x:5000:nobody,app'
	} >"$root/etc/group.new"
	mv "$root/etc/passwd.new" "$root/etc/passwd"
	mv "$root/etc/group.new" "$root/etc/group"
	[[ $(stat -c %s "$root/etc/passwd") -gt 200000 && $(stat -c %s "$root/etc/group") -gt 65536 ]]
	in_ctr -u app
	assert_status 0
	assert_output_equals "4242 4243 /srv/app 5000"
	in_ctr -u app:appgrp
	assert_status 0
	assert_output_equals "4242 4243 /srv/app"
	in_ctr -u 4242
	assert_status 0
	assert_output_equals "4242 4243 /srv/app 5000"
	# the last line of a file need not end with a newline
	printf 'last:x:7:8:no newline:/last:/bin/sh' >>"$root/etc/passwd"
	printf 'lastgrp:x:9:last' >>"$root/etc/group"
	in_ctr -u last
	assert_status 0
	assert_output_equals "7 8 /last 9"
}

@test "lines longer than any buffer (100 KB of GECOS, of a name, of group members) are read whole" {
	local long
	long=$(head -c 100000 /dev/zero | tr '\0' 'g')
	{
		echo "app:x:4242:4243:$long:/srv/app:/bin/sh"
		echo "$long:x:1:1::/wrong:/bin/sh"
		cat "$root/etc/passwd"
	} >"$root/etc/passwd.new"
	mv "$root/etc/passwd.new" "$root/etc/passwd"
	{
		echo "big:x:6000:$(printf 'member%d,' {1..20000})app"
		echo "notme:x:6001:$(printf 'member%d,' {1..20000})appx,xapp,ap"
		echo "alsome:x:6002:app,$(printf 'member%d,' {1..20000})"
		cat "$root/etc/group"
	} >"$root/etc/group.new"
	mv "$root/etc/group.new" "$root/etc/group"
	in_ctr -u app
	assert_status 0
	assert_output_equals "4242 4243 /srv/app 6000 6002"
	# a user name no entry has, longer than the read buffer, is still just unknown
	in_ctr -u "${long}x"
	assert_status 125
	assert_stderr_equals "nanoctr: --user ${long:0:4000}...: no such entry in the container's /etc/passwd"
	# and one that some entry has is found, however long
	in_ctr -u "$long"
	assert_status 0
	assert_output_equals "1 1 /wrong"
}

@test "-u NAME:GROUP and NAME:GID: an explicit group always wins, and brings no supplementary groups" {
	echo 'app:x:4242:100:the app:/srv/app:/bin/sh' >>"$root/etc/passwd"
	printf '%s\n' 'users:x:100:' 'extra:x:5000:app' 'wheel:x:10:' >>"$root/etc/group"
	in_ctr -u app:0
	assert_status 0
	assert_output_equals "4242 0 /srv/app"
	in_ctr -u app:4444
	assert_status 0
	assert_output_equals "4242 4444 /srv/app"
	in_ctr -u app:wheel
	assert_status 0
	assert_output_equals "4242 10 /srv/app"
	in_ctr -u 4242:0
	assert_status 0
	assert_output_equals "4242 0 /srv/app"
	# the passwd group, and the group that lists the user, without an explicit one
	in_ctr -u app
	assert_status 0
	assert_output_equals "4242 100 /srv/app 5000"
}

@test "-u UID: the passwd entry with that UID gives GID and HOME; a UID without one gets GID 0 and /" {
	echo 'app:x:4242:100:the app:/srv/app:/bin/sh' >>"$root/etc/passwd"
	printf '%s\n' 'users:x:100:' 'extra:x:5000:app' >>"$root/etc/group"
	in_ctr -u 4242
	assert_status 0
	assert_output_equals "4242 100 /srv/app 5000"
	in_ctr -u 1234
	assert_status 0
	assert_output_equals "1234 0 /"
	in_ctr -u 1234 -e HOME=/h
	assert_status 0
	assert_output_equals "1234 0 /h"
	# no passwd or group file at all: numbers still work, names do not
	rm "$root/etc/passwd" "$root/etc/group"
	in_ctr -u 1234:5
	assert_status 0
	assert_output_equals "1234 5 /"
	in_ctr -u 0
	assert_status 0
	assert_output_equals "0 0 /"
	in_ctr -u app
	assert_status 125
	assert_output_equals ""
	assert_stderr_equals "nanoctr: --user app: no such entry in the container's /etc/passwd"
	in_ctr -u 0:wheel
	assert_status 125
	assert_stderr_equals "nanoctr: --user :wheel: no such entry in the container's /etc/group"
}

@test "without -u: root's passwd entry and the groups that list root, as docker" {
	printf '%s\n' 'root:x:0:0:root:/rootdir:/bin/sh' >"$root/etc/passwd"
	printf '%s\n' 'root:x:0:' 'bin:x:1:root,bin' 'adm:x:4:daemon,root' 'other:x:5:rootx' >"$root/etc/group"
	in_ctr
	assert_status 0
	assert_output_equals "0 0 /rootdir 1 4"
}

@test "the last -u wins whole: -u nobody -u 0 is root, -u app:wheel -u 4242 takes app's group" {
	echo 'app:x:4242:100:the app:/srv/app:/bin/sh' >>"$root/etc/passwd"
	printf '%s\n' 'users:x:100:' 'wheel:x:10:' >>"$root/etc/group"
	in_ctr -u nobody -u 0
	assert_status 0
	assert_output_equals "0 0 /root"
	in_ctr -u app:wheel -u 4242
	assert_status 0
	assert_output_equals "4242 100 /srv/app"
	in_ctr --user=nobody:10 -u 1234
	assert_status 0
	assert_output_equals "1234 0 /"
	in_ctr -u 1234:5 -u app
	assert_status 0
	assert_output_equals "4242 100 /srv/app"
}

@test "a malformed entry for the user is an error, not a guess; other lines' faults do not matter" {
	printf '%s\n' 'bad:x:12x:1::/:/bin/sh' 'nogid:x:13' 'junk' '' ':::' 'good:x:14:15::/g:/bin/sh' >>"$root/etc/passwd"
	in_ctr -u bad
	assert_status 125
	assert_stderr_equals "nanoctr: --user bad: malformed entry in the container's /etc/passwd"
	in_ctr -u nogid
	assert_status 125
	assert_stderr_equals "nanoctr: --user nogid: malformed entry in the container's /etc/passwd"
	in_ctr -u good
	assert_status 0
	assert_output_equals "14 15 /g"
	in_ctr -u 13
	assert_status 125
	assert_stderr_equals "nanoctr: --user 13: malformed entry in the container's /etc/passwd"
	# an empty home is /
	echo 'nohome:x:16:17:::/bin/sh' >>"$root/etc/passwd"
	in_ctr -u nohome
	assert_status 0
	assert_output_equals "16 17 /"
}

@test "a home directory longer than PATH_MAX is refused, not cut" {
	local long
	long=/$(head -c 5000 /dev/zero | tr '\0' h)
	echo "longhome:x:20:20::$long:/bin/sh" >>"$root/etc/passwd"
	in_ctr -u longhome
	assert_status 125
	assert_stderr_equals "nanoctr: --user longhome: home directory too long in the container's /etc/passwd"
	# one that fits is whole
	echo "okhome:x:21:21::${long:0:4000}:/bin/sh" >>"$root/etc/passwd"
	in_ctr -u okhome
	assert_status 0
	assert_output_equals "21 21 ${long:0:4000}"
}

@test "/etc/passwd that cannot be read is an error, also for a numeric user" {
	rm "$root/etc/passwd"
	mkdir "$root/etc/passwd"
	in_ctr -u 1000
	assert_status 125
	assert_stderr_equals "nanoctr: --user 1000: /etc/passwd: Is a directory"
}
