#!/bin/sh
# timeout: 300
# 5% of packets duplicated in both directions: a duplicated request
# packet, grant, ack or RESEND must never make the server execute a
# request twice (at-most-once) or confuse an RPC. 10,000 RPCs of 1 B to
# 1 MB from 4 threads; all complete correctly, none executed twice, none
# stuck, both sides back to 0 RPCs.
#
#	+----------------------------+           +----------------------------+
#	| h1 10.0.0.1                |  netem    | h2 10.0.0.2                |
#	|  homa_stress client        |===========|  homa_stress server        |
#	|  4 threads x 4 outstanding | duplicate |  port 4000                 |
#	|  eth0: duplicate 5%        | each way  |  eth0: duplicate 5%        |
#	+----------------------------+           +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

netem_test dup5 10000 duplicate 5%
