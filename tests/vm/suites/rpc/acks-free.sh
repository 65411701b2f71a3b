#!/bin/sh
# timeout: 90
# Servers free their RPCs: after 10,000 sequential RPCs from h1, the
# server in h2 holds no RPC within a few seconds of the last response,
# while the client's socket is still open, so it is the client's acks
# (piggy-backed on later requests, or answering NEED_ACK) that free them,
# not the client going away. HOMAIOCINFO must also have counted the RPCs
# waiting for their acks (so that "0" means something), and never more
# than a few at once.
#
#	+------------------------------+          +--------------------------+
#	| h1 10.0.0.1                  |          | h2 10.0.0.2              |
#	|  homa_smoke client count     |==========|  homa_smoke server       |
#	|  -n 10000 -s 100, stays open |   veth   |  --report report         |
#	+------------------------------+          +--------------------------+
set -eu
. "$TESTBED/netns.sh"

n=10000
# Sequential RPCs leave at most a handful of server RPCs waiting for
# acks; a bound well above that still catches state that grows with the
# number of RPCs.
max_held=200

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000 --report report
server=$BG_PID

ip netns exec h1 homa_smoke client 10.0.0.2 -p 4000 count -n "$n" -s 100 \
	--linger-ms 60000 >client.out &
client=$!
wait_for 'grep -qs "^count: done" client.out || ! kill -0 $client' 60 ||
	die "$n RPCs did not finish in 60 s (about 5 s expected)"
if ! grep -q "^count: done" client.out; then
	wait "$client" || true
	die "the client failed"
fi
cat client.out

if ! wait_for "grep -qx rpcs=0 report && grep -qx served=$n report" 5; then
	cat report
	die "the server still holds RPCs 5 s after the last response"
fi
max=$(sed -n 's/^max_rpcs=//p' report)
echo "server RPCs at most: $max; now: 0"
[ "$max" -ge 1 ] ||
	die "HOMAIOCINFO never counted an RPC awaiting its ack (max_rpcs=$max)"
[ "$max" -le "$max_held" ] ||
	die "the server held up to $max RPCs at once (limit $max_held)"

kill "$client"
wait "$client" 2>/dev/null || true
kill "$server"
wait "$server" || die "server in h2 failed"
