#!/bin/sh
# link_down stops traffic, link_up brings it back.
#
#	h1 eth0 10.0.0.1 <==veth==> h2 eth0 10.0.0.2
set -eu
. "$TESTBED/netns.sh"

topo_pair
in_host h1 ping -c 1 -W 2 10.0.0.2 || die "no ping before link_down"
link_down h2 eth0
if in_host h1 ping -c 1 -W 1 10.0.0.2; then
	die "ping got through a down link"
fi
link_up h2 eth0
wait_for "in_host h1 ping -c 1 -W 1 10.0.0.2" 10 || die "no ping after link_up"
