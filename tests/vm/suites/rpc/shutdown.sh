#!/bin/sh
# shutdown() wakes a thread blocked in recvmsg, which returns ESHUTDOWN
# within 1 s; afterwards sendmsg and recvmsg on the socket fail with
# ESHUTDOWN and poll reports it readable. For IPv4 and IPv6 sockets. No
# server is needed: nothing is ever sent.
set -eu
. "$TESTBED/netns.sh"

modprobe homa
homa_smoke client 127.0.0.1 shutdown || die "shutdown check (IPv4) failed"
homa_smoke client ::1 shutdown || die "shutdown check (IPv6) failed"
