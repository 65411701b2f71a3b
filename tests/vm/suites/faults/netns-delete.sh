#!/bin/sh
# timeout: 120
# The server's namespace is deleted while the client has RPCs in flight
# (1 kB..1 MB each way): "ip netns delete h2", then the server process in
# it is killed, which drops the namespace's last reference, so h2 and its
# side of the link disappear (the client's link to the switch stays up).
# Every client RPC must end with an error (ETIMEDOUT, EHOSTUNREACH, or
# ENOTCONN if a packet reached h2 between the socket's close and the
# namespace's end) within a few seconds; nothing hangs, none stuck, none
# wrong, and the client's sockets hold no RPC at the end.
#
#	+----------------------------+  +----------------------------+
#	| h1 10.0.0.1                |  | h2 10.0.0.2 (deleted)      |
#	|  homa_stress client        |  |  homa_stress server        |
#	|  4 threads x 4 outstanding |  |  killed after the delete   |
#	+-------------|--------------+  +-------------|--------------+
#	              | veth                          | veth (goes away)
#	+-------------|-------------------------------|--------------+
#	| sw          p1 ------------ br0 ------------ p2            |
#	+------------------------------------------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

modprobe homa
topo_switch 2
static_neighbours
start_server
start_client -n 1000000 -t 4 -o 4 --min 1000 --stop-on-error --deadline 60
# The server dies after 200 executions, or after 20 s if the RPCs stall
# (the RPCs outstanding then must fail all the same).
wait_for '[ "$(report_value executions)" -ge 200 ] ||
	! kill -0 $CLIENT 2>/dev/null' 20 || true
kill -0 "$CLIENT" 2>/dev/null ||
	fault_fail "the client ended before the server was killed"
echo "killing the server after $(report_value executions) executions"
ip netns delete h2
kill -KILL "$SERVER"
killed=$(uptime_s)
wait "$SERVER" 2>/dev/null || true
wait_for '! ip -n sw link show p2 >/dev/null 2>&1' 10 ||
	fault_fail "h2's link did not go away within 10 s of its namespace's end"
echo "h2 gone $(elapsed_since "$killed") s after the kill"
wait_client_summary 70
ended=$(elapsed_since "$killed")
end_client
cat client.out
echo "client ended ${ended} s after the kill"
peer_death_checks netns-delete "ETIMEDOUT EHOSTUNREACH ENOTCONN" "$ended"
