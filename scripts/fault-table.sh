#!/bin/bash
# Run the faults VM suite and print its results as a markdown table, one
# row per kernel and fault setting, then a line "N passed, N failed":
#
#   scripts/fault-table.sh [-k KVER]... [-n RPCS] [-t PATTERN] [-o FILE]
#   scripts/fault-table.sh -l LOG [-k KVER]
#
#   -k KVER     kernel to run on (default: each of scripts/kernels.sh)
#   -n RPCS     RPCs per setting instead of each test's own count (10,000
#               for the stress settings); CI runs -n 2000
#   -t PATTERN  only the tests whose name contains PATTERN (run.sh -t)
#   -o FILE     also write the table to FILE
#   -l LOG      do not run anything: read the output of an earlier
#               "tests/vm/run.sh -v faults" from LOG (on kernel KVER)
#
# Each test of tests/vm/suites/faults prints "FAULTROW setting=... rpcs=N
# completed=N lost=N dup=N stuck=N failed=N errors=..." lines; the table
# shows them with the test's verdict: "kernel warnings" is the kernel log
# line the harness failed the test for (WARN, BUG, leak...), or "none";
# "result" is ok or the reason the test failed. A test that failed before
# printing a row still gets one. The runs' output goes to stderr and is
# kept in build/fault-table-KVER.log. Exit status: 0 if every test
# passed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
kvers=()
rpcs=
pattern=
out=
log=
while getopts k:n:t:o:l:h opt; do
	case $opt in
	k) kvers+=("$OPTARG") ;;
	n) rpcs=$OPTARG ;;
	t) pattern=$OPTARG ;;
	o) out=$OPTARG ;;
	l) log=$OPTARG ;;
	h)
		sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
		exit 0
		;;
	*) exit 2 ;;
	esac
done
if [ ${#kvers[@]} = 0 ]; then
	mapfile -t kvers < <("$top/scripts/kernels.sh")
fi

# rows LOG KVER: the table rows of one run's output.
rows() {
	awk -v kernel="$2" '
function field(line, name,    n, i, parts, kv) {
	n = split(line, parts, " ")
	for (i = 1; i <= n; i++) {
		if (index(parts[i], name "=") == 1)
			return substr(parts[i], length(name) + 2)
	}
	return "-"
}
function flush_test() {
	if (test != "" && !rows_of_test)
		row(test, "-", "-", "-", "-", "-")
	rows_of_test = 0
}
function row(setting, rpcs, lost, dup, stuck, failed) {
	printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", kernel,
	       setting, rpcs, lost, dup, stuck, failed, warnings, result
	rows_of_test++
}
{
	sub(/^\[[^]]*\] /, "")
}
/^(not )?ok [0-9]+ / {
	flush_test()
	test = $0
	sub(/^(not )?ok [0-9]+ /, "", test)
	reason = ""
	if (index(test, " # ")) {
		reason = substr(test, index(test, " # ") + 3)
		test = substr(test, 1, index(test, " # ") - 1)
	}
	sub(/^faults\//, "", test)
	warnings = "none"
	if (match(reason, /kernel log: .*/))
		warnings = substr(reason, RSTART + 12)
	gsub(/\|/, "/", warnings)
	result = /^ok/ ? "ok" : "not ok: " reason
	gsub(/\|/, "/", result)
	next
}
/^# FAULTROW / {
	failed = field($0, "failed")
	if (failed != "0" && failed != "-")
		failed = failed " (" field($0, "errors") ")"
	row(field($0, "setting"), field($0, "rpcs"), field($0, "lost"),
	    field($0, "dup"), field($0, "stuck"), failed)
}
END {
	flush_test()
}
' "$1"
}

# run KVER: run the suite on KVER, its output to stderr and a log file.
run() {
	mkdir -p "$top/build"
	VM_APPEND="${VM_APPEND:-}${rpcs:+ FAULT_RPCS=$rpcs}" \
		"$top/tests/vm/run.sh" -k "$1" ${pattern:+-t "$pattern"} \
		-v faults | tee "$top/build/fault-table-$1.log" >&2
}

status=0
passed=0
failed=0
table=$(
	echo "| kernel | setting | RPCs | lost | duplicated | stuck | failed (errno) | kernel warnings | result |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for kver in "${kvers[@]}"; do
		file=$log
		if [ -z "$file" ]; then
			run "$kver" || true
			file=$top/build/fault-table-$kver.log
		fi
		rows "$file" "$kver"
	done
)
for kver in "${kvers[@]}"; do
	file=${log:-$top/build/fault-table-$kver.log}
	summary=$(sed 's/^\[[^]]*\] //' "$file" |
		grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$summary" ]; then
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086 # split "N passed, N failed"
	set -- $summary
	passed=$((passed + $1))
	failed=$((failed + $3))
done
echo "$table"
[ -z "$out" ] || echo "$table" >"$out"
[ "$failed" = 0 ] || status=1
echo "$passed passed, $failed failed"
exit "$status"
