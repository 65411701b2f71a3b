#!/bin/sh
# timeout: 120
# homa_cutoffs sets cutoffs that fit the traffic a host received. h1 sends
# h2 requests of known sizes: 300 of 100 bytes, 6 of 5000, 3 of 20000 and
# one of 300000, 420000 bytes in all, of which 160000 are unscheduled
# (unsched_bytes 40000). homa_cutoffs --set in h2 must then print and set
# 3 unscheduled levels ending at 5120, 20480 and 1000000 bytes
# ("0 0 0 0 0 1000000 20480 5120"), with max_sched_prio 4 and a new
# cutoff_version; h1's own sysctls stay as they were. Before any traffic
# it must refuse, setting nothing. Afterwards RPCs of every size still
# work, and h1, told the new cutoffs, sends 10000-byte requests at level
# 6 (the defaults would give level 5).
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  homa_smoke client       |==========|  homa_smoke server       |
#	|                          |   veth   |  homa_cutoffs --set      |
#	+--------------------------+          +--------------------------+
set -eu
. "$TESTBED/netns.sh"

D=/proc/sys/net/homa
DEFAULT="0 0 0 0 1000000 15000 2800 200"
WANT="0 0 0 0 0 1000000 20480 5120"

# sysctl_of H NAME: the value(s) of a sysctl of host H, on one line, single
# spaces (the kernel separates the values of a vector with tabs).
sysctl_of() {
	in_host "$1" cat "$D/$2" | tr -s '\t' ' '
}

# printed FILE NAME: the rest of the line "NAME ..." of homa_cutoffs.
printed() {
	sed -n "s/^$2 //p" "$1"
}

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000
server=$BG_PID

version=$(sysctl_of h2 cutoff_version)
[ "$(sysctl_of h2 unsched_cutoffs)" = "$DEFAULT" ] ||
	die "h2 does not start with the default cutoffs"

# Nothing received yet: nothing to compute, nothing set.
if in_host h2 homa_cutoffs --set >empty.out 2>empty.err; then
	die "homa_cutoffs --set succeeded without data: $(cat empty.out)"
fi
grep -q "no complete incoming message" empty.err ||
	die "no reason given for an empty histogram: $(cat empty.err)"
[ "$(sysctl_of h2 cutoff_version)" = "$version" ] ||
	die "cutoff_version changed without data"
echo "empty histogram: $(cat empty.err)"

in_host h1 homa_smoke client 10.0.0.2 -4 count -n 300 -s 100 >/dev/null ||
	die "100-byte RPCs failed"
in_host h1 homa_smoke client 10.0.0.2 -4 count -n 6 -s 5000 >/dev/null ||
	die "5000-byte RPCs failed"
in_host h1 homa_smoke client 10.0.0.2 -4 count -n 3 -s 20000 >/dev/null ||
	die "20000-byte RPCs failed"
in_host h1 homa_smoke client 10.0.0.2 -4 sizes 300000 >/dev/null ||
	die "300000-byte RPC failed"
for kv in msg_bytes_128=30000 msg_bytes_5120=30000 msg_bytes_20480=60000 \
	large_msg_count=1 large_msg_bytes=300000; do
	got=$(homa_metric h2 "${kv%=*}")
	[ "$got" = "${kv#*=}" ] || die "h2 ${kv%=*} is $got, expected ${kv#*=}"
done
echo "h2 histogram: 30000 + 30000 + 60000 bytes, one message of 300000"

in_host h2 homa_cutoffs --set >set.out 2>set.err ||
	die "homa_cutoffs --set failed: $(cat set.out set.err)"
cat set.out
[ ! -s set.err ] || die "homa_cutoffs --set complained: $(cat set.err)"
grep -q "^total_bytes 420000 " set.out || die "wrong total"
grep -q "^unscheduled_bytes 160000, " set.out || die "wrong unscheduled bytes"
grep -q "^unscheduled_levels 3 of 8 " set.out || die "wrong number of levels"

vector=$(printed set.out unsched_cutoffs)
[ "$vector" = "$WANT" ] || die "printed cutoffs \"$vector\", expected \"$WANT\""
[ "$(sysctl_of h2 unsched_cutoffs)" = "$vector" ] ||
	die "h2 unsched_cutoffs is \"$(sysctl_of h2 unsched_cutoffs)\", printed \"$vector\""
prio=$(printed set.out max_sched_prio)
[ "$prio" = 4 ] || die "printed max_sched_prio $prio, expected 4"
[ "$(sysctl_of h2 max_sched_prio)" = "$prio" ] ||
	die "h2 max_sched_prio is $(sysctl_of h2 max_sched_prio), printed $prio"
[ "$(printed set.out 'module max_sched_prio')" = "$prio" ] ||
	die "--set reported another max_sched_prio"
new=$(sysctl_of h2 cutoff_version)
[ "$new" -gt "$version" ] || die "cutoff_version stayed $new"
[ "$(printed set.out cutoff_version)" = "$version -> $new" ] ||
	die "--set reported cutoff_version \"$(printed set.out cutoff_version)\", the sysctl went $version -> $new"
echo "h2: unsched_cutoffs $vector, max_sched_prio $prio, cutoff_version $version -> $new"
if [ "$(sysctl_of h1 unsched_cutoffs)" != "$DEFAULT" ] ||
	[ "$(sysctl_of h1 cutoff_version)" != "$version" ]; then
	die "h1's cutoffs changed too"
fi

# A second run finds the same cutoffs: nothing changes.
in_host h2 homa_cutoffs --set >again.out ||
	die "second homa_cutoffs --set failed: $(cat again.out)"
grep -q "^cutoff_version $new (unchanged" again.out ||
	die "second run: $(grep ^cutoff_version again.out)"
[ "$(sysctl_of h2 cutoff_version)" = "$new" ] ||
	die "an unchanged vector bumped cutoff_version"

in_host h1 homa_smoke client 10.0.0.2 -4 sizes >sizes.out ||
	{ cat sizes.out; die "RPCs failed after the cutoffs changed"; }
grep -q "^sizes: all 11 sizes echoed correctly" sizes.out ||
	die "not all sizes were checked: $(cat sizes.out)"
echo "after: $(tail -n 1 sizes.out)"

# h1 heard the new cutoffs (CUTOFFS, on its first DATA with the old
# version): 10000-byte requests now go at level 6, none at level 5.
b5=$(homa_metric h1 prio_bytes_5)
b6=$(homa_metric h1 prio_bytes_6)
in_host h1 homa_smoke client 10.0.0.2 -4 count -n 5 -s 10000 >/dev/null ||
	die "10000-byte RPCs failed"
d5=$(($(homa_metric h1 prio_bytes_5) - b5))
d6=$(($(homa_metric h1 prio_bytes_6) - b6))
if [ "$d6" -lt 50000 ] || [ "$d5" != 0 ]; then
	die "h1 sent $d6 bytes at level 6 and $d5 at level 5 for 5 x 10000 bytes"
fi
echo "h1 sent 5 x 10000 bytes: $d6 bytes at level 6, $d5 at level 5"

kill "$server"
wait "$server" || die "server in h2 failed"
