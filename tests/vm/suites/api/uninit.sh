#!/bin/sh
# timeout: 60
# Structures the kernel copies out hold no undefined bytes (lesson 14):
# recvmsg's homa_recvmsg_args and msg_name, HOMAIOCINFO's homa_info
# (error_msg after its text) and homa_rpc_info entries (padding, the rest
# of the peer union), getsockopt results. Each is filled with 0xAA before
# the call (tests/progs/misuse.c, section "bytes"). IPv4 and IPv6, over
# loopback in a namespace of its own.
set -eu
. "$TESTBED/netns.sh"

modprobe homa
ip netns add h1
ip -n h1 link set lo up
in_host h1 misuse bytes || die "kernel copied out undefined bytes"
