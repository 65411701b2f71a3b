#!/bin/sh
# GRO (net.homa.max_gro_skbs): a receiver's GRO chains the Homa packets
# that arrive from one address in one NAPI poll, whatever their RPC or
# type, and passes the chain up the stack once; Homa takes it apart
# again. veth runs GRO only on a device with "gro on" whose peer sends
# without TSO. The counters gro_batches (chains received) and gro_packets
# (packets in them) show the merging; every echo is checked byte for
# byte, over IPv4 and IPv6, with a packet tap sharing the chains, under
# 2% loss, and with VLAN tags in the packets; max_gro_skbs 0 turns
# merging off. Then a bridge merges what it forwards: the chain reaches
# h2 whole, or, when the outgoing port cannot take packet lists
# (tx-gso-list off), cut back into its packets by Homa's GSO handler.
#
#	+----------------+          +----------------+
#	| h1 10.0.0.1    |          | h2 10.0.0.2    |
#	| eth0: tso off  |==========| eth0: gro on   |
#	| client         |   veth   | server         |
#	| vlan5 10.0.5.1 |          | vlan5 10.0.5.2 |
#	+----------------+          +----------------+
#
#	+--------------+        +---------------------+        +--------------+
#	| h1 tso off   |--veth--| p1 gro on  sw  p2   |--veth--| h2           |
#	+--------------+        |      br0            |        +--------------+
#	                        +---------------------+
# timeout: 200
set -eu
. "$TESTBED/netns.sh"

modprobe homa

# gro_rpcs WHAT ADDR FAMILY [CMD...]: run homa_smoke client ADDR FAMILY
# CMD from h1 (default: 4 threads x 8 outstanding RPCs of mixed sizes,
# 400 each) and print how many chains and packets h2's GRO merged
# meanwhile.
gro_rpcs() {
	_what=$1
	_addr=$2
	_fam=$3
	shift 3
	[ $# -gt 0 ] || set -- concurrent -t 4 -n 8 -c 400
	b0=$(homa_metric h2 gro_batches)
	p0=$(homa_metric h2 gro_packets)
	in_host h1 homa_smoke client "$_addr" "$_fam" "$@" >/dev/null ||
		die "RPCs failed: $_what"
	b=$(($(homa_metric h2 gro_batches) - b0))
	p=$(($(homa_metric h2 gro_packets) - p0))
	echo "$_what: $b chains holding $p packets"
}

# expect_merged: the last gro_rpcs saw chains of more than one packet.
expect_merged() {
	if [ "$b" -eq 0 ] || [ "$p" -le "$b" ]; then
		die "no packets were merged ($b chains, $p packets)"
	fi
}

topo_pair
in_host h1 ethtool -K eth0 tso off >/dev/null
in_host h2 ethtool -K eth0 gro on >/dev/null
start_in_host h2 server.out homa_smoke server -6 -p 4000

gro_rpcs "IPv4, mixed sizes" 10.0.0.2 -4
expect_merged
gro_rpcs "IPv6, mixed sizes" fd00::2 -6
expect_merged
# Packets of one large message go out one by one as they are built, so
# they may each have a NAPI poll of their own: nothing to merge then.
gro_rpcs "IPv4, 1 MB" 10.0.0.2 -4 sizes 1000000,1000000

# A tap clones every chain: the split must not disturb the clone.
in_host h2 tcpdump -i eth0 -w /dev/null -s 96 ip proto 146 2>/dev/null &
tap=$!
sleep 1
gro_rpcs "IPv4, with a packet tap" 10.0.0.2 -4
expect_merged
kill "$tap"
wait "$tap" 2>/dev/null || true

link_netem h1 eth0 loss 2%
gro_rpcs "IPv4, 2% loss" 10.0.0.2 -4
expect_merged
link_clear h1 eth0

in_host h2 sh -c 'echo 0 > /proc/sys/net/homa/max_gro_skbs'
gro_rpcs "max_gro_skbs 0" 10.0.0.2 -4
[ "$b" -eq 0 ] || die "merged $b chains with max_gro_skbs 0"
in_host h2 sh -c 'echo 4 > /proc/sys/net/homa/max_gro_skbs'
gro_rpcs "max_gro_skbs 4" 10.0.0.2 -4
expect_merged
[ "$p" -le $((b * 4)) ] || die "chains longer than 4 packets ($b, $p)"

# VLAN tags that stay in the packets (h1's eth0 inserts none in
# hardware): each chained packet must keep its IP header, past the tag,
# or its source address is read from the wrong bytes and no RPC completes.
in_host h1 ethtool -K eth0 txvlan off >/dev/null
for h in 1 2; do
	in_host "h$h" ip link add link eth0 name vlan5 type vlan id 5
	in_host "h$h" ip addr add "10.0.5.$h/24" dev vlan5
	in_host "h$h" ip addr add "fd05::$h/64" dev vlan5 nodad
	in_host "h$h" ip link set vlan5 up
done
wait_for "in_host h1 ping -c 1 -W 1 10.0.5.2 >/dev/null &&
	in_host h1 ping -6 -c 1 -W 1 fd05::2 >/dev/null" 10 ||
	die "h1 cannot reach h2 over the VLAN"
gro_rpcs "IPv4, tagged" 10.0.5.2 -4
expect_merged
gro_rpcs "IPv6, tagged" fd05::2 -6
expect_merged

kill "$BG_PID"
wait "$BG_PID" 2>/dev/null || true
topo_clean

# Forwarded chains.
topo_switch 2
in_host h1 ethtool -K eth0 tso off >/dev/null
in_host sw ethtool -K p1 gro on >/dev/null
start_in_host h2 server.out homa_smoke server -p 4000
gro_rpcs "bridged, passed on whole" 10.0.0.2 -4
expect_merged
in_host sw ethtool -K p2 tx-gso-list off >/dev/null
gro_rpcs "bridged, cut by the bridge" 10.0.0.2 -4
[ "$b" -eq 0 ] || die "$b chains reached h2 through a port without tx-gso-list"
