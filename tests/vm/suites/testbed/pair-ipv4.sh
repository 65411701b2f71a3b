#!/bin/sh
# topo_pair, IPv4 ping in both directions.
#
#	h1 eth0 10.0.0.1 <==veth==> h2 eth0 10.0.0.2
set -eu
. "$TESTBED/netns.sh"

topo_pair
in_host h1 ping -c 1 -W 2 10.0.0.2 || die "h1 cannot ping h2"
in_host h2 ping -c 1 -W 2 10.0.0.1 || die "h2 cannot ping h1"
