# shellcheck shell=sh
# What the check scripts share; source it after cd to the top of the tree:
#
#	. scripts/lib.sh
#
# result STATUS TEXT [DETAILS]: one line "ok N TEXT" when STATUS is 0 or
# empty, else "not ok N TEXT" and then DETAILS (any number of lines),
# each behind "#   ".
# finish: print "N passed, N failed" and exit, with status 0 only if
# nothing failed.

passed=0
failed=0
n=0

result() {
	n=$((n + 1))
	if [ "${1:-0}" = 0 ]; then
		echo "ok $n $2"
		passed=$((passed + 1))
	else
		echo "not ok $n $2"
		[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}
