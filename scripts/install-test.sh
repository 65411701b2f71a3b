#!/bin/bash
# "make install" and "make uninstall" into a scratch DESTDIR, for every
# supported kernel installed (scripts/kernels.sh).  One "ok N TEXT" or
# "not ok N TEXT" line per check, then "N passed, N failed":
#   - make install (first kernel) and make install-module (the others)
#     succeed;
#   - the tree holds exactly the expected files with their modes:
#     lib/modules/KVER/extra/homa.ko per kernel, the uapi header as
#     PREFIX/include/linux/homa.h, every tool of tools/NAME.c that has a
#     page man/NAME.N in PREFIX/bin, every page man/NAME.N in
#     PREFIX/share/man/manN, plus depmod's index files and two files
#     that were there before;
#   - depmod ran: modprobe, reading only that tree, resolves homa's
#     protocol alias to the installed homa.ko, for each kernel;
#   - make uninstall removes exactly those files: only the index files
#     and the files that were there before remain, and modprobe no
#     longer finds homa.
# Needs no root: nothing is written outside build/ and the scratch tree.
set -eu
cd "$(dirname "$0")/.."

. scripts/lib.sh
log=build/install-test.log

# run TEXT COMMAND...: one check that COMMAND succeeds (output to $log).
run() {
	local text=$1 status=0
	shift
	echo "\$ $*" >>"$log"
	"$@" >>"$log" 2>&1 || status=$?
	result "$status" "$text" "$([ "$status" = 0 ] || tail -n 15 "$log")"
}

# The files "make install" must put in $dest for kernels $@, as "PATH
# MODE" lines, sorted; these rules restate the Makefile's independently.
expected() {
	local k c name page
	for k; do
		echo "lib/modules/$k/extra/homa.ko 644"
	done
	echo "usr/local/include/linux/homa.h 644"
	for c in tools/*.c; do
		name=$(basename "$c" .c)
		for page in man/"$name".[1-9]; do
			[ -f "$page" ] && echo "usr/local/bin/$name 755"
			break
		done
	done
	for page in man/*.[1-9]; do
		echo "usr/local/share/man/man${page##*.}/${page##*/} 644"
	done
	echo "usr/local/bin/other-tool 755"
	echo "usr/local/share/man/man1/other-tool.1 644"
}

# The files in $dest as "PATH MODE" lines, without depmod's indexes.
actual() {
	find "$dest" \( -type f -o -type l \) -printf '%P %m\n' |
		grep -v '^lib/modules/[^/]*/modules\.' | LC_ALL=C sort
}

# check_tree TEXT KVER...: the tree holds exactly expected KVER...
check_tree() {
	local text=$1 diffs
	shift
	diffs=$(diff <(expected "$@" | LC_ALL=C sort) <(actual) |
		sed -n -e 's/^</missing:/p' -e 's/^>/unexpected:/p') || true
	result "${diffs:+1}" "$text" "$diffs"
}

# check_alias KVER WANT: modprobe in $dest resolves IPv4's and IPv6's
# Homa socket aliases to homa, and homa to WANT ("" for not found).
check_alias() {
	local kver=$1 want=$2 got fam
	for fam in 2 10; do
		got=$(modprobe -d "$dest" -S "$kver" \
			-R "net-pf-$fam-proto-146-type-2" 2>/dev/null) || true
		if [ -n "$want" ] && [ "$got" != homa ]; then
			echo "net-pf-$fam-proto-146-type-2 resolves to '$got'"
		fi
		if [ -z "$want" ] && [ -n "$got" ]; then
			echo "net-pf-$fam-proto-146-type-2 still resolves to '$got'"
		fi
	done
	got=$(modprobe -d "$dest" -S "$kver" --show-depends homa 2>/dev/null |
		awk '$1 == "insmod" { print $2 }') || true
	[ "$got" = "$want" ] || echo "homa resolves to '$got', not '$want'"
}

mkdir -p build
: >"$log"
kernels=$(scripts/kernels.sh) || {
	result 1 "supported kernels installed"
	finish
}
# shellcheck disable=SC2086 # one word per kernel
set -- $kernels
dest=$(mktemp -d "${TMPDIR:-/tmp}/homa-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT

# Files of other packages that install and uninstall must leave alone.
mkdir -p "$dest/usr/local/bin" "$dest/usr/local/share/man/man1"
printf '#!/bin/sh\n' >"$dest/usr/local/bin/other-tool"
chmod 755 "$dest/usr/local/bin/other-tool"
: >"$dest/usr/local/share/man/man1/other-tool.1"
chmod 644 "$dest/usr/local/share/man/man1/other-tool.1"

run "make install DESTDIR=... KVER=$1" \
	make --no-print-directory install DESTDIR="$dest" KVER="$1"
for k in "${@:2}"; do
	run "make install-module DESTDIR=... KVER=$k" \
		make --no-print-directory install-module DESTDIR="$dest" KVER="$k"
done
check_tree "installed exactly: homa.ko per kernel, header, tools, man pages" "$@"
missing=
for tool in homa_smoke homa_bench homa_metrics; do
	[ -x "$dest/usr/local/bin/$tool" ] || missing="$missing $tool"
done
result "${missing:+1}" "homa_smoke, homa_bench and homa_metrics installed" \
	"${missing:+missing:$missing}"
for k; do
	out=$(check_alias "$k" "$dest/lib/modules/$k/extra/homa.ko")
	result "${out:+1}" "depmod: modprobe finds the installed homa.ko, $k" \
		"$out"
done

for k; do
	run "make uninstall DESTDIR=... KVER=$k" \
		make --no-print-directory uninstall DESTDIR="$dest" KVER="$k"
done
# Only the other package's files and depmod's indexes may remain.
diffs=$(diff <(printf '%s\n' "usr/local/bin/other-tool 755" \
	"usr/local/share/man/man1/other-tool.1 644") <(actual) |
	sed -n -e 's/^</removed:/p' -e 's/^>/left behind:/p') || true
result "${diffs:+1}" "make uninstall removed exactly what make install installed" \
	"$diffs"
for k; do
	out=$(check_alias "$k" "")
	result "${out:+1}" \
		"depmod after uninstall: modprobe no longer finds homa, $k" "$out"
done

finish
