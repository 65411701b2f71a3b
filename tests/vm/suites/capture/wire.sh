#!/bin/bash
# timeout: 60
# Every Homa packet type goes on the wire, over IPv4 and over IPv6, and
# is captured (homacap -w) into a pcap file for the Wireshark dissector
# (tools/wireshark/homa.lua, checked on the host by
# scripts/dissector-test.sh). For each family, h1 runs:
#   - RPCs of 100 and 100000 bytes to port 4000: DATA both ways, GRANTs
#     both ways, CUTOFFS (a new peer's first DATA has the wrong cutoff
#     version), a piggy-backed ack on the second request, then NEED_ACK
#     and its ACK while the client's socket lingers;
#   - 8 concurrent RPCs on one socket to port 4001, whose server waits
#     30 ms before each response: RESEND (offset 0, length all) from the
#     waiting client, BUSY from the server, and an explicit ACK of 5 ids
#     when the sixth response arrives with no request left to carry it;
#   - hand-made packets (homa_fuzz -x): a RESEND for an RPC h2 does not
#     know (it answers RPC_UNKNOWN) and a FREEZE.
# Over IPv4 only, also: a DATA of 3 segments in one packet (GSO layout,
# doff 13) and a DATA whose seg.offset is -1, both to port 4999 (no
# socket), a GRANT cut to 30 bytes and a packet of type 0x20 (these two
# must be flagged as malformed by the dissector). The injected ids are
# 1000000 and up; scripts/dissector-test.sh knows them.
#
# The test checks that homacap lost no packet and, from homacap's own
# decoding, that each type appeared in each family. It prints each host's
# cutoffs and cutoff version (lines "cutoffs HOST V0,...,V7 VERSION"),
# which its CUTOFFS packets must carry. With CAPTURE_DUMP=1 in its
# environment (VM_APPEND passes it), it prints the pcap, gzipped and
# base64-encoded, between the lines "PCAP-BEGIN capture.pcap.gz" and
# "PCAP-END".
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1 fd00::1      |          | h2 10.0.0.2 fd00::2      |
#	|  homa_smoke clients      |==========|  homa_smoke server 4000  |
#	|  homa_fuzz -x            |   veth   |  homa_smoke server 4001  |
#	|  homacap -w eth0         |          |    --delay-ms 30         |
#	+--------------------------+          +--------------------------+
set -eu
. "$TESTBED/netns.sh"

# Hand-made packets, in hex: common header (sport 5000, dport, sequence,
# 3 unused bytes, type, doff, flags, window, checksum, urgent, sender_id),
# then the type's fields.
# hdr DPORT SEQUENCE TYPE DOFF ID: a common header (all numbers decimal).
hdr() {
	printf '1388%04x%08x000000%02x%02x00000000000000%016x' \
		"$1" "$2" "$3" "$4" "$5"
}
# RESEND offset 0, length all, priority 7, for an id h2 never saw.
resend_unknown() {
	echo "$(hdr 4000 0 0x12 0x50 "$1")00000000ffffffff07"
}
freeze() {
	hdr 4000 0 0x16 0x50 "$1"
}
# DATA of a 60-byte message in three 20-byte segments (GSO layout).
data_gso() {
	local seg pkt
	pkt="$(hdr 4999 0 0x10 0xd0 1000004)0000003c0000003c"
	pkt="${pkt}00000000000000000000000100000000"
	for seg in 00000000 00000014 00000028; do
		pkt="$pkt$seg$(printf '%02x' $(seq 1 20))"
	done
	echo "$pkt"
}
# DATA as if tunnelled as TCP: seg.offset -1, the offset in sequence.
data_tcp_style() {
	echo "$(hdr 4999 1000 0x10 0xe0 1000006)000007d0000007d0" \
		"00000000000000000000000100000000ffffffff" \
		"$(printf '%02x' $(seq 1 16))" | tr -d ' '
}
# A GRANT cut to 30 bytes, and a packet of unknown type 0x20.
short_grant() {
	echo "$(hdr 4000 0 0x11 0x50 1000008)0000"
}
bad_type() {
	hdr 4000 0 0x20 0x50 1000010
}

modprobe homa
topo_pair
ip netns exec h1 homacap -w capture.pcap -s 160 eth0 50 >capture.txt &
capture=$!
wait_for 'grep -qs ^capturing capture.txt' 10 || die "homacap did not start"
start_in_host h2 server.out homa_smoke server -6 -p 4000
start_in_host h2 slow.out homa_smoke server -6 -p 4001 --delay-ms 30

# inject ADDR HEX...: send each packet HEX from h1 to ADDR (raw socket).
inject() {
	_in_addr=$1
	shift
	for _in_pkt in "$@"; do
		in_host h1 homa_fuzz "$_in_addr" -x "$_in_pkt" >/dev/null ||
			die "homa_fuzz could not send $_in_pkt to $_in_addr"
	done
}

id=1000000
for addr in 10.0.0.2 fd00::2; do
	in_host h1 homa_smoke client "$addr" -p 4000 sizes 100,100000 \
		--linger-ms 100 >>client.out ||
		die "RPCs to $addr port 4000 failed: $(tail -n 3 client.out)"
	in_host h1 homa_smoke client "$addr" -p 4001 concurrent -t 1 -n 8 \
		-c 8 --linger-ms 100 >>client.out ||
		die "RPCs to $addr port 4001 failed: $(tail -n 3 client.out)"
	if [ "$addr" = 10.0.0.2 ]; then
		inject "$addr" "$(resend_unknown $id)" "$(freeze $((id + 2)))" \
			"$(data_gso)" "$(data_tcp_style)" "$(short_grant)" \
			"$(bad_type)"
	else
		inject "$addr" "$(resend_unknown $((id + 12)))" \
			"$(freeze $((id + 14)))"
	fi
done
# The last answers (RPC_UNKNOWN, ICMP) come back within a few ms.
sleep 0.3
kill "$capture"
wait "$capture" || die "homacap failed: $(tail -n 2 capture.txt)"
grep -q '^dropped 0 packets$' capture.txt ||
	die "the capture is incomplete: $(tail -n 1 capture.txt)"

missing=
for type in DATA GRANT RESEND RPC_UNKNOWN BUSY CUTOFFS FREEZE NEED_ACK ACK; do
	v4=$(grep -c "^type=$type .*src=10\.0\.0\." capture.txt || true)
	v6=$(grep -c "^type=$type .*src=fd00::" capture.txt || true)
	echo "$type: $v4 over IPv4, $v6 over IPv6"
	[ "$v4" -gt 0 ] || missing="$missing $type/IPv4"
	[ "$v6" -gt 0 ] || missing="$missing $type/IPv6"
done
for h in h1 h2; do
	cutoffs=$(in_host $h cat /proc/sys/net/homa/unsched_cutoffs)
	echo "cutoffs $h $(echo "$cutoffs" | tr -s ' \t' ,)" \
		"$(in_host $h cat /proc/sys/net/homa/cutoff_version)"
done
echo "capture.pcap: $(wc -c <capture.pcap) bytes," \
	"$(grep -c ^type= capture.txt) packets"

if [ "${CAPTURE_DUMP:-}" = 1 ]; then
	echo "PCAP-BEGIN capture.pcap.gz"
	gzip -c capture.pcap | base64
	echo "PCAP-END"
fi
[ -z "$missing" ] || die "not captured:$missing"
