#!/bin/bash
# timeout: 150
# Single forged packets (homa_fuzz -x) from a third host that once broke
# the receive path; each must now leave the real RPCs alone:
#   1. a DATA whose message never completes, sent as all unscheduled
#      (incoming = message_length): once its RPC timed out, grants for
#      later messages must still flow (it used to leave its missing bytes
#      in the namespace's unscheduled count for good, above max_incoming);
#   2. a request from port 0: dropped and counted, never delivered (the
#      server could not address its response);
#   3. responses forged by h3 for h1's client RPC: ignored, the real
#      response from h2 arrives (client RPCs used to match by id alone);
#   4. a request from a port where no socket answers NEED_ACK: the
#      server frees its RPC (it used to send NEED_ACK every tick for good).
#
#	h1 10.0.0.1           h2 10.0.0.2              h3 10.0.0.3
#	homa_smoke client     homa_smoke server 4000   homa_fuzz -x HEX
#	   +------------------- br0 (sw) -------------------+
set -eu
. "$TESTBED/netns.sh"

# metric H NAME: counter NAME of host H.
metric() {
	in_host "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/homa_metrics
}

# common TYPE SPORT DPORT ID: hex of a common header.
common() {
	printf '%04x%04x%08x000000%02x%02x%014x%016x' "$2" "$3" 0 "$1" \
		$(($1 == 0x10 ? 0xe0 : 0x50)) 0 "$4"
}

# data SPORT DPORT ID LENGTH INCOMING OFFSET: hex of a DATA header.
data() {
	common 0x10 "$1" "$2" "$3"
	printf '%08x%08x%020x%04x%02x%06x%08x' "$4" "$5" 0 0 0 0 "$6"
}

# forge TARGET HEX PAYLOAD: send one packet from h3.
forge() {
	in_host h3 homa_fuzz "$1" -x "$2:$3" >/dev/null
}

modprobe homa
topo_switch 3
start_in_host h2 server.out homa_smoke server -4 -p 4000 --report report
server=$BG_PID
in_host h1 homa_smoke client 10.0.0.2 one -s 100000 >/dev/null ||
	die "no 100 kB RPC even before any forged packet"

echo "1. a never-completed unscheduled message"
forge 10.0.0.2 "$(data 1234 4000 100 1000000 1000000 0)" 1000
# Its RPC times out after 100 silent ticks.
sleep 1
in_host h1 homa_smoke client 10.0.0.2 one -s 100000 --timeout 10 ||
	die "after a forged unscheduled message, grants no longer flow"

echo "2. a request from port 0"
bad=$(metric h2 bad_ports)
done_before=$(metric h2 server_requests_done)
forge 10.0.0.2 "$(data 0 4000 102 10 10 0)" 10
wait_for "[ \"\$(metric h2 bad_ports)\" -gt ${bad:-0} ]" 5 ||
	die "a request from port 0 was not counted in bad_ports"
sleep 0.5
[ "$(metric h2 server_requests_done)" = "$done_before" ] ||
	die "a request from port 0 was delivered"
! grep -q 'sendmsg of the response' server.out ||
	die "the server got a request it cannot answer: $(cat server.out)"

echo "3. responses forged by a third host"
kill "$server"
wait "$server" || die "server in h2 failed"
start_in_host h2 server.out homa_smoke server -4 -p 4000 --delay-ms 2000
server=$BG_PID
in_host h1 homa_smoke client 10.0.0.2 one -s 100 --timeout 10 \
	>client.out 2>&1 &
client=$!
sleep 0.5
# The client's socket has one of the first automatic ports, its RPC one
# of the first ids; a 5-byte response to each would complete it.
for port in 0x8000 0x8001 0x8002 0x8003 0x8004; do
	for id in 3 5 7 9 11 13 15; do
		forge 10.0.0.1 "$(data 4000 $((port)) "$id" 5 5 0)" 5
	done
done
wait "$client" || die "forged responses broke the real one: $(cat client.out)"
cat client.out

echo "4. a client that never answers NEED_ACK"
kill "$server"
wait "$server" || die "server in h2 failed"
start_in_host h2 server.out homa_smoke server -4 -p 4000 --report report
server=$BG_PID
forge 10.0.0.2 "$(data 1234 4000 104 10 10 0)" 10
wait_for "grep -qx served=1 report" 5 || die "the forged request got no response"
wait_for "grep -qx rpcs=0 report" 5 ||
	die "the server still holds the RPC of a client that cannot ack: $(cat report)"
echo "need_acks_sent: $(metric h2 need_acks_sent)"

kill "$server"
wait "$server" || die "server in h2 failed"
