#!/bin/bash
# timeout: 420
# Random and mutated Homa packets (homa_fuzz) flood a busy server and a
# busy client while real RPCs run between them; the real RPCs must all
# complete correctly, the kernel must not complain (the harness checks
# its log and that homa unloads afterwards), the drops must show up in
# /proc/net/homa_metrics, within a minute after the flood the server must
# hold few RPCs (those the forged packets created time out or end), and
# it must still serve every message size. The packets from h3 cannot be
# told from a real peer's, but they name h3's RPCs, never h1's: a
# correct kernel keeps them apart. h1 and h2 run GRO, so packets reach
# Homa both alone and in chains. Every failure is listed at the end,
# with both hosts' counters.
#
#	h1 10.0.0.1            h2 10.0.0.2              h3 10.0.0.3
#	homa_smoke client      homa_smoke server -6     homa_fuzz -> h2
#	  (rounds of           ports 4000, 4001           (IPv4, IPv6)
#	   concurrent, sizes)
#	homa_fuzz -> h1's own client ports (learns the real ids from
#	  the responses that arrive)
#	   |                      |                         |
#	   +------------------- br0 (sw) -------------------+
#
# FUZZ_COUNT (default 1000000) is the number of packets in all; a longer
# run passes more through the kernel command line, which hands it to the
# guest's environment:
#   VM_APPEND=FUZZ_COUNT=5000000 tests/vm/run.sh -t fuzz/inject
# FUZZ_SEED (default 1) changes the packets.
set -eu
. "$TESTBED/netns.sh"

count=${FUZZ_COUNT:-1000000}
seed=${FUZZ_SEED:-1}
# Shares of the packets: h2 over IPv4, h2 over IPv6, h1's clients.
n_v4=$((count * 2 / 5))
n_v6=$((count / 5))
n_cl=$((count - n_v4 - n_v6))
# A bound on each injector, so that a very slow guest still ends.
max_s=$((count / 10000 + 30))

# metric H NAME: the value of counter NAME in host H.
metric() {
	in_host "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/homa_metrics
}

# grew H NAME BEFORE: fail unless counter NAME of host H exceeds BEFORE.
grew() {
	local now
	now=$(metric "$1" "$2")
	echo "$1 $2: $3 -> $now"
	[ "$now" -gt "$3" ] ||
		echo "$1: $2 did not grow ($3 -> $now)" >>failures.out
}

modprobe homa
topo_switch 3
# GRO on the hosts' devices (veth runs it when the peer sends without
# TSO), so that the hostile packets are also chained and taken apart.
for i in 1 2; do
	in_host sw ethtool -K "p$i" tso off >/dev/null
	in_host "h$i" ethtool -K eth0 gro on >/dev/null
done
# The flood keeps the emulated guest's CPUs busy: a real RPC can go
# unanswered for 100 ms (the default timeout_ticks) because its packets
# wait behind the flood, not because of anything the hostile packets did
# to it (seen in a full check: 4 of h1's RPCs timed out while h2 was
# flooded at 49,000 packets/s). The real client waits up to a second: an
# RPC that the flood broke stays silent for good. The server keeps the
# default, so that the RPCs forged requests create time out as usual.
in_host h1 sh -c 'echo 1000 > /proc/sys/net/homa/timeout_ticks'
start_in_host h2 server.out homa_smoke server -6 -p 4000 -p 4001 \
	--report report
server=$BG_PID

# Note the counters before the flood.
names="short_packets unknown_packet_types packet_discards unknown_rpcs gro_batches"
# Packets from or to port 0, where the kernel counts them apart.
[ -z "$(metric h2 bad_ports)" ] || names="$names bad_ports"
for h in h1 h2; do
	for name in $names; do
		eval "before_${h}_$name=\$(metric $h $name)"
	done
done

# The injectors, one after the other, in the background.
(
	set -e
	in_host h3 homa_fuzz 10.0.0.2 -n "$n_v4" -s "$seed" -p 4000,4001 \
		-l -t "$max_s" >fuzz-v4.out
	in_host h3 homa_fuzz fd00::2 -n "$n_v6" -s "$((seed + 1))" \
		-p 4000,4001 -l -t "$max_s" >fuzz-v6.out
	in_host h1 homa_fuzz 10.0.0.1 -n "$n_cl" -s "$((seed + 2))" \
		-p 0x8000-0x803f -l -t "$max_s" >fuzz-client.out
	: >fuzz.done
) &
fuzzer=$!

# Real RPCs from h1 until the injectors are done: mixed sizes from
# several threads over IPv4, and every size up to 1 MB over IPv6. A
# failure does not stop the flood (the kernel's log must stay clean to
# the end); every failure is reported at the end.
rounds=0
failures=0
# real WHAT CMD...: run CMD in h1; note a failure with its message.
real() {
	local what=$1
	shift
	if ! in_host h1 homa_smoke client "$@" >real.out 2>&1; then
		failures=$((failures + 1))
		echo "real RPCs failed ($what): $(tail -n 1 real.out)" |
			tee -a failures.out
	fi
}
while [ ! -e fuzz.done ]; do
	kill -0 "$fuzzer" 2>/dev/null || [ -e fuzz.done ] || break
	rounds=$((rounds + 1))
	real "round $rounds, IPv4 concurrent" 10.0.0.2 concurrent -t 2 \
		-n 8 -c 24 -p 4000,4001 --timeout 60
	real "round $rounds, IPv6 sizes" fd00::2 -p 4001 sizes --timeout 60
done
wait "$fuzzer" || echo "an injector failed" | tee -a failures.out
cat fuzz-*.out
echo "real RPC rounds during the flood: $rounds (each: 48 mixed RPCs" \
	"over IPv4, 11 sizes up to 1 MB over IPv6); $failures failed"

# The RPCs that the flood created must go: the ones of requests never
# completed time out, the others end (acks, ICMP from the unreachable
# senders); the server holds few RPCs within a minute.
t=0
while :; do
	held=$(sed -n 's/^rpcs=//p' report)
	echo "${t}s after the flood: server RPCs $held," \
		"$(grep -o 'bpool_avail_bytes=[0-9]*' report | tr '\n' ' ')"
	[ "${held:-0}" -gt 10 ] || break
	if [ "$t" -ge 60 ]; then
		echo "the server still holds $held RPCs 60 s after the flood" |
			tee -a failures.out
		break
	fi
	sleep 5
	t=$((t + 5))
done

# The flood left nothing behind that stops the server from serving.
real "after the flood, IPv4 sizes" 10.0.0.2 -p 4000 sizes --timeout 20
real "after the flood, IPv6 concurrent" fd00::2 -p 4001 concurrent -t 2 \
	-n 8 -c 24 --timeout 20

for name in $names; do
	eval "grew h2 $name \$before_h2_$name"
done
for name in short_packets unknown_packet_types unknown_rpcs; do
	eval "grew h1 $name \$before_h1_$name"
done

kill "$server"
wait "$server" || echo "server in h2 failed" | tee -a failures.out
if [ -s failures.out ]; then
	for h in h1 h2; do
		echo "/proc/net/homa_metrics of $h:"
		in_host "$h" cat /proc/net/homa_metrics
	done
	echo "server output:"
	cat server.out
	die "$(wc -l <failures.out) failure(s): $(head -n 1 failures.out)"
fi
