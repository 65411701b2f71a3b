#!/bin/sh
# The kernel can autoload modules: creating a dummy device makes it run
# /sbin/modprobe for alias rtnl-link-dummy (the same mechanism loads homa
# for socket(AF_INET, SOCK_DGRAM, 146)).
set -eu
. "$TESTBED/netns.sh"

[ "$(cat /proc/sys/kernel/modprobe)" = /sbin/modprobe ] ||
	die "kernel.modprobe is $(cat /proc/sys/kernel/modprobe)"
[ ! -d /sys/module/dummy ] || rmmod dummy
ip link add testdummy type dummy || die "cannot create a dummy device"
[ -d /sys/module/dummy ] || die "dummy was not autoloaded"
ip link delete testdummy
