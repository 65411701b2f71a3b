#!/bin/sh
# Only a network administrator may change a net.homa sysctl: user nobody
# (runas) can read them but not write them, in the initial namespace and
# in h1, through /proc/sys or with sysctl; root can. Writes need
# CAP_NET_ADMIN in the user namespace that owns the network namespace:
# nobody as "root" of a user namespace of its own still cannot write the
# initial namespace's sysctls, but can write those of a network namespace
# that its user namespace owns (when the kernel lets unprivileged users
# make user namespaces).
#
#	+----------------------+          +----------------------+
#	| h1                   |          | h2                   |
#	|  runas ... (nobody)  |==========|                      |
#	+----------------------+   veth   +----------------------+
set -eu
. "$TESTBED/netns.sh"

D=/proc/sys/net/homa

# denied WHERE CMD: CMD (a shell command run as nobody in host WHERE, "-"
# for here) must fail with "Permission denied".
denied() {
	if [ "$1" = - ]; then
		! runas sh -c "$2" 2>err || die "nobody could: $2"
	else
		! in_host "$1" runas sh -c "$2" 2>err || die "nobody could in $1: $2"
	fi
	grep -q "Permission denied" err || die "'$2' as nobody in $1: $(cat err)"
}

modprobe homa
topo_pair

[ "$(runas id -u)" = 65534 ] || die "runas did not run as 65534: $(runas id)"
got=$(runas cat "$D/unsched_bytes") || die "nobody cannot read unsched_bytes"
[ "$got" = 40000 ] || die "nobody read unsched_bytes as '$got'"

for where in - h1; do
	denied "$where" "echo 5000 > $D/unsched_bytes"
	denied "$where" "echo 0 > $D/poll_usecs"
	denied "$where" "echo 1 1 1 1 1 1 1 1 > $D/priority_map"
	denied "$where" "echo 0 0 0 0 0 0 0 0 > $D/unsched_cutoffs"
	denied "$where" "echo 9 > $D/cutoff_version"
	denied "$where" "sysctl -w net.homa.window=1000"
done
for where in - h1; do
	run=
	[ "$where" = - ] || run="in_host $where"
	for pair in unsched_bytes:40000 poll_usecs:50 window:0 \
		    cutoff_version:1 priority_map:0_1_2_3_4_5_6_7; do
		name=${pair%%:*}
		want=$(echo "${pair#*:}" | tr _ ' ')
		got=$($run cat "$D/$name" | tr -s '\t ' '  ')
		[ "$got" = "$want" ] ||
			die "$name in $where is '$got' after nobody's writes"
	done
done
echo "ok: nobody cannot write, here or in h1"

# Root can, in h1.
in_host h1 sh -c "echo 5000 > $D/unsched_bytes"
[ "$(in_host h1 cat "$D/unsched_bytes")" = 5000 ] || die "root's write in h1 lost"
echo "ok: root can write in h1"

if ! runas unshare -r true 2>/dev/null; then
	echo "note: no unprivileged user namespaces here; not checking them"
	exit 0
fi
denied - "unshare -r sh -c 'echo 5000 > $D/unsched_bytes'"
[ "$(cat "$D/unsched_bytes")" = 40000 ] || die "unsched_bytes changed here"
got=$(runas unshare -r -n sh -c "echo 6000 > $D/unsched_bytes && cat $D/unsched_bytes") ||
	die "nobody could not write in a network namespace its user namespace owns"
[ "$got" = 6000 ] || die "write in nobody's own namespace read back '$got'"
[ "$(cat "$D/unsched_bytes")" = 40000 ] || die "unsched_bytes changed here"
echo "ok: CAP_NET_ADMIN over the namespace's owner is what counts"
