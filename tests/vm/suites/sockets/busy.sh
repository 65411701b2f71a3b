#!/bin/sh
# The module cannot be unloaded while a Homa socket exists, and can be as
# soon as the last one is closed.
set -eu
. "$TESTBED/netns.sh"

modprobe homa
mkfifo hold
socktest hold 100 <hold >out &
exec 3>hold
wait_for 'grep -q "^bound 100 101" out' 10 || die "socktest hold did not bind"
! rmmod homa 2>/dev/null || die "rmmod succeeded with sockets open"
[ -d /sys/module/homa ] || die "homa unloaded with sockets open"
exec 3>&-
wait
rmmod homa || die "rmmod failed after the sockets closed"
