#!/bin/sh
# Style and static checks, one result line each, then "N passed, N failed":
#   checkpatch --strict on the module, the uapi header and user-space C;
#   sparse on the module for every supported kernel installed.
# checkpatch.pl comes from Debian's linux-source-6.12 (scripts/setup.sh
# installs it); it is unpacked once into build/lint.
set -u
cd "$(dirname "$0")/.." || exit 1

. scripts/lib.sh

checkpatch=build/lint/scripts/checkpatch.pl
if [ ! -x "$checkpatch" ]; then
	tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | tail -n 1)
	if [ -n "$tarball" ]; then
		mkdir -p build/lint
		tar -xJf "$tarball" -C build/lint --strip-components=1 \
			--wildcards '*/scripts/checkpatch.pl' \
			'*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch'
	fi
fi

# Prints only the findings, one a line.
cp_run() {
	"$checkpatch" --strict --no-tree --terse --show-types -f "$@" \
		2>/dev/null | grep -E ': (ERROR|WARNING|CHECK):'
}

if [ -x "$checkpatch" ]; then
	# homa_compat.h exists to test kernel versions.
	out=$({ cp_run $(ls src/*.c src/*.h | grep -v homa_compat.h)
		cp_run --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
			src/homa_compat.h
		# User space (the uapi header included): C library types,
		# plain attributes and C11 keywords are right there, and
		# test assertions must return early.
		cp_run --ignore PREFER_KERNEL_TYPES,PREFER_PACKED,PREFER_PRINTF,PREFER_DEFINED_ATTRIBUTE_MACRO,CAMELCASE,MACRO_WITH_FLOW_CONTROL,MACRO_ARG_REUSE,EMBEDDED_FUNCTION_NAME,SPLIT_STRING \
			include/uapi/linux/homa.h \
			$(ls tools/*.c tools/lib/*.[ch] tests/progs/*.c \
			     tests/unit/*.c tests/fuzz/*.c \
			     tests/unit/*.h 2>/dev/null)
	})
	[ -n "$out" ] && echo "$out"
	[ -z "$out" ]
	result $? "checkpatch --strict"
else
	echo "checkpatch.pl not found: run scripts/setup.sh" >&2
	result 1 "checkpatch --strict"
fi

for kver in $(scripts/kernels.sh); do
	make --no-print-directory -s module KVER="$kver" >/dev/null 2>&1
	out=$(make --no-print-directory -s -C "/lib/modules/$kver/build" \
		M="$PWD/build/$kver" C=2 W=1 modules 2>&1 |
		grep -v -e '^make' -e '^  [A-Z]' -e 'Skipping BTF')
	[ -n "$out" ] && echo "$out"
	[ -z "$out" ]
	result $? "sparse and W=1 build, $kver"
done

finish
