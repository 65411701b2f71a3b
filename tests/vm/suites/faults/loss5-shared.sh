#!/bin/sh
# timeout: 300
# loss5 with one shared client socket: 4 threads send on the same socket
# and all wait in recvmsg on it, 16 RPCs in flight, so every response is
# handed to whichever thread is waiting (the waiter hand-off must lose
# nothing and give nothing twice). 5% packet loss in both directions;
# 10,000 RPCs of 1 B to 1 MB; all complete correctly, none executed twice,
# none stuck, both sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |  netem   | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  --shared: 4 threads on    | loss 5%  |  port 4000                 |
#	|  one socket, 16 in flight  | each way |                            |
#	|  eth0: netem loss 5%       |          |  eth0: netem loss 5%       |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

STRESS_CLIENT_ARGS=--shared
netem_test loss5-shared 10000 loss 5%
