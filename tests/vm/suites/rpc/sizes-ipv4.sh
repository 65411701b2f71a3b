#!/bin/sh
# Messages of every size that matters go from h1 to a server in h2 and
# back over IPv4, checked byte for byte: 1 byte; near one packet's
# payload (1399, 1400, 1401); around the unscheduled bytes (39999, 40000,
# 40001); around one bpage (65536, 65537); large and the maximum (500000,
# 1000000).
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  homa_smoke client sizes |==========|  homa_smoke server -4    |
#	|                          |   veth   |  port 4000               |
#	+--------------------------+          +--------------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000
server=$BG_PID

in_host h1 homa_smoke client 10.0.0.2 -p 4000 sizes >client.out ||
	{ cat client.out; die "sizes over IPv4 failed"; }
cat client.out
grep -q "^sizes: all 11 sizes echoed correctly" client.out ||
	die "not all 11 sizes were checked"

kill "$server"
wait "$server" || die "server in h2 failed"
