#!/bin/sh
# timeout: 300
# 20% packet loss in both directions: one RESEND in three is lost too,
# but 100 ms of silence never happens by chance, so every RPC must still
# complete. 10,000 RPCs of 1 B to 1 MB from 4 threads; all complete
# correctly, none executed twice, none stuck, both sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |  netem   | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  4 threads x 4 outstanding | loss 20% |  port 4000                 |
#	|  eth0: netem loss 20%      | each way |  eth0: netem loss 20%      |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

netem_test loss20 10000 loss 20%
