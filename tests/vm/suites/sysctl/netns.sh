#!/bin/sh
# Each network namespace has its own net.homa sysctls: a write in h1 (with
# busybox sysctl or through /proc/sys) changes h1 only, not h2 nor the
# initial namespace, and the other way round; a namespace made later
# starts from the defaults.
#
#	+----------------------+          +----------------------+
#	| h1                   |          | h2                   |
#	|  eth0 10.0.0.1/24    |==========|  eth0 10.0.0.2/24    |
#	+----------------------+   veth   +----------------------+
set -eu
. "$TESTBED/netns.sh"

D=/proc/sys/net/homa

# value WHERE NAME: the sysctl NAME in host WHERE ("-": here), spaces
# between the values of a vector.
value() {
	if [ "$1" = - ]; then
		tr -s '\t ' '  ' <"$D/$2"
	else
		in_host "$1" cat "$D/$2" | tr -s '\t ' '  '
	fi
}

# expect NAME WANT_INIT WANT_H1 WANT_H2
expect() {
	for _w in "- $2" "h1 $3" "h2 $4"; do
		_host=${_w%% *}
		_want=${_w#* }
		_got=$(value "$_host" "$1")
		[ "$_got" = "$_want" ] ||
			die "$1 in ${_host#-}: '$_got', expected '$_want'"
	done
	echo "ok: $1 is '$2' here, '$3' in h1, '$4' in h2"
}

modprobe homa
topo_pair

in_host h1 sysctl -w net.homa.unsched_bytes=5000 >/dev/null
expect unsched_bytes 40000 5000 40000
in_host h2 sysctl -w net.homa.unsched_bytes=7000 >/dev/null
expect unsched_bytes 40000 5000 7000
echo 9000 >"$D/unsched_bytes"
expect unsched_bytes 9000 5000 7000

in_host h2 sh -c "echo 0 > $D/poll_usecs"
expect poll_usecs 50 50 0

# Vectors and the values derived from them.
in_host h1 sh -c "echo 0 0 0 0 0 0 1000000 100 > $D/unsched_cutoffs"
expect unsched_cutoffs '0 0 0 0 1000000 15000 2800 200' \
	'0 0 0 0 0 0 1000000 100' '0 0 0 0 1000000 15000 2800 200'
expect max_sched_prio 3 5 3
expect cutoff_version 1 2 1
in_host h2 sh -c "echo 3 3 3 3 3 3 3 3 > $D/priority_map"
expect priority_map '0 1 2 3 4 5 6 7' '0 1 2 3 4 5 6 7' '3 3 3 3 3 3 3 3'

# A failed write in one namespace checks that namespace's own values.
in_host h1 sh -c "echo 50 > $D/resend_ticks"
expect resend_ticks 5 50 5
! in_host h1 sh -c "echo 40 > $D/timeout_ticks" 2>/dev/null ||
	die "timeout_ticks 40 accepted in h1, where resend_ticks is 50"
in_host h2 sh -c "echo 40 > $D/timeout_ticks" ||
	die "timeout_ticks 40 refused in h2, where resend_ticks is 5"
expect timeout_ticks 100 100 40

# A new namespace starts from the defaults.
ip netns add h3
got=$(in_host h3 cat "$D/unsched_bytes")
[ "$got" = 40000 ] || die "unsched_bytes in a new namespace: $got"
echo "ok: a new namespace has the defaults"
