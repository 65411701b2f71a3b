#!/bin/sh
# Each network namespace has its own Homa ports: h2 and h3 both serve
# ports 4000 (IPv4) and 4001 (IPv6), each server tagged with its host's
# name. A client reaches the server of the host whose address it uses,
# from another host or from the same one, and never the other's.
#
#	+-------------+  +-------------------+  +-------------------+
#	| h1          |  | h2                |  | h3                |
#	| 10.0.0.1    |  | 10.0.0.2 fd00::2  |  | 10.0.0.3 fd00::3  |
#	| clients     |  | servers tagged h2 |  | servers tagged h3 |
#	|             |  | 4000 -4, 4001 -6  |  | 4000 -4, 4001 -6  |
#	+------|------+  +---------|---------+  +---------|---------+
#	       | veth              | veth                 | veth
#	+------|-------------------|----------------------|------+
#	| sw   p1                  p2                     p3     |
#	|      +-------------------+----------------------+      |
#	|                         br0                            |
#	+--------------------------------------------------------+
set -eu
. "$TESTBED/netns.sh"

# expect_tag FROM ADDR PORT WANT: a tag query from host FROM to ADDR:PORT
# must be answered by the server tagged WANT.
expect_tag() {
	got=$(in_host "$1" homa_smoke client "$2" -p "$3" tag) ||
		die "tag query from $1 to $2 port $3 failed"
	[ "$got" = "$4" ] ||
		die "$1 asked $2 port $3 and got server \"$got\", expected $4"
	echo "$1 -> $2 port $3: $got"
}

modprobe homa
topo_switch 3
pids=
for h in h2 h3; do
	ip netns exec "$h" homa_smoke server -4 -p 4000 --tag "$h" >"$h-4.out" &
	pids="$pids $!"
	ip netns exec "$h" homa_smoke server -6 -p 4001 --tag "$h" >"$h-6.out" &
	pids="$pids $!"
done
for f in h2-4 h2-6 h3-4 h3-6; do
	wait_for "grep -qs '^ready' $f.out" 10 || die "server $f did not start"
done

expect_tag h1 10.0.0.2 4000 h2
expect_tag h1 10.0.0.3 4000 h3
expect_tag h1 fd00::2 4001 h2
expect_tag h1 fd00::3 4001 h3
# Between the two servers' hosts, and from a host to itself.
expect_tag h2 10.0.0.3 4000 h3
expect_tag h3 fd00::2 4001 h2
expect_tag h2 10.0.0.2 4000 h2
expect_tag h3 fd00::3 4001 h3
# Data, not only tags, reaches the right server through the bridge.
in_host h1 homa_smoke client 10.0.0.2 -p 4000 one -s 100000 ||
	die "RPC from h1 to h2 failed"
in_host h1 homa_smoke client fd00::3 -p 4001 one -s 100000 ||
	die "RPC from h1 to h3 failed"

for pid in $pids; do
	kill "$pid"
	wait "$pid" || die "a server failed"
done
