#!/bin/sh
# timeout: 300
# Control row of the fault table: the stress workload on a clean link.
# 10,000 RPCs from 4 threads in h1 (4 outstanding each, request and
# response sizes log-uniform in 1 B..1 MB) to a homa_stress server in h2;
# every response is checked byte for byte, every execution counted. All
# must complete, none twice, none stuck, and both sides end with 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |          | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  4 threads x 4 outstanding |   veth   |  port 4000, --report       |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

fault_setup
stress_test none 10000
