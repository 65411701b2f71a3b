#!/bin/sh
# timeout: 120
# Every documented misuse of the socket API fails with its documented
# errno and leaves nothing behind (tests/progs/misuse.c): sendmsg and
# recvmsg arguments, responses that are not awaited, giving back bpages,
# SO_HOMA_RCVBUF and other options, bind, HOMAIOCINFO and HOMAIOCABORT
# arguments and effects, error_msg, calls after shutdown. For IPv4 and
# IPv6, over loopback in a namespace of its own; client and server
# sockets are in the one process.
set -eu
. "$TESTBED/netns.sh"

modprobe homa
ip netns add h1
ip -n h1 link set lo up
in_host h1 misuse sendmsg response recvmsg sockopt bind ioctl abort ||
	die "API misuse checks failed (see the not ok lines)"
