#!/bin/sh
# The peer table is bounded: idle peers that no RPC uses are collected
# (net.homa.peer_gc_threshold, peer_idle_secs_min/max), and RPCs keep
# working while peers come and go under them.
#
# h1 talks to h2 from 60 source addresses in turn (its route to h2 names
# the source), so h2 learns 60 peers. With a threshold of 10 and a minimum
# idle time of 1 s, h2 collects at least 50 of them within 5 s. Then both
# hosts collect every unused peer each second while 4 threads run three
# rounds of 1,000 RPCs with a pause after each (each RPC holds its peer;
# in the pauses the peer goes, and the next round brings it back): all
# must complete, and nothing may leak at rmmod.
#
#	+--------------------------------+          +--------------------------+
#	| h1 10.0.0.1                    |          | h2 10.0.0.2              |
#	|  10.0.1.1 .. 10.0.1.60 /32     |==========|  homa_smoke server       |
#	|  to 10.0.0.2: src 10.0.1.N     |   veth   |  10.0.1.0/24 via eth0    |
#	+--------------------------------+          +--------------------------+
# timeout: 150
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
in_host h2 ip route add 10.0.1.0/24 dev eth0
start_in_host h2 server.out homa_smoke server -4 -p 4000

peers=60
i=1
while [ "$i" -le "$peers" ]; do
	in_host h1 ip addr add "10.0.1.$i/32" dev eth0
	in_host h1 ip route replace 10.0.0.2/32 dev eth0 src "10.0.1.$i"
	in_host h1 homa_smoke client 10.0.0.2 -4 one >/dev/null ||
		die "RPC from 10.0.1.$i failed"
	i=$((i + 1))
done
in_host h1 ip route del 10.0.0.2/32
echo "h2 heard from $peers source addresses"

in_host h2 sh -c 'echo 10 > /proc/sys/net/homa/peer_gc_threshold
	echo 1 > /proc/sys/net/homa/peer_idle_secs_min'
wait_for '[ "$(homa_metric h2 peers_collected)" -ge $((peers - 10)) ]' 5 ||
	die "h2 collected $(homa_metric h2 peers_collected) of $peers idle peers in 5 s"
echo "h2 collected $(homa_metric h2 peers_collected) peers"

for h in h1 h2; do
	in_host "$h" sh -c 'echo 0 > /proc/sys/net/homa/peer_gc_threshold
		echo 0 > /proc/sys/net/homa/peer_idle_secs_min'
done
before=$(homa_metric h1 peers_collected)
for round in 1 2 3; do
	in_host h1 homa_smoke client 10.0.0.2 -4 concurrent -t 4 -n 4 -c 1000 ||
		die "RPCs failed while peers were collected (round $round)"
	# Idle now: the next collection (once a second) takes the peer.
	sleep 1.5
done
after=$(homa_metric h1 peers_collected)
echo "h1 collected its peer $((after - before)) times during 3 x 1000 RPCs"
[ "$((after - before))" -ge 2 ] ||
	die "h1 collected its idle peer only $((after - before)) times"
