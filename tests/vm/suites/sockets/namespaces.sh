#!/bin/sh
# Each network namespace has its own port space: the same server ports
# bind in two namespaces at once, and still conflict within one.
#
#	+------------------+          +------------------+
#	| h1               |          | h2               |
#	|  socktest hold   |==========|  socktest hold   |
#	|  ports 100, 101  |   veth   |  ports 100, 101  |
#	+------------------+          +------------------+
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
mkfifo hold1 hold2
in_host h1 socktest hold 100 <hold1 >out1 &
in_host h2 socktest hold 100 <hold2 >out2 &
exec 3>hold1 4>hold2
wait_for 'grep -q "^bound 100 101" out1' 10 || die "h1 could not bind 100/101"
wait_for 'grep -q "^bound 100 101" out2' 10 || die "h2 could not bind 100/101"

# Within h1 the ports are taken, for both families.
! in_host h1 socktest hold 100 </dev/null 2>err || die "h1 bound 100 twice"
grep -q "Address already in use" err || die "second bind: $(cat err)"
# The full set of socket checks runs in both namespaces side by side.
in_host h1 socktest basic >/dev/null &
in_host h2 socktest basic >/dev/null || die "socktest basic failed in h2"
wait $! || die "socktest basic failed in h1"
exec 3>&- 4>&-
wait
