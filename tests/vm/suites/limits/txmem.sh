#!/bin/sh
# Transmit memory is limited per socket (net.homa.wmem_max): with a limit
# of about three 100 KB requests and a server that delays its responses,
# a blocking sendmsg waits until responses start to arrive (which frees
# the requests' packets) and then succeeds; a non-blocking one gets
# EAGAIN, and poll reports POLLOUT once memory is back.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  txmem, wmem_max 500000  |==========|  homa_smoke server        |
#	|                          |   veth   |  --delay-ms 100          |
#	+--------------------------+          +--------------------------+
# timeout: 120
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
in_host h1 sh -c 'echo 500000 > /proc/sys/net/homa/wmem_max'
start_in_host h2 server.out homa_smoke server -4 -p 4000 --delay-ms 100
in_host h1 txmem 10.0.0.2 4000 20 100000 || die "txmem failed"
