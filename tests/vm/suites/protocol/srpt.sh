#!/bin/sh
# SRPT is observable: a client starts ten 1 MB requests and then one of
# 100 KB, all at once; the server receives the 100 KB request before most
# of the 1 MB ones (the receiver grants the message with the fewest bytes
# left first). The client's link is limited to 200 Mbit/s so that all the
# messages are in flight together, as on a loaded network, rather than
# finishing as fast as the emulated CPUs send them.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  rpcorder client         |==========|  rpcorder server 4000    |
#	|  10 x 1 MB, then 100 KB  |   veth   |  prints arrival order    |
#	|  eth0: 200 Mbit/s        |          |                          |
#	+--------------------------+          +--------------------------+
# timeout: 90
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
link_netem h1 eth0 rate 200mbit
start_in_host h2 order rpcorder server 4000 11
M=1000000
in_host h1 rpcorder client 10.0.0.2 4000 $M $M $M $M $M $M $M $M $M $M 100000 ||
	die "client failed"
wait
echo "arrival order: $(grep -v ready order | tr '\n' ' ')"
pos=$(grep -v ready order | grep -n '^100000$' | cut -d: -f1)
[ -n "$pos" ] || die "the 100 KB request never arrived"
# Position 1..11; "before most 1 MB ones" means at most 5 arrived first.
[ "$pos" -le 5 ] || die "the 100 KB request arrived at position $pos of 11"
