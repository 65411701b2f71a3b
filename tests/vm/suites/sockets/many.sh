#!/bin/sh
# A thousand sockets open at once each get a distinct automatic port, in
# the root namespace and in another one at the same time.
set -eu
. "$TESTBED/netns.sh"

modprobe homa
topo_pair
in_host h1 socktest many 1000 >/dev/null &
socktest many 1000 || die "socktest many failed in the root namespace"
wait $! || die "socktest many failed in h1"
