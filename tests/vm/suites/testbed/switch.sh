#!/bin/sh
# topo_switch 3: every host pings every other host, over IPv4 and IPv6.
#
#	h1 10.0.0.1   h2 10.0.0.2   h3 10.0.0.3
#	   |             |             |
#	   p1            p2            p3
#	   +----------- br0 -----------+   (namespace sw)
set -eu
. "$TESTBED/netns.sh"

topo_switch 3
for src in 1 2 3; do
	for dst in 1 2 3; do
		[ "$src" != "$dst" ] || continue
		in_host "h$src" ping -c 1 -W 2 "10.0.0.$dst" ||
			die "h$src cannot ping 10.0.0.$dst"
		in_host "h$src" ping -6 -c 1 -W 2 "fd00::$dst" ||
			die "h$src cannot ping fd00::$dst"
	done
done
