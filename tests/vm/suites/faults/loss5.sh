#!/bin/sh
# timeout: 300
# 5% packet loss in both directions: Homa must recover every RPC (RESEND
# after 5 ms of silence, timeout only after 100 ms). 10,000 RPCs of 1 B to
# 1 MB from 4 threads; all complete correctly, none executed twice, none
# stuck, both sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |  netem   | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  4 threads x 4 outstanding | loss 5%  |  port 4000                 |
#	|  eth0: netem loss 5%       | each way |  eth0: netem loss 5%       |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

netem_test loss5 10000 loss 5%
