#!/bin/sh
# Every net.homa sysctl exists, in the initial namespace and in one made
# after the module was loaded, with its default value (config.md), and
# there is no other; the read-only ones are mode 0444, the others 0644.
set -eu
. "$TESTBED/netns.sh"

# name, default (vectors: values separated by single spaces), mode
defaults='
unsched_bytes 40000 644
window 0 644
max_incoming 400000 644
max_overcommit 8 644
grant_fifo_fraction 50 644
fifo_grant_increment 50000 644
num_priorities 8 644
priority_map 0_1_2_3_4_5_6_7 644
unsched_cutoffs 0_0_0_0_1000000_15000_2800_200 644
max_sched_prio 3 444
cutoff_version 1 444
resend_ticks 5 644
resend_interval 5 644
timeout_ticks 100 644
request_ack_ticks 2 644
poll_usecs 50 644
bpage_lease_usecs 10000 644
wmem_max 100000000 644
peer_gc_threshold 5000 644
peer_idle_secs_min 10 644
peer_idle_secs_max 120 644
max_gso_size 0 644
gso_force_software 0 644
max_gro_skbs 20 644
link_mbps 25000 644
max_nic_est_backlog_usecs 5 644
defer_min_bytes 1000 644
pacer_fifo_fraction 50 644
flags 0 644
'

# check WHERE: the sysctls as seen by "in_host WHERE" (or here if "-").
check() {
	run=
	[ "$1" = - ] || run="in_host $1"
	want_names=$(echo "$defaults" | awk 'NF { print $1 }' | sort)
	got_names=$($run ls /proc/sys/net/homa | sort)
	[ "$got_names" = "$want_names" ] ||
		die "$1: sysctls are [$(echo $got_names)], expected [$(echo $want_names)]"
	echo "$defaults" | while read -r name value mode; do
		[ -n "$name" ] || continue
		want=$(echo "$value" | tr _ ' ')
		got=$($run cat "/proc/sys/net/homa/$name" | tr -s '\t ' '  ')
		[ "$got" = "$want" ] || die "$1: $name is '$got', expected '$want'"
		got=$($run stat -c %a "/proc/sys/net/homa/$name")
		[ "$got" = "$mode" ] || die "$1: $name has mode $got, expected $mode"
	done
	echo "$1: all $(echo "$want_names" | wc -l) sysctls present with their defaults"
}

[ ! -e /proc/sys/net/homa ] || die "/proc/sys/net/homa exists before homa is loaded"
ip netns add before
modprobe homa
ip netns add after
check -
check before
check after
# busybox sysctl reads them too, by their dotted names.
got=$(sysctl -n net.homa.unsched_bytes)
[ "$got" = 40000 ] || die "sysctl -n net.homa.unsched_bytes printed '$got'"
