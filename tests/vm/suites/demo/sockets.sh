#!/bin/sh
# The main job's VM part (scripts/demo.sh shows its output): load homa.ko,
# open Homa sockets in two hosts, and report what happened.
#
#	+------------------+          +------------------+
#	| h1 10.0.0.1      |          | h2 10.0.0.2      |
#	|    fd00::1       |==========|    fd00::2       |
#	|  server port 100 |   veth   |  server port 100 |
#	+------------------+          +------------------+
set -eu
. "$TESTBED/netns.sh"

echo "kernel: $(uname -r)"
modprobe homa || die "modprobe homa failed"
echo "loaded: homa.ko $(cat /sys/module/homa/version)," \
	"protocols: $(awk '/^HOMA/ { printf "%s ", $1 }' /proc/net/protocols)"
topo_pair
echo "hosts: h1 (10.0.0.1, fd00::1) and h2 (10.0.0.2, fd00::2), one veth"
mkfifo hold1 hold2
in_host h1 socktest hold 100 <hold1 >out1 &
in_host h2 socktest hold 100 <hold2 >out2 &
exec 3>hold1 4>hold2
wait_for 'grep -q "^bound" out1 && grep -q "^bound" out2' 10 ||
	die "sockets did not bind"
echo "h1: IPv4 socket bound to port $(cut -d' ' -f2 out1)," \
	"IPv6 socket to port $(cut -d' ' -f3 out1)"
echo "h2: IPv4 socket bound to port $(cut -d' ' -f2 out2)," \
	"IPv6 socket to port $(cut -d' ' -f3 out2) (same ports, own namespace)"
for h in h1 h2; do
	echo "$h: $(in_host $h socktest basic)"
	echo "$h: $(in_host $h socktest many 200)"
done
exec 3>&- 4>&-
wait
rmmod homa || die "rmmod homa failed"
echo "unloaded: homa.ko removed cleanly"
