#!/bin/sh
# homa.ko is installed so that modprobe finds it both by name and by the
# alias the kernel requests for socket(AF_INET, SOCK_DGRAM, IPPROTO_HOMA).
set -eu
. "$TESTBED/netns.sh"

ko=/lib/modules/$(uname -r)/extra/homa.ko
[ -e "$ko" ] || skip "no $ko (module not built for this kernel)"
[ "$(modprobe -R net-pf-2-proto-146-type-2)" = homa ] ||
	die "alias net-pf-2-proto-146-type-2 does not resolve to homa"
modprobe homa || die "modprobe homa failed"
[ -d /sys/module/homa ] || die "homa not loaded"
rmmod homa
