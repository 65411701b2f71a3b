// SPDX-License-Identifier: GPL-2.0
// Compile-only check: the uapi header must be usable from C++.
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/homa.h>

static_assert(sizeof(homa_recvmsg_args) == 88, "C and C++ agree");
