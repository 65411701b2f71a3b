#!/bin/bash
# Build the test VM's initramfs for one kernel:
#
#   tests/vm/mkinitramfs.sh KVER OUTPUT.cpio
#
# The image is rebuilt from scratch on every call (it takes well under a
# second), so it can never be stale.  Contents:
#   - bash as /bin/sh, busybox for everything else that the real tools
#     below do not provide, iproute2 (ip, tc, ss, bridge), ethtool, tcpdump,
#     kmod (modprobe & co.), each with its shared libraries;
#   - the kernel modules the tests need, with their dependency closure,
#     from the host's /lib/modules/KVER;
#   - build/KVER/homa.ko installed by "make install-module" (as
#     /lib/modules/KVER/extra/homa.ko, then depmod for exactly this module
#     tree), so that both "modprobe homa" and the kernel's protocol
#     autoload use the tree that "make install" makes;
#   - build/tools/* in /opt/homa/bin;
#   - tests/vm (init, harness, netns.sh, suites) in /opt/testbed, plus the
#     test bed's own test modules from build/KVER/testbed.
# The test selection is not part of this image: run.sh appends it as a
# second cpio archive (the kernel unpacks concatenated archives in order).
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 KVER OUTPUT.cpio" >&2
	exit 2
fi
kver=$1
output=$(realpath -m "$2")

vmdir=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$vmdir/../.." && pwd)
hostmods=/lib/modules/$kver

# Kernel modules the guest carries (dependencies are added automatically).
# Names that are built into this kernel are skipped.
MODULES="veth bridge 8021q dummy ifb ipv6 sch_netem sch_prio sch_tbf sch_ets
sch_htb sch_ingress cls_u32 cls_flower cls_matchall act_skbedit act_mirred
act_gact"

if [ ! -d "$hostmods/kernel" ]; then
	echo "mkinitramfs: no module tree $hostmods" >&2
	exit 1
fi

root=$(mktemp -d "$output.XXXXXX")
trap 'rm -rf "$root"' EXIT
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp run opt/homa/bin \
	"lib/modules/$kver"
# iproute2 keeps network namespaces in /var/run/netns.
mkdir -p var
ln -s ../run var/run

# Copy host file $1 to the same path in the image (or to $2), following
# symlinks.
copy_file() {
	local dst=${2:-$1}
	mkdir -p "$root/$(dirname "$dst")"
	cp -L "$1" "$root/$dst"
}

# Copy an executable and every shared library it needs.  ldd fails for
# static binaries and scripts; those need nothing else.
copy_exe() {
	local lib
	copy_file "$@"
	for lib in $(ldd "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++)
			if ($i ~ /^\//) print $i }'); do
		[ -e "$root/$lib" ] || copy_file "$lib"
	done
}

copy_exe /bin/bash
ln -s bash bin/sh
copy_exe /bin/kmod
for tool in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -s ../bin/kmod "sbin/$tool"
done
for tool in ip tc bridge ethtool; do
	copy_exe "/usr/sbin/$tool" "/sbin/$tool"
done
copy_exe /usr/bin/ss
copy_exe /usr/bin/tcpdump
# tc netem's delay distribution tables.
mkdir -p usr/lib/x86_64-linux-gnu/tc
cp /usr/lib/x86_64-linux-gnu/tc/*.dist usr/lib/x86_64-linux-gnu/tc/

# Debian's busybox runs its own applets in preference to $PATH, and its
# ip/modprobe cannot do what the tests need; so busybox only provides the
# commands that no real binary above provides, and bash is the shell.
copy_file /bin/busybox
for applet in $(bin/busybox --list); do
	if [ ! -e "bin/$applet" ] && [ ! -e "sbin/$applet" ] &&
		[ ! -e "usr/bin/$applet" ] && [ ! -e "usr/sbin/$applet" ]; then
		ln -s busybox "bin/$applet"
	fi
done

cat >etc/passwd <<'EOT'
root:x:0:0:root:/root:/bin/sh
tcpdump:x:100:100:tcpdump:/nonexistent:/bin/false
EOT
cat >etc/group <<'EOT'
root:x:0:
tcpdump:x:100:
EOT
echo '127.0.0.1 localhost' >etc/hosts

# Kernel modules: the closure of $MODULES and of homa.ko's dependencies.
homa=$top/build/$kver/homa.ko
wanted=$MODULES
if [ -f "$homa" ]; then
	wanted="$wanted $(modinfo -F depends "$homa" | tr , ' ')"
else
	echo "mkinitramfs: WARNING: $homa does not exist;" \
		"tests that need homa will fail" >&2
fi
for mod in $wanted; do
	# --show-depends prints "insmod PATH" per module, dependencies first,
	# and "builtin NAME" for built-in ones.
	modprobe -S "$kver" --show-depends "$mod" | while read -r cmd path _; do
		[ "$cmd" = insmod ] || continue
		[ -e "$root$path" ] || copy_file "$path"
	done
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$hostmods/$f" ] && cp "$hostmods/$f" "lib/modules/$kver/"
done
if [ -f "$homa" ]; then
	# The module as built (-o: never rebuilt here), and depmod.
	make -C "$top" --no-print-directory -s -o "build/$kver/homa.ko" \
		install-module DESTDIR="$root" KVER="$kver"
	[ -f "lib/modules/$kver/extra/homa.ko" ]
else
	depmod -b "$root" "$kver"
fi

# User-space test programs.
if [ -d "$top/build/tools" ]; then
	for exe in "$top/build/tools"/*; do
		[ -f "$exe" ] || continue
		[ -x "$exe" ] || continue
		copy_exe "$exe" "/opt/homa/bin/${exe##*/}"
	done
fi

# The test bed itself and its test modules.
mkdir -p opt/testbed/modules
cp "$vmdir/init" init
cp "$vmdir/harness.sh" "$vmdir/netns.sh" opt/testbed/
cp -R "$vmdir/suites" opt/testbed/
if [ -d "$top/build/$kver/testbed" ]; then
	find "$top/build/$kver/testbed" -maxdepth 1 -name '*.ko' \
		-exec cp {} opt/testbed/modules/ \;
fi

find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 >"$output"
