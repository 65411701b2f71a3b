#!/bin/sh
# timeout: 300
# Delay with jitter in both directions: 1 ms +- 1 ms per packet (the
# jitter also reorders packets). 10,000 RPCs of 1 B to 1 MB from 4
# threads; all complete correctly, none executed twice, none stuck, both
# sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |  netem   | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  4 threads x 4 outstanding | delay    |  port 4000                 |
#	|  eth0: delay 1ms 1ms       | each way |  eth0: delay 1ms 1ms       |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

netem_test delay1ms 10000 delay 1ms 1ms
