#!/bin/bash
# Run every test of the project and end with one line "N passed, N failed"
# totalling all of them:
#   1. build homa.ko for every supported kernel and the user-space programs;
#      make install/uninstall into a scratch DESTDIR
#      (scripts/install-test.sh); DKMS add, build, install and remove for
#      every supported kernel (scripts/dkms-test.sh)
#   2. user-space unit tests of the functional core, and 30 s of
#      libFuzzer on the receive path (tests/fuzz)
#   3. static checks (checkpatch, sparse, W=1), and the manual pages
#      against the code (scripts/doccheck.sh)
#   4. the VM suites, on every supported kernel, and the fault matrix
#      (tests/vm/suites/faults) with 2,000 RPCs per setting; its table is
#      written to build/fault-table.md
#   5. the Wireshark dissector (tools/wireshark/homa.lua) with tshark, on
#      hand-made packets and on captures from the VM on every supported
#      kernel (scripts/dissector-test.sh)
#   6. the VM test bed's self-tests (a WARN, a hang and a panic must fail)
# A step that cannot run at all counts as one failure.
# Usage: scripts/check.sh [-k KVER]   (-k: VM suites, fault matrix and
# dissector captures on that kernel only)
set -u
cd "$(dirname "$0")/.." || exit 1

kver_args=()
if [ "${1:-}" = -k ] && [ -n "${2:-}" ]; then
	kver_args=(-k "$2")
fi

scripts/setup.sh || exit 1
mkdir -p build
passed=0
failed=0

# step NAME COMMAND...: run a step, echo its output, add up its summary.
step() {
	local name=$1 log=build/check-$1.log line
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	local status=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" |
		tail -n 1)
	if [ -n "$line" ]; then
		line=${line#*: }
		# shellcheck disable=SC2086 # split "N passed, N failed"
		set -- $line
		passed=$((passed + $1))
		failed=$((failed + $3))
		# A step that failed while its own counts say otherwise.
		if [ "$status" != 0 ] && [ "$3" = 0 ]; then
			failed=$((failed + 1))
		fi
	elif [ "$status" = 0 ]; then
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		failed=$((failed + 1))
	fi
}

step build make --no-print-directory modules-all tools
step install scripts/install-test.sh
step dkms scripts/dkms-test.sh
step unit make --no-print-directory unit
step fuzz make --no-print-directory fuzz FUZZ_SECONDS=30
step lint scripts/lint.sh
step doccheck scripts/doccheck.sh
step vm tests/vm/run.sh "${kver_args[@]}"
step faults scripts/fault-table.sh "${kver_args[@]}" -n 2000 \
	-o build/fault-table.md
step dissector scripts/dissector-test.sh "${kver_args[@]}"
step vm-selftest tests/vm/selftest.sh

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
