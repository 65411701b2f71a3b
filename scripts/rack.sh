#!/bin/bash
# Homa against TCP in an emulated rack: runs the VM test rack/full
# (tests/vm/suites/rack/rack.lib: 4 hosts on a switch whose ports are
# shaped to 100 Mbit/s with 8 strict-priority queues keyed on DSCP; for
# each protocol an unloaded run, then open-loop runs at 50% and 80% of the
# port rate from every host), collects its CSV, draws slowdown against
# message size and prints a summary:
#
#   scripts/rack.sh [-k KVER] [-w WORKLOAD] [-s SECONDS]
#   scripts/rack.sh -l LOG [-w WORKLOAD]
#
#   -k KVER      kernel (default: the first of scripts/kernels.sh)
#   -w WORKLOAD  w2, w3, w4 or w5 (or W4 ...; default w4), a message-size
#                distribution read from $HOMA_WORKLOADS (default:
#                shared/workloads beside the checkout; never copied into
#                the project)
#   -s SECONDS   measured seconds of each load run (default 40; the
#                unloaded runs last half as long, at least 10 s); the VM
#                takes about 5 x SECONDS + 60 s
#   -l LOG       run nothing: read the output of an earlier run
#
# Files, in build/rack/: WORKLOAD.log (the VM's output), WORKLOAD.csv (a
# row per protocol, load and size bucket: see rack.lib), WORKLOAD-raw.csv
# (every client's homa_bench rows), WORKLOAD-LOAD.png (slowdown P50 and
# P99 against message size, Homa and TCP, for each load). Slowdown is an
# RPC's round trip over the unloaded round trip of its size with the same
# protocol. Other settings of rack.lib can be passed in VM_APPEND, e.g.
# VM_APPEND="RACK_RATE=200 RACK_K=3". Exit status: 0 if the VM test
# passed and produced rows.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
kver=
workload=w4
seconds=40
log=
while getopts k:w:s:l:h opt; do
	case $opt in
	k) kver=$OPTARG ;;
	w) workload=$(tr '[:upper:]' '[:lower:]' <<<"$OPTARG") ;;
	s) seconds=$OPTARG ;;
	l) log=$OPTARG ;;
	h)
		sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	*) exit 2 ;;
	esac
done
case $workload in
w[2-5]) ;;
*) echo "rack.sh: -w: expected w2, w3, w4 or w5, not $workload" >&2; exit 2 ;;
esac
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 2 ] || [ "$seconds" -gt 240 ]; then
	echo "rack.sh: -s: expected 2 to 240 seconds, not $seconds" >&2
	exit 2
fi
out=$top/build/rack
mkdir -p "$out"
name=$workload

if [ -z "$log" ]; then
	workloads=${HOMA_WORKLOADS:-$top/../shared/workloads}
	if [ ! -f "$workloads/$workload.cdf" ]; then
		echo "rack.sh: no $workloads/$workload.cdf (set HOMA_WORKLOADS)" >&2
		exit 1
	fi
	export HOMA_WORKLOADS=$workloads
	[ -n "$kver" ] || kver=$("$top/scripts/kernels.sh" | head -n 1)
	make -C "$top" --no-print-directory -s module tools KVER="$kver"
	cal=$((seconds / 2))
	[ "$cal" -ge 10 ] || cal=10
	log=$out/$name.log
	echo "rack.sh: $workload on $kver, $seconds s per load run; about" \
		"$((5 * seconds + 60)) s in the VM (output: $log)" >&2
	set +e
	VM_APPEND="${VM_APPEND:-} RACK_FULL=1 RACK_WORKLOAD=$workload RACK_SECONDS=$seconds RACK_CAL_SECONDS=$cal" \
		"$top/tests/vm/run.sh" -k "$kver" -v -t rack/full rack >"$log" 2>&1
	status=$?
	set -e
	grep -E '^(ok|not ok) ' "$log" >&2 || true
else
	status=0
fi

# section BEGIN END: the lines between the marker lines of the test's
# output (shown by the harness as "# LINE").
section() {
	sed -n "/^# $1\$/,/^# $2\$/p" "$log" | sed -e '1d' -e '$d' -e 's/^# //'
}
section RACK-CSV-BEGIN RACK-CSV-END >"$out/$name.csv"
section RACK-RAW-BEGIN RACK-RAW-END >"$out/$name-raw.csv"
if [ "$(wc -l <"$out/$name.csv")" -lt 2 ]; then
	echo "rack.sh: no results in $log:" >&2
	grep -v '^# kernel:' "$log" | tail -n 30 >&2
	exit 1
fi

# col NAME: awk code for the column NAME of the aggregated CSV.
loads=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["load_pct"] > 0 && !seen[$c["load_pct"]]++ { print $c["load_pct"] }' \
	"$out/$name.csv")
setting=$(sed -n 's/^# rack: //p' "$log" | head -n 1)
# "kernel K, 4 hosts, ports 200 Mbit/s" for the plots.
short_setting=$(sed -n 's/^kernel \([^,]*\),.*; \([0-9]* hosts, ports [0-9]* Mbit\/s\).*/kernel \1, \2/p' <<<"$setting")
upper=$(tr '[:lower:]' '[:upper:]' <<<"$workload")

# Plots: one per load, slowdown P50 and P99 against the bucket's upper
# bound, for each protocol.
if command -v gnuplot >/dev/null; then
	for load in $loads; do
		for p in homa tcp; do
			awk -F, -v p="$p" -v l="$load" '
			NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["proto"] == p && $c["load_pct"] == l &&
			$c["bucket"] != "all" && $c["slowdown_p50"] != "" {
				print $c["bucket_max"], $c["slowdown_p50"],
				      $c["slowdown_p99"], $c["rpcs"]
			}' "$out/$name.csv" >"$out/$name-$load-$p.dat"
		done
		gnuplot <<EOT
set terminal pngcairo size 900,600 font ",11" noenhanced
set output "$out/$name-$load.png"
set title "$upper at $load% load: slowdown by message size\n$short_setting"
set logscale xy
set xlabel "request size, upper bound of the bucket (bytes)"
set ylabel "slowdown (RTT / unloaded RTT)"
set format x "%.0s%c"
set grid
set key outside bottom center horizontal
plot "$out/$name-$load-homa.dat" using 1:3 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "Homa P99", \
     "$out/$name-$load-homa.dat" using 1:2 with linespoints lw 2 pt 6 dt 2 lc rgb "#1f77b4" title "Homa P50", \
     "$out/$name-$load-tcp.dat" using 1:3 with linespoints lw 2 pt 5 lc rgb "#d62728" title "TCP P99", \
     "$out/$name-$load-tcp.dat" using 1:2 with linespoints lw 2 pt 4 dt 2 lc rgb "#d62728" title "TCP P50"
EOT
		rm -f "$out/$name-$load-homa.dat" "$out/$name-$load-tcp.dat"
		echo "plot: $out/$name-$load.png"
	done
else
	echo "rack.sh: gnuplot not installed (scripts/setup.sh): no plots" >&2
fi

# The summary.
echo
echo "$upper: $setting"
echo "slowdown = RTT / unloaded RTT of the same size and protocol;" \
	"short = requests up to 1 KB"
awk -F, '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
function f(x) { return x == "" ? "-" : sprintf("%.2f", x) }
$c["load_pct"] > 0 && $c["bucket"] == "all" {
	achieved[$c["proto"], $c["load_pct"]] = $c["achieved_pct"]
	skipped[$c["proto"], $c["load_pct"]] = $c["skipped_pct"]
	all50[$c["proto"], $c["load_pct"]] = f($c["slowdown_p50"])
	all99[$c["proto"], $c["load_pct"]] = f($c["slowdown_p99"])
}
$c["load_pct"] > 0 && $c["bucket"] == 1024 {
	key = $c["proto"] SUBSEP $c["load_pct"]
	order[++n] = key
	s50[key] = f($c["slowdown_p50"]); s99[key] = f($c["slowdown_p99"])
	r50[key] = $c["p50_us"]; r99[key] = $c["p99_us"]
}
END {
	printf "%-5s %5s %9s %8s %10s %10s %11s %11s %8s %8s\n", "proto",
	       "load", "achieved", "skipped", "short P50", "short P99",
	       "P50 RTT us", "P99 RTT us", "all P50", "all P99"
	for (i = 1; i <= n; i++) {
		split(order[i], k, SUBSEP)
		printf "%-5s %4s%% %8s%% %7s%% %10s %10s %11.0f %11.0f %8s %8s\n",
		       k[1], k[2], achieved[order[i]], skipped[order[i]],
		       s50[order[i]], s99[order[i]], r50[order[i]],
		       r99[order[i]], all50[order[i]], all99[order[i]]
	}
}' "$out/$name.csv"

for load in $loads; do
	echo
	echo "$upper at $load%: slowdown P50 / P99 by request size"
	awk -F, -v l="$load" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	function f(x) { return x == "" ? "-" : sprintf("%.1f", x) }
	$c["load_pct"] == l && $c["bucket"] != "all" {
		b = $c["bucket_max"]
		if (!(b in seen)) { seen[b] = 1; order[++n] = b
			range[b] = $c["bucket_min"] "-" $c["bucket_max"] }
		v[b, $c["proto"]] = sprintf("%7s %7s", f($c["slowdown_p50"]),
					    f($c["slowdown_p99"]))
		rpcs[b] += $c["rpcs"]
	}
	END {
		printf "%16s %7s %15s %15s\n", "size (bytes)", "rpcs",
		       "Homa P50   P99", "TCP P50   P99"
		for (i = 1; i <= n; i++) {
			b = order[i]
			printf "%16s %7d %15s %15s\n", range[b], rpcs[b],
			       (b, "homa") in v ? v[b, "homa"] : "-",
			       (b, "tcp") in v ? v[b, "tcp"] : "-"
		}
	}' "$out/$name.csv"
done

# The headline: short messages at the highest load.
top_load=$(tr ' ' '\n' <<<"$loads" | sort -n | tail -n 1)
awk -F, -v l="$top_load" -v w="$upper" '
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["load_pct"] == l && $c["bucket"] == 1024 { v[$c["proto"]] = $c["slowdown_p99"] }
END {
	h = v["homa"]; t = v["tcp"]
	printf "\n%s %s%% short-message P99 slowdown: Homa %s, TCP %s, ratio %s (TCP/Homa)\n",
	       w, l, h == "" ? "-" : sprintf("%.1f", h),
	       t == "" ? "-" : sprintf("%.1f", t),
	       (h > 0 && t != "") ? sprintf("%.1f", t / h) : "-"
}' "$out/$name.csv"
echo "CSV: $out/$name.csv (all clients: $out/$name-raw.csv); log: $log"
exit "$status"
