#!/bin/bash
# Self-test of the VM test bed: prove that run.sh catches every kind of
# failure, on one kernel (default: the first of scripts/kernels.sh).
#
#   tests/vm/selftest.sh [-k KVER]
#
# 1. The selftest-bad suite: warn, hang and exit-fail must be reported
#    "not ok" with the right reason, pass must be "ok" (it runs after
#    failures), and run.sh must exit non-zero.
# 2. A guest that does nothing at all (kernel argument testbed.hang) must
#    be reported as a VM timeout, in bounded time.
# 3. A guest kernel panic (selftest-panic suite) must be reported.
set -eu

vmdir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$vmdir/../.." && pwd)

kver=
while getopts k: opt; do
	case $opt in
	k) kver=$OPTARG ;;
	*) echo "usage: $0 [-k KVER]" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] || kver=$("$top/scripts/kernels.sh" | head -n 1)
outdir=$top/build/vm/$kver
mkdir -p "$outdir"

n=0
failed=0

# check DESCRIPTION COMMAND...: report whether COMMAND succeeds.
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		failed=$((failed + 1))
	fi
}

# has FILE REGEX: FILE has a line matching the extended REGEX.
has() {
	grep -qE "$2" "$1"
}

# run NAME [ENV=VALUE...] COMMAND...: run COMMAND, saving its output
# in $outdir/selftest-NAME.out, its exit status in $rc and its duration
# in $elapsed.
run() {
	local name=$1 start
	shift
	out=$outdir/selftest-$name.out
	start=$SECONDS
	echo "# $*"
	set +e
	env "$@" >"$out" 2>&1
	rc=$?
	set -e
	elapsed=$((SECONDS - start))
}

run bad "$vmdir/run.sh" -k "$kver" selftest-bad
check "warn.sh fails because of the WARNING in the kernel log" \
	has "$out" '^not ok [0-9]+ selftest-bad/warn # kernel log: WARNING: '
check "hang.sh fails with TIMEOUT after 5s" \
	has "$out" '^not ok [0-9]+ selftest-bad/hang # TIMEOUT after 5s$'
check "exit-fail.sh fails with exit status 1" \
	has "$out" '^not ok [0-9]+ selftest-bad/exit-fail # exit status 1$'
check "pass.sh passes after the failures" \
	has "$out" '^ok [0-9]+ selftest-bad/pass$'
check "summary is 1 passed, 3 failed and run.sh exits non-zero ($rc)" \
	eval 'has "$out" "^1 passed, 3 failed$" && [ "$rc" -ne 0 ]'

run hang VM_TIMEOUT=20 VM_APPEND=testbed.hang \
	"$vmdir/run.sh" -k "$kver" -t pass selftest-bad
check "a hung guest is reported as a VM timeout, counted as a failure" \
	eval 'has "$out" "^not ok - VM timed out after 20s$" &&
		has "$out" "^0 passed, 1 failed$"'
# 20 s of VM, 5 s for timeout's KILL, the rest for building the image.
check "run.sh exits non-zero ($rc) within 45s ($elapsed s)" \
	eval '[ "$rc" -ne 0 ] && [ "$elapsed" -le 45 ]'

run panic "$vmdir/run.sh" -k "$kver" selftest-panic
check "a guest kernel panic is reported, run.sh exits non-zero ($rc)" \
	eval 'has "$out" "^not ok - kernel panic" &&
		has "$out" "^0 passed, 1 failed$" && [ "$rc" -ne 0 ]'
check "a panic after /init started is not retried" \
	eval '! has "$out" "booting again"'

# Without its /init the kernel panics while booting: run.sh boots once
# more, then reports the second panic.
run boot-panic VM_APPEND=rdinit=/nonexistent \
	"$vmdir/run.sh" -k "$kver" -t pass selftest-bad
check "a panic while booting is retried once, then fails ($rc)" \
	eval '[ "$(grep -c "booting again" "$out")" = 1 ] &&
		has "$out" "^not ok - kernel panic" &&
		has "$out" "^0 passed, 1 failed$" && [ "$rc" -ne 0 ]'

if [ "$failed" -ne 0 ]; then
	echo "# run.sh outputs: $outdir/selftest-*.out"
fi
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
