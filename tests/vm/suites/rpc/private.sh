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
# "ip netns exec" rather than in_host for programs left running: it execs
# them, so $! is the program itself, which kill and wait must reach.
ip netns exec h2 homa_smoke server -4 -p 4000 >server.out &
server=$!
wait_for 'grep -qs "^ready" server.out' 10 || die "server in h2 did not start"

in_host h1 homa_smoke client 10.0.0.2 private || die "private RPCs failed"

kill "$server"
wait "$server" || die "server in h2 failed"
