#!/bin/sh
# Full receive buffers delay messages, never abort them: a server with the
# smallest buffer region allowed (CPUs x 64 KiB + 2 MB, room for about two
# 1 MB messages) gets 200 concurrent 1 MB requests and hands buffers back
# slowly (20 ms per message, longer than the client takes to start the
# next request); every request arrives and every client RPC completes.
# Messages that find no room wait (their data dropped and counted, their
# silence not counted) and resume as buffers return.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  rpcorder client         |==========|  rpcorder server 4000    |
#	|  200 x 1 MB at once      |   veth   |  smallest region, slow   |
#	+--------------------------+          +--------------------------+
# timeout: 240
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
start_in_host h2 order rpcorder server 4000 200 0 20
server=$BG_PID
sizes=$(for i in $(seq 200); do printf '1000000 '; done)
# shellcheck disable=SC2086
in_host h1 rpcorder client 10.0.0.2 4000 $sizes || die "client failed"
wait "$server" || die "server failed"
[ "$(grep -c '^1000000$' order)" = 200 ] || die "not every request arrived"
metric() {
	in_host h2 awk -v n="$1" '$1 == n { print $2 }' /proc/net/homa_metrics
}
echo "dropped_data_no_bufs: $(metric dropped_data_no_bufs)," \
	"rpc_timeouts: $(metric rpc_timeouts)"
[ "$(metric dropped_data_no_bufs)" -gt 0 ] ||
	die "the buffer region never filled: the test proves nothing"
[ "$(metric rpc_timeouts)" = 0 ] || die "RPCs timed out on the server"
