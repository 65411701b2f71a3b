#!/bin/sh
# timeout: 120
# A client that closes its sockets right after its last response: the
# server must still free every RPC within 5 s. The acks of the last
# responses may not have left the client yet, so the server's NEED_ACKs
# reach a port nobody holds any more; the server has to learn that those
# RPCs are over (the RPC cannot be live on a closed port) instead of
# keeping them, and their responses, until its own socket closes.
# 2,000 RPCs of 1 B to 100 kB from 4 threads, clean link.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |          | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  closes at once when done  |   veth   |  port 4000: 0 RPCs in 5 s  |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

fault_setup
start_server
start_client -n 2000 -t 4 -o 4 --max 100000 --deadline 60
wait_client_summary 75
end_client
cat client.out
wait_server_idle 5
stop_server
echo "$SERVER_LINE"
fault_row client-close
expect_clean client-close
