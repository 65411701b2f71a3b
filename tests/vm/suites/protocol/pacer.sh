#!/bin/sh
# The pacer keeps SRPT at the sender: with an uplink of 100 Mbit/s
# (link_mbps) and every byte unscheduled (unsched_bytes 1000000, so the
# receiver's grants play no part), a client starts ten 1 MB requests and
# then one of 100 KB. The pacer holds the long messages back and sends
# the one with the fewest bytes left first: the 100 KB request reaches
# the server among the first three. With the pacer off (flags 4) the
# same requests leave in the order they were sent, the 100 KB one among
# the last. The paced run cannot beat the configured link: 10.1 MB at
# 100 Mbit/s take at least 0.8 s.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  rpcorder client         |==========|  rpcorder server 4000    |
#	|  10 x 1 MB, then 100 KB  |   veth   |  prints arrival order    |
#	|  link_mbps 100           |          |                          |
#	+--------------------------+          +--------------------------+
# timeout: 90
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
in_host h1 sh -c 'echo 100 > /proc/sys/net/homa/link_mbps
	echo 1000000 > /proc/sys/net/homa/unsched_bytes'
M=1000000

# run NAME: the eleven requests; sets POS (position of the 100 KB one)
# and SECS.
run() {
	start_in_host h2 "order-$1" rpcorder server 4000 11
	t0=$(cut -d' ' -f1 /proc/uptime)
	in_host h1 rpcorder client 10.0.0.2 4000 $M $M $M $M $M $M $M $M $M $M \
		100000 || die "client failed ($1)"
	wait "$BG_PID"
	SECS=$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "%.2f", b - a }')
	echo "$1: arrival order $(grep -v ready "order-$1" | tr '\n' ' ')"
	POS=$(grep -v ready "order-$1" | grep -n '^100000$' | cut -d: -f1)
	[ -n "$POS" ] || die "the 100 KB request never arrived ($1)"
}

adds=$(homa_metric h1 throttle_list_adds)
run paced
paced=$(($(homa_metric h1 pacer_bytes)))
echo "paced: 100 KB request at position $POS of 11 after $SECS s;" \
	"the pacer sent $paced bytes," \
	"$(($(homa_metric h1 throttle_list_adds) - adds)) holds"
[ "$POS" -le 3 ] || die "with the pacer, the 100 KB request came at $POS"
[ "$paced" -ge 9000000 ] || die "the pacer sent only $paced bytes"
awk -v s="$SECS" 'BEGIN { exit !(s >= 0.8) }' ||
	die "10.1 MB at 100 Mbit/s took only $SECS s"

in_host h1 sh -c 'echo 4 > /proc/sys/net/homa/flags'
run unpaced
echo "unpaced: 100 KB request at position $POS of 11 after $SECS s"
[ "$POS" -ge 8 ] || die "without the pacer, the 100 KB request came at $POS"
[ "$(homa_metric h1 pacer_bytes)" = "$paced" ] ||
	die "the pacer sent bytes while turned off"
