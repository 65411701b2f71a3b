#!/bin/sh
# Install everything the project needs from Debian 12's packages:
# toolchain (with clang and libFuzzer for tests/fuzz), both supported
# kernels (headers to build against, images and module trees for the VM
# to boot), QEMU and the guest's userland, the 6.12 source package for
# checkpatch.pl, mandoc to lint the manual pages (scripts/doccheck.sh),
# dkms for scripts/dkms-test.sh, tshark for the Wireshark dissector's
# test (scripts/dissector-test.sh), and gnuplot for scripts/rack.sh's plots.
# Idempotent: when every package is present it only checks and returns.
set -eu

KERNEL_PKGS="linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64"
PKGS="build-essential kmod libelf-dev bc sparse qemu-system-x86 busybox-static \
iproute2 ethtool tcpdump cpio xz-utils zstd linux-source-6.12 clang libclang-rt-14-dev \
mandoc dkms tshark gnuplot-nox \
$KERNEL_PKGS"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "setup: all packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# The kernel images are booted only in QEMU, never on this machine; the
# initrd their hooks generate here goes unused.
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -q --no-install-recommends $missing
