#!/bin/sh
# The kernel modules the tests rely on load with modprobe (on 6.12 they
# are .ko.xz, which kmod decompresses).
set -eu
. "$TESTBED/netns.sh"

for mod in veth sch_netem bridge sch_prio sch_tbf sch_ets cls_u32 \
	cls_flower act_skbedit; do
	modprobe "$mod" || die "modprobe $mod failed"
	[ -d "/sys/module/$mod" ] || die "$mod not loaded"
done
