#!/bin/sh
# Priorities reach the wire in the top three bits of the IPv4 TOS byte:
# with the default cutoffs a 100-byte message goes at level 7, a 10000-byte
# one at level 5, a 500000-byte one at level 4 for its unscheduled 40000
# bytes and at a scheduled level (0..3; 0 when it is the only message)
# after; GRANTs and other control packets at level 7. Bytes sent again
# (when the emulator stalls long enough for the receiver to ask) go at
# the message's unscheduled level, so a resent scheduled byte of the
# 500000-byte message is at level 4.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  rpcorder client         |==========|  rpcorder server 4000    |
#	|  homacap eth0 (GRANTs)   |   veth   |  homacap eth0 (DATA)     |
#	+--------------------------+          +--------------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
in_host h1 homacap eth0 20 >cap1 &
in_host h2 homacap eth0 20 >cap2 &
in_host h2 rpcorder server 4000 3 >server.out &
wait_for 'grep -q ^ready server.out && grep -q ^capturing cap1 && grep -q ^capturing cap2' 10 ||
	die "server or captures did not start"
for size in 100 10000 500000; do
	in_host h1 rpcorder client 10.0.0.2 4000 $size >/dev/null ||
		die "RPC of $size bytes failed"
done
sleep 1
kill %1 %2 2>/dev/null || true

# check PATTERN WANT: every captured line matching PATTERN has tos WANT.
check() {
	found=$(grep -c -e "$1" cap2 cap1 | awk -F: '{ n += $2 } END { print n }')
	[ "$found" -gt 0 ] || die "no packet matches '$1'"
	bad=$(grep -h -e "$1" cap2 cap1 | grep -v "tos=$2" | head -n 3)
	[ -z "$bad" ] || die "expected tos=$2 for '$1', got: $bad"
	echo "ok: $found packets '$1' at tos=$2"
}
check 'type=DATA .* len=100 ' 0xe0
check 'type=DATA .* len=10000 ' 0xa0
check 'type=DATA .* len=500000 off=[0-9] ' 0x80
check 'type=DATA .* len=500000 off=[123][0-9]\{4\} ' 0x80
check 'type=DATA .* len=500000 off=\([4-9][0-9]\{4\}\|[0-9]\{6\}\) .* retransmit=0' 0x00
if grep -q 'type=DATA .* len=500000 .* retransmit=1' cap2; then
	check 'type=DATA .* len=500000 .* retransmit=1' 0x80
fi
check 'type=GRANT' 0xe0
check 'type=CUTOFFS' 0xe0
