#!/bin/sh
# timeout: 300
# loss5 with GSO on both hosts (max_gso_size 65536): messages travel in
# packets of up to 45 segments that veth delivers whole, so a lost packet
# takes up to 64 KB with it and RESENDs ask for ranges that start and end
# inside packets. 10,000 RPCs of 1 B to 1 MB from 4 threads; all complete
# correctly, none executed twice, none stuck, both sides back to 0 RPCs.
#
#	+----------------------------+          +----------------------------+
#	| h1 10.0.0.1                |  netem   | h2 10.0.0.2                |
#	|  homa_stress client        |==========|  homa_stress server        |
#	|  max_gso_size 65536        | loss 5%  |  max_gso_size 65536        |
#	|  eth0: netem loss 5%       | each way |  eth0: netem loss 5%       |
#	+----------------------------+          +----------------------------+
set -eu
. "$TESTBED/suites/faults/stress.lib"

fault_setup
for h in h1 h2; do
	ip netns exec "$h" sh -c 'echo 65536 > /proc/sys/net/homa/max_gso_size'
done
netem_both loss 5%
stress_test loss5-gso 10000
