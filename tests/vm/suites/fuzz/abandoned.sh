#!/bin/bash
# timeout: 90
# Requests that their sender abandons must not hold a server for good:
# h3 sends 70 forged first packets of 1,000,000-byte requests (incoming
# 0, so every further byte needs a grant) and never sends more. Their
# RPCs must end within 30 s and give back their buffer space, and a
# real 100 kB RPC from h1 must then still work.
#
#	h1 10.0.0.1           h2 10.0.0.2              h3 10.0.0.3
#	homa_smoke client     homa_smoke server 4000   homa_fuzz -x HEX
#	   +------------------- br0 (sw) -------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_switch 3
start_in_host h2 server.out homa_smoke server -4 -p 4000 --report report
server=$BG_PID
wait_for "grep -q bpool_avail_bytes report" 5 || die "no report"
full=$(sed -n 's/.*bpool_avail_bytes=//p' report)

for i in $(seq 70); do
	# DATA 1234 -> 4000, id 2000 + 2i, message_length 1000000,
	# incoming 0, offset 0, 1400 bytes.
	hex=$(printf '04d20fa000000000000000%02x%02x%014x%016x' 16 224 0 \
		$((2000 + 2 * i)))
	hex=$hex$(printf '%08x%08x%020x%04x%02x%06x%08x' 1000000 0 0 0 0 0 0)
	in_host h3 homa_fuzz 10.0.0.2 -x "$hex:1400" >/dev/null
done
sleep 1
cat report
wait_for "grep -qx rpcs=0 report" 30 ||
	die "30 s after their last packet, the server holds $(sed -n \
's/^rpcs=//p' report) abandoned RPCs; free buffer $(sed -n \
's/.*bpool_avail_bytes=//p' report) of $full bytes"
in_host h1 homa_smoke client 10.0.0.2 one -s 100000 --timeout 10 ||
	die "no 100 kB RPC after the abandoned requests"

kill "$server"
wait "$server" || die "server in h2 failed"
