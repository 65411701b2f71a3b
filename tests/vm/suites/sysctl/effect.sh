#!/bin/sh
# timeout: 120
# The sysctls change what the module does, in their namespace.
#
# unsched_bytes (a sender's setting): h1 sends a 100000-byte request to
# h2 while h2 captures. A message's first unsched_bytes go at once, at
# the unscheduled level the receiver's cutoffs give (level 4, TOS 0x80),
# and packets never straddle that limit; the rest goes as h2 grants it,
# at a scheduled level (0, TOS 0x00, for a lone message). With the
# default 40000 the unscheduled packets end at byte 40000; after
# net.homa.unsched_bytes=5000 in h1 they end at byte 5000 and the
# scheduled ones start there.
#
# unsched_cutoffs (a receiver's setting): once h2 gives level 6 every
# length, h1's unscheduled bytes to h2 go at TOS 0xc0.
#
# poll_usecs: with 0 in both hosts RPCs still complete (receivers go to
# sleep at once); a server idle in recvmsg uses next to no CPU time, and
# with 1000000 it busy-polls for a second.
#
#	+--------------------------+          +--------------------------+
#	| h1 10.0.0.1              |          | h2 10.0.0.2              |
#	|  homa_smoke client       |==========|  homa_smoke server 4000  |
#	|  unsched_bytes 5000      |   veth   |  homacap eth0            |
#	+--------------------------+          +--------------------------+
set -eu
. "$TESTBED/netns.sh"

D=/proc/sys/net/homa

# capture_rpc FILE: one 100000-byte RPC from h1 to h2, captured in h2.
capture_rpc() {
	in_host h2 homacap eth0 30 >"$1" &
	_cap=$!
	wait_for "grep -q ^capturing $1" 10 || die "capture did not start"
	in_host h1 homa_smoke client 10.0.0.2 one -s 100000 ||
		die "100000-byte RPC failed"
	sleep 0.5
	kill "$_cap"
	wait "$_cap" || true
}

# request_layout FILE TOS: "U S N B" for the request's first transmissions
# in FILE: U = end of the last packet at TOS (unscheduled), S = first
# offset at TOS 0x00 (scheduled), N = packets at any other TOS, B =
# distinct bytes seen.
request_layout() {
	awk -v utos="$2" '/type=DATA/ && / src=10\.0\.0\.1 / && / len=100000 / &&
	     / retransmit=0/ {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			f[kv[1]] = kv[2]
		}
		off = f["off"] + 0
		end = off + f["payload"]
		if (f["tos"] == utos) {
			if (end > u)
				u = end
		} else if (f["tos"] == "0x00") {
			if (s == "" || off < s)
				s = off
		} else {
			other++
		}
		if (!(off in seen)) {
			seen[off] = 1
			bytes += f["payload"]
		}
	} END { printf "%d %s %d %d\n", u, s == "" ? "none" : s, other, bytes }' "$1"
}

# check_layout FILE UNSCHED [TOS]: the unscheduled packets (at TOS,
# default 0x80) end at UNSCHED, the scheduled ones start there.
check_layout() {
	layout=$(request_layout "$1" "${3:-0x80}")
	echo "request layout (unscheduled end, scheduled start, other, bytes): $layout"
	[ "$layout" = "$2 $2 0 100000" ] ||
		die "expected unscheduled bytes to end and scheduled ones to start at $2 (got $layout); capture: $(grep 'type=DATA' "$1" | head -n 40)"
	grep -q 'type=GRANT .*src=10\.0\.0\.2 ' "$1" || die "h2 sent no GRANT"
}

modprobe homa
topo_pair
start_in_host h2 server.out homa_smoke server -4 -p 4000

capture_rpc default.cap
check_layout default.cap 40000

in_host h1 sysctl -w net.homa.unsched_bytes=5000 >/dev/null
capture_rpc small.cap
check_layout small.cap 5000
first_grant=$(grep -m 1 'type=GRANT .*src=10\.0\.0\.2 ' small.cap |
	sed 's/.* offset=\([0-9]*\).*/\1/')
[ "$first_grant" -gt 5000 ] || die "first GRANT offset $first_grant"
echo "ok: unsched_bytes=5000 in h1 cuts the unscheduled part at 5000 (first GRANT to $first_grant)"

# unsched_cutoffs (a receiver's setting, sent to its peers in CUTOFFS
# packets when their DATA packets carry another cutoff_version): with
# level 6 taking every length in h2, h1's next requests to h2 go at level 6
# (TOS 0xc0). The first one after the change still uses the cutoffs h1
# had when it built it, and makes h2 send the new ones.
in_host h2 sh -c "echo 0 0 0 0 0 0 1000000 100 > $D/unsched_cutoffs"
in_host h1 homa_smoke client 10.0.0.2 one -s 100000 ||
	die "100000-byte RPC failed"
sleep 0.1
capture_rpc cutoffs.cap
check_layout cutoffs.cap 5000 0xc0
echo "ok: unsched_cutoffs in h2 moves h1's unscheduled bytes to level 6"

# poll_usecs=0: everything still arrives.
in_host h1 sh -c "echo 0 > $D/poll_usecs"
in_host h2 sh -c "echo 0 > $D/poll_usecs"
for size in 100 100000; do
	in_host h1 homa_smoke client 10.0.0.2 one -s $size ||
		die "$size-byte RPC failed with poll_usecs=0"
done
in_host h1 homa_smoke client 10.0.0.2 count -n 20 -s 5000 >/dev/null ||
	die "RPCs failed with poll_usecs=0"
echo "ok: RPCs complete with poll_usecs=0"

# cpu_ticks PID: user + system time of a process, in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# idle_cpu PORT: start a server in h2 and print the clock ticks it uses
# in its first 1.2 s without requests.
idle_cpu() {
	start_in_host h2 "idle$1.out" homa_smoke server -4 -p "$1"
	_t0=$(cpu_ticks "$BG_PID")
	sleep 1.2
	_t1=$(cpu_ticks "$BG_PID")
	echo $((_t1 - _t0))
}

no_poll=$(idle_cpu 4001)
in_host h2 sh -c "echo 1000000 > $D/poll_usecs"
poll=$(idle_cpu 4002)
echo "idle server CPU in 1.2 s: $no_poll ticks with poll_usecs=0, $poll with 1000000"
[ "$no_poll" -lt 20 ] || die "an idle server used $no_poll ticks with poll_usecs=0"
[ "$poll" -ge 40 ] || die "an idle server used only $poll ticks with poll_usecs=1000000"
in_host h1 homa_smoke client 10.0.0.2 -p 4002 one -s 100000 ||
	die "RPC failed with poll_usecs=1000000"
echo "ok: poll_usecs sets how long recvmsg busy-polls"
