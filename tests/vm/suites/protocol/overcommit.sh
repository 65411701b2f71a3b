#!/bin/sh
# Overcommitment is bounded: three clients each send a server four 1 MB
# requests at once; the server grants to several messages at a time, but
# its granted-but-unreceived bytes never exceed max_incoming (400000), as
# recorded by the grant_max_incoming metric.
#
#	+------------+  +------------+  +------------+  +------------+
#	| h1 client  |  | h2 client  |  | h3 client  |  | h4 server  |
#	+-----|------+  +-----|------+  +-----|------+  +-----|------+
#	      |               |               |               |
#	+-----|---------------|---------------|---------------|------+
#	| sw  p1              p2              p3              p4     |
#	|     +---------------+-------br0-----+---------------+      |
#	+------------------------------------------------------------+
# timeout: 120
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_switch 4
start_in_host h4 order rpcorder server 4000 12
server=$BG_PID
M=1000000
for h in h1 h2 h3; do
	in_host $h rpcorder client 10.0.0.4 4000 $M $M $M $M >$h.out &
	eval "client_$h=\$!"
done
for h in h1 h2 h3; do
	eval "wait \$client_$h" || die "client $h failed: $(cat $h.out)"
done
wait "$server" || die "server failed"
max=$(in_host h4 awk '$1 == "grant_max_incoming" { print $2 }' \
	/proc/net/homa_metrics)
echo "grant_max_incoming: $max"
[ -n "$max" ] && [ "$max" -gt 0 ] || die "no grants were made"
[ "$max" -le 400000 ] || die "granted-but-unreceived reached $max > 400000"
