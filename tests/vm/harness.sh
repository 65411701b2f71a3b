#!/bin/bash
# Test harness, run by /init inside the test VM.
#
# Runs the tests listed in /etc/testbed/tests (lines "SUITE/NAME TIMEOUT",
# written by run.sh) one after the other, each in its own process group
# and in a fresh temporary directory, and reports TAP-like lines on the
# console.  After each test it removes what the test may have left behind
# (processes, network namespaces and devices, the homa module) and checks
# the kernel log; a test fails if it exits non-zero, times out, leaves
# homa in use, or makes the kernel complain.  Exit status 77 means skip.
# If /etc/testbed/verbose exists, every test's output is shown, not only
# that of failed tests.
set -u

export TESTBED=/opt/testbed
export PATH=/opt/homa/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp

# Kernel log lines that make a test fail; "leak" is also matched
# case-insensitively (see check_kernel_log).
BAD_KLOG='WARNING:|BUG:|BUG |Oops|refcount_t|list_add corruption|list_del corruption|soft lockup|hard LOCKUP|blocked for more than|hung task|general protection|Call Trace|UBSAN|KASAN'

verbose=
[ -e /etc/testbed/verbose ] && verbose=1

# Print a file with each line prefixed by "# " (and an optional tag).
show() {
	local line
	while IFS= read -r line; do
		printf '# %s%s\n' "${2:-}" "$line"
	done <"$1"
}

# Kill every process except PID 1, this harness and kernel threads: in
# this VM, anything else was started by the test that just ended.
kill_leftovers() {
	local dir pid stat state ppid killed
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		killed=
		for dir in /proc/[0-9]*; do
			pid=${dir#/proc/}
			[ "$pid" -eq 1 ] || [ "$pid" -eq $$ ] || [ "$pid" -eq 2 ] &&
				continue
			# 2>/dev/null first: it must already apply when the
			# process is gone and "<" fails.
			read -r stat 2>/dev/null <"$dir/stat" || continue
			# The fields after "(comm) " start with state and ppid.
			read -r state ppid _ <<<"${stat##*) }"
			[ "$ppid" -eq 2 ] || [ "$state" = Z ] && continue
			kill -KILL "$pid" 2>/dev/null && killed=1
		done
		[ -n "$killed" ] || return 0
		sleep 0.1
	done
}

# Delete the network namespaces and the devices (other than lo) in the
# initial namespace that the test left, so the next test starts clean.
clean_network() {
	local ns dev
	for ns in $(ip netns list | cut -d' ' -f1); do
		ip netns delete "$ns"
	done
	for dev in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
		[ "$dev" = lo ] || ip link delete "$dev" 2>/dev/null
	done
}

# Unload homa if the test loaded it.  Sockets of killed processes and of
# deleted namespaces are released asynchronously, so allow a moment.
unload_homa() {
	for _ in $(seq 30); do
		[ -e /sys/module/homa ] || return 0
		rmmod homa 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Run test $1 (SUITE/NAME) with timeout $2 seconds and report the result.
run_test() {
	local name=$1 timeout=$2 dir pid wd rc reasons='' skip='' bad
	n=$((n + 1))
	dir=$(mktemp -d /tmp/test.XXXXXX)

	# setsid makes the test the leader of a new process group (and
	# session), so that on timeout the whole group can be killed.
	(cd "$dir" && exec setsid "$TESTBED/suites/$name.sh") \
		</dev/null >"$dir.out" 2>&1 &
	pid=$!
	setsid sh -c 'sleep "$1"; : >"$2"; kill -KILL -- "-$3"' \
		watchdog "$timeout" "$dir.timeout" "$pid" &
	wd=$!
	# Redirecting wait's stderr hides bash's "Killed" job notice.
	wait "$pid" 2>/dev/null
	rc=$?
	kill -KILL -- "-$wd" 2>/dev/null
	wait "$wd" 2>/dev/null

	if [ -e "$dir.timeout" ]; then
		reasons="TIMEOUT after ${timeout}s"
	elif [ "$rc" -eq 77 ]; then
		skip=$(tail -n 1 "$dir.out")
	elif [ "$rc" -ne 0 ]; then
		reasons="exit status $rc"
	fi

	kill_leftovers
	clean_network
	if ! unload_homa; then
		reasons="${reasons:+$reasons; }homa still in use after test"
	fi
	dmesg -c >"$dir.dmesg"
	bad=$(grep -E -e "$BAD_KLOG" -e '[Ll][Ee][Aa][Kk]' "$dir.dmesg" |
		head -n 1 | sed 's/^\[[ 0-9.]*\] *//')
	if [ -n "$bad" ]; then
		reasons="${reasons:+$reasons; }kernel log: $bad"
	fi

	if [ -n "$reasons" ]; then
		echo "not ok $n $name # $reasons"
		fail=$((fail + 1))
	elif [ -n "$skip" ]; then
		echo "ok $n $name # SKIP $skip"
		skipped=$((skipped + 1))
	else
		echo "ok $n $name"
		pass=$((pass + 1))
	fi
	if [ -n "$reasons" ] || [ -n "$verbose" ]; then
		show "$dir.out"
		show "$dir.dmesg" "kernel: "
	fi
	rm -rf "$dir" "$dir".*
}

n=0
pass=0
fail=0
skipped=0
echo "1..$(wc -l </etc/testbed/tests)"
while read -r name timeout <&3; do
	run_test "$name" "$timeout"
done 3</etc/testbed/tests
if [ "$skipped" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skipped skipped"
else
	echo "$pass passed, $fail failed"
fi
