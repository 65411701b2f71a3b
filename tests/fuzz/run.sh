#!/bin/bash
# Run a libFuzzer target for a bounded time on the seed corpus (corpus/)
# and on what earlier runs added (build/fuzz/corpus), and end with the
# line "fuzz: N passed, N failed" (1 passed when nothing was found).
# usage: run.sh BINARY SECONDS [SEED]   (SECONDS 0: replay the corpus only)
set -u
bin=$1
seconds=$2
seed=${3:-1}
dir=$(cd "$(dirname "$0")" && pwd)
out=$(dirname "$bin")
name=$(basename "$bin")
mkdir -p "$out/corpus" "$out/findings"

if [ "$seconds" = 0 ]; then
	limit=(-runs=0)
else
	limit=(-max_total_time="$seconds")
fi
echo "$name: ${seconds}s, seed $seed, corpus $dir/corpus + $out/corpus"
"$bin" "${limit[@]}" -seed="$seed" -timeout=10 -rss_limit_mb=2048 \
	-max_len=4096 -print_final_stats=1 \
	-artifact_prefix="$out/findings/$name-" \
	"$out/corpus" "$dir/corpus" >"$out/$name.log" 2>&1
rc=$?
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
	"$out/$name.log"
if [ "$rc" != 0 ]; then
	echo "--- $name found a problem (exit status $rc); end of $out/$name.log:"
	tail -n 40 "$out/$name.log"
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$out/$name.log" |
		tail -n 1)
	[ -z "$crash" ] ||
		echo "reproduce: $bin $crash"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
echo "fuzz: 1 passed, 0 failed"
