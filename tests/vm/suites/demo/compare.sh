#!/bin/sh
# timeout: 120
# Homa, TCP and UDP side by side with homa_bench: servers for the three
# protocols in h2, the client in h1, one RPC outstanding; for each
# protocol a 100-byte round trip and 1 MB messages (request and response),
# then a table. The figures are reported, never asserted (under TCG they
# say more about the emulator than about the protocols): the test fails
# only if a run fails outright. About 25 s of guest time.
#
# Every benchmark process runs on vCPU 0: under TCG, waking a task on the
# other, idle vCPU takes until its next timer tick (4-8 ms), which buries
# the protocols' differences in noise; on one vCPU the figures repeat.
#
#	+-------------------------+          +-------------------------+
#	| h1 10.0.0.1             |          | h2 10.0.0.2             |
#	|  homa_bench client      |==========|  homa_bench server      |
#	|  --proto homa|tcp|udp   |   veth   |  homa, tcp, udp on 4100 |
#	+-------------------------+          +-------------------------+
set -u
. "$TESTBED/netns.sh"

SECONDS_SMALL=3
SECONDS_LARGE=3
PROTOS="homa tcp udp"

modprobe homa || die "modprobe homa failed"
topo_pair
echo "kernel $(uname -r), $(nproc) vCPUs; client h1 10.0.0.1," \
	"servers h2 10.0.0.2 port 4100, one veth"

failed=
fail() {
	failed="$failed $1"
}

# Servers: all three share port 4100 (different protocols).
for p in $PROTOS; do
	ip netns exec h2 taskset -c 0 homa_bench server --proto "$p" \
		--port 4100 >"server-$p.out" 2>&1 &
	eval "server_$p=$!"
done
for p in $PROTOS; do
	eval "pid=\$server_$p"
	if ! wait_for "grep -q ready server-$p.out || ! kill -0 $pid 2>/dev/null" 10 ||
		! grep -q ready "server-$p.out"; then
		echo "$p server did not start:"
		sed 's/^/  /' "server-$p.out"
		fail "$p-server"
		eval "server_$p="
	fi
done

# run PROTO TAG ARGS...: one client run, results in TAG-PROTO.csv.
run() {
	_p=$1
	_tag=$2
	shift 2
	eval "_srv=\$server_$_p"
	if [ -z "$_srv" ]; then
		echo "$_p $_tag: not run (no server)"
		return
	fi
	if ip netns exec h1 taskset -c 0 homa_bench client --proto "$_p" \
		--server 10.0.0.2 --port 4100 --csv "$_tag-$_p.csv" \
		--label "$_tag" "$@" >"$_tag-$_p.out" 2>&1; then
		cat "$_tag-$_p.out"
	else
		echo "$_p $_tag FAILED:"
		sed 's/^/  /' "$_tag-$_p.out"
		rm -f "$_tag-$_p.csv"
		fail "$_p-$_tag"
	fi
}

for p in $PROTOS; do
	run "$p" small --size 100 --seconds "$SECONDS_SMALL"
	run "$p" large --size 1000000 --seconds "$SECONDS_LARGE" --warmup 3
done

# field FILE COLUMN: a column of a one-record homa_bench CSV file, or
# nothing if the run failed.
field() {
	[ -f "$1" ] || return 0
	awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		NR == 2 && (col in c) { print $c[col] }' "$1"
}

# cell VALUE SCALE: VALUE * SCALE with 3 or more significant figures, or
# "-" for a run that failed.
cell() {
	if [ -z "$1" ]; then
		printf '%14s' -
	else
		awk -v v="$1" -v s="$2" 'BEGIN { v *= s
			printf (v >= 100 ? "%14.0f" : v >= 10 ? "%14.1f" :
				"%14.2f"), v }'
	fi
}

echo
echo "Results (one RPC outstanding, all on vCPU 0; TCG emulation, so" \
	"compare rows, not absolute figures):"
printf '%-10s%14s%14s%14s%14s\n' "" "100 B P50" "100 B P99" "1 MB P50" \
	"1 MB tput"
printf '%-10s%14s%14s%14s%14s\n' "" "(us)" "(us)" "(ms)" "(Gbit/s)"
for p in $PROTOS; do
	case $p in
	homa) name=Homa ;;
	tcp) name=TCP ;;
	udp) name=UDP ;;
	esac
	printf '%-10s' "$name"
	cell "$(field "small-$p.csv" p50_us)" 1
	cell "$(field "small-$p.csv" p99_us)" 1
	cell "$(field "large-$p.csv" p50_us)" 0.001
	cell "$(field "large-$p.csv" gbit_per_s)" 1
	echo
done
printf '%-10s' "Homa/TCP"
for f in small:p50_us small:p99_us large:p50_us large:gbit_per_s; do
	h=$(field "${f%%:*}-homa.csv" "${f#*:}")
	t=$(field "${f%%:*}-tcp.csv" "${f#*:}")
	if [ -n "$h" ] && [ -n "$t" ]; then
		awk -v h="$h" -v t="$t" \
			'BEGIN { if (t > 0) printf "%13.2fx", h / t;
				 else printf "%14s", "-" }'
	else
		printf '%14s' -
	fi
done
echo
echo "(Homa/TCP: below 1 means Homa is faster in the latency columns," \
	"above 1 in throughput)"
for tag in small large; do
	lost=$(field "$tag-udp.csv" lost)
	rpcs=$(field "$tag-udp.csv" rpcs)
	[ -n "$lost" ] && [ "$lost" != 0 ] &&
		echo "UDP $tag: $lost messages lost (no retransmission)," \
			"$rpcs completed"
done

for p in $PROTOS; do
	eval "pid=\$server_$p"
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
done
wait

if [ -n "$failed" ]; then
	echo "FAIL: runs that failed:$failed"
	exit 1
fi
exit 0
