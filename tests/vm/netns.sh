# shellcheck shell=sh
# Network topologies for the VM tests; source it from a test:
#
#	. "$TESTBED/netns.sh"
#
# Every host is a network namespace named hN, with loopback up and one
# interface eth0 holding 10.0.0.N/24 and fd00::N/64 (nodad, so the
# address is usable at once).
#
# topo_pair: two hosts joined by one veth pair.
#
#	+----------------------+          +----------------------+
#	| h1                   |          | h2                   |
#	|  eth0 10.0.0.1/24    |==========|  eth0 10.0.0.2/24    |
#	|       fd00::1/64     |   veth   |       fd00::2/64     |
#	+----------------------+          +----------------------+
#
# topo_switch N: N hosts, each joined by a veth pair to port pI of a Linux
# bridge br0 (STP off, forward delay 0) in namespace sw.
#
#	+-------------+  +-------------+       +-------------+
#	| h1          |  | h2          |       | hN          |
#	| eth0        |  | eth0        |  ...  | eth0        |
#	| 10.0.0.1/24 |  | 10.0.0.2/24 |       | 10.0.0.N/24 |
#	| fd00::1/64  |  | fd00::2/64  |       | fd00::N/64  |
#	+------|------+  +------|------+       +------|------+
#	       | veth           | veth                | veth
#	+------|----------------|---------------------|------+
#	| sw   p1               p2         ...        pN     |
#	|      +----------------+-----------+---------+      |
#	|                      br0                           |
#	+----------------------------------------------------+
#
# Both return once every host reaches the others over IPv4 and IPv6.
#
# Links: link_netem NS DEV ARGS... (root qdisc becomes netem ARGS, e.g.
# "loss 10%", "delay 10ms 2ms", "reorder 25% gap 5", "duplicate 5%",
# "rate 1mbit"), link_clear NS DEV, link_down NS DEV, link_up NS DEV.
# E.g. "link_netem h1 eth0 loss 100%" drops everything h1 sends.
#
# Others: in_host H CMD... runs CMD in host H; homa_metric H NAME prints
# a counter of its /proc/net/homa_metrics; start_in_host H OUT CMD...
# starts a server there and waits for its "ready" line; topo_clean deletes all
# namespaces (the harness also does it after each test); wait_for
# "COMMAND" SECONDS polls until COMMAND succeeds; die MSG fails the test;
# skip MSG skips it.

die() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

# wait_for "COMMAND" SECONDS: run COMMAND (with eval) every 0.1 s until
# it succeeds (return 0) or SECONDS have passed (return 1).
wait_for() {
	_wf_tries=$(($2 * 10))
	while ! eval "$1"; do
		_wf_tries=$((_wf_tries - 1))
		[ "$_wf_tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

in_host() {
	_ih_host=$1
	shift
	ip netns exec "$_ih_host" "$@"
}

# homa_metric H NAME: the value of counter NAME in host H's
# /proc/net/homa_metrics (0 if not listed).
homa_metric() {
	in_host "$1" awk -v n="$2" '$1 == n { v = $2 } END { print v + 0 }' \
		/proc/net/homa_metrics
}

# start_in_host H OUT CMD...: start a server program in host H in the
# background, its output in OUT, and wait until it prints a line "ready".
# BG_PID is then the program itself ("$!" after "in_host ... &" would be
# a subshell, which kill and wait do not reach through).
start_in_host() {
	_si_host=$1
	_si_out=$2
	shift 2
	ip netns exec "$_si_host" "$@" >"$_si_out" &
	BG_PID=$!
	wait_for "grep -qs '^ready' '$_si_out'" 10 ||
		die "$* in $_si_host did not start: $(cat "$_si_out")"
}

# _host_ns I: create namespace hI with loopback up; its eth0 must then be
# created by the caller and configured by _host_addr.
_host_ns() {
	ip netns add "h$1"
	ip -n "h$1" link set lo up
}

_host_addr() {
	ip -n "h$1" addr add "10.0.0.$1/24" dev eth0
	ip -n "h$1" addr add "fd00::$1/64" dev eth0 nodad
	ip -n "h$1" link set eth0 up
}

# _wait_reachable N: wait until h1 reaches h2..hN over IPv4 and IPv6, then
# forget the neighbours. On brand-new links IPv6 neighbour discovery can
# take most of a second, longer than a Homa peer may stay silent before an
# RPC fails; after this the links are known to work, and the first packets
# of a test still go through address resolution.
_wait_reachable() {
	_wr_i=2
	while [ "$_wr_i" -le "$1" ]; do
		wait_for "in_host h1 ping -c 1 -W 1 10.0.0.$_wr_i >/dev/null &&
			in_host h1 ping -6 -c 1 -W 1 fd00::$_wr_i >/dev/null" 10 ||
			die "h1 cannot reach h$_wr_i"
		_wr_i=$((_wr_i + 1))
	done
	for _wr_ns in $(ip netns list | cut -d' ' -f1); do
		ip -n "$_wr_ns" neigh flush all
	done
}

topo_pair() {
	_host_ns 1
	_host_ns 2
	ip -n h1 link add eth0 type veth peer name eth0 netns h2
	_host_addr 1
	_host_addr 2
	_wait_reachable 2
}

topo_switch() {
	ip netns add sw
	ip -n sw link set lo up
	# Without STP and forward delay, ports forward as soon as they are up;
	# without multicast snooping, IPv6 neighbour discovery is never held
	# back waiting for a querier.
	ip -n sw link add br0 type bridge forward_delay 0 stp_state 0 \
		mcast_snooping 0
	ip -n sw link set br0 up
	_ts_i=1
	while [ "$_ts_i" -le "$1" ]; do
		_host_ns "$_ts_i"
		ip -n sw link add "p$_ts_i" type veth peer name eth0 \
			netns "h$_ts_i"
		ip -n sw link set "p$_ts_i" master br0 up
		_host_addr "$_ts_i"
		_ts_i=$((_ts_i + 1))
	done
	_wait_reachable "$1"
}

link_netem() {
	_ln_ns=$1
	_ln_dev=$2
	shift 2
	tc -n "$_ln_ns" qdisc replace dev "$_ln_dev" root netem "$@"
}

link_clear() {
	# Deleting fails when there is no root qdisc to delete; either way the
	# device ends up with its default qdisc, which is all that is wanted.
	tc -n "$1" qdisc del dev "$2" root 2>/dev/null || true
}

link_down() {
	ip -n "$1" link set "$2" down
}

link_up() {
	ip -n "$1" link set "$2" up
}

topo_clean() {
	for _tc_ns in $(ip netns list | cut -d' ' -f1); do
		ip netns delete "$_tc_ns"
	done
}
