#!/bin/sh
# timeout: 300
# Reordering in both directions: netem delays packets by 1 ms but sends
# 25% of them (50% correlated) at once, ahead of the others. Gaps that
# fill late must not cause lost, duplicated or stuck RPCs. 10,000 RPCs of
# 1 B to 1 MB from 4 threads; both sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |  netem   | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  4 threads x 4 outstanding | reorder  |  port 4000                 |
#	|  eth0: delay 1ms           | each way |  eth0: delay 1ms           |
#	|        reorder 25% 50%     |          |        reorder 25% 50%     |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

netem_test reorder25 10000 delay 1ms reorder 25% 50%
