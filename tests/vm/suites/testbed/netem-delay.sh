#!/bin/sh
# netem delay: a 300 ms delay on one side shows up in the ping time.
#
#	h1 eth0 (netem delay) 10.0.0.1 <==veth==> h2 eth0 10.0.0.2
set -eu
. "$TESTBED/netns.sh"

topo_pair
link_netem h1 eth0 delay 300ms
# busybox ping prints "time=301.234 ms"; keep the integer part.
ms=$(in_host h1 ping -c 1 -W 3 10.0.0.2 | sed -n 's/.*time=\([0-9]*\).*/\1/p')
echo "rtt: ${ms} ms"
[ -n "$ms" ] && [ "$ms" -ge 300 ] || die "rtt ${ms:-none} ms, expected >= 300"
