#!/bin/sh
# homa.ko loads, registers IP protocol 146 for IPv4 and IPv6, serves
# sockets, and unloads leaving nothing behind; three times over.
set -eu
. "$TESTBED/netns.sh"

for round in 1 2 3; do
	modprobe homa || die "round $round: modprobe homa failed"
	grep -q '^HOMA ' /proc/net/protocols || die "HOMA not in /proc/net/protocols"
	grep -q '^HOMAv6 ' /proc/net/protocols || die "HOMAv6 not in /proc/net/protocols"
	socktest basic || die "round $round: socktest basic failed"
	rmmod homa || die "round $round: rmmod homa failed"
	[ ! -d /sys/module/homa ] || die "homa still loaded after rmmod"
	! grep -q '^HOMA' /proc/net/protocols ||
		die "protocol still registered after rmmod"
	! grep -q '^HOMA' /proc/slabinfo || die "socket cache left after rmmod"
done
