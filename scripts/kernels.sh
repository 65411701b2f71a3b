#!/bin/sh
# Print the supported kernel versions installed on this host, one per line:
# the newest Debian 6.1 kernel and the newest Debian 12 backport 6.12
# kernel that have both a bootable image (for the VM) and headers (to
# build the module against).
set -eu

found=
for glob in '6.1.0-*-amd64' '6.12.*+deb12-amd64'; do
	newest=
	for img in /boot/vmlinuz-$glob; do
		kver=${img#/boot/vmlinuz-}
		[ -f "$img" ] && [ -d "/lib/modules/$kver/build" ] || continue
		newest=$(printf '%s\n%s\n' "$newest" "$kver" | sort -V | tail -n 1)
	done
	if [ -n "$newest" ]; then
		echo "$newest"
		found=1
	fi
done

if [ -z "$found" ]; then
	echo "kernels.sh: no supported kernel (6.1.0-*-amd64 or" \
		"6.12.*+deb12-amd64 with /boot/vmlinuz and headers) installed;" \
		"run scripts/setup.sh" >&2
	exit 1
fi
