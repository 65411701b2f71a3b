#!/bin/sh
# A request to a port where nobody serves fails: h2 answers with an ICMP
# port unreachable, and the client's recvmsg returns ENOTCONN naming the
# request's id, within seconds (the client fails after 5 s), over IPv4
# and IPv6. A server on another port of h2 still works.
#
#	+--------------------------------+          +----------------------+
#	| h1 10.0.0.1, fd00::1           |          | h2 10.0.0.2, fd00::2 |
#	|  homa_smoke client unreachable |==========|  server on port 4000 |
#	|  -p 4001                       |   veth   |  nobody on 4001      |
#	+--------------------------------+          +----------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000
server=$BG_PID

in_host h1 homa_smoke client 10.0.0.2 -p 4001 --timeout 5 unreachable ||
	die "request to an unserved IPv4 port did not fail with ENOTCONN"
in_host h1 homa_smoke client fd00::2 -p 4001 --timeout 5 unreachable ||
	die "request to an unserved IPv6 port did not fail with ENOTCONN"
in_host h1 homa_smoke client 10.0.0.2 -p 4000 one ||
	die "the server on port 4000 did not answer"

kill "$server"
wait "$server" || die "server in h2 failed"
