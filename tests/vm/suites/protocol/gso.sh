#!/bin/sh
# Multi-segment DATA packets (net.homa.max_gso_size): with GSO on, a
# sender puts up to 45 MTU-sized segments in one packet, each behind its
# own segment header. veth passes such packets on whole, so the receiver
# must take every segment out of them; with TSO off on the sender's
# device, or net.homa.gso_force_software 1, the stack cuts them with
# Homa's software GSO instead, and the receiver gets ordinary packets. Either way every message arrives byte
# for byte (homa_smoke checks each echo), over IPv4 and IPv6, also under
# 2% loss; and the number of DATA packets received shows which way the
# data went (a 1 MB message: about 20 packets whole, over 700 cut).
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1  fd00::1     |          | h2 10.0.0.2  fd00::2     |
#	|  homa_smoke client       |==========|  homa_smoke server -6    |
#	|  max_gso_size 65536      |   veth   |  max_gso_size 65536      |
#	+--------------------------+          +--------------------------+
# timeout: 150
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
for h in h1 h2; do
	in_host "$h" sh -c 'echo 65536 > /proc/sys/net/homa/max_gso_size'
done
start_in_host h2 server.out homa_smoke server -6 -p 4000

# rpcs_data HOST ADDR FAMILY SIZES: echo RPCs of SIZES to h2; prints the
# DATA packets h2 received meanwhile.
rpcs_data() {
	before=$(homa_metric h2 packets_rcvd_DATA)
	in_host h1 homa_smoke client "$2" "$3" sizes "$4" >/dev/null ||
		die "RPCs of $4 bytes to $2 failed ($1)"
	echo $(($(homa_metric h2 packets_rcvd_DATA) - before))
}

sizes=1,1423,1424,1425,3000,39999,40000,40001,100000,1000000
n=$(rpcs_data "GSO, IPv4" 10.0.0.2 -4 "$sizes")
echo "GSO, IPv4: $sizes bytes in $n DATA packets"
[ "$n" -lt 100 ] || die "GSO packets were cut on the way ($n DATA packets)"

n=$(rpcs_data "GSO, IPv6" fd00::2 -6 1000000)
echo "GSO, IPv6: 1000000 bytes in $n DATA packets"
[ "$n" -lt 40 ] || die "GSO packets were cut on the way ($n DATA packets)"

# expect_cut WHY: 1 MB over each family arrives cut into MTU-sized
# packets, and RPCs of every size still succeed.
expect_cut() {
	for fam in "10.0.0.2 -4" "fd00::2 -6"; do
		# shellcheck disable=SC2086 # address and option
		n=$(rpcs_data "$1" $fam 1000000)
		echo "$1 ($fam): 1000000 bytes in $n DATA packets"
		[ "$n" -ge 700 ] || die "$1: expected segmented packets, got $n"
	done
	in_host h1 homa_smoke client 10.0.0.2 -4 sizes "$sizes" >/dev/null ||
		die "RPCs failed with $1"
}

# Without TSO the stack segments in software (homa_gso_segment()).
in_host h1 ethtool -K eth0 tso off >/dev/null
expect_cut "software GSO"
in_host h1 ethtool -K eth0 tso on >/dev/null

# gso_force_software cuts them in software although veth has TSO.
in_host h1 sh -c 'echo 1 > /proc/sys/net/homa/gso_force_software'
expect_cut "gso_force_software 1"
in_host h1 sh -c 'echo 0 > /proc/sys/net/homa/gso_force_software'
n=$(rpcs_data "gso_force_software 0" 10.0.0.2 -4 1000000)
echo "gso_force_software 0 again: 1000000 bytes in $n DATA packets"
[ "$n" -lt 40 ] || die "GSO packets were still cut ($n DATA packets)"

# Lost GSO packets are resent (whole) until every segment is there.
link_netem h1 eth0 loss 2%
link_netem h2 eth0 loss 2%
in_host h1 homa_smoke client 10.0.0.2 -4 concurrent -t 2 -n 4 -c 200 ||
	die "RPCs failed with GSO under 2% loss"
echo "200 mixed RPCs with GSO under 2% loss: all correct"
