#!/bin/sh
# Many RPCs at once: 4 client threads in h1, each on its own socket,
# keep 50 RPCs of mixed sizes (1 byte to 300 kB, some responses longer or
# shorter than their requests) in flight to two server sockets in h2;
# every response must carry its own request's id, cookie, server and
# bytes.
#
#	+-------------------------------+          +------------------------+
#	| h1 10.0.0.1                   |          | h2 10.0.0.2            |
#	|  homa_smoke client concurrent |==========|  homa_smoke server     |
#	|  4 threads x 50 outstanding   |   veth   |  ports 4000, 4001      |
#	+-------------------------------+          +------------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000 -p 4001
server=$BG_PID

in_host h1 homa_smoke client 10.0.0.2 concurrent -t 4 -n 50 -c 150 \
	-p 4000,4001 || die "concurrent RPCs failed"

kill "$server"
wait "$server" || die "server in h2 failed"
