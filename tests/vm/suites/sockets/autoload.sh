#!/bin/sh
# socket(AF_INET or AF_INET6, SOCK_DGRAM, IPPROTO_HOMA) loads homa.ko on
# demand through its module aliases.
set -eu
. "$TESTBED/netns.sh"

[ ! -d /sys/module/homa ] || rmmod homa
socktest many 2 || die "socket() did not autoload homa"
[ -d /sys/module/homa ] || die "homa not loaded after socket()"
rmmod homa
[ "$(modprobe -R net-pf-10-proto-146-type-2)" = homa ] ||
	die "no IPv6 alias for homa"
