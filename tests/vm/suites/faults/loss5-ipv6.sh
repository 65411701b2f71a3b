#!/bin/sh
# timeout: 300
# loss5 over IPv6: 5% packet loss in both directions, client and server
# on IPv6 sockets. 10,000 RPCs of 1 B to 1 MB from 4 threads; all complete
# correctly, none executed twice, none stuck, both sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 fd00::1                 |  netem   | h2 fd00::2                 |
#	|  homa_stress client -6     |==========|  homa_stress server -6     |
#	|  4 threads x 4 outstanding | loss 5%  |  port 4000                 |
#	|  eth0: netem loss 5%       | each way |  eth0: netem loss 5%       |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

STRESS_HOST=fd00::2
STRESS_FAMILY=-6
netem_test loss5-ipv6 10000 loss 5%
