#!/bin/bash
# Run the VM tests: for each kernel, build an initramfs (mkinitramfs.sh)
# holding the module, the tools and the tests, boot it in QEMU, and report
# the guest harness's results.  See usage below.
set -eu

usage() {
	cat <<'EOT'
usage: tests/vm/run.sh [-k KVER] [-t PATTERN] [-v] [SUITE...]
  -k KVER     run on this kernel only (default: each of scripts/kernels.sh)
  -t PATTERN  run only the tests whose SUITE/NAME contains PATTERN
  -v          show every test's output, not only that of failed tests
  SUITE       directories of tests/vm/suites (default: all but selftest-*,
              which tests/vm/selftest.sh runs, and faults, which
              scripts/fault-table.sh runs)
Environment: VM_TIMEOUT overrides the whole-VM timeout in seconds;
VM_APPEND adds kernel command line arguments (NAME=VALUE ones reach the
tests as environment variables); HOMA_WORKLOADS is a directory whose
*.cdf message-size distributions the guest gets in /opt/testbed/workloads
(default: shared/workloads beside the checkout, if it exists; they are
not part of the project).
Console logs: build/vm/KVER/console.log.
EOT
}

vmdir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$vmdir/../.." && pwd)

kver=
pattern=
verbose=
while getopts k:t:vh opt; do
	case $opt in
	k) kver=$OPTARG ;;
	t) pattern=$OPTARG ;;
	v) verbose=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ $# -gt 0 ]; then
	suites=("$@")
else
	suites=()
	for dir in "$vmdir"/suites/*/; do
		dir=${dir%/}
		case ${dir##*/} in
		selftest-* | faults) ;;
		*) suites+=("${dir##*/}") ;;
		esac
	done
fi

# The selected tests, one "SUITE/NAME TIMEOUT" line each.
tests=
for suite in "${suites[@]}"; do
	if [ ! -d "$vmdir/suites/$suite" ]; then
		echo "run.sh: no suite $suite in $vmdir/suites" >&2
		exit 2
	fi
	for file in "$vmdir/suites/$suite"/*.sh; do
		[ -e "$file" ] || continue
		name=$suite/$(basename "$file" .sh)
		case $name in
		*"$pattern"*) ;;
		*) continue ;;
		esac
		timeout=$(sed -n '1,10s/^# timeout: *\([0-9][0-9]*\) *$/\1/p' \
			"$file" | head -n 1)
		tests+="$name ${timeout:-60}"$'\n'
	done
done
if [ -z "$tests" ]; then
	echo "run.sh: no tests selected" >&2
	exit 2
fi

# The whole VM may take the sum of the test timeouts, plus per-test
# cleanup and boot.
vm_timeout=60
while read -r _ timeout; do
	vm_timeout=$((vm_timeout + timeout + 10))
done <<<"$tests"
vm_timeout=${VM_TIMEOUT:-$vm_timeout}

if [ -n "$kver" ]; then
	kernels=$kver
	prefix=
else
	kernels=$("$top/scripts/kernels.sh")
	prefix=1
fi

# One VM at a time on this machine: concurrent runs (other checkouts,
# helpers) wait for each other instead of starving each other's guests.
exec 9>/tmp/homa-vm.lock
flock 9

total_pass=0
total_fail=0
total_skip=0

# Build the test bed's own test modules for kernel $1, in a copy of their
# sources under build/KVER/testbed so that kernels never share objects.
build_testbed_modules() {
	local dir=$top/build/$1/testbed
	mkdir -p "$dir"
	cp -p "$vmdir"/warn-module/{Kbuild,Makefile,*.c} "$dir/"
	if ! make -C "/lib/modules/$1/build" M="$dir" modules \
		>"$dir/build.log" 2>&1; then
		cat "$dir/build.log" >&2
		echo "run.sh: building the test-bed module for $1 failed" >&2
		return 1
	fi
}

# Copy the VM console from stdin to $1 and the harness's result and
# diagnostic lines to stdout.
filter_console() {
	local line start
	start=$(date +%s.%N)
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$1"
		case $line in
		"1.."*)
			[ -z "$verbose" ] || awk -v s="$start" -v e="$(date +%s.%N)" -v t="$tag" \
				'BEGIN { printf "%s# qemu start to first test: %.1fs\n", t, e - s }'
			;;
		"ok "* | "not ok "* | "# "* | [0-9]*" passed, "*)
			printf '%s%s\n' "$tag" "$line"
			;;
		esac
	done
}

# Boot kernel $1 with initramfs $2, the console to log $3 (filtered to
# stdout); qemu's exit status goes to rc.
boot_vm() {
	: >"$3"
	set +e
	timeout -k 5 "$vm_timeout" qemu-system-x86_64 \
		-accel tcg -smp 2 -m 1G -nographic -no-reboot -nic none \
		-kernel "/boot/vmlinuz-$1" -initrd "$2" \
		-append "console=ttyS0 quiet panic=-1 oops=panic rdinit=/init ${VM_APPEND:-}" \
		</dev/null 2>&1 |
		# Drop the serial line's \r and the terminal resets that the
		# firmware and kernel print, which would glue onto the next line.
		sed -u -e 's/\r$//' -e 's/\x1bc//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' |
		filter_console "$3"
	rc=${PIPESTATUS[0]}
	set -e
}

# Run the selected tests on kernel $1 and add the results to the totals.
run_kernel() {
	local kver=$1 out=$top/build/vm/$1 log rc summary pass fail skip cause
	local tag=${prefix:+[$kver] }
	log=$out/console.log
	mkdir -p "$out"

	if grep -q '^selftest-' <<<"$tests"; then
		build_testbed_modules "$kver"
	fi
	"$vmdir/mkinitramfs.sh" "$kver" "$out/base.cpio"
	# The selection goes into a second archive appended to the image.
	rm -rf "$out/conf"
	mkdir -p "$out/conf/etc/testbed"
	printf '%s' "$tests" >"$out/conf/etc/testbed/tests"
	local workloads=${HOMA_WORKLOADS:-$top/../shared/workloads}
	if compgen -G "$workloads/*.cdf" >/dev/null; then
		mkdir -p "$out/conf/opt/testbed/workloads"
		cp "$workloads"/*.cdf "$out/conf/opt/testbed/workloads/"
	fi
	[ -z "$verbose" ] || : >"$out/conf/etc/testbed/verbose"
	(cd "$out/conf" && find . -mindepth 1 |
		cpio --quiet -o -H newc -R 0:0) >"$out/conf.cpio"
	cat "$out/base.cpio" "$out/conf.cpio" >"$out/initrd.cpio"

	# The distribution kernel itself has panicked under TCG (rarely: once
	# in CI's record), before /init ran and before any module loaded. Such a
	# boot says nothing about the tests, so it is tried once more; a second
	# one, or any panic after /init started, is a failure.
	local attempt
	for attempt in 1 2; do
		boot_vm "$kver" "$out/initrd.cpio" "$log"
		if [ "$attempt" = 2 ] || ! grep -q 'Kernel panic' "$log" ||
			grep -q '^testbed: /init started' "$log"; then
			break
		fi
		cp "$log" "$out/console-boot-panic.log"
		echo "${tag}# the kernel panicked while booting, before /init ran" \
			"(log in $out/console-boot-panic.log); booting again"
	done

	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]] &&
		[ "$rc" -ne 124 ]; then
		pass=${BASH_REMATCH[1]}
		fail=${BASH_REMATCH[2]}
		skip=${BASH_REMATCH[4]:-0}
	else
		skip=$(grep -c '^ok .* # SKIP' "$log" || true)
		pass=$(($(grep -c '^ok ' "$log" || true) - skip))
		fail=$(grep -c '^not ok ' "$log" || true)
		if [ -n "$summary" ]; then
			cause="VM did not power off within ${vm_timeout}s"
		elif [ "$rc" -eq 124 ]; then
			cause="VM timed out after ${vm_timeout}s"
		elif grep -q 'Kernel panic' "$log"; then
			cause="kernel panic: $(grep -o 'Kernel panic - .*' "$log" |
				head -n 1 | sed 's/^Kernel panic - //')"
		else
			cause="VM ended without a summary line (qemu exit status $rc)"
		fi
		echo "${tag}# last lines of $log:"
		tail -n 40 "$log" | sed "s/^/${tag}# | /"
		echo "${tag}not ok - $cause"
		fail=$((fail + 1))
		if [ "$skip" -gt 0 ]; then
			echo "${tag}$pass passed, $fail failed, $skip skipped"
		else
			echo "${tag}$pass passed, $fail failed"
		fi
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
}

for k in $kernels; do
	run_kernel "$k"
done

if [ -n "$prefix" ]; then
	if [ "$total_skip" -gt 0 ]; then
		echo "$total_pass passed, $total_fail failed, $total_skip skipped"
	else
		echo "$total_pass passed, $total_fail failed"
	fi
fi
[ "$total_fail" -eq 0 ]
