#!/bin/sh
# /proc/net/homa_metrics counts what happened: after echo RPCs of 100,
# 5,000 and 200,000 bytes, the server's length histogram holds exactly
# those requests (msg_bytes_128, msg_bytes_5120, large_msg_*), every
# priority's bytes add up with its packets, the recvmsg counters saw the
# three requests, and /proc/net/homa_metrics_cpu splits the same totals
# over the CPUs. homa_metrics --per-cpu then shows per-CPU deltas.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  homa_smoke client sizes |==========|  homa_smoke server       |
#	+--------------------------+   veth   +--------------------------+
# timeout: 60
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000
in_host h1 homa_smoke client 10.0.0.2 -4 sizes 100,5000,200000 ||
	die "the RPCs failed"

# expect NAME VALUE: counter NAME of h2 is VALUE.
expect() {
	got=$(homa_metric h2 "$1")
	[ "$got" = "$2" ] || die "h2 $1 is $got, expected $2"
	echo "h2 $1 = $got"
}
expect msg_bytes_128 100
expect msg_bytes_5120 5000
expect large_msg_count 1
expect large_msg_bytes 200000
expect msg_bytes_64 0
expect server_requests_done 3

in_host h2 cat /proc/net/homa_metrics >sum
in_host h2 cat /proc/net/homa_metrics_cpu >percpu
# Every counter of the per-CPU file adds up to the summed one (the hosts
# are idle now; the timer's own counters keep moving), and the per-CPU
# file names nothing the summed one lacks.
awk '
NR == FNR { total[$1] = $2; next }
{
	name = $1
	sub(/^cpu[0-9]+\./, "", name)
	if (!(name in total)) { print "unknown counter " $1; bad = 1 }
	sum[name] += $2
}
END {
	for (n in total)
		if (n != "grant_max_incoming" && n !~ /^timer_/ &&
		    total[n] != sum[n] + 0) {
			print n ": " total[n] " summed, " sum[n] + 0 " per CPU"
			bad = 1
		}
	exit bad
}' sum percpu || die "/proc/net/homa_metrics_cpu disagrees with the sums"
echo "per-CPU counters add up to the $(wc -l <sum) summed ones"

awk '
$1 ~ /^prio_packets_/ { p += $2 }
$1 ~ /^prio_bytes_/ { b += $2 }
$1 ~ /^packets_sent_/ { s += $2 }
$1 == "recv_calls" { calls = $2 }
$1 == "recv_ns" { ns = $2 }
END {
	if (p != s) { print "prio_packets_* " p ", packets_sent_* " s; exit 1 }
	if (b < 200000 + 5000 + 100) { print "prio_bytes_* only " b; exit 1 }
	if (calls < 3 || ns == 0) { print "recv_calls " calls ", recv_ns " ns; exit 1 }
}' sum || die "priority or recvmsg counters are wrong"
echo "priority counters match packets sent; recvmsg counted"

in_host h2 homa_metrics --per-cpu --state state >first
in_host h1 homa_smoke client 10.0.0.2 -4 one >/dev/null
in_host h2 homa_metrics --per-cpu --state state >second
grep -q '^cpu[0-9]*\.packets_rcvd_DATA ' second ||
	die "homa_metrics --per-cpu shows no per-CPU DATA: $(cat second)"
grep -q '^cpu[0-9]*\.msg_bytes_128 ' second ||
	die "homa_metrics --per-cpu shows no new 100-byte message: $(cat second)"
echo "homa_metrics --per-cpu:"
grep -E '^cpu[0-9]+\.(packets_rcvd_DATA|msg_bytes_128) ' second
