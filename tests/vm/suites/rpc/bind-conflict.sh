#!/bin/sh
# Two servers cannot share a port in one namespace: while one serves port
# 4000 in h2, a second server on 4000 fails with EADDRINUSE, whether its
# socket is IPv4 or IPv6, and so does one that asks for a free port and
# 4000; the first keeps serving. Once it is gone, the port is free again.
#
#	+--------------------------+          +----------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2                |
#	|  homa_smoke client one   |==========|  server A on port 4000     |
#	|                          |   veth   |  servers B, C, D: rejected |
#	+--------------------------+          +----------------------------+
set -eu
. "$TESTBED/netns.sh"

# second_server ARGS...: start another server in h2; it must fail to bind.
second_server() {
	if in_host h2 homa_smoke server "$@" >second.out 2>second.err; then
		die "second server ($*) started while port 4000 was taken"
	fi
	cat second.err
	grep -q "bind to port 4000: Address already in use" second.err ||
		die "second server ($*) failed, but not with EADDRINUSE on 4000"
}

modprobe homa
topo_pair
start_in_host h2 a.out homa_smoke server -4 -p 4000 --tag A
server=$BG_PID

second_server -4 -p 4000
second_server -6 -p 4000
second_server -4 -p 4001 -p 4000

# Server A still owns the port and answers.
tag=$(in_host h1 homa_smoke client 10.0.0.2 -p 4000 tag) ||
	die "server A did not answer"
[ "$tag" = A ] || die "port 4000 answered with tag \"$tag\", expected A"
in_host h1 homa_smoke client 10.0.0.2 -p 4000 one || die "RPC to A failed"

kill "$server"
wait "$server" || die "server A failed"
# Closing A's socket released the port.
ip netns exec h2 homa_smoke server -6 -p 4000 --tag E >e.out &
server=$!
wait_for 'grep -qs "^ready" e.out' 10 ||
	die "port 4000 still taken after server A exited"
tag=$(in_host h1 homa_smoke client fd00::2 -p 4000 tag) ||
	die "server E did not answer"
[ "$tag" = E ] || die "port 4000 answered with tag \"$tag\", expected E"
kill "$server"
wait "$server" || die "server E failed"
