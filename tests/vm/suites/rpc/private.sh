#!/bin/sh
# Private RPCs (HOMA_SENDMSG_PRIVATE): recvmsg with id 0 returns only the
# shared responses, and each private response only to a recvmsg that
# names its id.
#
#	+----------------------------+          +------------------------+
#	| h1 10.0.0.1                |          | h2 10.0.0.2            |
#	|  homa_smoke client private |==========|  homa_smoke server     |
#	|                            |   veth   |  port 4000             |
#	+----------------------------+          +------------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000
server=$BG_PID

in_host h1 homa_smoke client 10.0.0.2 private || die "private RPCs failed"

kill "$server"
wait "$server" || die "server in h2 failed"
