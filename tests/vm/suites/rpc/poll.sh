#!/bin/sh
# poll and epoll: a socket without messages is not readable; once a
# response arrives (the server holds it back 300 ms) a sleeping poll or
# epoll_wait wakes up and reports it readable; the socket stays writable
# throughout.
#
#	+-------------------------------+          +------------------------+
#	| h1 10.0.0.1                   |          | h2 10.0.0.2            |
#	|  homa_smoke client poll/epoll |==========|  homa_smoke server     |
#	|                               |   veth   |  port 4000             |
#	+-------------------------------+          +------------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000
server=$BG_PID

in_host h1 homa_smoke client 10.0.0.2 poll || die "poll check failed"
in_host h1 homa_smoke client 10.0.0.2 epoll || die "epoll check failed"
# IPv6 sockets take the same poll path through their own protocol ops.
kill "$server"
wait "$server" || die "server in h2 failed"
ip netns exec h2 homa_smoke server -6 -p 4000 >server6.out &
server=$!
wait_for 'grep -qs "^ready" server6.out' 10 ||
	die "IPv6 server in h2 did not start"
in_host h1 homa_smoke client fd00::2 poll || die "poll check (IPv6) failed"
in_host h1 homa_smoke client fd00::2 epoll || die "epoll check (IPv6) failed"

kill "$server"
wait "$server" || die "server in h2 failed"
