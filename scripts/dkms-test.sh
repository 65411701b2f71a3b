#!/bin/bash
# DKMS packaging test.  One "ok N TEXT" or "not ok N TEXT" line per check,
# then "N passed, N failed":
#   1. dkms.conf's PACKAGE_VERSION equals MODULE_VERSION in src/homa_main.c;
#   2. with the tree (git's tracked files, untracked ones under src/ and
#      include/, and dkms.conf; outside git: Makefile, dkms.conf, src/,
#      include/) copied to /usr/src/homa-VERSION,
#      "dkms add" succeeds;
#   3. per kernel of scripts/kernels.sh: "dkms build" succeeds, and the
#      homa.ko it built has that kernel's vermagic and version VERSION;
#      "dkms install --force" puts it where modprobe finds it for that
#      kernel;
#   4. "dkms remove --all" leaves the kernels' module trees as they were
#      (no homa.ko added, modprobe picks what it picked before).
# Whatever happens, the module is removed from DKMS and the /usr/src copy
# deleted on exit.  Nothing is ever loaded.  dkms comes from
# scripts/setup.sh; it writes to /usr/src, /var/lib/dkms and /lib/modules,
# so this runs as root (through sudo otherwise).  Runs are serialised
# with a lock, and a homa/VERSION that DKMS knows already is left alone.
set -eu
cd "$(dirname "$0")/.."

. scripts/lib.sh
logdir=build/dkms
log=$logdir/dkms.log

# run TEXT COMMAND...: one check that COMMAND succeeds.  Its output goes
# to $log; on failure, the end of it and of the make.log it names show.
run() {
	local text=$1 status=0 out=$logdir/last.log makelog
	shift
	"$@" >"$out" 2>&1 || status=$?
	{ echo "\$ $*"; cat "$out"; } >>"$log"
	if [ "$status" != 0 ]; then
		makelog=$(sed -n 's/^Consult \(.*make\.log\) for .*/\1/p' "$out")
		[ -z "$makelog" ] || [ ! -f "$makelog" ] ||
			{ echo "==> $makelog"; tail -n 20 "$makelog"; } >>"$out"
	fi
	result "$status" "$text" "$([ "$status" = 0 ] || tail -n 30 "$out")"
	return "$status"
}

if [ "$(id -u)" = 0 ]; then
	SUDO=
else
	SUDO=sudo
fi

mkdir -p "$logdir"
: >"$log"

# 1. One version everywhere.
version=$(sed -n 's/^MODULE_VERSION("\([^"]*\)");$/\1/p' src/homa_main.c)
# conf VAR: VAR as dkms.conf sets it (dkms sources it with bash, with
# kernelver and kernel_source_dir set).
# shellcheck disable=SC1091,SC2034
conf() {
	(kernelver=KVER kernel_source_dir=KDIR
	 . ./dkms.conf && printf '%s\n' "${!1}")
}
conf_version=$(conf PACKAGE_VERSION)
conf_name=$(conf PACKAGE_NAME)
st=0
[ -n "$version" ] && [ "$conf_version" = "$version" ] &&
	[ "$conf_name" = homa ] || st=1
result "$st" "dkms.conf: homa version '$conf_version' = MODULE_VERSION '$version'" \
	"$([ "$st" = 0 ] || echo "PACKAGE_NAME '$conf_name'; set PACKAGE_VERSION to MODULE_VERSION of src/homa_main.c")"
[ "$st" = 0 ] || finish

if ! command -v dkms >/dev/null; then
	result 1 "dkms installed" "run scripts/setup.sh"
	finish
fi
kernels=$(scripts/kernels.sh) || {
	result 1 "supported kernels installed"
	finish
}

exec 8>/tmp/homa-dkms.lock
flock 8

pkg=homa/$version
srcdir=/usr/src/homa-$version
if [ -e "$srcdir" ] || [ -n "$(dkms status "$pkg" 2>/dev/null)" ]; then
	result 1 "$pkg not yet known to DKMS" \
		"$srcdir or a DKMS entry exists already; not touching it (dkms remove $pkg --all; rm -rf $srcdir)"
	finish
fi

# Every homa.ko in the kernels' module trees, and which one modprobe
# picks for each kernel.
installed_modules() {
	local k
	for k in $kernels; do
		find "/lib/modules/$k" -name 'homa.ko*' 2>/dev/null | LC_ALL=C sort
		echo "$k: $(modinfo -k "$k" -F filename homa 2>/dev/null)"
	done
}
before=$(installed_modules)

# shellcheck disable=SC2317 # run by the trap
cleanup() {
	if [ -n "$($SUDO dkms status "$pkg" 2>/dev/null)" ]; then
		$SUDO dkms remove "$pkg" --all >>"$log" 2>&1 || true
	fi
	$SUDO rm -rf "$srcdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 2. The source tree as a package would ship it: what git tracks (as it
# is now in the work tree), new files of the module's sources, dkms.conf.
# Outside a git checkout: the files the module's build needs.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$({ git ls-files
		git ls-files --others --exclude-standard -- src include
		echo dkms.conf; } | LC_ALL=C sort -u)
else
	files=$(find Makefile dkms.conf src include -type f)
fi
$SUDO mkdir -p "$srcdir"
printf '%s\n' "$files" | while read -r f; do
	[ -f "$f" ] && printf '%s\0' "$f"
done | $SUDO xargs -0 cp --parents -t "$srcdir"
run "dkms add $pkg" $SUDO dkms add "$pkg" || finish

# 3. Build and install for each kernel.
for k in $kernels; do
	run "dkms build $pkg -k $k" $SUDO dkms build "$pkg" -k "$k" || continue
	ko=$(find "/var/lib/dkms/$pkg/$k" -name 'homa.ko*' -path '*/module/*' |
		head -n 1)
	magic=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{ print $1 }')
	modver=$(modinfo -F version "$ko" 2>/dev/null)
	st=0
	[ "$magic" = "$k" ] && [ "$modver" = "$version" ] || st=1
	result "$st" "built homa.ko: vermagic $k, version $version" \
		"$ko: vermagic '$magic', version '$modver'"

	run "dkms install --force $pkg -k $k" \
		$SUDO dkms install --force "$pkg" -k "$k" || continue
	path=$(modinfo -k "$k" -F filename homa 2>/dev/null) || true
	magic=$(modinfo -F vermagic "$path" 2>/dev/null | awk '{ print $1 }')
	st=0
	case $path in
	/lib/modules/"$k"/*) [ "$magic" = "$k" ] || st=1 ;;
	*) st=1 ;;
	esac
	result "$st" "modprobe finds the installed homa.ko, $k" \
		"modinfo -k $k homa: '$path', vermagic '$magic'"
done

# 4. Remove; the trap finds nothing left to do.
run "dkms remove $pkg --all" $SUDO dkms remove "$pkg" --all || true
left=$(diff <(printf '%s\n' "$before") <(installed_modules) |
	sed -n 's/^>/left behind:/p') || true
result "${left:+1}" "no homa.ko left in the module trees" "$left"

finish
