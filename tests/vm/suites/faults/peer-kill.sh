#!/bin/sh
# timeout: 120
# The server process is killed (SIGKILL) while the client has RPCs in
# flight, many of them large (1 kB..1 MB each way): every client RPC must
# end with an error (ENOTCONN from h2's ICMP port unreachable, or
# ETIMEDOUT after 100 ms of silence) within a few seconds; nothing hangs.
# The client stops starting RPCs at its first failure, so every RPC it
# started either completed correctly or failed: none stuck, none wrong,
# failed <= the RPCs in flight at the first failure, and its sockets hold
# no RPC at the end.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |          | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  4 threads x 4 outstanding |   veth   |  killed (SIGKILL) after    |
#	|  --stop-on-error           |          |  200 executions (or 20 s)  |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

fault_setup
start_server
start_client -n 1000000 -t 4 -o 4 --min 1000 --stop-on-error --deadline 60
# The server dies after 200 executions, or after 20 s if the RPCs stall
# (the RPCs outstanding then must fail all the same).
wait_for '[ "$(report_value executions)" -ge 200 ] ||
	! kill -0 $CLIENT 2>/dev/null' 20 || true
kill -0 "$CLIENT" 2>/dev/null ||
	fault_fail "the client ended before the server was killed"
echo "killing the server after $(report_value executions) executions"
kill -KILL "$SERVER"
killed=$(uptime_s)
wait "$SERVER" 2>/dev/null || true
wait_client_summary 70
ended=$(elapsed_since "$killed")
end_client
cat client.out
echo "client ended ${ended} s after the kill"
peer_death_checks peer-kill "ENOTCONN ETIMEDOUT" "$ended"
