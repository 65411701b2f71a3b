#!/bin/sh
# NEED_ACK while the response is still on its way: h2's link to h1 is
# shaped to 100 Mbit/s except for the highest level, so the last 200 KB
# that a 1 MB response is granted leave h2 at once and then take 16 ms
# to arrive. h2 asks with NEED_ACK 2 ticks after the response has left
# it, and the NEED_ACK overtakes the data, as in a switch; h1, still receiving
# (no silence: a packet every 120 us), must answer BUSY, not ask for the
# queued tail again. Before that rule, each response drew RESENDs and h2
# sent part of it twice, at the highest level. A real loss is still
# recovered: the timer asks after resend_ticks of silence (protocol/gro,
# faults).
#
#	+--------------------+                   +--------------------+
#	| h1 10.0.0.1        |                   | h2 10.0.0.2        |
#	|  homa_smoke client |=======veth========|  homa_smoke server |
#	|                    |  h2 -> h1: prio:  |                    |
#	|                    |  level 7 at once, |                    |
#	|                    |  the rest 100 Mb/s|                    |
#	+--------------------+                   +--------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
# Level 7 (TOS class 7: the control packets) passes at once, as through
# a switch's strict-priority queues; the rest waits in netem.
tc -n h2 qdisc replace dev eth0 root handle 1: prio bands 2 \
	priomap 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
tc -n h2 filter add dev eth0 parent 1: protocol ip prio 1 u32 \
	match ip tos 0xe0 0xe0 flowid 1:1
tc -n h2 qdisc add dev eth0 parent 1:2 handle 20: netem rate 100mbit \
	limit 10000
# A TCG guest can stall for a few milliseconds, which is silence enough
# for a RESEND at the default 5 ticks; at 50 only the answer to NEED_ACK
# could ask in time (the tail takes 16 ms).
for h in h1 h2; do
	in_host "$h" sh -c 'echo 50 > /proc/sys/net/homa/resend_ticks'
done
start_in_host h2 server.out homa_smoke server -p 4000

need_acks=$(homa_metric h1 packets_rcvd_NEED_ACK)
busy=$(homa_metric h1 packets_sent_BUSY)
resends=$(homa_metric h2 packets_rcvd_RESEND)
resent=$(homa_metric h2 resent_packets)
in_host h1 homa_smoke client 10.0.0.2 -4 sizes 1000000,1000000,1000000 \
	>/dev/null || die "1 MB RPCs over the shaped link failed"

need_acks=$(($(homa_metric h1 packets_rcvd_NEED_ACK) - need_acks))
busy=$(($(homa_metric h1 packets_sent_BUSY) - busy))
resends=$(($(homa_metric h2 packets_rcvd_RESEND) - resends))
resent=$(($(homa_metric h2 resent_packets) - resent))
echo "3 x 1 MB: h1 got $need_acks NEED_ACKs, answered $busy BUSY;" \
	"h2 got $resends RESENDs, resent $resent packets"
[ "$need_acks" -gt 0 ] || die "no NEED_ACK came while a response was queued"
[ "$busy" -gt 0 ] || die "h1 answered no NEED_ACK with BUSY"
if [ "$resends" != 0 ] || [ "$resent" != 0 ]; then
	die "a response still on its way was asked for again"
fi
