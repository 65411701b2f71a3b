#!/bin/sh
# netem 100% loss on one side blocks ping; clearing it restores ping.
#
#	h1 eth0 (netem) 10.0.0.1 <==veth==> h2 eth0 10.0.0.2
set -eu
. "$TESTBED/netns.sh"

topo_pair
in_host h1 ping -c 1 -W 2 10.0.0.2 || die "no ping before netem"
link_netem h1 eth0 loss 100%
tc -n h1 qdisc show dev eth0 | grep -q 'netem.*loss 100%' ||
	die "netem qdisc not installed"
if in_host h1 ping -c 2 -W 1 10.0.0.2; then
	die "ping got through 100% loss"
fi
link_clear h1 eth0
in_host h1 ping -c 1 -W 2 10.0.0.2 || die "no ping after link_clear"
