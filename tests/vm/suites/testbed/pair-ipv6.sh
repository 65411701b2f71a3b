#!/bin/sh
# topo_pair, IPv6 ping in both directions.
#
#	h1 eth0 fd00::1 <==veth==> h2 eth0 fd00::2
set -eu
. "$TESTBED/netns.sh"

topo_pair
in_host h1 ping -6 -c 1 -W 2 fd00::2 || die "h1 cannot ping h2"
in_host h2 ping -6 -c 1 -W 2 fd00::1 || die "h2 cannot ping h1"
