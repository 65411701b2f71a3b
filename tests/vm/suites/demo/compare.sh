#!/bin/sh
# timeout: 180
# Homa, TCP and UDP side by side with homa_bench: servers for the three
# protocols in h2, the client in h1, one RPC outstanding; for each
# protocol a 100-byte round trip and 1 MB messages (request and response),
# then a table. Homa runs three times: with the default settings (busy
# polling for 50 us, one packet per MTU), with GSO (max_gso_size 65536,
# as TCP has TSO) and no polling (poll_usecs 0), and with GSO, polling
# for 1 ms (long enough to span a round trip here, so a waiting receiver
# never sleeps) and max_incoming 2000000 (a 1 MB message is granted in
# one GRANT, as TCP's autotuned window lets a 1 MB message go at once;
# with the default 400000 a receiver sends about 6 GRANTs per message,
# each costing both hosts tens of microseconds here). The figures are reported, never asserted (under TCG they
# say more about the emulator than about the protocols): the test fails
# only if a run fails outright. About 50 s of guest time.
#
# The clients run on vCPU 0 and the servers on vCPU 1, as on two hosts;
# client CPU time per RPC (user + system, polling included) shows what
# polling costs.
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
# Rows of the table: Homa variants (set_variant), then the others.
ROWS="homa homa_nopoll homa_poll tcp udp"

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
	ip netns exec h2 taskset -c 1 homa_bench server --proto "$p" \
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

# set_variant ROW: the sysctls of a Homa row, in both hosts.
set_variant() {
	case $1 in
	homa) gso=0 poll=50 incoming=400000 ;;
	homa_nopoll) gso=65536 poll=0 incoming=400000 ;;
	homa_poll) gso=65536 poll=1000 incoming=2000000 ;;
	*) return 0 ;;
	esac
	for h in h1 h2; do
		ip netns exec "$h" sh -c "echo $gso >/proc/sys/net/homa/max_gso_size
			echo $poll >/proc/sys/net/homa/poll_usecs
			echo $incoming >/proc/sys/net/homa/max_incoming"
	done
}

# run ROW TAG ARGS...: one client run, results in TAG-ROW.csv.
run() {
	_row=$1
	_p=${1%%_*}
	_tag=$2
	shift 2
	eval "_srv=\$server_$_p"
	if [ -z "$_srv" ]; then
		echo "$_p $_tag: not run (no server)"
		return
	fi
	if ip netns exec h1 taskset -c 0 homa_bench client --proto "$_p" \
		--server 10.0.0.2 --port 4100 --csv "$_tag-$_row.csv" \
		--label "$_tag" "$@" >"$_tag-$_row.out" 2>&1; then
		echo "[$_row]"
		cat "$_tag-$_row.out"
	else
		echo "$_row $_tag FAILED:"
		sed 's/^/  /' "$_tag-$_row.out"
		rm -f "$_tag-$_row.csv"
		fail "$_row-$_tag"
	fi
}

for r in $ROWS; do
	set_variant "$r"
	run "$r" small --size 100 --seconds "$SECONDS_SMALL"
	run "$r" large --size 1000000 --seconds "$SECONDS_LARGE" --warmup 3
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
		printf '%12s' -
	else
		awk -v v="$1" -v s="$2" 'BEGIN { v *= s
			printf (v >= 100 ? "%12.0f" : v >= 10 ? "%12.1f" :
				"%12.2f"), v }'
	fi
}

echo
echo "Results (one RPC outstanding, clients on vCPU 0, servers on vCPU 1;" \
	"TCG emulation, so compare rows, not absolute figures):"
printf '%-18s%12s%12s%12s%12s%12s\n' "" "100 B P50" "100 B P99" \
	"100 B CPU" "1 MB P50" "1 MB tput"
printf '%-18s%12s%12s%12s%12s%12s\n' "" "(us)" "(us)" "(us/RPC)" "(ms)" \
	"(Gbit/s)"
# name ROW: the row's label.
name() {
	case $1 in
	homa) echo Homa ;;
	homa_nopoll) echo "Homa GSO" ;;
	homa_poll) echo "Homa GSO+poll" ;;
	tcp) echo TCP ;;
	udp) echo UDP ;;
	esac
}

for r in $ROWS; do
	printf '%-18s' "$(name "$r")"
	cell "$(field "small-$r.csv" p50_us)" 1
	cell "$(field "small-$r.csv" p99_us)" 1
	cell "$(field "small-$r.csv" cpu_us_per_rpc)" 1
	cell "$(field "large-$r.csv" p50_us)" 0.001
	cell "$(field "large-$r.csv" gbit_per_s)" 1
	echo
done
for r in homa homa_nopoll homa_poll; do
	printf '%-18s' "$(name "$r")/TCP"
	for f in small:p50_us small:p99_us small:cpu_us_per_rpc large:p50_us \
		large:gbit_per_s; do
		h=$(field "${f%%:*}-$r.csv" "${f#*:}")
		t=$(field "${f%%:*}-tcp.csv" "${f#*:}")
		if [ -n "$h" ] && [ -n "$t" ]; then
			awk -v h="$h" -v t="$t" \
				'BEGIN { if (t > 0) printf "%11.2fx", h / t;
					 else printf "%12s", "-" }'
		else
			printf '%12s' -
		fi
	done
	echo
done
echo "(Homa: default settings, poll_usecs 50, max_gso_size 0; GSO:" \
	"max_gso_size 65536, poll_usecs 0; GSO+poll: and poll_usecs 1000," \
	"max_incoming 2000000)"
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
