/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernel versions Homa supports (Debian 12's
 * 6.1 and 6.12) lives here; no other file tests LINUX_VERSION_CODE.
 */
#ifndef _HOMA_COMPAT_H
#define _HOMA_COMPAT_H

#include <linux/version.h>
#include <net/sock.h>

/*
 * Where an IPv6 socket keeps its ipv6_pinfo. Before 6.6 the kernel finds it
 * at the end of the object (so it must be the last member); from 6.6 on
 * struct proto names its offset in ipv6_pinfo_offset.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define HOMA_HAVE_IPV6_PINFO_OFFSET
#endif

#endif /* _HOMA_COMPAT_H */
