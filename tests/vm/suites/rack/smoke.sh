#!/bin/sh
# timeout: 90
# The emulated rack (rack.lib) in brief, so that it and homa_bench's open
# loop keep working: 4 hosts, 100 Mbit/s switch ports with 8 priority
# bands, W4 (a synthetic distribution if the workloads were not passed
# in), for Homa and TCP an unloaded run of 3 s and an open-loop run of
# 4 s at 50% load from every host. Checks that each protocol produced its
# rows: a load carried, few arrivals skipped, and for the short messages
# (the bucket up to 1 KB) RPCs, round trips and slowdowns that make sense.
# The figures are printed, not judged: scripts/rack.sh makes the real
# measurement. About 30 s of guest time.
set -u
# Whatever the kernel command line says (scripts/rack.sh's settings).
export RACK_SECONDS=4 RACK_CAL_SECONDS=3 RACK_LOADS=50 RACK_WORKLOAD=w4
# shellcheck source=/dev/null
. "$TESTBED/suites/rack/rack.lib"

rack_setup
if [ -z "$RACK_CDF" ]; then
	echo "no workload w4 passed in (HOMA_WORKLOADS): a synthetic one"
	printf '%s\n' "100 0.5" "1000 0.6" "10000 0.75" "100000 0.95" \
		"1000000 1.0" >synthetic.cdf
	RACK_CDF=$PWD/synthetic.cdf
fi
rack_run
rack_report

# check PROTO LOAD BUCKET TEST: the aggregated row's fields pass the awk
# condition TEST (column names as variables).
check() {
	awk -F, -v p="$1" -v l="$2" -v b="$3" -v what="$4" '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["proto"] == p && $c["load_pct"] == l && $c["bucket"] == b {
		found = 1
		rpcs = $c["rpcs"]; p50 = $c["p50_us"]; p99 = $c["p99_us"]
		sd50 = $c["slowdown_p50"]; sd99 = $c["slowdown_p99"]
		achieved = $c["achieved_pct"]; skipped = $c["skipped_pct"]
		ok = '"$4"'
	}
	END {
		if (!found) { print "FAIL: no row " p " " l "% " b; exit 1 }
		if (!ok) { print "FAIL: " p " " l "% " b ": not " what; exit 1 }
		print "ok: " p " " l "% " b ": " what
	}' rack.csv
}

bad=0
for p in homa tcp; do
	check "$p" 0 1024 "rpcs > 0 && p50 > 0 && p99 >= p50" || bad=1
	check "$p" 50 all "achieved > 20 && skipped < 20" || bad=1
	check "$p" 50 1024 "rpcs > 0 && p50 > 0 && p99 >= p50" || bad=1
	check "$p" 50 1024 "sd50 > 0.2 && sd50 < 1000 && sd99 >= sd50" || bad=1
done
[ "$bad" = 0 ] || die "the rack's rows are not sane"
