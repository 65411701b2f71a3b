#!/bin/sh
# timeout: 300
# The link goes down for 500 ms in the middle of a run (h2's eth0 is set
# down, so h1's side loses its carrier), then comes back.
#
# The outage is longer than an RPC may stay silent (100 ms), so the RPCs
# in flight meanwhile, and those started during the outage, fail with
# ETIMEDOUT: that is Homa's documented behaviour, and they must be the
# only failures (at most 8 per slot: 16 slots x 500 ms / 100 ms, with
# room for TCG's slow ticks). None may hang, come back wrong or run
# twice; the server must free everything (RPCs whose client gave up
# included) and a second run after the outage must be perfect.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |          | h2 10.0.0.2                |
#	|  homa_stress client        |====||====|  homa_stress server        |
#	|  4 threads x 4 outstanding |   veth   |  port 4000                 |
#	|                            |  500 ms  |  eth0 down 500 ms, then up |
#	+----------------------------+   down   +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

rpcs=3000
fault_setup
start_server
start_client -n "$rpcs" -t 4 -o 4 --deadline 90 --linger 60
wait_for '[ "$(report_value executions)" -ge 500 ] ||
	! kill -0 $CLIENT 2>/dev/null' 60 ||
	fault_fail "the server executed $(report_value executions) requests in 60 s"
at=$(report_value executions)
link_down h2 eth0
sleep 0.5
link_up h2 eth0
# Setting the device down flushed h2's neighbour entries.
static_neighbours
echo "link down for 500 ms after $at executions"
wait_client_summary 105
cat client.out
wait_server_idle 10
end_client
stop_server
echo "$SERVER_LINE"
fault_row link-down

why=
errors=$(client_value errors)
case $errors in
none | ETIMEDOUT:*) ;;
*) why="$why; failures other than ETIMEDOUT ($errors)" ;;
esac
[ "$FAILED" -le 128 ] || why="$why; $FAILED RPCs failed (at most 128 expected)"
[ "$((FAILED + $(client_value completed)))" = "$rpcs" ] ||
	why="$why; only $(client_value completed) of the $((rpcs - FAILED)) RPCs that did not fail completed"
[ "$WRONG" = 0 ] || why="$why; $WRONG wrong responses"
[ "$STUCK" = 0 ] || why="$why; $STUCK RPCs stuck"
[ "$DUP" = 0 ] || why="$why; $DUP requests executed twice"
[ "$(client_value client_rpcs)" = 0 ] ||
	why="$why; client still holds $(client_value client_rpcs) RPCs"
[ "$SERVER_RPCS" = 0 ] ||
	why="$why; server still holds $SERVER_RPCS RPCs 10 s after the run"
[ -z "$why" ] || fault_fail "link-down:${why#;}"

# After the outage everything works again.
mv client.out client1.out
mv report report1
DEADLINE=60 stress_test link-down-after 1000
