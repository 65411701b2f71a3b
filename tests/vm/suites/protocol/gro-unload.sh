#!/bin/sh
# Unloading homa while a device holds GRO chains of Homa packets. With
# gro_flush_timeout set, a NAPI instance keeps what it merged past the
# end of its poll, and passing a chain up calls back into the module
# (the IP layer WARNs and drops a chain whose protocol has gone). rmmod
# must wait until the chains have gone up; the harness fails the test on
# any WARN. The packets come from homa_fuzz over a raw socket, so no
# Homa socket keeps the module loaded while they flow.
#
#	+----------------+          +-----------------------------+
#	| h1 10.0.0.1    |          | h2 10.0.0.2                 |
#	| eth0: tso off  |==========| eth0: gro on,               |
#	| homa_fuzz ->h2 |   veth   |   gro_flush_timeout 300 ms  |
#	+----------------+          +-----------------------------+
# timeout: 120
set -eu
. "$TESTBED/netns.sh"

# now_ms: uptime in milliseconds (10 ms steps).
now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

modprobe homa
topo_pair
in_host h1 ethtool -K eth0 tso off >/dev/null
in_host h2 ethtool -K eth0 gro on >/dev/null
in_host h2 sh -c 'echo 300000000 > /sys/class/net/eth0/gro_flush_timeout'

# Each round, a burst of packets, then rmmod at once: the last chains
# wait up to 300 ms for the timer.
for round in 1 2 3 4 5 6; do
	in_host h1 homa_fuzz 10.0.0.2 -n 3000 -s "$round" >/dev/null ||
		die "round $round: homa_fuzz failed"
	start=$(now_ms)
	rmmod homa || die "round $round: rmmod homa failed"
	echo "round $round: rmmod took $(($(now_ms) - start)) ms"
	modprobe homa || die "round $round: modprobe homa failed"
done
